-- The facts that govern retention per tenant: the day its contract ends (rules that run until
-- the contract ends then count from it) and the periods it agreed within a rule's bounds.
CREATE TABLE tenant_contracts (
    tenant_id BLOB PRIMARY KEY REFERENCES tenants (id),
    ends_on   TEXT NOT NULL,
    set_at_us INTEGER NOT NULL,
    set_by    TEXT NOT NULL
) STRICT;

CREATE TABLE retention_settings (
    tenant_id BLOB NOT NULL REFERENCES tenants (id),
    rule      TEXT NOT NULL,
    period    TEXT NOT NULL,
    set_at_us INTEGER NOT NULL,
    set_by    TEXT NOT NULL,
    PRIMARY KEY (tenant_id, rule)
) STRICT;

-- Who holds a bucket's sweep lease: the holder may renew it (between purge batches); another
-- sweep takes the bucket over only once the lease has run out.
ALTER TABLE buckets ADD COLUMN lease_holder BLOB;
