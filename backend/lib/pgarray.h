/*
 * pgarray.h - one-dimensional PostgreSQL arrays in the binary wire format,
 * so that many values travel as one statement parameter (a group of
 * submissions in one call). Elements are added one by one; a failed
 * allocation shows at pgarray_finish.
 */
#ifndef MELDPUNT_PGARRAY_H
#define MELDPUNT_PGARRAY_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* Element type OIDs (pg_type.h). */
#define PGARRAY_BYTEA	17U
#define PGARRAY_INT8	20U
#define PGARRAY_TEXT	25U

struct pgarray {
	struct buf	 out;		/* header space, then the elements */
	uint32_t	 elem_oid;
	uint32_t	 n;
	int		 has_null;
	int		 failed;
};

void	pgarray_init(struct pgarray *a, uint32_t elem_oid);
/* pgarray_add: one element of len bytes; p NULL adds SQL NULL. */
void	pgarray_add(struct pgarray *a, const void *p, size_t len);
void	pgarray_add_text(struct pgarray *a, const char *s);
void	pgarray_add_int8(struct pgarray *a, int64_t v);
/*
 * pgarray_finish: write the header; the array is then at
 * (a->out.data, a->out.len). 0, or -1 if anything failed.
 */
int	pgarray_finish(struct pgarray *a);
void	pgarray_free(struct pgarray *a);

#endif
