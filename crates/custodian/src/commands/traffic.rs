//! Realistic generated traffic for every product: used by the load generators and the demo.

use std::collections::BTreeMap;

use custodian_engine::records::IngestRecord;
use rand::Rng;
use rand::rngs::StdRng;
use serde_json::json;

/// A generated person: the identifiers records carry.
pub struct Person {
    pub phone: String,
    pub email: String,
    pub whatsapp: String,
    pub ip: String,
}

pub fn people(n: usize, rng: &mut StdRng) -> Vec<Person> {
    (0..n)
        .map(|i| Person {
            phone: format!("+316{:08}", 10_000_000 + (i % 89_999_999)),
            email: format!("person{i}@example-{}.nl", i % 97),
            whatsapp: format!("+447{:09}", 400_000_000 + (i % 599_999_999)),
            ip: format!(
                "10.{}.{}.{}",
                rng.random_range(0..255),
                rng.random_range(0..255),
                rng.random_range(1..255)
            ),
        })
        .collect()
}

const WORDS: &[&str] = &[
    "your",
    "code",
    "is",
    "meeting",
    "tomorrow",
    "delivery",
    "order",
    "shipped",
    "thanks",
    "reply",
    "stop",
    "invoice",
    "ready",
    "call",
    "back",
    "please",
    "confirm",
    "appointment",
    "at",
    "the",
    "office",
];

fn text(rng: &mut StdRng, words: usize) -> String {
    (0..words)
        .map(|_| WORDS[rng.random_range(0..WORDS.len())])
        .collect::<Vec<_>>()
        .join(" ")
}

/// One realistic record for a product the policy declares, cycling through the products.
pub fn record(i: usize, person: &Person, rng: &mut StdRng) -> IngestRecord {
    let operator = ["KPN", "Vodafone", "T-Mobile", "Orange"][rng.random_range(0..4)];
    let traffic = json!({
        "direction": if rng.random_bool(0.5) { "outbound" } else { "inbound" },
        "operator": operator,
        "duration_s": rng.random_range(0..600),
        "parts": rng.random_range(1..4),
    });
    let (product, purpose, identifiers, data) = match i % 6 {
        0 => (
            "sms",
            "transmission",
            BTreeMap::from([("phone".to_string(), person.phone.clone())]),
            json!({ "phone-number": person.phone, "communication-content": text(rng, 12), "traffic-data": traffic }),
        ),
        1 => (
            "voice",
            "transmission",
            BTreeMap::from([("phone".to_string(), person.phone.clone())]),
            json!({ "phone-number": person.phone, "traffic-data": traffic, "location-data": { "terminating_carrier": "KPN", "routing_path": ["AMS", "FRA"] } }),
        ),
        2 => (
            "email",
            "transmission",
            BTreeMap::from([("email".to_string(), person.email.clone())]),
            json!({ "email-address": person.email, "communication-content": text(rng, 40) }),
        ),
        3 => (
            "conversations",
            "transmission",
            BTreeMap::from([("whatsapp".to_string(), person.whatsapp.clone())]),
            json!({ "channel-id": format!("whatsapp:{}", person.whatsapp), "communication-content": text(rng, 15), "traffic-data": traffic }),
        ),
        4 => (
            "omnichannel-widget",
            "provide-services",
            BTreeMap::from([
                ("email".to_string(), person.email.clone()),
                ("ip".to_string(), person.ip.clone()),
            ]),
            json!({ "email-address": person.email, "ip-address": person.ip, "preferred-channel": "whatsapp" }),
        ),
        _ => (
            "push-notifications",
            "provide-services",
            BTreeMap::from([("ip".to_string(), person.ip.clone())]),
            json!({ "ip-address": person.ip, "communication-content": text(rng, 8), "traffic-data": traffic }),
        ),
    };
    IngestRecord {
        product: product.to_string(),
        purpose: purpose.to_string(),
        legal_basis: "contract".to_string(),
        categories: Vec::new(),
        source: None,
        identifiers,
        occurred_at: None,
        country: Some("NL".to_string()),
        data: data.as_object().cloned().unwrap_or_default(),
    }
}
