//! Web pages, rendered from templates with auto-escaping.

use std::collections::BTreeMap;

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use minijinja::{Environment, context};
use serde::{Deserialize, Serialize};

use crate::{ApiError, AppState};

const STYLE: &str = include_str!("../assets/style.css");

/// The page chrome's words, per locale (the policy's own words come from the policy).
const UI: [(&str, &str); 4] = [
    ("en", include_str!("../locales/en.ftl")),
    ("nl", include_str!("../locales/nl.ftl")),
    ("zh-CN", include_str!("../locales/zh-CN.ftl")),
    ("id", include_str!("../locales/id.ftl")),
];

/// Reads a catalogue of simple Fluent messages (no placeables) into a map.
fn catalogue(source: &str) -> BTreeMap<String, String> {
    let resource = match fluent_syntax::parser::parse(source) {
        Ok(r) => r,
        Err((r, errors)) => {
            tracing::error!(?errors, "a UI catalogue does not parse");
            r
        }
    };
    resource
        .body
        .into_iter()
        .filter_map(|entry| match entry {
            fluent_syntax::ast::Entry::Message(m) => {
                let text: String = m
                    .value?
                    .elements
                    .into_iter()
                    .map(|e| match e {
                        fluent_syntax::ast::PatternElement::TextElement { value } => {
                            value.to_string()
                        }
                        fluent_syntax::ast::PatternElement::Placeable { .. } => String::new(),
                    })
                    .collect();
                Some((m.id.name.replace('-', "_"), text.trim().to_string()))
            }
            _ => None,
        })
        .collect()
}

/// How a locale joins the items of a list.
fn list_separator(lang: &str) -> &'static str {
    if lang.starts_with("zh") { "、" } else { ", " }
}

/// The compiled templates.
pub(crate) struct Pages {
    env: Environment<'static>,
    ui: BTreeMap<String, BTreeMap<String, String>>,
}

impl std::fmt::Debug for Pages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pages")
    }
}

impl Pages {
    pub(crate) fn new() -> Self {
        let mut env = Environment::new();
        for (name, source) in [
            ("base.html", include_str!("../templates/base.html")),
            ("index.html", include_str!("../templates/index.html")),
            (
                "statement.html",
                include_str!("../templates/statement.html"),
            ),
            (
                "subprocessors.html",
                include_str!("../templates/subprocessors.html"),
            ),
            ("ropa.html", include_str!("../templates/ropa.html")),
            ("changes.html", include_str!("../templates/changes.html")),
            ("message.html", include_str!("../templates/message.html")),
            (
                "transparency.html",
                include_str!("../templates/transparency.html"),
            ),
        ] {
            if let Err(e) = env.add_template(name, source) {
                // Templates are compiled into the binary and covered by tests; a broken one is
                // a build defect, reported loudly at start.
                tracing::error!(template = name, error = %e, "template does not compile");
            }
        }
        let ui = UI
            .iter()
            .map(|(tag, source)| (tag.to_string(), catalogue(source)))
            .collect();
        Self { env, ui }
    }

    /// The chrome's words in `lang`, falling back to English word by word.
    pub(crate) fn words(&self, lang: &str) -> BTreeMap<String, String> {
        let mut words = self.ui.get("en").cloned().unwrap_or_default();
        if let Some(own) = self.ui.get(lang) {
            words.extend(own.clone());
        }
        words
    }

    pub(crate) fn render(
        &self,
        name: &str,
        ctx: minijinja::Value,
    ) -> Result<Html<String>, ApiError> {
        self.env
            .get_template(name)
            .and_then(|t| t.render(ctx))
            .map(Html)
            .map_err(|e| {
                tracing::error!(template = name, error = %e, "template failed");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "the page could not be rendered",
                )
            })
    }
}

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(index))
        .route("/privacy", get(statement_current))
        .route("/privacy/changes", get(changes_page))
        .route("/privacy/{version}", get(statement_version))
        .route("/subprocessors", get(subprocessors_page))
        .route("/transparency", get(transparency_page))
        .route("/subprocessors.atom", get(subprocessors_feed))
        .route("/ropa", get(ropa_page))
        .route("/documents/{name}", get(document_page))
        .route("/assets/style.css", get(style))
}

async fn style() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLE,
    )
        .into_response()
}

#[derive(Debug, Deserialize)]
struct LangQuery {
    lang: Option<String>,
}

