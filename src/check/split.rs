//! Schemas that start with `allOf: [{$ref: ...}]` (every event schema: `state_event.yaml`,
//! then `room_event.yaml` ...) are validated part by part: each document they refer to in
//! that `allOf` by its own validator, shared by every schema that refers to it, and their
//! own keywords by another. An instance is valid against `allOf` exactly when it is
//! valid against each part, and the validator reports the errors of each part as they
//! are, so the findings are the same; but the hundred event schemas no longer compile
//! the same core schemas a hundred times.
//!
//! A document is split only where that is exact: at its root, when its root has no
//! `unevaluatedProperties` or `unevaluatedItems` (which see what the `allOf` evaluated),
//! no `$id`, and nothing in it depends on the dynamic scope.

use serde_json::Value;

use crate::schema::{lone_ref, resolve, RefTarget, Registry};
use crate::source::Node;

/// What a split document's own part is registered under, when it refers to anything
/// (one that does not is compiled from its JSON): its URI with this query (a document's
/// own URI escapes `?`, so none can end like this).
pub const OWN_QUERY: &str = "?own";

/// Keywords whose meaning depends on the dynamic scope, which a split would change.
const DYNAMIC: &[&str] = &[
    "$dynamicRef",
    "$dynamicAnchor",
    "$recursiveRef",
    "$recursiveAnchor",
];

/// Keywords of a root that see what its `allOf` evaluated, or that name it.
const SEES_ALL_OF: &[&str] = &["unevaluatedProperties", "unevaluatedItems", "$id"];

/// The own part of the schema document `rel` (`json`, the JSON its validators read,
/// with each lone `$ref` of its root `allOf` replaced by `true`, so every other keyword
/// keeps its path) and where those references lead, when the document can be split:
/// every one of them resolves.
pub fn own_part(
    documents: &Registry,
    rel: &str,
    node: &Node,
    json: &Value,
) -> Option<(Value, Vec<RefTarget>)> {
    let root = node.as_map()?;
    if root.iter().any(|e| SEES_ALL_OF.contains(&e.key.as_str())) || node.has_key_below(DYNAMIC) {
        return None;
    }
    let mut own = json.clone();
    let items = own.get_mut("allOf")?.as_array_mut()?;
    let mut targets = Vec::new();
    for (item, written) in items.iter_mut().zip(node.get("allOf")?.as_seq()?) {
        if let Some(reference) = lone_ref(written) {
            targets.push(resolve(documents, rel, reference).ok()?);
            *item = Value::Bool(true);
        }
    }
    (!targets.is_empty()).then_some((own, targets))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::Project;
    use serde_json::json;

    /// The own part of `text`, written as `data/s/m.a.yaml` beside `core/state.yaml`.
    fn own_part_of(text: &str) -> Option<(Value, Vec<RefTarget>)> {
        let texts = vec![
            (
                "data/s/core/state.yaml".to_string(),
                "type: object\n".to_string(),
            ),
            ("data/s/m.a.yaml".to_string(), text.to_string()),
        ];
        let project = Project::from_texts(std::path::Path::new("/r"), texts);
        let (documents, _) = Registry::new(project);
        let node = &documents.get("data/s/m.a.yaml").expect("parsed").node;
        own_part(&documents, "data/s/m.a.yaml", node, &node.to_json())
    }

    #[test]
    fn the_root_all_of_references_are_taken_out() {
        let text = "allOf:\n  - $ref: core/state.yaml\n  - required: [a]\nproperties: {content: {$ref: '#/definitions/c'}}\n";
        let (own, targets) = own_part_of(text).expect("split");
        assert_eq!(
            targets,
            [RefTarget {
                rel: "data/s/core/state.yaml".to_string(),
                tokens: vec![]
            }]
        );
        assert_eq!(
            own,
            json!({
                "allOf": [true, {"required": ["a"]}],
                "properties": {"content": {"$ref": "#/definitions/c"}},
            })
        );
    }

    #[test]
    fn what_sees_the_all_of_or_the_dynamic_scope_is_not_split() {
        for text in [
            "allOf: [{$ref: core/state.yaml}]\nunevaluatedProperties: false\n",
            "allOf: [{$ref: core/state.yaml}]\n$id: https://example.org/s\n",
            "allOf: [{$ref: core/state.yaml}]\nitems: {$dynamicRef: '#x'}\n",
            "allOf: [{$ref: core/state.yaml, type: object}]\n",
            "allOf: [{$ref: core/missing.yaml}]\n",
            "properties: {allOf: {type: string}}\n",
        ] {
            assert!(own_part_of(text).is_none(), "{text}");
        }
    }
}
