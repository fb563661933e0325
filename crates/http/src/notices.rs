//! Subscriptions to change notices and objections to subprocessors: the JSON API and the pages
//! the links in the e-mails open.
//!
//! Links in e-mails only ever show a page (mail scanners open links); the change happens when
//! the button on it is pressed. The unsubscribe address also takes the one-click POST of
//! RFC 8058 that mail clients send for `List-Unsubscribe-Post`.

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, FormRejection, QueryRejection};
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use custodian_engine::notices::{LinkAction, Objector, parse_topics};
use custodian_engine::{Actor, EngineError};
use minijinja::context;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Auth;
use crate::error::json_body as json;
use crate::pages::{known_lang, locale_tags};
use crate::{ApiError, AppState};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/subscriptions", post(api_subscribe))
        .route("/v1/policy/subprocessors/objections", post(api_object))
        .route("/subscriptions", post(page_subscribe))
        .route(
            "/subscriptions/confirm",
            get(confirm_page).post(confirm_action),
        )
        .route(
            "/subscriptions/unsubscribe",
            get(unsubscribe_page).post(unsubscribe_action),
        )
        .route("/account/verify", get(verify_page).post(verify_action))
        .route("/account/reset", get(reset_page).post(reset_action))
        .route(
            "/security/compromise",
            get(compromise_page).post(compromise_action),
        )
        .route("/subprocessors/objections/new", get(objection_page))
        .route("/subprocessors/objections", post(objection_action))
}

/// A request to receive change notices.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSubscription {
    /// Where to send them.
    email: String,
    /// The language to write in (a locale of the statement; `en` unless given).
    lang: Option<String>,
    /// `policy` (material changes of the statement) and/or `subprocessors` (changes of the
    /// subprocessor list).
    topics: Vec<String>,
}

/// The answer to a subscription request: the same whether or not the address was known.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubscriptionAccepted {
    /// Always `pending_confirmation`: nothing is sent but the confirmation until its link is
    /// followed.
    status: &'static str,
}

/// Asks for change notices by e-mail. A confirmation e-mail is sent first (double opt-in).
#[utoipa::path(
    post,
    path = "/v1/subscriptions",
    tag = "notices",
    request_body = NewSubscription,
    responses(
        (status = 202, body = SubscriptionAccepted),
        (status = 422, body = crate::error::ErrorBody)
    )
)]
pub(crate) async fn api_subscribe(
    State(state): State<AppState>,
    bytes: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<SubscriptionAccepted>), ApiError> {
    let request: NewSubscription = json(
        bytes,
        r#"{"email": "…", "lang": "en", "topics": ["policy", "subprocessors"]}"#,
    )?;
    let topics = parse_topics(request.topics.iter().map(String::as_str))?;
    let lang = request.lang.unwrap_or_else(|| "en".into());
    state
        .engine
        .subscribe(&request.email, &lang, topics)
        .await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(SubscriptionAccepted {
            status: "pending_confirmation",
        }),
    ))
}

/// An objection to a subprocessor.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewObjection {
    /// The subprocessor's id, as in `/v1/policy/subprocessors`.
    processor: String,
    /// Why (at most 2000 characters).
    reason: String,
}

/// A recorded objection.
#[derive(Debug, Serialize, ToSchema)]
pub struct ObjectionRecorded {
    /// Its id.
    id: String,
    /// The subprocessor.
    processor: String,
    /// The policy version that lists it.
    version: String,
    /// When it was recorded (RFC 3339).
    created_at: String,
}

/// Objects, as the calling customer, to a subprocessor in force or announced.
#[utoipa::path(
    post,
    path = "/v1/policy/subprocessors/objections",
    tag = "policy",
    security(("api_key" = [])),
    request_body = NewObjection,
    responses(
        (status = 201, body = ObjectionRecorded),
        (status = 401, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)
    )
)]
pub(crate) async fn api_object(
    State(state): State<AppState>,
    Auth(principal): Auth,
    bytes: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<ObjectionRecorded>), ApiError> {
    let request: NewObjection = json(bytes, r#"{"processor": "…", "reason": "…"}"#)?;
    let objection = state
        .engine
        .object_to_subprocessor(
            &principal.actor(),
            Objector::Tenant(principal.tenant),
            &request.processor,
            &request.reason,
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(ObjectionRecorded {
            id: objection.id.to_string(),
            processor: objection.processor,
            version: objection.version,
            created_at: objection.created_at.to_string(),
        }),
    ))
}

