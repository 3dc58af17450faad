-- 0015_stats_ledger.sql - statistics releases that stay what they were
-- (SPEC 6; issue 13, items 13-20).
--
-- * stats_ledger: every release ever stored. A release row that has gone
--   missing is never computed again: the difference between two
--   computations of one quarter would reveal a late case.
-- * stats_domains: the value ids of each dimension of a quarter's cubes,
--   frozen at its first release, so that a new vocabulary entry or
--   organisation cannot make the second outcome family unreleasable.
-- * stats_merge_years: the calendar years whose merge map is fixed, also
--   when the map is empty.
-- * stats_unseen: for every account a reporter excluded, the statistical
--   facts of that case, written at its first closing and linked to no
--   case. The scope runs need what each coordinator or adviser cannot
--   see; the exclusions themselves are deleted by the purge.
-- * meldpunt_stats_lock: one release computation at a time for the desk,
--   so two requests can never each miss the other's sibling release.
-- * Releases and ledgers cannot be changed or deleted, not even by their
--   owner without first dropping a trigger.

CREATE TABLE stats_ledger (
	family		text NOT NULL,
	quarter		text NOT NULL CHECK (quarter ~ '^[0-9]{4}Q[1-4]$'),
	method		text NOT NULL CHECK (method IN ('suppression', 'dp')),
	created_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (family, quarter)
);
INSERT INTO stats_ledger (family, quarter, method, created_at)
SELECT family, quarter, method, created_on FROM stats_releases;

CREATE TABLE stats_domains (
	quarter		text NOT NULL CHECK (quarter ~ '^[0-9]{4}Q[1-4]$'),
	cube		text NOT NULL CHECK (cube IN ('intake', 'outcome')),
	dimension	text NOT NULL CHECK (dimension IN ('organisation', 'topic',
				'outcome', 'category', 'ground')),
	ids		text[] NOT NULL,
	PRIMARY KEY (quarter, cube, dimension)
);
-- The dimensions a stored release shows are its domain already.
INSERT INTO stats_domains (quarter, cube, dimension, ids)
SELECT r.quarter, d.cube, d.dimension,
	ARRAY(SELECT e.v FROM jsonb_array_elements_text(r.body_json::jsonb -> d.key)
		WITH ORDINALITY e(v, n) ORDER BY e.n)
FROM stats_releases r
JOIN (VALUES ('intake_org_topic', 'intake', 'topic', 'cols'),
	('outcome_category_outcome', 'outcome', 'category', 'rows'),
	('outcome_category_outcome', 'outcome', 'outcome', 'cols'),
	('outcome_category_ground', 'outcome', 'category', 'rows'),
	('outcome_category_ground', 'outcome', 'ground', 'cols'))
	d(family, cube, dimension, key) ON d.family = r.family
ORDER BY r.created_on, r.family
ON CONFLICT DO NOTHING;

-- The domain of one cube of a quarter: frozen now if it is not yet; each
-- dimension's ids joined by ','.
CREATE FUNCTION meldpunt_stats_domain(p_quarter text, p_cube text)
RETURNS TABLE (dimension text, ids text) LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	v_first date;
	v_last date;
