//! Identifiers of people, parsed and normalised at the edge: phone numbers to E.164, e-mail
//! addresses (case, IDN), channel ids and IP addresses. Only their blind indexes are stored.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use custodian_vault::IdentifierDomain;

/// Why an identifier was refused, said so that the caller can fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct IdentifierError(pub String);

/// A phone number in E.164 form (`+31612345678`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PhoneE164(String);

impl PhoneE164 {
    /// Parses a phone number written in any common way. Numbers without a country code are read
    /// in `default_region` (ISO 3166-1 alpha-2), the tenant's default.
    pub fn parse(input: &str, default_region: Option<&str>) -> Result<Self, IdentifierError> {
        let text = input.trim();
        if text.is_empty() || text.len() > 64 {
            return Err(IdentifierError(
                "a phone number needs 1 to 64 characters".into(),
            ));
        }
        // A number already written in E.164 that was found valid before is valid again: skip
        // the metadata matching, the costliest step of an ingest.
        let canonical = is_canonical_e164(text);
        if canonical && known_valid::contains(text) {
            return Ok(Self(text.to_string()));
        }
        let region = match default_region {
            Some(r) => Some(
                phonenumber::country::Id::from_str(&r.to_ascii_uppercase()).map_err(|_| {
                    IdentifierError(format!(
                        "`{r}` is not a region a phone number can be read in"
                    ))
                })?,
            ),
            None => None,
        };
        let number = phonenumber::parse(region, text).map_err(|_| {
            let hint = if region.is_none() && !text.starts_with('+') {
                "; write it with its country code (+31…) or set the tenant's default region"
            } else {
                ""
            };
            IdentifierError(format!("`{text}` is not a phone number{hint}"))
        })?;
        if !phonenumber::is_valid(&number) {
            return Err(IdentifierError(format!(
                "`{text}` is not a valid phone number for its country"
            )));
        }
        let e164 = number.format().mode(phonenumber::Mode::E164).to_string();
        if canonical && e164 == text {
            known_valid::insert(text);
        }
        Ok(Self(e164))
    }

    /// The E.164 text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// `+` and 7 to 15 digits, the first not 0: how E.164 writes a number.
fn is_canonical_e164(text: &str) -> bool {
    let Some(digits) = text.strip_prefix('+') else {
        return false;
    };
    (7..=15).contains(&digits.len())
        && !digits.starts_with('0')
        && digits.bytes().all(|b| b.is_ascii_digit())
}

/// E.164 numbers found valid by the full check, remembered only as 64-bit SipHash values under
/// a random key that lives in this process's memory and nowhere else: no number is kept, and
/// the values say nothing about a number without the key. Bounded; emptied when full.
mod known_valid {
    use std::collections::HashSet;
    use std::hash::{BuildHasher, RandomState};
    use std::sync::{LazyLock, RwLock};

    const CAPACITY: usize = 1 << 20;

    static KEY: LazyLock<RandomState> = LazyLock::new(RandomState::new);
    static SEEN: LazyLock<RwLock<HashSet<u64>>> = LazyLock::new(Default::default);

    pub(super) fn contains(e164: &str) -> bool {
        let h = KEY.hash_one(e164);
        SEEN.read().map(|s| s.contains(&h)).unwrap_or(false)
    }

    pub(super) fn insert(e164: &str) {
        let h = KEY.hash_one(e164);
        if let Ok(mut s) = SEEN.write() {
            if s.len() >= CAPACITY {
                s.clear();
            }
            s.insert(h);
        }
    }
}

/// An e-mail address, lower-cased with its domain in ASCII (IDN to punycode).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    /// Parses and normalises an e-mail address.
    pub fn parse(input: &str) -> Result<Self, IdentifierError> {
        let text = input.trim();
        let bad = || IdentifierError(format!("`{text}` is not an e-mail address"));
        let (local, domain) = text.rsplit_once('@').ok_or_else(bad)?;
        if local.is_empty()
            || local.len() > 64
            || local.contains('@')
            || local.chars().any(|c| c.is_whitespace() || c.is_control())
            || local.starts_with('.')
            || local.ends_with('.')
        {
            return Err(bad());
        }
        let domain = idna::domain_to_ascii(domain).map_err(|_| bad())?;
        if !domain.contains('.')
            || domain.starts_with('.')
            || domain.ends_with('.')
            || domain.contains("..")
        {
            return Err(bad());
        }
        let address = format!("{}@{}", local.to_lowercase(), domain.to_ascii_lowercase());
        if address.len() > 254 {
            return Err(IdentifierError(
                "an e-mail address has at most 254 characters".into(),
            ));
        }
        Ok(Self(address))
    }

