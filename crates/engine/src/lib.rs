//! Custodian's domain services: tenants, API keys, records, crypto-erasure and the audit log,
//! as pure logic over the [`custodian_store::Store`] trait, a [`custodian_core::Clock`] and the
//! loaded policy.
//!
//! Services never see HTTP or SQL. Every change they make is written with its audit event;
//! an audit write that fails fails the change. Errors are [`EngineError`], mapped to HTTP in
//! exactly one place (the http crate).
#![deny(missing_docs)]

pub mod access;
pub mod accounts;
mod apikeys;
pub mod approvals;
mod audit;
pub mod bundle;
pub mod cases;
pub mod consent;
pub mod consent_banner;
pub mod deadlines;
pub mod disclosure;
pub mod drp;
pub mod erasure;
mod error;
pub mod identifiers;
pub mod mail;
pub mod mailbox;
pub mod marketing;
pub mod notices;
pub mod payload;
pub mod payments;
mod publish;
pub mod records;
pub mod retention;
pub mod rights;
pub mod rights_bulk;
mod rights_exec;
pub mod rights_export;
pub mod rights_mail;
pub mod rights_public;
mod tenants;
pub mod totp;

use std::sync::Arc;

use custodian_core::Clock;
use custodian_policy::Policy;
use custodian_store::{KeyStore, Store};
use custodian_vault::{MasterKey, SymmetricKey};

pub use apikeys::{Actor, CreatedApiKey, Principal, Scope};
pub use audit::{AuditReport, ChainVerdict};
pub use erasure::{DestroyReason, Destroyed, ErasureLogStatus, Replayed};
pub use error::EngineError;

/// The services, sharing one store, policy, clock and master key.
#[derive(Debug, Clone)]
pub struct Engine {
    store: Arc<dyn Store>,
    keys: Arc<dyn KeyStore>,
    policy: Arc<Policy>,
    clock: Arc<dyn Clock>,
    master: Arc<MasterKey>,
    kek: Arc<SymmetricKey>,
    account_settings: Arc<accounts::AccountSettings>,
    rights_settings: Arc<RightsSettings>,
    mail_kick: Arc<tokio::sync::Notify>,
    consent_book: consent::SharedBook,
    text_cache: consent::TextCache,
    banner_cache: consent_banner::BannerCache,
    key_cache: apikeys::KeyCache,
}

/// Settings of data subject requests.
#[derive(Debug, Clone)]
pub struct RightsSettings {
    /// The public address of the pages, for links in letters (no trailing slash).
    pub public_url: String,
    /// The fee to charge per request, when the policy in force allows one (off by default).
    pub fee: Option<f64>,
}

impl Default for RightsSettings {
    fn default() -> Self {
        Self {
            public_url: "http://localhost:8080".into(),
            fee: None,
        }
    }
}

/// The metadata key under which the master key's check value is kept.
const MASTER_CHECK: &str = "master_key_check";

impl Engine {
    /// Binds the services to their store. The first start records the master key's check
    /// value; later starts with a different key are refused, so data is never written under the
    /// wrong key.
    pub async fn new(
        store: Arc<dyn Store>,
        keys: Arc<dyn KeyStore>,
        policy: Arc<Policy>,
        clock: Arc<dyn Clock>,
        master: Arc<MasterKey>,
    ) -> Result<Self, EngineError> {
        let ours = master.check_value();
        let stored = store.meta_init(MASTER_CHECK, &ours).await?;
        if stored != ours {
            return Err(EngineError::WrongMasterKey);
        }
        let kek = Arc::new(master.kek());
        Ok(Self {
            store,
            keys,
            policy,
            clock,
            master,
            kek,
            account_settings: Arc::default(),
            rights_settings: Arc::default(),
            mail_kick: Arc::default(),
            consent_book: Arc::default(),
            text_cache: Arc::default(),
            banner_cache: Arc::default(),
            key_cache: Arc::default(),
        })
    }

    /// The same services with other account settings (Terms and DPA versions, session
    /// lengths, sign-in throttling).
    #[must_use]
    pub fn with_account_settings(mut self, settings: accounts::AccountSettings) -> Self {
        self.account_settings = Arc::new(settings);
        self
    }

    /// The same services with other settings for data subject requests.
    #[must_use]
    pub fn with_rights_settings(mut self, settings: RightsSettings) -> Self {
        self.rights_settings = Arc::new(settings);
        self
    }

    /// The settings of data subject requests.
    pub fn rights_settings(&self) -> &RightsSettings {
        &self.rights_settings
    }

    /// Wakes the mail dispatcher: something was queued that should not wait for its next
    /// round (a verification code, say).
    pub fn kick_mail(&self) {
        self.mail_kick.notify_one();
    }

    /// What the mail dispatcher waits on between rounds.
    pub fn mail_kicked(&self) -> &tokio::sync::Notify {
        &self.mail_kick
    }

    /// The account settings.
    pub fn account_settings(&self) -> &accounts::AccountSettings {
        &self.account_settings
    }

    /// The store.
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// The key store.
    pub fn keys(&self) -> &Arc<dyn KeyStore> {
        &self.keys
    }

    /// The policy.
    pub fn policy(&self) -> &Arc<Policy> {
        &self.policy
    }

    /// The clock.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }
}

/// The key that seals the audit chain, derived from the master key.
pub fn chain_key(master: &MasterKey) -> custodian_store::ChainKey {
    custodian_store::ChainKey::new(*master.derive("audit chain"))
}
