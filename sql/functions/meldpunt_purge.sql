-- Retention: cases closed more than p_days ago lose their content, their
-- wraps (the two on the case row too) and their messages; the ids purged.
CREATE OR REPLACE FUNCTION meldpunt_purge(p_days integer)
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
		notes_key_signature = NULL, notes_key_author = NULL,
		reporter_wrap = NULL, recovery_public_key = NULL,
		recovery_wrap = NULL
	 WHERE id = ANY (v_ids);
	RETURN QUERY SELECT unnest(v_ids);
END
$$;
