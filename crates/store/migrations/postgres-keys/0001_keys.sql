-- The key store, in its own schema so it can be dumped and backed up on its own schedule.
CREATE TABLE custodian_keys.subject_keys (
    tenant_id     UUID NOT NULL,
    subject_id    UUID NOT NULL,
    scope         TEXT NOT NULL,
    wrapped       BYTEA NOT NULL,
    created_at_us BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, subject_id, scope)
);

CREATE TABLE custodian_keys.bucket_keys (
    tenant_id     UUID NOT NULL,
    bucket        TEXT NOT NULL,
    wrapped       BYTEA NOT NULL,
    created_at_us BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, bucket)
);

CREATE TABLE custodian_keys.destroyed_keys (
    kind            TEXT NOT NULL,
    reference       TEXT NOT NULL,
    destroyed_at_us BIGINT NOT NULL,
    reason          TEXT NOT NULL,
    PRIMARY KEY (kind, reference)
);
