-- Retention: the registry of buckets (tenant × rule × anchor day) with their expiry and where
-- their sweep stands, legal holds, and the anonymous aggregates kept when a bucket expires.
--
-- A bucket's expiry lives here, not in its name: when a governing fact changes (a contract
-- ends, a customer shortens a period) the expiry of its buckets is updated in place, without
-- touching a record. A sweep moves a due bucket from `live` to `expiring` (aggregates written
-- in the same transaction), destroys its key (`expired`: unreadable), then deletes its rows
-- (`purged`). Each step is idempotent, so a sweep killed anywhere is finished by the next one.
CREATE TABLE buckets (
    tenant_id       uuid NOT NULL REFERENCES tenants (id),
    bucket          text NOT NULL,
    rule            text NOT NULL,
    anchor_on       text,
    expires_at_us   bigint,
    state           text NOT NULL DEFAULT 'live'
                    CHECK (state IN ('live', 'expiring', 'expired', 'purged')),
    lease_until_us  bigint,
    records         bigint,
    expired_at_us   bigint,
    purged_at_us    bigint,
    PRIMARY KEY (tenant_id, bucket)
);
CREATE INDEX buckets_due ON buckets (state, expires_at_us);

-- Legal holds: a tenant (subject_id NULL) or one subject, optionally for a case (a government
-- request, a legal claim). While a hold is active its data does not expire.
CREATE TABLE legal_holds (
    id            uuid PRIMARY KEY,
    tenant_id     uuid NOT NULL REFERENCES tenants (id),
    subject_id    uuid,
    case_ref      text,
    reason        text NOT NULL,
    author        text NOT NULL,
    placed_at_us  bigint NOT NULL,
    ends_at_us    bigint,
    lifted_at_us  bigint,
    lifted_by     text
);
CREATE INDEX legal_holds_tenant ON legal_holds (tenant_id, lifted_at_us);

-- Counts without identifiers, per tenant, product, country, category and day, added to as
-- buckets expire. Published figures suppress cells under 5.
CREATE TABLE aggregates (
    tenant_id uuid NOT NULL,
    product   text NOT NULL,
    country   text NOT NULL,
    category  text NOT NULL,
    day       text NOT NULL,
    count     bigint NOT NULL,
    PRIMARY KEY (tenant_id, product, country, category, day)
);
