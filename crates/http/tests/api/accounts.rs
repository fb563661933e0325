//! Accounts over HTTP: sign-up, verification, a session cookie that is HttpOnly, Secure and
//! SameSite=Strict, a CSRF token required on every change, TOTP with replay refused, password
//! guessing throttled, and the security headers every response carries.

use std::sync::Arc;

use custodian_core::FixedClock;
use custodian_engine::totp::{self, TotpSecret};
use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use custodian_testkit::smtp::{MAIL_WAIT, SmtpSink};

use crate::helpers::{TestApp, error_of, spawn_app_with_clock};
use crate::notices::{dispatch, link, post_form, read};

fn t0() -> Timestamp {
    "2026-03-02T09:00:00Z".parse().unwrap()
}

fn signup(email: &str) -> Value {
    json!({
        "email": email,
        "password": "correct horse battery staple",
        "company": format!("Company of {email}"),
        "region": "NL",
        "locale": "nl",
        "terms_version": "2023-01",
        "dpa_version": "2023-01",
        "adult": true
    })
}

async fn post(app: &TestApp, path: &str, body: &Value) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .json(body)
        .send()
        .await
        .unwrap()
}

/// Signs in; returns (cookie header value, csrf token).
async fn sign_in(app: &TestApp, email: &str, code: Option<&str>) -> (String, String) {
    let mut body = json!({ "email": email, "password": "correct horse battery staple" });
    if let Some(code) = code {
        body["code"] = json!(code);
    }
    let response = post(app, "/v1/account/session", &body).await;
    assert_eq!(response.status().as_u16(), 201);
    let cookie = response
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    for flag in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(flag), "{flag} missing: {cookie}");
    }
    let body: Value = response.json().await.unwrap();
    let pair = cookie.split(';').next().unwrap().to_string();
    (pair, body["csrf"].as_str().unwrap().to_string())
}

