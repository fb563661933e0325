//! The translation quality gate: every message of every translated locale, held against the
//! source locale's message of the same id.
//!
//! A translation must use the same `$variables` as its source, must not be left in English,
//! must keep the do-not-translate terms of `glossary.toml` verbatim, must not mix Latin-script
//! words into Chinese, and must pair its quotation marks. Each defect is an error with the
//! file and line of the message and a help note.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic, Label};
use fluent_syntax::ast;
use serde::Deserialize;
use toml::Spanned;

use crate::load::{FileId, Locale, Message, Policy, read_file, toml_error};
use crate::report::{Code, Report};

/// The glossary's file name in the policy directory.
const GLOSSARY_FILE: &str = "glossary.toml";

/// Stands for a placeable in the plain text of a message.
const MARK: char = '\u{FFFC}';

/// How many English words in a row make a translation suspect.
const ENGLISH_RUN: usize = 3;

/// Runs the gate over every translated locale.
pub(crate) fn check(policy: &Policy, report: &mut Report) {
    // An unreadable glossary is reported; checking without it would only add false errors.
    let Some(glossary) = Glossary::read(policy, report) else {
        return;
    };
    let Some(source) = policy.source_locale() else {
        return;
    };
    let source_texts = texts(source);
    for locale in policy.locales.iter().skip(1) {
        let target_texts = texts(locale);
        let gate = Gate {
            tag: &locale.tag,
            source_tag: &source.tag,
            glossary: &glossary,
            english: english_words(&locale.tag),
            chinese: is_chinese(&locale.tag),
        };
        let mut messages: Vec<(&String, &Message)> = locale.messages.iter().collect();
        messages.sort_by_key(|(_, m)| (m.file, m.span.start));
        for (id, message) in messages {
            let (Some(source_message), Some(src), Some(text)) = (
                source.messages.get(id),
                source_texts.get(id),
                target_texts.get(id),
            ) else {
                continue;
            };
            let found = Found {
                id,
                message,
                source: source_message,
                src,
                text,
            };
            gate.check(&found, report);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Message text

/// A message reduced to what the gate compares: its variables, and its text in segments (the
/// value, each variant of a choice, each attribute), with every placeable shown as [`MARK`].
#[derive(Debug, Default)]
struct Text {
    variables: BTreeSet<String>,
    segments: Vec<String>,
}

impl Text {
    fn joined(&self) -> String {
        self.segments.join("\n")
    }
}

/// The texts of every message of a locale, parsed again from its Fluent sources (the first
/// declaration of an id wins, as when loading).
fn texts(locale: &Locale) -> BTreeMap<String, Text> {
    let mut out = BTreeMap::new();
    for file in &locale.resources {
        let resource = match fluent_syntax::parser::parse(file.source()) {
            Ok(resource) => resource,
            Err((resource, _)) => resource,
        };
        for entry in resource.body {
            let ast::Entry::Message(message) = entry else {
                continue;
            };
            if out.contains_key(message.id.name) {
                continue;
            }
            let mut text = Text::default();
            if let Some(value) = &message.value {
                let own = pattern(value, &mut text);
                text.segments.insert(0, own);
            }
            for attribute in &message.attributes {
                let own = pattern(&attribute.value, &mut text);
                text.segments.push(own);
            }
            text.segments = text
                .segments
                .iter()
                .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
                .filter(|s| !s.is_empty())
                .collect();
            out.insert(message.id.name.to_string(), text);
        }
    }
    out
}

fn pattern(pattern: &ast::Pattern<&str>, text: &mut Text) -> String {
    let mut out = String::new();
    for element in &pattern.elements {
        match element {
            ast::PatternElement::TextElement { value } => out.push_str(value),
            ast::PatternElement::Placeable { expression } => {
                expression_text(expression, text, &mut out)
            }
        }
    }
    out
}

fn expression_text(expression: &ast::Expression<&str>, text: &mut Text, out: &mut String) {
    match expression {
        ast::Expression::Inline(inline) => inline_text(inline, text, out),
        ast::Expression::Select { selector, variants } => {
            inline_text(selector, text, &mut String::new());
            out.push(MARK);
            for variant in variants {
                let own = pattern(&variant.value, text);
                text.segments.push(own);
            }
        }
    }
}

fn inline_text(inline: &ast::InlineExpression<&str>, text: &mut Text, out: &mut String) {
    use ast::InlineExpression as I;
    match inline {
        I::StringLiteral { value } | I::NumberLiteral { value } => out.push_str(value),
        I::VariableReference { id } => {
            text.variables.insert(id.name.to_string());
            out.push(MARK);
        }
        I::FunctionReference { arguments, .. }
        | I::TermReference {
            arguments: Some(arguments),
            ..
        } => {
            for argument in arguments
                .positional
                .iter()
                .chain(arguments.named.iter().map(|n| &n.value))
            {
                inline_text(argument, text, &mut String::new());
            }
            out.push(MARK);
        }
        I::TermReference { .. } | I::MessageReference { .. } => out.push(MARK),
        I::Placeable { expression } => expression_text(expression, text, out),
    }
}

// ---------------------------------------------------------------------------------------------
// Glossary

/// `glossary.toml` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct GlossaryFile {
    #[serde(default)]
    term: Vec<TermFile>,
    #[serde(default)]
    same: Vec<SameFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TermFile {
    text: Spanned<String>,
    #[serde(default)]
    ignore_case: bool,
    #[serde(default)]
    quoted: bool,
    #[serde(default)]
    prefix: bool,
    #[serde(default)]
    locales: Vec<Spanned<String>>,
    reason: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SameFile {
    locales: Vec<Spanned<String>>,
    words: Vec<Spanned<String>>,
}

/// A do-not-translate term.
#[derive(Debug)]
struct Term {
    text: String,
    ignore_case: bool,
    /// Counts in the source only between quotation marks (an e-mail subject).
    quoted: bool,
    /// Counts in the source also at the start of a longer word (`cookies`).
    prefix: bool,
    /// The locales it applies to; empty for all.
    locales: Vec<String>,
    reason: Option<String>,
}

impl Term {
    fn applies(&self, tag: &str) -> bool {
        self.locales.is_empty() || self.locales.iter().any(|l| l == tag)
    }

    /// Whether the source text uses the term.
    fn in_source(&self, text: &str) -> bool {
        find_all(text, &self.text, self.ignore_case)
            .into_iter()
            .any(|r| {
                let before = text[..r.start].chars().next_back();
                let after = text[r.end..].chars().next();
                if self.quoted {
                    before.is_some_and(is_quote) && after.is_some_and(is_quote)
                } else {
                    !before.is_some_and(char::is_alphanumeric)
                        && (self.prefix || !after.is_some_and(char::is_alphanumeric))
                }
            })
    }

    /// Whether the translation keeps the term verbatim.
    fn in_translation(&self, text: &str) -> bool {
        !find_all(text, &self.text, self.ignore_case).is_empty()
    }
}

/// The glossary of a policy: do-not-translate terms, and per locale the words it writes as
/// English does.
#[derive(Debug, Default)]
struct Glossary {
    terms: Vec<Term>,
    same: BTreeMap<String, Vec<String>>,
}

impl Glossary {
    /// Reads `glossary.toml` of the policy directory; a missing file is an empty glossary,
    /// one that cannot be read or parsed is reported and `None`.
    fn read(policy: &Policy, report: &mut Report) -> Option<Self> {
        let path = policy.dir.join(GLOSSARY_FILE);
        if !path.exists() {
            return Some(Self::default());
        }
        let (file, text) = read_file(&path, report)?;
        let parsed: GlossaryFile = match toml::from_str(&text) {
            Ok(parsed) => parsed,
            Err(err) => {
                report.push(toml_error(file, &err));
                return None;
            }
        };
        let targets: Vec<&str> = policy
            .manifest
            .policy
            .locales
            .iter()
            .skip(1)
            .map(|l| l.get_ref().as_str())
            .collect();
        let known = |locales: &[Spanned<String>], report: &mut Report| -> Vec<String> {
            let mut out = Vec::new();
            for locale in locales {
                if targets.contains(&locale.get_ref().as_str()) {
                    out.push(locale.get_ref().clone());
                } else {
                    report.push(
                        Diagnostic::error()
                            .with_code(Code::UnknownReference.as_str())
                            .with_message(format!(
                                "glossary locale `{}` is not a translated locale of the policy",
                                locale.get_ref()
                            ))
                            .with_labels(vec![Label::primary(file, locale.span())])
                            .with_notes(vec![format!(
                                "help: use one of {}, as listed in policy.toml after the source locale",
                                targets.join(", ")
                            )]),
                    );
                }
            }
            out
        };
        let mut glossary = Self::default();
        for term in parsed.term {
            if term.text.get_ref().trim().is_empty() {
                report.push(
                    Diagnostic::error()
                        .with_code(Code::Syntax.as_str())
                        .with_message("a glossary term with empty text")
                        .with_labels(vec![Label::primary(file, term.text.span())])
                        .with_notes(vec![
                            "help: write the term, or remove the entry".to_string(),
                        ]),
                );
                continue;
            }
            let locales = known(&term.locales, report);
            if !term.locales.is_empty() && locales.is_empty() {
                continue;
            }
            glossary.terms.push(Term {
                text: term.text.into_inner(),
                ignore_case: term.ignore_case,
                quoted: term.quoted,
                prefix: term.prefix,
                locales,
                reason: term.reason,
            });
        }
        for same in parsed.same {
            for locale in known(&same.locales, report) {
                glossary
                    .same
                    .entry(locale)
                    .or_default()
                    .extend(same.words.iter().map(|w| w.get_ref().clone()));
            }
        }
        Some(glossary)
    }

    fn terms_for<'a>(&'a self, tag: &'a str) -> impl Iterator<Item = &'a Term> + 'a {
        self.terms.iter().filter(move |t| t.applies(tag))
    }

    /// The ranges of a translation that are names or the locale's own English words: terms
    /// anywhere, same-as-English words as whole words.
    fn hide(&self, tag: &str, text: &str, hidden: &mut [bool]) {
        for term in self.terms_for(tag) {
            for range in find_all(text, &term.text, term.ignore_case) {
                hidden[range].fill(true);
            }
        }
        for word in self.same.get(tag).into_iter().flatten() {
            for range in find_all(text, word, false) {
                let before = text[..range.start].chars().next_back();
                let after = text[range.end..].chars().next();
                if !before.is_some_and(char::is_alphanumeric)
                    && !after.is_some_and(char::is_alphanumeric)
                {
                    hidden[range].fill(true);
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The rules

struct Found<'a> {
    id: &'a str,
    message: &'a Message,
    source: &'a Message,
    src: &'a Text,
    text: &'a Text,
}

struct Gate<'a> {
    tag: &'a str,
    source_tag: &'a str,
    glossary: &'a Glossary,
    english: Option<BTreeSet<&'static str>>,
    chinese: bool,
}

impl Gate<'_> {
    fn check(&self, f: &Found, report: &mut Report) {
        self.placeables(f, report);
        if !self.left_in_english(f, report) {
            self.english_runs(f, report);
            self.latin_in_chinese(f, report);
        }
        self.glossary_terms(f, report);
        self.quotes(f, report);
    }

    fn diagnostic(
        &self,
        code: Code,
        f: &Found,
        defect: String,
        label: &str,
        help: String,
    ) -> Diagnostic<FileId> {
        Diagnostic::error()
            .with_code(code.as_str())
            .with_message(format!(
                "locale `{}`, message `{}`: {defect}",
                self.tag, f.id
            ))
            .with_labels(vec![
                Label::primary(f.message.file, f.message.span.clone())
                    .with_message(label.to_string()),
                Label::secondary(f.source.file, f.source.span.clone())
                    .with_message(format!("the `{}` source", self.source_tag)),
            ])
            .with_notes(vec![format!("help: {help}")])
    }

    /// Rule 1: the same `$variables` as the source.
    fn placeables(&self, f: &Found, report: &mut Report) {
        if f.text.variables == f.src.variables {
            return;
        }
        let list = |set: &BTreeSet<String>| -> String {
            if set.is_empty() {
                "none".to_string()
            } else {
                set.iter()
                    .map(|v| format!("${v}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        let missing: BTreeSet<String> = f
            .src
            .variables
            .difference(&f.text.variables)
            .cloned()
            .collect();
        let extra: BTreeSet<String> = f
            .text
            .variables
            .difference(&f.src.variables)
            .cloned()
            .collect();
        let mut fix = Vec::new();
        if !missing.is_empty() {
            fix.push(format!("add {}", list(&missing)));
        }
        if !extra.is_empty() {
            fix.push(format!("remove {}", list(&extra)));
        }
        report.push(self.diagnostic(
            Code::PlaceableMismatch,
            f,
            format!(
                "the translation uses the variables {} but the source uses {}",
                list(&f.text.variables),
                list(&f.src.variables)
            ),
            "variables differ from the source",
            format!(
                "{}; the program fills in exactly the source's variables, so none may be dropped, renamed or added",
                fix.join(" and ")
            ),
        ));
    }

    /// Rule 2: a translation identical to its source, unless it is only names, codes,
    /// numbers, punctuation and placeables. Returns whether it was reported.
    fn left_in_english(&self, f: &Found, report: &mut Report) -> bool {
        let text = f.text.joined();
        if text.is_empty() || text != f.src.joined() {
            return false;
        }
        let hidden = self.hidden(&text);
        let words: Vec<&str> = words(&text, &hidden, char::is_alphabetic)
            .into_iter()
            .filter(|r| !is_code(&text[r.clone()]))
            .map(|r| &text[r])
            .collect();
        if words.is_empty() {
            return false;
        }
        report.push(self.diagnostic(
            Code::LeftInEnglish,
            f,
            format!("the translation is the English source unchanged: \"{}\"", shorten(&text)),
            "left in English",
            format!(
                "translate it into `{}`; if every word of it is a name or a word `{}` writes as English does, add it to {GLOSSARY_FILE}",
                self.tag, self.tag
            ),
        ));
        true
    }

    /// Rule 2: runs of common English words in Dutch and Indonesian.
    fn english_runs(&self, f: &Found, report: &mut Report) {
        let Some(english) = &self.english else {
            return;
        };
        let mut runs = Vec::new();
        for segment in &f.text.segments {
            let hidden = self.hidden(segment);
            for mut run in english_runs(segment, &hidden, english) {
                // Show a bracket the run opened closed: "means (how)".
                let opened = segment[run.clone()].matches('(').count();
                if opened > segment[run.clone()].matches(')').count()
                    && segment[run.end..].starts_with(')')
                {
                    run.end += 1;
                }
                runs.push(segment[run].to_string());
            }
        }
        if runs.is_empty() {
            return;
        }
        let quoted: Vec<String> = runs.iter().map(|r| format!("\"{r}\"")).collect();
        report.push(self.diagnostic(
            Code::EnglishInTranslation,
            f,
            format!("untranslated English in the translation: {}", quoted.join(", ")),
            "English words",
            format!(
                "translate the English words into `{}`; a name that stays in English belongs in {GLOSSARY_FILE}",
                self.tag
            ),
        ));
    }

    /// Rule 3: every glossary term of the source, verbatim in the translation.
    fn glossary_terms(&self, f: &Found, report: &mut Report) {
        let src = f.src.joined();
        let text = f.text.joined();
        for term in self.glossary.terms_for(self.tag) {
            if !term.in_source(&src) || term.in_translation(&text) {
                continue;
            }
            let what = if term.quoted {
                format!("the e-mail subject '{}'", term.text)
            } else {
                format!("the glossary term `{}`", term.text)
            };
            let case = if term.ignore_case {
                " (in any case)"
            } else {
                ", with the same capitals"
            };
            let reason = term
                .reason
                .as_deref()
                .map(|r| format!(": {r}"))
                .unwrap_or_default();
            report.push(self.diagnostic(
                Code::GlossaryTermChanged,
                f,
                format!("{what} of the source is missing from the translation"),
                &format!("`{}` missing", term.text),
                format!(
                    "write `{}` exactly as in English{case}; {GLOSSARY_FILE} lists it as not to be translated{reason}",
                    term.text
                ),
            ));
        }
    }

    /// Rule 4: no Latin-script words in Chinese but names, codes, e-mail addresses and URLs.
    fn latin_in_chinese(&self, f: &Found, report: &mut Report) {
        if !self.chinese {
            return;
        }
        let mut offending: Vec<String> = Vec::new();
        for segment in &f.text.segments {
            let hidden = self.hidden(segment);
            for range in words(segment, &hidden, is_latin) {
                let word = &segment[range];
                if !is_code(word) && !offending.iter().any(|w| w == word) {
                    offending.push(word.to_string());
                }
            }
        }
        if offending.is_empty() {
            return;
        }
        let named: Vec<String> = offending.iter().map(|w| format!("`{w}`")).collect();
        report.push(self.diagnostic(
            Code::LatinInChinese,
            f,
            format!("Latin-script words in Chinese text: {}", named.join(", ")),
            "Latin script",
            format!(
                "translate {} into Chinese; only placeables, e-mail addresses, URLs, codes of 2–4 capitals (EEA, ISO) and names listed in {GLOSSARY_FILE} may stay in Latin script",
                named.join(", ")
            ),
        ));
    }

    /// Rule 5: paired quotation marks.
    fn quotes(&self, f: &Found, report: &mut Report) {
        let mut problems: Vec<String> = Vec::new();
        for segment in &f.text.segments {
            for problem in quote_problems(segment) {
                if !problems.contains(&problem) {
                    problems.push(problem);
                }
            }
        }
        if problems.is_empty() {
            return;
        }
        report.push(
            self.diagnostic(
                Code::UnbalancedQuotes,
                f,
                format!("unbalanced quotation marks: {}", problems.join("; ")),
                "quotation marks do not pair up",
                "close every “ with ” and every ‘ with ’, and write straight quotes in pairs"
                    .to_string(),
            ),
        );
    }

    /// What of a translation's text the word rules skip: placeables, e-mail addresses, URLs,
    /// glossary terms and the locale's same-as-English words.
    fn hidden(&self, text: &str) -> Vec<bool> {
        let mut hidden = vec![false; text.len()];
        for (i, c) in text.char_indices() {
            if c == MARK {
                hidden[i..i + c.len_utf8()].fill(true);
            }
        }
        for range in addresses(text) {
            hidden[range].fill(true);
        }
        self.glossary.hide(self.tag, text, &mut hidden);
        hidden
    }
}

// ---------------------------------------------------------------------------------------------
// Text helpers

fn is_chinese(tag: &str) -> bool {
    tag.split(['-', '_'])
        .next()
        .is_some_and(|l| l.eq_ignore_ascii_case("zh"))
}

fn is_quote(c: char) -> bool {
    matches!(
        c,
        '\'' | '"' | '‘' | '’' | '“' | '”' | '「' | '」' | '『' | '』' | '«' | '»'
    )
}

/// Latin script, including Latin-1, the Latin Extended blocks, IPA and full-width letters.
fn is_latin(c: char) -> bool {
    c.is_alphabetic()
        && matches!(c as u32,
            0x41..=0x5A | 0x61..=0x7A | 0xAA | 0xBA | 0xC0..=0x2AF | 0x1D00..=0x1DBF
            | 0x1E00..=0x1EFF | 0x2071 | 0x207F | 0x2090..=0x209C | 0x2C60..=0x2C7F
            | 0xA720..=0xA7FF | 0xAB30..=0xAB6F | 0xFB00..=0xFB06 | 0xFF21..=0xFF3A
            | 0xFF41..=0xFF5A)
}

/// An ISO-like code: two to four capitals (EEA, ISO, SOC, GDPR).
fn is_code(word: &str) -> bool {
    (2..=4).contains(&word.len()) && word.bytes().all(|b| b.is_ascii_uppercase())
}

/// Every place `needle` occurs in `hay`, overlapping ones included.
fn find_all(hay: &str, needle: &str, ignore_case: bool) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    if needle.is_empty() {
        return out;
    }
    'start: for (start, _) in hay.char_indices() {
        let mut rest = hay[start..].char_indices();
        for n in needle.chars() {
            let Some((_, c)) = rest.next() else {
                continue 'start;
            };
            if c != n && !(ignore_case && c.to_lowercase().eq(n.to_lowercase())) {
                continue 'start;
            }
        }
        let end = rest.next().map_or(hay.len(), |(i, _)| start + i);
        out.push(start..end);
    }
    out
}

/// E-mail addresses and URLs.
fn addresses(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let url_char =
        |b: u8| b.is_ascii_graphic() && !matches!(b, b'"' | b'\'' | b'<' | b'>' | b')' | b']');
    let mail_char =
        |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-');
    let trim = |start: usize, mut end: usize| {
        while end > start && matches!(bytes[end - 1], b'.' | b',' | b';' | b':' | b'!' | b'?') {
            end -= 1;
        }
        start..end
    };
    let mut out = Vec::new();
    for prefix in ["https://", "http://", "www."] {
        for (start, _) in text.match_indices(prefix) {
            let mut end = start;
            while end < bytes.len() && url_char(bytes[end]) {
                end += 1;
            }
            out.push(trim(start, end));
        }
    }
    for (at, _) in text.match_indices('@') {
        let mut start = at;
        while start > 0 && mail_char(bytes[start - 1]) {
            start -= 1;
        }
        let mut end = at + 1;
        while end < bytes.len() && mail_char(bytes[end]) {
            end += 1;
        }
        let range = trim(start, end);
        if range.start < at && text[at + 1..range.end].contains('.') {
            out.push(range);
        }
    }
    out
}

/// Maximal runs of characters of a kind that are not hidden.
fn words(text: &str, hidden: &[bool], kind: fn(char) -> bool) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        if kind(c) && !hidden[i] {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            out.push(s..i);
        }
    }
    if let Some(s) = start {
        out.push(s..text.len());
    }
    out
}

/// Runs of at least [`ENGLISH_RUN`] consecutive words from the English list. Punctuation and
/// spaces between them do not break a run; any other word, a number, a placeable or a
/// glossary term does.
fn english_runs(text: &str, hidden: &[bool], english: &BTreeSet<&str>) -> Vec<Range<usize>> {
    let mut runs = Vec::new();
    let mut run: Option<(Range<usize>, usize)> = None;
    let mut close = |run: &mut Option<(Range<usize>, usize)>| {
        if let Some((range, count)) = run.take()
            && count >= ENGLISH_RUN
        {
            runs.push(range);
        }
    };
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        if hidden[at] || c.is_numeric() {
            close(&mut run);
            i += 1;
            continue;
        }
        if !c.is_alphabetic() {
            i += 1;
            continue;
        }
        // A word: letters, with apostrophes and hyphens between letters.
        let mut j = i + 1;
        while j < chars.len() {
            let (pos, ch) = chars[j];
            let joins = matches!(ch, '\'' | '’' | '-')
                && chars
                    .get(j + 1)
                    .is_some_and(|&(p, n)| n.is_alphabetic() && !hidden[p]);
            if hidden[pos] || !(ch.is_alphabetic() || joins) {
                break;
            }
            j += 1;
        }
        let end = chars.get(j).map_or(text.len(), |&(p, _)| p);
        let word = text[at..end].to_lowercase().replace('’', "'");
        if english.contains(word.as_str()) {
            match &mut run {
                Some((range, count)) => {
                    range.end = end;
                    *count += 1;
                }
                None => run = Some((at..end, 1)),
            }
        } else {
            close(&mut run);
        }
        i = j;
    }
    close(&mut run);
    runs
}

/// What is wrong with the quotation marks of a text, if anything.
fn quote_problems(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let letter = |i: Option<usize>| {
        i.and_then(|i| chars.get(i))
            .is_some_and(|c| c.is_alphanumeric())
    };
    let mut problems = Vec::new();
    let (mut double, mut single) = (0usize, 0usize);
    let (mut straight_double, mut straight_single) = (0usize, 0usize);
    for (i, &c) in chars.iter().enumerate() {
        let between_letters = letter(i.checked_sub(1)) && letter(Some(i + 1));
        match c {
            '“' => double += 1,
            '”' if double > 0 => double -= 1,
            '”' => problems.push("a closing ” without an opening “".to_string()),
            '‘' => single += 1,
            // Otherwise an apostrophe (MessageBird’s, customers’).
            '’' if single > 0 && !between_letters => single -= 1,
            '"' => straight_double += 1,
            '\'' if !between_letters => straight_single += 1,
            _ => {}
        }
    }
    if double > 0 {
        problems.push("an opening “ without a closing ”".to_string());
    }
    if single > 0 {
        problems.push("an opening ‘ without a closing ’".to_string());
    }
    if straight_double % 2 == 1 {
        problems.push(format!("an odd number ({straight_double}) of \" marks"));
    }
    if straight_single % 2 == 1 {
        problems.push(format!("an odd number ({straight_single}) of ' marks"));
    }
    problems.dedup();
    problems
}

fn shorten(text: &str) -> String {
    let full = text.replace(MARK, "{…}");
    let shown: String = full.chars().take(80).collect();
    if shown.len() < full.len() {
        format!("{shown}…")
    } else {
        shown
    }
}

// ---------------------------------------------------------------------------------------------
// English words

/// Common English words, mostly function words, that rarely stand in a Dutch or Indonesian
/// sentence. A translation with [`ENGLISH_RUN`] of them in a row has English left in it.
#[rustfmt::skip]
const ENGLISH: &[&str] = &[
    "a", "about", "above", "according", "across", "address", "after", "again", "against", "agree",
    "all", "already", "also", "although", "always", "am", "an", "and", "another", "answer", "any",
    "anyone", "anything", "applies", "apply", "are", "aren't", "around", "as", "ask", "at",
    "available", "away", "back", "be", "because", "been", "before", "behalf", "being", "believe",
    "below", "best", "better", "between", "both", "business", "but", "by", "can", "can't",
    "cannot", "change", "changes", "charge", "check", "child", "children", "choose", "collect",
    "collected", "collects", "companies", "company", "consent", "contact", "control", "could",
    "countries", "country", "cover", "covers", "customer", "customers", "decide", "decides",
    "delete", "deleted", "described", "detailed", "determine", "determines", "did", "do", "does",
    "doesn't", "don't", "done", "down", "during", "each", "either", "else", "enough", "ensure",
    "even", "ever", "every", "everyone", "example", "fee", "few", "find", "following", "for",
    "found", "free", "from", "further", "get", "give", "given", "gives", "go", "had", "has",
    "have", "having", "he", "her", "here", "his", "hold", "holds", "how", "however", "i", "if",
    "in", "include", "includes", "including", "information", "instructions", "into", "is", "isn't",
    "it", "it's", "its", "just", "keep", "kept", "kind", "know", "last", "later", "latest", "law",
    "laws", "learn", "least", "less", "let", "like", "made", "make", "makes", "many", "may",
    "means", "might", "more", "most", "much", "must", "my", "need", "needed", "needs", "never",
    "new", "next", "no", "none", "nor", "not", "nothing", "now", "of", "off", "often", "on",
    "once", "one", "only", "or", "order", "other", "others", "otherwise", "our", "ours", "out",
    "outside", "over", "own", "parent", "parties", "people", "perform", "person", "personal",
    "please", "policy", "previous", "process", "processed", "processes", "processing", "protect",
    "protection", "purpose", "purposes", "question", "questions", "rather", "read", "receive",
    "received", "regarding", "request", "requests", "responsible", "right", "rights", "same",
    "security", "see", "send", "sent", "services", "shall", "share", "shared", "shares", "sharing",
    "she", "should", "since", "so", "some", "something", "statement", "still", "store", "stored",
    "such", "take", "taken", "tell", "than", "that", "that's", "the", "their", "them",
    "themselves", "then", "there", "these", "they", "they're", "third", "this", "those", "though",
    "through", "thus", "time", "to", "together", "too", "towards", "under", "unless", "until",
    "up", "updated", "upon", "us", "use", "used", "uses", "using", "version", "very", "view",
    "visit", "want", "wants", "was", "way", "we", "we're", "well", "were", "what", "when", "where",
    "whether", "which", "while", "who", "whom", "whose", "why", "will", "with", "withdraw",
    "within", "without", "won't", "would", "write", "yet", "you", "you're", "your", "yours",
    "yourself",
];

/// Words of the list that are also Dutch (`of` is "or", `kind` is "child", `taken` is
/// "tasks") or that Dutch borrows.
#[rustfmt::skip]
const NOT_ENGLISH_NL: &[&str] = &[
    "as", "best", "business", "charge", "check", "contact", "country", "cover", "covers", "delete",
    "do", "even", "ever", "fee", "had", "he", "here", "in", "is", "kind", "last", "later", "let",
    "made", "most", "of", "order", "over", "processing", "security", "services", "statement",
    "store", "taken", "was", "we",
];

/// Words of the list that are also Indonesian or that Indonesian borrows (`no` abbreviates
/// "nomor").
#[rustfmt::skip]
const NOT_ENGLISH_ID: &[&str] = &[
    "as", "do", "had", "no", "order", "over", "person", "personal",
];

/// The English words to look for in a locale, if its language is one the list is tuned for.
fn english_words(tag: &str) -> Option<BTreeSet<&'static str>> {
    let language = tag.split(['-', '_']).next()?.to_ascii_lowercase();
    let not_english = match language.as_str() {
        "nl" => NOT_ENGLISH_NL,
        "id" => NOT_ENGLISH_ID,
        _ => return None,
    };
    Some(
        ENGLISH
            .iter()
            .copied()
            .filter(|w| !not_english.contains(w))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_pair_up_and_apostrophes_are_not_quotes() {
        assert!(quote_problems("“kami”, “kita” en MessageBird’s beleid").is_empty());
        assert!(quote_problems("the customers’ data and ‘Approved Processors’").is_empty());
        assert!(quote_problems("with the subject '\u{FFFC}' and collega's").is_empty());
        assert_eq!(
            quote_problems("(“kami”, “kita”, milik kita”, atau MessageBird”)"),
            vec!["a closing ” without an opening “".to_string()]
        );
        assert_eq!(
            quote_problems("‘open"),
            vec!["an opening ‘ without a closing ’".to_string()]
        );
        assert_eq!(
            quote_problems("a \"b"),
            vec!["an odd number (1) of \" marks".to_string()]
        );
    }

    #[test]
    fn latin_script_covers_the_extended_blocks() {
        for c in ['a', 'Z', 'é', 'Ǟ', 'ẞ', 'ｗ'] {
            assert!(is_latin(c), "{c}");
        }
        for c in ['你', '1', ' ', 'Ж', MARK] {
            assert!(!is_latin(c), "{c}");
        }
    }

    #[test]
    fn addresses_are_found_without_trailing_punctuation() {
        let text = "写信至 privacy@messagebird.com。或 https://example.com/a.";
        let found: Vec<&str> = addresses(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(
            found,
            vec!["https://example.com/a", "privacy@messagebird.com"]
        );
    }

    #[test]
    fn terms_are_found_case_insensitively_when_asked() {
        assert_eq!(find_all("Cookies en cookie", "cookie", true).len(), 2);
        assert_eq!(find_all("Cookies en cookie", "cookie", false).len(), 1);
    }
}
