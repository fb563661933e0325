//! Embedded migrations: the SQL files under `migrations/<backend>/`, applied in order.

/// One migration.
pub(crate) struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

/// The newest schema version this binary knows.
pub const LATEST_VERSION: i64 = 14;

pub(crate) const SQLITE: &[Migration] = &[
    Migration {
        version: 1,
        name: "foundation",
        sql: include_str!("../migrations/sqlite/0001_foundation.sql"),
    },
    Migration {
        version: 2,
        name: "records",
        sql: include_str!("../migrations/sqlite/0002_records.sql"),
    },
    Migration {
        version: 3,
        name: "key destructions",
        sql: include_str!("../migrations/sqlite/0003_key_destructions.sql"),
    },
    Migration {
        version: 4,
        name: "subject partitions",
        sql: include_str!("../migrations/sqlite/0004_subject_partitions.sql"),
    },
    Migration {
        version: 5,
        name: "policy publications",
        sql: include_str!("../migrations/sqlite/0005_policy_publications.sql"),
    },
    Migration {
        version: 6,
        name: "notices",
        sql: include_str!("../migrations/sqlite/0006_notices.sql"),
    },
    Migration {
        version: 7,
        name: "retention",
        sql: include_str!("../migrations/sqlite/0007_retention.sql"),
    },
    Migration {
        version: 8,
        name: "retention terms",
        sql: include_str!("../migrations/sqlite/0008_retention_terms.sql"),
    },
    Migration {
        version: 9,
        name: "record partitions",
        sql: include_str!("../migrations/sqlite/0009_record_partitions.sql"),
    },
    Migration {
        version: 10,
        name: "accounts",
        sql: include_str!("../migrations/sqlite/0010_accounts.sql"),
    },
    Migration {
        version: 11,
        name: "access",
        sql: include_str!("../migrations/sqlite/0011_access.sql"),
    },
    Migration {
        version: 12,
        name: "rights",
        sql: include_str!("../migrations/sqlite/0012_rights.sql"),
    },
    Migration {
        version: 13,
        name: "consent",
        sql: include_str!("../migrations/sqlite/0013_consent.sql"),
    },
    Migration {
        version: 14,
        name: "payments",
        sql: include_str!("../migrations/sqlite/0014_payments.sql"),
    },
];

pub(crate) const POSTGRES: &[Migration] = &[
    Migration {
        version: 1,
        name: "foundation",
        sql: include_str!("../migrations/postgres/0001_foundation.sql"),
    },
    Migration {
        version: 2,
        name: "records",
        sql: include_str!("../migrations/postgres/0002_records.sql"),
    },
    Migration {
        version: 3,
        name: "key destructions",
        sql: include_str!("../migrations/postgres/0003_key_destructions.sql"),
    },
    Migration {
        version: 4,
        name: "subject partitions",
        sql: include_str!("../migrations/postgres/0004_subject_partitions.sql"),
    },
    Migration {
        version: 5,
        name: "policy publications",
        sql: include_str!("../migrations/postgres/0005_policy_publications.sql"),
    },
    Migration {
        version: 6,
        name: "notices",
        sql: include_str!("../migrations/postgres/0006_notices.sql"),
    },
    Migration {
        version: 7,
        name: "retention",
        sql: include_str!("../migrations/postgres/0007_retention.sql"),
    },
    Migration {
        version: 8,
        name: "retention terms",
        sql: include_str!("../migrations/postgres/0008_retention_terms.sql"),
    },
    Migration {
        version: 9,
        name: "record partitions",
        sql: include_str!("../migrations/postgres/0009_record_partitions.sql"),
    },
    Migration {
        version: 10,
        name: "accounts",
        sql: include_str!("../migrations/postgres/0010_accounts.sql"),
    },
    Migration {
        version: 11,
        name: "access",
        sql: include_str!("../migrations/postgres/0011_access.sql"),
    },
    Migration {
        version: 12,
        name: "rights",
        sql: include_str!("../migrations/postgres/0012_rights.sql"),
    },
    Migration {
        version: 13,
        name: "consent",
        sql: include_str!("../migrations/postgres/0013_consent.sql"),
    },
    Migration {
        version: 14,
        name: "payments",
        sql: include_str!("../migrations/postgres/0014_payments.sql"),
    },
];

/// The newest schema version of the key store this binary knows.
pub const LATEST_KEYS_VERSION: i64 = 2;

pub(crate) const SQLITE_KEYS: &[Migration] = &[
    Migration {
        version: 1,
        name: "keys",
        sql: include_str!("../migrations/sqlite-keys/0001_keys.sql"),
    },
    Migration {
        version: 2,
        name: "replay cursor",
        sql: include_str!("../migrations/sqlite-keys/0002_replay_cursor.sql"),
    },
];

pub(crate) const POSTGRES_KEYS: &[Migration] = &[
    Migration {
        version: 1,
        name: "keys",
        sql: include_str!("../migrations/postgres-keys/0001_keys.sql"),
    },
    Migration {
        version: 2,
        name: "replay cursor",
        sql: include_str!("../migrations/postgres-keys/0002_replay_cursor.sql"),
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_backends_have_the_same_migrations_in_order() {
        for list in [SQLITE, POSTGRES] {
            let versions: Vec<i64> = list.iter().map(|m| m.version).collect();
            let expected: Vec<i64> = (1..=LATEST_VERSION).collect();
            assert_eq!(versions, expected);
        }
        let names = |l: &[Migration]| l.iter().map(|m| m.name).collect::<Vec<_>>();
        assert_eq!(names(SQLITE), names(POSTGRES));
        assert_eq!(names(SQLITE_KEYS), names(POSTGRES_KEYS));
        for list in [SQLITE_KEYS, POSTGRES_KEYS] {
            let versions: Vec<i64> = list.iter().map(|m| m.version).collect();
            let expected: Vec<i64> = (1..=LATEST_KEYS_VERSION).collect();
            assert_eq!(versions, expected);
        }
    }
}
