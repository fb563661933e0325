//! The cookie banner's server side: its configuration from the policy, a consent record for
//! every choice a browser makes (with the Global Privacy Control signal), and "Remove my
//! data".
//!
//! A browser is known only by the consent id the banner made for it. Data a website filed
//! about that browser (records with the identifier `external: consent:<id>`) is erased by
//! "Remove my data"; the choices themselves stay in the ledger as proof (R8), anonymous.

use std::collections::BTreeMap;
use std::sync::Arc;

use custodian_core::TenantId;
use custodian_policy::statement::banner::Banner;
use custodian_store::{ConsentHolder, ConsentScope, NewConsentEvent};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::consent::ip_prefix;
use crate::{Actor, Engine, EngineError, Principal, Scope};

/// The banner's actions.
pub const ACTIONS: [&str; 4] = ["accept-all", "reject-all", "save", "gpc"];

/// A choice made in the banner, as the browser sends it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BannerChoice {
    /// The site (the tenant whose website shows the banner).
    pub site: Uuid,
    /// The browser's consent id (a UUID the banner made at the first choice).
    pub consent_id: Uuid,
    /// `accept-all`, `reject-all`, `save` or `gpc` (the signal turned marketing off).
    pub action: String,
    /// The optional categories accepted.
    #[serde(default)]
    pub categories: Vec<String>,
    /// The revision the banner showed.
    pub revision: String,
    /// The language shown.
    pub locale: String,
    /// The hash of the texts shown.
    pub text_hash: String,
    /// A Global Privacy Control signal was present.
    #[serde(default)]
    pub gpc: bool,
    /// `header` or `dom`.
    pub gpc_source: Option<String>,
}

/// What recording a banner choice stored.
#[derive(Debug, Clone, Serialize)]
pub struct BannerReceipt {
    /// The browser's consent id.
    pub consent_id: Uuid,
    /// The optional categories accepted, as recorded.
    pub categories: Vec<String>,
    /// When.
    pub recorded_at: Timestamp,
    /// When the banner asks again.
    pub expires_at: Timestamp,
    /// Marketing was left off because of a Global Privacy Control signal.
    pub gpc_applied: bool,
}

/// What "Remove my data" did.
#[derive(Debug, Clone, Serialize)]
pub struct Removal {
    /// Done.
    pub removed: bool,
    /// Records about the browser that were erased.
    pub records_erased: u64,
    /// The cookies the banner deletes in the browser.
    pub cookies: Vec<String>,
}

/// A cache of the rendered banner by (version, locale).
pub(crate) type BannerCache = Arc<std::sync::Mutex<BTreeMap<(String, String), Arc<Banner>>>>;

