//! The `human` rendering: rustc-like, with the source line and a caret under the column.

use std::fmt::Write;

use super::{Diagnostic, Summary};
use crate::source::Sources;

/// Renders diagnostics for a terminal, then a one-line summary.
pub fn render_human(diagnostics: &[Diagnostic], summary: &Summary, sources: &Sources) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let _ = writeln!(out, "{}[{}]: {}", d.severity.as_str(), d.code, d.message);
        if d.file.is_empty() {
            out.push('\n');
            continue;
        }
        let line_no = d.line.to_string();
        let gutter = " ".repeat(line_no.len());
        if d.line == 0 {
            let _ = writeln!(out, "{gutter}--> {}", d.file);
        } else {
            let _ = writeln!(out, "{gutter}--> {}:{}:{}", d.file, d.line, d.column);
        }
        if let Some(text) = sources.line_of(&d.file, d.line) {
            let text = text.replace('\t', " ");
            let caret_at = (d.column.max(1) - 1) as usize;
            let _ = writeln!(out, "{gutter} |");
            let _ = writeln!(out, "{line_no} | {text}");
            let _ = writeln!(out, "{gutter} | {}^", " ".repeat(caret_at));
        }
        if let Some(p) = d.instance_path.as_deref() {
            let _ = writeln!(
                out,
                "{gutter} = at: {}",
                if p.is_empty() { "(document root)" } else { p }
            );
        }
        if let Some(s) = d.schema_path.as_deref() {
            let _ = writeln!(out, "{gutter} = schema: {s}");
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "checked {} {}, {} {}, {} {}: {} {}, {} {}",
        summary.schemas,
        plural(summary.schemas, "schema"),
        summary.examples,
        plural(summary.examples, "example"),
        summary.inline_examples,
        plural(summary.inline_examples, "inline example"),
        summary.errors,
        plural(summary.errors, "error"),
        summary.warnings,
        plural(summary.warnings, "warning"),
    );
    out
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}
