/*
 * attachments.c - storing and reading back a case's attachments.
 */
#include <stdlib.h>
#include <string.h>

#include "attachments.h"
#include "audit.h"
#include "b64.h"
#include "db.h"
#include "ids.h"
#include "seal.h"

/* The sealed metadata from its base64 text into u. 0, or -1. */
static int
attachments_meta(struct attachment_upload *u, const char *text)
{
	if (text == NULL || strlen(text) > ATTACHMENTS_META_MAX ||
	    (u->meta = b64_public_decode(text, &u->meta_len)) == NULL)
		return -1;
	if (u->meta_len < SEALED_OVERHEAD + ATTACHMENTS_META_BLOCK ||
	    (u->meta_len - SEALED_OVERHEAD) % ATTACHMENTS_META_BLOCK != 0)
		return -1;
	return 0;
}

enum desk_result
attachments_check(struct attachment_upload *u, unsigned long long len,
    unsigned long long max, const char *id_text, const char *meta_text)
{
	if (seal_stream_length_valid(len) != 0)
		return DESK_STREAM_INVALID;
	u->padded = (len - STREAM_HEADER_BYTES) / CHUNK_CIPHER_BYTES *
	    CHUNK_BYTES;
	if (u->padded > max)
		return DESK_ATTACHMENT_TOO_LARGE;
	if (ids_decode(id_text, u->id) == -1)
		return DESK_ATTACHMENT_BAD_ID;
	if (attachments_meta(u, meta_text) == -1)
		return DESK_ATTACHMENT_BAD_META;
	return DESK_OK;
}

enum desk_result
attachments_begin(struct attachment_upload *u, unsigned long long case_bytes)
{
	struct db_param	 p[] = {
		DB_P_BYTES(u->case_id, ID_BYTES), DB_P_BYTES(u->id, ID_BYTES),
		DB_P_TEXT(u->author), DB_P_INT((long long)u->padded),
		DB_P_TEXT(u->account_id), DB_P_INT((long long)case_bytes),
		DB_P_INT(ATTACHMENTS_PER_CASE),
		DB_P_BYTES(u->meta, u->meta_len),
	};
	PGresult	*res;
	enum db_status	 st = DB_OK;
	enum desk_result r;

	if (db_begin(&st) == -1)
		return desk_result_db(st);
	if ((res = db_exec(DB_ATTACHMENT_BEGIN, (int)nitems(p), p, &st)) ==
	    NULL)
		r = st == DB_UNIQUE ? DESK_ATTACHMENT_ID_USED :
		    desk_result_db(st);
	else
		r = PQntuples(res) == 1 ? DESK_OK : DESK_CASE_QUOTA;
	PQclear(res);
	if (r != DESK_OK)
		db_rollback();
	else
		u->open = 1;
	return r;
}

enum desk_result
attachments_piece(struct attachment_upload *u, const void *data, size_t n)
{
	struct db_param	 p[] = {
		DB_P_BYTES(u->id, ID_BYTES), DB_P_INT(u->pieces),
		DB_P_BYTES(data, n),
	};
	PGresult	*res;
	enum db_status	 st;

	if ((res = db_exec(DB_ATTACHMENT_CHUNK, (int)nitems(p), p, &st)) ==
	    NULL)
		return desk_result_db(st);
	PQclear(res);
	u->pieces++;
	return DESK_OK;
}

enum desk_result
attachments_finish(struct attachment_upload *u)
{
	struct db_param	 p[] = { DB_P_BYTES(u->id, ID_BYTES) };
	PGresult	*res;
	enum db_status	 st;
	char		 case_b64[ID_B64_SIZE];
	int		 rc;

	if ((res = db_exec(DB_ATTACHMENT_FINISH, (int)nitems(p), p, &st)) ==
	    NULL)
		return desk_result_db(st);
	PQclear(res);
	if (u->account_id == NULL)
		rc = db_commit(&st);
	else {
		ids_encode(u->case_id, case_b64);
		rc = audit_commit("attachment", u->account_id,
		    audit_extra("case_id", case_b64), &st);
	}
	if (rc == -1)
		return desk_result_db(st);
	u->open = 0;
	return DESK_OK;
}

void
attachments_end(struct attachment_upload *u)
{
	if (u->open)
		db_rollback();
	u->open = 0;
	free(u->meta);
	u->meta = NULL;
}

enum desk_result
attachments_open(const unsigned char case_id[ID_BYTES], const char *id_text,
    unsigned char id[ID_BYTES], unsigned long long *len, long long *pieces)
{
	struct db_param	 p[] = {
		DB_P_BYTES(id, ID_BYTES), DB_P_BYTES(case_id, ID_BYTES),
	};
	PGresult	*res;
	enum db_status	 st;
	enum desk_result r = DESK_NOT_FOUND;

	if (ids_decode(id_text, id) == -1)
		return DESK_NOT_FOUND;
	if ((res = db_exec(DB_ATTACHMENT_GET, (int)nitems(p), p, &st)) == NULL)
		return desk_result_db(st);
	if (PQntuples(res) == 1) {
		*len = STREAM_HEADER_BYTES + (unsigned long long)db_get_int(res,
		    0, ATTACHMENT_GET_PADDED_SIZE) / CHUNK_BYTES *
		    CHUNK_CIPHER_BYTES;
		*pieces = db_get_int(res, 0, ATTACHMENT_GET_PIECES);
		r = DESK_OK;
	}
	PQclear(res);
	return r;
}

enum desk_result
attachments_each_piece(const unsigned char id[ID_BYTES], long long pieces,
    int (*write)(void *arg, const unsigned char *p, size_t n), void *arg)
{
	PGresult		*res;
	const unsigned char	*data;
	size_t			 n;
	long long		 i;
	int			 rc;

	for (i = 0; i < pieces; i++) {
		struct db_param p[] = {
			DB_P_BYTES(id, ID_BYTES), DB_P_INT(i),
		};

		if ((res = db_exec(DB_ATTACHMENT_READ, (int)nitems(p), p,
		    NULL)) == NULL)
			return DESK_UNAVAILABLE;
		rc = -1;
		if (PQntuples(res) == 1) {
			data = db_get_bytes(res, 0, ATTACHMENT_READ_DATA, &n);
			rc = write(arg, data, n);
		}
		PQclear(res);
		if (rc == -1)
			return DESK_UNAVAILABLE;
	}
	return DESK_OK;
}
