//! `mxspec check [--root DIR] [--format human|json|github]`.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;

use super::{Format, RootArg};
use mxspec::check::check_root;
use mxspec::diagnostics::{render_github, render_human, render_json};

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
    let out = match args.format {
        Format::Human => render_human(
            &report.diagnostics,
            &report.summary,
            &report.registry.sources,
        ),
        Format::Json => render_json(&report.diagnostics, &report.summary),
        Format::Github => render_github(&report.diagnostics, &report.summary),
    };
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(out.as_bytes())
        .context("cannot write to stdout")?;
    Ok(if report.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
