//! Subcommands. Each returns the process exit code: 0 clean, 1 problems found, 2 usage or
//! I/O error (returned as `Err`).

mod build;
mod changelog;
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
    /// Render the changelog of a release (or of the unreleased changes) from the news
    /// fragments of changelogs/, as towncrier does.
    Changelog(changelog::ChangelogArgs),
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
        Command::Changelog(args) => changelog::run(args),
    }
}

/// Prints diagnostics in the chosen format: `human` on standard error (the summary
/// line last), `json` and `github` on standard output, for a program to read.
pub fn print_diagnostics(
    format: Format,
    diagnostics: &[mxspec::diagnostics::Diagnostic],
    summary: &mxspec::diagnostics::Summary,
    sources: &mxspec::source::Sources,
) -> anyhow::Result<()> {
    use anyhow::Context;
    use mxspec::diagnostics::{render_github, render_human, render_json, Style};
    use std::io::Write;
    match format {
        Format::Human => {
            let style = Style::for_stderr();
            let out = render_human(diagnostics, summary, sources, style);
            std::io::stderr()
                .lock()
                .write_all(out.as_bytes())
                .context("cannot write to stderr")
        }
        Format::Json | Format::Github => {
            let out = match format {
                Format::Json => render_json(diagnostics, summary),
                _ => render_github(diagnostics, summary),
            };
            std::io::stdout()
                .lock()
                .write_all(out.as_bytes())
                .context("cannot write to stdout")
        }
    }
}

/// The merged settings of a command (`mxspec.toml`, environment, flags). A bad
/// `mxspec.toml` is printed as a diagnostic and gives exit status 1; a bad flag or
/// environment variable is a usage error (exit status 2).
pub fn settings(
    root: &std::path::Path,
    flags: mxspec::settings::Flags,
    format: Format,
) -> anyhow::Result<Result<mxspec::settings::Settings, ExitCode>> {
    use mxspec::settings::{Settings, SettingsError};
    match Settings::resolve(root, flags) {
        Ok(settings) => Ok(Ok(settings)),
        Err(SettingsError::Config(d)) => {
            let found = [*d];
            let summary = mxspec::diagnostics::Summary::default().count(&found);
            print_diagnostics(format, &found, &summary, &mxspec::source::Sources::new())?;
            Ok(Err(ExitCode::from(1)))
        }
        Err(SettingsError::Usage(message)) => Err(anyhow::anyhow!(message)),
    }
}
