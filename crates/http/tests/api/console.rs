//! The staff console in a browser's place: every page renders for a compliance officer in the
//! four languages; it is only for signed-in staff; four eyes hold on the approvals page (the
//! engine's refusal shown with its status); a colleague approves through the form; the audit
//! page filters and names bad input; a case note posted through the form appears on the case;
//! the disclosure forms move a request along; forms from other sites are refused.

use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{Session, TestApp, spawn_app, staff};

/// A client that shows redirects instead of following them.
fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn page(app: &TestApp, s: Option<&Session>, path: &str) -> reqwest::Response {
    let mut request = client().get(app.url(path));
    if let Some(s) = s {
        request = request.header("cookie", &s.cookie);
    }
    request.send().await.unwrap()
}

/// The page's status and HTML.
async fn html(app: &TestApp, s: &Session, path: &str) -> (u16, String) {
    let response = page(app, Some(s), path).await;
    let status = response.status().as_u16();
    assert_eq!(
        response.headers()["cache-control"],
        "no-store",
        "{path} may be cached"
    );
    (status, response.text().await.unwrap())
}

/// Posts a form as a browser on this site would, with the session's CSRF token.
async fn post_form(
    app: &TestApp,
    s: &Session,
    path: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    let mut fields = vec![("csrf", s.csrf.as_str())];
    fields.extend_from_slice(form);
    client()
        .post(app.url(path))
        .header("cookie", &s.cookie)
        .header("sec-fetch-site", "same-origin")
        .form(&fields)
        .send()
        .await
        .unwrap()
}

/// Calls the staff JSON API.
async fn api(app: &TestApp, s: &Session, path: &str, body: Value) -> Value {
    let response = app
        .client
        .post(app.url(path))
        .header("cookie", &s.cookie)
        .header("x-csrf-token", &s.csrf)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(
        response.status().is_success(),
        "{path}: {}",
        response.status()
    );
    response.json().await.unwrap()
}

/// The text of the element with `id` (its first text, up to the next tag).
fn text_of<'a>(html: &'a str, id: &str) -> &'a str {
    let at = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id} in {html}"));
    let rest = &html[at..];
    let start = rest.find('>').unwrap() + 1;
    let end = rest[start..].find('<').unwrap();
    rest[start..start + end].trim()
}

/// The `<tbody>` of the table with `id`.
fn table<'a>(html: &'a str, id: &str) -> &'a str {
    let at = html
        .find(&format!("<table id=\"{id}\""))
        .or_else(|| html.find(&format!("id=\"{id}\"")))
        .unwrap_or_else(|| panic!("no table #{id}"));
    let rest = &html[at..];
    let start = rest.find("<tbody>").unwrap();
    let end = rest.find("</tbody>").unwrap();
    &rest[start..end]
}

/// A tenant, a support engineer's grant request, a legal's purge request, a compromise case
/// and a disclosure request: something on every page.
struct World {
    tenant: String,
    case: String,
    disclosure: String,
    purge: String,
}

async fn world(app: &TestApp, support: &Session, lawyer: &Session) -> World {
    let (tenant, _) = app.tenant_with_key("Acme", &["records:read"]).await;
    let tenant = tenant.to_string();
    api(
        app,
        support,
        "/v1/staff/grants",
        json!({"action": "read-personal-data", "tenant": tenant, "reason": "ticket SUP-9 caller asks", "duration_minutes": 30}),
    )
    .await;
    let purge = api(
        app,
        lawyer,
        "/v1/staff/approvals",
        json!({"kind": "purge-tenant", "tenant": tenant, "reason": "contract ended, ticket LEG-4"}),
    )
    .await;
    let case = app
        .engine
        .report_compromise(
            "owner@shop.example",
            "I saw a sign-in I did not make",
            "form",
        )
        .await
        .unwrap();
    let disclosure = api(
        app,
        lawyer,
        "/v1/staff/disclosures",
        json!({"authority": "Politie Amsterdam", "authority_type": "law-enforcement", "country": "NL", "instrument": "production-order", "reference": "PO-2026-17", "tenant": tenant, "categories": ["phone-number"], "period_from": "2026-01-01", "period_to": "2026-01-31"}),
    )
    .await;
    World {
        tenant,
        case: case.to_string(),
        disclosure: disclosure["id"].as_str().unwrap().to_string(),
        purge: purge["id"].as_str().unwrap().to_string(),
    }
}

