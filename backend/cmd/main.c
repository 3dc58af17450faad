/*
 * main.c - meldpuntd: settings, subcommands, the route table and the
 * CivetWeb server.
 *
 *	meldpuntd [-c FILE] -n		check the configuration for serve
 *	meldpuntd [-c FILE] serve	serve the API and the frontend
 *	meldpuntd [-c FILE] migrate	apply the SQL migrations (as the owner)
 *	meldpuntd [-c FILE] keygen	create missing online key files
 *	meldpuntd [-c FILE] pins	print the pinned public keys as JSON
 *	meldpuntd [-c FILE] create-admin --email E --name N
 *					create an admin account, print its invite
 *	meldpuntd [-c FILE] purge	run the retention purge (as the owner)
 *	meldpuntd [-c FILE] audit verify	check the audit chain and heads
 *	meldpuntd [-c FILE] audit sign	sign the heads of finished days now
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <civetweb.h>
#include <cjson/cJSON.h>
#include <pthread.h>
#include <sodium.h>

#include "admin.h"
#include "app.h"
#include "audit.h"
#include "check.h"
#include "config.h"
#include "db.h"
#include "dispatch.h"
#include "gate.h"
#include "http.h"
#include "json_mem.h"
#include "log.h"
#include "maint.h"
#include "notify.h"
#include "migrate.h"
#include "release.h"
#include "purge.h"
#include "routes.h"
#include "secrets.h"
#include "session.h"
#include "static.h"
#include "submit_queue.h"
#include "totp.h"

#define MAIN_INT_SIZE	sizeof("-2147483648")	/* "%d" */



static int
main_begin_request(struct mg_connection *conn)
{
	int status = dispatch_request(conn, app.cfg, routes_api,
	    session_authenticate);

	return status > 0 ? status : 500;
}

static int
main_log_message(const struct mg_connection *conn, const char *msg)
{
	(void)conn;
	(void)msg;	/* CivetWeb's lines carry client addresses: dropped */
	return 1;
}

static void
main_exit_thread(const struct mg_context *ctx, int thread_type, void *ptr)
{
	(void)ctx;
	(void)thread_type;
	(void)ptr;
	db_thread_end();
}

static int
main_int_text(char *out, size_t outsz, int n)
{
	int w = snprintf(out, outsz, "%d", n);

	return w < 0 || (size_t)w >= outsz ? -1 : 0;
}

static void
main_connection_closed(const struct mg_connection *conn)
{
	gate_connection_closed(conn);
}

/*
 * CivetWeb's request timeout bounds the whole request head, measured from
 * the first byte awaited (and each read or write of a body or answer that
 * makes no progress); bodies have their own minimum rate (http.h). The
 * queue holds what the gate admits beyond the workers, so the thread that
 * accepts never waits for a worker.
 */
static struct mg_context *
main_start_server(const struct config *cfg)
{
	struct mg_callbacks	 cb;
	char			 threads[MAIN_INT_SIZE], head_ms[MAIN_INT_SIZE];
	char			 queue[MAIN_INT_SIZE];
	const char		*options[] = {
		"listening_ports", cfg->listen,
		"num_threads", threads,
		"connection_queue", queue,
		"enable_keep_alive", "yes",
		"keep_alive_timeout_ms", head_ms,
		"request_timeout_ms", head_ms,
		"tcp_nodelay", "1",
		"max_request_size", "16384",
		"enable_directory_listing", "no",
		"decode_url", "no",
		"access_control_allow_origin", "",
		"access_control_allow_methods", "",
		"access_control_allow_headers", "",
		"access_log_file", "",
		"error_log_file", "",
		NULL
	};

	if (main_int_text(threads, sizeof(threads), cfg->threads) == -1 ||
	    main_int_text(head_ms, sizeof(head_ms), cfg->head_timeout * 1000) ==
	    -1 || main_int_text(queue, sizeof(queue),
	    cfg->connections > cfg->threads ? cfg->connections - cfg->threads :
	    1) == -1)
		return NULL;
	memset(&cb, 0, sizeof(cb));
	cb.begin_request = main_begin_request;
	cb.log_message = main_log_message;
	/*
	 * No log_access: without it (and without an access log file)
	 * CivetWeb does not even format an access line, which would hold
	 * the client's address, user agent and referer, and which it dates
	 * with localtime(), whose one static buffer its workers would share
	 * (a data race ThreadSanitizer reports).
	 */
	cb.http_error = http_error_callback;
	cb.exit_thread = main_exit_thread;
	cb.connection_close = http_connection_closing;
	cb.connection_closed = main_connection_closed;
	return mg_start(&cb, NULL, options);
}

