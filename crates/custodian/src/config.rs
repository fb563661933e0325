//! Layered configuration: defaults, then a TOML file, then `CUSTODIAN_SECTION__KEY`
//! environment variables (plus the short aliases below), then command-line flags. Secrets are
//! typed so they never print, and `*_FILE` variants read them from files.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use custodian_core::Secret;
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

/// Every setting.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The HTTP server.
    pub server: ServerSettings,
    /// The database.
    pub storage: StorageSettings,
    /// The master key.
    pub keys: KeySettings,
    /// The policy.
    pub policy: PolicySettings,
    /// Logging.
    pub log: LogSettings,
    /// E-mail: change notices to subscribers.
    pub mail: MailSettings,
    /// The retention sweep.
    pub retention: RetentionSettings,
    /// People's accounts.
    pub accounts: AccountsSettings,
    /// Inbound mail to the privacy and security addresses.
    #[serde(default)]
    pub inbound: InboundSettings,
    /// Data subject requests.
    #[serde(default)]
    pub rights: RightsConfig,
    /// The Data Rights Protocol.
    #[serde(default)]
    pub drp: DrpConfig,
}

/// `[rights]`: data subject requests.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RightsConfig {
    /// A fee per request, charged only when the policy in force allows one (the 2016
    /// statement's up to GBP 10), capped at its maximum. Off when unset.
    pub fee: Option<f64>,
}

/// `[drp]`: the Data Rights Protocol; off unless both are set.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DrpConfig {
    /// Our `business-id` in the protocol's directory.
    pub business_id: Option<String>,
    /// The local agents directory: `{"agents": [{"id": "…", "verify_key": "<base64>"}]}`.
    pub agents_file: Option<PathBuf>,
}

impl DrpConfig {
    /// The protocol settings, the agents read from their file; an error names the file and
    /// the entry.
    pub fn settings(&self) -> anyhow::Result<Option<custodian_engine::drp::DrpSettings>> {
        let (Some(business_id), Some(path)) = (&self.business_id, &self.agents_file) else {
            return Ok(None);
        };
        let text = std::fs::read_to_string(path).with_context(|| {
            format!(
                "cannot read the agents directory {} (drp.agents_file)",
                path.display()
            )
        })?;
        let directory = custodian_engine::drp::AgentDirectory::from_json(&text)
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        Ok(Some(custodian_engine::drp::DrpSettings {
            business_id: business_id.clone(),
            directory,
        }))
    }
}

/// `[inbound]`: mail to the privacy and security addresses reaches Custodian from the
/// organisation's mail relay, posted to `/v1/inbound/mail` with a token, or through its own
/// SMTP listener (off by default; meant for a private network behind the relay: no TLS).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InboundSettings {
    /// A file holding the bearer token (at least 32 characters) for `/v1/inbound/mail`; the
    /// endpoint is off without it.
    pub token_file: Option<PathBuf>,
    /// The SMTP listener's address (`0.0.0.0:2525`); off when unset.
    pub smtp_listen: Option<String>,
    /// Domains whose recipients the listener accepts (default: those of the policy's privacy
    /// and security addresses).
    #[serde(default)]
    pub accept_domains: Vec<String>,
}

impl InboundSettings {
    /// The inbound token, read from its file; an error names the file and the fix.
    pub fn token(&self) -> anyhow::Result<Option<String>> {
        let Some(path) = &self.token_file else {
            return Ok(None);
        };
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read inbound.token_file {}", path.display()))?;
        let token = text.trim().to_string();
        if token.len() < 32 || token.chars().any(|c| c.is_whitespace() || c.is_control()) {
            bail!(
                "{}: the inbound token must be one line of at least 32 characters without spaces (e.g. `openssl rand -hex 32 > {}`)",
                path.display(),
                path.display()
            );
        }
        Ok(Some(token))
    }
}

/// `[server]`
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSettings {
    /// Address to listen on.
    pub listen: String,
    /// The public address of the pages, for links in e-mails (default: `http://` and the
    /// listening address).
    pub public_url: Option<String>,
}

/// `[storage]`
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StorageSettings {
    /// The SQLite data directory (the default backend).
    pub data_dir: PathBuf,
    /// A database URL (`postgres://…` or `sqlite:PATH`), instead of the data directory.
    pub database_url: Option<Secret>,
    /// A PostgreSQL URL for the key store, apart from the data (default: the schema
    /// `custodian_keys` of the data's database, or `keys.db` beside a SQLite data file).
    pub keys_database_url: Option<Secret>,
}

/// `[keys]`
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeySettings {
    /// The master key file (default: `master.key` in the data directory).
    pub master_key_file: Option<PathBuf>,
    /// The master key itself, hexadecimal (prefer the file).
    pub master_key: Option<Secret>,
}

