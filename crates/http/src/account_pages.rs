//! The account pages people use in a browser: sign-in (with the second factor), sign-up, the
//! signed-in overview with sign-out, and setting up TOTP. Plain HTML forms that work without
//! JavaScript, in the UI's languages, on the same engine calls as the JSON API.
//!
//! The session is the API's cookie (HttpOnly, Secure, SameSite=Strict). Forms that change
//! something in a session carry its CSRF token in a hidden field; the sign-in and sign-up forms,
//! which have no session yet, are refused when the browser says they come from another site
//! (`Sec-Fetch-Site`, or else an `Origin` that is not this host). Nothing here is cached.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::LazyLock;

use axum::Router;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use custodian_engine::EngineError;
use custodian_engine::accounts::{ClientInfo, SessionPrincipal, SignUp};
use custodian_engine::totp::{self, TotpSecret};
use custodian_store::AccountKind;
use minijinja::{Environment, Value, context};
use serde::Deserialize;

use crate::accounts::session_token;
use crate::accounts::{Peer, SESSION_COOKIE};
use crate::pages::locale_tags;
use crate::{ApiError, AppState};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/account/sign-in", get(sign_in_page).post(sign_in))
        .route("/account/sign-up", get(sign_up_page).post(sign_up))
        .route("/account", get(overview))
        .route("/account/sign-out", axum::routing::post(sign_out))
        .route("/account/totp", get(totp_page).post(totp_confirm))
        .layer(axum::middleware::map_response(no_store))
}

/// Pages with addresses, codes and tokens on them are never kept by a browser or a proxy.
pub(crate) async fn no_store(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The languages e-mail to an account can be written in, each named in itself.
const MAIL_LANGUAGES: [(&str, &str); 4] = [
    ("en", "English"),
    ("nl", "Nederlands"),
    ("zh-CN", "中文（简体）"),
    ("id", "Bahasa Indonesia"),
];

/// The templates of these pages, on the site's layout.
static TEMPLATES: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    for (name, source) in [
        ("base.html", include_str!("../templates/base.html")),
        ("account.html", include_str!("../templates/account.html")),
    ] {
        if let Err(e) = env.add_template(name, source) {
            tracing::error!(template = name, error = %e, "template does not compile");
        }
    }
    env
});

// ---- Language ----

/// The language of a page: the one asked for (`?lang=` or the form's `lang`) when the site has
/// it, else the best of the browser's `Accept-Language`, else English.
pub(crate) fn page_lang(state: &AppState, asked: Option<&str>, headers: &HeaderMap) -> String {
    let known = locale_tags(state.engine.policy());
    if let Some(lang) = asked.and_then(|a| known.iter().find(|k| *k == a)) {
        return lang.clone();
    }
    negotiate(&known, headers)
}

/// The best of `known` for the request's `Accept-Language` (RFC 9110 quality values; a
/// language matches any of its regions, and every Chinese to the simplified script we have).
pub(crate) fn negotiate(known: &[String], headers: &HeaderMap) -> String {
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mut ranges: Vec<(f32, usize, String)> = accept
        .split(',')
        .enumerate()
        .filter_map(|(i, item)| {
            let mut parts = item.split(';');
            let tag = parts.next()?.trim().to_ascii_lowercase();
            let q = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())?;
            (!tag.is_empty() && q > 0.0).then_some((q, i, tag))
        })
        .collect();
    ranges.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, _, range) in ranges {
        let primary = range.split('-').next().unwrap_or_default();
        let found = known.iter().find(|k| {
            let k = k.to_ascii_lowercase();
            k == range || k.split('-').next() == Some(primary) || (primary == "in" && k == "id")
        });
        if let Some(lang) = found {
            return lang.clone();
        }
    }
    "en".to_string()
}

/// `path` with `lang` in its query, unless the browser would get that language anyway.
pub(crate) fn localized(state: &AppState, path: &str, lang: &str, headers: &HeaderMap) -> String {
    if negotiate(&locale_tags(state.engine.policy()), headers) == lang {
        path.to_string()
    } else if path.contains('?') {
        format!("{path}&lang={lang}")
    } else {
        format!("{path}?lang={lang}")
    }
}

// ---- Rendering ----

