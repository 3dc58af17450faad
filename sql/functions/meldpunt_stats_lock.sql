-- One release computation at a time: a session-level advisory lock (the
-- two-key space, apart from the migration lock), waited for at most
-- p_wait_ms; false when it was not granted in time.
CREATE OR REPLACE FUNCTION meldpunt_stats_lock(p_wait_ms integer)
RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
	PERFORM set_config('lock_timeout', greatest(p_wait_ms, 1)::text, true);
	PERFORM pg_advisory_lock(7215004, 6);
	RETURN true;
EXCEPTION WHEN lock_not_available THEN
	RETURN false;
END
$$;
