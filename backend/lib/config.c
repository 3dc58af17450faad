/*
 * config.c - defaults, a "key = value" file, then environment overrides.
 * Every key is in one table; an unknown key is an error, not ignored.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "config.h"
#include "log.h"

enum config_kind {
	CONFIG_STRING,		/* char *, any text */
	CONFIG_INT,		/* int within [min, max] */
	CONFIG_SIZE,		/* size_t within [min, max] */
	CONFIG_METHOD,		/* enum config_stats_method, by its name */
	CONFIG_FRACTION,	/* struct config_fraction, "num/den" */
	CONFIG_ADDRS,		/* struct config_addrs, "addr, addr, ..." */
};

struct config_key {
	const char	*name;
	const char	*env;
	enum config_kind kind;
	size_t		 offset;
	long long	 min, max;
};

/* The highest base difficulty of proof of work one may configure. */
#define CONFIG_POW_DIFFICULTY_MAX	40
/* The hours of a day, for the notification batch hours. */
#define CONFIG_DAY_HOURS	24

#define STR(n, e, f) { n, e, CONFIG_STRING, offsetof(struct config, f), 0, 0 }
#define INT(n, e, f, lo, hi) { n, e, CONFIG_INT, offsetof(struct config, f), lo, hi }
#define SIZE(n, e, f, lo, hi) { n, e, CONFIG_SIZE, offsetof(struct config, f), lo, hi }
#define METHOD(n, e, f) { n, e, CONFIG_METHOD, offsetof(struct config, f), 0, 0 }
#define FRACTION(n, e, f) { n, e, CONFIG_FRACTION, offsetof(struct config, f), 1, \
	CONFIG_FRACTION_MAX }
#define ADDRS(n, e, f) { n, e, CONFIG_ADDRS, offsetof(struct config, f), 0, 0 }

static const struct config_key config_keys[] = {
	STR("database", "MELDPUNT_DATABASE", database),
	STR("admin_database", "MELDPUNT_ADMIN_DATABASE", admin_database),
	STR("listen", "MELDPUNT_LISTEN", listen),
	STR("secrets_dir", "MELDPUNT_SECRETS_DIR", secrets_dir),
	STR("frontend_dir", "MELDPUNT_FRONTEND_DIR", frontend_dir),
	STR("sql_dir", "MELDPUNT_SQL_DIR", sql_dir),
	STR("audit_sink", "MELDPUNT_AUDIT_SINK", audit_sink),
	ADDRS("trusted_proxies", "MELDPUNT_TRUSTED_PROXIES", trusted_proxies),
	INT("threads", "MELDPUNT_THREADS", threads, 2, 1024),
	INT("connections", "MELDPUNT_CONNECTIONS", connections, 2, 65536),
	INT("client_connections", "MELDPUNT_CLIENT_CONNECTIONS",
	    client_connections, 0, 65536),
	INT("head_timeout", "MELDPUNT_HEAD_TIMEOUT", head_timeout, 1, 60),
	INT("stop_timeout", "MELDPUNT_STOP_TIMEOUT", stop_timeout, 0, 600),
	SIZE("json_bytes", "MELDPUNT_JSON_BYTES", json_bytes, 1024, 64LL << 20),
	SIZE("attachment_bytes", "MELDPUNT_ATTACHMENT_BYTES", attachment_bytes,
	    65577, 1LL << 32),
	SIZE("case_bytes", "MELDPUNT_CASE_BYTES", case_bytes, 65577, 1LL << 36),
	INT("pow_difficulty", "MELDPUNT_POW_DIFFICULTY", pow_difficulty, 0,
	    CONFIG_POW_DIFFICULTY_MAX),
	INT("pow_ceiling", "MELDPUNT_POW_CEILING", pow_ceiling, 1, INT_MAX),
	INT("client_challenges", "MELDPUNT_CLIENT_CHALLENGES", client_challenges,
	    0, INT_MAX),
	INT("reporter_login_failures", "MELDPUNT_REPORTER_LOGIN_FAILURES",
	    reporter_login_failures, 1, INT_MAX),
	INT("retention_days", "MELDPUNT_RETENTION_DAYS", retention_days, 1, 36500),
	INT("stats_k", "MELDPUNT_STATS_K", stats_k, 2, 1000),
	METHOD("stats_method", "MELDPUNT_STATS_METHOD", stats_method),
	FRACTION("stats_epsilon", "MELDPUNT_STATS_EPSILON", stats_epsilon),
	INT("stats_merge_headcount", "MELDPUNT_STATS_MERGE_HEADCOUNT",
	    stats_merge_headcount, 0, INT_MAX),
	/* e-mail notifications for staff (issue 18) */
	STR("mail_server", "MELDPUNT_MAIL_SERVER", mail_server),
	STR("mail_tls", "MELDPUNT_MAIL_TLS", mail_tls),
	STR("mail_ca_file", "MELDPUNT_MAIL_CA_FILE", mail_ca_file),
	STR("mail_user", "MELDPUNT_MAIL_USER", mail_user),
	STR("mail_password_file", "MELDPUNT_MAIL_PASSWORD_FILE",
	    mail_password_file),
	STR("mail_from", "MELDPUNT_MAIL_FROM", mail_from),
	STR("public_url", "MELDPUNT_PUBLIC_URL", public_url),
	INT("mail_batch_interval", "MELDPUNT_MAIL_BATCH_INTERVAL",
	    mail_batch_interval, 1, 86400),
	INT("mail_batch_from", "MELDPUNT_MAIL_BATCH_FROM", mail_batch_from, 0,
	    CONFIG_DAY_HOURS - 1),
	INT("mail_batch_until", "MELDPUNT_MAIL_BATCH_UNTIL", mail_batch_until,
	    1, CONFIG_DAY_HOURS),
	INT("mail_batch_weekend", "MELDPUNT_MAIL_BATCH_WEEKEND",
	    mail_batch_weekend, 0, 1),
	INT("mail_retry_seconds", "MELDPUNT_MAIL_RETRY_SECONDS",
	    mail_retry_seconds, 1, 3600),
	INT("notify_acknowledge_days", "MELDPUNT_NOTIFY_ACKNOWLEDGE_DAYS",
	    notify_acknowledge_days, 0, 6),
	INT("notify_feedback_days", "MELDPUNT_NOTIFY_FEEDBACK_DAYS",
	    notify_feedback_days, 0, 60),
	/* The desk's contact information, checked by config_check_contact(). */
	STR("contact_email", "MELDPUNT_CONTACT_EMAIL", contact_email),
	STR("contact_phone", "MELDPUNT_CONTACT_PHONE", contact_phone),
	STR("contact_url", "MELDPUNT_CONTACT_URL", contact_url),
};

