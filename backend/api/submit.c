/*
 * submit.c - challenges and report submission.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <civetweb.h>
#include <cjson/cJSON.h>
#include <sodium.h>

#include "account.h"
#include "app.h"
#include "challenge.h"
#include "client.h"
#include "config.h"
#include "db.h"
#include "http.h"
#include "ids.h"
#include "json_in.h"
#include "json_out.h"
#include "maint.h"
#include "pow.h"
#include "proof.h"
#include "ratelimit.h"
#include "seal.h"
#include "secrets.h"
#include "session.h"
#include "submit.h"
#include "submit_in.h"
#include "submit_queue.h"

#define SUBMIT_CLIENT_WINDOW	600	/* seconds */
#define SUBMIT_CLIENT_SLOTS	65536

static pthread_once_t	 submit_rl_once = PTHREAD_ONCE_INIT;
static struct ratelimit	*submit_rl;

static void
submit_rl_init(void)
{
	submit_rl = ratelimit_new(SUBMIT_CLIENT_SLOTS,
	    (unsigned int)app.cfg->client_challenges, SUBMIT_CLIENT_WINDOW);
}

/*
 * Per-client limit on challenges (SPEC 3.9: refusals are per client, so a
 * flood from one address cannot close the desk to others). The counter is
 * keyed by a keyed hash of the address, in memory only. 1 after sending
 * 429 or 503, else 0.
 */
static int
submit_client_limited(struct http_request *req)
{
	static const unsigned char	 scope[] = "challenge";
	unsigned char			 key[RATELIMIT_KEY_BYTES];
	char				 addr[128];
	unsigned int			 wait;
	int				 r;

	if (req->cfg->client_challenges == 0)
		return 0;
	if (pthread_once(&submit_rl_once, submit_rl_init) != 0 ||
	    submit_rl == NULL ||
	    client_address(req, addr, sizeof(addr)) == -1)
		return http_send_error(req, 503, "unavailable", NULL), 1;
	r = ratelimit_key(submit_rl, time(NULL), addr, scope, sizeof(scope) - 1,
	    key);
	sodium_memzero(addr, sizeof(addr));
	if (r == -1)
		return http_send_error(req, 503, "unavailable", NULL), 1;
	if ((wait = ratelimit_retry_after(submit_rl, key, time(NULL))) > 0)
		return http_send_rate_limited(req, wait), 1;
	ratelimit_fail(submit_rl, key, time(NULL));	/* counts requests */
	return 0;
}

int
submit_challenge(struct http_request *req)
{
	unsigned char	 c[CHALLENGE_BYTES];
	unsigned int	 d;
	cJSON		*out;

	if (submit_client_limited(req))
		return 0;

	d = pow_difficulty((unsigned int)req->cfg->pow_difficulty,
	    maint_pow_rate(), req->cfg->pow_ceiling);
	if (challenge_make(c, app.secrets->server_key, CHALLENGE_POW, d,
	    (uint32_t)time(NULL) + CHALLENGE_POW_TTL) == -1)
		return -1;
	if ((out = cJSON_CreateObject()) == NULL)
		return -1;
	if (json_add_b64(out, "challenge", c, sizeof(c)) == -1 ||
	    json_add_num(out, "difficulty", d) == -1 ||
	    json_add_num(out, "expires_in", CHALLENGE_POW_TTL) == -1) {
		cJSON_Delete(out);
		return -1;
	}
	return http_send_cjson(req, 200, out);
}

/* --- POST /api/v1/reports ------------------------------------------------ */

/* 1 if the string array arr holds s. */
static int
submit_array_has(const cJSON *arr, const char *s)
{
	const cJSON *item;

	cJSON_ArrayForEach(item, arr)
		if (cJSON_IsString(item) && strcmp(item->valuestring, s) == 0)
			return 1;
	return 0;
}

