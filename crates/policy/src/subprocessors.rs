//! The approved subprocessors of a version, and their history across versions as an Atom feed.
//!
//! A subprocessor's effective date is the effective date of the first version that lists it
//! without a break up to the version shown; the feed has one entry per subprocessor added,
//! removed or changed (service, country, transfer safeguard or data) between two consecutive
//! versions, dated at the later version's effective date.

use serde::Serialize;

use crate::load::{Locale, Policy, PolicyVersion};
use crate::model::{Processor, TransferMechanism};

/// One approved subprocessor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Subprocessor {
    /// Its id in the policy.
    pub id: String,
    /// Its name (never translated).
    pub name: String,
    /// What it does for us, in the locale.
    pub purpose: String,
    /// The data categories it receives, in the locale.
    pub data_categories: Vec<String>,
    /// Where it processes the data (ISO 3166 code).
    pub country: String,
    /// The safeguard for transfers outside the EEA (`scc`, `bcr`, `adequacy`, `dpf`), if any.
    pub transfer_mechanism: Option<&'static str>,
    /// Since when it is approved (the effective date of the version that first listed it).
    pub effective: String,
}

/// How a subprocessor changed between two versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    /// Newly approved.
    Added,
    /// No longer used.
    Removed,
    /// Its service, country, safeguard or data changed.
    Changed,
}

impl ChangeKind {
    /// Its name in JSON and in feed entry ids.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Added => "added",
            Self::Removed => "removed",
            Self::Changed => "changed",
        }
    }
}

/// One entry of the change feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubprocessorChange {
    /// The version that made the change.
    pub version: String,
    /// Its effective date.
    pub date: String,
    /// The subprocessor's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// What happened.
    pub kind: ChangeKind,
}

fn effective(v: &PolicyVersion) -> String {
    v.version
        .as_ref()
        .map(|i| i.effective.as_str().to_string())
        .unwrap_or_default()
}

fn same(a: &Processor, b: &Processor) -> bool {
    a.name == b.name
        && a.country.as_str() == b.country.as_str()
        && a.transfer == b.transfer
        && a.category.as_str() == b.category.as_str()
        && a.data
            .iter()
            .map(|d| d.as_str())
            .eq(b.data.iter().map(|d| d.as_str()))
}

/// The subprocessors of `version`, labelled in `locale` (ids where a label is missing).
pub fn list(
    policy: &Policy,
    version: &PolicyVersion,
    locale: Option<&Locale>,
) -> Vec<Subprocessor> {
    let text = |prefix: &str, id: &str| {
        locale
            .and_then(|l| l.text(&format!("{prefix}-{id}")))
            .unwrap_or(id)
            .to_string()
    };
    let index = policy
        .versions
        .iter()
        .position(|v| v.label == version.label)
        .unwrap_or(0);
    version
        .processor
        .iter()
        .map(|p| {
            // Walk back while the earlier versions list it too.
            let mut since = index;
            while since > 0
                && policy.versions[since - 1]
                    .processor
                    .iter()
                    .any(|q| q.id.as_str() == p.id.as_str())
            {
                since -= 1;
            }
            Subprocessor {
                id: p.id.as_str().to_string(),
                name: p.name.clone(),
                purpose: text("processor", p.id.as_str()),
                data_categories: p.data.iter().map(|d| text("data", d.as_str())).collect(),
                country: p.country.as_str().to_string(),
                transfer_mechanism: p.transfer.map(TransferMechanism::id),
                effective: effective(&policy.versions[since]),
            }
        })
        .collect()
}

/// How the subprocessor list of `after` differs from that of `before`: added and changed in
/// `after`'s order, then removed in `before`'s.
pub fn between<'a>(
    before: &'a PolicyVersion,
    after: &'a PolicyVersion,
) -> Vec<(ChangeKind, &'a Processor)> {
    let mut out = Vec::new();
    for p in after.processor.iter() {
        match before
            .processor
            .iter()
            .find(|q| q.id.as_str() == p.id.as_str())
        {
            None => out.push((ChangeKind::Added, &**p)),
            Some(q) if !same(p, q) => out.push((ChangeKind::Changed, &**p)),
            Some(_) => {}
        }
    }
    for q in before.processor.iter() {
        if !after
            .processor
            .iter()
            .any(|p| p.id.as_str() == q.id.as_str())
        {
            out.push((ChangeKind::Removed, &**q));
        }
    }
    out
}

/// Every change to the subprocessor list, newest first.
pub fn changes(policy: &Policy) -> Vec<SubprocessorChange> {
    let mut out = Vec::new();
    for pair in policy.versions.windows(2) {
        let (before, after) = (&pair[0], &pair[1]);
        out.extend(
            between(before, after)
                .into_iter()
                .map(|(kind, p)| SubprocessorChange {
                    version: after.label.clone(),
                    date: effective(after),
                    id: p.id.as_str().to_string(),
                    name: p.name.clone(),
                    kind,
                }),
        );
    }
    out.reverse();
    out
}

fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The change feed as Atom (RFC 4287). `base` is the public address of the server
/// (`https://privacy.example.com`), `title` and `kind_words` the locale's words for the feed
/// title and for added / removed / changed.
pub fn atom(policy: &Policy, base: &str, title: &str, kind_words: [&str; 3]) -> String {
    let changes = changes(policy);
    let updated = changes
        .first()
        .map(|c| c.date.clone())
        .or_else(|| policy.current().map(effective))
        .unwrap_or_else(|| "1970-01-01".into());
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    out.push_str(&format!("  <title>{}</title>\n", xml(title)));
    out.push_str(&format!("  <id>{}/subprocessors.atom</id>\n", xml(base)));
    out.push_str(&format!(
        "  <link rel=\"self\" href=\"{}/subprocessors.atom\"/>\n",
        xml(base)
    ));
    out.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}/subprocessors\"/>\n",
        xml(base)
    ));
    out.push_str(&format!("  <updated>{updated}T00:00:00Z</updated>\n"));
    out.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        xml(&policy.manifest.policy.name)
    ));
    for c in &changes {
        let word = match c.kind {
            ChangeKind::Added => kind_words[0],
            ChangeKind::Removed => kind_words[1],
            ChangeKind::Changed => kind_words[2],
        };
        let kind = c.kind.as_str();
        out.push_str("  <entry>\n");
        out.push_str(&format!(
            "    <id>{}/subprocessors/{}/{}/{kind}</id>\n",
            xml(base),
            xml(&c.version),
            xml(&c.id)
        ));
        out.push_str(&format!(
            "    <title>{}: {}</title>\n",
            xml(word),
            xml(&c.name)
        ));
        out.push_str(&format!("    <updated>{}T00:00:00Z</updated>\n", c.date));
        out.push_str(&format!(
            "    <link href=\"{}/subprocessors?version={}\"/>\n",
            xml(base),
            xml(&c.version)
        ));
        out.push_str(&format!(
            "    <summary>{} {} ({})</summary>\n",
            xml(word),
            xml(&c.name),
            xml(&c.version)
        ));
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}
