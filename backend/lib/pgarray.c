/*
 * pgarray.c - binary one-dimensional arrays (array_recv's format):
 * ndim, has-null flag, element type, then for one dimension its length and
 * lower bound 1; then each element as a 32-bit length (-1 for NULL) and
 * its bytes. All integers big-endian.
 */
#include <string.h>

#include "pgarray.h"

/* The header's fields, 32 bits each, by their offset. */
#define PGARRAY_AT_NDIM		0
#define PGARRAY_AT_FLAGS	4
#define PGARRAY_AT_OID		8
#define PGARRAY_AT_DIM		12	/* length of the one dimension */
#define PGARRAY_AT_LBOUND	(PGARRAY_AT_DIM + 4)
#define PGARRAY_HEAD		(PGARRAY_AT_LBOUND + 4)

static void
pgarray_put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

void
pgarray_init(struct pgarray *a, uint32_t elem_oid)
{
	static const unsigned char head[PGARRAY_HEAD];

	memset(a, 0, sizeof(*a));
	a->elem_oid = elem_oid;
	buf_add(&a->out, head, sizeof(head));	/* filled in at finish */
}

void
pgarray_add(struct pgarray *a, const void *p, size_t len)
{
	unsigned char n[4];

	if (a->n == INT32_MAX || (p != NULL && len > INT32_MAX)) {
		a->failed = 1;
		return;
	}
	pgarray_put32(n, p == NULL ? UINT32_MAX : (uint32_t)len);
	buf_add(&a->out, n, sizeof(n));
	if (p != NULL)
		buf_add(&a->out, p, len);
	else
		a->has_null = 1;
	a->n++;
}

void
pgarray_add_text(struct pgarray *a, const char *s)
{
	pgarray_add(a, s, s == NULL ? 0 : strlen(s));
}

void
pgarray_add_int8(struct pgarray *a, int64_t v)
{
	unsigned char	b[8];
	uint64_t	u = (uint64_t)v;
	int		i;

	for (i = 7; i >= 0; i--, u >>= 8)
		b[i] = (unsigned char)u;
	pgarray_add(a, b, sizeof(b));
}

int
pgarray_finish(struct pgarray *a)
{
	unsigned char *h;

	if (a->failed || buf_cstr(&a->out) == NULL)
		return -1;
	h = (unsigned char *)a->out.data;
	pgarray_put32(h + PGARRAY_AT_NDIM, a->n > 0);
	pgarray_put32(h + PGARRAY_AT_FLAGS, (uint32_t)a->has_null);
	pgarray_put32(h + PGARRAY_AT_OID, a->elem_oid);
	pgarray_put32(h + PGARRAY_AT_DIM, a->n);
	pgarray_put32(h + PGARRAY_AT_LBOUND, 1);
	if (a->n == 0)
		a->out.len = PGARRAY_AT_DIM;	/* no dimensions */
	return 0;
}

void
pgarray_free(struct pgarray *a)
{
	buf_free(&a->out);
}
