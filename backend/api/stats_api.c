/*
 * stats_api.c - releases over HTTP. A stored release is sent exactly as
 * stored, so every fetch of it is byte-identical. Every export is written
 * to the audit log before it is sent.
 */
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "http.h"
#include "json_in.h"
#include "release.h"
#include "sizes.h"
#include "stats_api.h"

/*
 * One answer per refusal of a release. Codes stay within SPEC 4 (400
 * invalid_field, 404 not_found, 409 conflict, 503 unavailable); the
 * message (release_text) says exactly why and "reason" says it to the
 * page. A result not listed is answered as DESK_UNAVAILABLE.
 */
static const struct {
	enum desk_result	 r;
	int			 status;
	const char		*code;
	const char		*field;
	const char		*reason;	/* NULL: a plain error body */
	unsigned int		 retry;		/* seconds (a 503) */
} stats_api_refusals[] = {
	{ DESK_RELEASE_BAD_FAMILY, 400, "invalid_field", "family",
	    "unknown_family", 0 },
	{ DESK_RELEASE_BAD_QUARTER, 400, "invalid_field", "quarter",
	    "malformed", 0 },
	{ DESK_RELEASE_OPEN_QUARTER, 400, "invalid_field", "quarter",
	    "open_quarter", 0 },
	{ DESK_NOT_FOUND, 404, "not_found", NULL, NULL, 0 },
	{ DESK_RELEASE_UNSAFE, 409, "conflict", NULL, "unsafe", 0 },
	{ DESK_RELEASE_BUDGET_SPENT, 409, "conflict", NULL, "budget_spent", 0 },
	{ DESK_RELEASE_OVER_BUDGET, 409, "conflict", NULL, "over_budget", 0 },
	{ DESK_RELEASE_WITHDRAWN, 409, "conflict", NULL, "withdrawn", 0 },
	{ DESK_RELEASE_DATA_CHANGED, 409, "conflict", NULL, "data_changed", 0 },
	{ DESK_RELEASE_METHOD_CHANGED, 409, "conflict", NULL,
	    "method_changed", 0 },
	{ DESK_RELEASE_INCONSISTENT, 409, "conflict", NULL, "inconsistent", 0 },
	{ DESK_RELEASE_BUSY, 503, "unavailable", NULL, "busy", 5 },
	{ DESK_UNAVAILABLE, 503, "unavailable", NULL, "database", 0 },
};

static int
stats_api_error(struct http_request *req, enum desk_result r)
{
	size_t i;

	for (i = 0; i < nitems(stats_api_refusals) - 1; i++)
		if (stats_api_refusals[i].r == r)
			break;
	if (stats_api_refusals[i].r != r)
		r = DESK_UNAVAILABLE;
	if (stats_api_refusals[i].reason == NULL)
		return http_send_error(req, stats_api_refusals[i].status,
		    stats_api_refusals[i].code, stats_api_refusals[i].field);
	return http_send_refusal(req, stats_api_refusals[i].status,
	    stats_api_refusals[i].code, stats_api_refusals[i].field,
	    stats_api_refusals[i].reason, release_text(r),
	    stats_api_refusals[i].retry);
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

int
stats_api_list(struct http_request *req)
{
	struct cJSON *out;

	if ((out = release_list()) == NULL)
		return -1;
	return http_send_cjson(req, 200, out);
}

int
stats_api_get(struct http_request *req)
{
	struct release		 rel;
	enum desk_result	 r;
	char			 format[8] = "json";
	int			 rc;

	if (req->query != NULL && http_query_get(req, "format", format,
	    sizeof(format)) == 0 && strcmp(format, "json") != 0 &&
	    strcmp(format, "csv") != 0)
		return http_send_error(req, 400, "invalid_field", "format");
	if ((r = release_by_id(req->params[0], &rel)) != DESK_OK)
		return stats_api_error(req, r);
	if (release_audit(req->account.id, rel.id, format) != DESK_OK)
		rc = -1;
	else
		rc = stats_api_send(req, 200, &rel, format);
	release_free(&rel);
	return rc;
}

struct stats_api_create_in {
	char	family[SLUG_MAX + 1];
	char	quarter[7];
};

static const struct json_field stats_api_create_fields[] = {
	JSON_F_TEXT("family", 1, 1, SLUG_MAX, struct stats_api_create_in,
	    family),
	JSON_F_TEXT("quarter", 1, 6, 6, struct stats_api_create_in, quarter),
};

const struct json_schema stats_api_create_in =
    JSON_SCHEMA(struct stats_api_create_in, stats_api_create_fields);

int
stats_api_create(struct http_request *req)
{
	const struct stats_api_create_in	*in = req->in;
	struct release				 rel;
	enum desk_result			 r;
	int					 rc;

	if ((r = release_get(in->family, in->quarter, RELEASE_WAIT_HTTP,
	    &rel)) != DESK_OK)
		return stats_api_error(req, r);
	if (release_audit(req->account.id, rel.id, "json") != DESK_OK)
		rc = -1;
	else
		rc = stats_api_send(req, 201, &rel, "json");
	release_free(&rel);
	return rc;
}
