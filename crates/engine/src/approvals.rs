//! The four-eyes actions themselves: asked for with their parameters checked up front, run
//! once by the person who asked after a second person approved them.

use custodian_core::{SubjectId, TenantId};
use custodian_policy::model::KeyScope;
use custodian_store::{
    AccountChange, AccountRow, ApprovalRow, NewAuditEvent, Outcome, Publication,
};
use serde::Serialize;
use uuid::Uuid;

use crate::access::Action;
use crate::records::OpenRecord;
use crate::{Actor, DestroyReason, Destroyed, Engine, EngineError, Principal, Scope};

/// What an approved action did.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Executed {
    /// A policy version was published.
    Published {
        /// The version.
        label: String,
        /// The day it takes effect.
        effective_on: String,
    },
    /// Every key of a tenant was destroyed.
    Purged {
        /// The tenant.
        tenant: TenantId,
        /// Retention buckets whose keys were destroyed.
        buckets: u64,
        /// Keys destroyed.
        keys_destroyed: u64,
        /// API keys revoked.
        api_keys_revoked: u64,
        /// Accounts locked.
        accounts_locked: u64,
    },
    /// Subjects' keys were destroyed.
    Destroyed {
        /// The tenant.
        tenant: TenantId,
        /// What was destroyed.
        destroyed: Destroyed,
    },
    /// A tenant's records were exported.
    Exported {
        /// The tenant.
        tenant: TenantId,
        /// The records.
        records: Vec<OpenRecord>,
    },
}

fn invalid(field: &'static str, message: impl Into<String>) -> EngineError {
    EngineError::Invalid {
        field,
        message: message.into(),
    }
}

fn scope_of(s: &str) -> Option<KeyScope> {
    match s {
        "erasable" => Some(KeyScope::Erasable),
        "legal" => Some(KeyScope::Legal),
        _ => None,
    }
}

