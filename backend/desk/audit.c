/*
 * audit.c - appending to, signing and verifying the audit chain.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "app.h"
#include "audit.h"
#include "db.h"
#include "json_in.h"
#include "json_out.h"
#include "log.h"
#include "seal.h"
#include "secrets.h"
#include "sizes.h"

#define AUDIT_PAGE	1000
#define AUDIT_AT_SIZE	32	/* "YYYY-MM-DDTHH:MM:SSZ" and room */
#define AUDIT_LINE_SIZE	512	/* a sink line we write */
#define AUDIT_READ_SIZE	1024	/* a sink line we read */

cJSON *
audit_extra(const char *key, const char *value)
{
	cJSON *o;

	if ((o = cJSON_CreateObject()) == NULL)
		return NULL;
	if (json_add_str(o, key, value) == -1) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

/* The entry text for action at time now; extra is consumed. */
static char *
audit_entry(const char *action, const char *actor, cJSON *extra, time_t now)
{
	struct tm	 tm;
	char		 at[AUDIT_AT_SIZE];
	cJSON		*e = extra != NULL ? extra : cJSON_CreateObject();
	char		*text = NULL;

	if (e == NULL || gmtime_r(&now, &tm) == NULL ||
	    strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		goto out;
	cJSON_DeleteItemFromObjectCaseSensitive(e, "action");
	cJSON_DeleteItemFromObjectCaseSensitive(e, "actor");
	cJSON_DeleteItemFromObjectCaseSensitive(e, "at");
	if (json_add_str(e, "action", action) == -1 ||
	    json_add_str(e, "actor", actor) == -1 ||
	    json_add_str(e, "at", at) == -1)
		goto out;
	text = json_canonical(e);
out:
	cJSON_Delete(e);
	return text;
}

/* The last (seq, hash), or (0, zeros) for an empty log. 0, or -1. */
static int
audit_last(long long *seq, unsigned char hash[HASH_BYTES], enum db_status *st)
{
	PGresult		*res;
	const unsigned char	*h;
	size_t			 n;

	if ((res = db_exec(DB_AUDIT_LAST, 0, NULL, st)) == NULL)
		return -1;
	*seq = 0;
	memset(hash, 0, HASH_BYTES);
	if (PQntuples(res) == 1) {
		*seq = db_get_int(res, 0, AUDIT_LAST_SEQ);
		h = db_get_bytes(res, 0, AUDIT_LAST_HASH, &n);
		if (n != HASH_BYTES) {
			PQclear(res);
			*st = DB_ERROR;
			return -1;
		}
		memcpy(hash, h, HASH_BYTES);
	}
	PQclear(res);
	return 0;
}

int
audit_append(const char *action, const char *actor, cJSON *extra,
    enum db_status *st)
{
	unsigned char	 prev[HASH_BYTES], hash[HASH_BYTES];
	long long	 seq;
	time_t		 now = time(NULL);
	char		*entry;
	PGresult	*res;
	int		 rc = -1;

	*st = DB_OK;
	if ((entry = audit_entry(action, actor, extra, now)) == NULL) {
		*st = DB_ERROR;
		return -1;
	}
	if ((res = db_exec(DB_AUDIT_LOCK, 0, NULL, st)) == NULL)
		goto out;
	PQclear(res);
	if (audit_last(&seq, prev, st) == -1)
		goto out;
	if (seal_audit_hash(hash, prev, (const unsigned char *)entry,
	    strlen(entry)) != 0) {
		*st = DB_ERROR;
		goto out;
	}
	{
		struct db_param p[5] = {
			DB_P_INT(seq + 1), DB_P_INT((long long)now),
			DB_P_BYTES(entry, strlen(entry)),
			DB_P_BYTES(prev, sizeof(prev)),
			DB_P_BYTES(hash, sizeof(hash)),
		};
		if ((res = db_exec(DB_AUDIT_INSERT, 5, p, st)) == NULL)
			goto out;
	}
	PQclear(res);
	rc = 0;
out:
	cJSON_free(entry);
	return rc;
}

int
audit_commit(const char *action, const char *actor, cJSON *extra,
    enum db_status *st)
{
	if (audit_append(action, actor, extra, st) == -1 || db_commit(st) == -1) {
		db_rollback();
		return -1;
	}
	return 0;
}

int
audit_record(const char *action, const char *actor, cJSON *extra)
{
	enum db_status st;

	if (db_begin(&st) == -1) {
		cJSON_Delete(extra);
		return -1;
	}
	if (audit_commit(action, actor, extra, &st) == -1) {
		log_warnx("%s: cannot record %s", __func__, action);
		return -1;
	}
	return 0;
}

/* --- daily heads ---------------------------------------------------------- */

static int
audit_head_line(char *line, size_t linesz, const char *day, long long seq,
    const unsigned char head[HASH_BYTES],
    const unsigned char sig[SIGNATURE_BYTES])
{
	char	 h[sodium_base64_ENCODED_LEN(HASH_BYTES,
		    sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
	char	 s[sodium_base64_ENCODED_LEN(SIGNATURE_BYTES,
		    sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
	int	 n;

	sodium_bin2base64(h, sizeof(h), head, HASH_BYTES,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_bin2base64(s, sizeof(s), sig, SIGNATURE_BYTES,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	n = snprintf(line, linesz, "{\"date\":\"%s\",\"head\":\"%s\","
	    "\"seq\":%lld,\"signature\":\"%s\"}\n", day, h, seq, s);
	return n < 0 || (size_t)n >= linesz ? -1 : n;
}

static int
audit_sink_write(const char *sink, const char *line, size_t len)
{
	int	fd, rc = 0;

	if ((fd = open(sink, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
	    0640)) == -1)
		return -1;
	if (write(fd, line, len) != (ssize_t)len || fsync(fd) == -1)
		rc = -1;
	if (close(fd) == -1)
		rc = -1;
	return rc;
}

/* Sign and store the head of one day; 1 made, 0 made elsewhere, -1. */
static int
audit_sign_day(const char *sink, const char *day, long long seq,
    const unsigned char head[HASH_BYTES])
{
	unsigned char	 sig[SIGNATURE_BYTES];
	char		 line[AUDIT_LINE_SIZE];
	PGresult	*res;
	int		 made, n;

	if (seal_audit_head_sign(sig, day, head, app.secrets->sign_sk) != 0)
		return -1;
	{
		struct db_param p[4] = {
			DB_P_TEXT(day), DB_P_INT(seq),
			DB_P_BYTES(head, HASH_BYTES),
			DB_P_BYTES(sig, sizeof(sig)),
		};
		if ((res = db_exec(DB_AUDIT_HEAD_ADD, 4, p, NULL)) == NULL)
			return -1;
	}
	made = PQntuples(res) == 1;
	PQclear(res);
	if (!made)
		return 0;
	if ((n = audit_head_line(line, sizeof(line), day, seq, head, sig)) == -1 ||
	    audit_sink_write(sink, line, (size_t)n) == -1) {
		log_warnx("%s: cannot write the head of %s to the sink", __func__,
		    day);
		return -1;
	}
	return 1;
}

int
audit_sign_heads(const char *sink)
{
	PGresult		*res;
	const unsigned char	*head;
	size_t			 n;
	int			 i, made = 0, r;

	if ((res = db_exec(DB_AUDIT_HEAD_DAYS, 0, NULL, NULL)) == NULL)
		return -1;
	for (i = 0; i < PQntuples(res); i++) {
		head = db_get_bytes(res, i, AUDIT_HEAD_DAYS_HASH, &n);
		if (n != HASH_BYTES)
			continue;
		r = audit_sign_day(sink,
		    db_get_text(res, i, AUDIT_HEAD_DAYS_DAY), db_get_int(res, i, AUDIT_HEAD_DAYS_SEQ), head);
		if (r == -1) {
			made = -1;
			break;
		}
		made += r;
	}
	PQclear(res);
	return made;
}

/* --- verification --------------------------------------------------------- */

struct audit_chain {
	long long	 n;		/* entries checked */
	long long	 cap;
	unsigned char	*hashes;	/* hash of entry seq at (seq - 1) * HASH_BYTES */
};

/* 1 if entry (len bytes) is the canonical form of itself. */
static int
audit_is_canonical(const unsigned char *entry, size_t len)
{
	cJSON	*root;
	char	*again;
	int	 ok;

	root = cJSON_ParseWithLength((const char *)entry, len);
	if (root == NULL || !cJSON_IsObject(root)) {
		cJSON_Delete(root);
		return 0;
	}
	again = json_canonical(root);
	ok = again != NULL && strlen(again) == len &&
	    memcmp(again, entry, len) == 0;
	cJSON_free(again);
	cJSON_Delete(root);
	return ok;
}

static int
audit_keep_hash(struct audit_chain *c, const unsigned char hash[HASH_BYTES])
{
	unsigned char *p;

	if (c->n == c->cap) {
		c->cap = c->cap == 0 ? 1024 : c->cap * 2;
		if ((p = realloc(c->hashes,
		    (size_t)c->cap * HASH_BYTES)) == NULL)
			return -1;
		c->hashes = p;
	}
	memcpy(c->hashes + c->n * HASH_BYTES, hash, HASH_BYTES);
	c->n++;
	return 0;
}

/* Check one row against the chain so far. 0 ok, 1 broken, -1 error. */
static int
audit_check_row(struct audit_chain *c, const PGresult *res, int i)
{
	static const unsigned char zero[HASH_BYTES];
	const unsigned char	*entry, *prev, *hash, *want_prev;
	unsigned char		 h[HASH_BYTES];
	size_t			 n, np, nh;

	entry = db_get_bytes(res, i, AUDIT_PAGE_ENTRY, &n);
	prev = db_get_bytes(res, i, AUDIT_PAGE_PREV, &np);
	hash = db_get_bytes(res, i, AUDIT_PAGE_HASH, &nh);
	want_prev = c->n == 0 ? zero : c->hashes + (c->n - 1) * HASH_BYTES;
	if (db_get_int(res, i, AUDIT_PAGE_SEQ) != c->n + 1 ||
	    np != HASH_BYTES || nh != HASH_BYTES ||
	    sodium_memcmp(prev, want_prev, HASH_BYTES) != 0 ||
	    !audit_is_canonical(entry, n) ||
	    seal_audit_hash(h, prev, entry, n) != 0 ||
	    sodium_memcmp(h, hash, HASH_BYTES) != 0)
		return 1;
	return audit_keep_hash(c, hash);
}

/* Walk the chain; *broken is the first broken seq, or 0. 0, or -1. */
static int
audit_walk(struct audit_chain *c, long long *broken)
{
	PGresult	*res;
	long long	 after = 0;
	int		 i, rows, r;

	*broken = 0;
	for (;;) {
		struct db_param p[2] = { DB_P_INT(after), DB_P_INT(AUDIT_PAGE) };

		if ((res = db_exec(DB_AUDIT_PAGE, 2, p, NULL)) == NULL)
			return -1;
		rows = PQntuples(res);
		for (i = 0; i < rows; i++) {
			if ((r = audit_check_row(c, res, i)) != 0) {
				*broken = c->n + 1;
				PQclear(res);
				return r == 1 ? 0 : -1;
			}
		}
		if (rows > 0)
			after = db_get_int(res, rows - 1, AUDIT_PAGE_SEQ);
		PQclear(res);
		if (rows < AUDIT_PAGE)
			return 0;
	}
}

/* Check one head against the chain. 1 if it holds. */
static int
audit_head_holds(const struct audit_chain *c, const char *day, long long seq,
    const unsigned char head[HASH_BYTES],
    const unsigned char sig[SIGNATURE_BYTES])
{
	if (seq < 1 || seq > c->n ||
	    sodium_memcmp(c->hashes + (seq - 1) * HASH_BYTES, head,
	    HASH_BYTES) != 0)
		return 0;
	return seal_audit_head_verify(sig, day, head, app.secrets->sign_pk) == 0;
}

/* One sink line: 1 holds, 0 does not (*seq tells where), -1 malformed. */
static int
audit_check_line(const struct audit_chain *c, const char *line,
    long long *seq)
{
	const cJSON	*d, *h, *s, *q;
	cJSON		*root;
	unsigned char	 head[HASH_BYTES], sig[SIGNATURE_BYTES];
	int		 rc = -1;

	if ((root = cJSON_Parse(line)) == NULL)
		return -1;
	d = cJSON_GetObjectItemCaseSensitive(root, "date");
	h = cJSON_GetObjectItemCaseSensitive(root, "head");
	s = cJSON_GetObjectItemCaseSensitive(root, "signature");
	q = cJSON_GetObjectItemCaseSensitive(root, "seq");
	if (cJSON_IsString(d) && cJSON_IsString(h) && cJSON_IsString(s) &&
	    cJSON_IsNumber(q) &&
	    json_in_b64(h->valuestring, head, sizeof(head)) == 0 &&
	    json_in_b64(s->valuestring, sig, sizeof(sig)) == 0) {
		*seq = (long long)q->valuedouble;
		rc = audit_head_holds(c, d->valuestring, *seq, head, sig);
	}
	cJSON_Delete(root);
	return rc;
}

/* The sink's heads. 0 all hold, 1 one fails (*bad), -1 error. */
static int
audit_check_sink(const struct audit_chain *c, const char *sink,
    long long *heads, long long *bad)
{
	FILE	*fp;
	char	 line[AUDIT_READ_SIZE];
	int	 r, rc = 0;

	*heads = 0;
	if ((fp = fopen(sink, "r")) == NULL)
		return errno == ENOENT ? 0 : -1;
	while (fgets(line, sizeof(line), fp) != NULL) {
		*bad = 0;
		r = audit_check_line(c, line, bad);
		if (r != 1) {
			rc = 1;
			break;
		}
		(*heads)++;
	}
	fclose(fp);
	return rc;
}

/* The database's copy of the heads. 0 all hold, 1 one fails (*bad), -1. */
static int
audit_check_db_heads(const struct audit_chain *c, long long *bad)
{
	PGresult		*res;
	const unsigned char	*head, *sig;
	size_t			 nh, ns;
	int			 i, rc = 0;

	if ((res = db_exec(DB_AUDIT_HEADS, 0, NULL, NULL)) == NULL)
		return -1;
	for (i = 0; i < PQntuples(res) && rc == 0; i++) {
		head = db_get_bytes(res, i, AUDIT_HEADS_HEAD, &nh);
		sig = db_get_bytes(res, i, AUDIT_HEADS_SIGNATURE, &ns);
		*bad = db_get_int(res, i, AUDIT_HEADS_SEQ);
		if (nh != HASH_BYTES || ns != SIGNATURE_BYTES ||
		    !audit_head_holds(c, db_get_text(res, i, AUDIT_HEADS_DAY),
		    *bad, head, sig))
			rc = 1;
	}
	PQclear(res);
	return rc;
}

int
audit_verify(const char *sink, FILE *out)
{
	struct audit_chain	 c = { 0, 0, NULL };
	long long		 broken = 0, heads = 0, bad = 0;
	int			 rc = -1, r;

	if (audit_walk(&c, &broken) == -1)
		goto out;
	if (broken != 0) {
		fprintf(out, "audit verify: entry %lld is broken\n", broken);
		rc = 1;
		goto out;
	}
	if ((r = audit_check_sink(&c, sink, &heads, &bad)) != 0 ||
	    (r = audit_check_db_heads(&c, &bad)) != 0) {
		if (r == 1)
			fprintf(out, "audit verify: the head at entry %lld does "
			    "not hold\n", bad);
		rc = r;
		goto out;
	}
	fprintf(out, "audit verify: %lld entries and %lld signed heads hold\n",
	    c.n, heads);
	rc = 0;
out:
	free(c.hashes);
	return rc;
}