/// `[policy]`
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicySettings {
    /// The policy directory.
    pub dir: PathBuf,
}

/// `[log]`
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogSettings {
    /// `text` or `json`.
    pub format: String,
    /// A tracing filter (`info`, `custodian=debug,info`).
    pub level: String,
}

/// `[mail]`
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailSettings {
    /// The SMTP server: `smtps://USER:PASS@HOST:465`, `smtp://HOST:587?tls=required`, or
    /// `smtp://HOST:PORT` (unencrypted: a relay on the same host).
    pub smtp_url: Option<Secret>,
    /// Instead of SMTP, write each e-mail as an `.eml` file into this directory.
    pub outbox_dir: Option<PathBuf>,
    /// The sender of notices.
    pub from: String,
    /// Seconds between two rounds of sending in `serve`.
    pub interval_seconds: u64,
}

/// `[retention]`
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionSettings {
    /// Seconds between two sweeps in `serve` (0: no sweeps in `serve`; run `custodian sweep`).
    pub sweep_interval_seconds: u64,
    /// Rows deleted per transaction when purging an expired bucket.
    pub purge_batch: u32,
    /// Seconds a sweep holds a bucket between renewals; after a crash, another sweep takes
    /// the bucket over once this has passed.
    pub lease_seconds: u64,
}

/// `[accounts]`
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountsSettings {
    /// The version of the Terms a sign-up must accept.
    pub terms_version: String,
    /// The version of the data processing agreement a sign-up must accept.
    pub dpa_version: String,
    /// Minutes a session lasts unused.
    pub session_idle_minutes: u32,
    /// Hours a session lasts at most.
    pub session_hours: u32,
}

impl AccountsSettings {
    /// The engine's account settings.
    pub fn engine(&self) -> custodian_engine::accounts::AccountSettings {
        custodian_engine::accounts::AccountSettings {
            terms_version: self.terms_version.clone(),
            dpa_version: self.dpa_version.clone(),
            session_idle: jiff::SignedDuration::from_mins(i64::from(
                self.session_idle_minutes.max(1),
            )),
            session_absolute: jiff::SignedDuration::from_hours(i64::from(
                self.session_hours.max(1),
            )),
            ..Default::default()
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            server: ServerSettings {
                listen: "127.0.0.1:8080".into(),
                public_url: None,
            },
            storage: StorageSettings {
                data_dir: PathBuf::from("data"),
                database_url: None,
                keys_database_url: None,
            },
            keys: KeySettings {
                master_key_file: None,
                master_key: None,
            },
            policy: PolicySettings {
                dir: PathBuf::from("policies/messagebird"),
            },
            log: LogSettings {
                format: "text".into(),
                level: "info".into(),
            },
            mail: MailSettings {
                smtp_url: None,
                outbox_dir: None,
                from: "Privacy notices <privacy@localhost>".into(),
                interval_seconds: 30,
            },
            retention: RetentionSettings {
                sweep_interval_seconds: 300,
                purge_batch: 10_000,
                lease_seconds: 60,
            },
            accounts: {
                let d = custodian_engine::accounts::AccountSettings::default();
                AccountsSettings {
                    terms_version: d.terms_version,
                    dpa_version: d.dpa_version,
                    session_idle_minutes: 30,
                    session_hours: 12,
                }
            },
            inbound: InboundSettings::default(),
            rights: RightsConfig::default(),
            drp: DrpConfig::default(),
        }
    }
}

/// Short environment aliases, read after the `CUSTODIAN_SECTION__KEY` form.
const ALIASES: &[(&str, &str)] = &[
    ("CUSTODIAN_LISTEN", "server.listen"),
    ("CUSTODIAN_DATA_DIR", "storage.data_dir"),
    ("CUSTODIAN_DATABASE_URL", "storage.database_url"),
    ("CUSTODIAN_KEYS_DATABASE_URL", "storage.keys_database_url"),
    ("CUSTODIAN_MASTER_KEY_FILE", "keys.master_key_file"),
    ("CUSTODIAN_MASTER_KEY", "keys.master_key"),
    ("CUSTODIAN_POLICY", "policy.dir"),
    ("CUSTODIAN_LOG_FORMAT", "log.format"),
    ("CUSTODIAN_PUBLIC_URL", "server.public_url"),
    ("CUSTODIAN_SMTP_URL", "mail.smtp_url"),
    ("CUSTODIAN_MAIL_FROM", "mail.from"),
    (
        "CUSTODIAN_SWEEP_INTERVAL",
        "retention.sweep_interval_seconds",
    ),
];

