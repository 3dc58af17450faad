/*
 * public.c - GET /api/v1/desk and GET /healthz.
 */
#include <cjson/cJSON.h>

#include "app.h"
#include "buf.h"
#include "config.h"
#include "db.h"
#include "public.h"
#include "adviser_entry.h"
#include "ids.h"
#include "json_in.h"
#include "http.h"
#include "json_out.h"
#include "maint.h"
#include "pow.h"
#include "rows.h"
#include "secrets.h"

/* {"id","name":{"nl","en"}} for each row of an id, name_nl, name_en result. */
static cJSON *
public_named_list(enum db_stmt stmt, enum db_status *st)
{
	PGresult	*res;
	cJSON		*list, *item;
	int		 i;

	if ((res = db_exec(stmt, 0, NULL, st)) == NULL)
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
	*st = DB_ERROR;
	cJSON_Delete(list);
	PQclear(res);
	return NULL;
}

static cJSON *
public_keys(void)
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
public_limits(const struct config *cfg)
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

int
public_get(struct http_request *req)
{
	PGresult	*res;
	cJSON		*desk;
	enum db_status	 st = DB_OK;

	if ((res = db_exec(DB_DESK_NAME, 0, NULL, &st)) == NULL)
		return http_send_error(req, 503, "unavailable", NULL);
	if (PQntuples(res) != 1 || (desk = cJSON_CreateObject()) == NULL) {
		PQclear(res);
		return http_send_error(req, 503, "unavailable", NULL);
	}
	if (json_add_names(desk, "name", db_get_text(res, 0, DESK_NAME_NL),
	    db_get_text(res, 0, DESK_NAME_EN)) == -1 ||
	    json_add_item(desk, "organisations",
	    public_named_list(DB_ORGANISATIONS_ACTIVE, &st)) == -1 ||
	    json_add_item(desk, "topics",
	    public_named_list(DB_TOPICS_ACTIVE, &st)) == -1 ||
	    json_add_item(desk, "keys", public_keys()) == -1 ||
	    json_add_num(desk, "pow_difficulty", pow_difficulty(
	    (unsigned int)req->cfg->pow_difficulty, maint_pow_rate(),
	    req->cfg->pow_ceiling)) == -1 ||
	    json_add_item(desk, "limits", public_limits(req->cfg)) == -1) {
		cJSON_Delete(desk);
		desk = NULL;
	}
	PQclear(res);
	return http_send_cjson(req, 200, desk);
}

int
public_health(struct http_request *req)
{
	PGresult *res;

	if ((res = db_exec(DB_PING, 0, NULL, NULL)) == NULL)
		return http_send_error(req, 503, "unavailable", NULL);
	PQclear(res);
	return http_send_json(req, 200, "{\"status\":\"ok\"}", 15);
}

/* The id column of res as an array literal "{a,b}" into b. */
static const char *
public_ids_literal(struct buf *b, const PGresult *res)
{
	int i;

	buf_adds(b, "{");
	for (i = 0; i < PQntuples(res); i++) {
		if (i > 0)
			buf_adds(b, ",");
		buf_adds(b, db_get_text(res, i, ROUTING_ACCOUNT));
	}
	buf_adds(b, "}");
	return buf_cstr(b);
}

static cJSON *
public_routed_advisers(const char *org, const char *topic, enum db_status *st)
{
	struct db_param	 p[2] = { DB_P_TEXT(org), DB_P_TEXT(topic) };
	struct buf	 ids = BUF_INIT;
	PGresult	*res;
	cJSON		*list = NULL, *e;
	const char	*lit;
	int		 i;

	if ((res = db_exec(DB_ROUTING, 2, p, st)) == NULL)
		return NULL;
	if ((lit = public_ids_literal(&ids, res)) != NULL &&
	    (list = adviser_entry_list(lit, st)) != NULL) {
		for (i = 0; i < PQntuples(res); i++) {
			e = adviser_entry_find(list,
			    db_get_text(res, i, ROUTING_ACCOUNT));
			if (e == NULL || json_add_num(e, "tier",
			    (double)db_get_int(res, i, ROUTING_TIER)) == -1) {
				cJSON_Delete(list);
				list = NULL;
				*st = DB_ERROR;
				break;
			}
		}
	}
	buf_free(&ids);
	PQclear(res);
	return list;
}

static cJSON *
public_coordinators(const char *org, enum db_status *st)
{
	static const char *const names[COORDINATORS_NCOLS] = {
		[COORDINATORS_ID] = "id", [COORDINATORS_NAME] = "name",
		[COORDINATORS_ROLE] = "role",
	};
	struct db_param	 p[1] = { DB_P_TEXT(org) };
	PGresult	*res;
	cJSON		*list;

	if ((res = db_exec(DB_COORDINATORS, 1, p, st)) == NULL)
		return NULL;
	if ((list = rows_json(res, names, nitems(names))) == NULL)
		*st = DB_ERROR;
	PQclear(res);
	return list;
}

int
public_routing(struct http_request *req)
{
	char		 org[64], topic[64];
	cJSON		*out;
	enum db_status	 st = DB_OK;

	if (http_query_get(req, "organisation", org, sizeof(org)) == -1 ||
	    !ids_slug_valid(org, 32))
		return http_send_error(req, 400, "invalid_field", "organisation");
	if (http_query_get(req, "topic", topic, sizeof(topic)) == -1 ||
	    !ids_slug_valid(topic, 32))
		return http_send_error(req, 400, "invalid_field", "topic");
	if ((out = cJSON_CreateObject()) == NULL)
		return -1;
	if (json_add_item(out, "advisers",
	    public_routed_advisers(org, topic, &st)) == -1 ||
	    json_add_item(out, "coordinators", public_coordinators(org, &st)) == -1) {
		cJSON_Delete(out);
		return http_send_error(req, 503, "unavailable", NULL);
	}
	return http_send_cjson(req, 200, out);
}
