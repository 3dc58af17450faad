/*
 * test_canonical.c - canonical JSON of audit entries (SPEC 0 and 5): the C
 * printer (json_canonical) gives the exact text of tests/vectors/
 * audit_chain.json for each entry, and the chain hashes match.
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

#include "json_out.h"
#include "seal.h"
#include "vectors.h"


static void
audit_chain_vectors(void **state)
{
	cJSON		*root = vectors_load("audit_chain.json");
	const cJSON	*c, *e;
	unsigned char	 prev[32], hash[32], want[32];
	char		*text;
	int		 n = 0;

	(void)state;
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(root, "cases")) {
		cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(c, "entries")) {
			cJSON *entry = cJSON_Duplicate(
			    cJSON_GetObjectItemCaseSensitive(e, "entry"), 1);

			assert_non_null(text = json_canonical(entry));
			assert_string_equal(text, cJSON_GetObjectItemCaseSensitive(e,
			    "canonical")->valuestring);
			vectors_bin(e, "prev_hash", prev, 32);
			vectors_bin(e, "hash", want, 32);
			assert_int_equal(seal_audit_hash(hash, prev,
			    (const unsigned char *)text, strlen(text)), 0);
			assert_memory_equal(hash, want, 32);
			cJSON_free(text);
			cJSON_Delete(entry);
			n++;
		}
	}
	assert_true(n > 0);
	cJSON_Delete(root);
}

static void
nested_keys_sorted_by_bytes(void **state)
{
	cJSON	*o = cJSON_Parse("{\"b\":1,\"a\":{\"z\":[{\"y\":1,\"x\":2}],"
	    "\"\xc3\xa9\":true,\"B\":null},\"A\":\"\\n\\u0001\"}");
	char	*text;

	(void)state;
	assert_non_null(o);
	assert_non_null(text = json_canonical(o));
	assert_string_equal(text, "{\"A\":\"\\n\\u0001\",\"a\":{\"B\":null,"
	    "\"z\":[{\"x\":2,\"y\":1}],\"\xc3\xa9\":true},\"b\":1}");
	cJSON_free(text);
	cJSON_Delete(o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(audit_chain_vectors),
		cmocka_unit_test(nested_keys_sorted_by_bytes),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
