/*
 * vectors.c - the known-answer vector files for the C unit tests.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cjson/cJSON.h>
#include <sodium.h>

#include "vectors.h"

#ifndef MELDPUNT_VECTORS
#error "compile with -DMELDPUNT_VECTORS=\"<repo>/tests/vectors\""
#endif

cJSON *
vectors_load(const char *name)
{
	char	 path[1024], *buf;
	FILE	*f;
	long	 size;
	cJSON	*root;
	int	 n;

	n = snprintf(path, sizeof(path), "%s/%s", MELDPUNT_VECTORS, name);
	assert_true(n > 0 && (size_t)n < sizeof(path));
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	size = ftell(f);
	assert_true(size > 0);
	assert_int_equal(fseek(f, 0, SEEK_SET), 0);
	buf = malloc((size_t)size);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)size, f), (size_t)size);
	fclose(f);
	root = cJSON_ParseWithLength(buf, (size_t)size);
	free(buf);
	assert_non_null(root);
	return root;
}

void
vectors_bin(const cJSON *o, const char *key, unsigned char *out, size_t n)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, key);
	const char	*end = NULL;
	size_t		 len = 0;

	assert_true(cJSON_IsString(v));
	assert_int_equal(sodium_base642bin(out, n, v->valuestring,
	    strlen(v->valuestring), NULL, &len, &end,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING), 0);
	assert_ptr_equal(end, v->valuestring + strlen(v->valuestring));
	assert_int_equal(len, n);
}
