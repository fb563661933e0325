//! Accounts, sessions, sign-in attempts and account e-mail, proven on whichever backend the
//! run selects (SQLite or PostgreSQL): the same calls must behave the same on both.
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::collections::HashSet;
use std::sync::Arc;

use custodian_core::TenantId;
use custodian_store::{
    AccountChange, AccountKind, AccountRow, ChainKey, LoginAttempt, LoginFailures, NewAccountMail,
    NewAuditEvent, NoticeOutcome, Outcome, SessionRow, Store, StoreError, Tenant, open,
};
use custodian_testkit::TestDb;
use jiff::Timestamp;
use uuid::Uuid;

const KEY: [u8; 32] = [42; 32];

async fn fresh() -> (TestDb, Arc<dyn Store>) {
    let db = TestDb::new().await;
    let store = open(&db.location, ChainKey::new(KEY))
        .await
        .expect("the store opens");
    (db, store)
}

/// A whole second after a fixed start, so it survives the round trip through microseconds.
fn t(secs: i64) -> Timestamp {
    Timestamp::from_second(1_700_000_000 + secs).unwrap()
}

fn event(action: &str, tenant: Option<TenantId>) -> NewAuditEvent {
    NewAuditEvent {
        at: t(0),
        actor: "test".into(),
        action: action.into(),
        tenant,
        targets: vec![],
        purpose: None,
        outcome: Outcome::Success,
        detail: None,
    }
}

async fn with_tenant(store: &dyn Store) -> TenantId {
    let tenant = Tenant {
        id: TenantId::new(),
        name: "Acme".into(),
        default_region: Some("NL".into()),
        created_at: t(0),
    };
    store
        .create_tenant(&tenant, &event("tenant.create", Some(tenant.id)))
        .await
        .unwrap();
    tenant.id
}

fn account(kind: AccountKind, tenant: Option<TenantId>, email: &[u8]) -> AccountRow {
    AccountRow {
        id: Uuid::new_v4(),
        kind,
        tenant,
        email_index: email.to_vec(),
        email_sealed: [b"sealed:", email].concat(),
        locale: "en".into(),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
        created_at: t(1),
        email_verified_at: None,
        age_attested_at: Some(t(1)),
        terms_version: Some("2024-01".into()),
        dpa_version: None,
        accepted_at: Some(t(1)),
        totp_sealed: None,
        totp_enabled_at: None,
        totp_last_step: None,
        locked_at: None,
        lock_reason: None,
        must_reset: false,
        password_changed_at: t(1),
        roles: vec![],
    }
}

fn mail(account: Uuid, kind: &str, reference: &str, at: Timestamp) -> NewAccountMail {
    NewAccountMail {
        account,
        kind: kind.into(),
        reference: reference.into(),
        at,
    }
}

fn session(account: Uuid, token: u8) -> SessionRow {
    SessionRow {
        token_hash: vec![token; 32],
        account,
        created_at: t(10),
        expires_at: t(100),
        last_seen_at: t(10),
        ip: Some("192.0.2.1".into()),
        user_agent: None,
        revoked_at: None,
    }
}

fn attempt(
    account: Option<Uuid>,
    email: &[u8],
    ip: &str,
    country: Option<&str>,
    device: Option<&str>,
    outcome: &str,
    at: Timestamp,
) -> LoginAttempt {
    LoginAttempt {
        at,
        email_index: email.to_vec(),
        account,
        ip: Some(ip.into()),
        country: country.map(str::to_string),
        device: device.map(str::to_string),
        outcome: outcome.into(),
    }
}

async fn head(store: &dyn Store) -> i64 {
    store.audit_head().await.unwrap().seq
}

