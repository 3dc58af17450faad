/*
 * accounts.c - staff accounts as the administrator keeps them: create with
 * an invite, patch name and scope, invite again, deactivate, list.
 *
 * Scope lists go to PostgreSQL as binary text arrays, sorted and
 * de-duplicated here, {'*'} for all and {} for roles without a scope.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "accounts.h"
#include "adviser_entry.h"
#include "audit.h"
#include "db.h"
#include "ids.h"
#include "json_out.h"
#include "pgarray.h"
#include "units.h"

/* A scope list as a statement parameter; unset: SQL NULL. */
struct accounts_scope {
	struct pgarray	 a;
	int		 set;
};

static int
accounts_strcmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void
accounts_scope_init(struct accounts_scope *s)
{
	pgarray_init(&s->a, PGARRAY_TEXT);
	s->set = 0;
}

static void
accounts_scope_free(struct accounts_scope *s)
{
	pgarray_free(&s->a);
}

/* The scope as a parameter: the array, or NULL when unset. */
static struct db_param
accounts_scope_param(const struct accounts_scope *s)
{
	struct db_param p = DB_P_BYTES(NULL, 0);

	if (s->set) {
		p.value = s->a.out.data;
		p.len = s->a.out.len;
	}
	return p;
}

/* Finish s as the empty array (roles without scope). 0 or -1. */
static int
accounts_scope_empty(struct accounts_scope *s)
{
	s->set = 1;
	return pgarray_finish(&s->a);
}

/*
 * A scope list ("*", or a non-empty array of slugs, ["*"] too) into s,
 * sorted and de-duplicated. 0, or -1 (malformed or empty).
 */
static int
accounts_scope_of(const cJSON *v, struct accounts_scope *s)
{
	const char	*ids[ACCOUNTS_SCOPE_MAX];
	const cJSON	*c;
	size_t		 n = 0, i;

	s->set = 1;
	if (cJSON_IsString(v) && strcmp(v->valuestring, "*") == 0) {
		pgarray_add_text(&s->a, "*");
		return pgarray_finish(&s->a);
	}
	if (!cJSON_IsArray(v))
		return -1;
	cJSON_ArrayForEach(c, v) {
		if (n == ACCOUNTS_SCOPE_MAX || !cJSON_IsString(c))
			return -1;
		if (strcmp(c->valuestring, "*") == 0 &&
		    cJSON_GetArraySize(v) == 1) {
			pgarray_add_text(&s->a, "*");
			return pgarray_finish(&s->a);
		}
		if (!ids_slug_valid(c->valuestring, UNITS_ID_MAX))
			return -1;
		ids[n++] = c->valuestring;
	}
	if (n == 0)
		return -1;
	qsort(ids, n, sizeof(ids[0]), accounts_strcmp);
	for (i = 0; i < n; i++)
		if (i == 0 || strcmp(ids[i], ids[i - 1]) != 0)
			pgarray_add_text(&s->a, ids[i]);
	return pgarray_finish(&s->a);
}

/* Check that every id of the two lists (unset: none) exists. */
static enum desk_result
accounts_scope_known(const struct accounts_scope *o,
    const struct accounts_scope *t)
{
	struct accounts_scope	 none;
	struct db_param		 p[2];
	PGresult		*res;
	enum desk_result	 r = DESK_OK;
	enum db_status		 st;

	accounts_scope_init(&none);
	if (accounts_scope_empty(&none) == -1) {
		accounts_scope_free(&none);
		return DESK_UNAVAILABLE;
	}
	p[0] = accounts_scope_param(o->set ? o : &none);
	p[1] = accounts_scope_param(t->set ? t : &none);
	res = db_exec(DB_SCOPE_KNOWN, nitems(p), p, &st);
	accounts_scope_free(&none);
	if (res == NULL)
		return desk_result_db(st);
	if (PQntuples(res) != 1 ||
	    !db_get_bool(res, 0, SCOPE_KNOWN_ORGANISATIONS))
		r = DESK_BAD_ORGANISATIONS;
	else if (!db_get_bool(res, 0, SCOPE_KNOWN_TOPICS))
		r = DESK_BAD_TOPICS;
	PQclear(res);
	return r;
}

/* The two scope lists of a new account of role. */
static enum desk_result
accounts_scope_in(const char *role, const cJSON *orgs, const cJSON *topics,
    struct accounts_scope *o, struct accounts_scope *t)
{
	if (strcmp(role, "adviser") != 0 && strcmp(role, "coordinator") != 0) {
		/* Admins and analysts have no scope: what came is unused. */
		if (accounts_scope_empty(o) == -1 ||
		    accounts_scope_empty(t) == -1)
			return DESK_UNAVAILABLE;
		return DESK_OK;
	}
	if (orgs == NULL || accounts_scope_of(orgs, o) == -1)
		return DESK_BAD_ORGANISATIONS;
	if (topics == NULL || accounts_scope_of(topics, t) == -1)
		return DESK_BAD_TOPICS;
	return accounts_scope_known(o, t);
}

