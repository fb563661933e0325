-- Payment consents (issue 7): saved payment methods keep only the fields the policy lists per
-- method, sealed; Auto Recharge keeps its threshold. Withdrawing consent deletes the rows in
-- the same transaction as the withdrawal's ledger event.
CREATE TABLE saved_payment_methods (
    id            BLOB PRIMARY KEY,
    tenant_id     BLOB NOT NULL REFERENCES tenants (id),
    subject_id    BLOB NOT NULL,
    method        TEXT NOT NULL,
    psp           TEXT NOT NULL,
    label         TEXT NOT NULL,
    fields_sealed BLOB NOT NULL,
    created_at_us INTEGER NOT NULL
) STRICT;
CREATE INDEX saved_payment_methods_subject ON saved_payment_methods (tenant_id, subject_id);

CREATE TABLE auto_recharge (
    tenant_id       BLOB NOT NULL REFERENCES tenants (id),
    subject_id      BLOB NOT NULL,
    threshold_minor INTEGER NOT NULL CHECK (threshold_minor >= 0),
    amount_minor    INTEGER NOT NULL CHECK (amount_minor > 0),
    currency        TEXT NOT NULL,
    method_id       BLOB,
    created_at_us   INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, subject_id)
) STRICT;
