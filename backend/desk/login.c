/*
 * login.c - staff prelogin, login and the re-check of a login.
 *
 * A login always does the same work: the failure counters first (over a
 * bound, before anything else), then the account lookup, the auth_key
 * check and the TOTP check, with stand-ins for an unknown email, combined
 * without a branch on which part failed; every failure is the same
 * DESK_UNAUTHORIZED.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "adviser_entry.h"
#include "app.h"
#include "audit.h"
#include "counters.h"
#include "db.h"
#include "json_out.h"
#include "login.h"
#include "seal.h"
#include "secrets.h"
#include "sessions.h"

#define LOGIN_STORE_MAX		256	/* a sealed secret read back */
#define LOGIN_DEFAULT_OPS	3
#define LOGIN_DEFAULT_MEM	(64LL << 20)

/* --- credentials ---------------------------------------------------------- */

/*
 * Check auth_key and the TOTP code against an account row (CRED_*) of res,
 * or against stand-ins when res has none, so that every failure costs the
 * same. *step is the matched step. 0 when both hold for an active
 * account, else -1.
 */
static int
login_verify(const PGresult *res, const unsigned char auth_key[KEY_BYTES],
    const char *code, uint64_t *step)
{
	unsigned char		 dummy[HASH_BYTES], secret[LOGIN_STORE_MAX];
	unsigned char		 dummy_box[TOTP_SECRET_BYTES + SEAL_STORE_OVERHEAD];
	const unsigned char	*hash = dummy, *sealed;
	size_t			 hn = 0, sn = 0, slen = 0;
	int			 found, auth_ok;
	uint64_t		 s;

	randombytes_buf(dummy, sizeof(dummy));
	found = res != NULL && PQntuples(res) == 1 &&
	    !db_is_null(res, 0, CRED_AUTH_HASH) &&
	    !db_is_null(res, 0, CRED_TOTP_SECRET) &&
	    strcmp(db_get_text(res, 0, CRED_STATUS), "active") == 0;
	if (found) {
		hash = db_get_bytes(res, 0, CRED_AUTH_HASH, &hn);
		sealed = db_get_bytes(res, 0, CRED_TOTP_SECRET, &sn);
		found = hn == HASH_BYTES && seal_unstore(secret, sizeof(secret),
		    &slen, sealed, sn, app.secrets->server_store_key) == 0;
		if (!found)
			hash = dummy;
	}
	if (!found) {
		/* The same work as for an account: open a (failing) box too. */
		randombytes_buf(dummy_box, sizeof(dummy_box));
		if (seal_unstore(secret, sizeof(secret), &slen, dummy_box,
		    sizeof(dummy_box), app.secrets->server_store_key) == 0)
			found = 0;	/* a forgery by chance: still no account */
		randombytes_buf(secret, TOTP_SECRET_BYTES);
		slen = TOTP_SECRET_BYTES;
	}
	auth_ok = seal_auth_verify(hash, auth_key,
	    app.secrets->server_auth_key) == 0;
	s = totp_check(secret, slen, time(NULL), code);
	sodium_memzero(secret, sizeof(secret));
	*step = s;
	return (found & auth_ok & (s != 0)) ? 0 : -1;
}

/* Spend TOTP step for account id: 0 if this step was not used before. */
static int
login_spend_step(const char *id, uint64_t step, enum db_status *st)
{
	struct db_param	 p[2] = { DB_P_TEXT(id), DB_P_INT((long long)step) };
	PGresult	*res;
	int		 rc;

	if ((res = db_exec(DB_TOTP_USE, 2, p, st)) == NULL)
		return -1;
	rc = PQntuples(res) == 1 ? 0 : -1;
	PQclear(res);
	return rc;
}

/* --- failure counters ----------------------------------------------------- */

/* Seconds until the email's shared counter allows a try, or 0. */
static unsigned int
login_email_wait(const unsigned char ekey[HASH_BYTES], enum db_status *st)
{
	struct db_param	 p[3] = {
		DB_P_BYTES(ekey, HASH_BYTES), DB_P_INT(LOGIN_FAIL_WINDOW),
		DB_P_INT(LOGIN_EMAIL_FAILS),
	};
	PGresult	*res;
	unsigned int	 wait = 0;

	if ((res = db_exec(DB_COUNTER_CHECK, 3, p, st)) == NULL)
		return 0;
	if (PQntuples(res) == 1)
		wait = (unsigned int)db_get_int(res, 0, COUNTER_CHECK_WAIT);
	PQclear(res);
	return wait;
}

/* Count a failure for the email's shared counter, or reset it. */
static void
login_email_count(const unsigned char ekey[HASH_BYTES], int failed)
{
	struct db_param	 p[2] = {
		DB_P_BYTES(ekey, HASH_BYTES), DB_P_INT(LOGIN_FAIL_WINDOW),
	};
	PGresult	*res;

	res = db_exec(failed ? DB_COUNTER_FAIL : DB_COUNTER_RESET,
	    failed ? 2 : 1, p, NULL);
	PQclear(res);
}

