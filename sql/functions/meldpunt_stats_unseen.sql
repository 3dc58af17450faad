-- At the first closing, next to the case's facts (meldpunt_case_update).
CREATE OR REPLACE FUNCTION meldpunt_stats_unseen()
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
