//! The policy file format: what one `.toml` file of a policy version may contain.
//!
//! Every file of a version directory is read into a [`PolicyFile`]; the files of one version are
//! then merged into a [`crate::PolicyVersion`]. Every id and every reference keeps its place in
//! the file ([`Id`], [`Ref`]) so that the checker can point at it.
//!
//! The JSON Schema for editors (`custodian policy schema`) is generated from these types.

use std::borrow::{Borrow, Cow};
use std::collections::BTreeMap;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Serialize};
use toml::Spanned;

/// A byte range in a policy file.
pub type Span = std::ops::Range<usize>;

macro_rules! spanned_string {
    ($(#[$doc:meta])* $name:ident, $schema_doc:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Deserialize, Serialize)]
        #[serde(transparent)]
        pub struct $name(pub Spanned<String>);

        impl $name {
            /// The text.
            pub fn as_str(&self) -> &str {
                self.0.get_ref()
            }

            /// Where it stands in its file.
            pub fn span(&self) -> Span {
                self.0.span()
            }
        }

        impl PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                self.as_str() == other.as_str()
            }
        }

        impl JsonSchema for $name {
            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                json_schema!({
                    "type": "string",
                    "pattern": "^[a-z][a-z0-9]*(-[a-z0-9]+)*$",
                    "description": $schema_doc
                })
            }
        }
    };
}

spanned_string!(
    /// The id of a policy item: lower-case words joined by hyphens (`sms-voice`).
    Id,
    "The id of this item: lower-case words joined by hyphens, unique within its kind."
);
spanned_string!(
    /// A reference to the id of another policy item.
    Ref,
    "The id of another item of the policy."
);

/// A text value with its place in the file (periods, dates, codes).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(transparent)]
pub struct Text(pub Spanned<String>);

impl Text {
    /// The text.
    pub fn as_str(&self) -> &str {
        self.0.get_ref()
    }

    /// Where it stands in its file.
    pub fn span(&self) -> Span {
        self.0.span()
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl JsonSchema for Text {
    fn schema_name() -> Cow<'static, str> {
        "Text".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string" })
    }
}

/// The contents of one policy file. Every section is optional; a version is the union of its
/// files, and each item must be declared exactly once across them.
#[derive(Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub struct PolicyFile {
    /// The version this directory describes (exactly one file of the version has it).
    pub version: Option<VersionInfo>,
    /// The controller and the group it belongs to.
    pub organisation: Option<Organisation>,
    /// Legal entities: the headquarters and its affiliates.
    #[serde(default)]
    pub entity: Vec<Entity>,
    /// Brands (trading names) and which entity they belong to.
    #[serde(default)]
    pub brand: Vec<Brand>,
    /// Categories of people whose data is processed.
    #[serde(default)]
    pub subject_category: Vec<SubjectCategory>,
    /// Categories of personal data.
    #[serde(default)]
    pub data_category: Vec<DataCategory>,
    /// Messaging channels (WhatsApp, Line, …) with the kind of identifier they use.
    #[serde(default)]
    pub channel: Vec<Channel>,
    /// Products and services, with the personal data each one processes.
    #[serde(default)]
    pub product: Vec<Product>,
    /// Legal bases for processing.
    #[serde(default)]
    pub legal_basis: Vec<LegalBasis>,
    /// Purposes of processing (each one a processing activity of the ROPA).
    #[serde(default)]
    pub purpose: Vec<Purpose>,
    /// Where personal data comes from.
    #[serde(default)]
    pub source: Vec<Source>,
    /// Categories of recipients.
    #[serde(default)]
    pub recipient_category: Vec<RecipientCategory>,
    /// Named processors and subprocessors.
    #[serde(default)]
    pub processor: Vec<Processor>,
    /// Payment service providers (controllers in their own right).
    #[serde(default)]
    pub psp: Vec<Psp>,
    /// Payment methods that can be saved, and the fields kept for each.
    #[serde(default)]
    pub payment_method: Vec<PaymentMethod>,
    /// Retention rules.
    #[serde(default)]
    pub retention: Vec<RetentionRule>,
    /// Deadlines and fees for data subject requests.
    pub rights: Option<RightsPolicy>,
    /// Rights of data subjects.
    #[serde(default)]
    pub right: Vec<Right>,
    /// Ways to send a data subject request.
    #[serde(default)]
    pub request_channel: Vec<RequestChannel>,
    /// Cookie categories.
    #[serde(default)]
    pub cookie_category: Vec<CookieCategory>,
    /// The cookie inventory.
    #[serde(default)]
    pub cookie: Vec<Cookie>,
    /// The cookie banner: when a visitor is asked again.
    pub cookie_banner: Option<CookieBanner>,
    /// Children's data.
    pub children: Option<Children>,
    /// Contact points (mailboxes, teams).
    #[serde(default)]
    pub contact_point: Vec<ContactPoint>,
    /// Subjects of e-mails that route a message to a case type.
    #[serde(default)]
    pub mailbox_subject: Vec<MailboxSubject>,
    /// Postal addresses.
    #[serde(default)]
    pub postal_address: Vec<PostalAddress>,
    /// Countries where local offices receive post.
    #[serde(default)]
    pub local_office: Vec<LocalOffice>,
    /// Legal regimes and their vocabulary.
    #[serde(default)]
    pub jurisdiction: Vec<Jurisdiction>,
    /// Security measures.
    #[serde(default)]
    pub security_measure: Vec<SecurityMeasure>,
    /// Certifications held.
    #[serde(default)]
    pub certification: Vec<Certification>,
    /// How government disclosure requests are handled.
    pub disclosure: Option<DisclosurePolicy>,
    /// Standing commitments of the statement.
    pub commitments: Option<Commitments>,
}

