//! Every checker rule, proven on a fixture that breaks it: the right code, at the right place.
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::path::PathBuf;

use custodian_policy::{Code, load};

fn fixtures() -> PathBuf {
    custodian_testkit::policy_fixtures()
}

use custodian_testkit::{broken_policy as broken, copy_dir};

/// Loads the overlay and returns where each diagnostic with `code` points: (file suffix, line, column).
fn diagnose(name: &str, code: Code) -> Vec<(String, usize, usize)> {
    let dir = broken(name);
    let (policy, report) = load(dir.path());
    assert!(policy.is_none(), "{name}: an invalid policy must not load");
    let rendered = report.render(false);
    let found: Vec<(String, usize, usize)> = report
        .diagnostics()
        .iter()
        .zip(report.locations())
        .filter(|(d, _)| d.code.as_deref() == Some(code.as_str()))
        .map(|(_, (file, line, col))| {
            let prefix = dir.path().display().to_string();
            (file.trim_start_matches(&prefix).to_string(), line, col)
        })
        .collect();
    assert!(
        !found.is_empty(),
        "{name}: expected {code:?}, got:\n{rendered}"
    );
    assert!(
        rendered.contains("help: "),
        "{name}: every diagnostic says how to fix it:\n{rendered}"
    );
    found
}

fn at(file: &str, line: usize, col: usize) -> (String, usize, usize) {
    (file.to_string(), line, col)
}

#[test]
fn the_base_fixture_is_valid() {
    let (policy, report) = load(&fixtures().join("base"));
    assert!(policy.is_some(), "{}", report.render(false));
    assert_eq!(report.error_count(), 0);
}

#[test]
fn an_unknown_reference_is_named_with_a_suggestion() {
    let found = diagnose("unknown-reference", Code::UnknownReference);
    assert_eq!(found, vec![at("/versions/2021/extra.toml", 4, 15)]);
    let (_, report) = load(broken("unknown-reference").path());
    assert!(report.render(false).contains("did you mean `hosting`?"));
}

#[test]
fn a_purpose_without_a_legal_basis_is_an_error() {
    let found = diagnose("purpose-without-basis", Code::PurposeWithoutBasis);
    assert_eq!(found, vec![at("/versions/2021/extra.toml", 2, 6)]);
}

#[test]
fn legitimate_interest_over_special_categories_is_an_error() {
    let found = diagnose("interest-over-special", Code::InterestOverSpecialCategories);
    assert_eq!(found, vec![at("/versions/2021/extra.toml", 4, 34)]);
}

#[test]
fn a_retention_rule_for_an_unknown_category_is_an_error() {
    let found = diagnose("retention-unknown-category", Code::RetentionUnknownCategory);
    assert_eq!(found, vec![at("/versions/2021/extra.toml", 3, 15)]);
}

#[test]
fn a_retention_rule_without_a_period_is_an_error() {
    let found = diagnose("retention-without-period", Code::RetentionWithoutPeriod);
    assert_eq!(found, vec![at("/versions/2021/extra.toml", 2, 6)]);
}

#[test]
fn a_product_with_an_undeclared_data_category_is_an_error() {
    let found = diagnose(
        "product-undeclared-category",
        Code::ProductUndeclaredCategory,
    );
    assert_eq!(found, vec![at("/versions/2021/extra.toml", 6, 34)]);
}

#[test]
fn a_recipient_outside_the_eea_without_a_transfer_mechanism_is_an_error() {
    let found = diagnose("transfer-without-mechanism", Code::TransferWithoutMechanism);
    assert_eq!(found, vec![at("/versions/2021/extra.toml", 4, 11)]);
}

#[test]
fn a_cookie_without_category_provider_or_lifespan_gets_three_errors() {
    for code in [
        Code::CookieWithoutCategory,
        Code::CookieWithoutProvider,
        Code::CookieWithoutLifespan,
    ] {
        let found = diagnose("cookie-incomplete", code);
        assert_eq!(
            found,
            vec![at("/versions/2021/extra.toml", 2, 6)],
            "{code:?}"
        );
    }
}

