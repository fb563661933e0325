//! The key store: wrapped subject and bucket keys, kept apart from the data (its own SQLite file
//! or PostgreSQL schema) so that it is backed up on its own, short schedule. Destroying a key
//! here makes every record it protects unreadable, in every copy of the data.
//!
//! Keys are destroyed only by applying entries of the erasure log, which lives in the data store
//! ([`crate::destructions`]); the key store records how far it has applied that log, so a copy
//! restored from an older backup replays exactly the destructions logged since it was made.

use std::path::PathBuf;
use std::sync::Arc;

use async_trait::async_trait;
use custodian_core::{SubjectId, TenantId};
use jiff::Timestamp;
use rusqlite::params;
use uuid::Uuid;

use crate::destructions::{Applied, KeyDestruction, KeyRef, key_digest};
use crate::location::{Location, SQLITE_FILE};
use crate::migrate::{LATEST_KEYS_VERSION, POSTGRES_KEYS, SQLITE_KEYS};
use crate::{Result, StoreError, micros, postgres, sqlite};

/// The file name of the SQLite key store, beside the data.
pub const SQLITE_KEYS_FILE: &str = "keys.db";

/// A subject's wrapped key of one scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectKeyRow {
    /// The subject.
    pub subject: SubjectId,
    /// `erasable` or `legal`.
    pub scope: String,
    /// The key, wrapped by the master key.
    pub wrapped: Vec<u8>,
}

/// A bucket's wrapped key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BucketKeyRow {
    /// The bucket (`<rule>/<expiry day>` or `<rule>/open`).
    pub bucket: String,
    /// The key, wrapped by the master key.
    pub wrapped: Vec<u8>,
}

/// Where keys live.
#[async_trait]
pub trait KeyStore: Send + Sync + std::fmt::Debug + 'static {
    /// The wrapped keys of these subjects (every scope that exists).
    async fn subject_keys(
        &self,
        tenant: TenantId,
        subjects: &[SubjectId],
    ) -> Result<Vec<SubjectKeyRow>>;

    /// Stores keys for subjects that have none of that scope yet; existing keys are kept, so
    /// concurrent creators end up with one key. Returns the keys now stored for them.
    async fn create_subject_keys(
        &self,
        tenant: TenantId,
        keys: &[SubjectKeyRow],
        at: Timestamp,
    ) -> Result<Vec<SubjectKeyRow>>;

    /// The wrapped keys of these buckets of a tenant.
    async fn bucket_keys(&self, tenant: TenantId, buckets: &[String]) -> Result<Vec<BucketKeyRow>>;

    /// Stores keys for buckets that have none; returns the keys now stored for them.
    async fn create_bucket_keys(
        &self,
        tenant: TenantId,
        keys: &[BucketKeyRow],
        at: Timestamp,
    ) -> Result<Vec<BucketKeyRow>>;

    /// Applies entries of the erasure log, in one transaction: each key is destroyed if it is
    /// the key the entry names (same digest) or, for an entry logged when there was no key, if
    /// it was created no later than the entry. A key made afterwards for the same subject or
    /// bucket is kept, and a key already gone is fine.
    ///
    /// `entries` must be every entry after `after_seq` up to the last one given, in order. If
    /// the cursor stands between `after_seq` and that last entry, it moves to the last entry;
    /// a cursor behind `after_seq` stays, since the entries before are not known applied.
    async fn apply_destructions(
        &self,
        entries: &[KeyDestruction],
        after_seq: i64,
    ) -> Result<Applied>;

    /// The last entry of the erasure log this key store has applied (every older one is
    /// applied too); 0 for none.
    async fn replayed_through(&self) -> Result<i64>;

    /// Moves the cursor back to `seq` if it is beyond it (the erasure log is shorter than the
    /// key store remembers: the data store was restored from an older copy).
    async fn rewind_replay_cursor(&self, seq: i64) -> Result<()>;
}

