//! The `github` rendering: workflow commands that GitHub Actions shows inline on a pull
//! request (`::error file=...,line=...,col=...,title=...::message`).

use std::fmt::Write;

use super::{bounded, sanitize, Diagnostic, Summary};

/// Renders one workflow command per diagnostic and a closing notice; `file_prefix` goes
/// before each root-relative path (the root's folder in the repository, such as `spec/`:
/// GitHub places an annotation by its path from the repository's top).
pub fn render_github(diagnostics: &[Diagnostic], summary: &Summary, file_prefix: &str) -> String {
    let mut out = String::new();
    let (shown, left_out) = bounded(diagnostics);
    for d in shown {
        let mut props = Vec::new();
        if !d.file.is_empty() {
            props.push(format!(
                "file={}",
                escape_property(&format!("{file_prefix}{}", d.file))
            ));
            if d.line > 0 {
                props.push(format!("line={}", d.line));
                props.push(format!("col={}", d.column));
            }
        }
        props.push(format!(
            "title={}",
            escape_property(&format!("mxspec {}", d.code))
        ));
        let mut message = d.message.clone();
        if let Some(p) = d.instance_path.as_deref().filter(|p| !p.is_empty()) {
            let _ = write!(message, " (at {p})");
        }
        let _ = writeln!(
            out,
            "::{} {}::{}",
            d.severity.as_str(),
            props.join(","),
            escape_data(&message)
        );
    }
    for (file, more) in left_out {
        let _ = writeln!(
            out,
            "::notice file={}::{more} more in this file (the json format lists them all)",
            escape_property(&format!("{file_prefix}{file}"))
        );
    }
    let count = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let _ = writeln!(
        out,
        "::notice title=mxspec check::{}, {}",
        count(summary.errors, "error"),
        count(summary.warnings, "warning")
    );
    out
}

/// Escapes a workflow-command message: GitHub's own escapes for `%`, CR and LF, and
/// every other control character made visible.
pub fn escape_data(s: &str) -> String {
    let escaped = s
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    sanitize(&escaped).into_owned()
}

/// Escapes a workflow-command property value.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Severity;

    #[test]
    fn escapes_commas_colons_and_newlines() {
        let d = Diagnostic::in_file(
            Severity::Error,
            crate::diagnostics::Code::Io,
            "data/a,b.yaml",
            3,
            4,
            "bad: 100%\nvalue",
        );
        let out = render_github(&[d], &Summary::default(), "");
        assert!(out.starts_with(
            "::error file=data/a%2Cb.yaml,line=3,col=4,title=mxspec io::bad: 100%25%0Avalue\n"
        ));
    }
}
