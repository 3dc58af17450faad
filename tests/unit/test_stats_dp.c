/*
 * test_stats_dp.c - the discrete Laplace sampler: known answers with a
 * scripted source, the distribution against the exact one (chi-square),
 * the libsodium source, post-processing, and a source without a single
 * floating-point type or maths-library call.
 *
 * The expected probabilities are computed here in double; the test needs
 * no maths library (exp and sqrt are written out below).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "stats.h"
#include "stats_dp.h"

#ifndef MELDPUNT_VECTORS
#define MELDPUNT_VECTORS "tests/vectors"
#endif
#define STATS_DP_SOURCE	MELDPUNT_VECTORS "/../../backend/stats/stats_dp.c"

/* ------------------------------------------------------------ sources */

/* A scripted source: each draw must ask for the bound in the script. */
struct script {
	const uint64_t	(*steps)[2];	/* { upper, value } */
	size_t		  n, at;
	int		  wrong;
};

static int
script_uniform(void *ctx, uint64_t upper, uint64_t *out)
{
	struct script *s = ctx;

	if (s->at >= s->n || s->steps[s->at][0] != upper) {
		s->wrong = 1;
		return -1;
	}
	*out = s->steps[s->at++][1];
	return 0;
}

/* A seeded source: splitmix64 with rejection, exactly uniform. */
static int
seeded_uniform(void *ctx, uint64_t upper, uint64_t *out)
{
	uint64_t *state = ctx, z, min = (0 - upper) % upper;

	do {
		z = (*state += 0x9e3779b97f4a7c15ULL);
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
		z ^= z >> 31;
	} while (z < min);
	*out = z % upper;
	return 0;
}

static int
failing_uniform(void *ctx, uint64_t upper, uint64_t *out)
{
	(void)ctx;
	(void)upper;
	(void)out;
	return -1;
}

/* ------------------------------------------------------ double helpers */

static double
t_exp(double x)
{
	double	sum = 1, term = 1;
	int	i, halvings = 0;

	while (x > 0.5 || x < -0.5) {
		x /= 2;
		halvings++;
	}
	for (i = 1; i < 30; i++) {
		term *= x / i;
		sum += term;
	}
	while (halvings-- > 0)
		sum *= sum;
	return sum;
}

static double
t_sqrt(double x)
{
	double	r = x > 1 ? x : 1;
	int	i;

	for (i = 0; i < 200; i++)
		r = (r + x / r) / 2;
	return r;
}

/* P(Y = y) for epsilon = num/den. */
static double
dlap_p(double q, long y)
{
	double	p = (1 - q) / (1 + q);
	long	i;

	for (i = 0; i < (y < 0 ? -y : y); i++)
		p *= q;
	return p;
}

/* ---------------------------------------------------------------- tests */

static void
known_answer_epsilon_1(void **state)
{
	/* Round 1: V = 0, Y = 0, sign "-" rejects. Round 2: the first
	 * Bernoulli(e^-1) chain stops at K = 3 (odd: success, V = 1), the
	 * second at K = 2 (failure); Y = 1, sign "-". */
	static const uint64_t steps[][2] = {
		{ 2, 1 }, { 2, 0 },
		{ 2, 0 }, { 3, 2 }, { 2, 1 }, { 2, 0 } };
	struct script		s = { steps, 6, 0, 0 };
	struct stats_dp_rng	rng = { script_uniform, &s };
	int64_t			y = 99;

	(void)state;
	assert_int_equal(stats_dp_laplace(&rng, 1, 1, &y), 0);
	assert_int_equal(y, -1);
	assert_int_equal(s.at, 6);
	assert_false(s.wrong);
}

