//! The privacy statement, composed from a policy version and the messages of one locale.
//!
//! Every number, period, name, address and list comes from the policy; the sentences come
//! from the locale's Fluent messages (`statement.ftl`, ids `st-…`, with the item labels of
//! `policy.ftl`). Headings are numbered here, so the numbering is always consecutive, and a
//! list introduced by a count ("these five categories") is counted from the list itself.

pub mod banner;
pub mod mail;
mod render;
mod words;

use std::collections::BTreeSet;

use crate::load::{Policy, PolicyVersion};
use crate::model::{
    AdmissibilityTest, CaseKind, ChangeNotice, ChannelAudience, CookieConsent, CookieParty,
    LegalBasisKind, RecipientRole, RetentionBasis, Role, TransferMechanism,
};
pub use render::{Format, render, render_html_body};
use words::{Arg, Words};

/// The legal regime a statement is written for: its vocabulary and its extra sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Jurisdiction {
    /// The EU General Data Protection Regulation (the default).
    #[default]
    Gdpr,
    /// Singapore's Personal Data Protection Act.
    Pdpa,
    /// The California Consumer Privacy Act.
    Ccpa,
}

impl Jurisdiction {
    /// Every jurisdiction, the default first.
    pub const ALL: [Jurisdiction; 3] = [Self::Gdpr, Self::Pdpa, Self::Ccpa];

    /// Its id in the policy and on the command line.
    pub fn id(self) -> &'static str {
        match self {
            Self::Gdpr => "gdpr",
            Self::Pdpa => "pdpa",
            Self::Ccpa => "ccpa",
        }
    }
}

impl std::str::FromStr for Jurisdiction {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|j| j.id() == s)
            .ok_or_else(|| format!("`{s}` is not a jurisdiction; use gdpr, pdpa or ccpa"))
    }
}

/// A composed statement, ready to render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// The locale tag.
    pub lang: String,
    /// The title.
    pub title: String,
    /// Lines under the title: version, dates.
    pub lede: Vec<String>,
    /// The numbered sections.
    pub sections: Vec<Section>,
}

/// A numbered section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// Its anchor (stable across locales).
    pub id: String,
    /// Its heading, without number.
    pub heading: String,
    /// Its content.
    pub blocks: Vec<Block>,
}

/// A piece of a section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A paragraph.
    Para(String),
    /// A bulleted list.
    List(Vec<String>),
    /// A table with a header row.
    Table {
        /// Column headings.
        head: Vec<String>,
        /// Rows of cells.
        rows: Vec<Vec<String>>,
    },
    /// A subsection (numbered under its section).
    Sub(Section),
}

/// Why a statement could not be composed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StatementError {
    /// The locale is not one of the policy's.
    #[error("`{0}` is not a locale of this policy; the locales are: {1}")]
    UnknownLocale(String, String),
    /// Messages the statement needs are missing from the locale.
    #[error("locale `{locale}` lacks {} message(s) the statement needs: {}", missing.len(), missing.join(", "))]
    MissingMessages {
        /// The locale.
        locale: String,
        /// The ids.
        missing: Vec<String>,
    },
    /// The version does not define the jurisdiction asked for.
    #[error(
        "version {version} does not define the jurisdiction `{jurisdiction}`; its statement has only the GDPR view"
    )]
    NoJurisdiction {
        /// The version label.
        version: String,
        /// The jurisdiction.
        jurisdiction: &'static str,
    },
    /// The version lacks a table the statement cannot do without.
    #[error("version {version} has no `[{table}]` table")]
    Incomplete {
        /// The version label.
        version: String,
        /// The table.
        table: &'static str,
    },
}

/// Composes the statement of `version` in `lang` for `jurisdiction`.
pub fn compose(
    policy: &Policy,
    version: &PolicyVersion,
    lang: &str,
    jurisdiction: Jurisdiction,
) -> Result<Document, StatementError> {
    let locale = policy.locale(lang).ok_or_else(|| {
        let known: Vec<&str> = policy.locales.iter().map(|l| l.tag.as_str()).collect();
        StatementError::UnknownLocale(lang.to_string(), known.join(", "))
    })?;
    if jurisdiction != Jurisdiction::Gdpr
        && !version
            .jurisdiction
            .iter()
            .any(|j| j.id.as_str() == jurisdiction.id())
    {
        return Err(StatementError::NoJurisdiction {
            version: version.label.clone(),
            jurisdiction: jurisdiction.id(),
        });
    }
    let w = Words::new(locale, version, jurisdiction);
    let doc = Composer {
        v: version,
        w: &w,
        j: jurisdiction,
    }
    .compose()?;
    w.finish()?;
    Ok(doc)
}

