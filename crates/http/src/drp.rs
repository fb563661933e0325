//! The Data Rights Protocol 1.0 endpoints: pairwise key setup, agent information, exercise,
//! status and revocation. Every refused envelope or token answers 403 with an empty body;
//! requests the protocol cannot take answer its error object `{"code","message","fatal"}`.
//! Each path is served with and without a trailing slash (agents differ).

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use custodian_engine::drp::{DrpFailure, MAX_ENVELOPE};

use crate::{ApiError, AppState};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/agent/{id}", post(pair).get(agent))
        .route("/v1/agent/{id}/", post(pair).get(agent))
        .route("/v1/data-rights-request", post(exercise))
        .route("/v1/data-rights-request/", post(exercise))
        .route("/v1/data-rights-request/{id}", get(status).delete(revoke))
        .route("/v1/data-rights-request/{id}/", get(status).delete(revoke))
        .layer(DefaultBodyLimit::max(MAX_ENVELOPE))
}

fn forbidden() -> Response {
    StatusCode::FORBIDDEN.into_response()
}

fn failure(f: DrpFailure) -> Response {
    match f {
        DrpFailure::Refused(why) => {
            tracing::info!(?why, "a protocol envelope was refused");
            forbidden()
        }
        DrpFailure::Error(e) => (
            StatusCode::from_u16(e.status).unwrap_or(StatusCode::BAD_REQUEST),
            Json(serde_json::json!({
                "code": e.status.to_string(),
                "message": e.message,
                "fatal": e.fatal,
            })),
        )
            .into_response(),
        DrpFailure::Engine(e) => ApiError::from(e).into_response(),
    }
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

/// The agent the request's bearer token belongs to.
async fn token_agent(state: &AppState, headers: &HeaderMap) -> Result<String, Response> {
    let token = bearer(headers).ok_or_else(forbidden)?;
    match state.engine.drp_agent(token).await {
        Ok(Some(agent)) => Ok(agent),
        Ok(None) => Err(forbidden()),
        Err(e) => Err(ApiError::from(e).into_response()),
    }
}

/// Data Rights Protocol pairwise key setup: the body is base64 of an Ed25519 signature and the
/// JSON claims (`agent-id`, `business-id`, `issued-at`, `expires-at`, `drp.version`), signed
/// with the agent's key from the local directory. Answers a bearer token; any failure is 403
/// with an empty body. Also served with a trailing slash.
#[utoipa::path(
    post,
    path = "/v1/agent/{id}",
    tag = "drp",
    params(("id" = String, Path, description = "The agent")),
    request_body(content = String, content_type = "text/plain"),
    responses(
        (status = 200, description = "`{\"agent-id\", \"token\"}`", body = Object),
        (status = 403, description = "Refused (empty body)")
    )
)]
pub(crate) async fn pair(
    State(state): State<AppState>,
    Path(id): Path<String>,
    b: Result<Bytes, BytesRejection>,
) -> Response {
    let (Some(settings), Ok(bytes)) = (state.drp.as_deref(), b) else {
        return forbidden();
    };
    match state.engine.drp_pair(settings, &id, &bytes).await {
        Ok(token) => Json(serde_json::json!({ "agent-id": id, "token": token })).into_response(),
        Err(f) => failure(f),
    }
}

/// Data Rights Protocol agent information: `{}` for the token's own agent, else 403.
#[utoipa::path(
    get,
    path = "/v1/agent/{id}",
    tag = "drp",
    params(("id" = String, Path, description = "The agent")),
    responses((status = 200, description = "`{}`", body = Object), (status = 403, description = "Refused (empty body)"))
)]
pub(crate) async fn agent(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    if state.drp.is_none() {
        return forbidden();
    }
    match token_agent(&state, &headers).await {
        Ok(agent) if agent == id => Json(serde_json::json!({})).into_response(),
        Ok(_) => forbidden(),
        Err(r) => r,
    }
}

/// Data Rights Protocol exercise: a bearer token and a signed envelope whose claims name the
/// right (`access`, `deletion`, `sale:opt-out`, `sale:opt-in`), the regime (`ccpa`,
/// `voluntary` or none) and the person (`email`, `phone_number`, with `*_verified`). Answers
/// the status object; an envelope refused in the specification's order is 403 with an empty
/// body; a right not supported is the protocol's 400 object. Also served with a trailing slash.
#[utoipa::path(
    post,
    path = "/v1/data-rights-request",
    tag = "drp",
    request_body(content = String, content_type = "text/plain"),
    responses(
        (status = 200, description = "The status object", body = Object),
        (status = 400, description = "`{\"code\", \"message\", \"fatal\"}`", body = Object),
        (status = 403, description = "Refused (empty body)")
    )
)]
pub(crate) async fn exercise(
    State(state): State<AppState>,
    headers: HeaderMap,
    b: Result<Bytes, BytesRejection>,
) -> Response {
    let (Some(settings), Ok(bytes)) = (state.drp.as_deref(), b) else {
        return forbidden();
    };
    let agent = match token_agent(&state, &headers).await {
        Ok(a) => a,
        Err(r) => return r,
    };
    match state.engine.drp_exercise(settings, &agent, &bytes).await {
        Ok(status) => Json(status).into_response(),
        Err(f) => failure(f),
    }
}

/// Data Rights Protocol status of one of the agent's requests; another agent's is 403.
#[utoipa::path(
    get,
    path = "/v1/data-rights-request/{id}",
    tag = "drp",
    params(("id" = String, Path, description = "The request")),
    responses((status = 200, description = "The status object", body = Object), (status = 403, description = "Refused (empty body)"))
)]
pub(crate) async fn status(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    if state.drp.is_none() {
        return forbidden();
    }
    let agent = match token_agent(&state, &headers).await {
        Ok(a) => a,
        Err(r) => return r,
    };
    let Ok(id) = id.parse() else {
        return forbidden();
    };
    match state.engine.drp_status(&agent, id).await {
        Ok(status) => Json(status).into_response(),
        Err(f) => failure(f),
    }
}

/// Data Rights Protocol revocation: a signed envelope with the `reason`; answers the status
/// object with `revoked`.
#[utoipa::path(
    delete,
    path = "/v1/data-rights-request/{id}",
    tag = "drp",
    params(("id" = String, Path, description = "The request")),
    request_body(content = String, content_type = "text/plain"),
    responses((status = 200, description = "The status object", body = Object), (status = 403, description = "Refused (empty body)"))
)]
pub(crate) async fn revoke(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    b: Result<Bytes, BytesRejection>,
) -> Response {
    let (Some(settings), Ok(bytes)) = (state.drp.as_deref(), b) else {
        return forbidden();
    };
    let agent = match token_agent(&state, &headers).await {
        Ok(a) => a,
        Err(r) => return r,
    };
    let Ok(id) = id.parse() else {
        return forbidden();
    };
    match state.engine.drp_revoke(settings, &agent, id, &bytes).await {
        Ok(status) => Json(status).into_response(),
        Err(f) => failure(f),
    }
}
