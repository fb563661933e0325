//! The consent ledger: append-only events with their proof, and the texts that were shown.

use custodian_core::{SubjectId, TenantId};
use jiff::Timestamp;
use uuid::Uuid;

/// One event of the ledger, to append.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewConsentEvent {
    /// Its id (unique: appending it twice stores it once).
    pub id: Uuid,
    /// The tenant (the controller that asked).
    pub tenant: TenantId,
    /// Who: a person, or a browser (exactly one).
    pub who: ConsentHolder,
    /// `consent`, `restriction`, `objection` or `relationship`.
    pub kind: String,
    /// The policy purpose, `cookie:<category>`, `*` (every consent), or a product (relationship).
    pub purpose: String,
    /// Given (on) or withdrawn (off).
    pub given: bool,
    /// How: `checkbox`, `banner`, `api`, `unsubscribe`, `support`, `preference-centre`,
    /// `remove-my-data`, `rights-request`, `ingest`.
    pub method: String,
    /// The banner's action (`accept-all`, `reject-all`, `save`, `gpc`).
    pub action: Option<String>,
    /// SHA-256 (hex) of the exact words shown.
    pub text_hash: Option<String>,
    /// The version of those words.
    pub text_version: Option<String>,
    /// The policy version in force.
    pub policy_version: String,
    /// The language shown.
    pub locale: Option<String>,
    /// When the person chose.
    pub at: Timestamp,
    /// When it was recorded.
    pub recorded_at: Timestamp,
    /// The network the choice came from, truncated (IPv4 /24, IPv6 /48).
    pub ip_prefix: Option<String>,
    /// A Global Privacy Control signal was present.
    pub gpc: bool,
    /// Where that signal came from: `header` or `dom`.
    pub gpc_source: Option<String>,
    /// Who recorded it (an actor string).
    pub actor: String,
}

/// Whose consent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConsentHolder {
    /// A person known to the tenant.
    Subject(SubjectId),
    /// A browser, by the banner's consent id.
    Visitor(Uuid),
}

/// An event as stored, with its place in the ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentEventRow {
    /// Its position: increasing in the order of appending (with gaps).
    pub seq: i64,
    /// The event.
    pub event: NewConsentEvent,
}

/// Words shown to ask for consent, kept once per tenant by their hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentText {
    /// SHA-256 of the body, hex.
    pub hash: String,
    /// Its version.
    pub version: String,
    /// The words.
    pub body: String,
}

/// Which ledger events to read.
#[derive(Debug, Clone, Copy)]
pub enum ConsentScope {
    /// Every tenant's, after a position (rebuilding and following the ledger).
    After(i64),
    /// One person's or browser's, oldest first.
    Of(TenantId, ConsentHolder),
}

/// A subject's processing stops, as the subjects table holds them (folded into the consent
/// state when it is rebuilt).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectStops {
    /// The tenant.
    pub tenant: TenantId,
    /// The subject.
    pub subject: SubjectId,
    /// Restricted since.
    pub restricted_at: Option<Timestamp>,
    /// Objection upheld since.
    pub objected_at: Option<Timestamp>,
    /// Every consent withdrawn since.
    pub consent_withdrawn_at: Option<Timestamp>,
}
