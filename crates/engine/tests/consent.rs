//! Consent end to end on the selected backend: the ledger's proof, the ingest gate (prospects
//! opt in, existing customers are marketed to until they opt out), withdrawal ending marketing
//! data, restriction and objection closing the gate, a second process following the ledger,
//! proofs purged after five years, and the cookie banner's records with GPC and "Remove my
//! data".
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::path::Path;
use std::sync::Arc;

use custodian_core::FixedClock;
use custodian_engine::consent::{ConsentInput, text_hash};
use custodian_engine::consent_banner::BannerChoice;
use custodian_engine::records::IngestRecord;
use custodian_engine::{Actor, Engine, EngineError, Principal, Scope, chain_key};
use custodian_store::{ConsentHolder, ProcessingStop};
use custodian_testkit::TestDb;
use custodian_vault::MasterKey;
use jiff::Timestamp;
use serde_json::json;
use uuid::Uuid;

fn seeds_policy() -> Arc<custodian_policy::Policy> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies/messagebird");
    let (policy, report) = custodian_policy::load(&dir);
    Arc::new(policy.unwrap_or_else(|| panic!("{}", report.render(false))))
}

struct Setup {
    db: TestDb,
    master: Arc<MasterKey>,
    clock: Arc<FixedClock>,
    engine: Engine,
    acme: Principal,
    globex: Principal,
}

const T0: &str = "2026-03-02T09:00:00Z";

async fn engine_on(db: &TestDb, master: &Arc<MasterKey>, clock: &Arc<FixedClock>) -> Engine {
    let store = custodian_store::open(&db.location, chain_key(master))
        .await
        .unwrap();
    let keys = custodian_store::open_keys(&db.location).await.unwrap();
    Engine::new(store, keys, seeds_policy(), clock.clone(), master.clone())
        .await
        .unwrap()
}

async fn setup() -> Setup {
    let db = TestDb::new().await;
    let master = Arc::new(MasterKey::generate());
    let clock = Arc::new(FixedClock::new(T0.parse().unwrap()));
    let engine = engine_on(&db, &master, &clock).await;
    let scopes: Vec<String> = Scope::ALL.iter().map(|s| s.as_str().to_string()).collect();
    let mut principals = Vec::new();
    for name in ["Acme", "Globex"] {
        let t = engine
            .create_tenant(&Actor::Cli, name, Some("NL"))
            .await
            .unwrap();
        let key = engine
            .create_api_key(&Actor::Cli, t.id, "test", &scopes)
            .await
            .unwrap();
        principals.push(engine.authenticate(&key.token).await.unwrap());
    }
    let globex = principals.pop().unwrap();
    let acme = principals.pop().unwrap();
    Setup {
        db,
        master,
        clock,
        engine,
        acme,
        globex,
    }
}

async fn ingest(s: &Setup, records: serde_json::Value) -> Result<serde_json::Value, EngineError> {
    let records: Vec<IngestRecord> = serde_json::from_value(records).unwrap();
    s.engine
        .ingest(&s.acme, records, None, b"")
        .await
        .map(|r| serde_json::to_value(r).unwrap())
}

fn lead(email: &str, basis: &str) -> serde_json::Value {
    json!({
        "product": "leads", "purpose": "promote-services", "legal_basis": basis,
        "identifiers": { "email": email },
        "data": { "name": "Ann", "email-address": email }
    })
}

fn account(email: &str) -> serde_json::Value {
    json!({
        "product": "customer-account", "purpose": "create-account", "legal_basis": "contract",
        "identifiers": { "email": email },
        "data": { "name": "Bob", "email-address": email }
    })
}

fn consent(email: &str, given: bool) -> ConsentInput {
    ConsentInput {
        subject: None,
        identifiers: [("email".to_string(), email.to_string())].into(),
        purpose: "promote-services".into(),
        given,
        method: Some("checkbox".into()),
        text: None,
        text_version: None,
        locale: Some("nl".into()),
        ip: Some("203.0.113.77".into()),
        at: None,
    }
}

