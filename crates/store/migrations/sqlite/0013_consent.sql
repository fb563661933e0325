-- The consent ledger (issue 7): append-only events, one per purpose per choice, with the proof
-- of what was shown and how. A person is a subject of the tenant; a browser is a visitor (the
-- banner's consent id). The words shown are kept once per tenant, by their hash.
CREATE TABLE consent_events (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    id             BLOB NOT NULL UNIQUE,
    tenant_id      BLOB NOT NULL REFERENCES tenants (id),
    subject_id     BLOB,
    visitor_id     BLOB,
    kind           TEXT NOT NULL
                   CHECK (kind IN ('consent', 'restriction', 'objection', 'relationship')),
    purpose        TEXT NOT NULL,
    given          INTEGER NOT NULL CHECK (given IN (0, 1)),
    method         TEXT NOT NULL,
    action         TEXT,
    text_hash      TEXT,
    text_version   TEXT,
    policy_version TEXT NOT NULL,
    locale         TEXT,
    at_us          INTEGER NOT NULL,
    recorded_at_us INTEGER NOT NULL,
    ip_prefix      TEXT,
    gpc            INTEGER NOT NULL DEFAULT 0 CHECK (gpc IN (0, 1)),
    gpc_source     TEXT,
    actor          TEXT NOT NULL,
    CHECK ((subject_id IS NULL) <> (visitor_id IS NULL))
) STRICT;
CREATE INDEX consent_events_subject ON consent_events (tenant_id, subject_id, seq)
    WHERE subject_id IS NOT NULL;
CREATE INDEX consent_events_visitor ON consent_events (tenant_id, visitor_id, seq)
    WHERE visitor_id IS NOT NULL;
CREATE INDEX consent_events_at ON consent_events (at_us);

CREATE TABLE consent_texts (
    tenant_id     BLOB NOT NULL REFERENCES tenants (id),
    hash          TEXT NOT NULL,
    version       TEXT NOT NULL,
    body          TEXT NOT NULL,
    first_seen_us INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, hash)
) STRICT;
