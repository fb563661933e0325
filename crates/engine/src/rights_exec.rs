//! Carrying out data subject requests: finding the subject, the export, erasure with its
//! check, rectification, restriction, objection, withdrawal of consent, the CCPA's sale rights,
//! and routing requests to the platform on to the customers that control the data.

use std::collections::{BTreeMap, BTreeSet};

use custodian_core::{RecordId, SubjectId, TenantId};
use custodian_policy::model::KeyScope;
use custodian_store::{
    NewAuditEvent, NewRightsOutbox, Outcome, ProcessingStop, RecordQuery, RecordRow,
    RightsRequestRow,
};
use custodian_vault::BlindIndexKey;
use jiff::{SignedDuration, Timestamp};
use uuid::Uuid;

use crate::erasure::DestroyReason;
use crate::identifiers::Identifier;
use crate::rights::{
    Answer, Channel, Correction, Detail, EXPORT_DAYS, ErasureCheck, Handler, NewRequest,
    RequestView, RetainedData, Right, Step, state,
};
use crate::{Actor, Engine, EngineError, Principal, Scope};

/// Rows read per page while carrying out a request.
const PAGE: u32 = 1_000;

impl Engine {
    /// The subjects the identifiers find in a tenant.
    pub(crate) async fn subjects_for(
        &self,
        tenant: TenantId,
        identifiers: &BTreeMap<String, String>,
    ) -> Result<Vec<SubjectId>, EngineError> {
        let t = self.tenant(tenant).await?;
        let blind = BlindIndexKey::for_tenant(&self.master, t.id.as_uuid().as_bytes());
        let mut indexes = Vec::new();
        for (kind, value) in identifiers {
            let id = Identifier::parse(kind, value, t.default_region.as_deref()).map_err(|e| {
                EngineError::InvalidField {
                    field: format!("identifiers.{kind}"),
                    message: e.0,
                }
            })?;
            indexes.push(blind.index(id.domain(), &id.normalised()).to_vec());
        }
        if indexes.is_empty() {
            return Ok(Vec::new());
        }
        let found: BTreeSet<SubjectId> = self
            .store
            .subjects_by_index(tenant, &indexes)
            .await?
            .into_iter()
            .map(|(_, s)| s)
            .collect();
        Ok(found.into_iter().collect())
    }

    /// The subject a request is about in a tenant: the one given (if the tenant has it), or
    /// the one its identifiers find. Identifiers that find two different subjects are refused:
    /// the request must be split.
    pub(crate) async fn resolve_subject(
        &self,
        tenant: TenantId,
        row: &RightsRequestRow,
        detail: &Detail,
    ) -> Result<Option<SubjectId>, EngineError> {
        if let Some(s) = row.subject {
            return Ok(self.store.subject(tenant, s).await?.map(|_| s));
        }
        let found = self.subjects_for(tenant, &detail.identifiers).await?;
        match found.as_slice() {
            [] => Ok(None),
            [one] => Ok(Some(*one)),
            _ => Err(EngineError::Invalid {
                field: "identifiers",
                message:
                    "these identifiers belong to different people; file one request per person"
                        .into(),
            }),
        }
    }

    /// Every current record row of a subject (metadata and sealed payload), page by page.
    pub(crate) async fn subject_rows(
        &self,
        tenant: TenantId,
        subject: SubjectId,
    ) -> Result<Vec<RecordRow>, EngineError> {
        let mut out = Vec::new();
        let mut after: Option<RecordId> = None;
        loop {
            let page = self
                .store
                .records(&RecordQuery {
                    tenant,
                    subject: Some(subject),
                    product: None,
                    after,
                    limit: PAGE,
                    include_superseded: false,
                })
                .await?;
            let full = page.len() == PAGE as usize;
            after = page.last().map(|r| r.id);
            out.extend(page);
            if !full {
                return Ok(out);
            }
        }
    }

