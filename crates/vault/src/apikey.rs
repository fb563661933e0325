use hmac::{Hmac, Mac};
use rand::distr::{Alphanumeric, SampleString};
use sha2::Sha256;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::MasterKey;

const PREFIX: &str = "cus";

/// A freshly made API key: the full token is shown to its owner once and never stored.
pub struct GeneratedApiKey {
    /// The public part that identifies the key (stored, shown in listings).
    pub lookup: String,
    /// The whole token, `cus_<lookup>_<secret>`.
    pub token: Zeroizing<String>,
    /// The keyed hash of the secret part, the only thing stored about it.
    pub secret_hash: [u8; 32],
}

/// A token split into its parts.
pub struct ParsedApiKey<'a> {
    /// The public lookup part.
    pub lookup: &'a str,
    /// The secret part.
    pub secret: ApiKeySecret<'a>,
}

/// The secret part of a presented token.
pub struct ApiKeySecret<'a>(&'a str);

impl ApiKeySecret<'_> {
    /// Whether this secret hashes to `stored` under `master`, in constant time.
    pub fn matches(&self, master: &MasterKey, stored: &[u8]) -> bool {
        hash_secret(master, self.0).ct_eq(stored).into()
    }
}

fn hash_secret(master: &MasterKey, secret: &str) -> [u8; 32] {
    let key = master.derive("api key hash");
    let mut mac = Hmac::<Sha256>::new_from_slice(&key[..])
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(secret.as_bytes());
    mac.finalize().into_bytes().into()
}

/// Makes a new API key: 12 characters of lookup and 40 of secret (about 238 bits).
pub fn generate_api_key(master: &MasterKey) -> GeneratedApiKey {
    let mut rng = rand::rng();
    let lookup = Alphanumeric.sample_string(&mut rng, 12);
    let secret = Zeroizing::new(Alphanumeric.sample_string(&mut rng, 40));
    let secret_hash = hash_secret(master, &secret);
    let token = Zeroizing::new(format!("{PREFIX}_{lookup}_{}", secret.as_str()));
    GeneratedApiKey {
        lookup,
        token,
        secret_hash,
    }
}

/// Splits a presented token; `None` if it is not of Custodian's form.
pub fn parse_api_key(token: &str) -> Option<ParsedApiKey<'_>> {
    let rest = token.strip_prefix(PREFIX)?.strip_prefix('_')?;
    let (lookup, secret) = rest.split_once('_')?;
    let valid =
        |s: &str, len: usize| s.len() == len && s.bytes().all(|b| b.is_ascii_alphanumeric());
    (valid(lookup, 12) && valid(secret, 40)).then_some(ParsedApiKey {
        lookup,
        secret: ApiKeySecret(secret),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_key_parses_and_matches_its_hash() {
        let master = MasterKey::generate();
        let key = generate_api_key(&master);
        let parsed = parse_api_key(&key.token).unwrap();
        assert_eq!(parsed.lookup, key.lookup);
        assert!(parsed.secret.matches(&master, &key.secret_hash));
    }

    #[test]
    fn a_key_does_not_match_under_another_master_key_or_with_a_changed_secret() {
        let master = MasterKey::generate();
        let key = generate_api_key(&master);
        let parsed = parse_api_key(&key.token).unwrap();
        assert!(
            !parsed
                .secret
                .matches(&MasterKey::generate(), &key.secret_hash)
        );
        let mut tampered = key.token.to_string();
        let last = tampered.pop().unwrap();
        tampered.push(if last == 'a' { 'b' } else { 'a' });
        assert!(
            !parse_api_key(&tampered)
                .unwrap()
                .secret
                .matches(&master, &key.secret_hash)
        );
    }

    #[test]
    fn malformed_tokens_are_rejected() {
        for token in [
            "",
            "cus_",
            "cus_abc_def",
            "xyz_aaaaaaaaaaaa_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "cus_aaaaaaaaaaaa_aaaa!aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        ] {
            assert!(parse_api_key(token).is_none(), "{token}");
        }
    }
}
