/*
 * seal_cert.c - adviser key certificates (SPEC 3.8): the exact message a
 * certificate signs, signing and checking it, the key fingerprint, and
 * whether a box public key can be sealed to.
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

#define NAME_MAX_UNITS		1024	/* JS string length (UTF-16 units) */

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
		if (!ids_slug_valid(ids[i], SLUG_MAX))
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

	if (c == NULL || !ids_uuid_valid(c->id) || c->name == NULL ||
	    !seal_is_utf8(c->name, NAME_MAX_UNITS) || c->role == NULL ||
	    (strcmp(c->role, "adviser") != 0 &&
	    strcmp(c->role, "coordinator") != 0) || !seal_is_date(c->not_after))
		return NULL;
	if ((orgs = seal_scope_text(c->organisations, c->norganisations)) ==
	    NULL ||
	    (topics = seal_scope_text(c->topics, c->ntopics)) == NULL)
		goto done;
	namelen = strlen(c->name);	/* <= 4 * NAME_MAX_UNITS, checked */
	name64len = sodium_base64_ENCODED_LEN(namelen, SEAL_B64_VARIANT);
	if ((name64 = malloc(name64len)) == NULL) {
		log_warnx("%s: out of memory", __func__);
		goto done;
	}
	sodium_bin2base64(name64, name64len, (const unsigned char *)c->name,
	    namelen, SEAL_B64_VARIANT);
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
	v[13] = (struct part){ c->encryption_public_key, BOX_PK_BYTES };
	v[14] = (struct part){ c->sign_public_key, SIGN_PK_BYTES };
	m = seal_join(v, 15, len);

done:
	free(name64);
	free(orgs);
	free(topics);
	return m;
}

int
seal_certificate_verify(const struct seal_cert *c,
    const unsigned char cert_pk[SIGN_PK_BYTES])
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
seal_certificate_sign(unsigned char sig[SIGNATURE_BYTES],
    const struct seal_cert *c, const unsigned char cert_sk[SIGN_SK_BYTES])
{
	unsigned char	*m;
	size_t		 mlen;
	struct part	 v[1];

	if ((m = seal_certificate_message(c, &mlen)) == NULL) {
		sodium_memzero(sig, SIGNATURE_BYTES);
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
    const unsigned char encryption_public_key[BOX_PK_BYTES],
    const unsigned char sign_public_key[SIGN_PK_BYTES])
{
	static const char		 hex[] = "0123456789abcdef";
	crypto_generichash_state	 st;
	unsigned char			 h[HASH_BYTES];
	size_t				 i, o = 0;

	if (crypto_generichash_init(&st, NULL, 0, sizeof(h)) != 0 ||
	    crypto_generichash_update(&st, encryption_public_key,
	    BOX_PK_BYTES) != 0 ||
	    crypto_generichash_update(&st, sign_public_key,
	    SIGN_PK_BYTES) != 0 ||
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
seal_box_public_key_usable(const unsigned char pk[BOX_PK_BYTES])
{
	static const unsigned char	scalar[crypto_scalarmult_SCALARBYTES] = { 1 };
	unsigned char			q[crypto_scalarmult_BYTES];
	int				rc;

	rc = crypto_scalarmult(q, scalar, pk);
	sodium_memzero(q, sizeof(q));
	return rc == 0 ? 0 : -1;
}
