//! Marketing preferences: signed links that unsubscribe in one click (RFC 8058:
//! `List-Unsubscribe` with `List-Unsubscribe-Post: List-Unsubscribe=One-Click`) and open the
//! preference centre. Promotions are kept apart from service notices: an unsubscribe or an
//! opt-out stops only the purposes that rest on consent or legitimate interest, never what the
//! contract needs (`provide-services`), which a check keeps answering `contract`.

use std::collections::BTreeMap;

use base64::Engine as _;
use custodian_core::{SubjectId, TenantId};
use custodian_policy::PolicyVersion;
use custodian_store::{ConsentHolder, NewAuditEvent, NewConsentEvent, Outcome, RecordBatch};
use jiff::Timestamp;
use serde::Serialize;
use subtle::ConstantTimeEq;
use uuid::Uuid;

use crate::consent::{Decision, consent_purposes, ip_prefix};
use crate::{Actor, Engine, EngineError, Principal, Scope};

/// How long a link in an e-mail keeps working: past a year, so that last year's newsletter
/// still unsubscribes.
pub const LINK_VALID_DAYS: i64 = 400;

/// The signing purpose of links (the master key derives their key from it).
const LINK_TAG: &str = "marketing/link";

/// A link made for one message to one person.
#[derive(Debug, Clone, Serialize)]
pub struct UnsubscribeLink {
    /// Unsubscribes from the purpose: a page on GET, one click on POST (RFC 8058).
    pub url: String,
    /// The person's preference centre.
    pub preferences_url: String,
    /// When both stop working.
    pub expires_at: Timestamp,
    /// The headers to put on the message.
    pub headers: BTreeMap<String, String>,
}

/// What a link says, once its signature and date are checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkClaims {
    /// The tenant that sent the message.
    pub tenant: TenantId,
    /// The person it was sent to.
    pub subject: SubjectId,
    /// The purpose of the message.
    pub purpose: String,
    /// When the link stops working.
    pub expires_at: Timestamp,
}

/// One purpose of the preference centre.
#[derive(Debug, Clone, Serialize)]
pub struct Preference {
    /// The purpose.
    pub purpose: String,
    /// Whether messages for it may be sent now.
    pub on: bool,
    /// Why (`consent`, `legitimate-interest`, `withdrawn`, `no-consent` …).
    pub reason: &'static str,
    /// The words that ask for consent to it, in the page's language.
    pub text: String,
}

