/*
 * paging.h - the ?limit= and ?after= of list endpoints (SPEC section 4):
 * limit 1..200, default 100; after an opaque id of the last item seen.
 */
#ifndef MELDPUNT_PAGING_H
#define MELDPUNT_PAGING_H

#include <stddef.h>

struct http_request;

#define PAGE_DEFAULT	100
#define PAGE_MAX	200

/*
 * paging_params: *limit and after (empty when absent; at most aftersz - 1
 * bytes of [A-Za-z0-9_-]). 0, or -1 after sending 400 invalid_field.
 */
int	paging_params(struct http_request *req, long long *limit, char *after,
	    size_t aftersz);

#endif
