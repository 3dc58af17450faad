/*
 * audit.h - the append-only, hash-chained audit log (SPEC section 5).
 *
 * Each entry is canonical JSON {"action","actor","at",...}: what was done,
 * by which account id ("cli" or "system" for the daemon's own work), when,
 * and ids of what it touched. Never content, never a client address.
 * Entries are appended inside the action's own transaction under an
 * advisory lock, so the chain has one order across instances.
 */
#ifndef MELDPUNT_AUDIT_H
#define MELDPUNT_AUDIT_H

#include <stdio.h>

#include "db.h"

struct cJSON;

/*
 * audit_append: append one entry inside the caller's open transaction.
 * extra (may be NULL) holds further members and is always consumed. 0, or
 * -1 with *st set (the caller rolls back).
 */
int	audit_append(const char *action, const char *actor,
	    struct cJSON *extra, enum db_status *st);

/*
 * audit_commit: audit_append, then commit the caller's transaction; on
 * failure it is rolled back. 0, or -1 with *st set.
 */
int	audit_commit(const char *action, const char *actor,
	    struct cJSON *extra, enum db_status *st);

/*
 * audit_record: audit_append in a transaction of its own, for actions that
 * write nothing else (opening a case, a failed login). 0, or -1.
 */
int	audit_record(const char *action, const char *actor,
	    struct cJSON *extra);

/* audit_extra: {"key": value} to pass as extra, or NULL. */
struct cJSON *audit_extra(const char *key, const char *value);

/*
 * audit_sign_heads: for every finished UTC day with entries and no signed
 * head yet, sign the day's last hash with the desk signing key, store it
 * and append {"date","seq","head","signature"} as a line to the sink file.
 * Safe to run on several instances at once. Returns the heads made, or -1.
 */
int	audit_sign_heads(const char *sink);

/*
 * audit_verify: check the whole chain (sequence, links, hashes, canonical
 * form) and every head in the sink file and the database against it,
 * printing the result to out. Returns 0 when all holds, 1 when something is
 * broken (the first broken entry is named), -1 when it cannot check.
 */
int	audit_verify(const char *sink, FILE *out);

#endif
