/*
 * login.h - staff login (SPEC 3.7 and section 4): prelogin, login with
 * auth_key and TOTP, and the re-check of both before an account changes
 * its own secrets. Serves advisers, coordinators, admins and analysts.
 *
 * Failures are counted per (email, client) in memory and per email in
 * PostgreSQL; over either bound the answer is DESK_LOGIN_LIMITED with the
 * seconds to wait, before any work on a secret.
 */
#ifndef MELDPUNT_LOGIN_H
#define MELDPUNT_LOGIN_H

#include "result.h"
#include "session_types.h"
#include "sizes.h"
#include "totp.h"

struct cJSON;

#define LOGIN_CLIENT_FAILS	5	/* per (email, client) ... */
#define LOGIN_EMAIL_FAILS	50	/* ... and per email ... */
#define LOGIN_FAIL_WINDOW	900	/* ... in 15 minutes */

#define LOGIN_EMAIL_MIN		3
#define LOGIN_EMAIL_MAX		254	/* bytes */

/* A TOTP code as text: TOTP_DIGITS digits. */
#define LOGIN_CODE_SIZE		(TOTP_DIGITS + 1)

/* POST /api/v1/adviser/prelogin's input. */
struct login_prelogin_in {
	char		email[LOGIN_EMAIL_MAX + 1];
};

/* POST /api/v1/adviser/session's input. */
struct login_in {
	char		email[LOGIN_EMAIL_MAX + 1];
	unsigned char	auth_key[KEY_BYTES];
	char		totp[LOGIN_CODE_SIZE];
};

/*
 * login_prelogin: {"salt","opslimit","memlimit"} for email: the account's
 * own, or a stable stand-in salt for an unknown email (the same work
 * always). DESK_OK and *out, or DESK_UNAVAILABLE.
 */
enum desk_result login_prelogin(const char *email, struct cJSON **out);

/*
 * login_staff: the login of in from the client at addr: the failure
 * counters first, then the account, auth_key and TOTP checks (stand-ins
 * for an unknown email, every failure alike and audited), the TOTP step
 * spent, a session opened and audited. DESK_OK and *out the answer
 * {"token","adviser",key members}; DESK_LOGIN_LIMITED with *wait seconds;
 * DESK_UNAUTHORIZED; or DESK_UNAVAILABLE.
 */
enum desk_result login_staff(const struct login_in *in, const char *addr,
	    unsigned int *wait, struct cJSON **out);

/*
 * login_recheck: auth_key and TOTP code again for the session's own
 * account, counted per client as a login is. DESK_OK (the step spent);
 * DESK_LOGIN_LIMITED with *wait seconds; DESK_FORBIDDEN; or
 * DESK_UNAVAILABLE.
 */
enum desk_result login_recheck(const struct session_account *s,
	    const char *addr, const unsigned char auth_key[KEY_BYTES],
	    const char *totp, unsigned int *wait);

#endif
