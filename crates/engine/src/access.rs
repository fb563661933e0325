//! What staff may do: roles on need to know, time-restricted grants of sensitive access, and
//! four-eyes approvals.
//!
//! Every sensitive action is an [`Action`]. [`access`] is the whole role × action matrix: an
//! action is allowed to a role, allowed only under a grant (asked for with a reason, approved
//! by someone else, ending by itself), or denied. Actions in [`Action::FOUR_EYES`] never run on
//! one person's word: they are requested, and a second, different member of staff allowed to do
//! the same approves them; a compliance officer's request needs an approver of another role.
//! Every check that refuses is audited with the outcome `denied`.

use std::fmt;

use custodian_core::TenantId;
use custodian_store::{
    AccountKind, AccountRow, ApprovalRow, AuditEvent, AuditFilter, GrantRow, NewAuditEvent, Outcome,
};
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;
use uuid::Uuid;

use crate::{Actor, Engine, EngineError, Principal, Scope};

/// A staff role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Answers for the programme: audits, cases, disclosures, approvals.
    ComplianceOfficer,
    /// Legal review: government requests, disputes, holds, policy texts.
    Legal,
    /// Helps customers: mailbox cases, account lock-downs.
    Support,
    /// Security: credential compromise, staff accounts, key destruction, audits.
    Security,
    /// Runs the system; reads personal data only under a grant.
    Engineer,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 5] = [
        Role::ComplianceOfficer,
        Role::Legal,
        Role::Support,
        Role::Security,
        Role::Engineer,
    ];

    /// The written form (`compliance-officer`).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::ComplianceOfficer => "compliance-officer",
            Role::Legal => "legal",
            Role::Support => "support",
            Role::Security => "security",
            Role::Engineer => "engineer",
        }
    }

    /// Reads the written form.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// A sensitive action staff can take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// Open a tenant's personal-data records (always with a purpose and a reason).
    ReadPersonalData,
    /// Export all of a tenant's records at once (four eyes).
    BulkExport,
    /// Destroy every key of a tenant, making all its data unreadable (four eyes).
    PurgeTenant,
    /// Publish a policy version (four eyes).
    PublishPolicy,
    /// Destroy subjects' keys outside the retention schedule (four eyes).
    DestroyKeys,
    /// Release the data a government disclosure request asked for (four eyes).
    ReleaseDisclosure,
    /// Approve grants of sensitive access.
    ApproveGrants,
    /// Read the audit log.
    ReadAudit,
    /// Export the audit log.
    ExportAudit,
    /// Make staff accounts and change roles.
    ManageStaff,
    /// Read and work the cases of the privacy and security mailboxes.
    HandleCases,
    /// Record and review government disclosure requests, push back, decide on notice.
    ReviewDisclosure,
    /// Lock an account down after a reported compromise.
    LockAccount,
    /// Place and lift legal holds.
    PlaceHold,
    /// Operate the system: sweeps, partitions, the erasure log, metrics.
    OperateSystem,
}

impl Action {
    /// Every action.
    pub const ALL: [Action; 15] = [
        Action::ReadPersonalData,
        Action::BulkExport,
        Action::PurgeTenant,
        Action::PublishPolicy,
        Action::DestroyKeys,
        Action::ReleaseDisclosure,
        Action::ApproveGrants,
        Action::ReadAudit,
        Action::ExportAudit,
        Action::ManageStaff,
        Action::HandleCases,
        Action::ReviewDisclosure,
        Action::LockAccount,
        Action::PlaceHold,
        Action::OperateSystem,
    ];

    /// The actions that need a second person's approval.
    pub const FOUR_EYES: [Action; 5] = [
        Action::BulkExport,
        Action::PurgeTenant,
        Action::PublishPolicy,
        Action::DestroyKeys,
        Action::ReleaseDisclosure,
    ];

    /// The actions a grant can give (for a time, to a role that has them only so).
    pub const GRANTABLE: [Action; 1] = [Action::ReadPersonalData];

