//! Approvals, grants and cases on PostgreSQL.

use custodian_core::TenantId;
use jiff::Timestamp;
use tokio_postgres::{Row, Transaction};
use uuid::Uuid;

use super::{PgStore, append, pg_err};
use crate::access::{ApprovalRow, CaseFilter, CaseRow, GrantRow};
use crate::audit::NewAuditEvent;
use crate::{Result, from_micros, micros};

const APPROVAL_COLUMNS: &str = "id, kind, target, tenant_id, payload, reason, requested_by, \
    requested_at_us, expires_at_us, state, decided_by, decided_at_us, note, executed_at_us, result";

const GRANT_COLUMNS: &str = "id, account_id, action, tenant_id, reason, duration_s, \
    requested_at_us, approval_id, active_from_us, expires_at_us, revoked_at_us, revoked_by";

const CASE_COLUMNS: &str = "id, kind, state, priority, tenant_id, account_id, source, \
    opened_at_us, due_at_us, closed_at_us, version, country, authority_type, outcome, detail_sealed";

fn time(us: Option<i64>) -> Result<Option<Timestamp>> {
    us.map(from_micros).transpose()
}

fn approval(r: &Row) -> Result<ApprovalRow> {
    Ok(ApprovalRow {
        id: r.get(0),
        kind: r.get(1),
        target: r.get(2),
        tenant: r.get::<_, Option<Uuid>>(3).map(TenantId::from_uuid),
        payload: r.get(4),
        reason: r.get(5),
        requested_by: r.get(6),
        requested_at: from_micros(r.get(7))?,
        expires_at: from_micros(r.get(8))?,
        state: r.get(9),
        decided_by: r.get(10),
        decided_at: time(r.get(11))?,
        note: r.get(12),
        executed_at: time(r.get(13))?,
        result: r.get(14),
    })
}

fn grant(r: &Row) -> Result<GrantRow> {
    Ok(GrantRow {
        id: r.get(0),
        account: r.get(1),
        action: r.get(2),
        tenant: r.get::<_, Option<Uuid>>(3).map(TenantId::from_uuid),
        reason: r.get(4),
        duration_s: r.get(5),
        requested_at: from_micros(r.get(6))?,
        approval: r.get(7),
        active_from: time(r.get(8))?,
        expires_at: time(r.get(9))?,
        revoked_at: time(r.get(10))?,
        revoked_by: r.get(11),
    })
}

fn case(r: &Row) -> Result<CaseRow> {
    Ok(CaseRow {
        id: r.get(0),
        kind: r.get(1),
        state: r.get(2),
        priority: r.get(3),
        tenant: r.get::<_, Option<Uuid>>(4).map(TenantId::from_uuid),
        account: r.get(5),
        source: r.get(6),
        opened_at: from_micros(r.get(7))?,
        due_at: time(r.get(8))?,
        closed_at: time(r.get(9))?,
        version: r.get(10),
        country: r.get(11),
        authority_type: r.get(12),
        outcome: r.get(13),
        detail_sealed: r.get(14),
    })
}

async fn write_grant_times(tx: &Transaction<'_>, g: &GrantRow) -> Result<()> {
    tx.execute(
        "UPDATE access_grants SET active_from_us = $2, expires_at_us = $3, revoked_at_us = $4, revoked_by = $5 WHERE id = $1",
        &[
            &g.id,
            &g.active_from.map(micros),
            &g.expires_at.map(micros),
            &g.revoked_at.map(micros),
            &g.revoked_by,
        ],
    )
    .await
    .map_err(pg_err)?;
    Ok(())
}

