//! The Data Rights Protocol 1.0's signed envelopes (issue 6): an authorized agent sends
//! `text/plain` bodies that are base64 of an Ed25519 signature followed by the JSON claims
//! (libsodium's combined mode). A Privacy Infrastructure Provider — us — checks them in the
//! order the specification sets, and answers any failure with a bare 403.
//!
//! Agents are known from a local directory file (the consortium's service directory is a
//! closed network): each agent's id and its verify key in base64.

use std::collections::BTreeMap;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use jiff::Timestamp;
use serde::Deserialize;

/// The largest envelope taken (a request with an address fits in a few kilobytes).
pub const MAX_ENVELOPE: usize = 64 * 1024;

/// Why an envelope is refused; each answers 403 with an empty body, so the agent learns
/// nothing it could use to probe. The variant is for our logs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// Too large.
    TooLarge,
    /// Not base64.
    NotBase64,
    /// Shorter than a signature.
    TooShort,
    /// The signature does not verify with the agent's key.
    BadSignature,
    /// The signed bytes are not a JSON object.
    NotJson,
    /// `agent-id` is missing or names another agent.
    WrongAgent,
    /// `business-id` is missing or names another business.
    WrongBusiness,
    /// `issued-at` is missing, unreadable or in the future.
    NotYetIssued,
    /// `expires-at` is missing, unreadable or past.
    Expired,
    /// The agent is not in the directory.
    UnknownAgent,
}

/// The agents we accept, by id.
#[derive(Debug, Clone, Default)]
pub struct AgentDirectory {
    agents: BTreeMap<String, VerifyingKey>,
}

#[derive(Deserialize)]
struct DirectoryFile {
    agents: Vec<AgentEntry>,
}

#[derive(Deserialize)]
struct AgentEntry {
    id: String,
    verify_key: String,
}

impl AgentDirectory {
    /// Reads a directory file: `{"agents": [{"id": "…", "verify_key": "<base64>"}]}`. An error
    /// names the entry and what is wrong with it.
    pub fn from_json(text: &str) -> Result<Self, String> {
        let file: DirectoryFile = serde_json::from_str(text)
            .map_err(|e| format!("the agents directory is not valid: {e}"))?;
        let mut agents = BTreeMap::new();
        for (i, entry) in file.agents.into_iter().enumerate() {
            let bytes = decode(&entry.verify_key)
                .ok_or_else(|| format!("agents[{i}] ({}): verify_key is not base64", entry.id))?;
            let bytes: [u8; 32] = bytes.try_into().map_err(|_| {
                format!(
                    "agents[{i}] ({}): verify_key must be 32 bytes (an Ed25519 public key)",
                    entry.id
                )
            })?;
            let key = VerifyingKey::from_bytes(&bytes).map_err(|_| {
                format!(
                    "agents[{i}] ({}): verify_key is not an Ed25519 point",
                    entry.id
                )
            })?;
            if agents.insert(entry.id.clone(), key).is_some() {
                return Err(format!("agents[{i}]: `{}` is listed twice", entry.id));
            }
        }
        Ok(Self { agents })
    }

    /// The verify key of `agent`.
    pub fn key(&self, agent: &str) -> Option<&VerifyingKey> {
        self.agents.get(agent)
    }
}

fn decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim();
    STANDARD
        .decode(text)
        .or_else(|_| STANDARD_NO_PAD.decode(text))
        .ok()
}

fn time_claim(
    claims: &serde_json::Map<String, serde_json::Value>,
    name: &str,
) -> Option<Timestamp> {
    claims.get(name)?.as_str()?.parse().ok()
}