/// Renders a page of `account.html`: `page` picks the part, `heading` and `intro` are keys of
/// the UI's words, `extra` the page's own values.
fn render(
    state: &AppState,
    status: StatusCode,
    lang: &str,
    (page, heading, intro): (&str, &str, Option<&str>),
    extra: Value,
) -> Result<Response, ApiError> {
    let words = state.pages.words(lang);
    let word = |k: &str| words.get(k).cloned().unwrap_or_default();
    let ctx = context! {
        page => page,
        lang => lang,
        locales => locale_tags(state.engine.policy()),
        heading => word(heading),
        intro => intro.map(word),
        t => words.clone(),
        ..extra
    };
    let html = TEMPLATES
        .get_template("account.html")
        .and_then(|t| t.render(ctx))
        .map_err(|e| {
            tracing::error!(template = "account.html", error = %e, "template failed");
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "the page could not be rendered",
            )
        })?;
    Ok((status, axum::response::Html(html)).into_response())
}

pub(crate) fn see_other(location: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response()
}

/// The page for a form that came from elsewhere or carries a wrong token.
fn refused(state: &AppState, lang: &str) -> Result<Response, ApiError> {
    render(
        state,
        StatusCode::FORBIDDEN,
        lang,
        ("refused", "ui_refused_heading", None),
        context! {
            message => state.pages.words(lang).get("ui_refused").cloned(),
            again => format!("/account/sign-in?lang={lang}"),
        },
    )
}

/// A form that could not be read at all (not form-encoded, or too large).
fn unreadable(state: &AppState, lang: &str, e: &FormRejection) -> Result<Response, ApiError> {
    let status = e.status();
    render(
        state,
        if status.is_client_error() {
            status
        } else {
            StatusCode::BAD_REQUEST
        },
        lang,
        ("refused", "ui_form_invalid_heading", None),
        context! {
            message => state.pages.words(lang).get("ui_form_unreadable").cloned(),
            again => format!("/account/sign-in?lang={lang}"),
        },
    )
}

// ---- Requests ----

/// Whether a form post comes from this site: the browser's `Sec-Fetch-Site` when it sends one,
/// else its `Origin` (which must name this host); a client that sends neither is not a browser
/// that could be tricked into posting.
pub(crate) fn same_site(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        return matches!(site.to_str(), Ok("same-origin" | "none"));
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let (Ok(origin), Some(host)) = (
        origin.to_str(),
        headers.get(header::HOST).and_then(|h| h.to_str().ok()),
    ) else {
        return false;
    };
    let Some((scheme, authority)) = origin.split_once("://") else {
        return false; // `null`, from a sandboxed frame or a redirect across sites
    };
    let default_port = match scheme {
        "http" => "80",
        "https" => "443",
        _ => return false,
    };
    authority.eq_ignore_ascii_case(host)
        || format!("{authority}:{default_port}").eq_ignore_ascii_case(host)
}

/// The session of the request's cookie, if it is valid.
async fn signed_in(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<(String, SessionPrincipal)>, ApiError> {
    let Some(token) = session_token(headers) else {
        return Ok(None);
    };
    match state.engine.session(&token).await {
        Ok(principal) => Ok(Some((token, principal))),
        Err(EngineError::Unauthenticated(_) | EngineError::Locked) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

fn session_cookie(token: &str, max_age: i64) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age={max_age}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("custodian_session=; Path=/; Max-Age=0"))
}

fn client(headers: &HeaderMap, peer: Option<SocketAddr>) -> ClientInfo {
    ClientInfo {
        ip: peer.map(|p| p.ip().to_string()),
        country: None,
        user_agent: headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|s| s.chars().take(300).collect()),
    }
}

#[derive(Debug, Deserialize)]
struct LangQuery {
    lang: Option<String>,
    signed_out: Option<String>,
}

/// Present and not blank.
pub(crate) fn given(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

// ---- Sign-in ----

/// What the sign-in form shows besides its fields.
#[derive(Default)]
struct SignInState<'a> {
    email: &'a str,
    notice: Option<String>,
    /// The message, and what it is about: `credentials`, `code` or `form`.
    error: Option<(String, &'static str)>,
}

fn sign_in_form(
    state: &AppState,
    status: StatusCode,
    lang: &str,
    s: SignInState<'_>,
) -> Result<Response, ApiError> {
    let (error, error_on) = s.error.unzip();
    render(
        state,
        status,
        lang,
        ("sign_in", "ui_signin_heading", Some("ui_signin_intro")),
        context! { email => s.email, notice => s.notice, error => error, error_on => error_on },
    )
}

async fn sign_in_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<LangQuery>,
) -> Result<Response, ApiError> {
    let lang = page_lang(&state, q.lang.as_deref(), &headers);
    if signed_in(&state, &headers).await?.is_some() {
        return Ok(see_other(&localized(&state, "/account", &lang, &headers)));
    }
    let words = state.pages.words(&lang);
    let notice = q
        .signed_out
        .is_some()
        .then(|| words.get("ui_signed_out").cloned().unwrap_or_default());
    sign_in_form(
        &state,
        StatusCode::OK,
        &lang,
        SignInState {
            notice,
            ..SignInState::default()
        },
    )
}

