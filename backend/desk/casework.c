/*
 * casework.c - the adviser's and coordinator's work on cases: the inbox,
 * access to one case, opening it, status and classification, read marks
 * and the colleagues to share with. Writing to a case (messages, notes,
 * note keys, shares) is in casewrite.c.
 */
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "adviser_entry.h"
#include "audit.h"
#include "cases.h"
#include "casework.h"
#include "db.h"
#include "ids.h"
#include "json_out.h"
#include "pgarray.h"

int
casework_status_valid(const char *s)
{
	return strcmp(s, "new") == 0 || strcmp(s, "acknowledged") == 0 ||
	    strcmp(s, "in_progress") == 0 || strcmp(s, "closed") == 0;
}

/* --- the inbox ------------------------------------------------------------ */

/* The page of res as {"cases", "next"}, or NULL. */
static cJSON *
casework_page(const PGresult *res, long long limit)
{
	const unsigned char	*id;
	char			 next[ID_B64_SIZE];
	size_t			 len = 0;
	cJSON			*out, *list;
	int			 i, n = PQntuples(res);

	if ((out = cJSON_CreateObject()) == NULL ||
	    (list = cJSON_CreateArray()) == NULL ||
	    json_add_item(out, "cases", list) == -1)
		goto fail;
	for (i = 0; i < n; i++)
		if (json_add_item(list, NULL, cases_summary(res, i)) == -1)
			goto fail;
	if (n > 0 && n == limit) {
		id = db_get_bytes(res, n - 1, CASE_ROW_ID, &len);
		if (len != ID_BYTES)
			goto fail;
		ids_encode(id, next);
		if (json_add_str(out, "next", next) == -1)
			goto fail;
	} else if (json_add_null(out, "next") == -1)
		goto fail;
	return out;
fail:
	cJSON_Delete(out);
	return NULL;
}

enum desk_result
casework_list(const char *account, const char *status,
    const unsigned char *after, long long limit, cJSON **out)
{
	struct db_param	 p[] = {
		DB_P_TEXT(account), DB_P_TEXT(status),
		DB_P_BYTES(after, ID_BYTES), DB_P_INT(limit),
	};
	PGresult	*res;
	enum db_status	 st;

	if ((res = db_exec(DB_ADVISER_CASES, nitems(p), p, &st)) == NULL)
		return desk_result_db(st);
	*out = casework_page(res, limit);
	PQclear(res);
	return *out != NULL ? DESK_OK : DESK_UNAVAILABLE;
}

/* --- one case ------------------------------------------------------------- */

enum desk_result
casework_open(const char *account, const char *id_text,
    enum casework_access need, struct casework_case *c)
{
	PGresult	*res;
	enum db_status	 st;

	memset(c, 0, sizeof(*c));
	if (ids_decode(id_text, c->id) == -1)
		return DESK_NOT_FOUND;
	ids_encode(c->id, c->b64);
	snprintf(c->account, sizeof(c->account), "%s", account);
	snprintf(c->author, sizeof(c->author), "adviser:%s", account);
	{
		struct db_param p[] = {
			DB_P_BYTES(c->id, ID_BYTES), DB_P_TEXT(c->account),
		};
		if ((res = db_exec(DB_CASE_ACCESS, nitems(p), p, &st)) == NULL)
			return desk_result_db(st);
	}
	if (PQntuples(res) == 1 && !db_is_null(res, 0, CASE_ACCESS_LEVEL))
		c->access = (enum casework_access)db_get_int(res, 0,
		    CASE_ACCESS_LEVEL);
	PQclear(res);
	if (c->access != CASEWORK_METADATA && c->access != CASEWORK_CONTENT)
		return DESK_NOT_FOUND;
	if (c->access < need)
		return DESK_FORBIDDEN;
	return DESK_OK;
}

