/*
 * sessions.c - tokens, and the sessions of reporters and accounts in the
 * database: opened at login, checked (and kept alive) on every request,
 * ended at logout or when the account's secrets change.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "app.h"
#include "audit.h"
#include "db.h"
#include "ids.h"
#include "json_in.h"
#include "seal.h"
#include "secrets.h"
#include "sessions.h"

int
sessions_token_new(char *text, size_t textsz, unsigned char hash[HASH_BYTES])
{
	unsigned char	token[TOKEN_BYTES];
	int		rc;

	if (textsz < sodium_base64_ENCODED_LEN(sizeof(token),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING))
		return -1;
	randombytes_buf(token, sizeof(token));
	sodium_bin2base64(text, textsz, token, sizeof(token),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	rc = seal_token_hash(hash, token, app.secrets->server_key);
	sodium_memzero(token, sizeof(token));
	if (rc != 0)
		sodium_memzero(text, textsz);
	return rc == 0 ? 0 : -1;
}

int
sessions_token_hash(const char *text, unsigned char hash[HASH_BYTES])
{
	unsigned char	token[TOKEN_BYTES];
	int		rc;

	if (json_in_b64(text, token, sizeof(token)) == -1)
		return -1;
	rc = seal_token_hash(hash, token, app.secrets->server_key);
	sodium_memzero(token, sizeof(token));
	return rc == 0 ? 0 : -1;
}

enum desk_result
sessions_reporter(const unsigned char hash[HASH_BYTES],
    struct session_reporter *out)
{
	struct db_param		 p[2] = {
		DB_P_BYTES(hash, HASH_BYTES), DB_P_INT(SESSION_REPORTER_IDLE)
	};
	const unsigned char	*v;
	PGresult		*res;
	size_t			 n, m;
	enum db_status		 st;

	if ((res = db_exec(DB_REPORTER_SESSION, 2, p, &st)) == NULL)
		return desk_result_db(st);
	if (PQntuples(res) != 1) {
		PQclear(res);
		return DESK_UNAUTHORIZED;
	}
	v = db_get_bytes(res, 0, REPORTER_SESSION_CASE, &n);
	memcpy(out->case_id, v, n < ID_BYTES ? n : ID_BYTES);
	v = db_get_bytes(res, 0, REPORTER_SESSION_SIGN_PK, &m);
	memcpy(out->sign_pk, v, m < SIGN_PK_BYTES ? m : SIGN_PK_BYTES);
	PQclear(res);
	if (n != ID_BYTES || m != SIGN_PK_BYTES)
		return DESK_UNAVAILABLE;
	ids_encode(out->case_id, out->case_b64);
	return DESK_OK;
}

enum desk_result
sessions_reporter_new(const unsigned char challenge[CHALLENGE_BYTES],
    uint32_t expires, const unsigned char hash[HASH_BYTES],
    const unsigned char case_id[ID_BYTES])
{
	char		 exp[sizeof("4294967295")];
	struct db_param	 p[5] = {
		DB_P_BYTES(challenge, CHALLENGE_BYTES), DB_P_TEXT(exp),
		DB_P_BYTES(hash, HASH_BYTES), DB_P_BYTES(case_id, ID_BYTES),
		DB_P_INT(SESSION_REPORTER_MAX),
	};
	PGresult	*res;
	enum db_status	 st;
	int		 n;

	snprintf(exp, sizeof(exp), "%lu", (unsigned long)expires);
	if ((res = db_exec(DB_REPORTER_SESSION_NEW, 5, p, &st)) == NULL)
		return desk_result_db(st);
	n = PQntuples(res);
	PQclear(res);
	return n == 1 ? DESK_OK : DESK_UNAUTHORIZED;	/* 0: spent before */
}

