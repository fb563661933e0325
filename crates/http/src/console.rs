//! The staff console: the pages staff work in, in a browser. Each is a second face of the
//! calls the staff API makes (`staff.rs`): the engine checks the role × action matrix, four
//! eyes and every rule; these pages only gather input, call it, and show what it answers.
//!
//! Like the account pages, they are plain HTML forms that work without JavaScript under the
//! strict content security policy, in the UI's languages. The session is the API's cookie;
//! every form carries the session's CSRF token in a hidden field and is refused when the
//! browser says it comes from another site. Nothing here is cached. Not signed in: to the
//! sign-in page; signed in as a customer: 403.

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use axum::Router;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use custodian_core::TenantId;
use custodian_engine::EngineError;
use custodian_engine::access::{self, Access, Action, GRANT_KIND};
use custodian_engine::cases::{CaseNote, CaseView};
use custodian_engine::disclosure;
use custodian_store::{
    AccountKind, AccountRow, ApprovalRow, AuditFilter, CaseFilter, GrantRow, Outcome,
};
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use minijinja::{Environment, Value, context};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::account_pages::{given, localized, no_store, page_lang, same_site, see_other};
use crate::accounts::session_token;
use crate::pages::locale_tags;
use crate::{ApiError, AppState};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/console", get(overview))
        .route("/console/approvals", get(approvals_page).post(decide))
        .route("/console/grants", get(grants_page).post(grants_post))
        .route("/console/cases", get(cases_page))
        .route("/console/cases/{id}", get(case_page).post(case_post))
        .route("/console/audit", get(audit_page))
        .route("/console/disclosures", get(disclosures_page))
        .layer(axum::middleware::map_response(no_store))
}

/// The templates of the console, on the site's layout.
static TEMPLATES: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    for (name, source) in [
        ("base.html", include_str!("../templates/base.html")),
        ("console.html", include_str!("../templates/console.html")),
        (
            "area_head.html",
            include_str!("../templates/area_head.html"),
        ),
        ("banner.html", include_str!("../templates/banner.html")),
        (
            "console_overview.html",
            include_str!("../templates/console_overview.html"),
        ),
        (
            "console_approvals.html",
            include_str!("../templates/console_approvals.html"),
        ),
        (
            "console_grants.html",
            include_str!("../templates/console_grants.html"),
        ),
        (
            "console_cases.html",
            include_str!("../templates/console_cases.html"),
        ),
        (
            "console_case.html",
            include_str!("../templates/console_case.html"),
        ),
        (
            "console_audit.html",
            include_str!("../templates/console_audit.html"),
        ),
        (
            "console_disclosures.html",
            include_str!("../templates/console_disclosures.html"),
        ),
        (
            "console_message.html",
            include_str!("../templates/console_message.html"),
        ),
    ] {
        if let Err(e) = env.add_template(name, source) {
            tracing::error!(template = name, error = %e, "template does not compile");
        }
    }
    env
});

/// The kinds of case, as the engine names them.
const CASE_KINDS: [&str; 6] = [
    "credential-compromise",
    "children",
    "dispute",
    "data-request",
    "general",
    disclosure::KIND,
];

/// The kinds of identifier a Children report can name.
const IDENTIFIER_KINDS: [&str; 4] = ["phone", "email", "ip", "external"];

/// Rows of the audit log per page.
const AUDIT_PAGE: u32 = 50;

// ---- Language (as the account pages choose it) ----

/// A query-string value, percent-encoded.
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `name=value&` pairs of the given ones, for links that keep a page's filters.
fn query_of(pairs: &[(&str, Option<&str>)]) -> String {
    pairs
        .iter()
        .filter_map(|(k, v)| v.map(|v| format!("{k}={}&", encode(v))))
        .collect()
}

// ---- Words ----

/// The UI's words in one language, and whether it writes full-width punctuation (the pages of
/// data subject requests use these too).
pub(crate) struct Words(pub(crate) BTreeMap<String, String>, pub(crate) bool);

impl Words {
    pub(crate) fn of(state: &AppState, lang: &str) -> Self {
        Self(state.pages.words(lang), lang.starts_with("zh"))
    }

    /// `label: value`, with the language's colon.
    pub(crate) fn pair(&self, label: &str, value: &str) -> String {
        if self.1 {
            format!("{label}：{value}")
        } else {
            format!("{label}: {value}")
        }
    }

    /// How the language joins the items of a list.
    pub(crate) fn sep(&self) -> &'static str {
        if self.1 { "、" } else { ", " }
    }

    pub(crate) fn get(&self, key: &str) -> String {
        self.0.get(key).cloned().unwrap_or_default()
    }

    /// The words for a code (`read-personal-data` under `ui_action_`), or the code itself.
    pub(crate) fn code(&self, prefix: &str, code: &str) -> String {
        self.0
            .get(&format!("{prefix}{}", code.replace('-', "_")))
            .cloned()
            .unwrap_or_else(|| code.to_string())
    }

    /// `n` and the words that follow it (`3 days left`), singular for one.
    pub(crate) fn count(&self, n: i64, one: &str, many: &str) -> String {
        format!("{n} {}", self.get(if n == 1 { one } else { many }))
    }
}

/// A time for people, and its RFC 3339 form for `<time>`.
#[derive(Debug, Serialize)]
struct Time {
    iso: String,
    text: String,
    past: bool,
}

fn time(t: Timestamp, now: Timestamp) -> Time {
    Time {
        iso: t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
        text: t.strftime("%Y-%m-%d %H:%M UTC").to_string(),
        past: t <= now,
    }
}

// ---- Requests ----

/// The signed-in member of staff a page is for.
pub(crate) struct Staff {
    pub(crate) token: String,
    pub(crate) account: AccountRow,
    pub(crate) email: String,
    pub(crate) lang: String,
}

impl Staff {
    /// How the person's roles together allow `action`: the most any of them does.
    fn level(&self, action: Action) -> Access {
        access::roles_of(&self.account)
            .into_iter()
            .map(|r| access::access(r, action))
            .max_by_key(|a| match a {
                Access::Allowed => 2,
                Access::WithGrant => 1,
                Access::Denied => 0,
            })
            .unwrap_or(Access::Denied)
    }

    fn may(&self, action: Action) -> bool {
        self.level(action) == Access::Allowed
    }
}