impl Engine {
    /// The banner of the policy in force in `locale` (a policy locale; anything else gets the
    /// source locale), or `NotFound` when the policy has no banner.
    pub fn banner(&self, locale: Option<&str>) -> Result<Arc<Banner>, EngineError> {
        let v = self.policy_version()?;
        let tag = locale
            .and_then(|l| match_locale(&self.policy, l))
            .or_else(|| self.policy.source_locale().map(|l| l.tag.clone()))
            .unwrap_or_else(|| "en".into());
        let key = (v.label.clone(), tag.clone());
        if let Some(b) = self
            .banner_cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
        {
            return Ok(Arc::clone(b));
        }
        let banner = custodian_policy::statement::banner::banner(&self.policy, v, &tag)
            .map_err(|e| EngineError::Unavailable(format!("the banner cannot be rendered: {e}")))?
            .ok_or(EngineError::NotFound { kind: "banner" })?;
        let banner = Arc::new(banner);
        self.banner_cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key, Arc::clone(&banner));
        Ok(banner)
    }

    /// The date the statement of Global Privacy Control support last changed: the day the
    /// policy version with the banner took effect.
    pub fn gpc_since(&self) -> Option<String> {
        let v = self.policy_version().ok()?;
        v.cookie_banner.as_ref()?;
        v.version
            .as_ref()
            .map(|i| i.value.effective.as_str().to_string())
    }

    /// Records a browser's choice: one ledger event per optional category, accepted or not,
    /// with the revision and text shown, the signal, and the truncated address. Under a Global
    /// Privacy Control signal, "accept all" leaves marketing off; only marketing switched on
    /// in the settings (`save`) turns it on.
    pub async fn record_banner(
        &self,
        choice: BannerChoice,
        gpc_header: bool,
        ip: Option<std::net::IpAddr>,
    ) -> Result<BannerReceipt, EngineError> {
        let tenant = TenantId::from_uuid(choice.site);
        self.store
            .tenant(tenant)
            .await?
            .ok_or(EngineError::NotFound { kind: "site" })?;
        if !ACTIONS.contains(&choice.action.as_str()) {
            return Err(EngineError::Invalid {
                field: "action",
                message: format!(
                    "`{}` is not a banner action; use one of: {}",
                    choice.action,
                    ACTIONS.join(", ")
                ),
            });
        }
        if choice.consent_id.is_nil() {
            return Err(EngineError::Invalid {
                field: "consent_id",
                message: "the consent id is a random UUID the banner makes at the first choice"
                    .into(),
            });
        }
        let banner = self.banner(Some(&choice.locale))?;
        if banner.locale != choice.locale {
            return Err(EngineError::Invalid {
                field: "locale",
                message: format!("`{}` is not a language of the banner", choice.locale),
            });
        }
        if choice.revision != banner.revision {
            return Err(EngineError::Invalid {
                field: "revision",
                message: format!(
                    "the banner shown was revision `{}`, but `{}` is in force: reload the banner and choose again",
                    choice.revision, banner.revision
                ),
            });
        }
        if choice.text_hash != banner.text_hash {
            return Err(EngineError::Invalid {
                field: "text_hash",
                message: "the texts shown are not the banner's texts in this language: reload the banner and choose again".into(),
            });
        }
        let optional: Vec<&str> = banner
            .categories
            .iter()
            .filter(|c| c.consent == "opt-in" || c.consent == "opt-out")
            .map(|c| c.id.as_str())
            .collect();
        for c in &choice.categories {
            if !optional.contains(&c.as_str()) {
                let what = if banner.categories.iter().any(|x| &x.id == c) {
                    "is not a category the visitor chooses"
                } else {
                    "is not a cookie category of the policy"
                };
                return Err(EngineError::Invalid {
                    field: "categories",
                    message: format!(
                        "`{c}` {what}; the optional categories are: {}",
                        optional.join(", ")
                    ),
                });
            }
        }
        let gpc = choice.gpc || gpc_header;
        let gpc_source = match (&choice.gpc_source, gpc_header) {
            (Some(s), _) if s == "header" || s == "dom" => Some(s.clone()),
            (Some(s), _) => {
                return Err(EngineError::Invalid {
                    field: "gpc_source",
                    message: format!("`{s}` is not a signal source; use header or dom"),
                });
            }
            (None, true) => Some("header".into()),
            (None, false) => None,
        };
        let mut accepted: Vec<String> = choice.categories.clone();
        accepted.sort();
        accepted.dedup();
        if choice.action == "accept-all" {
            accepted = optional.iter().map(|s| s.to_string()).collect();
        }
        if choice.action == "reject-all" {
            accepted.clear();
        }
        let mut gpc_applied = false;
        if gpc && matches!(choice.action.as_str(), "accept-all" | "gpc") {
            let before = accepted.len();
            accepted.retain(|c| c != "marketing");
            gpc_applied = accepted.len() != before || choice.action == "gpc";
        }
        let now = self.clock.now();
        let ip = ip
            .map(|a| ip_prefix(&a.to_string()))
            .transpose()
            .map_err(|message| EngineError::Invalid {
                field: "ip",
                message,
            })?;
        let events: Vec<NewConsentEvent> = optional
            .iter()
            .map(|c| NewConsentEvent {
                id: Uuid::now_v7(),
                tenant,
                who: ConsentHolder::Visitor(choice.consent_id),
                kind: "consent".into(),
                purpose: format!("cookie:{c}"),
                given: accepted.iter().any(|a| a == c),
                method: "banner".into(),
                action: Some(choice.action.clone()),
                text_hash: Some(banner.text_hash.clone()),
                text_version: Some(banner.revision.clone()),
                policy_version: banner.revision.clone(),
                locale: Some(banner.locale.clone()),
                at: now,
                recorded_at: now,
                ip_prefix: ip.clone(),
                gpc,
                gpc_source: gpc_source.clone(),
                actor: format!("visitor:{}", choice.consent_id),
            })
            .collect();
        let text = custodian_store::ConsentText {
            hash: banner.text_hash.clone(),
            version: banner.revision.clone(),
            body: serde_json::json!({
                "texts": banner.texts,
                "categories": banner.categories,
                "cookies": banner.cookies,
            })
            .to_string(),
        };
        self.store
            .append_consents(&events, &[(tenant, text, now)], None)
            .await?;
        self.consents().await?.apply(&events);
        let days = if accepted.is_empty() {
            banner.refusal_lifetime_days
        } else {
            banner.consent_lifetime_days
        };
        Ok(BannerReceipt {
            consent_id: choice.consent_id,
            categories: accepted,
            recorded_at: now,
            expires_at: now + jiff::SignedDuration::from_hours(24 * i64::from(days)),
            gpc_applied,
        })
    }

    /// "Remove my data": every optional category withdrawn (the withdrawal is the proof that
    /// remains), the data filed about the browser erased, and the cookies to delete named.
    pub async fn remove_visitor(
        &self,
        site: Uuid,
        consent_id: Uuid,
        ip: Option<std::net::IpAddr>,
    ) -> Result<Removal, EngineError> {
        let tenant = TenantId::from_uuid(site);
        self.store
            .tenant(tenant)
            .await?
            .ok_or(EngineError::NotFound { kind: "site" })?;
        let banner = self.banner(None)?;
        let now = self.clock.now();
        let ip = ip
            .map(|a| ip_prefix(&a.to_string()))
            .transpose()
            .map_err(|message| EngineError::Invalid {
                field: "ip",
                message,
            })?;
        let events: Vec<NewConsentEvent> = banner
            .categories
            .iter()
            .filter(|c| c.consent == "opt-in" || c.consent == "opt-out")
            .map(|c| NewConsentEvent {
                id: Uuid::now_v7(),
                tenant,
                who: ConsentHolder::Visitor(consent_id),
                kind: "consent".into(),
                purpose: format!("cookie:{}", c.id),
                given: false,
                method: "remove-my-data".into(),
                action: None,
                text_hash: None,
                text_version: None,
                policy_version: banner.revision.clone(),
                locale: None,
                at: now,
                recorded_at: now,
                ip_prefix: ip.clone(),
                gpc: false,
                gpc_source: None,
                actor: format!("visitor:{consent_id}"),
            })
            .collect();
        self.store.append_consents(&events, &[], None).await?;
        self.consents().await?.apply(&events);
        // Data a website filed about this browser, by its consent id.
        let detail = crate::rights::Detail {
            identifiers: BTreeMap::from([(
                "external".to_string(),
                format!("consent:{consent_id}"),
            )]),
            ..crate::rights::Detail::default()
        };
        let principal = Principal {
            tenant,
            by: Actor::System,
            scopes: vec![Scope::RecordsRead, Scope::RecordsWrite],
            reason: Some("remove my data".into()),
        };
        let mut erased = 0;
        for subject in self.subjects_for(tenant, &detail.identifiers).await? {
            let answer = self.erase_subject(&principal, subject, &detail).await?;
            erased += answer.rows_deleted;
        }
        let consent_cookie = banner.cookie_name.clone();
        let mut cookies: Vec<String> = banner
            .cookies
            .iter()
            .filter(|c| {
                banner
                    .categories
                    .iter()
                    .any(|k| k.id == c.category && k.consent != "always-on")
            })
            .map(|c| c.name.clone())
            .collect();
        cookies.push(consent_cookie);
        Ok(Removal {
            removed: true,
            records_erased: erased,
            cookies,
        })
    }

    /// A browser's choices, oldest first (for the site's own records and the tests).
    pub async fn visitor_history(
        &self,
        principal: &Principal,
        consent_id: Uuid,
    ) -> Result<Vec<crate::consent::ConsentEventView>, EngineError> {
        principal.require(Scope::ConsentRead)?;
        let rows = self
            .store
            .consent_events(
                ConsentScope::Of(principal.tenant, ConsentHolder::Visitor(consent_id)),
                1,
            )
            .await?;
        if rows.is_empty() {
            return Err(EngineError::NotFound { kind: "visitor" });
        }
        self.consent_history(principal, ConsentHolder::Visitor(consent_id))
            .await
    }
}

/// The policy locale for a requested language: exact, or by primary language (`nl-BE` → `nl`,
/// `zh`, `zh-Hans` → `zh-CN`).
pub fn match_locale(policy: &custodian_policy::Policy, asked: &str) -> Option<String> {
    let asked = asked.trim();
    if let Some(l) = policy
        .locales
        .iter()
        .find(|l| l.tag.eq_ignore_ascii_case(asked))
    {
        return Some(l.tag.clone());
    }
    let primary = asked.split(['-', '_']).next()?.to_ascii_lowercase();
    policy
        .locales
        .iter()
        .find(|l| {
            l.tag
                .split('-')
                .next()
                .is_some_and(|p| p.eq_ignore_ascii_case(&primary))
        })
        .map(|l| l.tag.clone())
}