/// The documents the statement refers to, each a section of the statement in force, and the
/// statement's anchor for it.
const DOCUMENTS: [(&str, &str); 4] = [
    ("cookie-notice", "cookies"),
    ("disclosure-requests", "government-requests"),
    ("security", "security"),
    ("addresses", "contact"),
];

/// A document the statement links to, in the locale and version asked for.
async fn document_page(
    State(state): State<AppState>,
    axum::extract::Path(name): axum::extract::Path<String>,
    Query(q): Query<VersionQuery>,
) -> Result<Response, ApiError> {
    use custodian_policy::statement::{self as st, Jurisdiction};
    if name == "subprocessors" {
        return Ok(axum::response::Redirect::permanent("/subprocessors").into_response());
    }
    let Some((_, section)) = DOCUMENTS.iter().find(|(n, _)| *n == name) else {
        let known: Vec<&str> = DOCUMENTS.iter().map(|(n, _)| *n).collect();
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!(
                "there is no document `{name}`; the documents are: {}, subprocessors",
                known.join(", ")
            ),
        )
        .field("name"));
    };
    let policy = state.engine.policy();
    let lang = known_lang(policy, q.lang)?;
    let version = crate::api::version_or_current(policy, q.version.as_deref())?;
    let unavailable = |what: String| {
        tracing::error!(error = %what, "a document cannot be composed");
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "not_ready",
            "the document cannot be composed from this policy; run `custodian policy check`",
        )
    };
    let doc = st::compose(policy, version, &lang, Jurisdiction::Gdpr)
        .map_err(|e| unavailable(e.to_string()))?;
    let Some(doc) = st::excerpt(&doc, section) else {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!(
                "version {} of the statement has no such section",
                version.label
            ),
        )
        .field("version"));
    };
    let versions = version_labels(policy);
    let locales = locale_tags(policy);
    let page = state.pages.render(
        "statement.html",
        context! {
            lang => lang.clone(),
            locales => locales,
            t => state.pages.words(&lang),
            title => doc.title.clone(),
            version => version.label.clone(),
            versions => versions,
            document => true,
            body => st::render_html_body(&doc),
        },
    )?;
    Ok(page.into_response())
}

#[derive(Debug, Deserialize)]
struct StatementQuery {
    lang: Option<String>,
    jurisdiction: Option<String>,
    format: Option<String>,
}

/// The statement in force, at its stable address.
async fn statement_current(
    State(state): State<AppState>,
    Query(q): Query<StatementQuery>,
) -> Result<Response, ApiError> {
    let label = state
        .engine
        .policy()
        .current()
        .map(|v| v.label.clone())
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "not_ready",
                "no policy version is in force",
            )
        })?;
    let published = publication(&state, &label).await;
    statement(&state, &label, q, published)
}

/// Every version stays readable at its own address.
async fn statement_version(
    State(state): State<AppState>,
    axum::extract::Path(version): axum::extract::Path<String>,
    Query(q): Query<StatementQuery>,
) -> Result<Response, ApiError> {
    let published = publication(&state, &version).await;
    statement(&state, &version, q, published)
}

/// When and in force from when `label` was published, if it was (`policy publish`). A store
/// that cannot answer leaves the page without the line rather than failing it.
async fn publication(state: &AppState, label: &str) -> Option<(String, String)> {
    match state.engine.publications().await {
        Ok(all) => all.into_iter().find(|p| p.label == label).map(|p| {
            (
                p.published_at.strftime("%Y-%m-%d").to_string(),
                p.effective_on.to_string(),
            )
        }),
        Err(e) => {
            tracing::warn!(error = %e, "publications could not be read");
            None
        }
    }
}

