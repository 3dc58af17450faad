/*
 * submit.h - anonymous report submission: proof-of-work challenges and
 * POST /api/v1/reports (SPEC sections 3.9, 3.10 and 4).
 */
#ifndef MELDPUNT_SUBMIT_H
#define MELDPUNT_SUBMIT_H

#include <stddef.h>

struct http_request;



/* POST /api/v1/challenges */
int	submit_challenge(struct http_request *req);

/* POST /api/v1/reports */
int	submit_report(struct http_request *req);

#endif
