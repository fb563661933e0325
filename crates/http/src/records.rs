//! Records of personal data: ingest, lookup and reads. Identifiers travel in request bodies,
//! never in URLs, so that they cannot end up in access logs.

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::routing::{get, post};
use custodian_core::{RecordId, SubjectId};
use custodian_engine::records::{IngestRecord, IngestResult, OpenRecord};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::api::{page_limit, query};
use crate::auth::Auth;
use crate::{ApiError, AppState};

/// The largest ingest body accepted.
pub const MAX_BODY: usize = 32 * 1024 * 1024;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/v1/records",
            post(ingest).layer(DefaultBodyLimit::max(MAX_BODY)),
        )
        .route("/v1/records/{id}", get(read_record))
        .route("/v1/records/{id}/rectifications", post(rectify))
        .route("/v1/subjects/lookup", post(lookup))
        .route("/v1/subjects/{id}/records", get(subject_records))
        .route("/v1/subjects/{id}/export", get(export_subject))
        .route(
            "/v1/subjects/{id}/restriction",
            axum::routing::put(restrict).delete(unrestrict),
        )
        .route("/v1/export", get(export_tenant))
}

fn body(b: Result<Bytes, BytesRejection>) -> Result<Bytes, ApiError> {
    b.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                format!("the body exceeds {MAX_BODY} bytes; send smaller batches"),
            )
        } else {
            ApiError::new(StatusCode::BAD_REQUEST, "invalid_body", e.body_text())
        }
    })
}

fn record_from(index: usize, value: serde_json::Value) -> Result<IngestRecord, ApiError> {
    serde_json::from_value(value).map_err(|e| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_record",
            format!("record {index}: {e}"),
        )
        .field(format!("records[{index}]"))
    })
}

/// Reads one JSON record, a JSON array of records, or NDJSON (one record per line).
fn parse_records(headers: &HeaderMap, bytes: &[u8]) -> Result<Vec<IngestRecord>, ApiError> {
    let ndjson = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.starts_with("application/x-ndjson") || v.starts_with("application/ndjson")
        });
    let bad_json = |e: serde_json::Error, line: Option<usize>| {
        let place = match line {
            Some(l) => format!("line {l}"),
            None => format!("line {}, column {}", e.line(), e.column()),
        };
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            format!("the body is not valid JSON at {place}: {e}"),
        )
    };
    if ndjson {
        let text = std::str::from_utf8(bytes).map_err(|_| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_body",
                "NDJSON must be UTF-8 text",
            )
        })?;
        return text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .enumerate()
            .map(|(index, (line, l))| {
                let value = serde_json::from_str(l).map_err(|e| bad_json(e, Some(line + 1)))?;
                record_from(index, value)
            })
            .collect();
    }
    match serde_json::from_slice::<serde_json::Value>(bytes).map_err(|e| bad_json(e, None))? {
        serde_json::Value::Array(items) => items
            .into_iter()
            .enumerate()
            .map(|(i, v)| record_from(i, v))
            .collect(),
        one @ serde_json::Value::Object(_) => Ok(vec![record_from(0, one)?]),
        _ => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            "send one record as a JSON object, a batch as a JSON array, or NDJSON",
        )),
    }
}

/// Ingest one record (a JSON object), a batch (a JSON array) or a stream (NDJSON, one record
/// per line). All or nothing: one bad record refuses the batch and names its index. Send an
/// `Idempotency-Key` header so a retried request is stored once. Needs `records:write`.
#[utoipa::path(
    post,
    path = "/v1/records",
    tag = "records",
    security(("api_key" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retried request store nothing new")),
    request_body(content = String, description = "A record object, an array of records, or NDJSON", content_type = "application/json"),
    responses(
        (status = 201, description = "Stored: the ids, subjects and expiries, in order", content_type = "application/json"),
        (status = 400, body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody),
        (status = 413, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)
    )
)]
pub(crate) async fn ingest(
    State(state): State<AppState>,
    Auth(principal): Auth,
    headers: HeaderMap,
    bytes: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<IngestResult>), ApiError> {
    let bytes = body(bytes)?;
    let records = parse_records(&headers, &bytes)?;
    let key = headers.get("idempotency-key").map(|v| {
        v.to_str().map_err(|_| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_header",
                "the Idempotency-Key must be visible ASCII",
            )
            .field("Idempotency-Key")
        })
    });
    let key = key.transpose()?;
    let result = state
        .engine
        .ingest(&principal, records, key, &bytes)
        .await?;
    Ok((StatusCode::CREATED, Json(result)))
}

/// An identifier to look a subject up by: exactly one of its fields.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Lookup {
    /// The kind: `phone`, `email`, `ip`, `external`, or a channel (`whatsapp`, `line` …).
    kind: String,
    /// The identifier, in any common format.
    value: String,
}

