/*
 * db.c - one PostgreSQL connection per worker thread, prepared statements,
 * reconnection after an outage or a failover, and errors reduced to their
 * SQLSTATE.
 *
 * Failover: the conninfo may name several servers with
 * target_session_attrs=read-write; libpq then connects to whichever is the
 * primary. A connection that turns out to be read-only (a standby, or a
 * conninfo without that setting) or that breaks is dropped, and the next
 * statement outside a transaction connects afresh. Inside a transaction a
 * broken connection is never replaced: the rest of the transaction would
 * run, and commit, without its beginning.
 */
#define _GNU_SOURCE	/* POLLRDHUP */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "statements.h"

/* The text of a DB_INT parameter: "%lld" of any value, with its NUL. */
#define DB_INT_TEXT_SIZE	sizeof("-9223372036854775808")



static char			*db_conninfo;
static __thread PGconn		*db_conn;
static __thread int		 db_in_tx;	/* between BEGIN and its end */
static __thread int		 db_drop;	/* drop db_conn before its next use */
static __thread int		 db_warned;	/* a WARNING came with the last result */

int
db_init(const char *conninfo)
{
	free(db_conninfo);
	if ((db_conninfo = strdup(conninfo)) == NULL)
		return -1;
	return 0;
}

int
db_conninfo_valid(const char *conninfo)
{
	PQconninfoOption	*opts;
	char			*err = NULL;

	if (conninfo[0] == '\0')
		return 0;
	/* As PQconnectdbParams expands "dbname": only text with these. */
	if (strchr(conninfo, '=') == NULL &&
	    strncmp(conninfo, "postgresql://", 13) != 0 &&
	    strncmp(conninfo, "postgres://", 11) != 0)
		return 1;
	if ((opts = PQconninfoParse(conninfo, &err)) == NULL) {
		PQfreemem(err);
		return 0;
	}
	PQconninfoFree(opts);
	return 1;
}

void
db_thread_end(void)
{
	if (db_conn != NULL)
		PQfinish(db_conn);
	db_conn = NULL;
	db_in_tx = db_drop = 0;
}

/*
 * Notices can quote values: never logged. A WARNING is remembered: the one
 * a COMMIT returns with when its wait for the synchronous standby was
 * cancelled ("committed locally, but might not have been replicated") is
 * SQLSTATE 01000, and such a commit must not be acknowledged.
 */
static void
db_notice(void *arg, const PGresult *res)
{
	const char *sev, *state;

	(void)arg;
	sev = PQresultErrorField(res, PG_DIAG_SEVERITY_NONLOCALIZED);
	state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	if (sev != NULL && strcmp(sev, "WARNING") == 0 &&
	    state != NULL && strcmp(state, "01000") == 0)
		db_warned = 1;
}

#ifdef MELDPUNT_CHECK_COLUMNS
/* The checking build: the statement's columns are as many as its entry says. */
static int
db_check_columns(PGconn *conn, int i)
{
	PGresult	*res;
	int		 n;

	if ((res = PQdescribePrepared(conn, db_statements[i].name)) == NULL)
		return -1;
	n = PQresultStatus(res) == PGRES_COMMAND_OK ? PQnfields(res) : -1;
	PQclear(res);
	if (n != db_statements[i].ncols) {
		log_warnx("%s: %s has %d columns, its entry says %d", __func__,
		    db_statements[i].name, n, db_statements[i].ncols);
		return -1;
	}
	return 0;
}
#endif

static int
db_prepare_all(PGconn *conn)
{
	PGresult	*res;
	int		 i, ok;

	for (i = 0; i < DB_STMT_COUNT; i++) {
		res = PQprepare(conn, db_statements[i].name,
		    db_statements[i].sql, 0, NULL);
		ok = res != NULL && PQresultStatus(res) == PGRES_COMMAND_OK;
		if (!ok)
			log_warnx("%s: cannot prepare %s (SQLSTATE %s)", __func__,
			    db_statements[i].name, res == NULL ? "none" :
			    PQresultErrorField(res, PG_DIAG_SQLSTATE) ?
			    PQresultErrorField(res, PG_DIAG_SQLSTATE) : "none");
		PQclear(res);
		if (!ok)
			return -1;
#ifdef MELDPUNT_CHECK_COLUMNS
		if (db_check_columns(conn, i) == -1)
			return -1;
#endif
	}
	return 0;
}

/*
 * db_connect: a connection with a short connect timeout (the caller's
 * conninfo may set its own), so an outage answers 503 quickly.
 */
PGconn *
db_connect(const char *conninfo)
{
	const char *const keys[] = { "connect_timeout", "dbname", NULL };
	const char *const values[] = { "2", conninfo, NULL };

	return PQconnectdbParams(keys, values, 1);
}

