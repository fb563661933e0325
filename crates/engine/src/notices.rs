//! Change notices by e-mail: subscriptions with double opt-in and one-click unsubscribe, a
//! notice to every subscriber when a published version changes the statement materially or
//! changes the subprocessor list (queued with the publication, so ahead of its effective date),
//! and objections to subprocessors.
//!
//! A subscriber's address is sealed under a key derived from the master key and found by a
//! keyed blind index; it is dropped when they unsubscribe. Links carry a token that names the
//! subscription and what the link may do, authenticated by a MAC under another derived key:
//! nothing to store, nothing to guess. A confirmation link is valid for the newest request only.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use custodian_core::TenantId;
use custodian_policy::PolicyVersion;
use custodian_policy::statement::mail::{self, Notice};
use custodian_store::{
    ALL_TOPICS, ClaimedNotice, Fanout, NewAuditEvent, NoticeKind, NoticeOutcome, NoticeStats,
    Objection, Outcome, Publication, Subscription, SubscriptionRequest, TOPIC_POLICY,
    TOPIC_SUBPROCESSORS,
};
use custodian_vault::{SymmetricKey, open, seal};
use jiff::Timestamp;
use jiff::civil::Date;
use uuid::Uuid;

use crate::identifiers::Email;
use crate::mail::{MailError, Mailer, OutgoingMail};
use crate::{Actor, Engine, EngineError};

/// How long a dispatcher holds the notices it claimed before another may take them.
const LEASE_SECONDS: i64 = 300;
/// Notices claimed per round.
const BATCH: u32 = 50;
/// Attempts before a notice is given up on (back-off 1, 2, 4 … 64 minutes between them).
const MAX_ATTEMPTS: i64 = 8;
/// A repeated identical request within this many seconds sends no second confirmation.
const RESEND_AFTER_SECONDS: i64 = 600;
/// The longest objection accepted, in characters.
const MAX_REASON: usize = 2000;

/// What a link may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum LinkAction {
    /// Confirm the pending request.
    Confirm = 1,
    /// Unsubscribe.
    Unsubscribe = 2,
    /// Object to a subprocessor.
    Object = 3,
}

/// Where the links in notices point.
#[derive(Debug, Clone)]
pub struct NoticeSettings {
    /// The public address of the pages (`https://privacy.example.com`), without a trailing
    /// slash.
    pub public_url: String,
}

/// What a dispatch round did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct DispatchReport {
    /// Handed to the mail server.
    pub sent: usize,
    /// Failed, to be tried again.
    pub retried: usize,
    /// Given up on.
    pub failed: usize,
    /// No longer to be sent (unsubscribed, superseded).
    pub cancelled: usize,
}

impl DispatchReport {
    /// Counts one outcome, logging failures of `what` (outbox entry `seq`).
    pub(crate) fn count(&mut self, outcome: &NoticeOutcome, what: &str, seq: i64) {
        match outcome {
            NoticeOutcome::Sent => self.sent += 1,
            NoticeOutcome::Retry { error, .. } => {
                tracing::warn!(seq, %error, "{what} was not sent; it will be retried");
                self.retried += 1;
            }
            NoticeOutcome::Failed { error } => {
                tracing::error!(seq, %error, "{what} could not be sent; given up");
                self.failed += 1;
            }
            NoticeOutcome::Cancelled { .. } => self.cancelled += 1,
        }
    }
}

/// Who objects to a subprocessor.
#[derive(Debug, Clone, Copy)]
pub enum Objector<'a> {
    /// A customer, by API key.
    Tenant(TenantId),
    /// A subscriber, by the link in a change notice.
    Link(&'a str),
}

/// The topics a list of names stands for (`policy`, `subprocessors`).
pub fn parse_topics<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<i64, EngineError> {
    let mut topics = 0;
    for name in names {
        topics |= match name.trim() {
            "policy" => TOPIC_POLICY,
            "subprocessors" => TOPIC_SUBPROCESSORS,
            other => {
                return Err(EngineError::Invalid {
                    field: "topics",
                    message: format!(
                        "`{other}` is not a topic; the topics are `policy` (material changes of the statement) and `subprocessors` (changes of the subprocessor list)"
                    ),
                });
            }
        };
    }
    if topics == 0 {
        return Err(EngineError::Invalid {
            field: "topics",
            message: "choose at least one topic: `policy` or `subprocessors`".into(),
        });
    }
    Ok(topics)
}

