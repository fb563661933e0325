//! Custodian's storage: the [`Store`] trait and its SQLite and PostgreSQL implementations.
//!
//! Everything that persists goes through [`Store`]. The two backends pass the same test suite.
//! Migrations are embedded in the binary; a database whose schema is newer than the binary is
//! refused. Every change that must be accounted for is written in the same transaction as its
//! audit event, so a change without its event, or an event without its change, cannot exist.
//!
//! This crate knows SQL and nothing about HTTP, the policy or the command line.
#![deny(missing_docs)]

pub mod access;
pub mod accounts;
pub mod audit;
pub mod consent;
pub mod destructions;
pub mod keys;
mod location;
mod migrate;
mod notices;
pub mod payments;
mod postgres;
pub mod records;
pub mod retention;
pub mod rights;
mod sqlite;

use std::sync::Arc;

use async_trait::async_trait;
use custodian_core::{ApiKeyId, RecordId, SubjectId, TenantId};
use jiff::Timestamp;

pub use access::{ApprovalRow, CaseFilter, CaseRow, GrantRow};
pub use accounts::{
    AccountChange, AccountKind, AccountRow, ClaimedAccountMail, LoginAttempt, LoginFailures,
    NewAccountMail, SessionRow,
};
pub use audit::{AuditEvent, AuditFilter, ChainHead, ChainKey, NewAuditEvent, Outcome};
pub use consent::{
    ConsentEventRow, ConsentHolder, ConsentScope, ConsentText, NewConsentEvent, SubjectStops,
};
pub use destructions::{
    Applied, KeyDestruction, KeyRef, MAX_DESTRUCTIONS_PAGE, NewKeyDestruction, key_digest,
};
pub use keys::{BucketKeyRow, KeyStore, SubjectKeyRow, open_keys};
pub use location::Location;
pub use migrate::{LATEST_KEYS_VERSION, LATEST_VERSION};
pub use notices::{
    ALL_TOPICS, ClaimedNotice, Fanout, NoticeKind, NoticeOutcome, NoticeStats, Objection,
    Subscription, SubscriptionRequest, TOPIC_POLICY, TOPIC_SUBPROCESSORS,
};
pub use payments::{AutoRechargeRow, PaymentMethodRow};
pub use records::{
    IdempotencyEntry, IdentifierLink, NewSubject, ProcessingStop, RecordBatch, RecordQuery,
    RecordRow, SubjectRow,
};
pub use retention::{
    AggregateRow, BucketRow, BucketState, Census, LegalHold, NewBucket, PartitionDrop,
    PartitionRow, RecordMove, RecordToMove, RetentionTerms, TermsChange,
};
pub use rights::{
    ClaimedRightsOutbox, ConfirmationRow, NewRightsOutbox, RequestScope, RightsFilter,
    RightsJobRow, RightsOutboxRow, RightsRequestRow, VerificationCodeRow,
};

/// Which database is behind a [`Store`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// The embedded default.
    Sqlite,
    /// The production backend.
    Postgres,
}

impl std::fmt::Display for Backend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        })
    }
}

/// What can go wrong in storage. Messages name what to do; none contains personal data.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database was migrated by a newer Custodian.
    #[error(
        "the database schema is at version {found}, newer than this binary supports ({supported}); \
         run the Custodian release that migrated it, or a newer one"
    )]
    SchemaTooNew {
        /// The database's version.
        found: i64,
        /// The newest this binary knows.
        supported: i64,
    },
    /// The location does not name a usable database.
    #[error("{0}")]
    Location(String),
    /// The database is unreachable.
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
    /// A uniqueness rule was broken.
    #[error("{0}")]
    Conflict(String),
    /// A concurrent writer got there first (an identifier of the batch was linked to another
    /// subject meanwhile); nothing was stored and the write can be prepared again.
    #[error("{0}")]
    Raced(String),
    /// The audit log refused a write; the change that needed it was not made.
    #[error("the audit log could not be written: {0}")]
    Audit(String),
    /// Any other database error.
    #[error("database error: {0}")]
    Database(String),
}

