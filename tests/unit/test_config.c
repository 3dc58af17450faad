/* test_config.c - settings: defaults, bounds, unknown keys, environment. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

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

static void
statistics_settings_are_typed_at_load(void **state)
{
	struct config cfg;

	(void)state;
	assert_int_equal(config_load(&cfg, NULL), 0);
	assert_int_equal(cfg.stats_method, CONFIG_STATS_SUPPRESSION);
	assert_int_equal(cfg.stats_epsilon.num, 2);
	assert_int_equal(cfg.stats_epsilon.den, 3);
	assert_int_equal(config_set(&cfg, "stats_method", "dp"), 0);
	assert_int_equal(cfg.stats_method, CONFIG_STATS_DP);
	assert_string_equal(config_stats_method_name(cfg.stats_method), "dp");
	assert_int_equal(config_set(&cfg, "stats_method", "DP"), -1);
	assert_int_equal(config_set(&cfg, "stats_method", "laplace"), -1);
	assert_int_equal(config_set(&cfg, "stats_epsilon", "1/2"), 0);
	assert_int_equal(cfg.stats_epsilon.num, 1);
	assert_int_equal(cfg.stats_epsilon.den, 2);
	assert_int_equal(config_set(&cfg, "stats_epsilon", "0.5"), -1);
	assert_int_equal(config_set(&cfg, "stats_epsilon", "0/2"), -1);
	assert_int_equal(config_set(&cfg, "stats_epsilon", "1/0"), -1);
	assert_int_equal(config_set(&cfg, "stats_epsilon", "1/2x"), -1);
	assert_int_equal(config_set(&cfg, "stats_epsilon", "-1/2"), -1);
	assert_int_equal(config_set(&cfg, "stats_epsilon", "1073741825/2"), -1);
	assert_int_equal(config_set(&cfg, "stats_epsilon", "1073741824/3"), 0);
	/* A refused value leaves the last good one. */
	assert_int_equal(cfg.stats_epsilon.num, 1073741824U);
	config_free(&cfg);
}

static void
trusted_proxies_are_addresses(void **state)
{
	struct config		cfg;
	struct config_addr	a;

	(void)state;
	assert_int_equal(config_load(&cfg, NULL), 0);
	assert_int_equal(cfg.trusted_proxies.n, 0);
	assert_int_equal(config_set(&cfg, "trusted_proxies",
	    " 10.0.0.1, ::1 ,fe80::1%eth0"), 0);
	assert_int_equal(cfg.trusted_proxies.n, 3);
	assert_int_equal(config_addr_parse("10.0.0.1", &a), 0);
	assert_int_equal(config_addrs_has(&cfg.trusted_proxies, &a), 1);
	/* The IPv4-mapped spelling of a listed IPv4 peer matches. */
	assert_int_equal(config_addr_parse("::ffff:10.0.0.1", &a), 0);
	assert_int_equal(a.family, AF_INET);
	assert_int_equal(config_addrs_has(&cfg.trusted_proxies, &a), 1);
	assert_int_equal(config_addr_parse("0:0:0:0:0:0:0:1", &a), 0);
	assert_int_equal(config_addrs_has(&cfg.trusted_proxies, &a), 1);
	assert_int_equal(config_addr_parse("10.0.0.2", &a), 0);
	assert_int_equal(config_addrs_has(&cfg.trusted_proxies, &a), 0);
	/* Names, ranges, empty entries and junk are refused whole. */
	assert_int_equal(config_set(&cfg, "trusted_proxies", "proxy.local"), -1);
	assert_int_equal(config_set(&cfg, "trusted_proxies", "10.0.0.0/8"), -1);
	assert_int_equal(config_set(&cfg, "trusted_proxies", "10.0.0.1,,::1"), -1);
	assert_int_equal(config_set(&cfg, "trusted_proxies", "10.0.0.1,"), -1);
	assert_int_equal(config_set(&cfg, "trusted_proxies", "10.0.0.256"), -1);
	assert_int_equal(cfg.trusted_proxies.n, 3);
	assert_int_equal(config_set(&cfg, "trusted_proxies", ""), 0);
	assert_int_equal(cfg.trusted_proxies.n, 0);
	config_free(&cfg);
}

static void
no_owner_connection_by_default(void **state)
{
	struct config cfg;

	(void)state;
	unsetenv("MELDPUNT_ADMIN_DATABASE");
	assert_int_equal(config_load(&cfg, NULL), 0);
	assert_null(cfg.admin_database);
	assert_int_equal(config_has_admin(&cfg), 0);
	assert_int_equal(config_set(&cfg, "admin_database", ""), 0);
	assert_int_equal(config_has_admin(&cfg), 0);
	assert_int_equal(config_set(&cfg, "admin_database", "dbname=x"), 0);
	assert_int_equal(config_has_admin(&cfg), 1);
	config_free(&cfg);
}

/* config_read counts every bad line of a file, not just the first. */
static void
every_problem_in_a_file_is_counted(void **state)
{
	struct config	 cfg;
	char		 path[] = "/tmp/test_config.XXXXXX";
	FILE		*fp;
	int		 fd;

	(void)state;
	assert_true((fd = mkstemp(path)) != -1);
	assert_non_null(fp = fdopen(fd, "w"));
	fprintf(fp, "# a comment\nthreads = 8\ndocument_root = /\n"
	    "no equals sign\nstats_method = laplace\n"
	    "trusted_proxies = localhost\nstats_k = 7\n");
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(config_read(&cfg, path), 4);
	/* The good lines took effect, before and after the bad ones. */
	assert_int_equal(cfg.threads, 8);
	assert_int_equal(cfg.stats_k, 7);
	config_free(&cfg);
	assert_int_equal(config_load(&cfg, path), -1);
	unlink(path);
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
		cmocka_unit_test(statistics_settings_are_typed_at_load),
		cmocka_unit_test(trusted_proxies_are_addresses),
		cmocka_unit_test(no_owner_connection_by_default),
		cmocka_unit_test(every_problem_in_a_file_is_counted),
		cmocka_unit_test(contact_settings_checked_at_load),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
