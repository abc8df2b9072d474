//! `mxspec serve [--root DIR] [--bind 127.0.0.1] [--port 8000] [--open] [--poll]`.

use std::net::{IpAddr, SocketAddr};
use std::process::ExitCode;

use anyhow::Context;

use super::{ReportArgs, RootArg};
use mxspec::diagnostics::{render_human, Diagnostic, Severity, Style};
use mxspec::serve::{serve, Report, ServeOptions};
use mxspec::settings::Flags;
use mxspec::site::BuildOptions;

/// Arguments of `mxspec serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    #[command(flatten)]
    root: RootArg,
    /// The address to listen on (only this machine by default).
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
    /// The port (0: any free port); when it is busy, the next free one is taken.
    #[arg(long, default_value_t = 8000)]
    port: u16,
    /// Open the site in the default browser.
    #[arg(long)]
    open: bool,
    /// Poll the files for changes instead of using the system's file watcher.
    #[arg(long)]
    poll: bool,
    /// The version being built: its annotations read "New in this version".
    #[arg(long, value_name = "X.Y")]
    spec_version: Option<String>,
    /// Serve the site below this path, as it will be published (`/v1.19`); default: `/`.
    #[arg(long)]
    base_url: Option<String>,
    #[command(flatten)]
    report: ReportArgs,
}

/// Serves the site until Ctrl-C.
pub fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let root = args.root.resolve()?;
    let flags = Flags {
        spec_version: args.spec_version,
        ..Flags::default()
    };
    let settings = match super::settings(&root, flags, &args.report)? {
        Ok(settings) => settings,
        Err(code) => return Ok(code),
    };
    let mut build = BuildOptions::new(root, settings);
    // The site is served at `/` unless --base-url says where (mxspec.toml's base_url is
    // where it is published, not where it is previewed).
    build.base_url = mxspec::settings::normalise_base(args.base_url.as_deref().unwrap_or(""));
    let options = ServeOptions {
        build,
        addr: SocketAddr::new(args.bind, args.port),
        poll: args.poll,
        header_timeout: mxspec::serve::HEADER_TIMEOUT,
    };
    let open = args.open;
    let quiet = args.report.quiet;
    let mut printed_warnings = Vec::new();
    serve(options, move |report| {
        print_report(report, open, quiet, &mut printed_warnings)
    })
    .context("cannot serve")?;
    println!("stopped");
    Ok(ExitCode::SUCCESS)
}

fn print_report(report: Report, open: bool, quiet: bool, printed_warnings: &mut Vec<Diagnostic>) {
    match report {
        Report::Listening {
            url,
            polling,
            busy_port,
        } => {
            let busy = busy_port
                .map(|port| format!("port {port} is busy, so the next free one; "))
                .unwrap_or_default();
            let how = if polling { "polling" } else { "watching" };
            println!("Serving {url} ({busy}{how} data/, content/, templates/, changelogs/; Ctrl-C to stop)");
            if open {
                if let Err(e) = open::that_detached(&url) {
                    eprintln!("cannot open a browser: {e}");
                }
            }
        }
        Report::Built {
            changed,
            rebuild,
            millis,
            diagnostics,
            summary,
            session,
        } => {
            let what = if changed.is_empty() {
                "built".to_string()
            } else {
                let files: Vec<&str> = changed.iter().map(String::as_str).collect();
                format!("{} changed; rebuilt", files.join(", "))
            };
            let pages = if rebuild.full {
                "every page".to_string()
            } else if rebuild.rendered.is_empty() {
                "no page".to_string()
            } else {
                format!(
                    "{} page(s): {}",
                    rebuild.rendered.len(),
                    rebuild.rendered.join(" ")
                )
            };
            let checked = if rebuild.checked {
                "checked data/, "
            } else {
                ""
            };
            // Errors every time; warnings when they are new (not on every save). A
            // rebuild with errors shows its errors alone: it skips checks (the links)
            // whose warnings would seem new, and then again once it is fixed.
            let warnings: Vec<Diagnostic> = diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Warning)
                .cloned()
                .collect();
            let new_warnings = !quiet && summary.errors == 0 && warnings != *printed_warnings;
            let shown: Vec<Diagnostic> = diagnostics
                .into_iter()
                .filter(|d| d.severity == Severity::Error || new_warnings)
                .collect();
            if summary.errors == 0 {
                *printed_warnings = warnings;
            }
            if !shown.is_empty() {
                if let Ok(s) = session.lock() {
                    print!(
                        "{}",
                        render_human(
                            &shown,
                            &summary,
                            s.report().registry.sources(),
                            Style::for_stdout()
                        )
                    );
                }
            }
            if summary.errors > 0 {
                println!(
                    "{what} in {millis} ms: {} error(s); still serving the last good site",
                    summary.errors
                );
            } else {
                println!(
                    "{what} in {millis} ms ({checked}rendered {pages}); {} warning(s)",
                    summary.warnings
                );
            }
        }
        Report::Failed(e) => println!("cannot rebuild: {e}; still serving the last good site"),
    }
}
