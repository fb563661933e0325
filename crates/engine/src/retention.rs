//! The retention engine: buckets expire on time, legal holds win over expiry, anonymous
//! aggregates outlive the data, and every step leaves evidence.
//!
//! Records are filed in buckets (tenant × rule × the day their period runs from). A sweep takes
//! each bucket that is due, in three idempotent steps, any of which a crash may interrupt and
//! the next sweep finishes:
//!
//! 1. `live → expiring`: records of subjects under a legal hold are moved to the rule's held
//!    bucket first (their data key re-wrapped, the payload untouched); the rest are counted into
//!    the anonymous aggregates, in the transaction that changes the state, with an audit event.
//! 2. `expiring → expired`: the bucket key is destroyed through the erasure log. From here the
//!    records are unreadable everywhere, backups included.
//! 3. `expired → purged`: rows are deleted in batches, then an audit event with the count.
//!
//! A bucket of a tenant under a tenant-wide hold is left alone until the hold ends. Reads
//! never return a record past its own expiry, so the day-wide buckets never keep anything
//! readable late.

use std::collections::{BTreeMap, HashMap, HashSet};

use custodian_core::{SubjectId, TenantId};
use custodian_policy::period::Period;
use custodian_store::{
    BucketRow, BucketState, LegalHold, NewAuditEvent, NewBucket, Outcome, PartitionDrop, RecordMove,
};
use custodian_vault::{RecordContext, rebucket};
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use uuid::Uuid;

use crate::{Actor, DestroyReason, Engine, EngineError};

/// How long a sweep holds a bucket before another may take it over, unless renewed (it is
/// renewed between purge batches).
pub const DEFAULT_LEASE: SignedDuration = SignedDuration::from_secs(60);
/// Due buckets read per round.
const ROUND: u32 = 200;

/// The day a record's period runs from (UTC) and the expiry of that day's bucket: the day the
/// period ends, counted from that day, plus one day. A record of that day expires on that same
/// end day at its own time of day (month ends clamp: 29 and 31 January + 1 month both end on
/// 28 February), so the bucket never expires before any of its records, and at most a day
/// after the last of them.
pub fn day_bucket(
    occurred_at: Timestamp,
    period: &Period,
) -> Result<(Date, Timestamp), jiff::Error> {
    let day = occurred_at.to_zoned(jiff::tz::TimeZone::UTC).date();
    let expiry = day
        .checked_add(period.span())?
        .tomorrow()?
        .to_zoned(jiff::tz::TimeZone::UTC)?
        .timestamp();
    Ok((day, expiry))
}

/// When records kept until the contract ends expire: the end of its last day plus the period.
pub fn contract_expiry(ends_on: &str, period: &Period) -> Result<Timestamp, jiff::Error> {
    let day: Date = ends_on.parse()?;
    Ok(day
        .checked_add(period.span())?
        .tomorrow()?
        .to_zoned(jiff::tz::TimeZone::UTC)?
        .timestamp())
}

/// A record's own expiry: when it happened plus the period, in calendar terms (UTC).
pub fn own_expiry(occurred_at: Timestamp, period: &Period) -> Result<Timestamp, jiff::Error> {
    Ok(occurred_at
        .to_zoned(jiff::tz::TimeZone::UTC)
        .checked_add(period.span())?
        .timestamp())
}

/// The last segment of a rule's bucket for records under a legal hold.
pub const HELD: &str = "held";

/// The name of a rule's bucket for records under a legal hold.
pub fn held_bucket(rule: &str) -> String {
    format!("{rule}/{HELD}")
}

/// The longest period the law of `countries` requires under `rule` (R2: "In other
/// jurisdictions ... may be up to two years"), with its text, when one is longer than the
/// rule's own and no longer than its `max_period`.
pub fn jurisdiction_period(
    rule: &custodian_policy::model::RetentionRule,
    countries: &[Option<&str>],
) -> Option<(Period, String)> {
    let reference: Date = jiff::civil::date(2000, 1, 1);
    let end = |p: &Period| reference.checked_add(p.span()).ok();
    let parse = |t: &str| custodian_policy::period::parse(t).ok();
    let own = end(&parse(rule.period.as_ref()?.as_str())?)?;
    let max = end(&parse(rule.max_period.as_ref()?.as_str())?)?;
    rule.jurisdictions
        .iter()
        .filter(|j| {
            j.countries
                .iter()
                .any(|c| countries.iter().flatten().any(|x| *x == c.as_str()))
        })
        .filter_map(|j| {
            let p = parse(j.period.as_str())?;
            let e = end(&p)?;
            (e > own && e <= max).then(|| (e, p, j.period.as_str().to_string()))
        })
        .max_by_key(|(e, _, _)| *e)
        .map(|(_, p, text)| (p, text))
}

/// How long a visitor record is kept under a rule that follows cookie lifespans (R13: "The
/// retention periods for cookies are specified below"): the lifespan of the cookie its
/// `cookie-data` names (by id or name in the policy's inventory), a
/// session cookie's until the end of the visit's day, or the longest lifespan in the
/// inventory when it names none; with the lifespan's text. `None` when a cookie lives as long
/// as tracking goes on (2016: "as long as the site is being tracked"). A cookie the inventory
/// does not declare is refused.
pub fn cookie_lifespan(
    v: &custodian_policy::PolicyVersion,
    data: &serde_json::Map<String, serde_json::Value>,
) -> Result<Option<(Period, String)>, String> {
    let named: Vec<&str> = data
        .get("cookie-data")
        .and_then(|c| c.get("name"))
        .and_then(serde_json::Value::as_str)
        .into_iter()
        .collect();
    let mut cookies = Vec::new();
    for name in &named {
        let cookie = v
            .cookie
            .iter()
            .find(|c| c.id.as_str() == *name || c.name == *name)
            .ok_or_else(|| {
                format!(
                    "cookie `{name}` is not in the policy's cookie inventory; declare it there first (known: {})",
                    v.cookie.iter().map(|c| c.id.as_str()).collect::<Vec<_>>().join(", ")
                )
            })?;
        cookies.push(cookie);
    }
    if named.is_empty() {
        cookies = v.cookie.iter().collect();
    }
    let reference: Date = jiff::civil::date(2000, 1, 1);
    let mut longest: Option<(Date, Period, String)> = None;
    for c in cookies {
        let text = c.lifespan.as_ref().map_or("session", |l| l.as_str());
        let period = match text {
            "while-tracked" => return Ok(None),
            "session" => custodian_policy::period::parse("P0D"),
            other => custodian_policy::period::parse(other),
        }
        .map_err(|e| {
            format!(
                "cookie `{}` has a lifespan that is not a period: {e}",
                c.id.as_str()
            )
        })?;
        let end = reference
            .checked_add(period.span())
            .map_err(|e| format!("cookie `{}`: {e}", c.id.as_str()))?;
        if longest.as_ref().is_none_or(|(e, _, _)| end > *e) {
            longest = Some((end, period, text.to_string()));
        }
    }
    Ok(longest.map(|(_, p, t)| (p, t)))
}