#[tokio::test]
async fn every_console_page_renders_in_every_language_for_a_compliance_officer() {
    let app = spawn_app().await;
    let support = staff(&app, "support", "support").await;
    let lawyer = staff(&app, "lawyer", "legal").await;
    let officer = staff(&app, "officer", "compliance-officer").await;
    let w = world(&app, &support, &lawyer).await;

    // (language, the console's name, "Approvals" in the nav, "Allowed", "Credential compromise")
    let languages = [
        (
            "en",
            "Staff console",
            "Approvals",
            "Allowed",
            "Credential compromise",
        ),
        (
            "nl",
            "Medewerkersconsole",
            "Goedkeuringen",
            "Toegestaan",
            "Gelekte inloggegevens",
        ),
        ("zh-CN", "员工控制台", "审批", "允许", "账户凭证泄露"),
        (
            "id",
            "Konsol staf",
            "Persetujuan",
            "Diizinkan",
            "Kredensial bocor",
        ),
    ];
    let case_path = format!("/console/cases/{}", w.case);
    let disclosure_path = format!("/console/cases/{}", w.disclosure);
    let pages = [
        ("/console", "overview"),
        ("/console/approvals", "approvals"),
        ("/console/grants", "grants"),
        ("/console/grants?all=1", "grants"),
        ("/console/cases", "cases"),
        (case_path.as_str(), "cases"),
        (disclosure_path.as_str(), "disclosures"),
        ("/console/audit", "audit"),
        ("/console/disclosures", "disclosures"),
    ];
    for (lang, console, approvals, allowed, compromise) in languages {
        for (path, nav) in &pages {
            let sep = if path.contains('?') { '&' } else { '?' };
            let (status, body) = html(&app, &officer, &format!("{path}{sep}lang={lang}")).await;
            assert_eq!(status, 200, "{lang} {path}: {body}");
            assert!(
                body.contains(&format!("<html lang=\"{lang}\">")),
                "{lang} {path}"
            );
            assert!(body.contains(console), "{lang} {path}: the console's name");
            assert!(body.contains(approvals), "{lang} {path}: the nav");
            assert!(
                body.contains(&format!(
                    "/console/{nav}?lang={lang}\" aria-current=\"page\""
                )) || (*nav == "overview"
                    && body.contains(&format!("/console?lang={lang}\" aria-current=\"page\""))),
                "{lang} {path}: the current page is marked in the nav"
            );
            assert!(
                body.contains("officer@custodian.example"),
                "{lang} {path}: who"
            );
            assert!(
                body.contains("action=\"/account/sign-out\""),
                "{lang} {path}: sign out"
            );
            assert!(!body.contains("<script"), "{lang} {path}: no script");
            assert!(!body.contains("style="), "{lang} {path}: no inline style");
        }
        // Real content, translated.
        let (_, overview) = html(&app, &officer, &format!("/console?lang={lang}")).await;
        let matrix = table(&overview, "matrix");
        assert!(matrix.contains(allowed), "{lang}: the matrix row");
        assert!(
            matrix.contains("data-action=\"read-audit\"") && matrix.contains("level-allowed"),
            "{lang}"
        );
        let manage = &matrix[matrix.find("data-action=\"manage-staff\"").unwrap()..];
        assert!(
            manage[..manage.find("</tr>").unwrap()].contains("level-denied"),
            "{lang}: a compliance officer does not manage staff"
        );
        assert_eq!(
            text_of(&overview, "console-email"),
            "officer@custodian.example"
        );
        let (_, cases) = html(&app, &officer, &format!("/console/cases?lang={lang}")).await;
        assert!(
            table(&cases, "cases").contains(compromise),
            "{lang}: the kind"
        );
        assert!(
            cases.contains("Urgent: account credentials"),
            "{lang}: the subject"
        );
    }

    // The overview counts what waits; the lists show who asked and why.
    let (_, overview) = html(&app, &officer, "/console?lang=en").await;
    assert!(
        overview.contains("<span class=\"stat-value\">2</span>"),
        "{overview}"
    );
    assert_eq!(
        text_of(&overview, "console-roles"),
        "Roles: Compliance officer"
    );
    let (_, approvals) = html(&app, &officer, "/console/approvals").await;
    assert!(approvals.contains("support@custodian.example"));
    assert!(approvals.contains("ticket SUP-9 caller asks"));
    assert!(approvals.contains("Read personal data · 30 min"));
    assert!(approvals.contains("lawyer@custodian.example"));
    assert!(approvals.contains("Purge of a tenant"));
    assert!(approvals.contains(&format!("value=\"{}\"", w.purge)));
    let (_, all) = html(&app, &officer, "/console/grants?all=1").await;
    let grants = table(&all, "grants");
    assert!(
        grants.contains("support@custodian.example") && grants.contains("Waiting for approval")
    );
    assert!(grants.contains(&w.tenant));
    let (_, disclosures) = html(&app, &officer, "/console/disclosures").await;
    let list = table(&disclosures, "disclosures");
    assert!(list.contains("Politie Amsterdam") && list.contains("4 passed"));
    assert!(list.contains(&format!("/console/cases/{}?lang=en", w.disclosure)));
    assert!(disclosures.contains("href=\"/transparency?lang=en\""));
    let (_, case) = html(&app, &officer, &format!("/console/cases/{}", w.disclosure)).await;
    assert!(
        case.contains("id=\"review-form\""),
        "a received request can be reviewed"
    );
    assert!(
        !case.contains("id=\"release-form\""),
        "not released before review"
    );
    assert!(table(&case, "tests").contains("From a government authority"));
    let (_, case) = html(&app, &officer, &format!("/console/cases/{}", w.case)).await;
    assert!(case.contains("id=\"lockdown-form\"") && case.contains("value=\"owner@shop.example\""));
    assert!(case.contains("I saw a sign-in I did not make"));

    // A case that does not exist, and an id that is none.
    let (status, body) = html(
        &app,
        &officer,
        &format!("/console/cases/{}", Uuid::now_v7()),
    )
    .await;
    assert_eq!(status, 404, "{body}");
    let (status, _) = html(&app, &officer, "/console/cases/not-an-id").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn the_console_is_for_signed_in_staff_only() {
    let app = spawn_app().await;
    for path in [
        "/console",
        "/console/approvals",
        "/console/grants",
        "/console/cases",
        "/console/audit",
        "/console/disclosures",
        "/console/cases/0190a5e0-0000-7000-8000-000000000000",
    ] {
        let response = page(&app, None, path).await;
        assert_eq!(response.status().as_u16(), 303, "{path}");
        assert_eq!(response.headers()["location"], "/account/sign-in", "{path}");
    }
    let nl = client()
        .get(app.url("/console?lang=nl"))
        .send()
        .await
        .unwrap();
    assert_eq!(nl.headers()["location"], "/account/sign-in?lang=nl");

    // A customer's account: 403, saying why.
    let signup = app
        .client
        .post(app.url("/v1/account/signup"))
        .json(&json!({
            "email": "owner@shop.example", "password": "correct horse battery staple",
            "company": "Shop", "terms_version": "2023-01", "dpa_version": "2023-01", "adult": true
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(signup.status(), StatusCode::CREATED);
    let signed_in = app
        .client
        .post(app.url("/v1/account/session"))
        .json(&json!({ "email": "owner@shop.example", "password": "correct horse battery staple" }))
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), StatusCode::CREATED);
    let cookie = signed_in.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let csrf = signed_in.json::<Value>().await.unwrap()["csrf"]
        .as_str()
        .unwrap()
        .to_string();
    let customer = Session { cookie, csrf };
    for path in ["/console", "/console/audit", "/console/cases"] {
        let (status, body) = html(&app, &customer, path).await;
        assert_eq!(status, 403, "{path}");
        assert!(body.contains("only for staff accounts"), "{path}: {body}");
        assert!(
            !body.contains("aria-current=\"page\""),
            "{path}: no console nav"
        );
    }
    let response = post_form(
        &app,
        &customer,
        "/console/approvals",
        &[("id", &Uuid::now_v7().to_string()), ("decision", "approve")],
    )
    .await;
    assert_eq!(response.status().as_u16(), 403);
}

#[tokio::test]
async fn four_eyes_hold_on_the_approvals_page_and_a_colleague_approves_through_its_form() {
    let app = spawn_app().await;
    let support = staff(&app, "support", "support").await;
    let lawyer = staff(&app, "lawyer", "legal").await;
    let officer = staff(&app, "officer", "compliance-officer").await;
    let w = world(&app, &support, &lawyer).await;
    let purge: Uuid = w.purge.parse().unwrap();
    let state = |app: &TestApp| {
        let store = app.engine.store().clone();
        async move { store.approval(purge).await.unwrap().unwrap().state }
    };

    // Support may not decide a purge: a clear banner, 403, nothing changes.
    let response = post_form(
        &app,
        &support,
        "/console/approvals",
        &[
            ("id", &w.purge),
            ("decision", "approve"),
            ("note", "looks fine"),
            ("lang", "en"),
        ],
    )
    .await;
    assert_eq!(response.status().as_u16(), 403);
    let body = response.text().await.unwrap();
    assert!(body.contains("id=\"banner\" role=\"alert\""), "{body}");
    assert!(body.contains("Not permitted:"), "{body}");
    assert!(
        body.contains("your roles do not allow `purge-tenant`"),
        "{body}"
    );
    assert!(body.contains("value=\"looks fine\""), "the note is kept");
    assert_eq!(state(&app).await, "pending");

    // Nor may the person who asked, in any language: the engine's four-eyes words.
    let response = post_form(
        &app,
        &lawyer,
        "/console/approvals",
        &[("id", &w.purge), ("decision", "approve"), ("lang", "zh-CN")],
    )
    .await;
    assert_eq!(response.status().as_u16(), 403);
    let body = response.text().await.unwrap();
    assert!(body.contains("不允许："), "{body}");
    assert!(
        body.contains(
            "four eyes: a request cannot be approved or rejected by the person who made it"
        )
    );
    assert_eq!(state(&app).await, "pending");

    // A note too long is named on its field.
    let long = "x".repeat(501);
    let response = post_form(
        &app,
        &officer,
        "/console/approvals",
        &[("id", &w.purge), ("decision", "approve"), ("note", &long)],
    )
    .await;
    assert_eq!(response.status().as_u16(), 422);
    let body = response.text().await.unwrap();
    assert!(
        body.contains(&format!("id=\"note-{}-error\"", w.purge)),
        "{body}"
    );
    assert!(body.contains("at most 500 characters"));

    // A colleague of another role approves through the form.
    let response = post_form(
        &app,
        &officer,
        "/console/approvals",
        &[
            ("id", &w.purge),
            ("decision", "approve"),
            ("note", "contract checked"),
            ("lang", "en"),
        ],
    )
    .await;
    assert_eq!(response.status().as_u16(), 303);
    let location = response.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(location, "/console/approvals?done=approved");
    assert_eq!(state(&app).await, "approved");
    let approval = app.engine.store().approval(purge).await.unwrap().unwrap();
    assert_eq!(approval.note.as_deref(), Some("contract checked"));
    let (status, body) = html(&app, &officer, &location).await;
    assert_eq!(status, 200);
    assert!(body.contains("The request is approved."));
    let decided = table(&body, "decided");
    assert!(decided.contains("contract checked") && decided.contains("officer@custodian.example"));

    // Deciding it again: 409, not a 500.
    let response = post_form(
        &app,
        &officer,
        "/console/approvals",
        &[("id", &w.purge), ("decision", "reject")],
    )
    .await;
    assert_eq!(response.status().as_u16(), 409);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("this request is approved, not pending")
    );

    // Asking for a grant through the form, with a bad reason first.
    let response = post_form(
        &app,
        &officer,
        "/console/grants",
        &[
            ("op", "request"),
            ("action", "read-personal-data"),
            ("tenant", &w.tenant),
            ("reason", "short"),
            ("minutes", "30"),
        ],
    )
    .await;
    assert_eq!(response.status().as_u16(), 422);
    let body = response.text().await.unwrap();
    assert!(body.contains("id=\"grant-reason-error\""), "{body}");
    assert!(
        body.contains(
            "aria-invalid=\"true\" aria-describedby=\"grant-reason-error grant-reason-hint\""
        ) || body.contains(
            "aria-describedby=\"grant-reason-error grant-reason-hint\" aria-invalid=\"true\""
        )
    );
    let response = post_form(
        &app,
        &officer,
        "/console/grants",
        &[
            ("op", "request"),
            ("action", "read-personal-data"),
            ("tenant", "nope"),
            ("reason", "ticket CO-1 audit sample"),
            ("minutes", "30"),
        ],
    )
    .await;
    assert_eq!(response.status().as_u16(), 422);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("That is not a tenant id.")
    );
    let response = post_form(
        &app,
        &officer,
        "/console/grants",
        &[
            ("op", "request"),
            ("action", "read-personal-data"),
            ("tenant", &w.tenant),
            ("reason", "ticket CO-1 audit sample"),
            ("minutes", "30"),
        ],
    )
    .await;
    assert_eq!(response.status().as_u16(), 303);
    let (_, body) = html(&app, &officer, "/console/grants?done=requested").await;
    assert!(body.contains("Your request is recorded."));
    let mine = table(&body, "grants");
    assert!(mine.contains("ticket CO-1 audit sample") && mine.contains("data-status=\"pending\""));
}

