//! The real `custodian` binary, driven as a user would: exit codes, messages and a served
//! process stopped with SIGTERM. Data commands run on the backend the test run selects.
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Output, Stdio};

use custodian_testkit::TestDb;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn custodian(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_custodian"))
        .args(args)
        .current_dir(repo())
        .env_remove("CUSTODIAN_DATABASE_URL")
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Data options for a fresh database, with the key file kept in the test's directory.
fn data_args(db: &TestDb) -> Vec<String> {
    let mut args = db.cli_args();
    args.push("--master-key-file".into());
    args.push(db.dir.path().join("master.key").display().to_string());
    args
}

fn run_with(db: &TestDb, args: &[&str]) -> Output {
    let data = data_args(db);
    let mut all: Vec<&str> = args.to_vec();
    all.extend(data.iter().map(String::as_str));
    custodian(&all)
}

use custodian_testkit::broken_policy;

/// Starts `custodian ARGS` in the background, with its standard output readable line by line.
fn spawn(args: &[String]) -> (Child, BufReader<ChildStdout>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_custodian"))
        .args(args)
        .current_dir(repo())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    (child, stdout)
}

/// Sends SIGTERM and asserts a clean exit.
fn stop(mut child: Child) {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = child.wait().unwrap();
    assert!(exit.success(), "a graceful stop exits 0: {exit:?}");
}

#[test]
fn policy_check_accepts_the_seeds_policy() {
    let out = custodian(&["policy", "check"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("is valid: 4 versions (2016, 2020, 2022, 2023), 4 locales"));
}

#[test]
fn policy_check_names_file_line_column_and_a_fix_and_exits_1() {
    let dir = broken_policy("unknown-reference");
    let out = custodian(&[
        "policy",
        "check",
        "--policy",
        &dir.path().display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("error[P0103]"), "{stderr}");
    assert!(stderr.contains("versions/2021/extra.toml:4:15"), "{stderr}");
    assert!(stderr.contains("help: did you mean `hosting`?"), "{stderr}");

    let json = custodian(&[
        "policy",
        "check",
        "--format",
        "json",
        "--policy",
        &dir.path().display().to_string(),
    ]);
    assert_eq!(json.status.code(), Some(1));
    let body: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(body["valid"], false);
    assert_eq!(body["diagnostics"][0]["line"], 4);
    assert_eq!(body["diagnostics"][0]["column"], 15);
}

#[test]
fn policy_check_on_a_missing_directory_is_an_error_not_a_panic() {
    let out = custodian(&["policy", "check", "--policy", "/nonexistent/policy"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("cannot read /nonexistent/policy/policy.toml"));
}

#[test]
fn policy_diff_shows_material_changes_and_none_for_a_version_against_itself() {
    let out = custodian(&["policy", "diff", "2020", "2023"]);
    assert!(out.status.success());
    let stdout = text(&out.stdout);
    assert!(stdout.contains("Policy diff 2020 → 2023"));
    assert!(stdout.contains("material"));
    assert!(stdout.contains("- sparkpost"), "{stdout}");
    let same = custodian(&["policy", "diff", "2023", "2023"]);
    assert!(text(&same.stdout).contains("No differences"));
    let unknown = custodian(&["policy", "diff", "2020", "2031"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(text(&unknown.stderr).contains("no version `2031`; it has: 2016, 2020, 2022, 2023"));
}

#[test]
fn policy_ropa_prints_csv_json_and_markdown() {
    let csv = custodian(&["policy", "ropa", "--format", "csv"]);
    assert!(text(&csv.stdout).starts_with("activity,purpose,controller,dpo,legal_bases"));
    let json = custodian(&[
        "policy",
        "ropa",
        "--format",
        "json",
        "--lang",
        "id",
        "--policy-version",
        "2022",
    ]);
    let body: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(body["version"], "2022");
    assert_eq!(body["locale"], "id");
    let md = custodian(&["policy", "ropa"]);
    assert!(text(&md.stdout).contains("# Record of processing activities (GDPR Article 30)"));
    let bad = custodian(&["policy", "ropa", "--lang", "fr"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(text(&bad.stderr).contains("no locale `fr`"));
}

#[tokio::test]
async fn tenants_keys_and_the_audit_chain_are_managed_from_the_command_line() {
    let db = TestDb::new().await;
    let created = run_with(
        &db,
        &["tenant", "create", "--name", "Acme", "--region", "nl"],
    );
    assert!(created.status.success(), "{}", text(&created.stderr));
    let tenant = text(&created.stdout).trim().to_string();

    let key = run_with(
        &db,
        &[
            "apikey",
            "create",
            "--tenant",
            &tenant,
            "--scope",
            "audit:read",
            "--scope",
            "records:read",
        ],
    );
    assert!(key.status.success(), "{}", text(&key.stderr));
    assert!(text(&key.stdout).starts_with("cus_"));
    assert!(text(&key.stderr).contains("shown once"));

    let list = run_with(&db, &["apikey", "list", "--tenant", &tenant]);
    let line = text(&list.stdout);
    assert!(
        line.contains("records:read,audit:read") && line.contains("active"),
        "{line}"
    );
    let key_id = line.split('\t').next().unwrap().to_string();
    let revoked = run_with(&db, &["apikey", "revoke", &key_id]);
    assert!(revoked.status.success(), "{}", text(&revoked.stderr));

    let tenants = run_with(&db, &["tenant", "list"]);
    assert!(text(&tenants.stdout).contains("Acme\tNL"));

    let verify = run_with(&db, &["audit", "verify"]);
    assert!(verify.status.success(), "{}", text(&verify.stderr));
    assert!(text(&verify.stdout).contains("audit chain intact: 3 events verified"));

    let bad_scope = run_with(
        &db,
        &[
            "apikey",
            "create",
            "--tenant",
            &tenant,
            "--scope",
            "everything",
        ],
    );
    assert_eq!(bad_scope.status.code(), Some(1));
    assert!(
        text(&bad_scope.stderr)
            .contains("`everything` is not a scope; the scopes are: records:read")
    );
    let bad_tenant = run_with(
        &db,
        &[
            "apikey",
            "create",
            "--tenant",
            "nope",
            "--scope",
            "audit:read",
        ],
    );
    assert!(text(&bad_tenant.stderr).contains("`nope` is not a tenant id"));
}

#[tokio::test]
async fn audit_verify_names_the_first_broken_link_and_exits_1() {
    let db = TestDb::new().await;
    for name in ["A", "B", "C"] {
        assert!(
            run_with(&db, &["tenant", "create", "--name", name])
                .status
                .success()
        );
    }
    db.raw(db.drop_audit_guards()).await.unwrap();
    db.raw("UPDATE audit_events SET actor = 'mallory' WHERE seq = 2")
        .await
        .unwrap();
    let verify = run_with(&db, &["audit", "verify"]);
    assert_eq!(verify.status.code(), Some(1));
    assert!(
        text(&verify.stdout).contains("BROKEN after 1 good events: event 2 was altered"),
        "{}",
        text(&verify.stdout)
    );
}

#[tokio::test]
async fn a_missing_or_wrong_master_key_for_an_existing_database_stops_with_how_to_fix_it() {
    let db = TestDb::new().await;
    assert!(
        run_with(&db, &["tenant", "create", "--name", "Acme"])
            .status
            .success()
    );
    let key_file = db.dir.path().join("master.key");
    let original = std::fs::read_to_string(&key_file).unwrap();

    std::fs::remove_file(&key_file).unwrap();
    let missing = run_with(&db, &["tenant", "list"]);
    assert_eq!(missing.status.code(), Some(1));
    let stderr = text(&missing.stderr);
    assert!(
        stderr.contains("master.key is missing") && stderr.contains("Restore the key file"),
        "{stderr}"
    );
    assert!(
        !key_file.exists(),
        "no new key is made for an existing database"
    );

    std::fs::write(&key_file, format!("{}\n", "ab".repeat(32))).unwrap();
    let wrong = run_with(&db, &["tenant", "list"]);
    assert_eq!(wrong.status.code(), Some(1));
    assert!(text(&wrong.stderr).contains("does not match this database"));

    std::fs::write(&key_file, original).unwrap();
    assert!(run_with(&db, &["tenant", "list"]).status.success());
}

#[test]
fn a_misspelt_database_url_is_refused_without_printing_its_password() {
    let out = custodian(&[
        "tenant",
        "list",
        "--database-url",
        "postgress://app:hunter2@127.0.0.1/custodian",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("is not a database URL Custodian knows"),
        "{stderr}"
    );
    assert!(!stderr.contains("hunter2"));
}

#[test]
fn a_sqlite_url_to_a_missing_file_is_refused_not_created() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("typo.db");
    let url = format!("sqlite:{}", path.display());
    let key = dir.path().join("k.key").display().to_string();
    let out = custodian(&[
        "tenant",
        "list",
        "--database-url",
        &url,
        "--master-key-file",
        &key,
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("there is no SQLite database at"));
    assert!(!path.exists());
}

#[test]
fn the_configuration_dump_masks_secrets_and_a_bad_file_is_named() {
    let out = custodian(&[
        "config",
        "--database-url",
        "postgres://app:hunter2@127.0.0.1/custodian",
    ]);
    assert!(out.status.success());
    let stdout = text(&out.stdout);
    assert!(stdout.contains("database_url = \"***\""), "{stdout}");
    assert!(!stdout.contains("hunter2"));

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("custodian.toml");
    std::fs::write(&file, "[server]\nlisten = \"127.0.0.1:1\"\nlistn = 3\n").unwrap();
    let bad = custodian(&["config", "--config", &file.display().to_string()]);
    assert_eq!(bad.status.code(), Some(1));
    let stderr = text(&bad.stderr);
    assert!(
        stderr.contains("custodian.toml") && stderr.contains("listn"),
        "{stderr}"
    );
}

#[tokio::test]
async fn serve_answers_on_a_free_port_and_stops_cleanly_on_sigterm() {
    let db = TestDb::new().await;
    let data = data_args(&db);
    let mut args: Vec<String> = vec!["serve".into(), "--listen".into(), "127.0.0.1:0".into()];
    args.extend(data);
    let (child, mut stdout) = spawn(&args);
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let base = line
        .trim()
        .rsplit(' ')
        .next()
        .unwrap()
        .trim_end_matches('/')
        .to_string();
    assert!(base.starts_with("http://127.0.0.1:"), "{line}");

    let client = reqwest::Client::new();
    let health = client.get(format!("{base}/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    let ready: serde_json::Value = client
        .get(format!("{base}/readyz"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ready["database"], custodian_testkit::backend());

    stop(child);
}

#[test]
fn serve_refuses_to_start_on_an_invalid_policy() {
    let policy = broken_policy("purpose-without-basis");
    let data = tempfile::tempdir().unwrap();
    let out = custodian(&[
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--data-dir",
        &data.path().display().to_string(),
        "--policy",
        &policy.path().display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("is invalid") && stderr.contains("has no legal basis"),
        "{stderr}"
    );
}

#[tokio::test]
async fn the_demo_prints_where_to_look_and_keys_that_sign_in() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("demo");
    let (child, mut reader) = spawn(&[
        "demo".into(),
        "--listen".into(),
        "127.0.0.1:0".into(),
        "--data-dir".into(),
        data.display().to_string(),
    ]);
    let mut guide = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap() == 0 || line.contains("Stop with Ctrl-C") {
            break;
        }
        guide.push_str(&line);
    }
    for expected in [
        "?lang=en",
        "?lang=nl",
        "?lang=zh-CN",
        "?lang=id",
        "Acme Retail",
        "Globex Logistics",
        "/v1/me",
    ] {
        assert!(
            guide.contains(expected),
            "{expected} missing from:\n{guide}"
        );
    }
    let base = guide
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("curl ")
                .and_then(|rest| rest.strip_suffix("/v1/policy"))
        })
        .expect("a curl line for /v1/policy")
        .to_string();
    let key = guide
        .lines()
        .find(|l| l.trim_start().starts_with("Acme Retail"))
        .and_then(|l| l.split_whitespace().last())
        .unwrap()
        .to_string();
    let me: serde_json::Value = reqwest::Client::new()
        .get(format!("{base}/v1/me"))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["tenant_name"], "Acme Retail");
    // The printed accounts sign in: the customer with its password, the compliance officer
    // only with a code from the printed TOTP secret.
    assert!(
        guide.contains("owner@signup.example / demo password 2026"),
        "{guide}"
    );
    let client = reqwest::Client::new();
    let session = client
        .post(format!("{base}/v1/account/session"))
        .json(&serde_json::json!({ "email": "owner@signup.example", "password": "demo password 2026" }))
        .send()
        .await
        .unwrap();
    assert_eq!(session.status().as_u16(), 201);
    let secret = guide
        .lines()
        .find_map(|l| l.split("TOTP secret ").nth(1))
        .map(|s| s.trim().to_string())
        .expect("the officer's TOTP secret");
    let secret = custodian_engine::totp::TotpSecret::from_base32(&secret).unwrap();
    let officer = |code: Option<String>| {
        let mut body = serde_json::json!({ "email": "officer@custodian.example", "password": "demo password 2026" });
        if let Some(code) = code {
            body["code"] = serde_json::json!(code);
        }
        client
            .post(format!("{base}/v1/account/session"))
            .json(&body)
            .send()
    };
    assert_eq!(officer(None).await.unwrap().status().as_u16(), 401);
    // The demo used this step's code to confirm; the next step's is accepted (one step of drift).
    let next = custodian_engine::totp::step_at(jiff::Timestamp::now()) + 1;
    let code = custodian_engine::totp::code_at_step(&secret, next);
    assert_eq!(officer(Some(code)).await.unwrap().status().as_u16(), 201);
    let page = reqwest::get(format!("{base}/?lang=id"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Masa retensi"),
        "the Indonesian page is served"
    );
    // Staff work to look at: colleagues in every role, requests waiting for four eyes, cases
    // from the mailboxes, and the public transparency report of the disclosure requests.
    for expected in [
        "legal@custodian.example",
        "support@custodian.example",
        "security@custodian.example",
        "/transparency?lang=en",
        "/v1/staff/approvals?state=pending",
    ] {
        assert!(
            guide.contains(expected),
            "{expected} missing from:\n{guide}"
        );
    }
    let report: serde_json::Value = reqwest::get(format!("{base}/v1/transparency"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(report["report"]["total"], 2, "{report}");
    assert_eq!(report["report"]["by_outcome"]["pushed-back"], 1, "{report}");
    // Support signs in with its printed second factor and sees the mailboxes' cases.
    let support_secret = guide
        .lines()
        .find(|l| l.contains("support@custodian.example"))
        .and_then(|l| l.rsplit(' ').next())
        .map(|s| custodian_engine::totp::TotpSecret::from_base32(s.trim()).unwrap())
        .expect("support's TOTP secret");
    let code = custodian_engine::totp::code_at_step(
        &support_secret,
        custodian_engine::totp::step_at(jiff::Timestamp::now()),
    );
    let session = client
        .post(format!("{base}/v1/account/session"))
        .json(&serde_json::json!({ "email": "support@custodian.example", "password": "demo password 2026", "code": code }))
        .send()
        .await
        .unwrap();
    assert_eq!(session.status().as_u16(), 201);
    let cookie = session.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let cases: serde_json::Value = client
        .get(format!("{base}/v1/staff/cases?open=true"))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let kinds: Vec<&str> = cases
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["kind"].as_str())
        .filter(|k| *k != "government-disclosure")
        .collect();
    assert_eq!(
        kinds.len(),
        4,
        "a Children report, a dispute, a data request, a compromise: {kinds:?}"
    );
    // Without a mail server the demo writes its notices as e-mails into the outbox.
    assert!(guide.contains("notices are written as e-mails"), "{guide}");
    let outbox = data.join("outbox");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    let mut count = 0;
    while std::time::Instant::now() < deadline {
        count = std::fs::read_dir(&outbox).map(|d| d.count()).unwrap_or(0);
        if count >= 4 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert!(count >= 4, "{count} e-mails in the demo's outbox");
    stop(child);
}

#[tokio::test]
async fn serve_sends_queued_notices_through_the_configured_smtp_server() {
    let db = TestDb::new().await;
    let sink = custodian_testkit::smtp::SmtpSink::start().await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("custodian.toml");
    std::fs::write(
        &config,
        format!(
            "[mail]\nsmtp_url = \"{}\"\nfrom = \"Privacy <privacy@custodian.test>\"\ninterval_seconds = 1\n\n[server]\npublic_url = \"https://privacy.custodian.test/\"\n",
            sink.url()
        ),
    )
    .unwrap();
    let mut args: Vec<String> = vec![
        "--config".into(),
        config.display().to_string(),
        "serve".into(),
        "--listen".into(),
        "127.0.0.1:0".into(),
    ];
    args.extend(data_args(&db));
    let (child, mut stdout) = spawn(&args);
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let base = line
        .trim()
        .rsplit(' ')
        .next()
        .unwrap()
        .trim_end_matches('/')
        .to_string();
    let response = reqwest::Client::new()
        .post(format!("{base}/v1/subscriptions"))
        .json(
            &serde_json::json!({"email": "erin@example.test", "lang": "en", "topics": ["policy"]}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 202);
    let mails = sink.wait_for(1, custodian_testkit::smtp::MAIL_WAIT).await;
    assert_eq!(
        mails.len(),
        1,
        "the background dispatcher sent the confirmation"
    );
    assert_eq!(mails[0].to, vec!["erin@example.test".to_string()]);
    assert_eq!(mails[0].from, "privacy@custodian.test");
    let text = mails[0].text();
    assert!(
        text.contains("https://privacy.custodian.test/subscriptions/confirm?token=3D")
            || text.contains("https://privacy.custodian.test/subscriptions/confirm?token="),
        "links use server.public_url:\n{text}"
    );
    let status = run_with(&db, &["notices", "status"]);
    assert!(text_of(&status).contains("1 sent"), "{}", text_of(&status));
    stop(child);
}

fn text_of(out: &Output) -> String {
    text(&out.stdout)
}

#[tokio::test]
async fn backup_writes_the_data_and_the_key_store_as_separate_copies() {
    let db = TestDb::new().await;
    assert!(
        run_with(&db, &["tenant", "create", "--name", "Acme"])
            .status
            .success()
    );
    let target = db.dir.path().join("backups");
    let to = target.display().to_string();
    let out = run_with(&db, &["backup", "--to", &to]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let files: Vec<String> = std::fs::read_dir(&target)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(files.iter().any(|f| f.starts_with("keys-")), "{files:?}");
    assert!(files.iter().any(|f| f.starts_with("data-")), "{files:?}");
    let data = files.iter().find(|f| f.starts_with("data-")).unwrap();
    let copy = std::fs::read(target.join(data)).unwrap();
    assert!(
        String::from_utf8_lossy(&copy).contains("Acme"),
        "the data copy holds the tenant"
    );
    let keys = files.iter().find(|f| f.starts_with("keys-")).unwrap();
    let copy = String::from_utf8_lossy(&std::fs::read(target.join(keys)).unwrap()).into_owned();
    assert!(
        copy.contains("subject_keys"),
        "the key copy holds the key tables"
    );
    assert!(!copy.contains("Acme"), "the key copy holds no data");

    let only_keys = db.dir.path().join("keys-only");
    let out = run_with(
        &db,
        &[
            "backup",
            "--keys-only",
            "--to",
            &only_keys.display().to_string(),
        ],
    );
    assert!(out.status.success());
    assert_eq!(std::fs::read_dir(&only_keys).unwrap().count(), 1);
}

/// The engine over the CLI's database, in this process, with the CLI's master key.
async fn engine_of(db: &TestDb) -> custodian_engine::Engine {
    use std::sync::Arc;
    let master = custodian_vault::MasterKey::load(&db.dir.path().join("master.key")).unwrap();
    let (policy, report) = custodian_policy::load(&repo().join("policies/messagebird"));
    let policy = policy.unwrap_or_else(|| panic!("{}", report.render(false)));
    let store = custodian_store::open(&db.location, custodian_engine::chain_key(&master))
        .await
        .unwrap();
    let keys = custodian_store::open_keys(&db.location).await.unwrap();
    custodian_engine::Engine::new(
        store,
        keys,
        Arc::new(policy),
        Arc::new(custodian_core::SystemClock),
        Arc::new(master),
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn keys_replay_destroys_again_what_a_restored_key_store_brought_back() {
    use custodian_engine::{Actor, DestroyReason, records::IngestRecord};
    use custodian_policy::model::KeyScope;

    let db = TestDb::new().await;
    let created = run_with(&db, &["tenant", "create", "--name", "Acme"]);
    assert!(created.status.success(), "{}", text(&created.stderr));
    let tenant: custodian_core::TenantId = text(&created.stdout).trim().parse().unwrap();

    // A person's record, a copy of the key store, then the person's erasure.
    let engine = engine_of(&db).await;
    let token = engine
        .create_api_key(&Actor::Cli, tenant, "test", &["records:write".into()])
        .await
        .unwrap()
        .token;
    let principal = engine.authenticate(&token).await.unwrap();
    let record: IngestRecord = serde_json::from_value(serde_json::json!({
        "product": "sms",
        "purpose": "transmission",
        "legal_basis": "contract",
        "identifiers": { "phone": "+31612345678" },
        "data": { "communication-content": "Your code is 4921" }
    }))
    .unwrap();
    let subject = engine
        .ingest(&principal, vec![record], None, b"")
        .await
        .unwrap()
        .records[0]
        .subject;
    let copy = db.copy_keys().await;
    let erased = engine
        .destroy_subject_keys(
            &Actor::Cli,
            tenant,
            &[subject],
            &[KeyScope::Erasable, KeyScope::Legal],
            DestroyReason::Erasure,
        )
        .await
        .unwrap();
    assert_eq!((erased.logged, erased.destroyed), (2, 1));
    drop(engine);

    // The restored copy holds the erased key again.
    db.restore_keys(&copy).await;
    let status = run_with(&db, &["keys", "status"]);
    assert!(status.status.success(), "{}", text(&status.stderr));
    let stdout = text(&status.stdout);
    assert!(
        stdout.contains("erasure log: 2 entries; the key store has applied it through #0"),
        "{stdout}"
    );
    assert!(stdout.contains("2 entries to replay"), "{stdout}");

    let replay = run_with(&db, &["keys", "replay"]);
    assert!(replay.status.success(), "{}", text(&replay.stderr));
    assert_eq!(
        text(&replay.stdout).trim(),
        "replayed 2 erasure-log entries (#1 to #2): 1 key they name was present and is \
         destroyed now; the key store has applied the log through #2"
    );
    let engine = engine_of(&db).await;
    assert!(
        engine
            .keys()
            .subject_keys(tenant, &[subject])
            .await
            .unwrap()
            .is_empty(),
        "the erased key is gone again"
    );
    drop(engine);
    let again = run_with(&db, &["keys", "replay"]);
    assert_eq!(
        text(&again.stdout).trim(),
        "nothing to replay: the key store has applied the whole erasure log (through #2)"
    );

    // Restored once more, the server replays before it serves.
    db.restore_keys(&copy).await;
    let mut args: Vec<String> = vec!["serve".into(), "--listen".into(), "127.0.0.1:0".into()];
    args.extend(data_args(&db));
    let (child, mut stdout) = spawn(&args);
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    assert!(line.contains("serving"), "{line}");
    let status = run_with(&db, &["keys", "status"]);
    assert!(
        text(&status.stdout).contains("nothing to replay"),
        "{}",
        text(&status.stdout)
    );
    stop(child);
    let engine = engine_of(&db).await;
    assert!(
        engine
            .keys()
            .subject_keys(tenant, &[subject])
            .await
            .unwrap()
            .is_empty()
    );
}

/// `custodian ARGS` on `db` with the key store at `keys_url`.
fn run_with_keys_at(db: &TestDb, keys_url: &str, args: &[&str]) -> Output {
    let data = data_args(db);
    Command::new(env!("CARGO_BIN_EXE_custodian"))
        .args(args)
        .args(&data)
        .current_dir(repo())
        .env_remove("CUSTODIAN_DATABASE_URL")
        .env("CUSTODIAN_KEYS_DATABASE_URL", keys_url)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

#[tokio::test]
async fn the_key_store_can_live_in_a_postgresql_database_of_its_own() {
    let db = TestDb::new().await;
    // A key-store URL that is not PostgreSQL is refused with the setting's name and the fix.
    let out = run_with_keys_at(&db, "sqlite:/tmp/elsewhere.db", &["keys", "status"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("CUSTODIAN_KEYS_DATABASE_URL") && stderr.contains("postgres://"),
        "{stderr}"
    );
    let Some(data_url) = db.pg_url.clone() else {
        // On SQLite the key store is always its own file beside the data; nothing else to
        // prove without a PostgreSQL server (the PostgreSQL pass proves the rest).
        return;
    };
    let keys_db = TestDb::new().await;
    let keys_url = keys_db.pg_url.clone().unwrap();
    let out = run_with_keys_at(
        &db,
        &keys_url,
        &["bench", "ingest", "--records", "60", "--clients", "1"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    // Every key is in the key database, none in the data database.
    keys_db
        .raw(
            "DO $$ BEGIN IF (SELECT count(*) FROM custodian_keys.subject_keys) = 0
               OR (SELECT count(*) FROM custodian_keys.bucket_keys) = 0
             THEN RAISE EXCEPTION 'the key database holds no keys'; END IF; END $$;",
        )
        .await
        .unwrap();
    let err = db
        .raw("SELECT 1 FROM custodian_keys.subject_keys")
        .await
        .unwrap_err();
    assert!(err.contains("does not exist"), "{err} ({data_url})");
    let out = run_with_keys_at(&db, &keys_url, &["keys", "status"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[tokio::test]
async fn sweep_report_and_holds_are_run_from_the_command_line() {
    use custodian_engine::{Actor, records::IngestRecord};

    let db = TestDb::new().await;
    let created = run_with(&db, &["tenant", "create", "--name", "Acme"]);
    assert!(created.status.success(), "{}", text(&created.stderr));
    let tenant = text(&created.stdout).trim().to_string();
    {
        let engine = engine_of(&db).await;
        let token = engine
            .create_api_key(
                &Actor::Cli,
                tenant.parse().unwrap(),
                "test",
                &["records:write".into()],
            )
            .await
            .unwrap()
            .token;
        let principal = engine.authenticate(&token).await.unwrap();
        // Eight months ago: due under R1's six months.
        let occurred = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(24 * 240);
        let record: IngestRecord = serde_json::from_value(serde_json::json!({
            "product": "sms",
            "purpose": "transmission",
            "legal_basis": "contract",
            "identifiers": { "phone": "+31612345678" },
            "occurred_at": occurred,
            "data": { "communication-content": "Your code is 4921" }
        }))
        .unwrap();
        engine
            .ingest(&principal, vec![record], None, b"")
            .await
            .unwrap();
    }
    let report = run_with(&db, &["retention", "report"]);
    assert!(report.status.success(), "{}", text(&report.stderr));
    let out = text(&report.stdout);
    assert!(
        out.contains("Upcoming expiries")
            && out.contains("sms-voice/")
            && out.contains("(due: next sweep)"),
        "{out}"
    );

    let placed = run_with(
        &db,
        &[
            "hold",
            "place",
            "--tenant",
            &tenant,
            "--case",
            "claim-7",
            "--reason",
            "Legal claim",
        ],
    );
    assert!(placed.status.success(), "{}", text(&placed.stderr));
    let hold = text(&placed.stdout).trim().to_string();
    let held = run_with(&db, &["sweep"]);
    let out = text(&held.stdout);
    assert!(
        out.contains("0 bucket(s) expired") && out.contains("legal hold"),
        "{out}"
    );
    assert!(text(&run_with(&db, &["hold", "list"]).stdout).contains("active"));

    let lifted = run_with(&db, &["hold", "lift", "--tenant", &tenant, "--id", &hold]);
    assert!(lifted.status.success(), "{}", text(&lifted.stderr));
    let dry = run_with(&db, &["sweep", "--dry-run"]);
    assert!(
        text(&dry.stdout).contains("1 bucket(s) would expire"),
        "{}",
        text(&dry.stdout)
    );
    let done = run_with(&db, &["sweep"]);
    let out = text(&done.stdout);
    assert!(
        out.contains("1 bucket(s) expired") && out.contains("sms-voice"),
        "{out}"
    );
    let json = run_with(&db, &["retention", "report", "--format", "json"]);
    let body: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(body["past"][0]["state"], "purged");
    assert_eq!(body["past"][0]["records"], 1);

    // The governing facts: a contract end and a customer's period within the rule's bounds.
    let ended = run_with(
        &db,
        &[
            "retention",
            "contract-end",
            "--tenant",
            &tenant,
            "--on",
            "2026-01-31",
        ],
    );
    assert!(ended.status.success(), "{}", text(&ended.stderr));
    let bad = run_with(
        &db,
        &[
            "retention",
            "contract-end",
            "--tenant",
            &tenant,
            "--on",
            "2026-13-01",
        ],
    );
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        text(&bad.stderr).contains("--on `2026-13-01` is not a day"),
        "{}",
        text(&bad.stderr)
    );
    let bad = run_with(
        &db,
        &[
            "retention",
            "set-period",
            "--tenant",
            &tenant,
            "--rule",
            "omnichannel",
            "--period",
            "P3Y",
        ],
    );
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        text(&bad.stderr).contains("from P0D to P2Y"),
        "{}",
        text(&bad.stderr)
    );
    let set = run_with(
        &db,
        &[
            "retention",
            "set-period",
            "--tenant",
            &tenant,
            "--rule",
            "omnichannel",
            "--period",
            "P90D",
        ],
    );
    assert!(set.status.success(), "{}", text(&set.stderr));

    // Bad input names the flag and the fix.
    let bad = run_with(&db, &["sweep", "--now", "yesterday"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        text(&bad.stderr).contains("--now `yesterday`") && text(&bad.stderr).contains("RFC 3339")
    );
    let bad = run_with(&db, &["hold", "place", "--tenant", "nope", "--reason", "x"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(text(&bad.stderr).contains("is not a tenant id"));
}

#[tokio::test]
async fn staff_are_added_with_roles_and_sign_in_only_after_confirming_a_second_factor() {
    use custodian_engine::totp::{self, TotpSecret};
    let db = TestDb::new().await;
    let password = db.dir.path().join("password.txt");
    std::fs::write(&password, "a long staff pass phrase\n").unwrap();
    let password = password.display().to_string();
    let added = run_with(
        &db,
        &[
            "staff",
            "add",
            "--email",
            "officer@custodian.example",
            "--role",
            "compliance-officer",
            "--role",
            "legal",
            "--password-file",
            &password,
        ],
    );
    assert!(added.status.success(), "{}", text(&added.stderr));
    let out = text(&added.stdout);
    assert!(
        !out.contains("a long staff pass phrase"),
        "the password is never printed"
    );
    let secret = out
        .lines()
        .find_map(|l| l.trim().strip_prefix("secret: "))
        .unwrap_or_else(|| panic!("no secret in:\n{out}"));
    let secret = TotpSecret::from_base32(secret).unwrap();

    let listed = text(&run_with(&db, &["staff", "list"]).stdout);
    assert!(
        listed.contains("compliance-officer,legal") && listed.contains("NOT confirmed"),
        "{listed}"
    );
    let wrong = run_with(
        &db,
        &[
            "staff",
            "confirm",
            "--email",
            "officer@custodian.example",
            "--code",
            "12345",
        ],
    );
    assert!(!wrong.status.success());
    assert!(
        text(&wrong.stderr).contains("six digits"),
        "{}",
        text(&wrong.stderr)
    );
    let code = totp::code_at_step(&secret, totp::step_at(jiff::Timestamp::now()));
    let confirmed = run_with(
        &db,
        &[
            "staff",
            "confirm",
            "--email",
            "officer@custodian.example",
            "--code",
            &code,
        ],
    );
    assert!(confirmed.status.success(), "{}", text(&confirmed.stderr));
    assert_eq!(
        text(&confirmed.stdout)
            .lines()
            .filter(|l| l.starts_with("  "))
            .count(),
        10,
        "ten recovery codes"
    );
    let listed = text(&run_with(&db, &["staff", "list"]).stdout);
    assert!(listed.contains("second factor on"), "{listed}");

    // Bad input: an unknown role, a missing password file.
    let bad = run_with(
        &db,
        &[
            "staff",
            "add",
            "--email",
            "x@custodian.example",
            "--role",
            "god",
            "--password-file",
            &password,
        ],
    );
    assert!(!bad.status.success());
    assert!(
        text(&bad.stderr).contains("compliance-officer, legal, support, security, engineer"),
        "{}",
        text(&bad.stderr)
    );
    let missing = run_with(
        &db,
        &[
            "staff",
            "add",
            "--email",
            "y@custodian.example",
            "--role",
            "legal",
            "--password-file",
            "/nonexistent/pw",
        ],
    );
    assert!(!missing.status.success());
    assert!(
        text(&missing.stderr).contains("/nonexistent/pw"),
        "{}",
        text(&missing.stderr)
    );
}

/// Speaks SMTP to `address` and sends one message; returns the server's last reply.
async fn smtp_send(address: &str, from: &str, to: &str, message: &str) -> String {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader as TokioReader};
    let stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let (read, mut write) = stream.into_split();
    let mut lines = TokioReader::new(read).lines();
    let mut reply = async || loop {
        let line = lines.next_line().await.unwrap().unwrap_or_default();
        if line.len() < 4 || line.as_bytes()[3] != b'-' {
            return line;
        }
    };
    assert!(reply().await.starts_with("220"));
    for command in [
        "EHLO relay.test".to_string(),
        format!("MAIL FROM:<{from}>"),
        format!("RCPT TO:<{to}>"),
        "DATA".to_string(),
    ] {
        write
            .write_all(format!("{command}\r\n").as_bytes())
            .await
            .unwrap();
        let line = reply().await;
        assert!(
            line.starts_with('2') || line.starts_with('3'),
            "{command}: {line}"
        );
    }
    write
        .write_all(format!("{message}\r\n.\r\n").as_bytes())
        .await
        .unwrap();
    let last = reply().await;
    write.write_all(b"QUIT\r\n").await.unwrap();
    last
}

#[tokio::test]
async fn serve_takes_mail_by_its_own_smtp_listener_and_locks_a_reported_account_down() {
    let db = TestDb::new().await;
    let sink = custodian_testkit::smtp::SmtpSink::start().await;
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let token_file = dir.path().join("inbound.token");
    let token = "0123456789abcdef0123456789abcdef";
    std::fs::write(&token_file, format!("{token}\n")).unwrap();
    let config = dir.path().join("custodian.toml");
    std::fs::write(
        &config,
        format!(
            "[mail]\nsmtp_url = \"{}\"\nfrom = \"Security <security@custodian.test>\"\ninterval_seconds = 1\n\n[inbound]\nsmtp_listen = \"127.0.0.1:{port}\"\ntoken_file = \"{}\"\n",
            sink.url(),
            token_file.display()
        ),
    )
    .unwrap();
    let mut args: Vec<String> = vec![
        "--config".into(),
        config.display().to_string(),
        "serve".into(),
        "--listen".into(),
        "127.0.0.1:0".into(),
    ];
    args.extend(data_args(&db));
    let (child, mut stdout) = spawn(&args);
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let base = line
        .trim()
        .rsplit(' ')
        .next()
        .unwrap()
        .trim_end_matches('/')
        .to_string();
    let client = reqwest::Client::new();
    let signup = client
        .post(format!("{base}/v1/account/signup"))
        .json(&serde_json::json!({
            "email": "owner@shop.test", "password": "correct horse battery staple",
            "company": "Shop", "region": "NL", "locale": "en",
            "terms_version": "2023-01", "dpa_version": "2023-01", "adult": true
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(signup.status(), 201, "{}", signup.text().await.unwrap());
    sink.wait_for(1, custodian_testkit::smtp::MAIL_WAIT).await;

    // A compromise report from the account's own address, through our SMTP listener.
    let stream = tokio::net::TcpStream::connect(("127.0.0.1", port)).await;
    assert!(stream.is_ok(), "the SMTP listener is up");
    let reply = smtp_send(
        &format!("127.0.0.1:{port}"),
        "owner@shop.test",
        "security@messagebird.com",
        "From: owner@shop.test\r\nTo: security@messagebird.com\r\nSubject: Urgent: account credentials\r\n\r\nMy password leaked.",
    )
    .await;
    assert!(reply.starts_with("250"), "{reply}");

    // Locked down: the owner cannot sign in and receives the lock-down letter.
    let refused = client
        .post(format!("{base}/v1/account/session"))
        .json(&serde_json::json!({ "email": "owner@shop.test", "password": "correct horse battery staple" }))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    let mails = sink.wait_for(2, custodian_testkit::smtp::MAIL_WAIT).await;
    let letter = mails
        .iter()
        .map(|m| m.text())
        .find(|t| t.contains("locked"))
        .unwrap_or_else(|| panic!("no lock-down letter among {} mails", mails.len()));
    assert!(letter.contains("/account/reset?token"), "{letter}");

    // The same relay may post raw messages with the token instead.
    let posted = client
        .post(format!("{base}/v1/inbound/mail"))
        .bearer_auth(token)
        .body("From: someone@else.test\r\nTo: privacy@messagebird.com\r\nSubject: Dispute\r\n\r\nI disagree.\r\n")
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), 201);
    let case: serde_json::Value = posted.json().await.unwrap();
    assert_eq!(case["kind"], "dispute");
    stop(child);
}

#[tokio::test]
async fn policy_publication_from_the_command_line_needs_an_approval_or_an_audited_break_glass() {
    let db = TestDb::new().await;
    // Alone: refused, with how to do it.
    let out = run_with(&db, &["policy", "publish", "--version", "2016"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("needs four eyes") && stderr.contains("--break-glass"),
        "{stderr}"
    );

    // On an approved request, as the person who asked.
    let engine = engine_of(&db).await;
    let mut people = Vec::new();
    for (name, role) in [("lawyer", "legal"), ("officer", "compliance-officer")] {
        let (account, enrolment) = engine
            .create_staff(
                &custodian_engine::Actor::Cli,
                &format!("{name}@custodian.example"),
                "a long staff pass phrase",
                &[role.to_string()],
                "en",
            )
            .await
            .unwrap();
        let secret = custodian_engine::totp::TotpSecret::from_base32(&enrolment.secret).unwrap();
        let step = custodian_engine::totp::step_at(jiff::Timestamp::now());
        engine
            .confirm_totp(
                account.id,
                &custodian_engine::totp::code_at_step(&secret, step),
            )
            .await
            .unwrap();
        people.push(engine.store().account(account.id).await.unwrap().unwrap());
    }
    let request = engine
        .request_four_eyes(
            &people[0],
            "publish-policy",
            None,
            serde_json::json!({ "version": "2016" }),
            "publish the first version as reviewed",
        )
        .await
        .unwrap();
    let id = request.id.to_string();
    let args = [
        "policy",
        "publish",
        "--version",
        "2016",
        "--approval",
        &id,
        "--as",
        "lawyer@custodian.example",
    ];
    let early = run_with(&db, &args);
    assert_eq!(early.status.code(), Some(1), "not before the approval");
    assert!(
        text(&early.stderr).contains("second person"),
        "{}",
        text(&early.stderr)
    );
    engine
        .decide_approval(&people[1], request.id, true, None)
        .await
        .unwrap();
    let wrong = run_with(
        &db,
        &[
            "policy",
            "publish",
            "--version",
            "2020",
            "--approval",
            &id,
            "--as",
            "lawyer@custodian.example",
        ],
    );
    assert_eq!(wrong.status.code(), Some(1));
    assert!(text(&wrong.stderr).contains("not the publication of version 2020"));
    let done = run_with(&db, &args);
    assert!(done.status.success(), "{}", text(&done.stderr));
    assert!(text(&done.stdout).starts_with("2016\t"));
    let again = run_with(&db, &args);
    assert_eq!(again.status.code(), Some(1), "carried out once");

    // Break glass: published alone, and the reason is in the audit log for review.
    let effective = (jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24 * 90))
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date()
        .to_string();
    let out = run_with(
        &db,
        &[
            "policy",
            "publish",
            "--version",
            "2020",
            "--effective",
            &effective,
            "--break-glass",
            "regulator deadline today, approver unreachable",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let events = engine
        .store()
        .audit_events(&custodian_store::AuditFilter {
            limit: 100,
            action: Some("break-glass".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(events.len(), 1);
    assert!(
        events[0]
            .event
            .detail
            .as_deref()
            .unwrap()
            .contains("approver unreachable")
    );
}

/// Reads the base address from the first line `serve` prints.
fn base_of(stdout: &mut BufReader<ChildStdout>) -> String {
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    line.trim()
        .rsplit(' ')
        .next()
        .unwrap()
        .trim_end_matches('/')
        .to_string()
}

#[tokio::test]
async fn a_bulk_job_killed_midway_is_finished_by_the_next_start_and_loses_nothing() {
    use custodian_engine::records::IngestRecord;
    let db = TestDb::new().await;
    let data = data_args(&db);
    // The master key file and the schema come from a first, short-lived command.
    let out = run_with(
        &db,
        &["tenant", "create", "--name", "Acme", "--region", "nl"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let tenant: custodian_core::TenantId = text(&out.stdout).trim().parse().unwrap();
    const TOTAL: usize = 3_000;
    let token = {
        let engine = engine_of(&db).await;
        let scopes: Vec<String> = ["records:write", "requests:read", "requests:write"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let key = engine
            .create_api_key(&custodian_engine::Actor::Cli, tenant, "bulk", &scopes)
            .await
            .unwrap();
        let principal = engine.authenticate(&key.token).await.unwrap();
        let records: Vec<IngestRecord> = (0..TOTAL)
            .map(|i| {
                serde_json::from_value(serde_json::json!({
                    "product": "contacts", "purpose": "provide-services", "legal_basis": "contract",
                    "identifiers": { "phone": format!("+316{:08}", 30_000_000 + i) },
                    "data": { "name": format!("Contact {i}") }
                }))
                .unwrap()
            })
            .collect();
        engine.ingest(&principal, records, None, b"").await.unwrap();
        key.token
    };
    let mut args: Vec<String> = vec!["serve".into(), "--listen".into(), "127.0.0.1:0".into()];
    args.extend(data);
    let (mut child, mut stdout) = spawn(&args);
    let base = base_of(&mut stdout);
    let client = reqwest::Client::new();
    let subjects: Vec<serde_json::Value> = (0..TOTAL)
        .map(|i| serde_json::json!({ "identifiers": { "phone": format!("+316{:08}", 30_000_000 + i) } }))
        .collect();
    let r = client
        .post(format!("{base}/v1/requests/bulk"))
        .bearer_auth(&token)
        .json(&serde_json::json!({ "right": "erasure", "subjects": subjects }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 202);
    let job: serde_json::Value = r.json().await.unwrap();
    let status = format!("{base}/v1/request-jobs/{}", job["id"].as_str().unwrap());
    let before: serde_json::Value = client
        .get(&status)
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    // Killed without warning while the job runs.
    Command::new("kill")
        .args(["-KILL", &child.id().to_string()])
        .status()
        .unwrap();
    child.wait().unwrap();
    assert!(before["done"].as_i64().unwrap() < TOTAL as i64, "{before}");

    let (child, mut stdout) = spawn(&args);
    let base = base_of(&mut stdout);
    let status = status.replace(status.split("/v1/").next().unwrap(), &base);
    let mut last = serde_json::Value::Null;
    for _ in 0..600 {
        last = client
            .get(&status)
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if last["finished_at"].is_string() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    // Every acknowledged request is there and answered; none was erased halfway: each
    // erasure passed its check (a failed check leaves the request open, never fulfilled).
    assert_eq!(last["total"], TOTAL, "{last}");
    assert_eq!(last["done"], TOTAL, "{last}");
    assert_eq!(last["states"]["fulfilled"], TOTAL, "{last}");
    stop(child);
}