/// The last segment of a rule's bucket for existing customers' records (kept for the
/// duration of the services).
pub const CUSTOMERS: &str = "customers";

/// The name of a rule's bucket for existing customers' records.
pub fn customers_bucket(rule: &str) -> String {
    format!("{rule}/{CUSTOMERS}")
}

/// The period of a rule's existing-customer alternative that counts from the contract's end.
fn customers_period(rule: &custodian_policy::model::RetentionRule) -> Option<Period> {
    let alternative = rule.existing_customers.as_ref()?;
    if alternative.basis != custodian_policy::model::RetentionBasis::ContractEnd {
        return None;
    }
    custodian_policy::period::parse(alternative.period.as_str()).ok()
}

/// How one bucket fared in a sweep.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct BucketOutcome {
    /// The tenant.
    pub tenant: TenantId,
    /// The bucket.
    pub bucket: String,
    /// Its rule.
    pub rule: String,
    /// When it was due.
    pub expires_at: Option<Timestamp>,
    /// Records made unreadable (or that would be, in a dry run).
    pub records: i64,
    /// Rows deleted.
    pub purged: u64,
    /// Records moved out to the held bucket first.
    pub held_back: usize,
    /// Records moved on to a later bucket first (a later interaction extends them).
    pub extended: usize,
    /// Milliseconds from taking the bucket to its key being destroyed (when this sweep did it).
    pub unreadable_ms: Option<f64>,
    /// Milliseconds spent deleting its rows.
    pub purge_ms: Option<f64>,
    /// `expired`, `would-expire` (dry run), `held` (tenant-wide hold) or `busy` (another sweep
    /// holds it).
    pub outcome: &'static str,
}

/// Totals of one rule in a sweep.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct RuleTotals {
    /// Buckets expired (or that would be).
    pub buckets: usize,
    /// Records made unreadable (or that would be).
    pub records: i64,
    /// Rows deleted.
    pub purged: u64,
}

/// How one partition of the records fared in a sweep (PostgreSQL).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PartitionOutcome {
    /// The partition's table.
    pub name: String,
    /// The expired buckets it held, now purged.
    pub buckets: usize,
    /// The records they held.
    pub records: i64,
    /// Milliseconds the drop took (its transaction, the lock included).
    pub ms: f64,
}

/// What a sweep did.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct SweepReport {
    /// The time it swept up to.
    pub now: Timestamp,
    /// Whether it only looked.
    pub dry_run: bool,
    /// Every bucket it looked at.
    pub buckets: Vec<BucketOutcome>,
    /// Partitions dropped whole (PostgreSQL): the rows of expired buckets go with them.
    pub partitions: Vec<PartitionOutcome>,
    /// Totals per rule.
    pub by_rule: BTreeMap<String, RuleTotals>,
}

impl SweepReport {
    fn add(&mut self, o: BucketOutcome) {
        if matches!(o.outcome, "expired" | "would-expire") {
            let t = self.by_rule.entry(o.rule.clone()).or_default();
            t.buckets += 1;
            t.records += o.records;
            t.purged += o.purged;
        }
        self.buckets.push(o);
    }

    fn add_drop(&mut self, drop: &PartitionDrop, ms: f64) {
        for b in &drop.buckets {
            let rows = u64::try_from(b.records.unwrap_or(0)).unwrap_or(0);
            self.by_rule.entry(b.rule.clone()).or_default().purged += rows;
        }
        self.partitions.push(PartitionOutcome {
            name: drop.name.clone(),
            buckets: drop.buckets.len(),
            records: drop.records,
            ms,
        });
    }

    /// Buckets expired (or that would be).
    pub fn expired(&self) -> usize {
        self.by_rule.values().map(|t| t.buckets).sum()
    }
}

/// A sweep's settings.
#[derive(Debug, Clone, Copy)]
pub struct SweepOptions {
    /// Sweep what is due at this time (the clock's now unless travelling in time).
    pub now: Timestamp,
    /// Only report what would expire.
    pub dry_run: bool,
    /// Rows deleted per transaction.
    pub purge_batch: u32,
    /// How long a bucket is leased to this sweep between renewals; a sweep that dies lets
    /// another take its buckets over after this.
    pub lease: SignedDuration,
}

fn event(
    now: Timestamp,
    actor: &Actor,
    action: &str,
    tenant: TenantId,
    targets: Vec<String>,
    detail: serde_json::Value,
) -> NewAuditEvent {
    NewAuditEvent {
        at: now,
        actor: actor.to_string(),
        action: action.into(),
        tenant: Some(tenant),
        targets,
        purpose: None,
        outcome: Outcome::Success,
        detail: Some(detail.to_string()),
    }
}

impl Engine {
    /// The period of retention rule `rule` in the version in force.
    fn rule_period(&self, rule: &str) -> Option<Period> {
        let v = self.policy.current()?;
        let r = v.retention.iter().find(|r| r.id.as_str() == rule)?;
        custodian_policy::period::parse(r.period.as_ref()?.as_str()).ok()
    }

