//! The checker: every rule a policy must satisfy, each reported with file, line and column.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use codespan_reporting::diagnostic::{Diagnostic, Label};
use jiff::civil::Date;

use crate::load::{FileId, Item, Policy, PolicyVersion};
use crate::model::*;
use crate::period::{self, Period};
use crate::report::{Code, Report};

/// ISO 3166-1 alpha-2 codes of the European Economic Area (EU 27, Iceland, Liechtenstein,
/// Norway): transfers inside it need no mechanism.
pub const EEA: [&str; 30] = [
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV",
    "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO",
];

/// Whether a country code is in the EEA.
pub fn in_eea(country: &str) -> bool {
    EEA.contains(&country)
}

/// Runs every check on a policy that was read without fatal errors.
pub fn check(policy: &Policy, report: &mut Report) {
    check_version_order(policy, report);
    for version in &policy.versions {
        VersionChecker::new(version, report).run();
    }
    check_messages(policy, report);
    crate::gate::check(policy, report);
}

fn error(code: Code, message: String) -> Diagnostic<FileId> {
    Diagnostic::error()
        .with_code(code.as_str())
        .with_message(message)
}

fn help(text: impl Into<String>) -> Vec<String> {
    vec![format!("help: {}", text.into())]
}

/// Versions must take effect in the order the manifest lists them.
fn check_version_order(policy: &Policy, report: &mut Report) {
    let mut previous: Option<(&str, Date)> = None;
    for version in &policy.versions {
        let Some(info) = &version.version else {
            continue;
        };
        if info.label.as_str() != version.label {
            report.push(
                error(
                    Code::InvalidId,
                    format!(
                        "version label `{}` differs from its directory `{}`",
                        info.label.as_str(),
                        version.label
                    ),
                )
                .with_labels(vec![Label::primary(info.file, info.label.span())])
                .with_notes(help(format!("set `label = \"{}\"`", version.label))),
            );
        }
        let Some(date) = parse_date(info.file, &info.effective, report) else {
            continue;
        };
        if let Some(updated) = &info.last_updated {
            parse_date(info.file, updated, report);
        }
        if let Some((prev_label, prev_date)) = previous
            && date <= prev_date
        {
            report.push(
                error(
                    Code::VersionOrder,
                    format!(
                        "version {} takes effect on {date}, not after version {prev_label} ({prev_date})",
                        version.label
                    ),
                )
                .with_labels(vec![
                    Label::primary(info.file, info.effective.span())
                        .with_message("must be later than the previous version's date"),
                ])
                .with_notes(help(
                    "versions are listed oldest first in policy.toml; fix the date or the order",
                )),
            );
        }
        previous = Some((version.label.as_str(), date));
    }
}

fn parse_date(file: FileId, text: &Text, report: &mut Report) -> Option<Date> {
    match text.as_str().parse::<Date>() {
        Ok(date) => Some(date),
        Err(_) => {
            report.push(
                error(
                    Code::InvalidDate,
                    format!("`{}` is not a date", text.as_str()),
                )
                .with_labels(vec![Label::primary(file, text.span())])
                .with_notes(help("write dates as YYYY-MM-DD, e.g. \"2023-05-18\"")),
            );
            None
        }
    }
}

/// The ids of one kind of item, with where each was declared.
type Index<'a> = HashMap<&'a str, (FileId, Span)>;

struct VersionChecker<'a, 'r> {
    v: &'a PolicyVersion,
    report: &'r mut Report,
    indexes: BTreeMap<&'static str, Index<'a>>,
}

/// What a reference may point at: its kind's name in messages and the TOML table that declares
/// it.
#[derive(Clone, Copy)]
struct Kind {
    noun: &'static str,
    table: &'static str,
}

const ENTITY: Kind = Kind {
    noun: "entity",
    table: "entity",
};
const SUBJECT: Kind = Kind {
    noun: "subject category",
    table: "subject_category",
};
const DATA: Kind = Kind {
    noun: "data category",
    table: "data_category",
};
const CHANNEL: Kind = Kind {
    noun: "channel",
    table: "channel",
};
const PRODUCT: Kind = Kind {
    noun: "product",
    table: "product",
};
const BASIS: Kind = Kind {
    noun: "legal basis",
    table: "legal_basis",
};
const SOURCE: Kind = Kind {
    noun: "source",
    table: "source",
};
const RECIPIENT: Kind = Kind {
    noun: "recipient category",
    table: "recipient_category",
};
const PROCESSOR: Kind = Kind {
    noun: "processor",
    table: "processor",
};
const RETENTION: Kind = Kind {
    noun: "retention rule",
    table: "retention",
};
const REQUEST_CHANNEL: Kind = Kind {
    noun: "request channel",
    table: "request_channel",
};
const COOKIE_CATEGORY: Kind = Kind {
    noun: "cookie category",
    table: "cookie_category",
};
const COOKIE: Kind = Kind {
    noun: "cookie",
    table: "cookie",
};
const CONTACT: Kind = Kind {
    noun: "contact point",
    table: "contact_point",
};
const MAILBOX_SUBJECT: Kind = Kind {
    noun: "mailbox subject",
    table: "mailbox_subject",
};
const POSTAL: Kind = Kind {
    noun: "postal address",
    table: "postal_address",
};
const CERTIFICATION: Kind = Kind {
    noun: "certification",
    table: "certification",
};

impl<'a, 'r> VersionChecker<'a, 'r> {
    fn new(v: &'a PolicyVersion, report: &'r mut Report) -> Self {
        Self {
            v,
            report,
            indexes: BTreeMap::new(),
        }
    }

    fn run(mut self) {
        self.required_sections();
        self.index_all();
        self.references();
        self.purposes();
        self.legal_bases();
        self.retention();
        self.products();
        self.shapes();
        self.processors();
        self.cookies();
        self.contacts();
        self.rights();
    }

    fn required_sections(&mut self) {
        let manifest = self.report.manifest().unwrap_or(0);
        let missing: Vec<&str> = [
            ("version", self.v.version.is_none()),
            ("organisation", self.v.organisation.is_none()),
        ]
        .into_iter()
        .filter_map(|(name, absent)| absent.then_some(name))
        .collect();
        for name in missing {
            let message = format!("version {} has no `[{name}]` table", self.v.label);
            self.report.push(
                error(Code::MissingSection, message)
                    .with_labels(vec![Label::primary(manifest, 0..0)])
                    .with_notes(help(format!(
                        "add a `[{name}]` table to one of the files in {}",
                        self.v.dir.display()
                    ))),
            );
        }
    }