#[tokio::test]
async fn the_audit_page_filters_and_names_bad_input() {
    let app = spawn_app().await;
    let support = staff(&app, "support", "support").await;
    let lawyer = staff(&app, "lawyer", "legal").await;
    let officer = staff(&app, "officer", "compliance-officer").await;
    world(&app, &support, &lawyer).await;

    // Support may not read the audit log: the engine's refusal, 403 (and audited as denied).
    let (status, body) = html(&app, &support, "/console/audit").await;
    assert_eq!(status, 403);
    assert!(
        body.contains("Not permitted:") && body.contains("`read-audit`"),
        "{body}"
    );

    let (status, body) = html(&app, &officer, "/console/audit?action=grant.&lang=en").await;
    assert_eq!(status, 200, "{body}");
    let rows = table(&body, "events");
    let actions: Vec<&str> = rows
        .split("data-action=\"")
        .skip(1)
        .map(|r| &r[..r.find('"').unwrap()])
        .collect();
    assert!(!actions.is_empty(), "{body}");
    assert!(
        actions.iter().all(|a| a.starts_with("grant.")),
        "{actions:?}"
    );
    assert!(actions.contains(&"grant.request"));
    assert!(body.contains("value=\"grant.\""), "the filter is shown");
    assert!(
        body.contains("href=\"/v1/staff/audit?format=csv&amp;limit=1000&amp;action=grant.\""),
        "{body}"
    );
    // The language links keep the filter.
    assert!(
        body.contains("href=\"?action=grant.&amp;lang=nl\""),
        "{body}"
    );

    // Outcome and dates: a day, or an RFC 3339 time.
    let (status, body) = html(
        &app,
        &officer,
        "/console/audit?outcome=denied&since=2020-01-01",
    )
    .await;
    assert_eq!(status, 200);
    let rows = table(&body, "events");
    assert!(rows.contains("data-action=\"access.check\""), "{rows}");
    assert!(!rows.contains("result-success"), "only denials");
    let (status, body) = html(&app, &officer, "/console/audit?until=2020-01-01T00:00:00Z").await;
    assert_eq!(status, 200);
    assert!(body.contains("No event matches these filters."));

    // A bad `since`: 422, the form again with the field's message tied to it.
    let (status, body) = html(&app, &officer, "/console/audit?since=yesterday&lang=en").await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("value=\"yesterday\""));
    assert!(
        body.contains(
            "aria-describedby=\"audit-since-error audit-since-hint\" aria-invalid=\"true\""
        ),
        "{body}"
    );
    assert_eq!(
        text_of(&body, "audit-since-error"),
        "Give a day such as 2026-03-01 or a time such as 2026-03-01T09:30:00Z."
    );
    assert!(
        !body.contains("id=\"events\""),
        "no results for a bad filter"
    );
    let (status, body) = html(&app, &officer, "/console/audit?tenant=acme&lang=id").await;
    assert_eq!(status, 422);
    assert_eq!(text_of(&body, "audit-tenant-error"), "Itu bukan ID tenant.");

    // Paging: a page holds 50; the next one starts after the last.
    for i in 0..60 {
        app.engine
            .store()
            .append_audit(&custodian_store::NewAuditEvent {
                at: app.engine.now(),
                actor: "system".into(),
                action: "test.page".into(),
                tenant: None,
                targets: vec![],
                purpose: None,
                outcome: custodian_store::Outcome::Success,
                detail: Some(json!({ "i": i }).to_string()),
            })
            .await
            .unwrap();
    }
    let (_, body) = html(&app, &officer, "/console/audit?action=test.page&lang=en").await;
    assert_eq!(table(&body, "events").matches("<tr").count(), 50);
    let next = body.split("id=\"next-page\"").next().unwrap();
    let href = &next[next.rfind("href=\"").unwrap() + 6..];
    let href = href[..href.find('"').unwrap()].replace("&amp;", "&");
    assert!(href.contains("action=test.page&after="), "{href}");
    let (_, body) = html(&app, &officer, &href).await;
    assert_eq!(table(&body, "events").matches("<tr").count(), 10);
    assert!(!body.contains("id=\"next-page\""));
}

