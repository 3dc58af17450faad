/*
 * test_stats.c - anonymised statistics: recount, threshold, witnesses
 * checked by an independent checker, a brute-force oracle on small tables,
 * fail-closed behaviour, coordinator scopes, earlier releases, renderings.
 *
 * Nothing here calls the module's own checks: the tests keep their own
 * copy of the finest table, recount published values from it, and read
 * the witnesses from the certificate JSON.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "stats.h"

#define MAXD	STATS_MAX_DIMS

/* ------------------------------------------------------- test helpers */

static uint64_t
rnd_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t
rnd_below(uint64_t *s, uint64_t n)
{
	return rnd_next(s) % n;
}

/* The test's own finest table. */
struct tc {
	size_t		 nd, n[MAXD], stride[MAXD], ncells;
	int64_t		*x;
	size_t		 org_row[STATS_MAX_IDS];	/* org -> table row */
	char		 ids[MAXD][STATS_MAX_IDS][16];
	const char	*idp[MAXD][STATS_MAX_IDS];
	char		 names[MAXD][16];
};

static void
tc_init(struct tc *c, size_t nd, const size_t *n, const char *const *names)
{
	size_t d, i;

	memset(c, 0, sizeof(*c));
	c->nd = nd;
	c->ncells = 1;
	for (d = 0; d < nd; d++) {
		c->n[d] = n[d];
		c->ncells *= n[d];
		assert_true(strlen(names[d]) < sizeof(c->names[d]));
		memcpy(c->names[d], names[d], strlen(names[d]) + 1);
		for (i = 0; i < n[d]; i++) {
			assert_true(i < 100);
			assert_int_equal(snprintf(c->ids[d][i],
			    sizeof(c->ids[d][i]), "%c%02u", names[d][0],
			    (unsigned)(i % 100)), 3);
			c->idp[d][i] = c->ids[d][i];
		}
	}
	c->stride[nd - 1] = 1;
	for (d = nd - 1; d > 0; d--)
		c->stride[d - 1] = c->stride[d] * n[d];
	c->x = calloc(c->ncells, sizeof(*c->x));
	assert_non_null(c->x);
	for (i = 0; i < n[0]; i++)
		c->org_row[i] = i;
}

static void
tc_free(struct tc *c)
{
	free(c->x);
}

static size_t
tc_coord(const struct tc *c, size_t idx, size_t d)
{
	return (idx / c->stride[d]) % c->n[d];
}

static size_t
tc_vcoord(const struct tc *c, size_t idx, size_t d)
{
	size_t v = tc_coord(c, idx, d);

	return d == 0 ? c->org_row[v] : v;
}

/* tc_cube: the module's cube holding the same counts. */
static struct stats_cube *
tc_cube(const struct tc *c)
{
	struct stats_dim	 dims[MAXD];
	struct stats_cube	*cube;
	size_t			 d, idx, coords[MAXD];

	for (d = 0; d < c->nd; d++) {
		dims[d].name = c->names[d];
		dims[d].ids = c->idp[d];
		dims[d].nids = c->n[d];
	}
	assert_int_equal(stats_cube_new(&cube, dims, c->nd), 0);
	for (idx = 0; idx < c->ncells; idx++) {
		if (c->x[idx] == 0)
			continue;
		for (d = 0; d < c->nd; d++)
			coords[d] = tc_coord(c, idx, d);
		assert_int_equal(stats_cube_add(cube, coords,
		    (uint64_t)c->x[idx]), 0);
	}
	return cube;
}

/* A value of a family, independent of its numbering: a cell over two
 * dimensions, a margin of one dimension, or the grand total. */
struct tkey {
	int	kind;		/* 0 cell, 1 margin, 2 total */
	size_t	d1, d2, a, b;
};

static struct tkey
tkey_of(const struct stats_table *t, size_t v)
{
	size_t		rd = stats_table_row_dim(t);
	size_t		cd = stats_table_col_dim(t);
	size_t		nr = stats_table_nrows(t), nc = stats_table_ncols(t);
	struct tkey	k;

	memset(&k, 0, sizeof(k));
	if (v < nr * nc) {
		k.kind = 0;
		if (rd < cd) {
			k.d1 = rd; k.a = v / nc; k.d2 = cd; k.b = v % nc;
		} else {
			k.d1 = cd; k.a = v % nc; k.d2 = rd; k.b = v / nc;
		}
	} else if (v < nr * nc + nr) {
		k.kind = 1; k.d1 = rd; k.a = v - nr * nc;
	} else if (v < nr * nc + nr + nc) {
		k.kind = 1; k.d1 = cd; k.a = v - nr * nc - nr;
	} else
		k.kind = 2;
	return k;
}

static int
tkey_eq(struct tkey x, struct tkey y)
{
	if (x.kind != y.kind)
		return 0;
	if (x.kind == 2)
		return 1;
	if (x.kind == 1)
		return x.d1 == y.d1 && x.a == y.a;
	return x.d1 == y.d1 && x.d2 == y.d2 && x.a == y.a && x.b == y.b;
}

static int
tkey_has(const struct tc *c, struct tkey k, size_t idx)
{
	if (k.kind == 2)
		return 1;
	if (tc_vcoord(c, idx, k.d1) != k.a)
		return 0;
	return k.kind == 1 || tc_vcoord(c, idx, k.d2) == k.b;
}

/* tc_sum: the value k of table x, counting organisations not in skip. */
static int64_t
tc_sum(const struct tc *c, const int64_t *x, struct tkey k,
    const unsigned char *skip)
{
	int64_t	s = 0;
	size_t	idx;

	for (idx = 0; idx < c->ncells; idx++)
		if (x[idx] != 0 && tkey_has(c, k, idx) &&
		    (skip == NULL || !skip[tc_coord(c, idx, 0)]))
			s += x[idx];
	return s;
}

/*
 * What a scope's holder knows, as the test sees it: every case of the
 * organisations in in[] but hidden[idx] of cell idx (NULL: none hidden).
 */
struct know {
	const unsigned char	*in;
	const int64_t		*hidden;
};

/* know_of: the cases of cell idx the holder knows (of the truth x0). */
static int64_t
know_of(const struct tc *c, const struct know *kn, size_t idx)
{
	int64_t h;

	if (kn == NULL || kn->in == NULL || !kn->in[tc_coord(c, idx, 0)])
		return 0;
	h = kn->hidden != NULL ? kn->hidden[idx] : 0;
	if (h > c->x[idx])
		h = c->x[idx];
	return c->x[idx] - h;
}

/* know_fixed: the holder knows every case of organisation o. */
static int
know_fixed(const struct tc *c, const struct know *kn, size_t o)
{
	size_t idx;

	if (kn == NULL || kn->in == NULL || !kn->in[o])
		return 0;
	for (idx = 0; idx < c->ncells; idx++)
		if (tc_coord(c, idx, 0) == o && c->x[idx] > know_of(c, kn, idx))
			return 0;
	return 1;
}

/* tc_residual: value k of table x less what the holder knows. */
static int64_t
tc_residual(const struct tc *c, const int64_t *x, struct tkey k,
    const struct know *kn)
{
	int64_t	s = 0;
	size_t	idx;

	for (idx = 0; idx < c->ncells; idx++)
		if (tkey_has(c, k, idx))
			s += x[idx] - know_of(c, kn, idx);
	return s;
}

static int64_t
tab_value(const struct stats_table *t, size_t v)
{
	size_t nr = stats_table_nrows(t), nc = stats_table_ncols(t);

	if (v < nr * nc)
		return stats_table_cell(t, v / nc, v % nc);
	if (v < nr * nc + nr)
		return stats_table_row_total(t, v - nr * nc);
	if (v < nr * nc + nr + nc)
		return stats_table_col_total(t, v - nr * nc - nr);
	return stats_table_total(t);
}

static size_t
tab_nvalues(const struct stats_table *t)
{
	size_t nr = stats_table_nrows(t), nc = stats_table_ncols(t);

	return nr * nc + nr + nc + 1;
}

/* tc_set_merge: rows of org tables after merging members into group. */
static void
tc_set_rows(struct tc *c, const struct stats_table *t)
{
	size_t o, r;

	for (o = 0; o < c->n[0]; o++)
		c->org_row[o] = SIZE_MAX;
	for (r = 0; r < stats_table_nrows(t); r++)
		for (o = 0; o < c->n[0]; o++)
			if (strcmp(stats_table_row_id(t, r), c->ids[0][o]) == 0)
				c->org_row[o] = r;
}

/* Every published value equals the recount; none lies in 1..k-1. */
static void
check_published(const struct tc *c, const struct stats_table *t, int64_t k)
{
	size_t	v;
	int64_t	p;

	for (v = 0; v < tab_nvalues(t); v++) {
		p = tab_value(t, v);
		if (p == STATS_SUPPRESSED)
			continue;
		assert_true(p == 0 || p >= k);
		assert_int_equal(p, tc_sum(c, c->x, tkey_of(t, v), NULL));
	}
}