fn statement(
    state: &AppState,
    label: &str,
    q: StatementQuery,
    published: Option<(String, String)>,
) -> Result<Response, ApiError> {
    use custodian_policy::statement::{self as st, Format, Jurisdiction};
    let policy = state.engine.policy();
    let version = crate::api::version_or_current(policy, Some(label))?;
    let lang = known_lang(policy, q.lang)?;
    let jurisdiction: Jurisdiction = match q.jurisdiction.as_deref() {
        None => Jurisdiction::Gdpr,
        Some(j) => j.parse().map_err(|e: String| {
            ApiError::new(StatusCode::BAD_REQUEST, "invalid_input", e).field("jurisdiction")
        })?,
    };
    let format = match q.format.as_deref() {
        None => Format::Html,
        Some(f) => f.parse().map_err(|e: String| {
            ApiError::new(StatusCode::BAD_REQUEST, "invalid_input", e).field("format")
        })?,
    };
    let doc = st::compose(policy, version, &lang, jurisdiction).map_err(|e| match e {
        st::StatementError::NoJurisdiction { .. } => {
            ApiError::new(StatusCode::NOT_FOUND, "not_found", e.to_string()).field("jurisdiction")
        }
        other => {
            tracing::error!(error = %other, "the statement cannot be composed");
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "not_ready",
                "the statement cannot be composed from this policy; run `custodian policy check`",
            )
        }
    })?;
    let text_type =
        |mime: &'static str, body: String| ([(header::CONTENT_TYPE, mime)], body).into_response();
    match format {
        Format::Markdown => Ok(text_type(
            "text/markdown; charset=utf-8",
            st::render(&doc, format),
        )),
        Format::Text => Ok(text_type(
            "text/plain; charset=utf-8",
            st::render(&doc, format),
        )),
        Format::Html => {
            let versions = version_labels(policy);
            let jurisdictions: Vec<&str> = Jurisdiction::ALL
                .into_iter()
                .filter(|j| {
                    *j == Jurisdiction::Gdpr
                        || version.jurisdiction.iter().any(|x| x.id.as_str() == j.id())
                })
                .map(|j| j.id())
                .collect();
            let locales = locale_tags(policy);
            let page = state.pages.render(
                "statement.html",
                context! {
                    lang => lang,
                    locales => locales,
                    t => state.pages.words(&lang),
                    title => doc.title.clone(),
                    version => label,
                    versions => versions,
                    jurisdiction => jurisdiction.id(),
                                        jurisdictions => jurisdictions,
                    published => published,
                    body => st::render_html_body(&doc),
                },
            )?;
            Ok(page.into_response())
        }
    }
}

#[derive(Debug, Serialize)]
struct Row {
    id: String,
    name: String,
    note: String,
    detail: String,
    extra: String,
}

async fn index(
    State(state): State<AppState>,
    Query(q): Query<LangQuery>,
) -> Result<Html<String>, ApiError> {
    let policy = state.engine.policy();
    let lang = q
        .lang
        .filter(|l| policy.locale(l).is_some())
        .unwrap_or_else(|| "en".to_string());
    let locale = policy.locale(&lang);
    let source = policy.source_locale();
    let text = |id: &str| -> String {
        locale
            .and_then(|l| l.text(id))
            .or_else(|| source.and_then(|l| l.text(id)))
            .unwrap_or(id)
            .to_string()
    };
    let Some(current) = policy.current() else {
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "not_ready",
            "no policy version is in force",
        ));
    };
    let sep = list_separator(&lang);
    let words = state.pages.words(&lang);
    let products: Vec<Row> = current
        .product
        .iter()
        .map(|p| {
            // Communication products keep their names (never translated) with a description;
            // the platform's own data sets are named by their description in the locale.
            let description = text(&format!("product-{}", p.id.as_str()));
            let (name, note) = if p.kind == custodian_policy::model::ProductKind::Communication {
                (p.name.clone(), description)
            } else {
                (description, String::new())
            };
            Row {
                id: p.id.as_str().to_string(),
                name,
                note,
                detail: p
                    .categories
                    .iter()
                    .map(|c| text(&format!("data-{}", c.as_str())))
                    .collect::<Vec<_>>()
                    .join(sep),
                extra: p
                    .optional
                    .iter()
                    .map(|c| text(&format!("data-{}", c.as_str())))
                    .collect::<Vec<_>>()
                    .join(sep),
            }
        })
        .collect();
    let retention: Vec<Row> = current
        .retention
        .iter()
        .map(|r| Row {
            id: r.code.clone().unwrap_or_default(),
            name: text(&format!("retention-{}", r.id.as_str())),
            note: String::new(),
            detail: r
                .period
                .as_ref()
                .map(|p| p.as_str().to_string())
                .unwrap_or_default(),
            extra: r
                .max_period
                .as_ref()
                .map(|p| p.as_str().to_string())
                .unwrap_or_default(),
        })
        .collect();
    let inside_eea = words.get("ui_inside_eea").cloned().unwrap_or_default();
    let processors: Vec<Row> = current
        .processor
        .iter()
        .map(|p| Row {
            id: p.id.as_str().to_string(),
            name: p.name.clone(),
            note: text(&format!("processor-{}", p.id.as_str())),
            detail: p.country.as_str().to_string(),
            extra: p
                .transfer
                .map(|t| format!("{t:?}").to_uppercase())
                .unwrap_or_else(|| inside_eea.clone()),
        })
        .collect();
    let versions: Vec<Row> = policy
        .versions
        .iter()
        .map(|v| Row {
            id: v.label.clone(),
            name: v
                .version
                .as_ref()
                .map(|i| i.effective.as_str().to_string())
                .unwrap_or_default(),
            note: String::new(),
            detail: String::new(),
            extra: String::new(),
        })
        .collect();
    let locales = locale_tags(policy);
    state.pages.render(
        "index.html",
        context! {
            t => words,
            lang => lang,
            locales => locales,
            policy_name => policy.manifest.policy.name.clone(),
            current => current.label.clone(),
            versions => versions,
            products => products,
            retention => retention,
            processors => processors,
            database => state.engine.store().backend().to_string(),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_ui_catalogue_has_exactly_the_english_words() {
        let en: Vec<String> = catalogue(UI[0].1).into_keys().collect();
        assert!(en.len() > 20);
        for (tag, source) in UI {
            let words = catalogue(source);
            assert_eq!(words.keys().cloned().collect::<Vec<_>>(), en, "{tag}");
            assert!(words.values().all(|w| !w.is_empty()), "{tag}");
        }
    }
}

#[derive(Debug, Deserialize)]
struct VersionQuery {
    lang: Option<String>,
    version: Option<String>,
}

/// The policy's version labels, oldest first, for the pages' version links.
fn version_labels(policy: &custodian_policy::Policy) -> Vec<String> {
    policy.versions.iter().map(|v| v.label.clone()).collect()
}

/// The policy's locale tags, for the language switch.
pub(crate) fn locale_tags(policy: &custodian_policy::Policy) -> Vec<String> {
    policy.locales.iter().map(|l| l.tag.clone()).collect()
}

/// The locale asked for, or a 404 naming the locales.
pub(crate) fn known_lang(
    policy: &custodian_policy::Policy,
    lang: Option<String>,
) -> Result<String, ApiError> {
    let lang = lang.unwrap_or_else(|| "en".to_string());
    if policy.locale(&lang).is_some() {
        return Ok(lang);
    }
    let known: Vec<&str> = policy.locales.iter().map(|l| l.tag.as_str()).collect();
    Err(ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        format!(
            "there is no locale `{lang}`; the locales are: {}",
            known.join(", ")
        ),
    )
    .field("lang"))
}