/* Lowercase email into out (ASCII; emails are compared that way). */
static int
accounts_email(const char *email, char out[ACCOUNTS_EMAIL_MAX + 1])
{
	const char	*at;
	char		*p;
	int		 n;

	n = snprintf(out, ACCOUNTS_EMAIL_MAX + 1, "%s", email);
	if (n < 0 || n > ACCOUNTS_EMAIL_MAX)
		return 0;
	at = strchr(out, '@');
	if (at == NULL || at == out || at[1] == '\0' || strchr(at + 1, '@'))
		return 0;
	for (p = out; *p != '\0'; p++) {
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return 0;
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	}
	return 1;
}

static int
accounts_role_valid(const char *role)
{
	return strcmp(role, "adviser") == 0 ||
	    strcmp(role, "coordinator") == 0 || strcmp(role, "admin") == 0 || strcmp(role, "analyst") == 0;
}

/* Store a new invite for account id, inside the caller's transaction. */
static int
accounts_invite_add(const char *id, const unsigned char hash[HASH_BYTES],
    enum db_status *st)
{
	struct db_param	 p[3] = {
		DB_P_BYTES(hash, HASH_BYTES), DB_P_TEXT(id),
		DB_P_INT(ACCOUNTS_INVITE_HOURS),
	};
	PGresult	*res;

	if ((res = db_exec(DB_INVITE_ADD, nitems(p), p, st)) == NULL)
		return -1;
	PQclear(res);
	return 0;
}

/* Insert an account and its invite, audited, in one transaction. */
static enum desk_result
accounts_insert(const char *email, const char *name, const char *role,
    const struct accounts_scope *o, const struct accounts_scope *t,
    const char *actor, const unsigned char hash[HASH_BYTES],
    char id[UUID_SIZE])
{
	struct db_param	 p[5] = {
		DB_P_TEXT(email), DB_P_TEXT(name), DB_P_TEXT(role),
		accounts_scope_param(o), accounts_scope_param(t),
	};
	PGresult	*res;
	enum db_status	 st;

	if (db_begin(&st) == -1)
		return desk_result_db(st);
	if ((res = db_exec(DB_ACCOUNT_ADD, nitems(p), p, &st)) == NULL)
		goto fail;
	snprintf(id, UUID_SIZE, "%s", db_get_text(res, 0, ACCOUNT_ADD_ID));
	PQclear(res);
	if (accounts_invite_add(id, hash, &st) == -1 ||
	    audit_commit("account_create", actor, audit_extra("target", id),
	    &st) == -1)
		goto fail;
	return DESK_OK;
fail:
	db_rollback();
	return st == DB_UNIQUE ? DESK_CONFLICT : desk_result_db(st);
}

enum desk_result
accounts_create(const char *email, const char *name, const char *role,
    const cJSON *organisations, const cJSON *topics, const char *actor,
    const unsigned char invite_hash[HASH_BYTES], char id[UUID_SIZE])
{
	struct accounts_scope	 o, t;
	char			 mail[ACCOUNTS_EMAIL_MAX + 1];
	enum desk_result	 r;

	if (!accounts_email(email, mail))
		return DESK_BAD_EMAIL;
	if (!accounts_role_valid(role))
		return DESK_BAD_ROLE;
	accounts_scope_init(&o);
	accounts_scope_init(&t);
	r = accounts_scope_in(role, organisations, topics, &o, &t);
	if (r == DESK_OK)
		r = accounts_insert(mail, name, role, &o, &t, actor,
		    invite_hash, id);
	accounts_scope_free(&o);
	accounts_scope_free(&t);
	return r;
}

static cJSON *
accounts_object(const PGresult *res, int i)
{
	cJSON *a;

	if ((a = cJSON_CreateObject()) == NULL)
		return NULL;
	if (json_add_str(a, "id",
	    db_get_text(res, i, ACCOUNTS_LIST_ID)) == -1 ||
	    json_add_str(a, "email",
	    db_get_text(res, i, ACCOUNTS_LIST_EMAIL)) == -1 ||
	    json_add_str(a, "name",
	    db_get_text(res, i, ACCOUNTS_LIST_NAME)) == -1 ||
	    json_add_str(a, "role",
	    db_get_text(res, i, ACCOUNTS_LIST_ROLE)) == -1 ||
	    json_add_item(a, "scope", adviser_entry_scope(
	    db_get_text(res, i, ACCOUNTS_LIST_ORGANISATIONS),
	    db_get_text(res, i, ACCOUNTS_LIST_TOPICS))) == -1 ||
	    json_add_str(a, "status",
	    db_get_text(res, i, ACCOUNTS_LIST_STATUS)) == -1 ||
	    json_add_bool(a, "certified",
	    db_get_bool(res, i, ACCOUNTS_LIST_CERTIFIED)) == -1 ||
	    json_add_bool(a, "certificate_pending",
	    db_get_bool(res, i, ACCOUNTS_LIST_PENDING)) == -1 ||
	    (db_is_null(res, i, ACCOUNTS_LIST_NOT_AFTER) ?
	    json_add_null(a, "not_after") : json_add_str(a, "not_after",
	    db_get_text(res, i, ACCOUNTS_LIST_NOT_AFTER))) == -1) {
		cJSON_Delete(a);
		return NULL;
	}
	return a;
}

