/*
 * purge.h - retention (SPEC section 5): cases closed longer than the
 * configured number of days lose every ciphertext, wrap, note wrap,
 * message, note, file, lookup_id, reporter key, key commitment and proof;
 * their statistical facts stay. Each purge is audited in the same
 * transaction; then the touched tables are vacuumed over a connection as
 * their owner (PostgreSQL 15 lets only the owner vacuum).
 */
#ifndef MELDPUNT_PURGE_H
#define MELDPUNT_PURGE_H

/*
 * purge_run: purge what is due (days after closing) and vacuum over
 * admin_conninfo (NULL: no vacuum). Returns the number of cases purged, or
 * -1.
 */
int	purge_run(int days, const char *admin_conninfo);

#endif
