/*
 * release.c - statistics releases from the database.
 *
 * Families (SPEC 6) and the cubes behind them:
 *   intake_org_topic		cube organisation x topic of the cases
 *				received in the quarter; family (0, 1)
 *   outcome_category_outcome	cube organisation x outcome x category x
 *   outcome_category_ground	ground of the facts stored at first closing
 *				in the quarter; families (2, 1) and (2, 3)
 *
 * What stays fixed
 *   A quarter's domains (the organisations active then, the topics, the
 *   vocabularies) are frozen at its first release of each cube
 *   (meldpunt_stats_domain), a calendar year's merge map at the first
 *   release of that year (meldpunt_stats_merge), also when it is empty.
 *   Every stored release is entered in stats_ledger in the same
 *   transaction; one that is no longer stored is never computed again.
 *
 * One at a time
 *   The two outcome families count the same cases, so whichever is
 *   released second is protected jointly with the first. The desk computes
 *   one release at a time (a session advisory lock in PostgreSQL, shared by
 *   every instance), looks for the stored release again under the lock,
 *   and stores only while it holds the lock: two concurrent requests can
 *   never each miss the other's sibling.
 *
 * Who knows what (suppression)
 *   Besides the run without a scope, one run per organisation (any insider
 *   of it), one for the merged group, and one per account that sees cases
 *   of listed organisations (coordinators and advisers, whatever their
 *   status: deactivated ones have seen cases, invited ones will). Each
 *   account's run knows what that account can see: the cases of its
 *   organisations but those whose reporter excluded it and those of topics
 *   outside its scope. The engine shares its work across runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "app.h"
#include "config.h"
#include "db.h"
#include "log.h"
#include "release.h"
#include "rows.h"
#include "seal.h"
#include "secrets.h"
#include "stats.h"

#define RELEASE_MERGE_GROUP	"other_organisations"
#define RELEASE_MAX_WAITING	8	/* per process: 1/8 of the default threads */

enum release_kind { RELEASE_INTAKE, RELEASE_OUTCOME };

static const struct release_family {
	const char		*id;
	enum release_kind	 kind;
	size_t			 row_dim, col_dim;
	const char		*sibling;	/* same cube, joint protection */
} release_families[] = {
	{ "intake_org_topic", RELEASE_INTAKE, 0, 1, NULL },
	{ "outcome_category_outcome", RELEASE_OUTCOME, 2, 1,
	    "outcome_category_ground" },
	{ "outcome_category_ground", RELEASE_OUTCOME, 2, 3,
	    "outcome_category_outcome" },
};

#define RELEASE_NFAMILIES \
	(sizeof(release_families) / sizeof(release_families[0]))

static const char *const release_dims_intake[] = { "organisation", "topic" };
static const char *const release_dims_outcome[] = { "organisation", "outcome",
    "category", "ground" };

static const struct {
	enum release_status	 st;
	const char		*reason;
	const char		*text;
} release_texts[] = {
	{ RELEASE_OK, "ok", "the release is stored" },
	{ RELEASE_BAD_FAMILY, "unknown_family", "there is no such table family" },
	{ RELEASE_BAD_QUARTER, "malformed", "a quarter is written YYYYQn" },
	{ RELEASE_OPEN_QUARTER, "open_quarter",
	    "the quarter has not ended yet" },
	{ RELEASE_NOT_FOUND, "not_found", "there is no such release" },
	{ RELEASE_UNSAFE, "unsafe",
	    "the release cannot be published safely" },
	{ RELEASE_BUDGET_SPENT, "budget_spent",
	    "the privacy budget of this release has been spent" },
	{ RELEASE_OVER_BUDGET, "over_budget",
	    "the configured epsilon exceeds the privacy budget of 2 per case" },
	{ RELEASE_WITHDRAWN, "withdrawn",
	    "this release was computed before and is no longer stored; "
	    "it is not computed again" },
	{ RELEASE_DATA_CHANGED, "data_changed",
	    "the quarter's data no longer agree with its other outcome "
	    "release" },
	{ RELEASE_METHOD_CHANGED, "method_changed",
	    "the quarter's other outcome release was made with the other "
	    "method" },
	{ RELEASE_INCONSISTENT, "inconsistent",
	    "the counted cases do not fit the quarter's organisations and "
	    "vocabulary" },
	{ RELEASE_BUSY, "busy",
	    "another release is being computed; try again shortly" },
	{ RELEASE_UNAVAILABLE, "database", "the database is unavailable" },
};

/* The value ids of one dimension, owned. */
struct release_ids {
	char	**ids;
	size_t	  n;
};

/* An account that sees cases, and what of them it cannot see. */
struct release_account {
	char			*id;
	struct release_ids	 orgs;		/* sorted; "*" alone: all */
	struct release_ids	 topics;	/* sorted; "*" alone: all */
	struct stats_hidden	*hid;		/* ids point into PGresults */
	size_t			 nhid, caphid;
};

