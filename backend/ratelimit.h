/*
 * ratelimit.h - per-client failure counters held in process memory only
 * (SPEC section 4): no client address is ever stored. A slot is named by a
 * keyed hash of (client address, scope) under a key made at random each
 * UTC day; at the change of day the key and the table are renewed. Pure:
 * no server, no database. Thread-safe.
 */
#ifndef MELDPUNT_RATELIMIT_H
#define MELDPUNT_RATELIMIT_H

#include <stddef.h>
#include <time.h>

#define RATELIMIT_KEY_BYTES	16

struct ratelimit;

/*
 * ratelimit_new: a table of slots counters, each allowing limit failures
 * per window seconds. NULL on failure. Free with ratelimit_free (NULL ok).
 */
struct ratelimit *ratelimit_new(size_t slots, unsigned int limit,
	    unsigned int window);
void	ratelimit_free(struct ratelimit *rl);

/*
 * ratelimit_key: the slot key of (addr, scope) for the day of now. The
 * address is used for this hash only and not kept. 0, or -1.
 */
int	ratelimit_key(struct ratelimit *rl, time_t now, const char *addr,
	    const unsigned char *scope, size_t scopelen,
	    unsigned char key[RATELIMIT_KEY_BYTES]);

/* ratelimit_retry_after: 0 if allowed, else seconds until it is. */
unsigned int ratelimit_retry_after(struct ratelimit *rl,
	    const unsigned char key[RATELIMIT_KEY_BYTES], time_t now);

/* ratelimit_fail: count one failure for key. */
void	ratelimit_fail(struct ratelimit *rl,
	    const unsigned char key[RATELIMIT_KEY_BYTES], time_t now);

/* ratelimit_reset: forget key's failures (after a success). */
void	ratelimit_reset(struct ratelimit *rl,
	    const unsigned char key[RATELIMIT_KEY_BYTES]);

#endif
