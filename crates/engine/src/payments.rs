//! Payment consents: Saved Payment Methods ("on a consent basis") keep only the fields the
//! policy lists for each method, sealed; Auto Recharge (its toggle is the consent) keeps a
//! threshold. Withdrawing either deletes what it kept at once, in the transaction that records
//! the withdrawal. The payment service providers that hold the means of payment are
//! controllers in their own right (policy `[[psp]]`): the platform never keeps a card number.

use std::collections::BTreeMap;

use custodian_core::{SubjectId, TenantId};
use custodian_store::{
    AutoRechargeRow, ConsentHolder, NewAuditEvent, NewConsentEvent, Outcome, PaymentMethodRow,
};
use custodian_vault::SymmetricKey;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::consent::InlineConsent;
use crate::{Engine, EngineError, Principal, Scope};

/// The purpose a saved payment method rests on.
pub const SAVED_METHODS: &str = "saved-payment-methods";
/// The purpose Auto Recharge rests on.
pub const AUTO_RECHARGE: &str = "auto-recharge";

/// The words shown with a payment consent, to keep with its event.
type ShownText = (TenantId, custodian_store::ConsentText, Timestamp);

/// A payment method to save.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SaveMethod {
    /// The payer, by subject id …
    pub subject: Option<SubjectId>,
    /// … or identifiers (`{"email": "…"}`).
    #[serde(default)]
    pub identifiers: BTreeMap<String, String>,
    /// `credit-card`, `ideal` or `paypal` (the policy's payment methods).
    pub method: String,
    /// The payment service provider holding it (`stripe`, `mollie`, `adyen`).
    pub psp: String,
    /// The fields kept, and only those the policy lists for the method.
    pub fields: serde_json::Map<String, serde_json::Value>,
    /// The payer's consent: the ticked "save this method" box.
    pub consent: InlineConsent,
}

/// A saved method as the API shows it.
#[derive(Debug, Clone, Serialize)]
pub struct SavedMethod {
    /// Its id.
    pub id: Uuid,
    /// The payer.
    pub subject: SubjectId,
    /// The method.
    pub method: String,
    /// The PSP, a controller in its own right.
    pub psp: String,
    /// `controller`.
    pub psp_role: &'static str,
    /// What people recognise it by.
    pub label: String,
    /// The fields kept.
    pub fields: serde_json::Map<String, serde_json::Value>,
    /// When it was saved.
    pub created_at: Timestamp,
}

/// Auto Recharge to switch on.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetRecharge {
    /// The payer, by subject id …
    pub subject: Option<SubjectId>,
    /// … or identifiers.
    #[serde(default)]
    pub identifiers: BTreeMap<String, String>,
    /// Top up when the balance falls below this (minor units, e.g. cents).
    pub threshold: i64,
    /// By this much (minor units).
    pub amount: i64,
    /// ISO 4217 currency.
    pub currency: String,
    /// A saved method of the payer to charge.
    pub method: Option<Uuid>,
    /// The payer's consent: the toggle.
    pub consent: InlineConsent,
}

/// Auto Recharge as the API shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Recharge {
    /// The payer.
    pub subject: SubjectId,
    /// The threshold, minor units.
    pub threshold: i64,
    /// The amount, minor units.
    pub amount: i64,
    /// The currency.
    pub currency: String,
    /// The saved method charged.
    pub method: Option<Uuid>,
    /// Since.
    pub created_at: Timestamp,
}

