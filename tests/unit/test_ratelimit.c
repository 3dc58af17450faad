/*
 * test_ratelimit.c - per-client failure counters (SPEC section 4): five
 * failures per window, then a wait until the window ends; a success resets;
 * keys differ per address and per scope and change with the day; a flood
 * of new keys never shortens a wait (issue 13.12), at the price of its own
 * bucket.
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

/* The key of (addr, scope) at T0. */
static void
key_of(struct ratelimit *rl, const char *addr, const char *scope,
    unsigned char k[RATELIMIT_KEY_BYTES])
{
	assert_int_equal(ratelimit_key(rl, T0, addr,
	    (const unsigned char *)scope, strlen(scope), k), 0);
}

static void
fail_n(struct ratelimit *rl, const unsigned char *k, int n, time_t at)
{
	while (n-- > 0)
		ratelimit_fail(rl, k, at);
}

/*
 * Issue 13.12: a flood of fresh keys -- from 20,000 other clients, and from
 * the victim's own client under 20,000 other scopes (one per email at staff
 * login) -- each failing up to the limit, does not end the victim's wait.
 */
static void
a_flood_of_new_keys_leaves_a_blocked_counter_blocking(void **state)
{
	struct ratelimit	*rl = ratelimit_new(64, 5, 900);
	unsigned char		 victim[RATELIMIT_KEY_BYTES];
	unsigned char		 k[RATELIMIT_KEY_BYTES];
	char			 name[32];
	int			 i;

	(void)state;
	assert_non_null(rl);
	key_of(rl, "192.0.2.1", "victim", victim);
	fail_n(rl, victim, 5, T0);
	assert_int_equal(ratelimit_retry_after(rl, victim, T0 + 1), 899);
	for (i = 0; i < 20000; i++) {
		snprintf(name, sizeof(name), "10.%d.%d.%d", i >> 16,
		    (i >> 8) & 255, i & 255);
		key_of(rl, name, "victim", k);
		fail_n(rl, k, 5, T0 + 1);
	}
	assert_true(ratelimit_retry_after(rl, victim, T0 + 100) >= 800);
	for (i = 0; i < 20000; i++) {
		snprintf(name, sizeof(name), "email %d", i);
		key_of(rl, "192.0.2.1", name, k);
		fail_n(rl, k, 1 + i % 5, T0 + 2);
	}
	assert_true(ratelimit_retry_after(rl, victim, T0 + 100) >= 800);
	assert_true(ratelimit_retry_after(rl, victim, T0 + 899) >= 1);
	/* At most one window after the last failure, it may try again. */
	assert_int_equal(ratelimit_retry_after(rl, victim, T0 + 902), 0);
	ratelimit_free(rl);
}

/*
 * A counter given up while live is not forgotten: its key counts on from
 * the bucket's floor, so three failures, a flood, and two more still block.
 * One bucket (8 slots) makes the giving up certain.
 */
static void
a_counter_given_up_counts_on_from_the_floor(void **state)
{
	struct ratelimit	*rl = ratelimit_new(RATELIMIT_WAYS, 5, 900);
	unsigned char		 victim[RATELIMIT_KEY_BYTES];
	unsigned char		 k[RATELIMIT_KEY_BYTES];
	char			 name[32];
	int			 i;

	(void)state;
	assert_non_null(rl);
	key_of(rl, "192.0.2.1", "a", victim);
	fail_n(rl, victim, 3, T0);
	for (i = 0; i < RATELIMIT_WAYS; i++) {	/* the last one evicts */
		snprintf(name, sizeof(name), "198.51.100.%d", i);
		key_of(rl, name, "a", k);
		fail_n(rl, k, 4, T0 + 1);
		/* Four failures of a new key never block on their own. */
		assert_int_equal(ratelimit_retry_after(rl, k, T0 + 1), 0);
	}
	assert_int_equal(ratelimit_retry_after(rl, victim, T0 + 2), 0);
	fail_n(rl, victim, 2, T0 + 2);
	assert_true(ratelimit_retry_after(rl, victim, T0 + 3) > 0);
	ratelimit_free(rl);
}

/*
 * The price, in one bucket: once it has given up a blocking counter, a key
 * it has never seen waits until that counter's window ends.
 */
static void
a_bucket_that_gave_up_a_blocking_counter_makes_new_keys_wait(void **state)
{
	struct ratelimit	*rl = ratelimit_new(RATELIMIT_WAYS, 5, 900);
	unsigned char		 k[RATELIMIT_WAYS + 1][RATELIMIT_KEY_BYTES];
	unsigned char		 fresh[RATELIMIT_KEY_BYTES];
	char			 name[32];
	int			 i;

	(void)state;
	assert_non_null(rl);
	for (i = 0; i <= RATELIMIT_WAYS; i++) {
		snprintf(name, sizeof(name), "198.51.100.%d", i);
		key_of(rl, name, "a", k[i]);
		fail_n(rl, k[i], 5, T0 + i);
	}
	for (i = 0; i <= RATELIMIT_WAYS; i++)
		assert_true(ratelimit_retry_after(rl, k[i], T0 + 20) > 0);
	key_of(rl, "203.0.113.1", "a", fresh);
	assert_int_equal(ratelimit_retry_after(rl, fresh, T0 + 20), 880);
	assert_int_equal(ratelimit_retry_after(rl, fresh, T0 + 900), 0);
	ratelimit_free(rl);
}

/*
 * Every key of one client, and every client of one IPv6 /64, lives in one
 * bucket: a flood of them closes that bucket (two of eight here), not the
 * table. Of 100 other clients about 3 in 4 are still served; fewer than 40
 * would mean the floods reached other buckets (by chance: odds below 1e-13).
 */
static void
one_clients_flood_stays_in_its_bucket(void **state)
{
	struct ratelimit	*rl = ratelimit_new(64, 5, 900);
	unsigned char		 k[RATELIMIT_KEY_BYTES];
	char			 name[48];
	int			 i, served = 0;

	(void)state;
	assert_non_null(rl);
	for (i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "email %d", i);
		key_of(rl, "192.0.2.66", name, k);
		fail_n(rl, k, 5, T0);
		snprintf(name, sizeof(name), "2001:db8:1:2::%x", i + 1);
		key_of(rl, name, "a", k);
		fail_n(rl, k, 5, T0);
	}
	key_of(rl, "192.0.2.66", "fresh", k);
	assert_true(ratelimit_retry_after(rl, k, T0 + 1) > 0);
	key_of(rl, "2001:db8:1:2:ab:cd:ef:1", "a", k);
	assert_true(ratelimit_retry_after(rl, k, T0 + 1) > 0);
	for (i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "203.0.113.%d", i);
		key_of(rl, name, "a", k);
		served += ratelimit_retry_after(rl, k, T0 + 1) == 0;
	}
	assert_true(served >= 40);
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
		cmocka_unit_test(a_flood_of_new_keys_leaves_a_blocked_counter_blocking),
		cmocka_unit_test(a_counter_given_up_counts_on_from_the_floor),
		cmocka_unit_test(a_bucket_that_gave_up_a_blocking_counter_makes_new_keys_wait),
		cmocka_unit_test(one_clients_flood_stays_in_its_bucket),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
