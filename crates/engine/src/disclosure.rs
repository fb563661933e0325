//! Government requests for disclosure: intake, the four admissibility tests of the 2020
//! statement, legal review with a recorded push-back, notice to the customer (by default; not
//! notifying needs a cited legal ground and an end date, after which the customer is told),
//! release of the scoped data only after four-eyes approval, and the public transparency
//! report.
//!
//! A request is a case of kind `government-disclosure`; while it is open a legal hold keeps
//! the tenant's data from expiring, so what was asked for cannot vanish during review.

use std::collections::BTreeMap;

use custodian_core::TenantId;
use custodian_store::{CaseFilter, CaseRow, NewAccountMail, NewAuditEvent, Outcome};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::access::{Action, reason_text};
use crate::cases::{CaseDetail, CaseNote, CaseView};
use crate::records::OpenRecord;
use crate::{Actor, Engine, EngineError, Principal, Scope};

/// The kind of case a disclosure request is.
pub const KIND: &str = "government-disclosure";

/// Kinds of authority, as the transparency report counts them.
pub const AUTHORITY_TYPES: [&str; 7] = [
    "court",
    "law-enforcement",
    "intelligence",
    "regulator",
    "tax",
    "other-government",
    "not-government",
];

/// Legal instruments; the first five are enforceable.
pub const INSTRUMENTS: [&str; 7] = [
    "warrant",
    "court-order",
    "subpoena",
    "production-order",
    "mlat-request",
    "letter",
    "informal",
];

const ENFORCEABLE: [&str; 5] = [
    "warrant",
    "court-order",
    "subpoena",
    "production-order",
    "mlat-request",
];

/// One admissibility test and how it came out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Test {
    /// `government-authority`, `applicable-jurisdiction`, `enforceable-instrument`,
    /// `specific-scope`.
    pub test: String,
    /// Whether it passes.
    pub passed: bool,
    /// Why.
    pub why: String,
}

/// The decision about telling the customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeDecision {
    /// Whether the customer is told now.
    pub notify: bool,
    /// The legal ground for not telling (a cited provision or order).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_ground: Option<String>,
    /// The day after which the customer is told anyway.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Date>,
    /// Who decided.
    pub decided_by: String,
    /// When.
    pub decided_at: Timestamp,
    /// When the customer was told.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notified_at: Option<Timestamp>,
}

/// A disclosure request's particulars (sealed with its case).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Disclosure {
    /// The authority's name.
    pub authority: String,
    /// Its kind (one of [`AUTHORITY_TYPES`]).
    pub authority_type: String,
    /// Its country (ISO 3166-1 alpha-2).
    pub country: String,
    /// The legal instrument (one of [`INSTRUMENTS`]).
    pub instrument: String,
    /// Its reference (docket, case number).
    pub reference: String,
    /// The data categories asked for (the policy's ids).
    pub categories: Vec<String>,
    /// The first day of the period asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period_from: Option<Date>,
    /// The last day of the period asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period_to: Option<Date>,
    /// The four tests, as computed at intake.
    pub tests: Vec<Test>,
    /// The legal hold placed while it is open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hold: Option<Uuid>,
    /// The legal review's conclusion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<CaseNote>,
    /// The push-back sent to the authority, when it was refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub push_back: Option<String>,
    /// Whether and when the customer is told.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<NoticeDecision>,
    /// The four-eyes approval of the release.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release_approval: Option<Uuid>,
    /// How many records were released, and when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub released: Option<(Timestamp, u64)>,
}

/// A request as it arrives.
#[derive(Debug, Clone, Deserialize)]
pub struct DisclosureIntake {
    /// The authority's name.
    pub authority: String,
    /// Its kind.
    pub authority_type: String,
    /// Its country.
    pub country: String,
    /// The legal instrument.
    pub instrument: String,
    /// Its reference.
    pub reference: String,
    /// The tenant whose data is asked for.
    pub tenant: TenantId,
    /// The data categories asked for.
    pub categories: Vec<String>,
    /// The first day of the period.
    pub period_from: Option<Date>,
    /// The last day of the period.
    pub period_to: Option<Date>,
}

