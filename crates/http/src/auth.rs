//! The API-key extractor: a handler that takes [`Auth`] only runs for a valid key.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use custodian_engine::Principal;

use crate::{ApiError, AppState};

/// The authenticated caller.
#[derive(Debug, Clone)]
pub struct Auth(pub Principal);

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let missing = || {
            ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "send an API key as `Authorization: Bearer <key>`; make one with `custodian apikey create`",
            )
        };
        let value = parts
            .headers
            .get(header::AUTHORIZATION)
            .ok_or_else(missing)?;
        let value = value.to_str().map_err(|_| missing())?;
        let token = value
            .strip_prefix("Bearer ")
            .or_else(|| value.strip_prefix("bearer "))
            .ok_or_else(missing)?;
        let principal = state.engine.authenticate(token).await?;
        Ok(Auth(principal))
    }
}
