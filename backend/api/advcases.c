/*
 * advcases.c - the adviser and coordinator case endpoints.
 */
#include <stdio.h>
#include <string.h>

#include <civetweb.h>
#include <cjson/cJSON.h>
#include <sodium.h>

#include "advcases.h"
#include "app.h"
#include "attach.h"
#include "audit.h"
#include "buf.h"
#include "cases.h"
#include "db.h"
#include "adviser_entry.h"
#include "http.h"
#include "ids.h"
#include "json_in.h"
#include "json_out.h"
#include "messages.h"
#include "paging.h"
#include "seal.h"
#include "secrets.h"
#include "session.h"

#define ADVCASES_MAX_WRAPS	64

enum advcases_need {
	ADVCASES_METADATA = 1,	/* a coordinator's metadata view suffices */
	ADVCASES_CONTENT = 2	/* a wrap is needed */
};

struct advcase {
	struct session_account	s;
	unsigned char		id[16];
	char			b64[24];
	char			author[48];	/* "adviser:<id>" */
	int			access;
};

/*
 * The session, the case of the path and the caller's access to it. 0, or
 * -1 after sending 401/403/404/503.
 */
static int
advcases_open(struct http_request *req, enum advcases_need need,
    struct advcase *c)
{
	PGresult	*res;
	enum db_status	 st;

	if (session_account(req, SESSION_ROLE_CASEWORK, &c->s) == -1)
		return -1;
	if (json_in_b64(req->params[0], c->id, 16) == -1) {
		http_send_error(req, 404, "not_found", NULL);
		return -1;
	}
	cases_b64_id(c->b64, c->id);
	snprintf(c->author, sizeof(c->author), "adviser:%s", c->s.id);
	{
		struct db_param p[2] = { DB_P_BYTES(c->id, 16), DB_P_TEXT(c->s.id) };
		if ((res = db_exec(DB_CASE_ACCESS, 2, p, &st)) == NULL) {
			http_send_error(req, 503, "unavailable", NULL);
			return -1;
		}
	}
	c->access = PQntuples(res) == 1 && !db_is_null(res, 0, 0) ?
	    (int)db_get_int(res, 0, 0) : 0;
	PQclear(res);
	if (c->access == 0) {
		http_send_error(req, 404, "not_found", NULL);
		return -1;
	}
	if (c->access < (int)need) {
		http_send_error(req, 403, "forbidden", NULL);
		return -1;
	}
	return 0;
}

/* The caller's current signing key. 0, or -1. */
static int
advcases_sign_key(const char *account, unsigned char pk[32],
    enum db_status *st)
{
	struct db_param		 p[1] = { DB_P_TEXT(account) };
	PGresult		*res;
	const unsigned char	*v;
	size_t			 n = 0;

	if ((res = db_exec(DB_MY_SIGN_KEY, 1, p, st)) == NULL)
		return -1;
	if (PQntuples(res) == 1) {
		v = db_get_bytes(res, 0, 0, &n);
		if (n == 32)
			memcpy(pk, v, 32);
	}
	PQclear(res);
	return n == 32 ? 0 : -1;
}

/* Audit action on case c in a transaction of its own. */
static void
advcases_audit(const char *action, const struct advcase *c)
{
	(void)audit_record(action, c->s.id, audit_extra("case_id", c->b64));
}

/* --- GET /api/v1/adviser/cases ------------------------------------------------ */

static int
advcases_status_valid(const char *s)
{
	return strcmp(s, "new") == 0 || strcmp(s, "acknowledged") == 0 ||
	    strcmp(s, "in_progress") == 0 || strcmp(s, "closed") == 0;
}

