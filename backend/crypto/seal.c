/*
 * seal.c - the server's libsodium constructions (SPEC section 3).
 *
 * Signed messages are assembled from their parts into a heap buffer of
 * exactly their length (Ed25519 needs the whole message); keyed hashes of
 * secrets are computed in parts, so no secret is ever copied into a
 * temporary message. Checks on ids mirror meldcrypto.js, so both sides
 * build, accept and refuse the same messages.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "b64.h"
#include "log.h"
#include "seal.h"

_Static_assert(SEAL_KEY_BYTES == crypto_secretbox_KEYBYTES, "key size");
_Static_assert(SEAL_KEY_BYTES == crypto_kdf_KEYBYTES, "kdf key size");
_Static_assert(SEAL_SIGN_PK_BYTES == crypto_sign_PUBLICKEYBYTES, "pk size");
_Static_assert(SEAL_SIGN_SK_BYTES == crypto_sign_SECRETKEYBYTES, "sk size");
_Static_assert(SEAL_SIG_BYTES == crypto_sign_BYTES, "signature size");
_Static_assert(SEAL_BOX_PK_BYTES == crypto_box_PUBLICKEYBYTES, "box pk");
_Static_assert(SEAL_STORE_OVERHEAD ==
    crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES, "overhead");

#define B64_VARIANT		sodium_base64_VARIANT_URLSAFE_NO_PADDING
#define CASE_ID_BYTES		16
#define CASE_ID_LEN		22	/* base64url of 16 bytes */
#define UUID_LEN		36
#define SLUG_MAX		64
#define NAME_MAX_UNITS		1024	/* JS string length (UTF-16 units) */
#define FINGERPRINT_BYTES	16
#define STREAM_HEADER		24ULL
#define STREAM_CHUNK		65553ULL	/* 65536 + ABYTES (17) */
#define TOKEN_SUBKEY_ID		1
#define TOKEN_CTX		"meldtokn"

/* One piece of a message to sign or verify. */
struct part {
	const void	*p;
	size_t		 len;
};

#define TEXT(s)		{ (s), strlen(s) }

/* --- Checks on the strings that go into signed messages --- */

/*
 * 16 bytes as canonical base64url: b64_decode refuses padding, other
 * alphabets and non-zero trailing bits ("...HIB" for "...HIA").
 */
static int
seal_is_case_id(const char *s)
{
	unsigned char	bin[CASE_ID_BYTES];
	size_t		binlen;

	if (s == NULL || strlen(s) != CASE_ID_LEN)
		return 0;
	if (b64_decode(bin, sizeof(bin), s, CASE_ID_LEN, &binlen) != 0 ||
	    binlen != CASE_ID_BYTES)
		return 0;
	return 1;
}

static int
seal_is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F');
}

static int
seal_is_uuid(const char *s)
{
	size_t	i;

	if (s == NULL || strlen(s) != UUID_LEN)
		return 0;
	for (i = 0; i < UUID_LEN; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return 0;
		} else if (!seal_is_hex(s[i]))
			return 0;
	}
	return 1;
}

static int
seal_is_author(const char *s)
{
	static const char	adviser[] = "adviser:";

	if (s == NULL)
		return 0;
	if (strcmp(s, "reporter") == 0)
		return 1;
	return strncmp(s, adviser, sizeof(adviser) - 1) == 0 &&
	    seal_is_uuid(s + sizeof(adviser) - 1);
}

static int
seal_is_slug_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	    c == '_' || c == '-';
}

/* [a-z0-9][a-z0-9_-]{0,63}, as SLUG_RE in meldcrypto.js. */
static int
seal_is_slug(const char *s)
{
	size_t	i;

	if (s == NULL || s[0] == '\0' || s[0] == '_' || s[0] == '-')
		return 0;
	for (i = 0; s[i] != '\0'; i++)
		if (i >= SLUG_MAX || !seal_is_slug_char(s[i]))
			return 0;
	return 1;
}

