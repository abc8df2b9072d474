//! `check`: load `data/`, resolve references, validate schemas and examples.
//!
//! Every problem of a run is collected as a [`Diagnostic`]; only a missing or unreadable
//! root is an error of the run itself ([`LoadError`]).

pub mod annotations;
mod inline;
mod metaschema;
pub mod validate;

use std::collections::BTreeSet;
use std::path::Path;

use crate::diagnostics::{self, Diagnostic, Severity, Summary};
use crate::examples::{self, Example};
use crate::schema::registry::parallel_map;
use crate::schema::{DocKind, Document, LoadError, RefGraph, Registry};

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

    // Each document on its own, on every core: metaschema and annotations. A schema that
    // fails the metaschema is not compiled (nor are those that refer to it).
    let formats = StringFormats::from_registry(&registry);
    let schemas: Vec<&Document> = registry.of_kind(DocKind::Schema).collect();
    let per_doc = parallel_map(&schemas, |_, doc| {
        let meta = metaschema::check(doc, &registry);
        let invalid = !meta.is_empty();
        let mut found = meta;
        found.extend(annotations::check(doc, &formats, &registry));
        (found, invalid)
    });
    let mut invalid = Vec::new();
    for (doc, (found, is_invalid)) in schemas.iter().zip(per_doc) {
        diags.extend(found);
        if is_invalid {
            invalid.push(doc.rel.clone());
        }
    }
    let unusable = graph.unusable_docs(invalid);

    let found = examples::discover(&registry);
    diags.extend(found.diagnostics);

    // Two independent halves, one per core: inline examples and example files. Each
    // compiles the schemas it needs once.
    let mut summary = Summary {
        schemas: schemas.len(),
        ..Summary::default()
    };
    let (documents, examples) = std::thread::scope(|scope| {
        let examples = scope.spawn(|| check_examples(&registry, &found.examples, &unusable));
        let documents = check_inline_examples(&registry, &unusable);
        (documents, examples.join())
    });
    let examples = examples.unwrap_or_else(|p| std::panic::resume_unwind(p));
    for (part, counts) in [documents, examples] {
        diags.extend(part);
        summary.schemas += counts.schemas;
        summary.examples += counts.examples;
        summary.inline_examples += counts.inline_examples;
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

/// Inline examples of every usable schema document.
fn check_inline_examples(
    registry: &Registry,
    unusable: &BTreeSet<String>,
) -> (Vec<Diagnostic>, Summary) {
    let mut diags = Vec::new();
    let mut counts = Summary::default();
    let mut validators = match Validators::new(registry, unusable) {
        Ok(v) => v,
        Err(e) => {
            diags.push(Diagnostic::in_file(
                Severity::Error,
                "schema-compile",
                "data",
                0,
                0,
                e,
            ));
            return (diags, counts);
        }
    };
    for doc in registry
        .of_kind(DocKind::Schema)
        .filter(|d| !unusable.contains(&d.rel))
    {
        let (d, n) = inline::check(doc, &mut validators, registry);
        diags.extend(d);
        counts.inline_examples += n;
    }
    (diags, counts)
}

/// Every paired example file against its schema.
fn check_examples(
    registry: &Registry,
    examples: &[Example],
    unusable: &BTreeSet<String>,
) -> (Vec<Diagnostic>, Summary) {
    let mut counts = Summary::default();
    // A registry that cannot be made is reported once, by `check_documents`.
    let Ok(mut validators) = Validators::new(registry, unusable) else {
        return (Vec::new(), counts);
    };
    let mut diags = Vec::new();
    for example in examples.iter().filter(|e| !unusable.contains(&e.schema)) {
        counts.examples += 1;
        diags.extend(validate_example(example, &mut validators, registry));
    }
    (diags, counts)
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
