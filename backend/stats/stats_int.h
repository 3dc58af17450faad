/*
 * stats_int.h - the statistics engine's private interface: the structs
 * and functions its files share (stats.h is the public one). Nothing
 * outside backend/stats/ includes this header.
 *
 * Include stats.h before this header: it needs STATS_MAX_DIMS and the
 * public types, and does not include stats.h itself so that stats.c
 * (which includes both) does not depend on itself through it.
 *
 * Unless said otherwise, functions here allocate nothing, cannot fail,
 * and take arguments that the caller has already checked.
 */
#ifndef MELDPUNT_STATS_INT_H
#define MELDPUNT_STATS_INT_H

#ifndef MELDPUNT_STATS_H
#error "include stats.h before stats_int.h"
#endif

#include <stddef.h>
#include <stdint.h>

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

/* A witness: the difference from the truth, in finest cells. */
struct diff {
	size_t	 n;
	size_t	*cell;
	int64_t	*delta;
};

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

/* ------------------------------------------------------------ stats.c */

/* stats_slug_ok: 1 if s is a non-NULL id of [a-z0-9_-], starting with
 * [a-z0-9], at most STATS_ID_MAX bytes; else 0. */
int	 stats_slug_ok(const char *s);

/* stats_strv_free: free v[0..n-1] and v; v may be NULL. */
void	 stats_strv_free(char **v, size_t n);

/* stats_strv_dup: a copy of v[0..n-1] (each string duplicated), freed by
 * the caller with stats_strv_free(.., n); NULL on no memory. */
char	**stats_strv_dup(const char *const *v, size_t n);

/* stats_find: index of id in the sorted ids[0..n-1], or -1. */
long	 stats_find(char *const *ids, size_t n, const char *id);

/* stats_strcmp_qsort: strcmp for qsort over an array of char *. */
int	 stats_strcmp_qsort(const void *a, const void *b);

/* ------------------------------------------------------------- cube.c */

/* cube_view_n: the number of values of dimension d as a family shows
 * them (organisation rows under the merge map for d == 0). */
size_t	 cube_view_n(const struct stats_cube *cube, size_t d);

/* cube_view_id: the id of value i (< cube_view_n) of dimension d as a
 * family shows it; owned by the cube. */
const char *cube_view_id(const struct stats_cube *cube, size_t d, size_t i);

/* cube_coord: the coordinate in dimension d of cube cell idx. */
size_t	 cube_coord(const struct stats_cube *cube, size_t idx, size_t d);

/* cube_view_ok: 1 if (rd, cd) names a family of cube (two adjacent
 * dimensions); else 0, logged. */
int	 cube_view_ok(const struct stats_cube *cube, size_t rd, size_t cd);

/* cube_view_values: the family's values (stats.h numbering) from the cube
 * into vals (room for every value of the family), counting only
 * organisations not marked in skip (NULL: all). */
void	 cube_view_values(const struct stats_cube *cube, size_t rd, size_t cd,
	    const unsigned char *skip, int64_t *vals);

/* ------------------------------------------------------------ table.c */

/* table_new: a table of the family (rd, cd) with every value 0, freed by
 * the caller with stats_table_free; NULL on no memory. */
struct stats_table *table_new(const struct stats_cube *cube, size_t rd,
	    size_t cd);

/* table_matches: 1 if t shows family (rd, cd) of cube with the same ids;
 * else 0. */
int	 table_matches(const struct stats_table *t,
	    const struct stats_cube *cube);

/* -------------------------------------------------------------- net.c */

/* net_arc_int: the internal arc of value a of layer l. */
size_t	 net_arc_int(const struct net *n, size_t l, size_t a);

/* net_arc_inter: the arc from value a of layer l to value b of layer
 * l + 1. */
size_t	 net_arc_inter(const struct net *n, size_t l, size_t a, size_t b);

/* net_value_arc: the arc carrying value v of family (rd, cd). */
size_t	 net_value_arc(const struct net *n, size_t rd, size_t cd, size_t v);