/* jnum: the number under key of o, which must be there. */
static double
jnum(const cJSON *o, const char *key)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(o, key);

	assert_true(cJSON_IsNumber(item));
	return item->valuedouble;
}

/* published_anywhere: some release publishes the value key. */
static int
published_anywhere(const struct stats_table *const *releases,
    size_t nreleases, struct tkey key)
{
	size_t r, v;

	for (r = 0; r < nreleases; r++)
		for (v = 0; v < tab_nvalues(releases[r]); v++)
			if (tab_value(releases[r], v) != STATS_SUPPRESSED &&
			    tkey_eq(tkey_of(releases[r], v), key))
				return 1;
	return 0;
}

/* cert_know: run r of the certificate as knowledge; in and hidden are
 * the caller's buffers (STATS_MAX_IDS and ncells). */
static void
cert_know(const struct tc *c, const cJSON *runs, size_t r, unsigned char *in,
    int64_t *hidden, struct know *kn)
{
	const cJSON	*run, *item, *e;
	size_t		 idx, d;

	run = cJSON_GetArrayItem(runs, (int)r);
	assert_non_null(run);
	memset(in, 0, STATS_MAX_IDS);
	memset(hidden, 0, c->ncells * sizeof(*hidden));
	cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(run,
	    "orgs")) {
		assert_true(item->valuedouble >= 0 &&
		    item->valuedouble < (double)c->n[0]);
		in[(size_t)item->valuedouble] = 1;
	}
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(run,
	    "hidden")) {
		assert_int_equal(cJSON_GetArraySize(e), (int)c->nd + 1);
		idx = 0;
		for (d = 0; d < c->nd; d++)
			idx += (size_t)cJSON_GetArrayItem(e, (int)d)->valuedouble *
			    c->stride[d];
		assert_true(in[tc_coord(c, idx, 0)]);
		hidden[idx] = (int64_t)cJSON_GetArrayItem(e,
		    (int)c->nd)->valuedouble;
		assert_true(hidden[idx] > 0 && hidden[idx] <= c->x[idx]);
	}
	kn->in = r == 0 ? NULL : in;
	kn->hidden = hidden;
}

/* know_same: two holders know the same cases. */
static int
know_same(const struct tc *c, const struct know *a, const struct know *b)
{
	size_t idx;

	for (idx = 0; idx < c->ncells; idx++)
		if (know_of(c, a, idx) != know_of(c, b, idx))
			return 0;
	for (idx = 0; idx < c->n[0]; idx++)
		if ((a->in != NULL && a->in[idx]) !=
		    (b->in != NULL && b->in[idx]))
			return 0;
	return 1;
}

/*
 * The independent witness checker. releases[0] is the new table, the
 * others the earlier ones; ks their thresholds; kns the scopes the caller
 * gave, as knowledge (hidden may be NULL). Every witness in the
 * certificate must, in every run it lists, rebuild a non-negative table
 * that keeps every published value of every release and everything the
 * run's holder knows (every cell of an organisation known completely;
 * at least the known cases elsewhere), with its target's residual at 0
 * and at >= k. Coverage: every scope of the caller that knows some but
 * not every case has a run; in every run, every value whose residual is
 * in 1..k-1 has witnesses, unless a release publishes it (the new one
 * must not: it is suppressed).
 */
static void
check_certificate_k(const struct tc *c, const char *cert,
    const struct stats_table *const *releases, const int64_t *ks,
    size_t nreleases, const struct know *kns, size_t nscopes)
{
	cJSON		*root, *wits, *w, *item, *e, *side, *runs;
	int64_t		*x, *hidden, residual, want, got;
	unsigned char	*in;
	struct know	 kn, mine;
	size_t		 r, v, o, s, run, idx, d, found, nruns, i;
	struct tkey	 key;
	const char	*sides[2] = { "zero", "high" };

	x = calloc(c->ncells, sizeof(*x));
	hidden = calloc(c->ncells, sizeof(*hidden));
	in = calloc(STATS_MAX_IDS, 1);
	assert_non_null(x);
	assert_non_null(hidden);
	assert_non_null(in);
	root = cJSON_Parse(cert);
	assert_non_null(root);
	assert_int_equal((int)jnum(root, "version"), 2);
	runs = cJSON_GetObjectItemCaseSensitive(root, "runs");
	assert_true(cJSON_IsArray(runs));
	nruns = (size_t)cJSON_GetArraySize(runs);
	assert_true(nruns >= 1);
	cert_know(c, runs, 0, in, hidden, &kn);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetArrayItem(runs, 0), "orgs")), 0);
	wits = cJSON_GetObjectItemCaseSensitive(root, "witnesses");
	assert_true(cJSON_IsArray(wits));
	cJSON_ArrayForEach(w, wits) {
		r = (size_t)jnum(w, "release");
		v = (size_t)jnum(w, "value");
		want = (int64_t)jnum(w, "k");
		assert_true(r < nreleases);
		assert_true(v < tab_nvalues(releases[r]));
		assert_true(want >= ks[r]);
		key = tkey_of(releases[r], v);
		assert_true(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(
		    w, "runs")) > 0);
		cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(w,
		    "runs")) {
			run = (size_t)item->valuedouble;
			assert_true(run < nruns);
			cert_know(c, runs, run, in, hidden, &kn);
			residual = tc_residual(c, c->x, key, &kn);
			assert_true(residual > 0);
			assert_int_equal(residual, (int64_t)jnum(w,
			    "residual"));
			for (s = 0; s < 2; s++) {
				memcpy(x, c->x, c->ncells * sizeof(*x));
				side = cJSON_GetObjectItemCaseSensitive(w,
				    sides[s]);
				assert_true(cJSON_IsArray(side));
				cJSON_ArrayForEach(e, side) {
					assert_int_equal(cJSON_GetArraySize(e),
					    (int)c->nd + 1);
					idx = 0;
					for (d = 0; d < c->nd; d++) {
						o = (size_t)cJSON_GetArrayItem(
						    e, (int)d)->valuedouble;
						assert_true(o < c->n[d]);
						idx += o * c->stride[d];
					}
					x[idx] += (int64_t)cJSON_GetArrayItem(e,
					    (int)c->nd)->valuedouble;
				}
				for (idx = 0; idx < c->ncells; idx++) {
					assert_true(x[idx] >=
					    know_of(c, &kn, idx));
					if (know_fixed(c, &kn,
					    tc_coord(c, idx, 0)))
						assert_int_equal(x[idx],
						    c->x[idx]);
				}
				for (o = 0; o < nreleases; o++)
					for (d = 0; d < tab_nvalues(
					    releases[o]); d++) {
						got = tab_value(releases[o], d);
						if (got == STATS_SUPPRESSED)
							continue;
						assert_int_equal(tc_sum(c, x,
						    tkey_of(releases[o], d),
						    NULL), got);
					}
				got = tc_residual(c, x, key, &kn);
				if (s == 0)
					assert_int_equal(got, 0);
				else
					assert_true(got >= want);
			}
		}
	}
	/* Coverage: run 0, and every caller's scope that needs a run. */
	for (i = 0; i <= nscopes; i++) {
		if (i == 0) {
			mine.in = NULL;
			mine.hidden = NULL;
			run = 0;
		} else {
			mine = kns[i - 1];
			/* Skipped: knows no case, or every case. */
			for (o = 0, d = 0; o < c->n[0]; o++)
				d += mine.in[o];
			if (d == 0)
				continue;
			for (idx = 0, found = 0; idx < c->ncells; idx++)
				found += know_of(c, &mine, idx) != c->x[idx];
			if (d == c->n[0] && found == 0)
				continue;
			for (run = 1; run < nruns; run++) {
				cert_know(c, runs, run, in, hidden, &kn);
				if (know_same(c, &kn, &mine))
					break;
			}
			assert_true(run < nruns);
		}
		for (r = 0; r < nreleases; r++)
			for (v = 0; v < tab_nvalues(releases[r]); v++) {
				key = tkey_of(releases[r], v);
				got = tc_residual(c, c->x, key, &mine);
				if (got <= 0 || got >= ks[r])
					continue;
				if (r == 0)
					assert_int_equal(tab_value(releases[r],
					    v), STATS_SUPPRESSED);
				if (published_anywhere(releases, nreleases,
				    key))
					continue;
				found = 0;
				cJSON_ArrayForEach(w, wits) {
					size_t	wr, wv;

					wr = (size_t)jnum(w, "release");
					wv = (size_t)jnum(w, "value");
					if (!tkey_eq(tkey_of(releases[wr], wv),
					    key) || (int64_t)jnum(w, "k") <
					    ks[r])
						continue;
					cJSON_ArrayForEach(item,
					    cJSON_GetObjectItemCaseSensitive(w,
					    "runs"))
						if ((size_t)item->valuedouble ==
						    run)
							found = 1;
				}
				assert_true(found);
			}
	}
	cJSON_Delete(root);
	free(x);
	free(hidden);
	free(in);
}

