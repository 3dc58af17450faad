-- Status and classification (SPEC 5). p_status NULL keeps the status;
-- p_set_class false keeps the classification. Results: ok, not_found,
-- purged, invalid_transition, classification_required, invalid_category,
-- invalid_grounds, invalid_primary_ground, invalid_outcome.
CREATE OR REPLACE FUNCTION meldpunt_case_update(p_case bytea, p_status text,
	p_set_class boolean, p_category text, p_grounds text[],
	p_primary text, p_outcome text)
RETURNS text LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	c cases%ROWTYPE;
	v_rank_old integer;
	v_rank_new integer;
BEGIN
	SELECT * INTO c FROM cases WHERE id = p_case FOR UPDATE;
	IF NOT FOUND THEN
		RETURN 'not_found';
	END IF;
	IF c.purged_on IS NOT NULL THEN
		RETURN 'purged';
	END IF;
	IF p_set_class THEN
		IF p_category IS NOT NULL AND NOT EXISTS (SELECT 1 FROM vocabulary
		    WHERE kind = 'category' AND id = p_category) THEN
			RETURN 'invalid_category';
		END IF;
		IF EXISTS (SELECT 1 FROM unnest(p_grounds) g WHERE NOT EXISTS
		    (SELECT 1 FROM vocabulary WHERE kind = 'ground' AND id = g)) THEN
			RETURN 'invalid_grounds';
		END IF;
		IF p_primary IS NOT NULL AND NOT EXISTS (SELECT 1 FROM vocabulary
		    WHERE kind = 'ground' AND id = p_primary) THEN
			RETURN 'invalid_primary_ground';
		END IF;
		IF p_outcome IS NOT NULL AND NOT EXISTS (SELECT 1 FROM vocabulary
		    WHERE kind = 'outcome' AND id = p_outcome) THEN
			RETURN 'invalid_outcome';
		END IF;
		c.category := p_category;
		-- The primary ground is always one of the grounds.
		c.grounds := (SELECT coalesce(array_agg(DISTINCT g ORDER BY g), '{}')
			FROM unnest(p_grounds || p_primary) g WHERE g IS NOT NULL);
		c.primary_ground := p_primary;
		c.outcome := p_outcome;
	END IF;
	IF p_status IS NOT NULL AND p_status <> c.status THEN
		v_rank_old := array_position(ARRAY['new', 'acknowledged',
			'in_progress', 'closed'], c.status);
		v_rank_new := array_position(ARRAY['new', 'acknowledged',
			'in_progress', 'closed'], p_status);
		-- Forward moves, and reopening a closed case (to in_progress).
		IF v_rank_new IS NULL OR (v_rank_new < v_rank_old AND
		    NOT (c.status = 'closed' AND p_status = 'in_progress')) THEN
			RETURN 'invalid_transition';
		END IF;
		IF p_status = 'closed' AND (c.category IS NULL OR c.outcome IS NULL
		    OR (c.category IN ('racism', 'discrimination')
		        AND c.primary_ground IS NULL)) THEN
			RETURN 'classification_required';
		END IF;
		IF p_status = 'closed' AND c.first_closed_on IS NULL THEN
			INSERT INTO case_facts (organisation, topic, received_quarter,
				closed_quarter, category, primary_ground, outcome)
			VALUES (c.organisation, c.topic, meldpunt_quarter(c.received_on),
				meldpunt_quarter(current_date), c.category,
				c.primary_ground, c.outcome);
			c.first_closed_on := current_date;
		END IF;
		c.closed_on := CASE WHEN p_status = 'closed' THEN current_date END;
		IF p_status <> 'new' AND c.acknowledged_on IS NULL THEN
			c.acknowledged_on := current_date;
		END IF;
		c.status := p_status;
	END IF;
	UPDATE cases SET status = c.status, category = c.category,
		grounds = c.grounds, primary_ground = c.primary_ground,
		outcome = c.outcome, closed_on = c.closed_on,
		first_closed_on = c.first_closed_on,
		acknowledged_on = c.acknowledged_on
	 WHERE id = p_case;
	RETURN 'ok';
END
$$;