BEGIN
	IF p_quarter !~ '^[0-9]{4}Q[1-4]$' OR p_cube NOT IN ('intake', 'outcome') THEN
		RAISE EXCEPTION 'bad quarter or cube' USING ERRCODE = '22023';
	END IF;
	v_first := make_date(substr(p_quarter, 1, 4)::integer,
		(substr(p_quarter, 6, 1)::integer - 1) * 3 + 1, 1);
	v_last := (v_first + interval '3 months' - interval '1 day')::date;
	INSERT INTO stats_domains (quarter, cube, dimension, ids)
	SELECT p_quarter, p_cube, 'organisation', ARRAY(SELECT o.id
		FROM organisations o WHERE o.created_on <= v_last
		AND (NOT o.retired OR o.retired_on >= v_first)
		ORDER BY o.id COLLATE "C")
	ON CONFLICT DO NOTHING;
	IF p_cube = 'intake' THEN
		INSERT INTO stats_domains (quarter, cube, dimension, ids)
		SELECT p_quarter, p_cube, 'topic',
			ARRAY(SELECT t.id FROM topics t ORDER BY t.id COLLATE "C")
		ON CONFLICT DO NOTHING;
	ELSE
		INSERT INTO stats_domains (quarter, cube, dimension, ids)
		SELECT p_quarter, p_cube, k.kind, ARRAY(SELECT v.id FROM (
			SELECT id FROM vocabulary WHERE kind = k.kind
			UNION SELECT 'not_applicable' WHERE k.kind = 'ground') v
			ORDER BY v.id COLLATE "C")
		FROM (VALUES ('outcome'), ('category'), ('ground')) k(kind)
		ON CONFLICT DO NOTHING;
	END IF;
	RETURN QUERY SELECT d.dimension, array_to_string(d.ids, ',')
		FROM stats_domains d WHERE d.quarter = p_quarter AND d.cube = p_cube;
END
$$;

CREATE TABLE stats_merge_years (
	year		integer PRIMARY KEY,
	fixed_on	date NOT NULL DEFAULT current_date
);
INSERT INTO stats_merge_years (year)
SELECT DISTINCT year FROM stats_merge_maps ON CONFLICT DO NOTHING;
INSERT INTO stats_merge_years (year)
SELECT DISTINCT substr(quarter, 1, 4)::integer FROM stats_releases
ON CONFLICT DO NOTHING;

-- The merge map of a calendar year: fixed the first time it is asked for
-- (organisations of that year below the headcount), empty or not, and
-- never again.
CREATE FUNCTION meldpunt_stats_merge(p_year integer, p_headcount integer)
RETURNS SETOF text LANGUAGE plpgsql AS $$
#variable_conflict use_column
BEGIN
	INSERT INTO stats_merge_years (year) VALUES (p_year) ON CONFLICT DO NOTHING;
	IF FOUND THEN
		INSERT INTO stats_merge_maps (year, organisation)
		SELECT p_year, o.id FROM organisations o
		 WHERE o.headcount < p_headcount
		   AND o.created_on <= make_date(p_year, 12, 31)
		   AND (NOT o.retired OR o.retired_on >= make_date(p_year, 1, 1))
		ON CONFLICT DO NOTHING;
	END IF;
	RETURN QUERY SELECT m.organisation FROM stats_merge_maps m
		WHERE m.year = p_year ORDER BY m.organisation COLLATE "C";
END
$$;

CREATE TABLE stats_unseen (
	account_id	uuid NOT NULL REFERENCES accounts (id),
	organisation	text NOT NULL,
	topic		text NOT NULL,
	received_quarter text NOT NULL CHECK (received_quarter ~ '^[0-9]{4}Q[1-4]$'),
	closed_quarter	text NOT NULL CHECK (closed_quarter ~ '^[0-9]{4}Q[1-4]$'),
	category	text NOT NULL,
	primary_ground	text,
	outcome		text NOT NULL
);
CREATE INDEX stats_unseen_received ON stats_unseen (received_quarter);
CREATE INDEX stats_unseen_closed ON stats_unseen (closed_quarter);

-- At the first closing, next to the case's facts (meldpunt_case_update).
CREATE FUNCTION meldpunt_stats_unseen()
RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.category IS NOT NULL AND NEW.outcome IS NOT NULL THEN
		INSERT INTO stats_unseen (account_id, organisation, topic,
			received_quarter, closed_quarter, category, primary_ground,
			outcome)
		SELECT x.account_id, NEW.organisation, NEW.topic,
			meldpunt_quarter(NEW.received_on),
			meldpunt_quarter(NEW.first_closed_on), NEW.category,
			NEW.primary_ground, NEW.outcome
		FROM case_exclusions x WHERE x.case_id = NEW.id;
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER cases_stats_unseen AFTER UPDATE OF first_closed_on ON cases
	FOR EACH ROW WHEN (OLD.first_closed_on IS NULL AND NEW.first_closed_on IS NOT NULL)
	EXECUTE FUNCTION meldpunt_stats_unseen();
