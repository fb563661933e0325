use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use hmac::{Hmac, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

type HmacSha256 = Hmac<Sha256>;

/// Problems with the master key.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The key file could not be read or written.
    #[error("cannot {action} the master key file {path}: {source}")]
    Io {
        /// What was being done.
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// Why it failed.
        source: std::io::Error,
    },
    /// The file does not hold a key.
    #[error(
        "the master key file {path} is malformed: it must hold 64 hexadecimal characters (32 bytes); \
         restore it from your key backup"
    )]
    Malformed {
        /// The file.
        path: PathBuf,
    },
}

/// The master key (key-encryption key). It wraps every other key and derives the keys used for
/// keyed hashing. Its bytes are wiped on drop and never printed.
pub struct MasterKey {
    bytes: Zeroizing<[u8; 32]>,
}

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MasterKey(***)")
    }
}

impl MasterKey {
    /// A new random key.
    pub fn generate() -> Self {
        let mut bytes = Zeroizing::new([0u8; 32]);
        rand::fill(&mut bytes[..]);
        Self { bytes }
    }

    /// A key from its 64-character hexadecimal form.
    pub fn from_hex(text: &str) -> Option<Self> {
        let mut bytes = Zeroizing::new([0u8; 32]);
        hex::decode_to_slice(text.trim(), &mut bytes[..]).ok()?;
        Some(Self { bytes })
    }

    /// Reads the key from `path`.
    pub fn load(path: &Path) -> Result<Self, KeyError> {
        let text = Zeroizing::new(fs::read_to_string(path).map_err(|source| KeyError::Io {
            action: "read",
            path: path.to_path_buf(),
            source,
        })?);
        let line = text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with('#'))
            .unwrap_or("");
        Self::from_hex(line).ok_or_else(|| KeyError::Malformed {
            path: path.to_path_buf(),
        })
    }

    /// Creates a new key file at `path` (readable by its owner only) and returns the key. Fails
    /// if the file already exists, so an existing key is never overwritten.
    pub fn create(path: &Path) -> Result<Self, KeyError> {
        let io = |action, source| KeyError::Io {
            action,
            path: path.to_path_buf(),
            source,
        };
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent).map_err(|e| io("create the directory of", e))?;
        }
        let key = Self::generate();
        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(path).map_err(|e| io("create", e))?;
        let body = Zeroizing::new(format!(
            "# Custodian master key. Back it up apart from the database; without it no data can be read.\n{}\n",
            hex::encode(&key.bytes[..])
        ));
        file.write_all(body.as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(|e| io("write", e))?;
        Ok(key)
    }

    /// A key derived for one purpose; different purposes get unrelated keys.
    pub fn derive(&self, purpose: &str) -> Zeroizing<[u8; 32]> {
        let mut mac = HmacSha256::new_from_slice(&self.bytes[..])
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(b"custodian derive v1\0");
        mac.update(purpose.as_bytes());
        let mut out = Zeroizing::new([0u8; 32]);
        out.copy_from_slice(&mac.finalize().into_bytes());
        out
    }

    /// A keyed tag of `parts` under the key derived for `purpose` (each part length-prefixed,
    /// so no two different lists of parts tag alike): blind indexes and link tokens.
    pub fn tag(&self, purpose: &str, parts: &[&[u8]]) -> [u8; 32] {
        let key = self.derive(purpose);
        let mut mac = HmacSha256::new_from_slice(&key[..])
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        for part in parts {
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part);
        }
        mac.finalize().into_bytes().into()
    }

    /// The master key as a key-encryption key, to wrap subject and bucket keys.
    pub fn kek(&self) -> crate::SymmetricKey {
        crate::SymmetricKey::from_bytes(*self.derive("key encryption"))
    }

    /// A short, public value that identifies this key without revealing it. The database stores
    /// it so that starting with the wrong key file is refused instead of producing garbage.
    pub fn check_value(&self) -> String {
        hex::encode(&self.derive("key check")[..8])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_created_key_loads_back_identical() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys/master.key");
        let created = MasterKey::create(&path).unwrap();
        let loaded = MasterKey::load(&path).unwrap();
        assert_eq!(created.check_value(), loaded.check_value());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn an_existing_key_is_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("master.key");
        MasterKey::create(&path).unwrap();
        assert!(matches!(
            MasterKey::create(&path),
            Err(KeyError::Io {
                action: "create",
                ..
            })
        ));
    }

    #[test]
    fn a_malformed_key_file_is_refused_with_its_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("master.key");
        fs::write(&path, "not a key\n").unwrap();
        let err = MasterKey::load(&path).unwrap_err();
        assert!(err.to_string().contains("master.key is malformed"));
    }

    #[test]
    fn different_keys_and_purposes_derive_different_keys() {
        let a = MasterKey::generate();
        let b = MasterKey::generate();
        assert_ne!(a.check_value(), b.check_value());
        assert_ne!(*a.derive("x"), *a.derive("y"));
        assert!(!format!("{a:?}").contains(&hex::encode(&a.bytes[..])));
    }
}
