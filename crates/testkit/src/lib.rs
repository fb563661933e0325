//! Test support: a fresh database per test on the backend the run selects, and raw SQL access
//! for tests that play an attacker with write access to the database.
//!
//! The backend comes from `CUSTODIAN_TEST_BACKEND` (`sqlite`, the default, or `postgres`).
//! For PostgreSQL, `CUSTODIAN_TEST_PG_URL` names a server and a database the tests may use to
//! create one fresh database per test (e.g. `postgres://postgres@127.0.0.1:5433/postgres`).
#![deny(missing_docs)]

pub mod samples;
pub mod smtp;

use std::path::{Path, PathBuf};

use custodian_core::Secret;
use custodian_store::Location;

/// The backend this test run uses.
pub fn backend() -> &'static str {
    match std::env::var("CUSTODIAN_TEST_BACKEND").as_deref() {
        Ok("postgres") => "postgres",
        _ => "sqlite",
    }
}

/// A fresh, empty database for one test. SQLite databases live in a temporary directory
/// removed on drop; PostgreSQL databases are created on the test server.
pub struct TestDb {
    /// Where it is.
    pub location: Location,
    /// The data directory (SQLite), also usable for key files.
    pub dir: tempfile::TempDir,
    /// The PostgreSQL URL, when on PostgreSQL.
    pub pg_url: Option<String>,
}

impl TestDb {
    /// A fresh database on the selected backend.
    pub async fn new() -> Self {
        let dir = tempfile::tempdir().expect("a temporary directory");
        if backend() == "postgres" {
            let base = std::env::var("CUSTODIAN_TEST_PG_URL")
                .expect("CUSTODIAN_TEST_PG_URL must name a PostgreSQL server for CUSTODIAN_TEST_BACKEND=postgres");
            let name = format!("custodian_test_{}", uuid::Uuid::new_v4().simple());
            let (client, connection) = tokio_postgres::connect(&base, tokio_postgres::NoTls)
                .await
                .expect("the test PostgreSQL server answers");
            tokio::spawn(connection);
            client
                .batch_execute(&format!("CREATE DATABASE {name}"))
                .await
                .expect("a test database can be created");
            let url = replace_database(&base, &name);
            TestDb {
                location: Location::Postgres(Secret::new(url.clone())),
                dir,
                pg_url: Some(url),
            }
        } else {
            let data = dir.path().join("data");
            TestDb {
                location: Location::data_dir(&data),
                dir,
                pg_url: None,
            }
        }
    }

    /// The data directory (for SQLite) or a scratch directory.
    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// The command-line options that point a `custodian` process at this database.
    pub fn cli_args(&self) -> Vec<String> {
        match &self.pg_url {
            Some(url) => vec!["--database-url".into(), url.clone()],
            None => vec!["--data-dir".into(), self.data_dir().display().to_string()],
        }
    }

    /// Runs raw SQL against the database, bypassing Custodian: what an attacker with database
    /// access could do.
    pub async fn raw(&self, sql: &str) -> Result<(), String> {
        match &self.pg_url {
            Some(url) => {
                let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
                    .await
                    .map_err(|e| e.to_string())?;
                tokio::spawn(connection);
                client
                    .batch_execute(sql)
                    .await
                    .map_err(|e| match e.as_db_error() {
                        Some(db) => db.message().to_string(),
                        None => e.to_string(),
                    })
            }
            None => {
                let path = self.data_dir().join("custodian.db");
                let sql = sql.to_string();
                tokio::task::spawn_blocking(move || {
                    let conn = rusqlite::Connection::open(path).map_err(|e| e.to_string())?;
                    conn.busy_timeout(std::time::Duration::from_secs(5))
                        .map_err(|e| e.to_string())?;
                    conn.execute_batch(&sql).map_err(|e| e.to_string())
                })
                .await
                .map_err(|e| e.to_string())?
            }
        }
    }

    /// Everything the database holds, as text or raw bytes, for scans that prove what is not
    /// stored in clear: the SQLite files (data, WAL and key store) byte for byte, or every row
    /// of every PostgreSQL table as JSON.
    pub async fn raw_contents(&self) -> Vec<u8> {
        match &self.pg_url {
            Some(url) => {
                let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
                    .await
                    .expect("connect for a dump");
                tokio::spawn(connection);
                let tables = client
                    .query(
                        "SELECT table_schema || '.' || table_name FROM information_schema.tables
                         WHERE table_schema IN ('public', 'custodian_keys') AND table_type = 'BASE TABLE'",
                        &[],
                    )
                    .await
                    .expect("list tables");
                let mut out = Vec::new();
                for t in tables {
                    let name: String = t.get(0);
                    let rows = client
                        .query(&format!("SELECT row_to_json(x)::text FROM {name} x"), &[])
                        .await
                        .expect("dump a table");
                    for r in rows {
                        out.extend_from_slice(r.get::<_, String>(0).as_bytes());
                        out.push(b'\n');
                    }
                }
                out
            }
            None => {
                let mut out = Vec::new();
                for entry in std::fs::read_dir(self.data_dir()).expect("the data directory") {
                    let path = entry.expect("an entry").path();
                    if path.is_file() {
                        out.extend(std::fs::read(&path).expect("a database file"));
                    }
                }
                out
            }
        }
    }

