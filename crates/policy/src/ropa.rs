//! The record of processing activities (GDPR Art. 30(1)), built from one policy version.

use std::fmt::Write as _;

use serde::Serialize;

use crate::check::in_eea;
use crate::load::{Locale, PolicyVersion};
use crate::model::{LegalBasisKind, TransferMechanism};
use crate::{period, statement};

/// One processing activity: one purpose of the policy.
#[derive(Debug, Clone, Serialize)]
pub struct Activity {
    /// The purpose id.
    pub id: String,
    /// The purpose, in the chosen locale.
    pub purpose: String,
    /// Legal bases, with their GDPR article.
    pub legal_bases: Vec<String>,
    /// Categories of data subjects.
    pub data_subjects: Vec<String>,
    /// Categories of personal data.
    pub data_categories: Vec<String>,
    /// Categories of recipients.
    pub recipients: Vec<String>,
    /// Named processors.
    pub processors: Vec<String>,
    /// Transfers outside the EEA and their safeguards.
    pub transfers: Vec<String>,
    /// Retention periods.
    pub retention: Vec<String>,
    /// Sources of the data.
    pub sources: Vec<String>,
}

/// The whole record.
#[derive(Debug, Clone, Serialize)]
pub struct Ropa {
    /// The policy version it describes.
    pub version: String,
    /// The locale of its wording.
    pub locale: String,
    /// The controller.
    pub controller: String,
    /// The controller's postal address.
    pub controller_address: String,
    /// How to reach the data protection officer.
    pub dpo: String,
    /// Technical and organisational security measures (Art. 32), with certifications.
    pub security_measures: Vec<String>,
    /// Every processing activity.
    pub activities: Vec<Activity>,
    /// The headings of the Markdown form, in the locale.
    #[serde(skip)]
    pub headings: Headings,
}

/// The headings of the record in one locale (English where the locale lacks them).
#[derive(Debug, Clone)]
pub struct Headings {
    title: String,
    controller: String,
    address: String,
    dpo: String,
    version: String,
    security: String,
    activity: String,
    rows: [String; 8],
}

impl Default for Headings {
    fn default() -> Self {
        Self::new(None)
    }
}

impl Headings {
    fn new(locale: Option<&Locale>) -> Self {
        let t = |id: &str, english: &str| {
            locale
                .and_then(|l| l.text(id))
                .unwrap_or(english)
                .to_string()
        };
        Self {
            title: t(
                "ropa-title",
                "Record of processing activities (GDPR Article 30)",
            ),
            controller: t("ropa-controller", "Controller"),
            address: t("ropa-address", "Address"),
            dpo: t("ropa-dpo", "Data protection officer"),
            version: t("ropa-version", "Policy version"),
            security: t("ropa-security", "Security measures (Article 32)"),
            activity: t("ropa-activity", "Activity"),
            rows: [
                t("ropa-legal-bases", "Legal bases"),
                t("ropa-data-subjects", "Data subjects"),
                t("ropa-personal-data", "Personal data"),
                t("ropa-recipients", "Recipients"),
                t("ropa-processors", "Processors"),
                t("ropa-transfers", "Transfers outside the EEA"),
                t("ropa-retention", "Retention"),
                t("ropa-sources", "Sources"),
            ],
        }
    }
}

/// The point of GDPR Art. 6(1) a legal basis rests on.
fn point(kind: LegalBasisKind) -> &'static str {
    match kind {
        LegalBasisKind::Consent => "a",
        LegalBasisKind::Contract => "b",
        LegalBasisKind::LegalObligation => "c",
        LegalBasisKind::VitalInterests => "d",
        LegalBasisKind::PublicTask => "e",
        LegalBasisKind::LegitimateInterest => "f",
    }
}

fn mechanism(m: TransferMechanism) -> &'static str {
    match m {
        TransferMechanism::Adequacy => "adequacy decision",
        TransferMechanism::Scc => "standard contractual clauses",
        TransferMechanism::Bcr => "binding corporate rules",
        TransferMechanism::Dpf => "EU-US Data Privacy Framework",
    }
}

