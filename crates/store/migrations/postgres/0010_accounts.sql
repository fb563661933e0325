-- Accounts of customers' people and of staff (issue 5): credentials, second factors, sessions,
-- sign-in attempts, and the outbox of account e-mail. Nothing stored here signs anyone in:
-- passwords are Argon2id hashes, session tokens and recovery codes SHA-256 hashes, TOTP
-- secrets and addresses sealed under keys derived from the master key.
CREATE TABLE accounts (
    id                     uuid PRIMARY KEY,
    kind                   text NOT NULL CHECK (kind IN ('customer', 'staff')),
    tenant_id              uuid REFERENCES tenants (id),
    email_index            bytea NOT NULL UNIQUE,
    email_sealed           bytea NOT NULL,
    locale                 text NOT NULL,
    password_hash          text NOT NULL,
    created_at_us          bigint NOT NULL,
    email_verified_at_us   bigint,
    age_attested_at_us     bigint,
    terms_version          text,
    dpa_version            text,
    accepted_at_us         bigint,
    totp_sealed            bytea,
    totp_enabled_at_us     bigint,
    totp_last_step         bigint,
    locked_at_us           bigint,
    lock_reason            text,
    must_reset             boolean NOT NULL DEFAULT false,
    password_changed_at_us bigint NOT NULL,
    CHECK ((kind = 'customer') = (tenant_id IS NOT NULL))
);
CREATE INDEX accounts_tenant ON accounts (tenant_id);

CREATE TABLE account_roles (
    account_id    uuid NOT NULL REFERENCES accounts (id),
    role          text NOT NULL,
    granted_by    text NOT NULL,
    granted_at_us bigint NOT NULL,
    PRIMARY KEY (account_id, role)
);

CREATE TABLE recovery_codes (
    account_id uuid NOT NULL REFERENCES accounts (id),
    code_hash  bytea NOT NULL,
    used_at_us bigint,
    PRIMARY KEY (account_id, code_hash)
);

CREATE TABLE sessions (
    token_hash      bytea PRIMARY KEY,
    account_id      uuid NOT NULL REFERENCES accounts (id),
    created_at_us   bigint NOT NULL,
    expires_at_us   bigint NOT NULL,
    last_seen_at_us bigint NOT NULL,
    ip              text,
    user_agent      text,
    revoked_at_us   bigint
);
CREATE INDEX sessions_account ON sessions (account_id);

CREATE TABLE login_attempts (
    seq         bigserial PRIMARY KEY,
    at_us       bigint NOT NULL,
    email_index bytea NOT NULL,
    account_id  uuid,
    ip          text,
    country     text,
    device      text,
    outcome     text NOT NULL
);
CREATE INDEX login_attempts_email ON login_attempts (email_index, at_us);
CREATE INDEX login_attempts_ip ON login_attempts (ip, at_us);
CREATE INDEX login_attempts_account ON login_attempts (account_id, outcome);

CREATE TABLE account_mail (
    seq            bigserial PRIMARY KEY,
    account_id     uuid NOT NULL REFERENCES accounts (id),
    kind           text NOT NULL,
    reference      text NOT NULL,
    state          text NOT NULL DEFAULT 'queued'
                   CHECK (state IN ('queued', 'sent', 'failed', 'cancelled')),
    attempts       integer NOT NULL DEFAULT 0,
    created_at_us  bigint NOT NULL,
    next_at_us     bigint NOT NULL,
    lease_until_us bigint,
    sent_at_us     bigint,
    last_error     text,
    UNIQUE (account_id, kind, reference)
);
CREATE INDEX account_mail_due ON account_mail (state, next_at_us);
