/*
 * render.c - rendering a table as JSON and CSV.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "log.h"
#include "stats.h"
#include "stats_int.h"

/* ------------------------------------------------------- cJSON helpers */

static cJSON *
cert_number(int64_t v)
{
	return cJSON_CreateNumber((double)v);
}

/* cert_add_item: attach item under key, or append it when key is NULL;
 * item may be NULL (a failed constructor) and is freed on failure. */
static int
cert_add_item(cJSON *parent, const char *key, cJSON *item)
{
	if (item == NULL)
		return -1;
	if (key == NULL ? !cJSON_AddItemToArray(parent, item) :
	    !cJSON_AddItemToObject(parent, key, item)) {
		cJSON_Delete(item);
		return -1;
	}
	return 0;
}

static int
cert_add_number(cJSON *parent, const char *key, int64_t v)
{
	return cert_add_item(parent, key, cert_number(v));
}

static cJSON *
cert_strings(char *const *v, size_t n)
{
	cJSON	*arr;
	size_t	 i;

	if ((arr = cJSON_CreateArray()) == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		if (cert_add_item(arr, NULL, cJSON_CreateString(v[i])) == -1) {
			cJSON_Delete(arr);
			return NULL;
		}
	return arr;
}

/* ---------------------------------------------------------- rendering */

static int
stats_token_ok(const char *s, size_t max, const char *shape)
{
	size_t i;

	if (s == NULL || s[0] == '\0')
		return 0;
	for (i = 0; s[i] != '\0'; i++) {
		if (i >= max)
			return 0;
		if (shape != NULL) {
			if (shape[i] == '\0')
				return 0;
			if (shape[i] == '9' ? !(s[i] >= '0' && s[i] <= '9') :
			    shape[i] == 'q' ? !(s[i] >= '1' && s[i] <= '4') :
			    s[i] != shape[i])
				return 0;
		} else if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_' ||
		    s[i] == '-'))
			return 0;
	}
	return shape == NULL || shape[i] == '\0';
}

int
render_meta_ok(const struct stats_meta *m)
{
	if (m == NULL || !stats_token_ok(m->id, STATS_ID_MAX, NULL) ||
	    !stats_slug_ok(m->family) ||
	    !stats_token_ok(m->quarter, 6, "9999Qq") ||
	    !stats_token_ok(m->created_on, 10, "9999-99-99")) {
		log_warnx("%s: invalid release metadata", __func__);
		return 0;
	}
	return 1;
}

static cJSON *
json_value(int64_t v)
{
	return v == STATS_SUPPRESSED ? cJSON_CreateNull() :
	    cJSON_CreateNumber((double)v);
}

static uint64_t
stats_gcd(uint64_t a, uint64_t b)
{
	uint64_t r;

	while (b != 0) {
		r = a % b;
		a = b;
		b = r;
	}
	return a;
}

