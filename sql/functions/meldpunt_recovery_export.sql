-- A coordinator's recovery export: only cases of their organisations that
-- did not exclude them, not purged; all or nothing. Records the export.
-- The case key's recovery wrap comes from the case row.
CREATE OR REPLACE FUNCTION meldpunt_recovery_export(p_actor uuid, p_export bytea,
	p_case_ids bytea[])
RETURNS TABLE (case_id bytea, organisation text, topic text,
	key_commitment bytea, recovery_wrap bytea, recovery_note_wrap bytea)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	v_orgs text[];
	v_n integer;
BEGIN
	SELECT a.organisations INTO v_orgs FROM accounts a
	 WHERE a.id = p_actor AND a.status = 'active' AND a.role = 'coordinator';
	IF NOT FOUND OR cardinality(p_case_ids) = 0 OR
	   cardinality(p_case_ids) <> (SELECT count(DISTINCT x) FROM unnest(p_case_ids) x) THEN
		RETURN;
	END IF;
	SELECT count(*) INTO v_n FROM cases c
	 WHERE c.id = ANY (p_case_ids) AND c.purged_on IS NULL
	   AND (v_orgs = '{*}' OR c.organisation = ANY (v_orgs))
	   AND NOT EXISTS (SELECT 1 FROM case_exclusions e
			   WHERE e.case_id = c.id AND e.account_id = p_actor);
	IF v_n <> cardinality(p_case_ids) THEN
		RETURN;
	END IF;
	INSERT INTO recovery_exports (id, account_id, case_ids)
	VALUES (p_export, p_actor, p_case_ids);
	RETURN QUERY
	SELECT c.id, c.organisation, c.topic, c.key_commitment, c.recovery_wrap,
		n.wrap
	  FROM cases c
	  LEFT JOIN note_wraps n ON n.case_id = c.id AND n.recipient = 'recovery'
	 WHERE c.id = ANY (p_case_ids)
	 ORDER BY c.id;
END
$$;
