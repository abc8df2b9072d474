//! `build --as-of X.Y`: the spec as it was at version X.Y, from its annotations alone.
//!
//! Events, properties and enum values added after X.Y are left out of schemas
//! ([`filter_schema`]), operations and parameters out of API documents ([`filter_api`]),
//! and "Changed in" notes after X.Y are dropped; texts are filtered by
//! [`filter_markdown`] (its own module, `as_of_text`). Text is blanked rather than cut, so
//! positions in the file stay right.

use std::collections::{BTreeMap, BTreeSet};

pub use super::as_of_text::filter_markdown;
use super::markers::{inline_added_values, shortcode_versions};
use super::{is_version, later, structured_enum_versions, version_key, ADDED, CHANGED, ENUM_ADDED};
use crate::source::{Node, Value};

/// Whether a schema (an event, a property) exists at `as_of`.
pub fn exists_at(schema: &Node, as_of: &str) -> bool {
    schema
        .get(ADDED)
        .and_then(Node::as_str)
        .is_none_or(|v| !later(v, as_of))
}

/// The schema as it was at `as_of`; `inherited` holds the enum values that descriptions
/// above it mark as added in a version.
pub fn filter_schema(node: &Node, as_of: &str, inherited: &BTreeMap<String, String>) -> Node {
    let Value::Map(entries) = &node.value else {
        return node.clone();
    };
    let mut marked = inherited.clone();
    if let Some(d) = node.get("description").and_then(Node::as_str) {
        marked.extend(inline_added_values(d));
    }
    marked.extend(structured_enum_versions(node));
    let mut removed_properties = BTreeSet::new();
    let mut out = Vec::with_capacity(entries.len());
    for e in entries {
        let mut entry = e.clone();
        match e.key.as_str() {
            "properties" | "patternProperties" => {
                if let Value::Map(props) = &e.value.value {
                    let kept = props
                        .iter()
                        .filter(|p| {
                            let keep = exists_at(&p.value, as_of);
                            if !keep {
                                removed_properties.insert(p.key.clone());
                            }
                            keep
                        })
                        .map(|p| {
                            let mut p = p.clone();
                            p.value = filter_schema(&p.value, as_of, &marked);
                            p
                        })
                        .collect();
                    entry.value.value = Value::Map(kept);
                }
            }
            // Additional properties added later are left out with their row.
            "additionalProperties" if !exists_at(&e.value, as_of) => continue,
            "items" | "additionalProperties" => {
                entry.value = filter_schema(&e.value, as_of, &marked)
            }
            "oneOf" | "anyOf" | "allOf" => {
                if let Value::Seq(items) = &e.value.value {
                    entry.value.value = Value::Seq(
                        items
                            .iter()
                            .filter(|i| exists_at(i, as_of))
                            .map(|i| filter_schema(i, as_of, &marked))
                            .collect(),
                    );
                }
            }
            "enum" => {
                if let Value::Seq(values) = &e.value.value {
                    let kept = values
                        .iter()
                        .filter(|v| {
                            v.as_str()
                                .and_then(|s| marked.get(s))
                                .is_none_or(|added| !later(added, as_of))
                        })
                        .cloned()
                        .collect();
                    entry.value.value = Value::Seq(kept);
                }
            }
            CHANGED | "description" => {
                if let Some(at) = note_at(&e.key, &e.value, as_of) {
                    entry.value = at;
                }
            }
            _ => {}
        }
        out.push(entry);
    }
    if !removed_properties.is_empty() {
        if let Some(required) = out.iter_mut().find(|e| e.key == "required") {
            if let Value::Seq(names) = &mut required.value.value {
                names.retain(|n| n.as_str().is_none_or(|s| !removed_properties.contains(s)));
            }
        }
    }
    Node::new(node.pos, Value::Map(out))
}

