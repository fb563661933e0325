//! The command-line surface. These names are part of Custodian's stable interface.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Custodian keeps every promise of a privacy statement, measurably.
#[derive(Debug, Parser)]
#[command(name = "custodian", version, about, long_about = None)]
pub struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// Every command.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Work with the policy: check, diff, ROPA, schema.
    #[command(subcommand)]
    Policy(PolicyCommand),
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
    /// Print the JSON Schema of policy files, for editors.
    Schema,
}
