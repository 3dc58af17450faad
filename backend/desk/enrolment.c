/*
 * enrolment.c - invite-based enrolment: who an invite is for, the pending
 * enrolment with its TOTP secret, and its confirmation.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "accounts.h"
#include "adviser_entry.h"
#include "app.h"
#include "audit.h"
#include "db.h"
#include "enrolment.h"
#include "json_out.h"
#include "seal.h"
#include "secrets.h"
#include "totp.h"

#define ENROLMENT_SECRET_MAX	128	/* bytes of an unsealed TOTP secret */

/*
 * The usable invite of token (its hash into hash): the DB_INVITE_INFO
 * result, or NULL with the result in *r.
 */
static PGresult *
enrolment_invite(const unsigned char token[TOKEN_BYTES],
    unsigned char hash[HASH_BYTES], enum desk_result *r)
{
	struct db_param	 p[1] = { DB_P_BYTES(hash, HASH_BYTES) };
	PGresult	*res;
	enum db_status	 st;

	*r = DESK_UNAVAILABLE;
	if (seal_token_hash(hash, token, app.secrets->server_key) != 0)
		return NULL;
	if ((res = db_exec(DB_INVITE_INFO, nitems(p), p, &st)) == NULL) {
		*r = desk_result_db(st);
		return NULL;
	}
	if (PQntuples(res) != 1) {
		PQclear(res);
		*r = DESK_UNAUTHORIZED;
		return NULL;
	}
	*r = DESK_OK;
	return res;
}

enum desk_result
enrolment_info(const unsigned char token[TOKEN_BYTES], cJSON **out)
{
	unsigned char		 hash[HASH_BYTES];
	PGresult		*res;
	cJSON			*o;
	enum desk_result	 r;

	*out = NULL;
	if ((res = enrolment_invite(token, hash, &r)) == NULL)
		return r;
	if ((o = cJSON_CreateObject()) == NULL ||
	    json_add_str(o, "id", db_get_text(res, 0, INVITE_INFO_ID)) == -1 ||
	    json_add_str(o, "email",
	    db_get_text(res, 0, INVITE_INFO_EMAIL)) == -1 ||
	    json_add_str(o, "name",
	    db_get_text(res, 0, INVITE_INFO_NAME)) == -1 ||
	    json_add_str(o, "role",
	    db_get_text(res, 0, INVITE_INFO_ROLE)) == -1 ||
	    json_add_item(o, "scope", adviser_entry_scope(
	    db_get_text(res, 0, INVITE_INFO_ORGANISATIONS),
	    db_get_text(res, 0, INVITE_INFO_TOPICS))) == -1) {
		cJSON_Delete(o);
		PQclear(res);
		return DESK_UNAVAILABLE;
	}
	PQclear(res);
	*out = o;
	return DESK_OK;
}

/* Keys present exactly for roles that hold keys, usable and not taken. */
static enum desk_result
enrolment_check_keys(const struct enrolment_new *in, const char *role,
    const unsigned char hash[HASH_BYTES])
{
	struct db_param	 p[2] = {
		DB_P_BYTES(in->enc_pk, BOX_PK_BYTES),
		DB_P_BYTES(hash, HASH_BYTES),
	};
	PGresult	*res;
	enum db_status	 st;
	int		 taken;

	if (strcmp(role, "adviser") != 0 && strcmp(role, "coordinator") != 0)
		return in->enc_pk_len || in->sign_pk_len || in->esk_len ?
		    DESK_ENROL_BAD_ENC_KEY : DESK_OK;
	if (in->enc_pk_len != BOX_PK_BYTES ||
	    seal_box_public_key_usable(in->enc_pk) != 0)
		return DESK_ENROL_BAD_ENC_KEY;
	if (in->sign_pk_len != SIGN_PK_BYTES)
		return DESK_ENROL_BAD_SIGN_KEY;
	if (in->esk_len != ENROLMENT_ESK_BYTES)
		return DESK_ENROL_BAD_SECRET_KEY;
	if ((res = db_exec(DB_KEY_TAKEN, nitems(p), p, &st)) == NULL)
		return desk_result_db(st);
	taken = PQntuples(res) > 0;
	PQclear(res);
	return taken ? DESK_ENROL_BAD_ENC_KEY : DESK_OK;
}

