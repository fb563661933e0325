//! `custodian staff add|confirm|list`: staff accounts with need-to-know roles; none signs in
//! without a confirmed second factor.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context as _;
use custodian_engine::Actor;

use super::context;
use crate::cli::StaffCommand;

pub async fn run(config: Option<&Path>, command: StaffCommand) -> anyhow::Result<ExitCode> {
    match command {
        StaffCommand::Add {
            email,
            roles,
            password_file,
            locale,
            data,
        } => {
            let text = std::fs::read_to_string(&password_file).with_context(|| {
                format!(
                    "{}: cannot read the password file; write the password on its first line",
                    password_file.display()
                )
            })?;
            let password = text.lines().next().unwrap_or_default().to_string();
            let ctx = context::open(config, &data).await?;
            let (account, enrolment) = ctx
                .engine
                .create_staff(&Actor::Cli, &email, &password, &roles, &locale)
                .await?;
            println!(
                "staff account {} made for {email}, roles: {}",
                account.id,
                roles.join(", ")
            );
            println!("Set up the second factor in an authenticator app (it is shown once):");
            println!("  secret: {}", enrolment.secret);
            println!("  URI:    {}", enrolment.uri);
            println!(
                "Then confirm it with the code the app shows: custodian staff confirm --email {email} --code NNNNNN"
            );
        }
        StaffCommand::Confirm { email, code, data } => {
            let ctx = context::open(config, &data).await?;
            let account = ctx.engine.staff_by_email(&email).await?;
            let codes = ctx.engine.confirm_totp(account.id, &code).await?;
            println!("second factor confirmed for {email}; sign-in now needs a code.");
            println!(
                "Recovery codes (each works once instead of a code; keep them safe, they are not shown again):"
            );
            for c in codes {
                println!("  {c}");
            }
        }
        StaffCommand::List { data } => {
            let ctx = context::open(config, &data).await?;
            for a in ctx.engine.staff().await? {
                let email = ctx.engine.account_email(&a)?;
                let factor = if a.totp_enabled_at.is_some() {
                    "second factor on"
                } else {
                    "second factor NOT confirmed: cannot sign in"
                };
                let locked = if a.locked_at.is_some() {
                    "  LOCKED"
                } else {
                    ""
                };
                println!("{}  {email}  {}  {factor}{locked}", a.id, a.roles.join(","));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
