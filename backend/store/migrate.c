/*
 * migrate.c - numbered SQL migrations.
 *
 * Migration files are trusted code from the release, not input: they run
 * through the simple query protocol because they hold many statements.
 * sql/README.md states the rules: numbered files for tables, indexes and
 * data, each run once and checksummed; sql/functions/ and sql/grants.sql
 * for the functions, re-created on every run.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "db.h"
#include "log.h"
#include "migrate.h"

#define MIGRATE_MAX_FILES	1000
#define MIGRATE_MAX_BYTES	(4L << 20)
#define MIGRATE_LOCK_KEY	"7215004242"
#define MIGRATE_BYTEA_OID	17
#define MIGRATE_VERSION_SIZE	sizeof("-2147483648")	/* "%d" */

int
migrate_version(const char *name)
{
	size_t	 n = strlen(name);
	int	 v = 0, i;

	if (n < 10 || name[4] != '_' || strcmp(name + n - 4, ".sql") != 0)
		return -1;
	for (i = 0; i < 4; i++) {
		if (name[i] < '0' || name[i] > '9')
			return -1;
		v = v * 10 + (name[i] - '0');
	}
	return v;
}

int
migrate_function_file(const char *name)
{
	size_t	 n = strlen(name);

	return n > 4 && name[0] != '.' && strcmp(name + n - 4, ".sql") == 0;
}

static int
migrate_numbered(const char *name)
{
	return migrate_version(name) >= 0;
}

static int
migrate_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The names in dir that want accepts, sorted; *count set. NULL on error,
 * with errno ENOENT if dir does not exist.
 */
static char **
migrate_list(const char *dir, int (*want)(const char *), size_t *count)
{
	DIR		*d;
	struct dirent	*e;
	char		**names;
	size_t		 n = 0;

	if ((d = opendir(dir)) == NULL) {
		if (errno != ENOENT)
			log_warnx("%s: cannot open %s", __func__, dir);
		return NULL;
	}
	if ((names = calloc(MIGRATE_MAX_FILES, sizeof(*names))) == NULL)
		goto fail;
	while ((e = readdir(d)) != NULL) {
		if (!want(e->d_name))
			continue;
		if (n == MIGRATE_MAX_FILES ||
		    (names[n] = strdup(e->d_name)) == NULL)
			goto fail;
		n++;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), migrate_cmp);
	*count = n;
	return names;
fail:
	closedir(d);
	while (names != NULL && n > 0)
		free(names[--n]);
	free(names);
	return NULL;
}

static char *
migrate_read(const char *dir, const char *name)
{
	FILE	*fp;
	char	 path[4096], *sql = NULL;
	long	 size;
	int	 n;

	n = snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (n < 0 || (size_t)n >= sizeof(path))
		return NULL;
	if ((fp = fopen(path, "rb")) == NULL)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (size = ftell(fp)) >= 0 &&
	    size <= MIGRATE_MAX_BYTES && fseek(fp, 0, SEEK_SET) == 0 &&
	    (sql = malloc((size_t)size + 1)) != NULL) {
		if (fread(sql, 1, (size_t)size, fp) != (size_t)size) {
			free(sql);
			sql = NULL;
		} else
			sql[size] = '\0';
	}
	fclose(fp);
	return sql;
}

static int
migrate_ok(PGresult *res, const char *what)
{
	ExecStatusType	 st = res == NULL ? PGRES_FATAL_ERROR : PQresultStatus(res);
	const char	*state;
	int		 ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;

	if (!ok) {
		state = res == NULL ? NULL : PQresultErrorField(res, PG_DIAG_SQLSTATE);
		log_warnx("migrate: %s failed (SQLSTATE %s)", what,
		    state != NULL ? state : "none");
		/* Migrations hold no personal data: the message helps. */
		if (res != NULL)
			log_warnx("migrate: %s", PQresultErrorMessage(res));
	}
	PQclear(res);
	return ok ? 0 : -1;
}