/// The names of topic bits.
pub fn topic_names(topics: i64) -> Vec<&'static str> {
    let mut names = Vec::new();
    if topics & TOPIC_POLICY != 0 {
        names.push("policy");
    }
    if topics & TOPIC_SUBPROCESSORS != 0 {
        names.push("subprocessors");
    }
    names
}

fn today(now: Timestamp) -> Date {
    now.to_zoned(jiff::tz::TimeZone::UTC).date()
}

/// The notices a publication of `version` owes subscribers, against the version in force
/// before it.
pub(crate) fn fanout(previous: &PolicyVersion, version: &PolicyVersion) -> Vec<Fanout> {
    let mut out = Vec::new();
    if custodian_policy::diff::diff(previous, version, None).material() > 0 {
        out.push(Fanout {
            kind: NoticeKind::PolicyChange,
            topic: TOPIC_POLICY,
            reference: version.label.clone(),
        });
    }
    if !custodian_policy::subprocessors::between(previous, version).is_empty() {
        out.push(Fanout {
            kind: NoticeKind::SubprocessorChange,
            topic: TOPIC_SUBPROCESSORS,
            reference: version.label.clone(),
        });
    }
    out
}

/// The publication in force just before `label`'s: the latest taking effect before it.
fn previous_publication<'a>(all: &'a [Publication], label: &str) -> Option<&'a Publication> {
    let this = all.iter().find(|p| p.label == label)?;
    all.iter()
        .filter(|p| p.label != label && p.effective_on <= this.effective_on)
        .max_by_key(|p| (p.effective_on, p.published_at))
}

fn invalid_link() -> EngineError {
    EngineError::Invalid {
        field: "token",
        message:
            "this link is not valid: copy the whole link from the e-mail, or ask for a new one"
                .into(),
    }
}

impl Engine {
    fn subscriber_key(&self) -> SymmetricKey {
        SymmetricKey::from_bytes(*self.master.derive("subscribers/seal"))
    }

    fn subscriber_index(&self, email: &Email) -> Vec<u8> {
        self.master
            .tag("subscribers/index", &[email.as_str().as_bytes()])[..16]
            .to_vec()
    }

    fn link_mac(&self, id: Uuid, action: LinkAction, generation: i64) -> [u8; 16] {
        let tag = self.master.tag(
            "subscribers/links",
            &[id.as_bytes(), &[action as u8], &generation.to_be_bytes()],
        );
        let mut out = [0; 16];
        out.copy_from_slice(&tag[..16]);
        out
    }

    /// The token of a link doing `action` for subscription `id` (generation matters for
    /// confirmation links only).
    pub fn link_token(&self, id: Uuid, action: LinkAction, generation: i64) -> String {
        let generation = if action == LinkAction::Confirm {
            generation
        } else {
            0
        };
        let mut bytes = Vec::with_capacity(41);
        bytes.extend_from_slice(id.as_bytes());
        bytes.push(action as u8);
        bytes.extend_from_slice(&generation.to_be_bytes());
        bytes.extend_from_slice(&self.link_mac(id, action, generation));
        URL_SAFE_NO_PAD.encode(bytes)
    }

    /// The subscription and generation a token names, if it is genuine and made for `action`.
    fn read_token(&self, token: &str, action: LinkAction) -> Result<(Uuid, i64), EngineError> {
        let bytes = URL_SAFE_NO_PAD
            .decode(token.trim())
            .map_err(|_| invalid_link())?;
        if bytes.len() != 41 || bytes[16] != action as u8 {
            return Err(invalid_link());
        }
        let id = Uuid::from_slice(&bytes[..16]).map_err(|_| invalid_link())?;
        let mut generation = [0; 8];
        generation.copy_from_slice(&bytes[17..25]);
        let generation = i64::from_be_bytes(generation);
        let expected = self.link_mac(id, action, generation);
        if !bool::from(subtle_eq(&expected, &bytes[25..])) {
            return Err(invalid_link());
        }
        Ok((id, generation))
    }

