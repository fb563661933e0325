//! Subscriptions, the notice outbox and objections on PostgreSQL.

use deadpool_postgres::GenericClient;
use jiff::Timestamp;
use tokio_postgres::{Row, Transaction};
use uuid::Uuid;

use super::{PgStore, append, pg_err};
use crate::audit::{AuditEvent, NewAuditEvent};
use crate::notices::{
    ClaimedNotice, Fanout, NoticeKind, NoticeOutcome, NoticeStats, Objection, Subscription,
    SubscriptionRequest,
};
use crate::{Result, from_micros, micros};
use custodian_core::TenantId;

const COLUMNS: &str = "id, email_index, email_sealed, locale, topics::bigint, requested::bigint, \
                       generation, created_at_us, requested_at_us, confirmed_at_us, unsubscribed_at_us";

fn optional_time(us: Option<i64>) -> Result<Option<Timestamp>> {
    us.map(from_micros).transpose()
}

fn subscription(r: &Row) -> Result<Subscription> {
    Ok(Subscription {
        id: r.get(0),
        email_index: r.get(1),
        email_sealed: r.get(2),
        locale: r.get(3),
        topics: r.get(4),
        requested: r.get(5),
        generation: r.get(6),
        created_at: from_micros(r.get(7))?,
        requested_at: optional_time(r.get(8))?,
        confirmed_at: optional_time(r.get(9))?,
        unsubscribed_at: optional_time(r.get(10))?,
    })
}

async fn by_id(c: &impl GenericClient, id: Uuid) -> Result<Option<Subscription>> {
    c.query_opt(
        &format!("SELECT {COLUMNS} FROM subscriptions WHERE id = $1"),
        &[&id],
    )
    .await
    .map_err(pg_err)?
    .as_ref()
    .map(subscription)
    .transpose()
}

async fn queue(
    tx: &Transaction<'_>,
    sub: Uuid,
    kind: NoticeKind,
    reference: &str,
    generation: i64,
    at: i64,
) -> Result<()> {
    tx.execute(
        "INSERT INTO notices (subscription_id, kind, reference, generation, created_at_us, next_at_us)
         VALUES ($1, $2, $3, $4, $5, $5)
         ON CONFLICT (subscription_id, kind, reference, generation) DO NOTHING",
        &[&sub, &kind.as_str(), &reference, &generation, &at],
    )
    .await
    .map_err(pg_err)?;
    Ok(())
}

/// Queues `fanout` for every subscriber holding its topic (inside the caller's transaction).
pub(super) async fn fan_out(tx: &Transaction<'_>, fanout: &[Fanout], at: Timestamp) -> Result<()> {
    for f in fanout {
        tx.execute(
            "INSERT INTO notices (subscription_id, kind, reference, generation, created_at_us, next_at_us)
             SELECT id, $1, $2, 0, $3, $3 FROM subscriptions
             WHERE (topics & $4::bigint::integer) != 0 AND email_sealed IS NOT NULL
             ON CONFLICT (subscription_id, kind, reference, generation) DO NOTHING",
            &[&f.kind.as_str(), &f.reference, &micros(at), &f.topic],
        )
        .await
        .map_err(pg_err)?;
    }
    Ok(())
}

impl PgStore {
    pub(super) async fn n_subscription_by_index(
        &self,
        index: &[u8],
    ) -> Result<Option<Subscription>> {
        self.client()
            .await?
            .query_opt(
                &format!("SELECT {COLUMNS} FROM subscriptions WHERE email_index = $1"),
                &[&index],
            )
            .await
            .map_err(pg_err)?
            .as_ref()
            .map(subscription)
            .transpose()
    }

    pub(super) async fn n_subscription(&self, id: Uuid) -> Result<Option<Subscription>> {
        let client = self.client().await?;
        by_id(&client, id).await
    }

