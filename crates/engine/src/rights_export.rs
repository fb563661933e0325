//! The answer to an access or portability request: the subject's records as a ZIP (JSON, a
//! CSV per product, a readable index in the requester's language), streamed a page at a time
//! so memory stays bounded whatever the number of records.

use std::io::Write;
use std::sync::{Arc, Mutex};

use custodian_core::{RecordId, SubjectId, TenantId};
use custodian_store::{RecordQuery, RightsRequestRow};
use tokio::sync::mpsc;
use uuid::Uuid;

use crate::bundle::{Bundle, IndexText, Retained};
use crate::rights::{Right, day_of, state};
use crate::{Actor, Engine, EngineError, Principal, Scope};

/// Records read per page (one audit event each; a page of opened records is a few megabytes).
const PAGE: u32 = 5_000;

/// What an export holds.
#[derive(Debug, Clone)]
pub struct ExportSource {
    /// The request (its reference).
    pub request: Uuid,
    /// The subjects, each in its tenant.
    pub subjects: Vec<(TenantId, SubjectId)>,
    /// The requester's language.
    pub locale: String,
}

/// Bytes the bundle wrote since the last take.
#[derive(Clone, Default)]
struct Spool(Arc<Mutex<Vec<u8>>>);

impl Write for Spool {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .map_err(|_| std::io::Error::other("the export buffer is poisoned"))?
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Spool {
    fn take(&self) -> Vec<u8> {
        self.0
            .lock()
            .map(|mut b| std::mem::take(&mut *b))
            .unwrap_or_default()
    }
}

/// Who reads the records of an export: Custodian, for the request.
fn reader(tenant: TenantId, request: Uuid) -> Principal {
    Principal {
        tenant,
        by: Actor::System,
        scopes: vec![Scope::RecordsRead],
        reason: Some(format!("data subject request {request}")),
    }
}

fn exportable(
    row: &RightsRequestRow,
    now: jiff::Timestamp,
    until: Option<jiff::Timestamp>,
) -> bool {
    let right = Right::parse(&row.right);
    matches!(right, Some(Right::Access | Right::Portability))
        && matches!(
            row.state.as_str(),
            state::FULFILLED | state::PARTIALLY_FULFILLED
        )
        && until.is_some_and(|u| now < u)
}

impl Engine {
    /// The export of a fulfilled access or portability request of the principal's tenant.
    pub async fn tenant_export(
        &self,
        principal: &Principal,
        id: Uuid,
    ) -> Result<ExportSource, EngineError> {
        principal.require(Scope::RequestsRead)?;
        let row = self.owned_request(principal.tenant, id).await?;
        let detail = self.open_detail(&row)?;
        if !exportable(&row, self.clock.now(), detail.answer.export_until) {
            return Err(EngineError::NotFound { kind: "export" });
        }
        Ok(ExportSource {
            request: row.id,
            subjects: row.tenant.zip(row.subject).into_iter().collect(),
            locale: row.locale.clone(),
        })
    }

    /// The export of a fulfilled request to the platform, for its requester holding the
    /// status token: the data the platform itself controls (customers answer for theirs).
    pub async fn public_export(&self, id: Uuid, token: &str) -> Result<ExportSource, EngineError> {
        let view = self.public_request(id, token).await?;
        let row = self.row_of(view.id).await?;
        if !exportable(&row, self.clock.now(), view.detail.answer.export_until) {
            return Err(EngineError::NotFound { kind: "export" });
        }
        let subjects = self
            .child_requests(id)
            .await?
            .into_iter()
            .filter(|c| c.channel != crate::rights::Channel::Routed.as_str())
            .filter_map(|c| c.tenant.zip(c.subject))
            .collect();
        Ok(ExportSource {
            request: row.id,
            subjects,
            locale: row.locale.clone(),
        })
    }

    /// Writes the export to `out` a chunk at a time; a closed receiver ends it quietly.
    pub async fn stream_export(
        &self,
        source: &ExportSource,
        text: &IndexText<'_>,
        out: mpsc::Sender<Vec<u8>>,
    ) -> Result<(), EngineError> {
        let io = |e: std::io::Error| EngineError::Unavailable(format!("the export failed: {e}"));
        let spool = Spool::default();
        let mut bundle = Bundle::new(spool.clone(), &source.request.to_string(), self.clock.now())
            .map_err(io)?;
        let send = |bytes: Vec<u8>| {
            let out = out.clone();
            async move { bytes.is_empty() || out.send(bytes).await.is_ok() }
        };
        let mut retained = Vec::new();
        let mut categories: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> =
            std::collections::BTreeMap::new();
        for (tenant, subject) in &source.subjects {
            let principal = reader(*tenant, source.request);
            let mut after: Option<RecordId> = None;
            loop {
                let rows = self
                    .store
                    .records(&RecordQuery {
                        tenant: *tenant,
                        subject: Some(*subject),
                        product: None,
                        after,
                        limit: PAGE,
                        include_superseded: false,
                    })
                    .await?;
                let full = rows.len() == PAGE as usize;
                after = rows.last().map(|r| r.id);
                for r in &rows {
                    categories
                        .entry(r.product.clone())
                        .or_default()
                        .extend(r.categories.iter().cloned());
                    if r.key_scope == "legal" {
                        retained.push(Retained {
                            category: r.categories.join(", "),
                            until: r
                                .expires_at
                                .map(|t| day_of(t).to_string())
                                .unwrap_or_default(),
                            why: r.retention_rule.clone(),
                        });
                    }
                }
                let open = self.open_rows(&principal, "rights-requests", rows).await?;
                bundle.json_records(&open).map_err(io)?;
                if !send(spool.take()).await {
                    return Ok(());
                }
                if !full {
                    break;
                }
            }
        }
        for (product, cats) in &categories {
            let cats: Vec<String> = cats.iter().cloned().collect();
            bundle.begin_csv(product, &cats).map_err(io)?;
            for (tenant, subject) in &source.subjects {
                let principal = reader(*tenant, source.request);
                let mut after: Option<RecordId> = None;
                loop {
                    let rows = self
                        .store
                        .records(&RecordQuery {
                            tenant: *tenant,
                            subject: Some(*subject),
                            product: Some(product.clone()),
                            after,
                            limit: PAGE,
                            include_superseded: false,
                        })
                        .await?;
                    let full = rows.len() == PAGE as usize;
                    after = rows.last().map(|r| r.id);
                    let open = self.open_rows(&principal, "rights-requests", rows).await?;
                    bundle.csv_records(&open, text.erased).map_err(io)?;
                    if !send(spool.take()).await {
                        return Ok(());
                    }
                    if !full {
                        break;
                    }
                }
            }
        }
        retained.sort_by(|a, b| (&a.category, &a.why).cmp(&(&b.category, &b.why)));
        retained.dedup_by(|a, b| a.category == b.category && a.why == b.why);
        bundle.finish(text, &retained).map_err(io)?;
        send(spool.take()).await;
        Ok(())
    }
}
