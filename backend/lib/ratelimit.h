/*
 * ratelimit.h - per-client failure counters held in process memory only
 * (SPEC sections 2 and 4): no client address is ever stored. A counter is
 * named by a keyed hash of (client address, scope) under a key made at
 * random each UTC day; at the change of day the key and the table are
 * renewed. Pure: no server, no database. Thread-safe.
 *
 * Memory is fixed when the table is made: buckets of RATELIMIT_WAYS slots
 * and nothing else. A key's bucket is chosen by a keyed hash of the client
 * alone (for IPv6, of its /64), so every key of one client -- one per email
 * at staff login -- lands in the same bucket, and nobody can aim at the
 * bucket of another client without knowing the day's key.
 *
 * The table never undercounts. Each counter allows limit failures in a
 * fixed window of window seconds from its first failure. A new key takes
 * a free or expired slot of its bucket; only when all of them are live is
 * a live one given up: the one with the fewest failures (then the one that
 * ends first), and the bucket remembers the highest count it gave up and
 * when that count's window ends (its floor). A key that has no slot is
 * taken to have the floor's count until then: it waits if the floor blocks,
 * and a new slot starts from the floor. So a flood of new keys cannot make
 * a blocking counter stop blocking before its window ends. The price is
 * paid by the flooded bucket only: once it has given up blocking counters,
 * every new key in it waits until the floor's window ends (one window at
 * most) -- in the worst case about RATELIMIT_WAYS * limit failures within
 * one window close one bucket, for the clients that share it, and a flood
 * from one client (or one IPv6 /64) lands in its own bucket.
 */
#ifndef MELDPUNT_RATELIMIT_H
#define MELDPUNT_RATELIMIT_H

#include <stddef.h>
#include <time.h>

#include <sodium.h>

/* A key: 8 bytes naming the client's bucket, then the shortest keyed
 * BLAKE2b naming the counter. */
#define RATELIMIT_PLACE_BYTES	8
#define RATELIMIT_KEY_BYTES	(RATELIMIT_PLACE_BYTES + \
				 crypto_generichash_BYTES_MIN)
#define RATELIMIT_WAYS		8	/* slots per bucket */

struct ratelimit;

/*
 * ratelimit_new: a table of at least slots counters (rounded up to whole
 * buckets), each allowing limit failures per window seconds; limit and
 * window are at least 1. NULL on failure. Free with ratelimit_free (NULL
 * ok).
 */
struct ratelimit *ratelimit_new(size_t slots, unsigned int limit,
	    unsigned int window);
void	ratelimit_free(struct ratelimit *rl);

/*
 * ratelimit_key: the key of (addr, scope) for the day of now into key.
 * addr is a NUL-terminated client address, used for this hash only and not
 * kept; scope (scopelen bytes) tells counters of one client apart. 0, or -1
 * (key then unusable).
 */
int	ratelimit_key(struct ratelimit *rl, time_t now, const char *addr,
	    const unsigned char *scope, size_t scopelen,
	    unsigned char key[RATELIMIT_KEY_BYTES]);

/*
 * ratelimit_retry_after: 0 if key may try now, else the seconds until it
 * may (at most window). Counts nothing. window if the table cannot be
 * locked (closed on failure).
 */
unsigned int ratelimit_retry_after(struct ratelimit *rl,
	    const unsigned char key[RATELIMIT_KEY_BYTES], time_t now);

/* ratelimit_fail: count one failure (or one request) for key at now. */
void	ratelimit_fail(struct ratelimit *rl,
	    const unsigned char key[RATELIMIT_KEY_BYTES], time_t now);

/*
 * ratelimit_reset: forget key's own failures (after a success). A floor
 * that covers key stays: it may stand for other keys.
 */
void	ratelimit_reset(struct ratelimit *rl,
	    const unsigned char key[RATELIMIT_KEY_BYTES]);

#endif
