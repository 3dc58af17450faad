/*
 * account.h - account login and account security (SPEC 3.7 and section 4):
 * prelogin, sessions with auth_key and TOTP, logout, passphrase change and
 * TOTP re-enrolment. Serves advisers, coordinators, admins and analysts.
 */
#ifndef MELDPUNT_ACCOUNT_H
#define MELDPUNT_ACCOUNT_H

struct http_request;
struct cJSON;

#include <stddef.h>

#include "db.h"

#define ACCOUNT_CLIENT_FAILS	5	/* per (email, client) ... */
#define ACCOUNT_EMAIL_FAILS	50	/* ... and per email ... */
#define ACCOUNT_FAIL_WINDOW	900	/* ... in 15 minutes */

/* POST /api/v1/adviser/prelogin */
int	account_prelogin(struct http_request *req);
/* POST /api/v1/adviser/session */
int	account_login(struct http_request *req);
/* DELETE /api/v1/adviser/session */
int	account_logout(struct http_request *req);
/* PUT /api/v1/adviser/passphrase */
int	account_passphrase(struct http_request *req);
/* PUT /api/v1/adviser/totp */
int	account_totp(struct http_request *req);
/* POST /api/v1/adviser/totp/confirm */
int	account_totp_confirm(struct http_request *req);

/*
 * account_account_json: {"id","name","role","scope","certified",
 * "not_after"} of an account (the session answer), and its current key's
 * public and sealed secret keys into *key_out when key_out is not NULL
 * (JSON members added to it). NULL with *st set on failure.
 */
struct cJSON *account_account_json(const char *id, struct cJSON *key_out,
	    enum db_status *st);

#endif
