//! `check --since REV --spec-version X.Y`: every event, endpoint, property, parameter
//! and enum value added since REV carries an "Added in" annotation for X.Y; removals and
//! type changes are warnings.
//!
//! An event or property is annotated with `x-addedInMatrixVersion: "X.Y"`. An enum value
//! is annotated either beside the enum, with `x-enumAddedInMatrixVersion: {VALUE: "X.Y"}`,
//! or with an inline `**[Added in `vX.Y`]**` marker before the value's code span in the
//! description of the property or of one of its parents (as upstream writes them).

use super::diff::{diff_resolved, Change, ChangeKind};
use crate::diagnostics::{Code, Diagnostic, Severity};
use crate::schema::Registry;
use crate::source::{Node, Pos};
use crate::version::{inline_added_values, structured_enum_versions, ADDED, ENUM_ADDED};

/// Checks the annotations of everything that changed from `old` to `new`.
pub fn check_since(old: &Registry, new: &Registry, rev: &str, version: &str) -> Vec<Diagnostic> {
    let (changes, resolved) = diff_resolved(old, new);
    let since = Since { new, rev, version };
    let mut out = Vec::new();
    for c in &changes {
        if matches!(
            c.kind,
            ChangeKind::EventRemoved | ChangeKind::EndpointRemoved
        ) {
            out.push(removed(c, rev));
            continue;
        }
        let (Some(pos), Some((_, event))) = (c.pos, resolved.get(&c.event)) else {
            continue;
        };
        let chain = schema_chain(event, &c.path);
        let schema = chain.last().copied().unwrap_or(event);
        let item = if c.path.is_empty() {
            format!("{} `{}`", c.subject, c.event)
        } else {
            format!("`{}` of `{}`", c.path, c.event)
        };
        let found = match c.kind {
            ChangeKind::EventAdded | ChangeKind::EndpointAdded | ChangeKind::PropertyAdded => {
                let found = schema.get(ADDED).and_then(Node::as_str);
                since.judge(pos, &item, found, format!("`x-addedInMatrixVersion: \"{version}\"`"))
            }
            ChangeKind::EnumValueAdded => {
                let value = c.value.clone().unwrap_or_default();
                // The structured form beside the enum, else a marker in a description of
                // the property or of a parent.
                let found = structured_enum_versions(schema).remove(&value).or_else(|| {
                    chain
                        .iter()
                        .rev()
                        .chain(std::iter::once(&event))
                        .filter_map(|s| s.get("description").and_then(Node::as_str))
                        .find_map(|d| inline_added_values(d).remove(&value))
                });
                let hint = format!(
                    "`{ENUM_ADDED}: {{{value}: \"{version}\"}}` beside the enum, or an inline `**[Added in `v{version}`]**` marker before the value in the description"
                );
                since.judge(pos, &format!("enum value `{value}` of {item}"), found.as_deref(), hint)
            }
            ChangeKind::PropertyRemoved | ChangeKind::EnumValueRemoved => Some(removed(c, rev)),
            ChangeKind::TypeChanged => Some(Diagnostic::warning(
                Code::TypeChangedSince,
                new.sources(),
                pos,
                format!(
                    "the type of {item} changed since {rev}, from `{}` to `{}`: clients written for the old type break",
                    c.old.as_deref().unwrap_or("none"),
                    c.new.as_deref().unwrap_or("none")
                ),
            )),
            _ => None,
        };
        out.extend(found);
    }
    out
}

fn removed(c: &Change, rev: &str) -> Diagnostic {
    let what = match (&c.kind, &c.value) {
        (ChangeKind::EventRemoved | ChangeKind::EndpointRemoved, _) => {
            format!("{} `{}`", c.subject, c.event)
        }
        (_, Some(v)) => format!("enum value `{v}` of `{}` of `{}`", c.path, c.event),
        _ => format!("`{}` of `{}`", c.path, c.event),
    };
    Diagnostic::in_file(
        Severity::Warning,
        Code::RemovedSince,
        c.file.clone(),
        c.line,
        c.column,
        format!("{what} was removed since {rev}: a removal breaks clients that use it"),
    )
}

/// What `--since` compares against: the work tree, the old revision, the new version.
struct Since<'a> {
    new: &'a Registry,
    rev: &'a str,
    version: &'a str,
}

impl Since<'_> {
    /// An error at `pos` when the new `item` is not annotated with the new version;
    /// `hint` says what to write.
    fn judge(&self, pos: Pos, item: &str, found: Option<&str>, hint: String) -> Option<Diagnostic> {
        let (rev, version) = (self.rev, self.version);
        let (code, message) = match found {
            Some(v) if v == version => return None,
            Some(v) => (
                Code::AddedWithWrongVersion,
                format!("{item} is new since {rev}, so it is added in v{version}, but it is annotated as added in v{v}"),
            ),
            None => (
                Code::AddedWithoutAnnotation,
                format!("{item} is new since {rev} but is not annotated as added in v{version}: write {hint}"),
            ),
        };
        Some(Diagnostic::error(code, self.new.sources(), pos, message))
    }
}

/// The schemas along a dotted property path, outermost first (the event not included).
/// A property's name may hold dots itself (`m.relates_to`): at each step the longest run
/// of segments that names a property of the schema there is taken.
pub fn schema_chain<'n>(event: &'n Node, path: &str) -> Vec<&'n Node> {
    let mut chain = Vec::new();
    if path.is_empty() {
        return chain;
    }
    let segments: Vec<&str> = path.split('.').collect();
    let mut node = event;
    let mut at = 0;
    while at < segments.len() {
        // The longest name first; `[]` (an array's items) only ends a name.
        let step = (at + 1..=segments.len()).rev().find_map(|end| {
            let written = segments[at..end].join(".");
            let name = written.trim_end_matches("[]");
            if name.contains("[]") {
                return None;
            }
            let arrays = (written.len() - name.len()) / 2;
            let next = if name == "*" {
                node.get("additionalProperties")
            } else {
                node.get("properties").and_then(|p| p.get(name))
            };
            next.map(|n| (n, arrays, end))
        });
        let Some((mut next, arrays, end)) = step else {
            break;
        };
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
        at = end;
    }
    chain
}
