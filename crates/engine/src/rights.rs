//! Data subject requests (issue 6): every right of the statement, filed through the customer
//! dashboard and API (also in bulk), the public privacy center, staff (letters and mail) and the
//! Data Rights Protocol; one lifecycle and one set of deadlines for all of them.
//!
//! A request moves `received` → `verifying` (identity) → `in_progress` → `fulfilled`,
//! `partially_fulfilled`, `denied` (with the reason) or `withdrawn`. It is due one calendar
//! month after receipt (45 days under the CCPA); an extension, only with a notice to the
//! requester that gives the reason, moves it to at most two months from receipt (90 days under
//! the CCPA). Every close keeps its confirmation letter for five years.
//!
//! Requests a customer files (dashboard, API, bulk) concern its own tenant: the customer, the
//! controller, vouches for the requester. Requests to the platform itself (privacy center,
//! letters, the protocol) are routed: data the platform processes for a customer goes to that
//! customer (the controller decides, the platform does not act on its behalf), data the platform
//! controls is handled here, and a person about whom nothing is held gets "no data found".

use std::collections::BTreeMap;

use custodian_core::{RecordId, SubjectId, TenantId};
use custodian_store::{
    AccountRow, ConfirmationRow, NewAuditEvent, NewRightsOutbox, Outcome, RequestScope,
    RightsFilter, RightsRequestRow,
};
use custodian_vault::{SymmetricKey, open, seal};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::access::Action;
use crate::deadlines;
use crate::{Actor, Engine, EngineError, Principal, Scope};

/// How long a confirmation is kept (the statement's five years).
pub const KEEP_CONFIRMATIONS_YEARS: i16 = 5;
/// How long the export of a fulfilled access request can be downloaded.
pub const EXPORT_DAYS: i64 = 30;

/// A right a request exercises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Right {
    /// A copy of the data (GDPR Art. 15; CCPA "know"; PDPA access).
    Access,
    /// The data in a machine-readable form (Art. 20).
    Portability,
    /// Correction (Art. 16; CCPA "correct"; PDPA correction).
    Rectification,
    /// Erasure (Art. 17; CCPA "delete").
    Erasure,
    /// Restriction of processing (Art. 18).
    Restriction,
    /// Objection to processing for a legitimate interest (Art. 21), decided case by case.
    Objection,
    /// Withdrawal of consent (Art. 7(3)).
    WithdrawConsent,
    /// Opting out of sale or sharing (CCPA).
    OptOutSale,
    /// Opting back in to sale or sharing (CCPA; the protocol's `sale:opt-in`).
    OptInSale,
}

impl Right {
    /// Every right.
    pub const ALL: [Right; 9] = [
        Right::Access,
        Right::Portability,
        Right::Rectification,
        Right::Erasure,
        Right::Restriction,
        Right::Objection,
        Right::WithdrawConsent,
        Right::OptOutSale,
        Right::OptInSale,
    ];

    /// Its id.
    pub fn as_str(self) -> &'static str {
        match self {
            Right::Access => "access",
            Right::Portability => "portability",
            Right::Rectification => "rectification",
            Right::Erasure => "erasure",
            Right::Restriction => "restriction",
            Right::Objection => "objection",
            Right::WithdrawConsent => "withdraw-consent",
            Right::OptOutSale => "opt-out-sale",
            Right::OptInSale => "opt-in-sale",
        }
    }

    /// Reads a right by its id or by the CCPA's and the protocol's names for it (`know`,
    /// `delete`, `correct`, `opt-out`, `deletion`, `sale:opt-out`, `access:categories` …).
    pub fn parse(text: &str) -> Option<Right> {
        Some(match text.trim().to_ascii_lowercase().as_str() {
            "access" | "know" | "access:categories" | "access:specific" | "copy" => Right::Access,
            "portability" | "transfer" => Right::Portability,
            "rectification" | "correct" | "correction" => Right::Rectification,
            "erasure" | "delete" | "deletion" => Right::Erasure,
            "restriction" | "restrict" => Right::Restriction,
            "objection" | "object" => Right::Objection,
            "withdraw-consent" | "withdrawal" => Right::WithdrawConsent,
            "opt-out-sale" | "opt-out" | "sale:opt-out" | "sale:opt_out" => Right::OptOutSale,
            "opt-in-sale" | "opt-in" | "sale:opt-in" | "sale:opt_in" => Right::OptInSale,
            _ => return None,
        })
    }

    /// The id of the policy's right this one is (the CCPA's sale rights have none: the
    /// statement says nothing is sold).
    fn policy_id(self) -> Option<&'static str> {
        match self {
            Right::OptOutSale | Right::OptInSale => None,
            r => Some(r.as_str()),
        }
    }
}

fn right_of(text: &str) -> Result<Right, EngineError> {
    Right::parse(text).ok_or_else(|| EngineError::Invalid {
        field: "right",
        message: format!(
            "`{text}` is not a right; the rights are: {}",
            Right::ALL.map(Right::as_str).join(", ")
        ),
    })
}

/// The law a request is made under: it sets the deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Regime {
    /// The GDPR (the default): one month, extensible to two from receipt.
    Gdpr,
    /// California: 45 days, extensible to 90.
    Ccpa,
    /// Singapore: within 30 days.
    Pdpa,
    /// No law named (the protocol's `voluntary`): handled as under the GDPR.
    Voluntary,
}

