/*
 * fuzz_json_submit.c - a POST /api/v1/reports body through the checks the
 * handler runs on it before anything else (backend/api/submit.c): the shape
 * scan, json_in_parse with submit_in_fields, then json_in_check of every
 * key_wraps item with submit_in_wrap_fields.
 *
 * Besides crashes, leaks and out-of-bounds reads (ASan, UBSan), it checks:
 *   - the shape scan is monotonic in the depth, and json_in_parse accepts
 *     nothing the scan refuses;
 *   - a refusal names invalid_json or invalid_field, a field only from
 *     the table, and leaves no decoded report behind;
 *   - an accepted body filled what the table promises: slugs, sizes,
 *     arrays, and every base64 value decodes to bytes whose one encoding
 *     is the text sent (the strict decoders accept one text per string).
 */
#include <string.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "fuzz.h"
#include "ids.h"
#include "json_in.h"
#include "submit_in.h"

#define VARIANT	sodium_base64_VARIANT_URLSAFE_NO_PADDING

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	FUZZ_CHECK(sodium_init() >= 0);
	return 0;
}

/* 1 if the string under key in obj is the base64url text of bin. */
static int
encodes(const cJSON *obj, const char *key, const unsigned char *bin,
    size_t len)
{
	const cJSON	*item = cJSON_GetObjectItemCaseSensitive(obj, key);
	size_t		 cap = sodium_base64_ENCODED_LEN(len, VARIANT);
	char		*text;
	int		 same;

	if (!cJSON_IsString(item) || (text = malloc(cap)) == NULL)
		return 0;
	sodium_bin2base64(text, cap, bin, len, VARIANT);
	same = strcmp(text, item->valuestring) == 0;
	free(text);
	return same;
}

/* 1 if name is NULL or the name of one of fields. */
static int
known_field(const char *name, const struct json_field *fields, size_t n)
{
	size_t i;

	if (name == NULL)
		return 1;
	for (i = 0; i < n; i++)
		if (strcmp(name, fields[i].name) == 0)
			return 1;
	return 0;
}

static void
check_wraps(const struct submit_in *in)
{
	struct submit_wrap_in	 one;
	const cJSON		*item;
	const char		*field;
	size_t			 n;

	cJSON_ArrayForEach(item, in->wraps) {
		memset(&one, 0, sizeof(one));
		if (json_in_check(item, submit_in_wrap_fields,
		    submit_in_wrap_nfields, &one, &field) == -1) {
			FUZZ_CHECK(known_field(field, submit_in_wrap_fields,
			    submit_in_wrap_nfields));
			continue;
		}
		n = strlen(one.recipient);
		FUZZ_CHECK(n >= 1 && n <= 63);
		FUZZ_CHECK(json_in_utf8_valid(one.recipient, n));
		FUZZ_CHECK(encodes(item, "public_key", one.public_key, 32));
		FUZZ_CHECK(encodes(item, "wrap", one.wrap, 80));
	}
}

static void
check_accepted(const cJSON *root, const struct submit_in *in)
{
	FUZZ_CHECK(ids_slug_valid(in->organisation, 32));
	FUZZ_CHECK(ids_slug_valid(in->topic, 32));
	FUZZ_CHECK(in->report.data != NULL);
	FUZZ_CHECK(in->report.len >= SUBMIT_REPORT_BLOCK + SUBMIT_AEAD_OVERHEAD &&
	    in->report.len <= 1 << 20);
	FUZZ_CHECK(cJSON_IsArray(in->excluded) &&
	    cJSON_GetArraySize(in->excluded) <= SUBMIT_MAX_ADVISERS);
	FUZZ_CHECK(cJSON_IsArray(in->wraps) &&
	    cJSON_GetArraySize(in->wraps) >= 3 &&
	    cJSON_GetArraySize(in->wraps) <= SUBMIT_MAX_ADVISERS + 2);
	FUZZ_CHECK(encodes(root, "challenge", in->challenge, 32));
	FUZZ_CHECK(encodes(root, "pow_nonce", in->pow_nonce, 8));
	FUZZ_CHECK(encodes(root, "lookup_id", in->lookup_id, 32));
	FUZZ_CHECK(encodes(root, "reporter_sign_public_key", in->sign_pk, 32));
	FUZZ_CHECK(encodes(root, "reporter_box_public_key", in->box_pk, 32));
	FUZZ_CHECK(encodes(root, "key_commitment", in->commitment, 32));
	FUZZ_CHECK(encodes(root, "report_ciphertext", in->report.data,
	    in->report.len));
	check_wraps(in);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct submit_in	 in;
	const char		*code, *field;
	cJSON			*root;
	char			*text;
	int			 d, shape;

	/* The daemon hands json_in_parse a NUL-terminated body. */
	if ((text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';

	shape = json_in_shape_valid(text, size, JSON_IN_MAX_DEPTH);
	for (d = 0; d <= JSON_IN_MAX_DEPTH; d++)
		FUZZ_CHECK(!json_in_shape_valid(text, size, d) ||
		    json_in_shape_valid(text, size, d + 1));

	memset(&in, 0, sizeof(in));
	root = json_in_parse(text, size, submit_in_fields, submit_in_nfields,
	    &in, &code, &field);
	if (root == NULL) {
		FUZZ_CHECK(strcmp(code, "invalid_json") == 0 ||
		    strcmp(code, "invalid_field") == 0);
		FUZZ_CHECK(strcmp(code, "invalid_json") != 0 || field == NULL);
		FUZZ_CHECK(known_field(field, submit_in_fields,
		    submit_in_nfields));
		FUZZ_CHECK(in.report.data == NULL);
	} else {
		FUZZ_CHECK(shape);
		check_accepted(root, &in);
	}
	json_bytes_free(&in.report);
	cJSON_Delete(root);
	free(text);
	return 0;
}
