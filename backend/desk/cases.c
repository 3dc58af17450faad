/*
 * cases.c - case objects for the API: the reporter's and the adviser's
 * view of a case, the coordinator's metadata view and inbox rows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "adviser_entry.h"
#include "buf.h"
#include "case_fields.h"
#include "cases.h"
#include "ids.h"
#include "json_out.h"
#include "proof.h"

static const struct case_fields_class cases_extra_class = {
	CASE_EXTRA_CATEGORY, CASE_EXTRA_GROUNDS, CASE_EXTRA_PRIMARY_GROUND,
	CASE_EXTRA_OUTCOME,
};
static const struct case_fields_class cases_row_class = {
	CASE_ROW_CATEGORY, CASE_ROW_GROUNDS, CASE_ROW_PRIMARY_GROUND,
	CASE_ROW_OUTCOME,
};

static const struct case_field cases_message_fields[] = {
	{ "seq",	MESSAGES_LIST_SEQ,		CASE_FIELD_INT },
	{ "author",	MESSAGES_LIST_AUTHOR,		CASE_FIELD_TEXT },
	{ "created_on",	MESSAGES_LIST_CREATED_ON,	CASE_FIELD_TEXT },
	{ "ciphertext",	MESSAGES_LIST_CIPHERTEXT,	CASE_FIELD_B64 },
	{ "signature",	MESSAGES_LIST_SIGNATURE,	CASE_FIELD_B64 },
	{ "feedback",	MESSAGES_LIST_FEEDBACK,		CASE_FIELD_BOOL },
};

static const struct case_field cases_attachment_fields[] = {
	{ "author",	 ATTACHMENTS_LIST_AUTHOR,	CASE_FIELD_TEXT },
	{ "created_on",	 ATTACHMENTS_LIST_CREATED_ON,	CASE_FIELD_TEXT },
	{ "padded_size", ATTACHMENTS_LIST_PADDED_SIZE,	CASE_FIELD_INT },
	{ "meta",	 ATTACHMENTS_LIST_META,		CASE_FIELD_B64 },
};

/* After "seq" and "author" ("adviser:<account>"). */
static const struct case_field cases_note_fields[] = {
	{ "created_on",	NOTES_LIST_CREATED_ON,	CASE_FIELD_TEXT },
	{ "ciphertext",	NOTES_LIST_CIPHERTEXT,	CASE_FIELD_B64 },
	{ "signature",	NOTES_LIST_SIGNATURE,	CASE_FIELD_B64 },
};

/* An inbox row after "case_id"; "classification" follows. */
static const struct case_field cases_row_fields[] = {
	{ "organisation",	CASE_ROW_ORGANISATION,	CASE_FIELD_TEXT },
	{ "topic",		CASE_ROW_TOPIC,		CASE_FIELD_TEXT },
	{ "status",		CASE_ROW_STATUS,	CASE_FIELD_TEXT },
	{ "received_on",	CASE_ROW_RECEIVED_ON,	CASE_FIELD_TEXT },
	{ "acknowledge_by",	CASE_ROW_ACKNOWLEDGE_BY, CASE_FIELD_TEXT },
	{ "feedback_by",	CASE_ROW_FEEDBACK_BY,	CASE_FIELD_TEXT },
	{ "acknowledge_overdue", CASE_ROW_ACKNOWLEDGE_OVERDUE,
	    CASE_FIELD_BOOL },
	{ "feedback_overdue",	CASE_ROW_FEEDBACK_OVERDUE, CASE_FIELD_BOOL },
	{ "unread",		CASE_ROW_UNREAD,	CASE_FIELD_INT },
	{ "has_wrap",		CASE_ROW_HAS_WRAP,	CASE_FIELD_BOOL },
};

void
cases_b64_id(char out[ID_B64_SIZE], const unsigned char id[ID_BYTES])
{
	ids_encode(id, out);
}

