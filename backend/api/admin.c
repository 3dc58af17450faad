/*
 * admin.c - administration endpoints.
 *
 * Every change is audited in the transaction that makes it. Scopes are
 * stored as sorted, de-duplicated id arrays, {'*'} for all; a scope or name
 * change leaves the certificate behind, so routing drops the account until
 * a new certificate is imported (meldpunt_routing compares the two).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "admin.h"
#include "app.h"
#include "audit.h"
#include "buf.h"
#include "db.h"
#include "adviser_entry.h"
#include "enrol.h"
#include "http.h"
#include "ids.h"
#include "json_in.h"
#include "json_out.h"
#include "log.h"
#include "paging.h"
#include "seal.h"
#include "secrets.h"
#include "session.h"

#define ADMIN_SCOPE_MAX	256	/* ids in one scope list */

/* --- helpers ---------------------------------------------------------------- */

static int
admin_session(struct http_request *req, struct session_account *s)
{
	return session_account(req, SESSION_ROLE_ADMIN, s);
}

static int
admin_strcmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * A scope list ("*" or an array of slugs, ["*"] too) as a sorted array
 * literal into b: "{*}", "{a,b}". 0, or -1 (malformed).
 */
static int
admin_scope_literal(const cJSON *v, struct buf *b)
{
	const char	*ids[ADMIN_SCOPE_MAX];
	const cJSON	*c;
	size_t		 n = 0, i;

	if (cJSON_IsString(v) && strcmp(v->valuestring, "*") == 0) {
		buf_adds(b, "{*}");
		return buf_cstr(b) == NULL ? -1 : 0;
	}
	if (!cJSON_IsArray(v))
		return -1;
	cJSON_ArrayForEach(c, v) {
		if (n == ADMIN_SCOPE_MAX || !cJSON_IsString(c))
			return -1;
		if (strcmp(c->valuestring, "*") == 0 && cJSON_GetArraySize(v) == 1) {
			buf_adds(b, "{*}");
			return buf_cstr(b) == NULL ? -1 : 0;
		}
		if (!ids_slug_valid(c->valuestring, 32))
			return -1;
		ids[n++] = c->valuestring;
	}
	qsort(ids, n, sizeof(ids[0]), admin_strcmp);
	buf_adds(b, "{");
	for (i = 0; i < n; i++) {
		if (i > 0 && strcmp(ids[i], ids[i - 1]) == 0)
			continue;
		if (b->len > 1)
			buf_adds(b, ",");
		buf_adds(b, ids[i]);
	}
	buf_adds(b, "}");
	return buf_cstr(b) == NULL ? -1 : 0;
}

/* "a,b" (array_to_string) to "{a,b}". */
static const char *
admin_joined_literal(struct buf *b, const char *joined)
{
	buf_adds(b, "{");
	buf_adds(b, joined);
	buf_adds(b, "}");
	return buf_cstr(b);
}

/* ASCII-lowercase copy; emails are compared that way everywhere. */
static int
admin_email_valid(char *email)
{
	char	*p, *at = strchr(email, '@');

	if (at == NULL || at == email || at[1] == '\0' || strchr(at + 1, '@'))
		return 0;
	for (p = email; *p != '\0'; p++) {
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return 0;
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	}
	return 1;
}

static int
admin_role_valid(const char *role)
{
	return strcmp(role, "adviser") == 0 || strcmp(role, "coordinator") == 0 ||
	    strcmp(role, "admin") == 0 || strcmp(role, "analyst") == 0;
}

static int
admin_role_scoped(const char *role)
{
	return strcmp(role, "adviser") == 0 || strcmp(role, "coordinator") == 0;
}

/* Check that every id of the two literals exists: NULL, or the field. */
static const char *
admin_scope_known(const char *orgs, const char *topics, enum db_status *st)
{
	struct db_param	 p[2] = { DB_P_TEXT(orgs), DB_P_TEXT(topics) };
	PGresult	*res;
	const char	*bad = NULL;

	if ((res = db_exec(DB_SCOPE_KNOWN, 2, p, st)) == NULL)
		return NULL;
	if (PQntuples(res) != 1)
		bad = "organisations";
	else if (!db_get_bool(res, 0, 0))
		bad = "organisations";
	else if (!db_get_bool(res, 0, 1))
		bad = "topics";
	PQclear(res);
	return bad;
}

