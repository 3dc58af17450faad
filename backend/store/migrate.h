/*
 * migrate.h - apply sql/NNNN_name.sql files in order, each in its own
 * transaction together with its row in schema_migrations.
 */
#ifndef MELDPUNT_MIGRATE_H
#define MELDPUNT_MIGRATE_H

/*
 * migrate_run: connect with conninfo (the tables' owner), take an advisory
 * lock so two runs never interleave, and apply every file of sql_dir not
 * yet recorded. Returns the number applied, or -1 (nothing of the failed
 * file is kept).
 */
int	migrate_run(const char *conninfo, const char *sql_dir);

/* migrate_version: parse "0012_x.sql" into 12; -1 if not a migration. */
int	migrate_version(const char *name);

#endif
