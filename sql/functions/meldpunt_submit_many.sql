-- Submission of a batch in one statement: every check, then every insert,
-- so that a refused report writes nothing and an accepted one writes the
-- case with its reporter and recovery wraps, its exclusions, its adviser
-- wraps, the spent challenge, the reporter session and the idempotency key.
CREATE OR REPLACE FUNCTION meldpunt_submit_many(
	p_challenge bytea[], p_expires bigint[], p_difficulty bigint[],
	p_case_id bytea[], p_org text[], p_topic text[], p_received_on text[],
	p_lookup_id bytea[], p_sign_pk bytea[], p_box_pk bytea[], p_report bytea[],
	p_commitment bytea[], p_proof bytea[], p_reporter_wrap bytea[],
	p_recovery_pk bytea[], p_recovery_wrap bytea[], p_token_hash bytea[],
	p_idem_key bytea[], p_body_hash bytea[],
	p_excl_item bigint[], p_excl_id text[],
	p_wrap_item bigint[], p_wrap_id text[], p_wrap_pk bytea[], p_wrap bytea[],
	p_session_seconds integer)
RETURNS TABLE (item integer, result text, case_id bytea, received_on date,
	proof bytea)
LANGUAGE plpgsql
-- Plan each statement once per connection. Custom plans for these array
-- parameters cost more to make (measured: 1.5 ms per call, most of a small
-- group's time) than they could save.
SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_column
DECLARE
	n	integer := cardinality(p_case_id);
	v_res	text[] := array_fill(NULL::text, ARRAY[n]);
	v_case	bytea[] := p_case_id;
	v_day	date[] := p_received_on::date[];
	v_proof	bytea[] := p_proof;
	v_done	bytea[];
	v_keyed	boolean := cardinality(array_remove(p_idem_key, NULL)) > 0;
	r	record;
BEGIN
	-- A stored idempotency key: the same body replays, another is refused.
	-- (Statements that have nothing to do are skipped: each costs.)
	IF v_keyed THEN
		FOR r IN SELECT x.i, k.body_hash, c.id, c.received_on, c.proof_signature
			   FROM unnest(p_idem_key) WITH ORDINALITY AS x (key, i)
			   JOIN idempotency_keys k ON k.key_hash = x.key AND k.expires_at > now()
			   JOIN cases c ON c.id = k.case_id
		LOOP
			IF r.body_hash <> p_body_hash[r.i] THEN
				v_res[r.i] := 'idempotency_mismatch';
			ELSE
				v_res[r.i] := 'replay';
				v_case[r.i] := r.id;
				v_day[r.i] := r.received_on;
				v_proof[r.i] := r.proof_signature;
			END IF;
		END LOOP;
	END IF;

	FOR r IN SELECT f.item, f.refusal FROM meldpunt_submit_refusals(p_org,
		   p_topic, p_excl_item, p_excl_id::uuid[], p_wrap_item,
		   p_wrap_id::uuid[], p_wrap_pk) f WHERE f.refusal IS NOT NULL
	LOOP
		v_res[r.item] := coalesce(v_res[r.item], r.refusal);
	END LOOP;

	-- Spend the challenges; one already spent refuses its submission.
	WITH spent AS (
		INSERT INTO challenges (challenge, kind, difficulty, expires_at, used)
		SELECT x.c, 'pow', x.d, to_timestamp(x.e), true
		  FROM unnest(p_challenge, p_difficulty, p_expires, v_res) AS x (c, d, e, res)
		 WHERE x.res IS NULL ORDER BY x.c	-- one lock order for all groups
		ON CONFLICT DO NOTHING RETURNING challenge)
	SELECT coalesce(array_agg(challenge), '{}') INTO v_done FROM spent;
	SELECT array_agg(CASE WHEN x.res IS NULL AND x.c <> ALL (v_done)
		THEN 'challenge_invalid' ELSE x.res END ORDER BY x.i) INTO v_res
	  FROM unnest(p_challenge, v_res) WITH ORDINALITY AS x (c, res, i);

	-- Idempotency keys (an expired one is replaced), before the cases: a
	-- key stored by another submission since the first check (by another
	-- instance, say) is found before anything of this submission is
	-- stored. It is answered 'retry', and the daemon runs it again, which
	-- then finds that key. A key's case follows below; the foreign key is
	-- checked at commit.
	IF v_keyed THEN
		WITH kept AS (
			INSERT INTO idempotency_keys (key_hash, body_hash, case_id, expires_at)
			SELECT x.key, x.body, x.id, now() + interval '24 hours'
			  FROM unnest(p_idem_key, p_body_hash, p_case_id, v_res) AS x (key, body, id, res)
			 WHERE x.res IS NULL AND x.key IS NOT NULL ORDER BY x.key
			ON CONFLICT (key_hash) DO UPDATE SET body_hash = EXCLUDED.body_hash,
				case_id = EXCLUDED.case_id, expires_at = EXCLUDED.expires_at
			 WHERE idempotency_keys.expires_at <= now()
			RETURNING key_hash)
		SELECT coalesce(array_agg(key_hash), '{}') INTO v_done FROM kept;
		SELECT array_agg(CASE WHEN x.res IS NULL AND x.key IS NOT NULL AND
			x.key <> ALL (v_done) THEN 'retry' ELSE x.res END ORDER BY x.i) INTO v_res
		  FROM unnest(p_idem_key, v_res) WITH ORDINALITY AS x (key, res, i);
	END IF;

	-- The cases; a lookup id in use refuses its submission.
	WITH made AS (
		INSERT INTO cases (id, organisation, topic, received_on, lookup_id,
			reporter_sign_public_key, reporter_box_public_key,
			report_ciphertext, key_commitment, proof_signature,
			reporter_wrap, recovery_public_key, recovery_wrap)
		SELECT x.id, x.o, x.t, x.day, x.lookup, x.spk, x.bpk, x.report,
			x.com, x.proof, x.rw, x.rpk, x.cw
		  FROM unnest(p_case_id, p_org, p_topic, v_day, p_lookup_id, p_sign_pk,
			p_box_pk, p_report, p_commitment, p_proof, p_reporter_wrap,
			p_recovery_pk, p_recovery_wrap, v_res)
			AS x (id, o, t, day, lookup, spk, bpk, report, com, proof,
			rw, rpk, cw, res)
		 WHERE x.res IS NULL ORDER BY x.lookup
		ON CONFLICT DO NOTHING RETURNING id)
	SELECT coalesce(array_agg(id), '{}') INTO v_done FROM made;
	SELECT array_agg(CASE WHEN x.res IS NULL AND x.id <> ALL (v_done)
		THEN 'lookup_id_used' ELSE x.res END ORDER BY x.i) INTO v_res
	  FROM unnest(p_case_id, v_res) WITH ORDINALITY AS x (id, res, i);

	-- Give back what a refused or retried submission took: its challenge,
	-- and its idempotency key. Nothing else of it was stored.
	IF 'lookup_id_used' = ANY (v_res) OR 'retry' = ANY (v_res) THEN
		DELETE FROM challenges WHERE challenge IN (SELECT x.c
			FROM unnest(p_challenge, v_res) AS x (c, res)
			WHERE x.res IN ('lookup_id_used', 'retry'));
		DELETE FROM idempotency_keys WHERE key_hash IN (SELECT x.key
			FROM unnest(p_idem_key, v_res) AS x (key, res)
			WHERE x.res = 'lookup_id_used' AND x.key IS NOT NULL);
	END IF;

	-- The rest of each new case (its exclusions and adviser wraps), and a
	-- reporter session for new and replayed ones.
	IF p_excl_item <> '{}' THEN
		INSERT INTO case_exclusions (case_id, account_id)
		SELECT p_case_id[e.i], e.id::uuid
		  FROM unnest(p_excl_item, p_excl_id) AS e (i, id)
		 WHERE v_res[e.i] IS NULL;
	END IF;
	INSERT INTO key_wraps (case_id, recipient, account_id, public_key, wrap)
	SELECT p_case_id[w.i], 'adviser', w.id::uuid, w.pk, w.wrap
	  FROM unnest(p_wrap_item, p_wrap_id, p_wrap_pk, p_wrap) AS w (i, id, pk, wrap)
	 WHERE v_res[w.i] IS NULL;
	INSERT INTO sessions (token_hash, kind, case_id, expires_at)
	SELECT x.token, 'reporter', x.id, now() + make_interval(secs => p_session_seconds)
	  FROM unnest(p_token_hash, v_case, v_res) AS x (token, id, res)
	 WHERE x.res IS NULL OR x.res = 'replay';

	RETURN QUERY
	SELECT x.i::integer, coalesce(x.res, 'created'),
		CASE WHEN x.res IS NULL OR x.res = 'replay' THEN x.id END,
		CASE WHEN x.res IS NULL OR x.res = 'replay' THEN x.day END,
		CASE WHEN x.res IS NULL OR x.res = 'replay' THEN x.proof END
	  FROM unnest(v_res, v_case, v_day, v_proof) WITH ORDINALITY
		AS x (res, id, day, proof, i);
END
$$;