-- Cases closed before this migration and not yet purged (their
-- classification as it is now: the snapshot of that time is not linked).
INSERT INTO stats_unseen (account_id, organisation, topic, received_quarter,
	closed_quarter, category, primary_ground, outcome)
SELECT x.account_id, c.organisation, c.topic, meldpunt_quarter(c.received_on),
	meldpunt_quarter(c.first_closed_on), c.category, c.primary_ground, c.outcome
FROM cases c JOIN case_exclusions x ON x.case_id = c.id
WHERE c.first_closed_on IS NOT NULL AND c.category IS NOT NULL
  AND c.outcome IS NOT NULL;

-- One release computation at a time: a session-level advisory lock (the
-- two-key space, apart from the migration lock), waited for at most
-- p_wait_ms; false when it was not granted in time.
CREATE FUNCTION meldpunt_stats_lock(p_wait_ms integer)
RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
	PERFORM set_config('lock_timeout', greatest(p_wait_ms, 1)::text, true);
	PERFORM pg_advisory_lock(7215004, 6);
	RETURN true;
EXCEPTION WHEN lock_not_available THEN
	RETURN false;
END
$$;

-- Whether this session holds that lock: a release is stored only then.
CREATE FUNCTION meldpunt_stats_locked()
RETURNS boolean LANGUAGE sql STABLE AS $$
	SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory'
		AND pid = pg_backend_pid() AND classid = 7215004 AND objid = 6
		AND objsubid = 2 AND granted)
$$;

CREATE FUNCTION meldpunt_stats_frozen()
RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'statistics releases and ledgers are never changed'
		USING ERRCODE = '55000';
END
$$;
CREATE TRIGGER stats_releases_frozen BEFORE UPDATE OR DELETE ON stats_releases
	FOR EACH ROW EXECUTE FUNCTION meldpunt_stats_frozen();
CREATE TRIGGER stats_releases_no_truncate BEFORE TRUNCATE ON stats_releases
	FOR EACH STATEMENT EXECUTE FUNCTION meldpunt_stats_frozen();
CREATE TRIGGER stats_ledger_frozen BEFORE UPDATE OR DELETE ON stats_ledger
	FOR EACH ROW EXECUTE FUNCTION meldpunt_stats_frozen();
CREATE TRIGGER stats_ledger_no_truncate BEFORE TRUNCATE ON stats_ledger
	FOR EACH STATEMENT EXECUTE FUNCTION meldpunt_stats_frozen();
CREATE TRIGGER dp_ledger_frozen BEFORE UPDATE OR DELETE ON dp_ledger
	FOR EACH ROW EXECUTE FUNCTION meldpunt_stats_frozen();
CREATE TRIGGER dp_ledger_no_truncate BEFORE TRUNCATE ON dp_ledger
	FOR EACH STATEMENT EXECUTE FUNCTION meldpunt_stats_frozen();

GRANT SELECT, INSERT ON stats_ledger, stats_domains, stats_merge_years,
	stats_unseen TO meldpunt_app;
REVOKE ALL ON FUNCTION meldpunt_stats_domain(text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION meldpunt_stats_merge(integer, integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION meldpunt_stats_unseen() FROM PUBLIC;
REVOKE ALL ON FUNCTION meldpunt_stats_lock(integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION meldpunt_stats_locked() FROM PUBLIC;
REVOKE ALL ON FUNCTION meldpunt_stats_frozen() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION meldpunt_stats_domain(text, text) TO meldpunt_app;
GRANT EXECUTE ON FUNCTION meldpunt_stats_merge(integer, integer) TO meldpunt_app;
GRANT EXECUTE ON FUNCTION meldpunt_stats_unseen() TO meldpunt_app;
GRANT EXECUTE ON FUNCTION meldpunt_stats_lock(integer) TO meldpunt_app;
GRANT EXECUTE ON FUNCTION meldpunt_stats_locked() TO meldpunt_app;
GRANT EXECUTE ON FUNCTION meldpunt_stats_frozen() TO meldpunt_app;
