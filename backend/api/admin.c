/*
 * admin.c - administration endpoints: each takes its checked input, makes
 * one call into the desk (accounts, certificates, units) and answers its
 * result. Invite tokens are made here, so that the desk sees their hash
 * only.
 */
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "accounts.h"
#include "admin.h"
#include "answer.h"
#include "certificates.h"
#include "http.h"
#include "ids.h"
#include "json_in.h"
#include "json_out.h"
#include "log.h"
#include "paging.h"
#include "session.h"
#include "units.h"

#define ADMIN_AFTER_SIZE	64	/* room for ?after=, an account id */

/* The answer {"id"?, "invite_token"} with status 201; token is wiped. */
static int
admin_send_invite(struct http_request *req, const char *id,
    char token[TOKEN_B64_SIZE])
{
	cJSON	*out;
	int	 rc;

	if ((out = cJSON_CreateObject()) == NULL ||
	    (id != NULL && json_add_str(out, "id", id) == -1) ||
	    json_add_str(out, "invite_token", token) == -1) {
		cJSON_Delete(out);
		out = NULL;
	}
	rc = http_send_cjson(req, 201, out);
	sodium_memzero(token, TOKEN_B64_SIZE);
	return rc;
}

/* --- accounts ------------------------------------------------------------- */

struct admin_account_in {
	char		 email[ACCOUNTS_EMAIL_MAX + 1];
	char		 name[ACCOUNTS_NAME_MAX + 1];
	char		 role[ACCOUNTS_ROLE_MAX + 1];
	const cJSON	*organisations;
	const cJSON	*topics;
};

static const struct json_field admin_account_fields[] = {
	JSON_F_TEXT("email", 1, 3, ACCOUNTS_EMAIL_MAX, struct admin_account_in,
	    email),
	JSON_F_TEXT("name", 1, 1, ACCOUNTS_NAME_MAX, struct admin_account_in,
	    name),
	JSON_F_TEXT("role", 1, 1, ACCOUNTS_ROLE_MAX, struct admin_account_in,
	    role),
	JSON_F_ANY("organisations", 0, struct admin_account_in, organisations),
	JSON_F_ANY("topics", 0, struct admin_account_in, topics),
};

const struct json_schema admin_account_in =
    JSON_SCHEMA(struct admin_account_in, admin_account_fields);

int
admin_accounts_create(struct http_request *req)
{
	const struct admin_account_in	*in = req->in;
	unsigned char			 hash[HASH_BYTES];
	char				 id[UUID_SIZE], token[TOKEN_B64_SIZE];
	enum desk_result		 r;

	if (session_token_new(token, sizeof(token), hash) == -1)
		return -1;
	r = accounts_create(in->email, in->name, in->role, in->organisations,
	    in->topics, req->account.id, hash, id);
	if (r != DESK_OK) {
		sodium_memzero(token, sizeof(token));
		return answer_error(req, r);
	}
	return admin_send_invite(req, id, token);
}

int
admin_accounts_list(struct http_request *req)
{
	char			 after[ADMIN_AFTER_SIZE];
	long long		 limit;
	cJSON			*out;
	enum desk_result	 r;

	if (paging_params(req, &limit, after, sizeof(after)) == -1)
		return 0;
	if ((r = accounts_list(after, limit, &out)) != DESK_OK)
		return answer_error(req, r);
	return http_send_cjson(req, 200, out);
}

/* The account id of the path, checked as a UUID (else 404). */
static const char *
admin_path_id(struct http_request *req)
{
	if (!ids_uuid_valid(req->params[0])) {
		answer_error(req, DESK_NOT_FOUND);
		return NULL;
	}
	return req->params[0];
}

struct admin_patch_in {
	char		 name[ACCOUNTS_NAME_MAX + 1];
	const cJSON	*organisations;
	const cJSON	*topics;
};

static const struct json_field admin_patch_fields[] = {
	JSON_F_TEXT("name", 0, 1, ACCOUNTS_NAME_MAX, struct admin_patch_in,
	    name),
	JSON_F_ANY("organisations", 0, struct admin_patch_in, organisations),
	JSON_F_ANY("topics", 0, struct admin_patch_in, topics),
};

const struct json_schema admin_patch_in =
    JSON_SCHEMA(struct admin_patch_in, admin_patch_fields);

int
admin_account_patch(struct http_request *req)
{
	const struct admin_patch_in	*in = req->in;
	const char			*id;

	if ((id = admin_path_id(req)) == NULL)
		return 0;
	return answer_empty(req, accounts_patch(req->account.id, id,
	    in->name[0] ? in->name : NULL, in->organisations, in->topics));
}

