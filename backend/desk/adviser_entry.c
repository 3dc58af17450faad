/*
 * adviser_entry.c - building adviser entries from accounts and account_keys.
 */
#include <string.h>

#include <cjson/cJSON.h>

#include "adviser_entry.h"
#include "ids.h"
#include "db.h"
#include "json_out.h"
#include "pgarray.h"
#include "sizes.h"

/* "*" stays the string "*"; "a,b" becomes ["a","b"]; "" becomes []. */
static cJSON *
adviser_entry_id_list(const char *joined)
{
	cJSON		*list;
	const char	*p = joined, *comma;
	char		 id[128];
	size_t		 n;

	if (strcmp(joined, "*") == 0)
		return cJSON_CreateString("*");
	if ((list = cJSON_CreateArray()) == NULL)
		return NULL;
	while (*p != '\0') {
		comma = strchr(p, ',');
		n = comma ? (size_t)(comma - p) : strlen(p);
		if (n >= sizeof(id)) {
			cJSON_Delete(list);
			return NULL;
		}
		memcpy(id, p, n);
		id[n] = '\0';
		if (json_add_item(list, NULL, cJSON_CreateString(id)) == -1) {
			cJSON_Delete(list);
			return NULL;
		}
		p += n + (comma != NULL);
	}
	return list;
}

cJSON *
adviser_entry_scope(const char *organisations, const char *topics)
{
	cJSON *scope;

	if ((scope = cJSON_CreateObject()) == NULL)
		return NULL;
	if (json_add_item(scope, "organisations",
	    adviser_entry_id_list(organisations)) == -1 ||
	    json_add_item(scope, "topics", adviser_entry_id_list(topics)) == -1) {
		cJSON_Delete(scope);
		return NULL;
	}
	return scope;
}

cJSON *
adviser_entry_find(cJSON *list, const char *id)
{
	cJSON		*e;
	const cJSON	*eid;

	cJSON_ArrayForEach(e, list) {
		eid = cJSON_GetObjectItemCaseSensitive(e, "id");
		if (cJSON_IsString(eid) && strcmp(eid->valuestring, id) == 0)
			return e;
	}
	return NULL;
}

static int
adviser_entry_add_key(cJSON *keys, const PGresult *res, int row)
{
	cJSON			*key;
	const unsigned char	*p;
	size_t			 n;

	if ((key = cJSON_CreateObject()) == NULL ||
	    json_add_item(keys, NULL, key) == -1)
		return -1;
	p = db_get_bytes(res, row, ENTRY_KEYS_BOX_PK, &n);
	if (json_add_b64(key, "encryption_public_key", p, n) == -1)
		return -1;
	p = db_get_bytes(res, row, ENTRY_KEYS_SIGN_PK, &n);
	if (json_add_b64(key, "sign_public_key", p, n) == -1 ||
	    json_add_str(key, "not_after",
	    db_get_text(res, row, ENTRY_KEYS_NOT_AFTER)) == -1)
		return -1;
	p = db_get_bytes(res, row, ENTRY_KEYS_CERTIFICATE, &n);
	if (json_add_b64(key, "certificate", p, n) == -1 ||
	    json_add_bool(key, "current",
	    db_get_bool(res, row, ENTRY_KEYS_CURRENT)) == -1 ||
	    json_add_str(key, "name",
	    db_get_text(res, row, ENTRY_KEYS_NAME)) == -1 ||
	    json_add_str(key, "role",
	    db_get_text(res, row, ENTRY_KEYS_ROLE)) == -1 ||
	    json_add_item(key, "scope", adviser_entry_scope(
	    db_get_text(res, row, ENTRY_KEYS_ORGANISATIONS),
	    db_get_text(res, row, ENTRY_KEYS_TOPICS))) == -1)
		return -1;
	return 0;
}

