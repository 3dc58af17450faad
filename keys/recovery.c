/*
 * recovery.c - recovery key shares and offline re-wrapping.
 *
 * A share file is JSON:
 *   {"v":1,"split":b64(16 random bytes),"index":i,"threshold":t,
 *    "shares":n,"recovery_public_key":b64(pk),"share":b64(32 bytes),
 *    "checksum":b64(16 bytes)}
 * checksum = BLAKE2b-128 of "meldpunt/v1/recovery-share|" + split + "|" +
 * index + "|" + threshold + "|" + shares + "|" + public key + "|" + share
 * (the texts as in the file), so a damaged or edited share is named
 * instead of silently combined into a wrong key; shares of different
 * splits are refused.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>
#include <libgfshare.h>
#include <sodium.h>

#include "json_in.h"
#include "keyfile.h"
#include "recovery.h"
#include "seal.h"

#define RECOVERY_SHARE_VERSION	1
#define RECOVERY_MAX_FILE	(64 << 20)

struct recovery_share {
	char		split[32];
	char		pk_b64[48];
	unsigned int	index, threshold, shares;
	unsigned char	share[32];
};

/* libgfshare's default source is random(): never use it. */
static void
recovery_fill_rand(unsigned char *buf, unsigned int len)
{
	randombytes_buf(buf, len);
}

