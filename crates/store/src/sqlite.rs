//! The embedded SQLite backend: one writer connection and a few readers, in WAL mode, driven
//! from Tokio's blocking pool.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use async_trait::async_trait;
use custodian_core::{ApiKeyId, RecordId, SubjectId, TenantId};
use jiff::Timestamp;
use rusqlite::{
    Connection, OpenFlags, OptionalExtension, Row, Transaction, TransactionBehavior, params,
};
use uuid::Uuid;

use crate::audit::{self, AuditEvent, AuditFilter, ChainHead, ChainKey, NewAuditEvent, Outcome};
use crate::destructions::{
    DESTRUCTION_COLUMNS, KeyDestruction, KeyRef, MAX_DESTRUCTIONS_PAGE, NewKeyDestruction,
    stored_digest, stored_key,
};
use crate::location::{Location, SQLITE_FILE};
use crate::migrate::{LATEST_VERSION, Migration, SQLITE};
use crate::records::{IdempotencyEntry, Param, RecordBatch, RecordQuery, RecordRow, SubjectRow};
use crate::retention::{AggregateRow, BucketRow, LegalHold, NewBucket, RecordMove, RecordToMove};
use crate::{
    ApiKeyRecord, Backend, ClaimedNotice, Fanout, NoticeOutcome, NoticeStats, Objection,
    Publication, Result, Store, StoreError, Subscription, SubscriptionRequest, Tenant, from_micros,
    micros,
};

mod access;
mod accounts;
mod consent;
mod notices;
mod payments;
mod retention;
mod rights;

const READERS: usize = 4;

/// One SQLite file: a writer connection and a few readers, used from Tokio's blocking pool.
pub(crate) struct Pool {
    writer: Mutex<Connection>,
    /// Set by the checkpointer when the log has grown and the writer should finish the copy.
    catch_up: Arc<std::sync::atomic::AtomicBool>,
    readers: Vec<Mutex<Connection>>,
    next_reader: AtomicUsize,
    /// Wakes the checkpointer after a commit; dropping it ends the checkpointer.
    checkpoints: std::sync::mpsc::SyncSender<()>,
}

/// Pages the WAL may hold (64 MiB of 4 KiB pages) before the writer is asked to copy the rest
/// after its next commit, so that the transaction after that starts the log afresh.
const WAL_CATCH_UP_FRAMES: i64 = 16_384;

/// Copies committed pages from the WAL into the database on a thread and connection of its
/// own, so that the writer never stops a commit to checkpoint (SQLite's automatic checkpoint
/// runs inside the commit that crosses the threshold). Under continuous writes a checkpoint
/// running beside the writer leaves the log growing: SQLite rewinds it only when a write
/// transaction begins with every frame already copied, and the writer always begins right after
/// its last commit, before the checkpointer has copied it. Past a threshold the checkpointer
/// asks the writer to copy the little that is left between two of its transactions; the next
/// one then starts the log afresh.
fn checkpointer(
    conn: Connection,
    catch_up: Arc<std::sync::atomic::AtomicBool>,
    wake: std::sync::mpsc::Receiver<()>,
) {
    // (frames in the log, frames copied)
    let checkpoint = |mode: &str| -> rusqlite::Result<(i64, i64)> {
        conn.query_row(&format!("PRAGMA wal_checkpoint({mode})"), [], |r| {
            Ok((r.get::<_, i64>(1)?, r.get::<_, i64>(2)?))
        })
    };
    let failed = |e: rusqlite::Error| {
        tracing::warn!(error = %e, "a WAL checkpoint failed; it will be retried after the next commit");
    };
    while wake.recv().is_ok() {
        // Commits come in bursts: let a few gather, then copy them all at once.
        std::thread::sleep(std::time::Duration::from_millis(20));
        while wake.try_recv().is_ok() {}
        match checkpoint("PASSIVE") {
            Ok((logged, _)) if logged >= WAL_CATCH_UP_FRAMES => {
                catch_up.store(true, Ordering::Relaxed);
            }
            Ok(_) => {}
            Err(e) => failed(e),
        }
    }
    // The store is closing: leave an empty WAL behind.
    if let Err(e) = checkpoint("TRUNCATE") {
        tracing::debug!(error = %e, "the last WAL checkpoint did not complete");
    }
}

fn lock(m: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn db_err(e: rusqlite::Error) -> StoreError {
    use rusqlite::ErrorCode;
    match &e {
        rusqlite::Error::SqliteFailure(f, msg) => match f.code {
            ErrorCode::ConstraintViolation => StoreError::Conflict(
                msg.clone()
                    .unwrap_or_else(|| "a uniqueness rule was broken".into()),
            ),
            ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => {
                StoreError::Unavailable(format!("the database stayed locked: {e}"))
            }
            ErrorCode::CannotOpen | ErrorCode::NotADatabase | ErrorCode::ReadOnly => {
                StoreError::Unavailable(e.to_string())
            }
            _ => StoreError::Database(e.to_string()),
        },
        _ => StoreError::Database(e.to_string()),
    }
}

fn audit_err(e: rusqlite::Error) -> StoreError {
    StoreError::Audit(e.to_string())
}

fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .map_err(db_err)?;
    conn.execute_batch(
        "PRAGMA page_size = 4096;
         PRAGMA journal_mode = WAL;
         PRAGMA journal_size_limit = 67108864;
         PRAGMA synchronous = NORMAL;
         PRAGMA foreign_keys = ON;",
    )
    .map_err(db_err)
}

fn migrate(conn: &mut Connection, migrations: &[Migration], latest: i64) -> Result<()> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version       INTEGER PRIMARY KEY,
             name          TEXT NOT NULL,
             applied_at_us INTEGER NOT NULL
         ) STRICT;",
    )
    .map_err(db_err)?;
    let current: i64 = conn
        .query_row(
            "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
            [],
            |r| r.get(0),
        )
        .map_err(db_err)?;
    if current > latest {
        return Err(StoreError::SchemaTooNew {
            found: current,
            supported: latest,
        });
    }
    for migration in migrations.iter().filter(|m| m.version > current) {
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(db_err)?;
        tx.execute_batch(migration.sql).map_err(|e| {
            StoreError::Database(format!(
                "migration {} ({}) failed: {e}",
                migration.version, migration.name
            ))
        })?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name, applied_at_us) VALUES (?1, ?2, ?3)",
            params![migration.version, migration.name, micros(Timestamp::now())],
        )
        .map_err(db_err)?;
        tx.commit().map_err(db_err)?;
        tracing::info!(
            version = migration.version,
            name = migration.name,
            "applied SQLite migration"
        );
    }
    Ok(())
}

/// Where the SQLite database of a location is, and whether it may be created.
pub(crate) fn sqlite_path(location: &Location) -> Result<(PathBuf, bool)> {
    match location {
        Location::SqliteDir(dir) => {
            std::fs::create_dir_all(dir).map_err(|e| {
                StoreError::Location(format!(
                    "cannot create the data directory {}: {e}",
                    dir.display()
                ))
            })?;
            Ok((dir.join(SQLITE_FILE), true))
        }
        Location::SqliteFile { path, create } => Ok((path.clone(), *create)),
        Location::Postgres(_) => Err(StoreError::Location(
            "a PostgreSQL URL is not a SQLite database".into(),
        )),
    }
}