    pub(super) async fn n_request(
        &self,
        req: &SubscriptionRequest,
        audit: &NewAuditEvent,
    ) -> Result<Subscription> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        let row = tx
            .query_one(
                &format!(
                    "INSERT INTO subscriptions (id, email_index, email_sealed, locale, topics, requested, generation, created_at_us, requested_at_us)
                     VALUES ($1, $2, $3, $4, 0, $5::bigint::integer, 1, $6, $6)
                     ON CONFLICT (email_index) DO UPDATE SET
                        email_sealed = excluded.email_sealed, locale = excluded.locale,
                        requested = excluded.requested, requested_at_us = excluded.requested_at_us,
                        generation = subscriptions.generation + 1
                     RETURNING {COLUMNS}"
                ),
                &[&req.id, &req.email_index, &req.email_sealed, &req.locale, &req.topics, &micros(req.at)],
            )
            .await
            .map_err(pg_err)?;
        let stored = subscription(&row)?;
        queue(
            &tx,
            stored.id,
            NoticeKind::Confirm,
            "",
            stored.generation,
            micros(req.at),
        )
        .await?;
        append(&tx, &self.chain_key, audit).await?;
        tx.commit().await.map_err(pg_err)?;
        Ok(stored)
    }

    pub(super) async fn n_confirm(
        &self,
        id: Uuid,
        generation: i64,
        at: Timestamp,
        fanout: &[Fanout],
        audit: &NewAuditEvent,
    ) -> Result<Option<Subscription>> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        let row = tx
            .query_opt(
                &format!(
                    "UPDATE subscriptions SET topics = requested, requested = NULL, requested_at_us = NULL,
                        confirmed_at_us = $3, unsubscribed_at_us = NULL
                     WHERE id = $1 AND generation = $2 AND requested IS NOT NULL AND email_sealed IS NOT NULL
                     RETURNING {COLUMNS}"
                ),
                &[&id, &generation, &micros(at)],
            )
            .await
            .map_err(pg_err)?;
        let Some(row) = row else { return Ok(None) };
        let updated = subscription(&row)?;
        for f in fanout.iter().filter(|f| updated.topics & f.topic != 0) {
            queue(&tx, updated.id, f.kind, &f.reference, 0, micros(at)).await?;
        }
        append(&tx, &self.chain_key, audit).await?;
        tx.commit().await.map_err(pg_err)?;
        Ok(Some(updated))
    }

    pub(super) async fn n_unsubscribe(
        &self,
        id: Uuid,
        at: Timestamp,
        audit: &NewAuditEvent,
    ) -> Result<bool> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        let changed = tx
            .execute(
                "UPDATE subscriptions SET topics = 0, requested = NULL, requested_at_us = NULL,
                    email_sealed = NULL, generation = generation + 1, unsubscribed_at_us = $2
                 WHERE id = $1 AND email_sealed IS NOT NULL",
                &[&id, &micros(at)],
            )
            .await
            .map_err(pg_err)?;
        if changed == 0 {
            return Ok(false);
        }
        tx.execute(
            "UPDATE notices SET state = 'cancelled', last_error = 'unsubscribed', lease_until_us = NULL
             WHERE subscription_id = $1 AND state = 'queued'",
            &[&id],
        )
        .await
        .map_err(pg_err)?;
        append(&tx, &self.chain_key, audit).await?;
        tx.commit().await.map_err(pg_err)?;
        Ok(true)
    }

    pub(super) async fn n_claim(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> Result<Vec<ClaimedNotice>> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        // SKIP LOCKED: two processes claiming at once take different notices.
        let rows = tx
            .query(
                "UPDATE notices SET lease_until_us = $2
                 WHERE seq IN (SELECT seq FROM notices
                               WHERE state = 'queued' AND next_at_us <= $1
                                 AND (lease_until_us IS NULL OR lease_until_us <= $1)
                               ORDER BY seq LIMIT $3 FOR UPDATE SKIP LOCKED)
                 RETURNING seq, subscription_id, kind, reference, generation, attempts::bigint, created_at_us",
                &[&micros(now), &micros(lease_until), &i64::from(limit)],
            )
            .await
            .map_err(pg_err)?;
        let mut claimed: Vec<_> = rows
            .iter()
            .map(|r| {
                (
                    r.get::<_, i64>(0),
                    r.get::<_, Uuid>(1),
                    r.get::<_, String>(2),
                    r.get::<_, String>(3),
                    r.get::<_, i64>(4),
                    r.get::<_, i64>(5),
                    r.get::<_, i64>(6),
                )
            })
            .collect();
        claimed.sort_by_key(|c| c.0);
        let mut out = Vec::with_capacity(claimed.len());
        for (seq, sub, kind, reference, generation, attempts, created) in claimed {
            let Some(subscription) = by_id(&tx, sub).await? else {
                continue;
            };
            out.push(ClaimedNotice {
                seq,
                kind,
                reference,
                generation,
                attempts,
                created_at: from_micros(created)?,
                subscription,
            });
        }
        tx.commit().await.map_err(pg_err)?;
        Ok(out)
    }

    pub(super) async fn n_finish(
        &self,
        seq: i64,
        at: Timestamp,
        outcome: &NoticeOutcome,
        audit: Option<&NewAuditEvent>,
    ) -> Result<()> {
        let mut client = self.client().await?;
        let client = client.transaction().await.map_err(pg_err)?;
        finish_outbox(&client, "notices", seq, at, outcome).await?;
        if let Some(audit) = audit {
            append(&client, &self.chain_key, audit).await?;
        }
        client.commit().await.map_err(pg_err)?;
        Ok(())
    }

    pub(super) async fn n_stats(&self) -> Result<NoticeStats> {
        let row = self
            .client()
            .await?
            .query_one(
                "SELECT
                    (SELECT COUNT(*) FROM subscriptions WHERE topics != 0 AND email_sealed IS NOT NULL),
                    (SELECT COUNT(*) FROM subscriptions WHERE requested IS NOT NULL AND email_sealed IS NOT NULL),
                    (SELECT COUNT(*) FROM notices WHERE state = 'queued'),
                    (SELECT COUNT(*) FROM notices WHERE state = 'sent'),
                    (SELECT COUNT(*) FROM notices WHERE state = 'failed'),
                    (SELECT COUNT(*) FROM notices WHERE state = 'cancelled'),
                    (SELECT COUNT(*) FROM objections)",
                &[],
            )
            .await
            .map_err(pg_err)?;
        Ok(NoticeStats {
            subscribers: row.get(0),
            pending: row.get(1),
            queued: row.get(2),
            sent: row.get(3),
            failed: row.get(4),
            cancelled: row.get(5),
            objections: row.get(6),
        })
    }

    pub(super) async fn n_object(
        &self,
        o: &Objection,
        audit: &NewAuditEvent,
    ) -> Result<AuditEvent> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        tx.execute(
            "INSERT INTO objections (id, processor, version, tenant_id, subscription_id, reason, created_at_us)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            &[
                &o.id,
                &o.processor,
                &o.version,
                &o.tenant.map(|t| t.as_uuid()),
                &o.subscription,
                &o.reason,
                &micros(o.created_at),
            ],
        )
        .await
        .map_err(pg_err)?;
        let event = append(&tx, &self.chain_key, audit).await?;
        tx.commit().await.map_err(pg_err)?;
        Ok(event)
    }

    pub(super) async fn n_objections(&self) -> Result<Vec<Objection>> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT id, processor, version, tenant_id, subscription_id, reason, created_at_us
                 FROM objections ORDER BY created_at_us, id",
                &[],
            )
            .await
            .map_err(pg_err)?;
        rows.iter()
            .map(|r| {
                Ok(Objection {
                    id: r.get(0),
                    processor: r.get(1),
                    version: r.get(2),
                    tenant: r.get::<_, Option<Uuid>>(3).map(TenantId::from_uuid),
                    subscription: r.get(4),
                    reason: r.get(5),
                    created_at: from_micros(r.get(6))?,
                })
            })
            .collect()
    }
}

