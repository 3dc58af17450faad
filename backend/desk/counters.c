/*
 * counters.c - per-client counters and the submission rate in PostgreSQL
 * (counters.h).
 */
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "app.h"
#include "challenge.h"
#include "counters.h"
#include "db.h"
#include "secrets.h"
#include "sizes.h"

#define COUNTERS_DAY		86400	/* seconds of a UTC day */
#define COUNTERS_POW_STEPS	6	/* doublings past the ceiling (3.9) */

/* The day's key, as last read: the day's salt under server_key. */
static pthread_mutex_t	 counters_day_lock = PTHREAD_MUTEX_INITIALIZER;
static long long	 counters_day = -1;
static time_t		 counters_day_read;
static unsigned char	 counters_day_key[KEY_BYTES];

/*
 * Blocks of allowance this instance has taken and not used yet, one per
 * slot chosen by the key (a keyed hash, so evenly spread). A key that
 * loses its slot to another loses its block: the database has counted it,
 * so a lost block can only refuse early, never let a client past its
 * allowance.
 */
struct counters_lease {
	unsigned char	key[CLIENTKEY_BYTES];
	time_t		until;		/* the window's end */
	unsigned int	left;		/* requests still to be served */
};

static pthread_mutex_t		counters_lease_lock = PTHREAD_MUTEX_INITIALIZER;
static struct counters_lease	counters_leases[COUNTERS_LEASE_SLOTS];

/* The submission rate, as last read, and when (Unix seconds). */
static pthread_mutex_t	 counters_rate_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_llong	 counters_rate;
static atomic_llong	 counters_rate_read = -1;

/*
 * The day's salt from the database (a fresh one stored if it has none)
 * turned into the day's key in day_key. 0, or -1.
 */
static int
counters_day_fetch(long long day, unsigned char day_key[KEY_BYTES])
{
	unsigned char		 salt[CLIENTKEY_SALT_BYTES];
	struct db_param		 p[2] = {
		DB_P_INT(day), DB_P_BYTES(salt, sizeof(salt)),
	};
	const unsigned char	*v;
	PGresult		*res;
	size_t			 n = 0;
	int			 rc = -1;

	randombytes_buf(salt, sizeof(salt));
	if ((res = db_exec(DB_CLIENT_SALT, 2, p, NULL)) == NULL)
		goto out;
	if (PQntuples(res) == 1) {
		v = db_get_bytes(res, 0, CLIENT_SALT_SALT, &n);
		if (n == sizeof(salt)) {
			memcpy(salt, v, sizeof(salt));
			rc = clientkey_day(day_key, app.secrets->server_key,
			    salt);
		}
	}
	PQclear(res);
out:
	sodium_memzero(salt, sizeof(salt));
	return rc;
}

/*
 * The day's key into day_key: read again on a new day and every
 * COUNTERS_SALT_TTL seconds (a crash of PostgreSQL empties the salts, and
 * every instance must come to use the new one). 0, or -1.
 */
static int
counters_day_key_get(unsigned char day_key[KEY_BYTES])
{
	time_t		now = time(NULL);
	long long	day = (long long)(now / COUNTERS_DAY);
	int		rc = 0;

	if (pthread_mutex_lock(&counters_day_lock) != 0)
		return -1;
	if (day != counters_day || now < counters_day_read ||
	    now - counters_day_read >= COUNTERS_SALT_TTL) {
		if (counters_day_fetch(day, counters_day_key) == 0) {
			counters_day = day;
			counters_day_read = now;
		} else {
			sodium_memzero(counters_day_key,
			    sizeof(counters_day_key));
			counters_day = -1;
			rc = -1;
		}
	}
	if (rc == 0)
		memcpy(day_key, counters_day_key, KEY_BYTES);
	(void)pthread_mutex_unlock(&counters_day_lock);
	return rc;
}

enum desk_result
counters_client_key(const char *addr, const unsigned char *scope,
    size_t scopelen, unsigned char key[CLIENTKEY_BYTES])
{
	unsigned char	day_key[KEY_BYTES];
	int		rc;

	if (counters_day_key_get(day_key) == -1)
		return DESK_UNAVAILABLE;
	rc = clientkey_make(key, day_key, addr, scope, scopelen);
	sodium_memzero(day_key, sizeof(day_key));
	return rc == 0 ? DESK_OK : DESK_UNAVAILABLE;
}

enum desk_result
counters_client_wait(const unsigned char key[CLIENTKEY_BYTES],
    unsigned int limit, unsigned int *wait)
{
	struct db_param	 p[2] = {
		DB_P_BYTES(key, CLIENTKEY_BYTES), DB_P_INT(limit),
	};
	PGresult	*res;
	enum db_status	 st;
	long long	 w = 0;

	*wait = 0;
	if ((res = db_exec(DB_CLIENT_WAIT, 2, p, &st)) == NULL)
		return desk_result_db(st);
	if (PQntuples(res) == 1)
		w = db_get_int(res, 0, CLIENT_WAIT_SECONDS);
	PQclear(res);
	if (w <= 0)
		return DESK_OK;
	*wait = w > UINT_MAX ? UINT_MAX : (unsigned int)w;
	return DESK_LOGIN_LIMITED;
}

/* The lease slot of key. */
static struct counters_lease *
counters_lease_of(const unsigned char key[CLIENTKEY_BYTES])
{
	unsigned long	h = 0;
	size_t		i;

	for (i = 0; i < sizeof(h); i++)
		h = (h << 8) | key[i];
	return &counters_leases[h % COUNTERS_LEASE_SLOTS];
}