/// The subject found.
#[derive(Debug, serde::Serialize, ToSchema)]
pub struct Found {
    /// The subject's id.
    subject: String,
}

/// Find the subject an identifier belongs to, in the caller's tenant. Needs `records:read`.
#[utoipa::path(
    post,
    path = "/v1/subjects/lookup",
    tag = "records",
    security(("api_key" = [])),
    request_body = Lookup,
    responses(
        (status = 200, body = Found),
        (status = 404, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)
    )
)]
pub(crate) async fn lookup(
    State(state): State<AppState>,
    Auth(principal): Auth,
    bytes: Result<Bytes, BytesRejection>,
) -> Result<Json<Found>, ApiError> {
    let bytes = body(bytes)?;
    let lookup: Lookup = serde_json::from_slice(&bytes).map_err(|e| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            format!("send {{\"kind\": \"phone\", \"value\": \"…\"}}: {e}"),
        )
    })?;
    let subject = state
        .engine
        .find_subject(&principal, &lookup.kind, &lookup.value)
        .await?;
    Ok(Json(Found {
        subject: subject.to_string(),
    }))
}

fn parse_id<T: std::str::FromStr>(text: &str, what: &str) -> Result<T, ApiError> {
    // A malformed id answers exactly like a missing one.
    text.parse().map_err(|_| ApiError::not_found(what))
}

/// Why the data is read, and which part of it.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReadQuery {
    /// The purpose of the read (a policy purpose id); recorded in the audit log.
    purpose: String,
    /// Only this product's records.
    product: Option<String>,
    /// Only records after this id (the page cursor).
    after: Option<String>,
    /// At most this many (1–1000, default 100).
    limit: Option<u32>,
}

/// A page of records.
#[derive(Debug, serde::Serialize)]
pub struct Page {
    records: Vec<OpenRecord>,
    /// The cursor for the next page, if there may be one.
    next: Option<String>,
}

/// A subject's records, opened, for a stated purpose; every read is audited. A subject under
/// restriction returns none. Needs `records:read`.
#[utoipa::path(
    get,
    path = "/v1/subjects/{id}/records",
    tag = "records",
    security(("api_key" = [])),
    params(("id" = String, Path, description = "The subject"), ReadQuery),
    responses(
        (status = 200, description = "A page of records and the next cursor", content_type = "application/json"),
        (status = 404, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)
    )
)]
pub(crate) async fn subject_records(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<String>,
    q: Result<Query<ReadQuery>, QueryRejection>,
) -> Result<Json<Page>, ApiError> {
    let q = query(q)?;
    let subject: SubjectId = parse_id(&id, "subject")?;
    let limit = page_limit(q.limit)?;
    let after = match q.after.as_deref() {
        Some(a) => Some(a.parse::<RecordId>().map_err(|_| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_input",
                "after must be a record id from a previous page",
            )
            .field("after")
        })?),
        None => None,
    };
    let records = state
        .engine
        .subject_records(&principal, subject, &q.purpose, q.product, after, limit)
        .await?;
    let next = (records.len() == limit as usize)
        .then(|| records.last().map(|r| r.id.to_string()))
        .flatten();
    Ok(Json(Page { records, next }))
}

/// Why one record is read.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PurposeQuery {
    /// The purpose of the read (a policy purpose id); recorded in the audit log.
    purpose: String,
}

/// One record, opened, for a stated purpose; the read is audited. Needs `records:read`.
#[utoipa::path(
    get,
    path = "/v1/records/{id}",
    tag = "records",
    security(("api_key" = [])),
    params(("id" = String, Path, description = "The record"), PurposeQuery),
    responses(
        (status = 200, description = "The record", content_type = "application/json"),
        (status = 404, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)
    )
)]
pub(crate) async fn read_record(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<String>,
    q: Result<Query<PurposeQuery>, QueryRejection>,
) -> Result<Json<OpenRecord>, ApiError> {
    let q = query(q)?;
    let id: RecordId = parse_id(&id, "record")?;
    Ok(Json(state.engine.record(&principal, id, &q.purpose).await?))
}

/// The corrected data of a record.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Rectification {
    /// The whole corrected data, keyed by the record's categories; it replaces the old data.
    #[schema(value_type = Object)]
    data: serde_json::Map<String, serde_json::Value>,
}

/// Rectify a record: the corrected data becomes a new version and the old version's data key
/// is destroyed, so the incorrect data can no longer be read anywhere. Needs `records:write`.
#[utoipa::path(
    post,
    path = "/v1/records/{id}/rectifications",
    tag = "records",
    security(("api_key" = [])),
    params(("id" = String, Path, description = "The record to correct (its newest version)")),
    request_body = Rectification,
    responses(
        (status = 201, description = "The new version", content_type = "application/json"),
        (status = 404, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)
    )
)]
pub(crate) async fn rectify(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<String>,
    bytes: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<custodian_engine::records::Rectified>), ApiError> {
    let bytes = body(bytes)?;
    let id: RecordId = parse_id(&id, "record")?;
    let correction: Rectification = serde_json::from_slice(&bytes).map_err(|e| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            format!("send {{\"data\": {{…}}}}: {e}"),
        )
    })?;
    let done = state
        .engine
        .rectify(&principal, id, correction.data)
        .await?;
    Ok((StatusCode::CREATED, Json(done)))
}

