-- 0001_schema.sql - the whole data model of SPEC.
--
-- What is stored in the clear is only what routing, deadlines and
-- statistics need (SPEC section 2). Everything a person writes is bytea
-- ciphertext. No table has a column for a client address or user agent.
-- The runtime role meldpunt_app gets only the privileges it needs (0002).

CREATE TABLE desk_info (
	singleton	boolean PRIMARY KEY DEFAULT true CHECK (singleton),
	name_nl		text NOT NULL,
	name_en		text NOT NULL
);

CREATE TABLE organisations (
	id		text PRIMARY KEY CHECK (id ~ '^[a-z][a-z0-9_-]{0,31}$'),
	name_nl		text NOT NULL CHECK (length(name_nl) BETWEEN 1 AND 200),
	name_en		text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 200),
	headcount	integer NOT NULL DEFAULT 0 CHECK (headcount >= 0),
	retired		boolean NOT NULL DEFAULT false,
	created_on	date NOT NULL DEFAULT current_date,
	retired_on	date
);

CREATE TABLE topics (
	id		text PRIMARY KEY CHECK (id ~ '^[a-z][a-z0-9_-]{0,31}$'),
	name_nl		text NOT NULL CHECK (length(name_nl) BETWEEN 1 AND 200),
	name_en		text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 200),
	retired		boolean NOT NULL DEFAULT false
);

-- Classification vocabularies: categories, grounds, outcomes (SPEC 5).
CREATE TABLE vocabulary (
	kind		text NOT NULL CHECK (kind IN ('category', 'ground', 'outcome')),
	id		text NOT NULL CHECK (id ~ '^[a-z][a-z0-9_]{0,63}$'),
	name_nl		text NOT NULL,
	name_en		text NOT NULL,
	retired		boolean NOT NULL DEFAULT false,
	PRIMARY KEY (kind, id)
);

-- People who log in. Scope lists are sorted ids, or {'*'} for all.
CREATE TABLE accounts (
	id		uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	email		text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	role		text NOT NULL CHECK (role IN ('adviser', 'coordinator', 'admin', 'analyst')),
	organisations	text[] NOT NULL DEFAULT '{}',
	topics		text[] NOT NULL DEFAULT '{}',
	status		text NOT NULL DEFAULT 'invited'
			CHECK (status IN ('invited', 'active', 'deactivated')),
	salt		bytea CHECK (octet_length(salt) = 16),
	opslimit	bigint,
	memlimit	bigint,
	auth_hash	bytea CHECK (octet_length(auth_hash) = 32),
	totp_secret	bytea,		-- secretbox under server_store_key
	totp_pending	bytea,		-- a new secret awaiting confirmation
	totp_last_step	bigint NOT NULL DEFAULT 0,
	created_on	date NOT NULL DEFAULT current_date,
	deactivated_on	date
);
CREATE UNIQUE INDEX accounts_email ON accounts (lower(email));

-- Every key ever registered for an account. The certified scope is kept
-- with the certificate: an account is routed only while it matches.
CREATE TABLE account_keys (
	account_id		uuid NOT NULL REFERENCES accounts (id),
	seq			integer NOT NULL,
	encryption_public_key	bytea NOT NULL UNIQUE CHECK (octet_length(encryption_public_key) = 32),
	sign_public_key		bytea NOT NULL CHECK (octet_length(sign_public_key) = 32),
	encrypted_secret_key	bytea NOT NULL,	-- secretbox under server_store_key
	state			text NOT NULL DEFAULT 'pending'
				CHECK (state IN ('pending', 'current', 'retired')),
	certificate		bytea CHECK (octet_length(certificate) = 64),
	not_after		date,
	cert_name		text,
	cert_role		text,
	cert_organisations	text[],
	cert_topics		text[],
	created_on		date NOT NULL DEFAULT current_date,
	PRIMARY KEY (account_id, seq)
);
CREATE UNIQUE INDEX account_keys_one_current ON account_keys (account_id)
	WHERE state = 'current';

CREATE TABLE invites (
	token_hash	bytea PRIMARY KEY CHECK (octet_length(token_hash) = 32),
	account_id	uuid NOT NULL REFERENCES accounts (id),
	expires_at	timestamptz NOT NULL,
	used		boolean NOT NULL DEFAULT false
);

