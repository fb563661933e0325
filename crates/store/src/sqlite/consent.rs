//! The consent ledger on SQLite.

use custodian_core::{SubjectId, TenantId};
use jiff::Timestamp;
use rusqlite::{OptionalExtension, Row, Transaction, params};
use uuid::Uuid;

use super::{SqliteStore, append, db_err};
use crate::audit::NewAuditEvent;
use crate::consent::{ConsentEventRow, ConsentHolder, ConsentScope, ConsentText, NewConsentEvent};
use crate::{Result, from_micros, micros};

const COLUMNS: &str = "seq, id, tenant_id, subject_id, visitor_id, kind, purpose, given, method, \
    action, text_hash, text_version, policy_version, locale, at_us, recorded_at_us, ip_prefix, \
    gpc, gpc_source, actor";

fn at(us: i64) -> rusqlite::Result<Timestamp> {
    from_micros(us).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Integer, e.into())
    })
}

fn event(r: &Row<'_>) -> rusqlite::Result<ConsentEventRow> {
    let subject: Option<Uuid> = r.get(3)?;
    let visitor: Option<Uuid> = r.get(4)?;
    let who = match (subject, visitor) {
        (Some(s), _) => ConsentHolder::Subject(SubjectId::from_uuid(s)),
        (None, Some(v)) => ConsentHolder::Visitor(v),
        (None, None) => {
            return Err(rusqlite::Error::FromSqlConversionFailure(
                3,
                rusqlite::types::Type::Null,
                "a consent event names neither a subject nor a visitor".into(),
            ));
        }
    };
    Ok(ConsentEventRow {
        seq: r.get(0)?,
        event: NewConsentEvent {
            id: r.get(1)?,
            tenant: TenantId::from_uuid(r.get(2)?),
            who,
            kind: r.get(5)?,
            purpose: r.get(6)?,
            given: r.get(7)?,
            method: r.get(8)?,
            action: r.get(9)?,
            text_hash: r.get(10)?,
            text_version: r.get(11)?,
            policy_version: r.get(12)?,
            locale: r.get(13)?,
            at: at(r.get(14)?)?,
            recorded_at: at(r.get(15)?)?,
            ip_prefix: r.get(16)?,
            gpc: r.get(17)?,
            gpc_source: r.get(18)?,
            actor: r.get(19)?,
        },
    })
}

/// Appends events (an id already in the ledger is skipped) and the texts they showed (a text
/// already kept is kept as it was), inside the caller's transaction.
pub(super) fn insert(
    tx: &Transaction<'_>,
    events: &[NewConsentEvent],
    texts: &[(TenantId, ConsentText, Timestamp)],
) -> Result<()> {
    let mut text = tx
        .prepare_cached(
            "INSERT INTO consent_texts (tenant_id, hash, version, body, first_seen_us)
             VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (tenant_id, hash) DO NOTHING",
        )
        .map_err(db_err)?;
    for (tenant, t, seen) in texts {
        text.execute(params![
            tenant.as_uuid(),
            t.hash,
            t.version,
            t.body,
            micros(*seen)
        ])
        .map_err(db_err)?;
    }
    let mut insert = tx
        .prepare_cached(
            "INSERT INTO consent_events (id, tenant_id, subject_id, visitor_id, kind, purpose, \
             given, method, action, text_hash, text_version, policy_version, locale, at_us, \
             recorded_at_us, ip_prefix, gpc, gpc_source, actor)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, \
             ?18, ?19) ON CONFLICT (id) DO NOTHING",
        )
        .map_err(db_err)?;
    for e in events {
        let (subject, visitor) = match e.who {
            ConsentHolder::Subject(s) => (Some(s.as_uuid()), None),
            ConsentHolder::Visitor(v) => (None, Some(v)),
        };
        insert
            .execute(params![
                e.id,
                e.tenant.as_uuid(),
                subject,
                visitor,
                e.kind,
                e.purpose,
                e.given,
                e.method,
                e.action,
                e.text_hash,
                e.text_version,
                e.policy_version,
                e.locale,
                micros(e.at),
                micros(e.recorded_at),
                e.ip_prefix,
                e.gpc,
                e.gpc_source,
                e.actor,
            ])
            .map_err(db_err)?;
    }
    Ok(())
}

impl SqliteStore {
    pub(super) async fn c_append(
        &self,
        events: &[NewConsentEvent],
        texts: &[(TenantId, ConsentText, Timestamp)],
        audit: Option<&NewAuditEvent>,
    ) -> Result<()> {
        let events = events.to_vec();
        let texts = texts.to_vec();
        let audit = audit.cloned();
        self.write(move |tx, key| {
            insert(tx, &events, &texts)?;
            if let Some(audit) = &audit {
                append(tx, key, audit)?;
            }
            Ok(())
        })
        .await
    }