/* stats_epsilon_text: a DP table's epsilon as a reduced fraction. */
static int
stats_epsilon_text(const struct stats_table *t, char *eps, size_t size)
{
	uint64_t	g;
	int		n;

	g = stats_gcd(t->eps_num, t->eps_den);
	if (g == 0)
		return -1;
	if (t->eps_den / g == 1)
		n = snprintf(eps, size, "%u", (unsigned)(t->eps_num / g));
	else
		n = snprintf(eps, size, "%u/%u", (unsigned)(t->eps_num / g),
		    (unsigned)(t->eps_den / g));
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

int
stats_table_json(const struct stats_table *t, const struct stats_meta *meta,
    char **outp, size_t *lenp)
{
	cJSON		*root, *arr, *o;
	char		 eps[32];
	size_t		 i, j, base;
	int		 rc = -1;

	*outp = NULL;
	*lenp = 0;
	if (t == NULL || !render_meta_ok(meta))
		return -1;
	base = t->nrows * t->ncols;
	if ((root = cJSON_CreateObject()) == NULL ||
	    (arr = cJSON_AddArrayToObject(root, "cells")) == NULL)
		goto done;
	for (i = 0; i < t->nrows; i++)
		for (j = 0; j < t->ncols; j++)
			if ((o = cJSON_CreateObject()) == NULL ||
			    cert_add_item(arr, NULL, o) == -1 ||
			    cert_add_item(o, "col",
			    cJSON_CreateString(t->col_ids[j])) == -1 ||
			    cert_add_item(o, "row",
			    cJSON_CreateString(t->row_ids[i])) == -1 ||
			    cert_add_item(o, "value",
			    json_value(t->values[i * t->ncols + j])) == -1)
				goto done;
	if (cert_add_item(root, "col_dimension",
	    cJSON_CreateString(t->col_name)) == -1 ||
	    (arr = cJSON_AddArrayToObject(root, "col_totals")) == NULL)
		goto done;
	for (j = 0; j < t->ncols; j++)
		if (cert_add_item(arr, NULL,
		    json_value(t->values[base + t->nrows + j])) == -1)
			goto done;
	if (cert_add_item(root, "cols", cert_strings(t->col_ids,
	    t->ncols)) == -1 ||
	    cert_add_item(root, "created_on",
	    cJSON_CreateString(meta->created_on)) == -1)
		goto done;
	if (t->method == STATS_METHOD_DP && (stats_epsilon_text(t, eps,
	    sizeof(eps)) == -1 || cert_add_item(root, "epsilon",
	    cJSON_CreateString(eps)) == -1))
		goto done;
	if (cert_add_item(root, "family", cJSON_CreateString(meta->family)) ==
	    -1 || cert_add_item(root, "id", cJSON_CreateString(meta->id)) ==
	    -1)
		goto done;
	if (t->method == STATS_METHOD_SUPPRESSION &&
	    cert_add_number(root, "k", (int64_t)t->k) == -1)
		goto done;
	if (t->merge_group == NULL) {
		if (cJSON_AddNullToObject(root, "merge") == NULL)
			goto done;
	} else if ((o = cJSON_AddObjectToObject(root, "merge")) == NULL ||
	    cert_add_item(o, "applied", cJSON_CreateBool(t->merge_applied)) ==
	    -1 || cert_add_item(o, "group",
	    cJSON_CreateString(t->merge_group)) == -1 ||
	    cert_add_item(o, "members", cert_strings(t->merge_members,
	    t->nmerge)) == -1)
		goto done;
	if (cert_add_item(root, "method", cJSON_CreateString(t->method ==
	    STATS_METHOD_DP ? "dp" : "suppression")) == -1 ||
	    cert_add_item(root, "quarter",
	    cJSON_CreateString(meta->quarter)) == -1 ||
	    cert_add_item(root, "row_dimension",
	    cJSON_CreateString(t->row_name)) == -1 ||
	    (arr = cJSON_AddArrayToObject(root, "row_totals")) == NULL)
		goto done;
	for (i = 0; i < t->nrows; i++)
		if (cert_add_item(arr, NULL, json_value(t->values[base + i])) ==
		    -1)
			goto done;
	if (cert_add_item(root, "rows", cert_strings(t->row_ids,
	    t->nrows)) == -1 ||
	    cert_add_item(root, "total",
	    json_value(t->values[t->nvalues - 1])) == -1)
		goto done;
	if ((*outp = cJSON_PrintUnformatted(root)) == NULL)
		goto done;
	*lenp = strlen(*outp);
	rc = 0;
done:
	if (rc == -1)
		log_warnx("%s: out of memory", __func__);
	cJSON_Delete(root);
	return rc;
}

struct csv_buf {
	char	*p;
	size_t	 len, cap;
};

static int
csv_put(struct csv_buf *b, const char *s)
{
	size_t	 n = strlen(s), ncap;
	char	*np;

	if (b->len + n + 1 > b->cap) {
		ncap = b->cap ? b->cap : 256;
		while (ncap < b->len + n + 1) {
			if (ncap > SIZE_MAX / 2)
				return -1;
			ncap *= 2;
		}
		if ((np = realloc(b->p, ncap)) == NULL)
			return -1;
		b->p = np;
		b->cap = ncap;
	}
	memcpy(b->p + b->len, s, n + 1);
	b->len += n;
	return 0;
}

static int
csv_value(struct csv_buf *b, int64_t v)
{
	char	num[32];
	int	n;

	if (v == STATS_SUPPRESSED)
		return csv_put(b, ",x");
	n = snprintf(num, sizeof(num), ",%lld", (long long)v);
	if (n < 0 || (size_t)n >= sizeof(num))
		return -1;
	return csv_put(b, num);
}

/* csv_line: "name,value\r\n" of the header block. */
static int
csv_line(struct csv_buf *b, const char *name, const char *value)
{
	return csv_put(b, name) == -1 || csv_put(b, ",") == -1 ||
	    csv_put(b, value) == -1 || csv_put(b, "\r\n") == -1 ? -1 : 0;
}

int
stats_table_csv(const struct stats_table *t, const struct stats_meta *meta,
    char **outp, size_t *lenp)
{
	struct csv_buf	b = { NULL, 0, 0 };
	char		num[32];
	size_t		i, j, base;
	int		n;

	*outp = NULL;
	*lenp = 0;
	if (t == NULL || !render_meta_ok(meta))
		return -1;
	base = t->nrows * t->ncols;
	if (t->method == STATS_METHOD_DP) {
		if (stats_epsilon_text(t, num, sizeof(num)) == -1)
			goto fail;
	} else {
		n = snprintf(num, sizeof(num), "%llu",
		    (unsigned long long)t->k);
		if (n < 0 || (size_t)n >= sizeof(num))
			goto fail;
	}
	if (csv_line(&b, "release", meta->id) == -1 ||
	    csv_line(&b, "family", meta->family) == -1 ||
	    csv_line(&b, "quarter", meta->quarter) == -1 ||
	    csv_line(&b, "method", t->method == STATS_METHOD_DP ? "dp" :
	    "suppression") == -1 ||
	    csv_line(&b, t->method == STATS_METHOD_DP ? "epsilon" : "k",
	    num) == -1 ||
	    csv_line(&b, "created_on", meta->created_on) == -1 ||
	    csv_line(&b, "rows", t->row_name) == -1 ||
	    csv_line(&b, "cols", t->col_name) == -1)
		goto fail;
	if (t->merge_group != NULL) {
		if (csv_line(&b, "merge_group", t->merge_group) == -1 ||
		    csv_line(&b, "merge_applied", t->merge_applied ? "true" :
		    "false") == -1 || csv_put(&b, "merge_members") == -1)
			goto fail;
		for (i = 0; i < t->nmerge; i++)
			if (csv_put(&b, ",") == -1 ||
			    csv_put(&b, t->merge_members[i]) == -1)
				goto fail;
		if (csv_put(&b, "\r\n") == -1)
			goto fail;
	}
	if (csv_put(&b, "\r\n") == -1 || csv_put(&b, t->row_name) == -1)
		goto fail;
	for (j = 0; j < t->ncols; j++)
		if (csv_put(&b, ",") == -1 || csv_put(&b, t->col_ids[j]) == -1)
			goto fail;
	if (csv_put(&b, ",Total\r\n") == -1)
		goto fail;
	for (i = 0; i < t->nrows; i++) {
		if (csv_put(&b, t->row_ids[i]) == -1)
			goto fail;
		for (j = 0; j < t->ncols; j++)
			if (csv_value(&b, t->values[i * t->ncols + j]) == -1)
				goto fail;
		if (csv_value(&b, t->values[base + i]) == -1 ||
		    csv_put(&b, "\r\n") == -1)
			goto fail;
	}
	if (csv_put(&b, "Total") == -1)
		goto fail;
	for (j = 0; j < t->ncols; j++)
		if (csv_value(&b, t->values[base + t->nrows + j]) == -1)
			goto fail;
	if (csv_value(&b, t->values[t->nvalues - 1]) == -1 ||
	    csv_put(&b, "\r\n") == -1)
		goto fail;
	*outp = b.p;
	*lenp = b.len;
	return 0;
fail:
	log_warnx("%s: out of memory", __func__);
	free(b.p);
	return -1;
}
