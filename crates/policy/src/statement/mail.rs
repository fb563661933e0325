//! The notices Custodian e-mails on the statement's behalf, in the subscriber's locale: the
//! double opt-in link, a material change of the statement ahead of its effective date, a change
//! of the subprocessor list ahead of its effective date, the account letters, and the letters of
//! a data subject request (its code, receipt, extension, answer, routing to the customers who
//! control the data, and reminders to whoever answers it). Plain text; every number, date and
//! name comes from the policy or the caller, every sentence from the locale's `mail-*` messages.

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
    /// A code that proves the requester controls the address (privacy center).
    RequestCode {
        /// The code to enter.
        code: &'a str,
        /// Minutes until it expires.
        minutes: i64,
    },
    /// The request was received; it is answered by `due` (a date as it is to be read).
    RequestReceived {
        /// The request's reference.
        reference: &'a str,
        /// The right exercised (its id: `access`, `erasure`, …).
        right: &'a str,
        /// When it is answered at the latest, as it is to be read.
        due: &'a str,
    },
    /// The answer needs more time: new due date and the reason (as given by staff, free text).
    RequestExtended {
        /// The request's reference.
        reference: &'a str,
        /// The right exercised (its id).
        right: &'a str,
        /// The new date of the answer, as it is to be read.
        due: &'a str,
        /// Why more time is needed, as staff wrote it.
        reason: &'a str,
    },
    /// The request was answered. `outcome` is one of fulfilled, partially_fulfilled, denied,
    /// withdrawn; `explanation` is free text (may be empty); `no_data` says nothing was found
    /// about the person; `retained` lists data kept under a legal duty (erasure); `download` is a
    /// link to the export when there is one. The letter ends with how to complain, to the
    /// version's `lead_authority` among others.
    RequestClosed {
        /// The request's reference.
        reference: &'a str,
        /// The right exercised (its id).
        right: &'a str,
        /// `fulfilled`, `partially_fulfilled`, `denied` or `withdrawn`.
        outcome: &'a str,
        /// The reasons (denied, partially fulfilled) or a note, as staff wrote it; may be empty.
        explanation: &'a str,
        /// No personal data about the requester was found.
        no_data: bool,
        /// Data kept under a legal duty despite an erasure.
        retained: &'a [Retained<'a>],
        /// The export's download page, when there is one.
        download: Option<&'a str>,
    },
    /// The data the request is about is controlled by customers of the platform: the request was
    /// passed on to each of them (`controllers` are their names), who will answer.
    RequestRouted {
        /// The request's reference.
        reference: &'a str,
        /// The customers it was passed on to, by name.
        controllers: &'a [String],
    },
    /// To a customer (controller): a request about one of its end users was routed to it; handle it
    /// in the dashboard at `link` by `due`.
    RequestForController {
        /// The request's reference.
        reference: &'a str,
        /// The right exercised (its id).
        right: &'a str,
        /// When it is to be answered at the latest, as it is to be read.
        due: &'a str,
        /// The request in the dashboard.
        link: &'a str,
    },
    /// To a customer or staff: a request is due in `days` days (0 = today; negative = overdue).
    RequestReminder {
        /// The request's reference.
        reference: &'a str,
        /// The right exercised (its id).
        right: &'a str,
        /// When it is to be answered at the latest, as it is to be read.
        due: &'a str,
        /// Days until `due`: 0 is today, negative is overdue.
        days: i64,
        /// The request in the dashboard.
        link: &'a str,
    },
}

/// Data kept under a legal duty although its erasure was asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retained<'a> {
    /// The policy's data category id (`invoices`); named by the locale's `data-<id>` message
    /// when it has one, else shown as is.
    pub category: &'a str,
    /// Until when it is kept, as it is to be read.
    pub until: &'a str,
    /// Why: the legal duty, as staff wrote it.
    pub why: &'a str,
}

/// The rights a request may exercise, each named by `mail-request-right-<id>`.
const RIGHTS: [&str; 8] = [
    "access",
    "portability",
    "rectification",
    "erasure",
    "restriction",
    "objection",
    "withdraw-consent",
    "opt-out-sale",
];