static void
recovery_b64(char *out, size_t outsz, const unsigned char *p, size_t n)
{
	sodium_bin2base64(out, outsz, p, n,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static int
recovery_checksum(char out[24], const char *split, unsigned int index,
    unsigned int threshold, unsigned int shares, const char *pk_b64,
    const char *share_b64)
{
	char		text[512];
	unsigned char	sum[16];
	int		n;

	n = snprintf(text, sizeof(text), "meldpunt/v1/recovery-share|%s|%u|%u|"
	    "%u|%s|%s", split, index, threshold, shares, pk_b64, share_b64);
	if (n < 0 || (size_t)n >= sizeof(text) ||
	    crypto_generichash(sum, sizeof(sum), (unsigned char *)text,
	    (size_t)n, NULL, 0) != 0) {
		sodium_memzero(text, sizeof(text));
		return -1;
	}
	sodium_memzero(text, sizeof(text));
	recovery_b64(out, 24, sum, sizeof(sum));
	return 0;
}

static int
recovery_write_share(const char *dir, const char *split, unsigned int index,
    unsigned int threshold, unsigned int shares, const char *pk_b64,
    const unsigned char share[32])
{
	char	 path[4096], share_b64[48], sum[24], *text = NULL;
	cJSON	*o;
	FILE	*fp;
	int	 rc = -1, n;

	n = snprintf(path, sizeof(path), "%s/share-%u.json", dir, index);
	if (n < 0 || (size_t)n >= sizeof(path))
		return -1;
	recovery_b64(share_b64, sizeof(share_b64), share, 32);
	if (recovery_checksum(sum, split, index, threshold, shares, pk_b64,
	    share_b64) == -1 || (o = cJSON_CreateObject()) == NULL)
		goto out;
	if (cJSON_AddNumberToObject(o, "v", RECOVERY_SHARE_VERSION) != NULL &&
	    cJSON_AddStringToObject(o, "split", split) != NULL &&
	    cJSON_AddNumberToObject(o, "index", index) != NULL &&
	    cJSON_AddNumberToObject(o, "threshold", threshold) != NULL &&
	    cJSON_AddNumberToObject(o, "shares", shares) != NULL &&
	    cJSON_AddStringToObject(o, "recovery_public_key", pk_b64) != NULL &&
	    cJSON_AddStringToObject(o, "share", share_b64) != NULL &&
	    cJSON_AddStringToObject(o, "checksum", sum) != NULL)
		text = cJSON_Print(o);
	cJSON_Delete(o);
	if (text == NULL)
		goto out;
	umask(077);
	if ((fp = fopen(path, "wx")) == NULL) {
		fprintf(stderr, "recovery: cannot create %s: %s\n", path,
		    strerror(errno));
		goto out;
	}
	rc = fputs(text, fp) < 0 || fputc('\n', fp) == EOF ? -1 : 0;
	if (fclose(fp) != 0)
		rc = -1;
out:
	if (text != NULL) {
		sodium_memzero(text, strlen(text));
		cJSON_free(text);
	}
	sodium_memzero(share_b64, sizeof(share_b64));
	return rc;
}

/* Split sk into shares 1..n with threshold t and write them. */
static int
recovery_split(const unsigned char *sk, unsigned int n, unsigned int t,
    const char *dir, const char *pk_b64)
{
	unsigned char	 nrs[RECOVERY_MAX_SHARES], split_raw[16], *share;
	char		 split[32];
	gfshare_ctx	*ctx;
	unsigned int	 i;
	int		 rc = -1;

	for (i = 0; i < n; i++)
		nrs[i] = (unsigned char)(i + 1);
	randombytes_buf(split_raw, sizeof(split_raw));
	recovery_b64(split, sizeof(split), split_raw, sizeof(split_raw));
	gfshare_fill_rand = recovery_fill_rand;
	if ((share = sodium_malloc(32)) == NULL)
		return -1;
	if ((ctx = gfshare_ctx_init_enc(nrs, n, (unsigned char)t, 32)) == NULL) {
		sodium_free(share);
		return -1;
	}
	gfshare_ctx_enc_setsecret(ctx, (unsigned char *)sk);
	for (i = 0; i < n; i++) {
		gfshare_ctx_enc_getshare(ctx, (unsigned char)i, share);
		if (recovery_write_share(dir, split, i + 1, t, n, pk_b64,
		    share) == -1)
			break;
	}
	rc = i == n ? 0 : -1;
	/* gfshare_ctx_free overwrites the context with gfshare_fill_rand. */
	gfshare_ctx_free(ctx);
	sodium_free(share);
	return rc;
}

int
recovery_new(unsigned int shares, unsigned int threshold, const char *out_dir)
{
	unsigned char	 pk[crypto_box_PUBLICKEYBYTES], *sk;
	char		 pk_b64[48], path[4096];
	int		 rc = -1, n;

	if (threshold < 2 || threshold > shares || shares > RECOVERY_MAX_SHARES) {
		fprintf(stderr, "recovery: need 2 <= threshold <= shares <= %d\n",
		    RECOVERY_MAX_SHARES);
		return -1;
	}
	if (mkdir(out_dir, 0700) == -1 && errno != EEXIST)
		return -1;
	if ((sk = sodium_malloc(crypto_box_SECRETKEYBYTES)) == NULL)
		return -1;
	if (crypto_box_keypair(pk, sk) != 0)
		goto out;
	recovery_b64(pk_b64, sizeof(pk_b64), pk, sizeof(pk));
	n = snprintf(path, sizeof(path), "%s/recovery_key.pub", out_dir);
	if (n < 0 || (size_t)n >= sizeof(path) ||
	    keyfile_write(path, pk, sizeof(pk), 0644) == -1)
		goto out;
	if (recovery_split(sk, shares, threshold, out_dir, pk_b64) == -1)
		goto out;
	printf("recovery public key: %s\n%u shares, any %u recover the key\n",
	    pk_b64, shares, threshold);
	rc = 0;
out:
	sodium_free(sk);
	return rc;
}

/* --- reading input files ------------------------------------------------ */

static char *
recovery_read(const char *path)
{
	FILE	*fp;
	char	*text;
	long	 size;

	if ((fp = fopen(path, "rb")) == NULL)
		return NULL;
	if (fseek(fp, 0, SEEK_END) != 0 || (size = ftell(fp)) < 0 ||
	    size > RECOVERY_MAX_FILE || fseek(fp, 0, SEEK_SET) != 0 ||
	    (text = malloc((size_t)size + 1)) == NULL) {
		fclose(fp);
		return NULL;
	}
	if (fread(text, 1, (size_t)size, fp) != (size_t)size) {
		free(text);
		fclose(fp);
		return NULL;
	}
	text[size] = '\0';
	fclose(fp);
	return text;
}

static cJSON *
recovery_read_json(const char *path)
{
	char	*text;
	cJSON	*json;

	if ((text = recovery_read(path)) == NULL) {
		fprintf(stderr, "recovery: cannot read %s\n", path);
		return NULL;
	}
	json = cJSON_Parse(text);
	sodium_memzero(text, strlen(text));
	free(text);
	if (json == NULL)
		fprintf(stderr, "recovery: %s is not JSON\n", path);
	return json;
}

static const char *
recovery_str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int
recovery_uint(const cJSON *o, const char *key, unsigned int max,
    unsigned int *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!cJSON_IsNumber(v) || v->valuedouble < 1 || v->valuedouble > max ||
	    v->valuedouble != (double)(unsigned int)v->valuedouble)
		return -1;
	*out = (unsigned int)v->valuedouble;
	return 0;
}

/* Read and check one share file. 0, or -1 after naming the file. */
static int
recovery_load_share(const char *path, struct recovery_share *s)
{
	cJSON		*o;
	const char	*split, *pk, *share, *sum;
	char		 want[24];
	int		 rc = -1;

	if ((o = recovery_read_json(path)) == NULL)
		return -1;
	split = recovery_str(o, "split");
	pk = recovery_str(o, "recovery_public_key");
	share = recovery_str(o, "share");
	sum = recovery_str(o, "checksum");
	if (split == NULL || pk == NULL || share == NULL || sum == NULL ||
	    strlen(split) >= sizeof(s->split) || strlen(pk) >= sizeof(s->pk_b64) ||
	    recovery_uint(o, "index", 255, &s->index) == -1 ||
	    recovery_uint(o, "threshold", 255, &s->threshold) == -1 ||
	    recovery_uint(o, "shares", 255, &s->shares) == -1 ||
	    recovery_checksum(want, split, s->index, s->threshold, s->shares, pk,
	    share) == -1 || strcmp(want, sum) != 0 ||
	    json_in_b64(share, s->share, sizeof(s->share)) == -1) {
		fprintf(stderr, "recovery: share %s is damaged (checksum or "
		    "fields do not match)\n", path);
		goto out;
	}
	snprintf(s->split, sizeof(s->split), "%s", split);
	snprintf(s->pk_b64, sizeof(s->pk_b64), "%s", pk);
	rc = 0;
out:
	/* The share's text is secret too: wipe it before cJSON frees it. */
	if (share != NULL)
		sodium_memzero((char *)share, strlen(share));
	cJSON_Delete(o);
	return rc;
}

/*
 * Combine the shares into sk (sodium_malloc'd by the caller) and check it
 * against the shares' public key, returned in pk. 0, or -1.
 */
static int
recovery_combine(const char *const *paths, size_t n, unsigned char *sk,
    unsigned char pk[32])
{
	struct recovery_share	*s;
	unsigned char		 nrs[RECOVERY_MAX_SHARES], derived[32];
	gfshare_ctx		*ctx = NULL;
	size_t			 i, j;
	int			 rc = -1;

	if (n == 0 || n > RECOVERY_MAX_SHARES ||
	    (s = sodium_allocarray(n, sizeof(*s))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		if (recovery_load_share(paths[i], &s[i]) == -1)
			goto out;
		if (i > 0 && (strcmp(s[i].split, s[0].split) != 0 ||
		    strcmp(s[i].pk_b64, s[0].pk_b64) != 0)) {
			fprintf(stderr, "recovery: share %s belongs to another "
			    "split than %s\n", paths[i], paths[0]);
			goto out;
		}
		for (j = 0; j < i; j++)
			if (s[j].index == s[i].index) {
				fprintf(stderr, "recovery: share %s is given "
				    "twice\n", paths[i]);
				goto out;
			}
		nrs[i] = (unsigned char)s[i].index;
	}
	if (n < s[0].threshold) {
		fprintf(stderr, "recovery: %zu shares given, %u needed\n", n,
		    s[0].threshold);
		goto out;
	}
	/* gfshare_ctx_free scrubs with gfshare_fill_rand: it must be ours. */
	gfshare_fill_rand = recovery_fill_rand;
	if (json_in_b64(s[0].pk_b64, pk, 32) == -1 ||
	    (ctx = gfshare_ctx_init_dec(nrs, (unsigned int)n, 32)) == NULL)
		goto out;
	for (i = 0; i < n; i++)
		gfshare_ctx_dec_giveshare(ctx, (unsigned char)i, s[i].share);
	gfshare_ctx_dec_extract(ctx, sk);
	if (crypto_scalarmult_base(derived, sk) != 0 ||
	    sodium_memcmp(derived, pk, 32) != 0) {
		fprintf(stderr, "recovery: the shares do not give the recovery "
		    "key\n");
		goto out;
	}
	rc = 0;
out:
	if (ctx != NULL)
		gfshare_ctx_free(ctx);
	sodium_memzero(derived, sizeof(derived));
	sodium_free(s);
	return rc;
}

/* --- re-wrapping ------------------------------------------------------- */

/* A scope list ("*" or an array of ids) as the C array seal_cert takes. */
static const char **
recovery_scope_list(const cJSON *v, size_t *n)
{
	static const char	*all[1] = { "*" };
	const char		**list;
	const cJSON		*item;
	size_t			 i = 0;

	if (cJSON_IsString(v) && strcmp(v->valuestring, "*") == 0) {
		*n = 1;
		return all;
	}
	if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) < 1 ||
	    (list = calloc((size_t)cJSON_GetArraySize(v), sizeof(*list))) == NULL)
		return NULL;
	cJSON_ArrayForEach(item, v) {
		if (!cJSON_IsString(item)) {
			free(list);
			return NULL;
		}
		list[i++] = item->valuestring;
	}
	*n = i;
	return list;
}