    /// The written form (`read-personal-data`).
    pub fn as_str(self) -> &'static str {
        match self {
            Action::ReadPersonalData => "read-personal-data",
            Action::BulkExport => "bulk-export",
            Action::PurgeTenant => "purge-tenant",
            Action::PublishPolicy => "publish-policy",
            Action::DestroyKeys => "destroy-keys",
            Action::ReleaseDisclosure => "release-disclosure",
            Action::ApproveGrants => "approve-grants",
            Action::ReadAudit => "read-audit",
            Action::ExportAudit => "export-audit",
            Action::ManageStaff => "manage-staff",
            Action::HandleCases => "handle-cases",
            Action::ReviewDisclosure => "review-disclosure",
            Action::LockAccount => "lock-account",
            Action::PlaceHold => "place-hold",
            Action::OperateSystem => "operate-system",
        }
    }

    /// Reads the written form.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// Whether it needs a second person's approval.
    pub fn four_eyes(self) -> bool {
        Self::FOUR_EYES.contains(&self)
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a role may do about an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Access {
    /// Allowed by the role (four-eyes actions still need an approval).
    Allowed,
    /// Only under an active grant.
    WithGrant,
    /// Never.
    Denied,
}

/// The role × action matrix: each role has the least its work needs.
pub fn access(role: Role, action: Action) -> Access {
    use Access::{Allowed as A, Denied as D, WithGrant as G};
    use Action::*;
    match (role, action) {
        (_, ReadPersonalData) => G,
        (Role::ComplianceOfficer, ManageStaff | OperateSystem) => D,
        (Role::ComplianceOfficer, _) => A,
        (
            Role::Legal,
            BulkExport | PurgeTenant | PublishPolicy | ReleaseDisclosure | ReadAudit | HandleCases
            | ReviewDisclosure | PlaceHold,
        ) => A,
        (Role::Legal, _) => D,
        (Role::Support, HandleCases | LockAccount) => A,
        (Role::Support, _) => D,
        (
            Role::Security,
            DestroyKeys | ApproveGrants | ReadAudit | ExportAudit | ManageStaff | HandleCases
            | LockAccount,
        ) => A,
        (Role::Security, _) => D,
        (Role::Engineer, OperateSystem) => A,
        (Role::Engineer, _) => D,
    }
}

/// How a check passed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "via", content = "id")]
pub enum Permit {
    /// By a role.
    Role(Role),
    /// By an active grant.
    Grant(Uuid),
}

/// How long a grant may last at most.
pub const MAX_GRANT: SignedDuration = SignedDuration::from_hours(8);

/// How long a request for approval waits before it lapses.
pub const APPROVAL_WAIT: SignedDuration = SignedDuration::from_hours(24 * 7);

/// How long an approved export can be downloaded.
pub const EXPORT_WINDOW: SignedDuration = SignedDuration::from_hours(24);

/// The kind of approval that gives a grant.
pub const GRANT_KIND: &str = "access-grant";

fn invalid(field: &'static str, message: impl Into<String>) -> EngineError {
    EngineError::Invalid {
        field,
        message: message.into(),
    }
}

/// A reason staff give: trimmed, 10 to 500 characters, no control characters.
pub(crate) fn reason_text(reason: &str) -> Result<String, EngineError> {
    let reason = reason.trim();
    let n = reason.chars().count();
    if !(10..=500).contains(&n) || reason.chars().any(char::is_control) {
        return Err(invalid(
            "reason",
            "give the reason in 10 to 500 characters (a ticket or case reference and why), on one line",
        ));
    }
    Ok(reason.to_string())
}

/// The roles of a staff account.
pub fn roles_of(account: &AccountRow) -> Vec<Role> {
    account
        .roles
        .iter()
        .filter_map(|r| Role::parse(r))
        .collect()
}

impl Engine {
    fn access_event(
        &self,
        who: &AccountRow,
        action: &str,
        tenant: Option<TenantId>,
        targets: Vec<String>,
        outcome: Outcome,
        detail: serde_json::Value,
    ) -> NewAuditEvent {
        NewAuditEvent {
            at: self.clock.now(),
            actor: Actor::Account(who.id).to_string(),
            action: action.into(),
            tenant,
            targets,
            purpose: None,
            outcome,
            detail: Some(detail.to_string()),
        }
    }

    /// Audits a refusal and returns the error that says what would allow it.
    async fn refuse(
        &self,
        who: &AccountRow,
        action: Action,
        tenant: Option<TenantId>,
        message: String,
    ) -> EngineError {
        let event = self.access_event(
            who,
            "access.check",
            tenant,
            vec![format!("action:{action}")],
            Outcome::Denied,
            serde_json::json!({ "action": action.as_str(), "why": message }),
        );
        match self.store.append_audit(&event).await {
            Ok(_) => EngineError::NotPermitted(message),
            Err(e) => e.into(),
        }
    }

    fn require_staff(&self, who: &AccountRow) -> Result<(), EngineError> {
        if who.kind != AccountKind::Staff {
            return Err(EngineError::NotPermitted(
                "only staff accounts can do this".into(),
            ));
        }
        if who.totp_enabled_at.is_none() {
            return Err(EngineError::NotPermitted(
                "staff need a confirmed second factor first".into(),
            ));
        }
        if who.locked_at.is_some() {
            return Err(EngineError::Locked);
        }
        Ok(())
    }

    /// Checks that `who` may take `action` (in `tenant`, for grants limited to one): by a role
    /// that allows it, or by an active grant. Refusals are audited.
    pub async fn permit(
        &self,
        who: &AccountRow,
        action: Action,
        tenant: Option<TenantId>,
    ) -> Result<Permit, EngineError> {
        self.require_staff(who)?;
        let roles = roles_of(who);
        if let Some(role) = roles
            .iter()
            .copied()
            .find(|r| access(*r, action) == Access::Allowed)
        {
            return Ok(Permit::Role(role));
        }
        if roles
            .iter()
            .any(|r| access(*r, action) == Access::WithGrant)
        {
            let now = self.clock.now();
            let grant = self
                .store
                .grants(Some(who.id))
                .await?
                .into_iter()
                .find(|g| {
                    g.action == action.as_str()
                        && g.active_at(now)
                        && (g.tenant.is_none() || g.tenant == tenant)
                });
            if let Some(grant) = grant {
                return Ok(Permit::Grant(grant.id));
            }
            let message = match tenant {
                Some(t) => format!(
                    "`{action}` in tenant {t} needs an active grant: ask for one with a reason (POST /v1/staff/grants) and have it approved"
                ),
                None => format!(
                    "`{action}` needs an active grant: ask for one with a reason (POST /v1/staff/grants) and have it approved"
                ),
            };
            return Err(self.refuse(who, action, tenant, message).await);
        }
        let allowed: Vec<&str> = Role::ALL
            .into_iter()
            .filter(|r| access(*r, action) != Access::Denied)
            .map(Role::as_str)
            .collect();
        let message = format!(
            "your roles ({}) do not allow `{action}`; it belongs to: {}",
            if roles.is_empty() {
                "none".to_string()
            } else {
                roles
                    .iter()
                    .map(|r| r.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            },
            allowed.join(", ")
        );
        Err(self.refuse(who, action, tenant, message).await)
    }

    /// A principal through which a member of staff reads one tenant's records: only with an
    /// active grant for that tenant (or all tenants), and a reason that every read records.
    pub async fn staff_principal(
        &self,
        who: &AccountRow,
        tenant: TenantId,
        reason: &str,
    ) -> Result<Principal, EngineError> {
        let reason = reason_text(reason)?;
        self.tenant(tenant).await?;
        let permit = self
            .permit(who, Action::ReadPersonalData, Some(tenant))
            .await?;
        let reason = match permit {
            Permit::Grant(id) => format!("{reason} (grant {id})"),
            Permit::Role(_) => reason,
        };
        Ok(Principal {
            tenant,
            by: Actor::Account(who.id),
            scopes: vec![Scope::RecordsRead],
            reason: Some(reason),
        })
    }

    /// Asks for a grant of `action` (limited to `tenant` when given) for `duration` (at most
    /// [`MAX_GRANT`]); it becomes active when someone else approves it and ends by itself.
    pub async fn request_grant(
        &self,
        who: &AccountRow,
        action: Action,
        tenant: Option<TenantId>,
        reason: &str,
        duration: SignedDuration,
    ) -> Result<(GrantRow, ApprovalRow), EngineError> {
        self.require_staff(who)?;
        let reason = reason_text(reason)?;
        if !Action::GRANTABLE.contains(&action) {
            return Err(invalid(
                "action",
                format!(
                    "`{action}` is not given by grants; grants give: {}",
                    Action::GRANTABLE.map(Action::as_str).join(", ")
                ),
            ));
        }
        if duration < SignedDuration::from_mins(5) || duration > MAX_GRANT {
            return Err(invalid(
                "duration_minutes",
                format!("a grant lasts 5 minutes to {} hours", MAX_GRANT.as_hours()),
            ));
        }
        if let Some(t) = tenant {
            self.tenant(t).await?;
        }
        let roles = roles_of(who);
        if !roles
            .iter()
            .any(|r| access(*r, action) == Access::WithGrant)
        {
            let message = format!(
                "none of your roles may be granted `{action}`: ask a member of staff whose role can"
            );
            return Err(self.refuse(who, action, tenant, message).await);
        }
        let now = self.clock.now();
        let grant_id = Uuid::now_v7();
        let approval = ApprovalRow {
            id: Uuid::now_v7(),
            kind: GRANT_KIND.into(),
            target: grant_id.to_string(),
            tenant,
            payload: serde_json::json!({
                "action": action.as_str(),
                "duration_s": duration.as_secs(),
            })
            .to_string(),
            reason: reason.clone(),
            requested_by: who.id,
            requested_at: now,
            expires_at: now + APPROVAL_WAIT,
            state: "pending".into(),
            decided_by: None,
            decided_at: None,
            note: None,
            executed_at: None,
            result: None,
        };
        let grant = GrantRow {
            id: grant_id,
            account: who.id,
            action: action.as_str().into(),
            tenant,
            reason,
            duration_s: duration.as_secs(),
            requested_at: now,
            approval: approval.id,
            active_from: None,
            expires_at: None,
            revoked_at: None,
            revoked_by: None,
        };
        let audit = self.access_event(
            who,
            "grant.request",
            tenant,
            vec![
                format!("grant:{grant_id}"),
                format!("approval:{}", approval.id),
            ],
            Outcome::Success,
            serde_json::json!({ "action": action.as_str(), "duration_s": duration.as_secs() }),
        );
        self.store
            .create_approval(&approval, Some(&grant), &audit)
            .await?;
        Ok((grant, approval))
    }

    /// Asks for a four-eyes `action` on `target`, with its parameters; it runs only once a
    /// second member of staff approves it.
    pub async fn request_approval(
        &self,
        who: &AccountRow,
        action: Action,
        target: &str,
        tenant: Option<TenantId>,
        payload: serde_json::Value,
        reason: &str,
    ) -> Result<ApprovalRow, EngineError> {
        if !action.four_eyes() {
            return Err(invalid(
                "kind",
                format!(
                    "`{action}` needs no approval; the actions that do are: {}",
                    Action::FOUR_EYES.map(Action::as_str).join(", ")
                ),
            ));
        }
        let reason = reason_text(reason)?;
        self.permit(who, action, tenant).await?;
        let now = self.clock.now();
        let approval = ApprovalRow {
            id: Uuid::now_v7(),
            kind: action.as_str().into(),
            target: target.to_string(),
            tenant,
            payload: payload.to_string(),
            reason,
            requested_by: who.id,
            requested_at: now,
            expires_at: now + APPROVAL_WAIT,
            state: "pending".into(),
            decided_by: None,
            decided_at: None,
            note: None,
            executed_at: None,
            result: None,
        };
        let audit = self.access_event(
            who,
            "approval.request",
            tenant,
            vec![format!("approval:{}", approval.id), target.to_string()],
            Outcome::Success,
            serde_json::json!({ "kind": action.as_str() }),
        );
        self.store.create_approval(&approval, None, &audit).await?;
        Ok(approval)
    }

    /// An approval by id (staff only).
    pub async fn approval(&self, who: &AccountRow, id: Uuid) -> Result<ApprovalRow, EngineError> {
        self.require_staff(who)?;
        self.store
            .approval(id)
            .await?
            .ok_or(EngineError::NotFound { kind: "approval" })
    }

    /// Approvals in `state` (all when `None`), newest first (staff only).
    pub async fn approvals(
        &self,
        who: &AccountRow,
        state: Option<&str>,
    ) -> Result<Vec<ApprovalRow>, EngineError> {
        self.require_staff(who)?;
        if let Some(s) = state
            && ![
                "pending",
                "approved",
                "rejected",
                "executed",
                "expired",
                "cancelled",
            ]
            .contains(&s)
        {
            return Err(invalid(
                "state",
                "use pending, approved, rejected, executed, expired or cancelled",
            ));
        }
        Ok(self.store.approvals(state, 200).await?)
    }

    /// Approves (or, with `approve = false`, rejects) a pending request. The decider must be
    /// another person than the requester, allowed to do the action themselves (to approve
    /// grants: `approve-grants`), and when the requester is a compliance officer, allowed by a
    /// role other than compliance officer. An approved grant becomes active at once.
    pub async fn decide_approval(
        &self,
        who: &AccountRow,
        id: Uuid,
        approve: bool,
        note: Option<&str>,
    ) -> Result<ApprovalRow, EngineError> {
        self.require_staff(who)?;
        let note = note
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(|n| {
                if n.chars().count() > 500 || n.chars().any(char::is_control) {
                    Err(invalid(
                        "note",
                        "a note is one line of at most 500 characters",
                    ))
                } else {
                    Ok(n.to_string())
                }
            })
            .transpose()?;
        let current = self
            .store
            .approval(id)
            .await?
            .ok_or(EngineError::NotFound { kind: "approval" })?;
        let now = self.clock.now();
        if current.state != "pending" {
            return Err(EngineError::Conflict(format!(
                "this request is {}, not pending",
                current.state
            )));
        }
        if current.expires_at <= now {
            return Err(EngineError::Conflict(
                "this request lapsed before anyone decided it; ask again".into(),
            ));
        }
        let kind_action = if current.kind == GRANT_KIND {
            Action::ApproveGrants
        } else {
            Action::parse(&current.kind).ok_or_else(|| {
                EngineError::Unavailable(format!("unknown approval kind `{}`", current.kind))
            })?
        };
        if current.requested_by == who.id {
            let message =
                "four eyes: a request cannot be approved or rejected by the person who made it"
                    .to_string();
            return Err(self.refuse(who, kind_action, current.tenant, message).await);
        }
        let requester = self.store.account(current.requested_by).await?;
        let requester_is_officer = requester
            .as_ref()
            .is_some_and(|r| roles_of(r).contains(&Role::ComplianceOfficer));
        let deciding_roles: Vec<Role> = roles_of(who)
            .into_iter()
            .filter(|r| access(*r, kind_action) == Access::Allowed)
            .filter(|r| !(requester_is_officer && *r == Role::ComplianceOfficer))
            .collect();
        if deciding_roles.is_empty() {
            let message = if requester_is_officer {
                format!(
                    "a compliance officer's request is reviewed by another role: it needs someone whose role other than compliance officer allows `{kind_action}`"
                )
            } else {
                format!("your roles do not allow `{kind_action}`, so you cannot decide it")
            };
            self.require_staff(who)?;
            return Err(self.refuse(who, kind_action, current.tenant, message).await);
        }
        let mut next = current.clone();
        next.state = if approve { "approved" } else { "rejected" }.into();
        next.decided_by = Some(who.id);
        next.decided_at = Some(now);
        next.note = note;
        let mut grant = None;
        if approve && current.kind == GRANT_KIND {
            let target: Uuid = current
                .target
                .parse()
                .map_err(|_| EngineError::Unavailable("a grant request names no grant".into()))?;
            let mut g = self
                .store
                .grant(target)
                .await?
                .ok_or(EngineError::NotFound { kind: "grant" })?;
            g.active_from = Some(now);
            g.expires_at = Some(now + SignedDuration::from_secs(g.duration_s));
            next.state = "executed".into();
            next.executed_at = Some(now);
            next.result = Some(
                serde_json::json!({ "grant": g.id, "expires_at": g.expires_at.map(|t| t.to_string()) })
                    .to_string(),
            );
            grant = Some(g);
        } else if approve {
            // What was approved can be carried out by the requester for a day.
            next.expires_at = now + EXPORT_WINDOW;
        }
        let audit = self.access_event(
            who,
            if approve {
                "approval.approve"
            } else {
                "approval.reject"
            },
            current.tenant,
            vec![format!("approval:{id}"), current.target.clone()],
            Outcome::Success,
            serde_json::json!({
                "kind": current.kind,
                "requested_by": current.requested_by,
                "roles": deciding_roles,
            }),
        );
        if !self
            .store
            .update_approval(&next, "pending", grant.as_ref(), &audit)
            .await?
        {
            return Err(EngineError::Conflict(
                "someone decided this request meanwhile".into(),
            ));
        }
        Ok(next)
    }

    /// Claims an approved request for the requester to carry out, once: the returned row is
    /// `executed`. Refused to anyone but the requester, before approval, after it lapsed.
    pub async fn claim_approved(
        &self,
        who: &AccountRow,
        id: Uuid,
        kind: Action,
        result: serde_json::Value,
    ) -> Result<ApprovalRow, EngineError> {
        self.require_staff(who)?;
        let current = self
            .store
            .approval(id)
            .await?
            .ok_or(EngineError::NotFound { kind: "approval" })?;
        if current.kind != kind.as_str() {
            return Err(invalid(
                "approval",
                format!("approval {id} is for `{}`, not `{kind}`", current.kind),
            ));
        }
        if current.requested_by != who.id {
            let message = "only the person who asked can carry out an approved request".into();
            return Err(self.refuse(who, kind, current.tenant, message).await);
        }
        // The requester must still be allowed to do it.
        self.permit(who, kind, current.tenant).await?;
        let now = self.clock.now();
        match current.state.as_str() {
            "approved" if current.expires_at > now => {}
            "approved" => {
                return Err(EngineError::Conflict(
                    "the approval lapsed unused; ask again".into(),
                ));
            }
            "pending" => {
                return Err(EngineError::Conflict(
                    "four eyes: this request waits for a second person's approval".into(),
                ));
            }
            other => {
                return Err(EngineError::Conflict(format!(
                    "this request is {other}; it cannot be carried out"
                )));
            }
        }
        let mut next = current.clone();
        next.state = "executed".into();
        next.executed_at = Some(now);
        next.result = Some(result.to_string());
        let audit = self.access_event(
            who,
            "approval.execute",
            current.tenant,
            vec![format!("approval:{id}"), current.target.clone()],
            Outcome::Success,
            serde_json::json!({ "kind": current.kind, "approved_by": current.decided_by }),
        );
        if !self
            .store
            .update_approval(&next, "approved", None, &audit)
            .await?
        {
            return Err(EngineError::Conflict(
                "this approved request was carried out already".into(),
            ));
        }
        Ok(next)
    }

    /// Ends a grant early: its holder, or anyone allowed to approve grants.
    pub async fn revoke_grant(&self, who: &AccountRow, id: Uuid) -> Result<GrantRow, EngineError> {
        self.require_staff(who)?;
        let grant = self
            .store
            .grant(id)
            .await?
            .ok_or(EngineError::NotFound { kind: "grant" })?;
        if grant.account != who.id {
            self.permit(who, Action::ApproveGrants, grant.tenant)
                .await?;
        }
        let now = self.clock.now();
        let audit = self.access_event(
            who,
            "grant.revoke",
            grant.tenant,
            vec![format!("grant:{id}")],
            Outcome::Success,
            serde_json::json!({ "holder": grant.account }),
        );
        self.store
            .end_grant(id, now, &Actor::Account(who.id).to_string(), &audit)
            .await?;
        self.store
            .grant(id)
            .await?
            .ok_or(EngineError::NotFound { kind: "grant" })
    }

    /// Grants of one account, or everyone's (staff allowed to approve grants).
    pub async fn grants(
        &self,
        who: &AccountRow,
        everyone: bool,
    ) -> Result<Vec<GrantRow>, EngineError> {
        self.require_staff(who)?;
        if everyone {
            self.permit(who, Action::ApproveGrants, None).await?;
            Ok(self.store.grants(None).await?)
        } else {
            Ok(self.store.grants(Some(who.id)).await?)
        }
    }

    /// Closes what ran out: grants past their end are marked ended (`expiry`) and pending
    /// requests past their wait lapse, each audited. Returns (grants, requests) closed.
    pub async fn expire_access(&self) -> Result<(u64, u64), EngineError> {
        let now = self.clock.now();
        let mut grants = 0;
        for g in self.store.grants(None).await? {
            let ran_out = g.revoked_at.is_none() && g.expires_at.is_some_and(|t| t <= now);
            if !ran_out {
                continue;
            }
            let audit = NewAuditEvent {
                at: now,
                actor: Actor::System.to_string(),
                action: "grant.expire".into(),
                tenant: g.tenant,
                targets: vec![format!("grant:{}", g.id)],
                purpose: None,
                outcome: Outcome::Success,
                detail: Some(serde_json::json!({ "holder": g.account }).to_string()),
            };
            if self.store.end_grant(g.id, now, "expiry", &audit).await? {
                grants += 1;
            }
        }
        let mut lapsed = 0;
        for a in self.store.approvals(Some("pending"), 1_000).await? {
            if a.expires_at > now {
                continue;
            }
            let mut next = a.clone();
            next.state = "expired".into();
            let audit = NewAuditEvent {
                at: now,
                actor: Actor::System.to_string(),
                action: "approval.lapse".into(),
                tenant: a.tenant,
                targets: vec![format!("approval:{}", a.id)],
                purpose: None,
                outcome: Outcome::Success,
                detail: Some(serde_json::json!({ "kind": a.kind }).to_string()),
            };
            if self
                .store
                .update_approval(&next, "pending", None, &audit)
                .await?
            {
                lapsed += 1;
            }
        }
        Ok((grants, lapsed))
    }

    /// The audit log for compliance review, filtered (staff allowed to read it). Reading it is
    /// itself audited.
    pub async fn audit_view(
        &self,
        who: &AccountRow,
        filter: &AuditFilter,
        export: bool,
    ) -> Result<Vec<AuditEvent>, EngineError> {
        let action = if export {
            Action::ExportAudit
        } else {
            Action::ReadAudit
        };
        self.permit(who, action, filter.tenant).await?;
        let events = self.store.audit_events(filter).await?;
        let audit = self.access_event(
            who,
            if export { "audit.export" } else { "audit.read" },
            filter.tenant,
            Vec::new(),
            Outcome::Success,
            serde_json::json!({
                "actor": filter.actor,
                "action": filter.action,
                "since": filter.since.map(|t| t.to_string()),
                "until": filter.until.map(|t| t.to_string()),
                "outcome": filter.outcome.map(Outcome::as_str),
                "after_seq": filter.after_seq,
                "events": events.len(),
            }),
        );
        self.store.append_audit(&audit).await?;
        Ok(events)
    }

    /// What compliance officers did since the last review, for a reviewer of another role
    /// (legal or security): returns the position reviewed through and the events after it.
    pub async fn officer_actions(
        &self,
        who: &AccountRow,
    ) -> Result<(i64, Vec<AuditEvent>), EngineError> {
        self.require_officer_reviewer(who).await?;
        let through = self.officer_reviewed_through().await?;
        let mut events = Vec::new();
        for officer in self.store.accounts(None).await? {
            if !roles_of(&officer).contains(&Role::ComplianceOfficer) {
                continue;
            }
            events.extend(
                self.store
                    .audit_events(&AuditFilter {
                        after_seq: through,
                        limit: 10_000,
                        actor: Some(Actor::Account(officer.id).to_string()),
                        ..AuditFilter::default()
                    })
                    .await?,
            );
        }
        events.sort_by_key(|e| e.seq);
        Ok((through, events))
    }

    /// Records that `who` reviewed the compliance officers' actions up to position
    /// `through`, with a note; the next review starts after it.
    pub async fn review_officer_actions(
        &self,
        who: &AccountRow,
        through: i64,
        note: &str,
    ) -> Result<AuditEvent, EngineError> {
        self.require_officer_reviewer(who).await?;
        let note = reason_text(note)
            .map_err(|_| invalid("note", "write what the review found, 10 to 500 characters"))?;
        let from = self.officer_reviewed_through().await?;
        let head = self.store.audit_head().await?.seq;
        if through <= from || through > head {
            return Err(invalid(
                "through",
                format!("review up to a position after {from} and at most {head}"),
            ));
        }
        let event = self.access_event(
            who,
            "officer.review",
            None,
            Vec::new(),
            Outcome::Success,
            serde_json::json!({ "from": from, "through": through, "note": note }),
        );
        Ok(self.store.append_audit(&event).await?)
    }

    async fn require_officer_reviewer(&self, who: &AccountRow) -> Result<(), EngineError> {
        self.require_staff(who)?;
        let reviewer = roles_of(who).iter().any(|r| {
            *r != Role::ComplianceOfficer && access(*r, Action::ReadAudit) == Access::Allowed
        });
        if !reviewer {
            let message =
                "a compliance officer's actions are reviewed by another role: legal or security"
                    .to_string();
            return Err(self.refuse(who, Action::ReadAudit, None, message).await);
        }
        Ok(())
    }

    async fn officer_reviewed_through(&self) -> Result<i64, EngineError> {
        let reviews = self
            .store
            .audit_events(&AuditFilter {
                limit: 10_000,
                action: Some("officer.review".into()),
                ..AuditFilter::default()
            })
            .await?;
        Ok(reviews
            .last()
            .and_then(|e| e.event.detail.as_deref())
            .and_then(|d| serde_json::from_str::<serde_json::Value>(d).ok())
            .and_then(|d| d["through"].as_i64())
            .unwrap_or(0))
    }

    /// The current time (for callers that stamp what they show).
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }
}
