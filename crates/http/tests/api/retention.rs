//! Retention over HTTP for the calling customer: its buckets, legal holds and agreed periods.

use serde_json::{Value, json};

use crate::helpers::{error_of, spawn_app};

#[tokio::test]
async fn a_customer_sees_its_buckets_places_and_lifts_holds_and_agrees_a_period() {
    let app = spawn_app().await;
    let (_, key) = app
        .tenant_with_key("Acme", &["records:read", "records:write"])
        .await;
    let (_, reader) = app.tenant_with_key("Reader", &["records:read"]).await;
    let stored: Value = app
        .client
        .post(app.url("/v1/records"))
        .bearer_auth(&key)
        .json(&json!([
            { "product": "sms", "purpose": "transmission", "legal_basis": "contract",
              "identifiers": { "phone": "+31612345678" }, "data": { "communication-content": "hi" } },
            { "product": "conversations", "purpose": "provide-services", "legal_basis": "contract",
              "identifiers": { "phone": "+31612345678" }, "data": { "communication-content": { "text": "hello" } } }
        ]))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let subject = stored["records"][0]["subject"]
        .as_str()
        .unwrap()
        .to_string();

    let overview: Value = app
        .get_as(&key, "/v1/retention")
        .await
        .json()
        .await
        .unwrap();
    let names: Vec<&str> = overview["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["name"].as_str().unwrap())
        .collect();
    assert!(
        names.iter().any(|n| n.starts_with("sms-voice/")),
        "{overview}"
    );
    assert!(names.contains(&"omnichannel/open"), "{overview}");

    // A hold on one person, for a case; listed, then lifted once.
    let placed = app
        .client
        .post(app.url("/v1/holds"))
        .bearer_auth(&key)
        .json(
            &json!({ "subject": subject, "case": "claim-9", "reason": "A customer's legal claim" }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(placed.status(), 201);
    let hold: Value = placed.json().await.unwrap();
    let id = hold["id"].as_str().unwrap().to_string();
    let listed: Value = app.get_as(&key, "/v1/holds").await.json().await.unwrap();
    assert_eq!(listed[0]["id"], id.as_str());
    assert_eq!(listed[0]["case"], "claim-9");
    let lifted = app
        .client
        .delete(app.url(&format!("/v1/holds/{id}")))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap();
    assert_eq!(lifted.status(), 200);
    let again = app
        .client
        .delete(app.url(&format!("/v1/holds/{id}")))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap();
    error_of(again, 409).await;

    // A period within R3's bounds re-files the conversation by its day.
    let set: Value = app
        .client
        .put(app.url("/v1/retention/periods/omnichannel"))
        .bearer_auth(&key)
        .json(&json!({ "period": "P90D" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(set["refiled"], 1);
    let overview: Value = app
        .get_as(&key, "/v1/retention")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(overview["periods"]["omnichannel"], "P90D");

    // Bad input, by field; and a read-only key cannot change anything.
    for (body, field) in [
        (json!({ "reason": "  " }), "reason"),
        (json!({ "subject": "nope", "reason": "x" }), "subject"),
        (json!({ "reason": "x", "ends_at": "tomorrow" }), "ends_at"),
        (json!({ "reason": "x", "scope": "all" }), "scope"),
    ] {
        let response = app
            .client
            .post(app.url("/v1/holds"))
            .bearer_auth(&key)
            .json(&body)
            .send()
            .await
            .unwrap();
        let (_, _, got) = error_of(response, 422).await;
        assert_eq!(got.as_deref(), Some(field), "{body}");
    }
    let response = app
        .client
        .put(app.url("/v1/retention/periods/omnichannel"))
        .bearer_auth(&key)
        .json(&json!({ "period": "P5Y" }))
        .send()
        .await
        .unwrap();
    let (_, message, field) = error_of(response, 422).await;
    assert_eq!(field.as_deref(), Some("period"));
    assert!(message.contains("P0D to P2Y"), "{message}");
    let response = app
        .client
        .put(app.url("/v1/retention/periods/sms-voice"))
        .bearer_auth(&key)
        .json(&json!({ "period": "P1M" }))
        .send()
        .await
        .unwrap();
    let (_, _, field) = error_of(response, 422).await;
    assert_eq!(field.as_deref(), Some("rule"));
    let response = app
        .client
        .post(app.url("/v1/holds"))
        .bearer_auth(&reader)
        .json(&json!({ "reason": "x" }))
        .send()
        .await
        .unwrap();
    error_of(response, 403).await;
}