/// The session's account and token, if the cookie names a valid session.
pub(crate) async fn session(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<(String, AccountRow)>, ApiError> {
    let Some(token) = session_token(headers) else {
        return Ok(None);
    };
    match state.engine.session(&token).await {
        Ok(principal) => Ok(Some((token, principal.account))),
        Err(EngineError::Unauthenticated(_) | EngineError::Locked) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// The member of staff of the request's session, or the answer for anyone else: to the
/// sign-in page when not signed in, `not_staff` (in the page's language) for a customer's
/// account.
pub(crate) async fn enter_as(
    state: &AppState,
    headers: &HeaderMap,
    lang: String,
    not_staff: impl FnOnce(&str) -> Result<Response, ApiError>,
) -> Result<Result<Staff, Response>, ApiError> {
    let Some((token, account)) = session(state, headers).await? else {
        return Ok(Err(see_other(&localized(
            state,
            "/account/sign-in",
            &lang,
            headers,
        ))));
    };
    if account.kind != AccountKind::Staff {
        return Ok(Err(not_staff(&lang)?));
    }
    let email = state.engine.account_email(&account)?;
    Ok(Ok(Staff {
        token,
        account,
        email,
        lang,
    }))
}

/// The member of staff of the request's session, or the answer for anyone else: to the
/// sign-in page when not signed in, 403 for a customer's account.
async fn enter(
    state: &AppState,
    headers: &HeaderMap,
    lang: String,
) -> Result<Result<Staff, Response>, ApiError> {
    enter_as(state, headers, lang, |lang| {
        let words = Words::of(state, lang);
        message(
            state,
            None,
            lang,
            StatusCode::FORBIDDEN,
            Banner::alert(words.get("ui_console_staff_only"), None),
            "ui_console_staff_only_heading",
        )
    })
    .await
}

/// As [`enter`], for a form: from this site, with the session's CSRF token.
async fn enter_form(
    state: &AppState,
    headers: &HeaderMap,
    lang: String,
    csrf: Option<&str>,
) -> Result<Result<Staff, Response>, ApiError> {
    if !same_site(headers) {
        return Ok(Err(refused(state, &lang)?));
    }
    let staff = match enter(state, headers, lang).await? {
        Ok(staff) => staff,
        Err(answer) => return Ok(Err(answer)),
    };
    if !state
        .engine
        .csrf_matches(&staff.token, csrf.unwrap_or_default())
    {
        return Ok(Err(refused(state, &staff.lang)?));
    }
    Ok(Ok(staff))
}

// ---- Rendering ----

/// The message at the top of a page (of the console, and of the pages of data subject
/// requests).
#[derive(Debug, Serialize)]
pub(crate) struct Banner {
    /// `alert` or `notice`.
    kind: &'static str,
    /// In the page's language.
    lead: String,
    /// The engine's own words (English), when it said why.
    message: Option<String>,
}

impl Banner {
    pub(crate) fn alert(lead: String, message: Option<String>) -> Self {
        Self {
            kind: "alert",
            lead,
            message,
        }
    }

    pub(crate) fn notice(lead: String) -> Self {
        Self {
            kind: "notice",
            lead,
            message: None,
        }
    }
}

/// Why the engine refused a change or a read, as a page shows it.
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
        EngineError::Locked => (
            StatusCode::FORBIDDEN,
            "ui_console_not_permitted",
            EngineError::Locked.to_string(),
            None,
        ),
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

/// What every console page is besides its own values.
struct Page<'a> {
    status: StatusCode,
    template: &'static str,
    /// The nav entry it is (`overview`, `approvals`, …).
    nav: &'static str,
    heading: String,
    intro: Option<String>,
    /// Query pairs the language links keep (`kind=children&`).
    keep: String,
    banner: Option<Banner>,
    staff: Option<&'a Staff>,
}

impl<'a> Page<'a> {
    fn new(staff: &'a Staff, template: &'static str, nav: &'static str, heading: String) -> Self {
        Self {
            status: StatusCode::OK,
            template,
            nav,
            heading,
            intro: None,
            keep: String::new(),
            banner: None,
            staff: Some(staff),
        }
    }
}

/// The console's navigation: its pages and the requests' (`rights_pages.rs`).
pub(crate) const CONSOLE_NAV: [(&str, &str, &str); 7] = [
    ("overview", "/console", "ui_console_nav_overview"),
    ("requests", "/console/requests", "ui_console_nav_requests"),
    (
        "approvals",
        "/console/approvals",
        "ui_console_nav_approvals",
    ),
    ("grants", "/console/grants", "ui_console_nav_grants"),
    ("cases", "/console/cases", "ui_console_nav_cases"),
    ("audit", "/console/audit", "ui_console_nav_audit"),
    (
        "disclosures",
        "/console/disclosures",
        "ui_console_nav_disclosures",
    ),
];

/// A navigation's entries (id, path, words' key) as a page's template lists them.
pub(crate) fn nav_items(words: &Words, items: &[(&str, &str, &str)], lang: &str) -> Vec<Value> {
    items
        .iter()
        .map(|(id, path, key)| {
            // Known paths and a known language: nothing to escape (minijinja would write `/`
            // as `&#x2f;`).
            let href = Value::from_safe_string(format!("{path}?lang={lang}"));
            context! { id => id, href => href, label => words.get(key) }
        })
        .collect()
}

fn render(
    state: &AppState,
    lang: &str,
    page: Page<'_>,
    extra: Value,
) -> Result<Response, ApiError> {
    let words = Words::of(state, lang);
    let nav = nav_items(&words, &CONSOLE_NAV, lang);
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
        me => page.staff.map(|s| s.email.clone()),
        csrf => page.staff.map(|s| state.engine.csrf_token(&s.token)),
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

/// A page that only says something.
fn message(
    state: &AppState,
    staff: Option<&Staff>,
    lang: &str,
    status: StatusCode,
    banner: Banner,
    heading: &str,
) -> Result<Response, ApiError> {
    let words = Words::of(state, lang);
    render(
        state,
        lang,
        Page {
            status,
            template: "console_message.html",
            nav: "",
            heading: words.get(heading),
            intro: None,
            keep: String::new(),
            banner: Some(banner),
            staff,
        },
        context! {},
    )
}

/// The page for a form that came from elsewhere or carries a wrong token.
fn refused(state: &AppState, lang: &str) -> Result<Response, ApiError> {
    let words = Words::of(state, lang);
    message(
        state,
        None,
        lang,
        StatusCode::FORBIDDEN,
        Banner::alert(words.get("ui_refused"), None),
        "ui_refused_heading",
    )
}

/// A form that could not be read at all.
fn unreadable(state: &AppState, lang: &str, status: StatusCode) -> Result<Response, ApiError> {
    let words = Words::of(state, lang);
    message(
        state,
        None,
        lang,
        if status.is_client_error() {
            status
        } else {
            StatusCode::BAD_REQUEST
        },
        Banner::alert(words.get("ui_form_unreadable"), None),
        "ui_form_invalid_heading",
    )
}

/// A page the engine would not show: its refusal, in the console.
fn denied(
    state: &AppState,
    staff: &Staff,
    nav: &'static str,
    e: EngineError,
) -> Result<Response, ApiError> {
    let words = Words::of(state, &staff.lang);
    let r = refusal(&words, e)?;
    render(
        state,
        &staff.lang,
        Page {
            status: r.status,
            template: "console_message.html",
            nav,
            heading: words.get("ui_console_not_shown"),
            intro: None,
            keep: String::new(),
            banner: Some(r.banner),
            staff: Some(staff),
        },
        context! {},
    )
}

/// E-mail addresses of accounts, looked up once each.
#[derive(Default)]
struct Addresses(HashMap<Uuid, String>);

impl Addresses {
    async fn of(&mut self, state: &AppState, id: Uuid) -> Result<String, ApiError> {
        if let Some(email) = self.0.get(&id) {
            return Ok(email.clone());
        }
        let account = state
            .engine
            .store()
            .account(id)
            .await
            .map_err(EngineError::from)?;
        let email = match account {
            Some(account) => state.engine.account_email(&account)?,
            None => id.to_string(),
        };
        self.0.insert(id, email.clone());
        Ok(email)
    }

    /// `account:<id>` as its address; anything else as it is.
    async fn actor(&mut self, state: &AppState, actor: &str) -> Result<String, ApiError> {
        match actor
            .strip_prefix("account:")
            .and_then(|id| id.parse::<Uuid>().ok())
        {
            Some(id) => self.of(state, id).await,
            None => Ok(actor.to_string()),
        }
    }
}

#[derive(Debug, Deserialize)]
struct LangQuery {
    lang: Option<String>,
    done: Option<String>,
}

/// The notice for `?done=` after a change succeeded.
fn done_banner(words: &Words, done: Option<&str>) -> Option<Banner> {
    let key = match done? {
        "approved" => "ui_console_done_approved",
        "rejected" => "ui_console_done_rejected",
        "requested" => "ui_console_done_requested",
        "ended" => "ui_console_done_ended",
        "note" => "ui_console_done_note",
        "closed" => "ui_console_done_closed",
        "lockdown" => "ui_console_done_lockdown",
        "erased" => "ui_console_done_erased",
        "review" => "ui_console_done_review",
        "notice" => "ui_console_done_notice",
        "release" => "ui_console_done_release",
        _ => return None,
    };
    Some(Banner::notice(words.get(key)))
}

// ---- Overview ----

#[derive(Debug, Serialize)]
struct MatrixRow {
    code: &'static str,
    label: String,
    /// `allowed`, `granted`, `with-grant` or `denied`.
    level: &'static str,
    level_label: String,
    until: Option<Time>,
    four_eyes: bool,
}

async fn overview(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<LangQuery>,
) -> Result<Response, ApiError> {
    let lang = page_lang(&state, q.lang.as_deref(), &headers);
    let staff = match enter(&state, &headers, lang).await? {
        Ok(staff) => staff,
        Err(answer) => return Ok(answer),
    };
    let who = &staff.account;
    let words = Words::of(&state, &staff.lang);
    let now = state.engine.now();
    let grants = match state.engine.grants(who, false).await {
        Ok(g) => g,
        Err(e) => return denied(&state, &staff, "overview", e),
    };
    let matrix: Vec<MatrixRow> = Action::ALL
        .into_iter()
        .map(|action| {
            let active = grants
                .iter()
                .find(|g| g.action == action.as_str() && g.active_at(now));
            let level = match (staff.level(action), active) {
                (Access::Allowed, _) => "allowed",
                (Access::WithGrant, Some(_)) => "granted",
                (Access::WithGrant, None) => "with-grant",
                (Access::Denied, _) => "denied",
            };
            MatrixRow {
                code: action.as_str(),
                label: words.code("ui_action_", action.as_str()),
                level,
                level_label: words.code("ui_access_", level),
                until: active.and_then(|g| g.expires_at).map(|t| time(t, now)),
                four_eyes: action.four_eyes(),
            }
        })
        .collect();
    let pending = state.engine.approvals(who, Some("pending")).await?;
    let mine = pending.iter().filter(|a| a.requested_by == who.id).count();
    let open_cases = if staff.may(Action::HandleCases) {
        let cases = state
            .engine
            .cases(
                who,
                &CaseFilter {
                    kind: None,
                    open_only: true,
                    limit: 1_000,
                },
            )
            .await?;
        Some((
            cases.len(),
            cases
                .iter()
                .filter(|c| c.due_at.is_some_and(|d| d <= now))
                .count(),
        ))
    } else {
        None
    };
    let roles: Vec<String> = access::roles_of(who)
        .into_iter()
        .map(|r| words.code("ui_role_", r.as_str()))
        .collect();
    let mut page = Page::new(
        &staff,
        "console_overview.html",
        "overview",
        words.get("ui_console_heading"),
    );
    page.intro = Some(words.get("ui_console_intro"));
    render(
        &state,
        &staff.lang,
        page,
        context! {
            roles => roles,
            sep => if staff.lang.starts_with("zh") { "、" } else { ", " },
            matrix => matrix,
            pending => pending.len(),
            pending_others => pending.len() - mine,
            open_cases => open_cases.map(|c| c.0),
            overdue_cases => open_cases.map(|c| c.1),
        },
    )
}

// ---- Approvals ----

#[derive(Debug, Serialize)]
struct ApprovalItem {
    id: String,
    kind_label: String,
    target: String,
    /// What a grant request gives, in words.
    what: Option<String>,
    tenant: Option<String>,
    reason: String,
    requester: String,
    mine: bool,
    requested_at: Time,
    expires_at: Time,
    state: String,
    state_label: String,
    decider: Option<String>,
    decided_at: Option<Time>,
    note: Option<String>,
}

async fn approval_item(
    state: &AppState,
    words: &Words,
    who: &AccountRow,
    addresses: &mut Addresses,
    a: &ApprovalRow,
) -> Result<ApprovalItem, ApiError> {
    let now = state.engine.now();
    let what = (a.kind == GRANT_KIND)
        .then(|| serde_json::from_str::<serde_json::Value>(&a.payload).ok())
        .flatten()
        .map(|p| {
            let action = p["action"].as_str().unwrap_or_default();
            let minutes = p["duration_s"].as_i64().unwrap_or_default() / 60;
            format!(
                "{} · {minutes} {}",
                words.code("ui_action_", action),
                words.get("ui_console_minutes_short")
            )
        });
    let decider = match a.decided_by {
        Some(id) => Some(addresses.of(state, id).await?),
        None => None,
    };
    Ok(ApprovalItem {
        id: a.id.to_string(),
        kind_label: words.code("ui_request_", &a.kind),
        target: a.target.clone(),
        what,
        tenant: a.tenant.map(|t| t.to_string()),
        reason: a.reason.clone(),
        requester: addresses.of(state, a.requested_by).await?,
        mine: a.requested_by == who.id,
        requested_at: time(a.requested_at, now),
        expires_at: time(a.expires_at, now),
        state: a.state.clone(),
        state_label: words.code("ui_state_", &a.state),
        decider,
        decided_at: a.decided_at.map(|t| time(t, now)),
        note: a.note.clone(),
    })
}

/// What the decision form shows again after a refusal.
#[derive(Debug, Default, Serialize)]
struct DecisionFailed {
    id: String,
    note: String,
    note_error: Option<String>,
}

async fn approvals_view(
    state: &AppState,
    staff: &Staff,
    status: StatusCode,
    banner: Option<Banner>,
    failed: Option<DecisionFailed>,
) -> Result<Response, ApiError> {
    let who = &staff.account;
    let words = Words::of(state, &staff.lang);
    let (pending, all) = match (
        state.engine.approvals(who, Some("pending")).await,
        state.engine.approvals(who, None).await,
    ) {
        (Ok(p), Ok(a)) => (p, a),
        (Err(e), _) | (_, Err(e)) => return denied(state, staff, "approvals", e),
    };
    let mut addresses = Addresses::default();
    let mut open = Vec::new();
    for a in &pending {
        open.push(approval_item(state, &words, who, &mut addresses, a).await?);
    }
    let mut decided = Vec::new();
    for a in all.iter().filter(|a| a.state != "pending").take(20) {
        decided.push(approval_item(state, &words, who, &mut addresses, a).await?);
    }
    let mut page = Page::new(
        staff,
        "console_approvals.html",
        "approvals",
        words.get("ui_console_approvals_heading"),
    );
    page.intro = Some(words.get("ui_console_approvals_intro"));
    page.status = status;
    page.banner = banner;
    render(
        state,
        &staff.lang,
        page,
        context! { pending => open, decided => decided, failed => failed },
    )
}

async fn approvals_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<LangQuery>,
) -> Result<Response, ApiError> {
    let lang = page_lang(&state, q.lang.as_deref(), &headers);
    let staff = match enter(&state, &headers, lang).await? {
        Ok(staff) => staff,
        Err(answer) => return Ok(answer),
    };
    let words = Words::of(&state, &staff.lang);
    let banner = done_banner(&words, q.done.as_deref());
    approvals_view(&state, &staff, StatusCode::OK, banner, None).await
}

/// A decision on a request, from the approvals page.
#[derive(Debug, Deserialize)]
struct DecisionForm {
    csrf: Option<String>,
    lang: Option<String>,
    id: Option<String>,
    decision: Option<String>,
    note: Option<String>,
}

async fn decide(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<DecisionForm>, FormRejection>,
) -> Result<Response, ApiError> {
    let form = match form {
        Ok(Form(form)) => form,
        Err(e) => return unreadable(&state, &page_lang(&state, None, &headers), e.status()),
    };
    let lang = page_lang(&state, form.lang.as_deref(), &headers);
    let staff = match enter_form(&state, &headers, lang, form.csrf.as_deref()).await? {
        Ok(staff) => staff,
        Err(answer) => return Ok(answer),
    };
    let words = Words::of(&state, &staff.lang);
    let id = form.id.as_deref().unwrap_or_default().trim();
    let note = form.note.as_deref().unwrap_or_default();
    let approve = match form.decision.as_deref() {
        Some("approve") => Some(true),
        Some("reject") => Some(false),
        _ => None,
    };
    let result = match (id.parse::<Uuid>(), approve) {
        (Ok(uuid), Some(approve)) => {
            state
                .engine
                .decide_approval(&staff.account, uuid, approve, Some(note))
                .await
        }
        (Err(_), _) => Err(EngineError::NotFound { kind: "approval" }),
        (Ok(_), None) => Err(EngineError::Invalid {
            field: "decision",
            message: "approve or reject".into(),
        }),
    };
    match result {
        Ok(done) => {
            let done = if done.state == "rejected" {
                "rejected"
            } else {
                "approved"
            };
            Ok(see_other(&localized(
                &state,
                &format!("/console/approvals?done={done}"),
                &staff.lang,
                &headers,
            )))
        }
        Err(e) => {
            let r = refusal(&words, e)?;
            let failed = DecisionFailed {
                id: id.to_string(),
                note: note.to_string(),
                note_error: r
                    .field
                    .as_ref()
                    .filter(|(f, _)| f == "note")
                    .map(|_| words.get("ui_console_err_decision_note")),
            };
            approvals_view(&state, &staff, r.status, Some(r.banner), Some(failed)).await
        }
    }
}

// ---- Grants ----

#[derive(Debug, Serialize)]
struct GrantItem {
    id: String,
    holder: String,
    action_label: String,
    tenant: Option<String>,
    reason: String,
    minutes: i64,
    requested_at: Time,
    /// `active`, `pending`, `rejected` or `ended`.
    status: &'static str,
    status_label: String,
    until: Option<Time>,
    can_end: bool,
}

/// The grant form as sent, and what is wrong with it.
#[derive(Debug, Default, Deserialize, Serialize)]
struct GrantForm {
    csrf: Option<String>,
    lang: Option<String>,
    /// `request` or `end`.
    op: Option<String>,
    id: Option<String>,
    all: Option<String>,
    action: Option<String>,
    tenant: Option<String>,
    reason: Option<String>,
    minutes: Option<String>,
}

#[derive(Debug, Deserialize)]
struct GrantsQuery {
    lang: Option<String>,
    done: Option<String>,
    all: Option<String>,
}

async fn grants_view(
    state: &AppState,
    staff: &Staff,
    all: bool,
    (status, banner): (StatusCode, Option<Banner>),
    (form, errors): (&GrantForm, BTreeMap<&'static str, String>),
) -> Result<Response, ApiError> {
    let who = &staff.account;
    let words = Words::of(state, &staff.lang);
    let grants = match state.engine.grants(who, all).await {
        Ok(g) => g,
        Err(e) => return denied(state, staff, "grants", e),
    };
    let approvals: HashMap<Uuid, ApprovalRow> = state
        .engine
        .approvals(who, None)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let mut addresses = Addresses::default();
    let mut items = Vec::new();
    for g in &grants {
        let approval_state = match approvals.get(&g.approval) {
            Some(a) => a.state.clone(),
            None => state.engine.approval(who, g.approval).await?.state,
        };
        items.push(grant_item(state, &words, who, &mut addresses, g, &approval_state).await?);
    }
    let mut page = Page::new(
        staff,
        "console_grants.html",
        "grants",
        words.get(if all {
            "ui_console_grants_all_heading"
        } else {
            "ui_console_grants_heading"
        }),
    );
    page.intro = Some(words.get("ui_console_grants_intro"));
    page.status = status;
    page.banner = banner;
    if all {
        page.keep = "all=1&".into();
    }
    let grantable: Vec<Value> = Action::GRANTABLE
        .iter()
        .map(|a| context! { code => a.as_str(), label => words.code("ui_action_", a.as_str()) })
        .collect();
    render(
        state,
        &staff.lang,
        page,
        context! {
            all => all,
            may_see_all => staff.may(Action::ApproveGrants),
            grants => items,
            grantable => grantable,
            form => context! {
                action => form.action.clone(),
                tenant => form.tenant.clone().unwrap_or_default(),
                reason => form.reason.clone().unwrap_or_default(),
                minutes => form.minutes.clone().unwrap_or_else(|| "60".into()),
            },
            errors => errors,
            max_minutes => access::MAX_GRANT.as_mins(),
        },
    )
}

async fn grant_item(
    state: &AppState,
    words: &Words,
    who: &AccountRow,
    addresses: &mut Addresses,
    g: &GrantRow,
    approval_state: &str,
) -> Result<GrantItem, ApiError> {
    let now = state.engine.now();
    let (status, until) = if g.active_at(now) {
        ("active", g.expires_at)
    } else if g.revoked_at.is_some() {
        ("ended", g.revoked_at)
    } else if g.expires_at.is_some() {
        ("ended", g.expires_at)
    } else {
        match approval_state {
            "pending" => ("pending", None),
            "rejected" => ("rejected", None),
            _ => ("ended", None),
        }
    };
    Ok(GrantItem {
        id: g.id.to_string(),
        holder: addresses.of(state, g.account).await?,
        action_label: words.code("ui_action_", &g.action),
        tenant: g.tenant.map(|t| t.to_string()),
        reason: g.reason.clone(),
        minutes: g.duration_s / 60,
        requested_at: time(g.requested_at, now),
        status,
        status_label: words.code("ui_grant_", status),
        until: until.map(|t| time(t, now)),
        can_end: matches!(status, "active" | "pending") && g.account == who.id,
    })
}

async fn grants_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<GrantsQuery>,
) -> Result<Response, ApiError> {
    let lang = page_lang(&state, q.lang.as_deref(), &headers);
    let staff = match enter(&state, &headers, lang).await? {
        Ok(staff) => staff,
        Err(answer) => return Ok(answer),
    };
    let words = Words::of(&state, &staff.lang);
    let all = matches!(q.all.as_deref(), Some("1" | "true"));
    let banner = done_banner(&words, q.done.as_deref());
    grants_view(
        &state,
        &staff,
        all,
        (StatusCode::OK, banner),
        (&GrantForm::default(), BTreeMap::new()),
    )
    .await
}

async fn grants_post(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<GrantForm>, FormRejection>,
) -> Result<Response, ApiError> {
    let form = match form {
        Ok(Form(form)) => form,
        Err(e) => return unreadable(&state, &page_lang(&state, None, &headers), e.status()),
    };
    let lang = page_lang(&state, form.lang.as_deref(), &headers);
    let staff = match enter_form(&state, &headers, lang, form.csrf.as_deref()).await? {
        Ok(staff) => staff,
        Err(answer) => return Ok(answer),
    };
    let words = Words::of(&state, &staff.lang);
    let all = matches!(form.all.as_deref(), Some("1" | "true"));
    let back = |done: &str| {
        let all = if all { "all=1&" } else { "" };
        see_other(&localized(
            &state,
            &format!("/console/grants?{all}done={done}"),
            &staff.lang,
            &headers,
        ))
    };
    if form.op.as_deref() == Some("end") {
        let result = match form.id.as_deref().and_then(|id| id.trim().parse().ok()) {
            Some(id) => state.engine.revoke_grant(&staff.account, id).await,
            None => Err(EngineError::NotFound { kind: "grant" }),
        };
        return match result {
            Ok(_) => Ok(back("ended")),
            Err(e) => {
                let r = refusal(&words, e)?;
                grants_view(
                    &state,
                    &staff,
                    all,
                    (r.status, Some(r.banner)),
                    (&GrantForm::default(), BTreeMap::new()),
                )
                .await
            }
        };
    }
    // A request: the input read as the API reads it, then the engine decides.
    let invalid = |field: &'static str| EngineError::Invalid {
        field,
        message: String::new(),
    };
    let action = form.action.as_deref().unwrap_or_default().trim();
    let result = match (
        Action::parse(action),
        given(form.tenant.as_deref())
            .map(str::parse::<TenantId>)
            .transpose(),
        form.minutes
            .as_deref()
            .unwrap_or_default()
            .trim()
            .parse::<i64>(),
    ) {
        (None, _, _) => Err(invalid("action")),
        (_, Err(_), _) => Err(invalid("tenant")),
        (_, _, Err(_)) => Err(invalid("duration_minutes")),
        (Some(action), Ok(tenant), Ok(minutes)) => state
            .engine
            .request_grant(
                &staff.account,
                action,
                tenant,
                form.reason.as_deref().unwrap_or_default(),
                SignedDuration::from_mins(minutes.clamp(-1, 100_000)),
            )
            .await
            .map(|_| ()),
    };
    let e = match result {
        Ok(()) => return Ok(back("requested")),
        Err(e) => e,
    };
    let not_found_tenant = matches!(e, EngineError::NotFound { kind: "tenant" });
    let mut r = refusal(&words, e)?;
    let mut errors = BTreeMap::new();
    let field = if not_found_tenant {
        r.status = StatusCode::UNPROCESSABLE_ENTITY;
        Some(("tenant", "ui_console_err_no_tenant"))
    } else {
        r.field.as_ref().map(|(f, _)| match f.as_str() {
            "tenant" => ("tenant", "ui_console_err_tenant"),
            "reason" => ("reason", "ui_console_err_reason"),
            "duration_minutes" => ("minutes", "ui_console_err_minutes"),
            _ => ("action", "ui_console_err_action"),
        })
    };
    if let Some((name, key)) = field {
        errors.insert(name, words.get(key));
        r.banner = Banner::alert(words.get("ui_form_invalid_heading"), None);
    }
    grants_view(
        &state,
        &staff,
        all,
        (r.status, Some(r.banner)),
        (&form, errors),
    )
    .await
}

// ---- Cases ----

#[derive(Debug, Serialize)]
struct CaseItem {
    id: String,
    kind: String,
    kind_label: String,
    priority: String,
    priority_label: String,
    state_label: String,
    subject: String,
    from: Option<String>,
    opened_at: Time,
    due_at: Option<Time>,
}

fn case_item(words: &Words, c: &CaseView, now: Timestamp) -> CaseItem {
    CaseItem {
        id: c.id.to_string(),
        kind: c.kind.clone(),
        kind_label: words.code("ui_case_", &c.kind),
        priority: c.priority.clone(),
        priority_label: words.code("ui_priority_", &c.priority),
        state_label: words.code("ui_state_", &c.state),
        subject: c.detail.subject.clone(),
        from: c.detail.from.clone(),
        opened_at: time(c.opened_at, now),
        due_at: c.due_at.map(|t| time(t, now)),
    }
}

#[derive(Debug, Deserialize)]
struct CasesQuery {
    lang: Option<String>,
    kind: Option<String>,
}

async fn cases_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<CasesQuery>,
) -> Result<Response, ApiError> {
    let lang = page_lang(&state, q.lang.as_deref(), &headers);
    let staff = match enter(&state, &headers, lang).await? {
        Ok(staff) => staff,
        Err(answer) => return Ok(answer),
    };
    let words = Words::of(&state, &staff.lang);
    let kind = given(q.kind.as_deref()).filter(|k| CASE_KINDS.contains(k));
    let cases = match state
        .engine
        .cases(
            &staff.account,
            &CaseFilter {
                kind: kind.map(str::to_string),
                open_only: true,
                limit: 500,
            },
        )
        .await
    {
        Ok(c) => c,
        Err(e) => return denied(&state, &staff, "cases", e),
    };
    let now = state.engine.now();
    let items: Vec<CaseItem> = cases.iter().map(|c| case_item(&words, c, now)).collect();
    let kinds: Vec<Value> = CASE_KINDS
        .iter()
        .map(|k| context! { code => k, label => words.code("ui_case_", k) })
        .collect();
    let mut page = Page::new(
        &staff,
        "console_cases.html",
        "cases",
        words.get("ui_console_cases_heading"),
    );
    page.intro = Some(words.get("ui_console_cases_intro"));
    page.keep = query_of(&[("kind", kind)]);
    render(
        &state,
        &staff.lang,
        page,
        context! { cases => items, kinds => kinds, kind => kind },
    )
}

