/*
 * adviser_entry.h - adviser entries (SPEC 3.8): who an account is and every key
 * ever certified for it, so clients can verify certificates and
 * signatures themselves.
 */
#ifndef MELDPUNT_ADVISER_ENTRY_H
#define MELDPUNT_ADVISER_ENTRY_H

#include "db.h"

struct cJSON;
struct pgarray;

/*
 * adviser_entry_list_of: a JSON array of adviser entries for the account
 * ids in ids (a pgarray of PGARRAY_TEXT elements, which this finishes; the
 * caller frees it), ordered by id. Each key also carries the name, role
 * and scope it was certified for, so a signature by an older key still
 * verifies after a change. Returns NULL with *st set on failure; the
 * caller owns the array.
 */
struct cJSON *adviser_entry_list_of(struct pgarray *ids, enum db_status *st);

/*
 * adviser_entry_list: adviser_entry_list_of for the ids in a PostgreSQL
 * array literal of account ids, "{uuid,uuid}" (as statements that
 * string_agg ids hand back); the ids go to PostgreSQL as a binary array.
 */
struct cJSON *adviser_entry_list(const char *ids, enum db_status *st);

/* adviser_entry_scope: {"organisations","topics"} from comma-joined lists ("*"). */
struct cJSON *adviser_entry_scope(const char *organisations, const char *topics);

/* adviser_entry_find: the entry with "id" equal to id in list, or NULL. */
struct cJSON *adviser_entry_find(struct cJSON *list, const char *id);

#endif