/// Whether a run of digits is a payment card number (13 to 19 digits passing Luhn).
fn looks_like_card_number(text: &str) -> bool {
    let digits: Vec<u32> = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_digit(10))
        .collect::<Option<Vec<_>>>()
        .unwrap_or_default();
    if !(13..=19).contains(&digits.len()) {
        return false;
    }
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                *d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// Checks one saved field's value; returns the label part it contributes, if any.
fn check_field(method: &str, field: &str, value: &serde_json::Value) -> Result<(), String> {
    let text = value.as_str().map(str::trim);
    let bad = |what: &str| Err(format!("`{field}` of a {method} is {what}"));
    match field {
        "card-last-four" => match text {
            Some(t) if t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()) => Ok(()),
            _ => bad("its last four digits, as text: \"4242\""),
        },
        "card-expiry" => match text {
            Some(t)
                if t.len() == 7
                    && t.as_bytes()[4] == b'-'
                    && t[..4].parse::<u16>().is_ok()
                    && t[5..].parse::<u8>().is_ok_and(|m| (1..=12).contains(&m)) =>
            {
                Ok(())
            }
            _ => bad("its expiry as YYYY-MM"),
        },
        "cardholder-name" | "account-name" => match text {
            Some(t) if !t.is_empty() && t.chars().count() <= 100 && !looks_like_card_number(t) => {
                Ok(())
            }
            _ => bad("a name of 1 to 100 characters"),
        },
        "iban-bic" => {
            let iban = value
                .get("iban")
                .and_then(|v| v.as_str())
                .map(|s| s.replace(' ', ""));
            let bic = value.get("bic").and_then(|v| v.as_str());
            match (iban, bic) {
                (Some(i), Some(b))
                    if (15..=34).contains(&i.len())
                        && i[..2].chars().all(|c| c.is_ascii_uppercase())
                        && i.chars().all(|c| c.is_ascii_alphanumeric())
                        && (b.len() == 8 || b.len() == 11)
                        && value.as_object().is_some_and(|o| o.len() == 2) =>
                {
                    Ok(())
                }
                _ => bad("{\"iban\": \"NL91ABNA0417164300\", \"bic\": \"ABNANL2A\"}"),
            }
        }
        "paypal-email" => match text {
            Some(t) if t.contains('@') && t.len() <= 254 => Ok(()),
            _ => bad("the PayPal account's e-mail address"),
        },
        _ => bad("not a field this system knows how to keep"),
    }
}

/// What people recognise a method by, from its kept fields only.
fn label(method: &str, fields: &serde_json::Map<String, serde_json::Value>) -> String {
    let s = |k: &str| fields.get(k).and_then(|v| v.as_str()).unwrap_or_default();
    match method {
        "credit-card" => format!("card •••• {}", s("card-last-four")),
        "ideal" => {
            let iban = fields
                .get("iban-bic")
                .and_then(|v| v.get("iban"))
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .replace(' ', "");
            let tail: String = iban
                .chars()
                .rev()
                .take(4)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            format!("iDEAL •••• {tail}")
        }
        "paypal" => {
            let email = s("paypal-email");
            let (user, domain) = email.split_once('@').unwrap_or((email, ""));
            format!("PayPal {}…@{domain}", user.chars().next().unwrap_or('?'))
        }
        other => other.to_string(),
    }
}

impl Engine {
    fn payment_key(&self) -> SymmetricKey {
        SymmetricKey::from_bytes(*self.master.derive("payments/seal"))
    }

    /// The payer of a payment consent: by id, or found by identifiers (a payer is someone the
    /// tenant knows).
    async fn payer(
        &self,
        tenant: TenantId,
        subject: Option<SubjectId>,
        identifiers: &BTreeMap<String, String>,
    ) -> Result<SubjectId, EngineError> {
        match (subject, identifiers.is_empty()) {
            (Some(s), true) => self
                .store
                .subject(tenant, s)
                .await?
                .map(|_| s)
                .ok_or(EngineError::NotFound { kind: "subject" }),
            (None, false) => match self.subjects_for(tenant, identifiers).await?.as_slice() {
                [one] => Ok(*one),
                [] => Err(EngineError::NotFound { kind: "subject" }),
                _ => Err(EngineError::Conflict(
                    "these identifiers find two different people; name the payer by subject id"
                        .into(),
                )),
            },
            _ => Err(EngineError::Invalid {
                field: "identifiers",
                message: "name the payer by `subject` or by `identifiers`, one of the two".into(),
            }),
        }
    }

    /// The consent event (and the words shown) of a payment consent given now.
    fn payment_consent(
        &self,
        principal: &Principal,
        subject: SubjectId,
        purpose: &str,
        consent: InlineConsent,
    ) -> Result<(NewConsentEvent, Vec<ShownText>), EngineError> {
        let v = self.policy_version()?;
        let prepared = self
            .prepare_inline(v, purpose, consent, None)
            .map_err(|(field, message)| EngineError::InvalidField { field, message })?;
        let now = self.clock.now();
        let event = prepared.event(principal.tenant, subject, purpose, &v.label, principal, now);
        let texts = prepared
            .text
            .iter()
            .map(|t| (principal.tenant, t.clone(), now))
            .collect();
        Ok((event, texts))
    }

