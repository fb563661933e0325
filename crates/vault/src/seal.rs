//! Authenticated encryption of payloads and keys (XChaCha20-Poly1305), and the record
//! envelope: a per-record data key wrapped by the subject's key *and* the bucket's key.

use chacha20poly1305::aead::{Aead, AeadInPlace, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use zeroize::Zeroizing;

/// The first byte of everything sealed: the format version.
const FORMAT: u8 = 1;
const NONCE: usize = 24;
const TAG: usize = 16;

/// Why something could not be opened. Deliberately coarse: a wrong key, wrong associated data
/// and tampering are indistinguishable, as they must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    /// The ciphertext does not open under this key and associated data.
    #[error("the sealed data does not open: wrong key, wrong context or altered data")]
    Unreadable,
    /// The bytes are not of Custodian's sealed format.
    #[error("the sealed data is not in a format this version understands")]
    Malformed,
}

/// A 256-bit symmetric key, wiped from memory on drop and never printed.
#[derive(Clone)]
pub struct SymmetricKey(Zeroizing<[u8; 32]>);

impl std::fmt::Debug for SymmetricKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SymmetricKey(***)")
    }
}

impl SymmetricKey {
    /// A new random key.
    pub fn generate() -> Self {
        let mut bytes = Zeroizing::new([0u8; 32]);
        rand::fill(&mut bytes[..]);
        Self(bytes)
    }

    /// A key from its bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(Zeroizing::new(bytes))
    }

    pub(crate) fn bytes(&self) -> &[u8; 32] {
        &self.0
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(self.0.as_ref().into())
    }
}

/// Seals `plaintext` under `key`, binding `aad` (which is not stored): the result is
/// `format ‖ nonce ‖ ciphertext ‖ tag`, 41 bytes longer than the plaintext.
pub fn seal(key: &SymmetricKey, plaintext: &[u8], aad: &[u8]) -> Vec<u8> {
    // One buffer, encrypted in place: no intermediate ciphertext to allocate and copy.
    let mut out = Vec::with_capacity(1 + NONCE + plaintext.len() + TAG);
    out.push(FORMAT);
    out.resize(1 + NONCE, 0);
    rand::fill(&mut out[1..]);
    out.extend_from_slice(plaintext);
    let (head, body) = out.split_at_mut(1 + NONCE);
    let tag = key
        .cipher()
        .encrypt_in_place_detached(XNonce::from_slice(&head[1..]), aad, body)
        .unwrap_or_else(|_| {
            unreachable!("XChaCha20-Poly1305 encryption cannot fail for in-memory data")
        });
    out.extend_from_slice(&tag);
    out
}

/// Opens what [`seal`] made, with the same key and associated data.
pub fn open(
    key: &SymmetricKey,
    sealed: &[u8],
    aad: &[u8],
) -> Result<Zeroizing<Vec<u8>>, SealError> {
    if sealed.len() < 1 + NONCE + TAG || sealed[0] != FORMAT {
        return Err(SealError::Malformed);
    }
    let (nonce, ciphertext) = sealed[1..].split_at(NONCE);
    key.cipher()
        .decrypt(
            XNonce::from_slice(nonce),
            Payload {
                msg: ciphertext,
                aad,
            },
        )
        .map(Zeroizing::new)
        .map_err(|_| SealError::Unreadable)
}

/// Wraps `key` under `kek`, binding `aad`.
pub fn wrap_key(kek: &SymmetricKey, key: &SymmetricKey, aad: &[u8]) -> Vec<u8> {
    seal(kek, key.bytes(), aad)
}

/// Unwraps a key wrapped by [`wrap_key`].
pub fn unwrap_key(
    kek: &SymmetricKey,
    wrapped: &[u8],
    aad: &[u8],
) -> Result<SymmetricKey, SealError> {
    let bytes = open(kek, wrapped, aad)?;
    let array: [u8; 32] = bytes
        .as_slice()
        .try_into()
        .map_err(|_| SealError::Malformed)?;
    Ok(SymmetricKey::from_bytes(array))
}

/// What a record's ciphertext is bound to: its tenant, subject and own id (16 bytes each), so
/// a ciphertext moved to another record, subject or tenant does not open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordContext {
    /// The tenant's UUID bytes.
    pub tenant: [u8; 16],
    /// The subject's UUID bytes.
    pub subject: [u8; 16],
    /// The record's UUID bytes.
    pub record: [u8; 16],
}

impl RecordContext {
    fn aad(&self, layer: u8) -> [u8; 49] {
        let mut out = [0u8; 49];
        out[0] = layer;
        out[1..17].copy_from_slice(&self.tenant);
        out[17..33].copy_from_slice(&self.subject);
        out[33..49].copy_from_slice(&self.record);
        out
    }
}

const PAYLOAD: u8 = b'p';
const SUBJECT_LAYER: u8 = b's';
const BUCKET_LAYER: u8 = b'b';

/// A sealed record: its payload under a fresh data key, and that data key wrapped first by the
/// subject's key and then by the bucket's key. Destroying either key makes it unreadable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedRecord {
    /// The data key, wrapped twice (subject inside, bucket outside).
    pub wrapped_key: Vec<u8>,
    /// The sealed payload.
    pub payload: Vec<u8>,
}

