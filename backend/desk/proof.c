/*
 * proof.c - the proof-of-submission file of SPEC 3.10: what the desk signs
 * for a reporter when a report is stored, given again with the case.
 */
#include <sodium.h>

#include <cjson/cJSON.h>

#include "app.h"
#include "json_out.h"
#include "proof.h"
#include "seal.h"
#include "secrets.h"
#include "sizes.h"

cJSON *
proof_file(const char *case_id, const char *received_on,
    const char *organisation, const char *topic,
    const unsigned char sign_pk[SIGN_PK_BYTES], const char *report_b64,
    const unsigned char commitment[HASH_BYTES],
    const unsigned char sig[SIGNATURE_BYTES])
{
	unsigned char	 key_id[SEAL_DESK_KEY_ID_BYTES];
	cJSON		*p;

	if (seal_desk_key_id(key_id, app.secrets->sign_pk) != 0 ||
	    (p = cJSON_CreateObject()) == NULL)
		return NULL;
	if (json_add_num(p, "v", 1) == -1 ||
	    json_add_str(p, "case_id", case_id) == -1 ||
	    json_add_str(p, "received_on", received_on) == -1 ||
	    json_add_str(p, "organisation", organisation) == -1 ||
	    json_add_str(p, "topic", topic) == -1 ||
	    json_add_b64(p, "reporter_sign_public_key", sign_pk, SIGN_PK_BYTES) == -1 ||
	    json_add_str(p, "report_ciphertext", report_b64) == -1 ||
	    json_add_b64(p, "key_commitment", commitment, HASH_BYTES) == -1 ||
	    json_add_b64(p, "desk_key_id", key_id, sizeof(key_id)) == -1 ||
	    json_add_b64(p, "signature", sig, SIGNATURE_BYTES) == -1) {
		cJSON_Delete(p);
		return NULL;
	}
	return p;
}
