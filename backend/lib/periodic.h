/*
 * periodic.h - a background thread that runs one round of work, waits a
 * fixed number of seconds (or until asked to stop), and runs the next.
 * The maintenance and the notification threads are two of these. A stop
 * wakes the wait at once; a round in progress finishes (a long round asks
 * periodic_stopping between its steps).
 */
#ifndef MELDPUNT_PERIODIC_H
#define MELDPUNT_PERIODIC_H

#include <pthread.h>

struct periodic {
	const char	*name;		/* for the log: "maintenance" */
	int		 interval;	/* seconds between rounds, >= 1 */
	int		 wait_first;	/* 1: wait before the first round */
	void		(*round)(void);
	void		(*end)(void);	/* on the thread, as it ends; or NULL */
	/* The rest is the thread's own. */
	pthread_t	 thread;
	pthread_mutex_t	 lock;
	pthread_cond_t	 wake;
	int		 stopping;
	int		 running;
};

#define PERIODIC_INIT(name_, interval_, wait_first_, round_, end_) {	\
	.name = (name_), .interval = (interval_),			\
	.wait_first = (wait_first_), .round = (round_), .end = (end_),	\
	.lock = PTHREAD_MUTEX_INITIALIZER,				\
	.wake = PTHREAD_COND_INITIALIZER }

/* periodic_start: start p's thread. 0, or -1 after logging. */
int	periodic_start(struct periodic *p);
/* periodic_stopping: 1 once a stop was asked (or the lock failed), else 0. */
int	periodic_stopping(struct periodic *p);
/*
 * periodic_stop: ask p's thread to stop, wake it and join it. Returns 1,
 * or 0 when no thread ran.
 */
int	periodic_stop(struct periodic *p);

#endif
