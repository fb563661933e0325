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
    master: Arc<MasterKey>,
    clock: Arc<FixedClock>,
    engine: Engine,
    tenant: TenantId,
    principal: Principal,
}

fn t0() -> Timestamp {
    "2025-01-15T10:30:00Z".parse().unwrap()
}

async fn setup() -> Setup {
    setup_with(seeds_policy()).await
}

async fn setup_with(policy: custodian_policy::Policy) -> Setup {
    let db = TestDb::new().await;
    let master = Arc::new(MasterKey::generate());
    let clock = Arc::new(FixedClock::new(t0()));
    let store = custodian_store::open(&db.location, chain_key(&master))
        .await
        .unwrap();
    let keys = custodian_store::open_keys(&db.location).await.unwrap();
    let engine = Engine::new(store, keys, Arc::new(policy), clock.clone(), master.clone())
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
        master,
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
                lease: custodian_engine::retention::DEFAULT_LEASE,
            },
            &|_| {},
        )
        .await
        .unwrap()
}

/// A second replica: its own connections and engine over the same database.
async fn replica(s: &Setup) -> Engine {
    let store = custodian_store::open(&s._db.location, chain_key(&s.master))
        .await
        .unwrap();
    let keys = custodian_store::open_keys(&s._db.location).await.unwrap();
    Engine::new(
        store,
        keys,
        Arc::new(seeds_policy()),
        s.clock.clone(),
        s.master.clone(),
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

    // Each record is read up to its own expiry, to the second, and not after, even before
    // its day's bucket is swept.
    s.clock.set(at("2025-07-15T10:29:59Z"));
    assert!(readable(&s, ids[0].1).await);
    s.clock.set(at("2025-07-15T10:30:00Z"));
    assert!(!readable(&s, ids[0].1).await);
    // The bucket's key is not destroyed a moment early.
    let early = sweep(&s, at("2025-07-15T23:59:59Z"), false).await;
    assert_eq!(early.expired(), 0);
    assert_eq!(
        s.engine.buckets(Some(s.tenant), 10).await.unwrap()[0].state,
        BucketState::Live
    );

    // A dry run reports and changes nothing.
    let dry = sweep(&s, at("2025-07-16T00:00:00Z"), true).await;
    assert_eq!(dry.expired(), 1);
    assert_eq!(dry.by_rule["sms-voice"].records, 3);
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
    // Past its expiry, before any sweep: the hold keeps it readable, the other is not.
    s.clock.set(at("2025-07-31T00:00:00Z"));
    assert!(readable(&s, held_record).await);
    assert!(!readable(&s, other_record).await);
    let report = sweep(&s, at("2025-08-01T00:00:00Z"), false).await;
    assert_eq!(report.expired(), 1);
    assert_eq!(report.buckets[0].held_back, 1);
    assert_eq!(report.by_rule["sms-voice"].records, 1);
    assert!(
        readable(&s, held_record).await,
        "the held person's record is kept, readable"
    );
    assert!(!readable(&s, other_record).await);

    // Lifted: the record goes back to a bucket of its own expiry, long past: it is not read
    // again, and the next sweep destroys its key.
    s.engine
        .lift_hold(&Actor::Cli, s.tenant, hold.id)
        .await
        .unwrap();
    assert!(!readable(&s, held_record).await);
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
    // R13: the visitor sample is about the session cookie: gone after the visit's day.
    assert_eq!(expiry("cookies"), plus(0.days()));
    // Only R1, R14 and that visit fall due within a year.
    let report = sweep(&s, at("2025-12-31T00:00:00Z"), true).await;
    let rules: Vec<&str> = report.by_rule.keys().map(String::as_str).collect();
    assert_eq!(rules, ["cookies", "sms-voice", "support-calls"]);
}

/// R13: "The retention periods for cookies are specified below": visitor data is kept as long
/// as the cookie it is about lives, per the policy's inventory; a cookie the inventory does
/// not declare is refused.
#[tokio::test]
async fn visitor_data_lives_as_long_as_its_cookie() {
    let s = setup().await;
    let key = s
        .engine
        .create_api_key(
            &Actor::Cli,
            s.tenant,
            "visitors",
            &Scope::ALL
                .iter()
                .map(|x| x.as_str().to_string())
                .collect::<Vec<_>>(),
        )
        .await
        .unwrap();
    let principal = s.engine.authenticate(&key.token).await.unwrap();
    let visit = |ip: &str, cookie: serde_json::Value| -> IngestRecord {
        let mut data = json!({ "ip-address": ip });
        if !cookie.is_null() {
            data["cookie-data"] = cookie;
        }
        serde_json::from_value(json!({
            "product": "website-visitors",
            "purpose": "website-operation",
            "legal_basis": "legitimate-interest",
            "identifiers": { "ip": ip },
            "occurred_at": t0(),
            "data": data,
        }))
        .unwrap()
    };
    s.engine
        .ingest(
            &principal,
            vec![
                visit(
                    "192.0.2.10",
                    json!({ "name": "_fbp", "domain": "www.example.com" }),
                ),
                visit("192.0.2.11", json!({ "name": "custodian_lang" })),
                visit("192.0.2.12", serde_json::Value::Null),
            ],
            None,
            b"",
        )
        .await
        .unwrap();
    assert_eq!(
        expiry_of(&s, "cookies/2025-01-15/P90D").await,
        Some(at("2025-04-16T00:00:00Z"))
    );
    assert_eq!(
        expiry_of(&s, "cookies/2025-01-15/P12M").await,
        Some(at("2026-01-16T00:00:00Z"))
    );
    // Naming no cookie, the longest lifespan of the inventory bounds it.
    assert_eq!(
        expiry_of(&s, "cookies/2025-01-15/P13M").await,
        Some(at("2026-02-16T00:00:00Z"))
    );
    let err = s
        .engine
        .ingest(
            &principal,
            vec![visit("192.0.2.13", json!({ "name": "_ga" }))],
            None,
            b"",
        )
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("_ga") && text.contains("cookie inventory"),
        "{text}"
    );
    let report = sweep(&s, at("2025-04-16T00:00:00Z"), false).await;
    assert_eq!(report.by_rule["cookies"].records, 1, "{report:?}");
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

fn sample(product: &str, occurred_at: Timestamp) -> IngestRecord {
    let mut v = custodian_testkit::samples::one_per_product()
        .into_iter()
        .find(|r| r["product"] == product)
        .unwrap_or_else(|| panic!("no sample of {product}"));
    v["occurred_at"] = json!(occurred_at);
    serde_json::from_value(v).unwrap()
}

async fn ingest_products(s: &Setup, products: &[&str], at: Timestamp) -> Vec<RecordId> {
    let records = products.iter().map(|p| sample(p, at)).collect();
    s.engine
        .ingest(&s.principal, records, None, b"")
        .await
        .unwrap()
        .records
        .iter()
        .map(|r| r.id)
        .collect()
}

async fn expiry_of(s: &Setup, bucket: &str) -> Option<Timestamp> {
    s.engine
        .buckets(Some(s.tenant), 1000)
        .await
        .unwrap()
        .into_iter()
        .find(|b| b.name == bucket)
        .unwrap_or_else(|| panic!("no bucket {bucket}"))
        .expires_at
}

/// R3, R4 and the customer account run until the contract ends, then for the rule's period.
#[tokio::test]
async fn a_contract_end_sets_the_expiry_of_what_was_kept_for_the_contract() {
    let s = setup().await;
    ingest_products(&s, &["conversations", "contacts", "customer-account"], t0()).await;
    assert_eq!(expiry_of(&s, "omnichannel/open").await, None);
    let changed = s
        .engine
        .set_contract_end(&Actor::Cli, s.tenant, Some(jiff::civil::date(2025, 3, 31)))
        .await
        .unwrap();
    assert_eq!(changed.len(), 3, "{changed:?}");
    assert_eq!(
        expiry_of(&s, "omnichannel/open").await,
        Some(at("2025-04-01T00:00:00Z"))
    );
    assert_eq!(
        expiry_of(&s, "contacts-history/open").await,
        Some(at("2025-04-01T00:00:00Z"))
    );
    // R7: the account's data ten years after the contract ends.
    assert_eq!(
        expiry_of(&s, "customer-account/open").await,
        Some(at("2035-04-01T00:00:00Z"))
    );
    let report = sweep(&s, at("2025-04-01T00:00:00Z"), false).await;
    let rules: Vec<&str> = report.by_rule.keys().map(String::as_str).collect();
    assert_eq!(rules, ["contacts-history", "omnichannel"]);
    // Withdrawing the end (a renewed contract) is possible for what is still kept.
    s.engine
        .set_contract_end(&Actor::Cli, s.tenant, None)
        .await
        .unwrap();
    assert_eq!(expiry_of(&s, "customer-account/open").await, None);
}

/// R3: "or a different period as agreed upon with you as the customer", within the bounds.
#[tokio::test]
async fn a_customer_period_within_the_bounds_refiles_records_by_their_day() {
    let s = setup().await;
    let ids = ingest_products(&s, &["conversations"], t0()).await;
    let err = s
        .engine
        .set_retention_period(&Actor::Cli, s.tenant, "omnichannel", Some("P3Y"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            custodian_engine::EngineError::Invalid {
                field: "period",
                ..
            }
        ),
        "{err}"
    );
    let err = s
        .engine
        .set_retention_period(&Actor::Cli, s.tenant, "sms-voice", Some("P1M"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            custodian_engine::EngineError::Invalid { field: "rule", .. }
        ),
        "{err}"
    );
    let err = s
        .engine
        .set_retention_period(&Actor::Cli, s.tenant, "omnichannel", Some("90 days"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            custodian_engine::EngineError::Invalid {
                field: "period",
                ..
            }
        ),
        "{err}"
    );

    let moved = s
        .engine
        .set_retention_period(&Actor::Cli, s.tenant, "omnichannel", Some("P30D"))
        .await
        .unwrap();
    assert_eq!(moved, 1);
    assert_eq!(
        expiry_of(&s, "omnichannel/2025-01-15").await,
        Some(at("2025-02-15T00:00:00Z"))
    );
    assert!(readable_as(&s, ids[0], "provide-services").await);
    // New records follow the setting too.
    s.clock.set(at("2025-01-20T09:00:00Z"));
    let later = ingest_products(&s, &["conversations"], at("2025-01-20T08:00:00Z")).await;
    assert_eq!(
        expiry_of(&s, "omnichannel/2025-01-20").await,
        Some(at("2025-02-20T00:00:00Z"))
    );
    // A longer period later moves the expiry of the day buckets, without touching a record.
    s.engine
        .set_retention_period(&Actor::Cli, s.tenant, "omnichannel", Some("P60D"))
        .await
        .unwrap();
    assert_eq!(
        expiry_of(&s, "omnichannel/2025-01-15").await,
        Some(at("2025-03-17T00:00:00Z"))
    );
    // The records' own expiry moved with their buckets: past the old 30 days, still read.
    s.clock.set(at("2025-03-05T00:00:00Z"));
    assert!(readable_as(&s, later[0], "provide-services").await);
    assert!(readable_as(&s, ids[0], "provide-services").await);
    let report = sweep(&s, at("2025-03-17T00:00:00Z"), false).await;
    assert_eq!(report.by_rule["omnichannel"].records, 1);
    assert!(!readable_as(&s, ids[0], "provide-services").await);
}

/// R5: marketing data ends at once when consent is withdrawn, unless a hold keeps it.
#[tokio::test]
async fn withdrawing_consent_ends_marketing_retention_at_once() {
    let s = setup().await;
    let lead = s
        .engine
        .ingest(&s.principal, vec![sample("leads", t0())], None, b"")
        .await
        .unwrap()
        .records[0]
        .clone();
    let other = ingest_products(&s, &["sms"], t0()).await;
    assert!(readable_as(&s, lead.id, "promote-services").await);
    let ended = s
        .engine
        .end_retention(
            &Actor::Cli,
            s.tenant,
            lead.subject,
            custodian_policy::model::EndingEvent::ConsentWithdrawn,
        )
        .await
        .unwrap();
    assert_eq!(ended, 1);
    assert!(!readable_as(&s, lead.id, "promote-services").await);
    // The same person's other data is not touched.
    assert!(readable_as(&s, other[0], "transmission").await);
    let actions = actions(&s).await;
    assert!(actions.iter().any(|a| a == "keys.destroy"));
}

async fn readable_as(s: &Setup, record: RecordId, purpose: &str) -> bool {
    match s.engine.record(&s.principal, record, purpose).await {
        Ok(r) => r.data.is_some(),
        // Purged.
        Err(custodian_engine::EngineError::NotFound { .. }) => false,
        Err(e) => panic!("{e}"),
    }
}

/// Two replicas over one database sweep at the same time: every due bucket is expired exactly
/// once, neither fails, and the audit chain holds.
#[tokio::test]
async fn two_replicas_sweeping_at_once_do_no_work_twice() {
    let s = setup().await;
    // Thirty days of traffic: thirty buckets.
    for day in 0..30 {
        let when = t0() + SignedDuration::from_hours(24 * day);
        s.clock.set(when);
        let phones: Vec<String> = (0..3).map(|i| format!("+316123{day:02}{i:03}")).collect();
        let phones: Vec<&str> = phones.iter().map(String::as_str).collect();
        ingest(&s, &phones, when).await;
    }
    // A second replica: its own connections and engine over the same database.
    let other = replica(&s).await;
    let now = at("2026-01-01T00:00:00Z");
    s.clock.set(now);
    let options = SweepOptions {
        now,
        dry_run: false,
        purge_batch: 1,
        lease: custodian_engine::retention::DEFAULT_LEASE,
    };
    let (a, b) = tokio::join!(
        s.engine.sweep(&Actor::System, options, &|_| {}),
        other.sweep(&Actor::System, options, &|_| {}),
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.expired() + b.expired(), 30, "a: {a:?}\nb: {b:?}");
    assert_eq!(
        a.by_rule.get("sms-voice").map_or(0, |t| t.records)
            + b.by_rule.get("sms-voice").map_or(0, |t| t.records),
        90
    );
    let expirations = actions(&s)
        .await
        .iter()
        .filter(|a| *a == "retention.expire")
        .count();
    assert_eq!(expirations, 30, "one expiry event per bucket");
    let buckets = s.engine.buckets(Some(s.tenant), 100).await.unwrap();
    assert!(buckets.iter().all(|b| b.state == BucketState::Purged));
    assert_eq!(
        s.engine.verify_audit().await.unwrap().verdict,
        ChainVerdict::Intact
    );
}

/// R5: twelve months after the last interaction: a later interaction carries the earlier
/// records along, and the person's marketing data expires twelve months after the latest.
#[tokio::test]
async fn a_later_interaction_extends_marketing_retention() {
    let s = setup().await;
    let first = ingest_products(&s, &["leads"], t0()).await[0];
    s.clock.set(at("2025-04-15T12:00:00Z"));
    let second = ingest_products(&s, &["leads"], at("2025-04-15T11:00:00Z")).await[0];
    assert_eq!(
        expiry_of(&s, "marketing/2025-01-15").await,
        Some(at("2026-01-16T00:00:00Z"))
    );
    let report = sweep(&s, at("2026-01-16T00:00:00Z"), false).await;
    assert_eq!(report.buckets[0].extended, 1, "{report:?}");
    assert_eq!(report.by_rule["marketing"].records, 0);
    assert!(
        readable_as(&s, first, "promote-services").await,
        "kept with the later interaction"
    );
    let report = sweep(&s, at("2026-04-16T00:00:00Z"), false).await;
    assert_eq!(report.by_rule["marketing"].records, 2);
    assert!(!readable_as(&s, first, "promote-services").await);
    assert!(!readable_as(&s, second, "promote-services").await);
}

/// Buckets a sweep must leave due (a tenant under a hold) never stop it from reaching the
/// buckets that come after them, however many there are.
#[tokio::test]
async fn buckets_left_due_by_a_hold_do_not_block_the_rest() {
    let s = setup().await;
    s.clock.set(at("2025-12-01T00:00:00Z"));
    let records: Vec<IngestRecord> = (0..210)
        .map(|d| {
            sms(
                &format!("+3161200{d:04}"),
                t0() + SignedDuration::from_hours(24 * d),
            )
        })
        .collect();
    s.engine
        .ingest(&s.principal, records, None, b"")
        .await
        .unwrap();
    s.engine
        .place_hold(
            &Actor::Cli,
            s.tenant,
            None,
            None,
            "Audit by the regulator",
            None,
        )
        .await
        .unwrap();
    // Another customer's bucket falls due after all of those.
    let other = s
        .engine
        .create_tenant(&Actor::Cli, "Globex", Some("NL"))
        .await
        .unwrap();
    let key = s
        .engine
        .create_api_key(&Actor::Cli, other.id, "k", &["records:write".into()])
        .await
        .unwrap();
    let principal = s.engine.authenticate(&key.token).await.unwrap();
    s.engine
        .ingest(
            &principal,
            vec![sms("+31612399999", at("2025-11-30T00:00:00Z"))],
            None,
            b"",
        )
        .await
        .unwrap();
    let report = sweep(&s, at("2026-06-01T00:00:00Z"), false).await;
    let held = report
        .buckets
        .iter()
        .filter(|b| b.outcome == "held")
        .count();
    assert_eq!(held, 210);
    assert_eq!(
        report.expired(),
        1,
        "the other customer's bucket is reached"
    );
    assert!(
        report
            .buckets
            .iter()
            .any(|b| b.tenant == other.id && b.outcome == "expired")
    );
}

/// PostgreSQL files records by when their bucket expires (a partition per week of expiry
/// days): an expired bucket is unreadable at once, and its rows leave with their partition,
/// in one drop, when the last bucket of that week has expired. A partition whose week is over
/// but that still holds a bucket under a hold gives up its expired buckets in batches. On
/// SQLite every expired bucket is purged in batches at once.
#[tokio::test]
async fn expired_rows_leave_with_their_partition_once_no_bucket_in_it_waits() {
    let s = setup().await;
    let partitioned = s.engine.store().drops_partitions();
    // Three days whose buckets expire in one week (2025-07-17 to 2025-07-23).
    let days = [
        "2025-01-16T09:00:00Z",
        "2025-01-18T09:00:00Z",
        "2025-01-22T09:00:00Z",
    ];
    let mut ids = Vec::new();
    for (i, day) in days.iter().enumerate() {
        s.clock.set(at(day));
        let phones: Vec<String> = (0..3).map(|n| format!("+3161770{i}{n:03}")).collect();
        let phones: Vec<&str> = phones.iter().map(String::as_str).collect();
        ids.push(ingest(&s, &phones, at(day)).await);
    }
    // Another customer with a bucket in the same week, under a legal hold.
    let other = s
        .engine
        .create_tenant(&Actor::Cli, "Held Ltd", Some("NL"))
        .await
        .unwrap();
    let scopes = vec![
        Scope::RecordsRead.as_str().to_string(),
        Scope::RecordsWrite.as_str().to_string(),
    ];
    let key = s
        .engine
        .create_api_key(&Actor::Cli, other.id, "test", &scopes)
        .await
        .unwrap();
    let held_principal = s.engine.authenticate(&key.token).await.unwrap();
    s.clock.set(at("2025-01-20T09:00:00Z"));
    let held = s
        .engine
        .ingest(
            &held_principal,
            vec![sms("+31617709999", at("2025-01-20T09:00:00Z"))],
            None,
            b"",
        )
        .await
        .unwrap()
        .records[0]
        .id;
    let hold = s
        .engine
        .place_hold(
            &Actor::Cli,
            other.id,
            None,
            Some("claim-7".into()),
            "Legal claim",
            None,
        )
        .await
        .unwrap();

    // The first day's bucket: unreadable at its expiry; its rows wait for their week.
    let first = sweep(&s, at("2025-07-17T00:00:00Z"), false).await;
    assert_eq!(first.expired(), 1);
    for (_, r) in &ids[0] {
        assert!(!readable(&s, *r).await);
    }
    let state_of = |name: &'static str, tenant: TenantId| {
        let engine = &s.engine;
        async move {
            engine
                .buckets(Some(tenant), 100)
                .await
                .unwrap()
                .into_iter()
                .find(|b| b.name == name)
                .unwrap()
                .state
        }
    };
    if partitioned {
        assert!(first.partitions.is_empty(), "{first:?}");
        assert_eq!(
            state_of("sms-voice/2025-01-16", s.tenant).await,
            BucketState::Expired
        );
        let parts = s
            .engine
            .record_partitions(at("2025-07-17T00:00:00Z"))
            .await
            .unwrap();
        let week = parts.iter().find(|p| p.name == "records_w2898").unwrap();
        assert_eq!(
            (week.waiting, week.expired, week.records),
            (3, 1, 3),
            "{parts:?}"
        );
    } else {
        assert_eq!(first.by_rule["sms-voice"].purged, 3);
        assert_eq!(
            state_of("sms-voice/2025-01-16", s.tenant).await,
            BucketState::Purged
        );
    }

    // The week's last day: every bucket of this customer has expired; the held one waits,
    // so the partition stays.
    let last = sweep(&s, at("2025-07-23T00:00:00Z"), false).await;
    assert_eq!(last.expired(), 2, "{last:?}");
    assert!(last.partitions.is_empty());
    assert!(
        readable_as_principal(&s, &held_principal, held).await,
        "held data stays readable"
    );

    // The week is over and the hold still stands: this customer's expired buckets go in
    // batches; the held bucket and its partition stay.
    let over = sweep(&s, at("2025-07-24T00:00:00Z"), false).await;
    assert!(over.partitions.is_empty());
    for name in [
        "sms-voice/2025-01-16",
        "sms-voice/2025-01-18",
        "sms-voice/2025-01-22",
    ] {
        assert_eq!(
            state_of(name, s.tenant).await,
            BucketState::Purged,
            "{name}"
        );
    }
    if partitioned {
        assert_eq!(over.by_rule["sms-voice"].purged, 9, "{over:?}");
    }
    assert!(readable_as_principal(&s, &held_principal, held).await);

    // Lifted: the held bucket expires, and the partition goes with it.
    s.engine
        .lift_hold(&Actor::Cli, other.id, hold.id)
        .await
        .unwrap();
    let lifted = sweep(&s, at("2025-07-24T00:00:01Z"), false).await;
    assert_eq!(lifted.expired(), 1);
    assert!(!readable_as_principal(&s, &held_principal, held).await);
    assert_eq!(
        state_of("sms-voice/2025-01-20", other.id).await,
        BucketState::Purged
    );
    if partitioned {
        assert_eq!(lifted.partitions.len(), 1, "{lifted:?}");
        assert_eq!(lifted.partitions[0].name, "records_w2898");
        assert_eq!(lifted.partitions[0].records, 1);
        let parts = s
            .engine
            .record_partitions(at("2025-07-24T00:00:01Z"))
            .await
            .unwrap();
        assert!(parts.iter().all(|p| p.name != "records_w2898"), "{parts:?}");
    }
    let purges = actions(&s)
        .await
        .iter()
        .filter(|a| *a == "retention.purge")
        .count();
    assert_eq!(purges, 4, "one purge event per bucket");
    assert_eq!(
        s.engine.verify_audit().await.unwrap().verdict,
        ChainVerdict::Intact
    );
}

