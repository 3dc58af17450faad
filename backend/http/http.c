/*
 * http.c - request checks, body reading and response writing.
 *
 * Order of checks for every API request, as in STYLE: route and method
 * (404/405), content type (415), Content-Length (411/413, before reading),
 * the whole body read in a loop, then the handler. Error bodies come from a
 * fixed table and never echo input.
 */
#define _GNU_SOURCE	/* strcasestr */
#include <stdint.h>
#include <stdio.h>
#include <strings.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <civetweb.h>
#include <cjson/cJSON.h>
#include <sodium.h>

#include "buf.h"
#include "config.h"
#include "http.h"
#include "log.h"


static const struct http_header http_security_headers[] = {
	{ "Content-Security-Policy", "default-src 'none'; script-src 'self' "
	    "'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
	    "font-src 'self'; connect-src 'self'; worker-src 'self'; "
	    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'; "
	    "require-trusted-types-for 'script'; trusted-types meldpunt-worker" },
	{ "Cross-Origin-Opener-Policy", "same-origin" },
	{ "Cross-Origin-Embedder-Policy", "require-corp" },
	{ "Cross-Origin-Resource-Policy", "same-origin" },
	{ "Referrer-Policy", "no-referrer" },
	{ "X-Content-Type-Options", "nosniff" },
	{ "X-Frame-Options", "DENY" },
	{ "X-Robots-Tag", "noindex, nofollow" },
	{ "Permissions-Policy", "accelerometer=(), ambient-light-sensor=(), "
	    "autoplay=(), battery=(), bluetooth=(), camera=(), "
	    "clipboard-read=(), clipboard-write=(self), display-capture=(), "
	    "document-domain=(), encrypted-media=(), fullscreen=(), "
	    "gamepad=(), geolocation=(), gyroscope=(), hid=(), "
	    "idle-detection=(), local-fonts=(), magnetometer=(), "
	    "microphone=(), midi=(), payment=(), picture-in-picture=(), "
	    "publickey-credentials-get=(), screen-wake-lock=(), serial=(), "
	    "sync-xhr=(), usb=(), web-share=(), xr-spatial-tracking=()" },
	{ NULL, NULL }
};

static const struct {
	const char	*code;
	const char	*message;
} http_error_messages[] = {
	{ "invalid_json", "The request body is not valid JSON of the expected shape." },
	{ "invalid_field", "A field is missing or has an invalid value." },
	{ "pow_invalid", "The proof of work does not meet the difficulty." },
	{ "bad_signature", "The signature does not verify." },
	{ "invalid_stream", "The attachment is not a whole encrypted stream." },
	{ "invalid_transition", "The case cannot move to that status." },
	{ "classification_required", "Closing needs a complete classification." },
	{ "bad_request", "The request could not be understood." },
	{ "unauthorized", "Authentication is required or has failed." },
	{ "forbidden", "This action is not allowed for this account." },
	{ "not_found", "Nothing was found here." },
	{ "method_not_allowed", "This method is not allowed here." },
	{ "challenge_invalid", "The challenge is unknown, expired or used." },
	{ "routing_changed", "The routing has changed; fetch it again." },
	{ "lookup_id_used", "This receipt is already in use." },
	{ "key_changed", "A recipient key is not the current certified key." },
	{ "excluded_by_reporter", "The reporter excluded this adviser." },
	{ "notes_key_exists", "This case already has a notes key." },
	{ "holders_changed", "The set of key holders has changed." },
	{ "attachment_id_used", "This attachment id is already in use." },
	{ "idempotency_mismatch", "This idempotency key was used for another request." },
	{ "purged", "This case has been purged." },
	{ "conflict", "The request conflicts with the current state." },
	{ "length_required", "A Content-Length header is required." },
	{ "too_large", "The request is too large." },
	{ "case_quota", "The case has no room for more attachments." },
	{ "unsupported_media_type", "This content type is not accepted here." },
	{ "rate_limited", "Too many requests; try again later." },
	{ "unavailable", "The service is temporarily unavailable." },
};

