//! `custodian bench consent`: consent checks answered from the consent state in memory,
//! beside the naive way (a database query per check) in the same run:
//! - in process, on one core and on every core;
//! - over HTTP on loopback, driven by `wrk` (the real router; the naive route is mounted only
//!   in this benchmark's server);
//!
//! and the fold of the whole ledger at start, and the banner's size gzipped.

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use custodian_core::SubjectId;
use custodian_engine::Engine;
use custodian_store::{ConsentHolder, ConsentScope, NewConsentEvent};
use rand::{Rng, SeedableRng};
use uuid::Uuid;

use super::bench::bench_principal;

/// Ledger events appended per transaction while loading.
const LOAD_BATCH: usize = 10_000;

fn event(
    tenant: custodian_core::TenantId,
    subject: SubjectId,
    purpose: &str,
    given: bool,
    at: jiff::Timestamp,
) -> NewConsentEvent {
    NewConsentEvent {
        id: Uuid::now_v7(),
        tenant,
        who: ConsentHolder::Subject(subject),
        kind: "consent".into(),
        purpose: purpose.into(),
        given,
        method: "checkbox".into(),
        action: None,
        text_hash: Some("0".repeat(64)),
        text_version: Some("bench".into()),
        policy_version: "2023".into(),
        locale: Some("en".into()),
        at,
        recorded_at: at,
        ip_prefix: Some("192.0.2.0/24".into()),
        gpc: false,
        gpc_source: None,
        actor: "system".into(),
    }
}

/// The naive check: the person's events read from the database, the newest for the purpose
/// decides.
async fn naive_check(
    engine: &Engine,
    tenant: custodian_core::TenantId,
    subject: SubjectId,
    purpose: &str,
) -> anyhow::Result<bool> {
    let rows = engine
        .store()
        .consent_events(
            ConsentScope::Of(tenant, ConsentHolder::Subject(subject)),
            1_000,
        )
        .await?;
    Ok(rows
        .iter()
        .rev()
        .find(|r| r.event.purpose == purpose)
        .is_some_and(|r| r.event.given))
}

pub async fn run(
    engine: &Engine,
    subjects: usize,
    checks: usize,
    seconds: u64,
) -> anyhow::Result<()> {
    let principal = bench_principal(engine).await?;
    let tenant = principal.tenant;
    println!(
        "bench consent: {subjects} people with 2 choices each, {checks} checks per measure, database {}",
        engine.store().backend()
    );
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let people: Vec<SubjectId> = (0..subjects).map(|_| SubjectId::new()).collect();

    // --- Load the ledger ------------------------------------------------------------------
    let t = Instant::now();
    let now = jiff::Timestamp::now();
    for chunk in people.chunks(LOAD_BATCH / 2) {
        let events: Vec<NewConsentEvent> = chunk
            .iter()
            .flat_map(|s| {
                [
                    event(tenant, *s, "promote-services", true, now),
                    event(tenant, *s, "surveys", rng.random_bool(0.5), now),
                ]
            })
            .collect();
        engine.store().append_consents(&events, &[], None).await?;
    }
    let loaded = t.elapsed();
    println!(
        "  ledger loaded: {} events in {:.1} s ({:.0} events/s)",
        subjects * 2,
        loaded.as_secs_f64(),
        (subjects * 2) as f64 / loaded.as_secs_f64()
    );

    // --- Fold at start --------------------------------------------------------------------
    let t = Instant::now();
    let book = engine.consents().await?;
    let folded = t.elapsed();
    let (held, _) = book.len();
    println!(
        "  consent state folded from the whole ledger: {held} people in {:.2} s",
        folded.as_secs_f64()
    );
    let key = book
        .key("promote-services")
        .ok_or_else(|| anyhow::anyhow!("the policy has no purpose promote-services"))?;

    // --- In process -----------------------------------------------------------------------
    let picks: Vec<SubjectId> = (0..checks.min(1 << 20))
        .map(|_| people[rng.random_range(0..people.len())])
        .collect();
    let one_core = {
        let t = Instant::now();
        let mut allowed = 0usize;
        for i in 0..checks {
            let d = book.check(tenant, picks[i % picks.len()], key);
            allowed += usize::from(std::hint::black_box(d).allowed);
        }
        anyhow::ensure!(
            allowed == checks,
            "every person consented, yet {allowed} of {checks} checks allowed"
        );
        checks as f64 / t.elapsed().as_secs_f64()
    };
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let all_cores = {
        let t = Instant::now();
        std::thread::scope(|scope| {
            for c in 0..cores {
                let picks = &picks;
                scope.spawn(move || {
                    let mut allowed = 0usize;
                    for i in 0..checks {
                        let d = book.check(tenant, picks[(i + c * 7919) % picks.len()], key);
                        allowed += usize::from(std::hint::black_box(d).allowed);
                    }
                    allowed
                });
            }
        });
        (checks * cores) as f64 / t.elapsed().as_secs_f64()
    };
    let naive_n = 2_000.min(checks);
    let naive = {
        let t = Instant::now();
        for s in picks.iter().take(naive_n) {
            anyhow::ensure!(
                naive_check(engine, tenant, *s, "promote-services").await?,
                "the naive check disagrees"
            );
        }
        naive_n as f64 / t.elapsed().as_secs_f64()
    };
    println!("  in process, one core: {one_core:.0} checks/s");
    println!("  in process, {cores} cores: {all_cores:.0} checks/s");
    println!(
        "  naive (a database query per check, {naive_n} checks): {naive:.0} checks/s; one core from memory is {:.0}x that",
        one_core / naive
    );

    // --- Over HTTP ------------------------------------------------------------------------
    let token = engine
        .create_api_key(
            &custodian_engine::Actor::System,
            tenant,
            "bench-http",
            &["consent:read".to_string()],
        )
        .await?
        .token;
    match which_wrk() {
        None => println!("  over HTTP: skipped: `wrk` is not installed (apt-get install wrk)"),
        Some(wrk) => {
            let (address, server) = serve(engine).await?;
            let dir = tempdir()?;
            let sample: Vec<String> = picks.iter().take(10_000).map(|s| s.to_string()).collect();
            let fast = http_run(
                &wrk,
                &dir,
                &address,
                "/v1/consents/check?purpose=promote-services&subject=",
                &sample,
                &token,
                seconds,
            )?;
            let slow = http_run(
                &wrk,
                &dir,
                &address,
                "/bench/naive-check?purpose=promote-services&subject=",
                &sample,
                &token,
                seconds,
            )?;
            server.abort();
            let _ = std::fs::remove_dir_all(&dir);
            println!(
                "  over HTTP (wrk, 2 threads, 64 connections, {seconds} s): {:.0} req/s, p50 {:.2} ms, p99 {:.2} ms",
                fast.rate, fast.p50_ms, fast.p99_ms
            );
            println!(
                "  naive over HTTP (a database query per check): {:.0} req/s, p50 {:.2} ms, p99 {:.2} ms; {:.1}x the requests",
                slow.rate,
                slow.p50_ms,
                slow.p99_ms,
                fast.rate / slow.rate
            );
        }
    }

    // --- The banner -----------------------------------------------------------------------
    let (js, css) = custodian_http::banner_assets();
    let gz = |text: &str| -> anyhow::Result<usize> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        e.write_all(text.as_bytes())?;
        Ok(e.finish()?.len())
    };
    let (js_gz, css_gz) = (gz(js)?, gz(css)?);
    println!(
        "  banner: banner.js {} bytes ({js_gz} gzipped) + banner.css {} bytes ({css_gz} gzipped) = {} bytes gzipped",
        js.len(),
        css.len(),
        js_gz + css_gz
    );
    Ok(())
}