    /// Sweeps every bucket due at `options.now`. `progress` is called after each bucket.
    pub async fn sweep(
        &self,
        actor: &Actor,
        options: SweepOptions,
        progress: &(dyn Fn(&BucketOutcome) + Send + Sync),
    ) -> Result<SweepReport, EngineError> {
        let now = options.now;
        let mut report = SweepReport {
            now,
            dry_run: options.dry_run,
            ..Default::default()
        };
        let holder = Uuid::now_v7();
        let mut seen: HashSet<(TenantId, String)> = HashSet::new();
        let mut cursor: Option<BucketRow> = None;
        let mut holds: HashMap<TenantId, Vec<LegalHold>> = HashMap::new();
        loop {
            let due = self.store.due_buckets(now, cursor.as_ref(), ROUND).await?;
            cursor = due.last().cloned();
            let fresh: Vec<BucketRow> = due
                .into_iter()
                .filter(|b| !seen.contains(&(b.tenant, b.name.clone())))
                .collect();
            if fresh.is_empty() {
                break;
            }
            for b in fresh {
                seen.insert((b.tenant, b.name.clone()));
                if let std::collections::hash_map::Entry::Vacant(slot) = holds.entry(b.tenant) {
                    let active: Vec<LegalHold> = self
                        .store
                        .holds(Some(b.tenant))
                        .await?
                        .into_iter()
                        .filter(|h| h.active_at(now))
                        .collect();
                    slot.insert(active);
                }
                let tenant_holds = &holds[&b.tenant];
                let outcome = self
                    .sweep_bucket(actor, &b, tenant_holds, options, holder)
                    .await?;
                progress(&outcome);
                report.add(outcome);
            }
        }
        // Where records are partitioned by expiry, rows leave with their partition once no
        // bucket in it is waiting.
        let mut dropped: Vec<BucketRow> = Vec::new();
        if !options.dry_run && self.store.drops_partitions() {
            dropped = self
                .sweep_partitions(actor, &mut report, options, holder)
                .await?;
        }
        if !options.dry_run && (!report.buckets.is_empty() || !dropped.is_empty()) {
            let tenants: std::collections::BTreeSet<TenantId> = report
                .buckets
                .iter()
                .map(|b| b.tenant)
                .chain(dropped.iter().map(|b| b.tenant))
                .collect();
            for tenant in tenants {
                let mine: Vec<&BucketOutcome> = report
                    .buckets
                    .iter()
                    .filter(|b| b.tenant == tenant)
                    .collect();
                let with_partitions: Vec<&BucketRow> =
                    dropped.iter().filter(|b| b.tenant == tenant).collect();
                let detail = serde_json::json!({
                    "now": now.to_string(),
                    "expired": mine.iter().filter(|b| b.outcome == "expired").count(),
                    "records": mine.iter().map(|b| b.records).sum::<i64>(),
                    "purged": mine.iter().map(|b| b.purged).sum::<u64>()
                        + with_partitions.iter().map(|b| u64::try_from(b.records.unwrap_or(0)).unwrap_or(0)).sum::<u64>(),
                    "purged_with_partitions": with_partitions.len(),
                    "held": mine.iter().filter(|b| b.outcome == "held").count(),
                });
                self.store
                    .append_audit(&event(
                        self.clock.now(),
                        actor,
                        "retention.sweep",
                        tenant,
                        mine.iter()
                            .map(|b| b.bucket.clone())
                            .chain(with_partitions.iter().map(|b| b.name.clone()))
                            .collect(),
                        detail,
                    ))
                    .await?;
            }
        }
        Ok(report)
    }

    async fn sweep_bucket(
        &self,
        actor: &Actor,
        b: &BucketRow,
        holds: &[LegalHold],
        options: SweepOptions,
        holder: Uuid,
    ) -> Result<BucketOutcome, EngineError> {
        let mut out = BucketOutcome {
            tenant: b.tenant,
            bucket: b.name.clone(),
            rule: b.rule.clone(),
            expires_at: b.expires_at,
            records: b.records.unwrap_or(0),
            purged: 0,
            held_back: 0,
            extended: 0,
            unreadable_ms: None,
            purge_ms: None,
            outcome: "expired",
        };
        let took = std::time::Instant::now();
        if b.state == BucketState::Live && holds.iter().any(|h| h.subject.is_none()) {
            out.outcome = "held";
            return Ok(out);
        }
        let held_subjects: Vec<SubjectId> = holds.iter().filter_map(|h| h.subject).collect();
        if options.dry_run {
            if b.state == BucketState::Live {
                let census = self.store.bucket_census(b.tenant, &b.name).await?;
                let to_hold = if held_subjects.is_empty() {
                    0
                } else {
                    self.store
                        .records_to_move(b.tenant, &b.name, &held_subjects)
                        .await?
                        .len()
                };
                out.records = census.records - to_hold as i64;
                out.held_back = to_hold;
            }
            out.outcome = "would-expire";
            return Ok(out);
        }
        let now = options.now;
        let lease = options.lease;
        let renew = || async {
            let now = self.clock.now();
            self.store
                .claim_bucket(b.tenant, &b.name, holder, now, now + lease)
                .await
        };
        if !renew().await? {
            out.outcome = "busy";
            return Ok(out);
        }
        let mut state = b.state;
        if state == BucketState::Live {
            out.extended = self.extend_by_later_interactions(actor, b).await?;
            if !held_subjects.is_empty() {
                out.held_back = self
                    .hold_back(actor, b.tenant, &b.name, &b.rule, &held_subjects)
                    .await?;
            }
            let audit = event(
                self.clock.now(),
                actor,
                "retention.expire",
                b.tenant,
                vec![b.name.clone()],
                serde_json::json!({
                    "rule": b.rule,
                    "bucket": b.name,
                    "expires_at": b.expires_at.map(|t| t.to_string()),
                    "swept_at": now.to_string(),
                }),
            );
            self.store.begin_expiry(b.tenant, &b.name, &audit).await?;
            state = BucketState::Expiring;
        }
        // The key first: from here nothing of the bucket opens anywhere, backups included.
        if state == BucketState::Expiring {
            self.destroy_bucket_keys(
                actor,
                b.tenant,
                std::slice::from_ref(&b.name),
                DestroyReason::Expiry,
            )
            .await?;
            self.store
                .finish_expiry(b.tenant, &b.name, self.clock.now())
                .await?;
            out.unreadable_ms = Some(took.elapsed().as_secs_f64() * 1e3);
        }
        // Then the anonymous counts, from the clear metadata that is still there, once.
        if b.records.is_none() {
            let census = self.store.bucket_census(b.tenant, &b.name).await?;
            let audit = event(
                self.clock.now(),
                actor,
                "retention.aggregate",
                b.tenant,
                vec![b.name.clone()],
                serde_json::json!({ "rule": b.rule, "bucket": b.name, "records": census.records }),
            );
            if self
                .store
                .count_expired(b.tenant, &b.name, &census, &audit)
                .await?
            {
                out.records = census.records;
            }
        }
        if self.store.drops_partitions() {
            // Unreadable now; its rows leave with their partition (`sweep_partitions`).
            return Ok(out);
        }
        self.purge_in_batches(actor, b, options, holder, &mut out)
            .await?;
        Ok(out)
    }