int
advcases_list(struct http_request *req)
{
	struct session_account	 s;
	char			 after[32], status[16];
	unsigned char		 after_id[16];
	long long		 limit;
	int			 have_status, i, n;
	cJSON			*out = NULL, *list;
	PGresult		*res;
	enum db_status		 st;

	if (session_account(req, SESSION_ROLE_CASEWORK, &s) == -1 ||
	    paging_params(req, &limit, after, sizeof(after)) == -1)
		return 0;
	have_status = http_query_get(req, "status", status, sizeof(status)) == 0;
	if (have_status && !advcases_status_valid(status))
		return http_send_error(req, 400, "invalid_field", "status");
	if (after[0] != '\0' && json_in_b64(after, after_id, 16) == -1)
		return http_send_error(req, 400, "invalid_field", "after");
	{
		struct db_param p[4] = {
			DB_P_TEXT(s.id), DB_P_TEXT(have_status ? status : NULL),
			DB_P_BYTES(after[0] ? after_id : NULL, 16), DB_P_INT(limit),
		};
		if ((res = db_exec(DB_ADVISER_CASES, 4, p, &st)) == NULL)
			return http_send_error(req, 503, "unavailable", NULL);
	}
	n = PQntuples(res);
	if ((out = cJSON_CreateObject()) == NULL ||
	    (list = cJSON_CreateArray()) == NULL ||
	    json_add_item(out, "cases", list) == -1)
		goto fail;
	for (i = 0; i < n; i++)
		if (json_add_item(list, NULL, cases_summary(res, i)) == -1)
			goto fail;
	if (n == limit) {
		cJSON *last = cJSON_GetArrayItem(list, n - 1);
		if (json_add_str(out, "next", cJSON_GetObjectItemCaseSensitive(last,
		    "case_id")->valuestring) == -1)
			goto fail;
	} else if (json_add_null(out, "next") == -1)
		goto fail;
	PQclear(res);
	return http_send_cjson(req, 200, out);
fail:
	cJSON_Delete(out);
	PQclear(res);
	return -1;
}

/* --- GET /api/v1/adviser/cases/{id} -------------------------------------------- */

int
advcases_get(struct http_request *req)
{
	struct advcase	 c;
	cJSON		*out;
	enum db_status	 st = DB_OK;

	if (advcases_open(req, ADVCASES_METADATA, &c) == -1)
		return 0;
	if (c.access == ADVCASES_CONTENT)
		out = cases_adviser_view(c.id, c.s.id, &st);
	else
		out = cases_metadata_view(c.id, c.s.id, &st);
	if (out == NULL)
		return http_send_error(req, st == DB_OK ? 404 : 503,
		    st == DB_OK ? "not_found" : "unavailable", NULL);
	advcases_audit(c.access == ADVCASES_CONTENT ? "open_case" :
	    "open_case_metadata", &c);
	return http_send_cjson(req, 200, out);
}

/* --- PATCH /api/v1/adviser/cases/{id} ------------------------------------------ */

struct advcases_class_in {
	char		 category[65];
	const cJSON	*grounds;
	char		 primary[65];
	char		 outcome[65];
};

static const struct json_field advcases_class_fields[] = {
	JSON_F_SLUG("category", 0, 64, struct advcases_class_in, category),
	JSON_F_ARRAY("grounds", 0, 0, 32, struct advcases_class_in, grounds),
	JSON_F_SLUG("primary_ground", 0, 64, struct advcases_class_in, primary),
	JSON_F_SLUG("outcome", 0, 64, struct advcases_class_in, outcome),
};

struct advcases_patch_in {
	char		 status[16];
	const cJSON	*classification;
};

static const struct json_field advcases_patch_fields[] = {
	JSON_F_TEXT("status", 0, 1, 15, struct advcases_patch_in, status),
	JSON_F_OBJECT("classification", 0, struct advcases_patch_in,
	    classification),
};

/* The grounds as an array literal. 0, or -1. */
static int
advcases_grounds(const cJSON *grounds, struct buf *b)
{
	const cJSON *g;

	buf_adds(b, "{");
	cJSON_ArrayForEach(g, grounds) {
		if (!cJSON_IsString(g) || !ids_slug_valid(g->valuestring, 64))
			return -1;
		if (b->len > 1)
			buf_adds(b, ",");
		buf_adds(b, g->valuestring);
	}
	buf_adds(b, "}");
	return buf_cstr(b) == NULL ? -1 : 0;
}