struct release_build {
	const struct release_family	*family;
	const char			*quarter;
	char				 first[11], last[11], year[5];
	int				 dp;
	size_t				 ndims;
	struct release_ids		 dims[4];
	struct stats_cube		*cube;
	struct release_ids		 merge;
	PGresult			*counts;	/* the cube's rows */
	struct release_account		*accounts;
	size_t				 naccounts;
	PGresult			*hidden_res;	/* hidden ids point in */
	char				*limited;	/* "{org,..}", see below */
	struct stats_scope		*scopes;
	size_t				 nscopes;
	struct stats_table		*earlier;
};

static int release_waiting;	/* __atomic: requests in release_locked */

const char *
release_status_text(enum release_status st)
{
	size_t i;

	for (i = 0; i < sizeof(release_texts) / sizeof(release_texts[0]); i++)
		if (release_texts[i].st == st)
			return release_texts[i].text;
	return "the release failed";
}

const char *
release_status_reason(enum release_status st)
{
	size_t i;

	for (i = 0; i < sizeof(release_texts) / sizeof(release_texts[0]); i++)
		if (release_texts[i].st == st)
			return release_texts[i].reason;
	return "database";
}

static const struct release_family *
release_family(const char *id)
{
	size_t i;

	for (i = 0; i < RELEASE_NFAMILIES; i++)
		if (strcmp(release_families[i].id, id) == 0)
			return &release_families[i];
	return NULL;
}

int
release_quarter_bounds(const char *q, char first[11], char last[11])
{
	static const char *const ends[] = { "03-31", "06-30", "09-30", "12-31" };
	static const char *const starts[] = { "01-01", "04-01", "07-01", "10-01" };
	int i, n;

	if (strlen(q) != 6 || q[4] != 'Q' || q[5] < '1' || q[5] > '4')
		return -1;
	for (i = 0; i < 4; i++)
		if (q[i] < '0' || q[i] > '9')
			return -1;
	n = q[5] - '1';
	snprintf(first, 11, "%.4s-%s", q, starts[n]);
	snprintf(last, 11, "%.4s-%s", q, ends[n]);
	return 0;
}

int
release_quarter_closed(const char *quarter, time_t now)
{
	char		first[11], last[11], today[11];
	struct tm	tm;

	if (release_quarter_bounds(quarter, first, last) == -1 ||
	    gmtime_r(&now, &tm) == NULL ||
	    strftime(today, sizeof(today), "%Y-%m-%d", &tm) != 10)
		return 0;
	return strcmp(last, today) < 0;
}

static void
release_ids_free(struct release_ids *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		free(r->ids[i]);
	free(r->ids);
	r->ids = NULL;
	r->n = 0;
}

static int
release_strcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* release_ids_split: the ids of a ','-joined list ("" is none), sorted. */
static int
release_ids_split(struct release_ids *r, const char *s)
{
	const char	*comma;
	size_t		 len, cap = 1;

	for (len = 0; s[len] != '\0'; len++)
		cap += s[len] == ',';
	if ((r->ids = calloc(cap, sizeof(char *))) == NULL)
		return -1;
	while (*s != '\0') {
		comma = strchr(s, ',');
		len = comma != NULL ? (size_t)(comma - s) : strlen(s);
		if (r->n == cap || (r->ids[r->n++] = strndup(s, len)) == NULL)
			return -1;
		s += len + (comma != NULL);
	}
	if (r->n > 1)
		qsort(r->ids, r->n, sizeof(*r->ids), release_strcmp);
	return 0;
}

/* The quarter's frozen domains of the family's cube. */
static enum release_status
release_load_dims(struct release_build *b)
{
	const char *const	*names = b->family->kind == RELEASE_INTAKE ?
	    release_dims_intake : release_dims_outcome;
	struct db_param		 p[2] = { DB_P_TEXT(b->quarter),
	    DB_P_TEXT(b->family->kind == RELEASE_INTAKE ? "intake" :
	    "outcome") };
	unsigned char		 seen[4] = { 0, 0, 0, 0 };
	PGresult		*res;
	size_t			 d;
	int			 i;
	enum release_status	 st = RELEASE_OK;

	b->ndims = b->family->kind == RELEASE_INTAKE ? 2 : 4;
	if ((res = db_exec(DB_STATS_DOMAIN, 2, p, NULL)) == NULL)
		return RELEASE_UNAVAILABLE;
	for (i = 0; i < PQntuples(res) && st == RELEASE_OK; i++) {
		for (d = 0; d < b->ndims; d++)
			if (strcmp(db_get_text(res, i, 0), names[d]) == 0)
				break;
		if (d == b->ndims || seen[d]++)
			st = RELEASE_INCONSISTENT;
		else if (release_ids_split(&b->dims[d],
		    db_get_text(res, i, 1)) == -1)
			st = RELEASE_UNAVAILABLE;
	}
	PQclear(res);
	for (d = 0; d < b->ndims && st == RELEASE_OK; d++)
		if (!seen[d])
			st = RELEASE_INCONSISTENT;
	if (st == RELEASE_INCONSISTENT)
		log_warnx("%s: the domain of %s is not whole", __func__,
		    b->quarter);
	return st;
}