/// The purposes a preference centre shows: those that rest on consent and are about messages
/// to the person (marketing, or voluntary like surveys), not cookies or payments.
pub fn preference_purposes(v: &PolicyVersion) -> Vec<&str> {
    let consent = consent_purposes(v);
    v.purpose
        .iter()
        .filter(|p| consent.contains(&p.id.as_str()))
        .filter(|p| {
            p.voluntary
                || p.retention.iter().any(|r| {
                    v.retention.iter().any(|rule| {
                        rule.id.as_str() == r.as_str()
                            && rule
                                .ends_on
                                .contains(&custodian_policy::model::EndingEvent::Unsubscribed)
                    })
                })
        })
        .map(|p| p.id.as_str())
        .collect()
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// A refusal of a link: forged, damaged or out of date. Says nothing more.
fn bad_link(why: &str) -> EngineError {
    EngineError::BadToken(format!(
        "this link is not valid ({why}); use the link of a recent message, or ask the sender to unsubscribe you"
    ))
}

impl Engine {
    fn sign_link(&self, claims: &LinkClaims) -> String {
        let mut payload = Vec::with_capacity(40 + claims.purpose.len());
        payload.extend_from_slice(claims.tenant.as_uuid().as_bytes());
        payload.extend_from_slice(claims.subject.as_uuid().as_bytes());
        payload.extend_from_slice(&claims.expires_at.as_second().to_be_bytes());
        payload.extend_from_slice(claims.purpose.as_bytes());
        let tag = self.master.tag(LINK_TAG, &[&payload]);
        format!("{}.{}", b64(&payload), b64(&tag[..16]))
    }

    /// Checks a link's signature and date.
    pub fn read_link(&self, token: &str) -> Result<LinkClaims, EngineError> {
        let (payload, tag) = token.split_once('.').ok_or_else(|| bad_link("damaged"))?;
        let decode = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(s);
        let (Ok(payload), Ok(tag)) = (decode(payload), decode(tag)) else {
            return Err(bad_link("damaged"));
        };
        if payload.len() < 41 || payload.len() > 200 || tag.len() != 16 {
            return Err(bad_link("damaged"));
        }
        let expected = self.master.tag(LINK_TAG, &[&payload]);
        if !bool::from(expected[..16].ct_eq(&tag)) {
            return Err(bad_link("not ours"));
        }
        let id = |b: &[u8]| Uuid::from_slice(b).map_err(|_| bad_link("damaged"));
        let tenant = TenantId::from_uuid(id(&payload[..16])?);
        let subject = SubjectId::from_uuid(id(&payload[16..32])?);
        let mut secs = [0u8; 8];
        secs.copy_from_slice(&payload[32..40]);
        let expires_at =
            Timestamp::from_second(i64::from_be_bytes(secs)).map_err(|_| bad_link("damaged"))?;
        let purpose = String::from_utf8(payload[40..].to_vec()).map_err(|_| bad_link("damaged"))?;
        if expires_at <= self.clock.now() {
            return Err(bad_link("out of date"));
        }
        Ok(LinkClaims {
            tenant,
            subject,
            purpose,
            expires_at,
        })
    }

    /// Makes the unsubscribe and preference links of a message to one person about a
    /// purpose, with the headers to send (RFC 2369 and RFC 8058).
    pub async fn unsubscribe_link(
        &self,
        principal: &Principal,
        subject: Option<SubjectId>,
        identifiers: &BTreeMap<String, String>,
        purpose: &str,
    ) -> Result<UnsubscribeLink, EngineError> {
        principal.require(Scope::ConsentWrite)?;
        let v = self.policy_version()?;
        if !preference_purposes(v).contains(&purpose) {
            return Err(EngineError::Invalid {
                field: "purpose",
                message: format!(
                    "`{purpose}` is not a purpose people can unsubscribe from; the purposes of messages that rest on their choice are: {}",
                    preference_purposes(v).join(", ")
                ),
            });
        }
        let subject = match (subject, identifiers.is_empty()) {
            (Some(s), true) => self
                .store
                .subject(principal.tenant, s)
                .await?
                .map(|_| s)
                .ok_or(EngineError::NotFound { kind: "subject" })?,
            (None, false) => {
                let found = self.subjects_for(principal.tenant, identifiers).await?;
                match found.as_slice() {
                    [one] => *one,
                    [] => return Err(EngineError::NotFound { kind: "subject" }),
                    _ => {
                        return Err(EngineError::Conflict(
                            "these identifiers find two different people; make the link by subject id".into(),
                        ));
                    }
                }
            }
            _ => {
                return Err(EngineError::Invalid {
                    field: "identifiers",
                    message: "name the person by `subject` or by `identifiers`, one of the two"
                        .into(),
                });
            }
        };
        let claims = LinkClaims {
            tenant: principal.tenant,
            subject,
            purpose: purpose.to_string(),
            expires_at: self.clock.now() + jiff::SignedDuration::from_hours(24 * LINK_VALID_DAYS),
        };
        let token = self.sign_link(&claims);
        let base = &self.rights_settings.public_url;
        let url = format!("{base}/unsubscribe/{token}");
        let headers = BTreeMap::from([
            ("List-Unsubscribe".to_string(), format!("<{url}>")),
            (
                "List-Unsubscribe-Post".to_string(),
                "List-Unsubscribe=One-Click".to_string(),
            ),
        ]);
        Ok(UnsubscribeLink {
            preferences_url: format!("{base}/preferences/{token}"),
            url,
            expires_at: claims.expires_at,
            headers,
        })
    }

    /// The person's marketing preferences, through their link.
    pub async fn preferences(
        &self,
        token: &str,
        locale: &str,
    ) -> Result<(LinkClaims, Vec<Preference>), EngineError> {
        let claims = self.read_link(token)?;
        let v = self.policy_version()?;
        let book = self.consents().await?;
        let mut out = Vec::new();
        for purpose in preference_purposes(v) {
            let decision = match book.key(purpose) {
                Some(k) => book.check(claims.tenant, claims.subject, k),
                None => Decision {
                    allowed: false,
                    basis: None,
                    reason: "unknown-purpose",
                    since: None,
                },
            };
            let text =
                custodian_policy::statement::banner::consent_text(&self.policy, v, purpose, locale)
                    .map_err(|e| {
                        EngineError::Unavailable(format!("a consent text is missing: {e}"))
                    })?;
            out.push(Preference {
                purpose: purpose.to_string(),
                on: decision.allowed,
                reason: decision.reason,
                text,
            });
        }
        Ok((claims, out))
    }

    /// Unsubscribes the link's person from its purpose (one click, or the page's button):
    /// recorded in the ledger with method `unsubscribe`, and the marketing data kept for it
    /// ends (R5). Clicking again changes nothing.
    pub async fn unsubscribe_by_link(
        &self,
        token: &str,
        ip: Option<std::net::IpAddr>,
    ) -> Result<LinkClaims, EngineError> {
        let claims = self.read_link(token)?;
        let changes = BTreeMap::from([(claims.purpose.clone(), false)]);
        self.change_preferences(&claims, &changes, "unsubscribe", None, ip)
            .await?;
        Ok(claims)
    }

    /// Saves the preference centre: each purpose switched on (consent, in the page's words)
    /// or off (withdrawal, which ends the marketing data kept for it). Purposes whose state
    /// does not change record nothing. Returns how many changed.
    pub async fn set_preferences(
        &self,
        token: &str,
        on: &BTreeMap<String, bool>,
        locale: &str,
        ip: Option<std::net::IpAddr>,
    ) -> Result<usize, EngineError> {
        let claims = self.read_link(token)?;
        self.change_preferences(&claims, on, "preference-centre", Some(locale), ip)
            .await
    }

    async fn change_preferences(
        &self,
        claims: &LinkClaims,
        wanted: &BTreeMap<String, bool>,
        method: &str,
        locale: Option<&str>,
        ip: Option<std::net::IpAddr>,
    ) -> Result<usize, EngineError> {
        let v = self.policy_version()?;
        let allowed = preference_purposes(v);
        for purpose in wanted.keys() {
            if !allowed.contains(&purpose.as_str()) {
                return Err(EngineError::Invalid {
                    field: "purpose",
                    message: format!(
                        "`{purpose}` is not a preference; the preferences are: {}",
                        allowed.join(", ")
                    ),
                });
            }
        }
        if self
            .store
            .subject(claims.tenant, claims.subject)
            .await?
            .is_none()
        {
            // The person was erased since the message was sent: nothing is left to stop.
            return Ok(0);
        }
        let book = self.consents().await?;
        let now = self.clock.now();
        let ip = ip
            .map(|a| ip_prefix(&a.to_string()))
            .transpose()
            .map_err(|message| EngineError::Invalid {
                field: "ip",
                message,
            })?;
        let actor = Actor::System.to_string();
        let mut events = Vec::new();
        let mut texts = Vec::new();
        for (purpose, on) in wanted {
            let now_on = book
                .key(purpose)
                .map(|k| book.check(claims.tenant, claims.subject, k).allowed)
                .unwrap_or(false);
            if now_on == *on {
                continue;
            }
            let shown = self.shown(v, purpose, *on, None, None, locale)?;
            if let Some(t) = &shown.text {
                texts.push(t.clone());
            }
            events.push(NewConsentEvent {
                id: Uuid::now_v7(),
                tenant: claims.tenant,
                who: ConsentHolder::Subject(claims.subject),
                kind: "consent".into(),
                purpose: purpose.clone(),
                given: *on,
                method: method.to_string(),
                action: None,
                text_hash: shown.text.as_ref().map(|t| t.hash.clone()),
                text_version: shown.text.as_ref().map(|t| t.version.clone()),
                policy_version: v.label.clone(),
                locale: shown.locale.clone(),
                at: now,
                recorded_at: now,
                ip_prefix: ip.clone(),
                gpc: false,
                gpc_source: None,
                actor: format!("link:{}", claims.subject),
            });
        }
        if events.is_empty() {
            return Ok(0);
        }
        self.store
            .store_batch(RecordBatch {
                tenant: claims.tenant,
                subjects: Vec::new(),
                links: Vec::new(),
                records: Vec::new(),
                buckets: Vec::new(),
                consents: events.clone(),
                consent_texts: texts,
                idempotency: None,
                audit: NewAuditEvent {
                    at: now,
                    actor: actor.clone(),
                    action: "consent.preferences".into(),
                    tenant: Some(claims.tenant),
                    targets: vec![claims.subject.to_string()],
                    purpose: Some("consent-records".into()),
                    outcome: Outcome::Success,
                    detail: Some(
                        serde_json::json!({
                            "method": method,
                            "changes": events.iter().map(|e| (e.purpose.clone(), e.given)).collect::<BTreeMap<_, _>>(),
                        })
                        .to_string(),
                    ),
                },
            })
            .await?;
        book.apply(&events);
        for e in events.iter().filter(|e| !e.given) {
            if let Some(p) = v.purpose.iter().find(|p| p.id.as_str() == e.purpose) {
                self.end_on_withdrawal(
                    &Actor::System,
                    claims.tenant,
                    claims.subject,
                    &p.value,
                    method,
                )
                .await?;
            }
        }
        Ok(events.len())
    }
}
