/*
 * clientkey.c - the names of per-client counters (clientkey.h).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include <sodium.h>

#include "clientkey.h"

#define CLIENTKEY_PREFIX_BYTES	8	/* an IPv6 /64 */

int
clientkey_day(unsigned char day_key[KEY_BYTES],
    const unsigned char server_key[KEY_BYTES],
    const unsigned char salt[CLIENTKEY_SALT_BYTES])
{
	static const unsigned char	 tag[] = "meldpunt/client-day|";
	crypto_generichash_state	 st;
	int				 rc = 0;

	if (crypto_generichash_init(&st, server_key, KEY_BYTES,
	    KEY_BYTES) != 0 ||
	    crypto_generichash_update(&st, tag, sizeof(tag) - 1) != 0 ||
	    crypto_generichash_update(&st, salt, CLIENTKEY_SALT_BYTES) != 0 ||
	    crypto_generichash_final(&st, day_key, KEY_BYTES) != 0)
		rc = -1;
	sodium_memzero(&st, sizeof(st));
	return rc;
}

/*
 * Hash into st what names the client: a tag byte and a length byte, then
 * the first 64 bits of an IPv6 address, else a hash of the address text
 * as it came (so that the length always fits its byte). 0, or -1.
 */
static int
clientkey_client(crypto_generichash_state *st, const char *addr)
{
	struct in6_addr	 a6;
	unsigned char	 head[2], h[HASH_BYTES];
	int		 rc;

	if (inet_pton(AF_INET6, addr, &a6) == 1 &&
	    !IN6_IS_ADDR_V4MAPPED(&a6)) {
		head[0] = 6;
		head[1] = CLIENTKEY_PREFIX_BYTES;
		rc = crypto_generichash_update(st, head, sizeof(head)) != 0 ||
		    crypto_generichash_update(st, a6.s6_addr,
		    CLIENTKEY_PREFIX_BYTES) != 0 ? -1 : 0;
		sodium_memzero(&a6, sizeof(a6));
		return rc;
	}
	head[0] = 0;
	head[1] = sizeof(h);
	rc = crypto_generichash(h, sizeof(h), (const unsigned char *)addr,
	    strlen(addr), NULL, 0) != 0 ||
	    crypto_generichash_update(st, head, sizeof(head)) != 0 ||
	    crypto_generichash_update(st, h, sizeof(h)) != 0 ? -1 : 0;
	sodium_memzero(h, sizeof(h));
	return rc;
}

int
clientkey_make(unsigned char key[CLIENTKEY_BYTES],
    const unsigned char day_key[KEY_BYTES], const char *addr,
    const unsigned char *scope, size_t scopelen)
{
	static const unsigned char	 tag[] = "meldpunt/client-counter|";
	crypto_generichash_state	 st;
	int				 rc = 0;

	if (crypto_generichash_init(&st, day_key, KEY_BYTES,
	    CLIENTKEY_BYTES) != 0 ||
	    crypto_generichash_update(&st, tag, sizeof(tag) - 1) != 0 ||
	    clientkey_client(&st, addr) != 0 ||
	    (scopelen > 0 &&
	    crypto_generichash_update(&st, scope, scopelen) != 0) ||
	    crypto_generichash_final(&st, key, CLIENTKEY_BYTES) != 0)
		rc = -1;
	sodium_memzero(&st, sizeof(st));
	return rc;
}
