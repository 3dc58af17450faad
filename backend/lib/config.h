/*
 * config.h - the daemon's settings: built-in defaults, then a config file
 * of "key = value" lines, then MELDPUNT_* environment variables.
 */
#ifndef MELDPUNT_CONFIG_H
#define MELDPUNT_CONFIG_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

/* How statistics releases protect small counts (one per deployment). */
enum config_stats_method {
	CONFIG_STATS_SUPPRESSION = 0,
	CONFIG_STATS_DP,
};

/* A positive fraction num/den, both 1..CONFIG_FRACTION_MAX. */
#define CONFIG_FRACTION_MAX	(1U << 30)
struct config_fraction {
	uint32_t	num, den;
};

/* One IPv4 or IPv6 address, in network order (IPv4: the first 4 bytes). */
struct config_addr {
	int		family;		/* AF_INET or AF_INET6 */
	unsigned char	bytes[sizeof(struct in6_addr)];
};

struct config_addrs {
	struct config_addr	*v;
	size_t			 n;
};

struct config {
	char		*database;	/* runtime conninfo (least privilege) */
	char		*admin_database;/* owner conninfo (migrate, purge); NULL:
					   unset, and serve never uses it */
	char		*listen;	/* e.g. "127.0.0.1:8080" */
	char		*secrets_dir;	/* desk key files, mode 0600 */
	char		*frontend_dir;	/* built static frontend */
	char		*sql_dir;	/* numbered migrations */
	char		*audit_sink;	/* file the daily audit heads go to */
	struct config_addrs trusted_proxies;/* peers whose X-Forwarded-For counts */
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
	enum config_stats_method stats_method;
	struct config_fraction stats_epsilon;	/* DP epsilon per release */
	int		 stats_merge_headcount;/* merge organisations below */
	/* e-mail notifications for staff (issue 18); mail_server "": off */
	char		*mail_server;	/* host or host:port of the SMTP server */
	char		*mail_tls;	/* "starttls", "tls" or "none" */
	char		*mail_ca_file;	/* CA bundle; "": the system's */
	char		*mail_user;	/* SMTP login; "": none */
	char		*mail_password_file;/* file holding its password */
	char		*mail_from;	/* the envelope and From address */
	char		*public_url;	/* the desk's address, for the link */
	int		 mail_batch_interval;/* seconds between batch times */
	int		 mail_batch_from;/* first hour of the day with batches */
	int		 mail_batch_until;/* hour at which batches end */
	int		 mail_batch_weekend;/* 1: batches on Saturday, Sunday */
	int		 mail_retry_seconds;/* first wait after a failure */
	int		 notify_acknowledge_days;/* warn days before */
	int		 notify_feedback_days;/* warn days before */
	/* The desk's contact information (GET /api/v1/desk; "" = not shown). */
	char		*contact_email;	/* an e-mail address */
	char		*contact_phone;	/* a telephone number */
	char		*contact_url;	/* an https:// page */
};

/*
 * config_load: fill cfg from defaults, the file at path (may be NULL: no
 * file) and the environment. Every value is parsed and checked here, into
 * its type. Returns 0, or -1 after logging every problem found (cfg is then
 * freed). The caller frees a loaded cfg with config_free.
 */
int	config_load(struct config *cfg, const char *path);

/*
 * config_read: as config_load, but a setting that is wrong keeps its
 * default and the reading goes on. Returns the number of problems logged
 * (0: all well), or -1 when memory ran out. cfg is filled either way (for
 * the check mode); the caller frees it with config_free.
 */
int	config_read(struct config *cfg, const char *path);

/* config_free: free cfg's strings and lists. NULL and a freed cfg: no-op. */
void	config_free(struct config *cfg);

/* config_stats_method_name: "suppression" or "dp", as stored in releases. */
const char *config_stats_method_name(enum config_stats_method m);

/*
 * config_addr_parse: text as a numeric IPv4 or IPv6 address into *out
 * (a "%scope" suffix is dropped; an IPv4-mapped IPv6 address becomes its
 * IPv4 address, so both spellings of one peer compare equal). 0, or -1.
 */
int	config_addr_parse(const char *text, struct config_addr *out);

/* config_addrs_has: 1 if addrs lists addr, else 0. */
int	config_addrs_has(const struct config_addrs *addrs,
	    const struct config_addr *addr);

/* config_has_admin: 1 if admin_database is set (not empty), else 0. */
int	config_has_admin(const struct config *cfg);

/*
 * config_set: apply one "key", "value" pair. Returns 0, or -1 for an
 * unknown key or a bad value. Exposed for unit tests.
 */
int	config_set(struct config *cfg, const char *key, const char *value);

#endif
