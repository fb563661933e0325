//! The staff console's API: permissions, grants, four-eyes approvals, the compliance view of
//! the audit log, reads of personal data with a reason, cases, credential lock-downs, children
//! reports and government disclosure requests. Every route needs a staff session (cookie and,
//! on changes, `X-CSRF-Token`); the engine checks the role × action matrix.
//!
//! Also here, without a session: the credential-compromise report form's endpoint, the
//! inbound-mail endpoint for the mail relay (a bearer token of its own), and the public
//! transparency report.

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use custodian_core::{SubjectId, TenantId};
use custodian_engine::access::{self, Action};
use custodian_engine::approvals::Executed;
use custodian_engine::cases::{CaseView, Lockdown};
use custodian_engine::disclosure::{DisclosureIntake, TransparencyReport};
use custodian_engine::records::OpenRecord;
use custodian_store::{ApprovalRow, AuditEvent, AuditFilter, CaseFilter, GrantRow, Outcome};
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::accounts::{Peer, SignedIn};
use crate::api::{page_limit, query};
use crate::error::json_body as json;
use crate::{ApiError, AppState};

/// The largest raw message the inbound endpoint takes.
const MAX_INBOUND: usize = custodian_engine::mailbox::MAX_MESSAGE_BYTES;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/staff/access", get(my_access))
        .route("/v1/staff/grants", post(request_grant).get(list_grants))
        .route("/v1/staff/grants/{id}", delete(revoke_grant))
        .route(
            "/v1/staff/approvals",
            post(request_approval).get(list_approvals),
        )
        .route("/v1/staff/approvals/{id}/decision", post(decide))
        .route("/v1/staff/approvals/{id}/execute", post(execute))
        .route("/v1/staff/audit", get(audit))
        .route(
            "/v1/staff/officer-review",
            get(officer_actions).post(review_officers),
        )
        .route(
            "/v1/staff/tenants/{tenant}/subjects/{subject}/records",
            get(read_records),
        )
        .route("/v1/staff/cases", get(list_cases))
        .route("/v1/staff/cases/{id}", get(read_case))
        .route("/v1/staff/cases/{id}/notes", post(note_case))
        .route("/v1/staff/cases/{id}/lockdown", post(lock_down))
        .route("/v1/staff/cases/{id}/children-erasure", post(erase_child))
        .route("/v1/staff/disclosures", post(intake_disclosure))
        .route("/v1/staff/disclosures/{id}/review", post(review_disclosure))
        .route("/v1/staff/disclosures/{id}/notice", post(disclosure_notice))
        .route(
            "/v1/staff/disclosures/{id}/release-request",
            post(request_release),
        )
        .route("/v1/staff/disclosures/{id}/release", post(release))
        .route("/v1/security/compromise", post(report_compromise))
        .route(
            "/v1/inbound/mail",
            post(inbound_mail).layer(DefaultBodyLimit::max(MAX_INBOUND + 1024)),
        )
        .route("/v1/transparency", get(transparency))
}

fn uuid_of(text: &str, what: &str) -> Result<Uuid, ApiError> {
    text.parse().map_err(|_| ApiError::not_found(what))
}

fn tenant_of(text: &str, field: &'static str) -> Result<TenantId, ApiError> {
    text.parse().map_err(|_| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
            format!("`{text}` is not a tenant id"),
        )
        .field(field)
    })
}

/// What the signed-in member of staff may do.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccessView {
    /// Their roles.
    roles: Vec<String>,
    /// Each action and how they may take it: `allowed`, `with-grant` (active grant id when
    /// they hold one) or `denied`.
    actions: BTreeMap<String, String>,
    /// The actions a second person must approve.
    four_eyes: Vec<String>,
}

/// Roles, the matrix row of each of them, and the actions that need four eyes.
#[utoipa::path(
    get,
    path = "/v1/staff/access",
    tag = "staff",
    responses((status = 200, body = AccessView), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody))
)]
pub(crate) async fn my_access(
    State(state): State<AppState>,
    signed_in: SignedIn,
) -> Result<Json<AccessView>, ApiError> {
    let who = &signed_in.principal.account;
    let grants = state.engine.grants(who, false).await?;
    let now = state.engine.now();
    let roles = access::roles_of(who);
    let mut actions = BTreeMap::new();
    for action in Action::ALL {
        let best = roles
            .iter()
            .map(|r| access::access(*r, action))
            .max_by_key(|a| match a {
                access::Access::Allowed => 2,
                access::Access::WithGrant => 1,
                access::Access::Denied => 0,
            })
            .unwrap_or(access::Access::Denied);
        let text = match best {
            access::Access::Allowed => "allowed".to_string(),
            access::Access::WithGrant => match grants
                .iter()
                .find(|g| g.action == action.as_str() && g.active_at(now))
            {
                Some(g) => format!("granted until {}", g.expires_at.unwrap_or(now)),
                None => "with-grant".to_string(),
            },
            access::Access::Denied => "denied".to_string(),
        };
        actions.insert(action.as_str().to_string(), text);
    }
    Ok(Json(AccessView {
        roles: roles.iter().map(|r| r.as_str().to_string()).collect(),
        actions,
        four_eyes: Action::FOUR_EYES
            .iter()
            .map(|a| a.as_str().to_string())
            .collect(),
    }))
}