/// Records how sending an outbox entry (of `notices` or `account_mail`) went, inside the
/// caller's transaction.
pub(super) async fn finish_outbox(
    tx: &Transaction<'_>,
    table: &str,
    seq: i64,
    at: Timestamp,
    outcome: &NoticeOutcome,
) -> Result<()> {
    let queued = "lease_until_us = NULL WHERE seq = $1 AND state = 'queued'";
    match outcome {
        NoticeOutcome::Sent => {
            tx.execute(
                &format!("UPDATE {table} SET state = 'sent', sent_at_us = $2, attempts = attempts + 1, last_error = NULL, {queued}"),
                &[&seq, &micros(at)],
            )
            .await
        }
        NoticeOutcome::Retry { error, next_at } => {
            tx.execute(
                &format!("UPDATE {table} SET attempts = attempts + 1, next_at_us = $2, last_error = $3, {queued}"),
                &[&seq, &micros(*next_at), error],
            )
            .await
        }
        NoticeOutcome::Failed { error } => {
            tx.execute(
                &format!("UPDATE {table} SET state = 'failed', attempts = attempts + 1, last_error = $2, {queued}"),
                &[&seq, error],
            )
            .await
        }
        NoticeOutcome::Cancelled { reason } => {
            tx.execute(
                &format!("UPDATE {table} SET state = 'cancelled', last_error = $2, {queued}"),
                &[&seq, reason],
            )
            .await
        }
    }
    .map_err(pg_err)?;
    Ok(())
}
