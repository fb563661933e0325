//! Data subject requests over the API: a customer files and handles its requests (one at a
//! time, or in bulk as a background job), downloads an access request's export and reads the
//! kept confirmation. Identifiers travel in bodies, never in URLs.

use std::collections::BTreeMap;

use axum::Json;
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use custodian_core::SubjectId;
use custodian_engine::bundle::IndexText;
use custodian_engine::rights::{Attachment, Channel, Correction, Handler, NewRequest, Requester};
use custodian_engine::rights_bulk::BulkSubject;
use custodian_engine::rights_export::ExportSource;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::api::query;
use crate::auth::Auth;
use crate::error::json_body;
use crate::{ApiError, AppState};

/// The largest request body (a bulk call of 10 000 subjects, or a scanned letter).
pub const MAX_BODY: usize = 16 * 1024 * 1024;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/v1/requests",
            post(file).get(list).layer(DefaultBodyLimit::max(MAX_BODY)),
        )
        .route(
            "/v1/requests/bulk",
            post(bulk).layer(DefaultBodyLimit::max(MAX_BODY)),
        )
        .route("/v1/request-jobs/{id}", get(job))
        .route(
            "/v1/request-webhook",
            put(set_webhook).delete(clear_webhook),
        )
        .route("/v1/requests/{id}", get(read))
        .route("/v1/requests/{id}/extension", post(extend))
        .route("/v1/requests/{id}/denial", post(deny))
        .route("/v1/requests/{id}/withdrawal", post(withdraw))
        .route("/v1/requests/{id}/objection-decision", post(decide))
        .route("/v1/requests/{id}/corrections", post(correct))
        .route("/v1/requests/{id}/acceptance", post(accept))
        .route("/v1/requests/{id}/export", get(export))
        .route("/v1/requests/{id}/confirmation", get(confirmation))
}

fn body(b: Result<Bytes, BytesRejection>) -> Result<Bytes, ApiError> {
    b.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                format!("the body exceeds {MAX_BODY} bytes"),
            )
        } else {
            ApiError::new(StatusCode::BAD_REQUEST, "invalid_body", e.body_text())
        }
    })
}

pub(crate) fn request_id(text: &str) -> Result<Uuid, ApiError> {
    text.parse().map_err(|_| ApiError::not_found("request"))
}

/// The requester, as given.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RequesterBody {
    /// Where answers go.
    email: Option<String>,
    /// Their name.
    name: Option<String>,
    /// Their phone number.
    phone: Option<String>,
}

/// A request to file.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewRequestBody {
    /// The right: access, portability, rectification, erasure, restriction, objection,
    /// withdraw-consent, opt-out-sale, opt-in-sale (the CCPA's know, delete, correct and
    /// opt-out are accepted too).
    right: String,
    /// gdpr (default), ccpa, pdpa or voluntary.
    regime: Option<String>,
    /// The requester's language (en, nl, zh-CN, id).
    locale: Option<String>,
    /// Who asks (on whose behalf the customer files).
    #[serde(default)]
    requester: RequesterBody,
    /// How the person is identified: `{"phone": "+31…"}`, `{"email": "…"}`, a channel id.
    #[serde(default)]
    identifiers: BTreeMap<String, String>,
    /// Or the subject's id.
    subject: Option<String>,
    /// Corrections (rectification): `[{"record": "…", "data": {…}}]`.
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    corrections: Vec<Correction>,
    /// What the requester wrote.
    message: Option<String>,
}

impl NewRequestBody {
    pub(crate) fn into_new(self) -> Result<NewRequest, ApiError> {
        let subject = self
            .subject
            .map(|s| {
                s.parse::<SubjectId>().map_err(|_| {
                    ApiError::new(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "invalid_input",
                        "subject is not a subject id",
                    )
                    .field("subject")
                })
            })
            .transpose()?;
        Ok(NewRequest {
            right: self.right,
            regime: self.regime,
            locale: self.locale,
            requester: Requester {
                email: self.requester.email,
                name: self.requester.name,
                phone: self.requester.phone,
                address: None,
            },
            identifiers: self.identifiers,
            subject,
            corrections: self.corrections,
            message: self.message,
            letter: None::<Attachment>,
            received_at: None,
        })
    }
}

