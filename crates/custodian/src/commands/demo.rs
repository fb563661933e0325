//! `custodian demo`: the server on the seeds' policy, with generated tenants, keys and events,
//! and a printed guide to what to look at.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use custodian_engine::{Actor, Engine, Scope};
use custodian_store::{NewAuditEvent, Outcome};

use rand::SeedableRng;
use rand::rngs::StdRng;

use super::{context, keys, serve, traffic};

/// The seed of the demo's generated people, so the printed example finds someone.
const DEMO_SEED: u64 = 2023;
use crate::cli::ServeArgs;

/// The demo's tenants: (name, default region).
const TENANTS: [(&str, &str); 3] = [
    ("Acme Retail", "NL"),
    ("Globex Logistics", "DE"),
    ("Umbrella Travel", "SG"),
];

pub async fn run(config: Option<&Path>, mut args: ServeArgs) -> anyhow::Result<ExitCode> {
    if args.data.data_dir.is_none() && args.data.database_url.is_none() {
        args.data.data_dir = Some(PathBuf::from("data/demo"));
    }
    let mut ctx = context::open(config, &args.data).await?;
    keys::replay_at_start(&ctx.engine).await?;
    if let Some(listen) = &args.listen {
        ctx.settings.server.listen = listen.clone();
    }
    // Without a mail server, the demo's notices are written as files to look at.
    if ctx.settings.mail.smtp_url.is_none() && ctx.settings.mail.outbox_dir.is_none() {
        let dir = args
            .data
            .data_dir
            .clone()
            .unwrap_or_else(|| PathBuf::from("data/demo"));
        ctx.settings.mail.outbox_dir = Some(dir.join("outbox"));
        ctx.settings.mail.interval_seconds = 2;
    }
    let keys = seed(&ctx.engine).await?;
    let dir = args
        .data
        .data_dir
        .clone()
        .unwrap_or_else(|| PathBuf::from("data/demo"));
    let accounts = seed_accounts(&ctx.engine, &dir).await?;
    seed_requests(&ctx.engine, &keys).await?;
    let consent = seed_consents(&ctx.engine, &keys).await?;
    let listener = serve::bind(&ctx.settings.server.listen).await?;
    let address = listener.local_addr()?;
    let base = format!("http://{address}");
    let background = serve::Background::from_settings(&ctx.settings, Some(address))?;
    print_guide(&base, &ctx.engine, &keys, &args, &ctx.settings).await?;
    print_consent(&base, &consent, &keys);
    print_accounts(&base, &accounts);
    serve::serve(listener, ctx.engine, background).await?;
    Ok(ExitCode::SUCCESS)
}

/// The demo's people with accounts: a customer who signed up (address verified) and a
/// compliance officer with a second factor.
const DEMO_CUSTOMER: &str = "owner@signup.example";
const DEMO_OFFICER: &str = "officer@custodian.example";
/// Demo passwords, printed in the guide: never use them elsewhere.
const DEMO_PASSWORD: &str = "demo password 2026";

/// What the guide prints about the demo's accounts.
struct DemoAccounts {
    /// The officer's TOTP secret (base32), kept beside the demo data for later starts.
    officer_secret: Option<String>,
    /// The other staff: address, role and TOTP secret per line.
    colleagues: Vec<String>,
}

/// Signs up the demo customer and makes the demo compliance officer, once; the officer's TOTP
/// secret is written to `staff-totp.txt` in the demo directory (the database keeps it sealed).
async fn seed_accounts(engine: &Engine, dir: &Path) -> anyhow::Result<DemoAccounts> {
    use custodian_engine::accounts::SignUp;
    let secret_file = dir.join("staff-totp.txt");
    if engine.staff_by_email(DEMO_OFFICER).await.is_err() {
        let settings = engine.account_settings().clone();
        let account = engine
            .sign_up(SignUp {
                email: DEMO_CUSTOMER.into(),
                password: DEMO_PASSWORD.into(),
                company: "Signup Demo B.V.".into(),
                region: Some("NL".into()),
                locale: "nl".into(),
                terms_version: settings.terms_version,
                dpa_version: settings.dpa_version,
                adult: true,
            })
            .await?;
        engine
            .verify_email(&engine.verification_token(account.id))
            .await?;
        let (officer, enrolment) = engine
            .create_staff(
                &Actor::System,
                DEMO_OFFICER,
                DEMO_PASSWORD,
                &["compliance-officer".to_string()],
                "en",
            )
            .await?;
        let secret = custodian_engine::totp::TotpSecret::from_base32(&enrolment.secret)
            .map_err(|e| anyhow::anyhow!("the demo's TOTP secret: {e}"))?;
        let code = custodian_engine::totp::code_at_step(
            &secret,
            custodian_engine::totp::step_at(engine.clock().now()),
        );
        engine.confirm_totp(officer.id, &code).await?;
        std::fs::create_dir_all(dir)?;
        std::fs::write(&secret_file, format!("{}\n", enrolment.secret))?;
        seed_accountability(engine, dir).await?;
    }
    Ok(DemoAccounts {
        officer_secret: std::fs::read_to_string(&secret_file)
            .ok()
            .map(|s| s.trim().to_string()),
        colleagues: std::fs::read_to_string(dir.join(COLLEAGUES_FILE))
            .unwrap_or_default()
            .lines()
            .map(str::to_string)
            .collect(),
    })
}