/*
 * YYYY-MM-DD naming a real day of the proleptic Gregorian calendar. Years
 * below 100 are refused because the JS check (Date.UTC maps them to 19xx)
 * refuses them too.
 */
static int
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
static int
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
static unsigned char *
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

static int
seal_verify_parts(const struct part *v, size_t n,
    const unsigned char sig[SEAL_SIG_BYTES],
    const unsigned char pk[SEAL_SIGN_PK_BYTES])
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

static int
seal_sign_parts(unsigned char sig[SEAL_SIG_BYTES], const struct part *v,
    size_t n, const unsigned char sk[SEAL_SIGN_SK_BYTES])
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
	sodium_memzero(sig, SEAL_SIG_BYTES);
	return -1;
}

/* h = generichash(32, ct); ct may be NULL only when ctlen is 0. */
static int
seal_hash_ct(unsigned char h[SEAL_HASH_BYTES], const unsigned char *ct,
    size_t ctlen)
{
	static const unsigned char	empty[1];

	if (ct == NULL && ctlen != 0)
		return -1;
	if (crypto_generichash(h, SEAL_HASH_BYTES, ct != NULL ? ct : empty,
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
    const unsigned char sig[SEAL_SIG_BYTES],
    const unsigned char sign_pk[SEAL_SIGN_PK_BYTES])
{
	unsigned char	h[SEAL_HASH_BYTES];
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
    const unsigned char sig[SEAL_SIG_BYTES],
    const unsigned char sign_pk[SEAL_SIGN_PK_BYTES])
{
	if (!seal_is_case_id(case_id) || !seal_is_author(author))
		return -1;
	return seal_thread_verify("meldpunt/v1/message-sig|", case_id, author,
	    ct, ctlen, sig, sign_pk);
}

int
seal_note_verify(const char *case_id, const char *adviser_id,
    const unsigned char *ct, size_t ctlen,
    const unsigned char sig[SEAL_SIG_BYTES],
    const unsigned char sign_pk[SEAL_SIGN_PK_BYTES])
{
	if (!seal_is_case_id(case_id) || !seal_is_uuid(adviser_id))
		return -1;
	return seal_thread_verify("meldpunt/v1/note-sig|", case_id,
	    adviser_id, ct, ctlen, sig, sign_pk);
}

int
seal_notes_key_verify(const char *case_id,
    const unsigned char commitment[SEAL_HASH_BYTES],
    const unsigned char sig[SEAL_SIG_BYTES],
    const unsigned char sign_pk[SEAL_SIGN_PK_BYTES])
{
	struct part	v[4];

	if (!seal_is_case_id(case_id))
		return -1;
	v[0] = (struct part)TEXT("meldpunt/v1/notes-key-sig|");
	v[1] = (struct part)TEXT(case_id);
	v[2] = (struct part){ "|", 1 };
	v[3] = (struct part){ commitment, SEAL_HASH_BYTES };
	return seal_verify_parts(v, 4, sig, sign_pk);
}

int
seal_reporter_login_verify(const unsigned char challenge[SEAL_CHALLENGE_BYTES],
    const unsigned char sig[SEAL_SIG_BYTES],
    const unsigned char sign_pk[SEAL_SIGN_PK_BYTES])
{
	const struct part	v[2] = {
		TEXT("meldpunt/v1/reporter-login|"),
		{ challenge, SEAL_CHALLENGE_BYTES }
	};

	return seal_verify_parts(v, 2, sig, sign_pk);
}

/* --- Proof of submission --- */

/* Fills v[11] with the proof message parts; h receives the ciphertext hash. */
static int
seal_proof_parts(struct part v[11], unsigned char h[SEAL_HASH_BYTES],
    const char *case_id, const char *received_on, const char *organisation,
    const char *topic, const unsigned char *report_ct, size_t ctlen,
    const unsigned char key_commitment[SEAL_HASH_BYTES])
{
	if (!seal_is_case_id(case_id) || !seal_is_date(received_on) ||
	    !seal_is_slug(organisation) || !seal_is_slug(topic))
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
	v[9] = (struct part){ h, SEAL_HASH_BYTES };
	v[10] = (struct part){ key_commitment, SEAL_HASH_BYTES };
	return 0;
}

int
seal_proof_sign(unsigned char sig[SEAL_SIG_BYTES], const char *case_id,
    const char *received_on, const char *organisation, const char *topic,
    const unsigned char *report_ct, size_t ctlen,
    const unsigned char key_commitment[SEAL_HASH_BYTES],
    const unsigned char desk_sk[SEAL_SIGN_SK_BYTES])
{
	unsigned char	h[SEAL_HASH_BYTES];
	struct part	v[11];

	if (seal_proof_parts(v, h, case_id, received_on, organisation, topic,
	    report_ct, ctlen, key_commitment) != 0) {
		sodium_memzero(sig, SEAL_SIG_BYTES);
		return -1;
	}
	return seal_sign_parts(sig, v, 11, desk_sk);
}

int
seal_proof_verify(const unsigned char sig[SEAL_SIG_BYTES],
    const char *case_id, const char *received_on, const char *organisation,
    const char *topic, const unsigned char *report_ct, size_t ctlen,
    const unsigned char key_commitment[SEAL_HASH_BYTES],
    const unsigned char desk_pk[SEAL_SIGN_PK_BYTES])
{
	unsigned char	h[SEAL_HASH_BYTES];
	struct part	v[11];

	if (seal_proof_parts(v, h, case_id, received_on, organisation, topic,
	    report_ct, ctlen, key_commitment) != 0)
		return -1;
	return seal_verify_parts(v, 11, sig, desk_pk);
}

int
seal_desk_key_id(unsigned char out[SEAL_DESK_KEY_ID_BYTES],
    const unsigned char desk_pk[SEAL_SIGN_PK_BYTES])
{
	unsigned char	h[SEAL_HASH_BYTES];

	if (crypto_generichash(h, sizeof(h), desk_pk, SEAL_SIGN_PK_BYTES,
	    NULL, 0) != 0) {
		log_warnx("%s: crypto_generichash failed", __func__);
		sodium_memzero(out, SEAL_DESK_KEY_ID_BYTES);
		return -1;
	}
	memcpy(out, h, SEAL_DESK_KEY_ID_BYTES);
	return 0;
}

/* --- Key certificates --- */

static int
seal_strcmp_ptr(const void *a, const void *b)
{
	const char *const	*x = a;
	const char *const	*y = b;

	/* strcmp compares as unsigned char: byte order, as SPEC 0 asks. */
	return strcmp(*x, *y);
}

/*
 * seal_scope_text: "*", or the ids sorted ascending and joined by ",", as a
 * malloc'd NUL-terminated string (free()). NULL if the list is empty, holds
 * a duplicate or anything but slugs (so "*" beside other ids), or on error.
 */
static char *
seal_scope_text(const char *const *ids, size_t n)
{
	const char	**sorted = NULL;
	char		 *out = NULL;
	size_t		  total = 0, off = 0, i, len;

	if (ids == NULL || n == 0)
		return NULL;
	if (n == 1 && ids[0] != NULL && strcmp(ids[0], "*") == 0)
		return strdup("*");
	for (i = 0; i < n; i++) {
		if (!seal_is_slug(ids[i]))
			return NULL;
		total += strlen(ids[i]) + 1;	/* bounded: slugs <= 64 */
		if (total > SIZE_MAX / 2)
			return NULL;
	}
	if ((sorted = calloc(n, sizeof(*sorted))) == NULL)
		goto err0;
	for (i = 0; i < n; i++)
		sorted[i] = ids[i];
	qsort(sorted, n, sizeof(*sorted), seal_strcmp_ptr);
	for (i = 1; i < n; i++)
		if (strcmp(sorted[i - 1], sorted[i]) == 0)
			goto err1;
	if ((out = malloc(total)) == NULL)
		goto err0;
	for (i = 0; i < n; i++) {
		len = strlen(sorted[i]);
		memcpy(out + off, sorted[i], len);
		off += len;
		out[off++] = i + 1 < n ? ',' : '\0';
	}
	free(sorted);
	return out;

err0:
	log_warnx("%s: out of memory", __func__);
err1:
	free(sorted);
	return NULL;
}

unsigned char *
seal_certificate_message(const struct seal_cert *c, size_t *len)
{
	unsigned char	*m = NULL;
	char		*name64 = NULL, *orgs = NULL, *topics = NULL;
	size_t		 namelen, name64len;
	struct part	 v[15];

	if (c == NULL || !seal_is_uuid(c->id) || c->name == NULL ||
	    !seal_is_utf8(c->name, NAME_MAX_UNITS) || c->role == NULL ||
	    (strcmp(c->role, "adviser") != 0 &&
	    strcmp(c->role, "coordinator") != 0) || !seal_is_date(c->not_after))
		return NULL;
	if ((orgs = seal_scope_text(c->organisations, c->norganisations)) ==
	    NULL ||
	    (topics = seal_scope_text(c->topics, c->ntopics)) == NULL)
		goto done;
	namelen = strlen(c->name);	/* <= 4 * NAME_MAX_UNITS, checked */
	name64len = sodium_base64_ENCODED_LEN(namelen, B64_VARIANT);
	if ((name64 = malloc(name64len)) == NULL) {
		log_warnx("%s: out of memory", __func__);
		goto done;
	}
	sodium_bin2base64(name64, name64len, (const unsigned char *)c->name,
	    namelen, B64_VARIANT);
	v[0] = (struct part)TEXT("meldpunt/v1/adviser-cert|");
	v[1] = (struct part)TEXT(c->id);
	v[2] = (struct part){ "|", 1 };
	v[3] = (struct part)TEXT(name64);
	v[4] = (struct part){ "|", 1 };
	v[5] = (struct part)TEXT(c->role);
	v[6] = (struct part){ "|", 1 };
	v[7] = (struct part)TEXT(orgs);
	v[8] = (struct part){ "|", 1 };
	v[9] = (struct part)TEXT(topics);
	v[10] = (struct part){ "|", 1 };
	v[11] = (struct part)TEXT(c->not_after);
	v[12] = (struct part){ "|", 1 };
	v[13] = (struct part){ c->encryption_public_key, SEAL_BOX_PK_BYTES };
	v[14] = (struct part){ c->sign_public_key, SEAL_SIGN_PK_BYTES };
	m = seal_join(v, 15, len);

done:
	free(name64);
	free(orgs);
	free(topics);
	return m;
}

int
seal_certificate_verify(const struct seal_cert *c,
    const unsigned char cert_pk[SEAL_SIGN_PK_BYTES])
{
	unsigned char	*m;
	size_t		 mlen;
	int		 rc;

	if ((m = seal_certificate_message(c, &mlen)) == NULL)
		return -1;
	rc = crypto_sign_verify_detached(c->certificate, m, mlen, cert_pk);
	free(m);
	return rc == 0 ? 0 : -1;
}

int
seal_certificate_sign(unsigned char sig[SEAL_SIG_BYTES],
    const struct seal_cert *c, const unsigned char cert_sk[SEAL_SIGN_SK_BYTES])
{
	unsigned char	*m;
	size_t		 mlen;
	struct part	 v[1];

	if ((m = seal_certificate_message(c, &mlen)) == NULL) {
		sodium_memzero(sig, SEAL_SIG_BYTES);
		return -1;
	}
	v[0] = (struct part){ m, mlen };
	if (seal_sign_parts(sig, v, 1, cert_sk) != 0) {
		free(m);
		return -1;
	}
	free(m);
	return 0;
}

int
seal_fingerprint(char out[SEAL_FINGERPRINT_LEN + 1],
    const unsigned char encryption_public_key[SEAL_BOX_PK_BYTES],
    const unsigned char sign_public_key[SEAL_SIGN_PK_BYTES])
{
	static const char		 hex[] = "0123456789abcdef";
	crypto_generichash_state	 st;
	unsigned char			 h[SEAL_HASH_BYTES];
	size_t				 i, o = 0;

	if (crypto_generichash_init(&st, NULL, 0, sizeof(h)) != 0 ||
	    crypto_generichash_update(&st, encryption_public_key,
	    SEAL_BOX_PK_BYTES) != 0 ||
	    crypto_generichash_update(&st, sign_public_key,
	    SEAL_SIGN_PK_BYTES) != 0 ||
	    crypto_generichash_final(&st, h, sizeof(h)) != 0) {
		log_warnx("%s: crypto_generichash failed", __func__);
		out[0] = '\0';
		return -1;
	}
	for (i = 0; i < FINGERPRINT_BYTES; i++) {
		if (i > 0 && i % 2 == 0)
			out[o++] = ' ';
		out[o++] = hex[h[i] >> 4];
		out[o++] = hex[h[i] & 0x0f];
	}
	out[o] = '\0';
	return 0;
}

/*
 * crypto_box_seal to pk fails exactly when X25519 with pk fails: pk is of
 * small order, or the shared point is zero. One multiplication by any
 * scalar tells the same, at a third of the cost of sealing.
 */
int
seal_box_public_key_usable(const unsigned char pk[SEAL_BOX_PK_BYTES])
{
	static const unsigned char	scalar[crypto_scalarmult_SCALARBYTES] = { 1 };
	unsigned char			q[crypto_scalarmult_BYTES];
	int				rc;

	rc = crypto_scalarmult(q, scalar, pk);
	sodium_memzero(q, sizeof(q));
	return rc == 0 ? 0 : -1;
}

/* --- Adviser login and server-held secrets --- */

int
seal_auth_hash(unsigned char out[SEAL_HASH_BYTES],
    const unsigned char auth_key[SEAL_KEY_BYTES],
    const unsigned char server_auth_key[SEAL_KEY_BYTES])
{
	static const char		label[] = "meldpunt/v1/auth|";
	crypto_generichash_state	st;
	int				rc = -1;

	if (crypto_generichash_init(&st, server_auth_key, SEAL_KEY_BYTES,
	    SEAL_HASH_BYTES) != 0 ||
	    crypto_generichash_update(&st, (const unsigned char *)label,
	    sizeof(label) - 1) != 0 ||
	    crypto_generichash_update(&st, auth_key, SEAL_KEY_BYTES) != 0 ||
	    crypto_generichash_final(&st, out, SEAL_HASH_BYTES) != 0) {
		log_warnx("%s: crypto_generichash failed", __func__);
		sodium_memzero(out, SEAL_HASH_BYTES);
	} else
		rc = 0;
	sodium_memzero(&st, sizeof(st));
	return rc;
}

int
seal_auth_verify(const unsigned char stored[SEAL_HASH_BYTES],
    const unsigned char auth_key[SEAL_KEY_BYTES],
    const unsigned char server_auth_key[SEAL_KEY_BYTES])
{
	unsigned char	h[SEAL_HASH_BYTES];
	int		rc = -1;

	if (seal_auth_hash(h, auth_key, server_auth_key) == 0 &&
	    sodium_memcmp(h, stored, SEAL_HASH_BYTES) == 0)
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
    const unsigned char key[SEAL_KEY_BYTES])
{
	crypto_generichash_state	st;
	unsigned char			chunk[64], h[SEAL_HASH_BYTES];
	size_t				n;
	int				rc = -1;

	if (email == NULL)
		goto done;
	if (crypto_generichash_init(&st, key, SEAL_KEY_BYTES, sizeof(h)) != 0)
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
seal_prelogin_salt(unsigned char out[SEAL_SALT_BYTES], const char *email,
    const unsigned char prelogin_key[SEAL_KEY_BYTES])
{
	return seal_hash_email(out, SEAL_SALT_BYTES, email, prelogin_key);
}

int
seal_email_key(unsigned char out[SEAL_HASH_BYTES], const char *email,
    const unsigned char server_key[SEAL_KEY_BYTES])
{
	return seal_hash_email(out, SEAL_HASH_BYTES, email, server_key);
}

int
seal_token_hash(unsigned char out[SEAL_HASH_BYTES],
    const unsigned char token[SEAL_KEY_BYTES],
    const unsigned char server_key[SEAL_KEY_BYTES])
{
	unsigned char	subkey[SEAL_KEY_BYTES];
	int		rc = -1;

	if (crypto_kdf_derive_from_key(subkey, sizeof(subkey),
	    TOKEN_SUBKEY_ID, TOKEN_CTX, server_key) != 0) {
		log_warnx("%s: crypto_kdf_derive_from_key failed", __func__);
		goto done;
	}
	if (crypto_generichash(out, SEAL_HASH_BYTES, token, SEAL_KEY_BYTES,
	    subkey, sizeof(subkey)) != 0) {
		log_warnx("%s: crypto_generichash failed", __func__);
		goto done;
	}
	rc = 0;

done:
	if (rc != 0)
		sodium_memzero(out, SEAL_HASH_BYTES);
	sodium_memzero(subkey, sizeof(subkey));
	return rc;
}

int
seal_store(unsigned char *out, size_t outcap, size_t *outlen,
    const unsigned char *in, size_t inlen,
    const unsigned char server_store_key[SEAL_KEY_BYTES])
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
    const unsigned char server_store_key[SEAL_KEY_BYTES])
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

/* --- Audit chain --- */

int
seal_audit_hash(unsigned char out[SEAL_HASH_BYTES],
    const unsigned char prev[SEAL_HASH_BYTES], const unsigned char *entry,
    size_t len)
{
	static const unsigned char	empty[1];
	crypto_generichash_state	st;

	if (entry == NULL && len != 0)
		return -1;
	/* prev is read completely before out is written: they may alias. */
	if (crypto_generichash_init(&st, NULL, 0, SEAL_HASH_BYTES) != 0 ||
	    crypto_generichash_update(&st, prev, SEAL_HASH_BYTES) != 0 ||
	    crypto_generichash_update(&st, entry != NULL ? entry : empty,
	    len) != 0 ||
	    crypto_generichash_final(&st, out, SEAL_HASH_BYTES) != 0) {
		log_warnx("%s: crypto_generichash failed", __func__);
		return -1;
	}
	return 0;
}

static int
seal_audit_head_parts(struct part v[4], const char *date,
    const unsigned char head[SEAL_HASH_BYTES])
{
	if (!seal_is_date(date))
		return -1;
	v[0] = (struct part)TEXT("meldpunt/v1/audit-head|");
	v[1] = (struct part)TEXT(date);
	v[2] = (struct part){ "|", 1 };
	v[3] = (struct part){ head, SEAL_HASH_BYTES };
	return 0;
}

int
seal_audit_head_sign(unsigned char sig[SEAL_SIG_BYTES], const char *date,
    const unsigned char head[SEAL_HASH_BYTES],
    const unsigned char desk_sk[SEAL_SIGN_SK_BYTES])
{
	struct part	v[4];

	if (seal_audit_head_parts(v, date, head) != 0) {
		sodium_memzero(sig, SEAL_SIG_BYTES);
		return -1;
	}
	return seal_sign_parts(sig, v, 4, desk_sk);
}

int
seal_audit_head_verify(const unsigned char sig[SEAL_SIG_BYTES],
    const char *date, const unsigned char head[SEAL_HASH_BYTES],
    const unsigned char desk_pk[SEAL_SIGN_PK_BYTES])
{
	struct part	v[4];

	if (seal_audit_head_parts(v, date, head) != 0)
		return -1;
	return seal_verify_parts(v, 4, sig, desk_pk);
}

/* --- Attachments --- */

int
seal_stream_length_valid(unsigned long long len)
{
	if (len < STREAM_HEADER + STREAM_CHUNK)
		return -1;
	return (len - STREAM_HEADER) % STREAM_CHUNK == 0 ? 0 : -1;
}