#[tokio::test]
async fn a_customer_signs_up_verifies_signs_in_and_out_with_a_csrf_token_on_changes() {
    let clock = Arc::new(FixedClock::new(t0()));
    let app = spawn_app_with_clock(clock.clone()).await;
    let created = post(&app, "/v1/account/signup", &signup("anna@example.com")).await;
    assert_eq!(created.status().as_u16(), 201);
    let account: Value = created.json().await.unwrap();
    assert_eq!(account["email"], "anna@example.com");
    assert_eq!(account["email_verified"], false);
    assert_eq!(account["terms_version"], "2023-01");

    let id: uuid::Uuid = account["id"].as_str().unwrap().parse().unwrap();
    let token = app.engine.verification_token(id);
    let verified = post(&app, "/v1/account/verify", &json!({ "token": token })).await;
    assert_eq!(verified.status().as_u16(), 200);
    assert_eq!(
        verified.json::<Value>().await.unwrap()["email_verified"],
        true
    );

    // Without a session: 401; with it: the account.
    let (code, _, _) = error_of(app.get("/v1/account").await, 401).await;
    assert_eq!(code, "unauthenticated");
    let (cookie, csrf) = sign_in(&app, "anna@example.com", None).await;
    let me = app
        .client
        .get(app.url("/v1/account"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status().as_u16(), 200);

    // A change without the CSRF token (what a forged cross-site form would send) is refused.
    let forged = app
        .client
        .post(app.url("/v1/account/totp"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    let (code, _, field) = error_of(forged, 403).await;
    assert_eq!(
        (code.as_str(), field.as_deref()),
        ("csrf", Some("x-csrf-token"))
    );

    let out = app
        .client
        .delete(app.url("/v1/account/session"))
        .header("cookie", &cookie)
        .header("x-csrf-token", &csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status().as_u16(), 204);
    assert!(
        out.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0"),
        "the cookie is cleared"
    );
    let after = app
        .client
        .get(app.url("/v1/account"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    error_of(after, 401).await;
}

#[tokio::test]
async fn totp_over_http_and_a_replayed_code_is_refused() {
    let clock = Arc::new(FixedClock::new(t0()));
    let app = spawn_app_with_clock(clock.clone()).await;
    post(&app, "/v1/account/signup", &signup("anna@example.com")).await;
    let (cookie, csrf) = sign_in(&app, "anna@example.com", None).await;
    let enrol = app
        .client
        .post(app.url("/v1/account/totp"))
        .header("cookie", &cookie)
        .header("x-csrf-token", &csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(enrol.status().as_u16(), 201);
    let enrol: Value = enrol.json().await.unwrap();
    let secret = TotpSecret::from_base32(enrol["secret"].as_str().unwrap()).unwrap();
    let code = |at: Timestamp| totp::code_at_step(&secret, totp::step_at(at));
    let confirmed = app
        .client
        .post(app.url("/v1/account/totp/confirm"))
        .header("cookie", &cookie)
        .header("x-csrf-token", &csrf)
        .json(&json!({ "code": code(t0()) }))
        .send()
        .await
        .unwrap();
    assert_eq!(confirmed.status().as_u16(), 200);
    assert_eq!(confirmed.headers()["cache-control"], "no-store");
    let codes: Value = confirmed.json().await.unwrap();
    assert_eq!(codes["recovery_codes"].as_array().unwrap().len(), 10);

    let body = json!({ "email": "anna@example.com", "password": "correct horse battery staple" });
    let (code_name, _, field) = error_of(post(&app, "/v1/account/session", &body).await, 401).await;
    assert_eq!(
        (code_name.as_str(), field.as_deref()),
        ("second_factor_required", Some("code"))
    );
    let later = t0() + SignedDuration::from_secs(30);
    clock.set(later);
    sign_in(&app, "anna@example.com", Some(&code(later))).await;
    let mut replay = body.clone();
    replay["code"] = json!(code(later));
    let (_, message, _) = error_of(post(&app, "/v1/account/session", &replay).await, 401).await;
    assert!(message.contains("already used"), "{message}");
}

#[tokio::test]
async fn bad_input_is_named_and_guessing_is_throttled() {
    let clock = Arc::new(FixedClock::new(t0()));
    let app = spawn_app_with_clock(clock.clone()).await;
    let mut minor = signup("kid@example.com");
    minor["adult"] = json!(false);
    let (_, _, field) = error_of(post(&app, "/v1/account/signup", &minor).await, 422).await;
    assert_eq!(field.as_deref(), Some("adult"));
    let (_, _, field) = error_of(
        post(
            &app,
            "/v1/account/signup",
            &json!({ "email": "x@example.com" }),
        )
        .await,
        422,
    )
    .await;
    assert!(field.is_some());
    let not_json = app
        .client
        .post(app.url("/v1/account/session"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    error_of(not_json, 422).await;

    post(&app, "/v1/account/signup", &signup("anna@example.com")).await;
    let wrong = json!({ "email": "anna@example.com", "password": "not the password" });
    for _ in 0..5 {
        error_of(post(&app, "/v1/account/session", &wrong).await, 401).await;
    }
    let right = json!({ "email": "anna@example.com", "password": "correct horse battery staple" });
    let (code, _, _) = error_of(post(&app, "/v1/account/session", &right).await, 429).await;
    assert_eq!(code, "throttled");
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = spawn_app_with_clock(Arc::new(FixedClock::new(t0()))).await;
    for path in ["/", "/healthz", "/v1/account", "/no/such/page"] {
        let response = app.get(path).await;
        let headers = response.headers();
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("frame-ancestors 'none'") && csp.contains("default-src 'self'"),
            "{path}: {csp}"
        );
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["referrer-policy"], "no-referrer", "{path}");
        assert!(
            headers.get("strict-transport-security").is_none(),
            "no HSTS over plain HTTP"
        );
    }
}

#[tokio::test]
async fn the_verification_link_arrives_in_the_accounts_language_and_new_sign_ins_are_told() {
    let clock = Arc::new(FixedClock::new(t0()));
    let app = spawn_app_with_clock(clock.clone()).await;
    let sink = SmtpSink::start().await;
    post(&app, "/v1/account/signup", &signup("anna@example.com")).await;
    let report = dispatch(&app, &sink).await;
    assert_eq!(report.sent, 1);
    let mails = sink.wait_for(1, MAIL_WAIT).await;
    let mail = read(&mails[0]);
    assert_eq!(mail.to, "anna@example.com");
    assert!(
        mail.subject.starts_with("Bevestig uw e-mailadres"),
        "{}",
        mail.subject
    );
    assert!(
        !mail.headers.contains("List-Unsubscribe"),
        "account mail is not a subscription"
    );

    // The link shows a page with a button (mail scanners open links); the button verifies.
    let url = link(&mail.body, "/account/verify");
    let page = app.client.get(&url).send().await.unwrap();
    assert_eq!(page.status().as_u16(), 200);
    let page = page.text().await.unwrap();
    assert!(
        page.contains("<form method=\"post\"") && page.contains("Mijn adres bevestigen"),
        "{page}"
    );
    let token = url
        .split("token=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap()
        .to_string();
    let done = post_form(
        &app,
        &app.url("/account/verify"),
        &[("token", &token), ("lang", "nl")],
    )
    .await;
    assert_eq!(done.status().as_u16(), 200);
    assert!(done.text().await.unwrap().contains("Adres bevestigd"));
    let tampered = post_form(
        &app,
        &app.url("/account/verify"),
        &[("token", "AAAA"), ("lang", "nl")],
    )
    .await;
    assert_eq!(tampered.status().as_u16(), 422);

    // The first sign-in is expected; one from a new browser is told, with where to report it.
    let ua = |browser: &str| {
        let app = &app;
        let browser = browser.to_string();
        async move {
            app.client
                .post(app.url("/v1/account/session"))
                .header("user-agent", browser)
                .json(&json!({ "email": "anna@example.com", "password": "correct horse battery staple" }))
                .send()
                .await
                .unwrap()
        }
    };
    assert_eq!(ua("Firefox/140").await.status().as_u16(), 201);
    assert_eq!(dispatch(&app, &sink).await.sent, 0);
    assert_eq!(ua("Safari/19").await.status().as_u16(), 201);
    assert_eq!(dispatch(&app, &sink).await.sent, 1);
    let mails = sink.wait_for(2, MAIL_WAIT).await;
    let alert = read(&mails[1]);
    assert!(
        alert.subject.starts_with("Nieuwe aanmelding"),
        "{}",
        alert.subject
    );
    assert!(
        alert.body.contains("2026-03-02 09:00 UTC"),
        "{}",
        alert.body
    );
    assert!(
        alert.body.contains("security@messagebird.com")
            && alert.body.contains("Urgent: account credentials"),
        "{}",
        alert.body
    );
}

#[tokio::test]
async fn a_forgotten_password_is_reset_by_a_link_that_works_once_and_ends_every_session() {
    let clock = Arc::new(FixedClock::new(t0()));
    let app = spawn_app_with_clock(clock.clone()).await;
    let sink = SmtpSink::start().await;
    post(&app, "/v1/account/signup", &signup("anna@example.com")).await;
    let (cookie, _) = sign_in(&app, "anna@example.com", None).await;
    dispatch(&app, &sink).await; // the verification mail
    sink.wait_for(1, MAIL_WAIT).await;

    // The same answer for a known and an unknown address; only the known one gets a mail.
    for email in ["anna@example.com", "nobody@example.com", "anna@example.com"] {
        let r = post(
            &app,
            "/v1/account/password/reset",
            &json!({ "email": email }),
        )
        .await;
        assert_eq!(r.status().as_u16(), 202);
    }
    assert_eq!(
        dispatch(&app, &sink).await.sent,
        1,
        "one link per ten minutes"
    );
    let mails = sink.wait_for(2, MAIL_WAIT).await;
    let mail = read(&mails[1]);
    assert!(
        mail.subject.starts_with("Stel een nieuw wachtwoord in"),
        "{}",
        mail.subject
    );
    let url = link(&mail.body, "/account/reset");
    let page = app
        .client
        .get(&url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("type=\"password\"") && page.contains("Wachtwoord instellen"),
        "{page}"
    );
    let token = url
        .split("token=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap()
        .to_string();

    let weak = post_form(
        &app,
        &app.url("/account/reset"),
        &[("token", &token), ("lang", "nl"), ("password", "short")],
    )
    .await;
    assert_eq!(weak.status().as_u16(), 422);
    assert!(weak.text().await.unwrap().contains("12 tot 256 tekens"));
    let done = post_form(
        &app,
        &app.url("/account/reset"),
        &[
            ("token", &token),
            ("lang", "nl"),
            ("password", "a brand new pass phrase"),
        ],
    )
    .await;
    assert_eq!(done.status().as_u16(), 200);
    assert!(done.text().await.unwrap().contains("Wachtwoord gewijzigd"));
    // The old session is over; the old password no longer works; the link works once.
    let me = app
        .client
        .get(app.url("/v1/account"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    error_of(me, 401).await;
    let old = json!({ "email": "anna@example.com", "password": "correct horse battery staple" });
    error_of(post(&app, "/v1/account/session", &old).await, 401).await;
    let new = json!({ "email": "anna@example.com", "password": "a brand new pass phrase" });
    assert_eq!(
        post(&app, "/v1/account/session", &new)
            .await
            .status()
            .as_u16(),
        201
    );
    let again = post_form(
        &app,
        &app.url("/account/reset"),
        &[
            ("token", &token),
            ("lang", "nl"),
            ("password", "yet another pass phrase"),
        ],
    )
    .await;
    assert_eq!(again.status().as_u16(), 422);
    let (_, _, field) = error_of(
        post(
            &app,
            "/v1/account/password/reset",
            &json!({ "email": "not an address" }),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(field.as_deref(), Some("email"));
}
