//! Where the database is: a data directory, a SQLite file, or a PostgreSQL URL.

use std::path::{Path, PathBuf};

use custodian_core::Secret;

use crate::StoreError;

/// The file name of the database inside a data directory.
pub const SQLITE_FILE: &str = "custodian.db";

/// Where the database is.
#[derive(Debug, Clone)]
pub enum Location {
    /// A data directory: created with its database on first use (`--data-dir`).
    SqliteDir(PathBuf),
    /// A SQLite file named by URL: opened only if it exists, unless the URL says `mode=rwc`.
    SqliteFile {
        /// The file.
        path: PathBuf,
        /// Whether it may be created.
        create: bool,
    },
    /// A PostgreSQL URL (holds credentials, so it is a [`Secret`]).
    Postgres(Secret),
}

impl Location {
    /// Reads a `--database-url`. A typo never silently creates a database: unknown schemes are
    /// refused, and a SQLite file is created only when the URL asks for it with `?mode=rwc`.
    pub fn from_url(url: &Secret) -> Result<Self, StoreError> {
        let text = url.expose().trim();
        let scheme = text.split(':').next().unwrap_or("");
        match scheme {
            "postgres" | "postgresql" if text.starts_with(&format!("{scheme}://")) => {
                Ok(Location::Postgres(Secret::new(text)))
            }
            "sqlite" => {
                let rest = &text["sqlite:".len()..];
                let rest = rest.strip_prefix("//").unwrap_or(rest);
                let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
                if path.is_empty() {
                    return Err(StoreError::Location(
                        "the SQLite URL names no file; write sqlite:PATH, e.g. sqlite:data/custodian.db".into(),
                    ));
                }
                let mut create = false;
                for pair in query.split('&').filter(|p| !p.is_empty()) {
                    match pair {
                        "mode=rwc" => create = true,
                        "mode=rw" => create = false,
                        other => {
                            return Err(StoreError::Location(format!(
                                "unknown SQLite URL option `{other}`; the only option is mode=rw or mode=rwc"
                            )));
                        }
                    }
                }
                Ok(Location::SqliteFile {
                    path: PathBuf::from(path),
                    create,
                })
            }
            _ => Err(StoreError::Location(format!(
                "`{}` is not a database URL Custodian knows; use postgres://USER@HOST/DB, \
                 postgresql://…, or sqlite:PATH",
                redact(text)
            ))),
        }
    }

    /// A data directory.
    pub fn data_dir(dir: &Path) -> Self {
        Location::SqliteDir(dir.to_path_buf())
    }

    /// Where this location is, without credentials, for logs and messages.
    pub fn describe(&self) -> String {
        match self {
            Location::SqliteDir(dir) => format!("sqlite {}", dir.join(SQLITE_FILE).display()),
            Location::SqliteFile { path, .. } => format!("sqlite {}", path.display()),
            Location::Postgres(url) => format!("postgres {}", redact(url.expose())),
        }
    }
}

/// A URL with its password replaced by `***`.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.split('?').next().unwrap_or("").to_string();
    };
    let rest = rest.split('?').next().unwrap_or(rest);
    match rest.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{scheme}://{user}:***@{host}")
        }
        None => format!("{scheme}://{rest}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(url: &str) -> Result<Location, StoreError> {
        Location::from_url(&Secret::new(url))
    }

    #[test]
    fn postgres_urls_are_recognised_and_described_without_password() {
        let loc = parse("postgres://app:hunter2@127.0.0.1:5432/custodian").unwrap();
        assert_eq!(
            loc.describe(),
            "postgres postgres://app:***@127.0.0.1:5432/custodian"
        );
        assert!(matches!(
            parse("postgresql://localhost/db"),
            Ok(Location::Postgres(_))
        ));
    }

    #[test]
    fn a_misspelt_scheme_is_refused_without_echoing_the_password() {
        let err = parse("postgress://app:hunter2@localhost/db")
            .unwrap_err()
            .to_string();
        assert!(err.contains("not a database URL"), "{err}");
        assert!(!err.contains("hunter2"), "{err}");
    }

    #[test]
    fn sqlite_urls_open_existing_files_unless_told_to_create() {
        assert!(matches!(
            parse("sqlite:data/c.db"),
            Ok(Location::SqliteFile { create: false, .. })
        ));
        assert!(matches!(
            parse("sqlite://data/c.db?mode=rwc"),
            Ok(Location::SqliteFile { create: true, .. })
        ));
        assert!(parse("sqlite:data/c.db?mode=xyz").is_err());
        assert!(parse("sqlite:").is_err());
    }
}
