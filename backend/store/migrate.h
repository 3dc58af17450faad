/*
 * migrate.h - apply sql/NNNN_name.sql files in order, each in its own
 * transaction together with its row and checksum in schema_migrations;
 * then re-create every function of sql/functions/ and run sql/grants.sql,
 * together in one transaction.
 */
#ifndef MELDPUNT_MIGRATE_H
#define MELDPUNT_MIGRATE_H

/*
 * migrate_run: connect with conninfo (the tables' owner), take an advisory
 * lock so two runs never interleave, refuse if a recorded file's text no
 * longer matches its checksum (rows from before checksums take the file's
 * now), apply every file of sql_dir not yet recorded, then re-create the
 * functions. Returns the number of numbered files applied, or -1 (nothing
 * of the failed file, nor of the functions, is kept).
 */
int	migrate_run(const char *conninfo, const char *sql_dir);

/* migrate_version: parse "0012_x.sql" into 12; -1 if not a migration. */
int	migrate_version(const char *name);

/* migrate_function_file: 1 for "x.sql" in sql/functions/, else 0. */
int	migrate_function_file(const char *name);

#endif
