//! `custodian policy check|diff|ropa|render|schema`.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, bail};
use custodian_policy::{Policy, diff, ropa, statement};

use crate::cli::{JurisdictionArg, PolicyCommand, RopaFormat, StatementFormat, TextOrJson};

pub fn run(command: PolicyCommand) -> anyhow::Result<ExitCode> {
    match command {
        PolicyCommand::Check { policy, format } => check(&policy.policy, format),
        PolicyCommand::Diff {
            from,
            to,
            policy,
            format,
        } => {
            let policy = load(&policy.policy)?;
            let from = version(&policy, &from)?;
            let to = version(&policy, &to)?;
            let result = diff::diff(from, to, policy.source_locale());
            match format {
                TextOrJson::Text => print!("{}", result.to_text()),
                TextOrJson::Json => println!("{}", serde_json::to_string_pretty(&result)?),
            }
            Ok(ExitCode::SUCCESS)
        }
        PolicyCommand::Ropa {
            policy,
            version: label,
            format,
            lang,
        } => {
            let policy = load(&policy.policy)?;
            let version = match &label {
                Some(label) => version(&policy, label)?,
                None => policy.current().context("the policy has no version")?,
            };
            let Some(locale) = policy.locale(&lang) else {
                bail!(
                    "the policy has no locale `{lang}`; choose one of: {}",
                    policy
                        .locales
                        .iter()
                        .map(|l| l.tag.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            };
            let record = ropa::build(version, Some(locale));
            match format {
                RopaFormat::Csv => print!("{}", record.to_csv()?),
                RopaFormat::Json => println!("{}", serde_json::to_string_pretty(&record)?),
                RopaFormat::Md => print!("{}", record.to_markdown()),
            }
            Ok(ExitCode::SUCCESS)
        }
        PolicyCommand::Render {
            policy,
            lang,
            format,
            version: label,
            jurisdiction,
        } => {
            let policy = load(&policy.policy)?;
            let version = match &label {
                Some(label) => version(&policy, label)?,
                None => policy.current().context("the policy has no version")?,
            };
            let jurisdiction = match jurisdiction {
                JurisdictionArg::Gdpr => statement::Jurisdiction::Gdpr,
                JurisdictionArg::Pdpa => statement::Jurisdiction::Pdpa,
                JurisdictionArg::Ccpa => statement::Jurisdiction::Ccpa,
            };
            let format = match format {
                StatementFormat::Html => statement::Format::Html,
                StatementFormat::Md => statement::Format::Markdown,
                StatementFormat::Txt => statement::Format::Text,
            };
            let doc = statement::compose(&policy, version, &lang, jurisdiction)?;
            print!("{}", statement::render(&doc, format));
            Ok(ExitCode::SUCCESS)
        }
        PolicyCommand::Publish { .. } | PolicyCommand::Publications { .. } => {
            unreachable!("run with a database by `publish` and `publications`")
        }
        PolicyCommand::Schema => {
            println!(
                "{}",
                serde_json::to_string_pretty(&custodian_policy::json_schema())?
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn check(dir: &Path, format: TextOrJson) -> anyhow::Result<ExitCode> {
    let (policy, report) = custodian_policy::load(dir);
    match format {
        TextOrJson::Text => {
            eprint!("{}", report.render(std::io::stderr().is_terminal()));
            match &policy {
                Some(policy) => eprintln!(
                    "policy {} is valid: {} versions ({}), {} locales, {} warnings",
                    dir.display(),
                    policy.versions.len(),
                    policy.labels().join(", "),
                    policy.locales.len(),
                    report.warning_count()
                ),
                None => eprintln!(
                    "policy {} has {} errors and {} warnings",
                    dir.display(),
                    report.error_count(),
                    report.warning_count()
                ),
            }
        }
        TextOrJson::Json => {
            let items: Vec<serde_json::Value> = report
                .diagnostics()
                .iter()
                .zip(report.locations())
                .map(|(d, (file, line, column))| {
                    serde_json::json!({
                        "severity": format!("{:?}", d.severity).to_lowercase(),
                        "code": d.code,
                        "message": d.message,
                        "file": file,
                        "line": line,
                        "column": column,
                        "notes": d.notes,
                    })
                })
                .collect();
            println!(
                "{}",
                serde_json::to_string_pretty(&serde_json::json!({
                    "valid": policy.is_some(),
                    "errors": report.error_count(),
                    "warnings": report.warning_count(),
                    "diagnostics": items,
                }))?
            );
        }
    }
    Ok(if policy.is_some() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Loads and checks a policy, or fails with its rendered diagnostics.
pub fn load(dir: &Path) -> anyhow::Result<Policy> {
    let (policy, report) = custodian_policy::load(dir);
    match policy {
        Some(policy) => Ok(policy),
        None => bail!(
            "the policy at {} is invalid ({} errors); run `custodian policy check --policy {}`:\n{}",
            dir.display(),
            report.error_count(),
            dir.display(),
            report.render(false)
        ),
    }
}

fn version<'p>(
    policy: &'p Policy,
    label: &str,
) -> anyhow::Result<&'p custodian_policy::PolicyVersion> {
    policy.version(label).with_context(|| {
        format!(
            "the policy has no version `{label}`; it has: {}",
            policy.labels().join(", ")
        )
    })
}

/// `custodian policy publish`.
pub async fn publish(
    config: Option<&Path>,
    data: &crate::cli::DataArgs,
    label: &str,
    effective: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let effective = match effective {
        Some(text) => Some(text.parse::<jiff::civil::Date>().with_context(|| {
            format!("--effective `{text}` is not a date; write it as YYYY-MM-DD")
        })?),
        None => None,
    };
    let ctx = super::context::open(config, data).await?;
    let p = ctx
        .engine
        .publish_policy(&custodian_engine::Actor::Cli, label, effective)
        .await?;
    println!("{}\t{}", p.label, p.effective_on);
    eprintln!(
        "published policy version {} in force from {} (digest {})",
        p.label,
        p.effective_on,
        p.digest
            .iter()
            .take(8)
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
    Ok(ExitCode::SUCCESS)
}

/// `custodian policy publications`.
pub async fn publications(
    config: Option<&Path>,
    data: &crate::cli::DataArgs,
) -> anyhow::Result<ExitCode> {
    let ctx = super::context::open(config, data).await?;
    for p in ctx.engine.publications().await? {
        println!(
            "{}\t{}\t{}\t{}",
            p.label, p.effective_on, p.published_at, p.actor
        );
    }
    Ok(ExitCode::SUCCESS)
}
