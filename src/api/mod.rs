//! HTTP APIs: the OpenAPI 3.1 documents of `data/api/<spec>/` and their operations.
//!
//! A YAML or JSON file directly in a spec's folder (`data/api/client-server/room_state.yaml`)
//! with a top-level `openapi` key is one API document; `{{% http-api spec="client-server"
//! api="room_state" %}}` names it. `definitions/` beside it holds the schemas its `$ref`s
//! point to and `examples/` the JSON payloads its examples point to. This module lists the
//! documents and their operations; [`lint`] checks their structure, [`sites`] finds the
//! schemas and examples in them, [`expand`] inlines their references and [`publish`]
//! merges each spec's documents into one.

pub mod expand;
pub mod lint;
pub mod objects;
pub mod publish;
pub mod sites;

use crate::schema::{DocKind, Document, Registry, SCHEMA_EXTENSIONS};
use crate::source::{Node, Pos, Value};

/// The folder of the API definitions, relative to the root.
pub const API_DIR: &str = "data/api";

/// The HTTP methods a path item may hold, in the order mxspec shows them: upstream's
/// (GET, POST, PUT, DELETE), then the others.
pub const METHODS: &[&str] = &[
    "get", "post", "put", "delete", "patch", "head", "options", "trace",
];

/// One API document: the spec it belongs to, its name and the document.
#[derive(Clone, Copy, Debug)]
pub struct ApiDoc<'r> {
    /// The spec, the folder under `data/api/` (`client-server`).
    pub spec: &'r str,
    /// The document's name: its file name without extension (`room_state`).
    pub name: &'r str,
    /// The parsed document.
    pub doc: &'r Document,
}

impl<'r> ApiDoc<'r> {
    /// The part glued in front of every path: `servers[0].variables.basePath.default`,
    /// else the path of `servers[0].url`, else nothing.
    pub fn base_path(&self) -> String {
        base_path(&self.doc.node)
    }
}

/// The spec and name of an API document at a root-relative path, if it lies directly in a
/// spec folder.
pub fn spec_and_name(rel: &str) -> Option<(&str, &str)> {
    let rest = rel.strip_prefix(API_DIR)?.strip_prefix('/')?;
    let (spec, file) = rest.split_once('/')?;
    let (name, ext) = file.rsplit_once('.')?;
    (!file.contains('/') && SCHEMA_EXTENSIONS.contains(&ext)).then_some((spec, name))
}

/// Every API document, in path order.
pub fn api_docs(registry: &Registry) -> impl Iterator<Item = ApiDoc<'_>> {
    registry.of_kind(DocKind::OpenApi).filter_map(|doc| {
        let (spec, name) = spec_and_name(&doc.rel)?;
        Some(ApiDoc { spec, name, doc })
    })
}

/// The API document `name` of `spec`.
pub fn find_api<'r>(registry: &'r Registry, spec: &str, name: &str) -> Option<ApiDoc<'r>> {
    api_docs(registry).find(|a| a.spec == spec && a.name == name)
}

/// The specs that have API documents, sorted, once each.
pub fn specs(registry: &Registry) -> Vec<&str> {
    let mut specs: Vec<&str> = api_docs(registry).map(|a| a.spec).collect();
    specs.dedup();
    specs
}

/// The base path of an OpenAPI document (see [`ApiDoc::base_path`]).
pub fn base_path(node: &Node) -> String {
    let server = node
        .get("servers")
        .and_then(Node::as_seq)
        .and_then(|s| s.first());
    let Some(server) = server else {
        return String::new();
    };
    if let Some(default) = server
        .get("variables")
        .and_then(|v| v.get("basePath"))
        .and_then(|b| b.get("default"))
        .and_then(Node::as_str)
    {
        return default.to_string();
    }
    // `https://{host}/_matrix/x`: the path after the authority.
    let url = server.get("url").and_then(Node::as_str).unwrap_or("");
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = if url.contains("://") {
        after_scheme.find('/').map_or("", |i| &after_scheme[i..])
    } else {
        after_scheme
    };
    path.trim_end_matches('/').to_string()
}

/// One operation: a method of a path.
#[derive(Clone, Copy, Debug)]
pub struct Operation<'n> {
    /// The path as written under `paths` (`/rooms/{roomId}/state`).
    pub path: &'n str,
    /// Where that path is written.
    pub path_pos: Pos,
    /// The path item holding it.
    pub path_item: &'n Node,
    /// The method in lower case (`put`).
    pub method: &'static str,
    /// The operation object.
    pub node: &'n Node,
}

impl Operation<'_> {
    /// Its name in the history of the spec: `PUT /_matrix/client/v3/rooms/{roomId}/...`,
    /// under the document's base path.
    pub fn endpoint_name(&self, base_path: &str) -> String {
        format!("{} {base_path}{}", self.method.to_uppercase(), self.path)
    }

    /// Whether the operation is deprecated.
    pub fn deprecated(&self) -> bool {
        matches!(
            self.node.get("deprecated").map(|d| &d.value),
            Some(Value::Bool(true))
        )
    }
}

