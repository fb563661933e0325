//! Staff accountability on the selected backend, with a fixed clock: the role × action matrix
//! (every action, every role, allowed and denied), time-restricted grants that end by
//! themselves, four-eyes approvals (never the requester's own; a compliance officer's reviewed
//! by another role), audited staff reads, the compliance audit view, credential lock-down from
//! a mail, Children reports with expedited erasure, and government disclosure requests through
//! every branch with the transparency report.
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::path::Path;
use std::sync::Arc;

use custodian_core::{FixedClock, SubjectId, TenantId};
use custodian_engine::access::{Action, Permit};
use custodian_engine::accounts::{AccountSettings, ClientInfo};
use custodian_engine::approvals::Executed;
use custodian_engine::disclosure::DisclosureIntake;
use custodian_engine::records::IngestRecord;
use custodian_engine::totp::{self, TotpSecret};
use custodian_engine::{Actor, Engine, EngineError, Principal, chain_key};
use custodian_store::{AccountRow, AuditFilter, CaseFilter, Outcome};
use custodian_testkit::TestDb;
use custodian_vault::MasterKey;
use jiff::{SignedDuration, Timestamp};
use serde_json::json;

struct Setup {
    _db: TestDb,
    clock: Arc<FixedClock>,
    engine: Engine,
    tenant: TenantId,
    token: String,
}

fn t0() -> Timestamp {
    "2026-03-02T09:00:00Z".parse().unwrap()
}

async fn setup() -> Setup {
    let db = TestDb::new().await;
    let master = Arc::new(MasterKey::generate());
    let clock = Arc::new(FixedClock::new(t0()));
    let store = custodian_store::open(&db.location, chain_key(&master))
        .await
        .unwrap();
    let keys = custodian_store::open_keys(&db.location).await.unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies/messagebird");
    let (policy, report) = custodian_policy::load(&dir);
    let policy = policy.unwrap_or_else(|| panic!("{}", report.render(false)));
    let engine = Engine::new(store, keys, Arc::new(policy), clock.clone(), master)
        .await
        .unwrap()
        .with_account_settings(AccountSettings::default());
    let tenant = engine
        .create_tenant(&Actor::Cli, "Acme", Some("NL"))
        .await
        .unwrap()
        .id;
    let key = engine
        .create_api_key(
            &Actor::Cli,
            tenant,
            "test",
            &["records:read".to_string(), "records:write".to_string()],
        )
        .await
        .unwrap();
    Setup {
        _db: db,
        clock,
        engine,
        tenant,
        token: key.token,
    }
}

/// A member of staff with `roles` and a confirmed second factor.
async fn staff(s: &Setup, name: &str, roles: &[&str]) -> AccountRow {
    let roles: Vec<String> = roles.iter().map(|r| r.to_string()).collect();
    let (account, enrolment) = s
        .engine
        .create_staff(
            &Actor::Cli,
            &format!("{name}@custodian.example"),
            "a long staff pass phrase",
            &roles,
            "en",
        )
        .await
        .unwrap();
    let secret = TotpSecret::from_base32(&enrolment.secret).unwrap();
    let step = totp::step_at(s.engine.now());
    s.engine
        .confirm_totp(account.id, &totp::code_at_step(&secret, step))
        .await
        .unwrap();
    s.engine.store().account(account.id).await.unwrap().unwrap()
}

async fn principal(s: &Setup) -> Principal {
    s.engine.authenticate(&s.token).await.unwrap()
}

/// Ingests one SMS for `phone` a day before t0; returns (subject, record id).
async fn sms(s: &Setup, phone: &str) -> (SubjectId, custodian_core::RecordId) {
    let record: IngestRecord = serde_json::from_value(json!({
        "product": "sms",
        "purpose": "transmission",
        "legal_basis": "contract",
        "identifiers": { "phone": phone },
        "occurred_at": t0() - SignedDuration::from_hours(24),
        "data": { "phone-number": phone, "communication-content": "Your code is 4921" }
    }))
    .unwrap();
    let p = principal(s).await;
    let stored = s.engine.ingest(&p, vec![record], None, b"").await.unwrap();
    (stored.records[0].subject, stored.records[0].id)
}

fn advance(s: &Setup, by: SignedDuration) {
    s.clock.set(s.engine.now() + by);
}

fn not_permitted(e: &EngineError) -> bool {
    matches!(e, EngineError::NotPermitted(_))
}

