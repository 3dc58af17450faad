/*
 * stats.c - anonymised statistics: cube, families, certified suppression,
 * the DP variant and the renderings (stats.h says what; this says how).
 *
 * The engine is cut into files along its concerns, sharing stats_int.h:
 *   stats.c	ids, stats_suppress (the certified release), stats_release_dp
 *   cube.c	the cube, the merge map and the family views of it
 *   table.c	published tables
 *   net.c	the flow network: layout, building, binding a release
 *   net_flow.c	residual paths, moving an arc, realising a witness
 *   run.c	runs and shifting the network to a run's residual
 *   search.c	targets and witnesses of a run, the final re-check
 *   cert.c	the certificate
 *   render.c	JSON and CSV renderings
 *   parse.c	parsing a published table
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
 *   cases (run_apply) and back (run_unapply). An organisation of the scope
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
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "log.h"
#include "stats.h"
#include "stats_dp.h"
#include "stats_int.h"

/* ---------------------------------------------------------------- ids */

int
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

void
stats_strv_free(char **v, size_t n)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

char **
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
long
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

int
stats_strcmp_qsort(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
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
	if (run_all(&s) == -1)
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
		search_witness_clear(&s.wit[i]);
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
