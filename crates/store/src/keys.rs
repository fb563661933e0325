//! The key store: wrapped subject and bucket keys, kept apart from the data (its own SQLite file
//! or PostgreSQL schema) so that it is backed up on its own, short schedule. Destroying a key
//! here makes every record it protects unreadable, in every copy of the data.

use std::path::PathBuf;
use std::sync::Arc;

use async_trait::async_trait;
use custodian_core::{SubjectId, TenantId};
use jiff::Timestamp;
use rusqlite::params;
use uuid::Uuid;

use crate::location::{Location, SQLITE_FILE};
use crate::migrate::{LATEST_KEYS_VERSION, POSTGRES_KEYS, SQLITE_KEYS};
use crate::{Result, StoreError, from_micros, micros, postgres, sqlite};

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

/// A destroyed key, as recorded for replay after a restore.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DestroyedKey {
    /// `subject` or `bucket`.
    pub kind: String,
    /// Which key (`<tenant>/<subject>/<scope>` or `<tenant>/<bucket>`).
    pub reference: String,
    /// When.
    pub at: Timestamp,
    /// Why (`erasure`, `expiry`, `rectification` …).
    pub reason: String,
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

    /// Destroys a subject's key of one scope; `false` if there was none.
    async fn destroy_subject_key(
        &self,
        tenant: TenantId,
        subject: SubjectId,
        scope: &str,
        at: Timestamp,
        reason: &str,
    ) -> Result<bool>;

    /// The wrapped keys of these buckets of a tenant.
    async fn bucket_keys(&self, tenant: TenantId, buckets: &[String]) -> Result<Vec<BucketKeyRow>>;

    /// Stores keys for buckets that have none; returns the keys now stored for them.
    async fn create_bucket_keys(
        &self,
        tenant: TenantId,
        keys: &[BucketKeyRow],
        at: Timestamp,
    ) -> Result<Vec<BucketKeyRow>>;

    /// Destroys a bucket's key; `false` if there was none.
    async fn destroy_bucket_key(
        &self,
        tenant: TenantId,
        bucket: &str,
        at: Timestamp,
        reason: &str,
    ) -> Result<bool>;

    /// Every destroyed key, oldest first.
    async fn destroyed(&self) -> Result<Vec<DestroyedKey>>;
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
    let mut stmt = c
        .prepare_cached(
            "SELECT scope, wrapped FROM subject_keys WHERE tenant_id = ?1 AND subject_id = ?2",
        )
        .map_err(sq)?;
    let mut out = Vec::new();
    for subject in subjects {
        let rows = stmt
            .query_map(params![tenant, subject.as_uuid()], |r| {
                Ok(SubjectKeyRow {
                    subject: *subject,
                    scope: r.get(0)?,
                    wrapped: r.get(1)?,
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

fn bucket_ref(tenant: TenantId, bucket: &str) -> String {
    format!("{tenant}/{bucket}")
}

fn subject_ref(tenant: TenantId, subject: SubjectId, scope: &str) -> String {
    format!("{tenant}/{subject}/{scope}")
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

    async fn destroy_subject_key(
        &self,
        tenant: TenantId,
        subject: SubjectId,
        scope: &str,
        at: Timestamp,
        reason: &str,
    ) -> Result<bool> {
        let (scope, reason) = (scope.to_string(), reason.to_string());
        self.pool
            .write(move |tx| {
                let gone = tx
                    .execute(
                        "DELETE FROM subject_keys WHERE tenant_id = ?1 AND subject_id = ?2 AND scope = ?3",
                        params![tenant.as_uuid(), subject.as_uuid(), scope],
                    )
                    .map_err(sq)?;
                tx.execute(
                    "INSERT INTO destroyed_keys (kind, reference, destroyed_at_us, reason) VALUES ('subject', ?1, ?2, ?3)
                     ON CONFLICT DO NOTHING",
                    params![subject_ref(tenant, subject, &scope), micros(at), reason],
                )
                .map_err(sq)?;
                Ok(gone > 0)
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

    async fn destroy_bucket_key(
        &self,
        tenant: TenantId,
        bucket: &str,
        at: Timestamp,
        reason: &str,
    ) -> Result<bool> {
        let (bucket, reason) = (bucket.to_string(), reason.to_string());
        self.pool
            .write(move |tx| {
                let gone = tx
                    .execute(
                        "DELETE FROM bucket_keys WHERE tenant_id = ?1 AND bucket = ?2",
                        params![tenant.as_uuid(), bucket],
                    )
                    .map_err(sq)?;
                tx.execute(
                    "INSERT INTO destroyed_keys (kind, reference, destroyed_at_us, reason) VALUES ('bucket', ?1, ?2, ?3)
                     ON CONFLICT DO NOTHING",
                    params![bucket_ref(tenant, &bucket), micros(at), reason],
                )
                .map_err(sq)?;
                Ok(gone > 0)
            })
            .await
    }

    async fn destroyed(&self) -> Result<Vec<DestroyedKey>> {
        self.pool
            .read(|c| {
                let mut stmt = c
                    .prepare("SELECT kind, reference, destroyed_at_us, reason FROM destroyed_keys ORDER BY destroyed_at_us")
                    .map_err(sq)?;
                let rows = stmt
                    .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?, r.get::<_, String>(3)?)))
                    .map_err(sq)?;
                rows.map(|r| {
                    let (kind, reference, at, reason) = r.map_err(sq)?;
                    Ok(DestroyedKey { kind, reference, at: from_micros(at)?, reason })
                })
                .collect()
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

    async fn destroy_subject_key(
        &self,
        tenant: TenantId,
        subject: SubjectId,
        scope: &str,
        at: Timestamp,
        reason: &str,
    ) -> Result<bool> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(postgres::pg_err)?;
        let gone = tx
            .execute(
                "DELETE FROM custodian_keys.subject_keys WHERE tenant_id = $1 AND subject_id = $2 AND scope = $3",
                &[&tenant.as_uuid(), &subject.as_uuid(), &scope],
            )
            .await
            .map_err(postgres::pg_err)?;
        tx.execute(
            "INSERT INTO custodian_keys.destroyed_keys (kind, reference, destroyed_at_us, reason)
             VALUES ('subject', $1, $2, $3) ON CONFLICT DO NOTHING",
            &[&subject_ref(tenant, subject, scope), &micros(at), &reason],
        )
        .await
        .map_err(postgres::pg_err)?;
        tx.commit().await.map_err(postgres::pg_err)?;
        Ok(gone > 0)
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

    async fn destroy_bucket_key(
        &self,
        tenant: TenantId,
        bucket: &str,
        at: Timestamp,
        reason: &str,
    ) -> Result<bool> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(postgres::pg_err)?;
        let gone = tx
            .execute(
                "DELETE FROM custodian_keys.bucket_keys WHERE tenant_id = $1 AND bucket = $2",
                &[&tenant.as_uuid(), &bucket],
            )
            .await
            .map_err(postgres::pg_err)?;
        tx.execute(
            "INSERT INTO custodian_keys.destroyed_keys (kind, reference, destroyed_at_us, reason)
             VALUES ('bucket', $1, $2, $3) ON CONFLICT DO NOTHING",
            &[&bucket_ref(tenant, bucket), &micros(at), &reason],
        )
        .await
        .map_err(postgres::pg_err)?;
        tx.commit().await.map_err(postgres::pg_err)?;
        Ok(gone > 0)
    }

    async fn destroyed(&self) -> Result<Vec<DestroyedKey>> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT kind, reference, destroyed_at_us, reason FROM custodian_keys.destroyed_keys ORDER BY destroyed_at_us",
                &[],
            )
            .await
            .map_err(postgres::pg_err)?;
        rows.iter()
            .map(|r| {
                Ok(DestroyedKey {
                    kind: r.get(0),
                    reference: r.get(1),
                    at: from_micros(r.get(2))?,
                    reason: r.get(3),
                })
            })
            .collect()
    }
}
