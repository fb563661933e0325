//! Cases: what people ask of us by mail or form, worked by staff.
//!
//! Mail to the privacy and security addresses (from the SMTP listener or posted as a raw
//! message) is parsed, recognised by its subject — the policy's mailbox subjects and their
//! translations first, then [`crate::mailbox::classify`] — and opened as a case with a due
//! date by kind. A report that credentials are compromised locks the account down at once:
//! locked, every session ended, the tenant's API keys revoked, a new password required, the
//! owner told. A report about a child's data opens an expedited case whose erasure destroys
//! every key of the child's records. Case details are personal data: sealed under a key derived
//! from the master key, bound to the case id.

use custodian_core::TenantId;
use custodian_policy::model::KeyScope;
use custodian_store::{
    AccountChange, AccountKind, AccountRow, CaseFilter, CaseRow, NewAccountMail, NewAuditEvent,
    Outcome,
};
use custodian_vault::{SymmetricKey, open, seal};
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::access::{Action, reason_text};
use crate::identifiers::Email;
use crate::mailbox::{self, CaseKind, InboundMessage, Mailbox};
use crate::{Actor, DestroyReason, Engine, EngineError, Principal, Scope};

/// A note staff add to a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseNote {
    /// When.
    pub at: Timestamp,
    /// Who (`account:<id>`, `system`).
    pub by: String,
    /// What.
    pub text: String,
}

/// What a case holds beyond its listing columns (sealed at rest).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseDetail {
    /// The sender's address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// The sender's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_name: Option<String>,
    /// The addresses it was sent to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub to: Vec<String>,
    /// The subject line, or the form's title.
    #[serde(default)]
    pub subject: String,
    /// The message (at most 64 KiB).
    #[serde(default)]
    pub text: String,
    /// The message id of a mail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
    /// Attachments: name, type and size (the bytes are not kept).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<String>,
    /// What was done (lock-down steps, erasures), in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<CaseNote>,
    /// Staff notes, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<CaseNote>,
    /// A government disclosure request's particulars.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disclosure: Option<crate::disclosure::Disclosure>,
}

/// A case as staff see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseView {
    /// Its id.
    pub id: Uuid,
    /// Its kind.
    pub kind: String,
    /// Where it stands.
    pub state: String,
    /// `urgent`, `high` or `normal`.
    pub priority: String,
    /// The tenant it concerns.
    pub tenant: Option<TenantId>,
    /// The account it concerns.
    pub account: Option<Uuid>,
    /// How it came in.
    pub source: String,
    /// When it was opened.
    pub opened_at: Timestamp,
    /// When it is due.
    pub due_at: Option<Timestamp>,
    /// When it was closed.
    pub closed_at: Option<Timestamp>,
    /// Its version (send it back with a change).
    pub version: i64,
    /// The details.
    pub detail: CaseDetail,
}

/// What a lock-down did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Lockdown {
    /// Whether the account was locked now (false: it was locked already).
    pub locked: bool,
    /// Sessions ended.
    pub sessions_revoked: u64,
    /// API keys revoked.
    pub api_keys_revoked: u64,
}

/// How long each kind of case may stay open.
pub fn due_in(kind: CaseKind) -> SignedDuration {
    match kind {
        CaseKind::CredentialCompromise => SignedDuration::from_hours(24),
        // Expedited: a child's data is deleted within three days of the report.
        CaseKind::Children => SignedDuration::from_hours(72),
        CaseKind::Dispute | CaseKind::DataRequest | CaseKind::General => {
            SignedDuration::from_hours(24 * 30)
        }
    }
}

fn priority(kind: CaseKind) -> &'static str {
    match kind {
        CaseKind::CredentialCompromise => "urgent",
        CaseKind::Children => "high",
        _ => "normal",
    }
}

fn invalid(field: &'static str, message: impl Into<String>) -> EngineError {
    EngineError::Invalid {
        field,
        message: message.into(),
    }
}

impl Engine {
    fn case_key(&self) -> SymmetricKey {
        SymmetricKey::from_bytes(*self.master.derive("cases/seal"))
    }

    pub(crate) fn seal_detail(
        &self,
        id: Uuid,
        detail: &CaseDetail,
    ) -> Result<Vec<u8>, EngineError> {
        let bytes = serde_json::to_vec(detail)
            .map_err(|e| EngineError::Unavailable(format!("a case cannot be written: {e}")))?;
        Ok(seal(&self.case_key(), &bytes, id.as_bytes()))
    }

