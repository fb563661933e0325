//! The command-line surface. These names are part of Custodian's stable interface.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Custodian keeps every promise of a privacy statement, measurably.
#[derive(Debug, Parser)]
#[command(name = "custodian", version, about, long_about = None)]
pub struct Cli {
    /// A TOML configuration file (also CUSTODIAN_CONFIG).
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// Every command.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the API and pages.
    Serve(ServeArgs),
    /// Serve with the seeds' policy and generated demo tenants, keys and events.
    Demo(ServeArgs),
    /// Work with the policy: check, diff, ROPA, schema.
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// Manage tenants (the platform's customers).
    #[command(subcommand)]
    Tenant(TenantCommand),
    /// Manage API keys.
    #[command(subcommand)]
    Apikey(ApikeyCommand),
    /// Check the audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// The key store: replay the erasure log after a restore, or show how far it is applied.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Change notices by e-mail: the outbox, sending, subscribers' objections.
    #[command(subcommand)]
    Notices(NoticesCommand),
    /// Expire what is due: destroy the keys of due retention buckets, keep anonymous counts,
    /// delete the rows. `serve` also sweeps every `retention.sweep_interval_seconds`.
    Sweep {
        /// Only report what would expire.
        #[arg(long)]
        dry_run: bool,
        /// Sweep as of this time (RFC 3339, e.g. 2026-07-01T00:00:00Z) instead of now: to see
        /// what a future sweep will do, with --dry-run.
        #[arg(long)]
        now: Option<String>,
        /// `text` or `json`.
        #[arg(long, default_value = "text")]
        format: String,
        #[command(flatten)]
        data: DataArgs,
    },
    /// Retention: upcoming expiries, holds, past expiries.
    #[command(subcommand)]
    Retention(RetentionCommand),
    /// Legal holds: data under a hold does not expire.
    #[command(subcommand)]
    Hold(HoldCommand),
    /// Staff accounts: need-to-know roles, a second factor required.
    #[command(subcommand)]
    Staff(StaffCommand),
    /// Back up the data and the key store, as two separate copies.
    Backup {
        /// The directory to write the copies to (created if missing).
        #[arg(long)]
        to: std::path::PathBuf,
        /// Only the key store (for its own, short schedule).
        #[arg(long, conflicts_with = "data_only")]
        keys_only: bool,
        /// Only the data.
        #[arg(long)]
        data_only: bool,
        #[command(flatten)]
        data: DataArgs,
    },
    /// Load generators: drive the engine with realistic traffic and measure it.
    #[command(subcommand)]
    Bench(BenchCommand),
    /// Print the OpenAPI document of the HTTP API.
    Openapi,
    /// Print the effective configuration, secrets masked.
    Config(DataArgs),
}

/// Where the data is.
#[derive(Debug, Clone, Args, Default)]
pub struct DataArgs {
    /// The SQLite data directory (default `data`).
    #[arg(long, conflicts_with = "database_url")]
    pub data_dir: Option<PathBuf>,
    /// A database URL: postgres://… or sqlite:PATH (also CUSTODIAN_DATABASE_URL).
    #[arg(long)]
    pub database_url: Option<String>,
    /// The master key file (default `master.key` in the data directory).
    #[arg(long)]
    pub master_key_file: Option<PathBuf>,
    /// The policy directory (default `policies/messagebird`).
    #[arg(long)]
    pub policy: Option<PathBuf>,
}

/// `serve` and `demo`.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on (default 127.0.0.1:8080; port 0 picks a free one).
    #[arg(long)]
    pub listen: Option<String>,
    #[command(flatten)]
    pub data: DataArgs,
}

/// Where the policy lives.
#[derive(Debug, Clone, Args)]
pub struct PolicyArgs {
    /// The policy directory.
    #[arg(long, env = "CUSTODIAN_POLICY", default_value = "policies/messagebird")]
    pub policy: PathBuf,
}

/// Output format of `policy check` and `policy diff`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum TextOrJson {
    /// For people.
    Text,
    /// For programs.
    Json,
}

/// Output format of `policy ropa`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RopaFormat {
    /// Comma-separated values, one row per processing activity.
    Csv,
    /// JSON.
    Json,
    /// Markdown.
    Md,
}