/// The version a directory describes.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub struct VersionInfo {
    /// The label (`2023`); must equal the directory name.
    pub label: Text,
    /// The date from which this version applies (YYYY-MM-DD).
    pub effective: Text,
    /// The "last updated" date printed on the statement, when it differs from `effective`.
    pub last_updated: Option<Text>,
    /// The seed documents this version was taken from.
    #[serde(default)]
    pub seeds: Vec<String>,
    /// The locale the statement of this version was originally published in.
    pub published_locale: Option<String>,
}

/// The controller and its group.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub struct Organisation {
    /// The entity that is the controller of its own customers' data.
    pub controller: Ref,
    /// Share of voting interests above which an entity counts as controlled (an Affiliate).
    pub affiliate_control_percent: Option<u8>,
    /// The contact point of the data protection officer.
    pub dpo: Option<Ref>,
    /// The supervisory authority of the headquarters.
    pub lead_authority: Option<String>,
}

/// What an entity is within the group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum EntityKind {
    /// The headquarters.
    Headquarters,
    /// An affiliate (controls, is controlled by, or is under common control with the HQ).
    Affiliate,
}

/// A legal entity.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub struct Entity {
    /// Its id.
    pub id: Id,
    /// Its legal or trading name.
    pub name: String,
    /// Headquarters or affiliate.
    pub kind: EntityKind,
    /// ISO 3166-1 alpha-2 country of establishment, when the statement says it.
    pub country: Option<Text>,
    /// Whether customers sign contracts with this entity.
    #[serde(default)]
    pub contracting: bool,
}

/// A brand.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub struct Brand {
    /// Its id.
    pub id: Id,
    /// The brand name, never translated.
    pub name: String,
    /// The entity behind it.
    pub entity: Ref,
    /// The account domain, where the brand has self-service accounts.
    pub domain: Option<String>,
    /// Whether account holders get the privacy dashboard.
    #[serde(default)]
    pub privacy_dashboard: bool,
}

/// A category of data subjects.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub struct SubjectCategory {
    /// Its id; its name is the message `subject-<id>`.
    pub id: Id,
    /// Whether this is one of the main categories the statement names.
    #[serde(default)]
    pub main: bool,
}

/// A category of personal data.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub struct DataCategory {
    /// Its id; its name is the message `data-<id>`.
    pub id: Id,
    /// The broader category it belongs to.
    pub parent: Option<Ref>,
    /// A special category of GDPR Art. 9 (health, biometrics, …) or criminal data.
    #[serde(default)]
    pub special: bool,
    /// Whether it identifies a person on its own (phone number, e-mail address, …).
    #[serde(default)]
    pub identifier: bool,
    /// The elements it is defined to consist of (traffic data: routing data, date, time …).
    #[serde(default)]
    pub elements: Vec<String>,
    /// The shape of its value in a record's payload (`value = { type = "phone" }`). Absent: any
    /// JSON value is accepted, and the checker warns if a product processes the category.
    /// (Written `value`; named `shape` in code because an [`crate::Item`] has a `value`.)
    #[serde(default, rename = "value", skip_serializing_if = "Option::is_none")]
    pub shape: Option<ValueShape>,
}