/// Opens the key store that belongs with `location`: `keys.db` beside a SQLite database, or
/// the `custodian_keys` schema of a PostgreSQL database.
pub async fn open_keys(location: &Location) -> Result<Arc<dyn KeyStore>> {
    match location {
        Location::Postgres(url) => {
            let pool = postgres::pool(url.expose())?;
            let mut client = pool.get().await.map_err(postgres::pool_err)?;
            postgres::migrate(
                &mut client,
                POSTGRES_KEYS,
                LATEST_KEYS_VERSION,
                Some("custodian_keys"),
            )
            .await?;
            Ok(Arc::new(PgKeyStore { pool }))
        }
        other => {
            let (data, create) = sqlite::sqlite_path(other)?;
            let path = keys_path(&data);
            let pool = sqlite::Pool::open(
                &path,
                create || data.exists(),
                SQLITE_KEYS,
                LATEST_KEYS_VERSION,
            )
            .await?;
            Ok(Arc::new(SqliteKeyStore {
                pool: Arc::new(pool),
                path,
            }))
        }
    }
}

/// The key file beside a SQLite data file: `keys.db` in a data directory, `NAME.keys.db` for
/// a database named by URL.
fn keys_path(data: &std::path::Path) -> PathBuf {
    match data.file_name().and_then(|f| f.to_str()) {
        Some(SQLITE_FILE) | None => data.with_file_name(SQLITE_KEYS_FILE),
        Some(name) => data.with_file_name(format!("{name}.keys.db")),
    }
}

struct SqliteKeyStore {
    pool: Arc<sqlite::Pool>,
    path: PathBuf,
}

impl std::fmt::Debug for SqliteKeyStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteKeyStore")
            .field("path", &self.path)
            .finish()
    }
}

fn sq(e: rusqlite::Error) -> StoreError {
    StoreError::Database(format!("key store: {e}"))
}

fn subject_rows(
    c: &rusqlite::Connection,
    tenant: Uuid,
    subjects: &[SubjectId],
) -> Result<Vec<SubjectKeyRow>> {
    // Many subjects per statement: one statement step per chunk instead of one query per
    // subject (an ingest batch asks for thousands).
    const CHUNK: usize = 256;
    let mut out = Vec::with_capacity(subjects.len() * 2);
    for chunk in subjects.chunks(CHUNK) {
        let marks = vec!["?"; chunk.len()].join(", ");
        let mut stmt = c
            .prepare_cached(&format!(
                "SELECT subject_id, scope, wrapped FROM subject_keys WHERE tenant_id = ? AND subject_id IN ({marks})"
            ))
            .map_err(sq)?;
        let params = std::iter::once(tenant)
            .chain(chunk.iter().map(|s| s.as_uuid()))
            .collect::<Vec<Uuid>>();
        let rows = stmt
            .query_map(rusqlite::params_from_iter(params), |r| {
                Ok(SubjectKeyRow {
                    subject: SubjectId::from_uuid(r.get(0)?),
                    scope: r.get(1)?,
                    wrapped: r.get(2)?,
                })
            })
            .map_err(sq)?;
        for row in rows {
            out.push(row.map_err(sq)?);
        }
    }
    Ok(out)
}

fn bucket_rows(
    c: &rusqlite::Connection,
    tenant: Uuid,
    buckets: &[String],
) -> Result<Vec<BucketKeyRow>> {
    let mut stmt = c
        .prepare_cached("SELECT wrapped FROM bucket_keys WHERE tenant_id = ?1 AND bucket = ?2")
        .map_err(sq)?;
    let mut out = Vec::new();
    for bucket in buckets {
        let wrapped: Option<Vec<u8>> = rusqlite::OptionalExtension::optional(
            stmt.query_row(params![tenant, bucket], |r| r.get(0)),
        )
        .map_err(sq)?;
        if let Some(wrapped) = wrapped {
            out.push(BucketKeyRow {
                bucket: bucket.clone(),
                wrapped,
            });
        }
    }
    Ok(out)
}

/// Whether the stored key (`wrapped`, made at `created_us`) is the one `entry` destroyed.
fn logged_key(entry: &KeyDestruction, wrapped: &[u8], created_us: i64) -> bool {
    match &entry.key_digest {
        Some(digest) => key_digest(wrapped) == *digest,
        None => created_us <= micros(entry.at),
    }
}