static const struct config_key *
config_find(const char *key)
{
	size_t i;

	for (i = 0; i < sizeof(config_keys) / sizeof(config_keys[0]); i++)
		if (strcmp(config_keys[i].name, key) == 0)
			return &config_keys[i];
	return NULL;
}

static int
config_parse_number(const struct config_key *k, const char *value,
    long long *out)
{
	char		*end;
	long long	 n;

	errno = 0;
	n = strtoll(value, &end, 10);
	if (errno != 0 || end == value || *end != '\0' || n < k->min ||
	    n > k->max) {
		log_warnx("%s: %s must be a whole number from %lld to %lld",
		    __func__, k->name, k->min, k->max);
		return -1;
	}
	*out = n;
	return 0;
}

static char *
config_trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

static const char *const config_method_names[] = {
	[CONFIG_STATS_SUPPRESSION] = "suppression",
	[CONFIG_STATS_DP] = "dp",
};

const char *
config_stats_method_name(enum config_stats_method m)
{
	return m == CONFIG_STATS_DP ? config_method_names[CONFIG_STATS_DP] :
	    config_method_names[CONFIG_STATS_SUPPRESSION];
}

static int
config_parse_method(const struct config_key *k, const char *value,
    enum config_stats_method *out)
{
	size_t i;

	for (i = 0; i < sizeof(config_method_names) /
	    sizeof(config_method_names[0]); i++)
		if (strcmp(value, config_method_names[i]) == 0) {
			*out = (enum config_stats_method)i;
			return 0;
		}
	log_warnx("%s: %s must be suppression or dp", __func__, k->name);
	return -1;
}

/* One decimal number of 1..max from *pp, which moves past it. 0, or -1. */
static int
config_fraction_part(const char **pp, unsigned long max, uint32_t *out)
{
	const char	*p = *pp;
	unsigned long	 n = 0;

	if (*p < '0' || *p > '9')
		return -1;
	while (*p >= '0' && *p <= '9') {
		n = n * 10 + (unsigned long)(*p++ - '0');
		if (n > max)
			return -1;
	}
	if (n == 0)
		return -1;
	*out = (uint32_t)n;
	*pp = p;
	return 0;
}

