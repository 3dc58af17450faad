-- 0004_routing_submit.sql - routing (SPEC section 5) and the one-round-trip
-- report submission (SPEC section 4, POST /api/v1/reports).

-- The tier of an account's certified scope for routing. Advisers are always
-- tier 1 where their scope covers the case. Coordinators are tier 1 when
-- their scope names topics, tier 2 when it names organisations with all
-- topics, tier 3 when it is all/all (docs/spec-deviations.md explains why
-- "covers" alone would leave tiers 2 and 3 empty).
CREATE FUNCTION meldpunt_tier(role text, orgs text[], topics text[])
RETURNS integer LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE
		WHEN role = 'coordinator' AND orgs = '{*}' AND topics = '{*}' THEN 3
		WHEN role = 'coordinator' AND topics = '{*}' THEN 2
		ELSE 1 END
$$;

-- Accounts routed for (organisation, topic): active, with a current key
-- whose unexpired certificate matches the account's present name, role and
-- scope, whose scope covers the case, in the lowest tier that has anyone.
CREATE FUNCTION meldpunt_routing(p_org text, p_topic text)
RETURNS TABLE (account_id uuid, tier integer) LANGUAGE sql STABLE AS $$
	WITH eligible AS (
		SELECT a.id, meldpunt_tier(a.role, a.organisations, a.topics) AS tier
		FROM accounts a
		JOIN account_keys k ON k.account_id = a.id AND k.state = 'current'
		WHERE a.status = 'active'
		  AND a.role IN ('adviser', 'coordinator')
		  AND k.certificate IS NOT NULL
		  AND k.not_after >= current_date
		  AND k.cert_name = a.name AND k.cert_role = a.role
		  AND k.cert_organisations = a.organisations
		  AND k.cert_topics = a.topics
		  AND (a.organisations = '{*}' OR p_org = ANY (a.organisations))
		  AND (a.topics = '{*}' OR p_topic = ANY (a.topics))
	)
	SELECT id, tier FROM eligible
	WHERE tier = (SELECT min(tier) FROM eligible)
	ORDER BY id::text COLLATE "C"
$$;

-- Coordinators who would see a case's metadata (SPEC section 4, routing).
CREATE FUNCTION meldpunt_coordinators(p_org text)
RETURNS TABLE (account_id uuid) LANGUAGE sql STABLE AS $$
	SELECT id FROM accounts
	WHERE status = 'active' AND role = 'coordinator'
	  AND (organisations = '{*}' OR p_org = ANY (organisations))
	ORDER BY id::text COLLATE "C"
$$;

-- Submission in one statement: every check, then every insert, so that a
-- refusal writes nothing and a success writes the case, its exclusions, its
-- wraps, the spent challenge, the reporter session and the idempotency key
-- in one transaction. Returns one row: a result code and, for 'created' and
-- 'replay', the case's id, day of receipt and proof signature.
CREATE FUNCTION meldpunt_submit(
	p_challenge bytea, p_challenge_expires bigint, p_difficulty integer,
	p_case_id bytea, p_org text, p_topic text, p_received_on date,
	p_lookup_id bytea, p_sign_pk bytea, p_box_pk bytea, p_report bytea,
	p_commitment bytea, p_proof bytea, p_excluded uuid[],
	p_adviser_ids uuid[], p_adviser_pks bytea[], p_adviser_wraps bytea[],
	p_reporter_wrap bytea, p_recovery_pk bytea, p_recovery_wrap bytea,
	p_token_hash bytea, p_idem_key bytea, p_body_hash bytea,
	p_session_seconds integer)
RETURNS TABLE (result text, case_id bytea, received_on date, proof bytea)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	v_body bytea;
	v_case bytea;
	v_received date;
	v_proof bytea;
	v_routed uuid[];
