//! The notices Custodian e-mails on the statement's behalf, in the subscriber's locale: the
//! double opt-in link, a material change of the statement ahead of its effective date, a change
//! of the subprocessor list ahead of its effective date. Plain text; every number, date and
//! name comes from the policy, every sentence from the locale's `mail-*` messages.

use super::words::{Arg, Words};
use super::{Jurisdiction, StatementError, brand_of};
use crate::load::{Locale, Policy, PolicyVersion};
use crate::subprocessors::{ChangeKind, between};

/// Topic bit: material changes of the statement (matches the store's).
pub const TOPIC_POLICY: i64 = 1;
/// Topic bit: changes of the subprocessor list (matches the store's).
pub const TOPIC_SUBPROCESSORS: i64 = 2;

/// A composed e-mail: subject line and plain-text body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    /// The subject line.
    pub subject: String,
    /// The body, lines separated by `\n`.
    pub body: String,
}

/// What a notice is about.
#[derive(Debug, Clone)]
pub enum Notice<'a> {
    /// Confirm a subscription to `topics` by opening `confirm`.
    Confirm {
        /// The topics asked for (bits).
        topics: i64,
        /// The confirmation page.
        confirm: &'a str,
    },
    /// Version `to` changes the statement materially since `from`, from `effective` on.
    PolicyChange {
        /// The version in force before.
        from: &'a PolicyVersion,
        /// The new version.
        to: &'a PolicyVersion,
        /// Its effective date (ISO 8601).
        effective: &'a str,
        /// How many material changes it makes.
        material: usize,
        /// The readable "what changed" page.
        changes: &'a str,
    },
    /// Version `to` changes the subprocessor list since `from`, from `effective` on.
    SubprocessorChange {
        /// The version in force before.
        from: &'a PolicyVersion,
        /// The new version.
        to: &'a PolicyVersion,
        /// Its effective date (ISO 8601).
        effective: &'a str,
        /// The subprocessor list.
        list: &'a str,
        /// Where to object.
        object: &'a str,
    },
    /// Confirm an account's e-mail address by opening `link`.
    VerifyAccount {
        /// The verification page.
        link: &'a str,
    },
    /// Set a new password by opening `link`.
    PasswordReset {
        /// The reset page.
        link: &'a str,
    },
    /// The account was locked after a reported compromise (incident `case`); a new password,
    /// set by opening `link`, unlocks it.
    Lockdown {
        /// The incident's reference.
        case: &'a str,
        /// The reset page.
        link: &'a str,
    },
    /// A government authority asked for data of the account (incident `case`).
    Disclosure {
        /// The case's reference.
        case: &'a str,
        /// The kind of authority.
        authority: &'a str,
        /// Its country (ISO 3166-1 alpha-2).
        country: &'a str,
        /// The data categories asked for, as they are to be read.
        categories: &'a str,
        /// The period asked for, as it is to be read.
        period: &'a str,
    },
    /// The account was signed in to from a country or device not seen before on it.
    SignInAlert {
        /// When (as it is to be read).
        at: &'a str,
        /// The country (ISO 3166-1 alpha-2), when known.
        country: Option<&'a str>,
    },
}

fn locale_of<'p>(policy: &'p Policy, lang: &str) -> Result<&'p Locale, StatementError> {
    policy.locale(lang).ok_or_else(|| {
        let known: Vec<&str> = policy.locales.iter().map(|l| l.tag.as_str()).collect();
        StatementError::UnknownLocale(lang.to_string(), known.join(", "))
    })
}

/// Composes `notice` in `lang`, with the one-click `unsubscribe` link in its footer (the
/// confirmation has none: nothing is subscribed yet).
pub fn compose(
    policy: &Policy,
    lang: &str,
    notice: &Notice<'_>,
    unsubscribe: &str,
) -> Result<Letter, StatementError> {
    let locale = locale_of(policy, lang)?;
    let version = match notice {
        Notice::Confirm { .. }
        | Notice::VerifyAccount { .. }
        | Notice::PasswordReset { .. }
        | Notice::Lockdown { .. }
        | Notice::Disclosure { .. }
        | Notice::SignInAlert { .. } => policy.current().unwrap_or_else(|| &policy.versions[0]),
        Notice::PolicyChange { to, .. } | Notice::SubprocessorChange { to, .. } => to,
    };
    let w = Words::new(locale, version, Jurisdiction::Gdpr);
    let letter = write(&w, version, notice, unsubscribe);
    w.finish()?;
    Ok(letter)
}

