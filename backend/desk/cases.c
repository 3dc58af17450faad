/*
 * cases.c - case objects for the API.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "app.h"
#include "buf.h"
#include "cases.h"
#include "adviser_entry.h"
#include "json_out.h"
#include "proof.h"
#include "secrets.h"

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
	char			*report_b64;
	size_t			 n1, n2, n3, n4;
	int			 rc = 0;

	sign_pk = db_get_bytes(c, 0, 7, &n1);
	report = db_get_bytes(c, 0, 8, &n2);
	commitment = db_get_bytes(c, 0, 9, &n3);
	sig = db_get_bytes(c, 0, 10, &n4);
	if (n1 != 32 || n3 != 32 || n4 != 64 ||
	    (report_b64 = json_b64(report, n2)) == NULL)
		return -1;
	if (json_add_str(out, "case_id", case_b64) == -1 ||
	    json_add_str(out, "organisation", db_get_text(c, 0, 1)) == -1 ||
	    json_add_str(out, "topic", db_get_text(c, 0, 2)) == -1 ||
	    json_add_str(out, "status", db_get_text(c, 0, 3)) == -1 ||
	    json_add_str(out, "received_on", db_get_text(c, 0, 4)) == -1 ||
	    json_add_str(out, "acknowledge_by", db_get_text(c, 0, 5)) == -1 ||
	    json_add_str(out, "feedback_by", db_get_text(c, 0, 6)) == -1 ||
	    json_add_b64(out, "reporter_sign_public_key", sign_pk, n1) == -1 ||
	    json_add_str(out, "report_ciphertext", report_b64) == -1 ||
	    json_add_b64(out, "key_commitment", commitment, n3) == -1 ||
	    json_add_item(out, "proof", proof_file(case_b64,
	    db_get_text(c, 0, 4), db_get_text(c, 0, 1), db_get_text(c, 0, 2),
	    sign_pk, report_b64, commitment, sig)) == -1)
		rc = -1;
	free(report_b64);
	return rc;
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

/*
 * The viewer's own wrap: the reporter's (account NULL) or the adviser's
 * (recipient "adviser:<account>"). Collects adviser wrap holders into ids.
 * For an adviser also adds wrap_recipient_public_key. 0, or -1 (no wrap).
 */
