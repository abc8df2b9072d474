//! `mxspec check [--root DIR] [--format human|json|github] [--since REV --spec-version X.Y]
//! [--pr N]`.

use std::process::ExitCode;

use anyhow::Context;

use super::{print_diagnostics, settings, MachineOutput, ReportArgs, RootArg};
use mxspec::check::check_root;
use mxspec::diagnostics;
use mxspec::settings::Flags;

/// Arguments of `mxspec check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    #[command(flatten)]
    root: RootArg,
    #[command(flatten)]
    report: ReportArgs,
    /// Also check that everything added since this git revision is annotated as added in
    /// --spec-version.
    #[arg(long, value_name = "REV")]
    since: Option<String>,
    /// The version being made, for --since (default: $MXSPEC_SPEC_VERSION, then
    /// mxspec.toml's).
    #[arg(long, value_name = "X.Y")]
    spec_version: Option<String>,
    /// Also require a news fragment for this pull request
    /// (changelogs/<section>/newsfragments/N.<type>), as CI does on a pull request.
    #[arg(long, value_name = "N")]
    pr: Option<u64>,
}

/// Runs the check and prints its diagnostics.
pub fn run(args: CheckArgs) -> anyhow::Result<ExitCode> {
    let root = &args.root.resolve()?;
    let flags = Flags {
        spec_version: args.spec_version,
        ..Flags::default()
    };
    let settings = match settings(root, flags, &args.report)? {
        Ok(settings) => settings,
        Err(code) => return Ok(code),
    };
    let mut report = check_root(root).context("cannot check")?;
    if let Some(pr) = args.pr {
        let project = &report.registry.project;
        report
            .diagnostics
            .extend(mxspec::changelog::require_fragment(project, pr));
    }
    if let Some(rev) = &args.since {
        let version = settings.spec_version.clone().context(
            "--since needs the version being made: --spec-version X.Y (or spec_version in mxspec.toml)",
        )?;
        let (old, _) =
            mxspec::history::registry_at(root, rev).context("cannot read the old revision")?;
        let found = mxspec::history::since::check_since(&old, &report.registry, rev, &version);
        report.diagnostics.extend(found);
    }
    report.diagnostics = settings
        .levels
        .apply(std::mem::take(&mut report.diagnostics));
    diagnostics::sort(&mut report.diagnostics);
    report.summary = report.summary.count(&report.diagnostics);
    print_diagnostics(
        &args.report,
        &report.diagnostics,
        &report.summary,
        report.registry.sources(),
        root,
        MachineOutput::Stdout,
    )?;
    let code = if report.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    };
    // The process ends here: freeing every tree would only cost time.
    std::mem::forget(report);
    Ok(code)
}
