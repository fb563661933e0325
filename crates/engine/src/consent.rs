//! Consent: the ledger of choices with their proof (what was shown, how, when, from where),
//! the state it folds into for checks at memory speed, and the processing gate.
//!
//! The ledger in the store is the truth. Every process folds it into a [`ConsentBook`] when it
//! first needs it and then follows it by position ([`Engine::follow_consents`]), so replicas
//! sharing a database agree within one follow interval; a process's own writes apply at once.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex, RwLock};

use custodian_core::{SubjectId, TenantId};
use custodian_policy::PolicyVersion;
use custodian_policy::model::{EndingEvent, LegalBasisKind};
use custodian_store::{
    ConsentEventRow, ConsentHolder, ConsentScope, ConsentText, IdentifierLink, NewAuditEvent,
    NewConsentEvent, NewSubject, Outcome, RecordBatch,
};
use custodian_vault::BlindIndexKey;
use jiff::Timestamp;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::identifiers::Identifier;
use crate::{Actor, Engine, EngineError, Principal, Scope};

/// The longest consent text kept, in bytes.
pub const MAX_TEXT: usize = 8 * 1024;

/// How a person can give or withdraw consent through the API.
pub const API_METHODS: [&str; 6] = [
    "api",
    "checkbox",
    "form",
    "support",
    "account-manager",
    "preference-centre",
];

/// What a consent check answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Decision {
    /// Whether the processing may go ahead.
    pub allowed: bool,
    /// The legal basis it rests on, when allowed (`consent`, `legitimate-interest`, …).
    pub basis: Option<&'static str>,
    /// Why: `consent`, `legitimate-interest`, `contract`, `legal-obligation`, `always-on`
    /// (allowed); `restricted`, `objected`, `withdrawn`, `no-consent`, `prospect`, `blocked`
    /// (refused).
    pub reason: &'static str,
    /// Since when that holds (the event that decided), if an event did.
    #[serde(with = "optional_micros")]
    pub since: Option<i64>,
}

mod optional_micros {
    use serde::Serializer;

    pub fn serialize<S: Serializer>(v: &Option<i64>, s: S) -> Result<S::Ok, S::Error> {
        match v.and_then(|us| jiff::Timestamp::from_microsecond(us).ok()) {
            Some(t) => s.serialize_some(&t.to_string()),
            None => s.serialize_none(),
        }
    }
}

impl Decision {
    const fn allow(basis: &'static str, since: Option<i64>) -> Self {
        Self {
            allowed: true,
            basis: Some(basis),
            reason: basis,
            since,
        }
    }

    const fn deny(reason: &'static str, since: Option<i64>) -> Self {
        Self {
            allowed: false,
            basis: None,
            reason,
            since,
        }
    }
}

/// A purpose (or cookie category) as the book knows it: an interned key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PurposeKey(u16);

/// How a purpose may be processed, from the policy in force.
#[derive(Debug, Clone, Copy)]
enum Rule {
    /// A purpose of the policy.
    Purpose {
        consent: bool,
        legitimate_interest: bool,
        /// The basis when neither consent nor legitimate interest (contract, legal duty).
        other: Option<&'static str>,
        /// Legitimate interest only for holders of this product (a relationship key).
        holders_of: Option<PurposeKey>,
    },
    /// A cookie category of the banner.
    Cookie(CookieRule),
    /// A relationship (holding a product) or anything else the ledger names.
    Other,
}

#[derive(Debug, Clone, Copy)]
enum CookieRule {
    AlwaysOn,
    OptIn,
    Blocked,
}

/// One choice as the book keeps it: the newest per purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Mark {
    at: i64,
    /// The high half of the event's id (time-ordered): between choices made at the same
    /// moment, the one recorded later wins.
    id: u64,
    key: PurposeKey,
    given: bool,
}

/// A stop that can be lifted: on or off since a time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Switch {
    on: bool,
    at: Option<i64>,
    id: u64,
}

impl Switch {
    fn apply(&mut self, on: bool, at: i64, id: u64) {
        // The newer wins; at the same moment, the one recorded (or applied) later.
        let newer = match self.at {
            None => true,
            Some(t) => (at, id) >= (t, self.id),
        };
        if newer {
            *self = Switch {
                on,
                at: Some(at),
                id,
            };
        }
    }
}

/// The stops of a person: rare, so kept apart from the choices that every check reads.
#[derive(Debug, Clone, Default)]
struct Stops {
    restricted: Switch,
    objected: Switch,
    /// Every consent withdrawn (a rights request), since (time, event id).
    withdrawn_all: Option<(i64, u64)>,
}

/// Everything the book knows of one person or browser: 64 bytes, its choices inline, so that
/// a check touches one slot of the table.
#[derive(Debug, Clone, Default)]
struct Entry {
    marks: smallvec::SmallVec<[Mark; 2]>,
    stops: Option<Box<Stops>>,
}

impl Entry {
    fn mark(&self, key: PurposeKey) -> Option<Mark> {
        self.marks.iter().find(|m| m.key == key).copied()
    }

    fn stops(&mut self) -> &mut Stops {
        self.stops.get_or_insert_with(Box::default)
    }

    fn restricted(&self) -> Option<&Switch> {
        self.stops.as_ref().map(|s| &s.restricted).filter(|s| s.on)
    }

    fn objected(&self) -> Option<&Switch> {
        self.stops.as_ref().map(|s| &s.objected).filter(|s| s.on)
    }

    fn withdrawn_all(&self) -> Option<(i64, u64)> {
        self.stops.as_ref().and_then(|s| s.withdrawn_all)
    }

    fn set(&mut self, key: PurposeKey, given: bool, at: i64, id: u64) {
        match self.marks.iter_mut().find(|m| m.key == key) {
            Some(m) => {
                if (at, id) >= (m.at, m.id) {
                    m.given = given;
                    m.at = at;
                    m.id = id;
                }
            }
            None => self.marks.push(Mark { key, given, at, id }),
        }
    }
}

/// The purposes the book has seen, interned, with the rules of the policy in force.
#[derive(Debug, Default)]
struct Names {
    keys: FxHashMap<String, PurposeKey>,
    names: Vec<String>,
    rules: Vec<Rule>,
}

impl Names {
    fn key(&mut self, name: &str) -> PurposeKey {
        if let Some(k) = self.keys.get(name) {
            return *k;
        }
        let k = PurposeKey(u16::try_from(self.names.len()).unwrap_or(u16::MAX));
        self.keys.insert(name.to_string(), k);
        self.names.push(name.to_string());
        self.rules.push(Rule::Other);
        k
    }

