//! Change notices by e-mail, end to end: a real SMTP sink receives what the dispatcher sends;
//! links are followed over HTTP as a subscriber's browser or mail client would.

use std::sync::Arc;

use custodian_core::FixedClock;
use custodian_engine::Actor;
use custodian_engine::mail::SmtpMailer;
use custodian_engine::notices::NoticeSettings;
use custodian_testkit::smtp::{MAIL_WAIT, Received, SmtpSink};
use jiff::Timestamp;

use crate::helpers::{TestApp, error_of, spawn_app, spawn_app_with_clock};

pub(crate) struct Mail {
    pub(crate) to: String,
    pub(crate) subject: String,
    pub(crate) body: String,
    pub(crate) headers: String,
}

pub(crate) fn read(m: &Received) -> Mail {
    let parsed = mail_parser::MessageParser::default()
        .parse(&m.data)
        .expect("a parseable message");
    let text = m.text();
    let headers = text
        .split("\r\n\r\n")
        .next()
        .unwrap_or_default()
        .replace("\r\n ", " ")
        .replace("\r\n\t", " ");
    Mail {
        to: m.to.join(","),
        subject: parsed.subject().unwrap_or_default().to_string(),
        body: parsed.body_text(0).unwrap_or_default().to_string(),
        headers,
    }
}

/// The first link in `body` to `path`.
pub(crate) fn link(body: &str, path: &str) -> String {
    body.split_whitespace()
        .find(|w| w.contains(path))
        .unwrap_or_else(|| panic!("no link to {path} in:\n{body}"))
        .to_string()
}

fn settings(app: &TestApp) -> NoticeSettings {
    NoticeSettings {
        public_url: app.address.clone(),
    }
}

pub(crate) async fn dispatch(
    app: &TestApp,
    sink: &SmtpSink,
) -> custodian_engine::notices::DispatchReport {
    let mailer = SmtpMailer::new(&sink.url(), "Privacy notices <privacy@custodian.test>")
        .expect("a mailer for the sink");
    app.engine
        .dispatch_notices(&mailer, &settings(app))
        .await
        .expect("dispatch")
}

pub(crate) async fn post_form(
    app: &TestApp,
    url: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    app.client
        .post(url)
        .form(form)
        .send()
        .await
        .expect("request")
}

fn today_plus(days: i64) -> jiff::civil::Date {
    Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date()
        .checked_add(jiff::Span::new().days(days))
        .expect("a date")
}

