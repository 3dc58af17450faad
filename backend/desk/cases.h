/*
 * cases.h - reading a case as the API shows it (SPEC section 4): metadata,
 * ciphertexts, wraps, messages, attachments and the adviser entries a
 * reader needs to check every signature.
 */
#ifndef MELDPUNT_CASES_H
#define MELDPUNT_CASES_H

#include "db.h"
#include "sizes.h"

struct cJSON;

/*
 * cases_reporter_view: the reporter's case object, or NULL with *st set
 * (DB_OK and NULL: no such case). The caller owns the object.
 */
struct cJSON *cases_reporter_view(const unsigned char case_id[ID_BYTES],
	    enum db_status *st);

/*
 * cases_adviser_view: the case for a wrap holder: the reporter's view with
 * the adviser's own wrap, plus notes, note_wrap, notes key commitment and
 * signature, wrap_recipient_public_key, classification, excluded, holders.
 * NULL with *st set (DB_OK: no such case). The caller owns the object.
 */
struct cJSON *cases_adviser_view(const unsigned char case_id[ID_BYTES],
	    const char *account, enum db_status *st);

/*
 * cases_metadata_view: metadata only (a coordinator without a wrap): the
 * inbox row of the case. NULL with *st set. The caller owns the object.
 */
struct cJSON *cases_metadata_view(const unsigned char case_id[ID_BYTES],
	    const char *account, enum db_status *st);

/*
 * cases_summary: one inbox row from a result with the inbox row columns
 * (CASE_ROW_* in statements.h: DB_CASE_SUMMARY, DB_ADVISER_CASES). NULL on failure.
 */
struct cJSON *cases_summary(const PGresult *r, int row);

/*
 * cases_b64_id: the API form of a case or attachment id (ids_encode, for
 * callers that have not moved to it).
 */
void	cases_b64_id(char out[ID_B64_SIZE], const unsigned char id[ID_BYTES]);

#endif
