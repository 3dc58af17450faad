/*
 * session.h - the request's bearer token and the session it opens (SPEC
 * section 4): the route table's authenticator and the checks handlers
 * make. Tokens and sessions themselves: desk/sessions.h.
 */
#ifndef MELDPUNT_SESSION_H
#define MELDPUNT_SESSION_H

struct http_request;

#include "db.h"
#include "session_types.h"
#include "sizes.h"

/*
 * session_token_new: a fresh token (b64 text into text, TOKEN_B64_LEN + 1
 * bytes or more) and the hash to store. The caller sends text and forgets
 * it. As sessions_token_new.
 */
int	session_token_new(char *text, size_t textsz,
	    unsigned char hash[HASH_BYTES]);

/*
 * session_bearer_hash: hash of the request's "Authorization: Bearer" token,
 * or -1 when there is none or it is malformed.
 */
int	session_bearer_hash(struct http_request *req,
	    unsigned char hash[HASH_BYTES]);

/*
 * session_reporter: check the request's reporter token (refreshing its idle
 * timer). 0 and *out filled, or -1 after sending 401 (or 503).
 */
int	session_reporter(struct http_request *req, struct session_reporter *out);

/*
 * session_account: check the request's account token (idle 30 minutes,
 * absolute 12 hours, active account), refreshing its idle timer, and that
 * the account's role is one of roles. 0 and *out filled; or -1 after
 * sending 401 (no valid token), 403 (another role) or 503.
 */
int	session_account(struct http_request *req, int roles,
	    struct session_account *out);

/*
 * session_authenticate: the route table's authenticator (http_authenticate
 * in dispatch.h): for ROUTE_REPORTER a valid reporter token, else an
 * account token of one of the roles in auth. What it finds stays in the
 * request, where session_reporter and session_account find it again; 0, or
 * -1 after sending 401, 403 or 503.
 */
int	session_authenticate(struct http_request *req, unsigned int auth);

/*
 * session_account_new: a new account session: the token text
 * (TOKEN_B64_SIZE bytes) for the client. 0, or -1 with *st set. As
 * sessions_account_new.
 */
int	session_account_new(const char *account_id, char token[TOKEN_B64_SIZE],
	    enum db_status *st);

/*
 * session_end: DELETE /api/v1/reporter/session: forget the request's
 * token. 204 or 401.
 */
int	session_end(struct http_request *req);

#endif
