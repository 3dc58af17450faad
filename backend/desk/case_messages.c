/*
 * case_messages.c - checking and storing signed, encrypted messages.
 */
#include "case_messages.h"
#include "db.h"
#include "seal.h"

int
case_messages_padded(size_t len)
{
	return len >= CASE_MESSAGES_MIN &&
	    (len - SEALED_OVERHEAD) % CASE_MESSAGES_BLOCK == 0;
}

enum desk_result
case_messages_check(const struct case_message *m,
    const unsigned char sign_pk[SIGN_PK_BYTES])
{
	if (!case_messages_padded(m->len))
		return DESK_MESSAGE_UNPADDED;
	if (seal_message_verify(m->case_b64, m->author, m->ciphertext, m->len,
	    m->signature, sign_pk) != 0)
		return DESK_BAD_SIGNATURE;
	return DESK_OK;
}

enum desk_result
case_messages_store(const struct case_message *m, long long *seq)
{
	struct db_param	 p[] = {
		DB_P_BYTES(m->case_id, ID_BYTES), DB_P_TEXT(m->author),
		DB_P_TEXT(m->account_id), DB_P_BYTES(m->ciphertext, m->len),
		DB_P_BYTES(m->signature, SIGNATURE_BYTES),
		DB_P_TEXT(m->feedback ? "true" : "false"),
	};
	PGresult	*res;
	enum db_status	 st;
	enum desk_result r = DESK_PURGED;

	if ((res = db_exec(DB_MESSAGE_ADD, (int)nitems(p), p, &st)) == NULL)
		return desk_result_db(st);
	if (PQntuples(res) == 1) {
		*seq = db_get_int(res, 0, MESSAGE_ADD_SEQ);
		r = DESK_OK;
	}
	PQclear(res);
	return r;
}

enum desk_result
case_messages_add(const struct case_message *m,
    const unsigned char sign_pk[SIGN_PK_BYTES], long long *seq)
{
	enum desk_result r;

	if ((r = case_messages_check(m, sign_pk)) != DESK_OK)
		return r;
	return case_messages_store(m, seq);
}