    /// Carries out a verified request of a tenant as far as it goes without a decision:
    /// returns the request as saved.
    pub(crate) async fn carry_out(
        &self,
        row: RightsRequestRow,
        handler: Handler,
    ) -> Result<RightsRequestRow, EngineError> {
        let Some(tenant) = row.tenant else {
            return Err(EngineError::Unavailable(
                "a request to the platform is routed, not carried out".into(),
            ));
        };
        let right = Right::parse(&row.right).ok_or_else(|| {
            EngineError::Unavailable(format!(
                "a stored request has the unknown right {}",
                row.right
            ))
        })?;
        let detail = self.open_detail(&row)?;
        let id = row.id;
        // Nothing held about the person: fulfilled, "no data found", never an error.
        let Some(subject) = row.subject else {
            self.close(&handler, row, state::FULFILLED, None, None, |d| {
                d.answer.no_data = true;
            })
            .await?;
            return self.row_of(id).await;
        };
        let principal = self.acting_principal(&handler, tenant, row.id);
        match right {
            Right::Access | Right::Portability => {
                let rows = self.subject_rows(tenant, subject).await?;
                let mut products = BTreeMap::new();
                for r in &rows {
                    *products.entry(r.product.clone()).or_insert(0) += 1;
                }
                let until = self.clock.now() + SignedDuration::from_hours(24 * EXPORT_DAYS);
                let empty = rows.is_empty();
                self.close(&handler, row, state::FULFILLED, None, None, |d| {
                    d.answer.products = products;
                    d.answer.no_data = empty;
                    d.answer.export_until = Some(until);
                })
                .await?;
            }
            Right::Erasure => {
                let answer = self.erase_subject(&principal, subject, &detail).await?;
                let partial = !answer.retained.is_empty();
                let passed = answer.check.as_ref().is_some_and(|c| c.passed);
                if !passed {
                    // Never report an erasure that the check contradicts: leave it open.
                    return Err(EngineError::Unavailable(
                        "the erasure check found readable data; the request stays open".into(),
                    ));
                }
                self.close(
                    &handler,
                    row,
                    if partial {
                        state::PARTIALLY_FULFILLED
                    } else {
                        state::FULFILLED
                    },
                    partial.then_some("legal_retention"),
                    None,
                    |d| d.answer = answer,
                )
                .await?;
            }
            Right::Restriction => {
                self.restrict(&principal, subject, true).await?;
                self.close(&handler, row, state::FULFILLED, None, None, |_| {})
                    .await?;
            }
            Right::WithdrawConsent => {
                self.stop_processing(&principal, subject, ProcessingStop::ConsentWithdrawal)
                    .await?;
                self.close(&handler, row, state::FULFILLED, None, None, |_| {})
                    .await?;
            }
            Right::OptOutSale | Right::OptInSale => {
                // The statement: personal data is not sold or shared for anything of value.
                // The choice is recorded in the request; there is nothing to stop.
                self.close(&handler, row, state::FULFILLED, None, None, |d| {
                    d.explanation = Some(
                        "We do not sell or share personal information for money or anything \
                         else of value."
                            .into(),
                    );
                })
                .await?;
            }
            Right::Rectification if !detail.corrections.is_empty() => {
                let rectified = self
                    .apply_corrections(&principal, subject, &detail.corrections)
                    .await?;
                self.close(&handler, row, state::FULFILLED, None, None, |d| {
                    d.answer.rectified = rectified;
                })
                .await?;
            }
            // Objections are decided case by case; a rectification without corrections waits
            // for them.
            Right::Objection | Right::Rectification => {
                return Ok(row);
            }
        }
        self.row_of(id).await
    }

    pub(crate) async fn row_of(&self, id: Uuid) -> Result<RightsRequestRow, EngineError> {
        self.store
            .rights_request(id)
            .await?
            .ok_or(EngineError::NotFound { kind: "request" })
    }

