/*
 * account.c - login, logout and account security.
 *
 * A login always does the same work: the failure counters first (429
 * before anything else), then the account lookup, the auth_key check and
 * the TOTP check, with stand-ins for an unknown email, combined without a
 * branch on which part failed; every failure gives the same 401.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <civetweb.h>
#include <cjson/cJSON.h>
#include <sodium.h>

#include "account.h"
#include "app.h"
#include "audit.h"
#include "config.h"
#include "db.h"
#include "adviser_entry.h"
#include "client.h"
#include "http.h"
#include "json_in.h"
#include "json_out.h"
#include "log.h"
#include "ratelimit.h"
#include "seal.h"
#include "secrets.h"
#include "session.h"
#include "totp.h"

#define ACCOUNT_RL_SLOTS	65536
#define ACCOUNT_ESK_BYTES	(24 + 32 + 16)	/* AEAD of the X25519 key */
#define ACCOUNT_STORE_MAX	256
#define ACCOUNT_MIN_OPS		3
#define ACCOUNT_MAX_OPS		32
#define ACCOUNT_MIN_MEM		(64LL << 20)
#define ACCOUNT_MAX_MEM		(1LL << 30)

static pthread_once_t	 account_rl_once = PTHREAD_ONCE_INIT;
static struct ratelimit	*account_rl;

static void
account_rl_init(void)
{
	account_rl = ratelimit_new(ACCOUNT_RL_SLOTS, ACCOUNT_CLIENT_FAILS,
	    ACCOUNT_FAIL_WINDOW);
}

static struct ratelimit *
account_ratelimit(void)
{
	if (pthread_once(&account_rl_once, account_rl_init) != 0)
		return NULL;
	return account_rl;
}

/* --- credentials ---------------------------------------------------------- */

/*
 * Check auth_key and the TOTP code against an account row (id, auth_hash,
 * totp_secret, status) of res, or against stand-ins when res has none, so
 * that every failure costs the same. *step is the matched step. 0 when
 * both hold for an active account, else -1.
 */
