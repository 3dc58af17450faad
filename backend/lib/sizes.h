/*
 * sizes.h - the protocol's sizes, in one place (SPEC sections 0 and 3).
 *
 * Every byte count the protocol fixes is named here and nowhere else, and
 * each is checked against libsodium's own constant where one exists, as
 * frontend/src/lib/meldcrypto.js checks its copy. tests/arch/sizes.mjs
 * fails on a bare 16, 22, 24, 32, 40, 48, 64 or 80 anywhere else in the
 * backend (a #define naming a local limit is fine).
 */
#ifndef MELDPUNT_SIZES_H
#define MELDPUNT_SIZES_H

#include <sodium.h>

/* nitems: the number of elements of an array (never typed by hand). */
#ifndef nitems
#define nitems(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/* Ids. */
#define ID_BYTES		16	/* case, message, attachment ids */
#define ID_B64_LEN		22	/* base64url of ID_BYTES, no padding */
#define ID_B64_SIZE		(ID_B64_LEN + 2) /* a buffer for one, NUL too */
#define UUID_LEN		36	/* account ids, "8-4-4-4-12" hex */
#define UUID_SIZE		(UUID_LEN + 1)
#define AUTHOR_SIZE		(sizeof("adviser:") - 1 + UUID_SIZE)
#define SLUG_MAX		64	/* organisation, topic, category ids */

/* Keys, hashes and signatures. */
#define KEY_BYTES		32	/* symmetric keys, server keys */
#define HASH_BYTES		32	/* generichash outputs, lookup ids */
#define SIGN_PK_BYTES		32	/* Ed25519 public key */
#define SIGN_SK_BYTES		64	/* Ed25519 secret key (seed || pk) */
#define SIGNATURE_BYTES		64	/* Ed25519 detached signature */
#define BOX_PK_BYTES		32	/* X25519 public key */
#define SALT_BYTES		16	/* pwhash salt */
#define FINGERPRINT_BYTES	16	/* of the hash a key fingerprint shows */

/* Sealed things. */
#define NONCE_BYTES		24	/* XChaCha20 / XSalsa20 nonce */
#define AEAD_TAG_BYTES		16	/* Poly1305 tag */
#define SEALED_OVERHEAD		(NONCE_BYTES + AEAD_TAG_BYTES) /* 40 */
#define BOX_SEAL_BYTES		48	/* crypto_box_seal overhead */
#define WRAP_BYTES		(KEY_BYTES + BOX_SEAL_BYTES)	/* 80 */
/* an X25519 secret key sealed under the passphrase: nonce, key, tag (72) */
#define ESK_BYTES		(NONCE_BYTES + KEY_BYTES + AEAD_TAG_BYTES)

/* Tokens and challenges. */
#define TOKEN_BYTES		32	/* session and invite tokens */
#define TOKEN_B64_LEN		43	/* base64url of TOKEN_BYTES */
#define TOKEN_B64_SIZE		64	/* a buffer for one, with room */
#define CHALLENGE_BYTES		32	/* login and proof-of-work challenges */
#define POW_NONCE_BYTES		8

/* Attachments (SPEC 3.6). */
#define CHUNK_BYTES		65536
#define STREAM_HEADER_BYTES	24
#define CHUNK_CIPHER_BYTES	(CHUNK_BYTES + 17)

_Static_assert(KEY_BYTES == crypto_aead_xchacha20poly1305_ietf_KEYBYTES,
    "KEY_BYTES");
_Static_assert(KEY_BYTES == crypto_secretbox_KEYBYTES, "KEY_BYTES");
_Static_assert(HASH_BYTES == crypto_generichash_BYTES, "HASH_BYTES");
_Static_assert(SIGN_PK_BYTES == crypto_sign_PUBLICKEYBYTES, "SIGN_PK_BYTES");
_Static_assert(SIGN_SK_BYTES == crypto_sign_SECRETKEYBYTES, "SIGN_SK_BYTES");
_Static_assert(SIGNATURE_BYTES == crypto_sign_BYTES, "SIGNATURE_BYTES");
_Static_assert(BOX_PK_BYTES == crypto_box_PUBLICKEYBYTES, "BOX_PK_BYTES");
_Static_assert(SALT_BYTES == crypto_pwhash_SALTBYTES, "SALT_BYTES");
_Static_assert(NONCE_BYTES == crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
    "NONCE_BYTES");
_Static_assert(NONCE_BYTES == crypto_secretbox_NONCEBYTES, "NONCE_BYTES");
_Static_assert(AEAD_TAG_BYTES == crypto_aead_xchacha20poly1305_ietf_ABYTES,
    "AEAD_TAG_BYTES");
_Static_assert(AEAD_TAG_BYTES == crypto_secretbox_MACBYTES, "AEAD_TAG_BYTES");
_Static_assert(BOX_SEAL_BYTES == crypto_box_SEALBYTES, "BOX_SEAL_BYTES");
_Static_assert(STREAM_HEADER_BYTES ==
    crypto_secretstream_xchacha20poly1305_HEADERBYTES, "STREAM_HEADER_BYTES");
_Static_assert(CHUNK_CIPHER_BYTES - CHUNK_BYTES ==
    crypto_secretstream_xchacha20poly1305_ABYTES, "CHUNK_CIPHER_BYTES");
_Static_assert(ID_B64_LEN == (ID_BYTES * 4 + 2) / 3, "ID_B64_LEN");
_Static_assert(TOKEN_B64_LEN == (TOKEN_BYTES * 4 + 2) / 3, "TOKEN_B64_LEN");
_Static_assert(TOKEN_B64_SIZE > TOKEN_B64_LEN, "TOKEN_B64_SIZE");

#endif
