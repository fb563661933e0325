-- Which policy version was published, in force from which day, with the digest of its files,
-- when and by whom. Append-only: a published version is never rewritten; a correction is a new
-- version.
CREATE TABLE policy_publications (
    label           text PRIMARY KEY,
    effective_on    date NOT NULL,
    digest          bytea NOT NULL,
    published_at_us bigint NOT NULL,
    actor           text NOT NULL
);
CREATE FUNCTION policy_publications_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'policy publications are append-only';
END;
$$;
CREATE TRIGGER policy_publications_no_change BEFORE UPDATE OR DELETE ON policy_publications
FOR EACH ROW EXECUTE FUNCTION policy_publications_append_only();
CREATE TRIGGER policy_publications_no_truncate BEFORE TRUNCATE ON policy_publications
FOR EACH STATEMENT EXECUTE FUNCTION policy_publications_append_only();
