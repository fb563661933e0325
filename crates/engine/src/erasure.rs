//! Crypto-erasure: destroying subject and bucket keys so that every record they protect becomes
//! unreadable, in every copy of the data.
//!
//! A destruction is first appended to the erasure log in the data store, with its audit event
//! (the durable intent), and only then carried out in the key store. The key store keeps a
//! cursor of the last log entry it has applied; [`Engine::replay_destructions`] applies the
//! entries after it. So a crash between the two steps, or a key store restored from a copy
//! older than some destructions, is put right by a replay, which `serve` runs before serving.

use std::collections::{BTreeSet, HashMap};

use custodian_core::{SubjectId, TenantId};
use custodian_policy::model::KeyScope;
use custodian_store::{KeyDestruction, KeyRef, NewAuditEvent, NewKeyDestruction, Outcome};
use serde::Serialize;

use crate::{Actor, Engine, EngineError};

/// Why keys are destroyed, as the erasure log and the audit log record it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DestroyReason {
    /// The data subject's erasure request.
    Erasure,
    /// The end of the retention period (of a bucket, or of a legal duty).
    Expiry,
    /// A staff order outside the retention schedule, approved by a second person (a tenant's
    /// purge, a destruction ordered on a case).
    Order,
}

impl DestroyReason {
    /// The written form (`erasure`, `expiry`).
    pub fn as_str(self) -> &'static str {
        match self {
            DestroyReason::Erasure => "erasure",
            DestroyReason::Expiry => "expiry",
            DestroyReason::Order => "order",
        }
    }
}

/// What a call to destroy keys did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Destroyed {
    /// Entries appended to the erasure log: one per key named, present or not.
    pub logged: u64,
    /// Keys that were present and are now destroyed.
    pub destroyed: u64,
}

/// What a replay of the erasure log did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Replayed {
    /// The key store's cursor before: the last entry it had applied.
    pub from: i64,
    /// Entries read (those after the cursor).
    pub read: u64,
    /// Keys destroyed now: present again (a restored key store) or still (a crash between
    /// logging and destroying).
    pub destroyed: u64,
    /// The cursor after: every entry up to it is applied.
    pub through: i64,
}

/// How far the key store has applied the erasure log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ErasureLogStatus {
    /// The newest entry of the log (its number; 0 for an empty log).
    pub logged: i64,
    /// The last entry the key store has applied.
    pub replayed_through: i64,
}

impl ErasureLogStatus {
    /// Entries a replay would read.
    pub fn pending(&self) -> u64 {
        u64::try_from(self.logged - self.replayed_through).unwrap_or(0)
    }
}

/// Keys named per log append (one transaction and one audit event each).
const LOG_CHUNK: usize = 1_000;
/// Entries read per page while replaying.
const REPLAY_PAGE: u32 = 1_000;

fn scope_name(scope: KeyScope) -> &'static str {
    match scope {
        KeyScope::Erasable => "erasable",
        KeyScope::Legal => "legal",
    }
}

impl Engine {
    /// Destroys the keys of `scopes` of every subject in `subjects` (one tenant), making their
    /// records of those scopes unreadable everywhere. Each key is logged (one entry per subject
    /// and scope, present or not), then destroyed; a key already gone is fine, so a retried
    /// call is harmless. Large batches are logged and destroyed a thousand keys at a time.
    pub async fn destroy_subject_keys(
        &self,
        actor: &Actor,
        tenant: TenantId,
        subjects: &[SubjectId],
        scopes: &[KeyScope],
        reason: DestroyReason,
    ) -> Result<Destroyed, EngineError> {
        let subjects: Vec<SubjectId> = subjects
            .iter()
            .copied()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let scopes: BTreeSet<&'static str> = scopes.iter().map(|s| scope_name(*s)).collect();
        let mut total = Destroyed::default();
        if scopes.is_empty() {
            return Ok(total);
        }
        for chunk in subjects.chunks((LOG_CHUNK / scopes.len()).max(1)) {
            let present: HashMap<(SubjectId, String), Vec<u8>> = self
                .keys
                .subject_keys(tenant, chunk)
                .await?
                .into_iter()
                .map(|k| ((k.subject, k.scope), k.wrapped))
                .collect();
            let mut targets = Vec::with_capacity(chunk.len() * scopes.len());
            for subject in chunk {
                for scope in &scopes {
                    let digest = present
                        .get(&(*subject, scope.to_string()))
                        .map(|w| custodian_store::key_digest(w));
                    let key = KeyRef::Subject {
                        subject: *subject,
                        scope: scope.to_string(),
                    };
                    targets.push((key, digest));
                }
            }
            let done = self.destroy(actor, tenant, targets, reason).await?;
            total.logged += done.logged;
            total.destroyed += done.destroyed;
        }
        Ok(total)
    }