/// The demo's other staff, one per line: address, role, TOTP secret.
const COLLEAGUES_FILE: &str = "staff-colleagues.txt";

/// Gives the demo's staff work to look at: colleagues in the other roles, a grant waiting for
/// approval, cases from the mailboxes (a Children report, a dispute, a data request, a
/// compromise report that locked an account down), and government disclosure requests (one
/// pushed back, one admissible with its release waiting for a second person).
async fn seed_accountability(engine: &Engine, dir: &Path) -> anyhow::Result<()> {
    use custodian_engine::access::Action;
    use custodian_engine::disclosure::DisclosureIntake;
    let mut lines = Vec::new();
    let mut people = std::collections::BTreeMap::new();
    for (email, role) in [
        ("legal@custodian.example", "legal"),
        ("support@custodian.example", "support"),
        ("security@custodian.example", "security"),
    ] {
        let (account, enrolment) = engine
            .create_staff(
                &Actor::System,
                email,
                DEMO_PASSWORD,
                &[role.to_string()],
                "en",
            )
            .await?;
        let secret = custodian_engine::totp::TotpSecret::from_base32(&enrolment.secret)
            .map_err(|e| anyhow::anyhow!("the demo's TOTP secret: {e}"))?;
        let step = custodian_engine::totp::step_at(engine.clock().now());
        // An earlier step confirms, so that the current code is still free to sign in with.
        engine
            .confirm_totp(
                account.id,
                &custodian_engine::totp::code_at_step(&secret, step - 1),
            )
            .await?;
        lines.push(format!("{email} {role} {}", enrolment.secret));
        people.insert(
            role,
            engine
                .store()
                .account(account.id)
                .await?
                .ok_or_else(|| anyhow::anyhow!("the demo's {role} account vanished"))?,
        );
    }
    std::fs::write(dir.join(COLLEAGUES_FILE), lines.join("\n") + "\n")?;
    let tenant = engine
        .tenants()
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| anyhow::anyhow!("the demo has no tenant"))?
        .id;
    let (legal, support) = (&people["legal"], &people["support"]);
    engine
        .request_grant(
            support,
            Action::ReadPersonalData,
            Some(tenant),
            "ticket SUP-1042: customer asks why an SMS was not delivered",
            jiff::SignedDuration::from_hours(2),
        )
        .await?;
    // Mail to the privacy and security addresses.
    let settings = engine.account_settings().clone();
    engine
        .sign_up(custodian_engine::accounts::SignUp {
            email: "victim@signup.example".into(),
            password: DEMO_PASSWORD.into(),
            company: "Compromised Demo B.V.".into(),
            region: Some("NL".into()),
            locale: "en".into(),
            terms_version: settings.terms_version,
            dpa_version: settings.dpa_version,
            adult: true,
        })
        .await?;
    for (from, to, subject, text) in [
        (
            "ouder@example.nl",
            "privacy@messagebird.com",
            "Kinderen",
            "Mijn dochter van 15 heeft zich aangemeld met +31 6 12345678.",
        ),
        (
            "critic@example.com",
            "privacy@messagebird.com",
            "Dispute",
            "I disagree with how my data was shared.",
        ),
        (
            "someone@example.id",
            "privacy@messagebird.com",
            "Hapus data saya",
            "Tolong hapus semua data saya.",
        ),
        (
            "victim@signup.example",
            "security@messagebird.com",
            "Urgent: account credentials",
            "Someone signed in to my account from abroad.",
        ),
    ] {
        let raw = format!(
            "From: {from}\r\nTo: {to}\r\nSubject: {subject}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{text}\r\n"
        );
        engine.intake_mail(raw.as_bytes(), &[], "mail").await?;
    }
    // Government requests.
    let today = engine
        .clock()
        .now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date();
    let month_ago = today
        .checked_sub(jiff::Span::new().days(30))
        .unwrap_or(today);
    let refused = engine
        .intake_disclosure(
            legal,
            DisclosureIntake {
                authority: "Ministry of Interior".into(),
                authority_type: "other-government".into(),
                country: "RU".into(),
                instrument: "letter".into(),
                reference: "MI/2026/881".into(),
                tenant,
                categories: vec!["phone-number".into()],
                period_from: None,
                period_to: None,
            },
        )
        .await?;
    engine
        .review_disclosure(
            legal,
            refused.id,
            false,
            "fails three of the four tests",
            Some("We cannot act on this letter: the law of RU does not apply to us, a letter is not an enforceable instrument, and no period is named."),
        )
        .await?;
    let admissible = engine
        .intake_disclosure(
            legal,
            DisclosureIntake {
                authority: "Rechtbank Amsterdam".into(),
                authority_type: "court".into(),
                country: "NL".into(),
                instrument: "court-order".into(),
                reference: "C/13/2026/0042".into(),
                tenant,
                categories: vec!["phone-number".into(), "communication-content".into()],
                period_from: Some(month_ago),
                period_to: Some(today),
            },
        )
        .await?;
    engine
        .review_disclosure(legal, admissible.id, true, "all four tests pass", None)
        .await?;
    engine
        .decide_disclosure_notice(
            legal,
            admissible.id,
            false,
            Some("court order C/13/2026/0042 forbids telling the customer for 30 days"),
            today.checked_add(jiff::Span::new().days(30)).ok(),
        )
        .await?;
    engine
        .request_disclosure_release(
            legal,
            admissible.id,
            "release what the court ordered, nothing more",
        )
        .await?;
    Ok(())
}

