/*
 * cube.c - the cube: ids, counts, the merge map, and the family views
 * of it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "log.h"
#include "stats.h"
#include "stats_int.h"

/* --------------------------------------------------------------- cube */

void
stats_cube_free(struct stats_cube *cube)
{
	size_t d;

	if (cube == NULL)
		return;
	for (d = 0; d < cube->ndims; d++) {
		free(cube->names[d]);
		stats_strv_free(cube->ids[d], cube->nids[d]);
	}
	if (cube->cells != NULL)
		sodium_memzero(cube->cells,
		    cube->ncells * sizeof(*cube->cells));
	free(cube->cells);
	free(cube->group_id);
	stats_strv_free(cube->members, cube->nmembers);
	free(cube->group_of);
	free(cube->group_ids);
	free(cube);
}

int
stats_cube_new(struct stats_cube **cubep, const struct stats_dim *dims,
    size_t ndims)
{
	struct stats_cube	*cube;
	size_t			 d, i, n;

	*cubep = NULL;
	if (dims == NULL || ndims < 2 || ndims > STATS_MAX_DIMS) {
		log_warnx("%s: need 2 to %d dimensions", __func__,
		    STATS_MAX_DIMS);
		return -1;
	}
	n = 1;
	for (d = 0; d < ndims; d++) {
		if (!stats_slug_ok(dims[d].name) || (dims[d].ids == NULL &&
		    dims[d].nids > 0) || dims[d].nids > STATS_MAX_IDS) {
			log_warnx("%s: dimension %zu invalid", __func__, d);
			return -1;
		}
		for (i = 0; i < dims[d].nids; i++)
			if (!stats_slug_ok(dims[d].ids[i]) || (i > 0 &&
			    strcmp(dims[d].ids[i - 1], dims[d].ids[i]) >= 0)) {
				log_warnx("%s: dimension %zu: ids must be "
				    "sorted unique slugs", __func__, d);
				return -1;
			}
		if (dims[d].nids > 0 && n > STATS_MAX_CELLS / dims[d].nids) {
			log_warnx("%s: too many cells", __func__);
			return -1;
		}
		n *= dims[d].nids;
	}
	if ((cube = calloc(1, sizeof(*cube))) == NULL)
		goto err0;
	cube->ndims = ndims;
	cube->ncells = n;
	for (d = 0; d < ndims; d++) {
		cube->nids[d] = dims[d].nids;
		if ((cube->names[d] = strdup(dims[d].name)) == NULL ||
		    (cube->ids[d] = stats_strv_dup(dims[d].ids,
		    dims[d].nids)) == NULL)
			goto err1;
	}
	cube->stride[ndims - 1] = 1;
	for (d = ndims - 1; d > 0; d--)
		cube->stride[d - 1] = cube->stride[d] * cube->nids[d];
	cube->ngroups = cube->nids[0];
	if ((cube->cells = calloc(NZ(n), sizeof(*cube->cells))) == NULL ||
	    (cube->group_of = calloc(NZ(cube->nids[0]),
	    sizeof(*cube->group_of))) == NULL ||
	    (cube->group_ids = calloc(NZ(cube->nids[0] + 1),
	    sizeof(*cube->group_ids))) == NULL)
		goto err1;
	for (i = 0; i < cube->nids[0]; i++) {
		cube->group_of[i] = i;
		cube->group_ids[i] = cube->ids[0][i];
	}
	*cubep = cube;
	return 0;
err1:
	stats_cube_free(cube);
err0:
	log_warnx("%s: out of memory", __func__);
	return -1;
}

int
stats_cube_add(struct stats_cube *cube, const size_t *coords, uint64_t n)
{
	size_t d, idx = 0;

	for (d = 0; d < cube->ndims; d++) {
		if (coords[d] >= cube->nids[d]) {
			log_warnx("%s: coordinate out of range", __func__);
			return -1;
		}
		idx += coords[d] * cube->stride[d];
	}
	if (n > STATS_MAX_TOTAL - cube->total) {
		log_warnx("%s: too many cases", __func__);
		return -1;
	}
	cube->cells[idx] += n;
	cube->total += n;
	return 0;
}

int
stats_cube_add_ids(struct stats_cube *cube, const char *const *ids,
    uint64_t n)
{
	size_t	coords[STATS_MAX_DIMS], d;
	long	at;

	for (d = 0; d < cube->ndims; d++) {
		if (ids[d] == NULL || (at = stats_find(cube->ids[d],
		    cube->nids[d], ids[d])) < 0) {
			log_warnx("%s: %s value not in the domain", __func__,
			    cube->names[d]);
			return -1;
		}
		coords[d] = (size_t)at;
	}
	return stats_cube_add(cube, coords, n);
}

