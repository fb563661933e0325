//! Opening what a data command needs: settings, logging, policy, master key, store, engine.

use std::path::Path;
use std::sync::Arc;

use anyhow::{Context as _, bail};
use custodian_core::{Secret, SystemClock};
use custodian_engine::{Engine, chain_key};
use custodian_store::{ChainKey, Location};
use custodian_vault::MasterKey;

use crate::cli::DataArgs;
use crate::config::{self, Settings};

/// Settings from every layer, with the command's flags on top.
pub fn settings(file: Option<&Path>, data: &DataArgs) -> anyhow::Result<Settings> {
    let mut settings = config::load(file)?;
    if let Some(dir) = &data.data_dir {
        settings.storage.data_dir = dir.clone();
        settings.storage.database_url = None;
    }
    if let Some(url) = &data.database_url {
        settings.storage.database_url = Some(Secret::new(url.clone()));
    }
    if let Some(file) = &data.master_key_file {
        settings.keys.master_key_file = Some(file.clone());
    }
    if let Some(policy) = &data.policy {
        settings.policy.dir = policy.clone();
    }
    Ok(settings)
}

/// Starts logging to standard error, once per process.
pub fn init_logging(settings: &Settings) {
    use tracing_subscriber::EnvFilter;
    let filter =
        EnvFilter::try_from_env("RUST_LOG").unwrap_or_else(|_| EnvFilter::new(&settings.log.level));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = if settings.log.format == "json" {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

/// Everything a data command works with.
pub struct Context {
    /// The settings.
    pub settings: Settings,
    /// The services.
    pub engine: Engine,
}

const MASTER_CHECK: &str = "master_key_check";

/// Resolves the master key: from `keys.master_key`, else from the key file. A missing file is
/// created only for a database that has never had a key; for one that has, Custodian stops
/// and says how to restore it, because a new key could never read the existing data.
async fn master_key(settings: &Settings, location: &Location) -> anyhow::Result<MasterKey> {
    if let Some(hex) = &settings.keys.master_key {
        return MasterKey::from_hex(hex.expose())
            .context("CUSTODIAN_MASTER_KEY / keys.master_key must be 64 hexadecimal characters");
    }
    let path = settings.master_key_file();
    if path.exists() {
        return Ok(MasterKey::load(&path)?);
    }
    let probe = custodian_store::open(location, ChainKey::new([0; 32])).await?;
    if probe.meta(MASTER_CHECK).await?.is_some() {
        bail!(
            "the master key file {} is missing, but the database ({}) was set up with a master key. \
             Restore the key file from your key backup, or point --master-key-file / \
             CUSTODIAN_MASTER_KEY_FILE at it. A new key will not be made: it could never read the \
             existing data",
            path.display(),
            location.describe()
        );
    }
    drop(probe);
    let key = MasterKey::create(&path)?;
    tracing::warn!(path = %path.display(), "created a new master key; back it up apart from the database");
    Ok(key)
}

/// Opens the policy, master key, store and engine.
pub async fn open(file: Option<&Path>, data: &DataArgs) -> anyhow::Result<Context> {
    let settings = settings(file, data)?;
    init_logging(&settings);
    let policy = super::policy::load(&settings.policy.dir)?;
    let location = settings.location()?;
    let master = master_key(&settings, &location).await?;
    let store = custodian_store::open(&location, chain_key(&master))
        .await
        .with_context(|| format!("cannot open the database ({})", location.describe()))?;
    let keys_location = settings.keys_location()?;
    let keys = custodian_store::open_keys(&keys_location)
        .await
        .with_context(|| format!("cannot open the key store ({})", keys_location.describe()))?;
    let engine = Engine::new(
        store,
        keys,
        Arc::new(policy),
        Arc::new(SystemClock),
        Arc::new(master),
    )
    .await?
    .with_account_settings(settings.accounts.engine());
    Ok(Context { settings, engine })
}
