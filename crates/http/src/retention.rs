//! Retention for the calling customer: its buckets and their expiry, legal holds on its data,
//! and the periods it agreed within a rule's bounds.

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get, put};
use axum::{Json, Router};
use custodian_core::SubjectId;
use custodian_engine::Scope;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Auth;
use crate::error::json_body as json;
use crate::{ApiError, AppState};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/retention", get(overview))
        .route(
            "/v1/retention/periods/{rule}",
            put(set_period).delete(clear_period),
        )
        .route("/v1/holds", get(list_holds).post(place_hold))
        .route("/v1/holds/{id}", delete(lift_hold))
}

/// One retention bucket of the caller's data.
#[derive(Debug, Serialize, ToSchema)]
pub struct Bucket {
    /// Its name: `<rule>/<day>`, `<rule>/open` (kept until the contract ends) or
    /// `<rule>/held` (under a legal hold).
    name: String,
    /// The retention rule.
    rule: String,
    /// When it expires (RFC 3339), if known.
    expires_at: Option<String>,
    /// `live`, `expiring`, `expired` (unreadable) or `purged`.
    state: String,
    /// Records it held when it expired.
    records: Option<i64>,
}

/// A legal hold.
#[derive(Debug, Serialize, ToSchema)]
pub struct Hold {
    /// Its id.
    id: String,
    /// The subject it holds, or none for all of the caller's data.
    subject: Option<String>,
    /// The case it serves.
    case: Option<String>,
    /// Why.
    reason: String,
    /// Who placed it.
    author: String,
    /// When (RFC 3339).
    placed_at: String,
    /// When it ends by itself, if it does.
    ends_at: Option<String>,
    /// When it was lifted, if it was.
    lifted_at: Option<String>,
}

impl From<custodian_store::LegalHold> for Hold {
    fn from(h: custodian_store::LegalHold) -> Self {
        Self {
            id: h.id.to_string(),
            subject: h.subject.map(|s| s.to_string()),
            case: h.case_ref,
            reason: h.reason,
            author: h.author,
            placed_at: h.placed_at.to_string(),
            ends_at: h.ends_at.map(|t| t.to_string()),
            lifted_at: h.lifted_at.map(|t| t.to_string()),
        }
    }
}

/// The caller's retention: buckets, holds and agreed terms.
#[derive(Debug, Serialize, ToSchema)]
pub struct Overview {
    /// Every bucket, soonest expiry first.
    buckets: Vec<Bucket>,
    /// Every hold, newest first.
    holds: Vec<Hold>,
    /// The day the contract ends, once known.
    contract_ends_on: Option<String>,
    /// Periods agreed per rule.
    periods: std::collections::BTreeMap<String, String>,
}

/// The calling customer's retention buckets, holds and agreed periods.
#[utoipa::path(
    get,
    path = "/v1/retention",
    tag = "retention",
    security(("api_key" = [])),
    responses((status = 200, body = Overview), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody))
)]
pub(crate) async fn overview(
    State(state): State<AppState>,
    Auth(principal): Auth,
) -> Result<Json<Overview>, ApiError> {
    principal.require(Scope::RecordsRead)?;
    let engine = &state.engine;
    let buckets = engine
        .buckets(Some(principal.tenant), 10_000)
        .await?
        .into_iter()
        .map(|b| Bucket {
            name: b.name,
            rule: b.rule,
            expires_at: b.expires_at.map(|t| t.to_string()),
            state: b.state.as_str().to_string(),
            records: b.records,
        })
        .collect();
    let holds = engine
        .holds(Some(principal.tenant))
        .await?
        .into_iter()
        .map(Hold::from)
        .collect();
    let terms = engine
        .store()
        .retention_terms(principal.tenant)
        .await
        .map_err(custodian_engine::EngineError::from)?;
    Ok(Json(Overview {
        buckets,
        holds,
        contract_ends_on: terms.contract_ends_on,
        periods: terms.periods,
    }))
}

/// A period to agree for a rule.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPeriod {
    /// ISO 8601 (`P90D`, `P1Y`), within the rule's bounds.
    period: String,
}

/// What a period change did.
#[derive(Debug, Serialize, ToSchema)]
pub struct PeriodSet {
    /// The rule.
    rule: String,
    /// The period now in force for it (`null`: the policy's).
    period: Option<String>,
    /// Records re-filed by the day they were made.
    refiled: usize,
}

fn rule_path(p: Result<Path<String>, PathRejection>) -> Result<String, ApiError> {
    p.map(|Path(r)| r).map_err(|e| {
        ApiError::new(StatusCode::BAD_REQUEST, "invalid_path", e.body_text()).field("rule")
    })
}

