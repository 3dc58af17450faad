/*
 * statements.h - the statement table (statements.c), private to store/.
 */
#ifndef MELDPUNT_STATEMENTS_H
#define MELDPUNT_STATEMENTS_H

#include "db.h"

struct db_statement {
	const char	*name;
	const char	*sql;
	int		 ncols;		/* result columns: <STMT>_NCOLS */
};

/* Indexed by enum db_stmt. */
extern const struct db_statement db_statements[DB_STMT_COUNT];

#endif
