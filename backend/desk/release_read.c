/*
 * release_read.c - what a statistics release is computed from, read from
 * the database in one transaction: the quarter's frozen domains, the
 * counts of its cube, the year's merge map, the sibling release, and who
 * knows what.
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
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "config.h"
#include "db.h"
#include "log.h"
#include "release.h"
#include "release_build.h"
#include "sizes.h"
#include "stats.h"

#define RELEASE_MERGE_GROUP	"other_organisations"
#define RELEASE_HIDDEN_FIRST	16	/* cells hidden from an account */

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
static enum desk_result
release_load_dims(struct release_build *b)
{
	const struct release_cube *cube = b->family->cube;
	struct db_param		 p[2] = { DB_P_TEXT(b->quarter),
	    DB_P_TEXT(cube->name) };
	unsigned char		 seen[RELEASE_DIMS] = { 0 };
	PGresult		*res;
	size_t			 d;
	int			 i;
	enum desk_result	 r = DESK_OK;

	b->ndims = cube->ndims;
	if ((res = db_exec(DB_STATS_DOMAIN, nitems(p), p, NULL)) == NULL)
		return DESK_UNAVAILABLE;
	for (i = 0; i < PQntuples(res) && r == DESK_OK; i++) {
		for (d = 0; d < b->ndims; d++)
			if (strcmp(db_get_text(res, i, STATS_DOMAIN_DIMENSION),
			    cube->dims[d]) == 0)
				break;
		if (d == b->ndims || seen[d]++)
			r = DESK_RELEASE_INCONSISTENT;
		else if (release_ids_split(&b->dims[d],
		    db_get_text(res, i, STATS_DOMAIN_IDS)) == -1)
			r = DESK_UNAVAILABLE;
	}
	PQclear(res);
	for (d = 0; d < b->ndims && r == DESK_OK; d++)
		if (!seen[d])
			r = DESK_RELEASE_INCONSISTENT;
	if (r == DESK_RELEASE_INCONSISTENT)
		log_warnx("%s: the domain of %s is not whole", __func__,
		    b->quarter);
	return r;
}

static enum desk_result
release_new_cube(struct release_build *b)
{
	struct stats_dim	 dims[RELEASE_DIMS];
	size_t			 i;

	for (i = 0; i < b->ndims; i++) {
		dims[i].name = b->family->cube->dims[i];
		dims[i].ids = (const char *const *)b->dims[i].ids;
		dims[i].nids = b->dims[i].n;
	}
	if (stats_cube_new(&b->cube, dims, b->ndims) == -1) {
		log_warnx("%s: the domain of %s does not make a cube",
		    __func__, b->quarter);
		return DESK_RELEASE_INCONSISTENT;
	}
	return DESK_OK;
}

/* Fill the cube with the quarter's counts (an outcome row may be split
 * further by topic, for the organisations of b->limited). */
static enum desk_result
release_fill_cube(struct release_build *b)
{
	const struct release_cube *cube = b->family->cube;
	struct db_param		 q[2] = { DB_P_TEXT(b->first),
	    DB_P_TEXT(b->last) };
	struct db_param		 o[2] = { DB_P_TEXT(b->quarter),
	    DB_P_BYTES(b->limited.out.data, b->limited.out.len) };
	const char		*ids[RELEASE_DIMS];
	PGresult		*res;
	size_t			 j;
	int			 i;
	enum desk_result	 r = DESK_OK;

	if (cube->kind == RELEASE_INTAKE)
		res = db_exec(cube->count, nitems(q), q, NULL);
	else
		res = db_exec(cube->count, nitems(o), o, NULL);
	if (res == NULL)
		return DESK_UNAVAILABLE;
	for (i = 0; i < PQntuples(res) && r == DESK_OK; i++) {
		for (j = 0; j < b->ndims; j++)
			ids[j] = db_get_text(res, i, cube->count_dim[j]);
		if (stats_cube_add_ids(b->cube, ids,
		    (uint64_t)db_get_int(res, i, cube->count_n)) == -1) {
			log_warnx("%s: a counted case lies outside the "
			    "domain of %s", __func__, b->quarter);
			r = DESK_RELEASE_INCONSISTENT;
		}
	}
	b->counts = res;	/* the intake's topics come from here */
	return r;
}

