/*
 * test_seal.c - the server's constructions against the known-answer
 * vectors of tests/vectors/ (written by meldcrypto.js), and against the
 * bad inputs a client or a damaged database could hand them.
 *
 * Where a vector holds signed_message, the test rebuilds it from the SPEC
 * formula and compares, then checks seal_* against the vector's signature:
 * Ed25519 fails on any differing byte, so a passing verify means seal.c
 * built exactly those bytes. Signing is deterministic, so seal_*_sign must
 * reproduce the vector's signature exactly.
 */
#define _GNU_SOURCE	/* memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cjson/cJSON.h>
#include <sodium.h>

#include "seal.h"
#include "vectors.h"

#define B64	sodium_base64_VARIANT_URLSAFE_NO_PADDING

static const char	other_case_id[] = "AAAAAAAAAAAAAAAAAAAAAA";
static const char	other_uuid[] = "00000000-0000-4000-8000-000000000000";

/* --- Reading the vectors --- */

static const cJSON *
vectors_cases(const cJSON *root)
{
	const cJSON	*cases;

	cases = cJSON_GetObjectItemCaseSensitive(root, "cases");
	assert_true(cJSON_IsArray(cases));
	assert_true(cJSON_GetArraySize(cases) > 0);
	return cases;
}

static const char *
str(const cJSON *o, const char *key)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, key);

	assert_true(cJSON_IsString(v));
	return v->valuestring;
}

static int
boolean(const cJSON *o, const char *key)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, key);

	assert_true(cJSON_IsBool(v));
	return cJSON_IsTrue(v);
}

/* The bytes of a base64url field, malloc'd (free()); *len is their count. */
static unsigned char *
bin_alloc(const cJSON *o, const char *key, size_t *len)
{
	const char	*text = str(o, key), *end = NULL;
	size_t		 tlen = strlen(text);
	unsigned char	*out = malloc(tlen + 1);

	assert_non_null(out);
	assert_int_equal(sodium_base642bin(out, tlen + 1, text, tlen, NULL,
	    len, &end, B64), 0);
	assert_ptr_equal(end, text + tlen);
	return out;
}

/* The bytes of a base64url field that must be exactly n long. */
static void
bin(const cJSON *o, const char *key, unsigned char *out, size_t n)
{
	size_t		 len;
	unsigned char	*b = bin_alloc(o, key, &len);

	assert_int_equal(len, n);
	memcpy(out, b, n);
	free(b);
}

/* Alter one bit of s[i]; calling it again undoes it. */
static void
flip(unsigned char *s, size_t i)
{
	s[i] ^= 0x01;
}

/* Check a vector's signed message (field key) against our reading of SPEC. */
static void
expect_field_bytes(const cJSON *c, const char *key, const unsigned char *want,
    size_t len)
{
	size_t		 mlen;
	unsigned char	*m = bin_alloc(c, key, &mlen);

	assert_int_equal(mlen, len);
	assert_memory_equal(m, want, len);
	free(m);
}

static void
expect_signed_message(const cJSON *c, const unsigned char *want, size_t len)
{
	expect_field_bytes(c, "signed_message", want, len);
}

/* label + a + "|" + b + "|" || hash, in buf (cap bytes); returns length. */
static size_t
thread_message(unsigned char *buf, size_t cap, const char *label,
    const char *a, const char *b, const unsigned char *h)
{
	int	n = snprintf((char *)buf, cap, "%s%s|%s|", label, a, b);

	assert_true(n > 0 && (size_t)n + 32 <= cap);
	memcpy(buf + n, h, 32);
	return (size_t)n + 32;
}

/* --- 3.4 Messages --- */

static void
message_vectors_verify(void **state)
{
	cJSON		*root = vectors_load("message.json");
	const cJSON	*c;
	int		 seen_valid = 0, seen_invalid = 0;

	(void)state;
	cJSON_ArrayForEach(c, vectors_cases(root)) {
		unsigned char	 sig[64], pk[32], h[32], m[256];
		size_t		 ctlen, mlen;
		unsigned char	*ct = bin_alloc(c, "ciphertext", &ctlen);
		const char	*case_id = str(c, "case_id");
		const char	*author = str(c, "author");

		bin(c, "signature", sig, sizeof(sig));
		bin(c, "sign_public_key", pk, sizeof(pk));
		assert_int_equal(crypto_generichash(h, 32, ct, ctlen, NULL, 0),
		    0);
		mlen = thread_message(m, sizeof(m), "meldpunt/v1/message-sig|",
		    case_id, author, h);
		expect_signed_message(c, m, mlen);

		if (!boolean(c, "signature_valid")) {
			assert_int_equal(seal_message_verify(case_id, author,
			    ct, ctlen, sig, pk), -1);
			seen_invalid++;
			free(ct);
			continue;
		}
		seen_valid++;
		assert_int_equal(seal_message_verify(case_id, author, ct, ctlen,
		    sig, pk), 0);
		/* The same message under another case or author. */
		assert_int_equal(seal_message_verify(other_case_id, author, ct,
		    ctlen, sig, pk), -1);
		assert_int_equal(seal_message_verify(case_id,
		    strcmp(author, "reporter") == 0 ?
		    "adviser:3f0a6c52-8d1e-4b7a-9c2f-5e6d7a8b9c01" : "reporter",
		    ct, ctlen, sig, pk), -1);
		/* A note signature is not a message signature. */
		if (strncmp(author, "adviser:", 8) == 0)
			assert_int_equal(seal_note_verify(case_id, author + 8,
			    ct, ctlen, sig, pk), -1);
		/* One byte altered: first and last of the ciphertext. */
		flip(ct, 0);
		assert_int_equal(seal_message_verify(case_id, author, ct, ctlen,
		    sig, pk), -1);
		flip(ct, 0);
		flip(ct, ctlen - 1);
		assert_int_equal(seal_message_verify(case_id, author, ct, ctlen,
		    sig, pk), -1);
		flip(ct, ctlen - 1);
		/* Truncated ciphertext (the nonce prefix alone). */
		assert_int_equal(seal_message_verify(case_id, author, ct, 24,
		    sig, pk), -1);
		/* One byte of the signature, in R and in S. */
		flip(sig, 3);
		assert_int_equal(seal_message_verify(case_id, author, ct, ctlen,
		    sig, pk), -1);
		flip(sig, 3);
		flip(sig, 40);
		assert_int_equal(seal_message_verify(case_id, author, ct, ctlen,
		    sig, pk), -1);
		flip(sig, 40);
		/* Another key, and the all-zero (low-order) key. */
		flip(pk, 0);
		assert_int_equal(seal_message_verify(case_id, author, ct, ctlen,
		    sig, pk), -1);
		memset(pk, 0, sizeof(pk));
		assert_int_equal(seal_message_verify(case_id, author, ct, ctlen,
		    sig, pk), -1);
		free(ct);
	}
	assert_int_equal(seen_valid, 2);
	assert_int_equal(seen_invalid, 1);
	cJSON_Delete(root);
}