#[tokio::test]
async fn accounts_are_created_read_listed_and_addresses_are_unique() {
    let (_db, store) = fresh().await;
    let tenant = with_tenant(&*store).await;

    let a = account(AccountKind::Customer, Some(tenant), b"alice");
    store
        .create_account(
            &a,
            Some(&mail(a.id, "verify", "1", t(1))),
            &event("account.create", Some(tenant)),
        )
        .await
        .unwrap();
    assert_eq!(head(&*store).await, 2);
    assert_eq!(store.account(a.id).await.unwrap(), Some(a.clone()));
    assert_eq!(
        store.account_by_email(b"alice").await.unwrap(),
        Some(a.clone())
    );
    assert_eq!(store.account(Uuid::new_v4()).await.unwrap(), None);
    assert_eq!(store.account_by_email(b"nobody").await.unwrap(), None);
    assert_eq!(store.accounts(Some(tenant)).await.unwrap(), vec![a.clone()]);
    assert_eq!(store.accounts(None).await.unwrap(), vec![]);

    // The same address again: refused, and nothing of it is written.
    let twin = account(AccountKind::Customer, Some(tenant), b"alice");
    let err = store
        .create_account(&twin, None, &event("account.create", Some(tenant)))
        .await
        .unwrap_err();
    match err {
        StoreError::Conflict(m) => assert_eq!(m, "an account with this e-mail address exists"),
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(head(&*store).await, 2);
    assert_eq!(store.account(twin.id).await.unwrap(), None);

    // Staff: listed under `None`, roles in order.
    let mut staff = account(AccountKind::Staff, None, b"bob");
    staff.roles = vec!["support".into(), "admin".into()];
    store
        .create_account(&staff, None, &event("account.create", None))
        .await
        .unwrap();
    let stored = store.account(staff.id).await.unwrap().unwrap();
    assert_eq!(
        stored.roles,
        vec!["admin".to_string(), "support".to_string()]
    );
    assert_eq!(store.accounts(None).await.unwrap(), vec![stored]);
    assert_eq!(store.accounts(Some(tenant)).await.unwrap(), vec![a]);
    assert_eq!(store.accounts(Some(TenantId::new())).await.unwrap(), vec![]);
}

#[tokio::test]
async fn changes_apply_and_conditional_ones_refuse_writing_nothing() {
    let (_db, store) = fresh().await;
    let tenant = with_tenant(&*store).await;
    let a = account(AccountKind::Customer, Some(tenant), b"alice");
    store
        .create_account(&a, None, &event("account.create", Some(tenant)))
        .await
        .unwrap();
    let mut staff = account(AccountKind::Staff, None, b"bob");
    staff.roles = vec!["support".into()];
    store
        .create_account(&staff, None, &event("account.create", None))
        .await
        .unwrap();

    let ev = event("account.change", Some(tenant));
    // Applies `change` with a mail and an audit event; checks they were written or not.
    let change = |id: Uuid, c: AccountChange, reference: &'static str, expect: bool| {
        let store = store.clone();
        let ev = ev.clone();
        async move {
            let before = head(&*store).await;
            let m = mail(id, "change", reference, t(2));
            let done = store
                .change_account(id, &c, Some(&m), Some(&ev))
                .await
                .unwrap();
            assert_eq!(done, expect, "{c:?}");
            let after = head(&*store).await;
            assert_eq!(after, before + i64::from(expect), "audit of {c:?}");
        }
    };

    change(a.id, AccountChange::EmailVerified { at: t(3) }, "v1", true).await;
    change(a.id, AccountChange::EmailVerified { at: t(4) }, "v2", true).await;
    let got = store.account(a.id).await.unwrap().unwrap();
    assert_eq!(
        got.email_verified_at,
        Some(t(3)),
        "the first verification stays"
    );

    let h1 = [1u8; 32];
    let h2 = [2u8; 32];
    let enable = |step| AccountChange::TotpEnabled {
        at: t(5),
        step,
        recovery: vec![h1, h2],
    };
    change(a.id, enable(10), "e0", false).await; // nothing enrolled yet
    change(
        a.id,
        AccountChange::TotpEnrolled {
            sealed: b"secret".to_vec(),
        },
        "enrol",
        true,
    )
    .await;
    let got = store.account(a.id).await.unwrap().unwrap();
    assert_eq!(got.totp_sealed, Some(b"secret".to_vec()));
    assert_eq!(got.totp_enabled_at, None);
    change(a.id, enable(10), "e1", true).await;
    change(a.id, enable(10), "e2", false).await; // the same step again
    let got = store.account(a.id).await.unwrap().unwrap();
    assert_eq!(got.totp_enabled_at, Some(t(5)));
    assert_eq!(got.totp_last_step, Some(10));

    change(a.id, AccountChange::TotpUsed { step: 10 }, "u1", false).await;
    change(a.id, AccountChange::TotpUsed { step: 9 }, "u2", false).await;
    change(a.id, AccountChange::TotpUsed { step: 11 }, "u3", true).await;
    change(a.id, AccountChange::TotpUsed { step: 11 }, "u4", false).await;
    assert_eq!(
        store.account(a.id).await.unwrap().unwrap().totp_last_step,
        Some(11)
    );

    let code = |hash| AccountChange::RecoveryCodeUsed { hash, at: t(6) };
    change(a.id, code(h1), "r1", true).await;
    change(a.id, code(h1), "r2", false).await;
    change(a.id, code([9; 32]), "r3", false).await;
    change(staff.id, code(h2), "r4", false).await; // another account's code
    change(a.id, code(h2), "r5", true).await;
    // Re-enabling replaces the codes: the used one works again.
    change(a.id, enable(12), "e3", true).await;
    change(a.id, code(h1), "r6", true).await;

    change(
        a.id,
        AccountChange::Locked {
            at: t(7),
            reason: "too many failures".into(),
            must_reset: true,
        },
        "l1",
        true,
    )
    .await;
    change(
        a.id,
        AccountChange::Locked {
            at: t(8),
            reason: "again".into(),
            must_reset: false,
        },
        "l2",
        true,
    )
    .await;
    let got = store.account(a.id).await.unwrap().unwrap();
    assert_eq!(got.locked_at, Some(t(8)));
    assert_eq!(got.lock_reason.as_deref(), Some("again"));
    assert!(got.must_reset, "must_reset is only ever raised by a lock");

    change(
        a.id,
        AccountChange::PasswordSet {
            hash: "$argon2id$new".into(),
            at: t(9),
        },
        "p1",
        true,
    )
    .await;
    let got = store.account(a.id).await.unwrap().unwrap();
    assert_eq!(got.password_hash, "$argon2id$new");
    assert_eq!(got.password_changed_at, t(9));
    assert_eq!(got.locked_at, None);
    assert_eq!(got.lock_reason, None);
    assert!(!got.must_reset);

    let grant = |role: &str| AccountChange::RoleGranted {
        role: role.into(),
        by: "staff:1".into(),
        at: t(10),
    };
    change(a.id, grant("admin"), "g1", false).await; // not staff
    change(staff.id, grant("admin"), "g2", true).await;
    change(staff.id, grant("admin"), "g3", false).await; // held already
    assert_eq!(
        store.account(staff.id).await.unwrap().unwrap().roles,
        vec!["admin".to_string(), "support".to_string()]
    );
    let revoke = |role: &str| AccountChange::RoleRevoked { role: role.into() };
    change(staff.id, revoke("support"), "x1", true).await;
    change(staff.id, revoke("support"), "x2", false).await;
    assert_eq!(
        store.account(staff.id).await.unwrap().unwrap().roles,
        vec!["admin".to_string()]
    );
    assert!(store.account(a.id).await.unwrap().unwrap().roles.is_empty());

    // An unknown account: nothing, even for an unconditional change.
    change(
        Uuid::new_v4(),
        AccountChange::EmailVerified { at: t(3) },
        "n1",
        false,
    )
    .await;

    // Only the mail of applied changes was queued.
    let claimed = store.claim_account_mail(t(50), t(60), 100).await.unwrap();
    let references: Vec<&str> = claimed.iter().map(|m| m.reference.as_str()).collect();
    assert_eq!(
        references,
        vec![
            "v1", "v2", "enrol", "e1", "u3", "r1", "r5", "e3", "r6", "l1", "l2", "p1", "g2", "x1"
        ]
    );
}