/// The outcomes of an answered request.
const OUTCOMES: [&str; 4] = ["fulfilled", "partially_fulfilled", "denied", "withdrawn"];

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
        | Notice::SignInAlert { .. }
        | Notice::RequestCode { .. }
        | Notice::RequestReceived { .. }
        | Notice::RequestExtended { .. }
        | Notice::RequestClosed { .. }
        | Notice::RequestRouted { .. }
        | Notice::RequestForController { .. }
        | Notice::RequestReminder { .. } => policy.current().unwrap_or_else(|| &policy.versions[0]),
        Notice::PolicyChange { to, .. } | Notice::SubprocessorChange { to, .. } => to,
    };
    let w = Words::new(locale, version, Jurisdiction::Gdpr);
    let letter = write(&w, locale, version, notice, unsubscribe);
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
        let _ = write(&w, locale, last, &notice, "");
    }
    // Every letter of a request: each right, each outcome, each kind of reminder.
    let retained = [Retained {
        category: "",
        until: "",
        why: "",
    }];
    let controllers = [String::new()];
    let mut requests = vec![
        Notice::RequestCode {
            code: "",
            minutes: 10,
        },
        Notice::RequestExtended {
            reference: "",
            right: "access",
            due: "",
            reason: "-",
        },
        Notice::RequestRouted {
            reference: "",
            controllers: &controllers,
        },
    ];
    for right in RIGHTS {
        requests.push(Notice::RequestReceived {
            reference: "",
            right,
            due: "",
        });
    }
    for outcome in OUTCOMES {
        for no_data in [false, true] {
            requests.push(Notice::RequestClosed {
                reference: "",
                right: "erasure",
                outcome,
                explanation: "-",
                no_data,
                retained: &retained,
                download: Some(""),
            });
        }
    }
    for days in [1, 0, -1] {
        requests.push(Notice::RequestReminder {
            reference: "",
            right: "access",
            due: "",
            days,
            link: "",
        });
    }
    requests.push(Notice::RequestForController {
        reference: "",
        right: "access",
        due: "",
        link: "",
    });
    for notice in &requests {
        let _ = write(&w, locale, last, notice, "");
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
        // What a request letter says depends on the version too: its supervisory authority,
        // its longest answer time, its commitments.
        "mail-request-complaint",
        "mail-request-complaint-any",
        "mail-request-non-discrimination",
        "mail-request-received-extension",
        "mail-request-extended-limit",
    ] {
        ids.insert(id.to_string());
    }
    ids.extend(w.used());
    ids
}

