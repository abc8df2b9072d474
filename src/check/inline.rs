//! Inline `example`, `examples[]` and `default` values against the subschema they sit in.

use super::validate::{validate_node, Validators};
use crate::diagnostics::{Diagnostic, Severity};
use crate::schema::{each_schema, Document, Registry};
use crate::source::Node;

/// Validates every inline example of a document; returns the diagnostics and how many
/// values were validated.
pub fn check(
    doc: &Document,
    validators: &mut Validators,
    registry: &Registry,
) -> (Vec<Diagnostic>, usize) {
    let mut sites: Vec<(Vec<String>, &str, &Node)> = Vec::new();
    each_schema(&doc.node, &mut |schema, path| {
        for keyword in ["example", "default"] {
            if let Some(value) = schema.get(keyword) {
                sites.push((path.to_vec(), keyword, value));
            }
        }
        if let Some(items) = schema.get("examples").and_then(Node::as_seq) {
            sites.extend(items.iter().map(|item| (path.to_vec(), "examples", item)));
        }
    });
    let mut out = Vec::new();
    for (path, keyword, value) in &sites {
        match validators.get(&doc.rel, path) {
            Ok(validator) => {
                let what = format!("inline `{keyword}` does not match its schema");
                let found =
                    validate_node(validator, value, "inline-example-invalid", &what, registry);
                if path.is_empty() && *keyword == "example" {
                    // A document's own `example` is what the spec renders for it, and
                    // upstream deliberately shapes some for readers (m.relates_to.yaml says
                    // so); upstream's checker never looks at them. Report, do not fail.
                    out.extend(found.into_iter().map(|mut d| {
                        d.severity = Severity::Warning;
                        d.code = "root-example-invalid";
                        d
                    }));
                } else {
                    out.extend(found);
                }
            }
            Err(e) => out.push(Diagnostic::error(
                "schema-compile",
                &registry.sources,
                value.pos,
                format!("cannot compile the schema of this `{keyword}`: {e}"),
            )),
        }
    }
    (out, sites.len())
}
