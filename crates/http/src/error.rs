//! The one place where errors become HTTP responses: `{"error":{"code","message","field"}}`.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use custodian_engine::EngineError;
use serde::Serialize;
use utoipa::ToSchema;

/// An error answer.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// The status.
    pub status: StatusCode,
    /// A stable, machine-readable code.
    pub code: &'static str,
    /// What went wrong, for people.
    pub message: String,
    /// The input field at fault, if one is.
    pub field: Option<String>,
}

/// The JSON body of every error.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// The error itself.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// A stable, machine-readable code (`not_found`, `invalid_input`, …).
    pub code: String,
    /// What went wrong and how to fix it.
    pub message: String,
    /// The input field at fault.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl ApiError {
    /// An error with no field.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            field: None,
        }
    }

    /// Names the field at fault.
    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// Nothing here.
    pub fn not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("no such {what}"),
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let unauthenticated = self.status == StatusCode::UNAUTHORIZED;
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code.to_string(),
                message: self.message,
                field: self.field,
            },
        };
        let mut response = (self.status, Json(body)).into_response();
        if unauthenticated {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

impl From<EngineError> for ApiError {
    fn from(e: EngineError) -> Self {
        match e {
            EngineError::Invalid { field, message } => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input", message)
                    .field(field)
            }
            EngineError::InvalidField { field, message } => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input", message)
                    .field(field)
            }
            e @ EngineError::InvalidRecord { .. } => {
                let EngineError::InvalidRecord { index, field, .. } = &e else {
                    unreachable!()
                };
                let field = format!("records[{index}].{field}");
                ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid_record",
                    e.to_string(),
                )
                .field(field)
            }
            EngineError::BadToken(m) => {
                ApiError::new(StatusCode::BAD_REQUEST, "invalid_token", m).field("token")
            }
            EngineError::TooLarge(m) => {
                ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "too_large", m)
            }
            EngineError::NotFound { kind } => ApiError::not_found(kind),
            EngineError::Conflict(m) => ApiError::new(StatusCode::CONFLICT, "conflict", m),
            EngineError::Raced(m) => ApiError::new(StatusCode::CONFLICT, "conflict", m),
            EngineError::Unauthenticated(m) => {
                ApiError::new(StatusCode::UNAUTHORIZED, "unauthenticated", m)
            }
            e @ EngineError::Forbidden(_) => {
                ApiError::new(StatusCode::FORBIDDEN, "forbidden", e.to_string())
            }
            EngineError::NotPermitted(m) => {
                ApiError::new(StatusCode::FORBIDDEN, "not_permitted", m)
            }
            e @ EngineError::Throttled { .. } => {
                ApiError::new(StatusCode::TOO_MANY_REQUESTS, "throttled", e.to_string())
            }
            EngineError::Limited { message, .. } => {
                ApiError::new(StatusCode::TOO_MANY_REQUESTS, "limited", message)
            }
            e @ EngineError::SecondFactorRequired => ApiError::new(
                StatusCode::UNAUTHORIZED,
                "second_factor_required",
                e.to_string(),
            )
            .field("code"),
            e @ EngineError::Locked => {
                ApiError::new(StatusCode::FORBIDDEN, "locked", e.to_string())
            }
            EngineError::Unavailable(detail) => {
                tracing::error!(%detail, "database unavailable");
                ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    "the database is unavailable; retry shortly",
                )
            }
            e @ (EngineError::WrongMasterKey | EngineError::Store(_)) => {
                tracing::error!(error = %e, "storage failure");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "an internal error occurred; it was logged",
                )
            }
        }
    }
}

/// A JSON body parsed into `T`, or a 422 that shows `example` and names the missing or
/// unknown field.
pub(crate) fn json_body<T: serde::de::DeserializeOwned>(
    bytes: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
    example: &str,
) -> Result<T, ApiError> {
    let bytes =
        bytes.map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "invalid_body", e.body_text()))?;
    let mut de = serde_json::Deserializer::from_slice(&bytes);
    let parsed: Result<T, _> = serde_path_to_error::deserialize(&mut de);
    let value = parsed.map_err(|e| {
        let path = e.path().to_string();
        let text = e.inner().to_string();
        // The field: where the error is; for a missing field, the field in its container (an
        // unknown field's path already ends in it).
        let named = text
            .split('`')
            .nth(1)
            .filter(|_| text.starts_with("missing field"))
            .map(|f| {
                if path == "." {
                    f.to_string()
                } else {
                    format!("{path}.{f}")
                }
            });
        let field = named.or_else(|| (path != "." && path != "?").then_some(path));
        let error = ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            format!("send {example}: {text}"),
        );
        match field {
            Some(f) => error.field(f),
            None => error,
        }
    })?;
    de.end().map_err(|e| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            format!("send {example}: {e}"),
        )
    })?;
    Ok(value)
}