#[tokio::test]
async fn a_subscriber_confirms_by_email_receives_change_notices_ahead_and_unsubscribes_in_one_click()
 {
    let app = spawn_app().await;
    let sink = SmtpSink::start().await;
    app.engine
        .publish_policy(&Actor::Cli, "2020", None)
        .await
        .expect("2020 in force");

    // The form on the subprocessor page.
    let page = app
        .get("/subprocessors?lang=nl")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("action=\"/subscriptions\""),
        "the page has the form"
    );
    let title = page
        .split("<title>")
        .nth(1)
        .and_then(|t| t.split("</title>").next())
        .unwrap();
    assert!(
        !title.contains('<') && title.len() < 100,
        "a plain title: {title}"
    );
    assert_eq!(page.matches("action=\"/subscriptions\"").count(), 1);
    let response = post_form(
        &app,
        &app.url("/subscriptions"),
        &[
            ("email", " Alice@Example.TEST "),
            ("lang", "nl"),
            ("policy", "on"),
            ("subprocessors", "on"),
        ],
    )
    .await;
    assert_eq!(response.status(), 202);
    assert!(response.text().await.unwrap().contains("Kijk in uw inbox"));

    // Double opt-in: only the confirmation goes out, in Dutch.
    let report = dispatch(&app, &sink).await;
    assert_eq!(report.sent, 1);
    let mails = sink.wait_for(1, MAIL_WAIT).await;
    assert_eq!(mails.len(), 1);
    let confirm = read(&mails[0]);
    assert_eq!(confirm.to, "alice@example.test");
    assert!(
        confirm.subject.starts_with("Graag bevestigen"),
        "{}",
        confirm.subject
    );
    assert!(
        confirm
            .body
            .contains("wezenlijke wijzigingen van onze privacyverklaring")
    );
    assert!(
        !confirm.headers.contains("List-Unsubscribe"),
        "nothing to unsubscribe from yet"
    );
    let confirm_link = link(&confirm.body, "/subscriptions/confirm?token=");
    assert!(confirm_link.starts_with(&app.address));

    // Opening the link shows a button and changes nothing (mail scanners open links).
    let page = app.client.get(&confirm_link).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(page.contains("Bevestig uw aanmelding"));
    assert_eq!(app.engine.notice_stats().await.unwrap().subscribers, 0);
    let token = confirm_link
        .split("token=")
        .nth(1)
        .and_then(|t| t.split('&').next())
        .unwrap();
    // The language switch keeps the link working.
    assert!(
        page.contains(&format!("?token={token}&amp;lang=zh-CN")),
        "{page}"
    );
    let done = post_form(
        &app,
        &app.url("/subscriptions/confirm"),
        &[("token", token), ("lang", "nl")],
    )
    .await;
    assert_eq!(done.status(), 200);
    assert!(done.text().await.unwrap().contains("Aanmelding bevestigd"));
    assert_eq!(app.engine.notice_stats().await.unwrap().subscribers, 1);

    // A link works once.
    let again = post_form(
        &app,
        &app.url("/subscriptions/confirm"),
        &[("token", token), ("lang", "nl")],
    )
    .await;
    assert_eq!(again.status(), 409);

    // Version 2023 is announced 30 days ahead: both topics get their notice.
    let effective = today_plus(30);
    app.engine
        .publish_policy(&Actor::Cli, "2023", Some(effective))
        .await
        .expect("2023 announced");
    let report = dispatch(&app, &sink).await;
    assert_eq!(report.sent, 2, "{report:?}");
    let mails = sink.wait_for(3, MAIL_WAIT).await;
    let notices: Vec<Mail> = mails[1..].iter().map(read).collect();
    let policy = notices
        .iter()
        .find(|m| m.subject.contains("privacyverklaring"))
        .expect("a statement notice");
    assert!(policy.subject.contains(&effective.to_string()));
    assert!(policy.body.contains("versie 2023"));
    assert!(
        policy
            .body
            .contains("/privacy/changes?from=2020&to=2023&lang=nl")
    );
    let processors = notices
        .iter()
        .find(|m| m.subject.contains("subverwerkers"))
        .expect("a subprocessor notice");
    assert!(
        processors.body.contains("Nieuw: ") || processors.body.contains("Niet meer in gebruik: ")
    );
    let object_link = link(&processors.body, "/subprocessors/objections/new?token=");
    for m in &notices {
        assert!(m.headers.contains("List-Unsubscribe: <"), "{}", m.headers);
        assert!(
            m.headers
                .contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click")
        );
    }

    // An objection through the link in the notice is recorded, with its audit event.
    let form = app.client.get(&object_link).send().await.unwrap();
    assert_eq!(form.status(), 200);
    let form = form.text().await.unwrap();
    let processor = form
        .split("<option value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("an option")
        .to_string();
    let object_token = object_link
        .split("token=")
        .nth(1)
        .and_then(|t| t.split('&').next())
        .unwrap();
    let recorded = post_form(
        &app,
        &app.url("/subprocessors/objections"),
        &[
            ("token", object_token),
            ("lang", "nl"),
            ("processor", &processor),
            ("reason", "Wij willen eerst de doorgiftewaarborgen zien."),
        ],
    )
    .await;
    assert_eq!(recorded.status(), 201);
    let objections = app.engine.objections().await.unwrap();
    assert_eq!(objections.len(), 1);
    assert_eq!(objections[0].processor, processor);
    assert!(objections[0].subscription.is_some());

    // One click (RFC 8058): the mail client POSTs to the List-Unsubscribe address.
    let header = &notices[0].headers;
    let url = header
        .split("List-Unsubscribe: <")
        .nth(1)
        .and_then(|s| s.split('>').next())
        .unwrap()
        .to_string();
    let gone = app
        .client
        .post(&url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), 200);
    let stats = app.engine.notice_stats().await.unwrap();
    assert_eq!(stats.subscribers, 0);
    // The address itself is gone from the database.
    let id = objections[0].subscription.unwrap();
    let sub = app.engine.store().subscription(id).await.unwrap().unwrap();
    assert!(sub.email_sealed.is_none());
    assert!(sub.unsubscribed_at.is_some());
    // Clicking again is harmless.
    let again = app.client.post(&url).send().await.unwrap();
    assert_eq!(again.status(), 200);

    // Every step is in the audit chain, and the chain holds.
    let verdict = app.engine.verify_audit().await.unwrap();
    assert_eq!(
        verdict.verdict,
        custodian_engine::ChainVerdict::Intact,
        "{verdict:?}"
    );
    let events = app
        .engine
        .store()
        .audit_events(&custodian_store::AuditFilter {
            limit: 1000,
            ..Default::default()
        })
        .await
        .unwrap();
    let actions: Vec<&str> = events.iter().map(|e| e.event.action.as_str()).collect();
    for action in [
        "subscription.request",
        "subscription.confirm",
        "notice.sent",
        "subprocessor.objection",
        "subscription.end",
    ] {
        assert!(
            actions.contains(&action),
            "{action} missing from {actions:?}"
        );
    }
    // No e-mail address in the audit log.
    assert!(events.iter().all(|e| !format!("{e:?}").contains("alice@")));
}