impl Regime {
    /// Its id.
    pub fn as_str(self) -> &'static str {
        match self {
            Regime::Gdpr => "gdpr",
            Regime::Ccpa => "ccpa",
            Regime::Pdpa => "pdpa",
            Regime::Voluntary => "voluntary",
        }
    }

    /// Reads a regime; absent means the GDPR.
    pub fn parse(text: Option<&str>) -> Result<Regime, EngineError> {
        match text.map(|t| t.trim().to_ascii_lowercase()).as_deref() {
            None | Some("") | Some("gdpr") => Ok(Regime::Gdpr),
            Some("ccpa") | Some("cpra") => Ok(Regime::Ccpa),
            Some("pdpa") => Ok(Regime::Pdpa),
            Some("voluntary") => Ok(Regime::Voluntary),
            Some(other) => Err(EngineError::Invalid {
                field: "regime",
                message: format!("`{other}` is not a regime; use gdpr, ccpa, pdpa or voluntary"),
            }),
        }
    }

    /// The day the answer is due for a request received on `received`.
    pub fn due(self, received: Date) -> Date {
        match self {
            Regime::Ccpa => add_days(received, 45),
            Regime::Pdpa => deadlines::due_date(received).min(add_days(received, 30)),
            Regime::Gdpr | Regime::Voluntary => deadlines::due_date(received),
        }
    }

    /// The latest day an extension can move the answer to.
    pub fn latest(self, received: Date) -> Date {
        match self {
            Regime::Ccpa => add_days(received, 90),
            _ => deadlines::latest_extension(received),
        }
    }
}

fn add_days(d: Date, days: i64) -> Date {
    d.checked_add(jiff::Span::new().days(days))
        .unwrap_or(Date::MAX)
}

/// The last instant of a day (UTC): an answer due on a day may be given all that day.
pub fn end_of(day: Date) -> Timestamp {
    day.at(23, 59, 59, 999_999_000)
        .to_zoned(jiff::tz::TimeZone::UTC)
        .map(|z| z.timestamp())
        .unwrap_or(Timestamp::MAX)
}

/// The UTC day of an instant.
pub fn day_of(t: Timestamp) -> Date {
    t.to_zoned(jiff::tz::TimeZone::UTC).date()
}

/// How a request came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Channel {
    /// The customer's privacy dashboard.
    Dashboard,
    /// The customer's API (one request).
    Api,
    /// The customer's bulk API.
    Bulk,
    /// The public privacy center.
    PrivacyCenter,
    /// E-mail to the privacy mailbox, entered by staff.
    Mail,
    /// A letter, entered by staff with its scan.
    Post,
    /// The Data Rights Protocol.
    Drp,
    /// Routed by the platform to the customer that controls the data.
    Routed,
}

impl Channel {
    /// Its id.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Dashboard => "dashboard",
            Channel::Api => "api",
            Channel::Bulk => "bulk",
            Channel::PrivacyCenter => "privacy-center",
            Channel::Mail => "mail",
            Channel::Post => "post",
            Channel::Drp => "drp",
            Channel::Routed => "routed",
        }
    }

    /// Whether requests arriving here are to the platform itself (routed before anything is
    /// done).
    pub fn to_platform(self) -> bool {
        matches!(
            self,
            Channel::PrivacyCenter | Channel::Mail | Channel::Post | Channel::Drp
        )
    }
}

/// The states of a request.
pub mod state {
    /// Filed, nothing done yet.
    pub const RECEIVED: &str = "received";
    /// Waiting for the requester to prove who they are.
    pub const VERIFYING: &str = "verifying";
    /// Being carried out.
    pub const IN_PROGRESS: &str = "in_progress";
    /// Done in full.
    pub const FULFILLED: &str = "fulfilled";
    /// Done except what a legal duty keeps (the answer says what and until when).
    pub const PARTIALLY_FULFILLED: &str = "partially_fulfilled";
    /// Refused, with the reason.
    pub const DENIED: &str = "denied";
    /// Taken back by the requester.
    pub const WITHDRAWN: &str = "withdrawn";

    /// Whether a request in `state` is closed.
    pub fn is_closed(state: &str) -> bool {
        matches!(state, FULFILLED | PARTIALLY_FULFILLED | DENIED | WITHDRAWN)
    }
}

/// Why a request was denied (the protocol's reasons, which cover the GDPR's too).
pub const DENIAL_REASONS: [&str; 8] = [
    "suspected_fraud",
    "insuf_verification",
    "no_match",
    "claim_not_covered",
    "outside_jurisdiction",
    "too_many_requests",
    "compelling_grounds",
    "other",
];

/// The person who asked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requester {
    /// Where answers go.
    pub email: Option<String>,
    /// Their name, if given.
    pub name: Option<String>,
    /// Their phone number, if given.
    pub phone: Option<String>,
    /// Their postal address, if given (letters).
    pub address: Option<String>,
}

/// A correction asked for: a record and its corrected data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Correction {
    /// The record.
    pub record: RecordId,
    /// The corrected data, by category.
    pub data: serde_json::Map<String, serde_json::Value>,
}

/// A scanned letter or other document kept with a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    /// The file name.
    pub name: String,
    /// Its media type.
    pub content_type: String,
    /// Its bytes, base64.
    pub data: String,
}

/// One step in a request's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// When.
    pub at: Timestamp,
    /// The state it entered.
    pub state: String,
    /// Who.
    pub by: String,
    /// What was done or why.
    pub note: String,
}

/// Data kept under a legal duty despite an erasure request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetainedData {
    /// The data category.
    pub category: String,
    /// Until when at the latest (absent while it depends on an event).
    pub until: Option<Timestamp>,
    /// The retention rule that keeps it.
    pub why: String,
    /// How many records.
    pub records: u64,
}

