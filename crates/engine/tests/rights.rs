//! Data subject requests end to end on the selected backend: every right, deadlines at month
//! ends and the extension notice, legal retention explained, the privacy center's code,
//! routing to the controller without revealing other customers, bulk jobs, confirmations kept,
//! and tenants kept apart.
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use custodian_core::FixedClock;
use custodian_engine::mail::SmtpMailer;
use custodian_engine::notices::NoticeSettings;
use custodian_engine::records::IngestRecord;
use custodian_engine::rights::{Channel, Correction, Handler, NewRequest, Requester, state};
use custodian_engine::rights_bulk::BulkSubject;
use custodian_engine::{Actor, Engine, EngineError, Principal, Scope, chain_key};
use custodian_store::{RequestScope, RightsFilter};
use custodian_testkit::TestDb;
use custodian_testkit::smtp::SmtpSink;
use custodian_vault::MasterKey;
use jiff::Timestamp;
use serde_json::json;

fn seeds_policy() -> custodian_policy::Policy {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies/messagebird");
    let (policy, report) = custodian_policy::load(&dir);
    policy.unwrap_or_else(|| panic!("{}", report.render(false)))
}

struct Setup {
    _db: TestDb,
    clock: Arc<FixedClock>,
    engine: Engine,
    acme: Principal,
    globex: Principal,
}

const T0: &str = "2026-01-31T10:00:00Z";

async fn setup() -> Setup {
    let db = TestDb::new().await;
    let master = Arc::new(MasterKey::generate());
    let clock = Arc::new(FixedClock::new(T0.parse().unwrap()));
    let store = custodian_store::open(&db.location, chain_key(&master))
        .await
        .unwrap();
    let keys = custodian_store::open_keys(&db.location).await.unwrap();
    let engine = Engine::new(store, keys, Arc::new(seeds_policy()), clock.clone(), master)
        .await
        .unwrap();
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
        _db: db,
        clock,
        engine,
        acme,
        globex,
    }
}

async fn ingest(s: &Setup, p: &Principal, records: serde_json::Value) {
    let records: Vec<IngestRecord> = serde_json::from_value(records).unwrap();
    s.engine.ingest(p, records, None, b"").await.unwrap();
}

fn sms(phone: &str) -> serde_json::Value {
    json!({
        "product": "sms", "purpose": "transmission", "legal_basis": "contract",
        "identifiers": { "phone": phone },
        "data": { "phone-number": phone, "communication-content": "Your code is 4921" }
    })
}

fn invoice(email: &str) -> serde_json::Value {
    json!({
        "product": "financial-records", "purpose": "finance-billing", "legal_basis": "contract",
        "identifiers": { "email": email },
        "data": { "invoices": { "number": "INV-7", "issued_on": "2026-01-02", "amount": 12.5, "currency": "EUR" } }
    })
}

fn lead(email: &str, basis: &str) -> serde_json::Value {
    let mut lead = json!({
        "product": "leads", "purpose": if basis == "consent" { "promote-services" } else { "crm-records" },
        "legal_basis": basis,
        "identifiers": { "email": email },
        "data": { "name": "Anna de Vries", "email-address": email }
    });
    // A lead on consent ticked the form's box: the consent goes with the record. On legitimate
    // interest a prospect is only kept in the CRM: marketing to them needs their consent.
    if basis == "consent" {
        lead["consent"] = json!({ "method": "checkbox", "locale": "en" });
    }
    lead
}

fn request(right: &str, kind: &str, value: &str) -> NewRequest {
    NewRequest {
        right: right.into(),
        identifiers: BTreeMap::from([(kind.to_string(), value.to_string())]),
        requester: Requester {
            email: Some("anna@example.com".into()),
            ..Requester::default()
        },
        ..NewRequest::default()
    }
}