    /// Builds the id index of every kind, reporting malformed and duplicate ids.
    fn index_all(&mut self) {
        fn ids<T>(items: &[Item<T>], id: impl Fn(&T) -> &Id) -> Vec<(FileId, &Id)> {
            items.iter().map(|i| (i.file, id(&i.value))).collect()
        }
        let v = self.v;
        let kinds: Vec<(Kind, Vec<(FileId, &Id)>)> = vec![
            (ENTITY, ids(&v.entity, |x| &x.id)),
            (
                Kind {
                    noun: "brand",
                    table: "brand",
                },
                ids(&v.brand, |x| &x.id),
            ),
            (SUBJECT, ids(&v.subject_category, |x| &x.id)),
            (DATA, ids(&v.data_category, |x| &x.id)),
            (CHANNEL, ids(&v.channel, |x| &x.id)),
            (PRODUCT, ids(&v.product, |x| &x.id)),
            (BASIS, ids(&v.legal_basis, |x| &x.id)),
            (
                Kind {
                    noun: "purpose",
                    table: "purpose",
                },
                ids(&v.purpose, |x| &x.id),
            ),
            (SOURCE, ids(&v.source, |x| &x.id)),
            (RECIPIENT, ids(&v.recipient_category, |x| &x.id)),
            (PROCESSOR, ids(&v.processor, |x| &x.id)),
            (
                Kind {
                    noun: "PSP",
                    table: "psp",
                },
                ids(&v.psp, |x| &x.id),
            ),
            (
                Kind {
                    noun: "payment method",
                    table: "payment_method",
                },
                ids(&v.payment_method, |x| &x.id),
            ),
            (RETENTION, ids(&v.retention, |x| &x.id)),
            (
                Kind {
                    noun: "right",
                    table: "right",
                },
                ids(&v.right, |x| &x.id),
            ),
            (REQUEST_CHANNEL, ids(&v.request_channel, |x| &x.id)),
            (COOKIE_CATEGORY, ids(&v.cookie_category, |x| &x.id)),
            (COOKIE, ids(&v.cookie, |x| &x.id)),
            (CONTACT, ids(&v.contact_point, |x| &x.id)),
            (MAILBOX_SUBJECT, ids(&v.mailbox_subject, |x| &x.id)),
            (POSTAL, ids(&v.postal_address, |x| &x.id)),
            (
                Kind {
                    noun: "local office",
                    table: "local_office",
                },
                ids(&v.local_office, |x| &x.id),
            ),
            (
                Kind {
                    noun: "jurisdiction",
                    table: "jurisdiction",
                },
                ids(&v.jurisdiction, |x| &x.id),
            ),
            (
                Kind {
                    noun: "security measure",
                    table: "security_measure",
                },
                ids(&v.security_measure, |x| &x.id),
            ),
            (CERTIFICATION, ids(&v.certification, |x| &x.id)),
        ];
        for (kind, items) in kinds {
            let mut index: Index<'a> = HashMap::new();
            for (file, id) in items {
                if !valid_id(id.as_str()) {
                    self.report.push(
                        error(
                            Code::InvalidId,
                            format!("`{}` is not a valid {} id", id.as_str(), kind.noun),
                        )
                        .with_labels(vec![Label::primary(file, id.span())])
                        .with_notes(help(format!(
                            "ids are lower-case words joined by hyphens, e.g. \"{}\"",
                            suggest_id(id.as_str())
                        ))),
                    );
                }
                if let Some((first_file, first_span)) = index.get(id.as_str()) {
                    self.report.push(
                        error(
                            Code::DuplicateId,
                            format!(
                                "{} `{}` is declared twice in version {}",
                                kind.noun,
                                id.as_str(),
                                self.v.label
                            ),
                        )
                        .with_labels(vec![
                            Label::primary(file, id.span()).with_message("declared again here"),
                            Label::secondary(*first_file, first_span.clone())
                                .with_message("first declared here"),
                        ])
                        .with_notes(help("give each item its own id, or remove the copy")),
                    );
                } else {
                    index.insert(id.as_str(), (file, id.span()));
                }
            }
            self.indexes.insert(kind.table, index);
        }
    }

    fn exists(&self, kind: Kind, id: &str) -> bool {
        self.indexes
            .get(kind.table)
            .is_some_and(|i| i.contains_key(id))
    }

    /// Reports `reference` if it names no item of `kind`; returns whether it resolved.
    fn resolve(
        &mut self,
        file: FileId,
        owner: &str,
        kind: Kind,
        reference: &Ref,
        code: Code,
    ) -> bool {
        if self.exists(kind, reference.as_str()) {
            return true;
        }
        let known: Vec<&str> = self
            .indexes
            .get(kind.table)
            .map(|i| {
                let mut ids: Vec<&str> = i.keys().copied().collect();
                ids.sort_unstable();
                ids
            })
            .unwrap_or_default();
        let hint = match closest(reference.as_str(), &known) {
            Some(near) => format!(
                "did you mean `{near}`? Otherwise declare it in a `[[{}]]` table",
                kind.table
            ),
            None if known.is_empty() => format!(
                "declare it in a `[[{}]]` table with `id = \"{}\"`",
                kind.table,
                reference.as_str()
            ),
            None => format!(
                "declare it in a `[[{}]]` table, or use one of: {}",
                kind.table,
                known.join(", ")
            ),
        };
        self.report.push(
            error(
                code,
                format!(
                    "{owner} refers to {} `{}`, which version {} does not declare",
                    kind.noun,
                    reference.as_str(),
                    self.v.label
                ),
            )
            .with_labels(vec![Label::primary(file, reference.span())])
            .with_notes(help(hint)),
        );
        false
    }

    fn resolve_all(&mut self, file: FileId, owner: &str, kind: Kind, refs: &[Ref]) {
        for r in refs {
            self.resolve(file, owner, kind, r, Code::UnknownReference);
        }
    }

