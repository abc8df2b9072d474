//! What an API document holds for the checker: its schemas (the `schema` of parameters,
//! headers and media types, and `components.schemas`) and its examples (the `example` and
//! `examples` of parameters and media types), each with the JSON pointer of the schema
//! it must match.

use crate::schema::Document;
use crate::source::Node;

/// A schema written in an API document.
#[derive(Debug)]
pub struct SchemaSite<'d> {
    /// Pointer tokens of the schema in its document.
    pub tokens: Vec<String>,
    /// The schema.
    pub node: &'d Node,
}

/// An example written in an API document.
#[derive(Debug)]
pub struct ExampleSite<'d> {
    /// Pointer tokens of the schema it must match, in the same document.
    pub schema: Vec<String>,
    /// The example value as written (its `$ref`s not merged yet).
    pub value: &'d Node,
    /// What it is, for messages: `example`, or `examples.response`.
    pub label: String,
}

/// The schemas and examples of one API document.
#[derive(Debug, Default)]
pub struct Sites<'d> {
    /// Every schema, in document order.
    pub schemas: Vec<SchemaSite<'d>>,
    /// Every example that has a schema beside it, in document order.
    pub examples: Vec<ExampleSite<'d>>,
}

/// Finds the schemas and examples of an API document (references are not followed: a
/// parameter or response kept in another file is checked there).
pub fn sites(doc: &Document) -> Sites<'_> {
    let mut found = Sites::default();
    let mut path = Vec::new();
    walk(&doc.node, &mut path, &mut found);
    found
}

fn walk<'d>(node: &'d Node, path: &mut Vec<String>, found: &mut Sites<'d>) {
    if let Some(items) = node.as_seq() {
        for (i, item) in items.iter().enumerate() {
            path.push(i.to_string());
            walk(item, path, found);
            path.pop();
        }
        return;
    }
    let Some(entries) = node.as_map() else {
        return;
    };
    let schema = node.get("schema").map(|s| {
        let mut tokens = path.clone();
        tokens.push("schema".to_string());
        found.schemas.push(SchemaSite {
            tokens: tokens.clone(),
            node: s,
        });
        tokens
    });
    if let Some(schema) = &schema {
        if let Some(value) = node.get("example") {
            found.examples.push(ExampleSite {
                schema: schema.clone(),
                value,
                label: "example".to_string(),
            });
        }
        for e in node
            .get("examples")
            .and_then(Node::as_map)
            .unwrap_or_default()
        {
            if let Some(value) = e.value.get("value") {
                found.examples.push(ExampleSite {
                    schema: schema.clone(),
                    value,
                    label: format!("examples.{}", e.key),
                });
            }
        }
    }
    for e in entries {
        match e.key.as_str() {
            "schema" | "example" | "examples" | "$ref" => {}
            "schemas" if path.last().is_some_and(|p| p == "components") => {
                for s in e.value.as_map().unwrap_or_default() {
                    let mut tokens = path.clone();
                    tokens.extend(["schemas".to_string(), s.key.clone()]);
                    found.schemas.push(SchemaSite {
                        tokens,
                        node: &s.value,
                    });
                }
            }
            key if key.starts_with("x-") => {}
            key => {
                path.push(key.to_string());
                walk(&e.value, path, found);
                path.pop();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{parse, FileId, Syntax};

    #[test]
    fn finds_schemas_and_their_examples() {
        let text = "openapi: 3.1.0\npaths:\n  /a/{x}:\n    get:\n      parameters:\n        - {name: x, in: path, required: true, example: '1', schema: {type: string}}\n      responses:\n        '200':\n          content:\n            application/json:\n              schema: {type: object}\n              examples:\n                response: {value: {a: 1}}\ncomponents:\n  schemas:\n    Thing: {type: integer}\n";
        let doc = Document {
            file: FileId(0),
            rel: "data/api/x/a.yaml".into(),
            kind: crate::schema::DocKind::OpenApi,
            node: parse(text, Syntax::Yaml, FileId(0)).unwrap(),
        };
        let found = sites(&doc);
        let schemas: Vec<String> = found.schemas.iter().map(|s| s.tokens.join("/")).collect();
        assert_eq!(
            schemas,
            vec![
                "paths//a/{x}/get/parameters/0/schema",
                "paths//a/{x}/get/responses/200/content/application/json/schema",
                "components/schemas/Thing"
            ]
        );
        let labels: Vec<&str> = found.examples.iter().map(|e| e.label.as_str()).collect();
        assert_eq!(labels, vec!["example", "examples.response"]);
        assert_eq!(found.examples[1].schema.len(), 8);
    }
}