    async fn apply_corrections(
        &self,
        principal: &Principal,
        subject: SubjectId,
        corrections: &[Correction],
    ) -> Result<Vec<RecordId>, EngineError> {
        let mut out = Vec::new();
        for c in corrections {
            let rec = self
                .store
                .record(principal.tenant, c.record)
                .await?
                .filter(|r| r.subject == subject)
                .ok_or(EngineError::NotFound { kind: "record" })?;
            out.push(self.rectify(principal, rec.id, c.data.clone()).await?.id);
        }
        Ok(out)
    }

    /// Completes a rectification request with the corrections.
    pub async fn complete_rectification(
        &self,
        handler: &Handler,
        id: Uuid,
        corrections: Vec<Correction>,
    ) -> Result<RequestView, EngineError> {
        let row = self.handled_request(handler, id).await?;
        if row.right != Right::Rectification.as_str() {
            return Err(EngineError::Conflict(
                "this is not a rectification request".into(),
            ));
        }
        if row.state != state::IN_PROGRESS {
            return Err(EngineError::Conflict(format!(
                "the request is {}, not in progress",
                row.state
            )));
        }
        if corrections.is_empty() || corrections.iter().any(|c| c.data.is_empty()) {
            return Err(EngineError::Invalid {
                field: "corrections",
                message: "give each record and its corrected data".into(),
            });
        }
        let (Some(tenant), Some(subject)) = (row.tenant, row.subject) else {
            return Err(EngineError::Conflict(
                "the request names no subject of a customer".into(),
            ));
        };
        let principal = self.acting_principal(handler, tenant, row.id);
        let rectified = self
            .apply_corrections(&principal, subject, &corrections)
            .await?;
        self.close(handler, row, state::FULFILLED, None, None, |d| {
            d.corrections = corrections;
            d.answer.rectified = rectified;
        })
        .await
    }

    fn acting_principal(&self, handler: &Handler, tenant: TenantId, id: Uuid) -> Principal {
        Principal {
            tenant,
            by: handler.by(),
            scopes: vec![Scope::RecordsRead, Scope::RecordsWrite],
            reason: Some(format!("data subject request {id}")),
        }
    }

    /// Decides an objection to processing for a legitimate interest, case by case: upheld,
    /// that processing stops for the subject; rejected, the compelling grounds (or the legal
    /// claim) are recorded and given to the requester.
    pub async fn decide_objection(
        &self,
        handler: &Handler,
        id: Uuid,
        uphold: bool,
        grounds: &str,
    ) -> Result<RequestView, EngineError> {
        let row = self.handled_request(handler, id).await?;
        if row.right != Right::Objection.as_str() {
            return Err(EngineError::Conflict("this is not an objection".into()));
        }
        let grounds = grounds.trim();
        if grounds.is_empty() {
            return Err(EngineError::Invalid {
                field: "grounds",
                message: "record the grounds of the decision; the requester is told".into(),
            });
        }
        if row.state != state::IN_PROGRESS {
            return Err(EngineError::Conflict(format!(
                "the request is {}, not in progress",
                row.state
            )));
        }
        if uphold {
            let (Some(tenant), Some(subject)) = (row.tenant, row.subject) else {
                return Err(EngineError::Conflict(
                    "the request names no subject of a customer".into(),
                ));
            };
            let principal = self.acting_principal(handler, tenant, row.id);
            self.stop_processing(&principal, subject, ProcessingStop::Objection)
                .await?;
            self.close(
                handler,
                row,
                state::FULFILLED,
                None,
                Some(grounds.to_string()),
                |_| {},
            )
            .await
        } else {
            self.close(
                handler,
                row,
                state::DENIED,
                Some("compelling_grounds"),
                Some(grounds.to_string()),
                |_| {},
            )
            .await
        }
    }

