/*
 * case_messages.h - storing a case's messages (SPEC 3.4): signed by their
 * author, encrypted and padded to whole blocks, numbered in the case.
 */
#ifndef MELDPUNT_CASE_MESSAGES_H
#define MELDPUNT_CASE_MESSAGES_H

#include <stddef.h>

#include "result.h"
#include "sizes.h"

#define CASE_MESSAGES_BLOCK	1024	/* padding block of the plaintext */
#define CASE_MESSAGES_MIN	(CASE_MESSAGES_BLOCK + SEALED_OVERHEAD)

struct case_message {
	const unsigned char	*case_id;	/* ID_BYTES */
	const char		*case_b64;	/* its text, as signed */
	const char		*author;	/* "reporter", "adviser:<id>" */
	const char		*account_id;	/* NULL for the reporter */
	const unsigned char	*ciphertext;
	size_t			 len;
	const unsigned char	*signature;	/* SIGNATURE_BYTES */
	int			 feedback;
};

/*
 * case_messages_padded: 1 if a ciphertext of len bytes is a sealed message
 * of whole blocks (at least one), else 0.
 */
int	case_messages_padded(size_t len);

/*
 * case_messages_check: the message's padding (DESK_MESSAGE_UNPADDED) and
 * its author's signature under sign_pk (DESK_BAD_SIGNATURE); DESK_OK.
 */
enum desk_result case_messages_check(const struct case_message *m,
	    const unsigned char sign_pk[SIGN_PK_BYTES]);

/*
 * case_messages_store: append the message to its case, in the caller's
 * transaction if one is open. DESK_OK with *seq set, DESK_PURGED when the
 * case is gone, or DESK_UNAVAILABLE.
 */
enum desk_result case_messages_store(const struct case_message *m,
	    long long *seq);

/*
 * case_messages_add: case_messages_check, then case_messages_store; the
 * first result other than DESK_OK, or DESK_OK with *seq set.
 */
enum desk_result case_messages_add(const struct case_message *m,
	    const unsigned char sign_pk[SIGN_PK_BYTES], long long *seq);

#endif
