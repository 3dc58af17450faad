-- Who may see a case, for one account: 2 = holds a wrap (content),
-- 1 = coordinator of the case's organisation, not excluded (metadata),
-- 0 = nothing. Purged cases are seen by nobody.
CREATE OR REPLACE FUNCTION meldpunt_case_access(p_case bytea, p_account uuid)
RETURNS integer LANGUAGE sql STABLE AS $$
	SELECT CASE
		WHEN c.id IS NULL OR c.purged_on IS NOT NULL THEN 0
		WHEN EXISTS (SELECT 1 FROM key_wraps w WHERE w.case_id = c.id
			AND w.account_id = p_account) THEN 2
		WHEN a.role = 'coordinator'
		 AND (a.organisations = '{*}' OR c.organisation = ANY (a.organisations))
		 AND NOT EXISTS (SELECT 1 FROM case_exclusions x
			WHERE x.case_id = c.id AND x.account_id = p_account) THEN 1
		ELSE 0 END
	FROM accounts a LEFT JOIN cases c ON c.id = p_case
	WHERE a.id = p_account AND a.status = 'active'
$$;