/* Map a meldpunt_case_update result to its answer. */
static int
advcases_update_answer(struct http_request *req, const char *r)
{
	if (strcmp(r, "ok") == 0)
		return http_send_empty(req, 204, NULL);
	if (strcmp(r, "purged") == 0)
		return http_send_error(req, 409, "purged", NULL);
	if (strcmp(r, "not_found") == 0)
		return http_send_error(req, 404, "not_found", NULL);
	if (strcmp(r, "invalid_transition") == 0 ||
	    strcmp(r, "classification_required") == 0)
		return http_send_error(req, 400, r, NULL);
	return http_send_error(req, 400, "invalid_field", "classification");
}

/* Run the update and its audit entries. The result code into r. */
static int
advcases_update(const struct advcase *c, const struct advcases_patch_in *in,
    const struct advcases_class_in *cl, const char *grounds, char *r,
    size_t rsz, enum db_status *st)
{
	struct db_param	 p[7] = {
		DB_P_BYTES(c->id, 16),
		DB_P_TEXT(in->status[0] ? in->status : NULL),
		DB_P_TEXT(in->classification != NULL ? "true" : "false"),
		DB_P_TEXT(cl->category[0] ? cl->category : NULL),
		DB_P_TEXT(grounds), DB_P_TEXT(cl->primary[0] ? cl->primary : NULL),
		DB_P_TEXT(cl->outcome[0] ? cl->outcome : NULL),
	};
	PGresult	*res;
	cJSON		*e;

	if (db_begin(st) == -1)
		return -1;
	if ((res = db_exec(DB_CASE_UPDATE, 7, p, st)) == NULL ||
	    PQntuples(res) != 1)
		goto fail;
	snprintf(r, rsz, "%s", db_get_text(res, 0, 0));
	PQclear(res);
	res = NULL;
	if (strcmp(r, "ok") != 0) {
		db_rollback();
		return 0;
	}
	if (in->status[0] != '\0' && ((e = audit_extra("case_id", c->b64)) == NULL ||
	    json_add_str(e, "status", in->status) == -1 ||
	    audit_append("status", c->s.id, e, st) == -1))
		goto fail;
	if (in->classification != NULL && audit_append("classification",
	    c->s.id, audit_extra("case_id", c->b64), st) == -1)
		goto fail;
	if (db_commit(st) == -1)
		goto fail;
	return 0;
fail:
	PQclear(res);
	db_rollback();
	if (*st == DB_OK)
		*st = DB_ERROR;
	return -1;
}

int
advcases_patch(struct http_request *req)
{
	struct advcase			 c;
	struct advcases_patch_in	 in;
	struct advcases_class_in	 cl;
	struct buf			 g = BUF_INIT;
	const char			*code, *field = NULL;
	char				 r[64];
	cJSON				*root;
	enum db_status			 st = DB_OK;
	int				 rc;

	if (advcases_open(req, ADVCASES_CONTENT, &c) == -1)
		return 0;
	memset(&in, 0, sizeof(in));
	memset(&cl, 0, sizeof(cl));
	root = json_in_parse(req->body, req->body_len, advcases_patch_fields, 2,
	    &in, &code, &field);
	if (root == NULL)
		return http_send_error(req, 400, code, field);
	if (in.status[0] == '\0' && in.classification == NULL)
		field = "status";
	else if (in.status[0] != '\0' && !advcases_status_valid(in.status))
		field = "status";
	else if (in.classification != NULL &&
	    (json_in_check(in.classification, advcases_class_fields, 4, &cl,
	    &field) == -1 || (cl.grounds != NULL &&
	    advcases_grounds(cl.grounds, &g) == -1)))
		field = "classification";
	else if (cl.grounds == NULL)
		buf_adds(&g, "{}");
	cJSON_Delete(root);
	if (field != NULL || buf_cstr(&g) == NULL) {
		buf_free(&g);
		return http_send_error(req, 400, "invalid_field",
		    field != NULL ? field : "classification");
	}
	if (advcases_update(&c, &in, &cl, g.data, r, sizeof(r), &st) == -1)
		rc = http_send_error(req, 503, "unavailable", NULL);
	else
		rc = advcases_update_answer(req, r);
	buf_free(&g);
	return rc;
}