static int
cases_add_wrap(cJSON *out, const PGresult *h, struct buf *ids,
    const char *account)
{
	const unsigned char	*pk, *wrap;
	char			 recipient[64];
	size_t			 n, m;
	int			 i, found = -1, mine;

	for (i = 0; i < PQntuples(h); i++) {
		if (strcmp(db_get_text(h, i, 0), "adviser") == 0) {
			cases_collect_id(ids, db_get_text(h, i, 1));
			mine = account != NULL &&
			    strcmp(db_get_text(h, i, 1), account) == 0;
		} else
			mine = account == NULL &&
			    strcmp(db_get_text(h, i, 0), "reporter") == 0;
		if (!mine)
			continue;
		pk = db_get_bytes(h, i, 2, &n);
		wrap = db_get_bytes(h, i, 3, &m);
		if (n != 32 || m != 80)
			return -1;
		snprintf(recipient, sizeof(recipient), "%s%s",
		    account != NULL ? "adviser:" : "reporter",
		    account != NULL ? account : "");
		found = json_add_item(out, "wrap",
		    cases_wrap_object(recipient, pk, wrap));
		if (found == 0 && account != NULL)
			found = json_add_b64(out, "wrap_recipient_public_key",
			    pk, 32);
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

/*
 * The case as the reporter (account NULL) or a wrap-holding adviser sees it:
 * everything but the adviser extras, which cases_add_adviser adds.
 */
static cJSON *
cases_view(const unsigned char case_id[16], const char *account,
    struct buf *ids, enum db_status *st)
{
	struct db_param	 p[1] = { DB_P_BYTES(case_id, 16) };
	PGresult	*c = NULL, *h = NULL, *m = NULL, *a = NULL;
	char		 case_b64[24];
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
	    cases_add_wrap(out, h, ids, account) == -1 ||
	    cases_add_messages(out, m, ids) == -1 ||
	    cases_add_attachments(out, a, ids) == -1) {
		cJSON_Delete(out);
		out = NULL;
		if (*st == DB_OK)
			*st = DB_ERROR;
	}
out:
	PQclear(c);
	PQclear(h);
	PQclear(m);
	PQclear(a);
	return out;
}

/* Add the entries of every id collected under key; 0 or -1. */
static int
cases_add_entries(cJSON *out, const char *key, struct buf *ids,
    enum db_status *st)
{
	const char *lit;

	if ((lit = cases_close_ids(ids)) == NULL)
		return -1;
	return json_add_item(out, key, adviser_entry_list(lit, st));
}

cJSON *
cases_reporter_view(const unsigned char case_id[16], enum db_status *st)
{
	struct buf	 ids = BUF_INIT;
	cJSON		*out;

	out = cases_view(case_id, NULL, &ids, st);
	if (out != NULL && cases_add_entries(out, "advisers", &ids, st) == -1) {
		cJSON_Delete(out);
		out = NULL;
		if (*st == DB_OK)
			*st = DB_ERROR;
	}
	buf_free(&ids);
	return out;
}

/* --- the adviser's view ---------------------------------------------------- */

static int
cases_add_notes(cJSON *out, const PGresult *r, struct buf *ids)
{
	cJSON			*list, *m;
	const unsigned char	*ct, *sig;
	char			 author[64];
	size_t			 n1, n2;
	int			 i;

	if ((list = cJSON_CreateArray()) == NULL ||
	    json_add_item(out, "notes", list) == -1)
		return -1;
	for (i = 0; i < PQntuples(r); i++) {
		ct = db_get_bytes(r, i, 3, &n1);
		sig = db_get_bytes(r, i, 4, &n2);
		cases_collect_id(ids, db_get_text(r, i, 1));
		snprintf(author, sizeof(author), "adviser:%s",
		    db_get_text(r, i, 1));
		if ((m = cJSON_CreateObject()) == NULL ||
		    json_add_item(list, NULL, m) == -1 ||
		    json_add_num(m, "seq", (double)db_get_int(r, i, 0)) == -1 ||
		    json_add_str(m, "author", author) == -1 ||
		    json_add_str(m, "created_on", db_get_text(r, i, 2)) == -1 ||
		    json_add_b64(m, "ciphertext", ct, n1) == -1 ||
		    json_add_b64(m, "signature", sig, n2) == -1)
			return -1;
	}
	return 0;
}

/* The caller's note wrap, or null. */
static int
cases_add_note_wrap(cJSON *out, const PGresult *r, const char *account)
{
	const unsigned char	*pk, *wrap;
	char			 recipient[64];
	size_t			 n, m;

	if (PQntuples(r) != 1)
		return json_add_null(out, "note_wrap");
	pk = db_get_bytes(r, 0, 0, &n);
	wrap = db_get_bytes(r, 0, 1, &m);
	if (n != 32 || m != 80)
		return -1;
	snprintf(recipient, sizeof(recipient), "adviser:%s", account);
	return json_add_item(out, "note_wrap",
	    cases_wrap_object(recipient, pk, wrap));
}

static int
cases_add_optional_b64(cJSON *out, const char *key, const PGresult *r,
    int col)
{
	const unsigned char	*v;
	size_t			 n;

	if (db_is_null(r, 0, col))
		return json_add_null(out, key);
	v = db_get_bytes(r, 0, col, &n);
	return json_add_b64(out, key, v, n);
}

static int
cases_add_optional_text(cJSON *out, const char *key, const PGresult *r,
    int row, int col)
{
	if (db_is_null(r, row, col))
		return json_add_null(out, key);
	return json_add_str(out, key, db_get_text(r, row, col));
}

/*
 * {"category","grounds","primary_ground","outcome"} from columns col..col+3
 * of row (grounds comma-joined).
 */
static cJSON *
cases_classification(const PGresult *r, int row, int col)
{
	cJSON		*c, *grounds;
	char		*copy, *p, *comma;

	if ((c = cJSON_CreateObject()) == NULL)
		return NULL;
	if (cases_add_optional_text(c, "category", r, row, col) == -1 ||
	    (grounds = cJSON_CreateArray()) == NULL ||
	    json_add_item(c, "grounds", grounds) == -1 ||
	    cases_add_optional_text(c, "primary_ground", r, row, col + 2) == -1 ||
	    cases_add_optional_text(c, "outcome", r, row, col + 3) == -1 ||
	    (copy = strdup(db_get_text(r, row, col + 1))) == NULL) {
		cJSON_Delete(c);
		return NULL;
	}
	for (p = copy; *p != '\0'; p = comma + 1) {
		if ((comma = strchr(p, ',')) != NULL)
			*comma = '\0';
		if (json_add_item(grounds, NULL, cJSON_CreateString(p)) == -1) {
			free(copy);
			cJSON_Delete(c);
			return NULL;
		}
		if (comma == NULL)
			break;
	}
	free(copy);
	return c;
}

static int
cases_add_excluded(cJSON *out, const PGresult *r)
{
	cJSON	*list;
	int	 i;

	if ((list = cJSON_CreateArray()) == NULL ||
	    json_add_item(out, "excluded", list) == -1)
		return -1;
	for (i = 0; i < PQntuples(r); i++)
		if (json_add_item(list, NULL,
		    cJSON_CreateString(db_get_text(r, i, 0))) == -1)
			return -1;
	return 0;
}

/* The adviser extras of SPEC 4 (notes, note wrap, classification...). */
static int
cases_add_adviser(cJSON *out, const unsigned char case_id[16],
    const char *account, struct buf *ids, enum db_status *st)
{
	struct db_param	 p[2] = { DB_P_BYTES(case_id, 16), DB_P_TEXT(account) };
	PGresult	*meta = NULL, *notes = NULL, *nw = NULL, *ex = NULL;
	PGresult	*hold = NULL;
	int		 rc = -1;

	if ((meta = db_exec(DB_CASE_EXTRA, 1, p, st)) == NULL ||
	    PQntuples(meta) != 1 ||
	    (notes = db_exec(DB_NOTES_LIST, 1, p, st)) == NULL ||
	    (nw = db_exec(DB_NOTE_WRAP_MINE, 2, p, st)) == NULL ||
	    (ex = db_exec(DB_CASE_EXCLUDED, 1, p, st)) == NULL ||
	    (hold = db_exec(DB_CASE_HOLDER_IDS, 1, p, st)) == NULL ||
	    PQntuples(hold) != 1)
		goto out;
	if (cases_add_notes(out, notes, ids) == -1 ||
	    cases_add_note_wrap(out, nw, account) == -1 ||
	    cases_add_optional_b64(out, "notes_key_commitment", meta, 4) == -1 ||
	    cases_add_optional_b64(out, "notes_key_signature", meta, 5) == -1 ||
	    json_add_item(out, "classification",
	    cases_classification(meta, 0, 0)) == -1 ||
	    json_add_bool(out, "acknowledge_overdue", db_get_bool(meta, 0, 6)) == -1 ||
	    json_add_bool(out, "feedback_overdue", db_get_bool(meta, 0, 7)) == -1 ||
	    json_add_bool(out, "has_wrap", 1) == -1 ||
	    cases_add_excluded(out, ex) == -1 ||
	    json_add_item(out, "holders", adviser_entry_list(db_get_text(hold, 0, 0),
	    st)) == -1)
		goto out;
	rc = 0;
out:
	PQclear(hold);
	PQclear(meta);
	PQclear(notes);
	PQclear(nw);
	PQclear(ex);
	return rc;
}

cJSON *
cases_adviser_view(const unsigned char case_id[16], const char *account,
    enum db_status *st)
{
	struct buf	 ids = BUF_INIT;
	cJSON		*out;

	out = cases_view(case_id, account, &ids, st);
	if (out != NULL && (cases_add_adviser(out, case_id, account, &ids,
	    st) == -1 || cases_add_entries(out, "advisers", &ids, st) == -1)) {
		cJSON_Delete(out);
		out = NULL;
		if (*st == DB_OK)
			*st = DB_ERROR;
	}
	buf_free(&ids);
	return out;
}

/* --- summaries: inbox rows and the coordinator's metadata view ---------------- */

cJSON *
cases_summary(const PGresult *r, int row)
{
	const unsigned char	*id;
	char			 b64[24];
	size_t			 n;
	cJSON			*o;

	id = db_get_bytes(r, row, 0, &n);
	if (n != 16 || (o = cJSON_CreateObject()) == NULL)
		return NULL;
	cases_b64_id(b64, id);
	if (json_add_str(o, "case_id", b64) == -1 ||
	    json_add_str(o, "organisation", db_get_text(r, row, 1)) == -1 ||
	    json_add_str(o, "topic", db_get_text(r, row, 2)) == -1 ||
	    json_add_str(o, "status", db_get_text(r, row, 3)) == -1 ||
	    json_add_str(o, "received_on", db_get_text(r, row, 4)) == -1 ||
	    json_add_str(o, "acknowledge_by", db_get_text(r, row, 5)) == -1 ||
	    json_add_str(o, "feedback_by", db_get_text(r, row, 6)) == -1 ||
	    json_add_bool(o, "acknowledge_overdue", db_get_bool(r, row, 7)) == -1 ||
	    json_add_bool(o, "feedback_overdue", db_get_bool(r, row, 8)) == -1 ||
	    json_add_num(o, "unread", (double)db_get_int(r, row, 9)) == -1 ||
	    json_add_bool(o, "has_wrap", db_get_bool(r, row, 10)) == -1 ||
	    json_add_item(o, "classification",
	    cases_classification(r, row, 11)) == -1) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

cJSON *
cases_metadata_view(const unsigned char case_id[16], const char *account,
    enum db_status *st)
{
	struct db_param	 p[2] = { DB_P_BYTES(case_id, 16), DB_P_TEXT(account) };
	PGresult	*r;
	cJSON		*out = NULL;

	if ((r = db_exec(DB_CASE_SUMMARY, 2, p, st)) == NULL)
		return NULL;
	if (PQntuples(r) == 1 && (out = cases_summary(r, 0)) == NULL)
		*st = DB_ERROR;
	PQclear(r);
	return out;
}
