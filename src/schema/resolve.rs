//! Full expansion of a schema for rendering: every `$ref` inlined and every `allOf`
//! merged, as upstream's templates do.
//!
//! `allOf` entries merge in order (a later entry overrides an earlier one) and the
//! schema's own keys override them all; `required` is the union; maps merge deeply; lists
//! are replaced. A `$ref`'s sibling keys override the referenced schema the same way.
//! Merged nodes keep the position of the node that won.

use super::refs::{FollowError, RefTrail};
use super::registry::Registry;
use super::walk::INSTANCE_KEYWORDS;
use crate::source::{Entry, Node, Value};

/// Why a schema cannot be expanded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResolveError {
    /// A `$ref` cannot be followed.
    #[error(transparent)]
    Ref(#[from] super::refs::RefError),
    /// A `$ref` leads back to itself.
    #[error("reference cycle through {0}")]
    Cycle(String),
    /// The references fan out past the expansion budget.
    #[error("{0}")]
    Budget(String),
}

impl ResolveError {
    /// The stable diagnostic code of this error.
    pub fn code(&self) -> crate::diagnostics::Code {
        match self {
            ResolveError::Ref(e) => e.code(),
            ResolveError::Cycle(_) => crate::diagnostics::Code::RefCycle,
            ResolveError::Budget(_) => crate::diagnostics::Code::RefBudget,
        }
    }
}

impl From<FollowError> for ResolveError {
    fn from(e: FollowError) -> Self {
        match e {
            FollowError::Ref(e) => ResolveError::Ref(e),
            FollowError::Cycle(_, target) => ResolveError::Cycle(target.display()),
            FollowError::Budget(message) => ResolveError::Budget(message),
        }
    }
}

/// Expands the schema `node`, written in the document `rel`.
pub fn expand(registry: &Registry, rel: &str, node: &Node) -> Result<Node, ResolveError> {
    expand_with(registry, rel, node, &mut RefTrail::default(), true)
}

/// Expands like [`expand`] and adds every document a `$ref` led to to `visited`.
pub fn expand_tracked(
    registry: &Registry,
    rel: &str,
    node: &Node,
    visited: &mut Vec<String>,
) -> Result<Node, ResolveError> {
    let mut trail = RefTrail::default();
    let expanded = expand_with(registry, rel, node, &mut trail, true);
    visited.extend(trail.into_followed());
    visited.sort();
    visited.dedup();
    expanded
}

/// Expands the schema `node`, written in `rel`, following references through `trail`:
/// with `merge_all_of`, `allOf` is merged as for rendering; without, only the references
/// are inlined and `allOf` stays (as upstream's published OpenAPI definitions have it).
pub fn expand_with(
    registry: &Registry,
    rel: &str,
    node: &Node,
    trail: &mut RefTrail,
    merge_all_of: bool,
) -> Result<Node, ResolveError> {
    match &node.value {
        Value::Map(entries) => {
            let mut own = Vec::with_capacity(entries.len());
            for e in entries {
                if e.key == "$ref" || (e.key == "allOf" && merge_all_of) {
                    continue;
                }
                let value = if INSTANCE_KEYWORDS.contains(&e.key.as_str()) {
                    e.value.clone()
                } else {
                    expand_with(registry, rel, &e.value, trail, merge_all_of)?
                };
                own.push(Entry {
                    key: e.key.clone(),
                    key_pos: e.key_pos,
                    value,
                });
            }
            let own = Node::new(node.pos, Value::Map(own));
            let mut base: Option<Node> = None;
            if let Some(reference) = node.get("$ref").and_then(Node::as_str) {
                let (target, target_node) = trail.enter(registry, rel, reference)?;
                let expanded = expand_with(registry, &target.rel, target_node, trail, merge_all_of);
                trail.leave();
                base = Some(expanded?);
            }
            let all_of = node
                .get("allOf")
                .and_then(Node::as_seq)
                .filter(|_| merge_all_of);
            if let Some(all_of) = all_of {
                for item in all_of {
                    let expanded = expand_with(registry, rel, item, trail, true)?;
                    base = Some(match base {
                        Some(b) => merge(b, expanded),
                        None => expanded,
                    });
                }
            }
            Ok(match base {
                Some(b) => merge(b, own),
                None => own,
            })
        }
        Value::Seq(items) => {
            let items = items
                .iter()
                .map(|i| expand_with(registry, rel, i, trail, merge_all_of))
                .collect::<Result<_, _>>()?;
            Ok(Node::new(node.pos, Value::Seq(items)))
        }
        _ => Ok(node.clone()),
    }
}

/// Merges `over` into `base`: maps deeply, `required` as a union, anything else replaced.
pub fn merge(base: Node, over: Node) -> Node {
    match (base.value, over.value) {
        (Value::Map(mut into), Value::Map(from)) => {
            for e in from {
                match into.iter_mut().find(|b| b.key == e.key) {
                    Some(slot) if e.key == "required" => {
                        let old =
                            std::mem::replace(&mut slot.value, Node::new(e.value.pos, Value::Null));
                        slot.value = union(old, e.value);
                    }
                    Some(slot) => {
                        let old =
                            std::mem::replace(&mut slot.value, Node::new(e.value.pos, Value::Null));
                        slot.value = merge(old, e.value);
                        slot.key_pos = e.key_pos;
                    }
                    None => into.push(e),
                }
            }
            Node::new(over.pos, Value::Map(into))
        }
        (_, value) => Node::new(over.pos, value),
    }
}

fn union(base: Node, over: Node) -> Node {
    match (base.value, over.value) {
        (Value::Seq(mut items), Value::Seq(more)) => {
            for m in more {
                if !items.iter().any(|i| i.value == m.value) {
                    items.push(m);
                }
            }
            Node::new(over.pos, Value::Seq(items))
        }
        (_, value) => Node::new(over.pos, value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{parse, FileId, Syntax};

    fn yaml(t: &str) -> Node {
        parse(t, Syntax::Yaml, FileId(0)).unwrap()
    }

    #[test]
    fn merge_rules() {
        let base = yaml("required: [a]\nproperties: {a: {type: string}, b: {type: integer}}\nenum: [1, 2]\ntitle: Base\n");
        let over = yaml("required: [b, a]\nproperties: {b: {description: x}}\nenum: [3]\n");
        let merged = merge(base, over).to_json();
        assert_eq!(merged["required"], serde_json::json!(["a", "b"]));
        assert_eq!(
            merged["properties"]["b"],
            serde_json::json!({"type": "integer", "description": "x"})
        );
        assert_eq!(merged["enum"], serde_json::json!([3]));
        assert_eq!(merged["title"], "Base");
    }
}
