/*
 * ratelimit.c - fixed windows of failures in a small table.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "ratelimit.h"

struct ratelimit_slot {
	unsigned char	key[RATELIMIT_KEY_BYTES];
	time_t		start;
	unsigned int	count;
	int		used;
};

struct ratelimit {
	pthread_mutex_t		 lock;
	struct ratelimit_slot	*slots;
	size_t			 nslots;
	unsigned int		 limit, window;
	long long		 day;	/* UTC day of day_key, -1: none yet */
	unsigned char		 day_key[crypto_generichash_KEYBYTES];
};

struct ratelimit *
ratelimit_new(size_t slots, unsigned int limit, unsigned int window)
{
	struct ratelimit *rl;

	if (slots == 0 || (rl = calloc(1, sizeof(*rl))) == NULL)
		return NULL;
	if ((rl->slots = calloc(slots, sizeof(*rl->slots))) == NULL ||
	    pthread_mutex_init(&rl->lock, NULL) != 0) {
		free(rl->slots);
		free(rl);
		return NULL;
	}
	rl->nslots = slots;
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
	sodium_memzero(rl->slots, rl->nslots * sizeof(*rl->slots));
	free(rl->slots);
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
	memset(rl->slots, 0, rl->nslots * sizeof(*rl->slots));
	rl->day = day;
}

int
ratelimit_key(struct ratelimit *rl, time_t now, const char *addr,
    const unsigned char *scope, size_t scopelen,
    unsigned char key[RATELIMIT_KEY_BYTES])
{
	crypto_generichash_state	st;
	unsigned char			sep = 0;
	int				rc = 0;

	if (pthread_mutex_lock(&rl->lock) != 0)
		return -1;
	ratelimit_rotate(rl, now);
	if (crypto_generichash_init(&st, rl->day_key, sizeof(rl->day_key),
	    RATELIMIT_KEY_BYTES) != 0 ||
	    crypto_generichash_update(&st, (const unsigned char *)addr,
	    strlen(addr)) != 0 ||
	    crypto_generichash_update(&st, &sep, 1) != 0 ||
	    crypto_generichash_update(&st, scope, scopelen) != 0 ||
	    crypto_generichash_final(&st, key, RATELIMIT_KEY_BYTES) != 0)
		rc = -1;
	(void)pthread_mutex_unlock(&rl->lock);
	sodium_memzero(&st, sizeof(st));
	return rc;
}

/* The slot of key, or NULL. Called locked. */
static struct ratelimit_slot *
ratelimit_find(struct ratelimit *rl, const unsigned char *key)
{
	size_t i;

	for (i = 0; i < rl->nslots; i++)
		if (rl->slots[i].used &&
		    memcmp(rl->slots[i].key, key, RATELIMIT_KEY_BYTES) == 0)
			return &rl->slots[i];
	return NULL;
}

/* A free or expired slot, else the one whose window started first. */
static struct ratelimit_slot *
ratelimit_claim(struct ratelimit *rl, time_t now)
{
	struct ratelimit_slot	*oldest = &rl->slots[0];
	size_t			 i;

	for (i = 0; i < rl->nslots; i++) {
		if (!rl->slots[i].used ||
		    now - rl->slots[i].start >= (time_t)rl->window)
			return &rl->slots[i];
		if (rl->slots[i].start < oldest->start)
			oldest = &rl->slots[i];
	}
	return oldest;
}

unsigned int
ratelimit_retry_after(struct ratelimit *rl,
    const unsigned char key[RATELIMIT_KEY_BYTES], time_t now)
{
	struct ratelimit_slot	*s;
	unsigned int		 wait = 0;

	if (pthread_mutex_lock(&rl->lock) != 0)
		return rl->window;	/* fail closed */
	ratelimit_rotate(rl, now);
	s = ratelimit_find(rl, key);
	if (s != NULL && now - s->start < (time_t)rl->window &&
	    s->count >= rl->limit)
		wait = (unsigned int)(s->start + (time_t)rl->window - now);
	(void)pthread_mutex_unlock(&rl->lock);
	return wait;
}

void
ratelimit_fail(struct ratelimit *rl,
    const unsigned char key[RATELIMIT_KEY_BYTES], time_t now)
{
	struct ratelimit_slot *s;

	if (pthread_mutex_lock(&rl->lock) != 0)
		return;
	ratelimit_rotate(rl, now);
	if ((s = ratelimit_find(rl, key)) == NULL ||
	    now - s->start >= (time_t)rl->window) {
		if (s == NULL)
			s = ratelimit_claim(rl, now);
		memcpy(s->key, key, RATELIMIT_KEY_BYTES);
		s->start = now;
		s->count = 0;
		s->used = 1;
	}
	s->count++;
	(void)pthread_mutex_unlock(&rl->lock);
}

void
ratelimit_reset(struct ratelimit *rl,
    const unsigned char key[RATELIMIT_KEY_BYTES])
{
	struct ratelimit_slot *s;

	if (pthread_mutex_lock(&rl->lock) != 0)
		return;
	if ((s = ratelimit_find(rl, key)) != NULL)
		memset(s, 0, sizeof(*s));
	(void)pthread_mutex_unlock(&rl->lock);
}
