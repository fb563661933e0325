//! Subscriptions, the notice outbox and objections on SQLite.

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};
use uuid::Uuid;

use super::{SqliteStore, append, db_err};
use crate::audit::{AuditEvent, NewAuditEvent};
use crate::notices::{
    ClaimedNotice, Fanout, NoticeKind, NoticeOutcome, NoticeStats, Objection, Subscription,
    SubscriptionRequest,
};
use crate::{Result, from_micros, micros};
use custodian_core::TenantId;

const COLUMNS: &str = "id, email_index, email_sealed, locale, topics, requested, generation, \
                       created_at_us, requested_at_us, confirmed_at_us, unsubscribed_at_us";

type RawSubscription = (
    Uuid,
    Vec<u8>,
    Option<Vec<u8>>,
    String,
    i64,
    Option<i64>,
    i64,
    i64,
    Option<i64>,
    Option<i64>,
    Option<i64>,
);

fn raw(r: &Row<'_>) -> rusqlite::Result<RawSubscription> {
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

fn optional_time(us: Option<i64>) -> Result<Option<Timestamp>> {
    us.map(from_micros).transpose()
}

fn subscription(r: RawSubscription) -> Result<Subscription> {
    Ok(Subscription {
        id: r.0,
        email_index: r.1,
        email_sealed: r.2,
        locale: r.3,
        topics: r.4,
        requested: r.5,
        generation: r.6,
        created_at: from_micros(r.7)?,
        requested_at: optional_time(r.8)?,
        confirmed_at: optional_time(r.9)?,
        unsubscribed_at: optional_time(r.10)?,
    })
}

fn by_id(c: &Connection, id: Uuid) -> Result<Option<Subscription>> {
    c.query_row(
        &format!("SELECT {COLUMNS} FROM subscriptions WHERE id = ?1"),
        [id],
        raw,
    )
    .optional()
    .map_err(db_err)?
    .map(subscription)
    .transpose()
}

fn queue(
    tx: &Transaction<'_>,
    sub: Uuid,
    kind: NoticeKind,
    reference: &str,
    generation: i64,
    at: i64,
) -> Result<()> {
    tx.execute(
        "INSERT INTO notices (subscription_id, kind, reference, generation, created_at_us, next_at_us)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5)
         ON CONFLICT (subscription_id, kind, reference, generation) DO NOTHING",
        params![sub, kind.as_str(), reference, generation, at],
    )
    .map_err(db_err)?;
    Ok(())
}

/// Queues `fanout` for every subscriber holding its topic (inside the caller's transaction).
pub(super) fn fan_out(tx: &Transaction<'_>, fanout: &[Fanout], at: Timestamp) -> Result<()> {
    for f in fanout {
        tx.execute(
            "INSERT INTO notices (subscription_id, kind, reference, generation, created_at_us, next_at_us)
             SELECT id, ?1, ?2, 0, ?3, ?3 FROM subscriptions
             WHERE (topics & ?4) != 0 AND email_sealed IS NOT NULL
             ON CONFLICT (subscription_id, kind, reference, generation) DO NOTHING",
            params![f.kind.as_str(), f.reference, micros(at), f.topic],
        )
        .map_err(db_err)?;
    }
    Ok(())
}

impl SqliteStore {
    pub(super) async fn n_subscription_by_index(
        &self,
        index: &[u8],
    ) -> Result<Option<Subscription>> {
        let index = index.to_vec();
        self.read(move |c| {
            c.query_row(
                &format!("SELECT {COLUMNS} FROM subscriptions WHERE email_index = ?1"),
                [index],
                raw,
            )
            .optional()
            .map_err(db_err)?
            .map(subscription)
            .transpose()
        })
        .await
    }

    pub(super) async fn n_subscription(&self, id: Uuid) -> Result<Option<Subscription>> {
        self.read(move |c| by_id(c, id)).await
    }

    pub(super) async fn n_request(
        &self,
        req: &SubscriptionRequest,
        audit: &NewAuditEvent,
    ) -> Result<Subscription> {
        let (req, audit) = (req.clone(), audit.clone());
        self.write(move |tx, key| {
            let stored = tx
                .query_row(
                    &format!(
                        "INSERT INTO subscriptions (id, email_index, email_sealed, locale, topics, requested, generation, created_at_us, requested_at_us)
                         VALUES (?1, ?2, ?3, ?4, 0, ?5, 1, ?6, ?6)
                         ON CONFLICT (email_index) DO UPDATE SET
                            email_sealed = excluded.email_sealed, locale = excluded.locale,
                            requested = excluded.requested, requested_at_us = excluded.requested_at_us,
                            generation = subscriptions.generation + 1
                         RETURNING {COLUMNS}"
                    ),
                    params![req.id, req.email_index, req.email_sealed, req.locale, req.topics, micros(req.at)],
                    raw,
                )
                .map_err(db_err)?;
            let stored = subscription(stored)?;
            queue(tx, stored.id, NoticeKind::Confirm, "", stored.generation, micros(req.at))?;
            append(tx, key, &audit)?;
            Ok(stored)
        })
        .await
    }

    pub(super) async fn n_confirm(
        &self,
        id: Uuid,
        generation: i64,
        at: Timestamp,
        fanout: &[Fanout],
        audit: &NewAuditEvent,
    ) -> Result<Option<Subscription>> {
        let (fanout, audit) = (fanout.to_vec(), audit.clone());
        self.write(move |tx, key| {
            let updated = tx
                .query_row(
                    &format!(
                        "UPDATE subscriptions SET topics = requested, requested = NULL, requested_at_us = NULL,
                            confirmed_at_us = ?3, unsubscribed_at_us = NULL
                         WHERE id = ?1 AND generation = ?2 AND requested IS NOT NULL AND email_sealed IS NOT NULL
                         RETURNING {COLUMNS}"
                    ),
                    params![id, generation, micros(at)],
                    raw,
                )
                .optional()
                .map_err(db_err)?;
            let Some(updated) = updated else { return Ok(None) };
            let updated = subscription(updated)?;
            for f in fanout.iter().filter(|f| updated.topics & f.topic != 0) {
                queue(tx, updated.id, f.kind, &f.reference, 0, micros(at))?;
            }
            append(tx, key, &audit)?;
            Ok(Some(updated))
        })
        .await
    }

    pub(super) async fn n_unsubscribe(
        &self,
        id: Uuid,
        at: Timestamp,
        audit: &NewAuditEvent,
    ) -> Result<bool> {
        let audit = audit.clone();
        self.write(move |tx, key| {
            let changed = tx
                .execute(
                    "UPDATE subscriptions SET topics = 0, requested = NULL, requested_at_us = NULL,
                        email_sealed = NULL, generation = generation + 1, unsubscribed_at_us = ?2
                     WHERE id = ?1 AND email_sealed IS NOT NULL",
                    params![id, micros(at)],
                )
                .map_err(db_err)?;
            if changed == 0 {
                return Ok(false);
            }
            tx.execute(
                "UPDATE notices SET state = 'cancelled', last_error = 'unsubscribed', lease_until_us = NULL
                 WHERE subscription_id = ?1 AND state = 'queued'",
                [id],
            )
            .map_err(db_err)?;
            append(tx, key, &audit)?;
            Ok(true)
        })
        .await
    }

    pub(super) async fn n_claim(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> Result<Vec<ClaimedNotice>> {
        self.write(move |tx, _| {
            let mut claimed: Vec<(i64, Uuid, String, String, i64, i64, i64)> = {
                let mut stmt = tx
                    .prepare_cached(
                        "UPDATE notices SET lease_until_us = ?2
                         WHERE seq IN (SELECT seq FROM notices
                                       WHERE state = 'queued' AND next_at_us <= ?1
                                         AND (lease_until_us IS NULL OR lease_until_us <= ?1)
                                       ORDER BY seq LIMIT ?3)
                         RETURNING seq, subscription_id, kind, reference, generation, attempts, created_at_us",
                    )
                    .map_err(db_err)?;
                let rows = stmt
                    .query_map(params![micros(now), micros(lease_until), limit], |r| {
                        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?))
                    })
                    .map_err(db_err)?;
                rows.collect::<rusqlite::Result<_>>().map_err(db_err)?
            };
            claimed.sort_by_key(|c| c.0);
            let mut out = Vec::with_capacity(claimed.len());
            for (seq, sub, kind, reference, generation, attempts, created) in claimed {
                let Some(subscription) = by_id(tx, sub)? else { continue };
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
            Ok(out)
        })
        .await
    }

    pub(super) async fn n_finish(
        &self,
        seq: i64,
        at: Timestamp,
        outcome: &NoticeOutcome,
        audit: Option<&NewAuditEvent>,
    ) -> Result<()> {
        let (outcome, audit) = (outcome.clone(), audit.cloned());
        self.write(move |tx, key| {
            finish_outbox(tx, "notices", seq, at, &outcome)?;
            if let Some(audit) = audit {
                append(tx, key, &audit)?;
            }
            Ok(())
        })
        .await
    }

    pub(super) async fn n_stats(&self) -> Result<NoticeStats> {
        self.read(|c| {
            c.query_row(
                "SELECT
                    (SELECT COUNT(*) FROM subscriptions WHERE topics != 0 AND email_sealed IS NOT NULL),
                    (SELECT COUNT(*) FROM subscriptions WHERE requested IS NOT NULL AND email_sealed IS NOT NULL),
                    (SELECT COUNT(*) FROM notices WHERE state = 'queued'),
                    (SELECT COUNT(*) FROM notices WHERE state = 'sent'),
                    (SELECT COUNT(*) FROM notices WHERE state = 'failed'),
                    (SELECT COUNT(*) FROM notices WHERE state = 'cancelled'),
                    (SELECT COUNT(*) FROM objections)",
                [],
                |r| {
                    Ok(NoticeStats {
                        subscribers: r.get(0)?,
                        pending: r.get(1)?,
                        queued: r.get(2)?,
                        sent: r.get(3)?,
                        failed: r.get(4)?,
                        cancelled: r.get(5)?,
                        objections: r.get(6)?,
                    })
                },
            )
            .map_err(db_err)
        })
        .await
    }

    pub(super) async fn n_object(
        &self,
        o: &Objection,
        audit: &NewAuditEvent,
    ) -> Result<AuditEvent> {
        let (o, audit) = (o.clone(), audit.clone());
        self.write(move |tx, key| {
            tx.execute(
                "INSERT INTO objections (id, processor, version, tenant_id, subscription_id, reason, created_at_us)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![o.id, o.processor, o.version, o.tenant.map(|t| t.as_uuid()), o.subscription, o.reason, micros(o.created_at)],
            )
            .map_err(db_err)?;
            append(tx, key, &audit)
        })
        .await
    }

    pub(super) async fn n_objections(&self) -> Result<Vec<Objection>> {
        self.read(|c| {
            let mut stmt = c
                .prepare_cached(
                    "SELECT id, processor, version, tenant_id, subscription_id, reason, created_at_us
                     FROM objections ORDER BY created_at_us, id",
                )
                .map_err(db_err)?;
            let rows = stmt
                .query_map([], |r| {
                    Ok((
                        r.get::<_, Uuid>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, Option<Uuid>>(3)?,
                        r.get::<_, Option<Uuid>>(4)?,
                        r.get::<_, String>(5)?,
                        r.get::<_, i64>(6)?,
                    ))
                })
                .map_err(db_err)?;
            rows.map(|row| {
                let (id, processor, version, tenant, subscription, reason, at) = row.map_err(db_err)?;
                Ok(Objection {
                    id,
                    processor,
                    version,
                    tenant: tenant.map(TenantId::from_uuid),
                    subscription,
                    reason,
                    created_at: from_micros(at)?,
                })
            })
            .collect()
        })
        .await
    }
}

/// Records how sending an outbox entry (of `notices` or `account_mail`) went, inside the
/// caller's transaction.
pub(super) fn finish_outbox(
    tx: &Transaction<'_>,
    table: &str,
    seq: i64,
    at: Timestamp,
    outcome: &NoticeOutcome,
) -> Result<()> {
    let queued = "lease_until_us = NULL WHERE seq = ?1 AND state = 'queued'";
    match outcome {
        NoticeOutcome::Sent => tx.execute(
            &format!("UPDATE {table} SET state = 'sent', sent_at_us = ?2, attempts = attempts + 1, last_error = NULL, {queued}"),
            params![seq, micros(at)],
        ),
        NoticeOutcome::Retry { error, next_at } => tx.execute(
            &format!("UPDATE {table} SET attempts = attempts + 1, next_at_us = ?2, last_error = ?3, {queued}"),
            params![seq, micros(*next_at), error],
        ),
        NoticeOutcome::Failed { error } => tx.execute(
            &format!("UPDATE {table} SET state = 'failed', attempts = attempts + 1, last_error = ?2, {queued}"),
            params![seq, error],
        ),
        NoticeOutcome::Cancelled { reason } => tx.execute(
            &format!("UPDATE {table} SET state = 'cancelled', last_error = ?2, {queued}"),
            params![seq, reason],
        ),
    }
    .map_err(db_err)?;
    Ok(())
}