/// The check after an erasure: the subject looked up again by every identifier.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErasureCheck {
    /// Identifiers looked up.
    pub identifiers_checked: u32,
    /// Subjects those found.
    pub subjects_found: u32,
    /// Records still readable that no legal duty keeps (must be 0).
    pub readable_left: u64,
    /// Erasable keys still present (must be 0).
    pub keys_left: u64,
    /// Whether nothing erasable is readable.
    pub passed: bool,
}

/// What was done.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    /// Nothing about the person was found.
    pub no_data: bool,
    /// Records concerned, per product.
    pub products: BTreeMap<String, u64>,
    /// Keys destroyed (erasure).
    pub keys_destroyed: u64,
    /// Rows deleted (erasure).
    pub rows_deleted: u64,
    /// The check after an erasure.
    pub check: Option<ErasureCheck>,
    /// What a legal duty keeps.
    pub retained: Vec<RetainedData>,
    /// The customers (controllers) the request was passed on to.
    pub routed_to: Vec<String>,
    /// New versions written (rectification).
    pub rectified: Vec<RecordId>,
    /// Until when the export can be downloaded.
    pub export_until: Option<Timestamp>,
}

/// A request's sealed details.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Detail {
    /// Who asked.
    pub requester: Requester,
    /// How the person is identified (`phone`, `email`, a channel …), as given.
    pub identifiers: BTreeMap<String, String>,
    /// Corrections asked for.
    pub corrections: Vec<Correction>,
    /// What the requester wrote.
    pub message: Option<String>,
    /// The scanned letter.
    pub letter: Option<Attachment>,
    /// Staff's or the customer's grounds (objection) or explanation (denial).
    pub explanation: Option<String>,
    /// Why the deadline was extended.
    pub extension_reason: Option<String>,
    /// The fee charged, if the policy and settings allow one.
    pub fee: Option<String>,
    /// The protocol agent's own id for the request.
    pub agent_request_id: Option<String>,
    /// Where the protocol agent wants status changes.
    pub status_callback: Option<String>,
    /// The history.
    pub history: Vec<Step>,
    /// What was done.
    pub answer: Answer,
}

/// A request as shown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequestView {
    /// Its id (the reference).
    pub id: Uuid,
    /// The tenant whose data it concerns (absent for requests to the platform).
    pub tenant: Option<TenantId>,
    /// The subject it concerns, once found.
    pub subject: Option<SubjectId>,
    /// The request it was routed from.
    pub parent: Option<Uuid>,
    /// The right.
    pub right: String,
    /// The regime.
    pub regime: String,
    /// The channel.
    pub channel: String,
    /// The state.
    pub state: String,
    /// The denial or partial-fulfilment reason.
    pub reason: Option<String>,
    /// When it was received.
    pub received_at: Timestamp,
    /// When the answer is due (the extended date, if extended).
    pub due_at: Timestamp,
    /// The original due date, when extended.
    pub extended_from: Option<Timestamp>,
    /// When identity was verified.
    pub verified_at: Option<Timestamp>,
    /// When it was closed.
    pub closed_at: Option<Timestamp>,
    /// The requester's language.
    pub locale: String,
    /// The protocol agent.
    pub agent: Option<String>,
    /// The bulk job.
    pub job: Option<Uuid>,
    /// Its version (changes name it).
    pub version: i64,
    /// Whole days until due (negative: overdue; absent once closed).
    pub days_left: Option<i64>,
    /// The details.
    pub detail: Detail,
}

/// A request as filed.
#[derive(Debug, Clone, Default)]
pub struct NewRequest {
    /// The right, as named (`access`, `delete`, `sale:opt-out` …).
    pub right: String,
    /// The regime (absent: the GDPR).
    pub regime: Option<String>,
    /// The requester's language (absent: the policy's source language).
    pub locale: Option<String>,
    /// Who asks.
    pub requester: Requester,
    /// How the person is identified.
    pub identifiers: BTreeMap<String, String>,
    /// The subject, when the caller already found it.
    pub subject: Option<SubjectId>,
    /// Corrections (rectification).
    pub corrections: Vec<Correction>,
    /// What the requester wrote.
    pub message: Option<String>,
    /// A scanned letter.
    pub letter: Option<Attachment>,
    /// When it was received, if earlier than now (a letter's date of receipt).
    pub received_at: Option<Timestamp>,
}

/// Who acts on a request.
#[derive(Debug, Clone)]
pub enum Handler {
    /// The customer (the controller) through its API key or dashboard session.
    Tenant(Principal),
    /// A member of staff allowed to handle cases.
    Staff(Box<AccountRow>),
    /// Custodian itself (bulk jobs, routing, the protocol, the privacy center).
    System,
}

impl Handler {
    /// Who acts.
    pub(crate) fn by(&self) -> Actor {
        match self {
            Handler::Tenant(p) => p.actor(),
            Handler::Staff(a) => Actor::Account(a.id),
            Handler::System => Actor::System,
        }
    }

    pub(crate) fn actor(&self) -> String {
        self.by().to_string()
    }
}

/// The most identifiers one request may carry.
const MAX_IDENTIFIERS: usize = 20;
/// The longest free text (message, explanation, reason), in bytes.
const MAX_TEXT: usize = 8 * 1024;
/// The largest scanned letter, in bytes before base64.
pub const MAX_LETTER: usize = 5 * 1024 * 1024;

fn text(field: &'static str, value: Option<String>) -> Result<Option<String>, EngineError> {
    match value
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
    {
        Some(v) if v.len() > MAX_TEXT => Err(EngineError::Invalid {
            field,
            message: format!("at most {MAX_TEXT} bytes are accepted"),
        }),
        v => Ok(v),
    }
}

