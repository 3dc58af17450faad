/*
 * reporter_login.c - the reporter's login challenge, login and its
 * failure counter.
 */
#include <pthread.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "app.h"
#include "challenge.h"
#include "config.h"
#include "db.h"
#include "reporter_login.h"
#include "seal.h"
#include "secrets.h"
#include "sessions.h"

#define REPORTER_RL_SLOTS	65536

static pthread_once_t	 reporter_rl_once = PTHREAD_ONCE_INIT;
static struct ratelimit	*reporter_rl;

static void
reporter_rl_init(void)
{
	reporter_rl = ratelimit_new(REPORTER_RL_SLOTS,
	    (unsigned int)app.cfg->reporter_login_failures,
	    REPORTER_FAIL_WINDOW);
}

enum desk_result
reporter_login_limited(const char *addr,
    unsigned char key[RATELIMIT_KEY_BYTES], unsigned int *wait)
{
	static const unsigned char	scope[] = "reporter-login";

	if (pthread_once(&reporter_rl_once, reporter_rl_init) != 0 ||
	    reporter_rl == NULL ||
	    ratelimit_key(reporter_rl, time(NULL), addr, scope,
	    sizeof(scope) - 1, key) == -1)
		return DESK_UNAVAILABLE;
	if ((*wait = ratelimit_retry_after(reporter_rl, key, time(NULL))) > 0) {
		sodium_memzero(key, RATELIMIT_KEY_BYTES);
		return DESK_LOGIN_LIMITED;
	}
	return DESK_OK;
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
    const unsigned char key[RATELIMIT_KEY_BYTES], char *token, size_t tokensz)
{
	enum desk_result	r;

	r = reporter_login_open(in, token, tokensz);
	if (r != DESK_OK)
		sodium_memzero(token, tokensz);
	/* Every cause alike: counted, and the one refusal. */
	if (r == DESK_UNAUTHORIZED)
		ratelimit_fail(reporter_rl, key, time(NULL));
	return r;
}
