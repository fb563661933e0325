//! Realistic generated traffic for every product: used by the load generators and the demo.

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

/// The products in the order [`record`] cycles through them: every product of the policy that
/// holds data of its own, communication services more often, as in real traffic.
pub const MIX: [&str; 20] = [
    "sms",
    "voice",
    "email",
    "conversations",
    "sms",
    "omnichannel-widget",
    "push-notifications",
    "transmission-history",
    "conversations",
    "contacts",
    "inbox",
    "flow-builder",
    "video",
    "sms",
    "cdp",
    "customer-account",
    "financial-records",
    "leads",
    "website-visitors",
    "support-interactions",
];

const NAMES: &[&str] = &[
    "Anna de Vries",
    "Jan Jansen",
    "Sanne Bakker",
    "Pieter Visser",
    "Fatima El Amrani",
    "Chen Wei",
    "Siti Rahayu",
    "Lucas Smit",
];

/// A moment in the past year, as RFC 3339.
fn moment(rng: &mut StdRng) -> String {
    format!(
        "2024-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        rng.random_range(1..13),
        rng.random_range(1..29),
        rng.random_range(0..24),
        rng.random_range(0..60),
        rng.random_range(0..60)
    )
}

fn media(rng: &mut StdRng, kind: &str, content_type: &str) -> serde_json::Value {
    let id: u64 = rng.random();
    json!({
        "uri": format!("https://media.example.com/{kind}/{id:016x}"),
        "content_type": content_type,
        "bytes": rng.random_range(10_000..5_000_000),
        "sha256": format!("{:016x}{:016x}{:016x}{:016x}", rng.random::<u64>(), rng.random::<u64>(), rng.random::<u64>(), rng.random::<u64>()),
    })
}