/// The sign-in form.
#[derive(Debug, Deserialize)]
struct SignInForm {
    email: Option<String>,
    password: Option<String>,
    code: Option<String>,
    lang: Option<String>,
}

async fn sign_in(
    State(state): State<AppState>,
    Peer(peer): Peer,
    headers: HeaderMap,
    form: Result<Form<SignInForm>, FormRejection>,
) -> Result<Response, ApiError> {
    let form = match form {
        Ok(Form(form)) => form,
        Err(e) => return unreadable(&state, &page_lang(&state, None, &headers), &e),
    };
    let lang = page_lang(&state, form.lang.as_deref(), &headers);
    if !same_site(&headers) {
        return refused(&state, &lang);
    }
    let email = form.email.as_deref().unwrap_or_default().trim();
    let password = form.password.as_deref().unwrap_or_default();
    let code = given(form.code.as_deref());
    let result = state
        .engine
        .sign_in(email, password, code, &client(&headers, peer))
        .await;
    let words = state.pages.words(&lang);
    let word = |k: &str| words.get(k).cloned().unwrap_or_default();
    let (status, key, on) = match result {
        Ok(started) => {
            let max_age = state.engine.account_settings().session_absolute.as_secs();
            let mut response = see_other(&localized(&state, "/account", &lang, &headers));
            response
                .headers_mut()
                .insert(header::SET_COOKIE, session_cookie(&started.token, max_age));
            return Ok(response);
        }
        Err(EngineError::SecondFactorRequired) => {
            (StatusCode::UNAUTHORIZED, "ui_signin_second_factor", "code")
        }
        Err(EngineError::Unauthenticated(message)) => {
            if message.contains("e-mail address or password") || code.is_none() {
                (StatusCode::UNAUTHORIZED, "ui_signin_wrong", "credentials")
            } else if message.contains("already used") {
                (StatusCode::UNAUTHORIZED, "ui_signin_code_used", "code")
            } else {
                (StatusCode::UNAUTHORIZED, "ui_signin_code_wrong", "code")
            }
        }
        Err(EngineError::Locked) => (StatusCode::FORBIDDEN, "ui_signin_locked", "form"),
        Err(EngineError::Forbidden(_)) => (StatusCode::FORBIDDEN, "ui_signin_staff_factor", "form"),
        Err(EngineError::Throttled { retry_after }) => {
            let mut response = sign_in_form(
                &state,
                StatusCode::TOO_MANY_REQUESTS,
                &lang,
                SignInState {
                    email,
                    error: Some((word("ui_signin_throttled"), "form")),
                    ..SignInState::default()
                },
            )?;
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
            return Ok(response);
        }
        Err(e) => return Err(e.into()),
    };
    sign_in_form(
        &state,
        status,
        &lang,
        SignInState {
            email,
            error: Some((word(key), on)),
            ..SignInState::default()
        },
    )
}

// ---- Sign-up ----

/// The sign-up form, as sent (the password is never shown again).
#[derive(Debug, Default, Deserialize)]
struct SignUpForm {
    company: Option<String>,
    email: Option<String>,
    password: Option<String>,
    locale: Option<String>,
    terms_version: Option<String>,
    dpa_version: Option<String>,
    adult: Option<String>,
    lang: Option<String>,
}

fn sign_up_form(
    state: &AppState,
    status: StatusCode,
    lang: &str,
    form: &SignUpForm,
    errors: BTreeMap<&str, String>,
) -> Result<Response, ApiError> {
    let settings = state.engine.account_settings();
    let locale = form
        .locale
        .as_deref()
        .filter(|l| MAIL_LANGUAGES.iter().any(|(tag, _)| tag == l))
        .unwrap_or(lang);
    render(
        state,
        status,
        lang,
        ("sign_up", "ui_signup_heading", Some("ui_signup_intro")),
        context! {
            company => form.company.as_deref().unwrap_or_default(),
            email => form.email.as_deref().unwrap_or_default(),
            locale => locale,
            languages => MAIL_LANGUAGES.to_vec(),
            terms_version => settings.terms_version.clone(),
            dpa_version => settings.dpa_version.clone(),
            terms_checked => form.terms_version.as_deref() == Some(settings.terms_version.as_str()),
            dpa_checked => form.dpa_version.as_deref() == Some(settings.dpa_version.as_str()),
            adult_checked => given(form.adult.as_deref()).is_some(),
            errors => errors,
        },
    )
}

