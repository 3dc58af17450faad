/*
 * seal.h - the server's side of the cryptography of SPEC section 3 (and the
 * crypto details of sections 4 and 5), as small wrappers around libsodium.
 * Pure: no server, no database. Every construction agrees byte for byte
 * with frontend/src/lib/meldcrypto.js and tests/vectors/.
 *
 * Common contract: sodium_init() has succeeded before any call. Sizes in
 * brackets are exact. Functions that can fail return 0 on success and -1
 * on failure (bad input, a signature that does not verify, or an internal
 * error, which alone is logged); their result must be used. Text arguments
 * are NUL-terminated UTF-8 and are only read. Nothing here keeps a pointer
 * past the call, and every secret or derived key held internally is wiped
 * before return on every path.
 *
 * Strings that become part of a signed message are checked as the JS module
 * checks them, so that both sides accept and reject the same inputs:
 * case ids ID_BYTES as canonical base64url; adviser and account ids
 * lowercase UUIDs; authors "reporter" or "adviser:<uuid>"; organisation
 * and topic ids slugs [a-z][a-z0-9_-]{0,63} (the rules of ids.h); dates
 * YYYY-MM-DD naming a real calendar day.
 */
#ifndef MELDPUNT_SEAL_H
#define MELDPUNT_SEAL_H

#include <stddef.h>

#include "sizes.h"

#define SEAL_WUR	__attribute__((__warn_unused_result__))

#define SEAL_DESK_KEY_ID_BYTES	8	/* SPEC 3.10 desk_key_id */
#define SEAL_FINGERPRINT_LEN	39	/* "xxxx xxxx ... xxxx", 8 groups */
#define SEAL_STORE_OVERHEAD	SEALED_OVERHEAD	/* nonce and MAC */

/* The old names of sizes.h's sizes, for callers not yet renamed. */
#define SEAL_KEY_BYTES		KEY_BYTES
#define SEAL_HASH_BYTES		HASH_BYTES
#define SEAL_SIGN_PK_BYTES	SIGN_PK_BYTES
#define SEAL_SIGN_SK_BYTES	SIGN_SK_BYTES
#define SEAL_SIG_BYTES		SIGNATURE_BYTES
#define SEAL_BOX_PK_BYTES	BOX_PK_BYTES
#define SEAL_CHALLENGE_BYTES	CHALLENGE_BYTES
#define SEAL_SALT_BYTES		SALT_BYTES

_Static_assert(SEAL_FINGERPRINT_LEN ==
    FINGERPRINT_BYTES * 2 + FINGERPRINT_BYTES / 2 - 1, "fingerprint text");

/* --- Signatures the server checks on upload (SPEC 3.4, 3.5, section 4) --- */

/*
 * seal_message_verify: 0 iff sig is sign_pk's Ed25519 signature over
 * "meldpunt/v1/message-sig|" + case_id + "|" + author + "|" ||
 * generichash(32, ct), ct being the whole sealed message (nonce included;
 * NULL only if ctlen is 0). -1 for a bad signature, or a malformed case_id
 * or author.
 */
int	seal_message_verify(const char *case_id, const char *author,
	    const unsigned char *ct, size_t ctlen,
	    const unsigned char sig[SIGNATURE_BYTES],
	    const unsigned char sign_pk[SIGN_PK_BYTES]) SEAL_WUR;

/*
 * seal_note_verify: as seal_message_verify for an internal note, over
 * "meldpunt/v1/note-sig|" + case_id + "|" + adviser_id + "|" ||
 * generichash(32, ct); adviser_id is the bare UUID (no "adviser:").
 */
int	seal_note_verify(const char *case_id, const char *adviser_id,
	    const unsigned char *ct, size_t ctlen,
	    const unsigned char sig[SIGNATURE_BYTES],
	    const unsigned char sign_pk[SIGN_PK_BYTES]) SEAL_WUR;

/*
 * seal_notes_key_verify: 0 iff sig is sign_pk's signature over
 * "meldpunt/v1/notes-key-sig|" + case_id + "|" || commitment. (The server
 * cannot check the commitment itself: it never has the notes key.)
 */
int	seal_notes_key_verify(const char *case_id,
	    const unsigned char commitment[HASH_BYTES],
	    const unsigned char sig[SIGNATURE_BYTES],
	    const unsigned char sign_pk[SIGN_PK_BYTES]) SEAL_WUR;

/*
 * seal_reporter_login_verify: 0 iff sig is sign_pk's signature over
 * "meldpunt/v1/reporter-login|" || challenge.
 */
int	seal_reporter_login_verify(
	    const unsigned char challenge[CHALLENGE_BYTES],
	    const unsigned char sig[SIGNATURE_BYTES],
	    const unsigned char sign_pk[SIGN_PK_BYTES]) SEAL_WUR;

