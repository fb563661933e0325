//! Custodian's HTTP edge: the JSON API under `/v1`, health and readiness, Prometheus metrics,
//! the OpenAPI document and the web pages.
//!
//! Handlers parse input into validated types, call one engine service and map its error in
//! one place ([`error`]). They never touch SQL and never build HTML by hand: pages come from
//! templates with auto-escaping.
#![deny(missing_docs)]

mod account_pages;
mod accounts;
mod api;
mod auth;
mod consent;
mod consent_pages;
pub use consent::banner_assets;
mod console;
mod drp;
pub mod error;
mod metrics;
mod notices;
mod ops;
mod pages;
mod payments;
mod records;
mod retention;
mod rights;
mod rights_pages;
pub mod smtp;
mod staff;

use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderName, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use custodian_engine::Engine;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;

pub use error::ApiError;
pub use metrics::Metrics;

/// What every handler shares.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The domain services.
    pub engine: Engine,
    /// The edge's own metrics.
    pub metrics: Arc<Metrics>,
    pages: Arc<pages::Pages>,
    /// Whether clients reach the server over TLS (its public URL is `https://`): pages then
    /// carry `Strict-Transport-Security`.
    https: bool,
    /// The bearer token the mail relay posts inbound messages with; `None` turns the inbound
    /// endpoint off.
    inbound_token: Option<Arc<str>>,
    /// Recent posts per client address and kind (compromise reports, privacy-center forms),
    /// to limit the public forms' use.
    reports: Arc<staff::ReportLimiter>,
    /// The Data Rights Protocol: our business id and the agents we accept; `None` answers
    /// every protocol call with 403.
    drp: Option<Arc<custodian_engine::drp::DrpSettings>>,
}

impl AppState {
    /// State around an engine.
    pub fn new(engine: Engine) -> Self {
        Self {
            engine,
            metrics: Arc::new(Metrics::default()),
            pages: Arc::new(pages::Pages::new()),
            https: false,
            inbound_token: None,
            reports: Arc::default(),
            drp: None,
        }
    }

    /// The same state, answering the Data Rights Protocol as `settings` say.
    #[must_use]
    pub fn with_drp(mut self, settings: Option<custodian_engine::drp::DrpSettings>) -> Self {
        self.drp = settings.map(Arc::new);
        self
    }

    /// The same state, taking inbound mail posted with `token` (at least 32 characters).
    #[must_use]
    pub fn with_inbound_token(mut self, token: Option<String>) -> Self {
        self.inbound_token = token.filter(|t| t.len() >= 32).map(Arc::from);
        self
    }

    /// The same state, telling whether clients reach the server over TLS.
    #[must_use]
    pub fn with_https(mut self, https: bool) -> Self {
        self.https = https;
        self
    }
}

/// The OpenAPI document of the JSON API.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Custodian",
        description = "The personal-data system a privacy statement describes. Every error is \
                       `{\"error\":{\"code\",\"message\",\"field\"}}`.",
        license(name = "Apache-2.0")
    ),
    paths(
        ops::healthz,
        ops::readyz,
        ops::metrics,
        api::me,
        api::policy_summary,
        api::policy_diff,
        api::policy_ropa,
        api::policy_subprocessors,
        notices::api_object,
        notices::api_subscribe,
        api::audit_events,
        records::ingest,
        records::lookup,
        records::subject_records,
        records::read_record,
        records::rectify,
        records::export_subject,
        records::export_tenant,
        records::restrict,
        records::unrestrict,
        retention::overview,
        retention::set_period,
        retention::clear_period,
        retention::list_holds,
        retention::place_hold,
        retention::lift_hold,
        accounts::sign_up,
        accounts::verify,
        accounts::sign_in,
        accounts::sign_out,
        accounts::me,
        accounts::enrol_totp,
        accounts::confirm_totp,
        accounts::request_reset,
        staff::my_access,
        staff::request_grant,
        staff::list_grants,
        staff::revoke_grant,
        staff::request_approval,
        staff::list_approvals,
        staff::decide,
        staff::execute,
        staff::audit,
        staff::officer_actions,
        staff::review_officers,
        staff::read_records,
        staff::list_cases,
        staff::read_case,
        staff::note_case,
        staff::lock_down,
        staff::erase_child,
        staff::intake_disclosure,
        staff::review_disclosure,
        staff::disclosure_notice,
        staff::request_release,
        staff::release,
        staff::report_compromise,
        staff::inbound_mail,
        staff::transparency,
        rights::file,
        rights::list,
        rights::read,
        rights::extend,
        rights::deny,
        rights::withdraw,
        rights::decide,
        rights::correct,
        rights::accept,
        rights::export,
        rights::confirmation,
        rights::bulk,
        rights::job,
        rights::set_webhook,
        rights::clear_webhook,
        drp::pair,
        drp::agent,
        drp::exercise,
        drp::status,
        drp::revoke,
        consent::record,
        consent::check,
        consent::history,
        consent::visitor_events,
        consent::unsubscribe_link,
        payments::save,
        payments::list,
        payments::remove,
        payments::withdraw,
        payments::set_recharge,
        payments::read_recharge,
        payments::stop_recharge,
    ),
    components(schemas(error::ErrorBody, error::ErrorDetail, records::Lookup, records::Found, records::Rectification, consent::ConsentBody, consent::LinkBody)),
    modifiers(&BearerAuth),
    tags(
        (name = "operations", description = "Health, readiness and metrics"),
        (name = "account", description = "The calling tenant and key"),
        (name = "policy", description = "The policy in force and its history"),
        (name = "audit", description = "The tenant's audit events"),
        (name = "notices", description = "Change notices by e-mail, with double opt-in"),
        (name = "retention", description = "Retention buckets, legal holds and agreed periods of the calling customer"),
        (name = "records", description = "Personal data: sealed at ingest, found by blind index, read for a stated purpose"),
        (name = "accounts", description = "People's accounts: sign-up, verification, sessions in a cookie with a CSRF token, TOTP"),
        (name = "requests", description = "Data subject requests: every right, one-month deadlines, extensions with notice, bulk jobs, exports and kept confirmations"),
        (name = "drp", description = "The Data Rights Protocol 1.0 for authorized agents: signed envelopes, bearer tokens from pairwise setup"),
        (name = "consent", description = "The consent ledger: choices with their proof, checks at memory speed, histories; the cookie banner records every choice"),
        (name = "staff", description = "Staff accountability: roles, time-restricted grants, four-eyes approvals, the audit view, cases, credential lock-down, government disclosure requests and the transparency report"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("An API key made with `custodian apikey create`"))
                    .build(),
            ),
        );
    }
}