/* The metadata and report fields shared by every view. */
static int
cases_add_core(cJSON *out, const PGresult *c, const char *case_b64)
{
	const unsigned char	*sign_pk, *report, *commitment, *sig;
	const char		*received, *organisation, *topic;
	char			*report_b64;
	size_t			 n1, n2, n3, n4;
	int			 rc = 0;

	sign_pk = db_get_bytes(c, 0, CASE_GET_SIGN_PK, &n1);
	report = db_get_bytes(c, 0, CASE_GET_REPORT, &n2);
	commitment = db_get_bytes(c, 0, CASE_GET_COMMITMENT, &n3);
	sig = db_get_bytes(c, 0, CASE_GET_PROOF_SIGNATURE, &n4);
	if (n1 != SIGN_PK_BYTES || n3 != HASH_BYTES || n4 != SIGNATURE_BYTES ||
	    (report_b64 = json_b64(report, n2)) == NULL)
		return -1;
	received = db_get_text(c, 0, CASE_GET_RECEIVED_ON);
	organisation = db_get_text(c, 0, CASE_GET_ORGANISATION);
	topic = db_get_text(c, 0, CASE_GET_TOPIC);
	if (json_add_str(out, "case_id", case_b64) == -1 ||
	    json_add_str(out, "organisation", organisation) == -1 ||
	    json_add_str(out, "topic", topic) == -1 ||
	    json_add_str(out, "status",
	    db_get_text(c, 0, CASE_GET_STATUS)) == -1 ||
	    json_add_str(out, "received_on", received) == -1 ||
	    json_add_str(out, "acknowledge_by",
	    db_get_text(c, 0, CASE_GET_ACKNOWLEDGE_BY)) == -1 ||
	    json_add_str(out, "feedback_by",
	    db_get_text(c, 0, CASE_GET_FEEDBACK_BY)) == -1 ||
	    json_add_b64(out, "reporter_sign_public_key", sign_pk, n1) == -1 ||
	    json_add_str(out, "report_ciphertext", report_b64) == -1 ||
	    json_add_b64(out, "key_commitment", commitment, n3) == -1 ||
	    json_add_item(out, "proof", proof_file(case_b64, received,
	    organisation, topic, sign_pk, report_b64, commitment, sig)) == -1)
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
	    json_add_b64(w, "public_key", pk, BOX_PK_BYTES) == -1 ||
	    json_add_b64(w, "wrap", wrap, WRAP_BYTES) == -1) {
		cJSON_Delete(w);
		return NULL;
	}
	return w;
}

/* Is holder row i the viewer's own wrap? Collects adviser holders. */
static int
cases_holder_mine(const PGresult *h, int i, struct adviser_ids *ids,
    const char *account)
{
	const char *recipient = db_get_text(h, i, CASE_HOLDERS_RECIPIENT);

	if (strcmp(recipient, "adviser") == 0) {
		adviser_ids_add(ids, db_get_text(h, i, CASE_HOLDERS_ACCOUNT));
		return account != NULL && strcmp(db_get_text(h, i,
		    CASE_HOLDERS_ACCOUNT), account) == 0;
	}
	return account == NULL && strcmp(recipient, "reporter") == 0;
}

/*
 * The viewer's own wrap: the reporter's (account NULL) or the adviser's
 * (recipient "adviser:<account>"). Collects adviser wrap holders into ids.
 * For an adviser also adds wrap_recipient_public_key. 0, or -1 (no wrap).
 */
static int
cases_add_wrap(cJSON *out, const PGresult *h, struct adviser_ids *ids,
    const char *account)
{
	const unsigned char	*pk, *wrap;
	char			 recipient[AUTHOR_SIZE];
	size_t			 n, m;
	int			 i, found = -1;

	for (i = 0; i < PQntuples(h); i++) {
		if (!cases_holder_mine(h, i, ids, account))
			continue;
		pk = db_get_bytes(h, i, CASE_HOLDERS_PUBLIC_KEY, &n);
		wrap = db_get_bytes(h, i, CASE_HOLDERS_WRAP, &m);
		if (n != BOX_PK_BYTES || m != WRAP_BYTES)
			return -1;
		snprintf(recipient, sizeof(recipient), "%s%s",
		    account != NULL ? "adviser:" : "reporter",
		    account != NULL ? account : "");
		found = json_add_item(out, "wrap",
		    cases_wrap_object(recipient, pk, wrap));
		if (found == 0 && account != NULL)
			found = json_add_b64(out, "wrap_recipient_public_key",
			    pk, n);
	}
	return found;
}

