-- PostgreSQL partitions its records by when their bucket expires (migration 9 there). SQLite
-- has no partitions: expired buckets are purged in batches by their `records_bucket` index, so
-- nothing changes here; the version is kept in step with PostgreSQL's.
SELECT 1;
