/*
 * release.c - statistics releases from the database.
 *
 * Families (SPEC 6) and the cubes behind them:
 *   intake_org_topic		cube organisation x topic of the cases
 *				received in the quarter; family (0, 1)
 *   outcome_category_outcome	cube organisation x outcome x category x
 *   outcome_category_ground	ground of the facts stored at first closing
 *				in the quarter; families (2, 1) and (2, 3)
 * The two outcome families count the same cases, so whichever is released
 * second is protected jointly with the first (an "earlier release").
 * Organisations below the merge headcount form one group for the whole
 * calendar year, fixed the first time that year is released.
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
#define RELEASE_NO_GROUND	"not_applicable"

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

/* The value ids of one dimension, owned. */
struct release_ids {
	char	**ids;
	size_t	  n;
};

struct release_build {
	const struct release_family	*family;
	const char			*quarter;
	char				 first[11], last[11];
	struct release_ids		 dims[4];
	struct stats_cube		*cube;
	struct release_ids		 merge;
	struct release_ids		*scopes;
	size_t				 nscopes;
	struct stats_table		*earlier;
};

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

/* Column col of every row of res, plus extra (may be NULL), sorted. */
static int
release_ids_from(struct release_ids *r, const PGresult *res, int col,
    const char *extra)
{
	int	 i, n = PQntuples(res);
	size_t	 cap = (size_t)n + 1;

	if ((r->ids = calloc(cap, sizeof(char *))) == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if ((r->ids[r->n++] = strdup(db_get_text(res, i, col))) == NULL)
			return -1;
	if (extra != NULL && (r->ids[r->n++] = strdup(extra)) == NULL)
		return -1;
	for (i = 1; i < (int)r->n; i++) {	/* insertion sort, byte order */
		char *v = r->ids[i];
		int j = i - 1;

		while (j >= 0 && strcmp(r->ids[j], v) > 0) {
			r->ids[j + 1] = r->ids[j];
			j--;
		}
		r->ids[j + 1] = v;
	}
	return 0;
}

static int
release_ids_query(struct release_ids *r, enum db_stmt stmt, int n,
    const struct db_param *p, const char *extra)
{
	PGresult	*res;
	int		 rc;

	if ((res = db_exec(stmt, n, p, NULL)) == NULL)
		return -1;
	rc = release_ids_from(r, res, 0, extra);
	PQclear(res);
	return rc;
}

static int
release_load_dims(struct release_build *b)
{
	struct db_param	 q[2] = { DB_P_TEXT(b->first), DB_P_TEXT(b->last) };
	struct db_param	 k[3][1] = {
		{ DB_P_TEXT("outcome") }, { DB_P_TEXT("category") },
		{ DB_P_TEXT("ground") },
	};

	if (release_ids_query(&b->dims[0], DB_STATS_ORGS, 2, q, NULL) == -1)
		return -1;
	if (b->family->kind == RELEASE_INTAKE)
		return release_ids_query(&b->dims[1], DB_STATS_TOPICS, 0, NULL,
		    NULL);
	if (release_ids_query(&b->dims[1], DB_STATS_VOCAB, 1, k[0], NULL) == -1 ||
	    release_ids_query(&b->dims[2], DB_STATS_VOCAB, 1, k[1], NULL) == -1)
		return -1;
	return release_ids_query(&b->dims[3], DB_STATS_VOCAB, 1, k[2],
	    RELEASE_NO_GROUND);
}

static int
release_new_cube(struct release_build *b)
{
	static const char *const intake[] = { "organisation", "topic" };
	static const char *const outcome[] = { "organisation", "outcome",
	    "category", "ground" };
	struct stats_dim	 dims[4];
	size_t			 i, n = b->family->kind == RELEASE_INTAKE ? 2 : 4;

	for (i = 0; i < n; i++) {
		if (b->dims[i].n == 0)
			return -1;
		dims[i].name = b->family->kind == RELEASE_INTAKE ? intake[i] :
		    outcome[i];
		dims[i].ids = (const char *const *)b->dims[i].ids;
		dims[i].nids = b->dims[i].n;
	}
	return stats_cube_new(&b->cube, dims, n);
}

/* Fill the cube with the quarter's counts (last column of each row). */
static int
release_fill_cube(struct release_build *b)
{
	struct db_param	 q[2] = { DB_P_TEXT(b->first), DB_P_TEXT(b->last) };
	struct db_param	 o[1] = { DB_P_TEXT(b->quarter) };
	const char	*ids[4];
	PGresult	*res;
	int		 i, j, ndims, rc = 0;

	if (b->family->kind == RELEASE_INTAKE) {
		res = db_exec(DB_STATS_INTAKE, 2, q, NULL);
		ndims = 2;
	} else {
		res = db_exec(DB_STATS_OUTCOME, 1, o, NULL);
		ndims = 4;
	}
	if (res == NULL)
		return -1;
	for (i = 0; i < PQntuples(res) && rc == 0; i++) {
		for (j = 0; j < ndims; j++)
			ids[j] = db_get_text(res, i, j);
		rc = stats_cube_add_ids(b->cube, ids,
		    (uint64_t)db_get_int(res, i, ndims));
		if (rc == -1)
			log_warnx("%s: a counted case lies outside the domain",
			    __func__);
	}
	PQclear(res);
	return rc;
}

/* The year's merge map: stored, or chosen by headcount now and stored. */
static int
release_merge(struct release_build *b)
{
	char		 year[5];
	struct db_param	 y[1] = { DB_P_TEXT(year) };
	PGresult	*res;
	int		 i;

	snprintf(year, sizeof(year), "%.4s", b->quarter);
	if (release_ids_query(&b->merge, DB_STATS_MERGE_MAP, 1, y, NULL) == -1)
		return -1;
	if (b->merge.n == 0) {
		struct db_param p[2] = { DB_P_TEXT(year),
		    DB_P_INT(app.cfg->stats_merge_headcount) };

		if ((res = db_exec(DB_STATS_MERGE_FIX, 2, p, NULL)) == NULL)
			return -1;
		PQclear(res);
		release_ids_free(&b->merge);
		if (release_ids_query(&b->merge, DB_STATS_MERGE_MAP, 1, y,
		    NULL) == -1)
			return -1;
	}
	for (i = 0; i < (int)b->merge.n; i++)
		if (strcmp(b->merge.ids[i], RELEASE_MERGE_GROUP) == 0)
			return -1;
	return stats_cube_merge(b->cube, RELEASE_MERGE_GROUP,
	    (const char *const *)b->merge.ids, b->merge.n) == -1 ? -1 : 0;
}

/* Coordinator scopes: each active coordinator's organisation list. */
static int
release_scopes(struct release_build *b)
{
	PGresult	*res;
	const char	*s, *comma;
	size_t		 i, n, len;

	if ((res = db_exec(DB_STATS_SCOPES, 0, NULL, NULL)) == NULL)
		return -1;
	n = (size_t)PQntuples(res);
	if ((b->scopes = calloc(n + 1, sizeof(*b->scopes))) == NULL) {
		PQclear(res);
		return -1;
	}
	for (i = 0; i < n; i++) {
		struct release_ids *r = &b->scopes[b->nscopes++];

		s = db_get_text(res, (int)i, 0);
		if ((r->ids = calloc(strlen(s) / 2 + 2, sizeof(char *))) == NULL)
			break;
		while (*s != '\0') {
			comma = strchr(s, ',');
			len = comma ? (size_t)(comma - s) : strlen(s);
			if ((r->ids[r->n++] = strndup(s, len)) == NULL)
				break;
			s += len + (comma != NULL);
		}
	}
	PQclear(res);
	return i == n ? 0 : -1;
}

/* The sibling outcome family of this quarter, if already released. */
static int
release_earlier(struct release_build *b)
{
	struct db_param	 p[2];
	PGresult	*res;
	const char	*json;
	int		 rc = 0;
	const struct release_family *sib;

	if (b->family->sibling == NULL ||
	    (sib = release_family(b->family->sibling)) == NULL)
		return 0;
	p[0] = (struct db_param)DB_P_TEXT(sib->id);
	p[1] = (struct db_param)DB_P_TEXT(b->quarter);
	if ((res = db_exec(DB_STATS_RELEASE_FIND, 2, p, NULL)) == NULL)
		return -1;
	if (PQntuples(res) == 1) {
		json = db_get_text(res, 0, 1);
		rc = stats_table_parse(b->cube, sib->row_dim, sib->col_dim, json,
		    strlen(json), &b->earlier);
	}
	PQclear(res);
	return rc;
}

static void
release_build_free(struct release_build *b)
{
	size_t i;

	for (i = 0; i < 4; i++)
		release_ids_free(&b->dims[i]);
	release_ids_free(&b->merge);
	for (i = 0; i < b->nscopes; i++)
		release_ids_free(&b->scopes[i]);
	free(b->scopes);
	stats_cube_free(b->cube);
	stats_table_free(b->earlier);
}

static int
release_prepare(struct release_build *b)
{
	if (release_load_dims(b) == -1 || release_new_cube(b) == -1 ||
	    release_fill_cube(b) == -1 || release_merge(b) == -1 ||
	    release_scopes(b) == -1 || release_earlier(b) == -1)
		return -1;
	return 0;
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
	struct stats_scope		*scopes;
	const struct stats_table	*earlier[1] = { b->earlier };
	char				*cert = NULL;
	size_t				 certlen = 0, i;
	enum release_status		 st = RELEASE_REFUSED;

	if ((scopes = calloc(b->nscopes + 1, sizeof(*scopes))) == NULL)
		return RELEASE_UNAVAILABLE;
	for (i = 0; i < b->nscopes; i++) {
		scopes[i].orgs = (const char *const *)b->scopes[i].ids;
		scopes[i].norgs = b->scopes[i].n;
	}
	memset(&args, 0, sizeof(args));
	args.cube = b->cube;
	args.row_dim = b->family->row_dim;
	args.col_dim = b->family->col_dim;
	args.k = (uint64_t)app.cfg->stats_k;
	args.earlier = earlier;
	args.nearlier = b->earlier != NULL;
	args.scopes = scopes;
	args.nscopes = b->nscopes;
	if (stats_suppress(&args, table, &cert, &certlen) == 0) {
		*sealed = release_seal(cert, certlen, sealed_len);
		st = *sealed != NULL ? RELEASE_OK : RELEASE_UNAVAILABLE;
	} else
		log_warnx("%s: %s %s cannot be published safely", __func__,
		    b->family->id, b->quarter);
	stats_certificate_free(cert, certlen);
	free(scopes);
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
	    (uint64_t)num * RELEASE_NFAMILIES > 2ULL * den) {
		log_warnx("%s: epsilon exceeds the per-case cap of 2", __func__);
		return RELEASE_REFUSED;
	}
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
		return RELEASE_REFUSED;
	return stats_release_dp(b->cube, b->family->row_dim,
	    b->family->col_dim, num, den, NULL, table) == 0 ? RELEASE_OK :
	    RELEASE_UNAVAILABLE;
}

