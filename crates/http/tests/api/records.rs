use serde_json::{Value, json};

use crate::helpers::{TestApp, error_of, spawn_app};

fn sms(phone: &str, text: &str) -> Value {
    json!({
        "product": "sms",
        "purpose": "transmission",
        "legal_basis": "contract",
        "identifiers": { "phone": phone },
        "country": "NL",
        "data": {
            "phone-number": phone,
            "communication-content": text,
            "traffic-data": { "direction": "outbound", "operator": "KPN", "parts": 1 }
        }
    })
}

async fn post(app: &TestApp, key: &str, body: &Value) -> reqwest::Response {
    app.client
        .post(app.url("/v1/records"))
        .bearer_auth(key)
        .json(body)
        .send()
        .await
        .unwrap()
}

async fn lookup(app: &TestApp, key: &str, kind: &str, value: &str) -> reqwest::Response {
    app.client
        .post(app.url("/v1/subjects/lookup"))
        .bearer_auth(key)
        .json(&json!({ "kind": kind, "value": value }))
        .send()
        .await
        .unwrap()
}

const ALL: &[&str] = &["records:read", "records:write", "audit:read"];

#[tokio::test]
async fn an_ingested_record_is_found_by_its_phone_in_any_format_and_reads_back_for_a_purpose() {
    let app = spawn_app().await;
    let (tenant, key) = app.tenant_with_key("Acme", ALL).await;
    let response = post(&app, &key, &sms("+31 6 12345678", "Your code is 4921")).await;
    assert_eq!(response.status(), 201);
    let stored: Value = response.json().await.unwrap();
    let record = &stored["records"][0];
    assert!(
        record["expires_at"].as_str().is_some(),
        "SMS records expire under R1"
    );

    let found: Value = lookup(&app, &key, "phone", "06-1234 5678")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(found["subject"], record["subject"]);

    let subject = record["subject"].as_str().unwrap();
    let page: Value = app
        .get_as(
            &key,
            &format!("/v1/subjects/{subject}/records?purpose=transmission"),
        )
        .await
        .json()
        .await
        .unwrap();
    let read = &page["records"][0];
    assert_eq!(read["data"]["communication-content"], "Your code is 4921");
    assert_eq!(read["product"], "sms");
    assert_eq!(read["retention_rule"], "sms-voice");

    let one: Value = app
        .get_as(
            &key,
            &format!(
                "/v1/records/{}?purpose=fraud-prevention",
                record["id"].as_str().unwrap()
            ),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        one["data"]["phone-number"], "+31612345678",
        "phone numbers in the payload are normalised like the identifiers"
    );

    let events = app
        .engine
        .tenant_audit_events(tenant, 0, 100)
        .await
        .unwrap();
    let reads: Vec<_> = events
        .iter()
        .filter(|e| e.event.action == "records.read")
        .collect();
    assert_eq!(reads.len(), 2, "every read is audited");
    assert_eq!(reads[1].event.purpose.as_deref(), Some("fraud-prevention"));
    assert_eq!(
        reads[1].event.targets,
        vec![record["id"].as_str().unwrap().to_string()]
    );
}

#[tokio::test]
async fn a_batch_with_one_bad_record_is_refused_whole_naming_its_index() {
    let app = spawn_app().await;
    let (_, key) = app.tenant_with_key("Acme", ALL).await;
    let batch = json!([
        sms("+31612345678", "one"),
        sms("not-a-phone", "two"),
        sms("+31687654321", "three")
    ]);
    let (code, message, field) = error_of(post(&app, &key, &batch).await, 422).await;
    assert_eq!(code, "invalid_record");
    assert_eq!(field.as_deref(), Some("records[1].identifiers.phone"));
    assert!(message.starts_with("record 1:"), "{message}");
    let (code, _, _) = error_of(lookup(&app, &key, "phone", "+31612345678").await, 404).await;
    assert_eq!(code, "not_found", "nothing of the refused batch was stored");
}