/* Log the bound address, so a test can listen on port 0 and read it. */
static void
main_log_listening(const struct mg_context *ctx, int threads, int files)
{
	struct mg_server_port	ports[4];
	int			n, i;

	memset(ports, 0, sizeof(ports));
	n = mg_get_server_ports(ctx, 4, ports);
	for (i = 0; i < n; i++)
		log_info("serve: listening on port %d with %d threads, "
		    "%d static files", ports[i].port, threads, files);
}

/*
 * A stop lets requests in progress finish: new connections and new
 * requests are answered 503 (with Retry-After), and the stop waits until
 * every admitted connection has closed (answers in a stop close their
 * connection) and no new one has come for MAIN_STOP_QUIET_MS, or seconds
 * have passed. Closing the listener resets connections the kernel has
 * queued but nobody accepted: the quiet spell lets the clients that were
 * told 503 go away first.
 */
#define MAIN_STOP_QUIET_MS	300

static void
main_drain(int seconds)
{
	struct timespec	 tick = { 0, 20 * 1000 * 1000 };
	long		 ticks = (long)seconds * 50;

	gate_drain();
	log_info("serve: stopping; %d connections open", gate_open());
	while (ticks-- > 0 &&
	    (gate_open() > 0 || gate_quiet_ms() < MAIN_STOP_QUIET_MS))
		nanosleep(&tick, NULL);
	log_info("serve: stopped; %d connections cut", gate_open());
}

/*
 * serve holds no owner connection: one given anyway is wiped and dropped
 * (the check mode calls it an error).
 */
static void
main_forget_admin(struct config *cfg)
{
	if (cfg->admin_database == NULL)
		return;
	if (config_has_admin(cfg))
		log_warnx("serve: admin_database is set; serve does not use "
		    "it and forgets it (keep it out of the serving "
		    "configuration)");
	sodium_memzero(cfg->admin_database, strlen(cfg->admin_database));
	free(cfg->admin_database);
	cfg->admin_database = NULL;
}

static int
main_serve(struct config *cfg)
{
	struct mg_context	*ctx;
	sigset_t		 set;
	int			 sig = 0, files;

	if (check_root(0) == -1)
		return 1;
	main_forget_admin(cfg);
	/* A key file others could read is a leak already: no serving on it. */
	if (secrets_check(cfg->secrets_dir) > 0) {
		log_warnx("serve: the key files are not safe (see above); "
		    "not serving");
		return 1;
	}
	if ((app.secrets = secrets_load(cfg->secrets_dir)) == NULL)
		return 1;
	if (totp_init() == -1 || db_init(cfg->database) == -1 ||
	    (files = static_load(cfg->frontend_dir)) == -1)
		return 1;
	/* Workers inherit this mask; only the main thread takes signals. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	if (pthread_sigmask(SIG_BLOCK, &set, NULL) != 0)
		return 1;
	signal(SIGPIPE, SIG_IGN);
	mg_init_library(0);
	if (notify_start() == -1)
		return 1;
	if (maint_start() == -1) {
		notify_stop();
		return 1;
	}
	if (submit_queue_start() == -1) {
		maint_stop();
		notify_stop();
		return 1;
	}
	if (gate_start(cfg) == -1 || (ctx = main_start_server(cfg)) == NULL) {
		gate_stop();
		submit_queue_stop();
		maint_stop();
		notify_stop();
		log_warnx("serve: cannot listen on %s", cfg->listen);
		return 1;
	}
	main_log_listening(ctx, cfg->threads, files);
	while (sig != SIGINT && sig != SIGTERM)
		if (sigwait(&set, &sig) != 0)
			break;
	main_drain(cfg->stop_timeout);
	maint_stop();
	notify_stop();
	mg_stop(ctx);
	gate_stop();
	submit_queue_stop();	/* after the workers: they may wait on it */
	mg_exit_library();
	static_free();
	db_thread_end();
	secrets_free((struct secrets *)app.secrets);
	return 0;
}

static int
main_pins(const struct config *cfg)
{
	struct secrets	*s;
	char		*json;
	int		 rc = 1;

	if ((s = secrets_load(cfg->secrets_dir)) == NULL)
		return 1;
	if ((json = secrets_pins_json(s)) != NULL) {
		rc = printf("%s\n", json) < 0;
		cJSON_free(json);
	}
	secrets_free(s);
	return rc;
}

/*
 * Set up what a one-shot command needs: keys and the runtime database.
 * Returns 0, or 1 after logging.
 */
static int
main_tool_setup(const struct config *cfg)
{
	if ((app.secrets = secrets_load(cfg->secrets_dir)) == NULL ||
	    db_init(cfg->database) == -1)
		return 1;
	return 0;
}

static void
main_tool_end(void)
{
	db_thread_end();
	secrets_free((struct secrets *)app.secrets);
	app.secrets = NULL;
}

