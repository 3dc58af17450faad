/*
 * check.c - the check mode ("meldpuntd -n") and the refusal to serve as
 * root. Each check logs what it finds wrong and counts it; the mode goes
 * on after a problem, so one run lists them all.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "config.h"
#include "db.h"
#include "log.h"
#include "release.h"
#include "secrets.h"
#include "static.h"

int
check_root(int checking)
{
	const char *allow = getenv("MELDPUNT_ALLOW_ROOT");

	if (getuid() != 0 && geteuid() != 0)
		return 0;
	if (allow != NULL && strcmp(allow, "1") == 0) {
		log_warnx("%s: running as root because MELDPUNT_ALLOW_ROOT=1: "
		    "for development and tests only, never in production",
		    checking ? "check" : "serve");
		return 0;
	}
	if (checking)
		log_warnx("check: serve refuses to run as root: run the desk, "
		    "and this check, as its own unprivileged user (User=meldpunt "
		    "in the package's unit)");
	else
		log_warnx("serve: refusing to run as root: run the desk as its "
		    "own unprivileged user (User=meldpunt in the package's "
		    "unit)");
	return -1;
}

/* The connection strings: the runtime one valid, no owner one. */
static int
check_databases(const struct config *cfg)
{
	int problems = 0;

	if (!db_conninfo_valid(cfg->database)) {
		log_warnx("check: database is not a valid connection string");
		problems++;
	}
	if (config_has_admin(cfg)) {
		log_warnx("check: admin_database is set: the serving daemon "
		    "must not hold the tables' owner connection; give it "
		    "only to migrate and purge (MELDPUNT_ADMIN_DATABASE in "
		    "their environment)");
		problems++;
	}
	return problems;
}

/* A DP epsilon that no release could use. */
static int
check_stats(const struct config *cfg)
{
	if (cfg->stats_method != CONFIG_STATS_DP ||
	    release_epsilon_fits(cfg->stats_epsilon.num,
	    cfg->stats_epsilon.den))
		return 0;
	log_warnx("check: stats_epsilon %u/%u exceeds the privacy budget: "
	    "every family released once would spend more than 2 per case",
	    cfg->stats_epsilon.num, cfg->stats_epsilon.den);
	return 1;
}

int
check_run(const char *path)
{
	struct config	cfg;
	int		problems;

	if ((problems = config_read(&cfg, path)) == -1) {
		log_warnx("check: out of memory");
		return 1;
	}
	problems += check_root(1) == -1;
	problems += check_databases(&cfg);
	problems += check_stats(&cfg);
	problems += secrets_check(cfg.secrets_dir);
	problems += static_check(cfg.frontend_dir);
	config_free(&cfg);
	if (problems > 0) {
		log_warnx("check: %d problem%s found", problems,
		    problems == 1 ? "" : "s");
		return 1;
	}
	log_info("check: the configuration is good");
	return 0;
}
