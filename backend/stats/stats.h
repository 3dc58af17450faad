/*
 * stats.h - anonymised statistics (SPEC section 6), the pure part: the
 * finest cross-table, table families as two-way marginals of it, the merge
 * map, primary and certified secondary suppression, the differential-
 * privacy variant, and the JSON and CSV renderings. No server, no database.
 *
 * Model
 *   A cube is the finest cross-table: non-negative counts over dimensions
 *   0..ndims-1, where dimension 0 is always the organisation. Its dimensions
 *   are listed as a chain: a family (a released table) is the marginal over
 *   two ADJACENT dimensions d and d+1 (rows and columns in either order),
 *   with row totals, column totals and the grand total. Chains give exact
 *   witnesses (see stats_suppress). Examples:
 *     intake:  organisation, topic		family (0, 1)
 *     outcome: organisation, outcome, category, ground
 *		families category x outcome (2, 1) and category x ground (2, 3)
 *   When a merge map is applied, the organisation rows of every family are
 *   the organisations outside the map plus one row for the merged group.
 *
 * Published values of a table are numbered: cells row-major (i * ncols + j),
 * then row totals (nrows * ncols + i), column totals (... + nrows + j),
 * then the grand total (last). A suppressed value reads STATS_SUPPRESSED.
 *
 * Ids (dimension names, value ids, group ids) are slugs: 1 to 64 bytes of
 * [a-z0-9_-], starting with [a-z0-9]; value ids of one dimension are unique
 * and sorted by byte order (SPEC section 0). Such ids need no escaping in
 * JSON or CSV and cannot start a spreadsheet formula.
 */
#ifndef MELDPUNT_STATS_H
#define MELDPUNT_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "stats_dp.h"

#define STATS_SUPPRESSED	(-1)		/* the one marker */
#define STATS_MAX_DIMS		5
#define STATS_MAX_IDS		256		/* values of one dimension */
#define STATS_MAX_CELLS		((size_t)1 << 20)	/* finest cells */
#define STATS_MAX_TOTAL		((uint64_t)1 << 40)	/* cases in a cube */
#define STATS_MAX_K		65536
#define STATS_MAX_SCOPES	65536
#define STATS_ID_MAX		64

enum stats_method { STATS_METHOD_SUPPRESSION, STATS_METHOD_DP };

struct stats_dim {
	const char		*name;		/* e.g. "organisation" */
	const char *const	*ids;		/* sorted, unique slugs */
	size_t			 nids;		/* 1 .. STATS_MAX_IDS */
};

struct stats_cube;
struct stats_table;

/*
 * stats_cube_new: an empty cube over dims[0..ndims-1] (2 <= ndims <=
 * STATS_MAX_DIMS, at most STATS_MAX_CELLS cells); dims[0] is the
 * organisation dimension (the organisations active that quarter). A
 * dimension may have no values at all (a quarter before any organisation
 * existed): the cube then has no cells and every release of it is empty
 * but well-formed. All strings are copied. Returns 0 and stores the cube
 * in *cubep (free with stats_cube_free), or -1 for invalid dimensions or
 * no memory.
 */
int	stats_cube_new(struct stats_cube **cubep, const struct stats_dim *dims,
	    size_t ndims);
void	stats_cube_free(struct stats_cube *cube);

/*
 * stats_cube_add: add n cases to the cell at coords[0..ndims-1] (value
 * indices). stats_cube_add_ids does the same by value ids. Returns 0, or -1
 * for a coordinate or id out of the domain or a cube total above
 * STATS_MAX_TOTAL (the cube is then unchanged).
 */
int	stats_cube_add(struct stats_cube *cube, const size_t *coords,
	    uint64_t n);
int	stats_cube_add_ids(struct stats_cube *cube, const char *const *ids,
	    uint64_t n);

