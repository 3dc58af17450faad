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
 * Who may call a route: anyone, a reporter holding a token, or staff
 * holding an account token of one of the roles in the mask
 * (SESSION_ROLE_*). The dispatcher asks the authenticator before reading
 * a byte of the body.
 */
#define ROUTE_PUBLIC		0u
#define ROUTE_REPORTER		0x100u
#define ROUTE_STAFF		(SESSION_ROLE_ADVISER | SESSION_ROLE_COORDINATOR | \
				 SESSION_ROLE_ADMIN | SESSION_ROLE_ANALYST)

/*
 * http_authenticate: check the request's token against auth (never
 * ROUTE_PUBLIC), keeping what it found in the request (req->auth,
 * req->reporter, req->account). 0, or -1 after sending 401, 403 or 503.
 */
typedef int (*http_authenticate)(struct http_request *, unsigned int auth);

struct json_schema;

/*
 * A route: method, pattern, who may call, the body kind, the input schema
 * of a JSON body (the dispatcher parses and checks the body into a zeroed
 * struct of the schema's size at req->in, 400 naming the field at fault,
 * and wipes and frees it after the handler; NULL: the handler reads
 * req->body itself), and the handler.
 */
struct http_route {
	const char			*method;
	const char			*pattern; /* "/api/v1/cases/{}": {} is a segment */
	unsigned int			 auth;	  /* ROUTE_PUBLIC, ROUTE_REPORTER, roles */
	enum http_body			 body;
	const struct json_schema	*input;
	http_handler			 handler;
};

/*
 * dispatch_request: check the request's framing (one plain Content-Length, no
 * Transfer-Encoding with it, an origin-form target: else 400 and close),
 * match it against the NULL-terminated route table, check method (405),
 * the route's session (401/403), content type (415), length (411/413),
 * read a JSON body (400 on a short read) and parse it into the route's
 * input (400) before calling the handler; a handler that returns -1
 * without answering gets 503 sent for it.
 * Unmatched GETs go to the static file table; anything else is 404. Every
 * refusal of an unread body closes the connection after draining what the
 * client still sends, for a bounded time, so it reads the answer. Returns
 * the status sent.
 */
int	dispatch_request(struct mg_connection *conn, const struct config *cfg,
	    const struct http_route *routes, http_authenticate authenticate);

#endif
