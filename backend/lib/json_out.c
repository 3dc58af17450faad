/*
 * json_out.c - checked cJSON builders.
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "json_out.h"

int
json_add_str(cJSON *obj, const char *key, const char *value)
{
	return cJSON_AddStringToObject(obj, key, value) == NULL ? -1 : 0;
}

int
json_add_num(cJSON *obj, const char *key, double value)
{
	return cJSON_AddNumberToObject(obj, key, value) == NULL ? -1 : 0;
}

int
json_add_bool(cJSON *obj, const char *key, int value)
{
	return cJSON_AddBoolToObject(obj, key, value) == NULL ? -1 : 0;
}

int
json_add_null(cJSON *obj, const char *key)
{
	return cJSON_AddNullToObject(obj, key) == NULL ? -1 : 0;
}

char *
json_b64(const unsigned char *bytes, size_t len)
{
	size_t	 n = sodium_base64_ENCODED_LEN(len,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char	*text;

	if ((text = malloc(n)) == NULL)
		return NULL;
	sodium_bin2base64(text, n, bytes, len,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return text;
}

int
json_add_b64(cJSON *obj, const char *key, const unsigned char *bytes,
    size_t len)
{
	char	*text;
	int	 rc;

	if ((text = json_b64(bytes, len)) == NULL)
		return -1;
	rc = json_add_str(obj, key, text);
	free(text);
	return rc;
}

int
json_add_names(cJSON *obj, const char *key, const char *nl, const char *en)
{
	cJSON *names;

	if ((names = cJSON_CreateObject()) == NULL)
		return -1;
	if (json_add_str(names, "nl", nl) == -1 ||
	    json_add_str(names, "en", en) == -1) {
		cJSON_Delete(names);
		return -1;
	}
	return json_add_item(obj, key, names);
}

int
json_add_item(cJSON *obj, const char *key, cJSON *item)
{
	if (item == NULL)
		return -1;
	if (key == NULL ? !cJSON_AddItemToArray(obj, item) :
	    !cJSON_AddItemToObject(obj, key, item)) {
		cJSON_Delete(item);
		return -1;
	}
	return 0;
}

static int
json_key_cmp(const void *a, const void *b)
{
	const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;

	return strcmp(x->string, y->string);	/* unsigned bytes: byte order */
}

/* Sort obj's members by key, recursively. 0, or -1. */
static int
json_sort(cJSON *obj)
{
	cJSON	**items, *c;
	size_t	  n = 0, i;

	if (!cJSON_IsObject(obj) && !cJSON_IsArray(obj))
		return 0;
	for (c = obj->child; c != NULL; c = c->next) {
		if (json_sort(c) == -1)
			return -1;
		n++;
	}
	if (!cJSON_IsObject(obj) || n < 2)
		return 0;
	if ((items = calloc(n, sizeof(*items))) == NULL)
		return -1;
	for (c = obj->child, i = 0; c != NULL; c = c->next)
		items[i++] = c;
	qsort(items, n, sizeof(*items), json_key_cmp);
	for (i = 0; i < n; i++) {
		items[i]->prev = i == 0 ? items[n - 1] : items[i - 1];
		items[i]->next = i + 1 < n ? items[i + 1] : NULL;
	}
	obj->child = items[0];
	free(items);
	return 0;
}

char *
json_canonical(cJSON *obj)
{
	if (obj == NULL || json_sort(obj) == -1)
		return NULL;
	return cJSON_PrintUnformatted(obj);
}