/* check_certificate: the same with scopes that hide nothing. */
static void
check_certificate(const struct tc *c, const char *cert,
    const struct stats_table *const *releases, const int64_t *ks,
    size_t nreleases, unsigned char *const *scopes, size_t nscopes)
{
	struct know	kns[16];
	size_t		i;

	memset(kns, 0, sizeof(kns));
	assert_true(nscopes <= 16);
	for (i = 0; i < nscopes; i++) {
		kns[i].in = scopes[i];
		kns[i].hidden = NULL;
	}
	check_certificate_k(c, cert, releases, ks, nreleases, kns, nscopes);
}

/*
 * The brute-force oracle: enumerate every non-negative integer finest
 * table (at most 12 cells) consistent with every published value of every
 * release and with the scope's cells, with the grand total bounded by
 * bound when no release publishes it. Every value's part outside the
 * scope (the whole value without one) must be 0 or >= k when published,
 * and must reach both 0 and >= k in some of those tables when not.
 */
#define OR_MAXC		12
#define OR_MAXV		128

struct oracle {
	size_t	 ncells;
	int64_t	 fixed[OR_MAXC];	/* -1: free */
	size_t	 ncon;
	size_t	 con_n[OR_MAXV], con_c[OR_MAXV][OR_MAXC];
	int64_t	 con_v[OR_MAXV];
	size_t	 con_last[OR_MAXV];	/* its highest cell */
	unsigned char con_has[OR_MAXV][OR_MAXC];
	int64_t	 con_sum[OR_MAXV];	/* over the cells set so far */
	size_t	 ntarg;
	size_t	 targ_n[OR_MAXV], targ_c[OR_MAXV][OR_MAXC];
	int64_t	 targ_k[OR_MAXV], targ_known[OR_MAXV];
	int64_t	 lower[OR_MAXC];		/* cases the holder knows */
	int	 can0[OR_MAXV], cank[OR_MAXV];
	int64_t	 total;			/* -1: unknown */
	int64_t	 bound;
	int64_t	 x[OR_MAXC];
	size_t	 leaves;
};

static void
oracle_leaf(struct oracle *or)
{
	size_t	i, j;
	int64_t	s;

	or->leaves++;
	for (i = 0; i < or->ntarg; i++) {
		s = -or->targ_known[i];
		for (j = 0; j < or->targ_n[i]; j++)
			s += or->x[or->targ_c[i][j]];
		if (s == 0)
			or->can0[i] = 1;
		if (s >= or->targ_k[i])
			or->cank[i] = 1;
	}
}

static int
oracle_has(const struct oracle *or, size_t con, size_t cell)
{
	return or->con_has[con][cell];
}

/* oracle_set: x[i] = v; 0 when some constraint is already broken. */
static int
oracle_set(struct oracle *or, size_t i, int64_t v)
{
	size_t	k;
	int	ok = 1;

	or->x[i] = v;
	for (k = 0; k < or->ncon; k++) {
		if (!oracle_has(or, k, i))
			continue;
		or->con_sum[k] += v;
		if (or->con_sum[k] > or->con_v[k] ||
		    (or->con_last[k] == i && or->con_sum[k] != or->con_v[k]))
			ok = 0;
	}
	return ok;
}

static void
oracle_unset(struct oracle *or, size_t i)
{
	size_t k;

	for (k = 0; k < or->ncon; k++)
		if (oracle_has(or, k, i))
			or->con_sum[k] -= or->x[i];
	or->x[i] = 0;
}

static void
oracle_walk(struct oracle *or, size_t i, int64_t left)
{
	int64_t v, lo, hi;

	if (i == or->ncells) {
		if (or->total < 0 || left == 0)
			oracle_leaf(or);
		return;
	}
	lo = or->fixed[i] >= 0 ? or->fixed[i] : or->lower[i];
	hi = or->fixed[i] >= 0 ? or->fixed[i] : left;
	for (v = lo; v <= hi && v <= left; v++) {
		if (oracle_set(or, i, v))
			oracle_walk(or, i + 1, left - v);
		oracle_unset(or, i);
	}
}

/* oracle_failures: how many primary values the oracle finds pinned for
 * a holder of knowledge kn (NULL: an outsider). */
static size_t
oracle_failures(const struct tc *c, const struct stats_table *const *releases,
    const int64_t *ks, size_t nreleases, const struct know *kn,
    int64_t bound)
{
	struct oracle	*or;
	struct tkey	 key;
	size_t		 r, v, idx, n;
	int64_t		 p, fixed;
	size_t		 published_small = 0;

	assert_true(c->ncells <= OR_MAXC);
	or = calloc(1, sizeof(*or));
	assert_non_null(or);
	or->ncells = c->ncells;
	or->total = -1;
	for (idx = 0; idx < c->ncells; idx++) {
		or->fixed[idx] = know_fixed(c, kn, tc_coord(c, idx, 0)) ?
		    c->x[idx] : -1;
		or->lower[idx] = know_of(c, kn, idx);
	}
	for (r = 0; r < nreleases; r++)
		for (v = 0; v < tab_nvalues(releases[r]); v++) {
			key = tkey_of(releases[r], v);
			p = tab_value(releases[r], v);
			n = 0;
			if (p != STATS_SUPPRESSED) {
				/* Published: known exactly, so its part
				 * outside the scope must not be small. */
				fixed = tc_residual(c, c->x, key, kn);
				if (fixed > 0 && fixed < ks[r])
					published_small++;
				assert_true(or->ncon < OR_MAXV);
				for (idx = 0; idx < c->ncells; idx++)
					if (tkey_has(c, key, idx))
						or->con_c[or->ncon][n++] = idx;
				or->con_n[or->ncon] = n;
				or->con_v[or->ncon++] = p;
				if (n == 1)
					or->fixed[or->con_c[or->ncon - 1][0]] =
					    p;
				if (key.kind == 2)
					or->total = p;
				continue;
			}
			/* The part outside the scope must stay uncertain
			 * between 0 and >= k, unless published elsewhere. */
			p = tc_residual(c, c->x, key, kn);
			if (p <= 0 || p >= ks[r] ||
			    published_anywhere(releases, nreleases, key))
				continue;
			assert_true(or->ntarg < OR_MAXV);
			or->targ_known[or->ntarg] = 0;
			for (idx = 0; idx < c->ncells; idx++)
				if (tkey_has(c, key, idx)) {
					or->targ_c[or->ntarg][n++] = idx;
					or->targ_known[or->ntarg] +=
					    know_of(c, kn, idx);
				}
			or->targ_n[or->ntarg] = n;
			or->targ_k[or->ntarg++] = ks[r];
		}
	for (r = 0; r < or->ncon; r++) {
		or->con_last[r] = 0;
		for (idx = 0; idx < or->con_n[r]; idx++) {
			or->con_has[r][or->con_c[r][idx]] = 1;
			if (or->con_c[r][idx] > or->con_last[r])
				or->con_last[r] = or->con_c[r][idx];
		}
	}
	or->bound = or->total >= 0 ? or->total : bound;
	oracle_walk(or, 0, or->bound);
	assert_true(or->leaves > 0);
	n = published_small;
	for (r = 0; r < or->ntarg; r++)
		n += !or->can0[r] || !or->cank[r];
	free(or);
	return n;
}

static void
oracle_check(const struct tc *c, const struct stats_table *const *releases,
    const int64_t *ks, size_t nreleases, const struct know *kn,
    int64_t bound)
{
	assert_int_equal(oracle_failures(c, releases, ks, nreleases, kn,
	    bound), 0);
}

/* run: stats_suppress on the family (rd, cd) of c; returns the table. */
static struct stats_table *
run(const struct tc *c, struct stats_cube *cube, size_t rd, size_t cd,
    uint64_t k, const struct stats_table *const *earlier, size_t nearlier,
    const struct stats_scope *scopes, size_t nscopes, size_t limit,
    char **certp)
{
	struct stats_suppress_args	 a;
	struct stats_table		*t;
	size_t				 len;

	(void)c;
	memset(&a, 0, sizeof(a));
	a.cube = cube;
	a.row_dim = rd;
	a.col_dim = cd;
	a.k = k;
	a.earlier = earlier;
	a.nearlier = nearlier;
	a.scopes = scopes;
	a.nscopes = nscopes;
	a.max_secondary = limit;
	assert_int_equal(stats_suppress(&a, &t, certp, &len), 0);
	assert_non_null(t);
	assert_non_null(*certp);
	assert_int_equal(strlen(*certp), len);
	return t;
}

static size_t
count_suppressed(const struct stats_table *t)
{
	size_t v, n = 0;

	for (v = 0; v < tab_nvalues(t); v++)
		n += tab_value(t, v) == STATS_SUPPRESSED;
	return n;
}

/* A 3 x 3 organisation x topic table from nine counts. */
static void
tc_3x3(struct tc *c, const int64_t *cells)
{
	static const char *const names[] = { "organisation", "topic" };
	size_t n[2] = { 3, 3 }, i;

	tc_init(c, 2, n, names);
	for (i = 0; i < 9; i++)
		c->x[i] = cells[i];
}

