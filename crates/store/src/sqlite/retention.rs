//! Retention buckets, legal holds and aggregates on SQLite.

use custodian_core::{RecordId, SubjectId, TenantId};
use jiff::Timestamp;
use rusqlite::{Connection, Row, Transaction, params};
use uuid::Uuid;

use super::{SqliteStore, append, db_err};
use crate::audit::NewAuditEvent;
use crate::retention::{
    AggregateRow, BucketRow, BucketState, LegalHold, NewBucket, RecordMove, RecordToMove,
    RetentionTerms, TermsChange,
};
use crate::{Result, StoreError, from_micros, micros};

const BUCKET_COLUMNS: &str = "tenant_id, bucket, rule, anchor_on, expires_at_us, state, records, expired_at_us, purged_at_us";
const HOLD_COLUMNS: &str = "id, tenant_id, subject_id, case_ref, reason, author, placed_at_us, \
                            ends_at_us, lifted_at_us, lifted_by";

fn time(us: Option<i64>) -> Result<Option<Timestamp>> {
    us.map(from_micros).transpose()
}

type RawBucket = (
    Uuid,
    String,
    String,
    Option<String>,
    Option<i64>,
    String,
    Option<i64>,
    Option<i64>,
    Option<i64>,
);

fn raw_bucket(r: &Row<'_>) -> rusqlite::Result<RawBucket> {
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
    ))
}

fn bucket(r: RawBucket) -> Result<BucketRow> {
    Ok(BucketRow {
        tenant: TenantId::from_uuid(r.0),
        name: r.1,
        rule: r.2,
        anchor_on: r.3,
        expires_at: time(r.4)?,
        state: BucketState::parse(&r.5)
            .ok_or_else(|| StoreError::Database(format!("unknown bucket state `{}`", r.5)))?,
        records: r.6,
        expired_at: time(r.7)?,
        purged_at: time(r.8)?,
    })
}

/// Registers buckets that are new (inside the caller's transaction).
pub(super) fn register(tx: &Transaction<'_>, tenant: Uuid, buckets: &[NewBucket]) -> Result<()> {
    let mut stmt = tx
        .prepare_cached(
            "INSERT INTO buckets (tenant_id, bucket, rule, anchor_on, expires_at_us) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (tenant_id, bucket) DO NOTHING",
        )
        .map_err(db_err)?;
    for b in buckets {
        stmt.execute(params![
            tenant,
            b.name,
            b.rule,
            b.anchor_on,
            b.expires_at.map(micros)
        ])
        .map_err(db_err)?;
    }
    let mut state = tx
        .prepare_cached("SELECT state FROM buckets WHERE tenant_id = ?1 AND bucket = ?2")
        .map_err(db_err)?;
    for b in buckets {
        let s: String = state
            .query_row(params![tenant, b.name], |r| r.get(0))
            .map_err(db_err)?;
        if s != "live" {
            return Err(crate::retention::ended(&b.name));
        }
    }
    Ok(())
}

fn holds_query(c: &Connection, tenant: Option<TenantId>) -> Result<Vec<LegalHold>> {
    let mut stmt = c
        .prepare_cached(&format!(
            "SELECT {HOLD_COLUMNS} FROM legal_holds WHERE (?1 IS NULL OR tenant_id = ?1) ORDER BY placed_at_us DESC, id"
        ))
        .map_err(db_err)?;
    let rows = stmt
        .query_map([tenant.map(|t| t.as_uuid())], |r| {
            Ok((
                r.get::<_, Uuid>(0)?,
                r.get::<_, Uuid>(1)?,
                r.get::<_, Option<Uuid>>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, i64>(6)?,
                r.get::<_, Option<i64>>(7)?,
                r.get::<_, Option<i64>>(8)?,
                r.get::<_, Option<String>>(9)?,
            ))
        })
        .map_err(db_err)?;
    rows.map(|row| {
        let r = row.map_err(db_err)?;
        Ok(LegalHold {
            id: r.0,
            tenant: TenantId::from_uuid(r.1),
            subject: r.2.map(SubjectId::from_uuid),
            case_ref: r.3,
            reason: r.4,
            author: r.5,
            placed_at: from_micros(r.6)?,
            ends_at: time(r.7)?,
            lifted_at: time(r.8)?,
            lifted_by: r.9,
        })
    })
    .collect()
}

