//! `custodian notices status|send|objections`: the outbox of change notices.

use std::path::Path;
use std::process::ExitCode;

use anyhow::bail;
use custodian_engine::notices::NoticeSettings;

use super::context;
use crate::cli::NoticesCommand;

pub async fn run(config: Option<&Path>, command: NoticesCommand) -> anyhow::Result<ExitCode> {
    match command {
        NoticesCommand::Status { data } => {
            let ctx = context::open(config, &data).await?;
            let s = ctx.engine.notice_stats().await?;
            println!(
                "subscribers: {} confirmed, {} awaiting confirmation",
                s.subscribers, s.pending
            );
            println!(
                "notices: {} queued, {} sent, {} failed, {} cancelled",
                s.queued, s.sent, s.failed, s.cancelled
            );
            println!("objections to subprocessors: {}", s.objections);
            if s.queued > 0 && ctx.settings.mailer()?.is_none() {
                println!(
                    "no mail transport is configured: set mail.smtp_url (CUSTODIAN_SMTP_URL) or mail.outbox_dir, then `custodian notices send` or `custodian serve`"
                );
            }
        }
        NoticesCommand::Send { public_url, data } => {
            let ctx = context::open(config, &data).await?;
            let Some(mailer) = ctx.settings.mailer()? else {
                bail!(
                    "no mail transport is configured: set mail.smtp_url (CUSTODIAN_SMTP_URL), e.g. smtps://USER:PASS@HOST:465, or mail.outbox_dir in the configuration file"
                );
            };
            let settings = NoticeSettings {
                public_url: public_url
                    .map(|u| u.trim_end_matches('/').to_string())
                    .unwrap_or_else(|| ctx.settings.public_url(None)),
            };
            let report = ctx.engine.dispatch_notices(&*mailer, &settings).await?;
            println!(
                "sent {}, to retry {}, failed {}, cancelled {}",
                report.sent, report.retried, report.failed, report.cancelled
            );
            if report.failed > 0 {
                return Ok(ExitCode::FAILURE);
            }
        }
        NoticesCommand::Objections { format, data } => {
            let ctx = context::open(config, &data).await?;
            let objections = ctx.engine.objections().await?;
            match format.as_str() {
                "json" => println!("{}", serde_json::to_string_pretty(&objections)?),
                "text" => {
                    if objections.is_empty() {
                        println!("no objections");
                    }
                    for o in objections {
                        let by = match (o.tenant, o.subscription) {
                            (Some(t), _) => format!("tenant {t}"),
                            (None, Some(s)) => format!("subscriber {s}"),
                            (None, None) => "?".into(),
                        };
                        println!(
                            "{}  {}  version {}  by {by}\n    {}",
                            o.created_at, o.processor, o.version, o.reason
                        );
                    }
                }
                other => bail!("--format {other}: choose text or json"),
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
