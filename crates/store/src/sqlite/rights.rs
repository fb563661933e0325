//! Data subject requests on SQLite.

use custodian_core::{SubjectId, TenantId};
use jiff::Timestamp;
use rusqlite::{OptionalExtension, Row, Transaction, params};
use uuid::Uuid;

use super::{SqliteStore, append, db_err};
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

fn time(us: Option<i64>) -> rusqlite::Result<Option<Timestamp>> {
    us.map(|us| {
        from_micros(us).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Integer, e.into())
        })
    })
    .transpose()
}

fn at(us: i64) -> rusqlite::Result<Timestamp> {
    time(Some(us)).map(|t| t.unwrap_or_default())
}

fn request(r: &Row<'_>) -> rusqlite::Result<RightsRequestRow> {
    Ok(RightsRequestRow {
        id: r.get(0)?,
        tenant: r.get::<_, Option<Uuid>>(1)?.map(TenantId::from_uuid),
        subject: r.get::<_, Option<Uuid>>(2)?.map(SubjectId::from_uuid),
        parent: r.get(3)?,
        right: r.get(4)?,
        regime: r.get(5)?,
        channel: r.get(6)?,
        state: r.get(7)?,
        reason: r.get(8)?,
        received_at: at(r.get(9)?)?,
        due_at: at(r.get(10)?)?,
        extended_to: time(r.get(11)?)?,
        verified_at: time(r.get(12)?)?,
        closed_at: time(r.get(13)?)?,
        locale: r.get(14)?,
        agent: r.get(15)?,
        job: r.get(16)?,
        version: r.get(17)?,
        detail_sealed: r.get(18)?,
    })
}

fn job(r: &Row<'_>) -> rusqlite::Result<RightsJobRow> {
    Ok(RightsJobRow {
        id: r.get(0)?,
        tenant: TenantId::from_uuid(r.get(1)?),
        right: r.get(2)?,
        created_at: at(r.get(3)?)?,
        total: r.get(4)?,
        finished_at: time(r.get(5)?)?,
    })
}

fn code(r: &Row<'_>) -> rusqlite::Result<VerificationCodeRow> {
    Ok(VerificationCodeRow {
        id: r.get(0)?,
        email_index: r.get(1)?,
        code_hash: r.get(2)?,
        created_at: at(r.get(3)?)?,
        expires_at: at(r.get(4)?)?,
        attempts: r.get(5)?,
        used_at: time(r.get(6)?)?,
        detail_sealed: r.get(7)?,
    })
}

fn queue(tx: &Transaction<'_>, items: &[NewRightsOutbox], now: Timestamp) -> Result<()> {
    let mut stmt = tx
        .prepare_cached(
            "INSERT INTO rights_outbox (request_id, kind, reference, created_at_us, next_at_us)
             VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
        )
        .map_err(db_err)?;
    for i in items {
        stmt.execute(params![
            i.request,
            i.kind,
            i.reference,
            micros(now),
            micros(i.next_at)
        ])
        .map_err(db_err)?;
    }
    Ok(())
}

