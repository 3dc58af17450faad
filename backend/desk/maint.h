/*
 * maint.h - the daemon's background work: one thread that wakes every
 * minute and runs each task of a fixed table (pruning expired challenges,
 * sessions, idempotency keys, per-client counters and day salts). The
 * submission rate that sets the proof-of-work difficulty is read by
 * counters.c. Tasks are idempotent, so several instances may run them at
 * once. The retention purge and the signing of the daily audit heads are
 * not here: they are the subcommands "purge" (as the tables' owner) and
 * "audit sign", run by timers, so that the serving daemon holds no owner
 * connection.
 */
#ifndef MELDPUNT_MAINT_H
#define MELDPUNT_MAINT_H

/* maint_start: start the thread. 0, or -1. */
int	maint_start(void);
/* maint_stop: wake the thread, let it finish its current task and join. */
void	maint_stop(void);

#endif
