//! Custodian's cryptography: the master key that wraps every other key, and keyed hashing of
//! secrets (API keys) so that nothing that grants access is stored in a usable form.
//!
//! This crate is pure: apart from reading and creating the master key file it performs no IO,
//! and it never logs key material. Key bytes are wiped from memory when dropped.
#![deny(missing_docs)]

mod apikey;
mod blind;
mod master;
mod seal;

pub use apikey::{ApiKeySecret, GeneratedApiKey, ParsedApiKey, generate_api_key, parse_api_key};
pub use blind::{BlindIndexKey, IdentifierDomain};
pub use master::{KeyError, MasterKey};
pub use seal::{
    RecordContext, SealError, SealedRecord, SymmetricKey, open, open_record, rebucket, seal,
    seal_record, unwrap_key, wrap_key,
};
