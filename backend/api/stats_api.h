/*
 * stats_api.h - the statistics endpoints (SPEC section 6), for
 * coordinators and analysts.
 */
#ifndef MELDPUNT_STATS_API_H
#define MELDPUNT_STATS_API_H

struct http_request;
struct json_schema;

/* GET /api/v1/stats/releases */
int	stats_api_list(struct http_request *req);
/* GET /api/v1/stats/releases/{id}?format=json|csv */
int	stats_api_get(struct http_request *req);
/* POST /api/v1/stats/releases {"family","quarter"}; req->in per
 * stats_api_create_in. */
extern const struct json_schema stats_api_create_in;
int	stats_api_create(struct http_request *req);

#endif