/// `custodian policy …`
#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Validate the policy like a compiler: every problem with file, line, column and a fix.
    Check {
        #[command(flatten)]
        policy: PolicyArgs,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: TextOrJson,
    },
    /// Show what changed between two versions, each change classed material or editorial.
    Diff {
        /// The older version.
        from: String,
        /// The newer version.
        to: String,
        #[command(flatten)]
        policy: PolicyArgs,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: TextOrJson,
    },
    /// Print the record of processing activities (GDPR Art. 30).
    Ropa {
        #[command(flatten)]
        policy: PolicyArgs,
        /// The version (default: the current one).
        #[arg(long = "policy-version")]
        version: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value = "md")]
        format: RopaFormat,
        /// The locale of the wording.
        #[arg(long, default_value = "en")]
        lang: String,
    },
    /// Print the privacy statement of a version in one language, for one jurisdiction.
    Render {
        #[command(flatten)]
        policy: PolicyArgs,
        /// The locale (en, nl, zh-CN, id).
        #[arg(long, default_value = "en")]
        lang: String,
        /// Output format.
        #[arg(long, value_enum, default_value = "html")]
        format: StatementFormat,
        /// The version (default: the current one).
        #[arg(long = "version")]
        version: Option<String>,
        /// The legal regime whose words and sections to use.
        #[arg(long, value_enum, default_value = "gdpr")]
        jurisdiction: JurisdictionArg,
    },
    /// Record that a version is published and from which day it is in force. A version with
    /// material changes must take effect no sooner than the policy's notice period.
    Publish {
        /// The version to publish.
        #[arg(long = "version")]
        version: String,
        /// The day it takes effect (YYYY-MM-DD; default: the date the version declares).
        #[arg(long)]
        effective: Option<String>,
        /// The approved four-eyes request to carry out (`POST /v1/staff/approvals`, kind
        /// `publish-policy`); with `--as`.
        #[arg(long, requires = "staff", conflicts_with = "break_glass")]
        approval: Option<String>,
        /// The address of the member of staff who asked for the approval.
        #[arg(long = "as", id = "staff")]
        staff: Option<String>,
        /// Publish without a second person, in an emergency: the reason is audited for review.
        #[arg(long = "break-glass")]
        break_glass: Option<String>,
        #[command(flatten)]
        data: DataArgs,
    },
    /// List the published versions with their effective dates.
    Publications {
        #[command(flatten)]
        data: DataArgs,
    },
    /// Print the JSON Schema of policy files, for editors.
    Schema,
}

/// Output format of `policy render`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum StatementFormat {
    /// A complete HTML5 page.
    Html,
    /// Markdown.
    Md,
    /// Plain text.
    Txt,
}

/// A jurisdiction of `policy render`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum JurisdictionArg {
    /// The EU General Data Protection Regulation.
    Gdpr,
    /// Singapore's Personal Data Protection Act.
    Pdpa,
    /// The California Consumer Privacy Act.
    Ccpa,
}

/// `custodian tenant …`
#[derive(Debug, Subcommand)]
pub enum TenantCommand {
    /// Create a tenant.
    Create {
        /// Its name (unique).
        #[arg(long)]
        name: String,
        /// The region for phone numbers without a country code (ISO 3166-1 alpha-2).
        #[arg(long)]
        region: Option<String>,
        #[command(flatten)]
        data: DataArgs,
    },
    /// List tenants.
    List {
        #[command(flatten)]
        data: DataArgs,
    },
}

/// `custodian apikey …`
#[derive(Debug, Subcommand)]
pub enum ApikeyCommand {
    /// Create an API key; the key is printed once and never stored.
    Create {
        /// The tenant it acts for.
        #[arg(long)]
        tenant: String,
        /// A name for people.
        #[arg(long, default_value = "default")]
        name: String,
        /// A scope it gets (repeat for several): records:read, records:write, requests:read,
        /// requests:write, consent:read, consent:write, audit:read.
        #[arg(long = "scope", required = true)]
        scopes: Vec<String>,
        #[command(flatten)]
        data: DataArgs,
    },
    /// Revoke an API key.
    Revoke {
        /// The key's id.
        id: String,
        #[command(flatten)]
        data: DataArgs,
    },
    /// List a tenant's API keys.
    List {
        /// The tenant.
        #[arg(long)]
        tenant: String,
        #[command(flatten)]
        data: DataArgs,
    },
}