static void
known_answer_epsilon_half(void **state)
{
	/* t = 2: U = 1 is kept with probability e^(-1/2): the chain stops at
	 * K = 2, so it is rejected. Then U = 0 (kept without a draw), a
	 * chain to K = 5 (V = 1), a failing chain (K = 2); X = 0 + 2 * 1,
	 * Y = 2, sign "+". */
	static const uint64_t steps[][2] = {
		{ 2, 1 }, { 2, 0 }, { 4, 3 },
		{ 2, 0 }, { 2, 0 }, { 3, 0 }, { 4, 0 }, { 5, 4 }, { 2, 1 },
		{ 2, 1 } };
	struct script		s = { steps, 10, 0, 0 };
	struct stats_dp_rng	rng = { script_uniform, &s };
	int64_t			y = 99;

	(void)state;
	assert_int_equal(stats_dp_laplace(&rng, 1, 2, &y), 0);
	assert_int_equal(y, 2);
	assert_int_equal(s.at, 10);
	assert_false(s.wrong);
}

static void
known_answer_epsilon_2(void **state)
{
	/* s = 2: round 1 gives X = 1, Y = 0 and "-": rejected; round 2 gives
	 * V = 3, X = 3, Y = 1, "+". */
	static const uint64_t steps[][2] = {
		{ 2, 0 }, { 3, 2 }, { 2, 0 }, { 3, 0 }, { 4, 3 }, { 2, 0 },
		{ 2, 0 }, { 3, 2 }, { 2, 0 }, { 3, 2 }, { 2, 0 }, { 3, 2 },
		{ 2, 1 }, { 2, 1 } };
	struct script		s = { steps, 14, 0, 0 };
	struct stats_dp_rng	rng = { script_uniform, &s };
	int64_t			y = 99;

	(void)state;
	assert_int_equal(stats_dp_laplace(&rng, 2, 1, &y), 0);
	assert_int_equal(y, 1);
	assert_int_equal(s.at, 14);
	assert_false(s.wrong);
}

static void
chi_square(uint32_t num, uint32_t den, uint64_t seed)
{
	enum { N = 1000000, MAXB = 200 };
	struct stats_dp_rng	 rng = { seeded_uniform, &seed };
	double			 q = t_exp(-(double)num / den), e, chi = 0;
	double			 df, z = 3.719, h, crit, p0;
	long			*count, b, y;
	int64_t			 v;
	long			 i, zeros = 0;
	int			 bins;

	count = calloc(2 * MAXB + 3, sizeof(*count));
	assert_non_null(count);
	/* Bins -b..b with an expected count of at least 20, then the tails. */
	for (b = 0; b < MAXB && N * dlap_p(q, b + 1) >= 20; b++)
		;
	for (i = 0; i < N; i++) {
		assert_int_equal(stats_dp_laplace(&rng, num, den, &v), 0);
		y = v < -b ? -b - 1 : v > b ? b + 1 : (long)v;
		count[y + b + 1]++;
		zeros += v == 0;
	}
	for (y = -b - 1; y <= b + 1; y++) {
		if (y < -b || y > b)
			e = N * dlap_p(q, b + 1) / (1 - q);	/* one tail */
		else
			e = N * dlap_p(q, y);
		chi += (count[y + b + 1] - e) * (count[y + b + 1] - e) / e;
	}
	bins = (int)(2 * b + 3);
	df = bins - 1;
	/* Wilson-Hilferty: the chi-square quantile at p = 1e-4. */
	h = 1 - 2 / (9 * df) + z * t_sqrt(2 / (9 * df));
	crit = df * h * h * h;
	print_message("epsilon %u/%u: chi2 %.1f, df %.0f, limit %.1f\n", num,
	    den, chi, df, crit);
	assert_true(chi < crit);
	/* And P(0) = (1 - q) / (1 + q) within five standard deviations. */
	p0 = (1 - q) / (1 + q);
	assert_true((double)zeros / N > p0 - 5 * t_sqrt(p0 * (1 - p0) / N));
	assert_true((double)zeros / N < p0 + 5 * t_sqrt(p0 * (1 - p0) / N));
	free(count);
}

static void
distribution_matches_exactly(void **state)
{
	(void)state;
	chi_square(1, 2, 11);
	chi_square(1, 1, 12);
	chi_square(2, 1, 13);
	chi_square(2, 3, 14);	/* s > 1 and t > 1 together */
}

