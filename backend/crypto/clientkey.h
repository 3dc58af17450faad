/*
 * clientkey.h - the names of per-client counters (SPEC sections 2 and 4,
 * issue 17). Every instance keeps its per-client counters in one
 * PostgreSQL table, so every instance must name a client's counter alike,
 * and no name may reveal the address.
 *
 * The day's key is a keyed BLAKE2b of the day's salt under server_key:
 * the salt is made at random once a UTC day by whichever instance first
 * needs it and kept in an unlogged table (not replicated, not in a base
 * backup) until the day is over; server_key lives in the key files, never
 * in the database. So the database alone cannot test an address against a
 * counter's name, and once the salt row is gone nobody can.
 *
 * A counter's name is a keyed BLAKE2b of (client, scope) under the day's
 * key. The client is the address text as it came, except that an IPv6
 * address counts as its /64 (one subscriber's prefix), so that rotating
 * through the addresses of one prefix neither escapes a limit nor makes
 * new rows without end. Pure: no server, no database.
 */
#ifndef MELDPUNT_CLIENTKEY_H
#define MELDPUNT_CLIENTKEY_H

#include <stddef.h>

#include <sodium.h>

#include "sizes.h"

#define CLIENTKEY_BYTES		HASH_BYTES	/* a counter's name */
#define CLIENTKEY_SALT_BYTES	KEY_BYTES	/* the day's random salt */

/*
 * clientkey_day: the day's key of salt under server_key into day_key.
 * 0, or -1 (day_key then unusable).
 */
int	clientkey_day(unsigned char day_key[KEY_BYTES],
	    const unsigned char server_key[KEY_BYTES],
	    const unsigned char salt[CLIENTKEY_SALT_BYTES])
	    __attribute__((warn_unused_result));

/*
 * clientkey_make: the name of the counter of (addr, scope) under day_key
 * into key. addr is a NUL-terminated client address, used for this hash
 * only and not kept; scope (scopelen bytes, may be 0) tells counters of
 * one client apart. 0, or -1 (key then unusable).
 */
int	clientkey_make(unsigned char key[CLIENTKEY_BYTES],
	    const unsigned char day_key[KEY_BYTES], const char *addr,
	    const unsigned char *scope, size_t scopelen)
	    __attribute__((warn_unused_result));

#endif