/// The matrix as the design states it, written out independently of the code:
/// A allowed, G only with a grant, D denied. Columns: compliance officer, legal, support,
/// security, engineer.
const MATRIX: [(&str, [char; 5]); 15] = [
    ("read-personal-data", ['G', 'G', 'G', 'G', 'G']),
    ("bulk-export", ['A', 'A', 'D', 'D', 'D']),
    ("purge-tenant", ['A', 'A', 'D', 'D', 'D']),
    ("publish-policy", ['A', 'A', 'D', 'D', 'D']),
    ("destroy-keys", ['A', 'D', 'D', 'A', 'D']),
    ("release-disclosure", ['A', 'A', 'D', 'D', 'D']),
    ("approve-grants", ['A', 'D', 'D', 'A', 'D']),
    ("read-audit", ['A', 'A', 'D', 'A', 'D']),
    ("export-audit", ['A', 'D', 'D', 'A', 'D']),
    ("manage-staff", ['D', 'D', 'D', 'A', 'D']),
    ("handle-cases", ['A', 'A', 'A', 'A', 'D']),
    ("review-disclosure", ['A', 'A', 'D', 'D', 'D']),
    ("lock-account", ['A', 'D', 'A', 'A', 'D']),
    ("place-hold", ['A', 'A', 'D', 'D', 'D']),
    ("operate-system", ['D', 'D', 'D', 'D', 'A']),
];

const ROLES: [&str; 5] = [
    "compliance-officer",
    "legal",
    "support",
    "security",
    "engineer",
];

