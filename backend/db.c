/*
 * db.c - one PostgreSQL connection per worker thread, prepared statements,
 * reconnection after an outage, and errors reduced to their SQLSTATE.
 */
#define _GNU_SOURCE	/* POLLRDHUP */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"

struct db_statement {
	const char	*name;
	const char	*sql;
};

/* Indexed by enum db_stmt. */
static const struct db_statement db_statements[DB_STMT_COUNT] = {
	[DB_PING] = { "ping", "SELECT 1" },
	[DB_DESK_NAME] = { "desk_name",
	    "SELECT name_nl, name_en FROM desk_info" },
	[DB_ORGANISATIONS_ACTIVE] = { "organisations_active",
	    "SELECT id, name_nl, name_en FROM organisations "
	    "WHERE NOT retired ORDER BY id COLLATE \"C\"" },
	[DB_TOPICS_ACTIVE] = { "topics_active",
	    "SELECT id, name_nl, name_en FROM topics "
	    "WHERE NOT retired ORDER BY id COLLATE \"C\"" },
	[DB_ROUTING] = { "routing",
	    "SELECT r.account_id::text, r.tier FROM meldpunt_routing($1, $2) r" },
	[DB_COORDINATORS] = { "coordinators",
	    "SELECT a.id::text, a.name, a.role FROM meldpunt_coordinators($1) c "
	    "JOIN accounts a ON a.id = c.account_id "
	    "ORDER BY a.id::text COLLATE \"C\"" },
	[DB_ENTRY_ACCOUNTS] = { "entry_accounts",
	    "SELECT id::text, name, role, array_to_string(organisations, ','), "
	    "array_to_string(topics, ',') FROM accounts "
	    "WHERE id = ANY ($1::uuid[]) ORDER BY id::text COLLATE \"C\"" },
	[DB_ENTRY_KEYS] = { "entry_keys",
	    "SELECT account_id::text, encryption_public_key, sign_public_key, "
	    "to_char(not_after, 'YYYY-MM-DD'), certificate, state = 'current', "
	    "cert_name, cert_role, array_to_string(cert_organisations, ','), "
	    "array_to_string(cert_topics, ',') FROM account_keys "
	    "WHERE account_id = ANY ($1::uuid[]) AND certificate IS NOT NULL "
	    "ORDER BY account_id::text COLLATE \"C\", seq" },
	[DB_SUBMIT] = { "submit",
	    "SELECT result, case_id, to_char(received_on, 'YYYY-MM-DD'), proof "
	    "FROM meldpunt_submit($1, $2, $3, $4, $5, $6, $7::date, $8, $9, $10, "
	    "$11, $12, $13, $14::uuid[], $15::uuid[], $16::bytea[], "
	    "$17::bytea[], $18, $19, $20, $21, $22, $23, $24)" },
	[DB_REPORTER_LOGIN] = { "reporter_login",
	    "WITH c AS (SELECT id, reporter_sign_public_key FROM cases "
	    "WHERE lookup_id = $1 AND purged_on IS NULL) "
	    "SELECT id, reporter_sign_public_key FROM c" },
	[DB_REPORTER_SESSION] = { "reporter_session",
	    "UPDATE sessions s SET last_seen = now() FROM cases c "
	    "WHERE s.token_hash = $1 AND s.kind = 'reporter' "
	    "AND s.expires_at > now() "
	    "AND s.last_seen > now() - make_interval(secs => $2) "
	    "AND c.id = s.case_id AND c.purged_on IS NULL "
	    "RETURNING c.id, c.reporter_sign_public_key" },
	[DB_REPORTER_SESSION_NEW] = { "reporter_session_new",
	    "WITH c AS (INSERT INTO challenges (challenge, kind, expires_at, used) "
	    "VALUES ($1, 'reporter', to_timestamp($2), true) "
	    "ON CONFLICT DO NOTHING RETURNING 1) "
	    "INSERT INTO sessions (token_hash, kind, case_id, expires_at) "
	    "SELECT $3, 'reporter', $4, now() + make_interval(secs => $5) FROM c "
	    "RETURNING 1" },
	[DB_SESSION_END] = { "session_end",
	    "DELETE FROM sessions WHERE token_hash = $1" },
	[DB_CASE_GET] = { "case_get",
	    "SELECT id, organisation, topic, status, "
	    "to_char(received_on, 'YYYY-MM-DD'), "
	    "to_char(received_on + 7, 'YYYY-MM-DD'), "
	    "to_char(received_on + interval '3 months', 'YYYY-MM-DD'), "
	    "reporter_sign_public_key, report_ciphertext, key_commitment, "
	    "proof_signature, reporter_box_public_key "
	    "FROM cases WHERE id = $1 AND purged_on IS NULL" },
	[DB_CASE_HOLDERS] = { "case_holders",
	    "SELECT recipient, account_id::text, public_key, wrap "
	    "FROM key_wraps WHERE case_id = $1 "
	    "ORDER BY recipient, account_id::text COLLATE \"C\"" },
	[DB_MESSAGES_LIST] = { "messages_list",
	    "SELECT seq, author, to_char(created_on, 'YYYY-MM-DD'), ciphertext, "
	    "signature, feedback, account_id::text FROM messages "
	    "WHERE case_id = $1 ORDER BY seq" },
	[DB_MESSAGE_ADD] = { "message_add",
	    "WITH c AS (UPDATE cases SET message_count = message_count + 1 "
	    "WHERE id = $1 AND purged_on IS NULL RETURNING message_count) "
	    "INSERT INTO messages (case_id, seq, author, account_id, ciphertext, "
	    "signature, feedback) SELECT $1, message_count, $2, $3::uuid, $4, "
	    "$5, $6::boolean FROM c RETURNING seq" },
	[DB_ATTACHMENTS_LIST] = { "attachments_list",
	    "SELECT id, author, to_char(created_on, 'YYYY-MM-DD'), padded_size, "
	    "meta, account_id::text FROM attachments "
	    "WHERE case_id = $1 AND complete ORDER BY created_on, id" },
	[DB_ATTACHMENT_BEGIN] = { "attachment_begin",
	    "WITH c AS (UPDATE cases SET attachment_bytes = attachment_bytes + $4 "
	    "WHERE id = $1 AND purged_on IS NULL "
	    "AND attachment_bytes + $4 <= $6 "
	    "AND (SELECT count(*) FROM attachments a WHERE a.case_id = $1) < $7 "
	    "RETURNING id) "
	    "INSERT INTO attachments (case_id, id, author, account_id, "
	    "padded_size, meta) SELECT c.id, $2, $3, $5::uuid, $4, $8 FROM c "
	    "RETURNING 1" },
	[DB_ATTACHMENT_CHUNK] = { "attachment_chunk",
	    "INSERT INTO attachment_chunks (attachment_id, n, data) "
	    "VALUES ($1, $2, $3)" },
	[DB_ATTACHMENT_FINISH] = { "attachment_finish",
	    "UPDATE attachments SET complete = true WHERE id = $1" },
	[DB_ATTACHMENT_GET] = { "attachment_get",
	    "SELECT padded_size, (SELECT count(*) FROM attachment_chunks k "
	    "WHERE k.attachment_id = a.id) FROM attachments a "
	    "WHERE a.id = $1 AND a.case_id = $2 AND a.complete" },
	[DB_ATTACHMENT_READ] = { "attachment_read",
	    "SELECT data FROM attachment_chunks WHERE attachment_id = $1 AND n = $2" },
	[DB_PRUNE] = { "prune",
	    "WITH a AS (DELETE FROM challenges WHERE expires_at < now() - "
	    "interval '1 hour'), b AS (DELETE FROM sessions WHERE expires_at < now()), "
	    "c AS (DELETE FROM idempotency_keys WHERE expires_at < now()) "
	    "SELECT 1" },
	[DB_POW_RATE] = { "pow_rate",
	    "SELECT count(*) FROM challenges WHERE kind = 'pow' "
	    "AND expires_at > now() - make_interval(secs => 3600 - $1)" },
};

