/*
 * sessions.h - bearer tokens and the sessions they open, of both kinds
 * (SPEC section 4). A token is TOKEN_BYTES random bytes given to the
 * client once; the database holds only its keyed hash. Sessions end when
 * idle too long, at an absolute limit, or on logout.
 */
#ifndef MELDPUNT_SESSIONS_H
#define MELDPUNT_SESSIONS_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "result.h"
#include "session_types.h"
#include "sizes.h"

/*
 * sessions_token_new: a fresh token, its base64url text into text
 * (textsz >= TOKEN_B64_LEN + 1), and the hash to store into hash. The
 * caller hands text out once and forgets it. 0, or -1.
 */
int	sessions_token_new(char *text, size_t textsz,
	    unsigned char hash[HASH_BYTES]);

/*
 * sessions_token_hash: the stored hash of a token given as base64url text
 * (a bearer token). 0, or -1 when the text is no token.
 */
int	sessions_token_hash(const char *text, unsigned char hash[HASH_BYTES]);

/*
 * sessions_reporter: the reporter session of a token hash, refreshing its
 * idle timer. DESK_OK and *out filled, DESK_UNAUTHORIZED for no valid
 * session, or DESK_UNAVAILABLE.
 */
enum desk_result sessions_reporter(const unsigned char hash[HASH_BYTES],
	    struct session_reporter *out);

/*
 * sessions_reporter_new: spend the reporter login challenge (valid until
 * expires, Unix time) and open a session on case_id for the token hash.
 * DESK_OK; DESK_UNAUTHORIZED when the challenge was spent before; or
 * DESK_UNAVAILABLE.
 */
enum desk_result sessions_reporter_new(
	    const unsigned char challenge[CHALLENGE_BYTES], uint32_t expires,
	    const unsigned char hash[HASH_BYTES],
	    const unsigned char case_id[ID_BYTES]);

/*
 * sessions_account: the account session of a token hash (idle 30 minutes,
 * absolute 12 hours, active account), refreshing its idle timer.
 * DESK_OK and *out filled (its token_hash too), DESK_UNAUTHORIZED, or
 * DESK_UNAVAILABLE.
 */
enum desk_result sessions_account(const unsigned char hash[HASH_BYTES],
	    struct session_account *out);

/* sessions_role_bit: the SESSION_ROLE_* bit of a role name, or 0. */
int	sessions_role_bit(const char *role);

/*
 * sessions_account_new: a new session for account_id, in the caller's
 * transaction if one is open: the token's text (TOKEN_B64_SIZE bytes) for
 * the client. 0, or -1 with *st set.
 */
int	sessions_account_new(const char *account_id, char token[TOKEN_B64_SIZE],
	    enum db_status *st);

/*
 * sessions_end: forget the session of a token hash (none: no error).
 * DESK_OK or DESK_UNAVAILABLE.
 */
enum desk_result sessions_end(const unsigned char hash[HASH_BYTES]);

/*
 * sessions_logout: end s's own session, audited. DESK_OK or
 * DESK_UNAVAILABLE.
 */
enum desk_result sessions_logout(const struct session_account *s);

/*
 * sessions_end_others: end every session of account_id but the one of
 * keep (a token hash), in the caller's transaction. 0, or -1 with *st set.
 */
int	sessions_end_others(const char *account_id,
	    const unsigned char keep[HASH_BYTES], enum db_status *st);

#endif