    /// Stops processing of a kind for a subject.
    pub async fn stop_processing(
        &self,
        principal: &Principal,
        subject: SubjectId,
        stop: ProcessingStop,
    ) -> Result<(), EngineError> {
        principal.require(Scope::RecordsWrite)?;
        let now = self.clock.now();
        let audit = NewAuditEvent {
            at: now,
            actor: principal.actor().to_string(),
            action: match stop {
                ProcessingStop::Objection => "subject.objection",
                ProcessingStop::ConsentWithdrawal => "subject.consent-withdrawn",
            }
            .into(),
            tenant: Some(principal.tenant),
            targets: vec![subject.to_string()],
            purpose: None,
            outcome: Outcome::Success,
            detail: None,
        };
        if self
            .store
            .set_processing_stop(principal.tenant, subject, stop, Some(now), &audit)
            .await?
        {
            let kind = match stop {
                ProcessingStop::Objection => "objection",
                ProcessingStop::ConsentWithdrawal => "withdrawal",
            };
            self.note_stop(&principal.actor(), principal.tenant, subject, kind, true)
                .await?;
            Ok(())
        } else {
            Err(EngineError::NotFound { kind: "subject" })
        }
    }

    /// Erases a subject: the erasable keys destroyed (crypto-shredding, logged first), the
    /// rows under them deleted, then a check that looks the subject up again by every
    /// identifier and proves nothing erasable is readable. Records kept under a legal duty
    /// stay, and are listed with the date they go.
    pub(crate) async fn erase_subject(
        &self,
        principal: &Principal,
        subject: SubjectId,
        detail: &Detail,
    ) -> Result<Answer, EngineError> {
        let tenant = principal.tenant;
        let rows = self.subject_rows(tenant, subject).await?;
        let mut products = BTreeMap::new();
        let mut retained: BTreeMap<(String, String), (Option<Timestamp>, u64)> = BTreeMap::new();
        for r in &rows {
            *products.entry(r.product.clone()).or_insert(0) += 1;
            if r.key_scope == "legal" {
                for c in &r.categories {
                    let e = retained
                        .entry((c.clone(), r.retention_rule.clone()))
                        .or_insert((r.expires_at, 0));
                    e.0 = match (e.0, r.expires_at) {
                        (Some(a), Some(b)) => Some(a.max(b)),
                        _ => None,
                    };
                    e.1 += 1;
                }
            }
        }
        let actor = principal.actor();
        let destroyed = self
            .destroy_subject_keys(
                &actor,
                tenant,
                &[subject],
                &[KeyScope::Erasable],
                DestroyReason::Erasure,
            )
            .await?;
        let unlink = retained.is_empty();
        let deleted = self
            .store
            .erase_subject_rows(
                tenant,
                subject,
                unlink,
                &NewAuditEvent {
                    at: self.clock.now(),
                    actor: actor.to_string(),
                    action: "subject.erased".into(),
                    tenant: Some(tenant),
                    targets: vec![subject.to_string()],
                    purpose: Some("rights-requests".into()),
                    outcome: Outcome::Success,
                    detail: Some(serde_json::json!({ "unlinked": unlink }).to_string()),
                },
            )
            .await?;
        let check = self.check_erasure(tenant, subject, detail).await?;
        Ok(Answer {
            products,
            keys_destroyed: destroyed.destroyed,
            rows_deleted: deleted,
            check: Some(check),
            retained: retained
                .into_iter()
                .map(|((category, why), (until, records))| RetainedData {
                    category,
                    until,
                    why,
                    records,
                })
                .collect(),
            ..Answer::default()
        })
    }

