-- Data subject requests (issue 6). A request's requester, identifiers and answer are personal
-- data and stored sealed; the columns in clear are what lists, deadlines and counts use.
CREATE TABLE rights_jobs (
    id             BLOB PRIMARY KEY,
    tenant_id      BLOB NOT NULL REFERENCES tenants (id),
    right_kind     TEXT NOT NULL,
    created_at_us  INTEGER NOT NULL,
    total          INTEGER NOT NULL CHECK (total >= 0),
    finished_at_us INTEGER
) STRICT;
CREATE INDEX rights_jobs_tenant ON rights_jobs (tenant_id, created_at_us);

CREATE TABLE rights_requests (
    id             BLOB PRIMARY KEY,
    tenant_id      BLOB REFERENCES tenants (id),
    subject_id     BLOB,
    parent_id      BLOB REFERENCES rights_requests (id),
    right_kind     TEXT NOT NULL,
    regime         TEXT NOT NULL,
    channel        TEXT NOT NULL,
    state          TEXT NOT NULL
                   CHECK (state IN ('received', 'verifying', 'in_progress', 'fulfilled',
                                    'partially_fulfilled', 'denied', 'withdrawn')),
    reason         TEXT,
    received_at_us INTEGER NOT NULL,
    due_at_us      INTEGER NOT NULL,
    extended_to_us INTEGER,
    verified_at_us INTEGER,
    closed_at_us   INTEGER,
    locale         TEXT NOT NULL,
    agent_id       TEXT,
    job_id         BLOB REFERENCES rights_jobs (id),
    version        INTEGER NOT NULL,
    detail_sealed  BLOB NOT NULL,
    CHECK (extended_to_us IS NULL OR extended_to_us >= due_at_us)
) STRICT;
CREATE INDEX rights_requests_open ON rights_requests (closed_at_us, due_at_us);
CREATE INDEX rights_requests_tenant ON rights_requests (tenant_id, received_at_us);
CREATE INDEX rights_requests_job ON rights_requests (job_id, state);
CREATE INDEX rights_requests_agent ON rights_requests (agent_id, received_at_us);

-- Mail and calls a request owes: confirmations, extension notices, reminders, routing to the
-- controller, DRP status callbacks. Queued in the transaction that changes the request.
CREATE TABLE rights_outbox (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id     BLOB NOT NULL REFERENCES rights_requests (id),
    kind           TEXT NOT NULL,
    reference      TEXT NOT NULL,
    state          TEXT NOT NULL DEFAULT 'queued'
                   CHECK (state IN ('queued', 'sent', 'failed', 'cancelled')),
    attempts       INTEGER NOT NULL DEFAULT 0,
    created_at_us  INTEGER NOT NULL,
    next_at_us     INTEGER NOT NULL,
    lease_until_us INTEGER,
    sent_at_us     INTEGER,
    last_error     TEXT,
    UNIQUE (request_id, kind, reference)
) STRICT;
CREATE INDEX rights_outbox_due ON rights_outbox (state, next_at_us);

-- Confirmations as sent, kept five years.
CREATE TABLE rights_confirmations (
    request_id     BLOB PRIMARY KEY REFERENCES rights_requests (id),
    sent_at_us     INTEGER NOT NULL,
    keep_until_us  INTEGER NOT NULL,
    letter_sealed  BLOB NOT NULL
) STRICT;
CREATE INDEX rights_confirmations_keep ON rights_confirmations (keep_until_us);

-- Codes the public privacy center mails to prove control of an address.
CREATE TABLE verification_codes (
    id             BLOB PRIMARY KEY,
    email_index    BLOB NOT NULL,
    code_hash      BLOB NOT NULL,
    created_at_us  INTEGER NOT NULL,
    expires_at_us  INTEGER NOT NULL,
    attempts       INTEGER NOT NULL DEFAULT 0,
    used_at_us     INTEGER,
    detail_sealed  BLOB NOT NULL
) STRICT;
CREATE INDEX verification_codes_email ON verification_codes (email_index, created_at_us);

-- Data Rights Protocol agents paired with us: the hash of each agent's bearer token.
CREATE TABLE drp_agents (
    agent_id      TEXT PRIMARY KEY,
    token_hash    BLOB NOT NULL UNIQUE,
    paired_at_us  INTEGER NOT NULL
) STRICT;

-- Where a customer (controller) receives requests routed to it.
CREATE TABLE rights_contacts (
    tenant_id     BLOB PRIMARY KEY REFERENCES tenants (id),
    webhook_url   TEXT,
    updated_at_us INTEGER NOT NULL
) STRICT;

-- Processing a subject's data stops: for a legitimate interest once an objection is upheld,
-- on consent once consent is withdrawn.
ALTER TABLE subjects ADD COLUMN objected_at_us INTEGER;
ALTER TABLE subjects ADD COLUMN consent_withdrawn_at_us INTEGER;
