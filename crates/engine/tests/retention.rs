//! The retention engine on the selected backend, travelling in time with a fixed clock: each
//! rule's seed period, sweeps that make due buckets unreadable and purge them, aggregates that
//! remain, holds that win over expiry, dry runs that change nothing, and the evidence.
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::path::Path;
use std::sync::Arc;

use custodian_core::{FixedClock, RecordId, SubjectId, TenantId};
use custodian_engine::records::IngestRecord;
use custodian_engine::retention::{SweepOptions, day_bucket};
use custodian_engine::{Actor, ChainVerdict, Engine, Principal, Scope, chain_key};
use custodian_store::{AuditFilter, BucketState};
use custodian_testkit::TestDb;
use custodian_vault::MasterKey;
use jiff::{SignedDuration, Timestamp, ToSpan};
use proptest::prelude::*;
use serde_json::json;

fn seeds_policy() -> custodian_policy::Policy {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies/messagebird");
    let (policy, report) = custodian_policy::load(&dir);
    policy.unwrap_or_else(|| panic!("{}", report.render(false)))
}

struct Setup {
    _db: TestDb,
    clock: Arc<FixedClock>,
    engine: Engine,
    tenant: TenantId,
    principal: Principal,
}

fn t0() -> Timestamp {
    "2025-01-15T10:30:00Z".parse().unwrap()
}

async fn setup() -> Setup {
    let db = TestDb::new().await;
    let master = Arc::new(MasterKey::generate());
    let clock = Arc::new(FixedClock::new(t0()));
    let store = custodian_store::open(&db.location, chain_key(&master))
        .await
        .unwrap();
    let keys = custodian_store::open_keys(&db.location).await.unwrap();
    let engine = Engine::new(store, keys, Arc::new(seeds_policy()), clock.clone(), master)
        .await
        .unwrap();
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
    let principal = engine.authenticate(&key.token).await.unwrap();
    Setup {
        _db: db,
        clock,
        engine,
        tenant: tenant.id,
        principal,
    }
}

fn sms(phone: &str, at: Timestamp) -> IngestRecord {
    serde_json::from_value(json!({
        "product": "sms",
        "purpose": "transmission",
        "legal_basis": "contract",
        "identifiers": { "phone": phone },
        "occurred_at": at,
        "country": "NL",
        "data": { "phone-number": phone, "communication-content": "Your code is 4921" }
    }))
    .unwrap()
}

/// Ingests SMS records; returns (subject, record) per phone.
async fn ingest(s: &Setup, phones: &[&str], at: Timestamp) -> Vec<(SubjectId, RecordId)> {
    let records = phones.iter().map(|p| sms(p, at)).collect();
    let stored = s
        .engine
        .ingest(&s.principal, records, None, b"")
        .await
        .unwrap();
    stored.records.iter().map(|r| (r.subject, r.id)).collect()
}

async fn readable(s: &Setup, record: RecordId) -> bool {
    match s.engine.record(&s.principal, record, "transmission").await {
        Ok(r) => r.data.is_some(),
        Err(_) => false,
    }
}

fn at(ts: &str) -> Timestamp {
    ts.parse().unwrap()
}

async fn sweep(
    s: &Setup,
    now: Timestamp,
    dry_run: bool,
) -> custodian_engine::retention::SweepReport {
    s.clock.set(now);
    s.engine
        .sweep(
            &Actor::System,
            SweepOptions {
                now,
                dry_run,
                purge_batch: 2,
            },
            &|_| {},
        )
        .await
        .unwrap()
}

