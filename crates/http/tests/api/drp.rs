//! The Data Rights Protocol over HTTP: pairwise setup, agent information, exercise, status
//! and revocation, with and without trailing slashes; every refusal the specification lists
//! answers 403 with an empty body; an unknown right answers the protocol's 400 object.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use custodian_engine::drp::{AgentDirectory, DrpSettings};
use ed25519_dalek::{Signer, SigningKey};
use jiff::{SignedDuration, Timestamp};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app_with_drp};

const AGENT: &str = "CR_AA_DRP_ID_001_LOCAL";
const OTHER: &str = "ANOTHER_AGENT";
const BUSINESS: &str = "custodian-test";

fn key(seed: u8) -> SigningKey {
    SigningKey::from_bytes(&[seed; 32])
}

fn settings() -> DrpSettings {
    let dir = json!({ "agents": [
        { "id": AGENT, "verify_key": STANDARD.encode(key(7).verifying_key().to_bytes()) },
        { "id": OTHER, "verify_key": STANDARD.encode(key(9).verifying_key().to_bytes()) },
    ]});
    DrpSettings {
        business_id: BUSINESS.into(),
        directory: AgentDirectory::from_json(&dir.to_string()).unwrap(),
    }
}

fn claims(agent: &str, extra: Value) -> Value {
    let now = Timestamp::now();
    let mut c = json!({
        "agent-id": agent,
        "business-id": BUSINESS,
        "issued-at": (now - SignedDuration::from_secs(30)).to_string(),
        "expires-at": (now + SignedDuration::from_mins(15)).to_string(),
        "drp.version": "1.0",
    });
    for (k, v) in extra.as_object().unwrap() {
        c[k] = v.clone();
    }
    c
}

fn envelope(signer: &SigningKey, claims: &Value) -> String {
    let message = claims.to_string().into_bytes();
    let mut signed = signer.sign(&message).to_bytes().to_vec();
    signed.extend_from_slice(&message);
    STANDARD.encode(signed)
}

async fn post(app: &TestApp, path: &str, token: Option<&str>, body: String) -> reqwest::Response {
    let mut r = app
        .client
        .post(app.url(path))
        .header("content-type", "text/plain")
        .body(body);
    if let Some(t) = token {
        r = r.bearer_auth(t);
    }
    r.send().await.unwrap()
}

async fn pair(app: &TestApp, agent: &str, signer: &SigningKey) -> String {
    let r = post(
        app,
        &format!("/v1/agent/{agent}"),
        None,
        envelope(signer, &claims(agent, json!({}))),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["agent-id"], agent);
    body["token"].as_str().unwrap().to_string()
}

async fn forbidden_and_empty(r: reqwest::Response) {
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(r.bytes().await.unwrap().is_empty());
}