/// Result of storage operations.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The publication of a policy version.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Publication {
    /// The policy version's label.
    pub label: String,
    /// The day it takes effect.
    pub effective_on: jiff::civil::Date,
    /// SHA-256 of the version's files, as published.
    pub digest: Vec<u8>,
    /// When it was published.
    pub published_at: Timestamp,
    /// Who published it.
    pub actor: String,
}

/// A tenant: one customer of the platform, the controller of its end users' data.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Tenant {
    /// Its id.
    pub id: TenantId,
    /// Its display name, unique.
    pub name: String,
    /// The region phone numbers without a country code are read in (ISO 3166-1 alpha-2).
    pub default_region: Option<String>,
    /// When it was created.
    pub created_at: Timestamp,
}

/// The stored form of an API key: never the secret, only its keyed hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKeyRecord {
    /// Its id.
    pub id: ApiKeyId,
    /// The tenant it acts for.
    pub tenant: TenantId,
    /// The public lookup part of the token.
    pub lookup: String,
    /// The keyed hash of the secret part.
    pub secret_hash: Vec<u8>,
    /// A name for people.
    pub name: String,
    /// What it may do.
    pub scopes: Vec<String>,
    /// When it was made.
    pub created_at: Timestamp,
    /// When it was revoked, if it was.
    pub revoked_at: Option<Timestamp>,
}