/* The year's merge map, fixed at its first use (also when empty). */
static enum desk_result
release_merge(struct release_build *b)
{
	struct db_param	 p[2] = { DB_P_TEXT(b->year),
	    DB_P_INT(app.cfg->stats_merge_headcount) };
	PGresult	*res;
	size_t		 i;
	int		 row, rc = 0;

	if ((res = db_exec(DB_STATS_MERGE, nitems(p), p, NULL)) == NULL)
		return DESK_UNAVAILABLE;
	if ((b->merge.ids = calloc((size_t)PQntuples(res) + 1,
	    sizeof(char *))) == NULL)
		rc = -1;
	for (row = 0; rc == 0 && row < PQntuples(res); row++)
		if ((b->merge.ids[b->merge.n++] = strdup(db_get_text(res, row,
		    STATS_MERGE_ORGANISATION))) == NULL)
			rc = -1;
	PQclear(res);
	if (rc == -1)
		return DESK_UNAVAILABLE;
	if (b->merge.n > 1)
		qsort(b->merge.ids, b->merge.n, sizeof(char *), release_strcmp);
	for (i = 0; i < b->merge.n; i++)
		if (strcmp(b->merge.ids[i], RELEASE_MERGE_GROUP) == 0)
			return DESK_RELEASE_INCONSISTENT;
	if (stats_cube_merge(b->cube, RELEASE_MERGE_GROUP,
	    (const char *const *)b->merge.ids, b->merge.n) == -1) {
		log_warnx("%s: the merge map of %s does not fit", __func__,
		    b->year);
		return DESK_RELEASE_INCONSISTENT;
	}
	return DESK_OK;
}

/*
 * The sibling outcome family of this quarter, if already released: made
 * by the same method, and still agreeing with the data. A dp sibling binds
 * nothing (its budget is its own).
 */
static enum desk_result
release_earlier(struct release_build *b)
{
	struct db_param			 p[2];
	PGresult			*res;
	const char			*json;
	const struct release_family	*sib;
	enum desk_result		 r = DESK_OK;

	if (b->family->sibling == NULL ||
	    (sib = release_family(b->family->sibling)) == NULL)
		return DESK_OK;
	p[0] = (struct db_param)DB_P_TEXT(sib->id);
	p[1] = (struct db_param)DB_P_TEXT(b->quarter);
	if ((res = db_exec(DB_STATS_RELEASE_FIND, nitems(p), p, NULL)) == NULL)
		return DESK_UNAVAILABLE;
	if (PQntuples(res) == 1) {
		if (strcmp(db_get_text(res, 0, STATS_RELEASE_METHOD),
		    config_stats_method_name(app.cfg->stats_method)) != 0)
			r = DESK_RELEASE_METHOD_CHANGED;
		else if (!b->dp) {
			json = db_get_text(res, 0, STATS_RELEASE_JSON);
			if (stats_table_parse(b->cube, sib->row_dim,
			    sib->col_dim, json, strlen(json),
			    &b->earlier) == -1)
				r = DESK_RELEASE_INCONSISTENT;
			else if (!stats_table_agrees(b->earlier, b->cube))
				r = DESK_RELEASE_DATA_CHANGED;
		}
	}
	PQclear(res);
	if (r != DESK_OK)
		log_warnx("%s: %s %s: %s", __func__, b->family->id, b->quarter,
		    release_text(r));
	return r;
}

void
release_build_free(struct release_build *b)
{
	size_t i;

	for (i = 0; i < RELEASE_DIMS; i++)
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
	pgarray_free(&b->limited);
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
		ncap = a->caphid ? 2 * a->caphid : RELEASE_HIDDEN_FIRST;
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
	struct release_account	*a;
	PGresult		*res;
	size_t			 i, n;
	int			 rc = 0;

	if ((res = db_exec(DB_STATS_ACCOUNTS, 0, NULL, NULL)) == NULL)
		return -1;
	n = (size_t)PQntuples(res);
	if ((b->accounts = calloc(n + 1, sizeof(*b->accounts))) == NULL)
		rc = -1;
	for (i = 0; rc == 0 && i < n; i++) {
		a = &b->accounts[b->naccounts++];
		if ((a->id = strdup(db_get_text(res, (int)i,
		    STATS_ACCOUNTS_ID))) == NULL ||
		    release_ids_split(&a->orgs, db_get_text(res, (int)i,
		    STATS_ACCOUNTS_ORGANISATIONS)) == -1 ||
		    release_ids_split(&a->topics, db_get_text(res, (int)i,
		    STATS_ACCOUNTS_TOPICS)) == -1)
			rc = -1;
	}
	PQclear(res);
	return rc;
}

