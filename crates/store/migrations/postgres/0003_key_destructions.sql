-- The erasure log: one row per destroyed subject or bucket key, in the order they were
-- destroyed. It lives with the data, not in the key store, so that restoring an older copy of
-- the key store can neither bring a destroyed key back for good nor lose the log: the key store
-- remembers how far it has applied the log (`replay_cursor`) and replays the rest.
-- Only references are kept: subject ids are random, buckets name a rule and a day.
-- Appends lock the table and number rows MAX(seq) + 1, so sequence order is commit order and a
-- reader never sees an entry before an older one commits.
CREATE TABLE key_destructions (
    seq             BIGINT PRIMARY KEY,
    tenant_id       UUID NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('subject', 'bucket')),
    subject_id      UUID,
    scope           TEXT,
    bucket          TEXT,
    -- SHA-256 of the wrapped key that was destroyed (absent if there was none): a replay
    -- destroys that key only, never one created for the subject or bucket afterwards.
    key_digest      BYTEA,
    reason          TEXT NOT NULL,
    destroyed_at_us BIGINT NOT NULL,
    CHECK ((kind = 'subject' AND subject_id IS NOT NULL AND scope IS NOT NULL AND bucket IS NULL)
        OR (kind = 'bucket' AND bucket IS NOT NULL AND subject_id IS NULL AND scope IS NULL))
);

-- Append-only, like the audit log: the database itself refuses edits and deletions.
CREATE FUNCTION key_destructions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the erasure log is append-only';
END;
$$;
CREATE TRIGGER key_destructions_no_change BEFORE UPDATE OR DELETE ON key_destructions
FOR EACH ROW EXECUTE FUNCTION key_destructions_append_only();
CREATE TRIGGER key_destructions_no_truncate BEFORE TRUNCATE ON key_destructions
FOR EACH STATEMENT EXECUTE FUNCTION key_destructions_append_only();