/// Seals a record's payload.
pub fn seal_record(
    subject_key: &SymmetricKey,
    bucket_key: &SymmetricKey,
    context: &RecordContext,
    plaintext: &[u8],
) -> SealedRecord {
    let data_key = SymmetricKey::generate();
    let payload = seal(&data_key, plaintext, &context.aad(PAYLOAD));
    let inner = wrap_key(subject_key, &data_key, &context.aad(SUBJECT_LAYER));
    let wrapped_key = seal(bucket_key, &inner, &context.aad(BUCKET_LAYER));
    SealedRecord {
        wrapped_key,
        payload,
    }
}

/// Opens a record's payload; needs both keys.
pub fn open_record(
    subject_key: &SymmetricKey,
    bucket_key: &SymmetricKey,
    context: &RecordContext,
    sealed: &SealedRecord,
) -> Result<Zeroizing<Vec<u8>>, SealError> {
    let inner = open(bucket_key, &sealed.wrapped_key, &context.aad(BUCKET_LAYER))?;
    let data_key = unwrap_key(subject_key, &inner, &context.aad(SUBJECT_LAYER))?;
    open(&data_key, &sealed.payload, &context.aad(PAYLOAD))
}

/// Moves a record to another bucket: re-wraps the small data key, never touches the payload.
pub fn rebucket(
    from: &SymmetricKey,
    to: &SymmetricKey,
    context: &RecordContext,
    wrapped_key: &[u8],
) -> Result<Vec<u8>, SealError> {
    let inner = open(from, wrapped_key, &context.aad(BUCKET_LAYER))?;
    Ok(seal(to, &inner, &context.aad(BUCKET_LAYER)))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn context(seed: u8) -> RecordContext {
        RecordContext {
            tenant: [seed; 16],
            subject: [seed.wrapping_add(1); 16],
            record: [seed.wrapping_add(2); 16],
        }
    }

    proptest! {
        #[test]
        fn seal_then_open_gives_back_the_plaintext(plaintext in proptest::collection::vec(any::<u8>(), 0..2048), aad in proptest::collection::vec(any::<u8>(), 0..64)) {
            let key = SymmetricKey::generate();
            let sealed = seal(&key, &plaintext, &aad);
            prop_assert_eq!(sealed.len(), plaintext.len() + 41);
            let opened = open(&key, &sealed, &aad).unwrap();
            prop_assert_eq!(opened.as_slice(), plaintext.as_slice());
        }

        #[test]
        fn any_flipped_bit_is_refused(plaintext in proptest::collection::vec(any::<u8>(), 1..512), bit in any::<usize>()) {
            let key = SymmetricKey::generate();
            let mut sealed = seal(&key, &plaintext, b"ctx");
            let i = bit % (sealed.len() * 8);
            sealed[i / 8] ^= 1 << (i % 8);
            prop_assert!(open(&key, &sealed, b"ctx").is_err());
        }

        #[test]
        fn wrong_associated_data_or_key_is_refused(plaintext in proptest::collection::vec(any::<u8>(), 0..256), other in any::<u8>()) {
            let key = SymmetricKey::generate();
            let sealed = seal(&key, &plaintext, &[other]);
            prop_assert_eq!(open(&key, &sealed, &[other.wrapping_add(1)]), Err(SealError::Unreadable));
            prop_assert_eq!(open(&SymmetricKey::generate(), &sealed, &[other]), Err(SealError::Unreadable));
        }

        #[test]
        fn a_record_opens_only_with_both_keys_and_its_own_context(plaintext in proptest::collection::vec(any::<u8>(), 0..512), seed in any::<u8>()) {
            let (subject, bucket) = (SymmetricKey::generate(), SymmetricKey::generate());
            let ctx = context(seed);
            let sealed = seal_record(&subject, &bucket, &ctx, &plaintext);
            let opened = open_record(&subject, &bucket, &ctx, &sealed).unwrap();
            prop_assert_eq!(opened.as_slice(), plaintext.as_slice());
            // A destroyed (replaced) subject key or bucket key makes it unreadable.
            prop_assert!(open_record(&SymmetricKey::generate(), &bucket, &ctx, &sealed).is_err());
            prop_assert!(open_record(&subject, &SymmetricKey::generate(), &ctx, &sealed).is_err());
            // Moved to another record, subject or tenant, it does not open.
            for moved in [
                RecordContext { record: [seed.wrapping_add(9); 16], ..ctx },
                RecordContext { subject: [seed.wrapping_add(9); 16], ..ctx },
                RecordContext { tenant: [seed.wrapping_add(9); 16], ..ctx },
            ] {
                prop_assert!(open_record(&subject, &bucket, &moved, &sealed).is_err());
            }
        }
    }

    #[test]
    fn rebucketing_rewraps_the_key_and_leaves_the_payload_untouched() {
        let (subject, old, new) = (
            SymmetricKey::generate(),
            SymmetricKey::generate(),
            SymmetricKey::generate(),
        );
        let ctx = context(3);
        let sealed = seal_record(&subject, &old, &ctx, b"hello");
        let moved = SealedRecord {
            wrapped_key: rebucket(&old, &new, &ctx, &sealed.wrapped_key).unwrap(),
            payload: sealed.payload.clone(),
        };
        assert_eq!(moved.payload, sealed.payload);
        assert_eq!(
            open_record(&subject, &new, &ctx, &moved)
                .unwrap()
                .as_slice(),
            b"hello"
        );
        assert!(
            open_record(&subject, &old, &ctx, &moved).is_err(),
            "the old bucket key no longer opens it"
        );
    }

    #[test]
    fn malformed_input_is_refused_not_panicked_on() {
        let key = SymmetricKey::generate();
        for bytes in [&[][..], &[1][..], &[2; 60][..], &[1; 40][..]] {
            assert!(open(&key, bytes, b"").is_err());
        }
    }
}
