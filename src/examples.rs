//! Example events: discovery, pairing with their schemas, and `$ref` merging.
//!
//! `examples/NAME.yaml` and `examples/NAME$variant.yaml` are examples of
//! `schema/NAME$variant.yaml` when it exists, else of `schema/NAME.yaml`. An object with a
//! `$ref` (at any depth) stands for the referenced object with its own keys replacing the
//! referenced object's top-level keys, as upstream's tools do. Merged nodes keep the
//! position of the file that wrote them, so a bad inherited value points into the base.

use crate::diagnostics::{Code, Diagnostic, Severity};
use crate::schema::refs::{FollowError, RefTrail};
use crate::schema::registry::is_event_example;
use crate::schema::{DocKind, RefTarget, Registry, EVENT_SCHEMA_DIR};
use crate::source::{Entry, Node, Value};

/// One example event, paired and merged.
#[derive(Debug)]
pub struct Example {
    /// Root-relative path of the example file.
    pub rel: String,
    /// The file name without extension: `m.room_key.withheld$no_olm`.
    pub name: String,
    /// Root-relative path of the schema it validates against.
    pub schema: String,
    /// The example with every `$ref` merged.
    pub merged: Node,
    /// Root-relative paths of every file merged into it (itself and its `$ref`s).
    pub files: Vec<String>,
    /// JSON pointers of the places whose base could not be merged (a `$ref` that cannot
    /// be followed): the example is checked without it, and nothing at or below these
    /// places is reported, since the base would have given it.
    pub holes: Vec<String>,
}

/// The state of merging one example: the `$ref` walker, where the merge stands, the
/// places left without their base and the problems found.
#[derive(Default)]
struct Merge {
    trail: RefTrail,
    path: Vec<String>,
    holes: Vec<String>,
    problems: Vec<Diagnostic>,
}

/// The examples of a registry, and the problems found pairing and merging them.
#[derive(Debug, Default)]
pub struct Examples {
    /// Examples that paired with a schema and merged cleanly.
    pub examples: Vec<Example>,
    /// Problems found.
    pub diagnostics: Vec<Diagnostic>,
    /// Examples whose schema file is there but could not be read or parsed: schema file,
    /// then the examples (its own error says so).
    pub unreadable_schema: Vec<(String, String)>,
}

/// Finds, pairs and merges every example of the registry.
pub fn discover(registry: &Registry) -> Examples {
    let mut out = Examples::default();
    // A schema whose example file is there but cannot be read or parsed has an example
    // all the same (that file's own error says what is wrong with it).
    let mut paired: Vec<String> = registry
        .data_file_list()
        .iter()
        .filter(|rel| registry.get(rel).is_none() && is_event_example(rel))
        .filter_map(|rel| schema_for(registry, &example_name(rel)))
        .collect();
    for doc in registry.of_kind(DocKind::Example) {
        let name = example_name(&doc.rel);
        let Some(schema) = schema_for(registry, &name) else {
            let base = name.split('$').next().unwrap_or(&name);
            // The schema is there, but does not parse: its own error names this example.
            let unread = registry
                .event_files()
                .find(|(n, _)| *n == name || *n == base)
                .map(|(_, rel)| rel.to_string());
            if let Some(schema) = unread {
                out.unreadable_schema.push((schema, doc.rel.clone()));
                continue;
            }
            out.diagnostics.push(Diagnostic::in_file(
                Severity::Error,
                Code::ExampleNoSchema,
                doc.rel.clone(),
                0,
                0,
                if base == name {
                    format!("no schema for this example: expected {EVENT_SCHEMA_DIR}/{name}.yaml")
                } else {
                    format!("no schema for this example: expected {EVENT_SCHEMA_DIR}/{name}.yaml or {EVENT_SCHEMA_DIR}/{base}.yaml")
                },
            ));
            continue;
        };
        paired.push(schema.clone());
        let merged = merge_value(registry, &doc.rel, &doc.node);
        // The example's own file says nothing of a problem in a base it inherits from:
        // then the example says it was checked without that base.
        let inherited = merged
            .problems
            .iter()
            .any(|d| d.file != doc.rel || d.code == Code::RefUnreadable);
        // A base that cannot be read is reported once, as its own problem.
        out.diagnostics.extend(
            merged
                .problems
                .into_iter()
                .filter(|d| d.code != Code::RefUnreadable),
        );
        if inherited {
            out.diagnostics.push(Diagnostic::in_file(
                Severity::Warning,
                Code::ExamplePartial,
                doc.rel.clone(),
                0,
                0,
                format!(
                    "checked without the base at {} (its `$ref` cannot be merged; see that error): what the base would give is not checked",
                    merged.holes.iter().map(|h| if h.is_empty() { "the top" } else { h.as_str() }).collect::<Vec<_>>().join(", ")
                ),
            ));
        }
        let mut files = merged.files;
        files.push(doc.rel.clone());
        files.sort();
        files.dedup();
        out.examples.push(Example {
            rel: doc.rel.clone(),
            name,
            schema,
            merged: merged.node,
            files,
            holes: merged.holes,
        });
    }
    out.diagnostics
        .extend(schemas_without_examples(registry, &paired));
    // `NAME` before `NAME$variant` (file names sort `$` before `.`).
    out.examples.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// The name of the example in the file at `rel` (`NAME$variant` of `.../NAME$variant.yaml`).
fn example_name(rel: &str) -> String {
    let file_name = rel.rsplit('/').next().unwrap_or(rel);
    file_name
        .rsplit_once('.')
        .map_or(file_name, |(n, _)| n)
        .to_string()
}

/// The schema an example named `name` validates against, if there is one.
pub fn schema_for(registry: &Registry, name: &str) -> Option<String> {
    let base = name.split('$').next().unwrap_or(name);
    [name, base]
        .iter()
        .find_map(|n| registry.find_schema(EVENT_SCHEMA_DIR, n))
        .map(|d| d.rel.clone())
}

/// The names of the examples of an event: `NAME` and `NAME$*`, in file order.
pub fn examples_of<'e>(
    examples: &'e [Example],
    event: &'e str,
) -> impl Iterator<Item = &'e Example> {
    examples.iter().filter(move |e| {
        e.name == event
            || e.name
                .strip_prefix(event)
                .is_some_and(|rest| rest.starts_with('$'))
    })
}

