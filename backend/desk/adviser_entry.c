/*
 * adviser_entry.c - building adviser entries from accounts and account_keys.
 */
#include <string.h>

#include <cjson/cJSON.h>

#include "db.h"
#include "adviser_entry.h"
#include "json_out.h"

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
	p = db_get_bytes(res, row, 1, &n);
	if (json_add_b64(key, "encryption_public_key", p, n) == -1)
		return -1;
	p = db_get_bytes(res, row, 2, &n);
	if (json_add_b64(key, "sign_public_key", p, n) == -1 ||
	    json_add_str(key, "not_after", db_get_text(res, row, 3)) == -1)
		return -1;
	p = db_get_bytes(res, row, 4, &n);
	if (json_add_b64(key, "certificate", p, n) == -1 ||
	    json_add_bool(key, "current", db_get_bool(res, row, 5)) == -1 ||
	    json_add_str(key, "name", db_get_text(res, row, 6)) == -1 ||
	    json_add_str(key, "role", db_get_text(res, row, 7)) == -1 ||
	    json_add_item(key, "scope", adviser_entry_scope(db_get_text(res, row, 8),
	    db_get_text(res, row, 9))) == -1)
		return -1;
	return 0;
}

static cJSON *
adviser_entry_from_account(const PGresult *res, int row)
{
	cJSON *e;

	if ((e = cJSON_CreateObject()) == NULL)
		return NULL;
	if (json_add_str(e, "id", db_get_text(res, row, 0)) == -1 ||
	    json_add_str(e, "name", db_get_text(res, row, 1)) == -1 ||
	    json_add_str(e, "role", db_get_text(res, row, 2)) == -1 ||
	    json_add_item(e, "scope", adviser_entry_scope(db_get_text(res, row, 3),
	    db_get_text(res, row, 4))) == -1 ||
	    json_add_item(e, "keys", cJSON_CreateArray()) == -1) {
		cJSON_Delete(e);
		return NULL;
	}
	return e;
}

cJSON *
adviser_entry_list(const char *ids, enum db_status *st)
{
	struct db_param	 p[1] = { DB_P_TEXT(ids) };
	PGresult	*accounts = NULL, *keys = NULL;
	cJSON		*list = NULL, *e;
	int		 i;

	if ((accounts = db_exec(DB_ENTRY_ACCOUNTS, 1, p, st)) == NULL ||
	    (keys = db_exec(DB_ENTRY_KEYS, 1, p, st)) == NULL)
		goto fail;
	if ((list = cJSON_CreateArray()) == NULL)
		goto fail;
	for (i = 0; i < PQntuples(accounts); i++)
		if (json_add_item(list, NULL, adviser_entry_from_account(accounts, i)) == -1)
			goto fail;
	for (i = 0; i < PQntuples(keys); i++) {
		e = adviser_entry_find(list, db_get_text(keys, i, 0));
		if (e == NULL || adviser_entry_add_key(cJSON_GetObjectItemCaseSensitive(e,
		    "keys"), keys, i) == -1)
			goto fail;
	}
	PQclear(accounts);
	PQclear(keys);
	return list;
fail:
	if (*st == DB_OK)
		*st = DB_ERROR;
	cJSON_Delete(list);
	PQclear(accounts);
	PQclear(keys);
	return NULL;
}
