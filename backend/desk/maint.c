/*
 * maint.c - the maintenance thread.
 */
#include <errno.h>
#include <pthread.h>
#include <time.h>

#include "app.h"
#include "audit.h"
#include "config.h"
#include "db.h"
#include "log.h"
#include "maint.h"
#include "purge.h"
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

/* Sign the audit heads of finished days (a no-op once they are signed). */
static void
maint_audit_heads(void)
{
	(void)audit_sign_heads(app.cfg->audit_sink);
}

/* The retention purge, once a UTC day (and at start). */
static void
maint_purge(void)
{
	static long long	done_day = -1;
	long long		day = (long long)(time(NULL) / 86400);

	if (day == done_day)
		return;
	if (purge_run(app.cfg->retention_days, app.cfg->admin_database) >= 0)
		done_day = day;
}

/* The tasks of one round, in order. */
static void (*const maint_tasks[])(void) = {
	maint_prune,
	maint_audit_heads,
	maint_purge,
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
