/*
 * recovery.h - the desk recovery key in threshold shares (Shamir over
 * GF(2^8), Debian's libgfshare), and the offline re-wrapping of recovered
 * case keys for a new adviser (SPEC 3.11). Runs on the recovery officers'
 * offline machine; the whole secret key is never written anywhere.
 */
#ifndef MELDPUNT_RECOVERY_H
#define MELDPUNT_RECOVERY_H

#include <stddef.h>

#define RECOVERY_MAX_SHARES	255

/*
 * recovery_new: generate the recovery X25519 key pair in locked memory,
 * split the secret key into shares (any threshold of them recover it) and
 * write out_dir/recovery_key.pub and out_dir/share-<i>.json (mode 0600),
 * each share naming its index, the threshold, the split and the public
 * key, with a checksum. Prints the public key. 0, or -1.
 */
int	recovery_new(unsigned int shares, unsigned int threshold,
	    const char *out_dir);

/*
 * recovery_rewrap: combine the share files, check the result against the
 * recovery public key, verify the target adviser entry's current key
 * certificate under the certification public key (file cert_pk_path) and
 * that its scope covers every case, open each case's recovery wrap (and
 * recovery note wrap), check each case key against its key_commitment,
 * and write the import body {"adviser_id","wraps":[{"case_id",
 * "public_key","wrap","note_wrap"}]} to out_path. Every secret is wiped.
 * Errors name the share or case at fault. 0, or -1.
 */
int	recovery_rewrap(const char *const *share_paths, size_t nshares,
	    const char *export_path, const char *target_path,
	    const char *cert_pk_path, const char *out_path, const char *today);

#endif