async fn actions(s: &Setup) -> Vec<String> {
    s.engine
        .store()
        .audit_events(&AuditFilter {
            limit: 10_000,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.event.action)
        .collect()
}

#[tokio::test]
async fn sms_records_expire_six_months_after_their_day_and_leave_only_anonymous_counts() {
    let s = setup().await;
    let ids = ingest(&s, &["+31612345601", "+31612345602", "+31612345603"], t0()).await;
    let buckets = s.engine.buckets(Some(s.tenant), 100).await.unwrap();
    assert_eq!(buckets.len(), 1);
    assert_eq!(buckets[0].name, "sms-voice/2025-01-15");
    // R1: six months after the end of the day the records were made.
    assert_eq!(buckets[0].expires_at, Some(at("2025-07-16T00:00:00Z")));

    // Not a moment early.
    let early = sweep(&s, at("2025-07-15T23:59:59Z"), false).await;
    assert_eq!(early.expired(), 0);
    for (_, r) in &ids {
        assert!(readable(&s, *r).await);
    }

    // A dry run reports and changes nothing.
    let dry = sweep(&s, at("2025-07-16T00:00:00Z"), true).await;
    assert_eq!(dry.expired(), 1);
    assert_eq!(dry.by_rule["sms-voice"].records, 3);
    assert!(readable(&s, ids[0].1).await);
    assert_eq!(
        s.engine.buckets(Some(s.tenant), 10).await.unwrap()[0].state,
        BucketState::Live
    );

    let done = sweep(&s, at("2025-07-16T00:00:00Z"), false).await;
    assert_eq!(done.expired(), 1);
    assert_eq!(done.by_rule["sms-voice"].records, 3);
    assert_eq!(done.by_rule["sms-voice"].purged, 3);
    for (_, r) in &ids {
        assert!(!readable(&s, *r).await, "an expired record does not open");
    }
    let bucket = &s.engine.buckets(Some(s.tenant), 10).await.unwrap()[0];
    assert_eq!(bucket.state, BucketState::Purged);
    assert_eq!(bucket.records, Some(3));

    // The counts survive, without identifiers.
    let aggregates = s.engine.store().aggregates(s.tenant).await.unwrap();
    assert!(!aggregates.is_empty());
    assert!(
        aggregates
            .iter()
            .all(|a| a.product == "sms" && a.country == "NL" && a.day == "2025-01-15")
    );
    assert!(
        aggregates
            .iter()
            .any(|a| a.category == "communication-content" && a.count == 3)
    );
    // Publication suppresses small cells.
    let published = s.engine.published_aggregates(s.tenant, 5).await.unwrap();
    assert!(
        published.iter().all(|(_, shown)| !shown),
        "cells of 3 are suppressed"
    );

    // The evidence: expiry, key destruction, purge and the sweep, and the chain holds.
    let actions = actions(&s).await;
    for a in [
        "retention.expire",
        "keys.destroy",
        "retention.purge",
        "retention.sweep",
    ] {
        assert!(actions.iter().any(|x| x == a), "{a} missing: {actions:?}");
    }
    assert_eq!(
        s.engine.verify_audit().await.unwrap().verdict,
        ChainVerdict::Intact
    );

    // A second sweep finds nothing to do.
    let again = sweep(&s, at("2025-07-17T00:00:00Z"), false).await;
    assert!(again.buckets.is_empty(), "{again:?}");
}

#[tokio::test]
async fn a_tenant_hold_wins_over_expiry_until_it_is_lifted() {
    let s = setup().await;
    let ids = ingest(&s, &["+31612345611"], t0()).await;
    let hold = s
        .engine
        .place_hold(
            &Actor::Cli,
            s.tenant,
            None,
            Some("claim-2025-07".into()),
            "Legal claim by a customer",
            None,
        )
        .await
        .unwrap();
    let report = sweep(&s, at("2026-01-01T00:00:00Z"), false).await;
    assert_eq!(report.expired(), 0);
    assert_eq!(report.buckets[0].outcome, "held");
    assert!(readable(&s, ids[0].1).await, "held data stays readable");

    s.engine
        .lift_hold(&Actor::Cli, s.tenant, hold.id)
        .await
        .unwrap();
    let err = s
        .engine
        .lift_hold(&Actor::Cli, s.tenant, hold.id)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("lifted before"));
    let report = sweep(&s, at("2026-01-01T00:00:01Z"), false).await;
    assert_eq!(report.expired(), 1);
    assert!(!readable(&s, ids[0].1).await);
}

#[tokio::test]
async fn a_subject_hold_keeps_that_persons_records_while_the_rest_of_the_bucket_expires() {
    let s = setup().await;
    let ids = ingest(&s, &["+31612345621", "+31612345622"], t0()).await;
    let (held_subject, held_record) = ids[0];
    let other_record = ids[1].1;
    let hold = s
        .engine
        .place_hold(
            &Actor::Cli,
            s.tenant,
            Some(held_subject),
            Some("gov-request-17".into()),
            "Disclosure request of a court",
            None,
        )
        .await
        .unwrap();
    let report = sweep(&s, at("2025-08-01T00:00:00Z"), false).await;
    assert_eq!(report.expired(), 1);
    assert_eq!(report.buckets[0].held_back, 1);
    assert_eq!(report.by_rule["sms-voice"].records, 1);
    assert!(
        readable(&s, held_record).await,
        "the held person's record is kept, readable"
    );
    assert!(!readable(&s, other_record).await);

    // Lifted: the record goes back to a bucket of its own expiry, long past, and expires at the
    // next sweep.
    s.engine
        .lift_hold(&Actor::Cli, s.tenant, hold.id)
        .await
        .unwrap();
    assert!(readable(&s, held_record).await);
    let report = sweep(&s, at("2025-08-01T00:00:01Z"), false).await;
    assert_eq!(report.expired(), 1, "{report:?}");
    assert!(!readable(&s, held_record).await);
    assert_eq!(
        s.engine.verify_audit().await.unwrap().verdict,
        ChainVerdict::Intact
    );
}

#[tokio::test]
async fn a_hold_that_ends_by_itself_stops_holding_then() {
    let s = setup().await;
    let ids = ingest(&s, &["+31612345631"], t0()).await;
    s.engine
        .place_hold(
            &Actor::Cli,
            s.tenant,
            None,
            None,
            "Audit by the regulator",
            Some(at("2025-09-01T00:00:00Z")),
        )
        .await
        .unwrap();
    assert_eq!(
        sweep(&s, at("2025-08-15T00:00:00Z"), false).await.expired(),
        0
    );
    assert_eq!(
        sweep(&s, at("2025-09-01T00:00:00Z"), false).await.expired(),
        1
    );
    assert!(!readable(&s, ids[0].1).await);
}

