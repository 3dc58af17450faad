/*
 * table.c - published tables: building, reading and comparing them.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "log.h"
#include "stats.h"
#include "stats_int.h"

/* -------------------------------------------------------------- table */

void
stats_table_free(struct stats_table *t)
{
	if (t == NULL)
		return;
	free(t->row_name);
	free(t->col_name);
	stats_strv_free(t->row_ids, t->nrows);
	stats_strv_free(t->col_ids, t->ncols);
	free(t->values);
	free(t->merge_group);
	stats_strv_free(t->merge_members, t->nmerge);
	free(t);
}

/* table_new: a table of the family (rd, cd) with every value 0. */
struct stats_table *
table_new(const struct stats_cube *cube, size_t rd, size_t cd)
{
	struct stats_table	*t;
	size_t			 i;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		goto fail;
	t->row_dim = rd;
	t->col_dim = cd;
	t->nrows = cube_view_n(cube, rd);
	t->ncols = cube_view_n(cube, cd);
	t->nvalues = t->nrows * t->ncols + t->nrows + t->ncols + 1;
	if ((t->row_name = strdup(cube->names[rd])) == NULL ||
	    (t->col_name = strdup(cube->names[cd])) == NULL ||
	    (t->row_ids = calloc(NZ(t->nrows), sizeof(*t->row_ids))) == NULL ||
	    (t->col_ids = calloc(NZ(t->ncols), sizeof(*t->col_ids))) == NULL ||
	    (t->values = calloc(t->nvalues, sizeof(*t->values))) == NULL)
		goto fail;
	if (cube->group_id != NULL) {
		if ((t->merge_group = strdup(cube->group_id)) == NULL ||
		    (t->merge_members = stats_strv_dup(
		    (const char *const *)cube->members,
		    cube->nmembers)) == NULL)
			goto fail;
		t->nmerge = cube->nmembers;
		t->merge_applied = cube->merge_applied;
	}
	for (i = 0; i < t->nrows; i++)
		if ((t->row_ids[i] = strdup(cube_view_id(cube, rd, i))) ==
		    NULL)
			goto fail;
	for (i = 0; i < t->ncols; i++)
		if ((t->col_ids[i] = strdup(cube_view_id(cube, cd, i))) ==
		    NULL)
			goto fail;
	return t;
fail:
	log_warnx("%s: out of memory", __func__);
	stats_table_free(t);
	return NULL;
}

enum stats_method
stats_table_method(const struct stats_table *t)
{
	return t->method;
}

size_t
stats_table_nrows(const struct stats_table *t)
{
	return t->nrows;
}

size_t
stats_table_ncols(const struct stats_table *t)
{
	return t->ncols;
}

size_t
stats_table_row_dim(const struct stats_table *t)
{
	return t->row_dim;
}

size_t
stats_table_col_dim(const struct stats_table *t)
{
	return t->col_dim;
}

const char *
stats_table_row_id(const struct stats_table *t, size_t i)
{
	return t->row_ids[i];
}

const char *
stats_table_col_id(const struct stats_table *t, size_t j)
{
	return t->col_ids[j];
}

int64_t
stats_table_cell(const struct stats_table *t, size_t i, size_t j)
{
	return t->values[i * t->ncols + j];
}

int64_t
stats_table_row_total(const struct stats_table *t, size_t i)
{
	return t->values[t->nrows * t->ncols + i];
}

int64_t
stats_table_col_total(const struct stats_table *t, size_t j)
{
	return t->values[t->nrows * t->ncols + t->nrows + j];
}

int64_t
stats_table_total(const struct stats_table *t)
{
	return t->values[t->nvalues - 1];
}

/* table_matches: t shows family (rd, cd) of cube with the same ids. */
int
table_matches(const struct stats_table *t, const struct stats_cube *cube)
{
	size_t i;

	if (!cube_view_ok(cube, t->row_dim, t->col_dim) ||
	    t->nrows != cube_view_n(cube, t->row_dim) ||
	    t->ncols != cube_view_n(cube, t->col_dim))
		return 0;
	for (i = 0; i < t->nrows; i++)
		if (strcmp(t->row_ids[i], cube_view_id(cube, t->row_dim, i)))
			return 0;
	for (i = 0; i < t->ncols; i++)
		if (strcmp(t->col_ids[i], cube_view_id(cube, t->col_dim, i)))
			return 0;
	return 1;
}

int
stats_table_agrees(const struct stats_table *t, const struct stats_cube *cube)
{
	int64_t	*vals;
	size_t	 v;
	int	 ok;

	if (t == NULL || cube == NULL || !table_matches(t, cube))
		return 0;
	if ((vals = calloc(t->nvalues, sizeof(*vals))) == NULL) {
		log_warnx("%s: out of memory", __func__);
		return 0;
	}
	cube_view_values(cube, t->row_dim, t->col_dim, NULL, vals);
	for (v = 0; v < t->nvalues; v++)
		if (t->values[v] != STATS_SUPPRESSED && t->values[v] != vals[v])
			break;
	ok = v == t->nvalues;
	sodium_memzero(vals, t->nvalues * sizeof(*vals));
	free(vals);
	return ok;
}
