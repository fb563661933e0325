//! The seeds' policy: it loads cleanly, its diff shows what really changed between the
//! statements (requirements.md §11), and its ROPA and schema are produced.
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::path::{Path, PathBuf};

use custodian_policy::diff::{ChangeKind, Class, diff};
use custodian_policy::model::{KeyScope, RetentionBasis};
use custodian_policy::{Policy, load, ropa};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn seeds() -> Policy {
    let (policy, report) = load(&root().join("policies/messagebird"));
    assert_eq!(report.error_count(), 0, "{}", report.render(false));
    assert_eq!(report.warning_count(), 0, "{}", report.render(false));
    policy.expect("the seeds' policy is valid")
}

#[test]
fn the_seeds_policy_has_four_dated_versions_in_four_locales() {
    let policy = seeds();
    assert_eq!(policy.labels(), vec!["2016", "2020", "2022", "2023"]);
    assert_eq!(policy.current().map(|v| v.label.as_str()), Some("2023"));
    let tags: Vec<&str> = policy.locales.iter().map(|l| l.tag.as_str()).collect();
    assert_eq!(tags, vec!["en", "nl", "zh-CN", "id"]);
    let effective: Vec<&str> = policy
        .versions
        .iter()
        .map(|v| v.version.as_ref().unwrap().effective.as_str())
        .collect();
    assert_eq!(
        effective,
        vec!["2015-12-10", "2020-01-01", "2022-05-18", "2023-01-01"]
    );
}

#[test]
fn every_product_of_the_end_user_table_is_in_the_2023_version() {
    let policy = seeds();
    let v = policy.version("2023").unwrap();
    let names: Vec<&str> = v.product.iter().map(|p| p.name.as_str()).collect();
    for expected in [
        "SMS",
        "Voice",
        "Email",
        "Numbers",
        "Inbox",
        "Flow Builder",
        "Omnichannel Widget",
        "CDP",
    ] {
        assert!(
            names.iter().any(|n| n.contains(expected)),
            "{expected} missing from {names:?}"
        );
    }
    let numbers = v
        .product
        .iter()
        .find(|p| p.name.contains("Numbers"))
        .unwrap();
    assert!(
        numbers.categories.is_empty(),
        "Numbers holds no end-user data of its own"
    );
    assert!(!numbers.combined_with.is_empty());
}

#[test]
fn retention_periods_carry_the_seeds_figures() {
    let policy = seeds();
    let v = policy.version("2023").unwrap();
    let period = |code: &str| {
        v.retention
            .iter()
            .find(|r| r.code.as_deref() == Some(code))
            .and_then(|r| r.period.as_ref())
            .map(|p| p.as_str().to_string())
    };
    assert_eq!(period("R1").as_deref(), Some("P6M"));
    assert_eq!(period("R5").as_deref(), Some("P12M"));
    assert_eq!(period("R7").as_deref(), Some("P10Y"));
    assert_eq!(period("R8").as_deref(), Some("P5Y"));
    assert_eq!(period("R9").as_deref(), Some("P5Y"));
    let r1 = v
        .retention
        .iter()
        .find(|r| r.code.as_deref() == Some("R1"))
        .unwrap();
    assert_eq!(r1.max_period.as_ref().map(|p| p.as_str()), Some("P2Y"));
}

#[test]
fn the_account_and_support_calls_have_retention_rules_in_every_version() {
    let policy = seeds();
    for v in &policy.versions {
        let rule_of = |product: &str| {
            let p = v.product.iter().find(|p| p.id.as_str() == product)?;
            let id = p.retention.as_ref()?;
            v.retention.iter().find(|r| r.id.as_str() == id.as_str())
        };
        let account = rule_of("customer-account")
            .unwrap_or_else(|| panic!("{}: the customer account has no rule", v.label));
        assert_eq!(
            account.basis,
            Some(RetentionBasis::ContractEnd),
            "{}",
            v.label
        );
        if v.label == "2016" {
            assert_eq!(account.period.as_ref().unwrap().as_str(), "P0D");
            assert_eq!(account.scope, KeyScope::Erasable);
        } else {
            assert_eq!(account.code.as_deref(), Some("R7"));
            assert_eq!(account.period.as_ref().unwrap().as_str(), "P10Y");
            assert_eq!(account.scope, KeyScope::Legal);
            let support = rule_of("support-interactions").unwrap();
            assert_eq!(support.period.as_ref().unwrap().as_str(), "P6M");
            assert_eq!(support.scope, KeyScope::Erasable);
        }
    }
    let current = policy.current().unwrap();
    for product in &current.product {
        let holds_data = !product.categories.is_empty() || !product.optional.is_empty();
        assert!(
            !holds_data || product.retention.is_some(),
            "{} holds data without a retention rule",
            product.id.as_str()
        );
    }
}

#[test]
fn every_category_a_product_processes_has_a_value_shape() {
    let policy = seeds();
    for v in &policy.versions {
        for product in &v.product {
            for category in product.categories.iter().chain(&product.optional) {
                let shaped = product.payload.contains_key(category.as_str())
                    || v.data_category
                        .iter()
                        .any(|c| c.id.as_str() == category.as_str() && c.shape.is_some());
                assert!(
                    shaped,
                    "{}: `{}` of product `{}` has no shape",
                    v.label,
                    category.as_str(),
                    product.id.as_str()
                );
            }
        }
    }
}

