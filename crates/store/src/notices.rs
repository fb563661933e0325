//! Subscriptions to change notices, the outbox of notices, and objections to subprocessors.

use custodian_core::TenantId;
use jiff::Timestamp;
use uuid::Uuid;

/// Topic bit: material changes of the privacy statement.
pub const TOPIC_POLICY: i64 = 1;
/// Topic bit: changes of the subprocessor list.
pub const TOPIC_SUBPROCESSORS: i64 = 2;
/// Every topic bit.
pub const ALL_TOPICS: i64 = TOPIC_POLICY | TOPIC_SUBPROCESSORS;

/// A subscriber and what they confirmed or asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    /// Its id (also what its links name).
    pub id: Uuid,
    /// The keyed blind index of the normalised e-mail address.
    pub email_index: Vec<u8>,
    /// The sealed e-mail address; `None` once unsubscribed.
    pub email_sealed: Option<Vec<u8>>,
    /// The locale notices are written in.
    pub locale: String,
    /// Confirmed topics (bits [`TOPIC_POLICY`], [`TOPIC_SUBPROCESSORS`]).
    pub topics: i64,
    /// Topics awaiting confirmation, if a request is pending.
    pub requested: Option<i64>,
    /// Counts requests: a confirmation link is valid only for the newest one.
    pub generation: i64,
    /// When the address first subscribed.
    pub created_at: Timestamp,
    /// When the pending request was made.
    pub requested_at: Option<Timestamp>,
    /// When it was last confirmed.
    pub confirmed_at: Option<Timestamp>,
    /// When it unsubscribed, if it did.
    pub unsubscribed_at: Option<Timestamp>,
}

/// A request to (re)subscribe an address: stored as pending, with a confirmation notice queued.
#[derive(Debug, Clone)]
pub struct SubscriptionRequest {
    /// The id a new subscription gets (an existing one keeps its own).
    pub id: Uuid,
    /// The keyed blind index of the normalised address.
    pub email_index: Vec<u8>,
    /// The sealed address.
    pub email_sealed: Vec<u8>,
    /// The locale notices are written in.
    pub locale: String,
    /// The topics asked for.
    pub topics: i64,
    /// When.
    pub at: Timestamp,
}

/// What a notice tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NoticeKind {
    /// The double opt-in link.
    Confirm,
    /// A published version changes the statement materially.
    PolicyChange,
    /// A published version changes the subprocessor list.
    SubprocessorChange,
}

impl NoticeKind {
    /// Its stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Confirm => "confirm",
            Self::PolicyChange => "policy-change",
            Self::SubprocessorChange => "subprocessor-change",
        }
    }

    /// The kind a stored name stands for.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "confirm" => Some(Self::Confirm),
            "policy-change" => Some(Self::PolicyChange),
            "subprocessor-change" => Some(Self::SubprocessorChange),
            _ => None,
        }
    }
}

/// Notices to queue for every subscriber holding `topic`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fanout {
    /// What they tell.
    pub kind: NoticeKind,
    /// Who gets them: subscribers whose confirmed topics include this bit.
    pub topic: i64,
    /// What they are about (a policy version's label).
    pub reference: String,
}

/// A notice claimed for sending, with its subscriber as it is now.
#[derive(Debug, Clone)]
pub struct ClaimedNotice {
    /// Its number in the outbox.
    pub seq: i64,
    /// What it tells (the stored name; see [`NoticeKind::parse`]).
    pub kind: String,
    /// What it is about.
    pub reference: String,
    /// The subscription's generation when it was queued.
    pub generation: i64,
    /// Attempts so far, this one excluded.
    pub attempts: i64,
    /// When it was queued.
    pub created_at: Timestamp,
    /// Its subscriber.
    pub subscription: Subscription,
}

/// How an attempt to send a notice ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoticeOutcome {
    /// Handed to the mail server.
    Sent,
    /// Failed; try again at `next_at`.
    Retry {
        /// Why it failed.
        error: String,
        /// When to try again.
        next_at: Timestamp,
    },
    /// Failed for good.
    Failed {
        /// Why.
        error: String,
    },
    /// Not to be sent any more (the subscriber left, or a newer request superseded it).
    Cancelled {
        /// Why.
        reason: String,
    },
}

/// Counts over subscriptions and the outbox.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct NoticeStats {
    /// Subscribers with at least one confirmed topic.
    pub subscribers: i64,
    /// Requests awaiting confirmation.
    pub pending: i64,
    /// Notices waiting to be sent.
    pub queued: i64,
    /// Notices sent.
    pub sent: i64,
    /// Notices given up on.
    pub failed: i64,
    /// Notices cancelled.
    pub cancelled: i64,
    /// Objections recorded.
    pub objections: i64,
}

/// An objection to a subprocessor.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Objection {
    /// Its id.
    pub id: Uuid,
    /// The subprocessor's id in the policy.
    pub processor: String,
    /// The policy version that lists it.
    pub version: String,
    /// The customer who objected, when by API key.
    pub tenant: Option<TenantId>,
    /// The subscriber who objected, when by the link in a notice.
    pub subscription: Option<Uuid>,
    /// Their reasons, in their words.
    pub reason: String,
    /// When.
    pub created_at: Timestamp,
}