#[derive(Debug, Serialize)]
struct NoteItem {
    at: Time,
    by: String,
    text: String,
}

async fn notes(
    state: &AppState,
    addresses: &mut Addresses,
    list: &[CaseNote],
) -> Result<Vec<NoteItem>, ApiError> {
    let now = state.engine.now();
    let mut out = Vec::new();
    for n in list {
        out.push(NoteItem {
            at: time(n.at, now),
            by: addresses.actor(state, &n.by).await?,
            text: n.text.clone(),
        });
    }
    Ok(out)
}

/// The forms of a case page as sent, and what is wrong with them.
#[derive(Debug, Default, Deserialize, Serialize)]
struct CaseForm {
    csrf: Option<String>,
    lang: Option<String>,
    /// `note`, `lockdown`, `erase`, `review`, `notice` or `release`.
    op: Option<String>,
    text: Option<String>,
    close: Option<String>,
    email: Option<String>,
    tenant: Option<String>,
    kind: Option<String>,
    value: Option<String>,
    admissible: Option<String>,
    note: Option<String>,
    push_back: Option<String>,
    notify: Option<String>,
    legal_ground: Option<String>,
    until: Option<String>,
    reason: Option<String>,
}

async fn case_view(
    state: &AppState,
    staff: &Staff,
    id: Uuid,
    (status, banner): (StatusCode, Option<Banner>),
    (form, errors): (&CaseForm, BTreeMap<String, String>),
) -> Result<Response, ApiError> {
    let words = Words::of(state, &staff.lang);
    let case = match state.engine.case(&staff.account, id).await {
        Ok(c) => c,
        Err(e) => return denied(state, staff, "cases", e),
    };
    let now = state.engine.now();
    let mut addresses = Addresses::default();
    let account = match case.account {
        Some(a) => Some(addresses.of(state, a).await?),
        None => None,
    };
    let actions = notes(state, &mut addresses, &case.detail.actions).await?;
    let case_notes = notes(state, &mut addresses, &case.detail.notes).await?;
    let open = case.closed_at.is_none();
    let d = case.detail.disclosure.as_ref();
    let disclosure = match d {
        Some(d) => {
            let review = match &d.review {
                Some(r) => Some(NoteItem {
                    at: time(r.at, now),
                    by: addresses.actor(state, &r.by).await?,
                    text: r.text.clone(),
                }),
                None => None,
            };
            let notice = match &d.notice {
                Some(n) => Some(context! {
                    notify => n.notify,
                    legal_ground => n.legal_ground.clone(),
                    until => n.until.map(|u| u.to_string()),
                    decided_by => addresses.actor(state, &n.decided_by).await?,
                    decided_at => time(n.decided_at, now),
                    notified_at => n.notified_at.map(|t| time(t, now)),
                }),
                None => None,
            };
            Some(context! {
                authority => d.authority.clone(),
                authority_type => words.code("ui_authority_", &d.authority_type),
                country => d.country.clone(),
                instrument => words.code("ui_instrument_", &d.instrument),
                reference => d.reference.clone(),
                categories => d.categories.clone(),
                period_from => d.period_from.map(|p| p.to_string()),
                period_to => d.period_to.map(|p| p.to_string()),
                tests => d.tests.iter().map(|t| context! {
                    label => words.code("ui_test_", &t.test),
                    passed => t.passed,
                    why => t.why.clone(),
                }).collect::<Vec<_>>(),
                review => review,
                push_back => d.push_back.clone(),
                notice => notice,
                release_approval => d.release_approval.map(|a| a.to_string()),
                released => d.released.map(|(at, n)| context! { at => time(at, now), count => n }),
                can_review => case.state == "received",
                can_notice => matches!(case.state.as_str(), "admissible" | "awaiting-approval")
                    && d.notice.as_ref().is_none_or(|n| n.notified_at.is_none()),
                can_release => case.state == "admissible" && d.notice.is_some()
                    && d.release_approval.is_none(),
            })
        }
        None => None,
    };
    let subject = if let Some(d) = d {
        format!(
            "{} · {}",
            d.authority,
            words.code("ui_instrument_", &d.instrument)
        )
    } else if case.detail.subject.trim().is_empty() {
        words.code("ui_case_", &case.kind)
    } else {
        case.detail.subject.clone()
    };
    let mut page = Page::new(staff, "console_case.html", "cases", subject);
    page.status = status;
    page.banner = banner;
    if case.kind == disclosure::KIND {
        page.nav = "disclosures";
    }
    let kinds: Vec<Value> = IDENTIFIER_KINDS
        .iter()
        .map(|k| context! { code => k, label => words.code("ui_identifier_", k) })
        .collect();
    render(
        state,
        &staff.lang,
        page,
        context! {
            case => context! {
                id => case.id.to_string(),
                kind => case.kind.clone(),
                kind_label => words.code("ui_case_", &case.kind),
                state_label => words.code("ui_state_", &case.state),
                priority => case.priority.clone(),
                priority_label => words.code("ui_priority_", &case.priority),
                tenant => case.tenant.map(|t| t.to_string()),
                account => account,
                source_label => words.code("ui_source_", &case.source),
                opened_at => time(case.opened_at, now),
                due_at => case.due_at.map(|t| time(t, now)),
                closed_at => case.closed_at.map(|t| time(t, now)),
                from => case.detail.from.clone(),
                from_name => case.detail.from_name.clone(),
                to => case.detail.to.clone(),
                text => case.detail.text.clone(),
                attachments => case.detail.attachments.clone(),
                open => open,
            },
            actions => actions,
            notes => case_notes,
            disclosure => disclosure,
            identifier_kinds => kinds,
            form => form,
            errors => errors,
        },
    )
}