static enum release_status
release_new_cube(struct release_build *b)
{
	const char *const	*names = b->family->kind == RELEASE_INTAKE ?
	    release_dims_intake : release_dims_outcome;
	struct stats_dim	 dims[4];
	size_t			 i;

	for (i = 0; i < b->ndims; i++) {
		dims[i].name = names[i];
		dims[i].ids = (const char *const *)b->dims[i].ids;
		dims[i].nids = b->dims[i].n;
	}
	if (stats_cube_new(&b->cube, dims, b->ndims) == -1) {
		log_warnx("%s: the domain of %s does not make a cube",
		    __func__, b->quarter);
		return RELEASE_INCONSISTENT;
	}
	return RELEASE_OK;
}

/* Fill the cube with the quarter's counts (column ndims of each row; an
 * outcome row may be split further by topic, column 5). */
static enum release_status
release_fill_cube(struct release_build *b)
{
	struct db_param		 q[2] = { DB_P_TEXT(b->first),
	    DB_P_TEXT(b->last) };
	struct db_param		 o[2] = { DB_P_TEXT(b->quarter),
	    DB_P_TEXT(b->limited != NULL ? b->limited : "{}") };
	const char		*ids[4];
	PGresult		*res;
	size_t			 j;
	int			 i;
	enum release_status	 st = RELEASE_OK;

	if (b->family->kind == RELEASE_INTAKE)
		res = db_exec(DB_STATS_INTAKE, 2, q, NULL);
	else
		res = db_exec(DB_STATS_OUTCOME, 2, o, NULL);
	if (res == NULL)
		return RELEASE_UNAVAILABLE;
	for (i = 0; i < PQntuples(res) && st == RELEASE_OK; i++) {
		for (j = 0; j < b->ndims; j++)
			ids[j] = db_get_text(res, i, (int)j);
		if (stats_cube_add_ids(b->cube, ids,
		    (uint64_t)db_get_int(res, i, (int)b->ndims)) == -1) {
			log_warnx("%s: a counted case lies outside the "
			    "domain of %s", __func__, b->quarter);
			st = RELEASE_INCONSISTENT;
		}
	}
	b->counts = res;	/* the intake's topics come from here */
	return st;
}

/* The year's merge map, fixed at its first use (also when empty). */
static enum release_status
release_merge(struct release_build *b)
{
	struct db_param	 p[2] = { DB_P_TEXT(b->year),
	    DB_P_INT(app.cfg->stats_merge_headcount) };
	PGresult	*res;
	size_t		 i;
	int		 r, rc = 0;

	if ((res = db_exec(DB_STATS_MERGE, 2, p, NULL)) == NULL)
		return RELEASE_UNAVAILABLE;
	if ((b->merge.ids = calloc((size_t)PQntuples(res) + 1,
	    sizeof(char *))) == NULL)
		rc = -1;
	for (r = 0; rc == 0 && r < PQntuples(res); r++)
		if ((b->merge.ids[b->merge.n++] = strdup(db_get_text(res, r,
		    0))) == NULL)
			rc = -1;
	PQclear(res);
	if (rc == -1)
		return RELEASE_UNAVAILABLE;
	if (b->merge.n > 1)
		qsort(b->merge.ids, b->merge.n, sizeof(char *), release_strcmp);
	for (i = 0; i < b->merge.n; i++)
		if (strcmp(b->merge.ids[i], RELEASE_MERGE_GROUP) == 0)
			return RELEASE_INCONSISTENT;
	if (stats_cube_merge(b->cube, RELEASE_MERGE_GROUP,
	    (const char *const *)b->merge.ids, b->merge.n) == -1) {
		log_warnx("%s: the merge map of %s does not fit", __func__,
		    b->year);
		return RELEASE_INCONSISTENT;
	}
	return RELEASE_OK;
}

/*
 * The sibling outcome family of this quarter, if already released: made
 * by the same method, and still agreeing with the data. A dp sibling binds
 * nothing (its budget is its own).
 */