/// Destroys the key an entry names, if it is still there; returns how many were destroyed.
fn sqlite_destroy(tx: &rusqlite::Transaction<'_>, entry: &KeyDestruction) -> Result<u64> {
    let tenant = entry.tenant.as_uuid();
    let found: Option<(Vec<u8>, i64)> = match &entry.key {
        KeyRef::Subject { subject, scope } => rusqlite::OptionalExtension::optional(
            tx.prepare_cached(
                "SELECT wrapped, created_at_us FROM subject_keys WHERE tenant_id = ?1 AND subject_id = ?2 AND scope = ?3",
            )
            .map_err(sq)?
            .query_row(params![tenant, subject.as_uuid(), scope], |r| Ok((r.get(0)?, r.get(1)?))),
        ),
        KeyRef::Bucket(bucket) => rusqlite::OptionalExtension::optional(
            tx.prepare_cached(
                "SELECT wrapped, created_at_us FROM bucket_keys WHERE tenant_id = ?1 AND bucket = ?2",
            )
            .map_err(sq)?
            .query_row(params![tenant, bucket], |r| Ok((r.get(0)?, r.get(1)?))),
        ),
    }
    .map_err(sq)?;
    let Some((wrapped, created)) = found else {
        return Ok(0);
    };
    if !logged_key(entry, &wrapped, created) {
        return Ok(0);
    }
    let gone = match &entry.key {
        KeyRef::Subject { subject, scope } => tx.execute(
            "DELETE FROM subject_keys WHERE tenant_id = ?1 AND subject_id = ?2 AND scope = ?3",
            params![tenant, subject.as_uuid(), scope],
        ),
        KeyRef::Bucket(bucket) => tx.execute(
            "DELETE FROM bucket_keys WHERE tenant_id = ?1 AND bucket = ?2",
            params![tenant, bucket],
        ),
    }
    .map_err(sq)?;
    Ok(gone as u64)
}

#[async_trait]
impl KeyStore for SqliteKeyStore {
    async fn subject_keys(
        &self,
        tenant: TenantId,
        subjects: &[SubjectId],
    ) -> Result<Vec<SubjectKeyRow>> {
        let subjects = subjects.to_vec();
        self.pool
            .read(move |c| subject_rows(c, tenant.as_uuid(), &subjects))
            .await
    }

    async fn create_subject_keys(
        &self,
        tenant: TenantId,
        keys: &[SubjectKeyRow],
        at: Timestamp,
    ) -> Result<Vec<SubjectKeyRow>> {
        let keys = keys.to_vec();
        self.pool
            .write(move |tx| {
                {
                    let mut insert = tx
                        .prepare_cached(
                            "INSERT INTO subject_keys (tenant_id, subject_id, scope, wrapped, created_at_us)
                             VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
                        )
                        .map_err(sq)?;
                    for k in &keys {
                        insert
                            .execute(params![tenant.as_uuid(), k.subject.as_uuid(), k.scope, k.wrapped, micros(at)])
                            .map_err(sq)?;
                    }
                }
                let mut subjects: Vec<SubjectId> = keys.iter().map(|k| k.subject).collect();
                subjects.dedup();
                subject_rows(tx, tenant.as_uuid(), &subjects)
            })
            .await
    }

    async fn bucket_keys(&self, tenant: TenantId, buckets: &[String]) -> Result<Vec<BucketKeyRow>> {
        let buckets = buckets.to_vec();
        self.pool
            .read(move |c| bucket_rows(c, tenant.as_uuid(), &buckets))
            .await
    }

    async fn create_bucket_keys(
        &self,
        tenant: TenantId,
        keys: &[BucketKeyRow],
        at: Timestamp,
    ) -> Result<Vec<BucketKeyRow>> {
        let keys = keys.to_vec();
        self.pool
            .write(move |tx| {
                {
                    let mut insert = tx
                        .prepare_cached(
                            "INSERT INTO bucket_keys (bucket, tenant_id, wrapped, created_at_us) VALUES (?1, ?2, ?3, ?4)
                             ON CONFLICT DO NOTHING",
                        )
                        .map_err(sq)?;
                    for k in &keys {
                        insert.execute(params![k.bucket, tenant.as_uuid(), k.wrapped, micros(at)]).map_err(sq)?;
                    }
                }
                let buckets: Vec<String> = keys.iter().map(|k| k.bucket.clone()).collect();
                bucket_rows(tx, tenant.as_uuid(), &buckets)
            })
            .await
    }