/// The brand of a version's controller (MessageBird), else the controller's legal name.
pub(crate) fn brand_of(v: &PolicyVersion) -> String {
    let controller = v.organisation.as_ref().map(|o| o.controller.as_str());
    v.brand
        .iter()
        .find(|b| Some(b.entity.as_str()) == controller)
        .map(|b| b.name.clone())
        .or_else(|| {
            v.entity
                .iter()
                .find(|e| Some(e.id.as_str()) == controller)
                .map(|e| e.name.clone())
        })
        .unwrap_or_default()
}

struct Composer<'a> {
    v: &'a PolicyVersion,
    w: &'a Words<'a>,
    j: Jurisdiction,
}

/// A section under construction.
struct S {
    id: &'static str,
    heading: String,
    blocks: Vec<Block>,
}

impl S {
    fn new(id: &'static str, heading: String) -> Self {
        Self {
            id,
            heading,
            blocks: Vec::new(),
        }
    }
    fn para(&mut self, text: String) -> &mut Self {
        if !text.is_empty() {
            self.blocks.push(Block::Para(text));
        }
        self
    }
    fn list(&mut self, items: Vec<String>) -> &mut Self {
        if !items.is_empty() {
            self.blocks.push(Block::List(items));
        }
        self
    }
    fn table(&mut self, head: Vec<String>, rows: Vec<Vec<String>>) -> &mut Self {
        if !rows.is_empty() {
            self.blocks.push(Block::Table { head, rows });
        }
        self
    }
    fn sub(&mut self, sub: S) -> &mut Self {
        self.blocks.push(Block::Sub(sub.done()));
        self
    }
    fn done(self) -> Section {
        Section {
            id: self.id.to_string(),
            heading: self.heading,
            blocks: self.blocks,
        }
    }
}

