/*
 * advcases.c - the adviser and coordinator case endpoints: the body's
 * shape, one call into desk/casework, the answer.
 *
 * The route table parses each body before the handler runs, so fields a
 * write needs are optional in its schema and required here, once the case
 * is open: whoever may not write to the case hears 404 or 403 whatever the
 * body, as before a byte of it mattered.
 */
#include <string.h>

#include <cjson/cJSON.h>

#include "advcases.h"
#include "answer.h"
#include "attach.h"
#include "casework.h"
#include "http.h"
#include "ids.h"
#include "json_in.h"
#include "json_out.h"
#include "messages.h"
#include "paging.h"
#include "session.h"

#define ADVCASES_MAX_WRAPS	64	/* wraps of a notes key in one call */
#define ADVCASES_STATUS_MAX	15	/* the longest status is shorter */
#define ADVCASES_CT_MAX		(1 << 20)	/* a message or note, padded */
#define ADVCASES_AFTER_SIZE	32	/* ?after= buffer: longer is ignored */

/*
 * The session's account and the case of the path, needing at least need.
 * 1 and *c filled; else what the handler returns: 0 once answered, -1 for
 * the dispatcher's 503.
 */
static int
advcases_open(struct http_request *req, enum casework_access need,
    struct casework_case *c)
{
	struct session_account	s;
	enum desk_result	r;

	if (session_account(req, SESSION_ROLE_CASEWORK, &s) == -1)
		return 0;
	if ((r = casework_open(s.id, req->params[0], need, c)) != DESK_OK)
		return answer_error(req, r) == -1 ? -1 : 0;
	return 1;
}

/*
 * The first of the n fields named that the body lacks (or gives as null),
 * or NULL when it has them all.
 */
static const char *
advcases_missing(const struct http_request *req, const char *const *names,
    size_t n)
{
	const cJSON	*v;
	size_t		 i;

	for (i = 0; i < n; i++) {
		v = cJSON_GetObjectItemCaseSensitive(req->json, names[i]);
		if (v == NULL || cJSON_IsNull(v))
			return names[i];
	}
	return NULL;
}

/* A padded message or note: whole blocks after the nonce and tag. */
static int
advcases_padded(const struct json_bytes *ct)
{
	return ct->len >= MESSAGES_OVERHEAD &&
	    (ct->len - MESSAGES_OVERHEAD) % MESSAGES_BLOCK == 0;
}

/* 201 {"seq"}. */
static int
advcases_created_seq(struct http_request *req, long long seq)
{
	cJSON *out;

	if ((out = cJSON_CreateObject()) == NULL ||
	    json_add_num(out, "seq", (double)seq) == -1) {
		cJSON_Delete(out);
		return -1;
	}
	return http_send_cjson(req, 201, out);
}

/* --- GET /api/v1/adviser/cases -------------------------------------------- */

int
advcases_list(struct http_request *req)
{
	struct session_account	 s;
	char			 after[ADVCASES_AFTER_SIZE];
	char			 status[ADVCASES_STATUS_MAX + 1];
	unsigned char		 after_id[ID_BYTES];
	long long		 limit;
	int			 have_status;
	cJSON			*out;
	enum desk_result	 r;

	if (session_account(req, SESSION_ROLE_CASEWORK, &s) == -1 ||
	    paging_params(req, &limit, after, sizeof(after)) == -1)
		return 0;
	have_status = http_query_get(req, "status", status, sizeof(status)) == 0;
	if (have_status && !casework_status_valid(status))
		return http_send_error(req, 400, "invalid_field", "status");
	if (after[0] != '\0' && ids_decode(after, after_id) == -1)
		return http_send_error(req, 400, "invalid_field", "after");
	if ((r = casework_list(s.id, have_status ? status : NULL,
	    after[0] != '\0' ? after_id : NULL, limit, &out)) != DESK_OK)
		return answer_error(req, r);
	return http_send_cjson(req, 200, out);
}

/* --- GET /api/v1/adviser/cases/{id} --------------------------------------- */

int
advcases_get(struct http_request *req)
{
	struct casework_case	 c;
	cJSON			*out;
	enum desk_result	 r;
	int			 rc;

	if ((rc = advcases_open(req, CASEWORK_METADATA, &c)) != 1)
		return rc;
	if ((r = casework_view(&c, &out)) != DESK_OK)
		return answer_error(req, r);
	return http_send_cjson(req, 200, out);
}

/* --- PATCH /api/v1/adviser/cases/{id} ------------------------------------- */

struct advcases_class_in {
	char		 category[SLUG_MAX + 1];
	const cJSON	*grounds;
	char		 primary[SLUG_MAX + 1];
	char		 outcome[SLUG_MAX + 1];
};

