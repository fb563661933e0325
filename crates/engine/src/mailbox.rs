//! Inbound mail: parsing a raw RFC 5322 message into an [`InboundMessage`] and classifying its
//! subject into a [`CaseKind`].
//!
//! The privacy statement tells people to write to the privacy address with the subject
//! `Children` or `Dispute`, and to the security address with the subject
//! `Urgent: account credentials`. Its Dutch, Chinese and Indonesian translations used other
//! forms; [`classify`] recognises all of them, after stripping the reply and forward prefixes
//! and the gateway tags that mail clients add.
//!
//! Parsing never panics and never keeps more than it must: the text body is cut at
//! [`MAX_TEXT_BYTES`] and attachments are listed, not kept.

use std::fmt;

use mail_parser::{MessageParser, MimeHeaders};
use serde::Serialize;

/// The largest raw message [`parse_message`] accepts, in bytes (10 MiB).
pub const MAX_MESSAGE_BYTES: usize = 10 * 1024 * 1024;

/// The most text body [`InboundMessage::text`] keeps, in bytes (64 KiB), cut on a character
/// boundary.
pub const MAX_TEXT_BYTES: usize = 64 * 1024;

/// How many characters of a subject [`classify`] looks at; the keywords it looks for are all
/// near the start, and the bound keeps classification linear in time.
const MAX_SUBJECT_CHARS: usize = 1000;

/// A parsed inbound message: what a case needs from it, nothing more.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InboundMessage {
    /// The `Message-ID`, without its angle brackets, when present.
    pub message_id: Option<String>,
    /// The sender's address (the first address in `From`), lowercased.
    pub from: Option<String>,
    /// The sender's display name, when given.
    pub from_name: Option<String>,
    /// The addresses in `To` and `Cc`, lowercased, in order, without repeats.
    pub to: Vec<String>,
    /// The subject, decoded (RFC 2047) and trimmed; `""` when absent.
    pub subject: String,
    /// The `Date` header, when present and valid.
    pub date: Option<jiff::Timestamp>,
    /// The plain-text body (or the HTML body converted to text), at most [`MAX_TEXT_BYTES`],
    /// cut on a character boundary. Several inline text parts are joined by a blank line.
    pub text: String,
    /// The attachments, described but not kept.
    pub attachments: Vec<AttachmentInfo>,
}

/// One attachment of an [`InboundMessage`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttachmentInfo {
    /// The file name (`Content-Disposition` `filename`, else `Content-Type` `name`).
    pub name: Option<String>,
    /// The media type, lowercased, e.g. `application/pdf`; `application/octet-stream` when
    /// the part does not say.
    pub content_type: String,
    /// The decoded size in bytes.
    pub size: usize,
}

/// Why a raw message could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailboxError {
    /// The message is larger than [`MAX_MESSAGE_BYTES`].
    TooLarge {
        /// The message's size in bytes.
        size: usize,
    },
    /// The bytes are not an RFC 5322 message; the string says what was wrong.
    NotAMessage(String),
}

impl fmt::Display for MailboxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooLarge { size } => write!(
                f,
                "the message is {size} bytes, over the limit of {MAX_MESSAGE_BYTES} bytes; \
                 ask the sender to send large attachments another way (a link, or several \
                 smaller messages)"
            ),
            Self::NotAMessage(reason) => write!(
                f,
                "not an e-mail message ({reason}); expected RFC 5322 header fields such as \
                 From:, To: and Subject:, then a blank line and the body"
            ),
        }
    }
}

impl std::error::Error for MailboxError {}

/// The header fields of which a message must have at least one to count as a message.
const MESSAGE_HEADERS: &[&str] = &[
    "from",
    "to",
    "cc",
    "subject",
    "date",
    "message-id",
    "sender",
    "reply-to",
    "mime-version",
    "content-type",
    "received",
    "return-path",
];

/// Parses a raw RFC 5322 message.
///
/// # Errors
///
/// [`MailboxError::TooLarge`] over [`MAX_MESSAGE_BYTES`]; [`MailboxError::NotAMessage`] when
/// the bytes have none of the usual header fields (`From`, `To`, `Subject`, `Date`, …).
pub fn parse_message(raw: &[u8]) -> Result<InboundMessage, MailboxError> {
    if raw.len() > MAX_MESSAGE_BYTES {
        return Err(MailboxError::TooLarge { size: raw.len() });
    }
    if raw.iter().all(u8::is_ascii_whitespace) {
        return Err(MailboxError::NotAMessage("it is empty".into()));
    }
    let message = MessageParser::default()
        .parse(raw)
        .ok_or_else(|| MailboxError::NotAMessage("no header fields found".into()))?;
    let known = message.headers().iter().any(|header| {
        MESSAGE_HEADERS
            .iter()
            .any(|name| header.name().eq_ignore_ascii_case(name))
    });
    if !known {
        return Err(MailboxError::NotAMessage(
            "none of the header fields From, To, Subject, Date or Message-ID is present".into(),
        ));
    }

    let first_from = message.from().and_then(|from| from.first());
    let from = first_from
        .and_then(|addr| addr.address())
        .map(|addr| addr.trim().to_lowercase())
        .filter(|addr| !addr.is_empty());
    let from_name = first_from
        .and_then(|addr| addr.name())
        .map(|name| name.trim().to_string())
        .filter(|name| !name.is_empty());

    let mut to: Vec<String> = Vec::new();
    for address in message.all_to().chain(message.all_cc()) {
        for addr in address.iter() {
            if let Some(a) = addr.address() {
                let a = a.trim().to_lowercase();
                if !a.is_empty() && !to.contains(&a) {
                    to.push(a);
                }
            }
        }
    }

    let date = message
        .date()
        .filter(|d| d.is_valid())
        .and_then(|d| jiff::Timestamp::from_second(d.to_timestamp()).ok());

    let mut text = String::new();
    for pos in 0..message.text_body_count() {
        if text.len() >= MAX_TEXT_BYTES {
            break;
        }
        if let Some(body) = message.body_text(pos) {
            if body.trim().is_empty() {
                continue;
            }
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            push_capped(&mut text, &body, MAX_TEXT_BYTES);
        }
    }

    let attachments = message
        .attachments()
        .map(|part| AttachmentInfo {
            name: part.attachment_name().map(str::to_string),
            content_type: part
                .content_type()
                .map(|ct| match ct.subtype() {
                    Some(sub) => format!("{}/{}", ct.ctype(), sub),
                    None => ct.ctype().to_string(),
                })
                .map(|ct| ct.to_ascii_lowercase())
                .unwrap_or_else(|| "application/octet-stream".into()),
            size: part.len(),
        })
        .collect();

    Ok(InboundMessage {
        message_id: message
            .message_id()
            .map(|id| id.trim().to_string())
            .filter(|id| !id.is_empty()),
        from,
        from_name,
        to,
        subject: message.subject().unwrap_or_default().trim().to_string(),
        date,
        text,
        attachments,
    })
}

