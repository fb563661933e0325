//! The PostgreSQL backend: a connection pool; appends to the audit chain lock its head row, so
//! any number of replicas append one after another.

use async_trait::async_trait;
use custodian_core::{ApiKeyId, RecordId, SubjectId, TenantId};
use deadpool_postgres::{Manager, ManagerConfig, Object, Pool, PoolError, RecyclingMethod};
use jiff::Timestamp;
use tokio_postgres::error::SqlState;
use tokio_postgres::{NoTls, Row, Transaction};
use uuid::Uuid;

use crate::audit::{self, AuditEvent, AuditFilter, ChainHead, ChainKey, NewAuditEvent, Outcome};
use crate::destructions::{
    DESTRUCTION_COLUMNS, KeyDestruction, KeyRef, MAX_DESTRUCTIONS_PAGE, NewKeyDestruction,
    stored_digest, stored_key,
};
use crate::location::redact;
use crate::migrate::{LATEST_VERSION, Migration, POSTGRES};
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
mod partitions;
mod payments;
mod retention;
mod rights;

/// An arbitrary, fixed key for the advisory lock that serialises migrations across replicas.
const MIGRATION_LOCK: i64 = 0x6375_7374_6f64;

/// The PostgreSQL store.
pub(crate) struct PgStore {
    pool: Pool,
    chain_key: ChainKey,
    described: String,
    /// Partitions of `records` known to exist.
    parts: std::sync::Mutex<std::collections::HashSet<i32>>,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore")
            .field("url", &self.described)
            .finish()
    }
}

pub(crate) fn pg_err(e: tokio_postgres::Error) -> StoreError {
    match e.as_db_error() {
        Some(db) if *db.code() == SqlState::UNIQUE_VIOLATION => {
            StoreError::Conflict(db.message().to_string())
        }
        Some(db) if *db.code() == SqlState::INVALID_CATALOG_NAME => StoreError::Location(format!(
            "{}; create it first (e.g. `createdb NAME`): Custodian never creates a PostgreSQL database by itself",
            db.message()
        )),
        Some(db) => StoreError::Database(format!("{} ({})", db.message(), db.code().code())),
        None if e.is_closed() => StoreError::Unavailable(e.to_string()),
        None => StoreError::Unavailable(e.to_string()),
    }
}

pub(crate) fn pool_err(e: PoolError) -> StoreError {
    match e {
        PoolError::Backend(e) => pg_err(e),
        other => StoreError::Unavailable(other.to_string()),
    }
}

fn audit_err(e: tokio_postgres::Error) -> StoreError {
    StoreError::Audit(pg_err(e).to_string())
}

impl PgStore {
    pub(crate) async fn open(url: &str, chain_key: ChainKey) -> Result<Self> {
        let store = Self {
            pool: pool(url)?,
            chain_key,
            described: redact(url),
            parts: std::sync::Mutex::default(),
        };
        let mut client = store.client().await?;
        migrate(&mut client, POSTGRES, LATEST_VERSION, None).await?;
        Ok(store)
    }

    async fn client(&self) -> Result<Object> {
        self.pool.get().await.map_err(pool_err)
    }
}

/// Applies `migrations` in one transaction, under an advisory lock so replicas migrate once.
/// With `schema`, the migrations and their version table live in that schema.
pub(crate) async fn migrate(
    client: &mut Object,
    migrations: &[Migration],
    latest: i64,
    schema: Option<&str>,
) -> Result<()> {
    let table = match schema {
        Some(s) => format!("{s}.schema_migrations"),
        None => "schema_migrations".to_string(),
    };
    let tx = client.transaction().await.map_err(pg_err)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .await
        .map_err(pg_err)?;
    if let Some(s) = schema {
        tx.batch_execute(&format!("CREATE SCHEMA IF NOT EXISTS {s}"))
            .await
            .map_err(pg_err)?;
    }
    tx.batch_execute(&format!(
        "CREATE TABLE IF NOT EXISTS {table} (
             version       BIGINT PRIMARY KEY,
             name          TEXT NOT NULL,
             applied_at_us BIGINT NOT NULL
         )"
    ))
    .await
    .map_err(pg_err)?;
    let current: i64 = tx
        .query_one(
            &format!("SELECT COALESCE(MAX(version), 0) FROM {table}"),
            &[],
        )
        .await
        .map_err(pg_err)?
        .get(0);
    if current > latest {
        return Err(StoreError::SchemaTooNew {
            found: current,
            supported: latest,
        });
    }
    for migration in migrations.iter().filter(|m| m.version > current) {
        tx.batch_execute(migration.sql).await.map_err(|e| {
            StoreError::Database(format!(
                "migration {} ({}) failed: {}",
                migration.version,
                migration.name,
                pg_err(e)
            ))
        })?;
        tx.execute(
            &format!("INSERT INTO {table} (version, name, applied_at_us) VALUES ($1, $2, $3)"),
            &[
                &migration.version,
                &migration.name,
                &micros(Timestamp::now()),
            ],
        )
        .await
        .map_err(pg_err)?;
        tracing::info!(
            version = migration.version,
            name = migration.name,
            ?schema,
            "applied PostgreSQL migration"
        );
    }
    tx.commit().await.map_err(pg_err)
}

