//! Records, identifier links and the separate key store, on the selected backend.
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use custodian_core::{RecordId, SubjectId, TenantId};
use custodian_store::{
    BucketKeyRow, ChainKey, IdempotencyEntry, IdentifierLink, NewAuditEvent, NewSubject, Outcome,
    RecordBatch, RecordQuery, RecordRow, StoreError, SubjectKeyRow, Tenant, open, open_keys,
};
use custodian_testkit::TestDb;
use jiff::Timestamp;

fn now() -> Timestamp {
    Timestamp::from_microsecond(Timestamp::now().as_microsecond()).unwrap()
}

fn audit(tenant: TenantId) -> NewAuditEvent {
    NewAuditEvent {
        at: now(),
        actor: "test".into(),
        action: "records.ingest".into(),
        tenant: Some(tenant),
        targets: vec![],
        purpose: None,
        outcome: Outcome::Success,
        detail: None,
    }
}

fn record(tenant: TenantId, subject: SubjectId, product: &str) -> RecordRow {
    RecordRow {
        id: RecordId::new(),
        tenant,
        subject,
        product: product.into(),
        categories: vec!["phone-number".into(), "traffic-data".into()],
        purpose: "transmission".into(),
        legal_basis: "contract".into(),
        source: "customer".into(),
        role: "processor".into(),
        country: Some("NL".into()),
        occurred_at: now(),
        ingested_at: now(),
        retention_rule: "sms-voice".into(),
        bucket: "sms-voice/2027-05-22".into(),
        key_scope: "erasable".into(),
        expires_at: None,
        version: 1,
        supersedes: None,
        superseded: false,
        wrapped_key: vec![1; 114],
        payload: vec![2; 60],
    }
}

async fn tenant(store: &dyn custodian_store::Store, name: &str) -> TenantId {
    let t = Tenant {
        id: TenantId::new(),
        name: name.into(),
        default_region: None,
        created_at: now(),
    };
    store.create_tenant(&t, &audit(t.id)).await.unwrap();
    t.id
}

#[tokio::test]
async fn a_batch_stores_subjects_links_records_and_its_idempotency_key_at_once() {
    let db = TestDb::new().await;
    let store = open(&db.location, ChainKey::new([1; 32])).await.unwrap();
    let t = tenant(store.as_ref(), "Acme").await;
    let subject = SubjectId::new();
    let rows = vec![record(t, subject, "sms"), record(t, subject, "voice")];
    let batch = RecordBatch {
        tenant: t,
        subjects: vec![NewSubject {
            id: subject,
            created_at: now(),
        }],
        links: vec![IdentifierLink {
            blind_index: vec![7; 16],
            kind: "phone".into(),
            subject,
        }],
        records: rows.clone(),
        idempotency: Some(IdempotencyEntry {
            key: "k1".into(),
            request_hash: vec![9; 32],
            response: "{}".into(),
        }),
        audit: audit(t),
    };
    store.store_batch(&batch).await.unwrap();

    assert_eq!(
        store
            .subjects_by_index(t, &[vec![7; 16], vec![8; 16]])
            .await
            .unwrap(),
        vec![(vec![7; 16], subject)]
    );
    let q = RecordQuery {
        tenant: t,
        subject: Some(subject),
        product: None,
        after: None,
        limit: 10,
        include_superseded: false,
    };
    assert_eq!(store.records(&q).await.unwrap().len(), 2);
    let only_voice = RecordQuery {
        product: Some("voice".into()),
        ..q.clone()
    };
    assert_eq!(
        store.records(&only_voice).await.unwrap(),
        vec![rows[1].clone()]
    );
    let page = RecordQuery {
        after: Some(rows[0].id),
        ..q.clone()
    };
    assert_eq!(store.records(&page).await.unwrap(), vec![rows[1].clone()]);
    assert_eq!(
        store.record(t, rows[0].id).await.unwrap(),
        Some(rows[0].clone())
    );
    assert_eq!(
        store.idempotent(t, "k1").await.unwrap().unwrap().response,
        "{}"
    );

    // Another tenant sees nothing, not even by id.
    let other = tenant(store.as_ref(), "Globex").await;
    assert_eq!(store.record(other, rows[0].id).await.unwrap(), None);
    assert!(
        store
            .subjects_by_index(other, &[vec![7; 16]])
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(store.subject(other, subject).await.unwrap(), None);
    assert!(store.subject(t, subject).await.unwrap().is_some());
}

#[tokio::test]
async fn a_batch_whose_identifier_was_taken_meanwhile_stores_nothing() {
    let db = TestDb::new().await;
    let store = open(&db.location, ChainKey::new([1; 32])).await.unwrap();
    let t = tenant(store.as_ref(), "Acme").await;
    let (first, second) = (SubjectId::new(), SubjectId::new());
    let link = |subject| IdentifierLink {
        blind_index: vec![7; 16],
        kind: "phone".into(),
        subject,
    };
    let batch = |subject| RecordBatch {
        tenant: t,
        subjects: vec![NewSubject {
            id: subject,
            created_at: now(),
        }],
        links: vec![link(subject)],
        records: vec![record(t, subject, "sms")],
        idempotency: None,
        audit: audit(t),
    };
    store.store_batch(&batch(first)).await.unwrap();
    let err = store.store_batch(&batch(second)).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err}");
    let all = RecordQuery {
        tenant: t,
        subject: None,
        product: None,
        after: None,
        limit: 10,
        include_superseded: true,
    };
    assert_eq!(
        store.records(&all).await.unwrap().len(),
        1,
        "the failed batch left nothing behind"
    );
    assert_eq!(store.subject(t, second).await.unwrap(), None);
}