#[tokio::test]
async fn ingest_refuses_what_the_policy_does_not_declare_and_lists_the_options() {
    let app = spawn_app().await;
    let (_, key) = app.tenant_with_key("Acme", ALL).await;
    let mut record = sms("+31612345678", "hi");
    record["product"] = json!("telegraph");
    let (_, message, field) = error_of(post(&app, &key, &record).await, 422).await;
    assert_eq!(field.as_deref(), Some("records[0].product"));
    assert!(
        message.contains("the products are:") && message.contains("sms"),
        "{message}"
    );

    let mut record = sms("+31612345678", "hi");
    record["legal_basis"] = json!("consent");
    let (_, message, field) = error_of(post(&app, &key, &record).await, 422).await;
    assert_eq!(field.as_deref(), Some("records[0].legal_basis"));
    assert!(
        message.contains("its legal bases are: contract"),
        "{message}"
    );

    let mut record = sms("+31612345678", "hi");
    record["categories"] = json!(["gender"]);
    let (_, _, field) = error_of(post(&app, &key, &record).await, 422).await;
    assert_eq!(field.as_deref(), Some("records[0].categories"));

    let mut record = sms("+31612345678", "hi");
    record["data"]["salary"] = json!(1);
    let (_, _, field) = error_of(post(&app, &key, &record).await, 422).await;
    assert_eq!(field.as_deref(), Some("records[0].data.salary"));

    let mut record = sms("+31612345678", "hi");
    record["identifiers"] = json!({ "email": "not an address" });
    let (_, _, field) = error_of(post(&app, &key, &record).await, 422).await;
    assert_eq!(field.as_deref(), Some("records[0].identifiers.email"));

    let numbers = json!({"product": "numbers", "purpose": "transmission", "legal_basis": "contract", "identifiers": {"phone": "+31612345678"}});
    let (_, message, _) = error_of(post(&app, &key, &numbers).await, 422).await;
    assert!(
        message.contains("holds no personal data of its own"),
        "{message}"
    );
}

#[tokio::test]
async fn a_payload_field_of_the_wrong_shape_is_named_with_what_was_expected() {
    let app = spawn_app().await;
    let (_, key) = app.tenant_with_key("Acme", ALL).await;
    let mut bad = sms("+31612345679", "two");
    bad["data"]["traffic-data"]["duration_s"] = json!("abc");
    let batch = json!([sms("+31612345678", "one"), bad]);
    let (code, message, field) = error_of(post(&app, &key, &batch).await, 422).await;
    assert_eq!(code, "invalid_record");
    assert_eq!(
        field.as_deref(),
        Some("records[1].data.traffic-data.duration_s")
    );
    assert_eq!(message, "record 1: expected an integer ≥ 0, got \"abc\"");
    let (code, _, _) = error_of(lookup(&app, &key, "phone", "+31612345678").await, 404).await;
    assert_eq!(code, "not_found", "nothing of the refused batch was stored");

    for (path, value, field) in [
        (
            "/traffic-data/direction",
            json!("sideways"),
            "records[0].data.traffic-data.direction",
        ),
        (
            "/traffic-data/salary",
            json!(1),
            "records[0].data.traffic-data.salary",
        ),
        (
            "/communication-content",
            json!({ "subject": "an SMS has no subject" }),
            "records[0].data.communication-content",
        ),
        (
            "/communication-content",
            json!("x".repeat(70 * 1024)),
            "records[0].data.communication-content",
        ),
        (
            "/phone-number",
            json!("not a phone"),
            "records[0].data.phone-number",
        ),
    ] {
        let mut record = sms("+31612345678", "hi");
        let (parent, name) = path.rsplit_once('/').unwrap();
        let target = if parent.is_empty() {
            &mut record["data"]
        } else {
            record["data"].pointer_mut(parent).unwrap()
        };
        target[name] = value;
        let (code, message, got) = error_of(post(&app, &key, &record).await, 422).await;
        assert_eq!(code, "invalid_record");
        assert_eq!(got.as_deref(), Some(field), "{message}");
    }
    let mut record = sms("+31612345678", "hi");
    record["data"]["traffic-data"]
        .as_object_mut()
        .unwrap()
        .remove("direction");
    let (_, message, field) = error_of(post(&app, &key, &record).await, 422).await;
    assert_eq!(
        field.as_deref(),
        Some("records[0].data.traffic-data.direction")
    );
    assert!(message.contains("this field is required"), "{message}");
}

/// One record of realistic data for every product of the seeds' policy that holds data.
fn one_per_product() -> Vec<Value> {
    custodian_testkit::samples::one_per_product()
}

