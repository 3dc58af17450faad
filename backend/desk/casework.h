/*
 * casework.h - what advisers and coordinators do with a case (SPEC sections
 * 3.4-3.6, 4 and 5): the inbox, opening a case, status and classification,
 * messages and read marks, notes and their keys, sharing, and the list of
 * colleagues a case may be shared with.
 *
 * An adviser sees a case if and only if a wrap for them exists; a
 * coordinator also sees the metadata of their organisations' cases that
 * did not exclude them, and cannot change those (DESK_FORBIDDEN). Any other
 * case is DESK_NOT_FOUND, as an unknown id is. Every change is audited in
 * its own transaction. Signatures are checked against the caller's current
 * signing key.
 */
#ifndef MELDPUNT_CASEWORK_H
#define MELDPUNT_CASEWORK_H

#include <stddef.h>

#include "result.h"
#include "sizes.h"

struct cJSON;

/* How much of a case the caller may see, as meldpunt_case_access says. */
enum casework_access {
	CASEWORK_NONE = 0,
	CASEWORK_METADATA = 1,	/* a coordinator's metadata view */
	CASEWORK_CONTENT = 2	/* the caller holds a wrap */
};

/* A case as one account works on it (casework_open fills it). */
struct casework_case {
	unsigned char		id[ID_BYTES];
	char			b64[ID_B64_SIZE];	/* the id's text */
	char			account[UUID_SIZE];	/* the caller */
	char			author[AUTHOR_SIZE];	/* "adviser:<account>" */
	enum casework_access	access;
};

/* Grounds a classification may name (the input's limit). */
#define CASEWORK_GROUNDS_MAX	32

/* A status change and/or classification; NULL or absent: unchanged. */
struct casework_update {
	const char	*status;		/* NULL: keep */
	int		 classify;		/* a classification is given */
	const char	*category;		/* NULL: none */
	const char	*grounds[CASEWORK_GROUNDS_MAX];
	size_t		 ngrounds;
	const char	*primary_ground;	/* NULL: none */
	const char	*outcome;		/* NULL: none */
};

/* One wrap of the notes key: "recovery" or an account id. */
struct casework_wrap {
	char		recipient[UUID_SIZE];
	unsigned char	public_key[BOX_PK_BYTES];
	unsigned char	wrap[WRAP_BYTES];
};

/* A share with a colleague: the case key's wrap, and the notes key's. */
struct casework_share {
	const char		*adviser_id;
	const unsigned char	*public_key;	/* BOX_PK_BYTES */
	const unsigned char	*wrap;		/* WRAP_BYTES */
	const unsigned char	*note_wrap;	/* WRAP_BYTES, or NULL */
};

/* casework_status_valid: 1 if s is one of the case statuses. */
int	casework_status_valid(const char *s);

/*
 * casework_list: the inbox page of account: cases it holds a wrap for or,
 * for a coordinator, may see the metadata of; newest first, of status (NULL:
 * any), after case after (NULL: from the start), at most limit. *out is
 * {"cases", "next"} (the caller owns it). DESK_OK or DESK_UNAVAILABLE.
 */
enum desk_result casework_list(const char *account, const char *status,
	    const unsigned char *after, long long limit, struct cJSON **out);

/*
 * casework_open: case id_text (its API form) as account sees it, needing at
 * least need. DESK_OK and *c filled; DESK_NOT_FOUND (malformed, unknown or
 * hidden), DESK_FORBIDDEN (metadata only), DESK_UNAVAILABLE.
 */
enum desk_result casework_open(const char *account, const char *id_text,
	    enum casework_access need, struct casework_case *c);

/*
 * casework_view: the case as c's caller may see it (the adviser's view with
 * content access, else the metadata), audited as opened. DESK_OK and *out
 * (the caller owns it); DESK_NOT_FOUND, DESK_UNAVAILABLE.
 */
enum desk_result casework_view(const struct casework_case *c,
	    struct cJSON **out);

/*
 * casework_update: change the status and/or classification and audit each.
 * DESK_OK; DESK_NOT_FOUND, DESK_PURGED, DESK_INVALID_TRANSITION,
 * DESK_CLASSIFICATION_REQUIRED, DESK_BAD_CLASSIFICATION, DESK_UNAVAILABLE.
 */
enum desk_result casework_update(const struct casework_case *c,
	    const struct casework_update *u);

/*
 * casework_message: check sig (the caller's signature over ct, ctlen
 * bytes of padded message), store the message, mark the case acknowledged
 * (and feedback given, if feedback) and audit. DESK_OK and *seq;
 * DESK_BAD_SIGNATURE, DESK_PURGED, DESK_UNAVAILABLE.
 */
enum desk_result casework_message(const struct casework_case *c,
	    const unsigned char *ct, size_t ctlen,
	    const unsigned char sig[SIGNATURE_BYTES], int feedback,
	    long long *seq);

/*
 * casework_read: the caller has read the case's messages up to seq.
 * DESK_OK or DESK_UNAVAILABLE.
 */
enum desk_result casework_read(const struct casework_case *c, long long seq);

/*
 * casework_note_wraps: store the n wraps of the case's notes key; with a
 * commitment (and its signature by the caller) this creates the notes key,
 * else it adds wraps to the existing one. DESK_OK; DESK_BAD_SIGNATURE,
 * DESK_NO_NOTES_KEY, DESK_PURGED, DESK_NOTES_KEY_EXISTS,
 * DESK_HOLDERS_CHANGED, DESK_KEY_CHANGED, DESK_UNAVAILABLE.
 */
enum desk_result casework_note_wraps(const struct casework_case *c,
	    const struct casework_wrap *w, size_t n,
	    const unsigned char *commitment, const unsigned char *signature);

/*
 * casework_note: check sig (the caller's, over ct), store the note and
 * audit. DESK_OK and *seq; DESK_BAD_SIGNATURE, DESK_HOLDERS_CHANGED (no
 * notes key, or the caller holds no wrap of it), DESK_UNAVAILABLE.
 */
enum desk_result casework_note(const struct casework_case *c,
	    const unsigned char *ct, size_t ctlen,
	    const unsigned char sig[SIGNATURE_BYTES], long long *seq);

/*
 * casework_share: give a colleague (never the caller) the case, and audit.
 * DESK_OK; DESK_BAD_ADVISER, DESK_CONFLICT (holds it already),
 * DESK_NOT_FOUND, DESK_PURGED, DESK_EXCLUDED_BY_REPORTER, DESK_KEY_CHANGED,
 * DESK_HOLDERS_CHANGED, DESK_UNAVAILABLE.
 */
enum desk_result casework_share(const struct casework_case *c,
	    const struct casework_share *s);

/*
 * casework_colleagues: the adviser entries of every active, certified
 * adviser and coordinator, as {"colleagues": [...]}. DESK_OK and *out (the
 * caller owns it), or DESK_UNAVAILABLE.
 */
enum desk_result casework_colleagues(struct cJSON **out);

#endif
