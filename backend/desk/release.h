/*
 * release.h - statistics releases (SPEC section 6): one table family for
 * one closed quarter, computed once from the database, stored, and
 * returned byte-identical afterwards.
 */
#ifndef MELDPUNT_RELEASE_H
#define MELDPUNT_RELEASE_H

#include <stddef.h>
#include <time.h>

struct config;
struct cJSON;

enum release_status {
	RELEASE_OK,
	RELEASE_BAD_FAMILY,	/* not a configured family */
	RELEASE_BAD_QUARTER,	/* not YYYYQn */
	RELEASE_OPEN_QUARTER,	/* the quarter has not ended */
	RELEASE_NOT_FOUND,	/* no release with that id */
	RELEASE_REFUSED,	/* cannot be published safely (or budget spent) */
	RELEASE_UNAVAILABLE	/* database or memory failure */
};

/* A stored release; free with release_free. */
struct release {
	char	*id;
	char	*json;
	char	*csv;
};

/*
 * release_get: the release of family for quarter, computing and storing it
 * first if there is none. A concurrent computation loses to the first one
 * stored, so every caller sees the same bytes.
 */
enum release_status release_get(const struct config *cfg, const char *family,
	    const char *quarter, struct release *out);

/* release_by_id: a stored release. */
enum release_status release_by_id(const char *id, struct release *out);

/* release_list: [{"id","family","quarter","method","created_on"}], or NULL. */
struct cJSON *release_list(void);

void	release_free(struct release *r);

/* release_cli: "stats release --family F --quarter Q [--format json|csv]";
 * argv[0] is "stats". Returns the exit status (2: usage). */
int	release_cli(const struct config *cfg, int argc, char **argv);

/*
 * release_quarter_bounds: first and last day ("YYYY-MM-DD") of quarter
 * "YYYYQn". 0, or -1 if quarter is malformed. Pure.
 */
int	release_quarter_bounds(const char *quarter, char first[11],
	    char last[11]);

/* release_quarter_closed: 1 if quarter ended before the UTC day of now. */
int	release_quarter_closed(const char *quarter, time_t now);

#endif