/*
 * Both counters of ekey from addr: the (email, client) one, shared by
 * every instance (counters.h), and the email's. The client's key into ckey.
 */
static enum desk_result
login_limited(const char *addr, const unsigned char ekey[HASH_BYTES],
    unsigned char ckey[CLIENTKEY_BYTES], unsigned int *wait)
{
	enum db_status		 st = DB_OK;
	enum desk_result	 r;
	unsigned int		 w = 0, w2;

	if ((r = counters_client_key(addr, ekey, HASH_BYTES, ckey)) != DESK_OK ||
	    ((r = counters_client_wait(ckey, LOGIN_CLIENT_FAILS, &w)) != DESK_OK &&
	    r != DESK_LOGIN_LIMITED))
		return r;
	w2 = login_email_wait(ekey, &st);
	if (st != DB_OK)
		return desk_result_db(st);
	if (w2 > w)
		w = w2;
	*wait = w;
	return w > 0 ? DESK_LOGIN_LIMITED : DESK_OK;
}

/* --- prelogin ------------------------------------------------------------- */

enum desk_result
login_prelogin(const char *email, cJSON **out)
{
	struct db_param		 p[1] = { DB_P_TEXT(email) };
	unsigned char		 salt[SALT_BYTES];
	const unsigned char	*v;
	long long		 ops = LOGIN_DEFAULT_OPS, mem = LOGIN_DEFAULT_MEM;
	PGresult		*res;
	size_t			 n;
	enum db_status		 st;

	*out = NULL;
	/* The stand-in is computed for every email: the same work always. */
	if (seal_prelogin_salt(salt, email, app.secrets->prelogin_key) != 0)
		return DESK_UNAVAILABLE;
	if ((res = db_exec(DB_PRELOGIN, 1, p, &st)) == NULL)
		return desk_result_db(st);
	if (PQntuples(res) == 1) {
		v = db_get_bytes(res, 0, PRELOGIN_SALT, &n);
		if (n == SALT_BYTES) {
			memcpy(salt, v, SALT_BYTES);
			ops = db_get_int(res, 0, PRELOGIN_OPSLIMIT);
			mem = db_get_int(res, 0, PRELOGIN_MEMLIMIT);
		}
	}
	PQclear(res);
	if ((*out = cJSON_CreateObject()) == NULL ||
	    json_add_b64(*out, "salt", salt, SALT_BYTES) == -1 ||
	    json_add_num(*out, "opslimit", (double)ops) == -1 ||
	    json_add_num(*out, "memlimit", (double)mem) == -1) {
		cJSON_Delete(*out);
		*out = NULL;
		return DESK_UNAVAILABLE;
	}
	return DESK_OK;
}

/* --- login ---------------------------------------------------------------- */

/* The current key's public and (unsealed) secret key members into o. */
static int
login_key_json(const PGresult *res, cJSON *o)
{
	unsigned char		 esk[LOGIN_STORE_MAX];
	const unsigned char	*v;
	size_t			 n, eskn = 0;
	int			 rc = -1;

	if (db_is_null(res, 0, ACCOUNT_ME_ENC_PK))
		return json_add_null(o, "encryption_public_key") == -1 ||
		    json_add_null(o, "encrypted_secret_key") == -1 ? -1 : 0;
	v = db_get_bytes(res, 0, ACCOUNT_ME_ESK, &n);
	if (seal_unstore(esk, sizeof(esk), &eskn, v, n,
	    app.secrets->server_store_key) != 0)
		goto out;
	v = db_get_bytes(res, 0, ACCOUNT_ME_ENC_PK, &n);
	if (json_add_b64(o, "encryption_public_key", v, n) == -1 ||
	    json_add_b64(o, "encrypted_secret_key", esk, eskn) == -1)
		goto out;
	rc = 0;
out:
	sodium_memzero(esk, sizeof(esk));
	return rc;
}

/*
 * {"id","name","role","scope","certified","not_after"} of an account, and
 * its current key's members into key_out. NULL on failure.
 */
static cJSON *
login_account_json(const char *id, cJSON *key_out)
{
	struct db_param	 p[1] = { DB_P_TEXT(id) };
	PGresult	*res;
	cJSON		*a = NULL;

	if ((res = db_exec(DB_ACCOUNT_ME, 1, p, NULL)) == NULL)
		return NULL;
	if (PQntuples(res) != 1 || (a = cJSON_CreateObject()) == NULL ||
	    json_add_str(a, "id", db_get_text(res, 0, ACCOUNT_ME_ID)) == -1 ||
	    json_add_str(a, "name", db_get_text(res, 0, ACCOUNT_ME_NAME)) == -1 ||
	    json_add_str(a, "role", db_get_text(res, 0, ACCOUNT_ME_ROLE)) == -1 ||
	    json_add_item(a, "scope", adviser_entry_scope(
	    db_get_text(res, 0, ACCOUNT_ME_ORGANISATIONS),
	    db_get_text(res, 0, ACCOUNT_ME_TOPICS))) == -1 ||
	    json_add_bool(a, "certified",
	    db_get_bool(res, 0, ACCOUNT_ME_CERTIFIED)) == -1 ||
	    (db_is_null(res, 0, ACCOUNT_ME_NOT_AFTER) ?
	    json_add_null(a, "not_after") : json_add_str(a, "not_after",
	    db_get_text(res, 0, ACCOUNT_ME_NOT_AFTER))) == -1 ||
	    login_key_json(res, key_out) == -1) {
		cJSON_Delete(a);
		a = NULL;
	}
	PQclear(res);
	return a;
}