    /// The key an event's choice is filed under, interned.
    fn event_key(&mut self, e: &NewConsentEvent) -> Option<PurposeKey> {
        match e.kind.as_str() {
            "consent" if e.purpose != "*" => Some(self.key(&e.purpose)),
            "relationship" => Some(self.key(&format!("holder:{}", e.purpose))),
            _ => None,
        }
    }
}

/// One shard of the book: the people and browsers whose id falls in it, and a copy of the
/// rules (so that a check takes one lock, that of its shard).
#[derive(Debug, Default)]
struct BookState {
    rules: Vec<Rule>,
    people: FxHashMap<(TenantId, SubjectId), Entry>,
    visitors: FxHashMap<(TenantId, Uuid), Entry>,
}

/// How many shards: checks on different cores rarely meet on one lock.
const SHARDS: usize = 64;

/// A shard on cache lines of its own.
#[derive(Debug, Default)]
#[repr(align(128))]
struct Padded(RwLock<BookState>);

fn shard_of(id: Uuid) -> usize {
    // Ids are random (v4) or end in random bits (v7).
    (id.as_u128() as usize) % SHARDS
}

fn holder_shard(who: &ConsentHolder) -> usize {
    match who {
        ConsentHolder::Subject(s) => shard_of(s.as_uuid()),
        ConsentHolder::Visitor(v) => shard_of(*v),
    }
}

impl BookState {
    fn apply(&mut self, e: &NewConsentEvent, key: Option<PurposeKey>) {
        let at = e.at.as_microsecond();
        let id = (e.id.as_u128() >> 64) as u64;
        let relation = key.filter(|_| e.kind == "relationship");
        let key = key.filter(|_| e.kind == "consent");
        let entry = match e.who {
            ConsentHolder::Subject(s) => self.people.entry((e.tenant, s)).or_default(),
            ConsentHolder::Visitor(v) => self.visitors.entry((e.tenant, v)).or_default(),
        };
        match e.kind.as_str() {
            "restriction" => entry.stops().restricted.apply(e.given, at, id),
            "objection" => entry.stops().objected.apply(e.given, at, id),
            "relationship" => {
                if let Some(k) = relation {
                    entry.set(k, e.given, at, id);
                }
            }
            _ => match key {
                Some(k) => entry.set(k, e.given, at, id),
                None if !e.given => {
                    let stops = entry.stops();
                    stops.withdrawn_all =
                        Some(stops.withdrawn_all.map_or((at, id), |t| t.max((at, id))));
                }
                None => {}
            },
        }
    }

    fn decide(&self, entry: Option<&Entry>, key: PurposeKey) -> Decision {
        self.decide_as(entry, key, None, false)
    }

    /// The decision for a purpose, in general (`basis` none: the best basis the purpose
    /// allows) or for processing that declares one basis; `holder` says the person becomes an
    /// existing customer in the same write.
    fn decide_as(
        &self,
        entry: Option<&Entry>,
        key: PurposeKey,
        basis: Option<LegalBasisKind>,
        holder: bool,
    ) -> Decision {
        let rule = self
            .rules
            .get(usize::from(key.0))
            .copied()
            .unwrap_or(Rule::Other);
        let mark = entry.and_then(|e| e.mark(key));
        let (consent, legitimate_interest, other, holders_of) = match rule {
            Rule::Cookie(CookieRule::AlwaysOn) => return Decision::allow("always-on", None),
            Rule::Cookie(CookieRule::Blocked) => return Decision::deny("blocked", None),
            Rule::Cookie(CookieRule::OptIn) => {
                return match mark {
                    Some(m) if m.given => Decision::allow("consent", Some(m.at)),
                    Some(m) => Decision::deny("withdrawn", Some(m.at)),
                    None => Decision::deny("no-consent", None),
                };
            }
            Rule::Other => return Decision::deny("unknown-purpose", None),
            Rule::Purpose {
                consent,
                legitimate_interest,
                other,
                holders_of,
            } => (consent, legitimate_interest, other, holders_of),
        };
        // A restriction stops everything but what a legal duty requires.
        if let Some(r) = entry.and_then(Entry::restricted)
            && basis != Some(LegalBasisKind::LegalObligation)
        {
            return Decision::deny("restricted", r.at);
        }
        let withdrawn_all = entry.and_then(Entry::withdrawn_all);
        let by_consent = || match mark {
            Some(m) if m.given && withdrawn_all.is_none_or(|w| w < (m.at, m.id)) => {
                Decision::allow("consent", Some(m.at))
            }
            Some(m) if m.given => Decision::deny("withdrawn", withdrawn_all.map(|w| w.0)),
            Some(m) => Decision::deny("withdrawn", Some(m.at)),
            None => Decision::deny("no-consent", None),
        };
        let by_interest = || {
            if let Some(m) = mark
                && !m.given
            {
                return Decision::deny("withdrawn", Some(m.at));
            }
            if let Some(o) = entry.and_then(Entry::objected) {
                return Decision::deny("objected", o.at);
            }
            match holders_of {
                None => Decision::allow("legitimate-interest", None),
                Some(_) if holder => Decision::allow("legitimate-interest", None),
                Some(h) => match entry.and_then(|e| e.mark(h)) {
                    Some(m) if m.given => Decision::allow("legitimate-interest", Some(m.at)),
                    _ => Decision::deny("prospect", None),
                },
            }
        };
        match basis {
            Some(LegalBasisKind::Consent) => by_consent(),
            Some(LegalBasisKind::LegitimateInterest) => by_interest(),
            Some(LegalBasisKind::LegalObligation) => Decision::allow("legal-obligation", None),
            Some(_) => Decision::allow(other.unwrap_or("contract"), None),
            None if consent || legitimate_interest => {
                let c = if consent {
                    by_consent()
                } else {
                    Decision::deny("no-consent", None)
                };
                if c.allowed || !legitimate_interest {
                    return c;
                }
                let li = by_interest();
                // A refusal says the most telling reason: an explicit withdrawal first.
                if li.allowed || c.reason == "withdrawn" || li.reason != "prospect" {
                    li
                } else {
                    c
                }
            }
            None => Decision::allow(other.unwrap_or("contract"), None),
        }
    }
}

/// Where the book is in the ledger: the highest position applied, and the positions below it
/// not seen yet (a writer that took a position may commit after a later one), each with when
/// it was first missed; a gap older than [`GAP_PATIENCE_US`] is given up (a rolled-back write).
#[derive(Debug, Default)]
struct Cursor {
    high: i64,
    gaps: BTreeMap<i64, i64>,
}

/// How long a missing ledger position is waited for, in microseconds.
const GAP_PATIENCE_US: i64 = 60_000_000;
/// The most missing positions remembered.
const MAX_GAPS: usize = 10_000;

