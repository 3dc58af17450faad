/*
 * result.c - the outcome words of the SQL functions, mapped once.
 */
#include <string.h>

#include "log.h"
#include "result.h"
#include "sizes.h"

static const struct {
	const char		*word;
	enum desk_result	 result;
} result_words[] = {
	{ "ok",				DESK_OK },
	{ "not_found",			DESK_NOT_FOUND },
	{ "purged",			DESK_PURGED },
	{ "holders_changed",		DESK_HOLDERS_CHANGED },
	{ "key_changed",		DESK_KEY_CHANGED },
	{ "excluded_by_reporter",	DESK_EXCLUDED_BY_REPORTER },
	{ "notes_key_exists",		DESK_NOTES_KEY_EXISTS },
	{ "no_notes_key",		DESK_NO_NOTES_KEY },
	{ "already_holder",		DESK_CONFLICT },
	{ "not_certified",		DESK_CONFLICT },
	{ "no_colleague",		DESK_BAD_ADVISER },
	{ "out_of_scope",		DESK_BAD_ADVISER },
	{ "not_in_export",		DESK_NOT_IN_EXPORT },
	{ "invalid_transition",		DESK_INVALID_TRANSITION },
	{ "classification_required",	DESK_CLASSIFICATION_REQUIRED },
	{ "invalid_category",		DESK_BAD_CLASSIFICATION },
	{ "invalid_grounds",		DESK_BAD_CLASSIFICATION },
	{ "invalid_primary_ground",	DESK_BAD_CLASSIFICATION },
	{ "invalid_outcome",		DESK_BAD_CLASSIFICATION },
	{ "created",			DESK_OK },
	{ "replay",			DESK_OK },
	{ "unknown_organisation",	DESK_UNKNOWN_ORGANISATION },
	{ "unknown_topic",		DESK_UNKNOWN_TOPIC },
	{ "idempotency_mismatch",	DESK_IDEMPOTENCY_MISMATCH },
	{ "routing_changed",		DESK_ROUTING_CHANGED },
	{ "lookup_id_used",		DESK_LOOKUP_ID_USED },
	{ "challenge_invalid",		DESK_CHALLENGE_INVALID },
};

enum desk_result
desk_result_of(const char *outcome)
{
	size_t	i;

	if (outcome == NULL)
		return DESK_UNAVAILABLE;
	for (i = 0; i < nitems(result_words); i++)
		if (strcmp(outcome, result_words[i].word) == 0)
			return result_words[i].result;
	log_warnx("%s: unknown outcome %.32s", __func__, outcome);
	return DESK_UNAVAILABLE;
}

enum desk_result
desk_result_db(enum db_status st)
{
	(void)st;	/* every database failure is a 503; db.c logs why */
	return DESK_UNAVAILABLE;
}
