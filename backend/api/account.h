/*
 * account.h - account login and account security (SPEC 3.7 and section 4):
 * prelogin, sessions with auth_key and TOTP, logout, passphrase change and
 * TOTP re-enrolment. Serves advisers, coordinators, admins and analysts.
 * The work is the desk's: login.h, sessions.h, account_settings.h.
 */
#ifndef MELDPUNT_ACCOUNT_H
#define MELDPUNT_ACCOUNT_H

struct http_request;
struct json_schema;

/* POST /api/v1/adviser/prelogin; its body (req->in) per account_prelogin_in. */
extern const struct json_schema account_prelogin_in;
int	account_prelogin(struct http_request *req);

/* POST /api/v1/adviser/session; its body per account_login_in. */
extern const struct json_schema account_login_in;
int	account_login(struct http_request *req);

/* DELETE /api/v1/adviser/session: the request's own token, 204 or 401. */
int	account_logout(struct http_request *req);

/* PUT /api/v1/adviser/passphrase; its body per account_passphrase_in. */
extern const struct json_schema account_passphrase_in;
int	account_passphrase(struct http_request *req);

/* PUT /api/v1/adviser/totp; its body per account_totp_in. */
extern const struct json_schema account_totp_in;
int	account_totp(struct http_request *req);

/* POST /api/v1/adviser/totp/confirm; its body per account_totp_confirm_in. */
extern const struct json_schema account_totp_confirm_in;
int	account_totp_confirm(struct http_request *req);

/* GET and PUT /api/v1/adviser/notifications (issue 18). */
extern const struct json_schema account_notifications_in;
int	account_notifications_get(struct http_request *req);
int	account_notifications_put(struct http_request *req);

#endif