fn refusal(e: EngineError) -> (String, String) {
    match e {
        EngineError::InvalidRecord { field, message, .. } => (field, message),
        EngineError::Invalid { field, message } => (field.to_string(), message),
        EngineError::InvalidField { field, message } => (field, message),
        other => panic!("expected a refusal naming a field, got {other:?}"),
    }
}

#[tokio::test]
async fn a_prospect_must_opt_in_and_an_existing_customer_is_marketed_to_until_they_opt_out() {
    let s = setup().await;
    // A prospect: legitimate interest does not cover marketing to them, nor does silence.
    let (field, message) = refusal(
        ingest(&s, json!([lead("ann@example.com", "legitimate-interest")]))
            .await
            .unwrap_err(),
    );
    assert_eq!(field, "legal_basis");
    assert!(message.contains("not an existing customer"), "{message}");
    let (field, message) = refusal(
        ingest(&s, json!([lead("ann@example.com", "consent")]))
            .await
            .unwrap_err(),
    );
    assert_eq!(field, "consent");
    assert!(message.contains("has not consented"), "{message}");

    // Ann ticks the box (the policy's Dutch words are the proof).
    let receipt = s
        .engine
        .record_consent(&s.acme, consent("ann@example.com", true))
        .await
        .unwrap();
    assert!(receipt.decision.allowed);
    assert_eq!(receipt.decision.basis, Some("consent"));
    let words = custodian_policy::statement::banner::consent_text(
        s.engine.policy(),
        s.engine.policy().current().unwrap(),
        "promote-services",
        "nl",
    )
    .unwrap();
    assert_eq!(
        receipt.text_hash.as_deref(),
        Some(text_hash(&words).as_str())
    );
    assert_eq!(receipt.text_version.as_deref(), Some("policy-2023"));
    let stored = ingest(&s, json!([lead("ann@example.com", "consent")]))
        .await
        .unwrap();
    let ann = receipt.subject;
    assert_eq!(stored["records"][0]["subject"], json!(ann));

    // The proof: what was shown, in which language, how, when, from which network.
    let history = s
        .engine
        .consent_history(&s.acme, ConsentHolder::Subject(ann))
        .await
        .unwrap();
    assert_eq!(history.len(), 1);
    let e = &history[0];
    assert_eq!(
        (e.purpose.as_str(), e.given, e.method.as_str()),
        ("promote-services", true, "checkbox")
    );
    assert_eq!(e.text.as_deref(), Some(words.as_str()));
    assert_eq!(e.locale.as_deref(), Some("nl"));
    assert_eq!(e.ip_prefix.as_deref(), Some("203.0.113.0/24"));
    assert_eq!(e.policy_version, "2023");

    // Bob is a customer (his account comes in the same batch): legitimate interest holds.
    ingest(
        &s,
        json!([
            account("bob@example.com"),
            lead("bob@example.com", "legitimate-interest")
        ]),
    )
    .await
    .unwrap();
    let (bob, d) = s
        .engine
        .check_consent(
            &s.acme,
            "promote-services",
            None,
            Some(("email", "bob@example.com")),
        )
        .await
        .unwrap();
    assert_eq!((d.allowed, d.basis), (true, Some("legitimate-interest")));
    // Later marketing to him rests on the relationship recorded in the ledger.
    ingest(&s, json!([lead("bob@example.com", "legitimate-interest")]))
        .await
        .unwrap();

    // He opts out in the preference centre: the gate closes for him.
    let mut out = consent("bob@example.com", false);
    out.method = Some("preference-centre".into());
    let receipt = s.engine.record_consent(&s.acme, out).await.unwrap();
    assert_eq!(receipt.subject, bob.unwrap());
    assert_eq!(
        (receipt.decision.allowed, receipt.decision.reason),
        (false, "withdrawn")
    );
    let (field, message) = refusal(
        ingest(&s, json!([lead("bob@example.com", "legitimate-interest")]))
            .await
            .unwrap_err(),
    );
    assert_eq!(field, "consent");
    assert!(message.contains("withdrew"), "{message}");

    // Ann withdraws: her marketing data ends at once (R5 "unless you have withdrawn your
    // consent"), and the proof of both choices stays.
    s.engine
        .record_consent(&s.acme, consent("ann@example.com", false))
        .await
        .unwrap();
    let (_, d) = s
        .engine
        .check_consent(&s.acme, "promote-services", Some(ann), None)
        .await
        .unwrap();
    assert_eq!((d.allowed, d.reason), (false, "withdrawn"));
    let rows = s
        .engine
        .subject_records(&s.acme, ann, "crm-records", None, None, 100)
        .await
        .unwrap();
    assert!(
        rows.iter().all(|r| r.data.is_none()),
        "marketing data is unreadable after the withdrawal"
    );
    let history = s
        .engine
        .consent_history(&s.acme, ConsentHolder::Subject(ann))
        .await
        .unwrap();
    assert_eq!(
        history.iter().map(|e| e.given).collect::<Vec<_>>(),
        [true, false]
    );

    // Someone never seen has chosen nothing: no consent, and no customer relationship.
    let (who, d) = s
        .engine
        .check_consent(
            &s.acme,
            "promote-services",
            None,
            Some(("email", "nobody@example.com")),
        )
        .await
        .unwrap();
    assert_eq!((who, d.allowed), (None, false));
    // Another tenant knows nothing of Ann's choices.
    let (who, _) = s
        .engine
        .check_consent(
            &s.globex,
            "promote-services",
            None,
            Some(("email", "ann@example.com")),
        )
        .await
        .unwrap();
    assert_eq!(who, None);
    assert!(matches!(
        s.engine
            .consent_history(&s.globex, ConsentHolder::Subject(ann))
            .await,
        Err(EngineError::NotFound { .. })
    ));
}

