//! The public privacy center: people without an account file a request with their e-mail
//! address, prove they control it with a mailed code, and the request is then routed. Wrong
//! codes are counted (five tries), codes expire after [`CODE_MINUTES`], and one address gets
//! at most [`CODES_PER_HOUR`] codes an hour. Requests never verified are closed after
//! [`VERIFY_DAYS`] days as not verified.

use custodian_store::{NewRightsOutbox, RequestScope, RightsFilter, VerificationCodeRow};
use jiff::SignedDuration;
use uuid::Uuid;

use crate::identifiers::Email;
use crate::rights::{Channel, Handler, NewRequest, RequestView, state};
use crate::{Engine, EngineError};

/// Minutes a code works.
pub const CODE_MINUTES: i64 = 30;
/// Wrong tries a code allows.
pub const CODE_TRIES: i64 = 5;
/// Codes one address gets per hour.
pub const CODES_PER_HOUR: i64 = 3;
/// Days a request waits for its code before it is closed as not verified.
pub const VERIFY_DAYS: i64 = 7;

/// A request filed at the privacy center, waiting for its code.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PublicSubmission {
    /// The request.
    pub request: Uuid,
    /// The code mailed (its id; the form carries it back).
    pub code: Uuid,
    /// When the code stops working.
    pub expires_at: jiff::Timestamp,
}

impl Engine {
    /// The six-digit code of a code id: derived, not stored, so the mail can be sent (and
    /// sent again) from the outbox without keeping the code in clear.
    pub(crate) fn code_for(&self, id: Uuid) -> String {
        let tag = self.master.tag("rights/code", &[id.as_bytes()]);
        let n = u32::from_be_bytes([tag[0], tag[1], tag[2], tag[3]]) % 1_000_000;
        format!("{n:06}")
    }

    fn code_hash(&self, id: Uuid, code: &str) -> Vec<u8> {
        self.master
            .tag("rights/code-hash", &[id.as_bytes(), code.as_bytes()])[..16]
            .to_vec()
    }

    /// Files a request at the privacy center: it waits for the code mailed to the
    /// requester's address. The person is identified by that address unless other
    /// identifiers are given.
    pub async fn submit_public(
        &self,
        mut new: NewRequest,
    ) -> Result<PublicSubmission, EngineError> {
        let email = new
            .requester
            .email
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .ok_or(EngineError::Invalid {
                field: "email",
                message: "give your e-mail address: the code that confirms the request goes there"
                    .into(),
            })?;
        let email = Email::parse(email).map_err(|e| EngineError::Invalid {
            field: "email",
            message: e.0,
        })?;
        new.requester.email = Some(email.as_str().to_string());
        new.identifiers
            .entry("email".into())
            .or_insert_with(|| email.as_str().to_string());
        let index = self.account_index(&email);
        self.code_allowed(&index).await?;
        let (row, _detail, _) = self.new_row(
            None,
            Channel::PrivacyCenter,
            new,
            state::VERIFYING,
            "privacy-center",
        )?;
        let audit = self.rights_audit("privacy-center", "request.filed", &row, None);
        self.issue_code(&row, index, true, audit).await
    }

    /// Refuses a code to an address that had [`CODES_PER_HOUR`] in the last hour.
    async fn code_allowed(&self, index: &[u8]) -> Result<(), EngineError> {
        let since = self.clock.now() - SignedDuration::from_hours(1);
        if self.store.verification_codes_since(index, since).await? >= CODES_PER_HOUR {
            return Err(EngineError::Limited {
                message: format!(
                    "this address got {CODES_PER_HOUR} codes in the last hour; use the latest one, or try again in an hour"
                ),
                retry_after: 3_600,
            });
        }
        Ok(())
    }

    /// Makes a code for `request`, stores it and queues its mail; a `new` request is stored in
    /// the same call.
    async fn issue_code(
        &self,
        request: &custodian_store::RightsRequestRow,
        email_index: Vec<u8>,
        new: bool,
        audit: custodian_store::NewAuditEvent,
    ) -> Result<PublicSubmission, EngineError> {
        let now = self.clock.now();
        let code_id = Uuid::now_v7();
        let expires_at = now + SignedDuration::from_mins(CODE_MINUTES);
        self.store
            .create_verification_code(&VerificationCodeRow {
                id: code_id,
                email_index,
                code_hash: self.code_hash(code_id, &self.code_for(code_id)),
                created_at: now,
                expires_at,
                attempts: 0,
                used_at: None,
                detail_sealed: request.id.as_bytes().to_vec(),
            })
            .await?;
        self.store
            .create_rights_requests(
                None,
                if new {
                    std::slice::from_ref(request)
                } else {
                    &[]
                },
                &[NewRightsOutbox {
                    request: request.id,
                    kind: "code".into(),
                    reference: code_id.to_string(),
                    next_at: now,
                }],
                &audit,
            )
            .await?;
        self.kick_mail();
        Ok(PublicSubmission {
            request: request.id,
            code: code_id,
            expires_at,
        })
    }

