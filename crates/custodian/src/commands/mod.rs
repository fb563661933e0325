//! What each command does.

mod admin;
mod backup;
mod bench;
mod bench_consent;
mod bench_retention;
mod bench_rights;
mod context;
mod demo;
mod keys;
mod notices;
mod policy;
mod retention;
mod serve;
mod staff;
mod traffic;

use std::process::ExitCode;

use crate::cli::{Cli, Command, PolicyCommand};

/// Runs one command.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let config = cli.config.clone();
    match cli.command {
        Command::Policy(PolicyCommand::Publish {
            version,
            effective,
            approval,
            staff,
            break_glass,
            data,
        }) => runtime()?.block_on(policy::publish(
            config.as_deref(),
            &data,
            &version,
            effective.as_deref(),
            policy::Authority {
                approval,
                staff,
                break_glass,
            },
        )),
        Command::Policy(PolicyCommand::Publications { data }) => {
            runtime()?.block_on(policy::publications(config.as_deref(), &data))
        }
        Command::Policy(command) => policy::run(command),
        Command::Openapi => {
            print!("{}", custodian_http::openapi_json());
            Ok(ExitCode::SUCCESS)
        }
        Command::Config(data) => {
            let settings = context::settings(config.as_deref(), &data)?;
            print!("{}", toml::to_string_pretty(&settings)?);
            Ok(ExitCode::SUCCESS)
        }
        command => runtime()?.block_on(async move {
            match command {
                Command::Serve(args) => serve::run(config.as_deref(), args).await,
                Command::Demo(args) => demo::run(config.as_deref(), args).await,
                Command::Tenant(c) => admin::tenant(config.as_deref(), c).await,
                Command::Apikey(c) => admin::apikey(config.as_deref(), c).await,
                Command::Audit(c) => admin::audit(config.as_deref(), c).await,
                Command::Keys(c) => keys::run(config.as_deref(), c).await,
                Command::Notices(c) => notices::run(config.as_deref(), c).await,
                Command::Sweep {
                    dry_run,
                    now,
                    format,
                    data,
                } => {
                    retention::sweep(config.as_deref(), &data, dry_run, now.as_deref(), &format)
                        .await
                }
                Command::Retention(c) => retention::report(config.as_deref(), c).await,
                Command::Hold(c) => retention::hold(config.as_deref(), c).await,
                Command::Staff(c) => staff::run(config.as_deref(), c).await,
                Command::Bench(c) => bench::run(config.as_deref(), c).await,
                Command::Backup {
                    to,
                    keys_only,
                    data_only,
                    data,
                } => backup::run(config.as_deref(), &data, &to, !data_only, !keys_only).await,
                Command::Policy(_) | Command::Openapi | Command::Config(_) => {
                    unreachable!("handled above")
                }
            }
        }),
    }
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}