/// The OpenAPI document as pretty JSON, exactly as committed in `openapi.json`.
pub fn openapi_json() -> String {
    let mut doc = ApiDoc::openapi();
    doc.info.version = env!("CARGO_PKG_VERSION").to_string();
    let mut text = doc
        .to_pretty_json()
        .unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    text.push('\n');
    text
}

/// Request ids: this process's start time and a counter. Unique without asking the kernel
/// for randomness on every request.
#[derive(Clone)]
struct CountedIds {
    prefix: u64,
    next: Arc<std::sync::atomic::AtomicU64>,
}

impl Default for CountedIds {
    fn default() -> Self {
        Self {
            prefix: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos() as u64),
            next: Arc::default(),
        }
    }
}

impl MakeRequestId for CountedIds {
    fn make_request_id<B>(&mut self, _: &axum::http::Request<B>) -> Option<RequestId> {
        let n = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        axum::http::HeaderValue::from_str(&format!("{:016x}-{n:016x}", self.prefix))
            .ok()
            .map(RequestId::new)
    }
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    let request_id = HeaderName::from_static("x-request-id");
    Router::new()
        .merge(ops::routes())
        .merge(api::routes())
        .merge(records::routes())
        .merge(notices::routes())
        .merge(retention::routes())
        .merge(accounts::routes())
        .merge(staff::routes())
        .merge(rights::routes())
        .merge(drp::routes())
        .merge(consent::routes())
        .merge(consent_pages::routes())
        .merge(payments::routes())
        .merge(account_pages::routes())
        .merge(rights_pages::routes())
        .merge(console::routes())
        .merge(pages::routes())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(state.clone(), observe))
        .layer(middleware::from_fn_with_state(state.clone(), secure_headers))
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(request_id.clone(), CountedIds::default()))
                .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
                    let id = req
                        .extensions()
                        .get::<RequestId>()
                        .and_then(|id| id.header_value().to_str().ok())
                        .unwrap_or("-");
                    tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
                }))
                .layer(PropagateRequestIdLayer::new(request_id))
                .layer(CatchPanicLayer::custom(|_| {
                    ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "an internal error occurred; it was logged")
                        .into_response()
                })),
        )
        .with_state(state)
}

async fn observe(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    // A clone of a standard method and of a matched path (an `Arc<str>`) allocates nothing.
    let method = request.method().clone();
    let route = request.extensions().get::<MatchedPath>().cloned();
    let response = next.run(request).await;
    state.metrics.observe(
        method.as_str(),
        route.as_ref().map_or("unmatched", MatchedPath::as_str),
        response.status().as_u16(),
        started.elapsed(),
    );
    response
}

/// The headers every response carries: a content security policy that allows only our own
/// scripts, styles and frames of nobody, no MIME sniffing, no referrer leaving the site, and
/// HSTS when clients come over TLS.
async fn secure_headers(State(state): State<AppState>, request: Request, next: Next) -> Response {
    use axum::http::HeaderValue;
    use axum::http::header;
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let set =
        |headers: &mut axum::http::HeaderMap, name: header::HeaderName, value: &'static str| {
            headers
                .entry(name)
                .or_insert_with(|| HeaderValue::from_static(value));
        };
    set(
        headers,
        header::CONTENT_SECURITY_POLICY,
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(headers, header::REFERRER_POLICY, "no-referrer");
    set(headers, header::X_FRAME_OPTIONS, "DENY");
    if state.https {
        set(
            headers,
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=63072000; includeSubDomains",
        );
    }
    response
}

async fn not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        "there is nothing at this address; see /openapi.json",
    )
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this address does not accept that method",
    )
}
