//! `custodian bench retention`: one bucket of many expires; how soon is it unreadable, how fast
//! are its rows deleted, and what does the naive `DELETE … WHERE expires_at < now` cost on a
//! bucket of the same size in the same run.

use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context as _, bail};
use custodian_core::{RecordId, SubjectId};
use custodian_engine::retention::{DEFAULT_LEASE, SweepOptions};
use custodian_engine::{Actor, Engine, Scope};
use custodian_store::{NewAuditEvent, NewSubject, Outcome, RecordBatch, RecordRow};
use jiff::SignedDuration;
use rand::{Rng, SeedableRng};

pub async fn run(
    engine: &Engine,
    total: usize,
    buckets: usize,
    batch: usize,
    purge_batch: u32,
) -> anyhow::Result<ExitCode> {
    if buckets < 2 || total < buckets {
        bail!("--buckets must be at least 2 and --records at least as many as buckets");
    }
    let name = format!("bench-retention-{}", uuid::Uuid::now_v7().simple());
    let tenant = engine.create_tenant(&Actor::Cli, &name, Some("NL")).await?;
    let scopes: Vec<String> = Scope::ALL.iter().map(|s| s.as_str().to_string()).collect();
    let key = engine
        .create_api_key(&Actor::Cli, tenant.id, "bench", &scopes)
        .await?;
    let principal = engine.authenticate(&key.token).await?;
    let now = engine.clock().now();
    // Day buckets of R1 (six months), the oldest `buckets + 1` days ago: bucket 0 falls due
    // first, bucket 1 a day later, the rest after.
    let day = |i: usize| now - SignedDuration::from_hours(24 * (buckets as i64 + 1 - i as i64));
    // One real, sealed record per day registers the bucket with its key and expiry.
    let mut probes = Vec::new();
    for i in 0..buckets {
        let record: custodian_engine::records::IngestRecord =
            serde_json::from_value(serde_json::json!({
                "product": "sms",
                "purpose": "transmission",
                "legal_basis": "contract",
                "identifiers": { "phone": format!("+3161{i:07}") },
                "occurred_at": day(i),
                "country": "NL",
                "data": { "communication-content": "Your code is 4921" }
            }))?;
        let stored = engine.ingest(&principal, vec![record], None, b"").await?;
        probes.push(stored.records[0].id);
    }
    let rows = engine.buckets(Some(tenant.id), u32::MAX).await?;
    let bucket_of = |i: usize| {
        let d = day(i).to_zoned(jiff::tz::TimeZone::UTC).date();
        rows.iter()
            .find(|b| b.name == format!("sms-voice/{d}"))
            .cloned()
            .context("a bucket was not registered")
    };
    let first = bucket_of(0)?;
    // The bulk: rows as the store keeps them (metadata in clear, a sealed-size payload), the
    // same for both ways of expiring.
    let subject = SubjectId::new();
    let audit = |at| NewAuditEvent {
        at,
        actor: "bench".into(),
        action: "bench.load".into(),
        tenant: Some(tenant.id),
        targets: Vec::new(),
        purpose: None,
        outcome: Outcome::Success,
        detail: None,
    };
    engine
        .store()
        .store_batch(RecordBatch {
            tenant: tenant.id,
            subjects: vec![NewSubject {
                id: subject,
                created_at: now,
            }],
            links: Vec::new(),
            records: Vec::new(),
            buckets: Vec::new(),
            consents: Vec::new(),
            consent_texts: Vec::new(),
            idempotency: None,
            audit: audit(now),
        })
        .await?;
    let mut rng = rand::rngs::StdRng::seed_from_u64(2023);
    let per_bucket = total / buckets;
    let loading = Instant::now();
    let mut loaded = 0usize;
    for i in 0..buckets {
        let b = bucket_of(i)?;
        let occurred = day(i);
        let mut left = per_bucket - 1;
        while left > 0 {
            let n = left.min(batch);
            left -= n;
            let records = (0..n)
                .map(|_| {
                    let mut payload = vec![0u8; 160];
                    rng.fill(&mut payload[..]);
                    let mut wrapped = vec![0u8; 89];
                    rng.fill(&mut wrapped[..]);
                    RecordRow {
                        id: RecordId::new(),
                        tenant: tenant.id,
                        subject,
                        product: "sms".into(),
                        categories: vec!["communication-content".into(), "phone-number".into()],
                        purpose: "transmission".into(),
                        legal_basis: "contract".into(),
                        source: "customer-supplied".into(),
                        role: "processor".into(),
                        country: Some("NL".into()),
                        occurred_at: occurred,
                        ingested_at: now,
                        retention_rule: "sms-voice".into(),
                        bucket: b.name.clone(),
                        key_scope: "erasable".into(),
                        expires_at: b.expires_at,
                        version: 1,
                        supersedes: None,
                        superseded: false,
                        wrapped_key: wrapped,
                        payload,
                    }
                })
                .collect();
            engine
                .store()
                .store_batch(RecordBatch {
                    tenant: tenant.id,
                    subjects: Vec::new(),
                    links: Vec::new(),
                    records,
                    buckets: Vec::new(),
                    consents: Vec::new(),
                    consent_texts: Vec::new(),
                    idempotency: None,
                    audit: audit(now),
                })
                .await?;
            loaded += n;
        }
        eprint!("\rloaded {loaded} rows over {} of {buckets} buckets", i + 1);
    }
    eprintln!();
    let load_secs = loading.elapsed().as_secs_f64();
    let Some(first_due) = first.expires_at else {
        bail!("the benchmark's buckets have no expiry");
    };
    // The purge sweep then takes a week more: on PostgreSQL up to the end of the partition
    // of the bucket a week after the first (a whole week of buckets, dropped at once); on
    // SQLite seven days, in batches.
    let a_week_on = bucket_of(7.min(buckets - 2))?
        .expires_at
        .context("the benchmark's buckets have no expiry")?;
    let partitions = engine.record_partitions(a_week_on).await?;
    let week_due = partitions
        .iter()
        .find(|p| p.from <= a_week_on && a_week_on < p.until)
        .map_or(a_week_on, |p| p.until);
    // The naive DELETE then takes the next bucket after those.
    let Some(next_due) = (0..buckets)
        .filter_map(|i| bucket_of(i).ok()?.expires_at)
        .find(|due| *due > week_due)
    else {
        bail!(
            "--buckets is too small: no bucket is left after the first week for the naive DELETE"
        );
    };
    let sweep_at = |now| {
        engine.sweep(
            &Actor::Cli,
            SweepOptions {
                now,
                dry_run: false,
                purge_batch,
                lease: DEFAULT_LEASE,
            },
            &|_| {},
        )
    };

    // Ours: the sweep at the first bucket's expiry takes exactly that bucket.
    let report = sweep_at(first_due).await?;
    let ours = report
        .buckets
        .iter()
        .find(|o| o.bucket == first.name)
        .context("the sweep did not take the due bucket")?;
    let probe = engine.record(&principal, probes[0], "transmission").await;
    let unreadable = !matches!(probe, Ok(ref r) if r.data.is_some());
    let unreadable_ms = ours.unreadable_ms.unwrap_or(f64::NAN);
    let mut purged = ours.purged;
    let mut purge_ms = ours.purge_ms.unwrap_or(0.0);

    // The rest of the week: rows deleted in batches (SQLite) or whole partitions dropped.
    let rest = sweep_at(week_due).await?;
    purged += rest.buckets.iter().map(|b| b.purged).sum::<u64>();
    purge_ms += rest.buckets.iter().filter_map(|b| b.purge_ms).sum::<f64>();
    let drops: Vec<_> = report.partitions.iter().chain(&rest.partitions).collect();
    let dropped: Vec<String> = drops
        .iter()
        .map(|p| format!("{} ({} rows, {:.1} ms)", p.name, p.records, p.ms))
        .collect();
    purged += drops
        .iter()
        .map(|p| u64::try_from(p.records).unwrap_or(0))
        .sum::<u64>();
    purge_ms += drops.iter().map(|p| p.ms).sum::<f64>();
    let purge_rate = purged as f64 / (purge_ms / 1e3);

    // Naive: the next bucket's rows stay readable until one big DELETE commits.
    let naive_start = Instant::now();
    let deleted = engine
        .store()
        .delete_expired_naively(next_due + SignedDuration::from_secs(1))
        .await?;
    let naive_ms = naive_start.elapsed().as_secs_f64() * 1e3;
    let naive_rate = deleted as f64 / (naive_ms / 1e3);

    println!(
        "retention bench on {} — {loaded} rows over {buckets} day buckets ({per_bucket} per bucket), loaded in {load_secs:.1} s",
        engine.store().backend()
    );
    println!(
        "  ours:  bucket of {} records unreadable after {unreadable_ms:.1} ms (probe record opens: {})",
        ours.records, !unreadable,
    );
    println!(
        "  ours:  {} bucket(s) expired up to {week_due}; {purged} rows purged in {:.2} s = {purge_rate:.0} rows/s{}",
        report.expired() + rest.expired(),
        purge_ms / 1e3,
        if dropped.is_empty() {
            " (in batches)".to_string()
        } else {
            format!("; partitions dropped: {}", dropped.join(", "))
        }
    );
    println!(
        "  naive: DELETE … WHERE expires_at < now removed {deleted} rows in {:.1} s = {naive_rate:.0} rows/s; readable until it commits",
        naive_ms / 1e3
    );
    println!(
        "  time to unreadable: naive / ours = {:.0}×; purge throughput: ours / naive = {:.1}×",
        naive_ms / unreadable_ms,
        purge_rate / naive_rate
    );
    Ok(ExitCode::SUCCESS)
}
