/*
 * reporter.h - the reporter's side after submission: login with the
 * receipt-derived key, reading the case, messages and attachments. The
 * login's work is the desk's (reporter_login.h).
 */
#ifndef MELDPUNT_REPORTER_H
#define MELDPUNT_REPORTER_H

struct http_request;
struct json_schema;

/*
 * POST /api/v1/reporter/challenge {"lookup_id"} -> {"challenge"}; 429 for a
 * client over the login-failure bound, before the body is parsed (so its
 * route names no schema: the handler parses after the throttle).
 */
int	reporter_challenge(struct http_request *req);
/*
 * POST /api/v1/reporter/session {"lookup_id","challenge","signature"}: 429
 * before any work, even a body that does not parse, for a client with
 * reporter_login_failures failures in the window; every 401 counts one; a
 * success resets nothing. Parses its own body, as reporter_challenge.
 */
int	reporter_login(struct http_request *req);
/*
 * GET /api/v1/reporter/case: SPEC's object plus "read_seq",
 * "acknowledged_on", "feedback_on" and "closed_on" (docs/protocol.md).
 */
int	reporter_case(struct http_request *req);
/*
 * POST /api/v1/reporter/case/read {"seq"}: the reporter has seen the
 * messages up to seq (0 to the last message's seq; never moves back); 204.
 * Its body per reporter_read_in.
 */
extern const struct json_schema reporter_read_in;
int	reporter_read(struct http_request *req);
/* POST /api/v1/reporter/case/messages; its body per reporter_message_in. */
extern const struct json_schema reporter_message_in;
int	reporter_message(struct http_request *req);
/* POST /api/v1/reporter/case/attachments (octet stream) */
int	reporter_attachment_upload(struct http_request *req);
/* GET /api/v1/reporter/case/attachments/{id} */
int	reporter_attachment_download(struct http_request *req);

#endif
