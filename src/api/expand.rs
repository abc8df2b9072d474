//! An API document with its references inlined, for rendering and publishing: schemas are
//! expanded as event schemas are (every `$ref` inlined; `allOf` merged when rendering),
//! example values are merged as example files are (a `$ref` into `examples/*.json` stands
//! for that file's value, sibling keys over it), and any other `$ref` (a parameter, a
//! response, a path item) is replaced by its target, its sibling keys over it, as
//! upstream's `dump-openapi.py` does. Merged nodes keep the position of the file that
//! wrote them.

use crate::examples::{merge_schema_examples, merge_value};
use crate::schema::refs::RefTrail;
use crate::schema::resolve::{expand_with, ResolveError};
use crate::schema::Registry;
use crate::source::{Entry, Node, Value};

/// An expanded API document and the files it was made from.
#[derive(Debug)]
pub struct Expanded {
    /// The document with every reference inlined.
    pub node: Node,
    /// Root-relative paths of every file a reference led to, sorted, once each.
    pub files: Vec<String>,
}

/// Where a node stands in the OpenAPI object model, as far as expansion cares.
#[derive(Clone, Copy, PartialEq)]
enum Place {
    /// An OpenAPI object (or a map or list of them).
    Object,
    /// The `examples` map of a parameter or media type: Example Objects by name.
    ExampleMap,
    /// `components.schemas`: schemas by name.
    SchemaMap,
}

struct Expander<'r> {
    registry: &'r Registry,
    trail: RefTrail,
    merge_all_of: bool,
    files: Vec<String>,
}

/// Expands the API document `node`, written in `rel`.
pub fn expand_api(
    registry: &Registry,
    rel: &str,
    node: &Node,
    merge_all_of: bool,
) -> Result<Expanded, ResolveError> {
    let mut expander = Expander {
        registry,
        trail: RefTrail::default(),
        merge_all_of,
        files: Vec::new(),
    };
    let node = expander.walk(rel, node, Place::Object)?;
    let mut files = expander.trail.into_followed();
    files.extend(expander.files);
    files.sort();
    files.dedup();
    Ok(Expanded { node, files })
}

impl Expander<'_> {
    fn walk(&mut self, rel: &str, node: &Node, place: Place) -> Result<Node, ResolveError> {
        match &node.value {
            Value::Map(entries) => {
                let mut out: Vec<Entry> = Vec::with_capacity(entries.len());
                let mut merged_base = false;
                if let Some(reference) = node.get("$ref").and_then(Node::as_str) {
                    let (target, target_node) = self.trail.enter(self.registry, rel, reference)?;
                    let base = self.walk(&target.rel.clone(), target_node, place);
                    self.trail.leave();
                    match base?.value {
                        Value::Map(base) => {
                            out = base;
                            merged_base = true;
                        }
                        other if entries.len() == 1 => return Ok(Node::new(node.pos, other)),
                        _ => {}
                    }
                }
                for e in entries.iter().filter(|e| e.key != "$ref") {
                    let value = self.child(rel, &e.key, &e.value, place)?;
                    let entry = Entry {
                        key: e.key.clone(),
                        key_pos: e.key_pos,
                        value,
                    };
                    // Keys are unique in a mapping: only a merged base can hold one already.
                    let slot = if merged_base {
                        out.iter_mut().find(|o| o.key == e.key)
                    } else {
                        None
                    };
                    match slot {
                        Some(slot) => *slot = entry,
                        None => out.push(entry),
                    }
                }
                Ok(Node::new(node.pos, Value::Map(out)))
            }
            Value::Seq(items) => {
                let items = items
                    .iter()
                    .map(|i| self.walk(rel, i, place))
                    .collect::<Result<_, _>>()?;
                Ok(Node::new(node.pos, Value::Seq(items)))
            }
            _ => Ok(node.clone()),
        }
    }

    fn child(
        &mut self,
        rel: &str,
        key: &str,
        value: &Node,
        place: Place,
    ) -> Result<Node, ResolveError> {
        match (place, key) {
            (Place::SchemaMap, _) | (Place::Object, "schema") => {
                let mut schema = expand_with(
                    self.registry,
                    rel,
                    value,
                    &mut self.trail,
                    self.merge_all_of,
                )?;
                merge_schema_examples(self.registry, &mut schema);
                Ok(schema)
            }
            (Place::ExampleMap, _) => self.walk(rel, value, Place::Object),
            (Place::Object, "example") | (Place::Object, "value") => Ok(self.example(rel, value)),
            (Place::Object, "examples") => self.walk(rel, value, Place::ExampleMap),
            (Place::Object, "schemas") => self.walk(rel, value, Place::SchemaMap),
            _ => self.walk(rel, value, Place::Object),
        }
    }

    fn example(&mut self, rel: &str, value: &Node) -> Node {
        let merged = merge_value(self.registry, rel, value);
        self.files.extend(merged.files);
        merged.node
    }
}