const NEW_EXAMPLE: &str = r#"{"right": "erasure", "identifiers": {"phone": "+31612345678"}, "requester": {"email": "person@example.com"}}"#;

/// File a data subject request for an end user (or for the customer's own people): the
/// customer vouches for the requester, and it is carried out at once as far as it goes without
/// a decision. A person about whom nothing is held gets `fulfilled` with `no_data`. Needs
/// `requests:write`.
#[utoipa::path(
    post,
    path = "/v1/requests",
    tag = "requests",
    security(("api_key" = [])),
    request_body = NewRequestBody,
    responses(
        (status = 201, description = "The request, as carried out so far", body = Object),
        (status = 400, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)
    )
)]
pub(crate) async fn file(
    State(state): State<AppState>,
    Auth(principal): Auth,
    b: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let bytes = body(b)?;
    let new: NewRequestBody = json_body(Ok(bytes.clone()), NEW_EXAMPLE)?;
    let view = state
        .engine
        .file_request(&principal, Channel::Api, new.into_new()?)
        .await?;
    Ok((StatusCode::CREATED, Json(view)).into_response())
}

/// Which requests to list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListQuery {
    /// Only open ones, earliest due first.
    #[serde(default)]
    open: bool,
    /// At most this many (1–1000; 100 by default).
    limit: Option<u32>,
}

/// The caller's requests, newest first (or open ones by due date). Needs `requests:read`.
#[utoipa::path(
    get,
    path = "/v1/requests",
    tag = "requests",
    security(("api_key" = [])),
    params(ListQuery),
    responses((status = 200, description = "Requests", body = Object))
)]
pub(crate) async fn list(
    State(state): State<AppState>,
    Auth(principal): Auth,
    q: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let q = query(q)?;
    let requests = state
        .engine
        .tenant_requests(&principal, q.open, q.limit.unwrap_or(100))
        .await?;
    Ok(Json(serde_json::json!({ "requests": requests })).into_response())
}

/// One request with its history and answer. Needs `requests:read`.
#[utoipa::path(
    get,
    path = "/v1/requests/{id}",
    tag = "requests",
    security(("api_key" = [])),
    params(("id" = String, Path, description = "The request")),
    responses((status = 200, description = "The request", body = Object), (status = 404, body = crate::error::ErrorBody))
)]
pub(crate) async fn read(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let view = state
        .engine
        .tenant_request(&principal, request_id(&id)?)
        .await?;
    Ok(Json(view).into_response())
}

/// Why.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReasonBody {
    /// The reason the requester is told.
    reason: String,
}

/// Extend the deadline once, to at most two months from receipt (90 days under the CCPA);
/// the requester is e-mailed the reason. Needs `requests:write`.
#[utoipa::path(
    post,
    path = "/v1/requests/{id}/extension",
    tag = "requests",
    security(("api_key" = [])),
    params(("id" = String, Path, description = "The request")),
    request_body = ReasonBody,
    responses((status = 200, description = "The request", body = Object), (status = 409, body = crate::error::ErrorBody))
)]
pub(crate) async fn extend(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<String>,
    b: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let rid = request_id(&id)?;
    state.engine.ensure_own_request(&principal, rid).await?;
    let r: ReasonBody = json_body(Ok(body(b)?), r#"{"reason": "many requests this month"}"#)?;
    let view = state
        .engine
        .extend_request(&Handler::Tenant(principal), rid, &r.reason)
        .await?;
    Ok(Json(view).into_response())
}

/// A refusal.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct DenialBody {
    /// suspected_fraud, insuf_verification, no_match, claim_not_covered,
    /// outside_jurisdiction, too_many_requests, compelling_grounds or other.
    reason: String,
    /// What the requester is told.
    explanation: String,
}