    /// Looks the subject up by every identifier the request gives (and by its id) and counts
    /// what is still readable outside a legal duty, and erasable keys still present.
    pub(crate) async fn check_erasure(
        &self,
        tenant: TenantId,
        subject: SubjectId,
        detail: &Detail,
    ) -> Result<ErasureCheck, EngineError> {
        let mut subjects: BTreeSet<SubjectId> = BTreeSet::from([subject]);
        let mut found = 0;
        for (kind, value) in &detail.identifiers {
            let one = BTreeMap::from([(kind.clone(), value.clone())]);
            let hits = self.subjects_for(tenant, &one).await?;
            found += hits.len() as u32;
            subjects.extend(hits);
        }
        let mut readable = 0;
        let mut keys_left = 0;
        for s in &subjects {
            keys_left += self
                .keys
                .subject_keys(tenant, &[*s])
                .await?
                .iter()
                .filter(|k| k.scope == "erasable")
                .count() as u64;
            let rows = self.subject_rows(tenant, *s).await?;
            let erasable: Vec<RecordRow> = rows
                .into_iter()
                .filter(|r| r.key_scope != "legal")
                .collect();
            if erasable.is_empty() {
                continue;
            }
            // Try to open them as a reader would.
            let principal = Principal {
                tenant,
                by: Actor::System,
                scopes: vec![Scope::RecordsRead],
                reason: Some("erasure check".into()),
            };
            readable += self
                .open_rows(&principal, "rights-requests", erasable)
                .await?
                .iter()
                .filter(|r| r.data.is_some())
                .count() as u64;
        }
        Ok(ErasureCheck {
            identifiers_checked: detail.identifiers.len() as u32,
            subjects_found: found,
            readable_left: readable,
            keys_left,
            passed: readable == 0 && keys_left == 0,
        })
    }

