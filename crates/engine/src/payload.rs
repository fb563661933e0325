//! Records' payloads checked against the value shapes the policy declares.
//!
//! A record's `data` is keyed by data category. Each value must take the shape its category
//! declares (`[[data_category]] value = …`), or the shape the record's product declares for it
//! (`[product.payload]`), which replaces the category's. A category without a shape takes any
//! value. Phone numbers, e-mail and IP addresses are normalised in place, wherever they stand,
//! through the caller's `normalise`, so a payload holds them in the same form as the
//! identifiers.
//!
//! The check runs for every ingested record, so it allocates nothing while a payload is valid
//! (beyond the normalised strings), uses no regular expression and writes the path of a field
//! (`data.traffic-data.duration_s`) only when refusing it. A `null` stands for an absent value:
//! it is accepted wherever the field is not required.

use std::fmt;

use custodian_policy::PolicyVersion;
use custodian_policy::model::{Product, ValueShape, ValueType};
use serde_json::{Map, Value};

/// Why a payload was refused: the field, and what was expected there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayloadError {
    /// The path of the field, from the record: `data.traffic-data.duration_s`,
    /// `data.recordings[0].uri`.
    pub field: String,
    /// What is wrong, saying what is expected: `expected an integer ≥ 0, got "abc"`.
    pub message: String,
}

impl fmt::Display for PayloadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for PayloadError {}

/// Normalises an identifier of a kind (`phone`, `email` or `ip`), or says why it is not one.
pub type Normalise<'a> = dyn FnMut(&str, &str) -> Result<String, String> + 'a;

/// Checks every value of `data` against its shape for `product`, normalising phone numbers,
/// e-mail and IP addresses in place. The first value that does not fit is named with what was
/// expected.
pub fn validate(
    v: &PolicyVersion,
    product: &Product,
    data: &mut Map<String, Value>,
    normalise: &mut Normalise<'_>,
) -> Result<(), PayloadError> {
    let root = Path::Root;
    for (key, value) in data.iter_mut() {
        let path = Path::Key(&root, key);
        let shape = match product.payload.get(key.as_str()) {
            Some(shape) => Some(shape),
            None => match v.data_category.iter().find(|c| c.id.as_str() == key) {
                Some(category) => category.shape.as_ref(),
                None => {
                    return Err(path.error(format!("`{key}` is not a data category of the policy")));
                }
            },
        };
        if let Some(shape) = shape
            && !value.is_null()
        {
            check(shape, value, &path, normalise)?;
        }
    }
    Ok(())
}

/// Where a value stands in the payload, kept on the stack and written out only for an error.
#[derive(Clone, Copy)]
enum Path<'a> {
    Root,
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl Path<'_> {
    fn write(&self, out: &mut String) {
        match self {
            Path::Root => out.push_str("data"),
            Path::Key(parent, key) => {
                parent.write(out);
                out.push('.');
                out.push_str(key);
            }
            Path::Index(parent, i) => {
                parent.write(out);
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
        }
    }

    fn error(&self, message: String) -> PayloadError {
        let mut field = String::new();
        self.write(&mut field);
        PayloadError { field, message }
    }

    fn expected(&self, what: impl fmt::Display, value: &Value) -> PayloadError {
        self.error(format!("expected {what}, got {}", Got(value)))
    }
}

