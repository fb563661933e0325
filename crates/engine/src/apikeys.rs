use std::fmt;

use custodian_core::{ApiKeyId, TenantId};
use custodian_store::{ApiKeyRecord, NewAuditEvent, Outcome};
use custodian_vault::{generate_api_key, parse_api_key};
use serde::Serialize;
use sha2::Digest as _;

use crate::{Engine, EngineError};

/// What an API key may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Scope {
    /// Read personal-data records.
    #[serde(rename = "records:read")]
    RecordsRead,
    /// Ingest and rectify records.
    #[serde(rename = "records:write")]
    RecordsWrite,
    /// Read data subject requests.
    #[serde(rename = "requests:read")]
    RequestsRead,
    /// File and act on data subject requests.
    #[serde(rename = "requests:write")]
    RequestsWrite,
    /// Check consent.
    #[serde(rename = "consent:read")]
    ConsentRead,
    /// Record consent.
    #[serde(rename = "consent:write")]
    ConsentWrite,
    /// Read the tenant's audit events.
    #[serde(rename = "audit:read")]
    AuditRead,
}

impl Scope {
    /// Every scope.
    pub const ALL: [Scope; 7] = [
        Scope::RecordsRead,
        Scope::RecordsWrite,
        Scope::RequestsRead,
        Scope::RequestsWrite,
        Scope::ConsentRead,
        Scope::ConsentWrite,
        Scope::AuditRead,
    ];

    /// The written form (`records:read`).
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::RecordsRead => "records:read",
            Scope::RecordsWrite => "records:write",
            Scope::RequestsRead => "requests:read",
            Scope::RequestsWrite => "requests:write",
            Scope::ConsentRead => "consent:read",
            Scope::ConsentWrite => "consent:write",
            Scope::AuditRead => "audit:read",
        }
    }

    /// Reads the written form.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// How long a process trusts a key it read without reading it again: a key revoked by
/// another process (the command line, another replica) stops working within this time; one
/// revoked through this process stops at once.
pub const KEY_CACHE_FOR: std::time::Duration = std::time::Duration::from_secs(10);

/// Tokens verified recently, by their SHA-256 digest.
pub(crate) type KeyCache = std::sync::Arc<
    std::sync::RwLock<
        rustc_hash::FxHashMap<[u8; 32], (std::sync::Arc<ApiKeyRecord>, std::time::Instant)>,
    >,
>;

/// Who performs an action, as recorded in the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// An operator at the command line.
    Cli,
    /// A request authenticated by an API key.
    ApiKey(ApiKeyId),
    /// Custodian itself (schedulers, the demo).
    System,
    /// A person signed in to their account (a customer's or staff's).
    Account(uuid::Uuid),
}

impl fmt::Display for Actor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Actor::Cli => f.write_str("cli"),
            Actor::ApiKey(id) => write!(f, "apikey:{id}"),
            Actor::System => f.write_str("system"),
            Actor::Account(id) => write!(f, "account:{id}"),
        }
    }
}

/// An authenticated caller acting in one tenant: the tenant through one of its API keys, or a
/// member of staff whose role or grant allows it (see [`crate::access`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// The tenant.
    pub tenant: TenantId,
    /// Who acts: the key used, or the member of staff.
    pub by: Actor,
    /// What it may do.
    pub scopes: Vec<Scope>,
    /// Why a member of staff acts (recorded with every read they make).
    pub reason: Option<String>,
}

impl Principal {
    /// Passes if the key has `scope`.
    pub fn require(&self, scope: Scope) -> Result<(), EngineError> {
        if self.scopes.contains(&scope) {
            Ok(())
        } else {
            Err(EngineError::Forbidden(scope.as_str()))
        }
    }

    /// The actor to record.
    pub fn actor(&self) -> Actor {
        self.by.clone()
    }

    /// The API key used, when it is one.
    pub fn api_key(&self) -> Option<ApiKeyId> {
        match self.by {
            Actor::ApiKey(id) => Some(id),
            _ => None,
        }
    }
}

/// A key just made: the token is shown once and never again.
#[derive(Debug)]
pub struct CreatedApiKey {
    /// What is stored.
    pub record: ApiKeyRecord,
    /// The token to give its owner.
    pub token: String,
}