/* ---------------------------------------------------------------- tests */

static void
cube_rejects_bad_input(void **state)
{
	static const char *const unsorted[] = { "b", "a" };
	static const char *const badslug[] = { "A", "b" };
	static const char *const ok[] = { "a", "b" };
	static const char *const dup[] = { "a", "a" };
	struct stats_dim	 dims[3] = {
		{ "organisation", ok, 2 }, { "topic", ok, 2 },
		{ "outcome", ok, 2 } };
	struct stats_cube	*cube;
	struct stats_table	*t;
	struct stats_suppress_args a;
	char			*cert;
	size_t			 len, coords[3] = { 0, 0, 2 };

	(void)state;
	assert_int_equal(stats_cube_new(&cube, dims, 1), -1);
	dims[1].ids = unsorted;
	assert_int_equal(stats_cube_new(&cube, dims, 2), -1);
	dims[1].ids = badslug;
	assert_int_equal(stats_cube_new(&cube, dims, 2), -1);
	dims[1].ids = dup;
	assert_int_equal(stats_cube_new(&cube, dims, 2), -1);
	dims[1].ids = ok;
	assert_int_equal(stats_cube_new(&cube, dims, 3), 0);
	assert_int_equal(stats_cube_add(cube, coords, 1), -1);
	assert_int_equal(stats_cube_add(cube, coords, 1), -1);
	coords[2] = 1;
	assert_int_equal(stats_cube_add(cube, coords, STATS_MAX_TOTAL + 1), -1);
	assert_int_equal(stats_cube_add(cube, coords, 3), 0);
	{
		const char *ids[3] = { "a", "b", "zz" };

		assert_int_equal(stats_cube_add_ids(cube, ids, 1), -1);
		ids[2] = "a";
		assert_int_equal(stats_cube_add_ids(cube, ids, 1), 0);
	}
	memset(&a, 0, sizeof(a));
	a.cube = cube;
	a.row_dim = 0;
	a.col_dim = 2;		/* not adjacent */
	a.k = 5;
	assert_int_equal(stats_suppress(&a, &t, &cert, &len), -1);
	assert_null(t);
	assert_null(cert);
	a.col_dim = 1;
	a.k = 1;
	assert_int_equal(stats_suppress(&a, &t, &cert, &len), -1);
	stats_cube_free(cube);
	stats_cube_free(NULL);
	stats_table_free(NULL);
	stats_certificate_free(NULL, 0);
}

static void
merge_map_needs_two_members(void **state)
{
	static const char *const orgs[] = { "aa", "bb", "cc", "dd" };
	static const char *const topics[] = { "x", "y" };
	static const char *const one[] = { "bb" };
	static const char *const two[] = { "cc", "aa", "zz" };
	struct stats_dim	 dims[2] = { { "organisation", orgs, 4 },
	    { "topic", topics, 2 } };
	struct stats_cube	*cube;
	struct stats_table	*t;
	char			*cert;
	struct tc		 c;
	uint64_t		 head[4] = { 10, 500, 30, 9000 };
	unsigned char		 merged[4];

	(void)state;
	assert_int_equal(stats_merge_select(head, 4, 100, merged), 2);
	assert_int_equal(merged[0], 1);
	assert_int_equal(merged[1], 0);
	assert_int_equal(merged[2], 1);
	assert_int_equal(merged[3], 0);

	assert_int_equal(stats_cube_new(&cube, dims, 2), 0);
	assert_int_equal(stats_cube_merge(cube, "other", one, 1), 0);
	assert_int_equal(stats_cube_merge(cube, "other", two, 3), -1);
	memset(&c, 0, sizeof(c));
	t = run(&c, cube, 0, 1, 5, NULL, 0, NULL, 0, 0, &cert);
	assert_int_equal(stats_table_nrows(t), 4);
	assert_string_equal(stats_table_row_id(t, 1), "bb");
	/* The year's map is published although it is not applied. */
	{
		struct stats_meta	 meta = { "m1", "intake_org_topic",
		    "2024Q1", "2024-04-02" };
		char			*json, *csv;
		size_t			 len;

		assert_int_equal(stats_table_json(t, &meta, &json, &len), 0);
		assert_non_null(strstr(json, "\"merge\":{\"applied\":false,"
		    "\"group\":\"other\",\"members\":[\"bb\"]}"));
		free(json);
		assert_int_equal(stats_table_csv(t, &meta, &csv, &len), 0);
		assert_non_null(strstr(csv, "merge_group,other\r\n"
		    "merge_applied,false\r\nmerge_members,bb\r\n\r\n"));
		free(csv);
	}
	stats_table_free(t);
	stats_certificate_free(cert, strlen(cert));
	stats_cube_free(cube);

	assert_int_equal(stats_cube_new(&cube, dims, 2), 0);
	assert_int_equal(stats_cube_merge(cube, "aa", two, 2), -1);
	stats_cube_free(cube);
	assert_int_equal(stats_cube_new(&cube, dims, 2), 0);
	assert_int_equal(stats_cube_merge(cube, "other", two, 3), 1);
	{
		const char *ids[2] = { "aa", "x" };

		assert_int_equal(stats_cube_add_ids(cube, ids, 7), 0);
		ids[0] = "cc";
		assert_int_equal(stats_cube_add_ids(cube, ids, 2), 0);
		ids[0] = "dd";
		assert_int_equal(stats_cube_add_ids(cube, ids, 6), 0);
	}
	t = run(&c, cube, 0, 1, 5, NULL, 0, NULL, 0, 0, &cert);
	assert_int_equal(stats_table_nrows(t), 3);
	assert_string_equal(stats_table_row_id(t, 0), "bb");
	assert_string_equal(stats_table_row_id(t, 1), "dd");
	assert_string_equal(stats_table_row_id(t, 2), "other");
	assert_int_equal(stats_table_cell(t, 2, 0), 9);
	assert_int_equal(stats_table_cell(t, 1, 0), 6);
	assert_non_null(strstr(cert, "\"merge\":{\"applied\":true,"
	    "\"group\":\"other\",\"members\":[\"aa\",\"cc\",\"zz\"]}"));
	stats_table_free(t);
	stats_certificate_free(cert, strlen(cert));
	stats_cube_free(cube);
}

/* The generated intake table: 15 organisations (three small ones merged),
 * 7 topics, skewed so that many cells are small. */
static struct stats_cube *
gen_intake(struct tc *c, uint64_t seed, size_t ncases)
{
	static const char *const names[] = { "organisation", "topic" };
	static const char *const members[] = { "o00", "o01", "o02" };
	struct stats_cube	*cube;
	size_t			 n[2] = { 15, 7 }, i, o, t;
	const char		*ids[2];

	tc_init(c, 2, n, names);
	{
		struct stats_dim dims[2] = {
			{ c->names[0], c->idp[0], 15 },
			{ c->names[1], c->idp[1], 7 } };

		assert_int_equal(stats_cube_new(&cube, dims, 2), 0);
	}
	assert_int_equal(stats_cube_merge(cube, "other", members, 3), 1);
	/* Case by case, so the test's recount is its own. */
	for (i = 0; i < ncases; i++) {
		o = rnd_below(&seed, 15);
		o = rnd_below(&seed, o + 1);	/* small organisations rarer */
		o = 14 - o;
		t = rnd_below(&seed, 7);
		t = rnd_below(&seed, t + 1);
		ids[0] = c->ids[0][o];
		ids[1] = c->ids[1][t];
		assert_int_equal(stats_cube_add_ids(cube, ids, 1), 0);
		c->x[o * c->stride[0] + t]++;
	}
	return cube;
}

static void
recount_matches_generated_cases(void **state)
{
	struct tc		 c;
	struct stats_cube	*cube;
	struct stats_table	*t;
	char			*cert;
	size_t			 i, j;
	int64_t			 sum, v;
	int			 all;

	(void)state;
	cube = gen_intake(&c, 7, 600);
	t = run(&c, cube, 0, 1, 5, NULL, 0, NULL, 0, 0, &cert);
	assert_int_equal(stats_table_nrows(t), 13);
	assert_int_equal(stats_table_ncols(t), 7);
	tc_set_rows(&c, t);
	for (i = 0; i < 3; i++)
		c.org_row[i] = 12;		/* "other" sorts last */
	assert_string_equal(stats_table_row_id(t, 12), "other");
	check_published(&c, t, 5);
	assert_true(count_suppressed(t) > 0);
	/* Margins add up where the whole line is published. */
	for (i = 0; i < 13; i++) {
		sum = 0;
		all = stats_table_row_total(t, i) != STATS_SUPPRESSED;
		for (j = 0; j < 7; j++) {
			v = stats_table_cell(t, i, j);
			all = all && v != STATS_SUPPRESSED;
			sum += v;
		}
		if (all)
			assert_int_equal(sum, stats_table_row_total(t, i));
	}
	assert_int_equal(stats_table_total(t), 600);
	stats_table_free(t);
	stats_certificate_free(cert, strlen(cert));
	stats_cube_free(cube);
	tc_free(&c);
}

