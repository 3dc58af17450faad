/*
 * submit.h - anonymous report submission: proof-of-work challenges and
 * POST /api/v1/reports (SPEC sections 3.9, 3.10 and 4).
 */
#ifndef MELDPUNT_SUBMIT_H
#define MELDPUNT_SUBMIT_H

struct http_request;

/* POST /api/v1/challenges */
int	submit_challenge(struct http_request *req);

/*
 * POST /api/v1/reports; its body (req->in) per submit_in_schema
 * (desk/submit_in.h), the nested key_wraps checked by the desk.
 */
int	submit_report(struct http_request *req);

#endif
