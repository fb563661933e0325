//! Reliability of the retention sweep: the real binary is killed (SIGKILL) at random moments
//! of a sweep, fifty times, on the backend the run selects. After every kill nothing is
//! half-done (a bucket marked expired or purged has no key left; nothing not yet due is
//! touched; the audit chain verifies), and a final sweep finishes everything: every due bucket
//! purged, its key gone, every record counted exactly once in the aggregates.
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use custodian_core::{RecordId, SystemClock, TenantId};
use custodian_engine::records::IngestRecord;
use custodian_engine::{Actor, ChainVerdict, Engine, Principal, chain_key};
use custodian_store::BucketState;
use custodian_testkit::TestDb;
use custodian_vault::MasterKey;
use jiff::{SignedDuration, Timestamp};

const TRIALS: usize = 50;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn data_args(db: &TestDb) -> Vec<String> {
    let mut args = db.cli_args();
    args.push("--master-key-file".into());
    args.push(db.dir.path().join("master.key").display().to_string());
    args
}

async fn open_engine(db: &TestDb, master: &Arc<MasterKey>) -> Engine {
    let (policy, report) = custodian_policy::load(&repo().join("policies/messagebird"));
    let policy = policy.unwrap_or_else(|| panic!("{}", report.render(false)));
    let store = custodian_store::open(&db.location, chain_key(master))
        .await
        .unwrap();
    let keys = custodian_store::open_keys(&db.location).await.unwrap();
    Engine::new(
        store,
        keys,
        Arc::new(policy),
        Arc::new(SystemClock),
        Arc::clone(master),
    )
    .await
    .unwrap()
}

/// A small deterministic generator, seeded from the clock and printed, so a failing run can be
/// repeated with `CUSTODIAN_CRASH_SEED`.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
}

fn sms(phone: &str, at: Timestamp) -> IngestRecord {
    serde_json::from_value(serde_json::json!({
        "product": "sms",
        "purpose": "transmission",
        "legal_basis": "contract",
        "identifiers": { "phone": phone },
        "occurred_at": at,
        "data": { "communication-content": "Your code is 4921" }
    }))
    .unwrap()
}

/// Ingests `per_day` records on each of `days` days ending `ago_days` ago.
async fn ingest_days(
    engine: &Engine,
    principal: &Principal,
    trial: usize,
    ago_days: i64,
    days: i64,
    per_day: usize,
) -> Vec<RecordId> {
    let mut ids = Vec::new();
    for d in 0..days {
        let at = Timestamp::now() - SignedDuration::from_hours(24 * (ago_days + d));
        let records = (0..per_day)
            .map(|i| sms(&format!("+3161{trial:03}{d:02}{i:02}"), at))
            .collect();
        let stored = engine.ingest(principal, records, None, b"").await.unwrap();
        ids.extend(stored.records.iter().map(|r| r.id));
    }
    ids
}

async fn readable(engine: &Engine, principal: &Principal, id: RecordId) -> bool {
    matches!(engine.record(principal, id, "transmission").await, Ok(r) if r.data.is_some())
}

/// What must hold after every kill.
async fn check_nothing_half_done(
    engine: &Engine,
    tenant: TenantId,
    principal: &Principal,
    not_due: &[RecordId],
) {
    for b in engine.buckets(Some(tenant), u32::MAX).await.unwrap() {
        if matches!(b.state, BucketState::Expired | BucketState::Purged) {
            let keys = engine
                .keys()
                .bucket_keys(tenant, std::slice::from_ref(&b.name))
                .await
                .unwrap();
            assert!(
                keys.is_empty(),
                "bucket {} is {:?} but its key is still there",
                b.name,
                b.state
            );
        }
    }
    for id in not_due {
        assert!(
            readable(engine, principal, *id).await,
            "a record not yet due was destroyed"
        );
    }
    assert_eq!(
        engine.verify_audit().await.unwrap().verdict,
        ChainVerdict::Intact
    );
}