BEGIN
	IF p_idem_key IS NOT NULL THEN
		SELECT i.body_hash, c.id, c.received_on, c.proof_signature
		  INTO v_body, v_case, v_received, v_proof
		  FROM idempotency_keys i JOIN cases c ON c.id = i.case_id
		 WHERE i.key_hash = p_idem_key AND i.expires_at > now();
		IF FOUND THEN
			IF v_body <> p_body_hash THEN
				RETURN QUERY SELECT 'idempotency_mismatch', NULL::bytea, NULL::date, NULL::bytea;
				RETURN;
			END IF;
			INSERT INTO sessions (token_hash, kind, case_id, expires_at)
			VALUES (p_token_hash, 'reporter', v_case,
				now() + make_interval(secs => p_session_seconds));
			RETURN QUERY SELECT 'replay', v_case, v_received, v_proof;
			RETURN;
		END IF;
	END IF;

	IF NOT EXISTS (SELECT 1 FROM organisations o WHERE o.id = p_org AND NOT o.retired) THEN
		RETURN QUERY SELECT 'unknown_organisation', NULL::bytea, NULL::date, NULL::bytea;
		RETURN;
	END IF;
	IF NOT EXISTS (SELECT 1 FROM topics t WHERE t.id = p_topic AND NOT t.retired) THEN
		RETURN QUERY SELECT 'unknown_topic', NULL::bytea, NULL::date, NULL::bytea;
		RETURN;
	END IF;

	v_routed := ARRAY(SELECT r.account_id FROM meldpunt_routing(p_org, p_topic) r);
	-- Exclusions name routed advisers or coordinators who would see it.
	IF EXISTS (SELECT 1 FROM unnest(p_excluded) x
		    WHERE x <> ALL (v_routed)
		      AND x NOT IN (SELECT k.account_id FROM meldpunt_coordinators(p_org) k)) THEN
		RETURN QUERY SELECT 'routing_changed', NULL::bytea, NULL::date, NULL::bytea;
		RETURN;
	END IF;
	IF (SELECT coalesce(array_agg(w ORDER BY w), '{}') FROM unnest(p_adviser_ids) w)
	   IS DISTINCT FROM
	   (SELECT coalesce(array_agg(r ORDER BY r), '{}') FROM unnest(v_routed) r
	     WHERE r <> ALL (p_excluded)) THEN
		RETURN QUERY SELECT 'routing_changed', NULL::bytea, NULL::date, NULL::bytea;
		RETURN;
	END IF;
	IF EXISTS (SELECT 1 FROM unnest(p_adviser_ids, p_adviser_pks) AS w (id, pk)
		    LEFT JOIN account_keys k ON k.account_id = w.id AND k.state = 'current'
		    WHERE k.encryption_public_key IS DISTINCT FROM w.pk) THEN
		RETURN QUERY SELECT 'key_changed', NULL::bytea, NULL::date, NULL::bytea;
		RETURN;
	END IF;
	IF EXISTS (SELECT 1 FROM cases c WHERE c.lookup_id = p_lookup_id) THEN
		RETURN QUERY SELECT 'lookup_id_used', NULL::bytea, NULL::date, NULL::bytea;
		RETURN;
	END IF;

	INSERT INTO challenges (challenge, kind, difficulty, expires_at, used)
	VALUES (p_challenge, 'pow', p_difficulty, to_timestamp(p_challenge_expires), true)
	ON CONFLICT DO NOTHING;
	IF NOT FOUND THEN
		RETURN QUERY SELECT 'challenge_invalid', NULL::bytea, NULL::date, NULL::bytea;
		RETURN;
	END IF;

	INSERT INTO cases (id, organisation, topic, received_on, lookup_id,
		reporter_sign_public_key, reporter_box_public_key,
		report_ciphertext, key_commitment, proof_signature)
	VALUES (p_case_id, p_org, p_topic, p_received_on, p_lookup_id,
		p_sign_pk, p_box_pk, p_report, p_commitment, p_proof);
	INSERT INTO case_exclusions (case_id, account_id)
	SELECT p_case_id, x FROM unnest(p_excluded) x;
	INSERT INTO key_wraps (case_id, recipient, account_id, public_key, wrap)
	SELECT p_case_id, 'adviser', w.id, w.pk, w.wrap
	  FROM unnest(p_adviser_ids, p_adviser_pks, p_adviser_wraps) AS w (id, pk, wrap);
	INSERT INTO key_wraps (case_id, recipient, account_id, public_key, wrap) VALUES
		(p_case_id, 'reporter', NULL, p_box_pk, p_reporter_wrap),
		(p_case_id, 'recovery', NULL, p_recovery_pk, p_recovery_wrap);
	INSERT INTO sessions (token_hash, kind, case_id, expires_at)
	VALUES (p_token_hash, 'reporter', p_case_id,
		now() + make_interval(secs => p_session_seconds));
	IF p_idem_key IS NOT NULL THEN
		INSERT INTO idempotency_keys (key_hash, body_hash, case_id, expires_at)
		VALUES (p_idem_key, p_body_hash, p_case_id, now() + interval '24 hours');
	END IF;
	RETURN QUERY SELECT 'created', p_case_id, p_received_on, p_proof;
END
$$;

REVOKE ALL ON FUNCTION meldpunt_tier(text, text[], text[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION meldpunt_routing(text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION meldpunt_coordinators(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION meldpunt_submit(bytea, bigint, integer, bytea, text,
	text, date, bytea, bytea, bytea, bytea, bytea, bytea, uuid[], uuid[],
	bytea[], bytea[], bytea, bytea, bytea, bytea, bytea, bytea, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION meldpunt_tier(text, text[], text[]) TO meldpunt_app;
GRANT EXECUTE ON FUNCTION meldpunt_routing(text, text) TO meldpunt_app;
GRANT EXECUTE ON FUNCTION meldpunt_coordinators(text) TO meldpunt_app;
GRANT EXECUTE ON FUNCTION meldpunt_submit(bytea, bigint, integer, bytea, text,
	text, date, bytea, bytea, bytea, bytea, bytea, bytea, uuid[], uuid[],
	bytea[], bytea[], bytea, bytea, bytea, bytea, bytea, bytea, integer) TO meldpunt_app;
