/*
 * reporter.h - the reporter's side after submission: login with the
 * receipt-derived key, reading the case, messages and attachments.
 */
#ifndef MELDPUNT_REPORTER_H
#define MELDPUNT_REPORTER_H

struct http_request;

#define REPORTER_CHALLENGE_TTL	120
#define REPORTER_FAIL_WINDOW	900	/* login failures per client: 15 min */

/*
 * POST /api/v1/reporter/challenge {"lookup_id"} -> {"challenge"}; 429 for a
 * client over the login-failure bound.
 */
int	reporter_challenge(struct http_request *req);
/*
 * POST /api/v1/reporter/session {"lookup_id","challenge","signature"}: 429
 * before any work for a client with reporter_login_failures failures in
 * the window; every 401 counts one; a success resets nothing.
 */
int	reporter_login(struct http_request *req);
/* GET /api/v1/reporter/case */
int	reporter_case(struct http_request *req);
/* POST /api/v1/reporter/case/messages {"ciphertext","signature"} */
int	reporter_message(struct http_request *req);
/* POST /api/v1/reporter/case/attachments (octet stream) */
int	reporter_attachment_upload(struct http_request *req);
/* GET /api/v1/reporter/case/attachments/{id} */
int	reporter_attachment_download(struct http_request *req);

#endif