    pub(super) async fn c_events(
        &self,
        scope: ConsentScope,
        limit: u32,
    ) -> Result<Vec<ConsentEventRow>> {
        let limit = i64::from(limit.clamp(1, 100_000));
        self.read(move |c| {
            let rows = match scope {
                ConsentScope::After(seq) => c
                    .prepare_cached(&format!(
                        "SELECT {COLUMNS} FROM consent_events WHERE seq > ?1 ORDER BY seq LIMIT ?2"
                    ))
                    .and_then(|mut s| {
                        s.query_map(params![seq, limit], event)?
                            .collect::<rusqlite::Result<Vec<_>>>()
                    }),
                ConsentScope::Of(tenant, ConsentHolder::Subject(s)) => c
                    .prepare_cached(&format!(
                        "SELECT {COLUMNS} FROM consent_events WHERE tenant_id = ?1 \
                         AND subject_id = ?2 ORDER BY seq LIMIT ?3"
                    ))
                    .and_then(|mut st| {
                        st.query_map(params![tenant.as_uuid(), s.as_uuid(), limit], event)?
                            .collect::<rusqlite::Result<Vec<_>>>()
                    }),
                ConsentScope::Of(tenant, ConsentHolder::Visitor(v)) => c
                    .prepare_cached(&format!(
                        "SELECT {COLUMNS} FROM consent_events WHERE tenant_id = ?1 \
                         AND visitor_id = ?2 ORDER BY seq LIMIT ?3"
                    ))
                    .and_then(|mut st| {
                        st.query_map(params![tenant.as_uuid(), v, limit], event)?
                            .collect::<rusqlite::Result<Vec<_>>>()
                    }),
            };
            rows.map_err(db_err)
        })
        .await
    }

    pub(super) async fn c_text(&self, tenant: TenantId, hash: &str) -> Result<Option<ConsentText>> {
        let hash = hash.to_string();
        self.read(move |c| {
            c.query_row(
                "SELECT hash, version, body FROM consent_texts WHERE tenant_id = ?1 AND hash = ?2",
                params![tenant.as_uuid(), hash],
                |r| {
                    Ok(ConsentText {
                        hash: r.get(0)?,
                        version: r.get(1)?,
                        body: r.get(2)?,
                    })
                },
            )
            .optional()
            .map_err(db_err)
        })
        .await
    }

    pub(super) async fn c_purge(&self, before: Timestamp, audit: &NewAuditEvent) -> Result<u64> {
        let audit = audit.clone();
        self.write(move |tx, key| {
            let n = tx.execute(PURGE, [micros(before)]).map_err(db_err)?;
            if n > 0 {
                append(tx, key, &audit)?;
            }
            Ok(n as u64)
        })
        .await
    }

    pub(super) async fn c_stops(&self) -> Result<Vec<crate::consent::SubjectStops>> {
        self.read(|c| {
            let mut s = c
                .prepare(
                    "SELECT tenant_id, id, restricted_at_us, objected_at_us, consent_withdrawn_at_us
                     FROM subjects WHERE restricted_at_us IS NOT NULL OR objected_at_us IS NOT NULL
                     OR consent_withdrawn_at_us IS NOT NULL",
                )
                .map_err(db_err)?;
            let rows = s
                .query_map([], |r| {
                    let time = |i: usize| -> rusqlite::Result<Option<Timestamp>> {
                        r.get::<_, Option<i64>>(i)?.map(at).transpose()
                    };
                    Ok(crate::consent::SubjectStops {
                        tenant: TenantId::from_uuid(r.get(0)?),
                        subject: SubjectId::from_uuid(r.get(1)?),
                        restricted_at: time(2)?,
                        objected_at: time(3)?,
                        consent_withdrawn_at: time(4)?,
                    })
                })
                .map_err(db_err)?
                .collect::<rusqlite::Result<Vec<_>>>()
                .map_err(db_err)?;
            Ok(rows)
        })
        .await
    }
}

/// The proof of an event is kept five years (R8) after it stopped being the one in force: an
/// event replaced by a later one for the same person, kind and purpose goes five years after
/// the replacement; a withdrawal still in force goes five years after it was made; consent
/// still in force is kept while it is relied on.
pub(super) const PURGE: &str = "DELETE FROM consent_events AS e WHERE e.at_us < ?1 AND (
    EXISTS (SELECT 1 FROM consent_events AS l WHERE l.tenant_id = e.tenant_id
        AND l.subject_id IS e.subject_id AND l.visitor_id IS e.visitor_id AND l.kind = e.kind
        AND l.purpose = e.purpose AND l.seq > e.seq AND l.at_us < ?1)
    OR (e.given = 0 AND NOT EXISTS (SELECT 1 FROM consent_events AS l
        WHERE l.tenant_id = e.tenant_id AND l.subject_id IS e.subject_id
        AND l.visitor_id IS e.visitor_id AND l.kind = e.kind AND l.purpose = e.purpose
        AND l.seq > e.seq)))";