enum desk_result
casework_view(const struct casework_case *c, cJSON **out)
{
	enum db_status	st = DB_OK;

	if (c->access == CASEWORK_CONTENT)
		*out = cases_adviser_view(c->id, c->account, &st);
	else
		*out = cases_metadata_view(c->id, c->account, &st);
	if (*out == NULL)
		return st == DB_OK ? DESK_NOT_FOUND : desk_result_db(st);
	(void)audit_record(c->access == CASEWORK_CONTENT ? "open_case" :
	    "open_case_metadata", c->account, audit_extra("case_id", c->b64));
	return DESK_OK;
}

/* --- status and classification -------------------------------------------- */

/* The audit entries of an update, in its transaction. 0, or -1. */
static int
casework_update_audit(const struct casework_case *c,
    const struct casework_update *u, enum db_status *st)
{
	cJSON	*e;

	if (u->status != NULL && ((e = audit_extra("case_id", c->b64)) == NULL ||
	    json_add_str(e, "status", u->status) == -1 ||
	    audit_append("status", c->account, e, st) == -1))
		return -1;
	if (u->classify && audit_append("classification", c->account,
	    audit_extra("case_id", c->b64), st) == -1)
		return -1;
	return 0;
}

/* Run meldpunt_case_update with the grounds as ga, and audit it. */
static enum desk_result
casework_update_run(const struct casework_case *c,
    const struct casework_update *u, const struct pgarray *ga)
{
	struct db_param		 p[] = {
		DB_P_BYTES(c->id, ID_BYTES),
		DB_P_TEXT(u->status),
		DB_P_TEXT(u->classify ? "true" : "false"),
		DB_P_TEXT(u->category),
		DB_P_BYTES(ga->out.data, ga->out.len),
		DB_P_TEXT(u->primary_ground),
		DB_P_TEXT(u->outcome),
	};
	PGresult		*res;
	enum db_status		 st = DB_OK;
	enum desk_result	 r;

	if (db_begin(&st) == -1)
		return desk_result_db(st);
	if ((res = db_exec(DB_CASE_UPDATE, nitems(p), p, &st)) == NULL ||
	    PQntuples(res) != 1) {
		PQclear(res);
		goto fail;
	}
	r = desk_result_of(db_get_text(res, 0, CASE_UPDATE_OUTCOME));
	PQclear(res);
	if (r != DESK_OK) {
		db_rollback();
		return r;
	}
	if (casework_update_audit(c, u, &st) == -1 || db_commit(&st) == -1)
		goto fail;
	return DESK_OK;
fail:
	db_rollback();
	return desk_result_db(st);
}

enum desk_result
casework_update(const struct casework_case *c, const struct casework_update *u)
{
	struct pgarray		ga;
	enum desk_result	r = DESK_UNAVAILABLE;
	size_t			i;

	pgarray_init(&ga, PGARRAY_TEXT);
	for (i = 0; i < u->ngrounds && i < nitems(u->grounds); i++)
		pgarray_add_text(&ga, u->grounds[i]);
	if (pgarray_finish(&ga) == 0)
		r = casework_update_run(c, u, &ga);
	pgarray_free(&ga);
	return r;
}

/* --- read marks and colleagues -------------------------------------------- */

enum desk_result
casework_read(const struct casework_case *c, long long seq)
{
	struct db_param	 p[] = {
		DB_P_BYTES(c->id, ID_BYTES), DB_P_TEXT(c->account), DB_P_INT(seq),
	};
	PGresult	*res;
	enum db_status	 st;

	if ((res = db_exec(DB_READ_MARK, nitems(p), p, &st)) == NULL)
		return desk_result_db(st);
	PQclear(res);
	return DESK_OK;
}

enum desk_result
casework_colleagues(cJSON **out)
{
	PGresult	*res;
	enum db_status	 st;

	*out = NULL;
	if ((res = db_exec(DB_COLLEAGUES, 0, NULL, &st)) == NULL)
		return desk_result_db(st);
	if ((*out = cJSON_CreateObject()) != NULL &&
	    json_add_item(*out, "colleagues", adviser_entry_list_column(res,
	    COLLEAGUES_ID, &st)) == -1) {
		cJSON_Delete(*out);
		*out = NULL;
	}
	PQclear(res);
	return *out != NULL ? DESK_OK : DESK_UNAVAILABLE;
}
