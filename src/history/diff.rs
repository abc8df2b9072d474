//! Semantic changes between two versions of the event schemas and of the HTTP APIs, fully
//! resolved (refs and `allOf`): events and endpoints added or removed; properties (and
//! parameters, request and response fields) added or removed, their type or format
//! changed, made required or optional; enum values added or removed; descriptions changed.
//!
//! An endpoint is compared as a schema whose properties are its parameters by place
//! (`path`, `query`, `header`), its JSON request body (`request`) and its JSON response
//! bodies (`response 200`, ...), so one set of rules covers events and endpoints.

use std::collections::BTreeMap;

use serde::Serialize;

use super::endpoints::{endpoint_files, endpoints};
use crate::schema::resolve::expand;
use crate::schema::{DocKind, Registry};
use crate::source::{Node, Pos, Value};

/// What changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    /// A new event.
    EventAdded,
    /// An event that is gone.
    EventRemoved,
    /// A new endpoint.
    EndpointAdded,
    /// An endpoint that is gone.
    EndpointRemoved,
    /// A new property.
    PropertyAdded,
    /// A property that is gone.
    PropertyRemoved,
    /// A property's type changed.
    TypeChanged,
    /// A property's format changed.
    FormatChanged,
    /// A property became required.
    MadeRequired,
    /// A property became optional.
    MadeOptional,
    /// A new enum value.
    EnumValueAdded,
    /// An enum value that is gone.
    EnumValueRemoved,
    /// A description changed.
    DescriptionChanged,
}

/// One change.
#[derive(Clone, Debug, Serialize)]
pub struct Change {
    /// What changed.
    pub kind: ChangeKind,
    /// `event` or `endpoint`: what [`Change::event`] names.
    pub subject: &'static str,
    /// The event, or the endpoint (`PUT /_matrix/client/v3/rooms/{roomId}/state`).
    pub event: String,
    /// The property, as a dotted path (`content.code`; `[]` for array items); empty for
    /// the event itself.
    pub path: String,
    /// The enum value, for enum changes.
    pub value: Option<String>,
    /// The old type, format or required state, where one changed.
    pub old: Option<String>,
    /// The new one.
    pub new: Option<String>,
    /// Where the new item is written (the old one, for removals): root-relative file.
    pub file: String,
    /// 1-based line; 0 when the file as a whole is meant.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    #[serde(skip)]
    pub(crate) pos: Option<Pos>,
}

/// The event schema files of a registry (parsed or not), by event name.
fn event_files(registry: &Registry) -> BTreeMap<String, String> {
    registry
        .event_files()
        .map(|(name, rel)| (name.to_string(), rel.to_string()))
        .collect()
}

pub use super::endpoints::ResolvedEvents;

/// The resolved event schemas of a registry, by event name; and, by file, the events that
/// could not be read or resolved (those are left out of every comparison).
pub fn events(registry: &Registry) -> (ResolvedEvents, Vec<(String, String)>) {
    let mut resolved = BTreeMap::new();
    let mut broken = Vec::new();
    for (name, rel) in event_files(registry) {
        match registry.get(&rel).filter(|d| d.kind == DocKind::Schema) {
            Some(doc) => match expand(registry, &doc.rel, &doc.node) {
                Ok(node) => {
                    resolved.insert(name, (rel, node));
                }
                Err(e) => broken.push((rel, e.to_string())),
            },
            None => broken.push((rel, "the file could not be read or parsed".to_string())),
        }
    }
    (resolved, broken)
}

/// Every change from `old` to `new`. Events and endpoints that either side cannot resolve
/// are not compared (see [`events`] and [`endpoints`](super::endpoints::endpoints)).
pub fn diff(old: &Registry, new: &Registry) -> Vec<Change> {
    diff_resolved(old, new).0
}