/* A new invite for account id; the token text into token (64 bytes). */
static int
admin_invite_new(const char *id, char token[64], enum db_status *st)
{
	unsigned char	 hash[32];
	struct db_param	 p[3] = {
		DB_P_BYTES(hash, 32), DB_P_TEXT(id), DB_P_INT(ENROL_INVITE_HOURS),
	};
	PGresult	*res;

	if (session_token_new(token, 64, hash) == -1) {
		*st = DB_ERROR;
		return -1;
	}
	if ((res = db_exec(DB_INVITE_ADD, 3, p, st)) == NULL) {
		sodium_memzero(token, 64);
		return -1;
	}
	PQclear(res);
	return 0;
}

/* Insert an account and its invite, audited, in one transaction. */
static int
admin_account_insert(const char *email, const char *name, const char *role,
    const char *orgs, const char *topics, const char *actor, char id[37],
    char token[64], enum db_status *st)
{
	struct db_param	 p[5] = {
		DB_P_TEXT(email), DB_P_TEXT(name), DB_P_TEXT(role),
		DB_P_TEXT(orgs), DB_P_TEXT(topics),
	};
	PGresult	*res;

	if (db_begin(st) == -1)
		return -1;
	if ((res = db_exec(DB_ACCOUNT_ADD, 5, p, st)) == NULL)
		goto fail;
	snprintf(id, 37, "%s", db_get_text(res, 0, 0));
	PQclear(res);
	if (admin_invite_new(id, token, st) == -1 ||
	    audit_commit("account_create", actor, audit_extra("target", id),
	    st) == -1)
		goto fail;
	return 0;
fail:
	db_rollback();
	return -1;
}

/* --- accounts ---------------------------------------------------------------- */

struct admin_account_in {
	char		 email[255];
	char		 name[201];
	char		 role[16];
	const cJSON	*organisations;
	const cJSON	*topics;
};

static const struct json_field admin_account_fields[] = {
	JSON_F_TEXT("email", 1, 3, 254, struct admin_account_in, email),
	JSON_F_TEXT("name", 1, 1, 200, struct admin_account_in, name),
	JSON_F_TEXT("role", 1, 1, 15, struct admin_account_in, role),
	JSON_F_ANY("organisations", 0, struct admin_account_in, organisations),
	JSON_F_ANY("topics", 0, struct admin_account_in, topics),
};

/* The two scope literals of a request; NULL, or the field at fault. */
static const char *
admin_scope_in(const char *role, const cJSON *orgs, const cJSON *topics,
    struct buf *o, struct buf *t)
{
	if (!admin_role_scoped(role)) {
		/* Admins and analysts have no scope: whatever came is unused. */
		buf_adds(o, "{}");
		buf_adds(t, "{}");
		return buf_cstr(o) && buf_cstr(t) ? NULL : "organisations";
	}
	if (orgs == NULL || admin_scope_literal(orgs, o) == -1 ||
	    strcmp(o->data, "{}") == 0)
		return "organisations";
	if (topics == NULL || admin_scope_literal(topics, t) == -1 ||
	    strcmp(t->data, "{}") == 0)
		return "topics";
	return NULL;
}

int
admin_accounts_create(struct http_request *req)
{
	struct session_account	 s;
	struct admin_account_in	 in;
	struct buf		 o = BUF_INIT, t = BUF_INIT;
	char			 id[37], token[64];
	const char		*code, *field;
	cJSON			*root, *out = NULL;
	enum db_status		 st = DB_OK;
	int			 rc;

	if (admin_session(req, &s) == -1)
		return 0;
	memset(&in, 0, sizeof(in));
	root = json_in_parse(req->body, req->body_len, admin_account_fields, 5,
	    &in, &code, &field);
	if (root == NULL)
		return http_send_error(req, 400, code, field);
	if (!admin_email_valid(in.email))
		field = "email";
	else if (!admin_role_valid(in.role))
		field = "role";
	else
		field = admin_scope_in(in.role, in.organisations, in.topics, &o, &t);
	cJSON_Delete(root);
	if (field == NULL)
		field = admin_scope_known(o.data, t.data, &st);
	if (field != NULL || st != DB_OK) {
		rc = st != DB_OK ? http_send_error(req, 503, "unavailable", NULL) :
		    http_send_error(req, 400, "invalid_field", field);
		goto out;
	}
	if (admin_account_insert(in.email, in.name, in.role, o.data, t.data,
	    s.id, id, token, &st) == -1) {
		rc = st == DB_UNIQUE ? http_send_error(req, 409, "conflict", NULL) :
		    http_send_error(req, 503, "unavailable", NULL);
		goto out;
	}
	if ((out = cJSON_CreateObject()) == NULL ||
	    json_add_str(out, "id", id) == -1 ||
	    json_add_str(out, "invite_token", token) == -1) {
		cJSON_Delete(out);
		out = NULL;
	}
	rc = http_send_cjson(req, 201, out);
	sodium_memzero(token, sizeof(token));
out:
	buf_free(&o);
	buf_free(&t);
	return rc;
}