/// A grant as shown.
#[derive(Debug, Serialize, ToSchema)]
pub struct GrantView {
    id: String,
    account: String,
    action: String,
    tenant: Option<String>,
    reason: String,
    duration_minutes: i64,
    requested_at: String,
    approval: String,
    active_from: Option<String>,
    expires_at: Option<String>,
    revoked_at: Option<String>,
    revoked_by: Option<String>,
    /// Whether it allows its action now.
    active: bool,
}

fn grant_view(g: &GrantRow, now: Timestamp) -> GrantView {
    GrantView {
        id: g.id.to_string(),
        account: g.account.to_string(),
        action: g.action.clone(),
        tenant: g.tenant.map(|t| t.to_string()),
        reason: g.reason.clone(),
        duration_minutes: g.duration_s / 60,
        requested_at: g.requested_at.to_string(),
        approval: g.approval.to_string(),
        active_from: g.active_from.map(|t| t.to_string()),
        expires_at: g.expires_at.map(|t| t.to_string()),
        revoked_at: g.revoked_at.map(|t| t.to_string()),
        revoked_by: g.revoked_by.clone(),
        active: g.active_at(now),
    }
}

/// An approval as shown.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApprovalView {
    id: String,
    kind: String,
    target: String,
    tenant: Option<String>,
    #[schema(value_type = Object)]
    payload: serde_json::Value,
    reason: String,
    requested_by: String,
    requested_at: String,
    expires_at: String,
    /// `pending`, `approved`, `rejected`, `executed`, `expired` or `cancelled`.
    state: String,
    decided_by: Option<String>,
    decided_at: Option<String>,
    note: Option<String>,
    executed_at: Option<String>,
    #[schema(value_type = Option<Object>)]
    result: Option<serde_json::Value>,
}

fn approval_view(a: &ApprovalRow) -> ApprovalView {
    ApprovalView {
        id: a.id.to_string(),
        kind: a.kind.clone(),
        target: a.target.clone(),
        tenant: a.tenant.map(|t| t.to_string()),
        payload: serde_json::from_str(&a.payload).unwrap_or(serde_json::Value::Null),
        reason: a.reason.clone(),
        requested_by: a.requested_by.to_string(),
        requested_at: a.requested_at.to_string(),
        expires_at: a.expires_at.to_string(),
        state: a.state.clone(),
        decided_by: a.decided_by.map(|d| d.to_string()),
        decided_at: a.decided_at.map(|t| t.to_string()),
        note: a.note.clone(),
        executed_at: a.executed_at.map(|t| t.to_string()),
        result: a
            .result
            .as_deref()
            .and_then(|r| serde_json::from_str(r).ok()),
    }
}

/// A request for sensitive access for a time.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GrantRequest {
    /// The action (`read-personal-data`).
    action: String,
    /// The tenant it is limited to (leave out for every tenant).
    #[serde(default)]
    tenant: Option<String>,
    /// Why (a ticket or case reference), 10 to 500 characters.
    reason: String,
    /// How long it lasts once approved: 5 to 480 minutes.
    duration_minutes: i64,
}

/// The grant and the approval it waits for.
#[derive(Debug, Serialize, ToSchema)]
pub struct GrantRequested {
    grant: GrantView,
    approval: ApprovalView,
}

/// Asks for a grant of sensitive access; it waits for another member of staff's approval and
/// ends by itself.
#[utoipa::path(
    post,
    path = "/v1/staff/grants",
    tag = "staff",
    request_body = GrantRequest,
    responses((status = 202, body = GrantRequested), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody))
)]
pub(crate) async fn request_grant(
    State(state): State<AppState>,
    signed_in: SignedIn,
    bytes: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<GrantRequested>), ApiError> {
    let body: GrantRequest = json(
        bytes,
        r#"{"action": "read-personal-data", "tenant": "…", "reason": "…", "duration_minutes": 60}"#,
    )?;
    let action = Action::parse(&body.action).ok_or_else(|| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
            format!("`{}` is not an action", body.action),
        )
        .field("action")
    })?;
    let tenant = body
        .tenant
        .as_deref()
        .map(|t| tenant_of(t, "tenant"))
        .transpose()?;
    let (grant, approval) = state
        .engine
        .request_grant(
            &signed_in.principal.account,
            action,
            tenant,
            &body.reason,
            SignedDuration::from_mins(body.duration_minutes.clamp(-1, 100_000)),
        )
        .await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(GrantRequested {
            grant: grant_view(&grant, state.engine.now()),
            approval: approval_view(&approval),
        }),
    ))
}

/// Which grants to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GrantsQuery {
    /// Everyone's (for those who approve grants) rather than one's own.
    #[serde(default)]
    all: bool,
}