fn write(
    w: &Words<'_>,
    locale: &Locale,
    version: &PolicyVersion,
    notice: &Notice<'_>,
    unsubscribe: &str,
) -> Letter {
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
        Notice::RequestCode { code, minutes } => {
            lines.push(w.msg("mail-request-code-intro", &[b()]));
            lines.push(format!("  {code}"));
            lines.push(String::new());
            lines.push(w.msg(
                "mail-request-code-expiry",
                &[("minutes", Arg::n((*minutes).max(0).unsigned_abs()))],
            ));
            lines.push(String::new());
            lines.push(w.msg("mail-request-code-ignore", &[]));
            w.msg("mail-request-code-subject", &[b()])
        }
        Notice::RequestReceived {
            reference,
            right,
            due,
        } => {
            lines.push(w.msg("mail-request-received-intro", &[]));
            facts(w, &mut lines, reference, Some(right));
            lines.push(w.msg("mail-request-received-due", &[("due", Arg::s(due))]));
            if let Some(extended) = extended_deadline(version) {
                lines.push(String::new());
                lines.push(w.msg(
                    "mail-request-received-extension",
                    &[
                        ("extended", Arg::s(w.period(extended))),
                        ("due", Arg::s(due)),
                    ],
                ));
            }
            w.msg(
                "mail-request-received-subject",
                &[b(), ("reference", Arg::s(reference))],
            )
        }
        Notice::RequestExtended {
            reference,
            right,
            due,
            reason,
        } => {
            lines.push(w.msg("mail-request-extended-intro", &[]));
            facts(w, &mut lines, reference, Some(right));
            if !reason.trim().is_empty() {
                lines.push(w.msg("mail-request-extended-reason", &[]));
                lines.extend(quoted(reason));
                lines.push(String::new());
            }
            lines.push(w.msg("mail-request-extended-due", &[("due", Arg::s(due))]));
            if let Some(extended) = extended_deadline(version) {
                lines.push(w.msg(
                    "mail-request-extended-limit",
                    &[("extended", Arg::s(w.period(extended)))],
                ));
            }
            w.msg(
                "mail-request-extended-subject",
                &[b(), ("reference", Arg::s(reference))],
            )
        }
        Notice::RequestClosed {
            reference,
            right,
            outcome,
            explanation,
            no_data,
            retained,
            download,
        } => {
            let withdrawn = *outcome == "withdrawn";
            lines.push(w.msg(
                if withdrawn {
                    "mail-request-withdrawn-intro"
                } else {
                    "mail-request-closed-intro"
                },
                &[],
            ));
            facts(w, &mut lines, reference, Some(right));
            let explanation = explanation.trim();
            // What was done, then the reasons or the note of whoever answered.
            let (done, why) = match *outcome {
                "fulfilled" if *no_data => (None, "mail-request-closed-note"),
                "fulfilled" => (
                    Some("mail-request-closed-fulfilled"),
                    "mail-request-closed-note",
                ),
                "partially_fulfilled" => (
                    Some("mail-request-closed-partially-fulfilled"),
                    "mail-request-closed-reason",
                ),
                "denied" => (
                    Some("mail-request-closed-denied"),
                    "mail-request-closed-reason",
                ),
                "withdrawn" => (
                    Some("mail-request-withdrawn-again"),
                    "mail-request-closed-note",
                ),
                // An outcome this code does not know claims nothing; its note still shows.
                _ => (None, "mail-request-closed-note"),
            };
            if *no_data && !withdrawn {
                lines.push(w.msg("mail-request-closed-no-data", &[]));
            }
            if let Some(done) = done {
                lines.push(w.msg(done, &[]));
            }
            if !explanation.is_empty() {
                lines.push(String::new());
                lines.push(w.msg(why, &[]));
                lines.extend(quoted(explanation));
            }
            if !retained.is_empty() {
                lines.push(String::new());
                lines.push(w.msg("mail-request-closed-retained", &[]));
                for r in retained.iter() {
                    let id = format!("data-{}", r.category);
                    let category = if locale.messages.contains_key(&id) {
                        w.msg(&id, &[])
                    } else {
                        r.category.to_string()
                    };
                    let line = w.msg(
                        "mail-request-retained-item",
                        &[
                            ("category", Arg::s(category)),
                            ("until", Arg::s(r.until)),
                            ("why", Arg::s(r.why)),
                        ],
                    );
                    lines.push(format!("  - {line}"));
                }
                lines.push(w.msg("mail-request-closed-erased-rest", &[]));
            }
            if let Some(link) = download {
                lines.push(String::new());
                lines.push(w.msg("mail-request-closed-download", &[]));
                lines.push(format!("  {link}"));
            }
            lines.push(String::new());
            lines.push(w.msg(
                "mail-request-questions",
                &[("privacy", Arg::s(contact(version, "privacy")))],
            ));
            // How to complain ends every answer, whatever its outcome.
            lines.push(String::new());
            lines.push(complaint(w, version));
            if matches!(*outcome, "denied" | "partially_fulfilled") {
                lines.push(w.msg("mail-request-closed-court", &[]));
            }
            if version
                .commitments
                .as_ref()
                .is_some_and(|c| c.ccpa_non_discrimination)
            {
                lines.push(String::new());
                lines.push(w.msg("mail-request-non-discrimination", &[]));
            }
            w.msg(
                if withdrawn {
                    "mail-request-withdrawn-subject"
                } else {
                    "mail-request-closed-subject"
                },
                &[b(), ("reference", Arg::s(reference))],
            )
        }
        Notice::RequestRouted {
            reference,
            controllers,
        } => {
            lines.push(w.msg("mail-request-routed-intro", &[b()]));
            facts(w, &mut lines, reference, None);
            lines.push(w.msg("mail-request-routed-to", &[]));
            lines.extend(controllers.iter().map(|c| format!("  - {c}")));
            lines.push(String::new());
            lines.push(w.msg(
                "mail-request-routed-next",
                &[("privacy", Arg::s(contact(version, "privacy")))],
            ));
            w.msg(
                "mail-request-routed-subject",
                &[b(), ("reference", Arg::s(reference))],
            )
        }
        Notice::RequestForController {
            reference,
            right,
            due,
            link,
        } => {
            lines.push(w.msg("mail-request-controller-intro", &[b()]));
            facts(w, &mut lines, reference, Some(right));
            lines.push(w.msg("mail-request-controller-role", &[b()]));
            lines.push(String::new());
            lines.push(w.msg("mail-request-controller-action", &[("due", Arg::s(due))]));
            lines.push(format!("  {link}"));
            w.msg(
                "mail-request-controller-subject",
                &[b(), ("reference", Arg::s(reference))],
            )
        }
        Notice::RequestReminder {
            reference,
            right,
            due,
            days,
            link,
        } => {
            let (intro, subject) = match days.signum() {
                1 => ("mail-request-reminder-due", "mail-request-reminder-subject"),
                0 => (
                    "mail-request-reminder-today",
                    "mail-request-reminder-subject",
                ),
                _ => (
                    "mail-request-reminder-overdue",
                    "mail-request-overdue-subject",
                ),
            };
            lines.push(w.msg(
                intro,
                &[("days", Arg::n(days.unsigned_abs())), ("due", Arg::s(due))],
            ));
            facts(w, &mut lines, reference, Some(right));
            lines.push(w.msg("mail-request-reminder-action", &[]));
            lines.push(format!("  {link}"));
            w.msg(
                subject,
                &[b(), ("reference", Arg::s(reference)), ("due", Arg::s(due))],
            )
        }
    };
    match notice {
        Notice::Confirm { .. } => {}
        Notice::RequestCode { .. }
        | Notice::RequestReceived { .. }
        | Notice::RequestExtended { .. }
        | Notice::RequestClosed { .. }
        | Notice::RequestRouted { .. } => {
            lines.push(String::new());
            lines.push("-- ".to_string());
            lines.push(w.msg("mail-request-footer", &[b()]));
        }
        Notice::RequestForController { .. } | Notice::RequestReminder { .. } => {
            lines.push(String::new());
            lines.push("-- ".to_string());
            lines.push(w.msg("mail-request-handler-footer", &[b()]));
        }
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

/// The facts of a request, indented between blank lines: its reference and the right it
/// exercises.
fn facts(w: &Words<'_>, lines: &mut Vec<String>, reference: &str, right: Option<&str>) {
    lines.push(String::new());
    lines.push(format!(
        "  {}",
        w.msg(
            "mail-request-fact-reference",
            &[("reference", Arg::s(reference))]
        )
    ));
    if let Some(right) = right {
        let name = if RIGHTS.contains(&right) {
            w.msg(&format!("mail-request-right-{right}"), &[])
        } else {
            right.to_string()
        };
        lines.push(format!(
            "  {}",
            w.msg("mail-request-fact-right", &[("right", Arg::s(name))])
        ));
    }
    lines.push(String::new());
}

/// Free text of staff, indented line by line, blank lines dropped.
fn quoted(text: &str) -> impl Iterator<Item = String> + '_ {
    text.lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty())
        .map(|l| format!("  {l}"))
}