static int
recovery_covers(const char *const *list, size_t n, const char *id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(list[i], "*") == 0 || strcmp(list[i], id) == 0)
			return 1;
	return 0;
}

/* The target adviser's current, certified, unexpired key. */
struct recovery_target {
	struct seal_cert	 cert;
	const char		**orgs, **topics;
	int			 orgs_owned, topics_owned;
};

static int
recovery_target_load(const cJSON *entry, const unsigned char cert_pk[32],
    const char *today, struct recovery_target *t)
{
	const cJSON	*scope, *keys, *key, *cur;
	const char	*enc, *sig, *cert, *not_after;

	memset(t, 0, sizeof(*t));
	scope = cJSON_GetObjectItemCaseSensitive(entry, "scope");
	keys = cJSON_GetObjectItemCaseSensitive(entry, "keys");
	t->cert.id = recovery_str(entry, "id");
	t->cert.name = recovery_str(entry, "name");
	t->cert.role = recovery_str(entry, "role");
	if (t->cert.id == NULL || t->cert.name == NULL || t->cert.role == NULL ||
	    !cJSON_IsObject(scope) || !cJSON_IsArray(keys))
		return -1;
	t->orgs = recovery_scope_list(cJSON_GetObjectItemCaseSensitive(scope,
	    "organisations"), &t->cert.norganisations);
	t->topics = recovery_scope_list(cJSON_GetObjectItemCaseSensitive(scope,
	    "topics"), &t->cert.ntopics);
	t->orgs_owned = t->orgs != NULL && strcmp(t->orgs[0], "*") != 0;
	t->topics_owned = t->topics != NULL && strcmp(t->topics[0], "*") != 0;
	if (t->orgs == NULL || t->topics == NULL)
		return -1;
	t->cert.organisations = t->orgs;
	t->cert.topics = t->topics;
	key = NULL;
	cJSON_ArrayForEach(cur, keys)
		if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cur, "current")))
			key = cur;
	if (key == NULL)
		return -1;
	enc = recovery_str(key, "encryption_public_key");
	sig = recovery_str(key, "sign_public_key");
	cert = recovery_str(key, "certificate");
	not_after = recovery_str(key, "not_after");
	if (enc == NULL || sig == NULL || cert == NULL || not_after == NULL ||
	    json_in_b64(enc, t->cert.encryption_public_key, 32) == -1 ||
	    json_in_b64(sig, t->cert.sign_public_key, 32) == -1 ||
	    json_in_b64(cert, t->cert.certificate, 64) == -1)
		return -1;
	t->cert.not_after = not_after;
	if (seal_certificate_verify(&t->cert, cert_pk) != 0 ||
	    strcmp(not_after, today) < 0)
		return -1;
	return 0;
}

