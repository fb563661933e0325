//! The records table's partitions on PostgreSQL: one per span of expiry days, so that a span
//! whose buckets have all expired goes with one `DROP TABLE` instead of row-by-row deletes.
//!
//! A bucket's partition (`part`) is chosen when it is registered or re-timed and kept in
//! `buckets.part`; its records carry the same value. Partitions are made when a bucket first
//! needs one (under an advisory lock, `ATTACH`ed, which leaves readers and writers of the other
//! partitions alone) and dropped by the sweep once no bucket filed in them is waiting.

use std::collections::HashSet;

use jiff::Timestamp;
use tokio_postgres::Transaction;
use tokio_postgres::error::SqlState;

use super::{PgStore, append, pg_err};
use crate::audit::NewAuditEvent;
use crate::retention::{BucketRow, PartitionDrop, PartitionRow};
use crate::{Result, StoreError, from_micros, micros};

/// The partition of records that have no expiry yet.
pub(super) const OPEN: i32 = 0;
const DAY_US: i64 = 86_400_000_000;
const WEEK: i64 = 7;
const SPAN: i64 = 91;
/// Parts from here on are 91-day spans.
const LONG: i32 = 1_000_000;
/// Buckets that expire more than this many days after the day they run from are filed by
/// 91-day span: ten-year rules then make forty partitions, not five hundred.
const LONG_AFTER_DAYS: i64 = 800;
/// Key of the advisory lock under which a partition is made (with the part as second key).
const MAKE_LOCK: i32 = 0x6375_7374;
/// How long a drop waits for its lock before leaving the partition to a later sweep.
const DROP_LOCK_TIMEOUT: &str = "1s";

fn epoch_day(us: i64) -> i64 {
    us.div_euclid(DAY_US)
}

/// The partition for a bucket that expires at `expires_at_us` (µs) and runs from `anchor_on`
/// (a `YYYY-MM-DD` day; `now_us` stands in for buckets without one).
pub(super) fn part_of(expires_at_us: Option<i64>, anchor_on: Option<&str>, now_us: i64) -> i32 {
    let Some(expires) = expires_at_us else {
        return OPEN;
    };
    let day = epoch_day(expires).max(WEEK);
    let from = anchor_on
        .and_then(|a| a.parse::<jiff::civil::Date>().ok())
        .and_then(|d| d.to_zoned(jiff::tz::TimeZone::UTC).ok())
        .map_or(epoch_day(now_us), |z| {
            epoch_day(z.timestamp().as_microsecond())
        });
    let part = if day - from > LONG_AFTER_DAYS {
        i64::from(LONG) + day / SPAN
    } else {
        day / WEEK
    };
    i32::try_from(part).unwrap_or(i32::MAX)
}

/// The table that holds a part.
pub(super) fn part_name(part: i32) -> String {
    match part {
        OPEN => "records_open".into(),
        p if p >= LONG => format!("records_q{}", p - LONG),
        p => format!("records_w{p}"),
    }
}

/// The part a table name holds, if it is one of ours.
fn part_from_name(name: &str) -> Option<i32> {
    if name == "records_open" {
        return Some(OPEN);
    }
    if let Some(q) = name.strip_prefix("records_q") {
        return q.parse::<i32>().ok().and_then(|q| q.checked_add(LONG));
    }
    name.strip_prefix("records_w")?.parse::<i32>().ok()
}

/// The expiries a dated part holds, as `[from, until)` in µs.
pub(super) fn part_span(part: i32) -> Option<(i64, i64)> {
    let (first, days) = match part {
        OPEN => return None,
        p if p >= LONG => (i64::from(p - LONG) * SPAN, SPAN),
        p => (i64::from(p) * WEEK, WEEK),
    };
    Some((first * DAY_US, (first + days) * DAY_US))
}

/// Makes the partitions of `parts` that do not exist yet, inside the caller's transaction;
/// `known` caches those seen to exist. Returns the parts made (known once the caller commits).
pub(super) async fn ensure(
    tx: &Transaction<'_>,
    known: &std::sync::Mutex<HashSet<i32>>,
    parts: &HashSet<i32>,
) -> Result<Vec<i32>> {
    let missing: Vec<i32> = {
        let known = known
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        parts
            .iter()
            .copied()
            .filter(|p| !known.contains(p))
            .collect()
    };
    let mut made = Vec::new();
    for part in missing {
        let name = part_name(part);
        tx.execute("SELECT pg_advisory_xact_lock($1, $2)", &[&MAKE_LOCK, &part])
            .await
            .map_err(pg_err)?;
        let exists = tx
            .query_one("SELECT to_regclass($1) IS NOT NULL", &[&name])
            .await
            .map_err(pg_err)?
            .get::<_, bool>(0);
        if !exists {
            // A table of its own first, then attached: `ATTACH` takes a lock on `records`
            // that lets its readers and writers go on (`PARTITION OF` would stop them).
            tx.batch_execute(&format!(
                "CREATE TABLE {name} (LIKE records INCLUDING DEFAULTS);
                 ALTER TABLE records ATTACH PARTITION {name} FOR VALUES IN ({part})"
            ))
            .await
            .map_err(pg_err)?;
        }
        made.push(part);
    }
    Ok(made)
}

