/*
 * check.h - "meldpuntd -n": the check mode. It reads the configuration as
 * serve would and reports every problem it finds, without connecting to
 * the database or listening.
 */
#ifndef MELDPUNT_CHECK_H
#define MELDPUNT_CHECK_H

/*
 * check_run: check the configuration at path (NULL: defaults and the
 * environment only) for serve, logging each problem on standard error:
 * every setting (unknown settings, bad or out-of-range values), the
 * database connection string, an owner connection (admin_database) that
 * serve must not hold, the statistics epsilon against the privacy budget,
 * the user (serve refuses root), the key files and their modes, and the
 * frontend manifest with the files it lists. Returns the exit status: 0
 * when nothing is wrong, 1 otherwise.
 */
int	check_run(const char *path);

/*
 * check_root: 0 if serve may run as the present user: not root (real or
 * effective uid 0), or root with MELDPUNT_ALLOW_ROOT=1 in the environment
 * (development and tests only; a warning is logged each time). Otherwise
 * logs why, for the check mode (checking) or for serve, and returns -1.
 */
int	check_root(int checking);

#endif
