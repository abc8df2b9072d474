//! The renderings of a change list: `human`, `json`, `github` and `markdown` (a changelog a
//! reviewer can paste into a pull request).

use std::fmt::Write;

use super::diff::{Change, ChangeKind};

fn code(text: &str) -> String {
    format!("`{text}`")
}

/// One sentence for a change.
pub fn sentence(c: &Change) -> String {
    let at = if c.path.is_empty() {
        String::new()
    } else {
        format!(" {}", code(&c.path))
    };
    let value = c.value.as_deref().map(code).unwrap_or_default();
    let old = c.old.as_deref().map_or("none".to_string(), code);
    let new = c.new.as_deref().map_or("none".to_string(), code);
    match c.kind {
        ChangeKind::EventAdded => format!("New event {}.", code(&c.event)),
        ChangeKind::EventRemoved => format!("Removed event {}.", code(&c.event)),
        ChangeKind::EndpointAdded => format!("New endpoint {}.", code(&c.event)),
        ChangeKind::EndpointRemoved => format!("Removed endpoint {}.", code(&c.event)),
        ChangeKind::PropertyAdded => match &c.new {
            Some(t) => format!("Added property{at} ({}).", code(t)),
            None => format!("Added property{at}."),
        },
        ChangeKind::PropertyRemoved => format!("Removed property{at}."),
        ChangeKind::TypeChanged => format!("Changed the type of{at} from {old} to {new}."),
        ChangeKind::FormatChanged => format!("Changed the format of{at} from {old} to {new}."),
        ChangeKind::MadeRequired => format!("Made{at} required."),
        ChangeKind::MadeOptional => format!("Made{at} optional."),
        ChangeKind::EnumValueAdded => format!("Added the value {value} to{at}."),
        ChangeKind::EnumValueRemoved => format!("Removed the value {value} from{at}."),
        ChangeKind::DescriptionChanged if c.path.is_empty() => {
            "Changed the description.".to_string()
        }
        ChangeKind::DescriptionChanged => format!("Changed the description of{at}."),
    }
}

fn location(c: &Change) -> String {
    if c.line == 0 {
        c.file.clone()
    } else {
        format!("{}:{}:{}", c.file, c.line, c.column)
    }
}

/// For a terminal: events in order, one line per change with where it is written.
pub fn human(changes: &[Change], rev: &str) -> String {
    let mut out = String::new();
    let mut event = "";
    for c in changes {
        if c.event != event {
            event = &c.event;
            let _ = writeln!(out, "{event}");
        }
        let _ = writeln!(out, "  {}  ({})", sentence(c), location(c));
    }
    let _ = writeln!(out, "{} change(s) since {rev}", changes.len());
    out
}

/// One JSON object: `{"since": ..., "changes": [...], "summary": {...}}`.
pub fn json(changes: &[Change], rev: &str) -> String {
    let events: std::collections::BTreeSet<&str> =
        changes.iter().map(|c| c.event.as_str()).collect();
    let value = serde_json::json!({
        "since": rev,
        "changes": changes,
        "summary": { "changes": changes.len(), "events": events.len() },
    });
    let mut out = serde_json::to_string_pretty(&value).unwrap_or_default();
    out.push('\n');
    out
}

/// GitHub workflow commands: a notice on the line of each change; `file_prefix` goes
/// before each root-relative path, as in [`crate::diagnostics::render_github`].
pub fn github(changes: &[Change], file_prefix: &str) -> String {
    use crate::diagnostics::{escape_data, escape_property};
    let mut out = String::new();
    for c in changes {
        let file = escape_property(&format!("{file_prefix}{}", c.file));
        let mut props = format!("file={file}");
        if c.line > 0 {
            let _ = write!(props, ",line={},col={}", c.line, c.column);
        }
        let message = escape_data(&format!("{}: {}", c.event, sentence(c)));
        let _ = writeln!(out, "::notice {props},title=mxspec diff::{message}");
    }
    out
}

/// A changelog: new and removed events, then the changes of each event.
pub fn markdown(changes: &[Change], rev: &str) -> String {
    let mut out = format!("## Event schema changes since `{rev}`\n\n");
    if changes.is_empty() {
        out.push_str("No changes to the event schemas.\n");
        return out;
    }
    let added: Vec<&Change> = changes
        .iter()
        .filter(|c| c.kind == ChangeKind::EventAdded)
        .collect();
    let removed: Vec<&Change> = changes
        .iter()
        .filter(|c| c.kind == ChangeKind::EventRemoved)
        .collect();
    if !added.is_empty() {
        out.push_str("### New events\n\n");
        added.iter().for_each(|c| {
            let _ = writeln!(out, "- {}", code(&c.event));
        });
        out.push('\n');
    }
    if !removed.is_empty() {
        out.push_str("### Removed events\n\n");
        removed.iter().for_each(|c| {
            let _ = writeln!(out, "- {}", code(&c.event));
        });
        out.push('\n');
    }
    let mut event = "";
    for c in changes
        .iter()
        .filter(|c| !matches!(c.kind, ChangeKind::EventAdded | ChangeKind::EventRemoved))
    {
        if c.event != event {
            event = &c.event;
            let _ = writeln!(out, "### {}\n", code(event));
        }
        let _ = writeln!(out, "- {}", sentence(c));
    }
    out
}
