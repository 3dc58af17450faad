/*
 * migrate.c - numbered SQL migrations.
 *
 * Migration files are trusted code from the release, not input: they run
 * through the simple query protocol because they hold many statements.
 */
#include <dirent.h>
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

static int
migrate_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The migration file names of dir, sorted; *count set. NULL on error. */
static char **
migrate_list(const char *dir, size_t *count)
{
	DIR		*d;
	struct dirent	*e;
	char		**names;
	size_t		 n = 0;

	if ((d = opendir(dir)) == NULL) {
		log_warnx("%s: cannot open %s", __func__, dir);
		return NULL;
	}
	if ((names = calloc(MIGRATE_MAX_FILES, sizeof(*names))) == NULL)
		goto fail;
	while ((e = readdir(d)) != NULL) {
		if (migrate_version(e->d_name) < 0)
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

static int
migrate_applied(PGconn *conn, int version)
{
	char		 v[16];
	const char	*values[1] = { v };
	PGresult	*res;
	int		 found;

	snprintf(v, sizeof(v), "%d", version);
	res = PQexecParams(conn, "SELECT 1 FROM schema_migrations "
	    "WHERE version = $1", 1, NULL, values, NULL, NULL, 0);
	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK) {
		PQclear(res);
		return -1;
	}
	found = PQntuples(res) > 0;
	PQclear(res);
	return found;
}

static int
migrate_apply(PGconn *conn, const char *dir, const char *name)
{
	char		 v[16];
	const char	*values[2] = { v, name };
	char		*sql;

	snprintf(v, sizeof(v), "%d", migrate_version(name));
	if ((sql = migrate_read(dir, name)) == NULL) {
		log_warnx("%s: cannot read %s", __func__, name);
		return -1;
	}
	if (migrate_exec(conn, "BEGIN", "begin") == -1)
		goto fail;
	/* Trusted, multi-statement release file: see the comment at the top. */
	if (migrate_ok(PQexec(conn, sql), name) == -1)
		goto fail;
	if (migrate_ok(PQexecParams(conn, "INSERT INTO schema_migrations "
	    "(version, name) VALUES ($1, $2)", 2, NULL, values, NULL, NULL, 0),
	    "record") == -1)
		goto fail;
	if (migrate_exec(conn, "COMMIT", "commit") == -1)
		goto fail;
	free(sql);
	log_info("migrate: applied %s", name);
	return 0;
fail:
	(void)migrate_exec(conn, "ROLLBACK", "rollback");
	free(sql);
	return -1;
}

static int
migrate_files(PGconn *conn, const char *dir)
{
	char	**names;
	size_t	 count = 0, i;
	int	 applied = 0, done;

	if ((names = migrate_list(dir, &count)) == NULL)
		return -1;
	for (i = 0; i < count && applied >= 0; i++) {
		done = migrate_applied(conn, migrate_version(names[i]));
		if (done < 0)
			applied = -1;
		else if (!done)
			applied = migrate_apply(conn, dir, names[i]) == 0 ?
			    applied + 1 : -1;
	}
	for (i = 0; i < count; i++)
		free(names[i]);
	free(names);
	return applied;
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
	    "applied_at timestamptz NOT NULL DEFAULT now())", "create") == -1)
		goto out;
	applied = migrate_files(conn, sql_dir);
	(void)migrate_exec(conn, "SELECT pg_advisory_unlock(" MIGRATE_LOCK_KEY ")",
	    "unlock");
out:
	PQfinish(conn);
	return applied;
}