static int
release_store(struct release_build *b, const struct stats_table *table,
    const unsigned char *sealed, size_t sealed_len)
{
	struct stats_meta	 meta;
	char			 id[96], today[11], *json = NULL, *csv = NULL;
	size_t			 jlen, clen;
	time_t			 now = time(NULL);
	struct tm		 tm;
	PGresult		*res;
	int			 rc = -1;

	snprintf(id, sizeof(id), "%s-%s", b->quarter, b->family->id);
	if (gmtime_r(&now, &tm) == NULL ||
	    strftime(today, sizeof(today), "%Y-%m-%d", &tm) != 10)
		return -1;
	meta.id = id;
	meta.family = b->family->id;
	meta.quarter = b->quarter;
	meta.created_on = today;
	if (stats_table_json(table, &meta, &json, &jlen) == 0 &&
	    stats_table_csv(table, &csv, &clen) == 0) {
		struct db_param p[8] = { DB_P_TEXT(id), DB_P_TEXT(b->family->id),
		    DB_P_TEXT(b->quarter), DB_P_TEXT(app.cfg->stats_method),
		    DB_P_TEXT(json), DB_P_TEXT(csv),
		    DB_P_BYTES(sealed, sealed_len), DB_P_TEXT(today) };

		if ((res = db_exec(DB_STATS_RELEASE_INSERT, 8, p, NULL)) != NULL) {
			PQclear(res);
			rc = 0;
		}
	}
	free(json);
	free(csv);
	return rc;
}

