//! The bulk request API (the 2020 statement's "Data Request API"): a customer files one right
//! for many subjects in one call; the requests are stored with their job in one transaction and
//! worked through in the background, each exactly like a single request. The job's status
//! counts its requests by state. A job a stop interrupted is resumed at the next start.

use std::collections::{BTreeMap, BTreeSet};

use custodian_store::{RightsFilter, RightsJobRow};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::rights::{Channel, Handler, NewRequest, Requester, Right, state};
use crate::{Engine, EngineError, Principal, Scope};

/// The most subjects one bulk call may carry.
pub const MAX_BULK: usize = 10_000;
/// Requests of a job carried out at the same time.
const JOB_WORKERS: usize = 4;

/// One subject of a bulk request.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BulkSubject {
    /// How the person is identified.
    #[serde(default)]
    pub identifiers: BTreeMap<String, String>,
    /// Or the subject's id.
    pub subject: Option<custodian_core::SubjectId>,
    /// Where the person's confirmation goes, if it should go to them.
    pub email: Option<String>,
}

/// A bulk job as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JobView {
    /// Its id.
    pub id: Uuid,
    /// The right.
    pub right: String,
    /// When it was submitted.
    pub created_at: Timestamp,
    /// How many requests it holds.
    pub total: i64,
    /// Its requests by state.
    pub states: BTreeMap<String, i64>,
    /// How many are closed.
    pub done: i64,
    /// When the last was handled.
    pub finished_at: Option<Timestamp>,
}

impl Engine {
    /// Files one right for many subjects as a job (the caller then runs it: [`Engine::spawn_job`]
    /// in the background, or [`Engine::run_job`]). Every subject is checked before anything is
    /// stored: one bad entry refuses the call, naming it.
    pub async fn submit_bulk(
        &self,
        principal: &Principal,
        right: &str,
        regime: Option<String>,
        subjects: Vec<BulkSubject>,
    ) -> Result<JobView, EngineError> {
        principal.require(Scope::RequestsWrite)?;
        let parsed = Right::parse(right).ok_or_else(|| EngineError::Invalid {
            field: "right",
            message: format!(
                "`{right}` is not a right; the rights are: {}",
                Right::ALL.map(Right::as_str).join(", ")
            ),
        })?;
        if matches!(parsed, Right::Objection | Right::Rectification) {
            return Err(EngineError::Invalid {
                field: "right",
                message: "objections and rectifications are decided one by one; file them singly"
                    .into(),
            });
        }
        if subjects.is_empty() {
            return Err(EngineError::Invalid {
                field: "subjects",
                message: "give at least one subject".into(),
            });
        }
        if subjects.len() > MAX_BULK {
            return Err(EngineError::TooLarge(format!(
                "{} subjects; at most {MAX_BULK} per call",
                subjects.len()
            )));
        }
        let tenant = self.tenant(principal.tenant).await?;
        let by = principal.actor().to_string();
        let now = self.clock.now();
        let job = RightsJobRow {
            id: Uuid::now_v7(),
            tenant: tenant.id,
            right: parsed.as_str().into(),
            created_at: now,
            total: subjects.len() as i64,
            finished_at: None,
        };
        let mut rows = Vec::with_capacity(subjects.len());
        for (i, s) in subjects.into_iter().enumerate() {
            for (kind, value) in &s.identifiers {
                crate::identifiers::Identifier::parse(
                    kind,
                    value,
                    tenant.default_region.as_deref(),
                )
                .map_err(|e| EngineError::InvalidField {
                    field: format!("subjects[{i}].identifiers.{kind}"),
                    message: e.0,
                })?;
            }
            let (mut row, _, _) = self
                .new_row(
                    Some(tenant.id),
                    Channel::Bulk,
                    NewRequest {
                        right: parsed.as_str().into(),
                        regime: regime.clone(),
                        requester: Requester {
                            email: s.email,
                            ..Requester::default()
                        },
                        identifiers: s.identifiers,
                        subject: s.subject,
                        ..NewRequest::default()
                    },
                    state::IN_PROGRESS,
                    &by,
                )
                .map_err(|e| match e {
                    EngineError::Invalid { field, message } => EngineError::InvalidField {
                        field: format!("subjects[{i}].{field}"),
                        message,
                    },
                    other => other,
                })?;
            row.verified_at = Some(now);
            row.job = Some(job.id);
            rows.push(row);
        }
        let audit = custodian_store::NewAuditEvent {
            at: now,
            actor: by,
            action: "request.bulk".into(),
            tenant: Some(tenant.id),
            targets: vec![job.id.to_string()],
            purpose: Some("rights-requests".into()),
            outcome: custodian_store::Outcome::Success,
            detail: Some(serde_json::json!({ "right": job.right, "total": job.total }).to_string()),
        };
        self.store
            .create_rights_requests(Some(&job), &rows, &[], &audit)
            .await?;
        self.job_view(&job).await
    }