async fn case_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<LangQuery>,
) -> Result<Response, ApiError> {
    let lang = page_lang(&state, q.lang.as_deref(), &headers);
    let staff = match enter(&state, &headers, lang).await? {
        Ok(staff) => staff,
        Err(answer) => return Ok(answer),
    };
    let Ok(id) = id.parse::<Uuid>() else {
        return denied(
            &state,
            &staff,
            "cases",
            EngineError::NotFound { kind: "case" },
        );
    };
    let words = Words::of(&state, &staff.lang);
    let banner = done_banner(&words, q.done.as_deref());
    case_view(
        &state,
        &staff,
        id,
        (StatusCode::OK, banner),
        (&CaseForm::default(), BTreeMap::new()),
    )
    .await
}

fn day_of(text: Option<&str>, field: &'static str) -> Result<Option<Date>, EngineError> {
    given(text)
        .map(|v| {
            v.parse::<Date>().map_err(|_| EngineError::Invalid {
                field,
                message: format!("`{v}` is not a day such as 2026-11-01"),
            })
        })
        .transpose()
}

async fn case_post(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Result<Form<CaseForm>, FormRejection>,
) -> Result<Response, ApiError> {
    let form = match form {
        Ok(Form(form)) => form,
        Err(e) => return unreadable(&state, &page_lang(&state, None, &headers), e.status()),
    };
    let lang = page_lang(&state, form.lang.as_deref(), &headers);
    let staff = match enter_form(&state, &headers, lang, form.csrf.as_deref()).await? {
        Ok(staff) => staff,
        Err(answer) => return Ok(answer),
    };
    let Ok(id) = id.parse::<Uuid>() else {
        return denied(
            &state,
            &staff,
            "cases",
            EngineError::NotFound { kind: "case" },
        );
    };
    let words = Words::of(&state, &staff.lang);
    let who = &staff.account;
    let engine = &state.engine;
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let op = form.op.clone().unwrap_or_default();
    let result: Result<&str, EngineError> = match op.as_str() {
        "note" => {
            let close = given(form.close.as_deref()).is_some();
            engine
                .note_case(who, id, &text(&form.text), close)
                .await
                .map(|_| if close { "closed" } else { "note" })
        }
        "lockdown" => engine
            .staff_lock_down(who, id, text(&form.email).trim())
            .await
            .map(|_| "lockdown"),
        "erase" => match given(form.tenant.as_deref()).map(str::parse::<TenantId>) {
            Some(Ok(tenant)) => engine
                .erase_child(
                    who,
                    id,
                    tenant,
                    text(&form.kind).trim(),
                    text(&form.value).trim(),
                )
                .await
                .map(|_| "erased"),
            _ => Err(EngineError::Invalid {
                field: "tenant",
                message: String::new(),
            }),
        },
        "review" => match form.admissible.as_deref() {
            Some(choice @ ("yes" | "no")) => engine
                .review_disclosure(
                    who,
                    id,
                    choice == "yes",
                    &text(&form.note),
                    given(form.push_back.as_deref()),
                )
                .await
                .map(|_| "review"),
            _ => Err(EngineError::Invalid {
                field: "admissible",
                message: String::new(),
            }),
        },
        "notice" => match (
            form.notify.as_deref(),
            day_of(form.until.as_deref(), "until"),
        ) {
            (_, Err(e)) => Err(e),
            (Some(choice @ ("now" | "defer")), Ok(until)) => engine
                .decide_disclosure_notice(
                    who,
                    id,
                    choice == "now",
                    given(form.legal_ground.as_deref()),
                    until,
                )
                .await
                .map(|_| "notice"),
            _ => Err(EngineError::Invalid {
                field: "notify",
                message: String::new(),
            }),
        },
        "release" => engine
            .request_disclosure_release(who, id, &text(&form.reason))
            .await
            .map(|_| "release"),
        _ => {
            return unreadable(&state, &staff.lang, StatusCode::BAD_REQUEST);
        }
    };
    let e = match result {
        Ok(done) => {
            return Ok(see_other(&localized(
                &state,
                &format!("/console/cases/{id}?done={done}"),
                &staff.lang,
                &headers,
            )));
        }
        Err(e) => e,
    };
    let mut r = refusal(&words, e)?;
    let mut errors = BTreeMap::new();
    if let Some((field, engine_words)) = r.field.take() {
        // The form field at fault, and the words for it; the engine's own when we have none.
        let (name, key) = match (op.as_str(), field.as_str()) {
            ("note", _) => ("text", Some("ui_console_err_note")),
            ("lockdown", _) => ("email", Some("ui_email_invalid")),
            ("erase", "tenant") => ("tenant", Some("ui_console_err_tenant")),
            ("erase", "kind") => ("kind", None),
            ("erase", _) => ("value", Some("ui_console_err_identifier")),
            ("review", "note") => ("note", Some("ui_console_err_review_note")),
            ("review", "push_back") => ("push_back", Some("ui_console_err_push_back")),
            ("review", _) => ("admissible", None),
            ("notice", "legal_ground") => ("legal_ground", Some("ui_console_err_legal_ground")),
            ("notice", "until") => ("until", Some("ui_console_err_until")),
            ("notice", _) => ("notify", Some("ui_console_err_choose")),
            (_, _) => ("reason", Some("ui_console_err_reason")),
        };
        let text = match key {
            Some(key) => words.get(key),
            None if engine_words.is_empty() => words.get("ui_console_err_choose"),
            None => engine_words,
        };
        errors.insert(format!("{op}_{name}"), text);
        r.banner = Banner::alert(words.get("ui_form_invalid_heading"), None);
    }
    case_view(
        &state,
        &staff,
        id,
        (r.status, Some(r.banner)),
        (&form, errors),
    )
    .await
}

