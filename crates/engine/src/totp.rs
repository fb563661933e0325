//! Time-based one-time passwords (RFC 6238, on HOTP of RFC 4226) and recovery codes, as used
//! by authenticator apps: HMAC-SHA1, 6 digits, 30-second steps.
//!
//! Pure logic: no I/O and no storage. The caller keeps the secret and the last step that was
//! used, and passes both to [`verify`], which refuses a code that was already used (or one older
//! than it), so each code works once.

use hmac::digest::Key;
use hmac::{Hmac, Mac};
use rand::{Rng, RngCore};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, Zeroizing};

type HmacSha1 = Hmac<Sha1>;

/// The length of a time step, in seconds.
pub const STEP_SECONDS: i64 = 30;

/// The number of digits of a code.
pub const DIGITS: u32 = 6;

/// The number of recovery codes [`recovery_codes`] makes.
pub const RECOVERY_CODES: usize = 10;

/// The length of a generated secret, in bytes (160 bits, as RFC 4226 recommends).
const SECRET_LEN: usize = 20;

/// The shortest secret accepted, in bytes (128 bits, RFC 4226's minimum).
const MIN_SECRET_LEN: usize = 16;

/// The longest secret accepted, in bytes: one HMAC-SHA1 block.
const MAX_SECRET_LEN: usize = 64;

/// The characters of recovery codes: lower-case letters and digits without look-alikes
/// (no `i`, `l`, `o`, `0`, `1`).
const RECOVERY_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

/// The number of characters on each side of a recovery code's hyphen.
const RECOVERY_HALF: usize = 5;

/// The RFC 4648 base32 alphabet.
const BASE32_ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// Why a code or a secret was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TotpError {
    /// The code is not 6 digits.
    #[error("the code must be 6 digits")]
    Malformed,
    /// The code is not the current one.
    #[error("the code is not correct; check that the device's clock is right and try again")]
    Wrong,
    /// The code (or a newer one) was already used.
    #[error("this code was already used; wait for the next one")]
    Replayed,
    /// The secret cannot be used; the text says why.
    #[error("invalid TOTP secret: {0}")]
    BadSecret(String),
}

/// A shared TOTP secret, wiped from memory when dropped. Its `Debug` form does not show it.
pub struct TotpSecret {
    /// The secret bytes, 16 to 64 of them.
    bytes: Zeroizing<Vec<u8>>,
}

impl std::fmt::Debug for TotpSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TotpSecret").finish_non_exhaustive()
    }
}

impl TotpSecret {
    /// A new random secret of 20 bytes.
    pub fn generate() -> Self {
        let mut bytes = Zeroizing::new(vec![0u8; SECRET_LEN]);
        rand::rng().fill_bytes(&mut bytes);
        Self { bytes }
    }

    /// A secret from its bytes; 16 to 64 bytes are accepted.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, TotpError> {
        if !(MIN_SECRET_LEN..=MAX_SECRET_LEN).contains(&bytes.len()) {
            return Err(TotpError::BadSecret(format!(
                "a secret needs {MIN_SECRET_LEN} to {MAX_SECRET_LEN} bytes, not {}",
                bytes.len()
            )));
        }
        Ok(Self {
            bytes: Zeroizing::new(bytes.to_vec()),
        })
    }

    /// The secret bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The secret in base32 (RFC 4648, upper case, no padding), as authenticator apps take it.
    pub fn to_base32(&self) -> String {
        base32_encode(&self.bytes)
    }

    /// A secret from base32 text as people type it: spaces are ignored, case does not matter
    /// and trailing `=` padding is allowed.
    pub fn from_base32(text: &str) -> Result<Self, TotpError> {
        let bytes = base32_decode(text)?;
        Self::from_bytes(&bytes)
    }
}

/// The time step `t` falls in: Unix seconds divided by [`STEP_SECONDS`], rounded down.
pub fn step_at(t: jiff::Timestamp) -> i64 {
    t.as_second().div_euclid(STEP_SECONDS)
}

/// The code for time step `step`: [`DIGITS`] digits, zero-padded.
pub fn code_at_step(secret: &TotpSecret, step: i64) -> String {
    // The counter is the step's 64-bit two's complement; negative steps (before 1970) only
    // occur with a wrong clock, and still give a code rather than a panic.
    let code = hotp(secret, step as u64, DIGITS);
    format!("{code:0width$}", width = DIGITS as usize)
}

