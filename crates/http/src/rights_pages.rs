//! The web pages of data subject requests, on the engine calls the request API makes
//! (`rights.rs`):
//!
//! - for customers' account holders, signed in: their requests (open ones by due date, with a
//!   chart), one request with what was done and the actions its state allows, and their end
//!   users' data, found by phone number, e-mail address or channel id, with buttons that file
//!   a request for that person (`/account/requests`, `/account/data`);
//! - for anyone, without an account: the public privacy center, where a person files a request
//!   with their e-mail address, confirms it with the mailed code and follows it on a status
//!   page (`/privacy-center`);
//! - for staff: the open requests of the platform (or everyone's) by due date, entering a
//!   request that came by mail or post with its scanned letter, and one request with its
//!   actions, identity confirmation among them (`/console/requests`).
//!
//! Like the account pages and the console, these are plain HTML forms that work without
//! JavaScript under the strict content security policy, in the UI's languages. Every post is
//! refused when the browser says it comes from another site; posts in a session also carry
//! its CSRF token. Nothing here is cached. Identifiers travel in form bodies, never in URLs.

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use axum::Router;
use axum::extract::rejection::FormRejection;
use axum::extract::{DefaultBodyLimit, Form, Multipart, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine as _;
use custodian_core::{RecordId, SubjectId, TenantId};
use custodian_engine::identifiers::{ChannelKind, PhoneE164};
use custodian_engine::rights::{
    self, Attachment, Channel, Correction, DENIAL_REASONS, Handler, NewRequest, RequestView,
    Requester, Right, day_of, state as rstate,
};
use custodian_engine::{EngineError, Principal};
use custodian_store::{AccountKind, RequestScope, RightsFilter};
use jiff::Timestamp;
use jiff::civil::Date;
use minijinja::{Environment, Value, context};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::account_pages::{given, localized, no_store, page_lang, same_site, see_other};
use crate::accounts::Peer;
use crate::console::{Banner, CONSOLE_NAV, Staff, Words, nav_items};
use crate::pages::locale_tags;
use crate::staff::ClientBudget;
use crate::{ApiError, AppState};

/// The largest upload of the staff's entry form: the scanned letter and the form's fields.
const LETTER_BODY: usize = rights::MAX_LETTER + 256 * 1024;

/// The media types a scanned letter may have; anything else is served as bytes.
const LETTER_TYPES: [&str; 5] = [
    "application/pdf",
    "image/png",
    "image/jpeg",
    "image/tiff",
    "image/webp",
];

/// Requests listed per page at most.
const LIST_LIMIT: u32 = 500;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/account/requests", get(customer_list).post(customer_file))
        .route(
            "/account/requests/{id}",
            get(detail::<Customer>).post(detail_post::<Customer>),
        )
        .route("/account/requests/{id}/export", get(customer_export))
        .route("/account/data", get(data_page).post(data_post))
        .route("/privacy-center", get(public_form).post(public_submit))
        .route("/privacy-center/requests/{id}", get(public_status))
        .route(
            "/privacy-center/requests/{id}/verify",
            get(public_verify_page).post(public_verify),
        )
        .route("/privacy-center/requests/{id}/resend", post(public_resend))
        .route("/privacy-center/requests/{id}/export", get(public_export))
        .route("/console/requests", get(console_list))
        .route(
            "/console/requests/new",
            get(console_new_page)
                .post(console_new)
                .layer(DefaultBodyLimit::max(LETTER_BODY)),
        )
        .route(
            "/console/requests/{id}",
            get(detail::<Staff>).post(detail_post::<Staff>),
        )
        .route("/console/requests/{id}/letter", get(console_letter))
        .layer(axum::middleware::map_response(no_store))
}

/// The templates of these pages, on the site's layout (and the console's).
static TEMPLATES: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    for (name, source) in [
        ("base.html", include_str!("../templates/base.html")),
        ("console.html", include_str!("../templates/console.html")),
        ("requests.html", include_str!("../templates/requests.html")),
        (
            "area_head.html",
            include_str!("../templates/area_head.html"),
        ),
        ("banner.html", include_str!("../templates/banner.html")),
        (
            "requests_open.html",
            include_str!("../templates/requests_open.html"),
        ),
        (
            "requests_recent.html",
            include_str!("../templates/requests_recent.html"),
        ),
        (
            "requests_list.html",
            include_str!("../templates/requests_list.html"),
        ),
        (
            "requests_detail.html",
            include_str!("../templates/requests_detail.html"),
        ),
        (
            "requests_data.html",
            include_str!("../templates/requests_data.html"),
        ),
        (
            "requests_view.html",
            include_str!("../templates/requests_view.html"),
        ),
        (
            "requests_actions.html",
            include_str!("../templates/requests_actions.html"),
        ),
        (
            "requests_table.html",
            include_str!("../templates/requests_table.html"),
        ),
        (
            "requests_chart.html",
            include_str!("../templates/requests_chart.html"),
        ),
        (
            "privacy_center.html",
            include_str!("../templates/privacy_center.html"),
        ),
        (
            "marketing.html",
            include_str!("../templates/marketing.html"),
        ),
        (
            "privacy_center_form.html",
            include_str!("../templates/privacy_center_form.html"),
        ),
        (
            "privacy_center_verify.html",
            include_str!("../templates/privacy_center_verify.html"),
        ),
        (
            "privacy_center_status.html",
            include_str!("../templates/privacy_center_status.html"),
        ),
        (
            "console_requests.html",
            include_str!("../templates/console_requests.html"),
        ),
        (
            "console_requests_new.html",
            include_str!("../templates/console_requests_new.html"),
        ),
        (
            "console_requests_detail.html",
            include_str!("../templates/console_requests_detail.html"),
        ),
        (
            "console_requests_message.html",
            include_str!("../templates/console_requests_message.html"),
        ),
    ] {
        if let Err(e) = env.add_template(name, source) {
            tracing::error!(template = name, error = %e, "template does not compile");
        }
    }
    env
});

// ---- Words ----

/// A time for people, and its RFC 3339 form for `<time>`.
#[derive(Debug, Clone, Serialize)]
struct Time {
    iso: String,
    text: String,
}

fn time(t: Timestamp) -> Time {
    Time {
        iso: t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
        text: t.strftime("%Y-%m-%d %H:%M UTC").to_string(),
    }
}

/// A day: its ISO form is also how people read it.
fn day(d: Date) -> Time {
    Time {
        iso: d.to_string(),
        text: d.to_string(),
    }
}

/// How long until a request is due, in words.
#[derive(Debug, Serialize)]
struct Days {
    left: i64,
    text: String,
    overdue: bool,
    /// Due within a week.
    soon: bool,
}

fn days(words: &Words, left: i64) -> Days {
    let text = match left {
        l if l < 0 => words.count(-l, "ui_rq_day_overdue", "ui_rq_days_overdue"),
        0 => words.get("ui_rq_due_today"),
        l => words.count(l, "ui_rq_day_left", "ui_rq_days_left"),
    };
    Days {
        left,
        text,
        overdue: left < 0,
        soon: (0..=7).contains(&left),
    }
}

// ---- The pages' frame ----

/// Which part of the site a page belongs to: its navigation.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Area {
    /// A customer's account.
    Customer,
    /// The staff console.
    Console,
    /// The public privacy center.
    Public,
}

/// What every page is besides its own values.
pub(crate) struct Page {
    pub(crate) status: StatusCode,
    pub(crate) template: &'static str,
    pub(crate) area: Area,
    /// The nav entry it is.
    pub(crate) nav: &'static str,
    pub(crate) heading: String,
    pub(crate) intro: Option<String>,
    /// Query pairs the language links keep (`token=…&`).
    pub(crate) keep: String,
    pub(crate) banner: Option<Banner>,
    /// The signed-in person's address and session token.
    pub(crate) me: Option<(String, String)>,
}

impl Page {
    fn new(template: &'static str, area: Area, nav: &'static str, heading: String) -> Self {
        Self {
            status: StatusCode::OK,
            template,
            area,
            nav,
            heading,
            intro: None,
            keep: String::new(),
            banner: None,
            me: None,
        }
    }
}

/// A customer's navigation.
const CUSTOMER_NAV: [(&str, &str, &str); 3] = [
    ("account", "/account", "ui_account_heading"),
    ("requests", "/account/requests", "ui_rq_nav_requests"),
    ("data", "/account/data", "ui_rq_nav_data"),
];

pub(crate) fn render(
    state: &AppState,
    lang: &str,
    page: Page,
    extra: Value,
) -> Result<Response, ApiError> {
    let words = Words::of(state, lang);
    let items: &[(&str, &str, &str)] = match page.area {
        Area::Console => &CONSOLE_NAV,
        Area::Customer => &CUSTOMER_NAV,
        Area::Public => &[],
    };
    let nav = nav_items(&words, items, lang);
    let ctx = context! {
        lang => lang,
        locales => locale_tags(state.engine.policy()),
        t => words.0,
        heading => page.heading,
        intro => page.intro,
        keep => page.keep,
        banner => page.banner,
        nav => page.nav,
        nav_items => nav,
        colon => if words.1 { "：" } else { ": " },
        me => page.me.as_ref().map(|m| m.0.clone()),
        csrf => page.me.as_ref().map(|m| state.engine.csrf_token(&m.1)),
        ..extra
    };
    let html = TEMPLATES
        .get_template(page.template)
        .and_then(|t| t.render(ctx))
        .map_err(|e| {
            tracing::error!(template = page.template, error = %e, "template failed");
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "the page could not be rendered",
            )
        })?;
    Ok((page.status, Html(html)).into_response())
}

/// A page of `area` that only says something.
pub(crate) fn message(
    state: &AppState,
    lang: &str,
    area: Area,
    status: StatusCode,
    (heading, banner): (&str, Banner),
) -> Result<Response, ApiError> {
    let words = Words::of(state, lang);
    let template = match area {
        Area::Customer => "requests.html",
        Area::Console => "console_requests_message.html",
        Area::Public => "privacy_center.html",
    };
    let mut page = Page::new(template, area, "", words.get(heading));
    page.status = status;
    page.banner = Some(banner);
    render(state, lang, page, context! { message_only => true })
}

/// The page for a form that came from another site or carries a wrong token.
pub(crate) fn refused(state: &AppState, lang: &str, area: Area) -> Result<Response, ApiError> {
    let words = Words::of(state, lang);
    message(
        state,
        lang,
        area,
        StatusCode::FORBIDDEN,
        (
            "ui_refused_heading",
            Banner::alert(words.get("ui_refused"), None),
        ),
    )
}

/// A form that could not be read at all (not form-encoded, or too large).
fn unreadable(
    state: &AppState,
    lang: &str,
    area: Area,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let words = Words::of(state, lang);
    let (status, key) = if status == StatusCode::PAYLOAD_TOO_LARGE && area == Area::Console {
        (status, "ui_rq_err_letter_size")
    } else if status.is_client_error() {
        (status, "ui_form_unreadable")
    } else {
        (StatusCode::BAD_REQUEST, "ui_form_unreadable")
    };
    message(
        state,
        lang,
        area,
        status,
        (
            "ui_form_invalid_heading",
            Banner::alert(words.get(key), None),
        ),
    )
}

/// The page for a request that is not there (or not the viewer's).
fn not_found(state: &AppState, lang: &str, area: Area) -> Result<Response, ApiError> {
    let words = Words::of(state, lang);
    message(
        state,
        lang,
        area,
        StatusCode::NOT_FOUND,
        (
            "ui_rq_not_found_heading",
            Banner::alert(words.get("ui_rq_not_found"), None),
        ),
    )
}

/// Why the engine refused a change, as a page shows it.
struct Refusal {
    status: StatusCode,
    banner: Banner,
    /// The field at fault and the engine's words about it.
    field: Option<(String, String)>,
}