static void
message_malformed_ids_refused(void **state)
{
	cJSON		*root = vectors_load("message.json");
	const cJSON	*c = cJSON_GetArrayItem(vectors_cases(root), 0);
	unsigned char	 sig[64], pk[32];
	size_t		 ctlen;
	unsigned char	*ct = bin_alloc(c, "ciphertext", &ctlen);
	const char	*case_id = str(c, "case_id");

	(void)state;
	bin(c, "signature", sig, sizeof(sig));
	bin(c, "sign_public_key", pk, sizeof(pk));
	assert_int_equal(seal_message_verify(case_id, "reporter", ct, ctlen,
	    sig, pk), 0);
	/* Non-canonical base64 of the same 16 bytes (trailing bits set). */
	assert_string_equal(case_id, "zLs7lQs-HDbPyzLzLY0HIA");
	assert_int_equal(seal_message_verify("zLs7lQs-HDbPyzLzLY0HIB",
	    "reporter", ct, ctlen, sig, pk), -1);
	assert_int_equal(seal_message_verify("zLs7lQs-HDbPyzLzLY0HI",
	    "reporter", ct, ctlen, sig, pk), -1);
	assert_int_equal(seal_message_verify("zLs7lQs-HDbPyzLzLY0HIA=",
	    "reporter", ct, ctlen, sig, pk), -1);
	assert_int_equal(seal_message_verify("zLs7lQs+HDbPyzLzLY0HIA",
	    "reporter", ct, ctlen, sig, pk), -1);
	assert_int_equal(seal_message_verify("", "reporter", ct, ctlen, sig,
	    pk), -1);
	assert_int_equal(seal_message_verify(NULL, "reporter", ct, ctlen, sig,
	    pk), -1);
	/* Authors: exact "reporter" or "adviser:<uuid>". */
	assert_int_equal(seal_message_verify(case_id, "Reporter", ct, ctlen,
	    sig, pk), -1);
	assert_int_equal(seal_message_verify(case_id, "reporter|", ct, ctlen,
	    sig, pk), -1);
	assert_int_equal(seal_message_verify(case_id, "adviser:", ct, ctlen,
	    sig, pk), -1);
	assert_int_equal(seal_message_verify(case_id,
	    "adviser:3f0a6c52-8d1e-4b7a-9c2f-5e6d7a8b9c0", ct, ctlen, sig, pk),
	    -1);
	assert_int_equal(seal_message_verify(case_id,
	    "adviser:3f0a6c52x8d1e-4b7a-9c2f-5e6d7a8b9c01", ct, ctlen, sig, pk),
	    -1);
	assert_int_equal(seal_message_verify(case_id, NULL, ct, ctlen, sig,
	    pk), -1);
	/* NULL ciphertext with a length. */
	assert_int_equal(seal_message_verify(case_id, "reporter", NULL, ctlen,
	    sig, pk), -1);
	free(ct);
	cJSON_Delete(root);
}

/* Sign label-built bytes ourselves, so only the id checks can refuse them. */
static void
sign_thread(unsigned char sig[64], const char *label, const char *a,
    const char *b, const unsigned char *ct, size_t ctlen,
    const unsigned char sk[64])
{
	unsigned char	h[32], m[256];
	size_t		mlen;

	assert_int_equal(crypto_generichash(h, 32, ct, ctlen, NULL, 0), 0);
	mlen = thread_message(m, sizeof(m), label, a, b, h);
	assert_int_equal(crypto_sign_detached(sig, NULL, m, mlen, sk), 0);
}

static void
validly_signed_malformed_ids_refused(void **state)
{
	static const char	msg[] = "meldpunt/v1/message-sig|";
	static const char	note[] = "meldpunt/v1/note-sig|";
	static const char	good_case[] = "zLs7lQs-HDbPyzLzLY0HIA";
	static const char	good_uuid[] =
	    "3f0a6c52-8d1e-4b7a-9c2f-5e6d7a8b9c01";
	static const char	*const bad_cases[] = {
	    "zLs7lQs-HDbPyzLzLY0HIB",	/* non-canonical trailing bits */
	    "zLs7lQs-HDbPyzLzLY0HI", "zLs7lQs+HDbPyzLzLY0HIA", "a|b",
	};
	static const char	*const bad_authors[] = {
	    "adviser:", "adviser:x", "Reporter", "adviser:" "3f0a6c52-8d1e-"
	    "4b7a-9c2f-5e6d7a8b9c01|", "adviser:3f0a6c52-8d1e-4b7a-9c2f-"
	    "5e6d7a8b9c0g",
	};
	static const char	*const bad_uuids[] = {
	    "", "3f0a6c52-8d1e-4b7a-9c2f-5e6d7a8b9c0", "3f0a6c52+8d1e-4b7a-"
	    "9c2f-5e6d7a8b9c01", "adviser:3f0a6c52-8d1e-4b7a-9c2f-5e6d7a8b9c01",
	};
	unsigned char		 pk[32], sk[64], sig[64], ct[64];
	size_t			 i;

	(void)state;
	assert_int_equal(crypto_sign_keypair(pk, sk), 0);
	randombytes_buf(ct, sizeof(ct));
	/* The well-formed control: accepted. */
	sign_thread(sig, msg, good_case, "reporter", ct, sizeof(ct), sk);
	assert_int_equal(seal_message_verify(good_case, "reporter", ct,
	    sizeof(ct), sig, pk), 0);
	sign_thread(sig, note, good_case, good_uuid, ct, sizeof(ct), sk);
	assert_int_equal(seal_note_verify(good_case, good_uuid, ct, sizeof(ct),
	    sig, pk), 0);
	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		sign_thread(sig, msg, bad_cases[i], "reporter", ct, sizeof(ct),
		    sk);
		assert_int_equal(seal_message_verify(bad_cases[i], "reporter",
		    ct, sizeof(ct), sig, pk), -1);
		sign_thread(sig, note, bad_cases[i], good_uuid, ct, sizeof(ct),
		    sk);
		assert_int_equal(seal_note_verify(bad_cases[i], good_uuid, ct,
		    sizeof(ct), sig, pk), -1);
	}
	for (i = 0; i < sizeof(bad_authors) / sizeof(bad_authors[0]); i++) {
		sign_thread(sig, msg, good_case, bad_authors[i], ct, sizeof(ct),
		    sk);
		assert_int_equal(seal_message_verify(good_case, bad_authors[i],
		    ct, sizeof(ct), sig, pk), -1);
	}
	for (i = 0; i < sizeof(bad_uuids) / sizeof(bad_uuids[0]); i++) {
		sign_thread(sig, note, good_case, bad_uuids[i], ct, sizeof(ct),
		    sk);
		assert_int_equal(seal_note_verify(good_case, bad_uuids[i], ct,
		    sizeof(ct), sig, pk), -1);
	}
	sodium_memzero(sk, sizeof(sk));
}

/* --- 3.5 Notes and the notes key --- */

static void
note_vectors_verify(void **state)
{
	cJSON		*root = vectors_load("note.json");
	const cJSON	*c;
	int		 n = 0;

	(void)state;
	cJSON_ArrayForEach(c, vectors_cases(root)) {
		unsigned char	 sig[64], pk[32], h[32], m[256];
		char		 author[64];
		size_t		 ctlen, mlen;
		unsigned char	*ct = bin_alloc(c, "ciphertext", &ctlen);
		const char	*case_id = str(c, "case_id");
		const char	*adviser_id = str(c, "adviser_id");

		bin(c, "signature", sig, sizeof(sig));
		bin(c, "sign_public_key", pk, sizeof(pk));
		assert_int_equal(crypto_generichash(h, 32, ct, ctlen, NULL, 0),
		    0);
		mlen = thread_message(m, sizeof(m), "meldpunt/v1/note-sig|",
		    case_id, adviser_id, h);
		expect_signed_message(c, m, mlen);

		assert_int_equal(seal_note_verify(case_id, adviser_id, ct,
		    ctlen, sig, pk), 0);
		assert_int_equal(seal_note_verify(other_case_id, adviser_id, ct,
		    ctlen, sig, pk), -1);
		assert_int_equal(seal_note_verify(case_id, other_uuid, ct,
		    ctlen, sig, pk), -1);
		/* The note label is the bare id, not "adviser:<id>". */
		snprintf(author, sizeof(author), "adviser:%s", adviser_id);
		assert_int_equal(seal_note_verify(case_id, author, ct, ctlen,
		    sig, pk), -1);
		/* A note signature is not a message signature. */
		assert_int_equal(seal_message_verify(case_id, author, ct, ctlen,
		    sig, pk), -1);
		flip(ct, ctlen / 2);
		assert_int_equal(seal_note_verify(case_id, adviser_id, ct,
		    ctlen, sig, pk), -1);
		flip(ct, ctlen / 2);
		flip(sig, 63);
		assert_int_equal(seal_note_verify(case_id, adviser_id, ct,
		    ctlen, sig, pk), -1);
		flip(sig, 63);
		flip(pk, 31);
		assert_int_equal(seal_note_verify(case_id, adviser_id, ct,
		    ctlen, sig, pk), -1);
		free(ct);
		n++;
	}
	assert_true(n >= 1);
	cJSON_Delete(root);
}

