//! Consent over HTTP: recording a person's choice with its proof, the check at memory speed,
//! a person's or browser's history; the cookie banner's script, style, configuration and
//! records (cross-origin: the banner runs on the customer's website); `/.well-known/gpc.json`.

use std::collections::BTreeMap;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use custodian_core::SubjectId;
use custodian_engine::consent::{ConsentInput, Decision};
use custodian_engine::consent_banner::BannerChoice;
use custodian_store::ConsentHolder;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::accounts::Peer;
use crate::auth::Auth;
use crate::error::json_body;
use crate::{ApiError, AppState};

const BANNER_JS: &str = include_str!("../assets/banner.js");
const BANNER_CSS: &str = include_str!("../assets/banner.css");

/// The banner's script and stylesheet, as served (for measuring their size).
pub fn banner_assets() -> (&'static str, &'static str) {
    (BANNER_JS, BANNER_CSS)
}

/// The largest banner post, in bytes.
const MAX_BANNER_POST: usize = 8 * 1024;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/consents", post(record).get(visitor_events))
        .route("/v1/consents/check", get(check))
        .route("/v1/unsubscribe-links", post(unsubscribe_link))
        .route("/v1/subjects/{id}/consents", get(history))
        .route("/banner.js", get(script))
        .route("/banner.css", get(style))
        .route("/banner/config", get(config).options(preflight))
        .route(
            "/banner/consent",
            post(banner_consent)
                .options(preflight)
                .layer(DefaultBodyLimit::max(MAX_BANNER_POST)),
        )
        .route(
            "/banner/remove",
            post(banner_remove)
                .options(preflight)
                .layer(DefaultBodyLimit::max(MAX_BANNER_POST)),
        )
        .route("/.well-known/gpc.json", get(gpc_json))
        .route("/banner/example", get(example))
        .route("/banner/example/tag/{name}", get(example_tag))
}

/// A choice to record: the person (by `subject` or `identifiers`), the purpose, given or
/// withdrawn, and the proof.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentBody {
    /// The person's subject id …
    subject: Option<String>,
    /// … or identifiers such as `{"email": "ann@example.com"}`; someone not yet known is filed.
    #[serde(default)]
    identifiers: BTreeMap<String, String>,
    /// The purpose (a policy purpose id that rests on consent or legitimate interest).
    purpose: String,
    /// Given (`true`) or withdrawn / opted out (`false`).
    given: bool,
    /// `api` (default), `checkbox`, `form`, `support`, `account-manager`, `preference-centre`.
    method: Option<String>,
    /// The exact words shown; without them the policy's own consent text in `locale`.
    text: Option<String>,
    /// The version of those words (required with `text`).
    text_version: Option<String>,
    /// The language shown (a policy locale; default `en`).
    locale: Option<String>,
    /// The address the choice came from; kept truncated (IPv4 /24, IPv6 /48).
    ip: Option<String>,
    /// When the person chose (RFC 3339; default now).
    at: Option<String>,
}

/// Record a person's consent or its withdrawal, with the proof: the words shown (their hash
/// and version), how, when and from which network. Needs `consent:write`.
#[utoipa::path(
    post,
    path = "/v1/consents",
    tag = "consent",
    security(("api_key" = [])),
    request_body = ConsentBody,
    responses(
        (status = 201, description = "Recorded: the event id, the subject, the proof and what a check answers now", content_type = "application/json"),
        (status = 404, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)
    )
)]
pub(crate) async fn record(
    State(state): State<AppState>,
    Auth(principal): Auth,
    bytes: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let body: ConsentBody = json_body(
        bytes,
        r#"{"identifiers":{"email":"ann@example.com"},"purpose":"promote-services","given":true,"method":"checkbox","locale":"en"}"#,
    )?;
    let subject = match body.subject.as_deref() {
        Some(s) => Some(
            s.parse::<SubjectId>()
                .map_err(|_| ApiError::not_found("subject"))?,
        ),
        None => None,
    };
    let at = match body.at.as_deref() {
        Some(t) => Some(t.parse::<jiff::Timestamp>().map_err(|_| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_input",
                "`at` is an RFC 3339 time such as 2026-11-23T10:00:00Z",
            )
            .field("at")
        })?),
        None => None,
    };
    let receipt = state
        .engine
        .record_consent(
            &principal,
            ConsentInput {
                subject,
                identifiers: body.identifiers,
                purpose: body.purpose,
                given: body.given,
                method: body.method,
                text: body.text,
                text_version: body.text_version,
                locale: body.locale,
                ip: body.ip,
                at,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(receipt)).into_response())
}

