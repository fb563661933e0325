//! Embedded migrations: the SQL files under `migrations/<backend>/`, applied in order.

/// One migration.
pub(crate) struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

/// The newest schema version this binary knows.
pub const LATEST_VERSION: i64 = 1;

pub(crate) const SQLITE: &[Migration] = &[Migration {
    version: 1,
    name: "foundation",
    sql: include_str!("../migrations/sqlite/0001_foundation.sql"),
}];

pub(crate) const POSTGRES: &[Migration] = &[Migration {
    version: 1,
    name: "foundation",
    sql: include_str!("../migrations/postgres/0001_foundation.sql"),
}];

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
    }
}
