/*
 * keys.h - adviser key rotation and recovery exports and imports
 * (SPEC 3.11): the bodies and the answers; the work is the desk's
 * (adviser_keys.h).
 */
#ifndef MELDPUNT_KEYS_H
#define MELDPUNT_KEYS_H

struct http_request;
struct json_schema;

/* POST /api/v1/adviser/keys: a pending key; body per keys_add_in. */
extern const struct json_schema keys_add_in;
int	keys_add(struct http_request *req);

/* GET /api/v1/adviser/rewrap: the caller's wraps to re-seal. */
int	keys_rewrap(struct http_request *req);

/* PUT /api/v1/adviser/keys: swap key and every wrap; body per keys_swap_in. */
extern const struct json_schema keys_swap_in;
int	keys_swap(struct http_request *req);

/* POST /api/v1/adviser/recovery-exports; body per keys_export_in. */
extern const struct json_schema keys_export_in;
int	keys_export(struct http_request *req);

/* POST /api/v1/adviser/recovery-exports/{id}/import; per keys_import_in. */
extern const struct json_schema keys_import_in;
int	keys_import(struct http_request *req);

#endif
