use custodian_engine::Actor;

use crate::helpers::{error_of, spawn_app};

#[tokio::test]
async fn a_request_without_a_key_is_refused_with_a_bearer_challenge() {
    let app = spawn_app().await;
    let response = app.get("/v1/me").await;
    assert_eq!(response.headers()["www-authenticate"], "Bearer");
    let (code, message, _) = error_of(response, 401).await;
    assert_eq!(code, "unauthenticated");
    assert!(message.contains("Authorization: Bearer"));
}

#[tokio::test]
async fn malformed_unknown_and_forged_keys_are_refused_alike() {
    let app = spawn_app().await;
    let (_, key) = app.tenant_with_key("Acme", &["audit:read"]).await;
    let mut forged = key.clone();
    forged.pop();
    forged.push(if key.ends_with('a') { 'b' } else { 'a' });
    for bad in [
        "nonsense",
        "cus_aaaaaaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
        forged.as_str(),
    ] {
        let (code, message, _) = error_of(app.get_as(bad, "/v1/me").await, 401).await;
        assert_eq!(code, "unauthenticated");
        assert_eq!(message, "the API key is not valid");
    }
}

#[tokio::test]
async fn a_valid_key_identifies_its_tenant_and_scopes() {
    let app = spawn_app().await;
    let (tenant, key) = app
        .tenant_with_key("Acme", &["records:read", "audit:read"])
        .await;
    let body: serde_json::Value = app.get_as(&key, "/v1/me").await.json().await.unwrap();
    assert_eq!(body["tenant_id"], tenant.to_string());
    assert_eq!(body["tenant_name"], "Acme");
    assert_eq!(
        body["scopes"],
        serde_json::json!(["records:read", "audit:read"])
    );
}

#[tokio::test]
async fn a_revoked_key_is_refused_and_its_use_is_audited() {
    let app = spawn_app().await;
    let (tenant, key) = app.tenant_with_key("Acme", &["audit:read"]).await;
    let id = app.engine.api_keys(tenant).await.unwrap()[0].id;
    app.engine.revoke_api_key(&Actor::Cli, id).await.unwrap();
    let (_, message, _) = error_of(app.get_as(&key, "/v1/me").await, 401).await;
    assert!(message.contains("revoked"));
    let events = app
        .engine
        .tenant_audit_events(tenant, 0, 100)
        .await
        .unwrap();
    let denied = events
        .iter()
        .find(|e| e.event.action == "apikey.use")
        .expect("the refusal is audited");
    assert_eq!(denied.event.outcome, custodian_store::Outcome::Denied);
}

#[tokio::test]
async fn audit_events_need_the_audit_scope() {
    let app = spawn_app().await;
    let (_, key) = app.tenant_with_key("Acme", &["records:read"]).await;
    let (code, message, _) = error_of(app.get_as(&key, "/v1/audit/events").await, 403).await;
    assert_eq!(code, "forbidden");
    assert!(message.contains("audit:read"));
}

#[tokio::test]
async fn a_tenant_sees_only_its_own_audit_events() {
    let app = spawn_app().await;
    let (a, key_a) = app.tenant_with_key("Acme", &["audit:read"]).await;
    let (b, key_b) = app.tenant_with_key("Globex", &["audit:read"]).await;
    for (tenant, key) in [(a, &key_a), (b, &key_b)] {
        let body: serde_json::Value = app
            .get_as(key, "/v1/audit/events")
            .await
            .json()
            .await
            .unwrap();
        let events = body["events"].as_array().unwrap();
        assert!(!events.is_empty());
        assert!(
            events.iter().all(|e| e["tenant"] == tenant.to_string()),
            "only own events: {events:?}"
        );
    }
    let (_, _, field) = error_of(app.get_as(&key_a, "/v1/audit/events?limit=0").await, 422).await;
    assert_eq!(field.as_deref(), Some("limit"));
    let (code, _, _) = error_of(app.get_as(&key_a, "/v1/audit/events?after=abc").await, 400).await;
    assert_eq!(code, "invalid_query");
}
