/*
 * pow.h - proof of work (SPEC 3.9). Pure: no server, no database.
 */
#ifndef MELDPUNT_POW_H
#define MELDPUNT_POW_H

#include <stddef.h>

#include "sizes.h"

#define POW_MAX_DIFFICULTY	64

/*
 * pow_valid: 1 if h = BLAKE2b-256(challenge || nonce) has its first d bits
 * zero, bit i being (h[i >> 3] >> (7 - (i & 7))) & 1; else 0.
 */
int	pow_valid(const unsigned char challenge[CHALLENGE_BYTES],
	    const unsigned char nonce[POW_NONCE_BYTES], unsigned int d);

/*
 * pow_difficulty: the difficulty for new challenges given the base d, the
 * submissions of the last hour and the configured hourly ceiling: d + 1 per
 * doubling of the rate past the ceiling, at most d + 6.
 */
unsigned int pow_difficulty(unsigned int base, long long last_hour,
	    long long ceiling);

#endif
