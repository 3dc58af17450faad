-- Deactivate: sessions end, invites go, the account's wraps and note wraps
-- are deleted (recovery wraps remain).
CREATE OR REPLACE FUNCTION meldpunt_deactivate(p_account uuid)
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