/*
 * db_alive: 0 if the server has closed conn while it was idle. The server
 * sends a FATAL message and then closes; poll sees the close (POLLRDHUP)
 * even when reading the message alone would leave libpq thinking all is
 * well. Costs one poll() per statement.
 */
static int
db_alive(PGconn *conn)
{
	struct pollfd	pfd;

	if (PQstatus(conn) != CONNECTION_OK || PQsocket(conn) < 0)
		return 0;
	pfd.fd = PQsocket(conn);
	pfd.events = POLLIN | POLLRDHUP;
	pfd.revents = 0;
	if (poll(&pfd, 1, 0) < 0)
		return 0;
	if (pfd.revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL))
		return 0;
	if ((pfd.revents & POLLIN) && PQconsumeInput(conn) == 0)
		return 0;
	return PQstatus(conn) == CONNECTION_OK;
}

/*
 * The connection to use now. A connection the server closed while idle is
 * noticed here and replaced, so a restart of PostgreSQL costs no request
 * an error; inside a transaction it is dropped and not replaced (NULL).
 */
static PGconn *
db_connection(void)
{
	if (db_conn != NULL && (db_drop || !db_alive(db_conn))) {
		PQfinish(db_conn);
		db_conn = NULL;
	}
	db_drop = 0;
	if (db_conn != NULL)
		return db_conn;
	if (db_conninfo == NULL || db_in_tx)
		return NULL;
	db_conn = db_connect(db_conninfo);
	if (db_conn == NULL || PQstatus(db_conn) != CONNECTION_OK) {
		log_warnx("%s: database unavailable", __func__);
		goto fail;
	}
	PQsetNoticeReceiver(db_conn, db_notice, NULL);
	if (db_prepare_all(db_conn) == -1)
		goto fail;
	return db_conn;
fail:
	PQfinish(db_conn);
	db_conn = NULL;
	return NULL;
}

static enum db_status
db_classify(PGconn *conn, const PGresult *res, const char *what)
{
	const char *state;

	state = res == NULL ? NULL : PQresultErrorField(res, PG_DIAG_SQLSTATE);
	log_debug("%s: %s failed (SQLSTATE %s, connection %s)", __func__, what,
	    state != NULL ? state : "none",
	    PQstatus(conn) == CONNECTION_OK ? "ok" : "bad");
	if (PQstatus(conn) != CONNECTION_OK) {
		db_drop = 1;
		return DB_UNAVAILABLE;
	}
	if (state == NULL) {
		log_warnx("%s: %s failed without SQLSTATE", __func__, what);
		return DB_ERROR;
	}
	if (strcmp(state, "23505") == 0)
		return DB_UNIQUE;
	if (strncmp(state, "23", 2) == 0)
		return DB_CONSTRAINT;
	/*
	 * Shutdown, admin termination, connection failure, or a read-only
	 * server (a standby reached without target_session_attrs): unavailable, and
	 * the connection is dropped so that the next one finds the primary.
	 */
	if (strncmp(state, "57P", 3) == 0 || strncmp(state, "08", 2) == 0 ||
	    strcmp(state, "25006") == 0) {
		db_drop = 1;
		return DB_UNAVAILABLE;
	}
	log_warnx("%s: %s failed with SQLSTATE %s", __func__, what, state);
	return DB_ERROR;
}

/*
 * db_unreplicated: 1 if a statement that committed (outside a transaction,
 * or a COMMIT) came with the warning of a cancelled wait for the
 * synchronous standby: its outcome is not known to be on two servers, so
 * it is reported as unavailable (503), never as done.
 */
static int
db_unreplicated(const char *what)
{
	if (!db_warned || db_in_tx)
		return 0;
	db_warned = 0;
	log_warnx("%s: %s committed without the synchronous standby's "
	    "confirmation: answered as unavailable", __func__, what);
	return 1;
}

PGresult *
db_exec(enum db_stmt stmt, int n, const struct db_param *params,
    enum db_status *st)
{
	const char	*values[DB_MAX_PARAMS];
	int		 lengths[DB_MAX_PARAMS], formats[DB_MAX_PARAMS], i;
	char		 nums[DB_MAX_PARAMS][DB_INT_TEXT_SIZE];
	PGconn		*conn;
	PGresult	*res;
	ExecStatusType	 rs;
	enum db_status	 dummy;

