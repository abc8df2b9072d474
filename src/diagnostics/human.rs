//! The `human` rendering, as rustc and cargo print theirs (through annotate-snippets): the
//! code, the message, the source line with the offending span underlined, the instance
//! and schema paths as notes; colour on a terminal; the summary line last.

use std::fmt::Write;
use std::io::IsTerminal;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use super::{bounded, sanitize, Diagnostic, Severity, Summary};
use crate::source::Sources;

/// Whether the output is coloured.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Style {
    /// Plain text.
    #[default]
    Plain,
    /// ANSI colours, as on a terminal.
    Color,
}

impl Style {
    /// Colour when standard error is a terminal and `NO_COLOR` is not set (see
    /// <https://no-color.org>); `CLICOLOR_FORCE` forces it.
    pub fn for_stderr() -> Style {
        let set = |name| std::env::var_os(name).is_some_and(|v| !v.is_empty());
        Style::choose(
            set("NO_COLOR"),
            set("CLICOLOR_FORCE"),
            std::io::stderr().is_terminal(),
        )
    }

    /// Like [`Style::for_stderr`], for standard output.
    pub fn for_stdout() -> Style {
        let set = |name| std::env::var_os(name).is_some_and(|v| !v.is_empty());
        Style::choose(
            set("NO_COLOR"),
            set("CLICOLOR_FORCE"),
            std::io::stdout().is_terminal(),
        )
    }

    /// The style for these facts: `NO_COLOR` set, `CLICOLOR_FORCE` set, a terminal.
    pub fn choose(no_color: bool, force: bool, terminal: bool) -> Style {
        if force || (terminal && !no_color) {
            Style::Color
        } else {
            Style::Plain
        }
    }
}

/// Renders diagnostics for a terminal, then a one-line summary.
pub fn render_human(
    diagnostics: &[Diagnostic],
    summary: &Summary,
    sources: &Sources,
    style: Style,
) -> String {
    let renderer = match style {
        Style::Plain => Renderer::plain(),
        Style::Color => Renderer::styled(),
    };
    let mut out = String::new();
    let (shown, left_out) = bounded(diagnostics);
    for d in shown {
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let file = sanitize(&d.file);
        let title = level
            .primary_title(sanitize(&d.message))
            .id(d.code.as_str());
        let mut notes = Vec::new();
        if let Some(p) = d.instance_path.as_deref() {
            let p = if p.is_empty() { "(document root)" } else { p };
            notes.push(Level::NOTE.with_name("at").message(sanitize(p)));
        }
        if let Some(s) = d.schema_path.as_deref() {
            notes.push(Level::NOTE.with_name("schema").message(sanitize(s)));
        }
        let line_text = (d.line > 0)
            .then(|| sources.line_of(&d.file, d.line))
            .flatten()
            .map(sanitize);
        let group = match line_text {
            _ if d.file.is_empty() => Group::with_title(title).elements(notes),
            Some(text) => {
                let span = span_at(&text, d.column);
                let snippet = Snippet::source(text)
                    .line_start(d.line as usize)
                    .path(file)
                    .annotation(AnnotationKind::Primary.span(span));
                title.element(snippet).elements(notes)
            }
            None => {
                let origin = annotate_snippets::Origin::path(sanitize(&position(d)).into_owned());
                title.element(origin).elements(notes)
            }
        };
        let _ = writeln!(out, "{}\n", renderer.render(&[group]));
    }
    for (file, more) in left_out {
        let _ = writeln!(
            out,
            "note: {more} more in {} (the json format lists them all)\n",
            sanitize(file)
        );
    }
    for severity in [Severity::Error, Severity::Warning] {
        let mut by_code: std::collections::BTreeMap<&str, usize> = Default::default();
        for d in diagnostics.iter().filter(|d| d.severity == severity) {
            *by_code.entry(d.code.as_str()).or_default() += 1;
        }
        if by_code.len() > 1 || by_code.values().any(|n| *n > 1) {
            let mut counts: Vec<(&str, usize)> = by_code.into_iter().collect();
            counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            let list: Vec<String> = counts
                .iter()
                .map(|(code, n)| format!("{n} {code}"))
                .collect();
            let _ = writeln!(out, "{}s by code: {}", severity.as_str(), list.join(", "));
        }
    }
    let api = if summary.api_examples > 0 {
        format!(
            ", {} {}",
            summary.api_examples,
            plural(summary.api_examples, "API example")
        )
    } else {
        String::new()
    };
    let counts = format!(
        "{} {}, {} {}",
        summary.errors,
        plural(summary.errors, "error"),
        summary.warnings,
        plural(summary.warnings, "warning"),
    );
    // A command that checks no data (`diff`, `changelog`) says only what it found.
    if summary.schemas + summary.examples + summary.inline_examples + summary.api_examples == 0 {
        let _ = writeln!(out, "{counts}");
        return out;
    }
    let _ = writeln!(
        out,
        "checked {} {}, {} {}, {} {}{api}: {counts}",
        summary.schemas,
        plural(summary.schemas, "schema"),
        summary.examples,
        plural(summary.examples, "example"),
        summary.inline_examples,
        plural(summary.inline_examples, "inline example"),
    );
    out
}

