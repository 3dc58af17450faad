/*
 * net_flow.c - flows on the network: shortest residual paths, moving a
 * target arc, and turning a flow back into a finest table.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "stats.h"
#include "stats_int.h"

/* ------------------------------------------------------- network flow */

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
int
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

void
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
int
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
void
net_shift(struct net *n, size_t i, int64_t delta)
{
	size_t k;

	n->count[i] += delta;
	for (k = 0; k < n->plen; k++)
		n->flow0[n->path[i * n->plen + k]] += delta;
}
