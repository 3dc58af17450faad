/*
 * ids.h - the desk's ids and the one rule for each (SPEC section 0).
 *
 *	case, message and attachment ids: ID_BYTES random bytes, shown as
 *	    canonical base64url without padding (ID_B64_LEN characters);
 *	account ids: UUIDs as PostgreSQL writes them, lowercase 8-4-4-4-12;
 *	organisation, topic and vocabulary ids: slugs [a-z][a-z0-9_-]*, at
 *	    most SLUG_MAX bytes (a field may allow fewer).
 *
 * Every check of an id in the backend goes through here, and
 * frontend/src/lib/meldcrypto.js applies the same rules. Pure.
 */
#ifndef MELDPUNT_IDS_H
#define MELDPUNT_IDS_H

#include <stddef.h>

#include "sizes.h"

/* ids_uuid_valid: 1 if s is a lowercase UUID. */
int	ids_uuid_valid(const char *s);

/* ids_slug_valid: 1 if s is a slug of at most max (<= SLUG_MAX) bytes. */
int	ids_slug_valid(const char *s, size_t max);

/*
 * ids_decode: s as an id: exactly ID_B64_LEN characters of canonical
 * base64url (no padding, no other alphabet, zero trailing bits). 0 and id
 * filled, or -1.
 */
int	ids_decode(const char *s, unsigned char id[ID_BYTES]);

/* ids_encode: the id's text into out (ID_B64_SIZE bytes, NUL-terminated). */
void	ids_encode(const unsigned char id[ID_BYTES], char out[ID_B64_SIZE]);

#endif