static const char *
http_error_message(const char *code)
{
	size_t i;

	for (i = 0; i < sizeof(http_error_messages) /
	    sizeof(http_error_messages[0]); i++)
		if (strcmp(http_error_messages[i].code, code) == 0)
			return http_error_messages[i].message;
	return "The request failed.";
}

/*
 * A response leaves in as few writes as possible: the whole head in one
 * buffer, and a small body with it. CivetWeb's header API sends one
 * segment per header line, which costs the peer a wake-up each.
 */
#define HTTP_ONE_WRITE_MAX	(64U * 1024)
#define HTTP_LINE_SIZE		128	/* the status line */
#define HTTP_DATE_SIZE		64	/* an IMF-fixdate, with room */
#define HTTP_SECONDS_SIZE	sizeof("4294967295")
#define HTTP_REFUSAL_SIZE	256	/* a refusal's error body */

static void
http_head_add(struct buf *b, const char *name, const char *value)
{
	buf_adds(b, name);
	buf_adds(b, ": ");
	buf_adds(b, value);
	buf_adds(b, "\r\n");
}

static void
http_head_add_list(struct buf *b, const struct http_header *h)
{
	for (; h != NULL && h->name != NULL; h++)
		http_head_add(b, h->name, h->value);
}

static int
http_is_http10(const struct mg_request_info *ri)
{
	return ri != NULL && ri->http_version != NULL &&
	    strcmp(ri->http_version, "1.1") != 0;
}

/* CivetWeb's own rule: the client's Connection header, else HTTP/1.1. */
static int
http_keep_alive(const struct http_request *req)
{
	const char *h = mg_get_header(req->conn, "Connection");

	if (req->close)
		return 0;
	if (h != NULL)
		return strcasestr(h, "keep-alive") != NULL;
	return !http_is_http10(mg_get_request_info(req->conn));
}

void
http_close_after(struct http_request *req)
{
	req->close = 1;
	mg_disable_keep_alive(req->conn);
}

void
http_body_reading(struct http_request *req)
{
	req->close = 0;
}

