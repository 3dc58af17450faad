/*
 * proof.h - the proof-of-submission file (SPEC 3.10).
 */
#ifndef MELDPUNT_PROOF_H
#define MELDPUNT_PROOF_H

#include "sizes.h"

struct cJSON;

/*
 * proof_file: the proof file for a stored report as a new cJSON object
 * (the caller owns it), or NULL: case_id and received_on as the API shows
 * them, the organisation and topic as submitted, the reporter's signing
 * key, the report ciphertext in base64url, its key commitment and the
 * desk's signature over them (seal.h).
 */
struct cJSON *proof_file(const char *case_id, const char *received_on,
	    const char *organisation, const char *topic,
	    const unsigned char sign_pk[SIGN_PK_BYTES], const char *report_b64,
	    const unsigned char commitment[HASH_BYTES],
	    const unsigned char sig[SIGNATURE_BYTES]);

#endif
