/*
 * test_notify_slot.c - the fixed batch times of the notifications
 * (notify_slot): on the hour in office hours, none outside them or at the
 * weekend unless asked, any interval counted from the first hour.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include <cmocka.h>

#include "notify.h"

#define T_MONDAY	1796601600	/* 2026-12-07T00:00:00Z */
#define T_SATURDAY	1796428800	/* 2026-12-05T00:00:00Z */
#define H		3600

static void
hourly_in_office_hours(void **state)
{
	char	day[NOTIFY_DAY_SIZE];
	time_t	slot = 0;

	(void)state;
	assert_int_equal(notify_slot(T_MONDAY + 8 * H + 1799, H, 8, 18, 0,
	    &slot, day), 1);
	assert_int_equal(slot, T_MONDAY + 8 * H);
	assert_string_equal(day, "2026-12-07");
	assert_int_equal(notify_slot(T_MONDAY + 17 * H + 3599, H, 8, 18, 0,
	    &slot, day), 1);
	assert_int_equal(slot, T_MONDAY + 17 * H);
	assert_int_equal(notify_slot(T_MONDAY + 8 * H - 1, H, 8, 18, 0,
	    &slot, day), 0);
	assert_int_equal(notify_slot(T_MONDAY + 18 * H, H, 8, 18, 0,
	    &slot, day), 0);
}

static void
weekend_only_when_asked(void **state)
{
	char	day[NOTIFY_DAY_SIZE];
	time_t	slot = 0;

	(void)state;
	assert_int_equal(notify_slot(T_SATURDAY + 10 * H, H, 8, 18, 0,
	    &slot, day), 0);
	assert_int_equal(notify_slot(T_SATURDAY + 10 * H, H, 8, 18, 1,
	    &slot, day), 1);
	assert_int_equal(slot, T_SATURDAY + 10 * H);
	assert_string_equal(day, "2026-12-05");
}

static void
intervals_count_from_the_first_hour(void **state)
{
	char	day[NOTIFY_DAY_SIZE];
	time_t	slot = 0;

	(void)state;
	assert_int_equal(notify_slot(T_MONDAY + 10 * H, 5400, 8, 18, 0,
	    &slot, day), 1);
	assert_int_equal(slot, T_MONDAY + 9 * H + 1800);
	assert_int_equal(notify_slot(T_MONDAY + 5, 2, 0, 24, 1, &slot, day), 1);
	assert_int_equal(slot, T_MONDAY + 4);
	assert_int_equal(notify_slot(T_MONDAY + 5, 0, 0, 24, 1, &slot, day), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hourly_in_office_hours),
		cmocka_unit_test(weekend_only_when_asked),
		cmocka_unit_test(intervals_count_from_the_first_hour),
	};

	if (setenv("TZ", "UTC", 1) != 0)
		return 1;
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
