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
#include "submit_in.h"	/* SUBMIT_MAX_ADVISERS, SUBMIT_UUID_LEN */

struct submit_adviser {
	char		id[SUBMIT_UUID_LEN + 1];
	unsigned char	public_key[32];
	unsigned char	wrap[80];
};

/* One checked submission: every parameter of meldpunt_submit_many. */
struct submit_item {
	unsigned char		 challenge[32];
	uint32_t		 expires;
	unsigned int		 difficulty;
	unsigned char		 case_id[16];
	char			 organisation[33], topic[33];
	char			 received_on[11];
	unsigned char		 lookup_id[32], sign_pk[32], box_pk[32];
	const unsigned char	*report;	/* borrowed from the request */
	size_t			 report_len;
	unsigned char		 commitment[32], proof[64];
	unsigned char		 reporter_wrap[80];
	unsigned char		 recovery_pk[32], recovery_wrap[80];
	unsigned char		 token_hash[32];
	int			 idempotent;
	unsigned char		 key_hash[32], body_hash[32];
	char			 excluded[SUBMIT_MAX_ADVISERS][SUBMIT_UUID_LEN + 1];
	int			 nexcluded;
	struct submit_adviser	 advisers[SUBMIT_MAX_ADVISERS];
	int			 nadvisers;

	/* The outcome: st DB_OK and a result code of meldpunt_submit_many. */
	enum db_status		 st;
	char			 result[32];
	unsigned char		 out_case[16];
	char			 out_day[11];
	unsigned char		 out_proof[64];

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
