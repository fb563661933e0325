//! Accounts of customers' people and of staff: sign-up with the Terms and the data processing
//! agreement accepted (their versions recorded) and an 18+ attestation, e-mail verification,
//! Argon2id passwords, an optional TOTP second factor (mandatory for staff) with replay
//! protection and recovery codes, sessions, and sign-in throttling.
//!
//! Nothing stored signs anyone in: session tokens and recovery codes are kept as SHA-256
//! hashes, TOTP secrets and addresses sealed under keys derived from the master key, and the
//! address is found by a keyed blind index.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use custodian_core::TenantId;
use custodian_store::{
    AccountChange, AccountKind, AccountRow, LoginAttempt, NewAccountMail, NewAuditEvent, Outcome,
    SessionRow,
};
use custodian_vault::{SymmetricKey, open, seal};
use jiff::{SignedDuration, Timestamp};
use rand::RngCore;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use uuid::Uuid;

use crate::identifiers::Email;
use crate::totp::{self, TotpError, TotpSecret};
use crate::{Actor, Engine, EngineError};

/// The staff roles, each with the least its work needs (need to know).
pub const STAFF_ROLES: [&str; 5] = [
    "compliance-officer",
    "legal",
    "support",
    "security",
    "engineer",
];

/// The languages account e-mail is written in.
pub const LOCALES: [&str; 4] = ["en", "nl", "zh-CN", "id"];

/// How accounts behave; the defaults suit production.
#[derive(Debug, Clone)]
pub struct AccountSettings {
    /// The version of the Terms a sign-up must accept.
    pub terms_version: String,
    /// The version of the data processing agreement a sign-up must accept.
    pub dpa_version: String,
    /// A session ends after this long unused.
    pub session_idle: SignedDuration,
    /// A session ends this long after it began, however it is used.
    pub session_absolute: SignedDuration,
    /// Failed sign-ins are counted over this window.
    pub throttle_window: SignedDuration,
    /// Failed sign-ins for one address within the window before it is refused.
    pub max_failures_per_account: i64,
    /// Failed sign-ins from one client address within the window before it is refused.
    pub max_failures_per_ip: i64,
    /// How long an e-mail verification link works.
    pub verification_valid: SignedDuration,
}

impl Default for AccountSettings {
    fn default() -> Self {
        Self {
            terms_version: "2023-01".into(),
            dpa_version: "2023-01".into(),
            session_idle: SignedDuration::from_mins(30),
            session_absolute: SignedDuration::from_hours(12),
            throttle_window: SignedDuration::from_mins(15),
            max_failures_per_account: 5,
            max_failures_per_ip: 20,
            verification_valid: SignedDuration::from_hours(24 * 7),
        }
    }
}

/// A sign-up.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct SignUp {
    /// The e-mail address, which signs in.
    pub email: String,
    /// The password: 12 to 256 characters.
    pub password: String,
    /// The customer's name: the new tenant's.
    pub company: String,
    /// The customer's region (ISO 3166-1 alpha-2), for phone numbers without a country code.
    #[serde(default)]
    pub region: Option<String>,
    /// The language of e-mail to the account.
    #[serde(default = "default_locale")]
    pub locale: String,
    /// The version of the Terms accepted: must be the one in force.
    pub terms_version: String,
    /// The version of the data processing agreement accepted: must be the one in force.
    pub dpa_version: String,
    /// The person attests being 18 or older.
    pub adult: bool,
}

fn default_locale() -> String {
    "en".into()
}

/// Where a sign-in comes from.
#[derive(Debug, Clone, Default)]
pub struct ClientInfo {
    /// The client address.
    pub ip: Option<String>,
    /// Its country (ISO 3166-1 alpha-2), when known.
    pub country: Option<String>,
    /// The browser's description.
    pub user_agent: Option<String>,
}

/// A started session: the token goes to the client once (in a cookie), never stored.
#[derive(Debug, Clone)]
pub struct StartedSession {
    /// The session token.
    pub token: String,
    /// The token against cross-site requests, to send with every change.
    pub csrf: String,
    /// Whose.
    pub account: AccountRow,
    /// When it ends unless used.
    pub expires_at: Timestamp,
}

