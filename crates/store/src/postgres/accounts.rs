//! Accounts, sessions, sign-in attempts and account e-mail on PostgreSQL.

use custodian_core::TenantId;
use deadpool_postgres::GenericClient;
use jiff::Timestamp;
use tokio_postgres::types::ToSql;
use tokio_postgres::{Row, Transaction};
use uuid::Uuid;

use super::{PgStore, append, pg_err};
use crate::accounts::{
    AccountChange, AccountKind, AccountRow, ClaimedAccountMail, LoginAttempt, LoginFailures,
    NewAccountMail, SessionRow,
};
use crate::audit::NewAuditEvent;
use crate::notices::NoticeOutcome;
use crate::{Result, StoreError, from_micros, micros};

const COLUMNS: &str = "id, kind, tenant_id, email_index, email_sealed, locale, password_hash, \
    created_at_us, email_verified_at_us, age_attested_at_us, terms_version, dpa_version, \
    accepted_at_us, totp_sealed, totp_enabled_at_us, totp_last_step, locked_at_us, lock_reason, \
    must_reset, password_changed_at_us";

const SESSION_COLUMNS: &str = "token_hash, account_id, created_at_us, expires_at_us, \
    last_seen_at_us, ip, user_agent, revoked_at_us";

fn time(us: Option<i64>) -> Result<Option<Timestamp>> {
    us.map(from_micros).transpose()
}

/// An account row, its roles read by [`finish`].
struct AccountRaw {
    id: Uuid,
    kind: String,
    tenant: Option<Uuid>,
    email_index: Vec<u8>,
    email_sealed: Vec<u8>,
    locale: String,
    password_hash: String,
    created: i64,
    verified: Option<i64>,
    attested: Option<i64>,
    terms: Option<String>,
    dpa: Option<String>,
    accepted: Option<i64>,
    totp_sealed: Option<Vec<u8>>,
    totp_enabled: Option<i64>,
    totp_last_step: Option<i64>,
    locked: Option<i64>,
    lock_reason: Option<String>,
    must_reset: bool,
    password_changed: i64,
}

fn account(r: &Row) -> AccountRaw {
    AccountRaw {
        id: r.get(0),
        kind: r.get(1),
        tenant: r.get(2),
        email_index: r.get(3),
        email_sealed: r.get(4),
        locale: r.get(5),
        password_hash: r.get(6),
        created: r.get(7),
        verified: r.get(8),
        attested: r.get(9),
        terms: r.get(10),
        dpa: r.get(11),
        accepted: r.get(12),
        totp_sealed: r.get(13),
        totp_enabled: r.get(14),
        totp_last_step: r.get(15),
        locked: r.get(16),
        lock_reason: r.get(17),
        must_reset: r.get(18),
        password_changed: r.get(19),
    }
}

async fn finish(c: &impl GenericClient, raw: AccountRaw) -> Result<AccountRow> {
    let roles = c
        .query(
            "SELECT role FROM account_roles WHERE account_id = $1 ORDER BY role",
            &[&raw.id],
        )
        .await
        .map_err(pg_err)?
        .iter()
        .map(|r| r.get::<_, String>(0))
        .collect();
    Ok(AccountRow {
        id: raw.id,
        kind: AccountKind::parse(&raw.kind)
            .ok_or_else(|| StoreError::Database(format!("unknown account kind `{}`", raw.kind)))?,
        tenant: raw.tenant.map(TenantId::from_uuid),
        email_index: raw.email_index,
        email_sealed: raw.email_sealed,
        locale: raw.locale,
        password_hash: raw.password_hash,
        created_at: from_micros(raw.created)?,
        email_verified_at: time(raw.verified)?,
        age_attested_at: time(raw.attested)?,
        terms_version: raw.terms,
        dpa_version: raw.dpa,
        accepted_at: time(raw.accepted)?,
        totp_sealed: raw.totp_sealed,
        totp_enabled_at: time(raw.totp_enabled)?,
        totp_last_step: raw.totp_last_step,
        locked_at: time(raw.locked)?,
        lock_reason: raw.lock_reason,
        must_reset: raw.must_reset,
        password_changed_at: from_micros(raw.password_changed)?,
        roles,
    })
}

async fn by(
    c: &impl GenericClient,
    filter: &str,
    value: &(dyn ToSql + Sync),
) -> Result<Option<AccountRow>> {
    let row = c
        .query_opt(
            &format!("SELECT {COLUMNS} FROM accounts WHERE {filter}"),
            &[value],
        )
        .await
        .map_err(pg_err)?;
    match row {
        Some(row) => Ok(Some(finish(c, account(&row)).await?)),
        None => Ok(None),
    }
}

