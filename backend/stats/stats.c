/*
 * stats.c - anonymised statistics: cube, families, certified suppression,
 * the DP variant and the renderings (stats.h says what; this says how).
 *
 * The flow network of a cube
 *   Layers: 0 = organisations, 1 = organisation rows (groups under the
 *   merge map; one per organisation without it), then one layer per
 *   further dimension in chain order (dimension d >= 1 is layer d + 1).
 *   Every layer value is a node split into in -> out by an "internal" arc
 *   whose flow is that value's margin. Arcs run S -> organisation,
 *   organisation -> its row, row or value -> every value of the next
 *   layer, last layer -> T, and T -> S (the grand total). A finest cell
 *   is an S..T path; a finest table is a flow, and every integer flow is
 *   the flow of some finest table (decompose it into paths). A family
 *   over adjacent dimensions d, d+1 reads its cells from the arcs between
 *   layers d+1 and d+2 and its totals from internal arcs and T -> S, so a
 *   table is consistent with a set of published values exactly when its
 *   flow keeps those arcs.
 *
 * Runs and residuals
 *   A run's holder knows some cases (a scope); the network of a run
 *   carries the residual truth: what the holder cannot see. One network is
 *   built per release, in the state of run 0 (nothing known); a scope run
 *   shifts the counts of its own organisations' cells to their hidden
 *   cases (net_apply) and back (net_unapply). An organisation of the scope
 *   with nothing hidden is fixed: its arcs keep their (zero) residual.
 *
 * Witnesses
 *   Published arcs are fixed: FIXED (earlier releases, the grand total,
 *   the fixed organisations) or CAND (this release's published cells and
 *   margins: fixed, but may be suppressed at a cost). Suppressed or
 *   unpublished arcs are FREE. To move a target arc p towards 0, send flow
 *   from p's tail to its head along a residual path and take it off p (a
 *   cycle of +-1 moves that keeps every fixed arc); towards >= k, the
 *   reverse. Targets are the values whose residual is in 1..k-1. Paths are
 *   shortest by cost (number of CAND arcs, then their values); a CAND arc
 *   on the chosen path becomes a secondary suppression. With every CAND
 *   allowed this search is complete: if a witness exists, augmenting paths
 *   reach it (any difference of two feasible flows decomposes into
 *   residual cycles), so the fail-closed ladder only acts on values pinned
 *   by the grand total, earlier releases, a fixed organisation, or the
 *   max_secondary limit. The witness flow is turned back into a finest
 *   table by removing whole cases on arcs that lost flow and decomposing
 *   what must be added into paths, so a witness differs from the truth in
 *   few cells and is stored as that difference. A witness serves every
 *   later run in which its target has the same residual and it touches no
 *   fixed organisation and takes no cell below what that holder knows
 *   (search_covers): suppressions only grow, so it keeps every value
 *   published in the end.
 *
 * Complexity (V nodes, E arcs, Z non-zero finest cells, L = 2 ndims + 4
 * arcs per cell path, P targets searched, R runs, C the cells of all runs'
 * organisations): building the network is O(ncells + E + Z L) once; the
 * runs cost O(C L + R E) to shift and find their targets; per target
 * searched at most 2k augmenting paths, each a Dijkstra in O(E log E),
 * and realising a witness O(E + the cells it touches). For 200
 * organisations x 7 x 7 x 13 and 300 runs that is a few hundred
 * milliseconds (tests/bench/stats).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "log.h"
#include "stats.h"
#include "stats_dp.h"

#define NET_INF		((int64_t)1 << 62)
#define NET_S		0
#define NET_T		1
#define NET_MAX_LAYERS	(STATS_MAX_DIMS + 1)

struct stats_cube {
	size_t		 ndims;
	char		*names[STATS_MAX_DIMS];
	char		**ids[STATS_MAX_DIMS];
	size_t		 nids[STATS_MAX_DIMS];
	size_t		 stride[STATS_MAX_DIMS];
	size_t		 ncells;
	uint64_t	*cells;
	uint64_t	 total;
	int		 merge_called;
	char		*group_id;	/* the map's group, or NULL */
	char		**members;	/* the map, sorted */
	size_t		 nmembers;
	int		 merge_applied;	/* the map has two members or more */
	size_t		 ngroups;	/* organisation rows of families */
	size_t		*group_of;	/* organisation -> row */
	const char	**group_ids;	/* row ids, byte order (not owned) */
};

struct stats_table {
	enum stats_method method;
	uint64_t	 k;
	uint32_t	 eps_num, eps_den;
	size_t		 row_dim, col_dim;
	char		*row_name, *col_name;
	size_t		 nrows, ncols;
	char		**row_ids, **col_ids;
	size_t		 nvalues;
	int64_t		*values;
	/* The cube's merge map, published with the table. */
	char		*merge_group;	/* NULL: the cube was given none */
	char		**merge_members;
	size_t		 nmerge;
	int		 merge_applied;
};

/* n, or 1 for n == 0: calloc(0, ..) may return NULL. */
#define NZ(n)	((n) > 0 ? (n) : 1)

/* ---------------------------------------------------------------- ids */

static int
stats_slug_ok(const char *s)
{
	size_t i;

	if (s == NULL || s[0] == '\0')
		return 0;
	if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= '0' && s[0] <= '9')))
		return 0;
	for (i = 0; s[i] != '\0'; i++) {
		if (i >= STATS_ID_MAX)
			return 0;
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '-'))
			return 0;
	}
	return 1;
}

