/*
 * ratelimit.c - fixed windows of failures in a set-associative table that
 * gives up a live counter only by raising its bucket's floor (ratelimit.h).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "ratelimit.h"


struct ratelimit_slot {
	unsigned char	key[RATELIMIT_KEY_BYTES];
	time_t		until;	/* end of the window; 0: free */
	unsigned int	count;
};

struct ratelimit_bucket {
	struct ratelimit_slot	slots[RATELIMIT_WAYS];
	time_t			floor_until;	/* the floor holds until then */
	unsigned int		floor_count;	/* highest count given up */
};

struct ratelimit {
	pthread_mutex_t		 lock;
	struct ratelimit_bucket	*buckets;
	size_t			 nbuckets;
	unsigned int		 limit, window;
	long long		 day;	/* UTC day of day_key, -1: none yet */
	unsigned char		 day_key[crypto_generichash_KEYBYTES];
};

struct ratelimit *
ratelimit_new(size_t slots, unsigned int limit, unsigned int window)
{
	struct ratelimit	*rl;
	size_t			 n;

	if (slots == 0 || limit == 0 || window == 0 ||
	    slots > SIZE_MAX - (RATELIMIT_WAYS - 1))
		return NULL;
	n = (slots + RATELIMIT_WAYS - 1) / RATELIMIT_WAYS;
	if ((rl = calloc(1, sizeof(*rl))) == NULL)
		return NULL;
	if ((rl->buckets = calloc(n, sizeof(*rl->buckets))) == NULL ||
	    pthread_mutex_init(&rl->lock, NULL) != 0) {
		free(rl->buckets);
		free(rl);
		return NULL;
	}
	rl->nbuckets = n;
	rl->limit = limit;
	rl->window = window;
	rl->day = -1;
	return rl;
}

void
ratelimit_free(struct ratelimit *rl)
{
	if (rl == NULL)
		return;
	sodium_memzero(rl->day_key, sizeof(rl->day_key));
	sodium_memzero(rl->buckets, rl->nbuckets * sizeof(*rl->buckets));
	free(rl->buckets);
	(void)pthread_mutex_destroy(&rl->lock);
	free(rl);
}

/* A new day: a new key, and the old slots (unreachable now) are cleared. */
static void
ratelimit_rotate(struct ratelimit *rl, time_t now)
{
	long long day = (long long)(now / 86400);

	if (day == rl->day)
		return;
	randombytes_buf(rl->day_key, sizeof(rl->day_key));
	sodium_memzero(rl->buckets, rl->nbuckets * sizeof(*rl->buckets));
	rl->day = day;
}

/*
 * What names the client's bucket: the first 64 bits of an IPv6 address (a
 * /64 is one subscriber's), else the address text as it came. Fills buf
 * with a tag byte and the bytes; returns their length.
 */
static size_t
ratelimit_client(const char *addr, unsigned char buf[1 + INET6_ADDRSTRLEN])
{
	struct in6_addr	 a6;
	size_t		 n;

	if (inet_pton(AF_INET6, addr, &a6) == 1 &&
	    !IN6_IS_ADDR_V4MAPPED(&a6)) {
		buf[0] = 6;
		memcpy(buf + 1, a6.s6_addr, 8);
		sodium_memzero(&a6, sizeof(a6));
		return 1 + 8;
	}
	n = strlen(addr);
	if (n > INET6_ADDRSTRLEN - 1)
		n = INET6_ADDRSTRLEN - 1;	/* only the bucket depends on it */
	buf[0] = 0;
	memcpy(buf + 1, addr, n);
	return 1 + n;
}

int
ratelimit_key(struct ratelimit *rl, time_t now, const char *addr,
    const unsigned char *scope, size_t scopelen,
    unsigned char key[RATELIMIT_KEY_BYTES])
{
	static const unsigned char	 place_tag[] = "meldpunt/rl-bucket|";
	static const unsigned char	 key_tag[] = "meldpunt/rl-counter|";
	crypto_generichash_state	 st;
	unsigned char			 client[1 + INET6_ADDRSTRLEN];
	unsigned char			 sep = 0;
	size_t				 clen;
	int				 rc = -1;

	clen = ratelimit_client(addr, client);
	if (pthread_mutex_lock(&rl->lock) != 0)
		goto out;
	ratelimit_rotate(rl, now);
	if (crypto_generichash_init(&st, rl->day_key, sizeof(rl->day_key),
	    RATELIMIT_PLACE_BYTES) != 0 ||
	    crypto_generichash_update(&st, place_tag,
	    sizeof(place_tag) - 1) != 0 ||
	    crypto_generichash_update(&st, client, clen) != 0 ||
	    crypto_generichash_final(&st, key, RATELIMIT_PLACE_BYTES) != 0 ||
	    crypto_generichash_init(&st, rl->day_key, sizeof(rl->day_key),
	    RATELIMIT_KEY_BYTES - RATELIMIT_PLACE_BYTES) != 0 ||
	    crypto_generichash_update(&st, key_tag, sizeof(key_tag) - 1) != 0 ||
	    crypto_generichash_update(&st, (const unsigned char *)addr,
	    strlen(addr)) != 0 ||
	    crypto_generichash_update(&st, &sep, 1) != 0 ||
	    crypto_generichash_update(&st, scope, scopelen) != 0 ||
	    crypto_generichash_final(&st, key + RATELIMIT_PLACE_BYTES,
	    RATELIMIT_KEY_BYTES - RATELIMIT_PLACE_BYTES) != 0)
		rc = -1;
	else
		rc = 0;
	(void)pthread_mutex_unlock(&rl->lock);
out:
	sodium_memzero(&st, sizeof(st));
	sodium_memzero(client, sizeof(client));
	return rc;
}

