//! A composed statement as HTML, Markdown or plain text.

use super::{Block, Document, Section};

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A complete HTML5 document with a small stylesheet.
    Html,
    /// CommonMark with pipe tables.
    Markdown,
    /// Plain text, wrapped at 80 columns for Latin scripts.
    Text,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "html" => Ok(Self::Html),
            "md" | "markdown" => Ok(Self::Markdown),
            "txt" | "text" => Ok(Self::Text),
            _ => Err(format!("`{s}` is not a format; use html, md or txt")),
        }
    }
}

/// The document in `format`.
pub fn render(doc: &Document, format: Format) -> String {
    match format {
        Format::Html => html_page(doc),
        Format::Markdown => markdown(doc),
        Format::Text => text(doc),
    }
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
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

/// Escapes `s` and links the e-mail addresses in it.
fn escape_linked(s: &str) -> String {
    let mut out = String::new();
    let mut first = true;
    for word in s.split(' ') {
        if !first {
            out.push(' ');
        }
        first = false;
        let trimmed = word.trim_end_matches(['.', ',', ';', ':', ')', '。', '，', '）']);
        let tail = &word[trimmed.len()..];
        let core = trimmed.trim_start_matches('(');
        let head = &trimmed[..trimmed.len() - core.len()];
        if is_email(core) {
            out.push_str(&format!(
                "{}<a href=\"mailto:{}\">{}</a>{}",
                escape(head),
                escape(core),
                escape(core),
                escape(tail)
            ));
        } else {
            out.push_str(&escape(word));
        }
    }
    out
}

fn is_email(s: &str) -> bool {
    let mut parts = s.split('@');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(local), Some(domain), None) => {
            !local.is_empty()
                && domain.contains('.')
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "@.-_+".contains(c))
        }
        _ => false,
    }
}

/// The statement's body as HTML (no `<html>` or `<head>`), for embedding in a page.
pub fn render_html_body(doc: &Document) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "<article class=\"statement\" lang=\"{}\">\n<h1>{}</h1>\n",
        escape(&doc.lang),
        escape(&doc.title)
    ));
    for line in &doc.lede {
        out.push_str(&format!("<p class=\"lede\">{}</p>\n", escape_linked(line)));
    }
    out.push_str("<nav class=\"toc\"><ol>\n");
    for s in &doc.sections {
        out.push_str(&format!(
            "<li><a href=\"#{}\">{}</a></li>\n",
            escape(&s.id),
            escape(&s.heading)
        ));
    }
    out.push_str("</ol></nav>\n");
    for (i, s) in doc.sections.iter().enumerate() {
        html_section(&mut out, s, &format!("{}", i + 1), 2);
    }
    out.push_str("</article>\n");
    out
}

fn html_section(out: &mut String, s: &Section, number: &str, level: usize) {
    out.push_str(&format!(
        "<section id=\"{}\">\n<h{level}>{number}. {}</h{level}>\n",
        escape(&s.id),
        escape(&s.heading)
    ));
    let mut sub = 0;
    for b in &s.blocks {
        match b {
            Block::Para(p) => out.push_str(&format!("<p>{}</p>\n", escape_linked(p))),
            Block::List(items) => {
                out.push_str("<ul>\n");
                for i in items {
                    out.push_str(&format!("<li>{}</li>\n", escape_linked(i)));
                }
                out.push_str("</ul>\n");
            }
            Block::Table { head, rows } => {
                out.push_str("<div class=\"table\"><table>\n<thead><tr>");
                for h in head {
                    out.push_str(&format!("<th scope=\"col\">{}</th>", escape(h)));
                }
                out.push_str("</tr></thead>\n<tbody>\n");
                for r in rows {
                    out.push_str("<tr>");
                    for c in r {
                        out.push_str(&format!("<td>{}</td>", escape_linked(c)));
                    }
                    out.push_str("</tr>\n");
                }
                out.push_str("</tbody>\n</table></div>\n");
            }
            Block::Sub(child) => {
                sub += 1;
                html_section(out, child, &format!("{number}.{sub}"), (level + 1).min(6));
            }
        }
    }
    out.push_str("</section>\n");
}

const PAGE_STYLE: &str = "body{font:16px/1.6 system-ui,-apple-system,\"Segoe UI\",\"Noto Sans\",\"PingFang SC\",\"Microsoft YaHei\",sans-serif;color:#1d2430;max-width:52rem;margin:2rem auto;padding:0 1rem}h1{font-size:1.9rem;line-height:1.25}h2{margin-top:2.2rem;border-top:1px solid #d8dee8;padding-top:1rem}.lede{color:#4a5568}table{border-collapse:collapse;width:100%;font-size:.92rem}th,td{border:1px solid #d8dee8;padding:.4rem .55rem;text-align:left;vertical-align:top}th{background:#f2f5f9}.table{overflow-x:auto}.toc ol{columns:2;padding-left:1.2rem}a{color:#0b5cad}";

