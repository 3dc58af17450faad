/*
 * statements.c - every SQL statement the daemon runs, indexed by enum
 * db_stmt, each with the count of its result columns (their names are in
 * db.h). db.c prepares them all on every connection.
 */
#include "statements.h"

/*
 * The columns of an inbox row (CASE_ROW_* in statements.h, read by cases_summary in
 * desk/cases.c), for the account in
 * parameter A: metadata, deadlines, overdue flags, unread messages, whether
 * the account holds a wrap, and the classification.
 */
#define DB_CASE_COLUMNS(A) \
	"c.id, c.organisation, c.topic, c.status, " \
	"to_char(c.received_on, 'YYYY-MM-DD'), " \
	"to_char(meldpunt_acknowledge_by(c.received_on), 'YYYY-MM-DD'), " \
	"to_char(meldpunt_feedback_by(c.received_on), 'YYYY-MM-DD'), " \
	"(c.acknowledged_on IS NULL AND " \
	"current_date > meldpunt_acknowledge_by(c.received_on)), " \
	"(c.feedback_on IS NULL AND c.status <> 'closed' AND " \
	"current_date > meldpunt_feedback_by(c.received_on)), " \
	"(SELECT count(*) FROM messages m WHERE m.case_id = c.id " \
	"AND m.author <> 'adviser:' || " A "::uuid::text AND m.seq > " \
	"coalesce((SELECT r.seq FROM message_reads r WHERE r.case_id = c.id " \
	"AND r.account_id = " A "::uuid), 0)), " \
	"EXISTS (SELECT 1 FROM key_wraps w WHERE w.case_id = c.id " \
	"AND w.account_id = " A "::uuid), c.category, " \
	"array_to_string(c.grounds, ','), c.primary_ground, c.outcome"

