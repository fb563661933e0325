//! The `custodian` binary: the command line and the server.
//!
//! This is the only crate that knows about processes, arguments, configuration files and the
//! environment. Everything it does is a call into the layers below.

mod cli;
mod commands;
mod config;

use std::process::ExitCode;

use clap::Parser;

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
