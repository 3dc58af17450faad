/*
 * log.h - the daemon's own log lines, on standard error.
 *
 * Contract: callers never pass a client address, user agent, referrer,
 * token, receipt, key or any request content. Lines carry a UTC timestamp,
 * a level and the message; nothing else is added.
 */
#ifndef MELDPUNT_LOG_H
#define MELDPUNT_LOG_H

void	log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_set_verbose(int verbose);

#endif
