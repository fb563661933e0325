//! Shared vocabulary of every Custodian layer: typed ids and an injectable clock.
//!
//! This crate holds no logic and performs no IO. Everything here is small enough to be used
//! by every other crate without pulling a dependency the layer should not have.
#![deny(missing_docs)]

mod clock;
mod ids;
mod secret;

pub use clock::{Clock, FixedClock, SystemClock};
pub use ids::{ApiKeyId, IdParseError, RecordId, SubjectId, TenantId};
pub use secret::Secret;
