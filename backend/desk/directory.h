/*
 * directory.h - what the desk tells anybody who asks (SPEC section 4): its
 * name, organisations, topics, keys and limits, whom a report on an
 * organisation and topic would reach, and whether the database answers.
 */
#ifndef MELDPUNT_DIRECTORY_H
#define MELDPUNT_DIRECTORY_H

#include "result.h"

struct cJSON;

/*
 * directory_desk: the desk's public description (GET /api/v1/desk) into
 * *out (the caller owns it): name, active organisations and topics, public
 * keys, the proof-of-work difficulty of the moment and the size limits.
 * DESK_OK, or DESK_UNAVAILABLE.
 */
enum desk_result directory_desk(struct cJSON **out);

/*
 * directory_routing: {"advisers","coordinators"} for a report on org and
 * topic (valid slugs) into *out (the caller owns it): the adviser entries
 * of the routed advisers, each with its tier, and the organisation's
 * coordinators. DESK_OK, or DESK_UNAVAILABLE.
 */
enum desk_result directory_routing(const char *org, const char *topic,
	    struct cJSON **out);

/* directory_health: DESK_OK if the database answers, else DESK_UNAVAILABLE. */
enum desk_result directory_health(void);

#endif
