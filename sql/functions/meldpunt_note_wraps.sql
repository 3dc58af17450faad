-- Note wraps (SPEC 3.5). With a commitment: create the notes key, the wraps
-- covering exactly the adviser wrap holders plus recovery. Without: add
-- wraps for holders that lack one (the caller must hold one). Each wrap is
-- sealed to the public key of the holder's case wrap (recovery: p_rec_pk).
-- Results: ok, purged, notes_key_exists, holders_changed, key_changed,
-- no_notes_key.
CREATE OR REPLACE FUNCTION meldpunt_note_wraps(p_case bytea, p_actor uuid,
	p_recipients text[], p_pks bytea[], p_wraps bytea[],
	p_commitment bytea, p_signature bytea, p_rec_pk bytea)
RETURNS text LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	c cases%ROWTYPE;
	v_want text[];
BEGIN
	SELECT * INTO c FROM cases WHERE id = p_case FOR UPDATE;
	IF NOT FOUND OR c.purged_on IS NOT NULL THEN
		RETURN 'purged';
	END IF;
	IF p_commitment IS NOT NULL AND c.notes_key_commitment IS NOT NULL THEN
		RETURN 'notes_key_exists';
	END IF;
	IF p_commitment IS NULL AND c.notes_key_commitment IS NULL THEN
		RETURN 'no_notes_key';
	END IF;
	IF p_commitment IS NULL AND NOT EXISTS (SELECT 1 FROM note_wraps
	    WHERE case_id = p_case AND account_id = p_actor) THEN
		RETURN 'holders_changed';
	END IF;
	-- The recipients that should receive a note wrap now.
	v_want := ARRAY(SELECT r FROM (
		SELECT w.account_id::text AS r FROM key_wraps w
		 WHERE w.case_id = p_case AND w.recipient = 'adviser'
		UNION SELECT 'recovery') s
		WHERE p_commitment IS NOT NULL OR NOT EXISTS (SELECT 1 FROM note_wraps n
			WHERE n.case_id = p_case AND (n.account_id::text = s.r
			   OR (s.r = 'recovery' AND n.recipient = 'recovery')))
		ORDER BY r COLLATE "C");
	IF p_commitment IS NULL AND cardinality(v_want) = 0 THEN
		RETURN 'holders_changed';
	END IF;
	IF v_want IS DISTINCT FROM ARRAY(SELECT r FROM unnest(p_recipients) r
	    ORDER BY r COLLATE "C") THEN
		RETURN 'holders_changed';
	END IF;
	IF EXISTS (SELECT 1 FROM unnest(p_recipients, p_pks) AS x (r, pk)
	    WHERE x.pk IS DISTINCT FROM CASE WHEN x.r = 'recovery' THEN p_rec_pk
		ELSE (SELECT w.public_key FROM key_wraps w WHERE w.case_id = p_case
			AND w.account_id::text = x.r) END) THEN
		RETURN 'key_changed';
	END IF;
	INSERT INTO note_wraps (case_id, recipient, account_id, public_key, wrap)
	SELECT p_case, CASE WHEN x.r = 'recovery' THEN 'recovery' ELSE 'adviser' END,
		CASE WHEN x.r = 'recovery' THEN NULL ELSE x.r::uuid END, x.pk, x.w
	  FROM unnest(p_recipients, p_pks, p_wraps) AS x (r, pk, w);
	IF p_commitment IS NOT NULL THEN
		UPDATE cases SET notes_key_commitment = p_commitment,
			notes_key_signature = p_signature, notes_key_author = p_actor
		 WHERE id = p_case;
	END IF;
	RETURN 'ok';
END
$$;
