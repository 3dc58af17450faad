/*
 * submission.c - challenges and report submission, free of HTTP (see the
 * header). The order of the checks is the order of the answers the tests
 * and clients rely on.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "app.h"
#include "challenge.h"
#include "config.h"
#include "counters.h"
#include "ids.h"
#include "json_in.h"
#include "json_out.h"
#include "pow.h"
#include "proof.h"
#include "seal.h"
#include "secrets.h"
#include "sizes.h"
#include "submission.h"

#define SUBMISSION_IDEM_MIN	8	/* Idempotency-Key length */
#define SUBMISSION_IDEM_MAX	128
#define SUBMISSION_ADVISER	"adviser:"

/* The proof-of-work difficulty of the moment. */
static unsigned int
submission_difficulty(void)
{
	return pow_difficulty((unsigned int)app.cfg->pow_difficulty,
	    counters_pow_rate(app.cfg->pow_ceiling), app.cfg->pow_ceiling);
}

enum desk_result
submission_challenge(cJSON **out)
{
	unsigned char	c[CHALLENGE_BYTES];
	unsigned int	d = submission_difficulty();

	*out = NULL;
	if (challenge_make(c, app.secrets->server_key, CHALLENGE_POW, d,
	    (uint32_t)time(NULL) + CHALLENGE_POW_TTL) == -1 ||
	    (*out = cJSON_CreateObject()) == NULL)
		return DESK_UNAVAILABLE;
	if (json_add_b64(*out, "challenge", c, sizeof(c)) == -1 ||
	    json_add_num(*out, "difficulty", d) == -1 ||
	    json_add_num(*out, "expires_in", CHALLENGE_POW_TTL) == -1) {
		cJSON_Delete(*out);
		*out = NULL;
		return DESK_UNAVAILABLE;
	}
	return DESK_OK;
}

/* 1 if the string array arr holds s. */
static int
submission_array_has(const cJSON *arr, const char *s)
{
	const cJSON *item;

	cJSON_ArrayForEach(item, arr)
		if (cJSON_IsString(item) && strcmp(item->valuestring, s) == 0)
			return 1;
	return 0;
}

/* Excluded ids: distinct UUIDs, into it->excluded. */
static int
submission_excluded(const cJSON *excluded, struct submit_item *it)
{
	const cJSON *item, *other;

	cJSON_ArrayForEach(item, excluded) {
		if (!cJSON_IsString(item) ||
		    !ids_uuid_valid(item->valuestring) ||
		    it->nexcluded == SUBMIT_MAX_ADVISERS)
			return -1;
		for (other = item->next; other != NULL; other = other->next)
			if (cJSON_IsString(other) &&
			    strcmp(other->valuestring, item->valuestring) == 0)
				return -1;
		memcpy(it->excluded[it->nexcluded++], item->valuestring,
		    SUBMIT_UUID_LEN + 1);
	}
	return 0;
}

/* 1 if an adviser wrap for id is already in it. */
static int
submission_has_adviser(const struct submit_item *it, const char *id)
{
	int i;

	for (i = 0; i < it->nadvisers; i++)
		if (strcmp(it->advisers[i].id, id) == 0)
			return 1;
	return 0;
}

/* One adviser wrap, for the account id, into it. */
static enum desk_result
submission_take_adviser(const struct submit_in *in,
    const struct submit_wrap_in *one, const char *id, struct submit_item *it)
{
	struct submit_adviser *a;

	if (!ids_uuid_valid(id) || submission_array_has(in->excluded, id) ||
	    submission_has_adviser(it, id) ||
	    it->nadvisers == SUBMIT_MAX_ADVISERS)
		return DESK_BAD_KEY_WRAPS;
	a = &it->advisers[it->nadvisers++];
	memcpy(a->id, id, SUBMIT_UUID_LEN + 1);
	memcpy(a->public_key, one->public_key, sizeof(a->public_key));
	memcpy(a->wrap, one->wrap, sizeof(a->wrap));
	return DESK_OK;
}

/* One wrap object into it. */
static enum desk_result
submission_take_wrap(const struct submit_in *in,
    const struct submit_wrap_in *one, struct submit_item *it, int *reporter,
    int *recovery)
{
	const size_t pre = sizeof(SUBMISSION_ADVISER) - 1;

	if (strcmp(one->recipient, "reporter") == 0) {
		if ((*reporter)++)
			return DESK_BAD_KEY_WRAPS;
		if (sodium_memcmp(one->public_key, in->box_pk,
		    sizeof(in->box_pk)) != 0)
			return DESK_KEY_CHANGED;
		memcpy(it->reporter_wrap, one->wrap, sizeof(it->reporter_wrap));
	} else if (strcmp(one->recipient, "recovery") == 0) {
		if ((*recovery)++)
			return DESK_BAD_KEY_WRAPS;
		if (sodium_memcmp(one->public_key, app.secrets->recovery_pk,
		    sizeof(it->recovery_pk)) != 0)
			return DESK_KEY_CHANGED;
		memcpy(it->recovery_pk, one->public_key,
		    sizeof(it->recovery_pk));
		memcpy(it->recovery_wrap, one->wrap, sizeof(it->recovery_wrap));
	} else if (strncmp(one->recipient, SUBMISSION_ADVISER, pre) == 0)
		return submission_take_adviser(in, one, one->recipient + pre,
		    it);
	else
		return DESK_BAD_KEY_WRAPS;
	return DESK_OK;
}

/*
 * Check each wrap object: one reporter wrap for the submitted box key, one
 * recovery wrap for the desk's recovery key, distinct adviser wraps not in
 * excluded.
 */
