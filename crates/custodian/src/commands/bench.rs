//! `custodian bench ingest|lookup`: load generators that drive the real engine with realistic
//! traffic for every product and report throughput and latency beside a naive baseline from
//! the same run.

use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use custodian_core::{RecordId, SubjectId};
use custodian_engine::records::IngestRecord;
use custodian_engine::{Actor, Engine, Principal, Scope};
use custodian_store::{NewAuditEvent, NewSubject, Outcome, RecordBatch, RecordRow};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::context;
use super::traffic::{people, record};
use crate::cli::BenchCommand;

async fn bench_principal(engine: &Engine) -> anyhow::Result<Principal> {
    let name = format!("bench-{}", jiff::Timestamp::now().as_millisecond());
    let tenant = engine
        .create_tenant(&Actor::System, &name, Some("NL"))
        .await?;
    let scopes: Vec<String> = Scope::ALL.iter().map(|s| s.as_str().to_string()).collect();
    let key = engine
        .create_api_key(&Actor::System, tenant.id, "bench", &scopes)
        .await?;
    Ok(engine.authenticate(&key.token).await?)
}

/// Ingests `total` generated records in batches of 5 000, through the real pipeline.
async fn load(
    engine: &Engine,
    principal: &Principal,
    total: usize,
    persons: &[super::traffic::Person],
    rng: &mut StdRng,
) -> anyhow::Result<()> {
    let mut done = 0;
    while done < total {
        let n = 5_000.min(total - done);
        let records: Vec<IngestRecord> = (done..done + n)
            .map(|i| record(i, &persons[i % persons.len()], rng))
            .collect();
        engine.ingest(principal, records, None, b"").await?;
        done += n;
    }
    Ok(())
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

pub async fn run(config: Option<&Path>, command: BenchCommand) -> anyhow::Result<ExitCode> {
    match command {
        BenchCommand::Ingest {
            records,
            batch,
            subjects,
            data,
        } => {
            let ctx = context::open(config, &data).await?;
            ingest(&ctx.engine, records, batch, subjects).await?;
        }
        BenchCommand::Export {
            records,
            tenant,
            data,
        } => {
            let ctx = context::open(config, &data).await?;
            export(&ctx.engine, records, tenant.as_deref()).await?;
        }
        BenchCommand::Lookup {
            records,
            subjects,
            lookups,
            data,
        } => {
            let ctx = context::open(config, &data).await?;
            lookup(&ctx.engine, records, subjects, lookups).await?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn ingest(
    engine: &Engine,
    total: usize,
    batch: usize,
    subjects: Option<usize>,
) -> anyhow::Result<()> {
    let principal = bench_principal(engine).await?;
    let subjects = subjects.unwrap_or((total / 10).max(1));
    let mut rng = StdRng::seed_from_u64(7);
    let persons = people(subjects, &mut rng);
    println!(
        "bench ingest: {total} records over {subjects} subjects, batches of {batch}, database {}",
        engine.store().backend()
    );

    // The real pipeline: policy checks, identifier normalisation, blind indexes, keys, sealing.
    let mut latencies = Vec::new();
    let started = Instant::now();
    let mut done = 0;
    while done < total {
        let n = batch.min(total - done);
        let records: Vec<IngestRecord> = (done..done + n)
            .map(|i| record(i, &persons[i % persons.len()], &mut rng))
            .collect();
        let t = Instant::now();
        engine
            .ingest(&principal, records, None, b"")
            .await
            .context("an ingest batch failed")?;
        latencies.push(t.elapsed());
        done += n;
    }
    let sealed = started.elapsed();

    // The naive baseline in the same run: the same number of rows written as plaintext straight
    // to the store, with no policy check, no blind index, no key and no encryption.
    let plain_started = Instant::now();
    let mut done = 0;
    let subject = SubjectId::new();
    let now = jiff::Timestamp::now();
    let mut first = true;
    while done < total {
        let n = batch.min(total - done);
        let rows: Vec<RecordRow> = (done..done + n)
            .map(|i| {
                let r = record(i, &persons[i % persons.len()], &mut rng);
                RecordRow {
                    id: RecordId::new(),
                    tenant: principal.tenant,
                    subject,
                    product: r.product,
                    categories: r.data.keys().cloned().collect(),
                    purpose: r.purpose,
                    legal_basis: r.legal_basis,
                    source: "customer-supplied".into(),
                    role: "processor".into(),
                    country: r.country,
                    occurred_at: now,
                    ingested_at: now,
                    retention_rule: "sms-voice".into(),
                    bucket: "plain".into(),
                    key_scope: "erasable".into(),
                    expires_at: None,
                    version: 1,
                    supersedes: None,
                    superseded: false,
                    wrapped_key: Vec::new(),
                    payload: serde_json::to_vec(&r.data).unwrap_or_default(),
                }
            })
            .collect();
        engine
            .store()
            .store_batch(&RecordBatch {
                tenant: principal.tenant,
                subjects: if first {
                    vec![NewSubject {
                        id: subject,
                        created_at: now,
                    }]
                } else {
                    Vec::new()
                },
                links: Vec::new(),
                records: rows,
                idempotency: None,
                audit: NewAuditEvent {
                    at: now,
                    actor: "bench".into(),
                    action: "bench.plain".into(),
                    tenant: Some(principal.tenant),
                    targets: Vec::new(),
                    purpose: None,
                    outcome: Outcome::Success,
                    detail: None,
                },
            })
            .await?;
        first = false;
        done += n;
    }
    let plain = plain_started.elapsed();

    latencies.sort();
    let rate = |d: Duration| total as f64 / d.as_secs_f64();
    println!(
        "  sealed pipeline : {:>10.0} records/s  ({:.2} s; batch p50 {:.1} ms, p99 {:.1} ms)",
        rate(sealed),
        sealed.as_secs_f64(),
        percentile(&latencies, 0.5).as_secs_f64() * 1e3,
        percentile(&latencies, 0.99).as_secs_f64() * 1e3
    );
    println!(
        "  plaintext rows  : {:>10.0} records/s  ({:.2} s; naive: no policy, no index, no keys, no encryption)",
        rate(plain),
        plain.as_secs_f64()
    );
    println!(
        "  ratio           : {:.2} (sealed / plaintext throughput)",
        rate(sealed) / rate(plain)
    );
    Ok(())
}

async fn lookup(
    engine: &Engine,
    total: usize,
    subjects: usize,
    lookups: usize,
) -> anyhow::Result<()> {
    let principal = bench_principal(engine).await?;
    let mut rng = StdRng::seed_from_u64(11);
    let persons = people(subjects, &mut rng);
    println!(
        "bench lookup: {total} records over {subjects} subjects, then {lookups} lookups, database {}",
        engine.store().backend()
    );
    let t = Instant::now();
    load(engine, &principal, total, &persons, &mut rng).await?;
    println!("  loaded in {:.1} s", t.elapsed().as_secs_f64());
    let mut found = Vec::with_capacity(lookups);
    let mut opened = 0usize;
    for _ in 0..lookups {
        let person = &persons[rng.random_range(0..persons.len())];
        let t = Instant::now();
        let subject = engine
            .find_subject(&principal, "phone", &person.phone)
            .await?;
        let records = engine
            .subject_records(&principal, subject, "transmission", None, None, 1000)
            .await?;
        found.push(t.elapsed());
        opened += records.len();
    }
    found.sort();
    println!(
        "  find and open a subject's records: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms ({:.1} records per subject)",
        percentile(&found, 0.5).as_secs_f64() * 1e3,
        percentile(&found, 0.99).as_secs_f64() * 1e3,
        found.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
        opened as f64 / lookups.max(1) as f64
    );
    Ok(())
}

/// Peak resident memory since the last reset, in MiB (Linux).
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// Resident memory now, in MiB (Linux).
fn rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// Resets the peak-memory mark so the next phase is measured alone (Linux).
fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

async fn export(engine: &Engine, total: usize, tenant: Option<&str>) -> anyhow::Result<()> {
    use std::io::Write;
    let principal = match tenant {
        Some(id) => {
            let id = id
                .parse()
                .with_context(|| format!("`{id}` is not a tenant id"))?;
            let scopes = vec![Scope::RecordsRead.as_str().to_string()];
            let key = engine
                .create_api_key(&Actor::System, id, "bench-export", &scopes)
                .await?;
            engine.authenticate(&key.token).await?
        }
        None => bench_principal(engine).await?,
    };
    let total = if tenant.is_some() { 0 } else { total };
    let mut rng = StdRng::seed_from_u64(13);
    let persons = people((total / 10).max(1), &mut rng);
    println!(
        "bench export: {total} records loaded first, database {}",
        engine.store().backend()
    );
    let t = Instant::now();
    load(engine, &principal, total, &persons, &mut rng).await?;
    println!(
        "  loaded in {:.1} s (peak RSS while loading {:.0} MiB)",
        t.elapsed().as_secs_f64(),
        peak_rss_mib().unwrap_or(-1.0)
    );
    let reset = reset_peak_rss();
    let start_rss = rss_mib().unwrap_or(-1.0);
    // The export path of `GET /v1/export`: pages of opened records written as NDJSON.
    let t = Instant::now();
    let mut sink = std::io::sink();
    let (mut after, mut lines, mut bytes) = (None, 0usize, 0usize);
    loop {
        let (page, next) = engine
            .export_page(&principal, None, "transmission", after)
            .await?;
        for r in &page {
            let line = serde_json::to_vec(r)?;
            bytes += line.len() + 1;
            sink.write_all(&line)?;
            lines += 1;
        }
        match next {
            Some(n) => after = Some(n),
            None => break,
        }
    }
    let took = t.elapsed();
    println!(
        "  exported {lines} records ({:.0} MB of NDJSON) in {:.1} s: {:.0} records/s",
        bytes as f64 / 1e6,
        took.as_secs_f64(),
        lines as f64 / took.as_secs_f64(),
    );
    let streamed_peak = peak_rss_mib().unwrap_or(-1.0);
    if reset {
        println!(
            "  memory: {start_rss:.0} MiB resident when the export began, peak {streamed_peak:.0} MiB during it: {:.0} MiB of growth",
            streamed_peak - start_rss
        );
    } else {
        println!("  memory: unknown (no /proc/self/clear_refs on this system)");
    }

    // The naive alternative in the same run: read every record into memory, then write.
    let reset = reset_peak_rss();
    let start_rss = rss_mib().unwrap_or(-1.0);
    let t = Instant::now();
    let mut all = Vec::new();
    let mut after = None;
    loop {
        let (page, next) = engine
            .export_page(&principal, None, "transmission", after)
            .await?;
        all.extend(page);
        match next {
            Some(n) => after = Some(n),
            None => break,
        }
    }
    let body = all
        .iter()
        .map(serde_json::to_string)
        .collect::<Result<Vec<_>, _>>()?
        .join("\n");
    sink.write_all(body.as_bytes())?;
    let took = t.elapsed();
    let naive_peak = peak_rss_mib().unwrap_or(-1.0);
    println!(
        "  naive (all in memory, then written): {:.0} records/s; peak {naive_peak:.0} MiB, {:.0} MiB of growth{}",
        all.len() as f64 / took.as_secs_f64(),
        naive_peak - start_rss,
        if reset {
            ""
        } else {
            " (peak not resettable here)"
        }
    );
    if naive_peak > 0.0 && streamed_peak > 0.0 {
        println!(
            "  ratio: streaming peak / naive peak = {:.2}",
            streamed_peak / naive_peak
        );
    }
    Ok(())
}
