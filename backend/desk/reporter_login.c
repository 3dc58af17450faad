/*
 * reporter_login.c - the reporter's login challenge, login and its
 * failure counter.
 */
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "app.h"
#include "challenge.h"
#include "config.h"
#include "counters.h"
#include "db.h"
#include "reporter_login.h"
#include "seal.h"
#include "secrets.h"
#include "sessions.h"

enum desk_result
reporter_login_limited(const char *addr,
    unsigned char key[CLIENTKEY_BYTES], unsigned int *wait)
{
	static const unsigned char	scope[] = "reporter-login";
	enum desk_result		r;

	*wait = 0;
	r = counters_client_key(addr, scope, sizeof(scope) - 1, key);
	if (r == DESK_OK)
		r = counters_client_wait(key,
		    (unsigned int)app.cfg->reporter_login_failures, wait);
	if (r != DESK_OK)
		sodium_memzero(key, CLIENTKEY_BYTES);
	return r;
}

enum desk_result
reporter_login_challenge(unsigned char c[CHALLENGE_BYTES])
{
	if (challenge_make(c, app.secrets->server_key, CHALLENGE_REPORTER, 0,
	    (uint32_t)time(NULL) + REPORTER_CHALLENGE_TTL) == -1)
		return DESK_UNAVAILABLE;
	return DESK_OK;
}

/*
 * Look up the case and check the signature. An unknown id still costs one
 * signature check (against a fixed key), so both fail alike and in about
 * the same time. DESK_OK with case_id filled, DESK_UNAUTHORIZED, or
 * DESK_UNAVAILABLE.
 */
static enum desk_result
reporter_login_check(const struct reporter_login_in *in,
    unsigned char case_id[ID_BYTES])
{
	struct db_param		 p[1] = { DB_P_BYTES(in->lookup_id, HASH_BYTES) };
	PGresult		*res;
	/* A valid key no reporter holds: the desk's own signing key. */
	const unsigned char	*v, *pk = app.secrets->sign_pk;
	size_t			 n = 0, m = SIGN_PK_BYTES;
	enum db_status		 st;
	int			 found, ok;

	if ((res = db_exec(DB_REPORTER_LOGIN, 1, p, &st)) == NULL)
		return desk_result_db(st);
	found = PQntuples(res) == 1;
	if (found) {
		v = db_get_bytes(res, 0, REPORTER_LOGIN_CASE, &n);
		pk = db_get_bytes(res, 0, REPORTER_LOGIN_SIGN_PK, &m);
		if (n == ID_BYTES)
			memcpy(case_id, v, ID_BYTES);
	}
	ok = m == SIGN_PK_BYTES && seal_reporter_login_verify(in->challenge,
	    in->signature, pk) == 0;
	PQclear(res);
	return found && n == ID_BYTES && ok ? DESK_OK : DESK_UNAUTHORIZED;
}

/* The login's checks and its session; see reporter_login_run. */
static enum desk_result
reporter_login_open(const struct reporter_login_in *in, char *token,
    size_t tokensz)
{
	unsigned char		case_id[ID_BYTES], hash[HASH_BYTES];
	unsigned int		d;
	uint32_t		exp;
	enum desk_result	r;

	if (challenge_check(in->challenge, app.secrets->server_key,
	    CHALLENGE_REPORTER, (uint32_t)time(NULL), &d, &exp) == -1)
		return DESK_UNAUTHORIZED;
	if ((r = reporter_login_check(in, case_id)) != DESK_OK)
		return r;
	if (sessions_token_new(token, tokensz, hash) == -1)
		return DESK_UNAVAILABLE;
	r = sessions_reporter_new(in->challenge, exp, hash, case_id);
	sodium_memzero(hash, sizeof(hash));
	return r;
}

enum desk_result
reporter_login_run(const struct reporter_login_in *in,
    const unsigned char key[CLIENTKEY_BYTES], char *token, size_t tokensz)
{
	enum desk_result	r;

	r = reporter_login_open(in, token, tokensz);
	if (r != DESK_OK)
		sodium_memzero(token, tokensz);
	/* Every cause alike: counted, and the one refusal. */
	if (r == DESK_UNAUTHORIZED)
		counters_client_fail(key, REPORTER_FAIL_WINDOW);
	return r;
}
