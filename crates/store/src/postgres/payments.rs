//! Payment consents on PostgreSQL.

use custodian_core::{SubjectId, TenantId};
use deadpool_postgres::GenericClient;
use jiff::Timestamp;
use tokio_postgres::Row;
use uuid::Uuid;

use super::{PgStore, append, consent, pg_err};
use crate::audit::NewAuditEvent;
use crate::consent::{ConsentText, NewConsentEvent};
use crate::payments::{AutoRechargeRow, PaymentMethodRow};
use crate::{Result, from_micros, micros};

fn method_row(r: &Row) -> Result<PaymentMethodRow> {
    Ok(PaymentMethodRow {
        id: r.get(0),
        tenant: TenantId::from_uuid(r.get(1)),
        subject: SubjectId::from_uuid(r.get(2)),
        method: r.get(3),
        psp: r.get(4),
        label: r.get(5),
        fields_sealed: r.get(6),
        created_at: from_micros(r.get(7))?,
    })
}

impl PgStore {
    pub(super) async fn p_save_method(
        &self,
        row: &PaymentMethodRow,
        events: &[NewConsentEvent],
        texts: &[(TenantId, ConsentText, Timestamp)],
        audit: &NewAuditEvent,
    ) -> Result<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        consent::insert(&tx, events, texts).await?;
        tx.execute(
            "INSERT INTO saved_payment_methods (id, tenant_id, subject_id, method, psp, label, fields_sealed, created_at_us)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            &[
                &row.id,
                &row.tenant.as_uuid(),
                &row.subject.as_uuid(),
                &row.method,
                &row.psp,
                &row.label,
                &row.fields_sealed,
                &micros(row.created_at),
            ],
        )
        .await
        .map_err(pg_err)?;
        append(&tx, &self.chain_key, audit).await?;
        tx.commit().await.map_err(pg_err)
    }

    pub(super) async fn p_methods(
        &self,
        tenant: TenantId,
        subject: Option<SubjectId>,
    ) -> Result<Vec<PaymentMethodRow>> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT id, tenant_id, subject_id, method, psp, label, fields_sealed, created_at_us
                 FROM saved_payment_methods WHERE tenant_id = $1 AND ($2::uuid IS NULL OR subject_id = $2)
                 ORDER BY created_at_us, id",
                &[&tenant.as_uuid(), &subject.map(|s| s.as_uuid())],
            )
            .await
            .map_err(pg_err)?;
        rows.iter().map(method_row).collect()
    }

    pub(super) async fn p_delete_methods(
        &self,
        tenant: TenantId,
        subject: SubjectId,
        id: Option<Uuid>,
        events: &[NewConsentEvent],
        audit: &NewAuditEvent,
    ) -> Result<u64> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        let n = tx
            .execute(
                "DELETE FROM saved_payment_methods WHERE tenant_id = $1 AND subject_id = $2 AND ($3::uuid IS NULL OR id = $3)",
                &[&tenant.as_uuid(), &subject.as_uuid(), &id],
            )
            .await
            .map_err(pg_err)?;
        if n > 0 || !events.is_empty() {
            consent::insert(&tx, events, &[]).await?;
            append(&tx, &self.chain_key, audit).await?;
        }
        tx.commit().await.map_err(pg_err)?;
        Ok(n)
    }

    pub(super) async fn p_set_recharge(
        &self,
        row: &AutoRechargeRow,
        events: &[NewConsentEvent],
        texts: &[(TenantId, ConsentText, Timestamp)],
        audit: &NewAuditEvent,
    ) -> Result<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        consent::insert(&tx, events, texts).await?;
        tx.execute(
            "INSERT INTO auto_recharge (tenant_id, subject_id, threshold_minor, amount_minor, currency, method_id, created_at_us)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (tenant_id, subject_id) DO UPDATE SET threshold_minor = excluded.threshold_minor,
               amount_minor = excluded.amount_minor, currency = excluded.currency, method_id = excluded.method_id",
            &[
                &row.tenant.as_uuid(),
                &row.subject.as_uuid(),
                &row.threshold_minor,
                &row.amount_minor,
                &row.currency,
                &row.method,
                &micros(row.created_at),
            ],
        )
        .await
        .map_err(pg_err)?;
        append(&tx, &self.chain_key, audit).await?;
        tx.commit().await.map_err(pg_err)
    }

    pub(super) async fn p_recharge(
        &self,
        tenant: TenantId,
        subject: SubjectId,
    ) -> Result<Option<AutoRechargeRow>> {
        let row = self
            .client()
            .await?
            .query_opt(
                "SELECT threshold_minor, amount_minor, currency, method_id, created_at_us FROM auto_recharge
                 WHERE tenant_id = $1 AND subject_id = $2",
                &[&tenant.as_uuid(), &subject.as_uuid()],
            )
            .await
            .map_err(pg_err)?;
        row.map(|r| {
            Ok(AutoRechargeRow {
                tenant,
                subject,
                threshold_minor: r.get(0),
                amount_minor: r.get(1),
                currency: r.get(2),
                method: r.get(3),
                created_at: from_micros(r.get(4))?,
            })
        })
        .transpose()
    }

    pub(super) async fn p_delete_recharge(
        &self,
        tenant: TenantId,
        subject: SubjectId,
        events: &[NewConsentEvent],
        audit: &NewAuditEvent,
    ) -> Result<bool> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        let n = tx
            .execute(
                "DELETE FROM auto_recharge WHERE tenant_id = $1 AND subject_id = $2",
                &[&tenant.as_uuid(), &subject.as_uuid()],
            )
            .await
            .map_err(pg_err)?;
        consent::insert(&tx, events, &[]).await?;
        append(&tx, &self.chain_key, audit).await?;
        tx.commit().await.map_err(pg_err)?;
        Ok(n > 0)
    }
}