/// The type of a value in a record's payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValueType {
    /// A string; `min`/`max` bound its length in characters.
    Text,
    /// A phone number, normalised to E.164.
    Phone,
    /// An e-mail address, normalised (lower case, ASCII domain).
    Email,
    /// An IPv4 or IPv6 address, normalised.
    Ip,
    /// An absolute `http` or `https` URL.
    Url,
    /// An RFC 3339 timestamp with its offset (`2023-05-18T09:30:00Z`).
    Timestamp,
    /// A calendar date (`2023-05-18`).
    Date,
    /// A whole number; `min`/`max` bound it.
    Integer,
    /// Any number; `min`/`max` bound it.
    Number,
    /// `true` or `false`.
    Boolean,
    /// One of the strings listed in `values`.
    Enum,
    /// A list of `items`; `min`/`max` bound its length.
    List,
    /// An object with the declared `fields` (unknown fields are refused).
    Object,
    /// A reference to media kept elsewhere (a recording): an object with `uri` (required),
    /// `content_type`, `bytes`, `sha256` and `duration_s`. The media itself is never inline.
    Media,
    /// One of the shapes listed in `of`, each taking a different kind of JSON value (text or an
    /// object, say), so that the value's kind picks the shape.
    OneOf,
}

impl ValueType {
    /// Every type.
    pub const ALL: [ValueType; 15] = [
        ValueType::Text,
        ValueType::Phone,
        ValueType::Email,
        ValueType::Ip,
        ValueType::Url,
        ValueType::Timestamp,
        ValueType::Date,
        ValueType::Integer,
        ValueType::Number,
        ValueType::Boolean,
        ValueType::Enum,
        ValueType::List,
        ValueType::Object,
        ValueType::Media,
        ValueType::OneOf,
    ];

    /// The written form.
    pub fn as_str(self) -> &'static str {
        match self {
            ValueType::Text => "text",
            ValueType::Phone => "phone",
            ValueType::Email => "email",
            ValueType::Ip => "ip",
            ValueType::Url => "url",
            ValueType::Timestamp => "timestamp",
            ValueType::Date => "date",
            ValueType::Integer => "integer",
            ValueType::Number => "number",
            ValueType::Boolean => "boolean",
            ValueType::Enum => "enum",
            ValueType::List => "list",
            ValueType::Object => "object",
            ValueType::Media => "media",
            ValueType::OneOf => "one-of",
        }
    }

    /// Reads the written form.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == text)
    }

    /// The kind of JSON value it takes: `string`, `number`, `boolean`, `array` or `object`
    /// (`None` for `one-of`, which takes several).
    pub fn json_kind(self) -> Option<&'static str> {
        Some(match self {
            ValueType::Text
            | ValueType::Phone
            | ValueType::Email
            | ValueType::Ip
            | ValueType::Url
            | ValueType::Timestamp
            | ValueType::Date
            | ValueType::Enum => "string",
            ValueType::Integer | ValueType::Number => "number",
            ValueType::Boolean => "boolean",
            ValueType::List => "array",
            ValueType::Object | ValueType::Media => "object",
            ValueType::OneOf => return None,
        })
    }
}

/// The `type` of a value shape as written, with its place in the file and the type it names
/// (`None` when it names none; the checker reports it).
#[derive(Debug, Clone)]
pub struct TypeName {
    name: Spanned<String>,
    kind: Option<ValueType>,
}

impl TypeName {
    /// The text as written.
    pub fn as_str(&self) -> &str {
        self.name.get_ref()
    }

    /// Where it stands in its file.
    pub fn span(&self) -> Span {
        self.name.span()
    }

    /// The type it names.
    pub fn kind(&self) -> Option<ValueType> {
        self.kind
    }
}

impl<'de> Deserialize<'de> for TypeName {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = Spanned::<String>::deserialize(d)?;
        let kind = ValueType::parse(name.get_ref());
        Ok(Self { name, kind })
    }
}

impl Serialize for TypeName {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl PartialEq for TypeName {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl JsonSchema for TypeName {
    fn schema_name() -> Cow<'static, str> {
        "TypeName".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let names: Vec<&str> = ValueType::ALL.iter().map(|t| t.as_str()).collect();
        json_schema!({
            "type": "string",
            "enum": names,
            "description": "The type of the value."
        })
    }
}

/// A bound (`min`, `max`) with its place in the file.
#[derive(Debug, Clone, Deserialize)]
#[serde(transparent)]
pub struct Limit(pub Spanned<f64>);

impl Serialize for Limit {
    /// Whole bounds as integers (`4096`, not `4096.0`), as they are written.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let x = self.value();
        if x.fract() == 0.0 && x.abs() < 9.0e15 {
            s.serialize_i64(x as i64)
        } else {
            s.serialize_f64(x)
        }
    }
}

impl Limit {
    /// The bound.
    pub fn value(&self) -> f64 {
        *self.0.get_ref()
    }

