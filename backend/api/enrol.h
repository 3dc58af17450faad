/*
 * enrol.h - enrolment with an invite (SPEC 3.7 and section 4): the browser
 * sends only salt, Argon2id parameters, auth_key, public keys and the
 * passphrase-sealed secret key; the server answers a TOTP secret and
 * activates the account once a code from it is shown.
 */
#ifndef MELDPUNT_ENROL_H
#define MELDPUNT_ENROL_H

struct http_request;
struct json_schema;

#define ENROL_INVITE_HOURS	72

/* POST /api/v1/enrol/info; its body (req->in) per enrol_info_in. */
extern const struct json_schema enrol_info_in;
int	enrol_info(struct http_request *req);
/* POST /api/v1/enrol */
int	enrol_start(struct http_request *req);
/* POST /api/v1/enrol/confirm */
int	enrol_confirm(struct http_request *req);

#endif
