//! Records of personal data: ingest bound to the policy's purposes, sealed in the vault, found
//! through blind indexes, read back with an audit event for every read.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use custodian_core::{RecordId, SubjectId, TenantId};
use custodian_policy::PolicyVersion;
use custodian_policy::model::{KeyScope, RetentionBasis};
use custodian_store::{
    BucketKeyRow, IdempotencyEntry, IdentifierLink, NewAuditEvent, NewSubject, Outcome,
    RecordBatch, RecordQuery, RecordRow, SubjectKeyRow,
};
use custodian_vault::{
    BlindIndexKey, RecordContext, SealedRecord, SymmetricKey, open_record, seal_record, unwrap_key,
    wrap_key,
};
use jiff::Timestamp;
use rayon::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::identifiers::Identifier;
use crate::{Engine, EngineError, Principal, Scope};

/// The most records one ingest may carry.
pub const MAX_BATCH: usize = 10_000;
/// The largest sealed payload of one record, in bytes of JSON.
pub const MAX_PAYLOAD: usize = 64 * 1024;

/// One record to ingest, as the API received it.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IngestRecord {
    /// The product (a policy product id: `sms`, `voice`, `conversations` …).
    pub product: String,
    /// The purpose it is processed for (a policy purpose id).
    pub purpose: String,
    /// The legal basis (a policy legal-basis id).
    pub legal_basis: String,
    /// Data categories it holds (policy ids); defaults to the product's own categories.
    #[serde(default)]
    pub categories: Vec<String>,
    /// Where the data came from (a policy source id); defaults to the purpose's first source.
    pub source: Option<String>,
    /// How the person is identified: `{"phone": "+31…"}`, `{"email": "…"}`, `{"whatsapp": "…"}`.
    pub identifiers: BTreeMap<String, String>,
    /// When it happened (RFC 3339); defaults to now.
    pub occurred_at: Option<Timestamp>,
    /// The ISO country it concerns, if known.
    pub country: Option<String>,
    /// The personal data itself, keyed by data category; sealed, never stored in clear.
    #[serde(default)]
    pub data: serde_json::Map<String, serde_json::Value>,
    /// The person's consent to the purpose, given with the record (a sign-up form's ticked
    /// box): recorded in the consent ledger with the record, in one transaction.
    pub consent: Option<crate::consent::InlineConsent>,
}

/// What an ingest stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct IngestResult {
    /// The records, in the order given.
    pub records: Vec<IngestedRecord>,
}

/// One stored record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct IngestedRecord {
    /// Its id.
    pub id: RecordId,
    /// The subject it was filed under.
    pub subject: SubjectId,
    /// When it expires under its retention rule (absent while that depends on an event such
    /// as the end of the contract).
    pub expires_at: Option<Timestamp>,
}

/// A record read back and opened.
#[derive(Debug, Clone, Serialize)]
pub struct OpenRecord {
    /// Its id.
    pub id: RecordId,
    /// Its subject.
    pub subject: SubjectId,
    /// Its product.
    pub product: String,
    /// Its data categories.
    pub categories: Vec<String>,
    /// Its purpose.
    pub purpose: String,
    /// Its legal basis.
    pub legal_basis: String,
    /// Its source.
    pub source: String,
    /// `controller` or `processor`.
    pub role: String,
    /// The country it concerns.
    pub country: Option<String>,
    /// When it happened.
    pub occurred_at: Timestamp,
    /// Its retention rule.
    pub retention_rule: String,
    /// When it expires.
    pub expires_at: Option<Timestamp>,
    /// Its version.
    pub version: i32,
    /// The version it corrects, if it is a rectification.
    pub supersedes: Option<RecordId>,
    /// Whether a newer version replaced it (its data key is then destroyed).
    pub superseded: bool,
    /// The personal data, or `null` when its keys were destroyed (erased, expired or rectified).
    pub data: Option<serde_json::Value>,
}

/// Whether the subject stopped processing of this record: an upheld objection stops what is
/// done for a legitimate interest, withdrawn consent what is done on consent.
fn stopped(subject: &custodian_store::SubjectRow, record: &RecordRow) -> bool {
    (subject.objected_at.is_some() && record.legal_basis == "legitimate-interest")
        || (subject.consent_withdrawn_at.is_some() && record.legal_basis == "consent")
}

/// Why one record of a batch was refused: which record, which field, what to do.
fn invalid(index: usize, field: &str, message: String) -> EngineError {
    EngineError::InvalidRecord {
        index,
        field: field.to_string(),
        message,
    }
}

/// What every record of one batch is checked against.
#[derive(Clone, Copy)]
struct BatchContext<'a> {
    /// The tenant's default region for phone numbers without a country code.
    region: Option<&'a str>,
    /// The time of the ingest.
    now: Timestamp,
    /// The tenant's blind-index key.
    blind: &'a BlindIndexKey,
    /// The tenant's contract end and agreed periods.
    terms: &'a custodian_store::RetentionTerms,
}

struct Prepared {
    id: RecordId,
    product: String,
    purpose: String,
    legal_basis: String,
    country: Option<String>,
    /// The blind index and kind of each identifier of the person.
    indexed: Vec<(Vec<u8>, &'static str)>,
    categories: Vec<String>,
    source: String,
    role: String,
    occurred_at: Timestamp,
    rule: String,
    scope: &'static str,
    expires_at: Option<Timestamp>,
    bucket: String,
    /// The bucket's anchor day and expiry, for registering it.
    bucket_anchor: Option<String>,
    bucket_expires_at: Option<Timestamp>,
    plaintext: Vec<u8>,
    /// The kind of its legal basis, for the consent gate.
    basis: Option<custodian_policy::model::LegalBasisKind>,
    /// Consent given with the record.
    inline: Option<crate::consent::PreparedConsent>,
}

fn scope_name(scope: KeyScope) -> &'static str {
    match scope {
        KeyScope::Erasable => "erasable",
        KeyScope::Legal => "legal",
    }
}

fn aad(parts: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::new();
    for p in parts {
        out.extend_from_slice(&(p.len() as u32).to_be_bytes());
        out.extend_from_slice(p);
    }
    out
}

fn subject_key_aad(tenant: TenantId, subject: SubjectId, scope: &str) -> Vec<u8> {
    aad(&[
        b"subject-key",
        tenant.as_uuid().as_bytes(),
        subject.as_uuid().as_bytes(),
        scope.as_bytes(),
    ])
}

fn bucket_key_aad(tenant: TenantId, bucket: &str) -> Vec<u8> {
    aad(&[
        b"bucket-key",
        tenant.as_uuid().as_bytes(),
        bucket.as_bytes(),
    ])
}