/// The public list of approved subprocessors, with its history.
async fn subprocessors_page(
    State(state): State<AppState>,
    Query(q): Query<VersionQuery>,
) -> Result<Response, ApiError> {
    use custodian_policy::subprocessors::{self as sp, ChangeKind};
    let policy = state.engine.policy();
    let lang = known_lang(policy, q.lang)?;
    let version = crate::api::version_or_current(policy, q.version.as_deref())?;
    let words = state.pages.words(&lang);
    let word = |key: &str| words.get(key).cloned().unwrap_or_default();
    let changes: Vec<minijinja::Value> = sp::changes(policy)
        .into_iter()
        .map(|c| {
            let w = match c.kind {
                ChangeKind::Added => word("ui_added"),
                ChangeKind::Removed => word("ui_removed"),
                ChangeKind::Changed => word("ui_changed"),
            };
            context! { date => c.date, version => c.version, name => c.name, word => w }
        })
        .collect();
    // Countries by name in the locale, as the statement writes them.
    let locale = policy.locale(&lang);
    let mut list = sp::list(policy, version, locale);
    for p in &mut list {
        if let Some(name) =
            locale.and_then(|l| l.text(&format!("st-country-{}", p.country.to_ascii_lowercase())))
        {
            p.country = name.to_string();
        }
    }
    let with_data = list.iter().any(|p| !p.data_categories.is_empty());
    let versions = version_labels(policy);
    let locales = locale_tags(policy);
    let page = state.pages.render(
        "subprocessors.html",
        context! {
            lang => lang.clone(),
            locales => locales,
            t => words.clone(),
            version => version.label.clone(),
            versions => versions,
            subprocessors => list,
            with_data => with_data,
            changes => changes,
        },
    )?;
    Ok(page.into_response())
}

