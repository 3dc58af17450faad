/*
 * messages.h - adding messages to a case (SPEC 3.4), for reporters and
 * advisers alike: the HTTP side of desk/case_messages.h.
 */
#ifndef MELDPUNT_MESSAGES_H
#define MELDPUNT_MESSAGES_H

#include <stddef.h>

#include "case_messages.h"
#include "sizes.h"

struct http_request;

#define MESSAGES_BLOCK		CASE_MESSAGES_BLOCK
#define MESSAGES_OVERHEAD	SEALED_OVERHEAD	/* nonce and tag */

/*
 * messages_add: check the padded size and the author's signature (400
 * invalid_field / bad_signature), store the message and answer 201
 * {"seq"} (409 purged when the case is gone). account_id is NULL for the
 * reporter. Returns 0 or -1.
 */
int	messages_add(struct http_request *req,
	    const unsigned char case_id[ID_BYTES], const char *case_b64,
	    const char *author, const char *account_id,
	    const unsigned char *ct, size_t ctlen,
	    const unsigned char sig[SIGNATURE_BYTES],
	    const unsigned char sign_pk[SIGN_PK_BYTES], int feedback);

/* messages_created: answer 201 {"seq"}. 0, or -1. */
int	messages_created(struct http_request *req, long long seq);

#endif
