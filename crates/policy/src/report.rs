//! Diagnostics: what is wrong with a policy, where, and how to fix it.

use codespan_reporting::diagnostic::{Diagnostic, Severity};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, Config};

use crate::load::FileId;

/// Every kind of problem the loader and checker report. The code is printed with the message
/// (`error[P0103]`), so that a problem can be looked up and silenced tests can name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Code {
    /// A file cannot be read or is missing.
    MissingFile,
    /// TOML or Fluent syntax, or a value of the wrong shape.
    Syntax,
    /// An id that is not lower-case words joined by hyphens.
    InvalidId,
    /// An id declared twice.
    DuplicateId,
    /// A reference to an item that is not declared.
    UnknownReference,
    /// A required table is missing.
    MissingSection,
    /// A purpose with no legal basis.
    PurposeWithoutBasis,
    /// Legitimate interest relied on for special categories of data.
    InterestOverSpecialCategories,
    /// A legitimate-interest basis with no or a failed assessment.
    InterestAssessment,
    /// A retention rule covering a data category that is not declared.
    RetentionUnknownCategory,
    /// A retention rule with no period.
    RetentionWithoutPeriod,
    /// A period that is not an ISO 8601 duration, or bounds in the wrong order.
    InvalidPeriod,
    /// A product naming a data category that is not declared.
    ProductUndeclaredCategory,
    /// A recipient outside the EEA with no transfer mechanism.
    TransferWithoutMechanism,
    /// A country that is not an ISO 3166-1 alpha-2 code.
    InvalidCountry,
    /// A cookie without a category.
    CookieWithoutCategory,
    /// A cookie without a provider.
    CookieWithoutProvider,
    /// A cookie without a lifespan.
    CookieWithoutLifespan,
    /// A message missing from a locale.
    MissingMessage,
    /// A message with no counterpart in the source locale.
    UnusedMessage,
    /// Version dates that do not increase with the version order.
    VersionOrder,
    /// A date that is not YYYY-MM-DD.
    InvalidDate,
    /// A contact point with no e-mail, postal address or web address.
    ContactWithoutAddress,
    /// A rights deadline longer than the law allows.
    DeadlineTooLong,
    /// A value shape whose `type` names no type.
    UnknownValueType,
    /// A value shape missing what its type needs: an enum without values, a list without
    /// items, an object without fields, a one-of with fewer than two shapes.
    IncompleteShape,
    /// Bounds of a value shape in the wrong order, negative or fractional where a count is
    /// meant.
    InvalidBounds,
    /// An option its type does not take (`values` on text, `required` outside an object).
    MisplacedShapeOption,
    /// A shape that cannot decide: an enum value listed twice, or one-of shapes that take the
    /// same kind of JSON value.
    AmbiguousShape,
    /// A product's `payload` shaping a category the product does not process.
    PayloadForOtherCategory,
    /// A field name that is not lower-case words joined by underscores.
    InvalidFieldName,
    /// A category a product processes with no value shape (a warning: any value is accepted).
    CategoryWithoutShape,
    /// A translation whose `$variables` differ from its source message's.
    PlaceableMismatch,
    /// A translation identical to its English source, though it is not made only of names,
    /// numbers and punctuation.
    LeftInEnglish,
    /// A run of English words inside a Dutch or Indonesian translation.
    EnglishInTranslation,
    /// A do-not-translate glossary term of the source missing from the translation.
    GlossaryTermChanged,
    /// Latin-script words in a Chinese translation that are not names, codes or addresses.
    LatinInChinese,
    /// Quotation marks that do not pair up within a translated message.
    UnbalancedQuotes,
}