fn print_accounts(base: &str, accounts: &DemoAccounts) {
    println!("  Accounts (passwords for this demo only):");
    println!("    customer  {DEMO_CUSTOMER} / {DEMO_PASSWORD} (signed up, address verified)");
    match &accounts.officer_secret {
        Some(secret) => println!(
            "    staff     {DEMO_OFFICER} / {DEMO_PASSWORD}, compliance officer, TOTP secret {secret}\n              (add it to an authenticator app, or: oathtool --totp -b {secret})"
        ),
        None => println!(
            "    staff     {DEMO_OFFICER} (its TOTP secret file is gone: delete the demo data to start over)"
        ),
    }
    for line in &accounts.colleagues {
        let mut parts = line.split(' ');
        if let (Some(email), Some(role), Some(secret)) = (parts.next(), parts.next(), parts.next())
        {
            println!("    staff     {email} / {DEMO_PASSWORD}, {role}, TOTP secret {secret}");
        }
    }
    println!("    pages: {base}/account/sign-in (then {base}/account)");
    println!(
        "    sign in (the session is a cookie; changes need the returned csrf as X-CSRF-Token):"
    );
    println!(
        "    curl -c jar -H 'content-type: application/json' -d '{{\"email\":\"{DEMO_CUSTOMER}\",\"password\":\"{DEMO_PASSWORD}\"}}' {base}/v1/account/session"
    );
    println!("    curl -b jar {base}/v1/account");
    println!();
    println!("  Accountability (sign in as staff; each role sees what it may do):");
    println!(
        "    {base}/console?lang=en   the staff console: approvals, grants, cases, audit log, disclosures"
    );
    println!(
        "    {base}/transparency?lang=en   government requests by country and outcome (public)"
    );
    println!("    GET {base}/v1/staff/access          your roles and the role × action matrix");
    println!(
        "    GET {base}/v1/staff/approvals?state=pending   a grant for support and a disclosure release wait for four eyes"
    );
    println!(
        "    GET {base}/v1/staff/cases?open=true  a Children report, a dispute, a data request, a locked-down account"
    );
    println!(
        "    GET {base}/v1/staff/audit?actor=account:&format=csv   the compliance view of the audit log"
    );
    println!(
        "    POST {base}/v1/security/compromise   report stolen credentials (locks the account down)"
    );
    println!();
    println!("  Data subject requests:");
    println!(
        "    {base}/account/requests?lang=en   the customer's dashboard (sign in as {DEMO_CUSTOMER}): requests by due date, exports, an extended objection, an overdue correction, a request routed from the platform"
    );
    println!(
        "    {base}/account/data?lang=en       find an end user by phone, e-mail or channel id"
    );
    println!(
        "    {base}/privacy-center?lang=nl     people without an account: a form, a mailed code (see the outbox), the answer"
    );
    println!(
        "    {base}/console/requests?lang=en   staff: a letter waiting for identity, the overdue list, the chart"
    );
    println!(
        "    POST {base}/v1/requests  POST {base}/v1/requests/bulk  GET {base}/v1/request-jobs/{{id}}   (tenant API keys below)"
    );
    println!(
        "    {base}/v1/agent/{{id}} and {base}/v1/data-rights-request   the Data Rights Protocol ([drp] business_id and agents_file)"
    );
    println!();
    println!("  Stop with Ctrl-C.");
    println!();
}