    /// Every reference that has no rule of its own.
    fn references(&mut self) {
        let v = self.v;
        if let Some(org) = &v.organisation {
            self.resolve(
                org.file,
                "the organisation",
                ENTITY,
                &org.controller,
                Code::UnknownReference,
            );
            if let Some(dpo) = &org.dpo {
                self.resolve(
                    org.file,
                    "the organisation's DPO",
                    CONTACT,
                    dpo,
                    Code::UnknownReference,
                );
            }
        }
        for brand in &v.brand {
            let owner = format!("brand `{}`", brand.id.as_str());
            self.resolve(
                brand.file,
                &owner,
                ENTITY,
                &brand.entity,
                Code::UnknownReference,
            );
        }
        for category in &v.data_category {
            if let Some(parent) = &category.parent {
                let owner = format!("data category `{}`", category.id.as_str());
                self.resolve(category.file, &owner, DATA, parent, Code::UnknownReference);
            }
        }
        for purpose in &v.purpose {
            let owner = format!("purpose `{}`", purpose.id.as_str());
            let f = purpose.file;
            self.resolve_all(f, &owner, BASIS, &purpose.legal_bases);
            self.resolve_all(f, &owner, SUBJECT, &purpose.subjects);
            self.resolve_all(f, &owner, DATA, &purpose.categories);
            self.resolve_all(f, &owner, RECIPIENT, &purpose.recipients);
            self.resolve_all(f, &owner, PROCESSOR, &purpose.processors);
            self.resolve_all(f, &owner, SOURCE, &purpose.sources);
            self.resolve_all(f, &owner, RETENTION, &purpose.retention);
            if let Some(product) = &purpose.legitimate_interest_for {
                self.resolve(
                    f,
                    &format!("{owner}: `legitimate_interest_for`"),
                    PRODUCT,
                    product,
                    Code::UnknownReference,
                );
            }
        }
        for processor in &v.processor {
            let owner = format!("processor `{}`", processor.id.as_str());
            let f = processor.file;
            self.resolve(
                f,
                &owner,
                RECIPIENT,
                &processor.category,
                Code::UnknownReference,
            );
            self.resolve_all(f, &owner, DATA, &processor.data);
            self.resolve_all(f, &owner, CERTIFICATION, &processor.certifications);
        }
        for right in &v.right {
            let owner = format!("right `{}`", right.id.as_str());
            self.resolve_all(right.file, &owner, BASIS, &right.applies_to);
        }
        for channel in &v.request_channel {
            if let Some(contact) = &channel.contact {
                let owner = format!("request channel `{}`", channel.id.as_str());
                if !self.exists(POSTAL, contact.as_str()) {
                    self.resolve(
                        channel.file,
                        &owner,
                        CONTACT,
                        contact,
                        Code::UnknownReference,
                    );
                }
            }
        }
        if let Some(rights) = &v.rights {
            self.resolve_all(
                rights.file,
                "the `[rights]` table",
                REQUEST_CHANNEL,
                &rights.channels,
            );
        }
        if let Some(children) = &v.children
            && let Some(subject) = &children.report_subject
        {
            self.resolve(
                children.file,
                "the `[children]` table",
                MAILBOX_SUBJECT,
                subject,
                Code::UnknownReference,
            );
        }
        for subject in &v.mailbox_subject {
            let owner = format!("mailbox subject `{}`", subject.id.as_str());
            self.resolve(
                subject.file,
                &owner,
                CONTACT,
                &subject.contact,
                Code::UnknownReference,
            );
        }
        for contact in &v.contact_point {
            if let Some(postal) = &contact.postal {
                let owner = format!("contact point `{}`", contact.id.as_str());
                self.resolve(contact.file, &owner, POSTAL, postal, Code::UnknownReference);
            }
        }
        for address in &v.postal_address {
            let owner = format!("postal address `{}`", address.id.as_str());
            self.resolve(
                address.file,
                &owner,
                ENTITY,
                &address.entity,
                Code::UnknownReference,
            );
            self.country(address.file, &address.country);
        }
        for office in &v.local_office {
            self.country(office.file, &office.country);
        }
        for entity in &v.entity {
            if let Some(country) = &entity.country {
                self.country(entity.file, country);
            }
        }
        for psp in &v.psp {
            if let Some(country) = &psp.country {
                self.country(psp.file, country);
            }
        }
    }

    fn purposes(&mut self) {
        for purpose in &self.v.purpose {
            if purpose.legal_bases.is_empty() {
                self.report.push(
                    error(
                        Code::PurposeWithoutBasis,
                        format!("purpose `{}` has no legal basis", purpose.id.as_str()),
                    )
                    .with_labels(vec![Label::primary(purpose.file, purpose.id.span())])
                    .with_notes(help(
                        "every purpose needs at least one legal basis of GDPR Art. 6(1): \
                         add `legal_bases = [\"…\"]` naming a declared `[[legal_basis]]`",
                    )),
                );
            }
            let interest = purpose.legal_bases.iter().find(|b| {
                self.v.legal_basis.iter().any(|lb| {
                    lb.id.as_str() == b.as_str() && lb.kind == LegalBasisKind::LegitimateInterest
                })
            });
            let Some(interest) = interest else { continue };
            for category in &purpose.categories {
                if self.is_special(category.as_str()) {
                    self.report.push(
                        error(
                            Code::InterestOverSpecialCategories,
                            format!(
                                "purpose `{}` relies on legitimate interest `{}` for special category `{}`",
                                purpose.id.as_str(),
                                interest.as_str(),
                                category.as_str()
                            ),
                        )
                        .with_labels(vec![
                            Label::primary(purpose.file, category.span())
                                .with_message("a special category of personal data"),
                            Label::secondary(purpose.file, interest.span())
                                .with_message("legitimate interest"),
                        ])
                        .with_notes(help(
                            "special categories (GDPR Art. 9) cannot rest on legitimate interest: \
                             use explicit consent or another Art. 9(2) ground, or drop the category",
                        )),
                    );
                }
            }
        }
    }

    /// A category is special if it or any of its ancestors is.
    fn is_special(&self, id: &str) -> bool {
        let mut current = Some(id);
        let mut seen = BTreeSet::new();
        while let Some(cid) = current {
            if !seen.insert(cid) {
                return false;
            }
            let Some(category) = self.v.data_category.iter().find(|c| c.id.as_str() == cid) else {
                return false;
            };
            if category.special {
                return true;
            }
            current = category.parent.as_ref().map(|p| p.as_str());
        }
        false
    }