/// Like [`diff`], with the resolved events and endpoints of `new` the changes were found
/// in (by name), for a caller that looks into them.
pub fn diff_resolved(old: &Registry, new: &Registry) -> (Vec<Change>, ResolvedEvents) {
    let mut out = Vec::new();
    let old_files = event_files(old);
    let new_files = event_files(new);
    let (old_events, _) = events(old);
    let (new_events, _) = events(new);
    let subjects = Subjects {
        name: "event",
        added: ChangeKind::EventAdded,
        removed: ChangeKind::EventRemoved,
    };
    compare(
        &mut out,
        &subjects,
        (old, &old_files, &old_events),
        (new, &new_files, &new_events),
    );
    let (old_endpoints, _) = endpoints(old);
    let (new_endpoints, _) = endpoints(new);
    let subjects = Subjects {
        name: "endpoint",
        added: ChangeKind::EndpointAdded,
        removed: ChangeKind::EndpointRemoved,
    };
    let (old_names, new_names) = (endpoint_files(old), endpoint_files(new));
    compare(
        &mut out,
        &subjects,
        (old, &old_names, &old_endpoints),
        (new, &new_names, &new_endpoints),
    );
    let mut resolved = new_events;
    resolved.extend(new_endpoints);
    (out, resolved)
}

/// What is compared: events or endpoints.
struct Subjects {
    name: &'static str,
    added: ChangeKind,
    removed: ChangeKind,
}

/// One side of a comparison: the registry, every name (resolved or not) and its file, and
/// the resolved ones.
type Side<'a> = (
    &'a Registry,
    &'a BTreeMap<String, String>,
    &'a ResolvedEvents,
);

fn compare(out: &mut Vec<Change>, subjects: &Subjects, old: Side, new: Side) {
    let (old_registry, old_files, old_resolved) = old;
    let (new_registry, new_files, new_resolved) = new;
    for (name, (rel, node)) in new_resolved {
        if !old_files.contains_key(name) {
            let c = change(
                subjects.name,
                subjects.added.clone(),
                name,
                "",
                new_registry,
                node.pos,
                rel,
            );
            out.push(c);
        } else if let Some((_, old_node)) = old_resolved.get(name) {
            let mut differ = Differ {
                subject: subjects.name,
                event: name,
                rel,
                out,
                registry: new_registry,
            };
            differ.description("", old_node, node);
            differ.object("", old_node, node);
        }
    }
    for (name, rel) in old_files {
        if !new_files.contains_key(name) {
            let mut c = change(
                subjects.name,
                subjects.removed.clone(),
                name,
                "",
                old_registry,
                Pos::default(),
                rel,
            );
            c.file = rel.clone();
            c.line = 0;
            c.column = 0;
            c.pos = None;
            out.push(c);
        }
    }
}

fn change(
    subject: &'static str,
    kind: ChangeKind,
    event: &str,
    path: &str,
    registry: &Registry,
    pos: Pos,
    fallback: &str,
) -> Change {
    let file = registry.sources().rel(pos.file);
    Change {
        kind,
        subject,
        event: event.to_string(),
        path: path.to_string(),
        value: None,
        old: None,
        new: None,
        file: if file.is_empty() {
            fallback.to_string()
        } else {
            file.to_string()
        },
        line: pos.line,
        column: pos.column,
        pos: Some(pos),
    }
}

struct Differ<'a> {
    subject: &'static str,
    event: &'a str,
    rel: &'a str,
    out: &'a mut Vec<Change>,
    registry: &'a Registry,
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}

fn type_text(node: &Node) -> Option<String> {
    let t = node.get("type")?;
    Some(match &t.value {
        Value::String(s) => s.clone(),
        Value::Seq(items) => items
            .iter()
            .filter_map(Node::as_str)
            .collect::<Vec<_>>()
            .join("|"),
        _ => t.to_json().to_string(),
    })
}