enum desk_result
accounts_list(const char *after, long long limit, cJSON **out)
{
	struct db_param	 p[2] = { DB_P_TEXT(after), DB_P_INT(limit) };
	cJSON		*o, *list;
	PGresult	*res;
	enum db_status	 st;
	int		 i, n;

	*out = NULL;
	if ((res = db_exec(DB_ACCOUNTS_LIST, nitems(p), p, &st)) == NULL)
		return desk_result_db(st);
	n = PQntuples(res);
	if ((o = cJSON_CreateObject()) == NULL ||
	    (list = cJSON_CreateArray()) == NULL ||
	    json_add_item(o, "accounts", list) == -1)
		goto fail;
	for (i = 0; i < n; i++)
		if (json_add_item(list, NULL, accounts_object(res, i)) == -1)
			goto fail;
	if ((n == limit ? json_add_str(o, "next",
	    db_get_text(res, n - 1, ACCOUNTS_LIST_ID)) :
	    json_add_null(o, "next")) == -1)
		goto fail;
	PQclear(res);
	*out = o;
	return DESK_OK;
fail:
	cJSON_Delete(o);
	PQclear(res);
	return DESK_UNAVAILABLE;
}

/*
 * Run stmt (one row when it applies) on account id and audit action, in
 * one transaction. DESK_OK, DESK_NOT_FOUND or DESK_UNAVAILABLE.
 */
static enum desk_result
accounts_change(enum db_stmt stmt, int n, const struct db_param *p,
    const char *action, const char *actor, const char *id, int col)
{
	PGresult	*res;
	enum db_status	 st;
	int		 found;

	if (db_begin(&st) == -1)
		return desk_result_db(st);
	if ((res = db_exec(stmt, n, p, &st)) == NULL)
		goto fail;
	found = PQntuples(res) == 1 && (col < 0 || db_get_bool(res, 0, col));
	PQclear(res);
	if (!found) {
		db_rollback();
		return DESK_NOT_FOUND;
	}
	if (audit_commit(action, actor, audit_extra("target", id), &st) == -1)
		goto fail;
	return DESK_OK;
fail:
	db_rollback();
	return desk_result_db(st);
}

enum desk_result
accounts_patch(const char *actor, const char *id, const char *name,
    const cJSON *organisations, const cJSON *topics)
{
	struct accounts_scope	 o, t;
	enum desk_result	 r = DESK_OK;

	if (!ids_uuid_valid(id))
		return DESK_NOT_FOUND;
	accounts_scope_init(&o);
	accounts_scope_init(&t);
	if (organisations != NULL && accounts_scope_of(organisations, &o) == -1)
		r = DESK_BAD_ORGANISATIONS;
	else if (topics != NULL && accounts_scope_of(topics, &t) == -1)
		r = DESK_BAD_TOPICS;
	if (r == DESK_OK)
		r = accounts_scope_known(&o, &t);
	if (r == DESK_OK) {
		struct db_param p[4] = {
			DB_P_TEXT(id), DB_P_TEXT(name),
			accounts_scope_param(&o), accounts_scope_param(&t),
		};
		r = accounts_change(DB_ACCOUNT_PATCH, nitems(p), p,
		    "account_change", actor, id, -1);
	}
	accounts_scope_free(&o);
	accounts_scope_free(&t);
	return r;
}

enum desk_result
accounts_invite(const char *actor, const char *id,
    const unsigned char invite_hash[HASH_BYTES])
{
	struct db_param	 p[1] = { DB_P_TEXT(id) };
	PGresult	*res;
	enum db_status	 st;
	int		 ok;

	if (!ids_uuid_valid(id))
		return DESK_NOT_FOUND;
	if (db_begin(&st) == -1)
		return desk_result_db(st);
	if ((res = db_exec(DB_ACCOUNT_INVITABLE, nitems(p), p, &st)) == NULL)
		goto fail;
	ok = PQntuples(res) == 1;
	PQclear(res);
	if (!ok) {
		db_rollback();
		return DESK_NOT_FOUND;
	}
	if (accounts_invite_add(id, invite_hash, &st) == -1 ||
	    audit_commit("invite", actor, audit_extra("target", id), &st) == -1)
		goto fail;
	return DESK_OK;
fail:
	db_rollback();
	return desk_result_db(st);
}

enum desk_result
accounts_deactivate(const char *actor, const char *id)
{
	struct db_param p[1] = { DB_P_TEXT(id) };

	if (!ids_uuid_valid(id))
		return DESK_NOT_FOUND;
	return accounts_change(DB_ACCOUNT_DEACTIVATE, nitems(p), p,
	    "deactivate", actor, id, ACCOUNT_DEACTIVATE_DONE);
}
