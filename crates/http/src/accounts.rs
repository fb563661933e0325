//! Accounts over HTTP: sign-up, e-mail verification, sessions in a cookie (HttpOnly, Secure,
//! SameSite=Strict) with a CSRF token required on every change, and the TOTP second factor.

use std::net::SocketAddr;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use custodian_engine::accounts::{ClientInfo, SessionPrincipal, SignUp};
use custodian_store::AccountRow;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::json_body as json;
use crate::{ApiError, AppState};

/// The session cookie's name.
pub(crate) const SESSION_COOKIE: &str = "custodian_session";
/// The header that carries the CSRF token on changes.
pub(crate) const CSRF_HEADER: &str = "x-csrf-token";

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/account/signup", post(sign_up))
        .route("/v1/account/verify", post(verify))
        .route("/v1/account/session", post(sign_in).delete(sign_out))
        .route("/v1/account", axum::routing::get(me))
        .route("/v1/account/totp", post(enrol_totp))
        .route("/v1/account/totp/confirm", post(confirm_totp))
        .route("/v1/account/password/reset", post(request_reset))
}

/// An account as its holder sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountView {
    /// Its id.
    id: String,
    /// `customer` or `staff`.
    kind: String,
    /// The customer (tenant) it belongs to.
    tenant: Option<String>,
    /// Its e-mail address.
    email: String,
    /// Whether the address is verified.
    email_verified: bool,
    /// Whether a second factor is required at sign-in.
    second_factor: bool,
    /// Staff roles.
    roles: Vec<String>,
    /// The version of the Terms accepted.
    terms_version: Option<String>,
    /// The version of the data processing agreement accepted.
    dpa_version: Option<String>,
}

fn view(state: &AppState, a: &AccountRow) -> Result<AccountView, ApiError> {
    Ok(AccountView {
        id: a.id.to_string(),
        kind: a.kind.as_str().to_string(),
        tenant: a.tenant.map(|t| t.to_string()),
        email: state.engine.account_email(a)?,
        email_verified: a.email_verified_at.is_some(),
        second_factor: a.totp_enabled_at.is_some(),
        roles: a.roles.clone(),
        terms_version: a.terms_version.clone(),
        dpa_version: a.dpa_version.clone(),
    })
}

/// A sign-up.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignUpBody {
    /// The e-mail address that signs in.
    email: String,
    /// 12 to 256 characters.
    password: String,
    /// The customer's name.
    company: String,
    /// The customer's region (ISO 3166-1 alpha-2).
    #[serde(default)]
    region: Option<String>,
    /// `en`, `nl`, `zh-CN` or `id`.
    #[serde(default)]
    locale: Option<String>,
    /// The version of the Terms read and accepted.
    terms_version: String,
    /// The version of the data processing agreement read and accepted.
    dpa_version: String,
    /// The person is 18 or older.
    adult: bool,
}

/// Signs a customer up: a new tenant and its first account; a verification e-mail is sent.
#[utoipa::path(
    post,
    path = "/v1/account/signup",
    tag = "accounts",
    request_body = SignUpBody,
    responses((status = 201, body = AccountView), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody))
)]
pub(crate) async fn sign_up(
    State(state): State<AppState>,
    bytes: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<AccountView>), ApiError> {
    let body: SignUpBody = json(
        bytes,
        r#"{"email": "…", "password": "…", "company": "…", "terms_version": "…", "dpa_version": "…", "adult": true}"#,
    )?;
    let account = state
        .engine
        .sign_up(SignUp {
            email: body.email,
            password: body.password,
            company: body.company,
            region: body.region,
            locale: body.locale.unwrap_or_else(|| "en".into()),
            terms_version: body.terms_version,
            dpa_version: body.dpa_version,
            adult: body.adult,
        })
        .await?;
    Ok((StatusCode::CREATED, Json(view(&state, &account)?)))
}

/// The token of a verification link.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyBody {
    /// The `token` of the link in the e-mail.
    token: String,
}

