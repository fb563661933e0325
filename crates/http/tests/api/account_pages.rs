//! The account pages people use in a browser: they render in every language, take plain form
//! posts, refuse forms from other sites and changes without the session's CSRF token, and say
//! what went wrong next to the field at fault with the right status.

use std::sync::Arc;

use custodian_core::FixedClock;
use custodian_engine::totp::{self, TotpSecret};
use jiff::{SignedDuration, Timestamp};
use serde_json::json;

use crate::helpers::{TestApp, spawn_app_with_clock};

const PASSWORD: &str = "correct horse battery staple";

fn t0() -> Timestamp {
    "2026-03-02T09:00:00Z".parse().unwrap()
}

/// A client that shows redirects instead of following them.
fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// A customer signed up over the API.
async fn customer(app: &TestApp, email: &str) {
    let created = app
        .client
        .post(app.url("/v1/account/signup"))
        .json(&json!({
            "email": email, "password": PASSWORD, "company": "Pages B.V.",
            "terms_version": "2023-01", "dpa_version": "2023-01", "adult": true
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status().as_u16(), 201);
}

/// Posts a form, as a browser on this site would (or not, with `extra` headers).
async fn post_form(
    app: &TestApp,
    path: &str,
    form: &[(&str, &str)],
    headers: &[(&str, &str)],
) -> reqwest::Response {
    let mut request = client().post(app.url(path)).form(form);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

/// Signs in through the page; returns the `name=value` of the session cookie.
async fn page_sign_in(app: &TestApp, email: &str, code: Option<&str>) -> String {
    let mut form = vec![("email", email), ("password", PASSWORD), ("lang", "en")];
    if let Some(code) = code {
        form.push(("code", code));
    }
    let response = post_form(app, "/account/sign-in", &form, &[]).await;
    assert_eq!(response.status().as_u16(), 303, "signing in");
    assert_eq!(response.headers()["location"], "/account");
    assert_eq!(response.headers()["cache-control"], "no-store");
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_string();
    for flag in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(flag), "{flag} missing: {cookie}");
    }
    cookie.split(';').next().unwrap().to_string()
}

async fn get_redirectless(app: &TestApp, path: &str) -> reqwest::Response {
    client().get(app.url(path)).send().await.unwrap()
}

async fn get_with(app: &TestApp, path: &str, cookie: &str) -> reqwest::Response {
    client()
        .get(app.url(path))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
}

/// The value of the hidden input `name` on a page.
fn hidden(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} field in:\n{page}"))
        + marker.len();
    page[start..].split('"').next().unwrap().to_string()
}

/// The page's status, its HTML, and checks every page shares.
async fn html(response: reqwest::Response, status: u16) -> String {
    assert_eq!(response.status().as_u16(), status, "{}", response.url());
    let headers = response.headers().clone();
    assert_eq!(headers["cache-control"], "no-store", "{}", response.url());
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html"),
        "{}",
        response.url()
    );
    let page = response.text().await.unwrap();
    // The policy allows no inline script or style: the pages have none.
    assert!(
        !page.contains("<script") && !page.contains(" style="),
        "{page}"
    );
    page
}

