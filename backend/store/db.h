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

enum db_stmt {
	DB_PING,
	DB_DESK_NAME,
	DB_ORGANISATIONS_ACTIVE,
	DB_TOPICS_ACTIVE,
	DB_ROUTING,
	DB_COORDINATORS,
	DB_ENTRY_ACCOUNTS,
	DB_ENTRY_KEYS,
	DB_SUBMIT_MANY,
	DB_REPORTER_LOGIN,
	DB_REPORTER_SESSION,
	DB_REPORTER_SESSION_NEW,
	DB_SESSION_END,
	DB_CASE_GET,
	DB_CASE_HOLDERS,
	DB_MESSAGES_LIST,
	DB_MESSAGE_ADD,
	DB_ATTACHMENTS_LIST,
	DB_ATTACHMENT_BEGIN,
	DB_ATTACHMENT_CHUNK,
	DB_ATTACHMENT_FINISH,
	DB_ATTACHMENT_GET,
	DB_ATTACHMENT_READ,
	DB_PRUNE,
	DB_POW_RATE,
	/* accounts, case handling, audit, retention (issue 4) */
	DB_ACCOUNT_SESSION,
	DB_ACCOUNT_SESSION_NEW,
	DB_SESSIONS_END_OTHERS,
	DB_TOTP_USE,
	DB_PRELOGIN,
	DB_COUNTER_CHECK,
	DB_COUNTER_FAIL,
	DB_COUNTER_RESET,
	DB_ACCOUNT_ME,
	DB_ACCOUNT_LOGIN,
	DB_ACCOUNT_CRED,
	DB_PASSPHRASE_SET,
	DB_TOTP_PENDING_SET,
	DB_TOTP_PENDING_GET,
	DB_TOTP_ACTIVATE,
	DB_INVITE_INFO,
	DB_KEY_TAKEN,
	DB_ENROLMENT_PUT,
	DB_ENROLMENT_TOTP,
	DB_ENROL_CONFIRM,
	DB_SCOPE_KNOWN,
	DB_INVITE_ADD,
	DB_ACCOUNT_ADD,
	DB_ACCOUNTS_LIST,
	DB_ACCOUNT_PATCH,
	DB_ACCOUNT_INVITABLE,
	DB_ACCOUNT_DEACTIVATE,
	DB_CERT_PENDING,
	DB_CERT_SUBJECT,
	DB_CERT_STORE,
	DB_ORGANISATIONS_ALL,
	DB_TOPICS_ALL,
	DB_ORGANISATION_ADD,
	DB_TOPIC_ADD,
	DB_ORGANISATION_PATCH,
	DB_TOPIC_PATCH,
	DB_AUDIT_LOCK,
	DB_AUDIT_LAST,
	DB_AUDIT_INSERT,
	DB_AUDIT_HEAD_DAYS,
	DB_AUDIT_HEAD_ADD,
	DB_AUDIT_PAGE,
	DB_AUDIT_HEADS,
	DB_CASE_EXTRA,
	DB_NOTES_LIST,
	DB_NOTE_WRAP_MINE,
	DB_CASE_EXCLUDED,
	DB_CASE_HOLDER_IDS,
	DB_CASE_SUMMARY,
	DB_ADVISER_CASES,
	DB_CASE_ACCESS,
	DB_MY_SIGN_KEY,
	DB_CASE_UPDATE,
	DB_CASE_ANSWERED,
	DB_READ_MARK,
	DB_NOTE_WRAPS,
	DB_NOTE_ADD,
	DB_SHARE,
	DB_COLLEAGUES,
	DB_PURGE,
	DB_STATS_RELEASE_FIND,
	DB_STATS_RELEASE_BY_ID,
	DB_STATS_RELEASES,
	DB_STATS_RELEASE_INSERT,
	DB_STATS_INTAKE,
	DB_STATS_OUTCOME,
	DB_STATS_MERGE,
	DB_STATS_DOMAIN,
	DB_STATS_SESSION,
	DB_STATS_ACCOUNTS,
	DB_STATS_HIDDEN_INTAKE,
	DB_STATS_HIDDEN_OUTCOME,
	DB_STATS_LOCK,
	DB_STATS_UNLOCK,
	DB_STATS_LEDGER_FIND,
	DB_STATS_LEDGER_ADD,
	DB_DP_LEDGER_FIND,
	DB_DP_LEDGER_ADD,
	DB_KEY_PENDING_ADD,
	DB_REWRAP_LIST,
	DB_ROTATE,
	DB_RECOVERY_EXPORT,
	DB_RECOVERY_IMPORT,
	DB_STMT_COUNT
};

