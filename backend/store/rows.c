/*
 * rows.c - query results as JSON lists.
 */
#include <cjson/cJSON.h>

#include "db.h"
#include "json_out.h"
#include "rows.h"

cJSON *
rows_json(const PGresult *res, const char *const *names, size_t n)
{
	cJSON	*list, *o;
	size_t	 col;
	int	 i;

	if ((list = cJSON_CreateArray()) == NULL)
		return NULL;
	for (i = 0; i < PQntuples(res); i++) {
		if ((o = cJSON_CreateObject()) == NULL ||
		    json_add_item(list, NULL, o) == -1)
			goto fail;
		for (col = 0; col < n; col++)
			if (json_add_str(o, names[col],
			    db_get_text(res, i, (int)col)) == -1)
				goto fail;
	}
	return list;
fail:
	cJSON_Delete(list);
	return NULL;
}
