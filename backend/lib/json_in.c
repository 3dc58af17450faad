/*
 * json_in.c - table-driven validation of JSON request bodies.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "b64.h"
#include "ids.h"
#include "json_in.h"

/*
 * 1 if the 8 bytes at p are ASCII and none is NUL: the bulk of a body
 * (base64 text) is checked 8 bytes at a time.
 */
static int
json_in_ascii8(const unsigned char *p)
{
	const uint64_t	ones = 0x0101010101010101ULL, highs = ones << 7;
	uint64_t	w;

	memcpy(&w, p, sizeof(w));
	return ((w | (w - ones)) & highs) == 0;
}

int
json_in_utf8_valid(const char *s, size_t n)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, k, extra;
	unsigned int		 cp, min;

	while (i < n) {
		if (n - i >= 8 && json_in_ascii8(p + i)) {
			i += 8;
			continue;
		}
		if (p[i] == 0)
			return 0;
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if ((p[i] & 0xe0) == 0xc0) {
			extra = 1; cp = p[i] & 0x1f; min = 0x80;
		} else if ((p[i] & 0xf0) == 0xe0) {
			extra = 2; cp = p[i] & 0x0f; min = 0x800;
		} else if ((p[i] & 0xf8) == 0xf0) {
			extra = 3; cp = p[i] & 0x07; min = 0x10000;
		} else
			return 0;
		if (i + extra >= n)
			return 0;
		for (k = 1; k <= extra; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += extra + 1;
	}
	return 1;
}

int
json_in_b64(const char *text, unsigned char *out, size_t len)
{
	size_t got = 0;

	if (b64_decode(out, len, text, strlen(text), &got) == -1 || got != len)
		return -1;
	return 0;
}

void
json_bytes_free(struct json_bytes *b)
{
	if (b == NULL || b->data == NULL)
		return;
	sodium_memzero(b->data, b->len);
	free(b->data);
	b->data = NULL;
	b->len = 0;
}

void
json_in_clear(const struct json_schema *schema, void *in)
{
	void	*b;	/* each field is where offsetof put it: aligned */
	size_t	 i;

	if (in == NULL)
		return;
	for (i = 0; i < schema->nfields; i++) {
		if (schema->fields[i].kind != JSON_B64_ALLOC)
			continue;
		b = (char *)in + schema->fields[i].offset;
		json_bytes_free(b);
	}
	sodium_memzero(in, schema->size);
}

static int
json_in_b64_alloc(const char *text, const struct json_field *f,
    struct json_bytes *b)
{
	size_t n = strlen(text), got = 0;

	if (n / 4 * 3 > (size_t)f->max ||
	    (b->data = b64_public_decode(text, &got)) == NULL)
		return -1;
	if (got < (size_t)f->min || got > (size_t)f->max) {
		free(b->data);
		b->data = NULL;
		return -1;
	}
	b->len = got;
	return 0;
}

static int
json_in_string(const cJSON *item, const struct json_field *f, char *base)
{
	const char	*s = item->valuestring;
	size_t		 n;
	size_t		 got = 0;

	if (!cJSON_IsString(item) || s == NULL)
		return -1;
	n = strlen(s);
	switch (f->kind) {
	case JSON_TEXT:
		if (n < (size_t)f->min || n > (size_t)f->max ||
		    !json_in_utf8_valid(s, n))
			return -1;
		memcpy(base + f->offset, s, n + 1);
		return 0;
	case JSON_SLUG:
		if (!ids_slug_valid(s, (size_t)f->max))
			return -1;
		memcpy(base + f->offset, s, n + 1);
		return 0;
	case JSON_B64:
		if (b64_decode((unsigned char *)base + f->offset,
		    (size_t)f->max, s, n, &got) == -1 || got < (size_t)f->min)
			return -1;
		if (f->len_offset != JSON_NO_LEN)
			*(size_t *)(void *)(base + f->len_offset) = got;
		return 0;
	case JSON_B64_ALLOC:
		return json_in_b64_alloc(s, f,
		    (struct json_bytes *)(void *)(base + f->offset));
	default:
		return -1;
	}
}