/// Agrees a retention period for a rule that lets customers choose one (R3: "a different
/// period as agreed upon with you"). Buckets are re-timed; records kept for the contract are
/// re-filed by the day they were made.
#[utoipa::path(
    put,
    path = "/v1/retention/periods/{rule}",
    tag = "retention",
    security(("api_key" = [])),
    params(("rule" = String, Path, description = "A retention rule with customer bounds, e.g. `omnichannel`")),
    request_body = NewPeriod,
    responses((status = 200, body = PeriodSet), (status = 422, body = crate::error::ErrorBody))
)]
pub(crate) async fn set_period(
    State(state): State<AppState>,
    Auth(principal): Auth,
    rule: Result<Path<String>, PathRejection>,
    bytes: Result<Bytes, BytesRejection>,
) -> Result<Json<PeriodSet>, ApiError> {
    principal.require(Scope::RecordsWrite)?;
    let rule = rule_path(rule)?;
    let body: NewPeriod = json(bytes, r#"{"period": "P90D"}"#)?;
    let refiled = state
        .engine
        .set_retention_period(
            &principal.actor(),
            principal.tenant,
            &rule,
            Some(&body.period),
        )
        .await?;
    Ok(Json(PeriodSet {
        rule,
        period: Some(body.period),
        refiled,
    }))
}

/// Goes back to the policy's period for a rule.
#[utoipa::path(
    delete,
    path = "/v1/retention/periods/{rule}",
    tag = "retention",
    security(("api_key" = [])),
    params(("rule" = String, Path, description = "A retention rule with customer bounds")),
    responses((status = 200, body = PeriodSet), (status = 422, body = crate::error::ErrorBody))
)]
pub(crate) async fn clear_period(
    State(state): State<AppState>,
    Auth(principal): Auth,
    rule: Result<Path<String>, PathRejection>,
) -> Result<Json<PeriodSet>, ApiError> {
    principal.require(Scope::RecordsWrite)?;
    let rule = rule_path(rule)?;
    let refiled = state
        .engine
        .set_retention_period(&principal.actor(), principal.tenant, &rule, None)
        .await?;
    Ok(Json(PeriodSet {
        rule,
        period: None,
        refiled,
    }))
}

/// The calling customer's legal holds, newest first.
#[utoipa::path(
    get,
    path = "/v1/holds",
    tag = "retention",
    security(("api_key" = [])),
    responses((status = 200, body = [Hold]))
)]
pub(crate) async fn list_holds(
    State(state): State<AppState>,
    Auth(principal): Auth,
) -> Result<Json<Vec<Hold>>, ApiError> {
    principal.require(Scope::RecordsRead)?;
    Ok(Json(
        state
            .engine
            .holds(Some(principal.tenant))
            .await?
            .into_iter()
            .map(Hold::from)
            .collect(),
    ))
}

/// A legal hold to place.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewHold {
    /// One subject (an id from a lookup); all of the caller's data when absent.
    subject: Option<String>,
    /// The case it serves (a government request, a legal claim).
    case: Option<String>,
    /// Why the data must be kept.
    reason: String,
    /// When it ends by itself (RFC 3339); until lifted when absent.
    ends_at: Option<String>,
}

/// Places a legal hold: the data it covers does not expire while it holds.
#[utoipa::path(
    post,
    path = "/v1/holds",
    tag = "retention",
    security(("api_key" = [])),
    request_body = NewHold,
    responses((status = 201, body = Hold), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody))
)]
pub(crate) async fn place_hold(
    State(state): State<AppState>,
    Auth(principal): Auth,
    bytes: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<Hold>), ApiError> {
    principal.require(Scope::RecordsWrite)?;
    let body: NewHold = json(bytes, r#"{"subject": "…", "case": "…", "reason": "…"}"#)?;
    let subject = body
        .subject
        .map(|s| {
            s.parse::<SubjectId>().map_err(|_| {
                ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid_input",
                    format!("`{s}` is not a subject id"),
                )
                .field("subject")
            })
        })
        .transpose()?;
    let ends_at = body
        .ends_at
        .map(|t| {
            t.parse::<jiff::Timestamp>().map_err(|_| {
                ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid_input",
                    format!("`{t}` is not a time; write RFC 3339, e.g. 2027-01-01T00:00:00Z"),
                )
                .field("ends_at")
            })
        })
        .transpose()?;
    let hold = state
        .engine
        .place_hold(
            &principal.actor(),
            principal.tenant,
            subject,
            body.case,
            &body.reason,
            ends_at,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(hold.into())))
}

/// Lifts a legal hold of the caller's.
#[utoipa::path(
    delete,
    path = "/v1/holds/{id}",
    tag = "retention",
    security(("api_key" = [])),
    params(("id" = String, Path, description = "The hold's id")),
    responses((status = 200, body = Hold), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody))
)]
pub(crate) async fn lift_hold(
    State(state): State<AppState>,
    Auth(principal): Auth,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<Hold>, ApiError> {
    principal.require(Scope::RecordsWrite)?;
    let id = id
        .ok()
        .and_then(|Path(id)| id.parse::<uuid::Uuid>().ok())
        .ok_or_else(|| ApiError::not_found("hold"))?;
    let hold = state
        .engine
        .lift_hold(&principal.actor(), principal.tenant, id)
        .await?;
    Ok(Json(hold.into()))
}