/// Verifies an account's e-mail address.
#[utoipa::path(
    post,
    path = "/v1/account/verify",
    tag = "accounts",
    request_body = VerifyBody,
    responses((status = 200, body = AccountView), (status = 422, body = crate::error::ErrorBody))
)]
pub(crate) async fn verify(
    State(state): State<AppState>,
    bytes: Result<Bytes, BytesRejection>,
) -> Result<Json<AccountView>, ApiError> {
    let body: VerifyBody = json(bytes, r#"{"token": "…"}"#)?;
    let account = state.engine.verify_email(&body.token).await?;
    Ok(Json(view(&state, &account)?))
}

/// A sign-in.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignInBody {
    /// The account's address.
    email: String,
    /// Its password.
    password: String,
    /// The six-digit code of the authenticator app, or a recovery code, when the account has a
    /// second factor.
    #[serde(default)]
    code: Option<String>,
}

/// A started session. Its token is in the `custodian_session` cookie only.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionView {
    /// Send this as `X-CSRF-Token` with every change made in the session.
    csrf: String,
    /// When the session ends unless used (RFC 3339).
    expires_at: String,
    /// The account.
    account: AccountView,
}

fn client(parts: &HeaderMap, peer: Option<SocketAddr>) -> ClientInfo {
    ClientInfo {
        ip: peer.map(|p| p.ip().to_string()),
        country: None,
        user_agent: parts
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|s| s.chars().take(300).collect()),
    }
}

fn cookie(token: &str, max_age: i64) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age={max_age}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("custodian_session=; Path=/; Max-Age=0"))
}

/// Signs in: the session token is set as an HttpOnly, Secure, SameSite=Strict cookie.
#[utoipa::path(
    post,
    path = "/v1/account/session",
    tag = "accounts",
    request_body = SignInBody,
    responses(
        (status = 201, body = SessionView),
        (status = 401, description = "wrong address or password, or (`second_factor_required`) the code is missing", body = crate::error::ErrorBody),
        (status = 403, description = "the account is locked", body = crate::error::ErrorBody),
        (status = 429, description = "too many failed sign-ins", body = crate::error::ErrorBody)
    )
)]
pub(crate) async fn sign_in(
    State(state): State<AppState>,
    Peer(peer): Peer,
    headers: HeaderMap,
    bytes: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let body: SignInBody = json(
        bytes,
        r#"{"email": "…", "password": "…", "code": "123456"}"#,
    )?;
    let started = state
        .engine
        .sign_in(
            &body.email,
            &body.password,
            body.code.as_deref(),
            &client(&headers, peer),
        )
        .await?;
    let max_age = state.engine.account_settings().session_absolute.as_secs();
    let view = SessionView {
        csrf: started.csrf.clone(),
        expires_at: started.expires_at.to_string(),
        account: view(&state, &started.account)?,
    };
    let mut response = (StatusCode::CREATED, Json(view)).into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, cookie(&started.token, max_age));
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// The client's address, when the server was started with connection info.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Peer(pub(crate) Option<SocketAddr>);

impl<S: Send + Sync> FromRequestParts<S> for Peer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Peer(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0),
        ))
    }
}

/// The signed-in account of a request: its session cookie, and for any change the CSRF token.
#[derive(Debug, Clone)]
pub(crate) struct SignedIn {
    pub(crate) principal: SessionPrincipal,
    pub(crate) token: String,
}

pub(crate) fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_string())
        .filter(|v| !v.is_empty())
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = session_token(&parts.headers).ok_or_else(|| {
            ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "sign in first: POST /v1/account/session",
            )
        })?;
        let principal = state.engine.session(&token).await?;
        if !matches!(parts.method, Method::GET | Method::HEAD) {
            let sent = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if !state.engine.csrf_matches(&token, sent) {
                return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    "csrf",
                    "send the session's CSRF token (returned at sign-in) as `X-CSRF-Token`",
                )
                .field(CSRF_HEADER));
            }
        }
        Ok(SignedIn { principal, token })
    }
}

