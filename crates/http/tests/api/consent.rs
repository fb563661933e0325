//! Consent over HTTP: recording with proof, the check, histories, bad input named, the
//! banner's cross-origin endpoints, its records and their refusals, and gpc.json.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{error_of, spawn_app};

const ALL: &[&str] = &[
    "records:read",
    "records:write",
    "consent:read",
    "consent:write",
];

#[tokio::test]
async fn a_choice_is_recorded_with_its_proof_and_checked() {
    let app = spawn_app().await;
    let (_, key) = app.tenant_with_key("Acme", ALL).await;
    let post = |body: Value| {
        app.client
            .post(app.url("/v1/consents"))
            .bearer_auth(&key)
            .json(&body)
            .send()
    };
    let given: Value = {
        let r = post(json!({
            "identifiers": { "email": "Ann@Example.com" },
            "purpose": "promote-services", "given": true, "method": "checkbox",
            "text": "Yes, send me news about your products.", "text_version": "signup-v2",
            "locale": "en", "ip": "2001:db8:abcd:12::7"
        }))
        .await
        .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
        r.json().await.unwrap()
    };
    assert_eq!(given["decision"]["allowed"], json!(true));
    assert_eq!(given["decision"]["basis"], json!("consent"));
    let subject = given["subject"].as_str().unwrap().to_string();

    let check = |query: String| {
        let app = &app;
        let key = key.clone();
        async move {
            let r = app
                .get_as(&key, &format!("/v1/consents/check?{query}"))
                .await;
            assert_eq!(r.status(), StatusCode::OK);
            r.json::<Value>().await.unwrap()
        }
    };
    let by_email = check("purpose=promote-services&email=ann%40example.com".into()).await;
    assert_eq!(by_email["allowed"], json!(true));
    assert_eq!(by_email["subject"], json!(subject));
    let nobody = check("purpose=promote-services&email=nobody%40example.com".into()).await;
    assert_eq!(
        (nobody["allowed"].clone(), nobody["reason"].clone()),
        (json!(false), json!("no-consent"))
    );

    let r = post(json!({ "subject": subject, "purpose": "promote-services", "given": false, "method": "support" }))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let by_id = check(format!("purpose=promote-services&subject={subject}")).await;
    assert_eq!(by_id["reason"], json!("withdrawn"));

    let history: Value = app
        .get_as(&key, &format!("/v1/subjects/{subject}/consents"))
        .await
        .json()
        .await
        .unwrap();
    let events = history["events"].as_array().unwrap();
    assert_eq!(events.len(), 2);
    assert_eq!(
        events[0]["text"],
        json!("Yes, send me news about your products.")
    );
    assert_eq!(events[0]["text_version"], json!("signup-v2"));
    assert_eq!(events[0]["ip_prefix"], json!("2001:db8:abcd::/48"));
    assert_eq!(events[1]["method"], json!("support"));
    assert_eq!(events[1]["given"], json!(false));
}

