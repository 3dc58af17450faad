/*
 * release.h - statistics releases (SPEC 6): one table family for one
 * closed quarter, computed once from the database, stored, and returned
 * byte-identical afterwards.
 */
#ifndef MELDPUNT_RELEASE_H
#define MELDPUNT_RELEASE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "result.h"

struct config;
struct cJSON;

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
 * the first. Returns DESK_OK with *out filled (release_free), or the
 * refusal: DESK_BAD_FAMILY, DESK_BAD_QUARTER, DESK_OPEN_QUARTER, one of
 * the statistics section of result.h, DESK_UNAVAILABLE.
 */
enum desk_result release_get(const char *family, const char *quarter,
	    int wait_ms, struct release *out);

/* release_by_id: the stored release id: DESK_OK with *out filled
 * (release_free), DESK_NOT_FOUND or DESK_UNAVAILABLE. */
enum desk_result release_by_id(const char *id, struct release *out);

/*
 * release_audit: the export of release id in format ("json" or "csv") to
 * the account, in the audit log (SPEC 6: every export is). DESK_OK or
 * DESK_UNAVAILABLE.
 */
enum desk_result release_audit(const char *account_id, const char *id,
	    const char *format);

/*
 * release_list: {"releases": [{"id","family","quarter","method",
 * "created_on"}, ..]} in order of quarter and family, or NULL (the
 * database or memory failed).
 */
struct cJSON *release_list(void);

/* release_free: free what r holds (r itself may be NULL); r is zeroed. */
void	release_free(struct release *r);

/*
 * release_text: one sentence saying why there is no release (the CLI's
 * complaint and the API's message); a constant without quotes.
 */
const char *release_text(enum desk_result r);

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

/*
 * release_epsilon_fits: 1 if a DP epsilon of num/den per release keeps a
 * case within the budget (every family released once: families x epsilon
 * at most 2), else 0. The check mode reports a setting that does not fit;
 * a release with it is refused (over_budget). Pure.
 */
int	release_epsilon_fits(uint32_t num, uint32_t den);

#endif
