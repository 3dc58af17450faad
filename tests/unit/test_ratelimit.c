/*
 * test_ratelimit.c - per-client failure counters (SPEC section 4): five
 * failures per window, then a wait until the window ends; a success resets;
 * keys differ per address and per scope and change with the day.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "ratelimit.h"

#define T0	((time_t)1800000000)	/* a UTC day boundary + 0 */

static void
sixth_attempt_waits_until_window_ends(void **state)
{
	struct ratelimit	*rl = ratelimit_new(64, 5, 900);
	unsigned char		 k[RATELIMIT_KEY_BYTES];
	int			 i;

	(void)state;
	assert_non_null(rl);
	assert_int_equal(ratelimit_key(rl, T0, "192.0.2.1",
	    (const unsigned char *)"a", 1, k), 0);
	for (i = 0; i < 5; i++) {
		assert_int_equal(ratelimit_retry_after(rl, k, T0 + i), 0);
		ratelimit_fail(rl, k, T0 + i);
	}
	assert_int_equal(ratelimit_retry_after(rl, k, T0 + 10), 890);
	assert_int_equal(ratelimit_retry_after(rl, k, T0 + 899), 1);
	assert_int_equal(ratelimit_retry_after(rl, k, T0 + 900), 0);
	ratelimit_free(rl);
}

static void
success_resets(void **state)
{
	struct ratelimit	*rl = ratelimit_new(64, 5, 900);
	unsigned char		 k[RATELIMIT_KEY_BYTES];
	int			 i;

	(void)state;
	assert_int_equal(ratelimit_key(rl, T0, "192.0.2.1",
	    (const unsigned char *)"a", 1, k), 0);
	for (i = 0; i < 5; i++)
		ratelimit_fail(rl, k, T0);
	assert_true(ratelimit_retry_after(rl, k, T0) > 0);
	ratelimit_reset(rl, k);
	assert_int_equal(ratelimit_retry_after(rl, k, T0), 0);
	ratelimit_free(rl);
}

static void
keys_differ_by_address_scope_and_day(void **state)
{
	struct ratelimit	*rl = ratelimit_new(64, 5, 900);
	unsigned char		 a[RATELIMIT_KEY_BYTES], b[RATELIMIT_KEY_BYTES];
	unsigned char		 c[RATELIMIT_KEY_BYTES], d[RATELIMIT_KEY_BYTES];
	unsigned char		 e[RATELIMIT_KEY_BYTES];
	int			 i;

	(void)state;
	assert_int_equal(ratelimit_key(rl, T0, "192.0.2.1",
	    (const unsigned char *)"a", 1, a), 0);
	assert_int_equal(ratelimit_key(rl, T0, "192.0.2.2",
	    (const unsigned char *)"a", 1, b), 0);
	assert_int_equal(ratelimit_key(rl, T0, "192.0.2.1",
	    (const unsigned char *)"b", 1, c), 0);
	assert_int_equal(ratelimit_key(rl, T0 + 5, "192.0.2.1",
	    (const unsigned char *)"a", 1, e), 0);
	assert_memory_equal(a, e, sizeof(a));
	assert_memory_not_equal(a, b, sizeof(a));
	assert_memory_not_equal(a, c, sizeof(a));
	for (i = 0; i < 5; i++)
		ratelimit_fail(rl, a, T0);
	assert_int_equal(ratelimit_retry_after(rl, b, T0), 0);
	assert_int_equal(ratelimit_retry_after(rl, c, T0), 0);
	/* The next UTC day: a new key, and old counts are gone. */
	assert_int_equal(ratelimit_key(rl, T0 + 86400, "192.0.2.1",
	    (const unsigned char *)"a", 1, d), 0);
	assert_memory_not_equal(a, d, sizeof(a));
	assert_int_equal(ratelimit_retry_after(rl, a, T0 + 86400), 0);
	ratelimit_free(rl);
}

static void
a_full_table_evicts_the_oldest(void **state)
{
	struct ratelimit	*rl = ratelimit_new(2, 1, 900);
	unsigned char		 k[3][RATELIMIT_KEY_BYTES];
	char			 addr[16];
	int			 i;

	(void)state;
	for (i = 0; i < 3; i++) {
		snprintf(addr, sizeof(addr), "198.51.100.%d", i);
		assert_int_equal(ratelimit_key(rl, T0, addr,
		    (const unsigned char *)"a", 1, k[i]), 0);
		ratelimit_fail(rl, k[i], T0 + i);
	}
	assert_int_equal(ratelimit_retry_after(rl, k[0], T0 + 3), 0);
	assert_true(ratelimit_retry_after(rl, k[1], T0 + 3) > 0);
	assert_true(ratelimit_retry_after(rl, k[2], T0 + 3) > 0);
	ratelimit_free(rl);
	ratelimit_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sixth_attempt_waits_until_window_ends),
		cmocka_unit_test(success_resets),
		cmocka_unit_test(keys_differ_by_address_scope_and_day),
		cmocka_unit_test(a_full_table_evicts_the_oldest),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