/// A change that spoils an otherwise good consent.
type Change = Box<dyn Fn(&mut ConsentInput)>;

#[tokio::test]
async fn undeclared_purposes_and_incomplete_proofs_are_refused_naming_the_field() {
    let s = setup().await;
    let cases: Vec<(&str, Change)> = vec![
        ("purpose", Box::new(|c| c.purpose = "sell-data".into())),
        (
            "purpose",
            Box::new(|c| c.purpose = "provide-services".into()),
        ),
        (
            "text_version",
            Box::new(|c| c.text = Some("Yes, mail me".into())),
        ),
        ("locale", Box::new(|c| c.locale = Some("fr".into()))),
        ("ip", Box::new(|c| c.ip = Some("somewhere".into()))),
        (
            "at",
            Box::new(|c| c.at = Some("2027-01-01T00:00:00Z".parse().unwrap())),
        ),
        ("method", Box::new(|c| c.method = Some("telepathy".into()))),
        ("identifiers", Box::new(|c| c.identifiers.clear())),
        (
            "identifiers.email",
            Box::new(|c| {
                c.identifiers
                    .insert("email".into(), "not an address".into());
            }),
        ),
    ];
    for (field, change) in cases {
        let mut input = consent("ann@example.com", true);
        change(&mut input);
        let e = s.engine.record_consent(&s.acme, input).await.unwrap_err();
        assert_eq!(refusal(e).0, field);
    }
    // Nothing of the refused attempts was recorded.
    let (who, _) = s
        .engine
        .check_consent(
            &s.acme,
            "promote-services",
            None,
            Some(("email", "ann@example.com")),
        )
        .await
        .unwrap();
    assert_eq!(who, None);
    // Another tenant's subject is not found.
    let receipt = s
        .engine
        .record_consent(&s.acme, consent("ann@example.com", true))
        .await
        .unwrap();
    let mut theirs = consent("ann@example.com", true);
    theirs.identifiers.clear();
    theirs.subject = Some(receipt.subject);
    assert!(matches!(
        s.engine.record_consent(&s.globex, theirs).await,
        Err(EngineError::NotFound { kind: "subject" })
    ));
    // The caller's own words need their version; a check for an undeclared purpose says so.
    let mut own = consent("ann@example.com", true);
    own.text = Some("Ja, stuur mij nieuws.".into());
    own.text_version = Some("signup-form-v3".into());
    let r = s.engine.record_consent(&s.acme, own).await.unwrap();
    assert_eq!(
        r.text_hash.as_deref(),
        Some(text_hash("Ja, stuur mij nieuws.").as_str())
    );
    let e = s
        .engine
        .check_consent(&s.acme, "sell-data", Some(receipt.subject), None)
        .await
        .unwrap_err();
    assert_eq!(refusal(e).0, "purpose");
}