#[tokio::test]
async fn every_role_is_allowed_exactly_its_actions_and_grants_open_the_rest() {
    let s = setup().await;
    let mut people = Vec::new();
    for role in ROLES {
        people.push(staff(&s, role, &[role]).await);
    }
    let approver = staff(&s, "approver", &["security"]).await;
    let mut denials = 0;
    for (action, row) in MATRIX {
        let action = Action::parse(action).unwrap();
        for (person, expected) in people.iter().zip(row) {
            let got = s.engine.permit(person, action, Some(s.tenant)).await;
            match expected {
                'A' => assert!(
                    matches!(got, Ok(Permit::Role(_))),
                    "{} should be allowed {action}: {got:?}",
                    person.roles[0]
                ),
                _ => {
                    let e = got.unwrap_err();
                    assert!(not_permitted(&e), "{action} for {}: {e}", person.roles[0]);
                    denials += 1;
                }
            }
        }
    }
    assert_eq!(
        Action::ALL.len(),
        MATRIX.len(),
        "every action is in the matrix"
    );
    // Every refusal is audited as denied.
    let denied = s
        .engine
        .store()
        .audit_events(&AuditFilter {
            limit: 10_000,
            action: Some("access.check".into()),
            outcome: Some(Outcome::Denied),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(denied.len(), denials);

    // Roles marked G get the action under an approved grant, limited to its tenant.
    let other = s
        .engine
        .create_tenant(&Actor::Cli, "Other", Some("NL"))
        .await
        .unwrap()
        .id;
    for person in &people {
        let (grant, approval) = s
            .engine
            .request_grant(
                person,
                Action::ReadPersonalData,
                Some(s.tenant),
                "ticket SUP-1234: customer asked us to look",
                SignedDuration::from_mins(30),
            )
            .await
            .unwrap();
        s.engine
            .decide_approval(&approver, approval.id, true, Some("ok"))
            .await
            .unwrap();
        assert_eq!(
            s.engine
                .permit(person, Action::ReadPersonalData, Some(s.tenant))
                .await
                .unwrap(),
            Permit::Grant(grant.id)
        );
        let e = s
            .engine
            .permit(person, Action::ReadPersonalData, Some(other))
            .await
            .unwrap_err();
        assert!(not_permitted(&e), "{e}");
    }
    // Grants give only what grants give.
    let e = s
        .engine
        .request_grant(
            &people[2],
            Action::PurgeTenant,
            Some(s.tenant),
            "I would like to purge it please",
            SignedDuration::from_mins(30),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            EngineError::Invalid {
                field: "action",
                ..
            }
        ),
        "{e}"
    );
}

#[tokio::test]
async fn a_grant_ends_by_itself_and_an_expired_grant_is_refused() {
    let s = setup().await;
    let support = staff(&s, "support", &["support"]).await;
    let security = staff(&s, "security", &["security"]).await;
    let (_, record) = sms(&s, "+31612345678").await;
    let subject = s
        .engine
        .store()
        .record(s.tenant, record)
        .await
        .unwrap()
        .unwrap()
        .subject;

    // Without a grant: refused, and the refusal says how to get one.
    let e = s
        .engine
        .staff_principal(&support, s.tenant, "ticket SUP-77 customer asks")
        .await
        .unwrap_err();
    assert!(e.to_string().contains("grant"), "{e}");

    // A grant over the limit, or without a reason, is refused.
    let e = s
        .engine
        .request_grant(
            &support,
            Action::ReadPersonalData,
            Some(s.tenant),
            "ticket SUP-77 customer asks",
            SignedDuration::from_hours(9),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            EngineError::Invalid {
                field: "duration_minutes",
                ..
            }
        ),
        "{e}"
    );
    let e = s
        .engine
        .request_grant(
            &support,
            Action::ReadPersonalData,
            Some(s.tenant),
            "because",
            SignedDuration::from_hours(1),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            EngineError::Invalid {
                field: "reason",
                ..
            }
        ),
        "{e}"
    );

    let (grant, approval) = s
        .engine
        .request_grant(
            &support,
            Action::ReadPersonalData,
            Some(s.tenant),
            "ticket SUP-77 customer asks",
            SignedDuration::from_hours(1),
        )
        .await
        .unwrap();
    // Pending: not yet usable.
    assert!(
        s.engine
            .staff_principal(&support, s.tenant, "ticket SUP-77 customer asks")
            .await
            .is_err()
    );
    s.engine
        .decide_approval(&security, approval.id, true, None)
        .await
        .unwrap();

    // The read works, and is audited with its purpose and reason.
    let p = s
        .engine
        .staff_principal(&support, s.tenant, "ticket SUP-77 customer asks")
        .await
        .unwrap();
    let records = s
        .engine
        .subject_records(&p, subject, "customer-support", None, None, 10)
        .await
        .unwrap();
    assert_eq!(records.len(), 1);
    assert!(records[0].data.is_some());
    let reads = s
        .engine
        .audit_view(
            &security,
            &AuditFilter {
                limit: 100,
                actor: Some(format!("account:{}", support.id)),
                action: Some("records.read".into()),
                ..AuditFilter::default()
            },
            false,
        )
        .await
        .unwrap();
    assert_eq!(reads.len(), 1);
    assert_eq!(reads[0].event.purpose.as_deref(), Some("customer-support"));
    let detail = reads[0].event.detail.as_deref().unwrap();
    assert!(
        detail.contains("SUP-77") && detail.contains(&grant.id.to_string()),
        "{detail}"
    );

    // An hour later it is over: refused, and the sweep closes it.
    advance(&s, SignedDuration::from_mins(61));
    let e = s
        .engine
        .staff_principal(&support, s.tenant, "ticket SUP-77 customer asks")
        .await
        .unwrap_err();
    assert!(not_permitted(&e), "{e}");
    assert_eq!(s.engine.expire_access().await.unwrap(), (1, 0));
    assert_eq!(s.engine.expire_access().await.unwrap(), (0, 0));
    let ended = s.engine.store().grant(grant.id).await.unwrap().unwrap();
    assert_eq!(ended.revoked_by.as_deref(), Some("expiry"));

    // A grant revoked early stops at once.
    let (_, approval) = s
        .engine
        .request_grant(
            &support,
            Action::ReadPersonalData,
            None,
            "ticket SUP-78 incident follow-up",
            SignedDuration::from_hours(1),
        )
        .await
        .unwrap();
    let approved = s
        .engine
        .decide_approval(&security, approval.id, true, None)
        .await
        .unwrap();
    assert_eq!(approved.state, "executed");
    let grant_id = approved.target.parse().unwrap();
    s.engine.revoke_grant(&support, grant_id).await.unwrap();
    assert!(
        s.engine
            .staff_principal(&support, s.tenant, "ticket SUP-78 incident follow-up")
            .await
            .is_err()
    );
    // Requests nobody decides lapse after a week.
    s.engine
        .request_grant(
            &support,
            Action::ReadPersonalData,
            None,
            "ticket SUP-79 incident follow-up",
            SignedDuration::from_hours(1),
        )
        .await
        .unwrap();
    advance(&s, SignedDuration::from_hours(24 * 8));
    assert_eq!(s.engine.expire_access().await.unwrap(), (0, 1));
}

