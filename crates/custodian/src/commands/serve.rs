//! `custodian serve`: the HTTP server, with graceful shutdown on SIGTERM and Ctrl-C.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context as _;
use custodian_engine::Engine;
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
    serve(listener, ctx.engine).await?;
    Ok(ExitCode::SUCCESS)
}

pub async fn bind(listen: &str) -> anyhow::Result<TcpListener> {
    TcpListener::bind(listen).await.with_context(|| {
        format!("cannot listen on {listen}; is the address free and valid (HOST:PORT)?")
    })
}

/// Serves until SIGTERM or Ctrl-C, then finishes the requests in flight.
pub async fn serve(listener: TcpListener, engine: Engine) -> anyhow::Result<()> {
    let app = router(AppState::new(engine));
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await?;
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