static enum desk_result
submission_wraps(const struct submit_in *in, struct submit_item *it)
{
	struct submit_wrap_in	 one;
	const cJSON		*item;
	const char		*f;
	enum desk_result	 r;
	int			 reporter = 0, recovery = 0;

	cJSON_ArrayForEach(item, in->wraps) {
		if (json_in_check(item, submit_in_wrap_fields,
		    submit_in_wrap_nfields, &one, &f) == -1)
			return DESK_BAD_KEY_WRAPS;
		if ((r = submission_take_wrap(in, &one, it, &reporter,
		    &recovery)) != DESK_OK)
			return r;
	}
	if (reporter != 1 || recovery != 1 || it->nadvisers < 1)
		return DESK_BAD_KEY_WRAPS;
	return DESK_OK;
}

/* The optional Idempotency-Key: its hash and the body's into it. */
static enum desk_result
submission_idempotency(const char *key, const char *body, size_t body_len,
    struct submit_item *it)
{
	size_t n, i;

	if (key == NULL)
		return DESK_OK;
	n = strlen(key);
	if (n < SUBMISSION_IDEM_MIN || n > SUBMISSION_IDEM_MAX)
		return DESK_BAD_IDEMPOTENCY_KEY;
	for (i = 0; i < n; i++)
		if (key[i] < 0x21 || key[i] > 0x7e)
			return DESK_BAD_IDEMPOTENCY_KEY;
	crypto_generichash(it->key_hash, sizeof(it->key_hash),
	    (const unsigned char *)key, n, app.secrets->server_key,
	    sizeof(app.secrets->server_key));
	crypto_generichash(it->body_hash, sizeof(it->body_hash),
	    (const unsigned char *)body, body_len, NULL, 0);
	it->idempotent = 1;
	return DESK_OK;
}

/* Checks that need no database: sizes, keys, challenge and work. */
static enum desk_result
submission_precheck(const struct submit_in *in, struct submit_item *it)
{
	size_t padded = in->report.len - SUBMIT_AEAD_OVERHEAD;

	if (padded % SUBMIT_REPORT_BLOCK != 0)
		return DESK_BAD_REPORT;
	if (seal_box_public_key_usable(in->box_pk) != 0)
		return DESK_BAD_BOX_KEY;
	if (challenge_check(in->challenge, app.secrets->server_key,
	    CHALLENGE_POW, (uint32_t)time(NULL), &it->difficulty,
	    &it->expires) == -1)
		return DESK_CHALLENGE_INVALID;
	if (!pow_valid(in->challenge, in->pow_nonce, it->difficulty))
		return DESK_POW_INVALID;
	return DESK_OK;
}

/* The server's part of the submission: case id, day and proof. */
static enum desk_result
submission_prepare(const struct submit_in *in, struct submit_item *it)
{
	char		case_b64[ID_B64_SIZE];
	time_t		now = time(NULL);
	struct tm	tm;

	memcpy(it->challenge, in->challenge, sizeof(it->challenge));
	memcpy(it->organisation, in->organisation, sizeof(it->organisation));
	memcpy(it->topic, in->topic, sizeof(it->topic));
	memcpy(it->lookup_id, in->lookup_id, sizeof(it->lookup_id));
	memcpy(it->sign_pk, in->sign_pk, sizeof(it->sign_pk));
	memcpy(it->box_pk, in->box_pk, sizeof(it->box_pk));
	it->report = in->report.data;
	it->report_len = in->report.len;
	memcpy(it->commitment, in->commitment, sizeof(it->commitment));
	randombytes_buf(it->case_id, sizeof(it->case_id));
	ids_encode(it->case_id, case_b64);
	if (gmtime_r(&now, &tm) == NULL || strftime(it->received_on,
	    sizeof(it->received_on), "%Y-%m-%d", &tm) != 10)
		return DESK_UNAVAILABLE;
	if (seal_proof_sign(it->proof, case_b64, it->received_on,
	    in->organisation, in->topic, in->report.data, in->report.len,
	    in->commitment, app.secrets->sign_sk) != 0)
		return DESK_UNAVAILABLE;
	return DESK_OK;
}

enum desk_result
submission_check(const struct submit_in *in, const char *idem_key,
    const char *body, size_t body_len, struct submit_item *it)
{
	enum desk_result r;

	if ((r = submission_idempotency(idem_key, body, body_len, it)) !=
	    DESK_OK)
		return r;
	if (submission_excluded(in->excluded, it) == -1)
		return DESK_BAD_EXCLUDED;
	if ((r = submission_wraps(in, it)) != DESK_OK ||
	    (r = submission_precheck(in, it)) != DESK_OK)
		return r;
	return submission_prepare(in, it);
}

enum desk_result
submission_store(struct submit_item *it)
{
	if (submit_queue_store(it) == -1 || it->st != DB_OK)
		return DESK_UNAVAILABLE;
	return desk_result_of(it->result);
}

cJSON *
submission_answer(const struct submit_in *in, const char *report_b64,
    const char *token, const struct submit_item *it)
{
	char	 case_b64[ID_B64_SIZE];
	cJSON	*out;

	if (report_b64 == NULL)
		return NULL;
	ids_encode(it->out_case, case_b64);
	if ((out = cJSON_CreateObject()) == NULL)
		return NULL;
	if (json_add_str(out, "case_id", case_b64) == -1 ||
	    json_add_str(out, "token", token) == -1 ||
	    json_add_item(out, "proof", proof_file(case_b64, it->out_day,
	    in->organisation, in->topic, in->sign_pk, report_b64,
	    in->commitment, it->out_proof)) == -1) {
		cJSON_Delete(out);
		return NULL;
	}
	return out;
}