static void
witnesses_checked_independently(void **state)
{
	static const uint64_t ks[] = { 3, 5, 10 };
	struct tc		 c;
	struct stats_cube	*cube;
	struct stats_table	*t;
	char			*cert;
	size_t			 i, seed;
	int64_t			 k;

	(void)state;
	for (seed = 1; seed <= 6; seed++)
		for (i = 0; i < 3; i++) {
			cube = gen_intake(&c, seed * 101, 150 + 60 * seed);
			t = run(&c, cube, 0, 1, ks[i], NULL, 0, NULL, 0, 0,
			    &cert);
			tc_set_rows(&c, t);
			c.org_row[0] = c.org_row[1] = c.org_row[2] = 12;
			k = (int64_t)ks[i];
			check_published(&c, t, k);
			check_certificate(&c, cert,
			    (const struct stats_table *const *)&t, &k, 1,
			    NULL, 0);
			stats_table_free(t);
			stats_certificate_free(cert, strlen(cert));
			stats_cube_free(cube);
			tc_free(&c);
		}
}

static void
brute_force_oracle_3x3(void **state)
{
	struct tc		 c;
	struct stats_cube	*cube;
	struct stats_table	*t;
	char			*cert;
	uint64_t		 seed = 42;
	int64_t			 cells[9], k, total;
	size_t			 round, i, primaries = 0, secondaries = 0;

	(void)state;
	for (round = 0; round < 150; round++) {
		total = 5 + (int64_t)rnd_below(&seed, 8);	/* 5..12 */
		memset(cells, 0, sizeof(cells));
		for (i = 0; i < (size_t)total; i++)
			cells[rnd_below(&seed, rnd_below(&seed, 9) + 1)]++;
		k = 3 + (int64_t)rnd_below(&seed, 3);
		tc_3x3(&c, cells);
		cube = tc_cube(&c);
		t = run(&c, cube, 0, 1, (uint64_t)k, NULL, 0, NULL, 0, 0,
		    &cert);
		check_published(&c, t, k);
		check_certificate(&c, cert,
		    (const struct stats_table *const *)&t, &k, 1, NULL, 0);
		oracle_check(&c, (const struct stats_table *const *)&t, &k, 1,
		    NULL, 12 + k);
		for (i = 0; i < tab_nvalues(t); i++) {
			int64_t v = tc_sum(&c, c.x, tkey_of(t, i), NULL);

			if (v > 0 && v < k)
				primaries++;
			else if (tab_value(t, i) == STATS_SUPPRESSED)
				secondaries++;
		}
		stats_table_free(t);
		stats_certificate_free(cert, strlen(cert));
		stats_cube_free(cube);
		tc_free(&c);
	}
	/* The rounds exercised both kinds of suppression. */
	assert_true(primaries > 150);
	assert_true(secondaries > 40);
}

static void
single_small_cell_gets_secondary(void **state)
{
	static const int64_t cells[9] = { 2, 10, 12, 9, 11, 8, 7, 6, 13 };
	struct tc		 c;
	struct stats_cube	*cube;
	struct stats_table	*t;
	char			*cert;
	int64_t			 k = 5;
	size_t			 i, j;

	(void)state;
	tc_3x3(&c, cells);
	cube = tc_cube(&c);
	t = run(&c, cube, 0, 1, 5, NULL, 0, NULL, 0, 0, &cert);
	/* The cheapest pattern: (0,0) with (0,1), (2,0), (2,1) = 23. */
	for (i = 0; i < 3; i++)
		for (j = 0; j < 3; j++)
			assert_int_equal(stats_table_cell(t, i, j) ==
			    STATS_SUPPRESSED, (i == 0 || i == 2) && j < 2);
	for (i = 0; i < 3; i++) {
		assert_int_not_equal(stats_table_row_total(t, i),
		    STATS_SUPPRESSED);
		assert_int_not_equal(stats_table_col_total(t, i),
		    STATS_SUPPRESSED);
	}
	assert_int_equal(stats_table_total(t), 78);
	check_certificate(&c, cert, (const struct stats_table *const *)&t, &k,
	    1, NULL, 0);
	oracle_check(&c, (const struct stats_table *const *)&t, &k, 1, NULL,
	    0);
	stats_table_free(t);
	stats_certificate_free(cert, strlen(cert));
	stats_cube_free(cube);
	tc_free(&c);
}

static void
fail_closed_suppresses_the_line(void **state)
{
	static const int64_t cells[9] = { 2, 10, 12, 9, 11, 8, 7, 6, 13 };
	struct tc		 c;
	struct stats_cube	*cube;
	struct stats_table	*t;
	char			*cert;
	int64_t			 k = 5;
	size_t			 i, j;
	int			 want;

	(void)state;
	tc_3x3(&c, cells);
	cube = tc_cube(&c);
	/* At most one further suppression: the 2 x 2 pattern needs three,
	 * so the search fails over to the line of (0,0), and then needs
	 * one more cell, (2,1). */
	t = run(&c, cube, 0, 1, 5, NULL, 0, NULL, 0, 1, &cert);
	for (i = 0; i < 3; i++)
		for (j = 0; j < 3; j++) {
			want = i == 0 || j == 0 || (i == 2 && j == 1);
			assert_int_equal(stats_table_cell(t, i, j) ==
			    STATS_SUPPRESSED, want);
		}
	assert_int_equal(stats_table_row_total(t, 0), STATS_SUPPRESSED);
	assert_int_equal(stats_table_col_total(t, 0), STATS_SUPPRESSED);
	assert_int_equal(stats_table_row_total(t, 1), 28);
	assert_int_equal(stats_table_total(t), 78);
	check_certificate(&c, cert, (const struct stats_table *const *)&t, &k,
	    1, NULL, 0);
	oracle_check(&c, (const struct stats_table *const *)&t, &k, 1, NULL,
	    0);
	stats_table_free(t);
	stats_certificate_free(cert, strlen(cert));
	stats_cube_free(cube);
	tc_free(&c);
}

static void
fail_closed_suppresses_the_grand_total(void **state)
{
	static const char *const names[] = { "organisation", "topic" };
	static const char *const mine[] = { "o00" };
	struct stats_scope	 scope = { mine, 1, NULL, 0 };
	unsigned char		 in[2] = { 1, 0 };
	unsigned char		*scopes[1] = { in };
	size_t			 n[2] = { 2, 2 }, v;
	struct tc		 c;
	struct stats_cube	*cube;
	struct stats_table	*t;
	char			*cert;
	int64_t			 k = 5;

	(void)state;
	/* The coordinator of o00 holds 35 of 37 cases: publishing the grand
	 * total would tell them that the others have exactly 2. */
	tc_init(&c, 2, n, names);
	c.x[0] = 20;
	c.x[1] = 15;
	c.x[2] = 2;
	cube = tc_cube(&c);
	t = run(&c, cube, 0, 1, 5, NULL, 0, &scope, 1, 0, &cert);
	for (v = 0; v < tab_nvalues(t); v++)
		assert_int_equal(tab_value(t, v), STATS_SUPPRESSED);
	check_certificate(&c, cert, (const struct stats_table *const *)&t, &k,
	    1, scopes, 1);
	stats_table_free(t);
	stats_certificate_free(cert, strlen(cert));
	/* Without the scope, the grand total and most margins stay. */
	t = run(&c, cube, 0, 1, 5, NULL, 0, NULL, 0, 0, &cert);
	assert_int_equal(stats_table_total(t), 37);
	check_certificate(&c, cert, (const struct stats_table *const *)&t, &k,
	    1, NULL, 0);
	stats_table_free(t);
	stats_certificate_free(cert, strlen(cert));
	stats_cube_free(cube);
	tc_free(&c);
}

