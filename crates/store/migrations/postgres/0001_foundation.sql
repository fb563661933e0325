-- Foundation: tenants, API keys, the audit chain, key-value metadata.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE tenants (
    id             UUID PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE,
    default_region TEXT,
    created_at_us  BIGINT NOT NULL
);

CREATE TABLE api_keys (
    id            UUID PRIMARY KEY,
    tenant_id     UUID NOT NULL REFERENCES tenants(id),
    lookup        TEXT NOT NULL UNIQUE,
    secret_hash   BYTEA NOT NULL,
    name          TEXT NOT NULL,
    scopes        TEXT NOT NULL,
    created_at_us BIGINT NOT NULL,
    revoked_at_us BIGINT
);
CREATE INDEX api_keys_tenant ON api_keys(tenant_id);

CREATE TABLE audit_events (
    seq       BIGINT PRIMARY KEY,
    at_us     BIGINT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    tenant_id UUID,
    targets   TEXT NOT NULL,
    purpose   TEXT,
    outcome   TEXT NOT NULL,
    detail    TEXT,
    prev_hash BYTEA NOT NULL,
    hash      BYTEA NOT NULL
);
CREATE INDEX audit_events_tenant ON audit_events(tenant_id, seq);

-- The newest link of the chain: deleting the last events cannot go unnoticed. Appends lock
-- this row, so replicas append one after another.
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash BYTEA NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, decode(repeat('00', 32), 'hex'));

-- The audit log is append-only: the database itself refuses edits and deletions.
CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
END;
$$;
CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