static void
stats_strv_free(char **v, size_t n)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static char **
stats_strv_dup(const char *const *v, size_t n)
{
	char	**out;
	size_t	  i;

	if ((out = calloc(n > 0 ? n : 1, sizeof(*out))) == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		if ((out[i] = strdup(v[i])) == NULL) {
			stats_strv_free(out, i);
			return NULL;
		}
	return out;
}

/* stats_find: index of id in the sorted ids[0..n-1], or -1. */
static long
stats_find(char *const *ids, size_t n, const char *id)
{
	size_t	lo = 0, hi = n, mid;
	int	c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(ids[mid], id);
		if (c == 0)
			return (long)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static int
stats_strcmp_qsort(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

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
static size_t
cube_view_n(const struct stats_cube *cube, size_t d)
{
	return d == 0 ? cube->ngroups : cube->nids[d];
}

static const char *
cube_view_id(const struct stats_cube *cube, size_t d, size_t i)
{
	return d == 0 ? cube->group_ids[i] : cube->ids[d][i];
}

static size_t
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

static int
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
static void
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
static struct stats_table *
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
static int
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

/* ------------------------------------------------------------ network */

enum { ARC_FREE, ARC_FIXED, ARC_CAND };

struct net_arc {
	size_t		from, to;
	int		kind;
	int64_t		flow;
	int64_t		cost;		/* ARC_CAND: unit + value */
	size_t		cand;		/* ARC_CAND: value of this release */
};

struct net {
	const struct stats_cube	*cube;
	size_t		 nlayers;
	size_t		 size[NET_MAX_LAYERS], off[NET_MAX_LAYERS];
	size_t		 inter_base[NET_MAX_LAYERS];
	size_t		 int_base, src_base, og_base, snk_base;
	size_t		 nnodes, narcs, plen;
	struct net_arc	*arcs;
	int64_t		*flow0;		/* the run's residual truth flow */
	unsigned char	*fixed;		/* per organisation: known completely */
	size_t		*adj_start, *adj;	/* arc << 1 | backward */
	/* The non-zero finest cells, in cube order (so the cells of one
	 * organisation are consecutive: org_first[o] .. org_first[o + 1]). */
	size_t		 ncells;
	size_t		*cell;
	int64_t		*truth;		/* their counts */
	int64_t		*count;		/* what the run's holder cannot see */
	uint32_t	*path;		/* ncells * plen arcs */
	size_t		*ac_start;	/* arc -> cells through it ... */
	uint32_t	*ac;		/* ... (arc 0 omitted: all cells) */
	size_t		*org_first;
	uint32_t	*pos;		/* cube cell -> index, or UINT32_MAX */
	/* scratch */
	int64_t		*dist, *work, *removed;
	size_t		*touched, ntouched;	/* cells with removed != 0 */
	size_t		*pred;
	int64_t		*heap_d;
	size_t		*heap_n, heap_len, heap_cap;
};

static size_t
net_node_in(const struct net *n, size_t l, size_t a)
{
	return 2 + 2 * (n->off[l] + a);
}

static size_t
net_arc_int(const struct net *n, size_t l, size_t a)
{
	return n->int_base + n->off[l] + a;
}

static size_t
net_arc_inter(const struct net *n, size_t l, size_t a, size_t b)
{
	return n->inter_base[l] + a * n->size[l + 1] + b;
}

/* net_value_arc: the arc carrying value v of family (rd, cd). */
static size_t
net_value_arc(const struct net *n, size_t rd, size_t cd, size_t v)
{
	size_t	lr = rd + 1, lc = cd + 1;
	size_t	nr = n->size[lr], nc = n->size[lc], i, j;

	if (v < nr * nc) {
		i = v / nc;
		j = v % nc;
		return lr < lc ? net_arc_inter(n, lr, i, j) :
		    net_arc_inter(n, lc, j, i);
	}
	v -= nr * nc;
	if (v < nr)
		return net_arc_int(n, lr, v);
	v -= nr;
	if (v < nc)
		return net_arc_int(n, lc, v);
	return 0;
}

/* net_cell_path: the arcs of finest cell idx, plen of them. */
static void
net_cell_path(const struct net *n, size_t idx, uint32_t *p)
{
	const struct stats_cube	*cube = n->cube;
	size_t			 o, prev, c, d, k = 0;

	o = cube_coord(cube, idx, 0);
	p[k++] = (uint32_t)(n->src_base + o);
	p[k++] = (uint32_t)net_arc_int(n, 0, o);
	p[k++] = (uint32_t)(n->og_base + o);
	prev = cube->group_of[o];
	p[k++] = (uint32_t)net_arc_int(n, 1, prev);
	for (d = 1; d < cube->ndims; d++) {
		c = cube_coord(cube, idx, d);
		p[k++] = (uint32_t)net_arc_inter(n, d, prev, c);
		p[k++] = (uint32_t)net_arc_int(n, d + 1, c);
		prev = c;
	}
	p[k++] = (uint32_t)(n->snk_base + prev);
	p[k++] = 0;
}

static void
net_free(struct net *n)
{
	if (n == NULL)
		return;
	/* The flows and counts are the (residual) truth. */
	if (n->arcs != NULL)
		sodium_memzero(n->arcs, n->narcs * sizeof(*n->arcs));
	if (n->flow0 != NULL)
		sodium_memzero(n->flow0, n->narcs * sizeof(*n->flow0));
	if (n->work != NULL)
		sodium_memzero(n->work, n->narcs * sizeof(*n->work));
	if (n->truth != NULL)
		sodium_memzero(n->truth, (n->ncells + 1) * sizeof(*n->truth));
	if (n->count != NULL)
		sodium_memzero(n->count, (n->ncells + 1) * sizeof(*n->count));
	if (n->removed != NULL)
		sodium_memzero(n->removed,
		    (n->ncells + 1) * sizeof(*n->removed));
	free(n->arcs);
	free(n->flow0);
	free(n->fixed);
	free(n->adj_start);
	free(n->adj);
	free(n->cell);
	free(n->truth);
	free(n->count);
	free(n->path);
	free(n->ac_start);
	free(n->ac);
	free(n->org_first);
	free(n->pos);
	free(n->dist);
	free(n->work);
	free(n->removed);
	free(n->touched);
	free(n->pred);
	free(n->heap_d);
	free(n->heap_n);
	free(n);
}

static void
net_set_arc(struct net *n, size_t a, size_t from, size_t to)
{
	n->arcs[a].from = from;
	n->arcs[a].to = to;
}

/*
 * net_new: the network of cube (every dimension non-empty) with its
 * non-zero cells, every arc FREE and carrying the truth flow, no
 * organisation fixed: the state of run 0. A scope run shifts it with
 * net_apply and back with net_unapply, so all runs share one network.
 */
static struct net *
net_new(const struct stats_cube *cube)
{
	struct net	*n;
	size_t		 l, a, b, o, i, k, idx, last, nodes;

	if ((n = calloc(1, sizeof(*n))) == NULL)
		goto nomem;
	n->cube = cube;
	n->nlayers = cube->ndims + 1;
	n->size[0] = cube->nids[0];
	n->size[1] = cube->ngroups;
	for (l = 2; l < n->nlayers; l++)
		n->size[l] = cube->nids[l - 1];
	nodes = 0;
	for (l = 0; l < n->nlayers; l++) {
		n->off[l] = nodes;
		nodes += n->size[l];
	}
	n->nnodes = 2 + 2 * nodes;
	n->int_base = 1;
	n->src_base = n->int_base + nodes;
	n->og_base = n->src_base + n->size[0];
	k = n->og_base + n->size[0];
	for (l = 1; l + 1 < n->nlayers; l++) {
		n->inter_base[l] = k;
		k += n->size[l] * n->size[l + 1];
	}
	n->snk_base = k;
	last = n->nlayers - 1;
	n->narcs = k + n->size[last];
	n->plen = 2 * cube->ndims + 4;
	if ((n->arcs = calloc(n->narcs, sizeof(*n->arcs))) == NULL ||
	    (n->flow0 = calloc(n->narcs, sizeof(*n->flow0))) == NULL ||
	    (n->adj_start = calloc(n->nnodes + 1,
	    sizeof(*n->adj_start))) == NULL ||
	    (n->adj = calloc(2 * n->narcs, sizeof(*n->adj))) == NULL ||
	    (n->dist = calloc(n->nnodes, sizeof(*n->dist))) == NULL ||
	    (n->pred = calloc(n->nnodes, sizeof(*n->pred))) == NULL ||
	    (n->work = calloc(n->narcs, sizeof(*n->work))) == NULL ||
	    (n->ac_start = calloc(n->narcs + 1,
	    sizeof(*n->ac_start))) == NULL ||
	    (n->fixed = calloc(NZ(n->size[0]), 1)) == NULL ||
	    (n->org_first = calloc(n->size[0] + 1,
	    sizeof(*n->org_first))) == NULL ||
	    (n->pos = calloc(NZ(cube->ncells), sizeof(*n->pos))) == NULL)
		goto nomem;
	n->heap_cap = 2 * n->narcs + n->nnodes + 1;
	if ((n->heap_d = calloc(n->heap_cap, sizeof(*n->heap_d))) == NULL ||
	    (n->heap_n = calloc(n->heap_cap, sizeof(*n->heap_n))) == NULL)
		goto nomem;

	net_set_arc(n, 0, NET_T, NET_S);
	for (l = 0; l < n->nlayers; l++)
		for (a = 0; a < n->size[l]; a++)
			net_set_arc(n, net_arc_int(n, l, a),
			    net_node_in(n, l, a), net_node_in(n, l, a) + 1);
	for (o = 0; o < n->size[0]; o++) {
		net_set_arc(n, n->src_base + o, NET_S, net_node_in(n, 0, o));
		net_set_arc(n, n->og_base + o, net_node_in(n, 0, o) + 1,
		    net_node_in(n, 1, cube->group_of[o]));
	}
	for (l = 1; l + 1 < n->nlayers; l++)
		for (a = 0; a < n->size[l]; a++)
			for (b = 0; b < n->size[l + 1]; b++)
				net_set_arc(n, net_arc_inter(n, l, a, b),
				    net_node_in(n, l, a) + 1,
				    net_node_in(n, l + 1, b));
	for (a = 0; a < n->size[last]; a++)
		net_set_arc(n, n->snk_base + a, net_node_in(n, last, a) + 1,
		    NET_T);

	/* Adjacency: each arc forward at its tail, backward at its head. */
	for (a = 0; a < n->narcs; a++) {
		n->adj_start[n->arcs[a].from + 1]++;
		n->adj_start[n->arcs[a].to + 1]++;
	}
	for (i = 0; i < n->nnodes; i++)
		n->adj_start[i + 1] += n->adj_start[i];
	{
		size_t *fill;

		if ((fill = calloc(n->nnodes, sizeof(*fill))) == NULL)
			goto nomem;
		for (a = 0; a < n->narcs; a++) {
			i = n->arcs[a].from;
			n->adj[n->adj_start[i] + fill[i]++] = a << 1;
			i = n->arcs[a].to;
			n->adj[n->adj_start[i] + fill[i]++] = a << 1 | 1;
		}
		free(fill);
	}

	/* The non-zero cells, their paths and the truth flow. */
	for (idx = 0; idx < cube->ncells; idx++)
		if (cube->cells[idx] != 0)
			n->ncells++;
	if ((n->cell = calloc(n->ncells + 1, sizeof(*n->cell))) == NULL ||
	    (n->truth = calloc(n->ncells + 1, sizeof(*n->truth))) == NULL ||
	    (n->count = calloc(n->ncells + 1, sizeof(*n->count))) == NULL ||
	    (n->removed = calloc(n->ncells + 1,
	    sizeof(*n->removed))) == NULL ||
	    (n->touched = calloc(n->ncells + 1,
	    sizeof(*n->touched))) == NULL ||
	    (n->path = calloc((n->ncells + 1) * n->plen,
	    sizeof(*n->path))) == NULL)
		goto nomem;
	i = 0;
	for (idx = 0; idx < cube->ncells; idx++) {
		n->pos[idx] = UINT32_MAX;
		if (cube->cells[idx] == 0)
			continue;
		n->pos[idx] = (uint32_t)i;
		n->cell[i] = idx;
		n->truth[i] = n->count[i] = (int64_t)cube->cells[idx];
		n->org_first[cube_coord(cube, idx, 0) + 1]++;
		net_cell_path(n, idx, n->path + i * n->plen);
		for (k = 0; k < n->plen; k++)
			n->flow0[n->path[i * n->plen + k]] += n->count[i];
		i++;
	}
	for (o = 0; o < n->size[0]; o++)
		n->org_first[o + 1] += n->org_first[o];
	/* Arc -> cells, in cell order; arc 0 (all cells) is left out. */
	for (i = 0; i < n->ncells; i++)
		for (k = 0; k + 1 < n->plen; k++)
			n->ac_start[n->path[i * n->plen + k] + 1]++;
	for (a = 0; a < n->narcs; a++)
		n->ac_start[a + 1] += n->ac_start[a];
	if ((n->ac = calloc(n->ac_start[n->narcs] + 1,
	    sizeof(*n->ac))) == NULL)
		goto nomem;
	memset(n->work, 0, n->narcs * sizeof(*n->work));
	for (i = 0; i < n->ncells; i++)
		for (k = 0; k + 1 < n->plen; k++) {
			a = n->path[i * n->plen + k];
			n->ac[n->ac_start[a] + (size_t)n->work[a]++] =
			    (uint32_t)i;
		}
	return n;
nomem:
	log_warnx("%s: out of memory", __func__);
	net_free(n);
	return NULL;
}

/*
 * net_bind: reset every arc to the run's truth flow and bind the published
 * values: the organisations the run's holder knows completely, then the
 * earlier releases (FIXED),
 * then this release (the grand total FIXED, other published values CAND,
 * at cost unit + truth value; supp[v] marks this release's suppressions).
 */
static void
net_bind(struct net *n, const struct stats_table *const *earlier,
    size_t nearlier, size_t rd, size_t cd, const unsigned char *supp,
    const int64_t *truth, int64_t unit)
{
	size_t	a, e, v, nv, o;

	for (a = 0; a < n->narcs; a++) {
		n->arcs[a].flow = n->flow0[a];
		n->arcs[a].kind = ARC_FREE;
		n->arcs[a].cost = 0;
		n->arcs[a].cand = 0;
	}
	for (o = 0; o < n->size[0]; o++)
		if (n->fixed[o]) {
			n->arcs[n->src_base + o].kind = ARC_FIXED;
			n->arcs[net_arc_int(n, 0, o)].kind = ARC_FIXED;
		}
	for (e = 0; e < nearlier; e++)
		for (v = 0; v < earlier[e]->nvalues; v++)
			if (earlier[e]->values[v] != STATS_SUPPRESSED)
				n->arcs[net_value_arc(n, earlier[e]->row_dim,
				    earlier[e]->col_dim, v)].kind = ARC_FIXED;
	nv = n->size[rd + 1] * n->size[cd + 1] + n->size[rd + 1] +
	    n->size[cd + 1] + 1;
	for (v = 0; v < nv; v++) {
		if (supp[v])
			continue;
		a = net_value_arc(n, rd, cd, v);
		if (n->arcs[a].kind == ARC_FIXED)
			continue;
		if (v == nv - 1) {
			n->arcs[a].kind = ARC_FIXED;
			continue;
		}
		n->arcs[a].kind = ARC_CAND;
		n->arcs[a].cost = unit + truth[v];
		n->arcs[a].cand = v;
	}
}

static int64_t
net_cap(const struct net_arc *arc, int backward)
{
	if (arc->kind == ARC_FIXED)
		return 0;
	return backward ? arc->flow : NET_INF - arc->flow;
}

static void
net_heap_push(struct net *n, int64_t d, size_t node)
{
	size_t i = n->heap_len++, parent;

	while (i > 0) {
		parent = (i - 1) / 2;
		if (n->heap_d[parent] < d || (n->heap_d[parent] == d &&
		    n->heap_n[parent] < node))
			break;
		n->heap_d[i] = n->heap_d[parent];
		n->heap_n[i] = n->heap_n[parent];
		i = parent;
	}
	n->heap_d[i] = d;
	n->heap_n[i] = node;
}

static void
net_heap_pop(struct net *n, int64_t *d, size_t *node)
{
	size_t	i = 0, c, len;
	int64_t	ld;
	size_t	ln;

	*d = n->heap_d[0];
	*node = n->heap_n[0];
	len = --n->heap_len;
	if (len == 0)
		return;
	ld = n->heap_d[len];
	ln = n->heap_n[len];
	for (;;) {
		c = 2 * i + 1;
		if (c >= len)
			break;
		if (c + 1 < len && (n->heap_d[c + 1] < n->heap_d[c] ||
		    (n->heap_d[c + 1] == n->heap_d[c] &&
		    n->heap_n[c + 1] < n->heap_n[c])))
			c++;
		if (ld < n->heap_d[c] || (ld == n->heap_d[c] &&
		    ln < n->heap_n[c]))
			break;
		n->heap_d[i] = n->heap_d[c];
		n->heap_n[i] = n->heap_n[c];
		i = c;
	}
	n->heap_d[i] = ld;
	n->heap_n[i] = ln;
}

/*
 * net_path: cheapest residual path src -> dst avoiding arc skip (Dijkstra,
 * ties broken by node number, so deterministic). Returns 1 with pred[]
 * filled, or 0 when there is none.
 */
static int
net_path(struct net *n, size_t src, size_t dst, size_t skip)
{
	size_t	u, v, e, a, i;
	int64_t	du, nd;
	int	back;

	for (i = 0; i < n->nnodes; i++)
		n->dist[i] = INT64_MAX;
	n->heap_len = 0;
	n->dist[src] = 0;
	net_heap_push(n, 0, src);
	while (n->heap_len > 0) {
		net_heap_pop(n, &du, &u);
		if (du > n->dist[u])
			continue;
		if (u == dst)
			return 1;
		for (i = n->adj_start[u]; i < n->adj_start[u + 1]; i++) {
			e = n->adj[i];
			a = e >> 1;
			back = (int)(e & 1);
			if (a == skip || net_cap(&n->arcs[a], back) <= 0)
				continue;
			v = back ? n->arcs[a].from : n->arcs[a].to;
			nd = du + (n->arcs[a].kind == ARC_CAND ?
			    n->arcs[a].cost : 0);
			/* Pushes never exceed 1 + 2 narcs: each adjacency
			 * entry relaxes once, when its node is settled. */
			if (nd < n->dist[v] && n->heap_len < n->heap_cap) {
				n->dist[v] = nd;
				n->pred[v] = e;
				net_heap_push(n, nd, v);
			}
		}
	}
	return 0;
}

/*
 * net_augment: push up to want units along the path found by net_path;
 * CAND arcs on it become suppressions (supp, *added). Returns the units.
 */
static int64_t
net_augment(struct net *n, size_t src, size_t dst, int64_t want,
    unsigned char *supp, size_t *added)
{
	struct net_arc	*arc;
	size_t		 v, e;
	int64_t		 delta = want, c;
	int		 back;

	for (v = dst; v != src; v = back ? arc->to : arc->from) {
		e = n->pred[v];
		arc = &n->arcs[e >> 1];
		back = (int)(e & 1);
		if ((c = net_cap(arc, back)) < delta)
			delta = c;
	}
	for (v = dst; v != src; v = back ? arc->to : arc->from) {
		e = n->pred[v];
		arc = &n->arcs[e >> 1];
		back = (int)(e & 1);
		arc->flow += back ? -delta : delta;
		if (arc->kind == ARC_CAND) {
			arc->kind = ARC_FREE;
			supp[arc->cand] = 1;
			(*added)++;
		}
	}
	return delta;
}

/*
 * net_move: bring arc p to 0 (up == 0) or to at least goal (up == 1).
 * Returns 0, or 1 when no witness is found within limit new suppressions
 * (limit 0: none).
 */
static int
net_move(struct net *n, size_t p, int up, int64_t goal, unsigned char *supp,
    size_t *added, size_t limit)
{
	struct net_arc	*arc = &n->arcs[p];
	size_t		 src, dst;
	int64_t		 want, got;

	if (arc->kind == ARC_FIXED)
		return 1;
	if (arc->kind == ARC_CAND) {
		arc->kind = ARC_FREE;
		supp[arc->cand] = 1;
		(*added)++;
	}
	src = up ? arc->to : arc->from;
	dst = up ? arc->from : arc->to;
	for (;;) {
		want = up ? goal - arc->flow : arc->flow;
		if (want <= 0)
			return 0;
		if (limit > 0 && *added > limit)
			return 1;
		if (!net_path(n, src, dst, p))
			return 1;
		got = net_augment(n, src, dst, want, supp, added);
		arc->flow += up ? got : -got;
		if (limit > 0 && *added > limit)
			return 1;
	}
}

/* A witness: the difference from the truth, in finest cells. */
struct diff {
	size_t	 n;
	size_t	*cell;
	int64_t	*delta;
};

static void
diff_clear(struct diff *d)
{
	free(d->cell);
	free(d->delta);
	memset(d, 0, sizeof(*d));
}

struct diff_pair {
	size_t	cell;
	int64_t	delta;
};

static int
diff_pair_cmp(const void *a, const void *b)
{
	const struct diff_pair *x = a, *y = b;

	return x->cell < y->cell ? -1 : x->cell > y->cell;
}

/*
 * net_realise: turn the current flow into a finest table's difference from
 * the truth: take whole cases off arcs that lost flow, then decompose what
 * must be added into S..T paths. Returns 0, or -1 (no memory or an
 * internal inconsistency, logged).
 */
static int
net_realise(struct net *n, struct diff *out)
{
	const struct stats_cube	*cube = n->cube;
	struct diff_pair	*pairs = NULL;
	size_t			 npairs = 0, cap, a, i, j, k, l, o, prev, b;
	size_t			 coords[STATS_MAX_DIMS];
	size_t			 pa[2 * STATS_MAX_DIMS + 4];
	int64_t			*need = n->work, want, u, bott;
	int			 rc = -1;

	memset(out, 0, sizeof(*out));
	n->ntouched = 0;
	/* need[a]: what must be added to arc a after the removals. */
	for (a = 0; a < n->narcs; a++)
		need[a] = n->arcs[a].flow - n->flow0[a];
	for (a = 0; a < n->narcs; a++) {
		if (need[a] >= 0)
			continue;
		want = -need[a];
		for (j = a == 0 ? 0 : n->ac_start[a]; want > 0 &&
		    j < (a == 0 ? n->ncells : n->ac_start[a + 1]); j++) {
			i = a == 0 ? j : n->ac[j];
			if ((u = n->count[i] - n->removed[i]) <= 0)
				continue;
			if (u > want)
				u = want;
			if (n->removed[i] == 0)
				n->touched[n->ntouched++] = i;
			n->removed[i] += u;
			want -= u;
			for (k = 0; k < n->plen; k++)
				need[n->path[i * n->plen + k]] += u;
		}
		if (want > 0)
			goto broken;
	}
	for (a = 0; a < n->narcs; a++)
		if (need[a] < 0)
			goto broken;
	/* At most one path per arc emptied, plus the removals. */
	cap = 16 + n->ntouched + n->narcs;
	if ((pairs = calloc(cap, sizeof(*pairs))) == NULL) {
		log_warnx("%s: out of memory", __func__);
		goto done;
	}
	for (j = 0; j < n->ntouched; j++) {
		i = n->touched[j];
		pairs[npairs].cell = n->cell[i];
		pairs[npairs++].delta = -n->removed[i];
	}
	while (need[0] > 0) {
		if (npairs >= cap)
			goto broken;
		k = 0;
		for (o = 0; o < n->size[0] && need[n->src_base + o] <= 0; o++)
			;
		if (o == n->size[0])
			goto broken;
		coords[0] = o;
		pa[k++] = n->src_base + o;
		pa[k++] = net_arc_int(n, 0, o);
		pa[k++] = n->og_base + o;
		prev = cube->group_of[o];
		pa[k++] = net_arc_int(n, 1, prev);
		for (l = 1; l + 1 < n->nlayers; l++) {
			for (b = 0; b < n->size[l + 1] &&
			    need[net_arc_inter(n, l, prev, b)] <= 0; b++)
				;
			if (b == n->size[l + 1])
				goto broken;
			coords[l] = b;
			pa[k++] = net_arc_inter(n, l, prev, b);
			pa[k++] = net_arc_int(n, l + 1, b);
			prev = b;
		}
		pa[k++] = n->snk_base + prev;
		pa[k++] = 0;
		bott = NET_INF;
		for (j = 0; j < k; j++)
			if (need[pa[j]] < bott)
				bott = need[pa[j]];
		if (bott <= 0)
			goto broken;
		for (j = 0; j < k; j++)
			need[pa[j]] -= bott;
		pairs[npairs].cell = 0;
		for (l = 0; l < cube->ndims; l++)
			pairs[npairs].cell += coords[l] * cube->stride[l];
		pairs[npairs++].delta = bott;
	}
	for (a = 0; a < n->narcs; a++)
		if (need[a] != 0)
			goto broken;
	/* Sum per cell, drop zeros. */
	qsort(pairs, npairs, sizeof(*pairs), diff_pair_cmp);
	for (i = 0, j = 0; i < npairs; i++) {
		if (j > 0 && pairs[j - 1].cell == pairs[i].cell)
			pairs[j - 1].delta += pairs[i].delta;
		else
			pairs[j++] = pairs[i];
		if (pairs[j - 1].delta == 0)
			j--;
	}
	npairs = j;
	if ((out->cell = calloc(npairs + 1, sizeof(*out->cell))) == NULL ||
	    (out->delta = calloc(npairs + 1, sizeof(*out->delta))) == NULL) {
		log_warnx("%s: out of memory", __func__);
		diff_clear(out);
		goto done;
	}
	for (i = 0; i < npairs; i++) {
		out->cell[i] = pairs[i].cell;
		out->delta[i] = pairs[i].delta;
	}
	out->n = npairs;
	rc = 0;
	goto done;
broken:
	log_warnx("%s: witness flow does not decompose", __func__);
done:
	for (j = 0; j < n->ntouched; j++)
		n->removed[n->touched[j]] = 0;
	n->ntouched = 0;
	free(pairs);
	return rc;
}

/* net_shift: add delta cases to what the holder cannot see of cell i. */
static void
net_shift(struct net *n, size_t i, int64_t delta)
{
	size_t k;

	n->count[i] += delta;
	for (k = 0; k < n->plen; k++)
		n->flow0[n->path[i * n->plen + k]] += delta;
}

/* ------------------------------------------------------------- search */

/* A value that needs witnesses in a run: of this release (release 0) or
 * of an earlier one (release e + 1), with its residual: the part the
 * run's holder cannot see. */
struct target {
	size_t	 release, value, arc;
	int64_t	 k, residual;
};

/* One run: run 0 has no scope (in == NULL); a scope run's holder knows
 * every case of the organisations in in[] but hcount[i] of cube cell
 * hcell[i] (ascending, each 1..the cell's count). */
struct run {
	size_t		 norgs;
	unsigned char	*in;
	size_t		 nhidden;
	size_t		*hcell;
	int64_t		*hcount;
};

/* Witnesses for a target, valid in every run of runs[] (ascending). */
struct witness {
	struct target	 t;
	struct diff	 zero, high;
	int64_t		 dzero, dhigh;	/* change of the target's arc */
	size_t		 next;		/* next witness on the same arc */
	size_t		*runs, nruns, capruns;
};

/* A value already published by an earlier release whose residual in a
 * run is in 1..k-1: no later release can hide it. */
struct disclosed {
	size_t	 run, release, value;
};

struct search {
	const struct stats_suppress_args *args;
	const struct stats_cube	*cube;
	size_t			 rd, cd, nr, nc, nv;
	int64_t			*truth;		/* this release's values */
	int64_t			 unit;		/* cost of one suppression */
	unsigned char		*supp, *saved;
	struct net		*net;		/* shared by every run */
	struct target		*targets;	/* of the current run */
	size_t			 ntargets;
	struct run		*runs;
	size_t			 nruns;
	struct witness		*wit;
	size_t			 nwit, capwit;
	size_t			*wit_head;	/* per arc, or SIZE_MAX */
	struct disclosed	*disc;
	size_t			 ndisc, capdisc;
	struct stats_suppress_report rep;
};

static void
run_clear(struct run *r)
{
	free(r->in);
	free(r->hcell);
	if (r->hcount != NULL)
		sodium_memzero(r->hcount, r->nhidden * sizeof(*r->hcount));
	free(r->hcount);
	memset(r, 0, sizeof(*r));
}

/* Runs in a fixed order (organisations, then hidden cells), so the order
 * of the caller's scopes does not matter. */
static int
run_cmp(const void *a, const void *b)
{
	const struct run	*x = a, *y = b;
	size_t			 i;
	int			 c;

	if ((c = memcmp(x->in, y->in, NZ(x->norgs))) != 0)
		return c;
	for (i = 0; i < x->nhidden && i < y->nhidden; i++) {
		if (x->hcell[i] != y->hcell[i])
			return x->hcell[i] < y->hcell[i] ? -1 : 1;
		if (x->hcount[i] != y->hcount[i])
			return x->hcount[i] < y->hcount[i] ? -1 : 1;
	}
	return x->nhidden < y->nhidden ? -1 : x->nhidden > y->nhidden;
}

struct hidden_pair {
	size_t		cell;
	uint64_t	n;
};

static int
hidden_pair_cmp(const void *a, const void *b)
{
	const struct hidden_pair *x = a, *y = b;

	return x->cell < y->cell ? -1 : x->cell > y->cell;
}

/*
 * run_build: the run of one scope into *r. Returns 1 when the scope needs
 * a run, 0 when it does not (its holder knows no case, or every case),
 * -1 for an invalid scope or no memory.
 */
static int
run_build(const struct stats_cube *cube, const struct stats_scope *sc,
    struct run *r)
{
	struct hidden_pair	*hp = NULL;
	size_t			 norgs = cube->nids[0], held = 0, i, j, d;
	size_t			 nh = 0, idx;
	long			 at;
	int			 rc = -1;

	memset(r, 0, sizeof(*r));
	r->norgs = norgs;
	if ((sc->norgs > 0 && sc->orgs == NULL) ||
	    (sc->nhidden > 0 && sc->hidden == NULL))
		goto bad;
	if ((r->in = calloc(NZ(norgs), 1)) == NULL ||
	    (hp = calloc(NZ(sc->nhidden), sizeof(*hp))) == NULL)
		goto nomem;
	for (j = 0; j < sc->norgs; j++) {
		if (!stats_slug_ok(sc->orgs[j]))
			goto bad;
		at = stats_find(cube->ids[0], norgs, sc->orgs[j]);
		if (at >= 0 && !r->in[at]) {
			r->in[at] = 1;
			held++;
		}
	}
	for (j = 0; j < sc->nhidden; j++) {
		if (sc->hidden[j].n == 0)
			continue;
		/* Cases of organisations outside the scope are not known
		 * anyway; any other unknown id is an error. */
		if (sc->hidden[j].ids[0] == NULL ||
		    (at = stats_find(cube->ids[0], norgs,
		    sc->hidden[j].ids[0])) < 0 || !r->in[at])
			continue;
		idx = (size_t)at * cube->stride[0];
		for (d = 1; d < cube->ndims; d++) {
			if (sc->hidden[j].ids[d] == NULL || (at = stats_find(
			    cube->ids[d], cube->nids[d],
			    sc->hidden[j].ids[d])) < 0)
				goto bad;
			idx += (size_t)at * cube->stride[d];
		}
		hp[nh].cell = idx;
		hp[nh++].n = sc->hidden[j].n;
	}
	if (nh > 0)
		qsort(hp, nh, sizeof(*hp), hidden_pair_cmp);
	/* Add up duplicates, cap at the cell, drop zeros. */
	for (i = 0, j = 0; i < nh; i++) {
		if (j > 0 && hp[j - 1].cell == hp[i].cell)
			hp[j - 1].n = hp[j - 1].n > STATS_MAX_TOTAL - hp[i].n ?
			    STATS_MAX_TOTAL : hp[j - 1].n + hp[i].n;
		else
			hp[j++] = hp[i];
	}
	nh = j;
	for (i = 0, j = 0; i < nh; i++) {
		if (hp[i].n > cube->cells[hp[i].cell])
			hp[i].n = cube->cells[hp[i].cell];
		if (hp[i].n > 0)
			hp[j++] = hp[i];
	}
	nh = j;
	if (held == 0 || (held == norgs && nh == 0)) {
		rc = 0;
		goto done;
	}
	if ((r->hcell = calloc(NZ(nh), sizeof(*r->hcell))) == NULL ||
	    (r->hcount = calloc(NZ(nh), sizeof(*r->hcount))) == NULL)
		goto nomem;
	for (i = 0; i < nh; i++) {
		r->hcell[i] = hp[i].cell;
		r->hcount[i] = (int64_t)hp[i].n;
	}
	r->nhidden = nh;
	rc = 1;
	goto done;
bad:
	log_warnx("%s: bad scope", __func__);
	goto done;
nomem:
	log_warnx("%s: out of memory", __func__);
done:
	if (hp != NULL)
		sodium_memzero(hp, NZ(sc->nhidden) * sizeof(*hp));
	free(hp);
	if (rc != 1)
		run_clear(r);
	return rc;
}

/*
 * search_runs: run 0 and one run per distinct scope that needs one,
 * sorted and deduplicated.
 */
static int
search_runs(struct search *s)
{
	const struct stats_suppress_args	*args = s->args;
	size_t					 i, j;
	int					 rc;

	if (args->nscopes > STATS_MAX_SCOPES || (args->nscopes > 0 &&
	    args->scopes == NULL)) {
		log_warnx("%s: bad scopes", __func__);
		return -1;
	}
	if ((s->runs = calloc(args->nscopes + 1, sizeof(*s->runs))) == NULL) {
		log_warnx("%s: out of memory", __func__);
		return -1;
	}
	s->runs[0].norgs = s->cube->nids[0];
	s->nruns = 1;
	for (i = 0; i < args->nscopes; i++) {
		rc = run_build(s->cube, &args->scopes[i], &s->runs[s->nruns]);
		if (rc == -1)
			return -1;
		s->nruns += (size_t)rc;
	}
	if (s->nruns > 2)
		qsort(s->runs + 1, s->nruns - 1, sizeof(*s->runs), run_cmp);
	for (i = 1, j = 1; i < s->nruns; i++) {
		if (j > 1 && run_cmp(&s->runs[j - 1], &s->runs[i]) == 0) {
			run_clear(&s->runs[i]);
			continue;
		}
		if (j != i) {
			s->runs[j] = s->runs[i];
			memset(&s->runs[i], 0, sizeof(s->runs[i]));
		}
		j++;
	}
	s->nruns = j;
	return 0;
}

/*
 * net_apply: shift the network to what run r's holder cannot see: each of
 * its organisations keeps only its hidden cases, and one with none left
 * is fixed. net_unapply undoes it. Both cost the organisations' cells.
 */
static void
net_apply(struct net *n, const struct run *r)
{
	size_t	o, i, h = 0;
	int64_t	want, sum;

	if (r->in == NULL)
		return;
	for (o = 0; o < n->size[0]; o++) {
		if (!r->in[o])
			continue;
		sum = 0;
		for (i = n->org_first[o]; i < n->org_first[o + 1]; i++) {
			while (h < r->nhidden && r->hcell[h] < n->cell[i])
				h++;
			want = h < r->nhidden && r->hcell[h] == n->cell[i] ?
			    r->hcount[h] : 0;
			if (want != n->count[i])
				net_shift(n, i, want - n->count[i]);
			sum += want;
		}
		n->fixed[o] = sum == 0;
	}
}

static void
net_unapply(struct net *n, const struct run *r)
{
	size_t o, i;

	if (r->in == NULL)
		return;
	for (o = 0; o < n->size[0]; o++) {
		if (!r->in[o])
			continue;
		for (i = n->org_first[o]; i < n->org_first[o + 1]; i++)
			if (n->count[i] != n->truth[i])
				net_shift(n, i, n->truth[i] - n->count[i]);
		n->fixed[o] = 0;
	}
}

/*
 * search_targets: the values that need witnesses in run r: every value of
 * this release and of the earlier ones whose residual is in 1..k-1, one
 * per arc (the larger k wins). In run 0 these are exactly the primary
 * values. Values an earlier release published are recorded as disclosed
 * instead.
 */
static int
search_targets(struct search *s, size_t r)
{
	const struct stats_suppress_args	*args = s->args;
	const struct stats_table		*t;
	struct net				*n = s->net;
	struct disclosed			*nd;
	unsigned char				*pub = NULL, *seen = NULL;
	int64_t					 k, res;
	size_t					 cap, e, v, a, i, nv, rd, cd;
	int					 rc = -1;

	free(s->targets);
	s->targets = NULL;
	s->ntargets = 0;
	cap = s->nv;
	for (e = 0; e < args->nearlier; e++)
		cap += args->earlier[e]->nvalues;
	if ((s->targets = calloc(cap, sizeof(*s->targets))) == NULL ||
	    (pub = calloc(n->narcs, 1)) == NULL ||
	    (seen = calloc(n->narcs, 1)) == NULL)
		goto nomem;
	for (e = 0; e < args->nearlier; e++) {
		t = args->earlier[e];
		for (v = 0; v < t->nvalues; v++)
			if (t->values[v] != STATS_SUPPRESSED)
				pub[net_value_arc(n, t->row_dim, t->col_dim,
				    v)] = 1;
	}
	for (e = 0; e <= args->nearlier; e++) {
		t = e == 0 ? NULL : args->earlier[e - 1];
		nv = e == 0 ? s->nv : t->nvalues;
		rd = e == 0 ? s->rd : t->row_dim;
		cd = e == 0 ? s->cd : t->col_dim;
		k = e == 0 ? (int64_t)args->k : (int64_t)t->k;
		for (v = 0; v < nv; v++) {
			a = net_value_arc(n, rd, cd, v);
			res = n->flow0[a];
			if (res <= 0 || res >= k)
				continue;
			if (pub[a]) {
				if (seen[a]++)
					continue;
				if (s->ndisc == s->capdisc) {
					size_t ncap = s->capdisc ?
					    2 * s->capdisc : 16;

					if ((nd = realloc(s->disc, ncap *
					    sizeof(*nd))) == NULL)
						goto nomem;
					s->disc = nd;
					s->capdisc = ncap;
				}
				s->disc[s->ndisc].run = r;
				s->disc[s->ndisc].release = e;
				s->disc[s->ndisc++].value = v;
				log_warnx("%s: an earlier release disclosed a "
				    "value below k to a scope", __func__);
				continue;
			}
			for (i = 0; i < s->ntargets; i++)
				if (s->targets[i].arc == a)
					break;
			if (i < s->ntargets) {
				if (s->targets[i].k < k)
					s->targets[i].k = k;
				continue;
			}
			s->targets[s->ntargets].release = e;
			s->targets[s->ntargets].value = v;
			s->targets[s->ntargets].arc = a;
			s->targets[s->ntargets].residual = res;
			s->targets[s->ntargets++].k = k;
		}
	}
	rc = 0;
	goto done;
nomem:
	log_warnx("%s: out of memory", __func__);
done:
	free(pub);
	free(seen);
	return rc;
}

/* search_line: suppress the row and column of this release's value v. */
static void
search_line(struct search *s, size_t v)
{
	size_t i, j, row = SIZE_MAX, col = SIZE_MAX, base = s->nr * s->nc;

	if (v < base) {
		row = v / s->nc;
		col = v % s->nc;
	} else if (v < base + s->nr)
		row = v - base;
	else if (v < base + s->nr + s->nc)
		col = v - base - s->nr;
	else
		return;
	if (row != SIZE_MAX) {
		for (j = 0; j < s->nc; j++)
			s->supp[row * s->nc + j] = 1;
		s->supp[base + row] = 1;
	}
	if (col != SIZE_MAX) {
		for (i = 0; i < s->nr; i++)
			s->supp[i * s->nc + col] = 1;
		s->supp[base + s->nr + col] = 1;
	}
}

/*
 * search_try: find both witnesses of target t in the bound network.
 * Returns 0 with *w filled, 1 when they cannot be found, -1 on error.
 */
static int
search_try(struct search *s, const struct target *t, size_t limit,
    struct witness *w)
{
	struct net	*n = s->net;
	size_t		 added = 0, a;
	int		 rc;

	memset(&w->zero, 0, sizeof(w->zero));
	memset(&w->high, 0, sizeof(w->high));
	if ((rc = net_move(n, t->arc, 0, 0, s->supp, &added, limit)) != 0)
		return rc;
	if (net_realise(n, &w->zero) == -1)
		return -1;
	for (a = 0; a < n->narcs; a++)
		n->arcs[a].flow = n->flow0[a];
	if ((rc = net_move(n, t->arc, 1, t->k, s->supp, &added, limit)) != 0 ||
	    net_realise(n, &w->high) == -1) {
		diff_clear(&w->zero);
		return rc != 0 ? rc : -1;
	}
	for (a = 0; a < n->narcs; a++)
		n->arcs[a].flow = n->flow0[a];
	return 0;
}

/* diff_arc: what d changes on arc a. */
static int64_t
diff_arc(const struct net *n, const struct diff *d, size_t a)
{
	uint32_t	path[2 * STATS_MAX_DIMS + 4];
	size_t		j, k;
	int64_t		sum = 0;

	for (j = 0; j < d->n; j++) {
		net_cell_path(n, d->cell[j], path);
		for (k = 0; k < n->plen; k++)
			if (path[k] == a)
				sum += d->delta[j];
	}
	return sum;
}

/*
 * search_covers: 1 if witness w serves a target of residual res and
 * threshold k in the run the network is shifted to: the same residual, a
 * k at least as high, no cell of an organisation the holder knows
 * completely touched, and no cell taken below what the holder knows.
 * (Published values are kept by every witness: suppressions only grow.)
 */
static int
search_covers(const struct search *s, const struct witness *w, int64_t res,
    int64_t k)
{
	const struct net	*n = s->net;
	const struct diff	*d;
	size_t			 side, j, p;
	int64_t			 have;

	if (w->t.residual != res || w->t.k < k)
		return 0;
	for (side = 0; side < 2; side++) {
		d = side == 0 ? &w->zero : &w->high;
		for (j = 0; j < d->n; j++) {
			if (n->fixed[cube_coord(s->cube, d->cell[j], 0)])
				return 0;
			p = n->pos[d->cell[j]];
			have = p == UINT32_MAX ? 0 : n->count[p];
			if (have + d->delta[j] < 0)
				return 0;
		}
	}
	return 1;
}

static int
search_cover_add(struct witness *w, size_t r)
{
	size_t	*nr, ncap;

	if (w->nruns > 0 && w->runs[w->nruns - 1] == r)
		return 0;
	if (w->nruns == w->capruns) {
		ncap = w->capruns ? 2 * w->capruns : 4;
		if ((nr = realloc(w->runs, ncap * sizeof(*nr))) == NULL) {
			log_warnx("%s: out of memory", __func__);
			return -1;
		}
		w->runs = nr;
		w->capruns = ncap;
	}
	w->runs[w->nruns++] = r;
	return 0;
}

static void
witness_clear(struct witness *w)
{
	diff_clear(&w->zero);
	diff_clear(&w->high);
	free(w->runs);
	memset(w, 0, sizeof(*w));
}

/*
 * search_target: witnesses for target t in run r: an earlier run's
 * witness if one still serves, else a search with the fail-closed ladder:
 * cheapest search; the line; all but the grand total; everything.
 */
static int
search_target(struct search *s, size_t r, size_t ti)
{
	const struct target	*t = &s->targets[ti];
	struct witness		 w;
	size_t			 step, v, wi;
	int			 rc;

	s->rep.targets++;
	for (wi = s->wit_head[t->arc]; wi != SIZE_MAX; wi = s->wit[wi].next)
		if (search_covers(s, &s->wit[wi], t->residual, t->k)) {
			s->rep.reused++;
			return search_cover_add(&s->wit[wi], r);
		}
	s->rep.searched++;
	memset(&w, 0, sizeof(w));
	w.t = *t;
	for (step = 0; step < 4; step++) {
		if (step == 1) {
			if (t->release != 0 || t->value == s->nv - 1)
				continue;
			search_line(s, t->value);
		} else if (step == 2)
			for (v = 0; v + 1 < s->nv; v++)
				s->supp[v] = 1;
		else if (step == 3)
			s->supp[s->nv - 1] = 1;
		memcpy(s->saved, s->supp, s->nv);
		net_bind(s->net, s->args->earlier, s->args->nearlier, s->rd,
		    s->cd, s->supp, s->truth, s->unit);
		rc = search_try(s, t, s->args->max_secondary, &w);
		if (rc == -1)
			return -1;
		if (rc == 0)
			break;
		memcpy(s->supp, s->saved, s->nv);
	}
	if (step == 4) {
		log_warnx("%s: a value cannot be protected even with the "
		    "whole table suppressed", __func__);
		return -1;
	}
	w.dzero = diff_arc(s->net, &w.zero, t->arc);
	w.dhigh = diff_arc(s->net, &w.high, t->arc);
	/* The module's own check that the new witness serves this run. */
	if (!search_covers(s, &w, t->residual, t->k) ||
	    t->residual + w.dzero != 0 || t->residual + w.dhigh < t->k) {
		log_warnx("%s: witness fails its check", __func__);
		witness_clear(&w);
		return -1;
	}
	if (search_cover_add(&w, r) == -1) {
		witness_clear(&w);
		return -1;
	}
	if (s->nwit == s->capwit) {
		struct witness	*nw = NULL;
		size_t		 ncap = s->capwit ? 2 * s->capwit : 64;

		if (ncap > SIZE_MAX / sizeof(*nw) ||
		    (nw = realloc(s->wit, ncap * sizeof(*nw))) == NULL) {
			witness_clear(&w);
			log_warnx("%s: out of memory", __func__);
			return -1;
		}
		s->wit = nw;
		s->capwit = ncap;
	}
	w.next = s->wit_head[t->arc];
	s->wit_head[t->arc] = s->nwit;
	s->wit[s->nwit++] = w;
	return 0;
}

/*
 * search_check: the module's own re-check of every witness against the
 * final publication: non-negative, every published arc of every release
 * unchanged, target at 0 and at >= k. (What each run's holder knows was
 * checked when the witness was given to that run.)
 */
static int
search_check(struct search *s)
{
	const struct stats_cube	*cube = s->cube;
	const struct stats_table *t;
	struct net		*n = s->net;
	const struct witness	*w;
	const struct diff	*d;
	unsigned char		*pub = NULL;
	int64_t			*delta = NULL;
	uint32_t		 path[2 * STATS_MAX_DIMS + 4];
	size_t			 i, j, k, a, e, v, side;
	int			 rc = -1;

	if ((pub = calloc(n->narcs, 1)) == NULL ||
	    (delta = calloc(n->narcs, sizeof(*delta))) == NULL)
		goto done;
	for (e = 0; e < s->args->nearlier; e++) {
		t = s->args->earlier[e];
		for (v = 0; v < t->nvalues; v++)
			if (t->values[v] != STATS_SUPPRESSED)
				pub[net_value_arc(n, t->row_dim, t->col_dim,
				    v)] = 1;
	}
	for (v = 0; v < s->nv; v++)
		if (!s->supp[v])
			pub[net_value_arc(n, s->rd, s->cd, v)] = 1;
	for (i = 0; i < s->nwit; i++) {
		w = &s->wit[i];
		if (w->nruns == 0)
			goto bad;
		for (side = 0; side < 2; side++) {
			d = side == 0 ? &w->zero : &w->high;
			memset(delta, 0, n->narcs * sizeof(*delta));
			for (j = 0; j < d->n; j++) {
				if ((int64_t)cube->cells[d->cell[j]] +
				    d->delta[j] < 0)
					goto bad;
				net_cell_path(n, d->cell[j], path);
				for (k = 0; k < n->plen; k++)
					delta[path[k]] += d->delta[j];
			}
			for (a = 0; a < n->narcs; a++)
				if (pub[a] && delta[a] != 0)
					goto bad;
			a = w->t.arc;
			if (delta[a] != (side == 0 ? w->dzero : w->dhigh))
				goto bad;
			if (side == 0 && w->t.residual + delta[a] != 0)
				goto bad;
			if (side == 1 && w->t.residual + delta[a] < w->t.k)
				goto bad;
		}
	}
	rc = 0;
	goto done;
bad:
	log_warnx("%s: witness fails its check", __func__);
done:
	free(pub);
	free(delta);
	return rc;
}

static int
search_run(struct search *s, size_t r)
{
	size_t	ti;
	int	rc = -1;

	net_apply(s->net, &s->runs[r]);
	if (search_targets(s, r) == -1)
		goto done;
	for (ti = 0; ti < s->ntargets; ti++)
		if (search_target(s, r, ti) == -1)
			goto done;
	rc = 0;
done:
	net_unapply(s->net, &s->runs[r]);
	return rc;
}

/* ------------------------------------------------------- certificate */

/*
 * The certificate is written straight into one buffer: it holds every
 * non-zero finest cell, and a cJSON tree of a large cube would cost tens
 * of megabytes. The buffer holds the truth, so it is wiped whenever it
 * moves and when it is freed.
 */
struct jw {
	char	*p;
	size_t	 len, cap;
	int	 err;
};

static void
jw_putn(struct jw *b, const char *s, size_t n)
{
	char	*np;
	size_t	 ncap;

	if (b->err)
		return;
	if (b->len + n + 1 > b->cap) {
		ncap = b->cap ? b->cap : 4096;
		while (ncap < b->len + n + 1) {
			if (ncap > SIZE_MAX / 2) {
				b->err = 1;
				return;
			}
			ncap *= 2;
		}
		if ((np = malloc(ncap)) == NULL) {
			b->err = 1;
			return;
		}
		if (b->p != NULL) {
			memcpy(np, b->p, b->len);
			sodium_memzero(b->p, b->cap);
			free(b->p);
		}
		b->p = np;
		b->cap = ncap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
jw_put(struct jw *b, const char *s)
{
	jw_putn(b, s, strlen(s));
}

static void
jw_num(struct jw *b, int64_t v)
{
	char	num[24];
	int	n;

	n = snprintf(num, sizeof(num), "%lld", (long long)v);
	if (n < 0 || (size_t)n >= sizeof(num)) {
		b->err = 1;
		return;
	}
	jw_putn(b, num, (size_t)n);
}

/* jw_str: a slug (validated by the cube): nothing to escape. */
static void
jw_str(struct jw *b, const char *s)
{
	jw_put(b, "\"");
	jw_put(b, s);
	jw_put(b, "\"");
}

static void
jw_strs(struct jw *b, char *const *v, size_t n)
{
	size_t i;

	jw_put(b, "[");
	for (i = 0; i < n; i++) {
		if (i > 0)
			jw_put(b, ",");
		jw_str(b, v[i]);
	}
	jw_put(b, "]");
}

/* jw_cells: [[c0,..,value],..] for the given cube cells. */
static void
jw_cells(struct jw *b, const struct stats_cube *cube, const size_t *cells,
    const int64_t *vals, size_t n)
{
	size_t i, d;

	jw_put(b, "[");
	for (i = 0; i < n; i++) {
		jw_put(b, i > 0 ? ",[" : "[");
		for (d = 0; d < cube->ndims; d++) {
			jw_num(b, (int64_t)cube_coord(cube, cells[i], d));
			jw_put(b, ",");
		}
		jw_num(b, vals[i]);
		jw_put(b, "]");
	}
	jw_put(b, "]");
}

static void
jw_release(struct jw *b, size_t rd, size_t cd, uint64_t k,
    const int64_t *values, const unsigned char *supp, size_t nv)
{
	size_t	v;
	int	first = 1;

	jw_put(b, "{\"cols\":");
	jw_num(b, (int64_t)cd);
	jw_put(b, ",\"k\":");
	jw_num(b, (int64_t)k);
	jw_put(b, ",\"rows\":");
	jw_num(b, (int64_t)rd);
	jw_put(b, ",\"suppressed\":[");
	for (v = 0; v < nv; v++)
		if (supp != NULL ? supp[v] : values[v] == STATS_SUPPRESSED) {
			if (!first)
				jw_put(b, ",");
			jw_num(b, (int64_t)v);
			first = 0;
		}
	jw_put(b, "]}");
}

static int
cert_build(struct search *s, char **certp, size_t *lenp)
{
	const struct stats_cube	*cube = s->cube;
	const struct witness	*w;
	const struct disclosed	*dc;
	struct jw		 b = { NULL, 0, 0, 0 };
	size_t			*cells = NULL, ncells = 0, i, j, d;
	int64_t			*vals = NULL;

	jw_put(&b, "{\"dims\":[");
	for (d = 0; d < cube->ndims; d++) {
		jw_put(&b, d > 0 ? ",{\"ids\":" : "{\"ids\":");
		jw_strs(&b, cube->ids[d], cube->nids[d]);
		jw_put(&b, ",\"name\":");
		jw_str(&b, cube->names[d]);
		jw_put(&b, "}");
	}
	jw_put(&b, "],\"disclosed\":[");
	for (i = 0; i < s->ndisc; i++) {
		dc = &s->disc[i];
		jw_put(&b, i > 0 ? ",{\"release\":" : "{\"release\":");
		jw_num(&b, (int64_t)dc->release);
		jw_put(&b, ",\"run\":");
		jw_num(&b, (int64_t)dc->run);
		jw_put(&b, ",\"value\":");
		jw_num(&b, (int64_t)dc->value);
		jw_put(&b, "}");
	}
	jw_put(&b, "],\"k\":");
	jw_num(&b, (int64_t)s->args->k);
	jw_put(&b, ",\"merge\":");
	if (cube->group_id == NULL)
		jw_put(&b, "null");
	else {
		jw_put(&b, cube->merge_applied ? "{\"applied\":true" :
		    "{\"applied\":false");
		jw_put(&b, ",\"group\":");
		jw_str(&b, cube->group_id);
		jw_put(&b, ",\"members\":");
		jw_strs(&b, cube->members, cube->nmembers);
		jw_put(&b, "}");
	}
	jw_put(&b, ",\"releases\":[");
	jw_release(&b, s->rd, s->cd, s->args->k, NULL, s->supp, s->nv);
	for (i = 0; i < s->args->nearlier; i++) {
		jw_put(&b, ",");
		jw_release(&b, s->args->earlier[i]->row_dim,
		    s->args->earlier[i]->col_dim, s->args->earlier[i]->k,
		    s->args->earlier[i]->values, NULL,
		    s->args->earlier[i]->nvalues);
	}
	jw_put(&b, "],\"runs\":[");
	for (i = 0; i < s->nruns; i++) {
		const struct run *r = &s->runs[i];

		jw_put(&b, i > 0 ? ",{\"hidden\":" : "{\"hidden\":");
		jw_cells(&b, cube, r->hcell, r->hcount, r->nhidden);
		jw_put(&b, ",\"orgs\":[");
		for (d = 0, j = 0; r->in != NULL && d < r->norgs; d++)
			if (r->in[d]) {
				if (j++ > 0)
					jw_put(&b, ",");
				jw_num(&b, (int64_t)d);
			}
		jw_put(&b, "]}");
	}
	jw_put(&b, "],\"truth\":");
	for (i = 0; i < cube->ncells; i++)
		ncells += cube->cells[i] != 0;
	if ((cells = calloc(ncells + 1, sizeof(*cells))) == NULL ||
	    (vals = calloc(ncells + 1, sizeof(*vals))) == NULL)
		b.err = 1;
	for (i = 0, j = 0; !b.err && i < cube->ncells; i++)
		if (cube->cells[i] != 0) {
			cells[j] = i;
			vals[j++] = (int64_t)cube->cells[i];
		}
	if (!b.err)
		jw_cells(&b, cube, cells, vals, ncells);
	jw_put(&b, ",\"version\":2,\"witnesses\":[");
	for (i = 0; i < s->nwit; i++) {
		w = &s->wit[i];
		jw_put(&b, i > 0 ? ",{\"high\":" : "{\"high\":");
		jw_cells(&b, cube, w->high.cell, w->high.delta, w->high.n);
		jw_put(&b, ",\"k\":");
		jw_num(&b, w->t.k);
		jw_put(&b, ",\"release\":");
		jw_num(&b, (int64_t)w->t.release);
		jw_put(&b, ",\"residual\":");
		jw_num(&b, w->t.residual);
		jw_put(&b, ",\"runs\":[");
		for (j = 0; j < w->nruns; j++) {
			if (j > 0)
				jw_put(&b, ",");
			jw_num(&b, (int64_t)w->runs[j]);
		}
		jw_put(&b, "],\"value\":");
		jw_num(&b, (int64_t)w->t.value);
		jw_put(&b, ",\"zero\":");
		jw_cells(&b, cube, w->zero.cell, w->zero.delta, w->zero.n);
		jw_put(&b, "}");
	}
	jw_put(&b, "]}");
	if (vals != NULL)
		sodium_memzero(vals, (ncells + 1) * sizeof(*vals));
	free(cells);
	free(vals);
	if (b.err) {
		log_warnx("%s: out of memory", __func__);
		if (b.p != NULL)
			sodium_memzero(b.p, b.cap);
		free(b.p);
		return -1;
	}
	*certp = b.p;
	*lenp = b.len;
	return 0;
}

void
stats_certificate_free(char *cert, size_t len)
{
	if (cert == NULL)
		return;
	sodium_memzero(cert, len);
	free(cert);
}

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

/* ----------------------------------------------------------- suppress */

static int
suppress_check_args(const struct stats_suppress_args *args)
{
	const struct stats_table	*t;
	size_t				 e;

	if (args == NULL || args->cube == NULL ||
	    !cube_view_ok(args->cube, args->row_dim, args->col_dim) ||
	    args->k < 2 || args->k > STATS_MAX_K ||
	    (args->nearlier > 0 && args->earlier == NULL)) {
		log_warnx("%s: invalid arguments", __func__);
		return -1;
	}
	for (e = 0; e < args->nearlier; e++) {
		t = args->earlier[e];
		if (t == NULL || t->method != STATS_METHOD_SUPPRESSION ||
		    !table_matches(t, args->cube)) {
			log_warnx("%s: earlier release %zu does not fit the "
			    "cube", __func__, e);
			return -1;
		}
		if (!stats_table_agrees(t, args->cube)) {
			log_warnx("%s: earlier release %zu disagrees with the "
			    "cube", __func__, e);
			return -1;
		}
	}
	return 0;
}

int
stats_suppress(const struct stats_suppress_args *args,
    struct stats_table **tablep, char **certp, size_t *certlenp)
{
	struct search		 s;
	struct stats_table	*t = NULL;
	size_t			 i, v;
	int			 rc = -1;

	*tablep = NULL;
	*certp = NULL;
	*certlenp = 0;
	if (suppress_check_args(args) == -1)
		return -1;
	memset(&s, 0, sizeof(s));
	s.args = args;
	s.cube = args->cube;
	s.rd = args->row_dim;
	s.cd = args->col_dim;
	s.nr = cube_view_n(s.cube, s.rd);
	s.nc = cube_view_n(s.cube, s.cd);
	s.nv = s.nr * s.nc + s.nr + s.nc + 1;
	if ((s.truth = calloc(s.nv, sizeof(*s.truth))) == NULL ||
	    (s.supp = calloc(s.nv, 1)) == NULL ||
	    (s.saved = calloc(s.nv, 1)) == NULL) {
		log_warnx("%s: out of memory", __func__);
		goto done;
	}
	cube_view_values(s.cube, s.rd, s.cd, NULL, s.truth);
	s.unit = 1;
	for (v = 0; v < s.nv; v++) {
		s.unit += s.truth[v];
		s.supp[v] = s.truth[v] > 0 && s.truth[v] < (int64_t)args->k;
	}
	if (search_runs(&s) == -1)
		goto done;
	/* Without a case nothing lies in 1..k-1 in any run. */
	if (s.cube->total > 0) {
		if ((s.net = net_new(s.cube)) == NULL ||
		    (s.wit_head = calloc(s.net->narcs,
		    sizeof(*s.wit_head))) == NULL)
			goto done;
		for (i = 0; i < s.net->narcs; i++)
			s.wit_head[i] = SIZE_MAX;
		for (i = 0; i < s.nruns; i++)
			if (search_run(&s, i) == -1)
				goto done;
		if (search_check(&s) == -1)
			goto done;
	}
	if ((t = table_new(s.cube, s.rd, s.cd)) == NULL)
		goto done;
	t->method = STATS_METHOD_SUPPRESSION;
	t->k = args->k;
	for (v = 0; v < s.nv; v++)
		t->values[v] = s.supp[v] ? STATS_SUPPRESSED : s.truth[v];
	if (cert_build(&s, certp, certlenp) == -1)
		goto done;
	if (args->report != NULL) {
		s.rep.runs = s.nruns;
		s.rep.witnesses = s.nwit;
		*args->report = s.rep;
	}
	*tablep = t;
	t = NULL;
	rc = 0;
done:
	stats_table_free(t);
	for (i = 0; i < s.nwit; i++)
		witness_clear(&s.wit[i]);
	free(s.wit);
	free(s.wit_head);
	for (i = 0; s.runs != NULL && i < s.nruns; i++)
		run_clear(&s.runs[i]);
	free(s.runs);
	net_free(s.net);
	free(s.targets);
	free(s.disc);
	if (s.truth != NULL)
		sodium_memzero(s.truth, s.nv * sizeof(*s.truth));
	free(s.truth);
	free(s.supp);
	free(s.saved);
	return rc;
}

/* ----------------------------------------------------------------- dp */

int
stats_release_dp(const struct stats_cube *cube, size_t row_dim,
    size_t col_dim, uint32_t eps_num, uint32_t eps_den,
    const struct stats_dp_rng *rng, struct stats_table **tablep)
{
	struct stats_table	*t = NULL;
	int64_t			*truth = NULL;
	uint64_t		*cells = NULL;
	size_t			 nr, nc, i, j, nv;
	int64_t			 v;
	int			 rc = -1;

	*tablep = NULL;
	if (cube == NULL || !cube_view_ok(cube, row_dim, col_dim))
		return -1;
	nr = cube_view_n(cube, row_dim);
	nc = cube_view_n(cube, col_dim);
	nv = nr * nc + nr + nc + 1;
	if ((t = table_new(cube, row_dim, col_dim)) == NULL ||
	    (truth = calloc(nv, sizeof(*truth))) == NULL ||
	    (cells = calloc(NZ(nr * nc), sizeof(*cells))) == NULL)
		goto done;
	t->method = STATS_METHOD_DP;
	t->eps_num = eps_num;
	t->eps_den = eps_den;
	cube_view_values(cube, row_dim, col_dim, NULL, truth);
	for (i = 0; i < nr * nc; i++)
		cells[i] = (uint64_t)truth[i];
	if (nr * nc > 0 && stats_dp_noisy_counts(rng, eps_num, eps_den, cells,
	    cells, nr * nc) == -1)
		goto done;
	/* Totals are sums of the released cells (post-processing). */
	for (i = 0; i < nr; i++)
		for (j = 0; j < nc; j++) {
			v = (int64_t)cells[i * nc + j];
			t->values[i * nc + j] = v;
			if (__builtin_add_overflow(t->values[nr * nc + i], v,
			    &t->values[nr * nc + i]) ||
			    __builtin_add_overflow(t->values[nr * nc + nr + j],
			    v, &t->values[nr * nc + nr + j]) ||
			    __builtin_add_overflow(t->values[nv - 1], v,
			    &t->values[nv - 1]))
				goto done;
		}
	*tablep = t;
	t = NULL;
	rc = 0;
done:
	if (rc == -1)
		log_warnx("%s: failed", __func__);
	if (truth != NULL)
		sodium_memzero(truth, nv * sizeof(*truth));
	if (cells != NULL)
		sodium_memzero(cells, NZ(nr * nc) * sizeof(*cells));
	free(truth);
	free(cells);
	stats_table_free(t);
	return rc;
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

static int
stats_meta_ok(const struct stats_meta *m)
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
	if (t == NULL || !stats_meta_ok(meta))
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
	if (t == NULL || !stats_meta_ok(meta))
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
	if (!stats_meta_ok(&meta))
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
