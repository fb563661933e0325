-- Records of personal data. Payloads are sealed; identifiers exist only as blind indexes.
CREATE TABLE subjects (
    id               UUID PRIMARY KEY,
    tenant_id        UUID NOT NULL REFERENCES tenants(id),
    created_at_us    BIGINT NOT NULL,
    restricted_at_us BIGINT
);
CREATE INDEX subjects_tenant ON subjects(tenant_id);

CREATE TABLE subject_identifiers (
    tenant_id   UUID NOT NULL,
    blind_index BYTEA NOT NULL,
    kind        TEXT NOT NULL,
    subject_id  UUID NOT NULL REFERENCES subjects(id),
    PRIMARY KEY (tenant_id, blind_index)
);
CREATE INDEX subject_identifiers_subject ON subject_identifiers(subject_id);

CREATE TABLE records (
    id             UUID PRIMARY KEY,
    tenant_id      UUID NOT NULL,
    subject_id     UUID NOT NULL,
    product        TEXT NOT NULL,
    categories     TEXT NOT NULL,
    purpose        TEXT NOT NULL,
    legal_basis    TEXT NOT NULL,
    source         TEXT NOT NULL,
    role           TEXT NOT NULL,
    country        TEXT,
    occurred_at_us BIGINT NOT NULL,
    ingested_at_us BIGINT NOT NULL,
    retention_rule TEXT NOT NULL,
    bucket         TEXT NOT NULL,
    key_scope      TEXT NOT NULL,
    expires_at_us  BIGINT,
    version        INTEGER NOT NULL,
    supersedes     UUID,
    superseded     BOOLEAN NOT NULL DEFAULT FALSE,
    wrapped_key    BYTEA NOT NULL,
    payload        BYTEA NOT NULL
);
CREATE INDEX records_subject ON records(tenant_id, subject_id, id);
CREATE INDEX records_tenant ON records(tenant_id, id);
CREATE INDEX records_bucket ON records(bucket);

CREATE TABLE idempotency_keys (
    tenant_id     UUID NOT NULL,
    key           TEXT NOT NULL,
    request_hash  BYTEA NOT NULL,
    response      TEXT NOT NULL,
    created_at_us BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, key)
);