static void
recovery_target_free(struct recovery_target *t)
{
	if (t->orgs_owned)
		free(t->orgs);
	if (t->topics_owned)
		free(t->topics);
}

/* Open a recovery wrap (80 bytes, b64) into out[32]. 0, or -1. */
static int
recovery_open(const char *wrap_b64, const unsigned char pk[32],
    const unsigned char *sk, unsigned char *out)
{
	unsigned char wrap[80];

	if (wrap_b64 == NULL || json_in_b64(wrap_b64, wrap, sizeof(wrap)) == -1)
		return -1;
	return crypto_box_seal_open(out, wrap, sizeof(wrap), pk, sk) == 0 ? 0 : -1;
}

/* 0 if K opens to the case's key_commitment (SPEC 3.2). */
static int
recovery_commitment_ok(const unsigned char *K, const char *commitment_b64)
{
	unsigned char	k_report[32], want[32], got[32];
	int		ok;

	if (commitment_b64 == NULL ||
	    json_in_b64(commitment_b64, want, sizeof(want)) == -1 ||
	    crypto_kdf_derive_from_key(k_report, sizeof(k_report), 1, "meldcase",
	    K) != 0)
		return -1;
	ok = crypto_generichash(got, sizeof(got),
	    (const unsigned char *)"meldpunt/v1/key-commitment", 26, k_report,
	    sizeof(k_report)) == 0 && sodium_memcmp(got, want, 32) == 0;
	sodium_memzero(k_report, sizeof(k_report));
	return ok ? 0 : -1;
}