static enum release_status
release_earlier(struct release_build *b)
{
	struct db_param			 p[2];
	PGresult			*res;
	const char			*json;
	const struct release_family	*sib;
	enum release_status		 st = RELEASE_OK;

	if (b->family->sibling == NULL ||
	    (sib = release_family(b->family->sibling)) == NULL)
		return RELEASE_OK;
	p[0] = (struct db_param)DB_P_TEXT(sib->id);
	p[1] = (struct db_param)DB_P_TEXT(b->quarter);
	if ((res = db_exec(DB_STATS_RELEASE_FIND, 2, p, NULL)) == NULL)
		return RELEASE_UNAVAILABLE;
	if (PQntuples(res) == 1) {
		if (strcmp(db_get_text(res, 0, 3), app.cfg->stats_method) != 0)
			st = RELEASE_METHOD_CHANGED;
		else if (!b->dp) {
			json = db_get_text(res, 0, 1);
			if (stats_table_parse(b->cube, sib->row_dim,
			    sib->col_dim, json, strlen(json),
			    &b->earlier) == -1)
				st = RELEASE_INCONSISTENT;
			else if (!stats_table_agrees(b->earlier, b->cube))
				st = RELEASE_DATA_CHANGED;
		}
	}
	PQclear(res);
	if (st != RELEASE_OK)
		log_warnx("%s: %s %s: %s", __func__, b->family->id, b->quarter,
		    release_status_text(st));
	return st;
}

static void
release_build_free(struct release_build *b)
{
	size_t i;

	for (i = 0; i < 4; i++)
		release_ids_free(&b->dims[i]);
	release_ids_free(&b->merge);
	for (i = 0; i < b->naccounts; i++) {
		free(b->accounts[i].id);
		release_ids_free(&b->accounts[i].orgs);
		release_ids_free(&b->accounts[i].topics);
		free(b->accounts[i].hid);
	}
	free(b->accounts);
	PQclear(b->counts);
	PQclear(b->hidden_res);
	free(b->limited);
	free(b->scopes);
	stats_cube_free(b->cube);
	stats_table_free(b->earlier);
}

static int
release_all(const struct release_ids *r)
{
	return r->n == 1 && strcmp(r->ids[0], "*") == 0;
}

/* release_has: id is in the sorted list r ("*" holds everything). */
static int
release_has(const struct release_ids *r, const char *id)
{
	return release_all(r) || (r->n > 0 && bsearch(&id, r->ids, r->n,
	    sizeof(char *), release_strcmp) != NULL);
}

/* release_hide: n cases of the cell ids[] are hidden from account a. */
static int
release_hide(struct release_account *a, const char *const *ids,
    size_t ndims, uint64_t n)
{
	struct stats_hidden	*nh;
	size_t			 d, ncap;

	if (a->nhid == a->caphid) {
		ncap = a->caphid ? 2 * a->caphid : 16;
		if ((nh = realloc(a->hid, ncap * sizeof(*nh))) == NULL)
			return -1;
		a->hid = nh;
		a->caphid = ncap;
	}
	memset(&a->hid[a->nhid], 0, sizeof(a->hid[a->nhid]));
	for (d = 0; d < ndims; d++)
		a->hid[a->nhid].ids[d] = ids[d];
	a->hid[a->nhid++].n = n;
	return 0;
}

/* The accounts that see cases of listed organisations. */
static int
release_accounts(struct release_build *b)
{
	PGresult	*res;
	size_t		 i, n;
	int		 rc = 0;

	if ((res = db_exec(DB_STATS_ACCOUNTS, 0, NULL, NULL)) == NULL)
		return -1;
	n = (size_t)PQntuples(res);
	if ((b->accounts = calloc(n + 1, sizeof(*b->accounts))) == NULL)
		rc = -1;
	for (i = 0; rc == 0 && i < n; i++) {
		b->naccounts++;
		if ((b->accounts[i].id = strdup(db_get_text(res, (int)i,
		    0))) == NULL || release_ids_split(&b->accounts[i].orgs,
		    db_get_text(res, (int)i, 1)) == -1 ||
		    release_ids_split(&b->accounts[i].topics,
		    db_get_text(res, (int)i, 2)) == -1)
			rc = -1;
	}
	PQclear(res);
	return rc;
}

/* Cases excluded by the reporter: per account, in byte order of its id. */
static int
release_excluded(struct release_build *b)
{
	struct db_param		 q[3] = { DB_P_TEXT(b->first),
	    DB_P_TEXT(b->last), DB_P_TEXT(b->quarter) };
	struct db_param		 o[1] = { DB_P_TEXT(b->quarter) };
	const char		*ids[STATS_MAX_DIMS];
	size_t			 i = 0, d;
	int			 r, c = 1;

	if (b->family->kind == RELEASE_INTAKE)
		b->hidden_res = db_exec(DB_STATS_HIDDEN_INTAKE, 3, q, NULL);
	else
		b->hidden_res = db_exec(DB_STATS_HIDDEN_OUTCOME, 1, o, NULL);
	if (b->hidden_res == NULL)
		return -1;
	for (r = 0; r < PQntuples(b->hidden_res); r++) {
		while (i < b->naccounts && (c = strcmp(b->accounts[i].id,
		    db_get_text(b->hidden_res, r, 0))) < 0)
			i++;
		if (i == b->naccounts)
			break;
		if (c > 0)
			continue;
		for (d = 0; d < b->ndims; d++)
			ids[d] = db_get_text(b->hidden_res, r, (int)d + 1);
		if (release_hide(&b->accounts[i], ids, b->ndims,
		    (uint64_t)db_get_int(b->hidden_res, r,
		    (int)b->ndims + 1)) == -1)
			return -1;
	}
	return 0;
}

