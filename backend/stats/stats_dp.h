/*
 * stats_dp.h - the differential-privacy sampler of SPEC section 6: integer
 * two-sided geometric (discrete Laplace) noise for a rational epsilon,
 * drawn with integer arithmetic only (Canonne, Kamath, Steinke, "The
 * Discrete Gaussian for Differential Privacy", 2020, algorithms 1 and 2).
 *
 * For epsilon = num/den the sampler returns Y with
 *	P(Y = y) = (1 - q) / (1 + q) * q^|y|,	q = e^(-num/den),
 * which gives epsilon-DP for a count whose value one case changes by at
 * most one. The sampler's source uses integers only and no maths library;
 * a unit test reads the source to keep it that way.
 *
 * Randomness comes from a uniform source: libsodium by default
 * (randombytes_uniform, or 64-bit words from randombytes_buf with
 * rejection when a bound exceeds 32 bits). Tests inject their own.
 */
#ifndef MELDPUNT_STATS_DP_H
#define MELDPUNT_STATS_DP_H

#include <stddef.h>
#include <stdint.h>

/* Largest numerator or denominator of epsilon. */
#define STATS_DP_MAX_TERM	((uint32_t)1 << 30)

/*
 * A uniform source: uniform(ctx, upper, &out) stores a uniformly random
 * integer in [0, upper) in *out, for 2 <= upper <= 2^63, and returns 0, or
 * -1 on failure (the sampler then fails too). The sampler never asks for
 * upper < 2: it answers those draws itself without consuming randomness.
 */
struct stats_dp_rng {
	int	(*uniform)(void *ctx, uint64_t upper, uint64_t *out);
	void	*ctx;
};

/*
 * stats_dp_uniform_sodium: the default source (ctx unused). Bounds up to
 * 2^32 - 1 use randombytes_uniform; larger bounds draw 64-bit words with
 * randombytes_buf and reject the low 2^64 mod upper words, so the result
 * is exactly uniform. Returns 0, or -1 when upper < 1 or upper > 2^63.
 */
int	stats_dp_uniform_sodium(void *ctx, uint64_t upper, uint64_t *out);

/*
 * stats_dp_bernoulli_exp: store 1 in *bit with probability e^(-num/den),
 * else 0 (CKS algorithm 1, integer arithmetic only). rng may be NULL for
 * the default source. Returns 0, or -1 for den == 0, num or den above
 * STATS_DP_MAX_TERM, or a failing source.
 */
int	stats_dp_bernoulli_exp(const struct stats_dp_rng *rng, uint32_t num,
	    uint32_t den, int *bit);

/*
 * stats_dp_laplace: store one discrete Laplace draw for epsilon = num/den
 * in *noise (CKS algorithm 2 with s = num, t = den, scale den/num). rng may
 * be NULL for the default source. Returns 0, or -1 for a zero or too large
 * num or den, a failing source, or (with a broken source only) more than
 * 2^20 rejected rounds.
 */
int	stats_dp_laplace(const struct stats_dp_rng *rng, uint32_t num,
	    uint32_t den, int64_t *noise);

/*
 * stats_dp_noisy_counts: out[i] = max(0, in[i] + noise_i) for n counts,
 * with independent noise for epsilon = num/den. The clamp at zero uses the
 * noisy value only (post-processing); the true counts never influence it.
 * in and out may be the same array. Counts must be at most 2^62. Returns 0,
 * or -1 (and out is wiped) when a draw fails or a count is too large.
 */
int	stats_dp_noisy_counts(const struct stats_dp_rng *rng, uint32_t num,
	    uint32_t den, const uint64_t *in, uint64_t *out, size_t n);

#endif