static int
migrate_exec(PGconn *conn, const char *sql, const char *what)
{
	return migrate_ok(PQexecParams(conn, sql, 0, NULL, NULL, NULL, NULL, 0),
	    what);
}

/*
 * Whether the migration version is recorded: 0 if not, 1 if it is and its
 * checksum matches sql (a row from before checksums gets sql's now), -1 on
 * error or if the file changed since it was applied.
 */
static int
migrate_applied(PGconn *conn, const char *name, const char *sql)
{
	char		 v[MIGRATE_VERSION_SIZE];
	const char	*values[2] = { v, sql };
	const Oid	 types[2] = { 0, MIGRATE_BYTEA_OID };
	const int	 lengths[2] = { 0, (int)strlen(sql) };
	const int	 formats[2] = { 0, 1 };
	PGresult	*res;
	int		 found, unsealed, same;

	snprintf(v, sizeof(v), "%d", migrate_version(name));
	res = PQexecParams(conn, "SELECT checksum IS NULL, "
	    "checksum = encode(sha256($2), 'hex') FROM schema_migrations "
	    "WHERE version = $1", 2, types, values, lengths, formats, 0);
	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK) {
		log_warnx("%s: cannot read schema_migrations", __func__);
		PQclear(res);
		return -1;
	}
	found = PQntuples(res) > 0;
	unsealed = found && strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	same = found && strcmp(PQgetvalue(res, 0, 1), "t") == 0;
	PQclear(res);
	if (!found)
		return 0;
	if (unsealed)
		return migrate_ok(PQexecParams(conn, "UPDATE schema_migrations "
		    "SET checksum = encode(sha256($2), 'hex') WHERE version = $1",
		    2, types, values, lengths, formats, 0), "checksum") == 0 ?
		    1 : -1;
	if (!same) {
		log_warnx("migrate: %s changed since it was applied: a landed "
		    "migration is never edited (sql/README.md)", name);
		return -1;
	}
	return 1;
}

static int
migrate_apply(PGconn *conn, const char *name, const char *sql)
{
	char		 v[MIGRATE_VERSION_SIZE];
	const char	*values[3] = { v, name, sql };
	const Oid	 types[3] = { 0, 0, MIGRATE_BYTEA_OID };
	const int	 lengths[3] = { 0, 0, (int)strlen(sql) };
	const int	 formats[3] = { 0, 0, 1 };

	snprintf(v, sizeof(v), "%d", migrate_version(name));
	if (migrate_exec(conn, "BEGIN", "begin") == -1)
		goto fail;
	/* Trusted, multi-statement release file: see the comment at the top. */
	if (migrate_ok(PQexec(conn, sql), name) == -1)
		goto fail;
	if (migrate_ok(PQexecParams(conn, "INSERT INTO schema_migrations "
	    "(version, name, checksum) VALUES ($1, $2, encode(sha256($3), 'hex'))",
	    3, types, values, lengths, formats, 0), "record") == -1)
		goto fail;
	if (migrate_exec(conn, "COMMIT", "commit") == -1)
		goto fail;
	log_info("migrate: applied %s", name);
	return 0;
fail:
	(void)migrate_exec(conn, "ROLLBACK", "rollback");
	return -1;
}

static void
migrate_free_list(char **names, size_t count)
{
	size_t	 i;

	for (i = 0; i < count; i++)
		free(names[i]);
	free(names);
}

/* Apply the numbered files not yet recorded: how many, or -1. */
static int
migrate_files(PGconn *conn, const char *dir)
{
	char	**names, *sql;
	size_t	 count = 0, i;
	int	 applied = 0, done;

	if ((names = migrate_list(dir, migrate_numbered, &count)) == NULL) {
		log_warnx("%s: cannot list %s", __func__, dir);
		return -1;
	}
	for (i = 0; i < count && applied >= 0; i++) {
		if ((sql = migrate_read(dir, names[i])) == NULL) {
			log_warnx("%s: cannot read %s", __func__, names[i]);
			applied = -1;
			break;
		}
		done = migrate_applied(conn, names[i], sql);
		if (done < 0)
			applied = -1;
		else if (!done)
			applied = migrate_apply(conn, names[i], sql) == 0 ?
			    applied + 1 : -1;
		free(sql);
	}
	migrate_free_list(names, count);
	return applied;
}

