//! Diagnostics: what a run found, as data, and its three renderings.
//!
//! A [`Diagnostic`] names a severity, a stable code, the file (relative to the root), the
//! line and column, the instance's JSON pointer and the schema keyword path where they
//! apply, and a message. A run collects them all; the CLI renders them as `human`
//! (rustc-like, with the source line and a caret), `json` or `github` workflow commands.

mod code;
mod github;
mod human;
mod json;
mod levels;

use serde::Serialize;

use crate::source::{Pos, Sources};

pub use code::Code;
pub use github::{escape_data, escape_property, render_github};
pub use human::{render_human, Style};

pub use json::render_json;
pub use levels::{Level, Levels};

/// How bad a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Fails the run (exit 1).
    Error,
    /// Reported; the run still passes.
    Warning,
}

impl Severity {
    /// `error` or `warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One problem found in a run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// A stable, kebab-case code such as `example-invalid`.
    pub code: Code,
    /// The file, relative to the root (`data/event-schemas/examples/x.yaml`); empty when
    /// the problem is not about one file.
    pub file: String,
    /// 1-based line; 0 when unknown.
    pub line: u32,
    /// 1-based column; 0 when unknown.
    pub column: u32,
    /// JSON pointer of the offending value inside the checked instance, when there is one.
    pub instance_path: Option<String>,
    /// The schema keyword path that failed (`/properties/code/enum`), when there is one.
    pub schema_path: Option<String>,
    /// What is wrong, in one sentence.
    pub message: String,
}

impl Diagnostic {
    /// An error at a position.
    pub fn error(code: Code, sources: &Sources, pos: Pos, message: impl Into<String>) -> Self {
        Self::at(Severity::Error, code, sources, pos, message)
    }

    /// A warning at a position.
    pub fn warning(code: Code, sources: &Sources, pos: Pos, message: impl Into<String>) -> Self {
        Self::at(Severity::Warning, code, sources, pos, message)
    }

    /// A diagnostic at a position.
    pub fn at(
        severity: Severity,
        code: Code,
        sources: &Sources,
        pos: Pos,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity,
            code,
            file: sources.rel(pos.file).to_string(),
            line: pos.line,
            column: pos.column,
            instance_path: None,
            schema_path: None,
            message: message.into(),
        }
    }

    /// A diagnostic about a file as a whole, or a line and column in it.
    pub fn in_file(
        severity: Severity,
        code: Code,
        file: impl Into<String>,
        line: u32,
        column: u32,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity,
            code,
            file: file.into(),
            line,
            column,
            instance_path: None,
            schema_path: None,
            message: message.into(),
        }
    }

    /// Adds the instance and schema paths.
    pub fn with_paths(
        mut self,
        instance_path: impl Into<String>,
        schema_path: impl Into<String>,
    ) -> Self {
        self.instance_path = Some(instance_path.into());
        self.schema_path = Some(schema_path.into());
        self
    }
}

/// Counts of a run's diagnostics.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Number of errors.
    pub errors: usize,
    /// Number of warnings.
    pub warnings: usize,
    /// Number of schema documents checked.
    pub schemas: usize,
    /// Number of example files validated.
    pub examples: usize,
    /// Number of inline `example`/`examples`/`default` values validated.
    pub inline_examples: usize,
    /// Number of examples of API documents (parameters, request and response bodies)
    /// validated.
    pub api_examples: usize,
}

impl Summary {
    /// Counts errors and warnings of `diagnostics` into this summary.
    pub fn count(mut self, diagnostics: &[Diagnostic]) -> Self {
        self.errors = diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        self.warnings = diagnostics.len() - self.errors;
        self
    }
}

/// Text from a project made safe to print: every control character (but tab) becomes a
/// visible sign of one character, so a message or a quoted line can neither move the
/// cursor or colour a terminal (ESC) nor start a new line that a CI reads as a command.
pub fn sanitize(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| c.is_control() && c != '\t';
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    text.chars()
        .map(|c| match c {
            '\t' => c,
            // The Unicode "control pictures": ␀ .. ␟, and ␡ for DEL.
            '\0'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
            '\u{7f}' => '\u{2421}',
            c if c.is_control() => '\u{fffd}',
            c => c,
        })
        .collect()
}

/// The human and github formats print at most this many diagnostics of one file, then
/// say how many more there are (the json format prints them all).
pub const MAX_PRINTED_PER_FILE: usize = 50;

/// The diagnostics to print in a bounded format, and for each file whose diagnostics
/// were cut, how many were left out (in file order).
pub fn bounded(diagnostics: &[Diagnostic]) -> (Vec<&Diagnostic>, Vec<(&str, usize)>) {
    let mut shown = Vec::new();
    let mut left_out: Vec<(&str, usize)> = Vec::new();
    let mut count: std::collections::HashMap<&str, usize> = Default::default();
    for d in diagnostics {
        let n = count.entry(d.file.as_str()).or_default();
        *n += 1;
        if *n <= MAX_PRINTED_PER_FILE || d.file.is_empty() {
            shown.push(d);
        } else {
            match left_out.iter_mut().find(|(f, _)| *f == d.file) {
                Some((_, more)) => *more += 1,
                None => left_out.push((d.file.as_str(), 1)),
            }
        }
    }
    (shown, left_out)
}

/// Sorts diagnostics by file, line, column, then code, and drops exact repeats.
pub fn sort(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.code.as_str(), &a.message).cmp(&(
            &b.file,
            b.line,
            b.column,
            b.code.as_str(),
            &b.message,
        ))
    });
    diagnostics.dedup();
}
