/*
 * fuzz_config.c - a config file through config_load (backend/lib/config.c),
 * and every key set directly with config_set, as the environment does.
 *
 * config_load takes a path: the input is written to a memory file
 * (memfd_create) and loaded through /proc/self/fd. Besides memory safety
 * and leaks (every string of a struct config is freed by config_free),
 * it checks that a loaded config, written back as "key=value" lines,
 * loads again to the same settings.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "config.h"
#include "fuzz.h"

static int	memfd = -1;
static char	memfd_path[64];

/* Every key of config.c's table, in the order of struct config. */
static const char *const keys[] = {
	"database", "admin_database", "listen", "secrets_dir",
	"frontend_dir", "sql_dir", "audit_sink", "trusted_proxies",
	"threads", "connections", "client_connections", "head_timeout",
	"stop_timeout", "json_bytes", "attachment_bytes", "case_bytes",
	"pow_difficulty", "pow_ceiling", "client_challenges",
	"reporter_login_failures", "retention_days", "stats_k",
	"stats_method", "stats_epsilon", "stats_merge_headcount",
};

#define NKEYS	(sizeof(keys) / sizeof(keys[0]))

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char	name[64];
	size_t	i, j;
	int	n;

	(void)argc;
	(void)argv;
	/* Settings from the environment (tests/run sets some) would win. */
	for (i = 0; i < NKEYS; i++) {
		n = snprintf(name, sizeof(name), "MELDPUNT_%s", keys[i]);
		FUZZ_CHECK(n > 0 && (size_t)n < sizeof(name));
		for (j = 0; name[j] != '\0'; j++)
			name[j] = (char)toupper((unsigned char)name[j]);
		FUZZ_CHECK(unsetenv(name) == 0);
	}
	FUZZ_CHECK((memfd = memfd_create("fuzz-config", 0)) != -1);
	n = snprintf(memfd_path, sizeof(memfd_path), "/proc/self/fd/%d", memfd);
	FUZZ_CHECK(n > 0 && (size_t)n < sizeof(memfd_path));
	return 0;
}

/* Make the memory file hold exactly the n bytes at p. */
static void
memfd_fill(const void *p, size_t n)
{
	FUZZ_CHECK(ftruncate(memfd, 0) == 0);
	FUZZ_CHECK(n == 0 || pwrite(memfd, p, n, 0) == (ssize_t)n);
}

/* The parsed trusted proxies, written back as a list of addresses. */
static void
render_addrs(FILE *fp, const struct config_addrs *a)
{
	char	text[INET6_ADDRSTRLEN];
	size_t	i;

	fprintf(fp, "trusted_proxies=");
	for (i = 0; i < a->n; i++) {
		FUZZ_CHECK(a->v[i].family == AF_INET ||
		    a->v[i].family == AF_INET6);
		FUZZ_CHECK(inet_ntop(a->v[i].family, a->v[i].bytes, text,
		    sizeof(text)) != NULL);
		fprintf(fp, "%s%s", i > 0 ? ", " : "", text);
	}
	fprintf(fp, "\n");
}

/* cfg as a config file: one "key=value" line per setting. */
static char *
render(const struct config *cfg, size_t *len)
{
	char	*text = NULL;
	size_t	 size = 0;
	FILE	*fp;

	FUZZ_CHECK((fp = open_memstream(&text, &size)) != NULL);
	if (cfg->admin_database != NULL)
		fprintf(fp, "admin_database=%s\n", cfg->admin_database);
	fprintf(fp, "database=%s\nlisten=%s\n"
	    "secrets_dir=%s\nfrontend_dir=%s\nsql_dir=%s\naudit_sink=%s\n"
	    "stats_method=%s\nstats_epsilon=%u/%u\n",
	    cfg->database, cfg->listen, cfg->secrets_dir,
	    cfg->frontend_dir, cfg->sql_dir, cfg->audit_sink,
	    config_stats_method_name(cfg->stats_method),
	    cfg->stats_epsilon.num, cfg->stats_epsilon.den);
	render_addrs(fp, &cfg->trusted_proxies);
	fprintf(fp, "threads=%d\nconnections=%d\nclient_connections=%d\n"
	    "head_timeout=%d\nstop_timeout=%d\njson_bytes=%zu\n"
	    "attachment_bytes=%zu\ncase_bytes=%zu\npow_difficulty=%d\n"
	    "pow_ceiling=%d\nclient_challenges=%d\n"
	    "reporter_login_failures=%d\nretention_days=%d\nstats_k=%d\n"
	    "stats_merge_headcount=%d\n",
	    cfg->threads, cfg->connections, cfg->client_connections,
	    cfg->head_timeout, cfg->stop_timeout, cfg->json_bytes,
	    cfg->attachment_bytes, cfg->case_bytes, cfg->pow_difficulty,
	    cfg->pow_ceiling, cfg->client_challenges,
	    cfg->reporter_login_failures, cfg->retention_days, cfg->stats_k,
	    cfg->stats_merge_headcount);
	FUZZ_CHECK(fclose(fp) == 0);
	*len = size;
	return text;
}

/* The file: load, then load what it says again. */
static void
check_load(const uint8_t *data, size_t size)
{
	struct config	 cfg, again;
	char		*text, *text2;
	size_t		 len, len2;

	memfd_fill(data, size);
	if (config_load(&cfg, memfd_path) == -1)
		return;
	text = render(&cfg, &len);
	memfd_fill(text, len);
	FUZZ_CHECK(config_load(&again, memfd_path) == 0);
	text2 = render(&again, &len2);
	FUZZ_CHECK(len == len2 && memcmp(text, text2, len) == 0);
	free(text2);
	free(text);
	config_free(&again);
	config_free(&cfg);
}

/* The input (up to a NUL) as the value of every key, as from getenv. */
static void
check_set(const uint8_t *data, size_t size)
{
	struct config	 cfg;
	char		*value;
	size_t		 i;

	if ((value = malloc(size + 1)) == NULL)
		return;
	memcpy(value, data, size);
	value[size] = '\0';
	memset(&cfg, 0, sizeof(cfg));
	for (i = 0; i < NKEYS; i++) {
		(void)config_set(&cfg, keys[i], value);
		(void)config_set(&cfg, keys[i], value);	/* replaces */
	}
	(void)config_set(&cfg, value, value);
	config_free(&cfg);
	free(value);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_load(data, size);
	check_set(data, size);
	return 0;
}