/// A connection pool for a PostgreSQL URL.
pub(crate) fn pool(url: &str) -> Result<Pool> {
    let config: tokio_postgres::Config = url.parse().map_err(|e| {
        StoreError::Location(format!(
            "the PostgreSQL URL {} is malformed: {e}",
            redact(url)
        ))
    })?;
    let manager = Manager::from_config(
        config,
        NoTls,
        ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        },
    );
    Pool::builder(manager)
        .max_size(16)
        .build()
        .map_err(|e| StoreError::Unavailable(e.to_string()))
}

async fn append(tx: &Transaction<'_>, key: &ChainKey, event: &NewAuditEvent) -> Result<AuditEvent> {
    let head = tx
        .query_one(
            "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE",
            &[],
        )
        .await
        .map_err(audit_err)?;
    let seq: i64 = head.get::<_, i64>(0) + 1;
    let prev: Vec<u8> = head.get(1);
    let hash = audit::seal(key, seq, &prev, event);
    let targets =
        serde_json::to_string(&event.targets).map_err(|e| StoreError::Audit(e.to_string()))?;
    tx.execute(
        "INSERT INTO audit_events (seq, at_us, actor, action, tenant_id, targets, purpose, outcome, detail, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        &[
            &seq,
            &micros(event.at),
            &event.actor,
            &event.action,
            &event.tenant.map(|t| t.as_uuid()),
            &targets,
            &event.purpose,
            &event.outcome.as_str(),
            &event.detail,
            &prev,
            &hash,
        ],
    )
    .await
    .map_err(audit_err)?;
    tx.execute(
        "UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1",
        &[&seq, &hash],
    )
    .await
    .map_err(audit_err)?;
    Ok(AuditEvent {
        seq,
        event: event.clone(),
        prev_hash: prev,
        hash,
    })
}

fn to_tenant(r: &Row) -> Result<Tenant> {
    Ok(Tenant {
        id: TenantId::from_uuid(r.get(0)),
        name: r.get(1),
        default_region: r.get(2),
        created_at: from_micros(r.get(3))?,
    })
}

const KEY_COLUMNS: &str =
    "id, tenant_id, lookup, secret_hash, name, scopes, created_at_us, revoked_at_us";

fn to_key(r: &Row) -> Result<ApiKeyRecord> {
    let scopes: String = r.get(5);
    Ok(ApiKeyRecord {
        id: ApiKeyId::from_uuid(r.get(0)),
        tenant: TenantId::from_uuid(r.get(1)),
        lookup: r.get(2),
        secret_hash: r.get(3),
        name: r.get(4),
        scopes: scopes.split_whitespace().map(str::to_string).collect(),
        created_at: from_micros(r.get(6))?,
        revoked_at: r.get::<_, Option<i64>>(7).map(from_micros).transpose()?,
    })
}

const EVENT_COLUMNS: &str =
    "seq, at_us, actor, action, tenant_id, targets, purpose, outcome, detail, prev_hash, hash";

fn to_event(r: &Row) -> Result<AuditEvent> {
    let seq: i64 = r.get(0);
    let targets: String = r.get(5);
    let targets: Vec<String> = serde_json::from_str(&targets).map_err(|e| {
        StoreError::Database(format!("audit event {seq} has unreadable targets: {e}"))
    })?;
    let outcome: String = r.get(7);
    let outcome = Outcome::parse(&outcome).ok_or_else(|| {
        StoreError::Database(format!("audit event {seq} has unknown outcome `{outcome}`"))
    })?;
    Ok(AuditEvent {
        seq,
        event: NewAuditEvent {
            at: from_micros(r.get(1))?,
            actor: r.get(2),
            action: r.get(3),
            tenant: r.get::<_, Option<Uuid>>(4).map(TenantId::from_uuid),
            targets,
            purpose: r.get(6),
            outcome,
            detail: r.get(8),
        },
        prev_hash: r.get(9),
        hash: r.get(10),
    })
}

#[async_trait]
impl Store for PgStore {
    fn backend(&self) -> Backend {
        Backend::Postgres
    }

    async fn ping(&self) -> Result<()> {
        self.client()
            .await?
            .query_one("SELECT 1", &[])
            .await
            .map_err(pg_err)?;
        Ok(())
    }

    async fn schema_version(&self) -> Result<i64> {
        let row = self
            .client()
            .await?
            .query_one(
                "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                &[],
            )
            .await
            .map_err(pg_err)?;
        Ok(row.get(0))
    }

