/*
 * test_answer.c - every desk result, from DESK_OK up to DESK_RESULT_COUNT,
 * has a row in api/answer.c's table, with a status the desk answers with;
 * DESK_OK is a 204 and DESK_UNAVAILABLE a 503. The loop runs to
 * DESK_RESULT_COUNT, so a result added without its row fails here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "answer.h"

static const int statuses[] = { 204, 400, 401, 403, 404, 409, 413, 429, 503 };

static int
known_status(int status)
{
	size_t	i;

	for (i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++)
		if (statuses[i] == status)
			return 1;
	return 0;
}

/* Each result has a row, and its status is one of the desk's. */
static void
every_result_has_a_row(void **state)
{
	int	r, checked = 0;

	(void)state;
	for (r = DESK_OK; r < DESK_RESULT_COUNT; r++) {
		int status = answer_status((enum desk_result)r);

		if (status == 0)
			fail_msg("result %d has no row in answer.c", r);
		if (!known_status(status))
			fail_msg("result %d has status %d", r, status);
		checked++;
	}
	assert_int_equal(checked, DESK_RESULT_COUNT);
	assert_true(checked > DESK_UNAVAILABLE);
}

static void
fixed_statuses(void **state)
{
	(void)state;
	assert_int_equal(answer_status(DESK_OK), 204);
	assert_int_equal(answer_status(DESK_UNAVAILABLE), 503);
	/* Past the end there is no row. */
	assert_int_equal(answer_status(DESK_RESULT_COUNT), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_result_has_a_row),
		cmocka_unit_test(fixed_statuses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
