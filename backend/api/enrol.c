/*
 * enrol.c - invite-based enrolment: the public routes, each one call into
 * desk/enrolment.
 */
#include <string.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "answer.h"
#include "enrol.h"
#include "enrolment.h"
#include "http.h"
#include "json_in.h"
#include "json_out.h"
#include "totp.h"

/* --- POST /api/v1/enrol/info ------------------------------------------------ */

struct enrol_info_in {
	unsigned char	token[TOKEN_BYTES];
};

static const struct json_field enrol_info_fields[] = {
	JSON_F_KEY("invite_token", 1, TOKEN_BYTES, struct enrol_info_in, token),
};

const struct json_schema enrol_info_in =
    JSON_SCHEMA(struct enrol_info_in, enrol_info_fields);

int
enrol_info(struct http_request *req)
{
	const struct enrol_info_in	*in = req->in;
	cJSON				*out;
	enum desk_result		 r;

	if ((r = enrolment_info(in->token, &out)) != DESK_OK)
		return answer_error(req, r);
	return http_send_cjson(req, 200, out);
}

/* --- POST /api/v1/enrol ------------------------------------------------------- */

static const struct json_field enrol_start_fields[] = {
	JSON_F_KEY("invite_token", 1, TOKEN_BYTES, struct enrolment_new, token),
	JSON_F_KEY("salt", 1, SALT_BYTES, struct enrolment_new, salt),
	JSON_F_INT("opslimit", 1, ENROLMENT_MIN_OPS, ENROLMENT_MAX_OPS,
	    struct enrolment_new, opslimit),
	JSON_F_INT("memlimit", 1, ENROLMENT_MIN_MEM, ENROLMENT_MAX_MEM,
	    struct enrolment_new, memlimit),
	JSON_F_KEY("auth_key", 1, KEY_BYTES, struct enrolment_new, auth_key),
	JSON_F_B64("encryption_public_key", 0, BOX_PK_BYTES, BOX_PK_BYTES,
	    struct enrolment_new, enc_pk, enc_pk_len),
	JSON_F_B64("sign_public_key", 0, SIGN_PK_BYTES, SIGN_PK_BYTES,
	    struct enrolment_new, sign_pk, sign_pk_len),
	JSON_F_B64("encrypted_secret_key", 0, ENROLMENT_ESK_BYTES,
	    ENROLMENT_ESK_BYTES, struct enrolment_new, esk, esk_len),
};

const struct json_schema enrol_start_in =
    JSON_SCHEMA(struct enrolment_new, enrol_start_fields);

int
enrol_start(struct http_request *req)
{
	char			 uri[TOTP_URI_MAX];
	cJSON			*out;
	enum desk_result	 r;
	int			 rc;

	if ((r = enrolment_start(req->in, uri, sizeof(uri))) != DESK_OK)
		return answer_error(req, r);
	if ((out = cJSON_CreateObject()) == NULL ||
	    json_add_str(out, "totp_uri", uri) == -1) {
		cJSON_Delete(out);
		rc = -1;
	} else
		rc = http_send_cjson(req, 200, out);
	sodium_memzero(uri, sizeof(uri));
	return rc;
}

/* --- POST /api/v1/enrol/confirm ------------------------------------------------ */

struct enrol_confirm_in {
	unsigned char	token[TOKEN_BYTES];
	char		totp[TOTP_DIGITS + 1];
};

static const struct json_field enrol_confirm_fields[] = {
	JSON_F_KEY("invite_token", 1, TOKEN_BYTES, struct enrol_confirm_in,
	    token),
	JSON_F_TEXT("totp", 1, TOTP_DIGITS, TOTP_DIGITS,
	    struct enrol_confirm_in, totp),
};

const struct json_schema enrol_confirm_in =
    JSON_SCHEMA(struct enrol_confirm_in, enrol_confirm_fields);

int
enrol_confirm(struct http_request *req)
{
	const struct enrol_confirm_in *in = req->in;

	return answer_empty(req, enrolment_confirm(in->token, in->totp));
}