    fn withdrawal(
        &self,
        principal: &Principal,
        subject: SubjectId,
        purpose: &str,
        method: &str,
    ) -> Result<NewConsentEvent, EngineError> {
        let now = self.clock.now();
        Ok(NewConsentEvent {
            id: Uuid::now_v7(),
            tenant: principal.tenant,
            who: ConsentHolder::Subject(subject),
            kind: "consent".into(),
            purpose: purpose.into(),
            given: false,
            method: method.into(),
            action: None,
            text_hash: None,
            text_version: None,
            policy_version: self.policy_version()?.label.clone(),
            locale: None,
            at: now,
            recorded_at: now,
            ip_prefix: None,
            gpc: false,
            gpc_source: None,
            actor: principal.actor().to_string(),
        })
    }

    fn payment_audit(
        &self,
        principal: &Principal,
        action: &str,
        targets: Vec<String>,
    ) -> NewAuditEvent {
        NewAuditEvent {
            at: self.clock.now(),
            actor: principal.actor().to_string(),
            action: action.into(),
            tenant: Some(principal.tenant),
            targets,
            purpose: Some(SAVED_METHODS.into()),
            outcome: Outcome::Success,
            detail: None,
        }
    }

    fn show_method(&self, row: &PaymentMethodRow) -> Result<SavedMethod, EngineError> {
        let aad = format!("{}:{}", row.tenant, row.id);
        let plain = custodian_vault::open(&self.payment_key(), &row.fields_sealed, aad.as_bytes())
            .map_err(|e| {
                EngineError::Unavailable(format!("a saved payment method does not open: {e}"))
            })?;
        let fields = serde_json::from_slice(&plain).map_err(|e| {
            EngineError::Unavailable(format!("a saved payment method is unreadable: {e}"))
        })?;
        Ok(SavedMethod {
            id: row.id,
            subject: row.subject,
            method: row.method.clone(),
            psp: row.psp.clone(),
            psp_role: "controller",
            label: row.label.clone(),
            fields,
            created_at: row.created_at,
        })
    }