#[tokio::test]
async fn access_is_answered_with_a_streamed_zip_of_every_record() {
    let s = setup().await;
    ingest(
        &s,
        &s.acme,
        json!([sms("+31612345678"), sms("+31612345678")]),
    )
    .await;
    let view = s
        .engine
        .file_request(
            &s.acme,
            Channel::Api,
            request("access", "phone", "+31612345678"),
        )
        .await
        .unwrap();
    assert_eq!(view.state, state::FULFILLED);
    assert_eq!(view.detail.answer.products.get("sms"), Some(&2));
    assert!(view.detail.answer.export_until.is_some());
    // Due a calendar month after receipt: 31 January → 28 February.
    assert_eq!(view.due_at.to_string(), "2026-02-28T23:59:59.999999Z");

    let source = s.engine.tenant_export(&s.acme, view.id).await.unwrap();
    let (tx, mut rx) = tokio::sync::mpsc::channel(4);
    let text = custodian_engine::bundle::IndexText {
        lang: "en",
        title: "Your data",
        intro: "All we hold",
        subject_label: "Subject",
        generated_label: "Generated",
        files_heading: "Files",
        file_label: "File",
        contents_label: "Contents",
        records_label: "Records",
        json_description: "Everything as JSON",
        csv_description: "Records of {product}",
        products_heading: "Products",
        product_label: "Product",
        retained_heading: "Kept",
        retained_intro: "Kept by law",
        category_label: "Category",
        until_label: "Until",
        why_label: "Why",
        erased: "erased",
        no_data: "Nothing",
    };
    let engine = s.engine.clone();
    let writer = tokio::spawn(async move { engine.stream_export(&source, &text, tx).await });
    let mut zip = Vec::new();
    while let Some(chunk) = rx.recv().await {
        zip.extend(chunk);
    }
    writer.await.unwrap().unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    let mut json_text = String::new();
    archive
        .by_name("records.json")
        .unwrap()
        .read_to_string(&mut json_text)
        .unwrap();
    let doc: serde_json::Value = serde_json::from_str(&json_text).unwrap();
    assert_eq!(doc["records"].as_array().unwrap().len(), 2);
    assert_eq!(
        doc["records"][0]["data"]["communication-content"],
        "Your code is 4921"
    );
    let mut csv = String::new();
    archive
        .by_name("sms.csv")
        .unwrap()
        .read_to_string(&mut csv)
        .unwrap();
    assert_eq!(csv.lines().count(), 3, "{csv}");
    assert!(archive.by_name("index.html").is_ok());

    // Another customer cannot see the request or its export.
    assert!(matches!(
        s.engine.tenant_request(&s.globex, view.id).await,
        Err(EngineError::NotFound { .. })
    ));
    assert!(s.engine.tenant_export(&s.globex, view.id).await.is_err());
}

#[tokio::test]
async fn erasure_destroys_keys_checks_every_identifier_and_explains_what_the_law_keeps() {
    let s = setup().await;
    let email = "anna@example.com";
    ingest(&s, &s.acme, json!([lead(email, "consent"), invoice(email)])).await;
    let view = s
        .engine
        .file_request(&s.acme, Channel::Api, request("delete", "email", email))
        .await
        .unwrap();
    // The invoice stays under its ten-year legal duty, so the request is partly fulfilled.
    assert_eq!(view.state, state::PARTIALLY_FULFILLED, "{view:?}");
    assert_eq!(view.reason.as_deref(), Some("legal_retention"));
    let answer = &view.detail.answer;
    let check = answer.check.as_ref().unwrap();
    assert!(check.passed);
    assert_eq!(check.readable_left, 0);
    assert_eq!(check.keys_left, 0);
    assert_eq!(answer.keys_destroyed, 1);
    assert_eq!(answer.rows_deleted, 1);
    let invoices = answer
        .retained
        .iter()
        .find(|r| r.category == "invoices")
        .unwrap();
    assert_eq!(invoices.why, "financial");
    assert!(
        invoices
            .until
            .unwrap()
            .to_string()
            .starts_with("2036-01-31")
    );

    // The lead is unreadable everywhere; the invoice is still there.
    let subject = view.subject.unwrap();
    let left = s
        .engine
        .subject_records(&s.acme, subject, "finance-billing", None, None, 100)
        .await
        .unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].product, "financial-records");
    assert!(left[0].data.is_some());

    // The confirmation is kept, explains the retention and how to complain.
    let kept = s.engine.confirmation(view.id).await.unwrap().unwrap();
    assert_eq!(kept.to, vec![email.to_string()]);
    assert!(
        kept.body.contains("Autoriteit Persoonsgegevens"),
        "{}",
        kept.body
    );
    assert!(kept.body.contains("2036-01-31"), "{}", kept.body);
}

#[tokio::test]
async fn a_person_with_no_data_gets_no_data_found_not_an_error() {
    let s = setup().await;
    let view = s
        .engine
        .file_request(
            &s.acme,
            Channel::Api,
            request("erasure", "phone", "+31687654321"),
        )
        .await
        .unwrap();
    assert_eq!(view.state, state::FULFILLED);
    assert!(view.detail.answer.no_data);
    let kept = s.engine.confirmation(view.id).await.unwrap().unwrap();
    assert!(!kept.body.is_empty());
}