/// The person and purpose of a marketing message.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkBody {
    /// The person's subject id …
    subject: Option<String>,
    /// … or their identifiers (`{"email": "…"}`).
    #[serde(default)]
    identifiers: BTreeMap<String, String>,
    /// The purpose of the message (`promote-services`, `product-information`, `surveys`).
    purpose: String,
}

/// Make the unsubscribe and preference links of one marketing message: a signed URL that
/// unsubscribes in one click (RFC 8058) and the headers to send with the message
/// (`List-Unsubscribe`, `List-Unsubscribe-Post`). Valid 400 days. Needs `consent:write`.
#[utoipa::path(
    post,
    path = "/v1/unsubscribe-links",
    tag = "consent",
    security(("api_key" = [])),
    request_body = LinkBody,
    responses(
        (status = 201, description = "`{url, preferences_url, expires_at, headers}`", content_type = "application/json"),
        (status = 404, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)
    )
)]
pub(crate) async fn unsubscribe_link(
    State(state): State<AppState>,
    Auth(principal): Auth,
    bytes: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let body: LinkBody = json_body(
        bytes,
        r#"{"identifiers":{"email":"ann@example.com"},"purpose":"promote-services"}"#,
    )?;
    let subject = match body.subject.as_deref() {
        Some(s) => Some(
            s.parse::<SubjectId>()
                .map_err(|_| ApiError::not_found("subject"))?,
        ),
        None => None,
    };
    let link = state
        .engine
        .unsubscribe_link(&principal, subject, &body.identifiers, &body.purpose)
        .await?;
    Ok((StatusCode::CREATED, Json(link)).into_response())
}

/// Who to check and for what.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CheckQuery {
    /// The purpose (a policy purpose id).
    purpose: String,
    /// The person's subject id; or one identifier below.
    subject: Option<String>,
    /// An e-mail address.
    email: Option<String>,
    /// A phone number.
    phone: Option<String>,
    /// Another identifier, as `kind:value` (`whatsapp:+31…`, `external:crm-42`).
    identifier: Option<String>,
}

/// The answer of a check, written straight to the body without building a JSON value first.
struct CheckAnswer<'a> {
    subject: Option<SubjectId>,
    purpose: &'a str,
    decision: Decision,
}

impl Serialize for CheckAnswer<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let d = &self.decision;
        let since = d
            .since
            .and_then(|us| jiff::Timestamp::from_microsecond(us).ok());
        let mut out = s.serialize_struct("CheckAnswer", 6)?;
        out.serialize_field("subject", &self.subject)?;
        out.serialize_field("purpose", self.purpose)?;
        out.serialize_field("allowed", &d.allowed)?;
        out.serialize_field("basis", &d.basis)?;
        out.serialize_field("reason", d.reason)?;
        out.serialize_field("since", &since.map(|t| t.to_string()))?;
        out.end()
    }
}

/// Whether a person may be processed for a purpose now: consent given and not withdrawn, or
/// a legitimate interest not opted out of (for existing customers only, where the policy says
/// so), and no restriction or upheld objection. Answered from memory. Needs `consent:read`.
#[utoipa::path(
    get,
    path = "/v1/consents/check",
    tag = "consent",
    security(("api_key" = [])),
    params(CheckQuery),
    responses(
        (status = 200, description = "`{subject, purpose, allowed, basis, reason, since}`", content_type = "application/json"),
        (status = 422, body = crate::error::ErrorBody)
    )
)]
pub(crate) async fn check(
    State(state): State<AppState>,
    Auth(principal): Auth,
    query: Result<Query<CheckQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(q) = query.map_err(|e| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
            format!(
                "{}; ask as ?purpose=promote-services&email=ann@example.com",
                e.body_text()
            ),
        )
        .field("purpose")
    })?;
    let subject = match q.subject.as_deref() {
        Some(s) => Some(s.parse::<SubjectId>().map_err(|_| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_input",
                "`subject` is a subject id (a UUID)",
            )
            .field("subject")
        })?),
        None => None,
    };
    let other = match q.identifier.as_deref() {
        Some(text) => Some(text.split_once(':').ok_or_else(|| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_input",
                "`identifier` is `kind:value`, such as whatsapp:+31612345678",
            )
            .field("identifier")
        })?),
        None => None,
    };
    let identifier = q
        .email
        .as_deref()
        .map(|e| ("email", e))
        .or(q.phone.as_deref().map(|p| ("phone", p)))
        .or(other);
    let (subject, decision) = state
        .engine
        .check_consent(&principal, &q.purpose, subject, identifier)
        .await?;
    Ok(Json(CheckAnswer {
        subject,
        purpose: &q.purpose,
        decision,
    })
    .into_response())
}

