//! `custodian keys replay|status`: the erasure log, kept with the data, against the key store.

use std::path::Path;
use std::process::ExitCode;

use custodian_engine::{Actor, Engine, Replayed};

use super::context;
use crate::cli::KeysCommand;

pub async fn run(config: Option<&Path>, command: KeysCommand) -> anyhow::Result<ExitCode> {
    match command {
        KeysCommand::Replay { data } => {
            let ctx = context::open(config, &data).await?;
            let report = ctx.engine.replay_destructions(&Actor::Cli).await?;
            println!("{}", summary(&report));
        }
        KeysCommand::Status { data } => {
            let ctx = context::open(config, &data).await?;
            let status = ctx.engine.erasure_log_status().await?;
            let logged = u64::try_from(status.logged).unwrap_or(0);
            println!(
                "erasure log: {logged} {}; the key store has applied it through #{}",
                plural(logged, "entry", "entries"),
                status.replayed_through
            );
            match status.pending() {
                0 => println!("nothing to replay"),
                n => println!(
                    "{n} {} to replay: run `custodian keys replay` (`custodian serve` also replays at start)",
                    plural(n, "entry", "entries")
                ),
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Replays the erasure log before the engine serves, and logs what it did.
pub async fn replay_at_start(engine: &Engine) -> anyhow::Result<()> {
    let report = engine.replay_destructions(&Actor::System).await?;
    if report.destroyed > 0 {
        tracing::warn!(
            read = report.read,
            destroyed = report.destroyed,
            from = report.from,
            through = report.through,
            "replayed the erasure log: keys logged as destroyed were present (a restored key store, or an interrupted destruction) and are destroyed again"
        );
    } else {
        tracing::info!(
            read = report.read,
            destroyed = report.destroyed,
            through = report.through,
            "the key store is up to date with the erasure log"
        );
    }
    Ok(())
}

fn plural(n: u64, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}

fn summary(r: &Replayed) -> String {
    if r.read == 0 {
        return format!(
            "nothing to replay: the key store has applied the whole erasure log (through #{})",
            r.through
        );
    }
    let keys = match r.destroyed {
        0 => "no key they name was present".to_string(),
        1 => "1 key they name was present and is destroyed now".to_string(),
        n => format!("{n} keys they name were present and are destroyed now"),
    };
    format!(
        "replayed {} erasure-log {} (#{} to #{}): {keys}; the key store has applied the log through #{}",
        r.read,
        plural(r.read, "entry", "entries"),
        r.from + 1,
        r.through,
        r.through,
    )
}
