-- The key store, kept apart from the data so it can be backed up on its own short schedule.
-- Every key is wrapped by the master key; destroying a row makes what it protected unreadable.
CREATE TABLE subject_keys (
    tenant_id     BLOB NOT NULL,
    subject_id    BLOB NOT NULL,
    scope         TEXT NOT NULL,
    wrapped       BLOB NOT NULL,
    created_at_us INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, subject_id, scope)
) STRICT, WITHOUT ROWID;

CREATE TABLE bucket_keys (
    tenant_id     BLOB NOT NULL,
    bucket        TEXT NOT NULL,
    wrapped       BLOB NOT NULL,
    created_at_us INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, bucket)
) STRICT, WITHOUT ROWID;

-- What was destroyed and when: a restore of an older key backup replays this list.
CREATE TABLE destroyed_keys (
    kind            TEXT NOT NULL,
    reference       TEXT NOT NULL,
    destroyed_at_us INTEGER NOT NULL,
    reason          TEXT NOT NULL,
    PRIMARY KEY (kind, reference)
) STRICT, WITHOUT ROWID;
