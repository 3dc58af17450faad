-- Import re-made wraps for a target adviser: only cases of that export
-- (made by this coordinator), for an active, certified target whose current
-- key and scope fit each case and whom the reporter did not exclude. An
-- existing wrap of the target for a case is replaced (a re-enrolled
-- adviser's old wrap is useless). Returns ok, not_found, not_in_export,
-- no_colleague, key_changed, out_of_scope, excluded_by_reporter,
-- holders_changed, purged.
CREATE OR REPLACE FUNCTION meldpunt_recovery_import(p_actor uuid, p_export bytea,
	p_target uuid, p_case_ids bytea[], p_pks bytea[], p_wraps bytea[],
	p_note_wraps bytea[])
RETURNS text LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	v_cases bytea[];
	v_key bytea;
	v_orgs text[];
	v_topics text[];
	r record;
BEGIN
	SELECT e.case_ids INTO v_cases FROM recovery_exports e
	 WHERE e.id = p_export AND e.account_id = p_actor;
	IF NOT FOUND THEN
		RETURN 'not_found';
	END IF;
	IF cardinality(p_case_ids) = 0 OR EXISTS (SELECT 1 FROM unnest(p_case_ids) x
	    WHERE x <> ALL (v_cases)) OR cardinality(p_case_ids) <>
	    (SELECT count(DISTINCT x) FROM unnest(p_case_ids) x) THEN
		RETURN 'not_in_export';
	END IF;
	IF NOT meldpunt_certified(p_target) THEN
		RETURN 'no_colleague';
	END IF;
	SELECT k.encryption_public_key, a.organisations, a.topics
	  INTO v_key, v_orgs, v_topics
	  FROM accounts a JOIN account_keys k ON k.account_id = a.id AND k.state = 'current'
	 WHERE a.id = p_target;
	FOR r IN SELECT t.c, t.pk, t.w, t.n, x.organisation, x.topic, x.purged_on,
		x.notes_key_commitment
		FROM unnest(p_case_ids, p_pks, p_wraps, p_note_wraps) AS t (c, pk, w, n)
		JOIN cases x ON x.id = t.c FOR UPDATE OF x LOOP
		IF r.purged_on IS NOT NULL THEN
			RETURN 'purged';
		END IF;
		IF r.pk IS DISTINCT FROM v_key THEN
			RETURN 'key_changed';
		END IF;
		IF NOT ((v_orgs = '{*}' OR r.organisation = ANY (v_orgs)) AND
		    (v_topics = '{*}' OR r.topic = ANY (v_topics))) THEN
			RETURN 'out_of_scope';
		END IF;
		IF EXISTS (SELECT 1 FROM case_exclusions e WHERE e.case_id = r.c
		    AND e.account_id = p_target) THEN
			RETURN 'excluded_by_reporter';
		END IF;
		IF (r.notes_key_commitment IS NOT NULL) <> (r.n IS NOT NULL) THEN
			RETURN 'holders_changed';
		END IF;
	END LOOP;
	DELETE FROM key_wraps w WHERE w.account_id = p_target AND w.case_id = ANY (p_case_ids);
	DELETE FROM note_wraps n WHERE n.account_id = p_target AND n.case_id = ANY (p_case_ids);
	INSERT INTO key_wraps (case_id, recipient, account_id, public_key, wrap)
	SELECT t.c, 'adviser', p_target, t.pk, t.w
	  FROM unnest(p_case_ids, p_pks, p_wraps) AS t (c, pk, w);
	INSERT INTO note_wraps (case_id, recipient, account_id, public_key, wrap)
	SELECT t.c, 'adviser', p_target, t.pk, t.n
	  FROM unnest(p_case_ids, p_pks, p_note_wraps) AS t (c, pk, n)
	 WHERE t.n IS NOT NULL;
	RETURN 'ok';
END
$$;