/* --- Proof of submission (SPEC 3.10) --- */

/*
 * seal_proof_sign: sign with desk_sk "meldpunt/v1/proof|" + case_id + "|" +
 * received_on + "|" + organisation + "|" + topic + "|" ||
 * generichash(32, report_ct) || key_commitment into sig. report_ct is the
 * whole sealed report (NULL only if ctlen is 0). 0, or -1 (malformed field
 * or internal error; sig is then zeroed).
 */
int	seal_proof_sign(unsigned char sig[SIGNATURE_BYTES],
	    const char *case_id, const char *received_on,
	    const char *organisation, const char *topic,
	    const unsigned char *report_ct, size_t ctlen,
	    const unsigned char key_commitment[HASH_BYTES],
	    const unsigned char desk_sk[SIGN_SK_BYTES]) SEAL_WUR;

/* seal_proof_verify: 0 iff sig verifies under desk_pk over the same bytes. */
int	seal_proof_verify(const unsigned char sig[SIGNATURE_BYTES],
	    const char *case_id, const char *received_on,
	    const char *organisation, const char *topic,
	    const unsigned char *report_ct, size_t ctlen,
	    const unsigned char key_commitment[HASH_BYTES],
	    const unsigned char desk_pk[SIGN_PK_BYTES]) SEAL_WUR;

/* seal_desk_key_id: out = first 8 bytes of generichash(32, desk_pk). 0/-1. */
int	seal_desk_key_id(unsigned char out[SEAL_DESK_KEY_ID_BYTES],
	    const unsigned char desk_pk[SIGN_PK_BYTES]) SEAL_WUR;

/* --- Key certificates (SPEC 3.8) --- */

/*
 * An adviser key certificate, borrowed from the caller (nothing is copied
 * or freed). organisations and topics are arrays of n ids each, in any
 * order; "all" is the one-element array { "*" }. The message lists them
 * sorted ascending by byte order and joined by ",", or "*".
 */
struct seal_cert {
	const char		 *id;		/* account UUID */
	const char		 *name;	/* UTF-8, <= 1024 UTF-16 units */
	const char		 *role;		/* "adviser" or "coordinator" */
	const char *const	 *organisations;
	size_t			  norganisations;
	const char *const	 *topics;
	size_t			  ntopics;
	const char		 *not_after;	/* YYYY-MM-DD */
	unsigned char		  encryption_public_key[BOX_PK_BYTES];
	unsigned char		  sign_public_key[SIGN_PK_BYTES];
	unsigned char		  certificate[SIGNATURE_BYTES];
};

/*
 * seal_certificate_message: the exact bytes a certificate signs:
 * "meldpunt/v1/adviser-cert|" + id + "|" + b64(name) + "|" + role + "|" +
 * organisations + "|" + topics + "|" + not_after + "|" ||
 * encryption_public_key || sign_public_key. Returns a malloc'd buffer of
 * *len bytes (the caller frees it with free()), or NULL if a field is
 * malformed (empty list, duplicate id, "*" beside other ids, bad id, role,
 * name or date) or memory runs out.
 */
unsigned char *seal_certificate_message(const struct seal_cert *c,
	    size_t *len) SEAL_WUR;

/* seal_certificate_verify: 0 iff c->certificate verifies under cert_pk. */
int	seal_certificate_verify(const struct seal_cert *c,
	    const unsigned char cert_pk[SIGN_PK_BYTES]) SEAL_WUR;

/*
 * seal_certificate_sign: sign c's message with the certification secret key
 * into sig (c->certificate is ignored), for the offline desk tool. 0, or -1
 * (sig zeroed).
 */
int	seal_certificate_sign(unsigned char sig[SIGNATURE_BYTES],
	    const struct seal_cert *c,
	    const unsigned char cert_sk[SIGN_SK_BYTES]) SEAL_WUR;

/*
 * seal_fingerprint: the key fingerprint text: the first 16 bytes of
 * generichash(32, encryption_public_key || sign_public_key) as lowercase
 * hex in 8 groups of 4 separated by one space, NUL-terminated. 0/-1.
 */
int	seal_fingerprint(char out[SEAL_FINGERPRINT_LEN + 1],
	    const unsigned char encryption_public_key[BOX_PK_BYTES],
	    const unsigned char sign_public_key[SIGN_PK_BYTES]) SEAL_WUR;

/*
 * seal_box_public_key_usable: 0 iff crypto_box_seal to pk succeeds (a
 * low-order point such as all zeros fails), so enrolment can refuse a key
 * no case key could ever be sealed to. -1 otherwise.
 */
int	seal_box_public_key_usable(
	    const unsigned char pk[BOX_PK_BYTES]) SEAL_WUR;

