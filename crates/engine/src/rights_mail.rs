//! What data subject requests owe the outside world, sent from their outbox: the requester's
//! letters (verification code, receipt, extension, routing, the confirmation kept five years),
//! the customers' (a request routed to them, reminders), the routed customer's webhook and the
//! protocol agent's status callbacks. Failures are retried with backoff and never hold up the
//! request.

use custodian_policy::statement::mail::{self, Notice, Retained};
use custodian_store::{ClaimedRightsOutbox, NoticeOutcome, RightsRequestRow};
use serde::{Deserialize, Serialize};

use crate::mail::{Mailer, OutgoingMail};
use crate::notices::DispatchReport;
use crate::rights::{Detail, day_of};
use crate::{Engine, EngineError};

/// Items claimed per round.
const BATCH: u32 = 50;
/// How long a claim holds.
const LEASE_SECONDS: i64 = 120;
/// Attempts at a webhook or callback before giving up.
const MAX_CALLS: i64 = 8;

/// A letter as kept: to whom, subject, body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptLetter {
    /// The addresses it went to.
    pub to: Vec<String>,
    /// The subject line.
    pub subject: String,
    /// The body.
    pub body: String,
}

impl Engine {
    /// Where a request's letters go: the requester, or, for a customer's own request without
    /// a requester's address, the customer's account holders.
    async fn request_recipients(
        &self,
        row: &RightsRequestRow,
        detail: &Detail,
    ) -> Result<Vec<String>, EngineError> {
        if let Some(email) = &detail.requester.email {
            return Ok(vec![email.clone()]);
        }
        match row.tenant {
            Some(t) if row.parent.is_none() => self.tenant_addresses(t).await,
            _ => Ok(Vec::new()),
        }
    }

    /// The verified addresses of a customer's account holders.
    pub(crate) async fn tenant_addresses(
        &self,
        tenant: custodian_core::TenantId,
    ) -> Result<Vec<String>, EngineError> {
        let mut out = Vec::new();
        for a in self.store.accounts(Some(tenant)).await? {
            if a.kind == custodian_store::AccountKind::Customer && a.email_verified_at.is_some() {
                out.push(self.account_email(&a)?);
            }
        }
        Ok(out)
    }

    /// The addresses of staff who handle requests.
    async fn handler_addresses(&self) -> Result<Vec<String>, EngineError> {
        let mut out = Vec::new();
        for a in self.store.accounts(None).await? {
            if a.kind == custodian_store::AccountKind::Staff
                && a.locked_at.is_none()
                && crate::access::roles_of(&a).iter().any(|r| {
                    crate::access::access(*r, crate::access::Action::HandleCases)
                        == crate::access::Access::Allowed
                })
            {
                out.push(self.account_email(&a)?);
            }
        }
        Ok(out)
    }

    fn base_url(&self) -> String {
        self.rights_settings
            .public_url
            .trim_end_matches('/')
            .to_string()
    }

    /// Where the requester reads the answer or fetches the export.
    pub(crate) fn request_link(&self, row: &RightsRequestRow) -> String {
        let base = self.base_url();
        match row.tenant {
            Some(_) if row.parent.is_none() => format!("{base}/account/requests/{}", row.id),
            _ => {
                let root = row.parent.unwrap_or(row.id);
                format!(
                    "{base}/privacy-center/requests/{root}?token={}",
                    self.request_token(root)
                )
            }
        }
    }

