//! Payment consents on SQLite.

use custodian_core::{SubjectId, TenantId};
use jiff::Timestamp;
use rusqlite::{OptionalExtension, Row, params};
use uuid::Uuid;

use super::{SqliteStore, append, consent, db_err};
use crate::audit::NewAuditEvent;
use crate::consent::{ConsentText, NewConsentEvent};
use crate::payments::{AutoRechargeRow, PaymentMethodRow};
use crate::{Result, from_micros, micros};

fn at(us: i64) -> rusqlite::Result<Timestamp> {
    from_micros(us).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Integer, e.into())
    })
}

fn method_row(r: &Row<'_>) -> rusqlite::Result<PaymentMethodRow> {
    Ok(PaymentMethodRow {
        id: r.get(0)?,
        tenant: TenantId::from_uuid(r.get(1)?),
        subject: SubjectId::from_uuid(r.get(2)?),
        method: r.get(3)?,
        psp: r.get(4)?,
        label: r.get(5)?,
        fields_sealed: r.get(6)?,
        created_at: at(r.get(7)?)?,
    })
}

impl SqliteStore {
    pub(super) async fn p_save_method(
        &self,
        row: &PaymentMethodRow,
        events: &[NewConsentEvent],
        texts: &[(TenantId, ConsentText, Timestamp)],
        audit: &NewAuditEvent,
    ) -> Result<()> {
        let (row, events, texts, audit) =
            (row.clone(), events.to_vec(), texts.to_vec(), audit.clone());
        self.write(move |tx, key| {
            consent::insert(tx, &events, &texts)?;
            tx.execute(
                "INSERT INTO saved_payment_methods (id, tenant_id, subject_id, method, psp, label, fields_sealed, created_at_us)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    row.id,
                    row.tenant.as_uuid(),
                    row.subject.as_uuid(),
                    row.method,
                    row.psp,
                    row.label,
                    row.fields_sealed,
                    micros(row.created_at)
                ],
            )
            .map_err(db_err)?;
            append(tx, key, &audit)?;
            Ok(())
        })
        .await
    }

    pub(super) async fn p_methods(
        &self,
        tenant: TenantId,
        subject: Option<SubjectId>,
    ) -> Result<Vec<PaymentMethodRow>> {
        self.read(move |c| {
            let mut s = c
                .prepare_cached(
                    "SELECT id, tenant_id, subject_id, method, psp, label, fields_sealed, created_at_us
                     FROM saved_payment_methods WHERE tenant_id = ?1 AND (?2 IS NULL OR subject_id = ?2)
                     ORDER BY created_at_us, id",
                )
                .map_err(db_err)?;
            let rows = s
                .query_map(
                    params![tenant.as_uuid(), subject.map(|s| s.as_uuid())],
                    method_row,
                )
                .map_err(db_err)?
                .collect::<rusqlite::Result<Vec<_>>>()
                .map_err(db_err)?;
            Ok(rows)
        })
        .await
    }

    pub(super) async fn p_delete_methods(
        &self,
        tenant: TenantId,
        subject: SubjectId,
        id: Option<Uuid>,
        events: &[NewConsentEvent],
        audit: &NewAuditEvent,
    ) -> Result<u64> {
        let (events, audit) = (events.to_vec(), audit.clone());
        self.write(move |tx, key| {
            let n = tx
                .execute(
                    "DELETE FROM saved_payment_methods WHERE tenant_id = ?1 AND subject_id = ?2 AND (?3 IS NULL OR id = ?3)",
                    params![tenant.as_uuid(), subject.as_uuid(), id],
                )
                .map_err(db_err)?;
            // A method that was not there is not deleted; a withdrawal is recorded anyway.
            if n > 0 || !events.is_empty() {
                consent::insert(tx, &events, &[])?;
                append(tx, key, &audit)?;
            }
            Ok(n as u64)
        })
        .await
    }

    pub(super) async fn p_set_recharge(
        &self,
        row: &AutoRechargeRow,
        events: &[NewConsentEvent],
        texts: &[(TenantId, ConsentText, Timestamp)],
        audit: &NewAuditEvent,
    ) -> Result<()> {
        let (row, events, texts, audit) =
            (row.clone(), events.to_vec(), texts.to_vec(), audit.clone());
        self.write(move |tx, key| {
            consent::insert(tx, &events, &texts)?;
            tx.execute(
                "INSERT INTO auto_recharge (tenant_id, subject_id, threshold_minor, amount_minor, currency, method_id, created_at_us)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (tenant_id, subject_id) DO UPDATE SET threshold_minor = excluded.threshold_minor,
                   amount_minor = excluded.amount_minor, currency = excluded.currency, method_id = excluded.method_id",
                params![
                    row.tenant.as_uuid(),
                    row.subject.as_uuid(),
                    row.threshold_minor,
                    row.amount_minor,
                    row.currency,
                    row.method,
                    micros(row.created_at)
                ],
            )
            .map_err(db_err)?;
            append(tx, key, &audit)?;
            Ok(())
        })
        .await
    }

    pub(super) async fn p_recharge(
        &self,
        tenant: TenantId,
        subject: SubjectId,
    ) -> Result<Option<AutoRechargeRow>> {
        self.read(move |c| {
            c.query_row(
                "SELECT threshold_minor, amount_minor, currency, method_id, created_at_us FROM auto_recharge
                 WHERE tenant_id = ?1 AND subject_id = ?2",
                params![tenant.as_uuid(), subject.as_uuid()],
                |r| {
                    Ok(AutoRechargeRow {
                        tenant,
                        subject,
                        threshold_minor: r.get(0)?,
                        amount_minor: r.get(1)?,
                        currency: r.get(2)?,
                        method: r.get(3)?,
                        created_at: at(r.get(4)?)?,
                    })
                },
            )
            .optional()
            .map_err(db_err)
        })
        .await
    }

    pub(super) async fn p_delete_recharge(
        &self,
        tenant: TenantId,
        subject: SubjectId,
        events: &[NewConsentEvent],
        audit: &NewAuditEvent,
    ) -> Result<bool> {
        let (events, audit) = (events.to_vec(), audit.clone());
        self.write(move |tx, key| {
            let n = tx
                .execute(
                    "DELETE FROM auto_recharge WHERE tenant_id = ?1 AND subject_id = ?2",
                    params![tenant.as_uuid(), subject.as_uuid()],
                )
                .map_err(db_err)?;
            consent::insert(tx, &events, &[])?;
            append(tx, key, &audit)?;
            Ok(n > 0)
        })
        .await
    }
}
