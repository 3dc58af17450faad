/*
 * keyfile.h - key files: one line of base64url (no padding) of the raw key.
 */
#ifndef MELDPUNT_KEYFILE_H
#define MELDPUNT_KEYFILE_H

#include <stddef.h>
#include <sys/types.h>

/*
 * keyfile_read: read exactly len key bytes from path into out. Returns 0,
 * or -1 (missing file, wrong length, bad encoding); out is wiped on error.
 */
int	keyfile_read(const char *path, unsigned char *out, size_t len);

/*
 * keyfile_write: create path with mode (never overwriting: O_EXCL) and
 * write the key. Returns 0, or -1 (the file is removed on a failed write).
 */
int	keyfile_write(const char *path, const unsigned char *key, size_t len,
	    mode_t mode);

/* keyfile_path: join dir and name into buf. 0, or -1 if it does not fit. */
int	keyfile_path(char *buf, size_t bufsz, const char *dir, const char *name);

#endif
