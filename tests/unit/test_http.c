/*
 * test_http.c - raw path checks, route matching, and the static files' choice
 * of content coding (Accept-Encoding) and If-None-Match matching.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "http.h"
#include "static.h"

static int
valid(const char *p)
{
	return http_path_valid(p, strlen(p));
}

static void
ordinary_paths_valid(void **state)
{
	(void)state;
	assert_true(valid("/"));
	assert_true(valid("/api/v1/desk"));
	assert_true(valid("/assets/app-1.2.js"));
	assert_true(valid("/api/v1/adviser/cases/AbC_-09"));
}

static void
dot_dot_rejected(void **state)
{
	(void)state;
	assert_false(valid("/../etc/passwd"));
	assert_false(valid("/assets/..%2f"));
	assert_false(valid("/a/.."));
}

static void
percent_and_nul_rejected(void **state)
{
	(void)state;
	assert_false(valid("/api/v1/desk%00"));
	assert_false(http_path_valid("/api\0x", 6));
	assert_false(valid("/a b"));
	assert_false(valid("relative"));
	assert_false(valid(""));
}

static void
double_slash_and_long_paths_rejected(void **state)
{
	char	 long_path[4002];

	(void)state;
	assert_false(valid("//api/v1/desk"));
	memset(long_path, '/', sizeof(long_path) - 1);
	long_path[sizeof(long_path) - 1] = '\0';
	assert_false(valid(long_path));
	memset(long_path, 'a', 600);
	long_path[0] = '/';
	long_path[600] = '\0';
	assert_false(valid(long_path));
}

static void
route_params_captured(void **state)
{
	const char	*params[HTTP_MAX_PARAMS] = { 0 };
	char		 buf[128];

	(void)state;
	assert_true(http_route_match("/api/v1/adviser/cases/{}/notes",
	    "/api/v1/adviser/cases/abc/notes", params, buf, sizeof(buf)));
	assert_string_equal(params[0], "abc");
	assert_true(http_route_match("/a/{}/b/{}", "/a/x/b/yz", params, buf,
	    sizeof(buf)));
	assert_string_equal(params[0], "x");
	assert_string_equal(params[1], "yz");
}

static void
route_anchored(void **state)
{
	const char	*params[HTTP_MAX_PARAMS];
	char		 buf[128];

	(void)state;
	assert_false(http_route_match("/api/v1/desk", "/api/v1/desk/x", params,
	    buf, sizeof(buf)));
	assert_false(http_route_match("/api/v1/desk", "/api/v1/des", params,
	    buf, sizeof(buf)));
	assert_false(http_route_match("/a/{}", "/a/", params, buf, sizeof(buf)));
	assert_false(http_route_match("/a/{}", "/a/x/y", params, buf,
	    sizeof(buf)));
}

static void
route_param_too_long_for_buffer(void **state)
{
	const char	*params[HTTP_MAX_PARAMS];
	char		 buf[4];

	(void)state;
	assert_false(http_route_match("/a/{}", "/a/abcdef", params, buf,
	    sizeof(buf)));
}

#define BOTH	(STATIC_HAVE(STATIC_GZIP) | STATIC_HAVE(STATIC_BR))
#define GZ	STATIC_HAVE(STATIC_GZIP)

static void
coding_absent_or_empty_is_identity(void **state)
{
	(void)state;
	assert_int_equal(static_choose_coding(NULL, BOTH), STATIC_IDENTITY);
	assert_int_equal(static_choose_coding("", BOTH), STATIC_IDENTITY);
	assert_int_equal(static_choose_coding("  ,, ", BOTH), STATIC_IDENTITY);
	assert_int_equal(static_choose_coding("identity", BOTH),
	    STATIC_IDENTITY);
	assert_int_equal(static_choose_coding("deflate, zstd", BOTH),
	    STATIC_IDENTITY);
}

static void
coding_browsers_get_br(void **state)
{
	(void)state;
	assert_int_equal(static_choose_coding("gzip, deflate, br, zstd", BOTH),
	    STATIC_BR);
	assert_int_equal(static_choose_coding("gzip, deflate, br", GZ),
	    STATIC_GZIP);
	assert_int_equal(static_choose_coding("gzip, deflate, br", 0),
	    STATIC_IDENTITY);
	assert_int_equal(static_choose_coding("GZip", BOTH), STATIC_GZIP);
	assert_int_equal(static_choose_coding("x-gzip", BOTH), STATIC_GZIP);
	assert_int_equal(static_choose_coding("BR", BOTH), STATIC_BR);
}

static void
coding_weights_decide(void **state)
{
	(void)state;
	assert_int_equal(static_choose_coding("br;q=0.5, gzip;q=0.8", BOTH),
	    STATIC_GZIP);
	assert_int_equal(static_choose_coding("br ; Q=0.9 ,gzip;q=0.899",
	    BOTH), STATIC_BR);
	assert_int_equal(static_choose_coding("gzip;q=1.000, br;q=1", BOTH),
	    STATIC_BR);
	/* identity not named comes last; named, it has its weight */
	assert_int_equal(static_choose_coding("gzip;q=0.5", BOTH),
	    STATIC_GZIP);
	assert_int_equal(static_choose_coding("gzip;q=0.001", BOTH),
	    STATIC_GZIP);
	assert_int_equal(static_choose_coding("gzip;q=0.5, identity;q=0.1",
	    BOTH), STATIC_GZIP);
	assert_int_equal(static_choose_coding("gzip;q=0.5, identity", BOTH),
	    STATIC_IDENTITY);
	/* "*" stands for what is not named, identity too */
	assert_int_equal(static_choose_coding("*", BOTH), STATIC_BR);
	assert_int_equal(static_choose_coding("*;q=0.2, gzip;q=0.3", BOTH),
	    STATIC_GZIP);
	assert_int_equal(static_choose_coding("br;q=0.2, *", BOTH), STATIC_GZIP);
}