#[tokio::test]
async fn rectification_restriction_objection_and_withdrawal_each_change_processing() {
    let s = setup().await;
    let email = "bob@example.com";
    ingest(
        &s,
        &s.acme,
        json!([
            lead(email, "legitimate-interest"),
            lead(email, "consent"),
            sms("+31611111111")
        ]),
    )
    .await;
    let subject = s
        .engine
        .find_subject(&s.acme, "email", email)
        .await
        .unwrap();
    let rows = s
        .engine
        .subject_records(&s.acme, subject, "promote-services", None, None, 10)
        .await
        .unwrap();
    assert_eq!(rows.len(), 2);

    // Rectification with the corrected data: a new version, the old one unreadable.
    let mut new = request("rectification", "email", email);
    new.corrections = vec![Correction {
        record: rows[0].id,
        data: serde_json::from_value(json!({ "name": "Anna de Vries-Jansen" })).unwrap(),
    }];
    let view = s
        .engine
        .file_request(&s.acme, Channel::Dashboard, new)
        .await
        .unwrap();
    assert_eq!(view.state, state::FULFILLED);
    assert_eq!(view.detail.answer.rectified.len(), 1);
    let fixed = s
        .engine
        .record(&s.acme, view.detail.answer.rectified[0], "promote-services")
        .await
        .unwrap();
    assert_eq!(fixed.data.unwrap()["name"], "Anna de Vries-Jansen");

    // An objection waits for a decision; upheld, legitimate-interest processing stops.
    let objection = s
        .engine
        .file_request(&s.acme, Channel::Api, request("objection", "email", email))
        .await
        .unwrap();
    assert_eq!(objection.state, state::IN_PROGRESS);
    let handler = Handler::Tenant(s.acme.clone());
    assert!(matches!(
        s.engine
            .decide_objection(&handler, objection.id, true, " ")
            .await,
        Err(EngineError::Invalid {
            field: "grounds",
            ..
        })
    ));
    let decided = s
        .engine
        .decide_objection(
            &handler,
            objection.id,
            true,
            "No compelling grounds to continue.",
        )
        .await
        .unwrap();
    assert_eq!(decided.state, state::FULFILLED);
    let rows = s
        .engine
        .subject_records(&s.acme, subject, "promote-services", None, None, 10)
        .await
        .unwrap();
    assert!(
        rows.iter().all(|r| r.legal_basis != "legitimate-interest"),
        "{rows:?}"
    );
    assert_eq!(rows.len(), 1);

    // A second objection rejected with recorded grounds is denied.
    let again = s
        .engine
        .file_request(&s.acme, Channel::Api, request("objection", "email", email))
        .await
        .unwrap();
    let denied = s
        .engine
        .decide_objection(
            &handler,
            again.id,
            false,
            "A legal claim requires the data.",
        )
        .await
        .unwrap();
    assert_eq!(denied.state, state::DENIED);
    assert_eq!(denied.reason.as_deref(), Some("compelling_grounds"));
    assert_eq!(
        denied.detail.explanation.as_deref(),
        Some("A legal claim requires the data.")
    );

    // Withdrawal of consent: processing on consent stops too.
    let withdrawn = s
        .engine
        .file_request(
            &s.acme,
            Channel::Api,
            request("withdraw-consent", "email", email),
        )
        .await
        .unwrap();
    assert_eq!(withdrawn.state, state::FULFILLED);
    let rows = s
        .engine
        .subject_records(&s.acme, subject, "promote-services", None, None, 10)
        .await
        .unwrap();
    assert!(rows.is_empty(), "{rows:?}");

    // Restriction: every processing read leaves the subject out.
    let restricted = s
        .engine
        .file_request(
            &s.acme,
            Channel::Api,
            request("restriction", "phone", "+31611111111"),
        )
        .await
        .unwrap();
    assert_eq!(restricted.state, state::FULFILLED);
    let phone_subject = restricted.subject.unwrap();
    assert!(
        s.engine
            .subject_records(&s.acme, phone_subject, "transmission", None, None, 10)
            .await
            .unwrap()
            .is_empty()
    );

    // The CCPA's opt-out: nothing is sold; due in 45 days.
    let mut opt_out = request("sale:opt-out", "email", email);
    opt_out.regime = Some("ccpa".into());
    let view = s
        .engine
        .file_request(&s.acme, Channel::Api, opt_out)
        .await
        .unwrap();
    assert_eq!(view.state, state::FULFILLED);
    assert_eq!(view.regime, "ccpa");
    assert_eq!(view.due_at.to_string(), "2026-03-17T23:59:59.999999Z");

    // Bad input is named.
    assert!(matches!(
        s.engine
            .file_request(&s.acme, Channel::Api, request("teleport", "email", email))
            .await,
        Err(EngineError::Invalid { field: "right", .. })
    ));
}

