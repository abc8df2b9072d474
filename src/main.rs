//! The `mxspec` command line: a thin layer over the library (see `src/cmd/`).

mod cmd;

/// mimalloc: parsing and schema compilation allocate many small nodes.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = match cmd::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cmd::run(cli) {
        Ok(code) => code,
        Err(e) => {
            // The error and its causes, joined with `: `; the library's errors say a cause
            // either in their message or as their source, never both.
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
