-- Activate an enrolment: the invite must be unused and unexpired and the
-- TOTP step (already checked against the pending secret) becomes the
-- account's last used step. Old keys retire (re-enrolment); the new key is
-- current but uncertified, so not routed. Every session of the account ends.
CREATE OR REPLACE FUNCTION meldpunt_enrol_confirm(p_invite bytea, p_step bigint)
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