fn context(tenant: TenantId, subject: SubjectId, record: RecordId) -> RecordContext {
    RecordContext {
        tenant: *tenant.as_uuid().as_bytes(),
        subject: *subject.as_uuid().as_bytes(),
        record: *record.as_uuid().as_bytes(),
    }
}

/// Whether `covered` names `category` or one of its ancestors.
fn covers(v: &PolicyVersion, covered: &[custodian_policy::model::Ref], category: &str) -> bool {
    let mut current = Some(category.to_string());
    let mut steps = 0;
    while let Some(c) = current {
        if covered.iter().any(|x| x.as_str() == c) {
            return true;
        }
        steps += 1;
        if steps > 16 {
            return false;
        }
        current = v
            .data_category
            .iter()
            .find(|d| d.id.as_str() == c)
            .and_then(|d| d.parent.as_ref())
            .map(|p| p.as_str().to_string());
    }
    false
}

impl Engine {
    pub(crate) fn policy_version(&self) -> Result<&PolicyVersion, EngineError> {
        self.policy.current().ok_or(EngineError::Unavailable(
            "no policy version is in force".into(),
        ))
    }

    /// Checks one record against the policy and prepares it for sealing.
    fn prepare(
        &self,
        v: &PolicyVersion,
        index: usize,
        mut input: IngestRecord,
        batch: &BatchContext<'_>,
        parsed: &mut HashMap<(String, String), Identifier>,
    ) -> Result<Prepared, EngineError> {
        let BatchContext {
            region,
            now,
            blind,
            terms,
        } = *batch;
        let product = v
            .product
            .iter()
            .find(|p| p.id.as_str() == input.product)
            .ok_or_else(|| {
                let known: Vec<&str> = v.product.iter().map(|p| p.id.as_str()).collect();
                invalid(
                    index,
                    "product",
                    format!(
                        "`{}` is not a product; the products are: {}",
                        input.product,
                        known.join(", ")
                    ),
                )
            })?;
        let purpose = v
            .purpose
            .iter()
            .find(|p| p.id.as_str() == input.purpose)
            .ok_or_else(|| {
                let known: Vec<&str> = v.purpose.iter().map(|p| p.id.as_str()).collect();
                invalid(
                    index,
                    "purpose",
                    format!(
                        "`{}` is not a purpose of the policy; the purposes are: {}",
                        input.purpose,
                        known.join(", ")
                    ),
                )
            })?;
        if !purpose
            .legal_bases
            .iter()
            .any(|b| b.as_str() == input.legal_basis)
        {
            let allowed: Vec<&str> = purpose.legal_bases.iter().map(|b| b.as_str()).collect();
            return Err(invalid(
                index,
                "legal_basis",
                format!(
                    "purpose `{}` does not rest on `{}`; its legal bases are: {}",
                    input.purpose,
                    input.legal_basis,
                    allowed.join(", ")
                ),
            ));
        }
        let basis_kind = v
            .legal_basis
            .iter()
            .find(|b| b.id.as_str() == input.legal_basis)
            .map(|b| b.kind);
        let inline = match input.consent.take() {
            None => None,
            Some(_) if basis_kind != Some(custodian_policy::model::LegalBasisKind::Consent) => {
                return Err(invalid(
                    index,
                    "consent",
                    format!(
                        "consent goes with records that rest on it; `{}` is not a consent basis",
                        input.legal_basis
                    ),
                ));
            }
            Some(c) => Some(
                self.prepare_inline(v, &input.purpose, c, input.occurred_at)
                    .map_err(|(field, message)| invalid(index, &field, message))?,
            ),
        };
        let product_categories: BTreeSet<&str> = product
            .categories
            .iter()
            .chain(&product.optional)
            .map(|c| c.as_str())
            .collect();
        if product_categories.is_empty() {
            return Err(invalid(
                index,
                "product",
                format!(
                    "`{}` holds no personal data of its own; file the data under the product it is used with",
                    input.product
                ),
            ));
        }
        // Without a list, a record holds the categories its data is keyed by; with no data
        // either, those of the product that the purpose covers.
        let categories: Vec<String> = if !input.categories.is_empty() {
            input.categories.clone()
        } else if !input.data.is_empty() {
            input.data.keys().cloned().collect()
        } else {
            product
                .categories
                .iter()
                .filter(|c| {
                    purpose
                        .categories
                        .iter()
                        .any(|pc| pc.as_str() == c.as_str())
                })
                .map(|c| c.as_str().to_string())
                .collect()
        };
        let from_data = input.categories.is_empty() && !input.data.is_empty();
        let field_of = |category: &str| {
            if from_data {
                format!("data.{category}")
            } else {
                "categories".to_string()
            }
        };
        for category in &categories {
            if !product_categories.contains(category.as_str()) {
                return Err(invalid(
                    index,
                    &field_of(category),
                    format!(
                        "product `{}` does not process `{category}`; it processes: {}",
                        input.product,
                        product_categories
                            .iter()
                            .copied()
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
            if !covers(v, &purpose.categories, category) {
                let allowed: Vec<&str> = purpose.categories.iter().map(|c| c.as_str()).collect();
                return Err(invalid(
                    index,
                    &field_of(category),
                    format!(
                        "purpose `{}` does not cover `{category}`; it covers: {}",
                        input.purpose,
                        allowed.join(", ")
                    ),
                ));
            }
        }
        let source = match &input.source {
            Some(s) if purpose.sources.iter().any(|x| x.as_str() == s) => s.clone(),
            Some(s) => {
                let allowed: Vec<&str> = purpose.sources.iter().map(|x| x.as_str()).collect();
                return Err(invalid(
                    index,
                    "source",
                    format!(
                        "purpose `{}` does not take data from `{s}`; its sources are: {}",
                        input.purpose,
                        allowed.join(", ")
                    ),
                ));
            }
            None => purpose
                .sources
                .first()
                .map(|s| s.as_str().to_string())
                .unwrap_or_else(|| "direct".into()),
        };
        if input.identifiers.is_empty() {
            return Err(invalid(
                index,
                "identifiers",
                "give at least one identifier of the person, e.g. {\"phone\": \"+31612345678\"}"
                    .into(),
            ));
        }
        let mut identifiers = Vec::new();
        for (kind, value) in &input.identifiers {
            // The same people recur within a batch; parse each identifier once.
            let key = (kind.clone(), value.clone());
            let identifier = match parsed.get(&key) {
                Some(id) => id.clone(),
                None => {
                    let id = Identifier::parse(kind, value, region)
                        .map_err(|e| invalid(index, &format!("identifiers.{kind}"), e.0))?;
                    parsed.insert(key, id.clone());
                    id
                }
            };
            identifiers.push(identifier);
        }
        for key in input.data.keys() {
            if !categories.iter().any(|c| c == key) {
                return Err(invalid(
                    index,
                    &format!("data.{key}"),
                    format!(
                        "`{key}` is not one of this record's categories ({}); key the data by category",
                        categories.join(", ")
                    ),
                ));
            }
        }
        // Every value takes the shape its category (or the product) declares; phone numbers,
        // e-mail and IP addresses are normalised in place through the batch's identifier cache.
        let mut input = input;
        crate::payload::validate(
            v,
            product,
            &mut input.data,
            &mut |kind: &str, value: &str| {
                let key = (kind.to_string(), value.to_string());
                if let Some(id) = parsed.get(&key) {
                    return Ok(id.normalised());
                }
                let id = Identifier::parse(kind, value, region).map_err(|e| e.0)?;
                let normalised = id.normalised();
                parsed.insert(key, id);
                Ok(normalised)
            },
        )
        .map_err(|e| invalid(index, &e.field, e.message))?;
        let plaintext =
            serde_json::to_vec(&input.data).map_err(|e| invalid(index, "data", e.to_string()))?;
        if plaintext.len() > MAX_PAYLOAD {
            return Err(EngineError::TooLarge(format!(
                "record {index}: the data is {} bytes; at most {MAX_PAYLOAD} are accepted",
                plaintext.len()
            )));
        }
        let rule_id = product
            .retention
            .as_ref()
            .map(|r| r.as_str())
            .ok_or_else(|| {
                invalid(
                    index,
                    "product",
                    format!(
                        "product `{}` has no retention rule in the policy",
                        input.product
                    ),
                )
            })?;
        let rule = v
            .retention
            .iter()
            .find(|r| r.id.as_str() == rule_id)
            .ok_or_else(|| {
                invalid(
                    index,
                    "product",
                    format!("retention rule `{rule_id}` is missing"),
                )
            })?;
        let occurred_at = input.occurred_at.unwrap_or(now);
        if occurred_at > now + jiff::SignedDuration::from_mins(5) {
            return Err(invalid(
                index,
                "occurred_at",
                "a record cannot have happened in the future".into(),
            ));
        }
        let period = rule
            .period
            .as_ref()
            .and_then(|p| custodian_policy::period::parse(p.as_str()).ok())
            .ok_or_else(|| {
                invalid(
                    index,
                    "product",
                    format!("retention rule `{rule_id}` has no usable period"),
                )
            })?;
        // A jurisdiction may require longer (R2): the country where the communication
        // terminates, or the customer's own region, standing for its contracting entity.
        let terminating = input.country.as_deref().map(str::to_ascii_uppercase);
        let contracting = region.map(str::to_ascii_uppercase);
        let required = crate::retention::jurisdiction_period(
            rule,
            &[terminating.as_deref(), contracting.as_deref()],
        );
        let (period, lengthened) = match required {
            Some((p, text)) => (p, Some(text)),
            None => (period, None),
        };
        // A period the customer agreed within the rule's bounds counts from collection.
        let agreed = rule
            .customer_setting
            .as_ref()
            .and(terms.periods.get(rule_id))
            .and_then(|p| custodian_policy::period::parse(p).ok());
        let agreed_period = agreed.is_some();
        let (period, basis) = match agreed {
            Some(p) => (p, Some(RetentionBasis::Collection)),
            None => (period, rule.basis),
        };
        // Visitor data lives as long as the cookie it is about (R13): counted from the visit,
        // in day buckets per lifespan.
        let (period, basis, lengthened) = if basis == Some(RetentionBasis::CookieLifespan) {
            match crate::retention::cookie_lifespan(v, &input.data) {
                Ok(Some((p, text))) => (p, Some(RetentionBasis::Collection), Some(text)),
                Ok(None) => (period, None, lengthened),
                Err(message) => return Err(invalid(index, "data.cookie-data", message)),
            }
        } else {
            (period, basis, lengthened)
        };
        // Until the contract ends such records have no expiry; once its end is known, the
        // period counts from it.
        let contract_expiry = match (basis, terms.contract_ends_on.as_deref()) {
            (Some(RetentionBasis::ContractEnd), Some(day)) => {
                crate::retention::contract_expiry(day, &period).ok()
            }
            _ => None,
        };
        let expires_at = match basis {
            Some(RetentionBasis::ContractEnd) => contract_expiry,
            Some(
                RetentionBasis::Collection
                | RetentionBasis::LastInteraction
                | RetentionBasis::ConsentEvent,
            ) => Some(
                occurred_at
                    .to_zoned(jiff::tz::TimeZone::UTC)
                    .checked_add(period.span())
                    .map(|z| z.timestamp())
                    .map_err(|e| {
                        invalid(
                            index,
                            "occurred_at",
                            format!("the expiry cannot be computed: {e}"),
                        )
                    })?,
            ),
            _ => None,
        };
        // Records are filed by the day their period runs from; the bucket expires when the
        // last of them can (the end of that day plus the period), never before any of them.
        let (bucket, bucket_anchor, bucket_expires_at) = match expires_at {
            Some(at) if basis == Some(RetentionBasis::ContractEnd) => {
                (format!("{rule_id}/open"), None, Some(at))
            }
            Some(_) => {
                let (anchor, bucket_expiry) = crate::retention::day_bucket(occurred_at, &period)
                    .map_err(|e| {
                        invalid(
                            index,
                            "occurred_at",
                            format!("the expiry cannot be computed: {e}"),
                        )
                    })?;
                // Records kept longer for a jurisdiction have day buckets of their own.
                let name = match (&lengthened, agreed_period) {
                    (Some(text), false) => format!("{rule_id}/{anchor}/{text}"),
                    _ => format!("{rule_id}/{anchor}"),
                };
                (name, Some(anchor.to_string()), Some(bucket_expiry))
            }
            None => (format!("{rule_id}/open"), None, None),
        };
        // Under a rule that runs from the last interaction a later interaction extends this
        // record (the sweep moves it on), so its own expiry is its bucket's, known then.
        let expires_at = if basis == Some(RetentionBasis::LastInteraction) {
            None
        } else {
            expires_at
        };
        let role = match product.role {
            custodian_policy::model::Role::Controller => "controller",
            custodian_policy::model::Role::Processor => "processor",
        };
        let indexed = identifiers
            .iter()
            .map(|id| {
                (
                    blind.index(id.domain(), &id.normalised()).to_vec(),
                    id.kind(),
                )
            })
            .collect();
        // The input, with its data, is dropped here, on the worker that checked it.
        let IngestRecord {
            product: product_id,
            purpose: purpose_id,
            legal_basis,
            country,
            ..
        } = input;
        Ok(Prepared {
            id: RecordId::new(),
            product: product_id,
            purpose: purpose_id,
            legal_basis,
            country: country.map(|c| c.to_ascii_uppercase()),
            indexed,
            categories,
            source,
            role: role.to_string(),
            occurred_at,
            rule: rule_id.to_string(),
            scope: scope_name(rule.scope),
            expires_at,
            bucket,
            bucket_anchor,
            bucket_expires_at,
            plaintext,
            basis: basis_kind,
            inline,
        })
    }

    /// Ingests records for the principal's tenant. All or nothing: one invalid record refuses
    /// the batch, naming its index. With an idempotency key, a retried request returns the
    /// first response and stores nothing again.
    pub async fn ingest(
        &self,
        principal: &Principal,
        records: Vec<IngestRecord>,
        idempotency_key: Option<&str>,
        request_body: &[u8],
    ) -> Result<IngestResult, EngineError> {
        principal.require(Scope::RecordsWrite)?;
        let tenant_id = principal.tenant;
        // The body's digest matters only to tell a retry from a different request.
        let request_hash = match idempotency_key {
            Some(_) => Sha256::digest(request_body).to_vec(),
            None => Vec::new(),
        };
        if let Some(key) = idempotency_key {
            if key.is_empty() || key.len() > 255 {
                return Err(EngineError::Invalid {
                    field: "Idempotency-Key",
                    message: "an idempotency key is 1 to 255 characters".into(),
                });
            }
            if let Some(stored) = self.store.idempotent(tenant_id, key).await? {
                if stored.request_hash != request_hash {
                    return Err(EngineError::Conflict(
                        "this Idempotency-Key was already used for a different request".into(),
                    ));
                }
                return serde_json::from_str(&stored.response).map_err(|e| {
                    EngineError::Unavailable(format!("a stored response is unreadable: {e}"))
                });
            }
        }
        if records.is_empty() {
            return Err(EngineError::Invalid {
                field: "records",
                message: "the batch holds no record".into(),
            });
        }
        if records.len() > MAX_BATCH {
            return Err(EngineError::TooLarge(format!(
                "{} records in one batch; at most {MAX_BATCH}",
                records.len()
            )));
        }
        let tenant = self.tenant(tenant_id).await?;
        let terms = std::sync::Arc::new(self.store.retention_terms(tenant_id).await?);
        let now = self.clock.now();
        // Checking and encoding are CPU work: spread them over every core, off the async
        // threads.
        // The blind index of every identifier is computed there too, once for all attempts.
        let engine = self.clone();
        let region = tenant.default_region.clone();
        let blind = BlindIndexKey::for_tenant(&self.master, tenant_id.as_uuid().as_bytes());
        let prepared =
            tokio::task::spawn_blocking(move || -> Result<Vec<Prepared>, EngineError> {
                let v = engine.policy_version()?;
                records
                    .into_par_iter()
                    .enumerate()
                    .map_init(HashMap::new, |parsed, (i, r)| {
                        let batch = BatchContext {
                            region: region.as_deref(),
                            now,
                            blind: &blind,
                            terms: &terms,
                        };
                        engine.prepare(v, i, r, &batch, parsed)
                    })
                    .collect()
            })
            .await
            .map_err(|e| EngineError::Unavailable(format!("an ingest worker failed: {e}")))??;
        let prepared = std::sync::Arc::new(prepared);
        // Two batches naming the same new person at the same time both file a new subject; the
        // store keeps the first and refuses the second, which then finds that subject and seals
        // again. Nothing of a refused attempt is stored.
        let mut attempt = 0;
        loop {
            attempt += 1;
            match self
                .seal_and_store(principal, &prepared, now, idempotency_key, &request_hash)
                .await
            {
                Err(EngineError::Raced(_)) if attempt < 4 => continue,
                Err(EngineError::Raced(message)) => return Err(EngineError::Conflict(message)),
                other => return other,
            }
        }
    }

    /// Files each prepared record under its subject (found or created through the blind
    /// indexes), seals it under its subject and bucket keys and stores the batch in one
    /// transaction.
    async fn seal_and_store(
        &self,
        principal: &Principal,
        prepared: &std::sync::Arc<Vec<Prepared>>,
        now: Timestamp,
        idempotency_key: Option<&str>,
        request_hash: &[u8],
    ) -> Result<IngestResult, EngineError> {
        let tenant_id = principal.tenant;
        let all: Vec<Vec<u8>> = prepared
            .iter()
            .flat_map(|p| &p.indexed)
            .map(|(i, _)| i.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut known: HashMap<Vec<u8>, SubjectId> = self
            .store
            .subjects_by_index(tenant_id, &all)
            .await?
            .into_iter()
            .collect();
        let mut new_subjects = Vec::new();
        let mut links = Vec::new();
        let mut subjects = Vec::with_capacity(prepared.len());
        for ids in prepared.iter().map(|p| &p.indexed) {
            let subject = match ids.iter().find_map(|(i, _)| known.get(i)) {
                Some(s) => *s,
                None => {
                    let s = SubjectId::new();
                    new_subjects.push(NewSubject {
                        id: s,
                        created_at: now,
                    });
                    s
                }
            };
            for (index, kind) in ids {
                if !known.contains_key(index) {
                    known.insert(index.clone(), subject);
                    links.push(IdentifierLink {
                        blind_index: index.clone(),
                        kind: kind.to_string(),
                        subject,
                    });
                }
            }
            subjects.push(subject);
        }
        let (consents, consent_texts) = self.gate(principal, prepared, &subjects, now).await?;
        // One order for every writer, so that concurrent batches never wait on each other in a
        // cycle.
        links.sort_by(|a, b| a.blind_index.cmp(&b.blind_index));

        // Keys: one per subject and scope, one per bucket; created when missing.
        let subject_keys = self
            .subject_keys(tenant_id, prepared, &subjects, now)
            .await?;
        let bucket_keys = self
            .bucket_keys(
                tenant_id,
                prepared.iter().map(|p| p.bucket.clone()).collect(),
                now,
            )
            .await?;

        let batch_prepared = prepared.clone();
        let (rows, result) = tokio::task::spawn_blocking(
            move || -> Result<(Vec<RecordRow>, Vec<IngestedRecord>), EngineError> {
                let sealed: Vec<(RecordRow, IngestedRecord)> = batch_prepared
                    .par_iter()
                    .zip(subjects)
                    .map(|(p, subject)| {
                        let missing = || {
                            EngineError::Unavailable(
                                "a key needed to seal a record is missing".into(),
                            )
                        };
                        let subject_key =
                            subject_keys.get(&(subject, p.scope)).ok_or_else(missing)?;
                        let bucket_key = bucket_keys.get(&p.bucket).ok_or_else(missing)?;
                        let sealed = seal_record(
                            subject_key,
                            bucket_key,
                            &context(tenant_id, subject, p.id),
                            &p.plaintext,
                        );
                        let ingested = IngestedRecord {
                            id: p.id,
                            subject,
                            expires_at: p.expires_at,
                        };
                        let row = RecordRow {
                            id: p.id,
                            tenant: tenant_id,
                            subject,
                            product: p.product.clone(),
                            categories: p.categories.clone(),
                            purpose: p.purpose.clone(),
                            legal_basis: p.legal_basis.clone(),
                            source: p.source.clone(),
                            role: p.role.to_string(),
                            country: p.country.clone(),
                            occurred_at: p.occurred_at,
                            ingested_at: now,
                            retention_rule: p.rule.clone(),
                            bucket: p.bucket.clone(),
                            key_scope: p.scope.to_string(),
                            expires_at: p.expires_at,
                            version: 1,
                            supersedes: None,
                            superseded: false,
                            wrapped_key: sealed.wrapped_key,
                            payload: sealed.payload,
                        };
                        Ok((row, ingested))
                    })
                    .collect::<Result<_, EngineError>>()?;
                Ok(sealed.into_iter().unzip())
            },
        )
        .await
        .map_err(|e| EngineError::Unavailable(format!("an ingest worker failed: {e}")))??;
        let result = IngestResult { records: result };
        let mut buckets: Vec<custodian_store::NewBucket> = Vec::new();
        for p in prepared.iter() {
            if !buckets.iter().any(|b| b.name == p.bucket) {
                buckets.push(custodian_store::NewBucket {
                    name: p.bucket.clone(),
                    rule: p.rule.clone(),
                    anchor_on: p.bucket_anchor.clone(),
                    expires_at: p.bucket_expires_at,
                });
            }
        }
        let batch = RecordBatch {
            tenant: tenant_id,
            subjects: new_subjects,
            links,
            buckets,
            audit: NewAuditEvent {
                at: now,
                actor: principal.actor().to_string(),
                action: "records.ingest".into(),
                tenant: Some(tenant_id),
                targets: rows.iter().map(|r| r.id.to_string()).collect(),
                purpose: None,
                outcome: Outcome::Success,
                detail: Some(serde_json::json!({ "records": rows.len() }).to_string()),
            },
            records: rows,
            consents: consents.clone(),
            consent_texts,
            // The answer is kept only when a retry may ask for it again.
            idempotency: match idempotency_key {
                Some(key) => Some(IdempotencyEntry {
                    key: key.to_string(),
                    request_hash: request_hash.to_vec(),
                    response: serde_json::to_string(&result)
                        .map_err(|e| EngineError::Unavailable(e.to_string()))?,
                }),
                None => None,
            },
        };
        self.store.store_batch(batch).await?;
        if !consents.is_empty() {
            self.consents().await?.apply(&consents);
        }
        Ok(result)
    }

    /// The unwrapped keys of each (subject, scope) the prepared records need, created when
    /// missing.
    async fn subject_keys(
        &self,
        tenant: TenantId,
        prepared: &[Prepared],
        subjects: &[SubjectId],
        now: Timestamp,
    ) -> Result<HashMap<(SubjectId, &'static str), SymmetricKey>, EngineError> {
        let needed: BTreeSet<(SubjectId, &'static str)> = prepared
            .iter()
            .zip(subjects)
            .map(|(p, s)| (*s, p.scope))
            .collect();
        let ids: Vec<SubjectId> = needed
            .iter()
            .map(|(s, _)| *s)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        // Keyed by the scope's static name: no string made per lookup on the ingest path.
        let keyed = |r: SubjectKeyRow| {
            let scope = [KeyScope::Erasable, KeyScope::Legal]
                .into_iter()
                .map(scope_name)
                .find(|name| *name == r.scope)?;
            Some(((r.subject, scope), r.wrapped))
        };
        let mut stored: HashMap<(SubjectId, &'static str), Vec<u8>> = self
            .keys
            .subject_keys(tenant, &ids)
            .await?
            .into_iter()
            .filter_map(keyed)
            .collect();
        let missing: Vec<SubjectKeyRow> = needed
            .iter()
            .filter(|key| !stored.contains_key(key))
            .map(|(s, scope)| SubjectKeyRow {
                subject: *s,
                scope: scope.to_string(),
                wrapped: wrap_key(
                    &self.kek,
                    &SymmetricKey::generate(),
                    &subject_key_aad(tenant, *s, scope),
                ),
            })
            .collect();
        if !missing.is_empty() {
            // Another writer may have created some meanwhile: the store answers with the keys
            // that won, which replace ours.
            let created = self.keys.create_subject_keys(tenant, &missing, now).await?;
            stored.extend(created.into_iter().filter_map(keyed));
        }
        needed
            .into_par_iter()
            .map(|(s, scope)| {
                let wrapped = stored.get(&(s, scope)).ok_or_else(|| {
                    EngineError::Unavailable("a subject key could not be stored".into())
                })?;
                let key = unwrap_key(&self.kek, wrapped, &subject_key_aad(tenant, s, scope))
                    .map_err(|e| {
                        EngineError::Unavailable(format!("a subject key does not open: {e}"))
                    })?;
                Ok(((s, scope), key))
            })
            .collect()
    }

    /// The unwrapped keys of buckets, created when missing.
    pub(crate) async fn bucket_keys(
        &self,
        tenant: TenantId,
        buckets: BTreeSet<String>,
        now: Timestamp,
    ) -> Result<HashMap<String, SymmetricKey>, EngineError> {
        let list: Vec<String> = buckets.into_iter().collect();
        let mut rows = self.keys.bucket_keys(tenant, &list).await?;
        let missing: Vec<BucketKeyRow> = list
            .iter()
            .filter(|b| !rows.iter().any(|r| &r.bucket == *b))
            .map(|b| BucketKeyRow {
                bucket: b.clone(),
                wrapped: wrap_key(
                    &self.kek,
                    &SymmetricKey::generate(),
                    &bucket_key_aad(tenant, b),
                ),
            })
            .collect();
        if !missing.is_empty() {
            let created = self.keys.create_bucket_keys(tenant, &missing, now).await?;
            rows.retain(|r| !created.iter().any(|c| c.bucket == r.bucket));
            rows.extend(created);
        }
        rows.into_iter()
            .map(|r| {
                let key = unwrap_key(&self.kek, &r.wrapped, &bucket_key_aad(tenant, &r.bucket))
                    .map_err(|e| {
                        EngineError::Unavailable(format!("a bucket key does not open: {e}"))
                    })?;
                Ok((r.bucket, key))
            })
            .collect()
    }

    /// The subject an identifier finds in the principal's tenant.
    pub async fn find_subject(
        &self,
        principal: &Principal,
        kind: &str,
        value: &str,
    ) -> Result<SubjectId, EngineError> {
        principal.require(Scope::RecordsRead)?;
        let tenant = self.tenant(principal.tenant).await?;
        let identifier =
            Identifier::parse(kind, value, tenant.default_region.as_deref()).map_err(|e| {
                EngineError::Invalid {
                    field: "value",
                    message: e.0,
                }
            })?;
        let blind = BlindIndexKey::for_tenant(&self.master, tenant.id.as_uuid().as_bytes());
        let index = blind
            .index(identifier.domain(), &identifier.normalised())
            .to_vec();
        self.store
            .subjects_by_index(tenant.id, &[index])
            .await?
            .into_iter()
            .next()
            .map(|(_, s)| s)
            .ok_or(EngineError::NotFound { kind: "subject" })
    }

    pub(crate) fn read_purpose(&self, purpose: &str) -> Result<(), EngineError> {
        let v = self.policy_version()?;
        if v.purpose.iter().any(|p| p.id.as_str() == purpose) {
            Ok(())
        } else {
            Err(EngineError::Invalid {
                field: "purpose",
                message: format!(
                    "say why the data is read: `{purpose}` is not a purpose; the purposes are: {}",
                    v.purpose
                        .iter()
                        .map(|p| p.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            })
        }
    }

    /// Opens stored rows, audits the read and returns them. Rows whose keys are gone come back
    /// with `data: null`, and so do rows past their own expiry that no legal hold keeps: their
    /// day's bucket may not be swept yet, but they are not read again.
    pub(crate) async fn open_rows(
        &self,
        principal: &Principal,
        purpose: &str,
        rows: Vec<RecordRow>,
    ) -> Result<Vec<OpenRecord>, EngineError> {
        let tenant = principal.tenant;
        let now = self.clock.now();
        let past = |r: &RecordRow| {
            r.expires_at.is_some_and(|t| t <= now)
                && !r.bucket.ends_with(&format!("/{}", crate::retention::HELD))
        };
        // Holds suspend expiry: the tenant's, or the subject's.
        let (tenant_held, held_subjects) = if rows.iter().any(past) {
            let active: Vec<custodian_store::LegalHold> = self
                .store
                .holds(Some(tenant))
                .await?
                .into_iter()
                .filter(|h| h.active_at(now))
                .collect();
            (
                active.iter().any(|h| h.subject.is_none()),
                active
                    .iter()
                    .filter_map(|h| h.subject)
                    .collect::<BTreeSet<_>>(),
            )
        } else {
            (false, BTreeSet::new())
        };
        let subjects: Vec<SubjectId> = rows
            .iter()
            .map(|r| r.subject)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let subject_keys: HashMap<(SubjectId, String), SymmetricKey> = self
            .keys
            .subject_keys(tenant, &subjects)
            .await?
            .into_iter()
            .filter_map(|r| {
                let key = unwrap_key(
                    &self.kek,
                    &r.wrapped,
                    &subject_key_aad(tenant, r.subject, &r.scope),
                )
                .ok()?;
                Some(((r.subject, r.scope), key))
            })
            .collect();
        let buckets: Vec<String> = rows
            .iter()
            .map(|r| r.bucket.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let bucket_keys: HashMap<String, SymmetricKey> = self
            .keys
            .bucket_keys(tenant, &buckets)
            .await?
            .into_iter()
            .filter_map(|r| {
                let key =
                    unwrap_key(&self.kek, &r.wrapped, &bucket_key_aad(tenant, &r.bucket)).ok()?;
                Some((r.bucket, key))
            })
            .collect();
        let out: Vec<OpenRecord> = rows
            .into_iter()
            .map(|r| {
                let expired = past(&r) && !tenant_held && !held_subjects.contains(&r.subject);
                let data = match (
                    expired,
                    subject_keys.get(&(r.subject, r.key_scope.clone())),
                    bucket_keys.get(&r.bucket),
                ) {
                    (false, Some(sk), Some(bk)) => open_record(
                        sk,
                        bk,
                        &context(tenant, r.subject, r.id),
                        &SealedRecord {
                            wrapped_key: r.wrapped_key.clone(),
                            payload: r.payload.clone(),
                        },
                    )
                    .ok()
                    .and_then(|bytes| serde_json::from_slice(&bytes).ok()),
                    _ => None,
                };
                OpenRecord {
                    id: r.id,
                    subject: r.subject,
                    product: r.product,
                    categories: r.categories,
                    purpose: r.purpose,
                    legal_basis: r.legal_basis,
                    source: r.source,
                    role: r.role,
                    country: r.country,
                    occurred_at: r.occurred_at,
                    retention_rule: r.retention_rule,
                    expires_at: r.expires_at,
                    version: r.version,
                    supersedes: r.supersedes,
                    superseded: r.superseded,
                    data,
                }
            })
            .collect();
        self.store
            .append_audit(&NewAuditEvent {
                at: self.clock.now(),
                actor: principal.actor().to_string(),
                action: "records.read".into(),
                tenant: Some(tenant),
                targets: out.iter().map(|r| r.id.to_string()).collect(),
                purpose: Some(purpose.to_string()),
                outcome: Outcome::Success,
                detail: principal
                    .reason
                    .as_ref()
                    .map(|reason| serde_json::json!({ "reason": reason }).to_string()),
            })
            .await?;
        Ok(out)
    }

    /// A subject's records, a page at a time, opened, for `purpose`. A subject under
    /// restriction yields nothing: its data is kept but not processed.
    pub async fn subject_records(
        &self,
        principal: &Principal,
        subject: SubjectId,
        purpose: &str,
        product: Option<String>,
        after: Option<RecordId>,
        limit: u32,
    ) -> Result<Vec<OpenRecord>, EngineError> {
        principal.require(Scope::RecordsRead)?;
        self.read_purpose(purpose)?;
        let row = self
            .store
            .subject(principal.tenant, subject)
            .await?
            .ok_or(EngineError::NotFound { kind: "subject" })?;
        if row.restricted_at.is_some() {
            return Ok(Vec::new());
        }
        let rows = self
            .store
            .records(&RecordQuery {
                tenant: principal.tenant,
                subject: Some(subject),
                product,
                after,
                limit,
                include_superseded: false,
            })
            .await?
            .into_iter()
            .filter(|r| !stopped(&row, r))
            .collect();
        self.open_rows(principal, purpose, rows).await
    }

    /// One record, opened, for `purpose`.
    pub async fn record(
        &self,
        principal: &Principal,
        id: RecordId,
        purpose: &str,
    ) -> Result<OpenRecord, EngineError> {
        principal.require(Scope::RecordsRead)?;
        self.read_purpose(purpose)?;
        let row = self
            .store
            .record(principal.tenant, id)
            .await?
            .ok_or(EngineError::NotFound { kind: "record" })?;
        let subject = self.store.subject(principal.tenant, row.subject).await?;
        if subject.is_some_and(|s| s.restricted_at.is_some() || stopped(&s, &row)) {
            return Err(EngineError::NotFound { kind: "record" });
        }
        self.open_rows(principal, purpose, vec![row])
            .await?
            .into_iter()
            .next()
            .ok_or(EngineError::NotFound { kind: "record" })
    }
}

/// What a rectification stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rectified {
    /// The new version's id.
    pub id: RecordId,
    /// Its version number.
    pub version: i32,
    /// The version it replaces, whose data key is now destroyed.
    pub supersedes: RecordId,
}

impl Engine {
    /// Rectifies a record: its data is replaced by `data` in a new version, and the old
    /// version's data key is destroyed in the same transaction, so the incorrect data cannot be
    /// read again anywhere.
    pub async fn rectify(
        &self,
        principal: &Principal,
        id: RecordId,
        mut data: serde_json::Map<String, serde_json::Value>,
    ) -> Result<Rectified, EngineError> {
        principal.require(Scope::RecordsWrite)?;
        let tenant = principal.tenant;
        let old = self
            .store
            .record(tenant, id)
            .await?
            .ok_or(EngineError::NotFound { kind: "record" })?;
        if old.superseded {
            return Err(EngineError::Conflict(
                "this version was already rectified; rectify the newest version".into(),
            ));
        }
        for key in data.keys() {
            if !old.categories.iter().any(|c| c == key) {
                return Err(EngineError::Invalid {
                    field: "data",
                    message: format!(
                        "`{key}` is not one of this record's categories ({})",
                        old.categories.join(", ")
                    ),
                });
            }
        }
        // The corrected data takes the same shapes as data at ingest.
        let v = self.policy_version()?;
        let product = v
            .product
            .iter()
            .find(|p| p.id.as_str() == old.product)
            .ok_or_else(|| EngineError::Invalid {
                field: "data",
                message: format!(
                    "product `{}` is no longer in the policy in force; its records cannot be rectified",
                    old.product
                ),
            })?;
        let region = self.tenant(tenant).await?.default_region;
        crate::payload::validate(v, product, &mut data, &mut |kind: &str, value: &str| {
            Identifier::parse(kind, value, region.as_deref())
                .map(|id| id.normalised())
                .map_err(|e| e.0)
        })
        .map_err(|e| EngineError::InvalidField {
            field: e.field,
            message: e.message,
        })?;
        let plaintext = serde_json::to_vec(&data).map_err(|e| EngineError::Invalid {
            field: "data",
            message: e.to_string(),
        })?;
        if plaintext.len() > MAX_PAYLOAD {
            return Err(EngineError::TooLarge(format!(
                "the data is {} bytes; at most {MAX_PAYLOAD} are accepted",
                plaintext.len()
            )));
        }
        let scope: &'static str = if old.key_scope == "legal" {
            "legal"
        } else {
            "erasable"
        };
        let now = self.clock.now();
        let new_id = RecordId::new();
        let subject_keys = self.keys.subject_keys(tenant, &[old.subject]).await?;
        let subject_row =
            subject_keys
                .iter()
                .find(|k| k.scope == scope)
                .ok_or(EngineError::Conflict(
                    "the subject's key was destroyed; erased data cannot be rectified".into(),
                ))?;
        let subject_key = unwrap_key(
            &self.kek,
            &subject_row.wrapped,
            &subject_key_aad(tenant, old.subject, scope),
        )
        .map_err(|e| EngineError::Unavailable(format!("a subject key does not open: {e}")))?;
        let bucket_key = self
            .bucket_keys(tenant, BTreeSet::from([old.bucket.clone()]), now)
            .await?
            .remove(&old.bucket)
            .ok_or_else(|| EngineError::Unavailable("a bucket key is missing".into()))?;
        let sealed = seal_record(
            &subject_key,
            &bucket_key,
            &context(tenant, old.subject, new_id),
            &plaintext,
        );
        let version = old.version + 1;
        let row = RecordRow {
            id: new_id,
            ingested_at: now,
            version,
            supersedes: Some(old.id),
            superseded: false,
            wrapped_key: sealed.wrapped_key,
            payload: sealed.payload,
            ..old.clone()
        };
        self.store
            .store_batch(RecordBatch {
                tenant,
                subjects: Vec::new(),
                links: Vec::new(),
                buckets: Vec::new(),
                records: vec![row],
                consents: Vec::new(),
                consent_texts: Vec::new(),
                idempotency: None,
                audit: NewAuditEvent {
                    at: now,
                    actor: principal.actor().to_string(),
                    action: "records.rectify".into(),
                    tenant: Some(tenant),
                    targets: vec![old.id.to_string(), new_id.to_string()],
                    purpose: None,
                    outcome: Outcome::Success,
                    detail: None,
                },
            })
            .await?;
        Ok(Rectified {
            id: new_id,
            version,
            supersedes: old.id,
        })
    }
}

/// Records read per page while exporting: memory stays bounded by one page, whatever the total.
pub const EXPORT_PAGE: u32 = 1_000;

impl Engine {
    /// Checks what an export needs before the first byte is sent: the scope, the purpose and,
    /// for a subject's export, that the subject exists in the caller's tenant.
    pub async fn start_export(
        &self,
        principal: &Principal,
        subject: Option<SubjectId>,
        purpose: &str,
    ) -> Result<(), EngineError> {
        principal.require(Scope::RecordsRead)?;
        self.read_purpose(purpose)?;
        if let Some(subject) = subject {
            self.store
                .subject(principal.tenant, subject)
                .await?
                .ok_or(EngineError::NotFound { kind: "subject" })?;
        }
        Ok(())
    }

    /// One page of an export (a subject's records, or the whole tenant's), opened and audited;
    /// records of subjects under restriction are left out. An empty page ends the export.
    pub async fn export_page(
        &self,
        principal: &Principal,
        subject: Option<SubjectId>,
        purpose: &str,
        after: Option<RecordId>,
    ) -> Result<(Vec<OpenRecord>, Option<RecordId>), EngineError> {
        principal.require(Scope::RecordsRead)?;
        let rows = self
            .store
            .records(&RecordQuery {
                tenant: principal.tenant,
                subject,
                product: None,
                after,
                limit: EXPORT_PAGE,
                include_superseded: false,
            })
            .await?;
        let cursor = if rows.len() == EXPORT_PAGE as usize {
            rows.last().map(|r| r.id)
        } else {
            None
        };
        let mut subjects = HashMap::new();
        for s in rows.iter().map(|r| r.subject).collect::<BTreeSet<_>>() {
            if let Some(row) = self.store.subject(principal.tenant, s).await? {
                subjects.insert(s, row);
            }
        }
        let rows: Vec<RecordRow> = rows
            .into_iter()
            .filter(|r| {
                subjects
                    .get(&r.subject)
                    .is_none_or(|s| s.restricted_at.is_none() && !stopped(s, r))
            })
            .collect();
        if rows.is_empty() {
            return Ok((Vec::new(), cursor));
        }
        Ok((self.open_rows(principal, purpose, rows).await?, cursor))
    }
}

impl Engine {
    /// Restricts (or, with `false`, lifts the restriction of) processing of a subject's data:
    /// the records stay stored, but every processing read and export leaves them out.
    pub async fn restrict(
        &self,
        principal: &Principal,
        subject: SubjectId,
        restricted: bool,
    ) -> Result<(), EngineError> {
        principal.require(Scope::RecordsWrite)?;
        let now = self.clock.now();
        let audit = NewAuditEvent {
            at: now,
            actor: principal.actor().to_string(),
            action: if restricted {
                "subject.restrict"
            } else {
                "subject.unrestrict"
            }
            .into(),
            tenant: Some(principal.tenant),
            targets: vec![subject.to_string()],
            purpose: None,
            outcome: Outcome::Success,
            detail: None,
        };
        let found = self
            .store
            .set_restriction(principal.tenant, subject, restricted.then_some(now), &audit)
            .await?;
        if found {
            self.note_stop(
                &principal.actor(),
                principal.tenant,
                subject,
                "restriction",
                restricted,
            )
            .await?;
            Ok(())
        } else {
            Err(EngineError::NotFound { kind: "subject" })
        }
    }
}

impl Engine {
    /// The consent gate of an ingest, once each record's subject is known: a record that rests
    /// on consent needs the person's consent (given with it, or recorded before); one that
    /// rests on a legitimate interest stops at an opt-out or upheld objection, and where the
    /// policy limits that interest to existing customers (`legitimate_interest_for`), at a
    /// prospect; a restriction stops all but what a legal duty requires. Returns the consent
    /// events to store with the batch: consents given with records, and the relationship of a
    /// person who becomes a holder of such a product (an existing customer).
    async fn gate(
        &self,
        principal: &Principal,
        prepared: &[Prepared],
        subjects: &[SubjectId],
        now: Timestamp,
    ) -> Result<
        (
            Vec<custodian_store::NewConsentEvent>,
            Vec<custodian_store::ConsentText>,
        ),
        EngineError,
    > {
        use custodian_policy::model::LegalBasisKind;
        let book = self.consents().await?;
        let v = self.policy_version()?;
        let tenant = principal.tenant;
        let holder_products: BTreeSet<&str> = v
            .purpose
            .iter()
            .filter_map(|p| p.legitimate_interest_for.as_ref().map(|r| r.as_str()))
            .collect();
        let becomes_holder: BTreeSet<(SubjectId, &str)> = prepared
            .iter()
            .zip(subjects)
            .filter(|(p, _)| holder_products.contains(p.product.as_str()))
            .map(|(p, s)| (*s, p.product.as_str()))
            .collect();
        let mut events = Vec::new();
        let mut texts: Vec<custodian_store::ConsentText> = Vec::new();
        for (index, (p, subject)) in prepared.iter().zip(subjects).enumerate() {
            let Some(key) = book.key(&p.purpose) else {
                continue;
            };
            if let (Some(c), Some(LegalBasisKind::Consent)) = (&p.inline, p.basis) {
                let restricted =
                    book.gate(tenant, *subject, key, Some(LegalBasisKind::Contract), false);
                if !restricted.allowed {
                    return Err(refused(index, &p.purpose, restricted));
                }
                events.push(c.event(tenant, *subject, &p.purpose, &v.label, principal, now));
                if let Some(t) = &c.text
                    && !texts.iter().any(|x| x.hash == t.hash)
                {
                    texts.push(t.clone());
                }
                continue;
            }
            let holder = v
                .purpose
                .iter()
                .find(|x| x.id.as_str() == p.purpose)
                .and_then(|x| x.legitimate_interest_for.as_ref())
                .is_some_and(|product| becomes_holder.contains(&(*subject, product.as_str())));
            let decision = book.gate(tenant, *subject, key, p.basis, holder);
            if !decision.allowed {
                return Err(refused(index, &p.purpose, decision));
            }
        }
        for (subject, product) in becomes_holder {
            if !book.holds(tenant, subject, product) {
                events.push(custodian_store::NewConsentEvent {
                    id: uuid::Uuid::now_v7(),
                    tenant,
                    who: custodian_store::ConsentHolder::Subject(subject),
                    kind: "relationship".into(),
                    purpose: product.to_string(),
                    given: true,
                    method: "ingest".into(),
                    action: None,
                    text_hash: None,
                    text_version: None,
                    policy_version: v.label.clone(),
                    locale: None,
                    at: now,
                    recorded_at: now,
                    ip_prefix: None,
                    gpc: false,
                    gpc_source: None,
                    actor: principal.actor().to_string(),
                });
            }
        }
        Ok((events, texts))
    }
}

/// Why the gate refused a record, and what would let it through.
fn refused(index: usize, purpose: &str, d: crate::consent::Decision) -> EngineError {
    let (field, message) = match d.reason {
        "restricted" => (
            "subject",
            "this person restricted processing of their data: nothing new is processed for them until the restriction is lifted".to_string(),
        ),
        "objected" => (
            "legal_basis",
            format!("this person objected to processing for `{purpose}` on legitimate interest, and the objection was upheld"),
        ),
        "withdrawn" => (
            "consent",
            format!("this person withdrew their consent to (or opted out of) `{purpose}`; record it again only with a new consent"),
        ),
        "prospect" => (
            "legal_basis",
            format!("this person is not an existing customer, so `{purpose}` cannot rest on legitimate interest: send `legal_basis: consent` with their consent (`consent`), or record their consent first (POST /v1/consents)"),
        ),
        _ => (
            "consent",
            format!("this person has not consented to `{purpose}`: send their consent with the record (`consent`: the words shown and their version), or record it first (POST /v1/consents)"),
        ),
    };
    invalid(index, field, message)
}
