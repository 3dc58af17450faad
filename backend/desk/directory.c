/*
 * directory.c - the desk's public description, routing and health, read
 * from the database (see the header).
 */
#include <cjson/cJSON.h>

#include "adviser_entry.h"
#include "app.h"
#include "config.h"
#include "counters.h"
#include "db.h"
#include "directory.h"
#include "json_out.h"
#include "pgarray.h"
#include "pow.h"
#include "rows.h"
#include "secrets.h"
#include "sizes.h"

/* {"id","name":{"nl","en"}} for each row of an id, name_nl, name_en result. */
static cJSON *
directory_named_list(enum db_stmt stmt)
{
	PGresult	*res;
	cJSON		*list, *item;
	int		 i;

	if ((res = db_exec(stmt, 0, NULL, NULL)) == NULL)
		return NULL;
	if ((list = cJSON_CreateArray()) == NULL)
		goto fail;
	for (i = 0; i < PQntuples(res); i++) {
		if ((item = cJSON_CreateObject()) == NULL ||
		    json_add_item(list, NULL, item) == -1 ||
		    json_add_str(item, "id", db_get_text(res, i, NAMED_ID)) == -1 ||
		    json_add_names(item, "name", db_get_text(res, i, NAMED_NL),
		    db_get_text(res, i, NAMED_EN)) == -1)
			goto fail;
	}
	PQclear(res);
	return list;
fail:
	cJSON_Delete(list);
	PQclear(res);
	return NULL;
}

static cJSON *
directory_keys(void)
{
	const struct secrets	*s = app.secrets;
	cJSON			*keys;

	if ((keys = cJSON_CreateObject()) == NULL)
		return NULL;
	if (json_add_b64(keys, "certification", s->cert_pk, sizeof(s->cert_pk)) ||
	    json_add_b64(keys, "recovery", s->recovery_pk, sizeof(s->recovery_pk)) ||
	    json_add_b64(keys, "signing", s->sign_pk, sizeof(s->sign_pk))) {
		cJSON_Delete(keys);
		return NULL;
	}
	return keys;
}

static cJSON *
directory_limits(const struct config *cfg)
{
	cJSON *limits;

	if ((limits = cJSON_CreateObject()) == NULL)
		return NULL;
	if (json_add_num(limits, "json_bytes", (double)cfg->json_bytes) ||
	    json_add_num(limits, "attachment_bytes",
	    (double)cfg->attachment_bytes) ||
	    json_add_num(limits, "case_bytes", (double)cfg->case_bytes)) {
		cJSON_Delete(limits);
		return NULL;
	}
	return limits;
}

/*
 * The desk's contact information from the configuration: an object with
 * "email", "phone" and "url", each only when configured (config_load has
 * checked them). NULL when out of memory.
 */
static cJSON *
directory_contact(const struct config *cfg)
{
	const struct { const char *key, *value; } items[] = {
		{ "email", cfg->contact_email },
		{ "phone", cfg->contact_phone },
		{ "url", cfg->contact_url },
	};
	cJSON	*contact;
	size_t	 i;

	if ((contact = cJSON_CreateObject()) == NULL)
		return NULL;
	for (i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
		if (items[i].value == NULL || items[i].value[0] == '\0')
			continue;
		if (json_add_str(contact, items[i].key, items[i].value) == -1) {
			cJSON_Delete(contact);
			return NULL;
		}
	}
	return contact;
}

