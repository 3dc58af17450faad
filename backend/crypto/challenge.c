/*
 * challenge.c - self-authenticating challenges.
 */
#include <string.h>

#include <sodium.h>

#include "challenge.h"
#include "sizes.h"

/* The layout: random bytes, expiry (4, big-endian), difficulty, kind, tag. */
#define CHALLENGE_AT_EXPIRY	16
#define CHALLENGE_AT_D		(CHALLENGE_AT_EXPIRY + 4)
#define CHALLENGE_AT_KIND	(CHALLENGE_AT_D + 1)
#define CHALLENGE_BODY		(CHALLENGE_AT_KIND + 1)
#define CHALLENGE_TAG		(CHALLENGE_BYTES - CHALLENGE_BODY)

/* The tag over body; -1 (tag zeroed) if libsodium fails. */
static int
challenge_tag(unsigned char tag[CHALLENGE_TAG], const unsigned char *body,
    const unsigned char server_key[KEY_BYTES])
{
	unsigned char	key[KEY_BYTES], full[crypto_generichash_BYTES_MIN];
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
    const unsigned char server_key[KEY_BYTES], enum challenge_kind kind,
    unsigned int d, uint32_t expires)
{
	unsigned char	*e = out + CHALLENGE_AT_EXPIRY;

	randombytes_buf(out, CHALLENGE_AT_EXPIRY);
	e[0] = (unsigned char)(expires >> 24);
	e[1] = (unsigned char)(expires >> 16);
	e[2] = (unsigned char)(expires >> 8);
	e[3] = (unsigned char)expires;
	out[CHALLENGE_AT_D] = (unsigned char)d;
	out[CHALLENGE_AT_KIND] = (unsigned char)kind;
	return challenge_tag(out + CHALLENGE_BODY, out, server_key);
}

int
challenge_check(const unsigned char c[CHALLENGE_BYTES],
    const unsigned char server_key[KEY_BYTES], enum challenge_kind kind,
    uint32_t now, unsigned int *d, uint32_t *expires)
{
	const unsigned char	*e = c + CHALLENGE_AT_EXPIRY;
	unsigned char		 tag[CHALLENGE_TAG];
	uint32_t		 exp;
	int			 ok;

	if (challenge_tag(tag, c, server_key) == -1)
		return -1;
	ok = sodium_memcmp(tag, c + CHALLENGE_BODY, CHALLENGE_TAG) == 0;
	exp = (uint32_t)e[0] << 24 | (uint32_t)e[1] << 16 |
	    (uint32_t)e[2] << 8 | (uint32_t)e[3];
	if (!ok || c[CHALLENGE_AT_KIND] != (unsigned char)kind || exp < now)
		return -1;
	*d = c[CHALLENGE_AT_D];
	*expires = exp;
	return 0;
}
