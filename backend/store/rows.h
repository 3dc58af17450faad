/*
 * rows.h - query results as JSON lists: one object per row, one string
 * member per column, named by the caller.
 */
#ifndef MELDPUNT_ROWS_H
#define MELDPUNT_ROWS_H

#include <stddef.h>

#include <libpq-fe.h>

struct cJSON;

/*
 * rows_json: [{names[0]: column 0, ...}, ...] for every row of res, whose
 * first n columns are text. Returns a new array (the caller owns it), or
 * NULL if cJSON could not allocate.
 */
struct cJSON *rows_json(const PGresult *res, const char *const *names,
	    size_t n);

#endif