/*
 * b->limited: "{org,..}", the organisations of the accounts limited to
 * some topics (ids are slugs: nothing to quote); the outcome count splits
 * their facts by topic. NULL when there are none.
 */
static int
release_limited(struct release_build *b)
{
	const struct release_account	*a;
	size_t				 i, d, len = 3, at = 1;
	int				 n;

	for (i = 0; i < b->naccounts; i++)
		if (!release_all(&b->accounts[i].topics))
			break;
	if (i == b->naccounts)
		return 0;
	for (d = 0; d < b->dims[0].n; d++)
		len += strlen(b->dims[0].ids[d]) + 1;
	if ((b->limited = malloc(len)) == NULL)
		return -1;
	memcpy(b->limited, "{", 2);
	for (d = 0; d < b->dims[0].n; d++)
		for (i = 0; i < b->naccounts; i++) {
			a = &b->accounts[i];
			if (release_all(&a->topics) ||
			    !release_has(&a->orgs, b->dims[0].ids[d]))
				continue;
			n = snprintf(b->limited + at, len - at, "%s%s",
			    at > 1 ? "," : "", b->dims[0].ids[d]);
			if (n < 0 || (size_t)n >= len - at)
				return -1;
			at += (size_t)n;
			break;
		}
	n = snprintf(b->limited + at, len - at, "}");
	return n < 0 || (size_t)n >= len - at ? -1 : 0;
}

/*
 * Cases of topics outside an account's scope, from the cube's own rows:
 * the intake's are per topic; the outcome's are for the organisations of
 * limited accounts (release_limited).
 */
static int
release_topics(struct release_build *b)
{
	struct release_account	*a;
	const PGresult		*res = b->counts;
	const char		*ids[STATS_MAX_DIMS], *topic;
	int			 tcol = b->family->kind == RELEASE_INTAKE ? 1 : 5;
	size_t			 i, d;
	int			 r;

	if (b->limited == NULL && b->family->kind == RELEASE_OUTCOME)
		return 0;
	for (r = 0; r < PQntuples(res); r++) {
		if (db_is_null(res, r, tcol))
			continue;
		topic = db_get_text(res, r, tcol);
		for (d = 0; d < b->ndims; d++)
			ids[d] = db_get_text(res, r, (int)d);
		for (i = 0; i < b->naccounts; i++) {
			a = &b->accounts[i];
			if (release_all(&a->topics) ||
			    release_has(&a->topics, topic) ||
			    !release_has(&a->orgs, ids[0]))
				continue;
			if (release_hide(a, ids, b->ndims, (uint64_t)db_get_int(
			    res, r, (int)b->ndims)) == -1)
				return -1;
		}
	}
	return 0;
}

/*
 * Every scope: each account's (its organisations, "*" being all of them,
 * but the cases it cannot see), each organisation's, the merged group's.
 */
static int
release_scopes(struct release_build *b)
{
	struct stats_scope	*sc;
	struct release_account	*a;
	size_t			 i, norgs = b->dims[0].n;

	if (release_excluded(b) == -1 || release_topics(b) == -1)
		return -1;
	if ((b->scopes = calloc(b->naccounts + norgs + 2,
	    sizeof(*b->scopes))) == NULL)
		return -1;
	for (i = 0; i < b->naccounts; i++) {
		a = &b->accounts[i];
		sc = &b->scopes[b->nscopes++];
		if (release_all(&a->orgs)) {
			sc->orgs = (const char *const *)b->dims[0].ids;
			sc->norgs = norgs;
		} else {
			sc->orgs = (const char *const *)a->orgs.ids;
			sc->norgs = a->orgs.n;
		}
		sc->hidden = a->hid;
		sc->nhidden = a->nhid;
	}
	for (i = 0; i < norgs; i++) {
		sc = &b->scopes[b->nscopes++];
		sc->orgs = (const char *const *)&b->dims[0].ids[i];
		sc->norgs = 1;
	}
	if (b->merge.n >= 2) {
		sc = &b->scopes[b->nscopes++];
		sc->orgs = (const char *const *)b->merge.ids;
		sc->norgs = b->merge.n;
	}
	return 0;
}

/*
 * Everything a release is computed from, read in one transaction (which
 * also freezes the quarter's domains and the year's merge map).
 */
