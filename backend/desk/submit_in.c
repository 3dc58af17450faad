/*
 * submit_in.c - the field tables of a report submission's body.
 */
#include <stddef.h>

#include "json_in.h"
#include "sizes.h"
#include "submit_in.h"

const struct json_field submit_in_fields[] = {
	JSON_F_KEY("challenge", 1, CHALLENGE_BYTES, struct submit_in,
	    challenge),
	JSON_F_KEY("pow_nonce", 1, POW_NONCE_BYTES, struct submit_in,
	    pow_nonce),
	JSON_F_SLUG("organisation", 1, SUBMIT_SLUG_MAX, struct submit_in,
	    organisation),
	JSON_F_SLUG("topic", 1, SUBMIT_SLUG_MAX, struct submit_in, topic),
	JSON_F_KEY("lookup_id", 1, HASH_BYTES, struct submit_in, lookup_id),
	JSON_F_KEY("reporter_sign_public_key", 1, SIGN_PK_BYTES,
	    struct submit_in, sign_pk),
	JSON_F_KEY("reporter_box_public_key", 1, BOX_PK_BYTES,
	    struct submit_in, box_pk),
	JSON_F_B64_ALLOC("report_ciphertext", 1,
	    SUBMIT_REPORT_BLOCK + SUBMIT_AEAD_OVERHEAD, 1 << 20,
	    struct submit_in, report),
	JSON_F_KEY("key_commitment", 1, HASH_BYTES, struct submit_in,
	    commitment),
	JSON_F_ARRAY("excluded", 1, 0, SUBMIT_MAX_ADVISERS, struct submit_in,
	    excluded),
	JSON_F_ARRAY("key_wraps", 1, 3, SUBMIT_MAX_ADVISERS + 2,
	    struct submit_in, wraps),
};
const size_t submit_in_nfields = nitems(submit_in_fields);

const struct json_schema submit_in_schema =
    JSON_SCHEMA(struct submit_in, submit_in_fields);

const struct json_field submit_in_wrap_fields[] = {
	JSON_F_TEXT("recipient", 1, 1, SUBMIT_RECIPIENT_SIZE - 1,
	    struct submit_wrap_in, recipient),
	JSON_F_KEY("public_key", 1, BOX_PK_BYTES, struct submit_wrap_in,
	    public_key),
	JSON_F_KEY("wrap", 1, WRAP_BYTES, struct submit_wrap_in, wrap),
};
const size_t submit_in_wrap_nfields = nitems(submit_in_wrap_fields);
