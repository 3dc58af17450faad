/*
 * keys.h - adviser key rotation and recovery exports and imports
 * (SPEC 3.11). The server never sees a secret key: browsers and the
 * offline tool re-wrap; the server checks who may hold what and swaps
 * wraps in single transactions.
 */
#ifndef MELDPUNT_KEYS_H
#define MELDPUNT_KEYS_H

struct http_request;

/* POST /api/v1/adviser/keys: a pending key awaiting certification. */
int	keys_add(struct http_request *req);
/* GET /api/v1/adviser/rewrap: the caller's wraps to re-seal. */
int	keys_rewrap(struct http_request *req);
/* PUT /api/v1/adviser/keys: swap key and every wrap at once. */
int	keys_swap(struct http_request *req);
/* POST /api/v1/adviser/recovery-exports (coordinators). */
int	keys_export(struct http_request *req);
/* POST /api/v1/adviser/recovery-exports/{id}/import (coordinators). */
int	keys_import(struct http_request *req);

#endif