enum desk_result
sessions_account(const unsigned char hash[HASH_BYTES],
    struct session_account *out)
{
	struct db_param	 p[2] = {
		DB_P_BYTES(hash, HASH_BYTES), DB_P_INT(SESSION_ADVISER_IDLE)
	};
	PGresult	*res;
	enum db_status	 st;
	int		 n, m;

	memset(out, 0, sizeof(*out));
	memcpy(out->token_hash, hash, sizeof(out->token_hash));
	if ((res = db_exec(DB_ACCOUNT_SESSION, 2, p, &st)) == NULL)
		return desk_result_db(st);
	if (PQntuples(res) != 1) {
		PQclear(res);
		return DESK_UNAUTHORIZED;
	}
	n = snprintf(out->id, sizeof(out->id), "%s",
	    db_get_text(res, 0, ACCOUNT_SESSION_ID));
	m = snprintf(out->role, sizeof(out->role), "%s",
	    db_get_text(res, 0, ACCOUNT_SESSION_ROLE));
	PQclear(res);
	if (n != UUID_LEN || m <= 0 || (size_t)m >= sizeof(out->role))
		return DESK_UNAVAILABLE;
	return DESK_OK;
}

int
sessions_role_bit(const char *role)
{
	static const struct {
		const char	*name;
		int		 bit;
	} roles[] = {
		{ "adviser",	 SESSION_ROLE_ADVISER },
		{ "coordinator", SESSION_ROLE_COORDINATOR },
		{ "admin",	 SESSION_ROLE_ADMIN },
		{ "analyst",	 SESSION_ROLE_ANALYST },
	};
	size_t	i;

	for (i = 0; i < nitems(roles); i++)
		if (strcmp(role, roles[i].name) == 0)
			return roles[i].bit;
	return 0;
}

int
sessions_account_new(const char *account_id, char token[TOKEN_B64_SIZE],
    enum db_status *st)
{
	unsigned char	 hash[HASH_BYTES];
	struct db_param	 p[3] = {
		DB_P_BYTES(hash, sizeof(hash)), DB_P_TEXT(account_id),
		DB_P_INT(SESSION_ADVISER_MAX),
	};
	PGresult	*res;

	*st = DB_OK;
	if (sessions_token_new(token, TOKEN_B64_SIZE, hash) == -1) {
		*st = DB_ERROR;
		return -1;
	}
	if ((res = db_exec(DB_ACCOUNT_SESSION_NEW, 3, p, st)) == NULL) {
		sodium_memzero(token, TOKEN_B64_SIZE);
		return -1;
	}
	PQclear(res);
	return 0;
}

enum desk_result
sessions_end(const unsigned char hash[HASH_BYTES])
{
	struct db_param	 p[1] = { DB_P_BYTES(hash, HASH_BYTES) };
	PGresult	*res;
	enum db_status	 st;

	if ((res = db_exec(DB_SESSION_END, 1, p, &st)) == NULL)
		return desk_result_db(st);
	PQclear(res);
	return DESK_OK;
}

enum desk_result
sessions_logout(const struct session_account *s)
{
	struct db_param	 p[1] = { DB_P_BYTES(s->token_hash, HASH_BYTES) };
	PGresult	*res;
	enum db_status	 st;

	if (db_begin(&st) == -1)
		return desk_result_db(st);
	if ((res = db_exec(DB_SESSION_END, 1, p, &st)) == NULL ||
	    audit_commit("logout", s->id, NULL, &st) == -1) {
		PQclear(res);
		db_rollback();
		return desk_result_db(st);
	}
	PQclear(res);
	return DESK_OK;
}

int
sessions_end_others(const char *account_id,
    const unsigned char keep[HASH_BYTES], enum db_status *st)
{
	struct db_param	 p[2] = {
		DB_P_TEXT(account_id), DB_P_BYTES(keep, HASH_BYTES),
	};
	PGresult	*res;

	if ((res = db_exec(DB_SESSIONS_END_OTHERS, 2, p, st)) == NULL)
		return -1;
	PQclear(res);
	return 0;
}