async fn readable_as_principal(s: &Setup, principal: &Principal, record: RecordId) -> bool {
    match s.engine.record(principal, record, "transmission").await {
        Ok(r) => r.data.is_some(),
        Err(_) => false,
    }
}

/// A replica that knew a partition another replica has since dropped writes into that week
/// again: its write is refused as raced, retried, and the partition made anew.
#[tokio::test]
async fn a_partition_dropped_by_another_replica_is_made_again_for_new_records() {
    let s = setup().await;
    s.clock.set(at("2025-01-16T09:00:00Z"));
    ingest(&s, &["+31617800001"], at("2025-01-16T09:00:00Z")).await;
    let other = replica(&s).await;
    let now = at("2025-07-24T00:00:00Z");
    s.clock.set(now);
    let report = other
        .sweep(
            &Actor::System,
            SweepOptions {
                now,
                dry_run: false,
                purge_batch: 10,
                lease: custodian_engine::retention::DEFAULT_LEASE,
            },
            &|_| {},
        )
        .await
        .unwrap();
    assert_eq!(report.expired(), 1);
    if s.engine.store().drops_partitions() {
        assert_eq!(report.partitions.len(), 1, "{report:?}");
    }
    // Back in time, the first replica files a record of another day of that week.
    s.clock.set(at("2025-01-20T10:00:00Z"));
    let ids = ingest(&s, &["+31617800002"], at("2025-01-20T09:00:00Z")).await;
    assert!(readable(&s, ids[0].1).await);
    let later = sweep(&s, at("2025-07-24T00:00:01Z"), false).await;
    assert_eq!(later.expired(), 1);
    assert!(!readable(&s, ids[0].1).await);
}

