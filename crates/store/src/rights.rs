//! Data subject requests as stored: the requests and their bulk jobs, what each owes (mail and
//! callbacks, queued in the transaction that changes the request), confirmations kept five
//! years, the privacy center's verification codes, paired Data Rights Protocol agents, and where
//! customers receive requests routed to them.
//!
//! A request changes by a conditional update on the version it was read at, so two hands (staff
//! and a bulk job, say) cannot both close it.

use custodian_core::{SubjectId, TenantId};
use jiff::Timestamp;
use uuid::Uuid;

/// A data subject request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RightsRequestRow {
    /// Its id.
    pub id: Uuid,
    /// The tenant (customer) whose data it concerns; `None` for a request to the platform
    /// itself (the privacy center, the protocol, letters) before it is routed.
    pub tenant: Option<TenantId>,
    /// The subject it concerns, once found.
    pub subject: Option<SubjectId>,
    /// The request it was routed or split from.
    pub parent: Option<Uuid>,
    /// `access`, `portability`, `rectification`, `erasure`, `restriction`, `objection`,
    /// `withdraw-consent`, `opt-out-sale`.
    pub right: String,
    /// `gdpr`, `ccpa`, `pdpa` or `voluntary`.
    pub regime: String,
    /// How it came in: `dashboard`, `api`, `bulk`, `privacy-center`, `mail`, `post`, `drp`,
    /// `routed`.
    pub channel: String,
    /// `received`, `verifying`, `in_progress`, `fulfilled`, `partially_fulfilled`, `denied`,
    /// `withdrawn`.
    pub state: String,
    /// Why it was denied or only partly fulfilled (a short code; the explanation is sealed).
    pub reason: Option<String>,
    /// When it was received.
    pub received_at: Timestamp,
    /// When the answer is due.
    pub due_at: Timestamp,
    /// The extended due date, when extended.
    pub extended_to: Option<Timestamp>,
    /// When the requester's identity was verified.
    pub verified_at: Option<Timestamp>,
    /// When it was closed.
    pub closed_at: Option<Timestamp>,
    /// The requester's language.
    pub locale: String,
    /// The protocol agent that sent it.
    pub agent: Option<String>,
    /// The bulk job it belongs to.
    pub job: Option<Uuid>,
    /// Bumped by every change.
    pub version: i64,
    /// The requester, identifiers, history and answer (JSON), sealed.
    pub detail_sealed: Vec<u8>,
}

impl RightsRequestRow {
    /// When the answer is due now: the extended date, if any.
    pub fn effective_due(&self) -> Timestamp {
        self.extended_to.unwrap_or(self.due_at)
    }

    /// Whether it is closed.
    pub fn is_closed(&self) -> bool {
        self.closed_at.is_some()
    }
}

/// Whose requests to list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum RequestScope {
    /// Everyone's (staff).
    #[default]
    All,
    /// Those to the platform itself (no tenant).
    Platform,
    /// One tenant's.
    Tenant(TenantId),
}

/// Which requests to list.
#[derive(Debug, Clone, Default)]
pub struct RightsFilter {
    /// Whose.
    pub scope: RequestScope,
    /// Only those not closed.
    pub open_only: bool,
    /// Only in this state.
    pub state: Option<String>,
    /// Only this agent's.
    pub agent: Option<String>,
    /// Only this job's.
    pub job: Option<Uuid>,
    /// Only those routed or split from this one.
    pub parent: Option<Uuid>,
    /// Only those whose (extended) due date is before this.
    pub due_before: Option<Timestamp>,
    /// Earliest due first (otherwise newest first).
    pub by_due: bool,
    /// At most this many (capped at 1 000).
    pub limit: u32,
}

impl RightsFilter {
    /// The limit actually applied.
    pub fn effective_limit(&self) -> i64 {
        i64::from(self.limit.clamp(1, 1_000))
    }
}

/// A bulk request job: many subjects in one call, worked through in the background.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RightsJobRow {
    /// Its id.
    pub id: Uuid,
    /// Whose.
    pub tenant: TenantId,
    /// The right every request of it asks for.
    pub right: String,
    /// When it was submitted.
    pub created_at: Timestamp,
    /// How many requests it holds.
    pub total: i64,
    /// When its last request was handled.
    pub finished_at: Option<Timestamp>,
}

/// Something a request owes, queued with the change that owes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRightsOutbox {
    /// The request.
    pub request: Uuid,
    /// `confirmation`, `extension`, `reminder`, `routed`, `route-mail`, `route-webhook`,
    /// `callback`, `code` …
    pub kind: String,
    /// What makes it unique for the request (a date, an account, a state).
    pub reference: String,
    /// Not before.
    pub next_at: Timestamp,
}

/// A queued item claimed for sending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimedRightsOutbox {
    /// Its place in the outbox.
    pub seq: i64,
    /// What it is.
    pub kind: String,
    /// Its reference.
    pub reference: String,
    /// Attempts made before.
    pub attempts: i64,
    /// The request, as it is now.
    pub request: RightsRequestRow,
}

/// An outbox item as it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RightsOutboxRow {
    /// Its place.
    pub seq: i64,
    /// What it is.
    pub kind: String,
    /// Its reference.
    pub reference: String,
    /// `queued`, `sent`, `failed` or `cancelled`.
    pub state: String,
    /// Attempts made.
    pub attempts: i64,
    /// The last error.
    pub last_error: Option<String>,
}

/// A confirmation as sent, kept five years.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfirmationRow {
    /// The request it closes.
    pub request: Uuid,
    /// When it was sent.
    pub sent_at: Timestamp,
    /// Until when it is kept.
    pub keep_until: Timestamp,
    /// The letter (JSON: to, subject, body), sealed.
    pub letter_sealed: Vec<u8>,
}

/// A code mailed by the privacy center.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerificationCodeRow {
    /// Its id (the form carries it).
    pub id: Uuid,
    /// The blind index of the address it went to.
    pub email_index: Vec<u8>,
    /// A keyed hash of the code.
    pub code_hash: Vec<u8>,
    /// When it was made.
    pub created_at: Timestamp,
    /// When it stops working.
    pub expires_at: Timestamp,
    /// Wrong tries so far.
    pub attempts: i64,
    /// When it was used.
    pub used_at: Option<Timestamp>,
    /// The request it verifies (JSON), sealed.
    pub detail_sealed: Vec<u8>,
}