impl Engine {
    /// Asks for a four-eyes action other than a disclosure release (that one goes through its
    /// case): `publish-policy` (`{"version", "effective"?}`), `purge-tenant`, `destroy-keys`
    /// (`{"subjects": [...], "scopes": ["erasable", "legal"]}`) or `bulk-export`
    /// (`{"purpose"}`); the tenant is needed for all but the policy.
    pub async fn request_four_eyes(
        &self,
        who: &AccountRow,
        kind: &str,
        tenant: Option<TenantId>,
        payload: serde_json::Value,
        reason: &str,
    ) -> Result<ApprovalRow, EngineError> {
        let action = Action::parse(kind)
            .filter(|a| a.four_eyes() && *a != Action::ReleaseDisclosure)
            .ok_or_else(|| {
                invalid(
                    "kind",
                    "use publish-policy, purge-tenant, destroy-keys or bulk-export (a disclosure release is asked for on its case)",
                )
            })?;
        let field = |name: &str| {
            payload
                .get(name)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let target = match action {
            Action::PublishPolicy => {
                let version = field("version")
                    .ok_or_else(|| invalid("payload.version", "name the version to publish"))?;
                if self.policy.version(&version).is_none() {
                    return Err(invalid(
                        "payload.version",
                        format!(
                            "the policy has no version `{version}`; its versions are: {}",
                            self.policy.labels().join(", ")
                        ),
                    ));
                }
                if let Some(effective) = field("effective")
                    && effective.parse::<jiff::civil::Date>().is_err()
                {
                    return Err(invalid(
                        "payload.effective",
                        "give the effective day as YYYY-MM-DD",
                    ));
                }
                format!("policy:{version}")
            }
            _ => {
                let tenant = tenant.ok_or_else(|| invalid("tenant", "name the tenant"))?;
                self.tenant(tenant).await?;
                if action == Action::DestroyKeys {
                    let subjects = payload
                        .get("subjects")
                        .and_then(|v| v.as_array())
                        .filter(|a| !a.is_empty() && a.len() <= 10_000)
                        .ok_or_else(|| {
                            invalid("payload.subjects", "name 1 to 10 000 subject ids")
                        })?;
                    for s in subjects {
                        if s.as_str()
                            .and_then(|s| s.parse::<SubjectId>().ok())
                            .is_none()
                        {
                            return Err(invalid(
                                "payload.subjects",
                                format!("`{s}` is not a subject id"),
                            ));
                        }
                    }
                    let scopes = payload
                        .get("scopes")
                        .and_then(|v| v.as_array())
                        .filter(|a| !a.is_empty())
                        .ok_or_else(|| {
                            invalid("payload.scopes", "name the key scopes: erasable, legal")
                        })?;
                    if scopes
                        .iter()
                        .any(|s| s.as_str().and_then(scope_of).is_none())
                    {
                        return Err(invalid(
                            "payload.scopes",
                            "the key scopes are erasable and legal",
                        ));
                    }
                }
                if action == Action::BulkExport {
                    let purpose = field("purpose").ok_or_else(|| {
                        invalid(
                            "payload.purpose",
                            "say for which purpose the data is exported",
                        )
                    })?;
                    self.read_purpose(&purpose)?;
                }
                format!("tenant:{tenant}")
            }
        };
        self.request_approval(who, action, &target, tenant, payload, reason)
            .await
    }

    /// Runs an approved request, once, for the person who asked.
    pub async fn execute_approval(
        &self,
        who: &AccountRow,
        id: Uuid,
    ) -> Result<Executed, EngineError> {
        let approval = self.approval(who, id).await?;
        let action = Action::parse(&approval.kind)
            .filter(|a| a.four_eyes() && *a != Action::ReleaseDisclosure)
            .ok_or_else(|| {
                invalid(
                    "approval",
                    format!("a `{}` request is not carried out here", approval.kind),
                )
            })?;
        let payload: serde_json::Value =
            serde_json::from_str(&approval.payload).unwrap_or(serde_json::Value::Null);
        self.claim_approved(who, id, action, serde_json::json!({ "started": true }))
            .await?;
        let actor = Actor::Account(who.id);
        let text = |name: &str| {
            payload
                .get(name)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        match action {
            Action::PublishPolicy => {
                let version = text("version").unwrap_or_default();
                let effective = text("effective").and_then(|e| e.parse().ok());
                let Publication {
                    label,
                    effective_on,
                    ..
                } = self.publish_policy(&actor, &version, effective).await?;
                Ok(Executed::Published {
                    label,
                    effective_on: effective_on.to_string(),
                })
            }
            Action::PurgeTenant => {
                let tenant = approval
                    .tenant
                    .ok_or_else(|| invalid("tenant", "the request names no tenant"))?;
                self.purge_tenant(&actor, tenant, id).await
            }
            Action::DestroyKeys => {
                let tenant = approval
                    .tenant
                    .ok_or_else(|| invalid("tenant", "the request names no tenant"))?;
                let subjects: Vec<SubjectId> = payload
                    .get("subjects")
                    .and_then(|v| v.as_array())
                    .map(|a| {
                        a.iter()
                            .filter_map(|s| s.as_str().and_then(|s| s.parse().ok()))
                            .collect()
                    })
                    .unwrap_or_default();
                let scopes: Vec<KeyScope> = payload
                    .get("scopes")
                    .and_then(|v| v.as_array())
                    .map(|a| {
                        a.iter()
                            .filter_map(|s| s.as_str().and_then(scope_of))
                            .collect()
                    })
                    .unwrap_or_default();
                let destroyed = self
                    .destroy_subject_keys(&actor, tenant, &subjects, &scopes, DestroyReason::Order)
                    .await?;
                Ok(Executed::Destroyed { tenant, destroyed })
            }
            Action::BulkExport => {
                let tenant = approval
                    .tenant
                    .ok_or_else(|| invalid("tenant", "the request names no tenant"))?;
                let purpose = text("purpose").unwrap_or_default();
                let principal = Principal {
                    tenant,
                    by: actor,
                    scopes: vec![Scope::RecordsRead],
                    reason: Some(format!("bulk export, approval {id}")),
                };
                let mut records = Vec::new();
                let mut after = None;
                loop {
                    let (page, cursor) =
                        self.export_page(&principal, None, &purpose, after).await?;
                    records.extend(page);
                    match cursor {
                        Some(c) => after = Some(c),
                        None => break,
                    }
                }
                Ok(Executed::Exported { tenant, records })
            }
            _ => Err(invalid("approval", "this request is not carried out here")),
        }
    }

    /// Destroys every bucket key of a tenant (all its records become unreadable), revokes its
    /// API keys and locks its accounts.
    async fn purge_tenant(
        &self,
        actor: &Actor,
        tenant: TenantId,
        approval: Uuid,
    ) -> Result<Executed, EngineError> {
        let mut buckets = Vec::new();
        for b in self.store.buckets(Some(tenant), u32::MAX).await? {
            buckets.push(b.name);
        }
        let destroyed = self
            .destroy_bucket_keys(actor, tenant, &buckets, DestroyReason::Order)
            .await?;
        let mut api_keys_revoked = 0;
        for key in self.store.api_keys(tenant).await? {
            if key.revoked_at.is_none() {
                self.revoke_api_key(actor, key.id).await?;
                api_keys_revoked += 1;
            }
        }
        let now = self.clock.now();
        let mut accounts_locked = 0;
        for account in self.store.accounts(Some(tenant)).await? {
            if account.locked_at.is_some() {
                continue;
            }
            let audit = NewAuditEvent {
                at: now,
                actor: actor.to_string(),
                action: "account.lock".into(),
                tenant: Some(tenant),
                targets: vec![format!("account:{}", account.id)],
                purpose: None,
                outcome: Outcome::Success,
                detail: Some(
                    serde_json::json!({ "why": "tenant purged", "approval": approval }).to_string(),
                ),
            };
            if self
                .store
                .change_account(
                    account.id,
                    &AccountChange::Locked {
                        at: now,
                        reason: "the tenant was purged".into(),
                        must_reset: false,
                    },
                    None,
                    Some(&audit),
                )
                .await?
            {
                accounts_locked += 1;
            }
        }
        self.store
            .append_audit(&NewAuditEvent {
                at: now,
                actor: actor.to_string(),
                action: "tenant.purge".into(),
                tenant: Some(tenant),
                targets: vec![format!("tenant:{tenant}"), format!("approval:{approval}")],
                purpose: None,
                outcome: Outcome::Success,
                detail: Some(
                    serde_json::json!({
                        "buckets": buckets.len(),
                        "keys_destroyed": destroyed.destroyed,
                        "api_keys_revoked": api_keys_revoked,
                        "accounts_locked": accounts_locked,
                    })
                    .to_string(),
                ),
            })
            .await?;
        Ok(Executed::Purged {
            tenant,
            buckets: buckets.len() as u64,
            keys_destroyed: destroyed.destroyed,
            api_keys_revoked,
            accounts_locked,
        })
    }
}