static void
coding_q0_refuses_and_falls_back(void **state)
{
	(void)state;
	assert_int_equal(static_choose_coding("br;q=0, gzip", BOTH),
	    STATIC_GZIP);
	assert_int_equal(static_choose_coding("br;q=0, gzip;q=0.000", BOTH),
	    STATIC_IDENTITY);
	assert_int_equal(static_choose_coding("*;q=0", BOTH), STATIC_IDENTITY);
	assert_int_equal(static_choose_coding("identity;q=0, gzip", BOTH),
	    STATIC_GZIP);
	/* nothing acceptable at hand: identity all the same */
	assert_int_equal(static_choose_coding("identity;q=0, br", GZ),
	    STATIC_IDENTITY);
	assert_int_equal(static_choose_coding("*;q=0, identity", BOTH),
	    STATIC_IDENTITY);
}

static void
coding_malformed_elements_ignored(void **state)
{
	(void)state;
	/* bad weights: the element counts as absent */
	assert_int_equal(static_choose_coding("br;q=2, gzip", BOTH),
	    STATIC_GZIP);
	assert_int_equal(static_choose_coding("br;q=0.5555, gzip;q=0.1",
	    BOTH), STATIC_GZIP);
	assert_int_equal(static_choose_coding("br;q=, gzip;q=.5", BOTH),
	    STATIC_IDENTITY);
	assert_int_equal(static_choose_coding("br;level=3", BOTH),
	    STATIC_IDENTITY);
	assert_int_equal(static_choose_coding("br gzip", BOTH),
	    STATIC_IDENTITY);
	assert_int_equal(static_choose_coding("\"br\", gzip", BOTH),
	    STATIC_GZIP);
	assert_int_equal(static_choose_coding("brotli, gzipx, gz", BOTH),
	    STATIC_IDENTITY);
	/* a coding named twice: the first says */
	assert_int_equal(static_choose_coding("br;q=0, br", BOTH),
	    STATIC_IDENTITY);
}

static void
etag_lists_match_weakly(void **state)
{
	(void)state;
	assert_true(static_etag_matches("\"abc\"", "\"abc\""));
	assert_true(static_etag_matches("W/\"abc\"", "\"abc\""));
	assert_true(static_etag_matches("\"abc\"", "W/\"abc\""));
	assert_true(static_etag_matches("\"x\", \"abc\"", "\"abc\""));
	assert_true(static_etag_matches("\"x\",W/\"abc\" ,\"y\"", "\"abc\""));
	assert_true(static_etag_matches("*", "\"abc\""));
	assert_true(static_etag_matches("  * ", "\"abc\""));
	assert_true(static_etag_matches("\"\"", "\"\""));
}

static void
etag_others_do_not_match(void **state)
{
	(void)state;
	assert_false(static_etag_matches("\"abcd\"", "\"abc\""));
	assert_false(static_etag_matches("\"ab\"", "\"abc\""));
	assert_false(static_etag_matches("\"ABC\"", "\"abc\""));
	assert_false(static_etag_matches("\"abc-gz\"", "\"abc\""));
	assert_false(static_etag_matches("", "\"abc\""));
	assert_false(static_etag_matches("abc", "\"abc\""));
	assert_false(static_etag_matches(NULL, "\"abc\""));
	assert_false(static_etag_matches("w/\"abc\"", "\"abc\""));
	/* malformed lists end the match before a later tag */
	assert_false(static_etag_matches("\"x\" junk, \"abc\"", "\"abc\""));
	assert_false(static_etag_matches("\"x, \"abc\"", "\"abc\""));
	assert_false(static_etag_matches("\"a\"bc\"", "\"abc\""));
	assert_false(static_etag_matches("*, \"abc\"", "\"abc\""));
	assert_false(static_etag_matches("\"abc\"", "abc"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ordinary_paths_valid),
		cmocka_unit_test(dot_dot_rejected),
		cmocka_unit_test(percent_and_nul_rejected),
		cmocka_unit_test(double_slash_and_long_paths_rejected),
		cmocka_unit_test(route_params_captured),
		cmocka_unit_test(route_anchored),
		cmocka_unit_test(route_param_too_long_for_buffer),
		cmocka_unit_test(coding_absent_or_empty_is_identity),
		cmocka_unit_test(coding_browsers_get_br),
		cmocka_unit_test(coding_weights_decide),
		cmocka_unit_test(coding_q0_refuses_and_falls_back),
		cmocka_unit_test(coding_malformed_elements_ignored),
		cmocka_unit_test(etag_lists_match_weakly),
		cmocka_unit_test(etag_others_do_not_match),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
