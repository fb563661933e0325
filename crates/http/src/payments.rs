//! Payment consents over HTTP: saved payment methods and Auto Recharge, each on the payer's
//! consent, each deleted at once when it is withdrawn.

use std::collections::BTreeMap;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, post};
use custodian_core::SubjectId;
use custodian_engine::payments::{SaveMethod, SetRecharge};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::auth::Auth;
use crate::error::json_body;
use crate::{ApiError, AppState};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/payment-methods", post(save).get(list))
        .route("/v1/payment-methods/withdrawal", post(withdraw))
        .route("/v1/payment-methods/{id}", delete(remove))
        .route(
            "/v1/auto-recharge",
            axum::routing::put(set_recharge)
                .get(read_recharge)
                .delete(stop_recharge),
        )
}

/// Whose payment consents.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PayerQuery {
    /// The payer's subject id.
    subject: Option<String>,
}

fn subject_of(q: Result<Query<PayerQuery>, QueryRejection>) -> Result<Option<SubjectId>, ApiError> {
    let bad = || {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
            "`subject` is a subject id (a UUID)",
        )
        .field("subject")
    };
    let Query(q) = q.map_err(|_| bad())?;
    q.subject
        .map(|s| s.parse::<SubjectId>().map_err(|_| bad()))
        .transpose()
}

/// Save a payment method on the payer's consent: only the fields the policy lists for the
/// method are kept (card: last four digits, expiry, cardholder name; iDEAL: IBAN/BIC and
/// account name; PayPal: the account's e-mail), sealed; a card number anywhere is refused.
/// The payment service provider holds the means of payment as a controller in its own right.
/// Needs `consent:write`.
#[utoipa::path(
    post,
    path = "/v1/payment-methods",
    tag = "consent",
    security(("api_key" = [])),
    request_body(content = String, description = "`{identifiers|subject, method, psp, fields, consent}`", content_type = "application/json"),
    responses(
        (status = 201, description = "The saved method: id, label, fields kept, the PSP and its role", content_type = "application/json"),
        (status = 404, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)
    )
)]
pub(crate) async fn save(
    State(state): State<AppState>,
    Auth(principal): Auth,
    bytes: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let body: SaveMethod = json_body(
        bytes,
        r#"{"identifiers":{"email":"billing@acme.example"},"method":"credit-card","psp":"stripe","fields":{"card-last-four":"4242","card-expiry":"2027-12","cardholder-name":"A. Jansen"},"consent":{"method":"checkbox","locale":"en"}}"#,
    )?;
    let saved = state.engine.save_payment_method(&principal, body).await?;
    Ok((StatusCode::CREATED, Json(saved)).into_response())
}

/// The saved payment methods of the tenant, or of one payer (`?subject=`). Needs
/// `consent:read`.
#[utoipa::path(
    get,
    path = "/v1/payment-methods",
    tag = "consent",
    security(("api_key" = [])),
    params(PayerQuery),
    responses(
        (status = 200, description = "`{methods: [...]}`", content_type = "application/json"),
        (status = 422, body = crate::error::ErrorBody)
    )
)]
pub(crate) async fn list(
    State(state): State<AppState>,
    Auth(principal): Auth,
    query: Result<Query<PayerQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let subject = subject_of(query)?;
    let methods = state.engine.payment_methods(&principal, subject).await?;
    Ok(Json(serde_json::json!({ "methods": methods })).into_response())
}