/// The refusal for an engine error, or the error itself when it is not the person's to fix.
fn refusal(words: &Words, e: EngineError) -> Result<Refusal, ApiError> {
    let (status, lead, message, field) = match e {
        EngineError::NotPermitted(m) => {
            (StatusCode::FORBIDDEN, "ui_console_not_permitted", m, None)
        }
        EngineError::Conflict(m) | EngineError::Raced(m) => {
            (StatusCode::CONFLICT, "ui_console_conflict", m, None)
        }
        EngineError::Invalid { field, message } => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "ui_form_invalid_heading",
            message.clone(),
            Some((field.to_string(), message)),
        ),
        EngineError::InvalidField { field, message } => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "ui_form_invalid_heading",
            message.clone(),
            Some((field, message)),
        ),
        EngineError::NotFound { kind } => (
            StatusCode::NOT_FOUND,
            "ui_console_not_found",
            format!("no such {kind}"),
            Some((kind.to_string(), format!("no such {kind}"))),
        ),
        EngineError::TooLarge(m) => (
            StatusCode::PAYLOAD_TOO_LARGE,
            "ui_rq_err_letter_size",
            m.clone(),
            Some(("letter".to_string(), m)),
        ),
        EngineError::Limited { message, .. } => (
            StatusCode::TOO_MANY_REQUESTS,
            "ui_rq_limited",
            message,
            None,
        ),
        other => return Err(other.into()),
    };
    Ok(Refusal {
        status,
        banner: Banner::alert(words.get(lead), Some(message)),
        field,
    })
}

/// A path built of known segments, ids and hex tokens: nothing in it needs escaping (minijinja
/// would write `/` as `&#x2f;`).
fn safe(path: String) -> Value {
    Value::from_safe_string(path)
}

fn parse_id(text: &str) -> Option<Uuid> {
    text.parse().ok()
}

#[derive(Debug, Deserialize)]
struct LangQuery {
    lang: Option<String>,
    done: Option<String>,
}

/// The notice for `?done=` after a change succeeded.
fn done_banner(words: &Words, done: Option<&str>) -> Option<Banner> {
    let key = match done? {
        "filed" => "ui_rq_done_filed",
        "accept" => "ui_rq_done_accept",
        "confirm" => "ui_rq_done_confirm",
        "extend" => "ui_rq_done_extend",
        "deny" => "ui_rq_done_deny",
        "withdraw" => "ui_rq_done_withdraw",
        "decide" => "ui_rq_done_decide",
        "correct" => "ui_rq_done_correct",
        _ => return None,
    };
    Some(Banner::notice(words.get(key)))
}

// ---- Who is asking ----

/// A signed-in customer's account holder.
struct Customer {
    token: String,
    principal: Principal,
    email: String,
    lang: String,
}

/// The customer of the request's session, or the answer for anyone else: to the sign-in page
/// when not signed in, 403 with a pointer to the console for staff.
async fn customer(
    state: &AppState,
    headers: &HeaderMap,
    lang: String,
) -> Result<Result<Customer, Response>, ApiError> {
    let Some((token, account)) = crate::console::session(state, headers).await? else {
        return Ok(Err(see_other(&localized(
            state,
            "/account/sign-in",
            &lang,
            headers,
        ))));
    };
    let principal = match state.engine.customer_principal(&account) {
        Ok(p) => p,
        Err(EngineError::NotPermitted(_)) => {
            let words = Words::of(state, &lang);
            let key = if account.kind == AccountKind::Staff {
                "ui_rq_customers_only_staff"
            } else {
                "ui_rq_customers_only"
            };
            let mut page = Page::new(
                "requests.html",
                Area::Customer,
                "",
                words.get("ui_rq_customers_only_heading"),
            );
            page.status = StatusCode::FORBIDDEN;
            page.banner = Some(Banner::alert(words.get(key), None));
            return Ok(Err(render(
                state,
                &lang,
                page,
                context! { message_only => true, staff => account.kind == AccountKind::Staff },
            )?));
        }
        Err(e) => return Err(e.into()),
    };
    let email = state.engine.account_email(&account)?;
    Ok(Ok(Customer {
        token,
        principal,
        email,
        lang,
    }))
}

/// A signed-in person of one of the two areas that work on requests (a customer's account,
/// the console), where the pages both have (one request and its actions) tell them apart.
#[derive(Clone, Copy)]
enum Who<'a> {
    Customer(&'a Customer),
    Staff(&'a Staff),
}

impl<'a> Who<'a> {
    fn lang(&self) -> &'a str {
        match self {
            Who::Customer(c) => &c.lang,
            Who::Staff(s) => &s.lang,
        }
    }

    fn token(&self) -> &'a str {
        match self {
            Who::Customer(c) => &c.token,
            Who::Staff(s) => &s.token,
        }
    }

    /// A page of the area's requests, for this person.
    fn page(&self, template: &'static str, heading: String) -> Page {
        match self {
            Who::Customer(c) => c.page(template, "requests", heading),
            Who::Staff(s) => s.page(template, heading),
        }
    }

    /// Whom the engine acts for.
    fn handler(&self) -> Handler {
        match self {
            Who::Customer(c) => Handler::Tenant(c.principal.clone()),
            Who::Staff(s) => Handler::Staff(Box::new(s.account.clone())),
        }
    }
}

/// What differs between a customer's request pages and the console's: who may enter, and
/// where the pages are.
trait Desk: Sized {
    const AREA: Area;
    /// The path of the area's requests.
    const BASE: &'static str;
    /// The template of one request.
    const DETAIL: &'static str;

    /// The person of the request's session, or the answer for anyone else.
    async fn enter(
        state: &AppState,
        headers: &HeaderMap,
        lang: String,
    ) -> Result<Result<Self, Response>, ApiError>;

    fn who(&self) -> Who<'_>;
}

impl Desk for Customer {
    const AREA: Area = Area::Customer;
    const BASE: &'static str = "/account/requests";
    const DETAIL: &'static str = "requests_detail.html";

    async fn enter(
        state: &AppState,
        headers: &HeaderMap,
        lang: String,
    ) -> Result<Result<Self, Response>, ApiError> {
        customer(state, headers, lang).await
    }

    fn who(&self) -> Who<'_> {
        Who::Customer(self)
    }
}

impl Desk for Staff {
    const AREA: Area = Area::Console;
    const BASE: &'static str = "/console/requests";
    const DETAIL: &'static str = "console_requests_detail.html";

    async fn enter(
        state: &AppState,
        headers: &HeaderMap,
        lang: String,
    ) -> Result<Result<Self, Response>, ApiError> {
        staff(state, headers, lang).await
    }

    fn who(&self) -> Who<'_> {
        Who::Staff(self)
    }
}

/// As [`Desk::enter`], for a form: from this site, with the session's CSRF token.
async fn enter_form<D: Desk>(
    state: &AppState,
    headers: &HeaderMap,
    lang: String,
    csrf: Option<&str>,
) -> Result<Result<D, Response>, ApiError> {
    if !same_site(headers) {
        return Ok(Err(refused(state, &lang, D::AREA)?));
    }
    let d = match D::enter(state, headers, lang).await? {
        Ok(d) => d,
        Err(answer) => return Ok(Err(answer)),
    };
    let who = d.who();
    if !state
        .engine
        .csrf_matches(who.token(), csrf.unwrap_or_default())
    {
        return Ok(Err(refused(state, who.lang(), D::AREA)?));
    }
    Ok(Ok(d))
}

/// The form a post carries, or the page for one that cannot be read at all.
pub(crate) fn read_form<T>(
    state: &AppState,
    headers: &HeaderMap,
    area: Area,
    form: Result<Form<T>, FormRejection>,
) -> Result<Result<T, Response>, ApiError> {
    match form {
        Ok(Form(form)) => Ok(Ok(form)),
        Err(e) => {
            let lang = page_lang(state, None, headers);
            Ok(Err(unreadable(state, &lang, area, e.status())?))
        }
    }
}

impl Customer {
    fn page(&self, template: &'static str, nav: &'static str, heading: String) -> Page {
        let mut page = Page::new(template, Area::Customer, nav, heading);
        page.me = Some((self.email.clone(), self.token.clone()));
        page
    }
}

impl Staff {
    fn page(&self, template: &'static str, heading: String) -> Page {
        let mut page = Page::new(template, Area::Console, "requests", heading);
        page.me = Some((self.email.clone(), self.token.clone()));
        page
    }
}

/// The member of staff of the request's session (who signed in with their second factor, as
/// staff must), or the answer for anyone else.
async fn staff(
    state: &AppState,
    headers: &HeaderMap,
    lang: String,
) -> Result<Result<Staff, Response>, ApiError> {
    crate::console::enter_as(state, headers, lang, |lang| {
        let words = Words::of(state, lang);
        message(
            state,
            lang,
            Area::Console,
            StatusCode::FORBIDDEN,
            (
                "ui_console_staff_only_heading",
                Banner::alert(words.get("ui_console_staff_only"), None),
            ),
        )
    })
    .await
}

/// Checks a staff form's origin and token.
fn staff_form_ok(state: &AppState, headers: &HeaderMap, s: &Staff, csrf: Option<&str>) -> bool {
    same_site(headers)
        && state
            .engine
            .csrf_matches(&s.token, csrf.unwrap_or_default())
}

/// A page the engine would not show a member of staff: its refusal, in the console.
fn staff_denied(state: &AppState, s: &Staff, e: EngineError) -> Result<Response, ApiError> {
    let words = Words::of(state, &s.lang);
    let r = refusal(&words, e)?;
    let mut page = s.page(
        "console_requests_message.html",
        words.get("ui_console_not_shown"),
    );
    page.status = r.status;
    page.banner = Some(r.banner);
    render(state, &s.lang, page, context! { message_only => true })
}

// ---- Requests as pages show them ----

/// Who did something, as the viewer may see it.
#[derive(Clone, Copy)]
enum Viewer {
    /// A customer, who sees their colleagues' addresses and "staff" for the platform's people.
    Customer(TenantId),
    /// Staff, who see everyone's addresses.
    Staff,
    /// The requester, who is not shown who.
    Public,
}

/// The names of the actors in requests' histories, looked up once each.
#[derive(Default)]
struct Actors(HashMap<String, String>);

impl Actors {
    async fn learn(
        &mut self,
        state: &AppState,
        words: &Words,
        viewer: Viewer,
        views: &[&RequestView],
    ) -> Result<(), ApiError> {
        if matches!(viewer, Viewer::Public) {
            return Ok(());
        }
        for view in views {
            for step in &view.detail.history {
                if self.0.contains_key(&step.by) {
                    continue;
                }
                let name = actor_name(state, words, viewer, &step.by).await?;
                self.0.insert(step.by.clone(), name);
            }
        }
        Ok(())
    }

    fn name(&self, actor: &str) -> String {
        self.0
            .get(actor)
            .cloned()
            .unwrap_or_else(|| actor.to_string())
    }
}

async fn actor_name(
    state: &AppState,
    words: &Words,
    viewer: Viewer,
    actor: &str,
) -> Result<String, ApiError> {
    Ok(match actor {
        "system" => words.get("ui_rq_by_system"),
        "privacy-center" => words.get("ui_rq_by_privacy_center"),
        "cli" => words.get("ui_rq_by_operator"),
        a if a.starts_with("apikey:") => words.get("ui_rq_by_api_key"),
        a => match a
            .strip_prefix("account:")
            .and_then(|id| id.parse::<Uuid>().ok())
        {
            Some(id) => {
                let account = state
                    .engine
                    .store()
                    .account(id)
                    .await
                    .map_err(EngineError::from)?;
                match (account, viewer) {
                    (Some(account), Viewer::Staff) => state.engine.account_email(&account)?,
                    (Some(account), Viewer::Customer(t)) if account.tenant == Some(t) => {
                        state.engine.account_email(&account)?
                    }
                    (Some(account), _) if account.kind == AccountKind::Staff => {
                        words.get("ui_rq_by_staff")
                    }
                    _ => words.get("ui_rq_by_someone"),
                }
            }
            None => a.to_string(),
        },
    })
}

