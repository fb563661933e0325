//! Records, identifier links and the separate key store, on the selected backend.
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use custodian_core::{RecordId, SubjectId, TenantId};
use custodian_store::{
    AuditFilter, BucketKeyRow, ChainKey, IdempotencyEntry, IdentifierLink, KeyDestruction, KeyRef,
    NewAuditEvent, NewKeyDestruction, NewSubject, Outcome, RecordBatch, RecordQuery, RecordRow,
    StoreError, SubjectKeyRow, Tenant, key_digest, open, open_keys,
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
        buckets: Vec::new(),
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
        consents: Vec::new(),
        consent_texts: Vec::new(),
        idempotency: Some(IdempotencyEntry {
            key: "k1".into(),
            request_hash: vec![9; 32],
            response: "{}".into(),
        }),
        audit: audit(t),
    };
    store.store_batch(batch).await.unwrap();

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
        buckets: Vec::new(),
        tenant: t,
        subjects: vec![NewSubject {
            id: subject,
            created_at: now(),
        }],
        links: vec![link(subject)],
        records: vec![record(t, subject, "sms")],
        consents: Vec::new(),
        consent_texts: Vec::new(),
        idempotency: None,
        audit: audit(t),
    };
    store.store_batch(batch(first)).await.unwrap();
    let err = store.store_batch(batch(second)).await.unwrap_err();
    assert!(matches!(err, StoreError::Raced(_)), "{err}");
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
async fn keys_are_created_once_per_tenant() {
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
}

fn entry(
    seq: i64,
    tenant: TenantId,
    key: KeyRef,
    digest: Option<[u8; 32]>,
    at: Timestamp,
) -> KeyDestruction {
    KeyDestruction {
        seq,
        tenant,
        key,
        key_digest: digest,
        reason: "erasure".into(),
        at,
    }
}

#[tokio::test]
async fn the_key_store_destroys_only_the_logged_key_and_moves_its_cursor_over_what_it_applied() {
    let db = TestDb::new().await;
    let _store = open(&db.location, ChainKey::new([1; 32])).await.unwrap();
    let keys = open_keys(&db.location).await.unwrap();
    let (t, other) = (TenantId::new(), TenantId::new());
    let s = SubjectId::new();
    let erasable = KeyRef::Subject {
        subject: s,
        scope: "erasable".into(),
    };
    let legal = KeyRef::Subject {
        subject: s,
        scope: "legal".into(),
    };
    let bucket = KeyRef::Bucket("sms-voice/2027-05-22".into());
    let created = now();
    let subject_key = |scope: &str, byte| SubjectKeyRow {
        subject: s,
        scope: scope.into(),
        wrapped: vec![byte; 73],
    };
    keys.create_subject_keys(
        t,
        &[subject_key("erasable", 1), subject_key("legal", 2)],
        created,
    )
    .await
    .unwrap();
    keys.create_subject_keys(other, &[subject_key("erasable", 1)], created)
        .await
        .unwrap();
    keys.create_bucket_keys(
        t,
        &[BucketKeyRow {
            bucket: "sms-voice/2027-05-22".into(),
            wrapped: vec![3; 73],
        }],
        created,
    )
    .await
    .unwrap();
    assert_eq!(keys.replayed_through().await.unwrap(), 0);

    let before = Timestamp::from_second(created.as_second() - 60).unwrap();
    let applied = keys
        .apply_destructions(
            &[
                // Another key's digest: a key made after this entry was logged. Kept.
                entry(1, t, erasable.clone(), Some(key_digest(&[9; 73])), created),
                // No key when logged, and this one was made later. Kept.
                entry(2, t, bucket.clone(), None, before),
                // The very key. Destroyed.
                entry(3, t, legal.clone(), Some(key_digest(&[2; 73])), created),
            ],
            0,
        )
        .await
        .unwrap();
    assert_eq!(applied.destroyed, 1);
    assert_eq!(applied.replayed_through, 3);
    let left: Vec<String> = keys
        .subject_keys(t, &[s])
        .await
        .unwrap()
        .into_iter()
        .map(|k| k.scope)
        .collect();
    assert_eq!(left, vec!["erasable".to_string()]);
    assert_eq!(
        keys.bucket_keys(t, &["sms-voice/2027-05-22".into()])
            .await
            .unwrap()
            .len(),
        1
    );

    // Entries 6 and 7 after a gap: applied, but the cursor waits for 4 and 5.
    let applied = keys
        .apply_destructions(
            &[
                entry(6, t, erasable.clone(), Some(key_digest(&[1; 73])), created),
                entry(7, t, bucket.clone(), None, created),
            ],
            5,
        )
        .await
        .unwrap();
    assert_eq!(
        applied.destroyed, 2,
        "by digest, and by age when logged without a key"
    );
    assert_eq!(applied.replayed_through, 3);
    assert!(keys.subject_keys(t, &[s]).await.unwrap().is_empty());
    assert_eq!(
        keys.subject_keys(other, &[s]).await.unwrap().len(),
        1,
        "another tenant's key of the same subject id stays"
    );

    // Applying again is harmless; 4 and 5 close the gap.
    let applied = keys
        .apply_destructions(
            &[
                entry(4, t, erasable.clone(), Some(key_digest(&[1; 73])), created),
                entry(5, t, legal, None, created),
                entry(6, t, erasable, Some(key_digest(&[1; 73])), created),
                entry(7, t, bucket, None, created),
            ],
            3,
        )
        .await
        .unwrap();
    assert_eq!(applied.destroyed, 0);
    assert_eq!(applied.replayed_through, 7);

    keys.rewind_replay_cursor(9).await.unwrap();
    assert_eq!(
        keys.replayed_through().await.unwrap(),
        7,
        "rewinding never advances"
    );
    keys.rewind_replay_cursor(2).await.unwrap();
    assert_eq!(keys.replayed_through().await.unwrap(), 2);
}