/// A valid session and its account.
#[derive(Debug, Clone)]
pub struct SessionPrincipal {
    /// The account.
    pub account: AccountRow,
    /// The hash of the session token.
    pub token_hash: Vec<u8>,
}

/// A TOTP enrolment to confirm with a code.
#[derive(Debug, Clone)]
pub struct TotpEnrolment {
    /// The secret in base32, for typing in.
    pub secret: String,
    /// The `otpauth://` URI, for a QR code.
    pub uri: String,
}

fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Compares two secrets in time that does not depend on where they differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && bool::from(a.ct_eq(b))
}

fn invalid(field: &'static str, message: impl Into<String>) -> EngineError {
    EngineError::Invalid {
        field,
        message: message.into(),
    }
}

/// Hashes a password with Argon2id (on a blocking thread: it takes tens of milliseconds).
async fn hash_password(password: String) -> Result<String, EngineError> {
    tokio::task::spawn_blocking(move || {
        let mut salt = [0u8; 16];
        rand::rng().fill_bytes(&mut salt);
        let salt = SaltString::encode_b64(&salt)
            .map_err(|e| EngineError::Unavailable(format!("a salt cannot be made: {e}")))?;
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| EngineError::Unavailable(format!("a password cannot be hashed: {e}")))
    })
    .await
    .map_err(|e| EngineError::Unavailable(format!("the hashing task failed: {e}")))?
}