    /// Sends a new code for a request still waiting for one.
    pub async fn resend_code(&self, request: Uuid) -> Result<PublicSubmission, EngineError> {
        let row = self
            .store
            .rights_request(request)
            .await?
            .filter(|r| r.tenant.is_none() && r.state == state::VERIFYING)
            .ok_or(EngineError::NotFound { kind: "request" })?;
        let detail = self.open_detail(&row)?;
        let email = detail
            .requester
            .email
            .as_deref()
            .and_then(|e| Email::parse(e).ok())
            .ok_or(EngineError::NotFound { kind: "request" })?;
        let index = self.account_index(&email);
        self.code_allowed(&index).await?;
        let audit = self.rights_audit("privacy-center", "request.code", &row, None);
        self.issue_code(&row, index, false, audit).await
    }

    /// Checks the code entered for a request; right, the request is verified and routed.
    /// Wrong, expired or used codes get a message that says what to do; after
    /// [`CODE_TRIES`] wrong tries the code stops working.
    pub async fn verify_public(
        &self,
        request: Uuid,
        code_id: Uuid,
        entered: &str,
    ) -> Result<RequestView, EngineError> {
        let unknown = || EngineError::Invalid {
            field: "code",
            message: "this code is not valid for this request; ask for a new one".into(),
        };
        let code = self
            .store
            .verification_code(code_id)
            .await?
            .filter(|c| c.detail_sealed == request.as_bytes())
            .ok_or_else(unknown)?;
        let now = self.clock.now();
        if code.used_at.is_some() {
            return Err(EngineError::Invalid {
                field: "code",
                message: "this code was used already".into(),
            });
        }
        if code.expires_at <= now {
            return Err(EngineError::Invalid {
                field: "code",
                message: format!(
                    "this code expired (codes work for {CODE_MINUTES} minutes); ask for a new one"
                ),
            });
        }
        if code.attempts >= CODE_TRIES {
            return Err(EngineError::Invalid {
                field: "code",
                message: "too many wrong tries; ask for a new code".into(),
            });
        }
        let entered: String = entered.chars().filter(char::is_ascii_digit).collect();
        let given = self.code_hash(code_id, &entered);
        use subtle::ConstantTimeEq;
        if !bool::from(given.ct_eq(&code.code_hash)) {
            let tries = self
                .store
                .fail_verification_code(code_id)
                .await?
                .unwrap_or(CODE_TRIES);
            let left = (CODE_TRIES - tries).max(0);
            return Err(EngineError::Invalid {
                field: "code",
                message: if left == 0 {
                    "wrong code; that was the last try: ask for a new code".into()
                } else {
                    format!("wrong code; {left} tries left")
                },
            });
        }
        if !self.store.use_verification_code(code_id, now).await? {
            return Err(EngineError::Invalid {
                field: "code",
                message: "this code was used already".into(),
            });
        }
        let row = self
            .store
            .rights_request(request)
            .await?
            .ok_or(EngineError::NotFound { kind: "request" })?;
        if row.state != state::VERIFYING {
            return self.request_view(&row);
        }
        self.confirm_identity(
            &Handler::System,
            request,
            "code mailed to the address entered",
        )
        .await
    }

    /// A request to the platform, for its requester holding the status token.
    pub async fn public_request(&self, id: Uuid, token: &str) -> Result<RequestView, EngineError> {
        if !self.request_token_ok(id, token) {
            return Err(EngineError::NotFound { kind: "request" });
        }
        let row = self
            .store
            .rights_request(id)
            .await?
            .filter(|r| r.tenant.is_none())
            .ok_or(EngineError::NotFound { kind: "request" })?;
        self.request_view(&row)
    }

    /// The requests routed or split from a request to the platform (its children).
    pub async fn child_requests(&self, id: Uuid) -> Result<Vec<RequestView>, EngineError> {
        self.store
            .rights_requests(&RightsFilter {
                parent: Some(id),
                limit: 1_000,
                ..RightsFilter::default()
            })
            .await?
            .iter()
            .map(|r| self.request_view(r))
            .collect()
    }

    /// Closes requests to the platform whose requester never entered the code.
    pub async fn expire_verifications(&self) -> Result<usize, EngineError> {
        let cutoff = self.clock.now() - SignedDuration::from_hours(24 * VERIFY_DAYS);
        let waiting = self
            .store
            .rights_requests(&RightsFilter {
                scope: RequestScope::Platform,
                state: Some(state::VERIFYING.into()),
                limit: 1_000,
                ..RightsFilter::default()
            })
            .await?;
        let mut closed = 0;
        for row in waiting.into_iter().filter(|r| r.received_at < cutoff) {
            if row.channel != Channel::PrivacyCenter.as_str() {
                // Letters and mail wait for staff, whatever their age.
                continue;
            }
            let id = row.id;
            match self
                .close(
                    &Handler::System,
                    row,
                    state::DENIED,
                    Some("insuf_verification"),
                    Some(format!(
                        "The request was not confirmed with the code within {VERIFY_DAYS} days."
                    )),
                    |_| {},
                )
                .await
            {
                Ok(_) => closed += 1,
                Err(EngineError::Conflict(_)) => {}
                Err(e) => {
                    tracing::warn!(request = %id, error = %e, "closing an unverified request failed");
                }
            }
        }
        Ok(closed)
    }
}
