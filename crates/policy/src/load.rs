//! Reading a policy directory into memory, with every item's file and place kept.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use codespan_reporting::diagnostic::{Diagnostic, Label};
use codespan_reporting::files::SimpleFiles;
use serde::Deserialize;
use toml::Spanned;

use crate::model::*;
use crate::report::{Code, Report};

/// The index of a file in the [`Report`]'s source map.
pub type FileId = usize;

/// One item of a policy version, with the file it was declared in.
#[derive(Debug, Clone)]
pub struct Item<T> {
    /// The file that declares it.
    pub file: FileId,
    /// The item.
    pub value: T,
}

impl<T> std::ops::Deref for Item<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

/// The root file of a policy directory, `policy.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The `[policy]` table.
    pub policy: ManifestPolicy,
}

/// The `[policy]` table of `policy.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestPolicy {
    /// The policy's name.
    pub name: String,
    /// The locales every message must exist in; the first is the source locale.
    pub locales: Vec<Spanned<String>>,
    /// The versions, oldest first; each is a directory under `versions/`.
    pub versions: Vec<Spanned<String>>,
    /// The version in force when none is asked for (defaults to the newest).
    pub current: Option<Spanned<String>>,
}

macro_rules! version_struct {
    ($(#[$doc:meta])* pub struct $name:ident {
        singles { $($s:ident : $st:ty),* $(,)? }
        lists { $($l:ident : $lt:ty),* $(,)? }
    }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Default)]
        pub struct $name {
            /// The version label (the directory name).
            pub label: String,
            /// The directory the version was read from.
            pub dir: PathBuf,
            $(
                #[doc = concat!("The `[", stringify!($s), "]` table.")]
                pub $s: Option<Item<$st>>,
            )*
            $(
                #[doc = concat!("Every `[[", stringify!($l), "]]` of the version.")]
                pub $l: Vec<Item<$lt>>,
            )*
        }

        impl $name {
            fn absorb(&mut self, file: FileId, parsed: PolicyFile, report: &mut Report) {
                $(
                    if let Some(value) = parsed.$s {
                        if let Some(first) = &self.$s {
                            report.push(
                                Diagnostic::error()
                                    .with_code(Code::DuplicateId.as_str())
                                    .with_message(format!(
                                        "the `[{}]` table is declared twice in version {}",
                                        stringify!($s),
                                        self.label
                                    ))
                                    .with_labels(vec![Label::primary(file, 0..0)
                                        .with_message("second declaration in this file")])
                                    .with_notes(vec![format!(
                                        "help: keep one `[{}]` table; the first is in {}",
                                        stringify!($s),
                                        report.file_name(first.file)
                                    )]),
                            );
                        } else {
                            self.$s = Some(Item { file, value });
                        }
                    }
                )*
                $(
                    self.$l.extend(parsed.$l.into_iter().map(|value| Item { file, value }));
                )*
            }
        }
    };
}

version_struct! {
    /// One version of the policy: the union of the files of its directory.
    pub struct PolicyVersion {
        singles {
            version: VersionInfo,
            organisation: Organisation,
            rights: RightsPolicy,
            children: Children,
            disclosure: DisclosurePolicy,
            commitments: Commitments,
            cookie_banner: CookieBanner,
        }
        lists {
            entity: Entity,
            brand: Brand,
            subject_category: SubjectCategory,
            data_category: DataCategory,
            channel: Channel,
            product: Product,
            legal_basis: LegalBasis,
            purpose: Purpose,
            source: Source,
            recipient_category: RecipientCategory,
            processor: Processor,
            psp: Psp,
            payment_method: PaymentMethod,
            retention: RetentionRule,
            right: Right,
            request_channel: RequestChannel,
            cookie_category: CookieCategory,
            cookie: Cookie,
            contact_point: ContactPoint,
            mailbox_subject: MailboxSubject,
            postal_address: PostalAddress,
            local_office: LocalOffice,
            jurisdiction: Jurisdiction,
            security_measure: SecurityMeasure,
            certification: Certification,
        }
    }
}

/// One message of a Fluent file.
#[derive(Debug, Clone)]
pub struct Message {
    /// The file.
    pub file: FileId,
    /// Where its id stands.
    pub span: Span,
    /// Its value as plain text (placeables shown as `{ $name }`).
    pub text: String,
    /// Its attributes as plain text.
    pub attributes: BTreeMap<String, String>,
}

/// The messages of one locale.
#[derive(Debug, Clone, Default)]
pub struct Locale {
    /// The locale tag (`en`, `zh-CN`).
    pub tag: String,
    /// Messages by id.
    pub messages: BTreeMap<String, Message>,
    /// Each of its files, parsed once, for formatting messages with arguments.
    pub resources: Vec<std::sync::Arc<fluent_bundle::FluentResource>>,
}