/* --- messages and read marks ------------------------------------------------------ */

struct advcases_message_in {
	struct json_bytes	ciphertext;
	unsigned char		signature[64];
	int			feedback;
};

static const struct json_field advcases_message_fields[] = {
	JSON_F_B64_ALLOC("ciphertext", 1, MESSAGES_BLOCK + MESSAGES_OVERHEAD,
	    1 << 20, struct advcases_message_in, ciphertext),
	JSON_F_KEY("signature", 1, 64, struct advcases_message_in, signature),
	JSON_F_BOOL("feedback", 0, struct advcases_message_in, feedback),
};

/* Store the message, acknowledge, audit: the new seq, or -1. */
static long long
advcases_message_store(const struct advcase *c,
    const struct advcases_message_in *in, enum db_status *st)
{
	PGresult	*res = NULL;
	long long	 seq = -1;
	cJSON		*e;

	if (db_begin(st) == -1)
		return -1;
	{
		struct db_param p[6] = {
			DB_P_BYTES(c->id, 16), DB_P_TEXT(c->author),
			DB_P_TEXT(c->s.id),
			DB_P_BYTES(in->ciphertext.data, in->ciphertext.len),
			DB_P_BYTES(in->signature, 64),
			DB_P_TEXT(in->feedback ? "true" : "false"),
		};
		if ((res = db_exec(DB_MESSAGE_ADD, 6, p, st)) == NULL ||
		    PQntuples(res) != 1)
			goto fail;
		seq = db_get_int(res, 0, 0);
		PQclear(res);
	}
	{
		struct db_param p[2] = {
			DB_P_BYTES(c->id, 16),
			DB_P_TEXT(in->feedback ? "true" : "false"),
		};
		if ((res = db_exec(DB_CASE_ANSWERED, 2, p, st)) == NULL)
			goto fail;
		PQclear(res);
	}
	if ((e = audit_extra("case_id", c->b64)) == NULL ||
	    json_add_bool(e, "feedback", in->feedback) == -1 ||
	    audit_commit("message", c->s.id, e, st) == -1) {
		res = NULL;
		goto fail;
	}
	return seq;
fail:
	db_rollback();
	if (*st == DB_OK)
		*st = DB_CONSTRAINT;
	return -1;
}

static int
advcases_created_seq(struct http_request *req, long long seq)
{
	cJSON *out;

	if ((out = cJSON_CreateObject()) == NULL ||
	    json_add_num(out, "seq", (double)seq) == -1) {
		cJSON_Delete(out);
		return -1;
	}
	return http_send_cjson(req, 201, out);
}

int
advcases_message(struct http_request *req)
{
	struct advcase			 c;
	struct advcases_message_in	 in;
	unsigned char			 pk[32];
	const char			*code, *field;
	cJSON				*root;
	enum db_status			 st = DB_OK;
	long long			 seq;
	int				 rc;

	if (advcases_open(req, ADVCASES_CONTENT, &c) == -1)
		return 0;
	memset(&in, 0, sizeof(in));
	root = json_in_parse(req->body, req->body_len, advcases_message_fields,
	    3, &in, &code, &field);
	if (root == NULL)
		return http_send_error(req, 400, code, field);
	cJSON_Delete(root);
	if ((in.ciphertext.len - MESSAGES_OVERHEAD) % MESSAGES_BLOCK != 0)
		rc = http_send_error(req, 400, "invalid_field", "ciphertext");
	else if (advcases_sign_key(c.s.id, pk, &st) == -1 ||
	    seal_message_verify(c.b64, c.author, in.ciphertext.data,
	    in.ciphertext.len, in.signature, pk) != 0)
		rc = st != DB_OK ? http_send_error(req, 503, "unavailable", NULL) :
		    http_send_error(req, 400, "bad_signature", NULL);
	else if ((seq = advcases_message_store(&c, &in, &st)) == -1)
		rc = st == DB_CONSTRAINT ? http_send_error(req, 409, "purged",
		    NULL) : http_send_error(req, 503, "unavailable", NULL);
	else
		rc = advcases_created_seq(req, seq);
	json_bytes_free(&in.ciphertext);
	return rc;
}

