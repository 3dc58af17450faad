/*
 * messages.c - the answers around storing a message.
 */
#include <cjson/cJSON.h>

#include "answer.h"
#include "http.h"
#include "json_out.h"
#include "messages.h"

int
messages_created(struct http_request *req, long long seq)
{
	cJSON *out;

	if ((out = cJSON_CreateObject()) == NULL ||
	    json_add_num(out, "seq", (double)seq) == -1) {
		cJSON_Delete(out);
		return -1;
	}
	return http_send_cjson(req, 201, out);
}

int
messages_add(struct http_request *req, const unsigned char case_id[ID_BYTES],
    const char *case_b64, const char *author, const char *account_id,
    const unsigned char *ct, size_t ctlen,
    const unsigned char sig[SIGNATURE_BYTES],
    const unsigned char sign_pk[SIGN_PK_BYTES], int feedback)
{
	const struct case_message m = {
		.case_id = case_id, .case_b64 = case_b64, .author = author,
		.account_id = account_id, .ciphertext = ct, .len = ctlen,
		.signature = sig, .feedback = feedback,
	};
	enum desk_result	 r;
	long long		 seq;

	if ((r = case_messages_add(&m, sign_pk, &seq)) != DESK_OK)
		return answer_error(req, r);
	return messages_created(req, seq);
}
