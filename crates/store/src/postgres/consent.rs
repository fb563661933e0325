//! The consent ledger on PostgreSQL.

use custodian_core::{SubjectId, TenantId};
use deadpool_postgres::GenericClient;
use jiff::Timestamp;
use tokio_postgres::{Row, Transaction};
use uuid::Uuid;

use super::{PgStore, append, pg_err};
use crate::audit::NewAuditEvent;
use crate::consent::{
    ConsentEventRow, ConsentHolder, ConsentScope, ConsentText, NewConsentEvent, SubjectStops,
};
use crate::{Result, StoreError, from_micros, micros};

const COLUMNS: &str = "seq, id, tenant_id, subject_id, visitor_id, kind, purpose, given, method, \
    action, text_hash, text_version, policy_version, locale, at_us, recorded_at_us, ip_prefix, \
    gpc, gpc_source, actor";

fn event(r: &Row) -> Result<ConsentEventRow> {
    let subject: Option<Uuid> = r.get(3);
    let visitor: Option<Uuid> = r.get(4);
    let who = match (subject, visitor) {
        (Some(s), _) => ConsentHolder::Subject(SubjectId::from_uuid(s)),
        (None, Some(v)) => ConsentHolder::Visitor(v),
        (None, None) => {
            return Err(StoreError::Database(
                "a consent event names neither a subject nor a visitor".into(),
            ));
        }
    };
    Ok(ConsentEventRow {
        seq: r.get(0),
        event: NewConsentEvent {
            id: r.get(1),
            tenant: TenantId::from_uuid(r.get(2)),
            who,
            kind: r.get(5),
            purpose: r.get(6),
            given: r.get(7),
            method: r.get(8),
            action: r.get(9),
            text_hash: r.get(10),
            text_version: r.get(11),
            policy_version: r.get(12),
            locale: r.get(13),
            at: from_micros(r.get(14))?,
            recorded_at: from_micros(r.get(15))?,
            ip_prefix: r.get(16),
            gpc: r.get(17),
            gpc_source: r.get(18),
            actor: r.get(19),
        },
    })
}

/// Appends events (an id already in the ledger is skipped) and the texts they showed, inside
/// the caller's transaction.
pub(super) async fn insert(
    tx: &Transaction<'_>,
    events: &[NewConsentEvent],
    texts: &[(TenantId, ConsentText, Timestamp)],
) -> Result<()> {
    for (tenant, t, seen) in texts {
        tx.execute(
            "INSERT INTO consent_texts (tenant_id, hash, version, body, first_seen_us)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tenant_id, hash) DO NOTHING",
            &[
                &tenant.as_uuid(),
                &t.hash,
                &t.version,
                &t.body,
                &micros(*seen),
            ],
        )
        .await
        .map_err(pg_err)?;
    }
    if events.is_empty() {
        return Ok(());
    }
    let statement = tx
        .prepare(
            "INSERT INTO consent_events (id, tenant_id, subject_id, visitor_id, kind, purpose, \
             given, method, action, text_hash, text_version, policy_version, locale, at_us, \
             recorded_at_us, ip_prefix, gpc, gpc_source, actor)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
             $18, $19) ON CONFLICT (id) DO NOTHING",
        )
        .await
        .map_err(pg_err)?;
    for e in events {
        let (subject, visitor) = match e.who {
            ConsentHolder::Subject(s) => (Some(s.as_uuid()), None),
            ConsentHolder::Visitor(v) => (None, Some(v)),
        };
        tx.execute(
            &statement,
            &[
                &e.id,
                &e.tenant.as_uuid(),
                &subject,
                &visitor,
                &e.kind,
                &e.purpose,
                &e.given,
                &e.method,
                &e.action,
                &e.text_hash,
                &e.text_version,
                &e.policy_version,
                &e.locale,
                &micros(e.at),
                &micros(e.recorded_at),
                &e.ip_prefix,
                &e.gpc,
                &e.gpc_source,
                &e.actor,
            ],
        )
        .await
        .map_err(pg_err)?;
    }
    Ok(())
}