struct advcases_read_in {
	long long	seq;
};

static const struct json_field advcases_read_fields[] = {
	JSON_F_INT("seq", 1, 0, 2147483647, struct advcases_read_in, seq),
};

int
advcases_read(struct http_request *req)
{
	struct advcase		 c;
	struct advcases_read_in	 in;
	const char		*code, *field;
	cJSON			*root;
	PGresult		*res;
	enum db_status		 st;

	if (advcases_open(req, ADVCASES_CONTENT, &c) == -1)
		return 0;
	root = json_in_parse(req->body, req->body_len, advcases_read_fields, 1,
	    &in, &code, &field);
	if (root == NULL)
		return http_send_error(req, 400, code, field);
	cJSON_Delete(root);
	{
		struct db_param p[3] = {
			DB_P_BYTES(c.id, 16), DB_P_TEXT(c.s.id), DB_P_INT(in.seq),
		};
		if ((res = db_exec(DB_READ_MARK, 3, p, &st)) == NULL)
			return http_send_error(req, 503, "unavailable", NULL);
	}
	PQclear(res);
	return http_send_empty(req, 204, NULL);
}

/* --- notes ----------------------------------------------------------------------- */

struct advcases_wrap_in {
	char		recipient[48];
	unsigned char	public_key[32];
	unsigned char	wrap[80];
};

static const struct json_field advcases_wrap_fields[] = {
	JSON_F_TEXT("recipient", 1, 1, 47, struct advcases_wrap_in, recipient),
	JSON_F_KEY("public_key", 1, 32, struct advcases_wrap_in, public_key),
	JSON_F_KEY("wrap", 1, 80, struct advcases_wrap_in, wrap),
};

struct advcases_note_wraps_in {
	const cJSON	*wraps;
	unsigned char	 commitment[32];
	size_t		 commitment_len;
	unsigned char	 signature[64];
	size_t		 signature_len;
};

static const struct json_field advcases_note_wraps_fields[] = {
	JSON_F_ARRAY("wraps", 1, 1, ADVCASES_MAX_WRAPS,
	    struct advcases_note_wraps_in, wraps),
	JSON_F_B64("notes_key_commitment", 0, 32, 32,
	    struct advcases_note_wraps_in, commitment, commitment_len),
	JSON_F_B64("notes_key_signature", 0, 64, 64,
	    struct advcases_note_wraps_in, signature, signature_len),
};

/* The wrap objects as three array literals. 0, or -1 (malformed). */
static int
advcases_wrap_arrays(const cJSON *wraps, struct buf *r, struct buf *pk,
    struct buf *w)
{
	struct advcases_wrap_in	 one;
	const cJSON		*item;
	const char		*field, *rec;

	buf_adds(r, "{");
	buf_adds(pk, "{");
	buf_adds(w, "{");
	cJSON_ArrayForEach(item, wraps) {
		if (json_in_check(item, advcases_wrap_fields, 3, &one,
		    &field) == -1)
			return -1;
		if (strcmp(one.recipient, "recovery") == 0)
			rec = "recovery";
		else if (strncmp(one.recipient, "adviser:", 8) == 0 &&
		    ids_uuid_valid(one.recipient + 8))
			rec = one.recipient + 8;
		else
			return -1;
		if (r->len > 1) {
			buf_adds(r, ",");
			buf_adds(pk, ",");
			buf_adds(w, ",");
		}
		buf_adds(r, rec);
		buf_adds(pk, "\"\\\\x");
		buf_add_hex(pk, one.public_key, 32);
		buf_adds(pk, "\"");
		buf_adds(w, "\"\\\\x");
		buf_add_hex(w, one.wrap, 80);
		buf_adds(w, "\"");
	}
	buf_adds(r, "}");
	buf_adds(pk, "}");
	buf_adds(w, "}");
	return buf_cstr(r) && buf_cstr(pk) && buf_cstr(w) ? 0 : -1;
}