/// Records of a day whose bucket has already expired are refused: Custodian does not store
/// data its retention no longer allows (nor a new key for a bucket whose key it destroyed).
#[tokio::test]
async fn records_for_a_bucket_that_has_expired_are_refused() {
    let s = setup().await;
    ingest(&s, &["+31617900001"], t0()).await;
    let report = sweep(&s, at("2025-07-16T00:00:00Z"), false).await;
    assert_eq!(report.expired(), 1);
    let before = s.engine.buckets(Some(s.tenant), 10).await.unwrap();
    let err = s
        .engine
        .ingest(&s.principal, vec![sms("+31617900002", t0())], None, b"")
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("sms-voice/2025-01-15") && err.to_string().contains("ended"),
        "{err}"
    );
    assert_eq!(s.engine.buckets(Some(s.tenant), 10).await.unwrap(), before);
    // The next day's bucket still takes records.
    let next = at("2025-01-16T08:00:00Z");
    s.clock.set(next);
    ingest(&s, &["+31617900003"], next).await;
}

/// R5's alternative: "or, if you are an existing customer, for the duration of the services".
/// A person with an account keeps their marketing data past the twelve months until the
/// contract ends; a prospect's expires after twelve months.
#[tokio::test]
async fn existing_customers_keep_marketing_data_for_the_duration_of_the_services() {
    let s = setup().await;
    let mut prospect = custodian_testkit::samples::one_per_product()
        .into_iter()
        .find(|r| r["product"] == "leads")
        .unwrap();
    prospect["identifiers"] = json!({ "email": "piet.prospect@example.com" });
    prospect["occurred_at"] = json!(t0());
    let prospect: IngestRecord = serde_json::from_value(prospect).unwrap();
    let stored = s
        .engine
        .ingest(
            &s.principal,
            vec![
                sample("leads", t0()),
                prospect,
                sample("customer-account", t0()),
            ],
            None,
            b"",
        )
        .await
        .unwrap();
    let (customer_lead, prospect_lead, account) = (
        stored.records[0].id,
        stored.records[1].id,
        stored.records[2].id,
    );
    assert_eq!(
        stored.records[0].subject, stored.records[2].subject,
        "the lead holds the account"
    );
    assert_ne!(stored.records[0].subject, stored.records[1].subject);

    // Twelve months on: the prospect's marketing data expires, the customer's is kept.
    let report = sweep(&s, at("2026-01-16T00:00:00Z"), false).await;
    assert_eq!(report.expired(), 1, "{report:?}");
    assert!(!readable_as(&s, prospect_lead, "promote-services").await);
    assert!(readable_as(&s, customer_lead, "promote-services").await);
    assert_eq!(expiry_of(&s, "marketing/customers").await, None);
    let moves = actions(&s)
        .await
        .iter()
        .filter(|a| *a == "retention.move")
        .count();
    assert!(moves >= 1, "the move is audited");

    // The services end: kept to the end of that day, then gone; the account stays (R7).
    s.engine
        .set_contract_end(&Actor::Cli, s.tenant, Some(jiff::civil::date(2026, 6, 30)))
        .await
        .unwrap();
    assert_eq!(
        expiry_of(&s, "marketing/customers").await,
        Some(at("2026-07-01T00:00:00Z"))
    );
    let during = sweep(&s, at("2026-06-30T23:59:59Z"), false).await;
    assert_eq!(during.expired(), 0, "{during:?}");
    assert!(readable_as(&s, customer_lead, "promote-services").await);
    let after = sweep(&s, at("2026-07-01T00:00:00Z"), false).await;
    assert_eq!(after.expired(), 1, "{after:?}");
    assert!(!readable_as(&s, customer_lead, "promote-services").await);
    assert!(readable_as(&s, account, "create-account").await);
    assert_eq!(
        s.engine.verify_audit().await.unwrap().verdict,
        ChainVerdict::Intact
    );
}

