/*
 * public.h - the public description of the desk and the health check.
 */
#ifndef MELDPUNT_PUBLIC_H
#define MELDPUNT_PUBLIC_H

struct http_request;

/* GET /api/v1/desk (SPEC section 4). */
int	public_get(struct http_request *req);
/* GET /api/v1/routing?organisation=ID&topic=ID (SPEC sections 4 and 5). */
int	public_routing(struct http_request *req);
/* GET /healthz: 200 when the database answers, else 503. */
int	public_health(struct http_request *req);

#endif
