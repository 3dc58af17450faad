/*
 * test_clientkey.c - the names of per-client counters (SPEC sections 2 and
 * 4, issue 17): one name per (client, scope) and day's key, the same on
 * every instance; another scope, client, salt or server key gives another
 * name; an IPv6 client counts as its /64; and the name is a keyed hash
 * that does not hold the address.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "clientkey.h"

static unsigned char	server_key[KEY_BYTES], salt[CLIENTKEY_SALT_BYTES];

/* The name of (addr, scope) under server_key and the salt s. */
static void
name_of(unsigned char out[CLIENTKEY_BYTES], const unsigned char *sk,
    const unsigned char *s, const char *addr, const char *scope)
{
	unsigned char day_key[KEY_BYTES];

	assert_int_equal(clientkey_day(day_key, sk, s), 0);
	assert_int_equal(clientkey_make(out, day_key, addr,
	    (const unsigned char *)scope, strlen(scope)), 0);
}

static void
same_inputs_same_name_on_every_instance(void **state)
{
	unsigned char	a[CLIENTKEY_BYTES], b[CLIENTKEY_BYTES];

	(void)state;
	name_of(a, server_key, salt, "192.0.2.1", "challenge");
	name_of(b, server_key, salt, "192.0.2.1", "challenge");
	assert_memory_equal(a, b, sizeof(a));
}

static void
other_scope_client_salt_or_key_other_name(void **state)
{
	unsigned char	a[CLIENTKEY_BYTES], b[CLIENTKEY_BYTES];
	unsigned char	other[KEY_BYTES];

	(void)state;
	name_of(a, server_key, salt, "192.0.2.1", "challenge");
	name_of(b, server_key, salt, "192.0.2.1", "reporter-login");
	assert_memory_not_equal(a, b, sizeof(a));
	name_of(b, server_key, salt, "192.0.2.2", "challenge");
	assert_memory_not_equal(a, b, sizeof(a));
	/* No ambiguity between where the address ends and the scope starts. */
	name_of(b, server_key, salt, "192.0.2.1c", "hallenge");
	assert_memory_not_equal(a, b, sizeof(a));
	memcpy(other, salt, sizeof(other));
	other[0] ^= 1;
	name_of(b, server_key, other, "192.0.2.1", "challenge");
	assert_memory_not_equal(a, b, sizeof(a));
	memcpy(other, server_key, sizeof(other));
	other[KEY_BYTES - 1] ^= 1;
	name_of(b, other, salt, "192.0.2.1", "challenge");
	assert_memory_not_equal(a, b, sizeof(a));
}

static void
ipv6_counts_as_its_prefix(void **state)
{
	unsigned char	a[CLIENTKEY_BYTES], b[CLIENTKEY_BYTES];

	(void)state;
	name_of(a, server_key, salt, "2001:db8:1:2::1", "challenge");
	name_of(b, server_key, salt, "2001:db8:1:2:ffff:1:2:3", "challenge");
	assert_memory_equal(a, b, sizeof(a));
	name_of(b, server_key, salt, "2001:db8:1:3::1", "challenge");
	assert_memory_not_equal(a, b, sizeof(a));
	/* An IPv4-mapped address is not one /64 for every IPv4 client. */
	name_of(a, server_key, salt, "::ffff:192.0.2.1", "challenge");
	name_of(b, server_key, salt, "::ffff:192.0.2.2", "challenge");
	assert_memory_not_equal(a, b, sizeof(a));
}

/* 1 if the n bytes of needle occur in the hsz bytes of hay. */
static int
contains(const unsigned char *hay, size_t hsz, const char *needle, size_t n)
{
	size_t i;

	for (i = 0; i + n <= hsz; i++)
		if (memcmp(hay + i, needle, n) == 0)
			return 1;
	return 0;
}

static void
name_is_the_keyed_hash_not_the_address(void **state)
{
	unsigned char	a[CLIENTKEY_BYTES], day_key[KEY_BYTES];
	unsigned char	plain[CLIENTKEY_BYTES];
	const char	*addr = "198.51.100.23";

	(void)state;
	name_of(a, server_key, salt, addr, "");
	assert_false(contains(a, sizeof(a), addr, strlen(addr)));
	/* Neither an unkeyed hash of the address nor the day's key itself. */
	assert_int_equal(crypto_generichash(plain, sizeof(plain),
	    (const unsigned char *)addr, strlen(addr), NULL, 0), 0);
	assert_memory_not_equal(a, plain, sizeof(a));
	assert_int_equal(clientkey_day(day_key, server_key, salt), 0);
	assert_memory_not_equal(day_key, salt, sizeof(day_key));
	assert_memory_not_equal(day_key, server_key, sizeof(day_key));
}

static void
long_address_text_is_hashed_whole(void **state)
{
	char		 long1[200], long2[200];
	unsigned char	 a[CLIENTKEY_BYTES], b[CLIENTKEY_BYTES];

	(void)state;
	memset(long1, 'x', sizeof(long1) - 1);
	long1[sizeof(long1) - 1] = '\0';
	memcpy(long2, long1, sizeof(long2));
	long2[sizeof(long2) - 2] = 'y';	/* differs in its last byte only */
	name_of(a, server_key, salt, long1, "challenge");
	name_of(b, server_key, salt, long2, "challenge");
	assert_memory_not_equal(a, b, sizeof(a));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_inputs_same_name_on_every_instance),
		cmocka_unit_test(other_scope_client_salt_or_key_other_name),
		cmocka_unit_test(ipv6_counts_as_its_prefix),
		cmocka_unit_test(name_is_the_keyed_hash_not_the_address),
		cmocka_unit_test(long_address_text_is_hashed_whole),
	};

	if (sodium_init() < 0)
		return 1;
	randombytes_buf(server_key, sizeof(server_key));
	randombytes_buf(salt, sizeof(salt));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
