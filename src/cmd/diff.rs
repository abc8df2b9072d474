//! `mxspec diff [--root DIR] <git-ref> [--format human|json|github|markdown]`.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use clap::ValueEnum;

use super::RootArg;
use mxspec::history::{changes_since, report};

/// How changes are printed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// One line per change, by event.
    #[default]
    Human,
    /// One JSON object.
    Json,
    /// GitHub Actions notices on the changed lines.
    Github,
    /// A changelog for a pull request.
    Markdown,
}

/// Arguments of `mxspec diff`.
#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    #[command(flatten)]
    root: RootArg,
    /// The revision to compare the working tree with (`HEAD~1`, `v1.18`, a commit).
    rev: String,
    /// How to print the changes.
    #[arg(long, value_enum, default_value_t)]
    format: DiffFormat,
}

/// Prints the semantic changes of the event schemas since a revision.
pub fn run(args: DiffArgs) -> anyhow::Result<ExitCode> {
    let root = args.root.resolve()?;
    let comparison = changes_since(&root, &args.rev).context("cannot compare")?;
    if !comparison.problems.is_empty() {
        // A tree that does not read is no basis for a change list: say why, list nothing.
        let summary = mxspec::diagnostics::Summary::default().count(&comparison.problems);
        let text = mxspec::diagnostics::render_human(
            &comparison.problems,
            &summary,
            comparison.new.sources(),
            mxspec::diagnostics::Style::for_stderr(),
        );
        eprint!("{text}");
        eprintln!(
            "cannot list the changes since {}: fix the problems above first",
            args.rev
        );
        return Ok(ExitCode::from(1));
    }
    let changes = comparison.changes;
    let out = match args.format {
        DiffFormat::Human => report::human(&changes, &args.rev),
        DiffFormat::Json => report::json(&changes, &args.rev),
        DiffFormat::Github => report::github(&changes, &super::workspace_prefix(&root)),
        DiffFormat::Markdown => report::markdown(&changes, &args.rev),
    };
    std::io::stdout()
        .lock()
        .write_all(out.as_bytes())
        .context("cannot write to stdout")?;
    Ok(ExitCode::SUCCESS)
}