/// The consent state of every tenant, folded from the ledger.
#[derive(Debug)]
pub struct ConsentBook {
    names: RwLock<Names>,
    shards: Box<[Padded]>,
    cursor: Mutex<Cursor>,
    /// The policy version whose rules the book holds.
    rules_of: Mutex<String>,
}

impl Default for ConsentBook {
    fn default() -> Self {
        Self {
            names: RwLock::default(),
            shards: (0..SHARDS).map(|_| Padded::default()).collect(),
            cursor: Mutex::default(),
            rules_of: Mutex::default(),
        }
    }
}

impl ConsentBook {
    fn shard(&self, id: Uuid) -> std::sync::RwLockReadGuard<'_, BookState> {
        self.shards[shard_of(id)]
            .0
            .read()
            .unwrap_or_else(|e| e.into_inner())
    }

    /// The key of a purpose (`promote-services`) or cookie category (`cookie:marketing`), if
    /// the policy in force declares it.
    pub fn key(&self, purpose: &str) -> Option<PurposeKey> {
        let names = self.names.read().unwrap_or_else(|e| e.into_inner());
        let k = names.keys.get(purpose).copied()?;
        match names.rules.get(usize::from(k.0)) {
            Some(Rule::Other) | None => None,
            Some(_) => Some(k),
        }
    }

    /// Whether `subject` of `tenant` may be processed for the purpose: memory only.
    pub fn check(&self, tenant: TenantId, subject: SubjectId, key: PurposeKey) -> Decision {
        let state = self.shard(subject.as_uuid());
        state.decide(state.people.get(&(tenant, subject)), key)
    }

    /// Whether the browser with this consent id accepted the cookie category.
    pub fn check_visitor(&self, tenant: TenantId, visitor: Uuid, key: PurposeKey) -> Decision {
        let state = self.shard(visitor);
        state.decide(state.visitors.get(&(tenant, visitor)), key)
    }

    /// The decision for processing that declares a basis (the ingest gate); `holder` says
    /// the person becomes an existing customer in the same write.
    pub(crate) fn gate(
        &self,
        tenant: TenantId,
        subject: SubjectId,
        key: PurposeKey,
        basis: Option<LegalBasisKind>,
        holder: bool,
    ) -> Decision {
        let state = self.shard(subject.as_uuid());
        state.decide_as(state.people.get(&(tenant, subject)), key, basis, holder)
    }

    /// Whether the subject holds `product` (an existing customer, for legitimate interest).
    pub(crate) fn holds(&self, tenant: TenantId, subject: SubjectId, product: &str) -> bool {
        let Some(k) = self
            .names
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .keys
            .get(&format!("holder:{product}"))
            .copied()
        else {
            return false;
        };
        self.shard(subject.as_uuid())
            .people
            .get(&(tenant, subject))
            .and_then(|e| e.mark(k))
            .is_some_and(|m| m.given)
    }

    /// Applies events (idempotent: the newest choice per purpose wins, whatever the order).
    pub(crate) fn apply(&self, events: &[NewConsentEvent]) {
        let keyed: Vec<(usize, Option<PurposeKey>, &NewConsentEvent)> = {
            let mut names = self.names.write().unwrap_or_else(|e| e.into_inner());
            events
                .iter()
                .map(|e| (holder_shard(&e.who), names.event_key(e), e))
                .collect()
        };
        let mut order: Vec<usize> = (0..keyed.len()).collect();
        // Each shard once, its events in their order.
        order.sort_by_key(|i| keyed[*i].0);
        let mut i = 0;
        while i < order.len() {
            let shard = keyed[order[i]].0;
            let mut state = self.shards[shard]
                .0
                .write()
                .unwrap_or_else(|e| e.into_inner());
            while i < order.len() && keyed[order[i]].0 == shard {
                let (_, key, e) = keyed[order[i]];
                state.apply(e, key);
                i += 1;
            }
        }
    }

    /// How many people and browsers the book holds.
    pub fn len(&self) -> (usize, usize) {
        self.shards.iter().fold((0, 0), |(p, v), s| {
            let state = s.0.read().unwrap_or_else(|e| e.into_inner());
            (p + state.people.len(), v + state.visitors.len())
        })
    }

    /// Whether the book holds nobody.
    pub fn is_empty(&self) -> bool {
        self.len() == (0, 0)
    }

    /// Sets the rules of the policy version in force (again, when another took over).
    fn set_rules(&self, v: &PolicyVersion) {
        let mut rules_of = self.rules_of.lock().unwrap_or_else(|e| e.into_inner());
        if *rules_of == v.label {
            return;
        }
        let mut state = self.names.write().unwrap_or_else(|e| e.into_inner());
        for r in state.rules.iter_mut() {
            *r = Rule::Other;
        }
        let kind_of = |id: &str| {
            v.legal_basis
                .iter()
                .find(|b| b.id.as_str() == id)
                .map(|b| b.kind)
        };
        for p in &v.purpose {
            let kinds: Vec<LegalBasisKind> = p
                .legal_bases
                .iter()
                .filter_map(|b| kind_of(b.as_str()))
                .collect();
            let other = kinds.iter().find_map(|k| match k {
                LegalBasisKind::Contract => Some("contract"),
                LegalBasisKind::LegalObligation => Some("legal-obligation"),
                LegalBasisKind::VitalInterests => Some("vital-interests"),
                LegalBasisKind::PublicTask => Some("public-task"),
                _ => None,
            });
            let holders_of = p
                .legitimate_interest_for
                .as_ref()
                .map(|product| state.key(&format!("holder:{}", product.as_str())));
            let key = state.key(p.id.as_str());
            state.rules[usize::from(key.0)] = Rule::Purpose {
                consent: kinds.contains(&LegalBasisKind::Consent),
                legitimate_interest: kinds.contains(&LegalBasisKind::LegitimateInterest),
                other,
                holders_of,
            };
        }
        for c in &v.cookie_category {
            let key = state.key(&format!("cookie:{}", c.id.as_str()));
            state.rules[usize::from(key.0)] = Rule::Cookie(match c.consent {
                custodian_policy::model::CookieConsent::AlwaysOn => CookieRule::AlwaysOn,
                custodian_policy::model::CookieConsent::OptIn
                | custodian_policy::model::CookieConsent::OptOut => CookieRule::OptIn,
                custodian_policy::model::CookieConsent::Blocked => CookieRule::Blocked,
            });
        }
        for shard in self.shards.iter() {
            shard.0.write().unwrap_or_else(|e| e.into_inner()).rules = state.rules.clone();
        }
        *rules_of = v.label.clone();
    }

    /// Takes ledger rows read from the store: applies them and moves the cursor, remembering
    /// positions skipped over.
    fn absorb(&self, rows: &[ConsentEventRow], now_us: i64) {
        if rows.is_empty() {
            return;
        }
        let events: Vec<NewConsentEvent> = rows.iter().map(|r| r.event.clone()).collect();
        self.apply(&events);
        let mut cursor = self.cursor.lock().unwrap_or_else(|e| e.into_inner());
        for r in rows {
            if r.seq > cursor.high {
                for missing in (cursor.high + 1)..r.seq {
                    if cursor.gaps.len() >= MAX_GAPS {
                        break;
                    }
                    cursor.gaps.insert(missing, now_us);
                }
                cursor.high = r.seq;
            } else {
                cursor.gaps.remove(&r.seq);
            }
        }
    }

    /// Where to read the ledger from next: below the oldest gap still waited for.
    fn floor(&self, now_us: i64) -> i64 {
        let mut cursor = self.cursor.lock().unwrap_or_else(|e| e.into_inner());
        cursor
            .gaps
            .retain(|_, first_missed| now_us - *first_missed < GAP_PATIENCE_US);
        match cursor.gaps.keys().next() {
            Some(first) => first - 1,
            None => cursor.high,
        }
    }
}