impl PgStore {
    pub(super) async fn c_append(
        &self,
        events: &[NewConsentEvent],
        texts: &[(TenantId, ConsentText, Timestamp)],
        audit: Option<&NewAuditEvent>,
    ) -> Result<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        insert(&tx, events, texts).await?;
        if let Some(audit) = audit {
            append(&tx, &self.chain_key, audit).await?;
        }
        tx.commit().await.map_err(pg_err)
    }

    pub(super) async fn c_events(
        &self,
        scope: ConsentScope,
        limit: u32,
    ) -> Result<Vec<ConsentEventRow>> {
        let limit = i64::from(limit.clamp(1, 100_000));
        let client = self.client().await?;
        let rows = match scope {
            ConsentScope::After(seq) => client
                .query(
                    &format!(
                        "SELECT {COLUMNS} FROM consent_events WHERE seq > $1 ORDER BY seq LIMIT $2"
                    ),
                    &[&seq, &limit],
                )
                .await,
            ConsentScope::Of(tenant, ConsentHolder::Subject(s)) => {
                client
                    .query(
                        &format!(
                            "SELECT {COLUMNS} FROM consent_events WHERE tenant_id = $1 \
                             AND subject_id = $2 ORDER BY seq LIMIT $3"
                        ),
                        &[&tenant.as_uuid(), &s.as_uuid(), &limit],
                    )
                    .await
            }
            ConsentScope::Of(tenant, ConsentHolder::Visitor(v)) => {
                client
                    .query(
                        &format!(
                            "SELECT {COLUMNS} FROM consent_events WHERE tenant_id = $1 \
                             AND visitor_id = $2 ORDER BY seq LIMIT $3"
                        ),
                        &[&tenant.as_uuid(), &v, &limit],
                    )
                    .await
            }
        }
        .map_err(pg_err)?;
        rows.iter().map(event).collect()
    }

    pub(super) async fn c_text(&self, tenant: TenantId, hash: &str) -> Result<Option<ConsentText>> {
        let row = self
            .client()
            .await?
            .query_opt(
                "SELECT hash, version, body FROM consent_texts WHERE tenant_id = $1 AND hash = $2",
                &[&tenant.as_uuid(), &hash],
            )
            .await
            .map_err(pg_err)?;
        Ok(row.map(|r| ConsentText {
            hash: r.get(0),
            version: r.get(1),
            body: r.get(2),
        }))
    }

    pub(super) async fn c_purge(&self, before: Timestamp, audit: &NewAuditEvent) -> Result<u64> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        let n = tx
            .execute(PURGE, &[&micros(before)])
            .await
            .map_err(pg_err)?;
        if n > 0 {
            append(&tx, &self.chain_key, audit).await?;
        }
        tx.commit().await.map_err(pg_err)?;
        Ok(n)
    }

    pub(super) async fn c_stops(&self) -> Result<Vec<SubjectStops>> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT tenant_id, id, restricted_at_us, objected_at_us, consent_withdrawn_at_us
                 FROM subjects WHERE restricted_at_us IS NOT NULL OR objected_at_us IS NOT NULL
                 OR consent_withdrawn_at_us IS NOT NULL",
                &[],
            )
            .await
            .map_err(pg_err)?;
        rows.iter()
            .map(|r| {
                let time = |i: usize| r.get::<_, Option<i64>>(i).map(from_micros).transpose();
                Ok(SubjectStops {
                    tenant: TenantId::from_uuid(r.get(0)),
                    subject: SubjectId::from_uuid(r.get(1)),
                    restricted_at: time(2)?,
                    objected_at: time(3)?,
                    consent_withdrawn_at: time(4)?,
                })
            })
            .collect()
    }
}

/// See the SQLite twin: an event goes five years after it was replaced, a withdrawal in force
/// five years after it was made, a consent in force never while relied on.
const PURGE: &str = "DELETE FROM consent_events AS e WHERE e.at_us < $1 AND (
    EXISTS (SELECT 1 FROM consent_events AS l WHERE l.tenant_id = e.tenant_id
        AND l.subject_id IS NOT DISTINCT FROM e.subject_id
        AND l.visitor_id IS NOT DISTINCT FROM e.visitor_id AND l.kind = e.kind
        AND l.purpose = e.purpose AND l.seq > e.seq AND l.at_us < $1)
    OR (NOT e.given AND NOT EXISTS (SELECT 1 FROM consent_events AS l
        WHERE l.tenant_id = e.tenant_id AND l.subject_id IS NOT DISTINCT FROM e.subject_id
        AND l.visitor_id IS NOT DISTINCT FROM e.visitor_id AND l.kind = e.kind
        AND l.purpose = e.purpose AND l.seq > e.seq)))";