/// Changes to the subprocessor list as an Atom feed.
async fn subprocessors_feed(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    Query(q): Query<VersionQuery>,
) -> Result<Response, ApiError> {
    let policy = state.engine.policy();
    let lang = known_lang(policy, q.lang)?;
    let words = state.pages.words(&lang);
    let word = |key: &str| words.get(key).cloned().unwrap_or_default();
    // The feed names its own address; behind a proxy, X-Forwarded-Proto tells the scheme.
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".:-[]".contains(c))
        })
        .unwrap_or("localhost");
    let scheme = headers
        .get("x-forwarded-proto")
        .and_then(|h| h.to_str().ok())
        .filter(|p| *p == "https")
        .unwrap_or("http");
    let (added, removed, changed) = (word("ui_added"), word("ui_removed"), word("ui_changed"));
    let feed = custodian_policy::subprocessors::atom(
        policy,
        &format!("{scheme}://{host}"),
        &word("ui_subprocessors"),
        [added.as_str(), removed.as_str(), changed.as_str()],
    );
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        feed,
    )
        .into_response())
}

/// The record of processing activities as a page (downloads as CSV, JSON and Markdown).
async fn ropa_page(
    State(state): State<AppState>,
    Query(q): Query<VersionQuery>,
) -> Result<Response, ApiError> {
    let policy = state.engine.policy();
    let lang = known_lang(policy, q.lang)?;
    let version = crate::api::version_or_current(policy, q.version.as_deref())?;
    let versions = version_labels(policy);
    let locales = locale_tags(policy);
    let page = state.pages.render(
        "ropa.html",
        context! {
            lang => lang.clone(),
            locales => locales,
            t => state.pages.words(&lang),
            versions => versions,
            ropa => custodian_policy::ropa::build(version, policy.locale(&lang)),
        },
    )?;
    Ok(page.into_response())
}