impl SqliteStore {
    pub(super) async fn r_due(
        &self,
        now: Timestamp,
        after: Option<(Option<i64>, Uuid, String)>,
        limit: u32,
    ) -> Result<Vec<BucketRow>> {
        self.read(move |c| {
            let mut stmt = c
                .prepare_cached(&format!(
                    "SELECT {BUCKET_COLUMNS} FROM buckets
                     WHERE state IN ('live', 'expiring', 'expired') AND expires_at_us <= ?1
                       AND (?3 IS NULL OR (expires_at_us, tenant_id, bucket) > (?3, ?4, ?5))
                     ORDER BY expires_at_us, tenant_id, bucket LIMIT ?2"
                ))
                .map_err(db_err)?;
            let (e, t, b) = match after {
                Some((e, t, b)) => (e, Some(t), Some(b)),
                None => (None, None, None),
            };
            let rows = stmt
                .query_map(params![micros(now), limit, e, t, b], raw_bucket)
                .map_err(db_err)?;
            rows.map(|r| bucket(r.map_err(db_err)?)).collect()
        })
        .await
    }

    pub(super) async fn r_claim(
        &self,
        tenant: TenantId,
        name: &str,
        holder: Uuid,
        now: Timestamp,
        until: Timestamp,
    ) -> Result<bool> {
        let name = name.to_string();
        self.write(move |tx, _| {
            let n = tx
                .execute(
                    "UPDATE buckets SET lease_until_us = ?4, lease_holder = ?5
                     WHERE tenant_id = ?1 AND bucket = ?2 AND state != 'purged'
                       AND (lease_until_us IS NULL OR lease_until_us <= ?3 OR lease_holder = ?5)",
                    params![tenant.as_uuid(), name, micros(now), micros(until), holder],
                )
                .map_err(db_err)?;
            Ok(n == 1)
        })
        .await
    }