static enum release_status
release_read(struct release_build *b)
{
	enum release_status st;

	if ((st = release_load_dims(b)) != RELEASE_OK ||
	    (st = release_new_cube(b)) != RELEASE_OK)
		return st;
	/* The accounts first: the outcome count splits by topic the
	 * organisations of those limited to some topics. */
	if (!b->dp && (release_accounts(b) == -1 || release_limited(b) == -1))
		return RELEASE_UNAVAILABLE;
	if ((st = release_fill_cube(b)) != RELEASE_OK ||
	    (st = release_merge(b)) != RELEASE_OK ||
	    (st = release_earlier(b)) != RELEASE_OK)
		return st;
	if (!b->dp && release_scopes(b) == -1)
		return RELEASE_UNAVAILABLE;
	return RELEASE_OK;
}

/*
 * Everything a release is computed from, read in one transaction (which
 * also freezes the quarter's domains and the year's merge map).
 */
static enum release_status
release_prepare(struct release_build *b)
{
	enum release_status	 st;
	PGresult		*res;

	if (db_begin(NULL) == -1)
		return RELEASE_UNAVAILABLE;
	if ((res = db_exec(DB_STATS_SESSION, 0, NULL, NULL)) == NULL)
		st = RELEASE_UNAVAILABLE;
	else
		st = release_read(b);
	PQclear(res);
	if (st == RELEASE_OK && db_commit(NULL) == -1)
		st = RELEASE_UNAVAILABLE;
	if (st != RELEASE_OK)
		db_rollback();
	return st;
}

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

static enum release_status
release_suppress(struct release_build *b, struct stats_table **table,
    unsigned char **sealed, size_t *sealed_len)
{
	struct stats_suppress_args	 args;
	struct stats_suppress_report	 rep;
	const struct stats_table	*earlier[1] = { b->earlier };
	char				*cert = NULL;
	size_t				 certlen = 0;
	enum release_status		 st = RELEASE_UNSAFE;

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
		st = *sealed != NULL ? RELEASE_OK : RELEASE_UNAVAILABLE;
	} else
		log_warnx("%s: %s %s cannot be published safely", __func__,
		    b->family->id, b->quarter);
	stats_certificate_free(cert, certlen);
	return st;
}

/* "num/den", both 1..2^30. */
static int
release_epsilon(const char *text, uint32_t *num, uint32_t *den)
{
	unsigned long	 n, d;
	char		*end;

	n = strtoul(text, &end, 10);
	if (*end != '/' || n == 0 || n > (1UL << 30))
		return -1;
	d = strtoul(end + 1, &end, 10);
	if (*end != '\0' || d == 0 || d > (1UL << 30))
		return -1;
	*num = (uint32_t)n;
	*den = (uint32_t)d;
	return 0;
}

/*
 * DP: each case is in one intake and one release of each outcome family,
 * so the per-case total is families x epsilon; refuse above 2. The ledger
 * row is committed before any noise is drawn, and a family and quarter
 * whose budget is already spent is never computed again.
 */
static enum release_status
release_dp(struct release_build *b, struct stats_table **table)
{
	uint32_t	 num, den;
	char		 n[16], d[16];
	PGresult	*res;
	int		 spent;

	if (release_epsilon(app.cfg->stats_epsilon, &num, &den) == -1 ||
	    (uint64_t)num * RELEASE_NFAMILIES > 2ULL * den)
		return RELEASE_OVER_BUDGET;
	snprintf(n, sizeof(n), "%u", num);
	snprintf(d, sizeof(d), "%u", den);
	{
		struct db_param p[4] = { DB_P_TEXT(b->family->id),
		    DB_P_TEXT(b->quarter), DB_P_TEXT(n), DB_P_TEXT(d) };

		if ((res = db_exec(DB_DP_LEDGER_ADD, 4, p, NULL)) == NULL)
			return RELEASE_UNAVAILABLE;
	}
	spent = PQntuples(res) != 1;
	PQclear(res);
	if (spent)
		return RELEASE_BUDGET_SPENT;
	return stats_release_dp(b->cube, b->family->row_dim,
	    b->family->col_dim, num, den, NULL, table) == 0 ? RELEASE_OK :
	    RELEASE_UNAVAILABLE;
}

