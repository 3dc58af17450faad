/*
 * reporter.c - reporter endpoints.
 *
 * Login failures are counted per client (a keyed hash of the address, in
 * memory only: ratelimit.h), like staff logins: past the configured bound
 * in 15 minutes the client gets 429 with Retry-After, before any work, at
 * the login and at the challenge alike. Every 401 counts, whatever its
 * cause, so the answers stay alike. A success resets nothing: the counter
 * belongs to the client address, which others may share (a NAT, a proxy),
 * and a reporter -- or an attacker with a receipt of their own -- must not
 * be able to wipe it by logging in.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "account.h"
#include "app.h"
#include "attach.h"
#include "cases.h"
#include "challenge.h"
#include "client.h"
#include "config.h"
#include "db.h"
#include "http.h"
#include "json_in.h"
#include "json_out.h"
#include "messages.h"
#include "ratelimit.h"
#include "reporter.h"
#include "seal.h"
#include "secrets.h"
#include "session.h"

#define REPORTER_RL_SLOTS	65536

static pthread_once_t	 reporter_rl_once = PTHREAD_ONCE_INIT;
static struct ratelimit	*reporter_rl;

static void
reporter_rl_init(void)
{
	reporter_rl = ratelimit_new(REPORTER_RL_SLOTS,
	    (unsigned int)app.cfg->reporter_login_failures,
	    REPORTER_FAIL_WINDOW);
}

/*
 * The client's login-failure key into key, and whether the client is over
 * the bound. 1 after sending 429 or 503 (key then unusable), else 0.
 */
static int
reporter_limited(struct http_request *req,
    unsigned char key[RATELIMIT_KEY_BYTES])
{
	static const unsigned char	 scope[] = "reporter-login";
	char				 addr[128];
	unsigned int			 wait;
	int				 r;

	if (pthread_once(&reporter_rl_once, reporter_rl_init) != 0 ||
	    reporter_rl == NULL ||
	    client_address(req, addr, sizeof(addr)) == -1)
		return http_send_error(req, 503, "unavailable", NULL), 1;
	r = ratelimit_key(reporter_rl, time(NULL), addr, scope,
	    sizeof(scope) - 1, key);
	sodium_memzero(addr, sizeof(addr));
	if (r == -1)
		return http_send_error(req, 503, "unavailable", NULL), 1;
	if ((wait = ratelimit_retry_after(reporter_rl, key, time(NULL))) > 0) {
		sodium_memzero(key, RATELIMIT_KEY_BYTES);
		return http_send_rate_limited(req, wait), 1;
	}
	return 0;
}

/* --- POST /api/v1/reporter/challenge ------------------------------------- */

struct reporter_challenge_in {
	unsigned char	lookup_id[32];
};

static const struct json_field reporter_challenge_fields[] = {
	JSON_F_KEY("lookup_id", 1, 32, struct reporter_challenge_in, lookup_id),
};

int
reporter_challenge(struct http_request *req)
{
	struct reporter_challenge_in	 in;
	unsigned char			 c[CHALLENGE_BYTES];
	unsigned char			 key[RATELIMIT_KEY_BYTES];
	const char			*code, *field;
	cJSON				*root, *out;

	/* A client over the bound would only be refused at the login. */
	if (reporter_limited(req, key))
		return 0;
	sodium_memzero(key, sizeof(key));
	root = json_in_parse(req->body, req->body_len, reporter_challenge_fields,
	    1, &in, &code, &field);
	if (root == NULL)
		return http_send_error(req, 400, code, field);
	cJSON_Delete(root);
	/* The same answer for every lookup_id, known or not. */
	if (challenge_make(c, app.secrets->server_key, CHALLENGE_REPORTER, 0,
	    (uint32_t)time(NULL) + REPORTER_CHALLENGE_TTL) == -1)
		return -1;
	if ((out = cJSON_CreateObject()) == NULL)
		return -1;
	if (json_add_b64(out, "challenge", c, sizeof(c)) == -1) {
		cJSON_Delete(out);
		return -1;
	}
	return http_send_cjson(req, 200, out);
}

/* --- POST /api/v1/reporter/session ---------------------------------------- */

struct reporter_login_in {
	unsigned char	lookup_id[32];
	unsigned char	challenge[32];
	unsigned char	signature[64];
};

static const struct json_field reporter_login_fields[] = {
	JSON_F_KEY("lookup_id", 1, 32, struct reporter_login_in, lookup_id),
	JSON_F_KEY("challenge", 1, 32, struct reporter_login_in, challenge),
	JSON_F_KEY("signature", 1, 64, struct reporter_login_in, signature),
};

/*
 * Look up the case and check the signature. An unknown id still costs one
 * signature check (against a fixed key), so both fail alike and in about
 * the same time. 0 with case_id filled, or -1.
 */