    pub(super) async fn r_census(
        &self,
        tenant: TenantId,
        name: &str,
    ) -> Result<crate::retention::Census> {
        let name = name.to_string();
        self.read(move |c| {
            let mut stmt = c
                .prepare_cached(
                    "SELECT product, COALESCE(country, ''), categories,
                            date(occurred_at_us / 1000000, 'unixepoch') AS day, COUNT(*)
                     FROM records WHERE tenant_id = ?1 AND bucket = ?2 AND superseded = 0
                     GROUP BY product, country, categories, day",
                )
                .map_err(db_err)?;
            let rows = stmt
                .query_map(params![tenant.as_uuid(), name], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, i64>(4)?,
                    ))
                })
                .map_err(db_err)?;
            let mut out = Vec::new();
            let mut records = 0;
            for row in rows {
                let (product, country, categories, day, count) = row.map_err(db_err)?;
                records += count;
                for category in categories.split(' ').filter(|c| !c.is_empty()) {
                    out.push(AggregateRow {
                        product: product.clone(),
                        country: country.clone(),
                        category: category.to_string(),
                        day: day.clone(),
                        count,
                    });
                }
            }
            Ok(crate::retention::Census {
                rows: crate::retention::merge(out),
                records,
            })
        })
        .await
    }

    pub(super) async fn r_begin(
        &self,
        tenant: TenantId,
        name: &str,
        audit: &NewAuditEvent,
    ) -> Result<bool> {
        let (name, audit) = (name.to_string(), audit.clone());
        self.write(move |tx, key| {
            let n = tx
                .execute(
                    "UPDATE buckets SET state = 'expiring' WHERE tenant_id = ?1 AND bucket = ?2 AND state = 'live'",
                    params![tenant.as_uuid(), name],
                )
                .map_err(db_err)?;
            if n == 0 {
                return Ok(false);
            }
            append(tx, key, &audit)?;
            Ok(true)
        })
        .await
    }

    pub(super) async fn r_count(
        &self,
        tenant: TenantId,
        name: &str,
        census: &crate::retention::Census,
        audit: &NewAuditEvent,
    ) -> Result<bool> {
        let (name, census, audit) = (name.to_string(), census.clone(), audit.clone());
        self.write(move |tx, key| {
            let n = tx
                .execute(
                    "UPDATE buckets SET records = ?3 WHERE tenant_id = ?1 AND bucket = ?2 AND state = 'expired' AND records IS NULL",
                    params![tenant.as_uuid(), name, census.records],
                )
                .map_err(db_err)?;
            if n == 0 {
                return Ok(false);
            }
            let mut stmt = tx
                .prepare_cached(
                    "INSERT INTO aggregates (tenant_id, product, country, category, day, count) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                     ON CONFLICT (tenant_id, product, country, category, day) DO UPDATE SET count = count + excluded.count",
                )
                .map_err(db_err)?;
            for a in &census.rows {
                stmt.execute(params![tenant.as_uuid(), a.product, a.country, a.category, a.day, a.count])
                    .map_err(db_err)?;
            }
            append(tx, key, &audit)?;
            Ok(true)
        })
        .await
    }

    pub(super) async fn r_finish_expiry(
        &self,
        tenant: TenantId,
        name: &str,
        at: Timestamp,
    ) -> Result<()> {
        let name = name.to_string();
        self.write(move |tx, _| {
            tx.execute(
                "UPDATE buckets SET state = 'expired', expired_at_us = ?3 WHERE tenant_id = ?1 AND bucket = ?2 AND state = 'expiring'",
                params![tenant.as_uuid(), name, micros(at)],
            )
            .map_err(db_err)?;
            Ok(())
        })
        .await
    }

    pub(super) async fn r_purge(&self, tenant: TenantId, name: &str, limit: u32) -> Result<u64> {
        let name = name.to_string();
        self.write(move |tx, _| {
            let (state, counted): (String, Option<i64>) = tx
                .query_row(
                    "SELECT state, records FROM buckets WHERE tenant_id = ?1 AND bucket = ?2",
                    params![tenant.as_uuid(), name],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .map_err(db_err)?;
            if state != "expired" || counted.is_none() {
                return Err(StoreError::Conflict(format!(
                    "bucket {name} is {state}: only an expired bucket (key destroyed), once counted, is purged"
                )));
            }
            let n = tx
                .execute(
                    "DELETE FROM records WHERE rowid IN
                        (SELECT rowid FROM records WHERE tenant_id = ?1 AND bucket = ?2 LIMIT ?3)",
                    params![tenant.as_uuid(), name, limit],
                )
                .map_err(db_err)?;
            Ok(n as u64)
        })
        .await
    }

    pub(super) async fn r_finish_purge(
        &self,
        tenant: TenantId,
        name: &str,
        at: Timestamp,
        audit: &NewAuditEvent,
    ) -> Result<()> {
        let (name, audit) = (name.to_string(), audit.clone());
        self.write(move |tx, key| {
            let n = tx
                .execute(
                    "UPDATE buckets SET state = 'purged', purged_at_us = ?3, lease_until_us = NULL, lease_holder = NULL
                     WHERE tenant_id = ?1 AND bucket = ?2 AND state = 'expired'",
                    params![tenant.as_uuid(), name, micros(at)],
                )
                .map_err(db_err)?;
            if n == 1 {
                append(tx, key, &audit)?;
            }
            Ok(())
        })
        .await
    }

    pub(super) async fn r_buckets(
        &self,
        tenant: Option<TenantId>,
        limit: u32,
    ) -> Result<Vec<BucketRow>> {
        self.read(move |c| {
            let mut stmt = c
                .prepare_cached(&format!(
                    "SELECT {BUCKET_COLUMNS} FROM buckets WHERE (?1 IS NULL OR tenant_id = ?1)
                     ORDER BY expires_at_us IS NULL, expires_at_us, tenant_id, bucket LIMIT ?2"
                ))
                .map_err(db_err)?;
            let rows = stmt
                .query_map(params![tenant.map(|t| t.as_uuid()), limit], raw_bucket)
                .map_err(db_err)?;
            rows.map(|r| bucket(r.map_err(db_err)?)).collect()
        })
        .await
    }

    pub(super) async fn r_aggregates(&self, tenant: TenantId) -> Result<Vec<AggregateRow>> {
        self.read(move |c| {
            let mut stmt = c
                .prepare_cached(
                    "SELECT product, country, category, day, count FROM aggregates WHERE tenant_id = ?1
                     ORDER BY day, product, country, category",
                )
                .map_err(db_err)?;
            let rows = stmt
                .query_map([tenant.as_uuid()], |r| {
                    Ok(AggregateRow {
                        product: r.get(0)?,
                        country: r.get(1)?,
                        category: r.get(2)?,
                        day: r.get(3)?,
                        count: r.get(4)?,
                    })
                })
                .map_err(db_err)?;
            rows.collect::<rusqlite::Result<_>>().map_err(db_err)
        })
        .await
    }

    pub(super) async fn r_place_hold(&self, h: &LegalHold, audit: &NewAuditEvent) -> Result<()> {
        let (h, audit) = (h.clone(), audit.clone());
        self.write(move |tx, key| {
            tx.execute(
                &format!("INSERT INTO legal_holds ({HOLD_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, NULL, NULL)"),
                params![
                    h.id,
                    h.tenant.as_uuid(),
                    h.subject.map(|s| s.as_uuid()),
                    h.case_ref,
                    h.reason,
                    h.author,
                    micros(h.placed_at),
                    h.ends_at.map(micros)
                ],
            )
            .map_err(db_err)?;
            append(tx, key, &audit)?;
            Ok(())
        })
        .await
    }

    pub(super) async fn r_lift_hold(
        &self,
        tenant: TenantId,
        id: Uuid,
        at: Timestamp,
        by: &str,
        audit: &NewAuditEvent,
    ) -> Result<bool> {
        let (by, audit) = (by.to_string(), audit.clone());
        self.write(move |tx, key| {
            let n = tx
                .execute(
                    "UPDATE legal_holds SET lifted_at_us = ?3, lifted_by = ?4
                     WHERE tenant_id = ?1 AND id = ?2 AND lifted_at_us IS NULL",
                    params![tenant.as_uuid(), id, micros(at), by],
                )
                .map_err(db_err)?;
            if n == 0 {
                return Ok(false);
            }
            append(tx, key, &audit)?;
            Ok(true)
        })
        .await
    }

    pub(super) async fn r_holds(&self, tenant: Option<TenantId>) -> Result<Vec<LegalHold>> {
        self.read(move |c| holds_query(c, tenant)).await
    }

    pub(super) async fn r_to_move(
        &self,
        tenant: TenantId,
        name: &str,
        subjects: &[SubjectId],
    ) -> Result<Vec<RecordToMove>> {
        let (name, subjects) = (name.to_string(), subjects.to_vec());
        self.read(move |c| {
            let mut stmt = c
                .prepare_cached(
                    "SELECT id, subject_id, bucket, retention_rule, occurred_at_us, expires_at_us, wrapped_key
                     FROM records INDEXED BY records_bucket
                     WHERE bucket = ?2 AND tenant_id = ?1 AND subject_id = ?3 AND superseded = 0",
                )
                .map_err(db_err)?;
            let mut out = Vec::new();
            for subject in subjects {
                let rows = stmt
                    .query_map(params![tenant.as_uuid(), name, subject.as_uuid()], |r| {
                        Ok((
                            r.get::<_, Uuid>(0)?,
                            r.get::<_, Uuid>(1)?,
                            r.get::<_, String>(2)?,
                            r.get::<_, String>(3)?,
                            r.get::<_, i64>(4)?,
                            r.get::<_, Option<i64>>(5)?,
                            r.get::<_, Vec<u8>>(6)?,
                        ))
                    })
                    .map_err(db_err)?;
                for row in rows {
                    let r = row.map_err(db_err)?;
                    out.push(RecordToMove {
                        id: RecordId::from_uuid(r.0),
                        subject: SubjectId::from_uuid(r.1),
                        bucket: r.2,
                        rule: r.3,
                        occurred_at: from_micros(r.4)?,
                        expires_at: time(r.5)?,
                        wrapped_key: r.6,
                    });
                }
            }
            Ok(out)
        })
        .await
    }

    pub(super) async fn r_move(
        &self,
        tenant: TenantId,
        moves: &[RecordMove],
        buckets: &[NewBucket],
        audit: &NewAuditEvent,
    ) -> Result<()> {
        let (moves, buckets, audit) = (moves.to_vec(), buckets.to_vec(), audit.clone());
        self.write(move |tx, key| {
            register(tx, tenant.as_uuid(), &buckets)?;
            let mut stmt = tx
                                .prepare_cached(
                    "UPDATE records SET bucket = ?3, wrapped_key = ?4, expires_at_us = ?5 WHERE tenant_id = ?1 AND id = ?2",
                )
                .map_err(db_err)?;
            for m in &moves {
                stmt.execute(params![tenant.as_uuid(), m.id.as_uuid(), m.bucket, m.wrapped_key, m.expires_at.map(micros)])
                    .map_err(db_err)?;
            }
            append(tx, key, &audit)?;
            Ok(())
        })
        .await
    }

    pub(super) async fn r_terms(&self, tenant: TenantId) -> Result<RetentionTerms> {
        self.read(move |c| {
            let contract_ends_on = c
                .query_row(
                    "SELECT ends_on FROM tenant_contracts WHERE tenant_id = ?1",
                    [tenant.as_uuid()],
                    |r| r.get::<_, String>(0),
                )
                .map(Some)
                .or_else(|e| match e {
                    rusqlite::Error::QueryReturnedNoRows => Ok(None),
                    e => Err(e),
                })
                .map_err(db_err)?;
            let mut stmt = c
                .prepare_cached("SELECT rule, period FROM retention_settings WHERE tenant_id = ?1")
                .map_err(db_err)?;
            let periods = stmt
                .query_map([tenant.as_uuid()], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
                })
                .map_err(db_err)?
                .collect::<rusqlite::Result<_>>()
                .map_err(db_err)?;
            Ok(RetentionTerms {
                contract_ends_on,
                periods,
            })
        })
        .await
    }

    pub(super) async fn r_change_terms(
        &self,
        tenant: TenantId,
        change: &TermsChange,
        expiries: &[(String, Option<Timestamp>)],
        at: Timestamp,
        audit: &NewAuditEvent,
    ) -> Result<()> {
        let (change, expiries, audit) = (change.clone(), expiries.to_vec(), audit.clone());
        let by = audit.actor.clone();
        self.write(move |tx, key| {
            let t = tenant.as_uuid();
            match &change {
                TermsChange::ContractEnd(Some(day)) => tx.execute(
                    "INSERT INTO tenant_contracts (tenant_id, ends_on, set_at_us, set_by) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (tenant_id) DO UPDATE SET ends_on = excluded.ends_on, set_at_us = excluded.set_at_us, set_by = excluded.set_by",
                    params![t, day, micros(at), by],
                ),
                TermsChange::ContractEnd(None) => {
                    tx.execute("DELETE FROM tenant_contracts WHERE tenant_id = ?1", [t])
                }
                TermsChange::Period { rule, period: Some(p) } => tx.execute(
                    "INSERT INTO retention_settings (tenant_id, rule, period, set_at_us, set_by) VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT (tenant_id, rule) DO UPDATE SET period = excluded.period, set_at_us = excluded.set_at_us, set_by = excluded.set_by",
                    params![t, rule, p, micros(at), by],
                ),
                TermsChange::Period { rule, period: None } => tx.execute(
                    "DELETE FROM retention_settings WHERE tenant_id = ?1 AND rule = ?2",
                    params![t, rule],
                ),
            }
            .map_err(db_err)?;
                        let mut stmt = tx
                .prepare_cached(
                    "UPDATE buckets SET expires_at_us = ?3 WHERE tenant_id = ?1 AND bucket = ?2 AND state = 'live'",
                )
                .map_err(db_err)?;
            // Each record's own expiry follows its bucket's (never before any record's due day).
            let mut records = tx
                .prepare_cached(
                    "UPDATE records INDEXED BY records_bucket SET expires_at_us = ?3 WHERE bucket = ?2 AND tenant_id = ?1",
                )
                .map_err(db_err)?;
            for (name, expiry) in &expiries {
                if stmt.execute(params![t, name, expiry.map(micros)]).map_err(db_err)? == 1 {
                    records.execute(params![t, name, expiry.map(micros)]).map_err(db_err)?;
                }
            }
            append(tx, key, &audit)?;
            Ok(())
        })
        .await
    }

    pub(super) async fn r_bucket_records(
        &self,
        tenant: TenantId,
        name: &str,
        limit: u32,
    ) -> Result<Vec<RecordToMove>> {
        let name = name.to_string();
        self.read(move |c| {
            let mut stmt = c
                .prepare_cached(
                    "SELECT id, subject_id, bucket, retention_rule, occurred_at_us, expires_at_us, wrapped_key
                     FROM records INDEXED BY records_bucket
                     WHERE bucket = ?2 AND tenant_id = ?1 AND superseded = 0 LIMIT ?3",
                )
                .map_err(db_err)?;
            let rows = stmt
                .query_map(params![tenant.as_uuid(), name, limit], |r| {
                    Ok((
                        r.get::<_, Uuid>(0)?,
                        r.get::<_, Uuid>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, i64>(4)?,
                        r.get::<_, Option<i64>>(5)?,
                        r.get::<_, Vec<u8>>(6)?,
                    ))
                })
                .map_err(db_err)?;
            rows.map(|row| {
                let r = row.map_err(db_err)?;
                Ok(RecordToMove {
                    id: RecordId::from_uuid(r.0),
                    subject: SubjectId::from_uuid(r.1),
                    bucket: r.2,
                    rule: r.3,
                    occurred_at: from_micros(r.4)?,
                    expires_at: time(r.5)?,
                    wrapped_key: r.6,
                })
            })
            .collect()
        })
        .await
    }
}