    async fn apply_destructions(
        &self,
        entries: &[KeyDestruction],
        after_seq: i64,
    ) -> Result<Applied> {
        let entries = entries.to_vec();
        self.pool
            .write(move |tx| {
                let mut destroyed = 0;
                for entry in &entries {
                    destroyed += sqlite_destroy(tx, entry)?;
                }
                if let Some(last) = entries.last() {
                    tx.execute(
                        "UPDATE replay_cursor SET replayed_through = ?2
                         WHERE id = 1 AND replayed_through >= ?1 AND replayed_through < ?2",
                        params![after_seq, last.seq],
                    )
                    .map_err(sq)?;
                }
                let replayed_through = tx
                    .query_row(
                        "SELECT replayed_through FROM replay_cursor WHERE id = 1",
                        [],
                        |r| r.get(0),
                    )
                    .map_err(sq)?;
                Ok(Applied {
                    destroyed,
                    replayed_through,
                })
            })
            .await
    }

    async fn replayed_through(&self) -> Result<i64> {
        self.pool
            .read(|c| {
                c.query_row(
                    "SELECT replayed_through FROM replay_cursor WHERE id = 1",
                    [],
                    |r| r.get(0),
                )
                .map_err(sq)
            })
            .await
    }

    async fn rewind_replay_cursor(&self, seq: i64) -> Result<()> {
        self.pool
            .write(move |tx| {
                tx.execute(
                    "UPDATE replay_cursor SET replayed_through = ?1 WHERE id = 1 AND replayed_through > ?1",
                    [seq],
                )
                .map_err(sq)?;
                Ok(())
            })
            .await
    }
}

struct PgKeyStore {
    pool: deadpool_postgres::Pool,
}

impl std::fmt::Debug for PgKeyStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PgKeyStore(custodian_keys)")
    }
}

impl PgKeyStore {
    async fn client(&self) -> Result<deadpool_postgres::Object> {
        self.pool.get().await.map_err(postgres::pool_err)
    }
}

async fn pg_subject_rows(
    client: &impl deadpool_postgres::GenericClient,
    tenant: TenantId,
    subjects: &[SubjectId],
) -> Result<Vec<SubjectKeyRow>> {
    let ids: Vec<Uuid> = subjects.iter().map(|s| s.as_uuid()).collect();
    let rows = client
        .query(
            "SELECT subject_id, scope, wrapped FROM custodian_keys.subject_keys WHERE tenant_id = $1 AND subject_id = ANY($2)",
            &[&tenant.as_uuid(), &ids],
        )
        .await
        .map_err(postgres::pg_err)?;
    Ok(rows
        .iter()
        .map(|r| SubjectKeyRow {
            subject: SubjectId::from_uuid(r.get(0)),
            scope: r.get(1),
            wrapped: r.get(2),
        })
        .collect())
}

async fn pg_bucket_rows(
    client: &impl deadpool_postgres::GenericClient,
    tenant: TenantId,
    buckets: &[String],
) -> Result<Vec<BucketKeyRow>> {
    let rows = client
        .query(
            "SELECT bucket, wrapped FROM custodian_keys.bucket_keys WHERE tenant_id = $1 AND bucket = ANY($2)",
            &[&tenant.as_uuid(), &buckets],
        )
        .await
        .map_err(postgres::pg_err)?;
    Ok(rows
        .iter()
        .map(|r| BucketKeyRow {
            bucket: r.get(0),
            wrapped: r.get(1),
        })
        .collect())
}

#[async_trait]
impl KeyStore for PgKeyStore {
    async fn subject_keys(
        &self,
        tenant: TenantId,
        subjects: &[SubjectId],
    ) -> Result<Vec<SubjectKeyRow>> {
        pg_subject_rows(&self.client().await?, tenant, subjects).await
    }

