/*
 * units.h - the organisations and topics a report is routed by (SPEC
 * section 4): listed with retired ones, created, renamed, retired or
 * brought back, and an organisation's headcount set. Each change is
 * audited in the transaction that makes it.
 */
#ifndef MELDPUNT_UNITS_H
#define MELDPUNT_UNITS_H

#include "result.h"

struct cJSON;

#define UNITS_ID_MAX		32	/* bytes of an organisation or topic id */
#define UNITS_NAME_MAX		200	/* bytes of a name in one language */
#define UNITS_HEADCOUNT_MAX	10000000

enum units_kind {
	UNITS_ORGANISATIONS,
	UNITS_TOPICS
};

/* One unit as created or patched. */
struct units_change {
	const char	*id;
	const char	*nl, *en;	/* names; NULL keeps (patch only) */
	long long	 headcount;	/* organisations; -1 keeps (0 on create) */
	int		 retired;	/* 1, 0, or -1 keeps (patch only) */
};

/*
 * units_list: every unit of kind, ordered by id, as {"organisations": [{id,
 * name, retired, headcount}]} or {"topics": [{id, name, retired}]} into
 * *out (the caller's). DESK_OK or DESK_UNAVAILABLE.
 */
enum desk_result units_list(enum units_kind kind, struct cJSON **out);

/*
 * units_create: a new unit (c's id and both names), audited as
 * organisation_create or topic_create by actor. DESK_OK, DESK_CONFLICT
 * (the id exists) or DESK_UNAVAILABLE.
 */
enum desk_result units_create(enum units_kind kind,
	    const struct units_change *c, const char *actor);

/*
 * units_patch: change what c sets of unit c->id, audited as
 * organisation_change or topic_change by actor. DESK_OK, DESK_NOT_FOUND
 * (no such unit, or not a valid id) or DESK_UNAVAILABLE.
 */
enum desk_result units_patch(enum units_kind kind,
	    const struct units_change *c, const char *actor);

#endif