/// How many generated records each new demo tenant gets.
const DEMO_RECORDS: usize = 120;

/// Creates the demo tenants if absent, with generated records for every product, and a fresh
/// demo key for each (earlier demo keys are revoked, since their secrets were never stored).
/// Returns (tenant name, key).
async fn seed(engine: &Engine) -> anyhow::Result<Vec<(String, String)>> {
    let first_start = engine.publications().await?.is_empty();
    if first_start {
        publish_and_subscribe(engine).await?;
    }
    let existing = engine.tenants().await?;
    let all_scopes: Vec<String> = Scope::ALL.iter().map(|s| s.as_str().to_string()).collect();
    let mut keys = Vec::new();
    for (name, region) in TENANTS {
        let (tenant, fresh) = match existing.iter().find(|t| t.name == name) {
            Some(t) => (t.clone(), false),
            None => (
                engine
                    .create_tenant(&Actor::System, name, Some(region))
                    .await?,
                true,
            ),
        };
        for old in engine.api_keys(tenant.id).await? {
            if old.name == "demo" && old.revoked_at.is_none() {
                engine.revoke_api_key(&Actor::System, old.id).await?;
            }
        }
        let created = engine
            .create_api_key(&Actor::System, tenant.id, "demo", &all_scopes)
            .await?;
        if fresh {
            let principal = engine.authenticate(&created.token).await?;
            let mut rng = StdRng::seed_from_u64(DEMO_SEED);
            let persons = traffic::people(DEMO_RECORDS / 6, &mut rng);
            // Spread over the last eight months, so that the first sweep of `serve` already
            // expires what six-month rules no longer allow (see `custodian retention report`).
            let now = engine.clock().now();
            let records = (0..DEMO_RECORDS)
                .map(|i| {
                    let mut r = traffic::record(i, &persons[i % persons.len()], &mut rng);
                    let days = (i * 240 / DEMO_RECORDS) as i64;
                    r.occurred_at = Some(now - jiff::SignedDuration::from_hours(24 * days));
                    r
                })
                .collect();
            engine.ingest(&principal, records, None, b"").await?;
        }
        engine
            .record_event(NewAuditEvent {
                at: engine.clock().now(),
                actor: Actor::System.to_string(),
                action: "demo.start".into(),
                tenant: Some(tenant.id),
                targets: vec![tenant.id.to_string()],
                purpose: None,
                outcome: Outcome::Success,
                detail: None,
            })
            .await?;
        if fresh && name == TENANTS[0].0 {
            object_to_a_new_subprocessor(engine, tenant.id).await?;
        }
        // A customer under a legal hold: its data does not expire while the case runs.
        if fresh && name == TENANTS[2].0 {
            engine
                .place_hold(
                    &Actor::System,
                    tenant.id,
                    None,
                    Some("DR-2026-07".into()),
                    "Disclosure request of a court: keep the customer's traffic data until it is answered",
                    None,
                )
                .await?;
        }
        keys.push((tenant.name, created.token));
    }
    Ok(keys)
}

/// The demo's subscribers to change notices: (address, language, topics, confirmed).
const SUBSCRIBERS: [(&str, &str, &[&str], bool); 3] = [
    (
        "dpo@acme-retail.example",
        "en",
        &["policy", "subprocessors"],
        true,
    ),
    ("privacy@globex.example", "nl", &["subprocessors"], true),
    ("legal@umbrella.example", "zh-CN", &["policy"], false),
];

/// Days ahead the demo announces the newest version.
const ANNOUNCED_DAYS: i64 = 30;

