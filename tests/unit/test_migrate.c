/* test_migrate.c - migration and function file names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "migrate.h"

static void
numbered_names_parsed(void **state)
{
	(void)state;
	assert_int_equal(migrate_version("0001_schema.sql"), 1);
	assert_int_equal(migrate_version("0042_more.sql"), 42);
}

static void
other_names_ignored(void **state)
{
	(void)state;
	assert_int_equal(migrate_version("README.md"), -1);
	assert_int_equal(migrate_version("001_x.sql"), -1);
	assert_int_equal(migrate_version("0001_x.sql~"), -1);
	assert_int_equal(migrate_version("00a1_x.sql"), -1);
	assert_int_equal(migrate_version("0001.sql"), -1);
}

static void
function_files_are_sql_files(void **state)
{
	(void)state;
	assert_int_equal(migrate_function_file("meldpunt_tier.sql"), 1);
	assert_int_equal(migrate_function_file("0001_x.sql"), 1);
	assert_int_equal(migrate_function_file(".sql"), 0);
	assert_int_equal(migrate_function_file(".#meldpunt_tier.sql"), 0);
	assert_int_equal(migrate_function_file("meldpunt_tier.sql~"), 0);
	assert_int_equal(migrate_function_file("README.md"), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(numbered_names_parsed),
		cmocka_unit_test(other_names_ignored),
		cmocka_unit_test(function_files_are_sql_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