    /// Works through a job in the background.
    pub fn spawn_job(&self, id: Uuid) {
        let engine = self.clone();
        tokio::spawn(async move {
            if let Err(e) = engine.run_job(id).await {
                tracing::warn!(job = %id, error = %e, "a bulk job stopped; it resumes at the next start");
            }
        });
    }

    /// Resumes the jobs a stop interrupted; returns how many.
    pub async fn resume_jobs(&self) -> Result<usize, EngineError> {
        let jobs = self.store.unfinished_rights_jobs().await?;
        for j in &jobs {
            self.spawn_job(j.id);
        }
        Ok(jobs.len())
    }

    /// Carries out every request of a job still in progress, then marks it finished. A request
    /// that fails is left in progress (and logged) for staff; the rest go on.
    pub async fn run_job(&self, id: Uuid) -> Result<(), EngineError> {
        let mut failed: BTreeSet<Uuid> = BTreeSet::new();
        loop {
            let page = self
                .store
                .rights_requests(&RightsFilter {
                    job: Some(id),
                    state: Some(state::IN_PROGRESS.into()),
                    by_due: true,
                    limit: 1_000,
                    ..RightsFilter::default()
                })
                .await?;
            let todo: Vec<_> = page
                .into_iter()
                .filter(|r| !failed.contains(&r.id))
                .collect();
            if todo.is_empty() {
                break;
            }
            // A few requests at a time: lookups and crypto of one overlap the writes of
            // another.
            let mut running: tokio::task::JoinSet<(Uuid, bool)> = tokio::task::JoinSet::new();
            for row in todo {
                while running.len() >= JOB_WORKERS {
                    if let Some(Ok((rid, ok))) = running.join_next().await
                        && !ok
                    {
                        failed.insert(rid);
                    }
                }
                let engine = self.clone();
                running.spawn(async move {
                    let rid = row.id;
                    (rid, engine.run_one(row).await)
                });
            }
            while let Some(done) = running.join_next().await {
                if let Ok((rid, false)) = done {
                    failed.insert(rid);
                }
            }
        }
        self.store.finish_rights_job(id, self.clock.now()).await?;
        Ok(())
    }

    /// Carries out one request of a job; whether it closed.
    async fn run_one(&self, mut row: custodian_store::RightsRequestRow) -> bool {
        let rid = row.id;
        let result = async {
            let Some(tenant) = row.tenant else {
                return Err(EngineError::Unavailable(
                    "a bulk request without a tenant".into(),
                ));
            };
            let detail = self.open_detail(&row)?;
            row.subject = self.resolve_subject(tenant, &row, &detail).await?;
            self.carry_out(row, Handler::System).await
        }
        .await;
        match result {
            Ok(done) => state::is_closed(&done.state),
            Err(e) => {
                tracing::warn!(request = %rid, error = %e, "a bulk request failed; it stays in progress");
                false
            }
        }
    }

    async fn job_view(&self, job: &RightsJobRow) -> Result<JobView, EngineError> {
        let states: BTreeMap<String, i64> = self
            .store
            .rights_job_counts(job.id)
            .await?
            .into_iter()
            .collect();
        let done = states
            .iter()
            .filter(|(s, _)| state::is_closed(s))
            .map(|(_, n)| n)
            .sum();
        let finished_at = self
            .store
            .rights_job(job.id)
            .await?
            .and_then(|j| j.finished_at);
        Ok(JobView {
            id: job.id,
            right: job.right.clone(),
            created_at: job.created_at,
            total: job.total,
            states,
            done,
            finished_at,
        })
    }

    /// A job of the principal's tenant.
    pub async fn bulk_job(&self, principal: &Principal, id: Uuid) -> Result<JobView, EngineError> {
        principal.require(Scope::RequestsRead)?;
        let job = self
            .store
            .rights_job(id)
            .await?
            .filter(|j| j.tenant == principal.tenant)
            .ok_or(EngineError::NotFound { kind: "job" })?;
        self.job_view(&job).await
    }
}