#[tokio::test]
async fn a_sweep_killed_at_random_moments_loses_nothing_and_finishes_later() {
    let db = TestDb::new().await;
    let created = Command::new(env!("CARGO_BIN_EXE_custodian"))
        .args(["tenant", "create", "--name", "Acme"])
        .args(data_args(&db))
        .current_dir(repo())
        .output()
        .unwrap();
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    let tenant: TenantId = String::from_utf8_lossy(&created.stdout)
        .trim()
        .parse()
        .unwrap();
    let master = Arc::new(MasterKey::load(&db.dir.path().join("master.key")).unwrap());
    let engine = open_engine(&db, &master).await;
    let token = engine
        .create_api_key(
            &Actor::Cli,
            tenant,
            "test",
            &["records:read".into(), "records:write".into()],
        )
        .await
        .unwrap()
        .token;
    let principal = engine.authenticate(&token).await.unwrap();
    // Kept: made last week, due in about six months.
    let not_due = ingest_days(&engine, &principal, 999, 7, 2, 5).await;

    let config = db.dir.path().join("crash.toml");
    std::fs::write(&config, "[retention]\nlease_seconds = 1\npurge_batch = 3\n").unwrap();
    let seed = std::env::var("CUSTODIAN_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| Timestamp::now().as_nanosecond() as u64);
    eprintln!("CUSTODIAN_CRASH_SEED={seed}");
    let mut rng = Lcg(seed);
    let mut due = 0usize;
    let mut killed_mid_sweep = 0;
    let mut interrupted = 0;
    for trial in 0..TRIALS {
        // Fresh due work for this trial: three days of records from eight months ago.
        due += ingest_days(&engine, &principal, trial, 240 + 3 * trial as i64, 3, 12)
            .await
            .len();
        let before = engine.store().audit_head().await.unwrap().seq;
        let mut child = Command::new(env!("CARGO_BIN_EXE_custodian"))
            .arg("--config")
            .arg(&config)
            .arg("sweep")
            .args(data_args(&db))
            .current_dir(repo())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Wait until the sweep is at work (its first audit event), then kill it a random
        // moment later.
        let started = std::time::Instant::now();
        while child.try_wait().unwrap().is_none()
            && engine.store().audit_head().await.unwrap().seq == before
            && started.elapsed() < Duration::from_secs(20)
        {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        let delay = rng.next() % 25;
        tokio::time::sleep(Duration::from_millis(delay)).await;
        if child.try_wait().unwrap().is_none() {
            killed_mid_sweep += 1;
        }
        let _ = child.kill(); // SIGKILL: no chance to clean up
        let _ = child.wait();
        check_nothing_half_done(&engine, tenant, &principal, &not_due).await;
        let mid_way = engine
            .buckets(Some(tenant), u32::MAX)
            .await
            .unwrap()
            .iter()
            .filter(|b| matches!(b.state, BucketState::Expiring | BucketState::Expired))
            .count();
        if mid_way > 0 {
            interrupted += 1;
        }
    }
    eprintln!(
        "{killed_mid_sweep} of {TRIALS} kills landed while the sweep ran; after {interrupted} a bucket was left between its steps"
    );
    assert!(
        killed_mid_sweep >= TRIALS / 5,
        "too few kills landed during a sweep ({killed_mid_sweep}); the delays need adjusting"
    );

    // Leases of killed sweeps run out after a second; then one sweep finishes everything.
    tokio::time::sleep(Duration::from_millis(1_200)).await;
    let last = Command::new(env!("CARGO_BIN_EXE_custodian"))
        .arg("--config")
        .arg(&config)
        .arg("sweep")
        .args(data_args(&db))
        .current_dir(repo())
        .output()
        .unwrap();
    assert!(
        last.status.success(),
        "{}",
        String::from_utf8_lossy(&last.stderr)
    );
    check_nothing_half_done(&engine, tenant, &principal, &not_due).await;
    let buckets = engine.buckets(Some(tenant), u32::MAX).await.unwrap();
    let due_buckets: Vec<_> = buckets
        .iter()
        .filter(|b| b.expires_at.is_some_and(|t| t <= Timestamp::now()))
        .collect();
    assert_eq!(due_buckets.len(), 3 * TRIALS);
    assert!(
        due_buckets.iter().all(|b| b.state == BucketState::Purged),
        "every due bucket is purged after the final sweep"
    );
    // Each due record counted exactly once: its one category.
    let counted: i64 = engine
        .store()
        .aggregates(tenant)
        .await
        .unwrap()
        .iter()
        .filter(|a| a.category == "communication-content")
        .map(|a| a.count)
        .sum();
    assert_eq!(
        counted, due as i64,
        "aggregates count every expired record once"
    );
    let recorded: i64 = due_buckets.iter().map(|b| b.records.unwrap_or(0)).sum();
    assert_eq!(recorded, due as i64);
}

/// Two processes sweeping one database at once (two replicas of `serve`, or a cron `sweep`
/// beside `serve`): both finish without error and every due bucket is expired exactly once.
#[tokio::test]
async fn two_sweeping_processes_share_the_work_without_doing_any_twice() {
    let db = TestDb::new().await;
    let created = Command::new(env!("CARGO_BIN_EXE_custodian"))
        .args(["tenant", "create", "--name", "Acme"])
        .args(data_args(&db))
        .current_dir(repo())
        .output()
        .unwrap();
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    let tenant: TenantId = String::from_utf8_lossy(&created.stdout)
        .trim()
        .parse()
        .unwrap();
    let master = Arc::new(MasterKey::load(&db.dir.path().join("master.key")).unwrap());
    let engine = open_engine(&db, &master).await;
    let token = engine
        .create_api_key(
            &Actor::Cli,
            tenant,
            "test",
            &["records:read".into(), "records:write".into()],
        )
        .await
        .unwrap()
        .token;
    let principal = engine.authenticate(&token).await.unwrap();
    let due = ingest_days(&engine, &principal, 1, 240, 20, 25).await.len();
    let config = db.dir.path().join("replicas.toml");
    std::fs::write(&config, "[retention]\npurge_batch = 5\n").unwrap();
    let spawn = || {
        Command::new(env!("CARGO_BIN_EXE_custodian"))
            .arg("--config")
            .arg(&config)
            .args(["sweep", "--format", "json"])
            .args(data_args(&db))
            .current_dir(repo())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    for out in [&a, &b] {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let expired = |out: &std::process::Output| -> usize {
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        report["buckets"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|b| b["outcome"] == "expired")
            .count()
    };
    // Whatever one left as busy the other finished; a final sweep finds nothing left.
    let buckets = engine.buckets(Some(tenant), u32::MAX).await.unwrap();
    let purged = buckets
        .iter()
        .filter(|b| b.state == BucketState::Purged)
        .count();
    assert_eq!(expired(&a) + expired(&b), purged);
    assert_eq!(purged, 20, "{buckets:?}");
    let recorded: i64 = buckets.iter().map(|b| b.records.unwrap_or(0)).sum();
    assert_eq!(recorded, due as i64, "every record counted once");
    let events = engine
        .store()
        .audit_events(&custodian_store::AuditFilter {
            limit: 10_000,
            ..Default::default()
        })
        .await
        .unwrap();
    let expiries = events
        .iter()
        .filter(|e| e.event.action == "retention.expire")
        .count();
    assert_eq!(expiries, 20, "one expiry per bucket");
    assert_eq!(
        engine.verify_audit().await.unwrap().verdict,
        ChainVerdict::Intact
    );
}