static char			*db_conninfo;
static __thread PGconn		*db_conn;
static __thread char		 db_last_constraint[64];

const char *
db_constraint(void)
{
	return db_last_constraint;
}

int
db_init(const char *conninfo)
{
	free(db_conninfo);
	if ((db_conninfo = strdup(conninfo)) == NULL)
		return -1;
	return 0;
}

void
db_thread_end(void)
{
	if (db_conn != NULL)
		PQfinish(db_conn);
	db_conn = NULL;
}

static void
db_notice(void *arg, const PGresult *res)
{
	(void)arg;
	(void)res;	/* notices can quote values: never logged */
}

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
 * an error.
 */
static PGconn *
db_connection(void)
{
	if (db_conn != NULL && !db_alive(db_conn)) {
		PQfinish(db_conn);
		db_conn = NULL;
	}
	if (db_conn != NULL)
		return db_conn;
	if (db_conninfo == NULL)
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
	db_last_constraint[0] = '\0';
	if (res != NULL && PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME))
		snprintf(db_last_constraint, sizeof(db_last_constraint), "%s",
		    PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME));
	log_debug("%s: %s failed (SQLSTATE %s, connection %s)", __func__, what,
	    state != NULL ? state : "none",
	    PQstatus(conn) == CONNECTION_OK ? "ok" : "bad");
	if (PQstatus(conn) != CONNECTION_OK)
		return DB_UNAVAILABLE;
	if (state == NULL) {
		log_warnx("%s: %s failed without SQLSTATE", __func__, what);
		return DB_ERROR;
	}
	if (strcmp(state, "23505") == 0)
		return DB_UNIQUE;
	if (strncmp(state, "23", 2) == 0)
		return DB_CONSTRAINT;
	/* Shutdown, admin termination, connection failure: unavailable. */
	if (strncmp(state, "57P", 3) == 0 || strncmp(state, "08", 2) == 0)
		return DB_UNAVAILABLE;
	log_warnx("%s: %s failed with SQLSTATE %s", __func__, what, state);
	return DB_ERROR;
}

PGresult *
db_exec(enum db_stmt stmt, int n, const struct db_param *params,
    enum db_status *st)
{
	const char	*values[DB_MAX_PARAMS];
	int		 lengths[DB_MAX_PARAMS], formats[DB_MAX_PARAMS], i;
	char		 nums[DB_MAX_PARAMS][24];
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
	res = PQexecPrepared(conn, db_statements[stmt].name, n, values, lengths,
	    formats, 1);
	rs = res == NULL ? PGRES_FATAL_ERROR : PQresultStatus(res);
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
	res = PQexecParams(conn, sql, 0, NULL, NULL, NULL, NULL, 1);
	ok = res != NULL && PQresultStatus(res) == PGRES_COMMAND_OK;
	*st = ok ? DB_OK : db_classify(conn, res, sql);
	PQclear(res);
	return ok ? 0 : -1;
}

int
db_begin(enum db_status *st)
{
	return db_simple("BEGIN", st);
}

int
db_commit(enum db_status *st)
{
	return db_simple("COMMIT", st);
}

void
db_rollback(void)
{
	if (db_conn != NULL && PQtransactionStatus(db_conn) != PQTRANS_IDLE)
		(void)db_simple("ROLLBACK", NULL);
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