static void
distribution_detects_a_wrong_epsilon(void **state)
{
	enum { N = 200000 };
	uint64_t		 seed = 3;
	struct stats_dp_rng	 rng = { seeded_uniform, &seed };
	double			 q = t_exp(-1.0), p0 = (1 - q) / (1 + q);
	int64_t			 v;
	long			 i, zeros = 0;

	(void)state;
	/* The same P(0) check fails for epsilon 1/2 against epsilon 1. */
	for (i = 0; i < N; i++) {
		assert_int_equal(stats_dp_laplace(&rng, 1, 2, &v), 0);
		zeros += v == 0;
	}
	assert_true((double)zeros / N < p0 - 5 * t_sqrt(p0 * (1 - p0) / N));
}

static void
bernoulli_exp_rates(void **state)
{
	static const uint32_t cases[][2] = { { 1, 3 }, { 1, 1 }, { 5, 2 },
	    { 0, 7 } };
	enum { N = 100000 };
	uint64_t		 seed = 21;
	struct stats_dp_rng	 rng = { seeded_uniform, &seed };
	double			 p, sd;
	size_t			 c;
	long			 i, ones;
	int			 bit;

	(void)state;
	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		ones = 0;
		for (i = 0; i < N; i++) {
			assert_int_equal(stats_dp_bernoulli_exp(&rng,
			    cases[c][0], cases[c][1], &bit), 0);
			ones += bit;
		}
		p = t_exp(-(double)cases[c][0] / cases[c][1]);
		sd = t_sqrt(p * (1 - p) / N) + 1e-12;
		assert_true((double)ones / N > p - 5 * sd);
		assert_true((double)ones / N < p + 5 * sd);
	}
	assert_int_equal(stats_dp_bernoulli_exp(&rng, 1, 0, &bit), -1);
}

static void
bad_arguments_and_failing_source(void **state)
{
	struct stats_dp_rng	 bad = { failing_uniform, NULL };
	uint64_t		 in[3] = { 4, 5, 6 }, out[3] = { 1, 1, 1 };
	int64_t			 v;

	(void)state;
	assert_int_equal(stats_dp_laplace(NULL, 0, 1, &v), -1);
	assert_int_equal(stats_dp_laplace(NULL, 1, 0, &v), -1);
	assert_int_equal(stats_dp_laplace(NULL, STATS_DP_MAX_TERM + 1, 1, &v),
	    -1);
	assert_int_equal(stats_dp_laplace(&bad, 1, 2, &v), -1);
	assert_int_equal(stats_dp_noisy_counts(&bad, 1, 2, in, out, 3), -1);
	assert_int_equal(out[0] + out[1] + out[2], 0);	/* wiped */
	in[1] = (uint64_t)1 << 63;
	assert_int_equal(stats_dp_noisy_counts(NULL, 1, 1, in, out, 3), -1);
}

static void
sodium_source_is_uniform(void **state)
{
	uint64_t	v, upper = (uint64_t)3 << 32, band[3] = { 0, 0, 0 };
	int64_t		y;
	long		i, n = 30000;
	double		sd = t_sqrt(n * (1.0 / 3) * (2.0 / 3));

	(void)state;
	assert_true(sodium_init() >= 0);
	assert_int_equal(stats_dp_uniform_sodium(NULL, 0, &v), -1);
	assert_int_equal(stats_dp_uniform_sodium(NULL,
	    ((uint64_t)1 << 63) + 1, &v), -1);
	assert_int_equal(stats_dp_uniform_sodium(NULL, 1, &v), 0);
	assert_int_equal(v, 0);
	for (i = 0; i < n; i++) {
		assert_int_equal(stats_dp_uniform_sodium(NULL, upper, &v), 0);
		assert_true(v < upper);
		band[v >> 32]++;
	}
	for (i = 0; i < 3; i++) {
		assert_true(band[i] > n / 3.0 - 5 * sd);
		assert_true(band[i] < n / 3.0 + 5 * sd);
	}
	for (i = 0; i < 1000; i++) {
		assert_int_equal(stats_dp_uniform_sodium(NULL, 7, &v), 0);
		assert_true(v < 7);
	}
	/* The default source behind a NULL rng. */
	assert_int_equal(stats_dp_laplace(NULL, 1, 1, &y), 0);
}