/// Checks one value that is not `null` against its shape.
fn check(
    shape: &ValueShape,
    value: &mut Value,
    path: &Path<'_>,
    normalise: &mut Normalise<'_>,
) -> Result<(), PayloadError> {
    // A checked policy names only known types; an unknown one constrains nothing.
    let Some(kind) = shape.kind.kind() else {
        return Ok(());
    };
    let min = shape.min.as_ref().map(|l| l.value());
    let max = shape.max.as_ref().map(|l| l.value());
    match kind {
        ValueType::Text => {
            let Value::String(s) = value else {
                return Err(path.expected(Describe(shape), value));
            };
            if let Some(count) = outside_length(s, min, max) {
                return Err(path.error(format!(
                    "expected {}, got {count} character{}",
                    Describe(shape),
                    if count == 1 { "" } else { "s" }
                )));
            }
        }
        ValueType::Phone | ValueType::Email | ValueType::Ip => {
            let Value::String(s) = value else {
                return Err(path.expected(Describe(shape), value));
            };
            let normalised = normalise(kind.as_str(), s).map_err(|m| path.error(m))?;
            if *s != normalised {
                *s = normalised;
            }
        }
        ValueType::Url => match value {
            Value::String(s) if is_web_url(s) => {}
            _ => return Err(path.expected(Describe(shape), value)),
        },
        ValueType::Timestamp => match value {
            Value::String(s) if s.parse::<jiff::Timestamp>().is_ok() => {}
            _ => return Err(path.expected(Describe(shape), value)),
        },
        ValueType::Date => match value {
            Value::String(s) if is_date(s) => {}
            _ => return Err(path.expected(Describe(shape), value)),
        },
        ValueType::Integer => {
            let n = match value {
                Value::Number(n) => n
                    .as_i64()
                    .map(|i| i as f64)
                    .or_else(|| n.as_u64().map(|u| u as f64)),
                _ => None,
            };
            match n {
                Some(x) if within(x, min, max) => {}
                _ => return Err(path.expected(Describe(shape), value)),
            }
        }
        ValueType::Number => match value {
            Value::Number(n) if n.as_f64().is_some_and(|x| within(x, min, max)) => {}
            _ => return Err(path.expected(Describe(shape), value)),
        },
        ValueType::Boolean => {
            if !value.is_boolean() {
                return Err(path.expected(Describe(shape), value));
            }
        }
        ValueType::Enum => match value {
            Value::String(s) if shape.values.iter().any(|v| v.as_str() == s) => {}
            _ => return Err(path.expected(Describe(shape), value)),
        },
        ValueType::List => {
            let Value::Array(items) = value else {
                return Err(path.expected(Describe(shape), value));
            };
            if !within(items.len() as f64, min, max) {
                return Err(path.error(format!(
                    "expected {}, got {} item{}",
                    Describe(shape),
                    items.len(),
                    if items.len() == 1 { "" } else { "s" }
                )));
            }
            if let Some(item_shape) = &shape.items {
                for (i, item) in items.iter_mut().enumerate() {
                    if !item.is_null() {
                        check(item_shape, item, &Path::Index(path, i), normalise)?;
                    }
                }
            }
        }
        ValueType::Object => {
            let Value::Object(fields) = value else {
                return Err(path.expected(Describe(shape), value));
            };
            for (name, field) in fields.iter_mut() {
                let at = Path::Key(path, name);
                let Some(field_shape) = shape.fields.get(name.as_str()) else {
                    let known: Vec<&str> = shape.fields.keys().map(|k| k.as_str()).collect();
                    return Err(at.error(format!(
                        "`{name}` is not a field here; the fields are: {}",
                        known.join(", ")
                    )));
                };
                if !field.is_null() {
                    check(field_shape, field, &at, normalise)?;
                }
            }
            for (name, field_shape) in &shape.fields {
                if field_shape.required && fields.get(name.as_str()).is_none_or(|f| f.is_null()) {
                    return Err(Path::Key(path, name.as_str()).error(format!(
                        "this field is required: expected {}",
                        Describe(field_shape)
                    )));
                }
            }
        }
        ValueType::Media => media(value, path)?,
        ValueType::OneOf => {
            // The kind of JSON value picks the shape (the checker allows one per kind).
            let json = json_kind(value);
            match shape
                .of
                .iter()
                .find(|alt| alt.kind.kind().and_then(ValueType::json_kind) == Some(json))
            {
                Some(alt) => check(alt, value, path, normalise)?,
                None => return Err(path.expected(Describe(shape), value)),
            }
        }
    }
    Ok(())
}

/// The fields of a media reference: the media is kept elsewhere and only pointed at.
const MEDIA_FIELDS: &str = "uri, content_type, bytes, sha256, duration_s, name";