static int
http_head(struct http_request *req, struct buf *b, int status,
    const char *content_type, const struct http_header *extra,
    unsigned long long len)
{
	const struct mg_request_info	*ri = mg_get_request_info(req->conn);
	char				 line[HTTP_LINE_SIZE];
	char				 date[HTTP_DATE_SIZE];
	time_t				 now = time(NULL);
	struct tm			 tm;
	int				 n;

	n = snprintf(line, sizeof(line), "HTTP/%s %d %s\r\n",
	    http_is_http10(ri) ? "1.0" : "1.1", status,
	    mg_get_response_code_text(req->conn, status));
	if (n < 0 || (size_t)n >= sizeof(line) || gmtime_r(&now, &tm) == NULL ||
	    strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", &tm) == 0)
		return -1;
	buf_adds(b, line);
	http_head_add_list(b, http_security_headers);
	if (ri != NULL && ri->is_ssl)
		http_head_add(b, "Strict-Transport-Security",
		    "max-age=31536000; includeSubDomains");
	http_head_add_list(b, extra);
	if (content_type != NULL)
		http_head_add(b, "Content-Type", content_type);
	n = snprintf(line, sizeof(line), "%llu", len);
	if (n < 0 || (size_t)n >= sizeof(line))
		return -1;
	http_head_add(b, "Content-Length", line);
	http_head_add(b, "Date", date);
	http_head_add(b, "Connection", http_keep_alive(req) ? "keep-alive" :
	    "close");
	buf_adds(b, "\r\n");
	return 0;
}

static int
http_write_buf(struct http_request *req, struct buf *b)
{
	const char	*p = buf_cstr(b);
	int		 rc;

	rc = p != NULL && mg_write(req->conn, p, b->len) == (int)b->len ? 0 : -1;
	buf_free(b);
	return rc;
}

int
http_stream_start(struct http_request *req, int status,
    const char *content_type, const struct http_header *extra,
    unsigned long long len)
{
	struct buf b = BUF_INIT;

	req->status = status;
	if (http_head(req, &b, status, content_type, extra, len) == -1) {
		buf_free(&b);
		return -1;
	}
	return http_write_buf(req, &b);
}

int
http_respond(struct http_request *req, int status, const char *content_type,
    const struct http_header *extra, const void *body, size_t len)
{
	const struct mg_request_info	*ri = mg_get_request_info(req->conn);
	struct buf			 b = BUF_INIT;
	int				 with_body;

	/*
	 * Before the request line is parsed (errors) there is no method. A
	 * 304 has no body; its Content-Length is that of the 200 it stands
	 * for (RFC 9110 8.6).
	 */
	with_body = len > 0 && status != 304 && (ri == NULL ||
	    ri->request_method == NULL ||
	    strcmp(ri->request_method, "HEAD") != 0);
	req->status = status;
	if (http_head(req, &b, status, content_type, extra, len) == -1) {
		buf_free(&b);
		return -1;
	}
	if (with_body && len <= HTTP_ONE_WRITE_MAX) {
		buf_add(&b, body, len);
		with_body = 0;
	}
	if (http_write_buf(req, &b) == -1)
		return -1;
	if (with_body && mg_write(req->conn, body, len) != (int)len)
		return -1;
	return 0;
}

/*
 * The SPEC section 4 error body into body (size bytes): code, message, and
 * reason and field when not NULL. All are our own constants: nothing to
 * escape. Its length, or -1 when it does not fit.
 */
static int
http_error_body(char *body, size_t size, const char *code,
    const char *message, const char *reason, const char *field)
{
	int n;

	n = snprintf(body, size, "{\"error\":{\"code\":\"%s\",\"message\":\"%s\""
	    "%s%s%s%s%s%s}}", code, message,
	    reason != NULL ? ",\"reason\":\"" : "", reason != NULL ? reason : "",
	    reason != NULL ? "\"" : "",
	    field != NULL ? ",\"field\":\"" : "", field != NULL ? field : "",
	    field != NULL ? "\"" : "");
	return n < 0 || (size_t)n >= size ? -1 : n;
}

/* Send an error body, with Retry-After: retry when retry > 0. */
static int
http_send_error_body(struct http_request *req, int status, const char *body,
    size_t len, unsigned int retry)
{
	struct http_header	 h[3] = {
		{ "Cache-Control", "no-store" }, { "Retry-After", NULL },
		{ NULL, NULL }
	};
	char			 after[HTTP_SECONDS_SIZE];
	int			 n;

	if (retry == 0)
		return http_send_json(req, status, body, len);
	n = snprintf(after, sizeof(after), "%u", retry);
	if (n < 0 || (size_t)n >= sizeof(after))
		return -1;
	h[1].value = after;
	return http_respond(req, status, "application/json; charset=utf-8", h,
	    body, len);
}

int
http_refusal(struct buf *b, int status, const char *code,
    unsigned int retry_after)
{
	char	 line[HTTP_LINE_SIZE], date[HTTP_DATE_SIZE];
	char	 body[HTTP_REFUSAL_SIZE];
	time_t	 now = time(NULL);
	struct tm tm;
	int	 n, m;

	n = http_error_body(body, sizeof(body), code, http_error_message(code),
	    NULL, NULL);
	if (n < 0 || gmtime_r(&now, &tm) == NULL ||
	    strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", &tm) == 0)
		return -1;
	m = snprintf(line, sizeof(line), "HTTP/1.1 %d %s\r\n", status,
	    status == 429 ? "Too Many Requests" : "Service Unavailable");
	if (m < 0 || (size_t)m >= sizeof(line))
		return -1;
	buf_adds(b, line);
	http_head_add_list(b, http_security_headers);
	http_head_add(b, "Cache-Control", "no-store");
	m = snprintf(line, sizeof(line), "%u", retry_after);
	if (m < 0 || (size_t)m >= sizeof(line))
		return -1;
	http_head_add(b, "Retry-After", line);
	http_head_add(b, "Content-Type", "application/json; charset=utf-8");
	m = snprintf(line, sizeof(line), "%d", n);
	if (m < 0 || (size_t)m >= sizeof(line))
		return -1;
	http_head_add(b, "Content-Length", line);
	http_head_add(b, "Date", date);
	http_head_add(b, "Connection", "close");
	buf_adds(b, "\r\n");
	buf_add(b, body, (size_t)n);
	return buf_cstr(b) == NULL ? -1 : 0;
}

int
http_send_json(struct http_request *req, int status, const char *json,
    size_t len)
{
	static const struct http_header api[] = {
		{ "Cache-Control", "no-store" },
		{ NULL, NULL }
	};

	return http_respond(req, status, "application/json; charset=utf-8",
	    api, json, len);
}

int
http_send_cjson(struct http_request *req, int status, cJSON *obj)
{
	char	*text;
	int	 rc;

	if (obj == NULL)
		return http_send_error(req, 503, "unavailable", NULL);
	text = cJSON_PrintUnformatted(obj);
	cJSON_Delete(obj);
	if (text == NULL)
		return http_send_error(req, 503, "unavailable", NULL);
	rc = http_send_json(req, status, text, strlen(text));
	cJSON_free(text);	/* wiped first (json_mem.c): answers carry tokens */
	return rc;
}

int
http_send_error(struct http_request *req, int status, const char *code,
    const char *field)
{
	char	 body[512];
	int	 n;

	if ((n = http_error_body(body, sizeof(body), code,
	    http_error_message(code), NULL, field)) == -1)
		return -1;
	return http_send_error_body(req, status, body, (size_t)n,
	    status == 429 ? 60 : 0);
}

int
http_send_refusal(struct http_request *req, int status, const char *code,
    const char *field, const char *reason, const char *message,
    unsigned int retry)
{
	char		 body[768];
	const char	*c;
	int		 n;

	for (c = message; *c != '\0'; c++)
		if (*c == '"' || *c == '\\' || (unsigned char)*c < 0x20)
			return -1;
	if ((n = http_error_body(body, sizeof(body), code, message, reason,
	    field)) == -1)
		return -1;
	return http_send_error_body(req, status, body, (size_t)n, retry);
}

int
http_send_retry(struct http_request *req, int status, const char *code,
    unsigned int seconds)
{
	char	 body[256];
	int	 n;

	if ((n = http_error_body(body, sizeof(body), code,
	    http_error_message(code), NULL, NULL)) == -1)
		return -1;
	return http_send_error_body(req, status, body, (size_t)n,
	    seconds == 0 ? 1 : seconds);
}

int
http_send_rate_limited(struct http_request *req, unsigned int seconds)
{
	return http_send_retry(req, 429, "rate_limited", seconds);
}

int
http_send_empty(struct http_request *req, int status,
    const struct http_header *extra)
{
	return http_respond(req, status, NULL, extra, "", 0);
}

int
http_path_valid(const char *path, size_t len)
{
	size_t i;

	if (len == 0 || len > HTTP_PATH_MAX || path[0] != '/')
		return 0;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)path[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		    c == '~' || c == '/' || c == '-'))
			return 0;
		if (c == '/' && i + 1 < len && path[i + 1] == '/')
			return 0;
		if (c == '.' && i + 1 < len && path[i + 1] == '.')
			return 0;
	}
	return 1;
}

