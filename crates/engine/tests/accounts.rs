//! Accounts on the selected backend, with a fixed clock: sign-up with the Terms, the DPA and the
//! 18+ attestation; e-mail verification; Argon2id passwords; TOTP with replay refused and
//! recovery codes; sessions that end; throttling of password guessing; alerts on sign-ins from
//! somewhere new; staff who cannot sign in without a second factor.
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::path::Path;
use std::sync::Arc;

use custodian_core::FixedClock;
use custodian_engine::accounts::{AccountSettings, ClientInfo, SignUp};
use custodian_engine::totp::{self, TotpSecret};
use custodian_engine::{Actor, ChainVerdict, Engine, EngineError, chain_key};
use custodian_store::{AccountKind, AuditFilter};
use custodian_testkit::TestDb;
use custodian_vault::MasterKey;
use jiff::{SignedDuration, Timestamp};

struct Setup {
    _db: TestDb,
    clock: Arc<FixedClock>,
    engine: Engine,
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
    Setup {
        _db: db,
        clock,
        engine,
    }
}

fn sign_up(email: &str) -> SignUp {
    SignUp {
        email: email.into(),
        password: "correct horse battery staple".into(),
        company: format!("Company of {email}"),
        region: Some("NL".into()),
        locale: "nl".into(),
        terms_version: "2023-01".into(),
        dpa_version: "2023-01".into(),
        adult: true,
    }
}

fn from(ip: &str, country: &str, browser: &str) -> ClientInfo {
    ClientInfo {
        ip: Some(ip.into()),
        country: Some(country.into()),
        user_agent: Some(browser.into()),
    }
}

async fn actions(s: &Setup) -> Vec<String> {
    s.engine
        .store()
        .audit_events(&AuditFilter {
            limit: 10_000,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.event.action)
        .collect()
}

async fn mail_kinds(s: &Setup) -> Vec<String> {
    let now = s.engine.clock().now() + SignedDuration::from_hours(1);
    s.engine
        .store()
        .claim_account_mail(now, now + SignedDuration::from_mins(1), 100)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.kind)
        .collect()
}

