/*
 * secrets.c - generating and loading the desk's key files.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "keyfile.h"
#include "log.h"
#include "secrets.h"

static const char *const secrets_symmetric[] = {
	"server_auth_key", "server_store_key", "prelogin_key", "server_key",
	"stats_key",
};

static int
secrets_exists(const char *dir, const char *name)
{
	char		path[4096];
	struct stat	st;

	if (keyfile_path(path, sizeof(path), dir, name) == -1)
		return -1;
	return stat(path, &st) == 0;
}

static int
secrets_write(const char *dir, const char *name, const unsigned char *key,
    size_t len, mode_t mode)
{
	char path[4096];

	if (keyfile_path(path, sizeof(path), dir, name) == -1)
		return -1;
	return keyfile_write(path, key, len, mode);
}

static int
secrets_generate_signing(const char *dir)
{
	unsigned char	pk[crypto_sign_PUBLICKEYBYTES];
	unsigned char	sk[crypto_sign_SECRETKEYBYTES];
	int		rc = -1;

	if (crypto_sign_keypair(pk, sk) != 0)
		return -1;
	if (secrets_write(dir, "desk_signing_key", sk, sizeof(sk), 0600) == 0 &&
	    secrets_write(dir, "desk_signing_key.pub", pk, sizeof(pk), 0644) == 0)
		rc = 0;
	sodium_memzero(sk, sizeof(sk));
	return rc;
}

int
secrets_generate(const char *dir)
{
	unsigned char	key[KEY_BYTES];
	size_t		i;
	int		made = 0, e;

	if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
		log_warnx("%s: cannot create %s", __func__, dir);
		return -1;
	}
	for (i = 0; i < sizeof(secrets_symmetric) / sizeof(*secrets_symmetric); i++) {
		if ((e = secrets_exists(dir, secrets_symmetric[i])) != 0) {
			if (e == -1)
				return -1;
			continue;
		}
		randombytes_buf(key, sizeof(key));
		e = secrets_write(dir, secrets_symmetric[i], key, sizeof(key), 0600);
		sodium_memzero(key, sizeof(key));
		if (e == -1)
			return -1;
		made++;
	}
	if ((e = secrets_exists(dir, "desk_signing_key")) == -1)
		return -1;
	if (e == 0) {
		if (secrets_generate_signing(dir) == -1)
			return -1;
		made++;
	}
	return made;
}

static int
secrets_read(const char *dir, const char *name, unsigned char *out, size_t len)
{
	char path[4096];

	if (keyfile_path(path, sizeof(path), dir, name) == -1 ||
	    keyfile_read(path, out, len) == -1) {
		log_warnx("%s: missing or bad key file %s", __func__, name);
		return -1;
	}
	return 0;
}

struct secrets *
secrets_load(const char *dir)
{
	struct secrets	*s;
	unsigned char	 derived[crypto_sign_PUBLICKEYBYTES];

	if ((s = sodium_malloc(sizeof(*s))) == NULL)
		return NULL;
	if (secrets_read(dir, "server_auth_key", s->server_auth_key,
	    sizeof(s->server_auth_key)) == -1 ||
	    secrets_read(dir, "server_store_key", s->server_store_key,
	    sizeof(s->server_store_key)) == -1 ||
	    secrets_read(dir, "prelogin_key", s->prelogin_key,
	    sizeof(s->prelogin_key)) == -1 ||
	    secrets_read(dir, "server_key", s->server_key,
	    sizeof(s->server_key)) == -1 ||
	    secrets_read(dir, "stats_key", s->stats_key,
	    sizeof(s->stats_key)) == -1 ||
	    secrets_read(dir, "desk_signing_key", s->sign_sk,
	    sizeof(s->sign_sk)) == -1 ||
	    secrets_read(dir, "desk_certification_key.pub", s->cert_pk,
	    sizeof(s->cert_pk)) == -1 ||
	    secrets_read(dir, "recovery_key.pub", s->recovery_pk,
	    sizeof(s->recovery_pk)) == -1)
		goto fail;
	if (crypto_sign_ed25519_sk_to_pk(derived, s->sign_sk) != 0)
		goto fail;
	memcpy(s->sign_pk, derived, sizeof(derived));
	if (sodium_mprotect_readonly(s) != 0)
		goto fail;
	return s;
fail:
	secrets_free(s);
	return NULL;
}

/* The key files the daemon reads, and whether each is secret. */
static const struct {
	const char	*name;
	size_t		 len;
	int		 secret;
} secrets_files[] = {
	{ "server_auth_key", KEY_BYTES, 1 },
	{ "server_store_key", KEY_BYTES, 1 },
	{ "prelogin_key", KEY_BYTES, 1 },
	{ "server_key", KEY_BYTES, 1 },
	{ "stats_key", KEY_BYTES, 1 },
	{ "desk_signing_key", SIGN_SK_BYTES, 1 },
	{ "desk_certification_key.pub", SIGN_PK_BYTES, 0 },
	{ "recovery_key.pub", BOX_PK_BYTES, 0 },
};