static cJSON *
cases_message(const PGresult *r, int i)
{
	cJSON *m;

	if ((m = cJSON_CreateObject()) == NULL)
		return NULL;
	if (case_fields_add(m, r, i, cases_message_fields,
	    nitems(cases_message_fields)) == -1) {
		cJSON_Delete(m);
		return NULL;
	}
	return m;
}

static int
cases_add_messages(cJSON *out, const PGresult *r, struct adviser_ids *ids)
{
	cJSON	*list;
	int	 i;

	if ((list = cJSON_CreateArray()) == NULL ||
	    json_add_item(out, "messages", list) == -1)
		return -1;
	for (i = 0; i < PQntuples(r); i++) {
		if (!db_is_null(r, i, MESSAGES_LIST_ACCOUNT))
			adviser_ids_add(ids,
			    db_get_text(r, i, MESSAGES_LIST_ACCOUNT));
		if (json_add_item(list, NULL, cases_message(r, i)) == -1)
			return -1;
	}
	return 0;
}

static cJSON *
cases_attachment(const PGresult *r, int i)
{
	const unsigned char	*id;
	char			 id_b64[ID_B64_SIZE];
	size_t			 n;
	cJSON			*a;

	id = db_get_bytes(r, i, ATTACHMENTS_LIST_ID, &n);
	if (n != ID_BYTES || (a = cJSON_CreateObject()) == NULL)
		return NULL;
	ids_encode(id, id_b64);
	if (json_add_str(a, "id", id_b64) == -1 ||
	    case_fields_add(a, r, i, cases_attachment_fields,
	    nitems(cases_attachment_fields)) == -1) {
		cJSON_Delete(a);
		return NULL;
	}
	return a;
}

static int
cases_add_attachments(cJSON *out, const PGresult *r, struct adviser_ids *ids)
{
	cJSON	*list;
	int	 i;

	if ((list = cJSON_CreateArray()) == NULL ||
	    json_add_item(out, "attachments", list) == -1)
		return -1;
	for (i = 0; i < PQntuples(r); i++) {
		if (!db_is_null(r, i, ATTACHMENTS_LIST_ACCOUNT))
			adviser_ids_add(ids,
			    db_get_text(r, i, ATTACHMENTS_LIST_ACCOUNT));
		if (json_add_item(list, NULL, cases_attachment(r, i)) == -1)
			return -1;
	}
	return 0;
}

/*
 * The case as the reporter (account NULL) or a wrap-holding adviser sees it:
 * everything but the adviser extras, which cases_add_adviser adds.
 */
static cJSON *
cases_view(const unsigned char case_id[ID_BYTES], const char *account,
    struct adviser_ids *ids, enum db_status *st)
{
	struct db_param	 p[] = { DB_P_BYTES(case_id, ID_BYTES) };
	PGresult	*c = NULL, *h = NULL, *m = NULL, *a = NULL;
	char		 case_b64[ID_B64_SIZE];
	cJSON		*out = NULL;

	*st = DB_OK;
	ids_encode(case_id, case_b64);
	if ((c = db_exec(DB_CASE_GET, (int)nitems(p), p, st)) == NULL ||
	    PQntuples(c) != 1 ||
	    (h = db_exec(DB_CASE_HOLDERS, (int)nitems(p), p, st)) == NULL ||
	    (m = db_exec(DB_MESSAGES_LIST, (int)nitems(p), p, st)) == NULL ||
	    (a = db_exec(DB_ATTACHMENTS_LIST, (int)nitems(p), p, st)) == NULL)
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
cases_add_entries(cJSON *out, const char *key, struct adviser_ids *ids,
    enum db_status *st)
{
	return json_add_item(out, key, adviser_entry_list_ids(ids, st));
}

cJSON *
cases_reporter_view(const unsigned char case_id[ID_BYTES],
    enum db_status *st)
{
	struct adviser_ids ids;
	cJSON		*out;

