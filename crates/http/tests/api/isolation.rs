//! Tenant isolation over every endpoint of the OpenAPI document that takes an id: another
//! tenant's real id must be answered exactly like an id that exists nowhere.

use serde_json::{Value, json};

use crate::helpers::spawn_app;

fn sms(phone: &str) -> Value {
    json!({
        "product": "sms",
        "purpose": "transmission",
        "legal_basis": "contract",
        "identifiers": { "phone": phone },
        "data": { "phone-number": phone, "communication-content": "hello" }
    })
}

#[tokio::test]
async fn every_endpoint_with_an_id_answers_another_tenants_id_like_a_missing_one() {
    let app = spawn_app().await;
    let all = [
        "records:read",
        "records:write",
        "audit:read",
        "requests:read",
        "requests:write",
        "consent:read",
        "consent:write",
    ];
    let (_, owner) = app.tenant_with_key("Acme", &all).await;
    let (_, intruder) = app.tenant_with_key("Globex", &all).await;
    let stored: Value = app
        .client
        .post(app.url("/v1/records"))
        .bearer_auth(&owner)
        .json(&sms("+31612345678"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let record = stored["records"][0]["id"].as_str().unwrap().to_string();
    let subject = stored["records"][0]["subject"]
        .as_str()
        .unwrap()
        .to_string();
    let nowhere = custodian_core::RecordId::new().to_string();
    // The owner's data subject request (an objection stays open) and bulk job.
    let filed: Value = app
        .client
        .post(app.url("/v1/requests"))
        .bearer_auth(&owner)
        .json(&json!({ "right": "objection", "identifiers": { "phone": "+31612345678" } }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let request = filed["id"].as_str().unwrap().to_string();
    let job: Value = app
        .client
        .post(app.url("/v1/requests/bulk"))
        .bearer_auth(&owner)
        .json(&json!({ "right": "access", "subjects": [{ "identifiers": { "phone": "+31612345678" } }] }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let job = job["id"].as_str().unwrap().to_string();
    // The owner's saved payment method (on the person's consent).
    let method: Value = app
        .client
        .post(app.url("/v1/payment-methods"))
        .bearer_auth(&owner)
        .json(&json!({
            "subject": subject, "method": "paypal", "psp": "stripe",
            "fields": { "paypal-email": "payer@example.com" }, "consent": { "method": "checkbox" }
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let method = method["id"].as_str().unwrap().to_string();

    let doc: Value = app.get("/openapi.json").await.json().await.unwrap();
    let mut checked = 0;
    for (path, operations) in doc["paths"].as_object().unwrap() {
        // Staff routes are not a tenant's: they take a staff session, and what staff may
        // reach is the role matrix's business (tests/api/staff.rs, engine tests/access.rs).
        // Protocol agents are not tenants: they hold a token of their own (tests/api/drp.rs).
        if !path.contains("{id}")
            || path.starts_with("/v1/staff/")
            || path.starts_with("/v1/agent/")
            || path.starts_with("/v1/data-rights-request/")
        {
            continue;
        }
        let theirs = path.replace(
            "{id}",
            if path.starts_with("/v1/subjects") {
                &subject
            } else if path.starts_with("/v1/requests/") {
                &request
            } else if path.starts_with("/v1/request-jobs/") {
                &job
            } else if path.starts_with("/v1/payment-methods/") {
                &method
            } else {
                &record
            },
        );
        let missing = path.replace("{id}", &nowhere);
        for (method, _) in operations.as_object().unwrap() {
            let call = |url: String| {
                let request = match method.as_str() {
                    "get" => app
                        .client
                        .get(app.url(&format!("{url}?purpose=transmission"))),
                    "post" => app.client.post(app.url(&url)).json(&json!({ "data": {} })),
                    "put" => app.client.put(app.url(&url)),
                    "delete" => app.client.delete(app.url(&url)),
                    other => panic!("add {other} to the isolation matrix"),
                };
                request.bearer_auth(&intruder).send()
            };
            let a = call(theirs.clone()).await.unwrap();
            let b = call(missing.clone()).await.unwrap();
            assert_eq!(a.status(), 404, "{method} {path}");
            assert_eq!(b.status(), 404, "{method} {path}");
            assert_eq!(
                a.text().await.unwrap(),
                b.text().await.unwrap(),
                "{method} {path} tells the ids apart"
            );
            checked += 1;
        }
    }
    assert!(checked >= 4, "the matrix covered {checked} endpoints");
    // The owner still sees its record: the 404s above were isolation, not breakage.
    let mine = app
        .get_as(
            &owner,
            &format!("/v1/records/{record}?purpose=transmission"),
        )
        .await;
    assert_eq!(mine.status(), 200);
}
