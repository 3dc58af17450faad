/*
 * seal_store.c - keyed hashes of what the server holds secret (SPEC 3.7,
 * section 4): auth keys, emails and session tokens; sealing secrets for
 * storage under server_store_key; and the lengths an attachment stream
 * can have (SPEC 3.6).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "log.h"
#include "seal.h"
#include "sizes.h"

#define TOKEN_SUBKEY_ID		1
#define TOKEN_CTX		"meldtokn"
#define EMAIL_CHUNK		64	/* bytes of an email lowercased at once */

int
seal_auth_hash(unsigned char out[HASH_BYTES],
    const unsigned char auth_key[KEY_BYTES],
    const unsigned char server_auth_key[KEY_BYTES])
{
	static const char		label[] = "meldpunt/v1/auth|";
	crypto_generichash_state	st;
	int				rc = -1;

	if (crypto_generichash_init(&st, server_auth_key, KEY_BYTES,
	    HASH_BYTES) != 0 ||
	    crypto_generichash_update(&st, (const unsigned char *)label,
	    sizeof(label) - 1) != 0 ||
	    crypto_generichash_update(&st, auth_key, KEY_BYTES) != 0 ||
	    crypto_generichash_final(&st, out, HASH_BYTES) != 0) {
		log_warnx("%s: crypto_generichash failed", __func__);
		sodium_memzero(out, HASH_BYTES);
	} else
		rc = 0;
	sodium_memzero(&st, sizeof(st));
	return rc;
}

int
seal_auth_verify(const unsigned char stored[HASH_BYTES],
    const unsigned char auth_key[KEY_BYTES],
    const unsigned char server_auth_key[KEY_BYTES])
{
	unsigned char	h[HASH_BYTES];
	int		rc = -1;

	if (seal_auth_hash(h, auth_key, server_auth_key) == 0 &&
	    sodium_memcmp(h, stored, HASH_BYTES) == 0)
		rc = 0;
	sodium_memzero(h, sizeof(h));
	return rc;
}

/*
 * out = the first outlen bytes of generichash(32, lowercase(email), key),
 * lowercasing ASCII A-Z only; hashed in chunks, so the email is never
 * copied whole.
 */
static int
seal_hash_email(unsigned char *out, size_t outlen, const char *email,
    const unsigned char key[KEY_BYTES])
{
	crypto_generichash_state	st;
	unsigned char			chunk[EMAIL_CHUNK], h[HASH_BYTES];
	size_t				n;
	int				rc = -1;

	if (email == NULL)
		goto done;
	if (crypto_generichash_init(&st, key, KEY_BYTES, sizeof(h)) != 0)
		goto fail;
	while (*email != '\0') {
		for (n = 0; n < sizeof(chunk) && email[n] != '\0'; n++) {
			unsigned char	c = (unsigned char)email[n];

			chunk[n] = (c >= 'A' && c <= 'Z') ?
			    (unsigned char)(c - 'A' + 'a') : c;
		}
		if (crypto_generichash_update(&st, chunk, n) != 0)
			goto fail;
		email += n;
	}
	if (crypto_generichash_final(&st, h, sizeof(h)) != 0)
		goto fail;
	memcpy(out, h, outlen);
	rc = 0;
	goto done;

fail:
	log_warnx("%s: crypto_generichash failed", __func__);
done:
	if (rc != 0)
		sodium_memzero(out, outlen);
	sodium_memzero(&st, sizeof(st));
	sodium_memzero(chunk, sizeof(chunk));
	sodium_memzero(h, sizeof(h));
	return rc;
}

int
seal_prelogin_salt(unsigned char out[SALT_BYTES], const char *email,
    const unsigned char prelogin_key[KEY_BYTES])
{
	return seal_hash_email(out, SALT_BYTES, email, prelogin_key);
}

int
seal_email_key(unsigned char out[HASH_BYTES], const char *email,
    const unsigned char server_key[KEY_BYTES])
{
	return seal_hash_email(out, HASH_BYTES, email, server_key);
}

int
seal_token_hash(unsigned char out[HASH_BYTES],
    const unsigned char token[KEY_BYTES],
    const unsigned char server_key[KEY_BYTES])
{
	unsigned char	subkey[KEY_BYTES];
	int		rc = -1;

	if (crypto_kdf_derive_from_key(subkey, sizeof(subkey),
	    TOKEN_SUBKEY_ID, TOKEN_CTX, server_key) != 0) {
		log_warnx("%s: crypto_kdf_derive_from_key failed", __func__);
		goto done;
	}
	if (crypto_generichash(out, HASH_BYTES, token, KEY_BYTES,
	    subkey, sizeof(subkey)) != 0) {
		log_warnx("%s: crypto_generichash failed", __func__);
		goto done;
	}
	rc = 0;

done:
	if (rc != 0)
		sodium_memzero(out, HASH_BYTES);
	sodium_memzero(subkey, sizeof(subkey));
	return rc;
}

int
seal_store(unsigned char *out, size_t outcap, size_t *outlen,
    const unsigned char *in, size_t inlen,
    const unsigned char server_store_key[KEY_BYTES])
{
	if (inlen > crypto_secretbox_MESSAGEBYTES_MAX ||
	    inlen > SIZE_MAX - SEAL_STORE_OVERHEAD ||
	    outcap < inlen + SEAL_STORE_OVERHEAD)
		return -1;
	randombytes_buf(out, crypto_secretbox_NONCEBYTES);
	if (crypto_secretbox_easy(out + crypto_secretbox_NONCEBYTES, in, inlen,
	    out, server_store_key) != 0) {
		log_warnx("%s: crypto_secretbox_easy failed", __func__);
		sodium_memzero(out, inlen + SEAL_STORE_OVERHEAD);
		return -1;
	}
	*outlen = inlen + SEAL_STORE_OVERHEAD;
	return 0;
}

int
seal_unstore(unsigned char *out, size_t outcap, size_t *outlen,
    const unsigned char *in, size_t inlen,
    const unsigned char server_store_key[KEY_BYTES])
{
	size_t	mlen;

	if (inlen < SEAL_STORE_OVERHEAD)
		return -1;
	mlen = inlen - SEAL_STORE_OVERHEAD;
	if (outcap < mlen)
		goto fail;
	if (crypto_secretbox_open_easy(out, in + crypto_secretbox_NONCEBYTES,
	    inlen - crypto_secretbox_NONCEBYTES, in, server_store_key) != 0)
		goto fail;
	*outlen = mlen;
	return 0;

fail:
	sodium_memzero(out, outcap < mlen ? outcap : mlen);
	return -1;
}

/* --- Attachments --- */

int
seal_stream_length_valid(unsigned long long len)
{
	if (len < STREAM_HEADER_BYTES + CHUNK_CIPHER_BYTES)
		return -1;
	return (len - STREAM_HEADER_BYTES) % CHUNK_CIPHER_BYTES == 0 ? 0 : -1;
}
