//! `custodian tenant|apikey|audit …`: operator commands on the data.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context as _;
use custodian_core::{ApiKeyId, TenantId};
use custodian_engine::{Actor, ChainVerdict};

use super::context;
use crate::cli::{ApikeyCommand, AuditCommand, TenantCommand};

pub(super) fn tenant_id(text: &str) -> anyhow::Result<TenantId> {
    text.parse()
        .with_context(|| format!("`{text}` is not a tenant id; `custodian tenant list` shows them"))
}

pub async fn tenant(config: Option<&Path>, command: TenantCommand) -> anyhow::Result<ExitCode> {
    match command {
        TenantCommand::Create { name, region, data } => {
            let ctx = context::open(config, &data).await?;
            let tenant = ctx
                .engine
                .create_tenant(&Actor::Cli, &name, region.as_deref())
                .await?;
            println!("{}", tenant.id);
            eprintln!("created tenant `{}` ({})", tenant.name, tenant.id);
        }
        TenantCommand::List { data } => {
            let ctx = context::open(config, &data).await?;
            for t in ctx.engine.tenants().await? {
                println!(
                    "{}\t{}\t{}\t{}",
                    t.id,
                    t.name,
                    t.default_region.as_deref().unwrap_or("-"),
                    t.created_at
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn apikey(config: Option<&Path>, command: ApikeyCommand) -> anyhow::Result<ExitCode> {
    match command {
        ApikeyCommand::Create {
            tenant,
            name,
            scopes,
            data,
        } => {
            let ctx = context::open(config, &data).await?;
            let created = ctx
                .engine
                .create_api_key(&Actor::Cli, tenant_id(&tenant)?, &name, &scopes)
                .await?;
            println!("{}", created.token);
            eprintln!(
                "created API key {} with scopes {}; the key above is shown once and never stored, keep it safe",
                created.record.id,
                created.record.scopes.join(", ")
            );
        }
        ApikeyCommand::Revoke { id, data } => {
            let ctx = context::open(config, &data).await?;
            let id: ApiKeyId = id.parse().with_context(|| {
                format!("`{id}` is not an API key id; `custodian apikey list` shows them")
            })?;
            let record = ctx.engine.revoke_api_key(&Actor::Cli, id).await?;
            eprintln!(
                "API key {} is revoked (since {})",
                record.id,
                record.revoked_at.map(|t| t.to_string()).unwrap_or_default()
            );
        }
        ApikeyCommand::List { tenant, data } => {
            let ctx = context::open(config, &data).await?;
            for k in ctx.engine.api_keys(tenant_id(&tenant)?).await? {
                let state = k
                    .revoked_at
                    .map(|t| format!("revoked {t}"))
                    .unwrap_or_else(|| "active".into());
                println!("{}\t{}\t{}\t{}", k.id, k.name, k.scopes.join(","), state);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn audit(config: Option<&Path>, command: AuditCommand) -> anyhow::Result<ExitCode> {
    match command {
        AuditCommand::Verify { data } => {
            let ctx = context::open(config, &data).await?;
            let report = ctx.engine.verify_audit().await?;
            match report.verdict {
                ChainVerdict::Intact => {
                    println!(
                        "audit chain intact: {} events verified; head {} {}",
                        report.checked, report.head_seq, report.head_hash
                    );
                    Ok(ExitCode::SUCCESS)
                }
                ChainVerdict::Broken(b) => {
                    println!(
                        "audit chain BROKEN after {} good events: {b}",
                        report.checked
                    );
                    Ok(ExitCode::FAILURE)
                }
            }
        }
    }
}