static void
post_processing_is_non_negative(void **state)
{
	enum { N = 20000 };
	uint64_t		 seed = 77, *in, *out;
	struct stats_dp_rng	 rng = { seeded_uniform, &seed };
	double			 q = t_exp(-0.5), p0 = (1 - q) / (1 + q);
	double			 pz = (1 + p0) / 2, sd;
	long			 i, zeros = 0;

	(void)state;
	in = calloc(N, sizeof(*in));
	out = calloc(N, sizeof(*out));
	assert_non_null(in);
	assert_non_null(out);
	assert_int_equal(stats_dp_noisy_counts(&rng, 1, 2, in, out, N), 0);
	/* Zero counts: a negative noisy value is clamped to 0, so P(0) is
	 * P(noise <= 0) = (1 + P(noise = 0)) / 2. */
	for (i = 0; i < N; i++)
		zeros += out[i] == 0;
	sd = t_sqrt(pz * (1 - pz) / N);
	assert_true((double)zeros / N > pz - 5 * sd);
	assert_true((double)zeros / N < pz + 5 * sd);
	free(in);
	free(out);
}

static void
dp_release_totals_are_sums(void **state)
{
	static const char *const orgs[] = { "aa", "bb", "cc" };
	static const char *const topics[] = { "a1", "b2", "c3", "d4" };
	struct stats_dim	 dims[2] = { { "organisation", orgs, 3 },
	    { "topic", topics, 4 } };
	struct stats_meta	 meta = { "dp1", "intake_org_topic", "2024Q2",
	    "2024-07-01" };
	uint64_t		 seed = 5;
	struct stats_dp_rng	 rng = { seeded_uniform, &seed };
	struct stats_cube	*cube;
	struct stats_table	*t;
	size_t			 i, j, coords[2], round;
	int64_t			 sum, all, v;
	char			*json, *csv;
	size_t			 len;

	(void)state;
	assert_int_equal(stats_cube_new(&cube, dims, 2), 0);
	/* The year's map, empty (as the daemon gives it): published all the
	 * same. */
	assert_int_equal(stats_cube_merge(cube, "other", NULL, 0), 0);
	coords[0] = 1;
	coords[1] = 2;
	assert_int_equal(stats_cube_add(cube, coords, 3), 0);
	for (round = 0; round < 50; round++) {
		assert_int_equal(stats_release_dp(cube, 0, 1, 1, 2, &rng, &t),
		    0);
		assert_int_equal(stats_table_method(t), STATS_METHOD_DP);
		all = 0;
		for (i = 0; i < 3; i++) {
			sum = 0;
			for (j = 0; j < 4; j++) {
				v = stats_table_cell(t, i, j);
				assert_true(v >= 0);
				sum += v;
			}
			assert_int_equal(stats_table_row_total(t, i), sum);
			all += sum;
		}
		for (j = 0; j < 4; j++) {
			sum = 0;
			for (i = 0; i < 3; i++)
				sum += stats_table_cell(t, i, j);
			assert_int_equal(stats_table_col_total(t, j), sum);
		}
		assert_int_equal(stats_table_total(t), all);
		if (round == 0) {
			assert_int_equal(stats_table_json(t, &meta, &json,
			    &len), 0);
			assert_non_null(strstr(json, "\"epsilon\":\"1/2\""));
			assert_non_null(strstr(json, "\"method\":\"dp\""));
			assert_null(strstr(json, "\"k\""));
			assert_null(strstr(json, "null"));
			assert_non_null(strstr(json, "\"merge\":{\"applied\":"
			    "false,\"group\":\"other\",\"members\":[]}"));
			free(json);
			assert_int_equal(stats_table_csv(t, &meta, &csv, &len),
			    0);
			assert_null(strstr(csv, ",x"));
			/* The header block says what the release is. */
			assert_non_null(strstr(csv, "release,dp1\r\n"
			    "family,intake_org_topic\r\nquarter,2024Q2\r\n"
			    "method,dp\r\nepsilon,1/2\r\n"
			    "created_on,2024-07-01\r\nrows,organisation\r\n"
			    "cols,topic\r\nmerge_group,other\r\n"
			    "merge_applied,false\r\nmerge_members\r\n\r\n"
			    "organisation,a1,b2,c3,d4,Total\r\n"));
			assert_null(strstr(csv, "\r\nk,"));
			free(csv);
		}
		stats_table_free(t);
	}
	/* An epsilon of 4/2 is shown reduced. */
	assert_int_equal(stats_release_dp(cube, 0, 1, 4, 2, &rng, &t), 0);
	assert_int_equal(stats_table_json(t, &meta, &json, &len), 0);
	assert_non_null(strstr(json, "\"epsilon\":\"2\""));
	free(json);
	stats_table_free(t);
	assert_int_equal(stats_release_dp(cube, 0, 1, 0, 2, &rng, &t), -1);
	assert_null(t);
	stats_cube_free(cube);
}

