//! `mxspec serve [--root DIR] [--bind 127.0.0.1] [--port 8000] [--open] [--poll]`.

use std::net::{IpAddr, SocketAddr};
use std::process::ExitCode;

use anyhow::Context;

use super::{Format, RootArg};
use mxspec::diagnostics::{render_human, Severity, Style};
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
    /// The port (0: any free port).
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
}

/// Serves the site until Ctrl-C.
pub fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let root = args.root.root;
    let flags = Flags {
        spec_version: args.spec_version,
        ..Flags::default()
    };
    let settings = match super::settings(&root, flags, Format::Human)? {
        Ok(settings) => settings,
        Err(code) => return Ok(code),
    };
    let mut build = BuildOptions::new(root, settings);
    // The site is served at `/`.
    build.base_url = String::new();
    let options = ServeOptions {
        build,
        addr: SocketAddr::new(args.bind, args.port),
        poll: args.poll,
        header_timeout: mxspec::serve::HEADER_TIMEOUT,
    };
    let open = args.open;
    serve(options, move |report| print_report(report, open)).context("cannot serve")?;
    println!("stopped");
    Ok(ExitCode::SUCCESS)
}

fn print_report(report: Report, open: bool) {
    match report {
        Report::Listening { url, polling } => {
            let how = if polling { "polling" } else { "watching" };
            println!("Serving {url} ({how} data/, content/, templates/; Ctrl-C to stop)");
            if open {
                if let Err(e) = opener::open(&url) {
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
            if summary.errors > 0 {
                let errors: Vec<_> = diagnostics
                    .into_iter()
                    .filter(|d| d.severity == Severity::Error)
                    .collect();
                if let Ok(s) = session.lock() {
                    print!(
                        "{}",
                        render_human(
                            &errors,
                            &summary,
                            s.report().registry.sources(),
                            Style::Plain
                        )
                    );
                }
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