#[tokio::test]
async fn four_eyes_refuses_the_requester_and_a_compliance_officer_needs_another_role() {
    let s = setup().await;
    let officer = staff(&s, "officer", &["compliance-officer"]).await;
    let officer2 = staff(&s, "officer2", &["compliance-officer"]).await;
    let lawyer = staff(&s, "lawyer", &["legal"]).await;
    let support = staff(&s, "support", &["support"]).await;
    let (_, record) = sms(&s, "+31612345678").await;

    // Support may not even ask.
    let e = s
        .engine
        .request_four_eyes(
            &support,
            "purge-tenant",
            Some(s.tenant),
            json!({}),
            "customer left us long ago",
        )
        .await
        .unwrap_err();
    assert!(not_permitted(&e), "{e}");

    let purge = s
        .engine
        .request_four_eyes(
            &officer,
            "purge-tenant",
            Some(s.tenant),
            json!({}),
            "contract ended, data to go",
        )
        .await
        .unwrap();
    // Not before approval.
    let e = s
        .engine
        .execute_approval(&officer, purge.id)
        .await
        .unwrap_err();
    assert!(matches!(e, EngineError::Conflict(_)), "{e}");
    // Not by the requester.
    let e = s
        .engine
        .decide_approval(&officer, purge.id, true, None)
        .await
        .unwrap_err();
    assert!(not_permitted(&e), "{e}");
    // Not by another compliance officer: the officer's actions are reviewed by another role.
    let e = s
        .engine
        .decide_approval(&officer2, purge.id, true, None)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("another role"), "{e}");
    // Not by someone whose role may not purge.
    let e = s
        .engine
        .decide_approval(&support, purge.id, true, None)
        .await
        .unwrap_err();
    assert!(not_permitted(&e), "{e}");
    // Legal approves; only the requester carries it out, once.
    s.engine
        .decide_approval(&lawyer, purge.id, true, Some("contract end confirmed"))
        .await
        .unwrap();
    let e = s
        .engine
        .decide_approval(&lawyer, purge.id, false, None)
        .await
        .unwrap_err();
    assert!(matches!(e, EngineError::Conflict(_)), "{e}");
    let e = s
        .engine
        .execute_approval(&lawyer, purge.id)
        .await
        .unwrap_err();
    assert!(not_permitted(&e), "{e}");
    let done = s.engine.execute_approval(&officer, purge.id).await.unwrap();
    let Executed::Purged {
        keys_destroyed,
        api_keys_revoked,
        ..
    } = done
    else {
        panic!("{done:?}")
    };
    assert!(keys_destroyed >= 1);
    assert_eq!(api_keys_revoked, 1);
    let e = s
        .engine
        .execute_approval(&officer, purge.id)
        .await
        .unwrap_err();
    assert!(matches!(e, EngineError::Conflict(_)), "{e}");
    // The data is unreadable and the key gone.
    assert!(s.engine.authenticate(&s.token).await.is_err());
    let row = s.engine.store().record(s.tenant, record).await.unwrap();
    assert!(
        row.is_some(),
        "rows stay, unreadable, until their partition or sweep"
    );

    // A rejected request cannot run.
    let publish = s
        .engine
        .request_four_eyes(
            &lawyer,
            "publish-policy",
            None,
            json!({"version": "2023"}),
            "publish the reviewed text",
        )
        .await
        .unwrap();
    let rejected = s
        .engine
        .decide_approval(&officer, publish.id, false, Some("not yet reviewed by DPO"))
        .await
        .unwrap();
    assert_eq!(rejected.state, "rejected");
    let e = s
        .engine
        .execute_approval(&lawyer, publish.id)
        .await
        .unwrap_err();
    assert!(matches!(e, EngineError::Conflict(_)), "{e}");

    // Bad parameters are refused before anyone is asked.
    let e = s
        .engine
        .request_four_eyes(
            &lawyer,
            "publish-policy",
            None,
            json!({"version": "1999"}),
            "publish the reviewed text",
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            EngineError::Invalid {
                field: "payload.version",
                ..
            }
        ),
        "{e}"
    );
    let e = s
        .engine
        .request_four_eyes(
            &officer,
            "destroy-keys",
            Some(s.tenant),
            json!({"subjects": ["x"], "scopes": ["erasable"]}),
            "court ordered destruction",
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            EngineError::Invalid {
                field: "payload.subjects",
                ..
            }
        ),
        "{e}"
    );
}

#[tokio::test]
async fn key_destruction_and_bulk_export_run_only_after_a_second_person_approves() {
    let s = setup().await;
    let security = staff(&s, "security", &["security"]).await;
    let officer = staff(&s, "officer", &["compliance-officer"]).await;
    let lawyer = staff(&s, "lawyer", &["legal"]).await;
    let (subject, record) = sms(&s, "+31612345678").await;
    sms(&s, "+31687654321").await;

    let export = s
        .engine
        .request_four_eyes(
            &lawyer,
            "bulk-export",
            Some(s.tenant),
            json!({"purpose": "legal-requirements"}),
            "regulator inquiry NL-2026-4",
        )
        .await
        .unwrap();
    s.engine
        .decide_approval(&officer, export.id, true, None)
        .await
        .unwrap();
    let Executed::Exported { records, .. } =
        s.engine.execute_approval(&lawyer, export.id).await.unwrap()
    else {
        panic!("not an export")
    };
    assert_eq!(records.len(), 2);
    assert!(records.iter().all(|r| r.data.is_some()));

    let destroy = s
        .engine
        .request_four_eyes(
            &security,
            "destroy-keys",
            Some(s.tenant),
            json!({"subjects": [subject.to_string()], "scopes": ["erasable", "legal"]}),
            "court order 2026/881 to destroy",
        )
        .await
        .unwrap();
    s.engine
        .decide_approval(&officer, destroy.id, true, None)
        .await
        .unwrap();
    let Executed::Destroyed { destroyed, .. } = s
        .engine
        .execute_approval(&security, destroy.id)
        .await
        .unwrap()
    else {
        panic!("not a destruction")
    };
    assert!(destroyed.destroyed >= 1);
    let p = principal(&s).await;
    let opened = s.engine.record(&p, record, "transmission").await.unwrap();
    assert!(
        opened.data.is_none(),
        "the subject's record no longer opens"
    );
}

