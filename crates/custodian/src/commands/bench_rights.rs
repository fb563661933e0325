//! `custodian bench rights`: data subject requests through the real engine, each beside the
//! naive alternative from the same run:
//! - the access export of one subject with many records, streamed as a ZIP page by page,
//!   against building the whole answer in memory first;
//! - erasure to unreadable (keys destroyed, rows deleted, the check by every identifier),
//!   against masking every record row by row as masking-based tools do;
//! - a bulk job of many subjects, against one request call per subject.

use std::collections::BTreeMap;
use std::time::Instant;

use custodian_core::SubjectId;
use custodian_engine::bundle::{Bundle, IndexText};
use custodian_engine::records::IngestRecord;
use custodian_engine::rights::{Channel, NewRequest, Requester, state};
use custodian_engine::rights_bulk::BulkSubject;
use custodian_engine::{Engine, Principal};
use serde_json::json;

use super::bench::{bench_principal, peak_rss_mib, reset_peak_rss, rss_mib};

const TEXT: IndexText<'static> = IndexText {
    lang: "en",
    title: "Your personal data",
    intro: "Everything we hold about you.",
    subject_label: "Reference",
    generated_label: "Generated",
    files_heading: "Files",
    file_label: "File",
    contents_label: "Contents",
    records_label: "Records",
    json_description: "All records as JSON",
    csv_description: "Records of {product}",
    products_heading: "Per product",
    product_label: "Product",
    retained_heading: "Kept by law",
    retained_intro: "Kept under a legal duty",
    category_label: "Category",
    until_label: "Until",
    why_label: "Why",
    erased: "erased",
    no_data: "Nothing found",
};

/// One contact record of `phone` (the `contacts` product: erasable data).
fn contact(phone: &str, i: usize) -> IngestRecord {
    serde_json::from_value(json!({
        "product": "contacts",
        "purpose": "provide-services",
        "legal_basis": "contract",
        "identifiers": { "phone": phone },
        "data": {
            "name": format!("Contact {i}"),
            "phone-number": phone,
            "email-address": format!("contact{i}@example.com"),
            "channel-id": format!("viber:c{i}")
        }
    }))
    .unwrap_or_else(|e| unreachable!("a fixed record: {e}"))
}

fn phone(i: usize) -> String {
    format!("+316{:08}", 20_000_000 + i)
}

async fn load_one_subject(
    engine: &Engine,
    principal: &Principal,
    phone: &str,
    records: usize,
) -> anyhow::Result<SubjectId> {
    for start in (0..records).step_by(5_000) {
        let batch = (start..(start + 5_000).min(records))
            .map(|i| contact(phone, i))
            .collect();
        engine.ingest(principal, batch, None, b"").await?;
    }
    Ok(engine.find_subject(principal, "phone", phone).await?)
}

fn ask(right: &str, phone: &str) -> NewRequest {
    NewRequest {
        right: right.into(),
        identifiers: BTreeMap::from([("phone".to_string(), phone.to_string())]),
        requester: Requester {
            email: Some("bench@example.com".into()),
            ..Requester::default()
        },
        ..NewRequest::default()
    }
}