/// One's grants, or everyone's.
#[utoipa::path(
    get,
    path = "/v1/staff/grants",
    tag = "staff",
    params(GrantsQuery),
    responses((status = 200, body = [GrantView]), (status = 403, body = crate::error::ErrorBody))
)]
pub(crate) async fn list_grants(
    State(state): State<AppState>,
    signed_in: SignedIn,
    q: Result<Query<GrantsQuery>, QueryRejection>,
) -> Result<Json<Vec<GrantView>>, ApiError> {
    let q = query(q)?;
    let now = state.engine.now();
    let grants = state
        .engine
        .grants(&signed_in.principal.account, q.all)
        .await?;
    Ok(Json(grants.iter().map(|g| grant_view(g, now)).collect()))
}

/// Ends a grant early (its holder, or someone who approves grants).
#[utoipa::path(
    delete,
    path = "/v1/staff/grants/{id}",
    tag = "staff",
    params(("id" = String, Path, description = "The grant")),
    responses((status = 200, body = GrantView), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody))
)]
pub(crate) async fn revoke_grant(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
) -> Result<Json<GrantView>, ApiError> {
    let id = uuid_of(&id, "grant")?;
    let grant = state
        .engine
        .revoke_grant(&signed_in.principal.account, id)
        .await?;
    Ok(Json(grant_view(&grant, state.engine.now())))
}

/// A four-eyes action asked for.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApprovalRequest {
    /// `publish-policy`, `purge-tenant`, `destroy-keys` or `bulk-export`.
    kind: String,
    /// The tenant (all but `publish-policy`).
    #[serde(default)]
    tenant: Option<String>,
    /// The action's parameters: `{"version", "effective"}`, `{"subjects", "scopes"}`,
    /// `{"purpose"}`.
    #[serde(default)]
    #[schema(value_type = Object)]
    payload: serde_json::Value,
    /// Why, 10 to 500 characters.
    reason: String,
}

/// Asks for a four-eyes action; a second, different member of staff must approve it before
/// the requester can carry it out.
#[utoipa::path(
    post,
    path = "/v1/staff/approvals",
    tag = "staff",
    request_body = ApprovalRequest,
    responses((status = 202, body = ApprovalView), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody))
)]
pub(crate) async fn request_approval(
    State(state): State<AppState>,
    signed_in: SignedIn,
    bytes: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<ApprovalView>), ApiError> {
    let body: ApprovalRequest = json(
        bytes,
        r#"{"kind": "purge-tenant", "tenant": "…", "payload": {}, "reason": "…"}"#,
    )?;
    let tenant = body
        .tenant
        .as_deref()
        .map(|t| tenant_of(t, "tenant"))
        .transpose()?;
    let approval = state
        .engine
        .request_four_eyes(
            &signed_in.principal.account,
            &body.kind,
            tenant,
            body.payload,
            &body.reason,
        )
        .await?;
    Ok((StatusCode::ACCEPTED, Json(approval_view(&approval))))
}

/// Which approvals to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ApprovalsQuery {
    /// Only those in this state (`pending`, …).
    state: Option<String>,
}

/// Approvals, newest first.
#[utoipa::path(
    get,
    path = "/v1/staff/approvals",
    tag = "staff",
    params(ApprovalsQuery),
    responses((status = 200, body = [ApprovalView]), (status = 403, body = crate::error::ErrorBody))
)]
pub(crate) async fn list_approvals(
    State(state): State<AppState>,
    signed_in: SignedIn,
    q: Result<Query<ApprovalsQuery>, QueryRejection>,
) -> Result<Json<Vec<ApprovalView>>, ApiError> {
    let q = query(q)?;
    let list = state
        .engine
        .approvals(&signed_in.principal.account, q.state.as_deref())
        .await?;
    Ok(Json(list.iter().map(approval_view).collect()))
}

/// A decision on a request.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// Approve (`true`) or reject.
    approve: bool,
    /// A note.
    #[serde(default)]
    note: Option<String>,
}

/// Approves or rejects a request: never the requester's own; a compliance officer's request
/// needs a decider of another role.
#[utoipa::path(
    post,
    path = "/v1/staff/approvals/{id}/decision",
    tag = "staff",
    params(("id" = String, Path, description = "The approval")),
    request_body = Decision,
    responses((status = 200, body = ApprovalView), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody))
)]
pub(crate) async fn decide(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
    bytes: Result<Bytes, BytesRejection>,
) -> Result<Json<ApprovalView>, ApiError> {
    let id = uuid_of(&id, "approval")?;
    let body: Decision = json(bytes, r#"{"approve": true, "note": "…"}"#)?;
    let approval = state
        .engine
        .decide_approval(
            &signed_in.principal.account,
            id,
            body.approve,
            body.note.as_deref(),
        )
        .await?;
    Ok(Json(approval_view(&approval)))
}

/// Carries out an approved request, once, by the person who asked for it. A bulk export
/// answers with its records.
#[utoipa::path(
    post,
    path = "/v1/staff/approvals/{id}/execute",
    tag = "staff",
    params(("id" = String, Path, description = "The approval")),
    responses((status = 200, description = "What was done", content_type = "application/json"), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody))
)]
pub(crate) async fn execute(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = uuid_of(&id, "approval")?;
    let done: Executed = state
        .engine
        .execute_approval(&signed_in.principal.account, id)
        .await?;
    let mut response = Json(done).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// Filters of the compliance view of the audit log.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only events whose actor starts with this (`account:` for people).
    actor: Option<String>,
    /// Only events whose action starts with this (`records.read`).
    action: Option<String>,
    /// Only this tenant's.
    tenant: Option<String>,
    /// From this time (RFC 3339).
    since: Option<String>,
    /// Before this time (RFC 3339).
    until: Option<String>,
    /// `success`, `denied` or `failure`.
    outcome: Option<String>,
    /// After this position (the page cursor).
    after: Option<i64>,
    /// At most this many (1–1000, default 100).
    limit: Option<u32>,
    /// `json` (default) or `csv` (an export, audited as one).
    format: Option<String>,
}