/// Everything Custodian stores. Implemented for SQLite and PostgreSQL.
#[async_trait]
pub trait Store: Send + Sync + std::fmt::Debug + 'static {
    /// Which backend this is.
    fn backend(&self) -> Backend;

    /// Whether the database answers.
    async fn ping(&self) -> Result<()>;

    /// The schema version the database is at.
    async fn schema_version(&self) -> Result<i64>;

    /// A metadata value.
    async fn meta(&self, key: &str) -> Result<Option<String>>;

    /// Stores a metadata value unless the key has one; returns the value now stored.
    async fn meta_init(&self, key: &str, value: &str) -> Result<String>;

    /// Creates a tenant, with its audit event.
    async fn create_tenant(&self, tenant: &Tenant, audit: &NewAuditEvent) -> Result<AuditEvent>;

    /// A tenant by id.
    async fn tenant(&self, id: TenantId) -> Result<Option<Tenant>>;

    /// Every tenant, oldest first.
    async fn tenants(&self) -> Result<Vec<Tenant>>;

    /// Records the publication of a policy version with its audit event; `Conflict` when that
    /// version was published before.
    /// The notices of `fanout` are queued in the same transaction for every subscriber holding
    /// their topic.
    async fn publish_policy(
        &self,
        publication: &Publication,
        audit: &NewAuditEvent,
        fanout: &[Fanout],
    ) -> Result<AuditEvent>;

    /// Every publication, in the order they were made.
    async fn publications(&self) -> Result<Vec<Publication>>;

    /// Stores an API key, with its audit event.
    async fn create_api_key(&self, key: &ApiKeyRecord, audit: &NewAuditEvent)
    -> Result<AuditEvent>;

    /// An API key by the lookup part of its token.
    async fn api_key_by_lookup(&self, lookup: &str) -> Result<Option<ApiKeyRecord>>;

    /// An API key by id.
    async fn api_key(&self, id: ApiKeyId) -> Result<Option<ApiKeyRecord>>;

    /// A tenant's API keys, oldest first.
    async fn api_keys(&self, tenant: TenantId) -> Result<Vec<ApiKeyRecord>>;

    /// Revokes an API key, with its audit event; `false` if it was already revoked or unknown
    /// (and then no event is written).
    async fn revoke_api_key(
        &self,
        id: ApiKeyId,
        at: Timestamp,
        audit: &NewAuditEvent,
    ) -> Result<bool>;

    /// Appends an event to the audit chain.
    async fn append_audit(&self, event: &NewAuditEvent) -> Result<AuditEvent>;

    /// Audit events in chain order.
    async fn audit_events(&self, filter: &AuditFilter) -> Result<Vec<AuditEvent>>;

    /// The newest link of the chain.
    async fn audit_head(&self) -> Result<ChainHead>;

    /// The subjects that blind indexes find, as (index, subject) pairs.
    async fn subjects_by_index(
        &self,
        tenant: TenantId,
        indexes: &[Vec<u8>],
    ) -> Result<Vec<(Vec<u8>, SubjectId)>>;

    /// A subject of a tenant.
    async fn subject(&self, tenant: TenantId, id: SubjectId) -> Result<Option<SubjectRow>>;

    /// Restricts processing of a subject's data (`Some(since)`) or lifts it (`None`), with its
    /// audit event; `false` if the tenant has no such subject (and then nothing is written).
    async fn set_restriction(
        &self,
        tenant: TenantId,
        id: SubjectId,
        since: Option<Timestamp>,
        audit: &NewAuditEvent,
    ) -> Result<bool>;

    /// Stops processing of a kind for a subject (`Some(since)`) or resumes it (`None`), with
    /// its audit event; `false` if the tenant has no such subject.
    async fn set_processing_stop(
        &self,
        tenant: TenantId,
        id: SubjectId,
        stop: ProcessingStop,
        since: Option<Timestamp>,
        audit: &NewAuditEvent,
    ) -> Result<bool>;

    /// Appends consent events (an id already in the ledger is skipped) and the texts they
    /// showed, with the audit event if any, in one transaction.
    async fn append_consents(
        &self,
        events: &[NewConsentEvent],
        texts: &[(TenantId, ConsentText, Timestamp)],
        audit: Option<&NewAuditEvent>,
    ) -> Result<()>;

    /// Consent events: the whole ledger after a position, or one person's or browser's.
    async fn consent_events(&self, scope: ConsentScope, limit: u32)
    -> Result<Vec<ConsentEventRow>>;

    /// Words shown to ask for consent, by their hash.
    async fn consent_text(&self, tenant: TenantId, hash: &str) -> Result<Option<ConsentText>>;

    /// Deletes the proofs whose five years have passed (`before` = now minus five years), with
    /// the audit event when any went: how many.
    async fn purge_consent_events(&self, before: Timestamp, audit: &NewAuditEvent) -> Result<u64>;

    /// Every subject with a processing stop (restriction, objection, withdrawal).
    async fn processing_stops(&self) -> Result<Vec<SubjectStops>>;

    /// Saves a payment method with the consent events that allow it, in one transaction.
    async fn save_payment_method(
        &self,
        row: &PaymentMethodRow,
        events: &[NewConsentEvent],
        texts: &[(TenantId, ConsentText, Timestamp)],
        audit: &NewAuditEvent,
    ) -> Result<()>;

    /// A tenant's saved payment methods, or one payer's.
    async fn payment_methods(
        &self,
        tenant: TenantId,
        subject: Option<SubjectId>,
    ) -> Result<Vec<PaymentMethodRow>>;

    /// Deletes a payer's saved methods (one, or all), recording `events` (a withdrawal) in
    /// the same transaction: how many went.
    async fn delete_payment_methods(
        &self,
        tenant: TenantId,
        subject: SubjectId,
        id: Option<uuid::Uuid>,
        events: &[NewConsentEvent],
        audit: &NewAuditEvent,
    ) -> Result<u64>;

    /// Switches Auto Recharge on (or changes it) with its consent events, in one transaction.
    async fn set_auto_recharge(
        &self,
        row: &AutoRechargeRow,
        events: &[NewConsentEvent],
        texts: &[(TenantId, ConsentText, Timestamp)],
        audit: &NewAuditEvent,
    ) -> Result<()>;

    /// A payer's Auto Recharge, if on.
    async fn auto_recharge(
        &self,
        tenant: TenantId,
        subject: SubjectId,
    ) -> Result<Option<AutoRechargeRow>>;

    /// Switches Auto Recharge off, recording the withdrawal in the same transaction: whether
    /// it was on.
    async fn delete_auto_recharge(
        &self,
        tenant: TenantId,
        subject: SubjectId,
        events: &[NewConsentEvent],
        audit: &NewAuditEvent,
    ) -> Result<bool>;

    /// Deletes a subject's records kept under erasable keys (after those keys were destroyed)
    /// and, with `unlink`, the identifiers that find the subject, with the audit event, in one
    /// transaction: the rows deleted.
    async fn erase_subject_rows(
        &self,
        tenant: TenantId,
        id: SubjectId,
        unlink: bool,
        audit: &NewAuditEvent,
    ) -> Result<u64>;

    /// Stores an ingest in one transaction: new subjects, identifier links, records, the
    /// idempotency key and the audit event. Fails with [`StoreError::Conflict`] (and stores
    /// nothing) if an identifier was meanwhile linked to another subject.
    async fn store_batch(&self, batch: RecordBatch) -> Result<AuditEvent>;

    /// The stored response for an idempotency key.
    async fn idempotent(&self, tenant: TenantId, key: &str) -> Result<Option<IdempotencyEntry>>;

    /// Records in id order.
    async fn records(&self, query: &RecordQuery) -> Result<Vec<RecordRow>>;

    /// One record of a tenant.
    async fn record(&self, tenant: TenantId, id: RecordId) -> Result<Option<RecordRow>>;

    /// Appends destroyed keys to the erasure log, with their audit event, in one transaction.
    /// Entries are numbered on from the newest, without gaps and in commit order, so a reader
    /// never sees an entry before every older one; returns them as stored.
    async fn log_key_destructions(
        &self,
        entries: &[NewKeyDestruction],
        audit: &NewAuditEvent,
    ) -> Result<Vec<KeyDestruction>>;

    /// Entries of the erasure log after `after_seq`, oldest first, at most `limit` (capped at
    /// [`MAX_DESTRUCTIONS_PAGE`]).
    async fn key_destructions(&self, after_seq: i64, limit: u32) -> Result<Vec<KeyDestruction>>;

    /// The number of the newest entry of the erasure log; 0 when it is empty.
    async fn key_destructions_head(&self) -> Result<i64>;

    /// The subscription an address's blind index finds.
    async fn subscription_by_index(&self, email_index: &[u8]) -> Result<Option<Subscription>>;

    /// A subscription by id.
    async fn subscription(&self, id: uuid::Uuid) -> Result<Option<Subscription>>;

    /// Records a request to subscribe (a new subscription, or a new generation of an existing
    /// one, whose older confirmation links stop working) and queues its confirmation notice,
    /// with the audit event, in one transaction. Returns the subscription as stored.
    async fn request_subscription(
        &self,
        request: &SubscriptionRequest,
        audit: &NewAuditEvent,
    ) -> Result<Subscription>;

    /// Confirms the pending request of `generation`: its topics become the confirmed ones, and
    /// the notices of `fanout` meant for them are queued for this subscriber. `None` (and nothing
    /// written) when no such request is pending.
    async fn confirm_subscription(
        &self,
        id: uuid::Uuid,
        generation: i64,
        at: Timestamp,
        fanout: &[Fanout],
        audit: &NewAuditEvent,
    ) -> Result<Option<Subscription>>;

    /// Ends a subscription: no topics, the sealed address dropped, unsent notices cancelled.
    /// `false` (and nothing written) if it was already ended or is unknown.
    async fn unsubscribe(
        &self,
        id: uuid::Uuid,
        at: Timestamp,
        audit: &NewAuditEvent,
    ) -> Result<bool>;

    /// Claims up to `limit` queued notices that are due at `now` and not leased to another
    /// process, leasing them until `lease_until`; oldest first.
    async fn claim_notices(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> Result<Vec<ClaimedNotice>>;

    /// Records how an attempt to send notice `seq` ended, with its audit event if any.
    async fn finish_notice(
        &self,
        seq: i64,
        at: Timestamp,
        outcome: &NoticeOutcome,
        audit: Option<&NewAuditEvent>,
    ) -> Result<()>;

    /// Counts over subscriptions, the outbox and objections.
    async fn notice_stats(&self) -> Result<NoticeStats>;

    /// Records an objection to a subprocessor, with its audit event.
    async fn record_objection(
        &self,
        objection: &Objection,
        audit: &NewAuditEvent,
    ) -> Result<AuditEvent>;

    /// Every objection, oldest first.
    async fn objections(&self) -> Result<Vec<Objection>>;

    /// Buckets whose sweep is due at `now` (live or expiring and past their expiry, or expired
    /// and not yet purged), soonest first, at most `limit`, after `after` in that order (pages
    /// through buckets a sweep leaves due, such as those of a tenant under a hold).
    async fn due_buckets(
        &self,
        now: Timestamp,
        after: Option<&BucketRow>,
        limit: u32,
    ) -> Result<Vec<BucketRow>>;

    /// Leases a bucket to sweep `holder` until `lease_until` (renewing its own lease);
    /// `false` when another holder's lease has not run out.
    async fn claim_bucket(
        &self,
        tenant: TenantId,
        bucket: &str,
        holder: uuid::Uuid,
        now: Timestamp,
        lease_until: Timestamp,
    ) -> Result<bool>;

    /// Counts a bucket's current records per product, country, category and day.
    async fn bucket_census(&self, tenant: TenantId, bucket: &str) -> Result<Census>;

    /// Moves a live bucket to `expiring`, with the audit event; `false` (nothing written) when
    /// it was not live.
    async fn begin_expiry(
        &self,
        tenant: TenantId,
        bucket: &str,
        audit: &NewAuditEvent,
    ) -> Result<bool>;

    /// Adds an expired bucket's census to the aggregates and records its count, with the audit
    /// event, once: `false` (nothing written) when it was counted before or is not expired.
    async fn count_expired(
        &self,
        tenant: TenantId,
        bucket: &str,
        census: &crate::retention::Census,
        audit: &NewAuditEvent,
    ) -> Result<bool>;

    /// Records that an expiring bucket's key is destroyed.
    async fn finish_expiry(&self, tenant: TenantId, bucket: &str, at: Timestamp) -> Result<()>;

    /// Deletes up to `limit` rows of an expired bucket; returns how many.
    async fn purge_bucket(&self, tenant: TenantId, bucket: &str, limit: u32) -> Result<u64>;

    /// Records that an expired bucket has no rows left, with the audit event.
    async fn finish_purge(
        &self,
        tenant: TenantId,
        bucket: &str,
        at: Timestamp,
        audit: &NewAuditEvent,
    ) -> Result<()>;

    /// Registered buckets, of one tenant or all, soonest expiry first, at most `limit`.
    async fn buckets(&self, tenant: Option<TenantId>, limit: u32) -> Result<Vec<BucketRow>>;

    /// The anonymous aggregates of a tenant.
    async fn aggregates(&self, tenant: TenantId) -> Result<Vec<AggregateRow>>;

    /// Places a legal hold, with its audit event.
    async fn place_hold(&self, hold: &LegalHold, audit: &NewAuditEvent) -> Result<()>;

    /// Lifts a hold; `false` (nothing written) if it is unknown for the tenant or lifted.
    async fn lift_hold(
        &self,
        tenant: TenantId,
        id: uuid::Uuid,
        at: Timestamp,
        by: &str,
        audit: &NewAuditEvent,
    ) -> Result<bool>;

    /// Holds, of one tenant or all, newest first.
    async fn holds(&self, tenant: Option<TenantId>) -> Result<Vec<LegalHold>>;

    /// The current records of `subjects` filed in `bucket`.
    async fn records_to_move(
        &self,
        tenant: TenantId,
        bucket: &str,
        subjects: &[SubjectId],
    ) -> Result<Vec<RecordToMove>>;

    /// The terms that govern a tenant's retention.
    async fn retention_terms(&self, tenant: TenantId) -> Result<RetentionTerms>;

    /// Changes a tenant's terms and sets the expiry of the buckets they govern, with the
    /// audit event, in one transaction.
    async fn change_terms(
        &self,
        tenant: TenantId,
        change: &TermsChange,
        expiries: &[(String, Option<Timestamp>)],
        at: Timestamp,
        audit: &NewAuditEvent,
    ) -> Result<()>;

    /// The naive alternative the retention benchmark measures against, never used by
    /// Custodian itself: one `DELETE` of every row whose expiry is before `before`.
    async fn delete_expired_naively(&self, before: Timestamp) -> Result<u64>;

    /// The subjects of `bucket` with a record of the same rule that happened at or after
    /// `after`, each with the time of their latest such record.
    async fn later_interactions(
        &self,
        tenant: TenantId,
        bucket: &str,
        rule: &str,
        after: Timestamp,
    ) -> Result<Vec<(SubjectId, Timestamp)>>;

    /// Up to `limit` current records filed in `bucket`, whoever they are about.
    async fn bucket_records(
        &self,
        tenant: TenantId,
        bucket: &str,
        limit: u32,
    ) -> Result<Vec<RecordToMove>>;

    /// Makes an account, with the mail to send it and the audit event, in one transaction;
    /// [`StoreError::Conflict`] when its address is taken.
    async fn create_account(
        &self,
        account: &AccountRow,
        mail: Option<&NewAccountMail>,
        audit: &NewAuditEvent,
    ) -> Result<()>;

    /// An account by id.
    async fn account(&self, id: uuid::Uuid) -> Result<Option<AccountRow>>;

    /// An account by the blind index of its address.
    async fn account_by_email(&self, email_index: &[u8]) -> Result<Option<AccountRow>>;

    /// The accounts of a tenant, or (`None`) the staff's, oldest first.
    async fn accounts(&self, tenant: Option<TenantId>) -> Result<Vec<AccountRow>>;

    /// Applies a change to an account, with the mail it sends and its audit event, in one
    /// transaction; `false` (nothing written) when the account is unknown or the change's
    /// condition fails (a TOTP step not newer than the last used, a recovery code used before).
    async fn change_account(
        &self,
        id: uuid::Uuid,
        change: &AccountChange,
        mail: Option<&NewAccountMail>,
        audit: Option<&NewAuditEvent>,
    ) -> Result<bool>;

    /// Stores a new session.
    async fn create_session(&self, session: &SessionRow) -> Result<()>;

    /// A session by the hash of its token.
    async fn session(&self, token_hash: &[u8]) -> Result<Option<SessionRow>>;

    /// Records a session's use and moves its end.
    async fn touch_session(
        &self,
        token_hash: &[u8],
        at: Timestamp,
        expires_at: Timestamp,
    ) -> Result<()>;

    /// Revokes one session.
    async fn revoke_session(&self, token_hash: &[u8], at: Timestamp) -> Result<bool>;

    /// Revokes every live session of an account but `keep`; returns how many.
    async fn revoke_sessions(
        &self,
        account: uuid::Uuid,
        at: Timestamp,
        keep: Option<&[u8]>,
    ) -> Result<u64>;

    /// Records a sign-in attempt, with the mail it sends (an alert), in one transaction.
    async fn record_login(
        &self,
        attempt: &LoginAttempt,
        mail: Option<&NewAccountMail>,
    ) -> Result<()>;

    /// Failed sign-ins since `since`, for an address and from a client address.
    async fn login_failures(
        &self,
        email_index: &[u8],
        ip: Option<&str>,
        since: Timestamp,
    ) -> Result<LoginFailures>;

    /// Whether an account signed in successfully before from `country`, and from `device`;
    /// both `true` when it never signed in before (nothing is new about a first sign-in).
    async fn known_login(
        &self,
        account: uuid::Uuid,
        country: Option<&str>,
        device: Option<&str>,
    ) -> Result<(bool, bool)>;

    /// Claims up to `limit` account e-mails due at `now` until `lease_until`.
    async fn claim_account_mail(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> Result<Vec<ClaimedAccountMail>>;

    /// Records how sending a claimed account e-mail went.
    async fn finish_account_mail(
        &self,
        seq: i64,
        at: Timestamp,
        outcome: &NoticeOutcome,
    ) -> Result<()>;

    /// Stores a new four-eyes approval request, with the grant waiting for it, and the audit
    /// event, in one transaction.
    async fn create_approval(
        &self,
        approval: &ApprovalRow,
        grant: Option<&GrantRow>,
        audit: &NewAuditEvent,
    ) -> Result<()>;

    /// An approval by id.
    async fn approval(&self, id: uuid::Uuid) -> Result<Option<ApprovalRow>>;

    /// Approvals in `state` (any state when `None`), newest first, at most `limit` (≤ 1 000).
    async fn approvals(&self, state: Option<&str>, limit: u32) -> Result<Vec<ApprovalRow>>;

    /// Writes `approval`'s state, decision and result if its stored state is still `from`,
    /// with the waiting grant's new times and the audit event, in one transaction; `false`
    /// (nothing written) when someone else changed it first.
    async fn update_approval(
        &self,
        approval: &ApprovalRow,
        from: &str,
        grant: Option<&GrantRow>,
        audit: &NewAuditEvent,
    ) -> Result<bool>;

    /// A grant by id.
    async fn grant(&self, id: uuid::Uuid) -> Result<Option<GrantRow>>;

    /// The grants of an account, or everyone's (`None`), newest first.
    async fn grants(&self, account: Option<uuid::Uuid>) -> Result<Vec<GrantRow>>;

    /// Ends a grant (`by` names who, or `expiry`) with the audit event, unless it has ended:
    /// `false` then.
    async fn end_grant(
        &self,
        id: uuid::Uuid,
        at: Timestamp,
        by: &str,
        audit: &NewAuditEvent,
    ) -> Result<bool>;

    /// Opens a case with its audit event.
    async fn create_case(&self, case: &CaseRow, audit: &NewAuditEvent) -> Result<()>;

    /// A case by id.
    async fn case(&self, id: uuid::Uuid) -> Result<Option<CaseRow>>;

    /// Cases, newest first.
    async fn cases(&self, filter: &CaseFilter) -> Result<Vec<CaseRow>>;

    /// Writes `case` if its stored version is `case.version - 1` (the version it was read
    /// at), with the audit event; `false` (nothing written) when it changed meanwhile.
    async fn update_case(&self, case: &CaseRow, audit: &NewAuditEvent) -> Result<bool>;

    /// Stores new requests (and the bulk job they belong to), with what they owe and the
    /// audit event, in one transaction.
    async fn create_rights_requests(
        &self,
        job: Option<&RightsJobRow>,
        requests: &[RightsRequestRow],
        outbox: &[NewRightsOutbox],
        audit: &NewAuditEvent,
    ) -> Result<()>;

    /// A request by id.
    async fn rights_request(&self, id: uuid::Uuid) -> Result<Option<RightsRequestRow>>;

    /// Requests, by the filter.
    async fn rights_requests(&self, filter: &RightsFilter) -> Result<Vec<RightsRequestRow>>;

    /// Writes `request` if its stored version is `request.version - 1`, with what the change
    /// owes, the confirmation to keep and the audit event; `false` (nothing written) when it
    /// changed meanwhile.
    async fn update_rights_request(
        &self,
        request: &RightsRequestRow,
        outbox: &[NewRightsOutbox],
        confirmation: Option<&ConfirmationRow>,
        audit: &NewAuditEvent,
    ) -> Result<bool>;

    /// A bulk job by id.
    async fn rights_job(&self, id: uuid::Uuid) -> Result<Option<RightsJobRow>>;

    /// How many of a job's requests are in each state.
    async fn rights_job_counts(&self, id: uuid::Uuid) -> Result<Vec<(String, i64)>>;

    /// Jobs not finished (for resuming them after a restart).
    async fn unfinished_rights_jobs(&self) -> Result<Vec<RightsJobRow>>;

    /// Marks a job finished.
    async fn finish_rights_job(&self, id: uuid::Uuid, at: Timestamp) -> Result<()>;

    /// Claims due outbox items (leased until `lease_until`), oldest first.
    async fn claim_rights_outbox(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> Result<Vec<ClaimedRightsOutbox>>;

    /// Records how sending an outbox item went.
    async fn finish_rights_outbox(
        &self,
        seq: i64,
        at: Timestamp,
        outcome: &NoticeOutcome,
    ) -> Result<()>;

    /// What a request owes or owed.
    async fn rights_outbox(&self, request: uuid::Uuid) -> Result<Vec<RightsOutboxRow>>;

    /// The confirmation kept for a request.
    async fn confirmation(&self, request: uuid::Uuid) -> Result<Option<ConfirmationRow>>;

    /// Deletes confirmations kept until before `now`, with the audit event when any went.
    async fn purge_confirmations(&self, now: Timestamp, audit: &NewAuditEvent) -> Result<u64>;

    /// Stores a verification code.
    async fn create_verification_code(&self, code: &VerificationCodeRow) -> Result<()>;

    /// A verification code by id.
    async fn verification_code(&self, id: uuid::Uuid) -> Result<Option<VerificationCodeRow>>;

    /// How many codes went to an address since `since`.
    async fn verification_codes_since(&self, email_index: &[u8], since: Timestamp) -> Result<i64>;

    /// Counts a wrong try on an unused code; the tries so far, or `None` when the code is
    /// unknown or used.
    async fn fail_verification_code(&self, id: uuid::Uuid) -> Result<Option<i64>>;

    /// Marks a code used, once: `false` when it was used already.
    async fn use_verification_code(&self, id: uuid::Uuid, at: Timestamp) -> Result<bool>;

    /// Pairs (or pairs again) a protocol agent: its token's hash replaces the one before.
    async fn pair_drp_agent(
        &self,
        agent: &str,
        token_hash: &[u8],
        at: Timestamp,
        audit: &NewAuditEvent,
    ) -> Result<()>;

    /// The agent a token's hash belongs to.
    async fn drp_agent_by_token(&self, token_hash: &[u8]) -> Result<Option<String>>;

    /// Sets (or, with `None`, removes) the address a customer receives routed requests at.
    async fn set_rights_webhook(
        &self,
        tenant: TenantId,
        url: Option<&str>,
        at: Timestamp,
        audit: &NewAuditEvent,
    ) -> Result<()>;

    /// The address a customer receives routed requests at.
    async fn rights_webhook(&self, tenant: TenantId) -> Result<Option<String>>;

    /// Whether expired buckets' rows leave with their partition ([`Store::drop_partition`],
    /// PostgreSQL) rather than in batches ([`Store::purge_bucket`]).
    fn drops_partitions(&self) -> bool {
        false
    }

    /// The partitions of the records table whose span has begun at `now`, with where their
    /// buckets stand; none where records are not partitioned.
    async fn partitions(&self, _now: Timestamp) -> Result<Vec<PartitionRow>> {
        Ok(Vec::new())
    }

    /// Drops a partition whole if no bucket filed in it is waiting (live, expiring or not yet
    /// counted), and marks its expired buckets purged, each with the audit event `audit` makes
    /// for it, in one transaction. `None` when it is not ready, gone, or busy (its lock was not
    /// granted in time): a later sweep tries again.
    async fn drop_partition(
        &self,
        _part: i32,
        _at: Timestamp,
        _audit: &(dyn for<'b> Fn(&'b BucketRow) -> NewAuditEvent + Send + Sync),
    ) -> Result<Option<PartitionDrop>> {
        Ok(None)
    }

    /// The expired, counted buckets filed in a partition, not yet purged (for purging them in
    /// batches when the partition cannot go: a bucket under a hold is still in it).
    async fn expired_in_partition(&self, _part: i32) -> Result<Vec<BucketRow>> {
        Ok(Vec::new())
    }

    /// Files records in other buckets (registering those that are new), with the audit
    /// event, in one transaction.
    async fn move_records(
        &self,
        tenant: TenantId,
        moves: &[RecordMove],
        buckets: &[NewBucket],
        audit: &NewAuditEvent,
    ) -> Result<()>;
}

/// Opens (and migrates) the database at `location`. `chain_key` seals the audit chain.
pub async fn open(location: &Location, chain_key: ChainKey) -> Result<Arc<dyn Store>> {
    match location {
        Location::SqliteDir(_) | Location::SqliteFile { .. } => Ok(Arc::new(
            sqlite::SqliteStore::open(location, chain_key).await?,
        )),
        Location::Postgres(url) => Ok(Arc::new(
            postgres::PgStore::open(url.expose(), chain_key).await?,
        )),
    }
}

pub(crate) fn micros(t: Timestamp) -> i64 {
    t.as_microsecond()
}

pub(crate) fn from_micros(us: i64) -> Result<Timestamp> {
    Timestamp::from_microsecond(us)
        .map_err(|e| StoreError::Database(format!("stored timestamp {us} is out of range: {e}")))
}
