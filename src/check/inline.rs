//! Inline `example`, `examples[]` and `default` values against the subschema they sit in.

use super::validate::{validate_node, Validators};
use crate::diagnostics::{Code, Diagnostic, Severity};
use crate::examples::merge_value;
use crate::schema::{each_schema, Document, Registry};
use crate::source::Node;

/// One inline value to validate.
pub struct Site<'d> {
    /// The document it is written in.
    pub doc: &'d Document,
    /// Pointer tokens of the schema it sits in.
    pub path: Vec<String>,
    /// `example`, `examples` or `default`.
    pub keyword: &'static str,
    /// The value.
    pub value: &'d Node,
    /// Whether it is the `example` at the root of a schema that upstream's checker never
    /// looks at (a schema document's own, a response body's): reported as a warning.
    pub lenient: bool,
}

/// Every inline example of a schema document.
pub fn sites(doc: &Document) -> Vec<Site<'_>> {
    sites_in(doc, &doc.node, &[], true)
}

/// Every inline example of the schema `node`, which stands at `prefix` in `doc` (a schema
/// of an API document); `lenient_root`: whether an `example` at its root is a warning.
pub fn sites_in<'d>(
    doc: &'d Document,
    node: &'d Node,
    prefix: &[String],
    lenient_root: bool,
) -> Vec<Site<'d>> {
    let mut sites = Vec::new();
    each_schema(node, &mut |schema, rest| {
        let has_example = ["example", "default", "examples"]
            .iter()
            .any(|k| schema.get(k).is_some());
        if !has_example {
            return;
        }
        let path: Vec<String> = prefix
            .iter()
            .cloned()
            .chain(rest.iter().map(|t| t.to_string()))
            .collect();
        let path = path.as_slice();
        for keyword in ["example", "default"] {
            if let Some(value) = schema.get(keyword) {
                sites.push(Site {
                    doc,
                    path: path.to_vec(),
                    keyword,
                    value,
                    lenient: lenient_root && rest.is_empty() && keyword == "example",
                });
            }
        }
        if let Some(items) = schema.get("examples").and_then(Node::as_seq) {
            sites.extend(items.iter().map(|value| Site {
                doc,
                path: path.to_vec(),
                keyword: "examples",
                value,
                lenient: false,
            }));
        }
    });
    sites
}

/// Validates one inline value, its `$ref`s merged as example files' are, against the
/// schema it sits in.
pub fn check(site: &Site, validators: &Validators, registry: &Registry) -> Vec<Diagnostic> {
    let keyword = site.keyword;
    let merged = merge_value(registry, &site.doc.rel, site.value);
    let mut found: Vec<Diagnostic> = merged
        .problems
        .into_iter()
        .filter(|d| d.code != Code::RefUnreadable)
        .collect();
    match validators.get(&site.doc.rel, &site.path) {
        Ok(validator) => {
            let what = format!("inline `{keyword}` does not match its schema");
            let invalid = validate_node(
                &validator,
                &merged.node,
                &merged.holes,
                Code::InlineExampleInvalid,
                &what,
                registry,
            )
            .into_iter();
            if site.lenient {
                // A document's own `example` is what the spec renders for it, and upstream
                // deliberately shapes some for readers (m.relates_to.yaml says so);
                // upstream's checker never looks at them. Report, do not fail.
                found.extend(invalid.map(|mut d| {
                    d.severity = Severity::Warning;
                    d.code = Code::RootExampleInvalid;
                    d
                }));
            } else {
                found.extend(invalid);
            }
        }
        Err(e) => found.push(Diagnostic::error(
            Code::SchemaCompile,
            registry.sources(),
            site.value.pos,
            format!("cannot compile the schema of this `{keyword}`: {e}"),
        )),
    }
    found
}