#[tokio::test]
async fn keys_are_created_once_destroyed_on_demand_and_the_destruction_is_recorded() {
    let db = TestDb::new().await;
    let _store = open(&db.location, ChainKey::new([1; 32])).await.unwrap();
    let keys = open_keys(&db.location).await.unwrap();
    let t = TenantId::new();
    let s = SubjectId::new();
    let first = keys
        .create_subject_keys(
            t,
            &[SubjectKeyRow {
                subject: s,
                scope: "erasable".into(),
                wrapped: vec![1; 73],
            }],
            now(),
        )
        .await
        .unwrap();
    let again = keys
        .create_subject_keys(
            t,
            &[SubjectKeyRow {
                subject: s,
                scope: "erasable".into(),
                wrapped: vec![2; 73],
            }],
            now(),
        )
        .await
        .unwrap();
    assert_eq!(first, again, "an existing key is kept");
    assert_eq!(keys.subject_keys(t, &[s]).await.unwrap(), first);
    assert!(
        keys.subject_keys(TenantId::new(), &[s])
            .await
            .unwrap()
            .is_empty(),
        "keys are per tenant"
    );

    let b = keys
        .create_bucket_keys(
            t,
            &[BucketKeyRow {
                bucket: "sms-voice/2027-05-22".into(),
                wrapped: vec![3; 73],
            }],
            now(),
        )
        .await
        .unwrap();
    assert_eq!(
        keys.bucket_keys(t, &["sms-voice/2027-05-22".into()])
            .await
            .unwrap(),
        b
    );

    assert!(
        keys.destroy_subject_key(t, s, "erasable", now(), "erasure")
            .await
            .unwrap()
    );
    assert!(
        !keys
            .destroy_subject_key(t, s, "erasable", now(), "erasure")
            .await
            .unwrap()
    );
    assert!(keys.subject_keys(t, &[s]).await.unwrap().is_empty());
    assert!(
        keys.destroy_bucket_key(t, "sms-voice/2027-05-22", now(), "expiry")
            .await
            .unwrap()
    );
    let destroyed = keys.destroyed().await.unwrap();
    assert_eq!(destroyed.len(), 2);
    assert!(
        destroyed
            .iter()
            .any(|d| d.kind == "subject" && d.reason == "erasure")
    );
    assert!(
        destroyed
            .iter()
            .any(|d| d.kind == "bucket" && d.reason == "expiry")
    );
}
