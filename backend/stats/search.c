/*
 * search.c - the witness search: targets of a run, finding and reusing
 * witnesses, the final re-check.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "stats.h"
#include "stats_int.h"

/* ------------------------------------------------------------- search */

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

void
search_witness_clear(struct witness *w)
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
		search_witness_clear(&w);
		return -1;
	}
	if (search_cover_add(&w, r) == -1) {
		search_witness_clear(&w);
		return -1;
	}
	if (s->nwit == s->capwit) {
		struct witness	*nw = NULL;
		size_t		 ncap = s->capwit ? 2 * s->capwit : 64;

		if (ncap > SIZE_MAX / sizeof(*nw) ||
		    (nw = realloc(s->wit, ncap * sizeof(*nw))) == NULL) {
			search_witness_clear(&w);
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
int
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

int
search_run(struct search *s, size_t r)
{
	size_t	ti;
	int	rc = -1;

	run_apply(s->net, &s->runs[r]);
	if (search_targets(s, r) == -1)
		goto done;
	for (ti = 0; ti < s->ntargets; ti++)
		if (search_target(s, r, ti) == -1)
			goto done;
	rc = 0;
done:
	run_unapply(s->net, &s->runs[r]);
	return rc;
}