/// Appends as much of `add` to `out` as keeps `out` within `cap` bytes, cut on a character
/// boundary.
fn push_capped(out: &mut String, add: &str, cap: usize) {
    let room = cap.saturating_sub(out.len());
    if add.len() <= room {
        out.push_str(add);
        return;
    }
    let mut end = room;
    while !add.is_char_boundary(end) {
        end -= 1;
    }
    out.push_str(&add[..end]);
}

/// What kind of case an inbound message opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CaseKind {
    /// Someone's account credentials may be compromised: the most urgent kind.
    CredentialCompromise,
    /// About a child's data.
    Children,
    /// A dispute about how data was handled.
    Dispute,
    /// A data-subject request: access, erasure, rectification, portability, restriction,
    /// objection, withdrawal of consent.
    DataRequest,
    /// Anything else.
    General,
}

impl CaseKind {
    /// Every kind, in the order [`classify`] tries them.
    pub const ALL: [Self; 5] = [
        Self::CredentialCompromise,
        Self::Children,
        Self::Dispute,
        Self::DataRequest,
        Self::General,
    ];

    /// The kind's stable name, as serialised: `credential-compromise`, `children`, `dispute`,
    /// `data-request`, `general`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CredentialCompromise => "credential-compromise",
            Self::Children => "children",
            Self::Dispute => "dispute",
            Self::DataRequest => "data-request",
            Self::General => "general",
        }
    }

    /// Reads a name given by [`CaseKind::as_str`]; surrounding whitespace, case and `_` for
    /// `-` are forgiven. `None` for anything else.
    pub fn parse(s: &str) -> Option<Self> {
        let wanted = s.trim().to_ascii_lowercase().replace('_', "-");
        Self::ALL.into_iter().find(|kind| kind.as_str() == wanted)
    }
}

impl fmt::Display for CaseKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which of the organisation's addresses a message came in on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mailbox {
    /// The privacy address the privacy statement gives.
    Privacy,
    /// The security address the privacy statement gives for compromised credentials.
    Security,
    /// Any other address.
    Other,
}

/// Reply and forward prefixes, lowercased, stripped (any number, in any order) from the start
/// of a subject when followed by `:` (or a full-width `：`), optionally with a counter such as
/// `Re[2]:`. Gateway tags written the same way (`EXTERNAL:`) are stripped too.
const REPLY_PREFIXES: &[&str] = &[
    // English, and what many clients write whatever their language.
    "re",
    "fw",
    "fwd",
    // German.
    "aw",
    "wg",
    // Dutch.
    "antw",
    "doorst",
    // Scandinavian.
    "sv",
    "vs",
    "vb",
    // French, Italian, Spanish, Portuguese, Polish, Turkish, Finnish.
    "tr",
    "rif",
    "enc",
    "res",
    "rv",
    "odp",
    "pd",
    "ynt",
    "ilt",
    "vl",
    // Indonesian, Malay.
    "balas",
    "teruskan",
    // Chinese (simplified and traditional), Japanese.
    "回复",
    "回覆",
    "回復",
    "答复",
    "答覆",
    "转发",
    "轉發",
    "转寄",
    "轉寄",
    "返信",
    "転送",
    // Gateway tags.
    "external",
    "extern",
    "ext",
    "eksternal",
    "spam",
];

/// Quote marks trimmed from both ends of a subject.
const QUOTES: &[char] = &[
    '"', '\'', '`', '\u{201C}', '\u{201D}', '\u{201E}', '\u{2018}', '\u{2019}', '\u{00AB}',
    '\u{00BB}', '\u{300C}', '\u{300D}', '\u{300E}', '\u{300F}', '*',
];

/// Bracket pairs whose leading tag (`[EXTERNAL]`, `【外部】`, `(ext)`) is stripped, or which
/// are unwrapped when they enclose the whole subject.
const BRACKETS: &[(char, char)] = &[
    ('[', ']'),
    ('(', ')'),
    ('{', '}'),
    ('<', '>'),
    ('\u{3010}', '\u{3011}'), // 【】
    ('\u{3014}', '\u{3015}'), // 〔〕
    ('\u{3008}', '\u{3009}'), // 〈〉
    ('\u{300A}', '\u{300B}'), // 《》
];

/// Urgency words that open the credential-compromise phrase, in the four languages.
const URGENT: &[&str] = &["urgent", "dringend", "mendesak", "penting", "紧急", "緊急"];

/// The topic of the credential-compromise phrase, in the four languages.
const CREDENTIALS: &[&str] = &[
    "account credentials",
    "account credential",
    "accountgegevens",
    "account-gegevens",
    "账户凭证",
    "账号凭证",
    "帳戶憑證",
    "賬戶憑證",
    "kredensial akun",
];

/// Subjects that open a children's case.
const CHILDREN: &[&str] = &["children", "kinderen", "儿童", "兒童", "anak-anak", "anak"];

/// Subjects that open a dispute.
const DISPUTE: &[&str] = &["dispute", "geschil", "争议", "爭議", "sengketa"];