    /// The token that lets the requester of a request to the platform read its status and
    /// fetch its export, without an account.
    pub fn request_token(&self, id: uuid::Uuid) -> String {
        let tag = self.master.tag("rights/status", &[id.as_bytes()]);
        tag[..16].iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Whether `token` is the request's token.
    pub fn request_token_ok(&self, id: uuid::Uuid, token: &str) -> bool {
        use subtle::ConstantTimeEq;
        let expected = self.request_token(id);
        expected.len() == token.len() && bool::from(expected.as_bytes().ct_eq(token.as_bytes()))
    }

    /// Composes the confirmation of a closed request.
    pub(crate) async fn confirmation_letter(
        &self,
        row: &RightsRequestRow,
        detail: &Detail,
    ) -> Result<KeptLetter, EngineError> {
        let to = self.request_recipients(row, detail).await?;
        let until: Vec<String> = detail
            .answer
            .retained
            .iter()
            .map(|r| {
                r.until
                    .map(|t| day_of(t).to_string())
                    .unwrap_or_else(|| "—".into())
            })
            .collect();
        let retained: Vec<Retained<'_>> = detail
            .answer
            .retained
            .iter()
            .zip(&until)
            .map(|(r, u)| Retained {
                category: &r.category,
                until: u,
                why: &r.why,
            })
            .collect();
        let link = self.request_link(row);
        let download = (detail.answer.export_until.is_some() && !detail.answer.no_data)
            .then_some(link.as_str());
        let reference = row.id.to_string();
        let letter = mail::compose(
            &self.policy,
            &row.locale,
            &Notice::RequestClosed {
                reference: &reference,
                right: &row.right,
                outcome: &row.state,
                explanation: detail.explanation.as_deref().unwrap_or(""),
                no_data: detail.answer.no_data,
                retained: &retained,
                download,
            },
            "",
        )
        .map_err(|e| {
            EngineError::Unavailable(format!("the confirmation cannot be written: {e}"))
        })?;
        Ok(KeptLetter {
            to,
            subject: letter.subject,
            body: letter.body,
        })
    }

    /// Sends what requests owe, adding to `report`.
    pub(crate) async fn dispatch_rights(
        &self,
        mailer: &dyn Mailer,
        report: &mut DispatchReport,
    ) -> Result<(), EngineError> {
        loop {
            let now = self.clock.now();
            let lease = now + jiff::SignedDuration::from_secs(LEASE_SECONDS);
            let claimed = self.store.claim_rights_outbox(now, lease, BATCH).await?;
            if claimed.is_empty() {
                return Ok(());
            }
            for item in claimed {
                let outcome = self.deliver_rights(mailer, &item).await;
                report.count(&outcome, "a request's mail or call", item.seq);
                self.store
                    .finish_rights_outbox(item.seq, self.clock.now(), &outcome)
                    .await?;
            }
        }
    }

    async fn deliver_rights(
        &self,
        mailer: &dyn Mailer,
        item: &ClaimedRightsOutbox,
    ) -> NoticeOutcome {
        match self.try_deliver(mailer, item).await {
            Ok(outcome) => outcome,
            Err(e) => NoticeOutcome::Failed {
                error: e.to_string(),
            },
        }
    }

    async fn try_deliver(
        &self,
        mailer: &dyn Mailer,
        item: &ClaimedRightsOutbox,
    ) -> Result<NoticeOutcome, EngineError> {
        let row = &item.request;
        let detail = self.open_detail(row)?;
        let reference = row.id.to_string();
        let due = day_of(row.effective_due()).to_string();
        let compose = |lang: &str, notice: &Notice<'_>| {
            mail::compose(&self.policy, lang, notice, "")
                .map_err(|e| EngineError::Unavailable(format!("a letter cannot be written: {e}")))
        };
        let (to, letter) = match item.kind.as_str() {
            "code" => {
                let Ok(code_id) = item.reference.parse::<uuid::Uuid>() else {
                    return Ok(cancelled("the code is not named"));
                };
                let code = self.code_for(code_id);
                (
                    detail.requester.email.iter().cloned().collect(),
                    compose(
                        &row.locale,
                        &Notice::RequestCode {
                            code: &code,
                            minutes: crate::rights_public::CODE_MINUTES,
                        },
                    )?,
                )
            }
            "received" => (
                detail.requester.email.iter().cloned().collect(),
                compose(
                    &row.locale,
                    &Notice::RequestReceived {
                        reference: &reference,
                        right: &row.right,
                        due: &due,
                    },
                )?,
            ),
            "extension" => (
                self.request_recipients(row, &detail).await?,
                compose(
                    &row.locale,
                    &Notice::RequestExtended {
                        reference: &reference,
                        right: &row.right,
                        due: &due,
                        reason: detail.extension_reason.as_deref().unwrap_or(""),
                    },
                )?,
            ),
            "routed" => (
                detail.requester.email.iter().cloned().collect(),
                compose(
                    &row.locale,
                    &Notice::RequestRouted {
                        reference: &reference,
                        controllers: &detail.answer.routed_to,
                    },
                )?,
            ),
            "confirmation" => {
                let Some(kept) = self.confirmation(row.id).await? else {
                    return Ok(cancelled("no confirmation is kept"));
                };
                for to in &kept.to {
                    let sent = mailer
                        .send(&OutgoingMail {
                            to: to.clone(),
                            subject: kept.subject.clone(),
                            body: kept.body.clone(),
                            unsubscribe: None,
                        })
                        .await;
                    if let Err(e) = sent {
                        return Ok(self.send_outcome(Err(e), item.attempts));
                    }
                }
                return Ok(if kept.to.is_empty() {
                    cancelled("the confirmation is kept; there is no address to send it to")
                } else {
                    NoticeOutcome::Sent
                });
            }
            "route-mail" => {
                let Some(tenant) = row.tenant else {
                    return Ok(cancelled("the request names no customer"));
                };
                let link = format!("{}/account/requests/{}", self.base_url(), row.id);
                let lang = self
                    .policy
                    .source_locale()
                    .map(|l| l.tag.clone())
                    .unwrap_or_else(|| "en".into());
                (
                    self.tenant_addresses(tenant).await?,
                    compose(
                        &lang,
                        &Notice::RequestForController {
                            reference: &reference,
                            right: &row.right,
                            due: &due,
                            link: &link,
                        },
                    )?,
                )
            }
            "reminder" => {
                let days = crate::deadlines::days_left(
                    day_of(self.clock.now()),
                    day_of(row.effective_due()),
                );
                let (to, link) = match row.tenant {
                    Some(t) => (
                        self.tenant_addresses(t).await?,
                        format!("{}/account/requests/{}", self.base_url(), row.id),
                    ),
                    None => (
                        self.handler_addresses().await?,
                        format!("{}/console/requests/{}", self.base_url(), row.id),
                    ),
                };
                let lang = self
                    .policy
                    .source_locale()
                    .map(|l| l.tag.clone())
                    .unwrap_or_else(|| "en".into());
                (
                    to,
                    compose(
                        &lang,
                        &Notice::RequestReminder {
                            reference: &reference,
                            right: &row.right,
                            due: &due,
                            days,
                            link: &link,
                        },
                    )?,
                )
            }
            "route-webhook" => return Ok(self.call_webhook(item).await),
            "callback" => return Ok(self.call_agent(item, &detail).await),
            other => return Ok(cancelled(&format!("unknown outbox item `{other}`"))),
        };
        if to.is_empty() {
            return Ok(cancelled("there is no address to send it to"));
        }
        for address in to {
            let sent = mailer
                .send(&OutgoingMail {
                    to: address,
                    subject: letter.subject.clone(),
                    body: letter.body.clone(),
                    unsubscribe: None,
                })
                .await;
            if let Err(e) = sent {
                return Ok(self.send_outcome(Err(e), item.attempts));
            }
        }
        Ok(NoticeOutcome::Sent)
    }

