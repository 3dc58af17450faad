/*
 * dispatch.c - one request from CivetWeb to its handler: framing, route,
 * session, body, handler, and what is left of the request wiped after.
 *
 * Order of checks for every API request, as in STYLE: framing (400), route
 * and method (404/405), the route's session (401/403), content type (415),
 * Content-Length (411/413, before reading), the whole body read in a loop
 * at the minimum rate, then the handler. Unmatched GETs go to the static
 * files.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <civetweb.h>
#include <cjson/cJSON.h>
#include <sodium.h>

#include "config.h"
#include "dispatch.h"
#include "gate.h"
#include "http.h"
#include "json_in.h"
#include "static.h"

static int
dispatch_content_type_is(struct mg_connection *conn, const char *want)
{
	const char	*ct = mg_get_header(conn, "Content-Type");
	size_t		 n = strlen(want);

	if (ct == NULL || strncasecmp(ct, want, n) != 0)
		return 0;
	return ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ';
}

/*
 * Read exactly req->content_length bytes into a fresh NUL-terminated body,
 * at no less than the minimum rate. On failure what was read is wiped.
 */
static int
dispatch_read_body(struct http_request *req)
{
	size_t		 want = (size_t)req->content_length, got = 0;
	long long	 deadline = http_body_deadline_ms(req->content_length);
	int		 n;

	if ((req->body = malloc(want + 1)) == NULL)
		return -1;
	while (got < want) {
		n = mg_read(req->conn, req->body + got, want - got);
		if (n <= 0 || http_body_late(deadline)) {
			req->body_len = got + (n > 0 ? (size_t)n : 0);
			return -1;
		}
		got += (size_t)n;
	}
	req->body[got] = '\0';
	req->body_len = got;
	return 0;
}

/* Check length and type for the route's body kind; send the error if any. */
static int
dispatch_check_body(struct http_request *req, const struct http_route *route)
{
	const struct config *cfg = req->cfg;

	if (route->body == HTTP_BODY_NONE) {
		if (req->content_length > 0) {
			http_send_error(req, 413, "too_large", NULL);
			return -1;
		}
		return 0;
	}
	if (req->content_length < 0) {
		http_send_error(req, 411, "length_required", NULL);
		return -1;
	}
	if (!dispatch_content_type_is(req->conn, route->body == HTTP_BODY_JSON ?
	    "application/json" : "application/octet-stream")) {
		http_send_error(req, 415, "unsupported_media_type", NULL);
		return -1;
	}
	if (route->body == HTTP_BODY_STREAM)
		return 0;
	if ((size_t)req->content_length > cfg->json_bytes) {
		http_send_error(req, 413, "too_large", NULL);
		return -1;
	}
	if (dispatch_read_body(req) == -1) {
		http_send_error(req, 400, "invalid_json", NULL);
		return -1;
	}
	req->close = 0;		/* the body is read: the connection may stay */
	return 0;
}

/*
 * The request's framing, before anything else: at most one Content-Length
 * of digits only, no Transfer-Encoding beside it (either would let a proxy
 * and the daemon disagree on where a request ends), an origin-form target.
 * Sends 400 (or 411 for a chunked body) and returns -1 when it fails.
 */
static int
dispatch_check_framing(struct http_request *req, const struct mg_request_info *ri)
{
	const char	*v;
	int		 i, lengths = 0, encodings = 0;

	for (i = 0; i < ri->num_headers; i++) {
		if (strcasecmp(ri->http_headers[i].name, "Transfer-Encoding") == 0)
			encodings++;
		if (strcasecmp(ri->http_headers[i].name, "Content-Length") != 0)
			continue;
		lengths++;
		v = ri->http_headers[i].value;
		if (v == NULL || *v == '\0' || strlen(v) > 18 ||
		    strspn(v, "0123456789") != strlen(v))
			goto bad;
	}
	if (lengths > 1 || (encodings > 0 && lengths > 0))
		goto bad;
	if (ri->request_uri == NULL || ri->request_uri[0] != '/')
		goto bad;
	if (encodings > 0) {
		http_close_after(req);
		http_send_error(req, 411, "length_required", NULL);
		return -1;
	}
	return 0;
bad:
	http_close_after(req);
	http_send_error(req, 400, "bad_request", NULL);
	return -1;
}

