-- Data subject requests (issue 6). A request's requester, identifiers and answer are personal
-- data and stored sealed; the columns in clear are what lists, deadlines and counts use.
CREATE TABLE rights_jobs (
    id             uuid PRIMARY KEY,
    tenant_id      uuid NOT NULL REFERENCES tenants (id),
    right_kind     text NOT NULL,
    created_at_us  bigint NOT NULL,
    total          bigint NOT NULL CHECK (total >= 0),
    finished_at_us bigint
);
CREATE INDEX rights_jobs_tenant ON rights_jobs (tenant_id, created_at_us);

CREATE TABLE rights_requests (
    id             uuid PRIMARY KEY,
    tenant_id      uuid REFERENCES tenants (id),
    subject_id     uuid,
    parent_id      uuid REFERENCES rights_requests (id),
    right_kind     text NOT NULL,
    regime         text NOT NULL,
    channel        text NOT NULL,
    state          text NOT NULL
                   CHECK (state IN ('received', 'verifying', 'in_progress', 'fulfilled',
                                    'partially_fulfilled', 'denied', 'withdrawn')),
    reason         text,
    received_at_us bigint NOT NULL,
    due_at_us      bigint NOT NULL,
    extended_to_us bigint,
    verified_at_us bigint,
    closed_at_us   bigint,
    locale         text NOT NULL,
    agent_id       text,
    job_id         uuid REFERENCES rights_jobs (id),
    version        bigint NOT NULL,
    detail_sealed  bytea NOT NULL,
    CHECK (extended_to_us IS NULL OR extended_to_us >= due_at_us)
);
CREATE INDEX rights_requests_open ON rights_requests (closed_at_us, due_at_us);
CREATE INDEX rights_requests_tenant ON rights_requests (tenant_id, received_at_us);
CREATE INDEX rights_requests_job ON rights_requests (job_id, state);
CREATE INDEX rights_requests_agent ON rights_requests (agent_id, received_at_us);

-- Mail and calls a request owes: confirmations, extension notices, reminders, routing to the
-- controller, DRP status callbacks. Queued in the transaction that changes the request.
CREATE TABLE rights_outbox (
    seq            bigserial PRIMARY KEY,
    request_id     uuid NOT NULL REFERENCES rights_requests (id),
    kind           text NOT NULL,
    reference      text NOT NULL,
    state          text NOT NULL DEFAULT 'queued'
                   CHECK (state IN ('queued', 'sent', 'failed', 'cancelled')),
    attempts       bigint NOT NULL DEFAULT 0,
    created_at_us  bigint NOT NULL,
    next_at_us     bigint NOT NULL,
    lease_until_us bigint,
    sent_at_us     bigint,
    last_error     text,
    UNIQUE (request_id, kind, reference)
);
CREATE INDEX rights_outbox_due ON rights_outbox (state, next_at_us);

-- Confirmations as sent, kept five years.
CREATE TABLE rights_confirmations (
    request_id     uuid PRIMARY KEY REFERENCES rights_requests (id),
    sent_at_us     bigint NOT NULL,
    keep_until_us  bigint NOT NULL,
    letter_sealed  bytea NOT NULL
);
CREATE INDEX rights_confirmations_keep ON rights_confirmations (keep_until_us);

-- Codes the public privacy center mails to prove control of an address.
CREATE TABLE verification_codes (
    id             uuid PRIMARY KEY,
    email_index    bytea NOT NULL,
    code_hash      bytea NOT NULL,
    created_at_us  bigint NOT NULL,
    expires_at_us  bigint NOT NULL,
    attempts       bigint NOT NULL DEFAULT 0,
    used_at_us     bigint,
    detail_sealed  bytea NOT NULL
);
CREATE INDEX verification_codes_email ON verification_codes (email_index, created_at_us);

-- Data Rights Protocol agents paired with us: the hash of each agent's bearer token.
CREATE TABLE drp_agents (
    agent_id      text PRIMARY KEY,
    token_hash    bytea NOT NULL UNIQUE,
    paired_at_us  bigint NOT NULL
);

-- Where a customer (controller) receives requests routed to it.
CREATE TABLE rights_contacts (
    tenant_id     uuid PRIMARY KEY REFERENCES tenants (id),
    webhook_url   text,
    updated_at_us bigint NOT NULL
);

-- Processing a subject's data stops: for a legitimate interest once an objection is upheld,
-- on consent once consent is withdrawn.
ALTER TABLE subjects ADD COLUMN objected_at_us bigint;
ALTER TABLE subjects ADD COLUMN consent_withdrawn_at_us bigint;
