//! The cookie banner and the consent texts of a policy version in one locale: every word from
//! the locale's messages, every category and cookie from the inventory, and a hash of exactly
//! what is shown, for the consent ledger's proof.

use std::collections::BTreeMap;

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::words::{Arg, Words};
use super::{Jurisdiction, StatementError};
use crate::load::{Policy, PolicyVersion};
use crate::model::{CookieConsent, CookieParty};
use crate::period::PeriodUnit;

/// The banner's texts, categories and cookie table in one locale.
#[derive(Debug, Clone, Serialize)]
pub struct Banner {
    /// The locale.
    pub locale: String,
    /// Changes when the policy's cookie revision changes or the inventory does: a visitor whose
    /// choice was made under another revision is asked again.
    pub revision: String,
    /// Days a choice that accepts a category holds.
    pub consent_lifetime_days: u32,
    /// Days a refusal of every optional category holds.
    pub refusal_lifetime_days: u32,
    /// The name of the cookie that keeps the choice.
    pub cookie_name: String,
    /// SHA-256 (hex) of the texts, categories and cookie table shown.
    pub text_hash: String,
    /// The words of the banner, by key (`accept_all`, `settings_title` …).
    pub texts: BTreeMap<String, String>,
    /// The categories, in the policy's order.
    pub categories: Vec<BannerCategory>,
    /// The cookie table.
    pub cookies: Vec<BannerCookie>,
}

/// One category of the banner.
#[derive(Debug, Clone, Serialize)]
pub struct BannerCategory {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// What it is for and what accepting it implies.
    pub description: String,
    /// `always-on`, `opt-in` or `blocked`.
    pub consent: &'static str,
}

/// One row of the cookie table.
#[derive(Debug, Clone, Serialize)]
pub struct BannerCookie {
    /// The name set in the browser (`*` at the end: a prefix).
    pub name: String,
    /// Who provides it.
    pub provider: Option<String>,
    /// Its category.
    pub category: String,
    /// Who sets it, in words.
    pub party: String,
    /// How long it lives, in words.
    pub lifespan: String,
    /// Where its data is kept (ISO country code).
    pub hosted_in: Option<String>,
    /// Its purpose, in words.
    pub purpose: String,
    /// Where to opt out with its provider.
    pub opt_out: Option<String>,
}

/// The keys of [`crate::check::BANNER_MESSAGES`] that are shown as texts (the rest name
/// parties and lifespans in the cookie table).
const TEXTS: [&str; 24] = [
    "title",
    "intro",
    "accept-all",
    "reject-all",
    "adjust",
    "remove",
    "gpc",
    "removed",
    "notice-link",
    "open",
    "settings-title",
    "settings-intro",
    "save",
    "back",
    "always-on",
    "blocked",
    "no-cookies",
    "browser-help",
    "table-cookie",
    "table-provider",
    "table-party",
    "table-lifespan",
    "table-hosted",
    "table-purpose",
];

/// Whole days in an ISO 8601 period (a year 365 days, a month a twelfth of that).
fn days(iso: &str) -> u32 {
    let Ok(p) = crate::period::parse(iso) else {
        return 0;
    };
    let total: u32 = p
        .parts()
        .into_iter()
        .map(|(unit, n)| {
            let n = u32::from(n);
            match unit {
                PeriodUnit::Years => n * 365,
                PeriodUnit::Months => n * 365 / 12,
                PeriodUnit::Weeks => n * 7,
                PeriodUnit::Days => n,
            }
        })
        .sum();
    total
}