    fn legal_bases(&mut self) {
        for basis in &self.v.legal_basis {
            if basis.kind != LegalBasisKind::LegitimateInterest {
                continue;
            }
            match &basis.assessment {
                None => self.report.push(
                    error(
                        Code::InterestAssessment,
                        format!(
                            "legitimate interest `{}` has no legitimate-interest assessment",
                            basis.id.as_str()
                        ),
                    )
                    .with_labels(vec![Label::primary(basis.file, basis.id.span())])
                    .with_notes(help(
                        "add `assessment = { high_risk = false, special_categories = false, \
                         overrides_fundamental_rights = false }` once the assessment is made",
                    )),
                ),
                Some(a)
                    if a.high_risk || a.special_categories || a.overrides_fundamental_rights =>
                {
                    self.report.push(
                        error(
                            Code::InterestAssessment,
                            format!(
                                "the assessment of `{}` rules legitimate interest out",
                                basis.id.as_str()
                            ),
                        )
                        .with_labels(vec![Label::primary(basis.file, basis.id.span())])
                        .with_notes(help(
                            "processing that is high risk, touches special categories or overrides \
                             fundamental rights needs another legal basis",
                        )),
                    )
                }
                Some(a) => {
                    if let Some(date) = &a.assessed {
                        parse_date(basis.file, date, self.report);
                    }
                }
            }
        }
    }

    fn period(&mut self, file: FileId, text: &Text) -> Option<Period> {
        match period::parse(text.as_str()) {
            Ok(p) => Some(p),
            Err(reason) => {
                self.report.push(
                    error(
                        Code::InvalidPeriod,
                        format!("`{}` is not a period: {reason}", text.as_str()),
                    )
                    .with_labels(vec![Label::primary(file, text.span())])
                    .with_notes(help(
                        "write periods as ISO 8601 durations in years, months, weeks or days: \
                         \"P6M\", \"P10Y\", \"P30D\", \"P0D\"",
                    )),
                );
                None
            }
        }
    }

    fn retention(&mut self) {
        for rule in &self.v.retention {
            let owner = format!("retention rule `{}`", rule.id.as_str());
            for category in &rule.categories {
                self.resolve(
                    rule.file,
                    &owner,
                    DATA,
                    category,
                    Code::RetentionUnknownCategory,
                );
            }
            let Some(period_text) = &rule.period else {
                self.report.push(
                    error(Code::RetentionWithoutPeriod, format!("{owner} has no period"))
                        .with_labels(vec![Label::primary(rule.file, rule.id.span())])
                        .with_notes(help(
                            "add `period = \"P6M\"` (ISO 8601); for data kept until an event such as \
                             the end of the contract, set `basis = \"contract-end\"` and `period = \"P0D\"`",
                        )),
                );
                continue;
            };
            if rule.basis.is_none() {
                self.report.push(
                    error(
                        Code::RetentionWithoutPeriod,
                        format!("{owner} does not say what its period counts from"),
                    )
                    .with_labels(vec![Label::primary(rule.file, rule.id.span())])
                    .with_notes(help(
                        "add `basis = \"collection\"` (or last-interaction, contract-end, \
                             request-closed, consent-event, tracking-ends, cookie-lifespan)",
                    )),
                );
            }
            let Some(period) = self.period(rule.file, period_text) else {
                continue;
            };
            if let Some(max_text) = &rule.max_period
                && let Some(max) = self.period(rule.file, max_text)
                && max < period
            {
                self.report.push(
                    error(
                        Code::InvalidPeriod,
                        format!("{owner}: `max_period` {max} is shorter than `period` {period}"),
                    )
                    .with_labels(vec![Label::primary(rule.file, max_text.span())])
                    .with_notes(help(
                        "the longest period must be at least the default period",
                    )),
                );
            }
            let max = rule
                .max_period
                .as_ref()
                .and_then(|m| self.period(rule.file, m));
            for j in &rule.jurisdictions {
                for country in &j.countries {
                    self.country(rule.file, country);
                }
                let Some(longer) = self.period(rule.file, &j.period) else {
                    continue;
                };
                let problem = match max {
                    None => Some(format!(
                        "{owner} lists a jurisdiction period but no `max_period` bounding it"
                    )),
                    Some(max) if longer > max => Some(format!(
                        "{owner}: the period {longer} of a jurisdiction exceeds `max_period` {max}"
                    )),
                    _ if longer <= period => Some(format!(
                        "{owner}: the period {longer} of a jurisdiction is not longer than the rule's {period}"
                    )),
                    _ => None,
                };
                if let Some(message) = problem {
                    self.report.push(
                        error(Code::InvalidPeriod, message)
                            .with_labels(vec![Label::primary(rule.file, j.period.span())])
                            .with_notes(help(
                                "a jurisdiction may only lengthen the period, up to the rule's `max_period`",
                            )),
                    );
                }
            }
            if let Some(alternative) = &rule.existing_customers {
                self.period(rule.file, &alternative.period);
                if let Some(product) = &alternative.holders_of {
                    self.resolve(
                        rule.file,
                        &format!("{owner}: `existing_customers.holders_of`"),
                        PRODUCT,
                        product,
                        Code::UnknownReference,
                    );
                }
            }
            if let Some(setting) = &rule.customer_setting {
                let min = self.period(rule.file, &setting.min);
                let max = self.period(rule.file, &setting.max);
                if let (Some(min), Some(max)) = (min, max)
                    && min > max
                {
                    self.report.push(
                        error(
                            Code::InvalidPeriod,
                            format!(
                                "{owner}: customer setting minimum {min} exceeds maximum {max}"
                            ),
                        )
                        .with_labels(vec![Label::primary(rule.file, setting.min.span())])
                        .with_notes(help("swap the bounds")),
                    );
                }
            }
        }
    }

    fn products(&mut self) {
        for product in &self.v.product {
            let owner = format!("product `{}`", product.id.as_str());
            let f = product.file;
            for category in product.categories.iter().chain(&product.optional) {
                self.resolve(f, &owner, DATA, category, Code::ProductUndeclaredCategory);
            }
            self.resolve_all(f, &owner, SUBJECT, &product.subjects);
            self.resolve_all(f, &owner, PRODUCT, &product.combined_with);
            self.resolve_all(f, &owner, CHANNEL, &product.channels);
            if let Some(rule) = &product.retention {
                self.resolve(f, &owner, RETENTION, rule, Code::UnknownReference);
            }
        }
    }

