/*
 * submit.c - challenges and report submission: the HTTP side. The desk's
 * side (checks, storing, the answer's body) is desk/submission.c.
 */
#include <stdlib.h>

#include <civetweb.h>
#include <cjson/cJSON.h>
#include <sodium.h>

#include "answer.h"
#include "app.h"
#include "client.h"
#include "config.h"
#include "counters.h"
#include "http.h"
#include "session.h"
#include "sizes.h"
#include "submission.h"
#include "submit.h"

#define SUBMIT_CLIENT_WINDOW	600	/* seconds */
#define SUBMIT_ADDR_SIZE	128

/*
 * Per-client limit on challenges (SPEC 3.9: refusals are per client, so a
 * flood from one address cannot close the desk to others). The counter is
 * named by a keyed hash of the address and shared by every instance
 * (counters.h). 1 after sending 429, -1 when it cannot tell (answer 503),
 * else 0.
 */
static int
submit_client_limited(struct http_request *req)
{
	static const unsigned char	 scope[] = "challenge";
	unsigned char			 key[CLIENTKEY_BYTES];
	char				 addr[SUBMIT_ADDR_SIZE];
	unsigned int			 wait = 0;
	enum desk_result		 r;

	if (req->cfg->client_challenges == 0)
		return 0;
	if (client_address(req, addr, sizeof(addr)) == -1)
		return -1;
	r = counters_client_key(addr, scope, sizeof(scope) - 1, key);
	sodium_memzero(addr, sizeof(addr));
	if (r == DESK_OK)
		r = counters_client_take(key,
		    (unsigned int)req->cfg->client_challenges,
		    SUBMIT_CLIENT_WINDOW, &wait);
	sodium_memzero(key, sizeof(key));
	if (r == DESK_LOGIN_LIMITED)
		return http_send_rate_limited(req, wait), 1;
	return r == DESK_OK ? 0 : -1;
}

int
submit_challenge(struct http_request *req)
{
	enum desk_result	 r;
	cJSON			*out;
	int			 limited;

	if ((limited = submit_client_limited(req)) != 0)
		return limited == 1 ? 0 : -1;
	if ((r = submission_challenge(&out)) != DESK_OK)
		return answer_error(req, r);
	return http_send_cjson(req, 200, out);
}

/* The report's base64 text as sent (the proof quotes it), or NULL. */
static const char *
submit_report_text(const struct http_request *req)
{
	const cJSON *report = cJSON_GetObjectItemCaseSensitive(req->json,
	    "report_ciphertext");

	return cJSON_IsString(report) ? report->valuestring : NULL;
}

int
submit_report(struct http_request *req)
{
	const struct submit_in	*in = req->in;
	struct submit_item	*it;
	char			 token[TOKEN_B64_SIZE];
	enum desk_result	 r;
	int			 rc = -1;

	if ((it = calloc(1, sizeof(*it))) == NULL)
		return -1;
	r = submission_check(in, mg_get_header(req->conn, "Idempotency-Key"),
	    req->body, req->body_len, it);
	if (r != DESK_OK)
		rc = answer_error(req, r);
	else if (session_token_new(token, sizeof(token), it->token_hash) == -1)
		rc = -1;
	else if ((r = submission_store(it)) != DESK_OK)
		rc = answer_error(req, r);
	else
		rc = http_send_cjson(req, 201, submission_answer(in,
		    submit_report_text(req), token, it));
	sodium_memzero(it, sizeof(*it));
	free(it);
	sodium_memzero(token, sizeof(token));
	return rc;
}
