/*
 * release_compute.c - a statistics release computed and stored: the
 * cube read (release_read.c), its cells suppressed where a scope could
 * learn too much, or noise added under a privacy budget (dp), and the
 * release stored with its ledger rows, all under the desk's stats lock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "app.h"
#include "config.h"
#include "db.h"
#include "log.h"
#include "release.h"
#include "release_build.h"
#include "seal.h"
#include "secrets.h"
#include "sizes.h"
#include "stats.h"

#define RELEASE_NUM_SIZE	sizeof("1073741824")
#define RELEASE_ID_SIZE		96	/* "YYYYQn-" and a family */

/* Seal the certificate under stats_key; it is never published. */
static unsigned char *
release_seal(const char *cert, size_t len, size_t *sealed_len)
{
	unsigned char *out;

	if ((out = malloc(len + SEAL_STORE_OVERHEAD)) == NULL)
		return NULL;
	if (seal_store(out, len + SEAL_STORE_OVERHEAD, sealed_len,
	    (const unsigned char *)cert, len, app.secrets->stats_key) != 0) {
		free(out);
		return NULL;
	}
	return out;
}

static enum desk_result
release_suppress(struct release_build *b, struct stats_table **table,
    unsigned char **sealed, size_t *sealed_len)
{
	struct stats_suppress_args	 args;
	struct stats_suppress_report	 rep;
	const struct stats_table	*earlier[1] = { b->earlier };
	char				*cert = NULL;
	size_t				 certlen = 0;
	enum desk_result		 r = DESK_RELEASE_UNSAFE;

	memset(&args, 0, sizeof(args));
	memset(&rep, 0, sizeof(rep));
	args.cube = b->cube;
	args.row_dim = b->family->row_dim;
	args.col_dim = b->family->col_dim;
	args.k = (uint64_t)app.cfg->stats_k;
	args.earlier = earlier;
	args.nearlier = b->earlier != NULL;
	args.scopes = b->scopes;
	args.nscopes = b->nscopes;
	args.report = &rep;
	if (stats_suppress(&args, table, &cert, &certlen) == 0) {
		log_info("stats: %s %s: %zu runs of %zu scopes, %zu targets, "
		    "%zu searched, %zu covered by earlier runs, %zu witnesses",
		    b->family->id, b->quarter, rep.runs, b->nscopes,
		    rep.targets, rep.searched, rep.reused, rep.witnesses);
		*sealed = release_seal(cert, certlen, sealed_len);
		r = *sealed != NULL ? DESK_OK : DESK_UNAVAILABLE;
	} else
		log_warnx("%s: %s %s cannot be published safely", __func__,
		    b->family->id, b->quarter);
	stats_certificate_free(cert, certlen);
	return r;
}

/*
 * The configured epsilon (typed at load), if the per-case total stays
 * within budget: each case is in one intake and one release of each
 * outcome family, so the total is families x epsilon, at most 2. 0, or -1.
 */
static int
release_epsilon(uint32_t *num, uint32_t *den)
{
	*num = app.cfg->stats_epsilon.num;
	*den = app.cfg->stats_epsilon.den;
	return release_epsilon_fits(*num, *den) ? 0 : -1;
}

int
release_epsilon_fits(uint32_t num, uint32_t den)
{
	return num > 0 && den > 0 &&
	    (uint64_t)num * release_nfamilies <= 2ULL * den;
}

/*
 * DP: refuse above the budget. The ledger row is committed before any
 * noise is drawn, and a family and quarter whose budget is already spent
 * is never computed again.
 */
static enum desk_result
release_dp(struct release_build *b, struct stats_table **table)
{
	uint32_t	 num, den;
	char		 n[RELEASE_NUM_SIZE], d[RELEASE_NUM_SIZE];
	PGresult	*res;
	int		 spent;

	if (release_epsilon(&num, &den) == -1)
		return DESK_RELEASE_OVER_BUDGET;
	snprintf(n, sizeof(n), "%u", num);
	snprintf(d, sizeof(d), "%u", den);
	{
		struct db_param p[4] = { DB_P_TEXT(b->family->id),
		    DB_P_TEXT(b->quarter), DB_P_TEXT(n), DB_P_TEXT(d) };

		if ((res = db_exec(DB_DP_LEDGER_ADD, nitems(p), p, NULL)) ==
		    NULL)
			return DESK_UNAVAILABLE;
	}
	spent = PQntuples(res) != 1;
	PQclear(res);
	if (spent)
		return DESK_RELEASE_BUDGET_SPENT;
	return stats_release_dp(b->cube, b->family->row_dim,
	    b->family->col_dim, num, den, NULL, table) == 0 ? DESK_OK :
	    DESK_UNAVAILABLE;
}

/* Run one statement that returns a row when it stored one: 1, 0. */
static int
release_stored(enum db_stmt stmt, int n, const struct db_param *p)
{
	PGresult	*res;
	int		 ok;

	if ((res = db_exec(stmt, n, p, NULL)) == NULL)
		return 0;
	ok = PQntuples(res) == 1;
	PQclear(res);
	return ok;
}

