/*
 * maint.c - the maintenance thread: pruning (expired rows and counters). The
 * retention purge (which vacuums as the tables' owner) and the signing of
 * the daily audit heads (which writes the sink file) are jobs of their
 * own, "meldpuntd purge" and "meldpuntd audit sign", run by timers.
 */
#include <errno.h>
#include <pthread.h>
#include <time.h>

#include "db.h"
#include "log.h"
#include "maint.h"
#include "sizes.h"

#define MAINT_INTERVAL	60	/* seconds between rounds */

static pthread_t	 maint_thread;
static pthread_mutex_t	 maint_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t	 maint_wake = PTHREAD_COND_INITIALIZER;
static int		 maint_stopping;
static int		 maint_running;

static void
maint_prune(void)
{
	PGresult *res;

	if ((res = db_exec(DB_PRUNE, 0, NULL, NULL)) != NULL)
		PQclear(res);
}

/* The tasks of one round, in order. */
static void (*const maint_tasks[])(void) = {
	maint_prune,
};

static void
maint_round(void)
{
	size_t i;

	for (i = 0; i < nitems(maint_tasks); i++)
		maint_tasks[i]();
}

static void *
maint_main(void *arg)
{
	struct timespec	deadline;
	int		stop = 0;

	(void)arg;
	while (!stop) {
		if (clock_gettime(CLOCK_REALTIME, &deadline) != 0)
			break;
		deadline.tv_sec += MAINT_INTERVAL;
		if (pthread_mutex_lock(&maint_lock) != 0)
			break;
		while (!maint_stopping &&
		    pthread_cond_timedwait(&maint_wake, &maint_lock, &deadline) == 0)
			;
		stop = maint_stopping;
		(void)pthread_mutex_unlock(&maint_lock);
		if (!stop)
			maint_round();
	}
	db_thread_end();
	return NULL;
}

int
maint_start(void)
{
	/* The first round runs before serving. */
	maint_round();
	db_thread_end();
	if (pthread_create(&maint_thread, NULL, maint_main, NULL) != 0) {
		log_warnx("%s: cannot start the maintenance thread", __func__);
		return -1;
	}
	maint_running = 1;
	return 0;
}

void
maint_stop(void)
{
	if (!maint_running)
		return;
	if (pthread_mutex_lock(&maint_lock) == 0) {
		maint_stopping = 1;
		(void)pthread_cond_signal(&maint_wake);
		(void)pthread_mutex_unlock(&maint_lock);
	}
	(void)pthread_join(maint_thread, NULL);
	maint_running = 0;
}