static int
recovery_add_wrap(cJSON *obj, const char *key, const unsigned char *secret,
    const unsigned char pk[32])
{
	unsigned char	wrap[80];
	char		b64[128];

	if (crypto_box_seal(wrap, secret, 32, pk) != 0)
		return -1;
	recovery_b64(b64, sizeof(b64), wrap, sizeof(wrap));
	return cJSON_AddStringToObject(obj, key, b64) == NULL ? -1 : 0;
}

/* One case of the export: checks, then the import wrap object. */
static cJSON *
recovery_case(const cJSON *c, const struct recovery_target *t,
    const unsigned char rpk[32], const unsigned char *rsk, unsigned char *K)
{
	const char	*id = recovery_str(c, "case_id"), *org, *topic, *note;
	char		 pk_b64[48];
	cJSON		*w;

	org = recovery_str(c, "organisation");
	topic = recovery_str(c, "topic");
	note = recovery_str(c, "recovery_note_wrap");
	if (id == NULL || org == NULL || topic == NULL) {
		fprintf(stderr, "recovery: a case of the export is malformed\n");
		return NULL;
	}
	if (!recovery_covers(t->orgs, t->cert.norganisations, org) ||
	    !recovery_covers(t->topics, t->cert.ntopics, topic)) {
		fprintf(stderr, "recovery: case %s lies outside the target's "
		    "certified scope\n", id);
		return NULL;
	}
	if (recovery_open(recovery_str(c, "recovery_wrap"), rpk, rsk, K) == -1 ||
	    recovery_commitment_ok(K, recovery_str(c, "key_commitment")) == -1) {
		fprintf(stderr, "recovery: case %s: the recovered key does not "
		    "match its key_commitment\n", id);
		return NULL;
	}
	recovery_b64(pk_b64, sizeof(pk_b64), t->cert.encryption_public_key, 32);
	if ((w = cJSON_CreateObject()) == NULL ||
	    cJSON_AddStringToObject(w, "case_id", id) == NULL ||
	    cJSON_AddStringToObject(w, "public_key", pk_b64) == NULL ||
	    recovery_add_wrap(w, "wrap", K, t->cert.encryption_public_key) == -1)
		goto fail;
	sodium_memzero(K, 32);
	if (note == NULL) {
		if (cJSON_AddNullToObject(w, "note_wrap") == NULL)
			goto fail;
		return w;
	}
	if (recovery_open(note, rpk, rsk, K) == -1 ||
	    recovery_add_wrap(w, "note_wrap", K, t->cert.encryption_public_key)
	    == -1) {
		fprintf(stderr, "recovery: case %s: the notes key does not open\n",
		    id);
		goto fail;
	}
	sodium_memzero(K, 32);
	return w;
fail:
	sodium_memzero(K, 32);
	cJSON_Delete(w);
	return NULL;
}