impl SqliteStore {
    pub(super) async fn r_create_requests(
        &self,
        j: Option<&RightsJobRow>,
        requests: &[RightsRequestRow],
        outbox: &[NewRightsOutbox],
        audit: &NewAuditEvent,
    ) -> Result<()> {
        let (j, requests, outbox, audit) = (
            j.cloned(),
            requests.to_vec(),
            outbox.to_vec(),
            audit.clone(),
        );
        self.write(move |tx, key| {
            if let Some(j) = &j {
                tx.execute(
                    &format!("INSERT INTO rights_jobs ({JOB_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"),
                    params![
                        j.id,
                        j.tenant.as_uuid(),
                        j.right,
                        micros(j.created_at),
                        j.total,
                        j.finished_at.map(micros)
                    ],
                )
                .map_err(db_err)?;
            }
            {
                let mut stmt = tx
                    .prepare_cached(&format!(
                        "INSERT INTO rights_requests ({REQUEST_COLUMNS}) VALUES
                         (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)"
                    ))
                    .map_err(db_err)?;
                for k in &requests {
                    stmt.execute(params![
                        k.id,
                        k.tenant.map(|t| t.as_uuid()),
                        k.subject.map(|s| s.as_uuid()),
                        k.parent,
                        k.right,
                        k.regime,
                        k.channel,
                        k.state,
                        k.reason,
                        micros(k.received_at),
                        micros(k.due_at),
                        k.extended_to.map(micros),
                        k.verified_at.map(micros),
                        k.closed_at.map(micros),
                        k.locale,
                        k.agent,
                        k.job,
                        k.version,
                        k.detail_sealed,
                    ])
                    .map_err(db_err)?;
                }
            }
            queue(tx, &outbox, audit.at)?;
            append(tx, key, &audit)?;
            Ok(())
        })
        .await
    }

    pub(super) async fn r_request(&self, id: Uuid) -> Result<Option<RightsRequestRow>> {
        self.read(move |c| {
            c.query_row(
                &format!("SELECT {REQUEST_COLUMNS} FROM rights_requests WHERE id = ?1"),
                [id],
                request,
            )
            .optional()
            .map_err(db_err)
        })
        .await
    }

    pub(super) async fn r_requests(&self, f: &RightsFilter) -> Result<Vec<RightsRequestRow>> {
        let f = f.clone();
        self.read(move |c| {
            let (scope, tenant) = match f.scope {
                RequestScope::All => (0, None),
                RequestScope::Platform => (1, None),
                RequestScope::Tenant(t) => (2, Some(t.as_uuid())),
            };
            let order = if f.by_due {
                "coalesce(extended_to_us, due_at_us), id"
            } else {
                "received_at_us DESC, id"
            };
            let mut stmt = c
                .prepare_cached(&format!(
                    "SELECT {REQUEST_COLUMNS} FROM rights_requests
                     WHERE (?1 = 0 OR (?1 = 1 AND tenant_id IS NULL) OR (?1 = 2 AND tenant_id = ?2))
                       AND (?3 = 0 OR closed_at_us IS NULL)
                       AND (?4 IS NULL OR state = ?4)
                       AND (?5 IS NULL OR agent_id = ?5)
                       AND (?6 IS NULL OR job_id = ?6)
                       AND (?7 IS NULL OR parent_id = ?7)
                       AND (?8 IS NULL OR coalesce(extended_to_us, due_at_us) < ?8)
                     ORDER BY {order} LIMIT ?9"
                ))
                .map_err(db_err)?;
            let rows = stmt
                .query_map(
                    params![
                        scope,
                        tenant,
                        f.open_only,
                        f.state,
                        f.agent,
                        f.job,
                        f.parent,
                        f.due_before.map(micros),
                        f.effective_limit()
                    ],
                    request,
                )
                .map_err(db_err)?;
            rows.collect::<rusqlite::Result<Vec<_>>>().map_err(db_err)
        })
        .await
    }

