//! The `mxspec` command line: a thin layer over the library (see `src/cmd/`).

mod cmd;

/// mimalloc: parsing and schema compilation allocate many small nodes.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = match cmd::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cmd::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {}", chain(&e));
            ExitCode::from(2)
        }
    }
}

/// The error and its causes, joined with `: ` as anyhow's `{:#}` joins them, but a
/// cause that its error's message already ends with is not said twice (`cannot write x:
/// No such file or directory (os error 2)` once, not followed by the same cause).
fn chain(error: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in error.chain() {
        let text = cause.to_string();
        if out.ends_with(&text) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&text);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::chain;

    #[test]
    fn a_cause_its_error_already_names_is_said_once() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "gone");
        #[derive(Debug, thiserror::Error)]
        #[error("cannot write x: {source}")]
        struct Write {
            source: std::io::Error,
        }
        let e = anyhow::Error::new(Write { source: io }).context("not written");
        assert_eq!(chain(&e), "not written: cannot write x: gone");
        let plain = anyhow::anyhow!("inner").context("outer");
        assert_eq!(chain(&plain), "outer: inner");
    }
}
