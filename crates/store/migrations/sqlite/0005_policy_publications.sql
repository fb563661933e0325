-- Which policy version was published, in force from which day, with the digest of its files,
-- when and by whom. Append-only: a published version is never rewritten; a correction is a new
-- version.
CREATE TABLE policy_publications (
    label           TEXT PRIMARY KEY,
    effective_on    TEXT NOT NULL,
    digest          BLOB NOT NULL,
    published_at_us INTEGER NOT NULL,
    actor           TEXT NOT NULL
) STRICT;
CREATE TRIGGER policy_publications_no_update BEFORE UPDATE ON policy_publications
BEGIN SELECT RAISE(ABORT, 'policy publications are append-only'); END;
CREATE TRIGGER policy_publications_no_delete BEFORE DELETE ON policy_publications
BEGIN SELECT RAISE(ABORT, 'policy publications are append-only'); END;