/// First start: the version before the newest is published as in force (a first publication
/// has nothing to give notice against), subscribers sign up (two confirm, one does not yet),
/// then the newest version is published as an upcoming change, in force in
/// [`ANNOUNCED_DAYS`] days: its notices go to the confirmed subscribers ahead of that day.
async fn publish_and_subscribe(engine: &Engine) -> anyhow::Result<()> {
    let labels = engine.policy().labels();
    let Some(newest) = labels.last().map(|l| l.to_string()) else {
        return Ok(());
    };
    // In force: the newest older version whose subprocessors differ from the newest's, so
    // that both kinds of notice are seen.
    let policy = engine.policy();
    let newest_version = &policy.versions[policy.versions.len() - 1];
    let previous = policy.versions[..policy.versions.len() - 1]
        .iter()
        .rev()
        .find(|v| !custodian_policy::subprocessors::between(v, newest_version).is_empty())
        .or_else(|| policy.versions.iter().rev().nth(1))
        .map(|v| v.label.clone());
    if let Some(previous) = &previous {
        engine
            .publish_policy(&Actor::System, previous, None)
            .await?;
    }
    for (email, lang, topics, confirmed) in SUBSCRIBERS {
        let topics = custodian_engine::notices::parse_topics(topics.iter().copied())?;
        let Some(sub) = engine.subscribe(email, lang, topics).await? else {
            continue;
        };
        if confirmed {
            let token = engine.link_token(
                sub.id,
                custodian_engine::notices::LinkAction::Confirm,
                sub.generation,
            );
            engine.confirm_subscription(&token).await?;
        }
    }
    let effective = if previous.is_some() {
        let today = engine
            .clock()
            .now()
            .to_zoned(jiff::tz::TimeZone::UTC)
            .date();
        Some(today.checked_add(jiff::Span::new().days(ANNOUNCED_DAYS))?)
    } else {
        None
    };
    engine
        .publish_policy(&Actor::System, &newest, effective)
        .await?;
    Ok(())
}

/// The first demo customer objects to a subprocessor the announced version adds or changes.
async fn object_to_a_new_subprocessor(
    engine: &Engine,
    tenant: custodian_core::TenantId,
) -> anyhow::Result<()> {
    let publications = engine.publications().await?;
    let policy = engine.policy();
    let (Some(first), Some(last)) = (
        publications.first().and_then(|p| policy.version(&p.label)),
        publications.last().and_then(|p| policy.version(&p.label)),
    ) else {
        return Ok(());
    };
    let added = custodian_policy::subprocessors::between(first, last)
        .into_iter()
        .find(|(kind, _)| *kind != custodian_policy::subprocessors::ChangeKind::Removed)
        .map(|(_, p)| p.id.as_str().to_string());
    if let Some(processor) = added {
        engine
            .object_to_subprocessor(
                &Actor::System,
                custodian_engine::notices::Objector::Tenant(tenant),
                &processor,
                "Our contracts with banks exclude processing in this country; please confirm the safeguards before the change takes effect.",
            )
            .await?;
    }
    Ok(())
}

