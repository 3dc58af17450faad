/*
 * pow.c - checking proof of work and choosing its difficulty.
 */
#include <limits.h>

#include <sodium.h>

#include "pow.h"

int
pow_valid(const unsigned char challenge[CHALLENGE_BYTES],
    const unsigned char nonce[POW_NONCE_BYTES], unsigned int d)
{
	crypto_generichash_state	st;
	unsigned char			h[HASH_BYTES];
	unsigned int			i;

	if (d > POW_MAX_DIFFICULTY)
		return 0;
	if (crypto_generichash_init(&st, NULL, 0, sizeof(h)) != 0 ||
	    crypto_generichash_update(&st, challenge, CHALLENGE_BYTES) != 0 ||
	    crypto_generichash_update(&st, nonce, POW_NONCE_BYTES) != 0 ||
	    crypto_generichash_final(&st, h, sizeof(h)) != 0)
		return 0;
	for (i = 0; i < d; i++)
		if ((h[i >> 3] >> (7 - (i & 7))) & 1)
			return 0;
	return 1;
}

unsigned int
pow_difficulty(unsigned int base, long long last_hour, long long ceiling)
{
	unsigned int extra = 0;

	if (ceiling <= 0)
		return base;
	while (last_hour > ceiling && extra < 6 && ceiling <= LLONG_MAX / 2) {
		extra++;
		ceiling *= 2;
	}
	return base + extra;
}