/* Store the pending enrolment with a new TOTP secret; its URI into uri. */
static enum desk_result
enrolment_store(const struct enrolment_new *in,
    const unsigned char hash[HASH_BYTES], const char *email, char *uri,
    size_t urisz)
{
	unsigned char	 secret[TOTP_SECRET_BYTES], auth[HASH_BYTES];
	unsigned char	 totp_sealed[TOTP_SECRET_BYTES + SEAL_STORE_OVERHEAD];
	unsigned char	 esk_sealed[ENROLMENT_ESK_BYTES + SEAL_STORE_OVERHEAD];
	size_t		 tn = 0, en = 0;
	PGresult	*res = NULL;
	enum desk_result r = DESK_UNAVAILABLE;
	enum db_status	 st;

	randombytes_buf(secret, sizeof(secret));
	if (seal_auth_hash(auth, in->auth_key, app.secrets->server_auth_key) ||
	    seal_store(totp_sealed, sizeof(totp_sealed), &tn, secret,
	    sizeof(secret), app.secrets->server_store_key) ||
	    (in->esk_len > 0 && seal_store(esk_sealed, sizeof(esk_sealed), &en,
	    in->esk, in->esk_len, app.secrets->server_store_key)) ||
	    totp_uri(uri, urisz, secret, sizeof(secret), email) != 0)
		goto out;
	{
		struct db_param p[9] = {
			DB_P_BYTES(hash, HASH_BYTES),
			DB_P_BYTES(in->salt, SALT_BYTES),
			DB_P_INT(in->opslimit), DB_P_INT(in->memlimit),
			DB_P_BYTES(auth, HASH_BYTES),
			DB_P_BYTES(in->enc_pk_len ? in->enc_pk : NULL,
			    BOX_PK_BYTES),
			DB_P_BYTES(in->sign_pk_len ? in->sign_pk : NULL,
			    SIGN_PK_BYTES),
			DB_P_BYTES(en ? esk_sealed : NULL, en),
			DB_P_BYTES(totp_sealed, tn),
		};
		res = db_exec(DB_ENROLMENT_PUT, nitems(p), p, &st);
		if (res == NULL)
			r = st == DB_UNIQUE ? DESK_ENROL_BAD_ENC_KEY :
			    desk_result_db(st);
		else
			r = DESK_OK;
	}
out:
	PQclear(res);
	sodium_memzero(secret, sizeof(secret));
	sodium_memzero(auth, sizeof(auth));
	return r;
}

enum desk_result
enrolment_start(const struct enrolment_new *in, char *uri, size_t urisz)
{
	unsigned char		 hash[HASH_BYTES];
	char			 email[ACCOUNTS_EMAIL_MAX + 1];
	char			 role[ACCOUNTS_ROLE_MAX + 1];
	PGresult		*res;
	enum desk_result	 r;

	if ((res = enrolment_invite(in->token, hash, &r)) == NULL)
		return r;
	snprintf(email, sizeof(email), "%s",
	    db_get_text(res, 0, INVITE_INFO_EMAIL));
	snprintf(role, sizeof(role), "%s",
	    db_get_text(res, 0, INVITE_INFO_ROLE));
	PQclear(res);
	if ((r = enrolment_check_keys(in, role, hash)) != DESK_OK)
		return r;
	return enrolment_store(in, hash, email, uri, urisz);
}

/*
 * The step of code under the enrolment's pending secret: 0 not its code,
 * -1 no usable enrolment (or a failure, then *st says).
 */
static long long
enrolment_pending_step(const unsigned char hash[HASH_BYTES], const char *code,
    enum db_status *st)
{
	struct db_param		 p[1] = { DB_P_BYTES(hash, HASH_BYTES) };
	unsigned char		 secret[ENROLMENT_SECRET_MAX];
	const unsigned char	*v;
	size_t			 n, slen = 0;
	PGresult		*res;
	long long		 step = -1;

	if ((res = db_exec(DB_ENROLMENT_TOTP, nitems(p), p, st)) == NULL)
		return -1;
	if (PQntuples(res) == 1) {
		v = db_get_bytes(res, 0, ENROLMENT_TOTP_PENDING, &n);
		step = 0;
		if (seal_unstore(secret, sizeof(secret), &slen, v, n,
		    app.secrets->server_store_key) == 0)
			step = (long long)totp_check(secret, slen, time(NULL),
			    code);
	}
	sodium_memzero(secret, sizeof(secret));
	PQclear(res);
	return step;
}

/* Activate the pending enrolment at step, audited, in one transaction. */
static enum desk_result
enrolment_activate(const unsigned char hash[HASH_BYTES], long long step)
{
	struct db_param	 p[2] = {
		DB_P_BYTES(hash, HASH_BYTES), DB_P_INT(step),
	};
	char		 id[UUID_SIZE];
	PGresult	*res;
	enum db_status	 st;

	if (db_begin(&st) == -1)
		return desk_result_db(st);
	if ((res = db_exec(DB_ENROL_CONFIRM, nitems(p), p, &st)) == NULL)
		goto fail;
	if (PQntuples(res) != 1 || db_is_null(res, 0, ENROL_CONFIRM_ACCOUNT)) {
		PQclear(res);
		goto fail;
	}
	snprintf(id, sizeof(id), "%s",
	    db_get_text(res, 0, ENROL_CONFIRM_ACCOUNT));
	PQclear(res);
	if (audit_commit("enrol", id, NULL, &st) == -1)
		goto fail;
	return DESK_OK;
fail:
	db_rollback();
	if (st == DB_OK || st == DB_CONSTRAINT)
		return DESK_UNAUTHORIZED;
	return desk_result_db(st);
}

enum desk_result
enrolment_confirm(const unsigned char token[TOKEN_BYTES], const char *totp)
{
	unsigned char	 hash[HASH_BYTES];
	enum db_status	 st = DB_OK;
	long long	 step;

	if (seal_token_hash(hash, token, app.secrets->server_key) != 0)
		return DESK_UNAVAILABLE;
	step = enrolment_pending_step(hash, totp, &st);
	if (st != DB_OK)
		return desk_result_db(st);
	if (step == -1)
		return DESK_UNAUTHORIZED;
	if (step == 0)
		return DESK_ENROL_BAD_TOTP;
	return enrolment_activate(hash, step);
}
