-- The erasure log: one row per destroyed subject or bucket key, in the order they were
-- destroyed. It lives with the data, not in the key store, so that restoring an older copy of
-- the key store can neither bring a destroyed key back for good nor lose the log: the key store
-- remembers how far it has applied the log (`replay_cursor`) and replays the rest.
-- Only references are kept: subject ids are random, buckets name a rule and a day.
CREATE TABLE key_destructions (
    seq             INTEGER PRIMARY KEY,
    tenant_id       BLOB NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('subject', 'bucket')),
    subject_id      BLOB,
    scope           TEXT,
    bucket          TEXT,
    -- SHA-256 of the wrapped key that was destroyed (absent if there was none): a replay
    -- destroys that key only, never one created for the subject or bucket afterwards.
    key_digest      BLOB,
    reason          TEXT NOT NULL,
    destroyed_at_us INTEGER NOT NULL,
    CHECK ((kind = 'subject' AND subject_id IS NOT NULL AND scope IS NOT NULL AND bucket IS NULL)
        OR (kind = 'bucket' AND bucket IS NOT NULL AND subject_id IS NULL AND scope IS NULL))
) STRICT;

-- Append-only, like the audit log: the database itself refuses edits and deletions.
CREATE TRIGGER key_destructions_no_update BEFORE UPDATE ON key_destructions
BEGIN SELECT RAISE(ABORT, 'the erasure log is append-only'); END;
CREATE TRIGGER key_destructions_no_delete BEFORE DELETE ON key_destructions
BEGIN SELECT RAISE(ABORT, 'the erasure log is append-only'); END;
