/*
 * test_pgarray.c - binary arrays as PostgreSQL's array_recv reads them:
 * the expected bytes are written out by hand from the format (ndim, flags,
 * element type, length and lower bound, then length-prefixed elements).
 * The API tests show the real server accepting them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "pgarray.h"

static void
expect_bytes(const struct pgarray *a, const unsigned char *want, size_t n)
{
	assert_int_equal(a->out.len, n);
	assert_memory_equal(a->out.data, want, n);
}

static void
bytea_with_null(void **state)
{
	static const unsigned char want[] = {
		0, 0, 0, 1,		/* one dimension */
		0, 0, 0, 1,		/* has nulls */
		0, 0, 0, 17,		/* bytea */
		0, 0, 0, 2,		/* two elements */
		0, 0, 0, 1,		/* from index 1 */
		0, 0, 0, 2, 'a', 'b',
		0xff, 0xff, 0xff, 0xff,	/* NULL */
	};
	struct pgarray a;

	(void)state;
	pgarray_init(&a, PGARRAY_BYTEA);
	pgarray_add(&a, "ab", 2);
	pgarray_add(&a, NULL, 0);
	assert_int_equal(pgarray_finish(&a), 0);
	expect_bytes(&a, want, sizeof(want));
	pgarray_free(&a);
}

static void
int8_and_text(void **state)
{
	static const unsigned char ints[] = {
		0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 20, 0, 0, 0, 2, 0, 0, 0, 1,
		0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0x01, 0x02,
		0, 0, 0, 8, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	};
	static const unsigned char texts[] = {
		0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 25, 0, 0, 0, 1, 0, 0, 0, 1,
		0, 0, 0, 3, 'b', 'z', 'k',
	};
	struct pgarray a, t;

	(void)state;
	pgarray_init(&a, PGARRAY_INT8);
	pgarray_add_int8(&a, 258);
	pgarray_add_int8(&a, -1);
	assert_int_equal(pgarray_finish(&a), 0);
	expect_bytes(&a, ints, sizeof(ints));
	pgarray_free(&a);
	pgarray_init(&t, PGARRAY_TEXT);
	pgarray_add_text(&t, "bzk");
	assert_int_equal(pgarray_finish(&t), 0);
	expect_bytes(&t, texts, sizeof(texts));
	pgarray_free(&t);
}

/* No elements: no dimensions at all, as array_send writes '{}'. */
static void
empty(void **state)
{
	static const unsigned char want[] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 25,
	};
	struct pgarray a;

	(void)state;
	pgarray_init(&a, PGARRAY_TEXT);
	assert_int_equal(pgarray_finish(&a), 0);
	expect_bytes(&a, want, sizeof(want));
	pgarray_free(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bytea_with_null),
		cmocka_unit_test(int8_and_text),
		cmocka_unit_test(empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
