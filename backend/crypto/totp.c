/*
 * totp.c - TOTP codes, checks and provisioning URIs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <liboath/oath.h>
#include <sodium.h>

#include "log.h"
#include "totp.h"

int
totp_init(void)
{
	if (oath_init() != OATH_OK) {
		log_warnx("%s: liboath does not initialise", __func__);
		return -1;
	}
	return 0;
}

uint64_t
totp_step(time_t now)
{
	return now < 0 ? 0 : (uint64_t)now / TOTP_PERIOD;
}

int
totp_code(const unsigned char *secret, size_t len, uint64_t step,
    char out[TOTP_DIGITS + 1])
{
	if (oath_hotp_generate((const char *)secret, len, step, TOTP_DIGITS,
	    false, OATH_HOTP_DYNAMIC_TRUNCATION, out) != OATH_OK) {
		sodium_memzero(out, TOTP_DIGITS + 1);
		return -1;
	}
	return 0;
}

static int
totp_code_valid(const char *code)
{
	size_t i;

	if (code == NULL || strlen(code) != TOTP_DIGITS)
		return 0;
	for (i = 0; i < TOTP_DIGITS; i++)
		if (code[i] < '0' || code[i] > '9')
			return 0;
	return 1;
}

/*
 * The steps are tried in ascending order and each match replaces what was
 * chosen before, through a mask rather than a branch: the result is the
 * highest matching step, and neither the time taken nor the path through
 * the code depends on which steps matched. (Two steps of one window share
 * a code about once in 330,000 windows; OR-ing them would name a step that
 * was never matched, possibly far in the future, and spend it.)
 */
uint64_t
totp_check(const unsigned char *secret, size_t len, time_t now,
    const char *code)
{
	char		 want[TOTP_DIGITS + 1];
	uint64_t	 step = totp_step(now), s, found = 0, mask;
	int		 valid = totp_code_valid(code), eq;

	for (s = step - 1; s <= step + 1; s++) {
		if (s == 0 || totp_code(secret, len, s, want) == -1)
			continue;
		/* sodium_memcmp is -1 or 0: eq is 0 or 1, no branch. */
		eq = valid ? sodium_memcmp(want, code, TOTP_DIGITS) + 1 : 0;
		mask = (uint64_t)0 - (uint64_t)eq;
		found = (found & ~mask) | (s & mask);
	}
	sodium_memzero(want, sizeof(want));
	return found;
}

static int
totp_is_unreserved(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	    c == '~' || c == '@';
}

/* Percent-encode label into out. 0, or -1 if it does not fit. */
static int
totp_encode_label(char *out, size_t outsz, const char *label)
{
	static const char	 hex[] = "0123456789ABCDEF";
	size_t			 n = 0;
	const unsigned char	*p;

	for (p = (const unsigned char *)label; *p != '\0'; p++) {
		if (n + 4 > outsz)
			return -1;
		if (totp_is_unreserved(*p))
			out[n++] = (char)*p;
		else {
			out[n++] = '%';
			out[n++] = hex[*p >> 4];
			out[n++] = hex[*p & 15];
		}
	}
	if (n >= outsz)
		return -1;
	out[n] = '\0';
	return 0;
}

int
totp_uri(char *out, size_t outsz, const unsigned char *secret, size_t len,
    const char *label)
{
	char	 enc[256 * 3 + 1];
	char	*b32 = NULL;
	size_t	 b32len = 0;
	int	 n, rc = -1;

	if (totp_encode_label(enc, sizeof(enc), label) == -1 ||
	    oath_base32_encode((const char *)secret, len, &b32,
	    &b32len) != OATH_OK)
		goto out;
	/* Authenticator apps take the secret without padding. */
	while (b32len > 0 && b32[b32len - 1] == '=')
		b32[--b32len] = '\0';
	n = snprintf(out, outsz, "otpauth://totp/Meldpunt:%s?secret=%s"
	    "&issuer=Meldpunt&algorithm=SHA1&digits=%d&period=%d", enc, b32,
	    TOTP_DIGITS, TOTP_PERIOD);
	if (n < 0 || (size_t)n >= outsz)
		goto out;
	rc = 0;
out:
	if (b32 != NULL) {
		sodium_memzero(b32, b32len);
		free(b32);
	}
	if (rc == -1 && outsz > 0)
		sodium_memzero(out, outsz);
	return rc;
}