fn schemas_without_examples(registry: &Registry, paired: &[String]) -> Vec<Diagnostic> {
    registry
        .event_schemas()
        .filter(|(_, d)| !paired.contains(&d.rel))
        .map(|(_, d)| {
            Diagnostic::in_file(
                Severity::Warning,
                Code::SchemaNoExample,
                d.rel.clone(),
                0,
                0,
                "this event schema has no example in data/event-schemas/examples/",
            )
        })
        .collect()
}

/// A value (an API example, say) with every `$ref` below it merged, as example files are.
#[derive(Debug)]
pub struct MergedValue {
    /// The merged value; each node keeps the position of the file that wrote it.
    pub node: Node,
    /// How many nodes its `$ref`s copied in.
    pub copied: usize,
    /// Root-relative paths of the files merged in, sorted, once each.
    pub files: Vec<String>,
    /// JSON pointers of the places whose `$ref` could not be merged.
    pub holes: Vec<String>,
    /// Why those could not be merged.
    pub problems: Vec<Diagnostic>,
}

/// Merges every `$ref` below `node`, a value written in the document `rel`.
pub fn merge_value(registry: &Registry, rel: &str, node: &Node) -> MergedValue {
    let mut state = Merge::default();
    let merged = merge(registry, rel, node, &mut state);
    MergedValue {
        node: merged,
        copied: state.trail.copied(),
        files: state.trail.into_followed(),
        holes: state.holes,
        problems: state.problems,
    }
}

/// Merges the `$ref`s of every `example` and `examples[]` inside an expanded schema, each
/// relative to the file its value was written in (nodes remember it), so that the
/// examples a page or a published definition shows are whole.
pub fn merge_schema_examples(registry: &Registry, node: &mut Node) {
    let Value::Map(entries) = &mut node.value else {
        if let Value::Seq(items) = &mut node.value {
            items
                .iter_mut()
                .for_each(|i| merge_schema_examples(registry, i));
        }
        return;
    };
    for e in entries.iter_mut() {
        match e.key.as_str() {
            "example" => merge_in_place(registry, &mut e.value),
            "examples" => match &mut e.value.value {
                Value::Seq(items) => items.iter_mut().for_each(|i| merge_in_place(registry, i)),
                _ => merge_schema_examples(registry, &mut e.value),
            },
            "enum" | "const" | "default" => {}
            _ => merge_schema_examples(registry, &mut e.value),
        }
    }
}

fn merge_in_place(registry: &Registry, value: &mut Node) {
    if value.has_key_below(&["$ref"]) {
        let rel = registry.sources().rel(value.pos.file).to_string();
        *value = merge_value(registry, &rel, value).node;
    }
}

