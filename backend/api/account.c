/*
 * account.c - login, logout and account security: the bodies, the
 * client's address and the answers. The throttles come before any work
 * on a secret (desk/login.c).
 */
#include <stddef.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "account.h"
#include "account_settings.h"
#include "answer.h"
#include "client.h"
#include "http.h"
#include "json_in.h"
#include "login.h"
#include "notify_settings.h"
#include "session.h"
#include "sessions.h"

#define ACCOUNT_ADDR_SIZE	128	/* a client address as text */

/* --- the bodies ----------------------------------------------------------- */

static const struct json_field account_prelogin_fields[] = {
	JSON_F_TEXT("email", 1, LOGIN_EMAIL_MIN, LOGIN_EMAIL_MAX,
	    struct login_prelogin_in, email),
};

const struct json_schema account_prelogin_in =
    JSON_SCHEMA(struct login_prelogin_in, account_prelogin_fields);

static const struct json_field account_login_fields[] = {
	JSON_F_TEXT("email", 1, LOGIN_EMAIL_MIN, LOGIN_EMAIL_MAX,
	    struct login_in, email),
	JSON_F_KEY("auth_key", 1, KEY_BYTES, struct login_in, auth_key),
	JSON_F_TEXT("totp", 1, TOTP_DIGITS, TOTP_DIGITS, struct login_in, totp),
};

const struct json_schema account_login_in =
    JSON_SCHEMA(struct login_in, account_login_fields);

static const struct json_field account_passphrase_fields[] = {
	JSON_F_KEY("auth_key", 1, KEY_BYTES, struct settings_passphrase_in,
	    auth_key),
	JSON_F_TEXT("totp", 1, TOTP_DIGITS, TOTP_DIGITS,
	    struct settings_passphrase_in, totp),
	JSON_F_KEY("salt", 1, SALT_BYTES, struct settings_passphrase_in, salt),
	JSON_F_INT("opslimit", 1, SETTINGS_MIN_OPS, SETTINGS_MAX_OPS,
	    struct settings_passphrase_in, opslimit),
	JSON_F_INT("memlimit", 1, SETTINGS_MIN_MEM, SETTINGS_MAX_MEM,
	    struct settings_passphrase_in, memlimit),
	JSON_F_KEY("new_auth_key", 1, KEY_BYTES, struct settings_passphrase_in,
	    new_auth_key),
	JSON_F_B64("encrypted_secret_key", 0, ESK_BYTES, ESK_BYTES,
	    struct settings_passphrase_in, esk, esk_len),
};

const struct json_schema account_passphrase_in =
    JSON_SCHEMA(struct settings_passphrase_in, account_passphrase_fields);

static const struct json_field account_totp_fields[] = {
	JSON_F_KEY("auth_key", 1, KEY_BYTES, struct settings_totp_in, auth_key),
	JSON_F_TEXT("totp", 1, TOTP_DIGITS, TOTP_DIGITS,
	    struct settings_totp_in, totp),
};

const struct json_schema account_totp_in =
    JSON_SCHEMA(struct settings_totp_in, account_totp_fields);

static const struct json_field account_totp_confirm_fields[] = {
	JSON_F_TEXT("totp", 1, TOTP_DIGITS, TOTP_DIGITS,
	    struct settings_totp_confirm_in, totp),
};

const struct json_schema account_totp_confirm_in =
    JSON_SCHEMA(struct settings_totp_confirm_in, account_totp_confirm_fields);

/* --- answers -------------------------------------------------------------- */

/* r's answer; over a login bound, 429 with the seconds to wait. */
static int
account_refuse(struct http_request *req, enum desk_result r,
    unsigned int wait)
{
	if (r == DESK_LOGIN_LIMITED)
		return http_send_rate_limited(req, wait);
	return answer_error(req, r);
}

/* --- POST /api/v1/adviser/prelogin ---------------------------------------- */

int
account_prelogin(struct http_request *req)
{
	const struct login_prelogin_in	*in = req->in;
	enum desk_result		 r;
	cJSON				*out;

	if ((r = login_prelogin(in->email, &out)) != DESK_OK)
		return answer_error(req, r);
	return http_send_cjson(req, 200, out);
}

/* --- POST /api/v1/adviser/session ----------------------------------------- */

int
account_login(struct http_request *req)
{
	const struct login_in	*in = req->in;
	char			 addr[ACCOUNT_ADDR_SIZE];
	unsigned int		 wait = 0;
	enum desk_result	 r;
	cJSON			*out = NULL;

	if (client_address(req, addr, sizeof(addr)) == -1)
		return -1;
	r = login_staff(in, addr, &wait, &out);
	sodium_memzero(addr, sizeof(addr));
	if (r != DESK_OK)
		return account_refuse(req, r, wait);
	return http_send_cjson(req, 200, out);
}

