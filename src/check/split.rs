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

/// What a split document's own part is registered under: its URI with this query (a
/// document's own URI escapes `?`, so none can end like this).
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

/// The own part of a schema document (its JSON with each lone `$ref` of its root `allOf`
/// replaced by `true`, so every other keyword keeps its path) and those references, when
/// the document can be split.
pub fn own_part(root: &Value) -> Option<(Value, Vec<String>)> {
    let map = root.as_object()?;
    if SEES_ALL_OF.iter().any(|k| map.contains_key(*k)) || mentions(root, DYNAMIC) {
        return None;
    }
    let mut own = root.clone();
    let items = own.get_mut("allOf")?.as_array_mut()?;
    let mut refs = Vec::new();
    for item in items.iter_mut() {
        if let Some(reference) = lone_ref(item) {
            refs.push(reference.to_string());
            *item = Value::Bool(true);
        }
    }
    (!refs.is_empty()).then_some((own, refs))
}

/// The target of a schema that is only a `$ref`.
fn lone_ref(schema: &Value) -> Option<&str> {
    match schema.as_object() {
        Some(map) if map.len() == 1 => map.get("$ref")?.as_str(),
        _ => None,
    }
}

/// Whether any object in `value` has one of `keys`.
fn mentions(value: &Value, keys: &[&str]) -> bool {
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(map) => {
                if keys.iter().any(|k| map.contains_key(*k)) {
                    return true;
                }
                stack.extend(map.values());
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_root_all_of_references_are_taken_out() {
        let root = json!({
            "allOf": [{"$ref": "core/state_event.yaml"}, {"required": ["a"]}],
            "properties": {"content": {"$ref": "#/definitions/c"}},
        });
        let (own, refs) = own_part(&root).expect("split");
        assert_eq!(refs, ["core/state_event.yaml"]);
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
        for root in [
            json!({"allOf": [{"$ref": "a.yaml"}], "unevaluatedProperties": false}),
            json!({"allOf": [{"$ref": "a.yaml"}], "$id": "https://example.org/s"}),
            json!({"allOf": [{"$ref": "a.yaml"}], "items": {"$dynamicRef": "#x"}}),
            json!({"allOf": [{"$ref": "a.yaml", "type": "object"}]}),
            json!({"properties": {"allOf": {"type": "string"}}}),
        ] {
            assert!(own_part(&root).is_none(), "{root}");
        }
    }
}
