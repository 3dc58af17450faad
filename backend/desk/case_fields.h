/*
 * case_fields.h - members of the API's case objects read straight from
 * result columns (desk/cases.c): plain values by a table of fields, the
 * values that may be NULL, and a case's classification.
 */
#ifndef MELDPUNT_CASE_FIELDS_H
#define MELDPUNT_CASE_FIELDS_H

#include <stddef.h>

#include "db.h"

struct cJSON;

/* One member: its key, its result column and how it is shown. */
struct case_field {
	const char	*key;
	int		 col;
	enum {
		CASE_FIELD_TEXT,	/* a string */
		CASE_FIELD_INT,		/* a number */
		CASE_FIELD_BOOL,	/* true or false */
		CASE_FIELD_B64		/* bytes as base64url */
	} type;
};

/* The columns of a classification in a result. */
struct case_fields_class {
	int	category, grounds, primary_ground, outcome;
};

/*
 * case_fields_add: add the n members of fields, in order, from row of r
 * to the object o. 0, or -1.
 */
int	case_fields_add(struct cJSON *o, const PGresult *r, int row,
	    const struct case_field *fields, size_t n);

/*
 * case_fields_optional_b64: add key as the bytes of (row, col) in
 * base64url, or null when the column is NULL. 0, or -1.
 */
int	case_fields_optional_b64(struct cJSON *o, const char *key,
	    const PGresult *r, int row, int col);

/*
 * case_fields_classification: {"category","grounds","primary_ground",
 * "outcome"} from row of r, NULL columns as null, the comma-joined grounds
 * as an array. A new object the caller owns, or NULL.
 */
struct cJSON *case_fields_classification(const PGresult *r, int row,
	    const struct case_fields_class *cols);

#endif
