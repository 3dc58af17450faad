/*
 * notify.c - the notification thread: batches at fixed times, then the
 * outbox sent through SMTP.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include <sodium.h>

#include "app.h"
#include "config.h"
#include "db.h"
#include "log.h"
#include "mailtext.h"
#include "notify.h"
#include "periodic.h"
#include "smtp.h"

#define NOTIFY_TICK_MAX		30	/* seconds between looks at the outbox */
#define NOTIFY_PASSWORD_MAX	1024	/* bytes of the mail server password */
#define NOTIFY_EMAIL_SIZE	256	/* an account's address, with NUL */
#define NOTIFY_SENDS_MAX	1000	/* mails per round at most */

static void		 notify_round(void);
static struct periodic	 notify_thread =
    PERIODIC_INIT("notification", NOTIFY_TICK_MAX, 0, notify_round,
    db_thread_end);
static time_t		 notify_last_slot = -1;
static struct smtp_server notify_server;
static char		 notify_password[NOTIFY_PASSWORD_MAX + 1];

int
notify_slot(time_t now, int interval, int from, int until, int weekend,
    time_t *slot, char day[NOTIFY_DAY_SIZE])
{
	struct tm	tm, mid;
	time_t		midnight;
	long long	secs, k;

	if (interval < 1 || localtime_r(&now, &tm) == NULL)
		return 0;
	if (!weekend && (tm.tm_wday == 0 || tm.tm_wday == 6))
		return 0;
	mid = tm;
	mid.tm_hour = mid.tm_min = mid.tm_sec = 0;
	mid.tm_isdst = -1;
	if ((midnight = mktime(&mid)) == (time_t)-1)
		return 0;
	secs = (long long)(now - midnight);
	if (secs < (long long)from * 3600 || secs >= (long long)until * 3600)
		return 0;
	k = (secs - (long long)from * 3600) / interval;
	*slot = midnight + (time_t)((long long)from * 3600 + k * interval);
	if (strftime(day, NOTIFY_DAY_SIZE, "%Y-%m-%d", &tm) == 0)
		return 0;
	return 1;
}

/* Run the batch of slot, unless another instance did. 0, or -1. */
static int
notify_batch(time_t slot, const char *day)
{
	const struct config	*cfg = app.cfg;
	struct db_param		 p[4] = { DB_P_INT((long long)slot),
	    DB_P_TEXT(day), DB_P_INT(cfg->notify_acknowledge_days),
	    DB_P_INT(cfg->notify_feedback_days) };
	PGresult		*res;
	long long		 n;

	if ((res = db_exec(DB_NOTIFY_BATCH, 4, p, NULL)) == NULL)
		return -1;
	n = PQntuples(res) == 1 ? db_get_int(res, 0, NOTIFY_BATCH_MAILS) : -1;
	PQclear(res);
	if (n > 0)
		log_info("notify: batch: %lld mails to send", n);
	return 0;
}

/* The mail of outbox row id failed: try again later (in the transaction). */
static void
notify_retry(long long id)
{
	struct db_param	 p[2] = { DB_P_INT(id),
	    DB_P_INT(app.cfg->mail_retry_seconds) };
	PGresult	*res;

	if ((res = db_exec(DB_NOTIFY_RETRY, 2, p, NULL)) == NULL)
		return;
	if (PQntuples(res) == 1)
		log_warnx("notify: a mail waits after %lld attempts",
		    db_get_int(res, 0, NOTIFY_RETRY_ATTEMPTS));
	PQclear(res);
}

/* Compose and send the mail of the claimed row; 0 when accepted. */
static int
notify_deliver(const char *email, const char *lang)
{
	char	msg[MAILTEXT_SIZE];
	size_t	len;
	int	rc;

	if (mailtext_compose(msg, sizeof(msg), &len, lang, app.cfg->mail_from,
	    email, app.cfg->public_url, time(NULL)) == -1) {
		log_warnx("notify: an account's address does not fit a mail");
		return -1;
	}
	rc = smtp_send(&notify_server, email, msg, len);
	sodium_memzero(msg, sizeof(msg));
	return rc;
}

/*
 * Send the mail of one due outbox row, locked so no other instance takes
 * it, and delete the row or put it off. 1 when a row was handled, 0 when
 * none is due, -1 on a database failure.
 */