static int
recovery_write_out(const char *path, cJSON *out)
{
	char	*text = cJSON_PrintUnformatted(out);
	FILE	*fp;
	int	 rc = -1;

	if (text == NULL)
		return -1;
	if ((fp = fopen(path, "w")) != NULL) {
		rc = fputs(text, fp) < 0 || fputc('\n', fp) == EOF ? -1 : 0;
		if (fclose(fp) != 0)
			rc = -1;
	}
	cJSON_free(text);
	return rc;
}

int
recovery_rewrap(const char *const *share_paths, size_t nshares,
    const char *export_path, const char *target_path, const char *cert_pk_path,
    const char *out_path, const char *today)
{
	struct recovery_target	 t;
	unsigned char		 rpk[32], cert_pk[32], *rsk = NULL, *K = NULL;
	cJSON			*export = NULL, *target = NULL, *out = NULL, *wraps;
	const cJSON		*c, *cases;
	int			 rc = -1;

	memset(&t, 0, sizeof(t));
	if (keyfile_read(cert_pk_path, cert_pk, sizeof(cert_pk)) == -1 ||
	    (target = recovery_read_json(target_path)) == NULL ||
	    (export = recovery_read_json(export_path)) == NULL)
		goto out;
	if (recovery_target_load(target, cert_pk, today, &t) == -1) {
		fprintf(stderr, "recovery: the target's certificate does not "
		    "verify under the certification key (or has expired)\n");
		goto out;
	}
	if ((rsk = sodium_malloc(32)) == NULL || (K = sodium_malloc(32)) == NULL ||
	    recovery_combine(share_paths, nshares, rsk, rpk) == -1)
		goto out;
	cases = cJSON_GetObjectItemCaseSensitive(export, "cases");
	if (!cJSON_IsArray(cases) || (out = cJSON_CreateObject()) == NULL ||
	    cJSON_AddStringToObject(out, "adviser_id", t.cert.id) == NULL ||
	    (wraps = cJSON_AddArrayToObject(out, "wraps")) == NULL)
		goto out;
	cJSON_ArrayForEach(c, cases) {
		cJSON *w = recovery_case(c, &t, rpk, rsk, K);

		if (w == NULL || !cJSON_AddItemToArray(wraps, w)) {
			cJSON_Delete(w);
			goto out;
		}
	}
	if (recovery_write_out(out_path, out) == -1)
		goto out;
	printf("recovery: %d cases re-wrapped for %s\n",
	    cJSON_GetArraySize(cases), t.cert.id);
	rc = 0;
out:
	sodium_free(rsk);
	sodium_free(K);
	recovery_target_free(&t);
	cJSON_Delete(out);
	cJSON_Delete(export);
	cJSON_Delete(target);
	return rc;
}
