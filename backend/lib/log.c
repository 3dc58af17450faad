/*
 * log.c - timestamped lines on standard error, one write per line so lines
 * from different threads do not interleave.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

static int log_verbose;

static void	log_vline(const char *, const char *, va_list)
		    __attribute__((format(printf, 2, 0)));

static void
log_vline(const char *level, const char *fmt, va_list ap)
{
	char		 line[1024];
	struct tm	 tm;
	time_t		 now;
	int		 n, m;

	now = time(NULL);
	if (gmtime_r(&now, &tm) == NULL)
		return;
	n = (int)strftime(line, sizeof(line), "%Y-%m-%dT%H:%M:%SZ ", &tm);
	m = snprintf(line + n, sizeof(line) - (size_t)n, "%s ", level);
	if (m < 0)
		return;
	n += m;
	m = vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	if (m < 0)
		return;
	/* A truncated line is still written, cut and marked. */
	if ((size_t)n + (size_t)m >= sizeof(line) - 1) {
		n = (int)sizeof(line) - 5;
		memcpy(line + n, "...", 3);
		n += 3;
	} else
		n += m;
	line[n++] = '\n';
	(void)!write(STDERR_FILENO, line, (size_t)n);
}

void
log_set_verbose(int verbose)
{
	log_verbose = verbose;
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vline("info", fmt, ap);
	va_end(ap);
}

void
log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vline("warn", fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list ap;

	if (!log_verbose)
		return;
	va_start(ap, fmt);
	log_vline("debug", fmt, ap);
	va_end(ap);
}