/// Builds the record of `version`, worded in `locale` (ids stand in for missing messages).
pub fn build(version: &PolicyVersion, locale: Option<&Locale>) -> Ropa {
    let text = |prefix: &str, id: &str| -> String {
        locale
            .and_then(|l| l.text(&format!("{prefix}-{id}")))
            .map(str::to_string)
            .unwrap_or_else(|| id.to_string())
    };
    // Countries, safeguards and periods in the locale's words where its statement has them.
    let phrases = locale.map(statement::Phrases::new);
    let country = |code: &str| -> String {
        locale
            .and_then(|l| l.text(&format!("st-country-{}", code.to_ascii_lowercase())))
            .map(str::to_string)
            .unwrap_or_else(|| code.to_string())
    };
    let article = |kind: LegalBasisKind| -> String {
        let point = point(kind);
        phrases
            .as_ref()
            .and_then(|p| p.message("ropa-article", &[("point", point)]))
            .unwrap_or_else(|| format!("Art. 6(1)({point})"))
    };
    let safeguard = |m: TransferMechanism| -> String {
        locale
            .and_then(|l| l.text(&format!("st-transfer-short-{}", m.id())))
            .map(str::to_string)
            .unwrap_or_else(|| mechanism(m).to_string())
    };
    let v = version;
    let controller_id = v
        .organisation
        .as_ref()
        .map(|o| o.controller.as_str().to_string());
    let controller = controller_id
        .as_deref()
        .and_then(|id| v.entity.iter().find(|e| e.id.as_str() == id))
        .map(|e| e.name.clone())
        .unwrap_or_default();
    let controller_address = controller_id
        .as_deref()
        .and_then(|id| v.postal_address.iter().find(|a| a.entity.as_str() == id))
        .map(|a| {
            let mut parts = vec![controller.clone()];
            if let Some(att) = &a.attention {
                parts.push(
                    phrases
                        .as_ref()
                        .and_then(|p| p.message("st-attention", &[("department", att)]))
                        .unwrap_or_else(|| format!("attn. {att}")),
                );
            }
            parts.push(a.street.clone());
            parts.push(format!("{} {}", a.postcode, a.city));
            parts.push(country(a.country.as_str()));
            parts.join(", ")
        })
        .unwrap_or_default();
    let dpo = v
        .organisation
        .as_ref()
        .and_then(|o| o.dpo.as_ref())
        .and_then(|id| {
            v.contact_point
                .iter()
                .find(|c| c.id.as_str() == id.as_str())
        })
        .and_then(|c| c.email.clone())
        .unwrap_or_default();
    let mut security_measures: Vec<String> = v
        .security_measure
        .iter()
        .map(|m| text("measure", m.id.as_str()))
        .collect();
    security_measures.extend(v.certification.iter().map(|c| c.name.clone()));

    let activities = v
        .purpose
        .iter()
        .map(|p| {
            let legal_bases = p
                .legal_bases
                .iter()
                .map(|b| {
                    let kind = v
                        .legal_basis
                        .iter()
                        .find(|lb| lb.id.as_str() == b.as_str())
                        .map(|lb| lb.kind);
                    match kind {
                        Some(kind) => format!("{} ({})", text("basis", b.as_str()), article(kind)),
                        None => b.as_str().to_string(),
                    }
                })
                .collect();
            let processors: Vec<_> = if p.processors.is_empty() {
                v.processor
                    .iter()
                    .filter(|x| {
                        p.recipients
                            .iter()
                            .any(|r| r.as_str() == x.category.as_str())
                    })
                    .collect()
            } else {
                v.processor
                    .iter()
                    .filter(|x| p.processors.iter().any(|r| r.as_str() == x.id.as_str()))
                    .collect()
            };
            let transfers = processors
                .iter()
                .filter(|x| !in_eea(x.country.as_str()))
                .map(|x| match x.transfer {
                    Some(m) => format!(
                        "{} ({}): {}",
                        x.name,
                        country(x.country.as_str()),
                        safeguard(m)
                    ),
                    None => format!(
                        "{} ({}): no safeguard recorded",
                        x.name,
                        country(x.country.as_str())
                    ),
                })
                .collect();
            let retention = p
                .retention
                .iter()
                .filter_map(|r| v.retention.iter().find(|x| x.id.as_str() == r.as_str()))
                .map(|rule| {
                    let period = rule
                        .period
                        .as_ref()
                        .and_then(|t| {
                            let iso = period::parse(t.as_str()).ok()?.to_string();
                            Some(phrases.as_ref().and_then(|p| p.period(&iso)).unwrap_or(iso))
                        })
                        .unwrap_or_else(|| "?".into());
                    format!("{} ({period})", text("retention", rule.id.as_str()))
                })
                .collect();
            Activity {
                id: p.id.as_str().to_string(),
                purpose: text("purpose", p.id.as_str()),
                legal_bases,
                data_subjects: p
                    .subjects
                    .iter()
                    .map(|s| text("subject", s.as_str()))
                    .collect(),
                data_categories: p
                    .categories
                    .iter()
                    .map(|c| text("data", c.as_str()))
                    .collect(),
                recipients: p
                    .recipients
                    .iter()
                    .map(|r| text("recipient", r.as_str()))
                    .collect(),
                processors: processors.iter().map(|x| x.name.clone()).collect(),
                transfers,
                retention,
                sources: p
                    .sources
                    .iter()
                    .map(|s| text("source", s.as_str()))
                    .collect(),
            }
        })
        .collect();
    Ropa {
        version: v.label.clone(),
        locale: locale
            .map(|l| l.tag.clone())
            .unwrap_or_else(|| "ids".into()),
        controller,
        controller_address,
        dpo,
        security_measures,
        activities,
        headings: Headings::new(locale),
    }
}

