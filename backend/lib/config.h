/*
 * config.h - the daemon's settings: built-in defaults, then a config file
 * of "key = value" lines, then MELDPUNT_* environment variables.
 */
#ifndef MELDPUNT_CONFIG_H
#define MELDPUNT_CONFIG_H

#include <stddef.h>

struct config {
	char		*database;	/* runtime conninfo (least privilege) */
	char		*admin_database;/* owner conninfo, for migrate and vacuum */
	char		*listen;	/* e.g. "127.0.0.1:8080" */
	char		*secrets_dir;	/* desk key files, mode 0600 */
	char		*frontend_dir;	/* built static frontend */
	char		*sql_dir;	/* numbered migrations */
	char		*audit_sink;	/* file the daily audit heads go to */
	char		*trusted_proxies;/* comma-separated peer addresses */
	int		 threads;	/* CivetWeb worker threads */
	int		 connections;	/* open connections admitted at once */
	int		 client_connections;/* of them per client; 0: no cap */
	int		 head_timeout;	/* seconds for a whole request head */
	int		 stop_timeout;	/* seconds a stop waits for requests */
	size_t		 json_bytes;	/* JSON body limit */
	size_t		 attachment_bytes;/* one attachment, padded */
	size_t		 case_bytes;	/* all attachments of a case, padded */
	int		 pow_difficulty;/* base proof-of-work difficulty in bits */
	int		 pow_ceiling;	/* submissions per hour before d rises */
	int		 client_challenges;/* per client per 10 min; 0: no limit */
	int		 reporter_login_failures;/* per client per 15 min */
	int		 retention_days;/* days after closing until purge */
	int		 stats_k;	/* suppression threshold */
	char		*stats_method;	/* "suppression" or "dp" */
	char		*stats_epsilon;	/* per release, "num/den" */
	int		 stats_merge_headcount;/* merge organisations below */
	/* The desk's contact information (GET /api/v1/desk; "" = not shown). */
	char		*contact_email;	/* an e-mail address */
	char		*contact_phone;	/* a telephone number */
	char		*contact_url;	/* an https:// page */
};

/*
 * config_load: fill cfg from defaults, the file at path (may be NULL: no
 * file) and the environment. Returns 0, or -1 after logging what is wrong.
 * The caller frees with config_free.
 */
int	config_load(struct config *cfg, const char *path);
void	config_free(struct config *cfg);

/*
 * config_set: apply one "key", "value" pair. Returns 0, or -1 for an
 * unknown key or a bad value. Exposed for unit tests.
 */
int	config_set(struct config *cfg, const char *key, const char *value);

#endif
