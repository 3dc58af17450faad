/*
 * units.c - organisations and topics: list, create, patch, audited.
 */
#include <stdio.h>

#include <cjson/cJSON.h>

#include "audit.h"
#include "db.h"
#include "ids.h"
#include "json_out.h"
#include "units.h"

static const struct {
	const char	*key;		/* of the list's answer */
	enum db_stmt	 all, add, patch;
	const char	*created, *changed;	/* audit actions */
} units_kinds[] = {
	[UNITS_ORGANISATIONS] = { "organisations", DB_ORGANISATIONS_ALL,
	    DB_ORGANISATION_ADD, DB_ORGANISATION_PATCH,
	    "organisation_create", "organisation_change" },
	[UNITS_TOPICS] = { "topics", DB_TOPICS_ALL, DB_TOPIC_ADD,
	    DB_TOPIC_PATCH, "topic_create", "topic_change" },
};

static int
units_add_row(cJSON *list, const PGresult *res, int i, int headcount)
{
	cJSON *o;

	if ((o = cJSON_CreateObject()) == NULL ||
	    json_add_item(list, NULL, o) == -1)
		return -1;
	if (json_add_str(o, "id", db_get_text(res, i, UNITS_ID)) == -1 ||
	    json_add_names(o, "name", db_get_text(res, i, UNITS_NL),
	    db_get_text(res, i, UNITS_EN)) == -1 ||
	    json_add_bool(o, "retired",
	    db_get_bool(res, i, UNITS_RETIRED)) == -1)
		return -1;
	if (headcount && json_add_num(o, "headcount",
	    (double)db_get_int(res, i, ORGANISATIONS_ALL_HEADCOUNT)) == -1)
		return -1;
	return 0;
}

enum desk_result
units_list(enum units_kind kind, cJSON **out)
{
	PGresult	*res;
	cJSON		*o, *list;
	enum db_status	 st;
	int		 i;

	*out = NULL;
	if ((res = db_exec(units_kinds[kind].all, 0, NULL, &st)) == NULL)
		return desk_result_db(st);
	if ((o = cJSON_CreateObject()) == NULL ||
	    (list = cJSON_CreateArray()) == NULL ||
	    json_add_item(o, units_kinds[kind].key, list) == -1)
		goto fail;
	for (i = 0; i < PQntuples(res); i++)
		if (units_add_row(list, res, i,
		    kind == UNITS_ORGANISATIONS) == -1)
			goto fail;
	PQclear(res);
	*out = o;
	return DESK_OK;
fail:
	cJSON_Delete(o);
	PQclear(res);
	return DESK_UNAVAILABLE;
}

/* Run a unit-changing statement and audit it, in one transaction. */
static enum desk_result
units_write(enum db_stmt stmt, int n, const struct db_param *p,
    const char *action, const char *actor, const char *id)
{
	PGresult	*res;
	enum db_status	 st;
	int		 found;

	if (db_begin(&st) == -1)
		return desk_result_db(st);
	if ((res = db_exec(stmt, n, p, &st)) == NULL) {
		db_rollback();
		return st == DB_UNIQUE ? DESK_CONFLICT : desk_result_db(st);
	}
	found = PQntuples(res) == 1;
	PQclear(res);
	if (!found) {
		db_rollback();
		return DESK_NOT_FOUND;
	}
	if (audit_commit(action, actor, audit_extra("target", id), &st) == -1)
		return desk_result_db(st);
	return DESK_OK;
}

enum desk_result
units_create(enum units_kind kind, const struct units_change *c,
    const char *actor)
{
	struct db_param p[4] = {
		DB_P_TEXT(c->id), DB_P_TEXT(c->nl), DB_P_TEXT(c->en),
		DB_P_INT(c->headcount < 0 ? 0 : c->headcount),
	};

	return units_write(units_kinds[kind].add,
	    kind == UNITS_ORGANISATIONS ? 4 : 3, p,
	    units_kinds[kind].created, actor, c->id);
}

enum desk_result
units_patch(enum units_kind kind, const struct units_change *c,
    const char *actor)
{
	char	head[sizeof("-9223372036854775808")];

	if (!ids_slug_valid(c->id, UNITS_ID_MAX))
		return DESK_NOT_FOUND;
	snprintf(head, sizeof(head), "%lld", c->headcount);
	{
		struct db_param p[5] = {
			DB_P_TEXT(c->id), DB_P_TEXT(c->nl), DB_P_TEXT(c->en),
			DB_P_TEXT(c->retired < 0 ? NULL :
			    c->retired ? "true" : "false"),
			DB_P_TEXT(c->headcount < 0 ? NULL : head),
		};
		return units_write(units_kinds[kind].patch,
		    kind == UNITS_ORGANISATIONS ? 5 : 4, p,
		    units_kinds[kind].changed, actor, c->id);
	}
}
