/*
 * cases.c - case objects for the API.
 */
#include <string.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "app.h"
#include "buf.h"
#include "cases.h"
#include "entry.h"
#include "json_out.h"
#include "secrets.h"
#include "submit.h"

void
cases_b64_id(char out[24], const unsigned char id[16])
{
	sodium_bin2base64(out, 24, id, 16,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/* Add id to the array literal in b unless it is there already. */
static void
cases_collect_id(struct buf *b, const char *id)
{
	if (id == NULL || *id == '\0' ||
	    (b->data != NULL && strstr(b->data, id) != NULL))
		return;
	buf_adds(b, b->len == 0 ? "{" : ",");
	buf_adds(b, id);
}

static const char *
cases_close_ids(struct buf *b)
{
	if (b->len == 0)
		buf_adds(b, "{");
	buf_adds(b, "}");
	return buf_cstr(b);
}

/* The metadata and report fields shared by every view; fills ids too. */
static int
cases_add_core(cJSON *out, const PGresult *c, const char *case_b64)
{
	const unsigned char	*sign_pk, *report, *commitment, *sig;
	size_t			 n1, n2, n3, n4;

	sign_pk = db_get_bytes(c, 0, 7, &n1);
	report = db_get_bytes(c, 0, 8, &n2);
	commitment = db_get_bytes(c, 0, 9, &n3);
	sig = db_get_bytes(c, 0, 10, &n4);
	if (n1 != 32 || n3 != 32 || n4 != 64)
		return -1;
	if (json_add_str(out, "case_id", case_b64) == -1 ||
	    json_add_str(out, "organisation", db_get_text(c, 0, 1)) == -1 ||
	    json_add_str(out, "topic", db_get_text(c, 0, 2)) == -1 ||
	    json_add_str(out, "status", db_get_text(c, 0, 3)) == -1 ||
	    json_add_str(out, "received_on", db_get_text(c, 0, 4)) == -1 ||
	    json_add_str(out, "acknowledge_by", db_get_text(c, 0, 5)) == -1 ||
	    json_add_str(out, "feedback_by", db_get_text(c, 0, 6)) == -1 ||
	    json_add_b64(out, "reporter_sign_public_key", sign_pk, n1) == -1 ||
	    json_add_b64(out, "report_ciphertext", report, n2) == -1 ||
	    json_add_b64(out, "key_commitment", commitment, n3) == -1)
		return -1;
	return json_add_item(out, "proof", submit_proof(case_b64,
	    db_get_text(c, 0, 4), db_get_text(c, 0, 1), db_get_text(c, 0, 2),
	    sign_pk, report, n2, commitment, sig));
}

static cJSON *
cases_wrap_object(const char *recipient, const unsigned char *pk,
    const unsigned char *wrap)
{
	cJSON *w;

	if ((w = cJSON_CreateObject()) == NULL)
		return NULL;
	if (json_add_str(w, "recipient", recipient) == -1 ||
	    json_add_b64(w, "public_key", pk, 32) == -1 ||
	    json_add_b64(w, "wrap", wrap, 80) == -1) {
		cJSON_Delete(w);
		return NULL;
	}
	return w;
}

/* The reporter's own wrap; collects adviser wrap holders into ids. */
static int
cases_add_reporter_wrap(cJSON *out, const PGresult *h, struct buf *ids)
{
	const unsigned char	*pk, *wrap;
	size_t			 n, m;
	int			 i, found = -1;

	for (i = 0; i < PQntuples(h); i++) {
		if (strcmp(db_get_text(h, i, 0), "adviser") == 0)
			cases_collect_id(ids, db_get_text(h, i, 1));
		else if (strcmp(db_get_text(h, i, 0), "reporter") == 0) {
			pk = db_get_bytes(h, i, 2, &n);
			wrap = db_get_bytes(h, i, 3, &m);
			if (n != 32 || m != 80)
				return -1;
			found = json_add_item(out, "wrap",
			    cases_wrap_object("reporter", pk, wrap));
		}
	}
	return found;
}

static int
cases_add_messages(cJSON *out, const PGresult *r, struct buf *ids)
{
	cJSON			*list, *m;
	const unsigned char	*ct, *sig;
	size_t			 n1, n2;
	int			 i;

	if ((list = cJSON_CreateArray()) == NULL ||
	    json_add_item(out, "messages", list) == -1)
		return -1;
	for (i = 0; i < PQntuples(r); i++) {
		ct = db_get_bytes(r, i, 3, &n1);
		sig = db_get_bytes(r, i, 4, &n2);
		if (!db_is_null(r, i, 6))
			cases_collect_id(ids, db_get_text(r, i, 6));
		if ((m = cJSON_CreateObject()) == NULL ||
		    json_add_item(list, NULL, m) == -1 ||
		    json_add_num(m, "seq", (double)db_get_int(r, i, 0)) == -1 ||
		    json_add_str(m, "author", db_get_text(r, i, 1)) == -1 ||
		    json_add_str(m, "created_on", db_get_text(r, i, 2)) == -1 ||
		    json_add_b64(m, "ciphertext", ct, n1) == -1 ||
		    json_add_b64(m, "signature", sig, n2) == -1 ||
		    json_add_bool(m, "feedback", db_get_bool(r, i, 5)) == -1)
			return -1;
	}
	return 0;
}

static int
cases_add_attachments(cJSON *out, const PGresult *r, struct buf *ids)
{
	cJSON			*list, *a;
	const unsigned char	*id, *meta;
	char			 id_b64[24];
	size_t			 n1, n2;
	int			 i;

	if ((list = cJSON_CreateArray()) == NULL ||
	    json_add_item(out, "attachments", list) == -1)
		return -1;
	for (i = 0; i < PQntuples(r); i++) {
		id = db_get_bytes(r, i, 0, &n1);
		meta = db_get_bytes(r, i, 4, &n2);
		if (n1 != 16)
			return -1;
		cases_b64_id(id_b64, id);
		if (!db_is_null(r, i, 5))
			cases_collect_id(ids, db_get_text(r, i, 5));
		if ((a = cJSON_CreateObject()) == NULL ||
		    json_add_item(list, NULL, a) == -1 ||
		    json_add_str(a, "id", id_b64) == -1 ||
		    json_add_str(a, "author", db_get_text(r, i, 1)) == -1 ||
		    json_add_str(a, "created_on", db_get_text(r, i, 2)) == -1 ||
		    json_add_num(a, "padded_size", (double)db_get_int(r, i, 3)) == -1 ||
		    json_add_b64(a, "meta", meta, n2) == -1)
			return -1;
	}
	return 0;
}

cJSON *
cases_reporter_view(const unsigned char case_id[16], enum db_status *st)
{
	struct db_param	 p[1] = { DB_P_BYTES(case_id, 16) };
	PGresult	*c = NULL, *h = NULL, *m = NULL, *a = NULL;
	struct buf	 ids = BUF_INIT;
	char		 case_b64[24];
	const char	*lit;
	cJSON		*out = NULL;

	*st = DB_OK;
	cases_b64_id(case_b64, case_id);
	if ((c = db_exec(DB_CASE_GET, 1, p, st)) == NULL ||
	    PQntuples(c) != 1 ||
	    (h = db_exec(DB_CASE_HOLDERS, 1, p, st)) == NULL ||
	    (m = db_exec(DB_MESSAGES_LIST, 1, p, st)) == NULL ||
	    (a = db_exec(DB_ATTACHMENTS_LIST, 1, p, st)) == NULL)
		goto out;
	if ((out = cJSON_CreateObject()) == NULL ||
	    cases_add_core(out, c, case_b64) == -1 ||
	    cases_add_reporter_wrap(out, h, &ids) == -1 ||
	    cases_add_messages(out, m, &ids) == -1 ||
	    cases_add_attachments(out, a, &ids) == -1 ||
	    (lit = cases_close_ids(&ids)) == NULL ||
	    json_add_item(out, "advisers", entry_list(lit, st)) == -1) {
		cJSON_Delete(out);
		out = NULL;
		if (*st == DB_OK)
			*st = DB_ERROR;
	}
out:
	buf_free(&ids);
	PQclear(c);
	PQclear(h);
	PQclear(m);
	PQclear(a);
	return out;
}
