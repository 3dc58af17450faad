-- Key rotation: swap an account's wraps to its pending key. The swap names
-- the key its wraps are sealed to and is refused unless that is the pending
-- key (a second session may have replaced the pending key meanwhile).
CREATE OR REPLACE FUNCTION meldpunt_rotate(p_account uuid, p_case_ids bytea[],
	p_pks bytea[], p_wraps bytea[], p_note_wraps bytea[])
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
	-- Every wrap must be sealed to this pending key: another session may
	-- have replaced it since the browser made its wraps.
	IF EXISTS (SELECT 1 FROM unnest(p_pks) pk
		    WHERE pk IS DISTINCT FROM v_new.encryption_public_key) THEN
		RETURN 'key_changed';
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