/* Indexed by enum db_stmt. */
const struct db_statement db_statements[DB_STMT_COUNT] = {
	[DB_PING] = { "ping", "SELECT 1", PING_NCOLS },
	[DB_DESK_NAME] = { "desk_name",
	    "SELECT name_nl, name_en FROM desk_info", DESK_NAME_NCOLS },
	[DB_ORGANISATIONS_ACTIVE] = { "organisations_active",
	    "SELECT id, name_nl, name_en FROM organisations "
	    "WHERE NOT retired ORDER BY id COLLATE \"C\"", NAMED_NCOLS },
	[DB_TOPICS_ACTIVE] = { "topics_active",
	    "SELECT id, name_nl, name_en FROM topics "
	    "WHERE NOT retired ORDER BY id COLLATE \"C\"", NAMED_NCOLS },
	[DB_ROUTING] = { "routing",
	    "SELECT r.account_id::text, r.tier FROM meldpunt_routing($1, $2) r",
	    ROUTING_NCOLS },
	[DB_COORDINATORS] = { "coordinators",
	    "SELECT a.id::text, a.name, a.role FROM meldpunt_coordinators($1) c "
	    "JOIN accounts a ON a.id = c.account_id "
	    "ORDER BY a.id::text COLLATE \"C\"", COORDINATORS_NCOLS },
	[DB_ENTRY_ACCOUNTS] = { "entry_accounts",
	    "SELECT id::text, name, role, array_to_string(organisations, ','), "
	    "array_to_string(topics, ',') FROM accounts "
	    "WHERE id = ANY ($1::text[]::uuid[]) ORDER BY id::text COLLATE \"C\"",
	    ENTRY_ACCOUNTS_NCOLS },
	[DB_ENTRY_KEYS] = { "entry_keys",
	    "SELECT account_id::text, encryption_public_key, sign_public_key, "
	    "to_char(not_after, 'YYYY-MM-DD'), certificate, state = 'current', "
	    "cert_name, cert_role, array_to_string(cert_organisations, ','), "
	    "array_to_string(cert_topics, ',') FROM account_keys "
	    "WHERE account_id = ANY ($1::text[]::uuid[]) "
	    "AND certificate IS NOT NULL "
	    "ORDER BY account_id::text COLLATE \"C\", seq", ENTRY_KEYS_NCOLS },
	[DB_SUBMIT_MANY] = { "submit_many",
	    "SELECT item, result, case_id, to_char(received_on, 'YYYY-MM-DD'), "
	    "proof FROM meldpunt_submit_many($1::bytea[], $2::bigint[], "
	    "$3::bigint[], $4::bytea[], $5::text[], $6::text[], $7::text[], "
	    "$8::bytea[], $9::bytea[], $10::bytea[], $11::bytea[], $12::bytea[], "
	    "$13::bytea[], $14::bytea[], $15::bytea[], $16::bytea[], "
	    "$17::bytea[], $18::bytea[], $19::bytea[], $20::bigint[], "
	    "$21::text[], $22::bigint[], $23::text[], $24::bytea[], "
	    "$25::bytea[], $26::integer)", SUBMIT_MANY_NCOLS },
	[DB_REPORTER_LOGIN] = { "reporter_login",
	    "WITH c AS (SELECT id, reporter_sign_public_key FROM cases "
	    "WHERE lookup_id = $1 AND purged_on IS NULL) "
	    "SELECT id, reporter_sign_public_key FROM c",
	    REPORTER_LOGIN_NCOLS },
	[DB_REPORTER_SESSION] = { "reporter_session",
	    "UPDATE sessions s SET last_seen = now() FROM cases c "
	    "WHERE s.token_hash = $1 AND s.kind = 'reporter' "
	    "AND s.expires_at > now() "
	    "AND s.last_seen > now() - make_interval(secs => $2) "
	    "AND c.id = s.case_id AND c.purged_on IS NULL "
	    "RETURNING c.id, c.reporter_sign_public_key",
	    REPORTER_SESSION_NCOLS },
	[DB_REPORTER_SESSION_NEW] = { "reporter_session_new",
	    "WITH c AS (INSERT INTO challenges (challenge, kind, expires_at, used) "
	    "VALUES ($1, 'reporter', to_timestamp($2), true) "
	    "ON CONFLICT DO NOTHING RETURNING 1) "
	    "INSERT INTO sessions (token_hash, kind, case_id, expires_at) "
	    "SELECT $3, 'reporter', $4, now() + make_interval(secs => $5) FROM c "
	    "RETURNING 1", REPORTER_SESSION_NEW_NCOLS },
	[DB_SESSION_END] = { "session_end",
	    "DELETE FROM sessions WHERE token_hash = $1", DB_NCOLS_NONE },
	[DB_CASE_GET] = { "case_get",
	    "SELECT id, organisation, topic, status, "
	    "to_char(received_on, 'YYYY-MM-DD'), "
	    "to_char(meldpunt_acknowledge_by(received_on), 'YYYY-MM-DD'), "
	    "to_char(meldpunt_feedback_by(received_on), 'YYYY-MM-DD'), "
	    "reporter_sign_public_key, report_ciphertext, key_commitment, "
	    "proof_signature, reporter_box_public_key "
	    "FROM cases WHERE id = $1 AND purged_on IS NULL", CASE_GET_NCOLS },
	[DB_CASE_HOLDERS] = { "case_holders",
	    "SELECT * FROM (SELECT 'adviser' AS recipient, account_id::text "
	    "AS account, public_key, wrap FROM key_wraps WHERE case_id = $1 "
	    "UNION ALL SELECT w.recipient, NULL, w.public_key, w.wrap "
	    "FROM cases c CROSS JOIN LATERAL (VALUES "
	    "('recovery', c.recovery_public_key, c.recovery_wrap), "
	    "('reporter', c.reporter_box_public_key, c.reporter_wrap)) "
	    "AS w (recipient, public_key, wrap) "
	    "WHERE c.id = $1 AND w.wrap IS NOT NULL) h "
	    "ORDER BY recipient, account COLLATE \"C\"", CASE_HOLDERS_NCOLS },
	[DB_MESSAGES_LIST] = { "messages_list",
	    "SELECT seq, author, to_char(created_on, 'YYYY-MM-DD'), ciphertext, "
	    "signature, feedback, account_id::text FROM messages "
	    "WHERE case_id = $1 ORDER BY seq", MESSAGES_LIST_NCOLS },
	[DB_MESSAGE_ADD] = { "message_add",
	    "WITH c AS (UPDATE cases SET message_count = message_count + 1 "
	    "WHERE id = $1 AND purged_on IS NULL RETURNING message_count) "
	    "INSERT INTO messages (case_id, seq, author, account_id, ciphertext, "
	    "signature, feedback) SELECT $1, message_count, $2, $3::uuid, $4, "
	    "$5, $6::boolean FROM c RETURNING seq", MESSAGE_ADD_NCOLS },
	[DB_ATTACHMENTS_LIST] = { "attachments_list",
	    "SELECT id, author, to_char(created_on, 'YYYY-MM-DD'), padded_size, "
	    "meta, account_id::text FROM attachments "
	    "WHERE case_id = $1 AND complete ORDER BY created_on, id",
	    ATTACHMENTS_LIST_NCOLS },
	[DB_ATTACHMENT_BEGIN] = { "attachment_begin",
	    "WITH c AS (UPDATE cases SET attachment_bytes = attachment_bytes + $4 "
	    "WHERE id = $1 AND purged_on IS NULL "
	    "AND attachment_bytes + $4 <= $6 "
	    "AND (SELECT count(*) FROM attachments a WHERE a.case_id = $1) < $7 "
	    "RETURNING id) "
	    "INSERT INTO attachments (case_id, id, author, account_id, "
	    "padded_size, meta) SELECT c.id, $2, $3, $5::uuid, $4, $8 FROM c "
	    "RETURNING 1", ATTACHMENT_BEGIN_NCOLS },
	[DB_ATTACHMENT_CHUNK] = { "attachment_chunk",
	    "INSERT INTO attachment_chunks (attachment_id, n, data) "
	    "VALUES ($1, $2, $3)", DB_NCOLS_NONE },
	[DB_ATTACHMENT_FINISH] = { "attachment_finish",
	    "UPDATE attachments SET complete = true WHERE id = $1",
	    DB_NCOLS_NONE },
	[DB_ATTACHMENT_GET] = { "attachment_get",
	    "SELECT padded_size, (SELECT count(*) FROM attachment_chunks k "
	    "WHERE k.attachment_id = a.id) FROM attachments a "
	    "WHERE a.id = $1 AND a.case_id = $2 AND a.complete",
	    ATTACHMENT_GET_NCOLS },
	[DB_ATTACHMENT_READ] = { "attachment_read",
	    "SELECT data FROM attachment_chunks WHERE attachment_id = $1 AND n = $2",
	    ATTACHMENT_READ_NCOLS },
	[DB_PRUNE] = { "prune",
	    "WITH a AS (DELETE FROM challenges WHERE expires_at < now() - "
	    "interval '1 hour'), b AS (DELETE FROM sessions WHERE expires_at < now()), "
	    "c AS (DELETE FROM idempotency_keys WHERE expires_at < now()), "
	    "d AS (DELETE FROM client_counters WHERE until < now()), "
	    "e AS (DELETE FROM client_key_days "
	    "WHERE day < floor(extract(epoch FROM now()) / 86400)) "
	    "SELECT 1", PRUNE_NCOLS },
	/* Counted up to $2 rows: past that the difficulty rises no more. */
	[DB_POW_RATE] = { "pow_rate",
	    "SELECT count(*) FROM (SELECT 1 FROM challenges WHERE kind = 'pow' "
	    "AND expires_at > now() - make_interval(secs => 3600 - $1) "
	    "LIMIT $2) s", POW_RATE_NCOLS },
	/* --- accounts and sessions (issue 4) --- */
	[DB_ACCOUNT_SESSION] = { "account_session",
	    "UPDATE sessions s SET last_seen = now() FROM accounts a "
	    "WHERE s.token_hash = $1 AND s.kind = 'adviser' "
	    "AND s.expires_at > now() "
	    "AND s.last_seen > now() - make_interval(secs => $2) "
	    "AND a.id = s.account_id AND a.status = 'active' "
	    "RETURNING a.id::text, a.role", ACCOUNT_SESSION_NCOLS },
	[DB_ACCOUNT_SESSION_NEW] = { "account_session_new",
	    "INSERT INTO sessions (token_hash, kind, account_id, expires_at) "
	    "VALUES ($1, 'adviser', $2::uuid, now() + make_interval(secs => $3))",
	    DB_NCOLS_NONE },
	[DB_SESSIONS_END_OTHERS] = { "sessions_end_others",
	    "DELETE FROM sessions WHERE account_id = $1::uuid AND token_hash <> $2",
	    DB_NCOLS_NONE },
	[DB_TOTP_USE] = { "totp_use",
	    "UPDATE accounts SET totp_last_step = $2 "
	    "WHERE id = $1::uuid AND totp_last_step < $2 RETURNING 1",
	    TOTP_USE_NCOLS },
	[DB_PRELOGIN] = { "prelogin",
	    "SELECT salt, opslimit, memlimit FROM accounts "
	    "WHERE lower(email) = lower($1) AND status = 'active' "
	    "AND salt IS NOT NULL", PRELOGIN_NCOLS },
	[DB_COUNTER_CHECK] = { "counter_check",
	    "SELECT greatest(1, ceil(extract(epoch FROM window_start + "
	    "make_interval(secs => $2) - now())))::bigint FROM counters "
	    "WHERE key = $1 AND window_start > now() - make_interval(secs => $2) "
	    "AND count >= $3", COUNTER_CHECK_NCOLS },
	[DB_COUNTER_FAIL] = { "counter_fail",
	    "INSERT INTO counters (key, window_start, count) VALUES ($1, now(), 1) "
	    "ON CONFLICT (key) DO UPDATE SET "
	    "count = CASE WHEN counters.window_start <= now() - "
	    "make_interval(secs => $2) THEN 1 ELSE counters.count + 1 END, "
	    "window_start = CASE WHEN counters.window_start <= now() - "
	    "make_interval(secs => $2) THEN now() ELSE counters.window_start END",
	    DB_NCOLS_NONE },
	[DB_COUNTER_RESET] = { "counter_reset",
	    "DELETE FROM counters WHERE key = $1", DB_NCOLS_NONE },
	/*
	 * A request counted against the client's allowance ($3 per window of
	 * $2 seconds): a row when counted, none (and nothing written) when
	 * the window's allowance is spent.
	 */
	[DB_CLIENT_TAKE] = { "client_take",
	    "INSERT INTO client_counters AS c (key, until, count) "
	    "VALUES ($1, now() + make_interval(secs => $2), 1) "
	    "ON CONFLICT (key) DO UPDATE SET "
	    "count = CASE WHEN c.until <= now() THEN 1 ELSE c.count + 1 END, "
	    "until = CASE WHEN c.until <= now() THEN excluded.until "
	    "ELSE c.until END "
	    "WHERE c.until <= now() OR c.count < $3 RETURNING 1",
	    CLIENT_TAKE_NCOLS },
	/*
	 * A block of $4 requests of the allowance taken at once (never past
	 * $3): the end of the window (Unix seconds) when taken, else no row
	 * and nothing written.
	 */
	[DB_CLIENT_LEASE] = { "client_lease",
	    "INSERT INTO client_counters AS c (key, until, count) "
	    "VALUES ($1, now() + make_interval(secs => $2), $4) "
	    "ON CONFLICT (key) DO UPDATE SET "
	    "count = CASE WHEN c.until <= now() THEN $4 ELSE c.count + $4 END, "
	    "until = CASE WHEN c.until <= now() THEN excluded.until "
	    "ELSE c.until END "
	    "WHERE c.until <= now() OR c.count + $4 <= $3 "
	    "RETURNING floor(extract(epoch FROM until))::bigint",
	    CLIENT_LEASE_NCOLS },
	[DB_CLIENT_WAIT] = { "client_wait",
	    "SELECT greatest(1, ceil(extract(epoch FROM until - now())))::bigint "
	    "FROM client_counters WHERE key = $1 AND until > now() "
	    "AND count >= $2", CLIENT_WAIT_NCOLS },
	[DB_CLIENT_FAIL] = { "client_fail",
	    "INSERT INTO client_counters AS c (key, until, count) "
	    "VALUES ($1, now() + make_interval(secs => $2), 1) "
	    "ON CONFLICT (key) DO UPDATE SET "
	    "count = CASE WHEN c.until <= now() THEN 1 "
	    "ELSE least(c.count, 2147483646) + 1 END, "
	    "until = CASE WHEN c.until <= now() THEN excluded.until "
	    "ELSE c.until END", DB_NCOLS_NONE },
	[DB_CLIENT_RESET] = { "client_reset",
	    "DELETE FROM client_counters WHERE key = $1", DB_NCOLS_NONE },
	/* The day's salt: the one stored, else $2 stored now. */
	[DB_CLIENT_SALT] = { "client_salt",
	    "INSERT INTO client_key_days AS d (day, salt) VALUES ($1, $2) "
	    "ON CONFLICT (day) DO UPDATE SET day = d.day RETURNING d.salt",
	    CLIENT_SALT_NCOLS },
	[DB_ACCOUNT_ME] = { "account_me",
	    "SELECT a.id::text, a.name, a.role, "
	    "array_to_string(a.organisations, ','), "
	    "array_to_string(a.topics, ','), meldpunt_certified(a.id), "
	    "to_char(k.not_after, 'YYYY-MM-DD'), k.encryption_public_key, "
	    "k.encrypted_secret_key, a.email FROM accounts a "
	    "LEFT JOIN account_keys k ON k.account_id = a.id "
	    "AND k.state = 'current' WHERE a.id = $1::uuid", ACCOUNT_ME_NCOLS },
	[DB_ACCOUNT_LOGIN] = { "account_login",
	    "SELECT id::text, auth_hash, totp_secret, status FROM accounts "
	    "WHERE lower(email) = lower($1)", CRED_NCOLS },
	[DB_ACCOUNT_CRED] = { "account_cred",
	    "SELECT id::text, auth_hash, totp_secret, status FROM accounts "
	    "WHERE id = $1::uuid", CRED_NCOLS },
	[DB_PASSPHRASE_SET] = { "passphrase_set",
	    "WITH k AS (UPDATE account_keys SET encrypted_secret_key = $6 "
	    "WHERE account_id = $1::uuid AND state = 'current' "
	    "AND $6::bytea IS NOT NULL RETURNING 1) "
	    "UPDATE accounts SET salt = $2, opslimit = $3, memlimit = $4, "
	    "auth_hash = $5 WHERE id = $1::uuid AND ($6::bytea IS NULL) = "
	    "NOT EXISTS (SELECT 1 FROM account_keys WHERE account_id = $1::uuid "
	    "AND state = 'current') RETURNING 1", PASSPHRASE_SET_NCOLS },
	[DB_TOTP_PENDING_SET] = { "totp_pending_set",
	    "UPDATE accounts SET totp_pending = $2 WHERE id = $1::uuid",
	    DB_NCOLS_NONE },
	[DB_TOTP_PENDING_GET] = { "totp_pending_get",
	    "SELECT totp_pending FROM accounts WHERE id = $1::uuid",
	    TOTP_PENDING_GET_NCOLS },
	[DB_TOTP_ACTIVATE] = { "totp_activate",
	    "UPDATE accounts SET totp_secret = totp_pending, totp_pending = NULL, "
	    "totp_last_step = $2 WHERE id = $1::uuid AND totp_pending IS NOT NULL "
	    "RETURNING 1", TOTP_ACTIVATE_NCOLS },
	/* --- enrolment --- */
	[DB_INVITE_INFO] = { "invite_info",
	    "SELECT a.id::text, a.email, a.name, a.role, "
	    "array_to_string(a.organisations, ','), "
	    "array_to_string(a.topics, ',') FROM invites i "
	    "JOIN accounts a ON a.id = i.account_id WHERE i.token_hash = $1 "
	    "AND NOT i.used AND i.expires_at > now() "
	    "AND a.status <> 'deactivated'", INVITE_INFO_NCOLS },
	[DB_KEY_TAKEN] = { "key_taken",
	    "SELECT 1 FROM account_keys WHERE encryption_public_key = $1 "
	    "UNION ALL SELECT 1 FROM enrolments "
	    "WHERE encryption_public_key = $1 AND invite_hash <> $2",
	    FOUND_NCOLS },
	[DB_ENROLMENT_PUT] = { "enrolment_put",
	    "INSERT INTO enrolments (invite_hash, salt, opslimit, memlimit, "
	    "auth_hash, encryption_public_key, sign_public_key, "
	    "encrypted_secret_key, totp_pending) "
	    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
	    "ON CONFLICT (invite_hash) DO UPDATE SET salt = excluded.salt, "
	    "opslimit = excluded.opslimit, memlimit = excluded.memlimit, "
	    "auth_hash = excluded.auth_hash, "
	    "encryption_public_key = excluded.encryption_public_key, "
	    "sign_public_key = excluded.sign_public_key, "
	    "encrypted_secret_key = excluded.encrypted_secret_key, "
	    "totp_pending = excluded.totp_pending, created_at = now()",
	    DB_NCOLS_NONE },
	[DB_ENROLMENT_TOTP] = { "enrolment_totp",
	    "SELECT e.totp_pending FROM enrolments e "
	    "JOIN invites i ON i.token_hash = e.invite_hash "
	    "WHERE e.invite_hash = $1 AND NOT i.used AND i.expires_at > now()",
	    ENROLMENT_TOTP_NCOLS },
	[DB_ENROL_CONFIRM] = { "enrol_confirm",
	    "SELECT meldpunt_enrol_confirm($1, $2)::text",
	    ENROL_CONFIRM_NCOLS },
	/* --- administration --- */
	[DB_SCOPE_KNOWN] = { "scope_known",
	    "SELECT NOT EXISTS (SELECT 1 FROM unnest($1::text[]) o "
	    "WHERE o <> '*' AND NOT EXISTS (SELECT 1 FROM organisations g "
	    "WHERE g.id = o)), NOT EXISTS (SELECT 1 FROM unnest($2::text[]) t "
	    "WHERE t <> '*' AND NOT EXISTS (SELECT 1 FROM topics x "
	    "WHERE x.id = t))", SCOPE_KNOWN_NCOLS },
	[DB_INVITE_ADD] = { "invite_add",
	    "WITH d AS (DELETE FROM invites WHERE account_id = $2::uuid) "
	    "INSERT INTO invites (token_hash, account_id, expires_at) "
	    "VALUES ($1, $2::uuid, now() + make_interval(hours => $3))",
	    DB_NCOLS_NONE },
	[DB_ACCOUNT_ADD] = { "account_add",
	    "INSERT INTO accounts (email, name, role, organisations, topics) "
	    "VALUES ($1, $2, $3, $4::text[], $5::text[]) RETURNING id::text",
	    ACCOUNT_ADD_NCOLS },
	[DB_ACCOUNTS_LIST] = { "accounts_list",
	    "SELECT a.id::text, a.email, a.name, a.role, "
	    "array_to_string(a.organisations, ','), "
	    "array_to_string(a.topics, ','), a.status, meldpunt_certified(a.id), "
	    "(k.account_id IS NOT NULL AND a.status = 'active' "
	    "AND NOT meldpunt_certified(a.id)), to_char(k.not_after, 'YYYY-MM-DD') "
	    "FROM accounts a LEFT JOIN account_keys k ON k.account_id = a.id "
	    "AND k.state = 'current' "
	    "WHERE ($1 = '' OR a.id::text COLLATE \"C\" > $1) "
	    "ORDER BY a.id::text COLLATE \"C\" LIMIT $2", ACCOUNTS_LIST_NCOLS },
	[DB_ACCOUNT_PATCH] = { "account_patch",
	    "UPDATE accounts SET name = coalesce($2, name), "
	    "organisations = coalesce($3::text[], organisations), "
	    "topics = coalesce($4::text[], topics) "
	    "WHERE id = $1::uuid AND status <> 'deactivated' "
	    "AND (($3::text[] IS NULL AND $4::text[] IS NULL) "
	    "OR role IN ('adviser', 'coordinator')) RETURNING 1", FOUND_NCOLS },
	[DB_ACCOUNT_INVITABLE] = { "account_invitable",
	    "SELECT 1 FROM accounts WHERE id = $1::uuid "
	    "AND status <> 'deactivated' FOR UPDATE", FOUND_NCOLS },
	[DB_ACCOUNT_DEACTIVATE] = { "account_deactivate",
	    "SELECT meldpunt_deactivate($1::uuid)", ACCOUNT_DEACTIVATE_NCOLS },
	[DB_CERT_PENDING] = { "cert_pending",
	    "SELECT a.id::text, a.name, a.role, "
	    "array_to_string(a.organisations, ','), "
	    "array_to_string(a.topics, ','), k.encryption_public_key, "
	    "k.sign_public_key FROM accounts a JOIN account_keys k "
	    "ON k.account_id = a.id AND ((k.state = 'pending' "
	    "AND k.certificate IS NULL) OR (k.state = 'current' "
	    "AND NOT meldpunt_certified(a.id) AND NOT EXISTS (SELECT 1 "
	    "FROM account_keys p WHERE p.account_id = a.id "
	    "AND p.state = 'pending'))) "
	    "WHERE a.status = 'active' AND a.role IN ('adviser', 'coordinator') "
	    "ORDER BY a.id::text COLLATE \"C\"", CERT_NCOLS },
	[DB_CERT_SUBJECT] = { "cert_subject",
	    "SELECT a.id::text, a.name, a.role, "
	    "array_to_string(a.organisations, ','), "
	    "array_to_string(a.topics, ','), k.encryption_public_key, "
	    "k.sign_public_key FROM accounts a JOIN account_keys k "
	    "ON k.account_id = a.id AND k.state IN ('current', 'pending') "
	    "WHERE a.id = $1::uuid AND a.status = 'active' "
	    "AND a.role IN ('adviser', 'coordinator') "
	    "ORDER BY k.state = 'pending' DESC LIMIT 1", CERT_NCOLS },
	[DB_CERT_STORE] = { "cert_store",
	    "UPDATE account_keys k SET certificate = $3, not_after = $4::date, "
	    "cert_name = $5, cert_role = $6, cert_organisations = $7::text[], "
	    "cert_topics = $8::text[] FROM accounts a "
	    "WHERE k.account_id = $1::uuid "
	    "AND k.state IN ('current', 'pending') "
	    "AND k.encryption_public_key = $2 AND a.id = k.account_id "
	    "AND a.name = $5 AND a.role = $6 AND a.organisations = $7::text[] "
	    "AND a.topics = $8::text[] RETURNING 1", FOUND_NCOLS },
	[DB_ORGANISATIONS_ALL] = { "organisations_all",
	    "SELECT id, name_nl, name_en, retired, headcount FROM organisations "
	    "ORDER BY id COLLATE \"C\"", ORGANISATIONS_ALL_NCOLS },
	[DB_TOPICS_ALL] = { "topics_all",
	    "SELECT id, name_nl, name_en, retired FROM topics "
	    "ORDER BY id COLLATE \"C\"", TOPICS_ALL_NCOLS },
	[DB_ORGANISATION_ADD] = { "organisation_add",
	    "INSERT INTO organisations (id, name_nl, name_en, headcount) "
	    "VALUES ($1, $2, $3, $4) RETURNING 1", FOUND_NCOLS },
	[DB_TOPIC_ADD] = { "topic_add",
	    "INSERT INTO topics (id, name_nl, name_en) VALUES ($1, $2, $3) "
	    "RETURNING 1", FOUND_NCOLS },
	[DB_ORGANISATION_PATCH] = { "organisation_patch",
	    "UPDATE organisations SET name_nl = coalesce($2, name_nl), "
	    "name_en = coalesce($3, name_en), "
	    "retired = coalesce($4::boolean, retired), "
	    "retired_on = CASE WHEN $4::boolean THEN coalesce(retired_on, "
	    "current_date) WHEN NOT $4::boolean THEN NULL ELSE retired_on END, "
	    "headcount = coalesce($5::integer, headcount) WHERE id = $1 "
	    "RETURNING 1", FOUND_NCOLS },
	[DB_TOPIC_PATCH] = { "topic_patch",
	    "UPDATE topics SET name_nl = coalesce($2, name_nl), "
	    "name_en = coalesce($3, name_en), "
	    "retired = coalesce($4::boolean, retired) WHERE id = $1 RETURNING 1",
	    FOUND_NCOLS },
	/* --- audit log --- */
	[DB_AUDIT_LOCK] = { "audit_lock",
	    "SELECT pg_advisory_xact_lock(7207300501)", AUDIT_LOCK_NCOLS },
	[DB_AUDIT_LAST] = { "audit_last",
	    "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
	    AUDIT_LAST_NCOLS },
	[DB_AUDIT_INSERT] = { "audit_insert",
	    "INSERT INTO audit_log (seq, at, entry, prev_hash, hash) "
	    "VALUES ($1, to_timestamp($2), $3, $4, $5)", DB_NCOLS_NONE },
	[DB_AUDIT_HEAD_DAYS] = { "audit_head_days",
	    "SELECT to_char(d.day, 'YYYY-MM-DD'), l.seq, l.hash FROM "
	    "(SELECT (at AT TIME ZONE 'UTC')::date AS day, max(seq) AS seq "
	    "FROM audit_log WHERE seq > coalesce((SELECT max(seq) "
	    "FROM audit_heads), 0) GROUP BY 1) d "
	    "JOIN audit_log l ON l.seq = d.seq "
	    "WHERE d.day < (now() AT TIME ZONE 'UTC')::date "
	    "AND NOT EXISTS (SELECT 1 FROM audit_heads h WHERE h.day = d.day) "
	    "ORDER BY d.day", AUDIT_HEAD_DAYS_NCOLS },
	[DB_AUDIT_HEAD_ADD] = { "audit_head_add",
	    "INSERT INTO audit_heads (day, seq, head, signature) "
	    "VALUES ($1::date, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING 1",
	    AUDIT_HEAD_ADD_NCOLS },
	[DB_AUDIT_PAGE] = { "audit_page",
	    "SELECT seq, entry, prev_hash, hash FROM audit_log WHERE seq > $1 "
	    "ORDER BY seq LIMIT $2", AUDIT_PAGE_NCOLS },
	[DB_AUDIT_HEADS] = { "audit_heads",
	    "SELECT to_char(day, 'YYYY-MM-DD'), seq, head, signature "
	    "FROM audit_heads ORDER BY day", AUDIT_HEADS_NCOLS },
	/* --- case handling --- */
	[DB_CASE_EXTRA] = { "case_extra",
	    "SELECT category, array_to_string(grounds, ','), primary_ground, "
	    "outcome, notes_key_commitment, notes_key_signature, "
	    "(acknowledged_on IS NULL AND "
	    "current_date > meldpunt_acknowledge_by(received_on)), "
	    "(feedback_on IS NULL AND status <> 'closed' AND "
	    "current_date > meldpunt_feedback_by(received_on)) "
	    "FROM cases WHERE id = $1 AND purged_on IS NULL", CASE_EXTRA_NCOLS },
	[DB_NOTES_LIST] = { "notes_list",
	    "SELECT seq, account_id::text, to_char(created_on, 'YYYY-MM-DD'), "
	    "ciphertext, signature FROM notes WHERE case_id = $1 ORDER BY seq",
	    NOTES_LIST_NCOLS },
	[DB_NOTE_WRAP_MINE] = { "note_wrap_mine",
	    "SELECT public_key, wrap FROM note_wraps "
	    "WHERE case_id = $1 AND account_id = $2::uuid", NOTE_WRAP_MINE_NCOLS },
	[DB_CASE_EXCLUDED] = { "case_excluded",
	    "SELECT account_id::text FROM case_exclusions WHERE case_id = $1 "
	    "ORDER BY account_id::text COLLATE \"C\"", CASE_EXCLUDED_NCOLS },
	[DB_CASE_HOLDER_IDS] = { "case_holder_ids",
	    "SELECT DISTINCT account_id::text FROM key_wraps "
	    "WHERE case_id = $1 AND account_id IS NOT NULL",
	    CASE_HOLDER_IDS_NCOLS },
	[DB_CASE_SUMMARY] = { "case_summary",
	    "SELECT " DB_CASE_COLUMNS("$2") " FROM cases c "
	    "WHERE c.id = $1 AND c.purged_on IS NULL", CASE_ROW_NCOLS },
	[DB_ADVISER_CASES] = { "adviser_cases",
	    "SELECT " DB_CASE_COLUMNS("$1") " FROM cases c "
	    "JOIN accounts a ON a.id = $1::uuid AND a.status = 'active' "
	    "WHERE c.purged_on IS NULL "
	    "AND ($2::text IS NULL OR c.status = $2::text) "
	    "AND (EXISTS (SELECT 1 FROM key_wraps w WHERE w.case_id = c.id "
	    "AND w.account_id = a.id) OR (a.role = 'coordinator' "
	    "AND (a.organisations = '{*}' OR c.organisation = ANY (a.organisations)) "
	    "AND NOT EXISTS (SELECT 1 FROM case_exclusions x "
	    "WHERE x.case_id = c.id AND x.account_id = a.id))) "
	    "AND ($3::bytea IS NULL OR (c.received_on, c.id) < "
	    "(SELECT c2.received_on, c2.id FROM cases c2 WHERE c2.id = $3::bytea)) "
	    "ORDER BY c.received_on DESC, c.id DESC LIMIT $4",
	    CASE_ROW_NCOLS },
	[DB_CASE_ACCESS] = { "case_access",
	    "SELECT meldpunt_case_access($1, $2::uuid)", CASE_ACCESS_NCOLS },
	[DB_MY_SIGN_KEY] = { "my_sign_key",
	    "SELECT sign_public_key FROM account_keys "
	    "WHERE account_id = $1::uuid AND state = 'current'",
	    MY_SIGN_KEY_NCOLS },
	[DB_CASE_UPDATE] = { "case_update",
	    "SELECT meldpunt_case_update($1, $2, $3::boolean, $4, $5::text[], "
	    "$6, $7)", CASE_UPDATE_NCOLS },
	[DB_CASE_ANSWERED] = { "case_answered",
	    "UPDATE cases SET acknowledged_on = coalesce(acknowledged_on, "
	    "current_date), status = CASE WHEN status = 'new' THEN "
	    "'acknowledged' ELSE status END, feedback_on = CASE WHEN "
	    "$2::boolean THEN coalesce(feedback_on, current_date) "
	    "ELSE feedback_on END WHERE id = $1", DB_NCOLS_NONE },
	[DB_READ_MARK] = { "read_mark",
	    "INSERT INTO message_reads (case_id, account_id, seq) "
	    "VALUES ($1, $2::uuid, $3) ON CONFLICT (case_id, account_id) "
	    "DO UPDATE SET seq = greatest(message_reads.seq, excluded.seq)",
	    DB_NCOLS_NONE },
	[DB_NOTE_WRAPS] = { "note_wraps",
	    "SELECT meldpunt_note_wraps($1, $2::uuid, $3::text[], $4::bytea[], "
	    "$5::bytea[], $6, $7, $8)", NOTE_WRAPS_NCOLS },
	[DB_NOTE_ADD] = { "note_add",
	    "WITH c AS (UPDATE cases SET note_count = note_count + 1 "
	    "WHERE id = $1 AND purged_on IS NULL "
	    "AND notes_key_commitment IS NOT NULL AND EXISTS (SELECT 1 "
	    "FROM note_wraps n WHERE n.case_id = $1 AND n.account_id = $2::uuid) "
	    "RETURNING note_count) INSERT INTO notes (case_id, seq, account_id, "
	    "ciphertext, signature) SELECT $1, note_count, $2::uuid, $3, $4 "
	    "FROM c RETURNING seq", NOTE_ADD_NCOLS },
	[DB_SHARE] = { "share",
	    "SELECT meldpunt_share($1, $2::uuid, $3, $4, $5)", SHARE_NCOLS },
	[DB_COLLEAGUES] = { "colleagues",
	    "SELECT id::text FROM accounts WHERE status = 'active' "
	    "AND role IN ('adviser', 'coordinator') AND meldpunt_certified(id)",
	    COLLEAGUES_NCOLS },
	/* --- retention --- */
	[DB_PURGE] = { "purge",
	    "SELECT case_id FROM meldpunt_purge($1)", PURGE_NCOLS },
	/* --- statistics (SPEC 6) --- */
	[DB_STATS_RELEASE_FIND] = { "stats_release_find",
	    "SELECT id, body_json, body_csv, method FROM stats_releases "
	    "WHERE family = $1 AND quarter = $2", STATS_RELEASE_NCOLS },
	[DB_STATS_RELEASE_BY_ID] = { "stats_release_by_id",
	    "SELECT id, body_json, body_csv, method FROM stats_releases "
	    "WHERE id = $1", STATS_RELEASE_NCOLS },
	[DB_STATS_RELEASES] = { "stats_releases",
	    "SELECT id, family, quarter, method, "
	    "to_char(created_on, 'YYYY-MM-DD') FROM stats_releases "
	    "ORDER BY quarter, family", STATS_RELEASES_NCOLS },
	[DB_STATS_RELEASE_INSERT] = { "stats_release_insert",
	    "INSERT INTO stats_releases (id, family, quarter, method, body_json, "
	    "body_csv, certificate, created_on) "
	    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8::date) ON CONFLICT DO NOTHING "
	    "RETURNING 1", STATS_RELEASE_INSERT_NCOLS },
	[DB_STATS_INTAKE] = { "stats_intake",
	    "SELECT organisation, topic, count(*) FROM cases "
	    "WHERE received_on BETWEEN $1::date AND $2::date GROUP BY 1, 2",
	    STATS_INTAKE_NCOLS },
	/* Split by topic too, for the organisations in $2 only: those of
	 * accounts limited to some topics (one scan either way). */
	[DB_STATS_OUTCOME] = { "stats_outcome",
	    "SELECT organisation, outcome, category, "
	    "coalesce(primary_ground, 'not_applicable'), count(*), "
	    "CASE WHEN organisation = ANY ($2::text[]) THEN topic END "
	    "FROM case_facts WHERE closed_quarter = $1 GROUP BY 1, 2, 3, 4, 6",
	    STATS_OUTCOME_NCOLS },
	[DB_STATS_MERGE] = { "stats_merge",
	    "SELECT m FROM meldpunt_stats_merge($1::integer, $2::integer) m",
	    STATS_MERGE_NCOLS },
	[DB_STATS_DOMAIN] = { "stats_domain",
	    "SELECT dimension, ids FROM meldpunt_stats_domain($1, $2)",
	    STATS_DOMAIN_NCOLS },
	/* The reading statements of a release run in one transaction with
	 * room to hash a million cases and without JIT compilation (it costs
	 * more than it saves on these queries). */
	[DB_STATS_SESSION] = { "stats_session",
	    "SELECT set_config('work_mem', '64MB', true), "
	    "set_config('jit', 'off', true)", STATS_SESSION_NCOLS },
	/* Every account that sees cases of listed organisations, whatever its
	 * status: deactivated ones have seen them, invited ones will. */
	[DB_STATS_ACCOUNTS] = { "stats_accounts",
	    "SELECT id::text, array_to_string(organisations, ','), "
	    "array_to_string(topics, ',') FROM accounts "
	    "WHERE role IN ('coordinator', 'adviser') AND organisations <> '{}' "
	    "ORDER BY id::text COLLATE \"C\"", STATS_ACCOUNTS_NCOLS },
	/* Per account, the cases of the quarter's intake among its
	 * organisations and topics whose reporter excluded it: open cases
	 * from the exclusions, closed ones from stats_unseen (which outlives
	 * the purge). Topics outside its scope are added by release.c. */
	[DB_STATS_HIDDEN_INTAKE] = { "stats_hidden_intake",
	    "WITH a AS (SELECT id, organisations o, topics t FROM accounts "
	    "WHERE role IN ('coordinator', 'adviser') AND organisations <> '{}') "
	    "SELECT * FROM ("
	    "SELECT x.account_id::text AS account, c.organisation, c.topic, "
	    "count(*) "
	    "FROM case_exclusions x JOIN cases c ON c.id = x.case_id "
	    "JOIN a ON a.id = x.account_id "
	    "WHERE c.received_on BETWEEN $1::date AND $2::date "
	    "AND c.first_closed_on IS NULL "
	    "AND (a.o = '{*}' OR c.organisation = ANY (a.o)) "
	    "AND (a.t = '{*}' OR c.topic = ANY (a.t)) GROUP BY 1, 2, 3 "
	    "UNION ALL SELECT u.account_id::text, u.organisation, u.topic, "
	    "count(*) FROM stats_unseen u JOIN a ON a.id = u.account_id "
	    "WHERE u.received_quarter = $3 "
	    "AND (a.o = '{*}' OR u.organisation = ANY (a.o)) "
	    "AND (a.t = '{*}' OR u.topic = ANY (a.t)) GROUP BY 1, 2, 3"
	    ") h ORDER BY account COLLATE \"C\"", STATS_HIDDEN_INTAKE_NCOLS },
	/* The same for the facts of cases first closed in the quarter. */
	[DB_STATS_HIDDEN_OUTCOME] = { "stats_hidden_outcome",
	    "WITH a AS (SELECT id, organisations o, topics t FROM accounts "
	    "WHERE role IN ('coordinator', 'adviser') AND organisations <> '{}') "
	    "SELECT u.account_id::text AS account, u.organisation, u.outcome, "
	    "u.category, coalesce(u.primary_ground, 'not_applicable'), count(*) "
	    "FROM stats_unseen u JOIN a ON a.id = u.account_id "
	    "WHERE u.closed_quarter = $1 "
	    "AND (a.o = '{*}' OR u.organisation = ANY (a.o)) "
	    "AND (a.t = '{*}' OR u.topic = ANY (a.t)) GROUP BY 1, 2, 3, 4, 5 "
	    "ORDER BY u.account_id::text COLLATE \"C\"",
	    STATS_HIDDEN_OUTCOME_NCOLS },
	[DB_STATS_LOCK] = { "stats_lock",
	    "SELECT meldpunt_stats_lock($1::integer)", STATS_LOCK_NCOLS },
	[DB_STATS_UNLOCK] = { "stats_unlock",
	    "SELECT pg_advisory_unlock(7215004, 6)", STATS_UNLOCK_NCOLS },
	[DB_STATS_LEDGER_FIND] = { "stats_ledger_find",
	    "SELECT method FROM stats_ledger WHERE family = $1 AND quarter = $2",
	    STATS_LEDGER_FIND_NCOLS },
	/* Stored only under the lock (a lost connection loses the lock). */
	[DB_STATS_LEDGER_ADD] = { "stats_ledger_add",
	    "INSERT INTO stats_ledger (family, quarter, method) "
	    "SELECT $1, $2, $3 WHERE meldpunt_stats_locked() "
	    "ON CONFLICT DO NOTHING RETURNING 1", STATS_LEDGER_ADD_NCOLS },
	[DB_DP_LEDGER_FIND] = { "dp_ledger_find",
	    "SELECT 1 FROM dp_ledger WHERE family = $1 AND quarter = $2",
	    DP_LEDGER_FIND_NCOLS },
	[DB_DP_LEDGER_ADD] = { "dp_ledger_add",
	    "INSERT INTO dp_ledger (family, quarter, epsilon_num, epsilon_den) "
	    "SELECT $1, $2, $3::integer, $4::integer "
	    "WHERE meldpunt_stats_locked() ON CONFLICT DO NOTHING "
	    "RETURNING 1", DP_LEDGER_ADD_NCOLS },
	/* --- rotation and recovery (SPEC 3.11) --- */
	[DB_KEY_PENDING_ADD] = { "key_pending_add",
	    "WITH d AS (UPDATE account_keys SET state = 'retired' "
	    "WHERE account_id = $1::uuid AND state = 'pending') "
	    "INSERT INTO account_keys (account_id, seq, "
	    "encryption_public_key, sign_public_key, encrypted_secret_key, state) "
	    "SELECT $1::uuid, coalesce(max(seq), 0) + 1, $2, $3, $4, 'pending' "
	    "FROM account_keys WHERE account_id = $1::uuid RETURNING seq",
	    KEY_PENDING_ADD_NCOLS },
	[DB_REWRAP_LIST] = { "rewrap_list",
	    "SELECT w.case_id, w.public_key, w.wrap, n.wrap, c.key_commitment "
	    "FROM key_wraps w JOIN cases c ON c.id = w.case_id "
	    "LEFT JOIN note_wraps n ON n.case_id = w.case_id "
	    "AND n.account_id = w.account_id "
	    "WHERE w.account_id = $1::uuid AND c.purged_on IS NULL "
	    "ORDER BY w.case_id", REWRAP_LIST_NCOLS },
	[DB_ROTATE] = { "rotate",
	    "SELECT meldpunt_rotate($1::uuid, $2::bytea[], $3::bytea[], "
	    "$4::bytea[], $5::bytea[])", ROTATE_NCOLS },
	[DB_RECOVERY_EXPORT] = { "recovery_export",
	    "SELECT * FROM meldpunt_recovery_export($1::uuid, $2, $3::bytea[])",
	    RECOVERY_EXPORT_NCOLS },
	[DB_RECOVERY_IMPORT] = { "recovery_import",
	    "SELECT meldpunt_recovery_import($1::uuid, $2, $3::uuid, $4::bytea[], "
	    "$5::bytea[], $6::bytea[], $7::bytea[])", ROTATE_NCOLS },
	/* --- notifications for staff (issue 18) --- */
	[DB_NOTIFY_BATCH] = { "notify_batch",
	    "SELECT meldpunt_notify_batch(to_timestamp($1::bigint), $2::date, "
	    "$3::integer, $4::integer)", NOTIFY_BATCH_NCOLS },
	[DB_NOTIFY_CLAIM] = { "notify_claim",
	    "SELECT o.id, a.email, a.language FROM notify_outbox o "
	    "JOIN accounts a ON a.id = o.account_id "
	    "WHERE o.next_attempt <= now() AND a.status = 'active' "
	    "ORDER BY o.next_attempt, o.id LIMIT 1 FOR UPDATE OF o SKIP LOCKED",
	    NOTIFY_CLAIM_NCOLS },
	[DB_NOTIFY_SENT] = { "notify_sent",
	    "DELETE FROM notify_outbox WHERE id = $1::bigint", DB_NCOLS_NONE },
	[DB_NOTIFY_RETRY] = { "notify_retry",
	    "UPDATE notify_outbox SET attempts = attempts + 1, "
	    "next_attempt = now() + make_interval(secs => "
	    "least($2::integer * power(2, least(attempts, 20)), 3600)) "
	    "WHERE id = $1::bigint RETURNING attempts", NOTIFY_RETRY_NCOLS },
	[DB_NOTIFY_SETTINGS_GET] = { "notify_settings_get",
	    "SELECT language, notify_assigned, notify_message, notify_deadline, "
	    "notify_overdue FROM accounts WHERE id = $1::uuid",
	    NOTIFY_SETTINGS_NCOLS },
	[DB_NOTIFY_SETTINGS_SET] = { "notify_settings_set",
	    "UPDATE accounts SET language = $2, notify_assigned = $3, "
	    "notify_message = $4, notify_deadline = $5, notify_overdue = $6 "
	    "WHERE id = $1::uuid RETURNING 1", NOTIFY_SETTINGS_SET_NCOLS },
	/* --- the reporter's read mark and dates (issue 18) --- */
	[DB_REPORTER_CASE_MORE] = { "reporter_case_more",
	    "SELECT reporter_read_seq, to_char(acknowledged_on, 'YYYY-MM-DD'), "
	    "to_char(feedback_on, 'YYYY-MM-DD'), "
	    "to_char(closed_on, 'YYYY-MM-DD') "
	    "FROM cases WHERE id = $1 AND purged_on IS NULL",
	    REPORTER_CASE_MORE_NCOLS },
	/* Marked: 1 if seq was at most the last message's (and the mark never
	 * moves back); exists: the case is there at all. */
	[DB_REPORTER_READ] = { "reporter_read",
	    "WITH u AS (UPDATE cases SET reporter_read_seq = "
	    "greatest(reporter_read_seq, $2::integer) WHERE id = $1 "
	    "AND purged_on IS NULL AND $2::integer <= message_count "
	    "RETURNING 1) SELECT (SELECT count(*) FROM u)::integer, "
	    "EXISTS (SELECT 1 FROM cases WHERE id = $1 AND purged_on IS NULL)",
	    REPORTER_READ_NCOLS },
};
