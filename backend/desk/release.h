/*
 * release.h - statistics releases (SPEC 6): one table family for one
 * closed quarter, computed once from the database, stored, and returned
 * byte-identical afterwards.
 */
#ifndef MELDPUNT_RELEASE_H
#define MELDPUNT_RELEASE_H

#include <stddef.h>
#include <time.h>

struct config;
struct cJSON;

/* Each refusal has its own status, text and reason (release_status_*). */
enum release_status {
	RELEASE_OK,
	RELEASE_BAD_FAMILY,	/* not a configured family */
	RELEASE_BAD_QUARTER,	/* not YYYYQn */
	RELEASE_OPEN_QUARTER,	/* the quarter has not ended */
	RELEASE_NOT_FOUND,	/* no release with that id */
	RELEASE_UNSAFE,		/* cannot be published safely */
	RELEASE_BUDGET_SPENT,	/* dp: this release's budget was spent */
	RELEASE_OVER_BUDGET,	/* dp: epsilon x families exceeds 2 */
	RELEASE_WITHDRAWN,	/* stored once, gone now: never again */
	RELEASE_DATA_CHANGED,	/* the data no longer agree with the sibling */
	RELEASE_METHOD_CHANGED,	/* the sibling was released by the other method */
	RELEASE_INCONSISTENT,	/* counted cases outside the frozen domain */
	RELEASE_BUSY,		/* another release is being computed */
	RELEASE_UNAVAILABLE	/* database or memory failure */
};

/* A stored release; free with release_free. */
struct release {
	char	*id;
	char	*json;
	char	*csv;
};

/* How long a request waits for another computation (milliseconds). */
#define RELEASE_WAIT_HTTP	20000
#define RELEASE_WAIT_CLI	600000

/*
 * release_get: the release of family for quarter, computing and storing it
 * first if there is none. One release is computed at a time for the whole
 * desk (an advisory lock in PostgreSQL, waited for at most wait_ms, and at
 * most a few waiting requests per process); the stored release is looked
 * up again under the lock, so concurrent requests all get the bytes of the
 * first, and the second outcome family is always protected jointly with
 * the first. Returns RELEASE_OK with *out filled (release_free), or the
 * refusal.
 */
enum release_status release_get(const struct config *cfg, const char *family,
	    const char *quarter, int wait_ms, struct release *out);

/* release_by_id: a stored release. */
enum release_status release_by_id(const char *id, struct release *out);

/* release_list: [{"id","family","quarter","method","created_on"}], or NULL. */
struct cJSON *release_list(void);

void	release_free(struct release *r);

/* release_status_text: one sentence for a status (the CLI and the API's
 * message); release_status_reason: a slug for the API's "reason". */
const char *release_status_text(enum release_status st);
const char *release_status_reason(enum release_status st);

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