/* The folder: ours, a directory, closed to group and others. Problems. */
static int
secrets_check_dir(const char *dir)
{
	struct stat st;

	if (lstat(dir, &st) == -1 || !S_ISDIR(st.st_mode)) {
		log_warnx("%s: secrets_dir %s is not a directory", __func__, dir);
		return 1;
	}
	if (st.st_uid != geteuid()) {
		log_warnx("%s: secrets_dir %s is not owned by uid %u, which "
		    "runs the check", __func__, dir, (unsigned int)geteuid());
		return 1;
	}
	if ((st.st_mode & 077) != 0) {
		log_warnx("%s: secrets_dir %s has mode %04o: group and others "
		    "must have no access (0700)", __func__, dir,
		    (unsigned int)(st.st_mode & 07777));
		return 1;
	}
	return 0;
}

/*
 * One key file: a regular file (not a link); a secret one owned by the
 * user who checks, mode 0600 or 0400; a public one writable by its owner
 * only, owned by that user or root; and a key of the right size. Problems.
 */
static int
secrets_check_file(const char *dir, size_t i)
{
	unsigned char	 key[SIGN_SK_BYTES];
	char		 path[4096];
	struct stat	 st;
	mode_t		 mode;
	int		 problems = 0;

	if (keyfile_path(path, sizeof(path), dir, secrets_files[i].name) == -1)
		return 1;
	if (lstat(path, &st) == -1 || !S_ISREG(st.st_mode)) {
		log_warnx("%s: %s is missing or not a regular file", __func__,
		    path);
		return 1;
	}
	mode = st.st_mode & 07777;
	if (secrets_files[i].secret && st.st_uid != geteuid()) {
		log_warnx("%s: %s is not owned by uid %u, which runs the check",
		    __func__, path, (unsigned int)geteuid());
		problems++;
	}
	if (secrets_files[i].secret && mode != 0600 && mode != 0400) {
		log_warnx("%s: %s has mode %04o: a secret key must be 0600 or "
		    "0400", __func__, path, (unsigned int)mode);
		problems++;
	}
	if (!secrets_files[i].secret && (st.st_uid != geteuid() &&
	    st.st_uid != 0)) {
		log_warnx("%s: %s is owned by neither uid %u nor root",
		    __func__, path, (unsigned int)geteuid());
		problems++;
	}
	if (!secrets_files[i].secret && (mode & 022) != 0) {
		log_warnx("%s: %s has mode %04o: only its owner may write it",
		    __func__, path, (unsigned int)mode);
		problems++;
	}
	if (keyfile_read(path, key, secrets_files[i].len) == -1) {
		log_warnx("%s: %s cannot be read as a key", __func__, path);
		problems++;
	}
	sodium_memzero(key, sizeof(key));
	return problems;
}

int
secrets_check(const char *dir)
{
	size_t	i;
	int	problems;

	if ((problems = secrets_check_dir(dir)) != 0 &&
	    access(dir, X_OK) == -1)
		return problems;
	for (i = 0; i < sizeof(secrets_files) / sizeof(*secrets_files); i++)
		problems += secrets_check_file(dir, i);
	return problems;
}

void
secrets_free(struct secrets *s)
{
	/* sodium_free wipes the memory before releasing it. */
	if (s != NULL)
		sodium_free(s);
}

static int
secrets_add_b64(cJSON *obj, const char *name, const unsigned char *key,
    size_t len)
{
	char b64[sodium_base64_ENCODED_LEN(SIGN_PK_BYTES,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING)];

	sodium_bin2base64(b64, sizeof(b64), key, len,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return cJSON_AddStringToObject(obj, name, b64) == NULL ? -1 : 0;
}

char *
secrets_pins_json(const struct secrets *s)
{
	cJSON	*obj;
	char	*text = NULL;

	if ((obj = cJSON_CreateObject()) == NULL)
		return NULL;
	if (secrets_add_b64(obj, "certification", s->cert_pk,
	    sizeof(s->cert_pk)) == 0 &&
	    secrets_add_b64(obj, "recovery", s->recovery_pk,
	    sizeof(s->recovery_pk)) == 0 &&
	    secrets_add_b64(obj, "signing", s->sign_pk,
	    sizeof(s->sign_pk)) == 0)
		text = cJSON_PrintUnformatted(obj);
	cJSON_Delete(obj);
	return text;
}