static void
notes_key_vectors_verify(void **state)
{
	cJSON		*root = vectors_load("notes_key.json");
	const cJSON	*c;
	int		 n = 0;

	(void)state;
	cJSON_ArrayForEach(c, vectors_cases(root)) {
		unsigned char	 sig[64], pk[32], com[32], nk[32], h[32];
		unsigned char	 m[128];
		const char	*case_id = str(c, "case_id");
		int		 len;

		bin(c, "notes_key_signature", sig, sizeof(sig));
		bin(c, "sign_public_key", pk, sizeof(pk));
		bin(c, "notes_key_commitment", com, sizeof(com));
		bin(c, "notes_key", nk, sizeof(nk));
		/* The commitment is the client's, but check our reading. */
		len = snprintf((char *)m, sizeof(m), "meldpunt/v1/notes-key|%s",
		    case_id);
		assert_int_equal(crypto_generichash(h, 32, m, (size_t)len, nk,
		    32), 0);
		assert_memory_equal(h, com, 32);
		len = snprintf((char *)m, sizeof(m),
		    "meldpunt/v1/notes-key-sig|%s|", case_id);
		memcpy(m + len, com, 32);
		expect_signed_message(c, m, (size_t)len + 32);

		assert_int_equal(seal_notes_key_verify(case_id, com, sig, pk),
		    0);
		assert_int_equal(seal_notes_key_verify(other_case_id, com, sig,
		    pk), -1);
		flip(com, 0);
		assert_int_equal(seal_notes_key_verify(case_id, com, sig, pk),
		    -1);
		flip(com, 0);
		flip(sig, 10);
		assert_int_equal(seal_notes_key_verify(case_id, com, sig, pk),
		    -1);
		flip(sig, 10);
		memset(pk, 0, sizeof(pk));
		assert_int_equal(seal_notes_key_verify(case_id, com, sig, pk),
		    -1);
		n++;
	}
	assert_true(n >= 1);
	cJSON_Delete(root);
}

/* --- Section 4: reporter login --- */

static void
reporter_login_vectors_verify(void **state)
{
	cJSON		*root = vectors_load("reporter_login.json");
	const cJSON	*c;
	int		 valid = 0, invalid = 0;

	(void)state;
	cJSON_ArrayForEach(c, vectors_cases(root)) {
		static const char	label[] = "meldpunt/v1/reporter-login|";
		unsigned char		sig[64], pk[32], ch[32];
		unsigned char		m[sizeof(label) - 1 + 32];

		bin(c, "signature", sig, sizeof(sig));
		bin(c, "sign_public_key", pk, sizeof(pk));
		bin(c, "challenge", ch, sizeof(ch));
		memcpy(m, label, sizeof(label) - 1);
		memcpy(m + sizeof(label) - 1, ch, 32);
		expect_signed_message(c, m, sizeof(m));
		if (!boolean(c, "valid")) {
			assert_int_equal(
			    seal_reporter_login_verify(ch, sig, pk), -1);
			invalid++;
			continue;
		}
		valid++;
		assert_int_equal(seal_reporter_login_verify(ch, sig, pk), 0);
		flip(ch, 31);
		assert_int_equal(seal_reporter_login_verify(ch, sig, pk), -1);
		flip(ch, 31);
		flip(sig, 0);
		assert_int_equal(seal_reporter_login_verify(ch, sig, pk), -1);
		flip(sig, 0);
		flip(pk, 5);
		assert_int_equal(seal_reporter_login_verify(ch, sig, pk), -1);
	}
	assert_int_equal(valid, 1);
	assert_int_equal(invalid, 1);
	cJSON_Delete(root);
}

/* --- 3.10 Proof of submission --- */

struct proof {
	const char	*case_id, *received_on, *organisation, *topic;
	unsigned char	*ct;
	size_t		 ctlen;
	unsigned char	 commitment[32], sig[64], key_id[8];
};

static void
proof_read(const cJSON *c, struct proof *p)
{
	const cJSON	*o = cJSON_GetObjectItemCaseSensitive(c, "proof");

	assert_true(cJSON_IsObject(o));
	p->case_id = str(o, "case_id");
	p->received_on = str(o, "received_on");
	p->organisation = str(o, "organisation");
	p->topic = str(o, "topic");
	p->ct = bin_alloc(o, "report_ciphertext", &p->ctlen);
	bin(o, "key_commitment", p->commitment, 32);
	bin(o, "signature", p->sig, 64);
	bin(o, "desk_key_id", p->key_id, 8);
}