    fn check_locale(&self, lang: &str) -> Result<(), EngineError> {
        if self.policy.locale(lang).is_some() {
            return Ok(());
        }
        let known: Vec<&str> = self.policy.locales.iter().map(|l| l.tag.as_str()).collect();
        Err(EngineError::Invalid {
            field: "lang",
            message: format!(
                "`{lang}` is not a language of the statement; choose one of {}",
                known.join(", ")
            ),
        })
    }

    /// Asks to subscribe `email` to `topics`: stores the request and queues the confirmation
    /// e-mail (double opt-in). Nothing else is sent until the link in it is followed. The answer
    /// is the same whether the address was known or not (callers must not show the returned
    /// subscription to the requester). `None` when the same request was made moments ago and
    /// its confirmation is on its way.
    pub async fn subscribe(
        &self,
        email: &str,
        lang: &str,
        topics: i64,
    ) -> Result<Option<Subscription>, EngineError> {
        let address = Email::parse(email).map_err(|e| EngineError::Invalid {
            field: "email",
            message: e.to_string(),
        })?;
        self.check_locale(lang)?;
        if topics == 0 || topics & !ALL_TOPICS != 0 {
            return Err(EngineError::Invalid {
                field: "topics",
                message: "choose at least one topic: `policy` or `subprocessors`".into(),
            });
        }
        let index = self.subscriber_index(&address);
        let now = self.clock.now();
        let existing = self.store.subscription_by_index(&index).await?;
        if let Some(s) = &existing {
            // The same request again, shortly after: the first e-mail is on its way.
            let recent = s
                .requested_at
                .is_some_and(|at| now.duration_since(at).as_secs() < RESEND_AFTER_SECONDS);
            if recent && s.requested == Some(topics) && s.locale == lang {
                return Ok(None);
            }
        }
        let id = existing.as_ref().map_or_else(Uuid::now_v7, |s| s.id);
        let sealed = seal(
            &self.subscriber_key(),
            address.as_str().as_bytes(),
            id.as_bytes(),
        );
        let request = SubscriptionRequest {
            id,
            email_index: index,
            email_sealed: sealed,
            locale: lang.to_string(),
            topics,
            at: now,
        };
        let audit = NewAuditEvent {
            at: now,
            actor: Actor::System.to_string(),
            action: "subscription.request".into(),
            tenant: None,
            targets: vec![id.to_string()],
            purpose: None,
            outcome: Outcome::Success,
            detail: Some(
                serde_json::json!({ "topics": topic_names(topics), "lang": lang }).to_string(),
            ),
        };
        Ok(Some(
            self.store.request_subscription(&request, &audit).await?,
        ))
    }

    /// Follows a confirmation link: the requested topics become the subscription's, and
    /// notices of published versions not yet in force are queued for it.
    pub async fn confirm_subscription(&self, token: &str) -> Result<Subscription, EngineError> {
        let (id, generation) = self.read_token(token, LinkAction::Confirm)?;
        let now = self.clock.now();
        let publications = self.store.publications().await?;
        let mut upcoming = Vec::new();
        for p in publications.iter().filter(|p| p.effective_on > today(now)) {
            let previous = previous_publication(&publications, &p.label)
                .and_then(|q| self.policy.version(&q.label));
            if let (Some(previous), Some(version)) = (previous, self.policy.version(&p.label)) {
                upcoming.extend(fanout(previous, version));
            }
        }
        let audit = NewAuditEvent {
            at: now,
            actor: Actor::System.to_string(),
            action: "subscription.confirm".into(),
            tenant: None,
            targets: vec![id.to_string()],
            purpose: None,
            outcome: Outcome::Success,
            detail: None,
        };
        self.store
            .confirm_subscription(id, generation, now, &upcoming, &audit)
            .await?
            .ok_or_else(|| {
                EngineError::Conflict(
                    "this confirmation link is no longer valid: it was used already, a newer request was made, or the address unsubscribed. Subscribe again to get a new link".into(),
                )
            })
    }