fn compromise_mail(from: &str, subject: &str) -> Vec<u8> {
    format!(
        "From: Owner <{from}>\r\nTo: security@messagebird.com\r\nSubject: {subject}\r\nMessage-ID: <m1@example.com>\r\nDate: Mon, 2 Mar 2026 08:00:00 +0000\r\n\r\nSomeone logged in to my account.\r\n"
    )
    .into_bytes()
}

#[tokio::test]
async fn a_compromise_mail_locks_the_account_down_and_a_new_password_unlocks_it() {
    let s = setup().await;
    let account = s
        .engine
        .sign_up(custodian_engine::accounts::SignUp {
            email: "owner@shop.example".into(),
            password: "correct horse battery staple".into(),
            company: "Shop".into(),
            region: Some("NL".into()),
            locale: "nl".into(),
            terms_version: "2023-01".into(),
            dpa_version: "2023-01".into(),
            adult: true,
        })
        .await
        .unwrap();
    let tenant = account.tenant.unwrap();
    let key = s
        .engine
        .create_api_key(&Actor::Cli, tenant, "shop", &["records:read".to_string()])
        .await
        .unwrap();
    let client = ClientInfo {
        ip: Some("192.0.2.1".into()),
        country: None,
        user_agent: Some("Firefox".into()),
    };
    let session = s
        .engine
        .sign_in(
            "owner@shop.example",
            "correct horse battery staple",
            None,
            &client,
        )
        .await
        .unwrap();

    // The Dutch seed's translated subject, from the account's own address.
    let case = s
        .engine
        .intake_mail(
            &compromise_mail("owner@shop.example", "Urgent: accountgegevens"),
            &[],
            "mail",
        )
        .await
        .unwrap();
    assert_eq!(case.kind, "credential-compromise");
    assert_eq!(case.priority, "urgent");
    assert_eq!(case.state, "contained");
    assert_eq!(case.account, Some(account.id));
    assert!(case.detail.actions[0].text.contains("1 API key(s) revoked"));

    // Locked, sessions ended, API keys revoked, the owner told.
    let e = s.engine.session(&session.token).await.unwrap_err();
    assert!(
        matches!(e, EngineError::Unauthenticated(_) | EngineError::Locked),
        "{e}"
    );
    assert!(s.engine.authenticate(&key.token).await.is_err());
    let e = s
        .engine
        .sign_in(
            "owner@shop.example",
            "correct horse battery staple",
            None,
            &client,
        )
        .await
        .unwrap_err();
    assert!(matches!(e, EngineError::Locked), "{e}");
    let mails = s
        .engine
        .store()
        .claim_account_mail(t0(), t0() + SignedDuration::from_mins(5), 10)
        .await
        .unwrap();
    assert!(
        mails
            .iter()
            .any(|m| m.kind == "lockdown" && m.reference == case.id.to_string())
    );

    // The link's new password unlocks it.
    let locked = s.engine.store().account(account.id).await.unwrap().unwrap();
    assert!(locked.must_reset);
    let token = s.engine.reset_token(&locked);
    s.engine
        .reset_password(&token, "a brand new pass phrase 2026")
        .await
        .unwrap();
    s.engine
        .sign_in(
            "owner@shop.example",
            "a brand new pass phrase 2026",
            None,
            &client,
        )
        .await
        .unwrap();

    // From an unknown address: an urgent case without a lock; the form never tells.
    let stranger = s
        .engine
        .intake_mail(
            &compromise_mail("someone@else.example", "RE: 紧急：账户凭证"),
            &[],
            "mail",
        )
        .await
        .unwrap();
    assert_eq!(stranger.kind, "credential-compromise");
    assert_eq!(stranger.state, "open");
    let reference = s
        .engine
        .report_compromise("nobody@nowhere.example", "my password leaked", "form")
        .await
        .unwrap();
    assert!(s.engine.store().case(reference).await.unwrap().is_some());
}

