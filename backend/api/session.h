/*
 * session.h - bearer tokens and sessions (SPEC section 4). A token is 32
 * random bytes given to the client once; the database holds only its keyed
 * hash. Sessions end when idle too long, at an absolute limit, or on logout.
 */
#ifndef MELDPUNT_SESSION_H
#define MELDPUNT_SESSION_H

struct http_request;

#include "db.h"
#include "session_types.h"


/*
 * session_token_new: a fresh token (b64 text into text, 44+ bytes) and the
 * hash to store. The caller sends text and forgets it.
 */
int	session_token_new(char *text, size_t textsz, unsigned char hash[32]);

/*
 * session_bearer_hash: hash of the request's "Authorization: Bearer" token,
 * or -1 when there is none or it is malformed.
 */
int	session_bearer_hash(struct http_request *req, unsigned char hash[32]);

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
 * session_account_new: a new account session: the token text (64 bytes)
 * for the client. 0, or -1 with *st set.
 */
int	session_account_new(const char *account_id, char token[64],
	    enum db_status *st);

/* session_end: DELETE /.../session: forget the request's token. 204 or 401. */
int	session_end(struct http_request *req);

#endif
