//! Accounts, sessions, sign-in attempts and account e-mail on SQLite.

use custodian_core::TenantId;
use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};
use uuid::Uuid;

use super::{SqliteStore, append, db_err};
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

fn time(us: Option<i64>) -> Result<Option<Timestamp>> {
    us.map(from_micros).transpose()
}

fn account(r: &Row<'_>) -> rusqlite::Result<AccountRaw> {
    Ok(AccountRaw {
        id: r.get(0)?,
        kind: r.get(1)?,
        tenant: r.get(2)?,
        email_index: r.get(3)?,
        email_sealed: r.get(4)?,
        locale: r.get(5)?,
        password_hash: r.get(6)?,
        created: r.get(7)?,
        verified: r.get(8)?,
        attested: r.get(9)?,
        terms: r.get(10)?,
        dpa: r.get(11)?,
        accepted: r.get(12)?,
        totp_sealed: r.get(13)?,
        totp_enabled: r.get(14)?,
        totp_last_step: r.get(15)?,
        locked: r.get(16)?,
        lock_reason: r.get(17)?,
        must_reset: r.get(18)?,
        password_changed: r.get(19)?,
    })
}

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

fn finish(c: &Connection, raw: AccountRaw) -> Result<AccountRow> {
    let roles = {
        let mut stmt = c
            .prepare_cached("SELECT role FROM account_roles WHERE account_id = ?1 ORDER BY role")
            .map_err(db_err)?;
        let rows = stmt
            .query_map([raw.id], |r| r.get::<_, String>(0))
            .map_err(db_err)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(db_err)?
    };
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

fn by(c: &Connection, filter: &str, value: &dyn rusqlite::ToSql) -> Result<Option<AccountRow>> {
    let raw = c
        .query_row(
            &format!("SELECT {COLUMNS} FROM accounts WHERE {filter}"),
            [value],
            account,
        )
        .optional()
        .map_err(db_err)?;
    raw.map(|raw| finish(c, raw)).transpose()
}

fn queue(tx: &Transaction<'_>, mail: &NewAccountMail) -> Result<()> {
    tx.execute(
        "INSERT INTO account_mail (account_id, kind, reference, created_at_us, next_at_us)
         VALUES (?1, ?2, ?3, ?4, ?4) ON CONFLICT (account_id, kind, reference) DO NOTHING",
        params![mail.account, mail.kind, mail.reference, micros(mail.at)],
    )
    .map_err(db_err)?;
    Ok(())
}

/// A session row as read: token hash, account, created, expires, last seen, ip, user agent,
/// revoked.
type SessionRaw = (
    Vec<u8>,
    Uuid,
    i64,
    i64,
    i64,
    Option<String>,
    Option<String>,
    Option<i64>,
);

fn session(r: &Row<'_>) -> rusqlite::Result<SessionRaw> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
    ))
}