/// Consent to record, as the API receives it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsentInput {
    /// The person, by subject id …
    pub subject: Option<SubjectId>,
    /// … or by identifiers (`{"email": "…"}`); a person not yet known is filed.
    #[serde(default)]
    pub identifiers: BTreeMap<String, String>,
    /// The purpose (a policy purpose id).
    pub purpose: String,
    /// Given (`true`) or withdrawn / opted out (`false`).
    pub given: bool,
    /// How the choice was made: `api` (default), `checkbox`, `form`, `support`,
    /// `account-manager`, `preference-centre`.
    pub method: Option<String>,
    /// The exact words shown; without them the policy's own consent text in `locale` is the
    /// proof.
    pub text: Option<String>,
    /// The version of those words (required with `text`).
    pub text_version: Option<String>,
    /// The language shown (a policy locale; default `en`).
    pub locale: Option<String>,
    /// The address the choice came from (kept truncated: IPv4 /24, IPv6 /48).
    pub ip: Option<String>,
    /// When the person chose (default now; never in the future).
    pub at: Option<Timestamp>,
}

/// Consent sent with a record: given for the record's purpose, with its proof.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct InlineConsent {
    /// The exact words shown; without them the policy's own consent text in `locale`.
    pub text: Option<String>,
    /// The version of those words (required with `text`).
    pub text_version: Option<String>,
    /// The language shown (default `en`).
    pub locale: Option<String>,
    /// How: `checkbox` (default), `form`, `api`, `support`, `account-manager`.
    pub method: Option<String>,
    /// The address the choice came from (kept truncated).
    pub ip: Option<String>,
    /// When the person chose (default: the record's time).
    pub at: Option<Timestamp>,
}

/// What recording a choice stored.
#[derive(Debug, Clone, Serialize)]
pub struct ConsentReceipt {
    /// The ledger event.
    pub id: Uuid,
    /// The person.
    pub subject: SubjectId,
    /// The purpose.
    pub purpose: String,
    /// Given or withdrawn.
    pub given: bool,
    /// How.
    pub method: String,
    /// When the person chose.
    pub at: Timestamp,
    /// The hash of the words shown, if any.
    pub text_hash: Option<String>,
    /// Their version.
    pub text_version: Option<String>,
    /// What a check answers now.
    pub decision: Decision,
}

/// One event of a person's or browser's history, as the API shows it.
#[derive(Debug, Clone, Serialize)]
pub struct ConsentEventView {
    /// Its id.
    pub id: Uuid,
    /// `consent`, `restriction`, `objection`, `relationship`.
    pub kind: String,
    /// The purpose, `cookie:<category>`, `*` or the product held.
    pub purpose: String,
    /// Given or withdrawn.
    pub given: bool,
    /// How.
    pub method: String,
    /// The banner's action.
    pub action: Option<String>,
    /// The hash of the words shown.
    pub text_hash: Option<String>,
    /// Their version.
    pub text_version: Option<String>,
    /// The words themselves, when kept.
    pub text: Option<String>,
    /// The policy version in force (for a banner choice, the banner's revision).
    pub policy_version: String,
    /// The banner's revision, for a choice made in the banner.
    pub revision: Option<String>,
    /// The language shown.
    pub locale: Option<String>,
    /// When the choice was made.
    pub at: Timestamp,
    /// When it was recorded.
    pub recorded_at: Timestamp,
    /// The network it came from (truncated).
    pub ip_prefix: Option<String>,
    /// A Global Privacy Control signal was present.
    pub gpc: bool,
    /// From the header or the page.
    pub gpc_source: Option<String>,
    /// Who recorded it.
    pub actor: String,
}

/// The sha-256 of a text, hex.
pub fn text_hash(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// An address truncated to its network: IPv4 /24, IPv6 /48.
pub fn ip_prefix(ip: &str) -> Result<String, String> {
    match ip.trim().parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(a)) => {
            let [x, y, z, _] = a.octets();
            Ok(format!("{x}.{y}.{z}.0/24"))
        }
        Ok(std::net::IpAddr::V6(a)) => {
            let s = a.segments();
            Ok(format!("{:x}:{:x}:{:x}::/48", s[0], s[1], s[2]))
        }
        Err(_) => Err(format!("`{ip}` is not an IP address")),
    }
}

fn view(row: &ConsentEventRow, text: Option<String>) -> ConsentEventView {
    let e = &row.event;
    ConsentEventView {
        id: e.id,
        kind: e.kind.clone(),
        purpose: e.purpose.clone(),
        given: e.given,
        method: e.method.clone(),
        action: e.action.clone(),
        text_hash: e.text_hash.clone(),
        text_version: e.text_version.clone(),
        text,
        policy_version: e.policy_version.clone(),
        revision: e
            .purpose
            .starts_with("cookie:")
            .then(|| e.policy_version.clone()),
        locale: e.locale.clone(),
        at: e.at,
        recorded_at: e.recorded_at,
        ip_prefix: e.ip_prefix.clone(),
        gpc: e.gpc,
        gpc_source: e.gpc_source.clone(),
        actor: e.actor.clone(),
    }
}

/// Consent given with a record, checked on the ingest's worker.
#[derive(Debug, Clone)]
pub(crate) struct PreparedConsent {
    pub text: Option<ConsentText>,
    pub method: String,
    pub at: Timestamp,
    pub locale: Option<String>,
    pub ip_prefix: Option<String>,
}