async fn print_guide(
    base: &str,
    engine: &Engine,
    keys: &[(String, String)],
    args: &ServeArgs,
    settings: &crate::config::Settings,
) -> anyhow::Result<()> {
    let policy = engine.policy();
    let current = policy.current().map(|v| v.label.as_str()).unwrap_or("?");
    let data = match (&args.data.database_url, &args.data.data_dir) {
        (Some(_), _) => "the database given by --database-url".to_string(),
        (None, Some(dir)) => format!("{} (delete it to start over)", dir.display()),
        (None, None) => "data/demo".to_string(),
    };
    let verdict = engine.verify_audit().await?;
    println!();
    println!(
        "  Custodian demo — policy `{}`, version {current} of {}",
        policy.manifest.policy.name,
        policy.labels().join(", ")
    );
    println!(
        "  Data: {data}; audit chain: {} events, {:?}",
        verdict.head_seq, verdict.verdict
    );
    println!();
    println!("  Open in a browser:");
    for lang in policy.locales.iter().map(|l| l.tag.as_str()) {
        println!("    {base}/?lang={lang}");
    }
    println!();
    println!("  The privacy statement, compiled from the policy (every version, four languages):");
    println!("    {base}/privacy?lang=en        {base}/privacy?lang=zh-CN&jurisdiction=ccpa");
    println!("    {base}/privacy/2016?lang=nl   {base}/privacy?lang=id&format=md");
    println!("    {base}/privacy/changes?lang=en&from=2020&to=2023   (what changed)");
    println!(
        "    {base}/subprocessors?lang=nl   {base}/subprocessors.atom   {base}/ropa?lang=zh-CN"
    );
    println!(
        "    {base}/documents/cookie-notice?lang=id   (also disclosure-requests, security, addresses)"
    );
    println!();
    let data_option = match (&args.data.database_url, &args.data.data_dir) {
        (Some(_), _) => "--database-url …".to_string(),
        (None, Some(dir)) => format!("--data-dir {}", dir.display()),
        (None, None) => "--data-dir data/demo".to_string(),
    };
    let publications = engine.publications().await?;
    let stats = engine.notice_stats().await?;
    println!("  Publications and change notices:");
    for p in &publications {
        println!(
            "    version {} published, in force from {}",
            p.label, p.effective_on
        );
    }
    println!(
        "    {} subscribers ({} awaiting confirmation), {} notices queued, {} sent; {} objection(s) — custodian notices status",
        stats.subscribers, stats.pending, stats.queued, stats.sent, stats.objections
    );
    match (&settings.mail.smtp_url, &settings.mail.outbox_dir) {
        (Some(_), _) => println!("    notices are sent through mail.smtp_url"),
        (None, Some(dir)) => println!(
            "    notices are written as e-mails (.eml) to {} — open one: each has its links",
            dir.display()
        ),
        (None, None) => {}
    }
    println!("    subscribe at {base}/subprocessors?lang=en#subscribe (confirmation e-mail first)");
    println!();
    let buckets = engine.buckets(None, u32::MAX).await?;
    let now = engine.clock().now();
    let live = || {
        buckets
            .iter()
            .filter(|b| b.state == custodian_store::BucketState::Live)
    };
    let due = live()
        .filter(|b| b.expires_at.is_some_and(|t| t <= now))
        .count();
    let next = live()
        .filter_map(|b| {
            b.expires_at
                .filter(|t| *t > now)
                .map(|t| (t, b.name.clone()))
        })
        .min();
    let holds = engine
        .holds(None)
        .await?
        .into_iter()
        .filter(|h| h.lifted_at.is_none())
        .count();
    println!("  Retention:");
    println!(
        "    {} buckets; {due} due now (the sweeper in this server expires them in a moment); next expiry {}; {holds} legal hold(s) active",
        buckets.len(),
        next.map(|(t, b)| format!("{b} at {t}"))
            .unwrap_or_else(|| "none".into())
    );
    println!("    custodian retention report {data_option}");
    println!(
        "    custodian sweep --dry-run --now 2030-01-01T00:00:00Z {data_option}   (what would expire by then)"
    );
    println!();
    println!("  API (OpenAPI at {base}/openapi.json):");
    println!("    curl {base}/v1/policy");
    println!("    curl '{base}/v1/policy/diff?from=2020&to=2023'");
    println!("    curl '{base}/v1/policy/versions/{current}/ropa?format=md'");
    println!("    curl {base}/readyz ; curl {base}/metrics");
    println!();
    println!("  Sign in to the API with a tenant's key (shown once; new keys every start):");
    for (name, key) in keys {
        println!("    {name:<18} {key}");
    }
    if let Some((_, key)) = keys.first() {
        println!();
        println!("    curl -H 'Authorization: Bearer {key}' {base}/v1/me");
        println!("    curl -H 'Authorization: Bearer {key}' {base}/v1/audit/events");
        let mut rng = StdRng::seed_from_u64(DEMO_SEED);
        let someone = &traffic::people(1, &mut rng)[0];
        println!(
            "    curl -H 'Authorization: Bearer {key}' -H 'content-type: application/json' \\\n         -d '{{\"kind\":\"phone\",\"value\":\"{}\"}}' {base}/v1/subjects/lookup",
            someone.phone
        );
        println!(
            "    curl -H 'Authorization: Bearer {key}' '{base}/v1/subjects/SUBJECT/records?purpose=transmission'"
        );
    }
    println!();
    println!(
        "  Also try: custodian policy check · custodian policy diff 2020 2023 · custodian audit verify {data_option}"
    );
    println!();
    Ok(())
}

