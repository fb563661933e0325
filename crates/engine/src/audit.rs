use custodian_core::TenantId;
use custodian_store::audit::{Break, Verifier};
use custodian_store::{AuditEvent, AuditFilter, NewAuditEvent};
use custodian_vault::MasterKey;
use serde::Serialize;

use crate::{Engine, EngineError, chain_key};

/// The result of checking the whole audit chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainVerdict {
    /// Every link holds.
    Intact,
    /// The first broken link.
    Broken(Break),
}

/// What `audit verify` reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditReport {
    /// Events checked before the verdict.
    pub checked: u64,
    /// The newest event's position according to the stored head.
    pub head_seq: i64,
    /// The newest seal, hex: publish it elsewhere to anchor the chain.
    pub head_hash: String,
    /// The verdict.
    pub verdict: ChainVerdict,
}

/// How many events are read per page while verifying.
const PAGE: u32 = 5_000;

impl Engine {
    /// Appends an audit event. A failed write is an error for the caller: an action whose
    /// event cannot be written must not proceed.
    pub async fn record_event(&self, event: NewAuditEvent) -> Result<AuditEvent, EngineError> {
        Ok(self.store.append_audit(&event).await?)
    }

    /// A tenant's own audit events, in chain order.
    pub async fn tenant_audit_events(
        &self,
        tenant: TenantId,
        after_seq: i64,
        limit: u32,
    ) -> Result<Vec<AuditEvent>, EngineError> {
        Ok(self
            .store
            .audit_events(&AuditFilter {
                after_seq,
                limit,
                tenant: Some(tenant),
                ..AuditFilter::default()
            })
            .await?)
    }

    /// Checks the whole chain, page by page, in constant memory.
    pub async fn verify_audit(&self) -> Result<AuditReport, EngineError> {
        verify(self.store.as_ref(), &self.master).await
    }
}

async fn verify(
    store: &dyn custodian_store::Store,
    master: &MasterKey,
) -> Result<AuditReport, EngineError> {
    let key = chain_key(master);
    let head = store.audit_head().await?;
    let mut verifier = Verifier::new(&key);
    let mut after = 0;
    'pages: loop {
        let page = store
            .audit_events(&AuditFilter {
                after_seq: after,
                limit: PAGE,
                tenant: None,
                ..AuditFilter::default()
            })
            .await?;
        let Some(last) = page.last() else { break };
        after = last.seq;
        for event in &page {
            if !verifier.next(event) {
                break 'pages;
            }
        }
    }
    let head_hash = head.hash.iter().map(|b| format!("{b:02x}")).collect();
    let (checked, verdict) = match verifier.finish(&head) {
        Ok(n) => (n, ChainVerdict::Intact),
        Err(b) => {
            let checked = match &b {
                Break::Missing { expected, .. } => (*expected - 1) as u64,
                Break::NotLinked { seq } | Break::Edited { seq } => (*seq - 1).max(0) as u64,
                Break::HeadMismatch { last_seq, .. } => *last_seq as u64,
            };
            (checked, ChainVerdict::Broken(b))
        }
    };
    Ok(AuditReport {
        checked,
        head_seq: head.seq,
        head_hash,
        verdict,
    })
}

impl Serialize for ChainVerdict {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            ChainVerdict::Intact => s.serialize_str("intact"),
            ChainVerdict::Broken(b) => s.serialize_str(&b.to_string()),
        }
    }
}
