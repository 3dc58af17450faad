/*
 * submit.h - anonymous report submission: proof-of-work challenges and
 * POST /api/v1/reports (SPEC sections 3.9, 3.10 and 4).
 */
#ifndef MELDPUNT_SUBMIT_H
#define MELDPUNT_SUBMIT_H

struct http_request;

#define SUBMIT_CHALLENGE_TTL	600	/* seconds to do the work and send */

/* POST /api/v1/challenges */
int	submit_challenge(struct http_request *req);

#endif