impl Locale {
    /// The plain text of a message, if it exists.
    pub fn text(&self, id: &str) -> Option<&str> {
        self.messages.get(id).map(|m| m.text.as_str())
    }
}

/// A whole policy directory.
#[derive(Debug, Clone)]
pub struct Policy {
    /// The directory.
    pub dir: PathBuf,
    /// `policy.toml`.
    pub manifest: Manifest,
    /// The versions, oldest first.
    pub versions: Vec<PolicyVersion>,
    /// The locales, source locale first.
    pub locales: Vec<Locale>,
}

impl Policy {
    /// The version with this label.
    pub fn version(&self, label: &str) -> Option<&PolicyVersion> {
        self.versions.iter().find(|v| v.label == label)
    }

    /// The version in force: `current` from the manifest, or the newest.
    pub fn current(&self) -> Option<&PolicyVersion> {
        match &self.manifest.policy.current {
            Some(label) => self.version(label.get_ref()),
            None => self.versions.last(),
        }
    }

    /// The locale with this tag.
    pub fn locale(&self, tag: &str) -> Option<&Locale> {
        self.locales.iter().find(|l| l.tag == tag)
    }

    /// The source locale (the first one the manifest lists).
    pub fn source_locale(&self) -> Option<&Locale> {
        self.locales.first()
    }

    /// The labels of all versions, oldest first.
    pub fn labels(&self) -> Vec<&str> {
        self.versions.iter().map(|v| v.label.as_str()).collect()
    }
}

/// Reads a policy directory without checking it. Problems that stop reading (a missing or
/// malformed file) are reported; the policy is `None` only when the manifest itself is unusable.
pub fn read(dir: &Path) -> (Option<Policy>, Report) {
    let mut report = Report::new(SimpleFiles::new());
    let manifest_path = dir.join("policy.toml");
    let Some((manifest_file, manifest_text)) = read_file(&manifest_path, &mut report) else {
        return (None, report);
    };
    let manifest: Manifest = match toml::from_str(&manifest_text) {
        Ok(m) => m,
        Err(err) => {
            report.push(toml_error(manifest_file, &err));
            return (None, report);
        }
    };

    let mut versions = Vec::new();
    for label in &manifest.policy.versions {
        let vdir = dir.join("versions").join(label.get_ref());
        if !vdir.is_dir() {
            report.push(
                Diagnostic::error()
                    .with_code(Code::MissingFile.as_str())
                    .with_message(format!(
                        "version `{}` has no directory {}",
                        label.get_ref(),
                        vdir.display()
                    ))
                    .with_labels(vec![Label::primary(manifest_file, label.span())])
                    .with_notes(vec![format!(
                        "help: create {} with the version's files, or remove `{}` from `versions`",
                        vdir.display(),
                        label.get_ref()
                    )]),
            );
            continue;
        }
        let mut version = PolicyVersion {
            label: label.get_ref().clone(),
            dir: vdir.clone(),
            ..PolicyVersion::default()
        };
        for path in files_with_extension(&vdir, "toml", &mut report) {
            let Some((file, text)) = read_file(&path, &mut report) else {
                continue;
            };
            match toml::from_str::<PolicyFile>(&text) {
                Ok(parsed) => version.absorb(file, parsed, &mut report),
                Err(err) => report.push(toml_error(file, &err)),
            }
        }
        versions.push(version);
    }

    let mut locales = Vec::new();
    for tag in &manifest.policy.locales {
        let ldir = dir.join("locales").join(tag.get_ref());
        if !ldir.is_dir() {
            report.push(
                Diagnostic::error()
                    .with_code(Code::MissingFile.as_str())
                    .with_message(format!(
                        "locale `{}` has no directory {}",
                        tag.get_ref(),
                        ldir.display()
                    ))
                    .with_labels(vec![Label::primary(manifest_file, tag.span())])
                    .with_notes(vec![format!(
                        "help: create {} with its .ftl files, or remove `{}` from `locales`",
                        ldir.display(),
                        tag.get_ref()
                    )]),
            );
            continue;
        }
        let mut locale = Locale {
            tag: tag.get_ref().clone(),
            ..Locale::default()
        };
        for path in files_with_extension(&ldir, "ftl", &mut report) {
            if let Some((file, text)) = read_file(&path, &mut report) {
                read_fluent(file, &text, &mut locale, &mut report);
                // Syntax errors were reported above; what parses is kept.
                let resource = match fluent_bundle::FluentResource::try_new(text.to_string()) {
                    Ok(r) | Err((r, _)) => r,
                };
                locale.resources.push(std::sync::Arc::new(resource));
            }
        }
        locales.push(locale);
    }

    report.set_manifest(manifest_file);
    let policy = Policy {
        dir: dir.to_path_buf(),
        manifest,
        versions,
        locales,
    };
    (Some(policy), report)
}

