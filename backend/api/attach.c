/*
 * attach.c - attachment upload and download.
 */
#include <stdlib.h>
#include <string.h>

#include <civetweb.h>
#include <cjson/cJSON.h>
#include <sodium.h>

#include "attach.h"
#include "audit.h"
#include "b64.h"
#include "cases.h"
#include "config.h"
#include "db.h"
#include "http.h"
#include "json_in.h"
#include "json_out.h"
#include "seal.h"

#define ATTACH_PIECE	(ATTACH_PIECE_CHUNKS * ATTACH_CHUNK)

struct attach_upload_state {
	unsigned char	 id[16];
	unsigned char	*meta;
	size_t		 meta_len;
	unsigned long long padded;
	char		*piece;
};

/* Headers: the attachment id and the encrypted metadata. 0, or the field. */
static const char *
attach_headers(struct http_request *req, struct attach_upload_state *u)
{
	const char	*id = mg_get_header(req->conn, "X-Meldpunt-Attachment-Id");
	const char	*meta = mg_get_header(req->conn, "X-Meldpunt-Meta");
	size_t		 n;

	if (id == NULL || json_in_b64(id, u->id, sizeof(u->id)) == -1)
		return "X-Meldpunt-Attachment-Id";
	if (meta == NULL || (n = strlen(meta)) > ATTACH_META_MAX || n < 64)
		return "X-Meldpunt-Meta";
	if ((u->meta = malloc(n)) == NULL)
		return "X-Meldpunt-Meta";
	if (b64_decode(u->meta, n, meta, n, &u->meta_len) != 0 ||
	    u->meta_len < 24 + 16 + 256 || (u->meta_len - 40) % 256 != 0)
		return "X-Meldpunt-Meta";
	return NULL;
}

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

/* Stream the body into attachment_chunks; inside the caller's transaction. */
static int
attach_store_body(struct http_request *req, struct attach_upload_state *u,
    enum db_status *st)
{
	unsigned long long	 left = (unsigned long long)req->content_length;
	size_t			 n;
	long long		 piece = 0;
	long long		 deadline;
	PGresult		*res;

	deadline = http_body_deadline_ms(req->content_length);
	if ((u->piece = malloc(ATTACH_PIECE)) == NULL)
		return -1;
	while (left > 0) {
		n = left > ATTACH_PIECE ? ATTACH_PIECE : (size_t)left;
		if (attach_read(req, u->piece, n, deadline) == -1)
			return -1;
		{
			struct db_param p[3] = {
				DB_P_BYTES(u->id, 16), DB_P_INT(piece),
				DB_P_BYTES(u->piece, n),
			};
			if ((res = db_exec(DB_ATTACHMENT_CHUNK, 3, p, st)) == NULL)
				return -1;
		}
		PQclear(res);
		left -= n;
		piece++;
	}
	return 0;
}

/* Reserve room in the case and create the attachment row. 0, 1 full, -1. */
static int
attach_begin(struct http_request *req, const unsigned char case_id[16],
    const char *author, const char *account_id,
    const struct attach_upload_state *u, enum db_status *st)
{
	struct db_param	 p[8] = {
		DB_P_BYTES(case_id, 16), DB_P_BYTES(u->id, 16), DB_P_TEXT(author),
		DB_P_INT((long long)u->padded), DB_P_TEXT(account_id),
		DB_P_INT((long long)req->cfg->case_bytes),
		DB_P_INT(ATTACH_PER_CASE), DB_P_BYTES(u->meta, u->meta_len),
	};
	PGresult	*res;
	int		 rc;

	if ((res = db_exec(DB_ATTACHMENT_BEGIN, 8, p, st)) == NULL)
		return -1;
	rc = PQntuples(res) == 1 ? 0 : 1;
	PQclear(res);
	return rc;
}

/*
 * Complete the attachment and commit. An adviser's upload is audited in
 * the same transaction: stored and audited, or neither.
 */
static int
attach_finish(const struct attach_upload_state *u,
    const unsigned char case_id[16], const char *account_id,
    enum db_status *st)
{
	struct db_param	 p[1] = { DB_P_BYTES(u->id, 16) };
	PGresult	*res;
	char		 case_b64[24];

	if ((res = db_exec(DB_ATTACHMENT_FINISH, 1, p, st)) == NULL)
		return -1;
	PQclear(res);
	if (account_id == NULL)
		return db_commit(st);
	cases_b64_id(case_b64, case_id);
	return audit_commit("attachment", account_id,
	    audit_extra("case_id", case_b64), st);
}

