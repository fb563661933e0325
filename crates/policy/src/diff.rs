//! A structured diff between two policy versions, each change classed as material or editorial.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;
use serde_json::Value;

use crate::load::{Item, Locale, PolicyVersion};

/// Whether a change affects people's rights or what is done with their data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Class {
    /// Purposes, legal bases, categories, recipients, subprocessors, retention, rights,
    /// transfers, consent and disclosure rules: subscribers must be told ahead of time.
    Material,
    /// Names, addresses, contact details, certifications and other wording.
    Editorial,
}

/// What happened to an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// Only in the newer version.
    Added,
    /// Only in the older version.
    Removed,
    /// In both, with different values.
    Changed,
}

/// One field of an item that differs.
#[derive(Debug, Clone, Serialize)]
pub struct FieldChange {
    /// The field name.
    pub field: String,
    /// Its value in the older version (null when absent).
    pub from: Value,
    /// Its value in the newer version (null when absent).
    pub to: Value,
}

/// One changed item.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    /// The table the item belongs to (`purpose`, `processor`, …).
    pub kind: &'static str,
    /// The item's id (the table name for single tables such as `rights`).
    pub id: String,
    /// Added, removed or changed.
    pub change: ChangeKind,
    /// Material or editorial.
    pub class: Class,
    /// The item's name in the source locale, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// For a changed item, the fields that differ.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldChange>,
}

/// The differences between two versions.
#[derive(Debug, Clone, Serialize)]
pub struct VersionDiff {
    /// The older version's label.
    pub from: String,
    /// The newer version's label.
    pub to: String,
    /// Every change, grouped by kind in a fixed order.
    pub changes: Vec<Change>,
}

impl VersionDiff {
    /// Number of material changes.
    pub fn material(&self) -> usize {
        self.changes
            .iter()
            .filter(|c| c.class == Class::Material)
            .count()
    }

    /// Number of editorial changes.
    pub fn editorial(&self) -> usize {
        self.changes.len() - self.material()
    }

    /// Whether the versions are the same.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The diff as readable text.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "Policy diff {} → {}", self.from, self.to);
        if self.is_empty() {
            let _ = writeln!(out, "No differences: the two versions say the same.");
            return out;
        }
        let _ = writeln!(
            out,
            "{} changes: {} material, {} editorial",
            self.changes.len(),
            self.material(),
            self.editorial()
        );
        let mut current = "";
        for change in &self.changes {
            if change.kind != current {
                current = change.kind;
                let _ = writeln!(out, "\n[{current}]");
            }
            let sign = match change.change {
                ChangeKind::Added => '+',
                ChangeKind::Removed => '-',
                ChangeKind::Changed => '~',
            };
            let class = match change.class {
                Class::Material => "material",
                Class::Editorial => "editorial",
            };
            let _ = write!(out, "  {sign} {:<36} {class:<9}", change.id);
            if let Some(label) = &change.label {
                let _ = write!(out, "  {}", shorten(label, 70));
            }
            out.push('\n');
            for field in &change.fields {
                let _ = writeln!(
                    out,
                    "      {}: {}",
                    field.field,
                    describe(&field.from, &field.to)
                );
            }
        }
        out
    }
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        format!("“{text}”")
    } else {
        let cut: String = text.chars().take(max - 1).collect();
        format!("“{cut}…”")
    }
}

fn describe(from: &Value, to: &Value) -> String {
    match (from, to) {
        (Value::Array(a), Value::Array(b)) => {
            let added: Vec<String> = b.iter().filter(|x| !a.contains(x)).map(plain).collect();
            let removed: Vec<String> = a.iter().filter(|x| !b.contains(x)).map(plain).collect();
            let mut parts = Vec::new();
            if !added.is_empty() {
                parts.push(format!("+ {}", added.join(", ")));
            }
            if !removed.is_empty() {
                parts.push(format!("- {}", removed.join(", ")));
            }
            if parts.is_empty() {
                "reordered".to_string()
            } else {
                parts.join("; ")
            }
        }
        (Value::Null, Value::Object(b)) => b
            .keys()
            .map(|k| format!("+ {k}"))
            .collect::<Vec<_>>()
            .join("; "),
        (Value::Object(a), Value::Null) => a
            .keys()
            .map(|k| format!("- {k}"))
            .collect::<Vec<_>>()
            .join("; "),
        (Value::Object(_), Value::Object(_)) => {
            let mut parts = Vec::new();
            nested(String::new(), from, to, &mut parts);
            parts.join("; ")
        }
        _ => format!("{} → {}", plain(from), plain(to)),
    }
}

/// The differences inside two tables (a value shape, an assessment), by dotted path: what was
/// added, removed, and which values changed.
fn nested(path: String, from: &Value, to: &Value, out: &mut Vec<String>) {
    let (Value::Object(a), Value::Object(b)) = (from, to) else {
        out.push(format!("{path}: {}", describe(from, to)));
        return;
    };
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    for key in keys {
        let at = if path.is_empty() {
            key.clone()
        } else {
            format!("{path}.{key}")
        };
        match (a.get(key), b.get(key)) {
            (Some(_), None) => out.push(format!("- {at}")),
            (None, Some(_)) => out.push(format!("+ {at}")),
            (Some(x), Some(y)) if x != y => nested(at, x, y, out),
            _ => {}
        }
    }
}

