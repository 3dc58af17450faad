/*
 * reporter.c - reporter endpoints.
 */
#include <time.h>

#include <cjson/cJSON.h>

#include "app.h"
#include "challenge.h"
#include "http.h"
#include "json_in.h"
#include "json_out.h"
#include "reporter.h"
#include "secrets.h"

struct reporter_challenge_in {
	unsigned char	lookup_id[32];
};

static const struct json_field reporter_challenge_fields[] = {
	JSON_F_KEY("lookup_id", 1, 32, struct reporter_challenge_in, lookup_id),
};

int
reporter_challenge(struct http_request *req)
{
	struct reporter_challenge_in	 in;
	unsigned char			 c[CHALLENGE_BYTES];
	const char			*code, *field;
	cJSON				*root, *out;

	root = json_in_parse(req->body, req->body_len, reporter_challenge_fields,
	    1, &in, &code, &field);
	if (root == NULL)
		return http_send_error(req, 400, code, field);
	cJSON_Delete(root);
	/* The same answer for every lookup_id, known or not. */
	challenge_make(c, app.secrets->server_key, CHALLENGE_REPORTER, 0,
	    (uint32_t)time(NULL) + REPORTER_CHALLENGE_TTL);
	if ((out = cJSON_CreateObject()) == NULL)
		return -1;
	if (json_add_b64(out, "challenge", c, sizeof(c)) == -1) {
		cJSON_Delete(out);
		return -1;
	}
	return http_send_cjson(req, 200, out);
}