static cJSON *
adviser_entry_from_account(const PGresult *res, int row)
{
	cJSON *e;

	if ((e = cJSON_CreateObject()) == NULL)
		return NULL;
	if (json_add_str(e, "id",
	    db_get_text(res, row, ENTRY_ACCOUNTS_ID)) == -1 ||
	    json_add_str(e, "name",
	    db_get_text(res, row, ENTRY_ACCOUNTS_NAME)) == -1 ||
	    json_add_str(e, "role",
	    db_get_text(res, row, ENTRY_ACCOUNTS_ROLE)) == -1 ||
	    json_add_item(e, "scope", adviser_entry_scope(
	    db_get_text(res, row, ENTRY_ACCOUNTS_ORGANISATIONS),
	    db_get_text(res, row, ENTRY_ACCOUNTS_TOPICS))) == -1 ||
	    json_add_item(e, "keys", cJSON_CreateArray()) == -1) {
		cJSON_Delete(e);
		return NULL;
	}
	return e;
}

/* The entries of the accounts and keys results, as one array. */
static cJSON *
adviser_entry_build(const PGresult *accounts, const PGresult *keys)
{
	cJSON	*list, *e;
	int	 i;

	if ((list = cJSON_CreateArray()) == NULL)
		return NULL;
	for (i = 0; i < PQntuples(accounts); i++)
		if (json_add_item(list, NULL,
		    adviser_entry_from_account(accounts, i)) == -1)
			goto fail;
	for (i = 0; i < PQntuples(keys); i++) {
		e = adviser_entry_find(list,
		    db_get_text(keys, i, ENTRY_KEYS_ACCOUNT));
		if (e == NULL || adviser_entry_add_key(
		    cJSON_GetObjectItemCaseSensitive(e, "keys"), keys, i) == -1)
			goto fail;
	}
	return list;
fail:
	cJSON_Delete(list);
	return NULL;
}

cJSON *
adviser_entry_list_of(struct pgarray *ids, enum db_status *st)
{
	struct db_param	 p[1];
	PGresult	*accounts = NULL, *keys = NULL;
	cJSON		*list = NULL;

	*st = DB_OK;
	if (pgarray_finish(ids) == -1)
		goto out;
	p[0] = (struct db_param)DB_P_BYTES(ids->out.data, ids->out.len);
	if ((accounts = db_exec(DB_ENTRY_ACCOUNTS, 1, p, st)) != NULL &&
	    (keys = db_exec(DB_ENTRY_KEYS, 1, p, st)) != NULL)
		list = adviser_entry_build(accounts, keys);
out:
	if (list == NULL && *st == DB_OK)
		*st = DB_ERROR;
	PQclear(accounts);
	PQclear(keys);
	return list;
}

void
adviser_ids_init(struct adviser_ids *ids)
{
	ids->seen = (struct buf)BUF_INIT;
	pgarray_init(&ids->arr, PGARRAY_TEXT);
}

void
adviser_ids_add(struct adviser_ids *ids, const char *id)
{
	if (id == NULL || !ids_uuid_valid(id) ||
	    (ids->seen.data != NULL && strstr(ids->seen.data, id) != NULL))
		return;
	buf_adds(&ids->seen, id);
	buf_adds(&ids->seen, ",");
	if (buf_cstr(&ids->seen) == NULL)
		ids->arr.failed = 1;
	pgarray_add_text(&ids->arr, id);
}

void
adviser_ids_free(struct adviser_ids *ids)
{
	buf_free(&ids->seen);
	pgarray_free(&ids->arr);
}

cJSON *
adviser_entry_list_ids(struct adviser_ids *ids, enum db_status *st)
{
	return adviser_entry_list_of(&ids->arr, st);
}

cJSON *
adviser_entry_list_column(const PGresult *res, int col, enum db_status *st)
{
	struct pgarray	 a;
	cJSON		*list;
	int		 i;

	pgarray_init(&a, PGARRAY_TEXT);
	for (i = 0; i < PQntuples(res); i++)
		pgarray_add_text(&a, db_get_text(res, i, col));
	list = adviser_entry_list_of(&a, st);
	pgarray_free(&a);
	return list;
}
