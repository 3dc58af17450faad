/*
 * totp.h - RFC 6238 time-based one-time passwords over liboath (SPEC 3.7):
 * HMAC-SHA-1, 6 digits, 30-second steps, one step of skew. Pure: no
 * server, no database. Whether a step was used before is the caller's
 * business (the UPDATE ... totp_last_step < s rule).
 */
#ifndef MELDPUNT_TOTP_H
#define MELDPUNT_TOTP_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define TOTP_SECRET_BYTES	20
#define TOTP_DIGITS		6
#define TOTP_PERIOD		30
#define TOTP_URI_MAX		512

/* totp_init: initialise liboath once at start-up. 0, or -1. */
int	totp_init(void);

/* totp_step: the time step of now. */
uint64_t totp_step(time_t now);

/*
 * totp_code: the code of step for secret (len bytes) into out (7 bytes,
 * NUL-terminated). 0, or -1 (out zeroed).
 */
int	totp_code(const unsigned char *secret, size_t len, uint64_t step,
	    char out[TOTP_DIGITS + 1]);

/*
 * totp_check: compare code with the codes of the steps around now (one step
 * either way), looking at all three in constant time. Returns the highest
 * matching step (> 0) -- when two steps share the code, the later one, so
 * that spending it (totp_last_step < s) leaves no older step usable -- or
 * 0 for no match or a malformed code.
 */
uint64_t totp_check(const unsigned char *secret, size_t len, time_t now,
	    const char *code);

/*
 * totp_uri: the otpauth:// URI of secret for an authenticator app, with
 * label (an email, percent-encoded here) into out. 0, or -1 (too long;
 * out wiped). The URI holds the secret: the caller wipes it after use.
 */
int	totp_uri(char *out, size_t outsz, const unsigned char *secret,
	    size_t len, const char *label);

#endif
