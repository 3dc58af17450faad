/* test_http.c - raw path checks and route matching. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "http.h"

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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