pub async fn run(engine: &Engine, records: usize, subjects: usize) -> anyhow::Result<()> {
    let principal = bench_principal(engine).await?;
    println!(
        "bench rights: one subject with {records} records, a bulk job of {subjects} subjects, database {}",
        engine.store().backend()
    );

    // --- Access export of one subject ---------------------------------------------------
    let a = phone(0);
    let t = Instant::now();
    let subject = load_one_subject(engine, &principal, &a, records).await?;
    println!(
        "  loaded {records} records in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let view = engine
        .file_request(&principal, Channel::Api, ask("access", &a))
        .await?;
    anyhow::ensure!(
        view.state == state::FULFILLED,
        "the access request was not fulfilled"
    );
    let source = engine.tenant_export(&principal, view.id).await?;
    reset_peak_rss();
    let before = rss_mib().unwrap_or(-1.0);
    let t = Instant::now();
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<u8>>(4);
    let e = engine.clone();
    let writer = tokio::spawn(async move { e.stream_export(&source, &TEXT, tx).await });
    let mut bytes = 0usize;
    while let Some(chunk) = rx.recv().await {
        bytes += chunk.len();
    }
    writer.await??;
    let streamed = t.elapsed();
    let streamed_peak = peak_rss_mib().unwrap_or(-1.0) - before;

    // Naive: every record read and opened in one call, the whole archive built in memory.
    reset_peak_rss();
    let before = rss_mib().unwrap_or(-1.0);
    let t = Instant::now();
    let all = engine
        .subject_records(&principal, subject, "provide-services", None, None, 10_000)
        .await?;
    let mut all = all;
    let mut after = all.last().map(|r| r.id);
    while let Some(cursor) = after {
        let more = engine
            .subject_records(
                &principal,
                subject,
                "provide-services",
                None,
                Some(cursor),
                10_000,
            )
            .await?;
        after = more.last().map(|r| r.id);
        if more.is_empty() {
            break;
        }
        all.extend(more);
    }
    let mut bundle = Bundle::new(Vec::new(), "naive", jiff::Timestamp::now())?;
    bundle.json_records(&all)?;
    let cats: Vec<String> = all
        .iter()
        .flat_map(|r| r.categories.iter().cloned())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    bundle.begin_csv("contacts", &cats)?;
    bundle.csv_records(&all, "erased")?;
    let naive_bytes = bundle.finish(&TEXT, &[])?.len();
    let naive = t.elapsed();
    let naive_peak = peak_rss_mib().unwrap_or(-1.0) - before;
    println!(
        "  access export, {records} records: streamed {:.0} ms ({:.0} records/s, {} KiB, peak growth {:.0} MiB); \
         naive in memory {:.0} ms ({} KiB, peak growth {:.0} MiB); naive/streamed time {:.2}×",
        streamed.as_secs_f64() * 1e3,
        records as f64 / streamed.as_secs_f64(),
        bytes / 1024,
        streamed_peak,
        naive.as_secs_f64() * 1e3,
        naive_bytes / 1024,
        naive_peak,
        naive.as_secs_f64() / streamed.as_secs_f64(),
    );

    // --- Erasure to unreadable -------------------------------------------------------------
    let t = Instant::now();
    let erased = engine
        .file_request(&principal, Channel::Api, ask("erasure", &a))
        .await?;
    let erasure = t.elapsed();
    let check = erased
        .detail
        .answer
        .check
        .clone()
        .ok_or_else(|| anyhow::anyhow!("the erasure has no check"))?;
    anyhow::ensure!(check.passed, "the erasure check failed: {check:?}");

    // Naive: a second subject of the same size, each record masked in place, one by one.
    let b = phone(1);
    let other = load_one_subject(engine, &principal, &b, records).await?;
    let ids: Vec<_> = {
        let mut ids = Vec::new();
        let mut after = None;
        loop {
            let page = engine
                .subject_records(&principal, other, "provide-services", None, after, 10_000)
                .await?;
            after = page.last().map(|r| r.id);
            if page.is_empty() {
                break;
            }
            ids.extend(page.into_iter().map(|r| r.id));
        }
        ids
    };
    let masked: serde_json::Map<String, serde_json::Value> = serde_json::from_value(json!({
        "name": "REDACTED", "email-address": "redacted@example.invalid", "channel-id": "redacted"
    }))?;
    let t = Instant::now();
    for id in &ids {
        engine.rectify(&principal, *id, masked.clone()).await?;
    }
    let naive_erasure = t.elapsed();
    println!(
        "  erasure to unreadable, {records} records: {:.0} ms (keys destroyed {}, rows deleted {}, check passed by {} identifier(s)); \
         naive row-by-row masking {:.0} ms; ratio {:.0}×",
        erasure.as_secs_f64() * 1e3,
        erased.detail.answer.keys_destroyed,
        erased.detail.answer.rows_deleted,
        check.identifiers_checked,
        naive_erasure.as_secs_f64() * 1e3,
        naive_erasure.as_secs_f64() / erasure.as_secs_f64(),
    );

    // --- A bulk job of many subjects ---------------------------------------------------------
    let t = Instant::now();
    for start in (0..subjects).step_by(5_000) {
        let batch = (start..(start + 5_000).min(subjects))
            .map(|i| contact(&phone(100 + i), i))
            .collect();
        engine.ingest(&principal, batch, None, b"").await?;
    }
    println!(
        "  loaded {subjects} subjects in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let list: Vec<BulkSubject> = (0..subjects)
        .map(|i| BulkSubject {
            identifiers: BTreeMap::from([("phone".to_string(), phone(100 + i))]),
            subject: None,
            email: None,
        })
        .collect();
    let t = Instant::now();
    let job = engine.submit_bulk(&principal, "access", None, list).await?;
    let accepted = t.elapsed();
    engine.run_job(job.id).await?;
    let bulk = t.elapsed();
    let done = engine.bulk_job(&principal, job.id).await?;
    anyhow::ensure!(
        done.done == subjects as i64,
        "the job left requests open: {done:?}"
    );

    // Naive: one request call per subject, one after another.
    let t = Instant::now();
    for i in 0..subjects {
        engine
            .file_request(&principal, Channel::Api, ask("access", &phone(100 + i)))
            .await?;
    }
    let naive_bulk = t.elapsed();
    println!(
        "  bulk job, {subjects} subjects: accepted in {:.0} ms, all answered in {:.1} s ({:.0} requests/s); \
         naive one call per subject {:.1} s ({:.0} requests/s); ratio {:.2}×",
        accepted.as_secs_f64() * 1e3,
        bulk.as_secs_f64(),
        subjects as f64 / bulk.as_secs_f64(),
        naive_bulk.as_secs_f64(),
        subjects as f64 / naive_bulk.as_secs_f64(),
        naive_bulk.as_secs_f64() / bulk.as_secs_f64(),
    );
    Ok(())
}
