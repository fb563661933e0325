-- Accounts of customers' people and of staff (issue 5): credentials, second factors, sessions,
-- sign-in attempts, and the outbox of account e-mail. Nothing stored here signs anyone in:
-- passwords are Argon2id hashes, session tokens and recovery codes SHA-256 hashes, TOTP
-- secrets and addresses sealed under keys derived from the master key.
CREATE TABLE accounts (
    id                     BLOB PRIMARY KEY,
    kind                   TEXT NOT NULL CHECK (kind IN ('customer', 'staff')),
    tenant_id              BLOB REFERENCES tenants (id),
    email_index            BLOB NOT NULL UNIQUE,
    email_sealed           BLOB NOT NULL,
    locale                 TEXT NOT NULL,
    password_hash          TEXT NOT NULL,
    created_at_us          INTEGER NOT NULL,
    email_verified_at_us   INTEGER,
    age_attested_at_us     INTEGER,
    terms_version          TEXT,
    dpa_version            TEXT,
    accepted_at_us         INTEGER,
    totp_sealed            BLOB,
    totp_enabled_at_us     INTEGER,
    totp_last_step         INTEGER,
    locked_at_us           INTEGER,
    lock_reason            TEXT,
    must_reset             INTEGER NOT NULL DEFAULT 0,
    password_changed_at_us INTEGER NOT NULL,
    CHECK ((kind = 'customer') = (tenant_id IS NOT NULL))
) STRICT;
CREATE INDEX accounts_tenant ON accounts (tenant_id);

CREATE TABLE account_roles (
    account_id    BLOB NOT NULL REFERENCES accounts (id),
    role          TEXT NOT NULL,
    granted_by    TEXT NOT NULL,
    granted_at_us INTEGER NOT NULL,
    PRIMARY KEY (account_id, role)
) STRICT;

CREATE TABLE recovery_codes (
    account_id BLOB NOT NULL REFERENCES accounts (id),
    code_hash  BLOB NOT NULL,
    used_at_us INTEGER,
    PRIMARY KEY (account_id, code_hash)
) STRICT;

CREATE TABLE sessions (
    token_hash      BLOB PRIMARY KEY,
    account_id      BLOB NOT NULL REFERENCES accounts (id),
    created_at_us   INTEGER NOT NULL,
    expires_at_us   INTEGER NOT NULL,
    last_seen_at_us INTEGER NOT NULL,
    ip              TEXT,
    user_agent      TEXT,
    revoked_at_us   INTEGER
) STRICT;
CREATE INDEX sessions_account ON sessions (account_id);

CREATE TABLE login_attempts (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    at_us       INTEGER NOT NULL,
    email_index BLOB NOT NULL,
    account_id  BLOB,
    ip          TEXT,
    country     TEXT,
    device      TEXT,
    outcome     TEXT NOT NULL
) STRICT;
CREATE INDEX login_attempts_email ON login_attempts (email_index, at_us);
CREATE INDEX login_attempts_ip ON login_attempts (ip, at_us);
CREATE INDEX login_attempts_account ON login_attempts (account_id, outcome);

CREATE TABLE account_mail (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id     BLOB NOT NULL REFERENCES accounts (id),
    kind           TEXT NOT NULL,
    reference      TEXT NOT NULL,
    state          TEXT NOT NULL DEFAULT 'queued'
                   CHECK (state IN ('queued', 'sent', 'failed', 'cancelled')),
    attempts       INTEGER NOT NULL DEFAULT 0,
    created_at_us  INTEGER NOT NULL,
    next_at_us     INTEGER NOT NULL,
    lease_until_us INTEGER,
    sent_at_us     INTEGER,
    last_error     TEXT,
    UNIQUE (account_id, kind, reference)
) STRICT;
CREATE INDEX account_mail_due ON account_mail (state, next_at_us);