async fn queue(tx: &Transaction<'_>, mail: &NewAccountMail) -> Result<()> {
    tx.execute(
        "INSERT INTO account_mail (account_id, kind, reference, created_at_us, next_at_us)
         VALUES ($1, $2, $3, $4, $4) ON CONFLICT (account_id, kind, reference) DO NOTHING",
        &[&mail.account, &mail.kind, &mail.reference, &micros(mail.at)],
    )
    .await
    .map_err(pg_err)?;
    Ok(())
}

fn session(r: &Row) -> Result<SessionRow> {
    Ok(SessionRow {
        token_hash: r.get(0),
        account: r.get(1),
        created_at: from_micros(r.get(2))?,
        expires_at: from_micros(r.get(3))?,
        last_seen_at: from_micros(r.get(4))?,
        ip: r.get(5),
        user_agent: r.get(6),
        revoked_at: time(r.get(7))?,
    })
}

/// Applies `change` inside the caller's transaction; `false` when its condition fails.
async fn apply(tx: &Transaction<'_>, id: Uuid, change: &AccountChange) -> Result<bool> {
    let n = match change {
        AccountChange::EmailVerified { at } => {
            tx.execute(
                "UPDATE accounts SET email_verified_at_us = COALESCE(email_verified_at_us, $2)
                 WHERE id = $1",
                &[&id, &micros(*at)],
            )
            .await
        }
        AccountChange::TotpEnrolled { sealed } => {
            tx.execute(
                "UPDATE accounts SET totp_sealed = $2, totp_enabled_at_us = NULL, totp_last_step = NULL
                 WHERE id = $1",
                &[&id, sealed],
            )
            .await
        }
        AccountChange::TotpEnabled { at, step, recovery } => {
            let n = tx
                .execute(
                    "UPDATE accounts SET totp_enabled_at_us = $2, totp_last_step = $3
                     WHERE id = $1 AND totp_sealed IS NOT NULL
                       AND (totp_last_step IS NULL OR totp_last_step < $3)",
                    &[&id, &micros(*at), step],
                )
                .await
                .map_err(pg_err)?;
            if n == 1 {
                tx.execute("DELETE FROM recovery_codes WHERE account_id = $1", &[&id])
                    .await
                    .map_err(pg_err)?;
                let stmt = tx
                    .prepare("INSERT INTO recovery_codes (account_id, code_hash) VALUES ($1, $2)")
                    .await
                    .map_err(pg_err)?;
                for hash in recovery {
                    tx.execute(&stmt, &[&id, &hash.as_slice()])
                        .await
                        .map_err(pg_err)?;
                }
            }
            Ok(n)
        }
        AccountChange::TotpUsed { step } => {
            tx.execute(
                "UPDATE accounts SET totp_last_step = $2
                 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)",
                &[&id, step],
            )
            .await
        }
        AccountChange::RecoveryCodeUsed { hash, at } => {
            tx.execute(
                "UPDATE recovery_codes SET used_at_us = $3
                 WHERE account_id = $1 AND code_hash = $2 AND used_at_us IS NULL",
                &[&id, &hash.as_slice(), &micros(*at)],
            )
            .await
        }
        AccountChange::Locked {
            at,
            reason,
            must_reset,
        } => {
            tx.execute(
                "UPDATE accounts SET locked_at_us = $2, lock_reason = $3,
                                     must_reset = (must_reset OR $4)
                 WHERE id = $1",
                &[&id, &micros(*at), reason, must_reset],
            )
            .await
        }
        AccountChange::PasswordSet { hash, at } => {
            tx.execute(
                "UPDATE accounts SET password_hash = $2, password_changed_at_us = $3, must_reset = false,
                                     locked_at_us = NULL, lock_reason = NULL
                 WHERE id = $1",
                &[&id, hash, &micros(*at)],
            )
            .await
        }
        AccountChange::RoleGranted { role, by, at } => {
            tx.execute(
                "INSERT INTO account_roles (account_id, role, granted_by, granted_at_us)
                 SELECT $1::uuid, $2::text, $3::text, $4::bigint
                 WHERE EXISTS (SELECT 1 FROM accounts WHERE id = $1::uuid AND kind = 'staff')
                 ON CONFLICT (account_id, role) DO NOTHING",
                &[&id, role, by, &micros(*at)],
            )
            .await
        }
        AccountChange::RoleRevoked { role } => {
            tx.execute(
                "DELETE FROM account_roles WHERE account_id = $1 AND role = $2",
                &[&id, role],
            )
            .await
        }
        AccountChange::Notify => {
            tx.execute("UPDATE accounts SET id = id WHERE id = $1", &[&id])
                .await
        }
    }
    .map_err(pg_err)?;
    Ok(n == 1)
}

