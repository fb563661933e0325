use crate::helpers::{error_of, spawn_app};

#[tokio::test]
async fn healthz_answers_ok() {
    let app = spawn_app().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<serde_json::Value>().await.unwrap()["status"],
        "ok"
    );
}

#[tokio::test]
async fn readyz_names_the_database_schema_and_policy_version() {
    let app = spawn_app().await;
    let body: serde_json::Value = app.get("/readyz").await.json().await.unwrap();
    assert_eq!(body["status"], "ready");
    assert_eq!(body["database"], custodian_testkit::backend());
    assert_eq!(body["schema_version"], custodian_store::LATEST_VERSION);
    assert_eq!(body["policy_version"], "2023");
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_status_in_prometheus_text() {
    let app = spawn_app().await;
    app.get("/healthz").await;
    app.get("/v1/me").await;
    let response = app.get("/metrics").await;
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    let text = response.text().await.unwrap();
    assert!(
        text.contains(
            r#"custodian_http_requests_total{method="GET",route="/healthz",status="200"} 1"#
        ),
        "{text}"
    );
    assert!(
        text.contains(
            r#"custodian_http_requests_total{method="GET",route="/v1/me",status="401"} 1"#
        ),
        "{text}"
    );
    assert!(text.contains("custodian_http_request_duration_seconds_bucket"));
    assert!(text.contains("custodian_policy_versions 4"));
}

#[tokio::test]
async fn every_response_carries_a_request_id_and_keeps_a_given_one() {
    let app = spawn_app().await;
    let fresh = app.get("/healthz").await;
    assert!(
        fresh
            .headers()
            .get("x-request-id")
            .is_some_and(|v| v.len() >= 32)
    );
    let given = app
        .client
        .get(app.url("/healthz"))
        .header("x-request-id", "trace-me-123")
        .send()
        .await
        .unwrap();
    assert_eq!(given.headers()["x-request-id"], "trace-me-123");
}

#[tokio::test]
async fn unknown_addresses_and_methods_get_json_errors() {
    let app = spawn_app().await;
    let (code, _, _) = error_of(app.get("/no/such/thing").await, 404).await;
    assert_eq!(code, "not_found");
    let post = app.client.post(app.url("/healthz")).send().await.unwrap();
    let (code, _, _) = error_of(post, 405).await;
    assert_eq!(code, "method_not_allowed");
}

#[tokio::test]
async fn the_served_openapi_document_is_the_committed_one() {
    let app = spawn_app().await;
    let served = app.get("/openapi.json").await.text().await.unwrap();
    let committed_path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../openapi.json");
    let committed = std::fs::read_to_string(&committed_path).unwrap_or_default();
    assert_eq!(
        served, committed,
        "openapi.json is stale: run `custodian openapi > openapi.json`"
    );
    let doc: serde_json::Value = serde_json::from_str(&served).unwrap();
    for path in [
        "/healthz",
        "/readyz",
        "/metrics",
        "/v1/me",
        "/v1/policy",
        "/v1/audit/events",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} is documented");
    }
}