impl Composer<'_> {
    fn compose(&self) -> Result<Document, StatementError> {
        let w = self.w;
        let info = self.v.version.as_ref().ok_or(StatementError::Incomplete {
            version: self.v.label.clone(),
            table: "version",
        })?;
        let mut lede = vec![w.msg(
            "st-version-line",
            &[
                ("version", Arg::s(&self.v.label)),
                ("effective", Arg::s(w.date(info.effective.as_str()))),
            ],
        )];
        if let Some(updated) = &info.last_updated {
            lede.push(w.msg(
                "st-last-updated",
                &[("date", Arg::s(w.date(updated.as_str())))],
            ));
        }
        lede.push(w.msg("st-keep-a-copy", &[]));
        let mut sections = vec![
            self.who(),
            self.roles(),
            self.bases(),
            self.purposes(),
            self.data(),
            self.sources(),
            self.sharing(),
            self.transfers(),
            self.security(),
            self.retention(),
            self.rights(),
            self.cookies(),
        ];
        if let Some(children) = self.children() {
            sections.push(children);
        }
        sections.push(self.links());
        match self.j {
            Jurisdiction::Gdpr => {}
            Jurisdiction::Pdpa => sections.push(self.pdpa()),
            Jurisdiction::Ccpa => sections.push(self.ccpa()),
        }
        sections.push(self.changes());
        if let Some(disputes) = self.disputes() {
            sections.push(disputes);
        }
        if !self.v.processor.is_empty() {
            sections.push(self.subprocessors());
        }
        sections.push(self.contact());
        Ok(Document {
            lang: w.lang().to_string(),
            title: w.msg("st-title", &[("brand", Arg::s(self.brand_name()))]),
            lede,
            sections: sections.into_iter().map(S::done).collect(),
        })
    }

    /// The brand of the controller (MessageBird), else its legal name.
    fn brand_name(&self) -> String {
        brand_of(self.v)
    }

    fn controller_name(&self) -> String {
        self.v
            .organisation
            .as_ref()
            .and_then(|o| {
                self.v
                    .entity
                    .iter()
                    .find(|e| e.id.as_str() == o.controller.as_str())
            })
            .map(|e| e.name.clone())
            .unwrap_or_default()
    }

    fn who(&self) -> S {
        let w = self.w;
        let mut s = S::new("who-we-are", w.msg("st-who-heading", &[]));
        let controller = self.controller_name();
        let hq = self
            .v
            .postal_address
            .iter()
            .find(|a| {
                self.v
                    .organisation
                    .as_ref()
                    .is_some_and(|o| a.entity.as_str() == o.controller.as_str())
            })
            .map(|a| {
                [
                    a.street.clone(),
                    format!("{} {}", a.postcode, a.city),
                    w.country(a.country.as_str()),
                ]
                .join(&w.msg("st-address-separator", &[]))
            });
        s.para(w.msg(
            "st-who-intro",
            &[
                ("controller", Arg::s(&controller)),
                ("address", Arg::s(hq.unwrap_or_default())),
            ],
        ));
        let affiliates: Vec<String> = self
            .v
            .entity
            .iter()
            .filter(|e| matches!(e.kind, crate::model::EntityKind::Affiliate))
            .map(|e| e.name.clone())
            .collect();
        if !affiliates.is_empty() {
            let percent = self
                .v
                .organisation
                .as_ref()
                .and_then(|o| o.affiliate_control_percent)
                .unwrap_or(50);
            s.para(w.msg(
                "st-who-affiliates",
                &[
                    ("affiliates", Arg::s(w.join(&affiliates))),
                    ("percent", Arg::n(percent)),
                ],
            ));
        }
        let brands: Vec<String> = self.v.brand.iter().map(|b| b.name.clone()).collect();
        if brands.len() > 1 {
            s.para(w.msg("st-who-brands", &[("brands", Arg::s(w.join(&brands)))]));
        }
        s.para(w.msg("st-who-scope", &[]));
        s.list(
            self.v
                .subject_category
                .iter()
                .map(|c| w.label("subject", c.id.as_str()))
                .collect(),
        );
        s.para(w.msg("st-who-equal", &[]));
        s
    }

    fn roles(&self) -> S {
        let w = self.w;
        let mut s = S::new("roles", w.msg("st-roles-heading", &[]));
        s.para(w.msg("st-roles-controller", &[]));
        s.para(w.msg("st-roles-processor", &[]));
        let processed: Vec<String> = self
            .v
            .product
            .iter()
            .filter(|p| p.role == Role::Processor && !p.categories.is_empty())
            .map(|p| p.name.clone())
            .collect();
        if !processed.is_empty() {
            s.para(w.msg("st-roles-processor-products", &[]));
            s.list(processed);
        }
        s
    }

    fn bases(&self) -> S {
        let w = self.w;
        let mut s = S::new("legal-bases", w.msg("st-bases-heading", &[]));
        s.para(w.msg("st-bases-intro", &[]));
        s.list(
            self.v
                .legal_basis
                .iter()
                .filter(|b| b.listed)
                .map(|b| w.label("basis", b.id.as_str()))
                .collect(),
        );
        if self
            .v
            .legal_basis
            .iter()
            .any(|b| b.kind == LegalBasisKind::LegitimateInterest && b.assessment.is_some())
        {
            s.para(w.msg("st-bases-balancing", &[]));
        }
        s
    }

    fn purposes(&self) -> S {
        let w = self.w;
        let mut s = S::new("purposes", w.msg("st-purposes-heading", &[]));
        s.para(w.msg("st-purposes-intro", &[]));
        s.list(
            self.v
                .purpose
                .iter()
                .map(|p| {
                    let bases: Vec<String> = p
                        .legal_bases
                        .iter()
                        .map(|b| w.basis_short(self.v, b.as_str()))
                        .collect();
                    w.msg(
                        "st-purpose-item",
                        &[
                            ("purpose", Arg::s(w.label("purpose", p.id.as_str()))),
                            ("bases", Arg::s(w.join(&bases))),
                        ],
                    )
                })
                .collect(),
        );
        s
    }

    fn data(&self) -> S {
        let w = self.w;
        let mut s = S::new("data", w.msg("st-data-heading", &[]));
        s.para(w.msg("st-data-intro", &[]));
        // Categories not held by a product: about customers, leads and visitors.
        let product_data: BTreeSet<&str> = self
            .v
            .product
            .iter()
            .flat_map(|p| p.categories.iter().chain(&p.optional))
            .map(|c| c.as_str())
            .collect();
        let tops: Vec<_> = self
            .v
            .data_category
            .iter()
            .filter(|c| c.parent.is_none() && !product_data.contains(c.id.as_str()))
            .collect();
        let items: Vec<String> = tops
            .iter()
            .map(|top| {
                let children: Vec<String> = self
                    .v
                    .data_category
                    .iter()
                    .filter(|c| {
                        c.parent
                            .as_ref()
                            .is_some_and(|p| p.as_str() == top.id.as_str())
                    })
                    .map(|c| w.label("data", c.id.as_str()))
                    .collect();
                let name = w.label("data", top.id.as_str());
                if children.is_empty() {
                    name
                } else {
                    w.msg(
                        "st-data-with-parts",
                        &[
                            ("category", Arg::s(name)),
                            ("parts", Arg::s(w.join(&children))),
                        ],
                    )
                }
            })
            .collect();
        let mut customers = S::new("data-customers", w.msg("st-data-customers-heading", &[]));
        customers.list(items);
        s.sub(customers);

        let mut end_users = S::new("data-end-users", w.msg("st-data-end-users-heading", &[]));
        end_users.para(w.msg("st-data-end-users-intro", &[]));
        let rows: Vec<Vec<String>> = self
            .v
            .product
            .iter()
            .filter(|p| !p.categories.is_empty() && p.role == Role::Processor)
            .map(|p| {
                let held: Vec<String> = p
                    .categories
                    .iter()
                    .map(|c| w.label("data", c.as_str()))
                    .collect();
                let optional: Vec<String> = p
                    .optional
                    .iter()
                    .map(|c| w.label("data", c.as_str()))
                    .collect();
                let mut cell = w.join(&held);
                if !optional.is_empty() {
                    cell = w.msg(
                        "st-data-optional",
                        &[
                            ("held", Arg::s(cell)),
                            ("optional", Arg::s(w.join(&optional))),
                        ],
                    );
                }
                vec![p.name.clone(), cell]
            })
            .collect();
        end_users.table(
            vec![
                w.msg("st-col-product", &[]),
                w.msg("st-col-end-user-data", &[]),
            ],
            rows,
        );
        let defined: Vec<String> = ["traffic-data", "location-data"]
            .into_iter()
            .filter(|id| self.v.data_category.iter().any(|c| c.id.as_str() == *id))
            .map(|id| w.msg(&format!("st-define-{id}"), &[]))
            .collect();
        end_users.list(defined);
        s.sub(end_users);
        s
    }

    fn sources(&self) -> S {
        let w = self.w;
        let mut s = S::new("sources", w.msg("st-sources-heading", &[]));
        s.para(w.msg("st-sources-intro", &[]));
        s.list(
            self.v
                .source
                .iter()
                .map(|src| {
                    let label = w.label("source", src.id.as_str());
                    if src.providers.is_empty() {
                        label
                    } else {
                        w.msg(
                            "st-source-with-providers",
                            &[
                                ("source", Arg::s(label)),
                                ("providers", Arg::s(w.join(&src.providers))),
                            ],
                        )
                    }
                })
                .collect(),
        );
        s
    }

    fn sharing(&self) -> S {
        let w = self.w;
        let mut s = S::new("sharing", w.msg("st-sharing-heading", &[]));
        let listed: Vec<_> = self
            .v
            .recipient_category
            .iter()
            .filter(|r| r.listed)
            .collect();
        if !listed.is_empty() {
            s.para(w.msg("st-sharing-intro", &[("count", Arg::from(listed.len()))]));
        }
        s.list(
            listed
                .iter()
                .map(|r| w.label("recipient", r.id.as_str()))
                .collect(),
        );
        if !self.v.psp.is_empty() {
            let names: Vec<String> = self.v.psp.iter().map(|p| p.name.clone()).collect();
            s.para(w.msg("st-sharing-psps", &[("psps", Arg::s(w.join(&names)))]));
        }
        if self
            .v
            .recipient_category
            .iter()
            .any(|r| r.role == RecipientRole::Affiliate)
        {
            s.para(w.msg("st-sharing-affiliates", &[]));
        }
        if let Some(c) = &self.v.commitments
            && c.no_sale
        {
            s.para(w.msg("st-sharing-no-sale", &[]));
        }
        let mut gov = S::new("government-requests", w.msg("st-gov-heading", &[]));
        gov.para(w.msg("st-gov-intro", &[]));
        if let Some(d) = &self.v.disclosure {
            if !d.admissibility.is_empty() {
                gov.para(w.msg(
                    "st-gov-tests",
                    &[("count", Arg::from(d.admissibility.len()))],
                ));
                gov.list(
                    d.admissibility
                        .iter()
                        .map(|t| {
                            let id = match t {
                                AdmissibilityTest::GovernmentAuthority => "authority",
                                AdmissibilityTest::Jurisdiction => "jurisdiction",
                                AdmissibilityTest::EnforceableInstrument => "instrument",
                                AdmissibilityTest::CategoriesAndPeriod => "scope",
                                AdmissibilityTest::LegalObligation => "obligation",
                            };
                            w.msg(&format!("st-gov-test-{id}"), &[])
                        })
                        .collect(),
                );
            }
            if d.notify_customer {
                gov.para(w.msg("st-gov-notify", &[]));
            }
            if d.gag_requires_legal_ground {
                gov.para(w.msg("st-gov-gag", &[]));
            }
            if d.push_back {
                gov.para(w.msg("st-gov-push-back", &[]));
            }
        }
        s.sub(gov);
        s
    }

    fn transfers(&self) -> S {
        let w = self.w;
        let mut s = S::new("transfers", w.msg("st-transfers-heading", &[]));
        s.para(w.msg("st-transfers-intro", &[]));
        let mechanisms: BTreeSet<&'static str> = self
            .v
            .processor
            .iter()
            .filter_map(|p| p.transfer)
            .map(TransferMechanism::id)
            .collect();
        s.list(
            mechanisms
                .into_iter()
                .map(|m| w.msg(&format!("st-transfer-{m}"), &[]))
                .collect(),
        );
        if self
            .v
            .processor
            .iter()
            .any(|p| p.transfer_impact_assessment)
        {
            s.para(w.msg("st-transfers-assessment", &[]));
        }
        s
    }

    fn security(&self) -> S {
        let w = self.w;
        let mut s = S::new("security", w.msg("st-security-heading", &[]));
        s.para(w.msg("st-security-intro", &[]));
        s.list(
            self.v
                .security_measure
                .iter()
                .map(|m| w.label("measure", m.id.as_str()))
                .collect(),
        );
        let certifications: Vec<String> = self
            .v
            .certification
            .iter()
            .map(|c| c.name.clone())
            .collect();
        if !certifications.is_empty() {
            s.para(w.msg(
                "st-security-certifications",
                &[("certifications", Arg::s(w.join(&certifications)))],
            ));
        }
        if let Some(m) = self.mailbox(CaseKind::CredentialCompromise) {
            s.para(w.msg(
                "st-security-report",
                &[("email", Arg::s(m.0)), ("subject", Arg::s(m.1))],
            ));
        }
        s
    }

    /// The address and the (always English, verbatim) subject line of a mailbox case.
    fn mailbox(&self, case: CaseKind) -> Option<(String, String)> {
        let m = self.v.mailbox_subject.iter().find(|m| m.case == case)?;
        let email = self
            .v
            .contact_point
            .iter()
            .find(|c| c.id.as_str() == m.contact.as_str())?
            .email
            .clone()?;
        Some((email, m.subject.clone()))
    }

    fn retention(&self) -> S {
        let w = self.w;
        let mut s = S::new("retention", w.msg("st-retention-heading", &[]));
        s.para(w.msg("st-retention-intro", &[]));
        let rows = self
            .v
            .retention
            .iter()
            .map(|r| {
                let period = r
                    .period
                    .as_ref()
                    .map(|p| w.period(p.as_str()))
                    .unwrap_or_default();
                let from = r
                    .basis
                    .map(|b| w.msg(&format!("st-from-{}", basis_id(b)), &[]));
                let mut how = match (period.is_empty(), from) {
                    (false, Some(from)) => w.msg(
                        "st-retention-period-from",
                        &[("period", Arg::s(&period)), ("from", Arg::s(from))],
                    ),
                    (_, Some(from)) => from,
                    (false, None) => period.clone(),
                    (true, None) => String::new(),
                };
                if r.period.as_ref().is_some_and(|p| p.as_str() == "P0D")
                    && let Some(b) = r.basis
                {
                    how = w.msg(&format!("st-until-{}", basis_id(b)), &[]);
                }
                let mut notes = Vec::new();
                if let Some(max) = &r.max_period {
                    notes.push(w.msg(
                        "st-retention-max",
                        &[("max", Arg::s(w.period(max.as_str())))],
                    ));
                }
                if let Some(c) = &r.customer_setting {
                    notes.push(w.msg(
                        "st-retention-customer-setting",
                        &[
                            ("min", Arg::s(w.period(c.min.as_str()))),
                            ("max", Arg::s(w.period(c.max.as_str()))),
                        ],
                    ));
                }
                if r.existing_customers.is_some() {
                    notes.push(w.msg("st-retention-existing-customers", &[]));
                }
                if !r.ends_on.is_empty() {
                    notes.push(w.msg("st-retention-ends-early", &[]));
                }
                if !notes.is_empty() {
                    notes.insert(0, how);
                    how = notes.join(&w.msg("st-sentence-separator", &[]));
                }
                vec![w.label("retention", r.id.as_str()), how]
            })
            .collect();
        s.table(
            vec![w.msg("st-col-data", &[]), w.msg("st-col-kept", &[])],
            rows,
        );
        s.para(w.msg("st-retention-after", &[]));
        s
    }

    fn rights(&self) -> S {
        let w = self.w;
        let mut s = S::new("rights", w.msg("st-rights-heading", &[]));
        s.para(w.msg("st-rights-intro", &[]));
        s.list(
            self.v
                .right
                .iter()
                .map(|r| w.label("right", r.id.as_str()))
                .collect(),
        );
        let mut how = S::new("rights-how", w.msg("st-rights-how-heading", &[]));
        let dashboards: Vec<String> = self
            .v
            .brand
            .iter()
            .filter(|b| b.privacy_dashboard)
            .map(|b| b.name.clone())
            .collect();
        for channel in self.v.request_channel.iter().filter(|c| c.accepted) {
            let contact = channel.contact.as_ref().map(|c| c.as_str());
            let address = contact.and_then(|c| {
                self.v
                    .contact_point
                    .iter()
                    .find(|p| p.id.as_str() == c)
                    .and_then(|p| p.email.clone())
                    .or_else(|| {
                        self.v
                            .postal_address
                            .iter()
                            .find(|a| a.id.as_str() == c)
                            .map(|a| self.postal(a))
                    })
            });
            let audience = match channel.audience {
                ChannelAudience::AccountHolders => "account-holders",
                _ => "others",
            };
            how.para(w.msg(
                &format!("st-rights-channel-{audience}"),
                &[
                    (
                        "channel",
                        Arg::s(w.label("request-channel", channel.id.as_str())),
                    ),
                    ("address", Arg::s(address.unwrap_or_default())),
                    ("brands", Arg::s(w.join(&dashboards))),
                ],
            ));
        }
        if let Some(r) = &self.v.rights {
            if let Some(d) = &r.deadline {
                how.para(w.msg(
                    "st-rights-deadline",
                    &[("deadline", Arg::s(w.period(d.as_str())))],
                ));
            }
            if let Some(e) = &r.extended_deadline {
                how.para(w.msg(
                    "st-rights-extension",
                    &[("extended", Arg::s(w.period(e.as_str())))],
                ));
            }
            match &r.fee {
                Some(fee) => how.para(w.msg(
                    "st-rights-fee",
                    &[("amount", Arg::s(format!("{} {}", fee.currency, fee.max)))],
                )),
                None => how.para(w.msg("st-rights-free", &[])),
            };
        }
        how.para(w.msg("st-rights-verify", &[]));
        s.sub(how);
        match self
            .v
            .organisation
            .as_ref()
            .and_then(|o| o.lead_authority.clone())
        {
            Some(authority) => {
                s.para(w.msg("st-rights-complaint", &[("authority", Arg::s(authority))]))
            }
            None => s.para(w.msg("st-rights-complaint-any", &[])),
        };
        s
    }

    fn postal(&self, a: &crate::model::PostalAddress) -> String {
        let entity = self
            .v
            .entity
            .iter()
            .find(|e| e.id.as_str() == a.entity.as_str())
            .map(|e| e.name.clone())
            .unwrap_or_default();
        let mut parts = vec![entity];
        if let Some(att) = &a.attention {
            parts.push(self.w.msg("st-attention", &[("department", Arg::s(att))]));
        }
        parts.push(a.street.clone());
        parts.push(format!("{} {}", a.postcode, a.city));
        parts.push(self.w.country(a.country.as_str()));
        parts.join(&self.w.msg("st-address-separator", &[]))
    }

    fn cookies(&self) -> S {
        let w = self.w;
        let mut s = S::new("cookies", w.msg("st-cookies-heading", &[]));
        s.para(w.msg("st-cookies-intro", &[]));
        s.list(
            self.v
                .cookie_category
                .iter()
                .map(|c| {
                    let consent = match c.consent {
                        CookieConsent::AlwaysOn => "always-on",
                        CookieConsent::OptIn => "opt-in",
                        CookieConsent::OptOut => "opt-out",
                        CookieConsent::Blocked => "blocked",
                    };
                    w.msg(
                        "st-cookie-category",
                        &[
                            (
                                "category",
                                Arg::s(w.label("cookie-category", c.id.as_str())),
                            ),
                            (
                                "consent",
                                Arg::s(w.msg(&format!("st-consent-{consent}"), &[])),
                            ),
                        ],
                    )
                })
                .collect(),
        );
        let rows: Vec<Vec<String>> = self
            .v
            .cookie
            .iter()
            .map(|c| {
                let party = match c.party {
                    CookieParty::First => "first",
                    CookieParty::Third => "third",
                    CookieParty::Both => "both",
                };
                let lifespan = match c.lifespan.as_ref().map(|l| l.as_str()) {
                    Some("session") => w.msg("st-lifespan-session", &[]),
                    Some("while-tracked") => w.msg("st-lifespan-while-tracked", &[]),
                    Some(p) => w.period(p),
                    None => String::new(),
                };
                let category = c
                    .category
                    .as_ref()
                    .map(|k| w.msg(&format!("st-cookie-category-name-{}", k.as_str()), &[]))
                    .unwrap_or_default();
                vec![
                    c.name.clone(),
                    c.provider.clone().unwrap_or_default(),
                    category,
                    w.msg(&format!("st-party-{party}"), &[]),
                    lifespan,
                    w.label("cookie", c.id.as_str()),
                ]
            })
            .collect();
        if !rows.is_empty() {
            s.para(w.msg("st-cookies-inventory", &[]));
            s.table(
                vec![
                    w.msg("st-col-cookie", &[]),
                    w.msg("st-col-provider", &[]),
                    w.msg("st-col-category", &[]),
                    w.msg("st-col-party", &[]),
                    w.msg("st-col-lifespan", &[]),
                    w.msg("st-col-purpose", &[]),
                ],
                rows,
            );
        }
        s.para(w.msg("st-cookies-choices", &[]));
        s.list(
            ["chrome", "firefox", "safari", "edge"]
                .into_iter()
                .map(|b| w.msg(&format!("st-browser-{b}"), &[]))
                .collect(),
        );
        s
    }

    fn children(&self) -> Option<S> {
        let w = self.w;
        let c = self.v.children.as_ref()?;
        let mut s = S::new("children", w.msg("st-children-heading", &[]));
        s.para(w.msg("st-children-age", &[("age", Arg::n(c.minimum_age))]));
        if let Some((email, subject)) = self.mailbox(CaseKind::Children) {
            s.para(w.msg(
                "st-children-report",
                &[("email", Arg::s(email)), ("subject", Arg::s(subject))],
            ));
        }
        Some(s)
    }

    fn links(&self) -> S {
        let w = self.w;
        let mut s = S::new("links", w.msg("st-links-heading", &[]));
        s.para(w.msg("st-links-body", &[]));
        s
    }

    fn pdpa(&self) -> S {
        let w = self.w;
        let mut s = S::new("pdpa", w.msg("st-pdpa-heading", &[]));
        s.para(w.msg("st-pdpa-body", &[]));
        s.list(self.term_map("pdpa"));
        s
    }

    fn ccpa(&self) -> S {
        let w = self.w;
        let mut s = S::new("ccpa", w.msg("st-ccpa-heading", &[]));
        s.para(w.msg("st-ccpa-body", &[]));
        s.list(self.term_map("ccpa"));
        s.para(w.msg("st-ccpa-categories", &[]));
        let tops: Vec<String> = self
            .v
            .data_category
            .iter()
            .filter(|c| c.parent.is_none())
            .map(|c| w.label("data", c.id.as_str()))
            .collect();
        s.list(tops);
        let c = self.v.commitments.as_ref();
        if c.is_some_and(|c| c.no_sale) {
            s.para(w.msg("st-ccpa-no-sale", &[]));
        }
        if c.is_some_and(|c| c.ccpa_non_discrimination) {
            s.para(w.msg("st-ccpa-non-discrimination", &[]));
        }
        s
    }

    /// "data subject means individual" lines of a jurisdiction.
    fn term_map(&self, id: &str) -> Vec<String> {
        let w = self.w;
        self.v
            .jurisdiction
            .iter()
            .find(|j| j.id.as_str() == id)
            .map(|j| {
                j.terms
                    .iter()
                    .map(|(ours, theirs)| {
                        w.msg(
                            "st-term-means",
                            &[
                                ("ours", Arg::s(w.label("term", ours))),
                                ("theirs", Arg::s(w.label("term", theirs))),
                            ],
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    fn changes(&self) -> S {
        let w = self.w;
        let mut s = S::new("changes", w.msg("st-changes-heading", &[]));
        let c = self.v.commitments.as_ref();
        let how = match c.and_then(|c| c.change_notice) {
            Some(ChangeNotice::Email) => "email",
            Some(ChangeNotice::WherePossible) => "where-possible",
            Some(ChangeNotice::Publication) | None => "publication",
        };
        s.para(w.msg(&format!("st-changes-{how}"), &[]));
        if let Some(days) = c.and_then(|c| c.notice_period_days) {
            s.para(w.msg("st-changes-notice-period", &[("days", Arg::n(days))]));
        }
        s.para(w.msg("st-changes-versions", &[]));
        s
    }

    fn disputes(&self) -> Option<S> {
        let w = self.w;
        let (email, subject) = self.mailbox(CaseKind::Dispute)?;
        let mut s = S::new("disputes", w.msg("st-disputes-heading", &[]));
        s.para(w.msg(
            "st-disputes-body",
            &[("email", Arg::s(email)), ("subject", Arg::s(subject))],
        ));
        Some(s)
    }

    fn subprocessors(&self) -> S {
        let w = self.w;
        let mut s = S::new("subprocessors", w.msg("st-subprocessors-heading", &[]));
        s.para(w.msg("st-subprocessors-intro", &[]));
        let rows = self
            .v
            .processor
            .iter()
            .map(|p| {
                vec![
                    p.name.clone(),
                    w.label("processor", p.id.as_str()),
                    w.country(p.country.as_str()),
                    p.transfer
                        .map(|m| w.msg(&format!("st-transfer-short-{}", m.id()), &[]))
                        .unwrap_or_else(|| w.msg("st-transfer-none", &[])),
                ]
            })
            .collect();
        s.table(
            vec![
                w.msg("st-col-name", &[]),
                w.msg("st-col-service", &[]),
                w.msg("st-col-country", &[]),
                w.msg("st-col-transfer", &[]),
            ],
            rows,
        );
        s.para(w.msg("st-subprocessors-subscribe", &[]));
        s
    }

    fn contact(&self) -> S {
        let w = self.w;
        let mut s = S::new("contact", w.msg("st-contact-heading", &[]));
        s.para(w.msg("st-contact-intro", &[]));
        s.list(
            self.v
                .contact_point
                .iter()
                .map(|c| {
                    let label = w.label("contact", c.id.as_str());
                    match &c.email {
                        Some(email) => w.msg(
                            "st-contact-item",
                            &[("contact", Arg::s(label)), ("email", Arg::s(email))],
                        ),
                        None => label,
                    }
                })
                .collect(),
        );
        for a in &self.v.postal_address {
            s.para(w.msg("st-contact-post", &[("address", Arg::s(self.postal(a)))]));
        }
        let offices: Vec<String> = self
            .v
            .local_office
            .iter()
            .map(|o| w.country(o.country.as_str()))
            .collect();
        if !offices.is_empty() {
            s.para(w.msg(
                "st-contact-local",
                &[("countries", Arg::s(w.join(&offices)))],
            ));
        }
        // Offices whose street address the policy publishes: one line each.
        let addresses: Vec<String> = self
            .v
            .local_office
            .iter()
            .filter(|o| !o.address.is_empty())
            .map(|o| {
                format!(
                    "{}: {}",
                    w.country(o.country.as_str()),
                    o.address.join(", ")
                )
            })
            .collect();
        if !addresses.is_empty() {
            s.list(addresses);
        }
        s
    }
}

fn basis_id(b: RetentionBasis) -> &'static str {
    match b {
        RetentionBasis::Collection => "collection",
        RetentionBasis::LastInteraction => "last-interaction",
        RetentionBasis::ContractEnd => "contract-end",
        RetentionBasis::RequestClosed => "request-closed",
        RetentionBasis::ConsentEvent => "consent-event",
        RetentionBasis::TrackingEnds => "tracking-ends",
        RetentionBasis::CookieLifespan => "cookie-lifespan",
    }
}

/// Every message id the statement may use, for the completeness check of every locale.
pub fn message_ids(policy: &Policy) -> BTreeSet<String> {
    let source = policy.source_locale();
    let mut ids = BTreeSet::new();
    for version in &policy.versions {
        for j in Jurisdiction::ALL {
            if let Some(locale) = source {
                let w = Words::new(locale, version, j);
                let _ = (Composer {
                    v: version,
                    w: &w,
                    j,
                })
                .compose();
                ids.extend(w.used());
            }
        }
    }
    ids.extend(mail::message_ids(policy));
    ids
}

/// One section of a composed statement as a document of its own (the cookie notice, the
/// disclosure-request policy, the security overview, the contact addresses), found at any
/// depth by its anchor.
pub fn excerpt(doc: &Document, section: &str) -> Option<Document> {
    fn find<'a>(s: &'a Section, id: &str) -> Option<&'a Section> {
        if s.id == id {
            return Some(s);
        }
        s.blocks.iter().find_map(|b| match b {
            Block::Sub(sub) => find(sub, id),
            _ => None,
        })
    }
    let found = doc.sections.iter().find_map(|s| find(s, section))?;
    Some(Document {
        lang: doc.lang.clone(),
        title: format!("{} · {}", found.heading, doc.title),
        lede: doc.lede.iter().take(1).cloned().collect(),
        sections: vec![found.clone()],
    })
}

/// Pieces of the statement's wording in one locale, for other documents (the ROPA). Parses the
/// locale's messages once; every piece is `None` when the locale lacks its messages.
pub struct Phrases<'a> {
    words: Words<'a>,
}

impl<'a> Phrases<'a> {
    /// The phrases of `locale`.
    pub fn new(locale: &'a crate::load::Locale) -> Self {
        Self {
            words: Words::new(locale, &PolicyVersion::default(), Jurisdiction::Gdpr),
        }
    }

    /// The message `id` with text arguments.
    pub fn message(&self, id: &str, args: &[(&str, &str)]) -> Option<String> {
        let args: Vec<(&str, Arg)> = args.iter().map(|(k, v)| (*k, Arg::s(v))).collect();
        let text = self.words.msg(id, &args);
        self.words.take_missing().is_empty().then_some(text)
    }

    /// An ISO 8601 period in words ("6 maanden").
    pub fn period(&self, iso: &str) -> Option<String> {
        let text = self.words.period(iso);
        self.words.take_missing().is_empty().then_some(text)
    }
}
