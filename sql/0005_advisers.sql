-- 0005_advisers.sql - enrolment, case handling by advisers, sharing,
-- notes keys and retention (SPEC 3.5, 3.7, 3.8, sections 4 and 5).
--
-- Multi-row changes that must check and write atomically live here as
-- functions, so that a refusal writes nothing; each returns a result code
-- the C side maps to the SPEC error.

-- An enrolment awaiting its TOTP confirmation. Nothing here is used for a
-- login until meldpunt_enrol_confirm moves it into the account.
CREATE TABLE enrolments (
	invite_hash		bytea PRIMARY KEY REFERENCES invites (token_hash)
				ON DELETE CASCADE,
	salt			bytea NOT NULL CHECK (octet_length(salt) = 16),
	opslimit		bigint NOT NULL,
	memlimit		bigint NOT NULL,
	auth_hash		bytea NOT NULL CHECK (octet_length(auth_hash) = 32),
	encryption_public_key	bytea CHECK (octet_length(encryption_public_key) = 32),
	sign_public_key		bytea CHECK (octet_length(sign_public_key) = 32),
	encrypted_secret_key	bytea,	-- secretbox under server_store_key
	totp_pending		bytea NOT NULL,	-- secretbox under server_store_key
	created_at		timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT, INSERT, UPDATE, DELETE ON enrolments TO meldpunt_app;

-- Whether an account's current key carries a certificate for its present
-- name, role and scope that has not expired: what routing requires.
CREATE FUNCTION meldpunt_certified(p_account uuid)
RETURNS boolean LANGUAGE sql STABLE AS $$
	SELECT EXISTS (SELECT 1 FROM accounts a
		JOIN account_keys k ON k.account_id = a.id AND k.state = 'current'
		WHERE a.id = p_account AND a.status = 'active'
		  AND a.role IN ('adviser', 'coordinator')
		  AND k.certificate IS NOT NULL AND k.not_after >= current_date
		  AND k.cert_name = a.name AND k.cert_role = a.role
		  AND k.cert_organisations = a.organisations
		  AND k.cert_topics = a.topics)
$$;

-- Activate an enrolment: the invite must be unused and unexpired and the
-- TOTP step (already checked against the pending secret) becomes the
-- account's last used step. Old keys retire (re-enrolment); the new key is
-- current but uncertified, so not routed. Every session of the account ends.
CREATE FUNCTION meldpunt_enrol_confirm(p_invite bytea, p_step bigint)
RETURNS uuid LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	v_account uuid;
	v_e enrolments%ROWTYPE;
BEGIN
	UPDATE invites SET used = true
	 WHERE token_hash = p_invite AND NOT used AND expires_at > now()
	RETURNING account_id INTO v_account;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	SELECT * INTO v_e FROM enrolments WHERE invite_hash = p_invite;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no enrolment' USING ERRCODE = '23514';
	END IF;
	UPDATE accounts SET status = 'active', salt = v_e.salt,
		opslimit = v_e.opslimit, memlimit = v_e.memlimit,
		auth_hash = v_e.auth_hash, totp_secret = v_e.totp_pending,
		totp_pending = NULL, totp_last_step = p_step
	 WHERE id = v_account AND status <> 'deactivated';
	IF NOT FOUND THEN
		RAISE EXCEPTION 'deactivated' USING ERRCODE = '23514';
	END IF;
	IF v_e.encryption_public_key IS NOT NULL THEN
		UPDATE account_keys SET state = 'retired'
		 WHERE account_id = v_account AND state <> 'retired';
		INSERT INTO account_keys (account_id, seq, encryption_public_key,
			sign_public_key, encrypted_secret_key, state)
		SELECT v_account, coalesce(max(k.seq), 0) + 1,
			v_e.encryption_public_key, v_e.sign_public_key,
			v_e.encrypted_secret_key, 'current'
		  FROM account_keys k WHERE k.account_id = v_account;
	END IF;
	DELETE FROM enrolments WHERE invite_hash = p_invite;
	DELETE FROM sessions WHERE account_id = v_account;
	RETURN v_account;
END
$$;

-- Deactivate: sessions end, invites go, the account's wraps and note wraps
-- are deleted (recovery wraps remain).
CREATE FUNCTION meldpunt_deactivate(p_account uuid)
RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
	UPDATE accounts SET status = 'deactivated', deactivated_on = current_date
	 WHERE id = p_account AND status <> 'deactivated';
	IF NOT FOUND THEN
		RETURN false;
	END IF;
	DELETE FROM sessions WHERE account_id = p_account;
	DELETE FROM invites WHERE account_id = p_account;
	DELETE FROM key_wraps WHERE account_id = p_account;
	DELETE FROM note_wraps WHERE account_id = p_account;
	RETURN true;
END
$$;

-- Who may see a case, for one account: 2 = holds a wrap (content),
-- 1 = coordinator of the case's organisation, not excluded (metadata),
-- 0 = nothing. Purged cases are seen by nobody.
CREATE FUNCTION meldpunt_case_access(p_case bytea, p_account uuid)
RETURNS integer LANGUAGE sql STABLE AS $$
	SELECT CASE
		WHEN c.id IS NULL OR c.purged_on IS NOT NULL THEN 0
		WHEN EXISTS (SELECT 1 FROM key_wraps w WHERE w.case_id = c.id
			AND w.account_id = p_account) THEN 2
		WHEN a.role = 'coordinator'
		 AND (a.organisations = '{*}' OR c.organisation = ANY (a.organisations))
		 AND NOT EXISTS (SELECT 1 FROM case_exclusions x
			WHERE x.case_id = c.id AND x.account_id = p_account) THEN 1
		ELSE 0 END
	FROM accounts a LEFT JOIN cases c ON c.id = p_case
	WHERE a.id = p_account AND a.status = 'active'
$$;

CREATE FUNCTION meldpunt_quarter(d date)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT to_char(d, 'YYYY') || 'Q' || to_char(d, 'Q')
$$;

-- Status and classification (SPEC 5). p_status NULL keeps the status;
-- p_set_class false keeps the classification. Results: ok, not_found,
-- purged, invalid_transition, classification_required, invalid_category,
-- invalid_grounds, invalid_primary_ground, invalid_outcome.
CREATE FUNCTION meldpunt_case_update(p_case bytea, p_status text,
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

-- Share a case with a colleague (SPEC 4): an active adviser or coordinator
-- with a current certified key, not excluded, without a wrap yet; the wrap
-- (and the note wrap, required once a notes key exists) sealed to that key.
-- Results: ok, not_found, purged, no_colleague, excluded_by_reporter,
-- already_holder, key_changed, holders_changed.
CREATE FUNCTION meldpunt_share(p_case bytea, p_target uuid, p_pk bytea,
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

-- Note wraps (SPEC 3.5). With a commitment: create the notes key, the wraps
-- covering exactly the adviser wrap holders plus recovery. Without: add
-- wraps for holders that lack one (the caller must hold one). Each wrap is
-- sealed to the public key of the holder's case wrap (recovery: p_rec_pk).
-- Results: ok, purged, notes_key_exists, holders_changed, key_changed,
-- no_notes_key.
CREATE FUNCTION meldpunt_note_wraps(p_case bytea, p_actor uuid,
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

-- Retention (SPEC 5): for cases closed more than p_days ago, delete every
-- ciphertext, wrap, note wrap, message, note, file, lookup_id, reporter
-- key, key commitment and proof; case_facts stay. Returns the purged ids.
CREATE FUNCTION meldpunt_purge(p_days integer)
RETURNS TABLE (case_id bytea) LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	v_ids bytea[];
BEGIN
	v_ids := ARRAY(SELECT id FROM cases WHERE status = 'closed'
		AND purged_on IS NULL AND closed_on < current_date - p_days
		ORDER BY id FOR UPDATE);
	IF cardinality(v_ids) = 0 THEN
		RETURN;
	END IF;
	DELETE FROM attachment_chunks WHERE attachment_id IN
		(SELECT id FROM attachments WHERE case_id = ANY (v_ids));
	DELETE FROM attachments WHERE case_id = ANY (v_ids);
	DELETE FROM messages WHERE case_id = ANY (v_ids);
	DELETE FROM message_reads WHERE case_id = ANY (v_ids);
	DELETE FROM notes WHERE case_id = ANY (v_ids);
	DELETE FROM note_wraps WHERE case_id = ANY (v_ids);
	DELETE FROM key_wraps WHERE case_id = ANY (v_ids);
	DELETE FROM case_exclusions WHERE case_id = ANY (v_ids);
	DELETE FROM idempotency_keys WHERE case_id = ANY (v_ids);
	DELETE FROM sessions WHERE case_id = ANY (v_ids);
	UPDATE cases SET purged_on = current_date, lookup_id = NULL,
		reporter_sign_public_key = NULL, reporter_box_public_key = NULL,
		report_ciphertext = NULL, key_commitment = NULL,
		proof_signature = NULL, notes_key_commitment = NULL,
		notes_key_signature = NULL, notes_key_author = NULL
	 WHERE id = ANY (v_ids);
	RETURN QUERY SELECT unnest(v_ids);
END
$$;

REVOKE ALL ON FUNCTION meldpunt_certified(uuid) FROM PUBLIC;
REVOKE ALL ON FUNCTION meldpunt_enrol_confirm(bytea, bigint) FROM PUBLIC;
REVOKE ALL ON FUNCTION meldpunt_deactivate(uuid) FROM PUBLIC;
REVOKE ALL ON FUNCTION meldpunt_case_access(bytea, uuid) FROM PUBLIC;
REVOKE ALL ON FUNCTION meldpunt_quarter(date) FROM PUBLIC;
REVOKE ALL ON FUNCTION meldpunt_case_update(bytea, text, boolean, text,
	text[], text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION meldpunt_share(bytea, uuid, bytea, bytea, bytea) FROM PUBLIC;
REVOKE ALL ON FUNCTION meldpunt_note_wraps(bytea, uuid, text[], bytea[],
	bytea[], bytea, bytea, bytea) FROM PUBLIC;
REVOKE ALL ON FUNCTION meldpunt_purge(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION meldpunt_certified(uuid) TO meldpunt_app;
GRANT EXECUTE ON FUNCTION meldpunt_enrol_confirm(bytea, bigint) TO meldpunt_app;
GRANT EXECUTE ON FUNCTION meldpunt_deactivate(uuid) TO meldpunt_app;
GRANT EXECUTE ON FUNCTION meldpunt_case_access(bytea, uuid) TO meldpunt_app;
GRANT EXECUTE ON FUNCTION meldpunt_quarter(date) TO meldpunt_app;
GRANT EXECUTE ON FUNCTION meldpunt_case_update(bytea, text, boolean, text,
	text[], text, text) TO meldpunt_app;
GRANT EXECUTE ON FUNCTION meldpunt_share(bytea, uuid, bytea, bytea, bytea) TO meldpunt_app;
GRANT EXECUTE ON FUNCTION meldpunt_note_wraps(bytea, uuid, text[], bytea[],
	bytea[], bytea, bytea, bytea) TO meldpunt_app;
GRANT EXECUTE ON FUNCTION meldpunt_purge(integer) TO meldpunt_app;