/// Every message id the notices use, for the completeness check of every locale.
pub(super) fn message_ids(policy: &Policy) -> std::collections::BTreeSet<String> {
    let mut ids = std::collections::BTreeSet::new();
    let (Some(locale), Some(first), Some(last)) = (
        policy.source_locale(),
        policy.versions.first(),
        policy.versions.last(),
    ) else {
        return ids;
    };
    let w = Words::new(locale, last, Jurisdiction::Gdpr);
    for notice in [
        Notice::Confirm {
            topics: TOPIC_POLICY | TOPIC_SUBPROCESSORS,
            confirm: "",
        },
        Notice::PolicyChange {
            from: first,
            to: last,
            effective: "",
            material: 2,
            changes: "",
        },
        Notice::VerifyAccount { link: "" },
        Notice::PasswordReset { link: "" },
        Notice::Lockdown { case: "", link: "" },
        Notice::Disclosure {
            case: "",
            authority: "",
            country: "NL",
            categories: "",
            period: "",
        },
        Notice::SignInAlert {
            at: "",
            country: None,
        },
    ] {
        let _ = write(&w, last, &notice, "");
    }
    // Every kind of subprocessor line, whatever the versions hold.
    for id in [
        "mail-processors-subject",
        "mail-processors-intro",
        "mail-processor-added",
        "mail-processor-removed",
        "mail-processor-changed",
        "mail-processors-list",
        "mail-processors-object",
    ] {
        ids.insert(id.to_string());
    }
    ids.extend(w.used());
    ids
}

