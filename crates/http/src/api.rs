//! The JSON API under `/v1`.

use axum::Json;
use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use custodian_engine::Scope;
use custodian_policy::{diff, ropa};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Auth;
use crate::{ApiError, AppState};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/me", get(me))
        .route("/v1/policy", get(policy_summary))
        .route("/v1/policy/diff", get(policy_diff))
        .route("/v1/policy/versions/{label}/ropa", get(policy_ropa))
        .route("/v1/policy/subprocessors", get(policy_subprocessors))
        .route("/v1/audit/events", get(audit_events))
}

/// A page size: 100 unless given, and 1 to 1000.
pub(crate) fn page_limit(limit: Option<u32>) -> Result<u32, ApiError> {
    let limit = limit.unwrap_or(100);
    if (1..=1000).contains(&limit) {
        Ok(limit)
    } else {
        Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
            "limit must be between 1 and 1000",
        )
        .field("limit"))
    }
}

/// A query string parsed, or a 400 that says what is wrong with it.
pub(crate) fn query<T>(q: Result<Query<T>, QueryRejection>) -> Result<T, ApiError> {
    q.map(|Query(v)| v).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_query",
            format!("the query string is not valid: {}", e.body_text()),
        )
    })
}

/// The calling tenant and API key.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    /// The tenant's id.
    tenant_id: String,
    /// The tenant's name.
    tenant_name: String,
    /// The API key's id.
    api_key_id: String,
    /// What the key may do.
    scopes: Vec<String>,
}

/// Who am I: the tenant and scopes of the presented API key.
#[utoipa::path(
    get,
    path = "/v1/me",
    tag = "account",
    security(("api_key" = [])),
    responses((status = 200, body = Me), (status = 401, body = crate::error::ErrorBody))
)]
pub(crate) async fn me(
    State(state): State<AppState>,
    Auth(principal): Auth,
) -> Result<Json<Me>, ApiError> {
    let tenant = state.engine.tenant(principal.tenant).await?;
    Ok(Json(Me {
        tenant_id: tenant.id.to_string(),
        tenant_name: tenant.name,
        api_key_id: principal
            .api_key()
            .map(|k| k.to_string())
            .unwrap_or_default(),
        scopes: principal
            .scopes
            .iter()
            .map(|s| s.as_str().to_string())
            .collect(),
    }))
}

/// One policy version.
#[derive(Debug, Serialize, ToSchema)]
pub struct VersionSummary {
    /// Its label.
    label: String,
    /// When it takes effect.
    effective: String,
}

/// The policy loaded.
#[derive(Debug, Serialize, ToSchema)]
pub struct PolicySummary {
    /// The policy's name.
    name: String,
    /// The version in force.
    current: String,
    /// Every version, oldest first.
    versions: Vec<VersionSummary>,
    /// The locales its texts exist in.
    locales: Vec<String>,
}

/// The policy in force, its versions and locales.
#[utoipa::path(get, path = "/v1/policy", tag = "policy", responses((status = 200, body = PolicySummary)))]
pub(crate) async fn policy_summary(State(state): State<AppState>) -> Json<PolicySummary> {
    let policy = state.engine.policy();
    Json(PolicySummary {
        name: policy.manifest.policy.name.clone(),
        current: policy
            .current()
            .map(|v| v.label.clone())
            .unwrap_or_default(),
        versions: policy
            .versions
            .iter()
            .map(|v| VersionSummary {
                label: v.label.clone(),
                effective: v
                    .version
                    .as_ref()
                    .map(|i| i.effective.as_str().to_string())
                    .unwrap_or_default(),
            })
            .collect(),
        locales: policy.locales.iter().map(|l| l.tag.clone()).collect(),
    })
}

/// The two versions to compare.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DiffQuery {
    /// The older version.
    from: String,
    /// The newer version.
    to: String,
}

/// What changed between two policy versions, each change material or editorial.
#[utoipa::path(
    get,
    path = "/v1/policy/diff",
    tag = "policy",
    params(DiffQuery),
    responses(
        (status = 200, description = "The changes", content_type = "application/json"),
        (status = 404, body = crate::error::ErrorBody),
        (status = 400, body = crate::error::ErrorBody)
    )
)]
pub(crate) async fn policy_diff(
    State(state): State<AppState>,
    q: Result<Query<DiffQuery>, QueryRejection>,
) -> Result<Json<diff::VersionDiff>, ApiError> {
    let q = query(q)?;
    let policy = state.engine.policy();
    let from = policy
        .version(&q.from)
        .ok_or_else(|| ApiError::not_found("policy version").field("from"))?;
    let to = policy
        .version(&q.to)
        .ok_or_else(|| ApiError::not_found("policy version").field("to"))?;
    Ok(Json(diff::diff(from, to, policy.source_locale())))
}

/// The ROPA's format and language.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RopaQuery {
    /// `json` (default), `csv` or `md`.
    format: Option<String>,
    /// The locale of the wording (default `en`).
    lang: Option<String>,
}