#[test]
fn a_changed_value_shape_is_a_material_change_shown_field_by_field() {
    let policy = seeds();
    let d = diff(
        policy.version("2020").unwrap(),
        policy.version("2022").unwrap(),
        policy.source_locale(),
    );
    let browsing = d
        .changes
        .iter()
        .find(|c| c.kind == "data_category" && c.id == "browsing-activity")
        .unwrap();
    assert_eq!(browsing.class, Class::Material);
    assert!(browsing.fields.iter().any(|f| f.field == "value"));
    let text = d.to_text();
    assert!(text.contains("value: + fields.download_error"), "{text}");
    assert!(text.contains("payload: + product-interest"), "{text}");
}

#[test]
fn the_diff_from_2020_to_2023_shows_the_real_differences() {
    let policy = seeds();
    let d = diff(
        policy.version("2020").unwrap(),
        policy.version("2023").unwrap(),
        policy.source_locale(),
    );
    let has = |kind: &str, id: &str, change: ChangeKind| {
        d.changes
            .iter()
            .any(|c| c.kind == kind && c.id == id && c.change == change)
    };
    // Legitimate interest is relied on in 2020 but listed among the legal bases only later.
    assert!(has(
        "legal_basis",
        "legitimate-interest",
        ChangeKind::Changed
    ));
    // SparkPost moves from processor to affiliate.
    assert!(has("processor", "sparkpost", ChangeKind::Removed));
    assert!(has("entity", "sparkpost", ChangeKind::Added));
    // PDPA and CCPA terminology arrive.
    assert!(has("jurisdiction", "pdpa", ChangeKind::Added));
    assert!(has("jurisdiction", "ccpa", ChangeKind::Added));
    // Certifications are named only from 2022.
    assert!(has("certification", "iso-27001", ChangeKind::Added));
    // Colombia joins the local addresses.
    assert!(has("local_office", "co", ChangeKind::Added));
    // The Data Request API and the refusal of customers' e-mailed requests are 2020 only.
    assert!(has(
        "request_channel",
        "data-request-api",
        ChangeKind::Removed
    ));
    // Clearbit enrichment and its short lead retention are 2020 only; connectors are 2023.
    assert!(has("source", "enrichment", ChangeKind::Removed));
    assert!(has("source", "connectors", ChangeKind::Added));
    // Cookie categories appear; disclosure rules change from admissibility tests to notice.
    assert!(has("cookie_category", "unclassified", ChangeKind::Added));
    assert!(has("disclosure", "disclosure", ChangeKind::Changed));
    // Consent proof covers withdrawal too; financial retention covers invoices.
    assert!(has("retention", "consent-proof", ChangeKind::Changed));
    assert!(has("retention", "financial", ChangeKind::Changed));
    assert!(d.material() > 0 && d.editorial() > 0);
    let legal = d.changes.iter().find(|c| c.kind == "legal_basis").unwrap();
    assert_eq!(legal.class, Class::Material);
    assert!(d.to_text().contains("material"));
}

#[test]
fn a_version_diffed_with_itself_has_no_changes() {
    let policy = seeds();
    for v in &policy.versions {
        let d = diff(v, v, policy.source_locale());
        assert!(d.is_empty(), "{}", d.to_text());
        assert!(d.to_text().contains("No differences"));
    }
}

#[test]
fn the_ropa_has_one_activity_per_purpose_in_every_format_and_locale() {
    let policy = seeds();
    let v = policy.current().unwrap();
    for locale in &policy.locales {
        let record = ropa::build(v, Some(locale));
        assert_eq!(record.activities.len(), v.purpose.len());
        assert_eq!(record.controller, "MessageBird B.V.");
        assert!(record.dpo.contains('@'));
        assert!(
            record.activities.iter().all(|a| !a.legal_bases.is_empty()),
            "every activity has a basis"
        );
        let csv = record.to_csv().unwrap();
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        assert_eq!(reader.records().count(), v.purpose.len());
        // The title names Article 30 in every language (“30” survives translation).
        let md = record.to_markdown();
        assert!(
            md.starts_with("# ") && md.lines().next().unwrap().contains("30"),
            "{md}"
        );
        if locale.tag != "en" {
            assert!(
                !md.contains("Legal bases"),
                "{}: headings left in English",
                locale.tag
            );
        }
        serde_json::to_string(&record).unwrap();
    }
    let en = ropa::build(v, policy.locale("en"));
    assert!(
        en.activities.iter().any(|a| a
            .transfers
            .iter()
            .any(|t| t.contains("standard contractual clauses"))),
        "non-EEA processors appear with their safeguard"
    );
}

#[test]
fn the_committed_json_schema_matches_the_format() {
    let committed = std::fs::read_to_string(root().join("policies/policy.schema.json")).unwrap();
    let generated = serde_json::to_string_pretty(&custodian_policy::json_schema()).unwrap();
    assert_eq!(
        committed.trim(),
        generated.trim(),
        "regenerate with `custodian policy schema > policies/policy.schema.json`"
    );
}
