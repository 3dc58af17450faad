/*
 * test_pow.c - proof of work (SPEC 3.9) against tests/vectors/pow.json, and
 * the difficulty rule: d + 1 once the last hour passes the ceiling, one
 * more per further doubling of the rate, at most d + 6.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cjson/cJSON.h>
#include <sodium.h>

#include "pow.h"
#include "vectors.h"


/* The number of leading zero bits of h, MSB of h[0] first. */
static unsigned int
leading_zero_bits(const unsigned char h[32])
{
	unsigned int	i;

	for (i = 0; i < 256; i++)
		if ((h[i >> 3] >> (7 - (i & 7))) & 1)
			break;
	return i;
}

static void
pow_vectors(void **state)
{
	cJSON		*root = vectors_load("pow.json");
	const cJSON	*cases, *c;
	int		 valid = 0, invalid = 0;

	(void)state;
	cases = cJSON_GetObjectItemCaseSensitive(root, "cases");
	assert_true(cJSON_IsArray(cases));
	cJSON_ArrayForEach(c, cases) {
		const cJSON	*dj = cJSON_GetObjectItemCaseSensitive(c,
				    "difficulty");
		const cJSON	*vj = cJSON_GetObjectItemCaseSensitive(c,
				    "valid");
		unsigned char	 ch[CHALLENGE_BYTES];
		unsigned char	 nonce[POW_NONCE_BYTES];
		unsigned char	 want[32], h[32], in[40];
		unsigned int	 d, z;

		assert_true(cJSON_IsNumber(dj) && dj->valueint >= 0);
		assert_true(cJSON_IsBool(vj));
		d = (unsigned int)dj->valueint;
		vectors_bin(c, "challenge", ch, sizeof(ch));
		vectors_bin(c, "pow_nonce", nonce, sizeof(nonce));
		vectors_bin(c, "hash", want, sizeof(want));
		/* The vector's hash is generichash(32, challenge || nonce). */
		memcpy(in, ch, 32);
		memcpy(in + 32, nonce, 8);
		assert_int_equal(crypto_generichash(h, 32, in, sizeof(in), NULL,
		    0), 0);
		assert_memory_equal(h, want, 32);

		assert_int_equal(pow_valid(ch, nonce, d), cJSON_IsTrue(vj));
		if (cJSON_IsTrue(vj))
			valid++;
		else
			invalid++;
		/* The boundary around each vector: valid up to z, not past. */
		z = leading_zero_bits(h);
		assert_true(pow_valid(ch, nonce, 0));
		assert_true(pow_valid(ch, nonce, z));
		assert_false(pow_valid(ch, nonce, z + 1));
		/* Another nonce byte, another hash: the vector's d fails. */
		if (d >= 8) {
			nonce[7] ^= 0x80;
			assert_false(pow_valid(ch, nonce, d));
		}
	}
	assert_true(valid >= 10);
	assert_true(invalid >= 4);
	cJSON_Delete(root);
}

static void
pow_difficulty_beyond_maximum_refused(void **state)
{
	unsigned char	ch[CHALLENGE_BYTES] = { 0 };
	unsigned char	nonce[POW_NONCE_BYTES] = { 0 };

	(void)state;
	assert_true(pow_valid(ch, nonce, 0));
	assert_false(pow_valid(ch, nonce, POW_MAX_DIFFICULTY + 1));
	assert_false(pow_valid(ch, nonce, UINT_MAX));
}

static void
difficulty_unchanged_up_to_ceiling(void **state)
{
	(void)state;
	assert_int_equal(pow_difficulty(16, 0, 3600), 16);
	assert_int_equal(pow_difficulty(16, 3599, 3600), 16);
	assert_int_equal(pow_difficulty(16, 3600, 3600), 16);
	assert_int_equal(pow_difficulty(0, 3600, 3600), 0);
	assert_int_equal(pow_difficulty(16, -5, 3600), 16);
}

static void
difficulty_rises_one_per_doubling(void **state)
{
	(void)state;
	/* Past the ceiling: +1; each further doubling of the rate: +1. */
	assert_int_equal(pow_difficulty(16, 101, 100), 17);
	assert_int_equal(pow_difficulty(16, 200, 100), 17);
	assert_int_equal(pow_difficulty(16, 201, 100), 18);
	assert_int_equal(pow_difficulty(16, 400, 100), 18);
	assert_int_equal(pow_difficulty(16, 401, 100), 19);
	assert_int_equal(pow_difficulty(16, 800, 100), 19);
	assert_int_equal(pow_difficulty(16, 801, 100), 20);
	assert_int_equal(pow_difficulty(16, 1600, 100), 20);
	assert_int_equal(pow_difficulty(16, 1601, 100), 21);
	assert_int_equal(pow_difficulty(16, 3200, 100), 21);
	assert_int_equal(pow_difficulty(16, 3201, 100), 22);
	assert_int_equal(pow_difficulty(0, 101, 100), 1);
}

static void
difficulty_capped_at_six_more(void **state)
{
	(void)state;
	assert_int_equal(pow_difficulty(16, 6401, 100), 22);
	assert_int_equal(pow_difficulty(16, 1000000, 100), 22);
	assert_int_equal(pow_difficulty(16, LLONG_MAX, 1), 22);
	/* The largest ceiling the configuration allows (INT_MAX). */
	assert_int_equal(pow_difficulty(16, LLONG_MAX, INT_MAX), 22);
	assert_int_equal(pow_difficulty(16, (long long)INT_MAX * 2, INT_MAX),
	    17);
}

static void
difficulty_without_ceiling_is_base(void **state)
{
	(void)state;
	assert_int_equal(pow_difficulty(16, 1000000, 0), 16);
	assert_int_equal(pow_difficulty(16, 1000000, -1), 16);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pow_vectors),
		cmocka_unit_test(pow_difficulty_beyond_maximum_refused),
		cmocka_unit_test(difficulty_unchanged_up_to_ceiling),
		cmocka_unit_test(difficulty_rises_one_per_doubling),
		cmocka_unit_test(difficulty_capped_at_six_more),
		cmocka_unit_test(difficulty_without_ceiling_is_base),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
