//! `custodian sweep`, `custodian retention report`, `custodian hold place|lift|list`.

use std::io::{IsTerminal, Write as _};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use custodian_core::SubjectId;
use custodian_engine::Actor;
use custodian_engine::retention::{BucketOutcome, SweepOptions};
use custodian_store::BucketState;
use jiff::Timestamp;

use super::admin::tenant_id;
use super::context;
use crate::cli::{DataArgs, HoldCommand, RetentionCommand};

fn timestamp(flag: &str, text: &str) -> anyhow::Result<Timestamp> {
    text.parse().with_context(|| {
        format!("{flag} `{text}` is not a time; write it as RFC 3339, e.g. 2026-07-01T00:00:00Z")
    })
}

fn check_format(format: &str) -> anyhow::Result<()> {
    match format {
        "text" | "json" => Ok(()),
        other => bail!("--format {other}: choose text or json"),
    }
}

pub async fn sweep(
    config: Option<&Path>,
    data: &DataArgs,
    dry_run: bool,
    now: Option<&str>,
    format: &str,
) -> anyhow::Result<ExitCode> {
    check_format(format)?;
    let now = now.map(|t| timestamp("--now", t)).transpose()?;
    let ctx = context::open(config, data).await?;
    let now = now.unwrap_or_else(|| ctx.engine.clock().now());
    let tty = std::io::stderr().is_terminal();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let progress = |o: &BucketOutcome| {
        let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        if tty {
            let bar = "#".repeat(n.min(40));
            eprint!("\r[{bar:<40}] {n} bucket(s) · {} {}", o.outcome, o.bucket);
            let _ = std::io::stderr().flush();
        }
    };
    let report = ctx
        .engine
        .sweep(
            &Actor::Cli,
            SweepOptions {
                now,
                dry_run,
                purge_batch: ctx.settings.retention.purge_batch,
                lease: jiff::SignedDuration::from_secs(
                    ctx.settings.retention.lease_seconds.max(1) as i64
                ),
            },
            &progress,
        )
        .await?;
    if tty && !report.buckets.is_empty() {
        eprintln!();
    }
    if format == "json" {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(ExitCode::SUCCESS);
    }
    let verb = if dry_run { "would expire" } else { "expired" };
    println!(
        "sweep as of {now}{}: {} bucket(s) {verb}",
        if dry_run {
            " (dry run: nothing changed)"
        } else {
            ""
        },
        report.expired()
    );
    if !report.by_rule.is_empty() {
        println!(
            "  {:<24} {:>8} {:>10} {:>10}",
            "rule", "buckets", "records", "rows purged"
        );
        for (rule, t) in &report.by_rule {
            println!(
                "  {rule:<24} {:>8} {:>10} {:>10}",
                t.buckets, t.records, t.purged
            );
        }
    }
    let held: Vec<&BucketOutcome> = report
        .buckets
        .iter()
        .filter(|b| b.outcome == "held")
        .collect();
    if !held.is_empty() {
        println!(
            "  {} bucket(s) due but kept: their tenant is under a legal hold",
            held.len()
        );
    }
    let moved: usize = report.buckets.iter().map(|b| b.held_back).sum();
    if moved > 0 {
        println!("  {moved} record(s) of subjects under a legal hold kept back");
    }
    for p in &report.partitions {
        println!(
            "  partition {} dropped: {} bucket(s), {} record(s), {:.1} ms",
            p.name, p.buckets, p.records, p.ms
        );
    }
    let busy = report
        .buckets
        .iter()
        .filter(|b| b.outcome == "busy")
        .count();
    if busy > 0 {
        println!("  {busy} bucket(s) left to another sweep running now");
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn report(config: Option<&Path>, command: RetentionCommand) -> anyhow::Result<ExitCode> {
    let (tenant, limit, format, data) = match command {
        RetentionCommand::Report {
            tenant,
            limit,
            format,
            data,
        } => (tenant, limit, format, data),
        RetentionCommand::ContractEnd {
            tenant,
            on,
            clear: _,
            data,
        } => {
            let tenant = tenant_id(&tenant)?;
            let on = on
                .map(|d| {
                    d.parse::<jiff::civil::Date>()
                        .with_context(|| format!("--on `{d}` is not a day; write it as YYYY-MM-DD"))
                })
                .transpose()?;
            let ctx = context::open(config, &data).await?;
            let changed = ctx.engine.set_contract_end(&Actor::Cli, tenant, on).await?;
            for (bucket, expiry) in &changed {
                let when = expiry.map_or_else(
                    || "kept until the contract ends".to_string(),
                    |t| format!("expires {t}"),
                );
                println!("{bucket}: {when}");
            }
            eprintln!("{} bucket(s) re-timed", changed.len());
            return Ok(ExitCode::SUCCESS);
        }
        RetentionCommand::SetPeriod {
            tenant,
            rule,
            period,
            clear: _,
            data,
        } => {
            let tenant = tenant_id(&tenant)?;
            let ctx = context::open(config, &data).await?;
            let moved = ctx
                .engine
                .set_retention_period(&Actor::Cli, tenant, &rule, period.as_deref())
                .await?;
            eprintln!(
                "rule {rule}: {}; {moved} record(s) re-filed by the day they were made",
                period.as_deref().map_or_else(
                    || "back to the policy's period".to_string(),
                    |p| format!("period {p}")
                )
            );
            return Ok(ExitCode::SUCCESS);
        }
    };
    check_format(&format)?;
    let tenant = tenant.as_deref().map(tenant_id).transpose()?;
    let ctx = context::open(config, &data).await?;
    let now = ctx.engine.clock().now();
    let all = ctx.engine.buckets(tenant, u32::MAX).await?;
    let upcoming: Vec<_> = all
        .iter()
        .filter(|b| b.state == BucketState::Live && b.expires_at.is_some())
        .take(limit as usize)
        .collect();
    let open: Vec<_> = all
        .iter()
        .filter(|b| b.state == BucketState::Live && b.expires_at.is_none())
        .take(limit as usize)
        .collect();
    let mut past: Vec<_> = all
        .iter()
        .filter(|b| b.state != BucketState::Live)
        .collect();
    past.sort_by_key(|b| std::cmp::Reverse(b.expired_at));
    past.truncate(limit as usize);
    let holds: Vec<_> = ctx
        .engine
        .holds(tenant)
        .await?
        .into_iter()
        .filter(|h| h.active_at(now))
        .collect();
    // Partitions hold every tenant's rows: shown when no tenant is asked for.
    let partitions = if tenant.is_none() {
        ctx.engine.record_partitions(now).await?
    } else {
        Vec::new()
    };
    if format == "json" {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "now": now,
                "upcoming": upcoming,
                "open": open,
                "holds": holds,
                "past": past,
                "partitions": partitions,
            }))?
        );
        return Ok(ExitCode::SUCCESS);
    }
    println!("Retention as of {now}");
    println!("\nUpcoming expiries (soonest first):");
    if upcoming.is_empty() {
        println!("  none");
    }
    for b in &upcoming {
        let due = b.expires_at.map(|t| t.to_string()).unwrap_or_default();
        let late = if b.expires_at.is_some_and(|t| t <= now) {
            "  (due: next sweep)"
        } else {
            ""
        };
        println!("  {due}  {}  tenant {}{late}", b.name, b.tenant);
    }
    println!("\nKept until a governing fact ends them (contract end, consent, a hold):");
    if open.is_empty() {
        println!("  none");
    }
    for b in &open {
        println!("  {}  tenant {}", b.name, b.tenant);
    }
    println!("\nActive legal holds:");
    if holds.is_empty() {
        println!("  none");
    }
    for h in &holds {
        let scope = h
            .subject
            .map_or_else(|| "whole tenant".to_string(), |s| format!("subject {s}"));
        let until = h
            .ends_at
            .map_or_else(|| "until lifted".to_string(), |t| format!("until {t}"));
        println!(
            "  {}  tenant {}  {scope}  {until}  case {}  — {} (by {}, {})",
            h.id,
            h.tenant,
            h.case_ref.as_deref().unwrap_or("-"),
            h.reason,
            h.author,
            h.placed_at
        );
    }
    if !partitions.is_empty() {
        println!(
            "\nPartitions of the records whose span has begun (dropped once no bucket waits):"
        );
        for p in &partitions {
            println!(
                "  {}  expiries {} to {}  {} bucket(s) waiting, {} expired with {} record(s) to go with it",
                p.name, p.from, p.until, p.waiting, p.expired, p.records
            );
        }
    }
    println!("\nPast expiries (newest first):");
    if past.is_empty() {
        println!("  none");
    }
    for b in &past {
        println!(
            "  {}  tenant {}  {}  {} record(s)  key destroyed {}  rows purged {}",
            b.name,
            b.tenant,
            b.state.as_str(),
            b.records.unwrap_or(0),
            b.expired_at
                .map(|t| t.to_string())
                .unwrap_or_else(|| "-".into()),
            b.purged_at
                .map(|t| t.to_string())
                .unwrap_or_else(|| "-".into()),
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn hold(config: Option<&Path>, command: HoldCommand) -> anyhow::Result<ExitCode> {
    match command {
        HoldCommand::Place {
            tenant,
            subject,
            case,
            reason,
            until,
            data,
        } => {
            let tenant = tenant_id(&tenant)?;
            let subject = subject
                .map(|s| {
                    s.parse::<SubjectId>().with_context(|| {
                        format!("--subject `{s}` is not a subject id (a UUID, as the lookup API answers)")
                    })
                })
                .transpose()?;
            let until = until.map(|t| timestamp("--until", &t)).transpose()?;
            let ctx = context::open(config, &data).await?;
            let hold = ctx
                .engine
                .place_hold(&Actor::Cli, tenant, subject, case, &reason, until)
                .await?;
            println!("{}", hold.id);
            eprintln!(
                "placed hold {} on {}",
                hold.id,
                subject.map_or_else(|| format!("tenant {tenant}"), |s| format!("subject {s}"))
            );
        }
        HoldCommand::Lift { tenant, id, data } => {
            let tenant = tenant_id(&tenant)?;
            let id: uuid::Uuid = id.parse().with_context(|| {
                format!("--id `{id}` is not a hold id; `custodian hold list` shows them")
            })?;
            let ctx = context::open(config, &data).await?;
            ctx.engine.lift_hold(&Actor::Cli, tenant, id).await?;
            eprintln!("lifted hold {id}; what it kept expires at the next sweep if it is due");
        }
        HoldCommand::List { tenant, data } => {
            let tenant = tenant.as_deref().map(tenant_id).transpose()?;
            let ctx = context::open(config, &data).await?;
            let now = ctx.engine.clock().now();
            for h in ctx.engine.holds(tenant).await? {
                let state = if h.active_at(now) { "active" } else { "ended" };
                println!(
                    "{}  {state}  tenant {}  {}  case {}  {}",
                    h.id,
                    h.tenant,
                    h.subject
                        .map_or_else(|| "whole tenant".to_string(), |s| format!("subject {s}")),
                    h.case_ref.as_deref().unwrap_or("-"),
                    h.reason
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