static int
reporter_check_login(const struct reporter_login_in *in,
    unsigned char case_id[16], enum db_status *st)
{
	struct db_param		 p[1] = { DB_P_BYTES(in->lookup_id, 32) };
	PGresult		*res;
	/* A valid key no reporter holds: the desk's own signing key. */
	const unsigned char	*v, *pk = app.secrets->sign_pk;
	size_t			 n = 0, m = 32;
	int			 found, ok;

	if ((res = db_exec(DB_REPORTER_LOGIN, 1, p, st)) == NULL)
		return -1;
	found = PQntuples(res) == 1;
	if (found) {
		v = db_get_bytes(res, 0, 0, &n);
		pk = db_get_bytes(res, 0, 1, &m);
		if (n == 16)
			memcpy(case_id, v, 16);
	}
	ok = m == 32 && seal_reporter_login_verify(in->challenge, in->signature,
	    pk) == 0;
	PQclear(res);
	return found && n == 16 && ok ? 0 : -1;
}

int
reporter_login(struct http_request *req)
{
	struct reporter_login_in	 in;
	unsigned char			 case_id[16], hash[32];
	unsigned char			 key[RATELIMIT_KEY_BYTES];
	char				 token[64], expires[24];
	const char			*code, *field;
	cJSON				*root, *out;
	PGresult			*res = NULL;
	enum db_status			 st = DB_OK;
	unsigned int			 d;
	uint32_t			 exp;
	int				 rc;

	memset(token, 0, sizeof(token));
	if (reporter_limited(req, key))
		return 0;
	root = json_in_parse(req->body, req->body_len, reporter_login_fields,
	    3, &in, &code, &field);
	if (root == NULL) {
		rc = http_send_error(req, 400, code, field);
		goto out;
	}
	cJSON_Delete(root);
	if (challenge_check(in.challenge, app.secrets->server_key,
	    CHALLENGE_REPORTER, (uint32_t)time(NULL), &d, &exp) == -1 ||
	    reporter_check_login(&in, case_id, &st) == -1) {
		if (st == DB_OK)
			goto unauthorized;
		rc = http_send_error(req, 503, "unavailable", NULL);
		goto out;
	}
	if (session_token_new(token, sizeof(token), hash) == -1) {
		rc = -1;
		goto out;
	}
	snprintf(expires, sizeof(expires), "%lu", (unsigned long)exp);
	{
		struct db_param p[5] = {
			DB_P_BYTES(in.challenge, 32), DB_P_TEXT(expires),
			DB_P_BYTES(hash, 32), DB_P_BYTES(case_id, 16),
			DB_P_INT(SESSION_REPORTER_MAX),
		};
		res = db_exec(DB_REPORTER_SESSION_NEW, 5, p, &st);
	}
	if (res == NULL)
		rc = http_send_error(req, 503, "unavailable", NULL);
	else if (PQntuples(res) != 1)	/* challenge already spent */
		goto unauthorized;
	else if ((out = cJSON_CreateObject()) == NULL ||
	    json_add_str(out, "token", token) == -1) {
		cJSON_Delete(out);
		rc = -1;
	} else
		rc = http_send_cjson(req, 200, out);
	goto out;
unauthorized:
	/* Every cause alike: counted, and the one 401. */
	ratelimit_fail(reporter_rl, key, time(NULL));
	rc = http_send_error(req, 401, "unauthorized", NULL);
out:
	PQclear(res);
	sodium_memzero(token, sizeof(token));
	sodium_memzero(hash, sizeof(hash));
	sodium_memzero(key, sizeof(key));
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
		return http_send_error(req, st == DB_OK ? 404 : 503,
		    st == DB_OK ? "not_found" : "unavailable", NULL);
	return http_send_cjson(req, 200, out);
}

/* --- POST /api/v1/reporter/case/messages ---------------------------------- */

struct reporter_message_in {
	struct json_bytes	ciphertext;
	unsigned char		signature[64];
};

#define REPORTER_MESSAGE_MIN	(1024 + 40)

static const struct json_field reporter_message_fields[] = {
	JSON_F_B64_ALLOC("ciphertext", 1, REPORTER_MESSAGE_MIN, 1 << 20,
	    struct reporter_message_in, ciphertext),
	JSON_F_KEY("signature", 1, 64, struct reporter_message_in, signature),
};

int
reporter_message(struct http_request *req)
{
	struct session_reporter		 s;
	struct reporter_message_in	 in;
	const char			*code, *field;
	cJSON				*root;
	int				 rc;

	if (session_reporter(req, &s) == -1)
		return 0;
	memset(&in, 0, sizeof(in));
	root = json_in_parse(req->body, req->body_len, reporter_message_fields,
	    2, &in, &code, &field);
	if (root == NULL)
		return http_send_error(req, 400, code, field);
	cJSON_Delete(root);
	rc = messages_add(req, s.case_id, s.case_b64, "reporter", NULL,
	    in.ciphertext.data, in.ciphertext.len, in.signature, s.sign_pk, 0);
	json_bytes_free(&in.ciphertext);
	return rc;
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
