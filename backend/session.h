/*
 * session.h - bearer tokens and sessions (SPEC section 4). A token is 32
 * random bytes given to the client once; the database holds only its keyed
 * hash. Sessions end when idle too long, at an absolute limit, or on logout.
 */
#ifndef MELDPUNT_SESSION_H
#define MELDPUNT_SESSION_H

struct http_request;

#define SESSION_TOKEN_BYTES	32
#define SESSION_REPORTER_IDLE	(30 * 60)
#define SESSION_REPORTER_MAX	(2 * 60 * 60)
#define SESSION_ADVISER_IDLE	(30 * 60)
#define SESSION_ADVISER_MAX	(12 * 60 * 60)

/* What a valid reporter token opens: one case. */
struct session_reporter {
	unsigned char	case_id[16];
	char		case_b64[24];		/* the id as the API shows it */
	unsigned char	sign_pk[32];		/* reporter signing key */
};

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

/* session_end: DELETE /.../session: forget the request's token. 204 or 401. */
int	session_end(struct http_request *req);

#endif
