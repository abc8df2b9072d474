//! Every schema document, and every schema of an API document, against the JSON Schema
//! draft 2020-12 metaschema.

use crate::diagnostics::{Code, Diagnostic};
use crate::schema::Document;
use crate::schema::Registry;
use crate::source::{pointer_tokens, Node};

/// Checks one schema document against the draft 2020-12 metaschema.
pub fn check(doc: &Document, registry: &Registry) -> Vec<Diagnostic> {
    check_node(&doc.node, registry)
}

/// Checks one schema (a document, or a schema inside an API document).
pub fn check_node(node: &Node, registry: &Registry) -> Vec<Diagnostic> {
    let json = node.to_json();
    let meta = jsonschema::draft202012::meta::validator();
    // Most schemas are valid: the fast path says so without collecting errors.
    if meta.is_valid(&json) {
        return Vec::new();
    }
    meta.iter_errors(&json)
        .map(|err| {
            let instance_path = err.instance_path().as_str().to_string();
            let pos = node.locate(&pointer_tokens(&instance_path));
            let message = format!("not a valid draft 2020-12 schema: {}", err.masked());
            Diagnostic::error(Code::SchemaInvalid, registry.sources(), pos, message)
                .with_paths(instance_path, err.schema_path().as_str().to_string())
        })
        .collect()
}