/// Applies `change` inside the caller's transaction; `false` when its condition fails.
fn apply(tx: &Transaction<'_>, id: Uuid, change: &AccountChange) -> Result<bool> {
    let n = match change {
        AccountChange::EmailVerified { at } => tx.execute(
            "UPDATE accounts SET email_verified_at_us = COALESCE(email_verified_at_us, ?2) WHERE id = ?1",
            params![id, micros(*at)],
        ),
        AccountChange::TotpEnrolled { sealed } => tx.execute(
            "UPDATE accounts SET totp_sealed = ?2, totp_enabled_at_us = NULL, totp_last_step = NULL
             WHERE id = ?1",
            params![id, sealed],
        ),
        AccountChange::TotpEnabled { at, step, recovery } => {
            let n = tx
                .execute(
                    "UPDATE accounts SET totp_enabled_at_us = ?2, totp_last_step = ?3
                     WHERE id = ?1 AND totp_sealed IS NOT NULL
                       AND (totp_last_step IS NULL OR totp_last_step < ?3)",
                    params![id, micros(*at), step],
                )
                .map_err(db_err)?;
            if n == 1 {
                tx.execute("DELETE FROM recovery_codes WHERE account_id = ?1", [id])
                    .map_err(db_err)?;
                let mut stmt = tx
                    .prepare_cached("INSERT INTO recovery_codes (account_id, code_hash) VALUES (?1, ?2)")
                    .map_err(db_err)?;
                for hash in recovery {
                    stmt.execute(params![id, hash.as_slice()]).map_err(db_err)?;
                }
            }
            Ok(n)
        }
        AccountChange::TotpUsed { step } => tx.execute(
            "UPDATE accounts SET totp_last_step = ?2
             WHERE id = ?1 AND (totp_last_step IS NULL OR totp_last_step < ?2)",
            params![id, step],
        ),
        AccountChange::RecoveryCodeUsed { hash, at } => tx.execute(
            "UPDATE recovery_codes SET used_at_us = ?3
             WHERE account_id = ?1 AND code_hash = ?2 AND used_at_us IS NULL",
            params![id, hash.as_slice(), micros(*at)],
        ),
        AccountChange::Locked {
            at,
            reason,
            must_reset,
        } => tx.execute(
            "UPDATE accounts SET locked_at_us = ?2, lock_reason = ?3, must_reset = (must_reset OR ?4)
             WHERE id = ?1",
            params![id, micros(*at), reason, must_reset],
        ),
        AccountChange::PasswordSet { hash, at } => tx.execute(
            "UPDATE accounts SET password_hash = ?2, password_changed_at_us = ?3, must_reset = 0,
                                 locked_at_us = NULL, lock_reason = NULL
             WHERE id = ?1",
            params![id, hash, micros(*at)],
        ),
        AccountChange::RoleGranted { role, by, at } => tx.execute(
            "INSERT INTO account_roles (account_id, role, granted_by, granted_at_us)
             SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM accounts WHERE id = ?1 AND kind = 'staff')
             ON CONFLICT (account_id, role) DO NOTHING",
            params![id, role, by, micros(*at)],
        ),
        AccountChange::RoleRevoked { role } => tx.execute(
            "DELETE FROM account_roles WHERE account_id = ?1 AND role = ?2",
            params![id, role],
        ),
        AccountChange::Notify => tx.execute("UPDATE accounts SET id = id WHERE id = ?1", [id]),
    }
    .map_err(db_err)?;
    Ok(n == 1)
}

impl SqliteStore {
    pub(super) async fn a_create(
        &self,
        a: &AccountRow,
        mail: Option<&NewAccountMail>,
        audit: &NewAuditEvent,
    ) -> Result<()> {
        let (a, mail, audit) = (a.clone(), mail.cloned(), audit.clone());
        self.write(move |tx, key| {
            tx.execute(
                &format!("INSERT INTO accounts ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)"),
                params![
                    a.id,
                    a.kind.as_str(),
                    a.tenant.map(|t| t.as_uuid()),
                    a.email_index,
                    a.email_sealed,
                    a.locale,
                    a.password_hash,
                    micros(a.created_at),
                    a.email_verified_at.map(micros),
                    a.age_attested_at.map(micros),
                    a.terms_version,
                    a.dpa_version,
                    a.accepted_at.map(micros),
                    a.totp_sealed,
                    a.totp_enabled_at.map(micros),
                    a.totp_last_step,
                    a.locked_at.map(micros),
                    a.lock_reason,
                    a.must_reset,
                    micros(a.password_changed_at),
                ],
            )
            .map_err(|e| match db_err(e) {
                StoreError::Conflict(_) => {
                    StoreError::Conflict("an account with this e-mail address exists".into())
                }
                other => other,
            })?;
            for role in &a.roles {
                tx.execute(
                    "INSERT INTO account_roles (account_id, role, granted_by, granted_at_us) VALUES (?1, ?2, ?3, ?4)",
                    params![a.id, role, audit.actor, micros(a.created_at)],
                )
                .map_err(db_err)?;
            }
            if let Some(mail) = &mail {
                queue(tx, mail)?;
            }
            append(tx, key, &audit)?;
            Ok(())
        })
        .await
    }

    pub(super) async fn a_get(&self, id: Uuid) -> Result<Option<AccountRow>> {
        self.read(move |c| by(c, "id = ?1", &id)).await
    }

    pub(super) async fn a_by_email(&self, index: &[u8]) -> Result<Option<AccountRow>> {
        let index = index.to_vec();
        self.read(move |c| by(c, "email_index = ?1", &index)).await
    }

