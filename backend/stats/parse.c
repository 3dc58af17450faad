/*
 * parse.c - parsing a published table back from its JSON.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "log.h"
#include "stats.h"
#include "stats_int.h"

/* ------------------------------------------------------------ parsing */

/* parse_value: a JSON count or null into *v. */
static int
parse_value(const cJSON *item, int64_t *v)
{
	double d;

	if (cJSON_IsNull(item)) {
		*v = STATS_SUPPRESSED;
		return 0;
	}
	if (!cJSON_IsNumber(item))
		return -1;
	d = item->valuedouble;
	if (!(d >= 0 && d <= (double)STATS_MAX_TOTAL) ||
	    d != (double)(int64_t)d)
		return -1;
	*v = (int64_t)d;
	return 0;
}

/* parse_string: the string under key, or NULL. */
static const char *
parse_string(const cJSON *obj, const char *key)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsString(item) ? item->valuestring : NULL;
}

static int
parse_ids(const cJSON *arr, char *const *want, size_t n)
{
	const cJSON	*item;
	size_t		 i = 0;

	if (!cJSON_IsArray(arr) || (size_t)cJSON_GetArraySize(arr) != n)
		return -1;
	cJSON_ArrayForEach(item, arr) {
		if (!cJSON_IsString(item) || strcmp(item->valuestring,
		    want[i]) != 0)
			return -1;
		i++;
	}
	return 0;
}

static int
parse_values(const cJSON *arr, int64_t *out, size_t n)
{
	const cJSON	*item;
	size_t		 i = 0;

	if (!cJSON_IsArray(arr) || (size_t)cJSON_GetArraySize(arr) != n)
		return -1;
	cJSON_ArrayForEach(item, arr)
		if (parse_value(item, &out[i++]) == -1)
			return -1;
	return 0;
}

int
stats_table_parse(const struct stats_cube *cube, size_t row_dim,
    size_t col_dim, const char *json, size_t len,
    struct stats_table **tablep)
{
	/* The last three are optional: bodies stored before they existed. */
	static const char *const keys[] = { "cells", "col_totals", "cols",
	    "created_on", "family", "id", "k", "method", "quarter",
	    "row_totals", "rows", "total", "col_dimension", "row_dimension",
	    "merge" };
	const size_t		 nrequired = 12;
	struct stats_table	*t = NULL;
	struct stats_meta	 meta;
	cJSON			*root = NULL;
	const cJSON		*item, *cell, *f;
	const char		*end = NULL;
	size_t			 seen[sizeof(keys) / sizeof(keys[0])];
	size_t			 i, j, n, base;
	int64_t			 k;

	*tablep = NULL;
	memset(seen, 0, sizeof(seen));
	if (cube == NULL || json == NULL || !cube_view_ok(cube, row_dim,
	    col_dim))
		return -1;
	if ((root = cJSON_ParseWithLengthOpts(json, len, &end, 0)) == NULL ||
	    end != json + len || !cJSON_IsObject(root))
		goto bad;
	cJSON_ArrayForEach(item, root) {
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			if (item->string != NULL &&
			    strcmp(item->string, keys[i]) == 0)
				break;
		if (i == sizeof(keys) / sizeof(keys[0]) || seen[i]++)
			goto bad;
	}
	for (i = 0; i < nrequired; i++)
		if (!seen[i])
			goto bad;
	if ((t = table_new(cube, row_dim, col_dim)) == NULL)
		goto fail;
	item = cJSON_GetObjectItemCaseSensitive(root, "row_dimension");
	if (item != NULL && (!cJSON_IsString(item) ||
	    strcmp(item->valuestring, t->row_name) != 0))
		goto bad;
	item = cJSON_GetObjectItemCaseSensitive(root, "col_dimension");
	if (item != NULL && (!cJSON_IsString(item) ||
	    strcmp(item->valuestring, t->col_name) != 0))
		goto bad;
	item = cJSON_GetObjectItemCaseSensitive(root, "merge");
	if (item != NULL && !cJSON_IsNull(item) && !cJSON_IsObject(item))
		goto bad;
	t->method = STATS_METHOD_SUPPRESSION;
	base = t->nrows * t->ncols;
	item = cJSON_GetObjectItemCaseSensitive(root, "method");
	if (!cJSON_IsString(item) || strcmp(item->valuestring,
	    "suppression") != 0)
		goto bad;
	if (parse_value(cJSON_GetObjectItemCaseSensitive(root, "k"), &k) ==
	    -1 || k < 2 || k > STATS_MAX_K)
		goto bad;
	t->k = (uint64_t)k;
	meta.id = parse_string(root, "id");
	meta.family = parse_string(root, "family");
	meta.quarter = parse_string(root, "quarter");
	meta.created_on = parse_string(root, "created_on");
	if (!render_meta_ok(&meta))
		goto bad;
	if (parse_ids(cJSON_GetObjectItemCaseSensitive(root, "rows"),
	    t->row_ids, t->nrows) == -1 ||
	    parse_ids(cJSON_GetObjectItemCaseSensitive(root, "cols"),
	    t->col_ids, t->ncols) == -1 ||
	    parse_values(cJSON_GetObjectItemCaseSensitive(root, "row_totals"),
	    t->values + base, t->nrows) == -1 ||
	    parse_values(cJSON_GetObjectItemCaseSensitive(root, "col_totals"),
	    t->values + base + t->nrows, t->ncols) == -1 ||
	    parse_value(cJSON_GetObjectItemCaseSensitive(root, "total"),
	    &t->values[t->nvalues - 1]) == -1)
		goto bad;
	item = cJSON_GetObjectItemCaseSensitive(root, "cells");
	if (!cJSON_IsArray(item) || (size_t)cJSON_GetArraySize(item) != base)
		goto bad;
	n = 0;
	cJSON_ArrayForEach(cell, item) {
		i = n / t->ncols;
		j = n % t->ncols;
		if (!cJSON_IsObject(cell) || cJSON_GetArraySize(cell) != 3)
			goto bad;
		f = cJSON_GetObjectItemCaseSensitive(cell, "row");
		if (!cJSON_IsString(f) || strcmp(f->valuestring,
		    t->row_ids[i]) != 0)
			goto bad;
		f = cJSON_GetObjectItemCaseSensitive(cell, "col");
		if (!cJSON_IsString(f) || strcmp(f->valuestring,
		    t->col_ids[j]) != 0)
			goto bad;
		if (parse_value(cJSON_GetObjectItemCaseSensitive(cell, "value"),
		    &t->values[n]) == -1)
			goto bad;
		n++;
	}
	cJSON_Delete(root);
	*tablep = t;
	return 0;
bad:
	log_warnx("%s: not a suppression release of this family", __func__);
fail:
	cJSON_Delete(root);
	stats_table_free(t);
	return -1;
}
