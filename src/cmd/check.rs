//! `mxspec check [--root DIR] [--format human|json|github] [--since REV --spec-version X.Y]`.

use std::process::ExitCode;

use anyhow::Context;

use super::{print_diagnostics, version_arg, Format, RootArg};
use mxspec::check::check_root;
use mxspec::diagnostics;

/// Arguments of `mxspec check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    #[command(flatten)]
    root: RootArg,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
    /// Also check that everything added since this git revision is annotated as added in
    /// --spec-version.
    #[arg(long, value_name = "REV", requires = "spec_version")]
    since: Option<String>,
    /// The version being made (with --since).
    #[arg(long, value_name = "X.Y")]
    spec_version: Option<String>,
}

/// Runs the check and prints its diagnostics.
pub fn run(args: CheckArgs) -> anyhow::Result<ExitCode> {
    let spec_version = args
        .spec_version
        .as_deref()
        .map(|v| version_arg("--spec-version", v))
        .transpose()?;
    let mut report = check_root(&args.root.root).context("cannot check")?;
    if let (Some(rev), Some(version)) = (&args.since, &spec_version) {
        let (old, _) = mxspec::history::registry_at(&args.root.root, rev)
            .context("cannot read the old revision")?;
        let found = mxspec::history::since::check_since(&old, &report.registry, rev, version);
        report.diagnostics.extend(found);
        diagnostics::sort(&mut report.diagnostics);
        report.summary = report.summary.count(&report.diagnostics);
    }
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