static cJSON *
admin_account_object(const PGresult *res, int i)
{
	cJSON *a;

	if ((a = cJSON_CreateObject()) == NULL)
		return NULL;
	if (json_add_str(a, "id", db_get_text(res, i, 0)) == -1 ||
	    json_add_str(a, "email", db_get_text(res, i, 1)) == -1 ||
	    json_add_str(a, "name", db_get_text(res, i, 2)) == -1 ||
	    json_add_str(a, "role", db_get_text(res, i, 3)) == -1 ||
	    json_add_item(a, "scope", adviser_entry_scope(db_get_text(res, i, 4),
	    db_get_text(res, i, 5))) == -1 ||
	    json_add_str(a, "status", db_get_text(res, i, 6)) == -1 ||
	    json_add_bool(a, "certified", db_get_bool(res, i, 7)) == -1 ||
	    json_add_bool(a, "certificate_pending", db_get_bool(res, i, 8)) == -1 ||
	    (db_is_null(res, i, 9) ? json_add_null(a, "not_after") :
	    json_add_str(a, "not_after", db_get_text(res, i, 9))) == -1) {
		cJSON_Delete(a);
		return NULL;
	}
	return a;
}

int
admin_accounts_list(struct http_request *req)
{
	struct session_account	 s;
	char			 after[64];
	long long		 limit;
	cJSON			*out, *list;
	PGresult		*res;
	enum db_status		 st;
	int			 i, n;

	if (admin_session(req, &s) == -1 ||
	    paging_params(req, &limit, after, sizeof(after)) == -1)
		return 0;
	{
		struct db_param p[2] = { DB_P_TEXT(after), DB_P_INT(limit) };
		if ((res = db_exec(DB_ACCOUNTS_LIST, 2, p, &st)) == NULL)
			return http_send_error(req, 503, "unavailable", NULL);
	}
	n = PQntuples(res);
	if ((out = cJSON_CreateObject()) == NULL ||
	    (list = cJSON_CreateArray()) == NULL ||
	    json_add_item(out, "accounts", list) == -1)
		goto fail;
	for (i = 0; i < n; i++)
		if (json_add_item(list, NULL, admin_account_object(res, i)) == -1)
			goto fail;
	if ((n == limit ? json_add_str(out, "next", db_get_text(res, n - 1, 0)) :
	    json_add_null(out, "next")) == -1)
		goto fail;
	PQclear(res);
	return http_send_cjson(req, 200, out);
fail:
	cJSON_Delete(out);
	PQclear(res);
	return -1;
}

/* The account id of the path, checked as a UUID (else 404). */
static int
admin_path_id(struct http_request *req, const char **id)
{
	const char	*p = req->params[0];
	size_t		 i;

	for (i = 0; p[i] != '\0'; i++)
		if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f') ||
		    p[i] == '-'))
			break;
	if (p[i] != '\0' || i != 36) {
		http_send_error(req, 404, "not_found", NULL);
		return -1;
	}
	*id = p;
	return 0;
}

struct admin_patch_in {
	char		 name[201];
	const cJSON	*organisations;
	const cJSON	*topics;
};

static const struct json_field admin_patch_fields[] = {
	JSON_F_TEXT("name", 0, 1, 200, struct admin_patch_in, name),
	JSON_F_ANY("organisations", 0, struct admin_patch_in, organisations),
	JSON_F_ANY("topics", 0, struct admin_patch_in, topics),
};

/* Apply a patch in a transaction: 0, 1 unknown account, -1. */
static int
admin_patch_apply(const char *actor, const char *id, const char *name,
    const char *orgs, const char *topics, enum db_status *st)
{
	struct db_param	 p[4] = {
		DB_P_TEXT(id), DB_P_TEXT(name), DB_P_TEXT(orgs), DB_P_TEXT(topics),
	};
	PGresult	*res;
	int		 found;

	if (db_begin(st) == -1)
		return -1;
	if ((res = db_exec(DB_ACCOUNT_PATCH, 4, p, st)) == NULL)
		goto fail;
	found = PQntuples(res) == 1;
	PQclear(res);
	if (!found) {
		db_rollback();
		return 1;
	}
	if (audit_commit("account_change", actor, audit_extra("target", id),
	    st) == -1)
		goto fail;
	return 0;
fail:
	db_rollback();
	return -1;
}

