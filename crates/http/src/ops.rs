//! Operations: liveness, readiness, metrics and the OpenAPI document.

use std::time::Duration;

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Serialize;
use utoipa::ToSchema;

use crate::{ApiError, AppState};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .route("/openapi.json", get(openapi))
}

/// The process is alive.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// Always `ok`.
    status: &'static str,
}

/// The process can serve requests.
#[derive(Debug, Serialize, ToSchema)]
pub struct Ready {
    /// Always `ready`.
    status: &'static str,
    /// `sqlite` or `postgres`.
    database: String,
    /// The database's schema version.
    schema_version: i64,
    /// The policy version in force.
    policy_version: String,
}

/// Liveness: answers as long as the process runs.
#[utoipa::path(get, path = "/healthz", tag = "operations", responses((status = 200, body = Health)))]
pub(crate) async fn healthz() -> Json<Health> {
    Json(Health { status: "ok" })
}

/// Readiness: the database answers and a valid policy is loaded.
#[utoipa::path(
    get,
    path = "/readyz",
    tag = "operations",
    responses((status = 200, body = Ready), (status = 503, body = crate::error::ErrorBody))
)]
pub(crate) async fn readyz(State(state): State<AppState>) -> Result<Json<Ready>, ApiError> {
    let store = state.engine.store();
    let unavailable =
        |why: String| ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "not_ready", why);
    let version = tokio::time::timeout(Duration::from_secs(2), async {
        store.ping().await?;
        store.schema_version().await
    })
    .await
    .map_err(|_| unavailable("the database did not answer within 2 seconds".into()))?
    .map_err(|e| unavailable(format!("the database is not usable: {e}")))?;
    let policy = state
        .engine
        .policy()
        .current()
        .ok_or_else(|| unavailable("no policy version is in force".into()))?;
    Ok(Json(Ready {
        status: "ready",
        database: store.backend().to_string(),
        schema_version: version,
        policy_version: policy.label.clone(),
    }))
}

/// Prometheus metrics in the text exposition format.
#[utoipa::path(get, path = "/metrics", tag = "operations", responses((status = 200, content_type = "text/plain", body = String)))]
pub(crate) async fn metrics(State(state): State<AppState>) -> Response {
    let head = state
        .engine
        .store()
        .audit_head()
        .await
        .map(|h| h.seq)
        .unwrap_or(-1);
    let policy = state.engine.policy();
    let extra = [
        (
            "custodian_audit_events",
            "Events in the audit chain (-1 when the database does not answer).",
            format!("custodian_audit_events {head}"),
        ),
        (
            "custodian_policy_versions",
            "Policy versions loaded.",
            format!("custodian_policy_versions {}", policy.versions.len()),
        ),
        (
            "custodian_build_info",
            "The running build.",
            format!(
                "custodian_build_info{{version=\"{}\"}} 1",
                env!("CARGO_PKG_VERSION")
            ),
        ),
    ];
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(&extra),
    )
        .into_response()
}

async fn openapi() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        crate::openapi_json(),
    )
        .into_response()
}