static void
proof_vectors_sign_and_verify(void **state)
{
	cJSON		*root = vectors_load("proof.json");
	const cJSON	*c;
	int		 valid = 0, invalid = 0;

	(void)state;
	cJSON_ArrayForEach(c, vectors_cases(root)) {
		struct proof	p;
		unsigned char	pk[32], sk[64], sig[64], id[8], h[32];
		unsigned char	m[256];
		int		len;

		proof_read(c, &p);
		bin(c, "desk_sign_public_key", pk, sizeof(pk));
		bin(c, "desk_sign_secret_key", sk, sizeof(sk));
		assert_memory_equal(sk + 32, pk, 32);
		bin(c, "desk_key_id", id, sizeof(id));
		assert_memory_equal(id, p.key_id, 8);

		assert_int_equal(crypto_generichash(h, 32, p.ct, p.ctlen, NULL,
		    0), 0);
		len = snprintf((char *)m, sizeof(m),
		    "meldpunt/v1/proof|%s|%s|%s|%s|", p.case_id, p.received_on,
		    p.organisation, p.topic);
		memcpy(m + len, h, 32);
		memcpy(m + len + 32, p.commitment, 32);
		expect_signed_message(c, m, (size_t)len + 64);

		memset(id, 0xff, sizeof(id));
		assert_int_equal(seal_desk_key_id(id, pk), 0);
		assert_memory_equal(id, p.key_id, 8);

		if (!boolean(c, "valid")) {
			assert_int_equal(seal_proof_verify(p.sig, p.case_id,
			    p.received_on, p.organisation, p.topic, p.ct,
			    p.ctlen, p.commitment, pk), -1);
			invalid++;
			free(p.ct);
			continue;
		}
		valid++;
		assert_int_equal(seal_proof_sign(sig, p.case_id, p.received_on,
		    p.organisation, p.topic, p.ct, p.ctlen, p.commitment, sk),
		    0);
		assert_memory_equal(sig, p.sig, 64);
		assert_int_equal(seal_proof_verify(sig, p.case_id,
		    p.received_on, p.organisation, p.topic, p.ct, p.ctlen,
		    p.commitment, pk), 0);
		/* Each signed field matters. */
		assert_int_equal(seal_proof_verify(sig, other_case_id,
		    p.received_on, p.organisation, p.topic, p.ct, p.ctlen,
		    p.commitment, pk), -1);
		assert_int_equal(seal_proof_verify(sig, p.case_id,
		    "2025-04-03", p.organisation, p.topic, p.ct, p.ctlen,
		    p.commitment, pk), -1);
		assert_int_equal(seal_proof_verify(sig, p.case_id,
		    p.received_on, "minfin", p.topic, p.ct, p.ctlen,
		    p.commitment, pk), -1);
		assert_int_equal(seal_proof_verify(sig, p.case_id,
		    p.received_on, p.organisation, "other", p.ct, p.ctlen,
		    p.commitment, pk), -1);
		flip(p.ct, p.ctlen - 1);
		assert_int_equal(seal_proof_verify(sig, p.case_id,
		    p.received_on, p.organisation, p.topic, p.ct, p.ctlen,
		    p.commitment, pk), -1);
		flip(p.ct, p.ctlen - 1);
		flip(p.commitment, 31);
		assert_int_equal(seal_proof_verify(sig, p.case_id,
		    p.received_on, p.organisation, p.topic, p.ct, p.ctlen,
		    p.commitment, pk), -1);
		flip(p.commitment, 31);
		flip(sig, 20);
		assert_int_equal(seal_proof_verify(sig, p.case_id,
		    p.received_on, p.organisation, p.topic, p.ct, p.ctlen,
		    p.commitment, pk), -1);
		/* Malformed fields are refused and leave no signature. */
		memset(sig, 0xaa, sizeof(sig));
		assert_int_equal(seal_proof_sign(sig, p.case_id, "2025-02-29",
		    p.organisation, p.topic, p.ct, p.ctlen, p.commitment, sk),
		    -1);
		assert_true(sodium_is_zero(sig, sizeof(sig)));
		assert_int_equal(seal_proof_sign(sig, p.case_id, p.received_on,
		    "BZK", p.topic, p.ct, p.ctlen, p.commitment, sk), -1);
		assert_int_equal(seal_proof_sign(sig, p.case_id, p.received_on,
		    p.organisation, "racism|x", p.ct, p.ctlen, p.commitment,
		    sk), -1);
		assert_int_equal(seal_proof_sign(sig, "short", p.received_on,
		    p.organisation, p.topic, p.ct, p.ctlen, p.commitment, sk),
		    -1);
		free(p.ct);
	}
	assert_int_equal(valid, 1);
	assert_int_equal(invalid, 1);
	cJSON_Delete(root);
}

/* --- 3.8 Certificates and fingerprints --- */

#define SCOPE_MAX	16

struct cert_case {
	struct seal_cert	 cert;
	const char		*orgs[SCOPE_MAX], *topics[SCOPE_MAX];
	unsigned char		 cert_pk[32];
};

static size_t
scope_read(const cJSON *c, const char *key, const char **out)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(c, key);
	const cJSON	*e;
	size_t		 n = 0;

	if (cJSON_IsString(v)) {
		assert_string_equal(v->valuestring, "*");
		out[0] = "*";
		return 1;
	}
	assert_true(cJSON_IsArray(v));
	cJSON_ArrayForEach(e, v) {
		assert_true(cJSON_IsString(e));
		assert_true(n < SCOPE_MAX);
		out[n++] = e->valuestring;
	}
	return n;
}

static void
cert_read(const cJSON *c, struct cert_case *cc)
{
	memset(cc, 0, sizeof(*cc));
	cc->cert.id = str(c, "id");
	cc->cert.name = str(c, "name");
	cc->cert.role = str(c, "role");
	cc->cert.not_after = str(c, "not_after");
	cc->cert.norganisations = scope_read(c, "organisations", cc->orgs);
	cc->cert.organisations = cc->orgs;
	cc->cert.ntopics = scope_read(c, "topics", cc->topics);
	cc->cert.topics = cc->topics;
	bin(c, "encryption_public_key", cc->cert.encryption_public_key, 32);
	bin(c, "sign_public_key", cc->cert.sign_public_key, 32);
	bin(c, "certificate", cc->cert.certificate, 64);
	bin(c, "certification_public_key", cc->cert_pk, 32);
}

/* The certificate message of cc must equal want (len bytes). */
static void
expect_cert_message(const struct seal_cert *c, const unsigned char *want,
    size_t len)
{
	size_t		 mlen = 0;
	unsigned char	*m = seal_certificate_message(c, &mlen);

	assert_non_null(m);
	assert_int_equal(mlen, len);
	assert_memory_equal(m, want, len);
	free(m);
}

static void
certificate_vectors_verify(void **state)
{
	cJSON		*root = vectors_load("certificate.json");
	const cJSON	*c;
	int		 valid = 0, invalid = 0;

	(void)state;
	cJSON_ArrayForEach(c, vectors_cases(root)) {
		struct cert_case	 cc;
		unsigned char		*want, *name64;
		char			 head[512];
		size_t			 wlen, nlen;
		int			 n;

		cert_read(c, &cc);
		want = bin_alloc(c, "signed_message", &wlen);
		/* Our reading of the SPEC gives the vector's bytes... */
		nlen = sodium_base64_ENCODED_LEN(strlen(cc.cert.name), B64);
		name64 = malloc(nlen);
		assert_non_null(name64);
		sodium_bin2base64((char *)name64, nlen,
		    (const unsigned char *)cc.cert.name, strlen(cc.cert.name),
		    B64);
		n = snprintf(head, sizeof(head),
		    "meldpunt/v1/adviser-cert|%s|%s|%s|%s|%s|%s|", cc.cert.id,
		    (char *)name64, cc.cert.role,
		    str(c, "organisations_joined"), str(c, "topics_joined"),
		    cc.cert.not_after);
		assert_true(n > 0 && (size_t)n + 64 == wlen);
		assert_memory_equal(want, head, (size_t)n);
		assert_memory_equal(want + n, cc.cert.encryption_public_key,
		    32);
		assert_memory_equal(want + n + 32, cc.cert.sign_public_key, 32);
		/* ...and so does seal.c, from the unsorted lists. */
		expect_cert_message(&cc.cert, want, wlen);
		free(name64);
		free(want);

		if (!boolean(c, "valid")) {
			assert_int_equal(seal_certificate_verify(&cc.cert,
			    cc.cert_pk), -1);
			invalid++;
			continue;
		}
		valid++;
		assert_int_equal(seal_certificate_verify(&cc.cert, cc.cert_pk),
		    0);
		flip(cc.cert.certificate, 7);
		assert_int_equal(seal_certificate_verify(&cc.cert, cc.cert_pk),
		    -1);
		flip(cc.cert.certificate, 7);
		flip(cc.cert.sign_public_key, 0);
		assert_int_equal(seal_certificate_verify(&cc.cert, cc.cert_pk),
		    -1);
		flip(cc.cert.sign_public_key, 0);
		flip(cc.cert.encryption_public_key, 31);
		assert_int_equal(seal_certificate_verify(&cc.cert, cc.cert_pk),
		    -1);
		flip(cc.cert.encryption_public_key, 31);
		cc.cert.not_after = "2099-12-31";
		assert_int_equal(seal_certificate_verify(&cc.cert, cc.cert_pk),
		    -1);
		cc.cert.not_after = str(c, "not_after");
		cc.cert.role = strcmp(cc.cert.role, "adviser") == 0 ?
		    "coordinator" : "adviser";
		assert_int_equal(seal_certificate_verify(&cc.cert, cc.cert_pk),
		    -1);
		cc.cert.role = str(c, "role");
		cc.cert.name = "Someone Else";
		assert_int_equal(seal_certificate_verify(&cc.cert, cc.cert_pk),
		    -1);
		cc.cert.name = str(c, "name");
		flip(cc.cert_pk, 1);
		assert_int_equal(seal_certificate_verify(&cc.cert, cc.cert_pk),
		    -1);
		flip(cc.cert_pk, 1);
		/* Unchanged again: still valid (the flips were undone). */
		assert_int_equal(seal_certificate_verify(&cc.cert, cc.cert_pk),
		    0);
	}
	assert_int_equal(valid, 2);
	assert_int_equal(invalid, 2);
	cJSON_Delete(root);
}

