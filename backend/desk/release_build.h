/*
 * release_build.h - one release being computed, shared by the files of
 * the release module and by no one else: release.c (the families, the
 * lock, the stored releases), release_read.c (what a release is computed
 * from) and release_compute.c (suppression or noise, and storing).
 */
#ifndef MELDPUNT_RELEASE_BUILD_H
#define MELDPUNT_RELEASE_BUILD_H

#include <stddef.h>

#include "db.h"
#include "pgarray.h"
#include "result.h"
#include "stats.h"

#define RELEASE_DIMS	4	/* dimensions of the largest cube */

enum release_kind { RELEASE_INTAKE, RELEASE_OUTCOME };

/*
 * A cube: its dimensions, and where the statements that count its cells
 * and the cells hidden from each account put each dimension.
 */
struct release_cube {
	enum release_kind	 kind;
	const char		*name;		/* as stats_domain names it */
	const char *const	*dims;
	size_t			 ndims;
	enum db_stmt		 count;		/* cases per cell */
	int			 count_dim[RELEASE_DIMS];
	int			 count_n;
	int			 count_topic;	/* topic, if split */
	enum db_stmt		 hidden;	/* per account and cell */
	int			 hidden_account;
	int			 hidden_dim[RELEASE_DIMS];
	int			 hidden_n;
};

/* A table family (SPEC 6): a cube's rows and columns. */
struct release_family {
	const char		*id;
	const struct release_cube *cube;
	size_t			 row_dim, col_dim;
	const char		*sibling;	/* same cube: joint */
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
	struct release_ids		 dims[RELEASE_DIMS];
	struct stats_cube		*cube;
	struct release_ids		 merge;
	PGresult			*counts;	/* the cube's rows */
	struct release_account		*accounts;
	size_t				 naccounts;
	PGresult			*hidden_res;	/* hid ids in it */
	int				 limited_any;	/* release_limited */
	struct pgarray			 limited;
	struct stats_scope		*scopes;
	size_t				 nscopes;
	struct stats_table		*earlier;
};

/* The number of families, each counting a case at most once. */
extern const size_t release_nfamilies;

/* release_family: the family of that id, or NULL. */
const struct release_family *release_family(const char *id);

/*
 * release_prepare: b (family, quarter, first, last, year and dp set, the
 * rest zeroed) filled with everything its release is computed from, read
 * in one transaction, which also freezes the quarter's domains and the
 * year's merge map. DESK_OK, DESK_RELEASE_INCONSISTENT,
 * DESK_RELEASE_DATA_CHANGED, DESK_RELEASE_METHOD_CHANGED or
 * DESK_UNAVAILABLE. Free b with release_build_free either way.
 */
enum desk_result release_prepare(struct release_build *b);

/* release_build_free: what b holds. */
void	release_build_free(struct release_build *b);

/*
 * release_compute: compute and store the release of family (a known one)
 * for quarter, which is not stored; only under the desk's stats lock.
 * DESK_OK, or why not.
 */
enum desk_result release_compute(const char *family, const char *quarter);

#endif