#[tokio::test]
async fn a_case_note_from_the_form_appears_on_the_case_page() {
    let app = spawn_app().await;
    let support = staff(&app, "support", "support").await;
    let case = app
        .engine
        .report_compromise("someone@shop.example", "", "form")
        .await
        .unwrap();
    let path = format!("/console/cases/{case}");

    let response = post_form(&app, &support, &path, &[("op", "note"), ("text", "  ")]).await;
    assert_eq!(response.status().as_u16(), 422);
    let body = response.text().await.unwrap();
    assert!(body.contains("id=\"note_text-error\""), "{body}");
    assert!(body.contains("Write a note of 1 to 5000 characters."));

    let response = post_form(
        &app,
        &support,
        &path,
        &[
            ("op", "note"),
            ("text", "Called the owner; they confirm the report."),
            ("lang", "nl"),
        ],
    )
    .await;
    assert_eq!(response.status().as_u16(), 303);
    let location = response.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(location, format!("{path}?done=note&lang=nl"));
    let (status, body) = html(&app, &support, &location).await;
    assert_eq!(status, 200);
    assert!(body.contains("De notitie is opgeslagen."));
    let notes = &body[body.find("id=\"case-notes\"").unwrap()..];
    assert!(notes.contains("Called the owner; they confirm the report."));
    assert!(
        notes.contains("support@custodian.example"),
        "the author by address"
    );

    // Lock-down of an address without an account: 404 banner, not a 500.
    let response = post_form(
        &app,
        &support,
        &path,
        &[("op", "lockdown"), ("email", "nobody@shop.example")],
    )
    .await;
    assert_eq!(response.status().as_u16(), 404);
    assert!(response.text().await.unwrap().contains("no such account"));

    // Closing with a note.
    let response = post_form(
        &app,
        &support,
        &path,
        &[
            ("op", "note"),
            ("text", "Nothing more to do."),
            ("close", "yes"),
        ],
    )
    .await;
    assert_eq!(response.status().as_u16(), 303);
    let (_, body) = html(&app, &support, &format!("{path}?lang=en")).await;
    assert_eq!(text_of(&body, "case-state"), "Closed");
    assert!(
        !body.contains("id=\"note-form\""),
        "a closed case takes no notes"
    );
    let (_, body) = html(&app, &support, "/console/cases").await;
    assert!(
        !body.contains(&case.to_string()),
        "closed cases leave the open list"
    );
}

