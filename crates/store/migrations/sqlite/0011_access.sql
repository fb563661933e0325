-- Staff accountability (issue 5): four-eyes approvals, time-restricted grants of sensitive
-- access, and cases (mailbox intake, credential compromise, children, government disclosure
-- requests). Case details are personal data and stored sealed; the columns in clear are what
-- the case lists and the transparency report count by.
CREATE TABLE approvals (
    id              BLOB PRIMARY KEY,
    kind            TEXT NOT NULL,
    target          TEXT NOT NULL,
    tenant_id       BLOB REFERENCES tenants (id),
    payload         TEXT NOT NULL,
    reason          TEXT NOT NULL,
    requested_by    BLOB NOT NULL REFERENCES accounts (id),
    requested_at_us INTEGER NOT NULL,
    expires_at_us   INTEGER NOT NULL,
    state           TEXT NOT NULL
                    CHECK (state IN ('pending', 'approved', 'rejected', 'executed', 'expired', 'cancelled')),
    decided_by      BLOB REFERENCES accounts (id),
    decided_at_us   INTEGER,
    note            TEXT,
    executed_at_us  INTEGER,
    result          TEXT,
    CHECK (decided_by IS NULL OR decided_by <> requested_by)
) STRICT;
CREATE INDEX approvals_state ON approvals (state, requested_at_us);

CREATE TABLE access_grants (
    id              BLOB PRIMARY KEY,
    account_id      BLOB NOT NULL REFERENCES accounts (id),
    action          TEXT NOT NULL,
    tenant_id       BLOB REFERENCES tenants (id),
    reason          TEXT NOT NULL,
    duration_s      INTEGER NOT NULL CHECK (duration_s > 0),
    requested_at_us INTEGER NOT NULL,
    approval_id     BLOB NOT NULL REFERENCES approvals (id),
    active_from_us  INTEGER,
    expires_at_us   INTEGER,
    revoked_at_us   INTEGER,
    revoked_by      TEXT
) STRICT;
CREATE INDEX access_grants_account ON access_grants (account_id, expires_at_us);

CREATE TABLE cases (
    id             BLOB PRIMARY KEY,
    kind           TEXT NOT NULL,
    state          TEXT NOT NULL,
    priority       TEXT NOT NULL CHECK (priority IN ('urgent', 'high', 'normal')),
    tenant_id      BLOB REFERENCES tenants (id),
    account_id     BLOB REFERENCES accounts (id),
    source         TEXT NOT NULL,
    opened_at_us   INTEGER NOT NULL,
    due_at_us      INTEGER,
    closed_at_us   INTEGER,
    version        INTEGER NOT NULL,
    country        TEXT,
    authority_type TEXT,
    outcome        TEXT,
    detail_sealed  BLOB NOT NULL
) STRICT;
CREATE INDEX cases_open ON cases (kind, state, opened_at_us);
