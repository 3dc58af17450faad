-- The two legal deadlines of a report (Wet bescherming klokkenluiders, SPEC
-- section 5), counted from the day of receipt: the acknowledgement within
-- 7 days, the feedback within 3 months. Every deadline and overdue flag the
-- desk shows comes from these two functions.
CREATE OR REPLACE FUNCTION meldpunt_acknowledge_by(p_received date)
RETURNS date LANGUAGE sql IMMUTABLE AS $$
	SELECT p_received + 7
$$;

CREATE OR REPLACE FUNCTION meldpunt_feedback_by(p_received date)
RETURNS date LANGUAGE sql IMMUTABLE AS $$
	SELECT (p_received + interval '3 months')::date
$$;