/* A certificate of the vector's first case, with our own scope lists. */
static struct cert_case *
cert_first(cJSON **root)
{
	static struct cert_case	cc;

	*root = vectors_load("certificate.json");
	cert_read(cJSON_GetArrayItem(vectors_cases(*root), 0), &cc);
	return &cc;
}

static void
certificate_scope_sorted_whatever_the_input_order(void **state)
{
	cJSON			*root;
	struct cert_case	*cc = cert_first(&root);
	static const char	*const o1[] = { "bzk", "minfin" };
	static const char	*const o2[] = { "minfin", "bzk" };
	static const char	*const t1[] = { "racism", "discrimination" };
	static const char	*const t2[] = { "discrimination", "racism" };
	static const char	*const o3[] = { "z", "b-2", "b_1", "a", "b" };
	unsigned char		*m1, *m2;
	size_t			 l1, l2;

	(void)state;
	assert_int_equal(seal_certificate_verify(&cc->cert, cc->cert_pk), 0);
	cc->cert.organisations = o1;
	cc->cert.topics = t2;
	m1 = seal_certificate_message(&cc->cert, &l1);
	assert_int_equal(seal_certificate_verify(&cc->cert, cc->cert_pk), 0);
	cc->cert.organisations = o2;
	cc->cert.topics = t1;
	m2 = seal_certificate_message(&cc->cert, &l2);
	assert_int_equal(seal_certificate_verify(&cc->cert, cc->cert_pk), 0);
	assert_non_null(m1);
	assert_non_null(m2);
	assert_int_equal(l1, l2);
	assert_memory_equal(m1, m2, l1);
	free(m1);
	free(m2);
	/* Byte order: '-' (0x2d) < '_' (0x5f); a prefix sorts first. */
	cc->cert.organisations = o3;
	cc->cert.norganisations = 5;
	m1 = seal_certificate_message(&cc->cert, &l1);
	assert_non_null(m1);
	assert_non_null(memmem(m1, l1, "|a,b,b-2,b_1,z|", 15));
	free(m1);
	cJSON_Delete(root);
}

static void
certificate_star_forms(void **state)
{
	cJSON			*root = vectors_load("certificate.json");
	struct cert_case	 cc;
	static const char	*const star[] = { "*" };
	static const char	*const star_and_id[] = { "*", "bzk" };

	(void)state;
	/* Case 1 is the coordinator with "*"/"*", read as { "*" }. */
	cert_read(cJSON_GetArrayItem(vectors_cases(root), 1), &cc);
	assert_int_equal(seal_certificate_verify(&cc.cert, cc.cert_pk), 0);
	cc.cert.organisations = star;
	cc.cert.norganisations = 1;
	assert_int_equal(seal_certificate_verify(&cc.cert, cc.cert_pk), 0);
	/* "*" beside an id is neither form: refused. */
	cc.cert.organisations = star_and_id;
	cc.cert.norganisations = 2;
	assert_int_equal(seal_certificate_verify(&cc.cert, cc.cert_pk), -1);
	cJSON_Delete(root);
}

static void
certificate_malformed_fields_refused(void **state)
{
	cJSON			*root;
	struct cert_case	*cc = cert_first(&root);
	struct seal_cert	 good = cc->cert;
	struct seal_cert	 c;
	static const char	*const dup[] = { "bzk", "minfin", "bzk" };
	static const char	*const upper[] = { "BZK" };
	static const char	*const pipe[] = { "bzk|x" };
	static const char	*const comma[] = { "bzk,minfin" };
	static const char	*const empty_id[] = { "" };
	static const char	*const null_id[] = { NULL };
	static const char	*const dash_first[] = { "-bzk" };
	size_t			 len;

	(void)state;
#define REFUSED(field, value) do {					\
	c = good; c.field = value;					\
	assert_null(seal_certificate_message(&c, &len));		\
	assert_int_equal(seal_certificate_verify(&c, cc->cert_pk), -1);	\
} while (0)
#define SCOPE_REFUSED(list, n) do {					\
	c = good; c.organisations = list; c.norganisations = n;		\
	assert_null(seal_certificate_message(&c, &len));		\
	c = good; c.topics = list; c.ntopics = n;			\
	assert_null(seal_certificate_message(&c, &len));		\
} while (0)
	assert_int_equal(seal_certificate_verify(&good, cc->cert_pk), 0);
	REFUSED(id, "3f0a6c52-8d1e-4b7a-9c2f");
	REFUSED(id, "3f0a6c52-8d1e-4b7a-9c2f-5e6d7a8b9c01|");
	REFUSED(id, "3f0a6c52|8d1e-4b7a-9c2f-5e6d7a8b9c01");
	REFUSED(id, NULL);
	REFUSED(role, "admin");
	REFUSED(role, "Adviser");
	REFUSED(role, NULL);
	REFUSED(not_after, "2026-12-32");
	REFUSED(not_after, "2026-02-29");
	REFUSED(not_after, "2100-02-29");
	REFUSED(not_after, "2026-13-01");
	REFUSED(not_after, "2026-00-10");
	REFUSED(not_after, "2026-1-01");
	REFUSED(not_after, "2026-12-31T");
	REFUSED(not_after, "0099-12-31");
	REFUSED(name, "\xc3");			/* truncated sequence */
	REFUSED(name, "\xc0\xaf");		/* overlong '/' */
	REFUSED(name, "\xed\xa0\x80");		/* a surrogate, U+D800 */
	REFUSED(name, "\xf4\x90\x80\x80");	/* above U+10FFFF */
	REFUSED(name, NULL);
	SCOPE_REFUSED(dup, 3);
	SCOPE_REFUSED(upper, 1);
	SCOPE_REFUSED(pipe, 1);
	SCOPE_REFUSED(comma, 1);
	SCOPE_REFUSED(empty_id, 1);
	SCOPE_REFUSED(null_id, 1);
	SCOPE_REFUSED(dash_first, 1);
	SCOPE_REFUSED(good.organisations, 0);
	SCOPE_REFUSED(NULL, 2);
#undef REFUSED
#undef SCOPE_REFUSED
	/* Leap days and digits-first slugs are fine. */
	c = good;
	c.not_after = "2028-02-29";
	assert_non_null(c.organisations);
	{
		unsigned char	*m = seal_certificate_message(&c, &len);

		assert_non_null(m);
		free(m);
		c.not_after = "2000-02-29";
		m = seal_certificate_message(&c, &len);
		assert_non_null(m);
		free(m);
	}
	assert_null(seal_certificate_message(NULL, &len));
	cJSON_Delete(root);
}