int
admin_account_patch(struct http_request *req)
{
	struct session_account	 s;
	struct admin_patch_in	 in;
	struct buf		 o = BUF_INIT, t = BUF_INIT;
	const char		*id, *code, *field = NULL;
	cJSON			*root;
	enum db_status		 st = DB_OK;
	int			 r, rc;

	if (admin_session(req, &s) == -1 || admin_path_id(req, &id) == -1)
		return 0;
	memset(&in, 0, sizeof(in));
	root = json_in_parse(req->body, req->body_len, admin_patch_fields, 3,
	    &in, &code, &field);
	if (root == NULL)
		return http_send_error(req, 400, code, field);
	if (in.organisations != NULL && (admin_scope_literal(in.organisations,
	    &o) == -1 || strcmp(o.data, "{}") == 0))
		field = "organisations";
	else if (in.topics != NULL && (admin_scope_literal(in.topics, &t) == -1 ||
	    strcmp(t.data, "{}") == 0))
		field = "topics";
	cJSON_Delete(root);
	if (field == NULL)
		field = admin_scope_known(o.data ? o.data : "{}",
		    t.data ? t.data : "{}", &st);
	if (field != NULL || st != DB_OK) {
		rc = st != DB_OK ? http_send_error(req, 503, "unavailable", NULL) :
		    http_send_error(req, 400, "invalid_field", field);
		goto out;
	}
	r = admin_patch_apply(s.id, id, in.name[0] ? in.name : NULL, o.data,
	    t.data, &st);
	if (r == 0)
		rc = http_send_empty(req, 204, NULL);
	else if (r == 1)
		rc = http_send_error(req, 404, "not_found", NULL);
	else
		rc = http_send_error(req, 503, "unavailable", NULL);
out:
	buf_free(&o);
	buf_free(&t);
	return rc;
}

int
admin_account_invite(struct http_request *req)
{
	struct session_account	 s;
	struct db_param		 p[1];
	const char		*id;
	char			 token[64];
	cJSON			*out;
	PGresult		*res;
	enum db_status		 st;
	int			 rc, ok;

	if (admin_session(req, &s) == -1 || admin_path_id(req, &id) == -1)
		return 0;
	p[0] = (struct db_param)DB_P_TEXT(id);
	if (db_begin(&st) == -1)
		return http_send_error(req, 503, "unavailable", NULL);
	if ((res = db_exec(DB_ACCOUNT_INVITABLE, 1, p, &st)) == NULL)
		goto fail;
	ok = PQntuples(res) == 1;
	PQclear(res);
	if (!ok) {
		db_rollback();
		return http_send_error(req, 404, "not_found", NULL);
	}
	if (admin_invite_new(id, token, &st) == -1 ||
	    audit_commit("invite", s.id, audit_extra("target", id), &st) == -1)
		goto fail;
	if ((out = cJSON_CreateObject()) == NULL ||
	    json_add_str(out, "invite_token", token) == -1) {
		cJSON_Delete(out);
		out = NULL;
	}
	rc = http_send_cjson(req, 201, out);
	sodium_memzero(token, sizeof(token));
	return rc;
fail:
	db_rollback();
	return http_send_error(req, 503, "unavailable", NULL);
}

int
admin_account_deactivate(struct http_request *req)
{
	struct session_account	 s;
	struct db_param		 p[1];
	const char		*id;
	PGresult		*res;
	enum db_status		 st;
	int			 done;

	if (admin_session(req, &s) == -1 || admin_path_id(req, &id) == -1)
		return 0;
	p[0] = (struct db_param)DB_P_TEXT(id);
	if (db_begin(&st) == -1)
		return http_send_error(req, 503, "unavailable", NULL);
	if ((res = db_exec(DB_ACCOUNT_DEACTIVATE, 1, p, &st)) == NULL)
		goto fail;
	done = PQntuples(res) == 1 && db_get_bool(res, 0, 0);
	PQclear(res);
	if (!done) {
		db_rollback();
		return http_send_error(req, 404, "not_found", NULL);
	}
	if (audit_commit("deactivate", s.id, audit_extra("target", id),
	    &st) == -1)
		goto fail;
	return http_send_empty(req, 204, NULL);
fail:
	db_rollback();
	return http_send_error(req, 503, "unavailable", NULL);
}

