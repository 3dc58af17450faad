/*
 * adviser_keys.c - key add, rewrap list, rotation, recovery export and
 * import. Lists travel to PostgreSQL as binary arrays (pgarray.h).
 */
#include <string.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "adviser_keys.h"
#include "app.h"
#include "audit.h"
#include "db.h"
#include "ids.h"
#include "json_in.h"
#include "json_out.h"
#include "pgarray.h"
#include "seal.h"
#include "secrets.h"

/* --- a new key ------------------------------------------------------------ */

enum desk_result
adviser_keys_add(const char *id, const struct adviser_keys_add_in *in)
{
	unsigned char	 sealed[ESK_BYTES + SEAL_STORE_OVERHEAD];
	size_t		 n;
	struct db_param	 p[4] = {
		DB_P_TEXT(id), DB_P_BYTES(in->enc_pk, BOX_PK_BYTES),
		DB_P_BYTES(in->sign_pk, SIGN_PK_BYTES),
		DB_P_BYTES(sealed, sizeof(sealed)),
	};
	PGresult	*res;
	enum db_status	 st = DB_OK;

	if (seal_box_public_key_usable(in->enc_pk) != 0)
		return DESK_KEY_UNUSABLE;
	if (seal_store(sealed, sizeof(sealed), &n, in->esk, sizeof(in->esk),
	    app.secrets->server_store_key) != 0)
		return DESK_UNAVAILABLE;
	if (db_begin(&st) == -1)
		return desk_result_db(st);
	if ((res = db_exec(DB_KEY_PENDING_ADD, 4, p, &st)) == NULL)
		goto fail;
	PQclear(res);
	if (audit_commit("key_add", id, NULL, &st) == -1)
		goto fail;
	return DESK_OK;
fail:
	db_rollback();
	return st == DB_UNIQUE ? DESK_CONFLICT : desk_result_db(st);
}

/* --- the wraps to re-seal ------------------------------------------------- */