    /// The value shapes of data categories and of products' payloads.
    fn shapes(&mut self) {
        let v = self.v;
        for category in &v.data_category {
            if let Some(shape) = &category.shape {
                let root = format!("data category `{}`", category.id.as_str());
                self.shape(category.file, &root, "", shape, false);
            }
        }
        let mut warned = BTreeSet::new();
        for product in &v.product {
            let f = product.file;
            let processed: Vec<&Ref> = product.categories.iter().chain(&product.optional).collect();
            for (category, shape) in &product.payload {
                if !processed.iter().any(|c| c.as_str() == category.as_str()) {
                    let list: Vec<&str> = processed.iter().map(|c| c.as_str()).collect();
                    self.report.push(
                        error(
                            Code::PayloadForOtherCategory,
                            format!(
                                "product `{}` shapes `{}`, which it does not process",
                                product.id.as_str(),
                                category.as_str()
                            ),
                        )
                        .with_labels(vec![Label::primary(f, category.span())])
                        .with_notes(help(if list.is_empty() {
                            "the product processes no data category; remove the shape".to_string()
                        } else {
                            format!(
                                "shape one of its categories ({}), or add `{}` to its \
                                 `categories` or `optional`",
                                list.join(", "),
                                category.as_str()
                            )
                        })),
                    );
                }
                let root = format!(
                    "`{}` in product `{}`",
                    category.as_str(),
                    product.id.as_str()
                );
                self.shape(f, &root, "", shape, false);
            }
            for category in processed {
                let id = category.as_str();
                if product.payload.contains_key(id) || warned.contains(id) {
                    continue;
                }
                let Some(declared) = v.data_category.iter().find(|c| c.id.as_str() == id) else {
                    continue;
                };
                if declared.shape.is_none() {
                    warned.insert(id);
                    self.report.push(
                        Diagnostic::warning()
                            .with_code(Code::CategoryWithoutShape.as_str())
                            .with_message(format!(
                                "product `{}` processes `{id}`, whose value has no shape; any \
                                 JSON value is accepted",
                                product.id.as_str()
                            ))
                            .with_labels(vec![
                                Label::primary(f, category.span()).with_message("processed here"),
                                Label::secondary(declared.file, declared.id.span())
                                    .with_message("declared without `value`"),
                            ])
                            .with_notes(help(format!(
                                "give data category `{id}` a `value`, e.g. \
                                 `value = {{ type = \"text\", max = 256 }}`, or shape it for \
                                 this product under `[product.payload]`"
                            ))),
                    );
                }
            }
        }
    }

    /// One value shape: its type, the options that type takes, its bounds, and what it holds.
    /// `root` names the category or product, `path` the field within it (empty at the top).
    fn shape(&mut self, file: FileId, root: &str, path: &str, shape: &ValueShape, in_object: bool) {
        use ValueType as T;
        let place = if path.is_empty() {
            format!("the value of {root}")
        } else {
            format!("field `{path}` of {root}")
        };
        let Some(kind) = shape.kind.kind() else {
            let names: Vec<&str> = ValueType::ALL.iter().map(|t| t.as_str()).collect();
            let written = shape.kind.as_str();
            let hint = match type_alias(written).or_else(|| closest(written, &names)) {
                Some(near) => format!("did you mean `{near}`? The types are: {}", names.join(", ")),
                None => format!("the types are: {}", names.join(", ")),
            };
            self.report.push(
                error(
                    Code::UnknownValueType,
                    format!("{place} has type `{written}`, which is not a type"),
                )
                .with_labels(vec![Label::primary(file, shape.kind.span())])
                .with_notes(help(hint)),
            );
            self.shape_children(file, root, path, shape);
            return;
        };
        let name = kind.as_str();
        let takes_bounds = matches!(kind, T::Text | T::Integer | T::Number | T::List);
        let mut misplaced: Vec<(&str, Span)> = Vec::new();
        if !takes_bounds {
            for (option, limit) in [("min", &shape.min), ("max", &shape.max)] {
                if let Some(limit) = limit {
                    misplaced.push((option, limit.span()));
                }
            }
        }
        if kind != T::Enum
            && let Some(first) = shape.values.first()
        {
            misplaced.push(("values", first.span()));
        }
        if kind != T::List
            && let Some(items) = &shape.items
        {
            misplaced.push(("items", items.kind.span()));
        }
        if kind != T::Object
            && let Some(first) = shape.fields.keys().next()
        {
            misplaced.push(("fields", first.span()));
        }
        if kind != T::OneOf
            && let Some(first) = shape.of.first()
        {
            misplaced.push(("of", first.kind.span()));
        }
        if shape.required && !in_object {
            misplaced.push(("required", shape.kind.span()));
        }
        for (option, span) in misplaced {
            let hint = if option == "required" {
                "`required` marks a field of an object; remove it here".to_string()
            } else {
                format!("remove it; {}", options_of(kind))
            };
            self.report.push(
                error(
                    Code::MisplacedShapeOption,
                    format!("{place}: `{option}` has no meaning for type `{name}`"),
                )
                .with_labels(vec![Label::primary(file, span)])
                .with_notes(help(hint)),
            );
        }
        let incomplete = match kind {
            T::Enum if shape.values.is_empty() => Some((
                format!("{place} is an enum without values"),
                "list the values allowed: `values = [\"inbound\", \"outbound\"]`",
            )),
            T::List if shape.items.is_none() => Some((
                format!("{place} is a list without `items`"),
                "say what every item is: `items = { type = \"text\", max = 256 }`",
            )),
            T::Object if shape.fields.is_empty() => Some((
                format!("{place} is an object without fields"),
                "declare its fields, e.g. `fields = { duration_s = { type = \"integer\", min = 0 } }`; \
                 unknown fields are refused, so an object without fields takes only `{}`",
            )),
            T::OneOf if shape.of.len() < 2 => Some((
                format!("{place} is a one-of with {} shape(s)", shape.of.len()),
                "list two or more shapes in `of`, or write the one shape directly",
            )),
            _ => None,
        };
        if let Some((message, hint)) = incomplete {
            self.report.push(
                error(Code::IncompleteShape, message)
                    .with_labels(vec![Label::primary(file, shape.kind.span())])
                    .with_notes(help(hint)),
            );
        }
        if takes_bounds {
            let whole = matches!(kind, T::Text | T::List | T::Integer);
            let count = matches!(kind, T::Text | T::List);
            for limit in [&shape.min, &shape.max].into_iter().flatten() {
                let x = limit.value();
                let problem = if !x.is_finite() || (whole && x.fract() != 0.0) {
                    Some((
                        format!("{place}: bound `{x}` is not a whole number"),
                        format!("bounds of `{name}` are whole numbers"),
                    ))
                } else if count && x < 0.0 {
                    Some((
                        format!("{place}: bound `{x}` is negative"),
                        format!(
                            "bounds of `{name}` count {}, from 0 up",
                            if kind == T::Text {
                                "characters"
                            } else {
                                "items"
                            }
                        ),
                    ))
                } else {
                    None
                };
                if let Some((message, hint)) = problem {
                    self.report.push(
                        error(Code::InvalidBounds, message)
                            .with_labels(vec![Label::primary(file, limit.span())])
                            .with_notes(help(hint)),
                    );
                }
            }
            if let (Some(min), Some(max)) = (&shape.min, &shape.max)
                && min.value() > max.value()
            {
                self.report.push(
                    error(
                        Code::InvalidBounds,
                        format!(
                            "{place}: `min` {} is greater than `max` {}",
                            min.value(),
                            max.value()
                        ),
                    )
                    .with_labels(vec![
                        Label::primary(file, min.span()).with_message("the smallest"),
                        Label::secondary(file, max.span()).with_message("the largest"),
                    ])
                    .with_notes(help("swap the bounds")),
                );
            }
        }
        if kind == T::Enum {
            for (i, value) in shape.values.iter().enumerate() {
                if shape.values[..i]
                    .iter()
                    .any(|v| v.as_str() == value.as_str())
                {
                    self.report.push(
                        error(
                            Code::AmbiguousShape,
                            format!("{place}: `{}` is listed twice", value.as_str()),
                        )
                        .with_labels(vec![Label::primary(file, value.span())])
                        .with_notes(help("list each value once")),
                    );
                }
            }
        }
        if kind == T::OneOf {
            let mut seen: Vec<(&str, &str)> = Vec::new();
            for alternative in &shape.of {
                let Some(alt) = alternative.kind.kind() else {
                    continue;
                };
                let Some(json) = alt.json_kind() else {
                    self.report.push(
                        error(
                            Code::AmbiguousShape,
                            format!("{place}: a one-of inside a one-of"),
                        )
                        .with_labels(vec![Label::primary(file, alternative.kind.span())])
                        .with_notes(help("list its shapes in the outer `of`")),
                    );
                    continue;
                };
                if let Some((_, other)) = seen.iter().find(|(j, _)| *j == json) {
                    self.report.push(
                        error(
                            Code::AmbiguousShape,
                            format!(
                                "{place}: `{other}` and `{}` both take a JSON {json}, so a value \
                                 cannot pick its shape",
                                alt.as_str()
                            ),
                        )
                        .with_labels(vec![Label::primary(file, alternative.kind.span())])
                        .with_notes(help(
                            "keep one shape per kind of JSON value (string, number, boolean, \
                             list, object)",
                        )),
                    );
                } else {
                    seen.push((json, alt.as_str()));
                }
            }
        }
        self.shape_children(file, root, path, shape);
    }