impl Pool {
    /// Opens (creating only if `create`) and migrates the file at `path`.
    pub(crate) async fn open(
        path: &Path,
        create: bool,
        migrations: &'static [Migration],
        latest: i64,
    ) -> Result<Self> {
        let existed = path.exists();
        if !existed && !create {
            return Err(StoreError::Location(format!(
                "there is no SQLite database at {}; check the path, or add ?mode=rwc to the URL to create one",
                path.display()
            )));
        }
        let open_path = path.to_path_buf();
        let pool = tokio::task::spawn_blocking(move || -> Result<Pool> {
            let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX
                | if create {
                    OpenFlags::SQLITE_OPEN_CREATE
                } else {
                    OpenFlags::empty()
                };
            let mut writer = Connection::open_with_flags(&open_path, flags).map_err(db_err)?;
            configure(&writer)?;
            migrate(&mut writer, migrations, latest)?;
            let readers = (0..READERS)
                .map(|_| {
                    let conn = Connection::open_with_flags(
                        &open_path,
                        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                    )
                    .map_err(db_err)?;
                    configure(&conn)?;
                    conn.execute_batch("PRAGMA query_only = ON;")
                        .map_err(db_err)?;
                    Ok(Mutex::new(conn))
                })
                .collect::<Result<Vec<_>>>()?;
            // The writer never checkpoints; a thread of its own does, after commits.
            writer
                .execute_batch("PRAGMA wal_autocheckpoint = 0;")
                .map_err(db_err)?;
            let background = Connection::open_with_flags(
                &open_path,
                OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .map_err(db_err)?;
            configure(&background)?;
            let (checkpoints, wake) = std::sync::mpsc::sync_channel(1);
            let catch_up = Arc::new(std::sync::atomic::AtomicBool::new(false));
            let asks = Arc::clone(&catch_up);
            std::thread::Builder::new()
                .name("sqlite-checkpoint".into())
                .spawn(move || checkpointer(background, asks, wake))
                .map_err(|e| StoreError::Database(format!("cannot start the checkpointer: {e}")))?;
            Ok(Pool {
                writer: Mutex::new(writer),
                catch_up,
                readers,
                next_reader: AtomicUsize::new(0),
                checkpoints,
            })
        })
        .await
        .map_err(|e| StoreError::Database(format!("the database thread failed: {e}")))??;
        if !existed {
            tracing::warn!(path = %path.display(), "created a new, empty SQLite database");
        }
        Ok(pool)
    }

    /// Runs `f` in an immediate (write-locking) transaction and commits it.
    pub(crate) async fn write<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&mut Transaction<'_>) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let pool = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let mut conn = lock(&pool.writer);
            let mut tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(db_err)?;
            let value = f(&mut tx)?;
            tx.commit().map_err(db_err)?;
            if pool.catch_up.swap(false, Ordering::Relaxed) {
                // The log is long and the checkpointer has copied most of it: copy the rest
                // while no transaction is open (waiting for a running checkpoint and for
                // readers of old pages), so that the next commit rewinds the log.
                if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(RESTART)", [], |_| Ok(())) {
                    tracing::warn!(error = %e, "a WAL checkpoint failed; it will be retried");
                }
            }
            // Full means a wake-up is already pending; closed cannot happen while the pool lives.
            let _ = pool.checkpoints.try_send(());
            Ok(value)
        })
        .await
        .map_err(|e| StoreError::Database(format!("the database thread failed: {e}")))?
    }

    /// Runs `f` on a read-only connection.
    pub(crate) async fn read<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&Connection) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let pool = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let i = pool.next_reader.fetch_add(1, Ordering::Relaxed) % pool.readers.len();
            let conn = lock(&pool.readers[i]);
            f(&conn)
        })
        .await
        .map_err(|e| StoreError::Database(format!("the database thread failed: {e}")))?
    }
}

/// The SQLite store.
pub(crate) struct SqliteStore {
    pool: Arc<Pool>,
    chain_key: Arc<ChainKey>,
    path: PathBuf,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .finish()
    }
}

impl SqliteStore {
    pub(crate) async fn open(location: &Location, chain_key: ChainKey) -> Result<Self> {
        let (path, create) = sqlite_path(location)?;
        let pool = Pool::open(&path, create, SQLITE, LATEST_VERSION).await?;
        Ok(Self {
            pool: Arc::new(pool),
            chain_key: Arc::new(chain_key),
            path,
        })
    }

    async fn write<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Transaction<'_>, &ChainKey) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let key = Arc::clone(&self.chain_key);
        self.pool.write(move |tx| f(tx, &key)).await
    }

    async fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        self.pool.read(f).await
    }
}

fn append(tx: &Transaction<'_>, key: &ChainKey, event: &NewAuditEvent) -> Result<AuditEvent> {
    let (head_seq, prev): (i64, Vec<u8>) = tx
        .query_row("SELECT seq, hash FROM audit_head WHERE id = 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .map_err(audit_err)?;
    let seq = head_seq + 1;
    let hash = audit::seal(key, seq, &prev, event);
    let targets =
        serde_json::to_string(&event.targets).map_err(|e| StoreError::Audit(e.to_string()))?;
    tx.execute(
        "INSERT INTO audit_events (seq, at_us, actor, action, tenant_id, targets, purpose, outcome, detail, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            seq,
            micros(event.at),
            event.actor,
            event.action,
            event.tenant.map(|t| t.as_uuid()),
            targets,
            event.purpose,
            event.outcome.as_str(),
            event.detail,
            prev,
            hash,
        ],
    )
    .map_err(audit_err)?;
    tx.execute(
        "UPDATE audit_head SET seq = ?1, hash = ?2 WHERE id = 1",
        params![seq, hash],
    )
    .map_err(audit_err)?;
    Ok(AuditEvent {
        seq,
        event: event.clone(),
        prev_hash: prev,
        hash,
    })
}

fn tenant_row(r: &Row<'_>) -> rusqlite::Result<(Uuid, String, Option<String>, i64)> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
}

fn to_tenant(
    (id, name, default_region, created): (Uuid, String, Option<String>, i64),
) -> Result<Tenant> {
    Ok(Tenant {
        id: TenantId::from_uuid(id),
        name,
        default_region,
        created_at: from_micros(created)?,
    })
}

type KeyRow = (
    Uuid,
    Uuid,
    String,
    Vec<u8>,
    String,
    String,
    i64,
    Option<i64>,
);

fn key_row(r: &Row<'_>) -> rusqlite::Result<KeyRow> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
    ))
}

pub(crate) fn to_key(
    (id, tenant, lookup, secret_hash, name, scopes, created, revoked): KeyRow,
) -> Result<ApiKeyRecord> {
    Ok(ApiKeyRecord {
        id: ApiKeyId::from_uuid(id),
        tenant: TenantId::from_uuid(tenant),
        lookup,
        secret_hash,
        name,
        scopes: scopes.split_whitespace().map(str::to_string).collect(),
        created_at: from_micros(created)?,
        revoked_at: revoked.map(from_micros).transpose()?,
    })
}

const KEY_COLUMNS: &str =
    "id, tenant_id, lookup, secret_hash, name, scopes, created_at_us, revoked_at_us";

type EventRow = (
    i64,
    i64,
    String,
    String,
    Option<Uuid>,
    String,
    Option<String>,
    String,
    Option<String>,
    Vec<u8>,
    Vec<u8>,
);

fn event_row(r: &Row<'_>) -> rusqlite::Result<EventRow> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
        r.get(8)?,
        r.get(9)?,
        r.get(10)?,
    ))
}

pub(crate) fn to_event(
    (seq, at, actor, action, tenant, targets, purpose, outcome, detail, prev_hash, hash): EventRow,
) -> Result<AuditEvent> {
    let targets: Vec<String> = serde_json::from_str(&targets).map_err(|e| {
        StoreError::Database(format!("audit event {seq} has unreadable targets: {e}"))
    })?;
    let outcome = Outcome::parse(&outcome).ok_or_else(|| {
        StoreError::Database(format!("audit event {seq} has unknown outcome `{outcome}`"))
    })?;
    Ok(AuditEvent {
        seq,
        event: NewAuditEvent {
            at: from_micros(at)?,
            actor,
            action,
            tenant: tenant.map(TenantId::from_uuid),
            targets,
            purpose,
            outcome,
            detail,
        },
        prev_hash,
        hash,
    })
}