/// A `x-changedInMatrixVersion` map or a `description` as it was at `as_of` (later
/// changes dropped, later paragraphs blanked); `None` for any other key or shape.
fn note_at(key: &str, value: &Node, as_of: &str) -> Option<Node> {
    let at = match (key, &value.value) {
        (CHANGED, Value::Map(changes)) => Value::Map(
            changes
                .iter()
                .filter(|c| !later(&c.key, as_of))
                .cloned()
                .collect(),
        ),
        ("description", Value::String(text)) => Value::String(filter_markdown(text, as_of)),
        _ => return None,
    };
    Some(Node::new(value.pos, at))
}

/// An OpenAPI document as it was at `as_of`: operations, parameters and responses added
/// later are left out (a path left with no operation too), every schema is filtered as
/// [`filter_schema`] does and every description as [`filter_markdown`] does.
pub fn filter_api(node: &Node, as_of: &str) -> Node {
    let value = match &node.value {
        Value::Map(entries) => Value::Map(
            entries
                .iter()
                .filter(|e| is_example(&e.key) || exists_at(&e.value, as_of))
                .filter_map(|e| {
                    let mut entry = e.clone();
                    entry.value = match e.key.as_str() {
                        // Data, not annotated definitions.
                        k if is_example(k) => e.value.clone(),
                        "schema" => filter_schema(&e.value, as_of, &BTreeMap::new()),
                        CHANGED | "description" => {
                            note_at(&e.key, &e.value, as_of).unwrap_or_else(|| e.value.clone())
                        }
                        _ => filter_api(&e.value, as_of),
                    };
                    let emptied = matches!(&entry.value.value, Value::Map(m) if m.is_empty())
                        && matches!(&e.value.value, Value::Map(m) if !m.is_empty());
                    (!emptied).then_some(entry)
                })
                .collect(),
        ),
        Value::Seq(items) => Value::Seq(
            items
                .iter()
                .filter(|i| exists_at(i, as_of))
                .map(|i| filter_api(i, as_of))
                .collect(),
        ),
        _ => return node.clone(),
    };
    Node::new(node.pos, value)
}

fn is_example(key: &str) -> bool {
    key == "example" || key == "examples"
}

/// Every version named by an annotation in the documents and texts given: added and
/// changed annotations, structured enum versions, inline markers and shortcodes.
pub fn versions_found<'a>(
    nodes: impl Iterator<Item = &'a Node>,
    texts: impl Iterator<Item = &'a str>,
) -> Vec<String> {
    let mut found = BTreeSet::new();
    fn walk(node: &Node, found: &mut BTreeSet<String>) {
        match &node.value {
            Value::Map(entries) => {
                for e in entries {
                    match e.key.as_str() {
                        ADDED => {
                            if let Some(v) = e.value.as_str() {
                                found.insert(v.to_string());
                            }
                        }
                        CHANGED => {
                            found.extend(
                                e.value
                                    .as_map()
                                    .unwrap_or_default()
                                    .iter()
                                    .map(|c| c.key.clone()),
                            );
                        }
                        ENUM_ADDED => {
                            found.extend(structured_enum_versions(node).into_values());
                        }
                        _ => {}
                    }
                    walk(&e.value, found);
                }
            }
            Value::Seq(items) => items.iter().for_each(|i| walk(i, found)),
            Value::String(s) => scan_text(s, found),
            _ => {}
        }
    }
    for node in nodes {
        walk(node, &mut found);
    }
    for text in texts {
        scan_text(text, &mut found);
    }
    let mut versions: Vec<String> = found.into_iter().filter(|v| is_version(v)).collect();
    versions.sort_by_key(|v| version_key(v));
    versions
}