#[tokio::test]
async fn sessions_are_created_touched_and_revoked() {
    let (_db, store) = fresh().await;
    let tenant = with_tenant(&*store).await;
    let a = account(AccountKind::Customer, Some(tenant), b"alice");
    store
        .create_account(&a, None, &event("account.create", Some(tenant)))
        .await
        .unwrap();

    let (s1, s2, s3) = (session(a.id, 1), session(a.id, 2), session(a.id, 3));
    for s in [&s1, &s2, &s3] {
        store.create_session(s).await.unwrap();
    }
    assert_eq!(
        store.session(&s1.token_hash).await.unwrap(),
        Some(s1.clone())
    );
    assert_eq!(store.session(&[0; 32]).await.unwrap(), None);
    assert!(
        store.create_session(&s1).await.is_err(),
        "a token is stored once"
    );

    store
        .touch_session(&s1.token_hash, t(20), t(120))
        .await
        .unwrap();
    let got = store.session(&s1.token_hash).await.unwrap().unwrap();
    assert_eq!((got.last_seen_at, got.expires_at), (t(20), t(120)));

    assert!(store.revoke_session(&s1.token_hash, t(30)).await.unwrap());
    assert!(!store.revoke_session(&s1.token_hash, t(31)).await.unwrap());
    assert!(!store.revoke_session(&[0; 32], t(31)).await.unwrap());
    store
        .touch_session(&s1.token_hash, t(40), t(140))
        .await
        .unwrap();
    let got = store.session(&s1.token_hash).await.unwrap().unwrap();
    assert_eq!(got.revoked_at, Some(t(30)));
    assert_eq!(
        (got.last_seen_at, got.expires_at),
        (t(20), t(120)),
        "revoked stays"
    );

    let kept = store
        .revoke_sessions(a.id, t(50), Some(&s2.token_hash))
        .await
        .unwrap();
    assert_eq!(kept, 1);
    assert_eq!(
        store
            .session(&s3.token_hash)
            .await
            .unwrap()
            .unwrap()
            .revoked_at,
        Some(t(50))
    );
    assert_eq!(
        store
            .session(&s2.token_hash)
            .await
            .unwrap()
            .unwrap()
            .revoked_at,
        None
    );
    assert_eq!(store.revoke_sessions(a.id, t(60), None).await.unwrap(), 1);
    assert_eq!(store.revoke_sessions(a.id, t(61), None).await.unwrap(), 0);
    assert_eq!(
        store
            .session(&s2.token_hash)
            .await
            .unwrap()
            .unwrap()
            .revoked_at,
        Some(t(60))
    );
}