static int
json_in_value(const cJSON *item, const struct json_field *f, char *base)
{
	double	d;

	switch (f->kind) {
	case JSON_BOOL:
		if (!cJSON_IsBool(item))
			return -1;
		*(int *)(void *)(base + f->offset) = cJSON_IsTrue(item);
		return 0;
	case JSON_INT:
		d = item->valuedouble;
		if (!cJSON_IsNumber(item) || d != floor(d) ||
		    d < (double)f->min || d > (double)f->max)
			return -1;
		*(long long *)(void *)(base + f->offset) = (long long)d;
		return 0;
	case JSON_ARRAY:
		if (!cJSON_IsArray(item) ||
		    cJSON_GetArraySize(item) < f->min ||
		    cJSON_GetArraySize(item) > f->max)
			return -1;
		*(const cJSON **)(void *)(base + f->offset) = item;
		return 0;
	case JSON_OBJECT:
		if (!cJSON_IsObject(item))
			return -1;
		*(const cJSON **)(void *)(base + f->offset) = item;
		return 0;
	case JSON_ANY:
		*(const cJSON **)(void *)(base + f->offset) = item;
		return 0;
	default:
		return json_in_string(item, f, base);
	}
}

static const struct json_field *
json_in_find(const struct json_field *fields, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(fields[i].name, name) == 0)
			return &fields[i];
	return NULL;
}

static void
json_in_release(const struct json_field *fields, size_t n, char *base)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (fields[i].kind == JSON_B64_ALLOC)
			json_bytes_free((struct json_bytes *)(void *)
			    (base + fields[i].offset));
}

int
json_in_check(const cJSON *obj, const struct json_field *fields,
    size_t nfields, void *out, const char **field)
{
	const cJSON			*item, *other;
	const struct json_field		*f;
	char				*base = out;
	size_t				 i;

	*field = NULL;
	if (!cJSON_IsObject(obj))
		return -1;
	cJSON_ArrayForEach(item, obj) {
		if (item->string == NULL ||
		    (f = json_in_find(fields, nfields, item->string)) == NULL) {
			*field = NULL;	/* unknown keys are not echoed */
			goto fail;
		}
		for (other = item->next; other != NULL; other = other->next)
			if (other->string && strcmp(other->string, item->string) == 0)
				goto bad;
		if (cJSON_IsNull(item) && !f->required)
			continue;
		if (json_in_value(item, f, base) == -1)
			goto bad;
		continue;
bad:
		*field = f->name;
		goto fail;
	}
	for (i = 0; i < nfields; i++)
		if (fields[i].required &&
		    !cJSON_HasObjectItem(obj, fields[i].name)) {
			*field = fields[i].name;
			goto fail;
		}
	return 0;
fail:
	json_in_release(fields, nfields, base);
	return -1;
}

/* JSON's own whitespace; cJSON also skips every other control byte. */
static int
json_in_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int
json_in_only_space(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!json_in_is_space(p[i]))
			return 0;
	return 1;
}

int
json_in_shape_valid(const char *text, size_t len, int max_depth)
{
	size_t	 i = 0;
	int	 depth = 0, in_string = 0;

	while (i < len && json_in_is_space(text[i]))
		i++;
	if (i == len || text[i] != '{')
		return 0;
	for (; i < len; i++) {
		unsigned char c = (unsigned char)text[i];

		if (in_string) {
			if (c == '\\')
				i++;	/* the escaped byte cannot end the string */
			else if (c == '"')
				in_string = 0;
			else if (c < 0x20)
				return 0;
			continue;
		}
		if (c == '"')
			in_string = 1;
		else if (c == '{' || c == '[') {
			if (++depth > max_depth)
				return 0;
		} else if (c == '}' || c == ']') {
			if (--depth < 0)
				return 0;
		} else if (c < 0x20 && !json_in_is_space((char)c))
			return 0;
	}
	return 1;
}

cJSON *
json_in_parse(const char *text, size_t len, const struct json_field *fields,
    size_t nfields, void *out, const char **code, const char **field)
{
	cJSON		*root;
	const char	*end = NULL;

	*field = NULL;
	*code = "invalid_json";
	/*
	 * A NUL, raw or escaped, would cut strings short inside cJSON; depth
	 * is bounded before cJSON recurses; a byte-order mark, a leading
	 * control byte or anything but whitespace after the object is not
	 * one JSON object.
	 */
	if (text == NULL || !json_in_utf8_valid(text, len) ||
	    strstr(text, "\\u0000") != NULL ||
	    !json_in_shape_valid(text, len, JSON_IN_MAX_DEPTH))
		return NULL;
	root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (root == NULL || !cJSON_IsObject(root) || end == NULL ||
	    end < text || (size_t)(end - text) > len ||
	    !json_in_only_space(end, len - (size_t)(end - text))) {
		cJSON_Delete(root);
		return NULL;
	}
	if (json_in_check(root, fields, nfields, out, field) == -1) {
		*code = "invalid_field";
		cJSON_Delete(root);
		return NULL;
	}
	return root;
}