/// Checks `code` against the steps around `now` (one step either side, for clock drift) and
/// returns the step it matched. Spaces in the code are ignored.
///
/// A code whose step is at or before `last_used_step` is refused as
/// [`TotpError::Replayed`]: the caller stores the returned step and passes it next time, so
/// each code works once and an older code never works after a newer one.
pub fn verify(
    secret: &TotpSecret,
    code: &str,
    now: jiff::Timestamp,
    last_used_step: Option<i64>,
) -> Result<i64, TotpError> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != DIGITS as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(TotpError::Malformed);
    }
    let current = step_at(now);
    // Every candidate is computed and compared, in constant time, before deciding.
    let mut fresh: Option<i64> = None;
    let mut replayed = false;
    for step in [
        current.saturating_sub(1),
        current,
        current.saturating_add(1),
    ] {
        let expected = code_at_step(secret, step);
        let matched = bool::from(expected.as_bytes().ct_eq(code.as_bytes()));
        if matched {
            if last_used_step.is_some_and(|last| step <= last) {
                replayed = true;
            } else {
                fresh = Some(step);
            }
        }
    }
    match fresh {
        Some(step) => Ok(step),
        None if replayed => Err(TotpError::Replayed),
        None => Err(TotpError::Wrong),
    }
}

/// The `otpauth://` URI that authenticator apps read (usually from a QR code), with the issuer
/// and account percent-encoded.
pub fn otpauth_uri(secret: &TotpSecret, issuer: &str, account: &str) -> String {
    let issuer = percent_encode(issuer);
    let account = percent_encode(account);
    let secret = secret.to_base32();
    format!(
        "otpauth://totp/{issuer}:{account}?secret={secret}&issuer={issuer}\
         &algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}"
    )
}

/// [`RECOVERY_CODES`] distinct random recovery codes, each 10 characters without look-alikes,
/// written `xxxxx-xxxxx`.
pub fn recovery_codes() -> Vec<String> {
    let mut rng = rand::rng();
    let mut codes: Vec<String> = Vec::with_capacity(RECOVERY_CODES);
    while codes.len() < RECOVERY_CODES {
        let mut code = String::with_capacity(2 * RECOVERY_HALF + 1);
        for i in 0..2 * RECOVERY_HALF {
            if i == RECOVERY_HALF {
                code.push('-');
            }
            let pick = rng.random_range(0..RECOVERY_ALPHABET.len());
            code.push(char::from(RECOVERY_ALPHABET[pick]));
        }
        if !codes.contains(&code) {
            codes.push(code);
        }
    }
    codes
}

/// The SHA-256 of a recovery code, normalised first (lower case, spaces and hyphens removed),
/// so that `ABCDE-FGHJK`, `abcde fghjk` and `abcdefghjk` hash alike. Store this, not the code.
pub fn recovery_code_hash(code: &str) -> [u8; 32] {
    let normalised: Zeroizing<String> = Zeroizing::new(
        code.chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .flat_map(char::to_lowercase)
            .collect(),
    );
    Sha256::digest(normalised.as_bytes()).into()
}

/// HOTP (RFC 4226): HMAC-SHA1 of the counter, dynamically truncated to `digits` digits
/// (`digits` is at most 9).
fn hotp(secret: &TotpSecret, counter: u64, digits: u32) -> u32 {
    // HMAC pads a key shorter than its block with zeros; secrets are at most one block long,
    // so padding here gives the same MAC without the fallible variable-length constructor.
    let mut key = Key::<HmacSha1>::default();
    for (k, b) in key.iter_mut().zip(secret.as_bytes()) {
        *k = *b;
    }
    let mut mac = <HmacSha1 as Mac>::new(&key);
    key.as_mut_slice().zeroize();
    mac.update(&counter.to_be_bytes());
    let hash = mac.finalize().into_bytes();
    let offset = usize::from(hash[hash.len() - 1] & 0x0f);
    let binary = u32::from_be_bytes([
        hash[offset] & 0x7f,
        hash[offset + 1],
        hash[offset + 2],
        hash[offset + 3],
    ]);
    binary % 10u32.pow(digits)
}