static int
config_parse_fraction(const struct config_key *k, const char *value,
    struct config_fraction *out)
{
	struct config_fraction	 f;
	const char		*p = value;

	if (config_fraction_part(&p, (unsigned long)k->max, &f.num) == -1 ||
	    *p++ != '/' ||
	    config_fraction_part(&p, (unsigned long)k->max, &f.den) == -1 ||
	    *p != '\0') {
		log_warnx("%s: %s must be num/den, both whole numbers from 1 "
		    "to %lld", __func__, k->name, k->max);
		return -1;
	}
	*out = f;
	return 0;
}

int
config_addr_parse(const char *text, struct config_addr *out)
{
	struct in6_addr	 a6;
	char		 buf[INET6_ADDRSTRLEN];
	size_t		 n = strcspn(text, "%");

	memset(out, 0, sizeof(*out));
	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, text, n);
	buf[n] = '\0';
	if (text[n] == '\0' && inet_pton(AF_INET, buf, out->bytes) == 1) {
		out->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, buf, &a6) != 1)
		return -1;
	if (IN6_IS_ADDR_V4MAPPED(&a6)) {
		/* The last four bytes are the IPv4 address. */
		out->family = AF_INET;
		memcpy(out->bytes, &a6.s6_addr[sizeof(a6) -
		    sizeof(struct in_addr)], sizeof(struct in_addr));
	} else {
		out->family = AF_INET6;
		memcpy(out->bytes, &a6, sizeof(a6));
	}
	return 0;
}

int
config_addrs_has(const struct config_addrs *addrs,
    const struct config_addr *addr)
{
	size_t i;

	for (i = 0; i < addrs->n; i++)
		if (addrs->v[i].family == addr->family &&
		    memcmp(addrs->v[i].bytes, addr->bytes,
		    sizeof(addr->bytes)) == 0)
			return 1;
	return 0;
}

/*
 * "addr, addr, ..." (or empty: none) into *out, replacing what was there.
 * Each entry one numeric address; no names, no ranges. 0, or -1.
 */
static int
config_parse_addrs(const struct config_key *k, const char *value,
    struct config_addrs *out)
{
	struct config_addrs	 a = { NULL, 0 };
	char			*copy, *p, *entry;
	size_t			 cap = 1;

	if ((copy = strdup(value)) == NULL)
		return -1;
	for (p = copy; *p != '\0'; p++)
		cap += *p == ',';
	if ((a.v = calloc(cap, sizeof(*a.v))) == NULL)
		goto fail;
	for (p = copy; (entry = strsep(&p, ",")) != NULL;) {
		entry = config_trim(entry);
		if (*entry == '\0' && a.n == 0 && p == NULL)
			break;		/* an empty setting: no proxies */
		if (config_addr_parse(entry, &a.v[a.n]) == -1) {
			log_warnx("%s: %s: entry %zu is not a numeric IP "
			    "address", __func__, k->name, a.n + 1);
			goto fail;
		}
		a.n++;
	}
	free(copy);
	free(out->v);
	*out = a;
	return 0;
fail:
	free(a.v);
	free(copy);
	return -1;
}

int
config_set(struct config *cfg, const char *key, const char *value)
{
	const struct config_key	*k;
	char			*base = (char *)cfg, *copy, **slot;
	long long		 n;

	if ((k = config_find(key)) == NULL) {
		log_warnx("%s: unknown setting %s", __func__, key);
		return -1;
	}
	switch (k->kind) {
	case CONFIG_STRING:
		if ((copy = strdup(value)) == NULL)
			return -1;
		slot = (char **)(void *)(base + k->offset);
		free(*slot);
		*slot = copy;
		return 0;
	case CONFIG_INT:
		if (config_parse_number(k, value, &n) == -1)
			return -1;
		*(int *)(void *)(base + k->offset) = (int)n;
		return 0;
	case CONFIG_SIZE:
		if (config_parse_number(k, value, &n) == -1)
			return -1;
		*(size_t *)(void *)(base + k->offset) = (size_t)n;
		return 0;
	case CONFIG_METHOD:
		return config_parse_method(k, value,
		    (enum config_stats_method *)(void *)(base + k->offset));
	case CONFIG_FRACTION:
		return config_parse_fraction(k, value,
		    (struct config_fraction *)(void *)(base + k->offset));
	case CONFIG_ADDRS:
		return config_parse_addrs(k, value,
		    (struct config_addrs *)(void *)(base + k->offset));
	}
	return -1;
}