#[tokio::test]
async fn the_landing_page_renders_in_every_locale() {
    let app = spawn_app().await;
    for lang in ["en", "nl", "zh-CN", "id"] {
        let response = app.get(&format!("/?lang={lang}")).await;
        assert_eq!(response.status(), 200);
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        let html = response.text().await.unwrap();
        assert!(html.contains(&format!("<html lang=\"{lang}\">")), "{lang}");
        assert!(
            html.contains("Flow Builder"),
            "product names stay untranslated"
        );
    }
    let zh = app.get("/?lang=zh-CN").await.text().await.unwrap();
    assert!(
        zh.contains("终端用户") || zh.contains("电话号码"),
        "Chinese labels are used"
    );
    let fallback = app.get("/?lang=xx").await.text().await.unwrap();
    assert!(
        fallback.contains("<html lang=\"en\">"),
        "an unknown locale falls back to English"
    );
    let css = app.get("/assets/style.css").await;
    assert!(
        css.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
}

#[tokio::test]
async fn the_privacy_statement_is_served_at_stable_addresses_in_every_locale_and_version() {
    let app = spawn_app().await;
    for lang in ["en", "nl", "zh-CN", "id"] {
        let response = app.get(&format!("/privacy?lang={lang}")).await;
        assert_eq!(response.status(), 200, "{lang}");
        let html = response.text().await.unwrap();
        assert!(html.contains(&format!("<html lang=\"{lang}\">")), "{lang}");
        assert!(html.contains("<article class=\"statement\""), "{lang}");
        assert!(html.contains("Urgent: account credentials"), "{lang}");
    }
    // Every version stays readable at its own address, with its own date.
    let old = app.get("/privacy/2016?lang=en").await.text().await.unwrap();
    assert!(old.contains("10 December 2015"), "{old}");
    let nl = app.get("/privacy/2020?lang=nl").await.text().await.unwrap();
    assert!(nl.contains("1 januari 2020"));
    // Other views and formats.
    let ccpa = app
        .get("/privacy?lang=en&jurisdiction=ccpa")
        .await
        .text()
        .await
        .unwrap();
    assert!(ccpa.contains("If you are a California resident"));
    let md = app.get("/privacy?lang=id&format=md").await;
    assert!(
        md.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/markdown")
    );
    assert!(md.text().await.unwrap().starts_with("# "));
    let txt = app.get("/privacy/2023?format=txt").await;
    assert!(
        txt.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    // Bad input: a clear JSON error naming the field.
    for (path, status, field) in [
        ("/privacy/1999", 404, "version"),
        ("/privacy?lang=fr", 404, "lang"),
        ("/privacy?jurisdiction=lgpd", 400, "jurisdiction"),
        ("/privacy?format=pdf", 400, "format"),
        ("/privacy/2016?jurisdiction=ccpa", 404, "jurisdiction"),
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), status, "{path}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["error"]["field"], field, "{path}: {body}");
        assert!(body["error"]["message"].as_str().unwrap().len() > 10);
    }
}

#[tokio::test]
async fn the_subprocessor_list_is_a_page_a_json_document_and_an_atom_feed() {
    let app = spawn_app().await;
    let json: serde_json::Value = app
        .get("/v1/policy/subprocessors?lang=nl")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(json["version"], "2023");
    let list = json["subprocessors"].as_array().unwrap();
    assert_eq!(list.len(), 28);
    for p in list {
        for field in ["name", "purpose", "country", "effective"] {
            assert!(
                p[field].as_str().is_some_and(|v| !v.is_empty()),
                "{field}: {p}"
            );
        }
        assert!(p["data_categories"].is_array());
    }
    let changes = json["changes"].as_array().unwrap();
    assert!(!changes.is_empty(), "the list changed between versions");
    // The 2020 statement listed its processors first; 2022 made SparkPost an affiliate.
    assert!(
        changes
            .iter()
            .any(|c| c["kind"] == "added" && c["version"] == "2020")
    );
    assert!(
        changes
            .iter()
            .any(|c| c["kind"] == "removed" && c["version"] == "2022" && c["name"] == "SparkPost")
    );
    // An older version keeps its own list.
    let old: serde_json::Value = app
        .get("/v1/policy/subprocessors?version=2020")
        .await
        .json()
        .await
        .unwrap();
    assert_ne!(old["subprocessors"], json["subprocessors"]);

    let page = app.get("/subprocessors?lang=zh-CN").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("<html lang=\"zh-CN\">"));
    assert!(html.contains("Adyen"));

    let feed = app.get("/subprocessors.atom?lang=en").await;
    assert!(
        feed.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/atom+xml")
    );
    let xml = feed.text().await.unwrap();
    let doc = roxmltree::Document::parse(&xml).expect("the feed is well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "feed");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2005/Atom")
    );
    let entries: Vec<_> = root
        .children()
        .filter(|n| n.tag_name().name() == "entry")
        .collect();
    assert_eq!(entries.len(), changes.len());
    let mut ids: Vec<&str> = entries
        .iter()
        .map(|e| {
            e.children()
                .find(|c| c.tag_name().name() == "id")
                .and_then(|c| c.text())
                .unwrap()
        })
        .collect();
    let n = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n, "entry ids are unique");
    for e in &entries {
        let updated = e
            .children()
            .find(|c| c.tag_name().name() == "updated")
            .and_then(|c| c.text())
            .unwrap();
        assert!(updated.ends_with("T00:00:00Z"), "{updated}");
    }

    for (path, status, field) in [
        ("/subprocessors?version=1999", 404, "version"),
        ("/subprocessors?lang=fr", 404, "lang"),
        ("/subprocessors.atom?lang=xx", 404, "lang"),
        ("/v1/policy/subprocessors?version=1999", 404, "version"),
        ("/v1/policy/subprocessors?lang=xx", 422, "lang"),
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), status, "{path}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["error"]["field"], field, "{path}");
    }
}