/* Cases excluded by the reporter: per account, in byte order of its id. */
static int
release_excluded(struct release_build *b)
{
	const struct release_cube *cube = b->family->cube;
	struct db_param		 q[3] = { DB_P_TEXT(b->first),
	    DB_P_TEXT(b->last), DB_P_TEXT(b->quarter) };
	struct db_param		 o[1] = { DB_P_TEXT(b->quarter) };
	const PGresult		*res;
	const char		*ids[STATS_MAX_DIMS];
	size_t			 i = 0, d;
	int			 row, c = 1;

	if (cube->kind == RELEASE_INTAKE)
		b->hidden_res = db_exec(cube->hidden, nitems(q), q, NULL);
	else
		b->hidden_res = db_exec(cube->hidden, nitems(o), o, NULL);
	if ((res = b->hidden_res) == NULL)
		return -1;
	for (row = 0; row < PQntuples(res); row++) {
		while (i < b->naccounts && (c = strcmp(b->accounts[i].id,
		    db_get_text(res, row, cube->hidden_account))) < 0)
			i++;
		if (i == b->naccounts)
			break;
		if (c > 0)
			continue;
		for (d = 0; d < b->ndims; d++)
			ids[d] = db_get_text(res, row, cube->hidden_dim[d]);
		if (release_hide(&b->accounts[i], ids, b->ndims,
		    (uint64_t)db_get_int(res, row, cube->hidden_n)) == -1)
			return -1;
	}
	return 0;
}

/*
 * b->limited: the organisations of the accounts limited to some topics
 * (b->limited_any: there are such accounts); the outcome count splits
 * their facts by topic. Adds to the array release_read began.
 */
static void
release_limited(struct release_build *b)
{
	const struct release_account	*a;
	size_t				 i, d;

	for (i = 0; i < b->naccounts; i++)
		if (!release_all(&b->accounts[i].topics))
			break;
	if (i == b->naccounts)
		return;
	b->limited_any = 1;
	for (d = 0; d < b->dims[0].n; d++)
		for (i = 0; i < b->naccounts; i++) {
			a = &b->accounts[i];
			if (release_all(&a->topics) ||
			    !release_has(&a->orgs, b->dims[0].ids[d]))
				continue;
			pgarray_add_text(&b->limited, b->dims[0].ids[d]);
			break;
		}
}

/*
 * Cases of topics outside an account's scope, from the cube's own rows:
 * the intake's are per topic; the outcome's are for the organisations of
 * limited accounts (release_limited).
 */
static int
release_topics(struct release_build *b)
{
	const struct release_cube *cube = b->family->cube;
	struct release_account	*a;
	const PGresult		*res = b->counts;
	const char		*ids[STATS_MAX_DIMS], *topic;
	size_t			 i, d;
	int			 row;

	if (!b->limited_any && cube->kind == RELEASE_OUTCOME)
		return 0;
	for (row = 0; row < PQntuples(res); row++) {
		if (db_is_null(res, row, cube->count_topic))
			continue;
		topic = db_get_text(res, row, cube->count_topic);
		for (d = 0; d < b->ndims; d++)
			ids[d] = db_get_text(res, row, cube->count_dim[d]);
		for (i = 0; i < b->naccounts; i++) {
			a = &b->accounts[i];
			if (release_all(&a->topics) ||
			    release_has(&a->topics, topic) ||
			    !release_has(&a->orgs, ids[0]))
				continue;
			if (release_hide(a, ids, b->ndims, (uint64_t)db_get_int(
			    res, row, cube->count_n)) == -1)
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

/* Everything a release is computed from, inside release_prepare's
 * transaction. */
static enum desk_result
release_read(struct release_build *b)
{
	enum desk_result r;

	if ((r = release_load_dims(b)) != DESK_OK ||
	    (r = release_new_cube(b)) != DESK_OK)
		return r;
	/* The accounts first: the outcome count splits by topic the
	 * organisations of those limited to some topics. */
	if (!b->dp && release_accounts(b) == -1)
		return DESK_UNAVAILABLE;
	if (!b->dp)
		release_limited(b);
	if (pgarray_finish(&b->limited) == -1)
		return DESK_UNAVAILABLE;
	if ((r = release_fill_cube(b)) != DESK_OK ||
	    (r = release_merge(b)) != DESK_OK ||
	    (r = release_earlier(b)) != DESK_OK)
		return r;
	if (!b->dp && release_scopes(b) == -1)
		return DESK_UNAVAILABLE;
	return DESK_OK;
}

enum desk_result
release_prepare(struct release_build *b)
{
	enum desk_result	 r;
	PGresult		*res;

	pgarray_init(&b->limited, PGARRAY_TEXT);
	if (db_begin(NULL) == -1)
		return DESK_UNAVAILABLE;
	if ((res = db_exec(DB_STATS_SESSION, 0, NULL, NULL)) == NULL)
		r = DESK_UNAVAILABLE;
	else
		r = release_read(b);
	PQclear(res);
	if (r == DESK_OK && db_commit(NULL) == -1)
		r = DESK_UNAVAILABLE;
	if (r != DESK_OK)
		db_rollback();
	return r;
}
