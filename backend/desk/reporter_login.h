/*
 * reporter_login.h - the reporter's login with the receipt-derived key
 * (SPEC 3.5): a challenge, signed and sent back with the lookup id, opens
 * a session on the case.
 *
 * Login failures are counted per client (a keyed hash of the address,
 * shared by every instance: counters.h). Past the configured bound in 15
 * minutes the client is refused before any work, at the login and at the
 * challenge alike. Every failure counts, whatever its cause, so the answers stay
 * alike. A success resets nothing: the counter belongs to the client
 * address, which others may share (a NAT, a proxy), and a reporter -- or
 * an attacker with a receipt of their own -- must not be able to wipe it
 * by logging in.
 */
#ifndef MELDPUNT_REPORTER_LOGIN_H
#define MELDPUNT_REPORTER_LOGIN_H

#include <stddef.h>

#include "clientkey.h"
#include "result.h"
#include "sizes.h"

#define REPORTER_CHALLENGE_TTL	120
#define REPORTER_FAIL_WINDOW	900	/* login failures per client: 15 min */

/* POST /api/v1/reporter/challenge's input. */
struct reporter_challenge_in {
	unsigned char	lookup_id[HASH_BYTES];
};

/* POST /api/v1/reporter/session's input. */
struct reporter_login_in {
	unsigned char	lookup_id[HASH_BYTES];
	unsigned char	challenge[CHALLENGE_BYTES];
	unsigned char	signature[SIGNATURE_BYTES];
};

/*
 * reporter_login_limited: the failure key of the client at addr into key,
 * and whether the client is over the bound. DESK_OK; DESK_LOGIN_LIMITED
 * with *wait seconds (key wiped); or DESK_UNAVAILABLE.
 */
enum desk_result reporter_login_limited(const char *addr,
	    unsigned char key[CLIENTKEY_BYTES], unsigned int *wait);

/*
 * reporter_login_challenge: a fresh login challenge into c, the same for
 * every lookup id, known or not. DESK_OK or DESK_UNAVAILABLE.
 */
enum desk_result reporter_login_challenge(unsigned char c[CHALLENGE_BYTES]);

/*
 * reporter_login_run: check in's challenge, case and signature (an unknown
 * lookup id costs the same work) and open a session: its token's text
 * into token (tokensz >= TOKEN_B64_LEN + 1). DESK_OK; DESK_UNAUTHORIZED,
 * counted against key; or DESK_UNAVAILABLE.
 */
enum desk_result reporter_login_run(const struct reporter_login_in *in,
	    const unsigned char key[CLIENTKEY_BYTES], char *token,
	    size_t tokensz);

#endif