#[tokio::test]
async fn restriction_objection_and_withdrawal_close_the_gate_for_what_they_stop() {
    let s = setup().await;
    ingest(
        &s,
        json!([
            account("carl@example.com"),
            lead("carl@example.com", "legitimate-interest")
        ]),
    )
    .await
    .unwrap();
    let mut surveys = consent("carl@example.com", true);
    surveys.purpose = "surveys".into();
    let carl = s
        .engine
        .record_consent(&s.acme, surveys)
        .await
        .unwrap()
        .subject;
    let check = |purpose: &'static str| {
        let s = &s;
        async move {
            s.engine
                .check_consent(&s.acme, purpose, Some(carl), None)
                .await
                .unwrap()
                .1
        }
    };
    assert!(check("promote-services").await.allowed);
    assert!(check("surveys").await.allowed);

    // Restricted: nothing new is processed, for any purpose.
    s.engine.restrict(&s.acme, carl, true).await.unwrap();
    assert_eq!(check("promote-services").await.reason, "restricted");
    assert_eq!(check("surveys").await.reason, "restricted");
    let (field, message) = refusal(
        ingest(&s, json!([lead("carl@example.com", "legitimate-interest")]))
            .await
            .unwrap_err(),
    );
    assert_eq!(field, "subject");
    assert!(message.contains("restricted"), "{message}");
    s.engine.restrict(&s.acme, carl, false).await.unwrap();
    assert!(check("promote-services").await.allowed);

    // An upheld objection stops what rests on legitimate interest; consent still holds.
    s.engine
        .stop_processing(&s.acme, carl, ProcessingStop::Objection)
        .await
        .unwrap();
    assert_eq!(check("promote-services").await.reason, "objected");
    assert!(check("surveys").await.allowed);
    // Withdrawing every consent (a rights request) stops what rests on consent.
    s.engine
        .stop_processing(&s.acme, carl, ProcessingStop::ConsentWithdrawal)
        .await
        .unwrap();
    assert_eq!(check("surveys").await.reason, "withdrawn");
    // Contract processing is not a matter of consent.
    assert_eq!(check("provide-services").await.basis, Some("contract"));
}

#[tokio::test]
async fn a_second_process_follows_the_ledger_and_a_new_one_folds_it_whole() {
    let s = setup().await;
    let other = engine_on(&s.db, &s.master, &s.clock).await;
    let receipt = s
        .engine
        .record_consent(&s.acme, consent("dana@example.com", true))
        .await
        .unwrap();
    let dana = receipt.subject;
    let check = |e: &Engine| {
        let e = e.clone();
        let p = s.acme.clone();
        async move {
            e.check_consent(&p, "promote-services", Some(dana), None)
                .await
                .unwrap()
                .1
        }
    };
    assert!(
        check(&other).await.allowed,
        "a process folds the ledger when it first checks"
    );
    s.engine
        .record_consent(&s.acme, consent("dana@example.com", false))
        .await
        .unwrap();
    assert!(
        check(&other).await.allowed,
        "until it follows the ledger, it answers from memory"
    );
    assert!(other.follow_consents().await.unwrap() >= 1);
    assert_eq!(check(&other).await.reason, "withdrawn");
    // And back: the other process records, this one follows.
    other
        .record_consent(&s.acme, consent("dana@example.com", true))
        .await
        .unwrap();
    s.engine.follow_consents().await.unwrap();
    assert!(check(&s.engine).await.allowed);
    let fresh = engine_on(&s.db, &s.master, &s.clock).await;
    assert!(check(&fresh).await.allowed);
    assert_eq!(fresh.consents().await.unwrap().len().0, 1);
}

