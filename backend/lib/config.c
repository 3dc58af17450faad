/*
 * config.c - defaults, a "key = value" file, then environment overrides.
 * Every key is in one table; an unknown key is an error, not ignored.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "log.h"

enum config_kind { CONFIG_STRING, CONFIG_INT, CONFIG_SIZE };

struct config_key {
	const char	*name;
	const char	*env;
	enum config_kind kind;
	size_t		 offset;
	long long	 min, max;
};

/* The highest base difficulty of proof of work one may configure. */
#define CONFIG_POW_DIFFICULTY_MAX	40

#define STR(n, e, f) { n, e, CONFIG_STRING, offsetof(struct config, f), 0, 0 }
#define INT(n, e, f, lo, hi) { n, e, CONFIG_INT, offsetof(struct config, f), lo, hi }
#define SIZE(n, e, f, lo, hi) { n, e, CONFIG_SIZE, offsetof(struct config, f), lo, hi }

static const struct config_key config_keys[] = {
	STR("database", "MELDPUNT_DATABASE", database),
	STR("admin_database", "MELDPUNT_ADMIN_DATABASE", admin_database),
	STR("listen", "MELDPUNT_LISTEN", listen),
	STR("secrets_dir", "MELDPUNT_SECRETS_DIR", secrets_dir),
	STR("frontend_dir", "MELDPUNT_FRONTEND_DIR", frontend_dir),
	STR("sql_dir", "MELDPUNT_SQL_DIR", sql_dir),
	STR("audit_sink", "MELDPUNT_AUDIT_SINK", audit_sink),
	STR("trusted_proxies", "MELDPUNT_TRUSTED_PROXIES", trusted_proxies),
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
	STR("stats_method", "MELDPUNT_STATS_METHOD", stats_method),
	STR("stats_epsilon", "MELDPUNT_STATS_EPSILON", stats_epsilon),
	INT("stats_merge_headcount", "MELDPUNT_STATS_MERGE_HEADCOUNT",
	    stats_merge_headcount, 0, INT_MAX),
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
	}
	return -1;
}

static int
config_defaults(struct config *cfg)
{
	static const char *const defaults[][2] = {
		{ "database", "dbname=meldpunt user=meldpunt_app" },
		{ "admin_database", "dbname=meldpunt" },
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

static int
config_read_file(struct config *cfg, const char *path)
{
	FILE	*fp;
	char	 line[4096], *eq, *key, *value;
	int	 lineno = 0, rc = 0;

	if ((fp = fopen(path, "r")) == NULL) {
		log_warnx("%s: cannot open %s", __func__, path);
		return -1;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		lineno++;
		if (strchr(line, '\n') == NULL && !feof(fp)) {
			log_warnx("%s: %s:%d: line too long", __func__, path, lineno);
			rc = -1;
			break;
		}
		key = config_trim(line);
		if (*key == '\0' || *key == '#')
			continue;
		if ((eq = strchr(key, '=')) == NULL) {
			log_warnx("%s: %s:%d: expected key = value", __func__,
			    path, lineno);
			rc = -1;
			break;
		}
		*eq = '\0';
		key = config_trim(key);
		value = config_trim(eq + 1);
		if (config_set(cfg, key, value) == -1) {
			log_warnx("%s: %s:%d: bad setting", __func__, path, lineno);
			rc = -1;
			break;
		}
	}
	if (ferror(fp))
		rc = -1;
	fclose(fp);
	return rc;
}

static int
config_read_env(struct config *cfg)
{
	const char	*value;
	size_t		 i;

	for (i = 0; i < sizeof(config_keys) / sizeof(config_keys[0]); i++) {
		if ((value = getenv(config_keys[i].env)) == NULL)
			continue;
		if (config_set(cfg, config_keys[i].name, value) == -1)
			return -1;
	}
	return 0;
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
 * so only plain values pass: 0, or -1 after logging which setting is bad
 * (never its value).
 */
static int
config_check_contact(const struct config *cfg)
{
	if (!config_contact_email_ok(cfg->contact_email)) {
		log_warnx("%s: contact_email must be one e-mail address", __func__);
		return -1;
	}
	if (!config_contact_phone_ok(cfg->contact_phone)) {
		log_warnx("%s: contact_phone must be a telephone number (digits, "
		    "spaces, + - ( ), at most %d characters)", __func__,
		    CONFIG_CONTACT_PHONE_MAX);
		return -1;
	}
	if (!config_contact_url_ok(cfg->contact_url)) {
		log_warnx("%s: contact_url must be an https:// address", __func__);
		return -1;
	}
	return 0;
}

int
config_load(struct config *cfg, const char *path)
{
	if (config_defaults(cfg) == -1)
		goto fail;
	if (path != NULL && config_read_file(cfg, path) == -1)
		goto fail;
	if (config_read_env(cfg) == -1)
		goto fail;
	if (config_check_contact(cfg) == -1)
		goto fail;
	return 0;
fail:
	config_free(cfg);
	return -1;
}

void
config_free(struct config *cfg)
{
	size_t	 i;
	char	**slot;

	if (cfg == NULL)
		return;
	for (i = 0; i < sizeof(config_keys) / sizeof(config_keys[0]); i++) {
		if (config_keys[i].kind != CONFIG_STRING)
			continue;
		slot = (char **)(void *)((char *)cfg + config_keys[i].offset);
		free(*slot);
		*slot = NULL;
	}
}