    /// The subscription a link of `action` names, for showing its page.
    pub async fn subscription_for_link(
        &self,
        token: &str,
        action: LinkAction,
    ) -> Result<Subscription, EngineError> {
        let (id, _) = self.read_token(token, action)?;
        self.store
            .subscription(id)
            .await?
            .ok_or(EngineError::NotFound {
                kind: "subscription",
            })
    }

    /// Follows an unsubscribe link (one click, RFC 8058): no more notices, the address is
    /// dropped. `false` when it had unsubscribed before.
    pub async fn unsubscribe(&self, token: &str) -> Result<bool, EngineError> {
        let (id, _) = self.read_token(token, LinkAction::Unsubscribe)?;
        let now = self.clock.now();
        let audit = NewAuditEvent {
            at: now,
            actor: Actor::System.to_string(),
            action: "subscription.end".into(),
            tenant: None,
            targets: vec![id.to_string()],
            purpose: None,
            outcome: Outcome::Success,
            detail: None,
        };
        Ok(self.store.unsubscribe(id, now, &audit).await?)
    }

    /// Records an objection to subprocessor `processor` (its id in the policy), which must be
    /// listed by the version in force or by a published version not yet in force.
    pub async fn object_to_subprocessor(
        &self,
        actor: &Actor,
        by: Objector<'_>,
        processor: &str,
        reason: &str,
    ) -> Result<Objection, EngineError> {
        let (tenant, subscription) = match by {
            Objector::Tenant(t) => (Some(t), None),
            Objector::Link(token) => {
                let (id, _) = self.read_token(token, LinkAction::Object)?;
                (None, Some(id))
            }
        };
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(EngineError::Invalid {
                field: "reason",
                message: "say why you object, so that we can answer".into(),
            });
        }
        if reason.chars().count() > MAX_REASON {
            return Err(EngineError::Invalid {
                field: "reason",
                message: format!("an objection has at most {MAX_REASON} characters"),
            });
        }
        let now = self.clock.now();
        let publications = self.store.publications().await?;
        let candidates = self.objectable_versions(&publications, now);
        let version = candidates
            .iter()
            .find(|v| v.processor.iter().any(|p| p.id.as_str() == processor))
            .ok_or_else(|| {
                let mut known: Vec<&str> = candidates
                    .iter()
                    .flat_map(|v| v.processor.iter().map(|p| p.id.as_str()))
                    .collect();
                known.sort_unstable();
                known.dedup();
                EngineError::Invalid {
                    field: "processor",
                    message: format!(
                        "`{processor}` is not a subprocessor in force or announced; they are: {}",
                        known.join(", ")
                    ),
                }
            })?;
        let objection = Objection {
            id: Uuid::now_v7(),
            processor: processor.to_string(),
            version: version.label.clone(),
            tenant,
            subscription,
            reason: reason.to_string(),
            created_at: now,
        };
        let mut targets = vec![objection.id.to_string(), processor.to_string()];
        targets.extend(subscription.map(|s| s.to_string()));
        let audit = NewAuditEvent {
            at: now,
            actor: actor.to_string(),
            action: "subprocessor.objection".into(),
            tenant,
            targets,
            purpose: None,
            outcome: Outcome::Success,
            detail: Some(serde_json::json!({ "version": version.label }).to_string()),
        };
        self.store.record_objection(&objection, &audit).await?;
        Ok(objection)
    }

    /// The versions an objection may concern: those published to take effect later, then the
    /// one in force (the newest published, else the policy's current one).
    fn objectable_versions(
        &self,
        publications: &[Publication],
        now: Timestamp,
    ) -> Vec<&PolicyVersion> {
        let mut candidates: Vec<&PolicyVersion> = publications
            .iter()
            .filter(|p| p.effective_on > today(now))
            .filter_map(|p| self.policy.version(&p.label))
            .collect();
        if let Some(in_force) = publications
            .iter()
            .filter(|p| p.effective_on <= today(now))
            .max_by_key(|p| (p.effective_on, p.published_at))
            .and_then(|p| self.policy.version(&p.label))
            .or_else(|| self.policy.current())
        {
            candidates.push(in_force);
        }
        candidates
    }

    /// The subprocessors an objection may concern, as (id, name), announced ones first.
    pub async fn objectable_subprocessors(&self) -> Result<Vec<(String, String)>, EngineError> {
        let publications = self.store.publications().await?;
        let mut out: Vec<(String, String)> = Vec::new();
        for v in self.objectable_versions(&publications, self.clock.now()) {
            for p in v.processor.iter() {
                if !out.iter().any(|(id, _)| id == p.id.as_str()) {
                    out.push((p.id.as_str().to_string(), p.name.clone()));
                }
            }
        }
        Ok(out)
    }

    /// Every objection, oldest first.
    pub async fn objections(&self) -> Result<Vec<Objection>, EngineError> {
        Ok(self.store.objections().await?)
    }

    /// Counts over subscriptions, the outbox and objections.
    pub async fn notice_stats(&self) -> Result<NoticeStats, EngineError> {
        Ok(self.store.notice_stats().await?)
    }

    /// Sends the notices that are due, until none is left or a round claims nothing.
    pub async fn dispatch_notices(
        &self,
        mailer: &dyn Mailer,
        settings: &NoticeSettings,
    ) -> Result<DispatchReport, EngineError> {
        let mut report = DispatchReport::default();
        loop {
            let now = self.clock.now();
            let lease = now + jiff::SignedDuration::from_secs(LEASE_SECONDS);
            let claimed = self.store.claim_notices(now, lease, BATCH).await?;
            if claimed.is_empty() {
                // Account e-mail (verification links, sign-in alerts) goes the same way.
                self.dispatch_account_mail(mailer, settings, &mut report)
                    .await?;
                // So do data subject requests' letters and calls.
                self.dispatch_rights(mailer, &mut report).await?;
                return Ok(report);
            }
            let publications = self.store.publications().await?;
            for notice in claimed {
                let outcome = self.deliver(mailer, settings, &publications, &notice).await;
                let now = self.clock.now();
                let audit = match &outcome {
                    NoticeOutcome::Sent => Some(NewAuditEvent {
                        at: now,
                        actor: Actor::System.to_string(),
                        action: "notice.sent".into(),
                        tenant: None,
                        targets: vec![notice.subscription.id.to_string()],
                        purpose: None,
                        outcome: Outcome::Success,
                        detail: Some(
                            serde_json::json!({ "kind": notice.kind, "reference": notice.reference })
                                .to_string(),
                        ),
                    }),
                    _ => None,
                };
                report.count(&outcome, "a notice", notice.seq);
                self.store
                    .finish_notice(notice.seq, now, &outcome, audit.as_ref())
                    .await?;
            }
        }
    }

    async fn deliver(
        &self,
        mailer: &dyn Mailer,
        settings: &NoticeSettings,
        publications: &[Publication],
        notice: &ClaimedNotice,
    ) -> NoticeOutcome {
        let cancel = |reason: &str| NoticeOutcome::Cancelled {
            reason: reason.to_string(),
        };
        let sub = &notice.subscription;
        let Some(sealed) = &sub.email_sealed else {
            return cancel("unsubscribed");
        };
        let address = match open(&self.subscriber_key(), sealed, sub.id.as_bytes()) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(e) => {
                return NoticeOutcome::Failed {
                    error: format!("the address cannot be unsealed: {e}"),
                };
            }
        };
        let base = settings.public_url.trim_end_matches('/');
        let lang = sub.locale.as_str();
        let link = |path: &str, action: LinkAction| {
            format!(
                "{base}{path}?token={}&lang={lang}",
                self.link_token(sub.id, action, sub.generation)
            )
        };
        let unsubscribe = link("/subscriptions/unsubscribe", LinkAction::Unsubscribe);
        let kind = NoticeKind::parse(&notice.kind);
        let versions = || {
            let this = publications.iter().find(|p| p.label == notice.reference)?;
            let previous = previous_publication(publications, &notice.reference)?;
            Some((
                this,
                self.policy.version(&previous.label)?,
                self.policy.version(&this.label)?,
            ))
        };
        let letter = match kind {
            Some(NoticeKind::Confirm) => {
                let Some(topics) = sub
                    .requested
                    .filter(|_| notice.generation == sub.generation)
                else {
                    return cancel("superseded by a newer request, or confirmed already");
                };
                let confirm = link("/subscriptions/confirm", LinkAction::Confirm);
                mail::compose(
                    &self.policy,
                    lang,
                    &Notice::Confirm {
                        topics,
                        confirm: &confirm,
                    },
                    "",
                )
                .map(|l| (l, None))
            }
            Some(NoticeKind::PolicyChange) => {
                if sub.topics & TOPIC_POLICY == 0 {
                    return cancel("no longer subscribed to this topic");
                }
                let Some((this, from, to)) = versions() else {
                    return cancel("the version is not published");
                };
                let effective = this.effective_on.to_string();
                let changes = format!(
                    "{base}/privacy/changes?from={}&to={}&lang={lang}",
                    from.label, to.label
                );
                let material = custodian_policy::diff::diff(from, to, None).material();
                mail::compose(
                    &self.policy,
                    lang,
                    &Notice::PolicyChange {
                        from,
                        to,
                        effective: &effective,
                        material,
                        changes: &changes,
                    },
                    &unsubscribe,
                )
                .map(|l| (l, Some(unsubscribe.clone())))
            }
            Some(NoticeKind::SubprocessorChange) => {
                if sub.topics & TOPIC_SUBPROCESSORS == 0 {
                    return cancel("no longer subscribed to this topic");
                }
                let Some((this, from, to)) = versions() else {
                    return cancel("the version is not published");
                };
                let effective = this.effective_on.to_string();
                let list = format!("{base}/subprocessors?lang={lang}&version={}", to.label);
                let object = link("/subprocessors/objections/new", LinkAction::Object);
                mail::compose(
                    &self.policy,
                    lang,
                    &Notice::SubprocessorChange {
                        from,
                        to,
                        effective: &effective,
                        list: &list,
                        object: &object,
                    },
                    &unsubscribe,
                )
                .map(|l| (l, Some(unsubscribe.clone())))
            }
            None => return cancel("unknown kind of notice"),
        };
        let (letter, unsubscribe) = match letter {
            Ok(l) => l,
            Err(e) => {
                return NoticeOutcome::Failed {
                    error: e.to_string(),
                };
            }
        };
        let mail = OutgoingMail {
            to: address,
            subject: letter.subject,
            body: letter.body,
            unsubscribe,
        };
        self.send_outcome(mailer.send(&mail).await, notice.attempts)
    }

    /// What a send's result means for an outbox entry tried `attempts` times before: sent,
    /// given up (a permanent failure, or too many), or retried with a doubling back-off.
    pub(crate) fn send_outcome(&self, sent: Result<(), MailError>, attempts: i64) -> NoticeOutcome {
        match sent {
            Ok(()) => NoticeOutcome::Sent,
            Err(MailError::Permanent(error)) => NoticeOutcome::Failed { error },
            Err(MailError::Transient(error)) if attempts + 1 >= MAX_ATTEMPTS => {
                NoticeOutcome::Failed { error }
            }
            Err(MailError::Transient(error)) => {
                let minutes = 1i64 << attempts.clamp(0, 6);
                NoticeOutcome::Retry {
                    error,
                    next_at: self.clock.now() + jiff::SignedDuration::from_mins(minutes),
                }
            }
        }
    }

    /// Sends the queued account e-mail, adding to `report`.
    async fn dispatch_account_mail(
        &self,
        mailer: &dyn Mailer,
        settings: &NoticeSettings,
        report: &mut DispatchReport,
    ) -> Result<(), EngineError> {
        loop {
            let now = self.clock.now();
            let lease = now + jiff::SignedDuration::from_secs(LEASE_SECONDS);
            let claimed = self.store.claim_account_mail(now, lease, BATCH).await?;
            if claimed.is_empty() {
                return Ok(());
            }
            for m in claimed {
                let outcome = self.deliver_account_mail(mailer, settings, &m).await;
                report.count(&outcome, "an account e-mail", m.seq);
                self.store
                    .finish_account_mail(m.seq, self.clock.now(), &outcome)
                    .await?;
            }
        }
    }

    async fn deliver_account_mail(
        &self,
        mailer: &dyn Mailer,
        settings: &NoticeSettings,
        m: &custodian_store::ClaimedAccountMail,
    ) -> NoticeOutcome {
        let address = match self.account_email(&m.account) {
            Ok(a) => a,
            Err(e) => {
                return NoticeOutcome::Failed {
                    error: e.to_string(),
                };
            }
        };
        let base = settings.public_url.trim_end_matches('/');
        let lang = m.account.locale.as_str();
        let letter = match m.kind.as_str() {
            "verify" => {
                if m.account.email_verified_at.is_some() {
                    return NoticeOutcome::Cancelled {
                        reason: "the address was verified meanwhile".into(),
                    };
                }
                let link = format!(
                    "{base}/account/verify?token={}&lang={lang}",
                    self.verification_token(m.account.id)
                );
                mail::compose(
                    &self.policy,
                    lang,
                    &Notice::VerifyAccount { link: &link },
                    "",
                )
            }
            "reset" => {
                let link = format!(
                    "{base}/account/reset?token={}&lang={lang}",
                    self.reset_token(&m.account)
                );
                mail::compose(
                    &self.policy,
                    lang,
                    &Notice::PasswordReset { link: &link },
                    "",
                )
            }
            "lockdown" => {
                let link = format!(
                    "{base}/account/reset?token={}&lang={lang}",
                    self.reset_token(&m.account)
                );
                mail::compose(
                    &self.policy,
                    lang,
                    &Notice::Lockdown {
                        case: &m.reference,
                        link: &link,
                    },
                    "",
                )
            }
            "disclosure" => {
                let Ok(id) = m.reference.parse::<uuid::Uuid>() else {
                    return NoticeOutcome::Cancelled {
                        reason: "the disclosure case is not named".into(),
                    };
                };
                let case = match self.store.case(id).await {
                    Ok(Some(row)) => match self.open_case(&row) {
                        Ok(view) => view,
                        Err(e) => {
                            return NoticeOutcome::Failed {
                                error: e.to_string(),
                            };
                        }
                    },
                    Ok(None) => {
                        return NoticeOutcome::Cancelled {
                            reason: "the disclosure case is gone".into(),
                        };
                    }
                    Err(e) => {
                        return NoticeOutcome::Failed {
                            error: e.to_string(),
                        };
                    }
                };
                let Some(d) = case.detail.disclosure else {
                    return NoticeOutcome::Cancelled {
                        reason: "the case is not a disclosure request".into(),
                    };
                };
                let period = format!(
                    "{} – {}",
                    d.period_from.map(|p| p.to_string()).unwrap_or_default(),
                    d.period_to.map(|p| p.to_string()).unwrap_or_default()
                );
                let categories = d.categories.join(", ");
                mail::compose(
                    &self.policy,
                    lang,
                    &Notice::Disclosure {
                        case: &m.reference,
                        authority: &d.authority_type,
                        country: &d.country,
                        categories: &categories,
                        period: &period,
                    },
                    "",
                )
            }
            "login-alert" => {
                // The reference is `<time>/<country or ->/<device>`.
                let mut parts = m.reference.splitn(3, '/');
                let at = parts
                    .next()
                    .and_then(|t| t.parse::<jiff::Timestamp>().ok())
                    .map(|t| t.strftime("%Y-%m-%d %H:%M UTC").to_string())
                    .unwrap_or_default();
                let country = parts.next().filter(|c| *c != "-");
                mail::compose(
                    &self.policy,
                    lang,
                    &Notice::SignInAlert { at: &at, country },
                    "",
                )
            }
            other => {
                return NoticeOutcome::Cancelled {
                    reason: format!("unknown kind of account e-mail `{other}`"),
                };
            }
        };
        let letter = match letter {
            Ok(l) => l,
            Err(e) => {
                return NoticeOutcome::Failed {
                    error: e.to_string(),
                };
            }
        };
        let mail = OutgoingMail {
            to: address,
            subject: letter.subject,
            body: letter.body,
            unsubscribe: None,
        };
        self.send_outcome(mailer.send(&mail).await, m.attempts)
    }
}

fn subtle_eq(a: &[u8], b: &[u8]) -> subtle::Choice {
    use subtle::ConstantTimeEq;
    a.ct_eq(b)
}