    pub(super) async fn a_list(&self, tenant: Option<TenantId>) -> Result<Vec<AccountRow>> {
        self.read(move |c| {
            let raws = {
                let mut stmt = c
                    .prepare_cached(&format!(
                        "SELECT {COLUMNS} FROM accounts
                         WHERE (?1 IS NULL AND kind = 'staff') OR tenant_id = ?1
                         ORDER BY created_at_us, id"
                    ))
                    .map_err(db_err)?;
                let rows = stmt
                    .query_map([tenant.map(|t| t.as_uuid())], account)
                    .map_err(db_err)?;
                rows.collect::<rusqlite::Result<Vec<_>>>().map_err(db_err)?
            };
            raws.into_iter().map(|raw| finish(c, raw)).collect()
        })
        .await
    }

    pub(super) async fn a_change(
        &self,
        id: Uuid,
        change: &AccountChange,
        mail: Option<&NewAccountMail>,
        audit: Option<&NewAuditEvent>,
    ) -> Result<bool> {
        let (change, mail, audit) = (change.clone(), mail.cloned(), audit.cloned());
        self.write(move |tx, key| {
            let known: bool = tx
                .query_row(
                    "SELECT EXISTS (SELECT 1 FROM accounts WHERE id = ?1)",
                    [id],
                    |r| r.get(0),
                )
                .map_err(db_err)?;
            if !known || !apply(tx, id, &change)? {
                return Ok(false);
            }
            if let Some(mail) = &mail {
                queue(tx, mail)?;
            }
            if let Some(audit) = &audit {
                append(tx, key, audit)?;
            }
            Ok(true)
        })
        .await
    }