static const struct json_field advcases_class_fields[] = {
	JSON_F_SLUG("category", 0, SLUG_MAX, struct advcases_class_in, category),
	JSON_F_ARRAY("grounds", 0, 0, CASEWORK_GROUNDS_MAX,
	    struct advcases_class_in, grounds),
	JSON_F_SLUG("primary_ground", 0, SLUG_MAX, struct advcases_class_in,
	    primary),
	JSON_F_SLUG("outcome", 0, SLUG_MAX, struct advcases_class_in, outcome),
};

struct advcases_patch_in {
	char		 status[ADVCASES_STATUS_MAX + 1];
	const cJSON	*classification;
};

static const struct json_field advcases_patch_fields[] = {
	JSON_F_TEXT("status", 0, 1, ADVCASES_STATUS_MAX,
	    struct advcases_patch_in, status),
	JSON_F_OBJECT("classification", 0, struct advcases_patch_in,
	    classification),
};

const struct json_schema advcases_patch_in =
    JSON_SCHEMA(struct advcases_patch_in, advcases_patch_fields);

/* The classification into u (borrowing from cl). 0, or -1 if malformed. */
static int
advcases_classification(const cJSON *obj, struct advcases_class_in *cl,
    struct casework_update *u)
{
	const cJSON	*g;
	const char	*field;

	if (json_in_check(obj, advcases_class_fields,
	    nitems(advcases_class_fields), cl, &field) == -1)
		return -1;
	u->classify = 1;
	u->category = cl->category[0] ? cl->category : NULL;
	u->primary_ground = cl->primary[0] ? cl->primary : NULL;
	u->outcome = cl->outcome[0] ? cl->outcome : NULL;
	cJSON_ArrayForEach(g, cl->grounds) {
		if (!cJSON_IsString(g) || !ids_slug_valid(g->valuestring,
		    SLUG_MAX) || u->ngrounds == nitems(u->grounds))
			return -1;
		u->grounds[u->ngrounds++] = g->valuestring;
	}
	return 0;
}

int
advcases_patch(struct http_request *req)
{
	const struct advcases_patch_in	*in = req->in;
	struct advcases_class_in	 cl;
	struct casework_case		 c;
	struct casework_update		 u;
	const char			*field = NULL;
	int				 rc;

	if ((rc = advcases_open(req, CASEWORK_CONTENT, &c)) != 1)
		return rc;
	memset(&cl, 0, sizeof(cl));
	memset(&u, 0, sizeof(u));
	u.status = in->status[0] != '\0' ? in->status : NULL;
	if (u.status == NULL && in->classification == NULL)
		field = "status";
	else if (u.status != NULL && !casework_status_valid(u.status))
		field = "status";
	else if (in->classification != NULL &&
	    advcases_classification(in->classification, &cl, &u) == -1)
		field = "classification";
	if (field != NULL)
		return http_send_error(req, 400, "invalid_field", field);
	return answer_empty(req, casework_update(&c, &u));
}

/* --- messages and read marks ---------------------------------------------- */

struct advcases_message_in {
	struct json_bytes	ciphertext;
	unsigned char		signature[SIGNATURE_BYTES];
	int			feedback;
};

static const struct json_field advcases_message_fields[] = {
	JSON_F_B64_ALLOC("ciphertext", 0, MESSAGES_BLOCK + MESSAGES_OVERHEAD,
	    ADVCASES_CT_MAX, struct advcases_message_in, ciphertext),
	JSON_F_KEY("signature", 0, SIGNATURE_BYTES, struct advcases_message_in,
	    signature),
	JSON_F_BOOL("feedback", 0, struct advcases_message_in, feedback),
};

const struct json_schema advcases_message_in =
    JSON_SCHEMA(struct advcases_message_in, advcases_message_fields);

/* What a message and a note need, once the case is open. */
static const char *const advcases_signed_required[] = {
	"ciphertext", "signature"
};

int
advcases_message(struct http_request *req)
{
	const struct advcases_message_in	*in = req->in;
	struct casework_case			 c;
	const char				*field;
	enum desk_result			 r;
	long long				 seq;
	int					 rc;

	if ((rc = advcases_open(req, CASEWORK_CONTENT, &c)) != 1)
		return rc;
	if ((field = advcases_missing(req, advcases_signed_required,
	    nitems(advcases_signed_required))) != NULL)
		return http_send_error(req, 400, "invalid_field", field);
	if (!advcases_padded(&in->ciphertext))
		return http_send_error(req, 400, "invalid_field", "ciphertext");
	if ((r = casework_message(&c, in->ciphertext.data, in->ciphertext.len,
	    in->signature, in->feedback, &seq)) != DESK_OK)
		return answer_error(req, r);
	return advcases_created_seq(req, seq);
}