    /// Copies the key store as a key-store backup would: `VACUUM INTO` a file (SQLite; the
    /// store may stay open), or every row of the `custodian_keys` tables into a schema of their
    /// own (PostgreSQL).
    pub async fn copy_keys(&self) -> KeysCopy {
        let name = format!("keys_copy_{}", uuid::Uuid::new_v4().simple());
        match &self.pg_url {
            Some(url) => {
                let client = pg_client(url).await;
                client
                    .batch_execute(&format!("CREATE SCHEMA {name}"))
                    .await
                    .expect("create a schema for the copy");
                for table in key_tables(&client, "custodian_keys").await {
                    client
                        .batch_execute(&format!(
                            "CREATE TABLE {name}.{table} AS SELECT * FROM custodian_keys.{table}"
                        ))
                        .await
                        .expect("copy a key table");
                }
                KeysCopy(Copied::Schema(name))
            }
            None => {
                let from = self.data_dir().join("keys.db");
                let to = self.dir.path().join(format!("{name}.db"));
                let target = to.clone();
                tokio::task::spawn_blocking(move || {
                    let conn = rusqlite::Connection::open(&from).expect("open the key store");
                    conn.execute("VACUUM INTO ?1", [target.display().to_string()])
                        .expect("copy the key store");
                })
                .await
                .expect("the copy finished");
                KeysCopy(Copied::File(to))
            }
        }
    }

    /// Puts a copy of the key store back in place of the current one, as restoring a key-store
    /// backup would. On SQLite, every handle on the key store must be closed first (drop the
    /// engine and key store).
    pub async fn restore_keys(&self, copy: &KeysCopy) {
        match (&self.pg_url, &copy.0) {
            (Some(url), Copied::Schema(name)) => {
                let mut client = pg_client(url).await;
                let tables = key_tables(&client, name).await;
                let tx = client.transaction().await.expect("a transaction");
                for table in tables {
                    tx.batch_execute(&format!(
                        "DELETE FROM custodian_keys.{table};
                         INSERT INTO custodian_keys.{table} SELECT * FROM {name}.{table};"
                    ))
                    .await
                    .expect("restore a key table");
                }
                tx.commit().await.expect("commit the restore");
            }
            (None, Copied::File(file)) => {
                let keys = self.data_dir().join("keys.db");
                for suffix in ["", "-wal", "-shm"] {
                    let path = PathBuf::from(format!("{}{suffix}", keys.display()));
                    if path.exists() {
                        std::fs::remove_file(&path).expect("remove the current key store");
                    }
                }
                std::fs::copy(file, &keys).expect("restore the key store");
            }
            _ => panic!("a key-store copy restores to the backend it was taken from"),
        }
    }

    /// SQL that lifts the database's own append-only guard on the audit log, as an attacker
    /// with owner rights would before tampering.
    pub fn drop_audit_guards(&self) -> &'static str {
        match self.pg_url {
            Some(_) => "DROP TRIGGER audit_events_no_change ON audit_events;",
            None => "DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete;",
        }
    }
}

/// A copy of a test database's key store ([`TestDb::copy_keys`]).
pub struct KeysCopy(Copied);

enum Copied {
    File(PathBuf),
    Schema(String),
}

async fn pg_client(url: &str) -> tokio_postgres::Client {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .expect("the test PostgreSQL server answers");
    tokio::spawn(connection);
    client
}

async fn key_tables(client: &tokio_postgres::Client, schema: &str) -> Vec<String> {
    client
        .query(
            "SELECT table_name::text FROM information_schema.tables
             WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY table_name",
            &[&schema],
        )
        .await
        .expect("list the key tables")
        .iter()
        .map(|r| r.get(0))
        .collect()
}

/// Copies a directory tree.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create a directory");
    for entry in std::fs::read_dir(from).expect("read a fixture directory") {
        let entry = entry.expect("a directory entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy a fixture file");
        }
    }
}

/// The policy checker's fixtures (`crates/policy/tests/fixtures`).
pub fn policy_fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../policy/tests/fixtures")
}

/// The valid fixture policy with the overlay `broken/<name>` copied over it, in a temporary
/// directory.
pub fn broken_policy(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    copy_dir(&policy_fixtures().join("base"), dir.path());
    copy_dir(&policy_fixtures().join("broken").join(name), dir.path());
    dir
}

fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let host_part = &base[scheme_end..];
    let prefix = match host_part.find('/') {
        Some(slash) => &base[..scheme_end + slash],
        None => base,
    };
    format!("{prefix}/{name}{query}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_database_name_is_replaced_in_a_url() {
        assert_eq!(
            super::replace_database("postgres://u@127.0.0.1:5433/postgres?sslmode=disable", "x"),
            "postgres://u@127.0.0.1:5433/x?sslmode=disable"
        );
        assert_eq!(
            super::replace_database("postgres://u@h", "x"),
            "postgres://u@h/x"
        );
    }
}
