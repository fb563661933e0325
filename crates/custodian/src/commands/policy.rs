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

/// On whose authority a policy version is published from the command line.
pub struct Authority {
    /// An approved four-eyes request.
    pub approval: Option<String>,
    /// The member of staff who asked for it.
    pub staff: Option<String>,
    /// An emergency's reason, instead of an approval.
    pub break_glass: Option<String>,
}

/// `custodian policy publish`: only on an approved four-eyes request, carried out as the
/// person who asked, or with `--break-glass REASON`, audited for review.
pub async fn publish(
    config: Option<&Path>,
    data: &crate::cli::DataArgs,
    label: &str,
    effective: Option<&str>,
    authority: Authority,
) -> anyhow::Result<ExitCode> {
    let effective = match effective {
        Some(text) => Some(text.parse::<jiff::civil::Date>().with_context(|| {
            format!("--effective `{text}` is not a date; write it as YYYY-MM-DD")
        })?),
        None => None,
    };
    let ctx = super::context::open(config, data).await?;
    let engine = &ctx.engine;
    let p = match (authority.approval, authority.staff, authority.break_glass) {
        (Some(approval), Some(staff), None) => {
            let id: uuid::Uuid = approval
                .parse()
                .with_context(|| format!("--approval `{approval}` is not a request id"))?;
            let who = engine.staff_by_email(&staff).await.map_err(|_| {
                anyhow::anyhow!("--as {staff}: there is no staff account with this address")
            })?;
            let request = engine.approval(&who, id).await?;
            let payload: serde_json::Value =
                serde_json::from_str(&request.payload).unwrap_or_default();
            if request.kind != "publish-policy" || payload["version"] != label {
                bail!(
                    "request {id} is `{}` of {}, not the publication of version {label}",
                    request.kind,
                    request.target
                );
            }
            if effective.is_some()
                && payload["effective"].as_str() != effective.map(|d| d.to_string()).as_deref()
            {
                bail!(
                    "--effective differs from the approved request's; ask for a new approval with that day"
                );
            }
            match engine.execute_approval(&who, id).await? {
                custodian_engine::approvals::Executed::Published { .. } => engine
                    .publications()
                    .await?
                    .into_iter()
                    .find(|p| p.label == label)
                    .ok_or_else(|| anyhow::anyhow!("the publication was not recorded"))?,
                other => bail!("the request did something else: {other:?}"),
            }
        }
        (None, None, Some(reason)) => {
            let reason = reason.trim();
            if reason.chars().count() < 10 {
                bail!("--break-glass needs the emergency's reason (at least 10 characters)");
            }
            engine
                .record_event(custodian_store::NewAuditEvent {
                    at: engine.now(),
                    actor: custodian_engine::Actor::Cli.to_string(),
                    action: "break-glass".into(),
                    tenant: None,
                    targets: vec![format!("policy:{label}")],
                    purpose: None,
                    outcome: custodian_store::Outcome::Success,
                    detail: Some(
                        serde_json::json!({ "action": "publish-policy", "reason": reason })
                            .to_string(),
                    ),
                })
                .await?;
            engine
                .publish_policy(&custodian_engine::Actor::Cli, label, effective)
                .await?
        }
        _ => bail!(
            "publishing a policy version needs four eyes: ask for it (POST /v1/staff/approvals with kind publish-policy and payload {{\"version\": \"{label}\"}}), have a colleague approve it, then run with --approval ID --as YOUR-ADDRESS; in an emergency, --break-glass REASON publishes alone and is audited for review"
        ),
    };
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
