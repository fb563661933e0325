//! The HTTP API, driven over real sockets: a spawned app on port 0 with a fresh database per
//! test, on whichever backend the run selects.
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod account_pages;
mod accounts;
mod browser;
mod consent;
mod console;
mod drp;
mod helpers;
mod isolation;
mod marketing;
mod notices;
mod operations;
mod payments;
mod policy;
mod records;
mod retention;
mod rights;
mod rights_pages;
mod staff;
mod tenancy;
