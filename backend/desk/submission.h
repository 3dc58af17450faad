/*
 * submission.h - anonymous report submission (SPEC sections 3.9, 3.10 and
 * 4): proof-of-work challenges, the checks of a submitted report that need
 * no database, the server's part of it (case id, day, signed proof), its
 * storing through the group-commit queue and the answer's body.
 */
#ifndef MELDPUNT_SUBMISSION_H
#define MELDPUNT_SUBMISSION_H

#include <stddef.h>

#include "result.h"
#include "submit_in.h"
#include "submit_queue.h"

struct cJSON;

/*
 * submission_challenge: a fresh proof-of-work challenge at the difficulty
 * of the moment, {"challenge","difficulty","expires_in"}, into *out (the
 * caller owns it). DESK_OK, or DESK_UNAVAILABLE.
 */
enum desk_result submission_challenge(struct cJSON **out);

/*
 * submission_check: check a parsed body (in) and fill the zeroed it for
 * storing: idem_key is the Idempotency-Key header (NULL: none), hashed
 * with the body (body_len bytes); then the excluded ids, the key wraps
 * (one for the reporter's box key, one for the desk's recovery key,
 * distinct advisers not excluded), the report's padding, the box key, the
 * challenge and its work, in that order; then the case id, day and signed
 * proof. it->token_hash is left to the caller. DESK_OK, or the first
 * refusal (DESK_UNAVAILABLE if the server's part fails).
 */
enum desk_result submission_check(const struct submit_in *in,
	    const char *idem_key, const char *body, size_t body_len,
	    struct submit_item *it);

/*
 * submission_store: store it (with others, see submit_queue.h). DESK_OK
 * for a stored or replayed submission (it->out_* then set), else the
 * refusal of meldpunt_submit_many, or DESK_UNAVAILABLE.
 */
enum desk_result submission_store(struct submit_item *it);

/*
 * submission_answer: {"case_id","token","proof"} for a stored submission,
 * as a new object (the caller owns it), or NULL. report_b64 is the
 * report's base64 text as sent: the strict decoder accepted it, so it is
 * the one canonical encoding of those bytes, and the proof quotes it.
 */
struct cJSON *submission_answer(const struct submit_in *in,
	    const char *report_b64, const char *token,
	    const struct submit_item *it);

#endif
