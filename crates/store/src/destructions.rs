//! The erasure log: every destroyed subject or bucket key, numbered in the order the
//! destructions were logged. It is kept in the data store (`key_destructions`), not in the key
//! store, so that restoring an older copy of the key store loses nothing: the key store keeps a
//! cursor of the last entry it has applied, and the entries after it are replayed
//! ([`crate::KeyStore::apply_destructions`]).
//!
//! An entry names its key by reference only (a random subject id and a scope, or a bucket of
//! rule and day) and by the SHA-256 of the wrapped key it destroyed, so that a replay destroys
//! that very key and never one made for the same subject or bucket afterwards.

use std::fmt;

use custodian_core::{SubjectId, TenantId};
use jiff::Timestamp;
use sha2::{Digest, Sha256};

use crate::{Result, StoreError};

/// The most entries one read of the log returns.
pub const MAX_DESTRUCTIONS_PAGE: u32 = 10_000;

/// Which key of a tenant.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyRef {
    /// A subject's key of one scope.
    Subject {
        /// The subject.
        subject: SubjectId,
        /// `erasable` or `legal`.
        scope: String,
    },
    /// A retention bucket's key (`<rule>/<expiry day>` or `<rule>/open`).
    Bucket(String),
}

impl KeyRef {
    /// `subject` or `bucket`, as stored.
    pub fn kind(&self) -> &'static str {
        match self {
            KeyRef::Subject { .. } => "subject",
            KeyRef::Bucket(_) => "bucket",
        }
    }
}

impl fmt::Display for KeyRef {
    /// `subject:<id>/<scope>` or `bucket:<bucket>`, as audit events name keys.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyRef::Subject { subject, scope } => write!(f, "subject:{subject}/{scope}"),
            KeyRef::Bucket(bucket) => write!(f, "bucket:{bucket}"),
        }
    }
}

/// A destruction to append to the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewKeyDestruction {
    /// The tenant whose key it is.
    pub tenant: TenantId,
    /// Which key.
    pub key: KeyRef,
    /// The SHA-256 of the wrapped key being destroyed ([`key_digest`]), or `None` if the key
    /// store held none when the destruction was logged.
    pub key_digest: Option<[u8; 32]>,
    /// Why (`erasure`, `expiry` …); never a person's identifier.
    pub reason: String,
    /// When.
    pub at: Timestamp,
}

/// A destruction as the log holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyDestruction {
    /// Its position in the log, from 1, without gaps; log order is commit order.
    pub seq: i64,
    /// The tenant whose key it is.
    pub tenant: TenantId,
    /// Which key.
    pub key: KeyRef,
    /// The SHA-256 of the wrapped key destroyed, if there was one.
    pub key_digest: Option<[u8; 32]>,
    /// Why.
    pub reason: String,
    /// When it was logged.
    pub at: Timestamp,
}

/// The digest by which the log names a wrapped key.
pub fn key_digest(wrapped: &[u8]) -> [u8; 32] {
    Sha256::digest(wrapped).into()
}

/// Reads a stored digest.
pub(crate) fn stored_digest(seq: i64, bytes: Option<Vec<u8>>) -> Result<Option<[u8; 32]>> {
    bytes
        .map(|b| {
            <[u8; 32]>::try_from(b.as_slice()).map_err(|_| {
                StoreError::Database(format!(
                    "erasure log entry {seq} has a key digest of {} bytes, not 32",
                    b.len()
                ))
            })
        })
        .transpose()
}

/// Reads a stored key reference.
pub(crate) fn stored_key(
    seq: i64,
    kind: &str,
    subject: Option<SubjectId>,
    scope: Option<String>,
    bucket: Option<String>,
) -> Result<KeyRef> {
    match (kind, subject, scope, bucket) {
        ("subject", Some(subject), Some(scope), None) => Ok(KeyRef::Subject { subject, scope }),
        ("bucket", None, None, Some(bucket)) => Ok(KeyRef::Bucket(bucket)),
        _ => Err(StoreError::Database(format!(
            "erasure log entry {seq} names no key it can be about (kind `{kind}`)"
        ))),
    }
}

/// The columns of a log read, in [`stored_key`] order.
pub(crate) const DESTRUCTION_COLUMNS: &str =
    "seq, tenant_id, kind, subject_id, scope, bucket, key_digest, reason, destroyed_at_us";

/// What [`crate::KeyStore::apply_destructions`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Applied {
    /// Keys that were present and are now destroyed.
    pub destroyed: u64,
    /// The key store's cursor afterwards: every entry up to it has been applied.
    pub replayed_through: i64,
}