const HEADERS: [&str; 14] = [
    "activity",
    "purpose",
    "controller",
    "dpo",
    "legal_bases",
    "data_subjects",
    "data_categories",
    "recipients",
    "processors",
    "transfers",
    "retention",
    "sources",
    "security_measures",
    "policy_version",
];

impl Ropa {
    /// The record as CSV, one row per activity; lists are joined with "; ".
    pub fn to_csv(&self) -> Result<String, csv::Error> {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(HEADERS)?;
        for a in &self.activities {
            writer.write_record([
                a.id.as_str(),
                &a.purpose,
                &self.controller,
                &self.dpo,
                &a.legal_bases.join("; "),
                &a.data_subjects.join("; "),
                &a.data_categories.join("; "),
                &a.recipients.join("; "),
                &a.processors.join("; "),
                &a.transfers.join("; "),
                &a.retention.join("; "),
                &a.sources.join("; "),
                &self.security_measures.join("; "),
                &self.version,
            ])?;
        }
        let bytes = writer.into_inner().map_err(|e| e.into_error())?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// The record as Markdown: a heading per activity with its fields.
    pub fn to_markdown(&self) -> String {
        let mut out = String::new();
        let h = &self.headings;
        let _ = writeln!(out, "# {}\n", h.title);
        let _ = writeln!(out, "- **{}:** {}", h.controller, self.controller);
        let _ = writeln!(out, "- **{}:** {}", h.address, self.controller_address);
        let _ = writeln!(out, "- **{}:** {}", h.dpo, self.dpo);
        let _ = writeln!(out, "- **{}:** {}", h.version, self.version);
        let _ = writeln!(out, "\n## {}\n", h.security);
        for m in &self.security_measures {
            let _ = writeln!(out, "- {m}");
        }
        for a in &self.activities {
            let _ = writeln!(out, "\n## {}\n", a.purpose);
            let _ = writeln!(out, "| | |\n|---|---|");
            let values: [&Vec<String>; 8] = [
                &a.legal_bases,
                &a.data_subjects,
                &a.data_categories,
                &a.recipients,
                &a.processors,
                &a.transfers,
                &a.retention,
                &a.sources,
            ];
            let _ = writeln!(out, "| {} | `{}` |", h.activity, a.id);
            for (name, values) in h.rows.iter().zip(values) {
                let cell = if values.is_empty() {
                    "—".to_string()
                } else {
                    values.join("<br>").replace('|', "\\|")
                };
                let _ = writeln!(out, "| {name} | {cell} |");
            }
        }
        out
    }
}
