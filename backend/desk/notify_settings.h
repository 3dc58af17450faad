/*
 * notify_settings.h - an account's notification settings (issue 18): the
 * language of its mails and, per kind, when they come: "batch" (at the
 * next batch time), "digest" (with the first batch of the day) or "off".
 * Kinds: "assigned" (a case routed or shared to the account), "message"
 * (a reporter wrote in a case it holds), "deadline" (a deadline of a case
 * it holds is near or passed; never "off"), "overdue" (a deadline of a
 * case of its organisations passed, for coordinators without the case).
 */
#ifndef MELDPUNT_NOTIFY_SETTINGS_H
#define MELDPUNT_NOTIFY_SETTINGS_H

#include "result.h"
#include "session_types.h"

struct cJSON;

#define NOTIFY_LANGUAGE_LEN	2
#define NOTIFY_MODE_MAX		6	/* "digest" */

/* PUT /api/v1/adviser/notifications's input. */
struct notify_settings_in {
	char	language[NOTIFY_LANGUAGE_LEN + 1];
	char	assigned[NOTIFY_MODE_MAX + 1];
	char	message[NOTIFY_MODE_MAX + 1];
	char	deadline[NOTIFY_MODE_MAX + 1];
	char	overdue[NOTIFY_MODE_MAX + 1];
};

/*
 * notify_settings_get: s's settings as {"language","assigned","message",
 * "deadline","overdue"} in *out (the caller deletes it). DESK_OK, or
 * DESK_UNAVAILABLE.
 */
enum desk_result notify_settings_get(const struct session_account *s,
	    struct cJSON **out);

/*
 * notify_settings_put: store in as s's settings, audited. DESK_OK; a
 * DESK_BAD_LANGUAGE or DESK_BAD_NOTIFY_* naming the first value outside
 * its list (nothing stored); or DESK_UNAVAILABLE.
 */
enum desk_result notify_settings_put(const struct session_account *s,
	    const struct notify_settings_in *in);

#endif