struct advcases_read_in {
	long long	seq;
};

static const struct json_field advcases_read_fields[] = {
	JSON_F_INT("seq", 0, 0, 2147483647, struct advcases_read_in, seq),
};

const struct json_schema advcases_read_in =
    JSON_SCHEMA(struct advcases_read_in, advcases_read_fields);

static const char *const advcases_read_required[] = { "seq" };

int
advcases_read(struct http_request *req)
{
	const struct advcases_read_in	*in = req->in;
	struct casework_case		 c;
	const char			*field;
	int				 rc;

	if ((rc = advcases_open(req, CASEWORK_CONTENT, &c)) != 1)
		return rc;
	if ((field = advcases_missing(req, advcases_read_required,
	    nitems(advcases_read_required))) != NULL)
		return http_send_error(req, 400, "invalid_field", field);
	return answer_empty(req, casework_read(&c, in->seq));
}

/* --- notes ---------------------------------------------------------------- */

struct advcases_wrap_in {
	char		recipient[AUTHOR_SIZE];
	unsigned char	public_key[BOX_PK_BYTES];
	unsigned char	wrap[WRAP_BYTES];
};

static const struct json_field advcases_wrap_fields[] = {
	JSON_F_TEXT("recipient", 1, 1, AUTHOR_SIZE - 1, struct advcases_wrap_in,
	    recipient),
	JSON_F_KEY("public_key", 1, BOX_PK_BYTES, struct advcases_wrap_in,
	    public_key),
	JSON_F_KEY("wrap", 1, WRAP_BYTES, struct advcases_wrap_in, wrap),
};

struct advcases_note_wraps_in {
	const cJSON	*wraps;
	unsigned char	 commitment[HASH_BYTES];
	size_t		 commitment_len;
	unsigned char	 signature[SIGNATURE_BYTES];
	size_t		 signature_len;
};

static const struct json_field advcases_note_wraps_fields[] = {
	JSON_F_ARRAY("wraps", 0, 1, ADVCASES_MAX_WRAPS,
	    struct advcases_note_wraps_in, wraps),
	JSON_F_B64("notes_key_commitment", 0, HASH_BYTES, HASH_BYTES,
	    struct advcases_note_wraps_in, commitment, commitment_len),
	JSON_F_B64("notes_key_signature", 0, SIGNATURE_BYTES, SIGNATURE_BYTES,
	    struct advcases_note_wraps_in, signature, signature_len),
};

const struct json_schema advcases_note_wraps_in =
    JSON_SCHEMA(struct advcases_note_wraps_in, advcases_note_wraps_fields);

static const char *const advcases_note_wraps_required[] = { "wraps" };

/*
 * The wrap objects into w (at most ADVCASES_MAX_WRAPS), each for "recovery"
 * or "adviser:<id>". The count, or -1 if one is malformed.
 */
static int
advcases_wraps(const cJSON *wraps, struct casework_wrap *w)
{
	struct advcases_wrap_in	 one;
	const cJSON		*item;
	const char		*field, *rec;
	int			 n = 0;

	cJSON_ArrayForEach(item, wraps) {
		memset(&one, 0, sizeof(one));
		if (n == ADVCASES_MAX_WRAPS || json_in_check(item,
		    advcases_wrap_fields, nitems(advcases_wrap_fields), &one,
		    &field) == -1)
			return -1;
		if (strcmp(one.recipient, "recovery") == 0)
			rec = "recovery";
		else if (strncmp(one.recipient, "adviser:", 8) == 0 &&
		    ids_uuid_valid(one.recipient + 8))
			rec = one.recipient + 8;
		else
			return -1;
		memcpy(w[n].recipient, rec, strlen(rec) + 1);
		memcpy(w[n].public_key, one.public_key, BOX_PK_BYTES);
		memcpy(w[n].wrap, one.wrap, WRAP_BYTES);
		n++;
	}
	return n;
}

int
advcases_note_wraps(struct http_request *req)
{
	const struct advcases_note_wraps_in	*in = req->in;
	struct casework_wrap			 w[ADVCASES_MAX_WRAPS];
	struct casework_case			 c;
	const char				*field;
	int					 n, rc;

	if ((rc = advcases_open(req, CASEWORK_CONTENT, &c)) != 1)
		return rc;
	if ((field = advcases_missing(req, advcases_note_wraps_required,
	    nitems(advcases_note_wraps_required))) != NULL)
		return http_send_error(req, 400, "invalid_field", field);
	if ((n = advcases_wraps(in->wraps, w)) == -1)
		return http_send_error(req, 400, "invalid_field", "wraps");
	if ((in->commitment_len != 0) != (in->signature_len != 0))
		return http_send_error(req, 400, "invalid_field",
		    "notes_key_signature");
	return answer_empty(req, casework_note_wraps(&c, w, (size_t)n,
	    in->commitment_len ? in->commitment : NULL,
	    in->signature_len ? in->signature : NULL));
}

