/*
 * fuzz_http_path.c - a request target through what http_dispatch does
 * with it (backend/http/http.c): http_path_valid on the part before '?', then
 * http_route_match against the route patterns.
 *
 * Checks, besides memory safety:
 *   - http_path_valid agrees with the rule of http.h, restated here:
 *     1 to 512 bytes, a leading '/', only [A-Za-z0-9._~/-], no ".." and
 *     no "//";
 *   - a match captures one non-empty segment without '/' per "{}", and
 *     putting the captures back into the pattern gives the path again;
 *   - matching any C string, valid or not, into a small buffer stays in
 *     bounds, and a match there is a match with room to spare.
 */
#include <string.h>

#include "fuzz.h"
#include "http.h"

/*
 * The shapes of the route table in backend/cmd/main.c, then as many captures
 * as HTTP_MAX_PARAMS allows and one more (which must never match). The
 * checks hold for any pattern; these make the fuzzer reach the real ones.
 */
static const char *const patterns[] = {
	"/healthz",
	"/api/v1/desk",
	"/api/v1/challenges",
	"/api/v1/reports",
	"/api/v1/reporter/session",
	"/api/v1/reporter/case/messages",
	"/api/v1/reporter/case/attachments/{}",
	"/api/v1/adviser/totp/confirm",
	"/api/v1/adviser/cases/{}",
	"/api/v1/adviser/cases/{}/messages",
	"/api/v1/adviser/cases/{}/attachments/{}",
	"/api/v1/admin/accounts/{}/certificate",
	"/api/v1/adviser/recovery-exports/{}/import",
	"/api/v1/stats/releases/{}",
	"/{}/{}/{}/{}",
	"/{}/{}/{}/{}/{}",
};

#define NPATTERNS	(sizeof(patterns) / sizeof(patterns[0]))
#define PATH_BYTES	512	/* http.h: "at most 512 bytes" */

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

/* The rule of http.h, written independently of http.c. */
static int
reference_valid(const char *p, size_t len)
{
	static const char	allowed[] = "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._~/-";
	size_t			i;

	if (len < 1 || len > PATH_BYTES || p[0] != '/')
		return 0;
	for (i = 0; i < len; i++)
		if (p[i] == '\0' || strchr(allowed, p[i]) == NULL)
			return 0;
	for (i = 0; i + 1 < len; i++)
		if ((p[i] == '.' && p[i + 1] == '.') ||
		    (p[i] == '/' && p[i + 1] == '/'))
			return 0;
	return 1;
}

/* A match of path against pattern must give the path back. */
static void
check_match(const char *pattern, const char *path, const char **params)
{
	const char	*piece;
	char		*back;
	size_t		 len = strlen(path), used = 0, n, np = 0;

	FUZZ_CHECK((back = malloc(len + 1)) != NULL);
	while (*pattern != '\0') {
		if (pattern[0] == '{' && pattern[1] == '}') {
			FUZZ_CHECK(np < HTTP_MAX_PARAMS && params[np] != NULL);
			piece = params[np++];
			n = strlen(piece);
			FUZZ_CHECK(n > 0 && strchr(piece, '/') == NULL);
			pattern += 2;
		} else {
			piece = pattern++;
			n = 1;
		}
		FUZZ_CHECK(used + n <= len);
		memcpy(back + used, piece, n);
		used += n;
	}
	back[used] = '\0';
	FUZZ_CHECK(strcmp(back, path) == 0);
	free(back);
}

/*
 * Match path against every pattern, into a buffer with room for every
 * capture and into one of 8 bytes: a match in the small one is one in the
 * large one too.
 */
static void
match_all(const char *path)
{
	const char	*params[HTTP_MAX_PARAMS];
	char		*buf, small[8];
	size_t		 i, bufsz = strlen(path) + HTTP_MAX_PARAMS;
	int		 big;

	if ((buf = malloc(bufsz)) == NULL)
		return;
	for (i = 0; i < NPATTERNS; i++) {
		memset(params, 0, sizeof(params));
		if ((big = http_route_match(patterns[i], path, params, buf,
		    bufsz)))
			check_match(patterns[i], path, params);
		memset(params, 0, sizeof(params));
		if (http_route_match(patterns[i], path, params, small,
		    sizeof(small))) {
			FUZZ_CHECK(big);
			check_match(patterns[i], path, params);
		}
	}
	free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*q;
	char		*target;
	size_t		 len;

	/* CivetWeb's request_uri: a C string, the query not yet cut off. */
	if ((target = malloc(size + 1)) == NULL)
		return 0;
	memcpy(target, data, size);
	target[size] = '\0';
	q = strchr(target, '?');
	len = q != NULL ? (size_t)(q - target) : strlen(target);

	FUZZ_CHECK(http_path_valid(target, len) ==
	    reference_valid(target, len));
	/* Whatever the string: the matcher stays in bounds. */
	match_all(target);
	/* What http_dispatch matches: a valid path, the query cut off. */
	if (http_path_valid(target, len)) {
		target[len] = '\0';
		match_all(target);
	}
	free(target);
	return 0;
}