/// Deny a request with a reason and an explanation for the requester. Needs `requests:write`.
#[utoipa::path(
    post,
    path = "/v1/requests/{id}/denial",
    tag = "requests",
    security(("api_key" = [])),
    params(("id" = String, Path, description = "The request")),
    request_body = DenialBody,
    responses((status = 200, description = "The request", body = Object), (status = 409, body = crate::error::ErrorBody))
)]
pub(crate) async fn deny(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<String>,
    b: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let rid = request_id(&id)?;
    state.engine.ensure_own_request(&principal, rid).await?;
    let d: DenialBody = json_body(
        Ok(body(b)?),
        r#"{"reason": "no_match", "explanation": "…"}"#,
    )?;
    let view = state
        .engine
        .deny_request(&Handler::Tenant(principal), rid, &d.reason, &d.explanation)
        .await?;
    Ok(Json(view).into_response())
}

/// An optional reason.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct OptionalReason {
    /// Why.
    reason: Option<String>,
}

/// Record that the requester withdrew the request. Needs `requests:write`.
#[utoipa::path(
    post,
    path = "/v1/requests/{id}/withdrawal",
    tag = "requests",
    security(("api_key" = [])),
    params(("id" = String, Path, description = "The request")),
    request_body = OptionalReason,
    responses((status = 200, description = "The request", body = Object), (status = 409, body = crate::error::ErrorBody))
)]
pub(crate) async fn withdraw(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<String>,
    b: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let rid = request_id(&id)?;
    state.engine.ensure_own_request(&principal, rid).await?;
    let bytes = body(b)?;
    let r: OptionalReason = if bytes.is_empty() {
        OptionalReason::default()
    } else {
        json_body(Ok(bytes.clone()), r#"{"reason": "…"}"#)?
    };
    let view = state
        .engine
        .withdraw_request(&Handler::Tenant(principal), rid, r.reason)
        .await?;
    Ok(Json(view).into_response())
}

/// A decision on an objection.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct DecisionBody {
    /// Whether the objection is upheld (processing for a legitimate interest stops).
    uphold: bool,
    /// The grounds, recorded and told to the requester.
    grounds: String,
}

/// Decide an objection to processing for a legitimate interest, with the grounds. Needs
/// `requests:write`.
#[utoipa::path(
    post,
    path = "/v1/requests/{id}/objection-decision",
    tag = "requests",
    security(("api_key" = [])),
    params(("id" = String, Path, description = "The request")),
    request_body = DecisionBody,
    responses((status = 200, description = "The request", body = Object), (status = 409, body = crate::error::ErrorBody))
)]
pub(crate) async fn decide(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<String>,
    b: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let rid = request_id(&id)?;
    state.engine.ensure_own_request(&principal, rid).await?;
    let d: DecisionBody = json_body(Ok(body(b)?), r#"{"uphold": true, "grounds": "…"}"#)?;
    let view = state
        .engine
        .decide_objection(&Handler::Tenant(principal), rid, d.uphold, &d.grounds)
        .await?;
    Ok(Json(view).into_response())
}

/// Corrections.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CorrectionsBody {
    /// `[{"record": "…", "data": {"category": value}}]`.
    #[schema(value_type = Vec<Object>)]
    corrections: Vec<Correction>,
}

/// Complete a rectification request with the corrected data: each record gets a new version
/// and the incorrect one becomes unreadable. Needs `requests:write`.
#[utoipa::path(
    post,
    path = "/v1/requests/{id}/corrections",
    tag = "requests",
    security(("api_key" = [])),
    params(("id" = String, Path, description = "The request")),
    request_body = CorrectionsBody,
    responses((status = 200, description = "The request", body = Object), (status = 409, body = crate::error::ErrorBody))
)]
pub(crate) async fn correct(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<String>,
    b: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let rid = request_id(&id)?;
    state.engine.ensure_own_request(&principal, rid).await?;
    let c: CorrectionsBody = json_body(
        Ok(body(b)?),
        r#"{"corrections": [{"record": "…", "data": {"contact-details": {"email": "…"}}}]}"#,
    )?;
    let view = state
        .engine
        .complete_rectification(&Handler::Tenant(principal), rid, c.corrections)
        .await?;
    Ok(Json(view).into_response())
}