    pub(crate) fn open_case(&self, row: &CaseRow) -> Result<CaseView, EngineError> {
        let bytes = open(&self.case_key(), &row.detail_sealed, row.id.as_bytes())
            .map_err(|e| EngineError::Unavailable(format!("a case cannot be unsealed: {e}")))?;
        let detail: CaseDetail = serde_json::from_slice(&bytes)
            .map_err(|e| EngineError::Unavailable(format!("a stored case is damaged: {e}")))?;
        Ok(CaseView {
            id: row.id,
            kind: row.kind.clone(),
            state: row.state.clone(),
            priority: row.priority.clone(),
            tenant: row.tenant,
            account: row.account,
            source: row.source.clone(),
            opened_at: row.opened_at,
            due_at: row.due_at,
            closed_at: row.closed_at,
            version: row.version,
            detail,
        })
    }

    /// The policy's address of contact point `id` (`privacy`, `security`), lowercased.
    fn contact_address(&self, id: &str) -> Option<String> {
        let version = self.policy.current()?;
        version
            .contact_point
            .iter()
            .find(|c| c.id.as_str() == id)
            .and_then(|c| c.email.clone())
            .map(|e| e.to_lowercase())
    }

    /// The domains of the policy's privacy and security addresses (what the SMTP listener
    /// accepts by default).
    pub fn mailbox_domains(&self) -> Vec<String> {
        let mut domains: Vec<String> = ["privacy", "security"]
            .iter()
            .filter_map(|id| self.contact_address(id))
            .filter_map(|a| a.rsplit_once('@').map(|(_, d)| d.to_string()))
            .collect();
        domains.sort();
        domains.dedup();
        domains
    }

    /// Which mailbox a message reached, from its recipients.
    fn mailbox_of(&self, recipients: &[String]) -> Mailbox {
        let security = self.contact_address("security");
        let privacy = self.contact_address("privacy");
        let to: Vec<String> = recipients.iter().map(|r| r.to_lowercase()).collect();
        if security.is_some_and(|s| to.contains(&s)) {
            Mailbox::Security
        } else if privacy.is_some_and(|p| to.contains(&p)) {
            Mailbox::Privacy
        } else {
            Mailbox::Other
        }
    }

    /// The kind of case a subject opens: the policy's mailbox subjects and their printed
    /// translations first, then the classifier.
    pub fn classify_subject(&self, subject: &str, mailbox: Mailbox) -> CaseKind {
        let normal = |s: &str| {
            s.replace('：', ":")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        };
        let wanted = normal(subject);
        if let Some(version) = self.policy.current() {
            for m in &version.mailbox_subject {
                let matches = std::iter::once(&m.subject)
                    .chain(m.variants.iter())
                    .any(|v| normal(v) == wanted);
                if matches {
                    use custodian_policy::model::CaseKind as Routed;
                    return match m.case {
                        Routed::Children => CaseKind::Children,
                        Routed::Dispute => CaseKind::Dispute,
                        Routed::CredentialCompromise => CaseKind::CredentialCompromise,
                        Routed::DataRequest => CaseKind::DataRequest,
                    };
                }
            }
        }
        mailbox::classify(subject, mailbox)
    }

    /// Takes in one raw RFC 5322 message sent to `recipients` (the envelope's, or its own To
    /// and Cc when empty) and opens a case. A compromise report from an account's own address
    /// locks that account down at once.
    pub async fn intake_mail(
        &self,
        raw: &[u8],
        recipients: &[String],
        source: &str,
    ) -> Result<CaseView, EngineError> {
        let message = mailbox::parse_message(raw).map_err(|e| match e {
            mailbox::MailboxError::TooLarge { .. } => EngineError::TooLarge(e.to_string()),
            other => invalid("message", other.to_string()),
        })?;
        let to = if recipients.is_empty() {
            message.to.clone()
        } else {
            recipients.to_vec()
        };
        let kind = self.classify_subject(&message.subject, self.mailbox_of(&to));
        let account = match &message.from {
            Some(from) => match Email::parse(from) {
                Ok(email) => {
                    self.store
                        .account_by_email(&self.account_index(&email))
                        .await?
                }
                Err(_) => None,
            },
            None => None,
        };
        let detail = detail_of(&message, to);
        let case = self
            .open_new_case(kind, source, account.as_ref(), detail)
            .await?;
        if kind == CaseKind::CredentialCompromise
            && let Some(account) = account
        {
            self.lock_down(
                &Actor::System,
                &account,
                case.id,
                "reported by mail from the account's own address",
            )
            .await?;
            return self.case_by_id(case.id).await;
        }
        Ok(case)
    }