/* 1 if key has a request of a block left at now, taking it; else 0. */
static int
counters_lease_use(const unsigned char key[CLIENTKEY_BYTES], time_t now)
{
	struct counters_lease	*l = counters_lease_of(key);
	int			 used = 0;

	if (pthread_mutex_lock(&counters_lease_lock) != 0)
		return 0;
	if (l->left > 0 && now < l->until &&
	    sodium_memcmp(l->key, key, CLIENTKEY_BYTES) == 0) {
		l->left--;
		used = 1;
	}
	(void)pthread_mutex_unlock(&counters_lease_lock);
	return used;
}

/*
 * Take a block of n requests of key's allowance from the database and
 * keep n - 1 of them. 1 when taken, 0 when the allowance has less than n
 * left, -1 on a database failure.
 */
static int
counters_lease_take(const unsigned char key[CLIENTKEY_BYTES],
    unsigned int limit, unsigned int window, unsigned int n)
{
	struct db_param		 p[4] = {
		DB_P_BYTES(key, CLIENTKEY_BYTES), DB_P_INT(window),
		DB_P_INT(limit), DB_P_INT(n),
	};
	struct counters_lease	*l;
	PGresult		*res;
	time_t			 now = time(NULL), until;

	if ((res = db_exec(DB_CLIENT_LEASE, 4, p, NULL)) == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return 0;
	}
	until = (time_t)db_get_int(res, 0, CLIENT_LEASE_UNTIL);
	PQclear(res);
	if (until > now + (time_t)window)	/* another clock: ours bounds */
		until = now + (time_t)window;
	l = counters_lease_of(key);
	if (pthread_mutex_lock(&counters_lease_lock) != 0)
		return 1;	/* the block is lost: refusing early only */
	memcpy(l->key, key, CLIENTKEY_BYTES);
	l->until = until;
	l->left = n - 1;
	(void)pthread_mutex_unlock(&counters_lease_lock);
	return 1;
}

enum desk_result
counters_client_take(const unsigned char key[CLIENTKEY_BYTES],
    unsigned int limit, unsigned int window, unsigned int *wait)
{
	struct db_param		 p[3] = {
		DB_P_BYTES(key, CLIENTKEY_BYTES), DB_P_INT(window),
		DB_P_INT(limit),
	};
	PGresult		*res;
	enum db_status		 st;
	enum desk_result	 r;
	int			 counted;

	*wait = 0;
	if (counters_lease_use(key, time(NULL)))
		return DESK_OK;
	/* A block at once while the allowance is large; near its end, one. */
	if (limit / COUNTERS_LEASE_PARTS > 1) {
		switch (counters_lease_take(key, limit, window,
		    limit / COUNTERS_LEASE_PARTS)) {
		case 1:
			return DESK_OK;
		case -1:
			return DESK_UNAVAILABLE;
		default:
			break;
		}
	}
	if ((res = db_exec(DB_CLIENT_TAKE, 3, p, &st)) == NULL)
		return desk_result_db(st);
	counted = PQntuples(res) == 1;
	PQclear(res);
	if (counted)
		return DESK_OK;
	/* Spent: how long until the window ends (it may just have). */
	r = counters_client_wait(key, limit, wait);
	if (r == DESK_OK)
		*wait = 1;
	return r == DESK_UNAVAILABLE ? r : DESK_LOGIN_LIMITED;
}

void
counters_client_fail(const unsigned char key[CLIENTKEY_BYTES],
    unsigned int window)
{
	struct db_param	p[2] = {
		DB_P_BYTES(key, CLIENTKEY_BYTES), DB_P_INT(window),
	};

	PQclear(db_exec(DB_CLIENT_FAIL, 2, p, NULL));
}

void
counters_client_reset(const unsigned char key[CLIENTKEY_BYTES])
{
	struct db_param	p[1] = { DB_P_BYTES(key, CLIENTKEY_BYTES) };

	PQclear(db_exec(DB_CLIENT_RESET, 1, p, NULL));
}

/* Read the rate now (the caller holds counters_rate_lock). */
static void
counters_rate_fetch(long long ceiling)
{
	long long	 cap = LLONG_MAX;
	struct db_param	 p[2] = { DB_P_INT(CHALLENGE_POW_TTL), DB_P_INT(0) };
	PGresult	*res;

	/* Past ceiling * 2^COUNTERS_POW_STEPS the difficulty stays put. */
	if (ceiling > 0 && ceiling <= (LLONG_MAX >> COUNTERS_POW_STEPS) - 1)
		cap = (ceiling << COUNTERS_POW_STEPS) + 1;
	p[1].num = cap;
	if ((res = db_exec(DB_POW_RATE, 2, p, NULL)) == NULL)
		return;
	if (PQntuples(res) == 1)
		atomic_store(&counters_rate,
		    db_get_int(res, 0, POW_RATE_COUNT));
	PQclear(res);
}

long long
counters_pow_rate(long long ceiling)
{
	long long now = (long long)time(NULL);

	/*
	 * One thread reads when the value is older than the TTL; the others
	 * meanwhile take the value as it is rather than wait.
	 */
	if (now - atomic_load(&counters_rate_read) >= COUNTERS_RATE_TTL &&
	    pthread_mutex_trylock(&counters_rate_lock) == 0) {
		if (now - atomic_load(&counters_rate_read) >=
		    COUNTERS_RATE_TTL) {
			counters_rate_fetch(ceiling);
			atomic_store(&counters_rate_read, now);
		}
		(void)pthread_mutex_unlock(&counters_rate_lock);
	}
	return atomic_load(&counters_rate);
}
