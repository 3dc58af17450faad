/*
 * submit.c - challenges and report submission.
 */
#include <time.h>

#include <cjson/cJSON.h>

#include "app.h"
#include "challenge.h"
#include "config.h"
#include "http.h"
#include "json_out.h"
#include "pow.h"
#include "secrets.h"
#include "submit.h"

int
submit_challenge(struct http_request *req)
{
	unsigned char	 c[CHALLENGE_BYTES];
	unsigned int	 d;
	cJSON		*out;

	d = pow_difficulty((unsigned int)req->cfg->pow_difficulty, 0,
	    req->cfg->pow_ceiling);
	challenge_make(c, app.secrets->server_key, CHALLENGE_POW, d,
	    (uint32_t)time(NULL) + SUBMIT_CHALLENGE_TTL);
	if ((out = cJSON_CreateObject()) == NULL)
		return -1;
	if (json_add_b64(out, "challenge", c, sizeof(c)) == -1 ||
	    json_add_num(out, "difficulty", d) == -1 ||
	    json_add_num(out, "expires_in", SUBMIT_CHALLENGE_TTL) == -1) {
		cJSON_Delete(out);
		return -1;
	}
	return http_send_cjson(req, 200, out);
}
