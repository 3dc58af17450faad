/*
 * dispatch.h - the route table's shape, and the one way a request reaches
 * a handler.
 */
#ifndef MELDPUNT_DISPATCH_H
#define MELDPUNT_DISPATCH_H

#include "http.h"

struct mg_connection;
struct config;

enum http_body {
	HTTP_BODY_NONE,		/* no body expected */
	HTTP_BODY_JSON,		/* application/json, read whole, <= json_bytes */
	HTTP_BODY_STREAM	/* application/octet-stream, handler reads */
};

/*
 * A route: method, pattern, body kind, the session check that runs before
 * a byte of the body is read (NULL: public), and the handler. A check
 * sends its own refusal (401, 403, 503) and returns -1.
 */
struct http_route {
	const char		*method;
	const char		*pattern;	/* "/api/v1/cases/{}" : {} is one segment */
	enum http_body		 body;
	http_handler		 session;	/* NULL: no session needed */
	http_handler		 handler;
};

/*
 * dispatch_request: check the request's framing (one plain Content-Length, no
 * Transfer-Encoding with it, an origin-form target: else 400 and close),
 * match it against the NULL-terminated route table, check method (405),
 * the route's session (401/403), content type (415), length (411/413) and
 * read a JSON body (400 on a short read) before calling the handler.
 * Unmatched GETs go to the static file table; anything else is 404. Every
 * refusal of an unread body closes the connection after draining what the
 * client still sends, for a bounded time, so it reads the answer. Returns
 * the status sent.
 */
int	dispatch_request(struct mg_connection *conn, const struct config *cfg,
	    const struct http_route *routes);

#endif