#[tokio::test]
async fn a_record_of_every_product_that_holds_data_is_stored_and_reads_back_normalised() {
    let app = spawn_app().await;
    let (_, key) = app.tenant_with_key("Acme", ALL).await;
    let records = one_per_product();
    let policy = app.engine.policy().clone();
    let current = policy.current().unwrap();
    for product in current
        .product
        .iter()
        .filter(|p| !p.categories.is_empty() || !p.optional.is_empty())
    {
        assert!(
            records.iter().any(|r| r["product"] == product.id.as_str()),
            "product `{}` has no example",
            product.id.as_str()
        );
    }
    for record in &records {
        let response = post(&app, &key, record).await;
        let status = response.status();
        let body: Value = response.json().await.unwrap();
        assert_eq!(status, 201, "{}: {body}", record["product"]);
        let id = body["records"][0]["id"].as_str().unwrap();
        let read: Value = app
            .get_as(
                &key,
                &format!(
                    "/v1/records/{id}?purpose={}",
                    record["purpose"].as_str().unwrap()
                ),
            )
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(read["product"], record["product"]);
        if let Some(phone) = read["data"].get("phone-number") {
            assert_eq!(phone, "+31612345678", "{}", record["product"]);
        }
        if let Some(email) = read["data"].get("email-address") {
            assert_eq!(email, "anna@example.com", "{}", record["product"]);
        }
    }
}

#[tokio::test]
async fn malformed_and_oversized_bodies_get_clear_errors() {
    let app = spawn_app().await;
    let (_, key) = app.tenant_with_key("Acme", ALL).await;
    let broken = app
        .client
        .post(app.url("/v1/records"))
        .bearer_auth(&key)
        .header("content-type", "application/json")
        .body("[{\"product\": ")
        .send()
        .await
        .unwrap();
    let (code, message, _) = error_of(broken, 400).await;
    assert_eq!(code, "invalid_json");
    assert!(message.contains("line 1"), "{message}");

    // Every value fits its shape, yet together they exceed what one record may hold.
    let big = json!({
        "product": "email",
        "purpose": "transmission",
        "legal_basis": "contract",
        "identifiers": { "email": "jan@example.com" },
        "data": { "communication-content": { "body": "x".repeat(30_000), "html": "y".repeat(40_000) } }
    });
    let (code, _, _) = error_of(post(&app, &key, &big).await, 413).await;
    assert_eq!(code, "too_large");

    let (code, _, _) = error_of(post(&app, &key, &json!(42)).await, 422).await;
    assert_eq!(code, "invalid_body");
    let (code, _, _) = error_of(post(&app, &key, &json!([])).await, 422).await;
    assert_eq!(code, "invalid_input");
}

#[tokio::test]
async fn ndjson_streams_are_ingested_line_by_line() {
    let app = spawn_app().await;
    let (_, key) = app.tenant_with_key("Acme", ALL).await;
    let body = format!(
        "{}\n\n{}\n",
        sms("+31612345678", "a"),
        sms("+31612345679", "b")
    );
    let response = app
        .client
        .post(app.url("/v1/records"))
        .bearer_auth(&key)
        .header("content-type", "application/x-ndjson")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let stored: Value = response.json().await.unwrap();
    assert_eq!(stored["records"].as_array().unwrap().len(), 2);
    assert_ne!(
        stored["records"][0]["subject"],
        stored["records"][1]["subject"]
    );
}

