//! `custodian serve`: the HTTP server, with graceful shutdown on SIGTERM and Ctrl-C.

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use custodian_engine::mail::Mailer;
use custodian_engine::notices::{DispatchReport, NoticeSettings};
use custodian_engine::retention::SweepOptions;
use custodian_engine::{Actor, Engine};
use custodian_http::{AppState, Metrics, router};
use tokio::net::TcpListener;

use super::{context, keys};
use crate::cli::ServeArgs;

pub async fn run(config: Option<&Path>, args: ServeArgs) -> anyhow::Result<ExitCode> {
    let mut ctx = context::open(config, &args.data).await?;
    // Before the first request: destructions logged since the key store's last replay (a
    // restored key-store copy, an interrupted destruction) are carried out again.
    keys::replay_at_start(&ctx.engine).await?;
    if let Some(listen) = args.listen {
        ctx.settings.server.listen = listen;
    }
    let listener = bind(&ctx.settings.server.listen).await?;
    let address = listener.local_addr()?;
    tracing::info!(%address, database = %ctx.engine.store().backend(), "serving");
    println!("Custodian is serving on http://{address}/");
    let background = Background::from_settings(&ctx.settings, Some(address))?;
    serve(listener, ctx.engine, background).await?;
    Ok(ExitCode::SUCCESS)
}

pub async fn bind(listen: &str) -> anyhow::Result<TcpListener> {
    TcpListener::bind(listen).await.with_context(|| {
        format!("cannot listen on {listen}; is the address free and valid (HOST:PORT)?")
    })
}

/// Sends queued notices in the background, every `interval`.
pub struct Dispatcher {
    /// Where mail goes.
    pub mailer: Arc<dyn Mailer>,
    /// Where links point.
    pub settings: NoticeSettings,
    /// Time between rounds.
    pub interval: Duration,
}

impl Dispatcher {
    /// The dispatcher the settings describe; `None` (with a warning) when no mail transport is
    /// configured: notices then wait in the outbox until one is.
    pub fn from_settings(
        settings: &crate::config::Settings,
        listening: Option<std::net::SocketAddr>,
    ) -> anyhow::Result<Option<Self>> {
        let Some(mailer) = settings.mailer()? else {
            tracing::warn!(
                "no mail.smtp_url (CUSTODIAN_SMTP_URL) or mail.outbox_dir: change notices stay queued until one is set"
            );
            return Ok(None);
        };
        Ok(Some(Self {
            mailer,
            settings: NoticeSettings {
                public_url: settings.public_url(listening),
            },
            interval: Duration::from_secs(settings.mail.interval_seconds.max(1)),
        }))
    }

    fn spawn(self, engine: Engine, metrics: Arc<Metrics>) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(self.interval);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                // A round every interval, or at once when something urgent was queued.
                tokio::select! {
                    _ = tick.tick() => {}
                    () = engine.mail_kicked().notified() => {}
                }
                match engine.dispatch_notices(&*self.mailer, &self.settings).await {
                    Ok(report) if report != DispatchReport::default() => {
                        metrics.count(
                            "custodian_notices_sent_total",
                            "Notices handed to the mail server.",
                            report.sent as u64,
                        );
                        metrics.count(
                            "custodian_notices_failed_total",
                            "Notices given up on.",
                            report.failed as u64,
                        );
                        metrics.count(
                            "custodian_notices_retried_total",
                            "Notice attempts that failed and will be retried.",
                            report.retried as u64,
                        );
                        tracing::info!(?report, "notices dispatched");
                    }
                    Ok(_) => {}
                    Err(e) => {
                        tracing::warn!(error = %e, "sending notices failed; retrying next round")
                    }
                }
            }
        })
    }
}

/// What `serve` runs beside the requests.
#[derive(Default)]
pub struct Background {
    /// Sends queued notices.
    pub dispatcher: Option<Dispatcher>,
    /// Sweeps due retention buckets this often.
    pub sweep_every: Option<Duration>,
    /// Rows deleted per transaction by the sweep.
    pub purge_batch: u32,
    /// How long a sweep holds a bucket between renewals.
    pub lease: jiff::SignedDuration,
    /// Whether clients reach the server over TLS (`server.public_url` is `https://`).
    pub https: bool,
    /// The token the mail relay posts inbound mail with.
    pub inbound_token: Option<String>,
    /// The inbound SMTP listener's address and settings.
    pub smtp: Option<(String, custodian_http::smtp::SmtpConfig)>,
    /// Data subject requests: links in letters, the optional fee.
    pub rights: custodian_engine::RightsSettings,
    /// The Data Rights Protocol, when configured.
    pub drp: Option<custodian_engine::drp::DrpSettings>,
}

