-- 0018_reporter_read.sql - what the reporter has seen (issue 18, item 5).
--
-- The follow-up page marks the messages that are new since the reporter's
-- last visit. Browser storage is no place for that (the reporter may use a
-- private window, and nothing of a report should stay on the device), so
-- the case keeps it: the highest message seq the reporter's page has
-- shown, set by POST /api/v1/reporter/case/read and never lowered. It is
-- no content and says no more than message_count beside it already does.
--
-- A column with a constant default: no table rewrite, and the running
-- daemon's statements name their columns, so they ignore it.

ALTER TABLE cases ADD COLUMN reporter_read_seq integer NOT NULL DEFAULT 0
	CHECK (reporter_read_seq >= 0);