int
config_has_admin(const struct config *cfg)
{
	return cfg->admin_database != NULL && cfg->admin_database[0] != '\0';
}

static int
config_defaults(struct config *cfg)
{
	static const char *const defaults[][2] = {
		{ "database", "dbname=meldpunt user=meldpunt_app" },
		{ "listen", "127.0.0.1:8080" },
		{ "secrets_dir", "var/secrets" },
		{ "frontend_dir", "frontend/dist" },
		{ "sql_dir", "sql" },
		{ "audit_sink", "var/audit-heads.log" },
		{ "trusted_proxies", "" },
		{ "threads", "64" },
		{ "connections", "256" },
		{ "client_connections", "32" },
		{ "head_timeout", "5" },
		{ "stop_timeout", "10" },
		{ "json_bytes", "1048576" },
		{ "attachment_bytes", "26214400" },
		{ "case_bytes", "104857600" },
		{ "pow_difficulty", "16" },
		{ "pow_ceiling", "3600" },
		{ "client_challenges", "300" },
		{ "reporter_login_failures", "30" },
		{ "retention_days", "365" },
		{ "stats_k", "5" },
		{ "stats_method", "suppression" },
		{ "stats_epsilon", "2/3" },
		{ "stats_merge_headcount", "1000" },
		/* e-mail notifications for staff (issue 18) */
		{ "mail_server", "" },
		{ "mail_tls", "starttls" },
		{ "mail_ca_file", "" },
		{ "mail_user", "" },
		{ "mail_password_file", "" },
		{ "mail_from", "" },
		{ "public_url", "" },
		{ "mail_batch_interval", "3600" },
		{ "mail_batch_from", "8" },
		{ "mail_batch_until", "18" },
		{ "mail_batch_weekend", "0" },
		{ "mail_retry_seconds", "60" },
		{ "notify_acknowledge_days", "2" },
		{ "notify_feedback_days", "14" },
		{ "contact_email", "" },
		{ "contact_phone", "" },
		{ "contact_url", "" },
	};
	size_t i;

	memset(cfg, 0, sizeof(*cfg));
	for (i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++)
		if (config_set(cfg, defaults[i][0], defaults[i][1]) == -1)
			return -1;
	return 0;
}

/* Skip the rest of a line too long for the buffer. */
static void
config_skip_line(FILE *fp)
{
	int c;

	while ((c = getc(fp)) != EOF && c != '\n')
		;
}

/*
 * Apply every "key = value" line of the file; a bad line is logged with
 * its number and skipped. Returns the number of problems.
 */
static int
config_read_file(struct config *cfg, const char *path)
{
	FILE	*fp;
	char	 line[4096], *eq, *key, *value;
	int	 lineno = 0, problems = 0;

	if ((fp = fopen(path, "r")) == NULL) {
		log_warnx("%s: cannot open %s", __func__, path);
		return 1;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		lineno++;
		if (strchr(line, '\n') == NULL && !feof(fp)) {
			log_warnx("%s: %s:%d: line too long", __func__, path, lineno);
			config_skip_line(fp);
			problems++;
			continue;
		}
		key = config_trim(line);
		if (*key == '\0' || *key == '#')
			continue;
		if ((eq = strchr(key, '=')) == NULL) {
			log_warnx("%s: %s:%d: expected key = value", __func__,
			    path, lineno);
			problems++;
			continue;
		}
		*eq = '\0';
		key = config_trim(key);
		value = config_trim(eq + 1);
		if (config_set(cfg, key, value) == -1) {
			log_warnx("%s: %s:%d: bad setting", __func__, path, lineno);
			problems++;
		}
	}
	if (ferror(fp)) {
		log_warnx("%s: cannot read %s", __func__, path);
		problems++;
	}
	fclose(fp);
	return problems;
}

/* Apply every MELDPUNT_* variable that is set. The number of problems. */
static int
config_read_env(struct config *cfg)
{
	const char	*value;
	size_t		 i;
	int		 problems = 0;

	for (i = 0; i < sizeof(config_keys) / sizeof(config_keys[0]); i++) {
		if ((value = getenv(config_keys[i].env)) == NULL)
			continue;
		if (config_set(cfg, config_keys[i].name, value) == -1) {
			log_warnx("%s: bad value in %s", __func__,
			    config_keys[i].env);
			problems++;
		}
	}
	return problems;
}