/// Gives the request pages work to show, once: a customer's requests in every state (an
/// access export to download, an erasure that the law only partly allows, an objection
/// waiting for a decision under an extended deadline, an overdue one), a bulk job, a
/// privacy-center request routed to the customer, one waiting for its code, and a letter
/// waiting for staff to confirm the sender.
async fn seed_requests(engine: &Engine, keys: &[(String, String)]) -> anyhow::Result<()> {
    use custodian_engine::rights::{Attachment, Channel, Handler, NewRequest, Requester};
    use custodian_engine::rights_bulk::BulkSubject;
    use std::collections::BTreeMap;
    let any = engine
        .store()
        .rights_requests(&custodian_store::RightsFilter {
            limit: 1,
            ..custodian_store::RightsFilter::default()
        })
        .await?;
    if !any.is_empty() {
        return Ok(());
    }
    let Some((_, globex_key)) = keys.get(1) else {
        return Ok(());
    };
    let globex = engine.authenticate(globex_key).await?;
    // The demo customer's own tenant gets end users with traffic, and their requests.
    let owner = engine.customer_by_email(DEMO_CUSTOMER).await?;
    let acme = engine.customer_principal(&owner)?;
    let mut rng = StdRng::seed_from_u64(DEMO_SEED);
    let persons = traffic::people(DEMO_RECORDS / 6, &mut rng);
    let records = (0..60)
        .map(|i| traffic::record(i, &persons[i % 8], &mut rng))
        .collect();
    let stored = engine.ingest(&acme, records, None, b"").await?;
    // The end users as stored (each generated record names them by one identifier or another).
    let mut end_users: Vec<custodian_core::SubjectId> = Vec::new();
    for r in &stored.records {
        if !end_users.contains(&r.subject) {
            end_users.push(r.subject);
        }
    }
    anyhow::ensure!(
        end_users.len() >= 4,
        "the demo traffic made too few end users"
    );
    let ask = |right: &str, who: usize, lang: &str| NewRequest {
        right: right.into(),
        locale: Some(lang.into()),
        subject: Some(end_users[who]),
        requester: Requester {
            email: Some(persons[who].email.clone()),
            ..Requester::default()
        },
        ..NewRequest::default()
    };
    engine
        .file_request(&acme, Channel::Dashboard, ask("access", 0, "en"))
        .await?;
    engine
        .file_request(&acme, Channel::Api, ask("erasure", 1, "nl"))
        .await?;
    let objection = engine
        .file_request(&acme, Channel::Dashboard, ask("objection", 2, "en"))
        .await?;
    engine
        .extend_request(
            &Handler::Tenant(acme.clone()),
            objection.id,
            "The objection needs a balancing test by our legal team.",
        )
        .await?;
    let mut late = ask("rectification", 3, "id");
    late.received_at = Some(engine.clock().now() - jiff::SignedDuration::from_hours(24 * 40));
    late.message = Some("My name is misspelled in your records.".into());
    engine.file_request(&acme, Channel::Api, late).await?;
    let subjects = persons[0..20]
        .iter()
        .map(|p| BulkSubject {
            identifiers: BTreeMap::from([("phone".to_string(), p.phone.clone())]),
            subject: None,
            email: None,
        })
        .collect();
    let job = engine
        .submit_bulk(&globex, "access", None, subjects)
        .await?;
    engine.run_job(job.id).await?;
    engine
        .submit_public(NewRequest {
            right: "access".into(),
            locale: Some("nl".into()),
            requester: Requester {
                email: Some("visitor@example.org".into()),
                ..Requester::default()
            },
            ..NewRequest::default()
        })
        .await?;
    if let Ok(support) = engine.staff_by_email("support@custodian.example").await {
        use base64::Engine as _;
        // A person without an account wrote to the privacy mailbox from the address on
        // file: routed to Acme, which controls their data.
        engine
            .staff_file_request(
                &support,
                Channel::Mail,
                NewRequest {
                    right: "erasure".into(),
                    locale: Some("zh-CN".into()),
                    identifiers: BTreeMap::from([("phone".to_string(), persons[4].phone.clone())]),
                    requester: Requester {
                        email: Some(persons[4].email.clone()),
                        ..Requester::default()
                    },
                    ..NewRequest::default()
                },
                true,
            )
            .await?;
        let letter = "Dear MessageBird,\n\nPlease send me a copy of all personal data you hold about me.\n\nKind regards,\nP. Jansen\n";
        engine
            .staff_file_request(
                &support,
                Channel::Post,
                NewRequest {
                    right: "access".into(),
                    locale: Some("nl".into()),
                    identifiers: BTreeMap::from([("phone".to_string(), persons[9].phone.clone())]),
                    requester: Requester {
                        name: Some("P. Jansen".into()),
                        address: Some("Keizersgracht 1, 1015 CJ Amsterdam".into()),
                        ..Requester::default()
                    },
                    letter: Some(Attachment {
                        name: "letter.txt".into(),
                        content_type: "text/plain".into(),
                        data: base64::engine::general_purpose::STANDARD.encode(letter),
                    }),
                    received_at: Some(
                        engine.clock().now() - jiff::SignedDuration::from_hours(24 * 3),
                    ),
                    ..NewRequest::default()
                },
                false,
            )
            .await?;
    }
    Ok(())
}

