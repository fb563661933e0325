//! Retention buckets, legal holds and aggregates on PostgreSQL.

use custodian_core::{RecordId, SubjectId, TenantId};
use jiff::Timestamp;
use tokio_postgres::{Row, Transaction};
use uuid::Uuid;

use std::collections::{HashMap, HashSet};

use super::{PgStore, append, partitions, pg_err};
use crate::audit::NewAuditEvent;
use crate::retention::{
    AggregateRow, BucketRow, BucketState, LegalHold, NewBucket, RecordMove, RecordToMove,
    RetentionTerms, TermsChange,
};
use crate::{Result, StoreError, from_micros, micros};

pub(super) const BUCKET_COLUMNS: &str = "tenant_id, bucket, rule, anchor_on, expires_at_us, state, records, expired_at_us, purged_at_us";
const HOLD_COLUMNS: &str = "id, tenant_id, subject_id, case_ref, reason, author, placed_at_us, \
                            ends_at_us, lifted_at_us, lifted_by";

fn time(us: Option<i64>) -> Result<Option<Timestamp>> {
    us.map(from_micros).transpose()
}

pub(super) fn bucket(r: &Row) -> Result<BucketRow> {
    let state: String = r.get(5);
    Ok(BucketRow {
        tenant: TenantId::from_uuid(r.get(0)),
        name: r.get(1),
        rule: r.get(2),
        anchor_on: r.get(3),
        expires_at: time(r.get(4))?,
        state: BucketState::parse(&state)
            .ok_or_else(|| StoreError::Database(format!("unknown bucket state `{state}`")))?,
        records: r.get(6),
        expired_at: time(r.get(7))?,
        purged_at: time(r.get(8))?,
    })
}

fn hold(r: &Row) -> Result<LegalHold> {
    Ok(LegalHold {
        id: r.get(0),
        tenant: TenantId::from_uuid(r.get(1)),
        subject: r.get::<_, Option<Uuid>>(2).map(SubjectId::from_uuid),
        case_ref: r.get(3),
        reason: r.get(4),
        author: r.get(5),
        placed_at: from_micros(r.get(6))?,
        ends_at: time(r.get(7))?,
        lifted_at: time(r.get(8))?,
        lifted_by: r.get(9),
    })
}

/// Registers buckets that are new (inside the caller's transaction), each filed in the
/// partition its expiry calls for.
pub(super) async fn register(
    tx: &Transaction<'_>,
    tenant: Uuid,
    buckets: &[NewBucket],
) -> Result<()> {
    if buckets.is_empty() {
        return Ok(());
    }
    let now = micros(Timestamp::now());
    let names: Vec<&str> = buckets.iter().map(|b| b.name.as_str()).collect();
    let rules: Vec<&str> = buckets.iter().map(|b| b.rule.as_str()).collect();
    let anchors: Vec<Option<&str>> = buckets.iter().map(|b| b.anchor_on.as_deref()).collect();
    let expiries: Vec<Option<i64>> = buckets.iter().map(|b| b.expires_at.map(micros)).collect();
    let parts: Vec<i32> = buckets
        .iter()
        .map(|b| partitions::part_of(b.expires_at.map(micros), b.anchor_on.as_deref(), now))
        .collect();
    tx.execute(
        "INSERT INTO buckets (tenant_id, bucket, rule, anchor_on, expires_at_us, part)
         SELECT $1, * FROM UNNEST($2::text[], $3::text[], $4::text[], $5::bigint[], $6::int4[])
         ON CONFLICT (tenant_id, bucket) DO NOTHING",
        &[&tenant, &names, &rules, &anchors, &expiries, &parts],
    )
    .await
    .map_err(pg_err)?;
    let ended = tx
        .query(
            "SELECT bucket FROM buckets WHERE tenant_id = $1 AND bucket = ANY($2) AND state <> 'live'
             ORDER BY bucket LIMIT 1",
            &[&tenant, &names],
        )
        .await
        .map_err(pg_err)?;
    match ended.first() {
        Some(r) => Err(crate::retention::ended(&r.get::<_, String>(0))),
        None => Ok(()),
    }
}

