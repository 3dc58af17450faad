-- 0017_notifications.sql - content-free e-mail notifications for staff
-- (issue 18, items 1-3).
--
-- Notifications are derived from state at fixed batch times by
-- meldpunt_notify_batch (sql/functions/), not written by the event:
-- * key_wraps.notified and messages.notified: false until a batch has
--   turned the row into a notice (a new wrap for an adviser: "assigned";
--   a reporter's message: "message" for every wrap holder). Rows from
--   before this migration count as told. No time is kept: the batch is
--   the only moment the desk records.
-- * notify_marks: the deadline notices already given, one per case,
--   account and deadline stage, so that each is given once; deleted when
--   the case closes.
-- * notify_pending: what each account is yet to be told, one row per
--   kind, with no case and no time: several events make one notice.
-- * notify_batches: the batch times taken; the first instance to insert a
--   slot runs that batch, so two instances never make two.
-- * notify_outbox: one mail per account and batch, kept until the mail
--   server accepted it (retried with back-off; never dropped while the
--   account is active).
-- * accounts: the language of the account's mails and, per kind, when to
--   send (batch, daily digest, off); an adviser's own deadlines cannot be
--   switched off.

ALTER TABLE accounts
	ADD COLUMN language text NOT NULL DEFAULT 'nl'
		CHECK (language IN ('nl', 'en')),
	ADD COLUMN notify_assigned text NOT NULL DEFAULT 'batch'
		CHECK (notify_assigned IN ('batch', 'digest', 'off')),
	ADD COLUMN notify_message text NOT NULL DEFAULT 'batch'
		CHECK (notify_message IN ('batch', 'digest', 'off')),
	ADD COLUMN notify_deadline text NOT NULL DEFAULT 'batch'
		CHECK (notify_deadline IN ('batch', 'digest')),
	ADD COLUMN notify_overdue text NOT NULL DEFAULT 'batch'
		CHECK (notify_overdue IN ('batch', 'digest', 'off'));

ALTER TABLE key_wraps ADD COLUMN notified boolean NOT NULL DEFAULT true;
ALTER TABLE key_wraps ALTER COLUMN notified SET DEFAULT false;
ALTER TABLE messages ADD COLUMN notified boolean NOT NULL DEFAULT true;
ALTER TABLE messages ALTER COLUMN notified SET DEFAULT false;
-- No index on the flags: building one would hold writes to these tables
-- for the whole scan under a running daemon, and a batch (hourly) reading
-- them once costs less than an index on every insert.

CREATE TABLE notify_marks (
	case_id		bytea NOT NULL REFERENCES cases (id),
	account_id	uuid NOT NULL REFERENCES accounts (id),
	mark		text NOT NULL CHECK (mark IN ('acknowledge_near',
			'acknowledge_passed', 'feedback_near', 'feedback_passed')),
	PRIMARY KEY (case_id, account_id, mark)
);

CREATE TABLE notify_pending (
	account_id	uuid NOT NULL REFERENCES accounts (id),
	kind		text NOT NULL CHECK (kind IN ('assigned', 'message',
			'deadline', 'overdue')),
	PRIMARY KEY (account_id, kind)
);

CREATE TABLE notify_batches (
	slot		timestamptz PRIMARY KEY,
	day		date NOT NULL,	-- the slot's day where the desk is
	digest		boolean NOT NULL
);
CREATE INDEX notify_batches_day ON notify_batches (day);

CREATE TABLE notify_outbox (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	account_id	uuid NOT NULL REFERENCES accounts (id),
	slot		timestamptz NOT NULL,
	attempts	integer NOT NULL DEFAULT 0,
	next_attempt	timestamptz NOT NULL,
	UNIQUE (account_id, slot)
);
CREATE INDEX notify_outbox_due ON notify_outbox (next_attempt);

GRANT UPDATE (notified) ON messages TO meldpunt_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON notify_marks, notify_pending,
	notify_batches, notify_outbox TO meldpunt_app;