#[derive(Debug, Deserialize)]
struct ChangesQuery {
    lang: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

/// What changed between two versions, as a page people can read: material changes first.
async fn changes_page(
    State(state): State<AppState>,
    Query(q): Query<ChangesQuery>,
) -> Result<Response, ApiError> {
    use custodian_policy::diff::{ChangeKind, Class};
    let policy = state.engine.policy();
    let lang = known_lang(policy, q.lang)?;
    let to = crate::api::version_or_current(policy, q.to.as_deref()).map_err(|e| e.field("to"))?;
    let from = match q.from.as_deref() {
        Some(label) => {
            crate::api::version_or_current(policy, Some(label)).map_err(|e| e.field("from"))?
        }
        None => {
            let i = policy
                .versions
                .iter()
                .position(|v| v.label == to.label)
                .unwrap_or(0);
            &policy.versions[i.saturating_sub(1)]
        }
    };
    let words = state.pages.words(&lang);
    let word = |key: &str| words.get(key).cloned().unwrap_or_default();
    let value = |v: &serde_json::Value| match v {
        serde_json::Value::Null => "—".to_string(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let diff = custodian_policy::diff::diff(from, to, policy.locale(&lang));
    let mut groups = Vec::new();
    for (class, heading) in [
        (Class::Material, word("ui_material")),
        (Class::Editorial, word("ui_editorial")),
    ] {
        let changes: Vec<minijinja::Value> = diff
            .changes
            .iter()
            .filter(|c| c.class == class)
            .map(|c| {
                let w = match c.change {
                    ChangeKind::Added => word("ui_added"),
                    ChangeKind::Removed => word("ui_removed"),
                    ChangeKind::Changed => word("ui_changed"),
                };
                let fields: Vec<minijinja::Value> = c
                    .fields
                    .iter()
                    .map(|f| match (&f.from, &f.to) {
                        // Lists: what came in and what went out, not both lists whole.
                        (serde_json::Value::Array(a), serde_json::Value::Array(b)) => {
                            let gone: Vec<String> =
                                a.iter().filter(|x| !b.contains(x)).map(value).collect();
                            let new: Vec<String> =
                                b.iter().filter(|x| !a.contains(x)).map(value).collect();
                            context! {
                                field => f.field.clone(),
                                from => if gone.is_empty() { "—".to_string() } else { format!("− {}", gone.join(", ")) },
                                to => if new.is_empty() { "—".to_string() } else { format!("+ {}", new.join(", ")) },
                            }
                        }
                        _ => context! { field => f.field.clone(), from => value(&f.from), to => value(&f.to) },
                    })
                    .collect();
                context! {
                    word => w,
                    kind => c.kind,
                    label => c.label.clone().unwrap_or_else(|| c.id.clone()),
                    fields => fields,
                }
            })
            .collect();
        if !changes.is_empty() {
            groups.push(context! { heading => heading, changes => changes });
        }
    }
    let pairs: Vec<(String, String)> = policy
        .versions
        .windows(2)
        .map(|w| (w[0].label.clone(), w[1].label.clone()))
        .collect();
    let locales = locale_tags(policy);
    let page = state.pages.render(
        "changes.html",
        context! {
            lang => lang.clone(),
            locales => locales,
            t => words.clone(),
            from => from.label.clone(),
            to => to.label.clone(),
            pairs => pairs,
            groups => groups,
        },
    )?;
    Ok(page.into_response())
}

#[derive(Debug, Deserialize)]
struct TransparencyPageQuery {
    lang: Option<String>,
    year: Option<i16>,
}

/// The colours of the outcomes in the chart (colour-blind safe, with a text legend).
const OUTCOME_COLOURS: [(&str, &str); 3] = [
    ("disclosed", "#b35806"),
    ("pushed-back", "#2166ac"),
    ("pending", "#999999"),
];

/// The public transparency report: the year's government requests as a stacked bar chart
/// (inline SVG, no script) and tables by country, kind of authority and outcome.
async fn transparency_page(
    State(state): State<AppState>,
    Query(q): Query<TransparencyPageQuery>,
) -> Result<Response, ApiError> {
    let policy = state.engine.policy();
    let lang = known_lang(policy, q.lang)?;
    let words = state.pages.words(&lang);
    let word = |key: &str| words.get(key).cloned().unwrap_or_else(|| key.to_string());
    let (year, report) = crate::staff::transparency_year(&state, q.year).await?;
    let locale = policy.locale(&lang);
    let country_name = |code: &str| {
        locale
            .and_then(|l| l.text(&format!("st-country-{}", code.to_ascii_lowercase())))
            .map(|name| {
                // Names are written for a sentence ("the Netherlands"); a table starts them
                // with a capital.
                let mut chars = name.chars();
                chars
                    .next()
                    .map(|c| c.to_uppercase().chain(chars).collect())
                    .unwrap_or_default()
            })
            .unwrap_or_else(|| code.to_string())
    };
    let outcome_word = |o: &str| word(&format!("ui_outcome_{}", o.replace('-', "_")));
    let max = report
        .by_country
        .values()
        .copied()
        .max()
        .unwrap_or(1)
        .max(1);
    let (left, width) = (140u64, 440u64);
    let mut bars = Vec::new();
    for (i, (country, outcomes)) in report.by_country_outcome.iter().enumerate() {
        let mut x = left;
        let mut segments = Vec::new();
        let total: u64 = outcomes.values().sum();
        for (outcome, colour) in OUTCOME_COLOURS {
            let n = outcomes.get(outcome).copied().unwrap_or(0);
            if n == 0 {
                continue;
            }
            let w = (n * width / max).max(2);
            segments.push(context! {
                x => x, width => w, color => colour,
                title => format!("{}: {} {n}", country_name(country), outcome_word(outcome)),
            });
            x += w;
        }
        bars.push(context! {
            y => 10 + i as u64 * 30, label => country_name(country), segments => segments,
            end => x, total => total,
        });
    }
    let legend: Vec<minijinja::Value> = OUTCOME_COLOURS
        .iter()
        .map(|(o, c)| context! { label => outcome_word(o), color => *c })
        .collect();
    let rows = |m: &std::collections::BTreeMap<String, u64>, label: &dyn Fn(&str) -> String| {
        m.iter()
            .map(|(k, v)| context! { label => label(k), count => *v })
            .collect::<Vec<_>>()
    };
    let this_year = state.engine.now().to_zoned(jiff::tz::TimeZone::UTC).year();
    let years: Vec<i16> = (this_year - 4..=this_year).rev().collect();
    let page = state.pages.render(
        "transparency.html",
        context! {
            lang => lang.clone(),
            locales => locale_tags(policy),
            keep => format!("year={year}&"),
            t => words.clone(),
            year => year,
            years => years,
            total => report.total,
            chart_height => 20 + bars.len() * 30,
            bars => bars,
            legend => legend,
            by_country => rows(&report.by_country, &|c| country_name(c)),
            by_authority => rows(&report.by_authority_type, &|a| word(&format!("ui_authority_{}", a.replace('-', "_")))),
            by_outcome => rows(&report.by_outcome, &|o| outcome_word(o)),
        },
    )?;
    Ok(page.into_response())
}