/// Signs out: the session ends and its cookie is cleared.
#[utoipa::path(
    delete,
    path = "/v1/account/session",
    tag = "accounts",
    params(("X-CSRF-Token" = String, Header, description = "The session's CSRF token")),
    responses((status = 204), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody))
)]
pub(crate) async fn sign_out(
    State(state): State<AppState>,
    signed_in: SignedIn,
) -> Result<Response, ApiError> {
    state.engine.sign_out(&signed_in.token).await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, cookie("", 0));
    Ok(response)
}

/// The signed-in account.
#[utoipa::path(
    get,
    path = "/v1/account",
    tag = "accounts",
    responses((status = 200, body = AccountView), (status = 401, body = crate::error::ErrorBody))
)]
pub(crate) async fn me(
    State(state): State<AppState>,
    signed_in: SignedIn,
) -> Result<Json<AccountView>, ApiError> {
    Ok(Json(view(&state, &signed_in.principal.account)?))
}

/// A second factor to set up.
#[derive(Debug, Serialize, ToSchema)]
pub struct TotpView {
    /// The secret in base32, to type into an authenticator app.
    secret: String,
    /// The `otpauth://` URI, for a QR code.
    uri: String,
}

/// Starts setting up TOTP: required at sign-in once confirmed with a code.
#[utoipa::path(
    post,
    path = "/v1/account/totp",
    tag = "accounts",
    params(("X-CSRF-Token" = String, Header, description = "The session's CSRF token")),
    responses((status = 201, body = TotpView), (status = 401, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody))
)]
pub(crate) async fn enrol_totp(
    State(state): State<AppState>,
    signed_in: SignedIn,
) -> Result<(StatusCode, Json<TotpView>), ApiError> {
    let enrolment = state
        .engine
        .enrol_totp(&signed_in.principal.account)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(TotpView {
            secret: enrolment.secret,
            uri: enrolment.uri,
        }),
    ))
}

/// A code from the authenticator app.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeBody {
    /// Six digits.
    code: String,
}

/// Recovery codes, shown once.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecoveryCodes {
    /// Each works once instead of a TOTP code; keep them somewhere safe.
    recovery_codes: Vec<String>,
}

/// Confirms TOTP with a code: from now on sign-in needs one. Returns ten recovery codes.
#[utoipa::path(
    post,
    path = "/v1/account/totp/confirm",
    tag = "accounts",
    params(("X-CSRF-Token" = String, Header, description = "The session's CSRF token")),
    request_body = CodeBody,
    responses((status = 200, body = RecoveryCodes), (status = 401, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody))
)]
pub(crate) async fn confirm_totp(
    State(state): State<AppState>,
    signed_in: SignedIn,
    bytes: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let body: CodeBody = json(bytes, r#"{"code": "123456"}"#)?;
    let codes = state
        .engine
        .confirm_totp(signed_in.principal.account.id, &body.code)
        .await?;
    let mut response = Json(RecoveryCodes {
        recovery_codes: codes,
    })
    .into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// An address to send a password-reset link to.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetRequest {
    /// The account's e-mail address.
    email: String,
}

/// What a reset request answers, whether or not the address has an account.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResetAccepted {
    /// `accepted`.
    status: &'static str,
}

/// Asks for a password-reset link by e-mail (at most one per ten minutes). The answer is the
/// same whether or not the address has an account.
#[utoipa::path(
    post,
    path = "/v1/account/password/reset",
    tag = "accounts",
    request_body = ResetRequest,
    responses((status = 202, body = ResetAccepted), (status = 422, body = crate::error::ErrorBody))
)]
pub(crate) async fn request_reset(
    State(state): State<AppState>,
    bytes: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<ResetAccepted>), ApiError> {
    let body: ResetRequest = json(bytes, r#"{"email": "…"}"#)?;
    state.engine.request_password_reset(&body.email).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(ResetAccepted { status: "accepted" }),
    ))
}