#[tokio::test]
async fn sign_ins_are_counted_and_known_places_found() {
    let (_db, store) = fresh().await;
    let tenant = with_tenant(&*store).await;
    let a = account(AccountKind::Customer, Some(tenant), b"alice");
    store
        .create_account(&a, None, &event("account.create", Some(tenant)))
        .await
        .unwrap();

    // Nothing is new about a first sign-in.
    assert_eq!(
        store
            .known_login(a.id, Some("NL"), Some("d1"))
            .await
            .unwrap(),
        (true, true)
    );
    let ip = "198.51.100.7";
    store
        .record_login(
            &attempt(
                Some(a.id),
                b"alice",
                ip,
                Some("NL"),
                Some("d1"),
                "ok",
                t(10),
            ),
            None,
        )
        .await
        .unwrap();
    store
        .record_login(
            &attempt(Some(a.id), b"alice", ip, None, None, "bad-password", t(11)),
            None,
        )
        .await
        .unwrap();
    store
        .record_login(
            &attempt(None, b"nobody", ip, None, None, "unknown", t(12)),
            None,
        )
        .await
        .unwrap();
    store
        .record_login(
            &attempt(
                Some(a.id),
                b"alice",
                "203.0.113.9",
                None,
                None,
                "bad-code",
                t(5),
            ),
            None,
        )
        .await
        .unwrap();

    let failures = |index: &'static [u8], ip: Option<&'static str>, since| {
        let store = store.clone();
        async move { store.login_failures(index, ip, since).await.unwrap() }
    };
    assert_eq!(
        failures(b"alice", Some(ip), t(0)).await,
        LoginFailures {
            by_email: 2,
            by_ip: 2
        }
    );
    assert_eq!(
        failures(b"alice", Some(ip), t(6)).await,
        LoginFailures {
            by_email: 1,
            by_ip: 2
        }
    );
    assert_eq!(
        failures(b"alice", None, t(0)).await,
        LoginFailures {
            by_email: 2,
            by_ip: 0
        }
    );
    assert_eq!(
        failures(b"nobody", None, t(13)).await,
        LoginFailures::default()
    );

    let known = |country: Option<&'static str>, device: Option<&'static str>| {
        let store = store.clone();
        async move { store.known_login(a.id, country, device).await.unwrap() }
    };
    assert_eq!(known(Some("NL"), Some("d1")).await, (true, true));
    assert_eq!(known(Some("DE"), Some("d1")).await, (false, true));
    assert_eq!(known(Some("NL"), Some("d2")).await, (true, false));
    assert_eq!(known(None, None).await, (false, false));
    // A failed attempt does not make a place known.
    store
        .record_login(
            &attempt(
                Some(a.id),
                b"alice",
                ip,
                Some("FR"),
                None,
                "bad-password",
                t(13),
            ),
            None,
        )
        .await
        .unwrap();
    assert_eq!(known(Some("FR"), None).await, (false, false));
    // An unknown place is known once signed in from (compared as NULL, too).
    store
        .record_login(
            &attempt(Some(a.id), b"alice", ip, None, None, "ok", t(14)),
            Some(&mail(a.id, "login-alert", "unknown", t(14))),
        )
        .await
        .unwrap();
    assert_eq!(known(None, None).await, (true, true));

    let claimed = store.claim_account_mail(t(50), t(60), 10).await.unwrap();
    assert_eq!(claimed.len(), 1);
    assert_eq!(claimed[0].kind, "login-alert");
    assert_eq!(claimed[0].account.id, a.id);
}