#[tokio::test]
async fn every_account_page_renders_in_every_language() {
    let app = spawn_app_with_clock(Arc::new(FixedClock::new(t0()))).await;
    customer(&app, "anna@example.com").await;
    let cookie = page_sign_in(&app, "anna@example.com", None).await;
    let headings = [
        (
            "en",
            "Sign in",
            "Create an account",
            "Your account",
            "Set up two-factor authentication",
        ),
        (
            "nl",
            "Inloggen",
            "Account aanmaken",
            "Uw account",
            "Tweestapsverificatie instellen",
        ),
        ("zh-CN", "登录", "创建账户", "您的账户", "设置双重身份验证"),
        (
            "id",
            "Masuk",
            "Buat akun",
            "Akun Anda",
            "Siapkan autentikasi dua faktor",
        ),
    ];
    for (lang, sign_in, sign_up, account, totp) in headings {
        let lang_attr = format!("<html lang=\"{lang}\">");

        let page = html(app.get(&format!("/account/sign-in?lang={lang}")).await, 200).await;
        assert!(page.contains(&lang_attr), "{lang}: {page}");
        assert!(
            page.contains(&format!("<h1>{sign_in}</h1>")),
            "{lang}: {page}"
        );
        for needle in [
            "<label for=\"email\">",
            "id=\"email\" name=\"email\" type=\"email\"",
            "autocomplete=\"username\"",
            "autocomplete=\"current-password\"",
            "autocomplete=\"one-time-code\"",
            "aria-describedby=\"code-hint\"",
            "action=\"/account/sign-in\"",
            &format!("name=\"lang\" value=\"{lang}\""),
        ] {
            assert!(page.contains(needle), "{lang}: no {needle} in {page}");
        }

        let page = html(app.get(&format!("/account/sign-up?lang={lang}")).await, 200).await;
        assert!(page.contains(&lang_attr), "{lang}");
        assert!(
            page.contains(&format!("<h1>{sign_up}</h1>")),
            "{lang}: {page}"
        );
        for needle in [
            "autocomplete=\"new-password\"",
            "name=\"terms_version\" value=\"2023-01\"",
            "name=\"dpa_version\" value=\"2023-01\"",
            "name=\"adult\" value=\"yes\"",
            "aria-describedby=\"password-hint\"",
            "<option value=\"zh-CN\" lang=\"zh-CN\"",
            &format!("<option value=\"{lang}\" lang=\"{lang}\" selected>"),
        ] {
            assert!(page.contains(needle), "{lang}: no {needle} in {page}");
        }

        let page = html(
            get_with(&app, &format!("/account?lang={lang}"), &cookie).await,
            200,
        )
        .await;
        assert!(page.contains(&lang_attr), "{lang}");
        assert!(
            page.contains(&format!("<h1>{account}</h1>")),
            "{lang}: {page}"
        );
        assert!(page.contains("<span id=\"account-email\">anna@example.com</span>"));
        assert!(
            page.contains("data-on=\"false\""),
            "{lang}: the second factor is off"
        );
        assert!(
            page.contains("href=\"/account/totp?lang="),
            "{lang}: a link to set it up"
        );
        assert!(
            page.contains("2026-03-02 09:30 UTC") && page.contains("2026-03-02 21:00 UTC"),
            "{lang}: the session's ends (30 minutes unused, 12 hours at most): {page}"
        );
        assert!(!hidden(&page, "csrf").is_empty());

        let page = html(
            get_with(&app, &format!("/account/totp?lang={lang}"), &cookie).await,
            200,
        )
        .await;
        assert!(page.contains(&lang_attr), "{lang}");
        assert!(page.contains(&format!("<h1>{totp}</h1>")), "{lang}: {page}");
        // (`/` is written `&#x2f;` in attributes and text, which browsers read alike.)
        assert!(
            page.contains("otpauth:") && page.contains("Custodian:anna%40example.com?secret="),
            "{page}"
        );
        TotpSecret::from_base32(&hidden(&page, "secret")).expect("a base32 secret");
    }

    // Without `?lang=`, the browser's languages decide.
    let page = client()
        .get(app.url("/account/sign-in"))
        .header("accept-language", "fr-FR, nl-BE;q=0.8, en;q=0.5")
        .send()
        .await
        .unwrap();
    let page = html(page, 200).await;
    assert!(page.contains("<html lang=\"nl\">"), "{page}");
    // Signed-in pages send those who are not to the sign-in page.
    for path in ["/account", "/account/totp"] {
        let response = get_redirectless(&app, path).await;
        assert_eq!(response.status().as_u16(), 303, "{path}");
        assert_eq!(response.headers()["location"], "/account/sign-in", "{path}");
    }
}

