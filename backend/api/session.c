/*
 * session.c - the request's bearer token and its session: the route
 * table's authenticator and the checks handlers make. The sessions
 * themselves live in desk/sessions.c.
 */
#include <string.h>
#include <strings.h>

#include <civetweb.h>
#include <sodium.h>

#include "answer.h"
#include "dispatch.h"
#include "http.h"
#include "session.h"
#include "sessions.h"

int
session_token_new(char *text, size_t textsz, unsigned char hash[HASH_BYTES])
{
	return sessions_token_new(text, textsz, hash);
}

int
session_bearer_hash(struct http_request *req, unsigned char hash[HASH_BYTES])
{
	static const char	 bearer[] = "Bearer ";
	const char		*h = mg_get_header(req->conn, "Authorization");

	if (h == NULL || strncasecmp(h, bearer, sizeof(bearer) - 1) != 0)
		return -1;
	return sessions_token_hash(h + sizeof(bearer) - 1, hash);
}

/*
 * Refuse the request for r (sent here even for DESK_UNAVAILABLE: a session
 * check is made before the handler, whose -1 the dispatcher answers). -1.
 */
static int
session_refuse(struct http_request *req, enum desk_result r)
{
	if (answer_error(req, r) == -1)
		http_send_error(req, 503, "unavailable", NULL);
	return -1;
}

/* The reporter token's check itself; see session_reporter. */
static int
session_reporter_check(struct http_request *req, struct session_reporter *out)
{
	unsigned char		hash[HASH_BYTES];
	enum desk_result	r;

	if (session_bearer_hash(req, hash) == -1)
		r = DESK_UNAUTHORIZED;
	else
		r = sessions_reporter(hash, out);
	return r == DESK_OK ? 0 : session_refuse(req, r);
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
	unsigned char		hash[HASH_BYTES];
	enum desk_result	r;

	if (session_bearer_hash(req, hash) == -1)
		return answer_error(req, DESK_UNAUTHORIZED);
	r = sessions_end(hash);
	sodium_memzero(hash, sizeof(hash));
	return answer_empty(req, r);
}

/* The account token's check itself, whatever the role. */
static int
session_account_check(struct http_request *req, struct session_account *out)
{
	unsigned char		hash[HASH_BYTES];
	enum desk_result	r;

	memset(out, 0, sizeof(*out));
	if (session_bearer_hash(req, hash) == -1)
		r = DESK_UNAUTHORIZED;
	else
		r = sessions_account(hash, out);
	sodium_memzero(hash, sizeof(hash));
	return r == DESK_OK ? 0 : session_refuse(req, r);
}

int
session_account(struct http_request *req, int roles,
    struct session_account *out)
{
	if (req->auth == HTTP_AUTH_ACCOUNT)	/* checked by the route */
		*out = req->account;
	else if (session_account_check(req, out) == -1)
		return -1;
	if ((sessions_role_bit(out->role) & roles) == 0)
		return session_refuse(req, DESK_FORBIDDEN);
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
session_account_new(const char *account_id, char token[TOKEN_B64_SIZE],
    enum db_status *st)
{
	return sessions_account_new(account_id, token, st);
}
