//! Data subject requests over the API: filing every right, the export as a ZIP, an extension,
//! objections decided with grounds, bulk jobs, the kept confirmation, bad input, and tenants
//! kept apart.

use std::io::Read;
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, error_of, spawn_app};

const ALL: &[&str] = &[
    "records:read",
    "records:write",
    "requests:read",
    "requests:write",
];

async fn post(app: &TestApp, key: &str, path: &str, body: Value) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .bearer_auth(key)
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn ingest(app: &TestApp, key: &str, records: Value) {
    let r = post(app, key, "/v1/records", records).await;
    assert_eq!(
        r.status(),
        StatusCode::CREATED,
        "{}",
        r.text().await.unwrap()
    );
}

fn lead(email: &str, basis: &str) -> Value {
    let mut lead = json!({
        "product": "leads", "purpose": if basis == "consent" { "promote-services" } else { "crm-records" },
        "legal_basis": basis,
        "identifiers": { "email": email },
        "data": { "name": "Hanna", "email-address": email }
    });
    // A lead on consent ticked the form's box: the consent goes with the record. On legitimate
    // interest a prospect is only kept in the CRM: marketing to them needs their consent.
    if basis == "consent" {
        lead["consent"] = json!({ "method": "checkbox", "locale": "en" });
    }
    lead
}

