/*
 * keys.c - rotation and recovery endpoints.
 */
#include <stddef.h>

#include <cjson/cJSON.h>

#include "adviser_keys.h"
#include "answer.h"
#include "http.h"
#include "ids.h"
#include "json_in.h"
#include "keys.h"
#include "session.h"

static const struct json_field keys_add_fields[] = {
	JSON_F_KEY("encryption_public_key", 1, BOX_PK_BYTES,
	    struct adviser_keys_add_in, enc_pk),
	JSON_F_KEY("sign_public_key", 1, SIGN_PK_BYTES,
	    struct adviser_keys_add_in, sign_pk),
	JSON_F_KEY("encrypted_secret_key", 1, ESK_BYTES,
	    struct adviser_keys_add_in, esk),
};

const struct json_schema keys_add_in =
    JSON_SCHEMA(struct adviser_keys_add_in, keys_add_fields);

static const struct json_field keys_swap_fields[] = {
	JSON_F_ARRAY("wraps", 1, 0, ADVISER_KEYS_MAX_CASES,
	    struct adviser_keys_swap_in, wraps),
};

const struct json_schema keys_swap_in =
    JSON_SCHEMA(struct adviser_keys_swap_in, keys_swap_fields);

static const struct json_field keys_export_fields[] = {
	JSON_F_ARRAY("case_ids", 1, 1, ADVISER_KEYS_MAX_CASES,
	    struct adviser_keys_export_in, case_ids),
};

const struct json_schema keys_export_in =
    JSON_SCHEMA(struct adviser_keys_export_in, keys_export_fields);

static const struct json_field keys_import_fields[] = {
	JSON_F_TEXT("adviser_id", 1, UUID_LEN, UUID_LEN,
	    struct adviser_keys_import_in, adviser_id),
	JSON_F_ARRAY("wraps", 1, 1, ADVISER_KEYS_MAX_CASES,
	    struct adviser_keys_import_in, wraps),
};

const struct json_schema keys_import_in =
    JSON_SCHEMA(struct adviser_keys_import_in, keys_import_fields);

int
keys_add(struct http_request *req)
{
	const struct adviser_keys_add_in	*in = req->in;
	struct session_account			 s;

	if (session_account(req, SESSION_ROLE_CASEWORK, &s) == -1)
		return 0;
	return answer_empty(req, adviser_keys_add(s.id, in));
}

int
keys_rewrap(struct http_request *req)
{
	struct session_account	 s;
	enum desk_result	 r;
	cJSON			*out;

	if (session_account(req, SESSION_ROLE_CASEWORK, &s) == -1)
		return 0;
	if ((r = adviser_keys_rewrap(s.id, &out)) != DESK_OK)
		return answer_error(req, r);
	return http_send_cjson(req, 200, out);
}

int
keys_swap(struct http_request *req)
{
	const struct adviser_keys_swap_in	*in = req->in;
	struct session_account			 s;

	if (session_account(req, SESSION_ROLE_CASEWORK, &s) == -1)
		return 0;
	return answer_empty(req, adviser_keys_swap(s.id, in->wraps));
}

int
keys_export(struct http_request *req)
{
	const struct adviser_keys_export_in	*in = req->in;
	struct session_account			 s;
	enum desk_result			 r;
	cJSON					*out;

	if (session_account(req, SESSION_ROLE_COORDINATOR, &s) == -1)
		return 0;
	if ((r = adviser_keys_export(s.id, in->case_ids, &out)) != DESK_OK)
		return answer_error(req, r);
	return http_send_cjson(req, 201, out);
}

int
keys_import(struct http_request *req)
{
	const struct adviser_keys_import_in	*in = req->in;
	struct session_account			 s;
	unsigned char				 eid[ID_BYTES];

	if (session_account(req, SESSION_ROLE_COORDINATOR, &s) == -1)
		return 0;
	if (ids_decode(req->params[0], eid) == -1)
		return answer_error(req, DESK_NOT_FOUND);
	return answer_empty(req, adviser_keys_import(s.id, eid, in));
}
