/*
 * adviser_entry.h - adviser entries (SPEC 3.8): who an account is and every key
 * ever certified for it, so clients can verify certificates and
 * signatures themselves.
 */
#ifndef MELDPUNT_ADVISER_ENTRY_H
#define MELDPUNT_ADVISER_ENTRY_H

#include "buf.h"
#include "db.h"
#include "pgarray.h"

struct cJSON;

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
 * The account ids a view needs entries for, gathered one by one: each
 * valid UUID once, in the order first seen. Init, add, list, free.
 */
struct adviser_ids {
	struct buf	 seen;		/* "id,id," for the membership test */
	struct pgarray	 arr;		/* the ids, as they go to PostgreSQL */
};

void	adviser_ids_init(struct adviser_ids *ids);
/* adviser_ids_add: add id unless it is there already or not a UUID. */
void	adviser_ids_add(struct adviser_ids *ids, const char *id);
void	adviser_ids_free(struct adviser_ids *ids);

/* adviser_entry_list_ids: adviser_entry_list_of for the ids gathered. */
struct cJSON *adviser_entry_list_ids(struct adviser_ids *ids,
	    enum db_status *st);

/*
 * adviser_entry_list_column: adviser_entry_list_of for the account ids in
 * column col of every row of res.
 */
struct cJSON *adviser_entry_list_column(const PGresult *res, int col,
	    enum db_status *st);

/* adviser_entry_scope: {"organisations","topics"} from comma-joined lists ("*"). */
struct cJSON *adviser_entry_scope(const char *organisations, const char *topics);

/* adviser_entry_find: the entry with "id" equal to id in list, or NULL. */
struct cJSON *adviser_entry_find(struct cJSON *list, const char *id);

#endif