#[tokio::test]
async fn mail_is_routed_by_subject_in_every_language_and_children_are_erased_fast() {
    let s = setup().await;
    let support = staff(&s, "support", &["support"]).await;
    let engineer = staff(&s, "engineer", &["engineer"]).await;
    let (_, record) = sms(&s, "+31611112222").await;
    let mail = |subject: &str| {
        format!(
            "From: parent@home.example\r\nTo: privacy@messagebird.com\r\nSubject: {subject}\r\n\r\nMy daughter is 15 and her number is +31611112222.\r\n"
        )
        .into_bytes()
    };
    let mut kinds = Vec::new();
    for subject in [
        "Kinderen",
        "儿童",
        "Children",
        "Dispute",
        "争议",
        "Please delete my data",
        "Hello",
    ] {
        kinds.push(
            s.engine
                .intake_mail(&mail(subject), &[], "mail")
                .await
                .unwrap(),
        );
    }
    let names: Vec<&str> = kinds.iter().map(|c| c.kind.as_str()).collect();
    assert_eq!(
        names,
        [
            "children",
            "children",
            "children",
            "dispute",
            "dispute",
            "data-request",
            "general"
        ]
    );
    let child = &kinds[0];
    assert_eq!(child.priority, "high");
    assert_eq!(child.due_at, Some(t0() + SignedDuration::from_hours(72)));

    // Engineers do not handle cases; support does, and the listing is audited.
    let e = s
        .engine
        .cases(&engineer, &CaseFilter::default())
        .await
        .unwrap_err();
    assert!(not_permitted(&e), "{e}");
    let open = s
        .engine
        .cases(
            &support,
            &CaseFilter {
                kind: Some("children".into()),
                open_only: true,
                limit: 10,
            },
        )
        .await
        .unwrap();
    assert_eq!(open.len(), 3);
    assert!(open[0].detail.text.contains("15"));

    // Wrong case kind is refused; the child's data is erased and the case closes.
    let e = s
        .engine
        .erase_child(&support, kinds[3].id, s.tenant, "phone", "+31611112222")
        .await
        .unwrap_err();
    assert!(
        matches!(e, EngineError::Invalid { field: "case", .. }),
        "{e}"
    );
    let closed = s
        .engine
        .erase_child(&support, child.id, s.tenant, "phone", "+31611112222")
        .await
        .unwrap();
    assert_eq!(closed.state, "closed");
    assert!(
        closed.detail.actions[0].text.contains("erased"),
        "{:?}",
        closed.detail.actions
    );
    let p = principal(&s).await;
    assert!(
        s.engine
            .record(&p, record, "transmission")
            .await
            .unwrap()
            .data
            .is_none()
    );
    // No data for the identifier: said so, not an error.
    let none = s
        .engine
        .erase_child(&support, kinds[1].id, s.tenant, "phone", "+31687654321")
        .await
        .unwrap();
    assert!(none.detail.actions[0].text.contains("no data found"));
}

fn intake(tenant: TenantId) -> DisclosureIntake {
    DisclosureIntake {
        authority: "Rechtbank Amsterdam".into(),
        authority_type: "court".into(),
        country: "NL".into(),
        instrument: "court-order".into(),
        reference: "C/13/2026/0042".into(),
        tenant,
        categories: vec!["phone-number".into()],
        period_from: Some("2026-02-01".parse().unwrap()),
        period_to: Some("2026-03-01".parse().unwrap()),
    }
}