    /// Routes a verified request to the platform: for each customer holding data about the
    /// person, a request is filed in that customer's dashboard (the customer controls the
    /// data and answers), and the customer is told by e-mail and webhook; data the platform
    /// itself controls is handled here. The requester is told which customers received it,
    /// and of no other customer.
    pub(crate) async fn route(&self, row: RightsRequestRow) -> Result<RequestView, EngineError> {
        let detail = self.open_detail(&row)?;
        let now = self.clock.now();
        let mut routed = Vec::new();
        let mut children = Vec::new();
        let mut own = Vec::new();
        let mut outbox = Vec::new();
        for t in self.tenants().await? {
            let subjects = match self.subjects_for(t.id, &detail.identifiers).await {
                Ok(s) => s,
                // An identifier this tenant's region cannot read finds nothing there.
                Err(EngineError::InvalidField { .. }) => continue,
                Err(e) => return Err(e),
            };
            for subject in subjects {
                let rows = self.subject_rows(t.id, subject).await?;
                if rows.is_empty() {
                    continue;
                }
                let processor = rows.iter().any(|r| r.role == "processor");
                let child_id = Uuid::now_v7();
                let mut child_detail = Detail {
                    requester: detail.requester.clone(),
                    identifiers: detail.identifiers.clone(),
                    corrections: detail.corrections.clone(),
                    message: detail.message.clone(),
                    history: vec![Step {
                        at: now,
                        state: state::IN_PROGRESS.into(),
                        by: Actor::System.to_string(),
                        note: format!("routed from request {}", row.id),
                    }],
                    ..Detail::default()
                };
                if processor {
                    child_detail.history[0].state = state::RECEIVED.into();
                }
                let child = RightsRequestRow {
                    id: child_id,
                    tenant: Some(t.id),
                    subject: Some(subject),
                    parent: Some(row.id),
                    channel: if processor {
                        Channel::Routed.as_str().into()
                    } else {
                        row.channel.clone()
                    },
                    state: if processor {
                        state::RECEIVED
                    } else {
                        state::IN_PROGRESS
                    }
                    .into(),
                    reason: None,
                    verified_at: row.verified_at,
                    closed_at: None,
                    agent: None,
                    job: None,
                    version: 1,
                    detail_sealed: self.seal_request(child_id, &child_detail)?,
                    ..row.clone()
                };
                if processor {
                    routed.push(t.name.clone());
                    outbox.push(NewRightsOutbox {
                        request: child_id,
                        kind: "route-mail".into(),
                        reference: t.id.to_string(),
                        next_at: now,
                    });
                    outbox.push(NewRightsOutbox {
                        request: child_id,
                        kind: "route-webhook".into(),
                        reference: t.id.to_string(),
                        next_at: now,
                    });
                } else {
                    own.push(child_id);
                }
                children.push(child);
            }
        }
        if !children.is_empty() {
            let audit = NewAuditEvent {
                at: now,
                actor: Actor::System.to_string(),
                action: "request.routed".into(),
                tenant: None,
                targets: std::iter::once(row.id.to_string())
                    .chain(children.iter().map(|c| c.id.to_string()))
                    .collect(),
                purpose: Some("rights-requests".into()),
                outcome: Outcome::Success,
                detail: Some(
                    serde_json::json!({ "routed": routed.len(), "handled": own.len() }).to_string(),
                ),
            };
            self.store
                .create_rights_requests(None, &children, &outbox, &audit)
                .await?;
            self.kick_mail();
        }
        // The platform's own data is handled at once.
        let mut answer = Answer {
            routed_to: routed.clone(),
            no_data: children.is_empty(),
            ..Answer::default()
        };
        let mut partial = false;
        for id in own {
            let child = self.row_of(id).await?;
            let done = self.carry_out(child, Handler::System).await?;
            let d = self.open_detail(&done)?;
            for (p, n) in d.answer.products {
                *answer.products.entry(p).or_insert(0) += n;
            }
            answer.keys_destroyed += d.answer.keys_destroyed;
            answer.rows_deleted += d.answer.rows_deleted;
            answer.retained.extend(d.answer.retained);
            answer.rectified.extend(d.answer.rectified);
            if d.answer.export_until.is_some() {
                answer.export_until = d.answer.export_until;
            }
            if let Some(c) = d.answer.check {
                answer.check = Some(c);
            }
            partial |= done.state == state::PARTIALLY_FULFILLED;
            if !state::is_closed(&done.state) {
                // An objection or a rectification without corrections waits for staff.
                return self.request_view(&self.row_of(row.id).await?);
            }
        }
        let to = if partial {
            state::PARTIALLY_FULFILLED
        } else {
            state::FULFILLED
        };
        let extra = if routed.is_empty() {
            Vec::new()
        } else {
            vec![NewRightsOutbox {
                request: row.id,
                kind: "routed".into(),
                reference: "controllers".into(),
                next_at: now,
            }]
        };
        let mut detail = detail;
        detail.answer = answer;
        detail.history.push(Step {
            at: now,
            state: to.into(),
            by: Actor::System.to_string(),
            note: if routed.is_empty() {
                String::new()
            } else {
                format!("passed on to {}", routed.join(", "))
            },
        });
        let mut changed = row;
        changed.state = to.into();
        changed.reason = partial.then(|| "legal_retention".into());
        let audit = self.rights_audit(
            &Actor::System.to_string(),
            &format!("request.{to}"),
            &changed,
            None,
        );
        let saved = self.save_request(changed, &detail, extra, audit).await?;
        self.request_view(&saved)
    }

    /// Files a request made to the platform by someone whose identity is already established
    /// (staff checked a letter; the protocol's agent verified the claims), then routes it.
    pub(crate) async fn file_platform_request(
        &self,
        channel: Channel,
        new: NewRequest,
        verified: bool,
        by: &str,
        agent: Option<(String, Option<String>, Option<String>)>,
    ) -> Result<RequestView, EngineError> {
        let initial = if verified {
            state::IN_PROGRESS
        } else {
            state::VERIFYING
        };
        let (mut row, mut detail, _) = self.new_row(None, channel, new, initial, by)?;
        if let Some((agent, agent_request_id, callback)) = agent {
            row.agent = Some(agent);
            detail.agent_request_id = agent_request_id;
            detail.status_callback = callback;
        }
        if verified {
            row.verified_at = Some(self.clock.now());
        }
        row.detail_sealed = self.seal_request(row.id, &detail)?;
        let mut outbox = self.change_outbox(&row);
        if detail.requester.email.is_some() {
            outbox.push(NewRightsOutbox {
                request: row.id,
                kind: "received".into(),
                reference: "ack".into(),
                next_at: self.clock.now(),
            });
        }
        let audit = self.rights_audit(by, "request.filed", &row, None);
        self.store
            .create_rights_requests(None, std::slice::from_ref(&row), &outbox, &audit)
            .await?;
        self.kick_mail();
        if verified {
            self.route(row).await
        } else {
            self.request_view(&row)
        }
    }