/// Secrets that may also come from a file named by `<VAR>_FILE`.
const SECRET_FILES: &[(&str, &str)] = &[
    ("CUSTODIAN_DATABASE_URL_FILE", "storage.database_url"),
    (
        "CUSTODIAN_KEYS_DATABASE_URL_FILE",
        "storage.keys_database_url",
    ),
    ("CUSTODIAN_SMTP_URL_FILE", "mail.smtp_url"),
];

/// Builds the settings from every layer below the command line.
pub fn load(file: Option<&Path>) -> anyhow::Result<Settings> {
    let mut figment = Figment::from(Serialized::defaults(Settings::default()));
    let file = file
        .map(Path::to_path_buf)
        .or_else(|| std::env::var_os("CUSTODIAN_CONFIG").map(PathBuf::from));
    if let Some(path) = &file {
        if !path.is_file() {
            bail!(
                "the configuration file {} does not exist; check --config or CUSTODIAN_CONFIG",
                path.display()
            );
        }
        figment = figment.merge(Toml::file_exact(path));
    }
    figment = figment.merge(
        Env::prefixed("CUSTODIAN_")
            .split("__")
            .filter(|k| k.as_str().contains('.')),
    );
    for (var, key) in ALIASES {
        if let Ok(value) = std::env::var(var) {
            figment = figment.merge(Serialized::default(key, value));
        }
    }
    for (var, key) in SECRET_FILES {
        if let Some(path) = std::env::var_os(var) {
            let value = std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read {var}={}", PathBuf::from(&path).display()))?;
            figment = figment.merge(Serialized::default(key, value.trim().to_string()));
        }
    }
    figment.extract().map_err(|e| {
        let source = file
            .map(|p| format!(" (file {})", p.display()))
            .unwrap_or_default();
        anyhow::anyhow!(
            "invalid configuration{source}: {e}. Every key is listed by `custodian config`"
        )
    })
}

impl Settings {
    /// The database to use.
    pub fn location(&self) -> anyhow::Result<custodian_store::Location> {
        match &self.storage.database_url {
            Some(url) => custodian_store::Location::from_url(url).map_err(anyhow::Error::from),
            None => Ok(custodian_store::Location::data_dir(&self.storage.data_dir)),
        }
    }

    /// Where the key store lives: its own PostgreSQL database when `keys_database_url` is
    /// set, else beside the data (see [`custodian_store::open_keys`]).
    pub fn keys_location(&self) -> anyhow::Result<custodian_store::Location> {
        match &self.storage.keys_database_url {
            Some(url) => match custodian_store::Location::from_url(url)? {
                pg @ custodian_store::Location::Postgres(_) => Ok(pg),
                _ => anyhow::bail!(
                    "storage.keys_database_url (CUSTODIAN_KEYS_DATABASE_URL) must be a postgres:// URL; \
                     a SQLite key store is always its own file beside the data (keys.db)"
                ),
            },
            None => self.location(),
        }
    }

    /// The master key file.
    pub fn master_key_file(&self) -> PathBuf {
        self.keys
            .master_key_file
            .clone()
            .unwrap_or_else(|| self.storage.data_dir.join("master.key"))
    }
}

impl Settings {
    /// The public address of the pages: `server.public_url`, else `http://` and `listening`.
    pub fn public_url(&self, listening: Option<std::net::SocketAddr>) -> String {
        match &self.server.public_url {
            Some(url) => url.trim_end_matches('/').to_string(),
            None => format!(
                "http://{}",
                listening.map_or_else(|| self.server.listen.clone(), |a| a.to_string())
            ),
        }
    }

    /// The mailer notices go through: SMTP when `mail.smtp_url` is set, else the outbox
    /// directory when `mail.outbox_dir` is; `None` when neither is (notices then wait queued).
    pub fn mailer(
        &self,
    ) -> anyhow::Result<Option<std::sync::Arc<dyn custodian_engine::mail::Mailer>>> {
        use custodian_engine::mail::{DirMailer, SmtpMailer};
        if let Some(url) = &self.mail.smtp_url {
            let mailer = SmtpMailer::new(url.expose(), &self.mail.from)
                .map_err(|e| anyhow::anyhow!("mail.smtp_url (CUSTODIAN_SMTP_URL): {e}"))?;
            return Ok(Some(std::sync::Arc::new(mailer)));
        }
        if let Some(dir) = &self.mail.outbox_dir {
            let mailer = DirMailer::new(dir.clone(), &self.mail.from)
                .map_err(|e| anyhow::anyhow!("mail.outbox_dir: {e}"))?;
            return Ok(Some(std::sync::Arc::new(mailer)));
        }
        Ok(None)
    }
}
