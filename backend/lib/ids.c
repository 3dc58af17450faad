/*
 * ids.c - the one rule for each kind of id.
 */
#include <string.h>

#include <sodium.h>

#include "b64.h"
#include "ids.h"

static int
ids_is_lower_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

int
ids_uuid_valid(const char *s)
{
	size_t	i;

	if (s == NULL || strlen(s) != UUID_LEN)
		return 0;
	for (i = 0; i < UUID_LEN; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return 0;
		} else if (!ids_is_lower_hex(s[i]))
			return 0;
	}
	return 1;
}

int
ids_slug_valid(const char *s, size_t max)
{
	size_t	i, n;

	if (s == NULL || max > SLUG_MAX)
		return 0;
	n = strlen(s);
	if (n == 0 || n > max || s[0] < 'a' || s[0] > 'z')
		return 0;
	for (i = 1; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '-'))
			return 0;
	return 1;
}

int
ids_decode(const char *s, unsigned char id[ID_BYTES])
{
	size_t	got;

	if (s == NULL || strlen(s) != ID_B64_LEN)
		return -1;
	if (b64_decode(id, ID_BYTES, s, ID_B64_LEN, &got) != 0 ||
	    got != ID_BYTES) {
		sodium_memzero(id, ID_BYTES);
		return -1;
	}
	return 0;
}

void
ids_encode(const unsigned char id[ID_BYTES], char out[ID_B64_SIZE])
{
	sodium_bin2base64(out, ID_B64_SIZE, id, ID_BYTES,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}