/// A step of a request's history.
#[derive(Debug, Serialize)]
struct StepItem {
    at: Time,
    state: String,
    state_label: String,
    by: Option<String>,
    /// What the step says, in the page's language.
    note: Option<String>,
    /// What it adds in the engine's or a person's own words (not translated).
    note_en: Option<String>,
}

/// A history note in the page's language, where the engine wrote one of its known notes;
/// else the note as written (in English, or a person's own words).
fn note_text(words: &Words, note: &str) -> (Option<String>, Option<String>) {
    if note.is_empty() {
        return (None, None);
    }
    if let Some(channel) = note.strip_prefix("received through ") {
        return (
            Some(words.pair(
                &words.get("ui_rq_note_received"),
                &words.code("ui_channel_", channel),
            )),
            None,
        );
    }
    if note == "identity vouched for by the customer (the controller)" {
        return (Some(words.get("ui_rq_note_vouched")), None);
    }
    if let Some(how) = note.strip_prefix("identity verified: ") {
        return (
            Some(words.get("ui_rq_note_verified")),
            Some(how.to_string()),
        );
    }
    if let Some(id) = note.strip_prefix("routed from request ") {
        return (
            Some(words.pair(&words.get("ui_rq_note_routed_from"), id)),
            None,
        );
    }
    if note == "taken up by the customer" {
        return (Some(words.get("ui_rq_note_taken_up")), None);
    }
    if let Some(rest) = note.strip_prefix("deadline extended to ")
        && let Some((date, reason)) = rest.split_once(": ")
    {
        return (
            Some(words.pair(&words.get("ui_rq_note_extended"), date)),
            Some(reason.to_string()),
        );
    }
    if let Some(names) = note.strip_prefix("passed on to ") {
        return (
            Some(words.pair(&words.get("ui_rq_note_passed_on"), names)),
            None,
        );
    }
    if note == "legal_retention" || DENIAL_REASONS.contains(&note) {
        return (Some(words.code("ui_reason_", note)), None);
    }
    (None, Some(note.to_string()))
}

#[derive(Debug, Serialize)]
struct Labelled {
    code: String,
    label: String,
}

#[derive(Debug, Serialize)]
struct RetainedItem {
    category: String,
    until: Option<Time>,
    why: String,
    why_code: String,
    records: u64,
}

#[derive(Debug, Serialize)]
struct AnswerItem {
    no_data: bool,
    products: Vec<(String, u64)>,
    keys_destroyed: u64,
    rows_deleted: u64,
    check: Option<rights::ErasureCheck>,
    retained: Vec<RetainedItem>,
    routed_to: Vec<String>,
    rectified: Vec<String>,
    export_until: Option<Time>,
    /// The export can be downloaded now.
    export_open: bool,
    /// Anything to say at all.
    any: bool,
}

#[derive(Debug, Serialize)]
struct LetterItem {
    name: String,
    content_type: String,
    kilobytes: usize,
}

/// A request as the pages show it.
#[derive(Debug, Serialize)]
struct Item {
    id: String,
    short: String,
    right: String,
    right_label: String,
    regime: String,
    regime_label: String,
    channel: String,
    channel_label: String,
    state: String,
    state_label: String,
    open: bool,
    reason_label: Option<String>,
    received: Time,
    due: Time,
    days: Option<Days>,
    extended_from: Option<Time>,
    verified_at: Option<Time>,
    closed_at: Option<Time>,
    tenant: Option<String>,
    tenant_name: Option<String>,
    subject: Option<String>,
    parent: Option<String>,
    routed: bool,
    requester: Requester,
    identifiers: Vec<(String, String)>,
    message: Option<String>,
    explanation: Option<String>,
    extension_reason: Option<String>,
    fee: Option<String>,
    letter: Option<LetterItem>,
    history: Vec<StepItem>,
    answer: AnswerItem,
    locale: String,
}

/// The label of an identifier kind.
fn identifier_label(words: &Words, kind: &str) -> String {
    match ChannelKind::parse(kind) {
        Some(c) => format!("{} ({})", channel_name(c), words.get("ui_rq_channel_id")),
        None => words.code("ui_identifier_", kind),
    }
}

/// A messaging channel's own name (never translated).
fn channel_name(c: ChannelKind) -> &'static str {
    match c {
        ChannelKind::WhatsApp => "WhatsApp",
        ChannelKind::GoogleBusinessMessages => "Google Business Messages",
        ChannelKind::Messenger => "Facebook Messenger",
        ChannelKind::Instagram => "Instagram",
        ChannelKind::Line => "LINE",
        ChannelKind::Twitter => "X (Twitter)",
        ChannelKind::Viber => "Viber",
        ChannelKind::WeChat => "WeChat",
        ChannelKind::Pusher => "Pusher",
    }
}

/// Texts of the policy in the page's language (data categories, retention rules, products).
struct PolicyText<'a> {
    policy: &'a custodian_policy::Policy,
    lang: &'a str,
}

impl PolicyText<'_> {
    fn text(&self, id: &str) -> Option<String> {
        self.policy
            .locale(self.lang)
            .and_then(|l| l.text(id))
            .or_else(|| self.policy.source_locale().and_then(|l| l.text(id)))
            .map(str::to_string)
    }

    fn category(&self, c: &str) -> String {
        self.text(&format!("data-{c}"))
            .unwrap_or_else(|| c.to_string())
    }

    fn product(&self, p: &str) -> String {
        self.policy
            .current()
            .and_then(|v| v.product.iter().find(|x| x.id.as_str() == p))
            .map(|x| x.name.clone())
            .unwrap_or_else(|| p.to_string())
    }
}

fn item(
    state: &AppState,
    words: &Words,
    lang: &str,
    (viewer, actors): (Viewer, &Actors),
    v: &RequestView,
) -> Item {
    let now = state.engine.now();
    let texts = PolicyText {
        policy: state.engine.policy(),
        lang,
    };
    let d = &v.detail;
    let a = &d.answer;
    let open = !rstate::is_closed(&v.state);
    let export_until = a.export_until.filter(|_| {
        matches!(
            Right::parse(&v.right),
            Some(Right::Access | Right::Portability)
        ) && matches!(
            v.state.as_str(),
            rstate::FULFILLED | rstate::PARTIALLY_FULFILLED
        )
    });
    let answer = AnswerItem {
        no_data: a.no_data,
        products: a
            .products
            .iter()
            .map(|(p, n)| (texts.product(p), *n))
            .collect(),
        keys_destroyed: a.keys_destroyed,
        rows_deleted: a.rows_deleted,
        check: a.check.clone(),
        retained: a
            .retained
            .iter()
            .map(|r| RetainedItem {
                category: texts.category(&r.category),
                until: r.until.map(|t| day(day_of(t))),
                why: texts
                    .text(&format!("retention-{}", r.why))
                    .unwrap_or_else(|| r.why.clone()),
                why_code: r.why.clone(),
                records: r.records,
            })
            .collect(),
        routed_to: a.routed_to.clone(),
        rectified: a.rectified.iter().map(ToString::to_string).collect(),
        export_until: export_until.map(time),
        export_open: export_until.is_some_and(|u| now < u),
        // The requester sees whom it was passed on to on its own (public) page.
        any: a.no_data
            || !a.products.is_empty()
            || a.check.is_some()
            || !a.retained.is_empty()
            || (!a.routed_to.is_empty() && !matches!(viewer, Viewer::Public))
            || !a.rectified.is_empty()
            || export_until.is_some(),
    };
    let history = d
        .history
        .iter()
        .map(|s| {
            let (note, note_en) = note_text(words, &s.note);
            StepItem {
                at: time(s.at),
                state: s.state.clone(),
                state_label: words.code("ui_rq_state_", &s.state),
                by: (!matches!(viewer, Viewer::Public)).then(|| actors.name(&s.by)),
                note,
                // The requester sees no one's own words but their own.
                note_en: note_en.filter(|_| !matches!(viewer, Viewer::Public)),
            }
        })
        .collect();
    let id = v.id.to_string();
    Item {
        // The tail of a v7 id is random; its head is the time, the same for a batch.
        short: id[id.len().saturating_sub(8)..].to_string(),
        id,
        right: v.right.clone(),
        right_label: words.code("ui_right_", &v.right),
        regime: v.regime.clone(),
        regime_label: words.code("ui_regime_", &v.regime),
        channel: v.channel.clone(),
        channel_label: words.code("ui_channel_", &v.channel),
        state: v.state.clone(),
        state_label: words.code("ui_rq_state_", &v.state),
        open,
        reason_label: v.reason.as_deref().map(|r| words.code("ui_reason_", r)),
        received: time(v.received_at),
        due: day(day_of(v.due_at)),
        days: v.days_left.map(|l| days(words, l)),
        extended_from: v.extended_from.map(|t| day(day_of(t))),
        verified_at: v.verified_at.map(time),
        closed_at: v.closed_at.map(time),
        tenant: v.tenant.map(|t| t.to_string()),
        tenant_name: None,
        subject: v.subject.map(|s| s.to_string()),
        parent: v.parent.map(|p| p.to_string()),
        routed: v.channel == Channel::Routed.as_str() || v.parent.is_some(),
        requester: d.requester.clone(),
        identifiers: d
            .identifiers
            .iter()
            .map(|(k, val)| (identifier_label(words, k), val.clone()))
            .collect(),
        message: d.message.clone(),
        explanation: d.explanation.clone(),
        extension_reason: d.extension_reason.clone(),
        fee: d.fee.clone(),
        letter: d.letter.as_ref().map(|l| LetterItem {
            name: l.name.clone(),
            content_type: l.content_type.clone(),
            kilobytes: (l.data.len() * 3 / 4).div_ceil(1024),
        }),
        history,
        answer,
        locale: v.locale.clone(),
    }
}

impl Item {
    fn overdue(&self) -> bool {
        self.days.as_ref().is_some_and(|d| d.overdue)
    }
}

/// The last closed of `views` (at most 20), for the lists' second table.
fn recently_closed(views: Vec<RequestView>) -> Vec<RequestView> {
    views
        .into_iter()
        .filter(|r| rstate::is_closed(&r.state))
        .take(20)
        .collect()
}

/// Items for a list of requests.
async fn items(
    state: &AppState,
    words: &Words,
    lang: &str,
    viewer: Viewer,
    views: &[RequestView],
) -> Result<Vec<Item>, ApiError> {
    let mut actors = Actors::default();
    let refs: Vec<&RequestView> = views.iter().collect();
    actors.learn(state, words, viewer, &refs).await?;
    Ok(views
        .iter()
        .map(|v| item(state, words, lang, (viewer, &actors), v))
        .collect())
}

// ---- The chart of open requests by due date ----

/// Colours of the chart's bars (with a text legend and the date on every bar).
const OVERDUE: &str = "#b42318";
const SOON: &str = "#b35806";
const LATER: &str = "#2166ac";
/// Due dates the chart shows one by one; later ones share a bar.
const CHART_ROWS: usize = 12;

#[derive(Debug, Serialize)]
struct ChartRow {
    y: u64,
    label: String,
    width: u64,
    end: u64,
    count: u64,
    color: &'static str,
    title: String,
}

