use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// An id string that is not of the expected form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdParseError {
    /// What kind of id was expected.
    pub kind: &'static str,
}

impl fmt::Display for IdParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not a valid {} id (expected a UUID)", self.kind)
    }
}

impl std::error::Error for IdParseError {}

macro_rules! uuid_id {
    ($(#[$doc:meta])* $name:ident, $kind:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// A new, time-ordered id (UUIDv7).
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }

            /// Wraps a UUID read back from storage.
            pub fn from_uuid(id: Uuid) -> Self {
                Self(id)
            }

            /// The UUID inside.
            pub fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = IdParseError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s.trim()).map(Self).map_err(|_| IdParseError { kind: $kind })
            }
        }
    };
}

uuid_id!(
    /// A tenant: one customer of the platform, the controller of its end users' data.
    TenantId,
    "tenant"
);
uuid_id!(
    /// The stored record of one API key (not the secret itself).
    ApiKeyId,
    "API key"
);
uuid_id!(
    /// A data subject within one tenant: the person a set of records is about.
    SubjectId,
    "subject"
);
uuid_id!(
    /// One record of personal data.
    RecordId,
    "record"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_through_their_text_form() {
        let id = TenantId::new();
        assert_eq!(id.to_string().parse::<TenantId>(), Ok(id));
    }

    #[test]
    fn a_malformed_id_names_its_kind() {
        let err = "not-a-uuid".parse::<ApiKeyId>().unwrap_err();
        assert_eq!(err.to_string(), "not a valid API key id (expected a UUID)");
    }
}
