/*
 * test_ratelimit_threads.c - the rate counters (ratelimit.h: "Thread-safe")
 * hammered from several threads at once, as CivetWeb's workers use them:
 * every failure of a shared key is counted exactly once, each thread's own
 * key keeps its own count, and the day's key and table can be renewed
 * while others count. Built in every build; the ThreadSanitizer build runs
 * it as tsan_unit_test_ratelimit_threads, where a data race fails it.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "ratelimit.h"

#define T0		((time_t)1800000000)	/* a UTC day boundary */
#define THREADS		8
#define FAILS		400	/* per thread */
#define WINDOW		900

struct worker {
	pthread_t		 thread;
	pthread_barrier_t	*start;
	struct ratelimit	*rl;
	const unsigned char	*shared;
	int			 id;
	int			 day_change;	/* count across midnight */
	int			 resets;	/* reset own key every 100 */
	int			 errors;	/* ratelimit_key failures */
	unsigned char		 own[RATELIMIT_KEY_BYTES];
	unsigned int		 own_wait;	/* own key's wait at the end */
};

static const unsigned char scope[] = "login";

/* FAILS failures of the shared key and of this thread's own key. */
static void *
worker_run(void *arg)
{
	struct worker	*w = arg;
	unsigned char	*own = w->own;
	char		 addr[64];
	time_t		 now = T0;
	int		 i;

	(void)snprintf(addr, sizeof(addr), "2001:db8:%x::1", w->id);
	(void)pthread_barrier_wait(w->start);
	for (i = 0; i < FAILS; i++) {
		if (w->day_change)
			now = T0 - FAILS / 2 + i;	/* crosses midnight */
		if (ratelimit_key(w->rl, now, addr, scope, sizeof(scope) - 1,
		    own) != 0) {
			w->errors++;
			continue;
		}
		(void)ratelimit_retry_after(w->rl, own, now);
		ratelimit_fail(w->rl, own, now);
		if (w->shared != NULL) {
			(void)ratelimit_retry_after(w->rl, w->shared, now);
			ratelimit_fail(w->rl, w->shared, now);
		}
		if (w->resets && i % 100 == 99)
			ratelimit_reset(w->rl, own);
	}
	w->own_wait = ratelimit_retry_after(w->rl, own, now);
	return NULL;
}

/* Run THREADS workers on rl at once; returns after all have finished. */
static void
run_workers(struct worker *w, struct ratelimit *rl,
    const unsigned char *shared, int resets, int day_change)
{
	pthread_barrier_t	start;
	int			i;

	assert_int_equal(pthread_barrier_init(&start, NULL, THREADS), 0);
	for (i = 0; i < THREADS; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].start = &start;
		w[i].rl = rl;
		w[i].shared = shared;
		w[i].id = i;
		w[i].resets = resets;
		w[i].day_change = day_change;
		assert_int_equal(pthread_create(&w[i].thread, NULL, worker_run,
		    &w[i]), 0);
	}
	for (i = 0; i < THREADS; i++)
		assert_int_equal(pthread_join(w[i].thread, NULL), 0);
	assert_int_equal(pthread_barrier_destroy(&start), 0);
}

static void
every_failure_of_a_shared_key_is_counted_once(void **state)
{
	/* One more than all threads' failures together: blocks after one. */
	struct ratelimit	*rl = ratelimit_new(4096, THREADS * FAILS + 1,
				    WINDOW);
	struct worker		 w[THREADS];
	unsigned char		 shared[RATELIMIT_KEY_BYTES];
	int			 i;

	(void)state;
	assert_non_null(rl);
	assert_int_equal(ratelimit_key(rl, T0, "192.0.2.7", scope,
	    sizeof(scope) - 1, shared), 0);
	run_workers(w, rl, shared, 1, 0);
	for (i = 0; i < THREADS; i++) {
		assert_int_equal(w[i].errors, 0);
		assert_int_equal(w[i].own_wait, 0);	/* reset every 100 */
	}
	assert_int_equal(ratelimit_retry_after(rl, shared, T0), 0);
	ratelimit_fail(rl, shared, T0);
	assert_int_equal(ratelimit_retry_after(rl, shared, T0), WINDOW);
	ratelimit_free(rl);
}

static void
each_thread_keeps_its_own_count(void **state)
{
	/* One more than one thread's failures: blocks after one more. */
	struct ratelimit	*rl = ratelimit_new(4096, FAILS + 1, WINDOW);
	struct worker		 w[THREADS];
	int			 i;

	(void)state;
	assert_non_null(rl);
	run_workers(w, rl, NULL, 0, 0);
	for (i = 0; i < THREADS; i++) {
		assert_int_equal(w[i].errors, 0);
		assert_int_equal(w[i].own_wait, 0);
		ratelimit_fail(rl, w[i].own, T0);
		assert_int_equal(ratelimit_retry_after(rl, w[i].own, T0),
		    WINDOW);
	}
	ratelimit_free(rl);
}

static void
the_day_changes_while_threads_count(void **state)
{
	struct ratelimit	*rl = ratelimit_new(64, 5, WINDOW);
	struct worker		 w[THREADS];
	unsigned char		 k[RATELIMIT_KEY_BYTES];
	int			 i;

	(void)state;
	assert_non_null(rl);
	run_workers(w, rl, NULL, 0, 1);
	for (i = 0; i < THREADS; i++) {
		assert_int_equal(w[i].errors, 0);
		assert_true(w[i].own_wait <= WINDOW);
	}
	/* Still one coherent table: a new key of the new day starts at 0. */
	assert_int_equal(ratelimit_key(rl, T0 + 3600, "192.0.2.8", scope,
	    sizeof(scope) - 1, k), 0);
	assert_int_equal(ratelimit_retry_after(rl, k, T0 + 3600), 0);
	ratelimit_free(rl);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_failure_of_a_shared_key_is_counted_once),
		cmocka_unit_test(each_thread_keeps_its_own_count),
		cmocka_unit_test(the_day_changes_while_threads_count),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