/// `custodian audit …`
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Verify the whole audit chain; names the first broken link. Exit 1 if broken.
    Verify {
        #[command(flatten)]
        data: DataArgs,
    },
}

/// `custodian keys …`
#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Destroy again every key the erasure log records as destroyed since the key store last
    /// applied it: run after restoring a key-store backup (`serve` also does this at start).
    Replay {
        #[command(flatten)]
        data: DataArgs,
    },
    /// Show how far the key store has applied the erasure log.
    Status {
        #[command(flatten)]
        data: DataArgs,
    },
}

/// `custodian retention …`
#[derive(Debug, Subcommand)]
pub enum RetentionCommand {
    /// Record the day a tenant's contract ends (or `--clear` it): what is kept for the contract
    /// then expires at the end of that day plus its rule's period.
    ContractEnd {
        /// The tenant (an id from `custodian tenant list`).
        #[arg(long)]
        tenant: String,
        /// The last day of the contract (YYYY-MM-DD).
        #[arg(long, conflicts_with = "clear", required_unless_present = "clear")]
        on: Option<String>,
        /// The contract goes on after all: withdraw the end.
        #[arg(long)]
        clear: bool,
        #[command(flatten)]
        data: DataArgs,
    },
    /// Set the period a tenant agreed for a rule that allows it (or `--clear` it).
    SetPeriod {
        /// The tenant.
        #[arg(long)]
        tenant: String,
        /// The retention rule (e.g. `omnichannel`).
        #[arg(long)]
        rule: String,
        /// The period, ISO 8601 (e.g. `P90D`, `P1Y`).
        #[arg(long, conflicts_with = "clear", required_unless_present = "clear")]
        period: Option<String>,
        /// Back to the policy's period.
        #[arg(long)]
        clear: bool,
        #[command(flatten)]
        data: DataArgs,
    },
    /// Upcoming expiries, active holds and past expiries, per bucket.
    Report {
        /// Only this tenant (an id from `custodian tenant list`).
        #[arg(long)]
        tenant: Option<String>,
        /// How many buckets of each kind to list.
        #[arg(long, default_value_t = 20)]
        limit: u32,
        /// `text` or `json`.
        #[arg(long, default_value = "text")]
        format: String,
        #[command(flatten)]
        data: DataArgs,
    },
}

/// `custodian hold …`
#[derive(Debug, Subcommand)]
pub enum HoldCommand {
    /// Place a hold on a tenant, or on one of its subjects.
    Place {
        /// The tenant (an id from `custodian tenant list`).
        #[arg(long)]
        tenant: String,
        /// Only this subject (a subject id); the whole tenant when absent.
        #[arg(long)]
        subject: Option<String>,
        /// The case it serves (a government request, a legal claim).
        #[arg(long)]
        case: Option<String>,
        /// Why the data must be kept.
        #[arg(long)]
        reason: String,
        /// When it ends by itself (RFC 3339); it lasts until lifted when absent.
        #[arg(long)]
        until: Option<String>,
        #[command(flatten)]
        data: DataArgs,
    },
    /// Lift a hold.
    Lift {
        /// The tenant.
        #[arg(long)]
        tenant: String,
        /// The hold's id.
        #[arg(long)]
        id: String,
        #[command(flatten)]
        data: DataArgs,
    },
    /// List holds.
    List {
        /// Only this tenant.
        #[arg(long)]
        tenant: Option<String>,
        #[command(flatten)]
        data: DataArgs,
    },
}

/// `custodian staff …`
#[derive(Debug, Subcommand)]
pub enum StaffCommand {
    /// Make a staff account; prints the second factor to set up, which `staff confirm` then
    /// confirms with a code. The password is read from `--password-file` (never the command
    /// line).
    Add {
        /// The member of staff's e-mail address.
        #[arg(long)]
        email: String,
        /// A role (repeat for several): compliance-officer, legal, support, security, engineer.
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
        /// A file whose first line is the password (12 to 256 characters).
        #[arg(long)]
        password_file: PathBuf,
        /// The language of e-mail to the account.
        #[arg(long, default_value = "en")]
        locale: String,
        #[command(flatten)]
        data: DataArgs,
    },
    /// Confirm a staff account's second factor with a code from the authenticator app; prints
    /// the recovery codes, once.
    Confirm {
        /// The account's e-mail address.
        #[arg(long)]
        email: String,
        /// The six-digit code the app shows now.
        #[arg(long)]
        code: String,
        #[command(flatten)]
        data: DataArgs,
    },
    /// List staff accounts and their roles.
    List {
        #[command(flatten)]
        data: DataArgs,
    },
}