    /// Staff enter a request that came by e-mail or post (with the scanned letter): it waits
    /// for identity verification unless staff checked it already, then is routed.
    pub async fn staff_file_request(
        &self,
        who: &custodian_store::AccountRow,
        channel: Channel,
        new: NewRequest,
        identity_checked: bool,
    ) -> Result<RequestView, EngineError> {
        self.permit(who, crate::access::Action::HandleCases, None)
            .await?;
        if !matches!(channel, Channel::Mail | Channel::Post) {
            return Err(EngineError::Invalid {
                field: "channel",
                message: "staff enter requests that came by mail or post".into(),
            });
        }
        self.file_platform_request(
            channel,
            new,
            identity_checked,
            &Actor::Account(who.id).to_string(),
            None,
        )
        .await
    }

    /// Staff confirm the identity of a request to the platform (a letter's signature checked,
    /// a reply from the address on file), which then is routed.
    pub async fn confirm_identity(
        &self,
        handler: &Handler,
        id: Uuid,
        how: &str,
    ) -> Result<RequestView, EngineError> {
        let row = self.handled_request(handler, id).await?;
        if row.state != state::VERIFYING && row.state != state::RECEIVED {
            return Err(EngineError::Conflict(format!(
                "the request is {}; only one waiting for verification can be confirmed",
                row.state
            )));
        }
        let how = how.trim();
        if how.is_empty() {
            return Err(EngineError::Invalid {
                field: "how",
                message: "say how the identity was verified".into(),
            });
        }
        let now = self.clock.now();
        let mut detail = self.open_detail(&row)?;
        let by = handler.actor();
        detail.history.push(Step {
            at: now,
            state: state::IN_PROGRESS.into(),
            by: by.clone(),
            note: format!("identity verified: {how}"),
        });
        let mut changed = row;
        changed.state = state::IN_PROGRESS.into();
        changed.verified_at = Some(now);
        let audit = self.rights_audit(&by, "request.verified", &changed, None);
        let saved = self
            .save_request(changed, &detail, Vec::new(), audit)
            .await?;
        if saved.tenant.is_some() {
            let done = self.carry_out(saved, handler.clone()).await?;
            self.request_view(&done)
        } else {
            self.route(saved).await
        }
    }

    /// A customer takes up a request routed to it: it is verified by the platform's check and
    /// carried out in its tenant.
    pub async fn accept_routed(
        &self,
        principal: &Principal,
        id: Uuid,
    ) -> Result<RequestView, EngineError> {
        let handler = Handler::Tenant(principal.clone());
        let row = self.handled_request(&handler, id).await?;
        if row.state != state::RECEIVED {
            return Err(EngineError::Conflict(format!(
                "the request is {}, not waiting to be taken up",
                row.state
            )));
        }
        let now = self.clock.now();
        let mut detail = self.open_detail(&row)?;
        let by = handler.actor();
        detail.history.push(Step {
            at: now,
            state: state::IN_PROGRESS.into(),
            by: by.clone(),
            note: "taken up by the customer".into(),
        });
        let mut changed = row;
        changed.state = state::IN_PROGRESS.into();
        let audit = self.rights_audit(&by, "request.accepted", &changed, None);
        let saved = self
            .save_request(changed, &detail, Vec::new(), audit)
            .await?;
        let done = self.carry_out(saved, handler).await?;
        self.request_view(&done)
    }
}