static enum release_status
release_compute(const char *family_id, const char *quarter)
{
	struct release_build	 b;
	struct stats_table	*table = NULL;
	unsigned char		*sealed = NULL;
	size_t			 sealed_len = 0;
	enum release_status	 st;
	int			 dp = strcmp(app.cfg->stats_method, "dp") == 0;

	memset(&b, 0, sizeof(b));
	b.family = release_family(family_id);
	b.quarter = quarter;
	if (release_quarter_bounds(quarter, b.first, b.last) == -1)
		return RELEASE_BAD_QUARTER;
	if (release_prepare(&b) == -1)
		st = RELEASE_UNAVAILABLE;
	else if (dp)
		st = release_dp(&b, &table);
	else
		st = release_suppress(&b, &table, &sealed, &sealed_len);
	if (st == RELEASE_OK && release_store(&b, table, sealed, sealed_len) == -1)
		st = RELEASE_UNAVAILABLE;
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

enum release_status
release_get(const struct config *cfg, const char *family, const char *quarter,
    struct release *out)
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
	if ((st = release_compute(family, quarter)) != RELEASE_OK)
		return st;
	return release_fetch(DB_STATS_RELEASE_FIND, 2, p, out);
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
 * print the release (computing and storing it first if needed).
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
	st = release_get(cfg, family, quarter, &r);
	if (st == RELEASE_OK) {
		rc = fputs(strcmp(format, "csv") == 0 ? r.csv : r.json, stdout) < 0;
		if (strcmp(format, "json") == 0 && putchar('\n') == EOF)
			rc = 1;
	} else {
		log_warnx("stats: no release (%s)", st == RELEASE_BAD_FAMILY ?
		    "unknown family" : st == RELEASE_BAD_QUARTER ? "bad quarter" :
		    st == RELEASE_OPEN_QUARTER ? "quarter not closed" :
		    st == RELEASE_REFUSED ? "cannot be published safely" :
		    "database unavailable");
		rc = 1;
	}
	release_free(&r);
	db_thread_end();
	secrets_free((struct secrets *)app.secrets);
	app.secrets = NULL;
	return rc;
}
