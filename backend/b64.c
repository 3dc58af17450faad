/*
 * b64.c - strict decoding of base64url without padding.
 *
 * libsodium's decoder (1.0.18) reads every byte above 0x7f as some digit,
 * so b64_decode refuses those first, without branching on the text.
 *
 * OpenSSL decodes the standard alphabet with padding and accepts some
 * texts libsodium refuses (whitespace at the ends, padding inside, bits
 * set after the last byte). So the text is first checked against the
 * base64url alphabet and turned into the standard one with its padding;
 * after decoding, the bytes are encoded again and must give that same
 * text, which leaves exactly one accepted text per byte string.
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

unsigned char *
b64_public_decode(const char *text, size_t *len)
{
	size_t		 n = strspn(text, b64url_alphabet), padded, out_len;
	char		*std = NULL, *again = NULL;
	unsigned char	*out = NULL;
	int		 ok = 0;

	if (text[n] != '\0' || n % 4 == 1 || n > INT_MAX - 3)
		return NULL;
	padded = (n + 3) / 4 * 4;
	out_len = n / 4 * 3 + (n % 4 == 0 ? 0 : n % 4 - 1);
	if ((std = malloc(padded + 1)) == NULL ||
	    (again = malloc(padded + 1)) == NULL ||
	    (out = malloc(padded / 4 * 3 + 1)) == NULL)
		goto done;
	b64_to_standard(std, text, n, padded);
	ok = EVP_DecodeBlock(out, (const unsigned char *)std, (int)padded) ==
	    (int)(padded / 4 * 3) &&
	    EVP_EncodeBlock((unsigned char *)again, out, (int)out_len) ==
	    (int)padded &&
	    memcmp(again, std, padded) == 0;
done:
	free(std);
	free(again);
	if (!ok) {
		free(out);
		return NULL;
	}
	*len = out_len;
	return out;
}