/*
 * stats_cube_merge: apply the year's merge map: the organisations in
 * members[0..nmembers-1] (slugs; ones not active in this cube are allowed
 * and ignored) become one row with id group_id in every family that shows
 * organisations. A map of fewer than two organisations is not applied: each
 * organisation keeps its own row and its small counts are protected by
 * suppression alone. The group gets a row only when at least one member is
 * active in this cube (then also when only one is: the map is fixed for
 * the year and published, so the row shows whatever its active members
 * add up to). group_id must differ from every organisation id of the cube.
 * The map is kept either way, and every table of the cube publishes it
 * (stats_table_json, stats_table_csv). Call at most once, before
 * stats_suppress or stats_release_dp.
 * Returns 1 when the map was applied, 0 when it was not (fewer than two
 * members), -1 on invalid input, a second call or no memory.
 */
int	stats_cube_merge(struct stats_cube *cube, const char *group_id,
	    const char *const *members, size_t nmembers);

/*
 * stats_merge_select: mark merged[i] = 1 for every organisation i whose
 * headcount[i] is below threshold, else 0. Returns how many were marked.
 * The caller fixes the result as the map for a calendar year.
 */
size_t	stats_merge_select(const uint64_t *headcount, size_t norgs,
	    uint64_t threshold, unsigned char *merged);

/* Cases of a scope's organisations that its holder cannot see: n cases in
 * the finest cell named by one value id per dimension of the cube. */
struct stats_hidden {
	const char	*ids[STATS_MAX_DIMS];
	uint64_t	 n;
};

/*
 * A scope: what one insider can count. The holder knows every case of the
 * organisations orgs[0..norgs-1] except the hidden ones (hidden[0..
 * nhidden-1]: cases that excluded them, or topics outside their scope).
 * An organisation of the scope none of whose cases is hidden is taken as
 * known completely: the holder is assumed to know that it has no other
 * cases. Hidden entries of organisations outside the scope are ignored;
 * several entries for one cell add up, capped at the cell's count.
 */
struct stats_scope {
	const char *const		*orgs;	/* slugs; inactive ones ignored */
	size_t				 norgs;
	const struct stats_hidden	*hidden;	/* NULL when nhidden 0 */
	size_t				 nhidden;
};

/* What a suppression run cost, for the benchmark and the tests. */
struct stats_suppress_report {
	size_t	runs;		/* runs made: 1 + distinct scopes */
	size_t	targets;	/* targets over all runs */
	size_t	searched;	/* targets that needed a search of their own */
	size_t	reused;		/* targets an earlier run's witness covered */
	size_t	witnesses;	/* witnesses in the certificate */
};

struct stats_suppress_args {
	const struct stats_cube		 *cube;
	size_t				  row_dim, col_dim; /* adjacent */
	uint64_t			  k;	/* 2 .. STATS_MAX_K */
	/* Earlier releases over the same cube (same cases), whose published
	 * values bind this release too; built by stats_suppress or read back
	 * with stats_table_parse. May be NULL when nearlier is 0. */
	const struct stats_table *const	 *earlier;
	size_t				  nearlier;
	/* Coordinator scopes; may be NULL when nscopes is 0. */
	const struct stats_scope	 *scopes;
	size_t				  nscopes;
	/* Most further suppressions the cheapest search may add for one
	 * primary value in one run before it fails over to suppressing lines;
	 * 0 means no limit (the default). */
	size_t				  max_secondary;
	/* Filled in when not NULL. */
	struct stats_suppress_report	 *report;
};