int
http_route_match(const char *pattern, const char *path, const char **params,
    char *buf, size_t bufsz)
{
	size_t	 used = 0, n, np = 0;
	const char *seg;

	while (*pattern != '\0') {
		if (pattern[0] == '{' && pattern[1] == '}') {
			seg = path;
			while (*path != '\0' && *path != '/')
				path++;
			n = (size_t)(path - seg);
			if (n == 0 || np == HTTP_MAX_PARAMS || used + n + 1 > bufsz)
				return 0;
			memcpy(buf + used, seg, n);
			buf[used + n] = '\0';
			params[np++] = buf + used;
			used += n + 1;
			pattern += 2;
			continue;
		}
		if (*pattern != *path)
			return 0;
		pattern++;
		path++;
	}
	return *path == '\0';
}

int
http_query_get(const struct http_request *req, const char *key, char *out,
    size_t outsz)
{
	if (req->query == NULL)
		return -1;
	if (mg_get_var(req->query, strlen(req->query), key, out, outsz) < 0)
		return -1;
	return 0;
}

/* Milliseconds on a monotonic clock. */
static long long
http_now_ms(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		return 0;
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

long long
http_body_deadline_ms(long long len)
{
	return http_now_ms() + HTTP_BODY_GRACE_MS +
	    (len > 0 ? len / HTTP_BODY_MIN_RATE * 1000 : 0);
}

int
http_body_late(long long deadline_ms)
{
	return http_now_ms() > deadline_ms;
}

void
http_refuse_body(struct http_request *req)
{
	char		 sink[4096];
	long long	 start = http_now_ms(), deadline = start + HTTP_LINGER_MS;
	size_t		 drained = 0, step = HTTP_LINGER_STEP;
	int		 n;

	http_close_after(req);
	if (req->body != NULL)
		return;		/* read whole: nothing left */
	/*
	 * A client that waits for "100 Continue" has sent nothing; one with a
	 * chunked or unknown length is not drained either.
	 */
	if (req->content_length <= 0 || mg_get_header(req->conn, "Expect") != NULL)
		return;
	while (drained < HTTP_LINGER_BYTES && http_now_ms() < deadline) {
		if ((n = mg_read(req->conn, sink, sizeof(sink))) <= 0)
			break;
		drained += (size_t)n;
		if (drained >= step) {	/* progress: a little longer */
			step = drained + HTTP_LINGER_STEP;
			deadline = http_now_ms() + HTTP_LINGER_MS;
			if (deadline > start + HTTP_LINGER_MAX_MS)
				deadline = start + HTTP_LINGER_MAX_MS;
		}
	}
	sodium_memzero(sink, sizeof(sink));
}

static const char *
http_error_code_for(int status)
{
	switch (status) {
	case 404:
		return "not_found";
	case 405:
		return "method_not_allowed";
	case 411:
		return "length_required";
	case 413:
	case 414:
	case 431:
		return "too_large";
	case 415:
		return "unsupported_media_type";
	case 429:
		return "rate_limited";
	case 505:
		return "bad_request";
	case 500:
	case 503:
		return "unavailable";
	default:
		return "bad_request";
	}
}

/* Marks a connection whose failed request CivetWeb had us answer. */
static const char http_error_answered = 1;

int
http_error_callback(struct mg_connection *conn, int status, const char *msg)
{
	struct http_request req;

	(void)msg;	/* may quote the request */
	memset(&req, 0, sizeof(req));
	req.conn = conn;
	req.close = 1;
	mg_set_user_connection_data(conn, (void *)&http_error_answered);
	if (status == 414 || status == 431)
		status = 413;
	else if (status == 411)		/* CivetWeb: Content-Length not a number */
		status = 400;
	else if (status != 505 && status >= 500)
		status = 503;
	else if (status != 404 && status != 405 && status != 411 &&
	    status != 413 && status != 415 && status != 429 && status != 505)
		status = 400;
	mg_disable_keep_alive(conn);
	http_send_error(&req, status, http_error_code_for(status), NULL);
	return 0;
}

void
http_connection_closing(const struct mg_connection *conn)
{
	const struct mg_request_info	*ri = mg_get_request_info(conn);
	struct http_request		 req;

	if (ri == NULL || ri->request_method == NULL || ri->local_uri != NULL ||
	    mg_get_user_connection_data(conn) == &http_error_answered)
		return;
	memset(&req, 0, sizeof(req));
	req.conn = (struct mg_connection *)(uintptr_t)conn;
	req.close = 1;
	http_send_error(&req, 400, "bad_request", NULL);
}
