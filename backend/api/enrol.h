/*
 * enrol.h - enrolment with an invite (SPEC 3.7 and section 4), the public
 * routes of desk/enrolment: who an invite is for, the keys and a TOTP
 * secret, and the confirmation with a code from it.
 */
#ifndef MELDPUNT_ENROL_H
#define MELDPUNT_ENROL_H

struct http_request;
struct json_schema;

/* POST /api/v1/enrol/info; its body (req->in) per enrol_info_in. */
extern const struct json_schema enrol_info_in;
int	enrol_info(struct http_request *req);
/* POST /api/v1/enrol; req->in (struct enrolment_new) per enrol_start_in. */
extern const struct json_schema enrol_start_in;
int	enrol_start(struct http_request *req);
/* POST /api/v1/enrol/confirm; req->in per enrol_confirm_in. */
extern const struct json_schema enrol_confirm_in;
int	enrol_confirm(struct http_request *req);

#endif