static cJSON *
adviser_keys_rewrap_item(const PGresult *res, int i)
{
	const unsigned char	*id, *pk, *wrap, *note, *commitment;
	size_t			 n1, n2, n3, n4, n5;
	char			 id_b64[ID_B64_SIZE];
	cJSON			*o;

	id = db_get_bytes(res, i, REWRAP_LIST_CASE, &n1);
	pk = db_get_bytes(res, i, REWRAP_LIST_PK, &n2);
	wrap = db_get_bytes(res, i, REWRAP_LIST_WRAP, &n3);
	note = db_get_bytes(res, i, REWRAP_LIST_NOTE_WRAP, &n4);
	commitment = db_get_bytes(res, i, REWRAP_LIST_COMMITMENT, &n5);
	if (n1 != ID_BYTES || (o = cJSON_CreateObject()) == NULL)
		return NULL;
	ids_encode(id, id_b64);
	if (json_add_str(o, "case_id", id_b64) == -1 ||
	    json_add_b64(o, "public_key", pk, n2) == -1 ||
	    json_add_b64(o, "wrap", wrap, n3) == -1 ||
	    (db_is_null(res, i, REWRAP_LIST_NOTE_WRAP) ?
	    json_add_null(o, "note_wrap") :
	    json_add_b64(o, "note_wrap", note, n4)) == -1 ||
	    json_add_b64(o, "key_commitment", commitment, n5) == -1) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

enum desk_result
adviser_keys_rewrap(const char *id, cJSON **out)
{
	struct db_param	 p[1] = { DB_P_TEXT(id) };
	PGresult	*res;
	enum db_status	 st;
	cJSON		*list;
	int		 i;

	if ((res = db_exec(DB_REWRAP_LIST, 1, p, &st)) == NULL)
		return desk_result_db(st);
	if ((*out = cJSON_CreateObject()) == NULL ||
	    (list = cJSON_AddArrayToObject(*out, "wraps")) == NULL)
		goto fail;
	for (i = 0; i < PQntuples(res); i++)
		if (json_add_item(list, NULL,
		    adviser_keys_rewrap_item(res, i)) == -1)
			goto fail;
	PQclear(res);
	return DESK_OK;
fail:
	cJSON_Delete(*out);
	*out = NULL;
	PQclear(res);
	return DESK_UNAVAILABLE;
}

/* --- wrap lists shared by rotation and import ----------------------------- */

struct adviser_keys_wrap {
	char		case_id[ID_B64_SIZE];
	unsigned char	public_key[BOX_PK_BYTES];
	unsigned char	wrap[WRAP_BYTES];
	unsigned char	note_wrap[WRAP_BYTES];
	size_t		note_wrap_len;
};

static const struct json_field adviser_keys_wrap_fields[] = {
	JSON_F_TEXT("case_id", 1, ID_B64_LEN, ID_B64_LEN,
	    struct adviser_keys_wrap, case_id),
	JSON_F_KEY("public_key", 1, BOX_PK_BYTES, struct adviser_keys_wrap,
	    public_key),
	JSON_F_KEY("wrap", 1, WRAP_BYTES, struct adviser_keys_wrap, wrap),
	JSON_F_B64("note_wrap", 0, WRAP_BYTES, WRAP_BYTES,
	    struct adviser_keys_wrap, note_wrap, note_wrap_len),
};

/* The bytea[] arguments of a wrap list, in the functions' order. */
enum adviser_keys_arg { WRAPS_CASE, WRAPS_PK, WRAPS_WRAP, WRAPS_NOTE,
	WRAPS_COUNT };

static void
adviser_keys_arrays_free(struct pgarray a[WRAPS_COUNT])
{
	int	i;

	for (i = 0; i < WRAPS_COUNT; i++)
		pgarray_free(&a[i]);
}

/*
 * Check each wrap object of list and collect the arrays into a (freed by
 * the caller), their parameters into p. DESK_OK, DESK_BAD_WRAP_LIST, or
 * DESK_UNAVAILABLE.
 */
static enum desk_result
adviser_keys_collect(const cJSON *list, struct pgarray a[WRAPS_COUNT],
    struct db_param p[WRAPS_COUNT])
{
	struct adviser_keys_wrap	 w;
	unsigned char			 id[ID_BYTES];
	const cJSON			*item;
	const char			*field;
	int				 i;

	for (i = 0; i < WRAPS_COUNT; i++)
		pgarray_init(&a[i], PGARRAY_BYTEA);
	cJSON_ArrayForEach(item, list) {
		memset(&w, 0, sizeof(w));
		if (json_in_check(item, adviser_keys_wrap_fields,
		    nitems(adviser_keys_wrap_fields), &w, &field) == -1 ||
		    ids_decode(w.case_id, id) == -1)
			return DESK_BAD_WRAP_LIST;
		pgarray_add(&a[WRAPS_CASE], id, ID_BYTES);
		pgarray_add(&a[WRAPS_PK], w.public_key, BOX_PK_BYTES);
		pgarray_add(&a[WRAPS_WRAP], w.wrap, WRAP_BYTES);
		pgarray_add(&a[WRAPS_NOTE], w.note_wrap_len > 0 ? w.note_wrap :
		    NULL, WRAP_BYTES);
	}
	for (i = 0; i < WRAPS_COUNT; i++) {
		if (pgarray_finish(&a[i]) == -1)
			return DESK_UNAVAILABLE;
		p[i] = (struct db_param)DB_P_BYTES(a[i].out.data, a[i].out.len);
	}
	return DESK_OK;
}

/*
 * Run stmt (one outcome word) then the audit entry, in one transaction;
 * extra is the entry's (always consumed).
 */
static enum desk_result
adviser_keys_run(enum db_stmt stmt, int n, const struct db_param *p,
    const char *action, const char *actor, cJSON *extra)
{
	PGresult		*res;
	enum db_status		 st = DB_OK;
	enum desk_result	 r = DESK_UNAVAILABLE;

	if (db_begin(&st) == -1) {
		cJSON_Delete(extra);
		return desk_result_db(st);
	}
	if ((res = db_exec(stmt, n, p, &st)) != NULL && PQntuples(res) == 1)
		r = desk_result_of(db_get_text(res, 0, ROTATE_OUTCOME));
	PQclear(res);
	if (r != DESK_OK) {
		cJSON_Delete(extra);
		db_rollback();
		return r;
	}
	if (audit_commit(action, actor, extra, &st) == -1)
		return desk_result_db(st);
	return DESK_OK;
}

/* --- rotation ------------------------------------------------------------- */

enum desk_result
adviser_keys_swap(const char *id, const cJSON *wraps)
{
	struct pgarray		 a[WRAPS_COUNT];
	struct db_param		 p[1 + WRAPS_COUNT] = { DB_P_TEXT(id) };
	enum desk_result	 r;

	if ((r = adviser_keys_collect(wraps, a, p + 1)) == DESK_OK)
		r = adviser_keys_run(DB_ROTATE, (int)nitems(p), p, "key_rotate", id,
		    NULL);
	adviser_keys_arrays_free(a);
	return r;
}

/* --- recovery export ------------------------------------------------------ */

/* The case ids of ids as a bytea[] into a. 0, or -1 (a bad item). */
static int
adviser_keys_export_ids(const cJSON *ids, struct pgarray *a)
{
	unsigned char	 id[ID_BYTES];
	const cJSON	*item;

	cJSON_ArrayForEach(item, ids) {
		if (!cJSON_IsString(item) ||
		    ids_decode(item->valuestring, id) == -1)
			return -1;
		pgarray_add(a, id, ID_BYTES);
	}
	return 0;
}

static cJSON *
adviser_keys_export_case(const PGresult *res, int i)
{
	const unsigned char	*id, *commitment, *wrap, *note;
	size_t			 n0, n3, n4, n5;
	char			 id_b64[ID_B64_SIZE];
	cJSON			*o;

	id = db_get_bytes(res, i, RECOVERY_EXPORT_CASE, &n0);
	commitment = db_get_bytes(res, i, RECOVERY_EXPORT_COMMITMENT, &n3);
	wrap = db_get_bytes(res, i, RECOVERY_EXPORT_WRAP, &n4);
	note = db_get_bytes(res, i, RECOVERY_EXPORT_NOTE_WRAP, &n5);
	if (n0 != ID_BYTES || (o = cJSON_CreateObject()) == NULL)
		return NULL;
	ids_encode(id, id_b64);
	if (json_add_str(o, "case_id", id_b64) == -1 ||
	    json_add_str(o, "organisation",
	    db_get_text(res, i, RECOVERY_EXPORT_ORGANISATION)) == -1 ||
	    json_add_str(o, "topic",
	    db_get_text(res, i, RECOVERY_EXPORT_TOPIC)) == -1 ||
	    json_add_b64(o, "key_commitment", commitment, n3) == -1 ||
	    json_add_b64(o, "recovery_wrap", wrap, n4) == -1 ||
	    (db_is_null(res, i, RECOVERY_EXPORT_NOTE_WRAP) ?
	    json_add_null(o, "recovery_note_wrap") :
	    json_add_b64(o, "recovery_note_wrap", note, n5)) == -1) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

/* Run the export in the open transaction: its answer, *count cases. */
static cJSON *
adviser_keys_export_run(const char *id, const char *eid_b64,
    const unsigned char eid[ID_BYTES], const struct pgarray *ids, int *count)
{
	struct db_param	 p[3] = { DB_P_TEXT(id), DB_P_BYTES(eid, ID_BYTES),
	    DB_P_BYTES(ids->out.data, ids->out.len) };
	PGresult	*res;
	cJSON		*out, *list;
	int		 i;

	if ((res = db_exec(DB_RECOVERY_EXPORT, 3, p, NULL)) == NULL)
		return NULL;
	*count = PQntuples(res);
	if ((out = cJSON_CreateObject()) == NULL ||
	    json_add_str(out, "export_id", eid_b64) == -1 ||
	    (list = cJSON_AddArrayToObject(out, "cases")) == NULL)
		goto fail;
	for (i = 0; i < *count; i++)
		if (json_add_item(list, NULL,
		    adviser_keys_export_case(res, i)) == -1)
			goto fail;
	PQclear(res);
	return out;
fail:
	cJSON_Delete(out);
	PQclear(res);
	return NULL;
}

/* The export of ids (a finished array of n ids) under a fresh id. */
static enum desk_result
adviser_keys_export_all(const char *id, const struct pgarray *ids, int n,
    cJSON **out)
{
	unsigned char	 eid[ID_BYTES];
	char		 eid_b64[ID_B64_SIZE];
	enum db_status	 st = DB_OK;
	int		 count = 0;

	randombytes_buf(eid, sizeof(eid));
	ids_encode(eid, eid_b64);
	if (db_begin(&st) == -1)
		return desk_result_db(st);
	if ((*out = adviser_keys_export_run(id, eid_b64, eid, ids,
	    &count)) == NULL) {
		db_rollback();
		return DESK_UNAVAILABLE;
	}
	/* All or nothing: one case the coordinator may not export is 404. */
	if (count != n || audit_commit("recovery_export", id,
	    audit_extra("export_id", eid_b64), &st) == -1) {
		if (count != n)
			db_rollback();
		cJSON_Delete(*out);
		*out = NULL;
		return count != n ? DESK_NOT_FOUND : desk_result_db(st);
	}
	return DESK_OK;
}

enum desk_result
adviser_keys_export(const char *id, const cJSON *case_ids, cJSON **out)
{
	struct pgarray		 ids;
	enum desk_result	 r;

	*out = NULL;
	pgarray_init(&ids, PGARRAY_BYTEA);
	if (adviser_keys_export_ids(case_ids, &ids) == -1)
		r = DESK_BAD_CASE_LIST;
	else if (pgarray_finish(&ids) == -1)
		r = DESK_UNAVAILABLE;
	else
		r = adviser_keys_export_all(id, &ids,
		    cJSON_GetArraySize(case_ids), out);
	pgarray_free(&ids);
	return r;
}

/* --- recovery import ------------------------------------------------------ */

enum desk_result
adviser_keys_import(const char *id, const unsigned char eid[ID_BYTES],
    const struct adviser_keys_import_in *in)
{
	struct pgarray		 a[WRAPS_COUNT];
	struct db_param		 p[3 + WRAPS_COUNT] = { DB_P_TEXT(id),
	    DB_P_BYTES(eid, ID_BYTES), DB_P_TEXT(in->adviser_id) };
	enum desk_result	 r;

	if (!ids_uuid_valid(in->adviser_id))
		return DESK_BAD_ADVISER;
	if ((r = adviser_keys_collect(in->wraps, a, p + 3)) == DESK_OK)
		r = adviser_keys_run(DB_RECOVERY_IMPORT, (int)nitems(p), p,
		    "recovery_import", id, audit_extra("target", in->adviser_id));
	adviser_keys_arrays_free(a);
	return r;
}