async fn sign_up_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<LangQuery>,
) -> Result<Response, ApiError> {
    let lang = page_lang(&state, q.lang.as_deref(), &headers);
    sign_up_form(
        &state,
        StatusCode::OK,
        &lang,
        &SignUpForm::default(),
        BTreeMap::new(),
    )
}

async fn sign_up(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<SignUpForm>, FormRejection>,
) -> Result<Response, ApiError> {
    let form = match form {
        Ok(Form(form)) => form,
        Err(e) => return unreadable(&state, &page_lang(&state, None, &headers), &e),
    };
    let lang = page_lang(&state, form.lang.as_deref(), &headers);
    if !same_site(&headers) {
        return refused(&state, &lang);
    }
    let email = form.email.as_deref().unwrap_or_default().trim().to_string();
    let result = state
        .engine
        .sign_up(SignUp {
            email: email.clone(),
            password: form.password.clone().unwrap_or_default(),
            company: form
                .company
                .as_deref()
                .unwrap_or_default()
                .trim()
                .to_string(),
            region: None,
            locale: form.locale.clone().unwrap_or_else(|| lang.clone()),
            terms_version: form.terms_version.clone().unwrap_or_default(),
            dpa_version: form.dpa_version.clone().unwrap_or_default(),
            adult: given(form.adult.as_deref()).is_some(),
        })
        .await;
    let (status, field, key) = match result {
        Ok(_) => {
            return render(
                &state,
                StatusCode::CREATED,
                &lang,
                ("signed_up", "ui_signup_done_heading", None),
                context! { email => email },
            );
        }
        Err(EngineError::Invalid { field, .. }) => {
            let key = match field {
                "email" => "ui_email_invalid",
                "password" => "ui_password_rules",
                "company" => "ui_company_invalid",
                "adult" => "ui_adult_missing",
                "terms_version" => "ui_terms_missing",
                "dpa_version" => "ui_dpa_missing",
                "locale" => "ui_locale_invalid",
                // The form has no other field; the engine named one it does not have.
                _ => "ui_form_invalid_heading",
            };
            let field = match field {
                "email" | "password" | "company" | "adult" | "terms_version" | "dpa_version"
                | "locale" => field,
                _ => "company",
            };
            (StatusCode::UNPROCESSABLE_ENTITY, field, key)
        }
        Err(EngineError::Conflict(_)) => (StatusCode::CONFLICT, "email", "ui_account_exists"),
        Err(e) => return Err(e.into()),
    };
    let words = state.pages.words(&lang);
    let errors = BTreeMap::from([(field, words.get(key).cloned().unwrap_or_default())]);
    sign_up_form(&state, status, &lang, &form, errors)
}

// ---- Signed in ----

/// A time for people: `2026-03-02 09:30 UTC`, and its RFC 3339 form for `<time>`.
fn when(t: jiff::Timestamp) -> (String, String) {
    (
        t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
        t.strftime("%Y-%m-%d %H:%M UTC").to_string(),
    )
}

async fn overview(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<LangQuery>,
) -> Result<Response, ApiError> {
    let lang = page_lang(&state, q.lang.as_deref(), &headers);
    let Some((token, principal)) = signed_in(&state, &headers).await? else {
        return Ok(see_other(&localized(
            &state,
            "/account/sign-in",
            &lang,
            &headers,
        )));
    };
    let account = &principal.account;
    let words = state.pages.words(&lang);
    let word = |k: &str| words.get(k).cloned().unwrap_or_default();
    let session = state
        .engine
        .store()
        .session(&principal.token_hash)
        .await
        .map_err(EngineError::from)?;
    let absolute = state.engine.account_settings().session_absolute;
    let kind = match account.kind {
        AccountKind::Staff => word("ui_kind_staff"),
        _ => word("ui_kind_customer"),
    };
    let roles: Vec<String> = account
        .roles
        .iter()
        .map(|r| {
            words
                .get(&format!("ui_role_{}", r.replace('-', "_")))
                .cloned()
                .unwrap_or_else(|| r.clone())
        })
        .collect();
    render(
        &state,
        StatusCode::OK,
        &lang,
        ("overview", "ui_account_heading", None),
        context! {
            email => state.engine.account_email(account)?,
            verified => account.email_verified_at.is_some(),
            second_factor => account.totp_enabled_at.is_some(),
            kind => kind,
            roles => roles,
            sep => if lang.starts_with("zh") { "、" } else { ", " },
            terms_version => account.terms_version.clone(),
            dpa_version => account.dpa_version.clone(),
            idle_end => session.as_ref().map(|s| when(s.expires_at)),
            absolute_end => session.as_ref().map(|s| when(s.created_at + absolute)),
            csrf => state.engine.csrf_token(&token),
        },
    )
}