    /// The shapes inside a shape: list items, object fields, one-of alternatives.
    fn shape_children(&mut self, file: FileId, root: &str, path: &str, shape: &ValueShape) {
        if let Some(items) = &shape.items {
            self.shape(file, root, &format!("{path}[]"), items, false);
        }
        for (name, field) in &shape.fields {
            if !valid_field_name(name.as_str()) {
                self.report.push(
                    error(
                        Code::InvalidFieldName,
                        format!("`{}` is not a valid field name", name.as_str()),
                    )
                    .with_labels(vec![Label::primary(file, name.span())])
                    .with_notes(help(
                        "field names are lower-case words joined by underscores, e.g. \
                         \"duration_s\"",
                    )),
                );
            }
            let sub = if path.is_empty() {
                name.as_str().to_string()
            } else {
                format!("{path}.{}", name.as_str())
            };
            self.shape(file, root, &sub, field, true);
        }
        for alternative in &shape.of {
            self.shape(file, root, path, alternative, false);
        }
    }

    fn country(&mut self, file: FileId, country: &Text) -> bool {
        let code = country.as_str();
        let valid = code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase());
        if !valid {
            self.report.push(
                error(
                    Code::InvalidCountry,
                    format!("`{code}` is not a country code"),
                )
                .with_labels(vec![Label::primary(file, country.span())])
                .with_notes(help(
                    "use the ISO 3166-1 alpha-2 code in capitals: \"NL\", \"US\", \"GB\"",
                )),
            );
        }
        valid
    }

    fn processors(&mut self) {
        for processor in &self.v.processor {
            if !self.country(processor.file, &processor.country) {
                continue;
            }
            let country = processor.country.as_str();
            if !in_eea(country) && processor.transfer.is_none() {
                self.report.push(
                    error(
                        Code::TransferWithoutMechanism,
                        format!(
                            "processor `{}` is in {country}, outside the EEA, with no transfer mechanism",
                            processor.id.as_str()
                        ),
                    )
                    .with_labels(vec![Label::primary(processor.file, processor.country.span())
                        .with_message("outside the EEA")])
                    .with_notes(help(
                        "add `transfer = \"scc\"` (or adequacy, bcr, dpf) naming the safeguard in place; \
                         personal data may not leave the EEA without one",
                    )),
                );
            }
        }
    }

    fn cookies(&mut self) {
        if let Some(banner) = &self.v.cookie_banner {
            let f = banner.file;
            self.period(f, &banner.value.consent_lifetime);
            self.period(f, &banner.value.refusal_lifetime);
            self.resolve(
                f,
                "`[cookie_banner]`",
                COOKIE,
                &banner.value.cookie,
                Code::UnknownReference,
            );
        }
        for cookie in &self.v.cookie {
            let f = cookie.file;
            let id = cookie.id.as_str();
            match &cookie.category {
                Some(category) => {
                    let owner = format!("cookie `{id}`");
                    self.resolve(
                        f,
                        &owner,
                        COOKIE_CATEGORY,
                        category,
                        Code::CookieWithoutCategory,
                    );
                }
                None => self.report.push(
                    error(
                        Code::CookieWithoutCategory,
                        format!("cookie `{id}` has no category"),
                    )
                    .with_labels(vec![Label::primary(f, cookie.id.span())])
                    .with_notes(help(
                        "add `category = \"…\"`; a cookie not yet classified goes in the \
                             category whose consent is `blocked`",
                    )),
                ),
            }
            if cookie
                .provider
                .as_deref()
                .is_none_or(|p| p.trim().is_empty())
            {
                self.report.push(
                    error(
                        Code::CookieWithoutProvider,
                        format!("cookie `{id}` has no provider"),
                    )
                    .with_labels(vec![Label::primary(f, cookie.id.span())])
                    .with_notes(help(
                        "add `provider = \"…\"`: the company or tool that sets it",
                    )),
                );
            }
            match &cookie.lifespan {
                None => self.report.push(
                    error(
                        Code::CookieWithoutLifespan,
                        format!("cookie `{id}` has no lifespan"),
                    )
                    .with_labels(vec![Label::primary(f, cookie.id.span())])
                    .with_notes(help(
                        "add `lifespan = \"session\"`, `\"while-tracked\"` or an ISO 8601 \
                             duration such as \"P13M\"",
                    )),
                ),
                Some(l) if l.as_str() == "session" || l.as_str() == "while-tracked" => {}
                Some(l) => {
                    self.period(f, l);
                }
            }
            if let Some(hosted) = &cookie.hosted_in {
                self.country(f, hosted);
            }
        }
    }

    fn contacts(&mut self) {
        for contact in &self.v.contact_point {
            let has_address = contact
                .email
                .as_deref()
                .is_some_and(|e| !e.trim().is_empty())
                || contact.postal.is_some()
                || contact.url.as_deref().is_some_and(|u| !u.trim().is_empty())
                || contact.personal;
            if !has_address {
                self.report.push(
                    error(
                        Code::ContactWithoutAddress,
                        format!("contact point `{}` has no address", contact.id.as_str()),
                    )
                    .with_labels(vec![Label::primary(contact.file, contact.id.span())])
                    .with_notes(help(
                        "add `email = \"…\"`, `postal = \"<postal address id>\"` or `url = \"…\"`: \
                         people must be able to reach it",
                    )),
                );
            } else if let Some(email) = &contact.email
                && !email.contains('@')
            {
                self.report.push(
                    error(
                        Code::ContactWithoutAddress,
                        format!(
                            "contact point `{}` has `{email}` as e-mail address",
                            contact.id.as_str()
                        ),
                    )
                    .with_labels(vec![Label::primary(contact.file, contact.id.span())])
                    .with_notes(help(
                        "write the address in full, e.g. \"privacy@example.com\"",
                    )),
                );
            }
        }
    }

    fn rights(&mut self) {
        let Some(rights) = &self.v.rights else { return };
        let law_deadline = Period::months(1);
        let law_extended = Period::months(3);
        let deadline = match &rights.deadline {
            Some(text) => self.period(rights.file, text).map(|p| (p, text)),
            None => None,
        };
        if let Some((p, text)) = &deadline
            && *p > law_deadline
        {
            self.report.push(
                error(
                    Code::DeadlineTooLong,
                    format!("the rights deadline {p} is longer than the one month GDPR Art. 12(3) allows"),
                )
                .with_labels(vec![Label::primary(rights.file, text.span())])
                .with_notes(help("set `deadline = \"P1M\"` or shorter")),
            );
        }
        if let Some(text) = &rights.extended_deadline
            && let Some(p) = self.period(rights.file, text)
        {
            if p > law_extended {
                self.report.push(
                    error(
                        Code::DeadlineTooLong,
                        format!(
                            "the extended deadline {p} is longer than the three months from receipt \
                             GDPR Art. 12(3) allows"
                        ),
                    )
                    .with_labels(vec![Label::primary(rights.file, text.span())])
                    .with_notes(help("set `extended_deadline` to \"P3M\" or shorter")),
                );
            }
            if let Some((d, _)) = &deadline
                && p < *d
            {
                self.report.push(
                    error(
                        Code::InvalidPeriod,
                        format!("the extended deadline {p} is shorter than the deadline {d}"),
                    )
                    .with_labels(vec![Label::primary(rights.file, text.span())])
                    .with_notes(help(
                        "the extended deadline counts from receipt, like the deadline",
                    )),
                );
            }
        }
    }
}