fn plain(value: &Value) -> String {
    match value {
        Value::Null => "(none)".into(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Tables whose changes are material.
const MATERIAL: &[&str] = &[
    "subject_category",
    "data_category",
    "product",
    "legal_basis",
    "purpose",
    "source",
    "recipient_category",
    "processor",
    "psp",
    "payment_method",
    "retention",
    "rights",
    "right",
    "request_channel",
    "cookie_category",
    "cookie",
    "children",
    "disclosure",
    "commitments",
    "jurisdiction",
];

/// Fields whose change alone is editorial even in a material table. A data category's `value`
/// and a product's `payload` are not among them: a shape that gains a field, or loosens a bound,
/// changes which personal data is kept.
const EDITORIAL_FIELDS: &[&str] = &["name", "code"];

/// Message prefix per table, for labels.
fn message_prefix(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "subject_category" => "subject",
        "data_category" => "data",
        "product" => "product",
        "legal_basis" => "basis",
        "purpose" => "purpose",
        "source" => "source",
        "recipient_category" => "recipient",
        "processor" => "processor",
        "retention" => "retention",
        "right" => "right",
        "request_channel" => "request-channel",
        "cookie_category" => "cookie-category",
        "cookie" => "cookie",
        "contact_point" => "contact",
        "jurisdiction" => "jurisdiction",
        "security_measure" => "measure",
        _ => return None,
    })
}

type Items = BTreeMap<String, Value>;

fn list<T: Serialize>(items: &[Item<T>]) -> Items {
    items
        .iter()
        .filter_map(|item| {
            let value = serde_json::to_value(&item.value).ok()?;
            let id = value.get("id")?.as_str()?.to_string();
            Some((id, value))
        })
        .collect()
}

fn single<T: Serialize>(name: &str, item: &Option<Item<T>>) -> Items {
    item.iter()
        .filter_map(|i| Some((name.to_string(), serde_json::to_value(&i.value).ok()?)))
        .collect()
}

fn tables(v: &PolicyVersion) -> Vec<(&'static str, Items)> {
    vec![
        ("organisation", single("organisation", &v.organisation)),
        ("entity", list(&v.entity)),
        ("brand", list(&v.brand)),
        ("subject_category", list(&v.subject_category)),
        ("data_category", list(&v.data_category)),
        ("channel", list(&v.channel)),
        ("product", list(&v.product)),
        ("legal_basis", list(&v.legal_basis)),
        ("purpose", list(&v.purpose)),
        ("source", list(&v.source)),
        ("recipient_category", list(&v.recipient_category)),
        ("processor", list(&v.processor)),
        ("psp", list(&v.psp)),
        ("payment_method", list(&v.payment_method)),
        ("retention", list(&v.retention)),
        ("rights", single("rights", &v.rights)),
        ("right", list(&v.right)),
        ("request_channel", list(&v.request_channel)),
        ("cookie_category", list(&v.cookie_category)),
        ("cookie", list(&v.cookie)),
        ("children", single("children", &v.children)),
        ("contact_point", list(&v.contact_point)),
        ("mailbox_subject", list(&v.mailbox_subject)),
        ("postal_address", list(&v.postal_address)),
        ("local_office", list(&v.local_office)),
        ("jurisdiction", list(&v.jurisdiction)),
        ("security_measure", list(&v.security_measure)),
        ("certification", list(&v.certification)),
        ("disclosure", single("disclosure", &v.disclosure)),
        ("commitments", single("commitments", &v.commitments)),
    ]
}

/// The differences from `from` to `to`. `labels` (the source locale) names the items.
pub fn diff(from: &PolicyVersion, to: &PolicyVersion, labels: Option<&Locale>) -> VersionDiff {
    let mut changes = Vec::new();
    let old = tables(from);
    let new = tables(to);
    for ((kind, a), (_, b)) in old.into_iter().zip(new) {
        let material = MATERIAL.contains(&kind);
        let label = |id: &str| {
            let prefix = message_prefix(kind)?;
            labels?.text(&format!("{prefix}-{id}")).map(str::to_string)
        };
        let class = if material {
            Class::Material
        } else {
            Class::Editorial
        };
        for (id, value) in &a {
            match b.get(id) {
                None => changes.push(Change {
                    kind,
                    id: id.clone(),
                    change: ChangeKind::Removed,
                    class,
                    label: label(id),
                    fields: Vec::new(),
                }),
                Some(other) if other != value => {
                    let fields = field_changes(value, other);
                    let class = if material
                        && fields
                            .iter()
                            .any(|f| !EDITORIAL_FIELDS.contains(&f.field.as_str()))
                    {
                        Class::Material
                    } else {
                        Class::Editorial
                    };
                    changes.push(Change {
                        kind,
                        id: id.clone(),
                        change: ChangeKind::Changed,
                        class,
                        label: label(id),
                        fields,
                    });
                }
                Some(_) => {}
            }
        }
        for id in b.keys().filter(|id| !a.contains_key(*id)) {
            changes.push(Change {
                kind,
                id: id.clone(),
                change: ChangeKind::Added,
                class,
                label: label(id),
                fields: Vec::new(),
            });
        }
    }
    VersionDiff {
        from: from.label.clone(),
        to: to.label.clone(),
        changes,
    }
}

fn field_changes(a: &Value, b: &Value) -> Vec<FieldChange> {
    let empty = serde_json::Map::new();
    let a = a.as_object().unwrap_or(&empty);
    let b = b.as_object().unwrap_or(&empty);
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter_map(|k| {
            let x = a.get(k).unwrap_or(&Value::Null);
            let y = b.get(k).unwrap_or(&Value::Null);
            (normalise(x) != normalise(y)).then(|| FieldChange {
                field: k.clone(),
                from: x.clone(),
                to: y.clone(),
            })
        })
        .collect()
}

/// Absent, false and empty lists mean the same in the policy format.
fn normalise(v: &Value) -> Value {
    match v {
        Value::Bool(false) => Value::Null,
        Value::Array(a) if a.is_empty() => Value::Null,
        Value::Object(o) if o.is_empty() => Value::Null,
        other => other.clone(),
    }
}