/// Open requests by due date as a horizontal bar chart (inline SVG, no script).
fn chart(words: &Words, by_due: &BTreeMap<Date, u64>, today: Date) -> Value {
    let (left, width) = (120u64, 440u64);
    let mut rows: Vec<(String, u64, &'static str, String)> = Vec::new();
    let mut later = 0u64;
    for (i, (d, n)) in by_due.iter().enumerate() {
        if i >= CHART_ROWS {
            later += n;
            continue;
        }
        let left_days = custodian_engine::deadlines::days_left(today, *d);
        let colour = match left_days {
            l if l < 0 => OVERDUE,
            l if l <= 7 => SOON,
            _ => LATER,
        };
        let when = days(words, left_days).text;
        rows.push((d.to_string(), *n, colour, format!("{d}: {n} · {when}")));
    }
    if later > 0 {
        let label = words.get("ui_rq_chart_later");
        rows.push((label.clone(), later, LATER, format!("{label}: {later}")));
    }
    let max = rows.iter().map(|r| r.1).max().unwrap_or(1).max(1);
    let bars: Vec<ChartRow> = rows
        .into_iter()
        .enumerate()
        .map(|(i, (label, count, color, title))| {
            let w = (count * width / max).max(4);
            ChartRow {
                y: 8 + i as u64 * 28,
                label,
                width: w,
                end: left + w,
                count,
                color,
                title,
            }
        })
        .collect();
    let legend = [
        (OVERDUE, "ui_rq_chart_overdue"),
        (SOON, "ui_rq_chart_soon"),
        (LATER, "ui_rq_chart_later_key"),
    ]
    .map(|(c, k)| context! { color => c, label => words.get(k) });
    context! {
        height => 16 + bars.len() * 28,
        left => left,
        total => by_due.values().sum::<u64>(),
        bars => bars,
        legend => legend.to_vec(),
    }
}

// ---- Choices on forms ----

/// The rights a form offers: those of the statement in force, and the CCPA's sale rights.
fn right_choices(state: &AppState, words: &Words) -> Vec<Value> {
    let offered: Vec<String> = state
        .engine
        .policy()
        .current()
        .map(|v| v.right.iter().map(|r| r.id.as_str().to_string()).collect())
        .unwrap_or_default();
    Right::ALL
        .iter()
        .filter(|r| {
            matches!(r, Right::OptOutSale | Right::OptInSale)
                || offered.iter().any(|o| o == r.as_str())
        })
        .map(|r| {
            context! {
                code => r.as_str(),
                label => words.code("ui_right_", r.as_str()),
                hint => words.code("ui_right_hint_", r.as_str()),
            }
        })
        .collect()
}

fn regime_choices(words: &Words) -> Vec<Value> {
    ["gdpr", "ccpa", "pdpa"]
        .iter()
        .map(|r| {
            context! {
                code => r,
                label => words.code("ui_regime_", r),
                hint => words.code("ui_regime_hint_", r),
            }
        })
        .collect()
}

/// The kinds of identifier an end user is found by: phone, e-mail, each channel, the
/// customer's own id.
fn kind_choices(words: &Words) -> Vec<Labelled> {
    let mut out = vec![
        Labelled {
            code: "phone".into(),
            label: words.get("ui_identifier_phone"),
        },
        Labelled {
            code: "email".into(),
            label: words.get("ui_identifier_email"),
        },
    ];
    out.extend(ChannelKind::ALL.iter().map(|c| Labelled {
        code: c.as_str().into(),
        label: identifier_label(words, c.as_str()),
    }));
    out.push(Labelled {
        code: "external".into(),
        label: words.get("ui_identifier_external"),
    });
    out
}

/// The languages letters to a requester can be written in, each named in itself.
const LETTER_LANGUAGES: [(&str, &str); 4] = [
    ("en", "English"),
    ("nl", "Nederlands"),
    ("zh-CN", "中文（简体）"),
    ("id", "Bahasa Indonesia"),
];

fn denial_choices(words: &Words) -> Vec<Labelled> {
    DENIAL_REASONS
        .iter()
        .map(|r| Labelled {
            code: (*r).into(),
            label: words.code("ui_reason_", r),
        })
        .collect()
}

// ---- Errors on forms ----

/// Field errors of a form, keyed by the form's field names.
type Errors = BTreeMap<String, String>;

/// The field of a new-request form an engine field names, and the words for it.
fn new_request_error(words: &Words, field: &str, message: &str) -> (String, String) {
    let (name, key) = match field {
        "right" => ("right", "ui_rq_err_right"),
        "regime" => ("regime", "ui_rq_err_regime"),
        "email" | "requester.email" => ("email", "ui_email_invalid"),
        "message" => ("message", "ui_rq_err_text"),
        "locale" => ("locale", "ui_locale_invalid"),
        "received_at" => ("received_at", "ui_rq_err_received"),
        "letter" => ("letter", "ui_rq_err_letter_size"),
        "subject" => ("value", "ui_rq_err_subject"),
        f if f == "identifiers" || f.starts_with("identifiers.") || f == "value" => {
            return (
                "value".into(),
                format!("{} {message}", words.get("ui_rq_err_identifier")),
            );
        }
        _ => ("form", "ui_form_invalid_heading"),
    };
    (name.into(), words.get(key))
}

/// The refusal of a new request, and the error it names at the form's field.
fn new_request_refusal(words: &Words, e: EngineError) -> Result<(Refusal, Errors), ApiError> {
    let r = refusal(words, e)?;
    let mut errors = Errors::new();
    if let Some((field, message)) = &r.field {
        let (name, text) = new_request_error(words, field, message);
        errors.insert(name, text);
    }
    Ok((r, errors))
}

// ---- A customer's requests ----

/// The new-request form as sent (customer, privacy center), and what it shows again.
#[derive(Debug, Default, Deserialize, Serialize)]
struct NewForm {
    #[serde(skip_serializing)]
    csrf: Option<String>,
    lang: Option<String>,
    right: Option<String>,
    regime: Option<String>,
    locale: Option<String>,
    kind: Option<String>,
    value: Option<String>,
    email: Option<String>,
    name: Option<String>,
    phone: Option<String>,
    message: Option<String>,
}

async fn customer_list_view(
    state: &AppState,
    c: &Customer,
    (status, banner): (StatusCode, Option<Banner>),
    (form, errors): (&NewForm, Errors),
) -> Result<Response, ApiError> {
    let words = Words::of(state, &c.lang);
    let engine = &state.engine;
    let open = engine
        .tenant_requests(&c.principal, true, LIST_LIMIT)
        .await?;
    let recent = recently_closed(engine.tenant_requests(&c.principal, false, 50).await?);
    let by_due = engine
        .open_by_due(RequestScope::Tenant(c.principal.tenant))
        .await?;
    let viewer = Viewer::Customer(c.principal.tenant);
    let open = items(state, &words, &c.lang, viewer, &open).await?;
    let recent = items(state, &words, &c.lang, viewer, &recent).await?;
    let overdue = open.iter().filter(|i| i.overdue()).count();
    let soon = open
        .iter()
        .filter(|i| i.days.as_ref().is_some_and(|d| d.soon))
        .count();
    let waiting = open.iter().filter(|i| i.state == rstate::RECEIVED).count();
    let mut page = c.page("requests_list.html", "requests", words.get("ui_rq_heading"));
    page.intro = Some(words.get("ui_rq_intro"));
    page.status = status;
    page.banner = banner;
    render(
        state,
        &c.lang,
        page,
        context! {
            open => open,
            recent => recent,
            overdue => overdue,
            soon => soon,
            waiting => waiting,
            chart => chart(&words, &by_due, day_of(engine.now())),
            base => safe("/account/requests".into()),
            rights => right_choices(state, &words),
            regimes => regime_choices(&words),
            kinds => kind_choices(&words),
            languages => LETTER_LANGUAGES.to_vec(),
            form => context! {
                right => form.right.clone().unwrap_or_else(|| "access".into()),
                regime => form.regime.clone().unwrap_or_else(|| "gdpr".into()),
                locale => form.locale.clone().unwrap_or_else(|| c.lang.clone()),
                kind => form.kind.clone().unwrap_or_else(|| "phone".into()),
                value => form.value.clone().unwrap_or_default(),
                email => form.email.clone().unwrap_or_default(),
                name => form.name.clone().unwrap_or_default(),
                message => form.message.clone().unwrap_or_default(),
            },
            errors => errors,
        },
    )
}

async fn customer_list(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<LangQuery>,
) -> Result<Response, ApiError> {
    let lang = page_lang(&state, q.lang.as_deref(), &headers);
    let c = match customer(&state, &headers, lang).await? {
        Ok(c) => c,
        Err(answer) => return Ok(answer),
    };
    let words = Words::of(&state, &c.lang);
    let banner = done_banner(&words, q.done.as_deref());
    customer_list_view(
        &state,
        &c,
        (StatusCode::OK, banner),
        (&NewForm::default(), Errors::new()),
    )
    .await
}

async fn customer_file(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<NewForm>, FormRejection>,
) -> Result<Response, ApiError> {
    let form = match read_form(&state, &headers, Area::Customer, form)? {
        Ok(form) => form,
        Err(answer) => return Ok(answer),
    };
    let lang = page_lang(&state, form.lang.as_deref(), &headers);
    let c = match enter_form::<Customer>(&state, &headers, lang, form.csrf.as_deref()).await? {
        Ok(c) => c,
        Err(answer) => return Ok(answer),
    };
    let words = Words::of(&state, &c.lang);
    let mut identifiers = BTreeMap::new();
    if let (Some(kind), Some(value)) = (given(form.kind.as_deref()), given(form.value.as_deref())) {
        identifiers.insert(kind.to_string(), value.to_string());
    }
    let new = NewRequest {
        right: form.right.clone().unwrap_or_default(),
        regime: given(form.regime.as_deref()).map(str::to_string),
        locale: given(form.locale.as_deref()).map(str::to_string),
        requester: Requester {
            email: given(form.email.as_deref()).map(str::to_string),
            name: given(form.name.as_deref()).map(str::to_string),
            ..Requester::default()
        },
        identifiers,
        message: given(form.message.as_deref()).map(str::to_string),
        ..NewRequest::default()
    };
    match state
        .engine
        .file_request(&c.principal, Channel::Dashboard, new)
        .await
    {
        Ok(view) => Ok(see_other(&localized(
            &state,
            &format!("/account/requests/{}?done=filed", view.id),
            &c.lang,
            &headers,
        ))),
        Err(e) => {
            let (r, errors) = new_request_refusal(&words, e)?;
            customer_list_view(&state, &c, (r.status, Some(r.banner)), (&form, errors)).await
        }
    }
}

/// What the action forms show again after a refusal.
#[derive(Debug, Default, Deserialize, Serialize)]
struct ActForm {
    #[serde(skip_serializing)]
    csrf: Option<String>,
    lang: Option<String>,
    /// `accept`, `confirm`, `extend`, `deny`, `withdraw`, `decide` or `correct`.
    op: Option<String>,
    reason: Option<String>,
    explanation: Option<String>,
    uphold: Option<String>,
    grounds: Option<String>,
    record: Option<String>,
    data: Option<String>,
    how: Option<String>,
}

/// Which actions a request's state and right allow, for whom.
#[derive(Debug, Serialize)]
struct Actions {
    accept: bool,
    confirm: bool,
    extend: bool,
    deny: bool,
    withdraw: bool,
    decide: bool,
    correct: bool,
    any: bool,
}

fn actions(v: &RequestView, staff: bool) -> Actions {
    let open = !rstate::is_closed(&v.state);
    let waiting = v.state == rstate::VERIFYING || v.state == rstate::RECEIVED;
    let in_progress = v.state == rstate::IN_PROGRESS;
    let a = Actions {
        accept: !staff && v.state == rstate::RECEIVED && v.channel == Channel::Routed.as_str(),
        confirm: staff && waiting && v.tenant.is_none(),
        extend: open && v.extended_from.is_none(),
        deny: open,
        withdraw: open,
        decide: in_progress && v.right == Right::Objection.as_str(),
        correct: in_progress
            && v.right == Right::Rectification.as_str()
            && v.tenant.is_some()
            && v.subject.is_some(),
        any: false,
    };
    Actions { any: open, ..a }
}

/// Carries out an action form on a request.
async fn act(
    state: &AppState,
    handler: &Handler,
    id: Uuid,
    form: &ActForm,
) -> Result<RequestView, EngineError> {
    let engine = &state.engine;
    let text = |v: &Option<String>| v.as_deref().unwrap_or_default().trim().to_string();
    match form.op.as_deref().unwrap_or_default() {
        "accept" => match handler {
            Handler::Tenant(p) => engine.accept_routed(p, id).await,
            _ => Err(EngineError::Conflict(
                "only the customer takes up a request routed to it".into(),
            )),
        },
        "confirm" => engine.confirm_identity(handler, id, &text(&form.how)).await,
        "extend" => {
            engine
                .extend_request(handler, id, &text(&form.reason))
                .await
        }
        "deny" => {
            engine
                .deny_request(handler, id, &text(&form.reason), &text(&form.explanation))
                .await
        }
        "withdraw" => {
            engine
                .withdraw_request(
                    handler,
                    id,
                    given(form.reason.as_deref()).map(str::to_string),
                )
                .await
        }
        "decide" => {
            let uphold = match form.uphold.as_deref() {
                Some("yes") => true,
                Some("no") => false,
                _ => {
                    return Err(EngineError::Invalid {
                        field: "uphold",
                        message: "uphold or reject the objection".into(),
                    });
                }
            };
            engine
                .decide_objection(handler, id, uphold, &text(&form.grounds))
                .await
        }
        "correct" => {
            let record: RecordId =
                text(&form.record)
                    .parse()
                    .map_err(|_| EngineError::Invalid {
                        field: "record",
                        message: "choose the record to correct".into(),
                    })?;
            let data = match serde_json::from_str::<serde_json::Value>(&text(&form.data)) {
                Ok(serde_json::Value::Object(map)) if !map.is_empty() => map,
                _ => {
                    return Err(EngineError::Invalid {
                        field: "data",
                        message: "write the corrected data as a JSON object by data category"
                            .into(),
                    });
                }
            };
            engine
                .complete_rectification(handler, id, vec![Correction { record, data }])
                .await
        }
        _ => Err(EngineError::Invalid {
            field: "op",
            message: "choose an action".into(),
        }),
    }
}

/// The field of an action form an engine field names (`extend_reason`), and its words.
fn act_error(words: &Words, op: &str, field: &str) -> (String, String) {
    let key = match (op, field) {
        ("extend", "reason") | ("withdraw", "reason") => "ui_rq_err_reason",
        ("deny", "reason") => "ui_rq_err_denial_reason",
        ("deny", "explanation") => "ui_rq_err_explanation",
        ("decide", "grounds") => "ui_rq_err_grounds",
        ("decide", "uphold") => "ui_console_err_choose",
        ("correct", "record") => "ui_rq_err_record",
        ("correct", "data" | "corrections") => "ui_rq_err_json",
        ("confirm", "how") => "ui_rq_err_how",
        _ => "ui_form_invalid_heading",
    };
    let field = match (op, field) {
        ("correct", "corrections") => "data",
        (_, f) => f,
    };
    (format!("{op}_{field}"), words.get(key))
}

/// The records a correction can name: the subject's current ones.
async fn correctable(
    state: &AppState,
    words: &Words,
    lang: &str,
    principal: &Principal,
    v: &RequestView,
) -> Result<Vec<Labelled>, ApiError> {
    let Some(subject) = v.subject else {
        return Ok(Vec::new());
    };
    let texts = PolicyText {
        policy: state.engine.policy(),
        lang,
    };
    let records = match state
        .engine
        .subject_records(principal, subject, "rights-requests", None, None, 100)
        .await
    {
        Ok(r) => r,
        Err(EngineError::NotFound { .. }) => Vec::new(),
        Err(e) => return Err(e.into()),
    };
    let records = records
        .iter()
        .filter(|r| r.data.is_some())
        .map(|r| Labelled {
            code: r.id.to_string(),
            label: format!(
                "{} · {} · {}",
                texts.product(&r.product),
                r.occurred_at.strftime("%Y-%m-%d"),
                r.categories
                    .iter()
                    .map(|c| texts.category(c))
                    .collect::<Vec<_>>()
                    .join(words.sep())
            ),
        });
    Ok(std::iter::once(Labelled {
        code: String::new(),
        label: words.get("ui_rq_choose_record"),
    })
    .chain(records)
    .collect())
}

/// One request of a signed-in area, with what was done and the actions its state allows.
async fn detail_view<D: Desk>(
    state: &AppState,
    d: &D,
    id: Uuid,
    (status, banner): (StatusCode, Option<Banner>),
    (form, errors): (&ActForm, Errors),
) -> Result<Response, ApiError> {
    let who = d.who();
    let lang = who.lang();
    let words = Words::of(state, lang);
    let view = match who {
        Who::Customer(c) => state.engine.tenant_request(&c.principal, id).await,
        Who::Staff(s) => state.engine.staff_request(&s.account, id).await,
    };
    let view = match (view, who) {
        (Ok(v), _) => v,
        (Err(EngineError::NotFound { .. }), _) => return not_found(state, lang, D::AREA),
        (Err(e), Who::Staff(s)) => return staff_denied(state, s, e),
        (Err(e), Who::Customer(_)) => return Err(e.into()),
    };
    // Staff also see the requests it was passed on as, and every customer's name.
    let (viewer, children, names) = match who {
        Who::Customer(c) => (
            Viewer::Customer(c.principal.tenant),
            Vec::new(),
            HashMap::new(),
        ),
        Who::Staff(_) => {
            let children = if view.tenant.is_none() {
                state.engine.child_requests(id).await?
            } else {
                Vec::new()
            };
            (Viewer::Staff, children, tenant_names(state).await?)
        }
    };
    let mut actors = Actors::default();
    let all: Vec<&RequestView> = std::iter::once(&view).chain(&children).collect();
    actors.learn(state, &words, viewer, &all).await?;
    let with_name = |v: &RequestView| {
        let mut i = item(state, &words, lang, (viewer, &actors), v);
        i.tenant_name = v.tenant.and_then(|t| names.get(&t).cloned());
        i
    };
    let r = with_name(&view);
    let children: Vec<Item> = children.iter().map(with_name).collect();
    let acts = actions(&view, D::AREA == Area::Console);
    let records = match who {
        Who::Customer(c) if acts.correct => {
            correctable(state, &words, lang, &c.principal, &view).await?
        }
        _ => Vec::new(),
    };
    let letter = if rstate::is_closed(&view.state) {
        state.engine.confirmation(view.id).await?
    } else {
        None
    };
    let base = D::BASE;
    let own = match who {
        Who::Customer(_) => context! { export => safe(format!("{base}/{id}/export")) },
        Who::Staff(_) => context! {
            children => children,
            console => true,
            show_customer => true,
            base => safe(base.into()),
            letter_link => view.detail.letter.as_ref().map(|_| safe(format!("{base}/{id}/letter"))),
        },
    };
    let mut page = who.page(
        D::DETAIL,
        format!("{} · {}", words.get("ui_rq_request"), r.right_label),
    );
    page.status = status;
    page.banner = banner;
    render(
        state,
        lang,
        page,
        context! {
            r => r,
            actions => acts,
            action => safe(format!("{base}/{id}")),
            back => safe(base.into()),
            reasons => denial_choices(&words),
            records => records,
            confirmation => letter,
            form => form,
            errors => errors,
            ..own
        },
    )
}

/// `GET` of one request: `/account/requests/{id}`, `/console/requests/{id}`.
async fn detail<D: Desk>(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<LangQuery>,
) -> Result<Response, ApiError> {
    let lang = page_lang(&state, q.lang.as_deref(), &headers);
    let d = match D::enter(&state, &headers, lang).await? {
        Ok(d) => d,
        Err(answer) => return Ok(answer),
    };
    let lang = d.who().lang();
    let Some(id) = parse_id(&id) else {
        return not_found(&state, lang, D::AREA);
    };
    let words = Words::of(&state, lang);
    let banner = done_banner(&words, q.done.as_deref());
    detail_view(
        &state,
        &d,
        id,
        (StatusCode::OK, banner),
        (&ActForm::default(), Errors::new()),
    )
    .await
}

/// An action form on one request: to the request with a notice, or its page again with the
/// refusal.
async fn detail_post<D: Desk>(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Result<Form<ActForm>, FormRejection>,
) -> Result<Response, ApiError> {
    let form = match read_form(&state, &headers, D::AREA, form)? {
        Ok(form) => form,
        Err(answer) => return Ok(answer),
    };
    let lang = page_lang(&state, form.lang.as_deref(), &headers);
    let d = match enter_form::<D>(&state, &headers, lang, form.csrf.as_deref()).await? {
        Ok(d) => d,
        Err(answer) => return Ok(answer),
    };
    let lang = d.who().lang();
    let Some(id) = parse_id(&id) else {
        return not_found(&state, lang, D::AREA);
    };
    let words = Words::of(&state, lang);
    let op = form.op.clone().unwrap_or_default();
    match act(&state, &d.who().handler(), id, &form).await {
        Ok(_) => Ok(see_other(&localized(
            &state,
            &format!("{}/{id}?done={op}", D::BASE),
            lang,
            &headers,
        ))),
        Err(EngineError::NotFound { kind: "request" }) => not_found(&state, lang, D::AREA),
        Err(e) => {
            let r = refusal(&words, e)?;
            let mut errors = Errors::new();
            if let Some((field, _)) = &r.field {
                let (name, text) = act_error(&words, &op, field);
                errors.insert(name, text);
            }
            detail_view(&state, &d, id, (r.status, Some(r.banner)), (&form, errors)).await
        }
    }
}

async fn customer_export(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<LangQuery>,
) -> Result<Response, ApiError> {
    let lang = page_lang(&state, q.lang.as_deref(), &headers);
    let c = match customer(&state, &headers, lang).await? {
        Ok(c) => c,
        Err(answer) => return Ok(answer),
    };
    let Some(id) = parse_id(&id) else {
        return not_found(&state, &c.lang, Area::Customer);
    };
    match state.engine.tenant_export(&c.principal, id).await {
        Ok(source) => Ok(crate::rights::export_response(&state, source)),
        Err(EngineError::NotFound { .. }) => export_gone(&state, &c.lang, Area::Customer),
        Err(e) => Err(e.into()),
    }
}

/// The page for an export that is not (or no longer) there.
fn export_gone(state: &AppState, lang: &str, area: Area) -> Result<Response, ApiError> {
    let words = Words::of(state, lang);
    message(
        state,
        lang,
        area,
        StatusCode::NOT_FOUND,
        (
            "ui_rq_export_gone_heading",
            Banner::alert(words.get("ui_rq_export_gone"), None),
        ),
    )
}

// ---- A customer's end users' data ----

/// The end-user lookup form, and the request buttons under its result.
#[derive(Debug, Default, Deserialize, Serialize)]
struct DataForm {
    #[serde(skip_serializing)]
    csrf: Option<String>,
    lang: Option<String>,
    /// `find` or `file`.
    op: Option<String>,
    kind: Option<String>,
    value: Option<String>,
    subject: Option<String>,
    right: Option<String>,
}

#[derive(Debug, Serialize)]
struct RecordItem {
    id: String,
    product: String,
    categories: String,
    purpose: String,
    occurred_at: Time,
    retention: String,
    expires_at: Option<Time>,
    version: i32,
    /// The data as indented JSON, absent when erased.
    data: Option<String>,
}

/// The end user found, and their records.
#[derive(Debug, Serialize)]
struct Found {
    subject: String,
    restricted: bool,
    records: Vec<RecordItem>,
    /// Open requests about them.
    open: Vec<Item>,
}

async fn data_view(
    state: &AppState,
    c: &Customer,
    (status, banner): (StatusCode, Option<Banner>),
    (form, errors, found): (&DataForm, Errors, Option<Found>),
) -> Result<Response, ApiError> {
    let words = Words::of(state, &c.lang);
    let mut page = c.page(
        "requests_data.html",
        "data",
        words.get("ui_rq_data_heading"),
    );
    page.intro = Some(words.get("ui_rq_data_intro"));
    page.status = status;
    page.banner = banner;
    render(
        state,
        &c.lang,
        page,
        context! {
            kinds => kind_choices(&words),
            form => context! {
                kind => form.kind.clone().unwrap_or_else(|| "phone".into()),
                value => form.value.clone().unwrap_or_default(),
            },
            errors => errors,
            found => found,
        },
    )
}

async fn data_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<LangQuery>,
) -> Result<Response, ApiError> {
    let lang = page_lang(&state, q.lang.as_deref(), &headers);
    let c = match customer(&state, &headers, lang).await? {
        Ok(c) => c,
        Err(answer) => return Ok(answer),
    };
    data_view(
        &state,
        &c,
        (StatusCode::OK, None),
        (&DataForm::default(), Errors::new(), None),
    )
    .await
}

