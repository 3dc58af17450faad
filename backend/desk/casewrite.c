/*
 * casewrite.c - what an adviser writes to a case they hold: messages to
 * the reporter, internal notes, the notes key's wraps, and shares with
 * colleagues (casework.h). Each write is checked against the writer's
 * current signing key where it is signed, and audited in its transaction.
 */
#include <string.h>

#include <cjson/cJSON.h>

#include "app.h"
#include "audit.h"
#include "casework.h"
#include "db.h"
#include "ids.h"
#include "json_out.h"
#include "pgarray.h"
#include "seal.h"
#include "secrets.h"

/*
 * The caller's current signing key into pk. DESK_OK; DESK_BAD_SIGNATURE
 * when there is none (nothing they sign can verify), DESK_UNAVAILABLE.
 */
static enum desk_result
casewrite_sign_key(const char *account, unsigned char pk[SIGN_PK_BYTES])
{
	struct db_param		 p[] = { DB_P_TEXT(account) };
	PGresult		*res;
	const unsigned char	*v;
	size_t			 n = 0;
	enum db_status		 st;

	if ((res = db_exec(DB_MY_SIGN_KEY, nitems(p), p, &st)) == NULL)
		return desk_result_db(st);
	if (PQntuples(res) == 1) {
		v = db_get_bytes(res, 0, MY_SIGN_KEY_PK, &n);
		if (n == SIGN_PK_BYTES)
			memcpy(pk, v, SIGN_PK_BYTES);
	}
	PQclear(res);
	return n == SIGN_PK_BYTES ? DESK_OK : DESK_BAD_SIGNATURE;
}

/* Rollback, and the result of a failure with status st. */
static enum desk_result
casewrite_fail(enum db_status st)
{
	db_rollback();
	return desk_result_db(st);
}

/* --- messages ------------------------------------------------------------- */

/* Store the message and mark the case answered, in the open transaction. */
static int
casewrite_message_rows(const struct casework_case *c, const unsigned char *ct,
    size_t ctlen, const unsigned char *sig, int feedback, long long *seq,
    enum db_status *st)
{
	struct db_param	 add[] = {
		DB_P_BYTES(c->id, ID_BYTES), DB_P_TEXT(c->author),
		DB_P_TEXT(c->account), DB_P_BYTES(ct, ctlen),
		DB_P_BYTES(sig, SIGNATURE_BYTES),
		DB_P_TEXT(feedback ? "true" : "false"),
	};
	struct db_param	 answered[] = {
		DB_P_BYTES(c->id, ID_BYTES), DB_P_TEXT(feedback ? "true" : "false"),
	};
	PGresult	*res;
	int		 ok;

	if ((res = db_exec(DB_MESSAGE_ADD, nitems(add), add, st)) == NULL)
		return -1;
	if ((ok = PQntuples(res) == 1))
		*seq = db_get_int(res, 0, MESSAGE_ADD_SEQ);
	PQclear(res);
	if (!ok) {
		*st = DB_CONSTRAINT;	/* no such case left: purged */
		return -1;
	}
	if ((res = db_exec(DB_CASE_ANSWERED, nitems(answered), answered,
	    st)) == NULL)
		return -1;
	PQclear(res);
	return 0;
}

enum desk_result
casework_message(const struct casework_case *c, const unsigned char *ct,
    size_t ctlen, const unsigned char sig[SIGNATURE_BYTES], int feedback,
    long long *seq)
{
	unsigned char		 pk[SIGN_PK_BYTES];
	enum desk_result	 r;
	enum db_status		 st = DB_OK;
	cJSON			*e;

	if ((r = casewrite_sign_key(c->account, pk)) != DESK_OK)
		return r;
	if (seal_message_verify(c->b64, c->author, ct, ctlen, sig, pk) != 0)
		return DESK_BAD_SIGNATURE;
	if (db_begin(&st) == -1)
		return desk_result_db(st);
	if (casewrite_message_rows(c, ct, ctlen, sig, feedback, seq, &st) == -1)
		goto fail;
	if ((e = audit_extra("case_id", c->b64)) == NULL ||
	    json_add_bool(e, "feedback", feedback) == -1 ||
	    audit_commit("message", c->account, e, &st) == -1)
		goto fail;
	return DESK_OK;
fail:
	db_rollback();
	/* A constraint (or no row) means the case is gone. */
	return st == DB_OK || st == DB_CONSTRAINT ? DESK_PURGED :
	    desk_result_db(st);
}

/* --- notes and the notes key ---------------------------------------------- */

/* The wraps as the three arrays of meldpunt_note_wraps. 0, or -1. */
static int
casewrite_wrap_arrays(const struct casework_wrap *w, size_t n,
    struct pgarray a[3])
{
	size_t	i;
	int	ok = 1;

	pgarray_init(&a[0], PGARRAY_TEXT);
	pgarray_init(&a[1], PGARRAY_BYTEA);
	pgarray_init(&a[2], PGARRAY_BYTEA);
	for (i = 0; i < n; i++) {
		pgarray_add_text(&a[0], w[i].recipient);
		pgarray_add(&a[1], w[i].public_key, BOX_PK_BYTES);
		pgarray_add(&a[2], w[i].wrap, WRAP_BYTES);
	}
	for (i = 0; i < 3; i++)
		if (pgarray_finish(&a[i]) == -1)
			ok = 0;
	return ok ? 0 : -1;
}

