//! Inline `example`, `examples[]` and `default` values against the subschema they sit in.

use super::validate::{validate_node, Validators};
use crate::diagnostics::{Code, Diagnostic, Severity};
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
}

/// Every inline example of a document.
pub fn sites(doc: &Document) -> Vec<Site<'_>> {
    let mut sites = Vec::new();
    each_schema(&doc.node, &mut |schema, path| {
        for keyword in ["example", "default"] {
            if let Some(value) = schema.get(keyword) {
                sites.push(Site {
                    doc,
                    path: path.to_vec(),
                    keyword,
                    value,
                });
            }
        }
        if let Some(items) = schema.get("examples").and_then(Node::as_seq) {
            sites.extend(items.iter().map(|value| Site {
                doc,
                path: path.to_vec(),
                keyword: "examples",
                value,
            }));
        }
    });
    sites
}

/// Validates one inline value against the schema it sits in.
pub fn check(site: &Site, validators: &mut Validators, registry: &Registry) -> Vec<Diagnostic> {
    let keyword = site.keyword;
    match validators.get(&site.doc.rel, &site.path) {
        Ok(validator) => {
            let what = format!("inline `{keyword}` does not match its schema");
            let found = validate_node(
                validator,
                site.value,
                Code::InlineExampleInvalid,
                &what,
                registry,
            );
            if site.path.is_empty() && keyword == "example" {
                // A document's own `example` is what the spec renders for it, and upstream
                // deliberately shapes some for readers (m.relates_to.yaml says so);
                // upstream's checker never looks at them. Report, do not fail.
                found
                    .into_iter()
                    .map(|mut d| {
                        d.severity = Severity::Warning;
                        d.code = Code::RootExampleInvalid;
                        d
                    })
                    .collect()
            } else {
                found
            }
        }
        Err(e) => vec![Diagnostic::error(
            Code::SchemaCompile,
            registry.sources(),
            site.value.pos,
            format!("cannot compile the schema of this `{keyword}`: {e}"),
        )],
    }
}