#[tokio::test]
async fn a_disclosure_request_moves_along_through_its_forms() {
    let app = spawn_app().await;
    let support = staff(&app, "support", "support").await;
    let lawyer = staff(&app, "lawyer", "legal").await;
    let officer = staff(&app, "officer", "compliance-officer").await;
    let w = world(&app, &support, &lawyer).await;
    let path = format!("/console/cases/{}", w.disclosure);

    // Support handles cases but may not review disclosure requests: the engine says so.
    let response = post_form(
        &app,
        &support,
        &path,
        &[
            ("op", "review"),
            ("admissible", "yes"),
            ("note", "all four tests pass"),
        ],
    )
    .await;
    assert_eq!(response.status().as_u16(), 403);
    assert!(response.text().await.unwrap().contains("review-disclosure"));

    let response = post_form(
        &app,
        &lawyer,
        &path,
        &[("op", "review"), ("admissible", "yes"), ("note", "short")],
    )
    .await;
    assert_eq!(response.status().as_u16(), 422);
    let body = response.text().await.unwrap();
    assert!(body.contains("id=\"review_note-error\""), "{body}");
    let response = post_form(
        &app,
        &lawyer,
        &path,
        &[
            ("op", "review"),
            ("admissible", "yes"),
            ("note", "all four tests pass"),
        ],
    )
    .await;
    assert_eq!(response.status().as_u16(), 303);
    let (_, body) = html(&app, &lawyer, &format!("{path}?lang=en")).await;
    assert_eq!(text_of(&body, "case-state"), "Admissible");
    assert!(body.contains("id=\"notice-form\"") && !body.contains("id=\"review-form\""));
    assert!(
        !body.contains("id=\"release-form\""),
        "notice is decided first"
    );

    let response = post_form(
        &app,
        &lawyer,
        &path,
        &[
            ("op", "notice"),
            ("notify", "defer"),
            ("legal_ground", "gag order 17 of the court"),
        ],
    )
    .await;
    assert_eq!(response.status().as_u16(), 422);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("id=\"notice_until-error\"")
    );
    let response = post_form(&app, &lawyer, &path, &[("op", "notice"), ("notify", "now")]).await;
    assert_eq!(response.status().as_u16(), 303);
    let (_, body) = html(&app, &lawyer, &path).await;
    assert!(body.contains("id=\"release-form\""), "{body}");

    let response = post_form(
        &app,
        &lawyer,
        &path,
        &[
            ("op", "release"),
            ("reason", "the order is valid and scoped"),
        ],
    )
    .await;
    assert_eq!(response.status().as_u16(), 303);
    let (_, body) = html(&app, &lawyer, &format!("{path}?lang=en")).await;
    assert_eq!(text_of(&body, "case-state"), "Awaiting approval");
    let (_, approvals) = html(&app, &officer, "/console/approvals").await;
    assert!(approvals.contains("Release of disclosed data"));
    // Asking twice: the engine refuses, 409.
    let response = post_form(
        &app,
        &lawyer,
        &path,
        &[
            ("op", "release"),
            ("reason", "the order is valid and scoped"),
        ],
    )
    .await;
    assert_eq!(response.status().as_u16(), 409);
}