int
stats_cube_merge(struct stats_cube *cube, const char *group_id,
    const char *const *members, size_t nmembers)
{
	char		**sorted = NULL;
	unsigned char	 *merged = NULL;
	size_t		  i, o, row, norgs = cube->nids[0], nactive = 0;
	long		  at;
	int		  placed;

	if (cube->merge_called) {
		log_warnx("%s: merge map already set", __func__);
		return -1;
	}
	cube->merge_called = 1;
	if (!stats_slug_ok(group_id) || (nmembers > 0 && members == NULL) ||
	    stats_find(cube->ids[0], norgs, group_id) >= 0) {
		log_warnx("%s: invalid group id", __func__);
		return -1;
	}
	for (i = 0; i < nmembers; i++)
		if (!stats_slug_ok(members[i])) {
			log_warnx("%s: invalid member id", __func__);
			return -1;
		}
	if ((sorted = stats_strv_dup(members, nmembers)) == NULL ||
	    (merged = calloc(NZ(norgs), 1)) == NULL)
		goto nomem;
	if (nmembers > 0)
		qsort(sorted, nmembers, sizeof(*sorted), stats_strcmp_qsort);
	for (i = 1; i < nmembers; i++)
		if (strcmp(sorted[i - 1], sorted[i]) == 0) {
			log_warnx("%s: duplicate member", __func__);
			goto fail;
		}
	if ((cube->group_id = strdup(group_id)) == NULL)
		goto nomem;
	/* The map is kept (and published) even when it is not applied. */
	cube->members = sorted;
	cube->nmembers = nmembers;
	if (nmembers < 2) {
		free(merged);
		return 0;
	}
	for (i = 0; i < nmembers; i++)
		if ((at = stats_find(cube->ids[0], norgs, sorted[i])) >= 0) {
			merged[at] = 1;
			nactive++;
		}
	/* Rows: unmerged organisations and the group, in byte order. */
	row = 0;
	placed = nactive == 0;
	for (o = 0; o < norgs; o++) {
		if (!placed && strcmp(group_id, cube->ids[0][o]) < 0) {
			cube->group_ids[row++] = cube->group_id;
			placed = 1;
		}
		if (!merged[o])
			cube->group_ids[row++] = cube->ids[0][o];
	}
	if (!placed)
		cube->group_ids[row++] = cube->group_id;
	cube->ngroups = row;
	for (o = 0; o < norgs; o++) {
		for (row = 0; row < cube->ngroups; row++)
			if (cube->group_ids[row] == (merged[o] ?
			    cube->group_id : cube->ids[0][o]))
				break;
		cube->group_of[o] = row;
	}
	cube->merge_applied = 1;
	free(merged);
	return 1;
nomem:
	log_warnx("%s: out of memory", __func__);
fail:
	free(cube->group_id);
	cube->group_id = NULL;
	cube->members = NULL;
	cube->nmembers = 0;
	stats_strv_free(sorted, nmembers);
	free(merged);
	return -1;
}

size_t
stats_merge_select(const uint64_t *headcount, size_t norgs,
    uint64_t threshold, unsigned char *merged)
{
	size_t i, n = 0;

	for (i = 0; i < norgs; i++) {
		merged[i] = headcount[i] < threshold;
		n += merged[i];
	}
	return n;
}

/* Values of dimension d as a family shows them. */
size_t
cube_view_n(const struct stats_cube *cube, size_t d)
{
	return d == 0 ? cube->ngroups : cube->nids[d];
}

const char *
cube_view_id(const struct stats_cube *cube, size_t d, size_t i)
{
	return d == 0 ? cube->group_ids[i] : cube->ids[d][i];
}

size_t
cube_coord(const struct stats_cube *cube, size_t idx, size_t d)
{
	return (idx / cube->stride[d]) % cube->nids[d];
}

static size_t
cube_view_coord(const struct stats_cube *cube, size_t idx, size_t d)
{
	size_t c = cube_coord(cube, idx, d);

	return d == 0 ? cube->group_of[c] : c;
}

int
cube_view_ok(const struct stats_cube *cube, size_t rd, size_t cd)
{
	if (rd >= cube->ndims || cd >= cube->ndims ||
	    !(rd + 1 == cd || cd + 1 == rd)) {
		log_warnx("%s: a family spans two adjacent dimensions",
		    __func__);
		return 0;
	}
	return 1;
}

/*
 * cube_view_values: the family's values (stats.h numbering) from the cube,
 * counting only organisations not marked in skip (NULL: all).
 */
void
cube_view_values(const struct stats_cube *cube, size_t rd, size_t cd,
    const unsigned char *skip, int64_t *vals)
{
	size_t	nr = cube_view_n(cube, rd), nc = cube_view_n(cube, cd);
	size_t	nv = nr * nc + nr + nc + 1, idx, i, j;
	int64_t	n;

	memset(vals, 0, nv * sizeof(*vals));
	for (idx = 0; idx < cube->ncells; idx++) {
		if ((n = (int64_t)cube->cells[idx]) == 0)
			continue;
		if (skip != NULL && skip[cube_coord(cube, idx, 0)])
			continue;
		i = cube_view_coord(cube, idx, rd);
		j = cube_view_coord(cube, idx, cd);
		vals[i * nc + j] += n;
		vals[nr * nc + i] += n;
		vals[nr * nc + nr + j] += n;
		vals[nv - 1] += n;
	}
}
