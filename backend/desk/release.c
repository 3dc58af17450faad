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
 * The files of the module: this one (the families, the lock, stored
 * releases, the command line), release_read.c (what a release is computed
 * from, and who knows what), release_compute.c (suppression or noise, and
 * storing); release_build.h is what they share.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "app.h"
#include "audit.h"
#include "config.h"
#include "db.h"
#include "json_out.h"
#include "log.h"
#include "release.h"
#include "release_build.h"
#include "rows.h"
#include "secrets.h"
#include "sizes.h"

#define RELEASE_MAX_WAITING	8	/* per process: 1/8 of the default threads */

static const char *const release_dims_intake[] = { "organisation", "topic" };
static const char *const release_dims_outcome[] = { "organisation", "outcome",
    "category", "ground" };

static const struct release_cube release_intake = {
	RELEASE_INTAKE, "intake",
	release_dims_intake, nitems(release_dims_intake),
	DB_STATS_INTAKE,
	{ STATS_INTAKE_ORGANISATION, STATS_INTAKE_TOPIC },
	STATS_INTAKE_COUNT, STATS_INTAKE_TOPIC,
	DB_STATS_HIDDEN_INTAKE, STATS_HIDDEN_INTAKE_ACCOUNT,
	{ STATS_HIDDEN_INTAKE_ORGANISATION, STATS_HIDDEN_INTAKE_TOPIC },
	STATS_HIDDEN_INTAKE_COUNT
};

static const struct release_cube release_outcome = {
	RELEASE_OUTCOME, "outcome",
	release_dims_outcome, nitems(release_dims_outcome),
	DB_STATS_OUTCOME,
	{ STATS_OUTCOME_ORGANISATION, STATS_OUTCOME_OUTCOME,
	    STATS_OUTCOME_CATEGORY, STATS_OUTCOME_GROUND },
	STATS_OUTCOME_COUNT, STATS_OUTCOME_TOPIC,
	DB_STATS_HIDDEN_OUTCOME, STATS_HIDDEN_OUTCOME_ACCOUNT,
	{ STATS_HIDDEN_OUTCOME_ORGANISATION, STATS_HIDDEN_OUTCOME_OUTCOME,
	    STATS_HIDDEN_OUTCOME_CATEGORY, STATS_HIDDEN_OUTCOME_GROUND },
	STATS_HIDDEN_OUTCOME_COUNT
};

static const struct release_family release_families[] = {
	{ "intake_org_topic", &release_intake, 0, 1, NULL },
	{ "outcome_category_outcome", &release_outcome, 2, 1,
	    "outcome_category_ground" },
	{ "outcome_category_ground", &release_outcome, 2, 3,
	    "outcome_category_outcome" },
};

const size_t release_nfamilies = nitems(release_families);

static const struct {
	enum desk_result	 r;
	const char		*text;
} release_texts[] = {
	{ DESK_OK, "the release is stored" },
	{ DESK_RELEASE_BAD_FAMILY, "there is no such table family" },
	{ DESK_RELEASE_BAD_QUARTER, "a quarter is written YYYYQn" },
	{ DESK_RELEASE_OPEN_QUARTER, "the quarter has not ended yet" },
	{ DESK_NOT_FOUND, "there is no such release" },
	{ DESK_RELEASE_UNSAFE, "the release cannot be published safely" },
	{ DESK_RELEASE_BUDGET_SPENT,
	    "the privacy budget of this release has been spent" },
	{ DESK_RELEASE_OVER_BUDGET,
	    "the configured epsilon exceeds the privacy budget of 2 per case" },
	{ DESK_RELEASE_WITHDRAWN,
	    "this release was computed before and is no longer stored; "
	    "it is not computed again" },
	{ DESK_RELEASE_DATA_CHANGED,
	    "the quarter's data no longer agree with its other outcome "
	    "release" },
	{ DESK_RELEASE_METHOD_CHANGED,
	    "the quarter's other outcome release was made with the other "
	    "method" },
	{ DESK_RELEASE_INCONSISTENT,
	    "the counted cases do not fit the quarter's organisations and "
	    "vocabulary" },
	{ DESK_RELEASE_BUSY,
	    "another release is being computed; try again shortly" },
	{ DESK_UNAVAILABLE, "the database is unavailable" },
};

static int release_waiting;	/* __atomic: requests in release_locked */

const char *
release_text(enum desk_result r)
{
	size_t i;

	for (i = 0; i < nitems(release_texts); i++)
		if (release_texts[i].r == r)
			return release_texts[i].text;
	return "the release failed";
}

