//! The storage contract, proven on whichever backend the run selects (SQLite or PostgreSQL).
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::sync::Arc;

use custodian_core::{ApiKeyId, TenantId};
use custodian_store::audit::{Break, Verifier};
use custodian_store::{
    ApiKeyRecord, AuditFilter, ChainKey, ConfirmationRow, NewAuditEvent, NewRightsOutbox,
    NoticeOutcome, Outcome, RequestScope, RightsFilter, RightsJobRow, RightsRequestRow, Store,
    StoreError, Tenant, VerificationCodeRow, open,
};
use custodian_testkit::TestDb;
use jiff::{Timestamp, ToSpan};
use uuid::Uuid;

const KEY: [u8; 32] = [42; 32];

async fn fresh() -> (TestDb, Arc<dyn Store>) {
    let db = TestDb::new().await;
    let store = open(&db.location, ChainKey::new(KEY))
        .await
        .expect("the store opens");
    (db, store)
}

fn event(action: &str, tenant: Option<TenantId>) -> NewAuditEvent {
    NewAuditEvent {
        at: Timestamp::now(),
        actor: "test".into(),
        action: action.into(),
        tenant,
        targets: vec![],
        purpose: None,
        outcome: Outcome::Success,
        detail: None,
    }
}

fn tenant(name: &str) -> Tenant {
    Tenant {
        id: TenantId::new(),
        name: name.into(),
        default_region: Some("NL".into()),
        created_at: Timestamp::from_microsecond(Timestamp::now().as_microsecond()).unwrap(),
    }
}

async fn verify(store: &dyn Store, key: [u8; 32]) -> Result<u64, Break> {
    let key = ChainKey::new(key);
    let mut verifier = Verifier::new(&key);
    let mut after = 0;
    loop {
        let page = store
            .audit_events(&AuditFilter {
                after_seq: after,
                limit: 2,
                tenant: None,
                ..AuditFilter::default()
            })
            .await
            .unwrap();
        let Some(last) = page.last() else { break };
        after = last.seq;
        for e in &page {
            verifier.next(e);
        }
    }
    verifier.finish(&store.audit_head().await.unwrap())
}

#[tokio::test]
async fn tenants_are_created_with_an_audit_event_and_names_are_unique() {
    let (_db, store) = fresh().await;
    let acme = tenant("Acme");
    let stored = store
        .create_tenant(&acme, &event("tenant.create", Some(acme.id)))
        .await
        .unwrap();
    assert_eq!(stored.seq, 1);
    assert_eq!(store.tenant(acme.id).await.unwrap(), Some(acme.clone()));
    assert_eq!(store.tenants().await.unwrap(), vec![acme.clone()]);
    assert_eq!(store.tenant(TenantId::new()).await.unwrap(), None);

    let err = store
        .create_tenant(&tenant("Acme"), &event("tenant.create", None))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Conflict(m) if m.contains("Acme")),
        "{err}"
    );
    assert_eq!(
        store.audit_head().await.unwrap().seq,
        1,
        "a failed change writes no event"
    );
}

#[tokio::test]
async fn api_keys_are_found_by_lookup_and_revoked_once() {
    let (_db, store) = fresh().await;
    let acme = tenant("Acme");
    store
        .create_tenant(&acme, &event("tenant.create", Some(acme.id)))
        .await
        .unwrap();
    let key = ApiKeyRecord {
        id: ApiKeyId::new(),
        tenant: acme.id,
        lookup: "abcdefghijkl".into(),
        secret_hash: vec![1; 32],
        name: "ci".into(),
        scopes: vec!["records:read".into(), "audit:read".into()],
        created_at: Timestamp::from_second(1_700_000_000).unwrap(),
        revoked_at: None,
    };
    store
        .create_api_key(&key, &event("apikey.create", Some(acme.id)))
        .await
        .unwrap();
    assert_eq!(
        store.api_key_by_lookup("abcdefghijkl").await.unwrap(),
        Some(key.clone())
    );
    assert_eq!(store.api_key(key.id).await.unwrap(), Some(key.clone()));
    assert_eq!(store.api_keys(acme.id).await.unwrap(), vec![key.clone()]);
    assert_eq!(store.api_key_by_lookup("nonexistent0").await.unwrap(), None);

    let at = Timestamp::from_second(1_700_000_100).unwrap();
    assert!(
        store
            .revoke_api_key(key.id, at, &event("apikey.revoke", Some(acme.id)))
            .await
            .unwrap()
    );
    assert!(
        !store
            .revoke_api_key(key.id, at, &event("apikey.revoke", Some(acme.id)))
            .await
            .unwrap()
    );
    assert_eq!(
        store.api_key(key.id).await.unwrap().unwrap().revoked_at,
        Some(at)
    );
    assert_eq!(
        store.audit_head().await.unwrap().seq,
        3,
        "the second revocation wrote nothing"
    );
}