#[tokio::test]
async fn an_extension_moves_the_deadline_once_and_tells_the_requester_why() {
    let s = setup().await;
    let sink = SmtpSink::start().await;
    let mailer = SmtpMailer::new(&sink.url(), "privacy@custodian.example").unwrap();
    let settings = NoticeSettings {
        public_url: "http://localhost".into(),
    };
    ingest(
        &s,
        &s.acme,
        json!([lead("carla@example.com", "legitimate-interest")]),
    )
    .await;
    let view = s
        .engine
        .file_request(
            &s.acme,
            Channel::Api,
            request("objection", "email", "carla@example.com"),
        )
        .await
        .unwrap();
    let handler = Handler::Tenant(s.acme.clone());
    let extended = s
        .engine
        .extend_request(
            &handler,
            view.id,
            "We received very many requests this month.",
        )
        .await
        .unwrap();
    // Two months from 31 January is 31 March.
    assert_eq!(extended.due_at.to_string(), "2026-03-31T23:59:59.999999Z");
    assert!(extended.extended_from.is_some());
    assert!(matches!(
        s.engine.extend_request(&handler, view.id, "again").await,
        Err(EngineError::Conflict(_))
    ));
    s.engine.dispatch_notices(&mailer, &settings).await.unwrap();
    let mail = sink.wait_for(1, Duration::from_secs(10)).await;
    let text = mail[0].text();
    assert!(text.contains("very many requests"), "{text}");
    assert!(text.contains("2026-03-31"), "{text}");

    // Reminders: a week before, the day before, and when overdue.
    s.clock.set("2026-03-25T08:00:00Z".parse().unwrap());
    assert_eq!(s.engine.remind_requests().await.unwrap(), 1);
    assert_eq!(s.engine.remind_requests().await.unwrap(), 0);
    s.clock.set("2026-04-01T08:00:00Z".parse().unwrap());
    assert_eq!(s.engine.remind_requests().await.unwrap(), 1);
    let overdue = s.engine.overdue_requests().await.unwrap();
    assert_eq!(overdue.len(), 1);
    assert_eq!(overdue[0].days_left, Some(-1));
}

