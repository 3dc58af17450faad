/*
 * account_settings.c - passphrase and TOTP changes of an account's own.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "account_settings.h"
#include "app.h"
#include "audit.h"
#include "db.h"
#include "json_out.h"
#include "seal.h"
#include "secrets.h"
#include "sessions.h"
#include "totp.h"

#define SETTINGS_STORE_MAX	256	/* a sealed secret read back */
#define SETTINGS_EMAIL_SIZE	(LOGIN_EMAIL_MAX + 1)

/* --- passphrase ----------------------------------------------------------- */

/* The new login data of in for account id, in the open transaction. */
static enum desk_result
settings_passphrase_set(const char *id, const struct settings_passphrase_in *in,
    const unsigned char hash[HASH_BYTES], const unsigned char *sealed,
    size_t sealed_len)
{
	struct db_param	 p[6] = {
		DB_P_TEXT(id), DB_P_BYTES(in->salt, SALT_BYTES),
		DB_P_INT(in->opslimit), DB_P_INT(in->memlimit),
		DB_P_BYTES(hash, HASH_BYTES),
		DB_P_BYTES(in->esk_len > 0 ? sealed : NULL, sealed_len),
	};
	PGresult	*res;
	enum db_status	 st;
	int		 n;

	if ((res = db_exec(DB_PASSPHRASE_SET, 6, p, &st)) == NULL)
		return desk_result_db(st);
	n = PQntuples(res);
	PQclear(res);
	return n == 1 ? DESK_OK : DESK_BAD_SECRET_KEY;
}

enum desk_result
settings_passphrase(const struct session_account *s,
    const struct settings_passphrase_in *in)
{
	unsigned char		 hash[HASH_BYTES];
	unsigned char		 sealed[ESK_BYTES + SEAL_STORE_OVERHEAD];
	size_t			 sealed_len = 0;
	enum db_status		 st;
	enum desk_result	 r;

	if (seal_auth_hash(hash, in->new_auth_key,
	    app.secrets->server_auth_key) != 0 ||
	    (in->esk_len > 0 && seal_store(sealed, sizeof(sealed), &sealed_len,
	    in->esk, in->esk_len, app.secrets->server_store_key) != 0))
		return DESK_UNAVAILABLE;
	if (db_begin(&st) == -1) {
		r = desk_result_db(st);
		goto out;
	}
	r = settings_passphrase_set(s->id, in, hash, sealed, sealed_len);
	if (r == DESK_OK && (sessions_end_others(s->id, s->token_hash,
	    &st) == -1 || audit_commit("passphrase_change", s->id, NULL,
	    &st) == -1))
		r = desk_result_db(st);
	if (r != DESK_OK)
		db_rollback();
out:
	sodium_memzero(hash, sizeof(hash));
	return r;
}

/* --- TOTP ----------------------------------------------------------------- */

/* The account's email, the label of its TOTP secret. 0, or -1. */
static int
settings_email(const char *id, char email[SETTINGS_EMAIL_SIZE])
{
	struct db_param	 p[1] = { DB_P_TEXT(id) };
	PGresult	*res;
	int		 rc = -1;

	if ((res = db_exec(DB_ACCOUNT_ME, 1, p, NULL)) == NULL)
		return -1;
	if (PQntuples(res) == 1) {
		snprintf(email, SETTINGS_EMAIL_SIZE, "%s",
		    db_get_text(res, 0, ACCOUNT_ME_EMAIL));
		rc = 0;
	}
	PQclear(res);
	return rc;
}

enum desk_result
settings_totp_new(const struct session_account *s, cJSON **out)
{
	unsigned char	 secret[TOTP_SECRET_BYTES];
	unsigned char	 sealed[TOTP_SECRET_BYTES + SEAL_STORE_OVERHEAD];
	char		 uri[TOTP_URI_MAX], email[SETTINGS_EMAIL_SIZE];
	struct db_param	 p[2] = { DB_P_TEXT(s->id), DB_P_BYTES(sealed, 0) };
	PGresult	*res = NULL;
	enum desk_result r = DESK_UNAVAILABLE;
	size_t		 n = 0;

	*out = NULL;
	if (settings_email(s->id, email) == -1)
		return DESK_UNAVAILABLE;
	randombytes_buf(secret, sizeof(secret));
	if (seal_store(sealed, sizeof(sealed), &n, secret, sizeof(secret),
	    app.secrets->server_store_key) != 0 ||
	    totp_uri(uri, sizeof(uri), secret, sizeof(secret), email) != 0)
		goto out;
	p[1].len = n;
	if ((res = db_exec(DB_TOTP_PENDING_SET, 2, p, NULL)) == NULL)
		goto out;
	if ((*out = cJSON_CreateObject()) == NULL ||
	    json_add_str(*out, "totp_uri", uri) == -1) {
		cJSON_Delete(*out);
		*out = NULL;
		goto out;
	}
	r = DESK_OK;
out:
	PQclear(res);
	sodium_memzero(secret, sizeof(secret));
	sodium_memzero(uri, sizeof(uri));
	return r;
}

/* Match code against the pending secret of id: the step, or 0. */
static uint64_t
settings_pending_step(const char *id, const char *code, enum db_status *st)
{
	struct db_param		 p[1] = { DB_P_TEXT(id) };
	unsigned char		 secret[SETTINGS_STORE_MAX];
	const unsigned char	*v;
	size_t			 n, slen = 0;
	PGresult		*res;
	uint64_t		 step = 0;

	if ((res = db_exec(DB_TOTP_PENDING_GET, 1, p, st)) == NULL)
		return 0;
	if (PQntuples(res) == 1 &&
	    !db_is_null(res, 0, TOTP_PENDING_GET_SECRET)) {
		v = db_get_bytes(res, 0, TOTP_PENDING_GET_SECRET, &n);
		if (seal_unstore(secret, sizeof(secret), &slen, v, n,
		    app.secrets->server_store_key) == 0)
			step = totp_check(secret, slen, time(NULL), code);
	}
	sodium_memzero(secret, sizeof(secret));
	PQclear(res);
	return step;
}

/* Make the pending secret of id current, step spent, in the transaction. */
static int
settings_totp_activate(const char *id, uint64_t step, enum db_status *st)
{
	struct db_param	 p[2] = { DB_P_TEXT(id), DB_P_INT((long long)step) };
	PGresult	*res;
	int		 n;

	if ((res = db_exec(DB_TOTP_ACTIVATE, 2, p, st)) == NULL)
		return -1;
	n = PQntuples(res);
	PQclear(res);
	return n == 1 ? 0 : -1;
}

enum desk_result
settings_totp_confirm(const struct session_account *s, const char *code)
{
	enum db_status	 st = DB_OK;
	uint64_t	 step;

	if ((step = settings_pending_step(s->id, code, &st)) == 0)
		return st == DB_OK ? DESK_FORBIDDEN : desk_result_db(st);
	if (db_begin(&st) == -1)
		return desk_result_db(st);
	if (settings_totp_activate(s->id, step, &st) == -1 ||
	    sessions_end_others(s->id, s->token_hash, &st) == -1 ||
	    audit_commit("totp_change", s->id, NULL, &st) == -1) {
		db_rollback();
		return st == DB_OK ? DESK_FORBIDDEN : desk_result_db(st);
	}
	return DESK_OK;
}
