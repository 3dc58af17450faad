/*
 * reporter_case.c - the reporter's read mark and the days of the case's
 * life that the follow-up page shows (issue 18, item 5).
 */
#include <stddef.h>

#include <cjson/cJSON.h>

#include "json_out.h"
#include "reporter_case.h"
#include "statements.h"

/* Column col of row 0 of r as key: its text, or null when NULL. */
static int
reporter_case_day(cJSON *out, const char *key, const PGresult *r, int col)
{
	if (db_is_null(r, 0, col))
		return json_add_null(out, key);
	return json_add_str(out, key, db_get_text(r, 0, col));
}

int
reporter_case_more(cJSON *out, const unsigned char case_id[ID_BYTES],
    enum db_status *st)
{
	struct db_param	 p[] = { DB_P_BYTES(case_id, ID_BYTES) };
	PGresult	*r;
	int		 rc = -1;

	*st = DB_OK;
	if ((r = db_exec(DB_REPORTER_CASE_MORE, (int)nitems(p), p, st)) == NULL)
		return -1;
	if (PQntuples(r) == 1 &&
	    json_add_num(out, "read_seq",
	    (double)db_get_int(r, 0, REPORTER_CASE_MORE_READ_SEQ)) == 0 &&
	    reporter_case_day(out, "acknowledged_on", r,
	    REPORTER_CASE_MORE_ACKNOWLEDGED_ON) == 0 &&
	    reporter_case_day(out, "feedback_on", r,
	    REPORTER_CASE_MORE_FEEDBACK_ON) == 0 &&
	    reporter_case_day(out, "closed_on", r,
	    REPORTER_CASE_MORE_CLOSED_ON) == 0)
		rc = 0;
	PQclear(r);
	return rc;
}

enum desk_result
reporter_case_read(const unsigned char case_id[ID_BYTES], long long seq)
{
	struct db_param	 p[] = {
		DB_P_BYTES(case_id, ID_BYTES), DB_P_INT(seq),
	};
	PGresult	*r;
	enum db_status	 st;
	enum desk_result res;

	if ((r = db_exec(DB_REPORTER_READ, (int)nitems(p), p, &st)) == NULL)
		return desk_result_db(st);
	if (PQntuples(r) != 1)
		res = DESK_UNAVAILABLE;
	else if (db_get_int(r, 0, REPORTER_READ_MARKED) == 1)
		res = DESK_OK;
	else if (db_get_bool(r, 0, REPORTER_READ_EXISTS))
		res = DESK_BAD_READ_SEQ;
	else
		res = DESK_NOT_FOUND;
	PQclear(r);
	return res;
}
