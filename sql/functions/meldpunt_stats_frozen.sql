-- Trigger: statistics releases and ledgers are append-only.
CREATE OR REPLACE FUNCTION meldpunt_stats_frozen()
RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'statistics releases and ledgers are never changed'
		USING ERRCODE = '55000';
END
$$;