impl PreparedConsent {
    /// The ledger event of this consent for `subject`.
    pub(crate) fn event(
        &self,
        tenant: TenantId,
        subject: SubjectId,
        purpose: &str,
        policy_version: &str,
        principal: &Principal,
        now: Timestamp,
    ) -> NewConsentEvent {
        NewConsentEvent {
            id: Uuid::now_v7(),
            tenant,
            who: ConsentHolder::Subject(subject),
            kind: "consent".into(),
            purpose: purpose.to_string(),
            given: true,
            method: self.method.clone(),
            action: None,
            text_hash: self.text.as_ref().map(|t| t.hash.clone()),
            text_version: self.text.as_ref().map(|t| t.version.clone()),
            policy_version: policy_version.to_string(),
            locale: self.locale.clone(),
            at: self.at,
            recorded_at: now,
            ip_prefix: self.ip_prefix.clone(),
            gpc: false,
            gpc_source: None,
            actor: principal.actor().to_string(),
        }
    }
}

/// The words shown and the proof they make, checked.
pub(crate) struct Shown {
    pub text: Option<ConsentText>,
    pub locale: Option<String>,
}

impl Engine {
    /// The consent book, folded from the ledger on first use.
    pub async fn consents(&self) -> Result<&ConsentBook, EngineError> {
        let book = self
            .consent_book
            .get_or_try_init(|| async {
                let book = ConsentBook::default();
                book.set_rules(self.policy_version()?);
                for stops in self.store.processing_stops().await? {
                    let mut events = Vec::new();
                    let mut push = |kind: &str, purpose: &str, at: Option<Timestamp>| {
                        if let Some(at) = at {
                            events.push(NewConsentEvent {
                                id: Uuid::nil(),
                                tenant: stops.tenant,
                                who: ConsentHolder::Subject(stops.subject),
                                kind: kind.into(),
                                purpose: purpose.into(),
                                given: kind != "consent",
                                method: "rights-request".into(),
                                action: None,
                                text_hash: None,
                                text_version: None,
                                policy_version: String::new(),
                                locale: None,
                                at,
                                recorded_at: at,
                                ip_prefix: None,
                                gpc: false,
                                gpc_source: None,
                                actor: String::new(),
                            });
                        }
                    };
                    push("restriction", "*", stops.restricted_at);
                    push("objection", "*", stops.objected_at);
                    push("consent", "*", stops.consent_withdrawn_at);
                    book.apply(&events);
                }
                self.read_ledger(&book).await?;
                Ok::<_, EngineError>(book)
            })
            .await?;
        // The policy in force is the process's own (`current` of the manifest): its rules
        // were set when the book was folded.
        Ok(book)
    }

    /// Reads the ledger from the book's floor to its end.
    async fn read_ledger(&self, book: &ConsentBook) -> Result<usize, EngineError> {
        const PAGE: u32 = 20_000;
        let mut applied = 0;
        let now = self.clock.now().as_microsecond();
        let mut from = book.floor(now);
        loop {
            let rows = self
                .store
                .consent_events(ConsentScope::After(from), PAGE)
                .await?;
            let Some(last) = rows.last().map(|r| r.seq) else {
                break;
            };
            applied += rows.len();
            book.absorb(&rows, now);
            from = last;
            if rows.len() < PAGE as usize {
                break;
            }
        }
        Ok(applied)
    }

    /// Applies what other processes appended to the ledger since the last call: how many
    /// events. `serve` calls it every half second.
    pub async fn follow_consents(&self) -> Result<usize, EngineError> {
        let book = self.consents().await?;
        self.read_ledger(book).await
    }