impl Background {
    /// The background work the settings ask for.
    pub fn from_settings(
        settings: &crate::config::Settings,
        listening: Option<std::net::SocketAddr>,
    ) -> anyhow::Result<Self> {
        Ok(Self {
            dispatcher: Dispatcher::from_settings(settings, listening)?,
            sweep_every: (settings.retention.sweep_interval_seconds > 0)
                .then(|| Duration::from_secs(settings.retention.sweep_interval_seconds)),
            purge_batch: settings.retention.purge_batch,
            https: settings
                .server
                .public_url
                .as_deref()
                .is_some_and(|u| u.starts_with("https://")),
            lease: jiff::SignedDuration::from_secs(settings.retention.lease_seconds.max(1) as i64),
            inbound_token: settings.inbound.token()?,
            rights: custodian_engine::RightsSettings {
                public_url: settings.public_url(listening),
                fee: settings.rights.fee,
            },
            drp: settings.drp.settings()?,
            smtp: settings.inbound.smtp_listen.clone().map(|listen| {
                (
                    listen,
                    custodian_http::smtp::SmtpConfig {
                        accept_domains: settings.inbound.accept_domains.clone(),
                        ..custodian_http::smtp::SmtpConfig::default()
                    },
                )
            }),
        })
    }
}

/// Sweeps due buckets every `every` (the first at start), counting what it does in `metrics`.
/// Replicas on one PostgreSQL sweep side by side: each bucket is leased to one of them.
fn spawn_sweeper(
    engine: Engine,
    every: Duration,
    purge_batch: u32,
    lease: jiff::SignedDuration,
    metrics: Arc<Metrics>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let started = std::time::Instant::now();
            let options = SweepOptions {
                now: engine.clock().now(),
                dry_run: false,
                purge_batch,
                lease,
            };
            match engine.sweep(&Actor::System, options, &|_| {}).await {
                Ok(report) => {
                    let totals = report.by_rule.values();
                    let (buckets, records, purged) = totals.fold((0u64, 0i64, 0u64), |a, t| {
                        (a.0 + t.buckets as u64, a.1 + t.records, a.2 + t.purged)
                    });
                    metrics.count(
                        "custodian_retention_sweeps_total",
                        "Retention sweeps run.",
                        1,
                    );
                    metrics.count(
                        "custodian_retention_buckets_expired_total",
                        "Retention buckets expired (keys destroyed).",
                        buckets,
                    );
                    metrics.count(
                        "custodian_retention_records_expired_total",
                        "Records made unreadable by expiry.",
                        records.max(0) as u64,
                    );
                    metrics.count(
                        "custodian_retention_rows_purged_total",
                        "Rows of expired buckets deleted.",
                        purged,
                    );
                    metrics.gauge(
                        "custodian_retention_last_sweep_seconds",
                        "How long the last sweep took.",
                        started.elapsed().as_secs_f64(),
                    );
                    metrics.gauge(
                        "custodian_retention_last_sweep_timestamp_seconds",
                        "When the last sweep finished (Unix time).",
                        engine.clock().now().as_second() as f64,
                    );
                    if buckets > 0 {
                        tracing::info!(buckets, records, purged, "retention sweep");
                    }
                }
                Err(e) => {
                    metrics.count(
                        "custodian_retention_sweep_failures_total",
                        "Retention sweeps that failed (retried next interval).",
                        1,
                    );
                    tracing::warn!(error = %e, "the retention sweep failed; it resumes next interval");
                }
            }
        }
    })
}

/// Hands mail from the SMTP listener to the engine: each message opens a case.
struct MailSink(Engine);

impl custodian_http::smtp::MessageSink for MailSink {
    fn deliver(
        &self,
        envelope: custodian_http::smtp::Envelope,
        raw: Vec<u8>,
    ) -> futures::future::BoxFuture<'static, Result<String, custodian_http::smtp::SinkError>> {
        let engine = self.0.clone();
        Box::pin(async move {
            match engine.intake_mail(&raw, &envelope.rcpt_to, "smtp").await {
                Ok(case) => Ok(format!("case {}", case.id)),
                Err(custodian_engine::EngineError::Invalid { message, .. })
                | Err(custodian_engine::EngineError::TooLarge(message)) => {
                    Err(custodian_http::smtp::SinkError::Rejected(message))
                }
                Err(e) => {
                    tracing::warn!(error = %e, "inbound mail not stored; the relay retries");
                    Err(custodian_http::smtp::SinkError::Temporary(
                        "not stored now; try again later".into(),
                    ))
                }
            }
        })
    }
}