#[tokio::test]
async fn subscription_requests_answer_alike_for_known_and_unknown_addresses_and_refuse_bad_input() {
    let app = spawn_app().await;
    let sink = SmtpSink::start().await;
    let post = |body: serde_json::Value| {
        let app = &app;
        async move {
            app.client
                .post(app.url("/v1/subscriptions"))
                .json(&body)
                .send()
                .await
                .unwrap()
        }
    };
    let first =
        post(serde_json::json!({"email": "bob@example.test", "topics": ["subprocessors"]})).await;
    assert_eq!(first.status(), 202);
    let first: serde_json::Value = first.json().await.unwrap();
    // The same request again: same answer, and no second e-mail.
    let second =
        post(serde_json::json!({"email": "BOB@example.test", "topics": ["subprocessors"]})).await;
    assert_eq!(second.status(), 202);
    assert_eq!(first, second.json::<serde_json::Value>().await.unwrap());
    let report = dispatch(&app, &sink).await;
    assert_eq!(report.sent, 1);

    for (body, field) in [
        (
            serde_json::json!({"email": "not-an-address", "topics": ["policy"]}),
            "email",
        ),
        (
            serde_json::json!({"email": "a@example.test", "topics": ["weather"]}),
            "topics",
        ),
        (
            serde_json::json!({"email": "a@example.test", "topics": []}),
            "topics",
        ),
        (
            serde_json::json!({"email": "a@example.test", "topics": ["policy"], "lang": "fr"}),
            "lang",
        ),
        (serde_json::json!({"topics": ["policy"]}), "email"),
        (
            serde_json::json!({"email": "a@example.test", "topics": ["policy"], "extra": 1}),
            "extra",
        ),
    ] {
        let (code, message, got) = error_of(post(body.clone()).await, 422).await;
        assert_eq!(got.as_deref(), Some(field), "{body}: {code} {message}");
    }
    let (_, _, field) = error_of(
        app.client
            .post(app.url("/v1/subscriptions"))
            .body("{not json")
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(field, None);

    // A form with a bad address answers a page in the form's language, not an error dump.
    let page = post_form(
        &app,
        &app.url("/subscriptions"),
        &[("email", "nope"), ("lang", "id"), ("policy", "on")],
    )
    .await;
    assert_eq!(page.status(), 422);
    assert!(
        page.text()
            .await
            .unwrap()
            .contains("Itu bukan alamat e-mail.")
    );
    let page = post_form(
        &app,
        &app.url("/subscriptions"),
        &[("email", "x@example.test"), ("lang", "en")],
    )
    .await;
    assert_eq!(page.status(), 422);
    assert!(
        page.text()
            .await
            .unwrap()
            .contains("Choose at least one kind of notice.")
    );
}

#[tokio::test]
async fn tampered_and_superseded_links_are_refused() {
    let app = spawn_app().await;
    let sink = SmtpSink::start().await;
    app.engine
        .subscribe("carol@example.test", "en", custodian_store::TOPIC_POLICY)
        .await
        .unwrap();
    dispatch(&app, &sink).await;
    let old = link(
        &read(&sink.wait_for(1, MAIL_WAIT).await[0]).body,
        "/subscriptions/confirm?token=",
    );
    let token = old
        .split("token=")
        .nth(1)
        .and_then(|t| t.split('&').next())
        .unwrap()
        .to_string();

    // A changed character: not our link.
    let mut bad = token.clone().into_bytes();
    bad[5] = if bad[5] == b'A' { b'B' } else { b'A' };
    let bad = String::from_utf8(bad).unwrap();
    let page = app
        .get(&format!("/subscriptions/confirm?token={bad}&lang=en"))
        .await;
    assert_eq!(page.status(), 422);
    assert!(
        page.text()
            .await
            .unwrap()
            .contains("This link does not work")
    );
    // A token for another action does not confirm.
    let err = app.engine.confirm_subscription("AAAA").await.unwrap_err();
    assert!(err.to_string().contains("not valid"));

    // A newer request (other topics) replaces the first link.
    app.engine
        .subscribe("carol@example.test", "en", custodian_store::ALL_TOPICS)
        .await
        .unwrap();
    let stale = post_form(
        &app,
        &app.url("/subscriptions/confirm"),
        &[("token", &token), ("lang", "en")],
    )
    .await;
    assert_eq!(stale.status(), 409);
    assert!(
        stale
            .text()
            .await
            .unwrap()
            .contains("replaced by a newer one")
    );
    // Its queued confirmation is cancelled, not sent; the new one is.
    let report = dispatch(&app, &sink).await;
    assert_eq!(report.sent, 1, "{report:?}");
    let newest = read(&sink.wait_for(2, MAIL_WAIT).await[1]);
    assert!(newest.body.contains("changes to our list of subprocessors"));
}

#[tokio::test]
async fn a_temporary_smtp_failure_is_retried_later_and_the_notice_is_not_lost() {
    let clock = Arc::new(FixedClock::new(Timestamp::now()));
    let app = spawn_app_with_clock(clock.clone()).await;
    let sink = SmtpSink::start().await;
    app.engine
        .subscribe(
            "dave@example.test",
            "id",
            custodian_store::TOPIC_SUBPROCESSORS,
        )
        .await
        .unwrap();
    sink.refuse_next(1);
    let report = dispatch(&app, &sink).await;
    assert_eq!((report.sent, report.retried), (0, 1), "{report:?}");
    assert_eq!(app.engine.notice_stats().await.unwrap().queued, 1);
    // Not again before its back-off has passed.
    let report = dispatch(&app, &sink).await;
    assert_eq!(report, Default::default());
    clock.set(Timestamp::now() + jiff::SignedDuration::from_mins(2));
    let report = dispatch(&app, &sink).await;
    assert_eq!(report.sent, 1, "{report:?}");
    let mail = read(&sink.wait_for(1, MAIL_WAIT).await[0]);
    assert!(
        mail.subject.starts_with("Mohon konfirmasi"),
        "{}",
        mail.subject
    );
    let stats = app.engine.notice_stats().await.unwrap();
    assert_eq!((stats.queued, stats.sent), (0, 1));
}

#[tokio::test]
async fn customers_object_to_subprocessors_by_api_key() {
    let app = spawn_app().await;
    let (_, key) = app.tenant_with_key("Objector", &["records:read"]).await;
    let post = |body: serde_json::Value, key: Option<&str>| {
        let app = &app;
        let key = key.map(str::to_string);
        async move {
            let mut r = app
                .client
                .post(app.url("/v1/policy/subprocessors/objections"))
                .json(&body);
            if let Some(k) = key {
                r = r.bearer_auth(k);
            }
            r.send().await.unwrap()
        }
    };
    let listed: serde_json::Value = app
        .get("/v1/policy/subprocessors")
        .await
        .json()
        .await
        .unwrap();
    let processor = listed["subprocessors"][0]["id"]
        .as_str()
        .expect("a subprocessor id")
        .to_string();
    let created = post(
        serde_json::json!({"processor": processor, "reason": "Data must stay in the EEA."}),
        Some(&key),
    )
    .await;
    assert_eq!(created.status(), 201);
    let body: serde_json::Value = created.json().await.unwrap();
    assert_eq!(body["processor"], processor.as_str());

    let (_, _, field) = error_of(
        post(
            serde_json::json!({"processor": "nobody", "reason": "x"}),
            Some(&key),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(field.as_deref(), Some("processor"));
    let (_, _, field) = error_of(
        post(
            serde_json::json!({"processor": processor, "reason": "  "}),
            Some(&key),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(field.as_deref(), Some("reason"));
    let long = "x".repeat(2001);
    let (_, _, field) = error_of(
        post(
            serde_json::json!({"processor": processor, "reason": long}),
            Some(&key),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(field.as_deref(), Some("reason"));
    error_of(
        post(
            serde_json::json!({"processor": processor, "reason": "x"}),
            None,
        )
        .await,
        401,
    )
    .await;
    assert_eq!(app.engine.objections().await.unwrap().len(), 1);
}