static int	config_check_contact(const struct config *);

int
config_read(struct config *cfg, const char *path)
{
	int problems = 0;

	if (config_defaults(cfg) == -1) {
		config_free(cfg);
		return -1;
	}
	if (path != NULL)
		problems += config_read_file(cfg, path);
	problems += config_read_env(cfg);
	problems += config_check_contact(cfg);
	return problems;
}

/* --- the desk's contact information -------------------------------------- */

#define CONFIG_CONTACT_EMAIL_MAX	254	/* RFC 5321 path limit */
#define CONFIG_CONTACT_PHONE_MAX	32
#define CONFIG_CONTACT_URL_MAX		512

/* 1 if s is printable ASCII with no space, quote, <, >, \ or `. */
static int
config_contact_chars(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s <= ' ' || *s > '~' || strchr("\"<>\\`", *s) != NULL)
			return 0;
	return 1;
}

/* 1 if s is empty or one local@domain address with a dot in the domain. */
static int
config_contact_email_ok(const char *s)
{
	const char *at;

	if (*s == '\0')
		return 1;
	if (strlen(s) > CONFIG_CONTACT_EMAIL_MAX || !config_contact_chars(s) ||
	    (at = strchr(s, '@')) == NULL || at == s ||
	    strchr(at + 1, '@') != NULL || strchr(at + 1, '.') == NULL ||
	    at[1] == '.' || s[strlen(s) - 1] == '.')
		return 0;
	return 1;
}

/* 1 if s is empty or digits with spaces, "+", "-", "(" and ")" (7..32). */
static int
config_contact_phone_ok(const char *s)
{
	size_t digits = 0;
	const char *p;

	if (*s == '\0')
		return 1;
	if (strlen(s) > CONFIG_CONTACT_PHONE_MAX)
		return 0;
	for (p = s; *p != '\0'; p++) {
		if (isdigit((unsigned char)*p))
			digits++;
		else if (strchr(" +-()", *p) == NULL)
			return 0;
	}
	return digits >= 7;
}

/* 1 if s is empty or an https:// address with a host. */
static int
config_contact_url_ok(const char *s)
{
	static const char scheme[] = "https://";

	if (*s == '\0')
		return 1;
	return strlen(s) <= CONFIG_CONTACT_URL_MAX && config_contact_chars(s) &&
	    strncmp(s, scheme, sizeof(scheme) - 1) == 0 &&
	    s[sizeof(scheme) - 1] != '\0' && s[sizeof(scheme) - 1] != '/';
}

/*
 * config_check_contact: the contact settings are shown to every visitor,
 * so only plain values pass. The number of bad ones, each logged by name
 * (never its value).
 */
static int
config_check_contact(const struct config *cfg)
{
	int problems = 0;

	if (!config_contact_email_ok(cfg->contact_email)) {
		log_warnx("%s: contact_email must be one e-mail address", __func__);
		problems++;
	}
	if (!config_contact_phone_ok(cfg->contact_phone)) {
		log_warnx("%s: contact_phone must be a telephone number (digits, "
		    "spaces, + - ( ), at most %d characters)", __func__,
		    CONFIG_CONTACT_PHONE_MAX);
		problems++;
	}
	if (!config_contact_url_ok(cfg->contact_url)) {
		log_warnx("%s: contact_url must be an https:// address", __func__);
		problems++;
	}
	return problems;
}

int
config_load(struct config *cfg, const char *path)
{
	int problems;

	if ((problems = config_read(cfg, path)) == 0)
		return 0;
	if (problems > 0) {
		log_warnx("%s: %d problem%s in the settings", __func__, problems,
		    problems == 1 ? "" : "s");
		config_free(cfg);
	}
	return -1;
}

void
config_free(struct config *cfg)
{
	size_t			 i;
	char			*base, **slot;
	struct config_addrs	*addrs;

	if (cfg == NULL)
		return;
	base = (char *)cfg;
	for (i = 0; i < sizeof(config_keys) / sizeof(config_keys[0]); i++) {
		switch (config_keys[i].kind) {
		case CONFIG_STRING:
			slot = (char **)(void *)(base + config_keys[i].offset);
			free(*slot);
			*slot = NULL;
			break;
		case CONFIG_ADDRS:
			addrs = (struct config_addrs *)(void *)(base +
			    config_keys[i].offset);
			free(addrs->v);
			addrs->v = NULL;
			addrs->n = 0;
			break;
		default:
			break;
		}
	}
}
