//! The data subject's access and portability bundle: a ZIP file streamed to any
//! [`std::io::Write`], never needing to seek, so it can go straight into an HTTP response.
//!
//! The archive holds, in this order:
//! 1. `records.json`: `{"subject": …, "generated_at": …, "records": [ … ]}`, every record as
//!    [`OpenRecord`] serializes it, written page by page;
//! 2. one `<product>.csv` per product, with the record's fixed fields and one column per data
//!    category, each cell quoted and spreadsheet formulas defused;
//! 3. `index.html`: a self-contained page in the requester's language saying what the files
//!    are, how many records each product holds, and which categories are kept under a legal
//!    duty, until when and why.
//!
//! Nothing accumulates records: each page is serialized into one reused buffer, compressed and
//! passed on. What is kept is one count per product and one line per CSV file, for the index.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde_json::Value;
use zip::write::{SimpleFileOptions, StreamWriter};
use zip::{CompressionMethod, ZipWriter};

use crate::records::OpenRecord;

/// The JSON file's name in the archive.
const JSON_NAME: &str = "records.json";
/// The index page's name in the archive.
const INDEX_NAME: &str = "index.html";
/// The columns every CSV starts with, before the data categories.
const FIXED_COLUMNS: [&str; 10] = [
    "id",
    "occurred_at",
    "purpose",
    "legal_basis",
    "source",
    "role",
    "country",
    "retention_rule",
    "expires_at",
    "version",
];
/// The longest file-name stem a product gets.
const MAX_STEM: usize = 64;
/// A page buffer larger than this is given back after use rather than kept.
const KEEP_BUFFER: usize = 4 << 20;

/// The words of `index.html`, in the requester's language. Every string is HTML-escaped
/// where it is inserted.
#[derive(Debug, Clone, Copy)]
pub struct IndexText<'a> {
    /// The page's language, BCP 47 (`en`, `nl`, `zh-CN`, `id`); it becomes the `lang`
    /// attribute.
    pub lang: &'a str,
    /// The page's title and heading.
    pub title: &'a str,
    /// The sentence under the heading saying what the bundle is.
    pub intro: &'a str,
    /// The label of the subject reference.
    pub subject_label: &'a str,
    /// The label of the time the bundle was generated.
    pub generated_label: &'a str,
    /// The heading of the table of files.
    pub files_heading: &'a str,
    /// The column heading of a file's name.
    pub file_label: &'a str,
    /// The column heading of what a file holds.
    pub contents_label: &'a str,
    /// The column heading of record counts.
    pub records_label: &'a str,
    /// What `records.json` holds.
    pub json_description: &'a str,
    /// What a product's CSV holds; `{product}` is replaced by the product id.
    pub csv_description: &'a str,
    /// The heading of the table of counts per product.
    pub products_heading: &'a str,
    /// The column heading of a product.
    pub product_label: &'a str,
    /// The heading of the categories kept under a legal duty.
    pub retained_heading: &'a str,
    /// The sentence explaining that table.
    pub retained_intro: &'a str,
    /// The column heading of a data category.
    pub category_label: &'a str,
    /// The column heading of until when a category is kept.
    pub until_label: &'a str,
    /// The column heading of why a category is kept.
    pub why_label: &'a str,
    /// The cell text for a record whose data is gone (erased, expired, key destroyed).
    pub erased: &'a str,
    /// The sentence shown when there are no records at all.
    pub no_data: &'a str,
}

/// A data category kept under a legal duty, for the index page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retained {
    /// The data category.
    pub category: String,
    /// Until when it is kept, as it should be shown.
    pub until: String,
    /// Why it is kept (the legal duty), as it should be shown.
    pub why: String,
}

/// Which file of the archive is being written.
enum Open {
    /// `records.json`; `any` once a record was written (a comma goes before the next).
    Json { any: bool },
    /// A product's CSV: its index in [`Bundle::csvs`] and its category columns.
    Csv {
        file: usize,
        categories: Vec<String>,
    },
    /// Between files: `records.json` is closed and no CSV is open.
    Between,
}

