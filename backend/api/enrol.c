/*
 * enrol.c - invite-based enrolment.
 *
 * The data of an enrolment waits in the enrolments table until the TOTP
 * code is confirmed; only then does it become the account's login and
 * key, so a half-finished re-enrolment never locks anybody out.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "app.h"
#include "audit.h"
#include "db.h"
#include "enrol.h"
#include "adviser_entry.h"
#include "http.h"
#include "json_in.h"
#include "json_out.h"
#include "seal.h"
#include "secrets.h"
#include "totp.h"

#define ENROL_ESK_BYTES	(24 + 32 + 16)
#define ENROL_MIN_OPS	3
#define ENROL_MAX_OPS	32
#define ENROL_MIN_MEM	(64LL << 20)
#define ENROL_MAX_MEM	(1LL << 30)

/* Look up an invite token (b64 text already decoded into token). */
static PGresult *
enrol_invite(const unsigned char token[32], unsigned char hash[32],
    enum db_status *st)
{
	struct db_param p[1] = { DB_P_BYTES(hash, 32) };

	*st = DB_OK;
	if (seal_token_hash(hash, token, app.secrets->server_key) != 0) {
		*st = DB_ERROR;
		return NULL;
	}
	return db_exec(DB_INVITE_INFO, 1, p, st);
}

/* --- POST /api/v1/enrol/info ------------------------------------------------ */

struct enrol_info_in {
	unsigned char	token[TOKEN_BYTES];
};

static const struct json_field enrol_info_fields[] = {
	JSON_F_KEY("invite_token", 1, TOKEN_BYTES, struct enrol_info_in, token),
};

const struct json_schema enrol_info_in =
    JSON_SCHEMA(struct enrol_info_in, enrol_info_fields);

int
enrol_info(struct http_request *req)
{
	const struct enrol_info_in	*in = req->in;
	unsigned char			 hash[HASH_BYTES];
	cJSON				*out = NULL;
	PGresult			*res;
	enum db_status			 st;

	if ((res = enrol_invite(in->token, hash, &st)) == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return http_send_error(req, 401, "unauthorized", NULL);
	}
	if ((out = cJSON_CreateObject()) == NULL ||
	    json_add_str(out, "id", db_get_text(res, 0, 0)) == -1 ||
	    json_add_str(out, "email", db_get_text(res, 0, 1)) == -1 ||
	    json_add_str(out, "name", db_get_text(res, 0, 2)) == -1 ||
	    json_add_str(out, "role", db_get_text(res, 0, 3)) == -1 ||
	    json_add_item(out, "scope", adviser_entry_scope(db_get_text(res, 0, 4),
	    db_get_text(res, 0, 5))) == -1) {
		cJSON_Delete(out);
		out = NULL;
	}
	PQclear(res);
	return http_send_cjson(req, 200, out);
}

/* --- POST /api/v1/enrol ------------------------------------------------------- */

struct enrol_in {
	unsigned char	token[32];
	unsigned char	salt[16];
	long long	opslimit, memlimit;
	unsigned char	auth_key[32];
	unsigned char	enc_pk[32];
	size_t		enc_pk_len;
	unsigned char	sign_pk[32];
	size_t		sign_pk_len;
	unsigned char	esk[ENROL_ESK_BYTES];
	size_t		esk_len;
};

static const struct json_field enrol_fields[] = {
	JSON_F_KEY("invite_token", 1, 32, struct enrol_in, token),
	JSON_F_KEY("salt", 1, 16, struct enrol_in, salt),
	JSON_F_INT("opslimit", 1, ENROL_MIN_OPS, ENROL_MAX_OPS,
	    struct enrol_in, opslimit),
	JSON_F_INT("memlimit", 1, ENROL_MIN_MEM, ENROL_MAX_MEM,
	    struct enrol_in, memlimit),
	JSON_F_KEY("auth_key", 1, 32, struct enrol_in, auth_key),
	JSON_F_B64("encryption_public_key", 0, 32, 32, struct enrol_in,
	    enc_pk, enc_pk_len),
	JSON_F_B64("sign_public_key", 0, 32, 32, struct enrol_in, sign_pk,
	    sign_pk_len),
	JSON_F_B64("encrypted_secret_key", 0, ENROL_ESK_BYTES, ENROL_ESK_BYTES,
	    struct enrol_in, esk, esk_len),
};

