/*
 * secrets.h - the desk's online keys, loaded once at start-up into locked,
 * read-only memory. The offline keys (certification, recovery) are here
 * only as public keys.
 */
#ifndef MELDPUNT_SECRETS_H
#define MELDPUNT_SECRETS_H

#include <sodium.h>

#include "sizes.h"

struct secrets {
	unsigned char	server_auth_key[KEY_BYTES]; /* SPEC 3.7 auth_hash key */
	unsigned char	server_store_key[KEY_BYTES]; /* secretbox for stored secrets */
	unsigned char	prelogin_key[KEY_BYTES]; /* fake salts for unknown emails */
	unsigned char	server_key[KEY_BYTES];	/* counter keys, token hashes */
	unsigned char	stats_key[KEY_BYTES];	/* sealed release certificates */
	unsigned char	sign_sk[SIGN_SK_BYTES];	/* desk signing key */
	unsigned char	sign_pk[SIGN_PK_BYTES];
	unsigned char	cert_pk[SIGN_PK_BYTES];	/* certification */
	unsigned char	recovery_pk[BOX_PK_BYTES];
};

/*
 * secrets_generate: create in dir every online key file that is missing
 * (mode 0600; public halves 0644). Existing files are never touched.
 * Returns the number created, or -1.
 */
int	secrets_generate(const char *dir);

/*
 * secrets_load: read all key files of dir into sodium_malloc'd memory,
 * made read-only. Returns NULL on error; free with secrets_free.
 */
struct secrets *secrets_load(const char *dir);
void	secrets_free(struct secrets *s);

/*
 * secrets_check: for the check mode, every problem with the key files of
 * dir, each logged: the folder must be a directory of the user running
 * the check, closed to group and others (0700); each secret key file that
 * user's, mode 0600 or 0400 (a key group or others may read is refused);
 * the public halves of the offline keys writable by their owner only; and
 * every file a key of its size. Returns the number of problems (0: good).
 */
int	secrets_check(const char *dir);

/* secrets_pins_json: the three pinned public keys as a JSON text (free). */
char	*secrets_pins_json(const struct secrets *s);

#endif
