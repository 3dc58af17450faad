-- The calendar quarter of a day, as "2026Q1".
CREATE OR REPLACE FUNCTION meldpunt_quarter(d date)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT to_char(d, 'YYYY') || 'Q' || to_char(d, 'Q')
$$;
