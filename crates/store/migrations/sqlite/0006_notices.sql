-- Subscriptions to change notices (the privacy statement's material changes, the subprocessor
-- list), the outbox of notices to send, and customers' objections to subprocessors.
--
-- A subscriber's e-mail address is personal data: it is kept sealed under a key derived from the
-- master key, found only by its keyed blind index, and dropped when the subscriber unsubscribes.
-- `topics` are the confirmed topics (bit 1: policy changes, bit 2: subprocessor changes);
-- `requested` the topics awaiting confirmation of the link sent in generation `generation`.
CREATE TABLE subscriptions (
    id               BLOB PRIMARY KEY,
    email_index      BLOB NOT NULL UNIQUE,
    email_sealed     BLOB,
    locale           TEXT NOT NULL,
    topics           INTEGER NOT NULL DEFAULT 0,
    requested        INTEGER,
    generation       INTEGER NOT NULL DEFAULT 0,
    created_at_us    INTEGER NOT NULL,
    requested_at_us  INTEGER,
    confirmed_at_us  INTEGER,
    unsubscribed_at_us INTEGER
) STRICT;

-- The outbox. A notice is queued in the same transaction as the fact it reports (a publication,
-- a subscription request), then sent by whichever process claims it: the lease keeps two
-- processes from sending it at once; a failure is retried later with back-off.
CREATE TABLE notices (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    subscription_id BLOB NOT NULL REFERENCES subscriptions (id),
    kind            TEXT NOT NULL,
    reference       TEXT NOT NULL,
    generation      INTEGER NOT NULL,
    state           TEXT NOT NULL DEFAULT 'queued'
                    CHECK (state IN ('queued', 'sent', 'failed', 'cancelled')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    created_at_us   INTEGER NOT NULL,
    next_at_us      INTEGER NOT NULL,
    lease_until_us  INTEGER,
    sent_at_us      INTEGER,
    last_error      TEXT,
    UNIQUE (subscription_id, kind, reference, generation)
) STRICT;
CREATE INDEX notices_due ON notices (state, next_at_us);

-- Objections to a subprocessor, from a customer (by API key) or a subscriber (by the link in a
-- change notice). Append-only: an objection is evidence.
CREATE TABLE objections (
    id              BLOB PRIMARY KEY,
    processor       TEXT NOT NULL,
    version         TEXT NOT NULL,
    tenant_id       BLOB REFERENCES tenants (id),
    subscription_id BLOB REFERENCES subscriptions (id),
    reason          TEXT NOT NULL,
    created_at_us   INTEGER NOT NULL
) STRICT;
CREATE TRIGGER objections_no_update BEFORE UPDATE ON objections
BEGIN SELECT RAISE(ABORT, 'objections are append-only'); END;
CREATE TRIGGER objections_no_delete BEFORE DELETE ON objections
BEGIN SELECT RAISE(ABORT, 'objections are append-only'); END;