    /// Where it stands in its file.
    pub fn span(&self) -> Span {
        self.0.span()
    }
}

impl PartialEq for Limit {
    fn eq(&self, other: &Self) -> bool {
        self.value() == other.value()
    }
}

impl JsonSchema for Limit {
    fn schema_name() -> Cow<'static, str> {
        "Limit".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "number" })
    }
}

/// The name of an object's field, or the category id a product's `payload` shapes, with its
/// place in the file. Ordered and compared by its text, so maps of them are looked up by `&str`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(transparent)]
pub struct FieldName(pub Spanned<String>);

impl FieldName {
    /// The text.
    pub fn as_str(&self) -> &str {
        self.0.get_ref()
    }

    /// Where it stands in its file.
    pub fn span(&self) -> Span {
        self.0.span()
    }
}

impl PartialEq for FieldName {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for FieldName {}

impl PartialOrd for FieldName {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for FieldName {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Borrow<str> for FieldName {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl JsonSchema for FieldName {
    fn schema_name() -> Cow<'static, str> {
        "FieldName".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string" })
    }
}

/// The shape of a value in a record's payload: its type and the options that type takes.
///
/// | type | options |
/// |---|---|
/// | `text` | `min`, `max` (length in characters) |
/// | `integer`, `number` | `min`, `max` (inclusive bounds) |
/// | `enum` | `values` (required) |
/// | `list` | `items` (required), `min`, `max` (number of items) |
/// | `object` | `fields` (required); each field may say `required = true` |
/// | `one-of` | `of`: two or more shapes, each for a different kind of JSON value |
/// | `phone`, `email`, `ip`, `url`, `timestamp`, `date`, `boolean`, `media` | none |
///
/// Phone numbers, e-mail and IP addresses are normalised in place when a record is ingested.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub struct ValueShape {
    /// The type: text, phone, email, ip, url, timestamp, date, integer, number, boolean, enum,
    /// list, object, media or one-of.
    #[serde(rename = "type")]
    pub kind: TypeName,
    /// text: fewest characters; list: fewest items; integer, number: smallest value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<Limit>,
    /// text: most characters; list: most items; integer, number: largest value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<Limit>,
    /// enum: the values allowed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<Text>,
    /// list: the shape of every item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<Box<ValueShape>>,
    /// object: its fields by name; a field not listed is refused.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<FieldName, ValueShape>,
    /// one-of: the shapes allowed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub of: Vec<ValueShape>,
    /// A field of an object: it must be present.
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// The kind of identifier a channel addresses people by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum IdentifierKind {
    /// An E.164 phone number.
    Phone,
    /// An e-mail address.
    Email,
    /// An id issued by the channel.
    ChannelId,
    /// An IP address.
    Ip,
}

/// A messaging channel.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub struct Channel {
    /// Its id.
    pub id: Id,
    /// Its name, never translated.
    pub name: String,
    /// How people are addressed on it.
    pub identifiers: Vec<IdentifierKind>,
}

/// Which family a product belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ProductKind {
    /// A communication service processing end-user data on the customer's behalf.
    Communication,
    /// An ancillary service (Contacts, transmission history).
    Ancillary,
    /// Data about the platform's own customers and prospects.
    Customer,
    /// Data about website visitors.
    Visitor,
}

/// A product or service and the personal data it processes.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub struct Product {
    /// Its id; its description is the message `product-<id>`.
    pub id: Id,
    /// Its name, never translated.
    pub name: String,
    /// Its family.
    pub kind: ProductKind,
    /// Whose data it holds.
    pub subjects: Vec<Ref>,
    /// Data categories always processed.
    #[serde(default)]
    pub categories: Vec<Ref>,
    /// Data categories processed only when the customer turns the feature on.
    #[serde(default)]
    pub optional: Vec<Ref>,
    /// For a product with no personal data of its own: the products it is used with.
    #[serde(default)]
    pub combined_with: Vec<Ref>,
    /// The channels it carries.
    #[serde(default)]
    pub channels: Vec<Ref>,
    /// The retention rule that governs its data.
    pub retention: Option<Ref>,
    /// Whether the platform acts as controller or processor for this data.
    pub role: Role,
    /// Product-specific shapes (`[product.payload]`): category id → the shape its value takes
    /// in this product's records. It replaces the category's own `value` for this product
    /// (nothing is merged), to narrow it (SMS content is plain text) or to fit the product
    /// (a lead's product interest names our products).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub payload: BTreeMap<FieldName, ValueShape>,
}

/// The platform's role for some processing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// It decides why and how.
    Controller,
    /// It processes on a customer's documented instructions.
    Processor,
}