#[tokio::test]
async fn a_disclosure_request_goes_through_every_branch_and_is_counted() {
    let s = setup().await;
    let lawyer = staff(&s, "lawyer", &["legal"]).await;
    let officer = staff(&s, "officer", &["compliance-officer"]).await;
    let support = staff(&s, "support", &["support"]).await;
    sms(&s, "+31612345678").await;
    s.engine
        .sign_up(custodian_engine::accounts::SignUp {
            email: "owner@acme.example".into(),
            password: "correct horse battery staple".into(),
            company: "Acme two".into(),
            region: Some("NL".into()),
            locale: "en".into(),
            terms_version: "2023-01".into(),
            dpa_version: "2023-01".into(),
            adult: true,
        })
        .await
        .unwrap();

    // Support may not record one.
    let e = s
        .engine
        .intake_disclosure(&support, intake(s.tenant))
        .await
        .unwrap_err();
    assert!(not_permitted(&e), "{e}");

    // 1. Not admissible: an informal letter from abroad with no period → push-back, closed.
    let mut bad = intake(s.tenant);
    bad.country = "XX".into();
    bad.instrument = "letter".into();
    bad.period_to = None;
    let case = s.engine.intake_disclosure(&lawyer, bad).await.unwrap();
    let tests: Vec<bool> = case
        .detail
        .disclosure
        .as_ref()
        .unwrap()
        .tests
        .iter()
        .map(|t| t.passed)
        .collect();
    assert_eq!(tests, [true, false, false, false]);
    let holds = s.engine.store().holds(Some(s.tenant)).await.unwrap();
    assert_eq!(
        holds.iter().filter(|h| h.active_at(t0())).count(),
        1,
        "a hold while open"
    );
    let e = s
        .engine
        .review_disclosure(&lawyer, case.id, true, "looks fine to me", None)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("applicable-jurisdiction"), "{e}");
    let e = s
        .engine
        .review_disclosure(&lawyer, case.id, false, "refused on all counts", None)
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            EngineError::Invalid {
                field: "push_back",
                ..
            }
        ),
        "{e}"
    );
    let pushed = s
        .engine
        .review_disclosure(
            &lawyer,
            case.id,
            false,
            "refused on three tests",
            Some("We cannot act on this letter: send an enforceable order under a law that applies to us, naming a specific period."),
        )
        .await
        .unwrap();
    assert_eq!(pushed.state, "pushed-back");
    assert!(pushed.closed_at.is_some());
    let holds = s.engine.store().holds(Some(s.tenant)).await.unwrap();
    assert_eq!(
        holds.iter().filter(|h| h.active_at(t0())).count(),
        0,
        "hold lifted"
    );

    // 2. Admissible, the customer not told for a while: needs a legal ground and an end date.
    let case = s
        .engine
        .intake_disclosure(&lawyer, intake(s.tenant))
        .await
        .unwrap();
    let e = s
        .engine
        .request_disclosure_release(&lawyer, case.id, "release as ordered by the court")
        .await
        .unwrap_err();
    assert!(
        matches!(e, EngineError::Conflict(_)),
        "not before review: {e}"
    );
    s.engine
        .review_disclosure(&lawyer, case.id, true, "all four tests pass", None)
        .await
        .unwrap();
    let e = s
        .engine
        .decide_disclosure_notice(&lawyer, case.id, false, None, None)
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            EngineError::Invalid {
                field: "legal_ground",
                ..
            }
        ),
        "{e}"
    );
    let e = s
        .engine
        .decide_disclosure_notice(
            &lawyer,
            case.id,
            false,
            Some("art. 126ng Sv gag order"),
            None,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(e, EngineError::Invalid { field: "until", .. }),
        "{e}"
    );
    s.engine
        .decide_disclosure_notice(
            &lawyer,
            case.id,
            false,
            Some("art. 126ng Sv gag order"),
            Some("2026-04-01".parse().unwrap()),
        )
        .await
        .unwrap();

    // Release: asked by legal, never approved by legal itself, approved by the officer.
    let approval = s
        .engine
        .request_disclosure_release(&lawyer, case.id, "release as ordered by the court")
        .await
        .unwrap();
    let e = s
        .engine
        .release_disclosure(&lawyer, case.id)
        .await
        .unwrap_err();
    assert!(matches!(e, EngineError::Conflict(_)), "{e}");
    let e = s
        .engine
        .decide_approval(&lawyer, approval.id, true, None)
        .await
        .unwrap_err();
    assert!(not_permitted(&e), "{e}");
    s.engine
        .decide_approval(&officer, approval.id, true, None)
        .await
        .unwrap();
    let released = s.engine.release_disclosure(&lawyer, case.id).await.unwrap();
    assert_eq!(
        released.len(),
        1,
        "one SMS in the period, in the category asked for"
    );
    let e = s
        .engine
        .release_disclosure(&lawyer, case.id)
        .await
        .unwrap_err();
    assert!(matches!(e, EngineError::Conflict(_)), "released once: {e}");

    // Not told during the gag; told the day after it ends.
    assert_eq!(s.engine.notify_after_deferral().await.unwrap(), 0);
    advance(&s, SignedDuration::from_hours(24 * 31));
    assert_eq!(s.engine.notify_after_deferral().await.unwrap(), 1);
    assert_eq!(s.engine.notify_after_deferral().await.unwrap(), 0);

    // 3. Admissible and told at once.
    let case = s
        .engine
        .intake_disclosure(&officer, intake(s.tenant))
        .await
        .unwrap();
    s.engine
        .review_disclosure(&officer, case.id, true, "all four tests pass", None)
        .await
        .unwrap();
    let told = s
        .engine
        .decide_disclosure_notice(&officer, case.id, true, None, None)
        .await
        .unwrap();
    assert!(
        told.detail
            .disclosure
            .unwrap()
            .notice
            .unwrap()
            .notified_at
            .is_some()
    );

    // The report counts each by country, authority and outcome.
    let report = s
        .engine
        .transparency_report(
            t0() - SignedDuration::from_hours(24),
            t0() + SignedDuration::from_hours(24 * 365),
        )
        .await
        .unwrap();
    assert_eq!(report.total, 3);
    assert_eq!(report.by_country.get("NL"), Some(&2));
    assert_eq!(report.by_country.get("XX"), Some(&1));
    assert_eq!(report.by_outcome.get("pushed-back"), Some(&1));
    assert_eq!(report.by_outcome.get("disclosed"), Some(&1));
    assert_eq!(report.by_outcome.get("pending"), Some(&1));
    assert_eq!(report.by_authority_type.get("court"), Some(&3));
}