static const struct http_route *
dispatch_find_route(struct http_request *req, const struct http_route *routes,
    const char *path, int *path_known)
{
	const struct http_route *r;

	*path_known = 0;
	for (r = routes; r->pattern != NULL; r++) {
		if (!http_route_match(r->pattern, path, req->params,
		    req->param_buf, sizeof(req->param_buf)))
			continue;
		*path_known = 1;
		if (strcmp(r->method, req->method) == 0)
			return r;
	}
	return NULL;
}

/* Parse the body into a zeroed struct of the route's input schema. */
static int
dispatch_parse_input(struct http_request *req, const struct json_schema *in)
{
	const char	*code, *field;

	if ((req->in = calloc(1, in->size)) == NULL) {
		http_send_error(req, 503, "unavailable", NULL);
		return -1;
	}
	req->json = json_in_parse(req->body, req->body_len, in->fields,
	    in->nfields, req->in, &code, &field);
	if (req->json == NULL) {
		http_send_error(req, 400, code, field);
		return -1;
	}
	return 0;
}

/* Wipe and free what the request holds: bodies and sessions hold secrets. */
static void
dispatch_request_end(struct http_request *req, const struct http_route *route)
{
	if (req->in != NULL) {
		json_in_clear(route->input, req->in);
		free(req->in);
		req->in = NULL;
	}
	cJSON_Delete(req->json);
	req->json = NULL;
	if (req->body != NULL) {
		sodium_memzero(req->body, req->body_len);
		free(req->body);
		req->body = NULL;
	}
	sodium_memzero(&req->reporter, sizeof(req->reporter));
	sodium_memzero(&req->account, sizeof(req->account));
}

/*
 * Route, session, body and handler, once the path is known to be ours. A
 * refusal before the body is read is sent with "Connection: close" (the
 * dispatcher set req->close while a body is unread).
 */
static void
dispatch_run_route(struct http_request *req, const struct http_route *route,
    http_authenticate authenticate)
{
	if ((route->auth != ROUTE_PUBLIC && authenticate(req, route->auth) == -1) ||
	    dispatch_check_body(req, route) == -1)
		return;
	if (route->input != NULL && route->body == HTTP_BODY_JSON &&
	    dispatch_parse_input(req, route->input) == -1)
		return;
	if (route->handler(req) == -1 && req->status == 0)
		http_send_error(req, 503, "unavailable", NULL);
}

int
dispatch_request(struct mg_connection *conn, const struct config *cfg,
    const struct http_route *routes, http_authenticate authenticate)
{
	const struct mg_request_info	*ri = mg_get_request_info(conn);
	struct http_request		 req;
	const struct http_route		*route = NULL;
	char				 path[HTTP_PATH_MAX + 1];
	const char			*q;
	size_t				 len;
	int				 known;

	memset(&req, 0, sizeof(req));
	req.conn = conn;
	req.cfg = cfg;
	req.method = ri->request_method;
	req.content_length = ri->content_length;
	req.query = ri->query_string;
	/* An unread body closes the connection: it must not pass for a request. */
	req.close = req.content_length > 0;
	if (dispatch_check_framing(&req, ri) == -1)
		goto done;
	if (gate_draining()) {
		http_close_after(&req);
		http_send_retry(&req, 503, "unavailable", GATE_RETRY_STOP);
		goto done;
	}
	/*
	 * The raw target (decode_url is off): a decoded form would hide
	 * "%00". CivetWeb has already split off the query string.
	 */
	q = strchr(ri->request_uri, '?');
	len = q != NULL ? (size_t)(q - ri->request_uri) : strlen(ri->request_uri);
	if (!http_path_valid(ri->request_uri, len)) {
		http_send_error(&req, 404, "not_found", NULL);
		goto done;
	}
	memcpy(path, ri->request_uri, len);
	path[len] = '\0';

	route = dispatch_find_route(&req, routes, path, &known);
	if (route != NULL)
		dispatch_run_route(&req, route, authenticate);
	else if (known)
		http_send_error(&req, 405, "method_not_allowed", NULL);
	else if (strcmp(req.method, "GET") == 0 ||
	    strcmp(req.method, "HEAD") == 0)
		static_serve(&req, path);
	else if (strncmp(path, "/api/", 5) == 0)
		http_send_error(&req, 404, "not_found", NULL);
	else
		http_send_error(&req, 405, "method_not_allowed", NULL);
done:
	/*
	 * Whatever closes the connection with a body left unread (a refusal,
	 * no route, a stream its handler refused or left midway) drains it
	 * first, so the client reads the answer and not a reset.
	 */
	if (req.close)
		http_refuse_body(&req);
	dispatch_request_end(&req, route);
	return req.status;
}