/* Session, audit entry and answer for a successful login of id. */
static enum desk_result
login_open(const char *id, cJSON **out)
{
	char		 token[TOKEN_B64_SIZE];
	enum db_status	 st;
	cJSON		*o;

	if (db_begin(&st) == -1)
		return desk_result_db(st);
	if (sessions_account_new(id, token, &st) == -1 ||
	    audit_commit("login", id, NULL, &st) == -1) {
		db_rollback();
		sodium_memzero(token, sizeof(token));
		return desk_result_db(st);
	}
	if ((o = cJSON_CreateObject()) == NULL ||
	    json_add_str(o, "token", token) == -1 ||
	    json_add_item(o, "adviser", login_account_json(id, o)) == -1) {
		cJSON_Delete(o);
		o = NULL;
	}
	sodium_memzero(token, sizeof(token));
	*out = o;
	return o != NULL ? DESK_OK : DESK_UNAVAILABLE;
}

enum desk_result
login_staff(const struct login_in *in, const char *addr, unsigned int *wait,
    cJSON **out)
{
	struct db_param		 p[1] = { DB_P_TEXT(in->email) };
	unsigned char		 ekey[HASH_BYTES], ckey[CLIENTKEY_BYTES];
	char			 id[UUID_SIZE] = "";
	PGresult		*res = NULL;
	enum db_status		 st = DB_OK;
	enum desk_result	 r;
	uint64_t		 step = 0;
	int			 ok;

	*out = NULL;
	if (seal_email_key(ekey, in->email, app.secrets->server_key) != 0)
		return DESK_UNAVAILABLE;
	if ((r = login_limited(addr, ekey, ckey, wait)) != DESK_OK)
		goto out;
	if ((res = db_exec(DB_ACCOUNT_LOGIN, 1, p, &st)) == NULL) {
		r = desk_result_db(st);
		goto out;
	}
	ok = login_verify(res, in->auth_key, in->totp, &step) == 0;
	if (PQntuples(res) == 1)
		snprintf(id, sizeof(id), "%s", db_get_text(res, 0, CRED_ID));
	if (ok && login_spend_step(id, step, &st) == -1)
		ok = 0;
	if (st != DB_OK) {
		r = desk_result_db(st);
		goto out;
	}
	if (!ok) {
		counters_client_fail(ckey, LOGIN_FAIL_WINDOW);
		login_email_count(ekey, 1);
		(void)audit_record("login_failed", id[0] != '\0' ? id : "unknown",
		    NULL);
		r = DESK_UNAUTHORIZED;
		goto out;
	}
	counters_client_reset(ckey);
	login_email_count(ekey, 0);
	r = login_open(id, out);
out:
	PQclear(res);
	sodium_memzero(ckey, sizeof(ckey));
	return r;
}

enum desk_result
login_recheck(const struct session_account *s, const char *addr,
    const unsigned char auth_key[KEY_BYTES], const char *totp,
    unsigned int *wait)
{
	struct db_param		 p[1] = { DB_P_TEXT(s->id) };
	unsigned char		 ckey[CLIENTKEY_BYTES], idkey[HASH_BYTES];
	PGresult		*res;
	enum db_status		 st = DB_OK;
	enum desk_result	 r;
	uint64_t		 step;
	int			 ok;

	if (seal_email_key(idkey, s->id, app.secrets->server_key) != 0)
		return DESK_UNAVAILABLE;
	if ((r = login_limited(addr, idkey, ckey, wait)) != DESK_OK)
		goto out;
	if ((res = db_exec(DB_ACCOUNT_CRED, 1, p, &st)) == NULL) {
		r = desk_result_db(st);
		goto out;
	}
	ok = login_verify(res, auth_key, totp, &step) == 0 &&
	    login_spend_step(s->id, step, &st) == 0;
	PQclear(res);
	if (!ok) {
		counters_client_fail(ckey, LOGIN_FAIL_WINDOW);
		r = st == DB_OK ? DESK_FORBIDDEN : desk_result_db(st);
		goto out;
	}
	counters_client_reset(ckey);
	r = DESK_OK;
out:
	sodium_memzero(ckey, sizeof(ckey));
	return r;
}
