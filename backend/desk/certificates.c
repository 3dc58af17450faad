/*
 * certificates.c - the keys waiting for a certificate, and the import of
 * one: verified against the account's current data, stored only if that
 * data is still the same when it is written.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "accounts.h"
#include "adviser_entry.h"
#include "app.h"
#include "audit.h"
#include "certificates.h"
#include "db.h"
#include "ids.h"
#include "json_out.h"
#include "pgarray.h"
#include "seal.h"
#include "secrets.h"

/* The subject of a certificate: one DB_CERT_SUBJECT row, its lists split. */
struct certificates_subject {
	const PGresult	*res;
	char		*orgs_copy, *topics_copy;
	const char	*orgs[ACCOUNTS_SCOPE_MAX];
	const char	*topics[ACCOUNTS_SCOPE_MAX];
	size_t		 norgs, ntopics;
};

static cJSON *
certificates_pending_object(const PGresult *res, int i)
{
	const unsigned char	*enc, *sig;
	size_t			 n1, n2;
	char			 fp[SEAL_FINGERPRINT_LEN + 1];
	cJSON			*o;

	enc = db_get_bytes(res, i, CERT_ENCRYPTION_PK, &n1);
	sig = db_get_bytes(res, i, CERT_SIGN_PK, &n2);
	if (n1 != BOX_PK_BYTES || n2 != SIGN_PK_BYTES ||
	    seal_fingerprint(fp, enc, sig) != 0 ||
	    (o = cJSON_CreateObject()) == NULL)
		return NULL;
	if (json_add_str(o, "id", db_get_text(res, i, CERT_ID)) == -1 ||
	    json_add_str(o, "name", db_get_text(res, i, CERT_NAME)) == -1 ||
	    json_add_str(o, "role", db_get_text(res, i, CERT_ROLE)) == -1 ||
	    json_add_item(o, "scope", adviser_entry_scope(
	    db_get_text(res, i, CERT_ORGANISATIONS),
	    db_get_text(res, i, CERT_TOPICS))) == -1 ||
	    json_add_b64(o, "encryption_public_key", enc, BOX_PK_BYTES) == -1 ||
	    json_add_b64(o, "sign_public_key", sig, SIGN_PK_BYTES) == -1 ||
	    json_add_str(o, "fingerprint", fp) == -1) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

enum desk_result
certificates_pending(cJSON **out)
{
	PGresult	*res;
	cJSON		*list;
	enum db_status	 st;
	int		 i;

	*out = NULL;
	if ((res = db_exec(DB_CERT_PENDING, 0, NULL, &st)) == NULL)
		return desk_result_db(st);
	if ((list = cJSON_CreateArray()) == NULL)
		goto fail;
	for (i = 0; i < PQntuples(res); i++)
		if (json_add_item(list, NULL,
		    certificates_pending_object(res, i)) == -1)
			goto fail;
	PQclear(res);
	*out = list;
	return DESK_OK;
fail:
	cJSON_Delete(list);
	PQclear(res);
	return DESK_UNAVAILABLE;
}

/* Split "a,b" (or "*") into at most max pointers into copy. Returns n. */
static size_t
certificates_split(char *copy, const char **out, size_t max)
{
	size_t	 n = 0;
	char	*p = copy, *comma;

	while (*p != '\0' && n < max) {
		out[n++] = p;
		if ((comma = strchr(p, ',')) == NULL)
			break;
		*comma = '\0';
		p = comma + 1;
	}
	return n;
}

static int
certificates_subject_split(struct certificates_subject *s)
{
	s->orgs_copy = strdup(db_get_text(s->res, 0, CERT_ORGANISATIONS));
	s->topics_copy = strdup(db_get_text(s->res, 0, CERT_TOPICS));
	if (s->orgs_copy == NULL || s->topics_copy == NULL)
		return -1;
	s->norgs = certificates_split(s->orgs_copy, s->orgs, nitems(s->orgs));
	s->ntopics = certificates_split(s->topics_copy, s->topics,
	    nitems(s->topics));
	return 0;
}

/* Verify the certificate against the subject. 0 or -1. */
static int
certificates_verify(const struct certificates_subject *s,
    const char *not_after, const unsigned char certificate[SIGNATURE_BYTES])
{
	struct seal_cert	 c;
	const unsigned char	*enc, *sig;
	size_t			 n1, n2;

	memset(&c, 0, sizeof(c));
	c.id = db_get_text(s->res, 0, CERT_ID);
	c.name = db_get_text(s->res, 0, CERT_NAME);
	c.role = db_get_text(s->res, 0, CERT_ROLE);
	c.organisations = s->orgs;
	c.norganisations = s->norgs;
	c.topics = s->topics;
	c.ntopics = s->ntopics;
	c.not_after = not_after;
	enc = db_get_bytes(s->res, 0, CERT_ENCRYPTION_PK, &n1);
	sig = db_get_bytes(s->res, 0, CERT_SIGN_PK, &n2);
	if (n1 != BOX_PK_BYTES || n2 != SIGN_PK_BYTES)
		return -1;
	memcpy(c.encryption_public_key, enc, BOX_PK_BYTES);
	memcpy(c.sign_public_key, sig, SIGN_PK_BYTES);
	memcpy(c.certificate, certificate, SIGNATURE_BYTES);
	return seal_certificate_verify(&c, app.secrets->cert_pk) == 0 ? 0 : -1;
}

/* 1 if day (YYYY-MM-DD) is today (UTC) or later. */
static int
certificates_not_expired(const char *day)
{
	time_t		now = time(NULL);
	struct tm	tm;
	char		today[CERTIFICATES_DAY_LEN + 1];

	if (gmtime_r(&now, &tm) == NULL ||
	    strftime(today, sizeof(today), "%Y-%m-%d", &tm) == 0)
		return 0;
	return strcmp(day, today) >= 0;
}

/* Store the verified certificate and audit it, in one transaction. */
static enum desk_result
certificates_store(const char *actor, const struct certificates_subject *s,
    const char *not_after, const unsigned char certificate[SIGNATURE_BYTES])
{
	struct pgarray		 o, t;
	const unsigned char	*enc;
	const char		*id = db_get_text(s->res, 0, CERT_ID);
	size_t			 n, i;
	PGresult		*res = NULL;
	enum desk_result	 r = DESK_UNAVAILABLE;
	enum db_status		 st;

	pgarray_init(&o, PGARRAY_TEXT);
	pgarray_init(&t, PGARRAY_TEXT);
	for (i = 0; i < s->norgs; i++)
		pgarray_add_text(&o, s->orgs[i]);
	for (i = 0; i < s->ntopics; i++)
		pgarray_add_text(&t, s->topics[i]);
	enc = db_get_bytes(s->res, 0, CERT_ENCRYPTION_PK, &n);
	if (pgarray_finish(&o) == -1 || pgarray_finish(&t) == -1)
		goto out;
	if (db_begin(&st) == -1) {
		r = desk_result_db(st);
		goto out;
	}
	{
		struct db_param p[8] = {
			DB_P_TEXT(id), DB_P_BYTES(enc, n),
			DB_P_BYTES(certificate, SIGNATURE_BYTES),
			DB_P_TEXT(not_after),
			DB_P_TEXT(db_get_text(s->res, 0, CERT_NAME)),
			DB_P_TEXT(db_get_text(s->res, 0, CERT_ROLE)),
			DB_P_BYTES(o.out.data, o.out.len),
			DB_P_BYTES(t.out.data, t.out.len),
		};
		if ((res = db_exec(DB_CERT_STORE, nitems(p), p, &st)) == NULL) {
			db_rollback();
			r = desk_result_db(st);
			goto out;
		}
	}
	if (PQntuples(res) != 1) {
		db_rollback();
		r = DESK_CONFLICT;
	} else if (audit_commit("certificate_import", actor,
	    audit_extra("target", id), &st) == -1)
		r = desk_result_db(st);
	else
		r = DESK_OK;
out:
	PQclear(res);
	pgarray_free(&o);
	pgarray_free(&t);
	return r;
}

enum desk_result
certificates_import(const char *actor, const char *id, const char *not_after,
    const unsigned char certificate[SIGNATURE_BYTES])
{
	struct certificates_subject	 s;
	struct db_param			 p[1] = { DB_P_TEXT(id) };
	PGresult			*res;
	enum desk_result		 r;
	enum db_status			 st;

	if (!ids_uuid_valid(id))
		return DESK_NOT_FOUND;
	if (!certificates_not_expired(not_after))
		return DESK_BAD_NOT_AFTER;
	if ((res = db_exec(DB_CERT_SUBJECT, nitems(p), p, &st)) == NULL)
		return desk_result_db(st);
	memset(&s, 0, sizeof(s));
	s.res = res;
	if (PQntuples(res) != 1)
		r = DESK_NOT_FOUND;
	else if (certificates_subject_split(&s) == -1)
		r = DESK_UNAVAILABLE;
	else if (certificates_verify(&s, not_after, certificate) == -1)
		r = DESK_BAD_SIGNATURE;
	else
		r = certificates_store(actor, &s, not_after, certificate);
	free(s.orgs_copy);
	free(s.topics_copy);
	PQclear(res);
	return r;
}
