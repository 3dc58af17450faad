/*
 * notify_settings.c - reading and storing an account's notification
 * settings.
 */
#include <string.h>

#include <cjson/cJSON.h>

#include "audit.h"
#include "db.h"
#include "json_out.h"
#include "notify_settings.h"

/* Whether word is one of the NULL-ended list. */
static int
notify_settings_one_of(const char *word, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcmp(word, *list) == 0)
			return 1;
	return 0;
}

/* DESK_OK, or the result naming the first value outside its list. */
static enum desk_result
notify_settings_check(const struct notify_settings_in *in)
{
	static const char *const langs[] = { "nl", "en", NULL };
	static const char *const modes[] = { "batch", "digest", "off", NULL };
	static const char *const kept[] = { "batch", "digest", NULL };

	if (!notify_settings_one_of(in->language, langs))
		return DESK_BAD_LANGUAGE;
	if (!notify_settings_one_of(in->assigned, modes))
		return DESK_BAD_NOTIFY_ASSIGNED;
	if (!notify_settings_one_of(in->message, modes))
		return DESK_BAD_NOTIFY_MESSAGE;
	if (!notify_settings_one_of(in->deadline, kept))
		return DESK_BAD_NOTIFY_DEADLINE;
	if (!notify_settings_one_of(in->overdue, modes))
		return DESK_BAD_NOTIFY_OVERDUE;
	return DESK_OK;
}

enum desk_result
notify_settings_get(const struct session_account *s, struct cJSON **out)
{
	static const char *const keys[NOTIFY_SETTINGS_NCOLS] = {
		[NOTIFY_SETTINGS_LANGUAGE] = "language",
		[NOTIFY_SETTINGS_ASSIGNED] = "assigned",
		[NOTIFY_SETTINGS_MESSAGE] = "message",
		[NOTIFY_SETTINGS_DEADLINE] = "deadline",
		[NOTIFY_SETTINGS_OVERDUE] = "overdue",
	};
	struct db_param	 p[1] = { DB_P_TEXT(s->id) };
	PGresult	*res;
	enum db_status	 st;
	int		 i;

	if ((res = db_exec(DB_NOTIFY_SETTINGS_GET, 1, p, &st)) == NULL)
		return desk_result_db(st);
	if (PQntuples(res) != 1 || (*out = cJSON_CreateObject()) == NULL) {
		PQclear(res);
		return DESK_UNAVAILABLE;
	}
	for (i = 0; i < NOTIFY_SETTINGS_NCOLS; i++)
		if (json_add_str(*out, keys[i], db_get_text(res, 0, i)) == -1) {
			cJSON_Delete(*out);
			*out = NULL;
			PQclear(res);
			return DESK_UNAVAILABLE;
		}
	PQclear(res);
	return DESK_OK;
}

enum desk_result
notify_settings_put(const struct session_account *s,
    const struct notify_settings_in *in)
{
	struct db_param	 p[6] = { DB_P_TEXT(s->id), DB_P_TEXT(in->language),
	    DB_P_TEXT(in->assigned), DB_P_TEXT(in->message),
	    DB_P_TEXT(in->deadline), DB_P_TEXT(in->overdue) };
	PGresult	*res;
	enum db_status	 st;
	enum desk_result r;
	int		 n;

	if ((r = notify_settings_check(in)) != DESK_OK)
		return r;
	if (db_begin(&st) == -1)
		return desk_result_db(st);
	if ((res = db_exec(DB_NOTIFY_SETTINGS_SET, 6, p, &st)) == NULL) {
		db_rollback();
		return desk_result_db(st);
	}
	n = PQntuples(res);
	PQclear(res);
	if (n != 1) {
		db_rollback();
		return DESK_UNAVAILABLE;
	}
	if (audit_commit("notification_settings", s->id, NULL, &st) == -1)
		return desk_result_db(st);
	return DESK_OK;
}