int
admin_account_invite(struct http_request *req)
{
	unsigned char		 hash[HASH_BYTES];
	char			 token[TOKEN_B64_SIZE];
	const char		*id;
	enum desk_result	 r;

	if ((id = admin_path_id(req)) == NULL)
		return 0;
	if (session_token_new(token, sizeof(token), hash) == -1)
		return -1;
	if ((r = accounts_invite(req->account.id, id, hash)) != DESK_OK) {
		sodium_memzero(token, sizeof(token));
		return answer_error(req, r);
	}
	return admin_send_invite(req, NULL, token);
}

int
admin_account_deactivate(struct http_request *req)
{
	const char *id;

	if ((id = admin_path_id(req)) == NULL)
		return 0;
	return answer_empty(req, accounts_deactivate(req->account.id, id));
}

/* --- certificates --------------------------------------------------------- */

int
admin_certificates_pending(struct http_request *req)
{
	cJSON			*list;
	enum desk_result	 r;

	if ((r = certificates_pending(&list)) != DESK_OK)
		return answer_error(req, r);
	return http_send_cjson(req, 200, list);
}

struct admin_cert_in {
	char		not_after[CERTIFICATES_DAY_LEN + 1];
	unsigned char	certificate[SIGNATURE_BYTES];
};

static const struct json_field admin_cert_fields[] = {
	JSON_F_TEXT("not_after", 1, CERTIFICATES_DAY_LEN, CERTIFICATES_DAY_LEN,
	    struct admin_cert_in, not_after),
	JSON_F_KEY("certificate", 1, SIGNATURE_BYTES, struct admin_cert_in,
	    certificate),
};

const struct json_schema admin_cert_in =
    JSON_SCHEMA(struct admin_cert_in, admin_cert_fields);

int
admin_certificate_import(struct http_request *req)
{
	const struct admin_cert_in	*in = req->in;
	const char			*id;

	if ((id = admin_path_id(req)) == NULL)
		return 0;
	return answer_empty(req, certificates_import(req->account.id, id,
	    in->not_after, in->certificate));
}

/* --- organisations and topics --------------------------------------------- */

struct admin_names {
	char	nl[UNITS_NAME_MAX + 1];
	char	en[UNITS_NAME_MAX + 1];
};

static const struct json_field admin_names_fields[] = {
	JSON_F_TEXT("nl", 1, 1, UNITS_NAME_MAX, struct admin_names, nl),
	JSON_F_TEXT("en", 1, 1, UNITS_NAME_MAX, struct admin_names, en),
};

struct admin_unit_in {
	char		 id[UNITS_ID_MAX + 1];
	const cJSON	*name;
	long long	 headcount;
	int		 retired;
};

static const struct json_field admin_org_fields[] = {
	JSON_F_SLUG("id", 1, UNITS_ID_MAX, struct admin_unit_in, id),
	JSON_F_OBJECT("name", 1, struct admin_unit_in, name),
	JSON_F_INT("headcount", 0, 0, UNITS_HEADCOUNT_MAX, struct admin_unit_in,
	    headcount),
};

static const struct json_field admin_topic_fields[] = {
	JSON_F_SLUG("id", 1, UNITS_ID_MAX, struct admin_unit_in, id),
	JSON_F_OBJECT("name", 1, struct admin_unit_in, name),
};

static const struct json_field admin_org_patch_fields[] = {
	JSON_F_OBJECT("name", 0, struct admin_unit_in, name),
	JSON_F_INT("headcount", 0, 0, UNITS_HEADCOUNT_MAX, struct admin_unit_in,
	    headcount),
	JSON_F_BOOL("retired", 0, struct admin_unit_in, retired),
};

static const struct json_field admin_topic_patch_fields[] = {
	JSON_F_OBJECT("name", 0, struct admin_unit_in, name),
	JSON_F_BOOL("retired", 0, struct admin_unit_in, retired),
};

const struct json_schema admin_org_in =
    JSON_SCHEMA(struct admin_unit_in, admin_org_fields);
const struct json_schema admin_topic_in =
    JSON_SCHEMA(struct admin_unit_in, admin_topic_fields);
const struct json_schema admin_org_patch_in =
    JSON_SCHEMA(struct admin_unit_in, admin_org_patch_fields);
const struct json_schema admin_topic_patch_in =
    JSON_SCHEMA(struct admin_unit_in, admin_topic_patch_fields);