/// The end user `form` names and their records, or the error to show on the form.
async fn find_end_user(
    state: &AppState,
    words: &Words,
    c: &Customer,
    form: &DataForm,
) -> Result<Result<Found, (StatusCode, Errors)>, ApiError> {
    let kind = form.kind.as_deref().unwrap_or_default().trim();
    let value = form.value.as_deref().unwrap_or_default().trim();
    let subject = match state.engine.find_subject(&c.principal, kind, value).await {
        Ok(s) => s,
        Err(EngineError::NotFound { .. }) => {
            let errors = Errors::from([("value".to_string(), words.get("ui_rq_data_none"))]);
            return Ok(Err((StatusCode::NOT_FOUND, errors)));
        }
        Err(EngineError::Invalid { message, .. } | EngineError::InvalidField { message, .. }) => {
            let errors = Errors::from([(
                "value".to_string(),
                format!("{} {message}", words.get("ui_rq_err_identifier")),
            )]);
            return Ok(Err((StatusCode::UNPROCESSABLE_ENTITY, errors)));
        }
        Err(e) => return Err(e.into()),
    };
    Ok(Ok(found(state, words, c, subject).await?))
}

async fn found(
    state: &AppState,
    words: &Words,
    c: &Customer,
    subject: SubjectId,
) -> Result<Found, ApiError> {
    let texts = PolicyText {
        policy: state.engine.policy(),
        lang: &c.lang,
    };
    let restricted = state
        .engine
        .store()
        .subject(c.principal.tenant, subject)
        .await
        .map_err(EngineError::from)?
        .is_some_and(|s| s.restricted_at.is_some());
    let records = state
        .engine
        .subject_records(&c.principal, subject, "rights-requests", None, None, 100)
        .await?
        .into_iter()
        .map(|r| RecordItem {
            id: r.id.to_string(),
            product: texts.product(&r.product),
            categories: r
                .categories
                .iter()
                .map(|c| texts.category(c))
                .collect::<Vec<_>>()
                .join(words.sep()),
            purpose: texts
                .text(&format!("purpose-{}", r.purpose))
                .unwrap_or_else(|| r.purpose.clone()),
            occurred_at: time(r.occurred_at),
            retention: r.retention_rule.clone(),
            expires_at: r.expires_at.map(time),
            version: r.version,
            data: r
                .data
                .as_ref()
                .map(|d| serde_json::to_string_pretty(d).unwrap_or_default()),
        })
        .collect();
    let open: Vec<RequestView> = state
        .engine
        .tenant_requests(&c.principal, true, LIST_LIMIT)
        .await?
        .into_iter()
        .filter(|r| r.subject == Some(subject))
        .collect();
    let open = items(
        state,
        words,
        &c.lang,
        Viewer::Customer(c.principal.tenant),
        &open,
    )
    .await?;
    Ok(Found {
        subject: subject.to_string(),
        restricted,
        records,
        open,
    })
}