/// Phrases that ask for a data-subject right, by language. A phrase matches anywhere in the
/// normalised subject where it starts a word (so `inzage` also matches `inzageverzoek`, and
/// `erasure` does not match inside another word).
const DATA_REQUEST: &[(&str, &[&str])] = &[
    (
        "en",
        &[
            // Access.
            "access to my data",
            "access my data",
            "access to my personal",
            "access to my information",
            "access to personal data",
            "copy of my data",
            "copy of my personal",
            "copy of my information",
            "what data do you hold",
            "what personal data",
            "right of access",
            "subject access",
            "access request",
            // Erasure.
            "delete my data",
            "delete my personal",
            "delete my information",
            "delete my account",
            "erase my data",
            "erasure",
            "deletion of my",
            "deletion request",
            "remove my data",
            "remove my personal",
            "right to be forgotten",
            "forget me",
            // Rectification.
            "rectification",
            "rectify",
            "correct my data",
            "correct my personal",
            "correction of my",
            // Portability, restriction, objection, consent.
            "portability",
            "restriction of processing",
            "restrict processing",
            "restrict the processing",
            "object to processing",
            "object to the processing",
            "objection to processing",
            "objection to the processing",
            "right to object",
            "withdraw consent",
            "withdraw my consent",
            "withdrawal of consent",
            "revoke consent",
            "revoke my consent",
            // Named requests.
            "data subject request",
            "data subject access",
            "data subject rights",
            "dsar",
            "gdpr request",
            "gdpr-request",
            "ccpa request",
            "ccpa-request",
            "avg request",
            "privacy request",
            "do not sell my",
        ],
    ),
    (
        "nl",
        &[
            "inzage",
            "kopie van mijn gegevens",
            "verwijderen",
            "verwijder mijn",
            "verwijdering",
            "vergetelheid",
            "rectificatie",
            "correctie van mijn",
            "overdraagbaarheid",
            "beperking van de verwerking",
            "bezwaar",
            "toestemming intrekken",
            "intrekken van toestemming",
            "intrekking van toestemming",
            "trek mijn toestemming",
            "avg-verzoek",
            "avg verzoek",
            "privacyverzoek",
        ],
    ),
    (
        "zh",
        &[
            // Simplified.
            "访问我的数据",
            "访问我的个人",
            "查阅我的数据",
            "查阅",
            "数据副本",
            "删除我的数据",
            "删除我的个人",
            "删除我的",
            "被遗忘权",
            "更正",
            "数据可携",
            "可携带权",
            "限制处理",
            "反对处理",
            "撤回同意",
            "个人信息",
            "个人数据",
            // Traditional.
            "存取我的",
            "查閱",
            "刪除我的",
            "被遺忘權",
            "資料可攜",
            "限制處理",
            "反對處理",
            "個人資料",
            "個人資訊",
        ],
    ),
    (
        "id",
        &[
            "akses data",
            "akses ke data",
            "salinan data",
            "hapus data",
            "penghapusan data",
            "hapus akun saya",
            "koreksi",
            "perbaikan data",
            "keberatan",
            "penarikan persetujuan",
            "tarik persetujuan",
            "mencabut persetujuan",
            "pencabutan persetujuan",
            "portabilitas",
            "pembatasan pemrosesan",
            "hak subjek data",
            "permintaan subjek data",
        ],
    ),
];

/// Classifies a subject line received on `mailbox`.
///
/// The subject is normalised first: full-width ASCII forms (`：`, `Ａ`) become ASCII, dashes
/// become `-`, case is folded, whitespace collapsed, spaces around `:` dropped, and any
/// number of reply/forward prefixes (`RE:`, `Fwd:`, `AW:`, `Antw:`, `回复：`, `Balas:`, …),
/// leading tags (`[EXTERNAL]`, `【外部】`) and surrounding quotes are stripped. Then, in order:
///
/// 1. [`CaseKind::CredentialCompromise`] when the subject is, or starts with, an urgency word
///    (`Urgent`, `Dringend`, `Mendesak`, `Penting`, `紧急`) then `:`, `-` or a space, then the
///    topic (`account credentials`, `accountgegevens`, `账户凭证`, `kredensial akun`); the
///    languages may be mixed. On the [`Mailbox::Security`] address the topic alone anywhere in
///    the subject is enough, since everything written there is about security. On the
///    [`Mailbox::Privacy`] address (and any other) the whole phrase is needed: someone who
///    writes the statement's phrase to the wrong address is still heard, but a privacy
///    question that merely mentions account credentials is not raised to an incident.
/// 2. [`CaseKind::Children`] when the subject is `Children`, `Kinderen`, `儿童`, `兒童`,
///    `Anak` or `Anak-anak`, or starts with it followed by `:`, `/`, `|` or a `-` that is not
///    part of a word (`Children: my son` yes, `Children's day party` and `Children-related`
///    no).
/// 3. [`CaseKind::Dispute`] the same way with `Dispute`, `Geschil`, `争议`, `爭議`,
///    `Sengketa` (`No dispute here` is not a dispute: the word must come first).
/// 4. [`CaseKind::DataRequest`] when the subject contains a phrase asking for a data-subject
///    right in English, Dutch, Chinese or Indonesian (see the keyword table in the source).
/// 5. [`CaseKind::General`] otherwise.
pub fn classify(subject: &str, mailbox: Mailbox) -> CaseKind {
    let normalised = normalise(subject);
    let s = strip_decorations(&normalised);
    if is_credential_compromise(s, mailbox) {
        CaseKind::CredentialCompromise
    } else if starts_with_keyword(s, CHILDREN) {
        CaseKind::Children
    } else if starts_with_keyword(s, DISPUTE) {
        CaseKind::Dispute
    } else if is_data_request(s) {
        CaseKind::DataRequest
    } else {
        CaseKind::General
    }
}

