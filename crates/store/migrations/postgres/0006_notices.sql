-- Subscriptions to change notices (the privacy statement's material changes, the subprocessor
-- list), the outbox of notices to send, and customers' objections to subprocessors.
--
-- A subscriber's e-mail address is personal data: it is kept sealed under a key derived from the
-- master key, found only by its keyed blind index, and dropped when the subscriber unsubscribes.
-- `topics` are the confirmed topics (bit 1: policy changes, bit 2: subprocessor changes);
-- `requested` the topics awaiting confirmation of the link sent in generation `generation`.
CREATE TABLE subscriptions (
    id                 uuid PRIMARY KEY,
    email_index        bytea NOT NULL UNIQUE,
    email_sealed       bytea,
    locale             text NOT NULL,
    topics             integer NOT NULL DEFAULT 0,
    requested          integer,
    generation         bigint NOT NULL DEFAULT 0,
    created_at_us      bigint NOT NULL,
    requested_at_us    bigint,
    confirmed_at_us    bigint,
    unsubscribed_at_us bigint
);

-- The outbox. A notice is queued in the same transaction as the fact it reports (a publication,
-- a subscription request), then sent by whichever process claims it: the lease keeps two
-- processes from sending it at once; a failure is retried later with back-off.
CREATE TABLE notices (
    seq             bigserial PRIMARY KEY,
    subscription_id uuid NOT NULL REFERENCES subscriptions (id),
    kind            text NOT NULL,
    reference       text NOT NULL,
    generation      bigint NOT NULL,
    state           text NOT NULL DEFAULT 'queued'
                    CHECK (state IN ('queued', 'sent', 'failed', 'cancelled')),
    attempts        integer NOT NULL DEFAULT 0,
    created_at_us   bigint NOT NULL,
    next_at_us      bigint NOT NULL,
    lease_until_us  bigint,
    sent_at_us      bigint,
    last_error      text,
    UNIQUE (subscription_id, kind, reference, generation)
);
CREATE INDEX notices_due ON notices (state, next_at_us);

-- Objections to a subprocessor, from a customer (by API key) or a subscriber (by the link in a
-- change notice). Append-only: an objection is evidence.
CREATE TABLE objections (
    id              uuid PRIMARY KEY,
    processor       text NOT NULL,
    version         text NOT NULL,
    tenant_id       uuid REFERENCES tenants (id),
    subscription_id uuid REFERENCES subscriptions (id),
    reason          text NOT NULL,
    created_at_us   bigint NOT NULL
);
CREATE FUNCTION objections_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'objections are append-only';
END;
$$;
CREATE TRIGGER objections_no_change BEFORE UPDATE OR DELETE ON objections
FOR EACH ROW EXECUTE FUNCTION objections_append_only();
CREATE TRIGGER objections_no_truncate BEFORE TRUNCATE ON objections
FOR EACH STATEMENT EXECUTE FUNCTION objections_append_only();