/// One CSV file of the archive, for the index page.
struct CsvFile {
    name: String,
    product: String,
    rows: u64,
}

/// A streaming writer of the access/portability bundle. Use it in this order: [`Bundle::new`],
/// [`Bundle::json_records`] for every page, then for each product [`Bundle::begin_csv`] and
/// [`Bundle::csv_records`] for its pages, and last [`Bundle::finish`]. Calls out of that order
/// fail with [`io::ErrorKind::InvalidInput`].
pub struct Bundle<W: Write> {
    zip: ZipWriter<StreamWriter<W>>,
    options: SimpleFileOptions,
    subject: String,
    generated_at: Timestamp,
    open: Open,
    /// Records per product in `records.json`.
    counts: BTreeMap<String, u64>,
    /// Records in `records.json`.
    total: u64,
    csvs: Vec<CsvFile>,
    /// The serialized page, reused.
    buf: Vec<u8>,
    /// One CSV row, reused.
    row: String,
}

impl<W: Write> std::fmt::Debug for Bundle<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bundle")
            .field("subject", &self.subject)
            .field("generated_at", &self.generated_at)
            .field("records", &self.total)
            .field("csvs", &self.csvs.len())
            .finish_non_exhaustive()
    }
}

impl<W: Write> Bundle<W> {
    /// Starts the ZIP and `records.json`, for `subject` (the reference shown to the requester)
    /// at `generated_at`, which also dates the archive's entries.
    pub fn new(out: W, subject: &str, generated_at: Timestamp) -> io::Result<Self> {
        let zip = ZipWriter::new_stream(out).set_auto_large_file();
        let options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .unix_permissions(0o644)
            .last_modified_time(zip_time(generated_at));
        let mut bundle = Self {
            zip,
            options,
            subject: subject.to_string(),
            generated_at,
            open: Open::Json { any: false },
            counts: BTreeMap::new(),
            total: 0,
            csvs: Vec::new(),
            buf: Vec::new(),
            row: String::new(),
        };
        bundle.zip.start_file(JSON_NAME, options)?;
        let mut head = String::from("{\n\"subject\": ");
        head.push_str(&serde_json::to_string(subject)?);
        head.push_str(",\n\"generated_at\": ");
        head.push_str(&serde_json::to_string(&generated_at)?);
        head.push_str(",\n\"records\": [");
        bundle.zip.write_all(head.as_bytes())?;
        Ok(bundle)
    }

    /// Appends records (one page) to `records.json`; also counts them per product.
    pub fn json_records(&mut self, records: &[OpenRecord]) -> io::Result<()> {
        let Open::Json { any } = &mut self.open else {
            return Err(misuse("records.json is already closed"));
        };
        self.buf.clear();
        for record in records {
            self.buf
                .extend_from_slice(if *any { b",\n" } else { b"\n" });
            *any = true;
            serde_json::to_writer(&mut self.buf, record)?;
            match self.counts.get_mut(&record.product) {
                Some(n) => *n += 1,
                None => {
                    self.counts.insert(record.product.clone(), 1);
                }
            }
            self.total += 1;
        }
        self.zip.write_all(&self.buf)?;
        self.release_buffer();
        Ok(())
    }

    /// Closes `records.json` (if it is still open) and starts `<product>.csv` with these data
    /// category columns, after the fixed ones. The file name is the product id reduced to
    /// `[a-z0-9-]`, made unique within the archive.
    pub fn begin_csv(&mut self, product: &str, categories: &[String]) -> io::Result<()> {
        self.close_json()?;
        let stem = file_stem(product);
        let mut name = format!("{stem}.csv");
        let mut n = 1;
        while self.csvs.iter().any(|c| c.name == name) {
            n += 1;
            name = format!("{stem}-{n}.csv");
        }
        self.zip.start_file(name.as_str(), self.options)?;
        self.row.clear();
        let columns = FIXED_COLUMNS
            .iter()
            .copied()
            .chain(categories.iter().map(String::as_str));
        for (i, column) in columns.enumerate() {
            push_cell(&mut self.row, i == 0, column, true);
        }
        self.row.push_str("\r\n");
        self.zip.write_all(self.row.as_bytes())?;
        self.csvs.push(CsvFile {
            name,
            product: product.to_string(),
            rows: 0,
        });
        self.open = Open::Csv {
            file: self.csvs.len() - 1,
            categories: categories.to_vec(),
        };
        Ok(())
    }

