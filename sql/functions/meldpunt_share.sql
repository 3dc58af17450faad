-- Share a case with a colleague (SPEC 4): an active adviser or coordinator
-- with a current certified key, not excluded, without a wrap yet; the wrap
-- (and the note wrap, required once a notes key exists) sealed to that key.
-- Results: ok, not_found, purged, no_colleague, excluded_by_reporter,
-- already_holder, key_changed, holders_changed.
CREATE OR REPLACE FUNCTION meldpunt_share(p_case bytea, p_target uuid, p_pk bytea,
	p_wrap bytea, p_note_wrap bytea)
RETURNS text LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	c cases%ROWTYPE;
	v_pk bytea;
BEGIN
	SELECT * INTO c FROM cases WHERE id = p_case FOR UPDATE;
	IF NOT FOUND THEN
		RETURN 'not_found';
	END IF;
	IF c.purged_on IS NOT NULL THEN
		RETURN 'purged';
	END IF;
	IF NOT meldpunt_certified(p_target) THEN
		RETURN 'no_colleague';
	END IF;
	IF EXISTS (SELECT 1 FROM case_exclusions WHERE case_id = p_case
	    AND account_id = p_target) THEN
		RETURN 'excluded_by_reporter';
	END IF;
	IF EXISTS (SELECT 1 FROM key_wraps WHERE case_id = p_case
	    AND account_id = p_target) THEN
		RETURN 'already_holder';
	END IF;
	SELECT encryption_public_key INTO v_pk FROM account_keys
	 WHERE account_id = p_target AND state = 'current';
	IF v_pk IS DISTINCT FROM p_pk THEN
		RETURN 'key_changed';
	END IF;
	IF (c.notes_key_commitment IS NOT NULL) <> (p_note_wrap IS NOT NULL) THEN
		RETURN 'holders_changed';
	END IF;
	INSERT INTO key_wraps (case_id, recipient, account_id, public_key, wrap)
	VALUES (p_case, 'adviser', p_target, p_pk, p_wrap);
	IF p_note_wrap IS NOT NULL THEN
		INSERT INTO note_wraps (case_id, recipient, account_id, public_key, wrap)
		VALUES (p_case, 'adviser', p_target, p_pk, p_note_wrap);
	END IF;
	RETURN 'ok';
END
$$;
