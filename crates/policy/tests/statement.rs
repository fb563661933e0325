//! The privacy statement compiled from the seeds' policy: every version, locale, format and
//! jurisdiction, compared with the snapshots under `tests/snapshots/statement/`.
//!
//! After a deliberate change of wording or layout, rewrite the snapshots with
//! `UPDATE_SNAPSHOTS=1 cargo test -p custodian-policy --test statement` and review the diff.
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::path::{Path, PathBuf};

use custodian_policy::statement::{Block, Format, Jurisdiction, StatementError, compose, render};
use custodian_policy::{Policy, load};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn seeds() -> Policy {
    let (policy, report) = load(&root().join("policies/messagebird"));
    assert_eq!(report.error_count(), 0, "{}", report.render(false));
    policy.unwrap()
}

const FORMATS: [(Format, &str); 3] = [
    (Format::Html, "html"),
    (Format::Markdown, "md"),
    (Format::Text, "txt"),
];

#[test]
fn every_version_locale_format_and_jurisdiction_matches_its_snapshot() {
    let policy = seeds();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/statement");
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    if update {
        std::fs::create_dir_all(&dir).unwrap();
    }
    let mut compared = 0;
    let mut differ = Vec::new();
    for version in &policy.versions {
        for j in Jurisdiction::ALL {
            let defined = j == Jurisdiction::Gdpr
                || version.jurisdiction.iter().any(|x| x.id.as_str() == j.id());
            for locale in &policy.locales {
                let doc = compose(&policy, version, &locale.tag, j);
                if !defined {
                    assert!(
                        matches!(doc, Err(StatementError::NoJurisdiction { .. })),
                        "{} {} {}",
                        version.label,
                        j.id(),
                        locale.tag
                    );
                    continue;
                }
                let doc = doc
                    .unwrap_or_else(|e| panic!("{} {} {}: {e}", version.label, locale.tag, j.id()));
                for (format, ext) in FORMATS {
                    let name = format!("{}-{}-{}.{ext}", version.label, locale.tag, j.id());
                    let got = render(&doc, format);
                    let path = dir.join(&name);
                    if update {
                        std::fs::write(&path, &got).unwrap();
                    } else {
                        let want = std::fs::read_to_string(&path).unwrap_or_default();
                        if want != got {
                            differ.push(name);
                        }
                    }
                    compared += 1;
                }
            }
        }
    }
    // 2023 has all three views, 2022 two, 2020 and 2016 one: 7 × 4 locales × 3 formats.
    assert_eq!(compared, 84);
    assert!(
        differ.is_empty(),
        "these renderings differ from their snapshots (rerun with UPDATE_SNAPSHOTS=1 after a deliberate change): {differ:?}"
    );
}

/// The tags a rendered page opens, closed in order: a well-formed HTML5 document.
fn balanced(html: &str) -> Result<(), String> {
    const VOID: [&str; 4] = ["meta", "link", "br", "img"];
    let mut stack: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        let end = rest[start..].find('>').ok_or("a tag is not closed")? + start;
        let tag = &rest[start + 1..end];
        rest = &rest[end + 1..];
        if tag.starts_with('!') {
            continue;
        }
        if let Some(name) = tag.strip_prefix('/') {
            let open = stack.pop().ok_or(format!("</{name}> closes nothing"))?;
            if open != name {
                return Err(format!("</{name}> closes <{open}>"));
            }
            continue;
        }
        let name = tag
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_string();
        if !VOID.contains(&name.as_str()) {
            stack.push(name.clone());
        }
        if name == "style" {
            let close = rest.find("</style>").ok_or("<style> is not closed")?;
            rest = &rest[close..];
        }
    }
    if stack.is_empty() {
        Ok(())
    } else {
        Err(format!("left open: {stack:?}"))
    }
}

