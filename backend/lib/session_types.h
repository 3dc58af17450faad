/*
 * session_types.h - what a valid token opens and how long a session
 * lives: plain types and constants, below every layer that needs them (the
 * request in http.h carries them; the desk writes sessions).
 */
#ifndef MELDPUNT_SESSION_TYPES_H
#define MELDPUNT_SESSION_TYPES_H

#include "sizes.h"

/* Token size and session lifetimes in seconds (SPEC section 4). */
#define SESSION_TOKEN_BYTES	TOKEN_BYTES
#define SESSION_REPORTER_IDLE	(30 * 60)
#define SESSION_REPORTER_MAX	(2 * 60 * 60)
#define SESSION_ADVISER_IDLE	(30 * 60)
#define SESSION_ADVISER_MAX	(12 * 60 * 60)

/* The longest role name ("coordinator"), with its NUL, and room. */
#define SESSION_ROLE_SIZE	16

/* What a valid reporter token opens: one case. */
struct session_reporter {
	unsigned char	case_id[ID_BYTES];
	char		case_b64[ID_B64_SIZE];	/* as the API shows it */
	unsigned char	sign_pk[SIGN_PK_BYTES];	/* reporter's */
};

/* What a valid account token (adviser, coordinator, admin, analyst) opens. */
struct session_account {
	char		id[UUID_SIZE];		/* account UUID */
	char		role[SESSION_ROLE_SIZE];
	unsigned char	token_hash[HASH_BYTES];
};

/* Roles a handler admits, for session_account. */
#define SESSION_ROLE_ADVISER	0x1
#define SESSION_ROLE_COORDINATOR 0x2
#define SESSION_ROLE_ADMIN	0x4
#define SESSION_ROLE_ANALYST	0x8
#define SESSION_ROLE_CASEWORK	(SESSION_ROLE_ADVISER | SESSION_ROLE_COORDINATOR)

#endif
