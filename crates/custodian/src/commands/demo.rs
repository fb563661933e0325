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
    let keys = seed(&ctx.engine).await?;
    let listener = serve::bind(&ctx.settings.server.listen).await?;
    let base = format!("http://{}", listener.local_addr()?);
    print_guide(&base, &ctx.engine, &keys, &args).await?;
    serve::serve(listener, ctx.engine).await?;
    Ok(ExitCode::SUCCESS)
}

/// How many generated records each new demo tenant gets.
const DEMO_RECORDS: usize = 120;

/// Creates the demo tenants if absent, with generated records for every product, and a fresh
/// demo key for each (earlier demo keys are revoked, since their secrets were never stored).
/// Returns (tenant name, key).
async fn seed(engine: &Engine) -> anyhow::Result<Vec<(String, String)>> {
    // The version in force is published on first start, from its own date (a first
    // publication has nothing to give notice against); its page then shows the publication.
    if engine.publications().await?.is_empty() {
        let current = engine.policy().current().map(|v| v.label.clone());
        if let Some(label) = current {
            engine.publish_policy(&Actor::System, &label, None).await?;
        }
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
            let records = (0..DEMO_RECORDS)
                .map(|i| traffic::record(i, &persons[i % persons.len()], &mut rng))
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
        keys.push((tenant.name, created.token));
    }
    Ok(keys)
}

async fn print_guide(
    base: &str,
    engine: &Engine,
    keys: &[(String, String)],
    args: &ServeArgs,
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
    let data_option = match (&args.data.database_url, &args.data.data_dir) {
        (Some(_), _) => "--database-url …".to_string(),
        (None, Some(dir)) => format!("--data-dir {}", dir.display()),
        (None, None) => "--data-dir data/demo".to_string(),
    };
    println!(
        "  Also try: custodian policy check · custodian policy diff 2020 2023 · custodian audit verify {data_option}"
    );
    println!("  Stop with Ctrl-C.");
    println!();
    Ok(())
}