    /// Deletes an expired bucket's rows batch by batch, renewing its lease between batches,
    /// then records it purged with its audit event.
    async fn purge_in_batches(
        &self,
        actor: &Actor,
        b: &BucketRow,
        options: SweepOptions,
        holder: Uuid,
        out: &mut BucketOutcome,
    ) -> Result<(), EngineError> {
        let purging = std::time::Instant::now();
        loop {
            // Still ours? (A sweep that stalled past its lease leaves the rest to the taker.)
            let now = self.clock.now();
            if !self
                .store
                .claim_bucket(b.tenant, &b.name, holder, now, now + options.lease)
                .await?
            {
                out.outcome = "busy";
                return Ok(());
            }
            let n = self
                .store
                .purge_bucket(b.tenant, &b.name, options.purge_batch.max(1))
                .await?;
            out.purged += n;
            if n == 0 {
                break;
            }
        }
        out.purge_ms = Some(purging.elapsed().as_secs_f64() * 1e3);
        let audit = event(
            self.clock.now(),
            actor,
            "retention.purge",
            b.tenant,
            vec![b.name.clone()],
            serde_json::json!({ "rule": b.rule, "bucket": b.name, "rows": out.purged }),
        );
        self.store
            .finish_purge(b.tenant, &b.name, self.clock.now(), &audit)
            .await?;
        Ok(())
    }

    /// Drops the partitions of records whose buckets have all expired and been counted. A
    /// partition whose span is over but that still holds a waiting bucket (its tenant is under
    /// a hold, or another sweep has it) keeps it: its expired buckets are purged in batches.
    /// Returns the buckets purged with their partitions.
    async fn sweep_partitions(
        &self,
        actor: &Actor,
        report: &mut SweepReport,
        options: SweepOptions,
        holder: Uuid,
    ) -> Result<Vec<BucketRow>, EngineError> {
        let now = options.now;
        let mut purged = Vec::new();
        for p in self.store.partitions(now).await? {
            if p.waiting == 0 && (p.expired > 0 || now >= p.until) {
                let took = std::time::Instant::now();
                let name = p.name.clone();
                let audit = |b: &BucketRow| {
                    event(
                        self.clock.now(),
                        actor,
                        "retention.purge",
                        b.tenant,
                        vec![b.name.clone()],
                        serde_json::json!({
                            "rule": b.rule,
                            "bucket": b.name,
                            "rows": b.records.unwrap_or(0),
                            "partition": name,
                        }),
                    )
                };
                if let Some(drop) = self
                    .store
                    .drop_partition(p.part, self.clock.now(), &audit)
                    .await?
                {
                    report.add_drop(&drop, took.elapsed().as_secs_f64() * 1e3);
                    purged.extend(drop.buckets);
                }
            } else if p.expired > 0 && now >= p.until {
                for b in self.store.expired_in_partition(p.part).await? {
                    let mut out = BucketOutcome {
                        tenant: b.tenant,
                        bucket: b.name.clone(),
                        rule: b.rule.clone(),
                        expires_at: b.expires_at,
                        records: 0,
                        purged: 0,
                        held_back: 0,
                        extended: 0,
                        unreadable_ms: None,
                        purge_ms: None,
                        outcome: "purged",
                    };
                    self.purge_in_batches(actor, &b, options, holder, &mut out)
                        .await?;
                    report.by_rule.entry(b.rule.clone()).or_default().purged += out.purged;
                    report.buckets.push(out);
                }
            }
        }
        Ok(purged)
    }