fn time_param(value: Option<&str>, field: &'static str) -> Result<Option<Timestamp>, ApiError> {
    value
        .map(|v| {
            v.parse::<Timestamp>().map_err(|_| {
                ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid_input",
                    format!("`{v}` is not an RFC 3339 time such as 2026-11-01T00:00:00Z"),
                )
                .field(field)
            })
        })
        .transpose()
}

fn csv_cell(text: &str) -> String {
    // Quote every cell; defuse spreadsheet formulas.
    let text = if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// The audit log for compliance review, filtered, as JSON or a CSV export; reading it is
/// audited.
#[utoipa::path(
    get,
    path = "/v1/staff/audit",
    tag = "staff",
    params(AuditQuery),
    responses((status = 200, description = "Events (JSON) or a CSV file"), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody))
)]
pub(crate) async fn audit(
    State(state): State<AppState>,
    signed_in: SignedIn,
    q: Result<Query<AuditQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let q = query(q)?;
    let csv = match q.format.as_deref() {
        None | Some("json") => false,
        Some("csv") => true,
        Some(other) => {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_input",
                format!("`{other}` is not a format; use json or csv"),
            )
            .field("format"));
        }
    };
    let outcome = match q.outcome.as_deref() {
        None => None,
        Some(o) => Some(Outcome::parse(o).ok_or_else(|| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_input",
                "outcome is success, denied or failure",
            )
            .field("outcome")
        })?),
    };
    let filter = AuditFilter {
        after_seq: q.after.unwrap_or(0).max(0),
        limit: page_limit(q.limit)?,
        tenant: q
            .tenant
            .as_deref()
            .map(|t| tenant_of(t, "tenant"))
            .transpose()?,
        actor: q.actor.clone(),
        action: q.action.clone(),
        since: time_param(q.since.as_deref(), "since")?,
        until: time_param(q.until.as_deref(), "until")?,
        outcome,
    };
    let events: Vec<AuditEvent> = state
        .engine
        .audit_view(&signed_in.principal.account, &filter, csv)
        .await?;
    if !csv {
        return Ok(Json(events).into_response());
    }
    let mut out = String::from("seq,at,actor,action,tenant,targets,purpose,outcome,detail\n");
    for e in &events {
        let row = [
            e.seq.to_string(),
            e.event.at.to_string(),
            e.event.actor.clone(),
            e.event.action.clone(),
            e.event.tenant.map(|t| t.to_string()).unwrap_or_default(),
            e.event.targets.join(" "),
            e.event.purpose.clone().unwrap_or_default(),
            e.event.outcome.as_str().to_string(),
            e.event.detail.clone().unwrap_or_default(),
        ];
        out.push_str(
            &row.iter()
                .map(|c| csv_cell(c))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push('\n');
    }
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"custodian-audit.csv\"",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        out,
    )
        .into_response())
}

/// The compliance officers' actions waiting for review.
#[derive(Debug, Serialize, ToSchema)]
pub struct OfficerActions {
    /// The position the last review reached.
    reviewed_through: i64,
    /// The officers' events after it.
    #[schema(value_type = Vec<Object>)]
    events: Vec<AuditEvent>,
}

/// What compliance officers did since the last review — reviewed by another role (legal or
/// security).
#[utoipa::path(
    get,
    path = "/v1/staff/officer-review",
    tag = "staff",
    responses((status = 200, body = OfficerActions), (status = 403, body = crate::error::ErrorBody))
)]
pub(crate) async fn officer_actions(
    State(state): State<AppState>,
    signed_in: SignedIn,
) -> Result<Json<OfficerActions>, ApiError> {
    let (reviewed_through, events) = state
        .engine
        .officer_actions(&signed_in.principal.account)
        .await?;
    Ok(Json(OfficerActions {
        reviewed_through,
        events,
    }))
}

/// A review of the compliance officers' actions.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfficerReview {
    /// The last position reviewed.
    through: i64,
    /// What the review found, 10 to 500 characters.
    note: String,
}

/// Records a review of the compliance officers' actions up to a position.
#[utoipa::path(
    post,
    path = "/v1/staff/officer-review",
    tag = "staff",
    request_body = OfficerReview,
    responses((status = 201, description = "The review's audit event", content_type = "application/json"), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody))
)]
pub(crate) async fn review_officers(
    State(state): State<AppState>,
    signed_in: SignedIn,
    bytes: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<AuditEvent>), ApiError> {
    let body: OfficerReview = json(bytes, r#"{"through": 42, "note": "…"}"#)?;
    let event = state
        .engine
        .review_officer_actions(&signed_in.principal.account, body.through, &body.note)
        .await?;
    Ok((StatusCode::CREATED, Json(event)))
}

/// Why a member of staff reads.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StaffReadQuery {
    /// The purpose (a policy purpose id).
    purpose: String,
    /// Why this person reads now (a ticket or case reference), 10 to 500 characters.
    reason: String,
    /// At most this many (1–1000, default 100).
    limit: Option<u32>,
}