fn media(value: &mut Value, path: &Path<'_>) -> Result<(), PayloadError> {
    let Value::Object(fields) = value else {
        return Err(path.expected("a media reference (an object with `uri`)", value));
    };
    for (name, field) in fields.iter() {
        let at = Path::Key(path, name);
        if field.is_null() {
            continue;
        }
        let fits = match name.as_str() {
            "uri" => match field {
                Value::String(s) if is_data_uri(s) => {
                    return Err(at.error(
                        "media is referenced, never stored inline: give the address where it \
                         is kept, not a `data:` URI"
                            .into(),
                    ));
                }
                Value::String(s) => is_uri(s),
                _ => false,
            },
            "content_type" => matches!(field, Value::String(s) if is_media_type(s)),
            "bytes" => field.as_u64().is_some(),
            "sha256" => {
                matches!(field, Value::String(s) if s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()))
            }
            "duration_s" => field.as_f64().is_some_and(|x| x >= 0.0),
            "name" => matches!(field, Value::String(s) if !s.is_empty() && s.len() <= 255),
            _ => {
                return Err(at.error(format!(
                    "`{name}` is not a field of a media reference; the fields are: {MEDIA_FIELDS}"
                )));
            }
        };
        if !fits {
            let what = match name.as_str() {
                "uri" => {
                    "a URI such as \"https://media.example.com/rec/123.wav\" or \"s3://bucket/key\""
                }
                "content_type" => "a media type such as \"audio/wav\"",
                "bytes" => "an integer ≥ 0",
                "sha256" => "64 hexadecimal characters",
                "duration_s" => "a number ≥ 0",
                _ => "text of 1 to 255 bytes",
            };
            return Err(at.expected(what, field));
        }
    }
    if fields.get("uri").is_none_or(|u| u.is_null()) {
        return Err(Path::Key(path, "uri")
            .error("this field is required: expected the URI where the media is kept".into()));
    }
    Ok(())
}

/// The length of `s` in characters when it is outside the bounds; counted only when the byte
/// length cannot decide.
fn outside_length(s: &str, min: Option<f64>, max: Option<f64>) -> Option<usize> {
    let bytes = s.len() as f64;
    if let Some(max) = max
        && bytes > max
    {
        let count = s.chars().count();
        if count as f64 > max {
            return Some(count);
        }
    }
    if let Some(min) = min
        // A character takes at most four bytes.
        && bytes < min * 4.0
    {
        let count = s.chars().count();
        if (count as f64) < min {
            return Some(count);
        }
    }
    None
}

fn within(x: f64, min: Option<f64>, max: Option<f64>) -> bool {
    min.is_none_or(|m| x >= m) && max.is_none_or(|m| x <= m)
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// An absolute `http` or `https` URL with a host, without spaces or credentials.
fn is_web_url(s: &str) -> bool {
    let rest = if let Some(r) = strip_prefix_ignore_case(s, "https://") {
        r
    } else if let Some(r) = strip_prefix_ignore_case(s, "http://") {
        r
    } else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    s.len() <= 2048
        && !authority.is_empty()
        && authority
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b':' | b'[' | b']'))
        && !s
            .bytes()
            .any(|b| b.is_ascii_whitespace() || b.is_ascii_control())
}

fn strip_prefix_ignore_case<'s>(s: &'s str, prefix: &str) -> Option<&'s str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

/// A URI with a scheme (`https:`, `s3:`, `gs:` …) and something after it.
fn is_uri(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    s.len() <= 2048
        && !rest.is_empty()
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
        && !s
            .bytes()
            .any(|b| b.is_ascii_whitespace() || b.is_ascii_control())
}

fn is_data_uri(s: &str) -> bool {
    strip_prefix_ignore_case(s, "data:").is_some()
}

/// `type/subtype`, optionally with parameters (`audio/wav`, `text/plain; charset=utf-8`).
fn is_media_type(s: &str) -> bool {
    let essence = s.split(';').next().unwrap_or("").trim();
    let token = |t: &str| {
        !t.is_empty()
            && t.bytes().all(|b| {
                b.is_ascii_alphanumeric()
                    || matches!(
                        b,
                        b'!' | b'#' | b'$' | b'&' | b'-' | b'^' | b'_' | b'.' | b'+'
                    )
            })
    };
    s.len() <= 255
        && essence
            .split_once('/')
            .is_some_and(|(t, sub)| token(t) && token(sub))
}