/* Call meldpunt_note_wraps with the arrays a, and audit it. */
static enum desk_result
casewrite_note_wraps_run(const struct casework_case *c,
    const struct pgarray a[3], const unsigned char *commitment,
    const unsigned char *signature)
{
	struct db_param		 p[] = {
		DB_P_BYTES(c->id, ID_BYTES), DB_P_TEXT(c->account),
		DB_P_BYTES(a[0].out.data, a[0].out.len),
		DB_P_BYTES(a[1].out.data, a[1].out.len),
		DB_P_BYTES(a[2].out.data, a[2].out.len),
		DB_P_BYTES(commitment, HASH_BYTES),
		DB_P_BYTES(signature, SIGNATURE_BYTES),
		DB_P_BYTES(app.secrets->recovery_pk, BOX_PK_BYTES),
	};
	PGresult		*res;
	enum db_status		 st = DB_OK;
	enum desk_result	 r;

	if (db_begin(&st) == -1)
		return desk_result_db(st);
	if ((res = db_exec(DB_NOTE_WRAPS, nitems(p), p, &st)) == NULL ||
	    PQntuples(res) != 1) {
		PQclear(res);
		return casewrite_fail(st);
	}
	r = desk_result_of(db_get_text(res, 0, NOTE_WRAPS_OUTCOME));
	PQclear(res);
	if (r != DESK_OK) {
		db_rollback();
		return r;
	}
	if (audit_commit(commitment != NULL ? "notes_key" : "note_wraps",
	    c->account, audit_extra("case_id", c->b64), &st) == -1)
		return casewrite_fail(st);
	return DESK_OK;
}

enum desk_result
casework_note_wraps(const struct casework_case *c,
    const struct casework_wrap *w, size_t n, const unsigned char *commitment,
    const unsigned char *signature)
{
	struct pgarray		 a[3];
	unsigned char		 pk[SIGN_PK_BYTES];
	enum desk_result	 r;
	size_t			 i;

	if (commitment != NULL) {
		if ((r = casewrite_sign_key(c->account, pk)) != DESK_OK)
			return r;
		if (seal_notes_key_verify(c->b64, commitment, signature,
		    pk) != 0)
			return DESK_BAD_SIGNATURE;
	}
	if (casewrite_wrap_arrays(w, n, a) == 0)
		r = casewrite_note_wraps_run(c, a, commitment, signature);
	else
		r = DESK_UNAVAILABLE;
	for (i = 0; i < nitems(a); i++)
		pgarray_free(&a[i]);
	return r;
}

enum desk_result
casework_note(const struct casework_case *c, const unsigned char *ct,
    size_t ctlen, const unsigned char sig[SIGNATURE_BYTES], long long *seq)
{
	struct db_param		 p[] = {
		DB_P_BYTES(c->id, ID_BYTES), DB_P_TEXT(c->account),
		DB_P_BYTES(ct, ctlen), DB_P_BYTES(sig, SIGNATURE_BYTES),
	};
	unsigned char		 pk[SIGN_PK_BYTES];
	PGresult		*res;
	enum desk_result	 r;
	enum db_status		 st = DB_OK;

	if ((r = casewrite_sign_key(c->account, pk)) != DESK_OK)
		return r;
	if (seal_note_verify(c->b64, c->account, ct, ctlen, sig, pk) != 0)
		return DESK_BAD_SIGNATURE;
	if (db_begin(&st) == -1)
		return desk_result_db(st);
	if ((res = db_exec(DB_NOTE_ADD, nitems(p), p, &st)) == NULL)
		return casewrite_fail(st);
	if (PQntuples(res) != 1) {
		PQclear(res);
		db_rollback();
		return DESK_HOLDERS_CHANGED;
	}
	*seq = db_get_int(res, 0, NOTE_ADD_SEQ);
	PQclear(res);
	if (audit_commit("note", c->account, audit_extra("case_id", c->b64),
	    &st) == -1)
		return casewrite_fail(st);
	return DESK_OK;
}

/* --- sharing -------------------------------------------------------------- */

enum desk_result
casework_share(const struct casework_case *c, const struct casework_share *s)
{
	struct db_param		 p[] = {
		DB_P_BYTES(c->id, ID_BYTES), DB_P_TEXT(s->adviser_id),
		DB_P_BYTES(s->public_key, BOX_PK_BYTES),
		DB_P_BYTES(s->wrap, WRAP_BYTES),
		DB_P_BYTES(s->note_wrap, WRAP_BYTES),
	};
	PGresult		*res;
	enum desk_result	 r;
	enum db_status		 st = DB_OK;
	cJSON			*e;

	if (!ids_uuid_valid(s->adviser_id) ||
	    strcmp(s->adviser_id, c->account) == 0)
		return DESK_BAD_ADVISER;
	if (db_begin(&st) == -1)
		return desk_result_db(st);
	if ((res = db_exec(DB_SHARE, nitems(p), p, &st)) == NULL ||
	    PQntuples(res) != 1) {
		PQclear(res);
		return casewrite_fail(st);
	}
	r = desk_result_of(db_get_text(res, 0, SHARE_OUTCOME));
	PQclear(res);
	if (r != DESK_OK) {
		db_rollback();
		return r;
	}
	if ((e = audit_extra("case_id", c->b64)) == NULL ||
	    json_add_str(e, "target", s->adviser_id) == -1 ||
	    audit_commit("share", c->account, e, &st) == -1)
		return casewrite_fail(st);
	return DESK_OK;
}
