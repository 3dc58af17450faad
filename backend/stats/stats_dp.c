/*
 * stats_dp.c - discrete Laplace noise with integer arithmetic only.
 *
 * Canonne, Kamath and Steinke (2020): a Bernoulli with success probability
 * e^(-g) for rational g = n/d is drawn by the "K loop" (algorithm 1): count
 * how many Bernoulli(g/K) successes come in a row for K = 1, 2, ...; the
 * chain stops at an odd K with probability e^(-g). A discrete Laplace with
 * scale t/s (algorithm 2) then draws U uniform in [0, t), keeps it with
 * probability e^(-U/t), adds t times a geometric count V of e^(-1)
 * successes, divides by s and attaches a fair sign, rejecting "-0".
 *
 * Every probability here is a ratio of two integers and every draw is a
 * uniform integer below a bound; nothing is rounded, so the output has
 * exactly the distribution in stats_dp.h.
 */
#include <stdint.h>
#include <string.h>

#include <sodium.h>

#include "log.h"
#include "stats_dp.h"

/* Rounds of the outer rejection loop before we call the source broken. */
#define DP_MAX_ROUNDS	((uint32_t)1 << 20)
/* Longest K chain: its probability is below 1/(2^20)! for g <= 1. */
#define DP_MAX_CHAIN	((uint64_t)1 << 20)

int
stats_dp_uniform_sodium(void *ctx, uint64_t upper, uint64_t *out)
{
	unsigned char	buf[8];
	uint64_t	r, min;
	size_t		i;

	(void)ctx;
	if (upper < 1 || upper > ((uint64_t)1 << 63))
		return -1;
	if (upper <= UINT32_MAX) {
		*out = randombytes_uniform((uint32_t)upper);
		return 0;
	}
	/* 2^64 mod upper, computed in 64 bits: words below it are rejected. */
	min = (0 - upper) % upper;
	for (;;) {
		randombytes_buf(buf, sizeof(buf));
		r = 0;
		for (i = 0; i < sizeof(buf); i++)
			r = (r << 8) | buf[i];
		if (r >= min)
			break;
	}
	sodium_memzero(buf, sizeof(buf));
	*out = r % upper;
	return 0;
}

static const struct stats_dp_rng dp_default = { stats_dp_uniform_sodium, NULL };

/* dp_uniform: uniform in [0, upper); bound 1 needs no randomness. */
static int
dp_uniform(const struct stats_dp_rng *rng, uint64_t upper, uint64_t *out)
{
	if (upper == 0)
		return -1;
	if (upper == 1) {
		*out = 0;
		return 0;
	}
	if (rng->uniform(rng->ctx, upper, out) == -1 || *out >= upper)
		return -1;
	return 0;
}

/* dp_bernoulli: *bit = 1 with probability n/m, 0 <= n <= m, m >= 1. */
static int
dp_bernoulli(const struct stats_dp_rng *rng, uint64_t n, uint64_t m, int *bit)
{
	uint64_t u;

	if (n == 0) {
		*bit = 0;
		return 0;
	}
	if (n >= m) {
		*bit = 1;
		return 0;
	}
	if (dp_uniform(rng, m, &u) == -1)
		return -1;
	*bit = u < n;
	return 0;
}

/* dp_bernoulli_exp_le1: *bit = 1 with probability e^(-n/d), n <= d. */
static int
dp_bernoulli_exp_le1(const struct stats_dp_rng *rng, uint64_t n, uint64_t d,
    int *bit)
{
	uint64_t	k, m;
	int		a;

	for (k = 1; k <= DP_MAX_CHAIN; k++) {
		/* Bernoulli(n / (d k)): d <= 2^30, k <= 2^20, no overflow. */
		m = d * k;
		if (dp_bernoulli(rng, n, m, &a) == -1)
			return -1;
		if (!a) {
			*bit = (int)(k & 1);
			return 0;
		}
	}
	log_warnx("%s: chain too long", __func__);
	return -1;
}