fn which_wrk() -> Option<std::path::PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join("wrk"))
            .find(|p| p.is_file())
    })
}

fn tempdir() -> anyhow::Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("custodian-bench-consent-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// The real router, plus the naive check (a database query per request) for comparison.
async fn serve(engine: &Engine) -> anyhow::Result<(String, tokio::task::JoinHandle<()>)> {
    use axum::extract::{Query, State};
    #[derive(serde::Deserialize)]
    struct Q {
        purpose: String,
        subject: Uuid,
    }
    async fn naive(
        State(engine): State<Engine>,
        auth: axum::http::HeaderMap,
        Query(q): Query<Q>,
    ) -> axum::response::Response {
        use axum::response::IntoResponse;
        let token = auth
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or_default();
        let Ok(principal) = engine.authenticate(token).await else {
            return axum::http::StatusCode::UNAUTHORIZED.into_response();
        };
        match naive_check(
            &engine,
            principal.tenant,
            SubjectId::from_uuid(q.subject),
            &q.purpose,
        )
        .await
        {
            Ok(allowed) => axum::Json(serde_json::json!({ "allowed": allowed })).into_response(),
            Err(_) => axum::http::StatusCode::SERVICE_UNAVAILABLE.into_response(),
        }
    }
    let naive_route = axum::Router::new()
        .route("/bench/naive-check", axum::routing::get(naive))
        .with_state(engine.clone());
    let app =
        custodian_http::router(custodian_http::AppState::new(engine.clone())).merge(naive_route);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = format!("http://{}", listener.local_addr()?);
    let server = tokio::spawn(async move {
        let _ = axum::serve(
            listener,
            app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await;
    });
    Ok((address, server))
}

struct HttpResult {
    rate: f64,
    p50_ms: f64,
    p99_ms: f64,
}

/// Runs wrk against `path` + a random subject of `sample` per request.
fn http_run(
    wrk: &Path,
    dir: &Path,
    address: &str,
    path: &str,
    sample: &[String],
    token: &str,
    seconds: u64,
) -> anyhow::Result<HttpResult> {
    let script = dir.join("check.lua");
    let list: Vec<String> = sample.iter().map(|s| format!("\"{s}\"")).collect();
    std::fs::write(
        &script,
        format!(
            "local s = {{{}}}\nlocal n = #s\nrequest = function()\n  return wrk.format(\"GET\", \"{path}\" .. s[math.random(n)], {{[\"Authorization\"] = \"Bearer {token}\"}})\nend\n",
            list.join(",")
        ),
    )?;
    let out = std::process::Command::new(wrk)
        .args(["-t2", "-c64", &format!("-d{seconds}s"), "--latency", "-s"])
        .arg(&script)
        .arg(address)
        .output()?;
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    anyhow::ensure!(
        out.status.success(),
        "wrk failed: {text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    anyhow::ensure!(
        !text.contains("Non-2xx"),
        "some requests failed during the run:\n{text}"
    );
    let rate = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse::<f64>().ok())
        .ok_or_else(|| anyhow::anyhow!("wrk printed no rate:\n{text}"))?;
    let percentile = |p: &str| -> Option<f64> {
        let line = text.lines().find(|l| l.trim_start().starts_with(p))?;
        let value = line.split_whitespace().nth(1)?;
        let (number, unit) = value.split_at(value.find(|c: char| c.is_ascii_alphabetic())?);
        let n: f64 = number.parse().ok()?;
        Some(match unit {
            "us" => n / 1000.0,
            "ms" => n,
            "s" => n * 1000.0,
            _ => return None,
        })
    };
    Ok(HttpResult {
        rate,
        p50_ms: percentile("50%").unwrap_or(f64::NAN),
        p99_ms: percentile("99%").unwrap_or(f64::NAN),
    })
}
