-- 0016_client_limits.sql - per-client limits that hold across instances
-- (issue 17, item 1; SPEC 4).
--
-- * client_counters: the per-client counters (challenge allowance, staff
--   and reporter login failures), one row per counter and window, named by
--   a keyed hash that changes every UTC day (backend/crypto/clientkey.h);
--   no address is stored. A row counts from its window's start until
--   `until`; the maintenance thread deletes rows whose window is over.
-- * client_key_days: the day's random salt of those names, made by the
--   first instance that needs it and deleted when the day is over.
--
-- Both tables are UNLOGGED: no WAL, so a counter costs little; not
-- replicated and not in a base backup, so no name outlives its day
-- elsewhere. A crash of PostgreSQL or a failover empties them, which
-- resets the limits once (docs/spec-deviations.md).

CREATE UNLOGGED TABLE client_counters (
	key		bytea PRIMARY KEY CHECK (octet_length(key) = 32),
	until		timestamptz NOT NULL,
	count		integer NOT NULL CHECK (count >= 0)
);
CREATE INDEX client_counters_until ON client_counters (until);

CREATE UNLOGGED TABLE client_key_days (
	day		bigint PRIMARY KEY,	-- Unix seconds / 86400
	salt		bytea NOT NULL CHECK (octet_length(salt) = 32)
);

GRANT SELECT, INSERT, UPDATE, DELETE ON client_counters, client_key_days
	TO meldpunt_app;
