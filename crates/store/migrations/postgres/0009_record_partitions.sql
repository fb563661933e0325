-- Records are partitioned by when their bucket expires, so that expiry can drop a partition
-- whole instead of deleting its rows one by one.
--
-- `part` names a partition of `records`: 0 holds what has no expiry yet (buckets open until a
-- contract ends, records under a legal hold); a week of expiry days (part = days since the
-- epoch / 7) holds the buckets of rules up to about two years; a 91-day span (1 000 000 + days /
-- 91) holds those of longer rules, so that ten-year rules do not make hundreds of partitions.
-- A bucket's part is chosen when it is registered or re-timed and kept in `buckets.part`; its
-- records carry the same value. A partition is dropped once every bucket filed in it is
-- expired (key destroyed) and counted.
ALTER TABLE buckets ADD COLUMN part integer;
UPDATE buckets SET part = CASE
    WHEN expires_at_us IS NULL THEN 0
    WHEN expires_at_us / 86400000000
         - COALESCE(anchor_on::date - DATE '1970-01-01',
                    (extract(epoch FROM now()) / 86400)::integer) > 800
        THEN 1000000 + (GREATEST(expires_at_us / 86400000000, 7) / 91)::integer
    ELSE (GREATEST(expires_at_us / 86400000000, 7) / 7)::integer
END;
CREATE INDEX buckets_part ON buckets (part, state);

ALTER TABLE records RENAME TO records_unpartitioned;
ALTER TABLE records_unpartitioned RENAME CONSTRAINT records_pkey TO records_unpartitioned_pkey;
DROP INDEX records_subject;
DROP INDEX records_tenant;
DROP INDEX records_bucket;

CREATE TABLE records (
    id             uuid NOT NULL,
    tenant_id      uuid NOT NULL,
    subject_id     uuid NOT NULL,
    product        text NOT NULL,
    categories     text NOT NULL,
    purpose        text NOT NULL,
    legal_basis    text NOT NULL,
    source         text NOT NULL,
    role           text NOT NULL,
    country        text,
    occurred_at_us bigint NOT NULL,
    ingested_at_us bigint NOT NULL,
    retention_rule text NOT NULL,
    bucket         text NOT NULL,
    key_scope      text NOT NULL,
    expires_at_us  bigint,
    version        integer NOT NULL,
    supersedes     uuid,
    superseded     boolean NOT NULL DEFAULT FALSE,
    wrapped_key    bytea NOT NULL,
    payload        bytea NOT NULL,
    part           integer NOT NULL,
    -- Record ids are UUIDv7 made by Custodian; the key must include the partition column.
    PRIMARY KEY (id, part)
) PARTITION BY LIST (part);
CREATE INDEX records_subject ON records (subject_id, id);
CREATE INDEX records_tenant ON records (tenant_id, id);
CREATE INDEX records_bucket ON records (bucket);

DO $$
DECLARE
    p integer;
BEGIN
    FOR p IN SELECT 0 UNION SELECT DISTINCT part FROM buckets WHERE part IS NOT NULL LOOP
        EXECUTE format(
            'CREATE TABLE %I PARTITION OF records FOR VALUES IN (%s)',
            CASE WHEN p = 0 THEN 'records_open'
                 WHEN p >= 1000000 THEN 'records_q' || (p - 1000000)
                 ELSE 'records_w' || p END,
            p);
    END LOOP;
END $$;

INSERT INTO records
SELECT o.id, o.tenant_id, o.subject_id, o.product, o.categories, o.purpose, o.legal_basis,
       o.source, o.role, o.country, o.occurred_at_us, o.ingested_at_us, o.retention_rule,
       o.bucket, o.key_scope, o.expires_at_us, o.version, o.supersedes, o.superseded,
       o.wrapped_key, o.payload, COALESCE(b.part, 0)
FROM records_unpartitioned o
LEFT JOIN buckets b ON b.tenant_id = o.tenant_id AND b.bucket = o.bucket;
DROP TABLE records_unpartitioned;