#[tokio::test]
async fn proofs_go_five_years_after_they_stop_being_in_force() {
    let s = setup().await;
    let t0: Timestamp = T0.parse().unwrap();
    let year = |n: i64| {
        t0.to_zoned(jiff::tz::TimeZone::UTC)
            .checked_add(jiff::Span::new().years(n))
            .unwrap()
            .timestamp()
    };
    let erin = s
        .engine
        .record_consent(&s.acme, consent("erin@example.com", true))
        .await
        .unwrap()
        .subject;
    let fay = s
        .engine
        .record_consent(&s.acme, consent("fay@example.com", true))
        .await
        .unwrap()
        .subject;
    s.clock.set(year(1));
    s.engine
        .record_consent(&s.acme, consent("erin@example.com", false))
        .await
        .unwrap();
    let events = |who| {
        let s = &s;
        async move {
            s.engine
                .consent_history(&s.acme, ConsentHolder::Subject(who))
                .await
                .unwrap()
                .len()
        }
    };
    // Five years after the withdrawal less a day: both of Erin's proofs stay.
    s.clock.set(year(6) - jiff::SignedDuration::from_hours(24));
    assert_eq!(s.engine.purge_consent_proofs().await.unwrap(), 0);
    assert_eq!(events(erin).await, 2);
    // Five years after it: gone; Fay's consent, still in force, stays however old.
    s.clock.set(year(6) + jiff::SignedDuration::from_hours(24));
    assert_eq!(s.engine.purge_consent_proofs().await.unwrap(), 2);
    assert_eq!(events(fay).await, 1);
    assert!(matches!(
        s.engine.consent_history(&s.acme, ConsentHolder::Subject(erin)).await,
        Ok(v) if v.is_empty()
    ));
}

fn choice(
    site: Uuid,
    id: Uuid,
    action: &str,
    categories: &[&str],
    banner: &custodian_policy::statement::banner::Banner,
) -> BannerChoice {
    BannerChoice {
        site,
        consent_id: id,
        action: action.into(),
        categories: categories.iter().map(|c| c.to_string()).collect(),
        revision: banner.revision.clone(),
        locale: banner.locale.clone(),
        text_hash: banner.text_hash.clone(),
        gpc: false,
        gpc_source: None,
    }
}