    /// The normalised address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Messaging channels whose ids identify people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChannelKind {
    /// WhatsApp Business (ids are phone numbers).
    WhatsApp,
    /// Google Business Messages.
    GoogleBusinessMessages,
    /// Facebook Messenger (page-scoped ids).
    Messenger,
    /// Instagram (scoped ids).
    Instagram,
    /// LINE.
    Line,
    /// Twitter / X.
    Twitter,
    /// Viber.
    Viber,
    /// WeChat (OpenID).
    WeChat,
    /// Pusher (Channels and Beams user ids).
    Pusher,
}

impl ChannelKind {
    /// Every channel.
    pub const ALL: [ChannelKind; 9] = [
        ChannelKind::WhatsApp,
        ChannelKind::GoogleBusinessMessages,
        ChannelKind::Messenger,
        ChannelKind::Instagram,
        ChannelKind::Line,
        ChannelKind::Twitter,
        ChannelKind::Viber,
        ChannelKind::WeChat,
        ChannelKind::Pusher,
    ];

    /// The written form, also the policy's channel id.
    pub fn as_str(self) -> &'static str {
        match self {
            ChannelKind::WhatsApp => "whatsapp",
            ChannelKind::GoogleBusinessMessages => "google-business-messages",
            ChannelKind::Messenger => "facebook-messenger",
            ChannelKind::Instagram => "instagram",
            ChannelKind::Line => "line",
            ChannelKind::Twitter => "twitter",
            ChannelKind::Viber => "viber",
            ChannelKind::WeChat => "wechat",
            ChannelKind::Pusher => "pusher",
        }
    }

    /// Reads the written form.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == text)
    }
}

/// Any identifier of a person.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Identifier {
    /// A phone number.
    Phone(PhoneE164),
    /// An e-mail address.
    Email(Email),
    /// A channel id.
    Channel(ChannelKind, String),
    /// An IP address.
    Ip(IpAddr),
    /// The customer's own id for the person.
    External(String),
}

impl Identifier {
    /// Parses `value` as an identifier of `kind` (`phone`, `email`, `ip`, `external`, or a
    /// channel such as `whatsapp`).
    pub fn parse(
        kind: &str,
        value: &str,
        default_region: Option<&str>,
    ) -> Result<Self, IdentifierError> {
        match kind {
            "phone" => PhoneE164::parse(value, default_region).map(Identifier::Phone),
            "email" => Email::parse(value).map(Identifier::Email),
            "ip" => {
                let ip: IpAddr = value.trim().parse().map_err(|_| {
                    IdentifierError(format!("`{}` is not an IP address", value.trim()))
                })?;
                Ok(Identifier::Ip(match ip {
                    IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
                    v4 => v4,
                }))
            }
            "external" => opaque(value).map(Identifier::External),
            other => {
                let channel = ChannelKind::parse(other).ok_or_else(|| {
                    IdentifierError(format!(
                        "`{other}` is not a kind of identifier; use phone, email, ip, external or a channel: {}",
                        ChannelKind::ALL.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", ")
                    ))
                })?;
                if channel == ChannelKind::WhatsApp {
                    // WhatsApp ids are phone numbers; normalise them like one.
                    let phone = PhoneE164::parse(value, default_region)?;
                    return Ok(Identifier::Channel(channel, phone.as_str().to_string()));
                }
                opaque(value).map(|id| Identifier::Channel(channel, id))
            }
        }
    }

    /// The blind-index domain.
    pub fn domain(&self) -> IdentifierDomain {
        match self {
            Identifier::Phone(_) => IdentifierDomain::Phone,
            Identifier::Email(_) => IdentifierDomain::Email,
            Identifier::Channel(..) => IdentifierDomain::Channel,
            Identifier::Ip(_) => IdentifierDomain::Ip,
            Identifier::External(_) => IdentifierDomain::External,
        }
    }

    /// The normalised text that is blind-indexed.
    pub fn normalised(&self) -> String {
        match self {
            Identifier::Phone(p) => p.as_str().to_string(),
            Identifier::Email(e) => e.as_str().to_string(),
            Identifier::Channel(c, id) => format!("{}:{id}", c.as_str()),
            Identifier::Ip(ip) => ip.to_string(),
            Identifier::External(id) => id.clone(),
        }
    }

    /// The kind's written form.
    pub fn kind(&self) -> &'static str {
        match self {
            Identifier::Phone(_) => "phone",
            Identifier::Email(_) => "email",
            Identifier::Channel(c, _) => c.as_str(),
            Identifier::Ip(_) => "ip",
            Identifier::External(_) => "external",
        }
    }
}