const struct release_family *
release_family(const char *id)
{
	size_t i;

	for (i = 0; i < nitems(release_families); i++)
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

static enum desk_result
release_fetch(enum db_stmt stmt, int n, const struct db_param *p,
    struct release *out)
{
	PGresult		*res;
	enum desk_result	 r = DESK_NOT_FOUND;

	memset(out, 0, sizeof(*out));
	if ((res = db_exec(stmt, n, p, NULL)) == NULL)
		return DESK_UNAVAILABLE;
	if (PQntuples(res) == 1) {
		out->id = strdup(db_get_text(res, 0, STATS_RELEASE_ID));
		out->json = strdup(db_get_text(res, 0, STATS_RELEASE_JSON));
		out->csv = strdup(db_get_text(res, 0, STATS_RELEASE_CSV));
		r = out->id && out->json && out->csv ? DESK_OK :
		    DESK_UNAVAILABLE;
		if (r != DESK_OK)
			release_free(out);
	}
	PQclear(res);
	return r;
}

/* Under the desk's stats lock: the stored release, or a new one. */
static enum desk_result
release_locked(const char *family, const char *quarter, int wait_ms,
    struct release *out)
{
	struct db_param		 p[2] = { DB_P_TEXT(family), DB_P_TEXT(quarter) };
	struct db_param		 w[1] = { DB_P_INT(wait_ms) };
	PGresult		*res;
	enum desk_result	 r;
	int			 granted;

	if ((res = db_exec(DB_STATS_LOCK, nitems(w), w, NULL)) == NULL)
		return DESK_UNAVAILABLE;
	granted = PQntuples(res) == 1 &&
	    db_get_bool(res, 0, STATS_LOCK_GRANTED);
	PQclear(res);
	if (!granted)
		return DESK_RELEASE_BUSY;
	r = release_fetch(DB_STATS_RELEASE_FIND, nitems(p), p, out);
	if (r == DESK_NOT_FOUND &&
	    (r = release_compute(family, quarter)) == DESK_OK)
		r = release_fetch(DB_STATS_RELEASE_FIND, nitems(p), p, out);
	if ((res = db_exec(DB_STATS_UNLOCK, 0, NULL, NULL)) == NULL)
		log_warnx("%s: could not unlock (the connection is gone, and "
		    "the lock with it)", __func__);
	PQclear(res);
	return r;
}

enum desk_result
release_get(const char *family, const char *quarter, int wait_ms,
    struct release *out)
{
	struct db_param		 p[2] = { DB_P_TEXT(family), DB_P_TEXT(quarter) };
	char			 first[11], last[11];
	enum desk_result	 r;

	memset(out, 0, sizeof(*out));
	if (release_family(family) == NULL)
		return DESK_RELEASE_BAD_FAMILY;
	if (!release_quarter_closed(quarter, time(NULL)))
		return release_quarter_bounds(quarter, first, last) == -1 ?
		    DESK_RELEASE_BAD_QUARTER : DESK_RELEASE_OPEN_QUARTER;
	r = release_fetch(DB_STATS_RELEASE_FIND, nitems(p), p, out);
	if (r != DESK_NOT_FOUND)
		return r;
	/* A few requests per process may wait; more are told to retry. */
	if (__atomic_add_fetch(&release_waiting, 1, __ATOMIC_SEQ_CST) >
	    RELEASE_MAX_WAITING)
		r = DESK_RELEASE_BUSY;
	else
		r = release_locked(family, quarter, wait_ms, out);
	__atomic_sub_fetch(&release_waiting, 1, __ATOMIC_SEQ_CST);
	return r;
}

enum desk_result
release_audit(const char *account_id, const char *id, const char *format)
{
	cJSON *extra;

	if ((extra = audit_extra("release", id)) == NULL ||
	    json_add_str(extra, "format", format) == -1) {
		cJSON_Delete(extra);
		return DESK_UNAVAILABLE;
	}
	return audit_record("stats_export", account_id, extra) == -1 ?
	    DESK_UNAVAILABLE : DESK_OK;
}

enum desk_result
release_by_id(const char *id, struct release *out)
{
	struct db_param p[1] = { DB_P_TEXT(id) };

	return release_fetch(DB_STATS_RELEASE_BY_ID, nitems(p), p, out);
}

cJSON *
release_list(void)
{
	static const char *const names[STATS_RELEASES_NCOLS] = {
		[STATS_RELEASES_ID] = "id",
		[STATS_RELEASES_FAMILY] = "family",
		[STATS_RELEASES_QUARTER] = "quarter",
		[STATS_RELEASES_METHOD] = "method",
		[STATS_RELEASES_CREATED_ON] = "created_on",
	};
	PGresult	*res;
	cJSON		*out;

	if ((res = db_exec(DB_STATS_RELEASES, 0, NULL, NULL)) == NULL)
		return NULL;
	if ((out = cJSON_CreateObject()) == NULL ||
	    json_add_item(out, "releases", rows_json(res, names,
	    nitems(names))) == -1) {
		cJSON_Delete(out);
		out = NULL;
	}
	PQclear(res);
	return out;
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
	struct release		 rel;
	enum desk_result	 r;
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
	r = release_get(family, quarter, RELEASE_WAIT_CLI, &rel);
	if (r == DESK_OK) {
		rc = fputs(strcmp(format, "csv") == 0 ? rel.csv : rel.json,
		    stdout) < 0;
		if (strcmp(format, "json") == 0 && putchar('\n') == EOF)
			rc = 1;
	} else {
		log_warnx("stats: no release: %s", release_text(r));
		rc = 1;
	}
	release_free(&rel);
	db_thread_end();
	secrets_free((struct secrets *)app.secrets);
	app.secrets = NULL;
	return rc;
}
