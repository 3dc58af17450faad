/*
 * vectors.h - reading the known-answer vectors of tests/vectors/ in the C
 * unit tests (the same files the JS tests check). Failures are cmocka
 * assertion failures.
 */
#ifndef MELDPUNT_TEST_VECTORS_H
#define MELDPUNT_TEST_VECTORS_H

#include <stddef.h>

struct cJSON;

/* vectors_load: the parsed file name of tests/vectors/; cJSON_Delete it. */
struct cJSON *vectors_load(const char *name);

/* vectors_bin: decode o[key], strict base64url, into exactly n bytes. */
void	vectors_bin(const struct cJSON *o, const char *key, unsigned char *out,
	    size_t n);

#endif
