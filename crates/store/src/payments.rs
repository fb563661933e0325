//! Payment consents: saved payment methods (only the fields the policy lists, sealed) and Auto
//! Recharge. Each change is stored with its consent-ledger event in one transaction.

use custodian_core::{SubjectId, TenantId};
use jiff::Timestamp;
use uuid::Uuid;

/// A saved payment method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentMethodRow {
    /// Its id.
    pub id: Uuid,
    /// The tenant.
    pub tenant: TenantId,
    /// The person who consented (the payer).
    pub subject: SubjectId,
    /// The policy payment method (`credit-card`, `ideal`, `paypal`).
    pub method: String,
    /// The payment service provider that holds the means of payment (a controller itself).
    pub psp: String,
    /// What people recognise it by (`Card ending 4242`); no more than the saved fields show.
    pub label: String,
    /// The saved fields, sealed.
    pub fields_sealed: Vec<u8>,
    /// When it was saved.
    pub created_at: Timestamp,
}

/// Auto Recharge of a payer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AutoRechargeRow {
    /// The tenant.
    pub tenant: TenantId,
    /// The person who switched it on.
    pub subject: SubjectId,
    /// Top up when the balance falls below this, in minor units.
    pub threshold_minor: i64,
    /// By this much, in minor units.
    pub amount_minor: i64,
    /// ISO 4217.
    pub currency: String,
    /// The saved method to charge, if one.
    pub method: Option<Uuid>,
    /// When it was switched on.
    pub created_at: Timestamp,
}