#[tokio::test]
async fn the_privacy_center_verifies_by_code_and_routes_to_the_controller_only() {
    let s = setup().await;
    let sink = SmtpSink::start().await;
    let mailer = SmtpMailer::new(&sink.url(), "privacy@custodian.example").unwrap();
    let settings = NoticeSettings {
        public_url: "http://localhost".into(),
    };
    let email = "dora@example.com";
    // Acme sends Dora e-mail through the platform (Acme controls that data); Globex is a
    // customer whose lead she is, which the platform itself controls.
    ingest(
        &s,
        &s.acme,
        json!([{
            "product": "email", "purpose": "provide-services", "legal_basis": "contract",
            "identifiers": { "email": email },
            "data": { "email-address": email }
        }]),
    )
    .await;
    ingest(
        &s,
        &s.globex,
        json!([lead(email, "consent"), sms("+31622222222")]),
    )
    .await;
    let submitted = s
        .engine
        .submit_public(NewRequest {
            right: "access".into(),
            requester: Requester {
                email: Some(email.into()),
                ..Requester::default()
            },
            locale: Some("nl".into()),
            ..NewRequest::default()
        })
        .await
        .unwrap();
    s.engine.dispatch_notices(&mailer, &settings).await.unwrap();
    let mail = sink.wait_for(1, Duration::from_secs(10)).await;
    let text = mail[0].text();
    let code: String = text
        .split_whitespace()
        .find(|w| w.len() == 6 && w.chars().all(|c| c.is_ascii_digit()))
        .unwrap()
        .to_string();
    // A wrong code is counted and says how many tries are left.
    let wrong = if code == "000000" { "111111" } else { "000000" };
    match s
        .engine
        .verify_public(submitted.request, submitted.code, wrong)
        .await
    {
        Err(EngineError::Invalid {
            field: "code",
            message,
        }) => {
            assert!(message.contains("4"), "{message}")
        }
        other => panic!("{other:?}"),
    }
    let view = s
        .engine
        .verify_public(submitted.request, submitted.code, &code)
        .await
        .unwrap();
    assert_eq!(view.state, state::FULFILLED);
    assert_eq!(view.detail.answer.routed_to, vec!["Acme".to_string()]);
    // The lead the platform controls was answered here: an export of it.
    assert_eq!(view.detail.answer.products.get("leads"), Some(&1));
    assert!(view.detail.answer.export_until.is_some());
    let token = s.engine.request_token(submitted.request);
    let source = s
        .engine
        .public_export(submitted.request, &token)
        .await
        .unwrap();
    assert_eq!(source.subjects.len(), 1);
    assert_eq!(source.subjects[0].0, s.globex.tenant);
    // The code works once.
    assert!(
        s.engine
            .verify_public(submitted.request, submitted.code, &code)
            .await
            .is_err()
    );
    // Acme finds the routed request in its dashboard; Globex finds nothing.
    let acme = s.engine.tenant_requests(&s.acme, true, 10).await.unwrap();
    assert_eq!(acme.len(), 1);
    assert_eq!(acme[0].channel, "routed");
    assert_eq!(acme[0].state, state::RECEIVED);
    // Globex's records here are the platform's own (the lead): handled by the platform, never
    // routed to Globex to act on.
    let globex = s
        .engine
        .tenant_requests(&s.globex, false, 10)
        .await
        .unwrap();
    assert!(
        globex
            .iter()
            .all(|r| r.channel != "routed" && r.state == state::FULFILLED)
    );
    // Acme takes it up; it is carried out in Acme's tenant.
    let done = s.engine.accept_routed(&s.acme, acme[0].id).await.unwrap();
    assert_eq!(done.state, state::FULFILLED);

    // The requester's letters never name Globex.
    s.engine.dispatch_notices(&mailer, &settings).await.unwrap();
    let all = sink.messages().await;
    assert!(all.iter().any(|m| m.text().contains("Acme")));
    assert!(all.iter().all(|m| !m.text().contains("Globex")));
    // The status page works with the token only.
    assert!(
        s.engine
            .public_request(submitted.request, &token)
            .await
            .is_ok()
    );
    assert!(
        s.engine
            .public_request(submitted.request, "0000")
            .await
            .is_err()
    );
}

