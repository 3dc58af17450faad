/*
 * submit_in.h - the body of POST /api/v1/reports (SPEC section 4) as
 * json_in checks it: the structs a valid body fills and their field
 * tables. Pure (no server, no database), so the fuzz harness checks bodies
 * against the very tables submit.c uses.
 */
#ifndef MELDPUNT_SUBMIT_IN_H
#define MELDPUNT_SUBMIT_IN_H

#include <stddef.h>

#include "json_in.h"

#define SUBMIT_MAX_ADVISERS	64
#define SUBMIT_UUID_LEN		36
#define SUBMIT_REPORT_BLOCK	4096
#define SUBMIT_AEAD_OVERHEAD	40	/* nonce 24 + tag 16 */

struct cJSON;

/* The body; report is allocated (json_bytes_free), the arrays borrowed. */
struct submit_in {
	unsigned char		 challenge[32];
	unsigned char		 pow_nonce[8];
	char			 organisation[33];
	char			 topic[33];
	unsigned char		 lookup_id[32];
	unsigned char		 sign_pk[32];
	unsigned char		 box_pk[32];
	struct json_bytes	 report;
	unsigned char		 commitment[32];
	const struct cJSON	*excluded;
	const struct cJSON	*wraps;
};

/* One item of key_wraps. */
struct submit_wrap_in {
	char		recipient[64];
	unsigned char	public_key[32];
	unsigned char	wrap[80];
};

/* For json_in_parse into struct submit_in. */
extern const struct json_field	submit_in_fields[];
extern const size_t		submit_in_nfields;

/* For json_in_check of each key_wraps item into struct submit_wrap_in. */
extern const struct json_field	submit_in_wrap_fields[];
extern const size_t		submit_in_wrap_nfields;

#endif
