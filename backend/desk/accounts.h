/*
 * accounts.h - staff accounts as the functional administrator keeps them
 * (SPEC section 4): created with a one-time invite, renamed and rescoped,
 * invited again, deactivated, listed. Every change is audited in the
 * transaction that makes it.
 *
 * Scopes are stored as sorted, de-duplicated id arrays, {'*'} for all; a
 * scope or name change leaves the certificate behind, so routing drops the
 * account until a new certificate is imported. Invite tokens are made by
 * the caller: the desk only ever sees their hash.
 */
#ifndef MELDPUNT_ACCOUNTS_H
#define MELDPUNT_ACCOUNTS_H

#include "result.h"
#include "sizes.h"

struct cJSON;

#define ACCOUNTS_INVITE_HOURS	72	/* an invite's lifetime */
#define ACCOUNTS_EMAIL_MAX	254	/* bytes of an email address */
#define ACCOUNTS_NAME_MAX	200	/* bytes of a display name */
#define ACCOUNTS_ROLE_MAX	15	/* bytes of a role word */
#define ACCOUNTS_SCOPE_MAX	256	/* ids in one scope list */

/*
 * accounts_create: a new account and its invite (invite_hash, the stored
 * form of a fresh token), audited as account_create by actor, in one
 * transaction. email is lowercased and checked, then role, then the scope:
 * for advisers and coordinators organisations and topics are each "*" or
 * a non-empty array of known ids (["*"] too); other roles ignore them.
 * DESK_OK and id filled; DESK_BAD_EMAIL, DESK_BAD_ROLE,
 * DESK_BAD_ORGANISATIONS, DESK_BAD_TOPICS, DESK_CONFLICT (email taken) or
 * DESK_UNAVAILABLE.
 */
enum desk_result accounts_create(const char *email, const char *name,
	    const char *role, const struct cJSON *organisations,
	    const struct cJSON *topics, const char *actor,
	    const unsigned char invite_hash[HASH_BYTES], char id[UUID_SIZE]);

/*
 * accounts_list: a page of accounts ordered by id, after the id after (""
 * for the first page), at most limit: {"accounts": [...], "next"} into
 * *out (the caller's). DESK_OK or DESK_UNAVAILABLE.
 */
enum desk_result accounts_list(const char *after, long long limit,
	    struct cJSON **out);

/*
 * accounts_patch: change the name (NULL keeps it) and the scope lists
 * (NULL keeps each; only advisers and coordinators have one) of account
 * id, audited as account_change by actor. DESK_OK, DESK_BAD_ORGANISATIONS,
 * DESK_BAD_TOPICS, DESK_NOT_FOUND (no such active account, or a scope for
 * a role without one) or DESK_UNAVAILABLE.
 */
enum desk_result accounts_patch(const char *actor, const char *id,
	    const char *name, const struct cJSON *organisations,
	    const struct cJSON *topics);

/*
 * accounts_invite: replace account id's invite by invite_hash, audited as
 * invite by actor. DESK_OK, DESK_NOT_FOUND (none, or deactivated) or
 * DESK_UNAVAILABLE.
 */
enum desk_result accounts_invite(const char *actor, const char *id,
	    const unsigned char invite_hash[HASH_BYTES]);

/*
 * accounts_deactivate: deactivate account id for good, audited as
 * deactivate by actor. DESK_OK, DESK_NOT_FOUND (none, or already) or
 * DESK_UNAVAILABLE.
 */
enum desk_result accounts_deactivate(const char *actor, const char *id);

#endif
