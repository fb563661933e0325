//! The storage contract, proven on whichever backend the run selects (SQLite or PostgreSQL).
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::sync::Arc;

use custodian_core::{ApiKeyId, TenantId};
use custodian_store::audit::{Break, Verifier};
use custodian_store::{
    ApiKeyRecord, AuditFilter, ChainKey, NewAuditEvent, Outcome, Store, StoreError, Tenant, open,
};
use custodian_testkit::TestDb;
use jiff::Timestamp;

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