const EVENT_COLUMNS: &str =
    "seq, at_us, actor, action, tenant_id, targets, purpose, outcome, detail, prev_hash, hash";

#[async_trait]
impl Store for SqliteStore {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    async fn ping(&self) -> Result<()> {
        self.read(|c| c.query_row("SELECT 1", [], |_| Ok(())).map_err(db_err))
            .await
    }

    async fn schema_version(&self) -> Result<i64> {
        self.read(|c| {
            c.query_row(
                "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                [],
                |r| r.get(0),
            )
            .map_err(db_err)
        })
        .await
    }

    async fn meta(&self, key: &str) -> Result<Option<String>> {
        let key = key.to_string();
        self.read(move |c| {
            c.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
                .optional()
                .map_err(db_err)
        })
        .await
    }

    async fn meta_init(&self, key: &str, value: &str) -> Result<String> {
        let (key, value) = (key.to_string(), value.to_string());
        self.write(move |tx, _| {
            tx.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO NOTHING",
                params![key, value],
            )
            .map_err(db_err)?;
            tx.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
                .map_err(db_err)
        })
        .await
    }

    async fn create_tenant(&self, tenant: &Tenant, audit: &NewAuditEvent) -> Result<AuditEvent> {
        let (tenant, audit) = (tenant.clone(), audit.clone());
        self.write(move |tx, key| {
            tx.execute(
                "INSERT INTO tenants (id, name, default_region, created_at_us) VALUES (?1, ?2, ?3, ?4)",
                params![tenant.id.as_uuid(), tenant.name, tenant.default_region, micros(tenant.created_at)],
            )
            .map_err(|e| match db_err(e) {
                StoreError::Conflict(_) => StoreError::Conflict(format!("a tenant named `{}` already exists", tenant.name)),
                other => other,
            })?;
            append(tx, key, &audit)
        })
        .await
    }

    async fn publish_policy(
        &self,
        p: &Publication,
        audit: &NewAuditEvent,
        fanout: &[Fanout],
    ) -> Result<AuditEvent> {
        let (p, audit, fanout) = (p.clone(), audit.clone(), fanout.to_vec());
        self.write(move |tx, key| {
            notices::fan_out(tx, &fanout, p.published_at)?;
            tx.execute(
                "INSERT INTO policy_publications (label, effective_on, digest, published_at_us, actor) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![p.label, p.effective_on.to_string(), p.digest, micros(p.published_at), p.actor],
            )
            .map_err(|e| match db_err(e) {
                StoreError::Conflict(_) => StoreError::Conflict(format!("policy version {} was published before", p.label)),
                other => other,
            })?;
            append(tx, key, &audit)
        })
        .await
    }

    async fn publications(&self) -> Result<Vec<Publication>> {
        self.read(|c| {
            let mut stmt = c
                .prepare_cached("SELECT label, effective_on, digest, published_at_us, actor FROM policy_publications ORDER BY published_at_us, label")
                .map_err(db_err)?;
            let rows = stmt
                .query_map([], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, Vec<u8>>(2)?, r.get::<_, i64>(3)?, r.get::<_, String>(4)?))
                })
                .map_err(db_err)?;
            rows.map(|row| {
                let (label, effective, digest, at, actor) = row.map_err(db_err)?;
                Ok(Publication {
                    label,
                    effective_on: effective.parse().map_err(|e| StoreError::Database(format!("a stored effective date is unreadable: {e}")))?,
                    digest,
                    published_at: from_micros(at)?,
                    actor,
                })
            })
            .collect()
        })
        .await
    }

    async fn tenant(&self, id: TenantId) -> Result<Option<Tenant>> {
        self.read(move |c| {
            c.query_row(
                "SELECT id, name, default_region, created_at_us FROM tenants WHERE id = ?1",
                [id.as_uuid()],
                tenant_row,
            )
            .optional()
            .map_err(db_err)?
            .map(to_tenant)
            .transpose()
        })
        .await
    }

    async fn tenants(&self) -> Result<Vec<Tenant>> {
        self.read(|c| {
            let mut stmt = c
                .prepare("SELECT id, name, default_region, created_at_us FROM tenants ORDER BY created_at_us, id")
                .map_err(db_err)?;
            let rows = stmt.query_map([], tenant_row).map_err(db_err)?;
            rows.map(|r| to_tenant(r.map_err(db_err)?)).collect()
        })
        .await
    }

    async fn create_api_key(
        &self,
        key: &ApiKeyRecord,
        audit: &NewAuditEvent,
    ) -> Result<AuditEvent> {
        let (record, audit) = (key.clone(), audit.clone());
        self.write(move |tx, chain| {
            tx.execute(
                &format!(
                    "INSERT INTO api_keys ({KEY_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
                ),
                params![
                    record.id.as_uuid(),
                    record.tenant.as_uuid(),
                    record.lookup,
                    record.secret_hash,
                    record.name,
                    record.scopes.join(" "),
                    micros(record.created_at),
                    record.revoked_at.map(micros),
                ],
            )
            .map_err(db_err)?;
            append(tx, chain, &audit)
        })
        .await
    }

    async fn api_key_by_lookup(&self, lookup: &str) -> Result<Option<ApiKeyRecord>> {
        let lookup = lookup.to_string();
        self.read(move |c| {
            c.query_row(
                &format!("SELECT {KEY_COLUMNS} FROM api_keys WHERE lookup = ?1"),
                [lookup],
                key_row,
            )
            .optional()
            .map_err(db_err)?
            .map(to_key)
            .transpose()
        })
        .await
    }

    async fn api_key(&self, id: ApiKeyId) -> Result<Option<ApiKeyRecord>> {
        self.read(move |c| {
            c.query_row(
                &format!("SELECT {KEY_COLUMNS} FROM api_keys WHERE id = ?1"),
                [id.as_uuid()],
                key_row,
            )
            .optional()
            .map_err(db_err)?
            .map(to_key)
            .transpose()
        })
        .await
    }

    async fn api_keys(&self, tenant: TenantId) -> Result<Vec<ApiKeyRecord>> {
        self.read(move |c| {
            let mut stmt = c
                .prepare(&format!("SELECT {KEY_COLUMNS} FROM api_keys WHERE tenant_id = ?1 ORDER BY created_at_us, id"))
                .map_err(db_err)?;
            let rows = stmt.query_map([tenant.as_uuid()], key_row).map_err(db_err)?;
            rows.map(|r| to_key(r.map_err(db_err)?)).collect()
        })
        .await
    }

    async fn revoke_api_key(
        &self,
        id: ApiKeyId,
        at: Timestamp,
        audit: &NewAuditEvent,
    ) -> Result<bool> {
        let audit = audit.clone();
        self.write(move |tx, chain| {
            let changed = tx
                .execute(
                    "UPDATE api_keys SET revoked_at_us = ?1 WHERE id = ?2 AND revoked_at_us IS NULL",
                    params![micros(at), id.as_uuid()],
                )
                .map_err(db_err)?;
            if changed == 1 {
                append(tx, chain, &audit)?;
            }
            Ok(changed == 1)
        })
        .await
    }

    async fn append_audit(&self, event: &NewAuditEvent) -> Result<AuditEvent> {
        let event = event.clone();
        self.write(move |tx, key| append(tx, key, &event)).await
    }

    async fn audit_events(&self, filter: &AuditFilter) -> Result<Vec<AuditEvent>> {
        let filter = filter.clone();
        self.read(move |c| {
            let limit = filter.effective_limit();
            let mut stmt = c
                .prepare(&format!(
                    "SELECT {EVENT_COLUMNS} FROM audit_events
                     WHERE seq > ?1 AND (?2 IS NULL OR tenant_id = ?2)
                       AND (?4 IS NULL OR substr(actor, 1, length(?4)) = ?4)
                       AND (?5 IS NULL OR substr(action, 1, length(?5)) = ?5)
                       AND (?6 IS NULL OR at_us >= ?6)
                       AND (?7 IS NULL OR at_us < ?7)
                       AND (?8 IS NULL OR outcome = ?8)
                     ORDER BY seq LIMIT ?3"
                ))
                .map_err(db_err)?;
            let rows = stmt
                .query_map(
                    params![
                        filter.after_seq,
                        filter.tenant.map(|t| t.as_uuid()),
                        limit,
                        filter.actor,
                        filter.action,
                        filter.since.map(micros),
                        filter.until.map(micros),
                        filter.outcome.map(Outcome::as_str),
                    ],
                    event_row,
                )
                .map_err(db_err)?;
            rows.map(|r| to_event(r.map_err(db_err)?)).collect()
        })
        .await
    }

    async fn audit_head(&self) -> Result<ChainHead> {
        self.read(|c| {
            c.query_row("SELECT seq, hash FROM audit_head WHERE id = 1", [], |r| {
                Ok(ChainHead {
                    seq: r.get(0)?,
                    hash: r.get(1)?,
                })
            })
            .map_err(db_err)
        })
        .await
    }

    async fn subjects_by_index(
        &self,
        tenant: TenantId,
        indexes: &[Vec<u8>],
    ) -> Result<Vec<(Vec<u8>, SubjectId)>> {
        let indexes = indexes.to_vec();
        self.read(move |c| {
            // Many indexes per statement: an ingest batch asks for thousands.
            const CHUNK: usize = 256;
            let mut found = Vec::new();
            for chunk in indexes.chunks(CHUNK) {
                let marks = vec!["?"; chunk.len()].join(", ");
                let mut stmt = c
                    .prepare_cached(&format!(
                        "SELECT blind_index, subject_id FROM subject_identifiers WHERE tenant_id = ? AND blind_index IN ({marks})"
                    ))
                    .map_err(db_err)?;
                let params = std::iter::once(rusqlite::types::Value::Blob(
                    tenant.as_uuid().as_bytes().to_vec(),
                ))
                .chain(chunk.iter().map(|i| rusqlite::types::Value::Blob(i.clone())));
                let rows = stmt
                    .query_map(rusqlite::params_from_iter(params), |r| {
                        Ok((r.get::<_, Vec<u8>>(0)?, SubjectId::from_uuid(r.get(1)?)))
                    })
                    .map_err(db_err)?;
                for row in rows {
                    found.push(row.map_err(db_err)?);
                }
            }
            Ok(found)
        })
        .await
    }

    async fn subject(&self, tenant: TenantId, id: SubjectId) -> Result<Option<SubjectRow>> {
        self.read(move |c| {
            type Times = (i64, Option<i64>, Option<i64>, Option<i64>);
            let row: Option<Times> = c
                .query_row(
                    "SELECT created_at_us, restricted_at_us, objected_at_us, consent_withdrawn_at_us FROM subjects
                     WHERE id = ?1 AND tenant_id = ?2",
                    params![id.as_uuid(), tenant.as_uuid()],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .optional()
                .map_err(db_err)?;
            row.map(|(created, restricted, objected, withdrawn)| {
                Ok(SubjectRow {
                    id,
                    tenant,
                    created_at: from_micros(created)?,
                    restricted_at: restricted.map(from_micros).transpose()?,
                    objected_at: objected.map(from_micros).transpose()?,
                    consent_withdrawn_at: withdrawn.map(from_micros).transpose()?,
                })
            })
            .transpose()
        })
        .await
    }

    async fn set_restriction(
        &self,
        tenant: TenantId,
        id: SubjectId,
        since: Option<Timestamp>,
        audit: &NewAuditEvent,
    ) -> Result<bool> {
        let audit = audit.clone();
        self.write(move |tx, key| {
            let changed = tx
                .execute(
                    "UPDATE subjects SET restricted_at_us = ?1 WHERE id = ?2 AND tenant_id = ?3",
                    params![since.map(micros), id.as_uuid(), tenant.as_uuid()],
                )
                .map_err(db_err)?;
            if changed == 1 {
                append(tx, key, &audit)?;
            }
            Ok(changed == 1)
        })
        .await
    }

    async fn set_processing_stop(
        &self,
        tenant: TenantId,
        id: SubjectId,
        stop: crate::records::ProcessingStop,
        since: Option<Timestamp>,
        audit: &NewAuditEvent,
    ) -> Result<bool> {
        let audit = audit.clone();
        self.write(move |tx, key| {
            let changed = tx
                .execute(
                    &format!(
                        "UPDATE subjects SET {} = ?1 WHERE id = ?2 AND tenant_id = ?3",
                        stop.column()
                    ),
                    params![since.map(micros), id.as_uuid(), tenant.as_uuid()],
                )
                .map_err(db_err)?;
            if changed == 1 {
                append(tx, key, &audit)?;
            }
            Ok(changed == 1)
        })
        .await
    }

    async fn append_consents(
        &self,
        events: &[crate::consent::NewConsentEvent],
        texts: &[(TenantId, crate::consent::ConsentText, Timestamp)],
        audit: Option<&NewAuditEvent>,
    ) -> Result<()> {
        self.c_append(events, texts, audit).await
    }

    async fn consent_events(
        &self,
        scope: crate::consent::ConsentScope,
        limit: u32,
    ) -> Result<Vec<crate::consent::ConsentEventRow>> {
        self.c_events(scope, limit).await
    }

    async fn consent_text(
        &self,
        tenant: TenantId,
        hash: &str,
    ) -> Result<Option<crate::consent::ConsentText>> {
        self.c_text(tenant, hash).await
    }

    async fn purge_consent_events(&self, before: Timestamp, audit: &NewAuditEvent) -> Result<u64> {
        self.c_purge(before, audit).await
    }

    async fn processing_stops(&self) -> Result<Vec<crate::consent::SubjectStops>> {
        self.c_stops().await
    }

    async fn save_payment_method(
        &self,
        row: &crate::payments::PaymentMethodRow,
        events: &[crate::consent::NewConsentEvent],
        texts: &[(TenantId, crate::consent::ConsentText, Timestamp)],
        audit: &NewAuditEvent,
    ) -> Result<()> {
        self.p_save_method(row, events, texts, audit).await
    }

    async fn payment_methods(
        &self,
        tenant: TenantId,
        subject: Option<SubjectId>,
    ) -> Result<Vec<crate::payments::PaymentMethodRow>> {
        self.p_methods(tenant, subject).await
    }

    async fn delete_payment_methods(
        &self,
        tenant: TenantId,
        subject: SubjectId,
        id: Option<Uuid>,
        events: &[crate::consent::NewConsentEvent],
        audit: &NewAuditEvent,
    ) -> Result<u64> {
        self.p_delete_methods(tenant, subject, id, events, audit)
            .await
    }

    async fn set_auto_recharge(
        &self,
        row: &crate::payments::AutoRechargeRow,
        events: &[crate::consent::NewConsentEvent],
        texts: &[(TenantId, crate::consent::ConsentText, Timestamp)],
        audit: &NewAuditEvent,
    ) -> Result<()> {
        self.p_set_recharge(row, events, texts, audit).await
    }

    async fn auto_recharge(
        &self,
        tenant: TenantId,
        subject: SubjectId,
    ) -> Result<Option<crate::payments::AutoRechargeRow>> {
        self.p_recharge(tenant, subject).await
    }

    async fn delete_auto_recharge(
        &self,
        tenant: TenantId,
        subject: SubjectId,
        events: &[crate::consent::NewConsentEvent],
        audit: &NewAuditEvent,
    ) -> Result<bool> {
        self.p_delete_recharge(tenant, subject, events, audit).await
    }

    async fn erase_subject_rows(
        &self,
        tenant: TenantId,
        id: SubjectId,
        unlink: bool,
        audit: &NewAuditEvent,
    ) -> Result<u64> {
        let audit = audit.clone();
        self.write(move |tx, key| {
            let n = tx
                .execute(
                    "DELETE FROM records WHERE tenant_id = ?1 AND subject_id = ?2 AND key_scope = 'erasable'",
                    params![tenant.as_uuid(), id.as_uuid()],
                )
                .map_err(db_err)?;
            if unlink {
                tx.execute(
                    "DELETE FROM subject_identifiers WHERE tenant_id = ?1 AND subject_id = ?2",
                    params![tenant.as_uuid(), id.as_uuid()],
                )
                .map_err(db_err)?;
            }
            append(tx, key, &audit)?;
            Ok(n as u64)
        })
        .await
    }

    async fn store_batch(&self, batch: RecordBatch) -> Result<AuditEvent> {
        self.write(move |tx, key| store_batch(tx, key, &batch))
            .await
    }

    async fn idempotent(&self, tenant: TenantId, key: &str) -> Result<Option<IdempotencyEntry>> {
        let key = key.to_string();
        self.read(move |c| {
            c.query_row(
                "SELECT request_hash, response FROM idempotency_keys WHERE tenant_id = ?1 AND key = ?2",
                params![tenant.as_uuid(), key],
                |r| Ok(IdempotencyEntry { key: key.clone(), request_hash: r.get(0)?, response: r.get(1)? }),
            )
            .optional()
            .map_err(db_err)
        })
        .await
    }

    async fn records(&self, query: &RecordQuery) -> Result<Vec<RecordRow>> {
        let (filter, params) = query.filter(|n| format!("?{n}"), "superseded = 0");
        let limit = query.effective_limit();
        let by_subject = query.subject.is_some();
        self.read(move |c| {
            // A subject's records are indexed within insertion partitions: probe each.
            let (index, parts) = if by_subject {
                (" INDEXED BY records_subject", partitions(c)?)
            } else {
                ("", String::new())
            };
            let sql = format!(
                "SELECT {RECORD_COLUMNS} FROM records{index} WHERE {parts}{filter} ORDER BY id LIMIT {limit}"
            );
            let mut stmt = c.prepare_cached(&sql).map_err(db_err)?;
            let values = params.into_iter().map(|p| match p {
                Param::Uuid(u) => rusqlite::types::Value::Blob(u.as_bytes().to_vec()),
                Param::Text(t) => rusqlite::types::Value::Text(t),
            });
            let rows = stmt
                .query_map(rusqlite::params_from_iter(values), record_row)
                .map_err(db_err)?;
            rows.map(|r| r.map_err(db_err)?).collect()
        })
        .await
    }

    async fn record(&self, tenant: TenantId, id: RecordId) -> Result<Option<RecordRow>> {
        self.read(move |c| {
            c.query_row(
                &format!("SELECT {RECORD_COLUMNS} FROM records WHERE id = ?1 AND tenant_id = ?2"),
                params![id.as_uuid(), tenant.as_uuid()],
                record_row,
            )
            .optional()
            .map_err(db_err)?
            .transpose()
        })
        .await
    }

    async fn log_key_destructions(
        &self,
        entries: &[NewKeyDestruction],
        audit: &NewAuditEvent,
    ) -> Result<Vec<KeyDestruction>> {
        let (entries, audit) = (entries.to_vec(), audit.clone());
        self.write(move |tx, key| {
            let stored = log_destructions(tx, &entries)?;
            append(tx, key, &audit)?;
            Ok(stored)
        })
        .await
    }

    async fn key_destructions(&self, after_seq: i64, limit: u32) -> Result<Vec<KeyDestruction>> {
        let limit = limit.min(MAX_DESTRUCTIONS_PAGE);
        self.read(move |c| {
            let mut stmt = c
                .prepare_cached(&format!(
                    "SELECT {DESTRUCTION_COLUMNS} FROM key_destructions WHERE seq > ?1 ORDER BY seq LIMIT ?2"
                ))
                .map_err(db_err)?;
            let rows = stmt
                .query_map(params![after_seq, limit], destruction_row)
                .map_err(db_err)?;
            rows.map(|r| r.map_err(db_err)?).collect()
        })
        .await
    }

    async fn key_destructions_head(&self) -> Result<i64> {
        self.read(|c| {
            c.query_row(
                "SELECT COALESCE(MAX(seq), 0) FROM key_destructions",
                [],
                |r| r.get(0),
            )
            .map_err(db_err)
        })
        .await
    }

    async fn subscription_by_index(&self, email_index: &[u8]) -> Result<Option<Subscription>> {
        self.n_subscription_by_index(email_index).await
    }

    async fn subscription(&self, id: Uuid) -> Result<Option<Subscription>> {
        self.n_subscription(id).await
    }

    async fn request_subscription(
        &self,
        request: &SubscriptionRequest,
        audit: &NewAuditEvent,
    ) -> Result<Subscription> {
        self.n_request(request, audit).await
    }

    async fn confirm_subscription(
        &self,
        id: Uuid,
        generation: i64,
        at: Timestamp,
        fanout: &[Fanout],
        audit: &NewAuditEvent,
    ) -> Result<Option<Subscription>> {
        self.n_confirm(id, generation, at, fanout, audit).await
    }

    async fn unsubscribe(&self, id: Uuid, at: Timestamp, audit: &NewAuditEvent) -> Result<bool> {
        self.n_unsubscribe(id, at, audit).await
    }

    async fn claim_notices(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> Result<Vec<ClaimedNotice>> {
        self.n_claim(now, lease_until, limit).await
    }

    async fn finish_notice(
        &self,
        seq: i64,
        at: Timestamp,
        outcome: &NoticeOutcome,
        audit: Option<&NewAuditEvent>,
    ) -> Result<()> {
        self.n_finish(seq, at, outcome, audit).await
    }

    async fn notice_stats(&self) -> Result<NoticeStats> {
        self.n_stats().await
    }

    async fn record_objection(
        &self,
        objection: &Objection,
        audit: &NewAuditEvent,
    ) -> Result<AuditEvent> {
        self.n_object(objection, audit).await
    }

    async fn objections(&self) -> Result<Vec<Objection>> {
        self.n_objections().await
    }

    async fn create_account(
        &self,
        account: &crate::AccountRow,
        mail: Option<&crate::NewAccountMail>,
        audit: &NewAuditEvent,
    ) -> Result<()> {
        self.a_create(account, mail, audit).await
    }

    async fn account(&self, id: Uuid) -> Result<Option<crate::AccountRow>> {
        self.a_get(id).await
    }

    async fn account_by_email(&self, email_index: &[u8]) -> Result<Option<crate::AccountRow>> {
        self.a_by_email(email_index).await
    }

    async fn accounts(&self, tenant: Option<TenantId>) -> Result<Vec<crate::AccountRow>> {
        self.a_list(tenant).await
    }

    async fn change_account(
        &self,
        id: Uuid,
        change: &crate::AccountChange,
        mail: Option<&crate::NewAccountMail>,
        audit: Option<&NewAuditEvent>,
    ) -> Result<bool> {
        self.a_change(id, change, mail, audit).await
    }

    async fn create_approval(
        &self,
        approval: &crate::ApprovalRow,
        grant: Option<&crate::GrantRow>,
        audit: &NewAuditEvent,
    ) -> Result<()> {
        self.x_create_approval(approval, grant, audit).await
    }

    async fn approval(&self, id: Uuid) -> Result<Option<crate::ApprovalRow>> {
        self.x_approval(id).await
    }

    async fn approvals(&self, state: Option<&str>, limit: u32) -> Result<Vec<crate::ApprovalRow>> {
        self.x_approvals(state, limit).await
    }

    async fn update_approval(
        &self,
        approval: &crate::ApprovalRow,
        from: &str,
        grant: Option<&crate::GrantRow>,
        audit: &NewAuditEvent,
    ) -> Result<bool> {
        self.x_update_approval(approval, from, grant, audit).await
    }

    async fn grant(&self, id: Uuid) -> Result<Option<crate::GrantRow>> {
        self.x_grant(id).await
    }

    async fn grants(&self, account: Option<Uuid>) -> Result<Vec<crate::GrantRow>> {
        self.x_grants(account).await
    }

    async fn end_grant(
        &self,
        id: Uuid,
        at: Timestamp,
        by: &str,
        audit: &NewAuditEvent,
    ) -> Result<bool> {
        self.x_end_grant(id, at, by, audit).await
    }

    async fn create_case(&self, case: &crate::CaseRow, audit: &NewAuditEvent) -> Result<()> {
        self.x_create_case(case, audit).await
    }

    async fn case(&self, id: Uuid) -> Result<Option<crate::CaseRow>> {
        self.x_case(id).await
    }

    async fn cases(&self, filter: &crate::CaseFilter) -> Result<Vec<crate::CaseRow>> {
        self.x_cases(filter).await
    }

    async fn create_rights_requests(
        &self,
        job: Option<&crate::RightsJobRow>,
        requests: &[crate::RightsRequestRow],
        outbox: &[crate::NewRightsOutbox],
        audit: &NewAuditEvent,
    ) -> Result<()> {
        self.r_create_requests(job, requests, outbox, audit).await
    }

    async fn rights_request(&self, id: uuid::Uuid) -> Result<Option<crate::RightsRequestRow>> {
        self.r_request(id).await
    }

    async fn rights_requests(
        &self,
        filter: &crate::RightsFilter,
    ) -> Result<Vec<crate::RightsRequestRow>> {
        self.r_requests(filter).await
    }

    async fn update_rights_request(
        &self,
        request: &crate::RightsRequestRow,
        outbox: &[crate::NewRightsOutbox],
        confirmation: Option<&crate::ConfirmationRow>,
        audit: &NewAuditEvent,
    ) -> Result<bool> {
        self.r_update_request(request, outbox, confirmation, audit)
            .await
    }

    async fn rights_job(&self, id: uuid::Uuid) -> Result<Option<crate::RightsJobRow>> {
        self.r_job(id).await
    }

    async fn rights_job_counts(&self, id: uuid::Uuid) -> Result<Vec<(String, i64)>> {
        self.r_job_counts(id).await
    }

    async fn unfinished_rights_jobs(&self) -> Result<Vec<crate::RightsJobRow>> {
        self.r_unfinished_jobs().await
    }

    async fn finish_rights_job(&self, id: uuid::Uuid, at: Timestamp) -> Result<()> {
        self.r_finish_job(id, at).await
    }

    async fn claim_rights_outbox(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> Result<Vec<crate::ClaimedRightsOutbox>> {
        self.r_claim_outbox(now, lease_until, limit).await
    }

    async fn finish_rights_outbox(
        &self,
        seq: i64,
        at: Timestamp,
        outcome: &NoticeOutcome,
    ) -> Result<()> {
        self.r_finish_outbox(seq, at, outcome).await
    }

    async fn rights_outbox(&self, request: uuid::Uuid) -> Result<Vec<crate::RightsOutboxRow>> {
        self.r_outbox(request).await
    }

    async fn confirmation(&self, request: uuid::Uuid) -> Result<Option<crate::ConfirmationRow>> {
        self.r_confirmation(request).await
    }

    async fn purge_confirmations(&self, now: Timestamp, audit: &NewAuditEvent) -> Result<u64> {
        self.r_purge_confirmations(now, audit).await
    }

    async fn create_verification_code(&self, code: &crate::VerificationCodeRow) -> Result<()> {
        self.r_create_code(code).await
    }

    async fn verification_code(
        &self,
        id: uuid::Uuid,
    ) -> Result<Option<crate::VerificationCodeRow>> {
        self.r_code(id).await
    }

    async fn verification_codes_since(&self, email_index: &[u8], since: Timestamp) -> Result<i64> {
        self.r_codes_since(email_index, since).await
    }

    async fn fail_verification_code(&self, id: uuid::Uuid) -> Result<Option<i64>> {
        self.r_fail_code(id).await
    }

    async fn use_verification_code(&self, id: uuid::Uuid, at: Timestamp) -> Result<bool> {
        self.r_use_code(id, at).await
    }

    async fn pair_drp_agent(
        &self,
        agent: &str,
        token_hash: &[u8],
        at: Timestamp,
        audit: &NewAuditEvent,
    ) -> Result<()> {
        self.r_pair_agent(agent, token_hash, at, audit).await
    }

    async fn drp_agent_by_token(&self, token_hash: &[u8]) -> Result<Option<String>> {
        self.r_agent_by_token(token_hash).await
    }

    async fn set_rights_webhook(
        &self,
        tenant: TenantId,
        url: Option<&str>,
        at: Timestamp,
        audit: &NewAuditEvent,
    ) -> Result<()> {
        self.r_set_webhook(tenant, url, at, audit).await
    }

    async fn rights_webhook(&self, tenant: TenantId) -> Result<Option<String>> {
        self.r_webhook(tenant).await
    }

    async fn update_case(&self, case: &crate::CaseRow, audit: &NewAuditEvent) -> Result<bool> {
        self.x_update_case(case, audit).await
    }

    async fn create_session(&self, session: &crate::SessionRow) -> Result<()> {
        self.a_create_session(session).await
    }

    async fn session(&self, token_hash: &[u8]) -> Result<Option<crate::SessionRow>> {
        self.a_session(token_hash).await
    }

    async fn touch_session(
        &self,
        token_hash: &[u8],
        at: Timestamp,
        expires_at: Timestamp,
    ) -> Result<()> {
        self.a_touch(token_hash, at, expires_at).await
    }

    async fn revoke_session(&self, token_hash: &[u8], at: Timestamp) -> Result<bool> {
        self.a_revoke(token_hash, at).await
    }

    async fn revoke_sessions(
        &self,
        account: Uuid,
        at: Timestamp,
        keep: Option<&[u8]>,
    ) -> Result<u64> {
        self.a_revoke_all(account, at, keep).await
    }

    async fn record_login(
        &self,
        attempt: &crate::LoginAttempt,
        mail: Option<&crate::NewAccountMail>,
    ) -> Result<()> {
        self.a_record_login(attempt, mail).await
    }

    async fn login_failures(
        &self,
        email_index: &[u8],
        ip: Option<&str>,
        since: Timestamp,
    ) -> Result<crate::LoginFailures> {
        self.a_failures(email_index, ip, since).await
    }

    async fn known_login(
        &self,
        account: Uuid,
        country: Option<&str>,
        device: Option<&str>,
    ) -> Result<(bool, bool)> {
        self.a_known(account, country, device).await
    }

    async fn claim_account_mail(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> Result<Vec<crate::ClaimedAccountMail>> {
        self.a_claim_mail(now, lease_until, limit).await
    }

    async fn finish_account_mail(
        &self,
        seq: i64,
        at: Timestamp,
        outcome: &NoticeOutcome,
    ) -> Result<()> {
        self.a_finish_mail(seq, at, outcome).await
    }

    async fn due_buckets(
        &self,
        now: Timestamp,
        after: Option<&BucketRow>,
        limit: u32,
    ) -> Result<Vec<BucketRow>> {
        let after = after.map(|b| (b.expires_at.map(micros), b.tenant.as_uuid(), b.name.clone()));
        self.r_due(now, after, limit).await
    }

    async fn claim_bucket(
        &self,
        tenant: TenantId,
        bucket: &str,
        holder: Uuid,
        now: Timestamp,
        lease_until: Timestamp,
    ) -> Result<bool> {
        self.r_claim(tenant, bucket, holder, now, lease_until).await
    }

    async fn bucket_census(
        &self,
        tenant: TenantId,
        bucket: &str,
    ) -> Result<crate::retention::Census> {
        self.r_census(tenant, bucket).await
    }

    async fn begin_expiry(
        &self,
        tenant: TenantId,
        bucket: &str,
        audit: &NewAuditEvent,
    ) -> Result<bool> {
        self.r_begin(tenant, bucket, audit).await
    }

    async fn count_expired(
        &self,
        tenant: TenantId,
        bucket: &str,
        census: &crate::retention::Census,
        audit: &NewAuditEvent,
    ) -> Result<bool> {
        self.r_count(tenant, bucket, census, audit).await
    }

    async fn finish_expiry(&self, tenant: TenantId, bucket: &str, at: Timestamp) -> Result<()> {
        self.r_finish_expiry(tenant, bucket, at).await
    }

    async fn purge_bucket(&self, tenant: TenantId, bucket: &str, limit: u32) -> Result<u64> {
        self.r_purge(tenant, bucket, limit).await
    }

    async fn finish_purge(
        &self,
        tenant: TenantId,
        bucket: &str,
        at: Timestamp,
        audit: &NewAuditEvent,
    ) -> Result<()> {
        self.r_finish_purge(tenant, bucket, at, audit).await
    }

    async fn buckets(&self, tenant: Option<TenantId>, limit: u32) -> Result<Vec<BucketRow>> {
        self.r_buckets(tenant, limit).await
    }

    async fn aggregates(&self, tenant: TenantId) -> Result<Vec<AggregateRow>> {
        self.r_aggregates(tenant).await
    }

    async fn place_hold(&self, hold: &LegalHold, audit: &NewAuditEvent) -> Result<()> {
        self.r_place_hold(hold, audit).await
    }

    async fn lift_hold(
        &self,
        tenant: TenantId,
        id: Uuid,
        at: Timestamp,
        by: &str,
        audit: &NewAuditEvent,
    ) -> Result<bool> {
        self.r_lift_hold(tenant, id, at, by, audit).await
    }

    async fn holds(&self, tenant: Option<TenantId>) -> Result<Vec<LegalHold>> {
        self.r_holds(tenant).await
    }

    async fn records_to_move(
        &self,
        tenant: TenantId,
        bucket: &str,
        subjects: &[SubjectId],
    ) -> Result<Vec<RecordToMove>> {
        self.r_to_move(tenant, bucket, subjects).await
    }

    async fn retention_terms(&self, tenant: TenantId) -> Result<crate::retention::RetentionTerms> {
        self.r_terms(tenant).await
    }

    async fn change_terms(
        &self,
        tenant: TenantId,
        change: &crate::retention::TermsChange,
        expiries: &[(String, Option<Timestamp>)],
        at: Timestamp,
        audit: &NewAuditEvent,
    ) -> Result<()> {
        self.r_change_terms(tenant, change, expiries, at, audit)
            .await
    }

    async fn delete_expired_naively(&self, before: Timestamp) -> Result<u64> {
        self.write(move |tx, _| {
            tx.execute(
                "DELETE FROM records WHERE expires_at_us < ?1",
                [micros(before)],
            )
            .map(|n| n as u64)
            .map_err(db_err)
        })
        .await
    }

    async fn later_interactions(
        &self,
        tenant: TenantId,
        bucket: &str,
        rule: &str,
        after: Timestamp,
    ) -> Result<Vec<(SubjectId, Timestamp)>> {
        let (bucket, rule) = (bucket.to_string(), rule.to_string());
        self.read(move |c| {
            let parts = partitions(c)?;
            let sql = format!(
                "SELECT o.subject_id, MAX(o.occurred_at_us) FROM records o INDEXED BY records_subject
                 WHERE {parts}o.subject_id IN (SELECT subject_id FROM records INDEXED BY records_bucket
                                             WHERE bucket = ?2 AND tenant_id = ?1 AND superseded = 0)
                   AND o.tenant_id = ?1 AND o.retention_rule = ?3 AND o.superseded = 0
                 GROUP BY o.subject_id HAVING MAX(o.occurred_at_us) >= ?4"
            );
            let mut stmt = c.prepare(&sql).map_err(db_err)?;
            let rows = stmt
                .query_map(params![tenant.as_uuid(), bucket, rule, micros(after)], |r| {
                    Ok((r.get::<_, Uuid>(0)?, r.get::<_, i64>(1)?))
                })
                .map_err(db_err)?;
            rows.map(|row| {
                let (s, at) = row.map_err(db_err)?;
                Ok((SubjectId::from_uuid(s), from_micros(at)?))
            })
            .collect()
        })
        .await
    }

    async fn bucket_records(
        &self,
        tenant: TenantId,
        bucket: &str,
        limit: u32,
    ) -> Result<Vec<RecordToMove>> {
        self.r_bucket_records(tenant, bucket, limit).await
    }

    async fn move_records(
        &self,
        tenant: TenantId,
        moves: &[RecordMove],
        buckets: &[NewBucket],
        audit: &NewAuditEvent,
    ) -> Result<()> {
        self.r_move(tenant, moves, buckets, audit).await
    }
}

/// Appends to the erasure log, numbering on from the newest entry (the single writer makes the
/// numbers gap-free and in commit order).
fn log_destructions(
    tx: &Transaction<'_>,
    entries: &[NewKeyDestruction],
) -> Result<Vec<KeyDestruction>> {
    let head: i64 = tx
        .query_row(
            "SELECT COALESCE(MAX(seq), 0) FROM key_destructions",
            [],
            |r| r.get(0),
        )
        .map_err(db_err)?;
    let mut insert = tx
        .prepare_cached(&format!(
            "INSERT INTO key_destructions ({DESTRUCTION_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
        ))
        .map_err(db_err)?;
    let mut stored = Vec::with_capacity(entries.len());
    for (seq, e) in (head + 1..).zip(entries) {
        let (subject, scope, bucket) = match &e.key {
            KeyRef::Subject { subject, scope } => {
                (Some(subject.as_uuid()), Some(scope.as_str()), None)
            }
            KeyRef::Bucket(bucket) => (None, None, Some(bucket.as_str())),
        };
        insert
            .execute(params![
                seq,
                e.tenant.as_uuid(),
                e.key.kind(),
                subject,
                scope,
                bucket,
                e.key_digest.as_ref().map(|d| d.as_slice()),
                e.reason,
                micros(e.at),
            ])
            .map_err(db_err)?;
        stored.push(KeyDestruction {
            seq,
            tenant: e.tenant,
            key: e.key.clone(),
            key_digest: e.key_digest,
            reason: e.reason.clone(),
            at: e.at,
        });
    }
    Ok(stored)
}

fn destruction_row(r: &Row<'_>) -> rusqlite::Result<Result<KeyDestruction>> {
    let seq: i64 = r.get(0)?;
    let tenant: Uuid = r.get(1)?;
    let kind: String = r.get(2)?;
    let subject: Option<Uuid> = r.get(3)?;
    let scope: Option<String> = r.get(4)?;
    let bucket: Option<String> = r.get(5)?;
    let digest: Option<Vec<u8>> = r.get(6)?;
    let reason: String = r.get(7)?;
    let at: i64 = r.get(8)?;
    Ok((|| {
        Ok(KeyDestruction {
            seq,
            tenant: TenantId::from_uuid(tenant),
            key: stored_key(seq, &kind, subject.map(SubjectId::from_uuid), scope, bucket)?,
            key_digest: stored_digest(seq, digest)?,
            reason,
            at: from_micros(at)?,
        })
    })())
}

pub(crate) const RECORD_COLUMNS: &str = "id, tenant_id, subject_id, product, categories, purpose, legal_basis, source, role, \
     country, occurred_at_us, ingested_at_us, retention_rule, bucket, key_scope, expires_at_us, version, supersedes, \
     superseded, wrapped_key, payload";

fn record_row(r: &Row<'_>) -> rusqlite::Result<Result<RecordRow>> {
    let categories: String = r.get(4)?;
    let occurred: i64 = r.get(10)?;
    let ingested: i64 = r.get(11)?;
    let expires: Option<i64> = r.get(15)?;
    let superseded: i64 = r.get(18)?;
    let row = (|| -> Result<RecordRow> {
        Ok(RecordRow {
            id: RecordId::from_uuid(r.get(0).map_err(db_err)?),
            tenant: TenantId::from_uuid(r.get(1).map_err(db_err)?),
            subject: SubjectId::from_uuid(r.get(2).map_err(db_err)?),
            product: r.get(3).map_err(db_err)?,
            categories: categories.split_whitespace().map(str::to_string).collect(),
            purpose: r.get(5).map_err(db_err)?,
            legal_basis: r.get(6).map_err(db_err)?,
            source: r.get(7).map_err(db_err)?,
            role: r.get(8).map_err(db_err)?,
            country: r.get(9).map_err(db_err)?,
            occurred_at: from_micros(occurred)?,
            ingested_at: from_micros(ingested)?,
            retention_rule: r.get(12).map_err(db_err)?,
            bucket: r.get(13).map_err(db_err)?,
            key_scope: r.get(14).map_err(db_err)?,
            expires_at: expires.map(from_micros).transpose()?,
            version: r.get(16).map_err(db_err)?,
            supersedes: r
                .get::<_, Option<Uuid>>(17)
                .map_err(db_err)?
                .map(RecordId::from_uuid),
            superseded: superseded != 0,
            wrapped_key: r.get(19).map_err(db_err)?,
            payload: r.get(20).map_err(db_err)?,
        })
    })();
    Ok(row)
}

/// Rows per partition of the subject index (see migration 4).
const PARTITION_ROWS: i64 = 1 << 16;

/// `part IN (0, 1, …, newest) AND `: the partitions a subject's records may be in.
fn partitions(c: &Connection) -> Result<String> {
    let newest: i64 = c
        .query_row("SELECT COALESCE(MAX(part), 0) FROM records", [], |r| {
            r.get(0)
        })
        .map_err(db_err)?;
    let list: Vec<String> = (0..=newest).map(|p| p.to_string()).collect();
    Ok(format!("part IN ({}) AND ", list.join(", ")))
}

fn store_batch(tx: &Transaction<'_>, key: &ChainKey, batch: &RecordBatch) -> Result<AuditEvent> {
    let tenant = batch.tenant.as_uuid();
    retention::register(tx, tenant, &batch.buckets)?;
    // The partition of the subject index this batch goes to: one per 65 536 rows inserted.
    let part: i64 = tx
        .query_row("SELECT COALESCE(MAX(rowid), 0) FROM records", [], |r| {
            r.get::<_, i64>(0)
        })
        .map_err(db_err)?
        .saturating_add(1)
        / PARTITION_ROWS;
    {
        let mut insert = tx
            .prepare_cached(
                "INSERT INTO subjects (id, tenant_id, created_at_us) VALUES (?1, ?2, ?3)",
            )
            .map_err(db_err)?;
        for s in &batch.subjects {
            insert
                .execute(params![s.id.as_uuid(), tenant, micros(s.created_at)])
                .map_err(db_err)?;
        }
    }
    {
        let mut link = tx
            .prepare_cached(
                "INSERT INTO subject_identifiers (tenant_id, blind_index, kind, subject_id) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (tenant_id, blind_index) DO NOTHING",
            )
            .map_err(db_err)?;
        let mut check = tx
            .prepare_cached("SELECT subject_id FROM subject_identifiers WHERE tenant_id = ?1 AND blind_index = ?2")
            .map_err(db_err)?;
        for l in &batch.links {
            let inserted = link
                .execute(params![tenant, l.blind_index, l.kind, l.subject.as_uuid()])
                .map_err(db_err)?;
            if inserted == 1 {
                continue;
            }
            // Linked meanwhile: by another batch, to the same subject or to another.
            let linked: Uuid = check
                .query_row(params![tenant, l.blind_index], |r| r.get(0))
                .map_err(db_err)?;
            if linked != l.subject.as_uuid() {
                return Err(StoreError::Raced(
                    "an identifier of this batch was linked to another subject meanwhile; retry the request".into(),
                ));
            }
        }
    }
    {
        let mut insert = tx
            .prepare_cached(&format!(
                "INSERT INTO records ({RECORD_COLUMNS}, part) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, \
                 ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)"
            ))
            .map_err(db_err)?;
        for r in &batch.records {
            insert
                .execute(params![
                    r.id.as_uuid(),
                    tenant,
                    r.subject.as_uuid(),
                    r.product,
                    r.categories.join(" "),
                    r.purpose,
                    r.legal_basis,
                    r.source,
                    r.role,
                    r.country,
                    micros(r.occurred_at),
                    micros(r.ingested_at),
                    r.retention_rule,
                    r.bucket,
                    r.key_scope,
                    r.expires_at.map(micros),
                    r.version,
                    r.supersedes.map(|s| s.as_uuid()),
                    i64::from(r.superseded),
                    r.wrapped_key,
                    r.payload,
                    part,
                ])
                .map_err(db_err)?;
            if let Some(old) = r.supersedes {
                tx.execute(
                    "UPDATE records SET superseded = 1, wrapped_key = X'' WHERE id = ?1 AND tenant_id = ?2",
                    params![old.as_uuid(), tenant],
                )
                .map_err(db_err)?;
            }
        }
    }
    if !batch.consents.is_empty() || !batch.consent_texts.is_empty() {
        let seen = batch.audit.at;
        let texts: Vec<_> = batch
            .consent_texts
            .iter()
            .map(|t| (batch.tenant, t.clone(), seen))
            .collect();
        consent::insert(tx, &batch.consents, &texts)?;
    }
    if let Some(entry) = &batch.idempotency {
        tx.execute(
            "INSERT INTO idempotency_keys (tenant_id, key, request_hash, response, created_at_us) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![tenant, entry.key, entry.request_hash, entry.response, micros(batch.audit.at)],
        )
        .map_err(|e| match db_err(e) {
            StoreError::Conflict(_) => StoreError::Conflict("this Idempotency-Key was used by a request in progress".into()),
            other => other,
        })?;
    }
    append(tx, key, &batch.audit)
}
