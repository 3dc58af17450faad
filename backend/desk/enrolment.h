/*
 * enrolment.h - enrolment with an invite (SPEC 3.7 and section 4): the
 * browser sends only salt, Argon2id parameters, auth_key, public keys and
 * the passphrase-sealed secret key; the desk answers a TOTP secret and
 * activates the account once a code from it is shown.
 *
 * The data of an enrolment waits in the enrolments table until the TOTP
 * code is confirmed; only then does it become the account's login and
 * key, so a half-finished re-enrolment never locks anybody out.
 */
#ifndef MELDPUNT_ENROLMENT_H
#define MELDPUNT_ENROLMENT_H

#include <stddef.h>

#include "result.h"
#include "sizes.h"

struct cJSON;

/* The passphrase-sealed X25519 secret key: nonce, key, tag. */
#define ENROLMENT_ESK_BYTES	(NONCE_BYTES + KEY_BYTES + AEAD_TAG_BYTES)
/* Argon2id parameters the desk accepts. */
#define ENROLMENT_MIN_OPS	3
#define ENROLMENT_MAX_OPS	32
#define ENROLMENT_MIN_MEM	(64LL << 20)
#define ENROLMENT_MAX_MEM	(1LL << 30)

/* What POST /api/v1/enrol brings (the keys only for roles holding keys). */
struct enrolment_new {
	unsigned char	token[TOKEN_BYTES];	/* the invite */
	unsigned char	salt[SALT_BYTES];
	long long	opslimit, memlimit;
	unsigned char	auth_key[KEY_BYTES];
	unsigned char	enc_pk[BOX_PK_BYTES];
	size_t		enc_pk_len;		/* 0: absent */
	unsigned char	sign_pk[SIGN_PK_BYTES];
	size_t		sign_pk_len;
	unsigned char	esk[ENROLMENT_ESK_BYTES];
	size_t		esk_len;
};

/*
 * enrolment_info: who the invite token is for: {id, email, name, role,
 * scope} into *out (the caller's). DESK_OK, DESK_UNAUTHORIZED (no usable
 * invite) or DESK_UNAVAILABLE.
 */
enum desk_result enrolment_info(const unsigned char token[TOKEN_BYTES],
	    struct cJSON **out);

/*
 * enrolment_start: check in's keys against the invited account's role
 * (present exactly for advisers and coordinators, usable, not taken) and
 * store the pending enrolment with a new TOTP secret, whose otpauth URI
 * goes into uri (urisz bytes, TOTP_URI_MAX is enough; the caller wipes
 * it). DESK_OK; DESK_UNAUTHORIZED, DESK_ENROL_BAD_ENC_KEY,
 * DESK_ENROL_BAD_SIGN_KEY, DESK_ENROL_BAD_SECRET_KEY or DESK_UNAVAILABLE.
 */
enum desk_result enrolment_start(const struct enrolment_new *in, char *uri,
	    size_t urisz);

/*
 * enrolment_confirm: with the current code totp of the pending secret,
 * make the pending enrolment of the invite token the account's login and
 * key, audited as enrol. DESK_OK; DESK_UNAUTHORIZED (no usable invite or
 * enrolment), DESK_ENROL_BAD_TOTP or DESK_UNAVAILABLE.
 */
enum desk_result enrolment_confirm(const unsigned char token[TOKEN_BYTES],
	    const char *totp);

#endif
