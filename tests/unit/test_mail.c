/*
 * test_mail.c - the notification mail's text (mailtext.c: the fixed
 * content, the language, no header injection) and the SMTP server
 * settings (smtp.c: URLs, default ports, plain SMTP on loopback only).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <sodium.h>

#include "mailtext.h"
#include "smtp.h"

#define T_NOW	1796630400	/* 2026-12-07T08:00:00Z, a Monday */

static void
english_mail_says_only_that_work_waits(void **state)
{
	char	msg[MAILTEXT_SIZE];
	size_t	len = 0, i;

	(void)state;
	assert_int_equal(mailtext_compose(msg, sizeof(msg), &len, "en",
	    "desk@meldpunt.test", "anna@example.nl", "https://meldpunt.test/",
	    T_NOW), 0);
	assert_int_equal(len, strlen(msg));
	assert_non_null(strstr(msg, "Subject: Meldpunt: work is waiting for you\r\n"));
	assert_non_null(strstr(msg, "From: Meldpunt <desk@meldpunt.test>\r\n"));
	assert_non_null(strstr(msg, "To: <anna@example.nl>\r\n"));
	assert_non_null(strstr(msg, "Date: Mon, 07 Dec 2026 08:00:00 +0000\r\n"));
	assert_non_null(strstr(msg, "@meldpunt.test>\r\n"));
	assert_non_null(strstr(msg, "\r\nhttps://meldpunt.test/adviser.html\r\n"));
	for (i = 0; i < len; i++)
		if (msg[i] == '\n')
			assert_true(i > 0 && msg[i - 1] == '\r');
}

static void
other_languages_get_dutch(void **state)
{
	char	msg[MAILTEXT_SIZE];
	size_t	len;

	(void)state;
	assert_int_equal(mailtext_compose(msg, sizeof(msg), &len, "fr",
	    "desk@meldpunt.test", "anna@example.nl", "https://meldpunt.test",
	    T_NOW), 0);
	assert_non_null(strstr(msg, "Subject: Meldpunt: er wacht werk op u\r\n"));
	assert_non_null(strstr(msg, "https://meldpunt.test/adviser.html"));
}

static void
header_injection_refused(void **state)
{
	static const char *const bad[][3] = {
		{ "desk@meldpunt.test", "a@b.nl\r\nBcc: c@d.nl", "https://x.nl" },
		{ "desk@meldpunt.test", "a@b.nl>", "https://x.nl" },
		{ "desk @meldpunt.test", "a@b.nl", "https://x.nl" },
		{ "desk@meldpunt.test", "a@b.nl", "https://x.nl/\n" },
		{ "desk@meldpunt.test", "", "https://x.nl" },
		{ "desk@meldpunt.test", "a@b.nl", "https://x.nl/\"<script>" },
	};
	char	msg[MAILTEXT_SIZE];
	size_t	len, i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(mailtext_compose(msg, sizeof(msg), &len, "en",
		    bad[i][0], bad[i][1], bad[i][2], T_NOW), -1);
	assert_int_equal(mailtext_compose(msg, 100, &len, "en",
	    "desk@meldpunt.test", "a@b.nl", "https://x.nl", T_NOW), -1);
}

static void
server_urls_and_default_ports(void **state)
{
	static const char *const ok[][3] = {
		{ "mail.example.nl", "starttls", "smtp://mail.example.nl:587" },
		{ "mail.example.nl", "tls", "smtps://mail.example.nl:465" },
		{ "mail.example.nl:2587", "starttls", "smtp://mail.example.nl:2587" },
		{ "127.0.0.1", "none", "smtp://127.0.0.1:25" },
		{ "localhost:2525", "none", "smtp://localhost:2525" },
		{ "[::1]:2525", "none", "smtp://[::1]:2525" },
		{ "[2001:db8::1]", "tls", "smtps://[2001:db8::1]:465" },
	};
	struct smtp_server	srv;
	size_t			i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		memset(&srv, 0, sizeof(srv));
		assert_int_equal(smtp_configure(&srv, ok[i][0], ok[i][1]), 0);
		assert_string_equal(srv.url, ok[i][2]);
	}
}

static void
plain_smtp_only_on_loopback(void **state)
{
	static const char *const bad[][2] = {
		{ "mail.example.nl", "none" },
		{ "127.example.nl", "none" },
		{ "10.0.0.1:25", "none" },
		{ "mail.example.nl", "STARTTLS" },
		{ "mail.example.nl", "" },
		{ "", "starttls" },
		{ "mail.example.nl/x", "starttls" },
		{ "user@mail.example.nl", "starttls" },
	};
	struct smtp_server	srv;
	size_t			i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(smtp_configure(&srv, bad[i][0], bad[i][1]), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(english_mail_says_only_that_work_waits),
		cmocka_unit_test(other_languages_get_dutch),
		cmocka_unit_test(header_injection_refused),
		cmocka_unit_test(server_urls_and_default_ports),
		cmocka_unit_test(plain_smtp_only_on_loopback),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