/// Every operation of an OpenAPI document (`node`, expanded or not), paths sorted by name
/// and methods in [`METHODS`] order, as upstream lists them.
pub fn operations(node: &Node) -> Vec<Operation<'_>> {
    let mut paths: Vec<_> = node
        .get("paths")
        .and_then(Node::as_map)
        .unwrap_or_default()
        .iter()
        .collect();
    paths.sort_by(|a, b| a.key.cmp(&b.key));
    let mut out = Vec::new();
    for entry in paths {
        for method in METHODS {
            if let Some(op) = entry.value.get(method).filter(|o| o.as_map().is_some()) {
                out.push(Operation {
                    path: &entry.key,
                    path_pos: entry.key_pos,
                    path_item: &entry.value,
                    method,
                    node: op,
                });
            }
        }
    }
    out
}

/// The parameters of an operation: the path item's, then the operation's (an operation's
/// parameter replaces the path item's of the same name and place).
pub fn parameters<'n>(op: &Operation<'n>) -> Vec<&'n Node> {
    let list = |n: &'n Node| -> Vec<&'n Node> {
        n.get("parameters")
            .and_then(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .collect()
    };
    let own = list(op.node);
    // (A parameter that does not say its name and place, a `$ref` not expanded, replaces
    // none.)
    let key = |p: &'n Node| {
        p.get("name")
            .and_then(Node::as_str)
            .zip(p.get("in").and_then(Node::as_str))
    };
    let own_keys: Vec<(&str, &str)> = own.iter().filter_map(|o| key(o)).collect();
    let mut out: Vec<&Node> = list(op.path_item)
        .into_iter()
        .filter(|p| key(p).is_none_or(|k| !own_keys.contains(&k)))
        .collect();
    out.extend(own);
    out
}

/// A parameter or a header as the schema that stands for it in tables and comparisons:
/// its `schema`, with its own fields (`description`, `required`, annotations) over it, as
/// upstream's templates merge them.
pub fn as_schema(item: &Node) -> Node {
    let schema = item
        .get("schema")
        .cloned()
        .unwrap_or_else(|| Node::new(item.pos, Value::Map(Vec::new())));
    let own: Vec<crate::source::Entry> = item
        .as_map()
        .unwrap_or_default()
        .iter()
        .filter(|e| e.key != "schema")
        .cloned()
        .collect();
    crate::schema::resolve::merge(schema, Node::new(item.pos, Value::Map(own)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{parse, FileId, Syntax};

    #[test]
    fn an_operation_parameter_replaces_the_path_items_of_the_same_name_and_place() {
        let text = "paths:\n  /t/{a}:\n    parameters:\n      - {name: a, in: path}\n      - {name: q, in: query}\n      - $ref: p.yaml\n    get:\n      parameters:\n        - {name: q, in: query, required: true}\n        - $ref: o.yaml\n";
        let doc = parse(text, Syntax::Yaml, FileId(0)).unwrap();
        let op = operations(&doc).remove(0);
        let names: Vec<String> = parameters(&op)
            .iter()
            .map(|p| match p.get("name") {
                Some(n) => format!(
                    "{}{}",
                    n.as_str().unwrap(),
                    if p.get("required").is_some() { "!" } else { "" }
                ),
                None => p.get("$ref").and_then(Node::as_str).unwrap().to_string(),
            })
            .collect();
        // `q` is the operation's; the two `$ref`s say no name, so neither replaces the other.
        assert_eq!(names, ["a", "p.yaml", "q!", "o.yaml"]);
    }

    #[test]
    fn base_paths() {
        let doc = |t: &str| parse(t, Syntax::Yaml, FileId(0)).unwrap();
        assert_eq!(
            base_path(&doc("servers:\n- url: '{protocol}://{hostname}{basePath}'\n  variables:\n    basePath: {default: /_matrix/client/v3}\n")),
            "/_matrix/client/v3"
        );
        assert_eq!(
            base_path(&doc(
                "servers:\n- url: https://example.org/_matrix/push/v1/\n"
            )),
            "/_matrix/push/v1"
        );
        assert_eq!(base_path(&doc("openapi: 3.1.0\n")), "");
    }

    #[test]
    fn operations_sorted_and_parameters_merged() {
        let node = parse(
            "paths:\n  /b:\n    put: {}\n    get: {}\n  /a/{x}:\n    parameters: [{name: x, in: path}, {name: q, in: query}]\n    post:\n      parameters: [{name: q, in: query, description: own}]\n",
            Syntax::Yaml,
            FileId(0),
        )
        .unwrap();
        let ops = operations(&node);
        let seen: Vec<_> = ops.iter().map(|o| (o.method, o.path)).collect();
        assert_eq!(seen, vec![("post", "/a/{x}"), ("get", "/b"), ("put", "/b")]);
        let params = parameters(&ops[0]);
        assert_eq!(params.len(), 2);
        assert_eq!(
            params[1].get("description").and_then(Node::as_str),
            Some("own")
        );
    }
}