#[tokio::test]
async fn a_sign_up_records_the_terms_the_dpa_and_the_age_and_the_address_is_verified() {
    let s = setup().await;
    let account = s.engine.sign_up(sign_up("anna@example.com")).await.unwrap();
    assert_eq!(account.kind, AccountKind::Customer);
    assert!(account.tenant.is_some());
    assert_eq!(account.terms_version.as_deref(), Some("2023-01"));
    assert_eq!(account.dpa_version.as_deref(), Some("2023-01"));
    assert_eq!(account.age_attested_at, Some(t0()));
    assert!(account.password_hash.starts_with("$argon2id$"));
    assert!(account.email_verified_at.is_none());
    assert_eq!(
        s.engine.account_email(&account).unwrap(),
        "anna@example.com"
    );
    assert_eq!(mail_kinds(&s).await, ["verify"]);

    // A tampered link does nothing; the right one verifies, once.
    let token = s.engine.verification_token(account.id);
    let mut tampered = token.clone().into_bytes();
    tampered[3] ^= 1;
    let err = s
        .engine
        .verify_email(&String::from_utf8(tampered).unwrap())
        .await
        .unwrap_err();
    assert!(
        matches!(err, EngineError::Invalid { field: "token", .. }),
        "{err}"
    );
    let verified = s.engine.verify_email(&token).await.unwrap();
    assert_eq!(verified.email_verified_at, Some(t0()));
    // An expired link is refused.
    let later = s.engine.verification_token(account.id);
    s.clock.set(t0() + SignedDuration::from_hours(24 * 8));
    assert!(s.engine.verify_email(&later).await.is_err());

    // The same address again: refused; the password stays out of the audit log.
    let again = s
        .engine
        .sign_up(sign_up("ANNA@example.com"))
        .await
        .unwrap_err();
    assert!(matches!(again, EngineError::Conflict(_)), "{again}");
    let events = s
        .engine
        .store()
        .audit_events(&AuditFilter {
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(events.iter().all(|e| !format!("{e:?}").contains("battery")));
    assert!(actions(&s).await.iter().any(|a| a == "account.signup"));
    assert_eq!(
        s.engine.verify_audit().await.unwrap().verdict,
        ChainVerdict::Intact
    );
}

/// A change made to a valid sign-up.
type Edit = Box<dyn Fn(&mut SignUp)>;

#[tokio::test]
async fn a_sign_up_without_the_attestation_the_current_terms_or_a_real_password_is_refused() {
    let s = setup().await;
    let cases: [(&str, Edit); 6] = [
        ("adult", Box::new(|u| u.adult = false)),
        (
            "terms_version",
            Box::new(|u| u.terms_version = "2020-01".into()),
        ),
        ("dpa_version", Box::new(|u| u.dpa_version = "1999".into())),
        ("password", Box::new(|u| u.password = "short".into())),
        ("email", Box::new(|u| u.email = "not an address".into())),
        ("locale", Box::new(|u| u.locale = "fr".into())),
    ];
    for (field, change) in cases {
        let mut input = sign_up("piet@example.com");
        change(&mut input);
        match s.engine.sign_up(input).await {
            Err(EngineError::Invalid { field: f, message }) => {
                assert_eq!(f, field, "{message}");
                assert!(!message.is_empty());
            }
            other => panic!("{field}: {other:?}"),
        }
    }
    assert!(
        s.engine.tenants().await.unwrap().is_empty(),
        "nothing half-made"
    );
}

#[tokio::test]
async fn sessions_begin_with_the_right_password_and_end() {
    let s = setup().await;
    s.engine.sign_up(sign_up("anna@example.com")).await.unwrap();
    let wrong = s
        .engine
        .sign_in(
            "anna@example.com",
            "wrong password!!",
            None,
            &from("192.0.2.1", "NL", "Firefox"),
        )
        .await
        .unwrap_err();
    assert!(matches!(wrong, EngineError::Unauthenticated(_)));
    let unknown = s
        .engine
        .sign_in(
            "nobody@example.com",
            "correct horse battery staple",
            None,
            &from("192.0.2.1", "NL", "Firefox"),
        )
        .await
        .unwrap_err();
    assert_eq!(
        wrong.to_string(),
        unknown.to_string(),
        "unknown addresses are not told apart"
    );

    let started = s
        .engine
        .sign_in(
            "Anna@Example.com",
            "correct horse battery staple",
            None,
            &from("192.0.2.1", "NL", "Firefox"),
        )
        .await
        .unwrap();
    assert!(s.engine.csrf_matches(&started.token, &started.csrf));
    assert!(!s.engine.csrf_matches(&started.token, "forged"));
    let principal = s.engine.session(&started.token).await.unwrap();
    assert_eq!(principal.account.id, started.account.id);

    // Unused for longer than the idle limit: over.
    s.clock.set(t0() + SignedDuration::from_mins(31));
    assert!(s.engine.session(&started.token).await.is_err());

    // Used every 20 minutes, it still ends at the absolute limit.
    s.clock.set(t0() + SignedDuration::from_hours(1));
    let kept = s
        .engine
        .sign_in(
            "anna@example.com",
            "correct horse battery staple",
            None,
            &from("192.0.2.1", "NL", "Firefox"),
        )
        .await
        .unwrap();
    let mut now = t0() + SignedDuration::from_hours(1);
    let end = now + SignedDuration::from_hours(12);
    while now + SignedDuration::from_mins(20) < end {
        now += SignedDuration::from_mins(20);
        s.clock.set(now);
        s.engine.session(&kept.token).await.unwrap();
    }
    s.clock.set(end);
    assert!(s.engine.session(&kept.token).await.is_err());

    // Signing out ends it at once.
    let short = s
        .engine
        .sign_in(
            "anna@example.com",
            "correct horse battery staple",
            None,
            &from("192.0.2.1", "NL", "Firefox"),
        )
        .await
        .unwrap();
    s.engine.sign_out(&short.token).await.unwrap();
    assert!(s.engine.session(&short.token).await.is_err());
}

#[tokio::test]
async fn password_guessing_is_locked_out_per_account_and_per_address() {
    let s = setup().await;
    s.engine.sign_up(sign_up("anna@example.com")).await.unwrap();
    for _ in 0..5 {
        let e = s
            .engine
            .sign_in(
                "anna@example.com",
                "guess guess guess",
                None,
                &from("198.51.100.7", "RU", "curl"),
            )
            .await
            .unwrap_err();
        assert!(matches!(e, EngineError::Unauthenticated(_)), "{e}");
    }
    // Even the right password is refused now, from anywhere, until the window has passed.
    let e = s
        .engine
        .sign_in(
            "anna@example.com",
            "correct horse battery staple",
            None,
            &from("192.0.2.1", "NL", "Firefox"),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(e, EngineError::Throttled { retry_after: 900 }),
        "{e}"
    );
    s.clock.set(t0() + SignedDuration::from_mins(16));
    s.engine
        .sign_in(
            "anna@example.com",
            "correct horse battery staple",
            None,
            &from("192.0.2.1", "NL", "Firefox"),
        )
        .await
        .unwrap();

    // One address guessing many accounts is stopped too.
    for i in 0..20 {
        let _ = s
            .engine
            .sign_in(
                &format!("user{i}@example.com"),
                "guess guess guess",
                None,
                &from("203.0.113.9", "RU", "curl"),
            )
            .await;
    }
    let e = s
        .engine
        .sign_in(
            "anna@example.com",
            "correct horse battery staple",
            None,
            &from("203.0.113.9", "RU", "curl"),
        )
        .await
        .unwrap_err();
    assert!(matches!(e, EngineError::Throttled { .. }), "{e}");
}

#[tokio::test]
async fn totp_is_required_once_confirmed_and_a_code_works_once() {
    let s = setup().await;
    let account = s.engine.sign_up(sign_up("anna@example.com")).await.unwrap();
    let enrolment = s.engine.enrol_totp(&account).await.unwrap();
    assert!(
        enrolment
            .uri
            .starts_with("otpauth://totp/Custodian:anna%40example.com?secret=")
    );
    let secret = TotpSecret::from_base32(&enrolment.secret).unwrap();
    let code = |at: Timestamp| totp::code_at_step(&secret, totp::step_at(at));

    // A wrong code does not confirm; the right one does and returns ten recovery codes.
    assert!(s.engine.confirm_totp(account.id, "000000").await.is_err() || code(t0()) == "000000");
    let recovery = s
        .engine
        .confirm_totp(account.id, &code(t0()))
        .await
        .unwrap();
    assert_eq!(recovery.len(), 10);

    let client = from("192.0.2.1", "NL", "Firefox");
    let password = "correct horse battery staple";
    let e = s
        .engine
        .sign_in("anna@example.com", password, None, &client)
        .await
        .unwrap_err();
    assert!(matches!(e, EngineError::SecondFactorRequired), "{e}");

    // The confirming code was used: replaying it is refused.
    let replay = s
        .engine
        .sign_in("anna@example.com", password, Some(&code(t0())), &client)
        .await
        .unwrap_err();
    assert!(replay.to_string().contains("already used"), "{replay}");

    // The next step's code works once.
    let next = t0() + SignedDuration::from_secs(30);
    s.clock.set(next);
    s.engine
        .sign_in("anna@example.com", password, Some(&code(next)), &client)
        .await
        .unwrap();
    let again = s
        .engine
        .sign_in("anna@example.com", password, Some(&code(next)), &client)
        .await
        .unwrap_err();
    assert!(again.to_string().contains("already used"), "{again}");

    // A recovery code works once, in any spelling.
    let spoken = recovery[0].to_uppercase();
    s.engine
        .sign_in("anna@example.com", password, Some(&spoken), &client)
        .await
        .unwrap();
    assert!(
        s.engine
            .sign_in("anna@example.com", password, Some(&recovery[0]), &client)
            .await
            .is_err()
    );
    let actions = actions(&s).await;
    for a in [
        "account.second-factor",
        "account.recovery-code",
        "account.sign-in",
    ] {
        assert!(actions.iter().any(|x| x == a), "{a}: {actions:?}");
    }
}

#[tokio::test]
async fn a_sign_in_from_a_new_country_or_device_is_told_to_the_owner() {
    let s = setup().await;
    s.engine.sign_up(sign_up("anna@example.com")).await.unwrap();
    let password = "correct horse battery staple";
    assert_eq!(mail_kinds(&s).await, ["verify"]);
    // The first sign-in is expected; the same place and browser again too.
    for _ in 0..2 {
        s.engine
            .sign_in(
                "anna@example.com",
                password,
                None,
                &from("192.0.2.1", "NL", "Firefox"),
            )
            .await
            .unwrap();
    }
    assert!(mail_kinds(&s).await.is_empty());
    s.engine
        .sign_in(
            "anna@example.com",
            password,
            None,
            &from("203.0.113.5", "BR", "Firefox"),
        )
        .await
        .unwrap();
    s.engine
        .sign_in(
            "anna@example.com",
            password,
            None,
            &from("192.0.2.1", "NL", "Safari"),
        )
        .await
        .unwrap();
    assert_eq!(mail_kinds(&s).await, ["login-alert", "login-alert"]);
}

#[tokio::test]
async fn staff_sign_in_only_with_a_confirmed_second_factor() {
    let s = setup().await;
    let (staff, enrolment) = s
        .engine
        .create_staff(
            &Actor::Cli,
            "officer@custodian.example",
            "a long staff pass phrase",
            &["compliance-officer".to_string()],
            "en",
        )
        .await
        .unwrap();
    assert_eq!(staff.kind, AccountKind::Staff);
    assert_eq!(staff.roles, ["compliance-officer"]);
    let client = from("192.0.2.1", "NL", "Firefox");
    let e = s
        .engine
        .sign_in(
            "officer@custodian.example",
            "a long staff pass phrase",
            None,
            &client,
        )
        .await
        .unwrap_err();
    assert!(matches!(e, EngineError::Forbidden(_)), "{e}");
    let secret = TotpSecret::from_base32(&enrolment.secret).unwrap();
    s.engine
        .confirm_totp(staff.id, &totp::code_at_step(&secret, totp::step_at(t0())))
        .await
        .unwrap();
    let e = s
        .engine
        .sign_in(
            "officer@custodian.example",
            "a long staff pass phrase",
            None,
            &client,
        )
        .await
        .unwrap_err();
    assert!(matches!(e, EngineError::SecondFactorRequired), "{e}");
    let later = t0() + SignedDuration::from_secs(60);
    s.clock.set(later);
    s.engine
        .sign_in(
            "officer@custodian.example",
            "a long staff pass phrase",
            Some(&totp::code_at_step(&secret, totp::step_at(later))),
            &client,
        )
        .await
        .unwrap();
    let bad_role = s
        .engine
        .create_staff(
            &Actor::Cli,
            "x@custodian.example",
            "a long staff pass phrase",
            &["god".to_string()],
            "en",
        )
        .await
        .unwrap_err();
    assert!(matches!(
        bad_role,
        EngineError::Invalid { field: "roles", .. }
    ));
}

#[tokio::test]
async fn the_country_of_a_sign_in_comes_from_its_address_and_a_new_one_is_told() {
    let s = setup().await;
    let account = s.engine.sign_up(sign_up("geo@shop.example")).await.unwrap();
    s.engine
        .verify_email(&s.engine.verification_token(account.id))
        .await
        .unwrap();
    let at = |ip: &str| ClientInfo {
        ip: Some(ip.into()),
        country: None,
        user_agent: Some("Firefox".into()),
    };
    let password = "correct horse battery staple";
    for ip in ["8.8.8.8", "8.8.4.4", "1.0.16.1", "127.0.0.1"] {
        s.engine
            .sign_in("geo@shop.example", password, None, &at(ip))
            .await
            .unwrap();
    }
    let now = s.engine.clock().now() + SignedDuration::from_hours(1);
    let alerts: Vec<String> = s
        .engine
        .store()
        .claim_account_mail(now, now + SignedDuration::from_mins(1), 100)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.kind == "login-alert")
        .map(|m| m.reference)
        .collect();
    // The first sign-in is not news; the second address is in the same country; Japan is new;
    // so is a place that cannot be determined (a loopback address), told as such.
    assert_eq!(alerts.len(), 2, "{alerts:?}");
    assert!(alerts[0].contains("/JP/"), "{alerts:?}");
    assert!(alerts[1].contains("/-/"), "{alerts:?}");
}