#[tokio::test]
async fn a_sign_in_form_posted_from_another_site_is_refused() {
    let app = spawn_app_with_clock(Arc::new(FixedClock::new(t0()))).await;
    customer(&app, "anna@example.com").await;
    let form = [
        ("email", "anna@example.com"),
        ("password", PASSWORD),
        ("lang", "en"),
    ];
    for headers in [
        &[("origin", "https://evil.example")][..],
        &[
            ("sec-fetch-site", "cross-site"),
            ("origin", "https://evil.example"),
        ][..],
        &[("origin", "null")][..],
    ] {
        let response = post_form(&app, "/account/sign-in", &form, headers).await;
        assert!(
            response.headers().get("set-cookie").is_none(),
            "{headers:?}"
        );
        let page = html(response, 403).await;
        assert!(
            page.contains("It was sent from another site"),
            "{headers:?}: {page}"
        );
    }
    // The same form from this site signs in.
    let origin = app.address.clone();
    let response = post_form(&app, "/account/sign-in", &form, &[("origin", &origin)]).await;
    assert_eq!(response.status().as_u16(), 303);
    let response = post_form(
        &app,
        "/account/sign-in",
        &form,
        &[("sec-fetch-site", "same-origin")],
    )
    .await;
    assert_eq!(response.status().as_u16(), 303);
    // Something that is not a form gets a page saying so, not a failure.
    let not_a_form = client()
        .post(app.url("/account/sign-in"))
        .json(&json!({ "email": "anna@example.com" }))
        .send()
        .await
        .unwrap();
    let page = html(not_a_form, 415).await;
    assert!(page.contains("The form could not be read."), "{page}");
    // Sign-up is guarded alike.
    let response = post_form(
        &app,
        "/account/sign-up",
        &[("email", "mallory@example.com")],
        &[("sec-fetch-site", "cross-site")],
    )
    .await;
    html(response, 403).await;
}

#[tokio::test]
async fn a_wrong_password_is_told_with_401_and_guessing_with_429() {
    let app = spawn_app_with_clock(Arc::new(FixedClock::new(t0()))).await;
    customer(&app, "anna@example.com").await;
    let response = post_form(
        &app,
        "/account/sign-in",
        &[
            ("email", "anna@example.com"),
            ("password", "not the password"),
            ("lang", "en"),
        ],
        &[],
    )
    .await;
    assert!(response.headers().get("set-cookie").is_none());
    let page = html(response, 401).await;
    assert!(
        page.contains(
            "<p class=\"alert\" id=\"form-error\" role=\"alert\">The e-mail address or the password is not right.</p>"
        ),
        "{page}"
    );
    assert!(
        page.contains("aria-invalid=\"true\" aria-describedby=\"form-error\""),
        "{page}"
    );
    assert!(
        page.contains("value=\"anna@example.com\""),
        "the address is kept"
    );
    assert!(
        !page.contains("not the password"),
        "the password is never sent back"
    );

    // In Dutch, and then too many attempts: 429 with Retry-After, even for the right password.
    for _ in 0..4 {
        let response = post_form(
            &app,
            "/account/sign-in",
            &[
                ("email", "anna@example.com"),
                ("password", "still not it"),
                ("lang", "nl"),
            ],
            &[],
        )
        .await;
        let page = html(response, 401).await;
        assert!(page.contains("Het e-mailadres of het wachtwoord klopt niet."));
    }
    let response = post_form(
        &app,
        "/account/sign-in",
        &[
            ("email", "anna@example.com"),
            ("password", PASSWORD),
            ("lang", "en"),
        ],
        &[],
    )
    .await;
    assert_eq!(response.headers()["retry-after"], "900");
    let page = html(response, 429).await;
    assert!(
        page.contains("Too many failed attempts to sign in."),
        "{page}"
    );
}

