//! The `custodian` binary: the command line and the server.
//!
//! This is the only crate that knows about processes, arguments, configuration files and the
//! environment. Everything it does is a call into the layers below.

mod cli;
mod commands;
mod config;

use std::process::ExitCode;

use clap::Parser;

// Ingest allocates and frees many small buffers on several threads at once; mimalloc's
// per-thread free lists cut the allocator's share of an ingest profile (glibc's malloc and
// free were a fifth of it).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
