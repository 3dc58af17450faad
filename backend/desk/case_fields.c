/*
 * case_fields.c - result columns as members of case objects.
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "case_fields.h"
#include "json_out.h"

static int
case_fields_one(cJSON *o, const PGresult *r, int row,
    const struct case_field *f)
{
	const unsigned char	*v;
	size_t			 n;

	switch (f->type) {
	case CASE_FIELD_TEXT:
		return json_add_str(o, f->key, db_get_text(r, row, f->col));
	case CASE_FIELD_INT:
		return json_add_num(o, f->key,
		    (double)db_get_int(r, row, f->col));
	case CASE_FIELD_BOOL:
		return json_add_bool(o, f->key, db_get_bool(r, row, f->col));
	case CASE_FIELD_B64:
		v = db_get_bytes(r, row, f->col, &n);
		return json_add_b64(o, f->key, v, n);
	}
	return -1;
}

int
case_fields_add(cJSON *o, const PGresult *r, int row,
    const struct case_field *fields, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (case_fields_one(o, r, row, &fields[i]) == -1)
			return -1;
	return 0;
}

int
case_fields_optional_b64(cJSON *o, const char *key, const PGresult *r,
    int row, int col)
{
	const unsigned char	*v;
	size_t			 n;

	if (db_is_null(r, row, col))
		return json_add_null(o, key);
	v = db_get_bytes(r, row, col, &n);
	return json_add_b64(o, key, v, n);
}

static int
case_fields_optional_text(cJSON *o, const char *key, const PGresult *r,
    int row, int col)
{
	if (db_is_null(r, row, col))
		return json_add_null(o, key);
	return json_add_str(o, key, db_get_text(r, row, col));
}

/* The comma-joined grounds as strings in list. 0, or -1. */
static int
case_fields_grounds(cJSON *list, const char *joined)
{
	char	*copy, *p, *comma;
	int	 rc = 0;

	if ((copy = strdup(joined)) == NULL)
		return -1;
	for (p = copy; *p != '\0' && rc == 0; p = comma + 1) {
		if ((comma = strchr(p, ',')) != NULL)
			*comma = '\0';
		rc = json_add_item(list, NULL, cJSON_CreateString(p));
		if (comma == NULL)
			break;
	}
	free(copy);
	return rc;
}

cJSON *
case_fields_classification(const PGresult *r, int row,
    const struct case_fields_class *cols)
{
	cJSON	*c, *grounds;

	if ((c = cJSON_CreateObject()) == NULL)
		return NULL;
	if (case_fields_optional_text(c, "category", r, row,
	    cols->category) == -1 ||
	    (grounds = cJSON_CreateArray()) == NULL ||
	    json_add_item(c, "grounds", grounds) == -1 ||
	    case_fields_optional_text(c, "primary_ground", r, row,
	    cols->primary_ground) == -1 ||
	    case_fields_optional_text(c, "outcome", r, row,
	    cols->outcome) == -1 ||
	    case_fields_grounds(grounds,
	    db_get_text(r, row, cols->grounds)) == -1) {
		cJSON_Delete(c);
		return NULL;
	}
	return c;
}