#[tokio::test]
async fn bad_consent_input_is_refused_naming_the_field() {
    let app = spawn_app().await;
    let (_, key) = app.tenant_with_key("Acme", ALL).await;
    let (_, reader) = app.tenant_with_key("Reader", &["consent:read"]).await;
    let post = |key: &str, body: Value| {
        app.client
            .post(app.url("/v1/consents"))
            .bearer_auth(key)
            .json(&body)
            .send()
    };
    let ann = json!({ "email": "ann@example.com" });
    for (body, field) in [
        (
            json!({ "identifiers": ann, "purpose": "sell-data", "given": true }),
            "purpose",
        ),
        (
            json!({ "identifiers": ann, "purpose": "provide-services", "given": true }),
            "purpose",
        ),
        (
            json!({ "identifiers": ann, "purpose": "surveys", "given": true, "text": "Yes" }),
            "text_version",
        ),
        (
            json!({ "identifiers": ann, "purpose": "surveys", "given": true, "at": "yesterday" }),
            "at",
        ),
        (
            json!({ "purpose": "surveys", "given": true }),
            "identifiers",
        ),
        (json!({ "identifiers": ann, "purpose": "surveys" }), "given"),
        (
            json!({ "identifiers": ann, "purpose": "surveys", "given": true, "colour": "red" }),
            "colour",
        ),
    ] {
        let (_, message, got) = error_of(post(&key, body).await.unwrap(), 422).await;
        assert_eq!(got.as_deref(), Some(field), "{message}");
    }
    let r = post(
        &reader,
        json!({ "identifiers": ann, "purpose": "surveys", "given": true }),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = app
        .get_as(
            &key,
            "/v1/consents/check?purpose=sell-data&email=ann%40example.com",
        )
        .await;
    let (_, _, field) = error_of(r, 422).await;
    assert_eq!(field.as_deref(), Some("purpose"));
    let r = app
        .get_as(&key, "/v1/consents/check?email=ann%40example.com")
        .await;
    error_of(r, 422).await;
    let r = app
        .get_as(
            &key,
            "/v1/consents/check?purpose=surveys&subject=not-a-uuid",
        )
        .await;
    let (_, _, field) = error_of(r, 422).await;
    assert_eq!(field.as_deref(), Some("subject"));
    let r = app
        .get_as(
            &key,
            &format!("/v1/subjects/{}/consents", uuid::Uuid::new_v4()),
        )
        .await;
    error_of(r, 404).await;
}

/// A choice as the banner posts it: JSON sent as text/plain.
async fn banner_post(
    app: &crate::helpers::TestApp,
    path: &str,
    body: &Value,
    gpc: bool,
) -> reqwest::Response {
    let mut request = app
        .client
        .post(app.url(path))
        .header("content-type", "text/plain;charset=UTF-8")
        .header("origin", "https://www.example.com")
        .body(body.to_string());
    if gpc {
        request = request.header("sec-gpc", "1");
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn the_banner_is_served_to_any_site_and_records_every_choice() {
    let app = spawn_app().await;
    let (site, key) = app.tenant_with_key("Acme", ALL).await;

    for (path, kind) in [
        ("/banner.js", "text/javascript"),
        ("/banner.css", "text/css"),
    ] {
        let r = app.get(path).await;
        assert_eq!(r.status(), StatusCode::OK);
        assert!(
            r.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with(kind)
        );
        assert_eq!(r.headers()["access-control-allow-origin"], "*");
        assert_eq!(r.headers()["cross-origin-resource-policy"], "cross-origin");
    }
    let gpc: Value = app.get("/.well-known/gpc.json").await.json().await.unwrap();
    assert_eq!(gpc["gpc"], json!(true));
    assert!(
        gpc["lastUpdate"]
            .as_str()
            .unwrap()
            .parse::<jiff::civil::Date>()
            .is_ok()
    );

    // The configuration: the policy's categories and cookies, in the asked language; the
    // signal of the request itself.
    let config = |query: String, gpc: bool| {
        let app = &app;
        async move {
            let mut r = app.client.get(app.url(&format!("/banner/config?{query}")));
            if gpc {
                r = r.header("sec-gpc", "1");
            }
            r.send().await.unwrap()
        }
    };
    let r = config(format!("site={site}&locale=zh"), true).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["access-control-allow-origin"], "*");
    let zh: Value = r.json().await.unwrap();
    assert_eq!(zh["locale"], json!("zh-CN"));
    assert_eq!(zh["gpc"], json!(true));
    assert_eq!(zh["cookie_name"], json!("custodian_consent"));
    let ids: Vec<&str> = zh["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "strictly-necessary",
            "functional",
            "performance",
            "marketing",
            "unclassified"
        ]
    );
    assert!(
        zh["cookies"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["name"] == "_fbp" && c["category"] == "marketing")
    );
    let en: Value = config(format!("site={site}&locale=en"), false)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(en["gpc"], json!(false));
    for q in [
        format!("site={}", uuid::Uuid::new_v4()),
        "site=nonsense".into(),
        String::new(),
    ] {
        let r = config(q, false).await;
        assert!(r.status().is_client_error());
        assert_eq!(r.headers()["access-control-allow-origin"], "*");
    }
    let r = app
        .client
        .request(reqwest::Method::OPTIONS, app.url("/banner/consent"))
        .header("origin", "https://www.example.com")
        .header("access-control-request-method", "POST")
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
    assert_eq!(r.headers()["access-control-allow-origin"], "*");

    // A choice under the GPC header: accept all leaves marketing off.
    let visitor = uuid::Uuid::new_v4();
    let choice = |action: &str, categories: Value| {
        json!({
            "site": site, "consent_id": visitor, "action": action, "categories": categories,
            "revision": en["revision"], "locale": "en", "text_hash": en["text_hash"], "gpc": false
        })
    };
    let r = banner_post(
        &app,
        "/banner/consent",
        &choice("accept-all", json!([])),
        true,
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(r.headers()["access-control-allow-origin"], "*");
    let receipt: Value = r.json().await.unwrap();
    assert_eq!(receipt["categories"], json!(["functional", "performance"]));
    assert_eq!(receipt["gpc_applied"], json!(true));

    // Unknown categories and stale banners are refused, cross-origin readable.
    for (body, field) in [
        (choice("save", json!(["tracking"])), "categories"),
        (choice("save", json!(["unclassified"])), "categories"),
        (choice("save", json!("marketing")), "categories"),
        (
            json!({ "site": site, "consent_id": visitor, "action": "save", "revision": "x", "locale": "en", "text_hash": en["text_hash"] }),
            "revision",
        ),
        (
            json!({ "site": site, "consent_id": visitor, "action": "save", "revision": en["revision"], "locale": "en", "text_hash": zh["text_hash"] }),
            "text_hash",
        ),
    ] {
        let r = banner_post(&app, "/banner/consent", &body, false).await;
        assert_eq!(r.headers()["access-control-allow-origin"], "*");
        let (_, message, got) = error_of(r, 422).await;
        assert_eq!(got.as_deref(), Some(field), "{message}");
    }
    let r = banner_post(&app, "/banner/consent", &json!("not an object"), false).await;
    error_of(r, 422).await;
    let r = app
        .client
        .post(app.url("/banner/consent"))
        .body("{ broken")
        .send()
        .await
        .unwrap();
    assert!(r.status().is_client_error());

    let events: Value = app
        .get_as(&key, &format!("/v1/consents?visitor={visitor}"))
        .await
        .json()
        .await
        .unwrap();
    let events = events["events"].as_array().unwrap();
    assert_eq!(events.len(), 3);
    assert!(
        events
            .iter()
            .all(|e| e["gpc"] == json!(true) && e["action"] == json!("accept-all"))
    );

    // Remove my data.
    let r = banner_post(
        &app,
        "/banner/remove",
        &json!({ "site": site, "consent_id": visitor }),
        false,
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let removal: Value = r.json().await.unwrap();
    assert!(
        removal["cookies"]
            .as_array()
            .unwrap()
            .contains(&json!("custodian_consent"))
    );
    let events: Value = app
        .get_as(&key, &format!("/v1/consents?visitor={visitor}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        events["events"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["method"] == json!("remove-my-data"))
            .count(),
        3
    );
    // Another tenant's key sees nothing of this browser.
    let (_, other) = app.tenant_with_key("Globex", ALL).await;
    let r = app
        .get_as(&other, &format!("/v1/consents?visitor={visitor}"))
        .await;
    error_of(r, 404).await;
}