/// A person's consent history with the proof of each event (the words shown included), oldest
/// first. Kept five years after each event stopped being in force (R8), also after erasure.
/// Needs `consent:read`.
#[utoipa::path(
    get,
    path = "/v1/subjects/{id}/consents",
    tag = "consent",
    security(("api_key" = [])),
    params(("id" = String, Path, description = "The subject")),
    responses(
        (status = 200, description = "`{events: [...]}`", content_type = "application/json"),
        (status = 404, body = crate::error::ErrorBody)
    )
)]
pub(crate) async fn history(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let subject: SubjectId = id.parse().map_err(|_| ApiError::not_found("subject"))?;
    let events = state
        .engine
        .consent_history(&principal, ConsentHolder::Subject(subject))
        .await?;
    Ok(Json(serde_json::json!({ "events": events })).into_response())
}

/// Which browser.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VisitorQuery {
    /// The banner's consent id of the browser.
    visitor: String,
}

/// A browser's banner choices (one event per category per choice), oldest first. Needs
/// `consent:read`.
#[utoipa::path(
    get,
    path = "/v1/consents",
    tag = "consent",
    security(("api_key" = [])),
    params(VisitorQuery),
    responses(
        (status = 200, description = "`{events: [...]}`", content_type = "application/json"),
        (status = 404, body = crate::error::ErrorBody)
    )
)]
pub(crate) async fn visitor_events(
    State(state): State<AppState>,
    Auth(principal): Auth,
    query: Result<Query<VisitorQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(q) = query.map_err(|_| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
            "name the browser: ?visitor=<consent id>",
        )
        .field("visitor")
    })?;
    let visitor: Uuid = q
        .visitor
        .parse()
        .map_err(|_| ApiError::not_found("visitor"))?;
    let events = state.engine.visitor_history(&principal, visitor).await?;
    Ok(Json(serde_json::json!({ "events": events })).into_response())
}

/// Headers of every banner answer: any website may use the banner, no cookie is sent or
/// read by it (the choice lives in the site's own first-party cookie).
fn cors(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("GET, POST, OPTIONS"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static("content-type, sec-gpc"),
    );
    h.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("86400"),
    );
    h.insert(
        header::HeaderName::from_static("cross-origin-resource-policy"),
        HeaderValue::from_static("cross-origin"),
    );
    response
}

async fn preflight() -> Response {
    cors(StatusCode::NO_CONTENT.into_response())
}

fn asset(body: &'static str, kind: &'static str) -> Response {
    cors(
        (
            [
                (header::CONTENT_TYPE, kind),
                (header::CACHE_CONTROL, "public, max-age=300"),
            ],
            body,
        )
            .into_response(),
    )
}

async fn script() -> Response {
    asset(BANNER_JS, "text/javascript; charset=utf-8")
}

async fn style() -> Response {
    asset(BANNER_CSS, "text/css; charset=utf-8")
}

/// The Global Privacy Control signal of a request: present only when some `Sec-GPC` field is
/// exactly `1`.
pub(crate) fn gpc(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::HeaderName::from_static("sec-gpc"))
        .iter()
        .any(|v| v.as_bytes() == b"1")
}

#[derive(Debug, Deserialize)]
struct ConfigQuery {
    site: Option<String>,
    locale: Option<String>,
}

fn banner_error(e: impl Into<ApiError>) -> Response {
    cors(e.into().into_response())
}