/// `YYYY-MM-DD`, a real calendar date.
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<i32> {
        b[r].iter().try_fold(0i32, |acc, &d| {
            d.is_ascii_digit().then(|| acc * 10 + i32::from(d - b'0'))
        })
    };
    match (digits(0..4), digits(5..7), digits(8..10)) {
        (Some(y), Some(m), Some(d)) => {
            i16::try_from(y).is_ok_and(|y| jiff::civil::Date::new(y, m as i8, d as i8).is_ok())
        }
        _ => false,
    }
}

/// What a shape expects, for messages: "an integer ≥ 0", "text of at most 256 characters".
struct Describe<'a>(&'a ValueShape);

impl fmt::Display for Describe<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shape = self.0;
        let min = shape.min.as_ref().map(|l| l.value());
        let max = shape.max.as_ref().map(|l| l.value());
        let Some(kind) = shape.kind.kind() else {
            return write!(f, "a value");
        };
        match kind {
            ValueType::Text => {
                f.write_str("text")?;
                bounds(f, min, max, " of ", " characters")
            }
            ValueType::Phone => f.write_str("a phone number"),
            ValueType::Email => f.write_str("an e-mail address"),
            ValueType::Ip => f.write_str("an IP address"),
            ValueType::Url => f.write_str("an http(s) URL such as \"https://example.com/page\""),
            ValueType::Timestamp => f.write_str(
                "an RFC 3339 timestamp with its offset, such as \"2023-05-18T09:30:00Z\"",
            ),
            ValueType::Date => f.write_str("a date such as \"2023-05-18\""),
            ValueType::Integer => {
                f.write_str("an integer")?;
                numeric_bounds(f, min, max)
            }
            ValueType::Number => {
                f.write_str("a number")?;
                numeric_bounds(f, min, max)
            }
            ValueType::Boolean => f.write_str("true or false"),
            ValueType::Enum => {
                f.write_str("one of ")?;
                for (i, v) in shape.values.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "\"{}\"", v.as_str())?;
                }
                Ok(())
            }
            ValueType::List => {
                f.write_str("a list")?;
                bounds(f, min, max, " of ", " items")
            }
            ValueType::Object => f.write_str("an object"),
            ValueType::Media => f.write_str("a media reference (an object with `uri`)"),
            ValueType::OneOf => {
                for (i, alt) in shape.of.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" or ")?;
                    }
                    write!(f, "{}", Describe(alt))?;
                }
                Ok(())
            }
        }
    }
}

fn bounds(
    f: &mut fmt::Formatter<'_>,
    min: Option<f64>,
    max: Option<f64>,
    of: &str,
    unit: &str,
) -> fmt::Result {
    match (min, max) {
        (Some(a), Some(b)) if a == b => write!(f, "{of}exactly {a}{unit}"),
        (Some(a), Some(b)) => write!(f, "{of}{a} to {b}{unit}"),
        (Some(a), None) => write!(f, "{of}at least {a}{unit}"),
        (None, Some(b)) => write!(f, "{of}at most {b}{unit}"),
        (None, None) => Ok(()),
    }
}

fn numeric_bounds(f: &mut fmt::Formatter<'_>, min: Option<f64>, max: Option<f64>) -> fmt::Result {
    match (min, max) {
        (Some(a), Some(b)) => write!(f, " from {a} to {b}"),
        (Some(a), None) => write!(f, " ≥ {a}"),
        (None, Some(b)) => write!(f, " ≤ {b}"),
        (None, None) => Ok(()),
    }
}

/// A value as messages show it: short values as JSON, long text by its length only.
struct Got<'a>(&'a Value);