/// Every minute: grants that ran out are closed, requests nobody decided lapse, lock-downs a
/// stop interrupted are finished, customers whose disclosure notice was deferred are told once
/// the deferral ends, those handling data subject requests are reminded before they are due,
/// privacy-center requests never verified are closed, and confirmations past their five years
/// are deleted.
fn spawn_housekeeping(engine: Engine) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        loop {
            tick.tick().await;
            match engine.expire_access().await {
                Ok((0, 0)) => {}
                Ok((grants, requests)) => tracing::info!(grants, requests, "access expired"),
                Err(e) => tracing::warn!(error = %e, "closing expired grants failed; retrying"),
            }
            match engine.resume_lockdowns().await {
                Ok(0) => {}
                Ok(n) => tracing::warn!(n, "finished lock-downs a stop had interrupted"),
                Err(e) => tracing::warn!(error = %e, "finishing lock-downs failed; retrying"),
            }
            match engine.notify_after_deferral().await {
                Ok(0) => {}
                Ok(told) => tracing::info!(told, "customers told of disclosure requests"),
                Err(e) => tracing::warn!(error = %e, "disclosure notices failed; retrying"),
            }
            match engine.remind_requests().await {
                Ok(0) => {}
                Ok(n) => tracing::info!(n, "reminders of requests due soon queued"),
                Err(e) => tracing::warn!(error = %e, "request reminders failed; retrying"),
            }
            match engine.expire_verifications().await {
                Ok(0) => {}
                Ok(n) => tracing::info!(n, "requests never verified closed"),
                Err(e) => tracing::warn!(error = %e, "closing unverified requests failed"),
            }
            match engine.purge_confirmations().await {
                Ok(0) => {}
                Ok(n) => tracing::info!(n, "request confirmations past five years deleted"),
                Err(e) => tracing::warn!(error = %e, "purging old confirmations failed"),
            }
            match engine.purge_consent_proofs().await {
                Ok(0) => {}
                Ok(n) => tracing::info!(n, "consent proofs past five years deleted"),
                Err(e) => tracing::warn!(error = %e, "purging old consent proofs failed"),
            }
        }
    })
}

/// Every half second: what other processes appended to the consent ledger is applied to this
/// one's consent state, so that checks agree across replicas within that interval. The state
/// is folded from the whole ledger at start.
fn spawn_consent_follower(engine: Engine) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        match engine.consents().await {
            Ok(book) => {
                let (people, browsers) = book.len();
                tracing::info!(people, browsers, "consent state folded from the ledger");
            }
            Err(e) => tracing::warn!(error = %e, "folding the consent ledger failed; retrying"),
        }
        let mut tick = tokio::time::interval(Duration::from_millis(500));
        loop {
            tick.tick().await;
            if let Err(e) = engine.follow_consents().await {
                tracing::warn!(error = %e, "following the consent ledger failed; retrying");
            }
        }
    })
}

/// Serves until SIGTERM or Ctrl-C, then finishes the requests in flight. Meanwhile queued
/// notices are sent and due buckets swept in the background, as configured.
pub async fn serve(
    listener: TcpListener,
    engine: Engine,
    background: Background,
) -> anyhow::Result<()> {
    let engine = engine.with_rights_settings(background.rights.clone());
    match engine.resume_jobs().await {
        Ok(0) => {}
        Ok(n) => tracing::info!(n, "resumed bulk request jobs a stop had interrupted"),
        Err(e) => tracing::warn!(error = %e, "resuming bulk request jobs failed"),
    }
    let state = AppState::new(engine.clone())
        .with_drp(background.drp.clone())
        .with_https(background.https)
        .with_inbound_token(background.inbound_token.clone());
    let metrics = state.metrics.clone();
    let mut tasks = Vec::new();
    tasks.push(spawn_housekeeping(engine.clone()));
    tasks.push(spawn_consent_follower(engine.clone()));
    if let Some((listen, mut config)) = background.smtp {
        if config.accept_domains.is_empty() {
            config.accept_domains = engine.mailbox_domains();
        }
        let smtp = TcpListener::bind(&listen)
            .await
            .map_err(|e| anyhow::anyhow!("cannot listen for inbound mail on {listen}: {e}"))?;
        tracing::info!(address = %smtp.local_addr()?, domains = ?config.accept_domains, "inbound SMTP listening");
        let sink = std::sync::Arc::new(MailSink(engine.clone()));
        tasks.push(tokio::spawn(async move {
            if let Err(e) =
                custodian_http::smtp::serve(smtp, config, sink, std::future::pending()).await
            {
                tracing::error!(error = %e, "the inbound SMTP listener stopped");
            }
        }));
    }
    if let Some(d) = background.dispatcher {
        tasks.push(d.spawn(engine.clone(), metrics.clone()));
    }
    if let Some(every) = background.sweep_every {
        tasks.push(spawn_sweeper(
            engine.clone(),
            every,
            background.purge_batch,
            background.lease,
            metrics,
        ));
    }
    let app = router(state);
    // The peer's address reaches handlers (sign-in throttling per client, login events).
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    // Work interrupted here is finished by the next start: a notice stays leased and is sent
    // after its lease; a bucket's sweep resumes from the step it reached.
    for task in tasks {
        task.abort();
    }
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