fn enum_values(schema: &Node) -> Vec<String> {
    schema
        .get("enum")
        .and_then(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .map(scalar_text)
        .collect()
}

fn scalar_text(node: &Node) -> String {
    match &node.value {
        Value::String(s) => s.clone(),
        _ => node.to_json().to_string(),
    }
}

impl Differ<'_> {
    fn push(&mut self, kind: ChangeKind, path: &str, pos: Pos) -> &mut Change {
        let c = change(
            self.subject,
            kind,
            self.event,
            path,
            self.registry,
            pos,
            self.rel,
        );
        self.out.push(c);
        self.out.last_mut().expect("just pushed")
    }

    fn description(&mut self, path: &str, old: &Node, new: &Node) {
        let (a, b) = (old.get("description"), new.get("description"));
        if a.and_then(Node::as_str) != b.and_then(Node::as_str) {
            let pos = b.map_or(new.pos, |d| d.pos);
            self.push(ChangeKind::DescriptionChanged, path, pos);
        }
    }

    /// Compares two schemas of the same property (or of the event at `path` "").
    fn schema(&mut self, path: &str, old: &Node, new: &Node) {
        let (ot, nt) = (type_text(old), type_text(new));
        if ot != nt {
            let pos = new.get("type").map_or(new.pos, |t| t.pos);
            let c = self.push(ChangeKind::TypeChanged, path, pos);
            c.old = ot;
            c.new = nt;
        }
        let (of, nf) = (
            old.get("format").map(scalar_text),
            new.get("format").map(scalar_text),
        );
        if of != nf {
            let pos = new.get("format").map_or(new.pos, |f| f.pos);
            let c = self.push(ChangeKind::FormatChanged, path, pos);
            c.old = of;
            c.new = nf;
        }
        self.description(path, old, new);
        let old_values = enum_values(old);
        if let Some(values) = new.get("enum").and_then(Node::as_seq) {
            for v in values {
                let text = scalar_text(v);
                if !old_values.contains(&text) {
                    self.push(ChangeKind::EnumValueAdded, path, v.pos).value = Some(text);
                }
            }
        }
        let new_values = enum_values(new);
        for v in old_values.iter().filter(|v| !new_values.contains(v)) {
            let pos = new.get("enum").map_or(new.pos, |e| e.pos);
            self.push(ChangeKind::EnumValueRemoved, path, pos).value = Some(v.clone());
        }
        self.object(path, old, new);
        if let (Some(oi), Some(ni)) = (old.get("items"), new.get("items")) {
            self.schema(&format!("{path}[]"), oi, ni);
        }
        if let (Some(oa), Some(na)) = (
            old.get("additionalProperties"),
            new.get("additionalProperties"),
        ) {
            if oa.as_map().is_some() && na.as_map().is_some() {
                self.schema(&join(path, "*"), oa, na);
            }
        }
    }

    /// Compares the properties and `required` of two object schemas.
    fn object(&mut self, path: &str, old: &Node, new: &Node) {
        let names = |n: &Node| -> Vec<String> {
            n.get("required")
                .and_then(Node::as_seq)
                .unwrap_or_default()
                .iter()
                .filter_map(Node::as_str)
                .map(str::to_string)
                .collect()
        };
        let (old_required, new_required) = (names(old), names(new));
        let old_props = old
            .get("properties")
            .and_then(Node::as_map)
            .unwrap_or_default();
        let new_props = new
            .get("properties")
            .and_then(Node::as_map)
            .unwrap_or_default();
        for entry in new_props {
            let child = join(path, &entry.key);
            match old_props.iter().find(|o| o.key == entry.key) {
                None => {
                    let c = self.push(ChangeKind::PropertyAdded, &child, entry.key_pos);
                    c.new = type_text(&entry.value);
                }
                Some(o) => {
                    self.schema(&child, &o.value, &entry.value);
                    let (was, is) = (
                        old_required.contains(&entry.key),
                        new_required.contains(&entry.key),
                    );
                    if was != is {
                        let kind = if is {
                            ChangeKind::MadeRequired
                        } else {
                            ChangeKind::MadeOptional
                        };
                        let pos = new
                            .get("required")
                            .and_then(Node::as_seq)
                            .and_then(|r| r.iter().find(|n| n.as_str() == Some(entry.key.as_str())))
                            .map_or(entry.key_pos, |n| n.pos);
                        self.push(kind, &child, pos);
                    }
                }
            }
        }
        for entry in old_props {
            if !new_props.iter().any(|n| n.key == entry.key) {
                let pos = new.get("properties").map_or(new.pos, |p| p.pos);
                self.push(ChangeKind::PropertyRemoved, &join(path, &entry.key), pos);
            }
        }
    }
}
