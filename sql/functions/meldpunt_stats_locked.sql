-- Whether this session holds that lock: a release is stored only then.
CREATE OR REPLACE FUNCTION meldpunt_stats_locked()
RETURNS boolean LANGUAGE sql STABLE AS $$
	SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory'
		AND pid = pg_backend_pid() AND classid = 7215004 AND objid = 6
		AND objsubid = 2 AND granted)
$$;