/// What the guide shows of consent: the site whose banner to preview and one person's links.
struct ConsentDemo {
    site: String,
    preferences: String,
    unsubscribe: String,
}

/// Gives the consent pages something to show in the first tenant: people who ticked the box
/// (in three languages), one who opted out, one who gave consent to surveys, browsers that
/// chose in the banner (one of them under GPC), and a preference-centre link.
async fn seed_consents(
    engine: &Engine,
    keys: &[(String, String)],
) -> anyhow::Result<Option<ConsentDemo>> {
    use custodian_engine::consent::ConsentInput;
    use custodian_engine::consent_banner::BannerChoice;
    let Some((_, key)) = keys.first() else {
        return Ok(None);
    };
    let principal = engine.authenticate(key).await?;
    let person =
        |email: &str, purpose: &str, given: bool, locale: &str, method: &str| ConsentInput {
            subject: None,
            identifiers: [("email".to_string(), email.to_string())].into(),
            purpose: purpose.into(),
            given,
            method: Some(method.into()),
            text: None,
            text_version: None,
            locale: Some(locale.into()),
            ip: Some("198.51.100.20".into()),
            at: None,
        };
    let first = "lotte@example.nl";
    let (known, _) = engine
        .check_consent(&principal, "promote-services", None, Some(("email", first)))
        .await?;
    if known.is_none() {
        for c in [
            person(first, "promote-services", true, "nl", "checkbox"),
            person(
                "wei@example.cn",
                "promote-services",
                true,
                "zh-CN",
                "checkbox",
            ),
            person("sam@example.com", "promote-services", true, "en", "form"),
            person(
                "sam@example.com",
                "promote-services",
                false,
                "en",
                "support",
            ),
            person("dewi@example.id", "surveys", true, "id", "checkbox"),
        ] {
            engine.record_consent(&principal, c).await?;
        }
        let banner = engine.banner(Some("en"))?;
        for (action, categories, gpc) in [
            ("accept-all", vec![], false),
            ("reject-all", vec![], false),
            ("save", vec!["performance".to_string()], false),
            ("accept-all", vec![], true),
        ] {
            engine
                .record_banner(
                    BannerChoice {
                        site: principal.tenant.as_uuid(),
                        consent_id: uuid::Uuid::new_v4(),
                        action: action.into(),
                        categories,
                        revision: banner.revision.clone(),
                        locale: banner.locale.clone(),
                        text_hash: banner.text_hash.clone(),
                        gpc,
                        gpc_source: gpc.then(|| "dom".into()),
                    },
                    false,
                    None,
                )
                .await?;
        }
    }
    let link = engine
        .unsubscribe_link(
            &principal,
            None,
            &[("email".to_string(), first.to_string())].into(),
            "promote-services",
        )
        .await?;
    Ok(Some(ConsentDemo {
        site: principal.tenant.to_string(),
        preferences: link.preferences_url,
        unsubscribe: link.url,
    }))
}

fn print_consent(base: &str, consent: &Option<ConsentDemo>, keys: &[(String, String)]) {
    let Some(c) = consent else {
        return;
    };
    println!("  Consent:");
    println!(
        "    the cookie banner on an example website (Acme's): {base}/banner/example?site={}&lang=nl",
        c.site
    );
    println!("    GPC support: {base}/.well-known/gpc.json   the banner itself: {base}/banner.js");
    // The links carry the public address of the configuration; this server's is `base`.
    let here = |url: &str, path: &str| match url.find(path) {
        Some(i) => format!("{base}{}", &url[i..]),
        None => url.to_string(),
    };
    println!(
        "    Lotte's preference centre: {}?lang=nl",
        here(&c.preferences, "/preferences/")
    );
    println!(
        "    her one-click unsubscribe (a page on GET, RFC 8058 on POST): {}",
        here(&c.unsubscribe, "/unsubscribe/")
    );
    if let Some((_, key)) = keys.first() {
        println!(
            "    curl -H 'Authorization: Bearer {key}' '{base}/v1/consents/check?purpose=promote-services&email=lotte@example.nl'"
        );
    }
    println!();
}
