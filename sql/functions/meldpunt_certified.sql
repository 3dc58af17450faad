-- Whether an account's current key carries a certificate for its present
-- name, role and scope that has not expired: what routing requires.
CREATE OR REPLACE FUNCTION meldpunt_certified(p_account uuid)
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
