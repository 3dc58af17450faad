/*
 * fuzz_b64.c - both base64url decoders of backend/b64.c held against
 * libsodium's strict decoder (sodium_base642bin, URL-safe, no padding), as
 * tests/unit/test_b64.c states the rule: a text is accepted by b64_decode
 * and by b64_public_decode exactly when libsodium accepts all of it, and
 * all three give the same bytes. The one exception is libsodium's own:
 * 1.0.18 reads bytes above 0x7f as digits, which ours refuse.
 *
 * b64_decode takes a length (the input as it came, NUL bytes and all);
 * b64_public_decode takes a C string (the input up to its first NUL).
 * The constant-time decoder also refuses, like libsodium, a text whose
 * bytes do not fit the buffer.
 */
#include <string.h>

#include <sodium.h>

#include "b64.h"
#include "fuzz.h"

#define VARIANT	sodium_base64_VARIANT_URLSAFE_NO_PADDING

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	FUZZ_CHECK(sodium_init() >= 0);
	return 0;
}

static int
has_high_byte(const char *text, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)text[i] > 0x7f)
			return 1;
	return 0;
}

/*
 * libsodium's verdict on the n bytes of text: 1 and the bytes in out (cap
 * bytes at least n) if it accepts all of text, else 0.
 */
static int
reference(const char *text, size_t n, unsigned char *out, size_t cap,
    size_t *len)
{
	const char *end = NULL;

	*len = 0;
	return sodium_base642bin(out, cap, text, n, NULL, len, &end,
	    VARIANT) == 0 && end == text + n && !has_high_byte(text, n);
}

/* The constant-time decoder on the whole input. */
static void
check_ct(const char *text, size_t n, unsigned char *want, unsigned char *got)
{
	size_t	want_len, got_len = 0;
	int	ok;

	ok = reference(text, n, want, n + 1, &want_len);
	FUZZ_CHECK((b64_decode(got, n + 1, text, n, &got_len) == 0) == ok);
	if (!ok)
		return;
	FUZZ_CHECK(got_len == want_len);
	FUZZ_CHECK(memcmp(got, want, want_len) == 0);
	/* One byte short of room: refused. */
	if (want_len > 0)
		FUZZ_CHECK(b64_decode(got, want_len - 1, text, n, &got_len) ==
		    -1);
}

/* The fast decoder on the input up to its first NUL. */
static void
check_public(const char *text, unsigned char *want)
{
	unsigned char	*got;
	size_t		 n = strlen(text), want_len, got_len = 0;
	int		 ok;

	ok = reference(text, n, want, n + 1, &want_len);
	got = b64_public_decode(text, &got_len);
	FUZZ_CHECK((got != NULL) == ok);
	if (got != NULL) {
		FUZZ_CHECK(got_len == want_len);
		FUZZ_CHECK(memcmp(got, want, want_len) == 0);
	}
	free(got);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char	*want, *got;
	char		*text;

	text = malloc(size + 1);
	want = malloc(size + 1);
	got = malloc(size + 1);
	if (text != NULL && want != NULL && got != NULL) {
		memcpy(text, data, size);
		text[size] = '\0';
		check_ct(text, size, want, got);
		check_public(text, want);
	}
	free(got);
	free(want);
	free(text);
	return 0;
}