impl Engine {
    /// Makes an API key for `tenant` with `scopes` (written forms such as `records:read`).
    pub async fn create_api_key(
        &self,
        actor: &Actor,
        tenant: TenantId,
        name: &str,
        scopes: &[String],
    ) -> Result<CreatedApiKey, EngineError> {
        self.tenant(tenant).await?;
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
            return Err(EngineError::Invalid {
                field: "name",
                message: "a key name is 1 to 100 printable characters".into(),
            });
        }
        if scopes.is_empty() {
            return Err(EngineError::Invalid {
                field: "scopes",
                message: format!("give the key at least one scope: {}", all_scopes()),
            });
        }
        let mut parsed = Vec::new();
        for s in scopes {
            let scope = Scope::parse(s.trim()).ok_or_else(|| EngineError::Invalid {
                field: "scopes",
                message: format!("`{s}` is not a scope; the scopes are: {}", all_scopes()),
            })?;
            if !parsed.contains(&scope) {
                parsed.push(scope);
            }
        }
        parsed.sort();
        let generated = generate_api_key(&self.master);
        let now = self.clock.now();
        let record = ApiKeyRecord {
            id: ApiKeyId::new(),
            tenant,
            lookup: generated.lookup.clone(),
            secret_hash: generated.secret_hash.to_vec(),
            name: name.to_string(),
            scopes: parsed.iter().map(|s| s.as_str().to_string()).collect(),
            created_at: now,
            revoked_at: None,
        };
        let event = NewAuditEvent {
            at: now,
            actor: actor.to_string(),
            action: "apikey.create".into(),
            tenant: Some(tenant),
            targets: vec![record.id.to_string()],
            purpose: None,
            outcome: Outcome::Success,
            detail: Some(serde_json::json!({ "scopes": record.scopes }).to_string()),
        };
        self.store.create_api_key(&record, &event).await?;
        Ok(CreatedApiKey {
            record,
            token: generated.token.to_string(),
        })
    }

    /// Revokes a key. Revoking a revoked key is not an error; an unknown key is.
    pub async fn revoke_api_key(
        &self,
        actor: &Actor,
        id: ApiKeyId,
    ) -> Result<ApiKeyRecord, EngineError> {
        let record = self
            .store
            .api_key(id)
            .await?
            .ok_or(EngineError::NotFound { kind: "API key" })?;
        let now = self.clock.now();
        let event = NewAuditEvent {
            at: now,
            actor: actor.to_string(),
            action: "apikey.revoke".into(),
            tenant: Some(record.tenant),
            targets: vec![id.to_string()],
            purpose: None,
            outcome: Outcome::Success,
            detail: None,
        };
        self.store.revoke_api_key(id, now, &event).await?;
        self.key_cache
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|_, (r, _)| r.id != id);
        self.store
            .api_key(id)
            .await?
            .ok_or(EngineError::NotFound { kind: "API key" })
    }

    /// A tenant's keys (never their secrets).
    pub async fn api_keys(&self, tenant: TenantId) -> Result<Vec<ApiKeyRecord>, EngineError> {
        self.tenant(tenant).await?;
        Ok(self.store.api_keys(tenant).await?)
    }

    /// Authenticates a bearer token. Unknown and wrong tokens get the same answer; use of a
    /// revoked key is refused and audited.
    pub async fn authenticate(&self, token: &str) -> Result<Principal, EngineError> {
        const UNKNOWN: &str = "the API key is not valid";
        let parsed = parse_api_key(token.trim()).ok_or(EngineError::Unauthenticated(UNKNOWN))?;
        // A token that verified within the last seconds is trusted again without the database
        // or the keyed hash: it is found by its own digest.
        let digest: [u8; 32] = sha2::Sha256::digest(token.trim().as_bytes()).into();
        let cached = self
            .key_cache
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(&digest)
            .filter(|(_, at)| at.elapsed() < KEY_CACHE_FOR)
            .map(|(r, _)| std::sync::Arc::clone(r));
        if let Some(record) = cached {
            return Ok(Principal {
                tenant: record.tenant,
                by: Actor::ApiKey(record.id),
                scopes: record
                    .scopes
                    .iter()
                    .filter_map(|s| Scope::parse(s))
                    .collect(),
                reason: None,
            });
        }
        let record = self
            .store
            .api_key_by_lookup(parsed.lookup)
            .await?
            .ok_or(EngineError::Unauthenticated(UNKNOWN))?;
        if !parsed.secret.matches(&self.master, &record.secret_hash) {
            return Err(EngineError::Unauthenticated(UNKNOWN));
        }
        if record.revoked_at.is_none() {
            let mut cache = self.key_cache.write().unwrap_or_else(|e| e.into_inner());
            if cache.len() > 10_000 {
                cache.retain(|_, (_, at)| at.elapsed() < KEY_CACHE_FOR);
            }
            cache.insert(
                digest,
                (
                    std::sync::Arc::new(record.clone()),
                    std::time::Instant::now(),
                ),
            );
        }
        if record.revoked_at.is_some() {
            self.store
                .append_audit(&NewAuditEvent {
                    at: self.clock.now(),
                    actor: Actor::ApiKey(record.id).to_string(),
                    action: "apikey.use".into(),
                    tenant: Some(record.tenant),
                    targets: vec![record.id.to_string()],
                    purpose: None,
                    outcome: Outcome::Denied,
                    detail: Some(r#"{"reason":"revoked"}"#.into()),
                })
                .await?;
            return Err(EngineError::Unauthenticated("this API key was revoked"));
        }
        Ok(Principal {
            tenant: record.tenant,
            by: Actor::ApiKey(record.id),
            scopes: record
                .scopes
                .iter()
                .filter_map(|s| Scope::parse(s))
                .collect(),
            reason: None,
        })
    }
}

fn all_scopes() -> String {
    Scope::ALL
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}