#[test]
fn html_is_a_well_formed_html5_document_in_the_right_language() {
    let policy = seeds();
    let current = policy.current().unwrap();
    for locale in &policy.locales {
        let doc = compose(&policy, current, &locale.tag, Jurisdiction::Gdpr).unwrap();
        let html = render(&doc, Format::Html);
        assert!(html.starts_with("<!DOCTYPE html>\n"));
        assert!(html.contains(&format!("<html lang=\"{}\">", locale.tag)));
        assert!(html.contains("<meta charset=\"utf-8\">"));
        balanced(&html).unwrap_or_else(|e| panic!("{}: {e}", locale.tag));
    }
    assert!(balanced("<p><b>x</p></b>").is_err());
}

#[test]
fn sections_are_numbered_without_gaps_and_counts_match_their_lists() {
    let policy = seeds();
    for version in &policy.versions {
        for locale in &policy.locales {
            let doc = compose(&policy, version, &locale.tag, Jurisdiction::Gdpr).unwrap();
            let text = render(&doc, Format::Text);
            for (i, _) in doc.sections.iter().enumerate() {
                assert!(
                    text.contains(&format!("\n{}. ", i + 1)),
                    "{} {}: section {} missing",
                    version.label,
                    locale.tag,
                    i + 1
                );
            }
            // "these N categories of recipients" is followed by a list of N.
            let sharing = doc.sections.iter().find(|s| s.id == "sharing").unwrap();
            let listed = version
                .recipient_category
                .iter()
                .filter(|r| r.listed)
                .count();
            if listed > 0 {
                let Some(Block::List(items)) = sharing.blocks.get(1) else {
                    panic!("the recipients follow their count")
                };
                assert_eq!(items.len(), listed);
                if locale.tag == "en" && listed > 1 {
                    let Some(Block::Para(intro)) = sharing.blocks.first() else {
                        panic!()
                    };
                    assert!(
                        intro.contains(&format!("these {listed} categories")),
                        "{intro}"
                    );
                }
            }
        }
    }
}

fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn names_periods_and_mailbox_subjects_come_from_the_policy_verbatim() {
    let policy = seeds();
    let current = policy.current().unwrap();
    for locale in &policy.locales {
        let doc = compose(&policy, current, &locale.tag, Jurisdiction::Gdpr).unwrap();
        // Lines are wrapped: compare with single spaces.
        let text = flat(&render(&doc, Format::Text));
        // E-mail subjects route mail: never translated.
        for subject in ["'Children'", "'Dispute'", "Urgent: account credentials"] {
            let bare = subject.trim_matches('\'');
            assert!(text.contains(bare), "{}: {subject} missing", locale.tag);
        }
        for name in [
            "Stripe",
            "Mollie",
            "Adyen",
            "SparkPost",
            "Pusher",
            "Telvox",
            "Flow Builder",
        ] {
            assert!(text.contains(name), "{}: {name} missing", locale.tag);
        }
        for wrong in [
            "Streep",
            "Zeefwetenschap",
            "推进器",
            "兴业银行",
            "饼干",
            "野生动物园",
            "Kinderen'",
            "儿童”作为",
        ] {
            assert!(!text.contains(wrong), "{}: {wrong}", locale.tag);
        }
        assert!(text.contains("privacy@messagebird.com"));
    }
    let en = flat(&render(
        &compose(&policy, current, "en", Jurisdiction::Gdpr).unwrap(),
        Format::Text,
    ));
    assert!(
        en.contains("6 months from the moment we collected it"),
        "{en}"
    );
    assert!(en.contains("up to 2 years"));
    assert!(en.contains("We answer within 1 month"));
    assert!(en.contains("never more than 2 months"));
    let nl = flat(&render(
        &compose(&policy, current, "nl", Jurisdiction::Gdpr).unwrap(),
        Format::Text,
    ));
    assert!(nl.contains("6 maanden"), "{nl}");
    assert!(nl.contains("1 januari 2023"));
}