impl Code {
    /// The printed code.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::MissingFile => "P0001",
            Code::Syntax => "P0002",
            Code::InvalidId => "P0101",
            Code::DuplicateId => "P0102",
            Code::UnknownReference => "P0103",
            Code::MissingSection => "P0104",
            Code::PurposeWithoutBasis => "P0201",
            Code::InterestOverSpecialCategories => "P0202",
            Code::InterestAssessment => "P0203",
            Code::RetentionUnknownCategory => "P0301",
            Code::RetentionWithoutPeriod => "P0302",
            Code::InvalidPeriod => "P0303",
            Code::ProductUndeclaredCategory => "P0401",
            Code::TransferWithoutMechanism => "P0501",
            Code::InvalidCountry => "P0502",
            Code::CookieWithoutCategory => "P0601",
            Code::CookieWithoutProvider => "P0602",
            Code::CookieWithoutLifespan => "P0603",
            Code::MissingMessage => "P0701",
            Code::UnusedMessage => "P0702",
            Code::VersionOrder => "P0801",
            Code::InvalidDate => "P0802",
            Code::ContactWithoutAddress => "P0901",
            Code::DeadlineTooLong => "P1001",
            Code::UnknownValueType => "P1101",
            Code::IncompleteShape => "P1102",
            Code::InvalidBounds => "P1103",
            Code::MisplacedShapeOption => "P1104",
            Code::AmbiguousShape => "P1105",
            Code::PayloadForOtherCategory => "P1106",
            Code::InvalidFieldName => "P1107",
            Code::CategoryWithoutShape => "P1108",
            Code::PlaceableMismatch => "P1201",
            Code::LeftInEnglish => "P1202",
            Code::EnglishInTranslation => "P1203",
            Code::GlossaryTermChanged => "P1204",
            Code::LatinInChinese => "P1205",
            Code::UnbalancedQuotes => "P1206",
        }
    }
}

/// The diagnostics of a load or check, with the files they point into.
pub struct Report {
    files: SimpleFiles<String, String>,
    diagnostics: Vec<Diagnostic<FileId>>,
    manifest: Option<FileId>,
}

impl std::fmt::Debug for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Report")
            .field("diagnostics", &self.diagnostics)
            .finish()
    }
}

impl Report {
    pub(crate) fn new(files: SimpleFiles<String, String>) -> Self {
        Self {
            files,
            diagnostics: Vec::new(),
            manifest: None,
        }
    }

    pub(crate) fn add_file(&mut self, name: String, text: String) -> FileId {
        self.files.add(name, text)
    }

    pub(crate) fn set_manifest(&mut self, file: FileId) {
        self.manifest = Some(file);
    }

    /// The file id of `policy.toml`.
    pub(crate) fn manifest(&self) -> Option<FileId> {
        self.manifest
    }

    pub(crate) fn file_name(&self, file: FileId) -> String {
        self.files
            .get(file)
            .map(|f| f.name().clone())
            .unwrap_or_default()
    }

    pub(crate) fn push(&mut self, diagnostic: Diagnostic<FileId>) {
        self.diagnostics.push(diagnostic);
    }

    pub(crate) fn push_plain(&mut self, code: Code, message: String, help: String) {
        self.diagnostics.push(
            Diagnostic::error()
                .with_code(code.as_str())
                .with_message(message)
                .with_notes(vec![help]),
        );
    }

    /// Every diagnostic, in the order found.
    pub fn diagnostics(&self) -> &[Diagnostic<FileId>] {
        &self.diagnostics
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity >= Severity::Error)
            .count()
    }

    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }

    /// Whether any error was found.
    pub fn has_errors(&self) -> bool {
        self.error_count() > 0
    }

    /// The codes of every diagnostic, for tests.
    pub fn codes(&self) -> Vec<&str> {
        self.diagnostics
            .iter()
            .filter_map(|d| d.code.as_deref())
            .collect()
    }

    /// The place (file, line, column) of the first label of every diagnostic, for tests.
    pub fn locations(&self) -> Vec<(String, usize, usize)> {
        use codespan_reporting::files::Files;
        self.diagnostics
            .iter()
            .filter_map(|d| {
                let label = d.labels.first()?;
                let loc = self.files.location(label.file_id, label.range.start).ok()?;
                Some((
                    self.file_name(label.file_id),
                    loc.line_number,
                    loc.column_number,
                ))
            })
            .collect()
    }

    /// Every diagnostic rendered as a compiler would, with source excerpts.
    pub fn render(&self, color: bool) -> String {
        use codespan_reporting::term::termcolor::{Ansi, NoColor};
        let config = Config::default();
        let mut out = Vec::new();
        for diagnostic in &self.diagnostics {
            let result = if color {
                term::emit_to_write_style(
                    &mut Ansi::new(&mut out),
                    &config,
                    &self.files,
                    diagnostic,
                )
            } else {
                term::emit_to_write_style(
                    &mut NoColor::new(&mut out),
                    &config,
                    &self.files,
                    diagnostic,
                )
            };
            if let Err(err) = result {
                out.extend_from_slice(
                    format!("(could not render a diagnostic: {err})\n").as_bytes(),
                );
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    }
}