/* The release and its ledger row, in one transaction, under the lock. */
static enum release_status
release_store(struct release_build *b, const struct stats_table *table,
    const unsigned char *sealed, size_t sealed_len)
{
	struct stats_meta	 meta;
	char			 id[96], today[11], *json = NULL, *csv = NULL;
	size_t			 jlen, clen;
	time_t			 now = time(NULL);
	struct tm		 tm;
	PGresult		*res;
	int			 n, ok = 0;

	n = snprintf(id, sizeof(id), "%s-%s", b->quarter, b->family->id);
	if (n < 0 || (size_t)n >= sizeof(id) || gmtime_r(&now, &tm) == NULL ||
	    strftime(today, sizeof(today), "%Y-%m-%d", &tm) != 10)
		return RELEASE_UNAVAILABLE;
	meta.id = id;
	meta.family = b->family->id;
	meta.quarter = b->quarter;
	meta.created_on = today;
	if (stats_table_json(table, &meta, &json, &jlen) == 0 &&
	    stats_table_csv(table, &meta, &csv, &clen) == 0 &&
	    db_begin(NULL) == 0) {
		struct db_param p[8] = { DB_P_TEXT(id), DB_P_TEXT(b->family->id),
		    DB_P_TEXT(b->quarter), DB_P_TEXT(app.cfg->stats_method),
		    DB_P_TEXT(json), DB_P_TEXT(csv),
		    DB_P_BYTES(sealed, sealed_len), DB_P_TEXT(today) };
		struct db_param l[3] = { DB_P_TEXT(b->family->id),
		    DB_P_TEXT(b->quarter), DB_P_TEXT(app.cfg->stats_method) };

		if ((res = db_exec(DB_STATS_RELEASE_INSERT, 8, p, NULL)) !=
		    NULL) {
			ok = PQntuples(res) == 1;
			PQclear(res);
		}
		if (ok && (res = db_exec(DB_STATS_LEDGER_ADD, 3, l, NULL)) !=
		    NULL) {
			ok = PQntuples(res) == 1;
			PQclear(res);
		} else
			ok = 0;
		if (ok && db_commit(NULL) == -1)
			ok = 0;
		if (!ok) {
			log_warnx("%s: %s not stored (lock lost?)", __func__,
			    id);
			db_rollback();
		}
	}
	free(json);
	free(csv);
	return ok ? RELEASE_OK : RELEASE_UNAVAILABLE;
}

/* release_seen: a row of stmt for (family, quarter) exists: 1, 0, -1. */
static int
release_seen(enum db_stmt stmt, const char *family, const char *quarter)
{
	struct db_param	 p[2] = { DB_P_TEXT(family), DB_P_TEXT(quarter) };
	PGresult	*res;
	int		 seen;

	if ((res = db_exec(stmt, 2, p, NULL)) == NULL)
		return -1;
	seen = PQntuples(res) > 0;
	PQclear(res);
	return seen;
}

/* Compute and store a release that is not stored; under the lock. */
static enum release_status
release_compute(const char *family_id, const char *quarter)
{
	struct release_build	 b;
	struct stats_table	*table = NULL;
	unsigned char		*sealed = NULL;
	size_t			 sealed_len = 0;
	enum release_status	 st;
	int			 seen;

	memset(&b, 0, sizeof(b));
	b.family = release_family(family_id);
	b.quarter = quarter;
	b.dp = strcmp(app.cfg->stats_method, "dp") == 0;
	if (release_quarter_bounds(quarter, b.first, b.last) == -1)
		return RELEASE_BAD_QUARTER;
	snprintf(b.year, sizeof(b.year), "%.4s", quarter);
	if ((seen = release_seen(DB_STATS_LEDGER_FIND, family_id,
	    quarter)) != 0)
		return seen == 1 ? RELEASE_WITHDRAWN : RELEASE_UNAVAILABLE;
	if (b.dp) {
		uint32_t num, den;

		if (release_epsilon(app.cfg->stats_epsilon, &num, &den) == -1 ||
		    (uint64_t)num * RELEASE_NFAMILIES > 2ULL * den) {
			log_warnx("%s: epsilon exceeds the per-case cap of 2",
			    __func__);
			return RELEASE_OVER_BUDGET;
		}
		if ((seen = release_seen(DB_DP_LEDGER_FIND, family_id,
		    quarter)) != 0)
			return seen == 1 ? RELEASE_BUDGET_SPENT :
			    RELEASE_UNAVAILABLE;
	}
	if ((st = release_prepare(&b)) == RELEASE_OK)
		st = b.dp ? release_dp(&b, &table) :
		    release_suppress(&b, &table, &sealed, &sealed_len);
	if (st == RELEASE_OK)
		st = release_store(&b, table, sealed, sealed_len);
	stats_table_free(table);
	if (sealed != NULL) {
		sodium_memzero(sealed, sealed_len);
		free(sealed);
	}
	release_build_free(&b);
	return st;
}

static enum release_status
release_fetch(enum db_stmt stmt, int n, const struct db_param *p,
    struct release *out)
{
	PGresult		*res;
	enum release_status	 st = RELEASE_NOT_FOUND;

	memset(out, 0, sizeof(*out));
	if ((res = db_exec(stmt, n, p, NULL)) == NULL)
		return RELEASE_UNAVAILABLE;
	if (PQntuples(res) == 1) {
		out->id = strdup(db_get_text(res, 0, 0));
		out->json = strdup(db_get_text(res, 0, 1));
		out->csv = strdup(db_get_text(res, 0, 2));
		st = out->id && out->json && out->csv ? RELEASE_OK :
		    RELEASE_UNAVAILABLE;
		if (st != RELEASE_OK)
			release_free(out);
	}
	PQclear(res);
	return st;
}