static int
attach_created(struct http_request *req, const struct attach_upload_state *u)
{
	cJSON *out;

	if ((out = cJSON_CreateObject()) == NULL ||
	    json_add_b64(out, "id", u->id, 16) == -1) {
		cJSON_Delete(out);
		return -1;
	}
	return http_send_cjson(req, 201, out);
}

/* Checks before reading a byte of the body: length, limits, headers. */
static int
attach_precheck(struct http_request *req, struct attach_upload_state *u)
{
	unsigned long long	 len = (unsigned long long)req->content_length;
	const char		*field;

	if (seal_stream_length_valid(len) != 0)
		return http_send_error(req, 400, "invalid_stream", NULL), -1;
	u->padded = (len - ATTACH_HEADER) / ATTACH_CHUNK * ATTACH_PLAIN_CHUNK;
	if (u->padded > req->cfg->attachment_bytes)
		return http_send_error(req, 413, "too_large", NULL), -1;
	if ((field = attach_headers(req, u)) != NULL)
		return http_send_error(req, 400, "invalid_field", field), -1;
	return 0;
}

int
attach_upload(struct http_request *req, const unsigned char case_id[16],
    const char *author, const char *account_id)
{
	struct attach_upload_state	 u;
	enum db_status			 st = DB_OK;
	int				 rc = 0, r;

	memset(&u, 0, sizeof(u));
	if (attach_precheck(req, &u) == -1)
		goto out;
	if (db_begin(&st) == -1) {
		rc = http_send_error(req, 503, "unavailable", NULL);
		goto out;
	}
	r = attach_begin(req, case_id, author, account_id, &u, &st);
	if (r != 0) {
		db_rollback();
		if (r == 1)
			rc = http_send_error(req, 413, "case_quota", NULL);
		else if (st == DB_UNIQUE)
			rc = http_send_error(req, 409, "attachment_id_used", NULL);
		else
			rc = http_send_error(req, 503, "unavailable", NULL);
		goto out;
	}
	http_body_reading(req);
	if (attach_store_body(req, &u, &st) == -1 ||
	    attach_finish(&u, case_id, account_id, &st) == -1) {
		db_rollback();
		http_close_after(req);
		rc = http_send_error(req, st == DB_OK ? 400 : 503,
		    st == DB_OK ? "invalid_stream" : "unavailable", NULL);
		goto out;
	}
	rc = attach_created(req, &u);
out:
	free(u.meta);
	free(u.piece);
	return rc;
}

int
attach_download(struct http_request *req, const unsigned char case_id[16],
    const char *id_b64)
{
	static const struct http_header headers[] = {
		{ "Cache-Control", "no-store" },
		{ "Content-Disposition", "attachment" },
		{ NULL, NULL }
	};
	unsigned char		 id[16];
	PGresult		*res;
	const unsigned char	*data;
	unsigned long long	 total;
	long long		 pieces, i;
	size_t			 n;
	enum db_status		 st;

	if (json_in_b64(id_b64, id, sizeof(id)) == -1)
		return http_send_error(req, 404, "not_found", NULL);
	{
		struct db_param p[2] = { DB_P_BYTES(id, 16), DB_P_BYTES(case_id, 16) };
		if ((res = db_exec(DB_ATTACHMENT_GET, 2, p, &st)) == NULL)
			return http_send_error(req, 503, "unavailable", NULL);
	}
	if (PQntuples(res) != 1) {
		PQclear(res);
		return http_send_error(req, 404, "not_found", NULL);
	}
	total = ATTACH_HEADER + (unsigned long long)db_get_int(res, 0, 0) /
	    ATTACH_PLAIN_CHUNK * ATTACH_CHUNK;
	pieces = db_get_int(res, 0, 1);
	PQclear(res);
	if (http_stream_start(req, 200, "application/octet-stream", headers,
	    total) == -1)
		return -1;
	for (i = 0; i < pieces; i++) {
		struct db_param p[2] = { DB_P_BYTES(id, 16), DB_P_INT(i) };

		/* Headers are out: a failure now can only close the connection. */
		if ((res = db_exec(DB_ATTACHMENT_READ, 2, p, &st)) == NULL ||
		    PQntuples(res) != 1) {
			PQclear(res);
			http_close_after(req);
			return 0;
		}
		data = db_get_bytes(res, 0, 0, &n);
		if (mg_write(req->conn, data, n) != (int)n) {
			PQclear(res);
			return 0;
		}
		PQclear(res);
	}
	return 0;
}
