//! Subcommands. Each returns the process exit code: 0 clean, 1 problems found, 2 usage or
//! I/O error (returned as `Err`).

mod build;
mod changelog;
mod check;
mod diff;
mod init;
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
    /// Start a new specification project (a schema, its example, a page, mxspec.toml).
    Init(init::InitArgs),
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

/// The project root: `--root DIR`, or the nearest folder at or above the current one
/// that holds `mxspec.toml` or `data/`.
#[derive(Debug, clap::Args)]
pub struct RootArg {
    /// The project folder holding data/ (and content/, templates/); by default the nearest
    /// folder at or above the current one with mxspec.toml or data/.
    #[arg(long)]
    root: Option<PathBuf>,
}

impl RootArg {
    /// The root given, or found.
    pub fn resolve(&self) -> anyhow::Result<PathBuf> {
        if let Some(root) = &self.root {
            // Said as it is, not as a project without data/ or outside git.
            if !root.is_dir() {
                anyhow::bail!("--root {}: no such folder", root.display());
            }
            return Ok(root.clone());
        }
        let here = std::env::current_dir()?;
        mxspec::init::find_root(&here).ok_or_else(|| {
            anyhow::anyhow!(
                "no mxspec project in {} or any folder above it (looked for mxspec.toml or a data/ folder)\n\
                 hint: run mxspec in a project, give --root DIR, or start one with `mxspec init`",
                here.display()
            )
        })
    }
}

/// How problems are reported (`check` and `build`).
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Print errors only, then the summary line (warnings are counted, not shown).
    #[arg(long, short)]
    pub quiet: bool,
    /// Set a warning code's level: allow (not reported), warn, or deny (an error).
    /// Repeatable; overrides mxspec.toml's [diagnostics].
    #[arg(short = 'W', value_name = "CODE=LEVEL")]
    pub levels: Vec<String>,
    /// Make every warning an error (for CI).
    #[arg(long)]
    pub deny_warnings: bool,
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Init(args) => init::run(args),
        Command::Check(args) => check::run(args),
        Command::Build(args) => build::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Changelog(args) => changelog::run(args),
    }
}

/// Where `json` and `github` diagnostics go: standard output for a program to read,
/// unless the command prints what it made there.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum MachineOutput {
    /// Standard output.
    Stdout,
    /// Standard error: standard output carries the command's own output (a page).
    Stderr,
}

/// Prints diagnostics in the chosen format: `human` on standard error (the summary
/// line last), `json` and `github` where `machine` says; in `github`, each path is
/// named from the repository's top (see [`workspace_prefix`]).
pub fn print_diagnostics(
    report: &ReportArgs,
    diagnostics: &[mxspec::diagnostics::Diagnostic],
    summary: &mxspec::diagnostics::Summary,
    sources: &mxspec::source::Sources,
    root: &std::path::Path,
    machine: MachineOutput,
) -> anyhow::Result<()> {
    use anyhow::Context;
    use mxspec::diagnostics::{render_github, render_human, render_json, Severity, Style};
    use std::io::Write;
    let shown: Vec<_>;
    let diagnostics = if report.quiet {
        shown = diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .cloned()
            .collect();
        &shown
    } else {
        diagnostics
    };
    match report.format {
        Format::Human => {
            let style = Style::for_stderr();
            let out = render_human(diagnostics, summary, sources, style);
            std::io::stderr()
                .lock()
                .write_all(out.as_bytes())
                .context("cannot write to stderr")
        }
        Format::Json | Format::Github => {
            let out = match report.format {
                Format::Json => render_json(diagnostics, summary),
                _ => render_github(diagnostics, summary, &workspace_prefix(root)),
            };
            match machine {
                MachineOutput::Stdout => std::io::stdout()
                    .lock()
                    .write_all(out.as_bytes())
                    .context("cannot write to stdout"),
                MachineOutput::Stderr => std::io::stderr()
                    .lock()
                    .write_all(out.as_bytes())
                    .context("cannot write to stderr"),
            }
        }
    }
}

/// The project root's folder as GitHub names files, `spec/` for a root at `spec/` of the
/// repository: in a workflow (`$GITHUB_WORKSPACE` set), relative to the top of the git
/// work tree that holds the root (a checkout made with a `path:` too), else to
/// `$GITHUB_WORKSPACE`; outside one, relative to the current folder. Empty when the root
/// is that folder or not inside it.
pub fn workspace_prefix(root: &std::path::Path) -> String {
    let workspace = std::env::var_os("GITHUB_WORKSPACE").filter(|w| !w.is_empty());
    let base = match workspace {
        Some(w) => mxspec::project::git::top_level(root).or(Some(std::path::PathBuf::from(w))),
        None => std::env::current_dir().ok(),
    }
    .and_then(|b| b.canonicalize().ok());
    let (Some(base), Ok(root)) = (base, root.canonicalize()) else {
        return String::new();
    };
    match root.strip_prefix(&base) {
        Ok(rel) if !rel.as_os_str().is_empty() => {
            let rel: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            format!("{}/", rel.join("/"))
        }
        _ => String::new(),
    }
}

/// The merged settings of a command (`mxspec.toml`, environment, flags). A bad
/// `mxspec.toml` is printed as a diagnostic and gives exit status 1; a bad flag or
/// environment variable is a usage error (exit status 2).
pub fn settings(
    root: &std::path::Path,
    mut flags: mxspec::settings::Flags,
    report: &ReportArgs,
) -> anyhow::Result<Result<mxspec::settings::Settings, ExitCode>> {
    use mxspec::settings::{Settings, SettingsError};
    flags.levels = report.levels.clone();
    flags.deny_warnings = report.deny_warnings;
    match Settings::resolve(root, flags) {
        Ok(settings) => Ok(Ok(settings)),
        Err(SettingsError::Config(d)) => {
            let found = [*d];
            let summary = mxspec::diagnostics::Summary::default().count(&found);
            let sources = mxspec::source::Sources::new();
            print_diagnostics(
                report,
                &found,
                &summary,
                &sources,
                root,
                MachineOutput::Stdout,
            )?;
            Ok(Err(ExitCode::from(1)))
        }
        Err(SettingsError::Usage(message)) => Err(anyhow::anyhow!(message)),
    }
}