/// The record of processing activities (GDPR Art. 30) of one policy version.
#[utoipa::path(
    get,
    path = "/v1/policy/versions/{label}/ropa",
    tag = "policy",
    params(("label" = String, Path, description = "The policy version"), RopaQuery),
    responses(
        (status = 200, description = "The record, as JSON, CSV or Markdown"),
        (status = 404, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)
    )
)]
pub(crate) async fn policy_ropa(
    State(state): State<AppState>,
    Path(label): Path<String>,
    q: Result<Query<RopaQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let q = query(q)?;
    let policy = state.engine.policy();
    let version = policy
        .version(&label)
        .ok_or_else(|| ApiError::not_found("policy version"))?;
    let lang = q.lang.as_deref().unwrap_or("en");
    let locale = locale_of(policy, lang)?;
    let record = ropa::build(version, Some(locale));
    Ok(match q.format.as_deref().unwrap_or("json") {
        "json" => Json(record).into_response(),
        "csv" => {
            let csv = record.to_csv().map_err(|e| {
                tracing::error!(error = %e, "ROPA CSV");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "the CSV could not be written",
                )
            })?;
            ([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], csv).into_response()
        }
        "md" => (
            [(header::CONTENT_TYPE, "text/markdown; charset=utf-8")],
            record.to_markdown(),
        )
            .into_response(),
        other => {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_input",
                format!("`{other}` is not a format; use json, csv or md"),
            )
            .field("format"));
        }
    })
}

/// Which audit events to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only events after this position (default 0).
    after: Option<i64>,
    /// At most this many (1–1000, default 100).
    limit: Option<u32>,
}

/// The calling tenant's audit events, oldest first. Needs the `audit:read` scope.
#[utoipa::path(
    get,
    path = "/v1/audit/events",
    tag = "audit",
    params(AuditQuery),
    security(("api_key" = [])),
    responses(
        (status = 200, description = "Events in chain order", content_type = "application/json"),
        (status = 401, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody)
    )
)]
pub(crate) async fn audit_events(
    State(state): State<AppState>,
    Auth(principal): Auth,
    q: Result<Query<AuditQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    principal.require(Scope::AuditRead)?;
    let q = query(q)?;
    let limit = page_limit(q.limit)?;
    let events = state
        .engine
        .tenant_audit_events(principal.tenant, q.after.unwrap_or(0).max(0), limit)
        .await?;
    Ok(Json(serde_json::json!({ "events": events })).into_response())
}

/// The locale `lang` of the policy; a 422 naming the locales otherwise.
fn locale_of<'p>(
    policy: &'p custodian_policy::Policy,
    lang: &str,
) -> Result<&'p custodian_policy::Locale, ApiError> {
    policy.locale(lang).ok_or_else(|| {
        let known: Vec<&str> = policy.locales.iter().map(|l| l.tag.as_str()).collect();
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
            format!(
                "`{lang}` is not a locale of the policy; use one of: {}",
                known.join(", ")
            ),
        )
        .field("lang")
    })
}

/// The version named, or the one in force; a 404 naming the versions otherwise.
pub(crate) fn version_or_current<'p>(
    policy: &'p custodian_policy::Policy,
    label: Option<&str>,
) -> Result<&'p custodian_policy::PolicyVersion, ApiError> {
    match label {
        Some(label) => policy.version(label).ok_or_else(|| {
            let known: Vec<&str> = policy.versions.iter().map(|v| v.label.as_str()).collect();
            ApiError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                format!(
                    "there is no version `{label}`; the versions are: {}",
                    known.join(", ")
                ),
            )
            .field("version")
        }),
        None => policy.current().ok_or_else(|| {
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "not_ready",
                "no policy version is in force",
            )
        }),
    }
}

/// Query of `GET /v1/policy/subprocessors`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SubprocessorQuery {
    /// The policy version (default: the one in force).
    version: Option<String>,
    /// The locale of the descriptions (default `en`).
    lang: Option<String>,
}

/// The approved subprocessors of a version (name, service, data, country, transfer safeguard,
/// approved since), and every change to the list across versions, newest first.
#[utoipa::path(
    get,
    path = "/v1/policy/subprocessors",
    tag = "policy",
    params(SubprocessorQuery),
    responses(
        (status = 200, description = "The list and its changes", content_type = "application/json"),
        (status = 404, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)
    )
)]
pub(crate) async fn policy_subprocessors(
    State(state): State<AppState>,
    q: Result<Query<SubprocessorQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let q = query(q)?;
    let policy = state.engine.policy();
    let version = version_or_current(policy, q.version.as_deref())?;
    let lang = q.lang.as_deref().unwrap_or("en");
    let locale = locale_of(policy, lang)?;
    Ok(Json(serde_json::json!({
        "version": version.label,
        "subprocessors": custodian_policy::subprocessors::list(policy, version, Some(locale)),
        "changes": custodian_policy::subprocessors::changes(policy),
    }))
    .into_response())
}