fn html_page(doc: &Document) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title}</title>\n<style>{PAGE_STYLE}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        lang = escape(&doc.lang),
        title = escape(&doc.title),
        body = render_html_body(doc)
    )
}

/// Markdown-escapes the characters that would start markup inside running text.
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '|' | '#'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn markdown(doc: &Document) -> String {
    let mut out = format!("# {}\n\n", md(&doc.title));
    for line in &doc.lede {
        out.push_str(&format!("{}\n\n", md(line)));
    }
    for (i, s) in doc.sections.iter().enumerate() {
        md_section(&mut out, s, &format!("{}", i + 1), 2);
    }
    out.trim_end().to_string() + "\n"
}

fn md_section(out: &mut String, s: &Section, number: &str, level: usize) {
    out.push_str(&format!(
        "{} {number}. {}\n\n",
        "#".repeat(level),
        md(&s.heading)
    ));
    let mut sub = 0;
    for b in &s.blocks {
        match b {
            Block::Para(p) => out.push_str(&format!("{}\n\n", md(p))),
            Block::List(items) => {
                for i in items {
                    out.push_str(&format!("- {}\n", md(i)));
                }
                out.push('\n');
            }
            Block::Table { head, rows } => {
                let line = |cells: &[String]| {
                    format!(
                        "| {} |\n",
                        cells.iter().map(|c| md(c)).collect::<Vec<_>>().join(" | ")
                    )
                };
                out.push_str(&line(head));
                out.push_str(&format!("|{}\n", " --- |".repeat(head.len())));
                for r in rows {
                    out.push_str(&line(r));
                }
                out.push('\n');
            }
            Block::Sub(child) => {
                sub += 1;
                md_section(out, child, &format!("{number}.{sub}"), (level + 1).min(6));
            }
        }
    }
}

fn text(doc: &Document) -> String {
    let mut out = format!("{}\n{}\n\n", doc.title, "=".repeat(width(&doc.title)));
    for line in &doc.lede {
        out.push_str(&wrap(line, "", "", &doc.lang));
    }
    out.push('\n');
    for (i, s) in doc.sections.iter().enumerate() {
        text_section(&mut out, s, &format!("{}", i + 1), &doc.lang);
    }
    out.trim_end().to_string() + "\n"
}

fn text_section(out: &mut String, s: &Section, number: &str, lang: &str) {
    let heading = format!("{number}. {}", s.heading);
    out.push_str(&format!("{heading}\n{}\n\n", "-".repeat(width(&heading))));
    let mut sub = 0;
    for b in &s.blocks {
        match b {
            Block::Para(p) => {
                out.push_str(&wrap(p, "", "", lang));
                out.push('\n');
            }
            Block::List(items) => {
                for i in items {
                    out.push_str(&wrap(i, "  * ", "    ", lang));
                }
                out.push('\n');
            }
            Block::Table { head, rows } => {
                // One record per row: tables do not fit 80 columns.
                let colon = if lang.starts_with("zh") { "：" } else { ": " };
                for r in rows {
                    for (h, c) in head.iter().zip(r) {
                        out.push_str(&wrap(&format!("{h}{colon}{c}"), "  ", "    ", lang));
                    }
                    out.push('\n');
                }
            }
            Block::Sub(child) => {
                sub += 1;
                text_section(out, child, &format!("{number}.{sub}"), lang);
            }
        }
    }
}

/// Display width: CJK characters take two columns.
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| if (c as u32) >= 0x2E80 { 2 } else { 1 })
        .sum()
}

/// Wraps at 80 columns on spaces (Latin scripts); Chinese text is left as one line per
/// paragraph, since it has no spaces to break at.
fn wrap(s: &str, first: &str, rest: &str, lang: &str) -> String {
    if lang.starts_with("zh") {
        return format!("{first}{s}\n");
    }
    let mut out = String::new();
    let mut line = first.to_string();
    let mut empty = true;
    for word in s.split_whitespace() {
        if !empty && width(&line) + 1 + width(word) > 80 {
            out.push_str(&line);
            out.push('\n');
            line = rest.to_string();
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    out.push_str(&line);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_linked_and_everything_else_escaped() {
        assert_eq!(
            escape_linked("write to privacy@example.com. <b>"),
            "write to <a href=\"mailto:privacy@example.com\">privacy@example.com</a>. &lt;b&gt;"
        );
        assert_eq!(escape_linked("a@b"), "a@b");
    }

    #[test]
    fn long_text_wraps_at_80_columns() {
        let s = "word ".repeat(40);
        for line in wrap(&s, "", "", "en").lines() {
            assert!(line.len() <= 80, "{line}");
        }
    }
}
