//! Messages of one locale, formatted with Fluent: plurals by the locale's rules, no isolation
//! marks, every id that was asked for and missing remembered for one error at the end.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::sync::Arc;

use fluent_bundle::{FluentArgs, FluentBundle, FluentResource, FluentValue};

use super::{Jurisdiction, StatementError};
use crate::load::{Locale, PolicyVersion};
use crate::period::PeriodUnit;

/// An argument of a message.
pub(super) enum Arg {
    Text(String),
    Number(f64),
}

impl Arg {
    pub(super) fn s(text: impl AsRef<str>) -> Self {
        Self::Text(text.as_ref().to_string())
    }
    pub(super) fn n(n: impl Into<u64>) -> Self {
        // Counts and ages are small; f64 holds them exactly.
        Self::Number(n.into() as f64)
    }
}

impl From<usize> for Arg {
    fn from(n: usize) -> Self {
        Self::Number(n as f64)
    }
}

pub(super) struct Words<'a> {
    locale: &'a Locale,
    bundle: FluentBundle<Arc<FluentResource>>,
    /// The jurisdiction's words for our terms: personal data, data subject, controller,
    /// processor.
    terms: Vec<(&'static str, String)>,
    missing: RefCell<BTreeSet<String>>,
    used: RefCell<BTreeSet<String>>,
}

impl<'a> Words<'a> {
    pub(super) fn new(locale: &'a Locale, version: &PolicyVersion, j: Jurisdiction) -> Self {
        let lang: unic_langid::LanguageIdentifier = locale
            .tag
            .parse()
            .unwrap_or_else(|_| unic_langid::LanguageIdentifier::default());
        let mut bundle = FluentBundle::new(vec![lang]);
        bundle.set_use_isolating(false);
        for resource in &locale.resources {
            // Duplicate ids are reported by `policy check`; the first declaration is used.
            let _ = bundle.add_resource(Arc::clone(resource));
        }
        let mut words = Self {
            locale,
            bundle,
            terms: Vec::new(),
            missing: RefCell::default(),
            used: RefCell::default(),
        };
        let mapped = |ours: &str| -> String {
            let theirs = version
                .jurisdiction
                .iter()
                .find(|x| x.id.as_str() == j.id() && j != Jurisdiction::Gdpr)
                .and_then(|x| x.terms.get(ours).cloned())
                .unwrap_or_else(|| ours.to_string());
            words.label("term", &theirs)
        };
        let terms = vec![
            ("personal-data", mapped("personal-data")),
            ("data-subject", mapped("data-subject")),
            ("controller", mapped("controller")),
            ("processor", mapped("processor")),
        ];
        words.terms = terms;
        words
    }

    pub(super) fn lang(&self) -> &str {
        &self.locale.tag
    }

    /// The message `id` with `args` (and the jurisdiction's terms), or the id itself, noted
    /// as missing.
    pub(super) fn msg(&self, id: &str, args: &[(&str, Arg)]) -> String {
        self.used.borrow_mut().insert(id.to_string());
        let Some(pattern) = self.bundle.get_message(id).and_then(|m| m.value()) else {
            self.missing.borrow_mut().insert(id.to_string());
            return id.to_string();
        };
        let mut fluent_args = FluentArgs::new();
        for (name, value) in &self.terms {
            fluent_args.set(*name, FluentValue::from(value.as_str()));
        }
        for (name, value) in args {
            match value {
                Arg::Text(t) => fluent_args.set(*name, FluentValue::from(t.as_str())),
                Arg::Number(n) => fluent_args.set(*name, FluentValue::from(*n)),
            }
        }
        let mut errors = Vec::new();
        let text = self
            .bundle
            .format_pattern(pattern, Some(&fluent_args), &mut errors);
        if !errors.is_empty() {
            self.missing
                .borrow_mut()
                .insert(format!("{id} (does not format: {})", errors[0]));
        }
        text.into_owned()
    }

    /// The label of a policy item (`policy.ftl`): `{prefix}-{id}`.
    pub(super) fn label(&self, prefix: &str, id: &str) -> String {
        self.msg(&format!("{prefix}-{id}"), &[])
    }

    /// The short name of a legal basis, for "(contract, consent)".
    pub(super) fn basis_short(&self, version: &PolicyVersion, id: &str) -> String {
        let kind = version
            .legal_basis
            .iter()
            .find(|b| b.id.as_str() == id)
            .map(|b| b.kind);
        let key = match kind {
            Some(crate::model::LegalBasisKind::Consent) => "consent",
            Some(crate::model::LegalBasisKind::Contract) => "contract",
            Some(crate::model::LegalBasisKind::LegalObligation) => "legal-obligation",
            Some(crate::model::LegalBasisKind::VitalInterests) => "vital-interests",
            Some(crate::model::LegalBasisKind::PublicTask) => "public-task",
            Some(crate::model::LegalBasisKind::LegitimateInterest) | None => "legitimate-interest",
        };
        self.msg(&format!("st-basis-short-{key}"), &[])
    }

    /// A country by its ISO code.
    pub(super) fn country(&self, code: &str) -> String {
        self.msg(&format!("st-country-{}", code.to_ascii_lowercase()), &[])
    }

    /// An ISO 8601 period in words ("6 months", "10 jaar").
    pub(super) fn period(&self, iso: &str) -> String {
        let Ok(period) = crate::period::parse(iso) else {
            return iso.to_string();
        };
        if period.is_zero() {
            return self.msg("st-period-none", &[]);
        }
        let parts: Vec<String> = period
            .parts()
            .into_iter()
            .filter(|(_, n)| *n > 0)
            .map(|(unit, n)| {
                let id = match unit {
                    PeriodUnit::Years => "st-period-years",
                    PeriodUnit::Months => "st-period-months",
                    PeriodUnit::Weeks => "st-period-weeks",
                    PeriodUnit::Days => "st-period-days",
                };
                self.msg(id, &[("n", Arg::n(n))])
            })
            .collect();
        self.join(&parts)
    }

    /// A date (`2023-01-01`) in the locale's long form.
    pub(super) fn date(&self, iso: &str) -> String {
        let Ok(d) = iso.parse::<jiff::civil::Date>() else {
            return iso.to_string();
        };
        let month = self.msg(&format!("st-month-{}", d.month()), &[]);
        self.msg(
            "st-date",
            &[
                ("day", Arg::n(d.day() as u8)),
                ("month", Arg::s(month)),
                ("year", Arg::n(d.year() as u16)),
            ],
        )
    }

    /// A list in running text: "a, b and c".
    pub(super) fn join(&self, items: &[String]) -> String {
        match items {
            [] => String::new(),
            [one] => one.clone(),
            [init @ .., last] => self.msg(
                "st-list",
                &[
                    (
                        "init",
                        Arg::s(init.join(&self.msg("st-list-separator", &[]))),
                    ),
                    ("last", Arg::s(last)),
                ],
            ),
        }
    }

    /// The ids found missing since the last call, forgotten once returned.
    pub(super) fn take_missing(&self) -> BTreeSet<String> {
        std::mem::take(&mut *self.missing.borrow_mut())
    }

    /// Every message id asked for so far.
    pub(super) fn used(&self) -> BTreeSet<String> {
        self.used.borrow().clone()
    }

    /// An error naming every message that was missing.
    pub(super) fn finish(&self) -> Result<(), StatementError> {
        let missing = self.missing.borrow();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(StatementError::MissingMessages {
                locale: self.locale.tag.clone(),
                missing: missing.iter().cloned().collect(),
            })
        }
    }
}
