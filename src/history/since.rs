//! `check --since REV --spec-version X.Y`: every event, property and enum value added
//! since REV carries an "Added in" annotation for X.Y; removals and type changes are
//! warnings.
//!
//! An event or property is annotated with `x-addedInMatrixVersion: "X.Y"`. An enum value
//! is annotated either beside the enum, with `x-enumAddedInMatrixVersion: {VALUE: "X.Y"}`,
//! or with an inline `**[Added in `vX.Y`]**` marker before the value's code span in the
//! description of the property or of one of its parents (as upstream writes them).

use std::collections::BTreeMap;

use super::diff::{diff, events, Change, ChangeKind};
use super::markers::inline_added_values;
use crate::diagnostics::{Diagnostic, Severity};
use crate::schema::Registry;
use crate::source::{Node, Pos};

/// The key of the structured form for enum values.
pub const ENUM_ADDED: &str = "x-enumAddedInMatrixVersion";

/// Checks the annotations of everything that changed from `old` to `new`.
pub fn check_since(old: &Registry, new: &Registry, rev: &str, version: &str) -> Vec<Diagnostic> {
    let changes = diff(old, new);
    let (resolved, _) = events(new);
    let mut out = Vec::new();
    for c in &changes {
        if c.kind == ChangeKind::EventRemoved {
            out.push(removed(c, rev));
            continue;
        }
        let (Some(pos), Some((_, event))) = (c.pos, resolved.get(&c.event)) else {
            continue;
        };
        let chain = schema_chain(event, &c.path);
        let item = if c.path.is_empty() {
            format!("event `{}`", c.event)
        } else {
            format!("`{}` of `{}`", c.path, c.event)
        };
        match c.kind {
            ChangeKind::EventAdded | ChangeKind::PropertyAdded => {
                let schema = chain.last().copied().unwrap_or(event);
                let found = schema.get("x-addedInMatrixVersion").and_then(Node::as_str);
                if let Some(d) = judge(new, pos, &item, found, rev, version, "x-addedInMatrixVersion: \"{v}\"`") {
                    out.push(d);
                }
            }
            ChangeKind::EnumValueAdded => {
                let value = c.value.clone().unwrap_or_default();
                let schema = chain.last().copied().unwrap_or(event);
                let structured = schema.get(ENUM_ADDED).and_then(|m| m.get(&value)).and_then(Node::as_str);
                let inline = chain
                    .iter()
                    .rev()
                    .chain(std::iter::once(&event))
                    .filter_map(|s| s.get("description").and_then(Node::as_str))
                    .find_map(|d| inline_added_values(d).remove(&value));
                let found = structured.map(str::to_string).or(inline);
                let what = format!("enum value `{value}` of {item}");
                let hint = format!(
                    "{ENUM_ADDED}: {{{value}: \"{{v}}\"}}` beside the enum, or an inline `**[Added in `v{{v}}`]**` marker before the value in the description"
                );
                if let Some(d) = judge(new, pos, &what, found.as_deref(), rev, version, &hint) {
                    out.push(d);
                }
            }
            ChangeKind::PropertyRemoved | ChangeKind::EnumValueRemoved => out.push(removed(c, rev)),
            ChangeKind::TypeChanged => out.push(Diagnostic::warning(
                "type-changed-since",
                &new.sources,
                pos,
                format!(
                    "the type of {item} changed since {rev}, from `{}` to `{}`: clients written for the old type break",
                    c.old.as_deref().unwrap_or("none"),
                    c.new.as_deref().unwrap_or("none")
                ),
            )),
            _ => {}
        }
    }
    out
}

fn removed(c: &Change, rev: &str) -> Diagnostic {
    let what = match (&c.kind, &c.value) {
        (ChangeKind::EventRemoved, _) => format!("event `{}`", c.event),
        (_, Some(v)) => format!("enum value `{v}` of `{}` of `{}`", c.path, c.event),
        _ => format!("`{}` of `{}`", c.path, c.event),
    };
    Diagnostic::in_file(
        Severity::Warning,
        "removed-since",
        c.file.clone(),
        c.line,
        c.column,
        format!("{what} was removed since {rev}: a removal breaks clients that use it"),
    )
}

/// An error when `found` is not `version`.
fn judge(
    new: &Registry,
    pos: Pos,
    item: &str,
    found: Option<&str>,
    rev: &str,
    version: &str,
    hint: &str,
) -> Option<Diagnostic> {
    let hint = hint.replace("{v}", version);
    match found {
        Some(v) if v == version => None,
        Some(v) => Some(Diagnostic::error(
            "added-with-wrong-version",
            &new.sources,
            pos,
            format!("{item} is new since {rev}, so it is added in v{version}, but it is annotated as added in v{v}"),
        )),
        None => Some(Diagnostic::error(
            "added-without-annotation",
            &new.sources,
            pos,
            format!("{item} is new since {rev} but is not annotated as added in v{version}: write `{hint}"),
        )),
    }
}

/// The schemas along a dotted property path, outermost first (the event not included).
pub fn schema_chain<'n>(event: &'n Node, path: &str) -> Vec<&'n Node> {
    let mut chain = Vec::new();
    if path.is_empty() {
        return chain;
    }
    let mut node = event;
    for segment in path.split('.') {
        let (name, arrays) = match segment.find("[]") {
            Some(i) => (&segment[..i], segment[i..].matches("[]").count()),
            None => (segment, 0),
        };
        let next = if name == "*" {
            node.get("additionalProperties")
        } else {
            node.get("properties").and_then(|p| p.get(name))
        };
        let Some(mut next) = next else { break };
        chain.push(next);
        for _ in 0..arrays {
            match next.get("items") {
                Some(items) => {
                    next = items;
                    chain.push(next);
                }
                None => break,
            }
        }
        node = next;
    }
    chain
}

/// Versions an enum's values were added in, from the structured form.
pub fn structured_enum_versions(schema: &Node) -> BTreeMap<String, String> {
    schema
        .get(ENUM_ADDED)
        .and_then(Node::as_map)
        .unwrap_or_default()
        .iter()
        .filter_map(|e| Some((e.key.clone(), e.value.as_str()?.to_string())))
        .collect()
}