    async fn meta(&self, key: &str) -> Result<Option<String>> {
        let row = self
            .client()
            .await?
            .query_opt("SELECT value FROM meta WHERE key = $1", &[&key])
            .await
            .map_err(pg_err)?;
        Ok(row.map(|r| r.get(0)))
    }

    async fn meta_init(&self, key: &str, value: &str) -> Result<String> {
        let client = self.client().await?;
        client
            .execute(
                "INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
                &[&key, &value],
            )
            .await
            .map_err(pg_err)?;
        let row = client
            .query_one("SELECT value FROM meta WHERE key = $1", &[&key])
            .await
            .map_err(pg_err)?;
        Ok(row.get(0))
    }

    async fn publish_policy(
        &self,
        p: &Publication,
        audit: &NewAuditEvent,
        fanout: &[Fanout],
    ) -> Result<AuditEvent> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        notices::fan_out(&tx, fanout, p.published_at).await?;
        tx.execute(
            "INSERT INTO policy_publications (label, effective_on, digest, published_at_us, actor) VALUES ($1, $2::text::date, $3, $4, $5)",
            &[&p.label, &p.effective_on.to_string(), &p.digest, &micros(p.published_at), &p.actor],
        )
        .await
        .map_err(|e| match pg_err(e) {
            StoreError::Conflict(_) => {
                StoreError::Conflict(format!("policy version {} was published before", p.label))
            }
            other => other,
        })?;
        let event = append(&tx, &self.chain_key, audit).await?;
        tx.commit().await.map_err(pg_err)?;
        Ok(event)
    }

    async fn publications(&self) -> Result<Vec<Publication>> {
        let client = self.client().await?;
        let rows = client
            .query(
                "SELECT label, effective_on::text, digest, published_at_us, actor FROM policy_publications ORDER BY published_at_us, label",
                &[],
            )
            .await
            .map_err(pg_err)?;
        rows.iter()
            .map(|r| {
                let effective: String = r.get(1);
                Ok(Publication {
                    label: r.get(0),
                    effective_on: effective.parse().map_err(|e| {
                        StoreError::Database(format!("a stored effective date is unreadable: {e}"))
                    })?,
                    digest: r.get(2),
                    published_at: from_micros(r.get(3))?,
                    actor: r.get(4),
                })
            })
            .collect()
    }

    async fn create_tenant(&self, tenant: &Tenant, audit: &NewAuditEvent) -> Result<AuditEvent> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        tx.execute(
            "INSERT INTO tenants (id, name, default_region, created_at_us) VALUES ($1, $2, $3, $4)",
            &[
                &tenant.id.as_uuid(),
                &tenant.name,
                &tenant.default_region,
                &micros(tenant.created_at),
            ],
        )
        .await
        .map_err(|e| match pg_err(e) {
            StoreError::Conflict(_) => {
                StoreError::Conflict(format!("a tenant named `{}` already exists", tenant.name))
            }
            other => other,
        })?;
        let event = append(&tx, &self.chain_key, audit).await?;
        tx.commit().await.map_err(pg_err)?;
        Ok(event)
    }

    async fn tenant(&self, id: TenantId) -> Result<Option<Tenant>> {
        let row = self
            .client()
            .await?
            .query_opt(
                "SELECT id, name, default_region, created_at_us FROM tenants WHERE id = $1",
                &[&id.as_uuid()],
            )
            .await
            .map_err(pg_err)?;
        row.as_ref().map(to_tenant).transpose()
    }

    async fn tenants(&self) -> Result<Vec<Tenant>> {
        let rows = self
            .client()
            .await?
            .query("SELECT id, name, default_region, created_at_us FROM tenants ORDER BY created_at_us, id", &[])
            .await
            .map_err(pg_err)?;
        rows.iter().map(to_tenant).collect()
    }

    async fn create_api_key(
        &self,
        key: &ApiKeyRecord,
        audit: &NewAuditEvent,
    ) -> Result<AuditEvent> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        tx.execute(
            &format!(
                "INSERT INTO api_keys ({KEY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
            ),
            &[
                &key.id.as_uuid(),
                &key.tenant.as_uuid(),
                &key.lookup,
                &key.secret_hash,
                &key.name,
                &key.scopes.join(" "),
                &micros(key.created_at),
                &key.revoked_at.map(micros),
            ],
        )
        .await
        .map_err(pg_err)?;
        let event = append(&tx, &self.chain_key, audit).await?;
        tx.commit().await.map_err(pg_err)?;
        Ok(event)
    }

    async fn api_key_by_lookup(&self, lookup: &str) -> Result<Option<ApiKeyRecord>> {
        let row = self
            .client()
            .await?
            .query_opt(
                &format!("SELECT {KEY_COLUMNS} FROM api_keys WHERE lookup = $1"),
                &[&lookup],
            )
            .await
            .map_err(pg_err)?;
        row.as_ref().map(to_key).transpose()
    }

    async fn api_key(&self, id: ApiKeyId) -> Result<Option<ApiKeyRecord>> {
        let row = self
            .client()
            .await?
            .query_opt(
                &format!("SELECT {KEY_COLUMNS} FROM api_keys WHERE id = $1"),
                &[&id.as_uuid()],
            )
            .await
            .map_err(pg_err)?;
        row.as_ref().map(to_key).transpose()
    }

    async fn api_keys(&self, tenant: TenantId) -> Result<Vec<ApiKeyRecord>> {
        let rows = self
            .client()
            .await?
            .query(
                &format!("SELECT {KEY_COLUMNS} FROM api_keys WHERE tenant_id = $1 ORDER BY created_at_us, id"),
                &[&tenant.as_uuid()],
            )
            .await
            .map_err(pg_err)?;
        rows.iter().map(to_key).collect()
    }

    async fn revoke_api_key(
        &self,
        id: ApiKeyId,
        at: Timestamp,
        audit: &NewAuditEvent,
    ) -> Result<bool> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        let changed = tx
            .execute(
                "UPDATE api_keys SET revoked_at_us = $1 WHERE id = $2 AND revoked_at_us IS NULL",
                &[&micros(at), &id.as_uuid()],
            )
            .await
            .map_err(pg_err)?;
        if changed == 1 {
            append(&tx, &self.chain_key, audit).await?;
        }
        tx.commit().await.map_err(pg_err)?;
        Ok(changed == 1)
    }

    async fn append_audit(&self, event: &NewAuditEvent) -> Result<AuditEvent> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        let stored = append(&tx, &self.chain_key, event).await?;
        tx.commit().await.map_err(audit_err)?;
        Ok(stored)
    }

    async fn audit_events(&self, filter: &AuditFilter) -> Result<Vec<AuditEvent>> {
        let rows = self
            .client()
            .await?
            .query(
                &format!(
                    "SELECT {EVENT_COLUMNS} FROM audit_events
                     WHERE seq > $1 AND ($2::uuid IS NULL OR tenant_id = $2)
                       AND ($4::text IS NULL OR left(actor, length($4)) = $4)
                       AND ($5::text IS NULL OR left(action, length($5)) = $5)
                       AND ($6::bigint IS NULL OR at_us >= $6)
                       AND ($7::bigint IS NULL OR at_us < $7)
                       AND ($8::text IS NULL OR outcome = $8)
                     ORDER BY seq LIMIT $3"
                ),
                &[
                    &filter.after_seq,
                    &filter.tenant.map(|t| t.as_uuid()),
                    &filter.effective_limit(),
                    &filter.actor,
                    &filter.action,
                    &filter.since.map(micros),
                    &filter.until.map(micros),
                    &filter.outcome.map(Outcome::as_str),
                ],
            )
            .await
            .map_err(pg_err)?;
        rows.iter().map(to_event).collect()
    }

    async fn audit_head(&self) -> Result<ChainHead> {
        let row = self
            .client()
            .await?
            .query_one("SELECT seq, hash FROM audit_head WHERE id = 1", &[])
            .await
            .map_err(pg_err)?;
        Ok(ChainHead {
            seq: row.get(0),
            hash: row.get(1),
        })
    }

    async fn subjects_by_index(
        &self,
        tenant: TenantId,
        indexes: &[Vec<u8>],
    ) -> Result<Vec<(Vec<u8>, SubjectId)>> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT blind_index, subject_id FROM subject_identifiers WHERE tenant_id = $1 AND blind_index = ANY($2)",
                &[&tenant.as_uuid(), &indexes],
            )
            .await
            .map_err(pg_err)?;
        Ok(rows
            .iter()
            .map(|r| (r.get(0), SubjectId::from_uuid(r.get(1))))
            .collect())
    }

    async fn subject(&self, tenant: TenantId, id: SubjectId) -> Result<Option<SubjectRow>> {
        let row = self
            .client()
            .await?
            .query_opt(
                "SELECT created_at_us, restricted_at_us, objected_at_us, consent_withdrawn_at_us FROM subjects
                 WHERE id = $1 AND tenant_id = $2",
                &[&id.as_uuid(), &tenant.as_uuid()],
            )
            .await
            .map_err(pg_err)?;
        row.map(|r| {
            Ok(SubjectRow {
                id,
                tenant,
                created_at: from_micros(r.get(0))?,
                restricted_at: r.get::<_, Option<i64>>(1).map(from_micros).transpose()?,
                objected_at: r.get::<_, Option<i64>>(2).map(from_micros).transpose()?,
                consent_withdrawn_at: r.get::<_, Option<i64>>(3).map(from_micros).transpose()?,
            })
        })
        .transpose()
    }

    async fn set_restriction(
        &self,
        tenant: TenantId,
        id: SubjectId,
        since: Option<Timestamp>,
        audit: &NewAuditEvent,
    ) -> Result<bool> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        let changed = tx
            .execute(
                "UPDATE subjects SET restricted_at_us = $1 WHERE id = $2 AND tenant_id = $3",
                &[&since.map(micros), &id.as_uuid(), &tenant.as_uuid()],
            )
            .await
            .map_err(pg_err)?;
        if changed == 1 {
            append(&tx, &self.chain_key, audit).await?;
        }
        tx.commit().await.map_err(pg_err)?;
        Ok(changed == 1)
    }

    async fn set_processing_stop(
        &self,
        tenant: TenantId,
        id: SubjectId,
        stop: crate::records::ProcessingStop,
        since: Option<Timestamp>,
        audit: &NewAuditEvent,
    ) -> Result<bool> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        let changed = tx
            .execute(
                &format!(
                    "UPDATE subjects SET {} = $1 WHERE id = $2 AND tenant_id = $3",
                    stop.column()
                ),
                &[&since.map(micros), &id.as_uuid(), &tenant.as_uuid()],
            )
            .await
            .map_err(pg_err)?;
        if changed == 1 {
            append(&tx, &self.chain_key, audit).await?;
        }
        tx.commit().await.map_err(pg_err)?;
        Ok(changed == 1)
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
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        let n = tx
            .execute(
                "DELETE FROM records WHERE tenant_id = $1 AND subject_id = $2 AND key_scope = 'erasable'",
                &[&tenant.as_uuid(), &id.as_uuid()],
            )
            .await
            .map_err(pg_err)?;
        if unlink {
            tx.execute(
                "DELETE FROM subject_identifiers WHERE tenant_id = $1 AND subject_id = $2",
                &[&tenant.as_uuid(), &id.as_uuid()],
            )
            .await
            .map_err(pg_err)?;
        }
        append(&tx, &self.chain_key, audit).await?;
        tx.commit().await.map_err(pg_err)?;
        Ok(n)
    }

    async fn store_batch(&self, batch: RecordBatch) -> Result<AuditEvent> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        let (event, made) = store_batch(&tx, &self.chain_key, &self.parts, &batch).await?;
        tx.commit().await.map_err(pg_err)?;
        partitions::remember(&self.parts, &made);
        Ok(event)
    }

    async fn idempotent(&self, tenant: TenantId, key: &str) -> Result<Option<IdempotencyEntry>> {
        let row = self
            .client()
            .await?
            .query_opt(
                "SELECT request_hash, response FROM idempotency_keys WHERE tenant_id = $1 AND key = $2",
                &[&tenant.as_uuid(), &key],
            )
            .await
            .map_err(pg_err)?;
        Ok(row.map(|r| IdempotencyEntry {
            key: key.to_string(),
            request_hash: r.get(0),
            response: r.get(1),
        }))
    }

    async fn records(&self, q: &RecordQuery) -> Result<Vec<RecordRow>> {
        let (filter, params) = q.filter(|n| format!("${n}"), "NOT superseded");
        let sql = format!(
            "SELECT {RECORD_COLUMNS} FROM records WHERE {filter} ORDER BY id LIMIT {}",
            q.effective_limit()
        );
        let values: Vec<Box<dyn tokio_postgres::types::ToSql + Sync + Send>> = params
            .into_iter()
            .map(|p| -> Box<dyn tokio_postgres::types::ToSql + Sync + Send> {
                match p {
                    Param::Uuid(u) => Box::new(u),
                    Param::Text(t) => Box::new(t),
                }
            })
            .collect();
        let refs: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> = values
            .iter()
            .map(|v| v.as_ref() as &(dyn tokio_postgres::types::ToSql + Sync))
            .collect();
        let rows = self
            .client()
            .await?
            .query(&sql, &refs)
            .await
            .map_err(pg_err)?;
        rows.iter().map(to_record).collect()
    }

    async fn record(&self, tenant: TenantId, id: RecordId) -> Result<Option<RecordRow>> {
        let row = self
            .client()
            .await?
            .query_opt(
                &format!("SELECT {RECORD_COLUMNS} FROM records WHERE id = $1 AND tenant_id = $2"),
                &[&id.as_uuid(), &tenant.as_uuid()],
            )
            .await
            .map_err(pg_err)?;
        row.as_ref().map(to_record).transpose()
    }

    async fn log_key_destructions(
        &self,
        entries: &[NewKeyDestruction],
        audit: &NewAuditEvent,
    ) -> Result<Vec<KeyDestruction>> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        let stored = log_destructions(&tx, entries).await?;
        append(&tx, &self.chain_key, audit).await?;
        tx.commit().await.map_err(pg_err)?;
        Ok(stored)
    }

    async fn key_destructions(&self, after_seq: i64, limit: u32) -> Result<Vec<KeyDestruction>> {
        let limit = i64::from(limit.min(MAX_DESTRUCTIONS_PAGE));
        let rows = self
            .client()
            .await?
            .query(
                &format!(
                    "SELECT {DESTRUCTION_COLUMNS} FROM key_destructions WHERE seq > $1 ORDER BY seq LIMIT $2"
                ),
                &[&after_seq, &limit],
            )
            .await
            .map_err(pg_err)?;
        rows.iter().map(to_destruction).collect()
    }

    async fn key_destructions_head(&self) -> Result<i64> {
        let row = self
            .client()
            .await?
            .query_one(
                "SELECT COALESCE(MAX(seq), 0)::BIGINT FROM key_destructions",
                &[],
            )
            .await
            .map_err(pg_err)?;
        Ok(row.get(0))
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

    fn drops_partitions(&self) -> bool {
        true
    }

    async fn partitions(&self, now: Timestamp) -> Result<Vec<crate::PartitionRow>> {
        self.p_partitions(now).await
    }

    async fn drop_partition(
        &self,
        part: i32,
        at: Timestamp,
        audit: &(dyn for<'b> Fn(&'b BucketRow) -> NewAuditEvent + Send + Sync),
    ) -> Result<Option<crate::PartitionDrop>> {
        self.p_drop(part, at, audit).await
    }

    async fn expired_in_partition(&self, part: i32) -> Result<Vec<BucketRow>> {
        self.p_expired_in(part).await
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
        self.client()
            .await?
            .execute(
                "DELETE FROM records WHERE expires_at_us < $1",
                &[&micros(before)],
            )
            .await
            .map_err(pg_err)
    }

    async fn later_interactions(
        &self,
        tenant: TenantId,
        bucket: &str,
        rule: &str,
        after: Timestamp,
    ) -> Result<Vec<(SubjectId, Timestamp)>> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT o.subject_id, MAX(o.occurred_at_us) FROM records o
                 WHERE o.subject_id IN (SELECT subject_id FROM records WHERE tenant_id = $1 AND bucket = $2 AND NOT superseded)
                   AND o.tenant_id = $1 AND o.retention_rule = $3 AND NOT o.superseded
                 GROUP BY o.subject_id HAVING MAX(o.occurred_at_us) >= $4",
                &[&tenant.as_uuid(), &bucket, &rule, &micros(after)],
            )
            .await
            .map_err(pg_err)?;
        rows.iter()
            .map(|r| Ok((SubjectId::from_uuid(r.get(0)), from_micros(r.get(1))?)))
            .collect()
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