/// A subject's records read by a member of staff: only under an active grant for the
/// tenant; the purpose and the reason are recorded with the read.
#[utoipa::path(
    get,
    path = "/v1/staff/tenants/{tenant}/subjects/{subject}/records",
    tag = "staff",
    params(("tenant" = String, Path, description = "The tenant"), ("subject" = String, Path, description = "The subject"), StaffReadQuery),
    responses((status = 200, description = "The records", content_type = "application/json"), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody))
)]
pub(crate) async fn read_records(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((tenant, subject)): Path<(String, String)>,
    q: Result<Query<StaffReadQuery>, QueryRejection>,
) -> Result<Json<Vec<OpenRecord>>, ApiError> {
    let q = query(q)?;
    let tenant: TenantId = tenant.parse().map_err(|_| ApiError::not_found("tenant"))?;
    let subject: SubjectId = subject
        .parse()
        .map_err(|_| ApiError::not_found("subject"))?;
    let principal = state
        .engine
        .staff_principal(&signed_in.principal.account, tenant, &q.reason)
        .await?;
    let records = state
        .engine
        .subject_records(
            &principal,
            subject,
            &q.purpose,
            None,
            None,
            page_limit(q.limit)?,
        )
        .await?;
    Ok(Json(records))
}

/// Which cases to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CasesQuery {
    /// Only this kind (`credential-compromise`, `children`, `dispute`, `data-request`,
    /// `general`, `government-disclosure`).
    kind: Option<String>,
    /// Only open cases.
    #[serde(default)]
    open: bool,
    /// At most this many (1–1000, default 100).
    limit: Option<u32>,
}

/// Cases, newest first (details unsealed for the reader; the listing is audited).
#[utoipa::path(
    get,
    path = "/v1/staff/cases",
    tag = "staff",
    params(CasesQuery),
    responses((status = 200, description = "Cases", content_type = "application/json"), (status = 403, body = crate::error::ErrorBody))
)]
pub(crate) async fn list_cases(
    State(state): State<AppState>,
    signed_in: SignedIn,
    q: Result<Query<CasesQuery>, QueryRejection>,
) -> Result<Json<Vec<CaseView>>, ApiError> {
    let q = query(q)?;
    let cases = state
        .engine
        .cases(
            &signed_in.principal.account,
            &CaseFilter {
                kind: q.kind,
                open_only: q.open,
                limit: page_limit(q.limit)?,
            },
        )
        .await?;
    Ok(Json(cases))
}

/// One case.
#[utoipa::path(
    get,
    path = "/v1/staff/cases/{id}",
    tag = "staff",
    params(("id" = String, Path, description = "The case")),
    responses((status = 200, description = "The case", content_type = "application/json"), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody))
)]
pub(crate) async fn read_case(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
) -> Result<Json<CaseView>, ApiError> {
    let id = uuid_of(&id, "case")?;
    Ok(Json(
        state.engine.case(&signed_in.principal.account, id).await?,
    ))
}

/// A note on a case.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteBody {
    /// The note.
    text: String,
    /// Close the case with it.
    #[serde(default)]
    close: bool,
}

/// Adds a note to a case, closing it when asked.
#[utoipa::path(
    post,
    path = "/v1/staff/cases/{id}/notes",
    tag = "staff",
    params(("id" = String, Path, description = "The case")),
    request_body = NoteBody,
    responses((status = 200, description = "The case", content_type = "application/json"), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody))
)]
pub(crate) async fn note_case(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
    bytes: Result<Bytes, BytesRejection>,
) -> Result<Json<CaseView>, ApiError> {
    let id = uuid_of(&id, "case")?;
    let body: NoteBody = json(bytes, r#"{"text": "…", "close": false}"#)?;
    Ok(Json(
        state
            .engine
            .note_case(&signed_in.principal.account, id, &body.text, body.close)
            .await?,
    ))
}

/// The account to lock down.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LockdownBody {
    /// The account's address.
    email: String,
}

/// Locks an account down on a case: locked, sessions ended, API keys revoked, a new password
/// required, the owner told.
#[utoipa::path(
    post,
    path = "/v1/staff/cases/{id}/lockdown",
    tag = "staff",
    params(("id" = String, Path, description = "The case")),
    request_body = LockdownBody,
    responses((status = 200, description = "What was done", content_type = "application/json"), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody))
)]
pub(crate) async fn lock_down(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
    bytes: Result<Bytes, BytesRejection>,
) -> Result<Json<Lockdown>, ApiError> {
    let id = uuid_of(&id, "case")?;
    let body: LockdownBody = json(bytes, r#"{"email": "…"}"#)?;
    Ok(Json(
        state
            .engine
            .staff_lock_down(&signed_in.principal.account, id, &body.email)
            .await?,
    ))
}

/// Whose data a Children report is about.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChildBody {
    /// The tenant holding the data.
    tenant: String,
    /// The identifier's kind (`phone`, `email`, …).
    kind: String,
    /// Its value.
    value: String,
}

