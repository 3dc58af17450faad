/*
 * b64.h - strict decoding of base64url without padding (SPEC section 0):
 * only the base64url alphabet, no padding, no whitespace, and exactly one
 * accepted text per byte string.
 *
 * Two decoders. b64_decode runs in constant time, which secrets need
 * (tokens, keys). Ciphertexts do not, and on a 5.5 KiB report the
 * constant-time decoder cost more CPU than anything else the daemon does
 * per submission: b64_public_decode uses OpenSSL's decoder instead.
 */
#ifndef MELDPUNT_B64_H
#define MELDPUNT_B64_H

#include <stddef.h>

/*
 * b64_decode: decode the n characters of text into out (cap bytes), *got
 * set to the number of bytes. 0, or -1 if text is not strict base64url or
 * decodes to more than cap bytes. Constant time in the text's content.
 */
int		 b64_decode(unsigned char *out, size_t cap, const char *text,
		    size_t n, size_t *got);

/*
 * b64_public_decode: decode text, a string that must be strict base64url
 * without padding, into a new buffer (free() it) of *len bytes. NULL if
 * text is not such base64url, or on allocation failure. Not constant
 * time: only for bytes that are not secret.
 */
unsigned char	*b64_public_decode(const char *text, size_t *len);

#endif
