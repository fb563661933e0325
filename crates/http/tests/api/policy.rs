use crate::helpers::{error_of, spawn_app};

#[tokio::test]
async fn the_policy_summary_lists_versions_with_dates_and_locales() {
    let app = spawn_app().await;
    let body: serde_json::Value = app.get("/v1/policy").await.json().await.unwrap();
    assert_eq!(body["current"], "2023");
    assert_eq!(body["versions"].as_array().unwrap().len(), 4);
    assert_eq!(body["versions"][2]["effective"], "2022-05-18");
    assert_eq!(
        body["locales"],
        serde_json::json!(["en", "nl", "zh-CN", "id"])
    );
}

#[tokio::test]
async fn the_diff_endpoint_classes_changes_and_names_a_missing_version() {
    let app = spawn_app().await;
    let body: serde_json::Value = app
        .get("/v1/policy/diff?from=2020&to=2023")
        .await
        .json()
        .await
        .unwrap();
    let changes = body["changes"].as_array().unwrap();
    assert!(
        changes.iter().any(|c| c["id"] == "sparkpost"
            && c["kind"] == "processor"
            && c["class"] == "material")
    );
    let same: serde_json::Value = app
        .get("/v1/policy/diff?from=2023&to=2023")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(same["changes"], serde_json::json!([]));

    let (code, _, field) = error_of(app.get("/v1/policy/diff?from=2020&to=1999").await, 404).await;
    assert_eq!((code.as_str(), field.as_deref()), ("not_found", Some("to")));
    let (code, message, _) = error_of(app.get("/v1/policy/diff?from=2020").await, 400).await;
    assert_eq!(code, "invalid_query");
    assert!(message.contains("to"), "{message}");
}

#[tokio::test]
async fn the_ropa_is_served_as_json_csv_and_markdown_in_each_locale() {
    let app = spawn_app().await;
    let json: serde_json::Value = app
        .get("/v1/policy/versions/2023/ropa")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(json["controller"], "MessageBird B.V.");
    assert!(!json["activities"].as_array().unwrap().is_empty());
    let csv = app
        .get("/v1/policy/versions/2023/ropa?format=csv&lang=nl")
        .await;
    assert!(
        csv.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(csv.text().await.unwrap().starts_with("activity,purpose,"));
    let md = app
        .get("/v1/policy/versions/2020/ropa?format=md&lang=zh-CN")
        .await
        .text()
        .await
        .unwrap();
    // Headings and article references in the locale asked for.
    assert!(md.starts_with("# 处理活动记录"), "{md}");
    assert!(md.contains("第 6 条第 1 款"));

    let (_, _, field) = error_of(app.get("/v1/policy/versions/2023/ropa?lang=fr").await, 422).await;
    assert_eq!(field.as_deref(), Some("lang"));
    let (_, _, field) = error_of(
        app.get("/v1/policy/versions/2023/ropa?format=pdf").await,
        422,
    )
    .await;
    assert_eq!(field.as_deref(), Some("format"));
    let (code, _, _) = error_of(app.get("/v1/policy/versions/1999/ropa").await, 404).await;
    assert_eq!(code, "not_found");
}

#[tokio::test]
async fn a_version_is_published_once_and_material_changes_cannot_take_effect_retroactively() {
    use custodian_engine::{Actor, EngineError};
    let app = spawn_app().await;
    let engine = &app.engine;
    // The first publication has nothing to give notice against.
    let first = engine
        .publish_policy(&Actor::Cli, "2020", None)
        .await
        .unwrap();
    assert_eq!(first.effective_on.to_string(), "2020-01-01");
    assert_eq!(first.digest.len(), 32);
    // Once only.
    let again = engine.publish_policy(&Actor::Cli, "2020", None).await;
    assert!(matches!(again, Err(EngineError::Conflict(_))), "{again:?}");
    // 2023 changes material things since 2020: its own date (in the past) is refused, naming
    // the earliest acceptable day.
    let past = engine.publish_policy(&Actor::Cli, "2023", None).await;
    let Err(EngineError::Invalid { field, message }) = past else {
        panic!("{past:?}")
    };
    assert_eq!(field, "effective");
    assert!(message.contains("material change"), "{message}");
    let unknown = engine.publish_policy(&Actor::Cli, "1999", None).await;
    assert!(matches!(
        unknown,
        Err(EngineError::Invalid {
            field: "version",
            ..
        })
    ));
    // A date ahead of today is accepted.
    let ahead = jiff::Zoned::now()
        .date()
        .checked_add(jiff::Span::new().days(30))
        .unwrap();
    let second = engine
        .publish_policy(&Actor::Cli, "2023", Some(ahead))
        .await
        .unwrap();
    assert_eq!(second.effective_on, ahead);
    assert_ne!(first.digest, second.digest);
    let all = engine.publications().await.unwrap();
    let labels: Vec<&str> = all.iter().map(|p| p.label.as_str()).collect();
    assert_eq!(labels, vec!["2020", "2023"]);
    // The statement's page shows the publication.
    let html = app.get("/privacy?lang=nl").await.text().await.unwrap();
    assert!(
        html.contains(&format!("van kracht vanaf {ahead}")),
        "{html}"
    );
    let never = app.get("/privacy/2016").await.text().await.unwrap();
    assert!(!never.contains("Published on"));
}
