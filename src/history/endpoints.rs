//! Endpoints for comparison: each operation of the API documents, by `METHOD /full/path`,
//! as a schema whose properties are its parameters by place (`path`, `query`, `header`),
//! its JSON request body (`request`) and its JSON response bodies (`response 200`, ...),
//! so that [`super::diff`] and `check --since` apply the rules of events to it.

use std::collections::BTreeMap;

use crate::api::expand::expand_api;
use crate::schema::Registry;
use crate::source::{Entry, Node, Pos, Value};
use crate::version::{ADDED, CHANGED};

/// An event's or an endpoint's name to its file and its resolved schema.
pub type ResolvedEvents = BTreeMap<String, (String, Node)>;

/// Every endpoint of the API documents (expanded or not) by name, with its file: the
/// one listing of endpoints, so that one whose document cannot be expanded is left out
/// of comparisons rather than reported removed.
pub fn endpoint_files(registry: &Registry) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for api in crate::api::api_docs(registry) {
        let base = api.base_path();
        for op in crate::api::operations(&api.doc.node) {
            out.insert(op.endpoint_name(&base), api.doc.rel.clone());
        }
    }
    out
}

/// Endpoint (`PUT /_matrix/client/v3/...`) to its file and the schema that stands for it
/// (see the module's header); and, by file, the API documents that could not be expanded.
pub fn endpoints(registry: &Registry) -> (ResolvedEvents, Vec<(String, String)>) {
    let mut resolved = BTreeMap::new();
    let mut broken = Vec::new();
    for api in crate::api::api_docs(registry) {
        let rel = &api.doc.rel;
        let expanded = match expand_api(registry, rel, &api.doc.node, true) {
            Ok(e) => e,
            Err(e) => {
                broken.push((rel.clone(), e.to_string()));
                continue;
            }
        };
        let base = api.base_path();
        for op in crate::api::operations(&expanded.node) {
            resolved.insert(op.endpoint_name(&base), (rel.clone(), endpoint_schema(&op)));
        }
    }
    (resolved, broken)
}

/// The schema that stands for an operation in comparisons.
fn endpoint_schema(op: &crate::api::Operation) -> Node {
    let pos = op.node.pos;
    let node = |value: Value| Node::new(pos, value);
    let entry = |key: &str, value: Node, key_pos: Pos| Entry {
        key: key.to_string(),
        key_pos,
        value,
    };
    let mut properties = Vec::new();
    let parameters = crate::api::parameters(op);
    for place in ["path", "query", "header"] {
        let mut fields = Vec::new();
        let mut required = Vec::new();
        for p in parameters
            .iter()
            .filter(|p| p.get("in").and_then(Node::as_str) == Some(place))
        {
            let Some(name) = p.get("name").and_then(Node::as_str) else {
                continue;
            };
            let merged = crate::api::as_schema(p);
            if matches!(p.get("required").map(|r| &r.value), Some(Value::Bool(true))) {
                required.push(node(Value::String(name.to_string())));
            }
            fields.push(entry(name, merged, p.pos));
        }
        // Every place, even one with no parameter: the first parameter of a place is then
        // new on its own (annotated where it is written), not a new group of parameters
        // with nowhere to write its annotation.
        let object = node(Value::Map(vec![
            entry("type", node(Value::String("object".into())), pos),
            entry("properties", node(Value::Map(fields)), pos),
            entry("required", node(Value::Seq(required)), pos),
        ]));
        properties.push(entry(place, object, pos));
    }
    let json_schema = |n: &Node| {
        n.get("content")?
            .get("application/json")?
            .get("schema")
            .cloned()
    };
    if let Some(body) = op.node.get("requestBody") {
        if let Some(schema) = json_schema(body) {
            properties.push(entry("request", schema, body.pos));
        }
    }
    for r in op
        .node
        .get("responses")
        .and_then(Node::as_map)
        .unwrap_or_default()
    {
        if let Some(schema) = json_schema(&r.value) {
            properties.push(entry(&format!("response {}", r.key), schema, r.key_pos));
        }
    }
    let mut root: Vec<Entry> = op
        .node
        .as_map()
        .unwrap_or_default()
        .iter()
        .filter(|e| ["description", ADDED, CHANGED, "deprecated"].contains(&e.key.as_str()))
        .cloned()
        .collect();
    root.push(entry("type", node(Value::String("object".into())), pos));
    root.push(entry("properties", node(Value::Map(properties)), pos));
    node(Value::Map(root))
}