/// Opens an envelope from `agent` (the bearer token's agent, or the path's at pairwise setup)
/// for `business` at `now`, checking in the specification's order: base64, the signature with
/// the agent's key, `agent-id`, `business-id`, `issued-at` ≤ now, now < `expires-at`.
/// Returns the claims.
pub fn open_envelope(
    directory: &AgentDirectory,
    agent: &str,
    business: &str,
    body: &[u8],
    now: Timestamp,
) -> Result<serde_json::Map<String, serde_json::Value>, Refused> {
    if body.len() > MAX_ENVELOPE {
        return Err(Refused::TooLarge);
    }
    let text = std::str::from_utf8(body).map_err(|_| Refused::NotBase64)?;
    let bytes = decode(text).ok_or(Refused::NotBase64)?;
    if bytes.len() < Signature::BYTE_SIZE {
        return Err(Refused::TooShort);
    }
    let key = directory.key(agent).ok_or(Refused::UnknownAgent)?;
    let (signature, message) = bytes.split_at(Signature::BYTE_SIZE);
    let signature = Signature::from_slice(signature).map_err(|_| Refused::BadSignature)?;
    key.verify(message, &signature)
        .map_err(|_| Refused::BadSignature)?;
    let claims: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(message).map_err(|_| Refused::NotJson)?;
    if claims.get("agent-id").and_then(|v| v.as_str()) != Some(agent) {
        return Err(Refused::WrongAgent);
    }
    if claims.get("business-id").and_then(|v| v.as_str()) != Some(business) {
        return Err(Refused::WrongBusiness);
    }
    match time_claim(&claims, "issued-at") {
        Some(issued) if issued <= now => {}
        _ => return Err(Refused::NotYetIssued),
    }
    match time_claim(&claims, "expires-at") {
        Some(expires) if now < expires => {}
        _ => return Err(Refused::Expired),
    }
    Ok(claims)
}

/// How the platform is reached by agents: our business id and the agents we accept.
#[derive(Debug, Clone, Default)]
pub struct DrpSettings {
    /// Our `business-id`.
    pub business_id: String,
    /// The agents we accept.
    pub directory: AgentDirectory,
}

/// Why an exercise was refused after its envelope was accepted: the protocol's error object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrpError {
    /// The HTTP status.
    pub status: u16,
    /// What is wrong.
    pub message: String,
    /// Whether retrying cannot help.
    pub fatal: bool,
}

impl DrpError {
    fn bad(message: impl Into<String>) -> Self {
        Self {
            status: 400,
            message: message.into(),
            fatal: true,
        }
    }
}

/// Either the envelope was refused (403, empty body) or the request was not acceptable.
#[derive(Debug)]
pub enum DrpFailure {
    /// 403 with an empty body.
    Refused(Refused),
    /// A protocol error object.
    Error(DrpError),
    /// Ours.
    Engine(crate::EngineError),
}

impl From<crate::EngineError> for DrpFailure {
    fn from(e: crate::EngineError) -> Self {
        match e {
            crate::EngineError::Invalid { message, .. }
            | crate::EngineError::InvalidField { message, .. } => {
                DrpFailure::Error(DrpError::bad(message))
            }
            crate::EngineError::NotFound { .. } => DrpFailure::Refused(Refused::WrongAgent),
            other => DrpFailure::Engine(other),
        }
    }
}

fn token_hash(token: &str) -> Vec<u8> {
    use sha2::Digest;
    sha2::Sha256::digest(token.as_bytes()).to_vec()
}

fn protocol_status(state: &str) -> &'static str {
    use crate::rights::state;
    match state {
        state::RECEIVED => "open",
        state::VERIFYING | state::IN_PROGRESS => "in_progress",
        state::FULFILLED | state::PARTIALLY_FULFILLED => "fulfilled",
        state::DENIED => "denied",
        _ => "revoked",
    }
}

fn protocol_reason(reason: Option<&str>) -> Option<&'static str> {
    Some(match reason? {
        "suspected_fraud" => "suspected_fraud",
        "insuf_verification" => "insuf_verification",
        "no_match" => "no_match",
        "claim_not_covered" => "claim_not_covered",
        "outside_jurisdiction" => "outside_jurisdiction",
        "too_many_requests" => "too_many_requests",
        _ => "other",
    })
}