    /// Checks the purpose against the policy in force: declared, and one that consent (or an
    /// opt-out of a legitimate interest, and an opt-in after it) can rest on.
    fn consent_purpose<'v>(
        v: &'v PolicyVersion,
        purpose: &str,
    ) -> Result<&'v custodian_policy::model::Purpose, EngineError> {
        let p = v
            .purpose
            .iter()
            .find(|p| p.id.as_str() == purpose)
            .ok_or_else(|| EngineError::Invalid {
                field: "purpose",
                message: format!(
                    "`{purpose}` is not a purpose of the policy in force ({}); the purposes that rest on consent are: {}",
                    v.label,
                    consent_purposes(v).join(", ")
                ),
            })?;
        let kinds: Vec<LegalBasisKind> = p
            .legal_bases
            .iter()
            .filter_map(|b| v.legal_basis.iter().find(|l| l.id.as_str() == b.as_str()))
            .map(|l| l.kind)
            .collect();
        let consent = kinds.contains(&LegalBasisKind::Consent);
        let li = kinds.contains(&LegalBasisKind::LegitimateInterest);
        if !consent && !li {
            return Err(EngineError::Invalid {
                field: "purpose",
                message: format!(
                    "`{purpose}` rests on neither consent nor legitimate interest, so there is no consent to give or withdraw; the purposes that rest on consent are: {}",
                    consent_purposes(v).join(", ")
                ),
            });
        }
        Ok(p)
    }

    /// The words shown for a choice: the caller's (with their version), or the policy's own
    /// consent text in the locale; none for a withdrawal without words.
    pub(crate) fn shown(
        &self,
        v: &PolicyVersion,
        purpose: &str,
        given: bool,
        text: Option<&str>,
        version: Option<&str>,
        locale: Option<&str>,
    ) -> Result<Shown, EngineError> {
        let locale = match locale {
            Some(l) if self.policy.locale(l).is_none() => {
                return Err(EngineError::Invalid {
                    field: "locale",
                    message: format!(
                        "`{l}` is not a language of the policy; use one of: {}",
                        self.policy
                            .locales
                            .iter()
                            .map(|l| l.tag.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                });
            }
            Some(l) => Some(l.to_string()),
            None => None,
        };
        match text {
            Some(t) => {
                let t = t.trim();
                if t.is_empty() || t.len() > MAX_TEXT {
                    return Err(EngineError::Invalid {
                        field: "text",
                        message: format!(
                            "the words shown are 1 to {MAX_TEXT} bytes; send exactly what the person saw"
                        ),
                    });
                }
                let version = version
                    .map(str::trim)
                    .filter(|s| !s.is_empty() && s.len() <= 100)
                    .ok_or(EngineError::Invalid {
                        field: "text_version",
                        message: "name the version of the words shown (1 to 100 characters), so that the proof says which text was in use".into(),
                    })?;
                Ok(Shown {
                    text: Some(ConsentText {
                        hash: text_hash(t),
                        version: version.to_string(),
                        body: t.to_string(),
                    }),
                    locale,
                })
            }
            None if !given => Ok(Shown { text: None, locale }),
            None => {
                let tag = locale.clone().unwrap_or_else(|| "en".into());
                let body =
                    custodian_policy::statement::banner::consent_text(&self.policy, v, purpose, &tag)
                        .map_err(|e| EngineError::Invalid {
                field: "text",
                            message: format!(
                                "the policy has no consent text for `{purpose}` ({e}); send the words shown in `text` with `text_version`"
                            ),
                        })?;
                Ok(Shown {
                    text: Some(ConsentText {
                        hash: text_hash(&body),
                        version: format!("policy-{}", v.label),
                        body,
                    }),
                    locale: Some(tag),
                })
            }
        }
    }

    /// Checks consent sent with a record (on the ingest's worker): the words and their
    /// version, or the policy's text; the method, time and address. Errors name the field.
    pub(crate) fn prepare_inline(
        &self,
        v: &PolicyVersion,
        purpose: &str,
        c: InlineConsent,
        occurred_at: Option<Timestamp>,
    ) -> Result<PreparedConsent, (String, String)> {
        let method = c.method.unwrap_or_else(|| "checkbox".into());
        if !API_METHODS.contains(&method.as_str()) {
            return Err((
                "consent.method".into(),
                format!(
                    "`{method}` is not a way to give consent here; use one of: {}",
                    API_METHODS.join(", ")
                ),
            ));
        }
        let now = self.clock.now();
        let at = c.at.or(occurred_at).unwrap_or(now);
        if at > now + jiff::SignedDuration::from_mins(5) {
            return Err((
                "consent.at".into(),
                "consent cannot be given in the future; send when the person chose".into(),
            ));
        }
        let ip_prefix =
            c.ip.as_deref()
                .map(ip_prefix)
                .transpose()
                .map_err(|m| ("consent.ip".to_string(), m))?;
        let shown = match (&c.text, &c.locale) {
            // The policy's own text: rendered once per purpose and language.
            (None, locale) => {
                let tag = locale.clone().unwrap_or_else(|| "en".into());
                let cache_key = (v.label.clone(), purpose.to_string(), tag.clone());
                let cached = self
                    .text_cache
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .get(&cache_key)
                    .cloned();
                match cached {
                    Some(t) => Shown {
                        text: Some(t),
                        locale: Some(tag),
                    },
                    None => {
                        let shown = self
                            .shown(v, purpose, true, None, None, Some(&tag))
                            .map_err(|e| (format!("consent.{}", field_of(&e)), e.to_string()))?;
                        if let Some(t) = &shown.text {
                            self.text_cache
                                .lock()
                                .unwrap_or_else(|e| e.into_inner())
                                .insert(cache_key, t.clone());
                        }
                        shown
                    }
                }
            }
            (Some(_), _) => self
                .shown(
                    v,
                    purpose,
                    true,
                    c.text.as_deref(),
                    c.text_version.as_deref(),
                    c.locale.as_deref(),
                )
                .map_err(|e| (format!("consent.{}", field_of(&e)), e.to_string()))?,
        };
        Ok(PreparedConsent {
            text: shown.text,
            method,
            at,
            locale: shown.locale,
            ip_prefix,
        })
    }

    /// Records a person's choice for a purpose, with its proof: the person is found by subject
    /// id or identifiers (and filed when new). A withdrawal ends the retention that the policy
    /// ends on it (marketing data, R5) at once.
    pub async fn record_consent(
        &self,
        principal: &Principal,
        input: ConsentInput,
    ) -> Result<ConsentReceipt, EngineError> {
        principal.require(Scope::ConsentWrite)?;
        let v = self.policy_version()?;
        let purpose = Self::consent_purpose(v, &input.purpose)?;
        let method = input.method.as_deref().unwrap_or("api");
        if !API_METHODS.contains(&method) {
            return Err(EngineError::Invalid {
                field: "method",
                message: format!(
                    "`{method}` is not a way to record consent here; use one of: {} (unsubscribe links and the banner record their own)",
                    API_METHODS.join(", ")
                ),
            });
        }
        let now = self.clock.now();
        let at = input.at.unwrap_or(now);
        if at > now + jiff::SignedDuration::from_mins(5) {
            return Err(EngineError::Invalid {
                field: "at",
                message: "a choice cannot be made in the future; send when the person chose".into(),
            });
        }
        let ip = input
            .ip
            .as_deref()
            .map(ip_prefix)
            .transpose()
            .map_err(|message| EngineError::Invalid {
                field: "ip",
                message,
            })?;
        let shown = self.shown(
            v,
            &input.purpose,
            input.given,
            input.text.as_deref(),
            input.text_version.as_deref(),
            input.locale.as_deref(),
        )?;
        let book = self.consents().await?;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let (subject, new_subject, links) = self
                .consent_subject(principal.tenant, input.subject, &input.identifiers, now)
                .await?;
            // Withdrawing a payment consent deletes what it kept in the same transaction.
            if !input.given
                && new_subject.is_none()
                && [
                    crate::payments::SAVED_METHODS,
                    crate::payments::AUTO_RECHARGE,
                ]
                .contains(&input.purpose.as_str())
            {
                let (_, id) = self
                    .withdraw_payment_consent(principal, subject, &input.purpose, method)
                    .await?;
                let decision = match book.key(&input.purpose) {
                    Some(k) => book.check(principal.tenant, subject, k),
                    None => Decision::deny("unknown-purpose", None),
                };
                return Ok(ConsentReceipt {
                    id,
                    subject,
                    purpose: input.purpose,
                    given: false,
                    method: method.to_string(),
                    at: now,
                    text_hash: None,
                    text_version: None,
                    decision,
                });
            }
            let event = NewConsentEvent {
                id: Uuid::now_v7(),
                tenant: principal.tenant,
                who: ConsentHolder::Subject(subject),
                kind: "consent".into(),
                purpose: input.purpose.clone(),
                given: input.given,
                method: method.to_string(),
                action: None,
                text_hash: shown.text.as_ref().map(|t| t.hash.clone()),
                text_version: shown.text.as_ref().map(|t| t.version.clone()),
                policy_version: v.label.clone(),
                locale: shown.locale.clone(),
                at,
                recorded_at: now,
                ip_prefix: ip.clone(),
                gpc: false,
                gpc_source: None,
                actor: principal.actor().to_string(),
            };
            let batch = RecordBatch {
                tenant: principal.tenant,
                subjects: new_subject.into_iter().collect(),
                links,
                records: Vec::new(),
                buckets: Vec::new(),
                consents: vec![event.clone()],
                consent_texts: shown.text.iter().cloned().collect(),
                idempotency: None,
                audit: NewAuditEvent {
                    at: now,
                    actor: principal.actor().to_string(),
                    action: if input.given {
                        "consent.give".into()
                    } else {
                        "consent.withdraw".into()
                    },
                    tenant: Some(principal.tenant),
                    targets: vec![subject.to_string(), event.id.to_string()],
                    purpose: Some("consent-records".into()),
                    outcome: Outcome::Success,
                    detail: Some(
                        serde_json::json!({ "purpose": input.purpose, "method": method })
                            .to_string(),
                    ),
                },
            };
            match self.store.store_batch(batch).await {
                Ok(_) => {}
                Err(custodian_store::StoreError::Raced(_)) if attempt < 4 => continue,
                Err(e) => return Err(e.into()),
            }
            book.apply(std::slice::from_ref(&event));
            if !input.given {
                self.end_on_withdrawal(
                    &principal.actor(),
                    principal.tenant,
                    subject,
                    purpose,
                    method,
                )
                .await?;
            }
            let decision = match book.key(&input.purpose) {
                Some(k) => book.check(principal.tenant, subject, k),
                None => Decision::deny("unknown-purpose", None),
            };
            return Ok(ConsentReceipt {
                id: event.id,
                subject,
                purpose: input.purpose,
                given: input.given,
                method: method.to_string(),
                at,
                text_hash: event.text_hash,
                text_version: event.text_version,
                decision,
            });
        }
    }

    /// After a withdrawal or an opt-out: the retention rules of the purpose that end on it
    /// (marketing, R5: "unless you have withdrawn your consent or unsubscribed") end now for
    /// this person.
    pub(crate) async fn end_on_withdrawal(
        &self,
        actor: &Actor,
        tenant: TenantId,
        subject: SubjectId,
        purpose: &custodian_policy::model::Purpose,
        method: &str,
    ) -> Result<usize, EngineError> {
        let v = self.policy_version()?;
        let ending = if method == "unsubscribe" {
            EndingEvent::Unsubscribed
        } else {
            EndingEvent::ConsentWithdrawn
        };
        let ends = v.retention.iter().any(|r| {
            purpose
                .retention
                .iter()
                .any(|p| p.as_str() == r.id.as_str())
                && r.ends_on.contains(&ending)
        });
        if !ends {
            return Ok(0);
        }
        self.end_retention(actor, tenant, subject, ending).await
    }

    /// The subject a choice is about: by id (it must be the tenant's), or by identifiers
    /// (found, or a new subject with its identifier links).
    async fn consent_subject(
        &self,
        tenant: TenantId,
        subject: Option<SubjectId>,
        identifiers: &BTreeMap<String, String>,
        now: Timestamp,
    ) -> Result<(SubjectId, Option<NewSubject>, Vec<IdentifierLink>), EngineError> {
        match (subject, identifiers.is_empty()) {
            (Some(_), false) => Err(EngineError::Invalid {
                field: "identifiers",
                message: "name the person by `subject` or by `identifiers`, not both".into(),
            }),
            (None, true) => Err(EngineError::Invalid {
                field: "identifiers",
                message:
                    "name the person: `subject` (an id) or `identifiers` such as {\"email\": \"…\"}"
                        .into(),
            }),
            (Some(id), true) => match self.store.subject(tenant, id).await? {
                Some(_) => Ok((id, None, Vec::new())),
                None => Err(EngineError::NotFound { kind: "subject" }),
            },
            (None, false) => {
                let t = self.tenant(tenant).await?;
                let blind = BlindIndexKey::for_tenant(&self.master, tenant.as_uuid().as_bytes());
                let mut indexed = Vec::new();
                for (kind, value) in identifiers {
                    let id = Identifier::parse(kind, value, t.default_region.as_deref()).map_err(
                        |e| EngineError::InvalidField {
                            field: format!("identifiers.{kind}"),
                            message: e.0,
                        },
                    )?;
                    indexed.push((
                        blind.index(id.domain(), &id.normalised()).to_vec(),
                        id.kind(),
                    ));
                }
                let all: Vec<Vec<u8>> = indexed.iter().map(|(i, _)| i.clone()).collect();
                let known = self.store.subjects_by_index(tenant, &all).await?;
                let found: BTreeSet<SubjectId> = known.iter().map(|(_, s)| *s).collect();
                if found.len() > 1 {
                    return Err(EngineError::Conflict(
                        "these identifiers find two different people; record the choice for each by subject id".into(),
                    ));
                }
                let (subject, new) = match found.into_iter().next() {
                    Some(s) => (s, None),
                    None => {
                        let s = SubjectId::new();
                        (
                            s,
                            Some(NewSubject {
                                id: s,
                                created_at: now,
                            }),
                        )
                    }
                };
                let links = indexed
                    .into_iter()
                    .filter(|(i, _)| !known.iter().any(|(k, _)| k == i))
                    .map(|(blind_index, kind)| IdentifierLink {
                        blind_index,
                        kind: kind.to_string(),
                        subject,
                    })
                    .collect();
                Ok((subject, new, links))
            }
        }
    }

    /// Checks a person's consent for a purpose (by subject id or one identifier): memory
    /// only once the book is loaded, except for finding the person by identifier.
    pub async fn check_consent(
        &self,
        principal: &Principal,
        purpose: &str,
        subject: Option<SubjectId>,
        identifier: Option<(&str, &str)>,
    ) -> Result<(Option<SubjectId>, Decision), EngineError> {
        principal.require(Scope::ConsentRead)?;
        let book = self.consents().await?;
        let key = book
            .key(purpose)
            .filter(|_| !purpose.starts_with("cookie:") && !purpose.starts_with("holder:"))
            .ok_or_else(|| EngineError::Invalid {
                field: "purpose",
                message: format!(
                    "`{purpose}` is not a purpose of the policy in force; the purposes that rest on consent are: {}",
                    self.policy_version()
                        .map(|v| consent_purposes(v).join(", "))
                        .unwrap_or_default()
                ),
            })?;
        let subject = match (subject, identifier) {
            (Some(s), _) => Some(s),
            (None, Some((kind, value))) => {
                let tenant = self.tenant(principal.tenant).await?;
                let id = Identifier::parse(kind, value, tenant.default_region.as_deref()).map_err(
                    |e| EngineError::InvalidField {
                        field: kind.to_string(),
                        message: e.0,
                    },
                )?;
                let blind =
                    BlindIndexKey::for_tenant(&self.master, principal.tenant.as_uuid().as_bytes());
                let index = blind.index(id.domain(), &id.normalised()).to_vec();
                self.store
                    .subjects_by_index(principal.tenant, &[index])
                    .await?
                    .into_iter()
                    .next()
                    .map(|(_, s)| s)
            }
            (None, None) => {
                return Err(EngineError::Invalid {
                    field: "subject",
                    message:
                        "name the person: `subject`, `email`, `phone` or another identifier kind"
                            .into(),
                });
            }
        };
        // Someone never seen has made no choice: the rules decide with nothing recorded.
        let decision = match subject {
            Some(s) => book.check(principal.tenant, s, key),
            None => book.check(principal.tenant, SubjectId::from_uuid(Uuid::nil()), key),
        };
        Ok((subject, decision))
    }

    /// A person's consent history with the words shown, oldest first.
    pub async fn consent_history(
        &self,
        principal: &Principal,
        who: ConsentHolder,
    ) -> Result<Vec<ConsentEventView>, EngineError> {
        principal.require(Scope::ConsentRead)?;
        if let ConsentHolder::Subject(s) = who
            && self.store.subject(principal.tenant, s).await?.is_none()
        {
            // An erased person's proofs stay (R8) but are no longer found by their id here.
            let rows = self
                .store
                .consent_events(ConsentScope::Of(principal.tenant, who), 1)
                .await?;
            if rows.is_empty() {
                return Err(EngineError::NotFound { kind: "subject" });
            }
        }
        let rows = self
            .store
            .consent_events(ConsentScope::Of(principal.tenant, who), 10_000)
            .await?;
        let mut texts: BTreeMap<String, Option<String>> = BTreeMap::new();
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let text = match &r.event.text_hash {
                Some(h) => {
                    if !texts.contains_key(h) {
                        let body = self
                            .store
                            .consent_text(principal.tenant, h)
                            .await?
                            .map(|t| t.body);
                        texts.insert(h.clone(), body);
                    }
                    texts.get(h).cloned().flatten()
                }
                None => None,
            };
            out.push(view(r, text));
        }
        self.store
            .append_audit(&NewAuditEvent {
                at: self.clock.now(),
                actor: principal.actor().to_string(),
                action: "consent.read".into(),
                tenant: Some(principal.tenant),
                targets: vec![match who {
                    ConsentHolder::Subject(s) => s.to_string(),
                    ConsentHolder::Visitor(v) => format!("visitor:{v}"),
                }],
                purpose: Some("consent-records".into()),
                outcome: Outcome::Success,
                detail: Some(serde_json::json!({ "events": out.len() }).to_string()),
            })
            .await?;
        Ok(out)
    }

    /// Deletes the consent proofs whose five years (R8, the `consent-proof` rule) have
    /// passed: how many. `serve` calls it with the other housekeeping.
    pub async fn purge_consent_proofs(&self) -> Result<u64, EngineError> {
        let v = self.policy_version()?;
        let period = v
            .retention
            .iter()
            .find(|r| r.basis == Some(custodian_policy::model::RetentionBasis::ConsentEvent))
            .and_then(|r| r.period.as_ref())
            .and_then(|p| custodian_policy::period::parse(p.as_str()).ok());
        let Some(period) = period else {
            return Ok(0);
        };
        let now = self.clock.now();
        let before = now
            .to_zoned(jiff::tz::TimeZone::UTC)
            .checked_sub(period.span())
            .map(|z| z.timestamp())
            .map_err(|e| EngineError::Unavailable(format!("a date cannot be computed: {e}")))?;
        Ok(self
            .store
            .purge_consent_events(
                before,
                &NewAuditEvent {
                    at: now,
                    actor: Actor::System.to_string(),
                    action: "consent.purge".into(),
                    tenant: None,
                    targets: Vec::new(),
                    purpose: Some("consent-records".into()),
                    outcome: Outcome::Success,
                    detail: Some(serde_json::json!({ "before": before.to_string() }).to_string()),
                },
            )
            .await?)
    }

    /// Records a processing stop or its lifting in the ledger (restriction, an upheld
    /// objection, every consent withdrawn), so that every process's checks see it.
    pub(crate) async fn note_stop(
        &self,
        actor: &Actor,
        tenant: TenantId,
        subject: SubjectId,
        kind: &str,
        on: bool,
    ) -> Result<(), EngineError> {
        let now = self.clock.now();
        let v = self.policy_version()?;
        let event = NewConsentEvent {
            id: Uuid::now_v7(),
            tenant,
            who: ConsentHolder::Subject(subject),
            kind: if kind == "withdrawal" {
                "consent".into()
            } else {
                kind.into()
            },
            purpose: "*".into(),
            given: if kind == "withdrawal" { false } else { on },
            method: "rights-request".into(),
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
            actor: actor.to_string(),
        };
        self.store
            .append_consents(std::slice::from_ref(&event), &[], None)
            .await?;
        if let Some(book) = self.consent_book.get() {
            book.apply(std::slice::from_ref(&event));
        }
        Ok(())
    }
}