/// The kinds of legal basis of GDPR Art. 6(1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum LegalBasisKind {
    /// Art. 6(1)(a).
    Consent,
    /// Art. 6(1)(b).
    Contract,
    /// Art. 6(1)(c).
    LegalObligation,
    /// Art. 6(1)(d).
    VitalInterests,
    /// Art. 6(1)(e).
    PublicTask,
    /// Art. 6(1)(f).
    LegitimateInterest,
}

/// A legal basis.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub struct LegalBasis {
    /// Its id; its explanation is the message `basis-<id>`.
    pub id: Id,
    /// Which basis of Art. 6(1) it is.
    pub kind: LegalBasisKind,
    /// Whether the statement lists it among its legal bases (2020 relies on legitimate
    /// interest without listing it).
    #[serde(default = "yes")]
    pub listed: bool,
    /// The legitimate-interest assessment (required for legitimate interest).
    pub assessment: Option<InterestAssessment>,
}

fn yes() -> bool {
    true
}

/// A legitimate-interest assessment.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub struct InterestAssessment {
    /// Whether the processing is high risk.
    pub high_risk: bool,
    /// Whether it involves special categories of personal data.
    pub special_categories: bool,
    /// Whether it would violate fundamental rights.
    pub overrides_fundamental_rights: bool,
    /// When the assessment was made (YYYY-MM-DD).
    pub assessed: Option<Text>,
}

/// A purpose of processing: one processing activity of the ROPA.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub struct Purpose {
    /// Its id; its wording is the message `purpose-<id>`.
    pub id: Id,
    /// Its legal bases.
    #[serde(default)]
    pub legal_bases: Vec<Ref>,
    /// Whose data.
    #[serde(default)]
    pub subjects: Vec<Ref>,
    /// Which data.
    #[serde(default)]
    pub categories: Vec<Ref>,
    /// Recipient categories.
    #[serde(default)]
    pub recipients: Vec<Ref>,
    /// Named processors used for it.
    #[serde(default)]
    pub processors: Vec<Ref>,
    /// Where the data comes from.
    #[serde(default)]
    pub sources: Vec<Ref>,
    /// The retention rules that apply.
    #[serde(default)]
    pub retention: Vec<Ref>,
    /// Participation is voluntary (surveys).
    #[serde(default)]
    pub voluntary: bool,
    /// The product whose holders (existing customers) may be processed for this purpose on
    /// legitimate interest, until they opt out; everyone else (prospects) must consent first.
    pub legitimate_interest_for: Option<Ref>,
}

/// Where data comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    /// The data subject.
    Direct,
    /// The customer, about its end users.
    Customer,
    /// A provider of business information (enrichment).
    BusinessInformationProvider,
    /// A social media provider.
    SocialMedia,
    /// A connector to a third-party service.
    Connector,
    /// A colleague of the data subject.
    Colleague,
    /// Publicly available sources.
    Public,
    /// Collected automatically (cookies, logs).
    Automatic,
}

/// A source of personal data.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub struct Source {
    /// Its id; its description is the message `source-<id>`.
    pub id: Id,
    /// What kind of source.
    pub kind: SourceKind,
    /// Named providers (Google, Clearbit, …).
    #[serde(default)]
    pub providers: Vec<String>,
}

/// What role recipients of a category play.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum RecipientRole {
    /// Transmits content without deciding anything about it (telecom operators).
    MereConduit,
    /// Processes on our instructions.
    Processor,
    /// Decides on its own (PSPs).
    Controller,
    /// A company of the group.
    Affiliate,
    /// A public authority, only when the law requires.
    Authority,
}

/// A category of recipients.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub struct RecipientCategory {
    /// Its id; its description is the message `recipient-<id>`.
    pub id: Id,
    /// The role its members play.
    pub role: RecipientRole,
    /// Whether the statement's list of recipient categories names it.
    #[serde(default = "yes")]
    pub listed: bool,
}

/// How a transfer outside the EEA is safeguarded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum TransferMechanism {
    /// An adequacy decision of the European Commission.
    Adequacy,
    /// Standard contractual clauses.
    Scc,
    /// Binding corporate rules.
    Bcr,
    /// The EU–US Data Privacy Framework.
    Dpf,
}

impl TransferMechanism {
    /// Its id in the policy files (`scc`, `bcr`, `adequacy`, `dpf`).
    pub fn id(self) -> &'static str {
        match self {
            Self::Adequacy => "adequacy",
            Self::Scc => "scc",
            Self::Bcr => "bcr",
            Self::Dpf => "dpf",
        }
    }
}