static int
notify_send_one(void)
{
	char		 email[NOTIFY_EMAIL_SIZE], lang[4];
	struct db_param	 p[1];
	PGresult	*res;
	long long	 id;
	int		 n;

	if (db_begin(NULL) == -1)
		return -1;
	if ((res = db_exec(DB_NOTIFY_CLAIM, 0, NULL, NULL)) == NULL)
		goto fail;
	if (PQntuples(res) != 1) {
		PQclear(res);
		db_rollback();
		return 0;
	}
	id = db_get_int(res, 0, NOTIFY_CLAIM_ID);
	n = snprintf(email, sizeof(email), "%s",
	    db_get_text(res, 0, NOTIFY_CLAIM_EMAIL));
	(void)snprintf(lang, sizeof(lang), "%s",
	    db_get_text(res, 0, NOTIFY_CLAIM_LANGUAGE));
	PQclear(res);
	if (n > 0 && (size_t)n < sizeof(email) &&
	    notify_deliver(email, lang) == 0) {
		p[0] = (struct db_param)DB_P_INT(id);
		if ((res = db_exec(DB_NOTIFY_SENT, 1, p, NULL)) == NULL)
			goto fail;
		PQclear(res);
	} else
		notify_retry(id);
	if (db_commit(NULL) == -1)
		return -1;
	return 1;
fail:
	db_rollback();
	return -1;
}

/* For libcurl: 1 once the daemon stops, which ends a hung transfer. */
static int
notify_stop_asked(void)
{
	return periodic_stopping(&notify_thread);
}

static void
notify_round(void)
{
	const struct config	*cfg = app.cfg;
	char			 day[NOTIFY_DAY_SIZE];
	time_t			 slot;
	int			 i;

	if (notify_slot(time(NULL), cfg->mail_batch_interval,
	    cfg->mail_batch_from, cfg->mail_batch_until,
	    cfg->mail_batch_weekend, &slot, day) == 1 &&
	    slot != notify_last_slot && notify_batch(slot, day) == 0)
		notify_last_slot = slot;
	for (i = 0; i < NOTIFY_SENDS_MAX && !notify_stop_asked(); i++)
		if (notify_send_one() != 1)
			break;
}

/*
 * The password from path, without its line end, into notify_password. A
 * file that others than its owner may read is refused.
 */
static int
notify_read_password(const char *path)
{
	struct stat	sb;
	ssize_t		n;
	size_t		len;
	int		fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		log_warnx("%s: cannot open mail_password_file", __func__);
		return -1;
	}
	if (fstat(fd, &sb) == -1 || (sb.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
		log_warnx("%s: mail_password_file must be mode 0600 or stricter",
		    __func__);
		(void)close(fd);
		return -1;
	}
	n = read(fd, notify_password, NOTIFY_PASSWORD_MAX);
	(void)close(fd);
	if (n <= 0 || n == NOTIFY_PASSWORD_MAX) {
		log_warnx("%s: mail_password_file empty or too long", __func__);
		sodium_memzero(notify_password, sizeof(notify_password));
		return -1;
	}
	len = (size_t)n;
	while (len > 0 && (notify_password[len - 1] == '\n' ||
	    notify_password[len - 1] == '\r'))
		len--;
	notify_password[len] = '\0';
	return 0;
}

/* The settings a sender needs, checked; 0, or -1 after logging. */
static int
notify_configure(const struct config *cfg)
{
	if (*cfg->mail_from == '\0' || strchr(cfg->mail_from, '@') == NULL) {
		log_warnx("%s: mail_server needs mail_from, an address", __func__);
		return -1;
	}
	if (strncmp(cfg->public_url, "https://", 8) != 0 &&
	    strncmp(cfg->public_url, "http://", 7) != 0) {
		log_warnx("%s: mail_server needs public_url, the desk's "
		    "http(s):// address", __func__);
		return -1;
	}
	if (cfg->mail_batch_from >= cfg->mail_batch_until) {
		log_warnx("%s: mail_batch_from must lie before mail_batch_until",
		    __func__);
		return -1;
	}
	if (smtp_configure(&notify_server, cfg->mail_server, cfg->mail_tls) == -1)
		return -1;
	notify_server.ca_file = cfg->mail_ca_file;
	notify_server.from = cfg->mail_from;
	notify_server.user = cfg->mail_user;
	notify_server.password = notify_password;
	notify_server.cancelled = notify_stop_asked;
	if (*cfg->mail_user != '\0' &&
	    notify_read_password(cfg->mail_password_file) == -1)
		return -1;
	return 0;
}

int
notify_start(void)
{
	const struct config *cfg = app.cfg;

	if (*cfg->mail_server == '\0') {
		log_info("notify: mail_server not set: no notifications");
		return 0;
	}
	if (notify_configure(cfg) == -1 || smtp_init() == -1)
		goto fail;
	if (cfg->mail_batch_interval < NOTIFY_TICK_MAX)
		notify_thread.interval = cfg->mail_batch_interval;
	if (periodic_start(&notify_thread) == -1) {
		smtp_end();
		goto fail;
	}
	return 0;
fail:
	sodium_memzero(notify_password, sizeof(notify_password));
	return -1;
}

void
notify_stop(void)
{
	if (!periodic_stop(&notify_thread))
		return;
	smtp_end();
	sodium_memzero(notify_password, sizeof(notify_password));
}