/// Merges every `$ref` below `node`, written in `doc`. A `$ref` that cannot be merged
/// is a problem, and the place it stands in is left without its base (a hole).
fn merge(registry: &Registry, doc: &str, node: &Node, state: &mut Merge) -> Node {
    match &node.value {
        Value::Map(entries) => {
            let mut merged: Vec<Entry> = Vec::with_capacity(entries.len());
            if let Some(reference) = node.entry("$ref") {
                match merge_base(registry, doc, reference, state) {
                    Ok(base) => match base.value {
                        Value::Map(base_entries) => merged = base_entries,
                        // A lone `$ref` stands for whatever it points to, list or scalar.
                        _ if entries.len() == 1 => return base,
                        _ => {
                            state.problems.push(Diagnostic::error(
                                Code::ExampleRef,
                                registry.sources(),
                                reference.value.pos,
                                "this `$ref` has sibling keys, so it must point to an object to merge them into",
                            ));
                            state.holes.push(pointer(&state.path));
                        }
                    },
                    Err(problem) => {
                        state.problems.push(*problem);
                        state.holes.push(pointer(&state.path));
                    }
                }
            }
            for e in entries.iter().filter(|e| e.key != "$ref") {
                state.path.push(e.key.clone());
                let value = merge(registry, doc, &e.value, state);
                state.path.pop();
                let entry = Entry {
                    key: e.key.clone(),
                    key_pos: e.key_pos,
                    value,
                };
                match merged.iter_mut().find(|m| m.key == e.key) {
                    Some(slot) => *slot = entry,
                    None => merged.push(entry),
                }
            }
            all_of_merged(Node::new(node.pos, Value::Map(merged)))
        }
        Value::Seq(items) => {
            let mut merged = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                state.path.push(i.to_string());
                merged.push(merge(registry, doc, item, state));
                state.path.pop();
            }
            Node::new(node.pos, Value::Seq(merged))
        }
        _ => node.clone(),
    }
}

/// An example object written as `allOf: [parts]` plus keys of its own (as upstream's
/// `pdu_v11.json` is) stands for its parts merged in order, deeply, then its own keys
/// over them, as upstream's `resolve-allof` renders it. Anything else is left as it is.
fn all_of_merged(node: Node) -> Node {
    let Value::Map(entries) = &node.value else {
        return node;
    };
    let parts_are_objects = entries.iter().any(|e| {
        e.key == "allOf"
            && e.value
                .as_seq()
                .is_some_and(|items| items.iter().all(|i| i.as_map().is_some()))
    });
    if !parts_are_objects {
        return node;
    }
    let pos = node.pos;
    let Value::Map(entries) = node.value else {
        unreachable!("matched a map above")
    };
    let mut own = Vec::new();
    let mut merged: Option<Node> = None;
    for e in entries {
        match (e.key.as_str(), e.value.value) {
            ("allOf", Value::Seq(parts)) => {
                for part in parts {
                    merged = Some(match merged {
                        Some(base) => crate::schema::resolve::merge(base, part),
                        None => part,
                    });
                }
            }
            (_, value) => own.push(Entry {
                value: Node::new(e.value.pos, value),
                ..e
            }),
        }
    }
    let own = Node::new(pos, Value::Map(own));
    match merged {
        Some(base) => {
            let mut node = crate::schema::resolve::merge(base, own);
            node.pos = pos;
            node
        }
        None => own,
    }
}

/// The JSON pointer of a path of tokens.
fn pointer(path: &[String]) -> String {
    path.iter()
        .map(|t| format!("/{}", crate::source::escape_token(t)))
        .collect()
}

fn merge_base(
    registry: &Registry,
    doc: &str,
    reference: &Entry,
    state: &mut Merge,
) -> Result<Node, Box<Diagnostic>> {
    let sources = registry.sources();
    let at = reference.value.pos;
    let Some(text) = reference.value.as_str() else {
        return Err(Box::new(Diagnostic::error(
            Code::ExampleRef,
            sources,
            at,
            "`$ref` must be a string",
        )));
    };
    let (target, base_node) = state.trail.enter(registry, doc, text).map_err(|e| {
        Box::new(match e {
            FollowError::Ref(e) => Diagnostic::error(e.code(), sources, at, e.to_string()),
            FollowError::Budget(message) => {
                Diagnostic::error(Code::RefBudget, sources, at, message)
            }
            FollowError::Cycle(chain, target) => {
                let chain: Vec<String> = chain.iter().map(RefTarget::display).collect();
                Diagnostic::error(
                    Code::RefCycle,
                    sources,
                    at,
                    format!(
                        "reference cycle: {} -> {}",
                        chain.join(" -> "),
                        target.display()
                    ),
                )
            }
        })
    })?;
    // The base stands where the `$ref` is: its places, and its holes, are the example's.
    let base = merge(registry, &target.rel, base_node, state);
    state.trail.leave();
    Ok(base)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{parse, FileId, Syntax};

    fn json(text: &str) -> Node {
        parse(text, Syntax::Json, FileId(0)).unwrap()
    }

    #[test]
    fn an_example_of_all_of_parts_is_the_parts_merged_then_its_own_keys() {
        let example =
            json(r#"{"allOf": [{"a": 1, "m": {"x": 1}}, {"b": 2, "m": {"y": 2}}], "a": 3}"#);
        assert_eq!(
            all_of_merged(example).to_json(),
            serde_json::json!({"a": 3, "m": {"x": 1, "y": 2}, "b": 2})
        );
        // `allOf` that is not a list of objects is data, kept as it is.
        let data = json(r#"{"allOf": "a string", "b": 1}"#);
        assert_eq!(
            all_of_merged(data).to_json(),
            serde_json::json!({"allOf": "a string", "b": 1})
        );
    }
}
