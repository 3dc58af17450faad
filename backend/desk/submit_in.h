/*
 * submit_in.h - the body of POST /api/v1/reports (SPEC section 4) as
 * json_in checks it: the structs a valid body fills, their field tables and
 * the schema the route table names. Pure (no server, no database), so the
 * fuzz harness checks bodies against the very tables the dispatcher uses.
 */
#ifndef MELDPUNT_SUBMIT_IN_H
#define MELDPUNT_SUBMIT_IN_H

#include <stddef.h>

#include "json_in.h"
#include "sizes.h"

#define SUBMIT_MAX_ADVISERS	64
#define SUBMIT_UUID_LEN		UUID_LEN
#define SUBMIT_SLUG_MAX		32	/* organisation and topic ids */
#define SUBMIT_REPORT_BLOCK	4096
#define SUBMIT_AEAD_OVERHEAD	SEALED_OVERHEAD	/* nonce + tag */
#define SUBMIT_RECIPIENT_SIZE	64	/* "reporter", "adviser:<uuid>" */

struct cJSON;

/* The body; report is allocated (json_bytes_free), the arrays borrowed. */
struct submit_in {
	unsigned char		 challenge[CHALLENGE_BYTES];
	unsigned char		 pow_nonce[POW_NONCE_BYTES];
	char			 organisation[SUBMIT_SLUG_MAX + 1];
	char			 topic[SUBMIT_SLUG_MAX + 1];
	unsigned char		 lookup_id[HASH_BYTES];
	unsigned char		 sign_pk[SIGN_PK_BYTES];
	unsigned char		 box_pk[BOX_PK_BYTES];
	struct json_bytes	 report;
	unsigned char		 commitment[HASH_BYTES];
	const struct cJSON	*excluded;
	const struct cJSON	*wraps;
};

/* One item of key_wraps. */
struct submit_wrap_in {
	char		recipient[SUBMIT_RECIPIENT_SIZE];
	unsigned char	public_key[BOX_PK_BYTES];
	unsigned char	wrap[WRAP_BYTES];
};

/* For json_in_parse into struct submit_in. */
extern const struct json_field	submit_in_fields[];
extern const size_t		submit_in_nfields;

/*
 * The route table's schema of POST /api/v1/reports: the dispatcher parses
 * the body into a struct submit_in at req->in (tree at req->json).
 */
extern const struct json_schema	submit_in_schema;

/* For json_in_check of each key_wraps item into struct submit_wrap_in. */
extern const struct json_field	submit_in_wrap_fields[];
extern const size_t		submit_in_wrap_nfields;

#endif
