/*
 * purge.c - the retention purge.
 */
#include <string.h>

#include <cjson/cJSON.h>

#include "audit.h"
#include "db.h"
#include "ids.h"
#include "log.h"
#include "purge.h"
#include "sizes.h"

/* Tables the purge deletes from or rewrites. */
#define PURGE_VACUUM	"VACUUM (ANALYZE) cases, key_wraps, note_wraps, " \
	"messages, message_reads, notes, attachments, attachment_chunks, " \
	"case_exclusions, idempotency_keys, sessions"

static int
purge_vacuum(const char *conninfo)
{
	PGconn		*conn;
	PGresult	*res;
	int		 rc = -1;

	conn = db_connect(conninfo);
	if (conn == NULL || PQstatus(conn) != CONNECTION_OK) {
		log_warnx("%s: cannot connect as the owner", __func__);
		PQfinish(conn);
		return -1;
	}
	res = PQexecParams(conn, PURGE_VACUUM, 0, NULL, NULL, NULL, NULL, 0);
	if (res != NULL && PQresultStatus(res) == PGRES_COMMAND_OK)
		rc = 0;
	else
		log_warnx("%s: vacuum failed (SQLSTATE %s)", __func__,
		    res != NULL && PQresultErrorField(res, PG_DIAG_SQLSTATE) ?
		    PQresultErrorField(res, PG_DIAG_SQLSTATE) : "none");
	PQclear(res);
	PQfinish(conn);
	return rc;
}

int
purge_run(int days, const char *admin_conninfo)
{
	struct db_param		 p[1] = { DB_P_INT(days) };
	PGresult		*res = NULL;
	enum db_status		 st;
	const unsigned char	*id;
	char			 b64[ID_B64_SIZE];
	size_t			 n;
	int			 i, count;

	if (db_begin(&st) == -1)
		return -1;
	if ((res = db_exec(DB_PURGE, 1, p, &st)) == NULL)
		goto fail;
	count = PQntuples(res);
	for (i = 0; i < count; i++) {
		id = db_get_bytes(res, i, PURGE_CASE, &n);
		if (n != ID_BYTES)
			goto fail;
		ids_encode(id, b64);
		if (audit_append("purge", "system", audit_extra("case_id", b64),
		    &st) == -1)
			goto fail;
	}
	PQclear(res);
	res = NULL;
	if (db_commit(&st) == -1)
		goto fail;
	if (count > 0)
		log_info("purge: %d cases purged", count);
	if (count > 0 && admin_conninfo != NULL &&
	    purge_vacuum(admin_conninfo) == -1)
		return -1;
	return count;
fail:
	PQclear(res);
	db_rollback();
	log_warnx("%s: the purge failed", __func__);
	return -1;
}
