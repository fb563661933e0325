-- Payment consents (issue 7): saved payment methods keep only the fields the policy lists per
-- method, sealed; Auto Recharge keeps its threshold. Withdrawing consent deletes the rows in
-- the same transaction as the withdrawal's ledger event.
CREATE TABLE saved_payment_methods (
    id            uuid PRIMARY KEY,
    tenant_id     uuid NOT NULL REFERENCES tenants (id),
    subject_id    uuid NOT NULL,
    method        text NOT NULL,
    psp           text NOT NULL,
    label         text NOT NULL,
    fields_sealed bytea NOT NULL,
    created_at_us bigint NOT NULL
);
CREATE INDEX saved_payment_methods_subject ON saved_payment_methods (tenant_id, subject_id);

CREATE TABLE auto_recharge (
    tenant_id       uuid NOT NULL REFERENCES tenants (id),
    subject_id      uuid NOT NULL,
    threshold_minor bigint NOT NULL CHECK (threshold_minor >= 0),
    amount_minor    bigint NOT NULL CHECK (amount_minor > 0),
    currency        text NOT NULL,
    method_id       uuid,
    created_at_us   bigint NOT NULL,
    PRIMARY KEY (tenant_id, subject_id)
);
