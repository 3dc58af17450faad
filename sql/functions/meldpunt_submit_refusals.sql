-- Refusals that need only reads: unknown organisation or topic, exclusions
-- of people who would not see the case, adviser wraps that are not exactly
-- the routed advisers minus the excluded ones, keys that are not current.
CREATE OR REPLACE FUNCTION meldpunt_submit_refusals(p_org text[], p_topic text[],
	p_excl_item bigint[], p_excl_id uuid[],
	p_wrap_item bigint[], p_wrap_id uuid[], p_wrap_pk bytea[])
RETURNS TABLE (item bigint, refusal text) LANGUAGE sql STABLE AS $$
	WITH items AS (
		SELECT x.o, x.t, x.i FROM unnest(p_org, p_topic) WITH ORDINALITY AS x (o, t, i)
	), pairs AS (
		SELECT DISTINCT o, t FROM items
	), routed AS (
		SELECT p.o, p.t, r.account_id FROM pairs p
		CROSS JOIN LATERAL meldpunt_routing(p.o, p.t) r
	), excl AS (
		SELECT e.i, e.id FROM unnest(p_excl_item, p_excl_id) AS e (i, id)
	), wraps AS (
		SELECT w.i, w.id, w.pk FROM unnest(p_wrap_item, p_wrap_id, p_wrap_pk) AS w (i, id, pk)
	)
	SELECT x.i, CASE
		WHEN NOT EXISTS (SELECT 1 FROM organisations o WHERE o.id = x.o AND NOT o.retired)
			THEN 'unknown_organisation'
		WHEN NOT EXISTS (SELECT 1 FROM topics t WHERE t.id = x.t AND NOT t.retired)
			THEN 'unknown_topic'
		WHEN EXISTS (SELECT 1 FROM excl e WHERE e.i = x.i
			AND NOT EXISTS (SELECT 1 FROM routed r
				WHERE r.o = x.o AND r.t = x.t AND r.account_id = e.id)
			AND NOT EXISTS (SELECT 1 FROM meldpunt_coordinators(x.o) k
				WHERE k.account_id = e.id))
			THEN 'routing_changed'
		WHEN EXISTS (SELECT 1 FROM wraps w WHERE w.i = x.i
			AND NOT EXISTS (SELECT 1 FROM routed r
				WHERE r.o = x.o AND r.t = x.t AND r.account_id = w.id))
		  OR (SELECT count(*) FROM wraps w WHERE w.i = x.i) <>
		     (SELECT count(*) FROM routed r WHERE r.o = x.o AND r.t = x.t
			AND NOT EXISTS (SELECT 1 FROM excl e
				WHERE e.i = x.i AND e.id = r.account_id))
			THEN 'routing_changed'
		WHEN EXISTS (SELECT 1 FROM wraps w
			LEFT JOIN account_keys k ON k.account_id = w.id AND k.state = 'current'
			WHERE w.i = x.i AND k.encryption_public_key IS DISTINCT FROM w.pk)
			THEN 'key_changed'
		END
	FROM items x
$$;