/// Erases a reported child's data (every key of the subject) and closes the Children case.
#[utoipa::path(
    post,
    path = "/v1/staff/cases/{id}/children-erasure",
    tag = "staff",
    params(("id" = String, Path, description = "The Children case")),
    request_body = ChildBody,
    responses((status = 200, description = "The closed case", content_type = "application/json"), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody))
)]
pub(crate) async fn erase_child(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
    bytes: Result<Bytes, BytesRejection>,
) -> Result<Json<CaseView>, ApiError> {
    let id = uuid_of(&id, "case")?;
    let body: ChildBody = json(
        bytes,
        r#"{"tenant": "…", "kind": "phone", "value": "+31…"}"#,
    )?;
    let tenant = tenant_of(&body.tenant, "tenant")?;
    Ok(Json(
        state
            .engine
            .erase_child(
                &signed_in.principal.account,
                id,
                tenant,
                &body.kind,
                &body.value,
            )
            .await?,
    ))
}

/// A government request for disclosure as received.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DisclosureBody {
    /// The authority's name.
    authority: String,
    /// `court`, `law-enforcement`, `intelligence`, `regulator`, `tax`, `other-government` or
    /// `not-government`.
    authority_type: String,
    /// Its country (ISO 3166-1 alpha-2).
    country: String,
    /// `warrant`, `court-order`, `subpoena`, `production-order`, `mlat-request`, `letter` or
    /// `informal`.
    instrument: String,
    /// Its reference.
    reference: String,
    /// The tenant whose data is asked for.
    tenant: String,
    /// The data categories asked for (the policy's ids).
    categories: Vec<String>,
    /// The first day of the period (YYYY-MM-DD).
    #[serde(default)]
    period_from: Option<String>,
    /// The last day of the period.
    #[serde(default)]
    period_to: Option<String>,
}

fn date_param(value: Option<&str>, field: &'static str) -> Result<Option<Date>, ApiError> {
    value
        .map(|v| {
            v.parse::<Date>().map_err(|_| {
                ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid_input",
                    format!("`{v}` is not a day such as 2026-11-01"),
                )
                .field(field)
            })
        })
        .transpose()
}

/// Records a government request for disclosure: the four admissibility tests are computed
/// and a legal hold keeps the tenant's data while it is open.
#[utoipa::path(
    post,
    path = "/v1/staff/disclosures",
    tag = "staff",
    request_body = DisclosureBody,
    responses((status = 201, description = "The case", content_type = "application/json"), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody))
)]
pub(crate) async fn intake_disclosure(
    State(state): State<AppState>,
    signed_in: SignedIn,
    bytes: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<CaseView>), ApiError> {
    let body: DisclosureBody = json(
        bytes,
        r#"{"authority": "…", "authority_type": "court", "country": "NL", "instrument": "court-order", "reference": "…", "tenant": "…", "categories": ["…"], "period_from": "2026-01-01", "period_to": "2026-03-31"}"#,
    )?;
    let intake = DisclosureIntake {
        authority: body.authority,
        authority_type: body.authority_type,
        country: body.country,
        instrument: body.instrument,
        reference: body.reference,
        tenant: tenant_of(&body.tenant, "tenant")?,
        categories: body.categories,
        period_from: date_param(body.period_from.as_deref(), "period_from")?,
        period_to: date_param(body.period_to.as_deref(), "period_to")?,
    };
    let case = state
        .engine
        .intake_disclosure(&signed_in.principal.account, intake)
        .await?;
    Ok((StatusCode::CREATED, Json(case)))
}

/// The legal review's conclusion.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewBody {
    /// Whether the request is admissible (all four tests must pass).
    admissible: bool,
    /// The conclusion, 10 to 500 characters.
    note: String,
    /// The push-back sent to the authority, when it is not admissible.
    #[serde(default)]
    push_back: Option<String>,
}

/// Legal review: admissible, or refused with the push-back recorded (the case closes).
#[utoipa::path(
    post,
    path = "/v1/staff/disclosures/{id}/review",
    tag = "staff",
    params(("id" = String, Path, description = "The disclosure case")),
    request_body = ReviewBody,
    responses((status = 200, description = "The case", content_type = "application/json"), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody))
)]
pub(crate) async fn review_disclosure(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
    bytes: Result<Bytes, BytesRejection>,
) -> Result<Json<CaseView>, ApiError> {
    let id = uuid_of(&id, "disclosure request")?;
    let body: ReviewBody = json(
        bytes,
        r#"{"admissible": false, "note": "…", "push_back": "…"}"#,
    )?;
    Ok(Json(
        state
            .engine
            .review_disclosure(
                &signed_in.principal.account,
                id,
                body.admissible,
                &body.note,
                body.push_back.as_deref(),
            )
            .await?,
    ))
}

