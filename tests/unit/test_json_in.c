/*
 * test_json_in.c - UTF-8 validation of request text: a good or bad
 * sequence at every place of an ASCII text, so that the check of 8 bytes
 * at a time meets it at every offset. And cJSON's memory hooks: an
 * allocation is wiped whole, and cJSON works through the hooks. And the
 * shape check before parsing: depth, stray bytes, nothing after the object.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <cjson/cJSON.h>
#include <malloc.h>
#include <stdlib.h>

#include "json_in.h"
#include "json_mem.h"

#define TEXT_LEN	40

/* ASCII text of TEXT_LEN bytes with seq (n bytes) at place at. */
static size_t
text_with(char *t, size_t at, const char *seq, size_t n)
{
	size_t i;

	for (i = 0; i < TEXT_LEN; i++)
		t[i] = (char)('a' + i % 26);
	memcpy(t + at, seq, n);
	return TEXT_LEN;
}

static void
good_sequences(void **state)
{
	static const char *const good[] = {
		"\x7f", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80",
		"\xf4\x8f\xbf\xbf",
	};
	char	t[TEXT_LEN];
	size_t	g, at;

	(void)state;
	assert_int_equal(json_in_utf8_valid("", 0), 1);
	for (g = 0; g < sizeof(good) / sizeof(good[0]); g++)
		for (at = 0; at + strlen(good[g]) <= TEXT_LEN; at++)
			assert_int_equal(json_in_utf8_valid(t, text_with(t, at,
			    good[g], strlen(good[g]))), 1);
}

static void
bad_sequences(void **state)
{
	static const struct { const char *s; size_t n; } bad[] = {
		{ "\0", 1 },			/* NUL */
		{ "\x80", 1 },			/* lone continuation */
		{ "\xc3", 1 },			/* cut short */
		{ "\xc0\x80", 2 },		/* overlong NUL */
		{ "\xe0\x80\xaf", 3 },		/* overlong */
		{ "\xed\xa0\x80", 3 },		/* surrogate */
		{ "\xf4\x90\x80\x80", 4 },	/* above U+10FFFF */
		{ "\xff", 1 },
	};
	char	t[TEXT_LEN];
	size_t	b, at;

	(void)state;
	for (b = 0; b < sizeof(bad) / sizeof(bad[0]); b++)
		for (at = 0; at + bad[b].n <= TEXT_LEN; at++)
			assert_int_equal(json_in_utf8_valid(t, text_with(t, at,
			    bad[b].s, bad[b].n)), 0);
	/* A sequence cut by the end of the text. */
	text_with(t, TEXT_LEN - 2, "\xe2\x82", 2);
	assert_int_equal(json_in_utf8_valid(t, TEXT_LEN), 0);
}

static void
wipe_whole_allocation(void **state)
{
	unsigned char	*p = malloc(40);
	size_t		 n, i;

	(void)state;
	assert_non_null(p);
	n = malloc_usable_size(p);
	assert_true(n >= 40);
	for (i = 0; i < n; i++)
		p[i] = 'x';
	json_mem_wipe(p);
	for (i = 0; i < n; i++)
		assert_int_equal(p[i], 0);
	free(p);
	json_mem_wipe(NULL);
}

static void
cjson_through_the_hooks(void **state)
{
	char	 big[3000];
	char	*text;
	cJSON	*o;

	(void)state;
	json_mem_init();
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	o = cJSON_CreateObject();
	assert_non_null(o);
	assert_non_null(cJSON_AddStringToObject(o, "token", "secret-token"));
	assert_non_null(cJSON_AddStringToObject(o, "big", big));
	/* Printing grows its buffer past 256 bytes several times. */
	text = cJSON_PrintUnformatted(o);
	assert_non_null(text);
	assert_int_equal(strlen(text), strlen(big) + 33);
	cJSON_Delete(o);
	o = cJSON_Parse(text);
	cJSON_free(text);
	assert_non_null(o);
	assert_string_equal(cJSON_GetObjectItem(o, "token")->valuestring,
	    "secret-token");
	cJSON_Delete(o);
}

/* A text of depth levels: one object, then depth - 1 nested arrays. */
static char *
nested(int depth)
{
	size_t	 n = (size_t)depth * 2 + 16, i = 0;
	char	*t = malloc(n);
	int	 d;

	assert_non_null(t);
	memcpy(t, "{\"a\":", 5);
	i = 5;
	for (d = 1; d < depth; d++)
		t[i++] = '[';
	for (d = 1; d < depth; d++)
		t[i++] = ']';
	t[i++] = '}';
	t[i] = '\0';
	return t;
}

static void
depth_is_bounded_before_parsing(void **state)
{
	static const int	 depths[] = { 2, 8, 9, 900, 100000 };
	const char		*code, *field;
	char			*t;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(depths) / sizeof(depths[0]); i++) {
		t = nested(depths[i]);
		assert_int_equal(json_in_shape_valid(t, strlen(t),
		    JSON_IN_MAX_DEPTH), depths[i] <= JSON_IN_MAX_DEPTH);
		assert_null(json_in_parse(t, strlen(t), NULL, 0, NULL, &code,
		    &field));
		assert_string_equal(code, depths[i] <= JSON_IN_MAX_DEPTH ?
		    "invalid_field" : "invalid_json");
		free(t);
	}
}

static void
shape_counts_only_brackets_outside_strings(void **state)
{
	static const char ok[] = "{\"a\":\"[[[[[[[[[[[[{{{{\\\"]]]]\"}";
	static const char *const bad[] = {
		"\xef\xbb\xbf{}",		/* a byte-order mark */
		"\x0b{}",			/* a control byte cJSON skips */
		"{\"a\":\"x\x01y\"}",	/* a raw control byte in a string */
		"[]",				/* not an object */
		"{}}",				/* closed before opened */
		"",
	};
	size_t i;

	(void)state;
	assert_int_equal(json_in_shape_valid(ok, strlen(ok), 2), 1);
	assert_int_equal(json_in_shape_valid(" \r\n\t{}", 6, 1), 1);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(json_in_shape_valid(bad[i], strlen(bad[i]), 8),
		    0);
}

static void
only_whitespace_may_follow_the_object(void **state)
{
	static const char *const bad[] = {
		"{} x", "{}{}", "{}\x0b", "{} []",
	};
	const char	*code, *field;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_null(json_in_parse(bad[i], strlen(bad[i]), NULL, 0, NULL,
		    &code, &field));
		assert_string_equal(code, "invalid_json");
	}
	{
		cJSON *o = json_in_parse("{} \r\n", 5, NULL, 0, NULL, &code,
		    &field);

		assert_non_null(o);
		cJSON_Delete(o);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(good_sequences),
		cmocka_unit_test(bad_sequences),
		cmocka_unit_test(wipe_whole_allocation),
		cmocka_unit_test(cjson_through_the_hooks),
		cmocka_unit_test(depth_is_bounded_before_parsing),
		cmocka_unit_test(shape_counts_only_brackets_outside_strings),
		cmocka_unit_test(only_whitespace_may_follow_the_object),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