/// Base32 (RFC 4648), upper case, without padding.
fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let mut buffer: u32 = 0;
    let mut bits: u32 = 0;
    for &byte in bytes {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(
                BASE32_ALPHABET[((buffer >> bits) & 0x1f) as usize],
            ));
        }
        buffer &= (1 << bits) - 1;
    }
    if bits > 0 {
        out.push(char::from(
            BASE32_ALPHABET[((buffer << (5 - bits)) & 0x1f) as usize],
        ));
    }
    out
}

/// Decodes base32 (RFC 4648): spaces are ignored, case does not matter and trailing `=`
/// padding is allowed. Unused low bits of the last character are ignored.
fn base32_decode(text: &str) -> Result<Zeroizing<Vec<u8>>, TotpError> {
    let compact: Zeroizing<String> =
        Zeroizing::new(text.chars().filter(|c| !c.is_whitespace()).collect());
    let data = compact.trim_end_matches('=');
    let mut out = Zeroizing::new(Vec::with_capacity(data.len() * 5 / 8));
    let mut buffer: u32 = 0;
    let mut bits: u32 = 0;
    let mut count: usize = 0;
    for c in data.chars() {
        let value = match c.to_ascii_uppercase() {
            c @ 'A'..='Z' => u32::from(c) - u32::from('A'),
            c @ '2'..='7' => u32::from(c) - u32::from('2') + 26,
            _ => {
                return Err(TotpError::BadSecret(format!(
                    "`{c}` is not a base32 character (A-Z and 2-7)"
                )));
            }
        };
        count += 1;
        buffer = (buffer << 5) | value;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push(((buffer >> bits) & 0xff) as u8);
        }
        buffer &= (1 << bits) - 1;
    }
    buffer.zeroize();
    // Lengths that no byte string encodes to: a character is missing or extra.
    if matches!(count % 8, 1 | 3 | 6) {
        return Err(TotpError::BadSecret(format!(
            "{count} base32 characters cannot be a whole number of bytes; \
             a character is missing or extra"
        )));
    }
    Ok(out)
}