fn consent_word(c: CookieConsent) -> &'static str {
    match c {
        CookieConsent::AlwaysOn => "always-on",
        CookieConsent::OptIn => "opt-in",
        CookieConsent::OptOut => "opt-out",
        CookieConsent::Blocked => "blocked",
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The banner of `version` in `locale`, or `None` when the version has no banner.
pub fn banner(
    policy: &Policy,
    version: &PolicyVersion,
    locale: &str,
) -> Result<Option<Banner>, StatementError> {
    let Some(settings) = &version.cookie_banner else {
        return Ok(None);
    };
    let settings = &settings.value;
    let loc = policy.locale(locale).ok_or_else(|| {
        StatementError::UnknownLocale(
            locale.to_string(),
            policy
                .locales
                .iter()
                .map(|l| l.tag.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        )
    })?;
    let words = Words::new(loc, version, Jurisdiction::Gdpr);
    let texts: BTreeMap<String, String> = TEXTS
        .iter()
        .map(|k| (k.replace('-', "_"), words.msg(&format!("banner-{k}"), &[])))
        .collect();
    let categories: Vec<BannerCategory> = version
        .cookie_category
        .iter()
        .map(|c| BannerCategory {
            id: c.id.as_str().to_string(),
            name: words.label("banner-name", c.id.as_str()),
            description: words.label("cookie-category", c.id.as_str()),
            consent: consent_word(c.consent),
        })
        .collect();
    let lifespan = |text: Option<&str>| -> String {
        match text {
            Some("session") => words.msg("banner-lifespan-session", &[]),
            Some("while-tracked") => words.msg("banner-lifespan-while-tracked", &[]),
            Some(iso) => match crate::period::parse(iso) {
                Ok(p) => {
                    let parts: Vec<String> = p
                        .parts()
                        .into_iter()
                        .filter(|(_, n)| *n > 0)
                        .map(|(unit, n)| match unit {
                            PeriodUnit::Years => {
                                words.msg("banner-lifespan-years", &[("count", Arg::n(n))])
                            }
                            PeriodUnit::Months => {
                                words.msg("banner-lifespan-months", &[("count", Arg::n(n))])
                            }
                            PeriodUnit::Weeks => {
                                words.msg("banner-lifespan-days", &[("count", Arg::n(n * 7))])
                            }
                            PeriodUnit::Days => {
                                words.msg("banner-lifespan-days", &[("count", Arg::n(n))])
                            }
                        })
                        .collect();
                    words.join(&parts)
                }
                Err(_) => iso.to_string(),
            },
            None => String::new(),
        }
    };
    let cookies: Vec<BannerCookie> = version
        .cookie
        .iter()
        .map(|c| BannerCookie {
            name: c.name.clone(),
            provider: c.provider.clone(),
            category: c
                .category
                .as_ref()
                .map(|r| r.as_str().to_string())
                .unwrap_or_else(|| "unclassified".into()),
            party: words.msg(
                match c.party {
                    CookieParty::First => "banner-party-first",
                    CookieParty::Third => "banner-party-third",
                    CookieParty::Both => "banner-party-both",
                },
                &[],
            ),
            lifespan: lifespan(c.lifespan.as_ref().map(|t| t.as_str())),
            hosted_in: c.hosted_in.as_ref().map(|t| t.as_str().to_string()),
            purpose: words.label("cookie", c.id.as_str()),
            opt_out: c.opt_out.clone(),
        })
        .collect();
    words.finish()?;
    let cookie_name = version
        .cookie
        .iter()
        .find(|c| c.id.as_str() == settings.cookie.as_str())
        .map(|c| c.name.clone())
        .unwrap_or_else(|| settings.cookie.as_str().to_string());
    // The revision follows the inventory itself, in no language: a cookie added or changed
    // asks everyone again, a better translation does not.
    let mut inventory = Sha256::new();
    for c in &version.cookie_category {
        inventory.update(format!("{}:{}\n", c.id.as_str(), consent_word(c.consent)));
    }
    for c in &version.cookie {
        inventory.update(format!(
            "{}|{}|{:?}|{:?}|{:?}|{:?}\n",
            c.name,
            c.category.as_ref().map(|r| r.as_str()).unwrap_or(""),
            c.party,
            c.lifespan.as_ref().map(|t| t.as_str()),
            c.hosted_in.as_ref().map(|t| t.as_str()),
            c.provider
        ));
    }
    let revision = format!(
        "{}.{}.{}",
        version.label,
        settings.revision,
        &hex(&inventory.finalize())[..8]
    );
    let shown = serde_json::json!({
        "texts": texts,
        "categories": categories,
        "cookies": cookies,
    });
    let text_hash = hex(&Sha256::digest(shown.to_string().as_bytes()));
    Ok(Some(Banner {
        locale: loc.tag.clone(),
        revision,
        consent_lifetime_days: days(settings.consent_lifetime.as_str()),
        refusal_lifetime_days: days(settings.refusal_lifetime.as_str()),
        cookie_name,
        text_hash,
        texts,
        categories,
        cookies,
    }))
}

/// The words that ask for consent to `purpose` (the message `consent-<purpose>`) in `locale`.
pub fn consent_text(
    policy: &Policy,
    version: &PolicyVersion,
    purpose: &str,
    locale: &str,
) -> Result<String, StatementError> {
    let loc = policy.locale(locale).ok_or_else(|| {
        StatementError::UnknownLocale(
            locale.to_string(),
            policy
                .locales
                .iter()
                .map(|l| l.tag.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        )
    })?;
    let words = Words::new(loc, version, Jurisdiction::Gdpr);
    let text = words.msg(&format!("consent-{purpose}"), &[]);
    words.finish()?;
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_become_whole_days() {
        assert_eq!(days("P12M"), 365);
        assert_eq!(days("P6M"), 182);
        assert_eq!(days("P1Y2W"), 379);
        assert_eq!(days("nonsense"), 0);
    }
}