    async fn open_new_case(
        &self,
        kind: CaseKind,
        source: &str,
        account: Option<&AccountRow>,
        detail: CaseDetail,
    ) -> Result<CaseView, EngineError> {
        let now = self.clock.now();
        let id = Uuid::now_v7();
        let row = CaseRow {
            id,
            kind: kind.as_str().into(),
            state: "open".into(),
            priority: priority(kind).into(),
            tenant: account.and_then(|a| a.tenant),
            account: account.map(|a| a.id),
            source: source.into(),
            opened_at: now,
            due_at: Some(now + due_in(kind)),
            closed_at: None,
            version: 1,
            country: None,
            authority_type: None,
            outcome: None,
            detail_sealed: self.seal_detail(id, &detail)?,
        };
        let audit = NewAuditEvent {
            at: now,
            actor: Actor::System.to_string(),
            action: "case.open".into(),
            tenant: row.tenant,
            targets: vec![format!("case:{id}")],
            purpose: None,
            outcome: Outcome::Success,
            detail: Some(
                serde_json::json!({ "kind": kind.as_str(), "source": source, "priority": row.priority })
                    .to_string(),
            ),
        };
        self.store.create_case(&row, &audit).await?;
        self.open_case(&row)
    }

    async fn case_by_id(&self, id: Uuid) -> Result<CaseView, EngineError> {
        let row = self
            .store
            .case(id)
            .await?
            .ok_or(EngineError::NotFound { kind: "case" })?;
        self.open_case(&row)
    }

    /// Applies `change` to case `id` (read afresh, retried when someone changed it
    /// meanwhile), with the audit event `action`.
    pub(crate) async fn change_case(
        &self,
        actor: &Actor,
        id: Uuid,
        action: &str,
        change: impl Fn(&mut CaseRow, &mut CaseDetail) -> Result<(), EngineError>,
    ) -> Result<CaseView, EngineError> {
        for _ in 0..5 {
            let mut row = self
                .store
                .case(id)
                .await?
                .ok_or(EngineError::NotFound { kind: "case" })?;
            let mut detail = self.open_case(&row)?.detail;
            change(&mut row, &mut detail)?;
            row.version += 1;
            row.detail_sealed = self.seal_detail(id, &detail)?;
            let audit = NewAuditEvent {
                at: self.clock.now(),
                actor: actor.to_string(),
                action: action.into(),
                tenant: row.tenant,
                targets: vec![format!("case:{id}")],
                purpose: None,
                outcome: Outcome::Success,
                detail: Some(
                    serde_json::json!({ "state": row.state, "kind": row.kind }).to_string(),
                ),
            };
            if self.store.update_case(&row, &audit).await? {
                return self.open_case(&row);
            }
        }
        Err(EngineError::Conflict(
            "the case keeps changing under us; try again".into(),
        ))
    }

    /// Locks an account down: locked with a new password required, every session ended, and
    /// for a customer's account the tenant's API keys revoked; the owner is told by e-mail
    /// (with a link to set a new password, which unlocks it). Recorded on case `case`.
    pub async fn lock_down(
        &self,
        actor: &Actor,
        account: &AccountRow,
        case: Uuid,
        why: &str,
    ) -> Result<Lockdown, EngineError> {
        let now = self.clock.now();
        let mut done = Lockdown::default();
        if account.locked_at.is_none() {
            let audit = NewAuditEvent {
                at: now,
                actor: actor.to_string(),
                action: "account.lockdown".into(),
                tenant: account.tenant,
                targets: vec![format!("account:{}", account.id), format!("case:{case}")],
                purpose: None,
                outcome: Outcome::Success,
                detail: Some(serde_json::json!({ "why": why }).to_string()),
            };
            done.locked = self
                .store
                .change_account(
                    account.id,
                    &AccountChange::Locked {
                        at: now,
                        reason: format!("reported compromise (case {case})"),
                        must_reset: true,
                    },
                    Some(&NewAccountMail {
                        account: account.id,
                        kind: "lockdown".into(),
                        reference: case.to_string(),
                        at: now,
                    }),
                    Some(&audit),
                )
                .await?;
        }
        done.sessions_revoked = self.store.revoke_sessions(account.id, now, None).await?;
        if account.kind == AccountKind::Customer
            && let Some(tenant) = account.tenant
        {
            for key in self.store.api_keys(tenant).await? {
                if key.revoked_at.is_none() {
                    self.revoke_api_key(actor, key.id).await?;
                    done.api_keys_revoked += 1;
                }
            }
        }
        let summary = format!(
            "lock-down: account {}; {} session(s) ended; {} API key(s) revoked; a new password is required and the owner is told",
            if done.locked {
                "locked"
            } else {
                "was locked already"
            },
            done.sessions_revoked,
            done.api_keys_revoked
        );
        let by = actor.to_string();
        self.change_case(actor, case, "case.lockdown", |row, detail| {
            row.state = "contained".into();
            row.account = Some(account.id);
            row.tenant = row.tenant.or(account.tenant);
            detail.actions.push(CaseNote {
                at: now,
                by: by.clone(),
                text: summary.clone(),
            });
            Ok(())
        })
        .await?;
        Ok(done)
    }

