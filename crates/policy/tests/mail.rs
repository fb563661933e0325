//! The e-mail notices composed from the seeds' policy in every locale: complete, with the
//! policy's names, dates and links, plurals by the locale's rules, and snapshots under
//! `tests/snapshots/mail/` (rewrite with `UPDATE_SNAPSHOTS=1` after a deliberate change).
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::path::{Path, PathBuf};

use custodian_policy::statement::StatementError;
use custodian_policy::statement::mail::{Notice, TOPIC_POLICY, TOPIC_SUBPROCESSORS, compose};
use custodian_policy::{Policy, load};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn seeds() -> Policy {
    let (policy, report) = load(&root().join("policies/messagebird"));
    assert_eq!(report.error_count(), 0, "{}", report.render(false));
    policy.unwrap()
}

const CONFIRM: &str = "https://privacy.example/subscriptions/confirm?token=T";
const CHANGES: &str = "https://privacy.example/privacy/changes?from=2020&to=2023";
const LIST: &str = "https://privacy.example/subprocessors?version=2023";
const OBJECT: &str = "https://privacy.example/subprocessors/objections/new?token=O";
const UNSUBSCRIBE: &str = "https://privacy.example/subscriptions/unsubscribe?token=U";

fn snapshot(name: &str, text: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots/mail")
        .join(name);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "no snapshot {}; run with UPDATE_SNAPSHOTS=1 and review it",
            path.display()
        )
    });
    assert_eq!(text, expected, "{name} differs from its snapshot");
}

#[test]
fn every_notice_in_every_locale_is_complete_and_matches_its_snapshot() {
    let policy = seeds();
    let from = policy.version("2020").unwrap();
    let to = policy.version("2023").unwrap();
    for locale in &policy.locales {
        let lang = locale.tag.as_str();
        let notices = [
            (
                "confirm",
                Notice::Confirm {
                    topics: TOPIC_POLICY | TOPIC_SUBPROCESSORS,
                    confirm: CONFIRM,
                },
            ),
            (
                "policy",
                Notice::PolicyChange {
                    from,
                    to,
                    effective: "2026-12-22",
                    material: 7,
                    changes: CHANGES,
                },
            ),
            (
                "subprocessors",
                Notice::SubprocessorChange {
                    from,
                    to,
                    effective: "2026-12-22",
                    list: LIST,
                    object: OBJECT,
                },
            ),
        ];
        for (name, notice) in notices {
            let letter = compose(&policy, lang, &notice, UNSUBSCRIBE)
                .unwrap_or_else(|e| panic!("{lang} {name}: {e}"));
            assert!(
                letter.subject.contains("MessageBird"),
                "{lang} {name}: {}",
                letter.subject
            );
            assert!(
                !letter.body.contains("mail-"),
                "{lang} {name}: a message id leaked"
            );
            match name {
                "confirm" => {
                    assert!(letter.body.contains(CONFIRM));
                    assert!(
                        !letter.body.contains(UNSUBSCRIBE),
                        "nothing to unsubscribe from yet"
                    );
                }
                "policy" => {
                    assert!(letter.subject.contains("2026-12-22"));
                    assert!(letter.body.contains("2023") && letter.body.contains("2020"));
                    assert!(letter.body.contains('7'));
                    assert!(letter.body.contains(CHANGES) && letter.body.contains(UNSUBSCRIBE));
                }
                _ => {
                    assert!(letter.body.contains(LIST) && letter.body.contains(OBJECT));
                    assert!(letter.body.contains(UNSUBSCRIBE));
                    // SparkPost became an affiliate between 2020 and 2023: no longer a subprocessor.
                    assert!(letter.body.contains("SparkPost"), "{lang}: {}", letter.body);
                }
            }
            snapshot(
                &format!("{name}.{lang}.txt"),
                &format!("Subject: {}\n\n{}", letter.subject, letter.body),
            );
        }
    }
}

#[test]
fn one_material_change_is_singular_where_the_language_says_so() {
    let policy = seeds();
    let (from, to) = (
        policy.version("2022").unwrap(),
        policy.version("2023").unwrap(),
    );
    let one = |lang: &str| {
        compose(
            &policy,
            lang,
            &Notice::PolicyChange {
                from,
                to,
                effective: "2027-01-01",
                material: 1,
                changes: CHANGES,
            },
            UNSUBSCRIBE,
        )
        .unwrap()
        .body
    };
    assert!(one("en").contains("one material change since"));
    assert!(one("nl").contains("één wezenlijke wijziging"));
    // Indonesian nouns do not inflect for number.
    assert!(one("id").contains("membawa 1 perubahan material"));
}

#[test]
fn an_unknown_locale_is_refused_by_name() {
    let policy = seeds();
    let err = compose(
        &policy,
        "fr",
        &Notice::Confirm {
            topics: TOPIC_POLICY,
            confirm: CONFIRM,
        },
        "",
    )
    .unwrap_err();
    assert!(matches!(err, StatementError::UnknownLocale(ref l, _) if l == "fr"));
}
