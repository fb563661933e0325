-- A subject's records are found by the subject id alone (subject ids are unique across tenants;
-- the tenant is still checked on every row read): a smaller index than (tenant, subject, id).
-- PostgreSQL logs a B-tree insertion as a small WAL record, not as a whole page per commit, so it
-- does not need the insertion partitions that the SQLite schema uses for this index.
DROP INDEX records_subject;
CREATE INDEX records_subject ON records(subject_id, id);