    /// Appends rows to the current CSV, one per record (the caller passes the product's
    /// records). A record whose data is gone gets `erased` in the first category column.
    pub fn csv_records(&mut self, records: &[OpenRecord], erased: &str) -> io::Result<()> {
        let Open::Csv { file, categories } = &self.open else {
            return Err(misuse("no CSV is open: call begin_csv first"));
        };
        self.buf.clear();
        for record in records {
            self.row.clear();
            csv_row(&mut self.row, record, categories, erased);
            self.buf.extend_from_slice(self.row.as_bytes());
        }
        if let Some(csv) = self.csvs.get_mut(*file) {
            csv.rows += records.len() as u64;
        }
        self.zip.write_all(&self.buf)?;
        self.release_buffer();
        Ok(())
    }

    /// Closes the last file, writes `index.html` and the ZIP's central directory; returns the
    /// writer, flushed.
    pub fn finish(mut self, text: &IndexText<'_>, retained: &[Retained]) -> io::Result<W> {
        self.close_json()?;
        let html = self.index_html(text, retained);
        self.zip.start_file(INDEX_NAME, self.options)?;
        self.zip.write_all(html.as_bytes())?;
        let mut out = self.zip.finish()?.into_inner();
        out.flush()?;
        Ok(out)
    }

    /// The products seen in `records.json` so far, with their record counts, sorted by
    /// product.
    pub fn products(&self) -> Vec<(String, u64)> {
        self.counts.iter().map(|(p, n)| (p.clone(), *n)).collect()
    }

    /// Ends the record list and the document, if `records.json` is still open.
    fn close_json(&mut self) -> io::Result<()> {
        if let Open::Json { any } = self.open {
            let tail: &[u8] = if any { b"\n]\n}\n" } else { b"]\n}\n" };
            self.zip.write_all(tail)?;
            self.open = Open::Between;
        }
        Ok(())
    }

    /// Gives back a buffer a very large page grew, so one page does not pin its memory.
    fn release_buffer(&mut self) {
        if self.buf.capacity() > KEEP_BUFFER {
            self.buf = Vec::new();
        }
    }

    /// The index page.
    fn index_html(&self, text: &IndexText<'_>, retained: &[Retained]) -> String {
        let mut h = String::with_capacity(4096);
        let lang = text.lang.trim();
        let dir = if is_rtl(lang) { " dir=\"rtl\"" } else { "" };
        let _ = write!(
            h,
            "<!DOCTYPE html>\n<html lang=\"{}\"{dir}>\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n<h1>{}</h1>\n\
             <p>{}</p>\n",
            esc(lang),
            esc(text.title),
            esc(text.title),
            esc(text.intro),
        );
        let rfc3339 = self.generated_at.to_string();
        let shown = self.generated_at.strftime("%Y-%m-%d %H:%M:%S UTC");
        let _ = write!(
            h,
            "<dl>\n<dt>{}</dt><dd><code>{}</code></dd>\n<dt>{}</dt><dd><time datetime=\"{}\">{}</time></dd>\n</dl>\n",
            esc(text.subject_label),
            esc(&self.subject),
            esc(text.generated_label),
            esc(&rfc3339),
            esc(&shown.to_string()),
        );

        let _ = write!(
            h,
            "<h2>{}</h2>\n<table>\n<thead><tr><th>{}</th><th>{}</th><th class=\"n\">{}</th></tr></thead>\n<tbody>\n",
            esc(text.files_heading),
            esc(text.file_label),
            esc(text.contents_label),
            esc(text.records_label),
        );
        file_row(&mut h, JSON_NAME, text.json_description, self.total);
        for csv in &self.csvs {
            let description = text.csv_description.replace("{product}", &csv.product);
            file_row(&mut h, &csv.name, &description, csv.rows);
        }
        h.push_str("</tbody>\n</table>\n");

        let _ = writeln!(h, "<h2>{}</h2>", esc(text.products_heading));
        if self.counts.is_empty() {
            let _ = writeln!(h, "<p class=\"none\">{}</p>", esc(text.no_data));
        } else {
            let _ = write!(
                h,
                "<table>\n<thead><tr><th>{}</th><th class=\"n\">{}</th></tr></thead>\n<tbody>\n",
                esc(text.product_label),
                esc(text.records_label),
            );
            for (product, n) in &self.counts {
                let _ = writeln!(
                    h,
                    "<tr><td>{}</td><td class=\"n\">{n}</td></tr>",
                    esc(product)
                );
            }
            h.push_str("</tbody>\n</table>\n");
        }

        if !retained.is_empty() {
            let _ = write!(
                h,
                "<h2>{}</h2>\n<p>{}</p>\n<table>\n<thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>\n",
                esc(text.retained_heading),
                esc(text.retained_intro),
                esc(text.category_label),
                esc(text.until_label),
                esc(text.why_label),
            );
            for r in retained {
                let _ = writeln!(
                    h,
                    "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                    esc(&r.category),
                    esc(&r.until),
                    esc(&r.why),
                );
            }
            h.push_str("</tbody>\n</table>\n");
        }
        h.push_str("</main>\n</body>\n</html>\n");
        h
    }
}

