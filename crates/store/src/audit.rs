//! The audit chain's records and how each link is sealed.
//!
//! Each event commits to the previous event's seal: `seal = HMAC(chain key, canonical bytes)`,
//! where the canonical bytes include the previous seal. The chain key is derived from the master
//! key, so someone who can write to the database but does not hold the key cannot forge a
//! chain that verifies. Events never hold personal data in clear: targets are ids.

use custodian_core::TenantId;
use hmac::{Hmac, Mac};
use jiff::Timestamp;
use serde::Serialize;
use sha2::Sha256;

/// The key that seals audit events.
#[derive(Clone)]
pub struct ChainKey([u8; 32]);

impl ChainKey {
    /// Wraps key bytes (derived from the master key).
    pub fn new(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }
}

impl std::fmt::Debug for ChainKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ChainKey(***)")
    }
}

/// How an audited action ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// It was done.
    Success,
    /// It was refused (permissions, policy).
    Denied,
    /// It failed.
    Failure,
}

impl Outcome {
    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Denied => "denied",
            Outcome::Failure => "failure",
        }
    }

    /// Reads the stored form.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "success" => Outcome::Success,
            "denied" => Outcome::Denied,
            "failure" => Outcome::Failure,
            _ => return None,
        })
    }
}

/// An event to append.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewAuditEvent {
    /// When it happened.
    pub at: Timestamp,
    /// Who did it (`cli`, `apikey:<id>`, `system`, `staff:<id>`).
    pub actor: String,
    /// What was done (`tenant.create`, `apikey.revoke`, `records.read`).
    pub action: String,
    /// The tenant whose data it concerns.
    pub tenant: Option<TenantId>,
    /// The ids of what it touched.
    pub targets: Vec<String>,
    /// The purpose it served (a policy purpose id).
    pub purpose: Option<String>,
    /// How it ended.
    pub outcome: Outcome,
    /// Non-personal detail for the reader (JSON text).
    pub detail: Option<String>,
}

/// A stored event with its place in the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEvent {
    /// Its position, from 1, without gaps.
    pub seq: i64,
    /// What was recorded.
    #[serde(flatten)]
    pub event: NewAuditEvent,
    /// The seal of the event before it (zeros for the first).
    #[serde(serialize_with = "hex_bytes")]
    pub prev_hash: Vec<u8>,
    /// Its own seal.
    #[serde(serialize_with = "hex_bytes")]
    pub hash: Vec<u8>,
}

fn hex_bytes<S: serde::Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
    let text: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    s.serialize_str(&text)
}

/// The newest link of the chain, stored apart from the events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainHead {
    /// The newest event's position (0 when empty).
    pub seq: i64,
    /// The newest event's seal (zeros when empty).
    pub hash: Vec<u8>,
}

/// Which events to read.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Only events after this position.
    pub after_seq: i64,
    /// At most this many (capped at 10 000).
    pub limit: u32,
    /// Only this tenant's events.
    pub tenant: Option<TenantId>,
    /// Only events whose actor starts with this (`account:` for people, `account:<id>`).
    pub actor: Option<String>,
    /// Only events whose action starts with this (`records.` or `records.read`).
    pub action: Option<String>,
    /// Only events at or after this time.
    pub since: Option<Timestamp>,
    /// Only events before this time.
    pub until: Option<Timestamp>,
    /// Only events that ended so.
    pub outcome: Option<Outcome>,
}

impl AuditFilter {
    /// The limit actually applied.
    pub fn effective_limit(&self) -> i64 {
        i64::from(self.limit.clamp(1, 10_000))
    }
}

/// The seal of the first event's predecessor.
pub const GENESIS: [u8; 32] = [0; 32];

fn field(mac: &mut Hmac<Sha256>, bytes: &[u8]) {
    mac.update(&(bytes.len() as u64).to_be_bytes());
    mac.update(bytes);
}

fn optional(mac: &mut Hmac<Sha256>, value: Option<&str>) {
    match value {
        Some(v) => {
            mac.update(&[1]);
            field(mac, v.as_bytes());
        }
        None => mac.update(&[0]),
    }
}

/// The seal of event `seq` with content `event`, following `prev_hash`.
pub fn seal(key: &ChainKey, seq: i64, prev_hash: &[u8], event: &NewAuditEvent) -> Vec<u8> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key.0)
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(b"custodian audit v1\0");
    field(&mut mac, prev_hash);
    mac.update(&seq.to_be_bytes());
    mac.update(&event.at.as_microsecond().to_be_bytes());
    field(&mut mac, event.actor.as_bytes());
    field(&mut mac, event.action.as_bytes());
    optional(&mut mac, event.tenant.map(|t| t.to_string()).as_deref());
    mac.update(&(event.targets.len() as u64).to_be_bytes());
    for target in &event.targets {
        field(&mut mac, target.as_bytes());
    }
    optional(&mut mac, event.purpose.as_deref());
    field(&mut mac, event.outcome.as_str().as_bytes());
    optional(&mut mac, event.detail.as_deref());
    mac.finalize().into_bytes().to_vec()
}