#[tokio::test]
async fn a_compliance_officers_own_actions_are_reviewed_by_another_role() {
    let s = setup().await;
    let officer = staff(&s, "officer", &["compliance-officer"]).await;
    let officer2 = staff(&s, "officer2", &["compliance-officer"]).await;
    let lawyer = staff(&s, "lawyer", &["legal"]).await;
    // The officer works: reads the audit log and opens a disclosure request.
    s.engine
        .audit_view(
            &officer,
            &AuditFilter {
                limit: 10,
                ..AuditFilter::default()
            },
            false,
        )
        .await
        .unwrap();
    s.engine
        .intake_disclosure(&officer, intake(s.tenant))
        .await
        .unwrap();

    // Another officer may not review them; legal may.
    let e = s.engine.officer_actions(&officer2).await.unwrap_err();
    assert!(e.to_string().contains("another role"), "{e}");
    let (from, events) = s.engine.officer_actions(&lawyer).await.unwrap();
    assert_eq!(from, 0);
    let actions: Vec<&str> = events.iter().map(|e| e.event.action.as_str()).collect();
    assert!(
        actions.contains(&"audit.read") && actions.contains(&"disclosure.intake"),
        "{actions:?}"
    );
    let officers = [
        format!("account:{}", officer.id),
        format!("account:{}", officer2.id),
    ];
    assert!(events.iter().all(|e| officers.contains(&e.event.actor)));

    let through = events.last().unwrap().seq;
    let e = s
        .engine
        .review_officer_actions(&lawyer, through + 1_000, "all in order, checked")
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            EngineError::Invalid {
                field: "through",
                ..
            }
        ),
        "{e}"
    );
    s.engine
        .review_officer_actions(&lawyer, through, "all in order, checked")
        .await
        .unwrap();
    let (from, events) = s.engine.officer_actions(&lawyer).await.unwrap();
    assert_eq!(from, through);
    assert!(events.is_empty(), "{events:?}");
}

#[tokio::test]
async fn a_lock_down_interrupted_by_a_stop_is_finished_later() {
    let s = setup().await;
    let account = s
        .engine
        .sign_up(custodian_engine::accounts::SignUp {
            email: "owner@shop.example".into(),
            password: "correct horse battery staple".into(),
            company: "Shop".into(),
            region: Some("NL".into()),
            locale: "en".into(),
            terms_version: "2023-01".into(),
            dpa_version: "2023-01".into(),
            adult: true,
        })
        .await
        .unwrap();
    // The case was stored and names the account, but the process stopped before the lock:
    // a case in state `open` with its account, as a stop leaves it. (Made by opening a real
    // case and pointing it at the account.)
    let reference = s
        .engine
        .report_compromise("nobody@nowhere.example", "placeholder", "form")
        .await
        .unwrap();
    let mut row = s.engine.store().case(reference).await.unwrap().unwrap();
    row.account = Some(account.id);
    row.tenant = account.tenant;
    row.version += 1;
    let audit = custodian_store::NewAuditEvent {
        at: t0(),
        actor: "system".into(),
        action: "test.rewind".into(),
        tenant: None,
        targets: Vec::new(),
        purpose: None,
        outcome: Outcome::Success,
        detail: None,
    };
    assert!(s.engine.store().update_case(&row, &audit).await.unwrap());
    assert!(
        s.engine
            .store()
            .account(account.id)
            .await
            .unwrap()
            .unwrap()
            .locked_at
            .is_none()
    );

    assert_eq!(s.engine.resume_lockdowns().await.unwrap(), 1);
    let locked = s.engine.store().account(account.id).await.unwrap().unwrap();
    assert!(locked.locked_at.is_some() && locked.must_reset);
    assert_eq!(
        s.engine
            .store()
            .case(reference)
            .await
            .unwrap()
            .unwrap()
            .state,
        "contained"
    );
    assert_eq!(s.engine.resume_lockdowns().await.unwrap(), 0, "once");
}