    /// Under a rule that runs from the last interaction (R5: twelve months after it), a person
    /// who interacted again later keeps this bucket's records until the later interaction's
    /// period ends: they move to that day's bucket first. Returns how many moved.
    async fn extend_by_later_interactions(
        &self,
        actor: &Actor,
        b: &BucketRow,
    ) -> Result<usize, EngineError> {
        let v = self.policy_version()?;
        let Some(rule) = v.retention.iter().find(|r| r.id.as_str() == b.rule) else {
            return Ok(0);
        };
        if rule.basis != Some(custodian_policy::model::RetentionBasis::LastInteraction) {
            return Ok(0);
        }
        let (Some(anchor), Some(period)) = (b.anchor_on.as_deref(), self.rule_period(&b.rule))
        else {
            return Ok(0);
        };
        let Ok(day) = anchor.parse::<Date>() else {
            return Ok(0);
        };
        let after = day
            .tomorrow()
            .and_then(|d| d.to_zoned(jiff::tz::TimeZone::UTC))
            .map(|z| z.timestamp())
            .map_err(|e| EngineError::Unavailable(format!("a day cannot be computed: {e}")))?;
        let later = self
            .store
            .later_interactions(b.tenant, &b.name, &b.rule, after)
            .await?;
        let mut moved = 0;
        let extended: HashSet<SubjectId> = later.iter().map(|(s, _)| *s).collect();
        for (subject, latest) in later {
            let records = self
                .store
                .records_to_move(b.tenant, &b.name, &[subject])
                .await?;
            moved += self
                .move_to(actor, b.tenant, records, |r| {
                    let (day, expiry) = day_bucket(latest, &period).map_err(|e| {
                        EngineError::Unavailable(format!("an expiry cannot be computed: {e}"))
                    })?;
                    let name = format!("{}/{day}", r.rule);
                    Ok((
                        name.clone(),
                        NewBucket {
                            name,
                            rule: r.rule.clone(),
                            anchor_on: Some(day.to_string()),
                            expires_at: Some(expiry),
                        },
                        own_expiry(latest, &period).ok(),
                    ))
                })
                .await?;
        }
        moved += self.keep_for_customers(actor, b, rule, &extended).await?;
        Ok(moved)
    }

    /// Under a rule with an alternative for existing customers (R5: "or, if you are an
    /// existing customer, for the duration of the services"), the records of this bucket's
    /// subjects who hold a current record of the policy's `holders_of` product (an account)
    /// move to the rule's customers bucket, which expires when the contract ends plus the
    /// alternative's period (open until an end is known). Returns how many moved.
    async fn keep_for_customers(
        &self,
        actor: &Actor,
        b: &BucketRow,
        rule: &custodian_policy::model::RetentionRule,
        skip: &HashSet<SubjectId>,
    ) -> Result<usize, EngineError> {
        let (Some(alternative), Some(period)) = (&rule.existing_customers, customers_period(rule))
        else {
            return Ok(0);
        };
        let Some(product) = &alternative.holders_of else {
            return Ok(0);
        };
        let now = self.clock.now();
        let mut customers: HashSet<SubjectId> = HashSet::new();
        let mut after = None;
        loop {
            let page = self
                .store
                .records(&custodian_store::RecordQuery {
                    tenant: b.tenant,
                    subject: None,
                    product: Some(product.as_str().to_string()),
                    after,
                    limit: 10_000,
                    include_superseded: false,
                })
                .await?;
            let Some(last) = page.last() else {
                break;
            };
            after = Some(last.id);
            customers.extend(
                page.iter()
                    .filter(|r| r.expires_at.is_none_or(|t| t > now))
                    .map(|r| r.subject),
            );
        }
        customers.retain(|s| !skip.contains(s));
        if customers.is_empty() {
            return Ok(0);
        }
        let subjects: Vec<SubjectId> = customers.into_iter().collect();
        let records = self
            .store
            .records_to_move(b.tenant, &b.name, &subjects)
            .await?;
        if records.is_empty() {
            return Ok(0);
        }
        let terms = self.store.retention_terms(b.tenant).await?;
        let expiry = match terms.contract_ends_on.as_deref() {
            Some(day) => Some(contract_expiry(day, &period).map_err(|e| {
                EngineError::Unavailable(format!("an expiry cannot be computed: {e}"))
            })?),
            None => None,
        };
        let target = customers_bucket(&b.rule);
        self.move_to(actor, b.tenant, records, |r| {
            Ok((
                target.clone(),
                NewBucket {
                    name: target.clone(),
                    rule: r.rule.clone(),
                    anchor_on: None,
                    expires_at: expiry,
                },
                expiry,
            ))
        })
        .await
    }

    /// Moves the records of held subjects out of `bucket` into the rule's held bucket, which
    /// never expires while it holds them. Returns how many moved.
    async fn hold_back(
        &self,
        actor: &Actor,
        tenant: TenantId,
        bucket: &str,
        rule: &str,
        subjects: &[SubjectId],
    ) -> Result<usize, EngineError> {
        let records = self.store.records_to_move(tenant, bucket, subjects).await?;
        if records.is_empty() {
            return Ok(0);
        }
        let target = held_bucket(rule);
        self.move_to(actor, tenant, records, |r| {
            Ok((
                target.clone(),
                NewBucket {
                    name: target.clone(),
                    rule: rule.to_string(),
                    anchor_on: None,
                    expires_at: None,
                },
                r.expires_at,
            ))
        })
        .await
    }

    /// Re-files records: each goes to the bucket `place` names (registered if new), its data
    /// key re-wrapped from the old bucket's key to the new one's.
    async fn move_to(
        &self,
        actor: &Actor,
        tenant: TenantId,
        records: Vec<custodian_store::RecordToMove>,
        place: impl Fn(
            &custodian_store::RecordToMove,
        ) -> Result<(String, NewBucket, Option<Timestamp>), EngineError>,
    ) -> Result<usize, EngineError> {
        let mut targets = Vec::with_capacity(records.len());
        let mut expiries = Vec::with_capacity(records.len());
        let mut new_buckets: Vec<NewBucket> = Vec::new();
        let mut names = std::collections::BTreeSet::new();
        for r in &records {
            let (name, bucket, expiry) = place(r)?;
            expiries.push(expiry);
            names.insert(r.bucket.clone());
            names.insert(name.clone());
            if !new_buckets.iter().any(|b| b.name == bucket.name) {
                new_buckets.push(bucket);
            }
            targets.push(name);
        }
        let keys = self.bucket_keys(tenant, names, self.clock.now()).await?;
        let mut moves = Vec::with_capacity(records.len());
        for ((r, target), expires_at) in records.iter().zip(&targets).zip(expiries) {
            let (Some(from), Some(to)) = (keys.get(&r.bucket), keys.get(target)) else {
                return Err(EngineError::Unavailable(
                    "a bucket key needed to move a record is missing".into(),
                ));
            };
            let context = RecordContext {
                tenant: *tenant.as_uuid().as_bytes(),
                subject: *r.subject.as_uuid().as_bytes(),
                record: *r.id.as_uuid().as_bytes(),
            };
            let wrapped = rebucket(from, to, &context, &r.wrapped_key).map_err(|e| {
                EngineError::Unavailable(format!("a record's key cannot be re-wrapped: {e}"))
            })?;
            moves.push(RecordMove {
                id: r.id,
                bucket: target.clone(),
                wrapped_key: wrapped,
                expires_at,
            });
        }
        let audit = event(
            self.clock.now(),
            actor,
            "retention.move",
            tenant,
            moves.iter().map(|m| m.id.to_string()).collect(),
            serde_json::json!({ "records": moves.len(), "to": targets.iter().collect::<std::collections::BTreeSet<_>>() }),
        );
        self.store
            .move_records(tenant, &moves, &new_buckets, &audit)
            .await?;
        Ok(moves.len())
    }

