/*
 * keyfile.c - reading and writing base64url key files.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "b64.h"
#include "keyfile.h"
#include "log.h"

#define KEYFILE_MAX_TEXT	256

int
keyfile_path(char *buf, size_t bufsz, const char *dir, const char *name)
{
	int n = snprintf(buf, bufsz, "%s/%s", dir, name);

	return (n < 0 || (size_t)n >= bufsz) ? -1 : 0;
}

int
keyfile_read(const char *path, unsigned char *out, size_t len)
{
	char	 text[KEYFILE_MAX_TEXT + 1];
	size_t	 got = 0, bin_len = 0;
	ssize_t	 n;
	int	 fd, rc = -1;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	while (got < KEYFILE_MAX_TEXT &&
	    (n = read(fd, text + got, KEYFILE_MAX_TEXT - got)) > 0)
		got += (size_t)n;
	close(fd);
	while (got > 0 && (text[got - 1] == '\n' || text[got - 1] == '\r'))
		got--;
	text[got] = '\0';
	if (b64_decode(out, len, text, got, &bin_len) == 0 && bin_len == len)
		rc = 0;
	else {
		log_warnx("%s: %s is not a key of %zu bytes", __func__, path, len);
		sodium_memzero(out, len);
	}
	sodium_memzero(text, sizeof(text));
	return rc;
}

int
keyfile_write(const char *path, const unsigned char *key, size_t len,
    mode_t mode)
{
	char	 text[KEYFILE_MAX_TEXT + 2];
	size_t	 n;
	int	 fd, rc = -1;

	if (sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_URLSAFE_NO_PADDING)
	    > KEYFILE_MAX_TEXT)
		return -1;
	sodium_bin2base64(text, sizeof(text) - 1, key, len,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	n = strlen(text);
	text[n++] = '\n';
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)) == -1) {
		log_warnx("%s: cannot create %s: %s", __func__, path,
		    strerror(errno));
		goto out;
	}
	if (fchmod(fd, mode) == 0 && write(fd, text, n) == (ssize_t)n &&
	    fsync(fd) == 0)
		rc = 0;
	if (close(fd) != 0)
		rc = -1;
	if (rc == -1)
		(void)unlink(path);
out:
	sodium_memzero(text, sizeof(text));
	return rc;
}
