//! The `json` rendering: `{"diagnostics": [...], "summary": {...}}`, documented in README.

use super::{Diagnostic, Summary};

/// Renders diagnostics and the summary as one pretty-printed JSON object.
pub fn render_json(diagnostics: &[Diagnostic], summary: &Summary) -> String {
    let value = serde_json::json!({ "diagnostics": diagnostics, "summary": summary });
    let mut out = serde_json::to_string_pretty(&value).unwrap_or_default();
    out.push('\n');
    out
}
