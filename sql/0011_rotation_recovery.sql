-- 0011_rotation_recovery.sql - adviser key rotation and recovery of case
-- keys through the offline recovery key (SPEC 3.11).

-- A rotation key waits as 'pending' until its certificate is imported;
-- then PUT /adviser/keys swaps it in together with every re-made wrap.
-- Returns ok, not_certified, holders_changed, key_changed.
CREATE FUNCTION meldpunt_rotate(p_account uuid, p_case_ids bytea[],
	p_wraps bytea[], p_note_wraps bytea[])
RETURNS text LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	v_new account_keys%ROWTYPE;
	v_have bytea[];
	v_notes bytea[];
BEGIN
	SELECT * INTO v_new FROM account_keys
	 WHERE account_id = p_account AND state = 'pending' FOR UPDATE;
	IF NOT FOUND OR v_new.certificate IS NULL OR v_new.not_after < current_date THEN
		RETURN 'not_certified';
	END IF;
	-- The same set of cases as the caller holds now, lock-step.
	PERFORM 1 FROM cases c JOIN key_wraps w ON w.case_id = c.id
	 WHERE w.account_id = p_account FOR UPDATE OF c;
	v_have := ARRAY(SELECT w.case_id FROM key_wraps w
		WHERE w.account_id = p_account ORDER BY w.case_id);
	IF v_have IS DISTINCT FROM ARRAY(SELECT x FROM unnest(p_case_ids) x ORDER BY x) THEN
		RETURN 'holders_changed';
	END IF;
	v_notes := ARRAY(SELECT n.case_id FROM note_wraps n
		WHERE n.account_id = p_account ORDER BY n.case_id);
	IF v_notes IS DISTINCT FROM ARRAY(SELECT c FROM unnest(p_case_ids, p_note_wraps) AS t (c, n)
		WHERE n IS NOT NULL ORDER BY c) THEN
		RETURN 'holders_changed';
	END IF;
	UPDATE key_wraps w SET public_key = v_new.encryption_public_key, wrap = t.wrap
	  FROM unnest(p_case_ids, p_wraps) AS t (case_id, wrap)
	 WHERE w.case_id = t.case_id AND w.account_id = p_account;
	UPDATE note_wraps n SET public_key = v_new.encryption_public_key, wrap = t.wrap
	  FROM unnest(p_case_ids, p_note_wraps) AS t (case_id, wrap)
	 WHERE n.case_id = t.case_id AND n.account_id = p_account AND t.wrap IS NOT NULL;
	UPDATE account_keys SET state = 'retired'
	 WHERE account_id = p_account AND state = 'current';
	UPDATE account_keys SET state = 'current'
	 WHERE account_id = p_account AND seq = v_new.seq;
	RETURN 'ok';
END
$$;