/// Whether the customer is told.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoticeBody {
    /// Tell the customer now (the default answer).
    notify: bool,
    /// Not telling: the legal ground cited.
    #[serde(default)]
    legal_ground: Option<String>,
    /// Not telling: the day until which (YYYY-MM-DD); they are told after it.
    #[serde(default)]
    until: Option<String>,
}

/// Decides on notice to the customer: told at once by default; not telling needs a legal
/// ground and an end date.
#[utoipa::path(
    post,
    path = "/v1/staff/disclosures/{id}/notice",
    tag = "staff",
    params(("id" = String, Path, description = "The disclosure case")),
    request_body = NoticeBody,
    responses((status = 200, description = "The case", content_type = "application/json"), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody))
)]
pub(crate) async fn disclosure_notice(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
    bytes: Result<Bytes, BytesRejection>,
) -> Result<Json<CaseView>, ApiError> {
    let id = uuid_of(&id, "disclosure request")?;
    let body: NoticeBody = json(
        bytes,
        r#"{"notify": false, "legal_ground": "…", "until": "2027-01-31"}"#,
    )?;
    let until = date_param(body.until.as_deref(), "until")?;
    Ok(Json(
        state
            .engine
            .decide_disclosure_notice(
                &signed_in.principal.account,
                id,
                body.notify,
                body.legal_ground.as_deref(),
                until,
            )
            .await?,
    ))
}

/// Why the release is asked for.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReleaseBody {
    /// 10 to 500 characters.
    reason: String,
}

/// Asks for the release of an admissible request's data (four eyes).
#[utoipa::path(
    post,
    path = "/v1/staff/disclosures/{id}/release-request",
    tag = "staff",
    params(("id" = String, Path, description = "The disclosure case")),
    request_body = ReleaseBody,
    responses((status = 202, body = ApprovalView), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody))
)]
pub(crate) async fn request_release(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
    bytes: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<ApprovalView>), ApiError> {
    let id = uuid_of(&id, "disclosure request")?;
    let body: ReleaseBody = json(bytes, r#"{"reason": "…"}"#)?;
    let approval = state
        .engine
        .request_disclosure_release(&signed_in.principal.account, id, &body.reason)
        .await?;
    Ok((StatusCode::ACCEPTED, Json(approval_view(&approval))))
}

/// Carries out an approved release, once: the records asked for.
#[utoipa::path(
    post,
    path = "/v1/staff/disclosures/{id}/release",
    tag = "staff",
    params(("id" = String, Path, description = "The disclosure case")),
    responses((status = 200, description = "The released records", content_type = "application/json"), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody))
)]
pub(crate) async fn release(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = uuid_of(&id, "disclosure request")?;
    let records = state
        .engine
        .release_disclosure(&signed_in.principal.account, id)
        .await?;
    let mut response = Json(records).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// How many compromise reports one client address may file per hour: enough for a person,
/// too few to lock a list of strangers' accounts.
pub(crate) const REPORTS_PER_HOUR: usize = 5;

/// How many of the privacy center's forms (a new request, a code, a new code) one client
/// address may post per hour: a person needs a handful; the engine limits codes per request and
/// per address besides.
pub(crate) const PRIVACY_CENTER_PER_HOUR: usize = 20;

/// How many cookie choices one client address may post per hour: generous, since an office
/// behind one address has many visitors, yet a bound on junk in the ledger.
pub(crate) const BANNER_PER_HOUR: usize = 600;

/// What a client address's posts are counted for, each with its own budget per hour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum ClientBudget {
    /// Compromise reports (the API's and the form's).
    Reports,
    /// The public privacy center's forms.
    PrivacyCenter,
    /// The cookie banner's choices and removals.
    Banner,
}

impl ClientBudget {
    fn per_hour(self) -> usize {
        match self {
            Self::Reports => REPORTS_PER_HOUR,
            Self::PrivacyCenter => PRIVACY_CENTER_PER_HOUR,
            Self::Banner => BANNER_PER_HOUR,
        }
    }
}

/// Remembers when each client address last posted what a [`ClientBudget`] counts (in memory,
/// per process).
#[derive(Debug, Default)]
pub(crate) struct ReportLimiter(
    std::sync::Mutex<
        std::collections::HashMap<(ClientBudget, std::net::IpAddr), Vec<std::time::Instant>>,
    >,
);

impl ReportLimiter {
    /// Counts a report from `ip`; `Err(seconds to wait)` when over the limit.
    pub(crate) fn admit(&self, ip: std::net::IpAddr) -> Result<(), u64> {
        self.admit_to(ClientBudget::Reports, ip)
    }

    /// Counts a post from `ip` against `budget`; `Err(seconds to wait)` when over it.
    pub(crate) fn admit_to(&self, budget: ClientBudget, ip: std::net::IpAddr) -> Result<(), u64> {
        let now = std::time::Instant::now();
        let hour = std::time::Duration::from_secs(3600);
        let mut map = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if map.len() > 100_000 {
            map.retain(|_, times| times.iter().any(|t| now.duration_since(*t) < hour));
        }
        let times = map.entry((budget, ip)).or_default();
        times.retain(|t| now.duration_since(*t) < hour);
        if times.len() >= budget.per_hour() {
            let oldest = times.first().copied().unwrap_or(now);
            return Err(hour
                .saturating_sub(now.duration_since(oldest))
                .as_secs()
                .max(1));
        }
        times.push(now);
        Ok(())
    }
}

