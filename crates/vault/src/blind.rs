//! Blind indexes: keyed hashes that find an identifier without storing it.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::{MasterKey, SymmetricKey};

/// The kinds of identifier, each hashed in its own domain so that equal strings of different
/// kinds never collide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdentifierDomain {
    /// An E.164 phone number.
    Phone,
    /// A normalised e-mail address.
    Email,
    /// A channel id, prefixed with its channel.
    Channel,
    /// An IP address in canonical form.
    Ip,
    /// A customer-supplied external subject id.
    External,
}

impl IdentifierDomain {
    fn tag(self) -> &'static [u8] {
        match self {
            IdentifierDomain::Phone => b"phone",
            IdentifierDomain::Email => b"email",
            IdentifierDomain::Channel => b"channel",
            IdentifierDomain::Ip => b"ip",
            IdentifierDomain::External => b"external",
        }
    }
}

/// A tenant's blind-index key: one per tenant, so the same phone number has unrelated indexes
/// in two tenants and nothing can be joined across tenants.
#[derive(Clone)]
pub struct BlindIndexKey(Hmac<Sha256>);

impl std::fmt::Debug for BlindIndexKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BlindIndexKey(***)")
    }
}

impl BlindIndexKey {
    /// The blind-index key of the tenant whose UUID bytes are `tenant`.
    pub fn for_tenant(master: &MasterKey, tenant: &[u8; 16]) -> Self {
        let base = master.derive("blind index");
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&base[..])
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(tenant);
        let key = SymmetricKey::from_bytes(mac.finalize().into_bytes().into());
        // Keep the keyed state: each index then costs only the hashing of the identifier.
        Self(
            <Hmac<Sha256> as Mac>::new_from_slice(key.bytes())
                .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length")),
        )
    }

    /// The 16-byte index of a normalised identifier.
    pub fn index(&self, domain: IdentifierDomain, normalised: &str) -> [u8; 16] {
        let mut mac = self.0.clone();
        mac.update(domain.tag());
        mac.update(&[0]);
        mac.update(normalised.as_bytes());
        let full = mac.finalize().into_bytes();
        let mut out = [0u8; 16];
        out.copy_from_slice(&full[..16]);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_identifier_has_unrelated_indexes_in_two_tenants_and_two_domains() {
        let master = MasterKey::generate();
        let a = BlindIndexKey::for_tenant(&master, &[1; 16]);
        let b = BlindIndexKey::for_tenant(&master, &[2; 16]);
        let phone = "+31612345678";
        assert_eq!(
            a.index(IdentifierDomain::Phone, phone),
            a.index(IdentifierDomain::Phone, phone)
        );
        assert_ne!(
            a.index(IdentifierDomain::Phone, phone),
            b.index(IdentifierDomain::Phone, phone)
        );
        assert_ne!(
            a.index(IdentifierDomain::Phone, phone),
            a.index(IdentifierDomain::External, phone)
        );
    }
}
