-- 0002_privileges.sql - what the runtime role may do, and nothing more.
-- The role itself is created by the operator (deploy/ does it for the
-- local cluster); migrations run as the tables' owner.

REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC;

GRANT SELECT ON desk_info, vocabulary TO meldpunt_app;
GRANT SELECT, INSERT, UPDATE ON organisations, topics TO meldpunt_app;
GRANT SELECT, INSERT, UPDATE ON accounts, account_keys TO meldpunt_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON invites, sessions, challenges,
	counters, idempotency_keys TO meldpunt_app;
GRANT SELECT, INSERT, UPDATE ON cases TO meldpunt_app;
GRANT SELECT, INSERT, DELETE ON case_exclusions, key_wraps, note_wraps,
	messages, notes, attachment_chunks TO meldpunt_app;
GRANT UPDATE ON key_wraps, note_wraps TO meldpunt_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON attachments, message_reads TO meldpunt_app;
GRANT SELECT, INSERT ON case_facts, audit_log, audit_heads, recovery_exports,
	stats_releases, dp_ledger TO meldpunt_app;
GRANT SELECT, INSERT, UPDATE ON stats_merge_maps TO meldpunt_app;
GRANT SELECT ON schema_migrations TO meldpunt_app;