// ---- Pages ----

/// A page of the notice flow.
struct Message<'a> {
    status: StatusCode,
    lang: &'a str,
    heading: &'a str,
    paragraphs: Vec<String>,
    items: Vec<String>,
    form: Option<minijinja::Value>,
    /// The link's token, kept by the language switch.
    token: Option<&'a str>,
}

fn message(state: &AppState, m: Message<'_>) -> Result<Response, ApiError> {
    let words = state.pages.words(m.lang);
    let word = |k: &str| words.get(k).cloned().unwrap_or_default();
    let page = state.pages.render(
        "message.html",
        context! {
            lang => m.lang,
            locales => locale_tags(state.engine.policy()),
            t => words.clone(),
            heading => word(m.heading),
            paragraphs => m.paragraphs.iter().map(|p| word(p)).collect::<Vec<_>>(),
            items => m.items,
            form => m.form,
            back => format!("/subprocessors?lang={}", m.lang),
            keep => m.token.map(|t| format!("token={t}&")).unwrap_or_default(),
        },
    )?;
    Ok((m.status, page).into_response())
}

/// The page for an engine error on a human's form or link.
fn refusal(state: &AppState, lang: &str, e: EngineError) -> Result<Response, ApiError> {
    let (status, heading, text) = match &e {
        EngineError::Invalid { field: "token", .. } => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "ui_link_invalid_heading",
            "ui_link_invalid",
        ),
        EngineError::Conflict(_) | EngineError::NotFound { .. } => (
            StatusCode::CONFLICT,
            "ui_link_invalid_heading",
            "ui_link_used",
        ),
        EngineError::Invalid { field: "email", .. } => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "ui_form_invalid_heading",
            "ui_email_invalid",
        ),
        EngineError::Invalid {
            field: "topics", ..
        } => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "ui_form_invalid_heading",
            "ui_topics_missing",
        ),
        EngineError::Invalid {
            field: "password", ..
        } => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "ui_form_invalid_heading",
            "ui_password_rules",
        ),
        EngineError::Invalid {
            field: "reason", ..
        } => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "ui_form_invalid_heading",
            "ui_reason_missing",
        ),
        _ => return Err(e.into()),
    };
    message(
        state,
        Message {
            status,
            lang,
            heading,
            paragraphs: vec![text.to_string()],
            items: Vec::new(),
            form: None,
            token: None,
        },
    )
}

/// A link's query: its token and language.
#[derive(Debug, Deserialize)]
pub(crate) struct LinkQuery {
    token: Option<String>,
    lang: Option<String>,
}

fn link_query(
    state: &AppState,
    q: Result<Query<LinkQuery>, QueryRejection>,
) -> Result<(String, String), ApiError> {
    let q = crate::api::query(q)?;
    let lang = known_lang(state.engine.policy(), q.lang)?;
    Ok((q.token.unwrap_or_default(), lang))
}

fn form_error(e: FormRejection) -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_body",
        format!("the form is not valid: {}", e.body_text()),
    )
}

/// The subscription form of the subprocessor page.
#[derive(Debug, Deserialize)]
pub(crate) struct SubscribeForm {
    email: String,
    lang: Option<String>,
    policy: Option<String>,
    subprocessors: Option<String>,
}

async fn page_subscribe(
    State(state): State<AppState>,
    form: Result<Form<SubscribeForm>, FormRejection>,
) -> Result<Response, ApiError> {
    let Form(form) = form.map_err(form_error)?;
    let lang = known_lang(state.engine.policy(), form.lang)?;
    let mut names = Vec::new();
    if form.policy.is_some() {
        names.push("policy");
    }
    if form.subprocessors.is_some() {
        names.push("subprocessors");
    }
    let result = match parse_topics(names) {
        Ok(topics) => state.engine.subscribe(&form.email, &lang, topics).await,
        Err(e) => Err(e),
    };
    if let Err(e) = result {
        return refusal(&state, &lang, e);
    }
    message(
        &state,
        Message {
            status: StatusCode::ACCEPTED,
            lang: &lang,
            heading: "ui_subscribe_sent_heading",
            paragraphs: vec!["ui_subscribe_sent".into()],
            items: Vec::new(),
            form: None,
            token: None,
        },
    )
}