/* net_cell_path: the arcs of finest cell idx into p, plen of them. */
void	 net_cell_path(const struct net *n, size_t idx, uint32_t *p);

/* net_free: free n and everything it holds (wiping the counts); n may be
 * NULL. */
void	 net_free(struct net *n);

/* net_new: the network of cube (every dimension non-empty) with its
 * non-zero cells, every arc FREE and carrying the truth flow, no
 * organisation fixed: the state of run 0. A scope run shifts it with
 * run_apply and back with run_unapply, so all runs share one network.
 * Freed by the caller with net_free; NULL on no memory (logged). */
struct net *net_new(const struct stats_cube *cube);

/* net_bind: reset every arc to the run's truth flow and bind the published
 * values: the organisations the run's holder knows completely, then the
 * earlier releases (FIXED), then this release (the grand total FIXED,
 * other published values CAND, at cost unit + truth value; supp[v] marks
 * this release's suppressions). */
void	 net_bind(struct net *n, const struct stats_table *const *earlier,
	    size_t nearlier, size_t rd, size_t cd, const unsigned char *supp,
	    const int64_t *truth, int64_t unit);

/* --------------------------------------------------------- net_flow.c */

/* net_move: bring arc p to 0 (up == 0) or to at least goal (up == 1),
 * marking in supp the CAND arcs' values it suppresses (counted in
 * *added). Returns 0, or 1 when no witness is found within limit new
 * suppressions (limit 0: none). */
int	 net_move(struct net *n, size_t p, int up, int64_t goal,
	    unsigned char *supp, size_t *added, size_t limit);

/* diff_clear: free what d holds and zero it. */
void	 diff_clear(struct diff *d);

/* net_realise: turn the current flow into a finest table's difference from
 * the truth in *out (freed by the caller with diff_clear): take whole
 * cases off arcs that lost flow, then decompose what must be added into
 * S..T paths. Returns 0, or -1 (no memory or an internal inconsistency,
 * logged). */
int	 net_realise(struct net *n, struct diff *out);

/* net_shift: add delta cases to what the holder cannot see of cell i. */
void	 net_shift(struct net *n, size_t i, int64_t delta);

/* -------------------------------------------------------------- run.c */

/* run_clear: free what r holds (wiping the hidden counts) and zero it. */
void	 run_clear(struct run *r);

/* run_all: s->runs: run 0 and one run per distinct scope of s->args that
 * needs one, sorted and deduplicated. Returns 0, or -1 for an invalid
 * scope or no memory (logged); either way the caller frees s->runs
 * (run_clear on each of s->nruns, then free). */
int	 run_all(struct search *s);

/* run_apply: shift the network to what run r's holder cannot see: each of
 * its organisations keeps only its hidden cases, and one with none left
 * is fixed. run_unapply undoes it. Both cost the organisations' cells. */
void	 run_apply(struct net *n, const struct run *r);
void	 run_unapply(struct net *n, const struct run *r);

/* ----------------------------------------------------------- search.c */

/* search_witness_clear: free what w holds and zero it. */
void	 search_witness_clear(struct witness *w);

/* search_check: the module's own re-check of every witness against the
 * final publication: non-negative, every published arc of every release
 * unchanged, target at 0 and at >= k. Returns 0, or -1 (logged). */
int	 search_check(struct search *s);

/* search_run: find (or reuse) the witnesses every target of run r needs,
 * suppressing further values as the search requires. Returns 0, or -1
 * (no memory or an internal inconsistency, logged). */
int	 search_run(struct search *s, size_t r);

/* ------------------------------------------------------------- cert.c */

/* cert_build: the certificate of the finished search s as JSON into
 * *certp (length *lenp), freed by the caller with
 * stats_certificate_free. Returns 0, or -1 on no memory (logged). */
int	 cert_build(struct search *s, char **certp, size_t *lenp);

/* ----------------------------------------------------------- render.c */

/* render_meta_ok: 1 if the release metadata m is well-formed; else 0,
 * logged. */
int	 render_meta_ok(const struct stats_meta *m);

#endif /* MELDPUNT_STATS_INT_H */
