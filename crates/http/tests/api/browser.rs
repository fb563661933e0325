//! Pages in a real browser: headless Chromium (Debian's, installed by `scripts/test-all.sh`;
//! `CUSTODIAN_CHROMIUM` names another binary) renders the statement in every locale, and a
//! person signs in with a TOTP code through Playwright (`tests/browser/login-totp.mjs`), and a
//! member of staff works the staff console in English and Chinese (`tests/browser/console.mjs`).
//! The screenshots are kept under `target/screenshots/` for people to look at.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use custodian_engine::accounts::SignUp;
use custodian_engine::totp::{self, TotpSecret};

use crate::helpers::spawn_app;

fn chromium() -> PathBuf {
    let path = std::env::var_os("CUSTODIAN_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    assert!(
        path.exists(),
        "Chromium is needed for the browser tests: run scripts/test-all.sh (it installs Debian's chromium), or set CUSTODIAN_CHROMIUM"
    );
    path
}

/// Renders `url` headless into a PNG at `out` and returns its bytes.
fn screenshot(url: &str, out: &Path, profile: &Path) -> Vec<u8> {
    let status = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--window-size=1200,1600",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--screenshot={}", out.display()))
        .arg(url)
        .output()
        .expect("Chromium starts");
    assert!(
        status.status.success(),
        "Chromium failed on {url}: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    std::fs::read(out).expect("Chromium wrote the screenshot")
}

#[tokio::test]
async fn the_statement_renders_in_chromium_in_every_locale() {
    let app = spawn_app().await;
    let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&shots).expect("screenshot directory");
    let profiles = tempfile::tempdir().expect("profile directory");
    let mut sizes = Vec::new();
    for lang in ["en", "nl", "zh-CN", "id"] {
        let url = app.url(&format!("/privacy?lang={lang}"));
        let out = shots.join(format!("privacy-{lang}.png"));
        let profile = profiles.path().join(lang);
        let png = tokio::task::spawn_blocking(move || screenshot(&url, &out, &profile))
            .await
            .expect("screenshot thread");
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{lang}: a PNG");
        // A blank or error page compresses to a few kilobytes; a rendered statement does not.
        assert!(png.len() > 60_000, "{lang}: only {} bytes", png.len());
        sizes.push(png.len());
    }
    // Four languages, four different pictures.
    sizes.sort_unstable();
    sizes.dedup();
    assert_eq!(sizes.len(), 4, "the four locales render differently");
}

/// The repository's root, two levels above this crate.
fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the repository root")
}

#[tokio::test]
async fn a_person_signs_in_with_a_totp_code_in_chromium_driven_by_playwright() {
    let root = repo_root();
    let browser_tests = root.join("tests/browser");
    assert!(
        browser_tests.join("node_modules/playwright-core").is_dir(),
        "Playwright is not installed in {}: run scripts/test-all.sh (it installs Node.js and runs \
         `npm ci` there)",
        browser_tests.join("node_modules").display()
    );
    let chromium = chromium();

    // A verified customer account whose second factor is confirmed, as a person would have it.
    // The code confirming it is the previous step's, so that the current one, which the browser
    // uses, has not been used yet.
    let app = spawn_app().await;
    let (email, password) = ("browser@example.com", "correct horse battery staple");
    let settings = app.engine.account_settings().clone();
    let account = app
        .engine
        .sign_up(SignUp {
            email: email.into(),
            password: password.into(),
            company: "Browser Test B.V.".into(),
            region: Some("NL".into()),
            locale: "en".into(),
            terms_version: settings.terms_version,
            dpa_version: settings.dpa_version,
            adult: true,
        })
        .await
        .unwrap();
    app.engine
        .verify_email(&app.engine.verification_token(account.id))
        .await
        .unwrap();
    let enrolment = app.engine.enrol_totp(&account).await.unwrap();
    let secret = TotpSecret::from_base32(&enrolment.secret).unwrap();
    let previous = totp::step_at(jiff::Timestamp::now()) - 1;
    let codes = app
        .engine
        .confirm_totp(account.id, &totp::code_at_step(&secret, previous))
        .await
        .unwrap();
    assert_eq!(codes.len(), 10);

    let shots = root.join("target/screenshots");
    let run = tokio::process::Command::new("node")
        .arg(browser_tests.join("login-totp.mjs"))
        .current_dir(&browser_tests)
        .env("CUSTODIAN_BASE_URL", &app.address)
        .env("CUSTODIAN_EMAIL", email)
        .env("CUSTODIAN_PASSWORD", password)
        .env("CUSTODIAN_TOTP_SECRET", &enrolment.secret)
        .env("CUSTODIAN_CHROMIUM", &chromium)
        .env("CUSTODIAN_SCREENSHOTS", &shots)
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(Duration::from_secs(180), run)
        .await
        .expect("the Playwright script finishes within three minutes")
        .unwrap_or_else(|e| {
            panic!(
                "`node` does not run ({e}): run scripts/test-all.sh (it installs Node.js and npm)"
            )
        });
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the browser sign-in failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
    assert!(stdout.contains("every check passed"), "{stdout}\n{stderr}");
    for name in ["login-sign-in", "login-code-prompt", "login-account"] {
        let png = std::fs::read(shots.join(format!("{name}.png")))
            .unwrap_or_else(|e| panic!("the screenshot {name}.png: {e}"));
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{name}: a PNG");
        assert!(png.len() > 10_000, "{name}: only {} bytes", png.len());
    }
}