/// Checks a password against its hash (on a blocking thread).
async fn password_matches(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

/// A hash checked when the address is unknown, so that the answer takes as long.
const DECOY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$2y1XAwDGWxiG8kZk0DVVg4DZ6xOj3eFG2m6qDPq5Dlc";

/// A stamp of an account's current password hash (which a new salt changes at every reset).
fn password_stamp(account: &AccountRow) -> i64 {
    let digest = Sha256::digest(account.password_hash.as_bytes());
    let mut b = [0u8; 8];
    b.copy_from_slice(&digest[..8]);
    i64::from_be_bytes(b)
}

fn check_password_rules(password: &str, email: &str) -> Result<(), EngineError> {
    let n = password.chars().count();
    if !(12..=256).contains(&n) {
        return Err(invalid(
            "password",
            "a password is 12 to 256 characters; a few unrelated words make a strong one",
        ));
    }
    if password.eq_ignore_ascii_case(email) {
        return Err(invalid(
            "password",
            "the password cannot be the e-mail address",
        ));
    }
    Ok(())
}

impl Engine {
    fn account_key(&self) -> SymmetricKey {
        SymmetricKey::from_bytes(*self.master.derive("accounts/seal"))
    }

    pub(crate) fn account_index(&self, email: &Email) -> Vec<u8> {
        self.master
            .tag("accounts/index", &[email.as_str().as_bytes()])[..16]
            .to_vec()
    }

    /// The address of an account, unsealed.
    pub fn account_email(&self, account: &AccountRow) -> Result<String, EngineError> {
        let bytes = open(
            &self.account_key(),
            &account.email_sealed,
            account.id.as_bytes(),
        )
        .map_err(|e| EngineError::Unavailable(format!("an address cannot be unsealed: {e}")))?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    fn verification_mac(&self, id: Uuid, until: i64) -> [u8; 16] {
        let tag = self
            .master
            .tag("accounts/verify", &[id.as_bytes(), &until.to_be_bytes()]);
        let mut out = [0; 16];
        out.copy_from_slice(&tag[..16]);
        out
    }

    /// The token of an account's e-mail verification link, valid for
    /// [`AccountSettings::verification_valid`].
    pub fn verification_token(&self, id: Uuid) -> String {
        let until = (self.clock.now() + self.account_settings.verification_valid).as_second();
        let mut bytes = Vec::with_capacity(40);
        bytes.extend_from_slice(id.as_bytes());
        bytes.extend_from_slice(&until.to_be_bytes());
        bytes.extend_from_slice(&self.verification_mac(id, until));
        URL_SAFE_NO_PAD.encode(bytes)
    }

    /// The token against cross-site requests of a session: derived from its token, so nothing
    /// more is stored.
    pub fn csrf_token(&self, session_token: &str) -> String {
        let tag = self
            .master
            .tag("accounts/csrf", &[&token_hash(session_token)]);
        URL_SAFE_NO_PAD.encode(&tag[..16])
    }

    /// Whether `csrf` belongs to the session of `session_token` (constant time).
    pub fn csrf_matches(&self, session_token: &str, csrf: &str) -> bool {
        let expected = self.csrf_token(session_token);
        expected.as_bytes().ct_eq(csrf.as_bytes()).into()
    }

    /// Signs a customer up: a new tenant, its first account (with the Terms and DPA versions
    /// accepted and the 18+ attestation), and a verification e-mail queued.
    pub async fn sign_up(&self, input: SignUp) -> Result<AccountRow, EngineError> {
        let email = Email::parse(&input.email).map_err(|e| {
            invalid(
                "email",
                format!("`{}` is not an e-mail address: {}", input.email, e.0),
            )
        })?;
        check_password_rules(&input.password, email.as_str())?;
        if !input.adult {
            return Err(invalid(
                "adult",
                "accounts are for people aged 18 or over: confirm that you are",
            ));
        }
        let settings = &self.account_settings;
        if input.terms_version != settings.terms_version {
            return Err(invalid(
                "terms_version",
                format!(
                    "the Terms in force are version {}; read and accept that version",
                    settings.terms_version
                ),
            ));
        }
        if input.dpa_version != settings.dpa_version {
            return Err(invalid(
                "dpa_version",
                format!(
                    "the data processing agreement in force is version {}; read and accept that version",
                    settings.dpa_version
                ),
            ));
        }
        if !LOCALES.contains(&input.locale.as_str()) {
            return Err(invalid(
                "locale",
                format!(
                    "`{}` is not a language we write in; use one of {}",
                    input.locale,
                    LOCALES.join(", ")
                ),
            ));
        }
        let index = self.account_index(&email);
        if self.store.account_by_email(&index).await?.is_some() {
            return Err(EngineError::Conflict(
                "an account with this e-mail address exists; sign in or reset its password".into(),
            ));
        }
        let hash = hash_password(input.password).await?;
        let tenant = self
            .create_tenant(&Actor::System, &input.company, input.region.as_deref())
            .await
            .map_err(|e| match e {
                EngineError::Invalid {
                    field: "name",
                    message,
                } => invalid("company", message),
                EngineError::Invalid {
                    field: "default_region",
                    message,
                } => invalid("region", message),
                other => other,
            })?;
        let now = self.clock.now();
        let id = Uuid::now_v7();
        let account = AccountRow {
            id,
            kind: AccountKind::Customer,
            tenant: Some(tenant.id),
            email_index: index,
            email_sealed: seal(
                &self.account_key(),
                email.as_str().as_bytes(),
                id.as_bytes(),
            ),
            locale: input.locale,
            password_hash: hash,
            created_at: now,
            email_verified_at: None,
            age_attested_at: Some(now),
            terms_version: Some(input.terms_version),
            dpa_version: Some(input.dpa_version),
            accepted_at: Some(now),
            totp_sealed: None,
            totp_enabled_at: None,
            totp_last_step: None,
            locked_at: None,
            lock_reason: None,
            must_reset: false,
            password_changed_at: now,
            roles: Vec::new(),
        };
        let audit = self.account_event(
            now,
            &Actor::Account(id),
            "account.signup",
            Some(tenant.id),
            id,
            serde_json::json!({
                "terms_version": account.terms_version,
                "dpa_version": account.dpa_version,
                "adult": true,
            }),
        );
        let mail = NewAccountMail {
            account: id,
            kind: "verify".into(),
            reference: "signup".into(),
            at: now,
        };
        self.store
            .create_account(&account, Some(&mail), &audit)
            .await?;
        Ok(account)
    }

    /// Makes a staff account with its roles and an enrolled, unconfirmed TOTP secret (staff
    /// cannot sign in without a second factor): returns the account and the enrolment to
    /// confirm with [`Engine::confirm_totp`].
    pub async fn create_staff(
        &self,
        actor: &Actor,
        email: &str,
        password: &str,
        roles: &[String],
        locale: &str,
    ) -> Result<(AccountRow, TotpEnrolment), EngineError> {
        let email = Email::parse(email).map_err(|e| {
            invalid(
                "email",
                format!("`{email}` is not an e-mail address: {}", e.0),
            )
        })?;
        check_password_rules(password, email.as_str())?;
        if roles.is_empty() {
            return Err(invalid(
                "roles",
                format!("name at least one role: {}", STAFF_ROLES.join(", ")),
            ));
        }
        for role in roles {
            if !STAFF_ROLES.contains(&role.as_str()) {
                return Err(invalid(
                    "roles",
                    format!(
                        "`{role}` is not a staff role; the roles are {}",
                        STAFF_ROLES.join(", ")
                    ),
                ));
            }
        }
        if !LOCALES.contains(&locale) {
            return Err(invalid(
                "locale",
                format!("use one of {}", LOCALES.join(", ")),
            ));
        }
        let index = self.account_index(&email);
        if self.store.account_by_email(&index).await?.is_some() {
            return Err(EngineError::Conflict(
                "an account with this e-mail address exists".into(),
            ));
        }
        let hash = hash_password(password.to_string()).await?;
        let now = self.clock.now();
        let id = Uuid::now_v7();
        let secret = TotpSecret::generate();
        let account = AccountRow {
            id,
            kind: AccountKind::Staff,
            tenant: None,
            email_index: index,
            email_sealed: seal(
                &self.account_key(),
                email.as_str().as_bytes(),
                id.as_bytes(),
            ),
            locale: locale.to_string(),
            password_hash: hash,
            created_at: now,
            email_verified_at: Some(now),
            age_attested_at: None,
            terms_version: None,
            dpa_version: None,
            accepted_at: None,
            totp_sealed: Some(self.seal_totp(id, &secret)),
            totp_enabled_at: None,
            totp_last_step: None,
            locked_at: None,
            lock_reason: None,
            must_reset: false,
            password_changed_at: now,
            roles: roles.to_vec(),
        };
        let audit = self.account_event(
            now,
            actor,
            "staff.create",
            None,
            id,
            serde_json::json!({ "roles": roles }),
        );
        self.store.create_account(&account, None, &audit).await?;
        let enrolment = TotpEnrolment {
            secret: secret.to_base32(),
            uri: totp::otpauth_uri(&secret, "Custodian", email.as_str()),
        };
        Ok((account, enrolment))
    }

    fn account_event(
        &self,
        at: Timestamp,
        actor: &Actor,
        action: &str,
        tenant: Option<TenantId>,
        account: Uuid,
        detail: serde_json::Value,
    ) -> NewAuditEvent {
        NewAuditEvent {
            at,
            actor: actor.to_string(),
            action: action.into(),
            tenant,
            targets: vec![format!("account:{account}")],
            purpose: None,
            outcome: Outcome::Success,
            detail: Some(detail.to_string()),
        }
    }

    fn seal_totp(&self, account: Uuid, secret: &TotpSecret) -> Vec<u8> {
        seal(
            &self.account_key(),
            secret.as_bytes(),
            &[account.as_bytes().as_slice(), b"/totp"].concat(),
        )
    }

    fn open_totp(&self, account: &AccountRow) -> Result<Option<TotpSecret>, EngineError> {
        let Some(sealed) = &account.totp_sealed else {
            return Ok(None);
        };
        let bytes = open(
            &self.account_key(),
            sealed,
            &[account.id.as_bytes().as_slice(), b"/totp"].concat(),
        )
        .map_err(|e| {
            EngineError::Unavailable(format!("a second factor cannot be unsealed: {e}"))
        })?;
        TotpSecret::from_bytes(&bytes).map(Some).map_err(|e| {
            EngineError::Unavailable(format!("a stored second factor is damaged: {e}"))
        })
    }

    fn reset_mac(&self, id: Uuid, changed: i64, until: i64) -> [u8; 16] {
        let tag = self.master.tag(
            "accounts/reset",
            &[id.as_bytes(), &changed.to_be_bytes(), &until.to_be_bytes()],
        );
        let mut out = [0; 16];
        out.copy_from_slice(&tag[..16]);
        out
    }

    /// The token of a password-reset link for `account`: valid for an hour and only until the
    /// password changes (it names the current password hash, salted anew at every change, so
    /// it works once).
    pub fn reset_token(&self, account: &AccountRow) -> String {
        let until = (self.clock.now() + SignedDuration::from_hours(1)).as_second();
        let changed = password_stamp(account);
        let mut bytes = Vec::with_capacity(48);
        bytes.extend_from_slice(account.id.as_bytes());
        bytes.extend_from_slice(&changed.to_be_bytes());
        bytes.extend_from_slice(&until.to_be_bytes());
        bytes.extend_from_slice(&self.reset_mac(account.id, changed, until));
        URL_SAFE_NO_PAD.encode(bytes)
    }

    /// Asks for a password-reset link to be e-mailed to `email`. The answer is the same whether
    /// or not an account has that address; at most one link goes out per ten minutes.
    pub async fn request_password_reset(&self, email: &str) -> Result<(), EngineError> {
        let Ok(email) = Email::parse(email) else {
            return Err(invalid(
                "email",
                format!("`{email}` is not an e-mail address"),
            ));
        };
        let Some(account) = self
            .store
            .account_by_email(&self.account_index(&email))
            .await?
        else {
            return Ok(());
        };
        let now = self.clock.now();
        let window = now.as_second().div_euclid(600);
        let mail = NewAccountMail {
            account: account.id,
            kind: "reset".into(),
            reference: window.to_string(),
            at: now,
        };
        let audit = self.account_event(
            now,
            &Actor::Account(account.id),
            "account.reset-requested",
            account.tenant,
            account.id,
            serde_json::json!({}),
        );
        self.store
            .change_account(
                account.id,
                &AccountChange::Notify,
                Some(&mail),
                Some(&audit),
            )
            .await?;
        Ok(())
    }

    /// Sets a new password from the token of a reset link: unlocks the account and ends every
    /// session of it.
    pub async fn reset_password(
        &self,
        token: &str,
        password: &str,
    ) -> Result<AccountRow, EngineError> {
        let bad = || invalid("token", "this reset link is not valid; ask for a new one");
        let bytes = URL_SAFE_NO_PAD.decode(token.trim()).map_err(|_| bad())?;
        if bytes.len() != 48 {
            return Err(bad());
        }
        let id = Uuid::from_slice(&bytes[..16]).map_err(|_| bad())?;
        let word = |at: usize| {
            let mut b = [0u8; 8];
            b.copy_from_slice(&bytes[at..at + 8]);
            i64::from_be_bytes(b)
        };
        let (changed, until) = (word(16), word(24));
        if !bool::from(self.reset_mac(id, changed, until).ct_eq(&bytes[32..])) {
            return Err(bad());
        }
        let now = self.clock.now();
        if now.as_second() > until {
            return Err(invalid(
                "token",
                "this reset link has expired; ask for a new one",
            ));
        }
        let account = self.store.account(id).await?.ok_or_else(bad)?;
        if password_stamp(&account) != changed {
            return Err(invalid(
                "token",
                "this reset link was used already; ask for a new one",
            ));
        }
        let email = self.account_email(&account)?;
        check_password_rules(password, &email)?;
        let hash = hash_password(password.to_string()).await?;
        let audit = self.account_event(
            now,
            &Actor::Account(id),
            "account.password-reset",
            account.tenant,
            id,
            serde_json::json!({ "unlocked": account.locked_at.is_some() }),
        );
        self.store
            .change_account(
                id,
                &AccountChange::PasswordSet { hash, at: now },
                None,
                Some(&audit),
            )
            .await?;
        self.store.revoke_sessions(id, now, None).await?;
        self.store.account(id).await?.ok_or_else(bad)
    }

    /// A staff account by its address.
    pub async fn staff_by_email(&self, email: &str) -> Result<AccountRow, EngineError> {
        let email = Email::parse(email).map_err(|e| {
            invalid(
                "email",
                format!("`{email}` is not an e-mail address: {}", e.0),
            )
        })?;
        self.store
            .account_by_email(&self.account_index(&email))
            .await?
            .filter(|a| a.kind == AccountKind::Staff)
            .ok_or(EngineError::NotFound {
                kind: "staff account",
            })
    }

    /// A customer's account by its address.
    pub async fn customer_by_email(&self, email: &str) -> Result<AccountRow, EngineError> {
        let email = Email::parse(email).map_err(|e| {
            invalid(
                "email",
                format!("`{email}` is not an e-mail address: {}", e.0),
            )
        })?;
        self.store
            .account_by_email(&self.account_index(&email))
            .await?
            .filter(|a| a.kind == AccountKind::Customer)
            .ok_or(EngineError::NotFound { kind: "account" })
    }

    /// The staff accounts, oldest first.
    pub async fn staff(&self) -> Result<Vec<AccountRow>, EngineError> {
        Ok(self.store.accounts(None).await?)
    }

    /// Verifies an account's address from the token of its verification link.
    pub async fn verify_email(&self, token: &str) -> Result<AccountRow, EngineError> {
        let bad = || {
            invalid(
                "token",
                "this verification link is not valid; ask for a new one",
            )
        };
        let bytes = URL_SAFE_NO_PAD.decode(token.trim()).map_err(|_| bad())?;
        if bytes.len() != 40 {
            return Err(bad());
        }
        let id = Uuid::from_slice(&bytes[..16]).map_err(|_| bad())?;
        let mut until = [0u8; 8];
        until.copy_from_slice(&bytes[16..24]);
        let until = i64::from_be_bytes(until);
        if !bool::from(self.verification_mac(id, until).ct_eq(&bytes[24..])) {
            return Err(bad());
        }
        let now = self.clock.now();
        if now.as_second() > until {
            return Err(invalid(
                "token",
                "this verification link has expired; ask for a new one",
            ));
        }
        let account = self.store.account(id).await?.ok_or_else(bad)?;
        if account.email_verified_at.is_none() {
            let audit = self.account_event(
                now,
                &Actor::Account(id),
                "account.verify",
                account.tenant,
                id,
                serde_json::json!({}),
            );
            self.store
                .change_account(
                    id,
                    &AccountChange::EmailVerified { at: now },
                    None,
                    Some(&audit),
                )
                .await?;
        }
        self.store.account(id).await?.ok_or_else(bad)
    }

    /// Signs in with an address and password, and the second factor when the account has one
    /// (a six-digit TOTP code, or a recovery code). Refused after too many failures for the
    /// address or from the client; every attempt is recorded. A sign-in from a new country or
    /// device queues an alert to the account's address.
    pub async fn sign_in(
        &self,
        email: &str,
        password: &str,
        second_factor: Option<&str>,
        client: &ClientInfo,
    ) -> Result<StartedSession, EngineError> {
        let now = self.clock.now();
        let settings = &self.account_settings;
        let wrong = EngineError::Unauthenticated("wrong e-mail address or password");
        let Ok(email) = Email::parse(email) else {
            return Err(wrong);
        };
        let index = self.account_index(&email);
        // The country, when the caller did not say, from the shipped IP-to-country table (the
        // regional registries' delegations); private and loopback addresses have none.
        let client = &ClientInfo {
            country: client.country.clone().or_else(|| {
                client
                    .ip
                    .as_deref()
                    .and_then(|ip| ip.parse::<std::net::IpAddr>().ok())
                    .and_then(iptocc::country_code)
                    .map(str::to_string)
            }),
            ..client.clone()
        };
        let device = client
            .user_agent
            .as_deref()
            .map(|ua| URL_SAFE_NO_PAD.encode(&Sha256::digest(ua.as_bytes())[..12]));
        let record = |account: Option<Uuid>, outcome: &str| LoginAttempt {
            at: now,
            email_index: index.clone(),
            account,
            ip: client.ip.clone(),
            country: client.country.clone(),
            device: device.clone(),
            outcome: outcome.into(),
        };
        let failures = self
            .store
            .login_failures(&index, client.ip.as_deref(), now - settings.throttle_window)
            .await?;
        if failures.by_email >= settings.max_failures_per_account
            || failures.by_ip >= settings.max_failures_per_ip
        {
            self.store
                .record_login(&record(None, "throttled"), None)
                .await?;
            return Err(EngineError::Throttled {
                retry_after: settings.throttle_window.as_secs().unsigned_abs(),
            });
        }
        let account = self.store.account_by_email(&index).await?;
        let hash = account
            .as_ref()
            .map_or_else(|| DECOY_HASH.to_string(), |a| a.password_hash.clone());
        let matches = password_matches(password.to_string(), hash).await;
        let known = account.as_ref().map(|a| a.id);
        let Some(account) = account.filter(|_| matches) else {
            self.store
                .record_login(&record(known, "bad-password"), None)
                .await?;
            return Err(wrong);
        };
        if account.locked_at.is_some() {
            self.store
                .record_login(&record(Some(account.id), "locked"), None)
                .await?;
            return Err(EngineError::Locked);
        }
        let secret = self.open_totp(&account)?;
        let needs_second = account.totp_enabled_at.is_some() || account.kind == AccountKind::Staff;
        if needs_second {
            let (Some(secret), Some(code)) = (
                secret.filter(|_| account.totp_enabled_at.is_some()),
                second_factor,
            ) else {
                if account.kind == AccountKind::Staff && account.totp_enabled_at.is_none() {
                    self.store
                        .record_login(&record(Some(account.id), "no-second-factor"), None)
                        .await?;
                    return Err(EngineError::Forbidden(
                        "two-factor authentication (staff must confirm theirs first)",
                    ));
                }
                return Err(EngineError::SecondFactorRequired);
            };
            if let Err(e) = self.check_second_factor(&account, &secret, code, now).await {
                self.store
                    .record_login(&record(Some(account.id), "bad-code"), None)
                    .await?;
                return Err(e);
            }
        }
        // A sign-in from a country or device the account has not signed in from before is
        // told to its owner (not the very first sign-in).
        let (known_country, known_device) = self
            .store
            .known_login(account.id, client.country.as_deref(), device.as_deref())
            .await?;
        let alert = (!known_country || !known_device).then(|| NewAccountMail {
            account: account.id,
            kind: "login-alert".into(),
            reference: format!(
                "{now}/{}/{}",
                client.country.as_deref().unwrap_or("-"),
                device.as_deref().unwrap_or("-")
            ),
            at: now,
        });
        self.store
            .record_login(&record(Some(account.id), "ok"), alert.as_ref())
            .await?;
        let token = random_token();
        let session = SessionRow {
            token_hash: token_hash(&token),
            account: account.id,
            created_at: now,
            expires_at: now + settings.session_idle,
            last_seen_at: now,
            ip: client.ip.clone(),
            user_agent: client.user_agent.clone(),
            revoked_at: None,
        };
        self.store.create_session(&session).await?;
        let audit = self.account_event(
            now,
            &Actor::Account(account.id),
            "account.sign-in",
            account.tenant,
            account.id,
            serde_json::json!({
                "ip": client.ip, "country": client.country,
            }),
        );
        self.store.append_audit(&audit).await?;
        Ok(StartedSession {
            csrf: self.csrf_token(&token),
            token,
            expires_at: session.expires_at,
            account,
        })
    }

    async fn check_second_factor(
        &self,
        account: &AccountRow,
        secret: &TotpSecret,
        code: &str,
        now: Timestamp,
    ) -> Result<(), EngineError> {
        let code = code.trim();
        // A TOTP code is six digits; anything longer is taken for a recovery code.
        let compact = code
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .count();
        if compact > 6 {
            let hash = totp::recovery_code_hash(code);
            let audit = self.account_event(
                now,
                &Actor::Account(account.id),
                "account.recovery-code",
                account.tenant,
                account.id,
                serde_json::json!({}),
            );
            return if self
                .store
                .change_account(
                    account.id,
                    &AccountChange::RecoveryCodeUsed { hash, at: now },
                    None,
                    Some(&audit),
                )
                .await?
            {
                Ok(())
            } else {
                Err(EngineError::Unauthenticated(
                    "this recovery code is not valid or was used before",
                ))
            };
        }
        let step =
            totp::verify(secret, code, now, account.totp_last_step).map_err(|e| match e {
                TotpError::Replayed => EngineError::Unauthenticated(
                    "this code was already used; wait for the next one",
                ),
                TotpError::Malformed => EngineError::Unauthenticated("a code is six digits"),
                _ => EngineError::Unauthenticated("wrong code"),
            })?;
        // The store takes the step only if it is newer than the last used: two sign-ins racing
        // with one code cannot both pass.
        if self
            .store
            .change_account(account.id, &AccountChange::TotpUsed { step }, None, None)
            .await?
        {
            Ok(())
        } else {
            Err(EngineError::Unauthenticated(
                "this code was already used; wait for the next one",
            ))
        }
    }

    /// The session of a token, if it is valid: not revoked, not expired, its account not
    /// locked. Using it moves its end (never past its absolute limit).
    pub async fn session(&self, token: &str) -> Result<SessionPrincipal, EngineError> {
        let expired = EngineError::Unauthenticated("the session has ended; sign in again");
        let hash = token_hash(token);
        let Some(session) = self.store.session(&hash).await? else {
            return Err(expired);
        };
        let now = self.clock.now();
        if session.revoked_at.is_some() || session.expires_at <= now {
            return Err(expired);
        }
        let Some(account) = self.store.account(session.account).await? else {
            return Err(expired);
        };
        if account.locked_at.is_some() {
            return Err(EngineError::Locked);
        }
        let settings = &self.account_settings;
        // Written at most once a minute per session.
        if now.duration_since(session.last_seen_at) >= SignedDuration::from_mins(1) {
            let end =
                (now + settings.session_idle).min(session.created_at + settings.session_absolute);
            self.store.touch_session(&hash, now, end).await?;
        }
        Ok(SessionPrincipal {
            account,
            token_hash: hash,
        })
    }

    /// Ends a session.
    pub async fn sign_out(&self, token: &str) -> Result<(), EngineError> {
        self.store
            .revoke_session(&token_hash(token), self.clock.now())
            .await?;
        Ok(())
    }

    /// Starts (or restarts) TOTP enrolment for an account: the secret is stored sealed and
    /// required only once confirmed with a code.
    pub async fn enrol_totp(&self, account: &AccountRow) -> Result<TotpEnrolment, EngineError> {
        if account.totp_enabled_at.is_some() {
            return Err(EngineError::Conflict(
                "two-factor authentication is on already; turn it off first to change the device"
                    .into(),
            ));
        }
        let secret = TotpSecret::generate();
        self.store
            .change_account(
                account.id,
                &AccountChange::TotpEnrolled {
                    sealed: self.seal_totp(account.id, &secret),
                },
                None,
                None,
            )
            .await?;
        let email = self.account_email(account)?;
        Ok(TotpEnrolment {
            secret: secret.to_base32(),
            uri: totp::otpauth_uri(&secret, "Custodian", &email),
        })
    }

    /// Confirms an enrolled TOTP secret with a code from the device: from now on the code is
    /// required. Returns the recovery codes, shown once.
    pub async fn confirm_totp(
        &self,
        account_id: Uuid,
        code: &str,
    ) -> Result<Vec<String>, EngineError> {
        let account = self
            .store
            .account(account_id)
            .await?
            .ok_or(EngineError::NotFound { kind: "account" })?;
        let Some(secret) = self.open_totp(&account)? else {
            return Err(invalid(
                "code",
                "start the set-up of two-factor authentication first",
            ));
        };
        if account.totp_enabled_at.is_some() {
            return Err(EngineError::Conflict(
                "two-factor authentication is on already".into(),
            ));
        }
        let now = self.clock.now();
        let step =
            totp::verify(&secret, code, now, account.totp_last_step).map_err(|e| match e {
                TotpError::Malformed => invalid("code", "a code is six digits"),
                TotpError::Replayed => {
                    invalid("code", "this code was already used; wait for the next one")
                }
                _ => invalid(
                    "code",
                    "wrong code: check the device's clock and enter the code it shows now",
                ),
            })?;
        let codes = totp::recovery_codes();
        let recovery = codes.iter().map(|c| totp::recovery_code_hash(c)).collect();
        let audit = self.account_event(
            now,
            &Actor::Account(account.id),
            "account.second-factor",
            account.tenant,
            account.id,
            serde_json::json!({ "method": "totp" }),
        );
        if !self
            .store
            .change_account(
                account.id,
                &AccountChange::TotpEnabled {
                    at: now,
                    step,
                    recovery,
                },
                None,
                Some(&audit),
            )
            .await?
        {
            return Err(invalid(
                "code",
                "this code was already used; wait for the next one",
            ));
        }
        Ok(codes)
    }
}
