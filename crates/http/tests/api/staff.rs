//! The staff console's API over HTTP: a staff session (with its second factor) is refused
//! what its role does not allow, asks for a grant that a colleague approves, reads a subject's
//! records with a reason, reviews and exports the audit log; a disclosure request runs to
//! release; the compromise form locks an account down; inbound mail opens cases; the
//! transparency report is public, as JSON and as a page with a chart in four languages.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, error_of, spawn_app, spawn_app_with_inbound, staff};

async fn post(app: &TestApp, s: &Session, path: &str, body: Value) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .header("cookie", &s.cookie)
        .header("x-csrf-token", &s.csrf)
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn get(app: &TestApp, s: &Session, path: &str) -> reqwest::Response {
    app.client
        .get(app.url(path))
        .header("cookie", &s.cookie)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn roles_grants_reads_and_the_audit_view_over_http() {
    let app = spawn_app().await;
    let (tenant, key) = app
        .tenant_with_key("Acme", &["records:read", "records:write"])
        .await;
    let ingest = app
        .client
        .post(app.url("/v1/records"))
        .bearer_auth(&key)
        .json(&json!({
            "product": "sms",
            "purpose": "transmission",
            "legal_basis": "contract",
            "identifiers": { "phone": "+31612345678" },
            "country": "NL",
            "data": { "phone-number": "+31612345678", "communication-content": "hello" }
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        ingest.status(),
        StatusCode::CREATED,
        "{}",
        ingest.text().await.unwrap()
    );
    let stored: Value = ingest.json().await.unwrap();
    let subject = stored["records"][0]["subject"]
        .as_str()
        .unwrap()
        .to_string();

    let support = staff(&app, "support", "support").await;
    let security = staff(&app, "security", "security").await;

    // The matrix row of support.
    let access: Value = get(&app, &support, "/v1/staff/access")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(access["actions"]["handle-cases"], "allowed");
    assert_eq!(access["actions"]["read-personal-data"], "with-grant");
    assert_eq!(access["actions"]["purge-tenant"], "denied");

    // Denied: a clear 403, audited.
    let read = format!(
        "/v1/staff/tenants/{tenant}/subjects/{subject}/records?purpose=customer-support&reason=ticket%20SUP-9%20caller%20asks"
    );
    let (code, message, _) = error_of(get(&app, &support, &read).await, 403).await;
    assert_eq!(code, "not_permitted");
    assert!(message.contains("grant"), "{message}");
    let (code, _, _) = error_of(
        post(&app, &support, "/v1/staff/approvals", json!({"kind": "purge-tenant", "tenant": tenant.to_string(), "reason": "the customer left us"})).await,
        403,
    )
    .await;
    assert_eq!(code, "not_permitted");

    // A change without the CSRF token is refused.
    let response = app
        .client
        .post(app.url("/v1/staff/grants"))
        .header("cookie", &support.cookie)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    let (code, _, field) = error_of(response, 403).await;
    assert_eq!(
        (code.as_str(), field.as_deref()),
        ("csrf", Some("x-csrf-token"))
    );

    // Bad input is named.
    let (_, _, field) = error_of(
        post(
            &app,
            &support,
            "/v1/staff/grants",
            json!({"action": "read-personal-data", "reason": "short", "duration_minutes": 30}),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(field.as_deref(), Some("reason"));

    // Asked, approved by a colleague (not oneself), then the read works.
    let requested = post(
        &app,
        &support,
        "/v1/staff/grants",
        json!({"action": "read-personal-data", "tenant": tenant.to_string(), "reason": "ticket SUP-9 caller asks", "duration_minutes": 30}),
    )
    .await;
    assert_eq!(requested.status(), StatusCode::ACCEPTED);
    let requested: Value = requested.json().await.unwrap();
    let approval = requested["approval"]["id"].as_str().unwrap().to_string();
    let (code, _, _) = error_of(
        post(
            &app,
            &support,
            &format!("/v1/staff/approvals/{approval}/decision"),
            json!({"approve": true}),
        )
        .await,
        403,
    )
    .await;
    assert_eq!(code, "not_permitted");
    let pending: Value = get(&app, &security, "/v1/staff/approvals?state=pending")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(pending.as_array().unwrap().len(), 1);
    let decided = post(
        &app,
        &security,
        &format!("/v1/staff/approvals/{approval}/decision"),
        json!({"approve": true, "note": "ticket checked"}),
    )
    .await;
    assert_eq!(decided.status(), StatusCode::OK);
    let response = get(&app, &support, &read).await;
    assert_eq!(response.status(), StatusCode::OK);
    let records: Value = response.json().await.unwrap();
    assert_eq!(records[0]["data"]["communication-content"], "hello");

    // The compliance view finds the read with its purpose and reason, and exports CSV.
    let events: Value = get(
        &app,
        &security,
        "/v1/staff/audit?action=records.read&actor=account:",
    )
    .await
    .json()
    .await
    .unwrap();
    let events = events.as_array().unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["purpose"], "customer-support");
    assert!(events[0]["detail"].as_str().unwrap().contains("SUP-9"));
    let denied: Value = get(&app, &security, "/v1/staff/audit?outcome=denied")
        .await
        .json()
        .await
        .unwrap();
    assert!(denied.as_array().unwrap().len() >= 3);
    let csv = get(&app, &security, "/v1/staff/audit?format=csv&action=grant.").await;
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(
        csv.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let text = csv.text().await.unwrap();
    assert!(text.starts_with("seq,at,actor,action"), "{text}");
    assert!(text.contains("\"grant.request\""), "{text}");
    // Support may not read the audit log; bad filters are named.
    let (code, _, _) = error_of(get(&app, &support, "/v1/staff/audit").await, 403).await;
    assert_eq!(code, "not_permitted");
    let (_, _, field) = error_of(
        get(&app, &security, "/v1/staff/audit?since=yesterday").await,
        422,
    )
    .await;
    assert_eq!(field.as_deref(), Some("since"));
}

#[tokio::test]
async fn a_disclosure_request_over_http_and_the_public_transparency_report() {
    let app = spawn_app().await;
    let (tenant, _key) = app.tenant_with_key("Acme", &["records:read"]).await;
    let lawyer = staff(&app, "lawyer", "legal").await;
    let officer = staff(&app, "officer", "compliance-officer").await;

    let (_, _, field) = error_of(
        post(&app, &lawyer, "/v1/staff/disclosures", json!({"authority": "Police", "authority_type": "army", "country": "NL", "instrument": "warrant", "reference": "x", "tenant": tenant.to_string(), "categories": []})).await,
        422,
    )
    .await;
    assert_eq!(field.as_deref(), Some("authority_type"));
    let created = post(
        &app,
        &lawyer,
        "/v1/staff/disclosures",
        json!({"authority": "Politie Amsterdam", "authority_type": "law-enforcement", "country": "NL", "instrument": "production-order", "reference": "PO-2026-17", "tenant": tenant.to_string(), "categories": ["phone-number"], "period_from": "2026-01-01", "period_to": "2026-01-31"}),
    )
    .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let case: Value = created.json().await.unwrap();
    let id = case["id"].as_str().unwrap().to_string();
    assert_eq!(case["state"], "received");
    let tests = case["detail"]["disclosure"]["tests"].as_array().unwrap();
    assert_eq!(tests.len(), 4);
    assert!(tests.iter().all(|t| t["passed"] == true));

    let reviewed = post(
        &app,
        &lawyer,
        &format!("/v1/staff/disclosures/{id}/review"),
        json!({"admissible": true, "note": "all four tests pass"}),
    )
    .await;
    assert_eq!(reviewed.status(), StatusCode::OK);
    let (_, _, field) = error_of(
        post(
            &app,
            &lawyer,
            &format!("/v1/staff/disclosures/{id}/notice"),
            json!({"notify": false, "legal_ground": "gag order 17"}),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(field.as_deref(), Some("until"));
    let notice = post(
        &app,
        &lawyer,
        &format!("/v1/staff/disclosures/{id}/notice"),
        json!({"notify": true}),
    )
    .await;
    assert_eq!(notice.status(), StatusCode::OK);
    let asked = post(
        &app,
        &lawyer,
        &format!("/v1/staff/disclosures/{id}/release-request"),
        json!({"reason": "the order is valid and scoped"}),
    )
    .await;
    assert_eq!(asked.status(), StatusCode::ACCEPTED);
    let approval: Value = asked.json().await.unwrap();
    let approval = approval["id"].as_str().unwrap();
    let (code, _, _) = error_of(
        post(
            &app,
            &lawyer,
            &format!("/v1/staff/disclosures/{id}/release"),
            json!({}),
        )
        .await,
        409,
    )
    .await;
    assert_eq!(code, "conflict");
    let ok = post(
        &app,
        &officer,
        &format!("/v1/staff/approvals/{approval}/decision"),
        json!({"approve": true}),
    )
    .await;
    assert_eq!(ok.status(), StatusCode::OK);
    let released = post(
        &app,
        &lawyer,
        &format!("/v1/staff/disclosures/{id}/release"),
        json!({}),
    )
    .await;
    assert_eq!(released.status(), StatusCode::OK);
    assert_eq!(
        released
            .json::<Value>()
            .await
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        0
    );

    // Public: JSON and the page, with its chart, in every language.
    let report: Value = app.get("/v1/transparency").await.json().await.unwrap();
    assert_eq!(report["report"]["total"], 1);
    assert_eq!(report["report"]["by_outcome"]["disclosed"], 1);
    assert_eq!(report["report"]["by_authority_type"]["law-enforcement"], 1);
    let (_, _, field) = error_of(app.get("/v1/transparency?year=1800").await, 422).await;
    assert_eq!(field.as_deref(), Some("year"));
    for (lang, word) in [
        ("en", "Transparency report"),
        ("nl", "Transparantierapport"),
        ("zh-CN", "透明度报告"),
        ("id", "Laporan transparansi"),
    ] {
        let page = app.get(&format!("/transparency?lang={lang}")).await;
        assert_eq!(page.status(), StatusCode::OK);
        let html = page.text().await.unwrap();
        assert!(html.contains(word), "{lang}");
        assert!(
            html.contains("<svg") && html.contains("<rect"),
            "{lang}: the chart"
        );
    }
}

#[tokio::test]
async fn the_compromise_form_and_inbound_mail_open_cases_and_lock_accounts_down() {
    let token = "an-inbound-token-of-at-least-32-characters";
    let app = spawn_app_with_inbound(token).await;
    let signup = app
        .client
        .post(app.url("/v1/account/signup"))
        .json(&json!({
            "email": "owner@shop.example", "password": "correct horse battery staple",
            "company": "Shop", "region": "NL", "locale": "en",
            "terms_version": "2023-01", "dpa_version": "2023-01", "adult": true
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        signup.status(),
        StatusCode::CREATED,
        "{}",
        signup.text().await.unwrap()
    );

    // The form: same answer whether or not the address has an account.
    for email in ["owner@shop.example", "nobody@nowhere.example"] {
        let response = app
            .client
            .post(app.url("/v1/security/compromise"))
            .json(&json!({ "email": email, "details": "I saw a sign-in I did not make" }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::ACCEPTED);
        let body: Value = response.json().await.unwrap();
        assert!(body["message"].as_str().unwrap().starts_with("Received."));
    }
    let e = app
        .client
        .post(app.url("/v1/account/session"))
        .json(&json!({ "email": "owner@shop.example", "password": "correct horse battery staple" }))
        .send()
        .await
        .unwrap();
    let (code, _, _) = error_of(e, 403).await;
    assert_eq!(code, "locked");
    let (_, _, field) = error_of(
        app.client
            .post(app.url("/v1/security/compromise"))
            .json(&json!({ "email": "not an address" }))
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(field.as_deref(), Some("email"));

    // Inbound mail: the token is required; a message opens a case routed by its subject.
    let raw = "From: parent@home.example\r\nTo: privacy@messagebird.com\r\nSubject: =?UTF-8?B?5YS/56ul?=\r\n\r\nMy son is 12.\r\n";
    let unauthorised = app
        .client
        .post(app.url("/v1/inbound/mail"))
        .body(raw)
        .send()
        .await
        .unwrap();
    error_of(unauthorised, 401).await;
    let opened = app
        .client
        .post(app.url("/v1/inbound/mail"))
        .bearer_auth(token)
        .header("x-envelope-to", "privacy@messagebird.com")
        .body(raw)
        .send()
        .await
        .unwrap();
    assert_eq!(opened.status(), StatusCode::CREATED);
    let case: Value = opened.json().await.unwrap();
    assert_eq!(case["kind"], "children");
    assert_eq!(case["priority"], "high");
    let (_, _, field) = error_of(
        app.client
            .post(app.url("/v1/inbound/mail"))
            .bearer_auth(token)
            .body(vec![0xff_u8, 0, 1, 2])
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(field.as_deref(), Some("message"));

    // Support sees the cases; three so far (two compromise reports, one Children report).
    let support = staff(&app, "support", "support").await;
    let cases: Value = get(&app, &support, "/v1/staff/cases?open=true")
        .await
        .json()
        .await
        .unwrap();
    let kinds: Vec<&str> = cases
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.len(), 3, "{kinds:?}");
    assert_eq!(
        kinds
            .iter()
            .filter(|k| **k == "credential-compromise")
            .count(),
        2
    );

    // Without the token configured, the endpoint is off.
    let off = spawn_app().await;
    let (code, _, _) = error_of(
        off.client
            .post(off.url("/v1/inbound/mail"))
            .bearer_auth(token)
            .body(raw)
            .send()
            .await
            .unwrap(),
        404,
    )
    .await;
    assert_eq!(code, "not_found");
}

#[tokio::test]
async fn one_client_cannot_lock_a_list_of_strangers_accounts() {
    let app = spawn_app().await;
    let report = |n: usize| {
        app.client
            .post(app.url("/v1/security/compromise"))
            .json(&json!({ "email": format!("person{n}@shop.example"), "details": "leaked" }))
            .send()
    };
    for n in 0..5 {
        assert_eq!(report(n).await.unwrap().status(), StatusCode::ACCEPTED);
    }
    let refused = report(5).await.unwrap();
    assert!(refused.headers().contains_key("retry-after"));
    let (code, message, _) = error_of(refused, 429).await;
    assert_eq!(code, "throttled");
    assert!(message.contains("security address"), "{message}");
}

#[tokio::test]
async fn the_public_report_form_locks_an_account_down_in_every_language() {
    let app = spawn_app().await;
    let signup = app
        .client
        .post(app.url("/v1/account/signup"))
        .json(&json!({
            "email": "owner@shop.example", "password": "correct horse battery staple",
            "company": "Shop", "region": "NL", "locale": "en",
            "terms_version": "2023-01", "dpa_version": "2023-01", "adult": true
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(signup.status(), StatusCode::CREATED);
    for (lang, heading) in [
        ("en", "Report stolen or misused credentials"),
        ("nl", "Gestolen of misbruikte inloggegevens melden"),
        ("zh-CN", "报告被盗或被滥用的登录凭证"),
        ("id", "Laporkan kredensial yang dicuri atau disalahgunakan"),
    ] {
        let page = app.get(&format!("/security/compromise?lang={lang}")).await;
        assert_eq!(page.status(), StatusCode::OK);
        let html = page.text().await.unwrap();
        assert!(html.contains(heading), "{lang}");
        assert!(html.contains(r#"name="email""#) && html.contains(r#"name="details""#));
        assert!(
            html.contains("Urgent: account credentials"),
            "{lang}: the subject, verbatim"
        );
    }
    // From another site: refused.
    let cross = app
        .client
        .post(app.url("/security/compromise"))
        .header("sec-fetch-site", "cross-site")
        .form(&[("email", "owner@shop.example"), ("lang", "en")])
        .send()
        .await
        .unwrap();
    assert_eq!(cross.status(), StatusCode::FORBIDDEN);
    // A bad address: the form says so.
    let bad = app
        .client
        .post(app.url("/security/compromise"))
        .form(&[("email", "not an address"), ("lang", "nl")])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Sent from the page: received, with a reference, and the account is locked.
    let sent = app
        .client
        .post(app.url("/security/compromise"))
        .header("sec-fetch-site", "same-origin")
        .form(&[
            ("email", "owner@shop.example"),
            ("details", "a sign-in I did not make"),
            ("lang", "en"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), StatusCode::ACCEPTED);
    let html = sent.text().await.unwrap();
    assert!(
        html.contains("Report received") && html.contains("Incident reference"),
        "{html}"
    );
    let refused = app
        .client
        .post(app.url("/v1/account/session"))
        .json(&json!({ "email": "owner@shop.example", "password": "correct horse battery staple" }))
        .send()
        .await
        .unwrap();
    let (code, _, _) = error_of(refused, 403).await;
    assert_eq!(code, "locked");
}