static int
admin_units_list(struct http_request *req, enum units_kind kind)
{
	cJSON			*out;
	enum desk_result	 r;

	if ((r = units_list(kind, &out)) != DESK_OK)
		return answer_error(req, r);
	return http_send_cjson(req, 200, out);
}

int
admin_organisations_list(struct http_request *req)
{
	return admin_units_list(req, UNITS_ORGANISATIONS);
}

int
admin_topics_list(struct http_request *req)
{
	return admin_units_list(req, UNITS_TOPICS);
}

/* 1 if the body holds key with a value other than null. */
static int
admin_has(const struct http_request *req, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(req->json, key);

	return v != NULL && !cJSON_IsNull(v);
}

/*
 * The unit of the request (id: from the body, or the path when NULL) into
 * c, its names into names. 0, or -1 (the name is not {"nl","en"}).
 */
static int
admin_unit_of(const struct http_request *req, const char *id,
    struct admin_names *names, struct units_change *c)
{
	const struct admin_unit_in	*in = req->in;
	const char			*field;

	memset(names, 0, sizeof(*names));
	if (in->name != NULL && json_in_check(in->name, admin_names_fields,
	    nitems(admin_names_fields), names, &field) == -1)
		return -1;
	c->id = id;
	c->nl = names->nl[0] ? names->nl : NULL;
	c->en = names->en[0] ? names->en : NULL;
	c->headcount = admin_has(req, "headcount") ? in->headcount : -1;
	c->retired = admin_has(req, "retired") ? in->retired : -1;
	return 0;
}

static int
admin_unit_create(struct http_request *req, enum units_kind kind)
{
	const struct admin_unit_in	*in = req->in;
	struct admin_names		 names;
	struct units_change		 c;
	enum desk_result		 r;

	if (admin_unit_of(req, in->id, &names, &c) == -1)
		return answer_error(req, DESK_BAD_UNIT_NAME);
	if ((r = units_create(kind, &c, req->account.id)) != DESK_OK)
		return answer_error(req, r);
	return http_send_empty(req, 201, NULL);
}

static int
admin_unit_patch(struct http_request *req, enum units_kind kind)
{
	struct admin_names	names;
	struct units_change	c;

	if (!ids_slug_valid(req->params[0], UNITS_ID_MAX))
		return answer_error(req, DESK_NOT_FOUND);
	if (admin_unit_of(req, req->params[0], &names, &c) == -1)
		return answer_error(req, DESK_BAD_UNIT_NAME);
	return answer_empty(req, units_patch(kind, &c, req->account.id));
}

int
admin_organisations_create(struct http_request *req)
{
	return admin_unit_create(req, UNITS_ORGANISATIONS);
}

int
admin_topics_create(struct http_request *req)
{
	return admin_unit_create(req, UNITS_TOPICS);
}

int
admin_organisation_patch(struct http_request *req)
{
	return admin_unit_patch(req, UNITS_ORGANISATIONS);
}

int
admin_topic_patch(struct http_request *req)
{
	return admin_unit_patch(req, UNITS_TOPICS);
}

/* --- meldpuntd create-admin ----------------------------------------------- */

int
admin_create_cli(const char *email, const char *name, FILE *out)
{
	unsigned char		 hash[HASH_BYTES];
	char			 id[UUID_SIZE], token[TOKEN_B64_SIZE];
	size_t			 len = strlen(name);
	enum desk_result	 r;
	int			 n;

	if (strlen(email) < 3 || len < 1 || len > ACCOUNTS_NAME_MAX ||
	    !json_in_utf8_valid(name, len)) {
		log_warnx("%s: a valid --email and --name are needed",
		    __func__);
		return -1;
	}
	if (session_token_new(token, sizeof(token), hash) == -1)
		return -1;
	r = accounts_create(email, name, "admin", NULL, NULL, "cli", hash, id);
	if (r != DESK_OK) {
		sodium_memzero(token, sizeof(token));
		if (r == DESK_BAD_EMAIL)
			log_warnx("%s: a valid --email and --name are needed",
			    __func__);
		else
			log_warnx("%s: cannot create the account%s", __func__,
			    r == DESK_CONFLICT ? " (the email is taken)" : "");
		return -1;
	}
	n = fprintf(out, "account: %s\n"
	    "invite token (valid %d hours, once): %s\n"
	    "enrolment link: /enrol.html#invite=%s\n", id,
	    ACCOUNTS_INVITE_HOURS, token, token);
	sodium_memzero(token, sizeof(token));
	return n < 0 ? -1 : 0;
}
