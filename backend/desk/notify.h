/*
 * notify.h - e-mail notifications for staff (issue 18): a thread that, at
 * the fixed batch times of the settings (mail_batch_*), runs one batch
 * (meldpunt_notify_batch: new wraps, reporters' messages and deadlines
 * become at most one outbox row per account) and sends what the outbox
 * holds, one row at a time under FOR UPDATE SKIP LOCKED, so several
 * instances never send one row twice. A row leaves the outbox only when
 * the mail server accepted its mail; a failure waits mail_retry_seconds,
 * doubling to an hour. With mail_server empty nothing starts.
 */
#ifndef MELDPUNT_NOTIFY_H
#define MELDPUNT_NOTIFY_H

#include <time.h>

#define NOTIFY_DAY_SIZE	sizeof("YYYY-MM-DD")

/* notify_start: check the mail settings, read the password file, start
 * the thread. 0 (also when mail is off), or -1 after logging why. */
int	notify_start(void);
/* notify_stop: wake the thread, let it finish its mail and join. */
void	notify_stop(void);

/*
 * notify_slot: the latest batch time at or before now, in local time:
 * from hour from (0-23) every interval seconds while before hour until
 * (1-24), on weekdays unless weekend. 1 with *slot and day (its local
 * date, "YYYY-MM-DD"), or 0 when now lies outside the batch hours. Pure.
 */
int	notify_slot(time_t now, int interval, int from, int until, int weekend,
	    time_t *slot, char day[NOTIFY_DAY_SIZE]);

#endif