static int
account_verify(const PGresult *res, const unsigned char auth_key[32],
    const char *code, uint64_t *step)
{
	unsigned char		 dummy[32], secret[ACCOUNT_STORE_MAX];
	unsigned char		 dummy_box[TOTP_SECRET_BYTES + SEAL_STORE_OVERHEAD];
	const unsigned char	*hash = dummy, *sealed;
	size_t			 hn = 0, sn = 0, slen = 0;
	int			 found, auth_ok;
	uint64_t		 s;

	randombytes_buf(dummy, sizeof(dummy));
	found = res != NULL && PQntuples(res) == 1 && !db_is_null(res, 0, 1) &&
	    !db_is_null(res, 0, 2) && strcmp(db_get_text(res, 0, 3), "active") == 0;
	if (found) {
		hash = db_get_bytes(res, 0, 1, &hn);
		sealed = db_get_bytes(res, 0, 2, &sn);
		found = hn == 32 && seal_unstore(secret, sizeof(secret), &slen,
		    sealed, sn, app.secrets->server_store_key) == 0;
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
account_spend_step(const char *id, uint64_t step, enum db_status *st)
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

/* --- POST /api/v1/adviser/prelogin ---------------------------------------- */

struct account_prelogin_in {
	char	email[255];
};

static const struct json_field account_prelogin_fields[] = {
	JSON_F_TEXT("email", 1, 3, 254, struct account_prelogin_in, email),
};

int
account_prelogin(struct http_request *req)
{
	struct account_prelogin_in	 in;
	unsigned char			 salt[16];
	const unsigned char		*v;
	long long			 ops = ACCOUNT_MIN_OPS, mem = 64LL << 20;
	const char			*code, *field;
	cJSON				*root, *out;
	PGresult			*res;
	size_t				 n;
	enum db_status			 st;

	root = json_in_parse(req->body, req->body_len, account_prelogin_fields,
	    1, &in, &code, &field);
	if (root == NULL)
		return http_send_error(req, 400, code, field);
	cJSON_Delete(root);
	/* The stand-in is computed for every email: the same work always. */
	if (seal_prelogin_salt(salt, in.email, app.secrets->prelogin_key) != 0)
		return -1;
	{
		struct db_param p[1] = { DB_P_TEXT(in.email) };
		if ((res = db_exec(DB_PRELOGIN, 1, p, &st)) == NULL)
			return http_send_error(req, 503, "unavailable", NULL);
	}
	if (PQntuples(res) == 1) {
		v = db_get_bytes(res, 0, 0, &n);
		if (n == 16) {
			memcpy(salt, v, 16);
			ops = db_get_int(res, 0, 1);
			mem = db_get_int(res, 0, 2);
		}
	}
	PQclear(res);
	if ((out = cJSON_CreateObject()) == NULL ||
	    json_add_b64(out, "salt", salt, 16) == -1 ||
	    json_add_num(out, "opslimit", (double)ops) == -1 ||
	    json_add_num(out, "memlimit", (double)mem) == -1) {
		cJSON_Delete(out);
		return -1;
	}
	return http_send_cjson(req, 200, out);
}

/* --- POST /api/v1/adviser/session ------------------------------------------ */

struct account_login_in {
	char		email[255];
	unsigned char	auth_key[32];
	char		totp[7];
};

static const struct json_field account_login_fields[] = {
	JSON_F_TEXT("email", 1, 3, 254, struct account_login_in, email),
	JSON_F_KEY("auth_key", 1, 32, struct account_login_in, auth_key),
	JSON_F_TEXT("totp", 1, 6, 6, struct account_login_in, totp),
};

/* Seconds until the email's shared counter allows a try, or 0. */
static unsigned int
account_email_wait(const unsigned char ekey[32], enum db_status *st)
{
	struct db_param	 p[3] = {
		DB_P_BYTES(ekey, 32), DB_P_INT(ACCOUNT_FAIL_WINDOW),
		DB_P_INT(ACCOUNT_EMAIL_FAILS),
	};
	PGresult	*res;
	unsigned int	 wait = 0;

	if ((res = db_exec(DB_COUNTER_CHECK, 3, p, st)) == NULL)
		return 0;
	if (PQntuples(res) == 1)
		wait = (unsigned int)db_get_int(res, 0, 0);
	PQclear(res);
	return wait;
}

static void
account_email_count(const unsigned char ekey[32], int failed)
{
	struct db_param	 p[2] = {
		DB_P_BYTES(ekey, 32), DB_P_INT(ACCOUNT_FAIL_WINDOW),
	};
	PGresult	*res;

	res = db_exec(failed ? DB_COUNTER_FAIL : DB_COUNTER_RESET,
	    failed ? 2 : 1, p, NULL);
	PQclear(res);
}

cJSON *
account_account_json(const char *id, cJSON *key_out, enum db_status *st)
{
	struct db_param		 p[1] = { DB_P_TEXT(id) };
	unsigned char		 esk[ACCOUNT_STORE_MAX];
	const unsigned char	*v;
	size_t			 n, eskn = 0;
	PGresult		*res;
	cJSON			*a = NULL;

	if ((res = db_exec(DB_ACCOUNT_ME, 1, p, st)) == NULL)
		return NULL;
	if (PQntuples(res) != 1 || (a = cJSON_CreateObject()) == NULL ||
	    json_add_str(a, "id", db_get_text(res, 0, 0)) == -1 ||
	    json_add_str(a, "name", db_get_text(res, 0, 1)) == -1 ||
	    json_add_str(a, "role", db_get_text(res, 0, 2)) == -1 ||
	    json_add_item(a, "scope", adviser_entry_scope(db_get_text(res, 0, 3),
	    db_get_text(res, 0, 4))) == -1 ||
	    json_add_bool(a, "certified", db_get_bool(res, 0, 5)) == -1 ||
	    (db_is_null(res, 0, 6) ? json_add_null(a, "not_after") :
	    json_add_str(a, "not_after", db_get_text(res, 0, 6))) == -1)
		goto fail;
	if (key_out != NULL) {
		if (db_is_null(res, 0, 7)) {
			if (json_add_null(key_out, "encryption_public_key") == -1 ||
			    json_add_null(key_out, "encrypted_secret_key") == -1)
				goto fail;
		} else {
			v = db_get_bytes(res, 0, 8, &n);
			if (seal_unstore(esk, sizeof(esk), &eskn, v, n,
			    app.secrets->server_store_key) != 0)
				goto fail;
			v = db_get_bytes(res, 0, 7, &n);
			if (json_add_b64(key_out, "encryption_public_key", v, n) == -1 ||
			    json_add_b64(key_out, "encrypted_secret_key", esk,
			    eskn) == -1)
				goto fail;
		}
	}
	sodium_memzero(esk, sizeof(esk));
	PQclear(res);
	return a;
fail:
	sodium_memzero(esk, sizeof(esk));
	if (*st == DB_OK)
		*st = DB_ERROR;
	cJSON_Delete(a);
	PQclear(res);
	return NULL;
}

/* Session, audit entry and answer for a successful login. */
static int
account_login_ok(struct http_request *req, const char *id)
{
	char		 token[64];
	cJSON		*out = NULL;
	enum db_status	 st;
	int		 rc;

	if (db_begin(&st) == -1)
		return http_send_error(req, 503, "unavailable", NULL);
	if (session_account_new(id, token, &st) == -1 ||
	    audit_commit("login", id, NULL, &st) == -1) {
		db_rollback();
		sodium_memzero(token, sizeof(token));
		return http_send_error(req, 503, "unavailable", NULL);
	}
	if ((out = cJSON_CreateObject()) == NULL ||
	    json_add_str(out, "token", token) == -1 ||
	    json_add_item(out, "adviser", account_account_json(id, out,
	    &st)) == -1) {
		cJSON_Delete(out);
		rc = http_send_error(req, 503, "unavailable", NULL);
	} else
		rc = http_send_cjson(req, 200, out);
	sodium_memzero(token, sizeof(token));
	return rc;
}

/* Check the counters; send 429 and return 1 when over a limit. */
static int
account_limited(struct http_request *req, const unsigned char ekey[32],
    unsigned char ckey[RATELIMIT_KEY_BYTES], enum db_status *st)
{
	struct ratelimit	*rl = account_ratelimit();
	char			 addr[128];
	unsigned int		 wait = 0, w2;
	int			 r;

	if (rl == NULL || client_address(req, addr, sizeof(addr)) == -1)
		return http_send_error(req, 503, "unavailable", NULL), 1;
	r = ratelimit_key(rl, time(NULL), addr, ekey, 32, ckey);
	sodium_memzero(addr, sizeof(addr));
	if (r == -1)
		return http_send_error(req, 503, "unavailable", NULL), 1;
	wait = ratelimit_retry_after(rl, ckey, time(NULL));
	w2 = account_email_wait(ekey, st);
	if (*st != DB_OK)
		return http_send_error(req, 503, "unavailable", NULL), 1;
	if (w2 > wait)
		wait = w2;
	if (wait > 0)
		return http_send_rate_limited(req, wait), 1;
	return 0;
}

int
account_login(struct http_request *req)
{
	struct account_login_in	 in;
	unsigned char		 ekey[32], ckey[RATELIMIT_KEY_BYTES];
	char			 id[37] = "";
	const char		*code, *field;
	cJSON			*root;
	PGresult		*res = NULL;
	enum db_status		 st = DB_OK;
	uint64_t		 step = 0;
	int			 ok, rc;

	memset(&in, 0, sizeof(in));
	root = json_in_parse(req->body, req->body_len, account_login_fields, 3,
	    &in, &code, &field);
	if (root == NULL)
		return http_send_error(req, 400, code, field);
	cJSON_Delete(root);
	if (seal_email_key(ekey, in.email, app.secrets->server_key) != 0) {
		rc = -1;
		goto out;
	}
	if (account_limited(req, ekey, ckey, &st)) {
		rc = 0;
		goto out;
	}
	{
		struct db_param p[1] = { DB_P_TEXT(in.email) };
		if ((res = db_exec(DB_ACCOUNT_LOGIN, 1, p, &st)) == NULL) {
			rc = http_send_error(req, 503, "unavailable", NULL);
			goto out;
		}
	}
	ok = account_verify(res, in.auth_key, in.totp, &step) == 0;
	if (PQntuples(res) == 1)
		snprintf(id, sizeof(id), "%s", db_get_text(res, 0, 0));
	if (ok && account_spend_step(id, step, &st) == -1)
		ok = 0;
	if (st != DB_OK) {
		rc = http_send_error(req, 503, "unavailable", NULL);
		goto out;
	}
	if (!ok) {
		ratelimit_fail(account_ratelimit(), ckey, time(NULL));
		account_email_count(ekey, 1);
		(void)audit_record("login_failed", id[0] != '\0' ? id : "unknown",
		    NULL);
		rc = http_send_error(req, 401, "unauthorized", NULL);
		goto out;
	}
	ratelimit_reset(account_ratelimit(), ckey);
	account_email_count(ekey, 0);
	rc = account_login_ok(req, id);
out:
	PQclear(res);
	sodium_memzero(&in, sizeof(in));
	sodium_memzero(ckey, sizeof(ckey));
	return rc;
}

/* --- DELETE /api/v1/adviser/session ---------------------------------------- */

int
account_logout(struct http_request *req)
{
	static const struct http_header clear[] = {
		{ "Clear-Site-Data", "\"*\"" },
		{ NULL, NULL }
	};
	struct session_account	 s;
	struct db_param		 p[1] = { DB_P_BYTES(s.token_hash, 32) };
	PGresult		*res;
	enum db_status		 st;

	if (session_account(req, ~0, &s) == -1)
		return 0;
	if (db_begin(&st) == -1)
		return http_send_error(req, 503, "unavailable", NULL);
	if ((res = db_exec(DB_SESSION_END, 1, p, &st)) == NULL ||
	    audit_commit("logout", s.id, NULL, &st) == -1) {
		PQclear(res);
		db_rollback();
		return http_send_error(req, 503, "unavailable", NULL);
	}
	PQclear(res);
	return http_send_empty(req, 204, clear);
}

/* --- checks for account-security changes ---------------------------------- */

/*
 * Re-check auth_key and TOTP for the session's own account, counting
 * failures per client as a login does. 0 ok; -1 after sending 403/429/503.
 */
static int
account_recheck(struct http_request *req, const struct session_account *s,
    const unsigned char auth_key[32], const char *totp)
{
	struct db_param		 p[1] = { DB_P_TEXT(s->id) };
	unsigned char		 ckey[RATELIMIT_KEY_BYTES], idkey[32];
	PGresult		*res;
	enum db_status		 st = DB_OK;
	uint64_t		 step;
	int			 ok;

	if (seal_email_key(idkey, s->id, app.secrets->server_key) != 0)
		return http_send_error(req, 503, "unavailable", NULL), -1;
	if (account_limited(req, idkey, ckey, &st))
		return -1;
	if ((res = db_exec(DB_ACCOUNT_CRED, 1, p, &st)) == NULL)
		return http_send_error(req, 503, "unavailable", NULL), -1;
	ok = account_verify(res, auth_key, totp, &step) == 0 &&
	    account_spend_step(s->id, step, &st) == 0;
	PQclear(res);
	if (!ok) {
		ratelimit_fail(account_ratelimit(), ckey, time(NULL));
		return http_send_error(req, st == DB_OK ? 403 : 503,
		    st == DB_OK ? "forbidden" : "unavailable", NULL), -1;
	}
	ratelimit_reset(account_ratelimit(), ckey);
	return 0;
}

/* --- PUT /api/v1/adviser/passphrase ----------------------------------------- */

struct account_passphrase_in {
	unsigned char		auth_key[32];
	char			totp[7];
	unsigned char		salt[16];
	long long		opslimit, memlimit;
	unsigned char		new_auth_key[32];
	unsigned char		esk[ACCOUNT_ESK_BYTES];
	size_t			esk_len;
};

static const struct json_field account_passphrase_fields[] = {
	JSON_F_KEY("auth_key", 1, 32, struct account_passphrase_in, auth_key),
	JSON_F_TEXT("totp", 1, 6, 6, struct account_passphrase_in, totp),
	JSON_F_KEY("salt", 1, 16, struct account_passphrase_in, salt),
	JSON_F_INT("opslimit", 1, ACCOUNT_MIN_OPS, ACCOUNT_MAX_OPS,
	    struct account_passphrase_in, opslimit),
	JSON_F_INT("memlimit", 1, ACCOUNT_MIN_MEM, ACCOUNT_MAX_MEM,
	    struct account_passphrase_in, memlimit),
	JSON_F_KEY("new_auth_key", 1, 32, struct account_passphrase_in,
	    new_auth_key),
	JSON_F_B64("encrypted_secret_key", 0, ACCOUNT_ESK_BYTES,
	    ACCOUNT_ESK_BYTES, struct account_passphrase_in, esk, esk_len),
};

/* Store the new login data and end the other sessions, audited. */
static int
account_passphrase_store(const struct session_account *s,
    const struct account_passphrase_in *in, enum db_status *st)
{
	unsigned char	 hash[32], sealed[ACCOUNT_ESK_BYTES + SEAL_STORE_OVERHEAD];
	size_t		 sealed_len = 0;
	PGresult	*res;
	int		 rc = -1;

	if (seal_auth_hash(hash, in->new_auth_key,
	    app.secrets->server_auth_key) != 0 ||
	    (in->esk_len > 0 && seal_store(sealed, sizeof(sealed), &sealed_len,
	    in->esk, in->esk_len, app.secrets->server_store_key) != 0))
		return -1;
	if (db_begin(st) == -1)
		return -1;
	{
		struct db_param p[6] = {
			DB_P_TEXT(s->id), DB_P_BYTES(in->salt, 16),
			DB_P_INT(in->opslimit), DB_P_INT(in->memlimit),
			DB_P_BYTES(hash, 32),
			DB_P_BYTES(in->esk_len > 0 ? sealed : NULL, sealed_len),
		};
		if ((res = db_exec(DB_PASSPHRASE_SET, 6, p, st)) == NULL)
			goto out;
	}
	rc = PQntuples(res) == 1 ? 0 : -1;
	PQclear(res);
	if (rc == -1) {
		*st = DB_CONSTRAINT;
		goto out;
	}
	rc = -1;
	{
		struct db_param p[2] = {
			DB_P_TEXT(s->id), DB_P_BYTES(s->token_hash, 32),
		};
		if ((res = db_exec(DB_SESSIONS_END_OTHERS, 2, p, st)) == NULL)
			goto out;
	}
	PQclear(res);
	if (audit_commit("passphrase_change", s->id, NULL, st) == -1)
		goto out;
	rc = 0;
out:
	if (rc == -1)
		db_rollback();
	sodium_memzero(hash, sizeof(hash));
	return rc;
}

int
account_passphrase(struct http_request *req)
{
	struct session_account		 s;
	struct account_passphrase_in	 in;
	const char			*code, *field;
	cJSON				*root;
	enum db_status			 st = DB_OK;
	int				 rc;

	if (session_account(req, ~0, &s) == -1)
		return 0;
	memset(&in, 0, sizeof(in));
	root = json_in_parse(req->body, req->body_len, account_passphrase_fields,
	    7, &in, &code, &field);
	if (root == NULL) {
		rc = http_send_error(req, 400, code, field);
		goto out;
	}
	cJSON_Delete(root);
	if (account_recheck(req, &s, in.auth_key, in.totp) == -1) {
		rc = 0;
		goto out;
	}
	if (account_passphrase_store(&s, &in, &st) == -1)
		rc = st == DB_CONSTRAINT ?
		    http_send_error(req, 400, "invalid_field",
		    "encrypted_secret_key") :
		    http_send_error(req, 503, "unavailable", NULL);
	else
		rc = http_send_empty(req, 204, NULL);
out:
	sodium_memzero(&in, sizeof(in));
	return rc;
}

/* --- TOTP re-enrolment -------------------------------------------------------- */

struct account_totp_in {
	unsigned char	auth_key[32];
	char		totp[7];
};

static const struct json_field account_totp_fields[] = {
	JSON_F_KEY("auth_key", 1, 32, struct account_totp_in, auth_key),
	JSON_F_TEXT("totp", 1, 6, 6, struct account_totp_in, totp),
};

/* A fresh TOTP secret, stored pending, and its URI into uri. 0, or -1. */
static int
account_totp_new(const char *id, const char *label, char *uri, size_t urisz,
    enum db_status *st)
{
	unsigned char	 secret[TOTP_SECRET_BYTES];
	unsigned char	 sealed[TOTP_SECRET_BYTES + SEAL_STORE_OVERHEAD];
	size_t		 n = 0;
	PGresult	*res = NULL;
	int		 rc = -1;

	randombytes_buf(secret, sizeof(secret));
	if (seal_store(sealed, sizeof(sealed), &n, secret, sizeof(secret),
	    app.secrets->server_store_key) != 0 ||
	    totp_uri(uri, urisz, secret, sizeof(secret), label) != 0)
		goto out;
	{
		struct db_param p[2] = { DB_P_TEXT(id), DB_P_BYTES(sealed, n) };
		if ((res = db_exec(DB_TOTP_PENDING_SET, 2, p, st)) == NULL)
			goto out;
	}
	rc = 0;
out:
	PQclear(res);
	sodium_memzero(secret, sizeof(secret));
	return rc;
}

int
account_totp(struct http_request *req)
{
	struct session_account	 s;
	struct account_totp_in	 in;
	char			 uri[TOTP_URI_MAX], email[255];
	struct db_param		 p[1] = { DB_P_TEXT(s.id) };
	const char		*code, *field;
	cJSON			*root, *out;
	PGresult		*res;
	enum db_status		 st = DB_OK;
	int			 rc;

	if (session_account(req, ~0, &s) == -1)
		return 0;
	root = json_in_parse(req->body, req->body_len, account_totp_fields, 2,
	    &in, &code, &field);
	if (root == NULL)
		return http_send_error(req, 400, code, field);
	cJSON_Delete(root);
	rc = account_recheck(req, &s, in.auth_key, in.totp);
	sodium_memzero(&in, sizeof(in));
	if (rc == -1)
		return 0;
	if ((res = db_exec(DB_ACCOUNT_ME, 1, p, &st)) == NULL ||
	    PQntuples(res) != 1) {
		PQclear(res);
		return http_send_error(req, 503, "unavailable", NULL);
	}
	snprintf(email, sizeof(email), "%s", db_get_text(res, 0, 9));
	PQclear(res);
	if (account_totp_new(s.id, email, uri, sizeof(uri), &st) == -1)
		return http_send_error(req, 503, "unavailable", NULL);
	if ((out = cJSON_CreateObject()) == NULL ||
	    json_add_str(out, "totp_uri", uri) == -1) {
		cJSON_Delete(out);
		rc = -1;
	} else
		rc = http_send_cjson(req, 200, out);
	sodium_memzero(uri, sizeof(uri));
	return rc;
}

struct account_totp_confirm_in {
	char	totp[7];
};

static const struct json_field account_totp_confirm_fields[] = {
	JSON_F_TEXT("totp", 1, 6, 6, struct account_totp_confirm_in, totp),
};

/* Match code against the pending secret of id: the step, or 0. */
static uint64_t
account_pending_step(const char *id, const char *code, enum db_status *st)
{
	struct db_param		 p[1] = { DB_P_TEXT(id) };
	unsigned char		 secret[ACCOUNT_STORE_MAX];
	const unsigned char	*v;
	size_t			 n, slen = 0;
	PGresult		*res;
	uint64_t		 step = 0;

	if ((res = db_exec(DB_TOTP_PENDING_GET, 1, p, st)) == NULL)
		return 0;
	if (PQntuples(res) == 1 && !db_is_null(res, 0, 0)) {
		v = db_get_bytes(res, 0, 0, &n);
		if (seal_unstore(secret, sizeof(secret), &slen, v, n,
		    app.secrets->server_store_key) == 0)
			step = totp_check(secret, slen, time(NULL), code);
	}
	sodium_memzero(secret, sizeof(secret));
	PQclear(res);
	return step;
}

int
account_totp_confirm(struct http_request *req)
{
	struct session_account		 s;
	struct account_totp_confirm_in	 in;
	const char			*code, *field;
	cJSON				*root;
	PGresult			*res = NULL;
	enum db_status			 st = DB_OK;
	uint64_t			 step;

	if (session_account(req, ~0, &s) == -1)
		return 0;
	root = json_in_parse(req->body, req->body_len,
	    account_totp_confirm_fields, 1, &in, &code, &field);
	if (root == NULL)
		return http_send_error(req, 400, code, field);
	cJSON_Delete(root);
	if ((step = account_pending_step(s.id, in.totp, &st)) == 0)
		return http_send_error(req, st == DB_OK ? 403 : 503,
		    st == DB_OK ? "forbidden" : "unavailable", NULL);
	if (db_begin(&st) == -1)
		return http_send_error(req, 503, "unavailable", NULL);
	{
		struct db_param p[2] = { DB_P_TEXT(s.id), DB_P_INT((long long)step) };
		if ((res = db_exec(DB_TOTP_ACTIVATE, 2, p, &st)) == NULL ||
		    PQntuples(res) != 1)
			goto fail;
		PQclear(res);
	}
	{
		struct db_param p[2] = { DB_P_TEXT(s.id), DB_P_BYTES(s.token_hash, 32) };
		if ((res = db_exec(DB_SESSIONS_END_OTHERS, 2, p, &st)) == NULL)
			goto fail;
		PQclear(res);
		res = NULL;
	}
	if (audit_commit("totp_change", s.id, NULL, &st) == -1)
		goto fail;
	return http_send_empty(req, 204, NULL);
fail:
	PQclear(res);
	db_rollback();
	return http_send_error(req, st == DB_OK ? 403 : 503,
	    st == DB_OK ? "forbidden" : "unavailable", NULL);
}
