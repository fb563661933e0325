//! Web pages, rendered from templates with auto-escaping.

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use minijinja::{Environment, context};
use serde::{Deserialize, Serialize};

use crate::{ApiError, AppState};

const STYLE: &str = include_str!("../assets/style.css");

/// The compiled templates.
pub(crate) struct Pages {
    env: Environment<'static>,
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
        ] {
            if let Err(e) = env.add_template(name, source) {
                // Templates are compiled into the binary and covered by tests; a broken one is
                // a build defect, reported loudly at start.
                tracing::error!(template = name, error = %e, "template does not compile");
            }
        }
        Self { env }
    }

    fn render(&self, name: &str, ctx: minijinja::Value) -> Result<Html<String>, ApiError> {
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

#[derive(Debug, Serialize)]
struct Row {
    id: String,
    name: String,
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
    let products: Vec<Row> = current
        .product
        .iter()
        .map(|p| Row {
            id: p.id.as_str().to_string(),
            name: p.name.clone(),
            detail: p
                .categories
                .iter()
                .map(|c| text(&format!("data-{}", c.as_str())))
                .collect::<Vec<_>>()
                .join(", "),
            extra: p
                .optional
                .iter()
                .map(|c| text(&format!("data-{}", c.as_str())))
                .collect::<Vec<_>>()
                .join(", "),
        })
        .collect();
    let retention: Vec<Row> = current
        .retention
        .iter()
        .map(|r| Row {
            id: r.code.clone().unwrap_or_default(),
            name: text(&format!("retention-{}", r.id.as_str())),
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
    let processors: Vec<Row> = current
        .processor
        .iter()
        .map(|p| Row {
            id: p.id.as_str().to_string(),
            name: p.name.clone(),
            detail: p.country.as_str().to_string(),
            extra: p
                .transfer
                .map(|t| format!("{t:?}").to_uppercase())
                .unwrap_or_else(|| "EEA".into()),
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
            detail: String::new(),
            extra: String::new(),
        })
        .collect();
    let locales: Vec<String> = policy.locales.iter().map(|l| l.tag.clone()).collect();
    state.pages.render(
        "index.html",
        context! {
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