// ---- Audit ----

#[derive(Debug, Default, Deserialize, Serialize)]
struct AuditQuery {
    lang: Option<String>,
    actor: Option<String>,
    action: Option<String>,
    tenant: Option<String>,
    since: Option<String>,
    until: Option<String>,
    outcome: Option<String>,
    after: Option<String>,
}

/// A day (its start, or with `end` the start of the next: the whole day) or an RFC 3339 time.
fn time_or_day(text: &str, end: bool) -> Option<Timestamp> {
    if let Ok(t) = text.parse::<Timestamp>() {
        return Some(t);
    }
    let day = text.parse::<Date>().ok()?;
    let day = if end { day.tomorrow().ok()? } else { day };
    day.to_zoned(jiff::tz::TimeZone::UTC)
        .ok()
        .map(|z| z.timestamp())
}

async fn audit_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    q: Result<Query<AuditQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let (q, unreadable_query) = match q {
        Ok(Query(q)) => (q, false),
        Err(_) => (AuditQuery::default(), true),
    };
    let lang = page_lang(&state, q.lang.as_deref(), &headers);
    let staff = match enter(&state, &headers, lang).await? {
        Ok(staff) => staff,
        Err(answer) => return Ok(answer),
    };
    let words = Words::of(&state, &staff.lang);
    let now = state.engine.now();
    let mut errors: BTreeMap<&str, String> = BTreeMap::new();
    let tenant = match given(q.tenant.as_deref()).map(str::parse::<TenantId>) {
        Some(Ok(t)) => Some(t),
        Some(Err(_)) => {
            errors.insert("tenant", words.get("ui_console_err_tenant"));
            None
        }
        None => None,
    };
    let mut when = |field: &'static str, end: bool| {
        let value = given(match field {
            "since" => q.since.as_deref(),
            _ => q.until.as_deref(),
        })?;
        let t = time_or_day(value, end);
        if t.is_none() {
            errors.insert(field, words.get("ui_console_err_time"));
        }
        t
    };
    let since = when("since", false);
    let until = when("until", true);
    let outcome = match given(q.outcome.as_deref()).map(Outcome::parse) {
        Some(Some(o)) => Some(o),
        Some(None) => {
            errors.insert("outcome", words.get("ui_console_err_choose"));
            None
        }
        None => None,
    };
    let after = given(q.after.as_deref())
        .and_then(|a| a.parse::<i64>().ok())
        .unwrap_or(0)
        .max(0);
    let actor = given(q.actor.as_deref()).map(str::to_string);
    let action = given(q.action.as_deref()).map(str::to_string);
    let filters = [
        ("actor", actor.as_deref()),
        ("action", action.as_deref()),
        ("tenant", given(q.tenant.as_deref())),
        ("since", given(q.since.as_deref())),
        ("until", given(q.until.as_deref())),
        ("outcome", given(q.outcome.as_deref())),
    ];
    let keep = query_of(&filters);
    let mut page = Page::new(
        &staff,
        "console_audit.html",
        "audit",
        words.get("ui_console_audit_heading"),
    );
    page.intro = Some(words.get("ui_console_audit_intro"));
    page.keep = keep.clone();
    let outcomes: Vec<Value> = ["success", "denied", "failure"]
        .iter()
        .map(|o| context! { code => o, label => words.code("ui_result_", o) })
        .collect();
    let form = context! {
        actor => actor.clone().unwrap_or_default(),
        action => action.clone().unwrap_or_default(),
        tenant => q.tenant.clone().unwrap_or_default(),
        since => q.since.clone().unwrap_or_default(),
        until => q.until.clone().unwrap_or_default(),
        outcome => given(q.outcome.as_deref()),
    };
    if unreadable_query || !errors.is_empty() {
        page.status = StatusCode::UNPROCESSABLE_ENTITY;
        page.banner = Some(Banner::alert(words.get("ui_form_invalid_heading"), None));
        return render(
            &state,
            &staff.lang,
            page,
            context! { form => form, errors => errors, outcomes => outcomes, events => () },
        );
    }
    let filter = AuditFilter {
        after_seq: after,
        limit: AUDIT_PAGE,
        tenant,
        actor: actor.clone(),
        action: action.clone(),
        since,
        until,
        outcome,
    };
    let events = match state
        .engine
        .audit_view(&staff.account, &filter, false)
        .await
    {
        Ok(events) => events,
        Err(e) => return denied(&state, &staff, "audit", e),
    };
    let rows: Vec<Value> = events
        .iter()
        .map(|e| {
            context! {
                seq => e.seq,
                at => time(e.event.at, now),
                actor => e.event.actor.clone(),
                action => e.event.action.clone(),
                tenant => e.event.tenant.map(|t| t.to_string()),
                outcome => e.event.outcome.as_str(),
                outcome_label => words.code("ui_result_", e.event.outcome.as_str()),
                purpose => e.event.purpose.clone(),
                targets => e.event.targets.join(" "),
                detail => e.event.detail.clone(),
            }
        })
        .collect();
    // Links made of percent-encoded values and a known language: safe as they are, but for
    // the `&` between pairs, which HTML wants as `&amp;` (minijinja would also write `/` as
    // `&#x2f;`).
    let link = |href: String| Value::from_safe_string(href.replace('&', "&amp;"));
    let next = (events.len() == AUDIT_PAGE as usize)
        .then(|| events.last().map(|e| e.seq))
        .flatten()
        .map(|seq| {
            link(format!(
                "/console/audit?{keep}after={seq}&lang={}",
                staff.lang
            ))
        });
    let rfc = |t: Option<Timestamp>| t.map(|t| t.to_string());
    let export = staff.may(Action::ExportAudit).then(|| {
        let (since, until) = (rfc(since), rfc(until));
        let tenant = tenant.map(|t| t.to_string());
        format!(
            "/v1/staff/audit?format=csv&limit=1000&{}",
            query_of(&[
                ("actor", actor.as_deref()),
                ("action", action.as_deref()),
                ("tenant", tenant.as_deref()),
                ("since", since.as_deref()),
                ("until", until.as_deref()),
                ("outcome", outcome.map(Outcome::as_str)),
            ])
        )
        .trim_end_matches('&')
        .to_string()
    });
    render(
        &state,
        &staff.lang,
        page,
        context! {
            form => form,
            errors => errors,
            outcomes => outcomes,
            events => rows,
            after => after,
            first => (after > 0).then(|| link(format!("/console/audit?{keep}lang={}", staff.lang))),
            next => next,
            export => export.map(link),
        },
    )
}