    pub(super) async fn r_update_request(
        &self,
        k: &RightsRequestRow,
        outbox: &[NewRightsOutbox],
        confirmation: Option<&ConfirmationRow>,
        audit: &NewAuditEvent,
    ) -> Result<bool> {
        let (k, outbox, confirmation, audit) = (
            k.clone(),
            outbox.to_vec(),
            confirmation.cloned(),
            audit.clone(),
        );
        self.write(move |tx, key| {
            let changed = tx
                .execute(
                    "UPDATE rights_requests SET tenant_id = ?2, subject_id = ?3, state = ?4,
                            reason = ?5, due_at_us = ?6, extended_to_us = ?7, verified_at_us = ?8,
                            closed_at_us = ?9, locale = ?10, version = ?11, detail_sealed = ?12,
                            regime = ?13
                     WHERE id = ?1 AND version = ?11 - 1",
                    params![
                        k.id,
                        k.tenant.map(|t| t.as_uuid()),
                        k.subject.map(|s| s.as_uuid()),
                        k.state,
                        k.reason,
                        micros(k.due_at),
                        k.extended_to.map(micros),
                        k.verified_at.map(micros),
                        k.closed_at.map(micros),
                        k.locale,
                        k.version,
                        k.detail_sealed,
                        k.regime,
                    ],
                )
                .map_err(db_err)?;
            if changed == 0 {
                return Ok(false);
            }
            queue(tx, &outbox, audit.at)?;
            if let Some(c) = &confirmation {
                tx.execute(
                    "INSERT INTO rights_confirmations (request_id, sent_at_us, keep_until_us, letter_sealed)
                     VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (request_id) DO UPDATE SET sent_at_us = excluded.sent_at_us,
                        keep_until_us = excluded.keep_until_us, letter_sealed = excluded.letter_sealed",
                    params![c.request, micros(c.sent_at), micros(c.keep_until), c.letter_sealed],
                )
                .map_err(db_err)?;
            }
            append(tx, key, &audit)?;
            Ok(true)
        })
        .await
    }

    pub(super) async fn r_job(&self, id: Uuid) -> Result<Option<RightsJobRow>> {
        self.read(move |c| {
            c.query_row(
                &format!("SELECT {JOB_COLUMNS} FROM rights_jobs WHERE id = ?1"),
                [id],
                job,
            )
            .optional()
            .map_err(db_err)
        })
        .await
    }

