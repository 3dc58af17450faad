/* test_config.c - settings: defaults, bounds, unknown keys, environment. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"

static void
defaults_are_safe(void **state)
{
	struct config cfg;

	(void)state;
	unsetenv("MELDPUNT_LISTEN");
	assert_int_equal(config_load(&cfg, NULL), 0);
	assert_string_equal(cfg.listen, "127.0.0.1:8080");
	assert_int_equal(cfg.json_bytes, 1048576);
	assert_int_equal(cfg.attachment_bytes, 25 * 1048576);
	assert_int_equal(cfg.case_bytes, 100 * 1048576);
	assert_int_equal(cfg.stats_k, 5);
	assert_int_equal(cfg.reporter_login_failures, 30);
	config_free(&cfg);
}

static void
environment_overrides_default(void **state)
{
	struct config cfg;

	(void)state;
	setenv("MELDPUNT_LISTEN", "127.0.0.1:9999", 1);
	assert_int_equal(config_load(&cfg, NULL), 0);
	assert_string_equal(cfg.listen, "127.0.0.1:9999");
	config_free(&cfg);
	unsetenv("MELDPUNT_LISTEN");
}

static void
unknown_key_rejected(void **state)
{
	struct config cfg;

	(void)state;
	assert_int_equal(config_load(&cfg, NULL), 0);
	assert_int_equal(config_set(&cfg, "document_root", "/"), -1);
	config_free(&cfg);
}

static void
out_of_range_number_rejected(void **state)
{
	struct config cfg;

	(void)state;
	assert_int_equal(config_load(&cfg, NULL), 0);
	assert_int_equal(config_set(&cfg, "threads", "0"), -1);
	assert_int_equal(config_set(&cfg, "threads", "12x"), -1);
	assert_int_equal(config_set(&cfg, "stats_k", "1"), -1);
	assert_int_equal(config_set(&cfg, "reporter_login_failures", "0"), -1);
	assert_int_equal(config_set(&cfg, "threads", "8"), 0);
	assert_int_equal(cfg.threads, 8);
	config_free(&cfg);
}

static void
bad_environment_fails_load(void **state)
{
	struct config cfg;

	(void)state;
	setenv("MELDPUNT_JSON_BYTES", "-1", 1);
	assert_int_equal(config_load(&cfg, NULL), -1);
	unsetenv("MELDPUNT_JSON_BYTES");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults_are_safe),
		cmocka_unit_test(environment_overrides_default),
		cmocka_unit_test(unknown_key_rejected),
		cmocka_unit_test(out_of_range_number_rejected),
		cmocka_unit_test(bad_environment_fails_load),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