fn topic_words(state: &AppState, lang: &str, topics: i64) -> Vec<String> {
    let words = state.pages.words(lang);
    custodian_engine::notices::topic_names(topics)
        .into_iter()
        .map(|t| {
            let key = if t == "policy" {
                "ui_topic_policy"
            } else {
                "ui_topic_subprocessors"
            };
            words.get(key).cloned().unwrap_or_default()
        })
        .collect()
}

async fn confirm_page(
    State(state): State<AppState>,
    q: Result<Query<LinkQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let (token, lang) = link_query(&state, q)?;
    let sub = match state
        .engine
        .subscription_for_link(&token, LinkAction::Confirm)
        .await
    {
        Ok(s) => s,
        Err(e) => return refusal(&state, &lang, e),
    };
    let Some(requested) = sub.requested else {
        return refusal(&state, &lang, EngineError::Conflict(String::new()));
    };
    button_page(
        &state,
        &lang,
        &token,
        (
            "ui_confirm_heading",
            "ui_confirm_intro",
            "ui_confirm_button",
        ),
        "/subscriptions/confirm",
        topic_words(&state, &lang, requested),
    )
}

/// A button's form: the link's token and language.
#[derive(Debug, Deserialize)]
pub(crate) struct TokenForm {
    token: Option<String>,
    lang: Option<String>,
}

async fn confirm_action(
    State(state): State<AppState>,
    form: Result<Form<TokenForm>, FormRejection>,
) -> Result<Response, ApiError> {
    let Form(form) = form.map_err(form_error)?;
    let lang = known_lang(state.engine.policy(), form.lang)?;
    match state
        .engine
        .confirm_subscription(form.token.as_deref().unwrap_or_default())
        .await
    {
        Ok(sub) => message(
            &state,
            Message {
                status: StatusCode::OK,
                lang: &lang,
                heading: "ui_confirmed_heading",
                paragraphs: vec!["ui_confirmed".into()],
                items: topic_words(&state, &lang, sub.topics),
                form: None,
                token: None,
            },
        ),
        Err(e) => refusal(&state, &lang, e),
    }
}

/// The page after a link's button did its work: a heading and one paragraph.
fn done_page(
    state: &AppState,
    lang: &str,
    heading: &str,
    text: &str,
) -> Result<Response, ApiError> {
    message(
        state,
        Message {
            status: StatusCode::OK,
            lang,
            heading,
            paragraphs: vec![text.into()],
            items: Vec::new(),
            form: None,
            token: None,
        },
    )
}

/// The page of an account's verification link: a button, since mail scanners open links.
async fn verify_page(
    State(state): State<AppState>,
    q: Result<Query<LinkQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let (token, lang) = link_query(&state, q)?;
    button_page(
        &state,
        &lang,
        &token,
        ("ui_verify_heading", "ui_verify_intro", "ui_verify_button"),
        "/account/verify",
        Vec::new(),
    )
}

/// A link's page: a heading, an intro, `items`, and a button posting the token to `action`.
fn button_page(
    state: &AppState,
    lang: &str,
    token: &str,
    (heading, intro, button): (&str, &str, &str),
    action: &str,
    items: Vec<String>,
) -> Result<Response, ApiError> {
    let words = state.pages.words(lang);
    message(
        state,
        Message {
            status: StatusCode::OK,
            lang,
            heading,
            paragraphs: vec![intro.into()],
            items,
            form: Some(context! {
                action => action,
                hidden => vec![("token", token), ("lang", lang)],
                button => words.get(button).cloned().unwrap_or_default(),
            }),
            token: Some(token),
        },
    )
}

async fn verify_action(
    State(state): State<AppState>,
    form: Result<Form<TokenForm>, FormRejection>,
) -> Result<Response, ApiError> {
    let Form(form) = form.map_err(form_error)?;
    let lang = known_lang(state.engine.policy(), form.lang)?;
    match state
        .engine
        .verify_email(form.token.as_deref().unwrap_or_default())
        .await
    {
        Ok(_) => done_page(&state, &lang, "ui_verified_heading", "ui_verified"),
        Err(e) => refusal(&state, &lang, e),
    }
}