/* --- DELETE /api/v1/adviser/session --------------------------------------- */

int
account_logout(struct http_request *req)
{
	static const struct http_header clear[] = {
		{ "Clear-Site-Data", "\"*\"" },
		{ NULL, NULL }
	};
	struct session_account	 s;
	enum desk_result	 r;

	if (session_account(req, ~0, &s) == -1)
		return 0;
	if ((r = sessions_logout(&s)) != DESK_OK)
		return answer_error(req, r);
	return http_send_empty(req, 204, clear);
}

/* --- account-security changes --------------------------------------------- */

/*
 * Re-check auth_key and TOTP for the session's own account, counted per
 * client as a login is (login_recheck); *wait for DESK_LOGIN_LIMITED.
 */
static enum desk_result
account_recheck(struct http_request *req, const struct session_account *s,
    const unsigned char auth_key[KEY_BYTES], const char *totp,
    unsigned int *wait)
{
	char			 addr[ACCOUNT_ADDR_SIZE];
	enum desk_result	 r;

	if (client_address(req, addr, sizeof(addr)) == -1)
		return DESK_UNAVAILABLE;
	r = login_recheck(s, addr, auth_key, totp, wait);
	sodium_memzero(addr, sizeof(addr));
	return r;
}

/* --- PUT /api/v1/adviser/passphrase --------------------------------------- */

int
account_passphrase(struct http_request *req)
{
	const struct settings_passphrase_in	*in = req->in;
	struct session_account			 s;
	unsigned int				 wait = 0;
	enum desk_result			 r;

	if (session_account(req, ~0, &s) == -1)
		return 0;
	r = account_recheck(req, &s, in->auth_key, in->totp, &wait);
	if (r != DESK_OK)
		return account_refuse(req, r, wait);
	return answer_empty(req, settings_passphrase(&s, in));
}

/* --- PUT /api/v1/adviser/totp --------------------------------------------- */

int
account_totp(struct http_request *req)
{
	const struct settings_totp_in	*in = req->in;
	struct session_account		 s;
	unsigned int			 wait = 0;
	enum desk_result		 r;
	cJSON				*out;

	if (session_account(req, ~0, &s) == -1)
		return 0;
	r = account_recheck(req, &s, in->auth_key, in->totp, &wait);
	if (r != DESK_OK)
		return account_refuse(req, r, wait);
	if ((r = settings_totp_new(&s, &out)) != DESK_OK)
		return answer_error(req, r);
	return http_send_cjson(req, 200, out);
}

/* --- POST /api/v1/adviser/totp/confirm ------------------------------------ */

int
account_totp_confirm(struct http_request *req)
{
	const struct settings_totp_confirm_in	*in = req->in;
	struct session_account			 s;

	if (session_account(req, ~0, &s) == -1)
		return 0;
	return answer_empty(req, settings_totp_confirm(&s, in->totp));
}

/* --- GET|PUT /api/v1/adviser/notifications -------------------------------- */

static const struct json_field account_notifications_fields[] = {
	JSON_F_TEXT("language", 1, NOTIFY_LANGUAGE_LEN, NOTIFY_LANGUAGE_LEN,
	    struct notify_settings_in, language),
	JSON_F_TEXT("assigned", 1, 1, NOTIFY_MODE_MAX,
	    struct notify_settings_in, assigned),
	JSON_F_TEXT("message", 1, 1, NOTIFY_MODE_MAX,
	    struct notify_settings_in, message),
	JSON_F_TEXT("deadline", 1, 1, NOTIFY_MODE_MAX,
	    struct notify_settings_in, deadline),
	JSON_F_TEXT("overdue", 1, 1, NOTIFY_MODE_MAX,
	    struct notify_settings_in, overdue),
};

const struct json_schema account_notifications_in =
    JSON_SCHEMA(struct notify_settings_in, account_notifications_fields);

int
account_notifications_get(struct http_request *req)
{
	struct session_account	 s;
	enum desk_result	 r;
	cJSON			*out;

	if (session_account(req, SESSION_ROLE_CASEWORK, &s) == -1)
		return 0;
	if ((r = notify_settings_get(&s, &out)) != DESK_OK)
		return answer_error(req, r);
	return http_send_cjson(req, 200, out);
}

int
account_notifications_put(struct http_request *req)
{
	struct session_account	 s;

	if (session_account(req, SESSION_ROLE_CASEWORK, &s) == -1)
		return 0;
	return answer_empty(req, notify_settings_put(&s, req->in));
}