#[tokio::test]
async fn a_sign_up_without_the_attestation_is_told_next_to_the_field() {
    let app = spawn_app_with_clock(Arc::new(FixedClock::new(t0()))).await;
    let mut form = vec![
        ("company", "Pages B.V."),
        ("email", "new@example.com"),
        ("password", PASSWORD),
        ("locale", "id"),
        ("terms_version", "2023-01"),
        ("dpa_version", "2023-01"),
        ("lang", "en"),
    ];
    let page = html(post_form(&app, "/account/sign-up", &form, &[]).await, 422).await;
    assert!(
        page.contains("aria-invalid=\"true\" aria-describedby=\"adult-error\""),
        "{page}"
    );
    assert!(
        page.contains(
            "<p class=\"field-error\" id=\"adult-error\">Accounts are only for people aged 18 or over. Please confirm that you are.</p>"
        ),
        "{page}"
    );
    assert!(
        page.contains("value=\"Pages B.V.\"") && page.contains("value=\"new@example.com\""),
        "what was typed is kept"
    );
    assert!(
        page.contains("<option value=\"id\" lang=\"id\" selected>"),
        "{page}"
    );
    assert!(!page.contains(PASSWORD), "the password is never sent back");
    // No account was made.
    let sign_in = post_form(
        &app,
        "/account/sign-in",
        &[("email", "new@example.com"), ("password", PASSWORD)],
        &[],
    )
    .await;
    assert_eq!(sign_in.status().as_u16(), 401);

    // The Terms not accepted: told next to their box, in Chinese.
    let mut no_terms = form.clone();
    no_terms.retain(|(k, _)| *k != "terms_version" && *k != "lang");
    no_terms.extend([("adult", "yes"), ("lang", "zh-CN")]);
    let page = html(
        post_form(&app, "/account/sign-up", &no_terms, &[]).await,
        422,
    )
    .await;
    assert!(
        page.contains("id=\"terms-error\">请接受现行服务条款后继续。</p>"),
        "{page}"
    );

    form.push(("adult", "yes"));
    let page = html(post_form(&app, "/account/sign-up", &form, &[]).await, 201).await;
    assert!(page.contains("<h1>Check your inbox</h1>"), "{page}");
    assert!(page.contains("new@example.com"));
    // The same address again: told at the e-mail field, 409.
    let page = html(post_form(&app, "/account/sign-up", &form, &[]).await, 409).await;
    assert!(page.contains("id=\"email-error\">An account with this address exists already."));
}