/// A form posted in a session: its CSRF token and language.
#[derive(Debug, Deserialize)]
struct SessionForm {
    csrf: Option<String>,
    lang: Option<String>,
}

async fn sign_out(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<SessionForm>, FormRejection>,
) -> Result<Response, ApiError> {
    let form = match form {
        Ok(Form(form)) => form,
        Err(e) => return unreadable(&state, &page_lang(&state, None, &headers), &e),
    };
    let lang = page_lang(&state, form.lang.as_deref(), &headers);
    let back = localized(&state, "/account/sign-in?signed_out=1", &lang, &headers);
    let Some(token) = session_token(&headers) else {
        return Ok(see_other(&back));
    };
    if !same_site(&headers)
        || !state
            .engine
            .csrf_matches(&token, form.csrf.as_deref().unwrap_or_default())
    {
        return refused(&state, &lang);
    }
    state.engine.sign_out(&token).await?;
    let mut response = see_other(&back);
    response
        .headers_mut()
        .insert(header::SET_COOKIE, session_cookie("", 0));
    Ok(response)
}

// ---- TOTP ----

/// A base32 secret in groups of four, as people type it.
fn grouped(secret: &str) -> String {
    secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The set-up page for `secret` (`None` when the set-up must start again), with `error` on
/// the code field.
fn enrol_form(
    state: &AppState,
    status: StatusCode,
    lang: &str,
    (token, email): (&str, &str),
    secret: Option<&TotpSecret>,
    error: Option<String>,
) -> Result<Response, ApiError> {
    let base32 = secret.map(TotpSecret::to_base32);
    render(
        state,
        status,
        lang,
        ("totp", "ui_totp_heading", Some("ui_totp_intro")),
        context! {
            expired => secret.is_none(),
            secret => base32.clone(),
            secret_groups => base32.as_deref().map(grouped),
            uri => secret.map(|s| totp::otpauth_uri(s, "Custodian", email)),
            csrf => state.engine.csrf_token(token),
            error => error,
        },
    )
}

/// The page saying the second factor is on, with the recovery codes just made, if any.
fn factor_on(
    state: &AppState,
    status: StatusCode,
    lang: &str,
    codes: Vec<String>,
) -> Result<Response, ApiError> {
    render(
        state,
        status,
        lang,
        ("totp_on", "ui_totp_on_heading", Some("ui_totp_on")),
        context! { codes => codes },
    )
}

/// Starts setting up TOTP: a new secret, shown with its `otpauth://` URI and a form for the
/// first code.
async fn totp_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<LangQuery>,
) -> Result<Response, ApiError> {
    let lang = page_lang(&state, q.lang.as_deref(), &headers);
    let Some((token, principal)) = signed_in(&state, &headers).await? else {
        return Ok(see_other(&localized(
            &state,
            "/account/sign-in",
            &lang,
            &headers,
        )));
    };
    if principal.account.totp_enabled_at.is_some() {
        return factor_on(&state, StatusCode::OK, &lang, Vec::new());
    }
    let enrolment = match state.engine.enrol_totp(&principal.account).await {
        Ok(e) => e,
        Err(EngineError::Conflict(_)) => {
            return factor_on(&state, StatusCode::OK, &lang, Vec::new());
        }
        Err(e) => return Err(e.into()),
    };
    let secret = TotpSecret::from_base32(&enrolment.secret).ok();
    let email = state.engine.account_email(&principal.account)?;
    enrol_form(
        &state,
        StatusCode::OK,
        &lang,
        (&token, &email),
        secret.as_ref(),
        None,
    )
}

