-- The merge map of a calendar year: fixed the first time it is asked for
-- (organisations of that year below the headcount), empty or not, and
-- never again.
CREATE OR REPLACE FUNCTION meldpunt_stats_merge(p_year integer, p_headcount integer)
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