/*
 * stats_suppress: compute a suppression-mode release of the family
 * (row_dim x col_dim) of args->cube.
 *
 *   1. Primary: every value (cell, row or column total, grand total) with
 *      0 < n < k is suppressed.
 *   2. Secondary, one run without a scope and then one per distinct
 *      scope (scopes sorted and deduplicated; a scope whose holder knows
 *      no case, or every case, is skipped). A run's targets are the values
 *      of this release and of the earlier ones whose part the holder
 *      cannot see (the residual) is in 1..k-1: without a scope, exactly
 *      the primary values; with one, also published values the holder
 *      could complete from their own counts (such a value of this release
 *      is suppressed). For each target find two finest tables consistent
 *      with every value published by this release and the earlier ones
 *      and with everything the holder knows: one where the target's
 *      residual is 0 and one where it is >= k. Witnesses are found by
 *      moving units along cycles of the flow network of the chain; when no
 *      cycle exists, the cheapest further suppressions of this release's
 *      cells and margins are added (fewest values, then smallest total,
 *      greedily per unit moved). A witness found in one run serves every
 *      later run in which it is still valid (same residual, nothing the
 *      holder knows touched), so the runs share their work: one network
 *      is built per release and each run costs only its own
 *      organisations' cells plus its new targets. A target an earlier
 *      release published cannot be hidden any more: it is listed as
 *      "disclosed" and logged.
 *   3. Fail closed, per failing value: suppress its line (its row and its
 *      column with their totals), then every value but the grand total,
 *      then the grand total. If even that fails, nothing is returned.
 *
 * On success returns 0, stores the table in *tablep (stats_table_free)
 * and the certificate, NUL-terminated JSON of *certlenp bytes, in *certp
 * (stats_certificate_free: it holds the finest table and must be sealed
 * before storage, never published). Returns -1 for invalid arguments, an
 * earlier release whose published values disagree with the cube, a value
 * that cannot be protected even with everything suppressed, or no memory.
 * Output is a function of the input only: the same input gives the same
 * bytes.
 *
 * Certificate (keys sorted, no whitespace):
 *   {"dims":[{"ids":[..],"name":".."},..],
 *    "disclosed":[{"release":R,"run":N,"value":V},..],
 *    "k":K,
 *    "merge":{"applied":true|false,"group":"..","members":[..]} or null,
 *    "releases":[{"cols":D,"k":K,"rows":D,"suppressed":[value index..]},..]
 *	(this release first, then the earlier ones in order),
 *    "runs":[{"hidden":[[c0,..,c(n-1),count],..],"orgs":[org index..]},..]
 *	(run 0 first: no scope, "orgs" and "hidden" empty),
 *    "truth":[[c0,..,c(n-1),count],..]	(non-zero finest cells),
 *    "version":2,
 *    "witnesses":[{"high":DIFF,"k":K,"release":R,"residual":N,
 *	"runs":[N,..],"value":V,"zero":DIFF},..]}
 *   A DIFF lists [c0,..,c(n-1),delta] to add to "truth" to obtain the
 *   witness table; "residual" is the value's part the holder of each of
 *   "runs" cannot see (the same in each); "zero" brings it to 0 and "high"
 *   to at least K. A run's holder knows every case of its "orgs" but the
 *   "hidden" ones.
 */
int	stats_suppress(const struct stats_suppress_args *args,
	    struct stats_table **tablep, char **certp, size_t *certlenp);

/* stats_certificate_free: wipe len bytes of cert and free it; NULL is a
 * no-op. */
void	stats_certificate_free(char *cert, size_t len);

/*
 * stats_release_dp: a differential-privacy release of the family
 * (row_dim x col_dim): discrete Laplace noise for epsilon = eps_num /
 * eps_den on every interior cell (stats_dp_noisy_counts), clamped at zero
 * from the noisy value only; totals are sums of the released cells. rng
 * may be NULL for libsodium. The caller has committed the ledger row
 * before calling. Returns 0 and stores the table in *tablep, or -1.
 */
int	stats_release_dp(const struct stats_cube *cube, size_t row_dim,
	    size_t col_dim, uint32_t eps_num, uint32_t eps_den,
	    const struct stats_dp_rng *rng, struct stats_table **tablep);

void	stats_table_free(struct stats_table *table);

/* Accessors; indices must be in range. Values read STATS_SUPPRESSED when
 * suppressed. */
enum stats_method stats_table_method(const struct stats_table *table);
size_t	stats_table_nrows(const struct stats_table *table);
size_t	stats_table_ncols(const struct stats_table *table);
size_t	stats_table_row_dim(const struct stats_table *table);
size_t	stats_table_col_dim(const struct stats_table *table);
const char *stats_table_row_id(const struct stats_table *table, size_t i);
const char *stats_table_col_id(const struct stats_table *table, size_t j);
int64_t	stats_table_cell(const struct stats_table *table, size_t i, size_t j);
int64_t	stats_table_row_total(const struct stats_table *table, size_t i);
int64_t	stats_table_col_total(const struct stats_table *table, size_t j);
int64_t	stats_table_total(const struct stats_table *table);

