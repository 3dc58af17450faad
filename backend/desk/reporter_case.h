/*
 * reporter_case.h - what only the reporter's view of a case has (issue 18,
 * item 5): the days the desk acknowledged, gave feedback and closed, and
 * the reporter's read mark, so the follow-up page can say what is new
 * without keeping anything in the browser.
 */
#ifndef MELDPUNT_REPORTER_CASE_H
#define MELDPUNT_REPORTER_CASE_H

#include "db.h"
#include "result.h"
#include "sizes.h"

struct cJSON;

/*
 * reporter_case_more: add "read_seq" (a number) and "acknowledged_on",
 * "feedback_on", "closed_on" (YYYY-MM-DD or null) of the case to out, the
 * reporter's case object. 0; or -1 with *st set (DB_OK: no such case, or
 * out of memory); out keeps what was added before the failure.
 */
int	reporter_case_more(struct cJSON *out,
	    const unsigned char case_id[ID_BYTES], enum db_status *st);

/*
 * reporter_case_read: the reporter has seen the case's messages up to seq
 * (0 or more). The mark never moves back: a lower seq changes nothing.
 * DESK_OK; DESK_BAD_READ_SEQ if seq is past the case's last message (the
 * case unchanged); DESK_NOT_FOUND; DESK_UNAVAILABLE.
 */
enum desk_result reporter_case_read(const unsigned char case_id[ID_BYTES],
	    long long seq);

#endif
