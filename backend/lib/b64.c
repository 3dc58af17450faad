/*
 * b64.c - strict decoding of base64url without padding.
 *
 * libsodium's decoder (1.0.18) reads every byte above 0x7f as some digit,
 * so b64_decode refuses those first, without branching on the text.
 *
 * OpenSSL decodes the standard alphabet with padding and accepts some
 * texts libsodium refuses (whitespace at the ends, padding inside, bits
 * set after the last byte). So the text is first checked against the
 * base64url alphabet, its length and its last character's unused bits,
 * which leaves exactly one accepted text per byte string; only then is it
 * turned into the standard alphabet with its padding and decoded.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <sodium.h>

#include "b64.h"

static const char b64url_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int
b64_decode(unsigned char *out, size_t cap, const char *text, size_t n,
    size_t *got)
{
	const unsigned char	*p = (const unsigned char *)text;
	const char		*end = NULL;
	unsigned int		 high = 0;
	size_t			 i;

	for (i = 0; i < n; i++)
		high |= p[i];
	if ((high & 0x80) != 0 || sodium_base642bin(out, cap, text, n, NULL, got,
	    &end, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    end != text + n)
		return -1;
	return 0;
}

/* The standard-alphabet text of base64url text (n characters), padded. */
static void
b64_to_standard(char *std, const char *text, size_t n, size_t padded)
{
	size_t i;

	for (i = 0; i < n; i++)
		std[i] = text[i] == '-' ? '+' : text[i] == '_' ? '/' : text[i];
	memset(std + n, '=', padded - n);
	std[padded] = '\0';
}

/* 1 if the bits of the last character that no byte uses are zero. */
static int
b64_tail_clean(const char *text, size_t n)
{
	static const unsigned int	 unused[4] = { 0, 0, 0x0f, 0x03 };
	const char			*last;

	if (n % 4 == 0)
		return 1;
	last = strchr(b64url_alphabet, text[n - 1]);
	return ((unsigned int)(last - b64url_alphabet) & unused[n % 4]) == 0;
}

unsigned char *
b64_public_decode(const char *text, size_t *len)
{
	size_t		 n = strspn(text, b64url_alphabet), padded;
	char		*std;
	unsigned char	*out = NULL;

	if (text[n] != '\0' || n % 4 == 1 || n > INT_MAX - 3 ||
	    !b64_tail_clean(text, n))
		return NULL;
	padded = (n + 3) / 4 * 4;
	if ((std = malloc(padded + 1)) == NULL)
		return NULL;
	b64_to_standard(std, text, n, padded);
	if ((out = malloc(padded / 4 * 3 + 1)) != NULL &&
	    EVP_DecodeBlock(out, (const unsigned char *)std, (int)padded) !=
	    (int)(padded / 4 * 3)) {
		free(out);
		out = NULL;
	}
	free(std);
	if (out != NULL)
		*len = n / 4 * 3 + (n % 4 == 0 ? 0 : n % 4 - 1);
	return out;
}
