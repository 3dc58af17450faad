/*
 * run.c - runs: one per distinct scope, and shifting the network to
 * what a run's holder cannot see.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "log.h"
#include "stats.h"
#include "stats_int.h"

/* --------------------------------------------------------------- runs */

/* ------------------------------------------------------------- search */
void
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
 * run_all: run 0 and one run per distinct scope that needs one,
 * sorted and deduplicated.
 */
int
run_all(struct search *s)
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
 * run_apply: shift the network to what run r's holder cannot see: each of
 * its organisations keeps only its hidden cases, and one with none left
 * is fixed. run_unapply undoes it. Both cost the organisations' cells.
 */
void
run_apply(struct net *n, const struct run *r)
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

void
run_unapply(struct net *n, const struct run *r)
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
