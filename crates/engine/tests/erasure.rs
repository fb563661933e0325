//! Crypto-erasure and the erasure log, on the selected backend: destroying keys, a crash
//! between logging and destroying, and a key store restored from an older copy.
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::path::Path;
use std::sync::Arc;

use custodian_core::{RecordId, SubjectId, SystemClock, TenantId};
use custodian_engine::records::IngestRecord;
use custodian_engine::{Actor, DestroyReason, Engine, Principal, Scope, chain_key};
use custodian_policy::model::KeyScope;
use custodian_store::{AuditFilter, KeyRef, NewAuditEvent, NewKeyDestruction, Outcome};
use custodian_testkit::TestDb;
use custodian_vault::MasterKey;
use jiff::{SignedDuration, Timestamp};
use serde_json::json;

fn seeds_policy() -> custodian_policy::Policy {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies/messagebird");
    let (policy, report) = custodian_policy::load(&dir);
    policy.unwrap_or_else(|| panic!("{}", report.render(false)))
}

/// Opens the data store, the key store and the engine over a test database.
async fn open_engine(db: &TestDb, master: &Arc<MasterKey>) -> Engine {
    let store = custodian_store::open(&db.location, chain_key(master))
        .await
        .unwrap();
    let keys = custodian_store::open_keys(&db.location).await.unwrap();
    Engine::new(
        store,
        keys,
        Arc::new(seeds_policy()),
        Arc::new(SystemClock),
        Arc::clone(master),
    )
    .await
    .unwrap()
}

struct Setup {
    db: TestDb,
    master: Arc<MasterKey>,
    engine: Engine,
    tenant: TenantId,
    token: String,
}

async fn setup() -> Setup {
    let db = TestDb::new().await;
    let master = Arc::new(MasterKey::generate());
    let engine = open_engine(&db, &master).await;
    let tenant = engine
        .create_tenant(&Actor::Cli, "Acme", Some("NL"))
        .await
        .unwrap();
    let scopes: Vec<String> = [Scope::RecordsRead, Scope::RecordsWrite]
        .iter()
        .map(|s| s.as_str().to_string())
        .collect();
    let key = engine
        .create_api_key(&Actor::Cli, tenant.id, "test", &scopes)
        .await
        .unwrap();
    Setup {
        db,
        master,
        engine,
        tenant: tenant.id,
        token: key.token,
    }
}

async fn principal(engine: &Engine, token: &str) -> Principal {
    engine.authenticate(token).await.unwrap()
}

/// Ingests one SMS for `phone`; returns (subject, record, bucket).
async fn sms(
    engine: &Engine,
    token: &str,
    phone: &str,
    occurred_at: Timestamp,
) -> (SubjectId, RecordId, String) {
    let record: IngestRecord = serde_json::from_value(json!({
        "product": "sms",
        "purpose": "transmission",
        "legal_basis": "contract",
        "identifiers": { "phone": phone },
        "occurred_at": occurred_at,
        "data": { "phone-number": phone, "communication-content": "Your code is 4921" }
    }))
    .unwrap();
    let p = principal(engine, token).await;
    let stored = engine.ingest(&p, vec![record], None, b"").await.unwrap();
    let r = &stored.records[0];
    let row = engine
        .store()
        .record(p.tenant, r.id)
        .await
        .unwrap()
        .unwrap();
    (r.subject, r.id, row.bucket)
}

/// Whether the record's data still opens.
async fn readable(engine: &Engine, token: &str, record: RecordId) -> bool {
    let p = principal(engine, token).await;
    engine
        .record(&p, record, "transmission")
        .await
        .unwrap()
        .data
        .is_some()
}

const BOTH: [KeyScope; 2] = [KeyScope::Erasable, KeyScope::Legal];

fn days_ago(days: i64) -> Timestamp {
    Timestamp::now() - SignedDuration::from_hours(24 * days)
}

