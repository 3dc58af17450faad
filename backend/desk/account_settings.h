/*
 * account_settings.h - an account's own secrets (SPEC 3.7): a new
 * passphrase (new login data and re-sealed secret key) and a new TOTP
 * secret, pending until a code from it confirms it. Each change ends the
 * account's other sessions and is audited. The caller has re-checked the
 * login first (login_recheck) where the SPEC asks for it.
 */
#ifndef MELDPUNT_ACCOUNT_SETTINGS_H
#define MELDPUNT_ACCOUNT_SETTINGS_H

#include <stddef.h>

#include "login.h"
#include "result.h"
#include "session_types.h"
#include "sizes.h"

struct cJSON;

/* The passphrase hashing limits an account may choose. */
#define SETTINGS_MIN_OPS	3
#define SETTINGS_MAX_OPS	32
#define SETTINGS_MIN_MEM	(64LL << 20)
#define SETTINGS_MAX_MEM	(1LL << 30)

/* PUT /api/v1/adviser/passphrase's input. */
struct settings_passphrase_in {
	unsigned char		auth_key[KEY_BYTES];
	char			totp[LOGIN_CODE_SIZE];
	unsigned char		salt[SALT_BYTES];
	long long		opslimit, memlimit;
	unsigned char		new_auth_key[KEY_BYTES];
	unsigned char		esk[ESK_BYTES];
	size_t			esk_len;	/* 0: the account has no key */
};

/* PUT /api/v1/adviser/totp's input. */
struct settings_totp_in {
	unsigned char		auth_key[KEY_BYTES];
	char			totp[LOGIN_CODE_SIZE];
};

/* POST /api/v1/adviser/totp/confirm's input. */
struct settings_totp_confirm_in {
	char			totp[LOGIN_CODE_SIZE];
};

/*
 * settings_passphrase: store in's new login data and sealed secret key
 * for s's account, end its other sessions, audited, in one transaction.
 * DESK_OK; DESK_BAD_SECRET_KEY when an encrypted_secret_key is given for
 * an account without a key or missing for one with a key; or
 * DESK_UNAVAILABLE.
 */
enum desk_result settings_passphrase(const struct session_account *s,
	    const struct settings_passphrase_in *in);

/*
 * settings_totp_new: a fresh TOTP secret for s's account, stored pending.
 * DESK_OK and *out {"totp_uri"}, or DESK_UNAVAILABLE.
 */
enum desk_result settings_totp_new(const struct session_account *s,
	    struct cJSON **out);

/*
 * settings_totp_confirm: when code matches the pending secret of s's
 * account, make it the account's secret (the step spent), end the other
 * sessions, audited. DESK_OK, DESK_FORBIDDEN, or DESK_UNAVAILABLE.
 */
enum desk_result settings_totp_confirm(const struct session_account *s,
	    const char *code);

#endif
