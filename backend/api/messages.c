/*
 * messages.c - storing signed, encrypted messages.
 */
#include <cjson/cJSON.h>

#include "db.h"
#include "http.h"
#include "json_out.h"
#include "messages.h"
#include "seal.h"

int
messages_add(struct http_request *req, const unsigned char case_id[16],
    const char *case_b64, const char *author, const char *account_id,
    const unsigned char *ct, size_t ctlen, const unsigned char sig[64],
    const unsigned char sign_pk[32], int feedback)
{
	struct db_param	 p[6] = {
		DB_P_BYTES(case_id, 16), DB_P_TEXT(author), DB_P_TEXT(account_id),
		DB_P_BYTES(ct, ctlen), DB_P_BYTES(sig, 64),
		DB_P_TEXT(feedback ? "true" : "false"),
	};
	PGresult	*res;
	cJSON		*out;
	enum db_status	 st;

	if (ctlen < MESSAGES_BLOCK + MESSAGES_OVERHEAD ||
	    (ctlen - MESSAGES_OVERHEAD) % MESSAGES_BLOCK != 0)
		return http_send_error(req, 400, "invalid_field", "ciphertext");
	if (seal_message_verify(case_b64, author, ct, ctlen, sig, sign_pk) != 0)
		return http_send_error(req, 400, "bad_signature", NULL);
	if ((res = db_exec(DB_MESSAGE_ADD, 6, p, &st)) == NULL)
		return http_send_error(req, 503, "unavailable", NULL);
	if (PQntuples(res) != 1) {
		PQclear(res);
		return http_send_error(req, 409, "purged", NULL);
	}
	if ((out = cJSON_CreateObject()) == NULL ||
	    json_add_num(out, "seq", (double)db_get_int(res, 0, 0)) == -1) {
		cJSON_Delete(out);
		PQclear(res);
		return -1;
	}
	PQclear(res);
	return http_send_cjson(req, 201, out);
}
