-- The domain of one cube of a quarter: frozen now if it is not yet; each
-- dimension's ids joined by ','.
CREATE OR REPLACE FUNCTION meldpunt_stats_domain(p_quarter text, p_cube text)
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
