/*
 * submit.h - anonymous report submission: proof-of-work challenges and
 * POST /api/v1/reports (SPEC sections 3.9, 3.10 and 4).
 */
#ifndef MELDPUNT_SUBMIT_H
#define MELDPUNT_SUBMIT_H

#include <stddef.h>

struct http_request;
struct cJSON;

#define SUBMIT_CHALLENGE_TTL	600	/* seconds to do the work and send */

/* POST /api/v1/challenges */
int	submit_challenge(struct http_request *req);

/* POST /api/v1/reports */
int	submit_report(struct http_request *req);

/*
 * submit_proof: the proof-of-submission file of SPEC 3.10 as a new cJSON
 * object (the caller owns it), or NULL.
 */
struct cJSON *submit_proof(const char *case_id, const char *received_on,
	    const char *organisation, const char *topic,
	    const unsigned char sign_pk[32], const char *report_b64,
	    const unsigned char commitment[32], const unsigned char sig[64]);

#endif