/// One realistic record, cycling through every product of the policy ([`MIX`]); its data
/// takes the shapes the 2023 policy declares.
pub fn record(i: usize, person: &Person, rng: &mut StdRng) -> IngestRecord {
    let operator = ["KPN", "Vodafone", "T-Mobile", "Orange"][rng.random_range(0..4)];
    let name = NAMES[i % NAMES.len()];
    let direction = if rng.random_bool(0.5) {
        "outbound"
    } else {
        "inbound"
    };
    let started_at = moment(rng);
    let duration = rng.random_range(0..600);
    let traffic = json!({
        "direction": direction,
        "operator": operator,
        "started_at": started_at,
        "duration_s": duration,
        "parts": rng.random_range(1..4),
    });
    let location = json!({
        "terminating_carrier": operator,
        "network_code": (["20408", "20404", "20416", "20420"][rng.random_range(0..4)]),
        "routing_path": ["AMS", "FRA"],
        "country": "NL",
    });
    let phone = || ("phone".to_string(), person.phone.clone());
    let email = || ("email".to_string(), person.email.clone());
    let ip = || ("ip".to_string(), person.ip.clone());
    let (product, purpose, legal_basis, identifiers, data) = match MIX[i % MIX.len()] {
        "sms" => (
            "sms",
            "transmission",
            "contract",
            vec![phone()],
            json!({ "phone-number": person.phone, "communication-content": text(rng, 12), "traffic-data": traffic, "location-data": location }),
        ),
        "voice" => (
            "voice",
            "provide-services",
            "contract",
            vec![phone()],
            json!({
                "phone-number": person.phone,
                "traffic-data": { "direction": direction, "operator": operator, "started_at": started_at, "duration_s": duration },
                "location-data": location,
                "communication-content": text(rng, 10),
                "recordings": [media(rng, "calls", "audio/wav")],
            }),
        ),
        "email" => (
            "email",
            "transmission",
            "contract",
            vec![email()],
            json!({
                "email-address": person.email,
                "communication-content": { "subject": text(rng, 4), "body": text(rng, 40), "attachments": [media(rng, "attachments", "application/pdf")] },
            }),
        ),
        "conversations" => {
            let content = if rng.random_bool(0.7) {
                json!(text(rng, 15))
            } else {
                json!({ "text": text(rng, 8), "attachments": [media(rng, "images", "image/jpeg")] })
            };
            (
                "conversations",
                "transmission",
                "contract",
                vec![("whatsapp".to_string(), person.whatsapp.clone())],
                json!({ "channel-id": format!("whatsapp:{}", person.whatsapp), "communication-content": content, "traffic-data": traffic }),
            )
        }
        "omnichannel-widget" => (
            "omnichannel-widget",
            "provide-services",
            "contract",
            vec![email(), ip()],
            json!({ "email-address": person.email, "ip-address": person.ip, "preferred-channel": "whatsapp" }),
        ),
        "push-notifications" => (
            "push-notifications",
            "provide-services",
            "contract",
            vec![ip()],
            json!({
                "ip-address": person.ip,
                "communication-content": { "title": text(rng, 3), "body": text(rng, 8), "url": "https://app.example.com/orders" },
                "traffic-data": { "direction": "outbound", "started_at": started_at, "bytes": rng.random_range(200..4000) },
            }),
        ),
        "transmission-history" => (
            "transmission-history",
            "transmission",
            "contract",
            vec![phone()],
            json!({ "phone-number": person.phone, "traffic-data": traffic }),
        ),
        "contacts" => (
            "contacts",
            "provide-services",
            "contract",
            vec![phone(), email()],
            json!({ "name": name, "phone-number": person.phone, "email-address": person.email }),
        ),
        "inbox" => (
            "inbox",
            "provide-services",
            "contract",
            vec![email()],
            json!({
                "customer-agent-data": { "agent_id": format!("agent-{}", i % 12), "name": NAMES[(i + 3) % NAMES.len()], "team": "Support" },
                "channel-data": { "channel": "email", "conversation_id": format!("conv-{i}"), "status": "open", "tags": ["billing"] },
            }),
        ),
        "flow-builder" => (
            "flow-builder",
            "provide-services",
            "contract",
            vec![phone()],
            json!({ "phone-number": person.phone, "channel-data": { "channel": "sms", "conversation_id": format!("flow-{i}"), "status": "completed" } }),
        ),
        "video" => (
            "video",
            "provide-services",
            "contract",
            vec![email()],
            json!({
                "name": name,
                "email-address": person.email,
                "ip-address": person.ip,
                "meeting-date": moment(rng),
                "meeting-description": "Product demo",
                "meeting-review": { "rating": rng.random_range(1..6), "comment": text(rng, 6) },
            }),
        ),
        "cdp" => (
            "cdp",
            "provide-services",
            "contract",
            vec![email()],
            json!({ "name": name, "email-address": person.email, "ip-address": person.ip }),
        ),
        "customer-account" => (
            "customer-account",
            "create-account",
            "contract",
            vec![email()],
            json!({
                "name": name,
                "email-address": person.email,
                "phone-number": person.phone,
                "job-title": "Operations manager",
                "employer": "Example Logistics B.V.",
                "business-address": { "company": "Example Logistics B.V.", "street": "Damrak 1", "postcode": "1012 LG", "city": "Amsterdam", "country": "NL" },
                "credentials": { "username": person.email, "two_factor": true },
            }),
        ),
        "financial-records" => (
            "financial-records",
            "finance-billing",
            "contract",
            vec![email()],
            json!({
                "billing-details": { "company": "Example Logistics B.V.", "vat_id": "NL123456789B01", "invoice_email": person.email },
                "invoices": { "number": format!("INV-{i:07}"), "issued_on": "2024-05-01", "amount": 249.5, "currency": "EUR", "status": "paid" },
                "card-details": { "last_four": format!("{:04}", rng.random_range(0..10_000)), "expiry_month": rng.random_range(1..13), "expiry_year": 2027, "brand": "visa" },
            }),
        ),
        "leads" => (
            "leads",
            "promote-services",
            "consent",
            vec![email()],
            json!({
                "name": name,
                "email-address": person.email,
                "job-title": "Head of customer service",
                "employer": "Example Retail",
                "company-details": { "name": "Example Retail", "website": "https://retail.example.com", "employee_range": "51-200", "industry": "Retail" },
                "product-interest": { "products": ["conversations", "flow-builder"] },
            }),
        ),
        "website-visitors" => (
            "website-visitors",
            "website-analytics",
            "consent",
            vec![ip()],
            json!({
                "browsing-activity": { "page": "https://www.example.com/pricing", "at": moment(rng), "visit_s": rng.random_range(1..300) },
                "device-information": { "browser": "Firefox", "os": "Linux", "language": "nl-NL", "time_zone": "Europe/Amsterdam" },
            }),
        ),
        _ => (
            "support-interactions",
            "customer-support",
            "contract",
            vec![phone()],
            json!({ "phone-number": person.phone, "support-call-recording": media(rng, "support", "audio/mpeg") }),
        ),
    };
    IngestRecord {
        product: product.to_string(),
        purpose: purpose.to_string(),
        legal_basis: legal_basis.to_string(),
        categories: Vec::new(),
        source: None,
        identifiers: identifiers.into_iter().collect(),
        occurred_at: None,
        country: Some("NL".to_string()),
        data: data.as_object().cloned().unwrap_or_default(),
        // What rests on consent carries it: the ticked box of the form (or the banner's
        // choice for analytics), in the policy's own words.
        consent: (legal_basis == "consent").then(|| custodian_engine::consent::InlineConsent {
            text: None,
            text_version: None,
            locale: Some("en".into()),
            method: Some(
                if product == "leads" {
                    "checkbox"
                } else {
                    "api"
                }
                .into(),
            ),
            ip: None,
            at: None,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use custodian_engine::identifiers::Identifier;
    use rand::SeedableRng;

    #[test]
    fn the_mix_covers_every_product_with_data_and_fits_the_policys_shapes() {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies/messagebird");
        let (policy, report) = custodian_policy::load(&dir);
        let policy = policy.unwrap_or_else(|| panic!("{}", report.render(false)));
        let v = policy.current().expect("a version in force");
        for product in v
            .product
            .iter()
            .filter(|p| !p.categories.is_empty() || !p.optional.is_empty())
        {
            assert!(
                MIX.contains(&product.id.as_str()),
                "the traffic mix has no `{}`",
                product.id.as_str()
            );
        }
        let mut rng = StdRng::seed_from_u64(7);
        let persons = people(10, &mut rng);
        for i in 0..MIX.len() * 3 {
            let mut r = record(i, &persons[i % persons.len()], &mut rng);
            let product = v
                .product
                .iter()
                .find(|p| p.id.as_str() == r.product)
                .expect("a product of the policy");
            custodian_engine::payload::validate(v, product, &mut r.data, &mut |kind, value| {
                Identifier::parse(kind, value, Some("NL"))
                    .map(|id| id.normalised())
                    .map_err(|e| e.0)
            })
            .unwrap_or_else(|e| panic!("{}: {e}", r.product));
        }
    }
}