/// Streams NDJSON, one opened record per line, fetching one page at a time so that memory stays
/// constant whatever the number of records.
async fn export(
    state: AppState,
    principal: custodian_engine::Principal,
    subject: Option<SubjectId>,
    purpose: String,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    state
        .engine
        .start_export(&principal, subject, &purpose)
        .await?;
    struct Cursor {
        after: Option<RecordId>,
        done: bool,
    }
    let engine = state.engine.clone();
    let stream = futures::stream::unfold(
        Cursor {
            after: None,
            done: false,
        },
        move |cursor| {
            let (engine, principal, purpose) = (engine.clone(), principal.clone(), purpose.clone());
            async move {
                if cursor.done {
                    return None;
                }
                match engine
                    .export_page(&principal, subject, &purpose, cursor.after)
                    .await
                {
                    Ok((records, next)) => {
                        let mut out = Vec::new();
                        for r in &records {
                            if serde_json::to_writer(&mut out, r).is_ok() {
                                out.push(b'\n');
                            }
                        }
                        Some((
                            Ok::<_, std::io::Error>(Bytes::from(out)),
                            Cursor {
                                after: next,
                                done: next.is_none(),
                            },
                        ))
                    }
                    Err(e) => {
                        tracing::error!(error = %e, "an export stopped part way");
                        Some((
                            Err(std::io::Error::other(e.to_string())),
                            Cursor {
                                after: None,
                                done: true,
                            },
                        ))
                    }
                }
            }
        },
    );
    Ok((
        [(header::CONTENT_TYPE, "application/x-ndjson")],
        axum::body::Body::from_stream(stream),
    )
        .into_response())
}

/// Stream a subject's records as NDJSON in constant memory, for a stated purpose; each page is
/// audited. Needs `records:read`.
#[utoipa::path(
    get,
    path = "/v1/subjects/{id}/export",
    tag = "records",
    security(("api_key" = [])),
    params(("id" = String, Path, description = "The subject"), PurposeQuery),
    responses(
        (status = 200, description = "One record per line", content_type = "application/x-ndjson"),
        (status = 404, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)
    )
)]
pub(crate) async fn export_subject(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<String>,
    q: Result<Query<PurposeQuery>, QueryRejection>,
) -> Result<axum::response::Response, ApiError> {
    let q = query(q)?;
    let subject: SubjectId = parse_id(&id, "subject")?;
    export(state, principal, Some(subject), q.purpose).await
}

/// Stream all of the caller's records as NDJSON in constant memory, for a stated purpose; each
/// page is audited. Needs `records:read`.
#[utoipa::path(
    get,
    path = "/v1/export",
    tag = "records",
    security(("api_key" = [])),
    params(PurposeQuery),
    responses(
        (status = 200, description = "One record per line", content_type = "application/x-ndjson"),
        (status = 422, body = crate::error::ErrorBody)
    )
)]
pub(crate) async fn export_tenant(
    State(state): State<AppState>,
    Auth(principal): Auth,
    q: Result<Query<PurposeQuery>, QueryRejection>,
) -> Result<axum::response::Response, ApiError> {
    let q = query(q)?;
    export(state, principal, None, q.purpose).await
}

/// Restrict processing of a subject's data: its records stay stored but every processing read
/// and export leaves them out until the restriction is lifted. Needs `records:write`.
#[utoipa::path(
    put,
    path = "/v1/subjects/{id}/restriction",
    tag = "records",
    security(("api_key" = [])),
    params(("id" = String, Path, description = "The subject")),
    responses((status = 204, description = "Restricted"), (status = 404, body = crate::error::ErrorBody))
)]
pub(crate) async fn restrict(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let subject: SubjectId = parse_id(&id, "subject")?;
    state.engine.restrict(&principal, subject, true).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Lift a subject's restriction. Needs `records:write`.
#[utoipa::path(
    delete,
    path = "/v1/subjects/{id}/restriction",
    tag = "records",
    security(("api_key" = [])),
    params(("id" = String, Path, description = "The subject")),
    responses((status = 204, description = "Restriction lifted"), (status = 404, body = crate::error::ErrorBody))
)]
pub(crate) async fn unrestrict(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let subject: SubjectId = parse_id(&id, "subject")?;
    state.engine.restrict(&principal, subject, false).await?;
    Ok(StatusCode::NO_CONTENT)
}