#[test]
fn a_message_missing_from_a_locale_is_reported_per_locale() {
    let found = diagnose("missing-message", Code::MissingMessage);
    assert_eq!(found.len(), 2, "one per locale: {found:?}");
    assert!(
        found
            .iter()
            .all(|f| *f == at("/versions/2021/extra.toml", 2, 6))
    );
}

#[test]
fn a_duplicate_id_points_at_the_second_declaration() {
    // Files are read in name order, so extra.toml declares it first and main.toml again.
    let found = diagnose("duplicate-id", Code::DuplicateId);
    assert_eq!(found, vec![at("/versions/2021/main.toml", 38, 6)]);
}

#[test]
fn versions_out_of_date_order_are_an_error() {
    let found = diagnose("version-order", Code::VersionOrder);
    assert_eq!(found, vec![at("/versions/2021/main.toml", 3, 13)]);
}

#[test]
fn a_contact_point_without_an_address_is_an_error() {
    let found = diagnose("contact-without-address", Code::ContactWithoutAddress);
    assert_eq!(found, vec![at("/versions/2021/extra.toml", 2, 6)]);
}

#[test]
fn a_rights_deadline_longer_than_the_law_allows_is_an_error() {
    let found = diagnose("deadline-too-long", Code::DeadlineTooLong);
    assert_eq!(found, vec![at("/versions/2021/main.toml", 63, 12)]);
}

#[test]
fn a_value_of_an_unknown_type_is_named_with_the_type_meant() {
    let found = diagnose("value-type-unknown", Code::UnknownValueType);
    assert_eq!(found, vec![at("/versions/2021/extra.toml", 3, 18)]);
    let (_, report) = load(broken("value-type-unknown").path());
    assert!(report.render(false).contains("did you mean `text`?"));
}

#[test]
fn an_enum_without_values_is_an_error() {
    let found = diagnose("enum-without-values", Code::IncompleteShape);
    assert_eq!(found, vec![at("/versions/2021/extra.toml", 3, 18)]);
}

#[test]
fn a_minimum_above_the_maximum_is_an_error_at_the_minimum() {
    let found = diagnose("shape-bounds", Code::InvalidBounds);
    assert_eq!(found, vec![at("/versions/2021/extra.toml", 6, 48)]);
    let (_, report) = load(broken("shape-bounds").path());
    assert!(
        report
            .render(false)
            .contains("field `seconds` of data category `call-duration`")
    );
}

#[test]
fn an_option_the_type_does_not_take_is_an_error() {
    let found = diagnose("shape-misplaced-option", Code::MisplacedShapeOption);
    assert_eq!(found, vec![at("/versions/2021/extra.toml", 3, 33)]);
}

#[test]
fn one_of_shapes_taking_the_same_kind_of_value_are_ambiguous() {
    let found = diagnose("shape-ambiguous", Code::AmbiguousShape);
    assert_eq!(found, vec![at("/versions/2021/extra.toml", 6, 35)]);
}

#[test]
fn a_product_shaping_a_category_it_does_not_process_is_an_error() {
    let found = diagnose("payload-other-category", Code::PayloadForOtherCategory);
    assert_eq!(found, vec![at("/versions/2021/extra.toml", 11, 1)]);
}

#[test]
fn a_field_name_that_is_not_snake_case_is_an_error() {
    let found = diagnose("field-name-invalid", Code::InvalidFieldName);
    assert_eq!(found, vec![at("/versions/2021/extra.toml", 6, 12)]);
}