/// The public transparency report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TransparencyReport {
    /// Requests received in the period.
    pub total: u64,
    /// By country.
    pub by_country: BTreeMap<String, u64>,
    /// By kind of authority.
    pub by_authority_type: BTreeMap<String, u64>,
    /// By outcome (`pending`, `pushed-back`, `disclosed`).
    pub by_outcome: BTreeMap<String, u64>,
    /// Country × outcome, for the chart.
    pub by_country_outcome: BTreeMap<String, BTreeMap<String, u64>>,
}

fn invalid(field: &'static str, message: impl Into<String>) -> EngineError {
    EngineError::Invalid {
        field,
        message: message.into(),
    }
}

fn one_line(field: &'static str, value: &str, max: usize) -> Result<String, EngineError> {
    let v = value.trim();
    if v.is_empty() || v.chars().count() > max || v.chars().any(char::is_control) {
        return Err(invalid(
            field,
            format!("give `{field}` on one line, 1 to {max} characters"),
        ));
    }
    Ok(v.to_string())
}

impl Engine {
    /// The countries whose law applies to the platform: where its entities are and where it
    /// has local offices, as the policy declares.
    pub fn applicable_countries(&self) -> Vec<String> {
        let Some(version) = self.policy.current() else {
            return Vec::new();
        };
        let mut countries: Vec<String> = version
            .entity
            .iter()
            .filter_map(|e| e.country.as_ref().map(|c| c.as_str().to_uppercase()))
            .chain(
                version
                    .local_office
                    .iter()
                    .map(|o| o.country.as_str().to_uppercase()),
            )
            .collect();
        countries.sort();
        countries.dedup();
        countries
    }