/// Whether an id is lower-case words joined by hyphens.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.starts_with(|c: char| c.is_ascii_lowercase())
        && !id.ends_with('-')
        && !id.contains("--")
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Whether a field name is lower-case words joined by underscores (`duration_s`).
pub fn valid_field_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && !name.ends_with('_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// The type people often mean by a name from another schema language.
fn type_alias(written: &str) -> Option<&'static str> {
    Some(match written.to_ascii_lowercase().as_str() {
        "string" | "str" => "text",
        "int" | "integer" | "long" => "integer",
        "float" | "double" | "decimal" | "number" => "number",
        "bool" | "boolean" => "boolean",
        "array" | "vec" | "list" => "list",
        "map" | "table" | "record" | "struct" => "object",
        "datetime" | "date-time" | "instant" => "timestamp",
        "phone-number" | "tel" | "msisdn" => "phone",
        "e-mail" | "mail" | "email" => "email",
        "uri" | "link" | "url" => "url",
        "ip-address" | "ipv4" | "ipv6" => "ip",
        "oneof" | "one_of" | "any-of" | "anyof" | "union" => "one-of",
        "recording" | "file" | "attachment" => "media",
        _ => return None,
    })
}

/// What a type takes, for help notes.
fn options_of(kind: ValueType) -> &'static str {
    match kind {
        ValueType::Text => "`text` takes `min` and `max` (its length in characters)",
        ValueType::Integer | ValueType::Number => "numbers take `min` and `max`",
        ValueType::Enum => "`enum` takes `values`",
        ValueType::List => "`list` takes `items`, `min` and `max` (its number of items)",
        ValueType::Object => "`object` takes `fields`",
        ValueType::OneOf => "`one-of` takes `of`",
        ValueType::Phone
        | ValueType::Email
        | ValueType::Ip
        | ValueType::Url
        | ValueType::Timestamp
        | ValueType::Date
        | ValueType::Boolean
        | ValueType::Media => "this type takes no option",
    }
}

fn suggest_id(id: &str) -> String {
    let mut out = String::new();
    for c in id.trim().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let trimmed = out.trim_matches('-');
    if trimmed.is_empty() || !trimmed.starts_with(|c: char| c.is_ascii_lowercase()) {
        "sms-voice".to_string()
    } else {
        trimmed.to_string()
    }
}

/// The known id closest to `word`, if it is close enough to be a typo.
fn closest<'k>(word: &str, known: &[&'k str]) -> Option<&'k str> {
    known
        .iter()
        .map(|k| (levenshtein(word, k), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(row[j]).min(row[j + 1])
            };
            prev = current;
        }
    }
    row[b.len()]
}