fn write(w: &Words<'_>, version: &PolicyVersion, notice: &Notice<'_>, unsubscribe: &str) -> Letter {
    let brand = brand_of(version);
    let b = || ("brand", Arg::s(&brand));
    let mut lines: Vec<String> = vec![w.msg("mail-greeting", &[]), String::new()];
    let subject = match notice {
        Notice::Confirm { topics, confirm } => {
            let mut names = Vec::new();
            if topics & TOPIC_POLICY != 0 {
                names.push(w.msg("mail-topic-policy", &[]));
            }
            if topics & TOPIC_SUBPROCESSORS != 0 {
                names.push(w.msg("mail-topic-processors", &[]));
            }
            lines.push(w.msg("mail-confirm-intro", &[b()]));
            lines.extend(names.iter().map(|n| format!("  - {n}")));
            lines.push(String::new());
            lines.push(w.msg("mail-confirm-action", &[]));
            lines.push(format!("  {confirm}"));
            lines.push(String::new());
            lines.push(w.msg("mail-confirm-ignore", &[]));
            w.msg("mail-confirm-subject", &[b()])
        }
        Notice::PolicyChange {
            from,
            to,
            effective,
            material,
            changes,
        } => {
            lines.push(w.msg(
                "mail-policy-intro",
                &[
                    b(),
                    ("version", Arg::s(&to.label)),
                    ("date", Arg::s(effective)),
                    ("count", Arg::from(*material)),
                    ("previous", Arg::s(&from.label)),
                ],
            ));
            lines.push(String::new());
            lines.push(w.msg("mail-policy-read", &[]));
            lines.push(format!("  {changes}"));
            w.msg("mail-policy-subject", &[b(), ("date", Arg::s(effective))])
        }
        Notice::SubprocessorChange {
            from,
            to,
            effective,
            list,
            object,
        } => {
            lines.push(w.msg("mail-processors-intro", &[b(), ("date", Arg::s(effective))]));
            for (kind, p) in between(from, to) {
                let id = match kind {
                    ChangeKind::Added => "mail-processor-added",
                    ChangeKind::Removed => "mail-processor-removed",
                    ChangeKind::Changed => "mail-processor-changed",
                };
                let purpose = w.msg(&format!("processor-{}", p.id.as_str()), &[]);
                let line = w.msg(
                    id,
                    &[
                        ("name", Arg::s(&p.name)),
                        ("purpose", Arg::s(&purpose)),
                        ("country", Arg::s(w.country(p.country.as_str()))),
                    ],
                );
                lines.push(format!("  - {line}"));
            }
            lines.push(String::new());
            lines.push(w.msg("mail-processors-list", &[]));
            lines.push(format!("  {list}"));
            lines.push(String::new());
            lines.push(w.msg("mail-processors-object", &[("date", Arg::s(effective))]));
            lines.push(format!("  {object}"));
            w.msg(
                "mail-processors-subject",
                &[b(), ("date", Arg::s(effective))],
            )
        }
        Notice::VerifyAccount { link } => {
            lines.push(w.msg("mail-account-verify-intro", &[b()]));
            lines.push(String::new());
            lines.push(w.msg("mail-account-verify-action", &[]));
            lines.push(format!("  {link}"));
            lines.push(String::new());
            lines.push(w.msg("mail-account-verify-ignore", &[]));
            w.msg("mail-account-verify-subject", &[b()])
        }
        Notice::PasswordReset { link } => {
            lines.push(w.msg("mail-account-reset-intro", &[b()]));
            lines.push(String::new());
            lines.push(w.msg("mail-account-reset-action", &[]));
            lines.push(format!("  {link}"));
            lines.push(String::new());
            lines.push(w.msg("mail-account-reset-ignore", &[]));
            w.msg("mail-account-reset-subject", &[b()])
        }
        Notice::Lockdown { case, link } => {
            let security = version
                .contact_point
                .iter()
                .find(|c| c.id.as_str() == "security")
                .and_then(|c| c.email.clone())
                .unwrap_or_default();
            lines.push(w.msg(
                "mail-account-lockdown-intro",
                &[b(), ("case", Arg::s(case))],
            ));
            lines.push(String::new());
            lines.push(w.msg("mail-account-lockdown-action", &[]));
            lines.push(format!("  {link}"));
            lines.push(String::new());
            lines.push(w.msg(
                "mail-account-lockdown-not-you",
                &[("security", Arg::s(&security))],
            ));
            w.msg("mail-account-lockdown-subject", &[b()])
        }
        Notice::Disclosure {
            case,
            authority,
            country,
            categories,
            period,
        } => {
            let privacy = version
                .contact_point
                .iter()
                .find(|c| c.id.as_str() == "privacy")
                .and_then(|c| c.email.clone())
                .unwrap_or_default();
            let place = w.country(country);
            lines.push(w.msg(
                "mail-account-disclosure-intro",
                &[
                    ("authority", Arg::s(authority)),
                    ("place", Arg::s(&place)),
                    ("categories", Arg::s(categories)),
                    ("period", Arg::s(period)),
                ],
            ));
            lines.push(String::new());
            lines.push(w.msg("mail-account-disclosure-review", &[("case", Arg::s(case))]));
            lines.push(String::new());
            lines.push(w.msg(
                "mail-account-disclosure-advice",
                &[("privacy", Arg::s(&privacy))],
            ));
            w.msg("mail-account-disclosure-subject", &[b()])
        }
        Notice::SignInAlert { at, country } => {
            let place = match country {
                Some(c) => w.country(c),
                None => w.msg("mail-account-alert-unknown-place", &[]),
            };
            let security = version
                .contact_point
                .iter()
                .find(|c| c.id.as_str() == "security")
                .and_then(|c| c.email.clone())
                .unwrap_or_default();
            lines.push(w.msg(
                "mail-account-alert-intro",
                &[("date", Arg::s(at)), ("place", Arg::s(&place))],
            ));
            lines.push(String::new());
            lines.push(w.msg("mail-account-alert-ok", &[]));
            lines.push(w.msg(
                "mail-account-alert-not-you",
                &[("security", Arg::s(&security))],
            ));
            w.msg("mail-account-alert-subject", &[b()])
        }
    };
    match notice {
        Notice::Confirm { .. } => {}
        Notice::VerifyAccount { .. }
        | Notice::PasswordReset { .. }
        | Notice::Lockdown { .. }
        | Notice::Disclosure { .. }
        | Notice::SignInAlert { .. } => {
            lines.push(String::new());
            lines.push("-- ".to_string());
            lines.push(w.msg("mail-account-footer", &[b()]));
        }
        Notice::PolicyChange { .. } | Notice::SubprocessorChange { .. } => {
            lines.push(String::new());
            lines.push("-- ".to_string());
            lines.push(w.msg("mail-footer", &[b()]));
            lines.push(format!("  {unsubscribe}"));
        }
    }
    let mut body = lines.join("\n");
    body.push('\n');
    Letter { subject, body }
}