#[tokio::test]
async fn a_bulk_job_erases_many_subjects_and_reports_progress() {
    let s = setup().await;
    let phones: Vec<String> = (0..40).map(|i| format!("+316100000{i:02}")).collect();
    let records: Vec<serde_json::Value> = phones.iter().map(|p| sms(p)).collect();
    ingest(&s, &s.acme, json!(records)).await;
    let mut subjects: Vec<BulkSubject> = phones
        .iter()
        .map(|p| BulkSubject {
            identifiers: BTreeMap::from([("phone".to_string(), p.clone())]),
            subject: None,
            email: None,
        })
        .collect();
    subjects.push(BulkSubject {
        identifiers: BTreeMap::from([("phone".to_string(), "+31687650000".to_string())]),
        subject: None,
        email: None,
    });
    let job = s
        .engine
        .submit_bulk(&s.acme, "erasure", None, subjects)
        .await
        .unwrap();
    assert_eq!(job.total, 41);
    s.engine.run_job(job.id).await.unwrap();
    let done = s.engine.bulk_job(&s.acme, job.id).await.unwrap();
    assert_eq!(done.done, 41, "{done:?}");
    // Telecom traffic data is kept under its legal duty (R1, six months): each SMS subject's
    // erasure is partial and says so; the unknown number is "no data found".
    assert_eq!(
        done.states.get(state::PARTIALLY_FULFILLED),
        Some(&40),
        "{done:?}"
    );
    assert_eq!(done.states.get(state::FULFILLED), Some(&1), "{done:?}");
    assert!(done.finished_at.is_some());
    // Another customer cannot read the job.
    assert!(s.engine.bulk_job(&s.globex, job.id).await.is_err());
    // One bad entry refuses the whole call and is named.
    let bad = vec![BulkSubject {
        identifiers: BTreeMap::from([("phone".to_string(), "not a number".to_string())]),
        subject: None,
        email: None,
    }];
    match s.engine.submit_bulk(&s.acme, "erasure", None, bad).await {
        Err(EngineError::InvalidField { field, .. }) => {
            assert_eq!(field, "subjects[0].identifiers.phone")
        }
        other => panic!("{other:?}"),
    }
    let listed = s
        .engine
        .store()
        .rights_requests(&RightsFilter {
            scope: RequestScope::Tenant(s.acme.tenant),
            limit: 1000,
            ..RightsFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(listed.len(), 41);
}

#[tokio::test]
async fn confirmations_are_kept_five_years_then_deleted() {
    let s = setup().await;
    let view = s
        .engine
        .file_request(
            &s.acme,
            Channel::Api,
            request("access", "phone", "+31633333333"),
        )
        .await
        .unwrap();
    assert!(s.engine.confirmation(view.id).await.unwrap().is_some());
    s.clock.set("2031-01-30T10:00:00Z".parse().unwrap());
    assert_eq!(s.engine.purge_confirmations().await.unwrap(), 0);
    s.clock
        .set("2031-02-02T00:00:00Z".parse::<Timestamp>().unwrap());
    assert_eq!(s.engine.purge_confirmations().await.unwrap(), 1);
    assert!(s.engine.confirmation(view.id).await.unwrap().is_none());
}

#[tokio::test]
async fn a_fee_is_charged_only_while_the_policy_in_force_allows_one() {
    // The seeds' policy with the 2016 statement in force: "a fee of up to £10".
    let dir = tempfile::tempdir().unwrap();
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies/messagebird");
    custodian_testkit::copy_dir(&source, dir.path());
    let manifest = dir.path().join("policy.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(
        &manifest,
        text.replace("current = \"2023\"", "current = \"2016\""),
    )
    .unwrap();
    let (policy, report) = custodian_policy::load(dir.path());
    let policy = policy.unwrap_or_else(|| panic!("{}", report.render(false)));

    for (policy, expected) in [(policy, Some("GBP 10.00")), (seeds_policy(), None)] {
        let db = TestDb::new().await;
        let master = Arc::new(MasterKey::generate());
        let store = custodian_store::open(&db.location, chain_key(&master))
            .await
            .unwrap();
        let keys = custodian_store::open_keys(&db.location).await.unwrap();
        let engine = Engine::new(
            store,
            keys,
            Arc::new(policy),
            Arc::new(custodian_core::SystemClock),
            master,
        )
        .await
        .unwrap()
        .with_rights_settings(custodian_engine::RightsSettings {
            fee: Some(25.0),
            ..custodian_engine::RightsSettings::default()
        });
        let t = engine
            .create_tenant(&Actor::Cli, "Acme", Some("NL"))
            .await
            .unwrap();
        let scopes: Vec<String> = Scope::ALL.iter().map(|s| s.as_str().to_string()).collect();
        let key = engine
            .create_api_key(&Actor::Cli, t.id, "test", &scopes)
            .await
            .unwrap();
        let p = engine.authenticate(&key.token).await.unwrap();
        let view = engine
            .file_request(&p, Channel::Api, request("access", "phone", "+31612345678"))
            .await
            .unwrap();
        // Capped at the policy's maximum; none at all under the 2023 statement.
        assert_eq!(view.detail.fee.as_deref(), expected);
    }
}

#[tokio::test]
async fn an_expired_code_says_so_and_a_new_one_works() {
    let s = setup().await;
    let submitted = s
        .engine
        .submit_public(NewRequest {
            right: "access".into(),
            requester: Requester {
                email: Some("ivy@example.com".into()),
                ..Requester::default()
            },
            ..NewRequest::default()
        })
        .await
        .unwrap();
    s.clock.set("2026-01-31T10:31:00Z".parse().unwrap());
    match s
        .engine
        .verify_public(submitted.request, submitted.code, "123456")
        .await
    {
        Err(EngineError::Invalid {
            field: "code",
            message,
        }) => {
            assert!(message.contains("expired"), "{message}")
        }
        other => panic!("{other:?}"),
    }
    // Three codes an hour per address: the first plus two more, then a clear refusal.
    let again = s.engine.resend_code(submitted.request).await.unwrap();
    s.engine.resend_code(submitted.request).await.unwrap();
    assert!(matches!(
        s.engine.resend_code(submitted.request).await,
        Err(EngineError::Limited { .. })
    ));
    assert!(again.expires_at > s.engine.clock().now());
}