/// The protocol's status object of a request.
pub fn status_object(
    engine: &crate::Engine,
    row: &custodian_store::RightsRequestRow,
    detail: &crate::rights::Detail,
) -> serde_json::Value {
    use crate::rights::state;
    let mut o = serde_json::Map::new();
    o.insert("request_id".into(), row.id.to_string().into());
    o.insert("received_at".into(), row.received_at.to_string().into());
    o.insert("expected_by".into(), row.effective_due().to_string().into());
    if let Some(id) = &detail.agent_request_id {
        o.insert("agent_request_id".into(), id.clone().into());
    }
    let status = protocol_status(&row.state);
    o.insert("status".into(), status.into());
    let mut details = Vec::new();
    if let Some(reason) = &detail.extension_reason {
        details.push(format!(
            "extended to {}: {reason}",
            crate::rights::day_of(row.effective_due())
        ));
    }
    if !detail.answer.routed_to.is_empty() {
        details.push(format!(
            "passed on to the controller(s): {}",
            detail.answer.routed_to.join(", ")
        ));
    }
    if detail.answer.no_data && state::is_closed(&row.state) {
        details.push("no personal data found".into());
    }
    for r in &detail.answer.retained {
        details.push(format!("{} kept under {}", r.category, r.why));
    }
    if let Some(e) = &detail.explanation {
        details.push(e.clone());
    }
    if !details.is_empty() {
        o.insert("processing_details".into(), details.join("; ").into());
    }
    if row.state == state::VERIFYING {
        o.insert("reason".into(), "need_user_verification".into());
        o.insert(
            "user_verification_url".into(),
            engine.request_link(row).into(),
        );
    } else if row.state == state::DENIED
        && let Some(r) = protocol_reason(row.reason.as_deref())
    {
        o.insert("reason".into(), r.into());
    }
    let horizon = row.closed_at.unwrap_or(row.effective_due());
    o.insert(
        "expires_at".into(),
        (horizon + jiff::SignedDuration::from_hours(24 * 60))
            .to_string()
            .into(),
    );
    if status == "fulfilled" && detail.answer.export_until.is_some() && !detail.answer.no_data {
        o.insert("results_url".into(), engine.request_link(row).into());
    }
    serde_json::Value::Object(o)
}

impl crate::Engine {
    /// Pairwise key setup: checks the envelope against the path's agent and answers a new
    /// bearer token (the one before stops working).
    pub async fn drp_pair(
        &self,
        settings: &DrpSettings,
        agent: &str,
        body: &[u8],
    ) -> Result<String, DrpFailure> {
        let now = self.clock().now();
        open_envelope(&settings.directory, agent, &settings.business_id, body, now)
            .map_err(DrpFailure::Refused)?;
        let mut bytes = [0u8; 32];
        rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
        let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
        let audit = custodian_store::NewAuditEvent {
            at: now,
            actor: format!("drp:{agent}"),
            action: "drp.paired".into(),
            tenant: None,
            targets: vec![agent.to_string()],
            purpose: Some("rights-requests".into()),
            outcome: custodian_store::Outcome::Success,
            detail: None,
        };
        self.store()
            .pair_drp_agent(agent, &token_hash(&token), now, &audit)
            .await
            .map_err(|e| DrpFailure::Engine(e.into()))?;
        Ok(token)
    }

    /// The agent a bearer token belongs to.
    pub async fn drp_agent(&self, token: &str) -> Result<Option<String>, crate::EngineError> {
        Ok(self.store().drp_agent_by_token(&token_hash(token)).await?)
    }

