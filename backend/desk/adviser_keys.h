/*
 * adviser_keys.h - adviser key rotation and recovery exports and imports
 * (SPEC 3.11). The server never sees a secret key: browsers and the
 * offline tool re-wrap; the desk checks who may hold what and swaps wraps
 * in single transactions, each audited.
 */
#ifndef MELDPUNT_ADVISER_KEYS_H
#define MELDPUNT_ADVISER_KEYS_H

#include "result.h"
#include "sizes.h"

struct cJSON;

#define ADVISER_KEYS_MAX_CASES	1000	/* wraps or case ids in one call */

/* POST /api/v1/adviser/keys's input: a new key, its secret sealed. */
struct adviser_keys_add_in {
	unsigned char	enc_pk[BOX_PK_BYTES];
	unsigned char	sign_pk[SIGN_PK_BYTES];
	unsigned char	esk[ESK_BYTES];
};

/* PUT /api/v1/adviser/keys's input: the wraps (borrowed array). */
struct adviser_keys_swap_in {
	const struct cJSON	*wraps;
};

/* POST /api/v1/adviser/recovery-exports's input (borrowed array). */
struct adviser_keys_export_in {
	const struct cJSON	*case_ids;
};

/* POST /api/v1/adviser/recovery-exports/{id}/import's input. */
struct adviser_keys_import_in {
	char			 adviser_id[UUID_SIZE];
	const struct cJSON	*wraps;
};

/*
 * adviser_keys_add: store in's key as account id's pending key (replacing
 * a pending one), awaiting certification, audited. DESK_OK;
 * DESK_KEY_UNUSABLE for an encryption key no wrap can be sealed to;
 * DESK_CONFLICT for a key already known; or DESK_UNAVAILABLE.
 */
enum desk_result adviser_keys_add(const char *id,
	    const struct adviser_keys_add_in *in);

/*
 * adviser_keys_rewrap: {"wraps":[...]}, account id's wraps (and note
 * wraps) to re-seal to a new key. DESK_OK and *out, or DESK_UNAVAILABLE.
 */
enum desk_result adviser_keys_rewrap(const char *id, struct cJSON **out);

/*
 * adviser_keys_swap: make account id's certified pending key current and
 * replace every wrap with those of wraps (an array of {"case_id",
 * "public_key","wrap","note_wrap"}), all at once, audited. DESK_OK;
 * DESK_BAD_WRAP_LIST for an item that does not hold; the refusals of
 * meldpunt_rotate (DESK_CONFLICT, DESK_HOLDERS_CHANGED, DESK_KEY_CHANGED,
 * DESK_NOT_FOUND ...); or DESK_UNAVAILABLE.
 */
enum desk_result adviser_keys_swap(const char *id,
	    const struct cJSON *wraps);

/*
 * adviser_keys_export: a recovery export by coordinator id of the cases
 * in case_ids (an array of case ids), all or nothing, audited. DESK_OK
 * and *out {"export_id","cases":[...]}; DESK_BAD_CASE_LIST; DESK_NOT_FOUND
 * when one case may not be exported; or DESK_UNAVAILABLE.
 */
enum desk_result adviser_keys_export(const char *id,
	    const struct cJSON *case_ids, struct cJSON **out);

/*
 * adviser_keys_import: store the wraps of in for in's adviser from export
 * eid, made by coordinator id, audited. DESK_OK; DESK_BAD_ADVISER for an
 * adviser id that is no UUID; DESK_BAD_WRAP_LIST; the refusals of
 * meldpunt_recovery_import; or DESK_UNAVAILABLE.
 */
enum desk_result adviser_keys_import(const char *id,
	    const unsigned char eid[ID_BYTES],
	    const struct adviser_keys_import_in *in);

#endif