/* --- Adviser login and server-held secrets (SPEC 3.7, section 4) --- */

/*
 * seal_auth_hash: out = generichash(32, "meldpunt/v1/auth|" || auth_key,
 * key = server_auth_key), the stored form of an auth_key. 0, or -1 (out
 * zeroed).
 */
int	seal_auth_hash(unsigned char out[HASH_BYTES],
	    const unsigned char auth_key[KEY_BYTES],
	    const unsigned char server_auth_key[KEY_BYTES]) SEAL_WUR;

/*
 * seal_auth_verify: 0 iff seal_auth_hash(auth_key) equals stored, compared
 * in constant time; -1 otherwise. Takes the same time for every auth_key,
 * so it also serves the dummy check for an unknown email.
 */
int	seal_auth_verify(const unsigned char stored[HASH_BYTES],
	    const unsigned char auth_key[KEY_BYTES],
	    const unsigned char server_auth_key[KEY_BYTES]) SEAL_WUR;

/*
 * seal_prelogin_salt: the salt for an unknown email: first 16 bytes of
 * generichash(32, lowercase(email), key = prelogin_key), lowercasing ASCII
 * A-Z only (other bytes hashed as they are). 0, or -1 (out zeroed).
 */
int	seal_prelogin_salt(unsigned char out[SALT_BYTES],
	    const char *email,
	    const unsigned char prelogin_key[KEY_BYTES]) SEAL_WUR;

/*
 * seal_email_key: the login failure counter key of an email, known or not:
 * generichash(32, lowercase(email), key = server_key), lowercasing as
 * seal_prelogin_salt. 0, or -1 (out zeroed).
 */
int	seal_email_key(unsigned char out[HASH_BYTES], const char *email,
	    const unsigned char server_key[KEY_BYTES]) SEAL_WUR;

/*
 * seal_token_hash: the stored form of a session token: generichash(32,
 * token, key = kdf(server_key, 1, "meldtokn")). 0, or -1 (out zeroed).
 */
int	seal_token_hash(unsigned char out[HASH_BYTES],
	    const unsigned char token[KEY_BYTES],
	    const unsigned char server_key[KEY_BYTES]) SEAL_WUR;

/*
 * seal_store: out = nonce(24) || crypto_secretbox_easy(in) under
 * server_store_key, a fresh random nonce each call; *outlen = inlen + 40.
 * in and out must not overlap. 0, or -1 (outcap too small: nothing written).
 */
int	seal_store(unsigned char *out, size_t outcap, size_t *outlen,
	    const unsigned char *in, size_t inlen,
	    const unsigned char server_store_key[KEY_BYTES]) SEAL_WUR;

/*
 * seal_unstore: the inverse of seal_store: *outlen = inlen - 40. in and out
 * must not overlap. 0, or -1 (input shorter than 40 bytes, outcap too
 * small, wrong key or altered input; the first inlen - 40 bytes of out are
 * then zeroed, as far as outcap allows).
 */
int	seal_unstore(unsigned char *out, size_t outcap, size_t *outlen,
	    const unsigned char *in, size_t inlen,
	    const unsigned char server_store_key[KEY_BYTES]) SEAL_WUR;

/* --- Audit chain (section 5) --- */

/*
 * seal_audit_hash: out = generichash(32, prev || entry), entry being the
 * canonical JSON of the audit entry (len bytes); the first prev is 32 zero
 * bytes. out may be the same buffer as prev. 0/-1.
 */
int	seal_audit_hash(unsigned char out[HASH_BYTES],
	    const unsigned char prev[HASH_BYTES],
	    const unsigned char *entry, size_t len) SEAL_WUR;

/*
 * seal_audit_head_sign: sign "meldpunt/v1/audit-head|" + date + "|" || head
 * with the desk signing key. 0, or -1 (malformed date; sig zeroed).
 */
int	seal_audit_head_sign(unsigned char sig[SIGNATURE_BYTES],
	    const char *date, const unsigned char head[HASH_BYTES],
	    const unsigned char desk_sk[SIGN_SK_BYTES]) SEAL_WUR;

/* seal_audit_head_verify: 0 iff sig verifies under desk_pk over the same. */
int	seal_audit_head_verify(const unsigned char sig[SIGNATURE_BYTES],
	    const char *date, const unsigned char head[HASH_BYTES],
	    const unsigned char desk_pk[SIGN_PK_BYTES]) SEAL_WUR;

/* --- Attachments (SPEC 3.6) --- */

/*
 * seal_stream_length_valid: 0 iff len = 24 + n * 65553 with n >= 1, the
 * only lengths an attachment stream can have; -1 otherwise.
 */
int	seal_stream_length_valid(unsigned long long len) SEAL_WUR;

#endif