/// R2: "In other jurisdictions ... may be up to two years": where the network a message
/// terminates on, or the customer's contracting entity, is in a country whose law requires
/// longer, the record is kept that long (the longest that applies), in day buckets of its own.
#[tokio::test]
async fn a_jurisdiction_that_requires_longer_keeps_sms_records_longer() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies/messagebird");
    custodian_testkit::copy_dir(&seeds, dir.path());
    let file = dir.path().join("versions/2023/retention.toml");
    let text = std::fs::read_to_string(&file).unwrap().replace(
        "max_period = \"P2Y\"\n",
        "max_period = \"P2Y\"\njurisdictions = [\n  { countries = [\"DE\", \"IT\"], period = \"P1Y\", because = \"traffic data retention law\" },\n  { countries = [\"IT\"], period = \"P2Y\", because = \"telephone traffic data retention law\" },\n]\n",
    );
    std::fs::write(&file, text).unwrap();
    let (policy, report) = custodian_policy::load(dir.path());
    let s = setup_with(policy.unwrap_or_else(|| panic!("{}", report.render(false)))).await;

    let at_country = |country: &str, phone: &str| {
        let mut r = sms(phone, t0());
        r.country = Some(country.into());
        r
    };
    let stored = s
        .engine
        .ingest(
            &s.principal,
            vec![
                at_country("NL", "+31612000001"),
                at_country("DE", "+491701234567"),
                at_country("IT", "+393331234567"),
            ],
            None,
            b"",
        )
        .await
        .unwrap();
    let ids: Vec<RecordId> = stored.records.iter().map(|r| r.id).collect();
    assert_eq!(
        expiry_of(&s, "sms-voice/2025-01-15").await,
        Some(at("2025-07-16T00:00:00Z"))
    );
    assert_eq!(
        expiry_of(&s, "sms-voice/2025-01-15/P1Y").await,
        Some(at("2026-01-16T00:00:00Z"))
    );
    assert_eq!(
        expiry_of(&s, "sms-voice/2025-01-15/P2Y").await,
        Some(at("2027-01-16T00:00:00Z"))
    );

    // A customer whose contracting entity is in Italy: two years, wherever the message went.
    let italian = s
        .engine
        .create_tenant(&Actor::Cli, "Ditta Italiana", Some("IT"))
        .await
        .unwrap();
    let key = s
        .engine
        .create_api_key(
            &Actor::Cli,
            italian.id,
            "test",
            &[
                Scope::RecordsRead.as_str().to_string(),
                Scope::RecordsWrite.as_str().to_string(),
            ],
        )
        .await
        .unwrap();
    let italian_principal = s.engine.authenticate(&key.token).await.unwrap();
    let italian_record = s
        .engine
        .ingest(
            &italian_principal,
            vec![at_country("NL", "+31612000002")],
            None,
            b"",
        )
        .await
        .unwrap()
        .records[0]
        .id;

    let six_months = sweep(&s, at("2025-07-16T00:00:00Z"), false).await;
    assert_eq!(six_months.expired(), 1, "{six_months:?}");
    assert!(!readable(&s, ids[0]).await);
    assert!(readable(&s, ids[1]).await, "Germany: a year");
    assert!(readable(&s, ids[2]).await, "Italy: two years");
    let a_year = sweep(&s, at("2026-01-16T00:00:00Z"), false).await;
    assert_eq!(a_year.expired(), 1, "{a_year:?}");
    assert!(!readable(&s, ids[1]).await);
    assert!(readable(&s, ids[2]).await);
    assert!(readable_as_principal(&s, &italian_principal, italian_record).await);
    let two_years = sweep(&s, at("2027-01-16T00:00:00Z"), false).await;
    assert_eq!(two_years.expired(), 2, "{two_years:?}");
    assert!(!readable(&s, ids[2]).await);
    assert!(!readable_as_principal(&s, &italian_principal, italian_record).await);
}
