use std::path::Path;
use std::sync::Arc;

use custodian_core::{SystemClock, TenantId};
use custodian_engine::totp::{self, TotpSecret};
use custodian_engine::{Actor, Engine, chain_key};
use custodian_http::{AppState, router};
use custodian_testkit::TestDb;
use custodian_vault::MasterKey;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// A running app and what tests need to talk to it.
pub struct TestApp {
    pub address: String,
    pub engine: Engine,
    pub client: reqwest::Client,
    pub _db: TestDb,
}

pub fn seeds_policy() -> custodian_policy::Policy {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies/messagebird");
    let (policy, report) = custodian_policy::load(&dir);
    policy.unwrap_or_else(|| panic!("{}", report.render(false)))
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with_clock(Arc::new(SystemClock)).await
}

/// An app whose engine reads time from `clock` (a `FixedClock` lets a test travel in time).
pub async fn spawn_app_with_clock(clock: Arc<dyn custodian_core::Clock>) -> TestApp {
    spawn(clock, None).await
}

/// An app that takes inbound mail posted with `token`.
pub async fn spawn_app_with_inbound(token: &str) -> TestApp {
    spawn(Arc::new(SystemClock), Some(token.to_string())).await
}

/// An app that answers the Data Rights Protocol as `drp` says.
pub async fn spawn_app_with_drp(drp: custodian_engine::drp::DrpSettings) -> TestApp {
    spawn_full(Arc::new(SystemClock), None, Some(drp)).await
}

async fn spawn(clock: Arc<dyn custodian_core::Clock>, inbound: Option<String>) -> TestApp {
    spawn_full(clock, inbound, None).await
}

async fn spawn_full(
    clock: Arc<dyn custodian_core::Clock>,
    inbound: Option<String>,
    drp: Option<custodian_engine::drp::DrpSettings>,
) -> TestApp {
    let db = TestDb::new().await;
    let master = MasterKey::generate();
    let store = custodian_store::open(&db.location, chain_key(&master))
        .await
        .expect("store");
    let keys = custodian_store::open_keys(&db.location)
        .await
        .expect("key store");
    let engine = Engine::new(
        store,
        keys,
        Arc::new(seeds_policy()),
        clock,
        Arc::new(master),
    )
    .await
    .expect("engine");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = format!("http://{}", listener.local_addr().expect("address"));
    let app = router(
        AppState::new(engine.clone())
            .with_inbound_token(inbound)
            .with_drp(drp),
    );
    tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await
        .expect("serve")
    });
    TestApp {
        address,
        engine,
        client: reqwest::Client::new(),
        _db: db,
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request")
    }

    pub async fn get_as(&self, key: &str, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .bearer_auth(key)
            .send()
            .await
            .expect("request")
    }

    /// A tenant with a key holding `scopes`.
    pub async fn tenant_with_key(&self, name: &str, scopes: &[&str]) -> (TenantId, String) {
        let tenant = self
            .engine
            .create_tenant(&Actor::Cli, name, Some("NL"))
            .await
            .expect("tenant");
        let scopes: Vec<String> = scopes.iter().map(|s| s.to_string()).collect();
        let key = self
            .engine
            .create_api_key(&Actor::Cli, tenant.id, "test", &scopes)
            .await
            .expect("key");
        (tenant.id, key.token)
    }
}

/// Asserts the JSON error shape and returns (code, message, field).
pub async fn error_of(
    response: reqwest::Response,
    status: u16,
) -> (String, String, Option<String>) {
    assert_eq!(response.status().as_u16(), status);
    assert!(
        response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json")),
        "errors are JSON"
    );
    let body: serde_json::Value = response.json().await.expect("JSON body");
    let error = &body["error"];
    (
        error["code"].as_str().expect("code").to_string(),
        error["message"].as_str().expect("message").to_string(),
        error["field"].as_str().map(str::to_string),
    )
}

pub const STAFF_PASSWORD: &str = "a long staff pass phrase";

/// A staff session: (cookie pair, csrf token).
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

/// A member of staff with `role`, a confirmed second factor, and a session.
pub async fn staff(app: &TestApp, name: &str, role: &str) -> Session {
    let email = format!("{name}@custodian.example");
    let (account, enrolment) = app
        .engine
        .create_staff(
            &Actor::Cli,
            &email,
            STAFF_PASSWORD,
            &[role.to_string()],
            "en",
        )
        .await
        .unwrap();
    let secret = TotpSecret::from_base32(&enrolment.secret).unwrap();
    let step = totp::step_at(app.engine.now());
    app.engine
        .confirm_totp(account.id, &totp::code_at_step(&secret, step - 1))
        .await
        .unwrap();
    let response = app
        .client
        .post(app.url("/v1/account/session"))
        .json(&json!({ "email": email, "password": STAFF_PASSWORD, "code": totp::code_at_step(&secret, step) }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let body: Value = response.json().await.unwrap();
    Session {
        cookie,
        csrf: body["csrf"].as_str().unwrap().to_string(),
    }
}
