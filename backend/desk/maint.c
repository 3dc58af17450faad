/*
 * maint.c - the maintenance thread: pruning (expired rows and counters). The
 * retention purge (which vacuums as the tables' owner) and the signing of
 * the daily audit heads (which writes the sink file) are jobs of their
 * own, "meldpuntd purge" and "meldpuntd audit sign", run by timers.
 */
#include "db.h"
#include "maint.h"
#include "periodic.h"
#include "sizes.h"

#define MAINT_INTERVAL	60	/* seconds between rounds */

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

static struct periodic maint_thread =
    PERIODIC_INIT("maintenance", MAINT_INTERVAL, 1, maint_round, db_thread_end);

int
maint_start(void)
{
	/* The first round runs before serving. */
	maint_round();
	db_thread_end();
	return periodic_start(&maint_thread);
}

void
maint_stop(void)
{
	(void)periodic_stop(&maint_thread);
}
