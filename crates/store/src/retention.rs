//! Retention buckets, legal holds and anonymous aggregates as stored.

use custodian_core::{RecordId, SubjectId, TenantId};
use jiff::Timestamp;
use uuid::Uuid;

/// A bucket to register with an ingest (kept if it exists).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBucket {
    /// Its name (`<rule>/<anchor day>`, `<rule>/open`, `<rule>/held`).
    pub name: String,
    /// The retention rule.
    pub rule: String,
    /// The day its records' periods run from, if they run from a day.
    pub anchor_on: Option<String>,
    /// When it expires, if known.
    pub expires_at: Option<Timestamp>,
}

/// Where a bucket's sweep stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BucketState {
    /// Readable.
    Live,
    /// Aggregated; its key is being destroyed.
    Expiring,
    /// Its key is destroyed: unreadable. Its rows are being deleted.
    Expired,
    /// Its rows are deleted.
    Purged,
}

impl BucketState {
    /// Its stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Live => "live",
            Self::Expiring => "expiring",
            Self::Expired => "expired",
            Self::Purged => "purged",
        }
    }

    /// The state a stored name stands for.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "live" => Some(Self::Live),
            "expiring" => Some(Self::Expiring),
            "expired" => Some(Self::Expired),
            "purged" => Some(Self::Purged),
            _ => None,
        }
    }
}

/// A bucket as registered.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BucketRow {
    /// Its tenant.
    pub tenant: TenantId,
    /// Its name.
    pub name: String,
    /// Its retention rule.
    pub rule: String,
    /// The day its periods run from.
    pub anchor_on: Option<String>,
    /// When it expires, if known.
    pub expires_at: Option<Timestamp>,
    /// Where its sweep stands.
    pub state: BucketState,
    /// How many records it held when it expired.
    pub records: Option<i64>,
    /// When its key was destroyed.
    pub expired_at: Option<Timestamp>,
    /// When its rows were deleted.
    pub purged_at: Option<Timestamp>,
}

/// A count without identifiers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AggregateRow {
    /// The product.
    pub product: String,
    /// The country (empty when unknown).
    pub country: String,
    /// The data category.
    pub category: String,
    /// The day the records were made (YYYY-MM-DD, UTC).
    pub day: String,
    /// How many.
    pub count: i64,
}

/// A legal hold: while active, the data it covers does not expire.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LegalHold {
    /// Its id.
    pub id: Uuid,
    /// The tenant.
    pub tenant: TenantId,
    /// One subject, or the whole tenant when `None`.
    pub subject: Option<SubjectId>,
    /// The case it serves (a government request, a legal claim), if any.
    pub case_ref: Option<String>,
    /// Why.
    pub reason: String,
    /// Who placed it.
    pub author: String,
    /// When.
    pub placed_at: Timestamp,
    /// When it ends by itself, if it does.
    pub ends_at: Option<Timestamp>,
    /// When it was lifted, if it was.
    pub lifted_at: Option<Timestamp>,
    /// Who lifted it.
    pub lifted_by: Option<String>,
}

impl LegalHold {
    /// Whether it holds at `now`.
    pub fn active_at(&self, now: Timestamp) -> bool {
        self.lifted_at.is_none_or(|t| t > now) && self.ends_at.is_none_or(|t| t > now)
    }
}

/// A record to move to another bucket (a hold placed or lifted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordToMove {
    /// Its id.
    pub id: RecordId,
    /// Its subject.
    pub subject: SubjectId,
    /// Its bucket now.
    pub bucket: String,
    /// Its retention rule.
    pub rule: String,
    /// When it happened.
    pub occurred_at: Timestamp,
    /// Its own expiry, if known.
    pub expires_at: Option<Timestamp>,
    /// Its data key as wrapped now.
    pub wrapped_key: Vec<u8>,
}

/// A record's new bucket and re-wrapped data key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordMove {
    /// Its id.
    pub id: RecordId,
    /// Its new bucket.
    pub bucket: String,
    /// Its data key wrapped by the new bucket's key.
    pub wrapped_key: Vec<u8>,
    /// Its own expiry from now on.
    pub expires_at: Option<Timestamp>,
}

/// A bucket's current records, counted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Census {
    /// Counts per product, country, category and day (a record counts once per category).
    pub rows: Vec<AggregateRow>,
    /// Records.
    pub records: i64,
}

/// Sums rows that share product, country, category and day.
pub(crate) fn merge(rows: Vec<AggregateRow>) -> Vec<AggregateRow> {
    let mut map: std::collections::BTreeMap<(String, String, String, String), i64> =
        std::collections::BTreeMap::new();
    for r in rows {
        *map.entry((r.product, r.country, r.category, r.day))
            .or_default() += r.count;
    }
    map.into_iter()
        .map(|((product, country, category, day), count)| AggregateRow {
            product,
            country,
            category,
            day,
            count,
        })
        .collect()
}

/// What governs a tenant's retention besides the policy.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct RetentionTerms {
    /// The day its contract ends (ISO date), once known.
    pub contract_ends_on: Option<String>,
    /// Periods it agreed, per rule (ISO 8601 periods).
    pub periods: std::collections::BTreeMap<String, String>,
}

/// A change of what governs a tenant's retention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TermsChange {
    /// The contract ends on this day (`None`: the end is withdrawn).
    ContractEnd(Option<String>),
    /// The tenant's period for a rule (`None`: back to the policy's).
    Period {
        /// The rule.
        rule: String,
        /// The period.
        period: Option<String>,
    },
}

/// The refusal to file records in a bucket whose retention has ended: its key is destroyed
/// and its rows are going or gone, so data for it may no longer be kept.
pub(crate) fn ended(bucket: &str) -> crate::StoreError {
    crate::StoreError::Conflict(format!(
        "the retention of bucket `{bucket}` has ended (its key is destroyed): records for it may no longer be stored"
    ))
}

/// A partition of the records table (PostgreSQL partitions records by when their bucket
/// expires), with where the buckets filed in it stand.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PartitionRow {
    /// The table's name.
    pub name: String,
    /// Its partition value.
    pub part: i32,
    /// The first expiry it holds.
    pub from: Timestamp,
    /// Every bucket filed in it expires before this.
    pub until: Timestamp,
    /// Buckets filed in it that are live, expiring or not yet counted: it is not dropped
    /// while there are any.
    pub waiting: i64,
    /// Buckets filed in it that are expired (key destroyed) and counted, waiting for it.
    pub expired: i64,
    /// The records those expired buckets held.
    pub records: i64,
}

/// A partition dropped whole.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PartitionDrop {
    /// The table's name.
    pub name: String,
    /// The buckets it held, now purged.
    pub buckets: Vec<BucketRow>,
    /// The records they held.
    pub records: i64,
}
