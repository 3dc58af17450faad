/*
 * reporter.c - reporter endpoints.
 *
 * The login and its challenge throttle first (desk/reporter_login.c): a
 * client over the bound gets 429 with Retry-After before anything else,
 * even before its body is parsed.
 */
#include <stddef.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "answer.h"
#include "attach.h"
#include "cases.h"
#include "client.h"
#include "http.h"
#include "json_in.h"
#include "json_out.h"
#include "messages.h"
#include "reporter.h"
#include "reporter_case.h"
#include "reporter_login.h"
#include "session.h"

#define REPORTER_ADDR_SIZE	128	/* a client address as text */

/*
 * The client's login-failure key into key, and whether the client is over
 * the bound. 1 after answering 429 (key then wiped), -1 for 503, else 0.
 */
static int
reporter_limited(struct http_request *req,
    unsigned char key[CLIENTKEY_BYTES])
{
	char			addr[REPORTER_ADDR_SIZE];
	unsigned int		wait = 0;
	enum desk_result	r;

	if (client_address(req, addr, sizeof(addr)) == -1)
		return -1;
	r = reporter_login_limited(addr, key, &wait);
	sodium_memzero(addr, sizeof(addr));
	if (r == DESK_LOGIN_LIMITED)
		return http_send_rate_limited(req, wait) == -1 ? -1 : 1;
	return r == DESK_OK ? 0 : -1;
}

/* Parse the body per fields into out, after the throttle. 0, or 400 sent. */
static int
reporter_parse(struct http_request *req, const struct json_field *fields,
    size_t n, void *out)
{
	const char	*code, *field;
	cJSON		*root;

	if ((root = json_in_parse(req->body, req->body_len, fields, n, out,
	    &code, &field)) == NULL) {
		http_send_error(req, 400, code, field);
		return -1;
	}
	cJSON_Delete(root);
	return 0;
}

/* --- POST /api/v1/reporter/challenge ------------------------------------- */

static const struct json_field reporter_challenge_fields[] = {
	JSON_F_KEY("lookup_id", 1, HASH_BYTES, struct reporter_challenge_in,
	    lookup_id),
};

int
reporter_challenge(struct http_request *req)
{
	struct reporter_challenge_in	 in;
	unsigned char			 c[CHALLENGE_BYTES];
	unsigned char			 key[CLIENTKEY_BYTES];
	enum desk_result		 r;
	cJSON				*out;
	int				 lim;

	/* A client over the bound would only be refused at the login. */
	lim = reporter_limited(req, key);
	sodium_memzero(key, sizeof(key));
	if (lim != 0)
		return lim == 1 ? 0 : -1;
	if (reporter_parse(req, reporter_challenge_fields,
	    nitems(reporter_challenge_fields), &in) == -1)
		return 0;
	/* The same answer for every lookup_id, known or not. */
	if ((r = reporter_login_challenge(c)) != DESK_OK)
		return answer_error(req, r);
	if ((out = cJSON_CreateObject()) == NULL ||
	    json_add_b64(out, "challenge", c, sizeof(c)) == -1) {
		cJSON_Delete(out);
		return -1;
	}
	return http_send_cjson(req, 200, out);
}

/* --- POST /api/v1/reporter/session ---------------------------------------- */

static const struct json_field reporter_login_fields[] = {
	JSON_F_KEY("lookup_id", 1, HASH_BYTES, struct reporter_login_in,
	    lookup_id),
	JSON_F_KEY("challenge", 1, CHALLENGE_BYTES, struct reporter_login_in,
	    challenge),
	JSON_F_KEY("signature", 1, SIGNATURE_BYTES, struct reporter_login_in,
	    signature),
};

