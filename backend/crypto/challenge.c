/*
 * challenge.c - self-authenticating challenges.
 */
#include <string.h>

#include <sodium.h>

#include "challenge.h"

#define CHALLENGE_BODY	22	/* random 16, expiry 4, difficulty 1, kind 1 */
#define CHALLENGE_TAG	(CHALLENGE_BYTES - CHALLENGE_BODY)

/* The tag over body; -1 (tag zeroed) if libsodium fails. */
static int
challenge_tag(unsigned char tag[CHALLENGE_TAG], const unsigned char *body,
    const unsigned char server_key[32])
{
	unsigned char	key[32], full[16];
	int		rc = -1;

	if (crypto_kdf_derive_from_key(key, sizeof(key), 1, "meldchal",
	    server_key) == 0 && crypto_generichash(full, sizeof(full), body,
	    CHALLENGE_BODY, key, sizeof(key)) == 0) {
		memcpy(tag, full, CHALLENGE_TAG);
		rc = 0;
	} else
		sodium_memzero(tag, CHALLENGE_TAG);
	sodium_memzero(key, sizeof(key));
	sodium_memzero(full, sizeof(full));
	return rc;
}

int
challenge_make(unsigned char out[CHALLENGE_BYTES],
    const unsigned char server_key[32], enum challenge_kind kind,
    unsigned int d, uint32_t expires)
{
	randombytes_buf(out, 16);
	out[16] = (unsigned char)(expires >> 24);
	out[17] = (unsigned char)(expires >> 16);
	out[18] = (unsigned char)(expires >> 8);
	out[19] = (unsigned char)expires;
	out[20] = (unsigned char)d;
	out[21] = (unsigned char)kind;
	return challenge_tag(out + CHALLENGE_BODY, out, server_key);
}

int
challenge_check(const unsigned char c[CHALLENGE_BYTES],
    const unsigned char server_key[32], enum challenge_kind kind,
    uint32_t now, unsigned int *d, uint32_t *expires)
{
	unsigned char	tag[CHALLENGE_TAG];
	uint32_t	exp;
	int		ok;

	if (challenge_tag(tag, c, server_key) == -1)
		return -1;
	ok = sodium_memcmp(tag, c + CHALLENGE_BODY, CHALLENGE_TAG) == 0;
	exp = (uint32_t)c[16] << 24 | (uint32_t)c[17] << 16 |
	    (uint32_t)c[18] << 8 | (uint32_t)c[19];
	if (!ok || c[21] != (unsigned char)kind || exp < now)
		return -1;
	*d = c[20];
	*expires = exp;
	return 0;
}