/// A processor or subprocessor.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub struct Processor {
    /// Its id; its service description is the message `processor-<id>`.
    pub id: Id,
    /// Its name, never translated.
    pub name: String,
    /// ISO 3166-1 alpha-2 country where it processes.
    pub country: Text,
    /// The safeguard for a transfer outside the EEA.
    pub transfer: Option<TransferMechanism>,
    /// The recipient category it belongs to.
    pub category: Ref,
    /// Data categories it processes, when known.
    #[serde(default)]
    pub data: Vec<Ref>,
    /// Certifications it holds.
    #[serde(default)]
    pub certifications: Vec<Ref>,
    /// A transfer impact assessment was made.
    #[serde(default)]
    pub transfer_impact_assessment: bool,
}

/// A payment service provider.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub struct Psp {
    /// Its id.
    pub id: Id,
    /// Its name, never translated.
    pub name: String,
    /// ISO 3166-1 alpha-2 country.
    pub country: Option<Text>,
    /// PSPs act as controllers in their own right.
    pub role: Role,
}

/// A payment method that can be saved on consent.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub struct PaymentMethod {
    /// Its id.
    pub id: Id,
    /// Its name, never translated.
    pub name: String,
    /// The only fields kept when it is saved; each has a message `payment-field-<field>`.
    pub saved_fields: Vec<Text>,
}

/// The event a retention period counts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum RetentionBasis {
    /// When the data was collected.
    Collection,
    /// The last interaction with the person.
    LastInteraction,
    /// The end of the contract or of the provision of the service.
    ContractEnd,
    /// The closing of the request the data belongs to.
    RequestClosed,
    /// The consent event itself.
    ConsentEvent,
    /// The end of tracking with the tool that set the data.
    TrackingEnds,
    /// The lifespan of each cookie in the inventory.
    CookieLifespan,
}

/// What happens to data once its period is over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum AfterExpiry {
    /// Destroyed; anonymous aggregates without identifiers are kept.
    #[default]
    Anonymise,
    /// Destroyed entirely.
    Delete,
}

/// The key scope of data under the rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum KeyScope {
    /// Erased when the person asks.
    #[default]
    Erasable,
    /// Kept under a legal duty until the duty ends, even after an erasure request.
    Legal,
}

/// A longer retention period that the law of some countries requires.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub struct JurisdictionPeriod {
    /// The countries (ISO 3166-1 alpha-2).
    pub countries: Vec<Text>,
    /// The period there (ISO 8601), longer than the rule's and at most its `max_period`.
    pub period: Text,
    /// The obligation that requires it, for the record of processing and the auditor.
    pub because: Text,
}

/// A second way a retention period counts, for one group of people.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub struct RetentionAlternative {
    /// What the period counts from for them.
    pub basis: RetentionBasis,
    /// The period (ISO 8601).
    pub period: Text,
    /// The product whose holders are the group (e.g. `customer-account`: people with an
    /// account are existing customers). Without it the alternative is stated but not applied.
    #[serde(default)]
    pub holders_of: Option<Ref>,
}

/// Bounds within which a customer may set its own period.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub struct CustomerSetting {
    /// Shortest period allowed (ISO 8601, e.g. `P0D`).
    pub min: Text,
    /// Longest period allowed.
    pub max: Text,
}

/// A retention rule.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub struct RetentionRule {
    /// Its id; its scope and reason are the message `retention-<id>`.
    pub id: Id,
    /// The rule of the requirements catalogue it implements (`R1` …).
    pub code: Option<String>,
    /// Data categories it covers.
    #[serde(default)]
    pub categories: Vec<Ref>,
    /// What the period counts from.
    pub basis: Option<RetentionBasis>,
    /// The period (ISO 8601 duration: `P6M`, `P10Y`, `P0D`).
    pub period: Option<Text>,
    /// The longest period any jurisdiction may require (`P2Y` for SMS and Voice).
    pub max_period: Option<Text>,
    /// Longer periods that jurisdictions require, up to `max_period` (R2: "In other
    /// jurisdictions ... may be up to two years"). A record gets the longest that applies to
    /// the country of its customer's contracting entity or of the network where the
    /// communication terminates.
    #[serde(default)]
    pub jurisdictions: Vec<JurisdictionPeriod>,
    /// Whether a customer may set its own period within bounds.
    pub customer_setting: Option<CustomerSetting>,
    /// For existing customers the period counts differently (R5: "for the duration of the
    /// services" instead of twelve months).
    pub existing_customers: Option<RetentionAlternative>,
    /// Events that end the period at once.
    #[serde(default)]
    pub ends_on: Vec<EndingEvent>,
    /// Key scope of the data.
    #[serde(default)]
    pub scope: KeyScope,
    /// What is kept after the period.
    #[serde(default)]
    pub after: AfterExpiry,
}