/// Take up a request the platform routed to the caller (the controller): it is carried out in
/// the caller's tenant. Needs `requests:write`.
#[utoipa::path(
    post,
    path = "/v1/requests/{id}/acceptance",
    tag = "requests",
    security(("api_key" = [])),
    params(("id" = String, Path, description = "The request")),
    responses((status = 200, description = "The request", body = Object), (status = 409, body = crate::error::ErrorBody))
)]
pub(crate) async fn accept(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let view = state
        .engine
        .accept_routed(&principal, request_id(&id)?)
        .await?;
    Ok(Json(view).into_response())
}

/// The words of an export's index page, in `lang`.
pub(crate) struct ExportWords(BTreeMap<String, String>, String);

impl ExportWords {
    pub(crate) fn of(state: &AppState, lang: &str) -> Self {
        let words = state.pages.words(lang);
        let keys = [
            "title",
            "intro",
            "subject",
            "generated",
            "files",
            "file",
            "contents",
            "records",
            "json",
            "csv",
            "products",
            "product",
            "retained",
            "retained_intro",
            "category",
            "until",
            "why",
            "erased",
            "no_data",
        ];
        Self(
            keys.iter()
                .map(|k| {
                    let key = format!("ui_export_{k}");
                    (k.to_string(), words.get(&key).cloned().unwrap_or(key))
                })
                .collect(),
            lang.to_string(),
        )
    }

    fn get(&self, k: &str) -> &str {
        self.0.get(k).map(String::as_str).unwrap_or("")
    }

    pub(crate) fn text(&self) -> IndexText<'_> {
        IndexText {
            lang: &self.1,
            title: self.get("title"),
            intro: self.get("intro"),
            subject_label: self.get("subject"),
            generated_label: self.get("generated"),
            files_heading: self.get("files"),
            file_label: self.get("file"),
            contents_label: self.get("contents"),
            records_label: self.get("records"),
            json_description: self.get("json"),
            csv_description: self.get("csv"),
            products_heading: self.get("products"),
            product_label: self.get("product"),
            retained_heading: self.get("retained"),
            retained_intro: self.get("retained_intro"),
            category_label: self.get("category"),
            until_label: self.get("until"),
            why_label: self.get("why"),
            erased: self.get("erased"),
            no_data: self.get("no_data"),
        }
    }
}

/// Streams an export as a ZIP download: the first bytes leave before the last record is read.
pub(crate) fn export_response(state: &AppState, source: ExportSource) -> Response {
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<u8>>(4);
    let engine = state.engine.clone();
    let words = ExportWords::of(state, &source.locale);
    let name = format!("data-{}.zip", source.request);
    tokio::spawn(async move {
        if let Err(e) = engine.stream_export(&source, &words.text(), tx).await {
            // The client sees a truncated archive, which does not open: never a silent gap.
            tracing::error!(request = %source.request, error = %e, "an export failed midway");
        }
    });
    let stream = futures::stream::poll_fn(move |cx| {
        rx.poll_recv(cx)
            .map(|chunk| chunk.map(|c| Ok::<_, std::io::Error>(Bytes::from(c))))
    });
    let mut response = Response::new(Body::from_stream(stream));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/zip"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Download the answer to a fulfilled access or portability request: a ZIP with the records
/// as JSON, a CSV per product and a readable index in the requester's language, streamed.
/// Available for 30 days after the answer. Needs `requests:read`.
#[utoipa::path(
    get,
    path = "/v1/requests/{id}/export",
    tag = "requests",
    security(("api_key" = [])),
    params(("id" = String, Path, description = "The request")),
    responses(
        (status = 200, description = "The export", content_type = "application/zip"),
        (status = 404, body = crate::error::ErrorBody)
    )
)]
pub(crate) async fn export(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let source = state
        .engine
        .tenant_export(&principal, request_id(&id)?)
        .await?;
    Ok(export_response(&state, source))
}

