/*
 * keys.c - rotation and recovery endpoints.
 */
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "app.h"
#include "audit.h"
#include "buf.h"
#include "cases.h"
#include "db.h"
#include "http.h"
#include "ids.h"
#include "json_in.h"
#include "json_out.h"
#include "keys.h"
#include "seal.h"
#include "secrets.h"
#include "session.h"

#define KEYS_ESK_BYTES		(24 + 32 + 16)
#define KEYS_MAX_CASES		1000

/* --- POST /api/v1/adviser/keys ----------------------------------------- */

struct keys_add_in {
	unsigned char	enc_pk[32];
	unsigned char	sign_pk[32];
	unsigned char	esk[KEYS_ESK_BYTES];
};

static const struct json_field keys_add_fields[] = {
	JSON_F_KEY("encryption_public_key", 1, 32, struct keys_add_in, enc_pk),
	JSON_F_KEY("sign_public_key", 1, 32, struct keys_add_in, sign_pk),
	JSON_F_KEY("encrypted_secret_key", 1, KEYS_ESK_BYTES, struct keys_add_in,
	    esk),
};

static int
keys_store_pending(const struct session_account *s, const struct keys_add_in *in,
    enum db_status *st)
{
	unsigned char	 sealed[KEYS_ESK_BYTES + SEAL_STORE_OVERHEAD];
	size_t		 n;
	struct db_param	 p[4] = {
		DB_P_TEXT(s->id), DB_P_BYTES(in->enc_pk, 32),
		DB_P_BYTES(in->sign_pk, 32), DB_P_BYTES(sealed, sizeof(sealed)),
	};
	PGresult	*res;

	if (seal_store(sealed, sizeof(sealed), &n, in->esk, sizeof(in->esk),
	    app.secrets->server_store_key) != 0 || db_begin(st) == -1)
		return -1;
	if ((res = db_exec(DB_KEY_PENDING_ADD, 4, p, st)) == NULL)
		goto fail;
	PQclear(res);
	if (audit_commit("key_add", s->id, NULL, st) == -1)
		goto fail;
	return 0;
fail:
	db_rollback();
	return -1;
}

int
keys_add(struct http_request *req)
{
	struct session_account	 s;
	struct keys_add_in	 in;
	const char		*code, *field;
	cJSON			*root;
	enum db_status		 st = DB_OK;

	if (session_account(req, SESSION_ROLE_CASEWORK, &s) == -1)
		return 0;
	root = json_in_parse(req->body, req->body_len, keys_add_fields, 3, &in,
	    &code, &field);
	if (root == NULL)
		return http_send_error(req, 400, code, field);
	cJSON_Delete(root);
	if (seal_box_public_key_usable(in.enc_pk) != 0)
		return http_send_error(req, 400, "invalid_field",
		    "encryption_public_key");
	if (keys_store_pending(&s, &in, &st) == -1)
		return st == DB_UNIQUE ?
		    http_send_error(req, 409, "conflict", NULL) :
		    http_send_error(req, 503, "unavailable", NULL);
	return http_send_empty(req, 204, NULL);
}

/* --- GET /api/v1/adviser/rewrap ----------------------------------------- */