#[test]
fn a_processed_category_without_a_shape_is_a_warning_not_an_error() {
    let dir = broken("category-without-shape");
    let (policy, report) = load(dir.path());
    assert!(policy.is_some(), "{}", report.render(false));
    assert_eq!(report.codes(), vec![Code::CategoryWithoutShape.as_str()]);
    assert_eq!(report.warning_count(), 1);
    let (file, line, col) = report.locations().remove(0);
    assert!(file.ends_with("/versions/2021/extra.toml"), "{file}");
    assert_eq!((line, col), (6, 15));
    assert!(
        report
            .render(false)
            .contains("help: give data category `contact-details` a `value`")
    );
}

#[test]
fn every_kind_of_value_shape_is_read_and_passes_the_checker() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("base"), dir.path());
    std::fs::write(
        dir.path().join("versions/2021/shapes.toml"),
        r#"
[[product]]
id = "crm"
name = "CRM"
kind = "customer"
subjects = ["customer"]
categories = ["contact-details"]
optional = ["health"]
role = "controller"

[product.payload]
health = { type = "one-of", of = [{ type = "text", max = 100 }, { type = "list", items = { type = "media" }, max = 3 }] }

[[data_category]]
id = "calls"
parent = "contact-details"
"#,
    )
    .unwrap();
    let main = dir.path().join("versions/2021/main.toml");
    let text = std::fs::read_to_string(&main).unwrap().replace(
        "id = \"contact-details\"\nidentifier = true\n",
        r#"id = "contact-details"
identifier = true

[data_category.value]
type = "object"

[data_category.value.fields]
phone = { type = "phone", required = true }
email = { type = "email" }
ip = { type = "ip" }
site = { type = "url" }
seen_at = { type = "timestamp" }
born = { type = "date" }
age = { type = "integer", min = 0, max = 150 }
score = { type = "number", min = -1.5, max = 1.5 }
verified = { type = "boolean" }
direction = { type = "enum", values = ["inbound", "outbound"], required = true }
tags = { type = "list", items = { type = "text", min = 1, max = 32 }, max = 10 }
recording = { type = "media" }
address = { type = "object", fields = { city = { type = "text" } } }
"#,
    );
    std::fs::write(&main, text).unwrap();
    std::fs::write(
        dir.path().join("locales/en/shapes.ftl"),
        "product-crm = CRM\ndata-calls = calls\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("locales/nl/shapes.ftl"),
        "product-crm = CRM\ndata-calls = gesprekken\n",
    )
    .unwrap();
    let (policy, report) = load(dir.path());
    assert_eq!(report.diagnostics().len(), 0, "{}", report.render(false));
    let policy = policy.unwrap();
    let v = policy.version("2021").unwrap();
    let contact = v
        .data_category
        .iter()
        .find(|c| c.id.as_str() == "contact-details")
        .unwrap();
    let shape = contact.shape.as_ref().unwrap();
    assert_eq!(shape.fields.len(), 13);
    assert!(shape.fields["phone"].required);
    assert_eq!(shape.fields["age"].max.as_ref().unwrap().value(), 150.0);
    let crm = v.product.iter().find(|p| p.id.as_str() == "crm").unwrap();
    assert_eq!(crm.payload["health"].of.len(), 2);
}

#[test]
fn a_toml_syntax_error_is_located() {
    let found = diagnose("syntax-error", Code::Syntax);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, "/versions/2021/extra.toml");
}

#[test]
fn a_misspelt_field_is_located_and_named() {
    let found = diagnose("unknown-field", Code::Syntax);
    assert_eq!(found, vec![at("/versions/2021/extra.toml", 3, 1)]);
    let (_, report) = load(broken("unknown-field").path());
    assert!(report.render(false).contains("legal_base"));
}

#[test]
fn a_missing_policy_directory_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let (policy, report) = load(&dir.path().join("nowhere"));
    assert!(policy.is_none());
    assert_eq!(report.codes(), vec![Code::MissingFile.as_str()]);
}

