-- The consent ledger (issue 7): append-only events, one per purpose per choice, with the proof
-- of what was shown and how. A person is a subject of the tenant; a browser is a visitor (the
-- banner's consent id). The words shown are kept once per tenant, by their hash.
CREATE TABLE consent_events (
    seq            bigserial PRIMARY KEY,
    id             uuid NOT NULL UNIQUE,
    tenant_id      uuid NOT NULL REFERENCES tenants (id),
    subject_id     uuid,
    visitor_id     uuid,
    kind           text NOT NULL
                   CHECK (kind IN ('consent', 'restriction', 'objection', 'relationship')),
    purpose        text NOT NULL,
    given          boolean NOT NULL,
    method         text NOT NULL,
    action         text,
    text_hash      text,
    text_version   text,
    policy_version text NOT NULL,
    locale         text,
    at_us          bigint NOT NULL,
    recorded_at_us bigint NOT NULL,
    ip_prefix      text,
    gpc            boolean NOT NULL DEFAULT false,
    gpc_source     text,
    actor          text NOT NULL,
    CHECK ((subject_id IS NULL) <> (visitor_id IS NULL))
);
CREATE INDEX consent_events_subject ON consent_events (tenant_id, subject_id, seq)
    WHERE subject_id IS NOT NULL;
CREATE INDEX consent_events_visitor ON consent_events (tenant_id, visitor_id, seq)
    WHERE visitor_id IS NOT NULL;
CREATE INDEX consent_events_at ON consent_events (at_us);

CREATE TABLE consent_texts (
    tenant_id     uuid NOT NULL REFERENCES tenants (id),
    hash          text NOT NULL,
    version       text NOT NULL,
    body          text NOT NULL,
    first_seen_us bigint NOT NULL,
    PRIMARY KEY (tenant_id, hash)
);