    async fn create_subject_keys(
        &self,
        tenant: TenantId,
        keys: &[SubjectKeyRow],
        at: Timestamp,
    ) -> Result<Vec<SubjectKeyRow>> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(postgres::pg_err)?;
        let insert = tx
            .prepare(
                "INSERT INTO custodian_keys.subject_keys (tenant_id, subject_id, scope, wrapped, created_at_us)
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
            )
            .await
            .map_err(postgres::pg_err)?;
        for k in keys {
            tx.execute(
                &insert,
                &[
                    &tenant.as_uuid(),
                    &k.subject.as_uuid(),
                    &k.scope,
                    &k.wrapped,
                    &micros(at),
                ],
            )
            .await
            .map_err(postgres::pg_err)?;
        }
        let mut subjects: Vec<SubjectId> = keys.iter().map(|k| k.subject).collect();
        subjects.dedup();
        let rows = pg_subject_rows(&tx, tenant, &subjects).await?;
        tx.commit().await.map_err(postgres::pg_err)?;
        Ok(rows)
    }

    async fn bucket_keys(&self, tenant: TenantId, buckets: &[String]) -> Result<Vec<BucketKeyRow>> {
        pg_bucket_rows(&self.client().await?, tenant, buckets).await
    }

    async fn create_bucket_keys(
        &self,
        tenant: TenantId,
        keys: &[BucketKeyRow],
        at: Timestamp,
    ) -> Result<Vec<BucketKeyRow>> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(postgres::pg_err)?;
        for k in keys {
            tx.execute(
                "INSERT INTO custodian_keys.bucket_keys (bucket, tenant_id, wrapped, created_at_us) VALUES ($1, $2, $3, $4)
                 ON CONFLICT DO NOTHING",
                &[&k.bucket, &tenant.as_uuid(), &k.wrapped, &micros(at)],
            )
            .await
            .map_err(postgres::pg_err)?;
        }
        let buckets: Vec<String> = keys.iter().map(|k| k.bucket.clone()).collect();
        let rows = pg_bucket_rows(&tx, tenant, &buckets).await?;
        tx.commit().await.map_err(postgres::pg_err)?;
        Ok(rows)
    }

    async fn apply_destructions(
        &self,
        entries: &[KeyDestruction],
        after_seq: i64,
    ) -> Result<Applied> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(postgres::pg_err)?;
        let subject = tx
            .prepare(
                "DELETE FROM custodian_keys.subject_keys
                 WHERE tenant_id = $1 AND subject_id = $2 AND scope = $3
                   AND CASE WHEN $4::bytea IS NULL THEN created_at_us <= $5 ELSE sha256(wrapped) = $4 END",
            )
            .await
            .map_err(postgres::pg_err)?;
        let bucket = tx
            .prepare(
                "DELETE FROM custodian_keys.bucket_keys
                 WHERE tenant_id = $1 AND bucket = $2
                   AND CASE WHEN $3::bytea IS NULL THEN created_at_us <= $4 ELSE sha256(wrapped) = $3 END",
            )
            .await
            .map_err(postgres::pg_err)?;
        let mut destroyed = 0;
        for e in entries {
            let digest = e.key_digest.as_ref().map(|d| d.as_slice());
            destroyed += match &e.key {
                KeyRef::Subject { subject: s, scope } => {
                    tx.execute(
                        &subject,
                        &[
                            &e.tenant.as_uuid(),
                            &s.as_uuid(),
                            scope,
                            &digest,
                            &micros(e.at),
                        ],
                    )
                    .await
                }
                KeyRef::Bucket(b) => {
                    tx.execute(&bucket, &[&e.tenant.as_uuid(), b, &digest, &micros(e.at)])
                        .await
                }
            }
            .map_err(postgres::pg_err)?;
        }
        if let Some(last) = entries.last() {
            tx.execute(
                "UPDATE custodian_keys.replay_cursor SET replayed_through = $2
                 WHERE id = 1 AND replayed_through >= $1 AND replayed_through < $2",
                &[&after_seq, &last.seq],
            )
            .await
            .map_err(postgres::pg_err)?;
        }
        let replayed_through: i64 = tx
            .query_one(
                "SELECT replayed_through FROM custodian_keys.replay_cursor WHERE id = 1",
                &[],
            )
            .await
            .map_err(postgres::pg_err)?
            .get(0);
        tx.commit().await.map_err(postgres::pg_err)?;
        Ok(Applied {
            destroyed,
            replayed_through,
        })
    }

    async fn replayed_through(&self) -> Result<i64> {
        Ok(self
            .client()
            .await?
            .query_one(
                "SELECT replayed_through FROM custodian_keys.replay_cursor WHERE id = 1",
                &[],
            )
            .await
            .map_err(postgres::pg_err)?
            .get(0))
    }

    async fn rewind_replay_cursor(&self, seq: i64) -> Result<()> {
        self.client()
            .await?
            .execute(
                "UPDATE custodian_keys.replay_cursor SET replayed_through = $1 WHERE id = 1 AND replayed_through > $1",
                &[&seq],
            )
            .await
            .map_err(postgres::pg_err)?;
        Ok(())
    }
}