int
reporter_login(struct http_request *req)
{
	struct reporter_login_in	 in;
	unsigned char			 key[CLIENTKEY_BYTES];
	char				 token[TOKEN_B64_SIZE];
	enum desk_result		 r;
	cJSON				*out;
	int				 rc;

	if ((rc = reporter_limited(req, key)) != 0)
		return rc == 1 ? 0 : -1;
	if (reporter_parse(req, reporter_login_fields,
	    nitems(reporter_login_fields), &in) == -1) {
		rc = 0;
		goto out;
	}
	r = reporter_login_run(&in, key, token, sizeof(token));
	if (r != DESK_OK)
		rc = answer_error(req, r);
	else if ((out = cJSON_CreateObject()) == NULL ||
	    json_add_str(out, "token", token) == -1) {
		cJSON_Delete(out);
		rc = -1;
	} else
		rc = http_send_cjson(req, 200, out);
out:
	sodium_memzero(token, sizeof(token));
	sodium_memzero(key, sizeof(key));
	sodium_memzero(&in, sizeof(in));
	return rc;
}

/* --- GET /api/v1/reporter/case ------------------------------------------- */

int
reporter_case(struct http_request *req)
{
	struct session_reporter	 s;
	enum db_status		 st;
	cJSON			*out;

	if (session_reporter(req, &s) == -1)
		return 0;
	if ((out = cases_reporter_view(s.case_id, &st)) == NULL)
		return st == DB_OK ? answer_error(req, DESK_NOT_FOUND) : -1;
	if (reporter_case_more(out, s.case_id, &st) == -1) {
		cJSON_Delete(out);
		return -1;
	}
	return http_send_cjson(req, 200, out);
}

/* --- POST /api/v1/reporter/case/read --------------------------------------- */

struct reporter_read_body {
	long long	seq;
};

static const struct json_field reporter_read_fields[] = {
	JSON_F_INT("seq", 1, 0, 2147483647, struct reporter_read_body, seq),
};

const struct json_schema reporter_read_in =
    JSON_SCHEMA(struct reporter_read_body, reporter_read_fields);

int
reporter_read(struct http_request *req)
{
	const struct reporter_read_body	*in = req->in;
	struct session_reporter		 s;

	if (session_reporter(req, &s) == -1)
		return 0;
	return answer_empty(req, reporter_case_read(s.case_id, in->seq));
}

/* --- POST /api/v1/reporter/case/messages ---------------------------------- */

#define REPORTER_MESSAGE_MIN	(1024 + SEALED_OVERHEAD)
#define REPORTER_MESSAGE_MAX	(1 << 20)

struct reporter_message_body {
	struct json_bytes	ciphertext;
	unsigned char		signature[SIGNATURE_BYTES];
};

static const struct json_field reporter_message_fields[] = {
	JSON_F_B64_ALLOC("ciphertext", 1, REPORTER_MESSAGE_MIN,
	    REPORTER_MESSAGE_MAX, struct reporter_message_body, ciphertext),
	JSON_F_KEY("signature", 1, SIGNATURE_BYTES,
	    struct reporter_message_body, signature),
};

const struct json_schema reporter_message_in =
    JSON_SCHEMA(struct reporter_message_body, reporter_message_fields);

int
reporter_message(struct http_request *req)
{
	const struct reporter_message_body	*in = req->in;
	struct session_reporter			 s;

	if (session_reporter(req, &s) == -1)
		return 0;
	return messages_add(req, s.case_id, s.case_b64, "reporter", NULL,
	    in->ciphertext.data, in->ciphertext.len, in->signature, s.sign_pk,
	    0);
}

/* --- attachments ------------------------------------------------------- */

int
reporter_attachment_upload(struct http_request *req)
{
	struct session_reporter s;

	if (session_reporter(req, &s) == -1)
		return 0;
	return attach_upload(req, s.case_id, "reporter", NULL);
}

int
reporter_attachment_download(struct http_request *req)
{
	struct session_reporter s;

	if (session_reporter(req, &s) == -1)
		return 0;
	return attach_download(req, s.case_id, req->params[0]);
}