/// An event that ends a retention period early.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum EndingEvent {
    /// Consent withdrawn.
    ConsentWithdrawn,
    /// Unsubscribed from marketing.
    Unsubscribed,
    /// Objection upheld.
    ObjectionUpheld,
}

/// Deadlines and fees of data subject requests.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub struct RightsPolicy {
    /// Time to answer, counted from receipt (ISO 8601; `P1M`). Absent: no deadline promised.
    pub deadline: Option<Text>,
    /// The longest total time from receipt when the request is complex or requests are many.
    pub extended_deadline: Option<Text>,
    /// Whether the requester must be told of an extension.
    #[serde(default)]
    pub extension_notice: bool,
    /// The fee that may be charged, if any.
    pub fee: Option<Fee>,
    /// Ways to send a request.
    #[serde(default)]
    pub channels: Vec<Ref>,
}

/// A request fee.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub struct Fee {
    /// ISO 4217 currency.
    pub currency: String,
    /// The most that may be charged.
    pub max: f64,
}

/// A right of the data subject.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub struct Right {
    /// Its id; its explanation is the message `right-<id>`.
    pub id: Id,
    /// The GDPR article.
    pub gdpr_article: Option<u8>,
    /// Only for some legal bases (objection: legitimate interest).
    #[serde(default)]
    pub applies_to: Vec<Ref>,
}

/// Who may use a request channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ChannelAudience {
    /// Account holders.
    AccountHolders,
    /// Everyone else.
    Others,
    /// Anyone.
    Everyone,
}

/// A way to send a data subject request.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub struct RequestChannel {
    /// Its id; its description is the message `request-channel-<id>`.
    pub id: Id,
    /// Who may use it.
    pub audience: ChannelAudience,
    /// The contact point or postal address that receives it.
    pub contact: Option<Ref>,
    /// Whether requests arriving here are accepted (2020 refused customers' e-mails).
    #[serde(default = "yes")]
    pub accepted: bool,
}

/// When a cookie category may be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum CookieConsent {
    /// Always on; cannot be switched off.
    AlwaysOn,
    /// Only after the visitor accepts.
    OptIn,
    /// On until the visitor switches it off (only the 2016 statement worked this way).
    OptOut,
    /// Blocked until classified.
    Blocked,
}

/// A cookie category.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub struct CookieCategory {
    /// Its id; name and implications are the message `cookie-category-<id>`.
    pub id: Id,
    /// When it may be used.
    pub consent: CookieConsent,
    /// Whether its cookies involve personal data.
    pub personal_data: bool,
}

/// Who sets a cookie.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum CookieParty {
    /// Set by us.
    First,
    /// Set by a third party.
    Third,
    /// Both.
    Both,
}

/// A cookie or tracker of the inventory.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub struct Cookie {
    /// Its id; its purpose is the message `cookie-<id>`.
    pub id: Id,
    /// The cookie name(s) as set in the browser.
    pub name: String,
    /// The tool or company that sets it.
    pub provider: Option<String>,
    /// Its category.
    pub category: Option<Ref>,
    /// First or third party.
    pub party: CookieParty,
    /// `session`, `while-tracked`, or an ISO 8601 duration.
    pub lifespan: Option<Text>,
    /// ISO 3166-1 alpha-2 country where its data is hosted.
    pub hosted_in: Option<Text>,
    /// What it collects.
    #[serde(default)]
    pub collects: Vec<String>,
    /// Where to opt out, if the provider offers it.
    pub opt_out: Option<String>,
}

/// The cookie banner of the websites: its texts are the `banner-*` messages, its categories
/// and cookie table come from the inventory.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub struct CookieBanner {
    /// The cookie of the inventory that keeps the visitor's choice.
    pub cookie: Ref,
    /// The revision of the cookie notice: raising it asks every visitor again (adding or
    /// changing a cookie of the inventory does so too).
    pub revision: u32,
    /// How long a choice that accepts a category holds before the visitor is asked again (an
    /// ISO 8601 duration).
    pub consent_lifetime: Text,
    /// How long a refusal of every optional category holds before the visitor is asked again.
    pub refusal_lifetime: Text,
}

/// Children.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub struct Children {
    /// Below this age nobody's data is knowingly processed.
    pub minimum_age: u8,
    /// The mailbox subject that reports a child's data.
    pub report_subject: Option<Ref>,
}