    async fn post_json(&self, url: &str, body: &serde_json::Value, attempts: i64) -> NoticeOutcome {
        let client = match reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .build()
        {
            Ok(c) => c,
            Err(e) => {
                return NoticeOutcome::Failed {
                    error: e.to_string(),
                };
            }
        };
        let signature = {
            let bytes = serde_json::to_vec(body).unwrap_or_default();
            let tag = self.master.tag("rights/webhook", &[url.as_bytes(), &bytes]);
            tag.iter().map(|b| format!("{b:02x}")).collect::<String>()
        };
        let result = client
            .post(url)
            .header("content-type", "application/json")
            .header("x-custodian-signature", signature)
            .json(body)
            .send()
            .await;
        let error = match result {
            Ok(r) if r.status().is_success() => return NoticeOutcome::Sent,
            Ok(r) => format!("the receiver answered {}", r.status()),
            Err(e) => format!("the receiver could not be reached: {e}"),
        };
        if attempts + 1 >= MAX_CALLS {
            NoticeOutcome::Failed { error }
        } else {
            let minutes = 1i64 << attempts.clamp(0, 8);
            NoticeOutcome::Retry {
                error,
                next_at: self.clock.now() + jiff::SignedDuration::from_mins(minutes),
            }
        }
    }

    async fn call_webhook(&self, item: &ClaimedRightsOutbox) -> NoticeOutcome {
        let row = &item.request;
        let Some(tenant) = row.tenant else {
            return cancelled("the request names no customer");
        };
        let url = match self.store.rights_webhook(tenant).await {
            Ok(Some(url)) => url,
            Ok(None) => return cancelled("the customer set no webhook; it was told by e-mail"),
            Err(e) => {
                return NoticeOutcome::Retry {
                    error: e.to_string(),
                    next_at: self.clock.now() + jiff::SignedDuration::from_mins(1),
                };
            }
        };
        let body = serde_json::json!({
            "type": "data-subject-request.routed",
            "request_id": row.id,
            "right": row.right,
            "regime": row.regime,
            "received_at": row.received_at,
            "due_at": row.effective_due(),
            "subject": row.subject,
            "link": format!("{}/account/requests/{}", self.base_url(), row.id),
        });
        self.post_json(&url, &body, item.attempts).await
    }

    async fn call_agent(&self, item: &ClaimedRightsOutbox, detail: &Detail) -> NoticeOutcome {
        let Some(url) = detail.status_callback.as_deref() else {
            return cancelled("the agent gave no status callback");
        };
        let status = crate::drp::status_object(self, &item.request, detail);
        self.post_json(url, &status, item.attempts).await
    }
}

fn cancelled(reason: &str) -> NoticeOutcome {
    NoticeOutcome::Cancelled {
        reason: reason.to_string(),
    }
}
