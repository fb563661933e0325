//! `custodian backup`: consistent copies of the data and of the key store, written separately
//! so that the key store can be backed up on its own short schedule and its old copies
//! discarded: a destroyed key then survives in no backup older than that window. The erasure
//! log is part of the data copy; after a key-store copy is restored, `custodian keys replay`
//! (or `serve`, at start) destroys again the keys destroyed since that copy was made.

use std::path::Path;
use std::process::{Command, ExitCode};

use anyhow::{Context as _, bail};
use custodian_store::Location;

use super::context;
use crate::cli::DataArgs;

pub async fn run(
    config: Option<&Path>,
    data: &DataArgs,
    to: &Path,
    keys: bool,
    records: bool,
) -> anyhow::Result<ExitCode> {
    let settings = context::settings(config, data)?;
    context::init_logging(&settings);
    let location = settings.location()?;
    let keys_location = settings.keys_location()?;
    std::fs::create_dir_all(to).with_context(|| format!("cannot create {}", to.display()))?;
    let stamp = jiff::Timestamp::now()
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string();
    match &location {
        Location::Postgres(url) => {
            let url = url.expose();
            if keys {
                // The key store may be a database of its own (storage.keys_database_url).
                let keys_url = match &keys_location {
                    Location::Postgres(k) => k.expose(),
                    _ => url,
                };
                pg_dump(
                    keys_url,
                    &["--schema=custodian_keys"],
                    &to.join(format!("keys-{stamp}.sql")),
                )?;
            }
            if records {
                pg_dump(
                    url,
                    &["--exclude-schema=custodian_keys"],
                    &to.join(format!("data-{stamp}.sql")),
                )?;
            }
        }
        sqlite => {
            // Opening migrates and proves both files are Custodian's before they are copied.
            let (data_file, _) = match sqlite {
                Location::SqliteDir(dir) => (dir.join("custodian.db"), true),
                Location::SqliteFile { path, create } => (path.clone(), *create),
                Location::Postgres(_) => unreachable!("handled above"),
            };
            if !data_file.exists() {
                bail!("there is no database at {} to back up", data_file.display());
            }
            let keys_file = match data_file.file_name().and_then(|f| f.to_str()) {
                Some("custodian.db") | None => data_file.with_file_name("keys.db"),
                Some(name) => data_file.with_file_name(format!("{name}.keys.db")),
            };
            if keys {
                match &keys_location {
                    Location::Postgres(k) => pg_dump(
                        k.expose(),
                        &["--schema=custodian_keys"],
                        &to.join(format!("keys-{stamp}.sql")),
                    )?,
                    _ => vacuum_into(&keys_file, &to.join(format!("keys-{stamp}.db")))?,
                }
            }
            if records {
                vacuum_into(&data_file, &to.join(format!("data-{stamp}.db")))?;
            }
        }
    }
    println!(
        "backup written to {}. Keep key-store copies only for your short key window: a key destroyed by an \
         erasure or an expiry must not outlive it in a backup. After restoring a key-store copy, run \
         `custodian keys replay` (`custodian serve` does it at start): the erasure log, kept with the data, \
         destroys again every key destroyed since the copy was made.",
        to.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// A consistent copy of a live SQLite file (readers and the writer may keep working).
fn vacuum_into(from: &Path, to: &Path) -> anyhow::Result<()> {
    let conn =
        rusqlite::Connection::open_with_flags(from, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .with_context(|| format!("cannot open {}", from.display()))?;
    conn.execute("VACUUM INTO ?1", [to.display().to_string()])
        .with_context(|| format!("cannot copy {} to {}", from.display(), to.display()))?;
    eprintln!("copied {} → {}", from.display(), to.display());
    Ok(())
}

fn pg_dump(url: &str, args: &[&str], to: &Path) -> anyhow::Result<()> {
    let status = Command::new("pg_dump")
        .arg(format!("--dbname={url}"))
        .args(args)
        .arg(format!("--file={}", to.display()))
        .status()
        .context("pg_dump is needed to back up PostgreSQL; install PostgreSQL's client tools")?;
    if !status.success() {
        bail!("pg_dump failed ({status}) writing {}", to.display());
    }
    eprintln!("dumped {} → {}", args.join(" "), to.display());
    Ok(())
}
