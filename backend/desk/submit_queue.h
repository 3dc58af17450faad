/*
 * submit_queue.h - group commit for report submissions.
 *
 * A request thread that has checked a submission hands it to
 * submit_queue_store and waits. Writer threads, each with its own database
 * connection, take whatever submissions are waiting and store them with
 * one call of meldpunt_submit_many: one statement and one commit for the
 * group. Each submission still gets its own result, and only after the
 * group's commit. A group that fails as a whole (not an outage) is stored
 * again one submission at a time, so one bad submission costs no other.
 */
#ifndef MELDPUNT_SUBMIT_QUEUE_H
#define MELDPUNT_SUBMIT_QUEUE_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "sizes.h"
#include "submit_in.h"	/* SUBMIT_MAX_ADVISERS, SUBMIT_UUID_LEN */

#define SUBMIT_RESULT_SIZE	32	/* an outcome word of submit_many */

struct submit_adviser {
	char		id[SUBMIT_UUID_LEN + 1];
	unsigned char	public_key[BOX_PK_BYTES];
	unsigned char	wrap[WRAP_BYTES];
};

/* One checked submission: every parameter of meldpunt_submit_many. */
struct submit_item {
	unsigned char		 challenge[CHALLENGE_BYTES];
	uint32_t		 expires;
	unsigned int		 difficulty;
	unsigned char		 case_id[ID_BYTES];
	char			 organisation[SUBMIT_SLUG_MAX + 1];
	char			 topic[SUBMIT_SLUG_MAX + 1];
	char			 received_on[11];
	unsigned char		 lookup_id[HASH_BYTES], sign_pk[SIGN_PK_BYTES];
	unsigned char		 box_pk[BOX_PK_BYTES];
	const unsigned char	*report;	/* borrowed from the request */
	size_t			 report_len;
	unsigned char		 commitment[HASH_BYTES], proof[SIGNATURE_BYTES];
	unsigned char		 reporter_wrap[WRAP_BYTES];
	unsigned char		 recovery_pk[BOX_PK_BYTES];
	unsigned char		 recovery_wrap[WRAP_BYTES];
	unsigned char		 token_hash[HASH_BYTES];
	int			 idempotent;
	unsigned char		 key_hash[HASH_BYTES], body_hash[HASH_BYTES];
	char			 excluded[SUBMIT_MAX_ADVISERS][SUBMIT_UUID_LEN + 1];
	int			 nexcluded;
	struct submit_adviser	 advisers[SUBMIT_MAX_ADVISERS];
	int			 nadvisers;

	/* The outcome: st DB_OK and a result code of meldpunt_submit_many. */
	enum db_status		 st;
	char			 result[SUBMIT_RESULT_SIZE];
	unsigned char		 out_case[ID_BYTES];
	char			 out_day[11];
	unsigned char		 out_proof[SIGNATURE_BYTES];

	/* Queue state, private to submit_queue.c. */
	int			 done, tries;
	pthread_cond_t		 cv;
	struct submit_item	*next;
};

/* Start and stop the writer threads. 0 or -1. */
int	submit_queue_start(void);
void	submit_queue_stop(void);

/*
 * submit_queue_store: store it (with others) and wait for the outcome in
 * it->st and it->result. Without started writers it is stored on the
 * calling thread. 0, or -1 if the queue could not be used (it->st then
 * DB_UNAVAILABLE).
 */
int	submit_queue_store(struct submit_item *it);

#endif
