-- Retention: the registry of buckets (tenant × rule × anchor day) with their expiry and where
-- their sweep stands, legal holds, and the anonymous aggregates kept when a bucket expires.
--
-- A bucket's expiry lives here, not in its name: when a governing fact changes (a contract
-- ends, a customer shortens a period) the expiry of its buckets is updated in place, without
-- touching a record. A sweep moves a due bucket from `live` to `expiring` (aggregates written
-- in the same transaction), destroys its key (`expired`: unreadable), then deletes its rows
-- (`purged`). Each step is idempotent, so a sweep killed anywhere is finished by the next one.
CREATE TABLE buckets (
    tenant_id       BLOB NOT NULL REFERENCES tenants (id),
    bucket          TEXT NOT NULL,
    rule            TEXT NOT NULL,
    anchor_on       TEXT,
    expires_at_us   INTEGER,
    state           TEXT NOT NULL DEFAULT 'live'
                    CHECK (state IN ('live', 'expiring', 'expired', 'purged')),
    lease_until_us  INTEGER,
    records         INTEGER,
    expired_at_us   INTEGER,
    purged_at_us    INTEGER,
    PRIMARY KEY (tenant_id, bucket)
) STRICT;
CREATE INDEX buckets_due ON buckets (state, expires_at_us);

-- Legal holds: a tenant (subject_id NULL) or one subject, optionally for a case (a government
-- request, a legal claim). While a hold is active its data does not expire.
CREATE TABLE legal_holds (
    id            BLOB PRIMARY KEY,
    tenant_id     BLOB NOT NULL REFERENCES tenants (id),
    subject_id    BLOB,
    case_ref      TEXT,
    reason        TEXT NOT NULL,
    author        TEXT NOT NULL,
    placed_at_us  INTEGER NOT NULL,
    ends_at_us    INTEGER,
    lifted_at_us  INTEGER,
    lifted_by     TEXT
) STRICT;
CREATE INDEX legal_holds_tenant ON legal_holds (tenant_id, lifted_at_us);

-- Counts without identifiers, per tenant, product, country, category and day, added to as
-- buckets expire. Published figures suppress cells under 5.
CREATE TABLE aggregates (
    tenant_id BLOB NOT NULL,
    product   TEXT NOT NULL,
    country   TEXT NOT NULL,
    category  TEXT NOT NULL,
    day       TEXT NOT NULL,
    count     INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, product, country, category, day)
) STRICT, WITHOUT ROWID;
