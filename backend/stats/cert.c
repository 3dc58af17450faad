/*
 * cert.c - the certificate of a release, written straight into one
 * wiped buffer.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "log.h"
#include "stats.h"
#include "stats_int.h"

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

int
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
