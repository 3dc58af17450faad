/*
 * public.c - GET /api/v1/desk, GET /api/v1/routing and GET /healthz: the
 * HTTP side of desk/directory.c.
 */
#include <cjson/cJSON.h>

#include "answer.h"
#include "directory.h"
#include "http.h"
#include "ids.h"
#include "public.h"
#include "submit_in.h"

#define PUBLIC_QUERY_SIZE	64	/* room for a slug and then some */

int
public_get(struct http_request *req)
{
	enum desk_result	 r;
	cJSON			*desk;

	if ((r = directory_desk(&desk)) != DESK_OK)
		return answer_error(req, r);
	return http_send_cjson(req, 200, desk);
}

int
public_health(struct http_request *req)
{
	static const char	 ok[] = "{\"status\":\"ok\"}";
	enum desk_result	 r;

	if ((r = directory_health()) != DESK_OK)
		return answer_error(req, r);
	return http_send_json(req, 200, ok, sizeof(ok) - 1);
}

int
public_routing(struct http_request *req)
{
	char			 org[PUBLIC_QUERY_SIZE];
	char			 topic[PUBLIC_QUERY_SIZE];
	enum desk_result	 r;
	cJSON			*out;

	if (http_query_get(req, "organisation", org, sizeof(org)) == -1 ||
	    !ids_slug_valid(org, SUBMIT_SLUG_MAX))
		return answer_error(req, DESK_UNKNOWN_ORGANISATION);
	if (http_query_get(req, "topic", topic, sizeof(topic)) == -1 ||
	    !ids_slug_valid(topic, SUBMIT_SLUG_MAX))
		return answer_error(req, DESK_UNKNOWN_TOPIC);
	if ((r = directory_routing(org, topic, &out)) != DESK_OK)
		return answer_error(req, r);
	return http_send_cjson(req, 200, out);
}
