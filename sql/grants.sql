-- grants.sql - who may call the functions of sql/functions/: migrate runs
-- this file after re-creating them, in the same transaction. A function
-- is callable by the owner (meldpunt) and, where listed, by the runtime
-- role meldpunt_app; never by PUBLIC.

REVOKE ALL ON FUNCTION meldpunt_acknowledge_by(date) FROM PUBLIC;
REVOKE ALL ON FUNCTION meldpunt_case_access(bytea, uuid) FROM PUBLIC;
REVOKE ALL ON FUNCTION meldpunt_case_update(bytea, text, boolean, text, text[], text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION meldpunt_certified(uuid) FROM PUBLIC;
REVOKE ALL ON FUNCTION meldpunt_coordinators(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION meldpunt_deactivate(uuid) FROM PUBLIC;
REVOKE ALL ON FUNCTION meldpunt_enrol_confirm(bytea, bigint) FROM PUBLIC;
REVOKE ALL ON FUNCTION meldpunt_feedback_by(date) FROM PUBLIC;
REVOKE ALL ON FUNCTION meldpunt_notify_batch(timestamptz, date, integer, integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION meldpunt_note_wraps(bytea, uuid, text[], bytea[], bytea[], bytea, bytea, bytea) FROM PUBLIC;
REVOKE ALL ON FUNCTION meldpunt_purge(integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION meldpunt_quarter(date) FROM PUBLIC;
REVOKE ALL ON FUNCTION meldpunt_recovery_export(uuid, bytea, bytea[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION meldpunt_recovery_import(uuid, bytea, uuid, bytea[], bytea[], bytea[], bytea[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION meldpunt_rotate(uuid, bytea[], bytea[], bytea[], bytea[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION meldpunt_routing(text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION meldpunt_share(bytea, uuid, bytea, bytea, bytea) FROM PUBLIC;
REVOKE ALL ON FUNCTION meldpunt_stats_domain(text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION meldpunt_stats_frozen() FROM PUBLIC;
REVOKE ALL ON FUNCTION meldpunt_stats_lock(integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION meldpunt_stats_locked() FROM PUBLIC;
REVOKE ALL ON FUNCTION meldpunt_stats_merge(integer, integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION meldpunt_stats_unseen() FROM PUBLIC;
REVOKE ALL ON FUNCTION meldpunt_submit_many(bytea[], bigint[], bigint[], bytea[], text[], text[], text[], bytea[], bytea[], bytea[], bytea[], bytea[], bytea[], bytea[], bytea[], bytea[], bytea[], bytea[], bytea[], bigint[], text[], bigint[], text[], bytea[], bytea[], integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION meldpunt_submit_refusals(text[], text[], bigint[], uuid[], bigint[], uuid[], bytea[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION meldpunt_tier(text, text[], text[]) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION meldpunt_acknowledge_by(date) TO meldpunt_app;
GRANT EXECUTE ON FUNCTION meldpunt_case_access(bytea, uuid) TO meldpunt_app;
GRANT EXECUTE ON FUNCTION meldpunt_case_update(bytea, text, boolean, text, text[], text, text) TO meldpunt_app;
GRANT EXECUTE ON FUNCTION meldpunt_certified(uuid) TO meldpunt_app;
GRANT EXECUTE ON FUNCTION meldpunt_coordinators(text) TO meldpunt_app;
GRANT EXECUTE ON FUNCTION meldpunt_deactivate(uuid) TO meldpunt_app;
GRANT EXECUTE ON FUNCTION meldpunt_enrol_confirm(bytea, bigint) TO meldpunt_app;
GRANT EXECUTE ON FUNCTION meldpunt_feedback_by(date) TO meldpunt_app;
GRANT EXECUTE ON FUNCTION meldpunt_notify_batch(timestamptz, date, integer, integer) TO meldpunt_app;
GRANT EXECUTE ON FUNCTION meldpunt_note_wraps(bytea, uuid, text[], bytea[], bytea[], bytea, bytea, bytea) TO meldpunt_app;
GRANT EXECUTE ON FUNCTION meldpunt_purge(integer) TO meldpunt_app;
GRANT EXECUTE ON FUNCTION meldpunt_quarter(date) TO meldpunt_app;
GRANT EXECUTE ON FUNCTION meldpunt_recovery_export(uuid, bytea, bytea[]) TO meldpunt_app;
GRANT EXECUTE ON FUNCTION meldpunt_recovery_import(uuid, bytea, uuid, bytea[], bytea[], bytea[], bytea[]) TO meldpunt_app;
GRANT EXECUTE ON FUNCTION meldpunt_rotate(uuid, bytea[], bytea[], bytea[], bytea[]) TO meldpunt_app;
GRANT EXECUTE ON FUNCTION meldpunt_routing(text, text) TO meldpunt_app;
GRANT EXECUTE ON FUNCTION meldpunt_share(bytea, uuid, bytea, bytea, bytea) TO meldpunt_app;
GRANT EXECUTE ON FUNCTION meldpunt_stats_domain(text, text) TO meldpunt_app;
GRANT EXECUTE ON FUNCTION meldpunt_stats_frozen() TO meldpunt_app;
GRANT EXECUTE ON FUNCTION meldpunt_stats_lock(integer) TO meldpunt_app;
GRANT EXECUTE ON FUNCTION meldpunt_stats_locked() TO meldpunt_app;
GRANT EXECUTE ON FUNCTION meldpunt_stats_merge(integer, integer) TO meldpunt_app;
GRANT EXECUTE ON FUNCTION meldpunt_stats_unseen() TO meldpunt_app;
GRANT EXECUTE ON FUNCTION meldpunt_submit_many(bytea[], bigint[], bigint[], bytea[], text[], text[], text[], bytea[], bytea[], bytea[], bytea[], bytea[], bytea[], bytea[], bytea[], bytea[], bytea[], bytea[], bytea[], bigint[], text[], bigint[], text[], bytea[], bytea[], integer) TO meldpunt_app;
GRANT EXECUTE ON FUNCTION meldpunt_submit_refusals(text[], text[], bigint[], uuid[], bigint[], uuid[], bytea[]) TO meldpunt_app;
GRANT EXECUTE ON FUNCTION meldpunt_tier(text, text[], text[]) TO meldpunt_app;