    /// Finishes lock-downs that a stop interrupted: an open compromise case that names an
    /// account but was never contained is locked down now (run by `serve` every minute; every
    /// step of a lock-down is safe to repeat). Returns how many.
    pub async fn resume_lockdowns(&self) -> Result<u64, EngineError> {
        let rows = self
            .store
            .cases(&CaseFilter {
                kind: Some(CaseKind::CredentialCompromise.as_str().into()),
                open_only: true,
                limit: 1_000,
            })
            .await?;
        let mut resumed = 0;
        for row in rows {
            let (true, Some(id)) = (row.state == "open", row.account) else {
                continue;
            };
            let Some(account) = self.store.account(id).await? else {
                continue;
            };
            self.lock_down(
                &Actor::System,
                &account,
                row.id,
                "finishing a lock-down interrupted by a stop",
            )
            .await?;
            resumed += 1;
        }
        Ok(resumed)
    }

    /// A report that an account's credentials are compromised, from the public form (or a
    /// signed-in holder): opens an urgent case and, when the address is an account's, locks
    /// it down. The answer never tells whether the address has an account.
    pub async fn report_compromise(
        &self,
        email: &str,
        details: &str,
        source: &str,
    ) -> Result<Uuid, EngineError> {
        let email = Email::parse(email).map_err(|e| {
            invalid(
                "email",
                format!("`{email}` is not an e-mail address: {}", e.0),
            )
        })?;
        let details = details.trim();
        if details.chars().count() > 10_000 {
            return Err(invalid(
                "details",
                "describe it in at most 10 000 characters",
            ));
        }
        let account = self
            .store
            .account_by_email(&self.account_index(&email))
            .await?;
        let detail = CaseDetail {
            from: Some(email.as_str().to_string()),
            subject: "Urgent: account credentials".into(),
            text: details.to_string(),
            ..CaseDetail::default()
        };
        let case = self
            .open_new_case(
                CaseKind::CredentialCompromise,
                source,
                account.as_ref(),
                detail,
            )
            .await?;
        if let Some(account) = account {
            self.lock_down(
                &Actor::System,
                &account,
                case.id,
                "reported through the compromise form",
            )
            .await?;
        }
        Ok(case.id)
    }

    /// Cases for staff who handle them.
    pub async fn cases(
        &self,
        who: &AccountRow,
        filter: &CaseFilter,
    ) -> Result<Vec<CaseView>, EngineError> {
        self.permit(who, Action::HandleCases, None).await?;
        let rows = self.store.cases(filter).await?;
        let views = rows
            .iter()
            .map(|r| self.open_case(r))
            .collect::<Result<Vec<_>, _>>()?;
        self.store
            .append_audit(&NewAuditEvent {
                at: self.clock.now(),
                actor: Actor::Account(who.id).to_string(),
                action: "case.list".into(),
                tenant: None,
                targets: views.iter().map(|v| format!("case:{}", v.id)).collect(),
                purpose: Some("case-handling".into()),
                outcome: Outcome::Success,
                detail: None,
            })
            .await?;
        Ok(views)
    }

    /// One case, for staff who handle cases (its reading is audited).
    pub async fn case(&self, who: &AccountRow, id: Uuid) -> Result<CaseView, EngineError> {
        self.permit(who, Action::HandleCases, None).await?;
        let view = self.case_by_id(id).await?;
        self.store
            .append_audit(&NewAuditEvent {
                at: self.clock.now(),
                actor: Actor::Account(who.id).to_string(),
                action: "case.read".into(),
                tenant: view.tenant,
                targets: vec![format!("case:{id}")],
                purpose: Some("case-handling".into()),
                outcome: Outcome::Success,
                detail: None,
            })
            .await?;
        Ok(view)
    }