enum desk_result
directory_desk(cJSON **out)
{
	const struct config	*cfg = app.cfg;
	PGresult		*res;
	cJSON			*desk;

	*out = NULL;
	if ((res = db_exec(DB_DESK_NAME, 0, NULL, NULL)) == NULL)
		return DESK_UNAVAILABLE;
	if (PQntuples(res) != 1 || (desk = cJSON_CreateObject()) == NULL) {
		PQclear(res);
		return DESK_UNAVAILABLE;
	}
	if (json_add_names(desk, "name", db_get_text(res, 0, DESK_NAME_NL),
	    db_get_text(res, 0, DESK_NAME_EN)) == -1 ||
	    json_add_item(desk, "organisations",
	    directory_named_list(DB_ORGANISATIONS_ACTIVE)) == -1 ||
	    json_add_item(desk, "topics",
	    directory_named_list(DB_TOPICS_ACTIVE)) == -1 ||
	    json_add_item(desk, "keys", directory_keys()) == -1 ||
	    json_add_num(desk, "pow_difficulty", pow_difficulty(
	    (unsigned int)cfg->pow_difficulty, counters_pow_rate(cfg->pow_ceiling),
	    cfg->pow_ceiling)) == -1 ||
	    json_add_item(desk, "limits", directory_limits(cfg)) == -1 ||
	    json_add_item(desk, "contact", directory_contact(cfg)) == -1) {
		cJSON_Delete(desk);
		desk = NULL;
	}
	PQclear(res);
	*out = desk;
	return desk != NULL ? DESK_OK : DESK_UNAVAILABLE;
}

enum desk_result
directory_health(void)
{
	PGresult *res;

	if ((res = db_exec(DB_PING, 0, NULL, NULL)) == NULL)
		return DESK_UNAVAILABLE;
	PQclear(res);
	return DESK_OK;
}

/* Each routed adviser's tier, into its entry of list. 0, or -1. */
static int
directory_tiers(cJSON *list, const PGresult *res)
{
	cJSON	*e;
	int	 i;

	for (i = 0; i < PQntuples(res); i++) {
		e = adviser_entry_find(list,
		    db_get_text(res, i, ROUTING_ACCOUNT));
		if (e == NULL || json_add_num(e, "tier",
		    (double)db_get_int(res, i, ROUTING_TIER)) == -1)
			return -1;
	}
	return 0;
}

static cJSON *
directory_routed_advisers(const char *org, const char *topic)
{
	struct db_param	 p[2] = { DB_P_TEXT(org), DB_P_TEXT(topic) };
	struct pgarray	 ids;
	PGresult	*res;
	cJSON		*list;
	enum db_status	 st;
	int		 i;

	if ((res = db_exec(DB_ROUTING, 2, p, NULL)) == NULL)
		return NULL;
	pgarray_init(&ids, PGARRAY_TEXT);
	for (i = 0; i < PQntuples(res); i++)
		pgarray_add_text(&ids, db_get_text(res, i, ROUTING_ACCOUNT));
	if ((list = adviser_entry_list_of(&ids, &st)) != NULL &&
	    directory_tiers(list, res) == -1) {
		cJSON_Delete(list);
		list = NULL;
	}
	pgarray_free(&ids);
	PQclear(res);
	return list;
}

static cJSON *
directory_coordinators(const char *org)
{
	static const char *const names[COORDINATORS_NCOLS] = {
		[COORDINATORS_ID] = "id", [COORDINATORS_NAME] = "name",
		[COORDINATORS_ROLE] = "role",
	};
	struct db_param	 p[1] = { DB_P_TEXT(org) };
	PGresult	*res;
	cJSON		*list;

	if ((res = db_exec(DB_COORDINATORS, 1, p, NULL)) == NULL)
		return NULL;
	list = rows_json(res, names, nitems(names));
	PQclear(res);
	return list;
}

enum desk_result
directory_routing(const char *org, const char *topic, cJSON **out)
{
	if ((*out = cJSON_CreateObject()) == NULL)
		return DESK_UNAVAILABLE;
	if (json_add_item(*out, "advisers",
	    directory_routed_advisers(org, topic)) == -1 ||
	    json_add_item(*out, "coordinators",
	    directory_coordinators(org)) == -1) {
		cJSON_Delete(*out);
		*out = NULL;
		return DESK_UNAVAILABLE;
	}
	return DESK_OK;
}