impl PgStore {
    pub(super) async fn x_create_approval(
        &self,
        a: &ApprovalRow,
        g: Option<&GrantRow>,
        audit: &NewAuditEvent,
    ) -> Result<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        tx.execute(
            &format!("INSERT INTO approvals ({APPROVAL_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"),
            &[
                &a.id,
                &a.kind,
                &a.target,
                &a.tenant.map(|t| t.as_uuid()),
                &a.payload,
                &a.reason,
                &a.requested_by,
                &micros(a.requested_at),
                &micros(a.expires_at),
                &a.state,
                &a.decided_by,
                &a.decided_at.map(micros),
                &a.note,
                &a.executed_at.map(micros),
                &a.result,
            ],
        )
        .await
        .map_err(pg_err)?;
        if let Some(g) = g {
            tx.execute(
                &format!("INSERT INTO access_grants ({GRANT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"),
                &[
                    &g.id,
                    &g.account,
                    &g.action,
                    &g.tenant.map(|t| t.as_uuid()),
                    &g.reason,
                    &g.duration_s,
                    &micros(g.requested_at),
                    &g.approval,
                    &g.active_from.map(micros),
                    &g.expires_at.map(micros),
                    &g.revoked_at.map(micros),
                    &g.revoked_by,
                ],
            )
            .await
            .map_err(pg_err)?;
        }
        append(&tx, &self.chain_key, audit).await?;
        tx.commit().await.map_err(pg_err)?;
        Ok(())
    }

    pub(super) async fn x_approval(&self, id: Uuid) -> Result<Option<ApprovalRow>> {
        let row = self
            .client()
            .await?
            .query_opt(
                &format!("SELECT {APPROVAL_COLUMNS} FROM approvals WHERE id = $1"),
                &[&id],
            )
            .await
            .map_err(pg_err)?;
        row.as_ref().map(approval).transpose()
    }

    pub(super) async fn x_approvals(
        &self,
        state: Option<&str>,
        limit: u32,
    ) -> Result<Vec<ApprovalRow>> {
        let rows = self
            .client()
            .await?
            .query(
                &format!(
                    "SELECT {APPROVAL_COLUMNS} FROM approvals WHERE ($1::text IS NULL OR state = $1)
                     ORDER BY requested_at_us DESC, id LIMIT $2"
                ),
                &[&state, &i64::from(limit.clamp(1, 1_000))],
            )
            .await
            .map_err(pg_err)?;
        rows.iter().map(approval).collect()
    }

    pub(super) async fn x_update_approval(
        &self,
        a: &ApprovalRow,
        from: &str,
        g: Option<&GrantRow>,
        audit: &NewAuditEvent,
    ) -> Result<bool> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        let changed = tx
            .execute(
                "UPDATE approvals SET state = $3, decided_by = $4, decided_at_us = $5, note = $6,
                        executed_at_us = $7, result = $8
                 WHERE id = $1 AND state = $2",
                &[
                    &a.id,
                    &from,
                    &a.state,
                    &a.decided_by,
                    &a.decided_at.map(micros),
                    &a.note,
                    &a.executed_at.map(micros),
                    &a.result,
                ],
            )
            .await
            .map_err(pg_err)?;
        if changed == 0 {
            return Ok(false);
        }
        if let Some(g) = g {
            write_grant_times(&tx, g).await?;
        }
        append(&tx, &self.chain_key, audit).await?;
        tx.commit().await.map_err(pg_err)?;
        Ok(true)
    }

    pub(super) async fn x_grant(&self, id: Uuid) -> Result<Option<GrantRow>> {
        let row = self
            .client()
            .await?
            .query_opt(
                &format!("SELECT {GRANT_COLUMNS} FROM access_grants WHERE id = $1"),
                &[&id],
            )
            .await
            .map_err(pg_err)?;
        row.as_ref().map(grant).transpose()
    }

    pub(super) async fn x_grants(&self, account: Option<Uuid>) -> Result<Vec<GrantRow>> {
        let rows = self
            .client()
            .await?
            .query(
                &format!(
                    "SELECT {GRANT_COLUMNS} FROM access_grants WHERE ($1::uuid IS NULL OR account_id = $1)
                     ORDER BY requested_at_us DESC, id LIMIT 1000"
                ),
                &[&account],
            )
            .await
            .map_err(pg_err)?;
        rows.iter().map(grant).collect()
    }

    pub(super) async fn x_end_grant(
        &self,
        id: Uuid,
        at: Timestamp,
        by: &str,
        audit: &NewAuditEvent,
    ) -> Result<bool> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        let changed = tx
            .execute(
                "UPDATE access_grants SET revoked_at_us = $2, revoked_by = $3
                 WHERE id = $1 AND revoked_at_us IS NULL",
                &[&id, &micros(at), &by],
            )
            .await
            .map_err(pg_err)?;
        if changed == 0 {
            return Ok(false);
        }
        append(&tx, &self.chain_key, audit).await?;
        tx.commit().await.map_err(pg_err)?;
        Ok(true)
    }

    pub(super) async fn x_create_case(&self, k: &CaseRow, audit: &NewAuditEvent) -> Result<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        tx.execute(
            &format!("INSERT INTO cases ({CASE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"),
            &[
                &k.id,
                &k.kind,
                &k.state,
                &k.priority,
                &k.tenant.map(|t| t.as_uuid()),
                &k.account,
                &k.source,
                &micros(k.opened_at),
                &k.due_at.map(micros),
                &k.closed_at.map(micros),
                &k.version,
                &k.country,
                &k.authority_type,
                &k.outcome,
                &k.detail_sealed,
            ],
        )
        .await
        .map_err(pg_err)?;
        append(&tx, &self.chain_key, audit).await?;
        tx.commit().await.map_err(pg_err)?;
        Ok(())
    }

    pub(super) async fn x_case(&self, id: Uuid) -> Result<Option<CaseRow>> {
        let row = self
            .client()
            .await?
            .query_opt(
                &format!("SELECT {CASE_COLUMNS} FROM cases WHERE id = $1"),
                &[&id],
            )
            .await
            .map_err(pg_err)?;
        row.as_ref().map(case).transpose()
    }

    pub(super) async fn x_cases(&self, filter: &CaseFilter) -> Result<Vec<CaseRow>> {
        let rows = self
            .client()
            .await?
            .query(
                &format!(
                    "SELECT {CASE_COLUMNS} FROM cases
                     WHERE ($1::text IS NULL OR kind = $1) AND (NOT $2 OR closed_at_us IS NULL)
                     ORDER BY opened_at_us DESC, id LIMIT $3"
                ),
                &[&filter.kind, &filter.open_only, &filter.effective_limit()],
            )
            .await
            .map_err(pg_err)?;
        rows.iter().map(case).collect()
    }

    pub(super) async fn x_update_case(&self, k: &CaseRow, audit: &NewAuditEvent) -> Result<bool> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        let changed = tx
            .execute(
                "UPDATE cases SET state = $2, priority = $3, tenant_id = $4, account_id = $5,
                        due_at_us = $6, closed_at_us = $7, version = $8::bigint, country = $9,
                        authority_type = $10, outcome = $11, detail_sealed = $12
                 WHERE id = $1 AND version = $8::bigint - 1",
                &[
                    &k.id,
                    &k.state,
                    &k.priority,
                    &k.tenant.map(|t| t.as_uuid()),
                    &k.account,
                    &k.due_at.map(micros),
                    &k.closed_at.map(micros),
                    &k.version,
                    &k.country,
                    &k.authority_type,
                    &k.outcome,
                    &k.detail_sealed,
                ],
            )
            .await
            .map_err(pg_err)?;
        if changed == 0 {
            return Ok(false);
        }
        append(&tx, &self.chain_key, audit).await?;
        tx.commit().await.map_err(pg_err)?;
        Ok(true)
    }
}
