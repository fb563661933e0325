//! Staff accountability as stored: four-eyes approvals, time-restricted grants of sensitive
//! access, and cases (mailbox intake, credential compromise, children, government disclosure
//! requests).
//!
//! Every state change is a conditional update on the state it starts from, so two staff acting
//! at once cannot both decide one approval, and every change carries its audit event in the
//! same transaction.

use custodian_core::TenantId;
use jiff::Timestamp;
use uuid::Uuid;

/// A four-eyes approval: an action one member of staff asked for that a second, different one
/// must approve before it runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApprovalRow {
    /// Its id.
    pub id: Uuid,
    /// What is to be done (`access-grant`, `policy-publish`, `tenant-purge`, …).
    pub kind: String,
    /// What it is done to (a grant id, a tenant id, a policy version, a case id).
    pub target: String,
    /// The tenant whose data it concerns.
    pub tenant: Option<TenantId>,
    /// The action's parameters (JSON text, no personal data).
    pub payload: String,
    /// Why it is asked for.
    pub reason: String,
    /// Who asked.
    pub requested_by: Uuid,
    /// When.
    pub requested_at: Timestamp,
    /// When the request lapses if nobody decides it.
    pub expires_at: Timestamp,
    /// `pending`, `approved`, `rejected`, `executed`, `expired` or `cancelled`.
    pub state: String,
    /// Who decided.
    pub decided_by: Option<Uuid>,
    /// When.
    pub decided_at: Option<Timestamp>,
    /// The decider's note.
    pub note: Option<String>,
    /// When the approved action ran.
    pub executed_at: Option<Timestamp>,
    /// What it did (JSON text).
    pub result: Option<String>,
}

/// A grant of sensitive access to one member of staff, for a time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantRow {
    /// Its id.
    pub id: Uuid,
    /// Whose.
    pub account: Uuid,
    /// The action it allows (`read-personal-data`, …).
    pub action: String,
    /// The tenant it is limited to.
    pub tenant: Option<TenantId>,
    /// Why it was asked for.
    pub reason: String,
    /// How long it lasts once approved, in seconds.
    pub duration_s: i64,
    /// When it was asked for.
    pub requested_at: Timestamp,
    /// The approval it waits for.
    pub approval: Uuid,
    /// When it became active (at approval).
    pub active_from: Option<Timestamp>,
    /// When it ends by itself.
    pub expires_at: Option<Timestamp>,
    /// When it ended early or was closed after expiry.
    pub revoked_at: Option<Timestamp>,
    /// By whom (`expiry` when it ran out).
    pub revoked_by: Option<String>,
}

impl GrantRow {
    /// Whether it allows its action at `now`.
    pub fn active_at(&self, now: Timestamp) -> bool {
        self.active_from.is_some_and(|from| from <= now)
            && self.expires_at.is_some_and(|until| now < until)
            && self.revoked_at.is_none()
    }
}

/// A case: something people asked of us that staff must handle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRow {
    /// Its id.
    pub id: Uuid,
    /// `credential-compromise`, `children`, `dispute`, `data-request`, `general`,
    /// `government-disclosure`.
    pub kind: String,
    /// Where it stands (kind-specific; `closed` ends every kind).
    pub state: String,
    /// `urgent`, `high` or `normal`.
    pub priority: String,
    /// The tenant it concerns, when known.
    pub tenant: Option<TenantId>,
    /// The account it concerns, when known.
    pub account: Option<Uuid>,
    /// How it came in (`mail`, `form`, `api`, `staff`).
    pub source: String,
    /// When it was opened.
    pub opened_at: Timestamp,
    /// When it is due.
    pub due_at: Option<Timestamp>,
    /// When it was closed.
    pub closed_at: Option<Timestamp>,
    /// Bumped by every change; a change names the version it read.
    pub version: i64,
    /// A disclosure request's country (ISO 3166-1 alpha-2), for the transparency report.
    pub country: Option<String>,
    /// A disclosure request's kind of authority, for the transparency report.
    pub authority_type: Option<String>,
    /// A disclosure request's outcome, for the transparency report.
    pub outcome: Option<String>,
    /// The details (JSON), sealed under a key derived from the master key.
    pub detail_sealed: Vec<u8>,
}

/// Which cases to list.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    /// Only this kind.
    pub kind: Option<String>,
    /// Only cases not closed.
    pub open_only: bool,
    /// At most this many (capped at 1 000), newest first.
    pub limit: u32,
}

impl CaseFilter {
    /// The limit actually applied.
    pub fn effective_limit(&self) -> i64 {
        i64::from(self.limit.clamp(1, 1_000))
    }
}