#[tokio::test]
async fn a_retried_batch_with_the_same_idempotency_key_is_stored_once() {
    let app = spawn_app().await;
    let (tenant, key) = app.tenant_with_key("Acme", ALL).await;
    let body = json!([sms("+31612345678", "once")]);
    let send = |b: Value| {
        app.client
            .post(app.url("/v1/records"))
            .bearer_auth(&key)
            .header("idempotency-key", "batch-7")
            .json(&b)
            .send()
    };
    let first: Value = send(body.clone()).await.unwrap().json().await.unwrap();
    let second: Value = send(body.clone()).await.unwrap().json().await.unwrap();
    assert_eq!(first, second, "the retry gets the first answer");
    let subject = first["records"][0]["subject"].as_str().unwrap();
    let page: Value = app
        .get_as(
            &key,
            &format!("/v1/subjects/{subject}/records?purpose=transmission"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["records"].as_array().unwrap().len(), 1, "stored once");
    let (code, _, _) = error_of(
        send(json!([sms("+31612345678", "other")])).await.unwrap(),
        409,
    )
    .await;
    assert_eq!(code, "conflict");
    let ingests = app
        .engine
        .tenant_audit_events(tenant, 0, 100)
        .await
        .unwrap();
    assert_eq!(
        ingests
            .iter()
            .filter(|e| e.event.action == "records.ingest")
            .count(),
        1
    );
}

#[tokio::test]
async fn reading_needs_a_declared_purpose_and_the_read_scope() {
    let app = spawn_app().await;
    let (_, key) = app.tenant_with_key("Acme", ALL).await;
    let stored: Value = post(&app, &key, &sms("+31612345678", "x"))
        .await
        .json()
        .await
        .unwrap();
    let id = stored["records"][0]["id"].as_str().unwrap();
    let (_, _, field) = error_of(
        app.get_as(&key, &format!("/v1/records/{id}?purpose=curiosity"))
            .await,
        422,
    )
    .await;
    assert_eq!(field.as_deref(), Some("purpose"));
    let (code, _, _) = error_of(app.get_as(&key, &format!("/v1/records/{id}")).await, 400).await;
    assert_eq!(code, "invalid_query");
    let (_, writer) = app.tenant_with_key("Writer", &["records:write"]).await;
    let (code, _, _) = error_of(
        app.get_as(&writer, &format!("/v1/records/{id}?purpose=transmission"))
            .await,
        403,
    )
    .await;
    assert_eq!(code, "forbidden");
    let (code, _, _) = error_of(
        post(&app, "cus_bogus", &sms("+31612345678", "x")).await,
        401,
    )
    .await;
    assert_eq!(code, "unauthenticated");
}

#[tokio::test]
async fn another_tenant_cannot_see_or_infer_a_tenants_records() {
    let app = spawn_app().await;
    let (_, a) = app.tenant_with_key("Acme", ALL).await;
    let (_, b) = app.tenant_with_key("Globex", ALL).await;
    let stored: Value = post(&app, &a, &sms("+31612345678", "secret"))
        .await
        .json()
        .await
        .unwrap();
    let id = stored["records"][0]["id"].as_str().unwrap();
    let subject = stored["records"][0]["subject"].as_str().unwrap();
    let missing_record = custodian_core::RecordId::new().to_string();
    let missing_subject = custodian_core::SubjectId::new().to_string();

    // Every read endpoint answers B about A's data exactly as about data that does not exist.
    for (theirs, nobodys) in [
        (
            format!("/v1/records/{id}?purpose=transmission"),
            format!("/v1/records/{missing_record}?purpose=transmission"),
        ),
        (
            format!("/v1/subjects/{subject}/records?purpose=transmission"),
            format!("/v1/subjects/{missing_subject}/records?purpose=transmission"),
        ),
    ] {
        let x = error_of(app.get_as(&b, &theirs).await, 404).await;
        let y = error_of(app.get_as(&b, &nobodys).await, 404).await;
        assert_eq!(x, y, "{theirs}");
    }
    assert_eq!(
        error_of(lookup(&app, &b, "phone", "+31612345678").await, 404)
            .await
            .0,
        "not_found"
    );
    // The same person in B is a different subject.
    let theirs: Value = post(&app, &b, &sms("+31612345678", "mine"))
        .await
        .json()
        .await
        .unwrap();
    assert_ne!(theirs["records"][0]["subject"].as_str().unwrap(), subject);
}

#[tokio::test]
async fn the_database_holds_no_phone_number_email_address_or_message_text_in_clear() {
    let app = spawn_app().await;
    let (_, key) = app.tenant_with_key("Acme", ALL).await;
    let email = json!({
        "product": "email",
        "purpose": "transmission",
        "legal_basis": "contract",
        "identifiers": { "email": "Jan.Jansen@Example.com" },
        "data": { "email-address": "jan.jansen@example.com", "communication-content": "Quarterly invoice attached" }
    });
    assert_eq!(post(&app, &key, &email).await.status(), 201);
    assert_eq!(
        post(&app, &key, &sms("+31612345678", "Meet me at Dam Square"))
            .await
            .status(),
        201
    );
    let raw = app._db.raw_contents().await;
    let text = String::from_utf8_lossy(&raw).to_lowercase();
    for needle in [
        "31612345678",
        "612345678",
        "jan.jansen",
        "example.com",
        "quarterly invoice",
        "dam square",
    ] {
        assert!(!text.contains(needle), "`{needle}` is stored in clear");
    }
}

#[tokio::test]
async fn a_rectified_record_reads_as_corrected_and_its_old_version_is_unreadable() {
    let app = spawn_app().await;
    let (tenant, key) = app.tenant_with_key("Acme", ALL).await;
    let stored: Value = post(&app, &key, &sms("+31612345678", "wrong text"))
        .await
        .json()
        .await
        .unwrap();
    let old = stored["records"][0]["id"].as_str().unwrap().to_string();
    let subject = stored["records"][0]["subject"]
        .as_str()
        .unwrap()
        .to_string();
    let correct = |id: &str, data: Value| {
        app.client
            .post(app.url(&format!("/v1/records/{id}/rectifications")))
            .bearer_auth(&key)
            .json(&json!({ "data": data }))
            .send()
    };
    let response = correct(
        &old,
        json!({ "phone-number": "+31612345678", "communication-content": "right text" }),
    )
    .await
    .unwrap();
    assert_eq!(response.status(), 201);
    let new: Value = response.json().await.unwrap();
    assert_eq!(new["version"], 2);
    assert_eq!(new["supersedes"], old);

    let page: Value = app
        .get_as(
            &key,
            &format!("/v1/subjects/{subject}/records?purpose=transmission"),
        )
        .await
        .json()
        .await
        .unwrap();
    let records = page["records"].as_array().unwrap();
    assert_eq!(records.len(), 1, "only the newest version is processed");
    assert_eq!(records[0]["data"]["communication-content"], "right text");

    let was: Value = app
        .get_as(&key, &format!("/v1/records/{old}?purpose=transmission"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(was["superseded"], true);
    assert_eq!(
        was["data"],
        Value::Null,
        "the old ciphertext's key is destroyed"
    );

    let (code, _, _) = error_of(correct(&old, json!({})).await.unwrap(), 409).await;
    assert_eq!(code, "conflict");
    let (_, _, field) = error_of(
        correct(new["id"].as_str().unwrap(), json!({ "salary": 1 }))
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(field.as_deref(), Some("data"));
    let events = app
        .engine
        .tenant_audit_events(tenant, 0, 100)
        .await
        .unwrap();
    assert!(
        events
            .iter()
            .any(|e| e.event.action == "records.rectify" && e.event.targets.contains(&old))
    );
    let raw = String::from_utf8_lossy(&app._db.raw_contents().await).to_lowercase();
    assert!(!raw.contains("wrong text") && !raw.contains("right text"));
}

#[tokio::test]
async fn exports_stream_every_record_as_ndjson_page_by_page_and_only_the_tenants_own() {
    let app = spawn_app().await;
    let (tenant, key) = app.tenant_with_key("Acme", ALL).await;
    let (_, other) = app.tenant_with_key("Globex", ALL).await;
    // 2 300 records for one person: more than two export pages.
    let batch: Vec<Value> = (0..2300)
        .map(|i| sms("+31612345678", &format!("message {i}")))
        .collect();
    let stored: Value = post(&app, &key, &Value::Array(batch))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        post(&app, &other, &sms("+31687654321", "not yours"))
            .await
            .status(),
        201
    );
    let subject = stored["records"][0]["subject"].as_str().unwrap();

    let response = app
        .get_as(
            &key,
            &format!("/v1/subjects/{subject}/export?purpose=transmission"),
        )
        .await;
    assert_eq!(response.headers()["content-type"], "application/x-ndjson");
    let body = response.text().await.unwrap();
    let lines: Vec<Value> = body
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2300);
    assert!(lines.iter().all(|l| {
        l["data"]["communication-content"]
            .as_str()
            .unwrap()
            .starts_with("message ")
    }));
    let mut ids: Vec<&str> = lines.iter().map(|l| l["id"].as_str().unwrap()).collect();
    ids.dedup();
    assert_eq!(ids.len(), 2300, "no record twice");

    let all = app
        .get_as(&key, "/v1/export?purpose=fraud-prevention")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(all.lines().count(), 2300);
    assert!(
        !all.contains("not yours"),
        "another tenant's records never appear"
    );

    let reads = app
        .engine
        .tenant_audit_events(tenant, 0, 1000)
        .await
        .unwrap();
    let pages = reads
        .iter()
        .filter(|e| e.event.action == "records.read")
        .count();
    assert_eq!(pages, 6, "three audited pages per export");
    let (_, _, field) = error_of(app.get_as(&key, "/v1/export?purpose=gossip").await, 422).await;
    assert_eq!(field.as_deref(), Some("purpose"));
    let (code, _, _) = error_of(
        app.get_as(
            &other,
            &format!("/v1/subjects/{subject}/export?purpose=transmission"),
        )
        .await,
        404,
    )
    .await;
    assert_eq!(code, "not_found");
}

#[tokio::test]
async fn a_restricted_subject_keeps_its_records_but_leaves_every_processing_read() {
    let app = spawn_app().await;
    let (tenant, key) = app.tenant_with_key("Acme", ALL).await;
    let stored: Value = post(&app, &key, &sms("+31612345678", "kept"))
        .await
        .json()
        .await
        .unwrap();
    let subject = stored["records"][0]["subject"]
        .as_str()
        .unwrap()
        .to_string();
    let record = stored["records"][0]["id"].as_str().unwrap().to_string();
    let set = |method: reqwest::Method| {
        app.client
            .request(
                method,
                app.url(&format!("/v1/subjects/{subject}/restriction")),
            )
            .bearer_auth(&key)
            .send()
    };
    assert_eq!(set(reqwest::Method::PUT).await.unwrap().status(), 204);

    let page: Value = app
        .get_as(
            &key,
            &format!("/v1/subjects/{subject}/records?purpose=transmission"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["records"], json!([]), "no processing read returns it");
    let (code, _, _) = error_of(
        app.get_as(&key, &format!("/v1/records/{record}?purpose=transmission"))
            .await,
        404,
    )
    .await;
    assert_eq!(code, "not_found");
    let export = app
        .get_as(&key, "/v1/export?purpose=transmission")
        .await
        .text()
        .await
        .unwrap();
    assert!(export.is_empty(), "the export leaves it out");

    assert_eq!(set(reqwest::Method::DELETE).await.unwrap().status(), 204);
    let page: Value = app
        .get_as(
            &key,
            &format!("/v1/subjects/{subject}/records?purpose=transmission"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        page["records"][0]["data"]["communication-content"], "kept",
        "stored all along"
    );
    let events = app
        .engine
        .tenant_audit_events(tenant, 0, 100)
        .await
        .unwrap();
    assert!(events.iter().any(|e| e.event.action == "subject.restrict"));
    assert!(
        events
            .iter()
            .any(|e| e.event.action == "subject.unrestrict")
    );
}

#[tokio::test]
async fn concurrent_batches_naming_the_same_new_person_file_one_subject() {
    let app = spawn_app().await;
    let (_, key) = app.tenant_with_key("Acme", ALL).await;
    // Eight clients at once, each a batch about the same two people seen for the first time.
    let sends = (0..8).map(|i| {
        let batch = json!([
            sms("+31612340001", &format!("first {i}")),
            sms("+31612340002", &format!("second {i}"))
        ]);
        let (app, key) = (&app, &key);
        async move { post(app, key, &batch).await.status() }
    });
    let statuses = futures::future::join_all(sends).await;
    assert!(statuses.iter().all(|s| *s == 201), "{statuses:?}");
    for phone in ["+31612340001", "+31612340002"] {
        let found: Value = lookup(&app, &key, "phone", phone)
            .await
            .json()
            .await
            .unwrap();
        let subject = found["subject"].as_str().unwrap();
        let page: Value = app
            .get_as(
                &key,
                &format!("/v1/subjects/{subject}/records?purpose=transmission"),
            )
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            page["records"].as_array().unwrap().len(),
            8,
            "every batch's record is filed under the one subject of {phone}"
        );
    }
}

#[tokio::test]
async fn a_rectification_takes_the_same_shapes_as_an_ingest() {
    let app = spawn_app().await;
    let (_, key) = app.tenant_with_key("Acme", ALL).await;
    let stored: Value = post(&app, &key, &sms("+31612345678", "text"))
        .await
        .json()
        .await
        .unwrap();
    let id = stored["records"][0]["id"].as_str().unwrap().to_string();
    let correct = |data: Value| {
        app.client
            .post(app.url(&format!("/v1/records/{id}/rectifications")))
            .bearer_auth(&key)
            .json(&json!({ "data": data }))
            .send()
    };
    let (code, message, field) = error_of(
        correct(json!({ "phone-number": "not a phone" }))
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(code, "invalid_input");
    assert_eq!(field.as_deref(), Some("data.phone-number"), "{message}");
    let (_, message, field) = error_of(
        correct(json!({ "traffic-data": { "direction": "sideways" } }))
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(
        field.as_deref(),
        Some("data.traffic-data.direction"),
        "{message}"
    );
    // Nothing was stored by the refused corrections: the record is still version 1 and reads.
    let one: Value = app
        .get_as(&key, &format!("/v1/records/{id}?purpose=transmission"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(one["version"], 1);
    assert_eq!(one["data"]["communication-content"], "text");
    // A written-out number is stored in E.164.
    let response = correct(json!({ "phone-number": "06 1234 5678" }))
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
}
