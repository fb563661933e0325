//! Publishing a policy version: which version is in force from which day, recorded once, with
//! the digest of its files and an audit event. A version with material changes cannot take
//! effect before the notice period the policy promises has passed.

use custodian_store::{NewAuditEvent, Outcome, Publication};
use jiff::civil::Date;
use sha2::{Digest, Sha256};

use crate::{Actor, Engine, EngineError};

/// SHA-256 over the version's files in path order (name and contents), so that a published
/// version can later be shown to be the one that was published.
fn digest(version: &custodian_policy::PolicyVersion) -> Result<Vec<u8>, EngineError> {
    let mut paths: Vec<std::path::PathBuf> = std::fs::read_dir(&version.dir)
        .map_err(|e| {
            EngineError::Unavailable(format!(
                "the files of version {} cannot be read: {e}",
                version.label
            ))
        })?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    let mut hash = Sha256::new();
    for path in paths {
        let bytes = std::fs::read(&path).map_err(|e| {
            EngineError::Unavailable(format!("{} cannot be read: {e}", path.display()))
        })?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        hash.update((name.len() as u64).to_be_bytes());
        hash.update(name.as_bytes());
        hash.update((bytes.len() as u64).to_be_bytes());
        hash.update(&bytes);
    }
    Ok(hash.finalize().to_vec())
}

impl Engine {
    /// Publishes version `label`, in force from `effective` (default: the date the version
    /// declares). Refused when it was published before, or when it changes something material
    /// since the last published version and `effective` is sooner than the policy's notice
    /// period from today.
    pub async fn publish_policy(
        &self,
        actor: &Actor,
        label: &str,
        effective: Option<Date>,
    ) -> Result<Publication, EngineError> {
        let policy = self.policy.clone();
        let version = policy.version(label).ok_or_else(|| EngineError::Invalid {
            field: "version",
            message: format!(
                "the policy has no version `{label}`; its versions are: {}",
                policy.labels().join(", ")
            ),
        })?;
        let declared = version
            .version
            .as_ref()
            .and_then(|i| i.effective.as_str().parse::<Date>().ok());
        let effective = effective.or(declared).ok_or_else(|| EngineError::Invalid {
            field: "effective",
            message: format!("version {label} declares no effective date; give one"),
        })?;
        let published = self.store.publications().await?;
        if published.iter().any(|p| p.label == label) {
            return Err(EngineError::Conflict(format!(
                "policy version {label} was published before; publish a new version instead"
            )));
        }
        let now = self.clock.now();
        // Material changes since the newest published version need notice ahead of time.
        let mut notices = Vec::new();
        if let Some(previous) = published
            .iter()
            .max_by_key(|p| p.effective_on)
            .and_then(|p| policy.version(&p.label))
        {
            let changes = custodian_policy::diff::diff(previous, version, None);
            let days = version
                .commitments
                .as_ref()
                .and_then(|c| c.notice_period_days)
                .unwrap_or(0);
            let today = now.to_zoned(jiff::tz::TimeZone::UTC).date();
            let earliest = today
                .checked_add(jiff::Span::new().days(i64::from(days)))
                .unwrap_or(today);
            notices = crate::notices::fanout(previous, version);
            if changes.material() > 0 && effective < earliest {
                return Err(EngineError::Invalid {
                    field: "effective",
                    message: if days == 0 {
                        format!(
                            "version {label} makes {} material change(s) since version {}, which cannot take effect before they are published: choose an effective date on or after {earliest}",
                            changes.material(),
                            previous.label
                        )
                    } else {
                        format!(
                            "version {label} makes {} material change(s) since version {}, and the policy promises {days} days' notice: choose an effective date on or after {earliest}",
                            changes.material(),
                            previous.label
                        )
                    },
                });
            }
        }
        let publication = Publication {
            label: label.to_string(),
            effective_on: effective,
            digest: digest(version)?,
            published_at: now,
            actor: actor.to_string(),
        };
        let event = NewAuditEvent {
            at: now,
            actor: actor.to_string(),
            action: "policy.publish".into(),
            tenant: None,
            targets: vec![label.to_string()],
            purpose: None,
            outcome: Outcome::Success,
            detail: Some(serde_json::json!({ "effective": effective.to_string() }).to_string()),
        };
        self.store
            .publish_policy(&publication, &event, &notices)
            .await?;
        Ok(publication)
    }

    /// Every publication, oldest first.
    pub async fn publications(&self) -> Result<Vec<Publication>, EngineError> {
        Ok(self.store.publications().await?)
    }
}