#[tokio::test]
async fn a_customer_files_every_kind_of_request_and_downloads_the_export() {
    let app = spawn_app().await;
    let (_, key) = app.tenant_with_key("Acme", ALL).await;
    let (_, other) = app.tenant_with_key("Globex", ALL).await;
    ingest(
        &app,
        &key,
        json!([lead("hanna@example.com", "legitimate-interest")]),
    )
    .await;

    // Access: fulfilled, the export is a ZIP with JSON, a CSV and the index.
    let r = post(
        &app,
        &key,
        "/v1/requests",
        json!({ "right": "access", "identifiers": { "email": "hanna@example.com" }, "locale": "nl" }),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let access: Value = r.json().await.unwrap();
    assert_eq!(access["state"], "fulfilled");
    let id = access["id"].as_str().unwrap();
    let r = app.get_as(&key, &format!("/v1/requests/{id}/export")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/zip");
    let bytes = r.bytes().await.unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut index = String::new();
    zip.by_name("index.html")
        .unwrap()
        .read_to_string(&mut index)
        .unwrap();
    assert!(index.contains("lang=\"nl\""), "{index}");
    assert!(zip.by_name("leads.csv").is_ok());
    // The kept confirmation.
    let r = app
        .get_as(&key, &format!("/v1/requests/{id}/confirmation"))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    // Another customer: not found, for the request and its export.
    assert_eq!(
        app.get_as(&other, &format!("/v1/requests/{id}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get_as(&other, &format!("/v1/requests/{id}/export"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );

    // An objection waits; it is extended (once), then decided with grounds.
    let r = post(
        &app,
        &key,
        "/v1/requests",
        json!({ "right": "objection", "identifiers": { "email": "hanna@example.com" } }),
    )
    .await;
    let objection: Value = r.json().await.unwrap();
    assert_eq!(objection["state"], "in_progress");
    let oid = objection["id"].as_str().unwrap();
    let r = post(
        &app,
        &key,
        &format!("/v1/requests/{oid}/extension"),
        json!({ "reason": "Complex assessment" }),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = post(
        &app,
        &key,
        &format!("/v1/requests/{oid}/extension"),
        json!({ "reason": "again" }),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let r = post(
        &app,
        &key,
        &format!("/v1/requests/{oid}/objection-decision"),
        json!({ "uphold": true, "grounds": "No overriding interest." }),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Value>().await.unwrap()["state"], "fulfilled");

    // Lists: open ones by due date, all newest first.
    let r = app.get_as(&key, "/v1/requests?open=true").await;
    assert_eq!(
        r.json::<Value>().await.unwrap()["requests"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    let r = app.get_as(&key, "/v1/requests").await;
    assert_eq!(
        r.json::<Value>().await.unwrap()["requests"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let r = app.get_as(&other, "/v1/requests").await;
    assert_eq!(
        r.json::<Value>().await.unwrap()["requests"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
}

#[tokio::test]
async fn bad_requests_get_clear_errors() {
    let app = spawn_app().await;
    let (_, key) = app.tenant_with_key("Acme", ALL).await;
    let (_, reader) = app.tenant_with_key("Reader", &["requests:read"]).await;

    let r = post(
        &app,
        &key,
        "/v1/requests",
        json!({ "right": "teleport", "identifiers": { "email": "a@example.com" } }),
    )
    .await;
    let (code, message, field) = error_of(r, 422).await;
    assert_eq!(
        (code.as_str(), field.as_deref()),
        ("invalid_input", Some("right"))
    );
    assert!(message.contains("erasure"), "{message}");

    let r = post(&app, &key, "/v1/requests", json!({ "right": "access" })).await;
    let (_, _, field) = error_of(r, 422).await;
    assert_eq!(field.as_deref(), Some("identifiers"));

    let r = post(
        &app,
        &key,
        "/v1/requests",
        json!({ "right": "access", "identifiers": { "phone": "12" } }),
    )
    .await;
    let (_, _, field) = error_of(r, 422).await;
    assert_eq!(field.as_deref(), Some("identifiers.phone"));

    let r = post(
        &app,
        &key,
        "/v1/requests",
        json!({ "right": "access", "identifiers": {}, "colour": "red" }),
    )
    .await;
    let (_, _, field) = error_of(r, 422).await;
    assert_eq!(field.as_deref(), Some("colour"));

    let r = post(
        &app,
        &key,
        "/v1/requests",
        json!({ "right": "access", "identifiers": { "email": "a@example.com" }, "regime": "mars" }),
    )
    .await;
    let (_, _, field) = error_of(r, 422).await;
    assert_eq!(field.as_deref(), Some("regime"));

    let r = post(
        &app,
        &reader,
        "/v1/requests",
        json!({ "right": "access", "identifiers": { "email": "a@example.com" } }),
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    assert_eq!(
        app.get_as(&key, "/v1/requests/not-an-id").await.status(),
        StatusCode::NOT_FOUND
    );
    let r = post(&app, &key, "/v1/requests/bulk", json!({ "right": "objection", "subjects": [{ "identifiers": { "email": "a@example.com" } }] })).await;
    let (_, _, field) = error_of(r, 422).await;
    assert_eq!(field.as_deref(), Some("right"));
    let r = app
        .client
        .put(app.url("/v1/request-webhook"))
        .bearer_auth(&key)
        .json(&json!({ "url": "http://example.com/hook" }))
        .send()
        .await
        .unwrap();
    let (_, _, field) = error_of(r, 422).await;
    assert_eq!(field.as_deref(), Some("webhook_url"));
}

#[tokio::test]
async fn a_bulk_job_runs_in_the_background_and_reports_progress() {
    let app = spawn_app().await;
    let (_, key) = app.tenant_with_key("Acme", ALL).await;
    let emails: Vec<String> = (0..25).map(|i| format!("person{i}@example.com")).collect();
    let records: Vec<Value> = emails.iter().map(|e| lead(e, "consent")).collect();
    ingest(&app, &key, json!(records)).await;
    let subjects: Vec<Value> = emails
        .iter()
        .map(|e| json!({ "identifiers": { "email": e } }))
        .collect();
    let r = post(
        &app,
        &key,
        "/v1/requests/bulk",
        json!({ "right": "erasure", "subjects": subjects }),
    )
    .await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let location = r.headers()["location"].to_str().unwrap().to_string();
    let job: Value = r.json().await.unwrap();
    assert_eq!(job["total"], 25);
    let mut last = Value::Null;
    for _ in 0..100 {
        last = app.get_as(&key, &location).await.json().await.unwrap();
        if last["finished_at"].is_string() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(last["done"], 25, "{last}");
    assert_eq!(last["states"]["fulfilled"], 25, "{last}");
}
