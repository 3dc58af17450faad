/*
 * challenge.h - single-use challenges that any instance can check.
 *
 * A challenge is CHALLENGE_BYTES: 16 random, a 4-byte expiry (Unix seconds,
 * big-endian), the difficulty, the kind, and a 10-byte keyed BLAKE2b tag
 * over the rest under a key derived from server_key. Issuing one needs no
 * database write, so a flood of challenge requests cannot fill the database;
 * single use is enforced when one is spent, by recording it in the
 * challenges table in the spending transaction (docs/spec-deviations.md).
 * Pure: no server, no database.
 */
#ifndef MELDPUNT_CHALLENGE_H
#define MELDPUNT_CHALLENGE_H

#include <stdint.h>

#include "sizes.h"

#define CHALLENGE_POW_TTL	600	/* seconds to do the work and send */

enum challenge_kind {
	CHALLENGE_POW = 1,	/* proof of work before a report */
	CHALLENGE_REPORTER = 2	/* reporter login signature */
};

/*
 * challenge_make: fill out with a fresh challenge of kind and difficulty d
 * that expires at expires (Unix seconds). 0, or -1
 * if libsodium failed (out is then unusable).
 */
int	challenge_make(unsigned char out[CHALLENGE_BYTES],
	    const unsigned char server_key[KEY_BYTES],
	    enum challenge_kind kind, unsigned int d, uint32_t expires);

/*
 * challenge_check: 0 if c was made by us for kind and has not expired at
 * now, with its difficulty in *d and expiry in *expires; -1 otherwise (the
 * tag is compared in constant time).
 */
int	challenge_check(const unsigned char c[CHALLENGE_BYTES],
	    const unsigned char server_key[KEY_BYTES],
	    enum challenge_kind kind, uint32_t now, unsigned int *d, uint32_t *expires);

#endif