/// `file:line:column`, or `file` for a problem of a whole file.
fn position(d: &Diagnostic) -> String {
    if d.line == 0 {
        d.file.clone()
    } else {
        format!("{}:{}:{}", d.file, d.line, d.column)
    }
}

/// The byte range of the token that starts at the 1-based character `column` of `line`:
/// a quoted string to its closing quote, else up to the next space or delimiter; at least
/// one character (or the end of the line).
fn span_at(line: &str, column: u32) -> std::ops::Range<usize> {
    let start = line
        .char_indices()
        .nth((column.max(1) - 1) as usize)
        .map_or(line.len(), |(i, _)| i);
    let rest = &line[start..];
    let mut chars = rest.char_indices();
    let len = match chars.next() {
        None => 0,
        Some((_, q @ ('"' | '\''))) => {
            let mut escaped = false;
            let close = rest[1..].char_indices().find(|&(_, c)| {
                let found = c == q && !escaped;
                escaped = c == '\\' && !escaped && q == '"';
                found
            });
            close.map_or(rest.len(), |(i, c)| 1 + i + c.len_utf8())
        }
        Some((_, first)) => {
            let end = rest
                .char_indices()
                .skip(1)
                .find(|&(i, c)| {
                    c.is_whitespace()
                        || matches!(c, ',' | ']' | '}' | '#')
                        || (c == ':'
                            && rest[i + 1..].chars().next().is_none_or(char::is_whitespace))
                })
                .map_or(rest.len(), |(i, _)| i);
            end.max(first.len_utf8())
        }
    };
    start..start + len
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_on_a_terminal_unless_no_color() {
        assert_eq!(Style::choose(false, false, true), Style::Color);
        assert_eq!(Style::choose(true, false, true), Style::Plain);
        assert_eq!(Style::choose(false, false, false), Style::Plain);
        assert_eq!(Style::choose(true, true, false), Style::Color);
        let d = Diagnostic::in_file(Severity::Error, super::super::Code::Io, "", 0, 0, "x");
        let summary = Summary::default();
        let coloured = render_human(
            std::slice::from_ref(&d),
            &summary,
            &Sources::new(),
            Style::Color,
        );
        assert!(coloured.contains("\u{1b}["), "{coloured:?}");
        let plain = render_human(&[d], &summary, &Sources::new(), Style::Plain);
        assert!(!plain.contains('\u{1b}'), "{plain:?}");
    }

    #[test]
    fn spans_cover_the_token() {
        let line = r#"    "body": "a \"b\" c", x: 12"#;
        assert_eq!(&line[span_at(line, 5)], r#""body""#);
        assert_eq!(&line[span_at(line, 13)], r#""a \"b\" c""#);
        assert_eq!(&line[span_at(line, 26)], "x");
        assert_eq!(&line[span_at(line, 29)], "12");
        assert_eq!(span_at("ab", 9), 2..2);
        assert_eq!(
            &"url: https://x.org/a"[span_at("url: https://x.org/a", 6)],
            "https://x.org/a"
        );
    }

    #[test]
    fn renders_the_line_underlined_with_notes_and_summary() {
        let mut sources = Sources::new();
        sources.add("data/x.yaml", "a: 1\nbody: 12\n".to_string());
        let d = Diagnostic::in_file(
            Severity::Error,
            super::super::Code::ExampleInvalid,
            "data/x.yaml",
            2,
            7,
            "12 is not a string",
        )
        .with_paths("/body", "data/s.yaml#/type");
        let summary = Summary::default().count(std::slice::from_ref(&d));
        let out = render_human(&[d], &summary, &sources, Style::Plain);
        assert!(
            out.starts_with("error[example-invalid]: 12 is not a string\n"),
            "{out}"
        );
        assert!(out.contains(" --> data/x.yaml:2:7\n"), "{out}");
        assert!(out.contains("2 | body: 12\n"), "{out}");
        assert!(out.contains("  |       ^^\n"), "{out}");
        assert!(out.contains("= at: /body\n"), "{out}");
        assert!(out.contains("= schema: data/s.yaml#/type\n"), "{out}");
        assert!(out.trim_end().ends_with("1 error, 0 warnings"), "{out}");
    }
}
