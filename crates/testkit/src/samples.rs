//! Sample input shared by the test suites.

use serde_json::{Value, json};

/// One valid record of every product that holds data, as the ingest API takes it.
pub fn one_per_product() -> Vec<Value> {
    let recording = json!({ "uri": "https://media.example.com/calls/1.wav", "content_type": "audio/wav", "bytes": 480000, "duration_s": 30 });
    let traffic = json!({ "direction": "outbound", "started_at": "2024-05-18T09:30:00Z", "duration_s": 30, "operator": "KPN" });
    let location = json!({ "terminating_carrier": "KPN", "network_code": "20408", "routing_path": ["AMS"], "position": { "lat": 52.37, "lon": 4.89 } });
    let phone = json!({ "phone": "+31612345678" });
    let email = json!({ "email": "Anna@Example.com" });
    let records = json!([
        { "product": "sms", "purpose": "transmission", "legal_basis": "contract", "identifiers": phone,
          "data": { "phone-number": "06 1234 5678", "communication-content": "Your code is 4921", "traffic-data": traffic, "location-data": location } },
        { "product": "voice", "purpose": "provide-services", "legal_basis": "contract", "identifiers": phone,
          "data": { "phone-number": "+31612345678", "communication-content": "Your appointment is at nine", "traffic-data": traffic, "location-data": location, "recordings": [recording] } },
        { "product": "email", "purpose": "provide-services", "legal_basis": "contract", "identifiers": email,
          "data": { "name": "Anna de Vries", "email-address": "Anna@Example.com", "ip-address": "192.0.2.7", "demographic-data": { "language": "nl", "segments": ["newsletter"] }, "communication-content": { "subject": "Your invoice", "body": "Attached.", "attachments": [{ "uri": "https://media.example.com/a/1.pdf", "content_type": "application/pdf" }] } } },
        { "product": "inbox", "purpose": "provide-services", "legal_basis": "contract", "identifiers": email,
          "data": { "customer-agent-data": { "agent_id": "a-1", "name": "Jan", "email": "jan@example.com" }, "channel-data": { "channel": "whatsapp", "conversation_id": "c-1", "tags": ["vip"] } } },
        { "product": "flow-builder", "purpose": "provide-services", "legal_basis": "contract", "identifiers": phone,
          "data": { "phone-number": "+31612345678", "email-address": "anna@example.com", "channel-id": "whatsapp:+31612345678", "channel-data": { "channel": "sms", "status": "done" } } },
        { "product": "video", "purpose": "provide-services", "legal_basis": "contract", "identifiers": email,
          "data": { "name": "Anna de Vries", "email-address": "anna@example.com", "ip-address": "192.0.2.7", "meeting-date": "2024-05-18T10:00:00+02:00", "meeting-description": "Kitchen consultation", "meeting-review": { "rating": 5 }, "meeting-wrap-up": "Quote sent.", "meeting-recording": [recording], "phone-number": "+31612345678" } },
        { "product": "omnichannel-widget", "purpose": "provide-services", "legal_basis": "contract", "identifiers": email,
          "data": { "email-address": "anna@example.com", "phone-number": "+31612345678", "channel-id": "line:U4af49806", "preferred-channel": "line", "ip-address": "192.0.2.7", "traffic-data": { "direction": "inbound" } } },
        { "product": "conversations", "purpose": "transmission", "legal_basis": "contract", "identifiers": { "whatsapp": "+31612345678" },
          "data": { "phone-number": "+31612345678", "channel-id": "whatsapp:+31612345678", "traffic-data": traffic, "communication-content": { "text": "Here it is", "attachments": [{ "uri": "https://media.example.com/i/1.jpg", "content_type": "image/jpeg" }], "location": { "lat": 52.37, "lon": 4.89 } } } },
        { "product": "push-notifications", "purpose": "provide-services", "legal_basis": "contract", "identifiers": { "ip": "192.0.2.7" },
          "data": { "ip-address": "192.0.2.7", "traffic-data": { "direction": "outbound", "bytes": 512 }, "communication-content": { "title": "Shipped", "body": "Your order is on its way", "url": "https://shop.example.com/orders/1" } } },
        { "product": "cdp", "purpose": "provide-services", "legal_basis": "contract", "identifiers": email,
          "data": { "name": "Anna de Vries", "email-address": "anna@example.com", "ip-address": "192.0.2.7" } },
        { "product": "contacts", "purpose": "provide-services", "legal_basis": "contract", "identifiers": phone,
          "data": { "name": "Anna de Vries", "phone-number": "+31612345678", "email-address": "anna@example.com", "channel-id": "viber:anna" } },
        { "product": "transmission-history", "purpose": "transmission", "legal_basis": "contract", "identifiers": phone,
          "data": { "phone-number": "+31612345678", "email-address": "anna@example.com", "channel-id": "line:U4af49806", "traffic-data": traffic } },
        { "product": "customer-account", "purpose": "create-account", "legal_basis": "contract", "identifiers": email,
          "data": { "name": "Anna de Vries", "email-address": "anna@example.com", "phone-number": "+31612345678", "business-address": { "company": "Example B.V.", "street": "Damrak 1", "postcode": "1012 LG", "city": "Amsterdam", "country": "NL" }, "signature": { "signed_at": "2024-01-02T12:00:00Z", "document": { "uri": "https://sign.example.com/envelopes/9" } }, "job-title": "CTO", "employer": "Example B.V.", "credentials": { "username": "anna@example.com", "two_factor": true }, "gender": "woman" } },
        { "product": "financial-records", "purpose": "finance-billing", "legal_basis": "contract", "identifiers": email,
          "data": { "billing-details": { "company": "Example B.V.", "vat_id": "NL123456789B01", "address": { "city": "Amsterdam", "country": "NL" } }, "bank-details": { "iban": "NL91ABNA0417164300", "bic": "ABNANL2A", "account_name": "Example B.V." }, "card-details": { "last_four": "4242", "expiry_month": 12, "expiry_year": 2027 }, "invoices": { "number": "INV-1", "issued_on": "2024-05-01", "amount": 99.5, "currency": "EUR" } } },
        { "product": "leads", "purpose": "promote-services", "legal_basis": "consent", "identifiers": email,
          "consent": { "method": "checkbox", "locale": "en", "ip": "192.0.2.7" },
          "data": { "name": "Anna de Vries", "email-address": "anna@example.com", "phone-number": "+31612345678", "job-title": "CTO", "employer": "Example B.V.", "company-details": { "name": "Example B.V.", "website": "https://example.com", "industry": "Retail" }, "linkedin-profile": "https://www.linkedin.com/in/example", "product-interest": { "products": ["voice", "video"], "notes": "Met at a fair" } } },
        { "product": "website-visitors", "purpose": "website-operation", "legal_basis": "legitimate-interest", "identifiers": { "ip": "192.0.2.7" },
          "data": { "ip-address": "192.0.2.7", "cookie-preferences": { "functional": true, "marketing": false, "chosen_at": "2024-05-18T09:30:00Z" }, "cookie-data": { "name": "session", "domain": "www.example.com" } } },
        { "product": "support-interactions", "purpose": "customer-support", "legal_basis": "contract", "identifiers": phone,
          "data": { "phone-number": "+31612345678", "support-call-recording": recording } },
    ]);
    records.as_array().cloned().unwrap_or_default()
}