/// The page of a password-reset link: a form for the new password.
async fn reset_page(
    State(state): State<AppState>,
    q: Result<Query<LinkQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let (token, lang) = link_query(&state, q)?;
    let words = state.pages.words(&lang);
    let word = |k: &str| words.get(k).cloned().unwrap_or_default();
    message(
        &state,
        Message {
            status: StatusCode::OK,
            lang: &lang,
            heading: "ui_reset_heading",
            paragraphs: vec!["ui_reset_intro".into()],
            items: Vec::new(),
            form: Some(context! {
                action => "/account/reset",
                hidden => vec![("token", token.as_str()), ("lang", lang.as_str())],
                password => word("ui_reset_password"),
                button => word("ui_reset_button"),
            }),
            token: Some(&token),
        },
    )
}

/// The reset form: the link's token, its language and the new password.
#[derive(Debug, Deserialize)]
pub(crate) struct ResetForm {
    token: Option<String>,
    lang: Option<String>,
    password: Option<String>,
}

async fn reset_action(
    State(state): State<AppState>,
    form: Result<Form<ResetForm>, FormRejection>,
) -> Result<Response, ApiError> {
    let Form(form) = form.map_err(form_error)?;
    let lang = known_lang(state.engine.policy(), form.lang)?;
    match state
        .engine
        .reset_password(
            form.token.as_deref().unwrap_or_default(),
            form.password.as_deref().unwrap_or_default(),
        )
        .await
    {
        Ok(_) => done_page(&state, &lang, "ui_reset_done_heading", "ui_reset_done"),
        Err(e) => refusal(&state, &lang, e),
    }
}

async fn unsubscribe_page(
    State(state): State<AppState>,
    q: Result<Query<LinkQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let (token, lang) = link_query(&state, q)?;
    if let Err(e) = state
        .engine
        .subscription_for_link(&token, LinkAction::Unsubscribe)
        .await
    {
        return refusal(&state, &lang, e);
    }
    let words = state.pages.words(&lang);
    message(
        &state,
        Message {
            status: StatusCode::OK,
            lang: &lang,
            heading: "ui_unsubscribe_heading",
            paragraphs: vec!["ui_unsubscribe_intro".into()],
            items: Vec::new(),
            form: Some(context! {
                // The token stays in the address: the same address takes the one-click POST.
                action => format!("/subscriptions/unsubscribe?token={token}&lang={lang}"),
                hidden => vec![("List-Unsubscribe", "One-Click")],
                button => words.get("ui_unsubscribe_button").cloned().unwrap_or_default(),
            }),
            token: Some(&token),
        },
    )
}

/// One click: the token is in the address (RFC 8058); the body, if any, is
/// `List-Unsubscribe=One-Click`. Answers the same whether or not it had unsubscribed before.
async fn unsubscribe_action(
    State(state): State<AppState>,
    q: Result<Query<LinkQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let (token, lang) = link_query(&state, q)?;
    if let Err(e) = state.engine.unsubscribe(&token).await {
        return refusal(&state, &lang, e);
    }
    message(
        &state,
        Message {
            status: StatusCode::OK,
            lang: &lang,
            heading: "ui_unsubscribed_heading",
            paragraphs: vec!["ui_unsubscribed".into()],
            items: Vec::new(),
            form: None,
            token: None,
        },
    )
}

async fn objection_page(
    State(state): State<AppState>,
    q: Result<Query<LinkQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let (token, lang) = link_query(&state, q)?;
    if let Err(e) = state
        .engine
        .subscription_for_link(&token, LinkAction::Object)
        .await
    {
        return refusal(&state, &lang, e);
    }
    let options: Vec<(String, String)> = state.engine.objectable_subprocessors().await?;
    let words = state.pages.words(&lang);
    let word = |k: &str| words.get(k).cloned().unwrap_or_default();
    message(
        &state,
        Message {
            status: StatusCode::OK,
            lang: &lang,
            heading: "ui_object_heading",
            paragraphs: vec!["ui_object_intro".into()],
            items: Vec::new(),
            form: Some(context! {
                action => "/subprocessors/objections",
                hidden => vec![("token", token.as_str()), ("lang", lang.as_str())],
                select => context! { name => "processor", label => word("ui_subprocessor"), options => options },
                textarea => context! { name => "reason", label => word("ui_reason") },
                button => word("ui_object_button"),
            }),
            token: Some(&token),
        },
    )
}