	if (st == NULL)
		st = &dummy;
	if (n < 0 || n > DB_MAX_PARAMS || stmt >= DB_STMT_COUNT) {
		*st = DB_ERROR;
		return NULL;
	}
	for (i = 0; i < n; i++) {
		formats[i] = params[i].type == DB_BYTES;
		lengths[i] = (int)params[i].len;
		values[i] = params[i].value;
		if (params[i].type == DB_INT) {
			snprintf(nums[i], sizeof(nums[i]), "%lld", params[i].num);
			values[i] = nums[i];
		}
	}
	if ((conn = db_connection()) == NULL) {
		*st = DB_UNAVAILABLE;
		return NULL;
	}
	db_warned = 0;
	res = PQexecPrepared(conn, db_statements[stmt].name, n, values, lengths,
	    formats, 1);
	rs = res == NULL ? PGRES_FATAL_ERROR : PQresultStatus(res);
	if ((rs == PGRES_TUPLES_OK || rs == PGRES_COMMAND_OK) &&
	    db_unreplicated("statement")) {
		*st = DB_UNAVAILABLE;
		PQclear(res);
		return NULL;
	}
	if (rs == PGRES_TUPLES_OK || rs == PGRES_COMMAND_OK) {
		*st = DB_OK;
		return res;
	}
	*st = db_classify(conn, res, db_statements[stmt].name);
	PQclear(res);
	return NULL;
}

static int
db_simple(const char *sql, enum db_status *st)
{
	PGconn		*conn;
	PGresult	*res;
	enum db_status	 dummy;
	int		 ok;

	if (st == NULL)
		st = &dummy;
	if ((conn = db_connection()) == NULL) {
		*st = DB_UNAVAILABLE;
		return -1;
	}
	db_warned = 0;
	res = PQexecParams(conn, sql, 0, NULL, NULL, NULL, NULL, 1);
	ok = res != NULL && PQresultStatus(res) == PGRES_COMMAND_OK;
	*st = ok ? DB_OK : db_classify(conn, res, sql);
	PQclear(res);
	return ok ? 0 : -1;
}

/*
 * db_begin: start a transaction on this thread's connection (made afresh
 * if need be: no transaction is open yet). 0, or -1 with st.
 */
int
db_begin(enum db_status *st)
{
	db_in_tx = 0;
	if (db_simple("BEGIN", st) == -1)
		return -1;
	db_in_tx = 1;
	return 0;
}

/*
 * db_commit: 0 only once COMMIT has succeeded (and, with a synchronous
 * standby, been confirmed by it). A COMMIT whose answer was lost - the
 * connection broke - has an unknown outcome: -1 with DB_UNAVAILABLE, so
 * the caller answers 503, never a success.
 */
int
db_commit(enum db_status *st)
{
	enum db_status	dummy;
	int		rc;

	if (st == NULL)
		st = &dummy;
	rc = db_simple("COMMIT", st);
	db_in_tx = 0;
	if (rc == 0 && db_unreplicated("COMMIT")) {
		*st = DB_UNAVAILABLE;
		return -1;
	}
	return rc;
}

/*
 * db_rollback: end the transaction on this connection. A broken
 * connection is just dropped (the server rolls back on its own).
 */
void
db_rollback(void)
{
	PGresult *res;

	db_in_tx = 0;
	if (db_conn == NULL)
		return;
	if (db_drop || PQstatus(db_conn) != CONNECTION_OK) {
		PQfinish(db_conn);
		db_conn = NULL;
		db_drop = 0;
		return;
	}
	if (PQtransactionStatus(db_conn) == PQTRANS_IDLE)
		return;
	res = PQexec(db_conn, "ROLLBACK");
	if (res == NULL || PQresultStatus(res) != PGRES_COMMAND_OK)
		db_drop = 1;
	PQclear(res);
}

const char *
db_get_text(const PGresult *res, int row, int col)
{
	return PQgetvalue(res, row, col);
}

const unsigned char *
db_get_bytes(const PGresult *res, int row, int col, size_t *len)
{
	*len = (size_t)PQgetlength(res, row, col);
	return (const unsigned char *)PQgetvalue(res, row, col);
}

long long
db_get_int(const PGresult *res, int row, int col)
{
	const unsigned char	*p = (const unsigned char *)PQgetvalue(res, row, col);
	int			 len = PQgetlength(res, row, col), i;
	unsigned long long	 v = 0;

	if (len != 2 && len != 4 && len != 8)
		return 0;
	for (i = 0; i < len; i++)
		v = (v << 8) | p[i];
	/* Sign-extend from the column's width. */
	if (len < 8 && (p[0] & 0x80))
		v |= ~0ULL << (len * 8);
	return (long long)v;
}

int
db_get_bool(const PGresult *res, int row, int col)
{
	return PQgetlength(res, row, col) == 1 && PQgetvalue(res, row, col)[0];
}

int
db_is_null(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col);
}