struct advcases_note_in {
	struct json_bytes	ciphertext;
	unsigned char		signature[SIGNATURE_BYTES];
};

static const struct json_field advcases_note_fields[] = {
	JSON_F_B64_ALLOC("ciphertext", 0, MESSAGES_BLOCK + MESSAGES_OVERHEAD,
	    ADVCASES_CT_MAX, struct advcases_note_in, ciphertext),
	JSON_F_KEY("signature", 0, SIGNATURE_BYTES, struct advcases_note_in,
	    signature),
};

const struct json_schema advcases_note_in =
    JSON_SCHEMA(struct advcases_note_in, advcases_note_fields);

int
advcases_note(struct http_request *req)
{
	const struct advcases_note_in	*in = req->in;
	struct casework_case		 c;
	const char			*field;
	enum desk_result		 r;
	long long			 seq;
	int				 rc;

	if ((rc = advcases_open(req, CASEWORK_CONTENT, &c)) != 1)
		return rc;
	if ((field = advcases_missing(req, advcases_signed_required,
	    nitems(advcases_signed_required))) != NULL)
		return http_send_error(req, 400, "invalid_field", field);
	if (!advcases_padded(&in->ciphertext))
		return http_send_error(req, 400, "invalid_field", "ciphertext");
	if ((r = casework_note(&c, in->ciphertext.data, in->ciphertext.len,
	    in->signature, &seq)) != DESK_OK)
		return answer_error(req, r);
	return advcases_created_seq(req, seq);
}

/* --- POST /api/v1/adviser/cases/{id}/share -------------------------------- */

struct advcases_share_in {
	char		adviser_id[UUID_SIZE];
	unsigned char	public_key[BOX_PK_BYTES];
	unsigned char	wrap[WRAP_BYTES];
	unsigned char	note_wrap[WRAP_BYTES];
	size_t		note_wrap_len;
};

static const struct json_field advcases_share_fields[] = {
	JSON_F_TEXT("adviser_id", 0, UUID_LEN, UUID_LEN,
	    struct advcases_share_in, adviser_id),
	JSON_F_KEY("public_key", 0, BOX_PK_BYTES, struct advcases_share_in,
	    public_key),
	JSON_F_KEY("wrap", 0, WRAP_BYTES, struct advcases_share_in, wrap),
	JSON_F_B64("note_wrap", 0, WRAP_BYTES, WRAP_BYTES,
	    struct advcases_share_in, note_wrap, note_wrap_len),
};

const struct json_schema advcases_share_in =
    JSON_SCHEMA(struct advcases_share_in, advcases_share_fields);

static const char *const advcases_share_required[] = {
	"adviser_id", "public_key", "wrap"
};

int
advcases_share(struct http_request *req)
{
	const struct advcases_share_in	*in = req->in;
	struct casework_case		 c;
	struct casework_share		 s;
	const char			*field;
	int				 rc;

	if ((rc = advcases_open(req, CASEWORK_CONTENT, &c)) != 1)
		return rc;
	if ((field = advcases_missing(req, advcases_share_required,
	    nitems(advcases_share_required))) != NULL)
		return http_send_error(req, 400, "invalid_field", field);
	s.adviser_id = in->adviser_id;
	s.public_key = in->public_key;
	s.wrap = in->wrap;
	s.note_wrap = in->note_wrap_len ? in->note_wrap : NULL;
	return answer_empty(req, casework_share(&c, &s));
}

/* --- attachments and colleagues ------------------------------------------- */

int
advcases_attachment_upload(struct http_request *req)
{
	struct casework_case	c;
	int			rc;

	if ((rc = advcases_open(req, CASEWORK_CONTENT, &c)) != 1)
		return rc;
	return attach_upload(req, c.id, c.author, c.account);
}

int
advcases_attachment_download(struct http_request *req)
{
	struct casework_case	c;
	int			rc;

	if ((rc = advcases_open(req, CASEWORK_CONTENT, &c)) != 1)
		return rc;
	return attach_download(req, c.id, req->params[1]);
}

int
advcases_colleagues(struct http_request *req)
{
	struct session_account	 s;
	cJSON			*out;
	enum desk_result	 r;

	if (session_account(req, SESSION_ROLE_CASEWORK, &s) == -1)
		return 0;
	if ((r = casework_colleagues(&out)) != DESK_OK)
		return answer_error(req, r);
	return http_send_cjson(req, 200, out);
}
