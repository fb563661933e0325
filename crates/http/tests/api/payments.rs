//! Payment consents over HTTP: a saved card keeps only the policy's fields (a card number is
//! refused wherever it is put), each save records the consent, withdrawing deletes at once,
//! Auto Recharge keeps its threshold until switched off, and tenants do not see each other's.

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
async fn saved_methods_and_auto_recharge_live_on_consent_and_go_when_it_is_withdrawn() {
    let app = spawn_app().await;
    let (_, key) = app.tenant_with_key("Acme", ALL).await;
    let (_, other) = app.tenant_with_key("Globex", ALL).await;
    // The payer is a customer the tenant knows.
    let r = app
        .client
        .post(app.url("/v1/records"))
        .bearer_auth(&key)
        .json(&json!({
            "product": "customer-account", "purpose": "create-account", "legal_basis": "contract",
            "identifiers": { "email": "billing@acme.example" },
            "data": { "name": "Anke Jansen", "email-address": "billing@acme.example" }
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let post = |path: &'static str, body: Value| {
        app.client
            .post(app.url(path))
            .bearer_auth(&key)
            .json(&body)
            .send()
    };
    let payer = json!({ "email": "billing@acme.example" });
    let card = |fields: Value| {
        json!({
            "identifiers": payer, "method": "credit-card", "psp": "stripe", "fields": fields,
            "consent": { "method": "checkbox", "locale": "nl" }
        })
    };
    let good = json!({ "card-last-four": "4242", "card-expiry": "2027-12", "cardholder-name": "A. Jansen" });

    // Only the listed fields, well formed; never a card number.
    for (fields, field) in [
        (
            json!({ "card-last-four": "4242", "card-expiry": "2027-12", "cardholder-name": "A. Jansen", "card-number": "4242424242424242" }),
            "fields.card-number",
        ),
        (
            json!({ "card-last-four": "4242", "card-expiry": "2027-12", "cardholder-name": "4242 4242 4242 4242" }),
            "fields.cardholder-name",
        ),
        (
            json!({ "card-last-four": "42", "card-expiry": "2027-12", "cardholder-name": "A. Jansen" }),
            "fields.card-last-four",
        ),
        (
            json!({ "card-last-four": "4242", "card-expiry": "12/27", "cardholder-name": "A. Jansen" }),
            "fields.card-expiry",
        ),
        (
            json!({ "card-last-four": "4242", "cardholder-name": "A. Jansen" }),
            "fields.card-expiry",
        ),
        (
            json!({ "card-last-four": "4242", "card-expiry": "2027-12", "cardholder-name": "A. Jansen", "cvc": "123" }),
            "fields.cvc",
        ),
    ] {
        let (_, message, got) = error_of(
            post("/v1/payment-methods", card(fields)).await.unwrap(),
            422,
        )
        .await;
        assert_eq!(got.as_deref(), Some(field), "{message}");
    }
    let mut bad_psp = card(good.clone());
    bad_psp["psp"] = json!("shady-pay");
    let (_, _, got) = error_of(post("/v1/payment-methods", bad_psp).await.unwrap(), 422).await;
    assert_eq!(got.as_deref(), Some("psp"));
    let mut stranger = card(good.clone());
    stranger["identifiers"] = json!({ "email": "nobody@acme.example" });
    error_of(post("/v1/payment-methods", stranger).await.unwrap(), 404).await;

    // A card and an iDEAL account, each on consent.
    let r = post("/v1/payment-methods", card(good.clone()))
        .await
        .unwrap();
    let status = r.status();
    let saved: Value = r.json().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{saved}");
    assert_eq!(saved["label"], json!("card •••• 4242"));
    assert_eq!(saved["psp_role"], json!("controller"));
    assert_eq!(saved["fields"], good);
    let subject = saved["subject"].as_str().unwrap().to_string();
    let r = post(
        "/v1/payment-methods",
        json!({
            "identifiers": payer, "method": "ideal", "psp": "mollie",
            "fields": { "iban-bic": { "iban": "NL91ABNA0417164300", "bic": "ABNANL2A" }, "account-name": "Acme B.V." },
            "consent": { "method": "checkbox" }
        }),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let ideal: Value = r.json().await.unwrap();
    let check = |purpose: &'static str| {
        let app = &app;
        let key = key.clone();
        let subject = subject.clone();
        async move {
            app.get_as(
                &key,
                &format!("/v1/consents/check?purpose={purpose}&subject={subject}"),
            )
            .await
            .json::<Value>()
            .await
            .unwrap()["allowed"]
                .clone()
        }
    };
    assert_eq!(check("saved-payment-methods").await, json!(true));

    // Auto Recharge, charging the card.
    let r = app
        .client
        .put(app.url("/v1/auto-recharge"))
        .bearer_auth(&key)
        .json(&json!({ "subject": subject, "threshold": 1000, "amount": 5000, "currency": "eur", "method": saved["id"], "consent": { "method": "checkbox" } }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Value>().await.unwrap()["currency"], json!("EUR"));
    for (body, field) in [
        (
            json!({ "subject": subject, "threshold": -1, "amount": 5000, "currency": "EUR", "consent": {} }),
            "threshold",
        ),
        (
            json!({ "subject": subject, "threshold": 10, "amount": 0, "currency": "EUR", "consent": {} }),
            "amount",
        ),
        (
            json!({ "subject": subject, "threshold": 10, "amount": 10, "currency": "euro", "consent": {} }),
            "currency",
        ),
        (
            json!({ "subject": subject, "threshold": 10, "amount": 10, "currency": "EUR", "method": uuid::Uuid::new_v4(), "consent": {} }),
            "method",
        ),
    ] {
        let r = app
            .client
            .put(app.url("/v1/auto-recharge"))
            .bearer_auth(&key)
            .json(&body)
            .send()
            .await
            .unwrap();
        let (_, _, got) = error_of(r, 422).await;
        assert_eq!(got.as_deref(), Some(field));
    }
    let recharge: Value = app
        .get_as(&key, &format!("/v1/auto-recharge?subject={subject}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (recharge["threshold"].clone(), recharge["amount"].clone()),
        (json!(1000), json!(5000))
    );

    // Another tenant sees and deletes nothing.
    let theirs: Value = app
        .get_as(&other, "/v1/payment-methods")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(theirs["methods"], json!([]));
    let r = app
        .client
        .delete(app.url(&format!(
            "/v1/payment-methods/{}",
            ideal["id"].as_str().unwrap()
        )))
        .bearer_auth(&other)
        .send()
        .await
        .unwrap();
    error_of(r, 404).await;

    // Withdrawing the consent (through the consent API, as support would) deletes both
    // methods at once; switching Auto Recharge off deletes its setting.
    let r = post(
        "/v1/consents",
        json!({ "subject": subject, "purpose": "saved-payment-methods", "given": false, "method": "support" }),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let mine: Value = app
        .get_as(&key, &format!("/v1/payment-methods?subject={subject}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["methods"], json!([]));
    assert_eq!(check("saved-payment-methods").await, json!(false));
    let r = app
        .client
        .delete(app.url(&format!("/v1/auto-recharge?subject={subject}")))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    error_of(
        app.get_as(&key, &format!("/v1/auto-recharge?subject={subject}"))
            .await,
        404,
    )
    .await;
    assert_eq!(check("auto-recharge").await, json!(false));

    // The ledger holds the proof of each step.
    let history: Value = app
        .get_as(&key, &format!("/v1/subjects/{subject}/consents"))
        .await
        .json()
        .await
        .unwrap();
    let steps: Vec<(String, bool)> = history["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["purpose"].as_str().unwrap().to_string(),
                e["given"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        steps,
        [
            // Her account made her an existing customer (a relationship, recorded by the ingest).
            ("customer-account".to_string(), true),
            ("saved-payment-methods".to_string(), true),
            ("saved-payment-methods".to_string(), true),
            ("auto-recharge".to_string(), true),
            ("saved-payment-methods".to_string(), false),
            ("auto-recharge".to_string(), false),
        ]
    );
}