    pub(super) async fn a_create_session(&self, s: &SessionRow) -> Result<()> {
        let s = s.clone();
        self.write(move |tx, _| {
            tx.execute(
                "INSERT INTO sessions (token_hash, account_id, created_at_us, expires_at_us, last_seen_at_us, ip, user_agent, revoked_at_us)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    s.token_hash,
                    s.account,
                    micros(s.created_at),
                    micros(s.expires_at),
                    micros(s.last_seen_at),
                    s.ip,
                    s.user_agent,
                    s.revoked_at.map(micros)
                ],
            )
            .map_err(db_err)?;
            Ok(())
        })
        .await
    }

    pub(super) async fn a_session(&self, hash: &[u8]) -> Result<Option<SessionRow>> {
        let hash = hash.to_vec();
        self.read(move |c| {
            let raw = c
                .query_row(
                    "SELECT token_hash, account_id, created_at_us, expires_at_us, last_seen_at_us, ip, user_agent, revoked_at_us
                     FROM sessions WHERE token_hash = ?1",
                    [hash],
                    session,
                )
                .optional()
                .map_err(db_err)?;
            raw.map(|(token_hash, account, created, expires, seen, ip, user_agent, revoked)| {
                Ok(SessionRow {
                    token_hash,
                    account,
                    created_at: from_micros(created)?,
                    expires_at: from_micros(expires)?,
                    last_seen_at: from_micros(seen)?,
                    ip,
                    user_agent,
                    revoked_at: time(revoked)?,
                })
            })
            .transpose()
        })
        .await
    }

    pub(super) async fn a_touch(
        &self,
        hash: &[u8],
        at: Timestamp,
        expires: Timestamp,
    ) -> Result<()> {
        let hash = hash.to_vec();
        self.write(move |tx, _| {
            tx.execute(
                "UPDATE sessions SET last_seen_at_us = ?2, expires_at_us = ?3
                 WHERE token_hash = ?1 AND revoked_at_us IS NULL",
                params![hash, micros(at), micros(expires)],
            )
            .map_err(db_err)?;
            Ok(())
        })
        .await
    }

    pub(super) async fn a_revoke(&self, hash: &[u8], at: Timestamp) -> Result<bool> {
        let hash = hash.to_vec();
        self.write(move |tx, _| {
            let n = tx
                .execute(
                    "UPDATE sessions SET revoked_at_us = ?2 WHERE token_hash = ?1 AND revoked_at_us IS NULL",
                    params![hash, micros(at)],
                )
                .map_err(db_err)?;
            Ok(n == 1)
        })
        .await
    }

    pub(super) async fn a_revoke_all(
        &self,
        account: Uuid,
        at: Timestamp,
        keep: Option<&[u8]>,
    ) -> Result<u64> {
        let keep = keep.map(<[u8]>::to_vec);
        self.write(move |tx, _| {
            let n = tx
                .execute(
                    "UPDATE sessions SET revoked_at_us = ?2
                     WHERE account_id = ?1 AND revoked_at_us IS NULL AND (?3 IS NULL OR token_hash != ?3)",
                    params![account, micros(at), keep],
                )
                .map_err(db_err)?;
            Ok(n as u64)
        })
        .await
    }

    pub(super) async fn a_record_login(
        &self,
        a: &LoginAttempt,
        mail: Option<&NewAccountMail>,
    ) -> Result<()> {
        let (a, mail) = (a.clone(), mail.cloned());
        self.write(move |tx, _| {
            if let Some(mail) = &mail {
                queue(tx, mail)?;
            }
            tx.execute(
                "INSERT INTO login_attempts (at_us, email_index, account_id, ip, country, device, outcome)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![micros(a.at), a.email_index, a.account, a.ip, a.country, a.device, a.outcome],
            )
            .map_err(db_err)?;
            Ok(())
        })
        .await
    }

    pub(super) async fn a_failures(
        &self,
        index: &[u8],
        ip: Option<&str>,
        since: Timestamp,
    ) -> Result<LoginFailures> {
        let (index, ip) = (index.to_vec(), ip.map(str::to_string));
        self.read(move |c| {
            c.query_row(
                "SELECT
                    (SELECT COUNT(*) FROM login_attempts WHERE email_index = ?1 AND at_us >= ?3 AND outcome != 'ok'),
                    (SELECT COUNT(*) FROM login_attempts WHERE ?2 IS NOT NULL AND ip = ?2 AND at_us >= ?3 AND outcome != 'ok')",
                params![index, ip, micros(since)],
                |r| {
                    Ok(LoginFailures {
                        by_email: r.get(0)?,
                        by_ip: r.get(1)?,
                    })
                },
            )
            .map_err(db_err)
        })
        .await
    }

    pub(super) async fn a_known(
        &self,
        account: Uuid,
        country: Option<&str>,
        device: Option<&str>,
    ) -> Result<(bool, bool)> {
        let (country, device) = (country.map(str::to_string), device.map(str::to_string));
        self.read(move |c| {
            c.query_row(
                "SELECT
                    NOT EXISTS (SELECT 1 FROM login_attempts WHERE account_id = ?1 AND outcome = 'ok')
                    OR EXISTS (SELECT 1 FROM login_attempts WHERE account_id = ?1 AND outcome = 'ok' AND country IS ?2),
                    NOT EXISTS (SELECT 1 FROM login_attempts WHERE account_id = ?1 AND outcome = 'ok')
                    OR EXISTS (SELECT 1 FROM login_attempts WHERE account_id = ?1 AND outcome = 'ok' AND device IS ?3)",
                params![account, country, device],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(db_err)
        })
        .await
    }

    pub(super) async fn a_claim_mail(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> Result<Vec<ClaimedAccountMail>> {
        self.write(move |tx, _| {
            let mut claimed: Vec<(i64, Uuid, String, String, i64)> = {
                let mut stmt = tx
                    .prepare_cached(
                        "UPDATE account_mail SET lease_until_us = ?2
                         WHERE seq IN (SELECT seq FROM account_mail
                                       WHERE state = 'queued' AND next_at_us <= ?1
                                         AND (lease_until_us IS NULL OR lease_until_us <= ?1)
                                       ORDER BY seq LIMIT ?3)
                         RETURNING seq, account_id, kind, reference, attempts",
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
            for (seq, account, kind, reference, attempts) in claimed {
                let Some(account) = by(tx, "id = ?1", &account)? else {
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
            Ok(out)
        })
        .await
    }

    pub(super) async fn a_finish_mail(
        &self,
        seq: i64,
        at: Timestamp,
        outcome: &NoticeOutcome,
    ) -> Result<()> {
        let outcome = outcome.clone();
        self.write(move |tx, _| {
            super::notices::finish_outbox(tx, "account_mail", seq, at, &outcome)?;
            Ok(())
        })
        .await
    }
}