static void
scope_holds_own_cells_fixed(void **state)
{
	static const int64_t cells[9] = { 6, 5, 9, 2, 7, 6, 9, 5, 11 };
	static const char *const mine[] = { "o00", "nonexistent" };
	struct stats_scope	 scope[2] = { { mine, 2, NULL, 0 },
	    { mine, 1, NULL, 0 } };
	unsigned char		 in[3] = { 1, 0, 0 };
	unsigned char		*scopes[1] = { in };
	struct tc		 c;
	struct stats_cube	*cube;
	struct stats_table	*t;
	char			*cert;
	int64_t			 k = 5;
	size_t			 i, j;

	(void)state;
	tc_3x3(&c, cells);
	cube = tc_cube(&c);
	/* Alone, (1,0) = 2 is hidden with o00's row: (1,1), (0,0), (0,1). */
	t = run(&c, cube, 0, 1, 5, NULL, 0, NULL, 0, 0, &cert);
	for (i = 0; i < 3; i++)
		for (j = 0; j < 3; j++)
			assert_int_equal(stats_table_cell(t, i, j) ==
			    STATS_SUPPRESSED, i < 2 && j < 2);
	oracle_check(&c, (const struct stats_table *const *)&t, &k, 1, NULL,
	    0);
	assert_true(oracle_failures(&c, (const struct stats_table *const *)&t,
	    &k, 1, &(struct know){ in, NULL }, 0) > 0);
	stats_table_free(t);
	stats_certificate_free(cert, strlen(cert));
	/* o00's coordinator knows that row: row 2 must help too. The scope
	 * is given twice (duplicates and unknown ids are ignored). */
	t = run(&c, cube, 0, 1, 5, NULL, 0, scope, 2, 0, &cert);
	for (i = 0; i < 3; i++)
		for (j = 0; j < 3; j++)
			assert_int_equal(stats_table_cell(t, i, j) ==
			    STATS_SUPPRESSED, j < 2);
	check_published(&c, t, k);
	check_certificate(&c, cert, (const struct stats_table *const *)&t, &k,
	    1, scopes, 1);
	oracle_check(&c, (const struct stats_table *const *)&t, &k, 1,
	    &(struct know){ in, NULL }, 0);
	oracle_check(&c, (const struct stats_table *const *)&t, &k, 1, NULL,
	    0);
	stats_table_free(t);
	stats_certificate_free(cert, strlen(cert));
	stats_cube_free(cube);
	tc_free(&c);
}

static void
scope_protects_what_coordinator_cannot_see(void **state)
{
	/* o00 and o01 are merged into "other"; its x cell is 3 + 1 = 4, not
	 * primary (k = 3). o00's coordinator would read o01's single case
	 * from it. */
	static const char *const names[] = { "organisation", "topic" };
	static const char *const members[] = { "o00", "o01" };
	static const char *const mine[] = { "o00" };
	static const int64_t cells[12] = { 3, 3, 3, 1, 3, 3, 3, 4, 3, 3, 3,
	    4 };
	struct stats_scope	 scope = { mine, 1, NULL, 0 };
	unsigned char		 in[4] = { 1, 0, 0, 0 }, *scopes[1] = { in };
	size_t			 n[2] = { 4, 3 }, i;
	struct tc		 c;
	struct stats_cube	*cube;
	struct stats_table	*t;
	char			*cert;
	int64_t			 k = 3;

	(void)state;
	tc_init(&c, 2, n, names);
	for (i = 0; i < 12; i++)
		c.x[i] = cells[i];
	c.org_row[0] = c.org_row[1] = 2;	/* o02, o03, other */
	c.org_row[2] = 0;
	c.org_row[3] = 1;
	cube = tc_cube(&c);
	assert_int_equal(stats_cube_merge(cube, "other", members, 2), 1);
	t = run(&c, cube, 0, 1, 3, NULL, 0, NULL, 0, 0, &cert);
	assert_string_equal(stats_table_row_id(t, 2), "other");
	assert_int_equal(stats_table_cell(t, 2, 0), 4);
	assert_int_equal(count_suppressed(t), 0);
	assert_true(oracle_failures(&c, (const struct stats_table *const *)&t,
	    &k, 1, &(struct know){ in, NULL }, 0) > 0);
	stats_table_free(t);
	stats_certificate_free(cert, strlen(cert));

	t = run(&c, cube, 0, 1, 3, NULL, 0, &scope, 1, 0, &cert);
	assert_int_equal(stats_table_cell(t, 2, 0), STATS_SUPPRESSED);
	assert_int_not_equal(stats_table_total(t), STATS_SUPPRESSED);
	check_published(&c, t, k);
	check_certificate(&c, cert, (const struct stats_table *const *)&t, &k,
	    1, scopes, 1);
	oracle_check(&c, (const struct stats_table *const *)&t, &k, 1,
	    &(struct know){ in, NULL }, 0);
	oracle_check(&c, (const struct stats_table *const *)&t, &k, 1, NULL,
	    0);
	stats_table_free(t);
	stats_certificate_free(cert, strlen(cert));
	stats_cube_free(cube);
	tc_free(&c);
}

/* The outcome cube: organisation x outcome x category x ground, with the
 * families category x outcome (2, 1) and category x ground (2, 3). */
static void
tc_outcome(struct tc *c, const int64_t *cells8)
{
	static const char *const names[] = { "organisation", "outcome",
	    "category", "ground" };
	size_t n[4] = { 1, 2, 2, 2 }, i;

	tc_init(c, 4, n, names);
	for (i = 0; i < 8; i++)
		c->x[i] = cells8[i];
}

static void
earlier_release_keeps_its_protection(void **state)
{
	/* x[u][c][g] for outcome u, category c, ground g. Category x outcome
	 * has primaries (c0,u1) = 1, (c1,u0) = 2, (c1,u1) = 2 (k = 3) and
	 * hides them behind its category totals; category x ground alone
	 * would publish those totals (7 and 4), which pins (c1,u0) >= 1. */
	static const int64_t cells[8] = { 6, 0, 1, 1, 1, 0, 2, 0 };
	struct tc		 c;
	struct stats_cube	*cube;
	struct stats_table	*r1, *r2, *both[2];
	char			*cert1, *cert2, *json;
	int64_t			 ks[2] = { 3, 3 }, only_r1[2] = { 3, 1 };
	size_t			 len;
	struct stats_meta	 meta = { "r1", "outcome_category_outcome",
	    "2024Q3", "2024-10-01" };

	(void)state;
	tc_outcome(&c, cells);
	cube = tc_cube(&c);
	r1 = run(&c, cube, 2, 1, 3, NULL, 0, NULL, 0, 0, &cert1);
	check_published(&c, r1, 3);
	check_certificate(&c, cert1, (const struct stats_table *const *)&r1,
	    ks, 1, NULL, 0);
	oracle_check(&c, (const struct stats_table *const *)&r1, ks, 1, NULL,
	    12);
	assert_int_equal(stats_table_row_total(r1, 0), STATS_SUPPRESSED);
	assert_int_equal(stats_table_row_total(r1, 1), STATS_SUPPRESSED);
	/* Stored and read back, as the daemon will. */
	assert_int_equal(stats_table_json(r1, &meta, &json, &len), 0);
	stats_table_free(r1);
	assert_int_equal(stats_table_parse(cube, 2, 1, json, len, &r1), 0);
	free(json);

	/* Alone, the second family is safe by itself but undoes the first
	 * one's protection. */
	r2 = run(&c, cube, 2, 3, 3, NULL, 0, NULL, 0, 0, &cert2);
	assert_int_equal(stats_table_row_total(r2, 0), 7);
	oracle_check(&c, (const struct stats_table *const *)&r2, ks, 1, NULL,
	    12);
	both[0] = r1;
	both[1] = r2;
	assert_true(oracle_failures(&c, (const struct stats_table *const *)both,
	    only_r1, 2, NULL, 12) > 0);
	stats_table_free(r2);
	stats_certificate_free(cert2, strlen(cert2));

	/* Given r1, the second release keeps the category totals hidden. */
	r2 = run(&c, cube, 2, 3, 3, (const struct stats_table *const *)&r1, 1,
	    NULL, 0, 0, &cert2);
	assert_int_equal(stats_table_row_total(r2, 0), STATS_SUPPRESSED);
	assert_int_equal(stats_table_row_total(r2, 1), STATS_SUPPRESSED);
	both[0] = r2;
	both[1] = r1;
	check_published(&c, r2, 3);
	check_certificate(&c, cert2, (const struct stats_table *const *)both,
	    ks, 2, NULL, 0);
	oracle_check(&c, (const struct stats_table *const *)both, ks, 2, NULL,
	    12);
	stats_table_free(r2);
	stats_certificate_free(cert2, strlen(cert2));
	stats_certificate_free(cert1, strlen(cert1));
	stats_table_free(r1);
	stats_cube_free(cube);
	tc_free(&c);
}

static void
earlier_release_must_match_the_cube(void **state)
{
	static const int64_t cells[9] = { 6, 5, 9, 2, 7, 6, 9, 5, 11 };
	struct tc		 c;
	struct stats_cube	*cube;
	struct stats_table	*t, *back, *t2;
	struct stats_suppress_args a;
	struct stats_meta	 meta = { "x1", "intake_org_topic", "2024Q1",
	    "2024-04-02" };
	char			*cert, *json, *bad, *p;
	size_t			 len;

	(void)state;
	tc_3x3(&c, cells);
	cube = tc_cube(&c);
	t = run(&c, cube, 0, 1, 5, NULL, 0, NULL, 0, 0, &cert);
	stats_certificate_free(cert, strlen(cert));
	assert_int_equal(stats_table_json(t, &meta, &json, &len), 0);
	/* A published 6 changed to 7: the release no longer fits. */
	bad = strdup(json);
	assert_non_null(bad);
	p = strstr(bad, "\"value\":6");
	assert_non_null(p);
	p[8] = '7';
	assert_int_equal(stats_table_parse(cube, 0, 1, bad, strlen(bad),
	    &back), 0);
	assert_int_equal(stats_table_agrees(back, cube), 0);
	assert_int_equal(stats_table_agrees(t, cube), 1);
	memset(&a, 0, sizeof(a));
	a.cube = cube;
	a.row_dim = 0;
	a.col_dim = 1;
	a.k = 5;
	a.earlier = (const struct stats_table *const *)&back;
	a.nearlier = 1;
	assert_int_equal(stats_suppress(&a, &t2, &cert, &len), -1);
	stats_table_free(back);
	/* Bodies that are not a release of this family are refused. */
	assert_int_equal(stats_table_parse(cube, 1, 0, json, strlen(json),
	    &back), -1);
	assert_int_equal(stats_table_parse(cube, 0, 1, json, strlen(json) - 1,
	    &back), -1);
	p = strstr(bad, "\"k\":5");
	assert_non_null(p);
	memcpy(p, "\"q\"", 3);
	assert_int_equal(stats_table_parse(cube, 0, 1, bad, strlen(bad),
	    &back), -1);
	free(bad);
	free(json);
	stats_table_free(t);
	stats_cube_free(cube);
	tc_free(&c);
}

