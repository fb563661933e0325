-- Foundation: tenants, API keys, the audit chain, key-value metadata.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE tenants (
    id             BLOB PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE,
    default_region TEXT,
    created_at_us  INTEGER NOT NULL
) STRICT;

CREATE TABLE api_keys (
    id            BLOB PRIMARY KEY,
    tenant_id     BLOB NOT NULL REFERENCES tenants(id),
    lookup        TEXT NOT NULL UNIQUE,
    secret_hash   BLOB NOT NULL,
    name          TEXT NOT NULL,
    scopes        TEXT NOT NULL,
    created_at_us INTEGER NOT NULL,
    revoked_at_us INTEGER
) STRICT;
CREATE INDEX api_keys_tenant ON api_keys(tenant_id);

CREATE TABLE audit_events (
    seq       INTEGER PRIMARY KEY,
    at_us     INTEGER NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    tenant_id BLOB,
    targets   TEXT NOT NULL,
    purpose   TEXT,
    outcome   TEXT NOT NULL,
    detail    TEXT,
    prev_hash BLOB NOT NULL,
    hash      BLOB NOT NULL
) STRICT;
CREATE INDEX audit_events_tenant ON audit_events(tenant_id, seq);

-- The newest link of the chain: deleting the last events cannot go unnoticed.
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash BLOB NOT NULL
) STRICT;
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, zeroblob(32));

-- The audit log is append-only: the database itself refuses edits and deletions.
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