static int
advcases_note_wraps_answer(struct http_request *req, const char *r)
{
	if (strcmp(r, "ok") == 0)
		return http_send_empty(req, 204, NULL);
	if (strcmp(r, "no_notes_key") == 0)
		return http_send_error(req, 400, "invalid_field",
		    "notes_key_commitment");
	if (strcmp(r, "purged") == 0 || strcmp(r, "notes_key_exists") == 0 ||
	    strcmp(r, "holders_changed") == 0 || strcmp(r, "key_changed") == 0)
		return http_send_error(req, 409, r, NULL);
	return http_send_error(req, 503, "unavailable", NULL);
}

/* Call meldpunt_note_wraps and audit; the result into r. 0, or -1. */
static int
advcases_note_wraps_store(const struct advcase *c,
    const struct advcases_note_wraps_in *in, const struct buf *rec,
    const struct buf *pks, const struct buf *wraps, char *r, size_t rsz,
    enum db_status *st)
{
	struct db_param	 p[8] = {
		DB_P_BYTES(c->id, 16), DB_P_TEXT(c->s.id), DB_P_TEXT(rec->data),
		DB_P_TEXT(pks->data), DB_P_TEXT(wraps->data),
		DB_P_BYTES(in->commitment_len ? in->commitment : NULL, 32),
		DB_P_BYTES(in->signature_len ? in->signature : NULL, 64),
		DB_P_BYTES(app.secrets->recovery_pk, 32),
	};
	PGresult	*res;

	if (db_begin(st) == -1)
		return -1;
	if ((res = db_exec(DB_NOTE_WRAPS, 8, p, st)) == NULL ||
	    PQntuples(res) != 1) {
		PQclear(res);
		goto fail;
	}
	snprintf(r, rsz, "%s", db_get_text(res, 0, 0));
	PQclear(res);
	if (strcmp(r, "ok") != 0) {
		db_rollback();
		return 0;
	}
	if (audit_commit(in->commitment_len ? "notes_key" : "note_wraps",
	    c->s.id, audit_extra("case_id", c->b64), st) == -1)
		goto fail;
	return 0;
fail:
	db_rollback();
	return -1;
}

int
advcases_note_wraps(struct http_request *req)
{
	struct advcase			 c;
	struct advcases_note_wraps_in	 in;
	struct buf			 rec = BUF_INIT, pks = BUF_INIT;
	struct buf			 wraps = BUF_INIT;
	unsigned char			 pk[32];
	const char			*code, *field;
	char				 r[32];
	cJSON				*root;
	enum db_status			 st = DB_OK;
	int				 rc, bad;

	if (advcases_open(req, ADVCASES_CONTENT, &c) == -1)
		return 0;
	memset(&in, 0, sizeof(in));
	root = json_in_parse(req->body, req->body_len,
	    advcases_note_wraps_fields, 3, &in, &code, &field);
	if (root == NULL)
		return http_send_error(req, 400, code, field);
	bad = advcases_wrap_arrays(in.wraps, &rec, &pks, &wraps);
	cJSON_Delete(root);
	if (bad == -1 || (in.commitment_len != 0) != (in.signature_len != 0)) {
		rc = http_send_error(req, 400, "invalid_field",
		    bad == -1 ? "wraps" : "notes_key_signature");
		goto out;
	}
	if (in.commitment_len != 0 && (advcases_sign_key(c.s.id, pk, &st) == -1 ||
	    seal_notes_key_verify(c.b64, in.commitment, in.signature, pk) != 0)) {
		rc = st != DB_OK ? http_send_error(req, 503, "unavailable", NULL) :
		    http_send_error(req, 400, "bad_signature", NULL);
		goto out;
	}
	if (advcases_note_wraps_store(&c, &in, &rec, &pks, &wraps, r, sizeof(r),
	    &st) == -1)
		rc = http_send_error(req, 503, "unavailable", NULL);
	else
		rc = advcases_note_wraps_answer(req, r);
out:
	buf_free(&rec);
	buf_free(&pks);
	buf_free(&wraps);
	return rc;
}

struct advcases_note_in {
	struct json_bytes	ciphertext;
	unsigned char		signature[64];
};