#[tokio::test]
async fn every_banner_choice_is_recorded_and_gpc_keeps_marketing_off_until_switched_on() {
    let s = setup().await;
    let site = s.acme.tenant.as_uuid();
    let nl = s.engine.banner(Some("nl-BE")).unwrap();
    assert_eq!(nl.locale, "nl");
    assert!(nl.revision.starts_with("2023.1."), "{}", nl.revision);
    assert_eq!(
        (nl.consent_lifetime_days, nl.refusal_lifetime_days),
        (365, 182)
    );
    assert_eq!(nl.texts["accept_all"], "Alles accepteren");
    let en = s.engine.banner(None).unwrap();
    assert_eq!(
        en.revision, nl.revision,
        "the revision follows the inventory, not the language"
    );
    assert_ne!(en.text_hash, nl.text_hash);

    // Accept all under a GPC header: marketing stays off, and the record says why.
    let visitor = Uuid::new_v4();
    let r = s
        .engine
        .record_banner(
            choice(site, visitor, "accept-all", &[], &en),
            true,
            Some("198.51.100.23".parse().unwrap()),
        )
        .await
        .unwrap();
    assert_eq!(r.categories, ["functional", "performance"]);
    assert!(r.gpc_applied);
    let history = s.engine.visitor_history(&s.acme, visitor).await.unwrap();
    assert_eq!(history.len(), 3, "one event per optional category");
    assert!(
        history
            .iter()
            .all(|e| e.gpc && e.gpc_source.as_deref() == Some("header"))
    );
    assert!(
        history
            .iter()
            .all(|e| e.ip_prefix.as_deref() == Some("198.51.100.0/24"))
    );
    let marketing = history
        .iter()
        .find(|e| e.purpose == "cookie:marketing")
        .unwrap();
    assert!(!marketing.given);
    assert!(
        marketing.text.as_deref().unwrap().contains("_fbp"),
        "the proof holds the cookie table shown"
    );
    let book = s.engine.consents().await.unwrap();
    let key = book.key("cookie:marketing").unwrap();
    assert!(!book.check_visitor(s.acme.tenant, visitor, key).allowed);
    // Switched on explicitly in the settings: now it is on, with the signal on record.
    let mut explicit = choice(site, visitor, "save", &["marketing"], &en);
    explicit.gpc = true;
    explicit.gpc_source = Some("dom".into());
    let r = s.engine.record_banner(explicit, false, None).await.unwrap();
    assert_eq!(
        (r.categories.as_slice(), r.gpc_applied),
        (&["marketing".to_string()][..], false)
    );
    assert!(book.check_visitor(s.acme.tenant, visitor, key).allowed);
    let necessary = book.key("cookie:strictly-necessary").unwrap();
    assert_eq!(
        book.check_visitor(s.acme.tenant, Uuid::new_v4(), necessary)
            .reason,
        "always-on"
    );
    let blocked = book.key("cookie:unclassified").unwrap();
    assert_eq!(
        book.check_visitor(s.acme.tenant, visitor, blocked).reason,
        "blocked"
    );

    // Bad records are refused naming the field, and store nothing.
    let bad: Vec<(&str, BannerChoice)> = vec![
        (
            "categories",
            choice(site, visitor, "save", &["tracking"], &en),
        ),
        (
            "categories",
            choice(site, visitor, "save", &["strictly-necessary"], &en),
        ),
        (
            "categories",
            choice(site, visitor, "save", &["unclassified"], &en),
        ),
        ("action", choice(site, visitor, "maybe", &[], &en)),
        (
            "revision",
            BannerChoice {
                revision: "2023.0.deadbeef".into(),
                ..choice(site, visitor, "save", &[], &en)
            },
        ),
        (
            "text_hash",
            BannerChoice {
                text_hash: nl.text_hash.clone(),
                ..choice(site, visitor, "save", &[], &en)
            },
        ),
        ("consent_id", choice(site, Uuid::nil(), "save", &[], &en)),
    ];
    for (field, c) in bad {
        let e = s.engine.record_banner(c, false, None).await.unwrap_err();
        assert_eq!(refusal(e).0, field);
    }
    assert_eq!(
        s.engine
            .visitor_history(&s.acme, visitor)
            .await
            .unwrap()
            .len(),
        6
    );
    assert!(matches!(
        s.engine
            .record_banner(
                choice(Uuid::new_v4(), visitor, "save", &[], &en),
                false,
                None
            )
            .await,
        Err(EngineError::NotFound { kind: "site" })
    ));

    // Remove my data: what the site filed about the browser is erased, every category is
    // withdrawn (that proof stays), and the banner is told which cookies to delete.
    ingest(&s, json!([{
        "product": "website-visitors", "purpose": "website-operation", "legal_basis": "legitimate-interest",
        "identifiers": { "external": format!("consent:{visitor}") },
        "data": { "cookie-preferences": { "functional": true, "marketing": false, "chosen_at": "2026-03-02T08:00:00Z" } }
    }])).await.unwrap();
    let removal = s.engine.remove_visitor(site, visitor, None).await.unwrap();
    assert_eq!(removal.records_erased, 1);
    for cookie in [
        "_gcl_au",
        "li_sugr",
        "_fbp",
        "custodian_lang",
        "custodian_consent",
    ] {
        assert!(removal.cookies.iter().any(|c| c == cookie), "{cookie}");
    }
    assert!(!removal.cookies.iter().any(|c| c == "custodian_session"));
    assert!(!book.check_visitor(s.acme.tenant, visitor, key).allowed);
    let history = s.engine.visitor_history(&s.acme, visitor).await.unwrap();
    assert_eq!(
        history
            .iter()
            .filter(|e| e.method == "remove-my-data" && !e.given)
            .count(),
        3
    );
    // Another tenant sees none of it.
    assert!(matches!(
        s.engine.visitor_history(&s.globex, visitor).await,
        Err(EngineError::NotFound { .. })
    ));
}