/// The field an error names.
fn field_of(e: &EngineError) -> String {
    match e {
        EngineError::Invalid { field, .. } => (*field).to_string(),
        EngineError::InvalidField { field, .. } => field.clone(),
        _ => "text".into(),
    }
}

/// A cache of the policy's consent texts by (version, purpose, locale).
pub(crate) type TextCache = Arc<Mutex<FxHashMap<(String, String, String), ConsentText>>>;

/// The purposes of a version that rest on consent.
pub(crate) fn consent_purposes(v: &PolicyVersion) -> Vec<&str> {
    v.purpose
        .iter()
        .filter(|p| {
            p.legal_bases.iter().any(|b| {
                v.legal_basis
                    .iter()
                    .any(|l| l.id.as_str() == b.as_str() && l.kind == LegalBasisKind::Consent)
            })
        })
        .map(|p| p.id.as_str())
        .collect()
}

/// The book behind an engine: shared by its clones.
pub(crate) type SharedBook = Arc<tokio::sync::OnceCell<ConsentBook>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_kept_to_their_network() {
        assert_eq!(ip_prefix("203.0.113.77").unwrap(), "203.0.113.0/24");
        assert_eq!(
            ip_prefix("2001:db8:abcd:12::1").unwrap(),
            "2001:db8:abcd::/48"
        );
        assert!(ip_prefix("not an address").is_err());
    }

    #[test]
    fn the_newest_choice_wins_and_at_the_same_moment_the_later_recorded() {
        let mut e = Entry::default();
        let k = PurposeKey(0);
        e.set(k, true, 10, 1);
        e.set(k, false, 5, 2);
        assert!(
            e.mark(k).unwrap().given,
            "an older choice recorded later changes nothing"
        );
        e.set(k, false, 10, 3);
        assert!(!e.mark(k).unwrap().given);
        e.set(k, true, 10, 2);
        assert!(
            !e.mark(k).unwrap().given,
            "applied twice or out of order: same answer"
        );
        e.set(k, true, 11, 4);
        assert!(e.mark(k).unwrap().given);
    }

    #[test]
    fn a_restriction_lifted_later_no_longer_stops() {
        let mut s = Switch::default();
        s.apply(true, 10, 1);
        s.apply(false, 9, 2);
        assert!(s.on);
        s.apply(false, 12, 3);
        assert!(!s.on);
    }
}