/// The message id that names or describes each item, per kind.
pub fn required_messages(version: &PolicyVersion) -> Vec<(String, FileId, Span)> {
    fn each<T>(
        out: &mut Vec<(String, FileId, Span)>,
        prefix: &str,
        items: &[Item<T>],
        id: impl Fn(&T) -> &Id,
    ) {
        for item in items {
            let id = id(&item.value);
            out.push((format!("{prefix}-{}", id.as_str()), item.file, id.span()));
        }
    }
    let v = version;
    let mut out = Vec::new();
    each(&mut out, "subject", &v.subject_category, |x| &x.id);
    each(&mut out, "data", &v.data_category, |x| &x.id);
    each(&mut out, "product", &v.product, |x| &x.id);
    each(&mut out, "basis", &v.legal_basis, |x| &x.id);
    each(&mut out, "purpose", &v.purpose, |x| &x.id);
    each(&mut out, "source", &v.source, |x| &x.id);
    each(&mut out, "recipient", &v.recipient_category, |x| &x.id);
    each(&mut out, "processor", &v.processor, |x| &x.id);
    each(&mut out, "retention", &v.retention, |x| &x.id);
    each(&mut out, "right", &v.right, |x| &x.id);
    each(&mut out, "request-channel", &v.request_channel, |x| &x.id);
    each(&mut out, "cookie-category", &v.cookie_category, |x| &x.id);
    each(&mut out, "cookie", &v.cookie, |x| &x.id);
    each(&mut out, "contact", &v.contact_point, |x| &x.id);
    each(&mut out, "jurisdiction", &v.jurisdiction, |x| &x.id);
    each(&mut out, "measure", &v.security_measure, |x| &x.id);
    // A purpose that may rest on consent asks for it in words of its own.
    let consent_bases: Vec<&str> = v
        .legal_basis
        .iter()
        .filter(|b| b.kind == crate::model::LegalBasisKind::Consent)
        .map(|b| b.id.as_str())
        .collect();
    for purpose in &v.purpose {
        if purpose
            .legal_bases
            .iter()
            .any(|b| consent_bases.contains(&b.as_str()))
        {
            out.push((
                format!("consent-{}", purpose.id.as_str()),
                purpose.file,
                purpose.id.span(),
            ));
        }
    }
    if let Some(banner) = &v.cookie_banner {
        for key in BANNER_MESSAGES {
            out.push((format!("banner-{key}"), banner.file, 0..0));
        }
        for category in &v.cookie_category {
            out.push((
                format!("banner-name-{}", category.id.as_str()),
                category.file,
                category.id.span(),
            ));
        }
    }
    for method in &v.payment_method {
        for field in &method.saved_fields {
            out.push((
                format!("payment-field-{}", field.as_str()),
                method.file,
                field.span(),
            ));
        }
    }
    for jurisdiction in &v.jurisdiction {
        for (term, own) in &jurisdiction.terms {
            for t in [term, own] {
                out.push((
                    format!("term-{t}"),
                    jurisdiction.file,
                    jurisdiction.id.span(),
                ));
            }
        }
    }
    out
}

/// The messages of the cookie banner (each `banner-<key>`), beside a name per category.
pub const BANNER_MESSAGES: [&str; 32] = [
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
    "party-first",
    "party-third",
    "party-both",
    "lifespan-session",
    "lifespan-while-tracked",
    "lifespan-days",
    "lifespan-months",
    "lifespan-years",
];

/// Every message the versions need exists in every locale; every message of a locale exists in
/// the source locale.
fn check_messages(policy: &Policy, report: &mut Report) {
    let mut needed: BTreeMap<String, (FileId, Span, String)> = BTreeMap::new();
    for version in &policy.versions {
        for (id, file, span) in required_messages(version) {
            needed
                .entry(id)
                .or_insert((file, span, version.label.clone()));
        }
    }
    for locale in &policy.locales {
        let mut missing: Vec<(&String, &(FileId, Span, String))> = needed
            .iter()
            .filter(|(id, _)| !locale.messages.contains_key(*id))
            .collect();
        missing.sort_by_key(|(_, (file, span, _))| (*file, span.start));
        for (id, (file, span, label)) in missing {
            report.push(
                error(
                    Code::MissingMessage,
                    format!("locale `{}` has no message `{id}`", locale.tag),
                )
                .with_labels(vec![
                    Label::primary(*file, span.clone())
                        .with_message(format!("needed by this item of version {label}")),
                ])
                .with_notes(help(format!(
                    "add `{id} = …` to a file in {}",
                    policy.dir.join("locales").join(&locale.tag).display()
                ))),
            );
        }
    }
    // The sentences of the statement, in every version and jurisdiction, once the policy has
    // a statement at all (its source locale has `st-` messages).
    let has_statement = policy
        .source_locale()
        .is_some_and(|l| l.messages.keys().any(|id| id.starts_with("st-")));
    let mut sentences = if has_statement {
        crate::statement::message_ids(policy)
    } else {
        Default::default()
    };
    // The record of processing activities' headings, whatever the source locale has.
    if let Some(source) = policy.source_locale() {
        sentences.extend(
            source
                .messages
                .keys()
                .filter(|id| id.starts_with("ropa-"))
                .cloned(),
        );
    }
    if let Some(source) = policy.source_locale() {
        for locale in &policy.locales {
            for id in sentences.iter().filter(|id| {
                ["st-", "mail-", "ropa-"].iter().any(|p| id.starts_with(p))
                    && !locale.messages.contains_key(*id)
            }) {
                let (what, file) = if id.starts_with("mail-") {
                    ("the e-mail notices need", "notices.ftl")
                } else if id.starts_with("ropa-") {
                    ("the record of processing activities needs", "ropa.ftl")
                } else {
                    ("the privacy statement needs", "statement.ftl")
                };
                let mut diagnostic = error(
                    Code::MissingMessage,
                    format!(
                        "locale `{}` has no message `{id}`, which {what}",
                        locale.tag
                    ),
                )
                .with_notes(help(format!(
                    "add `{id} = …` to {}",
                    policy
                        .dir
                        .join("locales")
                        .join(&locale.tag)
                        .join(file)
                        .display()
                )));
                if let Some(m) = source.messages.get(id) {
                    diagnostic = diagnostic.with_labels(vec![
                        Label::primary(m.file, m.span.clone()).with_message("the source sentence"),
                    ]);
                }
                report.push(diagnostic);
            }
        }
    }
    let Some(source) = policy.source_locale() else {
        return;
    };
    for locale in policy.locales.iter().skip(1) {
        for (id, message) in &locale.messages {
            if !source.messages.contains_key(id) {
                report.push(
                    Diagnostic::warning()
                        .with_code(Code::UnusedMessage.as_str())
                        .with_message(format!(
                            "message `{id}` of locale `{}` is not in the source locale `{}`",
                            locale.tag, source.tag
                        ))
                        .with_labels(vec![Label::primary(message.file, message.span.clone())])
                        .with_notes(help("remove it, or add it to the source locale first")),
                );
            }
        }
    }
}
