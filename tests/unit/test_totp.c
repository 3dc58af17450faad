/*
 * test_totp.c - TOTP (SPEC 3.7) against the RFC 6238 SHA-1 vectors, the one
 * step of skew, the choice between two matching steps, malformed codes and
 * the provisioning URI.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "totp.h"

static const unsigned char rfc_secret[] = "12345678901234567890";

static void
rfc6238_sha1_vectors(void **state)
{
	static const struct { time_t t; const char *code; } v[] = {
		{ 59, "287082" }, { 1111111109, "081804" },
		{ 1111111111, "050471" }, { 1234567890, "005924" },
		{ 2000000000, "279037" }, { 20000000000LL, "353130" },
	};
	char	out[TOTP_DIGITS + 1];
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		assert_int_equal(totp_code(rfc_secret, 20, totp_step(v[i].t), out), 0);
		assert_string_equal(out, v[i].code);
	}
}

static void
check_accepts_one_step_of_skew(void **state)
{
	char		code[TOTP_DIGITS + 1];
	time_t		now = 1234567890;
	uint64_t	s = totp_step(now);

	(void)state;
	assert_int_equal(totp_code(rfc_secret, 20, s, code), 0);
	assert_true(totp_check(rfc_secret, 20, now, code) == s);
	assert_int_equal(totp_code(rfc_secret, 20, s - 1, code), 0);
	assert_true(totp_check(rfc_secret, 20, now, code) == s - 1);
	assert_int_equal(totp_code(rfc_secret, 20, s + 1, code), 0);
	assert_true(totp_check(rfc_secret, 20, now, code) == s + 1);
	assert_int_equal(totp_code(rfc_secret, 20, s + 2, code), 0);
	assert_true(totp_check(rfc_secret, 20, now, code) == 0);
	assert_int_equal(totp_code(rfc_secret, 20, s - 2, code), 0);
	assert_true(totp_check(rfc_secret, 20, now, code) == 0);
}

/*
 * Two steps of one window with the same code (found by search for the RFC
 * secret): the check names the later step, never a blend of the two. OR-ing
 * 153567 and 153569 gives 153599, a step 15 minutes ahead that the login
 * would then spend.
 */
static void
check_picks_the_highest_of_two_matching_steps(void **state)
{
	static const struct { uint64_t a, b; const char *code; } v[] = {
		{ 153567, 153569, "468457" },	/* the outer two steps */
		{ 910737, 910738, "911617" },	/* two neighbours */
	};
	char	c[TOTP_DIGITS + 1];
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		assert_int_equal(totp_code(rfc_secret, 20, v[i].a, c), 0);
		assert_string_equal(c, v[i].code);
		assert_int_equal(totp_code(rfc_secret, 20, v[i].b, c), 0);
		assert_string_equal(c, v[i].code);
		/* The windows around b - 1 and around b hold both or b. */
		assert_true(totp_check(rfc_secret, 20,
		    (time_t)((v[i].b - 1) * TOTP_PERIOD), v[i].code) == v[i].b);
		assert_true(totp_check(rfc_secret, 20,
		    (time_t)(v[i].b * TOTP_PERIOD + TOTP_PERIOD - 1),
		    v[i].code) == v[i].b);
	}
}

static void
check_refuses_malformed_codes(void **state)
{
	(void)state;
	assert_true(totp_check(rfc_secret, 20, 59, "") == 0);
	assert_true(totp_check(rfc_secret, 20, 59, "28708") == 0);
	assert_true(totp_check(rfc_secret, 20, 59, "2870820") == 0);
	assert_true(totp_check(rfc_secret, 20, 59, "28708a") == 0);
	assert_true(totp_check(rfc_secret, 20, 59, NULL) == 0);
	assert_true(totp_check(rfc_secret, 20, 59, "287082") == 1);
}

static void
uri_has_secret_and_parameters(void **state)
{
	char uri[TOTP_URI_MAX];

	(void)state;
	assert_int_equal(totp_uri(uri, sizeof(uri), rfc_secret, 20,
	    "a.b+c@example.nl"), 0);
	assert_string_equal(uri, "otpauth://totp/Meldpunt:a.b%2Bc@example.nl"
	    "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Meldpunt"
	    "&algorithm=SHA1&digits=6&period=30");
	assert_int_equal(totp_uri(uri, 40, rfc_secret, 20, "x@example.nl"), -1);
	assert_int_equal(uri[0], '\0');
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rfc6238_sha1_vectors),
		cmocka_unit_test(check_accepts_one_step_of_skew),
		cmocka_unit_test(check_picks_the_highest_of_two_matching_steps),
		cmocka_unit_test(check_refuses_malformed_codes),
		cmocka_unit_test(uri_has_secret_and_parameters),
	};

	if (sodium_init() < 0 || totp_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
