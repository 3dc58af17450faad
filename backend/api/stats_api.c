/*
 * stats_api.c - releases over HTTP. A stored release is sent exactly as
 * stored, so every fetch of it is byte-identical. Every export is written
 * to the audit log.
 */
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "audit.h"
#include "http.h"
#include "json_in.h"
#include "json_out.h"
#include "release.h"
#include "session.h"
#include "stats_api.h"

#define STATS_API_ROLES	(SESSION_ROLE_COORDINATOR | SESSION_ROLE_ANALYST)

static int
stats_api_audit(const struct session_account *who, const char *id,
    const char *format)
{
	cJSON *extra;

	if ((extra = audit_extra("release", id)) == NULL ||
	    json_add_str(extra, "format", format) == -1) {
		cJSON_Delete(extra);
		return -1;
	}
	return audit_record("stats_export", who->id, extra);
}

static int
stats_api_send(struct http_request *req, int status, const struct release *r,
    const char *format)
{
	char			 disposition[128];
	struct http_header	 csv[3] = {
		{ "Cache-Control", "no-store" },
		{ "Content-Disposition", disposition },
		{ NULL, NULL }
	};
	int			 n;

	if (strcmp(format, "json") == 0)
		return http_send_json(req, status, r->json, strlen(r->json));
	n = snprintf(disposition, sizeof(disposition),
	    "attachment; filename=\"%s.csv\"", r->id);
	if (n < 0 || (size_t)n >= sizeof(disposition))
		return -1;
	return http_respond(req, status, "text/csv; charset=utf-8", csv, r->csv,
	    strlen(r->csv));
}

/*
 * stats_api_error: one answer per refusal. Codes stay within SPEC 4
 * (400 invalid_field, 404 not_found, 409 conflict, 503 unavailable); the
 * message says exactly why and "reason" says it to the page.
 */
static int
stats_api_error(struct http_request *req, enum release_status st)
{
	const char	*reason = release_status_reason(st);
	const char	*text = release_status_text(st);

	switch (st) {
	case RELEASE_BAD_FAMILY:
		return http_send_refusal(req, 400, "invalid_field", "family",
		    reason, text, 0);
	case RELEASE_BAD_QUARTER:
	case RELEASE_OPEN_QUARTER:
		return http_send_refusal(req, 400, "invalid_field", "quarter",
		    reason, text, 0);
	case RELEASE_NOT_FOUND:
		return http_send_error(req, 404, "not_found", NULL);
	case RELEASE_UNSAFE:
	case RELEASE_BUDGET_SPENT:
	case RELEASE_OVER_BUDGET:
	case RELEASE_WITHDRAWN:
	case RELEASE_DATA_CHANGED:
	case RELEASE_METHOD_CHANGED:
	case RELEASE_INCONSISTENT:
		return http_send_refusal(req, 409, "conflict", NULL, reason,
		    text, 0);
	case RELEASE_BUSY:
		return http_send_refusal(req, 503, "unavailable", NULL, reason,
		    text, 5);
	default:
		return http_send_refusal(req, 503, "unavailable", NULL,
		    release_status_reason(RELEASE_UNAVAILABLE),
		    release_status_text(RELEASE_UNAVAILABLE), 0);
	}
}

int
stats_api_list(struct http_request *req)
{
	struct session_account	 who;
	cJSON			*out;

	if (session_account(req, STATS_API_ROLES, &who) == -1)
		return 0;
	if ((out = cJSON_CreateObject()) == NULL ||
	    json_add_item(out, "releases", release_list()) == -1) {
		cJSON_Delete(out);
		return http_send_error(req, 503, "unavailable", NULL);
	}
	return http_send_cjson(req, 200, out);
}

int
stats_api_get(struct http_request *req)
{
	struct session_account	 who;
	struct release		 r;
	enum release_status	 st;
	char			 format[8] = "json";
	int			 rc;

	if (session_account(req, STATS_API_ROLES, &who) == -1)
		return 0;
	if (req->query != NULL && http_query_get(req, "format", format,
	    sizeof(format)) == 0 && strcmp(format, "json") != 0 &&
	    strcmp(format, "csv") != 0)
		return http_send_error(req, 400, "invalid_field", "format");
	if ((st = release_by_id(req->params[0], &r)) != RELEASE_OK)
		return stats_api_error(req, st);
	if (stats_api_audit(&who, r.id, format) == -1)
		rc = http_send_error(req, 503, "unavailable", NULL);
	else
		rc = stats_api_send(req, 200, &r, format);
	release_free(&r);
	return rc;
}

struct stats_api_create_in {
	char	family[65];
	char	quarter[7];
};

static const struct json_field stats_api_create_fields[] = {
	JSON_F_TEXT("family", 1, 1, 64, struct stats_api_create_in, family),
	JSON_F_TEXT("quarter", 1, 6, 6, struct stats_api_create_in, quarter),
};

int
stats_api_create(struct http_request *req)
{
	struct session_account		 who;
	struct stats_api_create_in	 in;
	struct release			 r;
	enum release_status		 st;
	const char			*code, *field;
	cJSON				*root;
	int				 rc;

	if (session_account(req, STATS_API_ROLES, &who) == -1)
		return 0;
	root = json_in_parse(req->body, req->body_len, stats_api_create_fields,
	    2, &in, &code, &field);
	if (root == NULL)
		return http_send_error(req, 400, code, field);
	cJSON_Delete(root);
	if ((st = release_get(req->cfg, in.family, in.quarter,
	    RELEASE_WAIT_HTTP, &r)) != RELEASE_OK)
		return stats_api_error(req, st);
	if (stats_api_audit(&who, r.id, "json") == -1)
		rc = http_send_error(req, 503, "unavailable", NULL);
	else
		rc = stats_api_send(req, 201, &r, "json");
	release_free(&r);
	return rc;
}