#[tokio::test]
async fn destroying_keys_logs_each_first_then_destroys_it_and_audits() {
    let Setup {
        engine,
        tenant,
        token,
        ..
    } = setup().await;
    let (subject, record, bucket) = sms(&engine, &token, "+31612345678", Timestamp::now()).await;
    let (_, other, other_bucket) = sms(&engine, &token, "+31687654321", days_ago(10)).await;
    assert!(readable(&engine, &token, record).await);

    let done = engine
        .destroy_subject_keys(
            &Actor::System,
            tenant,
            &[subject],
            &BOTH,
            DestroyReason::Erasure,
        )
        .await
        .unwrap();
    assert_eq!(
        (done.logged, done.destroyed),
        (2, 1),
        "both scopes are logged; SMS records (R1) fall under a legal duty, so only a legal key exists"
    );
    assert!(
        engine
            .keys()
            .subject_keys(tenant, &[subject])
            .await
            .unwrap()
            .is_empty()
    );
    assert!(!readable(&engine, &token, record).await, "erased");
    assert!(
        readable(&engine, &token, other).await,
        "someone else's data stays"
    );

    let log = engine.store().key_destructions(0, 100).await.unwrap();
    assert_eq!(log.len(), 2);
    assert!(
        log.iter()
            .all(|e| e.tenant == tenant && e.reason == "erasure")
    );
    let scope_of = |scope: &str| {
        log.iter()
            .find(|e| {
                e.key
                    == KeyRef::Subject {
                        subject,
                        scope: scope.into(),
                    }
            })
            .unwrap()
    };
    assert!(
        scope_of("legal").key_digest.is_some(),
        "the destroyed key is named"
    );
    assert_eq!(
        scope_of("erasable").key_digest,
        None,
        "there was no erasable key"
    );

    let events = engine
        .store()
        .audit_events(&AuditFilter {
            after_seq: 0,
            limit: 1000,
            tenant: Some(tenant),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    let event = events
        .iter()
        .find(|e| e.event.action == "keys.destroy")
        .unwrap();
    assert_eq!(event.event.actor, "system");
    assert!(
        event
            .event
            .targets
            .contains(&format!("subject:{subject}/legal")),
        "{:?}",
        event.event.targets
    );
    assert!(event.event.detail.as_deref().unwrap().contains("erasure"));

    // A bucket: every record filed in it, whoever it belongs to.
    assert_ne!(bucket, other_bucket);
    let done = engine
        .destroy_bucket_keys(
            &Actor::System,
            tenant,
            std::slice::from_ref(&other_bucket),
            DestroyReason::Expiry,
        )
        .await
        .unwrap();
    assert_eq!((done.logged, done.destroyed), (1, 1));
    assert!(!readable(&engine, &token, other).await, "expired");
    assert!(
        engine
            .keys()
            .bucket_keys(tenant, std::slice::from_ref(&other_bucket))
            .await
            .unwrap()
            .is_empty()
    );

    // Again: logged, nothing left to destroy.
    let again = engine
        .destroy_subject_keys(
            &Actor::System,
            tenant,
            &[subject, subject],
            &BOTH,
            DestroyReason::Erasure,
        )
        .await
        .unwrap();
    assert_eq!((again.logged, again.destroyed), (2, 0));
    let status = engine.erasure_log_status().await.unwrap();
    assert_eq!((status.logged, status.replayed_through), (5, 5));
    let replay = engine.replay_destructions(&Actor::System).await.unwrap();
    assert_eq!((replay.read, replay.destroyed, replay.through), (0, 0, 5));
}

#[tokio::test]
async fn a_key_store_restored_from_an_older_copy_loses_again_the_keys_destroyed_since() {
    let Setup {
        db,
        master,
        engine,
        tenant,
        token,
    } = setup().await;
    let (erased, erased_record, _) = sms(&engine, &token, "+31612345678", Timestamp::now()).await;
    let (_, expired_record, expired_bucket) =
        sms(&engine, &token, "+31687654321", days_ago(10)).await;
    let (_, kept_record, _) = sms(&engine, &token, "+31611112222", Timestamp::now()).await;

    let copy = db.copy_keys().await;

    engine
        .destroy_subject_keys(
            &Actor::System,
            tenant,
            &[erased],
            &BOTH,
            DestroyReason::Erasure,
        )
        .await
        .unwrap();
    engine
        .destroy_bucket_keys(
            &Actor::System,
            tenant,
            &[expired_bucket],
            DestroyReason::Expiry,
        )
        .await
        .unwrap();
    assert!(!readable(&engine, &token, erased_record).await);
    assert!(!readable(&engine, &token, expired_record).await);

    drop(engine);
    db.restore_keys(&copy).await;
    let engine = open_engine(&db, &master).await;
    assert!(
        readable(&engine, &token, erased_record).await
            && readable(&engine, &token, expired_record).await,
        "the restored copy brought the destroyed keys back"
    );
    let status = engine.erasure_log_status().await.unwrap();
    assert_eq!((status.logged, status.replayed_through), (3, 0));
    assert_eq!(status.pending(), 3);

    let replay = engine.replay_destructions(&Actor::Cli).await.unwrap();
    assert_eq!(
        (replay.from, replay.read, replay.destroyed, replay.through),
        (0, 3, 2, 3)
    );
    assert!(!readable(&engine, &token, erased_record).await);
    assert!(!readable(&engine, &token, expired_record).await);
    assert!(
        readable(&engine, &token, kept_record).await,
        "only what was destroyed since the copy is destroyed"
    );
    let events = engine
        .store()
        .audit_events(&AuditFilter {
            after_seq: 0,
            limit: 1000,
            tenant: None,
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    let replayed = events
        .iter()
        .find(|e| e.event.action == "keys.replay")
        .unwrap();
    assert_eq!(replayed.event.actor, "cli");
    assert!(
        replayed
            .event
            .detail
            .as_deref()
            .unwrap()
            .contains("\"destroyed\":2")
    );

    let second = engine.replay_destructions(&Actor::Cli).await.unwrap();
    assert_eq!((second.read, second.destroyed, second.through), (0, 0, 3));
    assert_eq!(engine.erasure_log_status().await.unwrap().pending(), 0);
}

#[tokio::test]
async fn a_destruction_logged_but_not_carried_out_is_finished_by_the_replay() {
    let Setup {
        engine,
        tenant,
        token,
        ..
    } = setup().await;
    let (subject, record, bucket) = sms(&engine, &token, "+31612345678", Timestamp::now()).await;
    let (_, neighbour, _) = sms(&engine, &token, "+31687654321", days_ago(10)).await;
    let key = engine
        .keys()
        .subject_keys(tenant, &[subject])
        .await
        .unwrap()
        .remove(0);

    // What `destroy_subject_keys` writes before it touches the key store, and no more: the
    // process died in between. The bucket entry names no key (as when the key store held none
    // at the time), so its key goes only because it is older than the entry.
    let now = Timestamp::now();
    let entries = vec![
        NewKeyDestruction {
            tenant,
            key: KeyRef::Subject {
                subject,
                scope: key.scope.clone(),
            },
            key_digest: Some(custodian_store::key_digest(&key.wrapped)),
            reason: "erasure".into(),
            at: now,
        },
        NewKeyDestruction {
            tenant,
            key: KeyRef::Bucket(bucket),
            key_digest: None,
            reason: "expiry".into(),
            at: now,
        },
    ];
    engine
        .store()
        .log_key_destructions(
            &entries,
            &NewAuditEvent {
                at: now,
                actor: "system".into(),
                action: "keys.destroy".into(),
                tenant: Some(tenant),
                targets: Vec::new(),
                purpose: None,
                outcome: Outcome::Success,
                detail: None,
            },
        )
        .await
        .unwrap();
    assert!(
        readable(&engine, &token, record).await,
        "the crash left the keys"
    );
    assert_eq!(engine.erasure_log_status().await.unwrap().pending(), 2);

    let replay = engine.replay_destructions(&Actor::System).await.unwrap();
    assert_eq!((replay.read, replay.destroyed, replay.through), (2, 2, 2));
    assert!(!readable(&engine, &token, record).await);
    assert!(
        readable(&engine, &token, neighbour).await,
        "a record in another bucket of another subject stays"
    );
    let second = engine.replay_destructions(&Actor::System).await.unwrap();
    assert_eq!((second.read, second.destroyed), (0, 0));
}

#[tokio::test]
async fn a_replay_never_destroys_a_key_made_after_the_destruction() {
    let Setup {
        engine,
        tenant,
        token,
        ..
    } = setup().await;
    let (subject, before, _) = sms(&engine, &token, "+31612345678", Timestamp::now()).await;
    engine
        .destroy_subject_keys(
            &Actor::System,
            tenant,
            &[subject],
            &BOTH,
            DestroyReason::Erasure,
        )
        .await
        .unwrap();
    // The same person writes again after the erasure: a new key for the same subject.
    let (again, after, _) = sms(&engine, &token, "+31612345678", Timestamp::now()).await;
    assert_eq!(again, subject);
    assert!(!readable(&engine, &token, before).await);
    assert!(readable(&engine, &token, after).await);

    // A cursor left behind (replicas finishing out of order, or a data store restored from a
    // copy older than the key store) replays the erasure again.
    engine.keys().rewind_replay_cursor(0).await.unwrap();
    let replay = engine.replay_destructions(&Actor::System).await.unwrap();
    assert_eq!((replay.read, replay.destroyed), (2, 0));
    assert!(
        readable(&engine, &token, after).await,
        "the new key is not the one the log names"
    );
}

#[tokio::test]
async fn a_key_store_ahead_of_the_erasure_log_is_moved_back_to_its_end() {
    let Setup { engine, tenant, .. } = setup().await;
    engine
        .destroy_bucket_keys(
            &Actor::System,
            tenant,
            &["sms-voice/2030-01-01".into()],
            DestroyReason::Expiry,
        )
        .await
        .unwrap();
    // As if the data store came from an older copy than the key store: the key store has
    // applied entries the log no longer holds.
    let keys = engine.keys();
    let applied = keys
        .apply_destructions(
            &[custodian_store::KeyDestruction {
                seq: 2,
                tenant,
                key: KeyRef::Bucket("sms-voice/2030-01-02".into()),
                key_digest: None,
                reason: "expiry".into(),
                at: Timestamp::now(),
            }],
            1,
        )
        .await
        .unwrap();
    assert_eq!(applied.replayed_through, 2);
    let replay = engine.replay_destructions(&Actor::System).await.unwrap();
    assert_eq!((replay.from, replay.read, replay.through), (1, 0, 1));
    assert_eq!(keys.replayed_through().await.unwrap(), 1);
    let next = engine
        .destroy_bucket_keys(
            &Actor::System,
            tenant,
            &["sms-voice/2030-01-03".into()],
            DestroyReason::Expiry,
        )
        .await
        .unwrap();
    assert_eq!(next.logged, 1);
    assert_eq!(
        keys.replayed_through().await.unwrap(),
        2,
        "the next entry is numbered 2 again and the cursor follows it"
    );
}