#[tokio::test]
async fn concurrent_appends_form_one_unbroken_chain() {
    let (_db, store) = fresh().await;
    let tasks: Vec<_> = (0..40)
        .map(|i| {
            let store = Arc::clone(&store);
            tokio::spawn(async move {
                store
                    .append_audit(&event(&format!("a{i}"), None))
                    .await
                    .unwrap()
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(verify(store.as_ref(), KEY).await, Ok(40));
    assert_eq!(
        verify(store.as_ref(), [0; 32]).await,
        Err(Break::Edited { seq: 1 }),
        "another key cannot verify"
    );
}

#[tokio::test]
async fn audit_events_filter_by_tenant_and_page_in_order() {
    let (_db, store) = fresh().await;
    let (a, b) = (TenantId::new(), TenantId::new());
    for i in 0..6 {
        store
            .append_audit(&event("x", Some(if i % 2 == 0 { a } else { b })))
            .await
            .unwrap();
    }
    let only_a = store
        .audit_events(&AuditFilter {
            after_seq: 0,
            limit: 100,
            tenant: Some(a),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(
        only_a.iter().map(|e| e.seq).collect::<Vec<_>>(),
        vec![1, 3, 5]
    );
    let page = store
        .audit_events(&AuditFilter {
            after_seq: 2,
            limit: 2,
            tenant: None,
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(page.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![3, 4]);
}

#[tokio::test]
async fn the_database_refuses_to_edit_or_delete_audit_events() {
    let (db, store) = fresh().await;
    store.append_audit(&event("a", None)).await.unwrap();
    let edit = db
        .raw("UPDATE audit_events SET action = 'forged' WHERE seq = 1")
        .await;
    assert!(edit.unwrap_err().contains("append-only"));
    let delete = db.raw("DELETE FROM audit_events WHERE seq = 1").await;
    assert!(delete.unwrap_err().contains("append-only"));
}

async fn chain_of_five() -> (TestDb, Arc<dyn Store>) {
    let (db, store) = fresh().await;
    for i in 1..=5 {
        store
            .append_audit(&event(&format!("a{i}"), None))
            .await
            .unwrap();
    }
    assert_eq!(verify(store.as_ref(), KEY).await, Ok(5));
    db.raw(db.drop_audit_guards()).await.unwrap();
    (db, store)
}

/// The verdict on a chain of five events after `sql` tampered with it.
async fn verdict_after(sql: &str) -> Result<u64, Break> {
    let (db, store) = chain_of_five().await;
    db.raw(sql).await.unwrap();
    verify(store.as_ref(), KEY).await
}

#[tokio::test]
async fn an_edited_audit_event_is_detected() {
    let verdict =
        verdict_after("UPDATE audit_events SET actor = 'someone-else' WHERE seq = 3").await;
    assert_eq!(verdict, Err(Break::Edited { seq: 3 }));
}

#[tokio::test]
async fn a_deleted_audit_event_is_detected() {
    let verdict = verdict_after("DELETE FROM audit_events WHERE seq = 2").await;
    assert_eq!(
        verdict,
        Err(Break::Missing {
            expected: 2,
            found: 3
        })
    );
}

#[tokio::test]
async fn deleting_the_newest_audit_events_is_detected() {
    let verdict = verdict_after("DELETE FROM audit_events WHERE seq >= 4").await;
    assert_eq!(
        verdict,
        Err(Break::HeadMismatch {
            head_seq: 5,
            last_seq: 3
        })
    );
}

#[tokio::test]
async fn an_inserted_audit_event_is_detected() {
    // Make room after event 2, then insert a forged event 3 that claims to follow event 2.
    let verdict = verdict_after(
        "UPDATE audit_events SET seq = seq + 100 WHERE seq >= 3;
         UPDATE audit_events SET seq = seq - 99 WHERE seq >= 103;
         INSERT INTO audit_events (seq, at_us, actor, action, tenant_id, targets, purpose, outcome, detail, prev_hash, hash)
         SELECT 3, at_us, 'intruder', 'records.read', NULL, '[]', NULL, 'success', NULL, hash, hash
         FROM audit_events WHERE seq = 2;",
    )
    .await;
    assert_eq!(verdict, Err(Break::Edited { seq: 3 }));
}

#[tokio::test]
async fn reordered_audit_events_are_detected() {
    let verdict = verdict_after(
        "UPDATE audit_events SET seq = 100 WHERE seq = 2;
         UPDATE audit_events SET seq = 2 WHERE seq = 3;
         UPDATE audit_events SET seq = 3 WHERE seq = 100;",
    )
    .await;
    assert_eq!(verdict, Err(Break::NotLinked { seq: 2 }));
}

#[tokio::test]
async fn a_schema_newer_than_the_binary_is_refused() {
    let (db, store) = fresh().await;
    drop(store);
    db.raw(
        "INSERT INTO schema_migrations (version, name, applied_at_us) VALUES (999, 'future', 0)",
    )
    .await
    .unwrap();
    let err = open(&db.location, ChainKey::new(KEY)).await.unwrap_err();
    assert!(
        matches!(err, StoreError::SchemaTooNew { found: 999, .. }),
        "{err}"
    );
}

#[tokio::test]
async fn reopening_a_migrated_database_keeps_its_data() {
    let (db, store) = fresh().await;
    let acme = tenant("Acme");
    store
        .create_tenant(&acme, &event("tenant.create", None))
        .await
        .unwrap();
    drop(store);
    let again = open(&db.location, ChainKey::new(KEY)).await.unwrap();
    assert_eq!(again.tenants().await.unwrap(), vec![acme]);
    assert_eq!(
        again.schema_version().await.unwrap(),
        custodian_store::LATEST_VERSION
    );
}

#[tokio::test]
async fn metadata_is_set_once() {
    let (_db, store) = fresh().await;
    assert_eq!(store.meta("k").await.unwrap(), None);
    assert_eq!(store.meta_init("k", "first").await.unwrap(), "first");
    assert_eq!(store.meta_init("k", "second").await.unwrap(), "first");
}

// ---- data subject requests ----

/// A fixed instant `s` seconds after a base (whole seconds, so it survives storage exactly).
fn at(s: i64) -> Timestamp {
    Timestamp::from_second(1_700_000_000 + s).unwrap()
}

const DAY: i64 = 86_400;

async fn stored_tenant(store: &dyn Store, name: &str) -> TenantId {
    let t = tenant(name);
    store
        .create_tenant(&t, &event("tenant.create", Some(t.id)))
        .await
        .unwrap();
    t.id
}

/// A fresh request received at `received` (seconds), due `due_days` later.
fn rights_request(tenant: Option<TenantId>, received: i64, due_days: i64) -> RightsRequestRow {
    RightsRequestRow {
        id: Uuid::now_v7(),
        tenant,
        subject: None,
        parent: None,
        right: "erasure".into(),
        regime: "gdpr".into(),
        channel: "api".into(),
        state: "received".into(),
        reason: None,
        received_at: at(received),
        due_at: at(received + due_days * DAY),
        extended_to: None,
        verified_at: None,
        closed_at: None,
        locale: "en".into(),
        agent: None,
        job: None,
        version: 1,
        detail_sealed: vec![1, 2, 3],
    }
}

fn owed(request: Uuid, kind: &str, reference: &str, next_at: Timestamp) -> NewRightsOutbox {
    NewRightsOutbox {
        request,
        kind: kind.into(),
        reference: reference.into(),
        next_at,
    }
}

fn ids(rows: &[RightsRequestRow]) -> Vec<Uuid> {
    rows.iter().map(|r| r.id).collect()
}

#[tokio::test]
async fn rights_requests_are_created_with_their_job_and_outbox_and_listed_by_filter() {
    let (_db, store) = fresh().await;
    let acme = stored_tenant(store.as_ref(), "Acme").await;
    let other = stored_tenant(store.as_ref(), "Other").await;

    let job = RightsJobRow {
        id: Uuid::now_v7(),
        tenant: acme,
        right: "erasure".into(),
        created_at: at(0),
        total: 3,
        finished_at: None,
    };
    let mut r1 = rights_request(Some(acme), 1, 10);
    r1.job = Some(job.id);
    r1.channel = "bulk".into();
    let mut r2 = rights_request(Some(acme), 2, 20);
    r2.job = Some(job.id);
    r2.extended_to = Some(at(2 + 40 * DAY));
    let mut r3 = rights_request(Some(acme), 3, 30);
    r3.job = Some(job.id);
    r3.state = "fulfilled".into();
    r3.closed_at = Some(at(4));
    r3.subject = Some(custodian_core::SubjectId::new());
    let outbox = [
        owed(r1.id, "confirmation", "received", at(1)),
        // The same item twice is queued once.
        owed(r1.id, "confirmation", "received", at(5)),
        owed(r2.id, "reminder", "2023-12-01", at(2)),
    ];
    store
        .create_rights_requests(
            Some(&job),
            &[r1.clone(), r2.clone(), r3.clone()],
            &outbox,
            &event("rights.bulk", Some(acme)),
        )
        .await
        .unwrap();

    let mut platform = rights_request(None, 5, 45);
    platform.channel = "drp".into();
    platform.agent = Some("agent-1".into());
    platform.regime = "ccpa".into();
    let mut routed = rights_request(Some(other), 6, 30);
    routed.parent = Some(platform.id);
    routed.channel = "routed".into();
    store
        .create_rights_requests(
            None,
            &[platform.clone(), routed.clone()],
            &[],
            &event("rights.create", None),
        )
        .await
        .unwrap();
    assert_eq!(store.audit_head().await.unwrap().seq, 4);

    assert_eq!(store.rights_request(r2.id).await.unwrap(), Some(r2.clone()));
    assert_eq!(store.rights_request(r3.id).await.unwrap(), Some(r3.clone()));
    assert_eq!(
        store.rights_request(platform.id).await.unwrap(),
        Some(platform.clone())
    );
    assert_eq!(store.rights_request(Uuid::now_v7()).await.unwrap(), None);

    let list = |f: RightsFilter| {
        let store = Arc::clone(&store);
        async move { ids(&store.rights_requests(&f).await.unwrap()) }
    };
    let limit = 100;
    assert_eq!(
        list(RightsFilter {
            limit,
            ..RightsFilter::default()
        })
        .await,
        vec![routed.id, platform.id, r3.id, r2.id, r1.id],
        "everyone's, newest first"
    );
    assert_eq!(
        list(RightsFilter {
            scope: RequestScope::Tenant(acme),
            limit,
            ..RightsFilter::default()
        })
        .await,
        vec![r3.id, r2.id, r1.id]
    );
    assert_eq!(
        list(RightsFilter {
            scope: RequestScope::Platform,
            limit,
            ..RightsFilter::default()
        })
        .await,
        vec![platform.id]
    );
    assert_eq!(
        list(RightsFilter {
            scope: RequestScope::Tenant(acme),
            open_only: true,
            limit,
            ..RightsFilter::default()
        })
        .await,
        vec![r2.id, r1.id]
    );
    assert_eq!(
        list(RightsFilter {
            job: Some(job.id),
            by_due: true,
            limit,
            ..RightsFilter::default()
        })
        .await,
        vec![r1.id, r3.id, r2.id],
        "by the extended due date where extended"
    );
    assert_eq!(
        list(RightsFilter {
            job: Some(job.id),
            due_before: Some(at(35 * DAY)),
            by_due: true,
            limit,
            ..RightsFilter::default()
        })
        .await,
        vec![r1.id, r3.id],
        "r2's extension puts it after the cut"
    );
    assert_eq!(
        list(RightsFilter {
            agent: Some("agent-1".into()),
            limit,
            ..RightsFilter::default()
        })
        .await,
        vec![platform.id]
    );
    assert_eq!(
        list(RightsFilter {
            state: Some("fulfilled".into()),
            limit,
            ..RightsFilter::default()
        })
        .await,
        vec![r3.id]
    );
    assert_eq!(
        list(RightsFilter {
            parent: Some(platform.id),
            limit,
            ..RightsFilter::default()
        })
        .await,
        vec![routed.id]
    );
    assert_eq!(
        list(RightsFilter {
            limit: 2,
            ..RightsFilter::default()
        })
        .await,
        vec![routed.id, platform.id]
    );
    assert!(
        list(RightsFilter {
            scope: RequestScope::Tenant(TenantId::new()),
            limit,
            ..RightsFilter::default()
        })
        .await
        .is_empty()
    );

    assert_eq!(
        store.rights_job_counts(job.id).await.unwrap(),
        vec![("fulfilled".to_string(), 1), ("received".to_string(), 2)]
    );
    assert_eq!(store.rights_job(job.id).await.unwrap(), Some(job.clone()));
    assert_eq!(
        store.unfinished_rights_jobs().await.unwrap(),
        vec![job.clone()]
    );
    store.finish_rights_job(job.id, at(100)).await.unwrap();
    store.finish_rights_job(job.id, at(200)).await.unwrap();
    assert_eq!(
        store.rights_job(job.id).await.unwrap().unwrap().finished_at,
        Some(at(100)),
        "finished once"
    );
    assert!(store.unfinished_rights_jobs().await.unwrap().is_empty());

    let r1_owes = store.rights_outbox(r1.id).await.unwrap();
    assert_eq!(r1_owes.len(), 1, "{r1_owes:?}");
    assert_eq!(
        (
            r1_owes[0].kind.as_str(),
            r1_owes[0].reference.as_str(),
            r1_owes[0].state.as_str(),
            r1_owes[0].attempts,
            r1_owes[0].last_error.as_deref()
        ),
        ("confirmation", "received", "queued", 0, None)
    );
    let r2_owes = store.rights_outbox(r2.id).await.unwrap();
    assert_eq!(r2_owes.len(), 1);
    assert_eq!(r2_owes[0].kind, "reminder");
    assert!(store.rights_outbox(r3.id).await.unwrap().is_empty());
}

fn confirmation(request: Uuid, sent: i64, keep: i64, letter: u8) -> ConfirmationRow {
    ConfirmationRow {
        request,
        sent_at: at(sent),
        keep_until: at(keep),
        letter_sealed: vec![letter; 4],
    }
}

#[tokio::test]
async fn a_rights_request_changes_only_from_the_version_it_was_read_at() {
    let (_db, store) = fresh().await;
    let acme = stored_tenant(store.as_ref(), "Acme").await;
    let read = rights_request(Some(acme), 1, 30);
    store
        .create_rights_requests(
            None,
            std::slice::from_ref(&read),
            &[],
            &event("rights.create", None),
        )
        .await
        .unwrap();

    let mut fulfilled = read.clone();
    fulfilled.state = "fulfilled".into();
    fulfilled.closed_at = Some(at(50));
    fulfilled.verified_at = Some(at(20));
    fulfilled.extended_to = Some(at(1 + 60 * DAY));
    fulfilled.subject = Some(custodian_core::SubjectId::new());
    fulfilled.regime = "ccpa".into();
    fulfilled.locale = "nl".into();
    fulfilled.detail_sealed = vec![9, 9];
    fulfilled.version = 2;
    let letter = confirmation(read.id, 50, 50 + 5 * 365 * DAY, 7);
    assert!(
        store
            .update_rights_request(
                &fulfilled,
                &[owed(read.id, "confirmation", "fulfilled", at(50))],
                Some(&letter),
                &event("rights.fulfil", Some(acme)),
            )
            .await
            .unwrap()
    );
    assert_eq!(
        store.rights_request(read.id).await.unwrap(),
        Some(fulfilled.clone())
    );
    assert_eq!(
        store.confirmation(read.id).await.unwrap(),
        Some(letter.clone())
    );
    let head = store.audit_head().await.unwrap().seq;
    assert_eq!(head, 3);

    // Another hand that read version 1 too: refused, and nothing it owed is written.
    let mut denied = read.clone();
    denied.state = "denied".into();
    denied.reason = Some("unverified".into());
    denied.closed_at = Some(at(60));
    denied.version = 2;
    assert!(
        !store
            .update_rights_request(
                &denied,
                &[owed(read.id, "confirmation", "denied", at(60))],
                Some(&confirmation(read.id, 60, 60 + DAY, 8)),
                &event("rights.deny", Some(acme)),
            )
            .await
            .unwrap()
    );
    assert_eq!(
        store.rights_request(read.id).await.unwrap(),
        Some(fulfilled.clone())
    );
    assert_eq!(store.confirmation(read.id).await.unwrap(), Some(letter));
    let owes = store.rights_outbox(read.id).await.unwrap();
    assert_eq!(
        owes.iter()
            .map(|o| (o.kind.as_str(), o.reference.as_str()))
            .collect::<Vec<_>>(),
        vec![("confirmation", "fulfilled")]
    );
    assert_eq!(store.audit_head().await.unwrap().seq, head);

    // From the version now stored it goes through, and the confirmation kept is replaced.
    let mut again = fulfilled.clone();
    again.version = 3;
    again.reason = Some("partly".into());
    again.state = "partially_fulfilled".into();
    let newer = confirmation(read.id, 70, 70 + 5 * 365 * DAY, 9);
    assert!(
        store
            .update_rights_request(
                &again,
                &[owed(read.id, "confirmation", "fulfilled", at(70))],
                Some(&newer),
                &event("rights.fulfil", Some(acme)),
            )
            .await
            .unwrap()
    );
    assert_eq!(store.rights_request(read.id).await.unwrap(), Some(again));
    assert_eq!(store.confirmation(read.id).await.unwrap(), Some(newer));
    assert_eq!(
        store.rights_outbox(read.id).await.unwrap().len(),
        1,
        "the item already queued is not queued twice"
    );
    assert_eq!(store.audit_head().await.unwrap().seq, head + 1);
    assert_eq!(verify(store.as_ref(), KEY).await, Ok(4));
}

#[tokio::test]
async fn the_rights_outbox_is_claimed_under_a_lease_and_finished() {
    let (_db, store) = fresh().await;
    let acme = stored_tenant(store.as_ref(), "Acme").await;
    let k = rights_request(Some(acme), 0, 30);
    let t0 = at(1_000);
    store
        .create_rights_requests(
            None,
            std::slice::from_ref(&k),
            &[
                owed(k.id, "confirmation", "received", t0),
                owed(k.id, "routed", "acme", t0),
                owed(k.id, "reminder", "later", t0 + 1.hour()),
            ],
            &event("rights.create", None),
        )
        .await
        .unwrap();

    let claimed = store
        .claim_rights_outbox(t0, t0 + 5.minutes(), 10)
        .await
        .unwrap();
    assert_eq!(
        claimed
            .iter()
            .map(|c| (c.kind.as_str(), c.reference.as_str(), c.attempts))
            .collect::<Vec<_>>(),
        vec![("confirmation", "received", 0), ("routed", "acme", 0)],
        "the due items, oldest first"
    );
    assert!(claimed[0].seq < claimed[1].seq);
    assert!(claimed.iter().all(|c| c.request == k));
    let (first, second) = (claimed[0].seq, claimed[1].seq);

    assert!(
        store
            .claim_rights_outbox(t0 + 1.minute(), t0 + 6.minutes(), 10)
            .await
            .unwrap()
            .is_empty(),
        "leased items are not claimed again"
    );

    store
        .finish_rights_outbox(first, t0 + 1.minute(), &NoticeOutcome::Sent)
        .await
        .unwrap();
    store
        .finish_rights_outbox(
            second,
            t0 + 1.minute(),
            &NoticeOutcome::Retry {
                error: "smtp down".into(),
                next_at: t0 + 10.minutes(),
            },
        )
        .await
        .unwrap();
    // A sent item stays sent.
    store
        .finish_rights_outbox(
            first,
            t0 + 2.minutes(),
            &NoticeOutcome::Failed {
                error: "late".into(),
            },
        )
        .await
        .unwrap();
    let owes = store.rights_outbox(k.id).await.unwrap();
    assert_eq!(
        owes.iter()
            .map(|o| (o.seq, o.state.as_str(), o.attempts, o.last_error.as_deref()))
            .collect::<Vec<_>>(),
        vec![
            (first, "sent", 1, None),
            (second, "queued", 1, Some("smtp down")),
            (owes[2].seq, "queued", 0, None),
        ]
    );

    assert!(
        store
            .claim_rights_outbox(t0 + 6.minutes(), t0 + 11.minutes(), 10)
            .await
            .unwrap()
            .is_empty(),
        "the retry waits for its time"
    );
    let retried = store
        .claim_rights_outbox(t0 + 10.minutes(), t0 + 15.minutes(), 10)
        .await
        .unwrap();
    assert_eq!(
        retried
            .iter()
            .map(|c| (c.seq, c.attempts))
            .collect::<Vec<_>>(),
        vec![(second, 1)]
    );
    store
        .finish_rights_outbox(
            second,
            t0 + 11.minutes(),
            &NoticeOutcome::Failed {
                error: "rejected".into(),
            },
        )
        .await
        .unwrap();

    // Past every lease and due time only the reminder is left, and the limit holds.
    let late = t0 + 2.hours();
    let rest = store
        .claim_rights_outbox(late, late + 5.minutes(), 1)
        .await
        .unwrap();
    assert_eq!(
        rest.iter()
            .map(|c| (c.kind.as_str(), c.reference.as_str()))
            .collect::<Vec<_>>(),
        vec![("reminder", "later")]
    );
    let owes = store.rights_outbox(k.id).await.unwrap();
    assert_eq!(
        owes.iter()
            .map(|o| (o.state.as_str(), o.attempts))
            .collect::<Vec<_>>(),
        vec![("sent", 1), ("failed", 2), ("queued", 0)]
    );
}

#[tokio::test]
async fn confirmations_past_their_keeping_are_purged_with_one_event() {
    let (_db, store) = fresh().await;
    let acme = stored_tenant(store.as_ref(), "Acme").await;
    let (a, b) = (
        rights_request(Some(acme), 0, 30),
        rights_request(Some(acme), 1, 30),
    );
    store
        .create_rights_requests(
            None,
            &[a.clone(), b.clone()],
            &[],
            &event("rights.create", None),
        )
        .await
        .unwrap();
    for (k, keep) in [(&a, 100), (&b, 300)] {
        let mut closed = k.clone();
        closed.state = "fulfilled".into();
        closed.closed_at = Some(at(10));
        closed.version = 2;
        assert!(
            store
                .update_rights_request(
                    &closed,
                    &[],
                    Some(&confirmation(k.id, 10, keep, 1)),
                    &event("rights.fulfil", Some(acme)),
                )
                .await
                .unwrap()
        );
    }
    let head = store.audit_head().await.unwrap().seq;

    assert_eq!(
        store
            .purge_confirmations(at(100), &event("rights.purge", None))
            .await
            .unwrap(),
        0,
        "kept until 100 is still kept at 100"
    );
    assert_eq!(store.audit_head().await.unwrap().seq, head, "no event");
    assert_eq!(
        store
            .purge_confirmations(at(200), &event("rights.purge", None))
            .await
            .unwrap(),
        1
    );
    assert_eq!(store.confirmation(a.id).await.unwrap(), None);
    assert_eq!(
        store.confirmation(b.id).await.unwrap(),
        Some(confirmation(b.id, 10, 300, 1))
    );
    assert_eq!(store.audit_head().await.unwrap().seq, head + 1);
    assert_eq!(
        store
            .purge_confirmations(at(200), &event("rights.purge", None))
            .await
            .unwrap(),
        0
    );
    assert_eq!(store.audit_head().await.unwrap().seq, head + 1);
}

#[tokio::test]
async fn verification_codes_count_tries_and_are_used_once() {
    let (_db, store) = fresh().await;
    let code = |index: u8, created: i64| VerificationCodeRow {
        id: Uuid::now_v7(),
        email_index: vec![index; 32],
        code_hash: vec![index + 1; 32],
        created_at: at(created),
        expires_at: at(created + 900),
        attempts: 0,
        used_at: None,
        detail_sealed: vec![5, 6, 7],
    };
    let (first, second, elsewhere) = (code(1, 0), code(1, 600), code(2, 0));
    for c in [&first, &second, &elsewhere] {
        store.create_verification_code(c).await.unwrap();
    }
    assert_eq!(
        store.verification_code(first.id).await.unwrap(),
        Some(first.clone())
    );
    assert_eq!(store.verification_code(Uuid::now_v7()).await.unwrap(), None);

    assert_eq!(
        store
            .verification_codes_since(&[1; 32], at(0))
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        store
            .verification_codes_since(&[1; 32], at(1))
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        store
            .verification_codes_since(&[2; 32], at(0))
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        store
            .verification_codes_since(&[3; 32], at(0))
            .await
            .unwrap(),
        0
    );

    assert_eq!(
        store.fail_verification_code(first.id).await.unwrap(),
        Some(1)
    );
    assert_eq!(
        store.fail_verification_code(first.id).await.unwrap(),
        Some(2)
    );
    assert_eq!(
        store.fail_verification_code(Uuid::now_v7()).await.unwrap(),
        None
    );
    assert!(
        store
            .use_verification_code(first.id, at(120))
            .await
            .unwrap()
    );
    assert!(
        !store
            .use_verification_code(first.id, at(130))
            .await
            .unwrap(),
        "used once only"
    );
    assert_eq!(
        store.fail_verification_code(first.id).await.unwrap(),
        None,
        "a used code counts no tries"
    );
    let used = store.verification_code(first.id).await.unwrap().unwrap();
    assert_eq!((used.attempts, used.used_at), (2, Some(at(120))));
    assert_eq!(
        store.verification_code(second.id).await.unwrap(),
        Some(second),
        "the others are untouched"
    );
}

#[tokio::test]
async fn drp_agents_pair_again_with_a_new_token() {
    let (_db, store) = fresh().await;
    store
        .pair_drp_agent("agent-1", &[1; 32], at(0), &event("drp.pair", None))
        .await
        .unwrap();
    store
        .pair_drp_agent("agent-2", &[2; 32], at(0), &event("drp.pair", None))
        .await
        .unwrap();
    assert_eq!(
        store.drp_agent_by_token(&[1; 32]).await.unwrap().as_deref(),
        Some("agent-1")
    );
    store
        .pair_drp_agent("agent-1", &[3; 32], at(10), &event("drp.pair", None))
        .await
        .unwrap();
    assert_eq!(
        store.drp_agent_by_token(&[1; 32]).await.unwrap(),
        None,
        "the old token is gone"
    );
    assert_eq!(
        store.drp_agent_by_token(&[3; 32]).await.unwrap().as_deref(),
        Some("agent-1")
    );
    assert_eq!(
        store.drp_agent_by_token(&[2; 32]).await.unwrap().as_deref(),
        Some("agent-2")
    );
    assert_eq!(store.audit_head().await.unwrap().seq, 3);
}

#[tokio::test]
async fn rights_webhooks_are_set_replaced_and_removed() {
    let (_db, store) = fresh().await;
    let acme = stored_tenant(store.as_ref(), "Acme").await;
    let other = stored_tenant(store.as_ref(), "Other").await;
    assert_eq!(store.rights_webhook(acme).await.unwrap(), None);
    store
        .set_rights_webhook(
            acme,
            Some("https://acme.example/dsr"),
            at(0),
            &event("rights.webhook", Some(acme)),
        )
        .await
        .unwrap();
    assert_eq!(
        store.rights_webhook(acme).await.unwrap().as_deref(),
        Some("https://acme.example/dsr")
    );
    assert_eq!(store.rights_webhook(other).await.unwrap(), None);
    store
        .set_rights_webhook(
            acme,
            Some("https://acme.example/v2/dsr"),
            at(10),
            &event("rights.webhook", Some(acme)),
        )
        .await
        .unwrap();
    assert_eq!(
        store.rights_webhook(acme).await.unwrap().as_deref(),
        Some("https://acme.example/v2/dsr")
    );
    store
        .set_rights_webhook(acme, None, at(20), &event("rights.webhook", Some(acme)))
        .await
        .unwrap();
    assert_eq!(store.rights_webhook(acme).await.unwrap(), None);
    assert_eq!(store.audit_head().await.unwrap().seq, 5);
}