    fn admissibility(&self, d: &Disclosure) -> Vec<Test> {
        let government = d.authority_type != "not-government";
        let countries = self.applicable_countries();
        let jurisdiction = countries.contains(&d.country);
        let enforceable = ENFORCEABLE.contains(&d.instrument.as_str());
        let known: Vec<String> = self
            .policy
            .current()
            .map(|v| {
                v.data_category
                    .iter()
                    .map(|c| c.id.as_str().to_string())
                    .collect()
            })
            .unwrap_or_default();
        let unknown: Vec<&String> = d.categories.iter().filter(|c| !known.contains(c)).collect();
        let scope = match (d.period_from, d.period_to) {
            _ if d.categories.is_empty() => Err("it names no data category".to_string()),
            _ if !unknown.is_empty() => Err(format!(
                "it names categories we do not hold: {}",
                unknown
                    .iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            (Some(from), Some(to)) if from <= to => Ok(format!(
                "{} categor(ies), {from} to {to}",
                d.categories.len()
            )),
            (Some(_), Some(_)) => Err("its period ends before it begins".to_string()),
            _ => Err("it names no specific period (both a first and a last day)".to_string()),
        };
        vec![
            Test {
                test: "government-authority".into(),
                passed: government,
                why: if government {
                    format!("{} is a {}", d.authority, d.authority_type)
                } else {
                    format!("{} is not a government authority", d.authority)
                },
            },
            Test {
                test: "applicable-jurisdiction".into(),
                passed: jurisdiction,
                why: if jurisdiction {
                    format!("the law of {} applies to us", d.country)
                } else {
                    format!(
                        "the law of {} does not apply to us (we answer to: {})",
                        d.country,
                        countries.join(", ")
                    )
                },
            },
            Test {
                test: "enforceable-instrument".into(),
                passed: enforceable,
                why: if enforceable {
                    format!("a {} is enforceable", d.instrument)
                } else {
                    format!("a {} is not an enforceable legal instrument", d.instrument)
                },
            },
            Test {
                test: "specific-scope".into(),
                passed: scope.is_ok(),
                why: match scope {
                    Ok(s) => s,
                    Err(e) => e,
                },
            },
        ]
    }

    /// Records a government request for disclosure: the four tests are computed, a legal hold
    /// keeps the tenant's data while the request is open, and the case waits for legal review.
    pub async fn intake_disclosure(
        &self,
        who: &custodian_store::AccountRow,
        intake: DisclosureIntake,
    ) -> Result<CaseView, EngineError> {
        self.permit(who, Action::ReviewDisclosure, Some(intake.tenant))
            .await?;
        let authority = one_line("authority", &intake.authority, 200)?;
        let reference = one_line("reference", &intake.reference, 200)?;
        if !AUTHORITY_TYPES.contains(&intake.authority_type.as_str()) {
            return Err(invalid(
                "authority_type",
                format!("use one of {}", AUTHORITY_TYPES.join(", ")),
            ));
        }
        if !INSTRUMENTS.contains(&intake.instrument.as_str()) {
            return Err(invalid(
                "instrument",
                format!("use one of {}", INSTRUMENTS.join(", ")),
            ));
        }
        let country = intake.country.trim().to_uppercase();
        if country.len() != 2 || !country.chars().all(|c| c.is_ascii_uppercase()) {
            return Err(invalid(
                "country",
                "give the authority's country as an ISO 3166-1 alpha-2 code (NL, US)",
            ));
        }
        if intake.categories.len() > 50 {
            return Err(invalid("categories", "name at most 50 categories"));
        }
        self.tenant(intake.tenant).await?;
        let id = Uuid::now_v7();
        let actor = Actor::Account(who.id);
        let hold = self
            .place_hold(
                &actor,
                intake.tenant,
                None,
                Some(format!("case:{id}")),
                "government disclosure request under review",
                None,
            )
            .await?;
        let mut disclosure = Disclosure {
            authority,
            authority_type: intake.authority_type.clone(),
            country: country.clone(),
            instrument: intake.instrument.clone(),
            reference,
            categories: intake.categories.clone(),
            period_from: intake.period_from,
            period_to: intake.period_to,
            tests: Vec::new(),
            hold: Some(hold.id),
            review: None,
            push_back: None,
            notice: None,
            release_approval: None,
            released: None,
        };
        disclosure.tests = self.admissibility(&disclosure);
        let now = self.clock.now();
        let detail = CaseDetail {
            subject: format!(
                "{} request from {}",
                disclosure.instrument, disclosure.authority
            ),
            disclosure: Some(disclosure),
            ..CaseDetail::default()
        };
        let row = CaseRow {
            id,
            kind: KIND.into(),
            state: "received".into(),
            priority: "high".into(),
            tenant: Some(intake.tenant),
            account: None,
            source: "staff".into(),
            opened_at: now,
            due_at: Some(now + jiff::SignedDuration::from_hours(24 * 10)),
            closed_at: None,
            version: 1,
            country: Some(country),
            authority_type: Some(intake.authority_type),
            outcome: Some("pending".into()),
            detail_sealed: self.seal_detail(id, &detail)?,
        };
        let audit = NewAuditEvent {
            at: now,
            actor: actor.to_string(),
            action: "disclosure.intake".into(),
            tenant: Some(intake.tenant),
            targets: vec![format!("case:{id}"), format!("hold:{}", hold.id)],
            purpose: None,
            outcome: Outcome::Success,
            detail: None,
        };
        self.store.create_case(&row, &audit).await?;
        self.open_case(&row)
    }

    async fn disclosure_case(&self, id: Uuid) -> Result<CaseView, EngineError> {
        let row = self
            .store
            .case(id)
            .await?
            .filter(|r| r.kind == KIND)
            .ok_or(EngineError::NotFound {
                kind: "disclosure request",
            })?;
        self.open_case(&row)
    }

    /// Legal review: `admissible` (every test must pass) or a push-back to the authority,
    /// recorded with its text; a refused request closes and its hold is lifted.
    pub async fn review_disclosure(
        &self,
        who: &custodian_store::AccountRow,
        id: Uuid,
        admissible: bool,
        note: &str,
        push_back: Option<&str>,
    ) -> Result<CaseView, EngineError> {
        let case = self.disclosure_case(id).await?;
        self.permit(who, Action::ReviewDisclosure, case.tenant)
            .await?;
        let note = reason_text(note).map_err(|_| {
            invalid(
                "note",
                "give the review's conclusion in 10 to 500 characters",
            )
        })?;
        let d = case
            .detail
            .disclosure
            .clone()
            .ok_or(EngineError::NotFound {
                kind: "disclosure request",
            })?;
        if case.state != "received" {
            return Err(EngineError::Conflict(format!(
                "the request is {}; only a received request is reviewed",
                case.state
            )));
        }
        let failed: Vec<&str> = d
            .tests
            .iter()
            .filter(|t| !t.passed)
            .map(|t| t.test.as_str())
            .collect();
        let push_back = match (admissible, push_back.map(str::trim)) {
            (true, _) if !failed.is_empty() => {
                return Err(invalid(
                    "admissible",
                    format!(
                        "the request fails {}: it cannot be admissible; push back instead",
                        failed.join(", ")
                    ),
                ));
            }
            (true, _) => None,
            (false, Some(text)) if text.chars().count() >= 20 => Some(text.to_string()),
            (false, _) => {
                return Err(invalid(
                    "push_back",
                    "write the push-back sent to the authority (at least 20 characters)",
                ));
            }
        };
        let now = self.clock.now();
        let by = Actor::Account(who.id);
        let view = self
            .change_case(&by, id, "disclosure.review", |row, detail| {
                if row.state != "received" {
                    return Err(EngineError::Conflict(
                        "the request was reviewed meanwhile".into(),
                    ));
                }
                let Some(d) = detail.disclosure.as_mut() else {
                    return Err(EngineError::NotFound {
                        kind: "disclosure request",
                    });
                };
                d.review = Some(CaseNote {
                    at: now,
                    by: by.to_string(),
                    text: note.clone(),
                });
                d.push_back = push_back.clone();
                if push_back.is_some() {
                    row.state = "pushed-back".into();
                    row.outcome = Some("pushed-back".into());
                    row.closed_at = Some(now);
                } else {
                    row.state = "admissible".into();
                }
                Ok(())
            })
            .await?;
        if view.closed_at.is_some() {
            self.lift_disclosure_hold(&by, &view).await?;
        }
        Ok(view)
    }

    async fn lift_disclosure_hold(&self, by: &Actor, view: &CaseView) -> Result<(), EngineError> {
        if let (Some(tenant), Some(hold)) = (
            view.tenant,
            view.detail.disclosure.as_ref().and_then(|d| d.hold),
        ) {
            match self.lift_hold(by, tenant, hold).await {
                Ok(_) | Err(EngineError::Conflict(_)) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Decides whether the customer is told: by default yes, at once; not telling needs a
    /// cited legal ground and the day until which it holds, after which the customer is told.
    pub async fn decide_disclosure_notice(
        &self,
        who: &custodian_store::AccountRow,
        id: Uuid,
        notify: bool,
        legal_ground: Option<&str>,
        until: Option<Date>,
    ) -> Result<CaseView, EngineError> {
        let case = self.disclosure_case(id).await?;
        self.permit(who, Action::ReviewDisclosure, case.tenant)
            .await?;
        if !matches!(case.state.as_str(), "admissible" | "awaiting-approval") {
            return Err(EngineError::Conflict(format!(
                "the request is {}; notice is decided once it is found admissible",
                case.state
            )));
        }
        let today = self.clock.now().to_zoned(jiff::tz::TimeZone::UTC).date();
        let (ground, until) = if notify {
            (None, None)
        } else {
            let ground = legal_ground
                .map(str::trim)
                .filter(|g| g.chars().count() >= 10 && g.chars().count() <= 500)
                .ok_or_else(|| {
                    invalid(
                        "legal_ground",
                        "not telling the customer needs the legal ground cited (the provision or the order), 10 to 500 characters",
                    )
                })?;
            let until = until.ok_or_else(|| {
                invalid(
                    "until",
                    "give the day until which the customer may not be told; after it they are told",
                )
            })?;
            let latest = today
                .checked_add(jiff::Span::new().years(2))
                .unwrap_or(today);
            if until <= today || until > latest {
                return Err(invalid(
                    "until",
                    format!("give a day after today and at most two years ahead (by {latest})"),
                ));
            }
            (Some(ground.to_string()), Some(until))
        };
        let now = self.clock.now();
        let by = Actor::Account(who.id);
        let view = self
            .change_case(&by, id, "disclosure.notice-decision", |_row, detail| {
                let Some(d) = detail.disclosure.as_mut() else {
                    return Err(EngineError::NotFound {
                        kind: "disclosure request",
                    });
                };
                if d.notice.as_ref().is_some_and(|n| n.notified_at.is_some()) {
                    return Err(EngineError::Conflict(
                        "the customer was told already".into(),
                    ));
                }
                d.notice = Some(NoticeDecision {
                    notify,
                    legal_ground: ground.clone(),
                    until,
                    decided_by: by.to_string(),
                    decided_at: now,
                    notified_at: None,
                });
                Ok(())
            })
            .await?;
        if notify {
            return self.notify_customer(id).await;
        }
        Ok(view)
    }

    /// Tells the customer of a disclosure request: an e-mail to each of the tenant's accounts.
    async fn notify_customer(&self, id: Uuid) -> Result<CaseView, EngineError> {
        let case = self.disclosure_case(id).await?;
        let Some(tenant) = case.tenant else {
            return Ok(case);
        };
        let now = self.clock.now();
        for account in self.store.accounts(Some(tenant)).await? {
            self.store
                .change_account(
                    account.id,
                    &custodian_store::AccountChange::Notify,
                    Some(&NewAccountMail {
                        account: account.id,
                        kind: "disclosure".into(),
                        reference: id.to_string(),
                        at: now,
                    }),
                    Some(&NewAuditEvent {
                        at: now,
                        actor: Actor::System.to_string(),
                        action: "disclosure.notify".into(),
                        tenant: Some(tenant),
                        targets: vec![format!("case:{id}"), format!("account:{}", account.id)],
                        purpose: None,
                        outcome: Outcome::Success,
                        detail: None,
                    }),
                )
                .await?;
        }
        self.change_case(&Actor::System, id, "disclosure.notified", |_row, detail| {
            if let Some(n) = detail.disclosure.as_mut().and_then(|d| d.notice.as_mut()) {
                n.notified_at = Some(now);
            }
            Ok(())
        })
        .await
    }

    /// Tells customers whose non-notice period has ended (run by the scheduler); returns how
    /// many requests were told.
    pub async fn notify_after_deferral(&self) -> Result<u64, EngineError> {
        let today = self.clock.now().to_zoned(jiff::tz::TimeZone::UTC).date();
        let mut told = 0;
        let rows = self
            .store
            .cases(&CaseFilter {
                kind: Some(KIND.into()),
                open_only: false,
                limit: 1_000,
            })
            .await?;
        for row in rows {
            let view = self.open_case(&row)?;
            let due = view
                .detail
                .disclosure
                .as_ref()
                .and_then(|d| d.notice.as_ref())
                .is_some_and(|n| {
                    !n.notify && n.notified_at.is_none() && n.until.is_some_and(|u| u < today)
                });
            if due {
                self.notify_customer(row.id).await?;
                told += 1;
            }
        }
        Ok(told)
    }

    /// Asks for the release of the scoped data: it runs only after a second member of staff
    /// approves it (four eyes).
    pub async fn request_disclosure_release(
        &self,
        who: &custodian_store::AccountRow,
        id: Uuid,
        reason: &str,
    ) -> Result<custodian_store::ApprovalRow, EngineError> {
        let case = self.disclosure_case(id).await?;
        if case.state != "admissible" {
            return Err(EngineError::Conflict(format!(
                "the request is {}; only an admissible request is released",
                case.state
            )));
        }
        let d = case
            .detail
            .disclosure
            .clone()
            .ok_or(EngineError::NotFound {
                kind: "disclosure request",
            })?;
        if d.notice.is_none() {
            return Err(EngineError::Conflict(
                "decide first whether the customer is told (they are, unless a legal ground forbids it)"
                    .into(),
            ));
        }
        let approval = self
            .request_approval(
                who,
                Action::ReleaseDisclosure,
                &format!("case:{id}"),
                case.tenant,
                serde_json::json!({
                    "case": id,
                    "categories": d.categories,
                    "from": d.period_from.map(|p| p.to_string()),
                    "to": d.period_to.map(|p| p.to_string()),
                }),
                reason,
            )
            .await?;
        let approval_id = approval.id;
        self.change_case(
            &Actor::Account(who.id),
            id,
            "disclosure.release-requested",
            |row, detail| {
                row.state = "awaiting-approval".into();
                if let Some(d) = detail.disclosure.as_mut() {
                    d.release_approval = Some(approval_id);
                }
                Ok(())
            },
        )
        .await?;
        Ok(approval)
    }

    /// Carries out an approved release, once, for the person who asked: the records of the
    /// tenant in the categories and period asked for. The case closes as disclosed.
    pub async fn release_disclosure(
        &self,
        who: &custodian_store::AccountRow,
        id: Uuid,
    ) -> Result<Vec<OpenRecord>, EngineError> {
        let case = self.disclosure_case(id).await?;
        let d = case
            .detail
            .disclosure
            .clone()
            .ok_or(EngineError::NotFound {
                kind: "disclosure request",
            })?;
        let approval = d.release_approval.ok_or_else(|| {
            EngineError::Conflict("no release was asked for; ask for one first".into())
        })?;
        let tenant = case
            .tenant
            .ok_or(EngineError::NotFound { kind: "tenant" })?;
        self.claim_approved(
            who,
            approval,
            Action::ReleaseDisclosure,
            serde_json::json!({ "case": id }),
        )
        .await?;
        let principal = Principal {
            tenant,
            by: Actor::Account(who.id),
            scopes: vec![Scope::RecordsRead],
            reason: Some(format!(
                "government disclosure, case {id}, approval {approval}"
            )),
        };
        let day = |t: Timestamp| t.to_zoned(jiff::tz::TimeZone::UTC).date();
        let mut out = Vec::new();
        let mut after = None;
        loop {
            let (page, cursor) = self
                .export_page(&principal, None, "legal-requirements", after)
                .await?;
            out.extend(page.into_iter().filter(|r| {
                r.categories.iter().any(|c| d.categories.contains(c))
                    && d.period_from.is_none_or(|f| day(r.occurred_at) >= f)
                    && d.period_to.is_none_or(|t| day(r.occurred_at) <= t)
            }));
            match cursor {
                Some(c) => after = Some(c),
                None => break,
            }
        }
        let now = self.clock.now();
        let count = out.len() as u64;
        let by = Actor::Account(who.id);
        let view = self
            .change_case(&by, id, "disclosure.release", |row, detail| {
                row.state = "released".into();
                row.outcome = Some("disclosed".into());
                row.closed_at = Some(now);
                if let Some(d) = detail.disclosure.as_mut() {
                    d.released = Some((now, count));
                }
                Ok(())
            })
            .await?;
        self.lift_disclosure_hold(&by, &view).await?;
        Ok(out)
    }

    /// Counts of disclosure requests received in `[from, to)`, for the public report.
    pub async fn transparency_report(
        &self,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<TransparencyReport, EngineError> {
        let rows = self
            .store
            .cases(&CaseFilter {
                kind: Some(KIND.into()),
                open_only: false,
                limit: 1_000,
            })
            .await?;
        let mut report = TransparencyReport::default();
        for row in rows
            .iter()
            .filter(|r| r.opened_at >= from && r.opened_at < to)
        {
            let country = row.country.clone().unwrap_or_else(|| "??".into());
            let kind = row
                .authority_type
                .clone()
                .unwrap_or_else(|| "unknown".into());
            let outcome = row.outcome.clone().unwrap_or_else(|| "pending".into());
            report.total += 1;
            *report.by_country.entry(country.clone()).or_default() += 1;
            *report.by_authority_type.entry(kind).or_default() += 1;
            *report.by_outcome.entry(outcome.clone()).or_default() += 1;
            *report
                .by_country_outcome
                .entry(country)
                .or_default()
                .entry(outcome)
                .or_default() += 1;
        }
        Ok(report)
    }
}