/*
 * stats_table_agrees: 1 when every value t publishes equals the same
 * value of cube (t must show a family of cube with the same ids), else 0.
 * A stored release that no longer agrees with the data (a late case) must
 * not be combined with a new one.
 */
int	stats_table_agrees(const struct stats_table *t,
	    const struct stats_cube *cube);

/* What the renderings say about the release besides the table. */
struct stats_meta {
	const char	*id;		/* [A-Za-z0-9_-], 1..64 bytes */
	const char	*family;	/* slug */
	const char	*quarter;	/* YYYYQn */
	const char	*created_on;	/* YYYY-MM-DD */
};

/*
 * stats_table_json: the SPEC section 6 body, canonical (keys sorted, no
 * whitespace), with the dimension names and the merge map added:
 *   {"cells":[{"col":ID,"row":ID,"value":N|null},..] (row-major),
 *    "col_dimension":NAME,"col_totals":[N|null,..],"cols":[ID,..],
 *    "created_on":"..",
 *    "epsilon":"num/den" (dp, reduced fraction) | "k":K (suppression),
 *    "family":"..","id":"..",
 *    "merge":{"applied":true|false,"group":ID,"members":[ID,..]} | null,
 *    "method":"suppression"|"dp","quarter":"..",
 *    "row_dimension":NAME,"row_totals":[N|null,..],"rows":[ID,..],
 *    "total":N|null}
 * rows and cols are the value ids of the family's two dimensions (merged
 * organisations under the group id); null marks every suppressed value,
 * totals included. "merge" is the calendar year's map (null when the cube
 * was given none); "applied" is false for a map of fewer than two
 * organisations. Returns 0 with a NUL-terminated malloc'd string in *outp
 * and its length in *lenp, or -1 for invalid meta or no memory.
 */
int	stats_table_json(const struct stats_table *table,
	    const struct stats_meta *meta, char **outp, size_t *lenp);

/*
 * stats_table_csv: RFC 4180 text, CRLF line ends. First a header block of
 * "name,value" lines saying what the release is:
 *	release,<id>
 *	family,<family>
 *	quarter,<quarter>
 *	method,suppression | method,dp
 *	k,<k> | epsilon,<num/den>
 *	created_on,<YYYY-MM-DD>
 *	rows,<row dimension name>
 *	cols,<column dimension name>
 *	merge_group,<group id>			(only with a merge map)
 *	merge_applied,true|false		(only with a merge map)
 *	merge_members[,<id>..]			(only with a merge map)
 * then an empty line, then the table: a header line
 * "<row dimension name>,<col id>,..,Total", one line per row
 * "<row id>,<value>,..,<row total>" and a last line "Total,<column
 * totals>,..,<grand total>"; a suppressed value is "x". Every field is a
 * slug, a number or a date: nothing to quote. Returns 0 with a
 * NUL-terminated malloc'd string in *outp and its length in *lenp, or -1.
 */
int	stats_table_csv(const struct stats_table *table,
	    const struct stats_meta *meta, char **outp, size_t *lenp);

/*
 * stats_table_parse: read back a suppression-mode body produced by
 * stats_table_json, for use as an earlier release of family (row_dim x
 * col_dim) of cube: only the keys above ("col_dimension", "row_dimension"
 * and "merge" may be missing: bodies stored before they were added), rows
 * and cols equal to the cube's ids, dimension names equal to the cube's,
 * cells in row-major order, values integers or null. Returns 0 and stores
 * the table in *tablep, or -1 for anything else.
 */
int	stats_table_parse(const struct stats_cube *cube, size_t row_dim,
	    size_t col_dim, const char *json, size_t len,
	    struct stats_table **tablep);

#endif