/// The confirmation form: the session's CSRF token, the code, and the secret being set up
/// (only to show it again should the code be wrong; the engine checks the one it stored).
#[derive(Debug, Deserialize)]
struct TotpForm {
    csrf: Option<String>,
    lang: Option<String>,
    code: Option<String>,
    secret: Option<String>,
}

async fn totp_confirm(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<TotpForm>, FormRejection>,
) -> Result<Response, ApiError> {
    let form = match form {
        Ok(Form(form)) => form,
        Err(e) => return unreadable(&state, &page_lang(&state, None, &headers), &e),
    };
    let lang = page_lang(&state, form.lang.as_deref(), &headers);
    if !same_site(&headers) {
        return refused(&state, &lang);
    }
    let Some((token, principal)) = signed_in(&state, &headers).await? else {
        return Ok(see_other(&localized(
            &state,
            "/account/sign-in",
            &lang,
            &headers,
        )));
    };
    if !state
        .engine
        .csrf_matches(&token, form.csrf.as_deref().unwrap_or_default())
    {
        return refused(&state, &lang);
    }
    let code = form.code.as_deref().unwrap_or_default().trim();
    match state.engine.confirm_totp(principal.account.id, code).await {
        Ok(codes) => factor_on(&state, StatusCode::OK, &lang, codes),
        Err(EngineError::Conflict(_)) => factor_on(&state, StatusCode::CONFLICT, &lang, Vec::new()),
        Err(EngineError::Invalid {
            field: "code",
            message,
        }) => {
            let words = state.pages.words(&lang);
            let word = |k: &str| words.get(k).cloned().unwrap_or_default();
            let (secret, error) = if message.contains("start the set-up") {
                (None, None)
            } else {
                let key = if message.contains("six digits") {
                    "ui_totp_code_format"
                } else if message.contains("already used") {
                    "ui_signin_code_used"
                } else {
                    "ui_totp_code_wrong"
                };
                let secret = form
                    .secret
                    .as_deref()
                    .and_then(|s| TotpSecret::from_base32(s).ok());
                (secret, Some(word(key)))
            };
            let email = state.engine.account_email(&principal.account)?;
            enrol_form(
                &state,
                StatusCode::UNPROCESSABLE_ENTITY,
                &lang,
                (&token, &email),
                secret.as_ref(),
                error,
            )
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> Vec<String> {
        ["en", "nl", "zh-CN", "id"].map(String::from).to_vec()
    }

    fn pick(accept: &str) -> String {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_LANGUAGE,
            HeaderValue::from_str(accept).unwrap(),
        );
        negotiate(&known(), &headers)
    }

    #[test]
    fn the_browsers_languages_pick_the_page_language() {
        assert_eq!(pick("nl-BE,nl;q=0.9,en;q=0.8"), "nl");
        assert_eq!(pick("fr-FR,fr;q=0.9,id;q=0.5"), "id");
        assert_eq!(pick("zh-TW"), "zh-CN");
        assert_eq!(pick("zh-cn"), "zh-CN");
        assert_eq!(pick("en;q=0.2,nl;q=0.8"), "nl");
        assert_eq!(pick("de, fr"), "en");
        assert_eq!(pick("nl;q=0"), "en");
        assert_eq!(pick(""), "en");
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn only_forms_from_this_site_are_taken() {
        let host = ("host", "custodian.example:8443");
        assert!(
            same_site(&headers(&[host])),
            "no browser headers: not a browser"
        );
        assert!(same_site(&headers(&[
            host,
            ("origin", "https://custodian.example:8443")
        ])));
        assert!(same_site(&headers(&[
            ("host", "custodian.example"),
            ("origin", "https://custodian.example")
        ])));
        assert!(!same_site(&headers(&[
            host,
            ("origin", "https://evil.example")
        ])));
        assert!(!same_site(&headers(&[host, ("origin", "null")])));
        assert!(same_site(&headers(&[
            host,
            ("sec-fetch-site", "same-origin")
        ])));
        assert!(same_site(&headers(&[host, ("sec-fetch-site", "none")])));
        assert!(!same_site(&headers(&[
            host,
            ("sec-fetch-site", "cross-site")
        ])));
        assert!(!same_site(&headers(&[
            host,
            ("sec-fetch-site", "same-site")
        ])));
    }

    #[test]
    fn a_secret_is_shown_in_groups_of_four() {
        assert_eq!(grouped("ABCDEFGHIJ"), "ABCD EFGH IJ");
    }
}