/* create-admin --email E --name N */
static int
main_create_admin(const struct config *cfg, int argc, char *argv[])
{
	const char	*email = NULL, *name = NULL;
	int		 i, rc;

	for (i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--email") == 0)
			email = argv[i + 1];
		else if (strcmp(argv[i], "--name") == 0)
			name = argv[i + 1];
		else
			return 2;
	}
	if (i != argc || email == NULL || name == NULL)
		return 2;
	if (main_tool_setup(cfg) != 0)
		return 1;
	rc = admin_create_cli(email, name, stdout) == 0 ? 0 : 1;
	main_tool_end();
	return rc;
}

/* The owner's connection, which migrate and purge need. 0, or -1. */
static int
main_need_admin(const struct config *cfg, const char *who)
{
	if (config_has_admin(cfg))
		return 0;
	log_warnx("%s: admin_database is not set: this runs as the tables' "
	    "owner (MELDPUNT_ADMIN_DATABASE)", who);
	return -1;
}

/*
 * The retention purge runs wholly as the tables' owner: the deletes and
 * their audit entries, then VACUUM, which only the owner may run. It
 * needs no key.
 */
static int
main_purge(const struct config *cfg)
{
	int n;

	if (main_need_admin(cfg, "purge") == -1 ||
	    db_init(cfg->admin_database) == -1)
		return 1;
	n = purge_run(cfg->retention_days, cfg->admin_database);
	if (n >= 0)
		printf("purge: %d cases purged\n", n);
	db_thread_end();
	return n < 0;
}

/* audit verify | audit sign */
static int
main_audit(const struct config *cfg, int argc, char *argv[])
{
	int rc;

	if (argc != 2 || (strcmp(argv[1], "verify") != 0 &&
	    strcmp(argv[1], "sign") != 0))
		return 2;
	if (main_tool_setup(cfg) != 0)
		return 1;
	if (strcmp(argv[1], "verify") == 0)
		rc = audit_verify(cfg->audit_sink, stdout);
	else {
		rc = audit_sign_heads(cfg->audit_sink);
		if (rc >= 0)
			printf("audit sign: %d heads signed\n", rc);
		rc = rc < 0;
	}
	main_tool_end();
	return rc < 0 ? 1 : rc;
}

static void
main_usage(void)
{
	fprintf(stderr, "usage: meldpuntd [-c config] -n\n"
	    "       meldpuntd [-c config] "
	    "serve | migrate | keygen | pins | purge\n"
	    "       meldpuntd [-c config] create-admin --email E --name N\n"
	    "       meldpuntd [-c config] audit verify | sign\n"
	    "       meldpuntd [-c config] stats release --family F "
	    "--quarter YYYYQn [--format json|csv]\n");
}

int
main(int argc, char *argv[])
{
	struct config	 cfg;
	const char	*config_path = getenv("MELDPUNT_CONFIG");
	int		 ch, rc = 1, n, check = 0;

	while ((ch = getopt(argc, argv, "+c:nv")) != -1) {
		switch (ch) {
		case 'c':
			config_path = optarg;
			break;
		case 'n':
			check = 1;
			break;
		case 'v':
			log_set_verbose(1);
			break;
		default:
			main_usage();
			return 2;
		}
	}
	if (check ? optind != argc : optind >= argc) {
		main_usage();
		return 2;
	}
	if (sodium_init() < 0)
		return 1;
	json_mem_init();
	if (check)
		return check_run(config_path);
	if (config_load(&cfg, config_path) == -1)
		return 1;
	app.cfg = &cfg;
	if (strcmp(argv[optind], "create-admin") == 0)
		rc = main_create_admin(&cfg, argc - optind, argv + optind);
	else if (strcmp(argv[optind], "audit") == 0)
		rc = main_audit(&cfg, argc - optind, argv + optind);
	else if (strcmp(argv[optind], "stats") == 0)
		rc = release_cli(&cfg, argc - optind, argv + optind);
	else if (optind != argc - 1)
		rc = 2;
	else if (strcmp(argv[optind], "purge") == 0)
		rc = main_purge(&cfg);
	else if (strcmp(argv[optind], "serve") == 0)
		rc = main_serve(&cfg);
	else if (strcmp(argv[optind], "migrate") == 0) {
		n = main_need_admin(&cfg, "migrate") == -1 ? -1 :
		    migrate_run(cfg.admin_database, cfg.sql_dir);
		if (n >= 0)
			log_info("migrate: %d applied", n);
		rc = n < 0;
	} else if (strcmp(argv[optind], "keygen") == 0) {
		n = secrets_generate(cfg.secrets_dir);
		if (n >= 0)
			log_info("keygen: %d key files created", n);
		rc = n < 0;
	} else if (strcmp(argv[optind], "pins") == 0)
		rc = main_pins(&cfg);
	else
		rc = 2;
	if (rc == 2)
		main_usage();
	config_free(&cfg);
	return rc;
}