/// A member of staff with a confirmed second factor, as stored now, and the TOTP secret. The
/// code confirming it is the previous step's, so that the current one is still unused.
async fn staff_member(
    app: &crate::helpers::TestApp,
    email: &str,
    role: &str,
) -> (custodian_store::AccountRow, String) {
    let (account, enrolment) = app
        .engine
        .create_staff(
            &custodian_engine::Actor::Cli,
            email,
            "a long staff pass phrase",
            &[role.to_string()],
            "en",
        )
        .await
        .unwrap();
    let secret = TotpSecret::from_base32(&enrolment.secret).unwrap();
    let previous = totp::step_at(jiff::Timestamp::now()) - 1;
    app.engine
        .confirm_totp(account.id, &totp::code_at_step(&secret, previous))
        .await
        .unwrap();
    let account = app
        .engine
        .store()
        .account(account.id)
        .await
        .unwrap()
        .unwrap();
    (account, enrolment.secret)
}

#[tokio::test]
async fn the_staff_console_in_chromium_in_english_and_chinese_driven_by_playwright() {
    use custodian_engine::access::Action;
    use custodian_engine::disclosure::DisclosureIntake;

    let root = repo_root();
    let browser_tests = root.join("tests/browser");
    assert!(
        browser_tests.join("node_modules/playwright-core").is_dir(),
        "Playwright is not installed in {}: run scripts/test-all.sh",
        browser_tests.join("node_modules").display()
    );
    let chromium = chromium();

    // Colleagues and their work: something on every page.
    let app = spawn_app().await;
    let engine = &app.engine;
    let (officer, secret) =
        staff_member(&app, "officer@custodian.example", "compliance-officer").await;
    let (support, _) = staff_member(&app, "support@custodian.example", "support").await;
    let (lawyer, _) = staff_member(&app, "lawyer@custodian.example", "legal").await;
    let (tenant, _) = app.tenant_with_key("Acme B.V.", &["records:read"]).await;
    let settings = engine.account_settings().clone();
    engine
        .sign_up(SignUp {
            email: "owner@shop.example".into(),
            password: "correct horse battery staple".into(),
            company: "Shop B.V.".into(),
            region: Some("NL".into()),
            locale: "en".into(),
            terms_version: settings.terms_version,
            dpa_version: settings.dpa_version,
            adult: true,
        })
        .await
        .unwrap();
    let minutes = jiff::SignedDuration::from_mins;
    engine
        .request_grant(
            &support,
            Action::ReadPersonalData,
            Some(tenant),
            "ticket SUP-9: the caller asks what we hold",
            minutes(30),
        )
        .await
        .unwrap();
    engine
        .request_grant(
            &officer,
            Action::ReadPersonalData,
            None,
            "quarterly access review, ticket CO-12",
            minutes(120),
        )
        .await
        .unwrap();
    engine
        .request_four_eyes(
            &lawyer,
            "purge-tenant",
            Some(tenant),
            serde_json::json!({}),
            "contract ended; ticket LEG-4",
        )
        .await
        .unwrap();
    let case = engine
        .report_compromise(
            "owner@shop.example",
            "I received a sign-in alert from a country I have never visited.",
            "form",
        )
        .await
        .unwrap();
    engine
        .note_case(
            &support,
            case,
            "Called the owner: they confirm the report. Lock-down in place.",
            false,
        )
        .await
        .unwrap();
    for raw in [
        "From: Ana Parent <parent@home.example>\r\nTo: privacy@messagebird.com\r\nSubject: Children\r\n\r\nMy son is 12 and signed up for your service.\r\n",
        "From: buyer@shop.example\r\nTo: privacy@messagebird.com\r\nSubject: Dispute\r\n\r\nI object to how my data was shared.\r\n",
    ] {
        engine
            .intake_mail(
                raw.as_bytes(),
                &["privacy@messagebird.com".to_string()],
                "mail",
            )
            .await
            .unwrap();
    }
    let intake = |authority: &str, kind: &str, country: &str, instrument: &str, reference: &str| {
        DisclosureIntake {
            authority: authority.into(),
            authority_type: kind.into(),
            country: country.into(),
            instrument: instrument.into(),
            reference: reference.into(),
            tenant,
            categories: vec!["phone-number".into()],
            period_from: Some("2026-01-01".parse().unwrap()),
            period_to: Some("2026-01-31".parse().unwrap()),
        }
    };
    let disclosure = engine
        .intake_disclosure(
            &lawyer,
            intake(
                "Politie Amsterdam",
                "law-enforcement",
                "NL",
                "production-order",
                "PO-2026-17",
            ),
        )
        .await
        .unwrap();
    let refused = engine
        .intake_disclosure(
            &lawyer,
            intake("County Sheriff", "law-enforcement", "US", "letter", "CS-88"),
        )
        .await
        .unwrap();
    engine
        .review_disclosure(
            &lawyer,
            refused.id,
            false,
            "not enforceable here",
            Some("We cannot answer a letter from outside our jurisdiction; use an MLAT request."),
        )
        .await
        .unwrap();

    let shots = root.join("target/screenshots");
    let run = tokio::process::Command::new("node")
        .arg(browser_tests.join("console.mjs"))
        .current_dir(&browser_tests)
        .env("CUSTODIAN_BASE_URL", &app.address)
        .env("CUSTODIAN_EMAIL", "officer@custodian.example")
        .env("CUSTODIAN_PASSWORD", "a long staff pass phrase")
        .env("CUSTODIAN_TOTP_SECRET", &secret)
        .env("CUSTODIAN_CASE", case.to_string())
        .env("CUSTODIAN_DISCLOSURE", disclosure.id.to_string())
        .env("CUSTODIAN_CHROMIUM", &chromium)
        .env("CUSTODIAN_SCREENSHOTS", &shots)
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(Duration::from_secs(240), run)
        .await
        .expect("the Playwright script finishes within four minutes")
        .unwrap_or_else(|e| panic!("`node` does not run ({e}): run scripts/test-all.sh"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the console in the browser failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
    assert!(stdout.contains("every check passed"), "{stdout}\n{stderr}");
    let mut names: Vec<String> = [
        "overview",
        "approvals",
        "grants",
        "grants-all",
        "cases",
        "case",
        "audit",
        "disclosures",
        "disclosure",
    ]
    .iter()
    .flat_map(|p| ["en", "zh-CN"].map(|l| format!("console-{p}-{l}")))
    .collect();
    names.extend(
        [
            "console-approvals-refused-en",
            "console-approvals-approved-en",
            "console-audit-error-en",
        ]
        .map(String::from),
    );
    for name in names {
        let png = std::fs::read(shots.join(format!("{name}.png")))
            .unwrap_or_else(|e| panic!("the screenshot {name}.png: {e}"));
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{name}: a PNG");
        assert!(png.len() > 10_000, "{name}: only {} bytes", png.len());
    }
    // The colleague's request the browser approved is approved (or carried out, for a grant).
    let decided = engine.approvals(&officer, None).await.unwrap();
    assert!(
        decided
            .iter()
            .any(|a| a.requested_by != officer.id
                && matches!(a.state.as_str(), "approved" | "executed")),
        "nothing was approved"
    );
}

/// The `name=value` of the session cookie of a customer's account holder signed in over the API.
async fn customer_cookie(app: &crate::helpers::TestApp, email: &str) -> String {
    let response = app
        .client
        .post(app.url("/v1/account/session"))
        .json(&serde_json::json!({ "email": email, "password": "correct horse battery staple" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201, "signing {email} in");
    response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn requests_at_the_privacy_center_the_dashboard_and_the_console_in_chromium_driven_by_playwright()
 {
    use custodian_engine::Principal;
    use custodian_engine::records::IngestRecord;
    use custodian_engine::rights::{Attachment, Channel, NewRequest, Requester};
    use custodian_testkit::smtp::SmtpSink;

    let root = repo_root();
    let browser_tests = root.join("tests/browser");
    assert!(
        browser_tests.join("node_modules/playwright-core").is_dir(),
        "Playwright is not installed in {}: run scripts/test-all.sh",
        browser_tests.join("node_modules").display()
    );
    let chromium = chromium();

    // A customer whose end users' messages the platform carries, with a request done and one
    // waiting for corrections; a letter to the platform, received weeks ago and not yet
    // verified; and a member of staff.
    let app = spawn_app().await;
    let engine = &app.engine;
    let sink = SmtpSink::start().await;
    let settings = engine.account_settings().clone();
    let customer = engine
        .sign_up(SignUp {
            email: "owner@texts.example".into(),
            password: "correct horse battery staple".into(),
            company: "Texts B.V.".into(),
            region: Some("NL".into()),
            locale: "en".into(),
            terms_version: settings.terms_version,
            dpa_version: settings.dpa_version,
            adult: true,
        })
        .await
        .unwrap();
    let tenant = customer.tenant.unwrap();
    let record = |product: &str, phone: &str, data: serde_json::Value| -> IngestRecord {
        serde_json::from_value(serde_json::json!({
            "product": product,
            "purpose": if product == "sms" { "transmission" } else { "provide-services" },
            "legal_basis": "contract",
            "identifiers": { "phone": phone },
            "data": data,
        }))
        .unwrap()
    };
    let sms = |phone: &str, text: &str| {
        record(
            "sms",
            phone,
            serde_json::json!({ "phone-number": phone, "communication-content": text }),
        )
    };
    engine
        .ingest(
            &Principal {
                tenant,
                by: custodian_engine::Actor::Cli,
                scopes: vec![custodian_engine::Scope::RecordsWrite],
                reason: None,
            },
            vec![
                sms("+31612345678", "Your order has shipped"),
                sms("+31612345678", "Your parcel arrives today"),
                record(
                    "contacts",
                    "+31612345678",
                    serde_json::json!({ "name": "Ana de Vries", "phone-number": "+31612345678" }),
                ),
                sms("+31687654321", "See you at 8"),
                sms("+31611112222", "Welcome"),
            ],
            None,
            b"",
        )
        .await
        .unwrap();
    let principal = engine.customer_principal(&customer).unwrap();
    let filed = |right: &str, phone: &str| NewRequest {
        right: right.into(),
        locale: Some("en".into()),
        identifiers: [("phone".to_string(), phone.to_string())].into(),
        requester: Requester {
            email: Some("ana@example.org".into()),
            name: Some("Ana de Vries".into()),
            ..Requester::default()
        },
        ..NewRequest::default()
    };
    engine
        .file_request(
            &principal,
            Channel::Dashboard,
            filed("erasure", "+31612345678"),
        )
        .await
        .unwrap();
    let waiting = engine
        .file_request(
            &principal,
            Channel::Dashboard,
            filed("rectification", "+31611112222"),
        )
        .await
        .unwrap();
    let (officer, _) = staff_member(&app, "officer@custodian.example", "compliance-officer").await;
    let letter = engine
        .staff_file_request(
            &officer,
            Channel::Post,
            NewRequest {
                right: "access".into(),
                locale: Some("nl".into()),
                identifiers: [("email".to_string(), "bert@example.net".to_string())].into(),
                requester: Requester {
                    email: Some("bert@example.net".into()),
                    name: Some("Bert Brief".into()),
                    address: Some("Kerkstraat 1\n1011 AA Amsterdam".into()),
                    ..Requester::default()
                },
                message: Some("Graag een kopie van al mijn gegevens.".into()),
                letter: Some(Attachment {
                    name: "brief.pdf".into(),
                    content_type: "application/pdf".into(),
                    data: "JVBERi0xLjQKJSVFT0YK".into(),
                }),
                received_at: Some(
                    jiff::Timestamp::now() - jiff::SignedDuration::from_hours(24 * 40),
                ),
                ..NewRequest::default()
            },
            false,
        )
        .await
        .unwrap();
    let customer_cookie = customer_cookie(&app, "owner@texts.example").await;
    let staff_cookie = crate::helpers::staff(&app, "lead", "compliance-officer")
        .await
        .cookie;

    // The script runs while this test reads the mail: each code goes to a file named after its
    // address, which the script polls.
    let codes = tempfile::tempdir().expect("a directory for the codes");
    let shots = root.join("target/screenshots");
    let mut child = tokio::process::Command::new("node")
        .arg(browser_tests.join("requests.mjs"))
        .current_dir(&browser_tests)
        .env("CUSTODIAN_BASE_URL", &app.address)
        .env("CUSTODIAN_CODES", codes.path())
        .env("CUSTODIAN_CUSTOMER_COOKIE", &customer_cookie)
        .env("CUSTODIAN_STAFF_COOKIE", &staff_cookie)
        .env("CUSTODIAN_CUSTOMER_REQUEST", waiting.id.to_string())
        .env("CUSTODIAN_STAFF_REQUEST", letter.id.to_string())
        .env("CUSTODIAN_CHROMIUM", &chromium)
        .env("CUSTODIAN_SCREENSHOTS", &shots)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap_or_else(|e| panic!("`node` does not run ({e}): run scripts/test-all.sh"));
    let mailer =
        custodian_engine::mail::SmtpMailer::new(&sink.url(), "Privacy <privacy@custodian.test>")
            .expect("a mailer for the sink");
    let notices = custodian_engine::notices::NoticeSettings {
        public_url: app.address.clone(),
    };
    let deadline = tokio::time::Instant::now() + Duration::from_secs(240);
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the Playwright script finishes within four minutes"
        );
        engine.dispatch_notices(&mailer, &notices).await.unwrap();
        for message in sink.messages().await {
            let parsed = mail_parser::MessageParser::default()
                .parse(&message.data)
                .expect("a parseable message");
            // A code mail, in whichever language, has the code on a line of its own.
            let body = parsed.body_text(0).unwrap_or_default().to_string();
            let code = body
                .lines()
                .map(str::trim)
                .find(|l| l.len() == 6 && l.bytes().all(|b| b.is_ascii_digit()));
            if let (Some(code), Some(to)) = (code, message.to.first()) {
                std::fs::write(codes.path().join(to), code).unwrap();
            }
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let output = child.wait_with_output().await.unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the requests in the browser failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
    assert!(stdout.contains("every check passed"), "{stdout}\n{stderr}");
    for page in [
        "center-form",
        "center-code",
        "center-code-wrong",
        "center-status",
        "dashboard-list",
        "dashboard-request",
        "dashboard-data",
        "dashboard-found",
        "console-list",
        "console-new",
        "console-request",
    ] {
        for lang in ["en", "zh-CN"] {
            let name = format!("requests-{page}-{lang}");
            let png = std::fs::read(shots.join(format!("{name}.png")))
                .unwrap_or_else(|e| panic!("the screenshot {name}.png: {e}"));
            assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{name}: a PNG");
            assert!(png.len() > 10_000, "{name}: only {} bytes", png.len());
        }
    }
}

#[tokio::test]
async fn the_cookie_banner_blocks_every_tag_until_a_choice_and_records_it() {
    // The banner on a website of another origin, under a strict CSP, against this server:
    // nothing but strictly necessary before a choice, each button and switch, re-prompt on a
    // new revision and after the lifetime, GPC, Remove my data, withdrawal, four languages,
    // axe, the keyboard and the size (tests/browser/banner.mjs lists every check).
    let app = spawn_app().await;
    let (site, key) = app.tenant_with_key("Banner site", &["consent:read"]).await;
    let root = repo_root();
    let browser_tests = root.join("tests/browser");
    let chromium = chromium();
    let shots = root.join("target/screenshots");
    let output = tokio::process::Command::new("node")
        .arg(browser_tests.join("banner.mjs"))
        .current_dir(&browser_tests)
        .env("CUSTODIAN_BASE_URL", &app.address)
        .env("CUSTODIAN_SITE", site.to_string())
        .env("CUSTODIAN_API_KEY", &key)
        .env("CUSTODIAN_CHROMIUM", &chromium)
        .env("CUSTODIAN_SCREENSHOTS", &shots)
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(Duration::from_secs(300), output)
        .await
        .expect("the banner checks finish within five minutes")
        .unwrap_or_else(|e| panic!("`node` does not run ({e}): run scripts/test-all.sh"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the banner failed in the browser ({}):\n{stdout}\n{stderr}",
        output.status
    );
    // The server side of what the browser did: every choice is in the ledger.
    let book = app.engine.consents().await.unwrap();
    assert!(
        book.len().1 >= 8,
        "the browsers' choices are in the ledger: {:?}",
        book.len()
    );
    for name in [
        "banner-first-layer-en",
        "banner-first-layer-nl",
        "banner-first-layer-zh-CN",
        "banner-first-layer-id",
        "banner-settings",
        "banner-gpc",
        "banner-removed",
        "banner-after-choice",
    ] {
        let png = std::fs::read(shots.join(format!("{name}.png")))
            .unwrap_or_else(|e| panic!("the screenshot {name}.png: {e}"));
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{name}: a PNG");
    }
}