/// The objection form.
#[derive(Debug, Deserialize)]
pub(crate) struct ObjectionForm {
    token: Option<String>,
    lang: Option<String>,
    processor: Option<String>,
    reason: Option<String>,
}

async fn objection_action(
    State(state): State<AppState>,
    form: Result<Form<ObjectionForm>, FormRejection>,
) -> Result<Response, ApiError> {
    let Form(form) = form.map_err(form_error)?;
    let lang = known_lang(state.engine.policy(), form.lang)?;
    let token = form.token.unwrap_or_default();
    match state
        .engine
        .object_to_subprocessor(
            &Actor::System,
            Objector::Link(&token),
            form.processor.as_deref().unwrap_or_default(),
            form.reason.as_deref().unwrap_or_default(),
        )
        .await
    {
        Ok(_) => message(
            &state,
            Message {
                status: StatusCode::CREATED,
                lang: &lang,
                heading: "ui_objection_recorded_heading",
                paragraphs: vec!["ui_objection_recorded".into()],
                items: Vec::new(),
                form: None,
                token: None,
            },
        ),
        Err(
            e @ EngineError::Invalid {
                field: "processor", ..
            },
        ) => Err(e.into()),
        Err(e) => refusal(&state, &lang, e),
    }
}

/// The language of a page without a token.
#[derive(Debug, Deserialize)]
pub(crate) struct LangQuery {
    lang: Option<String>,
}

/// The public form to report stolen or misused credentials (the statement's "Urgent: account
/// credentials"), for people who cannot sign in.
async fn compromise_page(
    State(state): State<AppState>,
    q: Result<Query<LangQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let q = crate::api::query(q)?;
    let lang = known_lang(state.engine.policy(), q.lang)?;
    let words = state.pages.words(&lang);
    let word = |k: &str| words.get(k).cloned().unwrap_or_default();
    message(
        &state,
        Message {
            status: StatusCode::OK,
            lang: &lang,
            heading: "ui_compromise_heading",
            paragraphs: vec!["ui_compromise_intro".into()],
            items: Vec::new(),
            form: Some(context! {
                action => "/security/compromise",
                hidden => vec![("lang", lang.as_str())],
                email => word("ui_email"),
                textarea => context! { label => word("ui_compromise_details"), name => "details", optional => true },
                button => word("ui_compromise_button"),
                no_back => true,
            }),
            token: None,
        },
    )
}

/// The report form's answer: the same whether or not the address has an account.
#[derive(Debug, Deserialize)]
pub(crate) struct CompromiseForm {
    email: Option<String>,
    details: Option<String>,
    lang: Option<String>,
}

async fn compromise_action(
    State(state): State<AppState>,
    crate::accounts::Peer(peer): crate::accounts::Peer,
    headers: axum::http::HeaderMap,
    form: Result<Form<CompromiseForm>, FormRejection>,
) -> Result<Response, ApiError> {
    let Form(form) = form.map_err(form_error)?;
    let lang = known_lang(state.engine.policy(), form.lang)?;
    let page = |status, heading: &'static str, text: &'static str, items: Vec<String>| {
        message(
            &state,
            Message {
                status,
                lang: &lang,
                heading,
                paragraphs: vec![text.into()],
                items,
                form: None,
                token: None,
            },
        )
    };
    if !crate::account_pages::same_site(&headers) {
        return page(
            StatusCode::FORBIDDEN,
            "ui_form_invalid_heading",
            "ui_compromise_cross_site",
            Vec::new(),
        );
    }
    if let Some(peer) = peer
        && state.reports.admit(peer.ip()).is_err()
    {
        return page(
            StatusCode::TOO_MANY_REQUESTS,
            "ui_form_invalid_heading",
            "ui_compromise_too_many",
            Vec::new(),
        );
    }
    match state
        .engine
        .report_compromise(
            form.email.as_deref().unwrap_or_default(),
            form.details.as_deref().unwrap_or_default(),
            "form",
        )
        .await
    {
        Ok(case) => {
            let words = state.pages.words(&lang);
            let reference = words
                .get("ui_compromise_reference")
                .cloned()
                .unwrap_or_default();
            page(
                StatusCode::ACCEPTED,
                "ui_compromise_done_heading",
                "ui_compromise_done",
                vec![format!("{reference}: {case}")],
            )
        }
        Err(e) => refusal(&state, &lang, e),
    }
}