/// Full-width forms to ASCII, dashes to `-`, odd colons to `:`, case folded, whitespace
/// collapsed, and no space either side of `:`.
fn normalise(subject: &str) -> String {
    let mut folded = String::with_capacity(subject.len().min(MAX_SUBJECT_CHARS * 4));
    for c in subject.chars().take(MAX_SUBJECT_CHARS) {
        let c = match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{FE55}' | '\u{FE13}' | '\u{2236}' | '\u{A789}' => ':',
            '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' => '-',
            c if c.is_whitespace() || c.is_control() => ' ',
            c => c,
        };
        folded.extend(c.to_lowercase());
    }
    let mut out = String::with_capacity(folded.len());
    for word in folded.split_whitespace() {
        let glued = out.ends_with(':') || word.starts_with(':');
        if !out.is_empty() && !glued {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Strips reply/forward prefixes, leading tags and surrounding quotes, as often as they occur.
fn strip_decorations(mut s: &str) -> &str {
    loop {
        let before = s.len();
        s = s.trim_matches(|c: char| c == ' ' || QUOTES.contains(&c));
        s = strip_bracket(s);
        s = strip_reply_prefix(s);
        if s.len() == before {
            return s;
        }
    }
}

/// Strips one leading bracketed tag, or unwraps brackets around the whole subject.
fn strip_bracket(s: &str) -> &str {
    let Some(first) = s.chars().next() else {
        return s;
    };
    let Some(&(open, close)) = BRACKETS.iter().find(|(open, _)| *open == first) else {
        return s;
    };
    let inner = &s[open.len_utf8()..];
    match inner.find(close) {
        Some(end) if end + close.len_utf8() == inner.len() => &inner[..end],
        Some(end) => {
            let rest = inner[end + close.len_utf8()..].trim_start();
            rest.strip_prefix(':').unwrap_or(rest)
        }
        None => s,
    }
}

/// Strips one reply/forward prefix (with an optional counter such as `[2]`) and its colon.
fn strip_reply_prefix(s: &str) -> &str {
    for prefix in REPLY_PREFIXES {
        let Some(rest) = s.strip_prefix(prefix) else {
            continue;
        };
        let rest = skip_counter(rest.trim_start()).trim_start();
        if let Some(rest) = rest.strip_prefix(':') {
            return rest.trim_start();
        }
    }
    s
}

/// Skips a reply counter: `[2]`, `(2)` or `^2`.
fn skip_counter(s: &str) -> &str {
    let (digits, close) = if let Some(rest) = s.strip_prefix('[') {
        (rest, Some(']'))
    } else if let Some(rest) = s.strip_prefix('(') {
        (rest, Some(')'))
    } else if let Some(rest) = s.strip_prefix('^') {
        (rest, None)
    } else {
        return s;
    };
    let after = digits.trim_start_matches(|c: char| c.is_ascii_digit());
    if after.len() == digits.len() {
        return s;
    }
    match close {
        Some(close) => after.strip_prefix(close).unwrap_or(s),
        None => after,
    }
}

/// Whether `c` is a letter or digit of a script that separates words with spaces (so not
/// Chinese, Japanese or Korean, whose words run together).
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !is_cjk(c)
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFF66..=0xFF9F | 0x20000..=0x3FFFF)
}

/// Whether `rest` (what follows a matched phrase ending in `last`) does not continue the
/// phrase's last word.
fn ends_word(last: char, rest: &str) -> bool {
    match rest.chars().next() {
        None => true,
        Some(next) => !(is_word_char(last) && is_word_char(next)),
    }
}

/// Whether `s` starts with `phrase` as whole words.
fn starts_with_phrase<'s>(s: &'s str, phrase: &str) -> Option<&'s str> {
    let rest = s.strip_prefix(phrase)?;
    let last = phrase.chars().next_back()?;
    ends_word(last, rest).then_some(rest)
}

/// Whether `phrase` occurs in `s` starting a word (and, with `whole`, ending one too).
fn contains_phrase(s: &str, phrase: &str, whole: bool) -> bool {
    let Some(first) = phrase.chars().next() else {
        return false;
    };
    s.match_indices(phrase).any(|(at, _)| {
        let starts = s[..at]
            .chars()
            .next_back()
            .is_none_or(|prev| !(is_word_char(prev) && is_word_char(first)));
        starts && (!whole || starts_with_phrase(&s[at..], phrase).is_some())
    })
}

fn is_credential_compromise(s: &str, mailbox: Mailbox) -> bool {
    let phrase = URGENT.iter().any(|urgent| {
        starts_with_phrase(s, urgent).is_some_and(|rest| {
            let rest = rest.trim_start();
            let rest = rest
                .strip_prefix(':')
                .or_else(|| rest.strip_prefix('-'))
                .unwrap_or(rest)
                .trim_start();
            CREDENTIALS
                .iter()
                .any(|topic| starts_with_phrase(rest, topic).is_some())
        })
    });
    phrase
        || (mailbox == Mailbox::Security
            && CREDENTIALS
                .iter()
                .any(|topic| contains_phrase(s, topic, true)))
}

/// Whether `s` is one of `keywords`, or starts with one followed by a separator.
fn starts_with_keyword(s: &str, keywords: &[&str]) -> bool {
    keywords.iter().any(|keyword| {
        let Some(rest) = s.strip_prefix(keyword) else {
            return false;
        };
        let rest = rest.trim_start();
        if rest.is_empty() || rest.starts_with([':', '/', '|']) {
            return true;
        }
        match rest.strip_prefix('-') {
            Some(after) => {
                let after = after.trim_start_matches('-');
                after.chars().next().is_none_or(|c| !is_word_char(c))
            }
            None => false,
        }
    })
}