/// The partitions the named buckets of a tenant are filed in (inside the caller's
/// transaction, after [`register`]), and makes those that are missing: returns the part of
/// each name and the parts made.
pub(super) async fn filed_in(
    tx: &Transaction<'_>,
    known: &std::sync::Mutex<HashSet<i32>>,
    tenant: Uuid,
    names: &[&str],
) -> Result<(HashMap<String, i32>, Vec<i32>)> {
    let rows = tx
        .query(
            "SELECT bucket, COALESCE(part, 0) FROM buckets WHERE tenant_id = $1 AND bucket = ANY($2)",
            &[&tenant, &names],
        )
        .await
        .map_err(pg_err)?;
    let parts: HashMap<String, i32> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
    let wanted: HashSet<i32> = parts.values().copied().collect();
    let made = partitions::ensure(tx, known, &wanted).await?;
    Ok((parts, made))
}

impl PgStore {
    pub(super) async fn r_due(
        &self,
        now: Timestamp,
        after: Option<(Option<i64>, Uuid, String)>,
        limit: u32,
    ) -> Result<Vec<BucketRow>> {
        let (e, t, b) = match after {
            Some((e, t, b)) => (e, Some(t), Some(b)),
            None => (None, None, None),
        };
        let rows = self
            .client()
            .await?
            .query(
                &format!(
                    "SELECT {BUCKET_COLUMNS} FROM buckets
                     WHERE (state IN ('live', 'expiring') OR (state = 'expired' AND records IS NULL))
                       AND expires_at_us <= $1
                       AND ($3::bigint IS NULL OR (expires_at_us, tenant_id, bucket) > ($3, $4::uuid, $5::text))
                     ORDER BY expires_at_us, tenant_id, bucket LIMIT $2"
                ),
                &[&micros(now), &i64::from(limit), &e, &t, &b],
            )
            .await
            .map_err(pg_err)?;
        rows.iter().map(bucket).collect()
    }

    pub(super) async fn r_claim(
        &self,
        tenant: TenantId,
        name: &str,
        holder: Uuid,
        now: Timestamp,
        until: Timestamp,
    ) -> Result<bool> {
        let n = self
            .client()
            .await?
            .execute(
                "UPDATE buckets SET lease_until_us = $4, lease_holder = $5
                 WHERE tenant_id = $1 AND bucket = $2 AND state != 'purged'
                   AND (lease_until_us IS NULL OR lease_until_us <= $3 OR lease_holder = $5)",
                &[
                    &tenant.as_uuid(),
                    &name,
                    &micros(now),
                    &micros(until),
                    &holder,
                ],
            )
            .await
            .map_err(pg_err)?;
        Ok(n == 1)
    }

    pub(super) async fn r_census(
        &self,
        tenant: TenantId,
        name: &str,
    ) -> Result<crate::retention::Census> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT product, COALESCE(country, ''), categories,
                        to_char(to_timestamp(occurred_at_us / 1000000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
                        COUNT(*)
                 FROM records WHERE tenant_id = $1 AND bucket = $2 AND NOT superseded
                 GROUP BY product, country, categories, day",
                &[&tenant.as_uuid(), &name],
            )
            .await
            .map_err(pg_err)?;
        let mut out = Vec::new();
        let mut records = 0;
        for r in &rows {
            records += r.get::<_, i64>(4);
            let categories: String = r.get(2);
            for category in categories.split(' ').filter(|c| !c.is_empty()) {
                out.push(AggregateRow {
                    product: r.get(0),
                    country: r.get(1),
                    category: category.to_string(),
                    day: r.get(3),
                    count: r.get(4),
                });
            }
        }
        Ok(crate::retention::Census {
            rows: crate::retention::merge(out),
            records,
        })
    }