-- A coordinator's recovery export: only cases of their organisations that
-- did not exclude them, not purged; all or nothing. Records the export.
CREATE FUNCTION meldpunt_recovery_export(p_actor uuid, p_export bytea,
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
	SELECT c.id, c.organisation, c.topic, c.key_commitment, w.wrap, n.wrap
	  FROM cases c
	  JOIN key_wraps w ON w.case_id = c.id AND w.recipient = 'recovery'
	  LEFT JOIN note_wraps n ON n.case_id = c.id AND n.recipient = 'recovery'
	 WHERE c.id = ANY (p_case_ids)
	 ORDER BY c.id;
END
$$;

-- Import re-made wraps for a target adviser: only cases of that export
-- (made by this coordinator), for an active, certified target whose current
-- key and scope fit each case and whom the reporter did not exclude. An
-- existing wrap of the target for a case is replaced (a re-enrolled
-- adviser's old wrap is useless). Returns ok, not_found, not_in_export,
-- no_colleague, key_changed, out_of_scope, excluded_by_reporter,
-- holders_changed, purged.
CREATE FUNCTION meldpunt_recovery_import(p_actor uuid, p_export bytea,
	p_target uuid, p_case_ids bytea[], p_pks bytea[], p_wraps bytea[],
	p_note_wraps bytea[])
RETURNS text LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	v_cases bytea[];
	v_key bytea;
	v_orgs text[];
	v_topics text[];
	r record;
BEGIN
	SELECT e.case_ids INTO v_cases FROM recovery_exports e
	 WHERE e.id = p_export AND e.account_id = p_actor;
	IF NOT FOUND THEN
		RETURN 'not_found';
	END IF;
	IF cardinality(p_case_ids) = 0 OR EXISTS (SELECT 1 FROM unnest(p_case_ids) x
	    WHERE x <> ALL (v_cases)) OR cardinality(p_case_ids) <>
	    (SELECT count(DISTINCT x) FROM unnest(p_case_ids) x) THEN
		RETURN 'not_in_export';
	END IF;
	IF NOT meldpunt_certified(p_target) THEN
		RETURN 'no_colleague';
	END IF;
	SELECT k.encryption_public_key, a.organisations, a.topics
	  INTO v_key, v_orgs, v_topics
	  FROM accounts a JOIN account_keys k ON k.account_id = a.id AND k.state = 'current'
	 WHERE a.id = p_target;
	FOR r IN SELECT t.c, t.pk, t.w, t.n, x.organisation, x.topic, x.purged_on,
		x.notes_key_commitment
		FROM unnest(p_case_ids, p_pks, p_wraps, p_note_wraps) AS t (c, pk, w, n)
		JOIN cases x ON x.id = t.c FOR UPDATE OF x LOOP
		IF r.purged_on IS NOT NULL THEN
			RETURN 'purged';
		END IF;
		IF r.pk IS DISTINCT FROM v_key THEN
			RETURN 'key_changed';
		END IF;
		IF NOT ((v_orgs = '{*}' OR r.organisation = ANY (v_orgs)) AND
		    (v_topics = '{*}' OR r.topic = ANY (v_topics))) THEN
			RETURN 'out_of_scope';
		END IF;
		IF EXISTS (SELECT 1 FROM case_exclusions e WHERE e.case_id = r.c
		    AND e.account_id = p_target) THEN
			RETURN 'excluded_by_reporter';
		END IF;
		IF (r.notes_key_commitment IS NOT NULL) <> (r.n IS NOT NULL) THEN
			RETURN 'holders_changed';
		END IF;
	END LOOP;
	DELETE FROM key_wraps w WHERE w.account_id = p_target AND w.case_id = ANY (p_case_ids);
	DELETE FROM note_wraps n WHERE n.account_id = p_target AND n.case_id = ANY (p_case_ids);
	INSERT INTO key_wraps (case_id, recipient, account_id, public_key, wrap)
	SELECT t.c, 'adviser', p_target, t.pk, t.w
	  FROM unnest(p_case_ids, p_pks, p_wraps) AS t (c, pk, w);
	INSERT INTO note_wraps (case_id, recipient, account_id, public_key, wrap)
	SELECT t.c, 'adviser', p_target, t.pk, t.n
	  FROM unnest(p_case_ids, p_pks, p_note_wraps) AS t (c, pk, n)
	 WHERE t.n IS NOT NULL;
	RETURN 'ok';
END
$$;

GRANT SELECT ON recovery_exports TO meldpunt_app;
REVOKE ALL ON FUNCTION meldpunt_rotate(uuid, bytea[], bytea[], bytea[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION meldpunt_recovery_export(uuid, bytea, bytea[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION meldpunt_recovery_import(uuid, bytea, uuid, bytea[],
	bytea[], bytea[], bytea[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION meldpunt_rotate(uuid, bytea[], bytea[], bytea[]) TO meldpunt_app;
GRANT EXECUTE ON FUNCTION meldpunt_recovery_export(uuid, bytea, bytea[]) TO meldpunt_app;
GRANT EXECUTE ON FUNCTION meldpunt_recovery_import(uuid, bytea, uuid, bytea[],
	bytea[], bytea[], bytea[]) TO meldpunt_app;