#[tokio::test]
async fn account_mail_is_claimed_once_and_finished() {
    let (_db, store) = fresh().await;
    let tenant = with_tenant(&*store).await;
    let mut a = account(AccountKind::Customer, Some(tenant), b"alice");
    a.roles = vec![];
    store
        .create_account(
            &a,
            Some(&mail(a.id, "verify", "1", t(1))),
            &event("account.create", Some(tenant)),
        )
        .await
        .unwrap();
    let login = attempt(Some(a.id), b"alice", "192.0.2.1", None, None, "ok", t(2));
    for (reference, at) in [("a", t(2)), ("b", t(3)), ("c", t(4)), ("later", t(100))] {
        store
            .record_login(&login, Some(&mail(a.id, "login-alert", reference, at)))
            .await
            .unwrap();
    }
    // Queued once per kind and reference.
    store
        .record_login(&login, Some(&mail(a.id, "login-alert", "a", t(5))))
        .await
        .unwrap();

    let first = store.claim_account_mail(t(10), t(20), 2).await.unwrap();
    let refs: Vec<_> = first.iter().map(|m| m.reference.as_str()).collect();
    assert_eq!(refs, vec!["1", "a"]);
    assert!(first[0].seq < first[1].seq);
    assert_eq!(first[0].account, a);
    assert_eq!(first[0].attempts, 0);
    let second = store.claim_account_mail(t(10), t(20), 10).await.unwrap();
    let refs: Vec<_> = second.iter().map(|m| m.reference.as_str()).collect();
    assert_eq!(
        refs,
        vec!["b", "c"],
        "leased mail and mail not yet due stay out"
    );
    assert!(
        store
            .claim_account_mail(t(15), t(25), 10)
            .await
            .unwrap()
            .is_empty()
    );

    store
        .finish_account_mail(first[0].seq, t(11), &NoticeOutcome::Sent)
        .await
        .unwrap();
    store
        .finish_account_mail(
            first[1].seq,
            t(11),
            &NoticeOutcome::Retry {
                error: "421".into(),
                next_at: t(30),
            },
        )
        .await
        .unwrap();
    store
        .finish_account_mail(
            second[0].seq,
            t(11),
            &NoticeOutcome::Failed {
                error: "550".into(),
            },
        )
        .await
        .unwrap();
    store
        .finish_account_mail(
            second[1].seq,
            t(11),
            &NoticeOutcome::Cancelled {
                reason: "gone".into(),
            },
        )
        .await
        .unwrap();
    // A finished mail is not finished again.
    store
        .finish_account_mail(
            first[0].seq,
            t(12),
            &NoticeOutcome::Retry {
                error: "x".into(),
                next_at: t(12),
            },
        )
        .await
        .unwrap();

    assert!(
        store
            .claim_account_mail(t(25), t(35), 10)
            .await
            .unwrap()
            .is_empty(),
        "the retry is not due yet, the others are done"
    );
    let retried = store.claim_account_mail(t(30), t(40), 10).await.unwrap();
    assert_eq!(retried.len(), 1);
    assert_eq!(retried[0].reference, "a");
    assert_eq!(retried[0].attempts, 1);
    let last = store.claim_account_mail(t(100), t(110), 10).await.unwrap();
    let refs: Vec<_> = last.iter().map(|m| m.reference.as_str()).collect();
    assert_eq!(
        refs,
        vec!["a", "later"],
        "an expired lease is claimed again"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_claims_never_take_the_same_mail() {
    let (_db, store) = fresh().await;
    let tenant = with_tenant(&*store).await;
    let a = account(AccountKind::Customer, Some(tenant), b"alice");
    store
        .create_account(&a, None, &event("account.create", Some(tenant)))
        .await
        .unwrap();
    let login = attempt(Some(a.id), b"alice", "192.0.2.1", None, None, "ok", t(2));
    for i in 0..60 {
        store
            .record_login(
                &login,
                Some(&mail(a.id, "login-alert", &i.to_string(), t(2))),
            )
            .await
            .unwrap();
    }
    let mut tasks = Vec::new();
    for _ in 0..6 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                let got = store.claim_account_mail(t(10), t(20), 3).await.unwrap();
                if got.is_empty() {
                    return mine;
                }
                mine.extend(got.into_iter().map(|m| m.seq));
            }
        }));
    }
    let mut seen = HashSet::new();
    let mut total = 0;
    for task in tasks {
        for seq in task.await.unwrap() {
            total += 1;
            assert!(seen.insert(seq), "mail {seq} was claimed twice");
        }
    }
    assert_eq!(total, 60);
}
