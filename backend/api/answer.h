/*
 * answer.h - a desk result as an HTTP answer, from one table.
 */
#ifndef MELDPUNT_ANSWER_H
#define MELDPUNT_ANSWER_H

#include "result.h"

struct http_request;

/*
 * answer_error: send the error answer for r (never DESK_OK): its status,
 * SPEC error code and field, from the table in answer.c. For
 * DESK_UNAVAILABLE nothing is sent and -1 is returned, so that the
 * dispatcher sends the 503; else what http_send_error returns.
 */
int	answer_error(struct http_request *req, enum desk_result r);

/*
 * answer_empty: for DESK_OK a 204 without body, else answer_error.
 */
int	answer_empty(struct http_request *req, enum desk_result r);

/*
 * answer_status: the status of r's row in the table, or 0 if r has none
 * (for the unit test that every result has a row).
 */
int	answer_status(enum desk_result r);

#endif
