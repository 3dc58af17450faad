/*
 * json_in.h - request validation at the boundary.
 *
 * A handler describes its body as a table of fields; json_in_parse checks
 * the body against it and fills a struct, so handlers see only typed,
 * checked values. Unknown keys, duplicate keys, wrong types, bad base64 and
 * wrong decoded sizes are all rejected, naming the field at fault.
 */
#ifndef MELDPUNT_JSON_IN_H
#define MELDPUNT_JSON_IN_H

#include <stddef.h>

#include "sizes.h"

struct cJSON;

enum json_kind {
	JSON_TEXT,	/* UTF-8 string, length in bytes min..max; out: char[max+1] */
	JSON_SLUG,	/* id like "bzk": [a-z][a-z0-9_-]*, max bytes; out: char[max+1] */
	JSON_B64,	/* base64url, decoded min..max bytes; out: unsigned char[max] */
	JSON_B64_ALLOC,	/* base64url of public bytes (ciphertexts: decoded fast,
			   not in constant time), min..max; out: struct json_bytes */
	JSON_BOOL,	/* out: int */
	JSON_INT,	/* integer min..max; out: long long */
	JSON_ARRAY,	/* array of min..max items; out: const cJSON * (borrowed) */
	JSON_OBJECT,	/* object; out: const cJSON * (borrowed) */
	JSON_ANY	/* any value, checked by the caller; out: const cJSON * */
};

struct json_field {
	const char	*name;
	enum json_kind	 kind;
	int		 required;
	long long	 min, max;
	size_t		 offset;	/* where the value goes in the out struct */
	size_t		 len_offset;	/* JSON_B64: where its decoded length goes */
};

/* A heap copy of decoded bytes; free with json_bytes_free. */
struct json_bytes {
	unsigned char	*data;
	size_t		 len;
};

#define JSON_NO_LEN	((size_t)-1)

#define JSON_F_TEXT(n, req, lo, hi, type, member) \
	{ n, JSON_TEXT, req, lo, hi, offsetof(type, member), 0 }
#define JSON_F_SLUG(n, req, hi, type, member) \
	{ n, JSON_SLUG, req, 1, hi, offsetof(type, member), 0 }
#define JSON_F_B64(n, req, lo, hi, type, member, lenmember) \
	{ n, JSON_B64, req, lo, hi, offsetof(type, member), offsetof(type, lenmember) }
#define JSON_F_KEY(n, req, len, type, member) \
	{ n, JSON_B64, req, len, len, offsetof(type, member), JSON_NO_LEN }
#define JSON_F_B64_ALLOC(n, req, lo, hi, type, member) \
	{ n, JSON_B64_ALLOC, req, lo, hi, offsetof(type, member), 0 }
#define JSON_F_BOOL(n, req, type, member) \
	{ n, JSON_BOOL, req, 0, 1, offsetof(type, member), 0 }
#define JSON_F_INT(n, req, lo, hi, type, member) \
	{ n, JSON_INT, req, lo, hi, offsetof(type, member), 0 }
#define JSON_F_ARRAY(n, req, lo, hi, type, member) \
	{ n, JSON_ARRAY, req, lo, hi, offsetof(type, member), 0 }
#define JSON_F_OBJECT(n, req, type, member) \
	{ n, JSON_OBJECT, req, 0, 0, offsetof(type, member), 0 }
#define JSON_F_ANY(n, req, type, member) \
	{ n, JSON_ANY, req, 0, 0, offsetof(type, member), 0 }

/*
 * A request body's shape: its field table, counted by nitems(), and the
 * zeroed struct it fills (route tables name one per JSON route).
 */
struct json_schema {
	const struct json_field	*fields;
	size_t			 nfields;
	size_t			 size;		/* of the input struct */
};

#define JSON_SCHEMA(type, fields)	{ (fields), nitems(fields), sizeof(type) }

/* SPEC's request shapes nest fewer than this many objects and arrays. */
#define JSON_IN_MAX_DEPTH	8

/*
 * json_in_shape_valid: a linear scan before parsing: text starts (after
 * JSON whitespace) with '{', nests objects and arrays at most max_depth
 * deep, and has no control byte outside strings but JSON whitespace, nor
 * a raw one inside. 1 if so. cJSON recurses once per level, so a deep
 * text must never reach it.
 */
int	json_in_shape_valid(const char *text, size_t len, int max_depth);

/*
 * json_in_parse: parse text (len bytes, NUL-terminated) as one JSON object
 * and fill out per fields. Returns the cJSON tree (the caller keeps it alive
 * while borrowed ARRAY/OBJECT values are used, then cJSON_Deletes it), or
 * NULL with *code set to "invalid_json" or "invalid_field" and *field to
 * the field's name (NULL when not one field). On failure, JSON_B64_ALLOC
 * outputs already filled are freed.
 */
struct cJSON *json_in_parse(const char *text, size_t len,
	    const struct json_field *fields, size_t nfields, void *out,
	    const char **code, const char **field);

/*
 * json_in_check: check one object against fields (as json_in_parse, for
 * nested objects and array items). Returns 0 or -1 with *field set.
 */
int	json_in_check(const struct cJSON *obj, const struct json_field *fields,
	    size_t nfields, void *out, const char **field);

/* json_in_b64: decode base64url (no padding) of exactly len bytes. 0/-1. */
int	json_in_b64(const char *text, unsigned char *out, size_t len);

/* json_in_utf8_valid: 1 if s (n bytes) is valid UTF-8 without NUL. */
int	json_in_utf8_valid(const char *s, size_t n);

void	json_bytes_free(struct json_bytes *b);

/*
 * json_in_clear: free the JSON_B64_ALLOC values in (a struct filled per
 * schema), then wipe all of it: inputs may hold secrets.
 */
void	json_in_clear(const struct json_schema *schema, void *in);

#endif