/* --- certificates ------------------------------------------------------------ */

static cJSON *
admin_pending_object(const PGresult *res, int i)
{
	const unsigned char	*enc, *sig;
	size_t			 n1, n2;
	char			 fp[SEAL_FINGERPRINT_LEN + 1];
	cJSON			*o;

	enc = db_get_bytes(res, i, 5, &n1);
	sig = db_get_bytes(res, i, 6, &n2);
	if (n1 != 32 || n2 != 32 || seal_fingerprint(fp, enc, sig) != 0 ||
	    (o = cJSON_CreateObject()) == NULL)
		return NULL;
	if (json_add_str(o, "id", db_get_text(res, i, 0)) == -1 ||
	    json_add_str(o, "name", db_get_text(res, i, 1)) == -1 ||
	    json_add_str(o, "role", db_get_text(res, i, 2)) == -1 ||
	    json_add_item(o, "scope", adviser_entry_scope(db_get_text(res, i, 3),
	    db_get_text(res, i, 4))) == -1 ||
	    json_add_b64(o, "encryption_public_key", enc, 32) == -1 ||
	    json_add_b64(o, "sign_public_key", sig, 32) == -1 ||
	    json_add_str(o, "fingerprint", fp) == -1) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

int
admin_certificates_pending(struct http_request *req)
{
	struct session_account	 s;
	PGresult		*res;
	cJSON			*list;
	enum db_status		 st;
	int			 i;

	if (admin_session(req, &s) == -1)
		return 0;
	if ((res = db_exec(DB_CERT_PENDING, 0, NULL, &st)) == NULL)
		return http_send_error(req, 503, "unavailable", NULL);
	if ((list = cJSON_CreateArray()) == NULL)
		goto fail;
	for (i = 0; i < PQntuples(res); i++)
		if (json_add_item(list, NULL, admin_pending_object(res, i)) == -1)
			goto fail;
	PQclear(res);
	return http_send_cjson(req, 200, list);
fail:
	cJSON_Delete(list);
	PQclear(res);
	return -1;
}

struct admin_cert_in {
	char		not_after[11];
	unsigned char	certificate[64];
};

static const struct json_field admin_cert_fields[] = {
	JSON_F_TEXT("not_after", 1, 10, 10, struct admin_cert_in, not_after),
	JSON_F_KEY("certificate", 1, 64, struct admin_cert_in, certificate),
};

/* Split "a,b" (or "*") into at most max pointers into copy. Returns n. */
static size_t
admin_split(char *copy, const char **out, size_t max)
{
	size_t	 n = 0;
	char	*p = copy, *comma;

	while (*p != '\0' && n < max) {
		out[n++] = p;
		if ((comma = strchr(p, ',')) == NULL)
			break;
		*comma = '\0';
		p = comma + 1;
	}
	return n;
}

/* Verify in against the account's current data (row 0 of res). 0 or -1. */
static int
admin_cert_verify(const PGresult *res, const struct admin_cert_in *in)
{
	struct seal_cert	 c;
	const char		*orgs[ADMIN_SCOPE_MAX], *topics[ADMIN_SCOPE_MAX];
	char			*o, *t;
	const unsigned char	*v;
	size_t			 n1, n2;
	int			 rc = -1;

	memset(&c, 0, sizeof(c));
	o = strdup(db_get_text(res, 0, 3));
	t = strdup(db_get_text(res, 0, 4));
	if (o == NULL || t == NULL)
		goto out;
	c.id = db_get_text(res, 0, 0);
	c.name = db_get_text(res, 0, 1);
	c.role = db_get_text(res, 0, 2);
	c.organisations = orgs;
	c.norganisations = admin_split(o, orgs, ADMIN_SCOPE_MAX);
	c.topics = topics;
	c.ntopics = admin_split(t, topics, ADMIN_SCOPE_MAX);
	c.not_after = in->not_after;
	v = db_get_bytes(res, 0, 5, &n1);
	if (n1 == 32)
		memcpy(c.encryption_public_key, v, 32);
	v = db_get_bytes(res, 0, 6, &n2);
	if (n2 == 32)
		memcpy(c.sign_public_key, v, 32);
	memcpy(c.certificate, in->certificate, 64);
	if (n1 == 32 && n2 == 32 &&
	    seal_certificate_verify(&c, app.secrets->cert_pk) == 0)
		rc = 0;
out:
	free(o);
	free(t);
	return rc;
}

/* 1 if day (YYYY-MM-DD) is today (UTC) or later. */
static int
admin_not_expired(const char *day)
{
	time_t		now = time(NULL);
	struct tm	tm;
	char		today[16];

	if (gmtime_r(&now, &tm) == NULL ||
	    strftime(today, sizeof(today), "%Y-%m-%d", &tm) == 0)
		return 0;
	return strcmp(day, today) >= 0;
}

/* Store the verified certificate and audit it. 0, 1 changed meanwhile, -1. */
static int
admin_cert_store(const char *actor, const PGresult *subj,
    const struct admin_cert_in *in, enum db_status *st)
{
	struct buf		 o = BUF_INIT, t = BUF_INIT;
	const unsigned char	*enc;
	size_t			 n;
	PGresult		*res = NULL;
	int			 rc = -1;

	enc = db_get_bytes(subj, 0, 5, &n);
	if (admin_joined_literal(&o, db_get_text(subj, 0, 3)) == NULL ||
	    admin_joined_literal(&t, db_get_text(subj, 0, 4)) == NULL ||
	    db_begin(st) == -1)
		goto out;
	{
		struct db_param p[8] = {
			DB_P_TEXT(db_get_text(subj, 0, 0)), DB_P_BYTES(enc, n),
			DB_P_BYTES(in->certificate, 64), DB_P_TEXT(in->not_after),
			DB_P_TEXT(db_get_text(subj, 0, 1)),
			DB_P_TEXT(db_get_text(subj, 0, 2)), DB_P_TEXT(o.data),
			DB_P_TEXT(t.data),
		};
		if ((res = db_exec(DB_CERT_STORE, 8, p, st)) == NULL)
			goto fail;
	}
	if (PQntuples(res) != 1) {
		rc = 1;
		goto fail;
	}
	if (audit_commit("certificate_import", actor,
	    audit_extra("target", db_get_text(subj, 0, 0)), st) == -1)
		goto fail;
	rc = 0;
	goto out;
fail:
	db_rollback();
out:
	PQclear(res);
	buf_free(&o);
	buf_free(&t);
	return rc;
}

int
admin_certificate_import(struct http_request *req)
{
	struct session_account	 s;
	struct admin_cert_in	 in;
	const char		*id, *code, *field;
	cJSON			*root;
	PGresult		*res;
	enum db_status		 st = DB_OK;
	int			 r;

	if (admin_session(req, &s) == -1 || admin_path_id(req, &id) == -1)
		return 0;
	root = json_in_parse(req->body, req->body_len, admin_cert_fields, 2,
	    &in, &code, &field);
	if (root == NULL)
		return http_send_error(req, 400, code, field);
	cJSON_Delete(root);
	if (!admin_not_expired(in.not_after))
		return http_send_error(req, 400, "invalid_field", "not_after");
	{
		struct db_param p[1] = { DB_P_TEXT(id) };
		if ((res = db_exec(DB_CERT_SUBJECT, 1, p, &st)) == NULL)
			return http_send_error(req, 503, "unavailable", NULL);
	}
	if (PQntuples(res) != 1) {
		PQclear(res);
		return http_send_error(req, 404, "not_found", NULL);
	}
	if (admin_cert_verify(res, &in) == -1) {
		PQclear(res);
		return http_send_error(req, 400, "bad_signature", NULL);
	}
	r = admin_cert_store(s.id, res, &in, &st);
	PQclear(res);
	if (r == 0)
		return http_send_empty(req, 204, NULL);
	if (r == 1)
		return http_send_error(req, 409, "conflict", NULL);
	return http_send_error(req, 503, "unavailable", NULL);
}

/* --- organisations and topics ------------------------------------------------ */

struct admin_names {
	char	nl[201];
	char	en[201];
};

static const struct json_field admin_names_fields[] = {
	JSON_F_TEXT("nl", 1, 1, 200, struct admin_names, nl),
	JSON_F_TEXT("en", 1, 1, 200, struct admin_names, en),
};

struct admin_unit_in {
	char		 id[33];
	const cJSON	*name;
	long long	 headcount;
	int		 retired;
	struct admin_names names;
};

static const struct json_field admin_org_fields[] = {
	JSON_F_SLUG("id", 1, 32, struct admin_unit_in, id),
	JSON_F_OBJECT("name", 1, struct admin_unit_in, name),
	JSON_F_INT("headcount", 0, 0, 10000000, struct admin_unit_in, headcount),
};

static const struct json_field admin_topic_fields[] = {
	JSON_F_SLUG("id", 1, 32, struct admin_unit_in, id),
	JSON_F_OBJECT("name", 1, struct admin_unit_in, name),
};

static const struct json_field admin_org_patch_fields[] = {
	JSON_F_OBJECT("name", 0, struct admin_unit_in, name),
	JSON_F_INT("headcount", 0, 0, 10000000, struct admin_unit_in, headcount),
	JSON_F_BOOL("retired", 0, struct admin_unit_in, retired),
};

static const struct json_field admin_topic_patch_fields[] = {
	JSON_F_OBJECT("name", 0, struct admin_unit_in, name),
	JSON_F_BOOL("retired", 0, struct admin_unit_in, retired),
};

static int
admin_units_list(struct http_request *req, enum db_stmt stmt, const char *key,
    int headcount)
{
	struct session_account	 s;
	PGresult		*res;
	cJSON			*out, *list, *o;
	enum db_status		 st;
	int			 i;

	if (admin_session(req, &s) == -1)
		return 0;
	if ((res = db_exec(stmt, 0, NULL, &st)) == NULL)
		return http_send_error(req, 503, "unavailable", NULL);
	if ((out = cJSON_CreateObject()) == NULL ||
	    (list = cJSON_CreateArray()) == NULL ||
	    json_add_item(out, key, list) == -1)
		goto fail;
	for (i = 0; i < PQntuples(res); i++) {
		if ((o = cJSON_CreateObject()) == NULL ||
		    json_add_item(list, NULL, o) == -1 ||
		    json_add_str(o, "id", db_get_text(res, i, 0)) == -1 ||
		    json_add_names(o, "name", db_get_text(res, i, 1),
		    db_get_text(res, i, 2)) == -1 ||
		    json_add_bool(o, "retired", db_get_bool(res, i, 3)) == -1 ||
		    (headcount && json_add_num(o, "headcount",
		    (double)db_get_int(res, i, 4)) == -1))
			goto fail;
	}
	PQclear(res);
	return http_send_cjson(req, 200, out);
fail:
	cJSON_Delete(out);
	PQclear(res);
	return -1;
}

int
admin_organisations_list(struct http_request *req)
{
	return admin_units_list(req, DB_ORGANISATIONS_ALL, "organisations", 1);
}

int
admin_topics_list(struct http_request *req)
{
	return admin_units_list(req, DB_TOPICS_ALL, "topics", 0);
}

/* Parse a create or patch body into in. 0, or -1 after sending 400. */
static int
admin_unit_parse(struct http_request *req, const struct json_field *fields,
    size_t n, struct admin_unit_in *in)
{
	const char	*code, *field;
	cJSON		*root;
	int		 bad;

	memset(in, 0, sizeof(*in));
	in->headcount = -1;
	in->retired = -1;
	root = json_in_parse(req->body, req->body_len, fields, n, in, &code,
	    &field);
	if (root == NULL)
		return http_send_error(req, 400, code, field), -1;
	bad = in->name != NULL && json_in_check(in->name, admin_names_fields, 2,
	    &in->names, &field) == -1;
	cJSON_Delete(root);
	in->name = NULL;
	if (bad)
		return http_send_error(req, 400, "invalid_field", "name"), -1;
	return 0;
}

/* Run a unit-changing statement and audit it. 0, 1 none, 2 unique, -1. */
static int
admin_unit_write(enum db_stmt stmt, int n, const struct db_param *p,
    const char *action, const char *actor, const char *id)
{
	PGresult	*res;
	enum db_status	 st;
	int		 found;

	if (db_begin(&st) == -1)
		return -1;
	if ((res = db_exec(stmt, n, p, &st)) == NULL) {
		db_rollback();
		return st == DB_UNIQUE ? 2 : -1;
	}
	found = PQntuples(res) == 1;
	PQclear(res);
	if (!found) {
		db_rollback();
		return 1;
	}
	return audit_commit(action, actor, audit_extra("target", id), &st);
}

static int
admin_unit_answer(struct http_request *req, int r, int created)
{
	if (r == 0)
		return created ? http_send_empty(req, 201, NULL) :
		    http_send_empty(req, 204, NULL);
	if (r == 1)
		return http_send_error(req, 404, "not_found", NULL);
	if (r == 2)
		return http_send_error(req, 409, "conflict", NULL);
	return http_send_error(req, 503, "unavailable", NULL);
}

int
admin_organisations_create(struct http_request *req)
{
	struct session_account	s;
	struct admin_unit_in	in;

	if (admin_session(req, &s) == -1 ||
	    admin_unit_parse(req, admin_org_fields, 3, &in) == -1)
		return 0;
	{
		struct db_param p[4] = {
			DB_P_TEXT(in.id), DB_P_TEXT(in.names.nl),
			DB_P_TEXT(in.names.en),
			DB_P_INT(in.headcount < 0 ? 0 : in.headcount),
		};
		return admin_unit_answer(req, admin_unit_write(DB_ORGANISATION_ADD,
		    4, p, "organisation_create", s.id, in.id), 1);
	}
}

int
admin_topics_create(struct http_request *req)
{
	struct session_account	s;
	struct admin_unit_in	in;

	if (admin_session(req, &s) == -1 ||
	    admin_unit_parse(req, admin_topic_fields, 2, &in) == -1)
		return 0;
	{
		struct db_param p[3] = {
			DB_P_TEXT(in.id), DB_P_TEXT(in.names.nl),
			DB_P_TEXT(in.names.en),
		};
		return admin_unit_answer(req, admin_unit_write(DB_TOPIC_ADD, 3, p,
		    "topic_create", s.id, in.id), 1);
	}
}

/* A patch: NULL parameters keep the stored value. */
static int
admin_unit_patch(struct http_request *req, const struct json_field *fields,
    size_t nfields, enum db_stmt stmt, const char *action)
{
	struct session_account	 s;
	struct admin_unit_in	 in;
	char			 head[24];
	const char		*id = req->params[0];

	if (admin_session(req, &s) == -1)
		return 0;
	if (!ids_slug_valid(id, 32))
		return http_send_error(req, 404, "not_found", NULL);
	if (admin_unit_parse(req, fields, nfields, &in) == -1)
		return 0;
	snprintf(head, sizeof(head), "%lld", in.headcount);
	{
		struct db_param p[5] = {
			DB_P_TEXT(id),
			DB_P_TEXT(in.names.nl[0] ? in.names.nl : NULL),
			DB_P_TEXT(in.names.en[0] ? in.names.en : NULL),
			DB_P_TEXT(in.retired < 0 ? NULL :
			    in.retired ? "true" : "false"),
			DB_P_TEXT(in.headcount < 0 ? NULL : head),
		};
		return admin_unit_answer(req, admin_unit_write(stmt,
		    stmt == DB_ORGANISATION_PATCH ? 5 : 4, p, action, s.id, id), 0);
	}
}

int
admin_organisation_patch(struct http_request *req)
{
	return admin_unit_patch(req, admin_org_patch_fields, 3,
	    DB_ORGANISATION_PATCH, "organisation_change");
}

int
admin_topic_patch(struct http_request *req)
{
	return admin_unit_patch(req, admin_topic_patch_fields, 2, DB_TOPIC_PATCH,
	    "topic_change");
}

/* --- meldpuntd create-admin ---------------------------------------------------- */

int
admin_create_cli(const char *email, const char *name, FILE *out)
{
	char		 mail[255], id[37], token[64];
	enum db_status	 st = DB_OK;
	int		 n;

	n = snprintf(mail, sizeof(mail), "%s", email);
	if (n < 3 || (size_t)n >= sizeof(mail) || !admin_email_valid(mail) ||
	    strlen(name) < 1 || strlen(name) > 200 ||
	    !json_in_utf8_valid(name, strlen(name))) {
		log_warnx("%s: a valid --email and --name are needed", __func__);
		return -1;
	}
	if (admin_account_insert(mail, name, "admin", "{}", "{}", "cli", id,
	    token, &st) == -1) {
		log_warnx("%s: cannot create the account%s", __func__,
		    st == DB_UNIQUE ? " (the email is taken)" : "");
		return -1;
	}
	n = fprintf(out, "account: %s\ninvite token (valid %d hours, once): %s\n"
	    "enrolment link: /enrol.html#invite=%s\n", id, ENROL_INVITE_HOURS, token,
	    token);
	sodium_memzero(token, sizeof(token));
	return n < 0 ? -1 : 0;
}
