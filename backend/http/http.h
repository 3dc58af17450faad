/*
 * http.h - the one place where requests are checked and responses written.
 *
 * Every response, error or not, leaves through http_respond, which adds the
 * security headers of SPEC section 7. Error bodies never echo input.
 */
#ifndef MELDPUNT_HTTP_H
#define MELDPUNT_HTTP_H

#include <stddef.h>

#include "session_types.h"

struct mg_connection;
struct cJSON;
struct config;

#define HTTP_MAX_PARAMS	4
#define HTTP_PATH_MAX	512	/* bytes of a path we serve */


struct http_request {
	struct mg_connection	*conn;
	const struct config	*cfg;
	const char		*method;
	const char		*query;		/* raw query string or NULL */
	const char		*params[HTTP_MAX_PARAMS]; /* {x} path segments */
	char			 param_buf[512];
	char			*body;		/* NUL-terminated JSON body */
	size_t			 body_len;
	void			*in;		/* the body parsed per the route's
						   input schema, or NULL */
	struct cJSON		*json;		/* its tree: borrowed values */
	long long		 content_length;/* -1 when absent */
	int			 status;	/* what was sent, for the log */
	int			 close;		/* close the connection after */
	/* What the route's session check found (session.c fills these). */
	enum http_auth {
		HTTP_AUTH_NONE,			/* not checked */
		HTTP_AUTH_REPORTER,		/* reporter holds a valid token */
		HTTP_AUTH_ACCOUNT		/* account holds a valid token */
	}			 auth;
	struct session_reporter	 reporter;
	struct session_account	 account;
};

/* A handler sends exactly one response and returns 0, or -1 on failure. */
typedef int (*http_handler)(struct http_request *);


/* An extra header for http_respond; the list ends with a NULL name. */
struct http_header {
	const char	*name;
	const char	*value;
};


/*
 * http_respond: send status, the security headers, the given extra headers,
 * content type (may be NULL for an empty body) and body. A HEAD request
 * and a 304 get the head only (body may then be NULL).
 */
int	http_respond(struct http_request *req, int status,
	    const char *content_type, const struct http_header *extra,
	    const void *body, size_t len);

/*
 * http_stream_start: send status and headers for a body of len bytes that
 * the caller then writes with mg_write (downloads streamed from storage).
 */
int	http_stream_start(struct http_request *req, int status,
	    const char *content_type, const struct http_header *extra,
	    unsigned long long len);

/* http_close_after: close the connection after this response. */
void	http_close_after(struct http_request *req);

/*
 * A streamed body (HTTP_BODY_STREAM) is left to its handler, which may
 * refuse it unread: until the handler calls http_body_reading, its answer
 * says close and the connection is closed. http_body_reading: the handler
 * now reads the whole body (on failure midway it calls http_close_after).
 */
void	http_body_reading(struct http_request *req);

/*
 * Bodies arrive at no less than HTTP_BODY_MIN_RATE bytes a second after a
 * grace of HTTP_BODY_GRACE_MS, whatever the head timeout: a client that
 * trickles a body holds a worker for a bounded time only.
 * http_body_deadline_ms: the deadline for a body of len bytes, from now.
 * http_body_late: 1 once deadline has passed.
 */
#define HTTP_BODY_GRACE_MS	10000
#define HTTP_BODY_MIN_RATE	(16 * 1024)
long long http_body_deadline_ms(long long len);
int	http_body_late(long long deadline_ms);

/*
 * http_refuse_body: after a refusal sent with the body unread, close the
 * connection, first reading and dropping what the client still sends, so
 * that the client reads the answer instead of a reset. The reading stops
 * after HTTP_LINGER_MS without HTTP_LINGER_STEP bytes arriving (a slow
 * client), after HTTP_LINGER_MAX_MS in all, or after HTTP_LINGER_BYTES.
 */
#define HTTP_LINGER_MS		2000
#define HTTP_LINGER_STEP	(1024U * 1024)
#define HTTP_LINGER_MAX_MS	10000
#define HTTP_LINGER_BYTES	(256U * 1024 * 1024)
void	http_refuse_body(struct http_request *req);

/*
 * http_refusal: a whole response (status 429 or 503, SPEC's headers,
 * Retry-After, "Connection: close", the error body for code) appended to
 * b, for a connection refused before CivetWeb reads from it (gate.c).
 * 0, or -1; the caller frees b.
 */
struct buf;
int	http_refusal(struct buf *b, int status, const char *code,
	    unsigned int retry_after);

/* http_send_json: send a JSON text with the API headers. */
int	http_send_json(struct http_request *req, int status, const char *json,
	    size_t len);

/* http_send_cjson: print and send obj, then cJSON_Delete it (NULL: 503). */
int	http_send_cjson(struct http_request *req, int status, struct cJSON *obj);

/*
 * http_send_error: the SPEC section 4 error body for code; field may be
 * NULL. The message comes from a fixed table: nothing from the request.
 */
int	http_send_error(struct http_request *req, int status, const char *code,
	    const char *field);

/* http_send_retry: the error body for code with Retry-After: seconds. */
int	http_send_retry(struct http_request *req, int status, const char *code,
	    unsigned int seconds);

/*
 * http_send_refusal: an error body whose message says exactly why, and a
 * machine-readable reason next to the code:
 *	{"error":{"code":..,"message":..,"reason":..[,"field":..]}}
 * message and reason are the caller's constants (never request data; a
 * message with a quote, backslash or control character is refused). A
 * 503 carries Retry-After: retry seconds when retry > 0.
 */
int	http_send_refusal(struct http_request *req, int status,
	    const char *code, const char *field, const char *reason,
	    const char *message, unsigned int retry);

/* http_send_rate_limited: 429 rate_limited with Retry-After: seconds. */
int	http_send_rate_limited(struct http_request *req, unsigned int seconds);

/* http_send_empty: a response without body, e.g. 204, with extra headers. */
int	http_send_empty(struct http_request *req, int status,
	    const struct http_header *extra);

/*
 * http_error_callback: CivetWeb's http_error hook, so that errors CivetWeb
 * finds itself (bad request line, headers too large) get our headers and
 * body too. Returns 0: handled.
 */
int	http_error_callback(struct mg_connection *conn, int status,
	    const char *msg);

/*
 * http_connection_closing: CivetWeb's connection_close hook. CivetWeb 1.15
 * parses a request whose target is "*" or another host's absolute URI and
 * then closes the connection without any answer, calling neither
 * begin_request nor http_error; such a request gets its 400 here, as the
 * connection closes.
 */
void	http_connection_closing(const struct mg_connection *conn);

/*
 * http_path_valid: the raw path may hold only [A-Za-z0-9._~/-], no "..",
 * no "//", at most 512 bytes. Pure; exposed for unit tests.
 */
int	http_path_valid(const char *path, size_t len);

/*
 * http_route_match: match path (without query) against pattern, copying
 * {} segments into buf and pointing params at them. Returns 1 on a match.
 */
int	http_route_match(const char *pattern, const char *path,
	    const char **params, char *buf, size_t bufsz);

/* http_query_get: copy the value of key from the raw query; -1 if absent. */
int	http_query_get(const struct http_request *req, const char *key,
	    char *out, size_t outsz);

#endif