static void
certificate_name_limits_as_the_js_module(void **state)
{
	cJSON			*root;
	struct cert_case	*cc = cert_first(&root);
	struct seal_cert	 c = cc->cert;
	char			 name[4 * 1024 + 8];
	unsigned char		*m;
	size_t			 len, i;

	(void)state;
	/* 1024 UTF-16 units is the most; "é" is one unit, 2 bytes. */
	for (i = 0; i < 1024; i++)
		memcpy(name + 2 * i, "\xc3\xa9", 2);
	name[2048] = '\0';
	c.name = name;
	m = seal_certificate_message(&c, &len);
	assert_non_null(m);
	free(m);
	memcpy(name + 2048, "a", 2);
	assert_null(seal_certificate_message(&c, &len));
	/* An emoji is two units: 512 of them fit, 513 do not. */
	for (i = 0; i < 512; i++)
		memcpy(name + 4 * i, "\xf0\x9f\x98\x80", 4);
	name[2048] = '\0';
	m = seal_certificate_message(&c, &len);
	assert_non_null(m);
	free(m);
	memcpy(name + 2048, "\xf0\x9f\x98\x80", 5);
	assert_null(seal_certificate_message(&c, &len));
	/* The empty name is allowed (JS allows it). */
	c.name = "";
	m = seal_certificate_message(&c, &len);
	assert_non_null(m);
	assert_non_null(memmem(m, len, "-5e6d7a8b9c01||adviser|", 23));
	free(m);
	cJSON_Delete(root);
}

static void
certificate_sign_round_trip(void **state)
{
	cJSON			*root;
	struct cert_case	*cc = cert_first(&root);
	unsigned char		 pk[32], sk[64], sig[64];
	static const char	*const bad[] = { "BAD" };

	(void)state;
	assert_int_equal(crypto_sign_keypair(pk, sk), 0);
	assert_int_equal(seal_certificate_sign(sig, &cc->cert, sk), 0);
	memcpy(cc->cert.certificate, sig, 64);
	assert_int_equal(seal_certificate_verify(&cc->cert, pk), 0);
	/* Not under the desk's key of the vectors. */
	assert_int_equal(seal_certificate_verify(&cc->cert, cc->cert_pk), -1);
	cc->cert.topics = bad;
	cc->cert.ntopics = 1;
	memset(sig, 0xaa, sizeof(sig));
	assert_int_equal(seal_certificate_sign(sig, &cc->cert, sk), -1);
	assert_true(sodium_is_zero(sig, sizeof(sig)));
	sodium_memzero(sk, sizeof(sk));
	cJSON_Delete(root);
}

static void
fingerprint_vectors(void **state)
{
	cJSON		*root = vectors_load("fingerprint.json");
	const cJSON	*c;
	int		 n = 0;

	(void)state;
	cJSON_ArrayForEach(c, vectors_cases(root)) {
		unsigned char	enc[32], sign[32];
		char		fp[SEAL_FINGERPRINT_LEN + 1];

		bin(c, "encryption_public_key", enc, 32);
		bin(c, "sign_public_key", sign, 32);
		memset(fp, 'x', sizeof(fp));
		assert_int_equal(seal_fingerprint(fp, enc, sign), 0);
		assert_string_equal(fp, str(c, "fingerprint"));
		assert_int_equal(strlen(fp), SEAL_FINGERPRINT_LEN);
		/* The order of the two keys matters. */
		assert_int_equal(seal_fingerprint(fp, sign, enc), 0);
		assert_string_not_equal(fp, str(c, "fingerprint"));
		n++;
	}
	assert_true(n >= 1);
	cJSON_Delete(root);
}

/* --- 3.7 Box keys an enrolment may register --- */

static void
box_public_key_usable_vector_keys(void **state)
{
	cJSON		*root = vectors_load("wrap.json");
	cJSON		*root2 = vectors_load("adviser_keys.json");
	unsigned char	 pk[32], sk[32];

	(void)state;
	bin(cJSON_GetArrayItem(vectors_cases(root), 0), "public_key", pk, 32);
	assert_int_equal(seal_box_public_key_usable(pk), 0);
	bin(cJSON_GetArrayItem(vectors_cases(root2), 0),
	    "encryption_public_key", pk, 32);
	assert_int_equal(seal_box_public_key_usable(pk), 0);
	assert_int_equal(crypto_box_keypair(pk, sk), 0);
	assert_int_equal(seal_box_public_key_usable(pk), 0);
	sodium_memzero(sk, sizeof(sk));
	cJSON_Delete(root);
	cJSON_Delete(root2);
}

static void
box_public_key_low_order_points_refused(void **state)
{
	/* The points of small order on Curve25519 and their aliases mod p. */
	static const char	*const hex[] = {
	    "0000000000000000000000000000000000000000000000000000000000000000",
	    "0100000000000000000000000000000000000000000000000000000000000000",
	    "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
	    "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
	    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	    "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	};
	unsigned char		 pk[32];
	size_t			 i, len;

	(void)state;
	for (i = 0; i < sizeof(hex) / sizeof(hex[0]); i++) {
		assert_int_equal(sodium_hex2bin(pk, sizeof(pk), hex[i], 64,
		    NULL, &len, NULL), 0);
		assert_int_equal(len, 32);
		assert_int_equal(seal_box_public_key_usable(pk), -1);
	}
}

/* --- 3.7 auth_hash, section 4 prelogin salt and counter keys --- */

static void
auth_hash_vectors(void **state)
{
	cJSON		*root = vectors_load("auth_hash.json");
	const cJSON	*c;
	int		 n = 0;

	(void)state;
	cJSON_ArrayForEach(c, vectors_cases(root)) {
		static const char	label[] = "meldpunt/v1/auth|";
		unsigned char		ak[32], sak[32], want[32], h[32];
		unsigned char		hm[sizeof(label) - 1 + 32], *got;
		size_t			glen;

		bin(c, "auth_key", ak, 32);
		bin(c, "server_auth_key", sak, 32);
		bin(c, "auth_hash", want, 32);
		memcpy(hm, label, sizeof(label) - 1);
		memcpy(hm + sizeof(label) - 1, ak, 32);
		got = bin_alloc(c, "hashed_message", &glen);
		assert_int_equal(glen, sizeof(hm));
		assert_memory_equal(got, hm, sizeof(hm));
		free(got);

		assert_int_equal(seal_auth_hash(h, ak, sak), 0);
		assert_memory_equal(h, want, 32);
		assert_int_equal(seal_auth_verify(want, ak, sak), 0);
		flip(ak, 0);
		assert_int_equal(seal_auth_verify(want, ak, sak), -1);
		flip(ak, 0);
		flip(sak, 31);
		assert_int_equal(seal_auth_verify(want, ak, sak), -1);
		flip(sak, 31);
		flip(want, 16);
		assert_int_equal(seal_auth_verify(want, ak, sak), -1);
		n++;
	}
	assert_true(n >= 1);
	cJSON_Delete(root);
}

static void
prelogin_salt_vectors(void **state)
{
	cJSON		*root = vectors_load("prelogin_salt.json");
	const cJSON	*c;
	int		 n = 0;

	(void)state;
	cJSON_ArrayForEach(c, vectors_cases(root)) {
		unsigned char	key[32], want[16], salt[16];

		bin(c, "prelogin_key", key, 32);
		bin(c, "salt", want, 16);
		assert_int_equal(seal_prelogin_salt(salt, str(c, "email"), key),
		    0);
		assert_memory_equal(salt, want, 16);
		/* "lowercased" is the hashed text: already in normal form. */
		assert_int_equal(seal_prelogin_salt(salt, str(c, "lowercased"),
		    key), 0);
		assert_memory_equal(salt, want, 16);
		flip(key, 0);
		assert_int_equal(seal_prelogin_salt(salt, str(c, "email"), key),
		    0);
		assert_memory_not_equal(salt, want, 16);
		n++;
	}
	assert_int_equal(n, 3);
	assert_int_equal(seal_prelogin_salt((unsigned char [16]){ 0 }, NULL,
	    (unsigned char [32]){ 0 }), -1);
	cJSON_Delete(root);
}

static void
email_key_folds_ascii_case_only(void **state)
{
	unsigned char	key[32], a[32], b[32], want[32], salt[16];
	char		long_upper[300], long_lower[300];
	size_t		lens[] = { 1, 63, 64, 65, 128, 129, 299 };
	size_t		i, j;

	(void)state;
	randombytes_buf(key, sizeof(key));
	assert_int_equal(seal_email_key(a, "Adviser@Example.ORG", key), 0);
	assert_int_equal(seal_email_key(b, "adviser@example.org", key), 0);
	assert_memory_equal(a, b, 32);
	assert_int_equal(crypto_generichash(want, 32,
	    (const unsigned char *)"adviser@example.org", 19, key, 32), 0);
	assert_memory_equal(a, want, 32);
	/* The prelogin salt is the same construction, cut to 16 bytes. */
	assert_int_equal(seal_prelogin_salt(salt, "ADVISER@example.org", key),
	    0);
	assert_memory_equal(salt, want, 16);
	/* Non-ASCII letters are not folded. */
	assert_int_equal(seal_email_key(a, "J\xc3\x89R\xc3\x94ME@x.nl", key),
	    0);
	assert_int_equal(seal_email_key(b, "j\xc3\xa9r\xc3\xb4me@x.nl", key),
	    0);
	assert_memory_not_equal(a, b, 32);
	/* Different emails, different keys. */
	assert_int_equal(seal_email_key(a, "a@example.org", key), 0);
	assert_int_equal(seal_email_key(b, "b@example.org", key), 0);
	assert_memory_not_equal(a, b, 32);
	/* Across the 64-byte chunk boundaries of the streaming hash. */
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		for (j = 0; j < lens[i]; j++) {
			long_upper[j] = (char)('A' + j % 26);
			long_lower[j] = (char)('a' + j % 26);
		}
		long_upper[lens[i]] = long_lower[lens[i]] = '\0';
		assert_int_equal(seal_email_key(a, long_upper, key), 0);
		assert_int_equal(crypto_generichash(want, 32,
		    (const unsigned char *)long_lower, lens[i], key, 32), 0);
		assert_memory_equal(a, want, 32);
	}
	/* The empty email still hashes (the caller validates emails). */
	assert_int_equal(seal_email_key(a, "", key), 0);
	assert_int_equal(crypto_generichash(want, 32, NULL, 0, key, 32), 0);
	assert_memory_equal(a, want, 32);
	assert_int_equal(seal_email_key(a, NULL, key), -1);
	assert_true(sodium_is_zero(a, 32));
}

