/*
 * net.c - the flow network of a cube: its layout, building it, binding
 * a release (stats.c says how it works).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "log.h"
#include "stats.h"
#include "stats_int.h"

/* ------------------------------------------------------------ network */

static size_t
net_node_in(const struct net *n, size_t l, size_t a)
{
	return 2 + 2 * (n->off[l] + a);
}

size_t
net_arc_int(const struct net *n, size_t l, size_t a)
{
	return n->int_base + n->off[l] + a;
}

size_t
net_arc_inter(const struct net *n, size_t l, size_t a, size_t b)
{
	return n->inter_base[l] + a * n->size[l + 1] + b;
}

/* net_value_arc: the arc carrying value v of family (rd, cd). */
size_t
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
void
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

void
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
 * run_apply and back with run_unapply, so all runs share one network.
 */
struct net *
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
void
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
