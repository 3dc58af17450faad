/*
 * session.c - tokens and session checks.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <civetweb.h>
#include <sodium.h>

#include "app.h"
#include "db.h"
#include "dispatch.h"
#include "http.h"
#include "json_in.h"
#include "seal.h"
#include "secrets.h"
#include "session.h"

int
session_token_new(char *text, size_t textsz, unsigned char hash[32])
{
	unsigned char token[SESSION_TOKEN_BYTES];

	if (textsz < sodium_base64_ENCODED_LEN(sizeof(token),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING))
		return -1;
	randombytes_buf(token, sizeof(token));
	sodium_bin2base64(text, textsz, token, sizeof(token),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	if (seal_token_hash(hash, token, app.secrets->server_key) != 0) {
		sodium_memzero(token, sizeof(token));
		return -1;
	}
	sodium_memzero(token, sizeof(token));
	return 0;
}

int
session_bearer_hash(struct http_request *req, unsigned char hash[32])
{
	const char	*h = mg_get_header(req->conn, "Authorization");
	unsigned char	 token[SESSION_TOKEN_BYTES];
	int		 rc;

	if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0)
		return -1;

	if (json_in_b64(h + 7, token, sizeof(token)) == -1)
		return -1;
	rc = seal_token_hash(hash, token, app.secrets->server_key);
	sodium_memzero(token, sizeof(token));
	return rc;
}

/* The reporter token's check itself; see session_reporter. */
static int
session_reporter_check(struct http_request *req, struct session_reporter *out)
{
	unsigned char		 hash[32];
	struct db_param		 p[2] = {
		DB_P_BYTES(hash, sizeof(hash)), DB_P_INT(SESSION_REPORTER_IDLE)
	};
	PGresult		*res;
	const unsigned char	*v;
	size_t			 n, m;
	enum db_status		 st;

	if (session_bearer_hash(req, hash) == -1) {
		http_send_error(req, 401, "unauthorized", NULL);
		return -1;
	}
	if ((res = db_exec(DB_REPORTER_SESSION, 2, p, &st)) == NULL) {
		http_send_error(req, 503, "unavailable", NULL);
		return -1;
	}
	if (PQntuples(res) != 1) {
		PQclear(res);
		http_send_error(req, 401, "unauthorized", NULL);
		return -1;
	}
	v = db_get_bytes(res, 0, 0, &n);
	memcpy(out->case_id, v, n < 16 ? n : 16);
	v = db_get_bytes(res, 0, 1, &m);
	memcpy(out->sign_pk, v, m < 32 ? m : 32);
	PQclear(res);
	if (n != 16 || m != 32) {
		http_send_error(req, 503, "unavailable", NULL);
		return -1;
	}
	sodium_bin2base64(out->case_b64, sizeof(out->case_b64), out->case_id, 16,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return 0;
}

int
session_reporter(struct http_request *req, struct session_reporter *out)
{
	if (req->auth == HTTP_AUTH_REPORTER) {	/* checked by the route */
		*out = req->reporter;
		return 0;
	}
	return session_reporter_check(req, out);
}

int
session_end(struct http_request *req)
{
	unsigned char	 hash[32];
	struct db_param	 p[1] = { DB_P_BYTES(hash, sizeof(hash)) };
	PGresult	*res;

	if (session_bearer_hash(req, hash) == -1)
		return http_send_error(req, 401, "unauthorized", NULL);
	if ((res = db_exec(DB_SESSION_END, 1, p, NULL)) == NULL)
		return http_send_error(req, 503, "unavailable", NULL);
	PQclear(res);
	return http_send_empty(req, 204, NULL);
}

static int
session_role_bit(const char *role)
{
	if (strcmp(role, "adviser") == 0)
		return SESSION_ROLE_ADVISER;
	if (strcmp(role, "coordinator") == 0)
		return SESSION_ROLE_COORDINATOR;
	if (strcmp(role, "admin") == 0)
		return SESSION_ROLE_ADMIN;
	if (strcmp(role, "analyst") == 0)
		return SESSION_ROLE_ANALYST;
	return 0;
}

/* The account token's check itself, whatever the role. */
static int
session_account_check(struct http_request *req, struct session_account *out)
{
	struct db_param	 p[2] = {
		DB_P_BYTES(out->token_hash, 32), DB_P_INT(SESSION_ADVISER_IDLE)
	};
	PGresult	*res;
	enum db_status	 st;
	int		 n, m;

	memset(out, 0, sizeof(*out));
	if (session_bearer_hash(req, out->token_hash) == -1) {
		http_send_error(req, 401, "unauthorized", NULL);
		return -1;
	}
	if ((res = db_exec(DB_ACCOUNT_SESSION, 2, p, &st)) == NULL) {
		http_send_error(req, 503, "unavailable", NULL);
		return -1;
	}
	if (PQntuples(res) != 1) {
		PQclear(res);
		http_send_error(req, 401, "unauthorized", NULL);
		return -1;
	}
	n = snprintf(out->id, sizeof(out->id), "%s", db_get_text(res, 0, 0));
	m = snprintf(out->role, sizeof(out->role), "%s", db_get_text(res, 0, 1));
	PQclear(res);
	if (n != 36 || m <= 0 || (size_t)m >= sizeof(out->role)) {
		http_send_error(req, 503, "unavailable", NULL);
		return -1;
	}
	return 0;
}

int
session_account(struct http_request *req, int roles,
    struct session_account *out)
{
	if (req->auth == HTTP_AUTH_ACCOUNT)	/* checked by the route */
		*out = req->account;
	else if (session_account_check(req, out) == -1)
		return -1;
	if ((session_role_bit(out->role) & roles) == 0) {
		http_send_error(req, 403, "forbidden", NULL);
		return -1;
	}
	return 0;
}

/*
 * The route table's authenticator: a reporter token, or an account token
 * of one of the route's roles, checked before the body is read and kept in
 * the request for the handler.
 */
int
session_authenticate(struct http_request *req, unsigned int auth)
{
	if (auth == ROUTE_REPORTER) {
		if (session_reporter(req, &req->reporter) == -1)
			return -1;
		req->auth = HTTP_AUTH_REPORTER;
		return 0;
	}
	if (session_account(req, (int)auth, &req->account) == -1)
		return -1;
	req->auth = HTTP_AUTH_ACCOUNT;
	return 0;
}

int
session_account_new(const char *account_id, char token[64],
    enum db_status *st)
{
	unsigned char	 hash[32];
	struct db_param	 p[3] = {
		DB_P_BYTES(hash, 32), DB_P_TEXT(account_id),
		DB_P_INT(SESSION_ADVISER_MAX),
	};
	PGresult	*res;

	*st = DB_OK;
	if (session_token_new(token, 64, hash) == -1) {
		*st = DB_ERROR;
		return -1;
	}
	if ((res = db_exec(DB_ACCOUNT_SESSION_NEW, 3, p, st)) == NULL) {
		sodium_memzero(token, 64);
		return -1;
	}
	PQclear(res);
	return 0;
}