static void
json_and_csv_renderings(void **state)
{
	static const int64_t cells[9] = { 2, 10, 12, 9, 11, 8, 7, 6, 13 };
	struct tc		 c;
	struct stats_cube	*cube;
	struct stats_table	*t;
	struct stats_meta	 meta = { "intake_org_topic-2024Q3",
	    "intake_org_topic", "2024Q3", "2024-10-01" };
	cJSON			*root, *item;
	char			*cert, *json, *csv;
	size_t			 len, nulls = 0;

	(void)state;
	tc_3x3(&c, cells);
	cube = tc_cube(&c);
	t = run(&c, cube, 0, 1, 5, NULL, 0, NULL, 0, 0, &cert);
	assert_int_equal(stats_table_json(t, &meta, &json, &len), 0);
	assert_int_equal(strlen(json), len);
	assert_non_null(strstr(json, "{\"cells\":[{\"col\":\"t00\","
	    "\"row\":\"o00\",\"value\":null},"));
	/* The release says what it is: dimension names, the merge map (none
	 * given here), method and k. */
	assert_non_null(strstr(json, "\"k\":5,\"merge\":null,"
	    "\"method\":\"suppression\","));
	assert_non_null(strstr(json, "\"cells\":[") == json + 1 ? json : NULL);
	assert_non_null(strstr(json, "],\"col_dimension\":\"topic\","
	    "\"col_totals\":["));
	assert_non_null(strstr(json, "\"quarter\":\"2024Q3\","
	    "\"row_dimension\":\"organisation\",\"row_totals\":["));
	assert_non_null(strstr(json, "\"total\":78}"));
	root = cJSON_Parse(json);
	assert_non_null(root);
	cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(root,
	    "cells"))
		nulls += cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(item,
		    "value"));
	assert_int_equal(nulls, 4);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(
	    root, "rows")), 3);
	assert_null(cJSON_GetObjectItemCaseSensitive(root, "epsilon"));
	cJSON_Delete(root);
	free(json);

	assert_int_equal(stats_table_csv(t, &meta, &csv, &len), 0);
	assert_string_equal(csv,
	    "release,intake_org_topic-2024Q3\r\n"
	    "family,intake_org_topic\r\n"
	    "quarter,2024Q3\r\n"
	    "method,suppression\r\n"
	    "k,5\r\n"
	    "created_on,2024-10-01\r\n"
	    "rows,organisation\r\n"
	    "cols,topic\r\n"
	    "\r\n"
	    "organisation,t00,t01,t02,Total\r\n"
	    "o00,x,x,12,24\r\n"
	    "o01,9,11,8,28\r\n"
	    "o02,x,x,13,26\r\n"
	    "Total,18,27,33,78\r\n");
	assert_int_equal(strlen(csv), len);
	free(csv);

	meta.quarter = "2024Q5";
	assert_int_equal(stats_table_json(t, &meta, &json, &len), -1);
	meta.quarter = "2024Q3";
	meta.id = "a\"b";
	assert_int_equal(stats_table_json(t, &meta, &json, &len), -1);
	meta.id = "r1";
	meta.family = "Intake";
	assert_int_equal(stats_table_json(t, &meta, &json, &len), -1);
	stats_table_free(t);
	stats_certificate_free(cert, strlen(cert));
	stats_cube_free(cube);
	tc_free(&c);
}

static void
output_is_deterministic(void **state)
{
	static const char *const a[] = { "o03", "o05" };
	static const char *const b[] = { "o07" };
	struct stats_scope	 s1[3] = { { a, 2, NULL, 0 }, { b, 1, NULL, 0 },
	    { a, 2, NULL, 0 } };
	struct stats_scope	 s2[2] = { { b, 1, NULL, 0 }, { a, 2, NULL, 0 } };
	unsigned char		 in1[15], in2[15], *scopes[2] = { in1, in2 };
	struct stats_meta	 meta = { "r", "intake_org_topic", "2024Q3",
	    "2024-10-01" };
	struct tc		 c;
	struct stats_cube	*cube;
	struct stats_table	*t1, *t2;
	char			*c1, *c2, *j1, *j2;
	size_t			 l1, l2;
	int64_t			 k = 5;

	(void)state;
	cube = gen_intake(&c, 99, 400);
	t1 = run(&c, cube, 0, 1, 5, NULL, 0, s1, 3, 0, &c1);
	t2 = run(&c, cube, 0, 1, 5, NULL, 0, s2, 2, 0, &c2);
	assert_string_equal(c1, c2);
	assert_int_equal(stats_table_json(t1, &meta, &j1, &l1), 0);
	assert_int_equal(stats_table_json(t2, &meta, &j2, &l2), 0);
	assert_int_equal(l1, l2);
	assert_memory_equal(j1, j2, l1);
	tc_set_rows(&c, t1);
	c.org_row[0] = c.org_row[1] = c.org_row[2] = 12;
	memset(in1, 0, sizeof(in1));
	memset(in2, 0, sizeof(in2));
	in1[3] = in1[5] = 1;
	in2[7] = 1;
	check_published(&c, t1, k);
	check_certificate(&c, c1, (const struct stats_table *const *)&t1, &k,
	    1, scopes, 2);
	free(j1);
	free(j2);
	stats_certificate_free(c1, strlen(c1));
	stats_certificate_free(c2, strlen(c2));
	stats_table_free(t1);
	stats_table_free(t2);
	stats_cube_free(cube);
	tc_free(&c);
}

static void
outcome_families_of_realistic_size(void **state)
{
	static const char *const names[] = { "organisation", "outcome",
	    "category", "ground" };
	static const char *const mine[] = { "o02", "o04" };
	struct stats_scope	 scope = { mine, 2, NULL, 0 };
	unsigned char		 in[15], *scopes[1] = { in };
	size_t			 n[4] = { 15, 7, 7, 12 }, i, idx;
	uint64_t		 seed = 5;
	struct tc		 c;
	struct stats_cube	*cube;
	struct stats_table	*r1, *r2, *both[2];
	char			*cert1, *cert2;
	int64_t			 ks[2] = { 5, 5 };

	(void)state;
	tc_init(&c, 4, n, names);
	for (i = 0; i < 700; i++) {
		idx = rnd_below(&seed, 15) * c.stride[0] +
		    rnd_below(&seed, rnd_below(&seed, 7) + 1) * c.stride[1] +
		    rnd_below(&seed, rnd_below(&seed, 7) + 1) * c.stride[2] +
		    rnd_below(&seed, rnd_below(&seed, 12) + 1);
		c.x[idx]++;
	}
	memset(in, 0, sizeof(in));
	in[2] = in[4] = 1;
	cube = tc_cube(&c);
	r1 = run(&c, cube, 2, 1, 5, NULL, 0, &scope, 1, 0, &cert1);
	check_published(&c, r1, 5);
	check_certificate(&c, cert1, (const struct stats_table *const *)&r1,
	    ks, 1, scopes, 1);
	r2 = run(&c, cube, 2, 3, 5, (const struct stats_table *const *)&r1, 1,
	    &scope, 1, 0, &cert2);
	both[0] = r2;
	both[1] = r1;
	check_published(&c, r2, 5);
	check_certificate(&c, cert2, (const struct stats_table *const *)both,
	    ks, 2, scopes, 1);
	stats_table_free(r1);
	stats_table_free(r2);
	stats_certificate_free(cert1, strlen(cert1));
	stats_certificate_free(cert2, strlen(cert2));
	stats_cube_free(cube);
	tc_free(&c);
}