/// The versions of the inline markers (`[Added in `vX.Y`]`) and version shortcodes of a
/// text.
fn scan_text(text: &str, found: &mut BTreeSet<String>) {
    for prefix in ["[Added in `v", "[Changed in `v"] {
        for part in text.split(prefix).skip(1) {
            if let Some(v) = part.split('`').next() {
                found.insert(v.to_string());
            }
        }
    }
    found.extend(shortcode_versions(text));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{parse, FileId, Syntax};

    #[test]
    fn schemas_lose_later_properties_enum_values_and_changes() {
        let text = "type: object\nrequired: [a, b]\nproperties:\n  a: {type: string, enum: [x, y], x-enumAddedInMatrixVersion: {y: '1.19'}}\n  b: {type: string, x-addedInMatrixVersion: '1.19'}\n  c: {type: string, x-changedInMatrixVersion: {'1.10': later, '1.2': earlier}}\n";
        let node = parse(text, Syntax::Yaml, FileId(0)).unwrap();
        let old = filter_schema(&node, "1.9", &BTreeMap::new()).to_json();
        assert_eq!(old["required"], serde_json::json!(["a"]));
        assert!(old["properties"].get("b").is_none());
        assert_eq!(old["properties"]["a"]["enum"], serde_json::json!(["x"]));
        assert_eq!(
            old["properties"]["c"]["x-changedInMatrixVersion"],
            serde_json::json!({"1.2": "earlier"})
        );
        let later_extra = parse(
            "type: object\nadditionalProperties: {type: string, x-addedInMatrixVersion: '1.19'}\n",
            Syntax::Yaml,
            FileId(0),
        )
        .unwrap();
        let filtered = filter_schema(&later_extra, "1.18", &BTreeMap::new()).to_json();
        assert!(filtered.get("additionalProperties").is_none(), "{filtered}");
        let now = filter_schema(&node, "1.19", &BTreeMap::new()).to_json();
        assert_eq!(
            now["properties"]["a"]["enum"],
            serde_json::json!(["x", "y"])
        );
    }

    #[test]
    fn api_documents_lose_later_operations_parameters_notes_and_properties() {
        let text = r#"
paths:
  /new:
    get: {x-addedInMatrixVersion: "1.19", description: New.}
  /old:
    get:
      description: "Old.\n\n{{% added-in v=\"1.19\" %}} Newer words."
      x-changedInMatrixVersion: {"1.19": Later change., "1.2": Early change.}
      parameters:
        - {name: a, in: query, schema: {type: string}}
        - {name: b, in: query, x-addedInMatrixVersion: "1.19", schema: {type: string}}
      responses:
        "200":
          content:
            application/json:
              schema:
                type: object
                properties:
                  kept: {type: string}
                  later: {type: string, x-addedInMatrixVersion: "1.19"}
              example: {later: "x", x-addedInMatrixVersion: "1.19"}
"#;
        let node = parse(text, Syntax::Yaml, FileId(0)).unwrap();
        let old = filter_api(&node, "1.18").to_json();
        let get = &old["paths"]["/old"]["get"];
        assert!(old["paths"].get("/new").is_none(), "{old:#}");
        assert_eq!(get["description"].as_str().unwrap().trim(), "Old.");
        assert_eq!(
            get["x-changedInMatrixVersion"],
            serde_json::json!({"1.2": "Early change."})
        );
        let names: Vec<&str> = get["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["a"]);
        let body = &get["responses"]["200"]["content"]["application/json"];
        assert!(body["schema"]["properties"].get("later").is_none());
        assert!(body["schema"]["properties"].get("kept").is_some());
        let example = serde_json::json!({"later": "x", "x-addedInMatrixVersion": "1.19"});
        assert_eq!(
            body["example"], example,
            "examples are data, kept as written"
        );
        assert_eq!(filter_api(&node, "1.19").to_json(), node.to_json());
    }

    #[test]
    fn versions_are_collected_in_order() {
        let node = parse(
            "a: {x-addedInMatrixVersion: '1.10', description: '**[Added in `v1.2`]** x'}\n",
            Syntax::Yaml,
            FileId(0),
        )
        .unwrap();
        let found = versions_found(
            std::iter::once(&node),
            std::iter::once("{{% changed-in v=\"1.9\" %}}"),
        );
        assert_eq!(found, vec!["1.2", "1.9", "1.10"]);
    }
}