/*
 * Result columns by name. Next to each statement in db.c's table, and in
 * the order of enum db_stmt here, an enum names its result columns in
 * SELECT order, <STMT>_<COLUMN>, ending in <STMT>_NCOLS; the table's entry
 * names that count, and every read uses the names, never a position. A
 * statement without result columns says DB_NCOLS_NONE. In the checking
 * build (MELDPUNT_CHECK_COLUMNS, the sanitizer build) every connection
 * compares each prepared statement's column count with its entry and
 * refuses to serve on a mismatch.
 */
#define DB_NCOLS_NONE	0
enum { PING_ONE, PING_NCOLS };
enum { DESK_NAME_NL, DESK_NAME_EN, DESK_NAME_NCOLS };
/* DB_ORGANISATIONS_ACTIVE and DB_TOPICS_ACTIVE: one named list. */
enum { NAMED_ID, NAMED_NL, NAMED_EN, NAMED_NCOLS };
enum { ROUTING_ACCOUNT, ROUTING_TIER, ROUTING_NCOLS };
enum { COORDINATORS_ID, COORDINATORS_NAME, COORDINATORS_ROLE,
	COORDINATORS_NCOLS };

/* --- columns: submission, adviser entries, audit, retention, maintenance */
enum { ENTRY_ACCOUNTS_ID, ENTRY_ACCOUNTS_NAME, ENTRY_ACCOUNTS_ROLE,
	ENTRY_ACCOUNTS_ORGANISATIONS, ENTRY_ACCOUNTS_TOPICS,
	ENTRY_ACCOUNTS_NCOLS };
enum { ENTRY_KEYS_ACCOUNT, ENTRY_KEYS_BOX_PK, ENTRY_KEYS_SIGN_PK,
	ENTRY_KEYS_NOT_AFTER, ENTRY_KEYS_CERTIFICATE, ENTRY_KEYS_CURRENT,
	ENTRY_KEYS_NAME, ENTRY_KEYS_ROLE, ENTRY_KEYS_ORGANISATIONS,
	ENTRY_KEYS_TOPICS, ENTRY_KEYS_NCOLS };
enum { SUBMIT_MANY_ITEM, SUBMIT_MANY_RESULT, SUBMIT_MANY_CASE,
	SUBMIT_MANY_DAY, SUBMIT_MANY_PROOF, SUBMIT_MANY_NCOLS };
enum { PRUNE_ONE, PRUNE_NCOLS };
enum { POW_RATE_COUNT, POW_RATE_NCOLS };
enum { AUDIT_LOCK_VOID, AUDIT_LOCK_NCOLS };
enum { AUDIT_LAST_SEQ, AUDIT_LAST_HASH, AUDIT_LAST_NCOLS };
enum { AUDIT_HEAD_DAYS_DAY, AUDIT_HEAD_DAYS_SEQ, AUDIT_HEAD_DAYS_HASH,
	AUDIT_HEAD_DAYS_NCOLS };
enum { AUDIT_HEAD_ADD_MADE, AUDIT_HEAD_ADD_NCOLS };
enum { AUDIT_PAGE_SEQ, AUDIT_PAGE_ENTRY, AUDIT_PAGE_PREV, AUDIT_PAGE_HASH,
	AUDIT_PAGE_NCOLS };
enum { AUDIT_HEADS_DAY, AUDIT_HEADS_SEQ, AUDIT_HEADS_HEAD,
	AUDIT_HEADS_SIGNATURE, AUDIT_HEADS_NCOLS };
enum { PURGE_CASE, PURGE_NCOLS };

/* --- columns: case files, messages, attachments */
enum { MESSAGE_ADD_SEQ, MESSAGE_ADD_NCOLS };	/* DB_MESSAGE_ADD */

/* --- columns: adviser case work */

/* --- columns: sessions, logins, accounts' own settings, keys */

/* --- columns: administration and enrolment */

/* --- columns: statistics releases */

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
