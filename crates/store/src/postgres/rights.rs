//! Data subject requests on PostgreSQL.

use custodian_core::{SubjectId, TenantId};
use deadpool_postgres::GenericClient;
use jiff::Timestamp;
use tokio_postgres::{Row, Transaction};
use uuid::Uuid;

use super::{PgStore, append, pg_err};
use crate::audit::NewAuditEvent;
use crate::notices::NoticeOutcome;
use crate::rights::{
    ClaimedRightsOutbox, ConfirmationRow, NewRightsOutbox, RequestScope, RightsFilter,
    RightsJobRow, RightsOutboxRow, RightsRequestRow, VerificationCodeRow,
};
use crate::{Result, from_micros, micros};

const REQUEST_COLUMNS: &str = "id, tenant_id, subject_id, parent_id, right_kind, regime, channel, \
    state, reason, received_at_us, due_at_us, extended_to_us, verified_at_us, closed_at_us, \
    locale, agent_id, job_id, version, detail_sealed";

const JOB_COLUMNS: &str = "id, tenant_id, right_kind, created_at_us, total, finished_at_us";

const CODE_COLUMNS: &str =
    "id, email_index, code_hash, created_at_us, expires_at_us, attempts, used_at_us, detail_sealed";

fn time(us: Option<i64>) -> Result<Option<Timestamp>> {
    us.map(from_micros).transpose()
}

fn request(r: &Row) -> Result<RightsRequestRow> {
    Ok(RightsRequestRow {
        id: r.get(0),
        tenant: r.get::<_, Option<Uuid>>(1).map(TenantId::from_uuid),
        subject: r.get::<_, Option<Uuid>>(2).map(SubjectId::from_uuid),
        parent: r.get(3),
        right: r.get(4),
        regime: r.get(5),
        channel: r.get(6),
        state: r.get(7),
        reason: r.get(8),
        received_at: from_micros(r.get(9))?,
        due_at: from_micros(r.get(10))?,
        extended_to: time(r.get(11))?,
        verified_at: time(r.get(12))?,
        closed_at: time(r.get(13))?,
        locale: r.get(14),
        agent: r.get(15),
        job: r.get(16),
        version: r.get(17),
        detail_sealed: r.get(18),
    })
}

fn job(r: &Row) -> Result<RightsJobRow> {
    Ok(RightsJobRow {
        id: r.get(0),
        tenant: TenantId::from_uuid(r.get(1)),
        right: r.get(2),
        created_at: from_micros(r.get(3))?,
        total: r.get(4),
        finished_at: time(r.get(5))?,
    })
}

fn code(r: &Row) -> Result<VerificationCodeRow> {
    Ok(VerificationCodeRow {
        id: r.get(0),
        email_index: r.get(1),
        code_hash: r.get(2),
        created_at: from_micros(r.get(3))?,
        expires_at: from_micros(r.get(4))?,
        attempts: r.get(5),
        used_at: time(r.get(6))?,
        detail_sealed: r.get(7),
    })
}

async fn request_by_id(c: &impl GenericClient, id: Uuid) -> Result<Option<RightsRequestRow>> {
    c.query_opt(
        &format!("SELECT {REQUEST_COLUMNS} FROM rights_requests WHERE id = $1"),
        &[&id],
    )
    .await
    .map_err(pg_err)?
    .as_ref()
    .map(request)
    .transpose()
}

/// Queues what a change owes, inside the caller's transaction; an item already queued for the
/// request (same kind and reference) stays as it is.
async fn queue(tx: &Transaction<'_>, items: &[NewRightsOutbox], now: Timestamp) -> Result<()> {
    if items.is_empty() {
        return Ok(());
    }
    let stmt = tx
        .prepare(
            "INSERT INTO rights_outbox (request_id, kind, reference, created_at_us, next_at_us)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (request_id, kind, reference) DO NOTHING",
        )
        .await
        .map_err(pg_err)?;
    for i in items {
        tx.execute(
            &stmt,
            &[
                &i.request,
                &i.kind,
                &i.reference,
                &micros(now),
                &micros(i.next_at),
            ],
        )
        .await
        .map_err(pg_err)?;
    }
    Ok(())
}