	adviser_ids_init(&ids);
	out = cases_view(case_id, NULL, &ids, st);
	if (out != NULL && cases_add_entries(out, "advisers", &ids, st) == -1) {
		cJSON_Delete(out);
		out = NULL;
		if (*st == DB_OK)
			*st = DB_ERROR;
	}
	adviser_ids_free(&ids);
	return out;
}

/* --- the adviser's view ------------------------------------------------ */

static cJSON *
cases_note(const PGresult *r, int i)
{
	char	 author[AUTHOR_SIZE];
	cJSON	*m;

	snprintf(author, sizeof(author), "adviser:%s",
	    db_get_text(r, i, NOTES_LIST_ACCOUNT));
	if ((m = cJSON_CreateObject()) == NULL)
		return NULL;
	if (json_add_num(m, "seq",
	    (double)db_get_int(r, i, NOTES_LIST_SEQ)) == -1 ||
	    json_add_str(m, "author", author) == -1 ||
	    case_fields_add(m, r, i, cases_note_fields,
	    nitems(cases_note_fields)) == -1) {
		cJSON_Delete(m);
		return NULL;
	}
	return m;
}

static int
cases_add_notes(cJSON *out, const PGresult *r, struct adviser_ids *ids)
{
	cJSON	*list;
	int	 i;

	if ((list = cJSON_CreateArray()) == NULL ||
	    json_add_item(out, "notes", list) == -1)
		return -1;
	for (i = 0; i < PQntuples(r); i++) {
		adviser_ids_add(ids, db_get_text(r, i, NOTES_LIST_ACCOUNT));
		if (json_add_item(list, NULL, cases_note(r, i)) == -1)
			return -1;
	}
	return 0;
}

/* The caller's note wrap, or null. */
static int
cases_add_note_wrap(cJSON *out, const PGresult *r, const char *account)
{
	const unsigned char	*pk, *wrap;
	char			 recipient[AUTHOR_SIZE];
	size_t			 n, m;

	if (PQntuples(r) != 1)
		return json_add_null(out, "note_wrap");
	pk = db_get_bytes(r, 0, NOTE_WRAP_MINE_PUBLIC_KEY, &n);
	wrap = db_get_bytes(r, 0, NOTE_WRAP_MINE_WRAP, &m);
	if (n != BOX_PK_BYTES || m != WRAP_BYTES)
		return -1;
	snprintf(recipient, sizeof(recipient), "adviser:%s", account);
	return json_add_item(out, "note_wrap",
	    cases_wrap_object(recipient, pk, wrap));
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
		if (json_add_item(list, NULL, cJSON_CreateString(
		    db_get_text(r, i, CASE_EXCLUDED_ACCOUNT))) == -1)
			return -1;
	return 0;
}

/* The adviser extras of SPEC 4 from their results. 0, or -1. */
static int
cases_add_extras(cJSON *out, const PGresult *meta, const PGresult *notes,
    const PGresult *nw, const PGresult *ex, const char *account,
    struct adviser_ids *ids)
{
	if (cases_add_notes(out, notes, ids) == -1 ||
	    cases_add_note_wrap(out, nw, account) == -1 ||
	    case_fields_optional_b64(out, "notes_key_commitment", meta, 0,
	    CASE_EXTRA_NOTES_COMMITMENT) == -1 ||
	    case_fields_optional_b64(out, "notes_key_signature", meta, 0,
	    CASE_EXTRA_NOTES_SIGNATURE) == -1 ||
	    json_add_item(out, "classification",
	    case_fields_classification(meta, 0, &cases_extra_class)) == -1 ||
	    json_add_bool(out, "acknowledge_overdue",
	    db_get_bool(meta, 0, CASE_EXTRA_ACKNOWLEDGE_OVERDUE)) == -1 ||
	    json_add_bool(out, "feedback_overdue",
	    db_get_bool(meta, 0, CASE_EXTRA_FEEDBACK_OVERDUE)) == -1 ||
	    json_add_bool(out, "has_wrap", 1) == -1 ||
	    cases_add_excluded(out, ex) == -1)
		return -1;
	return 0;
}

/* The adviser extras of SPEC 4 (notes, note wrap, classification...). */
static int
cases_add_adviser(cJSON *out, const unsigned char case_id[ID_BYTES],
    const char *account, struct adviser_ids *ids, enum db_status *st)
{
	struct db_param	 p[] = {
		DB_P_BYTES(case_id, ID_BYTES), DB_P_TEXT(account),
	};
	PGresult	*meta = NULL, *notes = NULL, *nw = NULL, *ex = NULL;
	PGresult	*hold = NULL;
	int		 rc = -1;

	if ((meta = db_exec(DB_CASE_EXTRA, 1, p, st)) == NULL ||
	    PQntuples(meta) != 1 ||
	    (notes = db_exec(DB_NOTES_LIST, 1, p, st)) == NULL ||
	    (nw = db_exec(DB_NOTE_WRAP_MINE, 2, p, st)) == NULL ||
	    (ex = db_exec(DB_CASE_EXCLUDED, 1, p, st)) == NULL ||
	    (hold = db_exec(DB_CASE_HOLDER_IDS, 1, p, st)) == NULL)
		goto out;
	if (cases_add_extras(out, meta, notes, nw, ex, account, ids) == -1 ||
	    json_add_item(out, "holders", adviser_entry_list_column(hold,
	    CASE_HOLDER_IDS_ACCOUNT, st)) == -1)
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
cases_adviser_view(const unsigned char case_id[ID_BYTES], const char *account,
    enum db_status *st)
{
	struct adviser_ids ids;
	cJSON		*out;

	adviser_ids_init(&ids);
	out = cases_view(case_id, account, &ids, st);
	if (out != NULL && (cases_add_adviser(out, case_id, account, &ids,
	    st) == -1 || cases_add_entries(out, "advisers", &ids, st) == -1)) {
		cJSON_Delete(out);
		out = NULL;
		if (*st == DB_OK)
			*st = DB_ERROR;
	}
	adviser_ids_free(&ids);
	return out;
}

/* --- summaries: inbox rows and the coordinator's metadata view -------- */

static int
cases_add_summary(cJSON *o, const PGresult *r, int row, const char *b64)
{
	if (json_add_str(o, "case_id", b64) == -1 ||
	    case_fields_add(o, r, row, cases_row_fields,
	    nitems(cases_row_fields)) == -1 ||
	    json_add_item(o, "classification",
	    case_fields_classification(r, row, &cases_row_class)) == -1)
		return -1;
	return 0;
}

cJSON *
cases_summary(const PGresult *r, int row)
{
	const unsigned char	*id;
	char			 b64[ID_B64_SIZE];
	size_t			 n;
	cJSON			*o;

	id = db_get_bytes(r, row, CASE_ROW_ID, &n);
	if (n != ID_BYTES || (o = cJSON_CreateObject()) == NULL)
		return NULL;
	ids_encode(id, b64);
	if (cases_add_summary(o, r, row, b64) == -1) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

cJSON *
cases_metadata_view(const unsigned char case_id[ID_BYTES], const char *account,
    enum db_status *st)
{
	struct db_param	 p[] = {
		DB_P_BYTES(case_id, ID_BYTES), DB_P_TEXT(account),
	};
	PGresult	*r;
	cJSON		*out = NULL;

	if ((r = db_exec(DB_CASE_SUMMARY, (int)nitems(p), p, st)) == NULL)
		return NULL;
	if (PQntuples(r) == 1 && (out = cases_summary(r, 0)) == NULL)
		*st = DB_ERROR;
	PQclear(r);
	return out;
}
