/*
 * seal.c - the server's libsodium constructions (SPEC section 3): the
 * signatures of thread entries, proofs of submission and the audit chain,
 * and the message parts and checks that seal_cert.c shares (seal_parts.h).
 * Certificates and fingerprints are in seal_cert.c, hashes and sealing of
 * server-held secrets in seal_store.c.
 *
 * Signed messages are assembled from their parts into a heap buffer of
 * exactly their length (Ed25519 needs the whole message); keyed hashes of
 * secrets are computed in parts, so no secret is ever copied into a
 * temporary message. Checks on ids are the one rule of ids.h, which
 * meldcrypto.js applies too, so both sides build, accept and refuse the
 * same messages.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "ids.h"
#include "log.h"
#include "seal.h"
#include "seal_parts.h"
#include "sizes.h"

_Static_assert(KEY_BYTES == crypto_kdf_KEYBYTES, "kdf key size");
_Static_assert(SEAL_STORE_OVERHEAD ==
    crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES, "overhead");

/* --- Checks on the strings that go into signed messages --- */

/* A case id: ID_BYTES as canonical base64url, the one rule of ids.h. */
int
seal_is_case_id(const char *s)
{
	unsigned char	id[ID_BYTES];

	return ids_decode(s, id) == 0;
}

/* "reporter", or "adviser:" and a UUID. */
int
seal_is_author(const char *s)
{
	static const char	adviser[] = "adviser:";

	if (s == NULL)
		return 0;
	if (strcmp(s, "reporter") == 0)
		return 1;
	return strncmp(s, adviser, sizeof(adviser) - 1) == 0 &&
	    ids_uuid_valid(s + sizeof(adviser) - 1);
}

/*
 * YYYY-MM-DD naming a real day of the proleptic Gregorian calendar. Years
 * below 100 are refused because the JS check (Date.UTC maps them to 19xx)
 * refuses them too.
 */
int
seal_is_date(const char *s)
{
	static const int	mdays[12] = {
		31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	int			y, m, d, i;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 100 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) ||
	    y % 400 == 0))
		return 0;
	return 1;
}

/*
 * Well-formed UTF-8 (no overlong forms, no surrogates, at most U+10FFFF) of
 * at most max UTF-16 units, the JS module's measure of a name's length.
 */
