/*
 * cases.h - reading a case as the API shows it (SPEC section 4): metadata,
 * ciphertexts, wraps, messages, attachments and the adviser entries a
 * reader needs to check every signature.
 */
#ifndef MELDPUNT_CASES_H
#define MELDPUNT_CASES_H

#include "db.h"

struct cJSON;

/*
 * cases_reporter_view: the reporter's case object, or NULL with *st set
 * (DB_OK and NULL: no such case). The caller owns the object.
 */
struct cJSON *cases_reporter_view(const unsigned char case_id[16],
	    enum db_status *st);

/* cases_b64_id: the API form of a 16-byte case or attachment id. */
void	cases_b64_id(char out[24], const unsigned char id[16]);

#endif
