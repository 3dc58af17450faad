/*
 * certificates.h - adviser certificates as the administrator imports them
 * (SPEC 3.8): the keys waiting for one, and the import of a certificate
 * made offline with the certification key, checked against the account as
 * it is now and stored with the name, role and scope it certifies.
 */
#ifndef MELDPUNT_CERTIFICATES_H
#define MELDPUNT_CERTIFICATES_H

#include "result.h"
#include "sizes.h"

struct cJSON;

#define CERTIFICATES_DAY_LEN	10	/* "YYYY-MM-DD" */

/*
 * certificates_pending: the keys of active advisers and coordinators that
 * wait for a certificate, ordered by account id: a JSON array of {id,
 * name, role, scope, encryption_public_key, sign_public_key, fingerprint}
 * into *out (the caller's). DESK_OK or DESK_UNAVAILABLE.
 */
enum desk_result certificates_pending(struct cJSON **out);

/*
 * certificates_import: check certificate (valid until not_after,
 * YYYY-MM-DD) against account id's current data and newest key under the
 * desk's certification key, then store it, audited as certificate_import
 * by actor. DESK_OK; DESK_NOT_FOUND (no such active adviser or
 * coordinator with a key), DESK_BAD_NOT_AFTER (a day past),
 * DESK_BAD_SIGNATURE, DESK_CONFLICT (the account changed meanwhile) or
 * DESK_UNAVAILABLE.
 */
enum desk_result certificates_import(const char *actor, const char *id,
	    const char *not_after,
	    const unsigned char certificate[SIGNATURE_BYTES]);

#endif
