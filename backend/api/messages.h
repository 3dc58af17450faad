/*
 * messages.h - adding messages to a case (SPEC 3.4), for reporters and
 * advisers alike.
 */
#ifndef MELDPUNT_MESSAGES_H
#define MELDPUNT_MESSAGES_H

#include <stddef.h>

struct http_request;

#define MESSAGES_BLOCK		1024
#define MESSAGES_OVERHEAD	40	/* nonce 24 + tag 16 */

/*
 * messages_add: check the padded size and the author's signature (400
 * invalid_field / bad_signature), store the message and answer 201
 * {"seq"}. account_id is NULL for the reporter. Returns 0 or -1.
 */
int	messages_add(struct http_request *req, const unsigned char case_id[16],
	    const char *case_b64, const char *author, const char *account_id,
	    const unsigned char *ct, size_t ctlen, const unsigned char sig[64],
	    const unsigned char sign_pk[32], int feedback);

#endif
