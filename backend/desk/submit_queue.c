/*
 * submit_queue.c - group commit for report submissions (see the header).
 *
 * Waiting submissions form a FIFO list under one lock. A writer takes up
 * to SUBMIT_GROUP_MAX of them, skipping any that shares a challenge, lookup
 * id or idempotency key with one already in its group (that one waits for
 * a later group, so a group never holds two claims on one key), stores the
 * group, and wakes each submitter. A submission answered 'retry' (another
 * stored its idempotency key meanwhile) goes back to the front.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "pgarray.h"
#include "session_types.h"
#include "sizes.h"
#include "submit_queue.h"

#define SUBMIT_WRITERS		1	/* measured: fewer, larger groups win */
#define SUBMIT_GROUP_MAX	64
#define SUBMIT_TRIES		3

/* The array parameters of meldpunt_submit_many, in order. */
enum submit_arg {
	A_CHALLENGE, A_EXPIRES, A_DIFFICULTY, A_CASE, A_ORG, A_TOPIC, A_DAY,
	A_LOOKUP, A_SIGN_PK, A_BOX_PK, A_REPORT, A_COMMITMENT, A_PROOF,
	A_REPORTER_WRAP, A_RECOVERY_PK, A_RECOVERY_WRAP, A_TOKEN, A_IDEM,
	A_BODY, A_EXCL_ITEM, A_EXCL_ID, A_WRAP_ITEM, A_WRAP_ID, A_WRAP_PK,
	A_WRAP, A_COUNT
};

static const uint32_t submit_arg_types[A_COUNT] = {
	[A_CHALLENGE] = PGARRAY_BYTEA, [A_EXPIRES] = PGARRAY_INT8,
	[A_DIFFICULTY] = PGARRAY_INT8, [A_CASE] = PGARRAY_BYTEA,
	[A_ORG] = PGARRAY_TEXT, [A_TOPIC] = PGARRAY_TEXT, [A_DAY] = PGARRAY_TEXT,
	[A_LOOKUP] = PGARRAY_BYTEA, [A_SIGN_PK] = PGARRAY_BYTEA,
	[A_BOX_PK] = PGARRAY_BYTEA, [A_REPORT] = PGARRAY_BYTEA,
	[A_COMMITMENT] = PGARRAY_BYTEA, [A_PROOF] = PGARRAY_BYTEA,
	[A_REPORTER_WRAP] = PGARRAY_BYTEA, [A_RECOVERY_PK] = PGARRAY_BYTEA,
	[A_RECOVERY_WRAP] = PGARRAY_BYTEA, [A_TOKEN] = PGARRAY_BYTEA,
	[A_IDEM] = PGARRAY_BYTEA, [A_BODY] = PGARRAY_BYTEA,
	[A_EXCL_ITEM] = PGARRAY_INT8, [A_EXCL_ID] = PGARRAY_TEXT,
	[A_WRAP_ITEM] = PGARRAY_INT8, [A_WRAP_ID] = PGARRAY_TEXT,
	[A_WRAP_PK] = PGARRAY_BYTEA, [A_WRAP] = PGARRAY_BYTEA,
};

static struct {
	pthread_mutex_t		 lock;
	pthread_cond_t		 work;
	struct submit_item	*head;
	pthread_t		 writers[SUBMIT_WRITERS];
	int			 nwriters, stopping;
	unsigned long long	 groups, items;	/* for the log at stop */
} sq = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, { 0 },
	0, 0, 0, 0 };

static void
submit_add_item(struct pgarray *a, const struct submit_item *it, int64_t i)
{
	int j;

	pgarray_add(&a[A_CHALLENGE], it->challenge, CHALLENGE_BYTES);
	pgarray_add_int8(&a[A_EXPIRES], it->expires);
	pgarray_add_int8(&a[A_DIFFICULTY], it->difficulty);
	pgarray_add(&a[A_CASE], it->case_id, ID_BYTES);
	pgarray_add_text(&a[A_ORG], it->organisation);
	pgarray_add_text(&a[A_TOPIC], it->topic);
	pgarray_add_text(&a[A_DAY], it->received_on);
	pgarray_add(&a[A_LOOKUP], it->lookup_id, HASH_BYTES);
	pgarray_add(&a[A_SIGN_PK], it->sign_pk, SIGN_PK_BYTES);
	pgarray_add(&a[A_BOX_PK], it->box_pk, BOX_PK_BYTES);
	pgarray_add(&a[A_REPORT], it->report, it->report_len);
	pgarray_add(&a[A_COMMITMENT], it->commitment, HASH_BYTES);
	pgarray_add(&a[A_PROOF], it->proof, SIGNATURE_BYTES);
	pgarray_add(&a[A_REPORTER_WRAP], it->reporter_wrap,
	    WRAP_BYTES);
	pgarray_add(&a[A_RECOVERY_PK], it->recovery_pk,
	    BOX_PK_BYTES);
	pgarray_add(&a[A_RECOVERY_WRAP], it->recovery_wrap,
	    WRAP_BYTES);
	pgarray_add(&a[A_TOKEN], it->token_hash, HASH_BYTES);
	pgarray_add(&a[A_IDEM], it->idempotent ? it->key_hash : NULL,
	    HASH_BYTES);
	pgarray_add(&a[A_BODY], it->idempotent ? it->body_hash : NULL,
	    HASH_BYTES);
	for (j = 0; j < it->nexcluded; j++) {
		pgarray_add_int8(&a[A_EXCL_ITEM], i);
		pgarray_add_text(&a[A_EXCL_ID], it->excluded[j]);
	}
	for (j = 0; j < it->nadvisers; j++) {
		pgarray_add_int8(&a[A_WRAP_ITEM], i);
		pgarray_add_text(&a[A_WRAP_ID], it->advisers[j].id);
		pgarray_add(&a[A_WRAP_PK], it->advisers[j].public_key,
		    BOX_PK_BYTES);
		pgarray_add(&a[A_WRAP], it->advisers[j].wrap,
		    WRAP_BYTES);
	}
}