/* Under the desk's stats lock: the stored release, or a new one. */
static enum release_status
release_locked(const char *family, const char *quarter, int wait_ms,
    struct release *out)
{
	struct db_param		 p[2] = { DB_P_TEXT(family), DB_P_TEXT(quarter) };
	struct db_param		 w[1] = { DB_P_INT(wait_ms) };
	PGresult		*res;
	enum release_status	 st;
	int			 granted;

	if ((res = db_exec(DB_STATS_LOCK, 1, w, NULL)) == NULL)
		return RELEASE_UNAVAILABLE;
	granted = PQntuples(res) == 1 && db_get_bool(res, 0, 0);
	PQclear(res);
	if (!granted)
		return RELEASE_BUSY;
	st = release_fetch(DB_STATS_RELEASE_FIND, 2, p, out);
	if (st == RELEASE_NOT_FOUND &&
	    (st = release_compute(family, quarter)) == RELEASE_OK)
		st = release_fetch(DB_STATS_RELEASE_FIND, 2, p, out);
	if ((res = db_exec(DB_STATS_UNLOCK, 0, NULL, NULL)) == NULL)
		log_warnx("%s: could not unlock (the connection is gone, and "
		    "the lock with it)", __func__);
	PQclear(res);
	return st;
}

enum release_status
release_get(const struct config *cfg, const char *family, const char *quarter,
    int wait_ms, struct release *out)
{
	struct db_param		 p[2] = { DB_P_TEXT(family), DB_P_TEXT(quarter) };
	enum release_status	 st;

	(void)cfg;
	memset(out, 0, sizeof(*out));
	if (release_family(family) == NULL)
		return RELEASE_BAD_FAMILY;
	if (!release_quarter_closed(quarter, time(NULL)))
		return release_quarter_bounds(quarter, (char[11]){ 0 },
		    (char[11]){ 0 }) == -1 ? RELEASE_BAD_QUARTER :
		    RELEASE_OPEN_QUARTER;
	st = release_fetch(DB_STATS_RELEASE_FIND, 2, p, out);
	if (st != RELEASE_NOT_FOUND)
		return st;
	/* A few requests per process may wait; more are told to retry. */
	if (__atomic_add_fetch(&release_waiting, 1, __ATOMIC_SEQ_CST) >
	    RELEASE_MAX_WAITING)
		st = RELEASE_BUSY;
	else
		st = release_locked(family, quarter, wait_ms, out);
	__atomic_sub_fetch(&release_waiting, 1, __ATOMIC_SEQ_CST);
	return st;
}

enum release_status
release_by_id(const char *id, struct release *out)
{
	struct db_param p[1] = { DB_P_TEXT(id) };

	return release_fetch(DB_STATS_RELEASE_BY_ID, 1, p, out);
}

cJSON *
release_list(void)
{
	static const char *const names[] = { "id", "family", "quarter",
	    "method", "created_on" };
	PGresult	*res;
	cJSON		*list;

	if ((res = db_exec(DB_STATS_RELEASES, 0, NULL, NULL)) == NULL)
		return NULL;
	list = rows_json(res, names, 5);
	PQclear(res);
	return list;
}

void
release_free(struct release *r)
{
	if (r == NULL)
		return;
	free(r->id);
	free(r->json);
	free(r->csv);
	memset(r, 0, sizeof(*r));
}

/*
 * meldpuntd stats release --family F --quarter Q [--format json|csv]:
 * print the release (computing and storing it first if needed), or say
 * why there is none.
 */
int
release_cli(const struct config *cfg, int argc, char **argv)
{
	const char		*family = NULL, *quarter = NULL, *format = "json";
	struct release		 r;
	enum release_status	 st;
	int			 i, rc;

	if (argc < 2 || strcmp(argv[1], "release") != 0)
		return 2;
	for (i = 2; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--family") == 0)
			family = argv[i + 1];
		else if (strcmp(argv[i], "--quarter") == 0)
			quarter = argv[i + 1];
		else if (strcmp(argv[i], "--format") == 0)
			format = argv[i + 1];
		else
			return 2;
	}
	if (i != argc || family == NULL || quarter == NULL ||
	    (strcmp(format, "json") != 0 && strcmp(format, "csv") != 0))
		return 2;
	if ((app.secrets = secrets_load(cfg->secrets_dir)) == NULL ||
	    db_init(cfg->database) == -1)
		return 1;
	st = release_get(cfg, family, quarter, RELEASE_WAIT_CLI, &r);
	if (st == RELEASE_OK) {
		rc = fputs(strcmp(format, "csv") == 0 ? r.csv : r.json, stdout) < 0;
		if (strcmp(format, "json") == 0 && putchar('\n') == EOF)
			rc = 1;
	} else {
		log_warnx("stats: no release: %s", release_status_text(st));
		rc = 1;
	}
	release_free(&r);
	db_thread_end();
	secrets_free((struct secrets *)app.secrets);
	app.secrets = NULL;
	return rc;
}