    /// Adds a note to a case, and closes it when `close`.
    pub async fn note_case(
        &self,
        who: &AccountRow,
        id: Uuid,
        text: &str,
        close: bool,
    ) -> Result<CaseView, EngineError> {
        self.permit(who, Action::HandleCases, None).await?;
        let text = text.trim().to_string();
        if text.is_empty() || text.chars().count() > 5_000 {
            return Err(invalid("note", "write a note of 1 to 5 000 characters"));
        }
        let now = self.clock.now();
        let by = Actor::Account(who.id).to_string();
        self.change_case(
            &Actor::Account(who.id),
            id,
            if close { "case.close" } else { "case.note" },
            |row, detail| {
                if row.closed_at.is_some() {
                    return Err(EngineError::Conflict("the case is closed".into()));
                }
                if close && row.kind == "government-disclosure" {
                    return Err(EngineError::Conflict(
                        "a disclosure request closes through its own steps (push back, release)"
                            .into(),
                    ));
                }
                detail.notes.push(CaseNote {
                    at: now,
                    by: by.clone(),
                    text: text.clone(),
                });
                if close {
                    row.state = "closed".into();
                    row.closed_at = Some(now);
                }
                Ok(())
            },
        )
        .await
    }

    /// Locks down the account with address `email` on case `case` (staff allowed to).
    pub async fn staff_lock_down(
        &self,
        who: &AccountRow,
        case: Uuid,
        email: &str,
    ) -> Result<Lockdown, EngineError> {
        self.permit(who, Action::LockAccount, None).await?;
        let email = Email::parse(email).map_err(|e| {
            invalid(
                "email",
                format!("`{email}` is not an e-mail address: {}", e.0),
            )
        })?;
        self.case_by_id(case).await?;
        let account = self
            .store
            .account_by_email(&self.account_index(&email))
            .await?
            .ok_or(EngineError::NotFound { kind: "account" })?;
        self.lock_down(
            &Actor::Account(who.id),
            &account,
            case,
            "staff decision on the case",
        )
        .await
    }

    /// Erases a child's data reported on a Children case: the subject that `kind`/`value`
    /// finds in `tenant` loses every key (erasable and legal), so none of its records can be
    /// read again; the case records it and closes.
    pub async fn erase_child(
        &self,
        who: &AccountRow,
        case: Uuid,
        tenant: TenantId,
        kind: &str,
        value: &str,
    ) -> Result<CaseView, EngineError> {
        self.permit(who, Action::HandleCases, Some(tenant)).await?;
        let view = self.case_by_id(case).await?;
        if view.kind != CaseKind::Children.as_str() {
            return Err(invalid(
                "case",
                format!(
                    "case {case} is a `{}` case, not a Children report",
                    view.kind
                ),
            ));
        }
        if view.closed_at.is_some() {
            return Err(EngineError::Conflict("the case is closed".into()));
        }
        let principal = Principal {
            tenant,
            by: Actor::Account(who.id),
            scopes: vec![Scope::RecordsRead],
            reason: Some(reason_text(&format!("Children report, case {case}"))?),
        };
        let found = match self.find_subject(&principal, kind, value).await {
            Ok(subject) => Some(subject),
            Err(EngineError::NotFound { .. }) => None,
            Err(e) => return Err(e),
        };
        let now = self.clock.now();
        let note = match found {
            Some(subject) => {
                let destroyed = self
                    .destroy_subject_keys(
                        &Actor::Account(who.id),
                        tenant,
                        &[subject],
                        &[KeyScope::Erasable, KeyScope::Legal],
                        DestroyReason::Erasure,
                    )
                    .await?;
                format!(
                    "child's data erased in tenant {tenant}: subject {subject}, {} key(s) destroyed; its records can no longer be read",
                    destroyed.destroyed
                )
            }
            None => format!("no data found in tenant {tenant} for the reported identifier"),
        };
        let by = Actor::Account(who.id).to_string();
        self.change_case(
            &Actor::Account(who.id),
            case,
            "case.children-erasure",
            |row, detail| {
                detail.actions.push(CaseNote {
                    at: now,
                    by: by.clone(),
                    text: note.clone(),
                });
                row.tenant = Some(tenant);
                row.state = "closed".into();
                row.closed_at = Some(now);
                Ok(())
            },
        )
        .await
    }
}

fn detail_of(message: &InboundMessage, to: Vec<String>) -> CaseDetail {
    CaseDetail {
        from: message.from.clone(),
        from_name: message.from_name.clone(),
        to,
        subject: message.subject.clone(),
        text: message.text.clone(),
        message_id: message.message_id.clone(),
        attachments: message
            .attachments
            .iter()
            .map(|a| {
                format!(
                    "{} ({}, {} bytes)",
                    a.name.as_deref().unwrap_or("unnamed"),
                    a.content_type,
                    a.size
                )
            })
            .collect(),
        ..CaseDetail::default()
    }
}
