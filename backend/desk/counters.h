/*
 * counters.h - the per-client limits and the submission rate, shared by
 * every instance through PostgreSQL (SPEC 3.9 and 4; issue 17).
 *
 * A per-client counter is a row of client_counters named by a keyed hash
 * of (client address, scope) that changes every UTC day
 * (crypto/clientkey.h); no address is stored. A counter allows limit
 * events in a fixed window of window seconds from its first event. All
 * instances read and write the same rows, so N instances give a client no
 * more than one instance does. A database failure is DESK_UNAVAILABLE
 * (503): no limit is waved through unchecked.
 *
 * The submission rate that sets the proof-of-work difficulty is derived
 * from the challenges spent in the last hour (the rows every submission
 * writes anyway), read at most once a second per instance.
 */
#ifndef MELDPUNT_COUNTERS_H
#define MELDPUNT_COUNTERS_H

#include <stddef.h>

#include "clientkey.h"
#include "result.h"

#define COUNTERS_RATE_TTL	1	/* seconds a rate read is reused */
#define COUNTERS_SALT_TTL	60	/* seconds the day's key is reused */
#define COUNTERS_LEASE_PARTS	16	/* an allowance taken in blocks of 1/16 */
#define COUNTERS_LEASE_SLOTS	4096	/* blocks kept per instance */

/*
 * counters_client_key: the name of (addr, scope)'s counter into key. addr
 * is a NUL-terminated client address, not kept; scope (scopelen bytes)
 * tells one client's counters apart. DESK_OK, or DESK_UNAVAILABLE (key
 * then unusable).
 */
enum desk_result counters_client_key(const char *addr,
	    const unsigned char *scope, size_t scopelen,
	    unsigned char key[CLIENTKEY_BYTES]);

/*
 * counters_client_take: count one request against key's allowance of limit
 * per window seconds. DESK_OK when counted; DESK_LOGIN_LIMITED with *wait
 * seconds (at most window) when the allowance is spent (nothing counted);
 * or DESK_UNAVAILABLE. To spare the database a write per request, an
 * allowance of 32 or more is taken in blocks of limit / 16, kept by the
 * instance and served from memory until used or the window ends; a block
 * is counted in the database when taken, so over all instances a client
 * never gets more than limit, and at worst (every instance holding a
 * partly used block) about limit / 16 less per instance. Near the end of
 * the allowance requests are taken one by one.
 */
enum desk_result counters_client_take(const unsigned char key[CLIENTKEY_BYTES],
	    unsigned int limit, unsigned int window, unsigned int *wait);

/*
 * counters_client_wait: whether key has limit failures in its window.
 * DESK_OK (*wait 0); DESK_LOGIN_LIMITED with *wait seconds; or
 * DESK_UNAVAILABLE. Counts nothing.
 */
enum desk_result counters_client_wait(const unsigned char key[CLIENTKEY_BYTES],
	    unsigned int limit, unsigned int *wait);

/*
 * counters_client_fail: count one failure for key, in a window of window
 * seconds from its first. A database failure is logged by db.c and
 * otherwise ignored (the answer is a refusal either way).
 */
void	counters_client_fail(const unsigned char key[CLIENTKEY_BYTES],
	    unsigned int window);

/* counters_client_reset: forget key's failures (after a success). */
void	counters_client_reset(const unsigned char key[CLIENTKEY_BYTES]);

/*
 * counters_pow_rate: the submissions of the last hour over all instances,
 * as read at most COUNTERS_RATE_TTL seconds ago, counted up to the point
 * past which the difficulty no longer rises for ceiling. While the
 * database cannot be read, the last value read (0 before the first).
 */
long long counters_pow_rate(long long ceiling);

#endif