/// A report that an account's credentials are compromised.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompromiseBody {
    /// The account's address.
    email: String,
    /// What happened.
    #[serde(default)]
    details: String,
}

/// The report's receipt; it says nothing of whether the address has an account.
#[derive(Debug, Serialize, ToSchema)]
pub struct CompromiseReceived {
    /// The incident's reference.
    reference: String,
    /// What happens next.
    message: String,
}

/// Reports that an account's credentials are compromised (the statement's "Urgent: account
/// credentials"): an urgent incident is opened and, if the address has an account, it is
/// locked, its sessions end, its API keys are revoked and its owner is told how to set a new
/// password.
#[utoipa::path(
    post,
    path = "/v1/security/compromise",
    tag = "staff",
    request_body = CompromiseBody,
    responses((status = 202, body = CompromiseReceived), (status = 422, body = crate::error::ErrorBody), (status = 429, description = "too many reports from this client", body = crate::error::ErrorBody))
)]
pub(crate) async fn report_compromise(
    State(state): State<AppState>,
    Peer(peer): Peer,
    bytes: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let body: CompromiseBody = json(bytes, r#"{"email": "…", "details": "…"}"#)?;
    if let Some(peer) = peer
        && let Err(wait) = state.reports.admit(peer.ip())
    {
        let mut response = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "throttled",
            format!(
                "too many reports from this address; try again in {wait} seconds, or write to the security address"
            ),
        )
        .into_response();
        if let Ok(v) = HeaderValue::from_str(&wait.to_string()) {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return Ok(response);
    }
    let case = state
        .engine
        .report_compromise(&body.email, &body.details, "form")
        .await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(CompromiseReceived {
            reference: case.to_string(),
            message: "Received. If the address belongs to an account, it is locked now and its owner receives an e-mail to set a new password.".into(),
        }),
    )
        .into_response())
}

/// Takes in a raw RFC 5322 message for the privacy or security mailbox from the mail relay
/// (`Authorization: Bearer` the inbound token); `X-Envelope-To` may list the envelope's
/// recipients. The message opens a case.
#[utoipa::path(
    post,
    path = "/v1/inbound/mail",
    tag = "staff",
    request_body(content = String, content_type = "message/rfc822"),
    responses((status = 201, description = "The case opened", content_type = "application/json"), (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 413, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody))
)]
pub(crate) async fn inbound_mail(
    State(state): State<AppState>,
    headers: HeaderMap,
    bytes: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<serde_json::Value>), ApiError> {
    let Some(expected) = state.inbound_token.as_deref() else {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "inbound mail is not enabled on this server (set [inbound] token_file)",
        ));
    };
    let sent = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    if !custodian_engine::accounts::constant_time_eq(sent.as_bytes(), expected.as_bytes()) {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "send the inbound token as `Authorization: Bearer …`",
        ));
    }
    let bytes = bytes.map_err(|e| {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            format!("the message is too large or unreadable: {}", e.body_text()),
        )
    })?;
    let recipients: Vec<String> = headers
        .get("x-envelope-to")
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(',')
                .map(|r| r.trim().to_lowercase())
                .filter(|r| !r.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let case = state
        .engine
        .intake_mail(&bytes, &recipients, "mail")
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(serde_json::json!({
            "case": case.id,
            "kind": case.kind,
            "state": case.state,
            "priority": case.priority,
        })),
    ))
}

/// Which year the transparency report covers.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TransparencyQuery {
    /// The year (default: the current one).
    year: Option<i16>,
}

/// The public transparency report: government requests for disclosure by country, kind of
/// authority and outcome.
#[utoipa::path(
    get,
    path = "/v1/transparency",
    tag = "staff",
    params(TransparencyQuery),
    responses((status = 200, description = "Counts", content_type = "application/json"), (status = 422, body = crate::error::ErrorBody))
)]
pub(crate) async fn transparency(
    State(state): State<AppState>,
    q: Result<Query<TransparencyQuery>, QueryRejection>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let q = query(q)?;
    let (year, report) = transparency_year(&state, q.year).await?;
    Ok(Json(serde_json::json!({ "year": year, "report": report })))
}

pub(crate) async fn transparency_year(
    state: &AppState,
    year: Option<i16>,
) -> Result<(i16, TransparencyReport), ApiError> {
    let now = state.engine.now();
    let year = year.unwrap_or_else(|| now.to_zoned(jiff::tz::TimeZone::UTC).year());
    if !(2000..=2200).contains(&year) {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
            "give a year between 2000 and 2200",
        )
        .field("year"));
    }
    let start = |y: i16| {
        Date::new(y, 1, 1)
            .ok()
            .and_then(|d| d.to_zoned(jiff::tz::TimeZone::UTC).ok())
            .map(|z| z.timestamp())
            .unwrap_or(now)
    };
    let report = state
        .engine
        .transparency_report(start(year), start(year + 1))
        .await?;
    Ok((year, report))
}
