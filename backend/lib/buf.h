/*
 * buf.h - a growable byte buffer for building texts of unknown length
 * (array literals, signed messages). A failed allocation marks the buffer
 * failed; later adds do nothing and buf_cstr returns NULL, so a builder
 * checks once at the end.
 */
#ifndef MELDPUNT_BUF_H
#define MELDPUNT_BUF_H

#include <stddef.h>

#define BUF_MAX	(256U << 20)	/* no builder needs more */

struct buf {
	char	*data;
	size_t	 len, cap;
	int	 failed;
};

#define BUF_INIT { NULL, 0, 0, 0 }

void	buf_add(struct buf *b, const void *p, size_t n);
void	buf_adds(struct buf *b, const char *s);
void	buf_add_hex(struct buf *b, const unsigned char *p, size_t n);
/* buf_cstr: the NUL-terminated contents, or NULL if anything failed. */
const char *buf_cstr(struct buf *b);
/* buf_free: wipe and release; the buffer may be reused after. */
void	buf_free(struct buf *b);

#endif