int
seal_is_utf8(const char *str, size_t max)
{
	const unsigned char	*s = (const unsigned char *)str;
	size_t			 units = 0, n, i;
	uint32_t		 cp, min;

	while (*s != '\0') {
		if (*s < 0x80) {
			n = 0;
			cp = *s;
			min = 0;
		} else if ((*s & 0xe0) == 0xc0) {
			n = 1;
			cp = *s & 0x1f;
			min = 0x80;
		} else if ((*s & 0xf0) == 0xe0) {
			n = 2;
			cp = *s & 0x0f;
			min = 0x800;
		} else if ((*s & 0xf8) == 0xf0) {
			n = 3;
			cp = *s & 0x07;
			min = 0x10000;
		} else
			return 0;
		for (i = 1; i <= n; i++) {
			if ((s[i] & 0xc0) != 0x80)
				return 0;	/* also stops at the NUL */
			cp = (cp << 6) | (s[i] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		units += cp >= 0x10000 ? 2 : 1;
		if (units > max)
			return 0;
		s += n + 1;
	}
	return 1;
}

/* --- Assembling, signing and verifying messages --- */

/*
 * seal_join: the parts concatenated into a malloc'd buffer of exactly *len
 * bytes (free()), or NULL on overflow or out of memory.
 */
unsigned char *
seal_join(const struct part *v, size_t n, size_t *len)
{
	unsigned char	*buf;
	size_t		 total = 0, off = 0, i;

	for (i = 0; i < n; i++) {
		if (v[i].len > SIZE_MAX - total) {
			log_warnx("%s: message too long", __func__);
			return NULL;
		}
		total += v[i].len;
	}
	if ((buf = malloc(total > 0 ? total : 1)) == NULL) {
		log_warnx("%s: out of memory", __func__);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		if (v[i].len > 0)
			memcpy(buf + off, v[i].p, v[i].len);
		off += v[i].len;
	}
	*len = total;
	return buf;
}

int
seal_verify_parts(const struct part *v, size_t n,
    const unsigned char sig[SIGNATURE_BYTES],
    const unsigned char pk[SIGN_PK_BYTES])
{
	unsigned char	*m;
	size_t		 mlen;
	int		 rc;

	if ((m = seal_join(v, n, &mlen)) == NULL)
		return -1;
	rc = crypto_sign_verify_detached(sig, m, mlen, pk);
	free(m);
	return rc == 0 ? 0 : -1;
}

int
seal_sign_parts(unsigned char sig[SIGNATURE_BYTES], const struct part *v,
    size_t n, const unsigned char sk[SIGN_SK_BYTES])
{
	unsigned char	*m;
	size_t		 mlen;
	int		 rc;

	if ((m = seal_join(v, n, &mlen)) == NULL)
		goto err0;
	rc = crypto_sign_detached(sig, NULL, m, mlen, sk);
	free(m);
	if (rc != 0) {
		log_warnx("%s: crypto_sign_detached failed", __func__);
		goto err0;
	}
	return 0;

err0:
	sodium_memzero(sig, SIGNATURE_BYTES);
	return -1;
}

/* h = generichash(32, ct); ct may be NULL only when ctlen is 0. */
int
seal_hash_ct(unsigned char h[HASH_BYTES], const unsigned char *ct,
    size_t ctlen)
{
	static const unsigned char	empty[1];

	if (ct == NULL && ctlen != 0)
		return -1;
	if (crypto_generichash(h, HASH_BYTES, ct != NULL ? ct : empty,
	    ctlen, NULL, 0) != 0) {
		log_warnx("%s: crypto_generichash failed", __func__);
		return -1;
	}
	return 0;
}

/* The signed thread entries of SPEC 3.4 and 3.5 share one shape. */
static int
seal_thread_verify(const char *label, const char *case_id, const char *who,
    const unsigned char *ct, size_t ctlen,
    const unsigned char sig[SIGNATURE_BYTES],
    const unsigned char sign_pk[SIGN_PK_BYTES])
{
	unsigned char	h[HASH_BYTES];
	struct part	v[6];

	if (seal_hash_ct(h, ct, ctlen) != 0)
		return -1;
	v[0] = (struct part)TEXT(label);
	v[1] = (struct part)TEXT(case_id);
	v[2] = (struct part){ "|", 1 };
	v[3] = (struct part)TEXT(who);
	v[4] = (struct part){ "|", 1 };
	v[5] = (struct part){ h, sizeof(h) };
	return seal_verify_parts(v, 6, sig, sign_pk);
}

int
seal_message_verify(const char *case_id, const char *author,
    const unsigned char *ct, size_t ctlen,
    const unsigned char sig[SIGNATURE_BYTES],
    const unsigned char sign_pk[SIGN_PK_BYTES])
{
	if (!seal_is_case_id(case_id) || !seal_is_author(author))
		return -1;
	return seal_thread_verify("meldpunt/v1/message-sig|", case_id, author,
	    ct, ctlen, sig, sign_pk);
}

int
seal_note_verify(const char *case_id, const char *adviser_id,
    const unsigned char *ct, size_t ctlen,
    const unsigned char sig[SIGNATURE_BYTES],
    const unsigned char sign_pk[SIGN_PK_BYTES])
{
	if (!seal_is_case_id(case_id) || !ids_uuid_valid(adviser_id))
		return -1;
	return seal_thread_verify("meldpunt/v1/note-sig|", case_id,
	    adviser_id, ct, ctlen, sig, sign_pk);
}

int
seal_notes_key_verify(const char *case_id,
    const unsigned char commitment[HASH_BYTES],
    const unsigned char sig[SIGNATURE_BYTES],
    const unsigned char sign_pk[SIGN_PK_BYTES])
{
	struct part	v[4];

	if (!seal_is_case_id(case_id))
		return -1;
	v[0] = (struct part)TEXT("meldpunt/v1/notes-key-sig|");
	v[1] = (struct part)TEXT(case_id);
	v[2] = (struct part){ "|", 1 };
	v[3] = (struct part){ commitment, HASH_BYTES };
	return seal_verify_parts(v, 4, sig, sign_pk);
}

int
seal_reporter_login_verify(const unsigned char challenge[CHALLENGE_BYTES],
    const unsigned char sig[SIGNATURE_BYTES],
    const unsigned char sign_pk[SIGN_PK_BYTES])
{
	const struct part	v[2] = {
		TEXT("meldpunt/v1/reporter-login|"),
		{ challenge, CHALLENGE_BYTES }
	};

	return seal_verify_parts(v, 2, sig, sign_pk);
}

/* --- Proof of submission --- */

/* Fills v[11] with the proof message parts; h receives the ciphertext hash. */
static int
seal_proof_parts(struct part v[11], unsigned char h[HASH_BYTES],
    const char *case_id, const char *received_on, const char *organisation,
    const char *topic, const unsigned char *report_ct, size_t ctlen,
    const unsigned char key_commitment[HASH_BYTES])
{
	if (!seal_is_case_id(case_id) || !seal_is_date(received_on) ||
	    !ids_slug_valid(organisation, SLUG_MAX) ||
	    !ids_slug_valid(topic, SLUG_MAX))
		return -1;
	if (seal_hash_ct(h, report_ct, ctlen) != 0)
		return -1;
	v[0] = (struct part)TEXT("meldpunt/v1/proof|");
	v[1] = (struct part)TEXT(case_id);
	v[2] = (struct part){ "|", 1 };
	v[3] = (struct part)TEXT(received_on);
	v[4] = (struct part){ "|", 1 };
	v[5] = (struct part)TEXT(organisation);
	v[6] = (struct part){ "|", 1 };
	v[7] = (struct part)TEXT(topic);
	v[8] = (struct part){ "|", 1 };
	v[9] = (struct part){ h, HASH_BYTES };
	v[10] = (struct part){ key_commitment, HASH_BYTES };
	return 0;
}

int
seal_proof_sign(unsigned char sig[SIGNATURE_BYTES], const char *case_id,
    const char *received_on, const char *organisation, const char *topic,
    const unsigned char *report_ct, size_t ctlen,
    const unsigned char key_commitment[HASH_BYTES],
    const unsigned char desk_sk[SIGN_SK_BYTES])
{
	unsigned char	h[HASH_BYTES];
	struct part	v[11];

	if (seal_proof_parts(v, h, case_id, received_on, organisation, topic,
	    report_ct, ctlen, key_commitment) != 0) {
		sodium_memzero(sig, SIGNATURE_BYTES);
		return -1;
	}
	return seal_sign_parts(sig, v, 11, desk_sk);
}

int
seal_proof_verify(const unsigned char sig[SIGNATURE_BYTES],
    const char *case_id, const char *received_on, const char *organisation,
    const char *topic, const unsigned char *report_ct, size_t ctlen,
    const unsigned char key_commitment[HASH_BYTES],
    const unsigned char desk_pk[SIGN_PK_BYTES])
{
	unsigned char	h[HASH_BYTES];
	struct part	v[11];

	if (seal_proof_parts(v, h, case_id, received_on, organisation, topic,
	    report_ct, ctlen, key_commitment) != 0)
		return -1;
	return seal_verify_parts(v, 11, sig, desk_pk);
}

int
seal_desk_key_id(unsigned char out[SEAL_DESK_KEY_ID_BYTES],
    const unsigned char desk_pk[SIGN_PK_BYTES])
{
	unsigned char	h[HASH_BYTES];

	if (crypto_generichash(h, sizeof(h), desk_pk, SIGN_PK_BYTES,
	    NULL, 0) != 0) {
		log_warnx("%s: crypto_generichash failed", __func__);
		sodium_memzero(out, SEAL_DESK_KEY_ID_BYTES);
		return -1;
	}
	memcpy(out, h, SEAL_DESK_KEY_ID_BYTES);
	return 0;
}

/* --- Audit chain --- */

int
seal_audit_hash(unsigned char out[HASH_BYTES],
    const unsigned char prev[HASH_BYTES], const unsigned char *entry,
    size_t len)
{
	static const unsigned char	empty[1];
	crypto_generichash_state	st;

	if (entry == NULL && len != 0)
		return -1;
	/* prev is read completely before out is written: they may alias. */
	if (crypto_generichash_init(&st, NULL, 0, HASH_BYTES) != 0 ||
	    crypto_generichash_update(&st, prev, HASH_BYTES) != 0 ||
	    crypto_generichash_update(&st, entry != NULL ? entry : empty,
	    len) != 0 ||
	    crypto_generichash_final(&st, out, HASH_BYTES) != 0) {
		log_warnx("%s: crypto_generichash failed", __func__);
		return -1;
	}
	return 0;
}

static int
seal_audit_head_parts(struct part v[4], const char *date,
    const unsigned char head[HASH_BYTES])
{
	if (!seal_is_date(date))
		return -1;
	v[0] = (struct part)TEXT("meldpunt/v1/audit-head|");
	v[1] = (struct part)TEXT(date);
	v[2] = (struct part){ "|", 1 };
	v[3] = (struct part){ head, HASH_BYTES };
	return 0;
}

int
seal_audit_head_sign(unsigned char sig[SIGNATURE_BYTES], const char *date,
    const unsigned char head[HASH_BYTES],
    const unsigned char desk_sk[SIGN_SK_BYTES])
{
	struct part	v[4];

	if (seal_audit_head_parts(v, date, head) != 0) {
		sodium_memzero(sig, SIGNATURE_BYTES);
		return -1;
	}
	return seal_sign_parts(sig, v, 4, desk_sk);
}

int
seal_audit_head_verify(const unsigned char sig[SIGNATURE_BYTES],
    const char *date, const unsigned char head[HASH_BYTES],
    const unsigned char desk_pk[SIGN_PK_BYTES])
{
	struct part	v[4];

	if (seal_audit_head_parts(v, date, head) != 0)
		return -1;
	return seal_verify_parts(v, 4, sig, desk_pk);
}