static void
token_hash_uses_a_derived_key(void **state)
{
	unsigned char	server_key[32], token[32], sub[32];
	unsigned char	h[32], h2[32], want[32];

	(void)state;
	randombytes_buf(server_key, sizeof(server_key));
	randombytes_buf(token, sizeof(token));
	assert_int_equal(seal_token_hash(h, token, server_key), 0);
	assert_int_equal(crypto_kdf_derive_from_key(sub, 32, 1, "meldtokn",
	    server_key), 0);
	assert_int_equal(crypto_generichash(want, 32, token, 32, sub, 32), 0);
	assert_memory_equal(h, want, 32);
	/* Not the server key itself (that one keys the email counters). */
	assert_int_equal(crypto_generichash(want, 32, token, 32, server_key,
	    32), 0);
	assert_memory_not_equal(h, want, 32);
	/* Deterministic; any other token or key gives another hash. */
	assert_int_equal(seal_token_hash(h2, token, server_key), 0);
	assert_memory_equal(h, h2, 32);
	flip(token, 0);
	assert_int_equal(seal_token_hash(h2, token, server_key), 0);
	assert_memory_not_equal(h, h2, 32);
	flip(token, 0);
	flip(server_key, 0);
	assert_int_equal(seal_token_hash(h2, token, server_key), 0);
	assert_memory_not_equal(h, h2, 32);
	sodium_memzero(sub, sizeof(sub));
}

/* --- Stored secrets --- */

static void
store_round_trip(void **state)
{
	unsigned char	key[32], in[100], a[140], b[140], out[100];
	size_t		alen = 0, blen = 0, outlen = 0;

	(void)state;
	randombytes_buf(key, sizeof(key));
	randombytes_buf(in, sizeof(in));
	assert_int_equal(seal_store(a, sizeof(a), &alen, in, sizeof(in), key),
	    0);
	assert_int_equal(alen, sizeof(in) + SEAL_STORE_OVERHEAD);
	assert_int_equal(seal_unstore(out, sizeof(out), &outlen, a, alen, key),
	    0);
	assert_int_equal(outlen, sizeof(in));
	assert_memory_equal(out, in, sizeof(in));
	/* A fresh nonce every time: equal inputs, different outputs. */
	assert_int_equal(seal_store(b, sizeof(b), &blen, in, sizeof(in), key),
	    0);
	assert_int_equal(blen, alen);
	assert_memory_not_equal(a, b, 24);
	assert_memory_not_equal(a + 24, b + 24, alen - 24);
	/* The ciphertext does not hold the plaintext. */
	assert_memory_not_equal(a + 40, in, sizeof(in));
	/* Empty secrets round-trip too. */
	assert_int_equal(seal_store(a, sizeof(a), &alen, in, 0, key), 0);
	assert_int_equal(alen, SEAL_STORE_OVERHEAD);
	assert_int_equal(seal_unstore(out, sizeof(out), &outlen, a, alen, key),
	    0);
	assert_int_equal(outlen, 0);
	sodium_memzero(key, sizeof(key));
}

static void
store_output_too_small_refused(void **state)
{
	unsigned char	key[32], in[32], a[72], out[32];
	size_t		alen = 0, outlen = 0;

	(void)state;
	randombytes_buf(key, sizeof(key));
	randombytes_buf(in, sizeof(in));
	memset(a, 0x55, sizeof(a));
	assert_int_equal(seal_store(a, sizeof(a) - 1, &alen, in, sizeof(in),
	    key), -1);
	assert_int_equal(alen, 0);
	assert_int_equal(a[0], 0x55);	/* nothing written */
	assert_int_equal(seal_store(a, sizeof(a), &alen, in, sizeof(in), key),
	    0);
	assert_int_equal(seal_unstore(out, sizeof(out) - 1, &outlen, a, alen,
	    key), -1);
	assert_int_equal(outlen, 0);
	assert_true(sodium_is_zero(out, sizeof(out) - 1));
	sodium_memzero(key, sizeof(key));
}

static void
unstore_wrong_key_or_damage_refused(void **state)
{
	unsigned char	key[32], other[32], in[48], a[88], out[48];
	size_t		alen = 0, outlen = 0, i;

	(void)state;
	randombytes_buf(key, sizeof(key));
	randombytes_buf(other, sizeof(other));
	randombytes_buf(in, sizeof(in));
	assert_int_equal(seal_store(a, sizeof(a), &alen, in, sizeof(in), key),
	    0);
	memset(out, 0x55, sizeof(out));
	assert_int_equal(seal_unstore(out, sizeof(out), &outlen, a, alen,
	    other), -1);
	assert_true(sodium_is_zero(out, sizeof(out)));
	assert_int_equal(outlen, 0);
	/* Truncated: one byte short, down to less than the overhead. */
	assert_int_equal(seal_unstore(out, sizeof(out), &outlen, a, alen - 1,
	    key), -1);
	assert_int_equal(seal_unstore(out, sizeof(out), &outlen, a,
	    SEAL_STORE_OVERHEAD, key), -1);
	assert_int_equal(seal_unstore(out, sizeof(out), &outlen, a,
	    SEAL_STORE_OVERHEAD - 1, key), -1);
	assert_int_equal(seal_unstore(out, sizeof(out), &outlen, a, 0, key),
	    -1);
	/* One byte altered anywhere: nonce, MAC or body. */
	for (i = 0; i < alen; i += 13) {
		flip(a, i);
		assert_int_equal(seal_unstore(out, sizeof(out), &outlen, a,
		    alen, key), -1);
		flip(a, i);
	}
	assert_int_equal(outlen, 0);
	/* Intact again: opens. */
	assert_int_equal(seal_unstore(out, sizeof(out), &outlen, a, alen, key),
	    0);
	assert_memory_equal(out, in, sizeof(in));
	sodium_memzero(key, sizeof(key));
}

