//! `mxspec build [--root DIR] [--output DIR] [--base-url URL] [--spec-version X.Y]`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;

use super::{print_diagnostics, settings, MachineOutput, ReportArgs, RootArg};
use mxspec::settings::Flags;
use mxspec::site::{build_and_write, BuildOptions};

/// Arguments of `mxspec build`.
#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    #[command(flatten)]
    root: RootArg,
    /// Where to write the site (default: `<root>/site`).
    #[arg(long)]
    output: Option<PathBuf>,
    /// Prefix of every site-absolute link, such as `/v1.19` (default: $MXSPEC_BASE_URL,
    /// then mxspec.toml's).
    #[arg(long)]
    base_url: Option<String>,
    /// The version being built: its annotations read "New in this version" (default:
    /// $MXSPEC_SPEC_VERSION, then mxspec.toml's).
    #[arg(long, value_name = "X.Y")]
    spec_version: Option<String>,
    /// Build the spec as it was at this version: what annotations say was added later is
    /// left out.
    #[arg(long, value_name = "X.Y")]
    as_of: Option<String>,
    /// Write links relative to each page, so the site works opened from disk (default:
    /// mxspec.toml's relative_urls).
    #[arg(long)]
    relative_urls: bool,
    #[command(flatten)]
    report: ReportArgs,
}

/// Checks, renders and writes the site.
pub fn run(args: BuildArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let root = args.root.resolve()?;
    let flags = Flags {
        base_url: args.base_url,
        spec_version: args.spec_version,
        as_of: args.as_of,
        relative_urls: args.relative_urls,
        ..Flags::default()
    };
    let settings = match settings(&root, flags, &args.report)? {
        Ok(settings) => settings,
        Err(code) => return Ok(code),
    };
    let output = args.output.unwrap_or_else(|| root.join("site"));
    let had_site = output.exists();
    let options = BuildOptions::new(root, settings);
    let (built, write_error) = build_and_write(&options, &output).context("cannot build")?;
    print_diagnostics(
        &args.report,
        &built.diagnostics,
        &built.summary,
        built.report.registry.sources(),
        &options.root,
        MachineOutput::Stdout,
    )?;
    if let Some(e) = write_error {
        let what = if had_site {
            "the site was not written; the previous site is intact"
        } else {
            "the site was not written"
        };
        return Err(e).context(what);
    }
    if built.has_errors() {
        eprintln!(
            "build failed: nothing was written; {} is unchanged",
            output.display()
        );
        return Ok(ExitCode::from(1));
    }
    let mut err = std::io::stderr().lock();
    let _ = writeln!(
        err,
        "built {} page{} ({} files) into {} in {} ms",
        built.pages,
        if built.pages == 1 { "" } else { "s" },
        built.files.len(),
        output.display(),
        started.elapsed().as_millis()
    );
    let index = output.join("index.html");
    let base = options.base_url.trim_end_matches('/');
    let hint = if options.relative_urls {
        format!("open {} in a browser", index.display())
    } else if !base.is_empty() {
        format!("its links start at {base}/, where it is to be published (build with --relative-urls to open it from disk)")
    } else {
        "its links start at /, so look at it with `mxspec serve` (or build with --relative-urls to open it from disk)".to_string()
    };
    if !args.report.quiet {
        let _ = writeln!(err, "hint: {hint}");
    }
    // The process ends here: freeing every tree and file would only cost time (as `check`).
    std::mem::forget(built);
    Ok(ExitCode::SUCCESS)
}
