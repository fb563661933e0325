//! The pages behind the links in marketing e-mails: one-click unsubscribe (RFC 8058: a POST
//! with `List-Unsubscribe=One-Click`, from the mail client or the page's own button; a GET
//! only shows the button, since mail scanners open links) and the preference centre. The
//! signed link is the only credential; a forged or expired one answers 400 and changes nothing.

use std::collections::BTreeMap;

use axum::Router;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use custodian_engine::EngineError;
use minijinja::context;
use serde::Deserialize;

use crate::account_pages::{page_lang, same_site};
use crate::accounts::Peer;
use crate::console::{Banner, Words};
use crate::rights_pages::{Area, Page, public_page, refused, render};
use crate::{ApiError, AppState};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/unsubscribe/{token}",
            get(unsubscribe_page).post(unsubscribe_action),
        )
        .route(
            "/preferences/{token}",
            get(preferences_page).post(preferences_action),
        )
}

#[derive(Debug, Deserialize)]
struct LangQuery {
    lang: Option<String>,
    done: Option<String>,
}

fn marketing_page(heading: String) -> Page {
    let mut page = public_page("marketing.html", heading);
    page.area = Area::Public;
    page
}

/// The purpose's words in the page's language (`purpose-<id>` of the policy).
fn purpose_name(state: &AppState, lang: &str, purpose: &str) -> String {
    let key = format!("purpose-{purpose}");
    state
        .engine
        .policy()
        .locale(lang)
        .and_then(|l| l.text(&key))
        .or_else(|| {
            state
                .engine
                .policy()
                .source_locale()
                .and_then(|l| l.text(&key))
        })
        .unwrap_or(purpose)
        .to_string()
}

/// The page for a link that does not work: 400, nothing changed.
fn bad_link(state: &AppState, lang: &str) -> Result<Response, ApiError> {
    let words = Words::of(state, lang);
    let mut page = marketing_page(words.get("ui_mk_bad_link_heading"));
    page.status = StatusCode::BAD_REQUEST;
    page.banner = Some(Banner::alert(words.get("ui_mk_bad_link"), None));
    render(state, lang, page, context! {})
}

/// Whether the client wants a page (a browser) rather than a machine answer (a mail client's
/// one-click POST).
fn wants_page(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"))
}

async fn unsubscribe_page(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
    Query(q): Query<LangQuery>,
) -> Result<Response, ApiError> {
    let lang = page_lang(&state, q.lang.as_deref(), &headers);
    let claims = match state.engine.read_link(&token) {
        Ok(c) => c,
        Err(_) => return bad_link(&state, &lang),
    };
    let words = Words::of(&state, &lang);
    let mut page = marketing_page(words.get("ui_mk_unsub_heading"));
    page.intro = Some(words.get("ui_mk_unsub_intro"));
    render(
        &state,
        &lang,
        page,
        context! {
            unsubscribe => true,
            token => token,
            purpose_name => purpose_name(&state, &lang, &claims.purpose),
        },
    )
}

async fn unsubscribe_action(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Peer(peer): Peer,
    headers: HeaderMap,
    form: Result<Form<BTreeMap<String, String>>, FormRejection>,
) -> Result<Response, ApiError> {
    let form = form.map(|Form(f)| f).unwrap_or_default();
    let lang = page_lang(&state, form.get("lang").map(String::as_str), &headers);
    let page = wants_page(&headers);
    if form.get("List-Unsubscribe").map(String::as_str) != Some("One-Click") {
        let e = ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_input",
            "a one-click unsubscribe posts `List-Unsubscribe=One-Click` (RFC 8058)",
        )
        .field("List-Unsubscribe");
        return Ok(e.into_response());
    }
    match state
        .engine
        .unsubscribe_by_link(&token, peer.map(|p| p.ip()))
        .await
    {
        Ok(claims) if page => {
            let words = Words::of(&state, &lang);
            let mut p = marketing_page(words.get("ui_mk_unsub_done_heading"));
            p.banner = Some(Banner::notice(words.get("ui_mk_unsub_done")));
            render(
                &state,
                &lang,
                p,
                context! {
                    token => token,
                    purpose_name => purpose_name(&state, &lang, &claims.purpose),
                },
            )
        }
        Ok(claims) => Ok(axum::Json(serde_json::json!({
            "unsubscribed": true,
            "purpose": claims.purpose,
        }))
        .into_response()),
        Err(EngineError::BadToken(_)) if page => bad_link(&state, &lang),
        Err(e) => Err(e.into()),
    }
}

async fn preferences_view(
    state: &AppState,
    lang: &str,
    token: &str,
    banner: Option<Banner>,
) -> Result<Response, ApiError> {
    let (_, prefs) = match state.engine.preferences(token, lang).await {
        Ok(p) => p,
        Err(EngineError::BadToken(_)) => return bad_link(state, lang),
        Err(e) => return Err(e.into()),
    };
    let words = Words::of(state, lang);
    let mut page = marketing_page(words.get("ui_mk_prefs_heading"));
    page.intro = Some(words.get("ui_mk_prefs_intro"));
    page.banner = banner;
    let prefs: Vec<_> = prefs
        .into_iter()
        .map(|p| {
            context! {
                purpose => p.purpose.clone(),
                name => purpose_name(state, lang, &p.purpose),
                text => p.text,
                on => p.on,
            }
        })
        .collect();
    render(
        state,
        lang,
        page,
        context! { token => token, prefs => prefs },
    )
}

async fn preferences_page(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
    Query(q): Query<LangQuery>,
) -> Result<Response, ApiError> {
    let lang = page_lang(&state, q.lang.as_deref(), &headers);
    let banner = (q.done.as_deref() == Some("saved"))
        .then(|| Banner::notice(Words::of(&state, &lang).get("ui_mk_prefs_saved")));
    preferences_view(&state, &lang, &token, banner).await
}

async fn preferences_action(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Peer(peer): Peer,
    headers: HeaderMap,
    form: Result<Form<BTreeMap<String, String>>, FormRejection>,
) -> Result<Response, ApiError> {
    let form = form.map(|Form(f)| f).unwrap_or_default();
    let lang = page_lang(&state, form.get("lang").map(String::as_str), &headers);
    if !same_site(&headers) {
        return refused(&state, &lang, Area::Public);
    }
    let purposes = match state.engine.preferences(&token, &lang).await {
        Ok((_, p)) => p,
        Err(EngineError::BadToken(_)) => return bad_link(&state, &lang),
        Err(e) => return Err(e.into()),
    };
    // A box left unticked is not sent: every preference shown is either on or off.
    let wanted: BTreeMap<String, bool> = purposes
        .iter()
        .map(|p| (p.purpose.clone(), form.contains_key(&p.purpose)))
        .collect();
    match state
        .engine
        .set_preferences(&token, &wanted, &lang, peer.map(|p| p.ip()))
        .await
    {
        Ok(_) => Ok(
            Redirect::to(&format!("/preferences/{token}?lang={lang}&done=saved")).into_response(),
        ),
        Err(EngineError::BadToken(_)) => bad_link(&state, &lang),
        Err(e) => Err(e.into()),
    }
}
