-- Staff accountability (issue 5): four-eyes approvals, time-restricted grants of sensitive
-- access, and cases (mailbox intake, credential compromise, children, government disclosure
-- requests). Case details are personal data and stored sealed; the columns in clear are what
-- the case lists and the transparency report count by.
CREATE TABLE approvals (
    id              uuid PRIMARY KEY,
    kind            text NOT NULL,
    target          text NOT NULL,
    tenant_id       uuid REFERENCES tenants (id),
    payload         text NOT NULL,
    reason          text NOT NULL,
    requested_by    uuid NOT NULL REFERENCES accounts (id),
    requested_at_us bigint NOT NULL,
    expires_at_us   bigint NOT NULL,
    state           text NOT NULL
                    CHECK (state IN ('pending', 'approved', 'rejected', 'executed', 'expired', 'cancelled')),
    decided_by      uuid REFERENCES accounts (id),
    decided_at_us   bigint,
    note            text,
    executed_at_us  bigint,
    result          text,
    CHECK (decided_by IS NULL OR decided_by <> requested_by)
);
CREATE INDEX approvals_state ON approvals (state, requested_at_us);

CREATE TABLE access_grants (
    id              uuid PRIMARY KEY,
    account_id      uuid NOT NULL REFERENCES accounts (id),
    action          text NOT NULL,
    tenant_id       uuid REFERENCES tenants (id),
    reason          text NOT NULL,
    duration_s      bigint NOT NULL CHECK (duration_s > 0),
    requested_at_us bigint NOT NULL,
    approval_id     uuid NOT NULL REFERENCES approvals (id),
    active_from_us  bigint,
    expires_at_us   bigint,
    revoked_at_us   bigint,
    revoked_by      text
);
CREATE INDEX access_grants_account ON access_grants (account_id, expires_at_us);

CREATE TABLE cases (
    id             uuid PRIMARY KEY,
    kind           text NOT NULL,
    state          text NOT NULL,
    priority       text NOT NULL CHECK (priority IN ('urgent', 'high', 'normal')),
    tenant_id      uuid REFERENCES tenants (id),
    account_id     uuid REFERENCES accounts (id),
    source         text NOT NULL,
    opened_at_us   bigint NOT NULL,
    due_at_us      bigint,
    closed_at_us   bigint,
    version        bigint NOT NULL,
    country        text,
    authority_type text,
    outcome        text,
    detail_sealed  bytea NOT NULL
);
CREATE INDEX cases_open ON cases (kind, state, opened_at_us);