static const struct stats_dp_rng *
dp_source(const struct stats_dp_rng *rng)
{
	return rng != NULL && rng->uniform != NULL ? rng : &dp_default;
}

static int
dp_check_terms(uint32_t num, uint32_t den)
{
	if (num == 0 || den == 0 || num > STATS_DP_MAX_TERM ||
	    den > STATS_DP_MAX_TERM) {
		log_warnx("%s: epsilon terms out of range", __func__);
		return -1;
	}
	return 0;
}

int
stats_dp_bernoulli_exp(const struct stats_dp_rng *rng, uint32_t num,
    uint32_t den, int *bit)
{
	uint32_t	i, whole;
	int		b;

	rng = dp_source(rng);
	if (den == 0 || num > STATS_DP_MAX_TERM || den > STATS_DP_MAX_TERM) {
		log_warnx("%s: bad argument", __func__);
		return -1;
	}
	/* e^(-g) = (e^(-1))^floor(g) * e^(-(g - floor(g))) */
	whole = num / den;
	for (i = 0; i < whole; i++) {
		if (dp_bernoulli_exp_le1(rng, 1, 1, &b) == -1)
			return -1;
		if (!b) {
			*bit = 0;
			return 0;
		}
	}
	return dp_bernoulli_exp_le1(rng, num % den, den, bit);
}

int
stats_dp_laplace(const struct stats_dp_rng *rng, uint32_t num, uint32_t den,
    int64_t *noise)
{
	uint64_t	u, v, x, y;
	uint32_t	round;
	int		d, a, b;

	rng = dp_source(rng);
	if (dp_check_terms(num, den) == -1)
		return -1;
	/* CKS algorithm 2 with s = num, t = den: scale t/s = 1/epsilon. */
	for (round = 0; round < DP_MAX_ROUNDS; round++) {
		if (dp_uniform(rng, den, &u) == -1 ||
		    dp_bernoulli_exp_le1(rng, u, den, &d) == -1)
			return -1;
		if (!d)
			continue;
		for (v = 0;; v++) {
			if (v >= DP_MAX_CHAIN) {
				log_warnx("%s: geometric tail too long",
				    __func__);
				return -1;
			}
			if (dp_bernoulli_exp_le1(rng, 1, 1, &a) == -1)
				return -1;
			if (!a)
				break;
		}
		/* u < 2^30, v < 2^20, den <= 2^30: x < 2^51. */
		x = u + (uint64_t)den * v;
		y = x / num;
		if (dp_bernoulli(rng, 1, 2, &b) == -1)
			return -1;
		if (b && y == 0)
			continue;
		*noise = b ? -(int64_t)y : (int64_t)y;
		return 0;
	}
	log_warnx("%s: too many rejected rounds", __func__);
	return -1;
}

int
stats_dp_noisy_counts(const struct stats_dp_rng *rng, uint32_t num,
    uint32_t den, const uint64_t *in, uint64_t *out, size_t n)
{
	int64_t	noise = 0, noisy = 0;
	size_t	i;

	if (dp_check_terms(num, den) == -1)
		goto fail;
	for (i = 0; i < n; i++) {
		if (in[i] > ((uint64_t)1 << 62)) {
			log_warnx("%s: count too large", __func__);
			goto fail;
		}
		if (stats_dp_laplace(rng, num, den, &noise) == -1)
			goto fail;
		/* |noise| < 2^51 and in[i] <= 2^62: no overflow. */
		noisy = (int64_t)in[i] + noise;
		out[i] = noisy < 0 ? 0 : (uint64_t)noisy;
	}
	sodium_memzero(&noise, sizeof(noise));
	sodium_memzero(&noisy, sizeof(noisy));
	return 0;
fail:
	sodium_memzero(&noise, sizeof(noise));
	if (n > 0)
		sodium_memzero(out, n * sizeof(*out));
	return -1;
}
