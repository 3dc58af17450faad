/*
 * meldpunt-keys - the desk's offline key tooling.
 *
 *	meldpunt-keys desk new --out FILE
 *		Create the desk certification key pair (Ed25519): FILE holds
 *		the secret key (mode 0600), FILE.pub the public key that goes
 *		into the server's secrets folder and the frontend pins.
 *	meldpunt-keys recovery new --dev --out FILE
 *		Create a recovery key pair (X25519) as one whole file, for a
 *		development or demo desk only.
 *
 * Secrets live in sodium_malloc'd memory and are wiped on every path.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "keyfile.h"

static int
keys_write_pair(const char *out, const unsigned char *sk, size_t sklen,
    const unsigned char *pk, size_t pklen)
{
	char pub[4096];
	int  n;

	n = snprintf(pub, sizeof(pub), "%s.pub", out);
	if (n < 0 || (size_t)n >= sizeof(pub))
		return -1;
	if (keyfile_write(out, sk, sklen, 0600) == -1)
		return -1;
	if (keyfile_write(pub, pk, pklen, 0644) == -1) {
		(void)remove(out);
		return -1;
	}
	return 0;
}

static int
keys_desk_new(const char *out)
{
	unsigned char	 pk[crypto_sign_PUBLICKEYBYTES];
	unsigned char	*sk;
	int		 rc = -1;

	if ((sk = sodium_malloc(crypto_sign_SECRETKEYBYTES)) == NULL)
		return -1;
	if (crypto_sign_keypair(pk, sk) == 0 &&
	    keys_write_pair(out, sk, crypto_sign_SECRETKEYBYTES, pk,
	    sizeof(pk)) == 0)
		rc = 0;
	sodium_free(sk);
	return rc;
}

static int
keys_recovery_new_dev(const char *out)
{
	unsigned char	 pk[crypto_box_PUBLICKEYBYTES];
	unsigned char	*sk;
	int		 rc = -1;

	if ((sk = sodium_malloc(crypto_box_SECRETKEYBYTES)) == NULL)
		return -1;
	if (crypto_box_keypair(pk, sk) == 0 &&
	    keys_write_pair(out, sk, crypto_box_SECRETKEYBYTES, pk,
	    sizeof(pk)) == 0)
		rc = 0;
	sodium_free(sk);
	return rc;
}

static void
keys_usage(void)
{
	fprintf(stderr, "usage: meldpunt-keys desk new --out FILE\n"
	    "       meldpunt-keys recovery new --dev --out FILE\n");
}

int
main(int argc, char *argv[])
{
	if (sodium_init() < 0)
		return 1;
	if (argc == 5 && strcmp(argv[1], "desk") == 0 &&
	    strcmp(argv[2], "new") == 0 && strcmp(argv[3], "--out") == 0)
		return keys_desk_new(argv[4]) == 0 ? 0 : 1;
	if (argc == 6 && strcmp(argv[1], "recovery") == 0 &&
	    strcmp(argv[2], "new") == 0 && strcmp(argv[3], "--dev") == 0 &&
	    strcmp(argv[4], "--out") == 0)
		return keys_recovery_new_dev(argv[5]) == 0 ? 0 : 1;
	keys_usage();
	return 2;
}
