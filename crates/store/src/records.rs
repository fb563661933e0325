//! The stored form of records, subjects and identifier links.

use custodian_core::{RecordId, SubjectId, TenantId};
use jiff::Timestamp;

use crate::NewAuditEvent;

/// A subject to create with a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSubject {
    /// Its id.
    pub id: SubjectId,
    /// When it was first seen.
    pub created_at: Timestamp,
}

/// A subject as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectRow {
    /// Its id.
    pub id: SubjectId,
    /// Its tenant.
    pub tenant: TenantId,
    /// When it was first seen.
    pub created_at: Timestamp,
    /// Since when processing is restricted, if it is.
    pub restricted_at: Option<Timestamp>,
    /// Since when an objection to processing for a legitimate interest stops that processing.
    pub objected_at: Option<Timestamp>,
    /// Since when processing on consent stops, the subject having withdrawn it.
    pub consent_withdrawn_at: Option<Timestamp>,
}

/// Processing of a subject's data that stops at the subject's word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProcessingStop {
    /// An upheld objection: processing for a legitimate interest stops.
    Objection,
    /// Withdrawn consent: processing on consent stops.
    ConsentWithdrawal,
}

impl ProcessingStop {
    pub(crate) fn column(self) -> &'static str {
        match self {
            ProcessingStop::Objection => "objected_at_us",
            ProcessingStop::ConsentWithdrawal => "consent_withdrawn_at_us",
        }
    }
}

/// A blind index that finds a subject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentifierLink {
    /// The keyed hash of the normalised identifier (16 bytes).
    pub blind_index: Vec<u8>,
    /// The kind of identifier (`phone`, `email`, a channel …), not its value.
    pub kind: String,
    /// The subject it finds.
    pub subject: SubjectId,
}

/// A record as stored: clear, non-identifying metadata and a sealed payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordRow {
    /// Its id.
    pub id: RecordId,
    /// The controller.
    pub tenant: TenantId,
    /// The person it is about.
    pub subject: SubjectId,
    /// The product (a policy product id).
    pub product: String,
    /// Data categories (policy ids).
    pub categories: Vec<String>,
    /// Purpose (policy id).
    pub purpose: String,
    /// Legal basis (policy id).
    pub legal_basis: String,
    /// Source (policy id).
    pub source: String,
    /// `controller` or `processor`.
    pub role: String,
    /// ISO country the record concerns, if known (for statistics and retention).
    pub country: Option<String>,
    /// When what it records happened.
    pub occurred_at: Timestamp,
    /// When it was stored.
    pub ingested_at: Timestamp,
    /// The retention rule that governs it (policy id).
    pub retention_rule: String,
    /// Its retention bucket.
    pub bucket: String,
    /// `erasable` or `legal`.
    pub key_scope: String,
    /// When it expires, if known.
    pub expires_at: Option<Timestamp>,
    /// Its version (1 for the first).
    pub version: i32,
    /// The record it rectifies; storing it marks that record superseded and destroys its data
    /// key (its wrapped key is emptied), in the same transaction.
    pub supersedes: Option<RecordId>,
    /// Whether a newer version replaced it.
    pub superseded: bool,
    /// Its data key, wrapped by the subject key and the bucket key.
    pub wrapped_key: Vec<u8>,
    /// Its sealed payload.
    pub payload: Vec<u8>,
}

/// The response stored for an idempotency key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyEntry {
    /// The key the client sent.
    pub key: String,
    /// A hash of the request body, so a reused key with another body is refused.
    pub request_hash: Vec<u8>,
    /// The response to replay.
    pub response: String,
}

/// Everything one ingest writes, in one transaction.
#[derive(Debug, Clone)]
pub struct RecordBatch {
    /// The tenant.
    pub tenant: TenantId,
    /// Subjects seen for the first time.
    pub subjects: Vec<NewSubject>,
    /// Identifier links to add (existing ones are kept).
    pub links: Vec<IdentifierLink>,
    /// The records.
    pub records: Vec<RecordRow>,
    /// The buckets the records are filed in, registered if new.
    pub buckets: Vec<crate::retention::NewBucket>,
    /// Consent events recorded with the batch (consent given with the records, or the
    /// relationship that makes a subject an existing customer).
    pub consents: Vec<crate::consent::NewConsentEvent>,
    /// The words those consents showed.
    pub consent_texts: Vec<crate::consent::ConsentText>,
    /// The idempotency key, if the client sent one.
    pub idempotency: Option<IdempotencyEntry>,
    /// The audit event of the ingest.
    pub audit: NewAuditEvent,
}

/// Which records to read.
#[derive(Debug, Clone)]
pub struct RecordQuery {
    /// The tenant (always required: nothing crosses tenants).
    pub tenant: TenantId,
    /// Only this subject's.
    pub subject: Option<SubjectId>,
    /// Only this product's.
    pub product: Option<String>,
    /// Only records after this id (the page cursor).
    pub after: Option<RecordId>,
    /// At most this many (capped at 10 000).
    pub limit: u32,
    /// Include versions replaced by a rectification.
    pub include_superseded: bool,
}

/// A value bound into a record query.
#[derive(Debug, Clone)]
pub(crate) enum Param {
    Uuid(uuid::Uuid),
    Text(String),
}

impl RecordQuery {
    /// The WHERE clause for exactly the filters present (so the database can use the index that
    /// fits), with `mark(n)` writing the n-th placeholder and `live` the backend's test for
    /// "not superseded".
    pub(crate) fn filter(
        &self,
        mark: impl Fn(usize) -> String,
        live: &str,
    ) -> (String, Vec<Param>) {
        let mut clauses = Vec::new();
        let mut params = Vec::new();
        let mut push = |column: &str, op: &str, param: Param| {
            params.push(param);
            clauses.push(format!("{column} {op} {}", mark(params.len())));
        };
        push("tenant_id", "=", Param::Uuid(self.tenant.as_uuid()));
        if let Some(subject) = self.subject {
            push("subject_id", "=", Param::Uuid(subject.as_uuid()));
        }
        if let Some(product) = &self.product {
            push("product", "=", Param::Text(product.clone()));
        }
        if let Some(after) = self.after {
            push("id", ">", Param::Uuid(after.as_uuid()));
        }
        if !self.include_superseded {
            clauses.push(live.to_string());
        }
        (clauses.join(" AND "), params)
    }

    /// The limit actually applied.
    pub fn effective_limit(&self) -> i64 {
        i64::from(self.limit.clamp(1, 10_000))
    }
}