/// Delete one saved payment method; deleting a payer's last one withdraws the consent to keep
/// them. Needs `consent:write`.
#[utoipa::path(
    delete,
    path = "/v1/payment-methods/{id}",
    tag = "consent",
    security(("api_key" = [])),
    params(("id" = String, Path, description = "The saved method")),
    responses((status = 204, description = "Deleted"), (status = 404, body = crate::error::ErrorBody))
)]
pub(crate) async fn remove(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id: Uuid = id
        .parse()
        .map_err(|_| ApiError::not_found("payment method"))?;
    state.engine.delete_payment_method(&principal, id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// A payer, by subject or identifiers.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Payer {
    subject: Option<SubjectId>,
    #[serde(default)]
    identifiers: BTreeMap<String, String>,
}

/// Withdraw the payer's consent to keep payment methods: every saved method is deleted in the
/// same transaction as the withdrawal's record. Needs `consent:write`.
#[utoipa::path(
    post,
    path = "/v1/payment-methods/withdrawal",
    tag = "consent",
    security(("api_key" = [])),
    request_body(content = String, description = "`{subject}` or `{identifiers}`", content_type = "application/json"),
    responses(
        (status = 200, description = "`{deleted}`: how many methods went", content_type = "application/json"),
        (status = 404, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)
    )
)]
pub(crate) async fn withdraw(
    State(state): State<AppState>,
    Auth(principal): Auth,
    bytes: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let payer: Payer = json_body(bytes, r#"{"identifiers":{"email":"billing@acme.example"}}"#)?;
    let deleted = state
        .engine
        .withdraw_saved_methods(&principal, payer.subject, &payer.identifiers)
        .await?;
    Ok(Json(serde_json::json!({ "deleted": deleted })).into_response())
}

/// Switch Auto Recharge on (or change it) on the payer's consent: a threshold, an amount and a
/// currency, optionally a saved method to charge. Needs `consent:write`.
#[utoipa::path(
    put,
    path = "/v1/auto-recharge",
    tag = "consent",
    security(("api_key" = [])),
    request_body(content = String, description = "`{identifiers|subject, threshold, amount, currency, method?, consent}`", content_type = "application/json"),
    responses(
        (status = 200, description = "The setting", content_type = "application/json"),
        (status = 404, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)
    )
)]
pub(crate) async fn set_recharge(
    State(state): State<AppState>,
    Auth(principal): Auth,
    bytes: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let body: SetRecharge = json_body(
        bytes,
        r#"{"identifiers":{"email":"billing@acme.example"},"threshold":1000,"amount":5000,"currency":"EUR","consent":{"method":"checkbox"}}"#,
    )?;
    let set = state.engine.set_auto_recharge(&principal, body).await?;
    Ok(Json(set).into_response())
}

/// A payer's Auto Recharge (`?subject=`). Needs `consent:read`.
#[utoipa::path(
    get,
    path = "/v1/auto-recharge",
    tag = "consent",
    security(("api_key" = [])),
    params(PayerQuery),
    responses(
        (status = 200, description = "The setting", content_type = "application/json"),
        (status = 404, body = crate::error::ErrorBody)
    )
)]
pub(crate) async fn read_recharge(
    State(state): State<AppState>,
    Auth(principal): Auth,
    query: Result<Query<PayerQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let subject = subject_of(query)?.ok_or_else(|| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
            "name the payer: ?subject=<subject id>",
        )
        .field("subject")
    })?;
    match state.engine.auto_recharge(&principal, subject).await? {
        Some(r) => Ok(Json(r).into_response()),
        None => Err(ApiError::not_found("auto recharge")),
    }
}

/// Switch Auto Recharge off: the consent is withdrawn and the setting deleted together. Needs
/// `consent:write`.
#[utoipa::path(
    delete,
    path = "/v1/auto-recharge",
    tag = "consent",
    security(("api_key" = [])),
    params(PayerQuery),
    responses((status = 204, description = "Off"), (status = 404, body = crate::error::ErrorBody))
)]
pub(crate) async fn stop_recharge(
    State(state): State<AppState>,
    Auth(principal): Auth,
    query: Result<Query<PayerQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let subject = subject_of(query)?.ok_or_else(|| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
            "name the payer: ?subject=<subject id>",
        )
        .field("subject")
    })?;
    state
        .engine
        .stop_auto_recharge(&principal, Some(subject), &BTreeMap::new())
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