static void
excluded_case_stays_hidden_from_its_coordinator(void **state)
{
	/* o00's coordinator sees 6 + 5 cases; a reporter excluded her from
	 * the one case in (o00, t02). Holding that case as known (as if she
	 * saw all of o00) publishes o00's total 12: 12 - 11 tells her that a
	 * case exists she was kept from. */
	static const int64_t cells[9] = { 6, 5, 1, 9, 7, 6, 9, 5, 11 };
	static const char *const mine[] = { "o00" };
	const struct stats_hidden hid[2] = {
		{ { "o00", "t02" }, 1 },
		{ { "o01", "t00" }, 3 },	/* not hers: ignored */
	};
	struct stats_scope	 all_known = { mine, 1, NULL, 0 };
	struct stats_scope	 truly = { mine, 1, hid, 2 };
	unsigned char		 in[3] = { 1, 0, 0 };
	int64_t			 hidden[9] = { 0, 0, 1, 0, 0, 0, 0, 0, 0 };
	struct know		 kn = { in, hidden };
	struct stats_hidden	 bad = { { "o00", "nope" }, 1 };
	struct stats_scope	 broken = { mine, 1, &bad, 1 };
	struct stats_suppress_args a;
	struct tc		 c;
	struct stats_cube	*cube;
	struct stats_table	*t;
	char			*cert;
	size_t			 len;
	int64_t			 k = 5;

	(void)state;
	tc_3x3(&c, cells);
	cube = tc_cube(&c);
	t = run(&c, cube, 0, 1, 5, NULL, 0, &all_known, 1, 0, &cert);
	assert_int_equal(stats_table_row_total(t, 0), 12);
	assert_true(oracle_failures(&c, (const struct stats_table *const *)&t,
	    &k, 1, &kn, 0) > 0);
	stats_table_free(t);
	stats_certificate_free(cert, strlen(cert));

	t = run(&c, cube, 0, 1, 5, NULL, 0, &truly, 1, 0, &cert);
	assert_int_equal(stats_table_row_total(t, 0), STATS_SUPPRESSED);
	check_published(&c, t, k);
	check_certificate_k(&c, cert, (const struct stats_table *const *)&t,
	    &k, 1, &kn, 1);
	oracle_check(&c, (const struct stats_table *const *)&t, &k, 1, &kn,
	    0);
	oracle_check(&c, (const struct stats_table *const *)&t, &k, 1, NULL,
	    0);
	stats_table_free(t);
	stats_certificate_free(cert, strlen(cert));

	/* A hidden cell outside the domain is an error, not ignored. */
	memset(&a, 0, sizeof(a));
	a.cube = cube;
	a.row_dim = 0;
	a.col_dim = 1;
	a.k = 5;
	a.scopes = &broken;
	a.nscopes = 1;
	assert_int_equal(stats_suppress(&a, &t, &cert, &len), -1);
	assert_null(t);
	stats_cube_free(cube);
	tc_free(&c);
}

static void
runs_share_their_witnesses(void **state)
{
	/* 120 scopes: every organisation alone, and pairs and triples of
	 * them. Most targets of the scope runs are those of run 0 with the
	 * same residual; their witnesses serve again instead of a new search
	 * each, and the certificate holds each witness once. */
	static char		 names[15][4];
	const char		*sets[120][3];
	struct stats_scope	 scopes[120];
	struct stats_suppress_report rep;
	struct stats_suppress_args a;
	struct know		 kns[120];
	unsigned char		 masks[120][15];
	struct tc		 c;
	struct stats_cube	*cube;
	struct stats_table	*t;
	char			*cert;
	size_t			 i, j, len, o;
	uint64_t		 seed = 3;
	int64_t			 k = 5;

	(void)state;
	cube = gen_intake(&c, 17, 700);
	memset(masks, 0, sizeof(masks));
	for (i = 0; i < 15; i++)
		assert_int_equal(snprintf(names[i], sizeof(names[i]), "o%02zu",
		    i), 3);
	for (i = 0; i < 120; i++) {
		scopes[i].orgs = sets[i];
		scopes[i].norgs = i < 15 ? 1 : 2 + i % 2;
		scopes[i].hidden = NULL;
		scopes[i].nhidden = 0;
		for (j = 0; j < scopes[i].norgs; j++) {
			o = i < 15 ? i : rnd_below(&seed, 15);
			sets[i][j] = names[o];
			masks[i][o] = 1;
		}
		kns[i].in = masks[i];
		kns[i].hidden = NULL;
	}
	memset(&a, 0, sizeof(a));
	memset(&rep, 0, sizeof(rep));
	a.cube = cube;
	a.row_dim = 0;
	a.col_dim = 1;
	a.k = 5;
	a.scopes = scopes;
	a.nscopes = 120;
	a.report = &rep;
	assert_int_equal(stats_suppress(&a, &t, &cert, &len), 0);
	assert_true(rep.runs > 15 && rep.runs <= 121);
	assert_true(rep.reused > 0);
	assert_int_equal(rep.searched + rep.reused, rep.targets);
	assert_int_equal(rep.witnesses, rep.searched);
	assert_true(rep.witnesses < rep.targets);
	tc_set_rows(&c, t);
	c.org_row[0] = c.org_row[1] = c.org_row[2] = 12;
	check_published(&c, t, k);
	check_certificate_k(&c, cert, (const struct stats_table *const *)&t,
	    &k, 1, kns, 120);
	stats_table_free(t);
	stats_certificate_free(cert, len);
	stats_cube_free(cube);
	tc_free(&c);
}

static void
empty_domains_give_empty_releases(void **state)
{
	static const char *const topics[] = { "t1", "t2" };
	static const char *const orgs[] = { "o1", "o2" };
	struct stats_dim	 none[2] = { { "organisation", NULL, 0 },
	    { "topic", topics, 2 } };
	struct stats_dim	 quiet[2] = { { "organisation", orgs, 2 },
	    { "topic", topics, 2 } };
	struct stats_meta	 meta = { "e1", "intake_org_topic", "2019Q1",
	    "2026-01-05" };
	struct stats_scope	 scope = { orgs, 1, NULL, 0 };
	struct stats_cube	*cube;
	struct stats_table	*t;
	struct tc		 c;
	char			*cert, *json, *csv;
	size_t			 len;
	cJSON			*root;

	(void)state;
	/* No organisation existed yet: no rows, zero totals. */
	assert_int_equal(stats_cube_new(&cube, none, 2), 0);
	assert_int_equal(stats_cube_merge(cube, "other", NULL, 0), 0);
	memset(&c, 0, sizeof(c));
	t = run(&c, cube, 0, 1, 5, NULL, 0, &scope, 1, 0, &cert);
	assert_int_equal(stats_table_nrows(t), 0);
	assert_int_equal(stats_table_ncols(t), 2);
	assert_int_equal(stats_table_total(t), 0);
	assert_int_equal(stats_table_col_total(t, 1), 0);
	assert_int_equal(stats_table_json(t, &meta, &json, &len), 0);
	root = cJSON_Parse(json);
	assert_non_null(root);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(
	    root, "cells")), 0);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(
	    root, "rows")), 0);
	assert_int_equal(jnum(root, "total"), 0);
	cJSON_Delete(root);
	assert_int_equal(stats_table_csv(t, &meta, &csv, &len), 0);
	assert_non_null(strstr(csv, "\r\n\r\norganisation,t1,t2,Total\r\n"
	    "Total,0,0,0\r\n"));
	free(csv);
	free(json);
	stats_table_free(t);
	stats_certificate_free(cert, strlen(cert));
	assert_int_equal(stats_release_dp(cube, 0, 1, 2, 3, NULL, &t), 0);
	assert_int_equal(stats_table_nrows(t), 0);
	assert_int_equal(stats_table_total(t), 0);
	stats_table_free(t);
	stats_cube_free(cube);

	/* Organisations, but no case: every cell a published zero. */
	assert_int_equal(stats_cube_new(&cube, quiet, 2), 0);
	t = run(&c, cube, 0, 1, 5, NULL, 0, &scope, 1, 0, &cert);
	assert_int_equal(stats_table_nrows(t), 2);
	assert_int_equal(stats_table_cell(t, 1, 1), 0);
	assert_int_equal(stats_table_total(t), 0);
	stats_table_free(t);
	stats_certificate_free(cert, strlen(cert));
	stats_cube_free(cube);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cube_rejects_bad_input),
		cmocka_unit_test(merge_map_needs_two_members),
		cmocka_unit_test(recount_matches_generated_cases),
		cmocka_unit_test(witnesses_checked_independently),
		cmocka_unit_test(brute_force_oracle_3x3),
		cmocka_unit_test(single_small_cell_gets_secondary),
		cmocka_unit_test(fail_closed_suppresses_the_line),
		cmocka_unit_test(fail_closed_suppresses_the_grand_total),
		cmocka_unit_test(scope_holds_own_cells_fixed),
		cmocka_unit_test(scope_protects_what_coordinator_cannot_see),
		cmocka_unit_test(earlier_release_keeps_its_protection),
		cmocka_unit_test(earlier_release_must_match_the_cube),
		cmocka_unit_test(json_and_csv_renderings),
		cmocka_unit_test(output_is_deterministic),
		cmocka_unit_test(outcome_families_of_realistic_size),
		cmocka_unit_test(excluded_case_stays_hidden_from_its_coordinator),
		cmocka_unit_test(runs_share_their_witnesses),
		cmocka_unit_test(empty_domains_give_empty_releases),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
