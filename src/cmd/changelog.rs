//! `mxspec changelog X.Y|unstable [--root DIR] [--date YYYY-MM-DD] [--write]`: the
//! changelog page of a release from the news fragments, as upstream's towncrier run and
//! `generate-changelog.sh` make it.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{bail, Context};

use super::{print_diagnostics, MachineOutput, ReportArgs, RootArg};
use mxspec::calendar;
use mxspec::changelog::{self, Release};
use mxspec::diagnostics::{self, Severity, Summary};
use mxspec::project::{Area, Project};

/// Arguments of `mxspec changelog`.
#[derive(Debug, clap::Args)]
pub struct ChangelogArgs {
    /// The version released (`1.20` or `v1.20`), or `unstable` for the changes since the
    /// last release.
    #[arg(value_name = "X.Y|unstable")]
    version: String,
    #[command(flatten)]
    root: RootArg,
    /// The release date of the front matter (default: today, UTC).
    #[arg(long, value_name = "YYYY-MM-DD")]
    date: Option<String>,
    /// Write content/changelog/vX.Y.md (never over an existing page) and remove the
    /// fragments it was made from, instead of printing the page.
    #[arg(long)]
    write: bool,
    #[command(flatten)]
    report: ReportArgs,
}

/// Renders the page; prints it or writes it.
pub fn run(args: ChangelogArgs) -> anyhow::Result<ExitCode> {
    let release = if args.version.eq_ignore_ascii_case("unstable") {
        if args.write {
            bail!(
                "the unstable page is made from the fragments at every build; --write is for a release (X.Y), which uses them up"
            );
        }
        Release::Unstable
    } else {
        match mxspec::version::parse_version_arg(&args.version) {
            Some(v) => Release::Version(v),
            None => bail!(
                "`{}` is not a version: give X.Y (such as 1.20) or unstable",
                args.version
            ),
        }
    };
    let date = args.date.unwrap_or_else(calendar::today);
    if calendar::is_missing_day(&date) {
        bail!("`{date}` is not a day of the calendar");
    }
    if !calendar::is_date(&date) {
        bail!("`{date}` is not a date: give --date YYYY-MM-DD");
    }
    let root = &args.root.resolve()?;
    let project =
        Project::load(root, &[Area::Data, Area::Changelogs]).context("cannot read the project")?;
    if !changelog::present(&project) {
        bail!("no changelogs/ folder in {}", root.display());
    }
    let mut found = changelog::check(&project);
    let loaded = changelog::load(&project);
    let commit = match release {
        Release::Unstable => mxspec::project::git::short_head(root),
        Release::Version(_) => None,
    };
    let page = loaded
        .as_ref()
        .map_err(Clone::clone)
        .and_then(|c| c.page(&release, &date, commit.as_deref()));
    if let Err(d) = &page {
        found.push(d.clone());
    }
    diagnostics::sort(&mut found);
    let summary = Summary::default().count(&found);
    let errors = found.iter().any(|d| d.severity == Severity::Error);
    if !found.is_empty() {
        // Printed, the page takes standard output.
        let machine = match args.write {
            true => MachineOutput::Stdout,
            false => MachineOutput::Stderr,
        };
        let sources = &project.sources;
        print_diagnostics(&args.report, &found, &summary, sources, root, machine)?;
    }
    let (Ok(page), Ok(changelogs)) = (page, loaded) else {
        return Ok(ExitCode::from(1));
    };
    if !args.write {
        std::io::stdout()
            .lock()
            .write_all(page.as_bytes())
            .context("cannot write to stdout")?;
        return Ok(ExitCode::from(u8::from(errors)));
    }
    if errors {
        eprintln!("nothing was written: fix the problems above first");
        return Ok(ExitCode::from(1));
    }
    let page_rel = format!("{}/{}", changelog::PAGES, release.file_name());
    let used: Vec<String> = changelogs.fragments.iter().map(|f| f.rel.clone()).collect();
    changelog::write_release(root, &page_rel, &page, &used)?;
    eprintln!(
        "wrote {page_rel} and removed {} news fragment{}",
        used.len(),
        if used.len() == 1 { "" } else { "s" }
    );
    Ok(ExitCode::SUCCESS)
}