#[tokio::test]
async fn holds_refuse_bad_input_by_field() {
    let s = setup().await;
    let err = s
        .engine
        .place_hold(&Actor::Cli, s.tenant, None, None, "  ", None)
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        custodian_engine::EngineError::Invalid {
            field: "reason",
            ..
        }
    ));
    let err = s
        .engine
        .place_hold(
            &Actor::Cli,
            s.tenant,
            None,
            None,
            "x",
            Some(at("2020-01-01T00:00:00Z")),
        )
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        custodian_engine::EngineError::Invalid {
            field: "ends_at",
            ..
        }
    ));
    let err = s
        .engine
        .place_hold(
            &Actor::Cli,
            s.tenant,
            Some(SubjectId::new()),
            None,
            "x",
            None,
        )
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        custodian_engine::EngineError::NotFound { kind: "subject" }
    ));
    let err = s
        .engine
        .lift_hold(&Actor::Cli, s.tenant, uuid::Uuid::now_v7())
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        custodian_engine::EngineError::NotFound { kind: "hold" }
    ));
}

/// Each product's rule and its seed period, as the bucket registry computes them from the
/// policy: R1 six months (SMS, Voice, support calls), R7 ten years for financial records,
/// open-ended until the contract ends for R3/R4/customer account, and R5's twelve months for
/// leads.
#[tokio::test]
async fn every_rule_files_records_with_its_seed_period() {
    let s = setup().await;
    let samples = custodian_testkit::samples::one_per_product();
    let principal = s
        .engine
        .authenticate(
            &s.engine
                .create_api_key(
                    &Actor::Cli,
                    s.tenant,
                    "all",
                    &Scope::ALL
                        .iter()
                        .map(|x| x.as_str().to_string())
                        .collect::<Vec<_>>(),
                )
                .await
                .unwrap()
                .token,
        )
        .await
        .unwrap();
    let records: Vec<IngestRecord> = samples
        .into_iter()
        .map(|mut v| {
            v["occurred_at"] = json!(t0());
            serde_json::from_value(v).unwrap()
        })
        .collect();
    s.engine
        .ingest(&principal, records, None, b"")
        .await
        .unwrap();
    let buckets = s.engine.buckets(Some(s.tenant), 100).await.unwrap();
    let expiry = |rule: &str| {
        buckets
            .iter()
            .find(|b| b.rule == rule)
            .unwrap_or_else(|| panic!("no bucket of rule {rule}: {buckets:?}"))
            .expires_at
    };
    let end_of_day = at("2025-01-16T00:00:00Z");
    let plus = |span: jiff::Span| {
        Some(
            end_of_day
                .to_zoned(jiff::tz::TimeZone::UTC)
                .checked_add(span)
                .unwrap()
                .timestamp(),
        )
    };
    assert_eq!(expiry("sms-voice"), plus(6.months()));
    assert_eq!(expiry("support-calls"), plus(6.months()));
    assert_eq!(expiry("financial"), plus(10.years()));
    assert_eq!(expiry("marketing"), plus(12.months()));
    // Until the contract ends, the customer's own data and omnichannel data have no expiry.
    assert_eq!(expiry("omnichannel"), None);
    assert_eq!(expiry("contacts-history"), None);
    assert_eq!(expiry("customer-account"), None);
    // Only R1 falls due within a year.
    let report = sweep(&s, at("2025-12-31T00:00:00Z"), true).await;
    let rules: Vec<&str> = report.by_rule.keys().map(String::as_str).collect();
    assert_eq!(rules, ["sms-voice", "support-calls"]);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// A day's bucket never expires before any of its records (calendar months, month ends,
    /// leap years, all in UTC), and never more than two days after the latest of them.
    #[test]
    fn a_day_bucket_expires_no_earlier_than_any_of_its_records(
        seconds in 946_684_800i64..4_102_444_800i64,
        years in 0u16..12,
        months in 0u16..30,
        days in 0u16..400,
    ) {
        prop_assume!(years + months + days > 0);
        let period = custodian_policy::period::parse(&format!("P{years}Y{months}M{days}D")).unwrap();
        let t = Timestamp::from_second(seconds).unwrap();
        let (day, bucket_expiry) = day_bucket(t, &period).unwrap();
        prop_assert_eq!(day, t.to_zoned(jiff::tz::TimeZone::UTC).date());
        let own = t.to_zoned(jiff::tz::TimeZone::UTC).checked_add(period.span()).unwrap().timestamp();
        prop_assert!(bucket_expiry >= own, "{} < {}", bucket_expiry, own);
        // No record of that day expires more than a day before its bucket.
        prop_assert!(bucket_expiry.duration_since(own) <= SignedDuration::from_hours(24));
        // The same for every moment of that day.
        let last = day.tomorrow().unwrap().to_zoned(jiff::tz::TimeZone::UTC).unwrap().timestamp() - SignedDuration::from_secs(1);
        let last_own = last.to_zoned(jiff::tz::TimeZone::UTC).checked_add(period.span()).unwrap().timestamp();
        prop_assert!(bucket_expiry >= last_own);
    }
}