#[tokio::test]
async fn signing_out_needs_the_sessions_csrf_token() {
    let app = spawn_app_with_clock(Arc::new(FixedClock::new(t0()))).await;
    customer(&app, "anna@example.com").await;
    let cookie = page_sign_in(&app, "anna@example.com", None).await;
    let page = html(get_with(&app, "/account", &cookie).await, 200).await;
    let csrf = hidden(&page, "csrf");

    for bad in ["", "AAAAAAAAAAAAAAAAAAAAAA", &csrf[1..]] {
        let response = client()
            .post(app.url("/account/sign-out"))
            .header("cookie", &cookie)
            .form(&[("csrf", bad), ("lang", "en")])
            .send()
            .await
            .unwrap();
        assert!(response.headers().get("set-cookie").is_none());
        let page = html(response, 403).await;
        assert!(page.contains("This form cannot be accepted"), "{page}");
        // The session goes on.
        assert_eq!(
            get_with(&app, "/account", &cookie).await.status().as_u16(),
            200
        );
    }

    let response = client()
        .post(app.url("/account/sign-out"))
        .header("cookie", &cookie)
        .form(&[("csrf", csrf.as_str()), ("lang", "en")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(
        response.headers()["location"],
        "/account/sign-in?signed_out=1"
    );
    assert!(
        response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    let after = get_with(&app, "/account", &cookie).await;
    assert_eq!(after.status().as_u16(), 303, "the session is over");
    let page = html(
        get_redirectless(&app, "/account/sign-in?signed_out=1").await,
        200,
    )
    .await;
    assert!(page.contains("You have signed out."));
}

#[tokio::test]
async fn the_second_factor_is_set_up_and_asked_for_on_the_pages() {
    let clock = Arc::new(FixedClock::new(t0()));
    let app = spawn_app_with_clock(clock.clone()).await;
    customer(&app, "anna@example.com").await;
    let cookie = page_sign_in(&app, "anna@example.com", None).await;

    let page = html(get_with(&app, "/account/totp", &cookie).await, 200).await;
    let csrf = hidden(&page, "csrf");
    let base32 = hidden(&page, "secret");
    let secret = TotpSecret::from_base32(&base32).unwrap();
    let code = |at: Timestamp| totp::code_at_step(&secret, totp::step_at(at));
    let confirm = |form: Vec<(&'static str, String)>| {
        let app = &app;
        let cookie = cookie.clone();
        async move {
            client()
                .post(app.url("/account/totp"))
                .header("cookie", cookie)
                .form(&form)
                .send()
                .await
                .unwrap()
        }
    };

    // Without the CSRF token: refused. A wrong code: the same key shown again, with the error.
    let response = confirm(vec![("code", code(t0())), ("secret", base32.clone())]).await;
    html(response, 403).await;
    let wrong = if code(t0()) == "000000" {
        "111111"
    } else {
        "000000"
    };
    let response = confirm(vec![
        ("csrf", csrf.clone()),
        ("code", wrong.to_string()),
        ("secret", base32.clone()),
    ])
    .await;
    let page = html(response, 422).await;
    assert!(
        page.contains("id=\"code-error\" role=\"alert\">That code is not right."),
        "{page}"
    );
    assert_eq!(hidden(&page, "secret"), base32);

    let response = confirm(vec![
        ("csrf", csrf.clone()),
        ("code", code(t0())),
        ("secret", base32.clone()),
        ("lang", "id".to_string()),
    ])
    .await;
    let page = html(response, 200).await;
    assert!(
        page.contains("<h1>Autentikasi dua faktor aktif</h1>"),
        "{page}"
    );
    let recovery: Vec<&str> = page
        .split("<li><code>")
        .skip(1)
        .map(|s| s.split('<').next().unwrap())
        .collect();
    assert_eq!(recovery.len(), 10, "{page}");
    let page = html(get_with(&app, "/account", &cookie).await, 200).await;
    assert!(page.contains("data-on=\"true\">On</span>"), "{page}");

    // Signing in now asks for the code: the form again, the code field highlighted.
    let response = post_form(
        &app,
        "/account/sign-in",
        &[
            ("email", "anna@example.com"),
            ("password", PASSWORD),
            ("lang", "en"),
        ],
        &[],
    )
    .await;
    assert!(response.headers().get("set-cookie").is_none());
    let page = html(response, 401).await;
    assert!(page.contains("<div class=\"field highlight\">"), "{page}");
    assert!(
        page.contains("aria-describedby=\"code-error code-hint\" aria-invalid=\"true\""),
        "{page}"
    );
    assert!(
        page.contains("Enter the code from your authenticator app"),
        "{page}"
    );

    // A wrong code, then a replayed one, then the right one; and a recovery code.
    let later = t0() + SignedDuration::from_secs(30);
    clock.set(later);
    let refused = post_form(
        &app,
        "/account/sign-in",
        &[
            ("email", "anna@example.com"),
            ("password", PASSWORD),
            ("code", wrong),
        ],
        &[],
    )
    .await;
    let page = html(refused, 401).await;
    assert!(page.contains("That code is not right."), "{page}");
    let replayed = post_form(
        &app,
        "/account/sign-in",
        &[
            ("email", "anna@example.com"),
            ("password", PASSWORD),
            ("code", &code(t0())),
        ],
        &[],
    )
    .await;
    let page = html(replayed, 401).await;
    assert!(page.contains("That code was used already."), "{page}");
    page_sign_in(&app, "anna@example.com", Some(&code(later))).await;
    page_sign_in(&app, "anna@example.com", Some(recovery[0])).await;

    // Once on, the set-up page says so.
    let page = html(get_with(&app, "/account/totp", &cookie).await, 200).await;
    assert!(
        page.contains("<h1>Two-factor authentication is on</h1>"),
        "{page}"
    );
    assert!(!page.contains("otpauth://"));
}
