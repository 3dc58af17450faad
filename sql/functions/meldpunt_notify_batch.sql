-- One notification batch (issue 18): for the batch time p_slot (p_day its
-- day where the desk is), run once by whichever instance comes first;
-- -1 when another instance has taken this slot, else the number of mails
-- put into the outbox. In one transaction it
--  1. turns new adviser wraps into "assigned" and new reporter messages
--     into "message" for every wrap holder;
--  2. gives each deadline notice once: "deadline" to the wrap holders
--     p_ack_days before the acknowledgement and p_feedback_days before the
--     feedback deadline and when either passed; "overdue" to the
--     organisation's coordinators without a wrap (not excluded by the
--     reporter) when one passed;
--  3. moves what is pending into one outbox row per account: the kinds the
--     account wants in batches, and at the first batch of a day (the
--     digest) everything; an account that still has an unsent mail gets
--     no second one (it says the same).
-- Kinds switched off are not recorded; inactive accounts lose theirs.
CREATE OR REPLACE FUNCTION meldpunt_notify_batch(p_slot timestamptz,
	p_day date, p_ack_days integer, p_feedback_days integer)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
	v_digest	boolean;
	v_n		integer;
BEGIN
	INSERT INTO notify_batches (slot, day, digest)
	VALUES (p_slot, p_day,
		NOT EXISTS (SELECT 1 FROM notify_batches b WHERE b.day = p_day))
	ON CONFLICT DO NOTHING
	RETURNING digest INTO v_digest;
	IF NOT FOUND THEN
		RETURN -1;
	END IF;

	WITH w AS (
		UPDATE key_wraps SET notified = true
		WHERE NOT notified AND account_id IS NOT NULL
		RETURNING account_id)
	INSERT INTO notify_pending (account_id, kind)
	SELECT DISTINCT a.id, 'assigned' FROM w JOIN accounts a ON a.id = w.account_id
	WHERE a.status = 'active' AND a.notify_assigned <> 'off'
	ON CONFLICT DO NOTHING;

	WITH m AS (
		UPDATE messages SET notified = true WHERE NOT notified
		RETURNING case_id, author)
	INSERT INTO notify_pending (account_id, kind)
	SELECT DISTINCT a.id, 'message' FROM m
	JOIN key_wraps w ON w.case_id = m.case_id AND w.account_id IS NOT NULL
	JOIN accounts a ON a.id = w.account_id
	WHERE m.author = 'reporter' AND a.status = 'active'
	  AND a.notify_message <> 'off'
	ON CONFLICT DO NOTHING;

	DELETE FROM notify_marks k USING cases c
	WHERE c.id = k.case_id AND (c.status = 'closed' OR c.purged_on IS NOT NULL);

	WITH due AS (
		SELECT c.id, c.organisation, x.mark
		FROM cases c CROSS JOIN LATERAL (VALUES
			('acknowledge_near', c.acknowledged_on IS NULL AND
			    current_date BETWEEN
			    meldpunt_acknowledge_by(c.received_on) - p_ack_days
			    AND meldpunt_acknowledge_by(c.received_on)),
			('acknowledge_passed', c.acknowledged_on IS NULL AND
			    current_date > meldpunt_acknowledge_by(c.received_on)),
			('feedback_near', c.feedback_on IS NULL AND
			    current_date BETWEEN
			    meldpunt_feedback_by(c.received_on) - p_feedback_days
			    AND meldpunt_feedback_by(c.received_on)),
			('feedback_passed', c.feedback_on IS NULL AND
			    current_date > meldpunt_feedback_by(c.received_on))
		) AS x (mark, hit)
		WHERE c.status <> 'closed' AND c.purged_on IS NULL AND x.hit
	), who AS (
		SELECT d.id, w.account_id, d.mark FROM due d
		JOIN key_wraps w ON w.case_id = d.id AND w.account_id IS NOT NULL
		UNION
		SELECT d.id, k.account_id, d.mark FROM due d
		CROSS JOIN LATERAL meldpunt_coordinators(d.organisation) k
		WHERE d.mark LIKE '%\_passed'
		  AND NOT EXISTS (SELECT 1 FROM case_exclusions e
			WHERE e.case_id = d.id AND e.account_id = k.account_id)
	), fresh AS (
		INSERT INTO notify_marks (case_id, account_id, mark)
		SELECT id, account_id, mark FROM who
		ON CONFLICT DO NOTHING
		RETURNING case_id, account_id
	), kinds AS (
		SELECT DISTINCT f.account_id,
			CASE WHEN EXISTS (SELECT 1 FROM key_wraps w
			    WHERE w.case_id = f.case_id
			      AND w.account_id = f.account_id)
			THEN 'deadline' ELSE 'overdue' END AS kind
		FROM fresh f
	)
	INSERT INTO notify_pending (account_id, kind)
	SELECT k.account_id, k.kind FROM kinds k
	JOIN accounts a ON a.id = k.account_id
	WHERE a.status = 'active' AND (k.kind = 'deadline' OR a.notify_overdue <> 'off')
	ON CONFLICT DO NOTHING;

	DELETE FROM notify_pending p USING accounts a
	WHERE a.id = p.account_id AND (a.status <> 'active'
	   OR (p.kind = 'assigned' AND a.notify_assigned = 'off')
	   OR (p.kind = 'message' AND a.notify_message = 'off')
	   OR (p.kind = 'overdue' AND a.notify_overdue = 'off'));
	DELETE FROM notify_outbox o USING accounts a
	WHERE a.id = o.account_id AND a.status <> 'active';

	WITH taken AS (
		DELETE FROM notify_pending p USING accounts a
		WHERE a.id = p.account_id AND (v_digest OR CASE p.kind
			WHEN 'assigned' THEN a.notify_assigned
			WHEN 'message' THEN a.notify_message
			WHEN 'deadline' THEN a.notify_deadline
			ELSE a.notify_overdue END = 'batch')
		RETURNING p.account_id)
	INSERT INTO notify_outbox (account_id, slot, next_attempt)
	SELECT DISTINCT t.account_id, p_slot, now() FROM taken t
	WHERE NOT EXISTS (SELECT 1 FROM notify_outbox o
		WHERE o.account_id = t.account_id)
	ON CONFLICT DO NOTHING;
	GET DIAGNOSTICS v_n = ROW_COUNT;

	DELETE FROM notify_batches WHERE slot < p_slot - interval '35 days';
	RETURN v_n;
END
$$;