/* The bucket of key. */
static struct ratelimit_bucket *
ratelimit_bucket(struct ratelimit *rl, const unsigned char *key)
{
	uint64_t	h = 0;
	int		i;

	for (i = 0; i < RATELIMIT_PLACE_BYTES; i++)
		h = (h << 8) | key[i];
	return &rl->buckets[h % rl->nbuckets];
}

/* The slot of key in b, live or expired, or NULL. Called locked. */
static struct ratelimit_slot *
ratelimit_find(struct ratelimit_bucket *b, const unsigned char *key)
{
	size_t i;

	for (i = 0; i < RATELIMIT_WAYS; i++)
		if (b->slots[i].until != 0 &&
		    sodium_memcmp(b->slots[i].key, key, RATELIMIT_KEY_BYTES) == 0)
			return &b->slots[i];
	return NULL;
}

/* The count every key without a slot in b is taken to have at now. */
static unsigned int
ratelimit_floor(const struct ratelimit_bucket *b, time_t now)
{
	return now < b->floor_until ? b->floor_count : 0;
}

/*
 * A slot of b for a new key: a free or expired one, else the live one with
 * the fewest failures (then the earliest end), whose count and end the
 * floor takes over. Called locked.
 */
static struct ratelimit_slot *
ratelimit_claim(struct ratelimit_bucket *b, time_t now)
{
	struct ratelimit_slot	*s, *least = &b->slots[0];
	size_t			 i;

	for (i = 0; i < RATELIMIT_WAYS; i++) {
		s = &b->slots[i];
		if (s->until == 0 || now >= s->until)
			return s;
		if (s->count < least->count ||
		    (s->count == least->count && s->until < least->until))
			least = s;
	}
	if (now >= b->floor_until) {	/* an old floor has run out */
		b->floor_count = 0;
		b->floor_until = 0;
	}
	if (b->floor_count < least->count)
		b->floor_count = least->count;
	if (b->floor_until < least->until)
		b->floor_until = least->until;
	return least;
}

unsigned int
ratelimit_retry_after(struct ratelimit *rl,
    const unsigned char key[RATELIMIT_KEY_BYTES], time_t now)
{
	struct ratelimit_bucket	*b;
	struct ratelimit_slot	*s;
	unsigned int		 count, wait = 0;
	time_t			 until;

	if (pthread_mutex_lock(&rl->lock) != 0)
		return rl->window;	/* fail closed */
	ratelimit_rotate(rl, now);
	b = ratelimit_bucket(rl, key);
	if ((s = ratelimit_find(b, key)) != NULL) {
		count = now < s->until ? s->count : 0;
		until = s->until;
	} else {
		count = ratelimit_floor(b, now);
		until = b->floor_until;
	}
	if (count >= rl->limit)	/* then now < until */
		wait = until - now > (time_t)rl->window ? rl->window :
		    (unsigned int)(until - now);
	(void)pthread_mutex_unlock(&rl->lock);
	return wait;
}

void
ratelimit_fail(struct ratelimit *rl,
    const unsigned char key[RATELIMIT_KEY_BYTES], time_t now)
{
	struct ratelimit_bucket	*b;
	struct ratelimit_slot	*s;
	unsigned int		 base;

	if (pthread_mutex_lock(&rl->lock) != 0)
		return;
	ratelimit_rotate(rl, now);
	b = ratelimit_bucket(rl, key);
	if ((s = ratelimit_find(b, key)) != NULL && now < s->until) {
		if (s->count < UINT_MAX)
			s->count++;
	} else {
		/*
		 * A key with a slot but an expired window starts again from
		 * nothing; a key without a slot may have been given up while
		 * live, so it starts from the floor.
		 */
		base = 0;
		if (s == NULL) {
			base = ratelimit_floor(b, now);
			s = ratelimit_claim(b, now);
		}
		memcpy(s->key, key, RATELIMIT_KEY_BYTES);
		s->count = base < UINT_MAX ? base + 1 : UINT_MAX;
		s->until = now + (time_t)rl->window;
	}
	(void)pthread_mutex_unlock(&rl->lock);
}

void
ratelimit_reset(struct ratelimit *rl,
    const unsigned char key[RATELIMIT_KEY_BYTES])
{
	struct ratelimit_slot *s;

	if (pthread_mutex_lock(&rl->lock) != 0)
		return;
	if ((s = ratelimit_find(ratelimit_bucket(rl, key), key)) != NULL)
		sodium_memzero(s, sizeof(*s));
	(void)pthread_mutex_unlock(&rl->lock);
}