/* The sampler's source: no floating-point type, no maths library. */
static void
source_has_no_floating_point(void **state)
{
	static const char *const banned[] = { "float", "double", "exp",
	    "expf", "expl", "exp2", "expm1", "log", "logf", "logl", "log1p",
	    "log2", "pow", "powf", "powl", "sqrt", "ldexp", "frexp",
	    "_Float32", "_Float64", "__float128", "HUGE_VAL", "INFINITY" };
	FILE	*f;
	char	*src, word[64];
	long	 size;
	size_t	 i, j, n, w;

	(void)state;
	f = fopen(STATS_DP_SOURCE, "rb");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	size = ftell(f);
	assert_true(size > 1000);
	rewind(f);
	src = malloc((size_t)size + 1);
	assert_non_null(src);
	assert_int_equal(fread(src, 1, (size_t)size, f), (size_t)size);
	src[size] = '\0';
	assert_int_equal(fclose(f), 0);
	assert_null(strstr(src, "math.h"));
	assert_null(strstr(src, "tgmath.h"));
	/* Every identifier-like word, comments included. */
	n = 0;
	for (i = 0; i <= (size_t)size; i++) {
		char ch = src[i];

		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == '_') {
			if (n + 1 < sizeof(word))
				word[n++] = ch;
			continue;
		}
		word[n] = '\0';
		/* A header name such as "log.h" (the project's logger). */
		if (ch == '.' && src[i + 1] == 'h' && src[i + 2] == '"' &&
		    strcmp(word, "math") != 0) {
			n = 0;
			continue;
		}
		for (j = 0; n > 0 && j < sizeof(banned) / sizeof(banned[0]);
		    j++)
			if (strcmp(word, banned[j]) == 0)
				fail_msg("stats_dp.c uses \"%s\"", word);
		/* A decimal point between digits is a floating literal. */
		if (ch == '.' && n > 0 && word[n - 1] >= '0' &&
		    word[n - 1] <= '9' && src[i + 1] >= '0' &&
		    src[i + 1] <= '9' && !(word[0] >= 'a' && word[0] <= 'z'))
			fail_msg("stats_dp.c has a floating literal");
		n = 0;
	}
	/* The check itself works: these words are found in this text. */
	w = 0;
	for (j = 0; j < sizeof(banned) / sizeof(banned[0]); j++)
		w += strstr("double exp log pow", banned[j]) != NULL;
	assert_true(w >= 4);
	free(src);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(known_answer_epsilon_1),
		cmocka_unit_test(known_answer_epsilon_half),
		cmocka_unit_test(known_answer_epsilon_2),
		cmocka_unit_test(distribution_matches_exactly),
		cmocka_unit_test(distribution_detects_a_wrong_epsilon),
		cmocka_unit_test(bernoulli_exp_rates),
		cmocka_unit_test(bad_arguments_and_failing_source),
		cmocka_unit_test(sodium_source_is_uniform),
		cmocka_unit_test(post_processing_is_non_negative),
		cmocka_unit_test(dp_release_totals_are_sums),
		cmocka_unit_test(source_has_no_floating_point),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
