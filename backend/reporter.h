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
/* POST /api/v1/reporter/session {"lookup_id","challenge","signature"} */
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