-- Tokens are stored only as hashes. A reporter session names its case.
CREATE TABLE sessions (
	token_hash	bytea PRIMARY KEY CHECK (octet_length(token_hash) = 32),
	kind		text NOT NULL CHECK (kind IN ('reporter', 'adviser')),
	account_id	uuid REFERENCES accounts (id),
	case_id		bytea,
	created_at	timestamptz NOT NULL DEFAULT now(),
	last_seen	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL,
	CHECK ((kind = 'reporter') = (case_id IS NOT NULL)),
	CHECK ((kind = 'adviser') = (account_id IS NOT NULL))
);
CREATE INDEX sessions_account ON sessions (account_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

-- Challenges (proof of work and reporter login) are single use: a used
-- or issued one is recorded here until it expires.
CREATE TABLE challenges (
	challenge	bytea PRIMARY KEY CHECK (octet_length(challenge) = 32),
	kind		text NOT NULL CHECK (kind IN ('pow', 'reporter')),
	difficulty	integer NOT NULL DEFAULT 0,
	expires_at	timestamptz NOT NULL,
	used		boolean NOT NULL DEFAULT false
);
CREATE INDEX challenges_expiry ON challenges (expires_at);

-- Account-keyed and global counters (per-client ones stay in memory).
CREATE TABLE counters (
	key		bytea PRIMARY KEY,
	window_start	timestamptz NOT NULL,
	count		integer NOT NULL DEFAULT 0
);

CREATE TABLE cases (
	id			bytea PRIMARY KEY CHECK (octet_length(id) = 16),
	organisation		text NOT NULL REFERENCES organisations (id),
	topic			text NOT NULL REFERENCES topics (id),
	status			text NOT NULL DEFAULT 'new'
				CHECK (status IN ('new', 'acknowledged', 'in_progress', 'closed')),
	received_on		date NOT NULL DEFAULT current_date,
	acknowledged_on		date,
	feedback_on		date,
	closed_on		date,
	first_closed_on		date,
	purged_on		date,
	lookup_id		bytea UNIQUE CHECK (octet_length(lookup_id) = 32),
	reporter_sign_public_key bytea CHECK (octet_length(reporter_sign_public_key) = 32),
	reporter_box_public_key	bytea CHECK (octet_length(reporter_box_public_key) = 32),
	report_ciphertext	bytea,
	key_commitment		bytea CHECK (octet_length(key_commitment) = 32),
	proof_signature		bytea CHECK (octet_length(proof_signature) = 64),
	category		text,
	grounds			text[] NOT NULL DEFAULT '{}',
	primary_ground		text,
	outcome			text,
	notes_key_commitment	bytea,
	notes_key_signature	bytea,
	notes_key_author	uuid REFERENCES accounts (id),
	attachment_bytes	bigint NOT NULL DEFAULT 0,
	message_count		integer NOT NULL DEFAULT 0,
	note_count		integer NOT NULL DEFAULT 0
);
CREATE INDEX cases_org_received ON cases (organisation, received_on);
CREATE INDEX cases_closed ON cases (closed_on) WHERE purged_on IS NULL;

CREATE TABLE case_exclusions (
	case_id		bytea NOT NULL REFERENCES cases (id),
	account_id	uuid NOT NULL REFERENCES accounts (id),
	PRIMARY KEY (case_id, account_id)
);
CREATE INDEX case_exclusions_account ON case_exclusions (account_id);

-- Key wraps: recipient is 'reporter', 'recovery' or an adviser account.
CREATE TABLE key_wraps (
	case_id		bytea NOT NULL REFERENCES cases (id),
	recipient	text NOT NULL CHECK (recipient IN ('reporter', 'recovery', 'adviser')),
	account_id	uuid REFERENCES accounts (id),
	public_key	bytea NOT NULL CHECK (octet_length(public_key) = 32),
	wrap		bytea NOT NULL CHECK (octet_length(wrap) = 80),
	CHECK ((recipient = 'adviser') = (account_id IS NOT NULL))
);
CREATE UNIQUE INDEX key_wraps_adviser ON key_wraps (case_id, account_id)
	WHERE account_id IS NOT NULL;
CREATE UNIQUE INDEX key_wraps_other ON key_wraps (case_id, recipient)
	WHERE account_id IS NULL;
CREATE INDEX key_wraps_account ON key_wraps (account_id);

CREATE TABLE note_wraps (
	case_id		bytea NOT NULL REFERENCES cases (id),
	recipient	text NOT NULL CHECK (recipient IN ('recovery', 'adviser')),
	account_id	uuid REFERENCES accounts (id),
	public_key	bytea NOT NULL CHECK (octet_length(public_key) = 32),
	wrap		bytea NOT NULL CHECK (octet_length(wrap) = 80),
	CHECK ((recipient = 'adviser') = (account_id IS NOT NULL))
);
CREATE UNIQUE INDEX note_wraps_adviser ON note_wraps (case_id, account_id)
	WHERE account_id IS NOT NULL;
CREATE UNIQUE INDEX note_wraps_recovery ON note_wraps (case_id)
	WHERE account_id IS NULL;

CREATE TABLE messages (
	case_id		bytea NOT NULL REFERENCES cases (id),
	seq		integer NOT NULL,
	author		text NOT NULL,		-- 'reporter' or 'adviser:<uuid>'
	account_id	uuid REFERENCES accounts (id),
	created_on	date NOT NULL DEFAULT current_date,
	ciphertext	bytea NOT NULL,
	signature	bytea NOT NULL CHECK (octet_length(signature) = 64),
	feedback	boolean NOT NULL DEFAULT false,
	PRIMARY KEY (case_id, seq)
);

CREATE TABLE message_reads (
	case_id		bytea NOT NULL REFERENCES cases (id),
	account_id	uuid NOT NULL REFERENCES accounts (id),
	seq		integer NOT NULL,
	PRIMARY KEY (case_id, account_id)
);

CREATE TABLE notes (
	case_id		bytea NOT NULL REFERENCES cases (id),
	seq		integer NOT NULL,
	account_id	uuid NOT NULL REFERENCES accounts (id),
	created_on	date NOT NULL DEFAULT current_date,
	ciphertext	bytea NOT NULL,
	signature	bytea NOT NULL CHECK (octet_length(signature) = 64),
	PRIMARY KEY (case_id, seq)
);

-- Attachments arrive as one encrypted stream, stored in chunks so that
-- neither upload nor download holds a whole file in memory.
CREATE TABLE attachments (
	case_id		bytea NOT NULL REFERENCES cases (id),
	id		bytea NOT NULL CHECK (octet_length(id) = 16),
	author		text NOT NULL,
	account_id	uuid REFERENCES accounts (id),
	created_on	date NOT NULL DEFAULT current_date,
	padded_size	bigint NOT NULL,
	meta		bytea NOT NULL,
	complete	boolean NOT NULL DEFAULT false,
	PRIMARY KEY (id)
);
CREATE INDEX attachments_case ON attachments (case_id);

CREATE TABLE attachment_chunks (
	attachment_id	bytea NOT NULL REFERENCES attachments (id),
	n		integer NOT NULL,
	data		bytea NOT NULL,
	PRIMARY KEY (attachment_id, n)
);

CREATE TABLE idempotency_keys (
	key_hash	bytea PRIMARY KEY CHECK (octet_length(key_hash) = 32),
	body_hash	bytea NOT NULL CHECK (octet_length(body_hash) = 32),
	case_id		bytea NOT NULL REFERENCES cases (id),
	expires_at	timestamptz NOT NULL
);

-- Statistical facts snapshotted at first closing; linked to nothing.
CREATE TABLE case_facts (
	organisation	text NOT NULL,
	topic		text NOT NULL,
	received_quarter text NOT NULL CHECK (received_quarter ~ '^[0-9]{4}Q[1-4]$'),
	closed_quarter	text NOT NULL CHECK (closed_quarter ~ '^[0-9]{4}Q[1-4]$'),
	category	text NOT NULL,
	primary_ground	text,
	outcome		text NOT NULL
);
CREATE INDEX case_facts_closed ON case_facts (closed_quarter);

-- Append-only, hash-chained (SPEC 5).
CREATE TABLE audit_log (
	seq		bigint PRIMARY KEY,
	at		timestamptz NOT NULL DEFAULT now(),
	entry		bytea NOT NULL,		-- canonical JSON
	prev_hash	bytea NOT NULL CHECK (octet_length(prev_hash) = 32),
	hash		bytea NOT NULL CHECK (octet_length(hash) = 32)
);

CREATE TABLE audit_heads (
	day		date PRIMARY KEY,
	seq		bigint NOT NULL,
	head		bytea NOT NULL,
	signature	bytea NOT NULL
);

CREATE TABLE recovery_exports (
	id		bytea PRIMARY KEY CHECK (octet_length(id) = 16),
	account_id	uuid NOT NULL REFERENCES accounts (id),
	created_at	timestamptz NOT NULL DEFAULT now(),
	case_ids	bytea[] NOT NULL
);

-- Organisations merged into "other" for one calendar year (SPEC 6).
CREATE TABLE stats_merge_maps (
	year		integer NOT NULL,
	organisation	text NOT NULL REFERENCES organisations (id),
	PRIMARY KEY (year, organisation)
);

CREATE TABLE stats_releases (
	id		text PRIMARY KEY,
	family		text NOT NULL,
	quarter		text NOT NULL CHECK (quarter ~ '^[0-9]{4}Q[1-4]$'),
	method		text NOT NULL CHECK (method IN ('suppression', 'dp')),
	body_json	text NOT NULL,
	body_csv	text NOT NULL,
	certificate	bytea,			-- sealed witnesses, never published
	created_on	date NOT NULL DEFAULT current_date,
	UNIQUE (family, quarter)
);

-- Differential privacy budget ledger, committed before noise is drawn.
CREATE TABLE dp_ledger (
	family		text NOT NULL,
	quarter		text NOT NULL,
	epsilon_num	integer NOT NULL,
	epsilon_den	integer NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (family, quarter)
);