/// Remembers parts made by a committed transaction.
pub(super) fn remember(known: &std::sync::Mutex<HashSet<i32>>, parts: &[i32]) {
    if parts.is_empty() {
        return;
    }
    let mut known = known
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    known.extend(parts.iter().copied());
}

/// Forgets every known part (after a write found one gone: another replica dropped it).
pub(super) fn forget(known: &std::sync::Mutex<HashSet<i32>>) {
    known
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clear();
}

/// Maps a write that found no partition for its row (one was dropped meanwhile by another
/// process) to [`StoreError::Raced`], forgetting the known parts, so that it is tried again.
pub(super) fn raced_on_partition(
    known: &std::sync::Mutex<HashSet<i32>>,
    e: tokio_postgres::Error,
) -> StoreError {
    if e.as_db_error().is_some_and(|db| {
        *db.code() == SqlState::CHECK_VIOLATION && db.message().contains("partition")
    }) {
        forget(known);
        return StoreError::Raced(
            "a partition of the records was dropped meanwhile; nothing was stored, retry the request"
                .into(),
        );
    }
    pg_err(e)
}

impl PgStore {
    pub(super) async fn p_partitions(&self, now: Timestamp) -> Result<Vec<PartitionRow>> {
        let client = self.client().await?;
        let names = client
            .query(
                "SELECT c.relname::text FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                 WHERE i.inhparent = 'records'::regclass",
                &[],
            )
            .await
            .map_err(pg_err)?;
        let now_us = micros(now);
        let mut parts: Vec<(i32, i64, i64)> = names
            .iter()
            .filter_map(|r| part_from_name(&r.get::<_, String>(0)))
            .filter_map(|p| part_span(p).map(|(from, until)| (p, from, until)))
            .filter(|(_, from, _)| *from <= now_us)
            .collect();
        parts.sort_unstable();
        let ids: Vec<i32> = parts.iter().map(|p| p.0).collect();
        let stats = client
            .query(
                "SELECT part,
                        count(*) FILTER (WHERE state IN ('live', 'expiring') OR records IS NULL),
                        count(*) FILTER (WHERE state = 'expired' AND records IS NOT NULL),
                        COALESCE(sum(records) FILTER (WHERE state = 'expired'), 0)::bigint
                 FROM buckets WHERE part = ANY($1) AND state <> 'purged' GROUP BY part",
                &[&ids],
            )
            .await
            .map_err(pg_err)?;
        let stats: std::collections::HashMap<i32, (i64, i64, i64)> = stats
            .iter()
            .map(|r| (r.get(0), (r.get(1), r.get(2), r.get(3))))
            .collect();
        parts
            .into_iter()
            .map(|(part, from, until)| {
                let (waiting, expired, records) = stats.get(&part).copied().unwrap_or_default();
                Ok(PartitionRow {
                    name: part_name(part),
                    part,
                    from: from_micros(from)?,
                    until: from_micros(until)?,
                    waiting,
                    expired,
                    records,
                })
            })
            .collect()
    }

