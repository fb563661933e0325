//! Accounts of customers' people and of staff: credentials, second factors, sessions, login
//! attempts, and the outbox of account e-mail (verification, alerts).
//!
//! No secret is stored in a form that signs anyone in: passwords as Argon2id hashes, session
//! tokens and recovery codes as SHA-256 hashes, TOTP secrets and e-mail addresses sealed under
//! keys derived from the master key (the address is found by its keyed blind index).

use custodian_core::TenantId;
use jiff::Timestamp;
use uuid::Uuid;

/// Whose account it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AccountKind {
    /// A person at a customer (a tenant).
    Customer,
    /// A member of staff.
    Staff,
}

impl AccountKind {
    /// Its stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Customer => "customer",
            Self::Staff => "staff",
        }
    }

    /// From its stored name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "customer" => Some(Self::Customer),
            "staff" => Some(Self::Staff),
            _ => None,
        }
    }
}

/// An account as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountRow {
    /// Its id.
    pub id: Uuid,
    /// Customer or staff.
    pub kind: AccountKind,
    /// The tenant of a customer's account.
    pub tenant: Option<TenantId>,
    /// The keyed blind index of the normalised e-mail address.
    pub email_index: Vec<u8>,
    /// The sealed e-mail address.
    pub email_sealed: Vec<u8>,
    /// The language its e-mail is written in.
    pub locale: String,
    /// The Argon2id hash of its password (PHC string).
    pub password_hash: String,
    /// When it was made.
    pub created_at: Timestamp,
    /// When its address was verified.
    pub email_verified_at: Option<Timestamp>,
    /// When its holder attested being 18 or older.
    pub age_attested_at: Option<Timestamp>,
    /// The version of the Terms accepted.
    pub terms_version: Option<String>,
    /// The version of the data processing agreement accepted.
    pub dpa_version: Option<String>,
    /// When they were accepted.
    pub accepted_at: Option<Timestamp>,
    /// The sealed TOTP secret (set at enrolment, before it is confirmed).
    pub totp_sealed: Option<Vec<u8>>,
    /// When the second factor was confirmed (from then on it is required).
    pub totp_enabled_at: Option<Timestamp>,
    /// The last TOTP time step used: no code of it or before works again.
    pub totp_last_step: Option<i64>,
    /// When it was locked, if it is.
    pub locked_at: Option<Timestamp>,
    /// Why.
    pub lock_reason: Option<String>,
    /// Whether the password must be changed before anything else.
    pub must_reset: bool,
    /// When the password was last set.
    pub password_changed_at: Timestamp,
    /// Staff roles.
    pub roles: Vec<String>,
}

/// A change to an account, applied with its audit event.
#[derive(Debug, Clone)]
pub enum AccountChange {
    /// The address was verified.
    EmailVerified {
        /// When.
        at: Timestamp,
    },
    /// A TOTP secret was enrolled (not yet required), replacing any unconfirmed one.
    TotpEnrolled {
        /// The sealed secret.
        sealed: Vec<u8>,
    },
    /// The enrolled secret was confirmed with a code of time step `step`; its recovery codes
    /// (SHA-256 hashes) replace any earlier ones.
    TotpEnabled {
        /// When.
        at: Timestamp,
        /// The step of the confirming code.
        step: i64,
        /// The new recovery codes' hashes.
        recovery: Vec<[u8; 32]>,
    },
    /// A TOTP code of `step` was used; refused (nothing written) unless `step` is newer than
    /// the last used one.
    TotpUsed {
        /// Its time step.
        step: i64,
    },
    /// A recovery code was used; refused (nothing written) unless it exists unused.
    RecoveryCodeUsed {
        /// Its hash.
        hash: [u8; 32],
        /// When.
        at: Timestamp,
    },
    /// Locked: sessions and sign-ins stop until it is unlocked by a password reset.
    Locked {
        /// When.
        at: Timestamp,
        /// Why.
        reason: String,
        /// Whether the password must be changed.
        must_reset: bool,
    },
    /// A new password (unlocks it and clears `must_reset`).
    PasswordSet {
        /// The Argon2id hash.
        hash: String,
        /// When.
        at: Timestamp,
    },
    /// A staff role granted.
    RoleGranted {
        /// The role.
        role: String,
        /// Who granted it.
        by: String,
        /// When.
        at: Timestamp,
    },
    /// A staff role revoked.
    RoleRevoked {
        /// The role.
        role: String,
    },
    /// Nothing changes: the mail and the audit event are written (a password-reset link).
    Notify,
}

/// A session as stored (its token only as a hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    /// SHA-256 of the session token.
    pub token_hash: Vec<u8>,
    /// Whose.
    pub account: Uuid,
    /// When it began.
    pub created_at: Timestamp,
    /// When it ends (moved on while it is used, never past `created_at` + the absolute limit).
    pub expires_at: Timestamp,
    /// When it was last used.
    pub last_seen_at: Timestamp,
    /// The address it began from.
    pub ip: Option<String>,
    /// The browser it began in.
    pub user_agent: Option<String>,
    /// When it was revoked, if it was.
    pub revoked_at: Option<Timestamp>,
}

/// A sign-in attempt, successful or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginAttempt {
    /// When.
    pub at: Timestamp,
    /// The blind index of the address tried.
    pub email_index: Vec<u8>,
    /// The account, when the address is known.
    pub account: Option<Uuid>,
    /// The client address.
    pub ip: Option<String>,
    /// Its country (ISO 3166-1 alpha-2), when known.
    pub country: Option<String>,
    /// A hash of the browser's description.
    pub device: Option<String>,
    /// `ok`, `bad-password`, `bad-code`, `locked`, `throttled`, `unknown`.
    pub outcome: String,
}

/// Failed sign-ins counted since a time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoginFailures {
    /// For the address tried.
    pub by_email: i64,
    /// From the client address.
    pub by_ip: i64,
}

/// An account e-mail to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAccountMail {
    /// To whom.
    pub account: Uuid,
    /// `verify`, `login-alert`, `locked`.
    pub kind: String,
    /// What it is about (a generation, a country): with `kind`, it is queued once.
    pub reference: String,
    /// When.
    pub at: Timestamp,
}

/// An account e-mail claimed for sending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimedAccountMail {
    /// Its place in the outbox.
    pub seq: i64,
    /// What it is.
    pub kind: String,
    /// What it is about.
    pub reference: String,
    /// Attempts made before.
    pub attempts: i64,
    /// The account it goes to.
    pub account: AccountRow,
}
