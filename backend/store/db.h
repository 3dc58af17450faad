/*
 * db.h - connections, prepared statements and transactions.
 *
 * Each worker thread holds one connection, made on first use and remade
 * when PostgreSQL has gone away, so the daemon never needs a restart for
 * it. Every statement lives in the table in db.c, is prepared once per
 * connection and run by name with typed parameters; bytea goes binary.
 * Results come back in binary format: use the db_get_* accessors.
 */
#ifndef MELDPUNT_DB_H
#define MELDPUNT_DB_H

#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "statements.h"

enum db_status {
	DB_OK,
	DB_UNAVAILABLE,		/* no connection: answer 503 */
	DB_UNIQUE,		/* unique violation (23505) */
	DB_CONSTRAINT,		/* other integrity violation (23xxx) */
	DB_ERROR		/* anything else: logged by SQLSTATE */
};

enum db_type { DB_TEXT, DB_BYTES, DB_INT };

#define DB_MAX_PARAMS	32

struct db_param {
	enum db_type	 type;
	const void	*value;	/* text: NUL-terminated; NULL: SQL NULL */
	size_t		 len;	/* bytes only */
	long long	 num;	/* int only */
};

#define DB_P_TEXT(s)		{ DB_TEXT, (s), 0, 0 }
#define DB_P_BYTES(p, n)	{ DB_BYTES, (p), (n), 0 }
#define DB_P_INT(n)		{ DB_INT, "", 0, (n) }

/* db_init: remember conninfo for the worker connections. 0 or -1. */
int	db_init(const char *conninfo);

/*
 * db_conninfo_valid: 1 if conninfo parses as libpq would take it in
 * db_connect (key=value pairs, a URI, or a plain database name), else 0.
 * Connects to nothing; logs nothing (libpq's complaint could quote a
 * password).
 */
int	db_conninfo_valid(const char *conninfo);
/* db_connect: a new connection for one-off tools (migrate); PQfinish it. */
PGconn	*db_connect(const char *conninfo);
/* db_thread_end: close this thread's connection, if any. */
void	db_thread_end(void);

/*
 * db_exec: run stmt with n params. Returns a result the caller PQclears,
 * or NULL with *st telling why (st may be NULL).
 */
PGresult *db_exec(enum db_stmt stmt, int n, const struct db_param *params,
	    enum db_status *st);

/* Transactions on this thread's connection: 0, or -1 (then st says why). */
int	db_begin(enum db_status *st);
int	db_commit(enum db_status *st);
void	db_rollback(void);

/* Accessors for binary results. */
const char *db_get_text(const PGresult *res, int row, int col);
const unsigned char *db_get_bytes(const PGresult *res, int row, int col,
	    size_t *len);
long long db_get_int(const PGresult *res, int row, int col);
int	db_get_bool(const PGresult *res, int row, int col);
int	db_is_null(const PGresult *res, int row, int col);

#endif