    /// Destroys the keys of retention buckets of a tenant (`<rule>/<expiry day>`), making every
    /// record filed in them unreadable everywhere. Logged first, like
    /// [`Engine::destroy_subject_keys`]; a bucket without a key is fine.
    pub async fn destroy_bucket_keys(
        &self,
        actor: &Actor,
        tenant: TenantId,
        buckets: &[String],
        reason: DestroyReason,
    ) -> Result<Destroyed, EngineError> {
        let buckets: Vec<String> = buckets
            .iter()
            .cloned()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut total = Destroyed::default();
        for chunk in buckets.chunks(LOG_CHUNK) {
            let present: HashMap<String, Vec<u8>> = self
                .keys
                .bucket_keys(tenant, chunk)
                .await?
                .into_iter()
                .map(|k| (k.bucket, k.wrapped))
                .collect();
            let targets = chunk
                .iter()
                .map(|b| {
                    let digest = present.get(b).map(|w| custodian_store::key_digest(w));
                    (KeyRef::Bucket(b.clone()), digest)
                })
                .collect();
            let done = self.destroy(actor, tenant, targets, reason).await?;
            total.logged += done.logged;
            total.destroyed += done.destroyed;
        }
        Ok(total)
    }

    /// Logs, then destroys. The order is what makes a crash safe: whatever is logged is
    /// destroyed by the next replay if not now.
    async fn destroy(
        &self,
        actor: &Actor,
        tenant: TenantId,
        targets: Vec<(KeyRef, Option<[u8; 32]>)>,
        reason: DestroyReason,
    ) -> Result<Destroyed, EngineError> {
        if targets.is_empty() {
            return Ok(Destroyed::default());
        }
        let now = self.clock.now();
        let audit_targets: Vec<String> = targets.iter().map(|(k, _)| k.to_string()).collect();
        let entries: Vec<NewKeyDestruction> = targets
            .into_iter()
            .map(|(key, key_digest)| NewKeyDestruction {
                tenant,
                key,
                key_digest,
                reason: reason.as_str().to_string(),
                at: now,
            })
            .collect();
        let present = entries.iter().filter(|e| e.key_digest.is_some()).count();
        let audit = NewAuditEvent {
            at: now,
            actor: actor.to_string(),
            action: "keys.destroy".into(),
            tenant: Some(tenant),
            targets: audit_targets,
            purpose: None,
            outcome: Outcome::Success,
            detail: Some(
                serde_json::json!({
                    "reason": reason.as_str(),
                    "keys": entries.len(),
                    "present": present,
                })
                .to_string(),
            ),
        };
        // 1. The durable intent: the log entries and their audit event, in one transaction.
        let logged = self.store.log_key_destructions(&entries, &audit).await?;
        let Some(first) = logged.first().map(|e| e.seq) else {
            return Ok(Destroyed::default());
        };
        // 2. The keys. If the process dies before this, the entries stay after the key store's
        //    cursor and the next replay destroys the keys.
        let applied = self.keys.apply_destructions(&logged, first - 1).await?;
        Ok(Destroyed {
            logged: logged.len() as u64,
            destroyed: applied.destroyed,
        })
    }

    /// Applies every entry of the erasure log after the key store's cursor, destroying the keys
    /// still (or again) present, and moves the cursor on. After a restore of an older key-store
    /// copy this destroys exactly the keys destroyed since that copy was made; otherwise it
    /// finds nothing or finishes what a crash interrupted. Safe to run at any time, by any
    /// number of replicas; a key made after its entry was logged is never touched.
    pub async fn replay_destructions(&self, actor: &Actor) -> Result<Replayed, EngineError> {
        // The cursor before the head: every entry up to a cursor was committed before it moved,
        // so a head read afterwards is never behind a consistent cursor.
        let mut cursor = self.keys.replayed_through().await?;
        let head = self.store.key_destructions_head().await?;
        if cursor > head {
            tracing::warn!(
                replayed_through = cursor,
                logged = head,
                "the key store has applied more of the erasure log than the data store holds: \
                 the data store is older than the key store; replaying from the log's end"
            );
            self.keys.rewind_replay_cursor(head).await?;
            cursor = head;
        }
        let mut report = Replayed {
            from: cursor,
            through: cursor,
            ..Replayed::default()
        };
        loop {
            let page: Vec<KeyDestruction> =
                self.store.key_destructions(cursor, REPLAY_PAGE).await?;
            let Some(last) = page.last().map(|e| e.seq) else {
                break;
            };
            let applied = self.keys.apply_destructions(&page, cursor).await?;
            report.read += page.len() as u64;
            report.destroyed += applied.destroyed;
            cursor = last;
        }
        report.through = cursor;
        if report.destroyed > 0 {
            self.store
                .append_audit(&NewAuditEvent {
                    at: self.clock.now(),
                    actor: actor.to_string(),
                    action: "keys.replay".into(),
                    tenant: None,
                    targets: Vec::new(),
                    purpose: None,
                    outcome: Outcome::Success,
                    detail: Some(
                        serde_json::to_string(&report).map_err(|e| {
                            EngineError::Unavailable(format!("a replay report: {e}"))
                        })?,
                    ),
                })
                .await?;
        }
        Ok(report)
    }

    /// How far the key store has applied the erasure log.
    pub async fn erasure_log_status(&self) -> Result<ErasureLogStatus, EngineError> {
        let replayed_through = self.keys.replayed_through().await?;
        let logged = self.store.key_destructions_head().await?;
        Ok(ErasureLogStatus {
            logged,
            replayed_through,
        })
    }
}