#[test]
fn the_california_and_singapore_views_use_their_own_terms_and_sections() {
    let policy = seeds();
    let current = policy.current().unwrap();
    let text = |j| {
        flat(&render(
            &compose(&policy, current, "en", j).unwrap(),
            Format::Text,
        ))
    };
    let (gdpr, pdpa, ccpa) = (
        text(Jurisdiction::Gdpr),
        text(Jurisdiction::Pdpa),
        text(Jurisdiction::Ccpa),
    );
    assert!(gdpr.contains("We are the data controller"));
    assert!(!gdpr.contains("California"));
    assert!(pdpa.contains("We are the organisation"), "{pdpa}");
    assert!(pdpa.contains("If you are in Singapore"));
    assert!(pdpa.contains("\"data processor\" means \"data intermediary\""));
    assert!(ccpa.contains("We are the business"));
    assert!(ccpa.contains("personal information"));
    assert!(ccpa.contains("We do not sell or share personal information"));
    assert!(ccpa.contains("will not treat you differently"));
    let older = policy.version("2020").unwrap();
    assert!(matches!(
        compose(&policy, older, "en", Jurisdiction::Ccpa),
        Err(StatementError::NoJurisdiction { .. })
    ));
}

#[test]
fn an_unknown_locale_or_a_missing_message_is_a_clear_error() {
    let mut policy = seeds();
    let current = policy.current().unwrap().clone();
    let err = compose(&policy, &current, "fr", Jurisdiction::Gdpr).unwrap_err();
    assert!(err.to_string().contains("`fr` is not a locale"), "{err}");
    // Drop one sentence from the Dutch messages: the error names it.
    let nl = policy.locales.iter_mut().find(|l| l.tag == "nl").unwrap();
    for resource in &mut nl.resources {
        let text: String = resource
            .source()
            .lines()
            .filter(|l| !l.starts_with("st-links-body"))
            .map(|l| format!("{l}\n"))
            .collect();
        *resource = std::sync::Arc::new(
            fluent_bundle::FluentResource::try_new(text).unwrap_or_else(|(r, _)| r),
        );
    }
    let err = compose(&policy, &current, "nl", Jurisdiction::Gdpr).unwrap_err();
    assert!(
        matches!(&err, StatementError::MissingMessages { locale, missing } if locale == "nl" && missing == &vec!["st-links-body".to_string()]),
        "{err}"
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn policy_check_reports_a_statement_sentence_missing_from_a_locale() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("policies/messagebird"), dir.path());
    let file = dir.path().join("locales/id/statement.ftl");
    let text = std::fs::read_to_string(&file).unwrap();
    let without: String = text
        .lines()
        .filter(|l| !l.starts_with("st-children-age"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&file, without).unwrap();
    let (_, report) = load(dir.path());
    let rendered = report.render(false);
    assert_eq!(report.error_count(), 1, "{rendered}");
    assert!(rendered.contains("P0701"), "{rendered}");
    assert!(
        rendered.contains("locale `id` has no message `st-children-age`"),
        "{rendered}"
    );
}

#[test]
fn a_local_office_with_a_published_street_address_is_listed_under_its_country() {
    // The seeds name only countries; a policy that publishes an address gets it in the
    // statement's contact section and in the addresses document, in every locale.
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("policies/messagebird"), dir.path());
    let file = dir.path().join("versions/2023/contact.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    let with = text.replacen(
        "id = \"sg\"\ncountry = \"SG\"\n",
        "id = \"sg\"\ncountry = \"SG\"\naddress = [\"MessageBird Pte. Ltd.\", \"1 Example Street #01-01\", \"Singapore 000001\"]\n",
        1,
    );
    assert_ne!(text, with, "the fixture has a Singapore office");
    std::fs::write(&file, with).unwrap();
    let (policy, report) = load(dir.path());
    assert_eq!(report.error_count(), 0, "{}", report.render(false));
    let policy = policy.unwrap();
    let v = policy.version("2023").unwrap();
    for locale in &policy.locales {
        let doc = compose(&policy, v, &locale.tag, Jurisdiction::Gdpr).unwrap();
        let contact = custodian_policy::statement::excerpt(&doc, "contact").unwrap();
        let text = render(&contact, Format::Text);
        assert!(
            text.contains("1 Example Street #01-01, Singapore 000001"),
            "{}: {text}",
            locale.tag
        );
    }
}
