/*
 * reporter.h - the reporter's side after submission: login with the
 * receipt-derived key, reading the case, messages and attachments.
 */
#ifndef MELDPUNT_REPORTER_H
#define MELDPUNT_REPORTER_H

struct http_request;

#define REPORTER_CHALLENGE_TTL	120

/* POST /api/v1/reporter/challenge {"lookup_id"} -> {"challenge"} */
int	reporter_challenge(struct http_request *req);

#endif