#[tokio::test]
async fn the_record_of_processing_is_a_page_in_every_locale_with_its_downloads() {
    let app = spawn_app().await;
    for lang in ["en", "nl", "zh-CN", "id"] {
        let response = app.get(&format!("/ropa?lang={lang}")).await;
        assert_eq!(response.status(), 200, "{lang}");
        let html = response.text().await.unwrap();
        assert!(html.contains(&format!("<html lang=\"{lang}\">")));
        assert!(html.contains("MessageBird B.V."));
        assert!(html.contains(&format!(
            "/v1/policy/versions/2023/ropa?format=csv&amp;lang={lang}"
        )));
    }
    let old = app.get("/ropa?version=2016").await.text().await.unwrap();
    assert!(old.contains("aria-current=\"true\">2016"));
    let csv = app.get("/v1/policy/versions/2023/ropa?format=csv").await;
    assert_eq!(csv.status(), 200);
    let response = app.get("/ropa?version=1999").await;
    assert_eq!(response.status(), 404);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"]["field"], "version");
}

#[tokio::test]
async fn the_documents_the_statement_refers_to_are_served() {
    let app = spawn_app().await;
    for (name, expect) in [
        ("cookie-notice", "custodian_consent"),
        ("disclosure-requests", "public authority"),
        ("security", "ISO/IEC 27001:2013"),
        ("addresses", "Trompenburgstraat 2C"),
    ] {
        let response = app.get(&format!("/documents/{name}?lang=en")).await;
        assert_eq!(response.status(), 200, "{name}");
        let html = response.text().await.unwrap();
        assert!(html.contains(expect), "{name}: {expect}");
        assert!(html.contains("<article class=\"statement\""), "{name}");
    }
    let zh = app
        .get("/documents/cookie-notice?lang=zh-CN")
        .await
        .text()
        .await
        .unwrap();
    assert!(zh.contains("Cookie") && !zh.contains("饼干"));
    let redirect = app.get("/documents/subprocessors").await;
    assert_eq!(redirect.status(), 200, "followed to the subprocessor page");
    let response = app.get("/documents/terms").await;
    assert_eq!(response.status(), 404);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"]["field"], "name");
    // An unknown version is a 404.
    let response = app.get("/documents/security?version=1999").await;
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn what_changed_between_two_versions_is_a_readable_page() {
    let app = spawn_app().await;
    // Default: the version in force against the one before it.
    let html = app
        .get("/privacy/changes?lang=en")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("What changed"));
    assert!(html.contains("/privacy/2022?lang=en") && html.contains("/privacy/2023?lang=en"));
    assert!(
        html.contains("Changes that affect your rights"),
        "material changes first"
    );
    let nl = app
        .get("/privacy/changes?lang=nl&from=2016&to=2020")
        .await
        .text()
        .await
        .unwrap();
    assert!(nl.contains("Wat er is veranderd"));
    assert!(nl.contains("Toegevoegd"));
    let same = app
        .get("/privacy/changes?from=2023&to=2023")
        .await
        .text()
        .await
        .unwrap();
    assert!(same.contains("The two versions say the same."));
    for (path, field) in [
        ("/privacy/changes?from=1999", "from"),
        ("/privacy/changes?to=1999", "to"),
        ("/privacy/changes?lang=fr", "lang"),
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 404, "{path}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["error"]["field"], field, "{path}");
    }
}
