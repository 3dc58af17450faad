/*
 * routes.h - the API's route table (routes.c).
 */
#ifndef MELDPUNT_ROUTES_H
#define MELDPUNT_ROUTES_H

#include "dispatch.h"

/* NULL-terminated; for dispatch_request with session_authenticate. */
extern const struct http_route routes_api[];

#endif
