/*
 * test_b64.c - both decoders accept exactly what libsodium's strict decoder
 * (sodium_base64_VARIANT_URLSAFE_NO_PADDING) accepts, and give the same
 * bytes: round trips of every length up to 300 bytes, every text of up to
 * three characters over the alphabet and its neighbours, and every
 * one-byte change of longer texts. The one exception is libsodium's own:
 * 1.0.18 reads bytes above 0x7f as digits, which both refuse.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "b64.h"

#define VARIANT	sodium_base64_VARIANT_URLSAFE_NO_PADDING

static int
has_high_byte(const char *text)
{
	for (; *text != '\0'; text++)
		if ((unsigned char)*text > 0x7f)
			return 1;
	return 0;
}

/* Each decoder on text against libsodium's. Returns 1 if accepted. */
static int
agree(const char *text)
{
	size_t		 n = strlen(text), want_len = 0, got_len = 0, ct_len = 0;
	unsigned char	*want = malloc(n + 1), *got, *ct = malloc(n + 1);
	const char	*end = NULL;
	int		 ok, ct_ok;

	assert_non_null(want);
	assert_non_null(ct);
	ok = sodium_base642bin(want, n + 1, text, n, NULL, &want_len, &end,
	    VARIANT) == 0 && end == text + n && !has_high_byte(text);
	got = b64_public_decode(text, &got_len);
	ct_ok = b64_decode(ct, n + 1, text, n, &ct_len) == 0;
	if (ok) {
		if (got == NULL || !ct_ok)
			fail_msg("refused what libsodium accepts: \"%s\"", text);
		assert_int_equal(got_len, want_len);
		assert_int_equal(ct_len, want_len);
		assert_memory_equal(got, want, want_len);
		assert_memory_equal(ct, want, want_len);
	} else if (got != NULL || ct_ok)
		fail_msg("accepted what libsodium refuses: \"%s\"", text);
	free(got);
	free(ct);
	free(want);
	return ok;
}

static void
round_trips(void **state)
{
	unsigned char	bin[300];
	char		text[sodium_base64_ENCODED_LEN(300, VARIANT)];
	size_t		n;

	(void)state;
	randombytes_buf(bin, sizeof(bin));
	for (n = 0; n <= sizeof(bin); n++) {
		sodium_bin2base64(text, sizeof(text), bin, n, VARIANT);
		assert_int_equal(agree(text), 1);
	}
}

static void
known_texts(void **state)
{
	static const char *const good[] = { "", "QQ", "QUE", "QUJD", "-_8" };
	static const char *const bad[] = {
		"Q", "QR", "QUF", "QQ==", "QUE=", " QQ", "QQ\n", "Q Q", "+/8",
		"QUJDQ", "Q=Q=", "Q\xc3\xa9", "QUJ\x80",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_int_equal(agree(good[i]), 1);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(agree(bad[i]), 0);
}

/* Every text of one to three characters from the alphabet and neighbours. */
static void
short_texts(void **state)
{
	static const char chars[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	    "+/= \n\t.\x7f\xc3";
	size_t	k = sizeof(chars) - 1, a, b, c, accepted = 0;
	char	t[4];

	(void)state;
	for (a = 0; a < k; a++) {
		t[0] = chars[a];
		t[1] = '\0';
		accepted += (size_t)agree(t);
		for (b = 0; b < k; b++) {
			t[1] = chars[b];
			t[2] = '\0';
			accepted += (size_t)agree(t);
			for (c = 0; c < k; c++) {
				t[2] = chars[c];
				t[3] = '\0';
				accepted += (size_t)agree(t);
			}
		}
	}
	/* 64 * 4 two-character texts, 64 * 64 * 16 three-character ones. */
	assert_int_equal(accepted, 64 * 4 + 64 * 64 * 16);
}

/* Every byte value at every place of a valid text of each length class. */
static void
one_byte_changes(void **state)
{
	unsigned char	bin[9];
	char		text[sodium_base64_ENCODED_LEN(9, VARIANT)];
	size_t		n, len, i;
	int		v;

	(void)state;
	randombytes_buf(bin, sizeof(bin));
	for (n = 6; n <= sizeof(bin); n++) {
		sodium_bin2base64(text, sizeof(text), bin, n, VARIANT);
		len = strlen(text);
		for (i = 0; i < len; i++) {
			char saved = text[i];

			for (v = 1; v < 256; v++) {
				text[i] = (char)v;
				agree(text);
			}
			text[i] = saved;
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trips),
		cmocka_unit_test(known_texts),
		cmocka_unit_test(short_texts),
		cmocka_unit_test(one_byte_changes),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