/* Keys present exactly for roles that hold keys, and usable. NULL or field. */
static const char *
enrol_check_keys(const struct enrol_in *in, const char *role,
    const unsigned char hash[32], enum db_status *st)
{
	int		 keyed = strcmp(role, "adviser") == 0 ||
			    strcmp(role, "coordinator") == 0;
	struct db_param	 p[2] = {
		DB_P_BYTES(in->enc_pk, 32), DB_P_BYTES(hash, 32),
	};
	PGresult	*res;
	int		 taken;

	if (!keyed)
		return in->enc_pk_len || in->sign_pk_len || in->esk_len ?
		    "encryption_public_key" : NULL;
	if (in->enc_pk_len != 32 ||
	    seal_box_public_key_usable(in->enc_pk) != 0)
		return "encryption_public_key";
	if (in->sign_pk_len != 32)
		return "sign_public_key";
	if (in->esk_len != ENROL_ESK_BYTES)
		return "encrypted_secret_key";
	if ((res = db_exec(DB_KEY_TAKEN, 2, p, st)) == NULL)
		return "encryption_public_key";
	taken = PQntuples(res) > 0;
	PQclear(res);
	return taken ? "encryption_public_key" : NULL;
}

/* Store the pending enrolment with a new TOTP secret; its URI into uri. */
static int
enrol_store(const struct enrol_in *in, const unsigned char hash[32],
    const char *email, char *uri, size_t urisz, enum db_status *st)
{
	unsigned char	 secret[TOTP_SECRET_BYTES], auth[32];
	unsigned char	 totp_sealed[TOTP_SECRET_BYTES + SEAL_STORE_OVERHEAD];
	unsigned char	 esk_sealed[ENROL_ESK_BYTES + SEAL_STORE_OVERHEAD];
	size_t		 tn = 0, en = 0;
	PGresult	*res = NULL;
	int		 rc = -1;

	randombytes_buf(secret, sizeof(secret));
	if (seal_auth_hash(auth, in->auth_key, app.secrets->server_auth_key) ||
	    seal_store(totp_sealed, sizeof(totp_sealed), &tn, secret,
	    sizeof(secret), app.secrets->server_store_key) ||
	    (in->esk_len > 0 && seal_store(esk_sealed, sizeof(esk_sealed), &en,
	    in->esk, in->esk_len, app.secrets->server_store_key)) ||
	    totp_uri(uri, urisz, secret, sizeof(secret), email) != 0) {
		*st = DB_ERROR;
		goto out;
	}
	{
		struct db_param p[9] = {
			DB_P_BYTES(hash, 32), DB_P_BYTES(in->salt, 16),
			DB_P_INT(in->opslimit), DB_P_INT(in->memlimit),
			DB_P_BYTES(auth, 32),
			DB_P_BYTES(in->enc_pk_len ? in->enc_pk : NULL, 32),
			DB_P_BYTES(in->sign_pk_len ? in->sign_pk : NULL, 32),
			DB_P_BYTES(en ? esk_sealed : NULL, en),
			DB_P_BYTES(totp_sealed, tn),
		};
		if ((res = db_exec(DB_ENROLMENT_PUT, 9, p, st)) == NULL)
			goto out;
	}
	rc = 0;
out:
	PQclear(res);
	sodium_memzero(secret, sizeof(secret));
	sodium_memzero(auth, sizeof(auth));
	return rc;
}

