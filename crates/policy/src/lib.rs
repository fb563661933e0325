//! The policy as code: read, check, diff and describe a Custodian policy directory.
//!
//! A policy directory holds `policy.toml` (name, locales, versions), one directory per version
//! under `versions/` with TOML files of items, and Fluent messages per locale under `locales/`.
//! This crate only reads files: it never writes, never touches a database and never talks to
//! the network. Everything the engine enforces and every notice the platform renders starts
//! from the [`Policy`] it returns.
#![deny(missing_docs)]

mod check;
pub mod diff;
mod gate;
mod load;
pub mod model;
pub mod period;
mod report;
pub mod ropa;
pub mod statement;
pub mod subprocessors;

use std::path::Path;

pub use check::{EEA, in_eea, required_messages, valid_id};
pub use load::{FileId, Item, Locale, Manifest, Message, Policy, PolicyVersion};
pub use report::{Code, Report};

/// Reads and checks a policy directory. The report holds every problem found; the policy is
/// returned only when there is no error, so a caller can never enforce an invalid policy.
pub fn load(dir: &Path) -> (Option<Policy>, Report) {
    let (policy, mut report) = load::read(dir);
    let Some(policy) = policy else {
        return (None, report);
    };
    check::check(&policy, &mut report);
    if report.has_errors() {
        (None, report)
    } else {
        (Some(policy), report)
    }
}

/// The JSON Schema of a policy file, for editors.
pub fn json_schema() -> serde_json::Value {
    let schema = schemars::schema_for!(model::PolicyFile);
    serde_json::to_value(schema).unwrap_or(serde_json::Value::Null)
}
