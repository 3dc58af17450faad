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

/* Loads with one contact setting from the environment → config_load's result. */
static int
load_with_contact(const char *var, const char *value)
{
	struct config	cfg;
	int		rc;

	setenv(var, value, 1);
	rc = config_load(&cfg, NULL);
	if (rc == 0)
		config_free(&cfg);
	unsetenv(var);
	return rc;
}

static void
contact_settings_checked_at_load(void **state)
{
	struct config cfg;

	(void)state;
	assert_int_equal(config_load(&cfg, NULL), 0);
	assert_string_equal(cfg.contact_email, "");
	assert_string_equal(cfg.contact_phone, "");
	assert_string_equal(cfg.contact_url, "");
	config_free(&cfg);
	assert_int_equal(load_with_contact("MELDPUNT_CONTACT_EMAIL",
	    "meldpunt@example.nl"), 0);
	assert_int_equal(load_with_contact("MELDPUNT_CONTACT_PHONE",
	    "+31 (0)70 123 45 67"), 0);
	assert_int_equal(load_with_contact("MELDPUNT_CONTACT_URL",
	    "https://www.example.nl/meldpunt"), 0);
	assert_int_equal(load_with_contact("MELDPUNT_CONTACT_EMAIL",
	    "no-at-sign.example.nl"), -1);
	assert_int_equal(load_with_contact("MELDPUNT_CONTACT_EMAIL",
	    "a@b@example.nl"), -1);
	assert_int_equal(load_with_contact("MELDPUNT_CONTACT_EMAIL",
	    "a@localhost"), -1);
	assert_int_equal(load_with_contact("MELDPUNT_CONTACT_EMAIL",
	    "a b@example.nl"), -1);
	assert_int_equal(load_with_contact("MELDPUNT_CONTACT_EMAIL",
	    "<script>@example.nl"), -1);
	assert_int_equal(load_with_contact("MELDPUNT_CONTACT_PHONE",
	    "call us"), -1);
	assert_int_equal(load_with_contact("MELDPUNT_CONTACT_PHONE", "112"),
	    -1);
	assert_int_equal(load_with_contact("MELDPUNT_CONTACT_URL",
	    "http://www.example.nl/"), -1);
	assert_int_equal(load_with_contact("MELDPUNT_CONTACT_URL",
	    "javascript:alert(1)"), -1);
	assert_int_equal(load_with_contact("MELDPUNT_CONTACT_URL",
	    "https://"), -1);
	assert_int_equal(load_with_contact("MELDPUNT_CONTACT_URL",
	    "https://example.nl/\"x"), -1);
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
		cmocka_unit_test(contact_settings_checked_at_load),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