async fn data_post(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<DataForm>, FormRejection>,
) -> Result<Response, ApiError> {
    let form = match read_form(&state, &headers, Area::Customer, form)? {
        Ok(form) => form,
        Err(answer) => return Ok(answer),
    };
    let lang = page_lang(&state, form.lang.as_deref(), &headers);
    let c = match enter_form::<Customer>(&state, &headers, lang, form.csrf.as_deref()).await? {
        Ok(c) => c,
        Err(answer) => return Ok(answer),
    };
    let words = Words::of(&state, &c.lang);
    if form.op.as_deref() == Some("file") {
        let subject = form
            .subject
            .as_deref()
            .and_then(|s| s.parse::<SubjectId>().ok());
        let mut identifiers = BTreeMap::new();
        if let (Some(kind), Some(value)) =
            (given(form.kind.as_deref()), given(form.value.as_deref()))
        {
            identifiers.insert(kind.to_string(), value.to_string());
        }
        let right = form.right.clone().unwrap_or_default();
        let allowed = ["access", "erasure", "restriction"];
        let result = match subject {
            Some(subject) if allowed.contains(&right.as_str()) => {
                state
                    .engine
                    .file_request(
                        &c.principal,
                        Channel::Dashboard,
                        NewRequest {
                            right,
                            locale: Some(c.lang.clone()),
                            identifiers,
                            subject: Some(subject),
                            ..NewRequest::default()
                        },
                    )
                    .await
            }
            Some(_) => Err(EngineError::Invalid {
                field: "right",
                message: "choose access, erasure or restriction".into(),
            }),
            None => Err(EngineError::NotFound { kind: "subject" }),
        };
        return match result {
            Ok(view) => Ok(see_other(&localized(
                &state,
                &format!("/account/requests/{}?done=filed", view.id),
                &c.lang,
                &headers,
            ))),
            Err(e) => {
                let r = refusal(&words, e)?;
                let found = match subject {
                    Some(s) => Some(found(&state, &words, &c, s).await?),
                    None => None,
                };
                data_view(
                    &state,
                    &c,
                    (r.status, Some(r.banner)),
                    (&form, Errors::new(), found),
                )
                .await
            }
        };
    }
    match find_end_user(&state, &words, &c, &form).await? {
        Ok(found) => {
            data_view(
                &state,
                &c,
                (StatusCode::OK, None),
                (&form, Errors::new(), Some(found)),
            )
            .await
        }
        Err((status, errors)) => data_view(&state, &c, (status, None), (&form, errors, None)).await,
    }
}

// ---- The privacy center ----

pub(crate) fn public_page(template: &'static str, heading: String) -> Page {
    Page::new(template, Area::Public, "", heading)
}

async fn public_form_view(
    state: &AppState,
    lang: &str,
    (status, banner): (StatusCode, Option<Banner>),
    (form, errors): (&NewForm, Errors),
) -> Result<Response, ApiError> {
    let words = Words::of(state, lang);
    let mut page = public_page("privacy_center_form.html", words.get("ui_pc_heading"));
    page.intro = Some(words.get("ui_pc_intro"));
    page.status = status;
    page.banner = banner;
    render(
        state,
        lang,
        page,
        context! {
            rights => right_choices(state, &words),
            regimes => regime_choices(&words),
            form => context! {
                right => form.right.clone().unwrap_or_else(|| "access".into()),
                regime => form.regime.clone().unwrap_or_else(|| "gdpr".into()),
                email => form.email.clone().unwrap_or_default(),
                phone => form.phone.clone().unwrap_or_default(),
                message => form.message.clone().unwrap_or_default(),
            },
            errors => errors,
        },
    )
}

async fn public_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<LangQuery>,
) -> Result<Response, ApiError> {
    let lang = page_lang(&state, q.lang.as_deref(), &headers);
    public_form_view(
        &state,
        &lang,
        (StatusCode::OK, None),
        (&NewForm::default(), Errors::new()),
    )
    .await
}

/// The words for the engine's refusal of a privacy-center code or submission.
fn code_message(words: &Words, message: &str) -> String {
    if let Some(rest) = message.strip_prefix("wrong code; ")
        && let Some(n) = rest.strip_suffix(" tries left")
    {
        let n: i64 = n.trim().parse().unwrap_or(0);
        return format!(
            "{} {}",
            words.get("ui_pc_code_wrong"),
            words.count(n, "ui_pc_try_left", "ui_pc_tries_left")
        );
    }
    let key = if message.contains("last try") {
        "ui_pc_code_last"
    } else if message.contains("used already") {
        "ui_pc_code_used"
    } else if message.contains("expired") {
        "ui_pc_code_expired"
    } else if message.contains("too many wrong tries") {
        "ui_pc_code_too_many"
    } else if message.contains("not valid for this request") {
        "ui_pc_code_unknown"
    } else {
        return message.to_string();
    };
    words.get(key)
}

/// The privacy center's own words for a limit the engine applied.
fn limited_message(words: &Words, message: &str) -> String {
    if message.contains("codes in the last hour") {
        words.get("ui_pc_limited")
    } else {
        message.to_string()
    }
}

/// Counts a privacy-center form against its client address's budget: `Some(seconds to wait)`
/// when the address posted more than it may in an hour.
fn over_budget(state: &AppState, peer: Option<std::net::SocketAddr>) -> Option<u64> {
    peer.and_then(|p| {
        state
            .reports
            .admit_to(ClientBudget::PrivacyCenter, p.ip())
            .err()
    })
}

/// `response`, telling the client when to try again.
fn retry_after(mut response: Response, seconds: u64) -> Response {
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    response
}

/// The request form again over a limit: why (`lead`), the entries kept, and when to try
/// again (`wait`, in seconds).
async fn form_limited(
    state: &AppState,
    lang: &str,
    form: &NewForm,
    (lead, wait): (String, u64),
) -> Result<Response, ApiError> {
    let banner = Banner::alert(lead, None);
    let page = public_form_view(
        state,
        lang,
        (StatusCode::TOO_MANY_REQUESTS, Some(banner)),
        (form, Errors::new()),
    )
    .await?;
    Ok(retry_after(page, wait))
}

/// The code form again over a limit, as [`form_limited`].
fn verify_limited(
    state: &AppState,
    lang: &str,
    id: Uuid,
    (code_id, entered): (&str, &str),
    (lead, wait): (String, u64),
) -> Result<Response, ApiError> {
    let banner = Banner::alert(lead, None);
    let page = public_verify_view(
        state,
        lang,
        id,
        (StatusCode::TOO_MANY_REQUESTS, Some(banner)),
        (code_id, entered, None),
    )?;
    Ok(retry_after(page, wait))
}

async fn public_submit(
    State(state): State<AppState>,
    Peer(peer): Peer,
    headers: HeaderMap,
    form: Result<Form<NewForm>, FormRejection>,
) -> Result<Response, ApiError> {
    let form = match read_form(&state, &headers, Area::Public, form)? {
        Ok(form) => form,
        Err(answer) => return Ok(answer),
    };
    let lang = page_lang(&state, form.lang.as_deref(), &headers);
    if !same_site(&headers) {
        return refused(&state, &lang, Area::Public);
    }
    let words = Words::of(&state, &lang);
    if let Some(wait) = over_budget(&state, peer) {
        let lead = words.get("ui_pc_too_many");
        return form_limited(&state, &lang, &form, (lead, wait)).await;
    }
    let mut identifiers = BTreeMap::new();
    let phone = given(form.phone.as_deref());
    if let Some(phone) = phone {
        match PhoneE164::parse(phone, None) {
            Ok(p) => {
                identifiers.insert("phone".to_string(), p.as_str().to_string());
            }
            Err(_) => {
                let errors = Errors::from([("phone".to_string(), words.get("ui_pc_err_phone"))]);
                return public_form_view(
                    &state,
                    &lang,
                    (
                        StatusCode::UNPROCESSABLE_ENTITY,
                        Some(Banner::alert(words.get("ui_form_invalid_heading"), None)),
                    ),
                    (&form, errors),
                )
                .await;
            }
        }
    }
    let new = NewRequest {
        right: form.right.clone().unwrap_or_default(),
        regime: given(form.regime.as_deref()).map(str::to_string),
        locale: Some(lang.clone()),
        requester: Requester {
            email: Some(form.email.clone().unwrap_or_default()),
            phone: phone.map(str::to_string),
            ..Requester::default()
        },
        identifiers,
        message: given(form.message.as_deref()).map(str::to_string),
        ..NewRequest::default()
    };
    match state.engine.submit_public(new).await {
        Ok(sub) => Ok(see_other(&localized(
            &state,
            &format!(
                "/privacy-center/requests/{}/verify?code={}",
                sub.request, sub.code
            ),
            &lang,
            &headers,
        ))),
        Err(EngineError::Limited {
            message,
            retry_after: wait,
        }) => {
            let lead = limited_message(&words, &message);
            form_limited(&state, &lang, &form, (lead, wait)).await
        }
        Err(e) => {
            let (r, errors) = new_request_refusal(&words, e)?;
            // The person's form is in their language: the engine's words are not shown.
            let banner = Banner::alert(words.get("ui_form_invalid_heading"), None);
            public_form_view(&state, &lang, (r.status, Some(banner)), (&form, errors)).await
        }
    }
}