/// Why a chain does not verify, at its first broken link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Break {
    /// An event is missing: `expected` was not found where it should be.
    Missing {
        /// The position that should have come next.
        expected: i64,
        /// The position found instead.
        found: i64,
    },
    /// The event does not follow its predecessor (inserted, reordered, or its predecessor was
    /// replaced).
    NotLinked {
        /// The event's position.
        seq: i64,
    },
    /// The event's content does not match its seal (edited).
    Edited {
        /// The event's position.
        seq: i64,
    },
    /// The stored head names events that are gone (the newest were deleted), or a different
    /// newest event.
    HeadMismatch {
        /// The head's position.
        head_seq: i64,
        /// The last event actually found.
        last_seq: i64,
    },
}

impl std::fmt::Display for Break {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Break::Missing { expected, found } => write!(
                f,
                "event {expected} is missing (the next event found is {found}): events were deleted"
            ),
            Break::NotLinked { seq } => write!(
                f,
                "event {seq} does not follow event {}: an event was inserted, reordered or replaced",
                seq - 1
            ),
            Break::Edited { seq } => write!(f, "event {seq} was altered after it was written"),
            Break::HeadMismatch { head_seq, last_seq } => write!(
                f,
                "the chain head records event {head_seq} as the newest, but the newest event is \
                 {last_seq}: events were deleted or replaced at the end"
            ),
        }
    }
}

/// Checks events in chain order, page by page. Feed every event to [`Verifier::next`], then call
/// [`Verifier::finish`] with the stored head.
#[derive(Debug)]
pub struct Verifier<'k> {
    key: &'k ChainKey,
    expected_seq: i64,
    prev: Vec<u8>,
    broken: Option<Break>,
    checked: u64,
}

impl<'k> Verifier<'k> {
    /// A verifier at the start of the chain.
    pub fn new(key: &'k ChainKey) -> Self {
        Self {
            key,
            expected_seq: 1,
            prev: GENESIS.to_vec(),
            broken: None,
            checked: 0,
        }
    }

    /// Checks the next event; returns `false` once the chain is broken.
    pub fn next(&mut self, event: &AuditEvent) -> bool {
        if self.broken.is_some() {
            return false;
        }
        self.checked += 1;
        if event.seq != self.expected_seq {
            self.broken = Some(if event.seq > self.expected_seq {
                Break::Missing {
                    expected: self.expected_seq,
                    found: event.seq,
                }
            } else {
                Break::NotLinked { seq: event.seq }
            });
            return false;
        }
        if event.prev_hash != self.prev {
            self.broken = Some(Break::NotLinked { seq: event.seq });
            return false;
        }
        if seal(self.key, event.seq, &event.prev_hash, &event.event) != event.hash {
            self.broken = Some(Break::Edited { seq: event.seq });
            return false;
        }
        self.prev = event.hash.clone();
        self.expected_seq += 1;
        true
    }

    /// The verdict: the number of events checked, or the first break.
    pub fn finish(mut self, head: &ChainHead) -> Result<u64, Break> {
        if self.broken.is_none() {
            let last_seq = self.expected_seq - 1;
            if head.seq != last_seq || head.hash != self.prev {
                self.broken = Some(Break::HeadMismatch {
                    head_seq: head.seq,
                    last_seq,
                });
            }
        }
        match self.broken {
            Some(b) => Err(b),
            None => Ok(self.checked),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(action: &str) -> NewAuditEvent {
        NewAuditEvent {
            at: Timestamp::from_second(1_700_000_000).unwrap(),
            actor: "cli".into(),
            action: action.into(),
            tenant: None,
            targets: vec!["t1".into()],
            purpose: None,
            outcome: Outcome::Success,
            detail: None,
        }
    }

    fn chain(key: &ChainKey, n: i64) -> Vec<AuditEvent> {
        let mut prev = GENESIS.to_vec();
        (1..=n)
            .map(|seq| {
                let e = event(&format!("a{seq}"));
                let hash = seal(key, seq, &prev, &e);
                let stored = AuditEvent {
                    seq,
                    event: e,
                    prev_hash: prev.clone(),
                    hash: hash.clone(),
                };
                prev = hash;
                stored
            })
            .collect()
    }

    fn verify(key: &ChainKey, events: &[AuditEvent], head: &ChainHead) -> Result<u64, Break> {
        let mut v = Verifier::new(key);
        for e in events {
            v.next(e);
        }
        v.finish(head)
    }

    #[test]
    fn a_whole_chain_verifies_and_every_kind_of_tampering_is_named() {
        let key = ChainKey::new([7; 32]);
        let events = chain(&key, 5);
        let head = ChainHead {
            seq: 5,
            hash: events[4].hash.clone(),
        };
        assert_eq!(verify(&key, &events, &head), Ok(5));

        let mut edited = events.clone();
        edited[2].event.action = "other".into();
        assert_eq!(verify(&key, &edited, &head), Err(Break::Edited { seq: 3 }));

        let mut deleted = events.clone();
        deleted.remove(1);
        assert_eq!(
            verify(&key, &deleted, &head),
            Err(Break::Missing {
                expected: 2,
                found: 3
            })
        );

        let mut reordered = events.clone();
        reordered.swap(1, 2);
        reordered[1].seq = 2;
        reordered[2].seq = 3;
        assert_eq!(
            verify(&key, &reordered, &head),
            Err(Break::NotLinked { seq: 2 })
        );

        let truncated = &events[..4];
        assert_eq!(
            verify(&key, truncated, &head),
            Err(Break::HeadMismatch {
                head_seq: 5,
                last_seq: 4
            })
        );

        let forged_key = ChainKey::new([8; 32]);
        assert_eq!(
            verify(&forged_key, &events, &head),
            Err(Break::Edited { seq: 1 })
        );
    }
}