static const struct json_field advcases_note_fields[] = {
	JSON_F_B64_ALLOC("ciphertext", 1, MESSAGES_BLOCK + MESSAGES_OVERHEAD,
	    1 << 20, struct advcases_note_in, ciphertext),
	JSON_F_KEY("signature", 1, 64, struct advcases_note_in, signature),
};

/* Store the note and audit: the seq, 0 when refused (no notes key), -1. */
static long long
advcases_note_store(const struct advcase *c,
    const struct advcases_note_in *in, enum db_status *st)
{
	struct db_param	 p[4] = {
		DB_P_BYTES(c->id, 16), DB_P_TEXT(c->s.id),
		DB_P_BYTES(in->ciphertext.data, in->ciphertext.len),
		DB_P_BYTES(in->signature, 64),
	};
	PGresult	*res;
	long long	 seq;

	if (db_begin(st) == -1)
		return -1;
	if ((res = db_exec(DB_NOTE_ADD, 4, p, st)) == NULL)
		goto fail;
	if (PQntuples(res) != 1) {
		PQclear(res);
		db_rollback();
		return 0;
	}
	seq = db_get_int(res, 0, 0);
	PQclear(res);
	if (audit_commit("note", c->s.id, audit_extra("case_id", c->b64),
	    st) == -1)
		goto fail;
	return seq;
fail:
	db_rollback();
	return -1;
}

int
advcases_note(struct http_request *req)
{
	struct advcase		 c;
	struct advcases_note_in	 in;
	unsigned char		 pk[32];
	const char		*code, *field;
	cJSON			*root;
	enum db_status		 st = DB_OK;
	long long		 seq;
	int			 rc;

	if (advcases_open(req, ADVCASES_CONTENT, &c) == -1)
		return 0;
	memset(&in, 0, sizeof(in));
	root = json_in_parse(req->body, req->body_len, advcases_note_fields, 2,
	    &in, &code, &field);
	if (root == NULL)
		return http_send_error(req, 400, code, field);
	cJSON_Delete(root);
	if ((in.ciphertext.len - MESSAGES_OVERHEAD) % MESSAGES_BLOCK != 0)
		rc = http_send_error(req, 400, "invalid_field", "ciphertext");
	else if (advcases_sign_key(c.s.id, pk, &st) == -1 ||
	    seal_note_verify(c.b64, c.s.id, in.ciphertext.data,
	    in.ciphertext.len, in.signature, pk) != 0)
		rc = st != DB_OK ? http_send_error(req, 503, "unavailable", NULL) :
		    http_send_error(req, 400, "bad_signature", NULL);
	else if ((seq = advcases_note_store(&c, &in, &st)) == -1)
		rc = http_send_error(req, 503, "unavailable", NULL);
	else if (seq == 0)
		rc = http_send_error(req, 409, "holders_changed", NULL);
	else
		rc = advcases_created_seq(req, seq);
	json_bytes_free(&in.ciphertext);
	return rc;
}

/* --- POST /api/v1/adviser/cases/{id}/share ----------------------------------------- */

struct advcases_share_in {
	char		adviser_id[37];
	unsigned char	public_key[32];
	unsigned char	wrap[80];
	unsigned char	note_wrap[80];
	size_t		note_wrap_len;
};

static const struct json_field advcases_share_fields[] = {
	JSON_F_TEXT("adviser_id", 1, 36, 36, struct advcases_share_in, adviser_id),
	JSON_F_KEY("public_key", 1, 32, struct advcases_share_in, public_key),
	JSON_F_KEY("wrap", 1, 80, struct advcases_share_in, wrap),
	JSON_F_B64("note_wrap", 0, 80, 80, struct advcases_share_in, note_wrap,
	    note_wrap_len),
};