#[derive(Debug, Deserialize)]
struct VerifyQuery {
    lang: Option<String>,
    code: Option<String>,
    sent: Option<String>,
}

/// The code form as sent.
#[derive(Debug, Default, Deserialize)]
struct VerifyForm {
    lang: Option<String>,
    code_id: Option<String>,
    code: Option<String>,
}

fn public_verify_view(
    state: &AppState,
    lang: &str,
    id: Uuid,
    (status, banner): (StatusCode, Option<Banner>),
    (code_id, entered, error): (&str, &str, Option<String>),
) -> Result<Response, ApiError> {
    let words = Words::of(state, lang);
    let mut page = public_page(
        "privacy_center_verify.html",
        words.get("ui_pc_verify_heading"),
    );
    page.intro = Some(words.get("ui_pc_verify_intro"));
    page.status = status;
    page.banner = banner;
    page.keep = format!("code={}&", code_id);
    render(
        state,
        lang,
        page,
        context! {
            id => id.to_string(),
            code_id => code_id,
            entered => entered,
            error => error,
            minutes => custodian_engine::rights_public::CODE_MINUTES,
            tries => custodian_engine::rights_public::CODE_TRIES,
        },
    )
}

async fn public_verify_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<VerifyQuery>,
) -> Result<Response, ApiError> {
    let lang = page_lang(&state, q.lang.as_deref(), &headers);
    let (Some(id), Some(code)) = (
        parse_id(&id),
        q.code.as_deref().and_then(|c| c.parse::<Uuid>().ok()),
    ) else {
        return not_found(&state, &lang, Area::Public);
    };
    let words = Words::of(&state, &lang);
    let banner = q
        .sent
        .is_some()
        .then(|| Banner::notice(words.get("ui_pc_resent")));
    public_verify_view(
        &state,
        &lang,
        id,
        (StatusCode::OK, banner),
        (&code.to_string(), "", None),
    )
}

/// A code form's post: the form, its language and the request's id, or the page that
/// answers it (unreadable, from another site, no such request).
fn code_post(
    state: &AppState,
    headers: &HeaderMap,
    id: &str,
    form: Result<Form<VerifyForm>, FormRejection>,
) -> Result<Result<(VerifyForm, String, Uuid), Response>, ApiError> {
    let form = match read_form(state, headers, Area::Public, form)? {
        Ok(form) => form,
        Err(answer) => return Ok(Err(answer)),
    };
    let lang = page_lang(state, form.lang.as_deref(), headers);
    if !same_site(headers) {
        return Ok(Err(refused(state, &lang, Area::Public)?));
    }
    let Some(id) = parse_id(id) else {
        return Ok(Err(not_found(state, &lang, Area::Public)?));
    };
    Ok(Ok((form, lang, id)))
}

async fn public_verify(
    State(state): State<AppState>,
    Peer(peer): Peer,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Result<Form<VerifyForm>, FormRejection>,
) -> Result<Response, ApiError> {
    let (form, lang, id) = match code_post(&state, &headers, &id, form)? {
        Ok(read) => read,
        Err(answer) => return Ok(answer),
    };
    let code_id = form.code_id.as_deref().unwrap_or_default().trim();
    let entered = form.code.as_deref().unwrap_or_default();
    let words = Words::of(&state, &lang);
    if let Some(wait) = over_budget(&state, peer) {
        let lead = words.get("ui_pc_too_many");
        return verify_limited(&state, &lang, id, (code_id, entered.trim()), (lead, wait));
    }
    let result = match code_id.parse::<Uuid>() {
        Ok(code) => state.engine.verify_public(id, code, entered).await,
        Err(_) => Err(EngineError::Invalid {
            field: "code",
            message: "this code is not valid for this request; ask for a new one".into(),
        }),
    };
    match result {
        Ok(view) => Ok(see_other(&localized(
            &state,
            &format!(
                "/privacy-center/requests/{}?token={}",
                view.id,
                state.engine.request_token(view.id)
            ),
            &lang,
            &headers,
        ))),
        Err(EngineError::Invalid {
            field: "code",
            message,
        }) => public_verify_view(
            &state,
            &lang,
            id,
            (StatusCode::UNPROCESSABLE_ENTITY, None),
            (
                code_id,
                entered.trim(),
                Some(code_message(&words, &message)),
            ),
        ),
        Err(EngineError::NotFound { .. }) => not_found(&state, &lang, Area::Public),
        Err(e) => Err(e.into()),
    }
}

async fn public_resend(
    State(state): State<AppState>,
    Peer(peer): Peer,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Result<Form<VerifyForm>, FormRejection>,
) -> Result<Response, ApiError> {
    let (form, lang, id) = match code_post(&state, &headers, &id, form)? {
        Ok(read) => read,
        Err(answer) => return Ok(answer),
    };
    let words = Words::of(&state, &lang);
    let code_id = form.code_id.as_deref().unwrap_or_default();
    if let Some(wait) = over_budget(&state, peer) {
        let lead = words.get("ui_pc_too_many");
        return verify_limited(&state, &lang, id, (code_id, ""), (lead, wait));
    }
    match state.engine.resend_code(id).await {
        Ok(sub) => Ok(see_other(&localized(
            &state,
            &format!(
                "/privacy-center/requests/{}/verify?code={}&sent=1",
                sub.request, sub.code
            ),
            &lang,
            &headers,
        ))),
        Err(EngineError::Limited {
            message,
            retry_after: wait,
        }) => {
            let lead = limited_message(&words, &message);
            verify_limited(&state, &lang, id, (code_id, ""), (lead, wait))
        }
        Err(EngineError::NotFound { .. }) => message(
            &state,
            &lang,
            Area::Public,
            StatusCode::NOT_FOUND,
            (
                "ui_pc_no_code_heading",
                Banner::alert(words.get("ui_pc_no_code"), None),
            ),
        ),
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
struct TokenQuery {
    lang: Option<String>,
    token: Option<String>,
}

/// A customer a request was passed on to, and how far it got there.
#[derive(Debug, Serialize)]
struct Passed {
    name: String,
    state_label: String,
    open: bool,
    due: Time,
}

/// A link that does not work: the same page whether or not the request exists.
fn link_broken(state: &AppState, lang: &str) -> Result<Response, ApiError> {
    let words = Words::of(state, lang);
    message(
        state,
        lang,
        Area::Public,
        StatusCode::NOT_FOUND,
        (
            "ui_link_invalid_heading",
            Banner::alert(words.get("ui_pc_link_invalid"), None),
        ),
    )
}

async fn public_status(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<TokenQuery>,
) -> Result<Response, ApiError> {
    let lang = page_lang(&state, q.lang.as_deref(), &headers);
    let token = q.token.unwrap_or_default();
    let Some(id) = parse_id(&id) else {
        return link_broken(&state, &lang);
    };
    let view = match state.engine.public_request(id, &token).await {
        Ok(v) => v,
        Err(EngineError::NotFound { .. }) => return link_broken(&state, &lang),
        Err(e) => return Err(e.into()),
    };
    let words = Words::of(&state, &lang);
    let r = item(
        &state,
        &words,
        &lang,
        (Viewer::Public, &Actors::default()),
        &view,
    );
    let mut passed = Vec::new();
    for child in state.engine.child_requests(id).await? {
        if child.channel != Channel::Routed.as_str() {
            continue;
        }
        let Some(tenant) = child.tenant else { continue };
        let name = match state.engine.tenant(tenant).await {
            Ok(t) => t.name,
            Err(EngineError::NotFound { .. }) => continue,
            Err(e) => return Err(e.into()),
        };
        passed.push(Passed {
            name,
            state_label: words.code("ui_rq_state_", &child.state),
            open: !rstate::is_closed(&child.state),
            due: day(day_of(child.due_at)),
        });
    }
    if passed.is_empty() {
        // Routed before the children could be read back: the names the answer keeps.
        passed = r
            .answer
            .routed_to
            .iter()
            .map(|n| Passed {
                name: n.clone(),
                state_label: words.get("ui_rq_state_received"),
                open: true,
                due: r.due.clone(),
            })
            .collect();
    }
    let authority = state
        .engine
        .policy()
        .current()
        .and_then(|v| v.organisation.as_ref())
        .and_then(|o| o.lead_authority.clone())
        .unwrap_or_else(|| "Autoriteit Persoonsgegevens".into());
    let mut page = public_page(
        "privacy_center_status.html",
        format!("{} · {}", words.get("ui_pc_status_heading"), r.right_label),
    );
    page.keep = format!("token={token}&");
    render(
        &state,
        &lang,
        page,
        context! {
            r => r,
            public => true,
            passed => passed,
            authority => authority,
            token => token,
            export => safe(format!("/privacy-center/requests/{id}/export?token={}", state.engine.request_token(id))),
        },
    )
}

async fn public_export(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<TokenQuery>,
) -> Result<Response, ApiError> {
    let lang = page_lang(&state, q.lang.as_deref(), &headers);
    let Some(id) = parse_id(&id) else {
        return link_broken(&state, &lang);
    };
    match state
        .engine
        .public_export(id, q.token.as_deref().unwrap_or_default())
        .await
    {
        Ok(source) => Ok(crate::rights::export_response(&state, source)),
        Err(EngineError::NotFound { .. }) => export_gone(&state, &lang, Area::Public),
        Err(e) => Err(e.into()),
    }
}

// ---- The staff console ----

#[derive(Debug, Deserialize)]
struct ConsoleQuery {
    lang: Option<String>,
    done: Option<String>,
    /// `platform` (the default) or `all`.
    scope: Option<String>,
}

/// Tenants' names by id, for pages that list everyone's requests.
async fn tenant_names(state: &AppState) -> Result<HashMap<TenantId, String>, ApiError> {
    Ok(state
        .engine
        .tenants()
        .await?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect())
}

async fn console_list(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<ConsoleQuery>,
) -> Result<Response, ApiError> {
    let lang = page_lang(&state, q.lang.as_deref(), &headers);
    let s = match staff(&state, &headers, lang).await? {
        Ok(s) => s,
        Err(answer) => return Ok(answer),
    };
    let words = Words::of(&state, &s.lang);
    let all = q.scope.as_deref() == Some("all");
    let scope = if all {
        RequestScope::All
    } else {
        RequestScope::Platform
    };
    let open = match state
        .engine
        .staff_requests(
            &s.account,
            RightsFilter {
                scope,
                open_only: true,
                by_due: true,
                limit: LIST_LIMIT,
                ..RightsFilter::default()
            },
        )
        .await
    {
        Ok(v) => v,
        Err(e) => return staff_denied(&state, &s, e),
    };
    let recent = recently_closed(
        state
            .engine
            .staff_requests(
                &s.account,
                RightsFilter {
                    scope,
                    limit: 50,
                    ..RightsFilter::default()
                },
            )
            .await?,
    );
    let by_due = state.engine.open_by_due(scope).await?;
    let names = tenant_names(&state).await?;
    let name = |mut i: Item| {
        i.tenant_name = i
            .tenant
            .as_deref()
            .and_then(|t| t.parse::<TenantId>().ok())
            .and_then(|t| names.get(&t).cloned());
        i
    };
    let open: Vec<Item> = items(&state, &words, &s.lang, Viewer::Staff, &open)
        .await?
        .into_iter()
        .map(name)
        .collect();
    let recent: Vec<Item> = items(&state, &words, &s.lang, Viewer::Staff, &recent)
        .await?
        .into_iter()
        .map(name)
        .collect();
    let overdue = open.iter().filter(|i| i.overdue()).count();
    let verifying = open
        .iter()
        .filter(|i| i.state == rstate::VERIFYING || i.state == rstate::RECEIVED)
        .count();
    let mut page = s.page("console_requests.html", words.get("ui_rq_console_heading"));
    page.intro = Some(words.get("ui_rq_console_intro"));
    page.banner = done_banner(&words, q.done.as_deref());
    if all {
        page.keep = "scope=all&".into();
    }
    render(
        &state,
        &s.lang,
        page,
        context! {
            all => all,
            open => open,
            recent => recent,
            overdue => overdue,
            verifying => verifying,
            chart => chart(&words, &by_due, day_of(state.engine.now())),
            base => safe("/console/requests".into()),
            console => true,
            show_customer => all,
        },
    )
}

/// The staff's entry form as sent.
#[derive(Debug, Default, Serialize)]
struct EntryForm {
    #[serde(skip_serializing)]
    csrf: Option<String>,
    lang: Option<String>,
    channel: Option<String>,
    received_at: Option<String>,
    right: Option<String>,
    regime: Option<String>,
    locale: Option<String>,
    email: Option<String>,
    name: Option<String>,
    phone: Option<String>,
    address: Option<String>,
    message: Option<String>,
    identity_checked: Option<String>,
    #[serde(skip_serializing)]
    letter: Option<Attachment>,
    /// The letter sent was larger than accepted (and was dropped).
    #[serde(skip_serializing)]
    letter_too_large: bool,
}

fn console_new_view(
    state: &AppState,
    s: &Staff,
    (status, banner): (StatusCode, Option<Banner>),
    (form, errors): (&EntryForm, Errors),
) -> Result<Response, ApiError> {
    let words = Words::of(state, &s.lang);
    let mut page = s.page("console_requests_new.html", words.get("ui_rq_new_heading"));
    page.intro = Some(words.get("ui_rq_new_intro"));
    page.status = status;
    page.banner = banner;
    render(
        state,
        &s.lang,
        page,
        context! {
            rights => right_choices(state, &words),
            regimes => regime_choices(&words),
            languages => LETTER_LANGUAGES.to_vec(),
            today => day_of(state.engine.now()).to_string(),
            max_mb => rights::MAX_LETTER / (1024 * 1024),
            form => form,
            errors => errors,
        },
    )
}

async fn console_new_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<LangQuery>,
) -> Result<Response, ApiError> {
    let lang = page_lang(&state, q.lang.as_deref(), &headers);
    let s = match staff(&state, &headers, lang).await? {
        Ok(s) => s,
        Err(answer) => return Ok(answer),
    };
    let form = EntryForm {
        channel: Some("post".into()),
        right: Some("access".into()),
        regime: Some("gdpr".into()),
        locale: Some(s.lang.clone()),
        ..EntryForm::default()
    };
    console_new_view(&state, &s, (StatusCode::OK, None), (&form, Errors::new()))
}

/// Reads the entry form: its fields, and the scanned letter as an attachment (dropped, and
/// said so, when larger than accepted). `Err` carries the status of a form that cannot be
/// read.
async fn read_entry(mut multipart: Multipart) -> Result<EntryForm, StatusCode> {
    let mut form = EntryForm::default();
    while let Some(field) = multipart.next_field().await.map_err(|e| e.status())? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "letter" {
            let file_name = field.file_name().unwrap_or_default().to_string();
            let content_type = field.content_type().unwrap_or_default().to_string();
            let bytes = field.bytes().await.map_err(|e| e.status())?;
            if bytes.is_empty() && file_name.is_empty() {
                continue;
            }
            if bytes.len() > rights::MAX_LETTER {
                form.letter_too_large = true;
                continue;
            }
            form.letter = Some(Attachment {
                name: safe_file_name(&file_name),
                content_type,
                data: base64::engine::general_purpose::STANDARD.encode(&bytes),
            });
            continue;
        }
        let value = field.text().await.map_err(|e| e.status())?;
        let slot = match name.as_str() {
            "csrf" => &mut form.csrf,
            "lang" => &mut form.lang,
            "channel" => &mut form.channel,
            "received_at" => &mut form.received_at,
            "right" => &mut form.right,
            "regime" => &mut form.regime,
            "locale" => &mut form.locale,
            "email" => &mut form.email,
            "name" => &mut form.name,
            "phone" => &mut form.phone,
            "address" => &mut form.address,
            "message" => &mut form.message,
            "identity_checked" => &mut form.identity_checked,
            _ => continue,
        };
        *slot = Some(value);
    }
    Ok(form)
}

