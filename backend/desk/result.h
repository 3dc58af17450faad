/*
 * result.h - the one vocabulary of outcomes the desk's functions return.
 *
 * A desk function never answers a request: it returns one of these, and
 * api/answer.c maps each to its status, SPEC error code and field in one
 * table. The outcome words meldpunt_* functions return in PostgreSQL are
 * mapped to these in one place too (desk_result_of).
 */
#ifndef MELDPUNT_RESULT_H
#define MELDPUNT_RESULT_H

#include "db.h"

enum desk_result {
	DESK_OK = 0,
	DESK_UNAVAILABLE,		/* 503: the database, or a fault inside */
	/* 400 */
	DESK_INVALID_TRANSITION,	/* status change not allowed */
	DESK_CLASSIFICATION_REQUIRED,	/* closing needs a classification */
	DESK_BAD_CLASSIFICATION,	/* a value outside the vocabulary */
	DESK_BAD_ADVISER,		/* no such colleague, or out of scope */
	DESK_NO_NOTES_KEY,		/* the case has no notes key yet */
	DESK_NOT_IN_EXPORT,		/* wraps name a case outside the export */
	DESK_BAD_SIGNATURE,		/* a signature does not verify */
	/* 401, 403, 404 */
	DESK_UNAUTHORIZED,
	DESK_FORBIDDEN,
	DESK_NOT_FOUND,
	/* 409 */
	DESK_CONFLICT,			/* exists already, or not certified */
	DESK_PURGED,
	DESK_HOLDERS_CHANGED,
	DESK_KEY_CHANGED,
	DESK_EXCLUDED_BY_REPORTER,
	DESK_NOTES_KEY_EXISTS,
	/* New outcomes go in their section, with a row in answer.c's. */
	/* -- submission, adviser entries, audit, retention, maintenance */
	DESK_UNKNOWN_ORGANISATION,	/* 400 */
	DESK_UNKNOWN_TOPIC,		/* 400 */
	DESK_BAD_IDEMPOTENCY_KEY,	/* 400: its form */
	DESK_BAD_EXCLUDED,		/* 400 */
	DESK_BAD_KEY_WRAPS,		/* 400 */
	DESK_BAD_REPORT,		/* 400: its padding */
	DESK_BAD_BOX_KEY,		/* 400: not a usable box key */
	DESK_POW_INVALID,		/* 400 */
	DESK_CHALLENGE_INVALID,		/* 409: unknown, expired or used */
	DESK_IDEMPOTENCY_MISMATCH,	/* 409: the key, another body */
	DESK_ROUTING_CHANGED,		/* 409: advisers to wrap for */
	DESK_LOOKUP_ID_USED,		/* 409 */
	/* -- case files, messages, attachments */
	DESK_MESSAGE_UNPADDED,		/* 400: ciphertext not whole blocks */
	DESK_STREAM_INVALID,		/* 400: not an attachment stream */
	DESK_ATTACHMENT_BAD_ID,		/* 400: X-Meldpunt-Attachment-Id */
	DESK_ATTACHMENT_BAD_META,	/* 400: X-Meldpunt-Meta */
	DESK_ATTACHMENT_TOO_LARGE,	/* 413: over the attachment limit */
	DESK_CASE_QUOTA,		/* 413: the case's storage is full */
	DESK_ATTACHMENT_ID_USED,	/* 409: the id exists already */
	DESK_BAD_READ_SEQ,		/* 400: a read mark past the last message */
	/* -- adviser case work */
	/* -- sessions, logins, accounts' own settings, keys */
	DESK_LOGIN_LIMITED,		/* 429: too many failed logins */
	DESK_BAD_SECRET_KEY,		/* encrypted_secret_key given or not, wrongly */
	DESK_KEY_UNUSABLE,		/* encryption_public_key is no usable key */
	DESK_BAD_WRAP_LIST,		/* an item of wraps does not hold */
	DESK_BAD_CASE_LIST,		/* an item of case_ids is no case id */
	/* -- administration and enrolment */
	DESK_BAD_EMAIL,			/* 400 invalid_field "email" */
	DESK_BAD_ROLE,			/* "role" */
	DESK_BAD_ORGANISATIONS,		/* "organisations": bad or unknown */
	DESK_BAD_TOPICS,		/* "topics" */
	DESK_BAD_NOT_AFTER,		/* "not_after": a day already past */
	DESK_BAD_UNIT_NAME,		/* "name": not {"nl","en"} */
	DESK_ENROL_BAD_TOTP,		/* "totp": not the pending code */
	DESK_ENROL_BAD_ENC_KEY,		/* "encryption_public_key" */
	DESK_ENROL_BAD_SIGN_KEY,	/* "sign_public_key" */
	DESK_ENROL_BAD_SECRET_KEY,	/* "encrypted_secret_key" */
	/* -- statistics releases */
	DESK_RELEASE_BAD_FAMILY,	/* 400: not a configured family */
	DESK_RELEASE_BAD_QUARTER,	/* 400: not YYYYQn */
	DESK_RELEASE_OPEN_QUARTER,	/* 400: the quarter has not ended */
	DESK_RELEASE_UNSAFE,		/* 409: cannot be published safely */
	DESK_RELEASE_BUDGET_SPENT,	/* 409: dp: this release's budget */
	DESK_RELEASE_OVER_BUDGET,	/* 409: dp: epsilon x families > 2 */
	DESK_RELEASE_WITHDRAWN,		/* 409: stored once, gone: never again */
	DESK_RELEASE_DATA_CHANGED,	/* 409: data disagree with the sibling */
	DESK_RELEASE_METHOD_CHANGED,	/* 409: sibling made the other way */
	DESK_RELEASE_INCONSISTENT,	/* 409: cases outside the frozen domain */
	DESK_RELEASE_BUSY,		/* 503: another release is computed */
	/* -- notification settings (issue 18) */
	DESK_BAD_LANGUAGE,		/* 400 "language": not nl or en */
	DESK_BAD_NOTIFY_ASSIGNED,	/* "assigned": not batch, digest, off */
	DESK_BAD_NOTIFY_MESSAGE,	/* "message" */
	DESK_BAD_NOTIFY_DEADLINE,	/* "deadline": not batch or digest */
	DESK_BAD_NOTIFY_OVERDUE,	/* "overdue" */
	DESK_RESULT_COUNT
};

/*
 * desk_result_of: the outcome word a meldpunt_* SQL function returned, as
 * a result. An unknown word is logged (the word only: they are ours, never
 * data) and is DESK_UNAVAILABLE.
 */
enum desk_result desk_result_of(const char *outcome);

/* desk_result_db: a failed statement's status as a result. */
enum desk_result desk_result_db(enum db_status st);

#endif