/// The address of a contact point of the version, or nothing.
fn contact(version: &PolicyVersion, id: &str) -> String {
    version
        .contact_point
        .iter()
        .find(|c| c.id.as_str() == id)
        .and_then(|c| c.email.clone())
        .unwrap_or_default()
}

/// The longest time an answer may take, extension included (ISO 8601), when the version
/// promises one.
fn extended_deadline(version: &PolicyVersion) -> Option<&str> {
    version
        .rights
        .as_ref()
        .and_then(|r| r.extended_deadline.as_ref())
        .map(|e| e.as_str())
}

/// Where to complain: the supervisory authority of the controller's country, by name, or that
/// of the member state where the person lives or works or where the infringement took place.
fn complaint(w: &Words<'_>, version: &PolicyVersion) -> String {
    let organisation = version.organisation.as_ref();
    let authority = organisation.and_then(|o| o.lead_authority.as_deref());
    let country = organisation
        .and_then(|o| {
            version
                .entity
                .iter()
                .find(|e| e.id.as_str() == o.controller.as_str())
        })
        .and_then(|e| e.country.as_ref());
    match (authority, country) {
        (Some(authority), Some(country)) => w.msg(
            "mail-request-complaint",
            &[
                ("authority", Arg::s(authority)),
                ("country", Arg::s(w.country(country.as_str()))),
            ],
        ),
        _ => w.msg("mail-request-complaint-any", &[]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCALES: [&str; 4] = ["en", "nl", "zh-CN", "id"];
    const REF: &str = "DSR-2025-0042";
    const DUE: &str = "2025-03-14";
    const LINK: &str = "https://privacy.example/dashboard/requests/DSR-2025-0042";

    fn seeds() -> Policy {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies/messagebird");
        let (policy, report) = crate::load(&dir);
        assert_eq!(report.error_count(), 0, "{}", report.render(false));
        policy.expect("the seeds load")
    }

    /// Composes `notice` in `lang`: complete, branded, with no message id left in it.
    fn letter(policy: &Policy, lang: &str, notice: &Notice<'_>) -> Letter {
        let letter =
            compose(policy, lang, notice, "").unwrap_or_else(|e| panic!("{lang} {notice:?}: {e}"));
        assert!(
            letter.subject.contains("MessageBird"),
            "{lang}: {}",
            letter.subject
        );
        for text in [&letter.subject, &letter.body] {
            assert!(
                !text.contains("mail-"),
                "{lang}: a message id leaked: {text}"
            );
            assert!(
                !text.contains("data-"),
                "{lang}: a message id leaked: {text}"
            );
        }
        assert!(!letter.subject.contains('\n'));
        letter
    }

    fn retained() -> [Retained<'static>; 2] {
        [
            Retained {
                category: "invoices",
                until: "2032-12-31",
                why: "Dutch tax law (AWR art. 52): seven years",
            },
            Retained {
                category: "no-such-category",
                until: "2026-06-30",
                why: "a pending dispute",
            },
        ]
    }

    fn closed<'a>(
        outcome: &'a str,
        explanation: &'a str,
        retained: &'a [Retained<'a>],
    ) -> Notice<'a> {
        Notice::RequestClosed {
            reference: REF,
            right: "erasure",
            outcome,
            explanation,
            no_data: false,
            retained,
            download: None,
        }
    }

    #[test]
    fn every_request_letter_composes_in_every_locale_with_its_reference() {
        let policy = seeds();
        let controllers = vec!["Acme Retail B.V.".to_string(), "Globex Ltd".to_string()];
        let kept = retained();
        for lang in LOCALES {
            let mut notices = vec![
                Notice::RequestReceived {
                    reference: REF,
                    right: "access",
                    due: DUE,
                },
                Notice::RequestExtended {
                    reference: REF,
                    right: "portability",
                    due: "2025-05-14",
                    reason: "Your request covers six years of message logs.",
                },
                Notice::RequestRouted {
                    reference: REF,
                    controllers: &controllers,
                },
                Notice::RequestForController {
                    reference: REF,
                    right: "objection",
                    due: DUE,
                    link: LINK,
                },
            ];
            for outcome in OUTCOMES {
                notices.push(closed(outcome, "See the note.", &kept));
            }
            for days in [5, 1, 0, -1, -3] {
                notices.push(Notice::RequestReminder {
                    reference: REF,
                    right: "restriction",
                    due: DUE,
                    days,
                    link: LINK,
                });
            }
            for notice in &notices {
                let l = letter(&policy, lang, notice);
                assert!(
                    l.subject.contains(REF) && l.body.contains(REF),
                    "{lang}: {l:?}"
                );
                assert!(l.body.ends_with('\n'));
            }
        }
    }

    #[test]
    fn every_right_has_a_name_in_every_locale() {
        let policy = seeds();
        for lang in LOCALES {
            let mut names = std::collections::BTreeSet::new();
            for right in RIGHTS {
                let l = letter(
                    &policy,
                    lang,
                    &Notice::RequestReceived {
                        reference: REF,
                        right,
                        due: DUE,
                    },
                );
                let line = l.body.lines().nth(5).unwrap_or_default().trim().to_string();
                names.insert(line);
            }
            assert_eq!(names.len(), RIGHTS.len(), "{lang}: {names:?}");
        }
        // A right this code does not know is shown by its id, not refused.
        let l = letter(
            &policy,
            "nl",
            &Notice::RequestReceived {
                reference: REF,
                right: "made-up",
                due: DUE,
            },
        );
        assert!(l.body.contains("Verzoek: made-up"));
    }

    #[test]
    fn the_code_letter_carries_the_code_and_its_expiry() {
        let policy = seeds();
        for lang in LOCALES {
            let l = letter(
                &policy,
                lang,
                &Notice::RequestCode {
                    code: "482 913",
                    minutes: 15,
                },
            );
            assert!(l.body.contains("\n  482 913\n"), "{lang}: {}", l.body);
            assert!(l.body.contains("15"), "{lang}: {}", l.body);
            assert!(
                !l.subject.contains("482 913"),
                "the code stays out of the subject"
            );
        }
        let one = letter(
            &policy,
            "en",
            &Notice::RequestCode {
                code: "1",
                minutes: 1,
            },
        );
        assert!(one.body.contains("expires in one minute."));
        let en = letter(
            &policy,
            "en",
            &Notice::RequestCode {
                code: "1",
                minutes: 10,
            },
        );
        assert!(en.body.contains("expires in 10 minutes."));
        assert!(
            en.body
                .contains("If you did not ask for this, ignore this message")
        );
    }

    #[test]
    fn receipt_and_extension_give_the_dates_and_the_longest_time() {
        let policy = seeds();
        let received = |lang| {
            letter(
                &policy,
                lang,
                &Notice::RequestReceived {
                    reference: REF,
                    right: "access",
                    due: DUE,
                },
            )
        };
        let extended = |lang| {
            letter(
                &policy,
                lang,
                &Notice::RequestExtended {
                    reference: REF,
                    right: "erasure",
                    due: "2025-05-14",
                    reason: "We must search the archives of three affiliates.\n\nThis takes time.",
                },
            )
        };
        for lang in LOCALES {
            let r = received(lang);
            assert!(r.body.contains(DUE), "{lang}: {}", r.body);
            let e = extended(lang);
            assert!(e.body.contains("2025-05-14"), "{lang}: {}", e.body);
            assert!(
                e.body.contains(
                    "\n  We must search the archives of three affiliates.\n  This takes time.\n"
                ),
                "{lang}: {}",
                e.body
            );
        }
        // The 2023 version promises two months at most, from receipt.
        assert!(
            received("en")
                .body
                .contains("never more than 2 months from the day we received it")
        );
        assert!(
            extended("en")
                .body
                .contains("never takes longer than 2 months from the day we received the request")
        );
        assert!(extended("nl").body.contains("nooit langer dan 2 maanden"));
        assert!(extended("zh-CN").body.contains("2 个月"));
        assert!(extended("id").body.contains("2 bulan"));
        // No reason given: no empty "The reason:" either.
        let bare = letter(
            &policy,
            "en",
            &Notice::RequestExtended {
                reference: REF,
                right: "erasure",
                due: "2025-05-14",
                reason: "  ",
            },
        );
        assert!(!bare.body.contains("The reason:"));
    }

    #[test]
    fn every_answer_ends_with_how_to_complain() {
        let policy = seeds();
        for lang in LOCALES {
            for outcome in OUTCOMES {
                let l = letter(&policy, lang, &closed(outcome, "", &[]));
                let (complaint, california) = match lang {
                    "en" => (
                        "the Netherlands, the Autoriteit Persoonsgegevens",
                        "California",
                    ),
                    "nl" => (
                        "van Nederland, de Autoriteit Persoonsgegevens",
                        "Californië",
                    ),
                    "zh-CN" => (
                        "荷兰的数据保护监管机构 Autoriteit Persoonsgegevens",
                        "加利福尼亚州",
                    ),
                    _ => ("Belanda, yaitu Autoriteit Persoonsgegevens", "California"),
                };
                assert!(l.body.contains(complaint), "{lang} {outcome}: {}", l.body);
                assert!(l.body.contains(california), "{lang} {outcome}: {}", l.body);
                // The complaint and the non-discrimination close the letter, before its footer.
                let end = l.body.rsplit("\n-- \n").nth(1).unwrap_or_default();
                let last = end.trim_end().lines().last().unwrap_or_default();
                assert!(last.contains(california), "{lang} {outcome}: {last}");
            }
        }
        let en = |outcome| letter(&policy, "en", &closed(outcome, "", &[])).body;
        assert!(en("fulfilled").contains("EU member state where you live or work"));
        assert!(en("fulfilled").contains("where you believe your rights were infringed"));
        assert!(en("fulfilled").contains("never charge you a different price"));
        assert!(en("denied").contains("take the matter to court"));
        assert!(!en("fulfilled").contains("take the matter to court"));
        assert!(en("withdrawn").contains("You withdrew your privacy request"));
        assert!(
            letter(&policy, "en", &closed("withdrawn", "", &[]))
                .subject
                .contains("is closed")
        );
    }

    #[test]
    fn a_denial_and_a_partial_answer_give_the_explanation_as_the_reason() {
        let policy = seeds();
        let why = "The messages you asked about belong to another person's account.";
        for (outcome, says) in [
            ("denied", "We cannot carry out your request."),
            (
                "partially_fulfilled",
                "We have carried out part of your request, but not all of it.",
            ),
        ] {
            let l = letter(&policy, "en", &closed(outcome, why, &[]));
            assert!(l.body.contains(says), "{}", l.body);
            assert!(
                l.body.contains(&format!("Our reasons:\n  {why}\n")),
                "{}",
                l.body
            );
        }
        for lang in LOCALES {
            let l = letter(&policy, lang, &closed("denied", why, &[]));
            assert!(
                l.body.contains(&format!("\n  {why}\n")),
                "{lang}: {}",
                l.body
            );
        }
        let fulfilled = letter(&policy, "en", &closed("fulfilled", why, &[]));
        assert!(fulfilled.body.contains("We have carried out your request."));
        assert!(
            fulfilled
                .body
                .contains(&format!("A note from our privacy team:\n  {why}\n"))
        );
    }

    #[test]
    fn retained_data_is_listed_and_the_rest_said_erased() {
        let policy = seeds();
        let kept = retained();
        for lang in LOCALES {
            let l = letter(&policy, lang, &closed("partially_fulfilled", "", &kept));
            let invoices = policy
                .locale(lang)
                .and_then(|l| l.text("data-invoices"))
                .expect("the seeds name invoices");
            let items: Vec<&str> = l.body.lines().filter(|x| x.starts_with("  - ")).collect();
            assert_eq!(items.len(), 2, "{lang}: {}", l.body);
            assert!(items[0].contains(invoices), "{lang}: {}", items[0]);
            assert!(items[0].contains("2032-12-31") && items[0].contains("AWR art. 52"));
            // A category the locale does not name is shown by its id.
            assert!(items[1].contains("no-such-category") && items[1].contains("2026-06-30"));
            assert!(items[1].contains("a pending dispute"));
        }
        let en = letter(&policy, "en", &closed("fulfilled", "", &kept)).body;
        assert!(en.contains(
            "  - Invoices, until 2032-12-31: Dutch tax law (AWR art. 52): seven years\n"
        ));
        assert!(en.contains("We have erased all other personal data about you"));
        let none = letter(&policy, "en", &closed("fulfilled", "", &[])).body;
        assert!(!none.contains("We keep:") && !none.contains("erased all other"));
    }

    #[test]
    fn finding_no_data_is_a_complete_answer() {
        let policy = seeds();
        for lang in LOCALES {
            let notice = Notice::RequestClosed {
                reference: REF,
                right: "access",
                outcome: "fulfilled",
                explanation: "",
                no_data: true,
                retained: &[],
                download: None,
            };
            let l = letter(&policy, lang, &notice);
            let said = match lang {
                "en" => "We hold no personal data about you",
                "nl" => "Wij hebben geen persoonsgegevens over u",
                "zh-CN" => "我们并未持有您的个人数据",
                _ => "Kami tidak menyimpan data pribadi tentang Anda",
            };
            assert!(l.body.contains(said), "{lang}: {}", l.body);
            assert!(l.subject.contains(REF));
        }
        let en = compose(
            &policy,
            "en",
            &Notice::RequestClosed {
                reference: REF,
                right: "access",
                outcome: "fulfilled",
                explanation: "",
                no_data: true,
                retained: &[],
                download: None,
            },
            "",
        )
        .expect("composes");
        assert!(!en.body.contains("We have carried out your request."));
    }

    #[test]
    fn the_export_link_is_given_when_there_is_one() {
        let policy = seeds();
        let export = "https://privacy.example/exports/abc123";
        for lang in LOCALES {
            let l = letter(
                &policy,
                lang,
                &Notice::RequestClosed {
                    reference: REF,
                    right: "portability",
                    outcome: "fulfilled",
                    explanation: "",
                    no_data: false,
                    retained: &[],
                    download: Some(export),
                },
            );
            assert!(
                l.body.contains(&format!("\n  {export}\n")),
                "{lang}: {}",
                l.body
            );
        }
    }

    #[test]
    fn routing_names_every_controller_and_the_customer_gets_the_link_and_date() {
        let policy = seeds();
        let controllers = vec!["Acme Retail B.V.".to_string(), "Globex Ltd".to_string()];
        for lang in LOCALES {
            let routed = letter(
                &policy,
                lang,
                &Notice::RequestRouted {
                    reference: REF,
                    controllers: &controllers,
                },
            );
            assert!(
                routed
                    .body
                    .contains("  - Acme Retail B.V.\n  - Globex Ltd\n")
            );
            assert!(routed.body.contains("privacy@"), "{lang}: {}", routed.body);
            let customer = letter(
                &policy,
                lang,
                &Notice::RequestForController {
                    reference: REF,
                    right: "erasure",
                    due: DUE,
                    link: LINK,
                },
            );
            assert!(customer.body.contains(DUE) && customer.body.contains(LINK));
        }
    }

    #[test]
    fn reminders_count_the_days_left_or_overdue() {
        let policy = seeds();
        let remind = |lang, days| {
            letter(
                &policy,
                lang,
                &Notice::RequestReminder {
                    reference: REF,
                    right: "access",
                    due: DUE,
                    days,
                    link: LINK,
                },
            )
        };
        for lang in LOCALES {
            for days in [3, 0, -2] {
                let l = remind(lang, days);
                assert!(
                    l.body.contains(DUE) && l.body.contains(LINK),
                    "{lang}: {}",
                    l.body
                );
            }
            assert!(remind(lang, 3).body.contains('3'));
            assert!(remind(lang, -2).body.contains('2'));
            assert_ne!(remind(lang, 3).subject, remind(lang, -2).subject);
        }
        assert!(
            remind("en", 1)
                .body
                .contains("within one day, by 2025-03-14")
        );
        assert!(
            remind("en", 3)
                .body
                .contains("within 3 days, by 2025-03-14")
        );
        assert!(remind("en", 0).body.contains("answered today, 2025-03-14"));
        assert!(remind("en", -2).body.contains("2 days ago, on 2025-03-14"));
        assert!(remind("en", -2).subject.contains("overdue"));
        assert!(remind("nl", -1).body.contains("één dag geleden"));
    }

    #[test]
    fn chinese_letters_have_no_english_words_in_their_fixed_text() {
        let policy = seeds();
        let kept = [Retained {
            category: "invoices",
            until: "2032-12-31",
            why: "",
        }];
        let controllers = vec!["X".to_string()];
        let notices = [
            Notice::RequestCode {
                code: "0",
                minutes: 10,
            },
            Notice::RequestReceived {
                reference: "R",
                right: "access",
                due: "D",
            },
            Notice::RequestExtended {
                reference: "R",
                right: "erasure",
                due: "D",
                reason: "",
            },
            closed("denied", "", &kept),
            closed("withdrawn", "", &[]),
            Notice::RequestRouted {
                reference: "R",
                controllers: &controllers,
            },
            Notice::RequestForController {
                reference: "R",
                right: "opt-out-sale",
                due: "D",
                link: "L",
            },
            Notice::RequestReminder {
                reference: "R",
                right: "withdraw-consent",
                due: "D",
                days: -4,
                link: "L",
            },
        ];
        // Words of the English letters that would betray a sentence left untranslated.
        let english = [
            "request",
            "your",
            "the",
            "answer",
            "privacy",
            "reference",
            "you",
            "reason",
            "code",
            "data",
            "within",
            "days",
            "erase",
            "complain",
            "authority",
            "reminder",
        ];
        for notice in &notices {
            let l = letter(&policy, "zh-CN", notice);
            let text = format!("{}\n{}", l.subject, l.body);
            // Names, addresses and codes the policy and caller fill in may stay in Latin script.
            let fixed = text
                .replace("MessageBird", "")
                .replace("Autoriteit Persoonsgegevens", "");
            let words: Vec<String> = fixed
                .split(|c: char| c.is_whitespace() || "，：（）".contains(c))
                .filter(|w| !w.contains('@'))
                .flat_map(|w| w.split(|c: char| !c.is_ascii_alphabetic()))
                .filter(|w| w.len() > 1)
                .map(str::to_ascii_lowercase)
                .collect();
            for word in english {
                assert!(
                    !words.iter().any(|w| w == word),
                    "`{word}` in Chinese: {text}"
                );
            }
            assert!(
                text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{text}"
            );
        }
    }

    #[test]
    fn message_ids_cover_every_request_message_of_every_locale() {
        let policy = seeds();
        let ids = message_ids(&policy);
        for locale in &policy.locales {
            let ours: Vec<&String> = locale
                .messages
                .keys()
                .filter(|id| id.starts_with("mail-request-"))
                .collect();
            assert_eq!(ours.len(), 59, "{}", locale.tag);
            for id in ours {
                assert!(ids.contains(id), "{} is not checked for completeness", id);
            }
        }
        for id in &ids {
            for locale in &policy.locales {
                if id.starts_with("mail-") {
                    assert!(locale.messages.contains_key(id), "{}: {id}", locale.tag);
                }
            }
        }
    }
}