/// Percent-encodes `text` for a URI: unreserved characters (RFC 3986: letters, digits,
/// `-._~`) are kept, every other byte of its UTF-8 becomes `%XX`.
fn percent_encode(text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use jiff::Timestamp;
    use proptest::prelude::*;

    /// The RFC 4226 / RFC 6238 (SHA-1) test secret.
    fn rfc_secret() -> TotpSecret {
        TotpSecret::from_bytes(b"12345678901234567890").expect("20 bytes")
    }

    fn at(seconds: i64) -> Timestamp {
        Timestamp::from_second(seconds).expect("in range")
    }

    #[test]
    fn hotp_matches_rfc4226_appendix_d() {
        let secret = rfc_secret();
        let expected = [
            755224, 287082, 359152, 969429, 338314, 254676, 287922, 162583, 399871, 520489,
        ];
        for (counter, want) in expected.into_iter().enumerate() {
            assert_eq!(hotp(&secret, counter as u64, 6), want, "counter {counter}");
            assert_eq!(
                code_at_step(&secret, counter as i64),
                format!("{want:06}"),
                "counter {counter}"
            );
        }
    }

    #[test]
    fn totp_matches_rfc6238_appendix_b_sha1() {
        let secret = rfc_secret();
        let vectors: [(i64, u32, &str); 6] = [
            (59, 94287082, "287082"),
            (1111111109, 7081804, "081804"),
            (1111111111, 14050471, "050471"),
            (1234567890, 89005924, "005924"),
            (2000000000, 69279037, "279037"),
            (20000000000, 65353130, "353130"),
        ];
        for (seconds, eight, six) in vectors {
            let step = step_at(at(seconds));
            assert_eq!(hotp(&secret, step as u64, 8), eight, "time {seconds}");
            assert_eq!(code_at_step(&secret, step), six, "time {seconds}");
            assert_eq!(verify(&secret, six, at(seconds), None), Ok(step));
        }
    }

    #[test]
    fn padded_key_equals_hmac_of_variable_length_key() {
        for len in [16usize, 20, 32, 63, 64] {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 7 + 3) as u8).collect();
            let secret = TotpSecret::from_bytes(&bytes).expect("valid length");
            let mut mac = <HmacSha1 as Mac>::new_from_slice(&bytes).expect("any length");
            mac.update(&42u64.to_be_bytes());
            let hash = mac.finalize().into_bytes();
            let offset = usize::from(hash[19] & 0x0f);
            let binary = u32::from_be_bytes([
                hash[offset] & 0x7f,
                hash[offset + 1],
                hash[offset + 2],
                hash[offset + 3],
            ]);
            assert_eq!(hotp(&secret, 42, 6), binary % 1_000_000, "length {len}");
        }
    }

    #[test]
    fn step_at_floors_and_never_panics() {
        assert_eq!(step_at(at(0)), 0);
        assert_eq!(step_at(at(29)), 0);
        assert_eq!(step_at(at(30)), 1);
        assert_eq!(step_at(at(59)), 1);
        assert_eq!(step_at(at(-1)), -1);
        assert_eq!(step_at(at(-30)), -1);
        assert_eq!(step_at(at(-31)), -2);
        let _ = step_at(Timestamp::MIN);
        let _ = step_at(Timestamp::MAX);
        let secret = rfc_secret();
        assert_eq!(code_at_step(&secret, step_at(Timestamp::MIN)).len(), 6);
        assert_eq!(code_at_step(&secret, i64::MIN).len(), 6);
        assert_eq!(code_at_step(&secret, i64::MAX).len(), 6);
        for now in [Timestamp::MIN, Timestamp::MAX] {
            let code = code_at_step(&secret, step_at(now));
            assert_eq!(verify(&secret, &code, now, None), Ok(step_at(now)));
        }
    }

    #[test]
    fn verify_accepts_one_step_of_drift_and_refuses_two() {
        let secret = rfc_secret();
        let now = at(1_700_000_000);
        let current = step_at(now);
        for offset in [-1, 0, 1] {
            let code = code_at_step(&secret, current + offset);
            assert_eq!(
                verify(&secret, &code, now, None),
                Ok(current + offset),
                "offset {offset}"
            );
        }
        for offset in [-2, 2] {
            let code = code_at_step(&secret, current + offset);
            assert_eq!(
                verify(&secret, &code, now, None),
                Err(TotpError::Wrong),
                "offset {offset}"
            );
        }
    }

    #[test]
    fn verify_refuses_a_wrong_code() {
        let secret = rfc_secret();
        let now = at(1_700_000_000);
        let current = step_at(now);
        let valid: Vec<String> = (-1..=1)
            .map(|o| code_at_step(&secret, current + o))
            .collect();
        let wrong = (0..1_000_000u32)
            .map(|n| format!("{n:06}"))
            .find(|c| !valid.contains(c))
            .expect("some code is wrong");
        assert_eq!(verify(&secret, &wrong, now, None), Err(TotpError::Wrong));
        let other = TotpSecret::from_bytes(&[9u8; 20]).expect("20 bytes");
        let code = code_at_step(&other, current);
        if !valid.contains(&code) {
            assert_eq!(verify(&secret, &code, now, None), Err(TotpError::Wrong));
        }
    }

    #[test]
    fn verify_ignores_spaces() {
        let secret = rfc_secret();
        let now = at(59);
        assert_eq!(verify(&secret, " 287 082 ", now, None), Ok(1));
        assert_eq!(verify(&secret, "287082\n", now, None), Ok(1));
    }

    #[test]
    fn verify_refuses_the_same_step_twice() {
        let secret = rfc_secret();
        let now = at(1_700_000_000);
        let code = code_at_step(&secret, step_at(now));
        let used = verify(&secret, &code, now, None).expect("first use");
        assert_eq!(
            verify(&secret, &code, now, Some(used)),
            Err(TotpError::Replayed)
        );
        // Still refused a step later, while the code is inside the drift window.
        assert_eq!(
            verify(&secret, &code, at(1_700_000_030), Some(used)),
            Err(TotpError::Replayed)
        );
    }

    #[test]
    fn verify_refuses_an_older_step_after_a_newer_one() {
        let secret = rfc_secret();
        let now = at(1_700_000_000);
        let current = step_at(now);
        let newer = code_at_step(&secret, current + 1);
        let used = verify(&secret, &newer, now, None).expect("newer code");
        assert_eq!(used, current + 1);
        for older in [current - 1, current] {
            let code = code_at_step(&secret, older);
            assert_eq!(
                verify(&secret, &code, now, Some(used)),
                Err(TotpError::Replayed),
                "step {older}"
            );
        }
        // The step after the used one is fine.
        let later = at(1_700_000_000 + STEP_SECONDS);
        let next = code_at_step(&secret, current + 2);
        assert_eq!(verify(&secret, &next, later, Some(used)), Ok(current + 2));
    }

    #[test]
    fn verify_refuses_malformed_codes() {
        let secret = rfc_secret();
        let now = at(1_700_000_000);
        for code in [
            "12345",
            "abcdef",
            "1234567",
            "",
            "   ",
            "12345a",
            "-12345",
            "+12345",
            "１２３４５６",
            "12345६",
            "123\u{0}45",
        ] {
            assert_eq!(
                verify(&secret, code, now, None),
                Err(TotpError::Malformed),
                "{code:?}"
            );
        }
    }

    #[test]
    fn errors_read_clearly() {
        assert_eq!(
            TotpError::Replayed.to_string(),
            "this code was already used; wait for the next one"
        );
        assert_eq!(
            TotpError::Malformed.to_string(),
            "the code must be 6 digits"
        );
        assert!(TotpError::Wrong.to_string().contains("not correct"));
        assert_eq!(
            TotpError::BadSecret("too short".into()).to_string(),
            "invalid TOTP secret: too short"
        );
        let boxed: Box<dyn std::error::Error> = Box::new(TotpError::Wrong);
        assert!(!boxed.to_string().is_empty());
    }

    #[test]
    fn base32_matches_rfc4648_vectors() {
        let vectors: [(&[u8], &str); 7] = [
            (b"", ""),
            (b"f", "MY"),
            (b"fo", "MZXQ"),
            (b"foo", "MZXW6"),
            (b"foob", "MZXW6YQ"),
            (b"fooba", "MZXW6YTB"),
            (b"foobar", "MZXW6YTBOI"),
        ];
        for (bytes, text) in vectors {
            assert_eq!(base32_encode(bytes), text);
            assert_eq!(base32_decode(text).expect("valid").as_slice(), bytes);
        }
        // The padded forms of RFC 4648 section 10, and lower case, are read too.
        assert_eq!(base32_decode("MY======").expect("padded").as_slice(), b"f");
        assert_eq!(
            base32_decode("mzxw6ytboi").expect("lower").as_slice(),
            b"foobar"
        );
        assert_eq!(
            base32_decode("MZXW 6YTB OI").expect("spaced").as_slice(),
            b"foobar"
        );
    }

    #[test]
    fn base32_refuses_bad_input() {
        for text in [
            "MZ1W",
            "MZXW6YTB0I",
            "MZ8Q",
            "MY=A",
            "MZXQ!",
            "M",
            "MZX",
            "MZXW6Y",
        ] {
            let error = base32_decode(text).expect_err(text);
            assert!(matches!(error, TotpError::BadSecret(_)), "{text}");
        }
        let error = base32_decode("MZ1W").expect_err("digit 1");
        assert_eq!(
            error,
            TotpError::BadSecret("`1` is not a base32 character (A-Z and 2-7)".into())
        );
        let error = base32_decode("MZ é W").expect_err("non-ASCII");
        assert!(matches!(error, TotpError::BadSecret(_)));
    }

    #[test]
    fn secret_round_trips_through_base32() {
        let secret = TotpSecret::generate();
        assert_eq!(secret.as_bytes().len(), 20);
        let text = secret.to_base32();
        assert_eq!(text.len(), 32);
        assert!(text.bytes().all(|b| BASE32_ALPHABET.contains(&b)));
        let back = TotpSecret::from_base32(&text).expect("own encoding");
        assert_eq!(back.as_bytes(), secret.as_bytes());
        let spaced: String = text
            .to_lowercase()
            .chars()
            .enumerate()
            .flat_map(|(i, c)| (i % 4 == 0).then_some(' ').into_iter().chain([c]))
            .collect();
        let back = TotpSecret::from_base32(&spaced).expect("spaced lower case");
        assert_eq!(back.as_bytes(), secret.as_bytes());
        assert_eq!(rfc_secret().to_base32(), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    }

    #[test]
    fn generated_secrets_differ() {
        assert_ne!(
            TotpSecret::generate().as_bytes(),
            TotpSecret::generate().as_bytes()
        );
    }

    #[test]
    fn secret_lengths_are_checked() {
        assert!(TotpSecret::from_bytes(&[1u8; 16]).is_ok());
        assert!(TotpSecret::from_bytes(&[1u8; 64]).is_ok());
        for len in [0usize, 10, 15, 65, 128] {
            assert!(
                matches!(
                    TotpSecret::from_bytes(&vec![1u8; len]),
                    Err(TotpError::BadSecret(_))
                ),
                "length {len}"
            );
        }
        // "MZXW6YTBOI" is 6 bytes: valid base32, too short a secret.
        assert!(matches!(
            TotpSecret::from_base32("MZXW6YTBOI"),
            Err(TotpError::BadSecret(_))
        ));
        assert!(matches!(
            TotpSecret::from_base32("not base32!"),
            Err(TotpError::BadSecret(_))
        ));
    }

    #[test]
    fn secret_debug_hides_the_bytes() {
        let shown = format!("{:?}", rfc_secret());
        assert!(!shown.contains("49"), "{shown}");
        assert!(!shown.contains("GEZD"), "{shown}");
        assert!(shown.starts_with("TotpSecret"));
    }

    #[test]
    fn otpauth_uri_encodes_issuer_and_account() {
        let secret = rfc_secret();
        let uri = otpauth_uri(&secret, "Acme Corp", "alice@example.com");
        assert_eq!(
            uri,
            "otpauth://totp/Acme%20Corp:alice%40example.com\
             ?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Acme%20Corp\
             &algorithm=SHA1&digits=6&period=30"
        );
        assert!(!uri.contains(' '));
        assert!(!uri.contains('@'));
    }

    #[test]
    fn percent_encode_keeps_unreserved_only() {
        assert_eq!(percent_encode("aZ09-._~"), "aZ09-._~");
        assert_eq!(
            percent_encode("a b:c/d?e&f=g#h"),
            "a%20b%3Ac%2Fd%3Fe%26f%3Dg%23h"
        );
        assert_eq!(percent_encode("é"), "%C3%A9");
        assert_eq!(percent_encode("100%"), "100%25");
        assert_eq!(percent_encode(""), "");
    }

    #[test]
    fn recovery_codes_are_distinct_and_well_formed() {
        let codes = recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        for code in &codes {
            assert_eq!(code.len(), 11, "{code}");
            let (left, right) = code.split_at(5);
            let right = right.strip_prefix('-').expect("hyphen in the middle");
            for part in [left, right] {
                assert_eq!(part.len(), 5, "{code}");
                assert!(
                    part.bytes().all(|b| RECOVERY_ALPHABET.contains(&b)),
                    "{code}"
                );
            }
        }
        let mut unique = codes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), RECOVERY_CODES);
        assert_ne!(recovery_codes(), codes);
    }

    #[test]
    fn recovery_alphabet_has_no_look_alikes() {
        for c in [b'i', b'l', b'o', b'0', b'1'] {
            assert!(!RECOVERY_ALPHABET.contains(&c), "{}", char::from(c));
        }
        let mut sorted = RECOVERY_ALPHABET.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), RECOVERY_ALPHABET.len());
    }

    #[test]
    fn recovery_code_hash_normalises() {
        let want = recovery_code_hash("abcdefghjk");
        assert_eq!(recovery_code_hash("ABCDE-FGHJK"), want);
        assert_eq!(recovery_code_hash("abcde fghjk"), want);
        assert_eq!(recovery_code_hash(" abcde-fghjk\n"), want);
        assert_eq!(want, <[u8; 32]>::from(Sha256::digest(b"abcdefghjk")));
        assert_ne!(recovery_code_hash("abcde-fghjm"), want);
        for code in recovery_codes() {
            assert_eq!(
                recovery_code_hash(&code),
                recovery_code_hash(&code.to_uppercase().replace('-', " "))
            );
        }
    }

    proptest! {
        #[test]
        fn base32_round_trips(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let text = base32_encode(&bytes);
            prop_assert_eq!(text.len(), (bytes.len() * 8).div_ceil(5));
            prop_assert!(text.bytes().all(|b| BASE32_ALPHABET.contains(&b)));
            let back = base32_decode(&text).expect("own encoding");
            prop_assert_eq!(back.as_slice(), bytes.as_slice());
            let back = base32_decode(&text.to_lowercase()).expect("lower case");
            prop_assert_eq!(back.as_slice(), bytes.as_slice());
        }

        #[test]
        fn verify_never_panics(code in "\\PC{0,12}", seconds in -1_000_000_000i64..100_000_000_000) {
            let _ = verify(&rfc_secret(), &code, at(seconds), Some(seconds / 30));
        }
    }
}