impl Engine {
    fn rights_key(&self) -> SymmetricKey {
        SymmetricKey::from_bytes(*self.master.derive("rights/seal"))
    }

    pub(crate) fn seal_request(&self, id: Uuid, detail: &Detail) -> Result<Vec<u8>, EngineError> {
        let bytes = serde_json::to_vec(detail)
            .map_err(|e| EngineError::Unavailable(format!("a request cannot be written: {e}")))?;
        Ok(seal(&self.rights_key(), &bytes, id.as_bytes()))
    }

    pub(crate) fn open_detail(&self, row: &RightsRequestRow) -> Result<Detail, EngineError> {
        let bytes = open(&self.rights_key(), &row.detail_sealed, row.id.as_bytes())
            .map_err(|e| EngineError::Unavailable(format!("a request cannot be unsealed: {e}")))?;
        serde_json::from_slice(&bytes)
            .map_err(|e| EngineError::Unavailable(format!("a stored request is damaged: {e}")))
    }

    pub(crate) fn request_view(&self, row: &RightsRequestRow) -> Result<RequestView, EngineError> {
        let detail = self.open_detail(row)?;
        let today = day_of(self.clock.now());
        Ok(RequestView {
            id: row.id,
            tenant: row.tenant,
            subject: row.subject,
            parent: row.parent,
            right: row.right.clone(),
            regime: row.regime.clone(),
            channel: row.channel.clone(),
            state: row.state.clone(),
            reason: row.reason.clone(),
            received_at: row.received_at,
            due_at: row.effective_due(),
            extended_from: row.extended_to.map(|_| row.due_at),
            verified_at: row.verified_at,
            closed_at: row.closed_at,
            locale: row.locale.clone(),
            agent: row.agent.clone(),
            job: row.job,
            version: row.version,
            days_left: (!row.is_closed())
                .then(|| deadlines::days_left(today, day_of(row.effective_due()))),
            detail,
        })
    }

    fn request_locale(&self, locale: Option<&str>) -> String {
        let known = |tag: &str| self.policy.locale(tag).map(|l| l.tag.clone());
        locale
            .and_then(|l| known(l).or_else(|| known(l.split(['-', '_']).next().unwrap_or(l))))
            .or_else(|| self.policy.source_locale().map(|l| l.tag.clone()))
            .unwrap_or_else(|| "en".into())
    }