#[tokio::test]
async fn the_erasure_log_is_numbered_in_order_read_in_pages_audited_and_append_only() {
    let db = TestDb::new().await;
    let store = open(&db.location, ChainKey::new([1; 32])).await.unwrap();
    let t = tenant(store.as_ref(), "Acme").await;
    assert_eq!(store.key_destructions_head().await.unwrap(), 0);
    let at = now();
    let new = |key: KeyRef, digest| NewKeyDestruction {
        tenant: t,
        key,
        key_digest: digest,
        reason: "erasure".into(),
        at,
    };
    let s = SubjectId::new();
    let first = vec![
        new(
            KeyRef::Subject {
                subject: s,
                scope: "erasable".into(),
            },
            Some([7; 32]),
        ),
        new(
            KeyRef::Subject {
                subject: s,
                scope: "legal".into(),
            },
            None,
        ),
    ];
    let mut event = audit(t);
    event.action = "keys.destroy".into();
    let stored = store.log_key_destructions(&first, &event).await.unwrap();
    assert_eq!(stored.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![1, 2]);
    let second = vec![new(
        KeyRef::Bucket("sms-voice/2027-05-22".into()),
        Some([8; 32]),
    )];
    let stored = store.log_key_destructions(&second, &event).await.unwrap();
    assert_eq!(stored[0].seq, 3);
    assert_eq!(store.key_destructions_head().await.unwrap(), 3);

    let all = store.key_destructions(0, 100).await.unwrap();
    assert_eq!(all.len(), 3);
    assert_eq!(all[0].key, first[0].key);
    assert_eq!(all[0].key_digest, Some([7; 32]));
    assert_eq!(all[1].key_digest, None);
    assert_eq!(all[2].key, KeyRef::Bucket("sms-voice/2027-05-22".into()));
    assert_eq!(all[2].at, at);
    assert_eq!(all[2].reason, "erasure");
    assert_eq!(
        store.key_destructions(1, 1).await.unwrap(),
        vec![all[1].clone()],
        "a page starts after the given entry"
    );
    assert!(store.key_destructions(3, 100).await.unwrap().is_empty());

    let events = store
        .audit_events(&AuditFilter {
            after_seq: 0,
            limit: 100,
            tenant: Some(t),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(
        events
            .iter()
            .filter(|e| e.event.action == "keys.destroy")
            .count(),
        2,
        "each append is written with its audit event"
    );

    for sql in [
        "UPDATE key_destructions SET reason = 'nothing'",
        "DELETE FROM key_destructions",
    ] {
        let err = db.raw(sql).await.unwrap_err();
        assert!(
            err.contains("the erasure log is append-only"),
            "{sql}: {err}"
        );
    }
    if db.pg_url.is_some() {
        let err = db.raw("TRUNCATE key_destructions").await.unwrap_err();
        assert!(err.contains("append-only"), "{err}");
    }
    assert_eq!(store.key_destructions(0, 100).await.unwrap(), all);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_appends_to_the_erasure_log_get_gap_free_runs_of_numbers() {
    let db = TestDb::new().await;
    let store = open(&db.location, ChainKey::new([1; 32])).await.unwrap();
    let t = tenant(store.as_ref(), "Acme").await;
    let tasks: Vec<_> = (0..12)
        .map(|i| {
            let store = std::sync::Arc::clone(&store);
            tokio::spawn(async move {
                let entries: Vec<NewKeyDestruction> = (0..3)
                    .map(|j| NewKeyDestruction {
                        tenant: t,
                        key: KeyRef::Bucket(format!("rule/{i}-{j}")),
                        key_digest: None,
                        reason: "expiry".into(),
                        at: now(),
                    })
                    .collect();
                store
                    .log_key_destructions(&entries, &audit(t))
                    .await
                    .unwrap()
            })
        })
        .collect();
    for task in tasks {
        let run: Vec<i64> = task.await.unwrap().iter().map(|e| e.seq).collect();
        assert_eq!(run.len(), 3);
        assert_eq!(
            run[2] - run[0],
            2,
            "one call's entries are consecutive: {run:?}"
        );
    }
    let seqs: Vec<i64> = store
        .key_destructions(0, 100)
        .await
        .unwrap()
        .iter()
        .map(|e| e.seq)
        .collect();
    assert_eq!(seqs, (1..=36).collect::<Vec<i64>>());
    assert_eq!(store.key_destructions_head().await.unwrap(), 36);
}

#[tokio::test]
async fn a_subjects_records_are_found_whichever_partition_of_the_index_holds_them() {
    let db = TestDb::new().await;
    let store = open(&db.location, ChainKey::new([1; 32])).await.unwrap();
    let t = tenant(store.as_ref(), "Acme").await;
    let (subject, other) = (SubjectId::new(), SubjectId::new());
    let batch = |records: Vec<RecordRow>, subjects: Vec<SubjectId>| RecordBatch {
        buckets: Vec::new(),
        tenant: t,
        subjects: subjects
            .into_iter()
            .map(|id| NewSubject {
                id,
                created_at: now(),
            })
            .collect(),
        links: vec![],
        records,
        consents: Vec::new(),
        consent_texts: Vec::new(),
        idempotency: None,
        audit: audit(t),
    };
    let mut mine = Vec::new();
    let first = vec![record(t, subject, "sms"), record(t, other, "sms")];
    mine.push(first[0].clone());
    store
        .store_batch(batch(first, vec![subject, other]))
        .await
        .unwrap();
    for round in 1..=3 {
        if db.pg_url.is_none() {
            // SQLite indexes a subject's records per 65 536 insertions: move the rows written so
            // far 100 000 places on, so that the next batch opens a new partition.
            let path = db.data_dir().join("custodian.db");
            tokio::task::spawn_blocking(move || {
                let c = rusqlite::Connection::open(path).unwrap();
                c.execute("UPDATE records SET rowid = rowid + 100000", [])
                    .unwrap();
            })
            .await
            .unwrap();
        }
        let rows = vec![record(t, other, "sms"), record(t, subject, "voice")];
        mine.push(rows[1].clone());
        store.store_batch(batch(rows, vec![])).await.unwrap();
        let q = RecordQuery {
            tenant: t,
            subject: Some(subject),
            product: None,
            after: None,
            limit: 100,
            include_superseded: false,
        };
        assert_eq!(
            store.records(&q).await.unwrap(),
            mine,
            "after round {round}"
        );
        // Paging walks across partitions in id order.
        let second_page = RecordQuery {
            after: Some(mine[0].id),
            limit: 1,
            ..q
        };
        assert_eq!(
            store.records(&second_page).await.unwrap(),
            vec![mine[1].clone()]
        );
    }
    if db.pg_url.is_none() {
        let path = db.data_dir().join("custodian.db");
        let parts: Vec<i64> = tokio::task::spawn_blocking(move || {
            let c = rusqlite::Connection::open(path).unwrap();
            let mut s = c
                .prepare("SELECT DISTINCT part FROM records ORDER BY part")
                .unwrap();
            s.query_map([], |r| r.get(0))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap()
        })
        .await
        .unwrap();
        assert_eq!(
            parts.len(),
            4,
            "the rows are spread over partitions: {parts:?}"
        );
    }
}