    /// Saves a payment method on the payer's consent, keeping only the policy's fields for it.
    pub async fn save_payment_method(
        &self,
        principal: &Principal,
        input: SaveMethod,
    ) -> Result<SavedMethod, EngineError> {
        principal.require(Scope::ConsentWrite)?;
        let v = self.policy_version()?;
        let method = v
            .payment_method
            .iter()
            .find(|m| m.id.as_str() == input.method)
            .ok_or_else(|| EngineError::Invalid {
                field: "method",
                message: format!(
                    "`{}` is not a payment method that can be saved; the methods are: {}",
                    input.method,
                    v.payment_method
                        .iter()
                        .map(|m| m.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            })?;
        let psp = v
            .psp
            .iter()
            .find(|p| p.id.as_str() == input.psp)
            .ok_or_else(|| EngineError::Invalid {
                field: "psp",
                message: format!(
                    "`{}` is not a payment service provider of the policy; they are: {}",
                    input.psp,
                    v.psp
                        .iter()
                        .map(|p| p.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            })?;
        let allowed: Vec<&str> = method.saved_fields.iter().map(|f| f.as_str()).collect();
        for (field, value) in &input.fields {
            if !allowed.contains(&field.as_str()) {
                let hint = if ["card-number", "number", "pan", "cvc", "cvv"]
                    .contains(&field.as_str())
                {
                    "; card numbers and security codes go to the payment service provider, never here"
                } else {
                    ""
                };
                return Err(EngineError::InvalidField {
                    field: format!("fields.{field}"),
                    message: format!(
                        "a saved {} keeps only {}{hint}",
                        input.method,
                        allowed.join(", ")
                    ),
                });
            }
            if value.as_str().is_some_and(looks_like_card_number) {
                return Err(EngineError::InvalidField {
                    field: format!("fields.{field}"),
                    message: "this looks like a card number: card numbers go to the payment service provider, never here".into(),
                });
            }
            check_field(&input.method, field, value).map_err(|message| {
                EngineError::InvalidField {
                    field: format!("fields.{field}"),
                    message,
                }
            })?;
        }
        if let Some(missing) = allowed.iter().find(|f| !input.fields.contains_key(**f)) {
            return Err(EngineError::InvalidField {
                field: format!("fields.{missing}"),
                message: format!("a saved {} needs {}", input.method, allowed.join(", ")),
            });
        }
        let subject = self
            .payer(principal.tenant, input.subject, &input.identifiers)
            .await?;
        let (event, texts) =
            self.payment_consent(principal, subject, SAVED_METHODS, input.consent)?;
        let id = Uuid::now_v7();
        let plain = serde_json::to_vec(&input.fields)
            .map_err(|e| EngineError::Unavailable(e.to_string()))?;
        let aad = format!("{}:{}", principal.tenant, id);
        let row = PaymentMethodRow {
            id,
            tenant: principal.tenant,
            subject,
            method: input.method.clone(),
            psp: psp.id.as_str().to_string(),
            label: label(&input.method, &input.fields),
            fields_sealed: custodian_vault::seal(&self.payment_key(), &plain, aad.as_bytes()),
            created_at: self.clock.now(),
        };
        self.store
            .save_payment_method(
                &row,
                std::slice::from_ref(&event),
                &texts,
                &self.payment_audit(
                    principal,
                    "payment-method.save",
                    vec![subject.to_string(), id.to_string()],
                ),
            )
            .await?;
        self.consents().await?.apply(std::slice::from_ref(&event));
        self.show_method(&row)
    }

    /// A payer's saved methods (or the tenant's).
    pub async fn payment_methods(
        &self,
        principal: &Principal,
        subject: Option<SubjectId>,
    ) -> Result<Vec<SavedMethod>, EngineError> {
        principal.require(Scope::ConsentRead)?;
        self.store
            .payment_methods(principal.tenant, subject)
            .await?
            .iter()
            .map(|r| self.show_method(r))
            .collect()
    }

    /// Deletes one saved method. Removing the last one withdraws the consent to keep methods.
    pub async fn delete_payment_method(
        &self,
        principal: &Principal,
        id: Uuid,
    ) -> Result<(), EngineError> {
        principal.require(Scope::ConsentWrite)?;
        let all = self.store.payment_methods(principal.tenant, None).await?;
        let row = all
            .iter()
            .find(|r| r.id == id)
            .ok_or(EngineError::NotFound {
                kind: "payment method",
            })?;
        let last = all.iter().filter(|r| r.subject == row.subject).count() == 1;
        let events = if last {
            vec![self.withdrawal(principal, row.subject, SAVED_METHODS, "api")?]
        } else {
            Vec::new()
        };
        self.store
            .delete_payment_methods(
                principal.tenant,
                row.subject,
                Some(id),
                &events,
                &self.payment_audit(
                    principal,
                    "payment-method.delete",
                    vec![row.subject.to_string(), id.to_string()],
                ),
            )
            .await?;
        self.consents().await?.apply(&events);
        Ok(())
    }

    /// Withdraws a payment consent (saved methods or Auto Recharge): what it kept goes in the
    /// transaction that records the withdrawal. Returns how many rows went.
    pub(crate) async fn withdraw_payment_consent(
        &self,
        principal: &Principal,
        subject: SubjectId,
        purpose: &str,
        method: &str,
    ) -> Result<(u64, Uuid), EngineError> {
        let event = self.withdrawal(principal, subject, purpose, method)?;
        let gone = if purpose == SAVED_METHODS {
            self.store
                .delete_payment_methods(
                    principal.tenant,
                    subject,
                    None,
                    std::slice::from_ref(&event),
                    &self.payment_audit(
                        principal,
                        "payment-method.withdraw",
                        vec![subject.to_string()],
                    ),
                )
                .await?
        } else {
            u64::from(
                self.store
                    .delete_auto_recharge(
                        principal.tenant,
                        subject,
                        std::slice::from_ref(&event),
                        &self.payment_audit(
                            principal,
                            "auto-recharge.withdraw",
                            vec![subject.to_string()],
                        ),
                    )
                    .await?,
            )
        };
        self.consents().await?.apply(std::slice::from_ref(&event));
        Ok((gone, event.id))
    }

    /// Withdraws the consent to keep payment methods for a payer: every saved method goes.
    pub async fn withdraw_saved_methods(
        &self,
        principal: &Principal,
        subject: Option<SubjectId>,
        identifiers: &BTreeMap<String, String>,
    ) -> Result<u64, EngineError> {
        principal.require(Scope::ConsentWrite)?;
        let subject = self.payer(principal.tenant, subject, identifiers).await?;
        Ok(self
            .withdraw_payment_consent(principal, subject, SAVED_METHODS, "api")
            .await?
            .0)
    }

    /// Switches Auto Recharge on (or changes it) on the payer's consent.
    pub async fn set_auto_recharge(
        &self,
        principal: &Principal,
        input: SetRecharge,
    ) -> Result<Recharge, EngineError> {
        principal.require(Scope::ConsentWrite)?;
        if input.threshold < 0 || input.threshold > 100_000_000 {
            return Err(EngineError::Invalid {
                field: "threshold",
                message: "the threshold is 0 to 100 000 000 minor units (cents)".into(),
            });
        }
        if input.amount <= 0 || input.amount > 100_000_000 {
            return Err(EngineError::Invalid {
                field: "amount",
                message: "the amount is 1 to 100 000 000 minor units (cents)".into(),
            });
        }
        let currency = input.currency.trim().to_ascii_uppercase();
        if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(EngineError::Invalid {
                field: "currency",
                message: "the currency is an ISO 4217 code such as EUR".into(),
            });
        }
        let subject = self
            .payer(principal.tenant, input.subject, &input.identifiers)
            .await?;
        if let Some(m) = input.method {
            let own = self
                .store
                .payment_methods(principal.tenant, Some(subject))
                .await?;
            if !own.iter().any(|r| r.id == m) {
                return Err(EngineError::Invalid {
                    field: "method",
                    message: "charge one of the payer's own saved payment methods".into(),
                });
            }
        }
        let (event, texts) =
            self.payment_consent(principal, subject, AUTO_RECHARGE, input.consent)?;
        let row = AutoRechargeRow {
            tenant: principal.tenant,
            subject,
            threshold_minor: input.threshold,
            amount_minor: input.amount,
            currency,
            method: input.method,
            created_at: self.clock.now(),
        };
        let mut audit =
            self.payment_audit(principal, "auto-recharge.set", vec![subject.to_string()]);
        audit.purpose = Some(AUTO_RECHARGE.into());
        self.store
            .set_auto_recharge(&row, std::slice::from_ref(&event), &texts, &audit)
            .await?;
        self.consents().await?.apply(std::slice::from_ref(&event));
        Ok(Recharge {
            subject,
            threshold: row.threshold_minor,
            amount: row.amount_minor,
            currency: row.currency,
            method: row.method,
            created_at: row.created_at,
        })
    }

    /// A payer's Auto Recharge, if on.
    pub async fn auto_recharge(
        &self,
        principal: &Principal,
        subject: SubjectId,
    ) -> Result<Option<Recharge>, EngineError> {
        principal.require(Scope::ConsentRead)?;
        Ok(self
            .store
            .auto_recharge(principal.tenant, subject)
            .await?
            .map(|r| Recharge {
                subject,
                threshold: r.threshold_minor,
                amount: r.amount_minor,
                currency: r.currency,
                method: r.method,
                created_at: r.created_at,
            }))
    }

    /// Switches Auto Recharge off: the consent is withdrawn and the setting deleted together.
    pub async fn stop_auto_recharge(
        &self,
        principal: &Principal,
        subject: Option<SubjectId>,
        identifiers: &BTreeMap<String, String>,
    ) -> Result<bool, EngineError> {
        principal.require(Scope::ConsentWrite)?;
        let subject = self.payer(principal.tenant, subject, identifiers).await?;
        Ok(self
            .withdraw_payment_consent(principal, subject, AUTO_RECHARGE, "api")
            .await?
            .0
            > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn card_numbers_are_recognised_and_refused() {
        assert!(looks_like_card_number("4242 4242 4242 4242"));
        assert!(looks_like_card_number("5555-5555-5555-4444"));
        assert!(!looks_like_card_number("4242 4242 4242 4241"));
        assert!(!looks_like_card_number("4242"));
        assert!(check_field("credit-card", "card-last-four", &serde_json::json!("4242")).is_ok());
        assert!(check_field("credit-card", "card-expiry", &serde_json::json!("2027-13")).is_err());
        assert!(
            check_field(
                "credit-card",
                "cardholder-name",
                &serde_json::json!("4242424242424242")
            )
            .is_err()
        );
    }

    #[test]
    fn labels_show_no_more_than_the_kept_fields() {
        let f = |v: serde_json::Value| v.as_object().cloned().unwrap_or_default();
        assert_eq!(
            label(
                "credit-card",
                &f(serde_json::json!({"card-last-four": "4242"}))
            ),
            "card •••• 4242"
        );
        assert_eq!(
            label(
                "ideal",
                &f(
                    serde_json::json!({"iban-bic": {"iban": "NL91 ABNA 0417 1643 00", "bic": "ABNANL2A"}})
                )
            ),
            "iDEAL •••• 4300"
        );
        assert_eq!(
            label(
                "paypal",
                &f(serde_json::json!({"paypal-email": "ann@example.com"}))
            ),
            "PayPal a…@example.com"
        );
    }
}
