/*
 * buf.c - growable buffers, wiped on release.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "buf.h"

static int
buf_reserve(struct buf *b, size_t n)
{
	size_t	 cap;
	char	*p;

	if (b->failed)
		return -1;
	if (n > BUF_MAX || b->len > BUF_MAX - n - 1) {
		b->failed = 1;
		return -1;
	}
	if (b->len + n + 1 <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < b->len + n + 1)
		cap *= 2;
	if ((p = malloc(cap)) == NULL) {
		b->failed = 1;
		return -1;
	}
	if (b->data != NULL) {
		memcpy(p, b->data, b->len);
		sodium_memzero(b->data, b->cap);
		free(b->data);
	}
	b->data = p;
	b->cap = cap;
	return 0;
}

void
buf_add(struct buf *b, const void *p, size_t n)
{
	if (n == 0 || buf_reserve(b, n) == -1)
		return;
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_add_hex(struct buf *b, const unsigned char *p, size_t n)
{
	if (n == 0 || n > BUF_MAX / 2 || buf_reserve(b, n * 2) == -1)
		return;
	sodium_bin2hex(b->data + b->len, n * 2 + 1, p, n);
	b->len += n * 2;
}

const char *
buf_cstr(struct buf *b)
{
	if (b->failed)
		return NULL;
	if (b->data == NULL && buf_reserve(b, 0) == -1)
		return NULL;
	b->data[b->len] = '\0';
	return b->data;
}

void
buf_free(struct buf *b)
{
	if (b->data != NULL) {
		sodium_memzero(b->data, b->cap);
		free(b->data);
	}
	b->data = NULL;
	b->len = b->cap = 0;
	b->failed = 0;
}