#[tokio::test]
async fn an_agent_pairs_exercises_reads_status_and_revokes() {
    let app = spawn_app_with_drp(settings()).await;
    let token = pair(&app, AGENT, &key(7)).await;

    // Agent information, with and without the trailing slash.
    for path in [format!("/v1/agent/{AGENT}"), format!("/v1/agent/{AGENT}/")] {
        let r = app
            .client
            .get(app.url(&path))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.json::<Value>().await.unwrap(), json!({}));
    }
    // Another agent's path with this token: 403.
    let r = app
        .client
        .get(app.url(&format!("/v1/agent/{OTHER}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    forbidden_and_empty(r).await;

    // An exercise with a verified address, regime "voluntary" (as OSIRAA sends it), to the
    // path without a trailing slash: nothing is held, so it is fulfilled at once.
    let body = envelope(
        &key(7),
        &claims(
            AGENT,
            json!({
                "exercise": "deletion", "regime": "voluntary", "agent-request-id": "aa-1",
                "email": "erin@example.com", "email_verified": true,
                "status_callback": "http://127.0.0.1:9/never"
            }),
        ),
    );
    let r = post(&app, "/v1/data-rights-request", Some(&token), body).await;
    assert_eq!(r.status(), StatusCode::OK);
    let status: Value = r.json().await.unwrap();
    assert_eq!(status["status"], "fulfilled", "{status}");
    assert_eq!(status["agent_request_id"], "aa-1");
    assert!(
        status["processing_details"]
            .as_str()
            .unwrap()
            .contains("no personal data")
    );
    let id = status["request_id"].as_str().unwrap().to_string();

    // An unverified one waits for the person: in_progress, need_user_verification.
    let body = envelope(
        &key(7),
        &claims(
            AGENT,
            json!({ "exercise": "access", "email": "fred@example.com" }),
        ),
    );
    let r = post(&app, "/v1/data-rights-request/", Some(&token), body).await;
    assert_eq!(r.status(), StatusCode::OK);
    let pending: Value = r.json().await.unwrap();
    assert_eq!(pending["status"], "in_progress");
    assert_eq!(pending["reason"], "need_user_verification");
    assert!(
        pending["user_verification_url"]
            .as_str()
            .unwrap()
            .contains("/privacy-center/requests/")
    );
    assert!(pending["expires_at"].is_string());
    let pending_id = pending["request_id"].as_str().unwrap().to_string();

    // Status, both forms.
    for path in [
        format!("/v1/data-rights-request/{id}"),
        format!("/v1/data-rights-request/{id}/"),
    ] {
        let r = app
            .client
            .get(app.url(&path))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.json::<Value>().await.unwrap()["request_id"], id.as_str());
    }
    // Another agent cannot read it.
    let other = pair(&app, OTHER, &key(9)).await;
    let r = app
        .client
        .get(app.url(&format!("/v1/data-rights-request/{id}")))
        .bearer_auth(&other)
        .send()
        .await
        .unwrap();
    forbidden_and_empty(r).await;

    // Revoke the pending one with a signed reason.
    let body = envelope(
        &key(7),
        &claims(AGENT, json!({ "reason": "the person changed their mind" })),
    );
    let r = app
        .client
        .delete(app.url(&format!("/v1/data-rights-request/{pending_id}")))
        .bearer_auth(&token)
        .header("content-type", "text/plain")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Value>().await.unwrap()["status"], "revoked");

    // Pairing again replaces the token: the old one stops working.
    let fresh = pair(&app, AGENT, &key(7)).await;
    assert_ne!(fresh, token);
    let r = app
        .client
        .get(app.url(&format!("/v1/agent/{AGENT}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    forbidden_and_empty(r).await;
}

#[tokio::test]
async fn every_refusal_the_protocol_lists_is_a_bare_403_and_an_unknown_right_a_400() {
    let app = spawn_app_with_drp(settings()).await;
    let token = pair(&app, AGENT, &key(7)).await;
    let good = |extra: Value| {
        let mut c = claims(
            AGENT,
            json!({ "exercise": "access", "email": "gus@example.com", "email_verified": true }),
        );
        for (k, v) in extra.as_object().unwrap() {
            c[k] = v.clone();
        }
        c
    };
    let now = Timestamp::now();
    let cases: Vec<(&str, String)> = vec![
        ("a bad signature", envelope(&key(8), &good(json!({})))),
        ("not base64", "%%%".to_string()),
        ("too short", STANDARD.encode([1u8; 10])),
        (
            "another agent-id",
            envelope(&key(7), &good(json!({ "agent-id": OTHER }))),
        ),
        (
            "another business-id",
            envelope(&key(7), &good(json!({ "business-id": "someone-else" }))),
        ),
        (
            "expires-at past",
            envelope(
                &key(7),
                &good(json!({ "expires-at": (now - SignedDuration::from_secs(1)).to_string() })),
            ),
        ),
        (
            "issued-at in the future",
            envelope(
                &key(7),
                &good(json!({ "issued-at": (now + SignedDuration::from_mins(5)).to_string() })),
            ),
        ),
    ];
    for (what, body) in cases {
        let r = post(&app, "/v1/data-rights-request", Some(&token), body).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{what}");
        assert!(r.bytes().await.unwrap().is_empty(), "{what}");
    }
    // No token, or a wrong one.
    let body = envelope(&key(7), &good(json!({})));
    forbidden_and_empty(post(&app, "/v1/data-rights-request", None, body.clone()).await).await;
    forbidden_and_empty(post(&app, "/v1/data-rights-request", Some("nope"), body).await).await;
    // Pairing for an agent not in the directory, or signed by another key.
    let r = post(
        &app,
        "/v1/agent/UNKNOWN",
        None,
        envelope(&key(7), &claims("UNKNOWN", json!({}))),
    )
    .await;
    forbidden_and_empty(r).await;
    let r = post(
        &app,
        &format!("/v1/agent/{AGENT}"),
        None,
        envelope(&key(9), &claims(AGENT, json!({}))),
    )
    .await;
    forbidden_and_empty(r).await;

    // An unknown right: the protocol's error object.
    let body = envelope(&key(7), &good(json!({ "exercise": "teleport" })));
    let r = post(&app, "/v1/data-rights-request", Some(&token), body).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let e: Value = r.json().await.unwrap();
    assert_eq!(e["code"], "400");
    assert_eq!(e["fatal"], true);
    assert!(e["message"].as_str().unwrap().contains("teleport"));
    // An unknown request id: 403, like another agent's.
    let r = app
        .client
        .get(app.url(&format!("/v1/data-rights-request/{}", uuid::Uuid::now_v7())))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    forbidden_and_empty(r).await;
}

#[tokio::test]
async fn without_configuration_every_protocol_call_is_refused() {
    let app = crate::helpers::spawn_app().await;
    let r = post(
        &app,
        &format!("/v1/agent/{AGENT}"),
        None,
        envelope(&key(7), &claims(AGENT, json!({}))),
    )
    .await;
    forbidden_and_empty(r).await;
}

/// A local agent's callback receiver: refuses the first call, accepts the rest; counts them.
async fn callback_receiver() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let calls = std::sync::Arc::new(AtomicUsize::new(0));
    let seen = calls.clone();
    let app = axum::Router::new().route(
        "/status",
        axum::routing::post(move |body: axum::body::Bytes| {
            let seen = seen.clone();
            async move {
                let n = seen.fetch_add(1, Ordering::SeqCst);
                let status: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
                assert!(status["request_id"].is_string(), "{status}");
                if n == 0 {
                    StatusCode::SERVICE_UNAVAILABLE
                } else {
                    StatusCode::OK
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/status", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, calls)
}

#[tokio::test]
async fn status_callbacks_are_retried_and_never_hold_the_request_up() {
    use std::sync::atomic::Ordering;
    let app = spawn_app_with_drp(settings()).await;
    let token = pair(&app, AGENT, &key(7)).await;
    let (url, calls) = callback_receiver().await;
    let body = envelope(
        &key(7),
        &claims(
            AGENT,
            json!({ "exercise": "sale:opt-out", "regime": "ccpa", "email": "hal@example.com",
                    "email_verified": true, "status_callback": url }),
        ),
    );
    let r = post(&app, "/v1/data-rights-request", Some(&token), body).await;
    assert_eq!(r.status(), StatusCode::OK);
    let status: Value = r.json().await.unwrap();
    // Answered at once, whatever the callback does.
    assert_eq!(status["status"], "fulfilled");
    let id: uuid::Uuid = status["request_id"].as_str().unwrap().parse().unwrap();

    let dir = tempfile::tempdir().unwrap();
    let mailer =
        custodian_engine::mail::DirMailer::new(dir.path().into(), "privacy@custodian.example")
            .unwrap();
    let settings = custodian_engine::notices::NoticeSettings {
        public_url: app.address.clone(),
    };
    app.engine
        .dispatch_notices(&mailer, &settings)
        .await
        .unwrap();
    let outbox = app.engine.store().rights_outbox(id).await.unwrap();
    let callbacks: Vec<_> = outbox.iter().filter(|o| o.kind == "callback").collect();
    assert!(!callbacks.is_empty());
    // The refused call is queued again with its error, not dropped.
    assert!(
        callbacks
            .iter()
            .any(|o| o.state == "queued" && o.attempts == 1 && o.last_error.is_some()),
        "{callbacks:?}"
    );
    assert!(calls.load(Ordering::SeqCst) >= 1);
}
