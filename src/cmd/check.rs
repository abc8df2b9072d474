//! `mxspec check [--root DIR] [--format human|json|github]`.

use std::process::ExitCode;

use anyhow::Context;

use super::{print_diagnostics, Format, RootArg};
use mxspec::check::check_root;

/// Arguments of `mxspec check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    #[command(flatten)]
    root: RootArg,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

/// Runs the check and prints its diagnostics.
pub fn run(args: CheckArgs) -> anyhow::Result<ExitCode> {
    let report = check_root(&args.root.root).context("cannot check")?;
    print_diagnostics(
        args.format,
        &report.diagnostics,
        &report.summary,
        &report.registry.sources,
    )?;
    Ok(if report.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