static cJSON *
keys_rewrap_item(const PGresult *res, int i)
{
	const unsigned char	*id, *pk, *wrap, *note, *commitment;
	size_t			 n1, n2, n3, n4, n5;
	char			 id_b64[24];
	cJSON			*o;

	id = db_get_bytes(res, i, 0, &n1);
	pk = db_get_bytes(res, i, 1, &n2);
	wrap = db_get_bytes(res, i, 2, &n3);
	note = db_get_bytes(res, i, 3, &n4);
	commitment = db_get_bytes(res, i, 4, &n5);
	if (n1 != 16 || (o = cJSON_CreateObject()) == NULL)
		return NULL;
	cases_b64_id(id_b64, id);
	if (json_add_str(o, "case_id", id_b64) == -1 ||
	    json_add_b64(o, "public_key", pk, n2) == -1 ||
	    json_add_b64(o, "wrap", wrap, n3) == -1 ||
	    (db_is_null(res, i, 3) ? json_add_null(o, "note_wrap") :
	    json_add_b64(o, "note_wrap", note, n4)) == -1 ||
	    json_add_b64(o, "key_commitment", commitment, n5) == -1) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

int
keys_rewrap(struct http_request *req)
{
	struct session_account	 s;
	struct db_param		 p[1];
	PGresult		*res;
	cJSON			*out = NULL, *list;
	int			 i;

	if (session_account(req, SESSION_ROLE_CASEWORK, &s) == -1)
		return 0;
	p[0] = (struct db_param)DB_P_TEXT(s.id);
	if ((res = db_exec(DB_REWRAP_LIST, 1, p, NULL)) == NULL)
		return http_send_error(req, 503, "unavailable", NULL);
	if ((out = cJSON_CreateObject()) == NULL ||
	    (list = cJSON_AddArrayToObject(out, "wraps")) == NULL)
		goto fail;
	for (i = 0; i < PQntuples(res); i++)
		if (json_add_item(list, NULL, keys_rewrap_item(res, i)) == -1)
			goto fail;
	PQclear(res);
	return http_send_cjson(req, 200, out);
fail:
	cJSON_Delete(out);
	PQclear(res);
	return http_send_error(req, 503, "unavailable", NULL);
}

/* --- wrap lists shared by rotation and import ----------------------------- */

struct keys_wrap_in {
	char		case_id[24];
	unsigned char	public_key[32];
	unsigned char	wrap[80];
	unsigned char	note_wrap[80];
	size_t		note_wrap_len;
};

static const struct json_field keys_wrap_fields[] = {
	JSON_F_TEXT("case_id", 1, 22, 22, struct keys_wrap_in, case_id),
	JSON_F_KEY("public_key", 1, 32, struct keys_wrap_in, public_key),
	JSON_F_KEY("wrap", 1, 80, struct keys_wrap_in, wrap),
	JSON_F_B64("note_wrap", 0, 80, 80, struct keys_wrap_in, note_wrap,
	    note_wrap_len),
};

/* Array literals of case ids, public keys, wraps and note wraps. */
struct keys_arrays {
	struct buf	ids, pks, wraps, notes;
};

static void
keys_arrays_free(struct keys_arrays *a)
{
	buf_free(&a->ids);
	buf_free(&a->pks);
	buf_free(&a->wraps);
	buf_free(&a->notes);
}

static void
keys_lit_bytes(struct buf *b, const unsigned char *p, size_t n, int first)
{
	buf_adds(b, first ? "{" : ",");
	if (p == NULL) {
		buf_adds(b, "NULL");
		return;
	}
	buf_adds(b, "\"\\\\x");
	buf_add_hex(b, p, n);
	buf_adds(b, "\"");
}

/* Check each wrap object and collect the literals. 0, or -1 (bad item). */
static int
keys_collect(const cJSON *list, struct keys_arrays *a)
{
	struct keys_wrap_in	 w;
	unsigned char		 id[16];
	const cJSON		*item;
	const char		*field;
	int			 first = 1;

	cJSON_ArrayForEach(item, list) {
		memset(&w, 0, sizeof(w));
		if (json_in_check(item, keys_wrap_fields, 4, &w, &field) == -1 ||
		    json_in_b64(w.case_id, id, sizeof(id)) == -1)
			return -1;
		keys_lit_bytes(&a->ids, id, 16, first);
		keys_lit_bytes(&a->pks, w.public_key, 32, first);
		keys_lit_bytes(&a->wraps, w.wrap, 80, first);
		keys_lit_bytes(&a->notes, w.note_wrap_len ? w.note_wrap : NULL, 80,
		    first);
		first = 0;
	}
	if (first) {
		buf_adds(&a->ids, "{");
		buf_adds(&a->pks, "{");
		buf_adds(&a->wraps, "{");
		buf_adds(&a->notes, "{");
	}
	buf_adds(&a->ids, "}");
	buf_adds(&a->pks, "}");
	buf_adds(&a->wraps, "}");
	buf_adds(&a->notes, "}");
	return buf_cstr(&a->ids) && buf_cstr(&a->pks) && buf_cstr(&a->wraps) &&
	    buf_cstr(&a->notes) ? 0 : -1;
}

static int
keys_answer(struct http_request *req, const char *r)
{
	static const char *const conflicts[] = { "holders_changed",
	    "key_changed", "excluded_by_reporter", "purged" };
	size_t i;

	if (strcmp(r, "ok") == 0)
		return http_send_empty(req, 204, NULL);
	if (strcmp(r, "not_found") == 0)
		return http_send_error(req, 404, "not_found", NULL);
	if (strcmp(r, "not_certified") == 0)
		return http_send_error(req, 409, "conflict", NULL);
	if (strcmp(r, "not_in_export") == 0)
		return http_send_error(req, 400, "invalid_field", "wraps");
	if (strcmp(r, "no_colleague") == 0 || strcmp(r, "out_of_scope") == 0)
		return http_send_error(req, 400, "invalid_field", "adviser_id");
	for (i = 0; i < sizeof(conflicts) / sizeof(conflicts[0]); i++)
		if (strcmp(r, conflicts[i]) == 0)
			return http_send_error(req, 409, r, NULL);
	return http_send_error(req, 503, "unavailable", NULL);
}

/* Run stmt (one text result) then the audit entry, in one transaction. */
static int
keys_run(struct http_request *req, enum db_stmt stmt, int n,
    const struct db_param *p, const char *action, const char *actor,
    cJSON *extra)
{
	PGresult	*res;
	char		 r[32] = "";
	enum db_status	 st = DB_OK;

	if (db_begin(&st) == -1) {
		cJSON_Delete(extra);
		return http_send_error(req, 503, "unavailable", NULL);
	}
	if ((res = db_exec(stmt, n, p, &st)) != NULL && PQntuples(res) == 1)
		snprintf(r, sizeof(r), "%s", db_get_text(res, 0, 0));
	PQclear(res);
	if (strcmp(r, "ok") != 0) {
		cJSON_Delete(extra);
		db_rollback();
		return keys_answer(req, r);
	}
	if (audit_commit(action, actor, extra, &st) == -1)
		return http_send_error(req, 503, "unavailable", NULL);
	return keys_answer(req, r);
}

/* --- PUT /api/v1/adviser/keys -------------------------------------------- */

struct keys_swap_in {
	const cJSON	*wraps;
};

static const struct json_field keys_swap_fields[] = {
	JSON_F_ARRAY("wraps", 1, 0, KEYS_MAX_CASES, struct keys_swap_in, wraps),
};

int
keys_swap(struct http_request *req)
{
	struct session_account	 s;
	struct keys_swap_in	 in;
	struct keys_arrays	 a;
	const char		*code, *field;
	cJSON			*root;
	int			 rc;

	if (session_account(req, SESSION_ROLE_CASEWORK, &s) == -1)
		return 0;
	root = json_in_parse(req->body, req->body_len, keys_swap_fields, 1, &in,
	    &code, &field);
	if (root == NULL)
		return http_send_error(req, 400, code, field);
	memset(&a, 0, sizeof(a));
	if (keys_collect(in.wraps, &a) == -1)
		rc = http_send_error(req, 400, "invalid_field", "wraps");
	else {
		struct db_param p[5] = { DB_P_TEXT(s.id), DB_P_TEXT(a.ids.data),
		    DB_P_TEXT(a.pks.data), DB_P_TEXT(a.wraps.data),
		    DB_P_TEXT(a.notes.data) };

		rc = keys_run(req, DB_ROTATE, 5, p, "key_rotate", s.id, NULL);
	}
	keys_arrays_free(&a);
	cJSON_Delete(root);
	return rc;
}

/* --- POST /api/v1/adviser/recovery-exports -------------------------------- */

struct keys_export_in {
	const cJSON	*case_ids;
};

static const struct json_field keys_export_fields[] = {
	JSON_F_ARRAY("case_ids", 1, 1, KEYS_MAX_CASES, struct keys_export_in,
	    case_ids),
};

static int
keys_export_ids(const cJSON *ids, struct buf *b)
{
	unsigned char	 id[16];
	const cJSON	*item;
	int		 first = 1;

	cJSON_ArrayForEach(item, ids) {
		if (!cJSON_IsString(item) ||
		    json_in_b64(item->valuestring, id, sizeof(id)) == -1)
			return -1;
		keys_lit_bytes(b, id, 16, first);
		first = 0;
	}
	buf_adds(b, "}");
	return buf_cstr(b) == NULL ? -1 : 0;
}

static cJSON *
keys_export_case(const PGresult *res, int i)
{
	const unsigned char	*id, *commitment, *wrap, *note;
	size_t			 n0, n3, n4, n5;
	char			 id_b64[24];
	cJSON			*o;

	id = db_get_bytes(res, i, 0, &n0);
	commitment = db_get_bytes(res, i, 3, &n3);
	wrap = db_get_bytes(res, i, 4, &n4);
	note = db_get_bytes(res, i, 5, &n5);
	if (n0 != 16 || (o = cJSON_CreateObject()) == NULL)
		return NULL;
	cases_b64_id(id_b64, id);
	if (json_add_str(o, "case_id", id_b64) == -1 ||
	    json_add_str(o, "organisation", db_get_text(res, i, 1)) == -1 ||
	    json_add_str(o, "topic", db_get_text(res, i, 2)) == -1 ||
	    json_add_b64(o, "key_commitment", commitment, n3) == -1 ||
	    json_add_b64(o, "recovery_wrap", wrap, n4) == -1 ||
	    (db_is_null(res, i, 5) ? json_add_null(o, "recovery_note_wrap") :
	    json_add_b64(o, "recovery_note_wrap", note, n5)) == -1) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static cJSON *
keys_export_run(const struct session_account *s, const unsigned char eid[16],
    const char *ids, int *count, enum db_status *st)
{
	struct db_param	 p[3] = { DB_P_TEXT(s->id), DB_P_BYTES(eid, 16),
	    DB_P_TEXT(ids) };
	PGresult	*res;
	cJSON		*out, *list;
	char		 eid_b64[24];
	int		 i;

	if ((res = db_exec(DB_RECOVERY_EXPORT, 3, p, st)) == NULL)
		return NULL;
	*count = PQntuples(res);
	cases_b64_id(eid_b64, eid);
	if ((out = cJSON_CreateObject()) == NULL ||
	    json_add_str(out, "export_id", eid_b64) == -1 ||
	    (list = cJSON_AddArrayToObject(out, "cases")) == NULL)
		goto fail;
	for (i = 0; i < *count; i++)
		if (json_add_item(list, NULL, keys_export_case(res, i)) == -1)
			goto fail;
	PQclear(res);
	return out;
fail:
	*st = DB_ERROR;
	cJSON_Delete(out);
	PQclear(res);
	return NULL;
}

int
keys_export(struct http_request *req)
{
	struct session_account	 s;
	struct keys_export_in	 in;
	struct buf		 ids = BUF_INIT;
	unsigned char		 eid[16];
	char			 eid_b64[24];
	const char		*code, *field;
	cJSON			*root, *out = NULL;
	enum db_status		 st = DB_OK;
	int			 count = 0, rc;

	if (session_account(req, SESSION_ROLE_COORDINATOR, &s) == -1)
		return 0;
	root = json_in_parse(req->body, req->body_len, keys_export_fields, 1,
	    &in, &code, &field);
	if (root == NULL)
		return http_send_error(req, 400, code, field);
	randombytes_buf(eid, sizeof(eid));
	cases_b64_id(eid_b64, eid);
	if (keys_export_ids(in.case_ids, &ids) == -1) {
		rc = http_send_error(req, 400, "invalid_field", "case_ids");
		goto out;
	}
	if (db_begin(&st) == -1 ||
	    (out = keys_export_run(&s, eid, ids.data, &count, &st)) == NULL) {
		db_rollback();
		rc = http_send_error(req, 503, "unavailable", NULL);
		goto out;
	}
	/* All or nothing: one case the coordinator may not export is 404. */
	if (count != cJSON_GetArraySize(in.case_ids)) {
		db_rollback();
		rc = http_send_error(req, 404, "not_found", NULL);
		goto out;
	}
	if (audit_commit("recovery_export", s.id, audit_extra("export_id",
	    eid_b64), &st) == -1) {
		rc = http_send_error(req, 503, "unavailable", NULL);
		goto out;
	}
	rc = http_send_cjson(req, 201, out);
	out = NULL;
out:
	cJSON_Delete(out);
	buf_free(&ids);
	cJSON_Delete(root);
	return rc;
}

/* --- POST /api/v1/adviser/recovery-exports/{id}/import --------------------- */

struct keys_import_in {
	char		 adviser_id[37];
	const cJSON	*wraps;
};

static const struct json_field keys_import_fields[] = {
	JSON_F_TEXT("adviser_id", 1, 36, 36, struct keys_import_in, adviser_id),
	JSON_F_ARRAY("wraps", 1, 1, KEYS_MAX_CASES, struct keys_import_in, wraps),
};

int
keys_import(struct http_request *req)
{
	struct session_account	 s;
	struct keys_import_in	 in;
	struct keys_arrays	 a;
	unsigned char		 eid[16];
	const char		*code, *field;
	cJSON			*root;
	int			 rc;

	if (session_account(req, SESSION_ROLE_COORDINATOR, &s) == -1)
		return 0;
	if (json_in_b64(req->params[0], eid, sizeof(eid)) == -1)
		return http_send_error(req, 404, "not_found", NULL);
	root = json_in_parse(req->body, req->body_len, keys_import_fields, 2,
	    &in, &code, &field);
	if (root == NULL)
		return http_send_error(req, 400, code, field);
	memset(&a, 0, sizeof(a));
	if (!ids_uuid_valid(in.adviser_id))
		rc = http_send_error(req, 400, "invalid_field", "adviser_id");
	else if (keys_collect(in.wraps, &a) == -1)
		rc = http_send_error(req, 400, "invalid_field", "wraps");
	else {
		struct db_param p[7] = { DB_P_TEXT(s.id), DB_P_BYTES(eid, 16),
		    DB_P_TEXT(in.adviser_id), DB_P_TEXT(a.ids.data),
		    DB_P_TEXT(a.pks.data), DB_P_TEXT(a.wraps.data),
		    DB_P_TEXT(a.notes.data) };

		rc = keys_run(req, DB_RECOVERY_IMPORT, 7, p, "recovery_import",
		    s.id, audit_extra("target", in.adviser_id));
	}
	keys_arrays_free(&a);
	cJSON_Delete(root);
	return rc;
}
