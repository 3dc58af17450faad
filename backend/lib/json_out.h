/*
 * json_out.h - building response objects. Each helper returns 0, or -1 when
 * cJSON could not allocate, so a builder can chain them with || and never
 * send a half-built object.
 */
#ifndef MELDPUNT_JSON_OUT_H
#define MELDPUNT_JSON_OUT_H

#include <stddef.h>

struct cJSON;

int	json_add_str(struct cJSON *obj, const char *key, const char *value);
int	json_add_num(struct cJSON *obj, const char *key, double value);
int	json_add_bool(struct cJSON *obj, const char *key, int value);
int	json_add_null(struct cJSON *obj, const char *key);
/* json_b64: bytes as base64url without padding, a string to free(), or NULL. */
char	*json_b64(const unsigned char *bytes, size_t len);
/* json_add_b64: bytes as base64url without padding (SPEC section 0). */
int	json_add_b64(struct cJSON *obj, const char *key,
	    const unsigned char *bytes, size_t len);
/* json_add_names: {"nl": nl, "en": en} under key. */
int	json_add_names(struct cJSON *obj, const char *key, const char *nl,
	    const char *en);
/* json_add_item: attach item under key (or append to an array when key is
 * NULL); item is freed on failure. */
int	json_add_item(struct cJSON *obj, const char *key, struct cJSON *item);

/*
 * json_canonical: SPEC 0 canonical JSON of obj: keys sorted by byte order at
 * every level (obj is reordered in place), no whitespace, cJSON's string
 * escaping. Integers only (|n| < 2^53). Returns a cJSON_malloc'd text the
 * caller frees with cJSON_free, or NULL.
 */
char	*json_canonical(struct cJSON *obj);

#endif