/* Copy one result row into its submission. 0, or -1 if malformed. */
static int
submit_take_row(struct submit_item **g, int n, const PGresult *res, int row)
{
	struct submit_item	*it;
	const unsigned char	*p;
	size_t			 len;
	long long		 i;

	i = db_get_int(res, row, SUBMIT_MANY_ITEM);
	if (i < 1 || i > n)
		return -1;
	it = g[i - 1];
	if ((size_t)snprintf(it->result, sizeof(it->result), "%s",
	    db_get_text(res, row, SUBMIT_MANY_RESULT)) >= sizeof(it->result))
		return -1;
	if (!db_is_null(res, row, SUBMIT_MANY_CASE)) {
		p = db_get_bytes(res, row, SUBMIT_MANY_CASE, &len);
		if (p == NULL || len != sizeof(it->out_case) ||
		    snprintf(it->out_day, sizeof(it->out_day), "%s",
		    db_get_text(res, row, SUBMIT_MANY_DAY)) != 10)
			return -1;
		memcpy(it->out_case, p, sizeof(it->out_case));
		p = db_get_bytes(res, row, SUBMIT_MANY_PROOF, &len);
		if (p == NULL || len != sizeof(it->out_proof))
			return -1;
		memcpy(it->out_proof, p, sizeof(it->out_proof));
	}
	it->st = DB_OK;
	return 0;
}

static int
submit_take_results(struct submit_item **g, int n, const PGresult *res)
{
	int row;

	if (PQntuples(res) != n)
		return -1;
	for (row = 0; row < n; row++)
		if (submit_take_row(g, n, res, row) == -1)
			return -1;
	return 0;
}

/*
 * One call of meldpunt_submit_many for the group; the outcome in each.
 * *done is set once the statement has succeeded (its group committed).
 */
static enum db_status
submit_call(struct submit_item **g, int n, int *done)
{
	struct pgarray	 a[A_COUNT];
	struct db_param	 p[A_COUNT + 1];
	PGresult	*res = NULL;
	enum db_status	 st = DB_UNAVAILABLE;
	int		 i, ok = 1;

	for (i = 0; i < A_COUNT; i++)
		pgarray_init(&a[i], submit_arg_types[i]);
	for (i = 0; i < n; i++)
		submit_add_item(a, g[i], i + 1);
	for (i = 0; i < A_COUNT; i++) {
		if (pgarray_finish(&a[i]) == -1)
			ok = 0;
		p[i] = (struct db_param)DB_P_BYTES(a[i].out.data, a[i].out.len);
	}
	p[A_COUNT] = (struct db_param)DB_P_INT(SESSION_REPORTER_MAX);
	if (ok)
		res = db_exec(DB_SUBMIT_MANY, A_COUNT + 1, p, &st);
	*done = res != NULL;
	for (i = 0; i < A_COUNT; i++)
		pgarray_free(&a[i]);
	if (res != NULL && submit_take_results(g, n, res) == -1) {
		log_warnx("%s: unexpected result", __func__);
		st = DB_ERROR;
	}
	PQclear(res);
	return st;
}

/*
 * Store a group. If it fails as a whole while the database is there, store
 * each submission alone: whatever made the group fail then fails only its
 * own submission. A group that committed is never stored again, even if
 * its answer could not be read (its submitters then get 503, as for any
 * answer lost on the way).
 */
static void
submit_group_store(struct submit_item **g, int n)
{
	enum db_status	st;
	int		i, done;

	if ((st = submit_call(g, n, &done)) == DB_OK)
		return;
	if (n > 1 && st != DB_UNAVAILABLE && !done) {
		for (i = 0; i < n; i++)
			submit_group_store(&g[i], 1);
		return;
	}
	for (i = 0; i < n; i++)
		g[i]->st = st;
}