    /// An exercise: the envelope checked with the token's agent, the request filed to the
    /// platform (verified when the agent asserts a verified address or number, otherwise
    /// waiting for the person's code) and routed. Answers the status object.
    pub async fn drp_exercise(
        &self,
        settings: &DrpSettings,
        agent: &str,
        body: &[u8],
    ) -> Result<serde_json::Value, DrpFailure> {
        let now = self.clock().now();
        let claims = open_envelope(&settings.directory, agent, &settings.business_id, body, now)
            .map_err(DrpFailure::Refused)?;
        let text = |k: &str| claims.get(k).and_then(|v| v.as_str()).map(str::to_string);
        let flag = |k: &str| claims.get(k).and_then(|v| v.as_bool()).unwrap_or(false);
        let exercise = match claims.get("exercise") {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Array(a)) if a.len() == 1 => a[0]
                .as_str()
                .map(str::to_string)
                .ok_or_else(|| DrpFailure::Error(DrpError::bad("exercise must name one right")))?,
            _ => {
                return Err(DrpFailure::Error(DrpError::bad(
                    "exercise must name one right",
                )));
            }
        };
        if crate::rights::Right::parse(&exercise).is_none() {
            return Err(DrpFailure::Error(DrpError::bad(format!(
                "`{exercise}` is not a right this business supports; use access, deletion, sale:opt-out or sale:opt-in"
            ))));
        }
        let mut identifiers = BTreeMap::new();
        let email = text("email");
        let phone = text("phone_number");
        if let Some(e) = &email {
            identifiers.insert("email".to_string(), e.clone());
        }
        if let Some(p) = &phone {
            identifiers.insert("phone".to_string(), p.clone());
        }
        if identifiers.is_empty() {
            return Err(DrpFailure::Error(DrpError::bad(
                "identify the person with email or phone_number",
            )));
        }
        let address = claims.get("address").map(|a| match a {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        });
        let verified = (email.is_some() && flag("email_verified"))
            || (phone.is_some() && flag("phone_number_verified"));
        let new = crate::rights::NewRequest {
            right: exercise,
            regime: text("regime"),
            locale: None,
            requester: crate::rights::Requester {
                email: email.clone(),
                name: text("name"),
                phone,
                address,
            },
            identifiers,
            ..crate::rights::NewRequest::default()
        };
        let callback = text("status_callback").filter(|u| {
            reqwest::Url::parse(u).is_ok_and(|u| matches!(u.scheme(), "http" | "https"))
        });
        let view = self
            .file_platform_request(
                crate::rights::Channel::Drp,
                new,
                verified,
                &format!("drp:{agent}"),
                Some((agent.to_string(), text("agent-request-id"), callback)),
            )
            .await?;
        if !verified && email.is_some() {
            // The person proves the address with a mailed code, as at the privacy center.
            self.resend_code(view.id).await?;
        }
        self.drp_status(agent, view.id).await
    }

    /// The status object of an agent's request; another agent's request is refused.
    pub async fn drp_status(
        &self,
        agent: &str,
        id: uuid::Uuid,
    ) -> Result<serde_json::Value, DrpFailure> {
        let row = self
            .store()
            .rights_request(id)
            .await
            .map_err(|e| DrpFailure::Engine(e.into()))?
            .filter(|r| r.agent.as_deref() == Some(agent))
            .ok_or(DrpFailure::Refused(Refused::WrongAgent))?;
        let detail = self.open_detail(&row)?;
        Ok(status_object(self, &row, &detail))
    }

    /// Revokes an agent's request (the signed body carries the reason).
    pub async fn drp_revoke(
        &self,
        settings: &DrpSettings,
        agent: &str,
        id: uuid::Uuid,
        body: &[u8],
    ) -> Result<serde_json::Value, DrpFailure> {
        let now = self.clock().now();
        let claims = if body.is_empty() {
            serde_json::Map::new()
        } else {
            open_envelope(&settings.directory, agent, &settings.business_id, body, now)
                .map_err(DrpFailure::Refused)?
        };
        let row = self
            .store()
            .rights_request(id)
            .await
            .map_err(|e| DrpFailure::Engine(e.into()))?
            .filter(|r| r.agent.as_deref() == Some(agent))
            .ok_or(DrpFailure::Refused(Refused::WrongAgent))?;
        if !row.is_closed() {
            let reason = claims
                .get("reason")
                .and_then(|v| v.as_str())
                .map(str::to_string);
            self.withdraw_request(&crate::rights::Handler::System, row.id, reason)
                .await?;
        }
        self.drp_status(agent, id).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::{Signer, SigningKey};
    use serde_json::json;

    const AGENT: &str = "CR_AA_DRP_ID_001_LOCAL";
    const BUSINESS: &str = "custodian-demo";

    fn key(seed: u8) -> SigningKey {
        SigningKey::from_bytes(&[seed; 32])
    }

    fn directory() -> AgentDirectory {
        let verify = STANDARD.encode(key(7).verifying_key().to_bytes());
        AgentDirectory::from_json(
            &json!({ "agents": [{ "id": AGENT, "verify_key": verify }] }).to_string(),
        )
        .unwrap()
    }

    fn now() -> Timestamp {
        "2026-11-23T10:00:00Z".parse().unwrap()
    }

    fn claims() -> serde_json::Value {
        json!({
            "agent-id": AGENT,
            "business-id": BUSINESS,
            "issued-at": "2026-11-23T09:58:00Z",
            "expires-at": "2026-11-23T10:13:00Z",
            "drp.version": "1.0",
            "exercise": "access",
            "regime": "voluntary"
        })
    }

    fn envelope(signer: &SigningKey, claims: &serde_json::Value) -> Vec<u8> {
        let message = claims.to_string().into_bytes();
        let mut signed = signer.sign(&message).to_bytes().to_vec();
        signed.extend_from_slice(&message);
        STANDARD.encode(signed).into_bytes()
    }

    fn open(body: &[u8]) -> Result<serde_json::Map<String, serde_json::Value>, Refused> {
        open_envelope(&directory(), AGENT, BUSINESS, body, now())
    }

    #[test]
    fn a_signed_envelope_opens_with_its_claims() {
        let claims = open(&envelope(&key(7), &claims())).unwrap();
        assert_eq!(claims["exercise"], "access");
        assert_eq!(claims["regime"], "voluntary");
        // Without padding too.
        let body = envelope(&key(7), &self::claims());
        let unpadded = String::from_utf8(body)
            .unwrap()
            .trim_end_matches('=')
            .to_string();
        assert!(open(unpadded.as_bytes()).is_ok());
    }

    #[test]
    fn each_failure_is_told_apart_in_the_specifications_order() {
        assert_eq!(open(b"%%% not base64"), Err(Refused::NotBase64));
        assert_eq!(
            open(STANDARD.encode([1u8; 10]).as_bytes()),
            Err(Refused::TooShort)
        );
        // Signed by someone else: refused before any claim is read.
        assert_eq!(
            open(&envelope(&key(8), &claims())),
            Err(Refused::BadSignature)
        );
        // A flipped byte of the message.
        let mut bytes = STANDARD.decode(envelope(&key(7), &claims())).unwrap();
        let last = bytes.len() - 2;
        bytes[last] ^= 1;
        assert_eq!(
            open(STANDARD.encode(&bytes).as_bytes()),
            Err(Refused::BadSignature)
        );
        let mut c = claims();
        c["agent-id"] = json!("ANOTHER_AGENT");
        assert_eq!(open(&envelope(&key(7), &c)), Err(Refused::WrongAgent));
        let mut c = claims();
        c["business-id"] = json!("someone-else");
        assert_eq!(open(&envelope(&key(7), &c)), Err(Refused::WrongBusiness));
        let mut c = claims();
        c["issued-at"] = json!("2026-11-23T10:05:00Z");
        assert_eq!(open(&envelope(&key(7), &c)), Err(Refused::NotYetIssued));
        let mut c = claims();
        c["expires-at"] = json!("2026-11-23T09:59:59Z");
        assert_eq!(open(&envelope(&key(7), &c)), Err(Refused::Expired));
        let mut c = claims();
        c.as_object_mut().unwrap().remove("expires-at");
        assert_eq!(open(&envelope(&key(7), &c)), Err(Refused::Expired));
        // OSIRAA's 15-minute windows are accepted: the spec only recommends 10.
        assert!(open(&envelope(&key(7), &claims())).is_ok());
        // An agent not in the directory.
        assert_eq!(
            open_envelope(
                &directory(),
                "NOBODY",
                BUSINESS,
                &envelope(&key(7), &claims()),
                now()
            ),
            Err(Refused::UnknownAgent)
        );
        // Signed bytes that are not an object.
        let message = b"[1,2,3]".to_vec();
        let mut signed = key(7).sign(&message).to_bytes().to_vec();
        signed.extend_from_slice(&message);
        assert_eq!(
            open(STANDARD.encode(signed).as_bytes()),
            Err(Refused::NotJson)
        );
        assert_eq!(open(&vec![b'A'; MAX_ENVELOPE + 4]), Err(Refused::TooLarge));
    }

    #[test]
    fn a_bad_directory_names_the_entry() {
        let e = AgentDirectory::from_json(r#"{"agents": [{"id": "a", "verify_key": "@@"}]}"#)
            .unwrap_err();
        assert!(e.contains("agents[0] (a)") && e.contains("base64"), "{e}");
        let e = AgentDirectory::from_json(r#"{"agents": [{"id": "a", "verify_key": "AAAA"}]}"#)
            .unwrap_err();
        assert!(e.contains("32 bytes"), "{e}");
        let k = STANDARD.encode(key(1).verifying_key().to_bytes());
        let twice = json!({"agents": [{"id": "a", "verify_key": k}, {"id": "a", "verify_key": k}]});
        let e = AgentDirectory::from_json(&twice.to_string()).unwrap_err();
        assert!(e.contains("twice"), "{e}");
        // The reference agent's published development key reads.
        let osiraa = json!({"agents": [{"id": AGENT, "verify_key": "jkX15E7+NA/0E7K5YAp7+GndMP6/Fa0dJJYyr1GJPoQ="}]});
        assert!(AgentDirectory::from_json(&osiraa.to_string()).is_ok());
    }

    #[test]
    fn arbitrary_bodies_never_panic() {
        let mut seed: u64 = 0x5eed;
        for n in 0..2_000 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let len = (seed % 400) as usize;
            let bytes: Vec<u8> = (0..len)
                .map(|i| (seed.rotate_left((i % 64) as u32) >> 3) as u8)
                .collect();
            let body = if n % 2 == 0 {
                STANDARD.encode(&bytes).into_bytes()
            } else {
                bytes
            };
            assert!(open(&body).is_err());
        }
    }
}