pub(crate) fn read_file(path: &Path, report: &mut Report) -> Option<(FileId, String)> {
    match std::fs::read_to_string(path) {
        Ok(text) => {
            let file = report.add_file(path.display().to_string(), text.clone());
            Some((file, text))
        }
        Err(err) => {
            report.push_plain(
                Code::MissingFile,
                format!("cannot read {}: {err}", path.display()),
                format!(
                    "help: check that {} exists and is readable UTF-8 text",
                    path.display()
                ),
            );
            None
        }
    }
}

fn files_with_extension(dir: &Path, ext: &str, report: &mut Report) -> Vec<PathBuf> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) => {
            report.push_plain(
                Code::MissingFile,
                format!("cannot list {}: {err}", dir.display()),
                "help: check the directory's permissions".to_string(),
            );
            return Vec::new();
        }
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    paths.sort();
    paths
}

pub(crate) fn toml_error(file: FileId, err: &toml::de::Error) -> Diagnostic<FileId> {
    let span = err.span().unwrap_or(0..0);
    let message = err.message().to_string();
    let help = if message.contains("unknown field") {
        "help: check the spelling against the policy schema (`custodian policy schema`)"
    } else if message.contains("missing field") {
        "help: add the field; `custodian policy schema` lists what each item needs"
    } else {
        "help: fix the TOML syntax or the value's type at this place"
    };
    Diagnostic::error()
        .with_code(Code::Syntax.as_str())
        .with_message(message)
        .with_labels(vec![Label::primary(file, span)])
        .with_notes(vec![help.to_string()])
}

fn read_fluent(file: FileId, text: &str, locale: &mut Locale, report: &mut Report) {
    use fluent_syntax::ast;
    let resource = match fluent_syntax::parser::parse(text) {
        Ok(resource) => resource,
        Err((resource, errors)) => {
            for err in errors {
                report.push(
                    Diagnostic::error()
                        .with_code(Code::Syntax.as_str())
                        .with_message(format!("Fluent syntax error: {}", err.kind))
                        .with_labels(vec![Label::primary(file, err.pos.clone())])
                        .with_notes(vec![
                            "help: see https://projectfluent.org/fluent/guide/ for the syntax"
                                .to_string(),
                        ]),
                );
            }
            resource
        }
    };
    for entry in resource.body {
        let ast::Entry::Message(message) = entry else {
            continue;
        };
        let id = message.id.name;
        let span = span_of(text, id);
        let text_value = message.value.as_ref().map(pattern_text).unwrap_or_default();
        let attributes = message
            .attributes
            .iter()
            .map(|a| (a.id.name.to_string(), pattern_text(&a.value)))
            .collect();
        if let Some(first) = locale.messages.get(id) {
            report.push(
                Diagnostic::error()
                    .with_code(Code::DuplicateId.as_str())
                    .with_message(format!("message `{id}` is declared twice"))
                    .with_labels(vec![
                        Label::primary(file, span.clone()).with_message("second declaration"),
                        Label::secondary(first.file, first.span.clone())
                            .with_message("first declaration"),
                    ])
                    .with_notes(vec!["help: remove one of the two".to_string()]),
            );
            continue;
        }
        locale.messages.insert(
            id.to_string(),
            Message {
                file,
                span,
                text: text_value,
                attributes,
            },
        );
    }
}

/// The byte range of a message id at the start of a line.
fn span_of(text: &str, id: &str) -> Span {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix(id)
            && rest.trim_start().starts_with('=')
        {
            return offset..offset + id.len();
        }
        offset += line.len();
    }
    0..0
}

/// A Fluent pattern as plain text; placeables, and select expressions by the variable they
/// choose by, are shown as `{ $name }`.
fn pattern_text(pattern: &fluent_syntax::ast::Pattern<&str>) -> String {
    use fluent_syntax::ast::{Expression, InlineExpression, PatternElement};
    let mut out = String::new();
    for element in &pattern.elements {
        match element {
            PatternElement::TextElement { value } => out.push_str(value),
            PatternElement::Placeable { expression } => match expression {
                Expression::Inline(InlineExpression::StringLiteral { value }) => {
                    out.push_str(value)
                }
                Expression::Inline(InlineExpression::VariableReference { id }) => {
                    out.push_str(&format!("{{ ${} }}", id.name))
                }
                Expression::Inline(InlineExpression::MessageReference { id, .. }) => {
                    out.push_str(&format!("{{ {} }}", id.name))
                }
                Expression::Inline(InlineExpression::TermReference { id, .. }) => {
                    out.push_str(&format!("{{ -{} }}", id.name))
                }
                // A plural or other choice shows the variable it chooses by.
                Expression::Select {
                    selector: InlineExpression::VariableReference { id },
                    ..
                } => out.push_str(&format!("{{ ${} }}", id.name)),
                _ => out.push_str("{ … }"),
            },
        }
    }
    out.trim().to_string()
}
