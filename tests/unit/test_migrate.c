/* test_migrate.c - migration file names. */
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(numbered_names_parsed),
		cmocka_unit_test(other_names_ignored),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
