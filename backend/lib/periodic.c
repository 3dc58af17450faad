/*
 * periodic.c - a thread that runs a round, waits, and runs the next.
 */
#include <pthread.h>
#include <time.h>

#include "log.h"
#include "periodic.h"

int
periodic_stopping(struct periodic *p)
{
	int stop = 1;

	if (pthread_mutex_lock(&p->lock) == 0) {
		stop = p->stopping;
		(void)pthread_mutex_unlock(&p->lock);
	}
	return stop;
}

/* Wait p->interval seconds or until a stop; 1 if a stop was asked. */
static int
periodic_wait(struct periodic *p)
{
	struct timespec	deadline;
	int		stop;

	if (clock_gettime(CLOCK_REALTIME, &deadline) != 0)
		return 1;
	deadline.tv_sec += p->interval;
	if (pthread_mutex_lock(&p->lock) != 0)
		return 1;
	while (!p->stopping &&
	    pthread_cond_timedwait(&p->wake, &p->lock, &deadline) == 0)
		;
	stop = p->stopping;
	(void)pthread_mutex_unlock(&p->lock);
	return stop;
}

static void *
periodic_main(void *arg)
{
	struct periodic *p = arg;

	if (!p->wait_first || !periodic_wait(p)) {
		do
			p->round();
		while (!periodic_wait(p));
	}
	if (p->end != NULL)
		p->end();
	return NULL;
}

int
periodic_start(struct periodic *p)
{
	if (p->interval < 1 || p->round == NULL) {
		log_warnx("%s: %s: no interval or no round", __func__, p->name);
		return -1;
	}
	p->stopping = 0;
	if (pthread_create(&p->thread, NULL, periodic_main, p) != 0) {
		log_warnx("%s: cannot start the %s thread", __func__, p->name);
		return -1;
	}
	p->running = 1;
	return 0;
}

int
periodic_stop(struct periodic *p)
{
	if (!p->running)
		return 0;
	if (pthread_mutex_lock(&p->lock) == 0) {
		p->stopping = 1;
		(void)pthread_cond_signal(&p->wake);
		(void)pthread_mutex_unlock(&p->lock);
	}
	(void)pthread_join(p->thread, NULL);
	p->running = 0;
	return 1;
}
