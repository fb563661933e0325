-- Records of personal data. Payloads are sealed; identifiers exist only as blind indexes.
CREATE TABLE subjects (
    id            BLOB PRIMARY KEY,
    tenant_id     BLOB NOT NULL REFERENCES tenants(id),
    created_at_us INTEGER NOT NULL,
    restricted_at_us INTEGER
) STRICT;
CREATE INDEX subjects_tenant ON subjects(tenant_id);

CREATE TABLE subject_identifiers (
    tenant_id   BLOB NOT NULL,
    blind_index BLOB NOT NULL,
    kind        TEXT NOT NULL,
    subject_id  BLOB NOT NULL REFERENCES subjects(id),
    PRIMARY KEY (tenant_id, blind_index)
) STRICT, WITHOUT ROWID;
CREATE INDEX subject_identifiers_subject ON subject_identifiers(subject_id);

CREATE TABLE records (
    id             BLOB PRIMARY KEY,
    tenant_id      BLOB NOT NULL,
    subject_id     BLOB NOT NULL,
    product        TEXT NOT NULL,
    categories     TEXT NOT NULL,
    purpose        TEXT NOT NULL,
    legal_basis    TEXT NOT NULL,
    source         TEXT NOT NULL,
    role           TEXT NOT NULL,
    country        TEXT,
    occurred_at_us INTEGER NOT NULL,
    ingested_at_us INTEGER NOT NULL,
    retention_rule TEXT NOT NULL,
    bucket         TEXT NOT NULL,
    key_scope      TEXT NOT NULL,
    expires_at_us  INTEGER,
    version        INTEGER NOT NULL,
    supersedes     BLOB,
    superseded     INTEGER NOT NULL DEFAULT 0,
    wrapped_key    BLOB NOT NULL,
    payload        BLOB NOT NULL
) STRICT;
CREATE INDEX records_subject ON records(tenant_id, subject_id, id);
CREATE INDEX records_tenant ON records(tenant_id, id);
CREATE INDEX records_bucket ON records(bucket);

-- A retried batch with the same Idempotency-Key is stored once.
CREATE TABLE idempotency_keys (
    tenant_id     BLOB NOT NULL,
    key           TEXT NOT NULL,
    request_hash  BLOB NOT NULL,
    response      TEXT NOT NULL,
    created_at_us INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, key)
) STRICT, WITHOUT ROWID;