    pub(super) async fn r_job_counts(&self, id: Uuid) -> Result<Vec<(String, i64)>> {
        self.read(move |c| {
            let mut stmt = c
                .prepare_cached(
                    "SELECT state, count(*) FROM rights_requests WHERE job_id = ?1
                     GROUP BY state ORDER BY state",
                )
                .map_err(db_err)?;
            let rows = stmt
                .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))
                .map_err(db_err)?;
            rows.collect::<rusqlite::Result<Vec<_>>>().map_err(db_err)
        })
        .await
    }

    pub(super) async fn r_unfinished_jobs(&self) -> Result<Vec<RightsJobRow>> {
        self.read(move |c| {
            let mut stmt = c
                .prepare_cached(&format!(
                    "SELECT {JOB_COLUMNS} FROM rights_jobs WHERE finished_at_us IS NULL
                     ORDER BY created_at_us"
                ))
                .map_err(db_err)?;
            let rows = stmt.query_map([], job).map_err(db_err)?;
            rows.collect::<rusqlite::Result<Vec<_>>>().map_err(db_err)
        })
        .await
    }

    pub(super) async fn r_finish_job(&self, id: Uuid, when: Timestamp) -> Result<()> {
        self.write(move |tx, _| {
            tx.execute(
                "UPDATE rights_jobs SET finished_at_us = ?2 WHERE id = ?1 AND finished_at_us IS NULL",
                params![id, micros(when)],
            )
            .map_err(db_err)?;
            Ok(())
        })
        .await
    }

    pub(super) async fn r_claim_outbox(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> Result<Vec<ClaimedRightsOutbox>> {
        self.write(move |tx, _| {
            let mut claimed: Vec<(i64, Uuid, String, String, i64)> = {
                let mut stmt = tx
                    .prepare_cached(
                        "UPDATE rights_outbox SET lease_until_us = ?2
                         WHERE seq IN (SELECT seq FROM rights_outbox
                                       WHERE state = 'queued' AND next_at_us <= ?1
                                         AND (lease_until_us IS NULL OR lease_until_us <= ?1)
                                       ORDER BY seq LIMIT ?3)
                         RETURNING seq, request_id, kind, reference, attempts",
                    )
                    .map_err(db_err)?;
                let rows = stmt
                    .query_map(params![micros(now), micros(lease_until), limit], |r| {
                        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                    })
                    .map_err(db_err)?;
                rows.collect::<rusqlite::Result<_>>().map_err(db_err)?
            };
            claimed.sort_by_key(|c| c.0);
            let mut out = Vec::with_capacity(claimed.len());
            for (seq, id, kind, reference, attempts) in claimed {
                let Some(request) = tx
                    .query_row(
                        &format!("SELECT {REQUEST_COLUMNS} FROM rights_requests WHERE id = ?1"),
                        [id],
                        request,
                    )
                    .optional()
                    .map_err(db_err)?
                else {
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
            Ok(out)
        })
        .await
    }

    pub(super) async fn r_finish_outbox(
        &self,
        seq: i64,
        when: Timestamp,
        outcome: &NoticeOutcome,
    ) -> Result<()> {
        let outcome = outcome.clone();
        self.write(move |tx, _| {
            super::notices::finish_outbox(tx, "rights_outbox", seq, when, &outcome)?;
            Ok(())
        })
        .await
    }

    pub(super) async fn r_outbox(&self, id: Uuid) -> Result<Vec<RightsOutboxRow>> {
        self.read(move |c| {
            let mut stmt = c
                .prepare_cached(
                    "SELECT seq, kind, reference, state, attempts, last_error FROM rights_outbox
                     WHERE request_id = ?1 ORDER BY seq",
                )
                .map_err(db_err)?;
            let rows = stmt
                .query_map([id], |r| {
                    Ok(RightsOutboxRow {
                        seq: r.get(0)?,
                        kind: r.get(1)?,
                        reference: r.get(2)?,
                        state: r.get(3)?,
                        attempts: r.get(4)?,
                        last_error: r.get(5)?,
                    })
                })
                .map_err(db_err)?;
            rows.collect::<rusqlite::Result<Vec<_>>>().map_err(db_err)
        })
        .await
    }

    pub(super) async fn r_confirmation(&self, id: Uuid) -> Result<Option<ConfirmationRow>> {
        self.read(move |c| {
            c.query_row(
                "SELECT request_id, sent_at_us, keep_until_us, letter_sealed
                 FROM rights_confirmations WHERE request_id = ?1",
                [id],
                |r| {
                    Ok(ConfirmationRow {
                        request: r.get(0)?,
                        sent_at: at(r.get(1)?)?,
                        keep_until: at(r.get(2)?)?,
                        letter_sealed: r.get(3)?,
                    })
                },
            )
            .optional()
            .map_err(db_err)
        })
        .await
    }

    pub(super) async fn r_purge_confirmations(
        &self,
        now: Timestamp,
        audit: &NewAuditEvent,
    ) -> Result<u64> {
        let audit = audit.clone();
        self.write(move |tx, key| {
            let n = tx
                .execute(
                    "DELETE FROM rights_confirmations WHERE keep_until_us < ?1",
                    [micros(now)],
                )
                .map_err(db_err)?;
            if n > 0 {
                append(tx, key, &audit)?;
            }
            Ok(n as u64)
        })
        .await
    }

    pub(super) async fn r_create_code(&self, k: &VerificationCodeRow) -> Result<()> {
        let k = k.clone();
        self.write(move |tx, _| {
            tx.execute(
                &format!(
                    "INSERT INTO verification_codes ({CODE_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
                ),
                params![
                    k.id,
                    k.email_index,
                    k.code_hash,
                    micros(k.created_at),
                    micros(k.expires_at),
                    k.attempts,
                    k.used_at.map(micros),
                    k.detail_sealed
                ],
            )
            .map_err(db_err)?;
            Ok(())
        })
        .await
    }

    pub(super) async fn r_code(&self, id: Uuid) -> Result<Option<VerificationCodeRow>> {
        self.read(move |c| {
            c.query_row(
                &format!("SELECT {CODE_COLUMNS} FROM verification_codes WHERE id = ?1"),
                [id],
                code,
            )
            .optional()
            .map_err(db_err)
        })
        .await
    }

    pub(super) async fn r_codes_since(&self, email_index: &[u8], since: Timestamp) -> Result<i64> {
        let email_index = email_index.to_vec();
        self.read(move |c| {
            c.query_row(
                "SELECT count(*) FROM verification_codes WHERE email_index = ?1 AND created_at_us >= ?2",
                params![email_index, micros(since)],
                |r| r.get(0),
            )
            .map_err(db_err)
        })
        .await
    }

    pub(super) async fn r_fail_code(&self, id: Uuid) -> Result<Option<i64>> {
        self.write(move |tx, _| {
            tx.query_row(
                "UPDATE verification_codes SET attempts = attempts + 1
                 WHERE id = ?1 AND used_at_us IS NULL RETURNING attempts",
                [id],
                |r| r.get(0),
            )
            .optional()
            .map_err(db_err)
        })
        .await
    }

    pub(super) async fn r_use_code(&self, id: Uuid, when: Timestamp) -> Result<bool> {
        self.write(move |tx, _| {
            let n = tx
                .execute(
                    "UPDATE verification_codes SET used_at_us = ?2 WHERE id = ?1 AND used_at_us IS NULL",
                    params![id, micros(when)],
                )
                .map_err(db_err)?;
            Ok(n == 1)
        })
        .await
    }

    pub(super) async fn r_pair_agent(
        &self,
        agent: &str,
        token_hash: &[u8],
        when: Timestamp,
        audit: &NewAuditEvent,
    ) -> Result<()> {
        let (agent, token_hash, audit) = (agent.to_string(), token_hash.to_vec(), audit.clone());
        self.write(move |tx, key| {
            tx.execute(
                "INSERT INTO drp_agents (agent_id, token_hash, paired_at_us) VALUES (?1, ?2, ?3)
                 ON CONFLICT (agent_id) DO UPDATE SET token_hash = excluded.token_hash,
                    paired_at_us = excluded.paired_at_us",
                params![agent, token_hash, micros(when)],
            )
            .map_err(db_err)?;
            append(tx, key, &audit)?;
            Ok(())
        })
        .await
    }

    pub(super) async fn r_agent_by_token(&self, token_hash: &[u8]) -> Result<Option<String>> {
        let token_hash = token_hash.to_vec();
        self.read(move |c| {
            c.query_row(
                "SELECT agent_id FROM drp_agents WHERE token_hash = ?1",
                [token_hash],
                |r| r.get(0),
            )
            .optional()
            .map_err(db_err)
        })
        .await
    }

    pub(super) async fn r_set_webhook(
        &self,
        tenant: TenantId,
        url: Option<&str>,
        when: Timestamp,
        audit: &NewAuditEvent,
    ) -> Result<()> {
        let (url, audit) = (url.map(str::to_string), audit.clone());
        self.write(move |tx, key| {
            tx.execute(
                "INSERT INTO rights_contacts (tenant_id, webhook_url, updated_at_us) VALUES (?1, ?2, ?3)
                 ON CONFLICT (tenant_id) DO UPDATE SET webhook_url = excluded.webhook_url,
                    updated_at_us = excluded.updated_at_us",
                params![tenant.as_uuid(), url, micros(when)],
            )
            .map_err(db_err)?;
            append(tx, key, &audit)?;
            Ok(())
        })
        .await
    }

    pub(super) async fn r_webhook(&self, tenant: TenantId) -> Result<Option<String>> {
        self.read(move |c| {
            c.query_row(
                "SELECT webhook_url FROM rights_contacts WHERE tenant_id = ?1",
                [tenant.as_uuid()],
                |r| r.get::<_, Option<String>>(0),
            )
            .optional()
            .map(Option::flatten)
            .map_err(db_err)
        })
        .await
    }
}