    pub(super) async fn p_drop(
        &self,
        part: i32,
        at: Timestamp,
        audit: &(dyn for<'b> Fn(&'b BucketRow) -> NewAuditEvent + Send + Sync),
    ) -> Result<Option<PartitionDrop>> {
        if part == OPEN {
            return Ok(None);
        }
        let name = part_name(part);
        let mut client = self.client().await?;
        let exists = client
            .query_one("SELECT to_regclass($1) IS NOT NULL", &[&name])
            .await
            .map_err(pg_err)?
            .get::<_, bool>(0);
        if !exists {
            return Ok(None);
        }
        // Nothing is left to vacuum in a partition about to go; an autovacuum worker on it
        // would hold up the drop below (while it holds `records`) until it is cancelled. This
        // waits for that alone, blocking no reader or writer.
        let quiet = client.transaction().await.map_err(pg_err)?;
        let calmed = quiet
            .batch_execute(&format!(
                "SET LOCAL lock_timeout = '5s';
                 ALTER TABLE {name} SET (autovacuum_enabled = false, toast.autovacuum_enabled = false)"
            ))
            .await;
        match calmed {
            Ok(()) => quiet.commit().await.map_err(pg_err)?,
            Err(e) if e.code() == Some(&SqlState::LOCK_NOT_AVAILABLE) => return Ok(None),
            // Dropped meanwhile by another sweep.
            Err(e) if e.code() == Some(&SqlState::UNDEFINED_TABLE) => return Ok(None),
            Err(e) => return Err(pg_err(e)),
        }
        let tx = client.transaction().await.map_err(pg_err)?;
        tx.batch_execute(&format!("SET LOCAL lock_timeout = '{DROP_LOCK_TIMEOUT}'"))
            .await
            .map_err(pg_err)?;
        // The parent first, as every query takes it: from here no write can file a row in the
        // partition, and the buckets read next are final. Then the partition, without waiting:
        // `records` is held, so nobody may be kept waiting on it.
        let locked = tx
            .batch_execute(&format!(
                "LOCK TABLE ONLY records IN ACCESS EXCLUSIVE MODE;
                 LOCK TABLE {name} IN ACCESS EXCLUSIVE MODE NOWAIT"
            ))
            .await;
        match locked {
            Ok(()) => {}
            Err(e)
                if e.code() == Some(&SqlState::LOCK_NOT_AVAILABLE)
                    || e.code() == Some(&SqlState::UNDEFINED_TABLE) =>
            {
                tracing::info!(partition = %name, "records busy: the partition is left to a later sweep");
                return Ok(None);
            }
            Err(e) => return Err(pg_err(e)),
        }
        let waiting: i64 = tx
            .query_one(
                "SELECT count(*) FROM buckets WHERE part = $1
                   AND (state IN ('live', 'expiring') OR (state = 'expired' AND records IS NULL))",
                &[&part],
            )
            .await
            .map_err(pg_err)?
            .get(0);
        if waiting > 0 {
            return Ok(None);
        }
        tx.batch_execute(&format!("DROP TABLE {name}"))
            .await
            .map_err(pg_err)?;
        let rows = tx
            .query(
                &format!(
                    "UPDATE buckets SET state = 'purged', purged_at_us = $2, lease_until_us = NULL, lease_holder = NULL
                     WHERE part = $1 AND state = 'expired'
                     RETURNING {}",
                    super::retention::BUCKET_COLUMNS
                ),
                &[&part, &micros(at)],
            )
            .await
            .map_err(pg_err)?;
        let mut buckets = rows
            .iter()
            .map(super::retention::bucket)
            .collect::<Result<Vec<_>>>()?;
        buckets.sort_by(|a, b| {
            (a.expires_at, a.tenant, &a.name).cmp(&(b.expires_at, b.tenant, &b.name))
        });
        for b in &buckets {
            append(&tx, &self.chain_key, &audit(b)).await?;
        }
        tx.commit().await.map_err(pg_err)?;
        self.parts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(&part);
        let records = buckets.iter().filter_map(|b| b.records).sum();
        Ok(Some(PartitionDrop {
            name,
            buckets,
            records,
        }))
    }

    pub(super) async fn p_expired_in(&self, part: i32) -> Result<Vec<BucketRow>> {
        let rows = self
            .client()
            .await?
            .query(
                &format!(
                    "SELECT {} FROM buckets WHERE part = $1 AND state = 'expired' AND records IS NOT NULL
                     ORDER BY expires_at_us, tenant_id, bucket",
                    super::retention::BUCKET_COLUMNS
                ),
                &[&part],
            )
            .await
            .map_err(pg_err)?;
        rows.iter().map(super::retention::bucket).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = DAY_US;

    #[test]
    fn buckets_of_short_rules_go_by_week_and_long_ones_by_quarter() {
        let anchor = "2026-01-10";
        let anchor_day = 20_463; // 2026-01-10
        let six_months = (anchor_day + 182) * DAY + 1;
        let p = part_of(Some(six_months), Some(anchor), 0);
        assert_eq!(p, i32::try_from((anchor_day + 182) / 7).unwrap());
        let (from, until) = part_span(p).unwrap();
        assert!(from <= six_months && six_months < until);
        let ten_years = (anchor_day + 3653) * DAY;
        let q = part_of(Some(ten_years), Some(anchor), 0);
        assert!(q >= LONG);
        let (from, until) = part_span(q).unwrap();
        assert!(from <= ten_years && ten_years < until);
        assert_eq!(part_of(None, Some(anchor), 0), OPEN);
        // Without an anchor, the distance counts from now.
        assert_eq!(
            i64::from(part_of(Some(ten_years), None, ten_years - 10 * DAY)),
            ten_years / DAY / 7
        );
    }

    #[test]
    fn names_and_parts_round_trip() {
        for p in [OPEN, 1, 2_912, LONG, LONG + 230] {
            assert_eq!(part_from_name(&part_name(p)), Some(p), "{p}");
        }
        assert_eq!(part_from_name("records"), None);
        assert_eq!(part_from_name("records_wx"), None);
    }

    #[test]
    fn every_expiry_falls_in_its_partition() {
        let anchor_day = 20_000;
        for days in [0, 1, 6, 7, 8, 180, 731, 801, 1826, 3653] {
            for extra in [0, 1, DAY / 2, DAY - 1] {
                let e = (anchor_day + days) * DAY + extra;
                let p = part_of(Some(e), Some("2024-10-04"), 0);
                let (from, until) = part_span(p).unwrap();
                assert!(from <= e && e < until, "{days} {extra}");
            }
        }
    }
}