impl PgStore {
    pub(super) async fn r_create_requests(
        &self,
        j: Option<&RightsJobRow>,
        requests: &[RightsRequestRow],
        outbox: &[NewRightsOutbox],
        audit: &NewAuditEvent,
    ) -> Result<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        if let Some(j) = j {
            tx.execute(
                &format!("INSERT INTO rights_jobs ({JOB_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)"),
                &[
                    &j.id,
                    &j.tenant.as_uuid(),
                    &j.right,
                    &micros(j.created_at),
                    &j.total,
                    &j.finished_at.map(micros),
                ],
            )
            .await
            .map_err(pg_err)?;
        }
        if !requests.is_empty() {
            let stmt = tx
                .prepare(&format!(
                    "INSERT INTO rights_requests ({REQUEST_COLUMNS}) VALUES
                     ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)"
                ))
                .await
                .map_err(pg_err)?;
            for k in requests {
                tx.execute(
                    &stmt,
                    &[
                        &k.id,
                        &k.tenant.map(|t| t.as_uuid()),
                        &k.subject.map(|s| s.as_uuid()),
                        &k.parent,
                        &k.right,
                        &k.regime,
                        &k.channel,
                        &k.state,
                        &k.reason,
                        &micros(k.received_at),
                        &micros(k.due_at),
                        &k.extended_to.map(micros),
                        &k.verified_at.map(micros),
                        &k.closed_at.map(micros),
                        &k.locale,
                        &k.agent,
                        &k.job,
                        &k.version,
                        &k.detail_sealed,
                    ],
                )
                .await
                .map_err(pg_err)?;
            }
        }
        queue(&tx, outbox, audit.at).await?;
        append(&tx, &self.chain_key, audit).await?;
        tx.commit().await.map_err(pg_err)?;
        Ok(())
    }

    pub(super) async fn r_request(&self, id: Uuid) -> Result<Option<RightsRequestRow>> {
        let client = self.client().await?;
        request_by_id(&client, id).await
    }

    pub(super) async fn r_requests(&self, f: &RightsFilter) -> Result<Vec<RightsRequestRow>> {
        let (scope, tenant): (i32, Option<Uuid>) = match f.scope {
            RequestScope::All => (0, None),
            RequestScope::Platform => (1, None),
            RequestScope::Tenant(t) => (2, Some(t.as_uuid())),
        };
        let order = if f.by_due {
            "coalesce(extended_to_us, due_at_us), id"
        } else {
            "received_at_us DESC, id"
        };
        let rows = self
            .client()
            .await?
            .query(
                &format!(
                    "SELECT {REQUEST_COLUMNS} FROM rights_requests
                     WHERE ($1::integer = 0 OR ($1::integer = 1 AND tenant_id IS NULL)
                            OR ($1::integer = 2 AND tenant_id = $2::uuid))
                       AND (NOT $3::boolean OR closed_at_us IS NULL)
                       AND ($4::text IS NULL OR state = $4::text)
                       AND ($5::text IS NULL OR agent_id = $5::text)
                       AND ($6::uuid IS NULL OR job_id = $6::uuid)
                       AND ($7::uuid IS NULL OR parent_id = $7::uuid)
                       AND ($8::bigint IS NULL OR coalesce(extended_to_us, due_at_us) < $8::bigint)
                     ORDER BY {order} LIMIT $9"
                ),
                &[
                    &scope,
                    &tenant,
                    &f.open_only,
                    &f.state,
                    &f.agent,
                    &f.job,
                    &f.parent,
                    &f.due_before.map(micros),
                    &f.effective_limit(),
                ],
            )
            .await
            .map_err(pg_err)?;
        rows.iter().map(request).collect()
    }

    pub(super) async fn r_update_request(
        &self,
        k: &RightsRequestRow,
        outbox: &[NewRightsOutbox],
        confirmation: Option<&ConfirmationRow>,
        audit: &NewAuditEvent,
    ) -> Result<bool> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        let changed = tx
            .execute(
                "UPDATE rights_requests SET tenant_id = $2, subject_id = $3, state = $4,
                        reason = $5, due_at_us = $6, extended_to_us = $7, verified_at_us = $8,
                        closed_at_us = $9, locale = $10, version = $11::bigint, detail_sealed = $12,
                        regime = $13
                 WHERE id = $1 AND version = $11::bigint - 1",
                &[
                    &k.id,
                    &k.tenant.map(|t| t.as_uuid()),
                    &k.subject.map(|s| s.as_uuid()),
                    &k.state,
                    &k.reason,
                    &micros(k.due_at),
                    &k.extended_to.map(micros),
                    &k.verified_at.map(micros),
                    &k.closed_at.map(micros),
                    &k.locale,
                    &k.version,
                    &k.detail_sealed,
                    &k.regime,
                ],
            )
            .await
            .map_err(pg_err)?;
        if changed == 0 {
            // Dropping the transaction uncommitted writes nothing.
            return Ok(false);
        }
        queue(&tx, outbox, audit.at).await?;
        if let Some(c) = confirmation {
            tx.execute(
                "INSERT INTO rights_confirmations (request_id, sent_at_us, keep_until_us, letter_sealed)
                 VALUES ($1, $2, $3, $4)
                 ON CONFLICT (request_id) DO UPDATE SET sent_at_us = excluded.sent_at_us,
                    keep_until_us = excluded.keep_until_us, letter_sealed = excluded.letter_sealed",
                &[
                    &c.request,
                    &micros(c.sent_at),
                    &micros(c.keep_until),
                    &c.letter_sealed,
                ],
            )
            .await
            .map_err(pg_err)?;
        }
        append(&tx, &self.chain_key, audit).await?;
        tx.commit().await.map_err(pg_err)?;
        Ok(true)
    }

    pub(super) async fn r_job(&self, id: Uuid) -> Result<Option<RightsJobRow>> {
        self.client()
            .await?
            .query_opt(
                &format!("SELECT {JOB_COLUMNS} FROM rights_jobs WHERE id = $1"),
                &[&id],
            )
            .await
            .map_err(pg_err)?
            .as_ref()
            .map(job)
            .transpose()
    }

    pub(super) async fn r_job_counts(&self, id: Uuid) -> Result<Vec<(String, i64)>> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT state, count(*) FROM rights_requests WHERE job_id = $1
                 GROUP BY state ORDER BY state",
                &[&id],
            )
            .await
            .map_err(pg_err)?;
        Ok(rows
            .iter()
            .map(|r| (r.get::<_, String>(0), r.get::<_, i64>(1)))
            .collect())
    }

    pub(super) async fn r_unfinished_jobs(&self) -> Result<Vec<RightsJobRow>> {
        let rows = self
            .client()
            .await?
            .query(
                &format!(
                    "SELECT {JOB_COLUMNS} FROM rights_jobs WHERE finished_at_us IS NULL
                     ORDER BY created_at_us"
                ),
                &[],
            )
            .await
            .map_err(pg_err)?;
        rows.iter().map(job).collect()
    }

    pub(super) async fn r_finish_job(&self, id: Uuid, when: Timestamp) -> Result<()> {
        self.client()
            .await?
            .execute(
                "UPDATE rights_jobs SET finished_at_us = $2 WHERE id = $1 AND finished_at_us IS NULL",
                &[&id, &micros(when)],
            )
            .await
            .map_err(pg_err)?;
        Ok(())
    }

    pub(super) async fn r_claim_outbox(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> Result<Vec<ClaimedRightsOutbox>> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        // SKIP LOCKED: two processes claiming at once take different items.
        let rows = tx
            .query(
                "UPDATE rights_outbox SET lease_until_us = $2
                 WHERE seq IN (SELECT seq FROM rights_outbox
                               WHERE state = 'queued' AND next_at_us <= $1
                                 AND (lease_until_us IS NULL OR lease_until_us <= $1)
                               ORDER BY seq LIMIT $3 FOR UPDATE SKIP LOCKED)
                 RETURNING seq, request_id, kind, reference, attempts",
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
                )
            })
            .collect();
        claimed.sort_by_key(|c| c.0);
        let mut out = Vec::with_capacity(claimed.len());
        for (seq, id, kind, reference, attempts) in claimed {
            let Some(request) = request_by_id(&tx, id).await? else {
                continue;
            };
            out.push(ClaimedRightsOutbox {
                seq,
                kind,
                reference,
                attempts,
                request,
            });
        }
        tx.commit().await.map_err(pg_err)?;
        Ok(out)
    }

    pub(super) async fn r_finish_outbox(
        &self,
        seq: i64,
        when: Timestamp,
        outcome: &NoticeOutcome,
    ) -> Result<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        super::notices::finish_outbox(&tx, "rights_outbox", seq, when, outcome).await?;
        tx.commit().await.map_err(pg_err)?;
        Ok(())
    }

    pub(super) async fn r_outbox(&self, id: Uuid) -> Result<Vec<RightsOutboxRow>> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT seq, kind, reference, state, attempts, last_error FROM rights_outbox
                 WHERE request_id = $1 ORDER BY seq",
                &[&id],
            )
            .await
            .map_err(pg_err)?;
        Ok(rows
            .iter()
            .map(|r| RightsOutboxRow {
                seq: r.get(0),
                kind: r.get(1),
                reference: r.get(2),
                state: r.get(3),
                attempts: r.get(4),
                last_error: r.get(5),
            })
            .collect())
    }

    pub(super) async fn r_confirmation(&self, id: Uuid) -> Result<Option<ConfirmationRow>> {
        let row = self
            .client()
            .await?
            .query_opt(
                "SELECT request_id, sent_at_us, keep_until_us, letter_sealed
                 FROM rights_confirmations WHERE request_id = $1",
                &[&id],
            )
            .await
            .map_err(pg_err)?;
        row.map(|r| {
            Ok(ConfirmationRow {
                request: r.get(0),
                sent_at: from_micros(r.get(1))?,
                keep_until: from_micros(r.get(2))?,
                letter_sealed: r.get(3),
            })
        })
        .transpose()
    }

    pub(super) async fn r_purge_confirmations(
        &self,
        now: Timestamp,
        audit: &NewAuditEvent,
    ) -> Result<u64> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        let n = tx
            .execute(
                "DELETE FROM rights_confirmations WHERE keep_until_us < $1",
                &[&micros(now)],
            )
            .await
            .map_err(pg_err)?;
        if n > 0 {
            append(&tx, &self.chain_key, audit).await?;
        }
        tx.commit().await.map_err(pg_err)?;
        Ok(n)
    }

    pub(super) async fn r_create_code(&self, k: &VerificationCodeRow) -> Result<()> {
        self.client()
            .await?
            .execute(
                &format!(
                    "INSERT INTO verification_codes ({CODE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
                ),
                &[
                    &k.id,
                    &k.email_index,
                    &k.code_hash,
                    &micros(k.created_at),
                    &micros(k.expires_at),
                    &k.attempts,
                    &k.used_at.map(micros),
                    &k.detail_sealed,
                ],
            )
            .await
            .map_err(pg_err)?;
        Ok(())
    }

    pub(super) async fn r_code(&self, id: Uuid) -> Result<Option<VerificationCodeRow>> {
        self.client()
            .await?
            .query_opt(
                &format!("SELECT {CODE_COLUMNS} FROM verification_codes WHERE id = $1"),
                &[&id],
            )
            .await
            .map_err(pg_err)?
            .as_ref()
            .map(code)
            .transpose()
    }

    pub(super) async fn r_codes_since(&self, email_index: &[u8], since: Timestamp) -> Result<i64> {
        let row = self
            .client()
            .await?
            .query_one(
                "SELECT count(*) FROM verification_codes WHERE email_index = $1 AND created_at_us >= $2",
                &[&email_index, &micros(since)],
            )
            .await
            .map_err(pg_err)?;
        Ok(row.get(0))
    }

    pub(super) async fn r_fail_code(&self, id: Uuid) -> Result<Option<i64>> {
        let row = self
            .client()
            .await?
            .query_opt(
                "UPDATE verification_codes SET attempts = attempts + 1
                 WHERE id = $1 AND used_at_us IS NULL RETURNING attempts",
                &[&id],
            )
            .await
            .map_err(pg_err)?;
        Ok(row.map(|r| r.get(0)))
    }

    pub(super) async fn r_use_code(&self, id: Uuid, when: Timestamp) -> Result<bool> {
        let n = self
            .client()
            .await?
            .execute(
                "UPDATE verification_codes SET used_at_us = $2 WHERE id = $1 AND used_at_us IS NULL",
                &[&id, &micros(when)],
            )
            .await
            .map_err(pg_err)?;
        Ok(n == 1)
    }

    pub(super) async fn r_pair_agent(
        &self,
        agent: &str,
        token_hash: &[u8],
        when: Timestamp,
        audit: &NewAuditEvent,
    ) -> Result<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        tx.execute(
            "INSERT INTO drp_agents (agent_id, token_hash, paired_at_us) VALUES ($1, $2, $3)
             ON CONFLICT (agent_id) DO UPDATE SET token_hash = excluded.token_hash,
                paired_at_us = excluded.paired_at_us",
            &[&agent, &token_hash, &micros(when)],
        )
        .await
        .map_err(pg_err)?;
        append(&tx, &self.chain_key, audit).await?;
        tx.commit().await.map_err(pg_err)?;
        Ok(())
    }

    pub(super) async fn r_agent_by_token(&self, token_hash: &[u8]) -> Result<Option<String>> {
        let row = self
            .client()
            .await?
            .query_opt(
                "SELECT agent_id FROM drp_agents WHERE token_hash = $1",
                &[&token_hash],
            )
            .await
            .map_err(pg_err)?;
        Ok(row.map(|r| r.get(0)))
    }

    pub(super) async fn r_set_webhook(
        &self,
        tenant: TenantId,
        url: Option<&str>,
        when: Timestamp,
        audit: &NewAuditEvent,
    ) -> Result<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        tx.execute(
            "INSERT INTO rights_contacts (tenant_id, webhook_url, updated_at_us) VALUES ($1, $2, $3)
             ON CONFLICT (tenant_id) DO UPDATE SET webhook_url = excluded.webhook_url,
                updated_at_us = excluded.updated_at_us",
            &[&tenant.as_uuid(), &url, &micros(when)],
        )
        .await
        .map_err(pg_err)?;
        append(&tx, &self.chain_key, audit).await?;
        tx.commit().await.map_err(pg_err)?;
        Ok(())
    }

    pub(super) async fn r_webhook(&self, tenant: TenantId) -> Result<Option<String>> {
        let row = self
            .client()
            .await?
            .query_opt(
                "SELECT webhook_url FROM rights_contacts WHERE tenant_id = $1",
                &[&tenant.as_uuid()],
            )
            .await
            .map_err(pg_err)?;
        Ok(row.and_then(|r| r.get::<_, Option<String>>(0)))
    }
}
