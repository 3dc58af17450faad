-- The tier of an account's certified scope for routing. Advisers are always
-- tier 1 where their scope covers the case. Coordinators are tier 1 when
-- their scope names topics, tier 2 when it names organisations with all
-- topics, tier 3 when it is all/all (docs/spec-deviations.md explains why
-- "covers" alone would leave tiers 2 and 3 empty).
CREATE OR REPLACE FUNCTION meldpunt_tier(role text, orgs text[], topics text[])
RETURNS integer LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE
		WHEN role = 'coordinator' AND orgs = '{*}' AND topics = '{*}' THEN 3
		WHEN role = 'coordinator' AND topics = '{*}' THEN 2
		ELSE 1 END
$$;
