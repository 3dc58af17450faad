/*
 * fuzz_stats_table.c - a stored release read back with stats_table_parse
 * (backend/stats.c), as release.c reads the sibling family of a quarter
 * before computing the next one.
 *
 * The input is parsed as each of the three families the desk publishes,
 * over cubes shaped like release.c's: intake (organisation x topic, with a
 * merge map) and outcome (category x outcome, category x ground). Besides
 * memory safety and leaks, for every family that accepts the input:
 *   - the table renders to JSON (stats_table_json, with the metadata the
 *     input carried) and to CSV;
 *   - that JSON says exactly what the input said (same keys and values,
 *     compared as JSON), so nothing was dropped or misread.
 */
#include <string.h>

#include <cjson/cJSON.h>

#include "fuzz.h"
#include "stats.h"

struct family {
	int	cube;		/* index into cubes */
	size_t	row_dim, col_dim;
};

static const char *const orgs[] = {
	"az", "bzk", "def", "fin", "ienw", "jenv", "vws",
};
static const char *const topics[] = {
	"discrimination", "harassment", "integrity", "racism",
};
static const char *const merged[] = { "az", "ienw", "lnv" };
static const char *const outcome_orgs[] = { "bzk", "fin", "vws" };
static const char *const outcomes[] = { "closed", "ongoing", "referred" };
static const char *const categories[] = { "discrimination", "racism" };
static const char *const grounds[] = { "age", "not_applicable", "origin" };

#define N(a)	(sizeof(a) / sizeof((a)[0]))

static const struct family families[] = {
	{ 0, 0, 1 },	/* intake_org_topic */
	{ 1, 2, 1 },	/* outcome_category_outcome */
	{ 1, 2, 3 },	/* outcome_category_ground */
};

static struct stats_cube *cubes[2];

/* The cubes of the families (no counts: parsing does not read them). */
static void
fuzz_cubes_make(void)
{
	const struct stats_dim intake[] = {
		{ "organisation", orgs, N(orgs) },
		{ "topic", topics, N(topics) },
	};
	const struct stats_dim outcome[] = {
		{ "organisation", outcome_orgs, N(outcome_orgs) },
		{ "outcome", outcomes, N(outcomes) },
		{ "category", categories, N(categories) },
		{ "ground", grounds, N(grounds) },
	};

	FUZZ_CHECK(stats_cube_new(&cubes[0], intake, N(intake)) == 0);
	FUZZ_CHECK(stats_cube_merge(cubes[0], "other_organisations", merged,
	    N(merged)) == 1);
	FUZZ_CHECK(stats_cube_new(&cubes[1], outcome, N(outcome)) == 0);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_cubes_make();
	return 0;
}

/* The string under key in obj (the parser accepted it, so it is one). */
static const char *
string_of(const cJSON *obj, const char *key)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);

	FUZZ_CHECK(cJSON_IsString(item));
	return item->valuestring;
}

/* A table parsed from text renders back to what text says. */
static void
check_table(const struct stats_table *t, const char *text, size_t len)
{
	struct stats_meta	 meta;
	cJSON			*in, *out;
	char			*json, *csv;
	size_t			 jsonlen, csvlen;

	FUZZ_CHECK((in = cJSON_ParseWithLength(text, len)) != NULL);
	meta.id = string_of(in, "id");
	meta.family = string_of(in, "family");
	meta.quarter = string_of(in, "quarter");
	meta.created_on = string_of(in, "created_on");
	FUZZ_CHECK(stats_table_method(t) == STATS_METHOD_SUPPRESSION);
	FUZZ_CHECK(stats_table_json(t, &meta, &json, &jsonlen) == 0);
	FUZZ_CHECK(jsonlen == strlen(json));
	FUZZ_CHECK((out = cJSON_ParseWithLength(json, jsonlen)) != NULL);
	FUZZ_CHECK(cJSON_Compare(in, out, 1));
	FUZZ_CHECK(stats_table_csv(t, &meta, &csv, &csvlen) == 0);
	FUZZ_CHECK(csvlen == strlen(csv));
	free(csv);
	cJSON_Delete(out);
	free(json);
	cJSON_Delete(in);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct stats_table	*t;
	char			*text;
	size_t			 i;

	/* release.c passes the stored text, NUL-terminated, and its length. */
	if ((text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	for (i = 0; i < N(families); i++) {
		if (stats_table_parse(cubes[families[i].cube],
		    families[i].row_dim, families[i].col_dim, text, size,
		    &t) == -1) {
			FUZZ_CHECK(t == NULL);
			continue;
		}
		check_table(t, text, size);
		stats_table_free(t);
	}
	free(text);
	return 0;
}
