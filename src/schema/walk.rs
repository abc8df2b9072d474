//! Walking a schema document: every object that stands where a schema stands.
//!
//! Values of instance keywords (`example`, `default`, `enum`, ...) are data and are not
//! entered; the keys of `properties`-like maps are names, so such a map is not itself a
//! schema but each of its values is.

use std::borrow::Cow;

use crate::source::{Node, Value};

/// Keywords whose values are data, not schemas: instances, and `dependentRequired`'s
/// lists of property names.
pub const INSTANCE_KEYWORDS: &[&str] = &[
    "example",
    "examples",
    "default",
    "enum",
    "const",
    "dependentRequired",
];

/// Keywords whose value maps names to schemas: their keys are names, not keywords.
pub const NAME_MAP_KEYWORDS: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
    "dependencies",
];

/// Calls `visit(schema, pointer tokens)` for every schema object below `node`, `node`
/// included, in document order. The tokens borrow the document's keys (no copy per
/// object walked).
pub fn each_schema<'n>(node: &'n Node, visit: &mut impl FnMut(&'n Node, &[Cow<'n, str>])) {
    let mut path = Vec::new();
    walk(node, true, &mut path, visit);
}

/// Pointer tokens as owned strings.
pub(super) fn owned_tokens(tokens: &[Cow<'_, str>]) -> Vec<String> {
    tokens.iter().map(|t| t.to_string()).collect()
}

fn walk<'n>(
    node: &'n Node,
    is_schema: bool,
    path: &mut Vec<Cow<'n, str>>,
    visit: &mut impl FnMut(&'n Node, &[Cow<'n, str>]),
) {
    match &node.value {
        Value::Map(entries) => {
            if is_schema {
                visit(node, path);
            }
            for e in entries {
                let key = e.key.as_str();
                if is_schema && (INSTANCE_KEYWORDS.contains(&key) || key == "$ref") {
                    continue;
                }
                let child_is_schema = !(is_schema && NAME_MAP_KEYWORDS.contains(&key));
                path.push(Cow::Borrowed(&e.key));
                walk(&e.value, child_is_schema, path, visit);
                path.pop();
            }
        }
        Value::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(Cow::Owned(i.to_string()));
                walk(item, true, path, visit);
                path.pop();
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{parse, FileId, Syntax};

    #[test]
    fn visits_schemas_not_names_or_data() {
        let text = "properties:\n  default:\n    type: string\n    default: {type: x}\n  a:\n    items: {type: integer}\nallOf:\n  - {title: T}\n";
        let node = parse(text, Syntax::Yaml, FileId(0)).unwrap();
        let mut seen = Vec::new();
        each_schema(&node, &mut |_, path| seen.push(path.join("/")));
        assert_eq!(
            seen,
            vec![
                "",
                "properties/default",
                "properties/a",
                "properties/a/items",
                "allOf/0"
            ]
        );
    }
}