/* Run one trusted file of dir inside the open transaction: 0 or -1. */
static int
migrate_run_file(PGconn *conn, const char *dir, const char *name)
{
	char	*sql;
	int	 rc;

	if ((sql = migrate_read(dir, name)) == NULL) {
		log_warnx("%s: cannot read %s", __func__, name);
		return -1;
	}
	rc = migrate_ok(PQexec(conn, sql), name);
	free(sql);
	return rc;
}

/*
 * Re-create every function of dir/functions, then dir/grants.sql, in one
 * transaction: the daemon sees the old set or the new, never a mix. Bodies
 * are checked when called, not when created, so the files' order does not
 * matter. A sql dir without functions/ (a release before it) has none.
 * 0 or -1.
 */
static int
migrate_functions(PGconn *conn, const char *dir)
{
	char	 fdir[4096], **names;
	size_t	 count = 0, i;
	int	 n;

	n = snprintf(fdir, sizeof(fdir), "%s/functions", dir);
	if (n < 0 || (size_t)n >= sizeof(fdir))
		return -1;
	if ((names = migrate_list(fdir, migrate_function_file, &count)) == NULL) {
		if (errno == ENOENT)
			return 0;
		log_warnx("%s: cannot list %s", __func__, fdir);
		return -1;
	}
	if (migrate_exec(conn, "BEGIN", "begin") == -1 ||
	    migrate_exec(conn, "SET LOCAL check_function_bodies = off",
	    "set") == -1)
		goto fail;
	for (i = 0; i < count; i++)
		if (migrate_run_file(conn, fdir, names[i]) == -1)
			goto fail;
	if (migrate_run_file(conn, dir, "grants.sql") == -1 ||
	    migrate_exec(conn, "COMMIT", "commit") == -1)
		goto fail;
	migrate_free_list(names, count);
	log_info("migrate: re-created the functions of %zu files", count);
	return 0;
fail:
	(void)migrate_exec(conn, "ROLLBACK", "rollback");
	migrate_free_list(names, count);
	return -1;
}

int
migrate_run(const char *conninfo, const char *sql_dir)
{
	PGconn	*conn;
	int	 applied = -1;

	conn = db_connect(conninfo);
	if (conn == NULL || PQstatus(conn) != CONNECTION_OK) {
		log_warnx("%s: cannot connect to the database", __func__);
		PQfinish(conn);
		return -1;
	}
	if (migrate_exec(conn, "SET client_min_messages = warning", "set") == -1 ||
	    migrate_exec(conn, "SELECT pg_advisory_lock(" MIGRATE_LOCK_KEY ")",
	    "lock") == -1 ||
	    migrate_exec(conn, "CREATE TABLE IF NOT EXISTS schema_migrations ("
	    "version integer PRIMARY KEY, name text NOT NULL, "
	    "applied_at timestamptz NOT NULL DEFAULT now(), checksum text)",
	    "create") == -1 ||
	    migrate_exec(conn, "ALTER TABLE schema_migrations "
	    "ADD COLUMN IF NOT EXISTS checksum text", "alter") == -1)
		goto out;
	applied = migrate_files(conn, sql_dir);
	if (applied >= 0 && migrate_functions(conn, sql_dir) == -1)
		applied = -1;
	(void)migrate_exec(conn, "SELECT pg_advisory_unlock(" MIGRATE_LOCK_KEY ")",
	    "unlock");
out:
	PQfinish(conn);
	return applied;
}