/// `custodian notices …`
#[derive(Debug, Subcommand)]
pub enum NoticesCommand {
    /// Subscribers, queued / sent / failed notices and objections, counted.
    Status {
        #[command(flatten)]
        data: DataArgs,
    },
    /// Send the notices that are due now through `mail.smtp_url` (or into `mail.outbox_dir`),
    /// as `serve` does every `mail.interval_seconds`.
    Send {
        /// The public address of the pages, for the links (default `server.public_url`).
        #[arg(long)]
        public_url: Option<String>,
        #[command(flatten)]
        data: DataArgs,
    },
    /// Every objection to a subprocessor, oldest first.
    Objections {
        /// `text` or `json`.
        #[arg(long, default_value = "text")]
        format: String,
        #[command(flatten)]
        data: DataArgs,
    },
}

/// `custodian bench …`
#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Batched ingest through the full pipeline, beside plaintext rows written straight to the store.
    Ingest {
        /// How many records.
        #[arg(long, default_value_t = 100_000)]
        records: usize,
        /// Records per batch.
        #[arg(long, default_value_t = 5_000)]
        batch: usize,
        /// How many distinct people (default: a tenth of the records).
        #[arg(long)]
        subjects: Option<usize>,
        /// How many clients send batches at the same time.
        #[arg(long, default_value_t = 4)]
        clients: usize,
        #[command(flatten)]
        data: DataArgs,
    },
    /// Data subject requests: the access export of one subject, erasure to unreadable and a
    /// bulk job, each beside its naive alternative.
    Rights {
        /// Records of the one subject exported and erased.
        #[arg(long, default_value_t = 10_000)]
        records: usize,
        /// Subjects in the bulk job.
        #[arg(long, default_value_t = 10_000)]
        subjects: usize,
        #[command(flatten)]
        data: DataArgs,
    },
    /// Consent checks from memory, in process and over HTTP (wrk on loopback), each beside
    /// a database query per check; the fold of the ledger at start; the banner's size.
    Consent {
        /// How many people with choices in the ledger.
        #[arg(long, default_value_t = 100_000)]
        subjects: usize,
        /// Checks per in-process measure.
        #[arg(long, default_value_t = 20_000_000)]
        checks: usize,
        /// Seconds of each HTTP run.
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        #[command(flatten)]
        data: DataArgs,
    },
    /// Stream a tenant's whole record set through the export path and report memory.
    Export {
        /// How many records to load and then export.
        #[arg(long, default_value_t = 100_000)]
        records: usize,
        /// Export this tenant's records as they are, loading nothing (measures a fresh process).
        #[arg(long)]
        tenant: Option<String>,
        #[command(flatten)]
        data: DataArgs,
    },
    /// Find a subject by phone number and open all its records, among many.
    Lookup {
        /// How many records to load first.
        #[arg(long, default_value_t = 100_000)]
        records: usize,
        /// How many distinct people.
        #[arg(long, default_value_t = 10_000)]
        subjects: usize,
        /// How many lookups to time.
        #[arg(long, default_value_t = 1_000)]
        lookups: usize,
        /// Look up in this tenant's records as they are (loaded by an earlier run with the same
        /// `--subjects`), loading nothing.
        #[arg(long)]
        tenant: Option<String>,
        #[command(flatten)]
        data: DataArgs,
    },
    /// Expiry of one retention bucket among many: time until its records are unreadable,
    /// purge throughput, and the naive `DELETE … WHERE expires_at < now` on a bucket of the same
    /// size in the same run.
    Retention {
        /// How many records in all.
        #[arg(long, default_value_t = 1_000_000)]
        records: usize,
        /// Over how many day buckets (at least 2: one expires our way, one the naive way).
        #[arg(long, default_value_t = 25)]
        buckets: usize,
        /// Rows written per transaction while loading.
        #[arg(long, default_value_t = 5_000)]
        batch: usize,
        /// Rows deleted per transaction by the purge.
        #[arg(long, default_value_t = 10_000)]
        purge_batch: u32,
        #[command(flatten)]
        data: DataArgs,
    },
}