async fn config(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<ConfigQuery>, QueryRejection>,
) -> Response {
    let Ok(Query(q)) = query else {
        return banner_error(
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_input",
                "ask as /banner/config?site=<site id>&locale=en",
            )
            .field("site"),
        );
    };
    let Some(site) = q.site.as_deref().and_then(|s| s.parse::<Uuid>().ok()) else {
        return banner_error(
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_input",
                "name the site: the script tag's data-site attribute holds its id",
            )
            .field("site"),
        );
    };
    match state
        .engine
        .tenant(custodian_core::TenantId::from_uuid(site))
        .await
    {
        Ok(_) => {}
        Err(e) => return banner_error(e),
    }
    let banner = match state.engine.banner(q.locale.as_deref()) {
        Ok(b) => b,
        Err(e) => return banner_error(e),
    };
    let locales: Vec<&str> = state
        .engine
        .policy()
        .locales
        .iter()
        .map(|l| l.tag.as_str())
        .collect();
    let mut response = Json(serde_json::json!({
        "site": site,
        "revision": banner.revision,
        "consent_lifetime_days": banner.consent_lifetime_days,
        "refusal_lifetime_days": banner.refusal_lifetime_days,
        "cookie_name": banner.cookie_name,
        "locale": banner.locale,
        "locales": locales,
        "text_hash": banner.text_hash,
        "notice_url": format!("{}/privacy?lang={}#cookies", state.engine.rights_settings().public_url, banner.locale),
        "gpc": gpc(&headers),
        "texts": banner.texts,
        "categories": banner.categories,
        "cookies": banner.cookies,
    }))
    .into_response();
    response
        .headers_mut()
        .insert(header::VARY, HeaderValue::from_static("Sec-GPC"));
    cors(response)
}

/// Reads a banner post (sent as `text/plain` JSON so that no preflight is needed).
fn banner_body<T: serde::de::DeserializeOwned>(
    bytes: Result<Bytes, BytesRejection>,
    example: &str,
) -> Result<T, ApiError> {
    json_body(bytes, example)
}

fn client_ip(peer: &Peer) -> Option<std::net::IpAddr> {
    peer.0.map(|a| a.ip())
}

fn limited(state: &AppState, peer: &Peer) -> Option<Response> {
    let ip = client_ip(peer)?;
    match state
        .reports
        .admit_to(crate::staff::ClientBudget::Banner, ip)
    {
        Ok(()) => None,
        Err(wait) => {
            let mut r = ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "limited",
                format!("too many cookie choices from this address; try again in {wait} seconds"),
            )
            .into_response();
            if let Ok(v) = HeaderValue::from_str(&wait.to_string()) {
                r.headers_mut().insert(header::RETRY_AFTER, v);
            }
            Some(cors(r))
        }
    }
}