int
enrol_start(struct http_request *req)
{
	struct enrol_in	 in;
	unsigned char	 hash[32];
	char		 uri[TOTP_URI_MAX], email[255], role[16];
	const char	*code, *field;
	cJSON		*root, *out;
	PGresult	*res;
	enum db_status	 st = DB_OK;
	int		 rc;

	memset(&in, 0, sizeof(in));
	root = json_in_parse(req->body, req->body_len, enrol_fields, 8, &in,
	    &code, &field);
	if (root == NULL)
		return http_send_error(req, 400, code, field);
	cJSON_Delete(root);
	if ((res = enrol_invite(in.token, hash, &st)) == NULL) {
		rc = http_send_error(req, 503, "unavailable", NULL);
		goto out;
	}
	if (PQntuples(res) != 1) {
		PQclear(res);
		rc = http_send_error(req, 401, "unauthorized", NULL);
		goto out;
	}
	snprintf(email, sizeof(email), "%s", db_get_text(res, 0, 1));
	snprintf(role, sizeof(role), "%s", db_get_text(res, 0, 3));
	PQclear(res);
	if ((field = enrol_check_keys(&in, role, hash, &st)) != NULL) {
		rc = st != DB_OK ? http_send_error(req, 503, "unavailable", NULL) :
		    http_send_error(req, 400, "invalid_field", field);
		goto out;
	}
	if (enrol_store(&in, hash, email, uri, sizeof(uri), &st) == -1) {
		rc = st == DB_UNIQUE ? http_send_error(req, 400, "invalid_field",
		    "encryption_public_key") :
		    http_send_error(req, 503, "unavailable", NULL);
		goto out;
	}
	if ((out = cJSON_CreateObject()) == NULL ||
	    json_add_str(out, "totp_uri", uri) == -1) {
		cJSON_Delete(out);
		rc = -1;
	} else
		rc = http_send_cjson(req, 200, out);
	sodium_memzero(uri, sizeof(uri));
out:
	sodium_memzero(&in, sizeof(in));
	return rc;
}

/* --- POST /api/v1/enrol/confirm ------------------------------------------------ */

struct enrol_confirm_in {
	unsigned char	token[32];
	char		totp[7];
};

static const struct json_field enrol_confirm_fields[] = {
	JSON_F_KEY("invite_token", 1, 32, struct enrol_confirm_in, token),
	JSON_F_TEXT("totp", 1, 6, 6, struct enrol_confirm_in, totp),
};

/* The step of code under the enrolment's pending secret; 0 none, -1 no invite. */
static long long
enrol_pending_step(const unsigned char hash[32], const char *code,
    enum db_status *st)
{
	struct db_param		 p[1] = { DB_P_BYTES(hash, 32) };
	unsigned char		 secret[128];
	const unsigned char	*v;
	size_t			 n, slen = 0;
	PGresult		*res;
	long long		 step = -1;

	if ((res = db_exec(DB_ENROLMENT_TOTP, 1, p, st)) == NULL)
		return -1;
	if (PQntuples(res) == 1) {
		v = db_get_bytes(res, 0, 0, &n);
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

int
enrol_confirm(struct http_request *req)
{
	struct enrol_confirm_in	 in;
	unsigned char		 hash[32];
	char			 id[37];
	const char		*code, *field;
	cJSON			*root;
	PGresult		*res = NULL;
	enum db_status		 st = DB_OK;
	long long		 step;

	root = json_in_parse(req->body, req->body_len, enrol_confirm_fields, 2,
	    &in, &code, &field);
	if (root == NULL)
		return http_send_error(req, 400, code, field);
	cJSON_Delete(root);
	if (seal_token_hash(hash, in.token, app.secrets->server_key) != 0)
		return -1;
	step = enrol_pending_step(hash, in.totp, &st);
	sodium_memzero(&in, sizeof(in));
	if (st != DB_OK)
		return http_send_error(req, 503, "unavailable", NULL);
	if (step == -1)
		return http_send_error(req, 401, "unauthorized", NULL);
	if (step == 0)
		return http_send_error(req, 400, "invalid_field", "totp");
	if (db_begin(&st) == -1)
		return http_send_error(req, 503, "unavailable", NULL);
	{
		struct db_param p[2] = { DB_P_BYTES(hash, 32), DB_P_INT(step) };
		if ((res = db_exec(DB_ENROL_CONFIRM, 2, p, &st)) == NULL ||
		    PQntuples(res) != 1 || db_is_null(res, 0, 0))
			goto fail;
	}
	snprintf(id, sizeof(id), "%s", db_get_text(res, 0, 0));
	PQclear(res);
	res = NULL;
	if (audit_commit("enrol", id, NULL, &st) == -1)
		goto fail;
	return http_send_empty(req, 204, NULL);
fail:
	PQclear(res);
	db_rollback();
	if (st == DB_OK || st == DB_CONSTRAINT)
		return http_send_error(req, 401, "unauthorized", NULL);
	return http_send_error(req, 503, "unavailable", NULL);
}
