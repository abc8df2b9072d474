//! Subcommands. Each returns the process exit code: 0 clean, 1 problems found, 2 usage or
//! I/O error (returned as `Err`).

mod build;
mod check;
mod diff;
mod serve;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// One binary that checks and builds an event specification.
#[derive(Debug, Parser)]
#[command(name = "mxspec", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Validate every schema and example under data/.
    Check(check::CheckArgs),
    /// Check, then render content/ and data/ into a static site.
    Build(build::BuildArgs),
    /// Serve the site from memory, rebuilding and reloading on every save.
    Serve(serve::ServeArgs),
    /// List the semantic changes of the event schemas since a git revision.
    Diff(diff::DiffArgs),
}

/// How diagnostics are printed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// rustc-like, with the source line and a caret.
    #[default]
    Human,
    /// One JSON object (see README).
    Json,
    /// GitHub Actions workflow commands.
    Github,
}

/// The project root: `--root DIR`, default the current folder.
#[derive(Debug, clap::Args)]
pub struct RootArg {
    /// The project folder holding data/ (and content/, templates/).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Check(args) => check::run(args),
        Command::Build(args) => build::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Diff(args) => diff::run(args),
    }
}

/// Prints diagnostics to stdout in the chosen format.
pub fn print_diagnostics(
    format: Format,
    diagnostics: &[mxspec::diagnostics::Diagnostic],
    summary: &mxspec::diagnostics::Summary,
    sources: &mxspec::source::Sources,
) -> anyhow::Result<()> {
    use anyhow::Context;
    use mxspec::diagnostics::{render_github, render_human, render_json};
    use std::io::Write;
    let out = match format {
        Format::Human => render_human(diagnostics, summary, sources),
        Format::Json => render_json(diagnostics, summary),
        Format::Github => render_github(diagnostics, summary),
    };
    std::io::stdout()
        .lock()
        .write_all(out.as_bytes())
        .context("cannot write to stdout")
}

/// A version given on the command line: `1.19` or `v1.19`.
pub fn version_arg(flag: &str, value: &str) -> anyhow::Result<String> {
    let v = value.strip_prefix('v').unwrap_or(value);
    anyhow::ensure!(
        mxspec::check::annotations::is_version(v),
        "{flag} takes a version like 1.19, not `{value}`"
    );
    Ok(v.to_string())
}