impl fmt::Display for Got<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Value::String(s) => {
                let count = s.chars().count();
                if count <= 40 {
                    write!(f, "{}", Value::String(s.clone()))
                } else {
                    write!(f, "text of {count} characters")
                }
            }
            Value::Array(items) => write!(
                f,
                "a list of {} item{}",
                items.len(),
                if items.len() == 1 { "" } else { "s" }
            ),
            Value::Object(_) => f.write_str("an object"),
            other => write!(f, "{other}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use custodian_policy::Item;
    use custodian_policy::model::PolicyFile;
    use serde_json::json;

    /// A version with the categories and products of `toml`.
    fn version(toml: &str) -> PolicyVersion {
        let file: PolicyFile = toml::from_str(toml).unwrap();
        PolicyVersion {
            data_category: file
                .data_category
                .into_iter()
                .map(|value| Item { file: 0, value })
                .collect(),
            product: file
                .product
                .into_iter()
                .map(|value| Item { file: 0, value })
                .collect(),
            ..PolicyVersion::default()
        }
    }

    const POLICY: &str = r#"
[[data_category]]
id = "phone-number"
value = { type = "phone" }

[[data_category]]
id = "email-address"
value = { type = "email" }

[[data_category]]
id = "ip-address"
value = { type = "ip" }

[[data_category]]
id = "name"
value = { type = "text", min = 1, max = 5 }

[[data_category]]
id = "free"

[[data_category]]
id = "content"

[data_category.value]
type = "one-of"

[[data_category.value.of]]
type = "text"
max = 10

[[data_category.value.of]]
type = "object"

[data_category.value.of.fields]
subject = { type = "text", max = 20 }
attachments = { type = "list", items = { type = "media" }, max = 2 }

[[data_category]]
id = "traffic-data"

[data_category.value]
type = "object"

[data_category.value.fields]
direction = { type = "enum", values = ["inbound", "outbound"], required = true }
duration_s = { type = "integer", min = 0 }
parts = { type = "integer", min = 1, max = 255 }
score = { type = "number", min = -1.5, max = 1.5 }
at = { type = "timestamp" }
on = { type = "date" }
page = { type = "url" }
seen = { type = "boolean" }
to = { type = "phone" }
hops = { type = "list", items = { type = "text", max = 3 }, min = 1, max = 2 }
recording = { type = "media" }

[data_category.value.fields.position]
type = "object"

[data_category.value.fields.position.fields]
lat = { type = "number", min = -90, max = 90, required = true }
lon = { type = "number", min = -180, max = 180, required = true }

[[product]]
id = "sms"
name = "SMS"
kind = "communication"
subjects = ["end-user"]
categories = ["phone-number", "email-address", "ip-address", "name", "free", "content", "traffic-data"]
role = "processor"

[product.payload]
content = { type = "text", min = 1, max = 3 }

[[product]]
id = "email"
name = "Email"
kind = "communication"
subjects = ["end-user"]
categories = ["content"]
role = "processor"
"#;

    /// Normalises like the engine does for the tests' purposes: phone numbers lose their
    /// spaces, e-mail addresses are lower-cased, IPs must parse.
    fn normalise(kind: &str, value: &str) -> Result<String, String> {
        match kind {
            "phone" if value.starts_with('+') => Ok(value.replace(' ', "")),
            "phone" => Err(format!("`{value}` is not a phone number")),
            "email" if value.contains('@') => Ok(value.to_lowercase()),
            "email" => Err(format!("`{value}` is not an e-mail address")),
            "ip" => value
                .parse::<std::net::IpAddr>()
                .map(|ip| ip.to_string())
                .map_err(|_| format!("`{value}` is not an IP address")),
            other => Err(format!("unexpected kind {other}")),
        }
    }

    fn run(product: &str, data: Value) -> Result<Value, PayloadError> {
        let v = version(POLICY);
        let p = v.product.iter().find(|p| p.id.as_str() == product).unwrap();
        let mut map = data.as_object().unwrap().clone();
        validate(&v, p, &mut map, &mut normalise)?;
        Ok(Value::Object(map))
    }

    fn refused(product: &str, data: Value) -> (String, String) {
        let e = run(product, data).unwrap_err();
        (e.field, e.message)
    }

    fn traffic(fields: Value) -> (String, String) {
        let mut t = json!({ "direction": "inbound" });
        for (k, v) in fields.as_object().unwrap() {
            t[k] = v.clone();
        }
        refused("sms", json!({ "traffic-data": t }))
    }

    #[test]
    fn a_valid_payload_passes_with_identifiers_normalised_in_place() {
        let out = run(
            "sms",
            json!({
                "phone-number": "+31 6 12345678",
                "email-address": "Jan@Example.COM",
                "ip-address": "2001:DB8::1",
                "name": "Jan",
                "free": { "anything": [1, 2, 3] },
                "content": "hi",
                "traffic-data": {
                    "direction": "outbound",
                    "duration_s": 0,
                    "parts": 255,
                    "score": -1.5,
                    "at": "2023-05-18T09:30:00+02:00",
                    "on": "2024-02-29",
                    "page": "https://example.com/a?b=c#d",
                    "seen": false,
                    "to": "+44 7911 123456",
                    "hops": ["AMS", "FRA"],
                    "recording": { "uri": "s3://bucket/rec.wav", "content_type": "audio/wav", "bytes": 1024, "sha256": "a".repeat(64), "duration_s": 12.5, "name": "rec.wav" },
                    "position": { "lat": 52.37, "lon": 4.89 },
                    "parts_unknown_null_is_refused_below": null
                }
            }),
        );
        // The last field is unknown: even a null is refused there.
        let e = out.unwrap_err();
        assert_eq!(
            e.field,
            "data.traffic-data.parts_unknown_null_is_refused_below"
        );

        let out = run(
            "sms",
            json!({
                "phone-number": "+31 6 12345678",
                "email-address": "Jan@Example.COM",
                "ip-address": "2001:DB8::1",
                "traffic-data": { "direction": "outbound", "to": "+44 7911 123456", "duration_s": null },
            }),
        )
        .unwrap();
        assert_eq!(out["phone-number"], "+31612345678");
        assert_eq!(out["email-address"], "jan@example.com");
        assert_eq!(out["ip-address"], "2001:db8::1");
        assert_eq!(out["traffic-data"]["to"], "+447911123456", "nested too");
        assert_eq!(out["traffic-data"]["duration_s"], Value::Null);
    }

    #[test]
    fn text_is_bounded_in_characters_not_bytes() {
        assert!(run("sms", json!({ "name": "Zoë" })).is_ok());
        assert!(
            run("sms", json!({ "name": "日本語日本" })).is_ok(),
            "15 bytes, 5 characters"
        );
        assert_eq!(
            refused("sms", json!({ "name": "Johnny" })),
            (
                "data.name".into(),
                "expected text of 1 to 5 characters, got 6 characters".into()
            )
        );
        assert_eq!(
            refused("sms", json!({ "name": "" })).1,
            "expected text of 1 to 5 characters, got 0 characters"
        );
        assert_eq!(
            refused("sms", json!({ "name": 42 })).1,
            "expected text of 1 to 5 characters, got 42"
        );
    }

    #[test]
    fn phone_email_and_ip_refusals_carry_the_normaliser_message() {
        assert_eq!(
            refused("sms", json!({ "phone-number": "0612" })),
            (
                "data.phone-number".into(),
                "`0612` is not a phone number".into()
            )
        );
        assert_eq!(
            refused("sms", json!({ "email-address": "nobody" })).1,
            "`nobody` is not an e-mail address"
        );
        assert_eq!(
            refused("sms", json!({ "ip-address": "1.2.3" })).1,
            "`1.2.3` is not an IP address"
        );
        assert_eq!(
            refused("sms", json!({ "phone-number": 31612345678u64 })).1,
            "expected a phone number, got 31612345678"
        );
    }

    #[test]
    fn integers_and_numbers_respect_their_bounds() {
        assert_eq!(
            traffic(json!({ "duration_s": "abc" })),
            (
                "data.traffic-data.duration_s".into(),
                "expected an integer ≥ 0, got \"abc\"".into()
            )
        );
        assert_eq!(
            traffic(json!({ "duration_s": -1 })).1,
            "expected an integer ≥ 0, got -1"
        );
        assert_eq!(
            traffic(json!({ "duration_s": 1.5 })).1,
            "expected an integer ≥ 0, got 1.5"
        );
        assert_eq!(
            traffic(json!({ "parts": 256 })).1,
            "expected an integer from 1 to 255, got 256"
        );
        assert_eq!(
            traffic(json!({ "score": 2 })).1,
            "expected a number from -1.5 to 1.5, got 2"
        );
        assert_eq!(
            traffic(json!({ "score": "1" })).1,
            "expected a number from -1.5 to 1.5, got \"1\""
        );
    }

    #[test]
    fn timestamps_dates_urls_and_booleans_are_checked() {
        assert_eq!(
            traffic(json!({ "at": "2023-05-18 09:30" })),
            (
                "data.traffic-data.at".into(),
                "expected an RFC 3339 timestamp with its offset, such as \"2023-05-18T09:30:00Z\", got \"2023-05-18 09:30\"".into()
            )
        );
        assert!(
            traffic(json!({ "at": "2023-05-18T09:30:00" }))
                .1
                .contains("with its offset")
        );
        for bad in [
            "2023-02-30",
            "2023-5-18",
            "18-05-2023",
            "2023-05-18T00:00:00Z",
            "２０２３-05-18",
        ] {
            assert_eq!(
                traffic(json!({ "on": bad })).0,
                "data.traffic-data.on",
                "{bad}"
            );
        }
        for bad in [
            "ftp://example.com",
            "https://",
            "https://exa mple.com",
            "https://user:secret@example.com/",
            "example.com",
        ] {
            assert!(
                traffic(json!({ "page": bad }))
                    .1
                    .starts_with("expected an http(s) URL"),
                "{bad}"
            );
        }
        assert!(run("sms", json!({ "traffic-data": { "direction": "inbound", "page": "HTTP://[2001:db8::1]:8080/x" } })).is_ok());
        assert_eq!(
            traffic(json!({ "seen": "yes" })).1,
            "expected true or false, got \"yes\""
        );
    }

    #[test]
    fn enums_name_their_values() {
        assert_eq!(
            refused(
                "sms",
                json!({ "traffic-data": { "direction": "sideways" } })
            ),
            (
                "data.traffic-data.direction".into(),
                "expected one of \"inbound\", \"outbound\", got \"sideways\"".into()
            )
        );
    }

    #[test]
    fn lists_are_bounded_and_their_items_named_by_index() {
        assert_eq!(
            traffic(json!({ "hops": [] })).1,
            "expected a list of 1 to 2 items, got 0 items"
        );
        assert_eq!(
            traffic(json!({ "hops": ["A", "B", "C"] })).1,
            "expected a list of 1 to 2 items, got 3 items"
        );
        assert_eq!(
            traffic(json!({ "hops": ["AMS", "LONDON"] })),
            (
                "data.traffic-data.hops[1]".into(),
                "expected text of at most 3 characters, got 6 characters".into()
            )
        );
        assert_eq!(
            traffic(json!({ "hops": "AMS" })).1,
            "expected a list of 1 to 2 items, got \"AMS\""
        );
    }

    #[test]
    fn objects_refuse_unknown_fields_and_require_required_ones() {
        assert_eq!(
            refused("sms", json!({ "traffic-data": { "duration_s": 3 } })),
            (
                "data.traffic-data.direction".into(),
                "this field is required: expected one of \"inbound\", \"outbound\"".into()
            )
        );
        assert_eq!(
            refused("sms", json!({ "traffic-data": { "direction": null } })).0,
            "data.traffic-data.direction",
            "null is no value for a required field"
        );
        let (field, message) = traffic(json!({ "salary": 1 }));
        assert_eq!(field, "data.traffic-data.salary");
        assert!(
            message.starts_with("`salary` is not a field here; the fields are: at, direction"),
            "{message}"
        );
        assert_eq!(
            traffic(json!({ "position": { "lat": 91, "lon": 0 } })),
            (
                "data.traffic-data.position.lat".into(),
                "expected a number from -90 to 90, got 91".into()
            )
        );
        assert_eq!(
            traffic(json!({ "position": { "lat": 1 } })).0,
            "data.traffic-data.position.lon"
        );
        assert_eq!(
            refused("sms", json!({ "traffic-data": ["inbound"] })).1,
            "expected an object, got a list of 1 item"
        );
    }

    #[test]
    fn media_is_a_reference_never_inline() {
        let media = |m: Value| traffic(json!({ "recording": m }));
        assert_eq!(
            media(json!({ "content_type": "audio/wav" })),
            (
                "data.traffic-data.recording.uri".into(),
                "this field is required: expected the URI where the media is kept".into()
            )
        );
        let (field, message) = media(json!({ "uri": "data:audio/wav;base64,UklGR" }));
        assert_eq!(field, "data.traffic-data.recording.uri");
        assert!(message.contains("never stored inline"), "{message}");
        let (field, message) = media(json!({ "uri": "s3://b/k", "audio": "UklGR" }));
        assert_eq!(field, "data.traffic-data.recording.audio");
        assert!(
            message.contains("not a field of a media reference"),
            "{message}"
        );
        for (name, bad) in [
            ("uri", json!("no scheme")),
            ("content_type", json!("wav")),
            ("bytes", json!(-1)),
            ("sha256", json!("abc")),
            ("duration_s", json!(-0.5)),
            ("name", json!("")),
        ] {
            let mut m = json!({ "uri": "https://media.example.com/1.wav" });
            m[name] = bad;
            let (field, message) = media(m);
            assert_eq!(field, format!("data.traffic-data.recording.{name}"));
            assert!(message.starts_with("expected "), "{message}");
        }
        assert_eq!(
            media(json!("https://media.example.com/1.wav")).1,
            "expected a media reference (an object with `uri`), got \"https://media.example.com/1.wav\""
        );
    }

    #[test]
    fn one_of_picks_the_shape_by_the_kind_of_value() {
        assert!(run("email", json!({ "content": "short" })).is_ok());
        assert!(run("email", json!({ "content": { "subject": "Hi", "attachments": [{ "uri": "https://x.example/a.pdf" }] } })).is_ok());
        assert_eq!(
            refused("email", json!({ "content": "far too long text" })),
            (
                "data.content".into(),
                "expected text of at most 10 characters, got 17 characters".into()
            )
        );
        assert_eq!(
            refused(
                "email",
                json!({ "content": { "attachments": [{ "uri": "https://x.example/a.pdf" }, {}] } })
            )
            .0,
            "data.content.attachments[1].uri"
        );
        assert_eq!(
            refused("email", json!({ "content": 7 })).1,
            "expected text of at most 10 characters or an object, got 7"
        );
    }

    #[test]
    fn a_products_payload_shape_replaces_the_categorys() {
        assert_eq!(
            refused("sms", json!({ "content": { "subject": "Hi" } })),
            (
                "data.content".into(),
                "expected text of 1 to 3 characters, got an object".into()
            )
        );
        assert_eq!(
            refused("sms", json!({ "content": "hello" })).1,
            "expected text of 1 to 3 characters, got 5 characters"
        );
        assert!(run("sms", json!({ "content": "hey" })).is_ok());
    }

    #[test]
    fn unknown_categories_and_unshaped_ones_are_told_apart() {
        assert_eq!(
            refused("sms", json!({ "salary": 1 })),
            (
                "data.salary".into(),
                "`salary` is not a data category of the policy".into()
            )
        );
        assert!(run("sms", json!({ "free": [null, { "x": true }] })).is_ok());
        assert!(
            run("sms", json!({ "name": null })).is_ok(),
            "null is absent"
        );
    }

    #[test]
    fn long_values_are_not_repeated_in_messages() {
        let long = "x".repeat(500);
        let (_, message) = traffic(json!({ "direction": long }));
        assert!(!message.contains("xxxxxxxxxx"), "{message}");
        assert!(message.ends_with("got text of 500 characters"), "{message}");
    }

    #[test]
    fn the_seeds_policy_accepts_realistic_traffic_for_its_shapes() {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies/messagebird");
        let (policy, report) = custodian_policy::load(&dir);
        let policy = policy.unwrap_or_else(|| panic!("{}", report.render(false)));
        let v = policy.current().unwrap();
        let voice = v.product.iter().find(|p| p.id.as_str() == "voice").unwrap();
        let mut data = json!({
            "phone-number": "+31612345678",
            "communication-content": "Your appointment is at nine",
            "traffic-data": { "direction": "outbound", "started_at": "2023-05-18T09:30:00Z", "duration_s": 42, "operator": "KPN" },
            "location-data": { "terminating_carrier": "KPN", "routing_path": ["AMS", "FRA"], "position": { "lat": 52.37, "lon": 4.89 } },
            "recordings": [{ "uri": "https://media.example.com/calls/1.wav", "content_type": "audio/wav", "bytes": 480000, "duration_s": 42 }]
        });
        let map = data.as_object_mut().unwrap();
        validate(v, voice, map, &mut normalise).unwrap();
        map.insert(
            "communication-content".into(),
            json!({ "subject": "no e-mail here" }),
        );
        let e = validate(v, voice, map, &mut normalise).unwrap_err();
        assert_eq!(e.field, "data.communication-content");
    }
}