    pub(super) async fn r_begin(
        &self,
        tenant: TenantId,
        name: &str,
        audit: &NewAuditEvent,
    ) -> Result<bool> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        let n = tx
            .execute(
                "UPDATE buckets SET state = 'expiring' WHERE tenant_id = $1 AND bucket = $2 AND state = 'live'",
                &[&tenant.as_uuid(), &name],
            )
            .await
            .map_err(pg_err)?;
        if n == 0 {
            return Ok(false);
        }
        append(&tx, &self.chain_key, audit).await?;
        tx.commit().await.map_err(pg_err)?;
        Ok(true)
    }

    pub(super) async fn r_count(
        &self,
        tenant: TenantId,
        name: &str,
        census: &crate::retention::Census,
        audit: &NewAuditEvent,
    ) -> Result<bool> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        let n = tx
            .execute(
                "UPDATE buckets SET records = $3 WHERE tenant_id = $1 AND bucket = $2 AND state = 'expired' AND records IS NULL",
                &[&tenant.as_uuid(), &name, &census.records],
            )
            .await
            .map_err(pg_err)?;
        if n == 0 {
            return Ok(false);
        }
        for a in &census.rows {
            tx.execute(
                "INSERT INTO aggregates (tenant_id, product, country, category, day, count) VALUES ($1, $2, $3, $4, $5, $6)
                 ON CONFLICT (tenant_id, product, country, category, day) DO UPDATE SET count = aggregates.count + excluded.count",
                &[&tenant.as_uuid(), &a.product, &a.country, &a.category, &a.day, &a.count],
            )
            .await
            .map_err(pg_err)?;
        }
        append(&tx, &self.chain_key, audit).await?;
        tx.commit().await.map_err(pg_err)?;
        Ok(true)
    }

    pub(super) async fn r_finish_expiry(
        &self,
        tenant: TenantId,
        name: &str,
        at: Timestamp,
    ) -> Result<()> {
        self.client()
            .await?
            .execute(
                "UPDATE buckets SET state = 'expired', expired_at_us = $3 WHERE tenant_id = $1 AND bucket = $2 AND state = 'expiring'",
                &[&tenant.as_uuid(), &name, &micros(at)],
            )
            .await
            .map_err(pg_err)?;
        Ok(())
    }

    pub(super) async fn r_purge(&self, tenant: TenantId, name: &str, limit: u32) -> Result<u64> {
        let client = self.client().await?;
        let row = client
            .query_one(
                "SELECT state, records, COALESCE(part, 0) FROM buckets WHERE tenant_id = $1 AND bucket = $2",
                &[&tenant.as_uuid(), &name],
            )
            .await
            .map_err(pg_err)?;
        let (state, counted, part): (String, Option<i64>, i32) =
            (row.get(0), row.get(1), row.get(2));
        if state != "expired" || counted.is_none() {
            return Err(StoreError::Conflict(format!(
                "bucket {name} is {state}: only an expired bucket (key destroyed), once counted, is purged"
            )));
        }
        // Row ids (ctid) are only unique within one partition: both sides name it.
        let n = client
            .execute(
                "DELETE FROM records WHERE part = $4 AND ctid = ANY (ARRAY(
                    SELECT ctid FROM records WHERE part = $4 AND tenant_id = $1 AND bucket = $2 LIMIT $3))",
                &[&tenant.as_uuid(), &name, &i64::from(limit), &part],
            )
            .await
            .map_err(pg_err)?;
        Ok(n)
    }

    pub(super) async fn r_finish_purge(
        &self,
        tenant: TenantId,
        name: &str,
        at: Timestamp,
        audit: &NewAuditEvent,
    ) -> Result<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        let n = tx
            .execute(
                "UPDATE buckets SET state = 'purged', purged_at_us = $3, lease_until_us = NULL, lease_holder = NULL
                 WHERE tenant_id = $1 AND bucket = $2 AND state = 'expired'",
                &[&tenant.as_uuid(), &name, &micros(at)],
            )
            .await
            .map_err(pg_err)?;
        if n == 1 {
            append(&tx, &self.chain_key, audit).await?;
        }
        tx.commit().await.map_err(pg_err)?;
        Ok(())
    }

    pub(super) async fn r_buckets(
        &self,
        tenant: Option<TenantId>,
        limit: u32,
    ) -> Result<Vec<BucketRow>> {
        let rows = self
            .client()
            .await?
            .query(
                &format!(
                    "SELECT {BUCKET_COLUMNS} FROM buckets WHERE ($1::uuid IS NULL OR tenant_id = $1)
                     ORDER BY expires_at_us NULLS LAST, tenant_id, bucket LIMIT $2"
                ),
                &[&tenant.map(|t| t.as_uuid()), &i64::from(limit)],
            )
            .await
            .map_err(pg_err)?;
        rows.iter().map(bucket).collect()
    }

    pub(super) async fn r_aggregates(&self, tenant: TenantId) -> Result<Vec<AggregateRow>> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT product, country, category, day, count FROM aggregates WHERE tenant_id = $1
                 ORDER BY day, product, country, category",
                &[&tenant.as_uuid()],
            )
            .await
            .map_err(pg_err)?;
        Ok(rows
            .iter()
            .map(|r| AggregateRow {
                product: r.get(0),
                country: r.get(1),
                category: r.get(2),
                day: r.get(3),
                count: r.get(4),
            })
            .collect())
    }

    pub(super) async fn r_place_hold(&self, h: &LegalHold, audit: &NewAuditEvent) -> Result<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        tx.execute(
            &format!("INSERT INTO legal_holds ({HOLD_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, NULL)"),
            &[
                &h.id,
                &h.tenant.as_uuid(),
                &h.subject.map(|s| s.as_uuid()),
                &h.case_ref,
                &h.reason,
                &h.author,
                &micros(h.placed_at),
                &h.ends_at.map(micros),
            ],
        )
        .await
        .map_err(pg_err)?;
        append(&tx, &self.chain_key, audit).await?;
        tx.commit().await.map_err(pg_err)?;
        Ok(())
    }

    pub(super) async fn r_lift_hold(
        &self,
        tenant: TenantId,
        id: Uuid,
        at: Timestamp,
        by: &str,
        audit: &NewAuditEvent,
    ) -> Result<bool> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        let n = tx
            .execute(
                "UPDATE legal_holds SET lifted_at_us = $3, lifted_by = $4
                 WHERE tenant_id = $1 AND id = $2 AND lifted_at_us IS NULL",
                &[&tenant.as_uuid(), &id, &micros(at), &by],
            )
            .await
            .map_err(pg_err)?;
        if n == 0 {
            return Ok(false);
        }
        append(&tx, &self.chain_key, audit).await?;
        tx.commit().await.map_err(pg_err)?;
        Ok(true)
    }

    pub(super) async fn r_holds(&self, tenant: Option<TenantId>) -> Result<Vec<LegalHold>> {
        let rows = self
            .client()
            .await?
            .query(
                &format!(
                    "SELECT {HOLD_COLUMNS} FROM legal_holds WHERE ($1::uuid IS NULL OR tenant_id = $1) ORDER BY placed_at_us DESC, id"
                ),
                &[&tenant.map(|t| t.as_uuid())],
            )
            .await
            .map_err(pg_err)?;
        rows.iter().map(hold).collect()
    }

    pub(super) async fn r_to_move(
        &self,
        tenant: TenantId,
        name: &str,
        subjects: &[SubjectId],
    ) -> Result<Vec<RecordToMove>> {
        let ids: Vec<Uuid> = subjects.iter().map(|s| s.as_uuid()).collect();
        let rows = self
            .client()
            .await?
            .query(
                "SELECT id, subject_id, bucket, retention_rule, occurred_at_us, expires_at_us, wrapped_key
                 FROM records WHERE tenant_id = $1 AND bucket = $2 AND subject_id = ANY($3) AND NOT superseded",
                &[&tenant.as_uuid(), &name, &ids],
            )
            .await
            .map_err(pg_err)?;
        rows.iter()
            .map(|r| {
                Ok(RecordToMove {
                    id: RecordId::from_uuid(r.get(0)),
                    subject: SubjectId::from_uuid(r.get(1)),
                    bucket: r.get(2),
                    rule: r.get(3),
                    occurred_at: from_micros(r.get(4))?,
                    expires_at: time(r.get(5))?,
                    wrapped_key: r.get(6),
                })
            })
            .collect()
    }

    pub(super) async fn r_move(
        &self,
        tenant: TenantId,
        moves: &[RecordMove],
        buckets: &[NewBucket],
        audit: &NewAuditEvent,
    ) -> Result<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        register(&tx, tenant.as_uuid(), buckets).await?;
        let ids: Vec<Uuid> = moves.iter().map(|m| m.id.as_uuid()).collect();
        let names: Vec<&str> = moves.iter().map(|m| m.bucket.as_str()).collect();
        let keys: Vec<&[u8]> = moves.iter().map(|m| m.wrapped_key.as_slice()).collect();
        let expiries: Vec<Option<i64>> = moves.iter().map(|m| m.expires_at.map(micros)).collect();
        let mut distinct = names.clone();
        distinct.sort_unstable();
        distinct.dedup();
        let (filed, made) = filed_in(&tx, &self.parts, tenant.as_uuid(), &distinct).await?;
        let parts: Vec<i32> = moves
            .iter()
            .map(|m| filed.get(&m.bucket).copied().unwrap_or(partitions::OPEN))
            .collect();
        // A record whose bucket is filed in another partition moves there with it.
        tx.execute(
            "UPDATE records SET bucket = m.bucket, wrapped_key = m.wrapped_key, expires_at_us = m.expires_at,
                                part = m.part
             FROM UNNEST($2::uuid[], $3::text[], $4::bytea[], $5::bigint[], $6::int4[])
                  AS m (id, bucket, wrapped_key, expires_at, part)
             WHERE records.tenant_id = $1 AND records.id = m.id",
            &[&tenant.as_uuid(), &ids, &names, &keys, &expiries, &parts],
        )
        .await
        .map_err(|e| partitions::raced_on_partition(&self.parts, e))?;
        append(&tx, &self.chain_key, audit).await?;
        tx.commit().await.map_err(pg_err)?;
        partitions::remember(&self.parts, &made);
        Ok(())
    }

    pub(super) async fn r_terms(&self, tenant: TenantId) -> Result<RetentionTerms> {
        let client = self.client().await?;
        let contract_ends_on = client
            .query_opt(
                "SELECT ends_on FROM tenant_contracts WHERE tenant_id = $1",
                &[&tenant.as_uuid()],
            )
            .await
            .map_err(pg_err)?
            .map(|r| r.get::<_, String>(0));
        let periods = client
            .query(
                "SELECT rule, period FROM retention_settings WHERE tenant_id = $1",
                &[&tenant.as_uuid()],
            )
            .await
            .map_err(pg_err)?
            .iter()
            .map(|r| (r.get::<_, String>(0), r.get::<_, String>(1)))
            .collect();
        Ok(RetentionTerms {
            contract_ends_on,
            periods,
        })
    }

    pub(super) async fn r_change_terms(
        &self,
        tenant: TenantId,
        change: &TermsChange,
        expiries: &[(String, Option<Timestamp>)],
        at: Timestamp,
        audit: &NewAuditEvent,
    ) -> Result<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        let t = tenant.as_uuid();
        let by = audit.actor.as_str();
        match change {
            TermsChange::ContractEnd(Some(day)) => {
                tx.execute(
                    "INSERT INTO tenant_contracts (tenant_id, ends_on, set_at_us, set_by) VALUES ($1, $2, $3, $4)
                     ON CONFLICT (tenant_id) DO UPDATE SET ends_on = excluded.ends_on, set_at_us = excluded.set_at_us, set_by = excluded.set_by",
                    &[&t, day, &micros(at), &by],
                )
                .await
            }
            TermsChange::ContractEnd(None) => {
                tx.execute("DELETE FROM tenant_contracts WHERE tenant_id = $1", &[&t]).await
            }
            TermsChange::Period { rule, period: Some(p) } => {
                tx.execute(
                    "INSERT INTO retention_settings (tenant_id, rule, period, set_at_us, set_by) VALUES ($1, $2, $3, $4, $5)
                     ON CONFLICT (tenant_id, rule) DO UPDATE SET period = excluded.period, set_at_us = excluded.set_at_us, set_by = excluded.set_by",
                    &[&t, rule, p, &micros(at), &by],
                )
                .await
            }
            TermsChange::Period { rule, period: None } => {
                tx.execute(
                    "DELETE FROM retention_settings WHERE tenant_id = $1 AND rule = $2",
                    &[&t, rule],
                )
                .await
            }
        }
        .map_err(pg_err)?;
        let now = micros(Timestamp::now());
        let mut made = Vec::new();
        for (name, expiry) in expiries {
            let Some(row) = tx
                .query_opt(
                    "SELECT anchor_on, COALESCE(part, 0) FROM buckets
                     WHERE tenant_id = $1 AND bucket = $2 AND state = 'live' FOR UPDATE",
                    &[&t, name],
                )
                .await
                .map_err(pg_err)?
            else {
                continue;
            };
            let (anchor, was): (Option<String>, i32) = (row.get(0), row.get(1));
            let part = partitions::part_of(expiry.map(micros), anchor.as_deref(), now);
            tx.execute(
                "UPDATE buckets SET expires_at_us = $3, part = $4 WHERE tenant_id = $1 AND bucket = $2",
                &[&t, name, &expiry.map(micros), &part],
            )
            .await
            .map_err(pg_err)?;
            made.extend(partitions::ensure(&tx, &self.parts, &HashSet::from([part])).await?);
            // Each record's own expiry follows its bucket's (never before any record's due
            // day), and its rows follow it to the partition of its new expiry.
            tx.execute(
                "UPDATE records SET expires_at_us = $3, part = $4 WHERE tenant_id = $1 AND bucket = $2 AND part = $5",
                &[&t, name, &expiry.map(micros), &part, &was],
            )
            .await
            .map_err(|e| partitions::raced_on_partition(&self.parts, e))?;
        }
        append(&tx, &self.chain_key, audit).await?;
        tx.commit().await.map_err(pg_err)?;
        partitions::remember(&self.parts, &made);
        Ok(())
    }

    pub(super) async fn r_bucket_records(
        &self,
        tenant: TenantId,
        name: &str,
        limit: u32,
    ) -> Result<Vec<RecordToMove>> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT id, subject_id, bucket, retention_rule, occurred_at_us, expires_at_us, wrapped_key
                 FROM records WHERE tenant_id = $1 AND bucket = $2 AND NOT superseded LIMIT $3",
                &[&tenant.as_uuid(), &name, &i64::from(limit)],
            )
            .await
            .map_err(pg_err)?;
        rows.iter()
            .map(|r| {
                Ok(RecordToMove {
                    id: RecordId::from_uuid(r.get(0)),
                    subject: SubjectId::from_uuid(r.get(1)),
                    bucket: r.get(2),
                    rule: r.get(3),
                    occurred_at: from_micros(r.get(4))?,
                    expires_at: time(r.get(5))?,
                    wrapped_key: r.get(6),
                })
            })
            .collect()
    }
}