    /// Checks a right against the policy in force: a right the statement does not offer is
    /// refused, except the CCPA's sale rights (the statement says nothing is sold, which is
    /// the answer).
    fn offered(&self, right: Right) -> Result<(), EngineError> {
        let Some(id) = right.policy_id() else {
            return Ok(());
        };
        let v = self.policy_version()?;
        if v.right.iter().any(|r| r.id.as_str() == id) {
            Ok(())
        } else {
            Err(EngineError::Invalid {
                field: "right",
                message: format!(
                    "the statement in force does not offer `{id}`; it offers: {}",
                    v.right
                        .iter()
                        .map(|r| r.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            })
        }
    }

    /// The fee for a request: only when the settings ask for one and the policy in force
    /// allows it, at most the policy's maximum.
    fn fee(&self) -> Option<String> {
        let wanted = self.rights_settings.fee?;
        let v = self.policy_version().ok()?;
        let allowed = v.rights.as_ref()?.fee.as_ref()?;
        Some(format!(
            "{} {:.2}",
            allowed.currency,
            wanted.min(allowed.max)
        ))
    }

    /// Validates a new request and builds its row (not stored).
    pub(crate) fn new_row(
        &self,
        tenant: Option<TenantId>,
        channel: Channel,
        new: NewRequest,
        state: &str,
        by: &str,
    ) -> Result<(RightsRequestRow, Detail, Right), EngineError> {
        let right = right_of(&new.right)?;
        self.offered(right)?;
        let regime = Regime::parse(new.regime.as_deref())?;
        if new.identifiers.len() > MAX_IDENTIFIERS {
            return Err(EngineError::Invalid {
                field: "identifiers",
                message: format!("at most {MAX_IDENTIFIERS} identifiers are accepted"),
            });
        }
        if new.identifiers.is_empty() && new.subject.is_none() {
            return Err(EngineError::Invalid {
                field: "identifiers",
                message: "say whom the request is about: give at least one identifier \
                          (`email`, `phone` or a channel such as `whatsapp`)"
                    .into(),
            });
        }
        if let Some(email) = &new.requester.email {
            crate::identifiers::Email::parse(email).map_err(|e| EngineError::Invalid {
                field: "requester.email",
                message: e.0,
            })?;
        }
        if right == Right::Rectification {
            for c in &new.corrections {
                if c.data.is_empty() {
                    return Err(EngineError::Invalid {
                        field: "corrections",
                        message: format!("the correction of record {} gives no data", c.record),
                    });
                }
            }
        } else if !new.corrections.is_empty() {
            return Err(EngineError::Invalid {
                field: "corrections",
                message: "corrections belong to a rectification request only".into(),
            });
        }
        if let Some(letter) = &new.letter {
            use base64::Engine as _;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(&letter.data)
                .map_err(|_| EngineError::Invalid {
                    field: "letter",
                    message: "the scanned letter is not base64".into(),
                })?;
            if bytes.len() > MAX_LETTER {
                return Err(EngineError::TooLarge(format!(
                    "the scanned letter is {} bytes; at most {MAX_LETTER} are accepted",
                    bytes.len()
                )));
            }
        }
        let now = self.clock.now();
        let received = match new.received_at {
            Some(t) if t > now => {
                return Err(EngineError::Invalid {
                    field: "received_at",
                    message: "the date of receipt is in the future".into(),
                });
            }
            Some(t) => t,
            None => now,
        };
        let id = Uuid::now_v7();
        let detail = Detail {
            requester: new.requester,
            identifiers: new.identifiers,
            corrections: new.corrections,
            message: text("message", new.message)?,
            letter: new.letter,
            fee: self.fee(),
            history: vec![Step {
                at: now,
                state: state.to_string(),
                by: by.to_string(),
                note: format!("received through {}", channel.as_str()),
            }],
            ..Detail::default()
        };
        let row = RightsRequestRow {
            id,
            tenant,
            subject: new.subject,
            parent: None,
            right: right.as_str().into(),
            regime: regime.as_str().into(),
            channel: channel.as_str().into(),
            state: state.into(),
            reason: None,
            received_at: received,
            due_at: end_of(regime.due(day_of(received))),
            extended_to: None,
            verified_at: None,
            closed_at: None,
            locale: self.request_locale(new.locale.as_deref()),
            agent: None,
            job: None,
            version: 1,
            detail_sealed: self.seal_request(id, &detail)?,
        };
        Ok((row, detail, right))
    }

    pub(crate) fn rights_audit(
        &self,
        by: &str,
        action: &str,
        row: &RightsRequestRow,
        detail: Option<serde_json::Value>,
    ) -> NewAuditEvent {
        NewAuditEvent {
            at: self.clock.now(),
            actor: by.to_string(),
            action: action.to_string(),
            tenant: row.tenant,
            targets: std::iter::once(row.id.to_string())
                .chain(row.subject.map(|s| s.to_string()))
                .collect(),
            purpose: Some("rights-requests".into()),
            outcome: Outcome::Success,
            detail: Some(
                serde_json::json!({
                    "right": row.right,
                    "state": row.state,
                    "channel": row.channel,
                    "extra": detail,
                })
                .to_string(),
            ),
        }
    }

    /// What a state change owes the outside world: the protocol agent's callback.
    pub(crate) fn change_outbox(&self, row: &RightsRequestRow) -> Vec<NewRightsOutbox> {
        let mut out = Vec::new();
        if row.agent.is_some() {
            out.push(NewRightsOutbox {
                request: row.id,
                kind: "callback".into(),
                reference: format!("{}/{}", row.state, row.version),
                next_at: self.clock.now(),
            });
        }
        out
    }

    /// Writes a changed request (its version bumped, its detail sealed again) with what it
    /// owes; on a close, the confirmation letter is composed, kept and queued in the same
    /// transaction.
    pub(crate) async fn save_request(
        &self,
        mut row: RightsRequestRow,
        detail: &Detail,
        mut outbox: Vec<NewRightsOutbox>,
        audit: NewAuditEvent,
    ) -> Result<RightsRequestRow, EngineError> {
        row.version += 1;
        row.detail_sealed = self.seal_request(row.id, detail)?;
        outbox.extend(self.change_outbox(&row));
        let mut confirmation = None;
        if state::is_closed(&row.state) && row.closed_at.is_none() {
            let now = self.clock.now();
            row.closed_at = Some(now);
            let letter = self.confirmation_letter(&row, detail).await?;
            let sealed = {
                let bytes = serde_json::to_vec(&letter).map_err(|e| {
                    EngineError::Unavailable(format!("a confirmation cannot be written: {e}"))
                })?;
                seal(&self.rights_key(), &bytes, &confirmation_aad(row.id))
            };
            let keep_until = now
                .to_zoned(jiff::tz::TimeZone::UTC)
                .checked_add(jiff::Span::new().years(KEEP_CONFIRMATIONS_YEARS))
                .map(|z| z.timestamp())
                .unwrap_or(Timestamp::MAX);
            confirmation = Some(ConfirmationRow {
                request: row.id,
                sent_at: now,
                keep_until,
                letter_sealed: sealed,
            });
            outbox.push(NewRightsOutbox {
                request: row.id,
                kind: "confirmation".into(),
                reference: row.state.clone(),
                next_at: now,
            });
        }
        if self
            .store
            .update_rights_request(&row, &outbox, confirmation.as_ref(), &audit)
            .await?
        {
            self.kick_mail();
            Ok(row)
        } else {
            Err(EngineError::Conflict(
                "the request changed meanwhile; reload it and try again".into(),
            ))
        }
    }

    /// The confirmation kept for a closed request: the letter as sent (or to be sent).
    pub async fn confirmation(
        &self,
        id: Uuid,
    ) -> Result<Option<crate::rights_mail::KeptLetter>, EngineError> {
        let Some(row) = self.store.confirmation(id).await? else {
            return Ok(None);
        };
        let bytes = open(
            &self.rights_key(),
            &row.letter_sealed,
            &confirmation_aad(id),
        )
        .map_err(|e| EngineError::Unavailable(format!("a confirmation cannot be unsealed: {e}")))?;
        serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| EngineError::Unavailable(format!("a kept confirmation is damaged: {e}")))
    }

    /// The principal of a customer's account holder in the dashboard: their tenant, with the
    /// scopes of the privacy dashboard (their own and their end users' data and requests).
    pub fn customer_principal(&self, account: &AccountRow) -> Result<Principal, EngineError> {
        match (account.kind, account.tenant) {
            (custodian_store::AccountKind::Customer, Some(tenant)) => Ok(Principal {
                tenant,
                by: Actor::Account(account.id),
                scopes: vec![
                    Scope::RecordsRead,
                    Scope::RecordsWrite,
                    Scope::RequestsRead,
                    Scope::RequestsWrite,
                ],
                reason: Some("privacy dashboard".into()),
            }),
            _ => Err(EngineError::NotPermitted(
                "the privacy dashboard is for customers' account holders".into(),
            )),
        }
    }

    /// Files a request for the principal's tenant (dashboard, API): the customer, the
    /// controller, vouches for the requester, so it is verified at once and carried out as far
    /// as it can be without a decision (objections wait for one).
    pub async fn file_request(
        &self,
        principal: &Principal,
        channel: Channel,
        new: NewRequest,
    ) -> Result<RequestView, EngineError> {
        principal.require(Scope::RequestsWrite)?;
        self.tenant(principal.tenant).await?;
        if channel.to_platform() {
            return Err(EngineError::Invalid {
                field: "channel",
                message: "a customer files through the dashboard or the API".into(),
            });
        }
        let by = principal.actor().to_string();
        let (mut row, mut detail, _) = self.new_row(
            Some(principal.tenant),
            channel,
            new,
            state::IN_PROGRESS,
            &by,
        )?;
        let now = self.clock.now();
        row.verified_at = Some(now);
        row.subject = self
            .resolve_subject(principal.tenant, &row, &detail)
            .await?;
        detail.history.push(Step {
            at: now,
            state: state::IN_PROGRESS.into(),
            by: by.clone(),
            note: "identity vouched for by the customer (the controller)".into(),
        });
        row.detail_sealed = self.seal_request(row.id, &detail)?;
        let audit = self.rights_audit(&by, "request.filed", &row, None);
        self.store
            .create_rights_requests(None, std::slice::from_ref(&row), &[], &audit)
            .await?;
        let row = self
            .carry_out(row, Handler::Tenant(principal.clone()))
            .await?;
        self.request_view(&row)
    }

    /// A request of the principal's tenant.
    pub async fn tenant_request(
        &self,
        principal: &Principal,
        id: Uuid,
    ) -> Result<RequestView, EngineError> {
        principal.require(Scope::RequestsRead)?;
        let row = self.owned_request(principal.tenant, id).await?;
        self.request_view(&row)
    }

    /// Fails with "no such request" unless the principal's tenant owns the request (checked
    /// before a body is read, so another tenant's id answers like a missing one).
    pub async fn ensure_own_request(
        &self,
        principal: &Principal,
        id: Uuid,
    ) -> Result<(), EngineError> {
        if !principal.scopes.contains(&Scope::RequestsRead)
            && !principal.scopes.contains(&Scope::RequestsWrite)
        {
            return Err(EngineError::Forbidden(Scope::RequestsRead.as_str()));
        }
        self.owned_request(principal.tenant, id).await.map(|_| ())
    }

    pub(crate) async fn owned_request(
        &self,
        tenant: TenantId,
        id: Uuid,
    ) -> Result<RightsRequestRow, EngineError> {
        self.store
            .rights_request(id)
            .await?
            .filter(|r| r.tenant == Some(tenant))
            .ok_or(EngineError::NotFound { kind: "request" })
    }

    /// The principal's tenant's requests: open ones by due date, or all newest first.
    pub async fn tenant_requests(
        &self,
        principal: &Principal,
        open_only: bool,
        limit: u32,
    ) -> Result<Vec<RequestView>, EngineError> {
        principal.require(Scope::RequestsRead)?;
        self.store
            .rights_requests(&RightsFilter {
                scope: RequestScope::Tenant(principal.tenant),
                open_only,
                by_due: open_only,
                limit,
                ..RightsFilter::default()
            })
            .await?
            .iter()
            .map(|r| self.request_view(r))
            .collect()
    }

    /// Requests for staff: those to the platform, or everyone's with `all`; open ones by due
    /// date.
    pub async fn staff_requests(
        &self,
        who: &AccountRow,
        filter: RightsFilter,
    ) -> Result<Vec<RequestView>, EngineError> {
        self.permit(who, Action::HandleCases, None).await?;
        self.store
            .rights_requests(&filter)
            .await?
            .iter()
            .map(|r| self.request_view(r))
            .collect()
    }

    /// One request for staff.
    pub async fn staff_request(
        &self,
        who: &AccountRow,
        id: Uuid,
    ) -> Result<RequestView, EngineError> {
        self.permit(who, Action::HandleCases, None).await?;
        let row = self
            .store
            .rights_request(id)
            .await?
            .ok_or(EngineError::NotFound { kind: "request" })?;
        self.request_view(&row)
    }

    /// Open requests past their due date (everyone's, for staff and the overdue list).
    pub async fn overdue_requests(&self) -> Result<Vec<RequestView>, EngineError> {
        self.store
            .rights_requests(&RightsFilter {
                open_only: true,
                by_due: true,
                due_before: Some(self.clock.now()),
                limit: 1_000,
                ..RightsFilter::default()
            })
            .await?
            .iter()
            .map(|r| self.request_view(r))
            .collect()
    }

    /// Loads a request the handler may act on.
    pub(crate) async fn handled_request(
        &self,
        handler: &Handler,
        id: Uuid,
    ) -> Result<RightsRequestRow, EngineError> {
        match handler {
            Handler::Tenant(p) => {
                p.require(Scope::RequestsWrite)?;
                self.owned_request(p.tenant, id).await
            }
            Handler::Staff(who) => {
                let row = self
                    .store
                    .rights_request(id)
                    .await?
                    .ok_or(EngineError::NotFound { kind: "request" })?;
                self.permit(who, Action::HandleCases, row.tenant).await?;
                Ok(row)
            }
            Handler::System => self
                .store
                .rights_request(id)
                .await?
                .ok_or(EngineError::NotFound { kind: "request" }),
        }
    }

    /// Extends a request's deadline, telling the requester why: at most two months from
    /// receipt (90 days under the CCPA), once.
    pub async fn extend_request(
        &self,
        handler: &Handler,
        id: Uuid,
        reason: &str,
    ) -> Result<RequestView, EngineError> {
        let row = self.handled_request(handler, id).await?;
        let reason = text("reason", Some(reason.to_string()))?.ok_or(EngineError::Invalid {
            field: "reason",
            message: "say why the request needs more time; the requester is told".into(),
        })?;
        if row.is_closed() {
            return Err(EngineError::Conflict("the request is closed".into()));
        }
        if row.extended_to.is_some() {
            return Err(EngineError::Conflict(
                "the deadline was extended already; it cannot be extended again".into(),
            ));
        }
        let regime = Regime::parse(Some(&row.regime))?;
        let until = end_of(regime.latest(day_of(row.received_at)));
        let mut detail = self.open_detail(&row)?;
        let by = handler.actor();
        detail.extension_reason = Some(reason.clone());
        detail.history.push(Step {
            at: self.clock.now(),
            state: row.state.clone(),
            by: by.clone(),
            note: format!("deadline extended to {}: {reason}", day_of(until)),
        });
        let mut changed = row.clone();
        changed.extended_to = Some(until);
        let outbox = vec![NewRightsOutbox {
            request: row.id,
            kind: "extension".into(),
            reference: day_of(until).to_string(),
            next_at: self.clock.now(),
        }];
        let audit = self.rights_audit(
            &by,
            "request.extended",
            &changed,
            Some(serde_json::json!({ "until": until })),
        );
        let saved = self.save_request(changed, &detail, outbox, audit).await?;
        self.request_view(&saved)
    }

    /// Denies a request, with one of [`DENIAL_REASONS`] and an explanation for the requester.
    pub async fn deny_request(
        &self,
        handler: &Handler,
        id: Uuid,
        reason: &str,
        explanation: &str,
    ) -> Result<RequestView, EngineError> {
        let row = self.handled_request(handler, id).await?;
        if !DENIAL_REASONS.contains(&reason) {
            return Err(EngineError::Invalid {
                field: "reason",
                message: format!(
                    "`{reason}` is not a reason; use one of: {}",
                    DENIAL_REASONS.join(", ")
                ),
            });
        }
        let explanation =
            text("explanation", Some(explanation.to_string()))?.ok_or(EngineError::Invalid {
                field: "explanation",
                message: "explain the refusal; the requester is told".into(),
            })?;
        self.close(
            handler,
            row,
            state::DENIED,
            Some(reason),
            Some(explanation),
            |_| {},
        )
        .await
    }

    /// Withdraws a request at the requester's word.
    pub async fn withdraw_request(
        &self,
        handler: &Handler,
        id: Uuid,
        why: Option<String>,
    ) -> Result<RequestView, EngineError> {
        let row = self.handled_request(handler, id).await?;
        let why = text("reason", why)?;
        self.close(handler, row, state::WITHDRAWN, None, why, |_| {})
            .await
    }

    /// Closes a request in `to`, with the reason and explanation, after `amend` fills the
    /// answer.
    pub(crate) async fn close(
        &self,
        handler: &Handler,
        row: RightsRequestRow,
        to: &str,
        reason: Option<&str>,
        explanation: Option<String>,
        amend: impl FnOnce(&mut Detail),
    ) -> Result<RequestView, EngineError> {
        if row.is_closed() {
            return Err(EngineError::Conflict(format!(
                "the request is closed already ({})",
                row.state
            )));
        }
        let mut detail = self.open_detail(&row)?;
        amend(&mut detail);
        let by = handler.actor();
        if explanation.is_some() {
            detail.explanation = explanation;
        }
        detail.history.push(Step {
            at: self.clock.now(),
            state: to.into(),
            by: by.clone(),
            note: reason.map(str::to_string).unwrap_or_default(),
        });
        let mut changed = row;
        changed.state = to.into();
        changed.reason = reason.map(str::to_string);
        let audit = self.rights_audit(&by, &format!("request.{to}"), &changed, None);
        let saved = self
            .save_request(changed, &detail, Vec::new(), audit)
            .await?;
        self.request_view(&saved)
    }

    /// Reminds those handling open requests a week and a day before they are due (and once
    /// overdue); returns how many reminders were queued.
    pub async fn remind_requests(&self) -> Result<usize, EngineError> {
        let now = self.clock.now();
        let today = day_of(now);
        let horizon = end_of(add_days(today, 7));
        let due = self
            .store
            .rights_requests(&RightsFilter {
                open_only: true,
                by_due: true,
                due_before: Some(horizon),
                limit: 1_000,
                ..RightsFilter::default()
            })
            .await?;
        let mut queued = 0;
        for row in due {
            let due_day = day_of(row.effective_due());
            let left = deadlines::days_left(today, due_day);
            let reference = match left {
                l if l < 0 => "overdue".to_string(),
                l if l <= 1 => format!("{due_day}/1"),
                _ => format!("{due_day}/7"),
            };
            let item = NewRightsOutbox {
                request: row.id,
                kind: "reminder".into(),
                reference,
                next_at: now,
            };
            let audit = NewAuditEvent {
                at: now,
                actor: Actor::System.to_string(),
                action: "request.reminder".into(),
                tenant: row.tenant,
                targets: vec![row.id.to_string()],
                purpose: Some("rights-requests".into()),
                outcome: Outcome::Success,
                detail: Some(serde_json::json!({ "days_left": left }).to_string()),
            };
            // A reminder already queued for that step is not queued again (the outbox's
            // uniqueness); the request itself is not changed.
            if self
                .store
                .rights_outbox(row.id)
                .await?
                .iter()
                .any(|o| o.kind == item.kind && o.reference == item.reference)
            {
                continue;
            }
            self.store
                .create_rights_requests(None, &[], std::slice::from_ref(&item), &audit)
                .await?;
            queued += 1;
        }
        if queued > 0 {
            self.kick_mail();
        }
        Ok(queued)
    }

    /// Deletes confirmations kept past their five years; returns how many.
    pub async fn purge_confirmations(&self) -> Result<u64, EngineError> {
        let now = self.clock.now();
        let audit = NewAuditEvent {
            at: now,
            actor: Actor::System.to_string(),
            action: "request.confirmations-purged".into(),
            tenant: None,
            targets: Vec::new(),
            purpose: Some("rights-requests".into()),
            outcome: Outcome::Success,
            detail: None,
        };
        Ok(self.store.purge_confirmations(now, &audit).await?)
    }

    /// Counts of open requests by due day (the dashboard's chart), for a tenant or everyone.
    pub async fn open_by_due(
        &self,
        scope: RequestScope,
    ) -> Result<BTreeMap<Date, u64>, EngineError> {
        let rows = self
            .store
            .rights_requests(&RightsFilter {
                scope,
                open_only: true,
                by_due: true,
                limit: 1_000,
                ..RightsFilter::default()
            })
            .await?;
        let mut out = BTreeMap::new();
        for r in rows {
            *out.entry(day_of(r.effective_due())).or_insert(0) += 1;
        }
        Ok(out)
    }

    /// Sets (or removes) where the principal's tenant receives requests routed to it.
    pub async fn set_rights_webhook(
        &self,
        principal: &Principal,
        url: Option<&str>,
    ) -> Result<(), EngineError> {
        principal.require(Scope::RequestsWrite)?;
        let url = match url.map(str::trim).filter(|u| !u.is_empty()) {
            None => None,
            Some(u) => {
                let parsed = reqwest::Url::parse(u).map_err(|e| EngineError::Invalid {
                    field: "webhook_url",
                    message: format!("not an address: {e}"),
                })?;
                let loopback = parsed
                    .host_str()
                    .is_some_and(|h| h == "localhost" || h == "127.0.0.1" || h == "[::1]");
                if parsed.scheme() != "https" && !(parsed.scheme() == "http" && loopback) {
                    return Err(EngineError::Invalid {
                        field: "webhook_url",
                        message: "use an https:// address".into(),
                    });
                }
                Some(parsed.to_string())
            }
        };
        let now = self.clock.now();
        let audit = NewAuditEvent {
            at: now,
            actor: principal.actor().to_string(),
            action: "request.webhook".into(),
            tenant: Some(principal.tenant),
            targets: vec![principal.tenant.to_string()],
            purpose: None,
            outcome: Outcome::Success,
            detail: Some(serde_json::json!({ "set": url.is_some() }).to_string()),
        };
        self.store
            .set_rights_webhook(principal.tenant, url.as_deref(), now, &audit)
            .await?;
        Ok(())
    }
}

pub(crate) fn confirmation_aad(id: Uuid) -> Vec<u8> {
    let mut aad = b"confirmation/".to_vec();
    aad.extend_from_slice(id.as_bytes());
    aad
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::SignedDuration;
    use jiff::civil::date;

    #[test]
    fn rights_read_by_every_name() {
        assert_eq!(Right::parse("know"), Some(Right::Access));
        assert_eq!(Right::parse("deletion"), Some(Right::Erasure));
        assert_eq!(Right::parse("sale:opt-out"), Some(Right::OptOutSale));
        assert_eq!(Right::parse("sale:opt-in"), Some(Right::OptInSale));
        assert_eq!(Right::parse("access:categories"), Some(Right::Access));
        assert_eq!(Right::parse("Correct"), Some(Right::Rectification));
        assert_eq!(Right::parse("teleport"), None);
        for r in Right::ALL {
            assert_eq!(Right::parse(r.as_str()), Some(r));
        }
    }

    #[test]
    fn deadlines_per_regime() {
        let jan31 = date(2026, 1, 31);
        assert_eq!(Regime::Gdpr.due(jan31), date(2026, 2, 28));
        assert_eq!(Regime::Gdpr.latest(jan31), date(2026, 3, 31));
        assert_eq!(Regime::Voluntary.due(date(2028, 1, 31)), date(2028, 2, 29));
        assert_eq!(Regime::Ccpa.due(jan31), date(2026, 3, 17));
        assert_eq!(Regime::Ccpa.latest(jan31), date(2026, 5, 1));
        // The PDPA's 30 days, or the month when that is shorter.
        assert_eq!(Regime::Pdpa.due(date(2026, 3, 1)), date(2026, 3, 31));
        assert_eq!(Regime::Pdpa.due(jan31), date(2026, 2, 28));
        assert!(Regime::parse(Some("mars")).is_err());
        assert_eq!(Regime::parse(None).ok(), Some(Regime::Gdpr));
    }

    #[test]
    fn a_day_ends_at_its_last_instant() {
        let t = end_of(date(2026, 2, 28));
        assert_eq!(day_of(t), date(2026, 2, 28));
        assert_eq!(day_of(t + SignedDuration::from_millis(1)), date(2026, 3, 1));
    }
}
