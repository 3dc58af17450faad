-- Coordinators who would see a case's metadata (SPEC section 4, routing).
CREATE OR REPLACE FUNCTION meldpunt_coordinators(p_org text)
RETURNS TABLE (account_id uuid) LANGUAGE sql STABLE AS $$
	SELECT id FROM accounts
	WHERE status = 'active' AND role = 'coordinator'
	  AND (organisations = '{*}' OR p_org = ANY (organisations))
	ORDER BY id::text COLLATE "C"
$$;