impl fmt::Display for Identifier {
    /// The kind only: identifiers are personal data and never printed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} identifier", self.kind())
    }
}

fn opaque(value: &str) -> Result<String, IdentifierError> {
    let id = value.trim();
    if id.is_empty() || id.len() > 256 || id.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(IdentifierError(
            "an id is 1 to 256 characters without spaces or control characters".into(),
        ));
    }
    Ok(id.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_validity_memo_never_admits_an_unchecked_number() {
        // Valid, then remembered: the second parse takes the short path, same answer.
        for _ in 0..2 {
            assert_eq!(
                PhoneE164::parse("+31612345679", None).unwrap().as_str(),
                "+31612345679"
            );
        }
        // Canonical-looking but invalid numbers are refused every time, before and after.
        for _ in 0..2 {
            assert!(PhoneE164::parse("+3161234567", None).is_err());
            assert!(PhoneE164::parse("+999123456789", None).is_err());
        }
        assert!(is_canonical_e164("+31612345678"));
        for not in [
            "31612345678",
            "+0612345678",
            "+31 612345678",
            "+123456",
            "+1234567890123456",
        ] {
            assert!(!is_canonical_e164(not), "{not}");
        }
    }

    #[test]
    fn phone_numbers_in_any_common_form_become_e164() {
        for written in [
            "+31 6 12345678",
            "+31612345678",
            "0031612345678",
            "06-12345678",
            "(06) 1234 5678",
        ] {
            assert_eq!(
                PhoneE164::parse(written, Some("NL")).unwrap().as_str(),
                "+31612345678",
                "{written}"
            );
        }
        assert_eq!(
            PhoneE164::parse("+1 (650) 253-0000", None)
                .unwrap()
                .as_str(),
            "+16502530000"
        );
        assert_eq!(
            PhoneE164::parse("020 555 0100", Some("nl"))
                .unwrap()
                .as_str()
                .len(),
            12
        );
    }

    #[test]
    fn malformed_phone_numbers_say_how_to_fix_them() {
        assert!(
            PhoneE164::parse("0612345678", None)
                .unwrap_err()
                .0
                .contains("country code")
        );
        assert!(PhoneE164::parse("not a number", Some("NL")).is_err());
        assert!(PhoneE164::parse("+31 6 123", Some("NL")).is_err());
        assert!(PhoneE164::parse("+31612345678", Some("XX")).is_err());
        assert!(PhoneE164::parse("", Some("NL")).is_err());
    }

    #[test]
    fn email_addresses_are_lower_cased_with_ascii_domains() {
        assert_eq!(
            Email::parse(" Jan.Jansen@Example.COM ").unwrap().as_str(),
            "jan.jansen@example.com"
        );
        assert_eq!(
            Email::parse("anna@bücher.de").unwrap().as_str(),
            "anna@xn--bcher-kva.de"
        );
        for bad in [
            "",
            "no-at-sign",
            "@example.com",
            "a@b",
            "a@.com",
            "a b@example.com",
            "a@example..com",
            ".a@example.com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn channel_ids_and_ip_addresses_are_normalised() {
        let wa = Identifier::parse("whatsapp", "+31 6 12345678", None).unwrap();
        assert_eq!(wa.normalised(), "whatsapp:+31612345678");
        let line = Identifier::parse("line", "U4af4980629", None).unwrap();
        assert_eq!(line.normalised(), "line:U4af4980629");
        assert_eq!(
            Identifier::parse("ip", "::ffff:192.0.2.1", None)
                .unwrap()
                .normalised(),
            "192.0.2.1"
        );
        assert_eq!(
            Identifier::parse("ip", "2001:DB8:0:0::1", None)
                .unwrap()
                .normalised(),
            "2001:db8::1"
        );
        assert!(
            Identifier::parse("fax", "123", None)
                .unwrap_err()
                .0
                .contains("not a kind of identifier")
        );
        assert!(Identifier::parse("viber", "has space", None).is_err());
        assert!(
            !format!("{wa}").contains("+31"),
            "identifiers never print their value"
        );
    }

    #[test]
    fn every_channel_of_the_policy_has_a_kind() {
        for id in [
            "whatsapp",
            "google-business-messages",
            "facebook-messenger",
            "instagram",
            "line",
            "twitter",
            "viber",
            "wechat",
            "pusher",
        ] {
            assert!(ChannelKind::parse(id).is_some(), "{id}");
        }
    }
}
