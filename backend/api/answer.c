/*
 * answer.c - each desk result's status, SPEC error code and field.
 */
#include <stddef.h>

#include "answer.h"
#include "http.h"
#include "log.h"
#include "sizes.h"

static const struct {
	int		 status;
	const char	*code;
	const char	*field;		/* NULL: the error names no field */
} answer_table[DESK_RESULT_COUNT] = {
	[DESK_OK] =			{ 204, NULL, NULL },
	[DESK_UNAVAILABLE] =		{ 503, "unavailable", NULL },
	[DESK_INVALID_TRANSITION] =	{ 400, "invalid_transition", NULL },
	[DESK_CLASSIFICATION_REQUIRED] = { 400, "classification_required", NULL },
	[DESK_BAD_CLASSIFICATION] =	{ 400, "invalid_field", "classification" },
	[DESK_BAD_ADVISER] =		{ 400, "invalid_field", "adviser_id" },
	[DESK_NO_NOTES_KEY] =		{ 400, "invalid_field",
					    "notes_key_commitment" },
	[DESK_NOT_IN_EXPORT] =		{ 400, "invalid_field", "wraps" },
	[DESK_BAD_SIGNATURE] =		{ 400, "bad_signature", NULL },
	[DESK_UNAUTHORIZED] =		{ 401, "unauthorized", NULL },
	[DESK_FORBIDDEN] =		{ 403, "forbidden", NULL },
	[DESK_NOT_FOUND] =		{ 404, "not_found", NULL },
	[DESK_CONFLICT] =		{ 409, "conflict", NULL },
	[DESK_PURGED] =			{ 409, "purged", NULL },
	[DESK_HOLDERS_CHANGED] =	{ 409, "holders_changed", NULL },
	[DESK_KEY_CHANGED] =		{ 409, "key_changed", NULL },
	[DESK_EXCLUDED_BY_REPORTER] =	{ 409, "excluded_by_reporter", NULL },
	[DESK_NOTES_KEY_EXISTS] =	{ 409, "notes_key_exists", NULL },
	/* -- submission, adviser entries, audit, retention, maintenance */
	[DESK_UNKNOWN_ORGANISATION] =	{ 400, "invalid_field", "organisation" },
	[DESK_UNKNOWN_TOPIC] =		{ 400, "invalid_field", "topic" },
	[DESK_BAD_IDEMPOTENCY_KEY] =	{ 400, "invalid_field",
					    "Idempotency-Key" },
	[DESK_BAD_EXCLUDED] =		{ 400, "invalid_field", "excluded" },
	[DESK_BAD_KEY_WRAPS] =		{ 400, "invalid_field", "key_wraps" },
	[DESK_BAD_REPORT] =		{ 400, "invalid_field",
					    "report_ciphertext" },
	[DESK_BAD_BOX_KEY] =		{ 400, "invalid_field",
					    "reporter_box_public_key" },
	[DESK_POW_INVALID] =		{ 400, "pow_invalid", NULL },
	[DESK_CHALLENGE_INVALID] =	{ 409, "challenge_invalid", NULL },
	[DESK_IDEMPOTENCY_MISMATCH] =	{ 409, "idempotency_mismatch", NULL },
	[DESK_ROUTING_CHANGED] =	{ 409, "routing_changed", NULL },
	[DESK_LOOKUP_ID_USED] =		{ 409, "lookup_id_used", NULL },
	/* -- case files, messages, attachments */
	[DESK_MESSAGE_UNPADDED] =	{ 400, "invalid_field", "ciphertext" },
	[DESK_STREAM_INVALID] =		{ 400, "invalid_stream", NULL },
	[DESK_ATTACHMENT_BAD_ID] =	{ 400, "invalid_field",
					    "X-Meldpunt-Attachment-Id" },
	[DESK_ATTACHMENT_BAD_META] =	{ 400, "invalid_field", "X-Meldpunt-Meta" },
	[DESK_ATTACHMENT_TOO_LARGE] =	{ 413, "too_large", NULL },
	[DESK_CASE_QUOTA] =		{ 413, "case_quota", NULL },
	[DESK_ATTACHMENT_ID_USED] =	{ 409, "attachment_id_used", NULL },
	[DESK_BAD_READ_SEQ] =		{ 400, "invalid_field", "seq" },
	/* -- adviser case work */
	/* -- sessions, logins, accounts' own settings, keys */
	[DESK_LOGIN_LIMITED] =		{ 429, "rate_limited", NULL },
	[DESK_BAD_SECRET_KEY] =		{ 400, "invalid_field",
					    "encrypted_secret_key" },
	[DESK_KEY_UNUSABLE] =		{ 400, "invalid_field",
					    "encryption_public_key" },
	[DESK_BAD_WRAP_LIST] =		{ 400, "invalid_field", "wraps" },
	[DESK_BAD_CASE_LIST] =		{ 400, "invalid_field", "case_ids" },
	/* -- administration and enrolment */
	[DESK_BAD_EMAIL] =		{ 400, "invalid_field", "email" },
	[DESK_BAD_ROLE] =		{ 400, "invalid_field", "role" },
	[DESK_BAD_ORGANISATIONS] =	{ 400, "invalid_field",
					    "organisations" },
	[DESK_BAD_TOPICS] =		{ 400, "invalid_field", "topics" },
	[DESK_BAD_NOT_AFTER] =		{ 400, "invalid_field", "not_after" },
	[DESK_BAD_UNIT_NAME] =		{ 400, "invalid_field", "name" },
	/* -- notification settings */
	[DESK_BAD_LANGUAGE] =		{ 400, "invalid_field", "language" },
	[DESK_BAD_NOTIFY_ASSIGNED] =	{ 400, "invalid_field", "assigned" },
	[DESK_BAD_NOTIFY_MESSAGE] =	{ 400, "invalid_field", "message" },
	[DESK_BAD_NOTIFY_DEADLINE] =	{ 400, "invalid_field", "deadline" },
	[DESK_BAD_NOTIFY_OVERDUE] =	{ 400, "invalid_field", "overdue" },
	[DESK_ENROL_BAD_TOTP] =		{ 400, "invalid_field", "totp" },
	[DESK_ENROL_BAD_ENC_KEY] =	{ 400, "invalid_field",
					    "encryption_public_key" },
	[DESK_ENROL_BAD_SIGN_KEY] =	{ 400, "invalid_field",
					    "sign_public_key" },
	[DESK_ENROL_BAD_SECRET_KEY] =	{ 400, "invalid_field",
					    "encrypted_secret_key" },
	/* -- statistics releases (stats_api.c adds a reason and message) */
	[DESK_RELEASE_BAD_FAMILY] =	{ 400, "invalid_field", "family" },
	[DESK_RELEASE_BAD_QUARTER] =	{ 400, "invalid_field", "quarter" },
	[DESK_RELEASE_OPEN_QUARTER] =	{ 400, "invalid_field", "quarter" },
	[DESK_RELEASE_UNSAFE] =		{ 409, "conflict", NULL },
	[DESK_RELEASE_BUDGET_SPENT] =	{ 409, "conflict", NULL },
	[DESK_RELEASE_OVER_BUDGET] =	{ 409, "conflict", NULL },
	[DESK_RELEASE_WITHDRAWN] =	{ 409, "conflict", NULL },
	[DESK_RELEASE_DATA_CHANGED] =	{ 409, "conflict", NULL },
	[DESK_RELEASE_METHOD_CHANGED] =	{ 409, "conflict", NULL },
	[DESK_RELEASE_INCONSISTENT] =	{ 409, "conflict", NULL },
	[DESK_RELEASE_BUSY] =		{ 503, "unavailable", NULL },
};

int
answer_error(struct http_request *req, enum desk_result r)
{
	if ((unsigned int)r >= DESK_RESULT_COUNT ||
	    answer_table[r].code == NULL) {
		log_warnx("%s: no answer for result %d", __func__, (int)r);
		return -1;
	}
	if (r == DESK_UNAVAILABLE)
		return -1;
	return http_send_error(req, answer_table[r].status,
	    answer_table[r].code, answer_table[r].field);
}

int
answer_empty(struct http_request *req, enum desk_result r)
{
	if (r == DESK_OK)
		return http_send_empty(req, 204, NULL);
	return answer_error(req, r);
}

int
answer_status(enum desk_result r)
{
	if ((unsigned int)r >= DESK_RESULT_COUNT)
		return 0;
	return answer_table[r].status;
}
