/*
 * attach.c - attachment upload and download: the request's headers and
 * body, and the response stream, around desk/attachments.c.
 */
#include <stdlib.h>
#include <string.h>

#include <civetweb.h>
#include <cjson/cJSON.h>

#include "answer.h"
#include "attach.h"
#include "attachments.h"
#include "config.h"
#include "http.h"
#include "json_out.h"

/*
 * Read exactly n bytes of the body before deadline (http_body_deadline_ms).
 * 0, or -1 when the client went away or sends too slowly.
 */
static int
attach_read(struct http_request *req, char *p, size_t n, long long deadline)
{
	size_t	got = 0;
	int	r;

	while (got < n) {
		r = mg_read(req->conn, p + got, n - got);
		if (r <= 0 || http_body_late(deadline))
			return -1;
		got += (size_t)r;
	}
	return 0;
}

/*
 * Stream the body into the upload, piece by piece, and finish it.
 * DESK_STREAM_INVALID when the body falls short, else the desk's result.
 */
static enum desk_result
attach_store_body(struct http_request *req, struct attachment_upload *u)
{
	unsigned long long	 left = (unsigned long long)req->content_length;
	long long		 deadline;
	char			*piece;
	size_t			 n;
	enum desk_result	 r = DESK_OK;

	deadline = http_body_deadline_ms(req->content_length);
	if ((piece = malloc(ATTACHMENTS_PIECE)) == NULL)
		return DESK_STREAM_INVALID;
	while (left > 0 && r == DESK_OK) {
		n = left > ATTACHMENTS_PIECE ? ATTACHMENTS_PIECE : (size_t)left;
		if (attach_read(req, piece, n, deadline) == -1)
			r = DESK_STREAM_INVALID;
		else
			r = attachments_piece(u, piece, n);
		left -= n;
	}
	free(piece);
	return r == DESK_OK ? attachments_finish(u) : r;
}

static int
attach_created(struct http_request *req, const struct attachment_upload *u)
{
	cJSON *out;

	if ((out = cJSON_CreateObject()) == NULL ||
	    json_add_b64(out, "id", u->id, ID_BYTES) == -1) {
		cJSON_Delete(out);
		return -1;
	}
	return http_send_cjson(req, 201, out);
}

int
attach_upload(struct http_request *req, const unsigned char case_id[ID_BYTES],
    const char *author, const char *account_id)
{
	struct attachment_upload	 u;
	enum desk_result		 r;
	int				 rc;

	memset(&u, 0, sizeof(u));
	u.case_id = case_id;
	u.author = author;
	u.account_id = account_id;
	r = attachments_check(&u, (unsigned long long)req->content_length,
	    req->cfg->attachment_bytes,
	    mg_get_header(req->conn, "X-Meldpunt-Attachment-Id"),
	    mg_get_header(req->conn, "X-Meldpunt-Meta"));
	if (r == DESK_OK)
		r = attachments_begin(&u, req->cfg->case_bytes);
	if (r != DESK_OK) {
		attachments_end(&u);
		return answer_error(req, r);
	}
	http_body_reading(req);
	if ((r = attach_store_body(req, &u)) != DESK_OK) {
		attachments_end(&u);
		http_close_after(req);
		return answer_error(req, r);
	}
	rc = attach_created(req, &u);
	attachments_end(&u);
	return rc;
}

/* The stream's writer: one piece to the client. 0, or -1. */
static int
attach_write(void *arg, const unsigned char *p, size_t n)
{
	struct http_request *req = arg;

	return mg_write(req->conn, p, n) == (int)n ? 0 : -1;
}

int
attach_download(struct http_request *req,
    const unsigned char case_id[ID_BYTES], const char *id_b64)
{
	static const struct http_header headers[] = {
		{ "Cache-Control", "no-store" },
		{ "Content-Disposition", "attachment" },
		{ NULL, NULL }
	};
	unsigned char		 id[ID_BYTES];
	unsigned long long	 total;
	long long		 pieces;
	enum desk_result	 r;

	if ((r = attachments_open(case_id, id_b64, id, &total, &pieces)) !=
	    DESK_OK)
		return answer_error(req, r);
	if (http_stream_start(req, 200, "application/octet-stream", headers,
	    total) == -1)
		return -1;
	/* Headers are out: a failure now can only close the connection. */
	if (attachments_each_piece(id, pieces, attach_write, req) != DESK_OK)
		http_close_after(req);
	return 0;
}