impl PgStore {
    pub(super) async fn a_create(
        &self,
        a: &AccountRow,
        mail: Option<&NewAccountMail>,
        audit: &NewAuditEvent,
    ) -> Result<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        tx.execute(
            &format!(
                "INSERT INTO accounts ({COLUMNS})
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)"
            ),
            &[
                &a.id,
                &a.kind.as_str(),
                &a.tenant.map(|t| t.as_uuid()),
                &a.email_index,
                &a.email_sealed,
                &a.locale,
                &a.password_hash,
                &micros(a.created_at),
                &a.email_verified_at.map(micros),
                &a.age_attested_at.map(micros),
                &a.terms_version,
                &a.dpa_version,
                &a.accepted_at.map(micros),
                &a.totp_sealed,
                &a.totp_enabled_at.map(micros),
                &a.totp_last_step,
                &a.locked_at.map(micros),
                &a.lock_reason,
                &a.must_reset,
                &micros(a.password_changed_at),
            ],
        )
        .await
        .map_err(|e| match pg_err(e) {
            StoreError::Conflict(_) => {
                StoreError::Conflict("an account with this e-mail address exists".into())
            }
            other => other,
        })?;
        for role in &a.roles {
            tx.execute(
                "INSERT INTO account_roles (account_id, role, granted_by, granted_at_us)
                 VALUES ($1, $2, $3, $4)",
                &[&a.id, role, &audit.actor, &micros(a.created_at)],
            )
            .await
            .map_err(pg_err)?;
        }
        if let Some(mail) = mail {
            queue(&tx, mail).await?;
        }
        append(&tx, &self.chain_key, audit).await?;
        tx.commit().await.map_err(pg_err)?;
        Ok(())
    }

    pub(super) async fn a_get(&self, id: Uuid) -> Result<Option<AccountRow>> {
        let client = self.client().await?;
        by(&client, "id = $1", &id).await
    }

    pub(super) async fn a_by_email(&self, index: &[u8]) -> Result<Option<AccountRow>> {
        let client = self.client().await?;
        by(&client, "email_index = $1", &index).await
    }

    pub(super) async fn a_list(&self, tenant: Option<TenantId>) -> Result<Vec<AccountRow>> {
        let client = self.client().await?;
        let rows = client
            .query(
                &format!(
                    "SELECT {COLUMNS} FROM accounts
                     WHERE ($1::uuid IS NULL AND kind = 'staff') OR tenant_id = $1
                     ORDER BY created_at_us, id"
                ),
                &[&tenant.map(|t| t.as_uuid())],
            )
            .await
            .map_err(pg_err)?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            out.push(finish(&client, account(row)).await?);
        }
        Ok(out)
    }

    pub(super) async fn a_change(
        &self,
        id: Uuid,
        change: &AccountChange,
        mail: Option<&NewAccountMail>,
        audit: Option<&NewAuditEvent>,
    ) -> Result<bool> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        let known: bool = tx
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM accounts WHERE id = $1)",
                &[&id],
            )
            .await
            .map_err(pg_err)?
            .get(0);
        // Dropping the transaction uncommitted rolls back anything a refused change wrote.
        if !known || !apply(&tx, id, change).await? {
            return Ok(false);
        }
        if let Some(mail) = mail {
            queue(&tx, mail).await?;
        }
        if let Some(audit) = audit {
            append(&tx, &self.chain_key, audit).await?;
        }
        tx.commit().await.map_err(pg_err)?;
        Ok(true)
    }

    pub(super) async fn a_create_session(&self, s: &SessionRow) -> Result<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        tx.execute(
            &format!(
                "INSERT INTO sessions ({SESSION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
            ),
            &[
                &s.token_hash,
                &s.account,
                &micros(s.created_at),
                &micros(s.expires_at),
                &micros(s.last_seen_at),
                &s.ip,
                &s.user_agent,
                &s.revoked_at.map(micros),
            ],
        )
        .await
        .map_err(pg_err)?;
        tx.commit().await.map_err(pg_err)?;
        Ok(())
    }

    pub(super) async fn a_session(&self, hash: &[u8]) -> Result<Option<SessionRow>> {
        let client = self.client().await?;
        client
            .query_opt(
                &format!("SELECT {SESSION_COLUMNS} FROM sessions WHERE token_hash = $1"),
                &[&hash],
            )
            .await
            .map_err(pg_err)?
            .as_ref()
            .map(session)
            .transpose()
    }

    pub(super) async fn a_touch(
        &self,
        hash: &[u8],
        at: Timestamp,
        expires: Timestamp,
    ) -> Result<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        tx.execute(
            "UPDATE sessions SET last_seen_at_us = $2, expires_at_us = $3
             WHERE token_hash = $1 AND revoked_at_us IS NULL",
            &[&hash, &micros(at), &micros(expires)],
        )
        .await
        .map_err(pg_err)?;
        tx.commit().await.map_err(pg_err)?;
        Ok(())
    }

    pub(super) async fn a_revoke(&self, hash: &[u8], at: Timestamp) -> Result<bool> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        let n = tx
            .execute(
                "UPDATE sessions SET revoked_at_us = $2
                 WHERE token_hash = $1 AND revoked_at_us IS NULL",
                &[&hash, &micros(at)],
            )
            .await
            .map_err(pg_err)?;
        tx.commit().await.map_err(pg_err)?;
        Ok(n == 1)
    }

    pub(super) async fn a_revoke_all(
        &self,
        account: Uuid,
        at: Timestamp,
        keep: Option<&[u8]>,
    ) -> Result<u64> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        let n = tx
            .execute(
                "UPDATE sessions SET revoked_at_us = $2
                 WHERE account_id = $1 AND revoked_at_us IS NULL
                   AND ($3::bytea IS NULL OR token_hash != $3)",
                &[&account, &micros(at), &keep],
            )
            .await
            .map_err(pg_err)?;
        tx.commit().await.map_err(pg_err)?;
        Ok(n)
    }

    pub(super) async fn a_record_login(
        &self,
        a: &LoginAttempt,
        mail: Option<&NewAccountMail>,
    ) -> Result<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        if let Some(mail) = mail {
            queue(&tx, mail).await?;
        }
        tx.execute(
            "INSERT INTO login_attempts (at_us, email_index, account_id, ip, country, device, outcome)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            &[
                &micros(a.at),
                &a.email_index,
                &a.account,
                &a.ip,
                &a.country,
                &a.device,
                &a.outcome,
            ],
        )
        .await
        .map_err(pg_err)?;
        tx.commit().await.map_err(pg_err)?;
        Ok(())
    }

    pub(super) async fn a_failures(
        &self,
        index: &[u8],
        ip: Option<&str>,
        since: Timestamp,
    ) -> Result<LoginFailures> {
        let client = self.client().await?;
        let row = client
            .query_one(
                "SELECT
                    (SELECT COUNT(*) FROM login_attempts
                     WHERE email_index = $1 AND at_us >= $3 AND outcome != 'ok'),
                    (SELECT COUNT(*) FROM login_attempts
                     WHERE $2::text IS NOT NULL AND ip = $2 AND at_us >= $3 AND outcome != 'ok')",
                &[&index, &ip, &micros(since)],
            )
            .await
            .map_err(pg_err)?;
        Ok(LoginFailures {
            by_email: row.get(0),
            by_ip: row.get(1),
        })
    }

    pub(super) async fn a_known(
        &self,
        account: Uuid,
        country: Option<&str>,
        device: Option<&str>,
    ) -> Result<(bool, bool)> {
        let client = self.client().await?;
        let row = client
            .query_one(
                "SELECT
                    NOT EXISTS (SELECT 1 FROM login_attempts WHERE account_id = $1 AND outcome = 'ok')
                    OR EXISTS (SELECT 1 FROM login_attempts WHERE account_id = $1 AND outcome = 'ok'
                                 AND country IS NOT DISTINCT FROM $2::text),
                    NOT EXISTS (SELECT 1 FROM login_attempts WHERE account_id = $1 AND outcome = 'ok')
                    OR EXISTS (SELECT 1 FROM login_attempts WHERE account_id = $1 AND outcome = 'ok'
                                 AND device IS NOT DISTINCT FROM $3::text)",
                &[&account, &country, &device],
            )
            .await
            .map_err(pg_err)?;
        Ok((row.get(0), row.get(1)))
    }

    pub(super) async fn a_claim_mail(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> Result<Vec<ClaimedAccountMail>> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        // SKIP LOCKED: two processes claiming at once take different mail.
        let rows = tx
            .query(
                "UPDATE account_mail SET lease_until_us = $2
                 WHERE seq IN (SELECT seq FROM account_mail
                               WHERE state = 'queued' AND next_at_us <= $1
                                 AND (lease_until_us IS NULL OR lease_until_us <= $1)
                               ORDER BY seq LIMIT $3 FOR UPDATE SKIP LOCKED)
                 RETURNING seq, account_id, kind, reference, attempts::bigint",
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
        for (seq, account, kind, reference, attempts) in claimed {
            let Some(account) = by(&tx, "id = $1", &account).await? else {
                continue;
            };
            out.push(ClaimedAccountMail {
                seq,
                kind,
                reference,
                attempts,
                account,
            });
        }
        tx.commit().await.map_err(pg_err)?;
        Ok(out)
    }

    pub(super) async fn a_finish_mail(
        &self,
        seq: i64,
        at: Timestamp,
        outcome: &NoticeOutcome,
    ) -> Result<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        super::notices::finish_outbox(&tx, "account_mail", seq, at, outcome).await?;
        tx.commit().await.map_err(pg_err)?;
        Ok(())
    }
}
