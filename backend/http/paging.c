/*
 * paging.c - list paging parameters.
 */
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "paging.h"

#define PAGING_LIMIT_SIZE	16	/* the text of a limit, with its NUL */

static int
paging_id_valid(const char *s)
{
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			return 0;
	return 1;
}

int
paging_params(struct http_request *req, long long *limit, char *after,
    size_t aftersz)
{
	char	 text[PAGING_LIMIT_SIZE], *end;
	long	 n;

	*limit = PAGE_DEFAULT;
	after[0] = '\0';
	if (http_query_get(req, "limit", text, sizeof(text)) == 0) {
		n = strtol(text, &end, 10);
		if (end == text || *end != '\0' || n < 1 || n > PAGE_MAX) {
			http_send_error(req, 400, "invalid_field", "limit");
			return -1;
		}
		*limit = n;
	}
	if (http_query_get(req, "after", after, aftersz) == 0 &&
	    !paging_id_valid(after)) {
		after[0] = '\0';
		http_send_error(req, 400, "invalid_field", "after");
		return -1;
	}
	return 0;
}
