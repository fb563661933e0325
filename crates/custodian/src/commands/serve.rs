//! `custodian serve`: the HTTP server, with graceful shutdown on SIGTERM and Ctrl-C.

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use custodian_engine::Engine;
use custodian_engine::mail::Mailer;
use custodian_engine::notices::{DispatchReport, NoticeSettings};
use custodian_http::{AppState, router};
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
    let dispatcher = Dispatcher::from_settings(&ctx.settings, Some(address))?;
    serve(listener, ctx.engine, dispatcher).await?;
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

    fn spawn(self, engine: Engine) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(self.interval);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                match engine.dispatch_notices(&*self.mailer, &self.settings).await {
                    Ok(report) if report != DispatchReport::default() => {
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

/// Serves until SIGTERM or Ctrl-C, then finishes the requests in flight. With a dispatcher,
/// queued notices are sent in the background meanwhile.
pub async fn serve(
    listener: TcpListener,
    engine: Engine,
    dispatcher: Option<Dispatcher>,
) -> anyhow::Result<()> {
    let background = dispatcher.map(|d| d.spawn(engine.clone()));
    let app = router(AppState::new(engine));
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    if let Some(task) = background {
        // A notice interrupted mid-send stays leased and is sent again after its lease.
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