/// The confirmation kept for a closed request (five years): to whom, subject and body.
/// Needs `requests:read`.
#[utoipa::path(
    get,
    path = "/v1/requests/{id}/confirmation",
    tag = "requests",
    security(("api_key" = [])),
    params(("id" = String, Path, description = "The request")),
    responses((status = 200, description = "The letter", body = Object), (status = 404, body = crate::error::ErrorBody))
)]
pub(crate) async fn confirmation(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let view = state
        .engine
        .tenant_request(&principal, request_id(&id)?)
        .await?;
    let letter = state
        .engine
        .confirmation(view.id)
        .await?
        .ok_or_else(|| ApiError::not_found("confirmation"))?;
    Ok(Json(letter).into_response())
}

/// A bulk request.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct BulkBody {
    /// The right, for every subject (not objection or rectification).
    right: String,
    /// gdpr (default), ccpa, pdpa or voluntary.
    regime: Option<String>,
    /// Up to 10 000 subjects: `{"identifiers": {…}}`, `{"subject": "…"}`, optionally `email`
    /// for the person's confirmation.
    #[schema(value_type = Vec<Object>)]
    subjects: Vec<BulkSubject>,
}

/// File one right for many subjects as a job worked through in the background; poll
/// `/v1/request-jobs/{id}` for its progress. One bad entry refuses the call and is named.
/// Needs `requests:write`.
#[utoipa::path(
    post,
    path = "/v1/requests/bulk",
    tag = "requests",
    security(("api_key" = [])),
    request_body = BulkBody,
    responses(
        (status = 202, description = "The job", body = Object),
        (status = 413, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)
    )
)]
pub(crate) async fn bulk(
    State(state): State<AppState>,
    Auth(principal): Auth,
    b: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let bytes = body(b)?;
    let bulk: BulkBody = json_body(
        Ok(bytes),
        r#"{"right": "erasure", "subjects": [{"identifiers": {"phone": "+31612345678"}}]}"#,
    )?;
    let job = state
        .engine
        .submit_bulk(&principal, &bulk.right, bulk.regime, bulk.subjects)
        .await?;
    state.engine.spawn_job(job.id);
    let mut response = (StatusCode::ACCEPTED, Json(&job)).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("/v1/request-jobs/{}", job.id)) {
        response.headers_mut().insert(header::LOCATION, v);
    }
    Ok(response)
}

/// A bulk job's progress: its requests counted by state. Needs `requests:read`.
#[utoipa::path(
    get,
    path = "/v1/request-jobs/{id}",
    tag = "requests",
    security(("api_key" = [])),
    params(("id" = String, Path, description = "The job")),
    responses((status = 200, description = "The job", body = Object), (status = 404, body = crate::error::ErrorBody))
)]
pub(crate) async fn job(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id: Uuid = id.parse().map_err(|_| ApiError::not_found("job"))?;
    let job = state.engine.bulk_job(&principal, id).await?;
    Ok(Json(job).into_response())
}

/// Where routed requests are posted.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct WebhookBody {
    /// An https:// address; each routed request is posted there as JSON, signed in
    /// `X-Custodian-Signature`.
    url: String,
}

/// Set where requests the platform routes to the caller are posted (besides the e-mail to its
/// account holders). Needs `requests:write`.
#[utoipa::path(
    put,
    path = "/v1/request-webhook",
    tag = "requests",
    security(("api_key" = [])),
    request_body = WebhookBody,
    responses((status = 204, description = "Set"), (status = 422, body = crate::error::ErrorBody))
)]
pub(crate) async fn set_webhook(
    State(state): State<AppState>,
    Auth(principal): Auth,
    b: Result<Bytes, BytesRejection>,
) -> Result<StatusCode, ApiError> {
    let w: WebhookBody = json_body(Ok(body(b)?), r#"{"url": "https://example.com/privacy"}"#)?;
    state
        .engine
        .set_rights_webhook(&principal, Some(&w.url))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Stop posting routed requests (the e-mail stays). Needs `requests:write`.
#[utoipa::path(
    delete,
    path = "/v1/request-webhook",
    tag = "requests",
    security(("api_key" = [])),
    responses((status = 204, description = "Removed"))
)]
pub(crate) async fn clear_webhook(
    State(state): State<AppState>,
    Auth(principal): Auth,
) -> Result<StatusCode, ApiError> {
    state.engine.set_rights_webhook(&principal, None).await?;
    Ok(StatusCode::NO_CONTENT)
}