/* Excluded ids: distinct UUIDs, into it->excluded. */
static int
submit_excluded(const cJSON *excluded, struct submit_item *it)
{
	const cJSON *item, *other;

	cJSON_ArrayForEach(item, excluded) {
		if (!cJSON_IsString(item) || !ids_uuid_valid(item->valuestring) ||
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
submit_has_adviser(const struct submit_item *it, const char *id)
{
	int i;

	for (i = 0; i < it->nadvisers; i++)
		if (strcmp(it->advisers[i].id, id) == 0)
			return 1;
	return 0;
}

/* One wrap object into it. Returns 0, or the HTTP status to send. */
static int
submit_take_wrap(const struct submit_in *in, const struct submit_wrap_in *one,
    struct submit_item *it, int *reporter, int *recovery, const char **code)
{
	struct submit_adviser	*a;
	const char		*id;

	if (strcmp(one->recipient, "reporter") == 0) {
		if ((*reporter)++)
			return 400;
		if (sodium_memcmp(one->public_key, in->box_pk, 32) != 0)
			return *code = "key_changed", 409;
		memcpy(it->reporter_wrap, one->wrap, 80);
	} else if (strcmp(one->recipient, "recovery") == 0) {
		if ((*recovery)++)
			return 400;
		if (sodium_memcmp(one->public_key, app.secrets->recovery_pk, 32) != 0)
			return *code = "key_changed", 409;
		memcpy(it->recovery_pk, one->public_key, 32);
		memcpy(it->recovery_wrap, one->wrap, 80);
	} else if (strncmp(one->recipient, "adviser:", 8) == 0) {
		id = one->recipient + 8;
		if (!ids_uuid_valid(id) || submit_array_has(in->excluded, id) ||
		    submit_has_adviser(it, id) ||
		    it->nadvisers == SUBMIT_MAX_ADVISERS)
			return 400;
		a = &it->advisers[it->nadvisers++];
		memcpy(a->id, id, SUBMIT_UUID_LEN + 1);
		memcpy(a->public_key, one->public_key, 32);
		memcpy(a->wrap, one->wrap, 80);
	} else
		return 400;
	return 0;
}

/*
 * Check each wrap object: one reporter wrap for the submitted box key, one
 * recovery wrap for the desk's recovery key, distinct adviser wraps not in
 * excluded. Returns 0, or the HTTP status to send (*code, *field set).
 */
static int
submit_check_wraps(const struct submit_in *in, struct submit_item *it,
    const char **code, const char **field)
{
	struct submit_wrap_in	 one;
	const cJSON		*item;
	const char		*f;
	int			 reporter = 0, recovery = 0, status;

	*code = "invalid_field";
	*field = "key_wraps";
	cJSON_ArrayForEach(item, in->wraps) {
		if (json_in_check(item, submit_in_wrap_fields,
		    submit_in_wrap_nfields, &one, &f) == -1)
			return 400;
		if ((status = submit_take_wrap(in, &one, it, &reporter, &recovery,
		    code)) != 0)
			return status;
	}
	if (reporter != 1 || recovery != 1 || it->nadvisers < 1)
		return 400;
	return 0;
}

/* Map a refusal code of meldpunt_submit_many to the status and error sent. */
static int
submit_refusal(struct http_request *req, const char *result)
{
	static const char *const conflicts[] = {
		"idempotency_mismatch", "routing_changed", "key_changed",
		"lookup_id_used", "challenge_invalid",
	};
	size_t i;

	if (strcmp(result, "unknown_organisation") == 0)
		return http_send_error(req, 400, "invalid_field", "organisation");
	if (strcmp(result, "unknown_topic") == 0)
		return http_send_error(req, 400, "invalid_field", "topic");
	for (i = 0; i < sizeof(conflicts) / sizeof(conflicts[0]); i++)
		if (strcmp(result, conflicts[i]) == 0)
			return http_send_error(req, 409, conflicts[i], NULL);
	return http_send_error(req, 503, "unavailable", NULL);
}

/* Optional Idempotency-Key: its hash, and the body's. 0 none, 1 set, -1 bad. */
static int
submit_idempotency(struct http_request *req, unsigned char key_hash[32],
    unsigned char body_hash[32])
{
	const char	*key = mg_get_header(req->conn, "Idempotency-Key");
	size_t		 n, i;

	if (key == NULL)
		return 0;
	n = strlen(key);
	if (n < 8 || n > 128)
		return -1;
	for (i = 0; i < n; i++)
		if (key[i] < 0x21 || key[i] > 0x7e)
			return -1;
	crypto_generichash(key_hash, 32, (const unsigned char *)key, n,
	    app.secrets->server_key, 32);
	crypto_generichash(body_hash, 32, (const unsigned char *)req->body,
	    req->body_len, NULL, 0);
	return 1;
}

/* Checks that need no database: sizes, keys, challenge and work. */
static int
submit_precheck(struct http_request *req, const struct submit_in *in,
    unsigned int *d, uint32_t *expires)
{
	size_t padded = in->report.len - SUBMIT_AEAD_OVERHEAD;

	if (padded % SUBMIT_REPORT_BLOCK != 0)
		return http_send_error(req, 400, "invalid_field",
		    "report_ciphertext"), -1;
	if (seal_box_public_key_usable(in->box_pk) != 0)
		return http_send_error(req, 400, "invalid_field",
		    "reporter_box_public_key"), -1;
	if (challenge_check(in->challenge, app.secrets->server_key,
	    CHALLENGE_POW, (uint32_t)time(NULL), d, expires) == -1)
		return http_send_error(req, 409, "challenge_invalid", NULL), -1;
	if (!pow_valid(in->challenge, in->pow_nonce, *d))
		return http_send_error(req, 400, "pow_invalid", NULL), -1;
	return 0;
}

/* The server's part of the submission: case id, day, proof, token. */
static int
submit_prepare(struct submit_item *it, const struct submit_in *in,
    unsigned int d, uint32_t expires, char *token, size_t tokensz)
{
	char		case_b64[24];
	time_t		now = time(NULL);
	struct tm	tm;

	memcpy(it->challenge, in->challenge, 32);
	it->expires = expires;
	it->difficulty = d;
	memcpy(it->organisation, in->organisation, sizeof(it->organisation));
	memcpy(it->topic, in->topic, sizeof(it->topic));
	memcpy(it->lookup_id, in->lookup_id, 32);
	memcpy(it->sign_pk, in->sign_pk, 32);
	memcpy(it->box_pk, in->box_pk, 32);
	it->report = in->report.data;
	it->report_len = in->report.len;
	memcpy(it->commitment, in->commitment, 32);
	randombytes_buf(it->case_id, sizeof(it->case_id));
	sodium_bin2base64(case_b64, sizeof(case_b64), it->case_id, 16,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	if (gmtime_r(&now, &tm) == NULL || strftime(it->received_on,
	    sizeof(it->received_on), "%Y-%m-%d", &tm) != 10)
		return -1;
	if (seal_proof_sign(it->proof, case_b64, it->received_on,
	    in->organisation, in->topic, in->report.data, in->report.len,
	    in->commitment, app.secrets->sign_sk) != 0)
		return -1;
	return session_token_new(token, tokensz, it->token_hash);
}

/*
 * 201 {"case_id","token","proof"} for a stored (or replayed) submission.
 * The proof quotes the report's base64 text as sent: the strict decoder
 * accepted it, so it is the one canonical encoding of those bytes.
 */
static int
submit_created(struct http_request *req, const struct submit_in *in,
    const cJSON *root, const char *token, const struct submit_item *it)
{
	const cJSON	*report = cJSON_GetObjectItemCaseSensitive(root,
			    "report_ciphertext");
	char		 case_b64[24];
	cJSON		*out;

	sodium_bin2base64(case_b64, sizeof(case_b64), it->out_case, 16,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	if ((out = cJSON_CreateObject()) == NULL)
		return -1;
	if (json_add_str(out, "case_id", case_b64) == -1 ||
	    json_add_str(out, "token", token) == -1 ||
	    !cJSON_IsString(report) ||
	    json_add_item(out, "proof", proof_file(case_b64, it->out_day,
	    in->organisation, in->topic, in->sign_pk, report->valuestring,
	    in->commitment, it->out_proof)) == -1) {
		cJSON_Delete(out);
		return -1;
	}
	return http_send_cjson(req, 201, out);
}

/* Checks of the body's parts that need no database; 0 or -1 (sent). */
static int
submit_check(struct http_request *req, const struct submit_in *in,
    struct submit_item *it, unsigned int *d, uint32_t *expires)
{
	const char	*code, *field;
	int		 status;

	if ((it->idempotent = submit_idempotency(req, it->key_hash,
	    it->body_hash)) < 0)
		return http_send_error(req, 400, "invalid_field",
		    "Idempotency-Key"), -1;
	if (submit_excluded(in->excluded, it) == -1)
		return http_send_error(req, 400, "invalid_field", "excluded"), -1;
	if ((status = submit_check_wraps(in, it, &code, &field)) != 0)
		return http_send_error(req, status, code,
		    status == 400 ? field : NULL), -1;
	return submit_precheck(req, in, d, expires);
}

int
submit_report(struct http_request *req)
{
	struct submit_in	 in;
	struct submit_item	*it;
	char			 token[64];
	const char		*code, *field;
	cJSON			*root;
	unsigned int		 d;
	uint32_t		 expires;
	int			 rc = -1;

	memset(&in, 0, sizeof(in));
	root = json_in_parse(req->body, req->body_len, submit_in_fields,
	    submit_in_nfields, &in, &code, &field);
	if (root == NULL)
		return http_send_error(req, 400, code, field);
	if ((it = calloc(1, sizeof(*it))) == NULL)
		goto out;
	if (submit_check(req, &in, it, &d, &expires) == -1)
		rc = 0;
	else if (submit_prepare(it, &in, d, expires, token, sizeof(token)) == -1)
		rc = -1;
	else if (submit_queue_store(it) == -1 || it->st != DB_OK)
		rc = http_send_error(req, 503, "unavailable", NULL);
	else if (strcmp(it->result, "created") == 0 ||
	    strcmp(it->result, "replay") == 0)
		rc = submit_created(req, &in, root, token, it);
	else
		rc = submit_refusal(req, it->result);
out:
	if (it != NULL) {
		sodium_memzero(it, sizeof(*it));
		free(it);
	}
	sodium_memzero(token, sizeof(token));
	json_bytes_free(&in.report);
	cJSON_Delete(root);
	return rc;
}