#[test]
fn every_overlay_fixture_is_covered_by_a_test() {
    let names: Vec<String> = std::fs::read_dir(fixtures().join("broken"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let source = include_str!("check.rs");
    for name in names {
        assert!(
            source.contains(&format!("\"{name}\"")),
            "fixture {name} has no test"
        );
    }
}

mod fuzz {
    //! Hostile input: mutated policy files must give diagnostics, never a panic.
    use super::*;
    use proptest::prelude::*;

    fn mutate(original: &[u8], edits: &[(usize, u8)], cut: Option<usize>) -> Vec<u8> {
        let mut bytes = original.to_vec();
        for (at, byte) in edits {
            if !bytes.is_empty() {
                let i = at % bytes.len();
                bytes[i] = *byte;
            }
        }
        if let Some(cut) = cut {
            bytes.truncate(cut % (bytes.len() + 1));
        }
        bytes
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        #[test]
        fn a_mutated_version_file_never_panics_the_loader(
            edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 0..12),
            cut in proptest::option::of(any::<usize>()),
        ) {
            let dir = tempfile::tempdir().unwrap();
            copy_dir(&fixtures().join("base"), dir.path());
            let file = dir.path().join("versions/2021/main.toml");
            let original = std::fs::read(&file).unwrap();
            std::fs::write(&file, mutate(&original, &edits, cut)).unwrap();
            let (policy, report) = load(dir.path());
            // Either the mutation was harmless, or it is reported with a location-free or
            // located diagnostic; rendering must work too.
            prop_assert!(policy.is_some() || report.has_errors());
            let _ = report.render(false);
        }

        #[test]
        fn a_mutated_fluent_file_never_panics_the_loader(
            edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 0..12),
            cut in proptest::option::of(any::<usize>()),
        ) {
            let dir = tempfile::tempdir().unwrap();
            copy_dir(&fixtures().join("base"), dir.path());
            let file = dir.path().join("locales/nl/policy.ftl");
            let original = std::fs::read(&file).unwrap();
            std::fs::write(&file, mutate(&original, &edits, cut)).unwrap();
            let (policy, report) = load(dir.path());
            prop_assert!(policy.is_some() || report.has_errors());
            let _ = report.render(false);
        }
    }
}

/// The seed policy with `edit` applied to the 2023 retention rules, in a temporary directory.
fn seeds_with_retention(edit: impl Fn(&str) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies/messagebird");
    copy_dir(&seeds, dir.path());
    let file = dir.path().join("versions/2023/retention.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, edit(&text)).unwrap();
    dir
}

#[test]
fn a_jurisdiction_may_only_lengthen_a_period_up_to_its_bound() {
    let ok = seeds_with_retention(|t| {
        t.replace(
            "max_period = \"P2Y\"\n",
            "max_period = \"P2Y\"\njurisdictions = [{ countries = [\"DE\"], period = \"P1Y\", because = \"a national data retention law\" }]\n",
        )
    });
    let (policy, report) = load(ok.path());
    assert!(policy.is_some(), "{}", report.render(false));
    let broken = seeds_with_retention(|t| {
        t.replace(
            "max_period = \"P2Y\"\n",
            "max_period = \"P2Y\"\njurisdictions = [\n  { countries = [\"de\"], period = \"P3Y\", because = \"too long\" },\n  { countries = [\"FR\"], period = \"P3M\", because = \"shorter\" },\n]\n",
        )
    });
    let (policy, report) = load(broken.path());
    assert!(policy.is_none());
    let rendered = report.render(false);
    let codes: Vec<&str> = report
        .diagnostics()
        .iter()
        .filter_map(|d| d.code.as_deref())
        .collect();
    assert_eq!(
        codes
            .iter()
            .filter(|c| **c == Code::InvalidPeriod.as_str())
            .count(),
        2,
        "{rendered}"
    );
    assert!(codes.contains(&Code::InvalidCountry.as_str()), "{rendered}");
    assert!(rendered.contains("exceeds `max_period`"), "{rendered}");
    assert!(
        rendered.contains("not longer than the rule's"),
        "{rendered}"
    );
}
