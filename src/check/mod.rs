//! `check`: load `data/`, resolve references, validate schemas and examples.
//!
//! Every problem of a run is collected as a [`Diagnostic`]; only a missing or unreadable
//! root is an error of the run itself ([`LoadError`]).

pub mod annotations;
mod inline;
mod metaschema;
pub mod validate;

use std::path::Path;

use crate::diagnostics::{self, Diagnostic, Severity, Summary};
use crate::examples::{self, Example};
use crate::schema::{DocKind, LoadError, RefGraph, Registry};

pub use annotations::StringFormats;
pub use validate::Validators;

/// Everything a check found, with what it loaded (for the renderer and for printing).
pub struct Report {
    /// Every document read.
    pub registry: Registry,
    /// The examples that paired with a schema.
    pub examples: Vec<Example>,
    /// Every problem found, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// Counts.
    pub summary: Summary,
}

impl Report {
    /// Whether the run found any error.
    pub fn has_errors(&self) -> bool {
        self.summary.errors > 0
    }
}

/// Runs every check on the project at `root`.
pub fn check_root(root: &Path) -> Result<Report, LoadError> {
    let (registry, mut diags) = Registry::load(root)?;
    let graph = RefGraph::build(&registry);
    diags.extend(graph.diagnostics(&registry));
    let unusable = graph.unusable_docs();

    let formats = StringFormats::from_registry(&registry);
    let mut summary = Summary::default();
    for doc in registry.of_kind(DocKind::Schema) {
        summary.schemas += 1;
        diags.extend(metaschema::check(doc, &registry));
        diags.extend(annotations::check(doc, &formats, &registry));
    }

    let found = examples::discover(&registry);
    diags.extend(found.diagnostics);

    match Validators::new(&registry, &unusable) {
        Ok(mut validators) => {
            for example in &found.examples {
                if unusable.contains(&example.schema) {
                    continue;
                }
                summary.examples += 1;
                diags.extend(validate_example(example, &mut validators, &registry));
            }
            for doc in registry
                .of_kind(DocKind::Schema)
                .filter(|d| !unusable.contains(&d.rel))
            {
                let (d, n) = inline::check(doc, &mut validators, &registry);
                diags.extend(d);
                summary.inline_examples += n;
            }
        }
        Err(e) => diags.push(Diagnostic::in_file(
            Severity::Error,
            "schema-compile",
            "data",
            0,
            0,
            e,
        )),
    }

    diagnostics::sort(&mut diags);
    let summary = summary.count(&diags);
    Ok(Report {
        registry,
        examples: found.examples,
        diagnostics: diags,
        summary,
    })
}

fn validate_example(
    example: &Example,
    validators: &mut Validators,
    registry: &Registry,
) -> Vec<Diagnostic> {
    match validators.get(&example.schema, &[]) {
        Ok(v) => {
            let what = format!("example does not match {}", example.schema);
            validate::validate_node(v, &example.merged, "example-invalid", &what, registry)
        }
        Err(e) => vec![Diagnostic::in_file(
            Severity::Error,
            "schema-compile",
            example.schema.clone(),
            0,
            0,
            format!("cannot compile this schema: {e}"),
        )],
    }
}