/* --- Section 5 audit chain --- */

static void
audit_chain_vectors(void **state)
{
	cJSON		*root = vectors_load("audit_chain.json");
	cJSON		*proofs = vectors_load("proof.json");
	const cJSON	*c, *e, *entries;
	unsigned char	 prev[32], h[32], want[32], head[32], pk[32], sk[64];
	unsigned char	 sig[64], vsig[64], m[128];
	size_t		 len;
	int		 n;

	(void)state;
	c = cJSON_GetArrayItem(vectors_cases(root), 0);
	entries = cJSON_GetObjectItemCaseSensitive(c, "entries");
	assert_true(cJSON_GetArraySize(entries) >= 2);
	memset(prev, 0, sizeof(prev));
	cJSON_ArrayForEach(e, entries) {
		const char	*canon = str(e, "canonical");

		bin(e, "prev_hash", want, 32);
		assert_memory_equal(want, prev, 32);
		bin(e, "hash", want, 32);
		assert_int_equal(seal_audit_hash(h, prev,
		    (const unsigned char *)canon, strlen(canon)), 0);
		assert_memory_equal(h, want, 32);
		/* One byte more or less in the entry: another hash. */
		assert_int_equal(seal_audit_hash(h, prev,
		    (const unsigned char *)canon, strlen(canon) - 1), 0);
		assert_memory_not_equal(h, want, 32);
		/* out may be prev. */
		assert_int_equal(seal_audit_hash(prev, prev,
		    (const unsigned char *)canon, strlen(canon)), 0);
		assert_memory_equal(prev, want, 32);
	}
	bin(c, "head", head, 32);
	assert_memory_equal(prev, head, 32);

	/* The head signature, by the desk key of proof.json. */
	bin(c, "desk_sign_public_key", pk, 32);
	bin(c, "head_signature", vsig, 64);
	len = (size_t)snprintf((char *)m, sizeof(m),
	    "meldpunt/v1/audit-head|%s|", str(c, "date"));
	memcpy(m + len, head, 32);
	expect_field_bytes(c, "head_signed_message", m, len + 32);
	assert_int_equal(seal_audit_head_verify(vsig, str(c, "date"), head, pk),
	    0);
	n = 0;
	cJSON_ArrayForEach(e, vectors_cases(proofs)) {
		unsigned char	ppk[32];

		bin(e, "desk_sign_public_key", ppk, 32);
		if (memcmp(ppk, pk, 32) != 0)
			continue;
		bin(e, "desk_sign_secret_key", sk, 64);
		n++;
	}
	assert_true(n > 0);
	assert_int_equal(seal_audit_head_sign(sig, str(c, "date"), head, sk),
	    0);
	assert_memory_equal(sig, vsig, 64);

	assert_int_equal(seal_audit_head_verify(sig, "2025-04-03", head, pk),
	    -1);
	flip(head, 0);
	assert_int_equal(seal_audit_head_verify(sig, str(c, "date"), head, pk),
	    -1);
	flip(head, 0);
	flip(sig, 50);
	assert_int_equal(seal_audit_head_verify(sig, str(c, "date"), head, pk),
	    -1);
	flip(sig, 50);
	flip(pk, 0);
	assert_int_equal(seal_audit_head_verify(sig, str(c, "date"), head, pk),
	    -1);
	memset(sig, 0xaa, sizeof(sig));
	assert_int_equal(seal_audit_head_sign(sig, "2025-4-2", head, sk), -1);
	assert_true(sodium_is_zero(sig, sizeof(sig)));
	assert_int_equal(seal_audit_head_sign(sig, "2025-04-02|", head, sk),
	    -1);
	assert_int_equal(seal_audit_hash(h, prev, NULL, 1), -1);
	sodium_memzero(sk, sizeof(sk));
	cJSON_Delete(root);
	cJSON_Delete(proofs);
}

/* --- 3.6 Attachment stream lengths --- */

static void
stream_length_vectors(void **state)
{
	cJSON		*root = vectors_load("attachment.json");
	const cJSON	*sizes, *s, *c;
	int		 n = 0;

	(void)state;
	sizes = cJSON_GetObjectItemCaseSensitive(root, "sizes");
	assert_true(cJSON_IsArray(sizes));
	cJSON_ArrayForEach(s, sizes) {
		const cJSON	*l = cJSON_GetObjectItemCaseSensitive(s,
				    "stream_length");
		unsigned long long len;

		assert_true(cJSON_IsNumber(l));
		len = (unsigned long long)l->valuedouble;
		assert_int_equal(seal_stream_length_valid(len), 0);
		assert_int_equal(seal_stream_length_valid(len - 1), -1);
		assert_int_equal(seal_stream_length_valid(len + 1), -1);
		n++;
	}
	assert_true(n >= 2);
	cJSON_ArrayForEach(c, vectors_cases(root)) {
		size_t		 slen;
		unsigned char	*stream = bin_alloc(c, "stream", &slen);

		assert_int_equal(seal_stream_length_valid(slen), 0);
		free(stream);
	}
	assert_int_equal(seal_stream_length_valid(0), -1);
	assert_int_equal(seal_stream_length_valid(24), -1);
	assert_int_equal(seal_stream_length_valid(24 + 65553 - 1), -1);
	assert_int_equal(seal_stream_length_valid(24 + 65553), 0);
	assert_int_equal(seal_stream_length_valid(24 + 3 * 65553ULL), 0);
	assert_int_equal(seal_stream_length_valid(~0ULL), -1);
	cJSON_Delete(root);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(message_vectors_verify),
		cmocka_unit_test(message_malformed_ids_refused),
		cmocka_unit_test(validly_signed_malformed_ids_refused),
		cmocka_unit_test(note_vectors_verify),
		cmocka_unit_test(notes_key_vectors_verify),
		cmocka_unit_test(reporter_login_vectors_verify),
		cmocka_unit_test(proof_vectors_sign_and_verify),
		cmocka_unit_test(certificate_vectors_verify),
		cmocka_unit_test(
		    certificate_scope_sorted_whatever_the_input_order),
		cmocka_unit_test(certificate_star_forms),
		cmocka_unit_test(certificate_malformed_fields_refused),
		cmocka_unit_test(certificate_name_limits_as_the_js_module),
		cmocka_unit_test(certificate_sign_round_trip),
		cmocka_unit_test(fingerprint_vectors),
		cmocka_unit_test(box_public_key_usable_vector_keys),
		cmocka_unit_test(box_public_key_low_order_points_refused),
		cmocka_unit_test(auth_hash_vectors),
		cmocka_unit_test(prelogin_salt_vectors),
		cmocka_unit_test(email_key_folds_ascii_case_only),
		cmocka_unit_test(token_hash_uses_a_derived_key),
		cmocka_unit_test(store_round_trip),
		cmocka_unit_test(store_output_too_small_refused),
		cmocka_unit_test(unstore_wrong_key_or_damage_refused),
		cmocka_unit_test(audit_chain_vectors),
		cmocka_unit_test(stream_length_vectors),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
