/*
 * seal_parts.h - what the files of seal share and no one else: the parts
 * a signed message is assembled from, and the checks on the strings that
 * go into one (ids themselves are checked by ids.h).
 */
#ifndef MELDPUNT_SEAL_PARTS_H
#define MELDPUNT_SEAL_PARTS_H

#include <stddef.h>
#include <string.h>

#include <sodium.h>

#include "sizes.h"

#define SEAL_B64_VARIANT	sodium_base64_VARIANT_URLSAFE_NO_PADDING

/* One piece of a message to sign or verify. */
struct part {
	const void	*p;
	size_t		 len;
};

#define TEXT(s)		{ (s), strlen(s) }

/* seal_is_case_id: 1 if s is a case id as ids_decode reads one. */
int	seal_is_case_id(const char *s);

/* seal_is_author: 1 if s is "reporter" or "adviser:<uuid>". */
int	seal_is_author(const char *s);

/*
 * seal_is_date: 1 if s is YYYY-MM-DD naming a real day of the proleptic
 * Gregorian calendar, the year at least 100 (as the JS check).
 */
int	seal_is_date(const char *s);

/*
 * seal_is_utf8: 1 if s is well-formed UTF-8 (no overlong forms, no
 * surrogates, at most U+10FFFF) of at most max UTF-16 units.
 */
int	seal_is_utf8(const char *s, size_t max);

/*
 * seal_join: the parts concatenated into a malloc'd buffer of exactly *len
 * bytes (free()), or NULL on overflow or out of memory.
 */
unsigned char *seal_join(const struct part *v, size_t n, size_t *len);

/* seal_verify_parts: 0 iff sig is pk's signature over the joined parts. */
int	seal_verify_parts(const struct part *v, size_t n,
	    const unsigned char sig[SIGNATURE_BYTES],
	    const unsigned char pk[SIGN_PK_BYTES]);

/* seal_sign_parts: sign the joined parts with sk. 0, or -1 (sig zeroed). */
int	seal_sign_parts(unsigned char sig[SIGNATURE_BYTES],
	    const struct part *v, size_t n,
	    const unsigned char sk[SIGN_SK_BYTES]);

/* seal_hash_ct: h = generichash(32, ct); ct NULL only when ctlen is 0. */
int	seal_hash_ct(unsigned char h[HASH_BYTES], const unsigned char *ct,
	    size_t ctlen);

#endif