static int
advcases_share_answer(struct http_request *req, const char *r)
{
	if (strcmp(r, "ok") == 0)
		return http_send_empty(req, 204, NULL);
	if (strcmp(r, "no_colleague") == 0)
		return http_send_error(req, 400, "invalid_field", "adviser_id");
	if (strcmp(r, "already_holder") == 0)
		return http_send_error(req, 409, "conflict", NULL);
	if (strcmp(r, "not_found") == 0)
		return http_send_error(req, 404, "not_found", NULL);
	if (strcmp(r, "purged") == 0 || strcmp(r, "excluded_by_reporter") == 0 ||
	    strcmp(r, "key_changed") == 0 || strcmp(r, "holders_changed") == 0)
		return http_send_error(req, 409, r, NULL);
	return http_send_error(req, 503, "unavailable", NULL);
}

static int
advcases_share_store(const struct advcase *c,
    const struct advcases_share_in *in, char *r, size_t rsz,
    enum db_status *st)
{
	struct db_param	 p[5] = {
		DB_P_BYTES(c->id, 16), DB_P_TEXT(in->adviser_id),
		DB_P_BYTES(in->public_key, 32), DB_P_BYTES(in->wrap, 80),
		DB_P_BYTES(in->note_wrap_len ? in->note_wrap : NULL, 80),
	};
	PGresult	*res;
	cJSON		*e;

	if (db_begin(st) == -1)
		return -1;
	if ((res = db_exec(DB_SHARE, 5, p, st)) == NULL || PQntuples(res) != 1) {
		PQclear(res);
		goto fail;
	}
	snprintf(r, rsz, "%s", db_get_text(res, 0, 0));
	PQclear(res);
	if (strcmp(r, "ok") != 0) {
		db_rollback();
		return 0;
	}
	if ((e = audit_extra("case_id", c->b64)) == NULL ||
	    json_add_str(e, "target", in->adviser_id) == -1 ||
	    audit_commit("share", c->s.id, e, st) == -1)
		goto fail;
	return 0;
fail:
	db_rollback();
	return -1;
}

int
advcases_share(struct http_request *req)
{
	struct advcase			 c;
	struct advcases_share_in	 in;
	const char			*code, *field;
	char				 r[32];
	cJSON				*root;
	enum db_status			 st = DB_OK;

	if (advcases_open(req, ADVCASES_CONTENT, &c) == -1)
		return 0;
	memset(&in, 0, sizeof(in));
	root = json_in_parse(req->body, req->body_len, advcases_share_fields, 4,
	    &in, &code, &field);
	if (root == NULL)
		return http_send_error(req, 400, code, field);
	cJSON_Delete(root);
	if (!ids_uuid_valid(in.adviser_id) ||
	    strcmp(in.adviser_id, c.s.id) == 0)
		return http_send_error(req, 400, "invalid_field", "adviser_id");
	if (advcases_share_store(&c, &in, r, sizeof(r), &st) == -1)
		return http_send_error(req, 503, "unavailable", NULL);
	return advcases_share_answer(req, r);
}

/* --- attachments and colleagues ------------------------------------------------------ */

int
advcases_attachment_upload(struct http_request *req)
{
	struct advcase	c;

	if (advcases_open(req, ADVCASES_CONTENT, &c) == -1)
		return 0;
	return attach_upload(req, c.id, c.author, c.s.id);
}

int
advcases_attachment_download(struct http_request *req)
{
	struct advcase	c;

	if (advcases_open(req, ADVCASES_CONTENT, &c) == -1)
		return 0;
	return attach_download(req, c.id, req->params[1]);
}

int
advcases_colleagues(struct http_request *req)
{
	struct session_account	 s;
	PGresult		*res;
	cJSON			*out;
	enum db_status		 st;

	if (session_account(req, SESSION_ROLE_CASEWORK, &s) == -1)
		return 0;
	if ((res = db_exec(DB_COLLEAGUES, 0, NULL, &st)) == NULL ||
	    PQntuples(res) != 1) {
		PQclear(res);
		return http_send_error(req, 503, "unavailable", NULL);
	}
	if ((out = cJSON_CreateObject()) == NULL ||
	    json_add_item(out, "colleagues", adviser_entry_list(db_get_text(res, 0, 0),
	    &st)) == -1) {
		cJSON_Delete(out);
		out = NULL;
	}
	PQclear(res);
	return http_send_cjson(req, 200, out);
}