/// A file name safe in a header: letters, digits, `.`, `-` and `_`, at most 100 characters.
fn safe_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = base
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .take(100)
        .collect();
    if clean.trim_matches(['.', '_']).is_empty() {
        "letter".into()
    } else {
        clean
    }
}

async fn console_new(
    State(state): State<AppState>,
    headers: HeaderMap,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, ApiError> {
    let fallback = page_lang(&state, None, &headers);
    if !same_site(&headers) {
        return refused(&state, &fallback, Area::Console);
    }
    // The session first: nobody else's upload is read.
    let s = match staff(&state, &headers, fallback.clone()).await? {
        Ok(s) => s,
        Err(answer) => return Ok(answer),
    };
    let multipart = match multipart {
        Ok(m) => m,
        Err(e) => return unreadable(&state, &fallback, Area::Console, e.status()),
    };
    let form = match read_entry(multipart).await {
        Ok(form) => form,
        Err(status) => return unreadable(&state, &fallback, Area::Console, status),
    };
    let lang = page_lang(&state, form.lang.as_deref(), &headers);
    let s = Staff { lang, ..s };
    if !staff_form_ok(&state, &headers, &s, form.csrf.as_deref()) {
        return refused(&state, &s.lang, Area::Console);
    }
    let words = Words::of(&state, &s.lang);
    let mut errors = Errors::new();
    let channel = match form.channel.as_deref() {
        Some("mail") => Channel::Mail,
        Some("post") => Channel::Post,
        _ => {
            errors.insert("channel".into(), words.get("ui_console_err_choose"));
            Channel::Post
        }
    };
    let received_at = match given(form.received_at.as_deref()) {
        None => None,
        Some(text) => match text.parse::<Date>().ok().and_then(|d| {
            d.to_zoned(jiff::tz::TimeZone::UTC)
                .ok()
                .map(|z| z.timestamp())
        }) {
            Some(t) => Some(t),
            None => {
                errors.insert("received_at".into(), words.get("ui_rq_err_received"));
                None
            }
        },
    };
    if form.letter_too_large {
        errors.insert("letter".into(), words.get("ui_rq_err_letter_size"));
    } else if let Some(letter) = &form.letter
        && !LETTER_TYPES.contains(&letter.content_type.as_str())
    {
        errors.insert("letter".into(), words.get("ui_rq_err_letter_type"));
    }
    let phone = given(form.phone.as_deref());
    let mut identifiers = BTreeMap::new();
    if let Some(email) = given(form.email.as_deref()) {
        identifiers.insert("email".to_string(), email.to_string());
    }
    if let Some(p) = phone {
        match PhoneE164::parse(p, None) {
            Ok(p) => {
                identifiers.insert("phone".to_string(), p.as_str().to_string());
            }
            Err(_) => {
                errors.insert("phone".into(), words.get("ui_pc_err_phone"));
            }
        }
    }
    if identifiers.is_empty() && !errors.contains_key("phone") {
        errors.insert("email".into(), words.get("ui_rq_err_contact"));
    }
    if !errors.is_empty() {
        return console_new_view(
            &state,
            &s,
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(Banner::alert(words.get("ui_form_invalid_heading"), None)),
            ),
            (&form, errors),
        );
    }
    let new = NewRequest {
        right: form.right.clone().unwrap_or_default(),
        regime: given(form.regime.as_deref()).map(str::to_string),
        locale: given(form.locale.as_deref()).map(str::to_string),
        requester: Requester {
            email: given(form.email.as_deref()).map(str::to_string),
            name: given(form.name.as_deref()).map(str::to_string),
            phone: phone.map(str::to_string),
            address: given(form.address.as_deref()).map(str::to_string),
        },
        identifiers,
        message: given(form.message.as_deref()).map(str::to_string),
        letter: form.letter.clone(),
        received_at,
        ..NewRequest::default()
    };
    let checked = given(form.identity_checked.as_deref()).is_some();
    match state
        .engine
        .staff_file_request(&s.account, channel, new, checked)
        .await
    {
        Ok(view) => Ok(see_other(&localized(
            &state,
            &format!("/console/requests/{}?done=filed", view.id),
            &s.lang,
            &headers,
        ))),
        Err(e) => {
            let (r, errors) = new_request_refusal(&words, e)?;
            console_new_view(&state, &s, (r.status, Some(r.banner)), (&form, errors))
        }
    }
}

/// The scanned letter of a request, as a download: its own media type when it is one a
/// letter may have, never shown inline, never sniffed.
async fn console_letter(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<LangQuery>,
) -> Result<Response, ApiError> {
    let lang = page_lang(&state, q.lang.as_deref(), &headers);
    let s = match staff(&state, &headers, lang).await? {
        Ok(s) => s,
        Err(answer) => return Ok(answer),
    };
    let Some(id) = parse_id(&id) else {
        return not_found(&state, &s.lang, Area::Console);
    };
    let view = match state.engine.staff_request(&s.account, id).await {
        Ok(v) => v,
        Err(EngineError::NotFound { .. }) => return not_found(&state, &s.lang, Area::Console),
        Err(e) => return staff_denied(&state, &s, e),
    };
    let Some(letter) = view.detail.letter else {
        return not_found(&state, &s.lang, Area::Console);
    };
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(&letter.data)
        .map_err(|_| {
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "the stored letter is damaged",
            )
        })?;
    let content_type = if LETTER_TYPES.contains(&letter.content_type.as_str()) {
        letter.content_type.as_str()
    } else {
        "application/octet-stream"
    };
    let mut response = bytes.into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(content_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"{}\"",
        safe_file_name(&letter.name)
    )) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe_in_a_header() {
        assert_eq!(safe_file_name("scan 1.pdf"), "scan_1.pdf");
        assert_eq!(safe_file_name("../../etc/passwd"), "passwd");
        assert_eq!(safe_file_name("C:\\scans\\brief.png"), "brief.png");
        assert_eq!(safe_file_name("\"a\";b.pdf"), "_a__b.pdf");
        assert_eq!(safe_file_name(""), "letter");
        assert_eq!(safe_file_name(".."), "letter");
    }

    #[test]
    fn known_history_notes_are_translated_and_others_kept() {
        let words = Words(
            BTreeMap::from([
                ("ui_rq_note_received".to_string(), "Ontvangen".to_string()),
                ("ui_channel_post".to_string(), "per post".to_string()),
                (
                    "ui_rq_note_extended".to_string(),
                    "Termijn verlengd tot".to_string(),
                ),
            ]),
            false,
        );
        assert_eq!(
            note_text(&words, "received through post"),
            (Some("Ontvangen: per post".into()), None)
        );
        assert_eq!(
            note_text(&words, "deadline extended to 2026-04-30: many requests"),
            (
                Some("Termijn verlengd tot: 2026-04-30".into()),
                Some("many requests".into())
            )
        );
        assert_eq!(
            note_text(&words, "something else"),
            (None, Some("something else".into()))
        );
        assert_eq!(note_text(&words, ""), (None, None));
    }

    #[test]
    fn the_chart_has_a_bar_per_due_date_and_one_for_later() {
        let words = Words(BTreeMap::new(), false);
        let today: Date = "2026-03-10".parse().unwrap();
        let mut by_due = BTreeMap::new();
        for i in 0..15i64 {
            let d = today.checked_add(jiff::Span::new().days(i - 2)).unwrap();
            by_due.insert(d, (i % 3 + 1) as u64);
        }
        let c = chart(&words, &by_due, today);
        let bars = c.get_attr("bars").unwrap();
        assert_eq!(bars.len(), Some(CHART_ROWS + 1));
        let first = bars.get_item(&Value::from(0)).unwrap();
        assert_eq!(first.get_attr("color").unwrap().as_str(), Some(OVERDUE));
        let total: u64 = by_due.values().sum();
        assert_eq!(c.get_attr("total").unwrap(), Value::from(total));
    }
}
