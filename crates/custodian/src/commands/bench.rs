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
use super::traffic::{Person, people, record};
use crate::cli::BenchCommand;

pub(super) async fn bench_principal(engine: &Engine) -> anyhow::Result<Principal> {
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

/// Ingests `total` generated records in batches of 5 000 from four concurrent clients, through
/// the real pipeline.
async fn load(
    engine: &Engine,
    principal: &Principal,
    total: usize,
    persons: std::sync::Arc<Vec<Person>>,
    seed: u64,
) -> anyhow::Result<()> {
    let queue = generate(total, 5_000, persons, seed, 8);
    let (engine, principal) = (engine.clone(), principal.clone());
    drive(4, queue, move |records| {
        let (engine, principal) = (engine.clone(), principal.clone());
        async move {
            engine.ingest(&principal, records, None, b"").await?;
            Ok(())
        }
    })
    .await?;
    Ok(())
}

fn plain_audit(tenant: custodian_core::TenantId, now: jiff::Timestamp) -> NewAuditEvent {
    NewAuditEvent {
        at: now,
        actor: "bench".into(),
        action: "bench.plain".into(),
        tenant: Some(tenant),
        targets: Vec::new(),
        purpose: None,
        outcome: Outcome::Success,
        detail: None,
    }
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
        BenchCommand::Retention {
            records,
            buckets,
            batch,
            purge_batch,
            data,
        } => {
            let ctx = context::open(config, &data).await?;
            return super::bench_retention::run(&ctx.engine, records, buckets, batch, purge_batch)
                .await;
        }
        BenchCommand::Rights {
            records,
            subjects,
            data,
        } => {
            let ctx = context::open(config, &data).await?;
            super::bench_rights::run(&ctx.engine, records, subjects).await?;
        }
        BenchCommand::Consent {
            subjects,
            checks,
            seconds,
            data,
        } => {
            let ctx = context::open(config, &data).await?;
            super::bench_consent::run(&ctx.engine, subjects, checks, seconds).await?;
        }
        BenchCommand::Ingest {
            records,
            batch,
            subjects,
            clients,
            data,
        } => {
            let ctx = context::open(config, &data).await?;
            ingest(&ctx.engine, records, batch, subjects, clients).await?;
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
            tenant,
            data,
        } => {
            let ctx = context::open(config, &data).await?;
            lookup(&ctx.engine, records, subjects, lookups, tenant.as_deref()).await?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Up to this many records are generated before the clock starts, so that the measured run
/// spends the machine's cores on the server's work only; larger runs generate as they go.
const PREGENERATE: usize = 1_000_000;

/// Generated batches, made on a thread of their own (the clients' side of the load) and handed
/// out through a queue: all made before this returns when the run is small enough, else made
/// while the run goes on.
fn generate(
    total: usize,
    batch: usize,
    persons: std::sync::Arc<Vec<Person>>,
    seed: u64,
    queue: usize,
) -> std::sync::Arc<tokio::sync::Mutex<tokio::sync::mpsc::Receiver<Vec<IngestRecord>>>> {
    let batch = batch.max(1);
    let ahead = total <= PREGENERATE;
    let capacity = if ahead {
        total.div_ceil(batch).max(1)
    } else {
        queue.max(1)
    };
    let (tx, rx) = tokio::sync::mpsc::channel(capacity);
    let maker = std::thread::spawn(move || {
        let mut rng = StdRng::seed_from_u64(seed);
        let mut done = 0;
        while done < total {
            let n = batch.min(total - done);
            let records: Vec<IngestRecord> = (done..done + n)
                .map(|i| record(i, &persons[i % persons.len()], &mut rng))
                .collect();
            if tx.blocking_send(records).is_err() {
                return;
            }
            done += n;
        }
    });
    if ahead {
        // The queue holds every batch: the maker never waits, and is done when it returns.
        let _ = maker.join();
    }
    std::sync::Arc::new(tokio::sync::Mutex::new(rx))
}

/// Runs `clients` concurrent clients, each taking the next batch and sending it with `send`,
/// until the batches run out; returns the elapsed time and each batch's latency.
async fn drive<F, Fut>(
    clients: usize,
    queue: std::sync::Arc<tokio::sync::Mutex<tokio::sync::mpsc::Receiver<Vec<IngestRecord>>>>,
    send: F,
) -> anyhow::Result<(Duration, Vec<Duration>)>
where
    F: Fn(Vec<IngestRecord>) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = anyhow::Result<()>> + Send,
{
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..clients.max(1) {
        let (queue, send) = (queue.clone(), send.clone());
        tasks.spawn(async move {
            let mut latencies = Vec::new();
            loop {
                let next = queue.lock().await.recv().await;
                let Some(records) = next else {
                    return Ok::<_, anyhow::Error>(latencies);
                };
                let t = Instant::now();
                send(records).await?;
                latencies.push(t.elapsed());
            }
        });
    }
    let mut latencies = Vec::new();
    while let Some(done) = tasks.join_next().await {
        latencies.extend(done.context("a bench client failed")??);
    }
    Ok((started.elapsed(), latencies))
}

async fn ingest(
    engine: &Engine,
    total: usize,
    batch: usize,
    subjects: Option<usize>,
    clients: usize,
) -> anyhow::Result<()> {
    let principal = bench_principal(engine).await?;
    let subjects = subjects.unwrap_or((total / 10).max(1));
    let mut rng = StdRng::seed_from_u64(7);
    let persons = std::sync::Arc::new(people(subjects, &mut rng));
    println!(
        "bench ingest: {total} records over {subjects} subjects, batches of {batch}, {clients} concurrent clients, database {}",
        engine.store().backend()
    );
    println!(
        "  (traffic is generated {})",
        if total <= PREGENERATE {
            "before each timed run starts"
        } else {
            "on a thread of its own while the runs go on"
        }
    );

    // The real pipeline: policy checks, identifier normalisation, blind indexes, keys, sealing.
    let queue = generate(total, batch, persons.clone(), 11, clients * 2);
    let cpu_before = cpu_seconds();
    let (sealed, mut latencies) = {
        let (engine, principal) = (engine.clone(), principal.clone());
        drive(clients, queue, move |records| {
            let (engine, principal) = (engine.clone(), principal.clone());
            async move {
                engine
                    .ingest(&principal, records, None, b"")
                    .await
                    .context("an ingest batch failed")?;
                Ok(())
            }
        })
        .await?
    };

    let busy = cpu_before
        .zip(cpu_seconds())
        .map(|(before, after)| (after - before) / sealed.as_secs_f64());

    // The naive baseline in the same run: the same number of rows written as plaintext straight
    // to the store, with no policy check, no blind index, no key and no encryption.
    let subject = SubjectId::new();
    let now = jiff::Timestamp::now();
    engine
        .store()
        .store_batch(RecordBatch {
            buckets: Vec::new(),
            tenant: principal.tenant,
            subjects: vec![NewSubject {
                id: subject,
                created_at: now,
            }],
            links: Vec::new(),
            records: Vec::new(),
            consents: Vec::new(),
            consent_texts: Vec::new(),
            idempotency: None,
            audit: plain_audit(principal.tenant, now),
        })
        .await?;
    let queue = generate(total, batch, persons.clone(), 13, clients * 2);
    let (plain, _) = {
        let (engine, tenant) = (engine.clone(), principal.tenant);
        drive(clients, queue, move |records| {
            let engine = engine.clone();
            async move {
                let rows: Vec<RecordRow> = records
                    .into_iter()
                    .map(|r| RecordRow {
                        id: RecordId::new(),
                        tenant,
                        subject,
                        categories: r.data.keys().cloned().collect(),
                        payload: serde_json::to_vec(&r.data).unwrap_or_default(),
                        product: r.product,
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
                    })
                    .collect();
                engine
                    .store()
                    .store_batch(RecordBatch {
                        buckets: Vec::new(),
                        tenant,
                        subjects: Vec::new(),
                        links: Vec::new(),
                        records: rows,
                        consents: Vec::new(),
                        consent_texts: Vec::new(),
                        idempotency: None,
                        audit: plain_audit(tenant, now),
                    })
                    .await?;
                Ok(())
            }
        })
        .await?
    };

    latencies.sort();
    let rate = |d: Duration| total as f64 / d.as_secs_f64();
    println!(
        "  sealed pipeline : {:>10.0} records/s  ({:.2} s; batch p50 {:.1} ms, p99 {:.1} ms)",
        rate(sealed),
        sealed.as_secs_f64(),
        percentile(&latencies, 0.5).as_secs_f64() * 1e3,
        percentile(&latencies, 0.99).as_secs_f64() * 1e3
    );
    if let Some(busy) = busy {
        println!(
            "                    {busy:.2} cores busy on average during the sealed run ({} available)",
            std::thread::available_parallelism().map_or(1, |n| n.get())
        );
    }
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

/// A principal of an existing tenant (runs that reuse an earlier run's records), or of a new
/// bench tenant.
async fn principal_for(
    engine: &Engine,
    tenant: Option<&str>,
    name: &str,
) -> anyhow::Result<Principal> {
    match tenant {
        Some(id) => {
            let id = id
                .parse()
                .with_context(|| format!("`{id}` is not a tenant id"))?;
            let scopes = vec![Scope::RecordsRead.as_str().to_string()];
            let key = engine
                .create_api_key(&Actor::System, id, name, &scopes)
                .await?;
            Ok(engine.authenticate(&key.token).await?)
        }
        None => bench_principal(engine).await,
    }
}

async fn lookup(
    engine: &Engine,
    total: usize,
    subjects: usize,
    lookups: usize,
    tenant: Option<&str>,
) -> anyhow::Result<()> {
    let principal = principal_for(engine, tenant, "bench-lookup").await?;
    let total = if tenant.is_some() { 0 } else { total };
    let mut rng = StdRng::seed_from_u64(11);
    let persons = std::sync::Arc::new(people(subjects, &mut rng));
    println!(
        "bench lookup: {total} records loaded over {subjects} subjects, then {lookups} lookups, tenant {}, database {}",
        principal.tenant,
        engine.store().backend()
    );
    let t = Instant::now();
    load(engine, &principal, total, persons.clone(), 12).await?;
    println!("  loaded in {:.1} s", t.elapsed().as_secs_f64());
    let mut found = Vec::with_capacity(lookups);
    let (mut opened, mut missing) = (0usize, 0usize);
    for _ in 0..lookups {
        let person = &persons[rng.random_range(0..persons.len())];
        let t = Instant::now();
        // Products identify people by phone, e-mail or WhatsApp id: the person is found by
        // whichever their records carry.
        let mut subject = None;
        for (kind, value) in [
            ("phone", &person.phone),
            ("email", &person.email),
            ("whatsapp", &person.whatsapp),
        ] {
            match engine.find_subject(&principal, kind, value).await {
                Ok(s) => {
                    subject = Some(s);
                    break;
                }
                Err(custodian_engine::EngineError::NotFound { .. }) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        let Some(subject) = subject else {
            missing += 1;
            continue;
        };
        let records = engine
            .subject_records(&principal, subject, "transmission", None, None, 1000)
            .await?;
        found.push(t.elapsed());
        opened += records.len();
    }
    found.sort();
    println!(
        "  find and open a subject's records: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms ({:.1} records per subject; {missing} people had no records)",
        percentile(&found, 0.5).as_secs_f64() * 1e3,
        percentile(&found, 0.99).as_secs_f64() * 1e3,
        found.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
        opened as f64 / found.len().max(1) as f64
    );
    Ok(())
}

/// Peak resident memory since the last reset, in MiB (Linux).
pub(super) fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// CPU time used by this process so far, user and system, in seconds (Linux; clock ticks of
/// 1/100 s, the kernel's `USER_HZ`).
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let (_, rest) = stat.rsplit_once(')')?;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let user: f64 = fields.get(11)?.parse().ok()?;
    let system: f64 = fields.get(12)?.parse().ok()?;
    Some((user + system) / 100.0)
}

/// Resident memory now, in MiB (Linux).
pub(super) fn rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// Resets the peak-memory mark so the next phase is measured alone (Linux).
pub(super) fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

async fn export(engine: &Engine, total: usize, tenant: Option<&str>) -> anyhow::Result<()> {
    use std::io::Write;
    let principal = principal_for(engine, tenant, "bench-export").await?;
    let total = if tenant.is_some() { 0 } else { total };
    let mut rng = StdRng::seed_from_u64(13);
    let persons = std::sync::Arc::new(people((total / 10).max(1), &mut rng));
    println!(
        "bench export: {total} records loaded first, database {}",
        engine.store().backend()
    );
    let t = Instant::now();
    load(engine, &principal, total, persons, 14).await?;
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
