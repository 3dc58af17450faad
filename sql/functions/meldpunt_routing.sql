-- Accounts routed for (organisation, topic): active, with a current key
-- whose unexpired certificate matches the account's present name, role and
-- scope, whose scope covers the case, in the lowest tier that has anyone.
CREATE OR REPLACE FUNCTION meldpunt_routing(p_org text, p_topic text)
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