/// A contact point.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub struct ContactPoint {
    /// Its id; its use is the message `contact-<id>`.
    pub id: Id,
    /// E-mail address.
    pub email: Option<String>,
    /// Postal address.
    pub postal: Option<Ref>,
    /// A web page or form.
    pub url: Option<String>,
    /// A person rather than a mailbox (the account manager).
    #[serde(default)]
    pub personal: bool,
}

/// The kind of case an e-mail subject opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum CaseKind {
    /// A report of a child's data.
    Children,
    /// A dispute about privacy practices.
    Dispute,
    /// Stolen or misused credentials.
    CredentialCompromise,
    /// A data subject request.
    DataRequest,
}

/// A mailbox subject that routes e-mail.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub struct MailboxSubject {
    /// Its id.
    pub id: Id,
    /// The mailbox.
    pub contact: Ref,
    /// The canonical subject line, never translated.
    pub subject: String,
    /// Translated forms that the statement printed and that must also be recognised.
    #[serde(default)]
    pub variants: Vec<String>,
    /// The case it opens.
    pub case: CaseKind,
}

/// A postal address.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub struct PostalAddress {
    /// Its id.
    pub id: Id,
    /// The entity.
    pub entity: Ref,
    /// The department (`Legal Department (Data Protection)`).
    pub attention: Option<String>,
    /// Street and number.
    pub street: String,
    /// Postal code.
    pub postcode: String,
    /// City.
    pub city: String,
    /// ISO 3166-1 alpha-2 country.
    pub country: Text,
}

/// A country with a local office that receives post.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub struct LocalOffice {
    /// Its id.
    pub id: Id,
    /// ISO 3166-1 alpha-2 country.
    pub country: Text,
    /// Its postal address, line by line (entity, street, postcode and city), when published;
    /// the statement then lists it under the country.
    #[serde(default)]
    pub address: Vec<String>,
}

/// A legal regime.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub struct Jurisdiction {
    /// Its id (`gdpr`, `pdpa`, `ccpa`); its name is the message `jurisdiction-<id>`.
    pub id: Id,
    /// The law's short name, never translated.
    pub law: String,
    /// ISO 3166-1/2 codes of where it applies.
    #[serde(default)]
    pub regions: Vec<String>,
    /// Its words for the statement's terms: term id → its own term id (`data-subject` →
    /// `consumer`); each term has a message `term-<id>`.
    #[serde(default)]
    pub terms: std::collections::BTreeMap<String, String>,
}

/// A security measure.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub struct SecurityMeasure {
    /// Its id; its description is the message `measure-<id>`.
    pub id: Id,
}

/// A certification.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub struct Certification {
    /// Its id.
    pub id: Id,
    /// Its name, never translated (`ISO/IEC 27001:2013`).
    pub name: String,
    /// Also required of every hosting provider.
    #[serde(default)]
    pub hosting_providers: bool,
}

/// How government disclosure requests are handled.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub struct DisclosurePolicy {
    /// Tests a request must pass before it is considered.
    #[serde(default)]
    pub admissibility: Vec<AdmissibilityTest>,
    /// The customer is told unless the law explicitly forbids it.
    pub notify_customer: bool,
    /// An authority that forbids notification must cite the legal ground.
    pub gag_requires_legal_ground: bool,
    /// Requests are pushed back where there is a reasonable legal basis.
    pub push_back: bool,
}

/// An admissibility test of a disclosure request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum AdmissibilityTest {
    /// It comes from a government authority.
    GovernmentAuthority,
    /// It was issued where we fall under that jurisdiction.
    Jurisdiction,
    /// It is an enforceable subpoena, warrant, court order or similar instrument.
    EnforceableInstrument,
    /// It names the data categories and a specific period.
    CategoriesAndPeriod,
    /// There is a legal obligation to disclose.
    LegalObligation,
}

/// Standing commitments.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub struct Commitments {
    /// Personal data is never sold, rented or disclosed for value.
    pub no_sale: bool,
    /// The same standards apply to everyone, whatever their nationality or location.
    #[serde(default)]
    pub equal_standards: bool,
    /// California consumers are not discriminated against for using their rights.
    #[serde(default)]
    pub ccpa_non_discrimination: bool,
    /// Material changes are notified, and how.
    pub change_notice: Option<ChangeNotice>,
    /// Days between a material-change notice and its effective date.
    pub notice_period_days: Option<u16>,
}

/// How material changes to the statement are announced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeNotice {
    /// Only by publishing the new text.
    Publication,
    /// Notified where possible.
    WherePossible,
    /// By e-mail where possible.
    Email,
}