/* 1 if it claims a key that a submission of the group already claims. */
static int
submit_clashes(struct submit_item *const *g, int n,
    const struct submit_item *it)
{
	int i;

	for (i = 0; i < n; i++)
		if (memcmp(g[i]->challenge, it->challenge,
		    sizeof(it->challenge)) == 0 ||
		    memcmp(g[i]->lookup_id, it->lookup_id,
		    sizeof(it->lookup_id)) == 0 ||
		    (it->idempotent && g[i]->idempotent &&
		    memcmp(g[i]->key_hash, it->key_hash,
		    sizeof(it->key_hash)) == 0))
			return 1;
	return 0;
}

/* With the lock held: unlink a group from the list. */
static int
submit_group_take(struct submit_item **g)
{
	struct submit_item	**pp = &sq.head, *it;
	int			  n = 0;

	while ((it = *pp) != NULL && n < SUBMIT_GROUP_MAX) {
		if (submit_clashes(g, n, it)) {
			pp = &it->next;
			continue;
		}
		*pp = it->next;
		it->next = NULL;
		g[n++] = it;
	}
	return n;
}

/* With the lock held: answer each submission, or put it back for a retry. */
static void
submit_group_finish(struct submit_item **g, int n)
{
	int i;

	for (i = n - 1; i >= 0; i--) {
		if (g[i]->st == DB_OK && strcmp(g[i]->result, "retry") == 0) {
			if (++g[i]->tries < SUBMIT_TRIES) {
				g[i]->next = sq.head;
				sq.head = g[i];
				continue;
			}
			g[i]->st = DB_ERROR;
		}
		g[i]->done = 1;
		(void)pthread_cond_signal(&g[i]->cv);
	}
}

static void *
submit_writer(void *arg)
{
	struct submit_item	*g[SUBMIT_GROUP_MAX];
	int			 n;

	(void)arg;
	if (pthread_mutex_lock(&sq.lock) != 0)
		return NULL;
	for (;;) {
		while (sq.head == NULL && !sq.stopping)
			(void)pthread_cond_wait(&sq.work, &sq.lock);
		if (sq.head == NULL)
			break;
		n = submit_group_take(g);
		sq.groups++;
		sq.items += (unsigned long long)n;
		(void)pthread_mutex_unlock(&sq.lock);
		submit_group_store(g, n);
		if (pthread_mutex_lock(&sq.lock) != 0)
			break;	/* cannot happen with a default mutex */
		submit_group_finish(g, n);
	}
	(void)pthread_mutex_unlock(&sq.lock);
	db_thread_end();
	return NULL;
}

int
submit_queue_start(void)
{
	int i;

	for (i = 0; i < SUBMIT_WRITERS; i++) {
		if (pthread_create(&sq.writers[i], NULL, submit_writer, NULL) != 0) {
			log_warnx("%s: cannot start a writer", __func__);
			submit_queue_stop();
			return -1;
		}
		sq.nwriters++;
	}
	return 0;
}

void
submit_queue_stop(void)
{
	int i;

	if (pthread_mutex_lock(&sq.lock) != 0)
		return;
	sq.stopping = 1;
	(void)pthread_cond_broadcast(&sq.work);
	(void)pthread_mutex_unlock(&sq.lock);
	for (i = 0; i < sq.nwriters; i++)
		(void)pthread_join(sq.writers[i], NULL);
	if (sq.nwriters > 0)
		log_info("submit: %llu submissions stored in %llu groups",
		    sq.items, sq.groups);
	sq.nwriters = 0;
	sq.stopping = 0;
}

static void
submit_append(struct submit_item *it)
{
	struct submit_item **pp = &sq.head;

	while (*pp != NULL)
		pp = &(*pp)->next;
	*pp = it;
}

int
submit_queue_store(struct submit_item *it)
{
	it->st = DB_UNAVAILABLE;
	it->done = it->tries = 0;
	it->next = NULL;
	if (pthread_cond_init(&it->cv, NULL) != 0)
		return -1;
	if (pthread_mutex_lock(&sq.lock) != 0) {
		(void)pthread_cond_destroy(&it->cv);
		return -1;
	}
	if (sq.nwriters == 0 || sq.stopping) {
		(void)pthread_mutex_unlock(&sq.lock);
		(void)pthread_cond_destroy(&it->cv);
		return -1;
	}
	submit_append(it);
	(void)pthread_cond_signal(&sq.work);
	while (!it->done)
		(void)pthread_cond_wait(&it->cv, &sq.lock);
	(void)pthread_mutex_unlock(&sq.lock);
	(void)pthread_cond_destroy(&it->cv);
	return 0;
}
