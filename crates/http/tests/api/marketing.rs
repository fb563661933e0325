//! Marketing preferences over HTTP: the links of a message, one-click unsubscribe (RFC 8058)
//! that ends marketing data and leaves service messages alone, the page a browser sees, the
//! preference centre, and forged or expired links refused with nothing changed.

use std::sync::Arc;

use custodian_core::FixedClock;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{error_of, spawn_app_with_clock};

const ALL: &[&str] = &[
    "records:read",
    "records:write",
    "consent:read",
    "consent:write",
];

async fn check(app: &crate::helpers::TestApp, key: &str, purpose: &str, email: &str) -> Value {
    app.get_as(
        key,
        &format!("/v1/consents/check?purpose={purpose}&email={email}"),
    )
    .await
    .json()
    .await
    .unwrap()
}

#[tokio::test]
async fn one_click_unsubscribes_from_promotions_only_and_the_preference_centre_changes_the_rest() {
    let clock = Arc::new(FixedClock::new("2026-05-04T09:00:00Z".parse().unwrap()));
    let app = spawn_app_with_clock(clock.clone()).await;
    let (_, key) = app.tenant_with_key("Acme", ALL).await;
    // Ann signed up with the box ticked; her lead record rests on that consent.
    let r = app
        .client
        .post(app.url("/v1/records"))
        .bearer_auth(&key)
        .json(&json!({
            "product": "leads", "purpose": "promote-services", "legal_basis": "consent",
            "identifiers": { "email": "ann@example.com" },
            "consent": { "method": "checkbox", "locale": "en" },
            "data": { "name": "Ann", "email-address": "ann@example.com" }
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let record = r.json::<Value>().await.unwrap()["records"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();

    let link: Value = app
        .client
        .post(app.url("/v1/unsubscribe-links"))
        .bearer_auth(&key)
        .json(&json!({ "identifiers": { "email": "ann@example.com" }, "purpose": "promote-services" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        link["headers"]["List-Unsubscribe-Post"],
        json!("List-Unsubscribe=One-Click")
    );
    let url = link["url"].as_str().unwrap();
    let path = &url[url.find("/unsubscribe/").unwrap()..];
    assert_eq!(
        link["headers"]["List-Unsubscribe"],
        json!(format!("<{url}>"))
    );
    let token = path.trim_start_matches("/unsubscribe/").to_string();

    // Opening the link (as a mail scanner would) changes nothing; it shows the button.
    let page = app.get(path).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("List-Unsubscribe") && html.contains("One-Click"),
        "the page posts the one-click body"
    );
    assert_eq!(
        check(&app, &key, "promote-services", "ann@example.com").await["allowed"],
        json!(true)
    );

    // A forged link, a damaged one and a POST without the RFC 8058 body change nothing.
    let mut forged = token.clone();
    forged.replace_range(forged.len() - 3.., "AAA");
    for bad in [forged.as_str(), "nonsense", "a.b"] {
        let r = app
            .client
            .post(app.url(&format!("/unsubscribe/{bad}")))
            .form(&[("List-Unsubscribe", "One-Click")])
            .send()
            .await
            .unwrap();
        let (code, _, _) = error_of(r, 400).await;
        assert_eq!(code, "invalid_token");
        assert_eq!(
            app.get(&format!("/unsubscribe/{bad}")).await.status(),
            StatusCode::BAD_REQUEST
        );
    }
    let r = app.client.post(app.url(path)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        check(&app, &key, "promote-services", "ann@example.com").await["allowed"],
        json!(true)
    );

    // The mail client's one click.
    let r = app
        .client
        .post(app.url(path))
        .form(&[("List-Unsubscribe", "One-Click")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        r.json::<Value>().await.unwrap()["unsubscribed"],
        json!(true)
    );
    let after = check(&app, &key, "promote-services", "ann@example.com").await;
    assert_eq!(
        (after["allowed"].clone(), after["reason"].clone()),
        (json!(false), json!("withdrawn"))
    );
    // Service messages are not marketing: still allowed.
    assert_eq!(
        check(&app, &key, "provide-services", "ann@example.com").await["allowed"],
        json!(true)
    );
    // Her marketing data ended with the unsubscribe (R5).
    let read: Value = app
        .get_as(&key, &format!("/v1/records/{record}?purpose=crm-records"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(read["data"], Value::Null);
    // A second click records nothing more.
    app.client
        .post(app.url(path))
        .form(&[("List-Unsubscribe", "One-Click")])
        .send()
        .await
        .unwrap();
    let subject = after["subject"].as_str().unwrap();
    let history: Value = app
        .get_as(&key, &format!("/v1/subjects/{subject}/consents"))
        .await
        .json()
        .await
        .unwrap();
    let methods: Vec<&str> = history["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["method"].as_str().unwrap())
        .collect();
    assert_eq!(methods, ["checkbox", "unsubscribe"]);

    // The preference centre: shows every message preference and service messages as always
    // sent; ticking surveys records consent in the page's words, in Dutch.
    let prefs = app.get(&format!("/preferences/{token}?lang=nl")).await;
    assert_eq!(prefs.status(), StatusCode::OK);
    let html = prefs.text().await.unwrap();
    for purpose in ["promote-services", "product-information", "surveys"] {
        assert!(
            html.contains(&format!("name=\"{purpose}\"")),
            "{purpose} is a preference"
        );
    }
    assert!(html.contains("pref-service") && html.contains("disabled"));
    let r = app
        .client
        .post(app.url(&format!("/preferences/{token}")))
        .header("origin", &app.address)
        .form(&[("lang", "nl"), ("surveys", "on")])
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.status());
    assert_eq!(
        check(&app, &key, "surveys", "ann@example.com").await["allowed"],
        json!(true)
    );
    assert_eq!(
        check(&app, &key, "promote-services", "ann@example.com").await["allowed"],
        json!(false)
    );
    let history: Value = app
        .get_as(&key, &format!("/v1/subjects/{subject}/consents"))
        .await
        .json()
        .await
        .unwrap();
    let last = history["events"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(
        (
            last["purpose"].clone(),
            last["method"].clone(),
            last["locale"].clone()
        ),
        (json!("surveys"), json!("preference-centre"), json!("nl"))
    );
    assert!(
        last["text"].as_str().unwrap().contains("enquête")
            || last["text"].as_str().unwrap().len() > 20
    );
    // From another site, the form is refused.
    let r = app
        .client
        .post(app.url(&format!("/preferences/{token}")))
        .header("origin", "https://evil.example")
        .form(&[("lang", "en")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        check(&app, &key, "surveys", "ann@example.com").await["allowed"],
        json!(true)
    );

    // Past its 400 days the link no longer works, and changes nothing.
    clock.set("2027-06-10T09:00:00Z".parse().unwrap());
    let r = app
        .client
        .post(app.url(&format!("/preferences/{token}")))
        .header("origin", &app.address)
        .form(&[("lang", "en")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        check(&app, &key, "surveys", "ann@example.com").await["allowed"],
        json!(true)
    );

    // Links only for message purposes, and only for people the tenant knows.
    for (body, status, field) in [
        (
            json!({ "identifiers": { "email": "ann@example.com" }, "purpose": "provide-services" }),
            422,
            Some("purpose"),
        ),
        (
            json!({ "identifiers": { "email": "ann@example.com" }, "purpose": "saved-payment-methods" }),
            422,
            Some("purpose"),
        ),
        (
            json!({ "identifiers": { "email": "stranger@example.com" }, "purpose": "surveys" }),
            404,
            None,
        ),
    ] {
        let r = app
            .client
            .post(app.url("/v1/unsubscribe-links"))
            .bearer_auth(&key)
            .json(&body)
            .send()
            .await
            .unwrap();
        let (_, _, got) = error_of(r, status).await;
        assert_eq!(got.as_deref(), field);
    }
}