async fn banner_consent(
    State(state): State<AppState>,
    peer: Peer,
    headers: HeaderMap,
    bytes: Result<Bytes, BytesRejection>,
) -> Response {
    if let Some(r) = limited(&state, &peer) {
        return r;
    }
    let choice: BannerChoice = match banner_body(
        bytes,
        r#"{"site":"…","consent_id":"…","action":"save","categories":["functional"],"revision":"…","locale":"en","text_hash":"…","gpc":false}"#,
    ) {
        Ok(c) => c,
        Err(e) => return cors(e.into_response()),
    };
    match state
        .engine
        .record_banner(choice, gpc(&headers), client_ip(&peer))
        .await
    {
        Ok(receipt) => cors((StatusCode::CREATED, Json(receipt)).into_response()),
        Err(e) => banner_error(e),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RemoveBody {
    site: Uuid,
    consent_id: Uuid,
}

async fn banner_remove(
    State(state): State<AppState>,
    peer: Peer,
    bytes: Result<Bytes, BytesRejection>,
) -> Response {
    if let Some(r) = limited(&state, &peer) {
        return r;
    }
    let body: RemoveBody = match banner_body(bytes, r#"{"site":"…","consent_id":"…"}"#) {
        Ok(b) => b,
        Err(e) => return cors(e.into_response()),
    };
    match state
        .engine
        .remove_visitor(body.site, body.consent_id, client_ip(&peer))
        .await
    {
        Ok(removal) => cors(Json(removal).into_response()),
        Err(e) => banner_error(e),
    }
}

/// `/.well-known/gpc.json`: we honour the signal (W3C Global Privacy Control).
async fn gpc_json(State(state): State<AppState>) -> Response {
    let since = state
        .engine
        .gpc_since()
        .unwrap_or_else(|| "2023-01-01".to_string());
    let mut r = Json(serde_json::json!({ "gpc": true, "lastUpdate": since })).into_response();
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    cors(r)
}

#[derive(Debug, Deserialize)]
struct ExampleQuery {
    site: Option<String>,
    lang: Option<String>,
}

/// The categories the example page carries a tag for.
const EXAMPLE_TAGS: [&str; 4] = ["functional", "performance", "marketing", "unclassified"];

/// Escapes text for HTML.
fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A preview of the banner on a website, as a customer embeds it: a tag per category that
/// says when it ran, and the snippet to copy. `?site=<tenant id>&lang=nl`.
async fn example(
    State(state): State<AppState>,
    query: Result<Query<ExampleQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let q = query.map(|Query(q)| q).unwrap_or(ExampleQuery {
        site: None,
        lang: None,
    });
    let site = q
        .site
        .as_deref()
        .and_then(|s| s.parse::<Uuid>().ok())
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_input",
                "name the site: /banner/example?site=<tenant id>",
            )
            .field("site")
        })?;
    state
        .engine
        .tenant(custodian_core::TenantId::from_uuid(site))
        .await?;
    let banner = state.engine.banner(q.lang.as_deref())?;
    let lang = esc(&banner.locale);
    let public = esc(&state.engine.rights_settings().public_url);
    let name = |id: &str| {
        banner
            .categories
            .iter()
            .find(|c| c.id == id)
            .map(|c| esc(&c.name))
            .unwrap_or_default()
    };
    let rows: String = EXAMPLE_TAGS
        .iter()
        .map(|c| {
            format!(
                "<tr data-tag=\"{c}\"><th scope=\"row\">{}</th><td class=\"state\">—</td></tr>",
                name(c)
            )
        })
        .collect();
    let tags: String = EXAMPLE_TAGS
        .iter()
        .map(|c| {
            format!(
                "<script type=\"text/plain\" data-category=\"{c}\" src=\"/banner/example/tag/{c}.js\"></script>\n"
            )
        })
        .collect();
    let html = format!(
        r#"<!doctype html>
<html lang="{lang}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{title} · Custodian</title>
  <link rel="stylesheet" href="/assets/style.css">
</head>
<body>
  <header class="top"><a class="brand" href="/?lang={lang}">Custodian</a></header>
  <main><div class="narrow">
    <section class="hero">
      <p class="eyebrow">{title}</p>
      <h1>{heading}</h1>
      <p>{intro}</p>
    </section>
    <section>
      <table class="facts"><tbody>{rows}</tbody></table>
      <p><button type="button" data-custodian="settings">{open}</button></p>
    </section>
    <section>
      <pre class="json">&lt;script src="{public}/banner.js" data-site="{site}" defer&gt;&lt;/script&gt;
&lt;script type="text/plain" data-category="marketing" src="…"&gt;&lt;/script&gt;</pre>
    </section>
  </div></main>
  {tags}<script src="/banner.js" data-site="{site}" data-locale="{lang}" defer></script>
</body>
</html>
"#,
        title = esc(&banner
            .texts
            .get("settings_title")
            .cloned()
            .unwrap_or_default()),
        heading = esc(&banner.texts.get("title").cloned().unwrap_or_default()),
        intro = esc(&banner.texts.get("intro").cloned().unwrap_or_default()),
        open = esc(&banner.texts.get("open").cloned().unwrap_or_default()),
    );
    Ok(([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response())
}

/// A tag of the example page: marks its row as run, with the time.
async fn example_tag(Path(name): Path<String>) -> Response {
    let category = name.strip_suffix(".js").unwrap_or(&name);
    if !EXAMPLE_TAGS.contains(&category) {
        return ApiError::not_found("tag").into_response();
    }
    let js = format!(
        "document.querySelectorAll('[data-tag=\"{category}\"] .state').forEach(function (e) {{ e.textContent = '\\u2713 ' + new Date().toLocaleTimeString(); }});\n"
    );
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        js,
    )
        .into_response()
}