    /// Places a legal hold on a tenant (`subject` `None`) or one subject, optionally for a
    /// case: while it is active, the data it covers does not expire.
    pub async fn place_hold(
        &self,
        actor: &Actor,
        tenant: TenantId,
        subject: Option<SubjectId>,
        case_ref: Option<String>,
        reason: &str,
        ends_at: Option<Timestamp>,
    ) -> Result<LegalHold, EngineError> {
        self.tenant(tenant).await?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(EngineError::Invalid {
                field: "reason",
                message: "say why the data must be kept (the case, the claim, the authority)"
                    .into(),
            });
        }
        let now = self.clock.now();
        if ends_at.is_some_and(|t| t <= now) {
            return Err(EngineError::Invalid {
                field: "ends_at",
                message: "a hold must end in the future, or not be given an end".into(),
            });
        }
        if let Some(s) = subject
            && self.store.subject(tenant, s).await?.is_none()
        {
            return Err(EngineError::NotFound { kind: "subject" });
        }
        let hold = LegalHold {
            id: Uuid::now_v7(),
            tenant,
            subject,
            case_ref: case_ref.filter(|c| !c.trim().is_empty()),
            reason: reason.to_string(),
            author: actor.to_string(),
            placed_at: now,
            ends_at,
            lifted_at: None,
            lifted_by: None,
        };
        let audit = event(
            now,
            actor,
            "hold.place",
            tenant,
            std::iter::once(hold.id.to_string())
                .chain(subject.map(|s| s.to_string()))
                .collect(),
            serde_json::json!({ "case": hold.case_ref, "reason": hold.reason, "ends_at": ends_at.map(|t| t.to_string()) }),
        );
        self.store.place_hold(&hold, &audit).await?;
        Ok(hold)
    }

    /// Lifts a hold. A subject no longer held by any hold gets its held records back into the
    /// buckets of their own expiry (those already past it expire at the next sweep).
    pub async fn lift_hold(
        &self,
        actor: &Actor,
        tenant: TenantId,
        id: Uuid,
    ) -> Result<LegalHold, EngineError> {
        let now = self.clock.now();
        let all = self.store.holds(Some(tenant)).await?;
        let hold = all
            .iter()
            .find(|h| h.id == id)
            .cloned()
            .ok_or(EngineError::NotFound { kind: "hold" })?;
        let audit = event(
            now,
            actor,
            "hold.lift",
            tenant,
            vec![id.to_string()],
            serde_json::json!({}),
        );
        if !self
            .store
            .lift_hold(tenant, id, now, &actor.to_string(), &audit)
            .await?
        {
            return Err(EngineError::Conflict("this hold was lifted before".into()));
        }
        if let Some(subject) = hold.subject {
            let still_held = all.iter().any(|h| {
                h.id != id
                    && h.active_at(now)
                    && (h.subject.is_none() || h.subject == Some(subject))
            });
            if !still_held {
                self.release(actor, tenant, subject).await?;
            }
        }
        Ok(LegalHold {
            lifted_at: Some(now),
            lifted_by: Some(actor.to_string()),
            ..hold
        })
    }

    /// Moves a subject's held records back to their day buckets.
    async fn release(
        &self,
        actor: &Actor,
        tenant: TenantId,
        subject: SubjectId,
    ) -> Result<(), EngineError> {
        let all = self.store.buckets(Some(tenant), u32::MAX).await?;
        let live: HashSet<&str> = all
            .iter()
            .filter(|b| b.state == BucketState::Live)
            .map(|b| b.name.as_str())
            .collect();
        let held = all
            .iter()
            .filter(|b| b.name.ends_with(&format!("/{HELD}")) && b.state == BucketState::Live);
        for b in held {
            let records = self
                .store
                .records_to_move(tenant, &b.name, &[subject])
                .await?;
            if records.is_empty() {
                continue;
            }
            let Some(default) = self.rule_period(&b.rule) else {
                continue;
            };
            let v = self.policy_version()?;
            let rule = v.retention.iter().find(|x| x.id.as_str() == b.rule);
            self.move_to(actor, tenant, records, |r| {
                // The period the record was kept for: the rule's, or a jurisdiction's longer
                // one (its own expiry tells which).
                let lengthened = rule.and_then(|rule| {
                    rule.jurisdictions.iter().find_map(|j| {
                        let p = custodian_policy::period::parse(j.period.as_str()).ok()?;
                        (own_expiry(r.occurred_at, &p).ok() == r.expires_at
                            && own_expiry(r.occurred_at, &default).ok() != r.expires_at)
                            .then(|| (p, j.period.as_str().to_string()))
                    })
                });
                let period = lengthened.as_ref().map_or(default, |(p, _)| *p);
                let (day, expiry) = day_bucket(r.occurred_at, &period).map_err(|e| {
                    EngineError::Unavailable(format!("an expiry cannot be computed: {e}"))
                })?;
                let own = match &lengthened {
                    Some((_, text)) => format!("{}/{day}/{text}", r.rule),
                    None => format!("{}/{day}", r.rule),
                };
                // Back into its own day's bucket if that is still live; else a bucket of its own
                // with the same expiry (already past: the next sweep expires it).
                let name = if live.contains(own.as_str()) {
                    own
                } else {
                    format!("{own}/released")
                };
                Ok((
                    name.clone(),
                    NewBucket {
                        name,
                        rule: r.rule.clone(),
                        anchor_on: Some(day.to_string()),
                        expires_at: Some(expiry),
                    },
                    own_expiry(r.occurred_at, &period).ok(),
                ))
            })
            .await?;
        }
        Ok(())
    }

    /// Records that a tenant's contract ends on `ends_on` (or withdraws the end): data kept
    /// until the contract ends gets its expiry, the end of that day plus the rule's period.
    /// Returns the buckets whose expiry changed.
    pub async fn set_contract_end(
        &self,
        actor: &Actor,
        tenant: TenantId,
        ends_on: Option<Date>,
    ) -> Result<Vec<(String, Option<Timestamp>)>, EngineError> {
        self.tenant(tenant).await?;
        let terms = self.store.retention_terms(tenant).await?;
        let v = self.policy_version()?;
        let mut expiries = Vec::new();
        let expiry_after = |period: &Period| -> Result<Option<Timestamp>, EngineError> {
            ends_on
                .map(|day| {
                    contract_expiry(&day.to_string(), period).map_err(|e| EngineError::Invalid {
                        field: "ends_on",
                        message: format!("the expiry cannot be computed from this day: {e}"),
                    })
                })
                .transpose()
        };
        for b in self.store.buckets(Some(tenant), u32::MAX).await? {
            let Some(rule) = v.retention.iter().find(|r| r.id.as_str() == b.rule) else {
                continue;
            };
            if b.state != BucketState::Live {
                continue;
            }
            // Existing customers' share of a rule with that alternative: kept for the
            // duration of the services, so the contract's end times it too.
            if b.name == customers_bucket(&b.rule) {
                if let Some(period) = customers_period(rule) {
                    expiries.push((b.name, expiry_after(&period)?));
                }
                continue;
            }
            if !b.name.ends_with("/open")
                || rule.basis != Some(custodian_policy::model::RetentionBasis::ContractEnd)
                || (rule.customer_setting.is_some() && terms.periods.contains_key(&b.rule))
            {
                continue;
            }
            let Some(period) = self.rule_period(&b.rule) else {
                continue;
            };
            expiries.push((b.name, expiry_after(&period)?));
        }
        let now = self.clock.now();
        let audit = event(
            now,
            actor,
            "retention.contract-end",
            tenant,
            expiries.iter().map(|(b, _)| b.clone()).collect(),
            serde_json::json!({ "ends_on": ends_on.map(|d| d.to_string()) }),
        );
        self.store
            .change_terms(
                tenant,
                &custodian_store::TermsChange::ContractEnd(ends_on.map(|d| d.to_string())),
                &expiries,
                now,
                &audit,
            )
            .await?;
        Ok(expiries)
    }

    /// Sets the period a tenant agreed for `rule` (within the rule's customer bounds), or goes
    /// back to the policy's (`None`). Records already kept under the rule are re-filed by the
    /// day they were made, each day's bucket expiring with the new period.
    pub async fn set_retention_period(
        &self,
        actor: &Actor,
        tenant: TenantId,
        rule_id: &str,
        period: Option<&str>,
    ) -> Result<usize, EngineError> {
        self.tenant(tenant).await?;
        let v = self.policy_version()?;
        let rule = v
            .retention
            .iter()
            .find(|r| r.id.as_str() == rule_id)
            .ok_or_else(|| EngineError::Invalid {
                field: "rule",
                message: format!(
                    "the policy has no retention rule `{rule_id}`; customers may set: {}",
                    v.retention
                        .iter()
                        .filter(|r| r.customer_setting.is_some())
                        .map(|r| r.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            })?;
        let Some(bounds) = &rule.customer_setting else {
            return Err(EngineError::Invalid {
                field: "rule",
                message: format!("rule `{rule_id}` is not one a customer may change"),
            });
        };
        let parsed = match period {
            Some(text) => {
                let p =
                    custodian_policy::period::parse(text).map_err(|e| EngineError::Invalid {
                        field: "period",
                        message: format!(
                            "`{text}` is not an ISO 8601 period ({e}); write e.g. P90D or P1Y"
                        ),
                    })?;
                let reference: Date = jiff::civil::date(2000, 1, 1);
                let at = |p: &Period| reference.checked_add(p.span()).ok();
                let min = custodian_policy::period::parse(bounds.min.as_str()).ok();
                let max = custodian_policy::period::parse(bounds.max.as_str()).ok();
                let (Some(lo), Some(hi), Some(x)) =
                    (min.as_ref().and_then(at), max.as_ref().and_then(at), at(&p))
                else {
                    return Err(EngineError::Invalid {
                        field: "period",
                        message: "the period is out of range".into(),
                    });
                };
                if x < lo || x > hi {
                    return Err(EngineError::Invalid {
                        field: "period",
                        message: format!(
                            "rule `{rule_id}` allows a period from {} to {}; `{text}` is outside",
                            bounds.min.as_str(),
                            bounds.max.as_str()
                        ),
                    });
                }
                Some(p)
            }
            None => None,
        };
        let terms = self.store.retention_terms(tenant).await?;
        let policy_period = self.rule_period(rule_id);
        // The expiry of each of the rule's day buckets under the new terms.
        let mut expiries = Vec::new();
        for b in self.store.buckets(Some(tenant), u32::MAX).await? {
            if b.state != BucketState::Live || b.rule != rule_id {
                continue;
            }
            let expiry = match (&parsed, b.anchor_on.as_deref()) {
                (Some(p), Some(anchor)) => Some(contract_expiry(anchor, p).map_err(|e| {
                    EngineError::Unavailable(format!("an expiry cannot be computed: {e}"))
                })?),
                (Some(_), None) => continue, // the open bucket: its records are re-filed below
                (None, _) => match (&terms.contract_ends_on, &policy_period) {
                    (Some(day), Some(p)) => contract_expiry(day, p).ok(),
                    _ => None,
                },
            };
            expiries.push((b.name, expiry));
        }
        let now = self.clock.now();
        let audit = event(
            now,
            actor,
            "retention.setting",
            tenant,
            vec![rule_id.to_string()],
            serde_json::json!({ "rule": rule_id, "period": period }),
        );
        self.store
            .change_terms(
                tenant,
                &custodian_store::TermsChange::Period {
                    rule: rule_id.to_string(),
                    period: period.map(str::to_string),
                },
                &expiries,
                now,
                &audit,
            )
            .await?;
        // Records kept "for the contract" now count from the day they were made.
        let mut moved = 0;
        if let Some(p) = parsed {
            let open = format!("{rule_id}/open");
            loop {
                let records = self.store.bucket_records(tenant, &open, 1_000).await?;
                if records.is_empty() {
                    break;
                }
                moved += self
                    .move_to(actor, tenant, records, |r| {
                        let (day, expiry) = day_bucket(r.occurred_at, &p).map_err(|e| {
                            EngineError::Unavailable(format!("an expiry cannot be computed: {e}"))
                        })?;
                        let name = format!("{}/{day}", r.rule);
                        Ok((
                            name.clone(),
                            NewBucket {
                                name,
                                rule: r.rule.clone(),
                                anchor_on: Some(day.to_string()),
                                expires_at: Some(expiry),
                            },
                            own_expiry(r.occurred_at, &p).ok(),
                        ))
                    })
                    .await?;
            }
        }
        Ok(moved)
    }

    /// Ends a subject's retention under every rule that `event` ends (consent withdrawn,
    /// unsubscribed): their records are made unreadable at once, unless a legal hold keeps
    /// them. Returns how many records it ended.
    pub async fn end_retention(
        &self,
        actor: &Actor,
        tenant: TenantId,
        subject: SubjectId,
        ending: custodian_policy::model::EndingEvent,
    ) -> Result<usize, EngineError> {
        let v = self.policy_version()?;
        let rules: HashSet<&str> = v
            .retention
            .iter()
            .filter(|r| r.ends_on.contains(&ending))
            .map(|r| r.id.as_str())
            .collect();
        if rules.is_empty() {
            return Ok(0);
        }
        if self.store.subject(tenant, subject).await?.is_none() {
            return Err(EngineError::NotFound { kind: "subject" });
        }
        let mut records = Vec::new();
        let mut after = None;
        loop {
            let page = self
                .store
                .records(&custodian_store::records::RecordQuery {
                    tenant,
                    subject: Some(subject),
                    product: None,
                    after,
                    limit: 1_000,
                    include_superseded: false,
                })
                .await?;
            let Some(last) = page.last().map(|r| r.id) else {
                break;
            };
            after = Some(last);
            records.extend(
                page.into_iter()
                    .filter(|r| rules.contains(r.retention_rule.as_str()))
                    .filter(|r| !r.bucket.contains("/ended/"))
                    .map(|r| custodian_store::RecordToMove {
                        id: r.id,
                        subject: r.subject,
                        bucket: r.bucket,
                        rule: r.retention_rule,
                        occurred_at: r.occurred_at,
                        expires_at: r.expires_at,
                        wrapped_key: r.wrapped_key,
                    }),
            );
        }
        if records.is_empty() {
            return Ok(0);
        }
        let now = self.clock.now();
        let tag = Uuid::now_v7();
        let count = self
            .move_to(actor, tenant, records, |r| {
                let name = format!("{}/ended/{tag}", r.rule);
                Ok((
                    name.clone(),
                    NewBucket {
                        name,
                        rule: r.rule.clone(),
                        anchor_on: None,
                        expires_at: Some(now),
                    },
                    Some(now),
                ))
            })
            .await?;
        for b in self.store.buckets(Some(tenant), u32::MAX).await? {
            if b.name.ends_with(&format!("/ended/{tag}")) {
                let holds: Vec<LegalHold> = self
                    .store
                    .holds(Some(tenant))
                    .await?
                    .into_iter()
                    .filter(|h| h.active_at(now))
                    .collect();
                self.sweep_bucket(
                    actor,
                    &b,
                    &holds,
                    SweepOptions {
                        now,
                        dry_run: false,
                        purge_batch: 10_000,
                        lease: DEFAULT_LEASE,
                    },
                    Uuid::now_v7(),
                )
                .await?;
            }
        }
        Ok(count)
    }

    /// Holds, of one tenant or all, newest first.
    pub async fn holds(&self, tenant: Option<TenantId>) -> Result<Vec<LegalHold>, EngineError> {
        Ok(self.store.holds(tenant).await?)
    }

    /// Registered buckets, soonest expiry first.
    pub async fn buckets(
        &self,
        tenant: Option<TenantId>,
        limit: u32,
    ) -> Result<Vec<BucketRow>, EngineError> {
        Ok(self.store.buckets(tenant, limit).await?)
    }

    /// The partitions of the records whose span has begun at `now` (PostgreSQL; none on
    /// SQLite), with where their buckets stand.
    pub async fn record_partitions(
        &self,
        now: Timestamp,
    ) -> Result<Vec<custodian_store::PartitionRow>, EngineError> {
        Ok(self.store.partitions(now).await?)
    }

    /// The anonymous aggregates of a tenant, with cells under `min_cell` suppressed (counted
    /// as `None`), for publication.
    pub async fn published_aggregates(
        &self,
        tenant: TenantId,
        min_cell: i64,
    ) -> Result<Vec<(custodian_store::AggregateRow, bool)>, EngineError> {
        Ok(self
            .store
            .aggregates(tenant)
            .await?
            .into_iter()
            .map(|a| {
                let shown = a.count >= min_cell;
                (a, shown)
            })
            .collect())
    }
}