#[tokio::test]
async fn forms_from_other_sites_or_without_the_token_are_refused() {
    let app = spawn_app().await;
    let support = staff(&app, "support", "support").await;
    let lawyer = staff(&app, "lawyer", "legal").await;
    let officer = staff(&app, "officer", "compliance-officer").await;
    let w = world(&app, &support, &lawyer).await;
    let form = [
        ("csrf", officer.csrf.as_str()),
        ("id", w.purge.as_str()),
        ("decision", "approve"),
    ];
    for (name, value) in [
        ("sec-fetch-site", "cross-site"),
        ("origin", "https://evil.example"),
    ] {
        let response = client()
            .post(app.url("/console/approvals"))
            .header("cookie", &officer.cookie)
            .header(name, value)
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 403, "{name}");
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains("It was sent from another site")
        );
    }
    let response = client()
        .post(app.url("/console/approvals"))
        .header("cookie", &officer.cookie)
        .form(&[
            ("csrf", "wrong"),
            ("id", w.purge.as_str()),
            ("decision", "approve"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 403);
    let approval = app
        .engine
        .store()
        .approval(w.purge.parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(approval.state, "pending", "nothing was decided");
    // Not signed in: to the sign-in page.
    let response = client()
        .post(app.url("/console/approvals"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 303);
}