// ---- Disclosures ----

async fn disclosures_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<LangQuery>,
) -> Result<Response, ApiError> {
    let lang = page_lang(&state, q.lang.as_deref(), &headers);
    let staff = match enter(&state, &headers, lang).await? {
        Ok(staff) => staff,
        Err(answer) => return Ok(answer),
    };
    let words = Words::of(&state, &staff.lang);
    let cases = match state
        .engine
        .cases(
            &staff.account,
            &CaseFilter {
                kind: Some(disclosure::KIND.into()),
                open_only: false,
                limit: 500,
            },
        )
        .await
    {
        Ok(c) => c,
        Err(e) => return denied(&state, &staff, "disclosures", e),
    };
    let now = state.engine.now();
    let rows: Vec<Value> = cases
        .iter()
        .filter_map(|c| {
            let d = c.detail.disclosure.as_ref()?;
            let passed = d.tests.iter().filter(|t| t.passed).count();
            Some(context! {
                id => c.id.to_string(),
                authority => d.authority.clone(),
                authority_type => words.code("ui_authority_", &d.authority_type),
                country => d.country.clone(),
                instrument => words.code("ui_instrument_", &d.instrument),
                reference => d.reference.clone(),
                state => c.state.clone(),
                state_label => words.code("ui_state_", &c.state),
                passed => passed,
                failed => d.tests.len() - passed,
                opened_at => time(c.opened_at, now),
                due_at => c.due_at.filter(|_| c.closed_at.is_none()).map(|t| time(t, now)),
            })
        })
        .collect();
    let mut page = Page::new(
        &staff,
        "console_disclosures.html",
        "disclosures",
        words.get("ui_console_disclosures_heading"),
    );
    page.intro = Some(words.get("ui_console_disclosures_intro"));
    render(&state, &staff.lang, page, context! { disclosures => rows })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_is_its_start_or_with_end_the_whole_of_it() {
        let start = time_or_day("2026-03-02", false).unwrap();
        assert_eq!(start.to_string(), "2026-03-02T00:00:00Z");
        let end = time_or_day("2026-03-02", true).unwrap();
        assert_eq!(end.to_string(), "2026-03-03T00:00:00Z");
        let exact = time_or_day("2026-03-02T09:30:00Z", true).unwrap();
        assert_eq!(exact.to_string(), "2026-03-02T09:30:00Z");
        assert!(time_or_day("yesterday", false).is_none());
    }

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(encode("grant."), "grant.");
        assert_eq!(encode("account:a b&c"), "account%3Aa%20b%26c");
        assert_eq!(
            query_of(&[("action", Some("grant.")), ("tenant", None)]),
            "action=grant.&"
        );
    }
}