fn is_data_request(s: &str) -> bool {
    DATA_REQUEST.iter().any(|(_, phrases)| {
        phrases
            .iter()
            .any(|phrase| contains_phrase(s, phrase, false))
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn privacy(subject: &str) -> CaseKind {
        classify(subject, Mailbox::Privacy)
    }

    fn security(subject: &str) -> CaseKind {
        classify(subject, Mailbox::Security)
    }

    // ---- classification ----

    #[test]
    fn credential_phrase_in_every_language() {
        for subject in [
            "Urgent: account credentials",
            "Urgent: accountgegevens",
            "Dringend: accountgegevens",
            "紧急:账户凭证",
            "紧急：账户凭证",
            "緊急：帳戶憑證",
            "Mendesak: kredensial akun",
            "Penting: kredensial akun",
        ] {
            for mailbox in [Mailbox::Security, Mailbox::Privacy, Mailbox::Other] {
                assert_eq!(
                    classify(subject, mailbox),
                    CaseKind::CredentialCompromise,
                    "{subject:?} on {mailbox:?}"
                );
            }
        }
    }

    #[test]
    fn credential_phrase_as_start_of_subject() {
        assert_eq!(
            privacy("Urgent: account credentials - my password leaked"),
            CaseKind::CredentialCompromise
        );
        assert_eq!(
            privacy("紧急：账户凭证泄露了"),
            CaseKind::CredentialCompromise
        );
        assert_eq!(
            privacy("Urgent - account credentials"),
            CaseKind::CredentialCompromise
        );
        assert_eq!(
            privacy("URGENT account credentials"),
            CaseKind::CredentialCompromise
        );
        // The topic word must end where the phrase does.
        assert_ne!(
            privacy("Urgent: account credentialsx"),
            CaseKind::CredentialCompromise
        );
        // The urgency word must be a word of its own.
        assert_ne!(
            privacy("Urgently: account credentials"),
            CaseKind::CredentialCompromise
        );
    }

    #[test]
    fn credential_topic_alone_counts_only_on_security_mailbox() {
        for subject in [
            "My account credentials were stolen",
            "Gelekte accountgegevens",
            "我的账户凭证被盗",
            "kredensial akun saya dicuri",
        ] {
            assert_eq!(
                security(subject),
                CaseKind::CredentialCompromise,
                "{subject}"
            );
            assert_ne!(
                privacy(subject),
                CaseKind::CredentialCompromise,
                "{subject}"
            );
            assert_ne!(
                classify(subject, Mailbox::Other),
                CaseKind::CredentialCompromise,
                "{subject}"
            );
        }
        // On the security mailbox the topic must still be whole words.
        assert_eq!(
            security("account credentialsfoo"),
            CaseKind::General,
            "partial word"
        );
    }

    #[test]
    fn reply_and_forward_prefixes_are_stripped() {
        assert_eq!(
            privacy("RE: Fwd: Urgent: account credentials"),
            CaseKind::CredentialCompromise
        );
        for subject in [
            "Re: Children",
            "RE:RE: Children",
            "Fw: Children",
            "FWD: Children",
            "AW: WG: Children",
            "Antw: Kinderen",
            "Doorst: Kinderen",
            "SV: VS: Children",
            "回复：儿童",
            "回覆：兒童",
            "答复: 儿童",
            "转发：儿童",
            "轉寄：兒童",
            "Balas: Anak",
            "Teruskan: Anak-anak",
            "Re[2]: Children",
            "Re (3): Children",
            "Re^2: Children",
            "re : fwd : children",
        ] {
            assert_eq!(privacy(subject), CaseKind::Children, "{subject}");
        }
        // A word that merely starts like a prefix is kept.
        assert_eq!(privacy("Rescue: Children"), CaseKind::General);
    }

    #[test]
    fn full_width_colon_and_letters() {
        assert_eq!(privacy("Ｒｅ：Ｃｈｉｌｄｒｅｎ"), CaseKind::Children);
        assert_eq!(
            privacy("Urgent：account credentials"),
            CaseKind::CredentialCompromise
        );
        assert_eq!(privacy("争议：订单 123"), CaseKind::Dispute);
    }

    #[test]
    fn case_and_whitespace_are_ignored() {
        assert_eq!(privacy("cHiLdReN"), CaseKind::Children);
        assert_eq!(privacy("  DISPUTE  "), CaseKind::Dispute);
        assert_eq!(
            privacy("urgent:\t ACCOUNT   CREDENTIALS"),
            CaseKind::CredentialCompromise
        );
    }

    #[test]
    fn quotes_and_tags_are_stripped() {
        for subject in [
            "\"Children\"",
            "'Dispute'",
            "“Children”",
            "「儿童」",
            "[EXTERNAL] Children",
            "[EXTERNAL] RE: [SPAM] \"Children\"",
            "【外部】儿童",
            "(ext) Children",
            "EXTERNAL: Children",
            "[Children]",
            "*Children*",
        ] {
            assert_ne!(privacy(subject), CaseKind::General, "{subject}");
        }
        assert_eq!(privacy("[EXTERNAL] Children"), CaseKind::Children);
        assert_eq!(privacy("'Dispute'"), CaseKind::Dispute);
        assert_eq!(
            privacy("[EXT] Re: \"Urgent: account credentials\""),
            CaseKind::CredentialCompromise
        );
    }

    #[test]
    fn children_in_every_language() {
        for subject in [
            "Children",
            "Kinderen",
            "儿童",
            "兒童",
            "Anak",
            "Anak-anak",
            "Children: my son's account",
            "Children - question",
            "Kinderen: mijn dochter",
            "儿童：我孩子的数据",
            "儿童-我孩子的数据",
            "Anak-anak: data anak saya",
            "Children / Kinderen",
        ] {
            assert_eq!(privacy(subject), CaseKind::Children, "{subject}");
        }
    }

    #[test]
    fn children_false_friends() {
        assert_eq!(
            privacy("Children's day party invitation"),
            CaseKind::General
        );
        assert_eq!(privacy("Childrens"), CaseKind::General);
        assert_eq!(privacy("Children-related newsletter"), CaseKind::General);
        assert_eq!(privacy("Children day"), CaseKind::General);
        assert_eq!(privacy("儿童节派对"), CaseKind::General);
        assert_eq!(privacy("Anakku"), CaseKind::General);
        assert_eq!(privacy("About our children"), CaseKind::General);
    }

    #[test]
    fn dispute_in_every_language() {
        for subject in [
            "Dispute",
            "Geschil",
            "争议",
            "爭議",
            "Sengketa",
            "Dispute: order 42",
            "Geschil - factuur",
            "Sengketa: data saya",
        ] {
            assert_eq!(privacy(subject), CaseKind::Dispute, "{subject}");
        }
    }

    #[test]
    fn dispute_false_friends() {
        // The keyword must come first: a subject that merely mentions it is not a dispute.
        assert_eq!(privacy("No dispute here"), CaseKind::General);
        assert_eq!(privacy("Disputed charge"), CaseKind::General);
        assert_eq!(privacy("Dispute-resolution webinar"), CaseKind::General);
    }

    #[test]
    fn data_requests_in_every_language() {
        for subject in [
            // English.
            "Please give me a copy of my data",
            "Request for access to my personal data",
            "Delete my data",
            "Erasure request",
            "Right to be forgotten",
            "Rectification of my address",
            "Please correct my data",
            "Data portability",
            "Restriction of processing",
            "I object to processing of my data",
            "Withdraw consent",
            "I withdraw my consent",
            "Data subject request",
            "DSAR",
            "GDPR request",
            "CCPA request",
            "Subject access request",
            // Dutch.
            "Inzageverzoek",
            "Verzoek om inzage",
            "Gegevens verwijderen",
            "Recht op vergetelheid",
            "Rectificatie",
            "Overdraagbaarheid van gegevens",
            "Bezwaar tegen verwerking",
            "AVG-verzoek",
            "Toestemming intrekken",
            // Chinese.
            "访问我的数据",
            "查阅我的数据",
            "请删除我的数据",
            "更正我的信息",
            "数据可携权",
            "撤回同意",
            "关于我的个人信息",
            "刪除我的資料",
            // Indonesian.
            "Akses data pribadi",
            "Hapus data saya",
            "Koreksi data",
            "Keberatan atas pemrosesan",
            "Penarikan persetujuan",
        ] {
            assert_eq!(privacy(subject), CaseKind::DataRequest, "{subject}");
        }
    }

    #[test]
    fn data_request_keywords_need_a_word_start() {
        assert_eq!(privacy("Pandsaro update"), CaseKind::General);
        assert_eq!(privacy("Newsletter"), CaseKind::General);
        assert_eq!(privacy("Invoice 42"), CaseKind::General);
        assert_eq!(security("Phishing report"), CaseKind::General);
    }

    #[test]
    fn mixed_language_subjects() {
        assert_eq!(
            privacy("Dringend: account credentials"),
            CaseKind::CredentialCompromise
        );
        assert_eq!(
            privacy("紧急: account credentials"),
            CaseKind::CredentialCompromise
        );
        assert_eq!(privacy("Urgent: 账户凭证"), CaseKind::CredentialCompromise);
        assert_eq!(privacy("Antw: Children"), CaseKind::Children);
        assert_eq!(privacy("回复: Dispute"), CaseKind::Dispute);
        assert_eq!(privacy("Re: hapus data saya"), CaseKind::DataRequest);
    }

    #[test]
    fn order_of_precedence() {
        assert_eq!(
            privacy("Urgent: account credentials - children"),
            CaseKind::CredentialCompromise
        );
        assert_eq!(privacy("Children: delete my data"), CaseKind::Children);
        assert_eq!(privacy("Dispute: delete my data"), CaseKind::Dispute);
        assert_eq!(
            security("Children: my account credentials"),
            CaseKind::CredentialCompromise
        );
    }

    #[test]
    fn everything_else_is_general() {
        for subject in [
            "",
            "   ",
            "Hello",
            "Re:",
            "[EXTERNAL]",
            "Question about cookies",
        ] {
            assert_eq!(privacy(subject), CaseKind::General, "{subject:?}");
        }
    }

    #[test]
    fn huge_or_odd_subjects_do_not_panic() {
        let long = "Re: ".repeat(100_000) + "Children";
        // Only the first characters are looked at.
        assert_eq!(privacy(&long), CaseKind::General);
        let short = "Re: ".repeat(50) + "Children";
        assert_eq!(privacy(&short), CaseKind::Children);
        let brackets = "[".repeat(100_000);
        assert_eq!(privacy(&brackets), CaseKind::General);
        for odd in [
            "\u{0}", "[", "(((", "Re[", "Re[99", "^", "\u{FF1A}", "İ", "ß:",
        ] {
            let _ = privacy(odd);
            let _ = security(odd);
        }
    }

    #[test]
    fn case_kind_names_round_trip() {
        for kind in CaseKind::ALL {
            assert_eq!(CaseKind::parse(kind.as_str()), Some(kind));
            assert_eq!(
                serde_json::to_value(kind).unwrap(),
                serde_json::Value::String(kind.as_str().into())
            );
            assert_eq!(kind.to_string(), kind.as_str());
        }
        assert_eq!(
            CaseKind::parse(" Credential_Compromise "),
            Some(CaseKind::CredentialCompromise)
        );
        assert_eq!(CaseKind::parse("nonsense"), None);
        assert_eq!(CaseKind::parse(""), None);
    }

    // ---- parsing ----

    fn crlf(s: &str) -> Vec<u8> {
        s.replace('\n', "\r\n").into_bytes()
    }

    #[test]
    fn parses_a_simple_message() {
        let raw = crlf(
            "From: \"Ann Example\" <Ann@Example.COM>\n\
             To: privacy@shop.example, Bob <BOB@shop.example>\n\
             Cc: audit@shop.example, privacy@shop.example\n\
             Subject:   Children  \n\
             Date: Tue, 1 Jul 2025 10:52:37 +0200\n\
             Message-ID: <abc123@example.com>\n\
             \n\
             Hello,\n\
             please look at my son's data.\n",
        );
        let m = parse_message(&raw).unwrap();
        assert_eq!(m.message_id.as_deref(), Some("abc123@example.com"));
        assert_eq!(m.from.as_deref(), Some("ann@example.com"));
        assert_eq!(m.from_name.as_deref(), Some("Ann Example"));
        assert_eq!(
            m.to,
            vec![
                "privacy@shop.example".to_string(),
                "bob@shop.example".to_string(),
                "audit@shop.example".to_string(),
            ]
        );
        assert_eq!(m.subject, "Children");
        assert_eq!(
            m.date,
            Some("2025-07-01T08:52:37Z".parse::<jiff::Timestamp>().unwrap())
        );
        assert!(m.text.contains("please look at my son's data."));
        assert!(m.attachments.is_empty());
    }

    #[test]
    fn parses_multipart_alternative_preferring_text() {
        let raw = crlf(
            "From: ann@example.com\n\
             To: privacy@shop.example\n\
             Subject: Dispute\n\
             MIME-Version: 1.0\n\
             Content-Type: multipart/alternative; boundary=\"b1\"\n\
             \n\
             --b1\n\
             Content-Type: text/plain; charset=utf-8\n\
             \n\
             Plain version.\n\
             --b1\n\
             Content-Type: text/html; charset=utf-8\n\
             \n\
             <p>HTML <b>version</b>.</p>\n\
             --b1--\n",
        );
        let m = parse_message(&raw).unwrap();
        assert!(m.text.contains("Plain version."), "{:?}", m.text);
        assert!(!m.text.contains("<p>"));
        assert!(!m.text.contains("HTML version"));
        assert!(m.attachments.is_empty());
    }

    #[test]
    fn decodes_quoted_printable_body() {
        let raw = crlf(
            "From: ann@example.com\n\
             Subject: qp\n\
             Content-Type: text/plain; charset=utf-8\n\
             Content-Transfer-Encoding: quoted-printable\n\
             \n\
             Caf=C3=A9 au lait, a very long line that is soft=\n\
             -wrapped.\n",
        );
        let m = parse_message(&raw).unwrap();
        assert!(
            m.text
                .contains("Café au lait, a very long line that is soft-wrapped."),
            "{:?}",
            m.text
        );
    }

    #[test]
    fn decodes_base64_body() {
        // "Hapus data saya, terima kasih. 你好" in UTF-8, base64.
        let raw = crlf(
            "From: ann@example.com\n\
             Subject: b64\n\
             Content-Type: text/plain; charset=utf-8\n\
             Content-Transfer-Encoding: base64\n\
             \n\
             SGFwdXMgZGF0YSBzYXlhLCB0ZXJpbWEga2FzaWguIOS9oOWlvQ==\n",
        );
        let m = parse_message(&raw).unwrap();
        assert_eq!(m.text.trim(), "Hapus data saya, terima kasih. 你好");
    }

    #[test]
    fn decodes_rfc2047_subject() {
        // "紧急：账户凭证" as an RFC 2047 encoded word, base64 and quoted-printable.
        let raw = crlf(
            "From: =?UTF-8?B?546L5bCP5piO?= <wang@example.cn>\n\
             Subject: =?UTF-8?B?57Sn5oCl77ya6LSm5oi35Yet6K+B?=\n\
             \n\
             body\n",
        );
        let m = parse_message(&raw).unwrap();
        assert_eq!(m.subject, "紧急：账户凭证");
        assert_eq!(m.from_name.as_deref(), Some("王小明"));
        assert_eq!(
            classify(&m.subject, Mailbox::Security),
            CaseKind::CredentialCompromise
        );

        let raw = crlf(
            "From: wang@example.cn\n\
             Subject: =?utf-8?Q?=E5=9B=9E=E5=A4=8D=EF=BC=9A?= =?utf-8?Q?=E5=84=BF=E7=AB=A5?=\n\
             \n\
             body\n",
        );
        let m = parse_message(&raw).unwrap();
        assert_eq!(m.subject, "回复：儿童");
        assert_eq!(classify(&m.subject, Mailbox::Privacy), CaseKind::Children);
    }

    #[test]
    fn converts_html_only_body_to_text() {
        let raw = crlf(
            "From: ann@example.com\n\
             Subject: html\n\
             Content-Type: text/html; charset=utf-8\n\
             \n\
             <html><body><h1>Delete</h1><p>Please delete my data &amp; account.</p></body></html>\n",
        );
        let m = parse_message(&raw).unwrap();
        assert!(!m.text.contains('<'), "{:?}", m.text);
        assert!(
            m.text.contains("Please delete my data & account."),
            "{:?}",
            m.text
        );
    }

    #[test]
    fn lists_attachments_without_their_bytes() {
        let raw = crlf(
            "From: ann@example.com\n\
             To: privacy@shop.example\n\
             Subject: Kinderen\n\
             MIME-Version: 1.0\n\
             Content-Type: multipart/mixed; boundary=\"mix\"\n\
             \n\
             --mix\n\
             Content-Type: text/plain; charset=utf-8\n\
             \n\
             See the attached files.\n\
             --mix\n\
             Content-Type: application/pdf; name=\"passport.pdf\"\n\
             Content-Disposition: attachment; filename=\"passport.pdf\"\n\
             Content-Transfer-Encoding: base64\n\
             \n\
             JVBERi0xLjQKJcOkw7zDtsOfCg==\n\
             --mix\n\
             Content-Type: image/PNG\n\
             Content-Disposition: attachment; filename=\"=?UTF-8?B?54Wn54mHLnBuZw==?=\"\n\
             Content-Transfer-Encoding: base64\n\
             \n\
             iVBORw0KGgo=\n\
             --mix--\n",
        );
        let m = parse_message(&raw).unwrap();
        assert!(m.text.contains("See the attached files."));
        assert_eq!(
            m.attachments,
            vec![
                AttachmentInfo {
                    name: Some("passport.pdf".into()),
                    content_type: "application/pdf".into(),
                    size: 19,
                },
                AttachmentInfo {
                    name: Some("照片.png".into()),
                    content_type: "image/png".into(),
                    size: 8,
                },
            ]
        );
    }

    #[test]
    fn message_without_from() {
        let raw = crlf("To: privacy@shop.example\nSubject: Dispute\n\nNo sender here.\n");
        let m = parse_message(&raw).unwrap();
        assert_eq!(m.from, None);
        assert_eq!(m.from_name, None);
        assert_eq!(m.subject, "Dispute");
        assert_eq!(m.message_id, None);
        assert_eq!(m.date, None);
    }

    #[test]
    fn message_without_subject_has_empty_subject() {
        let m = parse_message(&crlf("From: a@b.example\n\nhi\n")).unwrap();
        assert_eq!(m.subject, "");
        assert_eq!(classify(&m.subject, Mailbox::Privacy), CaseKind::General);
    }

    #[test]
    fn bad_date_is_none() {
        let m = parse_message(&crlf("From: a@b.example\nDate: not a date\n\nhi\n")).unwrap();
        assert_eq!(m.date, None);
    }

    #[test]
    fn garbage_is_not_a_message() {
        for garbage in [
            &b""[..],
            b"   \r\n\r\n",
            b"\x00\x01\x02\x03\xff\xfe\xfd",
            b"hello world, this is not an e-mail",
            b"\xde\xad\xbe\xef\r\n\r\n\xca\xfe",
            b"X-Foo: bar\r\n\r\nonly an unknown header",
        ] {
            let err = parse_message(garbage).unwrap_err();
            assert!(
                matches!(err, MailboxError::NotAMessage(_)),
                "{garbage:?}: {err:?}"
            );
            assert!(err.to_string().contains("From:"), "{err}");
        }
    }

    #[test]
    fn oversize_message_is_too_large() {
        let mut raw = crlf("From: a@b.example\nSubject: big\n\n");
        raw.resize(MAX_MESSAGE_BYTES + 1, b'a');
        let err = parse_message(&raw).unwrap_err();
        assert_eq!(
            err,
            MailboxError::TooLarge {
                size: MAX_MESSAGE_BYTES + 1
            }
        );
        let shown = err.to_string();
        assert!(
            shown.contains(&(MAX_MESSAGE_BYTES + 1).to_string()),
            "{shown}"
        );
        assert!(shown.contains(&MAX_MESSAGE_BYTES.to_string()), "{shown}");
        let _: &dyn std::error::Error = &err;

        // Exactly at the limit is fine.
        raw.truncate(MAX_MESSAGE_BYTES);
        assert!(parse_message(&raw).is_ok());
    }

    #[test]
    fn long_text_is_cut_on_a_char_boundary() {
        let mut raw = crlf(
            "From: a@b.example\nContent-Type: text/plain; charset=utf-8\n\
             Content-Transfer-Encoding: 8bit\n\n",
        );
        // Three bytes a character: 64 KiB is not a multiple of three.
        raw.extend("数".repeat(30_000).as_bytes());
        let m = parse_message(&raw).unwrap();
        assert!(m.text.len() <= MAX_TEXT_BYTES);
        assert!(m.text.len() > MAX_TEXT_BYTES - 4);
        assert!(m.text.chars().all(|c| c == '数'));
    }

    /// A small fixed-seed generator (xorshift64*), so the fuzz test is repeatable.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n.max(1) as u64) as usize
        }
    }

    #[test]
    fn parse_never_panics_on_arbitrary_bytes() {
        let seeds: Vec<Vec<u8>> = vec![
            crlf(
                "From: \"A\" <a@b.example>\nTo: x@y.example\nSubject: =?UTF-8?B?57Sn5oCl?=\n\
                 Date: Tue, 1 Jul 2025 10:52:37 +0200\nMIME-Version: 1.0\n\
                 Content-Type: multipart/mixed; boundary=\"m\"\n\n--m\n\
                 Content-Type: text/plain; charset=utf-8\n\
                 Content-Transfer-Encoding: quoted-printable\n\nCaf=C3=A9=\n\n--m\n\
                 Content-Type: message/rfc822\n\nFrom: c@d.example\nSubject: inner\n\nhi\n\
                 --m\nContent-Type: application/pdf; name=x.pdf\n\
                 Content-Transfer-Encoding: base64\n\nJVBERi0=\n--m--\n",
            ),
            crlf(
                "Subject: =?x?Q?=ZZ?= =?UTF-8?B?!!!?=\nContent-Type: text/html\n\n\
                 <html><p>&#xFFFFFF; &bogus; <<<</p>",
            ),
        ];
        let alphabet: &[u8] = b"\r\n:;=?<>\"'-_ \t/@.,()[]\\BQbq0123456789ABCDEF\x00\xff\xc3\xa9";
        let mut rng = Rng(0x5EED_C0DE_1234_5678);
        for round in 0..3000 {
            let input: Vec<u8> = match round % 3 {
                // Pure random bytes.
                0 => (0..rng.below(600))
                    .map(|_| (rng.next() & 0xff) as u8)
                    .collect(),
                // Random bytes from a mail-ish alphabet.
                1 => (0..rng.below(600))
                    .map(|_| alphabet[rng.below(alphabet.len())])
                    .collect(),
                // A real message, mutated.
                _ => {
                    let mut m = seeds[rng.below(seeds.len())].clone();
                    for _ in 0..1 + rng.below(12) {
                        let at = rng.below(m.len() + 1);
                        match rng.below(4) {
                            0 if at < m.len() => m[at] = (rng.next() & 0xff) as u8,
                            1 if at < m.len() => {
                                m.remove(at);
                            }
                            2 => m.insert(at, alphabet[rng.below(alphabet.len())]),
                            _ => m.truncate(at),
                        }
                    }
                    m
                }
            };
            if let Ok(message) = parse_message(&input) {
                assert!(message.text.len() <= MAX_TEXT_BYTES);
                let _ = classify(&message.subject, Mailbox::Privacy);
                let _ = classify(&message.subject, Mailbox::Security);
            }
            // Classification never panics on whatever text the bytes make either.
            let _ = classify(&String::from_utf8_lossy(&input), Mailbox::Security);
        }
    }
}