/* The release and its ledger row, in one transaction, under the lock. */
static enum desk_result
release_store(struct release_build *b, const struct stats_table *table,
    const unsigned char *sealed, size_t sealed_len)
{
	struct stats_meta	 meta;
	char			 id[RELEASE_ID_SIZE], today[11];
	char			*json = NULL, *csv = NULL;
	size_t			 jlen, clen;
	time_t			 now = time(NULL);
	struct tm		 tm;
	int			 n, ok = 0;

	n = snprintf(id, sizeof(id), "%s-%s", b->quarter, b->family->id);
	if (n < 0 || (size_t)n >= sizeof(id) || gmtime_r(&now, &tm) == NULL ||
	    strftime(today, sizeof(today), "%Y-%m-%d", &tm) != 10)
		return DESK_UNAVAILABLE;
	meta.id = id;
	meta.family = b->family->id;
	meta.quarter = b->quarter;
	meta.created_on = today;
	if (stats_table_json(table, &meta, &json, &jlen) == 0 &&
	    stats_table_csv(table, &meta, &csv, &clen) == 0 &&
	    db_begin(NULL) == 0) {
		struct db_param p[8] = { DB_P_TEXT(id), DB_P_TEXT(b->family->id),
		    DB_P_TEXT(b->quarter), DB_P_TEXT(config_stats_method_name(app.cfg->stats_method)),
		    DB_P_TEXT(json), DB_P_TEXT(csv),
		    DB_P_BYTES(sealed, sealed_len), DB_P_TEXT(today) };
		struct db_param l[3] = { DB_P_TEXT(b->family->id),
		    DB_P_TEXT(b->quarter), DB_P_TEXT(config_stats_method_name(app.cfg->stats_method)) };

		ok = release_stored(DB_STATS_RELEASE_INSERT, nitems(p), p) &&
		    release_stored(DB_STATS_LEDGER_ADD, nitems(l), l) &&
		    db_commit(NULL) == 0;
		if (!ok) {
			log_warnx("%s: %s not stored (lock lost?)", __func__,
			    id);
			db_rollback();
		}
	}
	free(json);
	free(csv);
	return ok ? DESK_OK : DESK_UNAVAILABLE;
}

/* release_seen: a row of stmt for (family, quarter) exists: 1, 0, -1. */
static int
release_seen(enum db_stmt stmt, const char *family, const char *quarter)
{
	struct db_param	 p[2] = { DB_P_TEXT(family), DB_P_TEXT(quarter) };
	PGresult	*res;
	int		 seen;

	if ((res = db_exec(stmt, nitems(p), p, NULL)) == NULL)
		return -1;
	seen = PQntuples(res) > 0;
	PQclear(res);
	return seen;
}

/* Whether the family may be computed at all for the quarter. */
static enum desk_result
release_allowed(const char *family, const char *quarter, int dp)
{
	uint32_t	num, den;
	int		seen;

	if ((seen = release_seen(DB_STATS_LEDGER_FIND, family, quarter)) != 0)
		return seen == 1 ? DESK_RELEASE_WITHDRAWN : DESK_UNAVAILABLE;
	if (!dp)
		return DESK_OK;
	if (release_epsilon(&num, &den) == -1) {
		log_warnx("%s: epsilon exceeds the per-case cap of 2",
		    __func__);
		return DESK_RELEASE_OVER_BUDGET;
	}
	if ((seen = release_seen(DB_DP_LEDGER_FIND, family, quarter)) != 0)
		return seen == 1 ? DESK_RELEASE_BUDGET_SPENT :
		    DESK_UNAVAILABLE;
	return DESK_OK;
}

enum desk_result
release_compute(const char *family, const char *quarter)
{
	struct release_build	 b;
	struct stats_table	*table = NULL;
	unsigned char		*sealed = NULL;
	size_t			 sealed_len = 0;
	enum desk_result	 r;

	memset(&b, 0, sizeof(b));
	b.family = release_family(family);
	b.quarter = quarter;
	b.dp = app.cfg->stats_method == CONFIG_STATS_DP;
	if (b.family == NULL ||
	    release_quarter_bounds(quarter, b.first, b.last) == -1)
		return DESK_RELEASE_BAD_QUARTER;
	snprintf(b.year, sizeof(b.year), "%.4s", quarter);
	if ((r = release_allowed(family, quarter, b.dp)) != DESK_OK)
		return r;
	if ((r = release_prepare(&b)) == DESK_OK)
		r = b.dp ? release_dp(&b, &table) :
		    release_suppress(&b, &table, &sealed, &sealed_len);
	if (r == DESK_OK)
		r = release_store(&b, table, sealed, sealed_len);
	stats_table_free(table);
	if (sealed != NULL) {
		sodium_memzero(sealed, sealed_len);
		free(sealed);
	}
	release_build_free(&b);
	return r;
}