/// Appends to the erasure log. The table lock (which readers do not wait for) makes appends
/// take turns, so numbers are gap-free and no entry commits after a newer one.
async fn log_destructions(
    tx: &Transaction<'_>,
    entries: &[NewKeyDestruction],
) -> Result<Vec<KeyDestruction>> {
    tx.batch_execute("LOCK TABLE key_destructions IN SHARE ROW EXCLUSIVE MODE")
        .await
        .map_err(pg_err)?;
    let head: i64 = tx
        .query_one(
            "SELECT COALESCE(MAX(seq), 0)::BIGINT FROM key_destructions",
            &[],
        )
        .await
        .map_err(pg_err)?
        .get(0);
    let insert = tx
        .prepare(&format!(
            "INSERT INTO key_destructions ({DESTRUCTION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        ))
        .await
        .map_err(pg_err)?;
    let mut stored = Vec::with_capacity(entries.len());
    for (seq, e) in (head + 1..).zip(entries) {
        let (subject, scope, bucket) = match &e.key {
            KeyRef::Subject { subject, scope } => {
                (Some(subject.as_uuid()), Some(scope.as_str()), None)
            }
            KeyRef::Bucket(bucket) => (None, None, Some(bucket.as_str())),
        };
        tx.execute(
            &insert,
            &[
                &seq,
                &e.tenant.as_uuid(),
                &e.key.kind(),
                &subject,
                &scope,
                &bucket,
                &e.key_digest.as_ref().map(|d| d.as_slice()),
                &e.reason,
                &micros(e.at),
            ],
        )
        .await
        .map_err(pg_err)?;
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

fn to_destruction(r: &Row) -> Result<KeyDestruction> {
    let seq: i64 = r.get(0);
    let kind: String = r.get(2);
    Ok(KeyDestruction {
        seq,
        tenant: TenantId::from_uuid(r.get(1)),
        key: stored_key(
            seq,
            &kind,
            r.get::<_, Option<Uuid>>(3).map(SubjectId::from_uuid),
            r.get(4),
            r.get(5),
        )?,
        key_digest: stored_digest(seq, r.get(6))?,
        reason: r.get(7),
        at: from_micros(r.get(8))?,
    })
}

const RECORD_COLUMNS: &str = "id, tenant_id, subject_id, product, categories, purpose, legal_basis, source, role, \
     country, occurred_at_us, ingested_at_us, retention_rule, bucket, key_scope, expires_at_us, version, supersedes, \
     superseded, wrapped_key, payload";

fn to_record(r: &Row) -> Result<RecordRow> {
    let categories: String = r.get(4);
    Ok(RecordRow {
        id: RecordId::from_uuid(r.get(0)),
        tenant: TenantId::from_uuid(r.get(1)),
        subject: SubjectId::from_uuid(r.get(2)),
        product: r.get(3),
        categories: categories.split_whitespace().map(str::to_string).collect(),
        purpose: r.get(5),
        legal_basis: r.get(6),
        source: r.get(7),
        role: r.get(8),
        country: r.get(9),
        occurred_at: from_micros(r.get(10))?,
        ingested_at: from_micros(r.get(11))?,
        retention_rule: r.get(12),
        bucket: r.get(13),
        key_scope: r.get(14),
        expires_at: r.get::<_, Option<i64>>(15).map(from_micros).transpose()?,
        version: r.get(16),
        supersedes: r.get::<_, Option<Uuid>>(17).map(RecordId::from_uuid),
        superseded: r.get(18),
        wrapped_key: r.get(19),
        payload: r.get(20),
    })
}

async fn store_batch(
    tx: &Transaction<'_>,
    key: &ChainKey,
    parts: &std::sync::Mutex<std::collections::HashSet<i32>>,
    batch: &RecordBatch,
) -> Result<(AuditEvent, Vec<i32>)> {
    // Each table takes the whole batch in one statement (arrays through UNNEST): one round
    // trip per table instead of one per row.
    let tenant = batch.tenant.as_uuid();
    retention::register(tx, tenant, &batch.buckets).await?;
    if !batch.subjects.is_empty() {
        let ids: Vec<Uuid> = batch.subjects.iter().map(|s| s.id.as_uuid()).collect();
        let at: Vec<i64> = batch
            .subjects
            .iter()
            .map(|s| micros(s.created_at))
            .collect();
        tx.execute(
            "INSERT INTO subjects (id, tenant_id, created_at_us)
             SELECT u.id, $2, u.at FROM UNNEST($1::uuid[], $3::bigint[]) AS u(id, at)",
            &[&ids, &tenant, &at],
        )
        .await
        .map_err(pg_err)?;
    }
    if !batch.links.is_empty() {
        let indexes: Vec<&[u8]> = batch
            .links
            .iter()
            .map(|l| l.blind_index.as_slice())
            .collect();
        let kinds: Vec<&str> = batch.links.iter().map(|l| l.kind.as_str()).collect();
        let subjects: Vec<Uuid> = batch.links.iter().map(|l| l.subject.as_uuid()).collect();
        let inserted = tx
            .query(
                "INSERT INTO subject_identifiers (tenant_id, blind_index, kind, subject_id)
                 SELECT $1, u.b, u.k, u.s FROM UNNEST($2::bytea[], $3::text[], $4::uuid[]) AS u(b, k, s)
                 ON CONFLICT (tenant_id, blind_index) DO NOTHING
                 RETURNING blind_index",
                &[&tenant, &indexes, &kinds, &subjects],
            )
            .await
            .map_err(pg_err)?;
        if inserted.len() != batch.links.len() {
            // Some were linked meanwhile: by another batch, to the same subject or to another.
            let linked = tx
                .query(
                    "SELECT blind_index, subject_id FROM subject_identifiers
                     WHERE tenant_id = $1 AND blind_index = ANY($2::bytea[])",
                    &[&tenant, &indexes],
                )
                .await
                .map_err(pg_err)?;
            let linked: std::collections::HashMap<Vec<u8>, Uuid> = linked
                .into_iter()
                .map(|r| (r.get::<_, Vec<u8>>(0), r.get::<_, Uuid>(1)))
                .collect();
            for l in &batch.links {
                if linked.get(&l.blind_index) != Some(&l.subject.as_uuid()) {
                    return Err(StoreError::Raced(
                        "an identifier of this batch was linked to another subject meanwhile; retry the request".into(),
                    ));
                }
            }
        }
    }
    let mut made = Vec::new();
    if !batch.records.is_empty() {
        let rs = &batch.records;
        let mut names: Vec<&str> = rs.iter().map(|r| r.bucket.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        let (filed, new_parts) = retention::filed_in(tx, parts, tenant, &names).await?;
        made = new_parts;
        let record_parts: Vec<i32> = rs
            .iter()
            .map(|r| filed.get(&r.bucket).copied().unwrap_or(partitions::OPEN))
            .collect();
        let ids: Vec<Uuid> = rs.iter().map(|r| r.id.as_uuid()).collect();
        let subjects: Vec<Uuid> = rs.iter().map(|r| r.subject.as_uuid()).collect();
        let products: Vec<&str> = rs.iter().map(|r| r.product.as_str()).collect();
        let categories: Vec<String> = rs.iter().map(|r| r.categories.join(" ")).collect();
        let purposes: Vec<&str> = rs.iter().map(|r| r.purpose.as_str()).collect();
        let bases: Vec<&str> = rs.iter().map(|r| r.legal_basis.as_str()).collect();
        let sources: Vec<&str> = rs.iter().map(|r| r.source.as_str()).collect();
        let roles: Vec<&str> = rs.iter().map(|r| r.role.as_str()).collect();
        let countries: Vec<Option<&str>> = rs.iter().map(|r| r.country.as_deref()).collect();
        let occurred: Vec<i64> = rs.iter().map(|r| micros(r.occurred_at)).collect();
        let ingested: Vec<i64> = rs.iter().map(|r| micros(r.ingested_at)).collect();
        let rules: Vec<&str> = rs.iter().map(|r| r.retention_rule.as_str()).collect();
        let buckets: Vec<&str> = rs.iter().map(|r| r.bucket.as_str()).collect();
        let scopes: Vec<&str> = rs.iter().map(|r| r.key_scope.as_str()).collect();
        let expires: Vec<Option<i64>> = rs.iter().map(|r| r.expires_at.map(micros)).collect();
        let versions: Vec<i32> = rs.iter().map(|r| r.version).collect();
        let supersedes: Vec<Option<Uuid>> = rs
            .iter()
            .map(|r| r.supersedes.map(|s| s.as_uuid()))
            .collect();
        let superseded: Vec<bool> = rs.iter().map(|r| r.superseded).collect();
        let wrapped: Vec<&[u8]> = rs.iter().map(|r| r.wrapped_key.as_slice()).collect();
        let payloads: Vec<&[u8]> = rs.iter().map(|r| r.payload.as_slice()).collect();
        tx.execute(
            &format!(
                "INSERT INTO records ({RECORD_COLUMNS}, part)
                 SELECT u.id, $1, u.subject, u.product, u.categories, u.purpose, u.basis, u.source,
                        u.role, u.country, u.occurred, u.ingested, u.rule, u.bucket, u.scope,
                        u.expires, u.version, u.supersedes, u.superseded, u.wrapped, u.payload, u.part
                 FROM UNNEST($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[],
                             $8::text[], $9::text[], $10::text[], $11::bigint[], $12::bigint[],
                             $13::text[], $14::text[], $15::text[], $16::bigint[], $17::int4[],
                             $18::uuid[], $19::bool[], $20::bytea[], $21::bytea[], $22::int4[])
                      AS u(id, subject, product, categories, purpose, basis, source, role, country,
                           occurred, ingested, rule, bucket, scope, expires, version, supersedes,
                           superseded, wrapped, payload, part)"
            ),
            &[
                &tenant,
                &ids,
                &subjects,
                &products,
                &categories,
                &purposes,
                &bases,
                &sources,
                &roles,
                &countries,
                &occurred,
                &ingested,
                &rules,
                &buckets,
                &scopes,
                &expires,
                &versions,
                &supersedes,
                &superseded,
                &wrapped,
                &payloads,
                &record_parts,
            ],
        )
        .await
        .map_err(|e| partitions::raced_on_partition(parts, e))?;
        for old in rs.iter().filter_map(|r| r.supersedes) {
            tx.execute(
                "UPDATE records SET superseded = TRUE, wrapped_key = ''::bytea WHERE id = $1 AND tenant_id = $2",
                &[&old.as_uuid(), &tenant],
            )
            .await
            .map_err(pg_err)?;
        }
    }
    if !batch.consents.is_empty() || !batch.consent_texts.is_empty() {
        let seen = batch.audit.at;
        let texts: Vec<_> = batch
            .consent_texts
            .iter()
            .map(|t| (batch.tenant, t.clone(), seen))
            .collect();
        consent::insert(tx, &batch.consents, &texts).await?;
    }
    if let Some(entry) = &batch.idempotency {
        tx.execute(
            "INSERT INTO idempotency_keys (tenant_id, key, request_hash, response, created_at_us) VALUES ($1, $2, $3, $4, $5)",
            &[&tenant, &entry.key, &entry.request_hash, &entry.response, &micros(batch.audit.at)],
        )
        .await
        .map_err(|e| match pg_err(e) {
            StoreError::Conflict(_) => StoreError::Conflict("this Idempotency-Key was used by a request in progress".into()),
            other => other,
        })?;
    }
    Ok((append(tx, key, &batch.audit).await?, made))
}