/// The index page's style sheet: readable on screen and on paper, light or dark.
const STYLE: &str = "
:root{color-scheme:light dark;font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,\"Noto Sans\",sans-serif;line-height:1.5}
body{margin:0;padding:1.5rem}
main{max-width:52rem;margin:0 auto}
h1{font-size:1.6rem;margin:0 0 .5rem}
h2{font-size:1.2rem;margin:2rem 0 .5rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}
dt{font-weight:600}
dd{margin:0;overflow-wrap:anywhere}
table{border-collapse:collapse;width:100%}
th,td{text-align:start;vertical-align:top;padding:.4rem .6rem;border-bottom:1px solid #8884}
thead th{border-bottom:2px solid #888}
.n{text-align:end;font-variant-numeric:tabular-nums}
.none{font-style:italic}
@media print{body{padding:0}a{color:inherit;text-decoration:none}}
";

/// One row of the table of files, linking to the file (it sits beside the page once the
/// archive is extracted).
fn file_row(h: &mut String, name: &str, description: &str, rows: u64) {
    let name = esc(name);
    let _ = writeln!(
        h,
        "<tr><td><a href=\"{name}\"><code>{name}</code></a></td><td>{}</td><td class=\"n\">{rows}</td></tr>",
        esc(description)
    );
}

/// One CSV row, with its line end.
fn csv_row(row: &mut String, record: &OpenRecord, categories: &[String], erased: &str) {
    let country = record.country.as_deref().unwrap_or("");
    let expires = record.expires_at.map(|t| t.to_string()).unwrap_or_default();
    let fixed: [&str; 8] = [
        &record.occurred_at.to_string(),
        &record.purpose,
        &record.legal_basis,
        &record.source,
        &record.role,
        country,
        &record.retention_rule,
        &expires,
    ];
    push_cell(row, true, &record.id.to_string(), true);
    for cell in fixed {
        push_cell(row, false, cell, true);
    }
    push_cell(row, false, &record.version.to_string(), false);
    match &record.data {
        None => {
            for i in 0..categories.len() {
                push_cell(row, false, if i == 0 { erased } else { "" }, true);
            }
        }
        Some(Value::Object(data)) => {
            for category in categories {
                push_value(row, data.get(category.as_str()));
            }
        }
        // Not keyed by category (not something ingest stores): the whole value goes in the
        // first column.
        Some(other) => {
            for i in 0..categories.len() {
                push_value(row, (i == 0).then_some(other));
            }
        }
    }
    row.push_str("\r\n");
}

/// A JSON value as a CSV cell: strings as they are, numbers and booleans as their JSON text,
/// objects and arrays as compact JSON, null or absent as an empty cell.
fn push_value(row: &mut String, value: Option<&Value>) {
    match value {
        None | Some(Value::Null) => push_cell(row, false, "", true),
        Some(Value::String(s)) => push_cell(row, false, s, true),
        // A number is never a formula: a negative one keeps its sign as it is.
        Some(Value::Number(n)) => push_cell(row, false, &n.to_string(), false),
        Some(Value::Bool(b)) => push_cell(row, false, if *b { "true" } else { "false" }, true),
        Some(v) => push_cell(row, false, &v.to_string(), true),
    }
}

/// Appends one quoted cell (after a comma unless it is the first), doubling quotes and, with
/// `defuse`, putting `'` before text a spreadsheet would take for a formula.
fn push_cell(row: &mut String, first: bool, text: &str, defuse: bool) {
    if !first {
        row.push(',');
    }
    row.push('"');
    if defuse && is_formula(text) {
        row.push('\'');
    }
    for c in text.chars() {
        if c == '"' {
            row.push('"');
        }
        row.push(c);
    }
    row.push('"');
}

/// Whether a spreadsheet could read the cell as a formula (or a command, through a leading
/// tab or carriage return).
fn is_formula(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// A product id as a file-name stem: lower-case `[a-z0-9-]`, each run of anything else one
/// `-`, no `-` at either end, at most [`MAX_STEM`] characters; `product` if nothing is left.
fn file_stem(product: &str) -> String {
    let mut stem = String::new();
    for c in product.chars() {
        if stem.len() >= MAX_STEM {
            break;
        }
        let c = c.to_ascii_lowercase();
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            stem.push(c);
        } else if !stem.is_empty() && !stem.ends_with('-') {
            stem.push('-');
        }
    }
    let stem = stem.trim_end_matches('-');
    if stem.is_empty() {
        "product".to_string()
    } else {
        stem.to_string()
    }
}

/// Escapes text for HTML content and quoted attribute values.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Whether a language is written right to left, by its primary subtag.
fn is_rtl(lang: &str) -> bool {
    let primary = lang.split(['-', '_']).next().unwrap_or("");
    [
        "ar", "he", "iw", "fa", "ur", "ps", "sd", "ug", "yi", "dv", "ckb",
    ]
    .iter()
    .any(|l| primary.eq_ignore_ascii_case(l))
}

/// The archive entries' date: `at` in UTC, or 1980-01-01 where ZIP cannot say it.
fn zip_time(at: Timestamp) -> zip::DateTime {
    let dt = TimeZone::UTC.to_datetime(at);
    u16::try_from(dt.year())
        .ok()
        .and_then(|year| {
            zip::DateTime::from_date_and_time(
                year,
                dt.month().unsigned_abs(),
                dt.day().unsigned_abs(),
                dt.hour().unsigned_abs(),
                dt.minute().unsigned_abs(),
                dt.second().unsigned_abs(),
            )
            .ok()
        })
        .unwrap_or_default()
}

/// A call out of order.
fn misuse(message: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, message.to_string())
}

#[cfg(test)]
mod tests {
    use std::io::{Cursor, Read};

    use custodian_core::{RecordId, SubjectId};
    use serde_json::json;
    use zip::ZipArchive;

    use super::*;

    const TEXT: IndexText<'static> = IndexText {
        lang: "nl",
        title: "Uw gegevens <script>alert(1)</script>",
        intro: "Dit zijn de gegevens die wij over u bewaren & verwerken.",
        subject_label: "Betrokkene",
        generated_label: "Aangemaakt",
        files_heading: "Bestanden",
        file_label: "Bestand",
        contents_label: "Inhoud",
        records_label: "Records",
        json_description: "Alle records, machineleesbaar (JSON)",
        csv_description: "Records van {product}, als tabel",
        products_heading: "Per product",
        product_label: "Product",
        retained_heading: "Wettelijk bewaard",
        retained_intro: "Deze gegevens moeten wij bewaren.",
        category_label: "Categorie",
        until_label: "Tot",
        why_label: "Waarom",
        erased: "gewist",
        no_data: "Wij bewaren geen gegevens over u.",
    };

    fn at() -> Timestamp {
        "2025-03-04T05:06:07Z".parse().unwrap()
    }

    fn record(product: &str, i: u64, data: Option<Value>) -> OpenRecord {
        OpenRecord {
            id: RecordId::new(),
            subject: SubjectId::new(),
            product: product.to_string(),
            categories: vec!["contact-data".to_string(), "traffic-data".to_string()],
            purpose: "billing".to_string(),
            legal_basis: "contract".to_string(),
            source: "subject".to_string(),
            role: "controller".to_string(),
            country: Some("NL".to_string()),
            occurred_at: at() - jiff::SignedDuration::from_secs(i as i64),
            retention_rule: "tax-7y".to_string(),
            expires_at: i.is_multiple_of(2).then(at),
            version: 1,
            supersedes: None,
            superseded: false,
            data,
        }
    }

    fn data(i: u64) -> Option<Value> {
        Some(json!({
            "contact-data": {"phone": format!("+3161234{i:04}")},
            "traffic-data": {"duration_s": i},
        }))
    }

    fn unzip(bytes: &[u8]) -> BTreeMap<String, String> {
        let mut archive = ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut files = BTreeMap::new();
        for i in 0..archive.len() {
            let mut file = archive.by_index(i).unwrap();
            let mut text = String::new();
            file.read_to_string(&mut text).unwrap();
            files.insert(file.name().unwrap().to_string(), text);
        }
        files
    }

    fn names(bytes: &[u8]) -> Vec<String> {
        let mut archive = ZipArchive::new(Cursor::new(bytes)).unwrap();
        (0..archive.len())
            .map(|i| archive.by_index(i).unwrap().name().unwrap().to_string())
            .collect()
    }

    fn read_csv(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
        let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
        let header = reader
            .headers()
            .unwrap()
            .iter()
            .map(str::to_string)
            .collect();
        let rows = reader
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect();
        (header, rows)
    }

    /// Writes 1 500 `sms` and 1 000 `voice` records in pages, with a few odd ones.
    fn sample() -> Vec<u8> {
        let categories = vec!["contact-data".to_string(), "traffic-data".to_string()];
        let sms: Vec<OpenRecord> = (0..1500)
            .map(|i| match i {
                7 => record(
                    "sms",
                    i,
                    Some(json!({"contact-data": "=HYPERLINK(\"http://x\")", "traffic-data": -3})),
                ),
                8 => record("sms", i, None),
                9 => record(
                    "sms",
                    i,
                    Some(json!({"contact-data": "a \"quoted\", multi\nline", "traffic-data": [true, null]})),
                ),
                _ => record("sms", i, data(i)),
            })
            .collect();
        let voice: Vec<OpenRecord> = (0..1000).map(|i| record("voice", i, data(i))).collect();

        let mut bundle = Bundle::new(Vec::new(), "subj-<42>", at()).unwrap();
        for page in sms.chunks(100).chain(voice.chunks(300)) {
            bundle.json_records(page).unwrap();
        }
        assert_eq!(
            bundle.products(),
            vec![("sms".to_string(), 1500), ("voice".to_string(), 1000)]
        );
        bundle.begin_csv("sms", &categories).unwrap();
        for page in sms.chunks(128) {
            bundle.csv_records(page, TEXT.erased).unwrap();
        }
        bundle.begin_csv("voice", &categories[1..]).unwrap();
        for page in voice.chunks(1000) {
            bundle.csv_records(page, TEXT.erased).unwrap();
        }
        let retained = [Retained {
            category: "billing-data".to_string(),
            until: "2032-01-01".to_string(),
            why: "Belastingwet <art. 52>".to_string(),
        }];
        bundle.finish(&TEXT, &retained).unwrap()
    }

    #[test]
    fn round_trip_with_two_products() {
        let bytes = sample();
        assert_eq!(
            names(&bytes),
            ["records.json", "sms.csv", "voice.csv", "index.html"]
        );
        let files = unzip(&bytes);

        let doc: Value = serde_json::from_str(&files["records.json"]).unwrap();
        assert_eq!(doc["subject"], "subj-<42>");
        assert_eq!(doc["generated_at"], "2025-03-04T05:06:07Z");
        let records = doc["records"].as_array().unwrap();
        assert_eq!(records.len(), 2500);
        assert_eq!(
            records.iter().filter(|r| r["product"] == "sms").count(),
            1500
        );
        assert_eq!(records[8]["data"], Value::Null);
        assert_eq!(records[1600]["data"]["traffic-data"]["duration_s"], 100);

        let fixed: Vec<String> = FIXED_COLUMNS.iter().map(|c| c.to_string()).collect();
        let (header, rows) = read_csv(&files["sms.csv"]);
        assert_eq!(header[..10], fixed[..]);
        assert_eq!(header[10..], ["contact-data", "traffic-data"]);
        assert_eq!(rows.len(), 1500);
        assert!(rows.iter().all(|r| r.len() == 12));
        assert_eq!(rows[0][1], "2025-03-04T05:06:07Z");
        assert_eq!(rows[0][6], "NL");
        assert_eq!(rows[0][8], "2025-03-04T05:06:07Z");
        assert_eq!(rows[1][8], "");
        assert_eq!(rows[0][9], "1");
        assert_eq!(
            rows[3][10],
            r#"{"phone":"+3161234"#.to_string() + r#"0003"}"#
        );
        assert_eq!(rows[3][11], r#"{"duration_s":3}"#);
        // A formula is defused; a negative number is not a formula.
        assert_eq!(rows[7][10], "'=HYPERLINK(\"http://x\")");
        assert_eq!(rows[7][11], "-3");
        // Erased: the text in the first data column, the rest empty.
        assert_eq!(rows[8][10], "gewist");
        assert_eq!(rows[8][11], "");
        assert_eq!(rows[9][10], "a \"quoted\", multi\nline");
        assert_eq!(rows[9][11], "[true,null]");
        // Every cell is quoted, rows end in CRLF.
        assert!(files["sms.csv"].starts_with("\"id\",\"occurred_at\","));
        assert!(files["sms.csv"].ends_with("\"\r\n"));

        let (header, rows) = read_csv(&files["voice.csv"]);
        assert_eq!(header.len(), 11);
        assert_eq!(header[10], "traffic-data");
        assert_eq!(rows.len(), 1000);

        let html = &files["index.html"];
        assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"nl\">"));
        assert!(!html.contains("<script"));
        assert!(!html.contains("http"), "no external resources");
        assert!(html.contains("Uw gegevens &lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("bewaren &amp; verwerken"));
        assert!(html.contains("subj-&lt;42&gt;"));
        assert!(html.contains("2025-03-04 05:06:07 UTC"));
        assert!(html.contains("Records van sms, als tabel"));
        assert!(html.contains("<td class=\"n\">2500</td>"));
        assert!(html.contains("<tr><td>voice</td><td class=\"n\">1000</td></tr>"));
        assert!(html.contains("<h2>Wettelijk bewaard</h2>"));
        assert!(html.contains(
            "<tr><td>billing-data</td><td>2032-01-01</td><td>Belastingwet &lt;art. 52&gt;</td></tr>"
        ));
        assert!(!html.contains(TEXT.no_data));
    }

    #[test]
    fn python_reads_the_archive() {
        let bytes = sample();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bundle.zip");
        std::fs::write(&path, &bytes).unwrap();
        let script =
            "import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); print(z.testzip(), z.namelist())";
        let Ok(out) = std::process::Command::new("python3")
            .args(["-c", script])
            .arg(&path)
            .output()
        else {
            eprintln!("python3 not found: skipped");
            return;
        };
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            stdout.trim(),
            "None ['records.json', 'sms.csv', 'voice.csv', 'index.html']"
        );
    }

    #[test]
    fn empty_bundle() {
        let bundle = Bundle::new(Vec::new(), "s-1", at()).unwrap();
        assert!(bundle.products().is_empty());
        let bytes = bundle.finish(&TEXT, &[]).unwrap();
        assert_eq!(names(&bytes), ["records.json", "index.html"]);
        let files = unzip(&bytes);
        assert!(files["records.json"].contains("\"records\": []"));
        let doc: Value = serde_json::from_str(&files["records.json"]).unwrap();
        assert_eq!(doc["records"], json!([]));
        let html = &files["index.html"];
        assert!(html.contains(TEXT.no_data));
        assert!(!html.contains(".csv"));
        assert!(!html.contains("Wettelijk bewaard"), "no retained table");
    }

    #[test]
    fn json_only_pages_then_finish() {
        let mut bundle = Bundle::new(Vec::new(), "s", at()).unwrap();
        bundle.json_records(&[]).unwrap();
        bundle.json_records(&[record("email", 1, data(1))]).unwrap();
        bundle.json_records(&[]).unwrap();
        bundle.json_records(&[record("email", 2, None)]).unwrap();
        let bytes = bundle.finish(&TEXT, &[]).unwrap();
        let doc: Value = serde_json::from_str(&unzip(&bytes)["records.json"]).unwrap();
        assert_eq!(doc["records"].as_array().unwrap().len(), 2);
    }

    #[test]
    fn calls_out_of_order_are_refused() {
        let mut bundle = Bundle::new(Vec::new(), "s", at()).unwrap();
        let err = bundle.csv_records(&[], "x").unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
        bundle.begin_csv("sms", &[]).unwrap();
        let err = bundle.json_records(&[]).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
        bundle.csv_records(&[record("sms", 1, None)], "x").unwrap();
        let bytes = bundle.finish(&TEXT, &[]).unwrap();
        let (header, rows) = read_csv(&unzip(&bytes)["sms.csv"]);
        assert_eq!(header.len(), 10);
        assert_eq!(rows.len(), 1);
    }

    #[test]
    fn file_names_are_sanitized_and_unique() {
        assert_eq!(file_stem("sms"), "sms");
        assert_eq!(file_stem("Voice Calls!"), "voice-calls");
        assert_eq!(file_stem("../../etc/passwd"), "etc-passwd");
        assert_eq!(file_stem("e_mail.v2"), "e-mail-v2");
        assert_eq!(file_stem("-x-"), "x");
        assert_eq!(file_stem("短信"), "product");
        assert_eq!(file_stem(""), "product");
        assert_eq!(file_stem(&"a".repeat(500)).len(), MAX_STEM);

        let mut bundle = Bundle::new(Vec::new(), "s", at()).unwrap();
        for product in ["SMS", "sms", "../Voice", "短信"] {
            bundle.begin_csv(product, &["x".to_string()]).unwrap();
        }
        let bytes = bundle.finish(&TEXT, &[]).unwrap();
        assert_eq!(
            names(&bytes),
            [
                "records.json",
                "sms.csv",
                "sms-2.csv",
                "voice.csv",
                "product.csv",
                "index.html"
            ]
        );
        let html = &unzip(&bytes)["index.html"];
        assert!(html.contains("Records van ../Voice, als tabel"));
    }

    #[test]
    fn cells_are_quoted_and_defused() {
        let mut row = String::new();
        for (i, text) in [
            "=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "a'b", "x=1", "",
        ]
        .iter()
        .enumerate()
        {
            push_cell(&mut row, i == 0, text, true);
        }
        assert_eq!(
            row,
            "\"'=1+1\",\"'+1\",\"'-1\",\"'@SUM(A1)\",\"'\tx\",\"'\rx\",\"a'b\",\"x=1\",\"\""
        );
    }

    #[test]
    fn right_to_left_languages_get_dir() {
        let text = IndexText {
            lang: "ar-EG",
            ..TEXT
        };
        let bytes = Bundle::new(Vec::new(), "s", at())
            .unwrap()
            .finish(&text, &[])
            .unwrap();
        assert!(unzip(&bytes)["index.html"].contains("<html lang=\"ar-EG\" dir=\"rtl\">"));
        assert!(!is_rtl("zh-CN"));
        assert!(!is_rtl("id"));
    }
}
